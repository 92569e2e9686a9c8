"""`provplan tables` at national scale, side by side with `provplan validate` in the same run.

    python benchmarks/tables.py [--projects 300] [--repeat 3] [--out FILE]

Generates the synthetic national repository (as run.py does: 18 clusters, 76 provinces, one
fiscal year), then measures as separate processes, medians of the repetitions with the peak
memory of each process tree: validate without cache (the baseline: tables validates first),
tables as CSV cold (no cache) and after a validate filled the cache, as Parquet and as a
workbook; then loads the CSV tables into DuckDB and checks that they add up to rollup's
national total exactly. Writes the figures to benchmarks/TABLES.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from run import PROVPLAN, Measure, _machine, compile_provplan, median, size_of

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=300, help="projects per action plan")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "TABLES.md")
    args = parser.parse_args()
    compile_provplan()
    with tempfile.TemporaryDirectory(prefix="provplan-tables-") as tmp:
        work = Path(tmp)
        plans = work / "plans"
        files = generate(plans, [2568], args.projects)
        env = {**os.environ, "PROVPLAN_CACHE_DIR": str(work / "cache")}
        nbytes = size_of(plans)
        r = args.repeat
        rows: list[tuple[str, Measure]] = []
        cold = [PROVPLAN, "validate", str(plans), "--no-cache"]
        rows.append(("provplan validate --no-cache (baseline)", median(cold, r, env=env)))
        for fmt, cache in (("csv", False), ("csv", True), ("parquet", True), ("xlsx", True)):
            out = work / f"tables-{fmt}"
            cmd = [PROVPLAN, "tables", str(plans), "-o", str(out), "-f", fmt]
            if not cache:
                cmd.append("--no-cache")
            else:
                subprocess.run([PROVPLAN, "validate", str(plans)], env=env, check=True)
            label = f"provplan tables -f {fmt}" + (
                " (cache filled by validate)" if cache else " --no-cache"
            )
            rows.append((label, median(cmd, r, env=env)))
        check = _duckdb_check(plans, work / "tables-csv", env)
    text = _report(rows, files, nbytes, args, check)
    print(text)
    args.out.write_text(text, "utf-8")


def _duckdb_check(plans: Path, tables: Path, env: dict[str, str]) -> str:
    import time

    import duckdb

    rollup = subprocess.run(
        [PROVPLAN, "rollup", str(plans), "-f", "json"], env=env, check=True, capture_output=True
    )
    national = Decimal(json.loads(rollup.stdout)["national"]["total"])
    start = time.perf_counter()
    projects = tables / "projects.csv"
    query = (
        f"select count(*), sum(amount) from read_csv('{projects}', "
        "types={'amount': 'DECIMAL(18,2)'}) where cluster is not null"
    )
    count, total = duckdb.connect().execute(query).fetchone()  # type: ignore[misc]
    seconds = time.perf_counter() - start
    same = "equal" if total == national else "**DIFFERENT**"
    return (
        f"DuckDB reads projects.csv ({count:,} projects) and sums `amount` in {seconds:.2f} s: "
        f"{total:,} baht, {same} to rollup's national total {national:,}."
    )


def _report(
    rows: list[tuple[str, Measure]], files: int, nbytes: int, args: argparse.Namespace, check: str
) -> str:
    version = subprocess.run([PROVPLAN, "--version"], capture_output=True, text=True).stdout.strip()
    base = rows[0][1].seconds
    lines = [
        "# `provplan tables` at national scale",
        "",
        f"Produced by `python benchmarks/tables.py --projects {args.projects} --repeat "
        f"{args.repeat}` on {datetime.date.today().isoformat()} with {version}.",
        "",
        f"- machine: {_machine()}",
        f"- input, one national year: {files} files, {nbytes / 2**20:.0f} MB, "
        f"{94 * args.projects:,} projects",
        "",
        "Seconds are medians; the ratio compares with validate in this same run (tables "
        "validates first, then reads every plan again for its full text).",
        "",
        "| step | seconds | × validate | peak memory × input |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, m in rows:
        lines.append(
            f"| {label} | {m.seconds:.2f} | {m.seconds / base:.2f} | {m.peak / nbytes:.2f} |"
        )
    lines += ["", check, ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
