"""Rendering: golden documents of every kind, escaping, overrides, Thai digits, atomic
output, and rendering from an installed wheel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provplan.cli import app

from ..conftest import CASES, EXAMPLES, ROOT

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
KINDS = {
    "development-plan": "provinces/mukdahan/plan",
    "action-plan": "clusters/northeast-upper-2/action-plan-2568",
    "project-brief": "clusters/northeast-upper-2/action-plan-2568/C07",
    "five-year-summary": "clusters/northeast-upper-2/plan-summary",
    "linkage": "linkage-northeast-upper-2-2568",
    "progress-report": "clusters/northeast-upper-2/progress-2568-q2",
    "progress-report-province": "provinces/mukdahan/progress-2568-q4",
    "progress-cluster-summary": "clusters/northeast-upper-2/progress-2568-q4-cluster",
}


def render(*args: str) -> str:
    result = runner.invoke(app, ["render", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    for fmt in ("md", "html"):
        render(str(EXAMPLES), "--to", fmt, "--out", str(out))
    return out


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_golden(built: Path, kind: str, fmt: str, update_goldens: bool) -> None:
    rendered = (built / f"{KINDS[kind]}.{fmt}").read_text(encoding="utf-8")
    golden = GOLDEN / f"{kind}.{fmt}"
    if update_goldens:
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_every_document_is_written(built: Path) -> None:
    htmls = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.html"))
    # 4 plans, 4 summaries, 4 action plans, 36 briefs, 1 linkage, 8 progress reports and the
    # cluster summaries of its 2 reports
    assert len(htmls) == 59
    assert "clusters/northeast-upper-2/plan.html" in htmls
    assert "provinces/mukdahan/action-plan-2568/MDH01.html" in htmls


def test_html_is_self_contained_thai_and_printable(built: Path) -> None:
    html = (built / "clusters/northeast-upper-2/action-plan-2568.html").read_text()
    assert '<html lang="th">' in html
    assert "<script" not in html
    assert "<link" not in html  # the one external file: the shipped font, beside it
    assert 'url("../../fonts/Sarabun-Regular.ttf")' in html
    assert '"provplan TH Sarabun New", "provplan Sarabun", "Noto Sans Thai"' in html
    assert "size: A4;" in html
    assert "thead { display: table-header-group; }" in html
    assert "page-break-before: always" in html


def test_action_plan_totals_and_words(built: Path) -> None:
    md = (built / "clusters/northeast-upper-2/action-plan-2568.md").read_text()
    # every project of the document, C16-C18 carried out in the provinces included
    assert "**447,600,000.50 บาท** (สี่ร้อยสี่สิบเจ็ดล้านหกแสนบาทห้าสิบสตางค์)" in md
    # to the Budget Bureau: the cluster's request C01-C09 and the provinces' C16-C18
    assert "| | **รวม 12 โครงการ** | | **96,600,000.50** |" in md
    assert "คำของบประมาณกลุ่มจังหวัด 74,100,000.50 บาท" in md
    province = (built / "provinces/mukdahan/action-plan-2568.md").read_text()
    assert "**27,000,000 บาท** (ยี่สิบเจ็ดล้านบาทถ้วน)" in province  # with C16 hosted there


def test_same_input_same_bytes(tmp_path: Path) -> None:
    render(str(EXAMPLES), "--to", "html", "--out", str(tmp_path / "a"))
    render(str(EXAMPLES), "--to", "html", "--out", str(tmp_path / "b"))
    for a in (tmp_path / "a").rglob("*.html"):
        assert a.read_bytes() == (tmp_path / "b" / a.relative_to(tmp_path / "a")).read_bytes()


def _hostile_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(CASES / "context", repo)
    text = (CASES / "valid" / "province-action-plan.yaml").read_text()
    text = text.replace(
        "title: โครงการพัฒนาด่านชายแดน", 'title: "<script>alert(1)</script> | *ด่าน* _x_ [a](b) # `c`"'
    )
    (repo / "action.yaml").write_text(text)
    return repo


def test_plan_text_is_escaped(tmp_path: Path) -> None:
    repo = _hostile_repo(tmp_path)
    render(str(repo), "--to", "html", "--out", str(tmp_path / "out"))
    render(str(repo), "--to", "md", "--out", str(tmp_path / "out"))
    html = (tmp_path / "out" / "action.html").read_text()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | *ด่าน* _x_ [a](b) # `c`" in html
    md = (tmp_path / "out" / "action.md").read_text()
    assert r"\<script\>alert(1)\</script\> \| \*ด่าน\* \_x\_ \[a\](b) \# \`c\`" in md
    assert "<script>" not in md


def test_template_override(tmp_path: Path) -> None:
    repo = _hostile_repo(tmp_path)
    (repo / "templates").mkdir()
    (repo / "templates" / "action-plan.md.j2").write_text(
        "OWN {{ owner.label }} {{ total|baht }}\n"
    )
    render(str(repo), "--to", "md", "--out", str(tmp_path / "out"))
    assert (
        tmp_path / "out" / "action.md"
    ).read_text() == "OWN จังหวัดมุกดาหาร 1,000,000,001,000,000.09\n"
    assert (tmp_path / "out" / "mukdahan-plan.md").read_text().startswith("# แผนพัฒนาจังหวัดมุกดาหาร")
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "action-plan.md.j2").write_text("FROM --templates\n")
    render(str(repo), "--to", "md", "--out", str(tmp_path / "out2"), "--templates", str(other))
    assert (tmp_path / "out2" / "action.md").read_text() == "FROM --templates\n"


def test_broken_template_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    repo = _hostile_repo(tmp_path)
    (repo / "templates").mkdir()
    (repo / "templates" / "action-plan.md.j2").write_text("{{ no_such_thing }}\n")
    result = runner.invoke(app, ["render", str(repo), "--to", "md", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "template error" in result.stderr
    assert "no_such_thing" in result.stderr
    assert not (tmp_path / "o").exists()


def test_thai_digits(tmp_path: Path) -> None:
    render(str(EXAMPLES), "--to", "md", "--out", str(tmp_path), "--thai-digits")
    md = (tmp_path / "provinces/mukdahan/action-plan-2568.md").read_text()
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๘" in md
    assert "**๔๓,๐๐๐,๐๐๐ บาท**" in md


def test_errors_write_nothing_and_keep_earlier_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(str(EXAMPLES), "--to", "md", "--out", str(out))
    before = {p: p.read_bytes() for p in out.rglob("*.md")}
    broken = tmp_path / "broken"
    shutil.copytree(EXAMPLES, broken)
    plan = broken / "provinces/mukdahan/action-plan-2568.yaml"
    plan.write_text(plan.read_text().replace("fiscal_year: 2568", "fiscal_year: 2025"))
    result = runner.invoke(app, ["render", str(broken), "--to", "md", "--out", str(out)])
    assert result.exit_code == 1
    assert "PP109" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*.md")} == before


def test_linkage_only(tmp_path: Path) -> None:
    out = render(
        str(EXAMPLES),
        "--to",
        "md",
        "--out",
        str(tmp_path),
        "--linkage",
        "northeast-upper-2",
        "--fiscal-year",
        "2568",
    )
    assert out == f"wrote 1 document to {tmp_path}\n"
    md = (tmp_path / "linkage-northeast-upper-2-2568.md").read_text()
    row = next(line for line in md.splitlines() if "ทำในพื้นที่จังหวัด" in line)
    assert "**กรณีจังหวัดสกลนคร**<br>1. โครงการจัดตั้ง Information Center" in row
    assert "**กรณีจังหวัดมุกดาหาร**<br>1. โครงการศึกษาการพัฒนา/ปรับเปลี่ยนรูปแบบ" in row
    bad = runner.invoke(
        app,
        [
            "render",
            str(EXAMPLES),
            "--linkage",
            "northeast-upper-2",
            "-y",
            "2570",
            "--out",
            str(tmp_path),
        ],
    )
    assert bad.exit_code == 1


def test_render_from_an_installed_wheel(tmp_path: Path) -> None:
    """The wheel carries the templates: render with it alone, away from the source tree."""
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = dist.glob("provplan-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
        assert "provplan/templates/action-plan.html.j2" in archive.namelist()
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = "import provplan, sys; sys.stdout.write(provplan.__file__)"
    where = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert where.stdout.startswith(str(site))
    plans = tmp_path / "plans"
    shutil.copytree(EXAMPLES, plans)
    done = subprocess.run(
        [sys.executable, "-m", "provplan", "render", "plans", "--to", "html", "--out", "out"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (
        "งบประมาณรวมทั้งสิ้น"
        in (tmp_path / "out/clusters/northeast-upper-2/action-plan-2568.html").read_text()
    )
    # the site's templates, styles and the vendored chart runtime are in the wheel too
    done = subprocess.run(
        [sys.executable, "-m", "provplan", "site", "plans", "--out", "web"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "web/assets/vendor/vega.min.js").stat().st_size > 100_000
    assert "วิสัยทัศน์" in (tmp_path / "web/clusters/northeast-upper-2.html").read_text()
