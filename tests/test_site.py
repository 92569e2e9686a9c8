"""`provplan site` on the shipped example: pages, links, figures against the rollup, escaping,
atomic and unchanged-preserving output, the progress hook. Browser checks: test_site_browser."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from provplan.cli import app
from provplan.site import build_site
from provplan.site.progress import ClusterProgress, OwnerProgress, Progress, Spending
from provplan.validate import check_paths

from .conftest import EXAMPLES

runner = CliRunner()


def site(*args: str) -> str:
    result = runner.invoke(app, ["site", *args])
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


def rollup_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["rollup", str(EXAMPLES), "-f", "json", *args])
    assert result.exit_code == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    runner.invoke(app, ["site", str(EXAMPLES), "--out", str(out)], catch_exceptions=False)
    return out


class Links(HTMLParser):
    """Every href and src of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)
            if name == "id" and value:
                self.ids.add(value)


def parse(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text("utf-8"))
    return links


def chart_data(page: Path, chart: str) -> list[dict[str, str]]:
    """The data of a chart as the page hands it to Vega-Lite."""
    text = page.read_text("utf-8")
    match = re.search(rf'<script type="application/json" id="spec-{chart}">(.*?)</script>', text)
    assert match, f"no chart {chart} in {page}"
    values: list[dict[str, str]] = json.loads(match[1])["data"]["values"]
    return values


def test_pages_of_the_example(built: Path) -> None:
    for page in [
        "index.html",
        "search.html",
        "regions/northeast.html",
        "clusters/northeast-upper-2.html",
        "provinces/mukdahan.html",
        "provinces/sakon-nakhon.html",
        "provinces/nakhon-phanom.html",
        "indicators/northeast-upper-2/I1.1.1.html",
        "documents/clusters/northeast-upper-2/plan.html",
        "documents/provinces/mukdahan/action-plan-2568/MDH01.html",
        "documents/linkage-northeast-upper-2-2568.html",
        "assets/vendor/vega.min.js",
        "assets/vendor/LICENSE-vega",
        "assets/search-index.js",
    ]:
        assert (built / page).is_file(), page
    home = (built / "index.html").read_text("utf-8")
    assert '<html lang="th">' in home
    assert "ปีงบประมาณ พ.ศ. 2568" in home
    assert "174,600,000.50 บาท" in home  # the national budget request, as documents write baht
    region = (built / "regions/northeast.html").read_text("utf-8")
    assert "<title>ภาคตะวันออกเฉียงเหนือ</title>" in region
    cluster = (built / "clusters/northeast-upper-2.html").read_text("utf-8")
    assert "ประตูการค้าและการท่องเที่ยวเชื่อมโยงอนุภูมิภาคลุ่มน้ำโขง" in cluster  # the vision
    assert 'href="../indicators/northeast-upper-2/I1.1.1.html"' in cluster
    assert 'href="../documents/linkage-northeast-upper-2-2568.html"' in cluster
    indicator = (built / "indicators/northeast-upper-2/I1.1.1.html").read_text("utf-8")
    assert "147,500" in indicator
    assert "ค่าฐาน พ.ศ. 2564: 128,<wbr>450" in indicator  # may wrap after a separator


def test_every_internal_link_resolves_and_none_leaves_the_site(built: Path) -> None:
    pages = list(built.rglob("*.html"))
    assert len(pages) > 60
    for page in pages:
        links = parse(page)
        for link in links.found:
            assert not re.match(r"^[a-z]+:|^//", link), f"{page}: {link} leaves the site"
            path, _, fragment = link.partition("#")
            target = (page.parent / path).resolve() if path else page
            assert target.is_file(), f"{page.relative_to(built)}: broken link {link}"
            if fragment and target.suffix == ".html":
                assert fragment in parse(target).ids, f"{page}: no #{fragment} in {target}"
    for asset in (built / "assets").rglob("*.js"):
        # the runtime may hold URLs in strings (Vega's loader); the site gives it none to load
        assert "fonts.googleapis" not in asset.read_text("utf-8")


def test_chart_figures_are_the_rollup(built: Path) -> None:
    figures = rollup_json("-y", "2568")
    home = built / "index.html"
    by_cluster = {d["label"]: d["amount"] for d in chart_data(home, "by-cluster")}
    assert by_cluster == {
        "กลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนบน 2": figures["clusters"][0]["budget_request"]
    }
    assert chart_data(home, "by-region")[0]["amount"] == figures["national"]["budget_request"]
    cluster = chart_data(built / "clusters/northeast-upper-2.html", "by-owner")
    c = figures["clusters"][0]
    assert [d["amount"] for d in cluster] == [
        c["cluster_level"]["budget_request"],
        *(p["budget_request"] for p in c["provinces"]),
    ]
    by_channel = rollup_json("-y", "2568", "--by", "channel")["clusters"][0]
    expected: dict[str, Decimal] = {}
    for line in [by_channel["cluster_level"], *by_channel["provinces"]]:
        for part in line["breakdown"]:
            expected[part["label"]] = expected.get(part["label"], Decimal(0)) + Decimal(
                part["total"]
            )
    drawn = {d["label"]: Decimal(d["amount"]) for d in chart_data(home, "by-channel")}
    assert drawn == expected
    assert sum(drawn.values()) == Decimal(figures["national"]["total"])
    mukdahan = next(p for p in c["provinces"] if p["province"] == "mukdahan")
    page = (built / "provinces/mukdahan.html").read_text("utf-8")
    assert f"{Decimal(mukdahan['budget_request']):,.0f} บาท" in page


