"""provplan at national scale: every step timed side by side with its baseline, in one run.

    python benchmarks/run.py [--projects 300] [--repeat 3] [--no-five-years] [--out FILE]

Generates a synthetic national plan repository (18 clusters, 76 provinces, a development plan
each and an action plan per owner per year), then measures, as separate processes, with
medians of several repetitions and the peak memory of each process tree:

- the floor: PyYAML's C loader (`yaml.CSafeLoader`) merely parsing the same files;
- `provplan validate` cold (no cache), on one process and on all cores, for one year and for
  five; a re-run after one file changed (with the cache);
- `provplan rollup` of all clusters and years; `provplan progress` of all clusters (a
  progress report per action plan); `provplan render --to html` of every document;
  `provplan site` (its pages and every document) against render;
  `provplan diff` between two commits that change 1 % of the projects, cold and after a
  validate (its cache, as the workflow `init` writes runs them);
- `provplan --version` and `--help` against `python -c "import typer"`.

It prints the ratios and writes them with the machine's description to benchmarks/RESULTS.md.
Only ratios measured in the same run mean anything: these machines are noisy.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
PROVPLAN = str(Path(PYTHON).with_name("provplan"))
FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader)
"""


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status)[1]) * 1024  # type: ignore[index]
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, TypeError):
            continue
    return total


