"""provplan diff on real git repositories and folders."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from provplan.cli import app

from ..conftest import EXAMPLES

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


def test_a_file_that_no_longer_reads_is_unreadable_not_removed(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = repo / ACTION
    path.write_text(path.read_text().replace("amount: 3600000", 'amount: "3,600,000"'))
    monkeypatch.chdir(repo)
    document = json.loads(diff(repo, "HEAD", "--format", "json"))
    [doc] = document["documents"]
    assert (doc["status"], doc["new_path"]) == ("unreadable", ACTION)
    assert "3600000" in doc["problem"]
    assert doc["projects"] == []  # not listed as removed
    totals = {(t["level"], t["owner"]): (t["complete"], t["after"]) for t in document["totals"]}
    assert totals == {
        ("owner", "mukdahan"): (False, None),
        ("cluster", "northeast-upper-2"): (False, None),
    }
    text = diff(repo, "HEAD")
    assert "อ่านไม่ได้" in text
    assert "−43,000,000" not in text


def test_a_file_broken_on_both_sides_alike_is_unchanged(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that fails its schema in the base and is left as it is: the change elsewhere is
    listed, the broken file is neither unreadable nor do its owner's totals lose their figure."""
    broken = (repo / ACTION).read_text().replace("fiscal_year: 2568", "fiscal_year: 2025")
    (repo / "provinces/mukdahan/broken.yaml").write_text(broken)
    (repo / "junk.yaml").write_text("provplan: 1\nkind: [\n")  # not even YAML, both sides
    git(repo, "add", "-A")
    git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "broken")
    path = repo / ACTION
    path.write_text(path.read_text().replace("amount: 3600000", "amount: 3700000", 1))
    monkeypatch.chdir(repo)
    document = json.loads(diff(repo, "HEAD", "--format", "json"))
    statuses = {d["new_path"]: d["status"] for d in document["documents"]}
    assert statuses == {ACTION: "changed"}  # unchanged documents are not listed
    assert all(t["complete"] for t in document["totals"])
    assert {t["fiscal_year"] for t in document["totals"]} == {2568}


def test_files_validate_already_checked_are_not_checked_again(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in CI, validate runs first: diff takes the files the two sides share from its
    cache (by their bytes), and says exactly what it says without the cache."""
    review = importlib.import_module("provplan.review.diff")  # the package exports diff()

    (repo / "junk.yaml").write_text("provplan: 1\nkind: [\n")  # in the cache, with no outline
    git(repo, "add", "-A")
    git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "junk")
    edit(repo)
    monkeypatch.chdir(repo)
    checked: list[str] = []
    real = review.check_loaded

    def counting(loaded: Any, *args: Any, **kwargs: Any) -> Any:
        checked.append(str(loaded.path))
        return real(loaded, *args, **kwargs)

    monkeypatch.setattr(review, "check_loaded", counting)
    afresh = diff(repo, "HEAD", "--format", "json", "--no-cache")
    without = len(checked)
    assert runner.invoke(app, ["validate", "."]).exit_code == 1  # junk.yaml; fills the cache
    checked.clear()
    assert diff(repo, "HEAD", "--format", "json") == afresh
    assert "junk.yaml" in checked  # no outline in the cache: read again for its key
    assert "provinces/mukdahan/plan.yaml" not in checked  # the same on both sides
    assert len(checked) < without / 2


def test_diff_leaves_validate_s_findings_as_they_are(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """diff and validate share the cache: the same bytes must give the same result in both,
    or a diff run could let a broken file pass the next validate (a BOM before `provplan:`
    and a syntax error: validate says PP005, a second reading of the head said "no plan")."""
    broken = repo / "broken.yaml"
    broken.write_bytes("\ufeffprovplan: 1\nkind: [\n".encode())
    git(repo, "add", "-A")
    git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "bom")
    edit(repo)
    monkeypatch.chdir(repo)
    first = runner.invoke(app, ["validate", "."])
    assert first.exit_code == 1
    assert "PP005" in first.stdout
    diff(repo, "HEAD", "--format", "json")
    again = runner.invoke(app, ["validate", "."])
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