def test_search_index_covers_owners_issues_projects_agencies(built: Path) -> None:
    text = (built / "assets/search-index.js").read_text("utf-8")
    found = json.loads(text.removeprefix("window.provplanIndex = ").removesuffix(";\n"))
    assert ["จังหวัดมุกดาหาร", "provinces/mukdahan.html"] in found["owners"]
    assert any(i[2].startswith("การค้าชายแดน") for i in found["issues"])
    assert "ที่ทำการปกครองจังหวัดมุกดาหาร" in found["agencies"]
    project = next(p for p in found["projects"] if p[1] == "MDH01")
    folder = found["plans"][project[0]][1]
    assert (built / folder / "MDH01.html").is_file()


def test_same_input_same_bytes_and_unchanged_files_kept(tmp_path: Path) -> None:
    site(str(EXAMPLES), "--out", str(tmp_path / "a"))
    out = site(str(EXAMPLES), "--out", str(tmp_path / "b"))
    assert "(0 unchanged)" in out
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*"))
    for f in files:
        if (tmp_path / "a" / f).is_file():
            assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "a").rglob("*") if p.is_file()}
    again = site(str(EXAMPLES), "--out", str(tmp_path / "a"))
    assert again.startswith("wrote 0 files")
    assert {p: p.stat().st_mtime_ns for p in before} == before

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    plan = repo / "provinces/mukdahan/action-plan-2568.yaml"
    text = plan.read_text().replace("amount: 3600000", "amount: 3600001", 1)
    plan.write_text(text.replace("{operating: 3600000}", "{operating: 3600001}", 1))
    site(str(repo), "--out", str(tmp_path / "a"))
    changed = {p for p in before if p.stat().st_mtime_ns != before[p]}
    names = {p.relative_to(tmp_path / "a").as_posix() for p in changed}
    assert "index.html" in names
    assert "provinces/mukdahan.html" in names
    assert "provinces/sakon-nakhon.html" not in names
    assert "assets/vendor/vega.min.js" not in names


