"""Hostile files, odd file systems, interrupted runs, injections (issue 10): one regression
test per class of failure found, each on real files and real command runs."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provplan import parallel
from provplan.cli import app
from provplan.escape import md_code, md_escape, script_json, sheet_text, terminal
from provplan.files import discover
from provplan.load import parse
from provplan.output import write_atomic
from provplan.render import target_for
from provplan.thai import baht

from .conftest import CASES, EXAMPLES

runner = CliRunner()
ACTION = "provinces/mukdahan/action-plan-2568.yaml"
TIMEOUT = 60


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def provplan(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed entry point in a process of its own (exit codes of `main`, signals)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        [sys.executable, "-m", "provplan", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The examples' plans, without their progress reports: an edit to an action plan here
    tests its own class of failure, not what the reports then say of it."""
    copy = tmp_path / "repo"
    shutil.copytree(EXAMPLES, copy, ignore=shutil.ignore_patterns("progress-*.yaml"))
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- file-system objects --------------------------------------------------------------------


def test_a_fifo_and_a_link_to_dev_zero_are_passed_over_not_read(repo: Path) -> None:
    os.mkfifo(repo / "pipe.yaml")
    (repo / "zero.yaml").symlink_to("/dev/zero")
    for command in ("validate", "rollup", "fmt"):
        done = provplan(command, str(repo), "--check" if command == "fmt" else "--no-cache")
        assert done.returncode == 0, done.stderr  # the valid example, neither file read
        assert "pipe.yaml" not in done.stdout + done.stderr
        assert "zero.yaml" not in done.stdout + done.stderr
    named = provplan("validate", str(repo / "pipe.yaml"), str(repo / "zero.yaml"))
    assert named.returncode == 1
    assert named.stdout.count("PP001 not a regular file") == 2
    settings = provplan("validate", str(repo), "--settings", str(repo / "pipe.yaml"))
    assert settings.returncode == 1
    assert "pipe.yaml:1:1: error PP001 cannot read: not a regular file" in settings.stdout


def test_a_symlink_loop_and_the_same_folder_twice(repo: Path) -> None:
    (repo / "loop.yaml").symlink_to(repo / "loop.yaml")
    code, out, _ = run("validate", str(repo / "loop.yaml"))
    assert code == 1
    assert "a symbolic link that loops" in out
    (repo / "again").symlink_to(repo / "provinces")
    twice = [repo, repo / "provinces" / ".." / "provinces", repo / "again"]
    candidates, problems = discover(twice)
    assert problems == []
    assert len(candidates) == 8  # each file once: no false duplicate plans
    code, out, _ = run("validate", *map(str, twice))
    assert (code, out) == (0, "8 plan files checked: no problems\n")


def test_jobs_are_capped() -> None:
    assert parallel.jobs_for(100_000) == parallel.MAX_JOBS
    code, out, _ = run("validate", str(EXAMPLES), "--jobs", "100000")
    assert (code, out) == (0, "16 plan files checked: no problems\n")


def test_a_plan_deleted_during_render_stops_it(repo: Path, tmp_path: Path) -> None:
    from provplan.render import RenderError, render
    from provplan.validate import check_paths

    result = check_paths([repo])
    (repo / ACTION).unlink()
    with pytest.raises(RenderError, match="changed since it was validated"):
        render(result, [repo], tmp_path / "out", "md")
    assert not (tmp_path / "out").exists()


