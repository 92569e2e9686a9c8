"""Review by pull request: diff on real git repositories, fmt, init and the pre-commit hooks."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provplan.cli import app
from provplan.load import parse
from provplan.validate import check_paths

from .conftest import EXAMPLES, ROOT

runner = CliRunner()
ACTION = "provinces/mukdahan/action-plan-2568.yaml"
NEW_PROJECT = """\
  - id: MDH07
    title: โครงการตลาดนัดสินค้าเกษตรปลอดภัยริมโขง
    strategic_issue: SI2
    strategy: S2.1
    channel: province-request
    description: จัดตลาดนัดสินค้าเกษตรปลอดภัยทุกสัปดาห์
    outputs: [ตลาดนัด 48 ครั้ง]
    outcomes: [เกษตรกรมีรายได้เพิ่มขึ้น]
    agency: สำนักงานเกษตรจังหวัดมุกดาหาร
    budget: {amount: 1250000}
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """examples/ as a git repository with one commit."""
    repo = tmp_path / "plans"
    shutil.copytree(EXAMPLES, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "base")
    return repo


def edit(repo: Path) -> None:
    """A budget changed, a project added and another removed, a target changed, a file moved."""
    path = repo / ACTION
    text = path.read_text()
    text = text.replace("amount: 3600000\n      breakdown: {operating: 3600000}",
                        "amount: 3900000\n      breakdown: {operating: 3900000}")  # fmt: skip
    path.write_text(text[: text.index("  - id: MDH06")] + NEW_PROJECT)
    plan = repo / "clusters/northeast-upper-2/plan.yaml"
    plan.write_text(plan.read_text().replace("2568: 147500", "2568: 150000"))
    git(
        repo,
        "mv",
        "provinces/sakon-nakhon/plan.yaml",
        "provinces/sakon-nakhon/development-plan.yaml",
    )


def diff(_: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["diff", *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.stdout


def test_diff_working_tree_against_a_revision(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(repo)
    monkeypatch.chdir(repo)
    document = json.loads(diff(repo, "HEAD", "--format", "json"))
    statuses = {(d["new_path"], d["status"]) for d in document["documents"]}
    assert statuses == {
        (ACTION, "changed"),
        ("clusters/northeast-upper-2/plan.yaml", "changed"),
        ("provinces/sakon-nakhon/development-plan.yaml", "moved"),
    }
    action = next(d for d in document["documents"] if d["new_path"] == ACTION)
    projects = {
        p["id"]: (p["status"], p["old_amount"], p["new_amount"], p["delta"])
        for p in action["projects"]
    }
    assert projects == {
        "MDH01": ("changed", "3600000.00", "3900000.00", "300000.00"),
        "MDH06": ("removed", "18000000.00", None, "-18000000.00"),
        "MDH07": ("added", None, "1250000.00", "1250000.00"),
    }
    plan = next(d for d in document["documents"] if d["new_path"].startswith("clusters/"))
    assert plan["changes"] == [
        {"where": "SI1 › G1.1 › I1.1.1.targets.2568", "old": 147500, "new": 150000}
    ]
    totals = {(t["level"], t["owner"]): (t["before"]["total"], t["after"]["total"], t["delta"]["total"])
              for t in document["totals"]}  # fmt: skip
    assert totals == {
        # as rollup counts it: with C16, the cluster's project carried out in Mukdahan
        ("owner", "mukdahan"): ("47500000.00", "31050000.00", "-16450000.00"),
        ("cluster", "northeast-upper-2"): ("811900000.50", "795450000.50", "-16450000.00"),
    }


def test_diff_markdown_for_a_pull_request(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(repo)
    monkeypatch.chdir(repo)
    md = diff(repo, "HEAD", "--format", "md")
    assert "| จังหวัดมุกดาหาร | 2568 | 27,000,000 → 28,550,000 (+1,550,000) | 2,500,000 |" in md
    assert (
        "| ✏️ | MDH01 | โครงการพัฒนาศักยภาพชุด ชรบ. หมู่บ้านตามแนวชายแดน | 3,600,000 | 3,900,000 | +300,000 |"
        in md
    )
    assert "| ➕ | MDH07 | โครงการตลาดนัดสินค้าเกษตรปลอดภัยริมโขง | – | 1,250,000 | +1,250,000 |" in md
    assert "| ➖ | MDH06 |" in md
    assert (
        "`provinces/sakon-nakhon/plan.yaml → provinces/sakon-nakhon/development-plan.yaml` (ย้ายไฟล์)"
        in md
    )
    assert "<details><summary>รายละเอียดที่แก้ไข" in md


def test_diff_two_commits_leaves_the_checkout_alone(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(repo)
    git(repo, "add", "-A")
    git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "edit")
    (repo / ACTION).write_text("not even yaml: [")  # the working tree must not matter
    monkeypatch.chdir(repo)
    text = diff(repo, "HEAD~1", "HEAD")
    assert "MDH07 โครงการตลาดนัดสินค้าเกษตรปลอดภัยริมโขง: – → 1,250,000 (+1,250,000)" in text
    assert git(repo, "status", "--porcelain").strip() == f"M {ACTION}"


def test_diff_two_folders(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "a")
    shutil.copytree(EXAMPLES, tmp_path / "b")
    (tmp_path / "b" / "provinces/mukdahan/plan.yaml").unlink()
    text = diff(tmp_path, str(tmp_path / "a"), str(tmp_path / "b"))
    assert "➖ แผนพัฒนาจังหวัดมุกดาหาร พ.ศ. 2566-2570 [provinces/mukdahan/plan.yaml] ลบ" in text


def test_diff_bad_revision_is_a_usage_error(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = runner.invoke(app, ["diff", "no-such-branch"])
    assert result.exit_code == 2
    assert "neither a folder nor a git revision" in result.stderr


# --- fmt ------------------------------------------------------------------------------------


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
    out = fmt(str(tmp_path), code=1)
    assert "PP008" in out
    assert broken.read_text() == "provplan: 1\nkind: action-plan\nkind: again\n"
    assert workflow.read_text() == "on:   push\n"


# --- init and hooks -------------------------------------------------------------------------


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


def test_reordered_projects_and_an_added_plan(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = repo / ACTION
    text = path.read_text()
    head, first, rest = text.partition("  - id: MDH01")
    second = rest.index("  - id: MDH02")
    path.write_text(head + rest[second:] + first + rest[:second])  # MDH01 now last
    added = repo / "provinces/mukdahan/action-plan-2569.yaml"
    added.write_text(text.replace("fiscal_year: 2568", "fiscal_year: 2569"))
    monkeypatch.chdir(repo)
    document = json.loads(diff(repo, "HEAD", "--format", "json"))
    statuses = {d["new_path"]: (d["status"], len(d["projects"])) for d in document["documents"]}
    assert statuses == {"provinces/mukdahan/action-plan-2569.yaml": ("added", 6)}
    [total] = [t for t in document["totals"] if t["level"] == "owner"]
    assert (total["fiscal_year"], total["before"]["total"], total["after"]["total"]) == (
        2569,
        "0.00",
        "43000000.00",
    )
