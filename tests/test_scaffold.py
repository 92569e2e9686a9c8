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


def test_a_new_office_reads_its_findings_in_thai(tmp_path: Path) -> None:
    made = runner.invoke(app, ["init", str(tmp_path), "--owner", "mukdahan", "-y", "2569"])
    assert made.exit_code == 0, made.output
    (tmp_path / "new.yaml").write_text("provplan: 1\nkind: action-plan\n", encoding="utf-8")
    english_machine = {"LANG": "en_US.UTF-8", "PROVPLAN_LANG": ""}
    found = runner.invoke(app, ["validate", str(tmp_path), "--no-cache"], env=english_machine)
    assert found.exit_code == 1
    assert "new.yaml:1:1: error PP101 ต้องมี เจ้าของแผน (`owner`) ที่ตำแหน่งนี้" in found.stdout


def test_pre_commit_hooks_manifest() -> None:
    hooks = parse(Path("h"), (ROOT / ".pre-commit-hooks.yaml").read_text()).data
    by_id = {h["id"]: h for h in hooks}
    assert by_id["provplan-validate"]["pass_filenames"] is False  # cross-file rules
    assert by_id["provplan-validate"]["entry"] == "provplan validate"
    assert by_id["provplan-fmt"]["entry"] == "provplan fmt"


def test_a_new_office_pushes_and_commits(tmp_path: Path) -> None:
    """As a new office would: init in a git repository on its own branch, install provplan
    from requirements.txt in a fresh environment, run the workflow's steps, then commit
    through the pre-commit hooks (which install provplan in their own environment)."""
    import os
    import subprocess
    import sys

    source = f"provplan @ {ROOT.as_uri()}"
    repo = tmp_path / "plans"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=office", "-c", "user.email=o@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "trunk"], check=True)
    made = runner.invoke(
        app, ["init", str(repo), "--owner", "mukdahan", "-y", "2569", "--source", source]
    )
    assert made.exit_code == 0, made.output
    assert (repo / "requirements.txt").read_text().splitlines()[-1] == source
    hooks = parse(Path("p"), (repo / ".pre-commit-config.yaml").read_text()).data
    assert all(h["additional_dependencies"] == [source] for h in hooks["repos"][0]["hooks"])
    workflow = parse(Path("w"), (repo / ".github/workflows/provplan.yml").read_text()).data
    assert workflow["on"]["push"]["branches"] == ["trunk"]

    venv = repo / ".venv"  # where the generated README puts it
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PROVPLAN_CACHE_DIR", None)
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    steps = [s["run"] for s in workflow["jobs"]["plans"]["steps"] if "run" in s]
    for step in steps[:3]:  # install, validate, render: what runs on every push
        done = subprocess.run(step, shell=True, cwd=repo, env=env, capture_output=True, text=True)
        assert done.returncode == 0, (step, done.stdout, done.stderr)
    assert (repo / "build" / "plan.html").is_file()

    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit")
    subprocess.run([*git, "add", "-A"], check=True)
    tracked = subprocess.run([*git, "ls-files"], capture_output=True, text=True).stdout
    assert ".venv/" not in tracked  # the generated .gitignore keeps the environment out
    commit = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=repo,
        env={k: v for k, v in env.items() if k != "VIRTUAL_ENV"},
        capture_output=True,
        text=True,
    )
    assert commit.returncode == 0, commit.stdout + commit.stderr
    assert "provplan validate" in commit.stdout