def test_write_atomic_keeps_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_several_folders_with_a_plan_yaml_render_to_distinct_places(
    repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    folders = [repo / "provinces" / p for p in ("mukdahan", "nakhon-phanom", "sakon-nakhon")]
    code, _, stderr = run(
        "render", str(repo / "clusters"), *map(str, folders), "--to", "md", "--out", str(out)
    )
    assert code == 0, stderr
    plans = sorted(p.relative_to(out).as_posix() for p in out.rglob("plan.md"))
    assert len(plans) == 4  # not one plan.md written four times
    assert "provinces/mukdahan/plan.md" in plans
    files = [repo / "provinces" / p / "plan.yaml" for p in ("mukdahan", "sakon-nakhon")]
    target = target_for(files, files)
    assert target_for(files, files[::-1]) is not target  # deterministic: same mapping again
    assert {str(p) for p in map(_target_of(target), files)} == {
        "mukdahan/plan",
        "sakon-nakhon/plan",
    }


def _target_of(target: Callable[..., Path]) -> Callable[[Path], Path]:
    class _Outline:
        def __init__(self, path: Path) -> None:
            self.path = path

    return lambda path: target(_Outline(path))


def test_non_utf8_file_names_in_any_locale(repo: Path, tmp_path: Path) -> None:
    name = os.fsdecode(b"action\xff-2568.yaml")
    (repo / ACTION).rename(repo / "provinces" / "mukdahan" / name)
    bad = os.fsdecode(b"bad\xfe.yaml")
    (repo / bad).write_text("provplan: 1\nkind: action-plan\nowner: nowhere\n")
    locales = [{**os.environ, "LC_ALL": locale} for locale in ("C.UTF-8", "C")]
    for env in locales:
        done = subprocess.run(
            [sys.executable, "-m", "provplan", "validate", str(repo), "-f", "json"],
            capture_output=True,
            timeout=TIMEOUT,
            env=env,
            check=False,
        )
        document = json.loads(done.stdout.decode("utf-8"))  # valid UTF-8 JSON
        assert any(d["path"].endswith("bad\\xfe.yaml") for d in document["diagnostics"])
    (repo / bad).unlink()
    for env in locales:
        out = tmp_path / f"out-{env['LC_ALL']}"
        rendered = subprocess.run(
            [sys.executable, "-m", "provplan", "render", str(repo), "--out", str(out)],
            capture_output=True,
            timeout=TIMEOUT,
            env=env,
            check=False,
        )
        assert rendered.returncode == 0, rendered.stderr
        html = out / "provinces" / "mukdahan" / os.fsdecode(b"action\xff-2568.html")
        html.read_bytes().decode("utf-8")


# --- plain errors, not internal errors ------------------------------------------------------


def test_output_places_that_cannot_be_written(repo: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    assert run("render", str(repo), "--out", str(a_file))[0] == 2
    assert run("rollup", str(repo), "-o", str(tmp_path))[0] == 2
    assert run("diff", str(repo), str(repo), "-o", str(tmp_path))[0] == 2
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        done = provplan("rollup", str(repo), "-f", "csv", "-o", str(locked / "r.csv"))
        if os.geteuid() != 0:  # root writes anywhere
            assert done.returncode == 1
            assert done.stderr.startswith("provplan: ")
        assert "internal error" not in done.stderr
    finally:
        locked.chmod(0o700)
    done = provplan("rollup", str(repo), "-o", str(a_file / "under-a-file.csv"))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "internal error" not in done.stderr


def test_closed_stdout_and_a_reader_that_left(tmp_path: Path) -> None:
    done = subprocess.run(
        f"{sys.executable} -m provplan validate {EXAMPLES} >&-",
        shell=True,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0
    assert done.stderr == ""
    piped = subprocess.run(
        f"{sys.executable} -m provplan rollup {EXAMPLES} -f csv | head -c1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert "Traceback" not in piped.stderr
    assert "internal error" not in piped.stderr


def test_the_working_folder_deleted(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    done = subprocess.run(
        f"cd {gone} && rmdir {gone} && {sys.executable} -m provplan validate {EXAMPLES}",
        shell=True,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "no problems" in done.stdout


# --- numbers --------------------------------------------------------------------------------

PROJECT = "    budget: {amount: 5}\n"


@pytest.mark.parametrize(
    "amount",
    [
        "123456789012345678901234567890.00",
        "1e9999999",
        ".nan",
        ".inf",
        "1000000000000000",
        "0x10",
    ],
)
def test_amounts_outside_the_money_rule_are_refused(repo: Path, amount: str) -> None:
    _edit(repo / ACTION, "amount: 3600000", f"amount: {amount}")
    code, _, stderr = run("rollup", str(repo), "-f", "json")
    assert code == 1
    assert "PP108" in stderr
    assert run("render", str(repo), "--out", str(repo / "out"))[0] == 1


def test_thirty_digit_breakdowns_are_not_compared_in_28_digits(
    write_plan: Callable[..., Path],
) -> None:
    case = CASES / "invalid" / "amount-too-large.yaml"
    code, out, _ = run("validate", str(CASES / "context"), str(case))
    assert code == 1
    assert out.count("PP108") == 2  # refused, not summed with a rounding that hides 1 baht


def test_diff_shows_raw_numbers_it_cannot_count(repo: Path, tmp_path: Path) -> None:
    head = tmp_path / "head"
    shutil.copytree(repo, head)
    _edit(head / ACTION, "amount: 3600000", "amount: 1e9999999")
    _edit(
        head / "provinces/mukdahan/plan.yaml",
        "\nvision:",
        "\nx-n: [.nan, -.inf, 1e-9999999]\nvision:",
    )
    for fmt in ("text", "md", "json"):
        code, out, stderr = run("diff", str(repo), str(head), "-f", fmt)
        assert code == 0, stderr
        assert "1E+9999999" in out
        assert "NaN" in out


def test_minus_zero_is_zero(repo: Path, tmp_path: Path) -> None:
    assert baht(Decimal("-0.00")) == "0"
    assert baht(Decimal("-0.00"), satang=True) == "0.00"
    _edit(repo / ACTION, "amount: 2150000", "amount: -0.00")
    code, out, _ = run("diff", str(EXAMPLES), str(repo), "-f", "json")
    assert code == 0
    assert '"new_amount": "0.00"' in out
    assert "-0.00" not in out
    assert run("render", str(repo), "--to", "md", "--out", str(tmp_path / "o"))[0] == 0
    brief = (tmp_path / "o" / "provinces/mukdahan/action-plan-2568/MDH02.md").read_text()
    assert "-0" not in brief


def test_xlsx_keeps_satang_and_text_stays_text(repo: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _edit(repo / ACTION, "amount: 2150000", "amount: 999999999999999.99")
    _cluster_named(repo, '=HYPERLINK("http://evil","x")')
    out = tmp_path / "r.xlsx"
    code, _, stderr = run("rollup", str(repo), "-f", "xlsx", "-o", str(out))
    assert code == 0, stderr
    book = load_workbook(out)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]  # no formula anywhere
    shown = {str(c.value) for c in cells}
    assert "1,000,000,000,000,000.00" not in shown
    assert any(v.startswith("1,000,000,0") and v.endswith(".99") for v in shown), shown
    small = [c.value for c in cells if isinstance(c.value, (int, float)) and c.value > 10**6]
    assert small  # amounts below 10^13 stay numbers for sums and pivots
    assert all(abs(v) < 10**13 for v in small)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a: {2568: 1, '2568': 2}\n", "PP008"),
        ("a: {1: x, true: y}\n", None),
        ("a: {x: 1, <<: {y: 2}}\n", "PP017"),
    ],
)
def test_keys_that_are_not_what_they_look_like(text: str, found: str | None) -> None:
    loaded = parse(Path("x.yaml"), text)
    assert [d.code for d in loaded.diagnostics] == ([found] if found else [])


def test_hex_and_octal_ids_stay_text(repo: Path) -> None:
    _edit(repo / ACTION, "id: MDH01", "id: 0x1F")
    assert run("rollup", str(repo), "-f", "json")[0] == 0
    from provplan.validate import check_paths

    ids = {p.id for a in check_paths([repo]).plans.action_plans for p in a.projects}
    assert "0x1F" in ids
    assert "31" not in ids


# --- injection ------------------------------------------------------------------------------

HOSTILE = "[/][link=https://evil.example]x[/link]\x1b[2J\x1b]8;;https://evil\x07 ok\r\n<img src=x> ![](http://e/x) `a` =1+1"


def _cluster_named(repo: Path, name: str) -> None:
    """The repository's own provplan.yaml renames the example's cluster."""
    (repo / "provplan.yaml").write_text(
        "provplan: 1\nregistry:\n  clusters:\n    - id: northeast-upper-2\n"
        f"      region: northeast\n      name_th: {json.dumps(name)}\n"
        "      name_en: x\n      members: [sakon-nakhon, nakhon-phanom, mukdahan]\n",
        encoding="utf-8",
    )


def test_plan_text_is_data_in_every_rollup_format(repo: Path, tmp_path: Path) -> None:
    _cluster_named(repo, HOSTILE)
    from provplan.report import rollup as report
    from provplan.rollup import clusters_for
    from provplan.rollup import rollup as core
    from provplan.validate import check_paths

    plans = check_paths([repo]).plans
    rolled = core(plans, [2568], clusters_for(plans, [2568], [], None), None)

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    table = Tty()
    report.write_table(rolled, table)  # `[/]` would crash rich as markup
    assert "\x1b[2J" not in table.getvalue()
    assert "\x1b]8" not in table.getvalue()
    assert "[link=https://evil.example]" in table.getvalue()
    md = io.StringIO()
    report.write_md(rolled, md)
    assert not re.search(r"(?<!\\)<img", md.getvalue())  # `\<img` shows as text
    assert "![](" not in md.getvalue()
    assert "\r" not in md.getvalue()
    assert "\x1b" not in md.getvalue()


def test_control_characters_are_left_out_of_every_workbook(repo: Path, tmp_path: Path) -> None:
    """Valid plan text may hold a control character that no xlsx cell can: the reports'
    workbooks leave it out (export, a workbook to edit and import back, refuses instead)."""
    import openpyxl

    _edit(repo / ACTION, "agency: ตำรวจภูธรจังหวัดมุกดาหาร", 'agency: "ตำรวจ\\x07ภูธร"')
    books = {
        tmp_path / "t" / "tables.xlsx": (
            "tables",
            str(repo),
            "-f",
            "xlsx",
            "-o",
            str(tmp_path / "t"),
        ),
        tmp_path / "r.xlsx": (
            "rollup",
            str(repo),
            "--by",
            "agency",
            "-f",
            "xlsx",
            "-o",
            str(tmp_path / "r.xlsx"),
        ),
    }
    for book_path, args in books.items():
        code, _, err = run(*args)
        assert code == 0, (args[0], err)
        book = openpyxl.load_workbook(book_path)
        texts = {c.value for s in book for row in s.iter_rows() for c in row}
        assert "ตำรวจภูธร" in {t.strip() for t in texts if isinstance(t, str)}, args[0]
    code, _, err = run("export", str(repo / ACTION), "-o", str(tmp_path / "e.xlsx"))
    assert code == 1
    assert "holds the control character U+0007" in err


def test_csv_cells_never_start_a_formula(repo: Path) -> None:
    # ids cannot start a formula (PP105); the writer escapes the text cells all the same
    code, out, stderr = run("rollup", str(repo), "-f", "csv")
    assert code == 0, stderr
    assert code == 0
    for row in csv.reader(io.StringIO(out)):
        assert not any(cell.startswith(("=", "+", "@")) for cell in row)
    assert sheet_text("=1+1") == "'=1+1"
    assert sheet_text("-2") == "'-2"


def test_diagnostics_are_one_line_each_and_never_act_on_a_terminal(
    write_plan: Callable[..., Path],
) -> None:
    case = CASES / "invalid" / "id-with-newline.yaml"
    code, out, _ = run("validate", str(CASES / "context"), str(case))
    assert code == 1
    assert out.count("\n") == 2  # the finding and the summary
    assert "`P1\\n`" in out
    bad = write_plan('provplan: 1\nkind: "\\e[2J\\e]8;;http://x\\a::error::fake"\n', "esc.yaml")
    for fmt in ("text", "github"):
        code, out, _ = run("validate", str(bad), "-f", fmt)
        assert "\x1b" not in out
        assert "\x07" not in out
        assert all(line.startswith(("::", str(bad), "1 plan")) for line in out.splitlines())


def test_escaping_functions() -> None:
    assert md_escape("a\rb") == "a<br>b"
    assert md_escape("<img src=x>") == "\\<img src=x\\>"
    assert md_code("a`b") == "``a`b``"
    assert md_code("a\nb") == "`a b`"
    assert terminal("\x1b[2Jx\n") == "\\e[2Jx\\n"
    assert (
        script_json({"a": "</script><b>&"}) == '{"a":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    )


def test_diff_markdown_key_paths_cannot_leave_their_code_span(repo: Path, tmp_path: Path) -> None:
    head = tmp_path / "head"
    shutil.copytree(repo, head)
    _edit(head / ACTION, "    title: ", '    "x-`<img src=x>`\\r# hi": 1\n    title: ')
    code, out, _ = run("diff", str(repo), str(head), "-f", "md")
    assert code == 0
    assert "``x-`<img src=x>` # hi``" in out  # the key path stays inside its code span
    assert "\r" not in out


def test_templates_are_sandboxed_and_their_errors_are_messages(repo: Path, tmp_path: Path) -> None:
    templates = repo / "templates"
    templates.mkdir()
    for body, message in (
        ("{{ cycler.__init__.__globals__.os.system('id') }}", "template"),
        ("{{ 1/0 }}", "ZeroDivisionError"),
        ("{{ plan.title|baht }}", "a template failed"),
    ):
        (templates / "action-plan.md.j2").write_text(body)
        code, _, stderr = run("render", str(repo), "--to", "md", "--out", str(tmp_path / "o"))
        assert code == 1, stderr
        assert message in stderr
        assert not (tmp_path / "o").exists()


def test_a_downgraded_schema_error_still_stops_rollup_and_render(repo: Path) -> None:
    (repo / "provplan.yaml").write_text(
        (repo / "provplan.yaml").read_text(encoding="utf-8").replace("warn: []", "warn: [PP103]"),
        encoding="utf-8",
    )
    _edit(repo / ACTION, "agency: ", "agency: [not text]\n    x-was: ")
    code, _, stderr = run("rollup", str(repo))
    assert code == 1
    assert "its budget cannot be counted" in stderr
    assert run("render", str(repo), "--out", str(repo / "o"))[0] == 1


def test_diff_calls_a_file_that_no_longer_reads_unreadable(repo: Path, tmp_path: Path) -> None:
    head = tmp_path / "head"
    shutil.copytree(repo, head)
    (head / ACTION).write_text("provplan: 1\nkind: action-plan\nowner: mukdahan\n  bad: [\n")
    code, out, _ = run("diff", str(repo), str(head), "-f", "json")
    assert code == 0
    statuses = {d["new_path"] or d["old_path"]: d["status"] for d in json.loads(out)["documents"]}
    assert statuses[ACTION] == "unreadable"


# --- fmt ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "changes"),
    [
        ("provplan: 1\nkind:\taction-plan\n", True),
        ("provplan: 1\nkind: action-plan\nx-when: 2024-02-30\n", None),
        ("provplan: 1\nkind: action-plan\nx-a: &k 1\nx-m: {*k : v}\n", False),
        ("provplan: 1\nkind: action-plan\nx-m: [a, # one\n  b]\n", False),
    ],
)
def test_fmt_never_crashes_or_writes_what_it_cannot_read(
    tmp_path: Path, text: str, changes: bool | None
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    done = provplan("fmt", str(path))
    assert done.returncode in (0, 1), done.stderr
    assert "internal error" not in done.stderr
    if changes is False:
        assert path.read_text() == text
        assert "left as it is" in done.stderr
    if changes is True:
        assert done.returncode == 0
        assert "\t" not in path.read_text()
    assert provplan("fmt", "--check", str(path)).returncode in (0, 1)


def test_fmt_keeps_comment_lines_with_their_key(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "provplan: 1  # version\n# the owner\nowner: mukdahan\n# the kind\nkind: action-plan\n"
        "period:\n  end: 2570\n  # the start\n  start: 2566\n# the title\ntitle: x\n"
    )
    code, _, _ = run("fmt", str(path))
    assert code == 0
    assert path.read_text() == (
        "provplan: 1  # version\n# the kind\nkind: action-plan\n# the owner\nowner: mukdahan\n"
        "period:\n  # the start\n  start: 2566\n  end: 2570\n# the title\ntitle: x\n"
    )


# --- positions ------------------------------------------------------------------------------


def test_syntax_errors_are_placed_where_they_are() -> None:
    control = parse(Path("x.yaml"), "a: 1\nb: 2\nc: x\x07y\n").diagnostics
    assert [(d.line, d.column, str(d.message)) for d in control] == [
        (3, 5, "character U+0007 is not allowed in YAML text; remove it")
    ]
    no_colon = parse(Path("x.yaml"), "a: 1\nb c\nd: 2\n").diagnostics
    assert [(d.line, d.column) for d in no_colon] == [(2, 1)]


# --- interrupted runs -----------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_render_leaves_earlier_output_and_no_workers(
    tmp_path: Path, sig: int
) -> None:
    """A render on workers is stopped while its workers run: the earlier documents stay as
    they were, no staging folder stays behind, no worker outlives the run."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    out = tmp_path / "out"
    assert run("render", str(repo), "--to", "md", "--out", str(out))[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    templates = repo / "templates"
    templates.mkdir()
    # a slow template: each project brief takes long, so the signal lands mid-render
    (templates / "project.md.j2").write_text(
        "{% for i in range(2000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}NEW\n"
    )
    script = (
        "import sys; from provplan import parallel; parallel.PARALLEL_BYTES = 0; "
        "from provplan.cli import main; sys.argv[1:] = sys.argv[1:]; main()"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, "render", str(repo), "--to", "md", "--out", str(out),
         "--jobs", "2", "--no-cache"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the test can end everything in it
    )  # fmt: skip
    try:
        workers = _wait_for_workers(process)
        time.sleep(0.3)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=TIMEOUT)
    finally:  # never leave a process behind, even when the test fails
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
    assert process.returncode == 128 + sig, stderr
    assert "Traceback" not in stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in out.iterdir() if p.name.startswith(".provplan-")]
    time.sleep(0.2)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists() and _running(pid)]
    assert alive == []


def _wait_for_workers(process: subprocess.Popen[str]) -> list[int]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(_children(process.pid)) < 2:
        assert process.poll() is None, "the render ended before its workers started"
        time.sleep(0.05)
    workers = _children(process.pid)
    assert len(workers) >= 2, "the render never started its workers"
    return workers


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_commit_that_fails_midway_puts_the_earlier_files_back(tmp_path: Path) -> None:
    from provplan.output import staged

    out = tmp_path / "out"
    out.mkdir()
    (out / "a.md").write_text("old a")
    (out / "b.md").mkdir()  # a folder where a file is to go: its rename fails

    def write_both() -> None:
        with staged(out) as staging:
            staging.write(Path("a.md"), "new a")
            staging.write(Path("b.md"), "new b")

    with pytest.raises(IsADirectoryError):
        write_both()
    assert (out / "a.md").read_text() == "old a"
    assert sorted(p.name for p in out.iterdir()) == ["a.md", "b.md"]


# --- resources ------------------------------------------------------------------------------


def test_a_huge_file_is_never_read_whole(repo: Path, tmp_path: Path) -> None:
    """40 MiB (sparse: no disk used) is past the 32 MiB bound of every read: validate says
    so, the cache does not hash it, diff calls it unreadable."""
    from provplan.validate.cache import Cache

    head = tmp_path / "head"
    shutil.copytree(repo, head)
    big = head / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(40 * 2**20)
    code, out, _ = run("validate", str(big))
    assert code == 1
    assert "PP004 file is larger than 32 MiB" in out
    assert Cache(tmp_path / "cache").key(big, explicit=True) is None
    code, out, _ = run("diff", str(repo), str(head), "-f", "json")
    assert code == 0
    [document] = [d for d in json.loads(out)["documents"] if d["new_path"] == "big.yaml"]
    assert document["status"] == "unreadable"
    assert "larger than 32 MiB" in document["problem"]


def test_diff_reads_a_redefined_anchor_as_validate_does(repo: Path, tmp_path: Path) -> None:
    """`&a` defined twice: an alias takes the latest definition. diff, rollup and validate
    read the same value (no second reading of the YAML of its own)."""
    head = tmp_path / "head"
    shutil.copytree(repo, head)
    plan = head / ACTION
    _edit(plan, "amount: 2150000", "amount: &a 2150000")
    _edit(plan, "amount: 2500000", "amount: &a 1000000")
    _edit(plan, "amount: 1950000", "amount: *a")  # 1,000,000: the anchor as redefined
    code, out, _ = run("diff", str(repo), str(head), "-f", "json")
    assert code == 0
    [row] = [t for t in json.loads(out)["totals"] if t["owner"] == "mukdahan"]
    assert row["delta"]["total"] == "-2450000.00"  # 2,500,000 → 1,000,000; 1,950,000 → 1,000,000
    rolled = json.loads(run("rollup", str(head), "-f", "json")[1])
    [mukdahan] = [p for p in rolled["clusters"][0]["provinces"] if p["province"] == "mukdahan"]
    assert mukdahan["total"] == row["after"]["total"]


def test_a_signal_during_the_commit_waits_until_it_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from provplan import output
    from provplan.interrupt import Interrupted, signals_as_exceptions

    out = tmp_path / "out"
    real = os.replace

    def replace(source: str, target: str) -> None:
        real(source, target)
        if Path(target).name == "a.md":  # the first rename done: a signal arrives
            os.kill(os.getpid(), signal.SIGTERM)

    def render_three() -> None:
        with signals_as_exceptions(), output.staged(out) as staging:
            for name in ("a.md", "b.md", "c.md"):
                staging.write(Path(name), f"new {name}")
            monkeypatch.setattr(os, "replace", replace)

    with pytest.raises(Interrupted):
        render_three()
    assert sorted(p.name for p in out.iterdir()) == ["a.md", "b.md", "c.md"]  # all, or none
    assert (out / "c.md").read_text() == "new c.md"


def test_workers_die_with_a_killed_parent() -> None:
    """SIGKILL leaves no cleanup to run: the workers still end (PR_SET_PDEATHSIG)."""
    script = (
        "import time\nfrom provplan import parallel\n"
        "def slow(_, item):\n    time.sleep(60)\n"
        "list(parallel.pmap(slow, range(4), None, size=parallel.PARALLEL_BYTES, jobs=2))\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        workers = _wait_for_workers(process)  # type: ignore[arg-type]
        process.kill()
        process.wait(timeout=TIMEOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_running(pid) for pid in workers):
            time.sleep(0.05)
        assert not [pid for pid in workers if _running(pid)]
    finally:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
