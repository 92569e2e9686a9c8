"""provplan fmt: the canonical layout, kept values, files it must leave alone."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from provplan.cli import app
from provplan.load import parse

from .conftest import EXAMPLES

runner = CliRunner()


def fmt(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["fmt", *args])
    assert result.exit_code == code, result.output
    return result.output


def test_examples_are_formatted() -> None:
    assert fmt(str(EXAMPLES), "--check").endswith("0 files would be reformatted, 16 unchanged\n")


def test_fmt_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "# แผนทดสอบ\nkind: action-plan\nprovplan: 1\nfiscal_year: 2568\nowner: mukdahan\n"
        "projects:\n- budget: {amount: 9007199254740993.01}\n  title:   'ถนน'   # ความเห็น\n"
        '  id: P1\n  x-note: ท้าย\n  agency: "อบจ."\n'
    )
    before = parse(path, path.read_text()).data
    assert fmt(str(path), "--check", code=1).startswith(f"would reformat {path}\n")
    fmt(str(path))
    text = path.read_text()
    assert text == (
        "# แผนทดสอบ\nprovplan: 1\nkind: action-plan\nowner: mukdahan\nfiscal_year: 2568\n"
        "projects:\n  - id: P1\n    title: ถนน     # ความเห็น\n    agency: อบจ.\n"
        "    budget: {amount: 9007199254740993.01}\n    x-note: ท้าย\n"
    )
    assert parse(path, text).data == before
    assert fmt(str(path)).endswith("0 files reformatted, 1 unchanged\n")  # idempotent


def test_fmt_leaves_broken_files_and_other_yaml_alone(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("provplan: 1\nkind: action-plan\nkind: again\n")
    workflow = tmp_path / "ci.yaml"
    workflow.write_text("on:   push\n")
    listed = tmp_path / "list.yaml"  # top level a list: a plan it is not, named or walked
    listed.write_text("- {b: 1, a: 2}\n-   c\n")
    out = fmt(str(tmp_path), code=1)
    assert "PP008" in out
    assert broken.read_text() == "provplan: 1\nkind: action-plan\nkind: again\n"
    assert workflow.read_text() == "on:   push\n"
    assert listed.read_text() == "- {b: 1, a: 2}\n-   c\n"
    fmt(str(listed))  # as pre-commit names every YAML file
    assert listed.read_text() == "- {b: 1, a: 2}\n-   c\n"
