"""The command line on real files: output, formats and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provplan import __version__
from provplan.cli import app, main

from .conftest import CASES, EXAMPLES, ROOT

runner = CliRunner()
CASE = CASES / "invalid" / "unknown-key.yaml"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_examples_are_valid() -> None:
    code, out = run("validate", str(EXAMPLES))
    assert (code, out) == (0, "16 plan files checked: no problems\n")


def test_text_report_is_editor_clickable() -> None:
    code, out = run("validate", str(CASES / "context"), str(CASE))
    assert code == 1
    assert out == (
        f"{CASE}:16:5: error PP102 unknown key `agencyy`; did you mean `agency`?\n"
        "5 plan files checked: 1 error, 0 warnings\n"
    )


def test_json_report() -> None:
    code, out = run("validate", "--format", "json", str(CASES / "context"), str(CASE))
    document = json.loads(out)
    assert code == 1
    assert document["diagnostics"] == [
        {
            "path": CASE.as_posix(),
            "line": 16,
            "column": 5,
            "severity": "error",
            "code": "PP102",
            "message": "unknown key `agencyy`; did you mean `agency`?",
        }
    ]
    assert document["summary"] == {
        "files": 5,
        "errors": 1,
        "warnings": 0,
        "provplan_version": __version__,
        "format_version": 1,
    }


def test_github_annotations() -> None:
    code, out = run("validate", "-f", "github", str(CASES / "context"), str(CASE))
    assert code == 1
    assert out.splitlines()[0] == (
        f"::error file={CASE.as_posix()},line=16,col=5,title=PP102::"
        "unknown key `agencyy`; did you mean `agency`?"
    )


def test_warnings_fail_only_under_strict() -> None:
    case = CASES / "invalid" / "aligns-plan-not-given.yaml"
    assert run("validate", str(case))[0] == 0
    assert run("validate", "--strict", str(case))[0] == 1


def test_usage_errors_exit_2() -> None:
    assert run("validate", "--format", "xml", str(EXAMPLES))[0] == 2
    assert run("validate", "--no-such-option")[0] == 2


def test_missing_path() -> None:
    code, out = run("validate", "no/such/folder")
    assert code == 1
    assert out.startswith("no/such/folder:1:1: error PP502 no such file or folder\n")


def test_settings_ignore_and_downgrade(tmp_path: Path) -> None:
    shutil.copytree(CASES / "context", tmp_path / "plans")
    shutil.copy(CASES / "invalid" / "no-development-plan.yaml", tmp_path / "plans")
    shutil.copy(CASES / "invalid" / "approvals-order.yaml", tmp_path / "plans")
    (tmp_path / "provplan.yaml").write_text("diagnostics:\n  warn: [PP401]\n  ignore: [PP208]\n")
    code, out = run("validate", "-f", "json", str(tmp_path))
    found = [(d["code"], d["severity"]) for d in json.loads(out)["diagnostics"]]
    assert (code, found) == (0, [("PP401", "warning")])


def test_bad_settings_are_reported(tmp_path: Path) -> None:
    (tmp_path / "provplan.yaml").write_text("diagnostics:\n  ignore: [PP20]\nregistri: {}\n")
    code, out = run("validate", str(tmp_path))
    assert code == 1
    assert "provplan.yaml:3:1: error PP102 unknown key `registri`; did you mean `registry`?" in out


def test_several_development_plans_for_one_year(write_plan: Callable[..., Path]) -> None:
    text = (CASES / "context" / "mukdahan-plan.yaml").read_text()
    write_plan(text, "a.yaml")
    write_plan(
        text.replace("{start: 2566, end: 2570}", "{start: 2568, end: 2572}").replace(
            "2566: 1, 2567: 2,", "2571: 1, 2572: 2,"
        ),
        "b.yaml",
    )
    action = write_plan((CASES / "valid" / "province-action-plan.yaml").read_text(), "c.yaml")
    code, out = run("validate", str(action.parent), str(CASES / "context" / "cluster-plan.yaml"))
    assert code == 1
    assert f"{action}:5:14: error PP402 fiscal year 2568 falls in several" in out
    assert "b.yaml:3:8: error PP408 `mukdahan` already has a province plan for 2568" in out


def test_version() -> None:
    assert run("--version") == (0, f"provplan {__version__} (plan format v1)\n")


def test_schemas_committed_equal_generated(tmp_path: Path) -> None:
    code, _ = run("schema", "--out", str(tmp_path))
    assert code == 0
    generated = sorted(p.name for p in tmp_path.iterdir())
    assert generated == sorted(p.name for p in (ROOT / "schemas").glob("*.json"))
    for name in generated:
        assert (tmp_path / name).read_text() == (ROOT / "schemas" / name).read_text(), name


def test_a_bug_exits_3_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr("provplan.validate.check_paths", broken)
    monkeypatch.setattr(sys, "argv", ["provplan", "validate", str(EXAMPLES)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 3
    assert "internal error: KeyError" in capsys.readouterr().err


def test_installed_console_script() -> None:
    script = shutil.which("provplan", path=str(Path(sys.executable).parent))
    assert script is not None
    done = subprocess.run(
        [script, "validate", "examples"], cwd=ROOT, capture_output=True, text=True
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "16 plan files checked: no problems\n",
        "",
    )


def test_help_reads_cleanly_for_every_command() -> None:
    """No Python types in the help, every option and argument explained, an example each."""
    import typer.main

    group = typer.main.get_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    assert len(commands) >= 7
    for name, command in commands.items():
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        for python_type in ("<int>", "<str>", "<path>", "list[", "Path]"):
            assert python_type not in result.output, (name, python_type)
        assert "Examples:" in result.output, name
        for param in command.params:
            assert getattr(param, "help", None) or param.name == "help", (name, param.name)


def _complete(words: str, cwd: Path | None = None) -> list[str]:
    script = shutil.which("provplan", path=str(Path(sys.executable).parent))
    assert script is not None
    env = {"_PROVPLAN_COMPLETE": "complete_bash", "COMP_CWORD": "3", "COMP_WORDS": words}
    done = subprocess.run(
        [script], env={**os.environ, **env}, capture_output=True, text=True, cwd=cwd
    )
    return done.stdout.split()


def test_completion_offers_registry_ids() -> None:
    assert _complete("provplan rollup --cluster northeast-u") == [
        "northeast-upper-1",
        "northeast-upper-2",
    ]
    assert _complete("provplan init --owner mukd") == ["mukdahan"]


def test_completion_offers_the_repository_s_own_owners_and_years(tmp_path: Path) -> None:
    (tmp_path / "provplan.yaml").write_text(
        "registry:\n  provinces:\n    - {id: mukdahan-test, name_th: ทดสอบ, name_en: Test, "
        "iso: TH-99}\n",
        encoding="utf-8",
    )
    (tmp_path / "a.yaml").write_text("provplan: 1\nfiscal_year: 2566\n", encoding="utf-8")
    assert _complete("provplan init --owner mukdahan-", tmp_path) == ["mukdahan-test"]
    assert "2566" in _complete("provplan rollup -y 25", tmp_path)


def test_schema_prints_valid_json() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert set(document) == {p.name for p in (ROOT / "schemas").glob("*.json")}
