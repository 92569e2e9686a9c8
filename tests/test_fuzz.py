"""Fuzzing every command with the real example plans, mutated (issue 10).

Hypothesis takes one file of the shipped example repository and changes its YAML line by
line: values replaced by hostile ones (numbers beyond the money rule, `.nan`, markup, escape
sequences, ids that are not what they look like, dates that do not exist), keys renamed,
retyped or repeated, lines dropped or moved. For each result every command runs: none may
end in an internal error (exit 3 or an exception), and where the repository still validates,
rollup, diff and render agree on the money of every owner and cluster.

Budget: `FUZZ_EXAMPLES` examples (default 40, 15-40 seconds on two cores);
`FUZZ_EXAMPLES=400 pytest tests/test_fuzz.py --hypothesis-show-statistics` for a longer hunt
(400 took three minutes and found nothing more once issue 10 was fixed).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from provplan.cli import app

from .conftest import EXAMPLES
from .test_budget import _diff, _render, _rollup

runner = CliRunner()
FILES = sorted(p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.yaml"))
BUDGET = int(os.environ.get("FUZZ_EXAMPLES", "40"))

HOSTILE_VALUES = [
    "1e9999999",
    "-1e9999999",
    ".nan",
    ".inf",
    "-.inf",
    "123456789012345678901234567890.01",
    "999999999999999.99",
    "1000000000000000",
    "-0.00",
    "0.001",
    "0x1F",
    "0o17",
    "true",
    "~",
    "[]",
    "{}",
    "2024-02-30",
    '"MDH01\\n"',
    '"[/][link=https://x]y[/link]"',
    '"\\e[2J\\e]8;;http://x\\a"',
    '"=HYPERLINK(\\"http://x\\")"',
    '"<img src=x> ![](http://x) `a` | b"',
    '"a\\rb\\u2028c"',
    "&a 5",
    "*a",
    "{*a : b}",
    "[a, # comment\n  b]",
    "'2568'",
    "2568",
    "|\n  block",
]
HOSTILE_KEYS = ["2568", "'2568'", "true", "1", "<<", "x-a", "x-`k`", "amount", "id", "[a]"]
_VALUE = re.compile(r"^(\s*(?:- )?[^\s:#][^:#]*:)\s+(\S.*)$")
_KEY = re.compile(r"^(\s*(?:- )?)([^\s:#][^:#]*)(:.*)$")


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    """(file of the examples, its text changed in one to three places)."""
    name = draw(st.sampled_from(FILES))
    lines = (EXAMPLES / name).read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        kind = draw(st.sampled_from(["value", "value", "value", "key", "drop", "repeat"]))
        value, key = _VALUE.match(line), _KEY.match(line)
        if kind == "value" and value:
            lines[i] = f"{value.group(1)} {draw(st.sampled_from(HOSTILE_VALUES))}"
        elif kind == "key" and key:
            lines[i] = f"{key.group(1)}{draw(st.sampled_from(HOSTILE_KEYS))}{key.group(3)}"
        elif kind == "drop":
            del lines[i]
        else:
            lines.insert(i, line)
    return name, "\n".join(lines)


def _ok(result: Result, *codes: int) -> None:
    """A finished command: one of its codes, never an exception or an internal error."""
    exception = result.exception
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert result.exit_code in codes, result.output
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.output


@settings(
    max_examples=BUDGET,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_every_command_on_mutated_example_plans(case: tuple[str, str]) -> None:
    name, text = case
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        repo = base / "repo"
        shutil.copytree(EXAMPLES, repo)
        (repo / name).write_text(text, encoding="utf-8")
        validated = runner.invoke(app, ["validate", str(repo), "--no-cache", "-f", "json"])
        _ok(validated, 0, 1)
        _ok(runner.invoke(app, ["rollup", str(repo), "--no-cache", "-f", "json"]), 0, 1)
        _ok(runner.invoke(app, ["rollup", str(repo), "--no-cache", "-f", "md"]), 0, 1)
        out = base / "out"
        _ok(runner.invoke(app, ["render", str(repo), "--no-cache", "--to", "md", "-o", str(out)]), 0, 1)  # fmt: skip
        for fmt in ("json", "md", "text"):
            _ok(runner.invoke(app, ["diff", str(EXAMPLES), str(repo), "-f", fmt]), 0)
        _ok(runner.invoke(app, ["fmt", str(repo / name)]), 0, 1)  # `--check` takes the same path
        event("validates" if validated.exit_code == 0 else "has findings")
        if validated.exit_code == 0:
            _agree(repo, base / "empty")


def _agree(repo: Path, empty: Path) -> None:
    """rollup, diff and render give every owner and cluster the same money."""
    empty.mkdir()
    rollup_owners, rollup_clusters = _rollup(repo)
    diff_owners, diff_clusters = _diff(repo, empty)
    rendered = _render(repo)
    assert rollup_clusters == diff_clusters
    assert {k: v for k, v in rollup_owners.items() if k in rendered} == rendered
    assert {k: v for k, v in diff_owners.items() if k in rendered} == rendered
    for figures in rendered.values():
        assert all(isinstance(f, Decimal) and f.is_finite() for f in figures)


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_each_hostile_value_on_a_project_amount(tmp_path: Path, value: str) -> None:
    """The values of the fuzz test, each at least once where money is read."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    plan = repo / "provinces/mukdahan/action-plan-2568.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("amount: 2150000", f"amount: {value}", 1),
        encoding="utf-8",
    )
    _ok(runner.invoke(app, ["rollup", str(repo), "--no-cache", "-f", "json"]), 0, 1)
    _ok(runner.invoke(app, ["diff", str(EXAMPLES), str(repo), "-f", "json"]), 0)
    _ok(runner.invoke(app, ["fmt", "--check", str(plan)]), 0, 1)
