"""PDF: the HTML documents printed by a real browser engine (Chromium, Chrome or Edge).

Chromium breaks Thai lines with ICU's dictionary, shapes Thai properly, prints `@page` margin
boxes (page numbers, `counter(page, thai)`) and embeds the fonts; Playwright drives the
browser already on the machine (never one downloaded at run time). One browser and one page
print a whole run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

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
INSTALL_HINT = (
    "install Chromium (Debian/Ubuntu: `apt-get install chromium`), Google Chrome or "
    "Microsoft Edge, or set PROVPLAN_BROWSER to the browser's executable"
)


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


@contextmanager
def printer() -> Iterator[Callable[[Path, Path], None]]:
    """A function printing an HTML file to a PDF file, with one browser behind it."""
    browser_path = find_browser()
    if browser_path is None:
        wanted = os.environ.get("PROVPLAN_BROWSER")
        what = f"PROVPLAN_BROWSER={wanted} is not an executable" if wanted else "no browser found"
        raise PrintError(f"cannot print PDF: {what}; {INSTALL_HINT}")
    from playwright.sync_api import Error, sync_playwright  # loaded only to print

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=browser_path, args=FLAGS)
            page = browser.new_page()

            def print_pdf(html: Path, pdf: Path) -> None:
                page.goto(html.resolve().as_uri(), wait_until="load")
                page.evaluate("document.fonts.ready.then(() => true)")
                page.pdf(path=pdf, prefer_css_page_size=True, print_background=True)

            yield print_pdf
            browser.close()
    except Error as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise PrintError(f"cannot print PDF with {browser_path}: {first}") from None


def print_staged(staging: Staging) -> None:
    """Replace every HTML document of a staged run by its PDF (fonts are embedded in it)."""
    documents = [f for f in staging.files if f.suffix == ".html"]
    with printer() as print_pdf:
        for relative in documents:
            print_pdf(staging.folder / relative, staging.folder / relative.with_suffix(".pdf"))
    staging.files = [f.with_suffix(".pdf") for f in documents]
