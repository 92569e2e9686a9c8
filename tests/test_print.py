"""Documents for submission: PDF printed by a real browser, Word files, and the print defects of
issue 12 (Thai digits in markup, broken links, overflowing tables, orphaned headings, page
numbers, landscape forms, category subtotals, the linkage table's province row).

PDF tests need a Chromium-family browser and poppler-utils; Word conversion tests need
LibreOffice. CI installs them (.ci/run); elsewhere those tests skip, saying what is missing.
PNG pages of the printed documents are kept in build/test-artefacts/ to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from typer.testing import CliRunner

from provplan.cli import app
from provplan.pdf import FLAGS, find_browser

from .conftest import EXAMPLES, ROOT
from .printcase import URL, description_of, write_print_case

runner = CliRunner()
ARTEFACTS = ROOT / "build" / "test-artefacts"
A4 = (595, 842)
RIGHT_MARGIN_PT = 1.5 / 2.54 * 72  # @page margin-right: 1.5cm
THAI_DIGIT = re.compile("[๐-๙]")

BROWSER = find_browser()
POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts") and shutil.which("pdftoppm")
needs_browser = pytest.mark.skipif(
    BROWSER is None or not POPPLER,
    reason="needs a Chromium-family browser and poppler-utils "
    "(apt-get install chromium poppler-utils); CI installs them",
)
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None or not POPPLER,
    reason="needs LibreOffice and poppler-utils "
    "(apt-get install libreoffice-writer poppler-utils); CI installs them",
)


def render(*args: str) -> None:
    result = runner.invoke(app, ["render", *args])
    assert result.exit_code == 0, result.output


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def keep_pages(pdf: Path, name: str, pages: int = 3) -> None:
    """PNG pages of a printed document, for a person to look at."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTEFACTS.glob(f"{name}-*.png"):
        old.unlink()
    run("pdftoppm", "-r", "60", "-png", "-l", str(pages), str(pdf), str(ARTEFACTS / name))


def page_sizes(pdf: Path) -> set[tuple[int, int]]:
    info = run("pdfinfo", "-f", "1", "-l", "999", str(pdf))
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    return {(round(float(w)), round(float(h))) for w, h in sizes}


def page_texts(pdf: Path) -> list[str]:
    return run("pdftotext", "-layout", str(pdf), "-").split("\f")[:-1]


# --- HTML: markup untouched by Thai digits, links, fonts ------------------------------------


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs += [(k, v or "") for k, v in attrs]


def _attributes(html: str) -> list[tuple[str, str]]:
    collector = _Collector()
    collector.feed(html)
    return collector.attrs


def _references(html: str) -> list[str]:
    """Every relative URL of a document: href, src and CSS url()."""
    urls = [v for k, v in _attributes(html) if k in ("href", "src")]
    urls += re.findall(r'url\("([^"]+)"\)', html)
    return [u for u in urls if not re.match(r"[a-z]+:", u) and not u.startswith("#")]