@dataclass
class Measure:
    seconds: float
    peak: int  # bytes, the whole process tree


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Measure:
    """Run a command once: wall time and the peak memory of its process tree (sampled)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode not in (0,):
        raise SystemExit(
            f"{' '.join(cmd)} failed ({process.returncode}): {output.decode()[-2000:]}"
        )
    return Measure(seconds, peak)


def median(cmd: list[str], repeat: int, **kwargs: object) -> Measure:
    runs = [run(cmd, **kwargs) for _ in range(repeat)]  # type: ignore[arg-type]
    return Measure(statistics.median(r.seconds for r in runs), max(r.peak for r in runs))


def paired(a: list[str], b: list[str], repeat: int) -> tuple[Measure, Measure]:
    """Two commands run in turns, so that both meet the same load on a shared machine; the
    ratio of their medians is then less at the mercy of drift than two separate series."""
    runs = [(run(a), run(b)) for _ in range(repeat)]
    return tuple(  # type: ignore[return-value]
        Measure(statistics.median(r[i].seconds for r in runs), max(r[i].peak for r in runs))
        for i in (0, 1)
    )


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*.yaml"))


def change_projects(folder: Path, share: float, seed: int = 7) -> int:
    """Change the budget of `share` of all projects, spread over every file (a national PR)."""
    rng = random.Random(seed)
    changed = 0
    for path in sorted(folder.rglob("action-plan-*.yaml")):
        lines = path.read_text("utf-8").split("\n")
        starts = [i for i, line in enumerate(lines) if line.startswith("  - id: P")]
        for start in rng.sample(starts, max(1, round(len(starts) * share))):
            title = start + 1
            lines[title] = lines[title] + " (ปรับปรุง)"
            changed += 1
        path.write_text("\n".join(lines), "utf-8")
    return changed


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            "user.email=bench@example.org",
            "-c",
            "user.name=bench",
            *args,
        ],
        check=True,
        capture_output=True,
    )


@dataclass
class Row:
    step: str
    seconds: float
    baseline: str
    ratio: float
    target: str
    peak: int
    ok: bool | None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=300, help="projects per action plan")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-five-years", action="store_true", help="skip the five-year set")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    compile_provplan()
    work = Path(tempfile.mkdtemp(prefix="provplan-bench-"))
    try:
        rows, facts = measure_all(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(rows, facts, args)
    print(text)
    args.out.write_text(text, "utf-8")


def compile_provplan() -> None:
    """Measure provplan as installed: pip compiles its bytecode at install time, while an
    editable install under PYTHONDONTWRITEBYTECODE (as on these machines) would compile every
    module again at each start, a tenth of a second that users do not pay."""
    where = subprocess.run(
        [PYTHON, "-c", "import provplan, os; print(os.path.dirname(provplan.__file__))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    subprocess.run([PYTHON, "-m", "compileall", "-q", where], check=True)


def measure_all(work: Path, args: argparse.Namespace) -> tuple[list[Row], dict[str, str]]:
    repeat = args.repeat
    one = work / "one-year"
    files = generate(one, [2568], args.projects)
    mb = size_of(one) / 2**20
    facts = {
        "files": str(files),
        "size": f"{mb:.0f} MB",
        "projects": f"{94 * args.projects:,} (94 action plans × {args.projects})",
    }
    rows: list[Row] = []

    def add(
        step: str,
        m: Measure,
        base_name: str,
        base: Measure,
        target: str,
        limit: float | None,
        input_bytes: int,
    ) -> None:
        ratio = m.seconds / base.seconds
        ok = None if limit is None else ratio <= limit
        rows.append(Row(step, m.seconds, base_name, ratio, target, m.peak, ok))
        facts[f"peak:{step}"] = f"{m.peak / input_bytes:.2f}"
        print(
            f"  {step}: {m.seconds:.2f} s, {ratio:.2f} × {base_name}, peak {m.peak / 2**20:.0f} MB",
            flush=True,
        )

    print(f"one national year: {files} files, {mb:.0f} MB", flush=True)
    nbytes = size_of(one)
    floor = median([PYTHON, "-c", FLOOR, str(one)], repeat)
    rows.append(
        Row(
            "PyYAML CSafeLoader parses the files (floor)",
            floor.seconds,
            "—",
            1.0,
            "—",
            floor.peak,
            None,
        )
    )
    validate = median([PROVPLAN, "validate", str(one), "--no-cache"], repeat)
    add("provplan validate (all cores)", validate, "floor", floor, "≤ 0.5", 0.5, nbytes)
    single = median([PROVPLAN, "validate", str(one), "--no-cache", "--jobs", "1"], repeat)
    add("provplan validate --jobs 1", single, "floor", floor, "—", None, nbytes)

    cache = work / "cache"
    env = {**os.environ, "PROVPLAN_CACHE_DIR": str(cache)}
    run([PROVPLAN, "validate", str(one)], env=env)
    touched = next(one.rglob("action-plan-2568.yaml"))
    original = touched.read_text("utf-8")
    reruns = []
    for n in range(repeat):  # a different edit each time, so that each run sees a change
        touched.write_text(f"{original}x-benchmark-edit: {n}\n", "utf-8")
        reruns.append(run([PROVPLAN, "validate", str(one)], env=env))
    touched.write_text(original, "utf-8")
    rerun = Measure(statistics.median(r.seconds for r in reruns), max(r.peak for r in reruns))
    add(
        "validate again after one file changed (cache)",
        rerun,
        "validate",
        validate,
        "≤ 0.10",
        0.10,
        nbytes,
    )

    rollup = median(
        [PROVPLAN, "rollup", str(one), "--no-cache", "-f", "json", "-o", str(work / "r.json")],
        repeat,
    )
    add("provplan rollup, all clusters", rollup, "validate", validate, "≤ 1.2", 1.2, nbytes)

    # measured in turns with validate: the target compares the two, and run alone each one
    # drifted with the load of a shared machine by more than the margin being measured
    progress, beside = paired(
        [PROVPLAN, "progress", str(one), "--no-cache", "-f", "json", "-o", str(work / "p.json")],
        [PROVPLAN, "validate", str(one), "--no-cache"],
        max(repeat, 5),
    )
    add(
        "provplan progress, all clusters (in turns with validate)",
        progress,
        "validate",
        beside,
        "≤ 1.2",
        1.2,
        nbytes,
    )

    repo = work / "repo"
    shutil.copytree(one, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    changed = change_projects(repo, 0.01)
    git(repo, "commit", "-qam", "change 1 %")
    facts["diff"] = f"{changed} projects changed in {94} files"
    diff_cmd = [PROVPLAN, "diff", "HEAD~1", "HEAD", "-f", "json", "-o", str(work / "d.json")]
    diff = median([*diff_cmd, "--no-cache"], repeat, cwd=repo)
    add("provplan diff, 1 % of projects changed", diff, "validate", validate, "≤ 1.2", 1.2, nbytes)
    # as the workflow `init` writes runs it: validate first (its cache), then diff
    ci_cache = {**os.environ, "PROVPLAN_CACHE_DIR": str(work / "ci-cache")}
    run([PROVPLAN, "validate", str(repo)], env=ci_cache)
    after = median(diff_cmd, repeat, cwd=repo, env=ci_cache)
    add(
        "provplan diff after validate (its cache, as in CI)",
        after,
        "validate",
        validate,
        "≤ 1.2",
        1.2,
        nbytes,
    )

    render = median(
        [PROVPLAN, "render", str(one), "--to", "html", "--out", str(work / "html"), "--no-cache"], 1
    )
    documents = sum(1 for _ in (work / "html").rglob("*.html"))
    facts["render"] = f"{documents:,} documents"
    add(
        "provplan render --to html, every document", render, "validate", validate, "—", None, nbytes
    )
    site = median([PROVPLAN, "site", str(one), "--out", str(work / "site"), "--no-cache"], 1)
    site_bytes = sum(f.stat().st_size for f in (work / "site").rglob("*") if f.is_file())
    facts["site"] = f"{site_bytes / 2**20:.0f} MB"
    add("provplan site (pages and every document)", site, "render", render, "≤ 2", 2.0, nbytes)

    if not args.no_five_years:
        five = work / "five-years"
        files5 = generate(five, list(range(2566, 2571)), args.projects)
        n5 = size_of(five)
        facts["five"] = f"{files5} files, {n5 / 2**20:.0f} MB"
        print(f"five years: {files5} files, {n5 / 2**20:.0f} MB", flush=True)
        floor5 = median([PYTHON, "-c", FLOOR, str(five)], max(1, repeat - 1))
        rows.append(
            Row("five years: CSafeLoader (floor)", floor5.seconds, "—", 1.0, "—", floor5.peak, None)
        )
        validate5 = median([PROVPLAN, "validate", str(five), "--no-cache"], max(1, repeat - 1))
        add("five years: provplan validate", validate5, "floor", floor5, "≤ 0.5", 0.5, n5)
        shutil.rmtree(five)

    typer_floor = median([PYTHON, "-c", "import typer"], 10)
    rows.append(
        Row(
            'python -c "import typer" (floor)',
            typer_floor.seconds,
            "—",
            1.0,
            "—",
            typer_floor.peak,
            None,
        )
    )
    add(
        "provplan --version",
        median([PROVPLAN, "--version"], 10),
        "import typer",
        typer_floor,
        "≤ 1.5",
        1.5,
        nbytes,
    )
    add(
        "provplan --help",
        median([PROVPLAN, "--help"], 10),
        "import typer",
        typer_floor,
        "≤ 1.5",
        1.5,
        nbytes,
    )

    # what pre-commit runs on every commit: a small repository, every file in the cache
    pydantic_floor = median([PYTHON, "-c", "import pydantic"], 10)
    rows.append(
        Row(
            'python -c "import pydantic" (floor)',
            pydantic_floor.seconds,
            "—",
            1.0,
            "—",
            pydantic_floor.peak,
            None,
        )
    )
    examples = str(HERE.parent / "examples")
    run([PROVPLAN, "validate", examples], env=env)
    add(
        "provplan validate examples/ (cache warm)",
        median([PROVPLAN, "validate", examples], 10, env=env),
        "import pydantic",
        pydantic_floor,
        "≤ 2.5",
        2.5,
        size_of(HERE.parent / "examples"),
    )
    return rows, facts


def _machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        (
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "0",
    )
    return (
        f"{os.cpu_count()} cores ({model}), {int(memory) / 2**20:.0f} GiB, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def _load() -> str:
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def report(rows: list[Row], facts: dict[str, str], args: argparse.Namespace) -> str:
    version = subprocess.run([PROVPLAN, "--version"], capture_output=True, text=True).stdout.strip()
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `python benchmarks/run.py --projects {args.projects} --repeat {args.repeat}"
        f"{' --no-five-years' if args.no_five_years else ''}` on "
        f"{datetime.date.today().isoformat()} with {version}.",
        "",
        f"- machine: {_machine()}; load average at the end {_load()} (other work on the "
        "machine slows every step; the ratios of steps measured in turns hold best)",
        f"- input, one national year: {facts['files']} files, {facts['size']}, projects "
        f"{facts['projects']}",
        f"- diff: {facts.get('diff', '—')}; render: {facts.get('render', '—')};"
        f" site: {facts.get('site', '—')}",
    ]
    if "five" in facts:
        lines.append(f"- five years: {facts['five']}")
    lines += [
        "",
        "Seconds are medians of the repetitions; every ratio compares two figures of this same "
        "run. Peak memory is the resident memory of the whole process tree (workers included), "
        "sampled every 20 ms, as a multiple of the size of the input files.",
        "",
        "| step | seconds | ratio | to | target | met | peak memory × input |",
        "| --- | ---: | ---: | --- | --- | --- | ---: |",
    ]
    for r in rows:
        met = "—" if r.ok is None else ("yes" if r.ok else "**no**")
        peak = facts.get(f"peak:{r.step}", "—")
        ratio = "—" if r.baseline == "—" else f"{r.ratio:.2f}"
        lines.append(
            f"| {r.step} | {r.seconds:.2f} | {ratio} | {r.baseline} | {r.target} | {met} | {peak} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
