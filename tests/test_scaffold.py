"""provplan init and the pre-commit hooks manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provplan.cli import app
from provplan.load import parse
from provplan.validate import check_paths

from .conftest import ROOT

runner = CliRunner()


def fmt(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["fmt", *args])
    assert result.exit_code == code, result.output
    return result.output


@pytest.mark.parametrize("owner", ["mukdahan", "northeast-upper-2"])
def test_init_makes_a_repository_that_validates(tmp_path: Path, owner: str) -> None:
    result = runner.invoke(app, ["init", str(tmp_path), "--owner", owner, "--fiscal-year", "2569"])
    assert result.exit_code == 0, result.output
    assert check_paths([tmp_path]).diagnostics == []
    assert fmt(str(tmp_path), "--check").endswith("0 files would be reformatted, 2 unchanged\n")
    workflow = parse(Path("w"), (tmp_path / ".github/workflows/provplan.yml").read_text())
    assert workflow.diagnostics == []
    steps = [s.get("run", "") for s in workflow.data["jobs"]["plans"]["steps"]]
    assert "provplan validate --format github" in steps
    assert any("provplan diff" in s for s in steps)
    settings = json.loads((tmp_path / ".vscode/settings.json").read_text())
    assert all((tmp_path / schema).is_file() for schema in settings["yaml.schemas"])
    again = runner.invoke(app, ["init", str(tmp_path), "--owner", owner])
    assert again.exit_code == 1
    assert "will not overwrite" in again.stderr


def test_pre_commit_hooks_manifest() -> None:
    hooks = parse(Path("h"), (ROOT / ".pre-commit-hooks.yaml").read_text()).data
    by_id = {h["id"]: h for h in hooks}
    assert by_id["provplan-validate"]["pass_filenames"] is False  # cross-file rules
    assert by_id["provplan-validate"]["entry"] == "provplan validate"
    assert by_id["provplan-fmt"]["entry"] == "provplan fmt"
