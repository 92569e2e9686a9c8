"""PDF: the HTML documents printed by a real browser engine (Chromium, Chrome or Edge).

Chromium breaks Thai lines with ICU's dictionary, shapes Thai properly, prints `@page` margin
boxes (page numbers, `counter(page, thai)`) and embeds the fonts; Playwright drives the
browser already on the machine (never one downloaded at run time). One browser prints a whole
run, with a page (tab) per core printing side by side.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

from provplan.i18n import msg
from provplan.output import Staging

BROWSERS = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
)
# a quiet, offline browser: documents are local files; nothing to update, sync or fetch
FLAGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class PrintError(Exception):
    """No browser to print with, or the browser failed: a message for the user."""


def find_browser() -> Path | None:
    """PROVPLAN_BROWSER, else the first Chromium-family browser on PATH."""
    chosen = os.environ.get("PROVPLAN_BROWSER")
    if chosen:
        path = shutil.which(chosen)
        return Path(path) if path else None
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return Path(path)
    return None


def print_all(pairs: Sequence[tuple[Path, Path]], jobs: int | None = None) -> None:
    """Print each (HTML file, PDF file) pair; `jobs` pages at once (default: one per core)."""
    if not pairs:
        return
    browser = find_browser()
    if browser is None:
        wanted = os.environ.get("PROVPLAN_BROWSER")
        what = (
            msg("PROVPLAN_BROWSER={wanted} is not an executable", wanted=wanted)
            if wanted
            else msg("no browser found")
        )
        raise PrintError(
            msg(
                "cannot print PDF: {what}; install Chromium (Debian/Ubuntu: `apt-get install "
                "chromium`), Google Chrome or Microsoft Edge, or set PROVPLAN_BROWSER to the "
                "browser's executable",
                what=what,
            )
        )
    from playwright.async_api import Error  # loaded only to print

    workers = max(1, min(jobs or os.cpu_count() or 1, len(pairs)))
    try:
        asyncio.run(_print(browser, iter(pairs), workers))
    except Error as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise PrintError(
            msg("cannot print PDF with {browser}: {problem}", browser=browser, problem=first)
        ) from None


async def _print(browser_path: Path, pairs: Iterator[tuple[Path, Path]], workers: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=browser_path, args=FLAGS)

        async def worker() -> None:
            page = await (await browser.new_context()).new_page()
            for html, pdf in pairs:  # one iterator shared by the workers: each file once
                await page.goto(html.resolve().as_uri(), wait_until="load")
                await page.evaluate("document.fonts.ready.then(() => true)")
                await page.pdf(path=pdf, prefer_css_page_size=True, print_background=True)

        await asyncio.gather(*(worker() for _ in range(workers)))
        await browser.close()


def print_staged(staging: Staging, jobs: int | None = None) -> None:
    """Replace every HTML document of a staged run by its PDF (fonts are embedded in it)."""
    documents = [f for f in staging.files if f.suffix == ".html"]
    folder = staging.folder
    print_all([(folder / f, folder / f.with_suffix(".pdf")) for f in documents], jobs)
    staging.files = [f.with_suffix(".pdf") for f in documents]