def _hostile(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    plan = repo / "provinces/mukdahan/action-plan-2568.yaml"
    text = plan.read_text().replace(
        "title: โครงการพัฒนาศักยภาพชุด ชรบ. หมู่บ้านตามแนวชายแดน",
        'title: "</script><script>alert(1)</script> & <b>x</b>"',
    )
    text = text.replace(
        "agency: ที่ทำการปกครองจังหวัดมุกดาหาร", 'agency: "<img src=x onerror=alert(2)>"', 1
    )
    plan.write_text(text)
    development = repo / "provinces/mukdahan/plan.yaml"  # the unit goes into a chart's spec
    text = development.read_text().replace(
        "unit: ล้านบาท", 'unit: "</script><script>alert(3)</script>"', 1
    )
    development.write_text(text)
    return repo


def test_plan_text_is_data(tmp_path: Path) -> None:
    site(str(_hostile(tmp_path)), "--out", str(tmp_path / "out"))
    for page in (tmp_path / "out").rglob("*"):
        if page.suffix in (".html", ".js") and page.is_file():
            text = page.read_text("utf-8")
            assert "<script>alert(1)" not in text, page
            assert "<img src=x" not in text, page
            assert "<script>alert(3)" not in text, page
    province = (tmp_path / "out/provinces/mukdahan.html").read_text("utf-8")
    assert (
        "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;"
        in province
    )
    indicator = tmp_path / "out/indicators/mukdahan/I1.1.html"
    assert chart_data(indicator, "targets")  # the spec still parses, whole
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(3)" in indicator.read_text("utf-8")
    index = (tmp_path / "out/assets/search-index.js").read_text("utf-8")
    assert "\\u003c/script\\u003e" in index


def test_errors_write_nothing_and_keep_the_earlier_site(tmp_path: Path) -> None:
    out = tmp_path / "out"
    site(str(EXAMPLES), "--out", str(out))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = tmp_path / "broken"
    shutil.copytree(EXAMPLES, broken)
    plan = broken / "provinces/mukdahan/action-plan-2568.yaml"
    plan.write_text(plan.read_text().replace("fiscal_year: 2568", "fiscal_year: 2025"))
    result = runner.invoke(app, ["site", str(broken), "--out", str(out)])
    assert result.exit_code == 1
    assert "PP109" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    wrong_year = runner.invoke(app, ["site", str(EXAMPLES), "--out", str(out), "-y", "2570"])
    assert wrong_year.exit_code == 1
    assert "no action plans for fiscal year 2570" in wrong_year.stderr
    ce_year = runner.invoke(app, ["site", str(EXAMPLES), "--out", str(out), "-y", "2025"])
    assert ce_year.exit_code == 2


def test_broken_site_template_is_a_message(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    (repo / "templates/site").mkdir(parents=True)
    (repo / "templates/site/home.html.j2").write_text("{{ no_such_thing }}")
    result = runner.invoke(app, ["site", str(repo), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "template error" in result.stderr
    assert "no_such_thing" in result.stderr
    assert not (tmp_path / "o").exists()
    (repo / "templates/site/home.html.j2").write_text("\n{% if %}")  # as render says where
    result = runner.invoke(app, ["site", str(repo), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "templates/site/home.html.j2:2: Expected an expression" in result.stderr


def _spending(allocated: str, disbursed: str, rate: str) -> Spending:
    return Spending(Decimal(allocated), Decimal(0), Decimal(disbursed), Decimal(rate), None)


def test_progress_plugs_in(tmp_path: Path) -> None:
    """The hook issue 11's `provplan progress` will feed: disbursement against the target,
    who has not reported, indicator actuals."""
    report = Progress(
        fiscal_year=2568,
        quarter=2,
        target_rate=Decimal("54.00"),
        clusters=[
            ClusterProgress(
                "northeast-upper-2",
                _spending("100000000.00", "40000000.00", "40.00"),
                None,
                [
                    OwnerProgress(
                        "mukdahan",
                        _spending("43000000.00", "30000000.00", "69.77"),
                        {"I1.1": Decimal("61.5")},
                    )
                ],
                ["sakon-nakhon", "nakhon-phanom"],
            )
        ],
        national=_spending("100000000.00", "40000000.00", "40.00"),
    )
    result = check_paths([EXAMPLES])
    out = tmp_path / "out"
    asked: list[int] = []

    def source(_: object, year: int) -> Progress | None:
        asked.append(year)
        return report if year == 2568 else None

    build_site(result, [EXAMPLES], out, 2568, progress=source, jobs=1)
    # adding up a year's reports is asked once per year, not once per page (a national site
    # has 3,500 pages: that was 20 times the render)
    assert sorted(asked) == sorted(set(asked))
    assert 2568 in asked
    home = (out / "index.html").read_text("utf-8")
    assert "ไตรมาสที่ 2" in home
    assert "ร้อยละ 54.00" in home
    assert "ยังไม่ได้รายงาน" in home
    for name in ("กลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนบน 2", "จังหวัดสกลนคร", "จังหวัดนครพนม"):
        assert f"<li>{name}</li>" in home
    assert [d["amount"] for d in chart_data(out / "index.html", "disbursement")] == ["40.00"]
    spec = re.search(r'id="spec-disbursement">(.*?)</script>', home)
    assert spec
    assert json.loads(spec[1])["layer"][1]["data"]["values"] == [{"target": "54.00"}]
    province = chart_data(out / "provinces/mukdahan.html", "disbursement")
    assert province == [{"label": "จังหวัดมุกดาหาร", "amount": "69.77", "text": "69.77"}]
    actual = chart_data(out / "indicators/mukdahan/I1.1.html", "targets")
    assert {"series": "ผลการดำเนินงาน", "year": "2568", "value": "61.5"} in actual
    without = tmp_path / "without"
    build_site(result, [EXAMPLES], without, 2568)
    assert "ยังไม่มีรายงานผลการดำเนินงาน" in (without / "index.html").read_text("utf-8")


def test_failing_site_template_is_a_message(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    (repo / "templates/site").mkdir(parents=True)
    (repo / "templates/site/search.html.j2").write_text("{{ 1 / 0 }}")
    result = runner.invoke(app, ["site", str(repo), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "a template failed: ZeroDivisionError" in result.stderr
    assert not (tmp_path / "o").exists()


def test_out_must_be_a_writable_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = runner.invoke(app, ["site", str(EXAMPLES), "--out", str(tmp_path / "file")])
    assert result.exit_code == 2
    assert "is a file; name a folder" in result.stderr
    result = runner.invoke(app, ["site", str(EXAMPLES), "--out", str(tmp_path / "file/site")])
    assert result.exit_code == 1
    assert "cannot write the site to" in result.stderr


def test_disbursement_chart_is_the_progress_report(built: Path) -> None:
    """The examples' progress reports reach the site: the disbursement chart draws what
    `provplan progress -f json` adds up for the latest quarter."""
    result = runner.invoke(app, ["progress", str(EXAMPLES), "-f", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    [cluster] = document["clusters"]
    drawn = chart_data(built / "index.html", "disbursement")
    assert [Decimal(d["amount"]) for d in drawn] == [Decimal(cluster["disbursement_rate"])]
    assert document["quarter"] == 4
