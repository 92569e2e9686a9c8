"""The example's site in a real browser (Debian's Chromium through Playwright, never a
downloaded browser): every internal link followed, no console error, no request leaving the
site, the drawn charts hold the rollup's figures, Thai labels drawn as text, search works;
screenshots of home, a cluster, a province and an indicator kept in build/test-artefacts/site/."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

from provplan.cli import app
from provplan.pdf import FLAGS, find_browser

from .conftest import EXAMPLES, ROOT

CHROMIUM = find_browser()  # the browser `render --to pdf` would print with
ARTEFACTS = ROOT / "build" / "test-artefacts" / "site"  # beside test_print.py's pages
ARGS = ["--headless", *FLAGS]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium-family browser (apt-get install chromium; .ci/run does it)",
)
runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = runner.invoke(app, ["site", str(EXAMPLES), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


class Browser:
    """One page of Chromium that records console errors and every request it makes."""

    def __init__(self, page: Any, root: Path) -> None:
        self.page, self.root = page, root.resolve()
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.errors.append(f"{page.url}: {err}"))
        page.route("**/*", self._route)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"{self.page.url}: {message.text}")

    def _route(self, route: Any) -> None:
        """Requests for files of the site go through; anything else is recorded and refused."""
        url = route.request.url
        if url.startswith("file://") and self.path(url).is_relative_to(self.root):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    @staticmethod
    def path(url: str) -> Path:
        return Path(unquote(urlsplit(url).path)).resolve()

    def open(self, relative: str) -> None:
        self.page.goto((self.root / relative).as_uri())
        self.page.wait_for_load_state("load")
        if self.page.evaluate("typeof window.provplanChartsReady !== 'undefined'"):
            self.page.evaluate("window.provplanChartsReady.then(() => true)")

    def links(self) -> list[str]:
        found: list[str] = self.page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.href)"
        )
        return found


@pytest.fixture(scope="module")
def browser(built: Path) -> Iterator[Browser]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = chromium.new_page(viewport={"width": 1200, "height": 900})
        yield Browser(page, built)
        chromium.close()


def test_every_link_is_followed_without_errors_or_outside_requests(
    built: Path, browser: Browser
) -> None:
    seen: set[Path] = set()
    todo = [built.resolve() / "index.html"]
    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        browser.open(page.relative_to(built.resolve()).as_posix())
        for link in browser.links():
            assert link.startswith("file://"), f"{page}: {link} leaves the site"
            target = browser.path(link)
            assert target.is_file(), f"{page.relative_to(built.resolve())}: broken link {link}"
            if target.suffix == ".html":
                todo.append(target)
    pages = {p.resolve() for p in built.rglob("*.html")}
    assert seen == pages  # every page is reachable from the home page
    assert browser.errors == []
    assert browser.outside == []


def _drawn(browser: Browser, chart: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = browser.page.evaluate(
        f"window.provplanCharts['spec-{chart}'].data('figures')"
    )
    return data


def _bars(browser: Browser, chart: str) -> list[Decimal]:
    """The baht of each bar as drawn: Vega labels each bar for screen readers with its value
    on the axis (millions of baht)."""
    labels: list[str] = browser.page.locator(
        f"#figure-{chart} svg path[aria-roledescription='bar']"
    ).evaluate_all("bars => bars.map(b => b.getAttribute('aria-label'))")
    millions = [re.match(r"ล้านบาท: ([0-9.]+);", label) for label in labels]
    return [Decimal(m[1]) * 1_000_000 for m in millions if m]


def test_charts_show_the_rollup(built: Path, browser: Browser) -> None:
    result = runner.invoke(app, ["rollup", str(EXAMPLES), "-f", "json", "-y", "2568"])
    figures = json.loads(result.stdout)
    browser.open("index.html")
    drawn = _drawn(browser, "by-cluster")
    cluster = figures["clusters"][0]
    assert [(d["label"], d["amount"]) for d in drawn] == [
        ("กลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนบน 2", cluster["budget_request"])
    ]
    assert _bars(browser, "by-cluster") == [Decimal(cluster["budget_request"])]
    # the drawn chart: Thai labels as SVG text (not boxes made of paths), bars for each figure
    svg = browser.page.locator("#figure-by-cluster svg")
    assert "กลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนบน 2" in svg.text_content()
    assert (
        browser.page.locator("#figure-by-channel svg path[aria-roledescription='bar']").count() == 9
    )
    browser.open("clusters/northeast-upper-2.html")
    expected = [
        Decimal(line["budget_request"])
        for line in [cluster["cluster_level"], *cluster["provinces"]]
    ]
    assert [Decimal(d["amount"]) for d in _drawn(browser, "by-owner")] == expected
    assert _bars(browser, "by-owner") == expected


def test_search_finds_thai_without_spaces(browser: Browser) -> None:
    browser.open("search.html")
    browser.page.fill("#q", "ลานจอดพักรถ")  # part of a word run: Thai has no spaces
    results = browser.page.locator("#results li a")
    assert results.count() == 1
    assert results.first.text_content() == "MDH03 โครงการพัฒนาลานจอดพักรถบรรทุกสินค้าผ่านแดน"
    browser.page.fill("#q", "ที่ทำการปกครองจังหวัดมุกดาหาร")
    kinds = browser.page.locator("#results .kind").all_text_contents()
    assert any(k.startswith("หน่วยงาน") for k in kinds)
    browser.page.fill("#q", "มุกดาหาร")
    browser.page.locator("#results li a", has_text="จังหวัดมุกดาหาร").first.click()
    browser.page.wait_for_load_state("load")
    assert browser.page.url.endswith("provinces/mukdahan.html")
    assert browser.errors == []


@pytest.mark.parametrize(
    ("name", "page"),
    [
        ("home", "index.html"),
        ("cluster", "clusters/northeast-upper-2.html"),
        ("province", "provinces/mukdahan.html"),
        ("indicator", "indicators/northeast-upper-2/I1.1.1.html"),
    ],
)
def test_screenshots(browser: Browser, name: str, page: str) -> None:
    browser.open(page)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / f"{name}.png"
    browser.page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert browser.page.locator("figure.chart svg").count() >= 1