@pytest.fixture(scope="module")
def html_thai(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html-thai")
    render(str(EXAMPLES), "--to", "html", "--thai-digits", "--out", str(out))
    return out


def test_thai_digits_touch_text_only(html_thai: Path) -> None:
    documents = list(html_thai.rglob("*.html"))
    assert len(documents) == 59
    for path in documents:
        html = path.read_text(encoding="utf-8")
        for name, value in _attributes(html):
            assert not THAI_DIGIT.search(value), f"{path}: {name}={value!r}"
        style = html[html.index("<style>") : html.index("</style>")]
        assert not THAI_DIGIT.search(style), f"{path}: Thai digits in CSS"
    plan = (html_thai / "clusters/northeast-upper-2/action-plan-2568.html").read_text()
    assert 'colspan="5"' in plan
    assert 'href="action-plan-2568/C01.html"' in plan
    assert "1 ตุลาคม" not in plan
    assert "๑ ตุลาคม ๒๕๖๗" in plan
    assert "(C01)" in plan  # a project id is a code, not a number
    brief = (html_thai / "clusters/northeast-upper-2/action-plan-2568/C07.html").read_text()
    assert "แบบ จ.๑-๑" in brief
    assert "(รหัส C07)" in brief
    assert "list-style-type: thai" in brief  # numbered lists count in Thai digits
    assert "counter(page, thai)" in brief  # and so do page numbers


def test_thai_digits_in_markdown_keep_links(tmp_path: Path) -> None:
    render(str(EXAMPLES), "--to", "md", "--thai-digits", "--out", str(tmp_path))
    md = (tmp_path / "clusters/northeast-upper-2/action-plan-2568.md").read_text()
    assert "](action-plan-2568/C01.md)" in md
    assert "๑ ตุลาคม ๒๕๖๗" in md


@pytest.mark.parametrize("digits", [[], ["--thai-digits"]])
def test_every_markdown_link_resolves(tmp_path: Path, digits: list[str]) -> None:
    render(str(EXAMPLES), "--to", "md", "--out", str(tmp_path), *digits)
    targets = [
        (path, url)
        for path in tmp_path.rglob("*.md")
        for url in re.findall(r"\]\(([^)]+)\)", path.read_text(encoding="utf-8"))
    ]
    assert len(targets) >= 36  # every project brief is linked from its action plan
    for path, url in targets:
        assert (path.parent / url).is_file(), f"{path.relative_to(tmp_path)} → {url}"


@pytest.mark.parametrize("digits", [[], ["--thai-digits"]])
def test_every_relative_link_resolves(tmp_path: Path, digits: list[str]) -> None:
    render(str(EXAMPLES), "--to", "html", "--out", str(tmp_path), *digits)
    checked = 0
    for path in tmp_path.rglob("*.html"):
        for url in _references(path.read_text(encoding="utf-8")):
            assert (path.parent / url).is_file(), f"{path.relative_to(tmp_path)} → {url}"
            checked += 1
    assert checked > 59 * 4  # every document names the four font files, action plans link briefs


def test_fonts_ship_with_html_and_prefer_th_sarabun_new(tmp_path: Path) -> None:
    render(str(EXAMPLES), "--to", "html", "--out", str(tmp_path))
    assert (tmp_path / "fonts/Sarabun-Regular.ttf").stat().st_size > 50_000
    assert "SIL Open Font License" in (tmp_path / "fonts/OFL.txt").read_text()
    html = (tmp_path / "linkage-northeast-upper-2-2568.html").read_text()
    # local() only for TH Sarabun New: the bare family name would get fontconfig's look-alike
    assert 'src: local("TH Sarabun New"), local("THSarabunNew");' in html
    stack = re.search(r"html \{ font-family: ([^;]+);", html)
    assert stack
    assert stack[1].startswith('"provplan TH Sarabun New", "provplan Sarabun"')


def test_markdown_vision_never_becomes_a_list(tmp_path: Path) -> None:
    repo = write_print_case(tmp_path / "repo")
    render(str(repo), "--to", "md", "--out", str(tmp_path / "out"))
    md = (tmp_path / "out/plan.md").read_text()
    assert "\n\\- มุกดาหารเมืองน่าอยู่" in md
    assert "1\\. ศูนย์กลางการค้าชายแดน" in md


def test_action_plan_subtotals_by_category(tmp_path: Path) -> None:
    render(str(EXAMPLES), "--to", "html", "--out", str(tmp_path))
    html = (tmp_path / "clusters/northeast-upper-2/action-plan-2568.html").read_text()
    totals = html[html.index('<section class="totals">') :]
    # the same figures as `provplan rollup` for the cluster level (C01-C09, C16-C18 requested)
    assert '<td>คำของบประมาณ</td><td class="num">96,600,000.50</td>' in totals
    assert '<td>ขอรับการสนับสนุนจากกระทรวง/กรม</td><td class="num">313,200,000</td>' in totals
    assert '<td>แหล่งอื่น</td><td class="num">37,800,000</td>' in totals
    assert '<td>รวมทั้งสิ้น</td><td class="num">447,600,000.50</td>' in totals


def test_linkage_puts_cluster_projects_in_the_province_row(tmp_path: Path) -> None:
    render(str(EXAMPLES), "--to", "md", "--out", str(tmp_path))
    md = (tmp_path / "linkage-northeast-upper-2-2568.md").read_text()
    row = next(line for line in md.splitlines() if "ทำในพื้นที่จังหวัด" in line)
    assert row.startswith("| จังหวัด |")
    assert "**กรณีจังหวัดนครพนม**<br>1. โครงการจัดตั้งศูนย์ Export Center" in row
    lines = md.splitlines()
    # right below the provinces' own requests
    assert "โครงการของจังหวัดที่จัดทำเป็นคำของบประมาณของจังหวัด" in lines[lines.index(row) - 1]


# --- PDF ------------------------------------------------------------------------------------


def test_no_browser_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVPLAN_BROWSER", str(tmp_path / "no-such-browser"))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "earlier.pdf").write_text("kept")
    result = runner.invoke(
        app, ["render", str(EXAMPLES), "--to", "pdf", "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "apt-get install chromium" in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["earlier.pdf"]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if BROWSER is None or not POPPLER:
        pytest.skip("needs a Chromium-family browser and poppler-utils")
    out = tmp_path_factory.mktemp("pdf")
    render(str(EXAMPLES), "--to", "pdf", "--out", str(out))
    for name in (
        "clusters/northeast-upper-2/plan",
        "clusters/northeast-upper-2/action-plan-2568",
        "clusters/northeast-upper-2/action-plan-2568/C01",
        "clusters/northeast-upper-2/plan-summary",
        "linkage-northeast-upper-2-2568",
    ):
        keep_pages(out / f"{name}.pdf", "examples-" + name.replace("/", "-"))
    return out


@needs_browser
def test_pdf_every_document_a4_fonts_embedded(pdfs: Path) -> None:
    documents = sorted(pdfs.rglob("*.pdf"))
    assert len(documents) == 59
    assert not list(pdfs.rglob("*.html"))
    assert not (pdfs / "fonts").exists()
    wide = {"plan-summary.pdf", "linkage-northeast-upper-2-2568.pdf"}
    for pdf in documents:
        landscape = pdf.name in wide or pdf.name.endswith("-cluster.pdf")  # progress side by side
        expected = (A4[1], A4[0]) if landscape else A4
        assert page_sizes(pdf) == {expected}, pdf
        fonts = run("pdffonts", str(pdf)).splitlines()[2:]
        assert all(line.split()[-5] == "yes" for line in fonts), fonts  # every font embedded
        assert any("Sarabun" in line for line in fonts), fonts
    # Thai and Latin letters and digits from the one face (the ★ of action plans aside)
    for pdf in (pdfs / "linkage-northeast-upper-2-2568.pdf", pdfs / "provinces/mukdahan/plan.pdf"):
        names = {
            line.split()[0].split("+")[-1] for line in run("pdffonts", str(pdf)).splitlines()[2:]
        }
        assert all(n.startswith(("Sarabun", "THSarabunNew")) for n in names), names


@needs_browser
def test_pdf_thai_text_and_page_numbers(pdfs: Path) -> None:
    pages = page_texts(pdfs / "clusters/northeast-upper-2/action-plan-2568.pdf")
    assert len(pages) > 3
    for n, text in enumerate(pages, 1):
        assert f"หน้า {n} / {len(pages)}" in text
    text = "".join(pages)
    assert "งบประมาณรวมทั้งสิ้น" in text
    assert "ผู้รับผิดชอบ" in text  # a table heading not broken inside the word
    plan = "".join(page_texts(pdfs / "provinces/mukdahan/plan.pdf"))
    assert "ตัวชี้วัด" in plan
    assert "วิสัยทัศน์" in plan


@needs_browser
def test_pdf_thai_digits_in_page_numbers(tmp_path: Path) -> None:
    render(
        str(EXAMPLES),
        *("--to", "pdf", "--thai-digits", "--out", str(tmp_path)),
        *("--linkage", "northeast-upper-2", "--fiscal-year", "2568"),
    )
    pages = page_texts(tmp_path / "linkage-northeast-upper-2-2568.pdf")
    assert "หน้า ๑ / " in pages[0]
    assert "พ.ศ. ๒๕๖๘" in pages[0]


@pytest.fixture(scope="module")
def print_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The stress case rendered as HTML and as PDF."""
    if BROWSER is None or not POPPLER:
        pytest.skip("needs a Chromium-family browser and poppler-utils")
    root = tmp_path_factory.mktemp("print-case")
    repo = write_print_case(root / "repo")
    render(str(repo), "--to", "html", "--out", str(root / "html"))
    render(str(repo), "--to", "pdf", "--out", str(root / "pdf"))
    keep_pages(root / "pdf/action.pdf", "print-case-action", pages=4)
    keep_pages(root / "pdf/action/P01.pdf", "print-case-P01", pages=2)
    return root / "html", root / "pdf"


@pytest.fixture(scope="module")
def browser_page() -> Iterator[Any]:
    if BROWSER is None:
        pytest.skip("needs a Chromium-family browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=BROWSER, args=FLAGS)
        yield browser.new_page()
        browser.close()


@needs_browser
@pytest.mark.parametrize(
    ("document", "width_mm"),
    [("action.html", 170), ("action/P01.html", 170), ("plan.html", 170)],
)
def test_long_strings_wrap_inside_the_page(
    print_case: tuple[Path, Path], browser_page: Any, document: str, width_mm: int
) -> None:
    """Laid out for print at the page's text width, nothing is wider than the page."""
    html, _ = print_case
    width = round(width_mm / 25.4 * 96)
    browser_page.set_viewport_size({"width": width, "height": 1000})
    browser_page.emulate_media(media="print")
    browser_page.goto((html / document).as_uri())
    browser_page.evaluate("document.fonts.ready.then(() => true)")  # measure the real font
    assert URL[:40] in browser_page.content() or document == "plan.html"
    widest = browser_page.evaluate(
        "Math.max(...[...document.querySelectorAll('body, table, td, th')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= width + 1
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= width


OVERFLOWING = """[...document.querySelectorAll('*')]
    .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
    .map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 40))"""


@needs_browser
def test_no_example_document_overflows_its_page(tmp_path: Path, browser_page: Any) -> None:
    """Every document of the examples, laid out at its page's text width: no element wider
    than its box (a table heading that cannot wrap, a number, a long word)."""
    render(str(EXAMPLES), "--to", "html", "--out", str(tmp_path))
    browser_page.emulate_media(media="print")
    for path in sorted(tmp_path.rglob("*.html")):
        wide = "A4 landscape" in path.read_text(encoding="utf-8")
        width_mm = (297 if wide else 210) - 40
        browser_page.set_viewport_size({"width": round(width_mm / 25.4 * 96), "height": 1000})
        browser_page.goto(path.as_uri())
        browser_page.evaluate("document.fonts.ready.then(() => true)")  # not a fallback's width
        assert browser_page.evaluate(OVERFLOWING) == [], path.relative_to(tmp_path)


@needs_browser
def test_pdf_nothing_beyond_the_right_margin(print_case: tuple[Path, Path]) -> None:
    _, pdf = print_case
    for document in ("action.pdf", "action/P01.pdf", "plan.pdf"):
        words = run("pdftotext", "-bbox", str(pdf / document), "-")
        right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', words))
        assert right <= A4[0] - RIGHT_MARGIN_PT + 1, (document, right)
    # and the URL wrapped at full size rather than the page shrunk to fit it
    text = run("pdftotext", str(pdf / "action.pdf"), "-")
    assert "statistics_" in text
    assert "2568.xlsx" in text


@needs_browser
def test_pdf_headings_never_end_a_page(print_case: tuple[Path, Path]) -> None:
    _, pdf = print_case
    pages = page_texts(pdf / "action.pdf")
    assert len(pages) > 8
    for n, text in enumerate(pages, 1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        last = [line for line in lines if not line.startswith("หน้า ")][-1]
        assert not last.startswith(("กลยุทธ์:", "ประเด็นยุทธศาสตร์")), f"page {n}: {last}"


@needs_browser
def test_pdf_thai_lines_break_between_words(
    print_case: tuple[Path, Path], browser_page: Any
) -> None:
    """Every line break inside a description falls on a word boundary of ICU's Thai
    dictionary (Intl.Segmenter) in the source text, never inside a word."""
    _, pdf = print_case
    source = description_of(2)
    lines = [
        line.strip() for line in run("pdftotext", str(pdf / "action/P02.pdf"), "-").splitlines()
    ]
    start = next(i for i, line in enumerate(lines) if line and source.startswith(line))
    at, breaks = 0, []
    for line in lines[start:]:
        if at >= len(source):
            break
        at += source[at:].startswith(" ")  # a line broken at a space loses the space
        assert source.startswith(line, at), f"{line!r} is not the description at {at}"
        at += len(line)
        breaks.append(at)
    assert len(breaks) > 4
    boundaries = set(
        browser_page.evaluate(
            "t => [...new Intl.Segmenter('th', {granularity: 'word'}).segment(t)].map(s => s.index)",
            source,
        )
    )
    for at in breaks[:-1]:
        assert at in boundaries, (
            f"line broken inside a word: …{source[at - 10 : at]}|{source[at : at + 10]}…"
        )


# --- Word -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docx")
    render(str(EXAMPLES), "--to", "docx", "--out", str(out))
    return out


def _page(document: Any) -> tuple[Any, Any]:
    """The first section's page width and height (always set in provplan's documents)."""
    section = document.sections[0]
    assert section.page_width is not None
    assert section.page_height is not None
    return section.page_width, section.page_height


def test_docx_every_document_opens_a4_thai_fonts(docx_out: Path) -> None:
    documents = sorted(docx_out.rglob("*.docx"))
    assert len(documents) == 59
    assert not list(docx_out.rglob("*.html"))
    for path in documents:
        document = Document(str(path))
        width, height = _page(document)
        size = sorted([round(width.mm), round(height.mm)])
        assert size == [210, 297], path
        fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:cs")) == "TH Sarabun New"  # the slot Word draws Thai with
        assert fonts.get(qn("w:ascii")) == "TH Sarabun New"
        size_cs = document.styles["Normal"].element.rPr.find(qn("w:szCs"))
        assert size_cs.get(qn("w:val")) == "32"  # 16 pt
        footer = document.sections[0].footer._element.xml
        assert 'w:instr="PAGE' in footer


def test_docx_same_input_same_bytes(docx_out: Path, tmp_path: Path) -> None:
    render(str(EXAMPLES), "--to", "docx", "--out", str(tmp_path))
    for path in docx_out.rglob("*.docx"):
        assert path.read_bytes() == (tmp_path / path.relative_to(docx_out)).read_bytes(), path
    title = Document(str(docx_out / "linkage-northeast-upper-2-2568.docx")).core_properties.title
    assert title.startswith("การแบ่งบทบาทโครงการพัฒนาเชื่อมโยง")


def test_docx_real_tables_and_landscape_forms(docx_out: Path) -> None:
    plan = Document(str(docx_out / "clusters/northeast-upper-2/action-plan-2568.docx"))
    projects = [t for t in plan.tables if len(t.columns) == 5]
    assert projects
    assert "โครงการพัฒนาเขตปลอดอากร" in projects[0].rows[2].cells[1].text
    assert projects[0].rows[2].cells[4].text == "8,500,000"
    header = projects[0].rows[0]._tr.trPr
    assert header is not None
    assert header.find(qn("w:tblHeader")) is not None
    width, height = _page(Document(str(docx_out / "clusters/northeast-upper-2/plan-summary.docx")))
    assert width > height
    width, height = _page(Document(str(docx_out / "linkage-northeast-upper-2-2568.docx")))
    assert width > height


def test_docx_thai_digits_page_numbers(tmp_path: Path) -> None:
    render(
        str(EXAMPLES),
        *("--to", "docx", "--thai-digits", "--out", str(tmp_path)),
        *("--linkage", "northeast-upper-2", "--fiscal-year", "2568"),
    )
    document = Document(str(tmp_path / "linkage-northeast-upper-2-2568.docx"))
    numbering = document.sections[0]._sectPr.find(qn("w:pgNumType"))
    assert numbering is not None
    assert numbering.get(qn("w:fmt")) == "thaiNumbers"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "พ.ศ. ๒๕๖๘" in text


def test_docx_template_override_by_file_name(tmp_path: Path) -> None:
    repo = write_print_case(tmp_path / "repo")
    templates = repo / "templates"
    templates.mkdir()
    office = Document()
    office.sections[0].header.paragraphs[0].text = "สำนักงานจังหวัดมุกดาหาร (หัวกระดาษ)"
    office.add_paragraph("ข้อความตัวอย่างของแม่แบบ")
    office.save(str(templates / "action-plan.docx"))
    render(str(repo), "--to", "docx", "--out", str(tmp_path / "out"))
    plan = Document(str(tmp_path / "out/action.docx"))
    assert plan.sections[0].header.paragraphs[0].text == "สำนักงานจังหวัดมุกดาหาร (หัวกระดาษ)"
    body = "\n".join(p.text for p in plan.paragraphs)
    assert "ข้อความตัวอย่างของแม่แบบ" not in body
    assert "แผนปฏิบัติราชการประจำปีงบประมาณ" in body
    brief = Document(str(tmp_path / "out/action/P01.docx"))  # no project.docx: provplan's own
    assert brief.sections[0].header.paragraphs[0].text == ""


def test_docx_plan_text_stays_text(tmp_path: Path) -> None:
    repo = write_print_case(tmp_path / "repo")
    action = repo / "action.yaml"
    hostile = "<script>alert(1)</script> &amp; <b>ตัวหนา</b> =1+1"
    action.write_text(
        action.read_text().replace(
            "title: โครงการพัฒนาการค้าชายแดนลำดับที่ 1\n", f"title: '{hostile}'\n"
        )
    )
    render(str(repo), "--to", "docx", "--out", str(tmp_path / "out"))
    brief = Document(str(tmp_path / "out/action/P01.docx"))
    cells = [c.text for t in brief.tables for row in t.rows for c in row.cells]
    assert any(hostile in text for text in cells)


def test_docx_broken_template_is_a_message(tmp_path: Path) -> None:
    repo = write_print_case(tmp_path / "repo")
    (repo / "templates").mkdir()
    (repo / "templates" / "base.docx").write_text("not a zip")
    result = runner.invoke(app, ["render", str(repo), "--to", "docx", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "base.docx: not a Word (.docx) file that opens" in result.stderr
    assert not (tmp_path / "o").exists()


@needs_libreoffice
def test_docx_converts_with_libreoffice_thai_intact(docx_out: Path, tmp_path: Path) -> None:
    sources = [
        docx_out / "clusters/northeast-upper-2/action-plan-2568.docx",
        docx_out / "clusters/northeast-upper-2/action-plan-2568/C01.docx",
    ]
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = _letters(run("pdftotext", str(tmp_path / "action-plan-2568.pdf"), "-"))
    assert _letters("งบประมาณรวมทั้งสิ้น") in text
    assert _letters("แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2568") in text
    assert _letters("เขตปลอดอากร") in text
    brief = _letters(run("pdftotext", str(tmp_path / "C01.pdf"), "-"))
    assert _letters("แบบฟอร์มรายละเอียดโครงการ (แบบ จ.1-1)") in brief
    keep_pages(tmp_path / "action-plan-2568.pdf", "docx-action-plan", pages=2)
    keep_pages(tmp_path / "C01.pdf", "docx-C01", pages=1)


def _letters(text: str) -> str:
    """Text without white space and Thai vowel and tone marks: pdftotext reorders the marks
    and puts spaces inside words of LibreOffice's stand-in for TH Sarabun New (where that
    font is not installed); the letters themselves must all be there, in order."""
    return re.sub(r"[\s\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]", "", text)
