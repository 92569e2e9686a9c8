"""Reporters on hand-built results: the exact text, JSON and annotations they write."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

from provplan.budget import Amounts, Entry
from provplan.diagnostics import Diagnostic, Severity
from provplan.i18n import msg
from provplan.planset import ActionOutline, PlanSet, ProjectOutline
from provplan.report import REPORTERS
from provplan.report import rollup as rollup_report
from provplan.repository import builtin_registry, open_repository
from provplan.rollup import ClusterRollup, Line, Rollup, RollupResult
from provplan.validate import CheckResult

REGISTRY = builtin_registry()
FINDINGS = [
    Diagnostic(Path("a.yaml"), 3, 5, "PP102", Severity.ERROR, msg("unknown key `{key}`", key="x")),
    Diagnostic(
        Path("b.yaml"), 1, 1, "PP207", Severity.WARNING, msg("baseline year {year} …", year=2566)
    ),
]


def _result(diagnostics: list[Diagnostic]) -> CheckResult:
    repository = open_repository([Path("/nonexistent")])
    return CheckResult(PlanSet([], REGISTRY), diagnostics, 2, repository)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_text_plain_and_on_a_terminal() -> None:
    plain = io.StringIO()
    REPORTERS["text"](_result(FINDINGS), plain)
    expected = (
        "a.yaml:3:5: error PP102 unknown key `x`\n"
        "b.yaml:1:1: warning PP207 baseline year 2566 …\n"
        "2 plan files checked: 1 error, 1 warning\n"
    )
    assert plain.getvalue() == expected
    terminal = _Terminal()
    REPORTERS["text"](_result(FINDINGS), terminal)
    coloured = terminal.getvalue()
    assert "\x1b[" in coloured  # rich's colours, on a terminal only
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == expected


def test_text_without_findings() -> None:
    out = io.StringIO()
    REPORTERS["text"](_result([]), out)
    assert out.getvalue() == "2 plan files checked: no problems\n"


def test_json_and_github() -> None:
    out = io.StringIO()
    REPORTERS["json"](_result(FINDINGS), out)
    document = json.loads(out.getvalue())
    assert document["diagnostics"][0] == {
        "path": "a.yaml",
        "line": 3,
        "column": 5,
        "severity": "error",
        "code": "PP102",
        "message": "unknown key `x`",
    }
    assert document["summary"]["errors"] == 1
    assert document["summary"]["warnings"] == 1
    out = io.StringIO()
    REPORTERS["github"](_result(FINDINGS), out)
    assert out.getvalue().splitlines()[0] == (
        "::error file=a.yaml,line=3,col=5,title=PP102::unknown key `x`"
    )


def _rollup() -> RollupResult:
    cluster = REGISTRY.cluster_by_id["northeast-upper-2"]
    project = ProjectOutline(
        "P1", "ถนน", "SI1", "S1", (), "province-request", (), Decimal("1500000.50"), (), "อบจ."
    )
    plan = ActionOutline(Path("a.yaml"), "mukdahan", None, 2568, (project,))
    lines = [Line("province", m, []) for m in cluster.members]
    lines[2] = Line("province", "mukdahan", [Entry("mukdahan", project, plan)])
    missing = ["sakon-nakhon", "nakhon-phanom"]
    year = ClusterRollup(cluster, 2568, Line("cluster", cluster.id, []), lines, missing, True)
    return RollupResult([Rollup(2568, [year])], REGISTRY)


def test_rollup_markdown() -> None:
    out = io.StringIO()
    rollup_report.write_md(_rollup(), out)
    text = out.getvalue()
    assert "| มุกดาหาร | 1,500,000.50 | 0.00 | 0.00 | 1,500,000.50 |" in text
    assert "| **รวมกลุ่มจังหวัด** | **1,500,000.50** | **0.00** | **0.00** | **1,500,000.50** |" in text
    assert "> ⚠ สกลนคร: ไม่มีแผนปฏิบัติราชการปี 2568" in text
    assert _rollup().years[0].amounts == Amounts(budget_request=Decimal("1500000.50"))


def test_rollup_table_is_never_cut_off_a_terminal() -> None:
    out = io.StringIO()
    rollup_report.write_table(_rollup(), out)
    assert "1,500,000.50" in out.getvalue()
    assert "…" not in out.getvalue()


def test_plan_text_in_findings_is_neither_markup_nor_a_control_sequence() -> None:
    hostile = "[/] [link=https://evil]x[/link] \x1b[2J\x1b]8;;https://evil\x07\nfake: no problems"
    message = msg("unknown key `{key}`", key=hostile)
    findings = [Diagnostic(Path("a\x1b[31m.yaml"), 1, 1, "PP102", Severity.ERROR, message)]
    for out in (io.StringIO(), _Terminal()):
        REPORTERS["text"](_result(findings), out)  # `[/]` would crash rich's markup parser
        shown = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())
        assert "\x1b" not in shown
        assert "\x07" not in shown
        assert shown.count("\n") == 2  # one line for the finding, one for the summary
        assert "[link=https://evil]x[/link] \\e[2J\\e]8;;https://evil\\x07\\nfake" in shown
        assert shown.startswith("a\\e[31m.yaml:1:1: error")
    annotations = io.StringIO()
    REPORTERS["github"](_result(findings), annotations)
    assert annotations.getvalue().count("\n") == 2
    assert "\x1b" not in annotations.getvalue()


def _columns(line: str) -> int:
    """Terminal columns of a line: Thai vowel and tone marks above or below (Mn) take none."""
    return sum(unicodedata.category(c) not in ("Mn", "Me", "Cf") for c in line)


def test_thai_tables_line_up_in_a_terminal() -> None:
    """Rich measures Thai marks as zero-width, as terminals draw them: every line of the
    table spans the same columns, so the borders meet."""
    out = io.StringIO()
    rollup_report.write_table(_rollup(), out)
    lines = [line for line in out.getvalue().splitlines() if line[:1] in "┏┃┡│└"]
    assert any(unicodedata.category(c) == "Mn" for line in lines for c in line)  # Thai marks
    assert len({_columns(line) for line in lines}) == 1
