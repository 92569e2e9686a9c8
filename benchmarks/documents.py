"""PDF and Word against HTML: `provplan render` of the same sample of the national set.

    python benchmarks/documents.py [--projects 5] [--repeat 1] [--out FILE]

The sample is the whole national set of the generator (18 clusters, 76 provinces, a
development plan each and an action plan for 2568) with `--projects` projects per action plan
instead of 300, so that printing every document takes minutes, not hours: every kind of
document, at national breadth. Each format is rendered in a separate process, the median of
`--repeat` runs; the ratios to HTML are what this measures (the machines are noisy).
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

HERE = Path(__file__).resolve().parent
PROVPLAN = str(Path(sys.executable).with_name("provplan"))


def seconds(fmt: str, plans: Path, out: Path, repeat: int) -> tuple[float, int]:
    """Median seconds of `render --to fmt`, and the number of documents written."""
    times = []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        cmd = [PROVPLAN, "render", str(plans), "--to", fmt, "--out", str(out), "--no-cache"]
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    documents = sum(1 for p in out.rglob(f"*.{fmt}"))
    return statistics.median(times), documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=5, help="projects per action plan")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS-documents.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = generate(work / "plans", [2568], args.projects)
        rows = {
            fmt: seconds(fmt, work / "plans", work / fmt, args.repeat)
            for fmt in ("html", "pdf", "docx")
        }
    html = rows["html"][0]
    lines = [
        "# Benchmark: documents for submission",
        "",
        f"Produced by `python benchmarks/documents.py --projects {args.projects} --repeat "
        f"{args.repeat}` on {datetime.date.today()}: the national set, {files} plan files, "
        f"{args.projects} projects per action plan. Ratios compare figures of this same run.",
        "",
        f"Load average (1 min) before and after: {load_before:.1f}, {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores.",
        "",
        "| format | documents | seconds | per document (ms) | ratio to HTML |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for fmt, (took, documents) in rows.items():
        lines.append(
            f"| {fmt} | {documents:,} | {took:.1f} | {1000 * took / documents:.0f} | "
            f"{took / html:.1f} |"
        )
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
