"""Word: the HTML documents rewritten as .docx files an officer can open and edit.

The documents come from the same templates as HTML and PDF (one source of wording, and a
plan repository's HTML overrides apply here too); this module maps their few elements
(headings, paragraphs, lists, tables, bold and italic) onto python-docx paragraphs and real
Word tables. The page setup and styles come from a Word file: `<document>.docx` or
`base.docx` in the template folders when an office provides one, else provplan's own (A4,
TH Sarabun New 16 pt in the complex-script slots Word uses for Thai, page numbers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from provplan import parallel
from provplan.output import Staging
from provplan.thai import thai_digits as to_thai_digits

FONT = "TH Sarabun New"
BODY_PT, TABLE_PT, SMALL_PT = 16, 14, 12
WIDE = ("summary", "linkage")  # forms printed landscape
DENSE = {"summary", "indicators"}  # tables of many figures: set smaller, as in print
VOID = {"br", "meta", "col", "hr", "img", "input", "link", "wbr"}
SKIP = {"head", "style", "script", "title", "colgroup"}
BLOCK = {"p", "h1", "h2", "h3", "table", "ul", "ol", "div", "header", "section", "li"}
HEADINGS = {"h1": ("Title", 22), "h2": ("Heading 1", 20), "h3": ("Heading 2", 18)}


class WordError(Exception):
    """An office's Word template that cannot be used: a message for the user."""


# --- a small tree of the HTML ---------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def elements(self, *tags: str) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and c.tag in tags]

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):  # tolerate unclosed inner elements
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def find(node: Node, tag: str) -> Node | None:
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                return child
            found = find(child, tag)
            if found:
                return found
    return None


def kind_of(tree: Node) -> str:
    """The template a document came from (`<meta name="provplan-document">`)."""
    head = find(tree, "head") or tree
    for meta in head.elements("meta"):
        if meta.attrs.get("name") == "provplan-document":
            return meta.attrs.get("content", "")
    return ""


# --- run and paragraph formatting -----------------------------------------------------------


def _fonts(rpr: Any, size: float | None = None) -> None:
    """TH Sarabun New in every font slot, the complex-script one (w:cs) included: Word draws
    Thai with that one, python-docx alone sets only the Latin slot."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                rpr.append(element)
            element.set(qn("w:val"), str(int(size * 2)))


def _flag(rpr: Any, *tags: str) -> None:
    for tag in tags:
        if rpr.find(qn(tag)) is None:
            rpr.append(OxmlElement(tag))


@dataclass(frozen=True)
class Style:
    bold: bool = False
    italic: bool = False
    size: float | None = None


def add_text(paragraph: Paragraph, text: str, style: Style) -> None:
    if not text:
        return
    run = paragraph.add_run(text)
    rpr = run._r.get_or_add_rPr()
    if style.bold:
        _flag(rpr, "w:b", "w:bCs")  # bold for Thai is w:bCs
    if style.italic:
        _flag(rpr, "w:i", "w:iCs")
    if style.size:
        _fonts(rpr, style.size)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


# --- the converter --------------------------------------------------------------------------


class Writer:
    """Writes a parsed HTML body into a Word document."""

    def __init__(self, document: DocxDocument, *, thai_digits: bool, width: Emu) -> None:
        self.document = document
        self.thai_digits = thai_digits
        self.width = width  # of the text area, for table column widths
        self.sections = 0
        self.new_page = False
        self._styles: dict[str, Any] = {}

    def blocks(self, container: Any, nodes: Sequence[Node | str], style: Style) -> None:
        """Block content into a document or a table cell; loose inline content is gathered
        into paragraphs."""
        current: Paragraph | None = None
        for node in nodes:
            if isinstance(node, str) or node.tag not in BLOCK:
                if isinstance(node, str) and not node.strip() and current is None:
                    continue
                if current is None:
                    current = self.paragraph(container)
                self.inline(current, node, style)
                continue
            current = None
            self.block(container, node, style)

    def paragraph(self, container: Any, style_name: str | None = None) -> Paragraph:
        """A new paragraph; a new cell's empty first paragraph is used first."""
        if isinstance(container, _Cell):
            first: Paragraph = container.paragraphs[0]
            if len(container.paragraphs) == 1 and not first.text and not first.runs:
                if style_name and self.style(style_name) is not None:
                    first.style = self.style(style_name)
                return first
        paragraph: Paragraph = container.add_paragraph(style=style_name and self.style(style_name))
        return paragraph

    def style(self, name: str) -> Any:
        """A style by name, looked up once per document (python-docx searches every time);
        None (the default style) when an office's template lacks it."""
        if name not in self._styles:
            found = [s for s in self.document.styles if s.name == name]
            self._styles[name] = found[0] if found else None
        return self._styles[name]

    def block(self, container: Any, node: Node, style: Style) -> None:
        if node.tag in HEADINGS:
            paragraph = self.paragraph(container, HEADINGS[node.tag][0])
            self.inline_children(paragraph, node, style)
            if node.tag == "h2" and self.new_page:
                paragraph.paragraph_format.page_break_before = True
                self.new_page = False
        elif node.tag == "p":
            paragraph = self.paragraph(container)
            if "subtitle" in node.classes():
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.inline_children(paragraph, node, style)
        elif node.tag in ("ul", "ol"):
            self.listing(container, node, style)
        elif node.tag == "table":
            self.table(container, node, style)
        else:  # div, header, section, stray li: their content
            if node.tag == "section" and "issue" in node.classes():
                # a strategic issue starts a page, as in print (but not the first)
                self.sections += 1
                self.new_page = self.sections > 1
            self.blocks(container, node.children, style)

    def inline_children(self, paragraph: Paragraph, node: Node, style: Style) -> None:
        for child in node.children:
            self.inline(paragraph, child, style)
        _trim(paragraph)

    def inline(self, paragraph: Paragraph, node: Node | str, style: Style) -> None:
        if isinstance(node, str):
            add_text(paragraph, re.sub(r"\s+", " ", node), style)
            return
        if node.tag == "br":
            paragraph.add_run().add_break(WD_BREAK.LINE)
            return
        classes = node.classes()
        if node.tag in ("strong", "b") or "request" in classes:
            style = Style(True, style.italic, style.size)
        if node.tag in ("em", "i") or "words" in classes:
            style = Style(style.bold, True, style.size)
        if "channel" in classes:
            style = Style(style.bold, style.italic, SMALL_PT)
        for child in node.children:
            self.inline(paragraph, child, style)

    def listing(self, container: Any, node: Node, style: Style) -> None:
        """Lists as paragraphs with a hanging marker (Word numbering restarts are not
        portable across Word and LibreOffice)."""
        for n, item in enumerate(node.elements("li"), 1):
            marker = f"{n}." if node.tag == "ol" else "•"
            if self.thai_digits:
                marker = to_thai_digits(marker)
            paragraph = self.paragraph(container)
            paragraph.paragraph_format.left_indent = Cm(0.75)
            paragraph.paragraph_format.first_line_indent = Cm(-0.75)
            add_text(paragraph, f"{marker}\t", style)
            for child in item.children:
                if isinstance(child, Node) and child.tag in BLOCK:
                    self.block(container, child, style)
                else:
                    self.inline(paragraph, child, style)
            _trim(paragraph, keep_marker=True)

    def table(self, container: Any, node: Node, style: Style) -> None:
        rows = [
            (row, group.tag == "thead")
            for group in node.elements("thead", "tbody", "tfoot")
            for row in group.elements("tr")
        ] + [(row, False) for row in node.elements("tr")]
        grid = _layout([r for r, _ in rows])
        columns = max((len(line) for line in grid), default=0)
        if not columns:
            return
        empty = _empty_cell(container)
        table: Table = container.add_table(rows=len(rows), cols=columns)
        if empty is not None:  # a table first in a cell: no blank line above it
            empty._p.getparent().remove(empty._p)
        table.style = self.style("Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        width = self.width if not isinstance(container, _Cell) else container.width or self.width
        widths = _widths(node, columns, width)
        for i, w in enumerate(widths):
            table.columns[i].width = w
        # the cells once, before any merge (table.cell() walks the whole table each time;
        # merged spans never overlap, so the cells a later merge names are still in place)
        cells = table._cells
        size = SMALL_PT if node.classes() & DENSE else TABLE_PT
        for r, (row, header) in enumerate(rows):
            strong = bool(row.classes() & {"strategy", "subtotal", "total"})
            if header:
                _flag(table.rows[r]._tr.get_or_add_trPr(), "w:tblHeader")  # repeated per page
            _flag(table.rows[r]._tr.get_or_add_trPr(), "w:cantSplit")
            for c, cell_node in enumerate(grid[r]):
                if cell_node is None or cell_node is _TAKEN:
                    continue
                assert isinstance(cell_node, Node)
                span_c, span_r = int(cell_node.attrs["colspan"]), int(cell_node.attrs["rowspan"])
                cell = cells[r * columns + c]
                if span_c > 1 or span_r > 1:
                    cell = cell.merge(cells[(r + span_r - 1) * columns + c + span_c - 1])
                for i in range(c, c + span_c):
                    cells[r * columns + i].width = widths[i]
                is_th = cell_node.tag == "th"
                if is_th:
                    _shade(cell, "EEEEEE")
                if "num" in cell_node.classes():  # a figure never breaks over two lines
                    _flag(cell._tc.get_or_add_tcPr(), "w:noWrap")
                self.blocks(cell, cell_node.children, Style(is_th or strong, False, size))
                _align(cell, cell_node, is_th and "form" not in node.classes())
                if "strategy" in row.classes():  # a strategy's heading stays with its projects
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True


_TAKEN = Node("taken")


def _empty_cell(container: Any) -> Paragraph | None:
    if isinstance(container, _Cell) and len(container.paragraphs) == 1:
        first = container.paragraphs[0]
        return first if not first.runs else None
    return None


def _span(value: str | None, most: int) -> int:
    """A colspan or rowspan as browsers read it: a number from 1 to `most`, else 1."""
    try:
        return max(1, min(int(value or 1), most))
    except ValueError:
        return 1


def _layout(rows: list[Node]) -> list[list[Node | None]]:
    """Each row's cells on the column grid, rowspans and colspans taken into account: a cell
    at its top-left slot, _TAKEN in the slots it covers."""
    grid: list[list[Node | None]] = [[] for _ in rows]

    def put(r: int, c: int, value: Node) -> None:
        line = grid[r]
        line.extend([None] * (c + 1 - len(line)))
        line[c] = value

    for r, row in enumerate(rows):
        c = 0
        for cell in row.elements("td", "th"):
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            span_c = _span(cell.attrs.get("colspan"), 50)
            span_r = _span(cell.attrs.get("rowspan"), len(rows) - r)
            cell.attrs["colspan"], cell.attrs["rowspan"] = str(span_c), str(span_r)
            for dr in range(span_r):
                for dc in range(span_c):
                    put(r + dr, c + dc, cell if (dr, dc) == (0, 0) else _TAKEN)
            c += span_c
    width = max((len(line) for line in grid), default=0)
    for line in grid:
        line.extend([None] * (width - len(line)))
    return grid


def _widths(table: Node, columns: int, total: Emu) -> list[Emu]:
    """Column widths from the table's <colgroup> percentages, else equal."""
    shares: list[float] = []
    group = next(iter(table.elements("colgroup")), None)
    for col in group.elements("col") if group else []:
        found = re.search(r"width:\s*([\d.]+)%", col.attrs.get("style", ""))
        shares.append(float(found[1]) if found else 0)
    if len(shares) != columns or not all(shares):
        shares = [100 / columns] * columns
    scale = sum(shares)
    return [Emu(int(total * s / scale)) for s in shares]


def _align(cell: _Cell, node: Node, header: bool) -> None:
    if header:
        alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif "num" in node.classes():
        alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        return
    for paragraph in cell.paragraphs:
        paragraph.alignment = alignment


def _trim(paragraph: Paragraph, *, keep_marker: bool = False) -> None:
    """No spaces at a paragraph's ends (HTML collapses them; Word would show them)."""
    runs = paragraph.runs
    text_runs = [r for r in runs[1 if keep_marker else 0 :] if r.text]
    if text_runs:
        text_runs[0].text = text_runs[0].text.lstrip()
        text_runs[-1].text = text_runs[-1].text.rstrip()


# --- the Word file each document starts from ------------------------------------------------


def starting_document(kind: str, overrides: Sequence[Path]) -> tuple[DocxDocument, bool]:
    """An office's `<kind>.docx` or `base.docx` (first found in the template folders), else
    provplan's own set-up; the flag says whether provplan's own was used."""
    for folder in overrides:
        for name in (f"{kind}.docx", "base.docx"):
            path = folder / name
            if path.is_file():
                try:
                    document = Document(str(path))
                except Exception as err:  # python-docx raises zip, XML and package errors
                    raise WordError(f"{path}: not a Word (.docx) file that opens: {err}") from None
                _clear_body(document)
                return document, False
    return _builtin(), True


def _clear_body(document: DocxDocument) -> None:
    """Keep a template's styles, headers, footers and page set-up; drop its sample text."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _builtin() -> DocxDocument:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
    styles = document.styles
    normal = styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), BODY_PT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "th-TH")
    lang.set(qn("w:bidi"), "th-TH")
    normal.element.get_or_add_rPr().append(lang)
    normal.paragraph_format.space_after = Pt(0)
    for name, size in HEADINGS.values():
        heading = styles[name]
        _fonts(heading.element.get_or_add_rPr(), size)
        _flag(heading.element.get_or_add_rPr(), "w:b", "w:bCs")
        heading.font.color.rgb = None
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.space_before = Pt(6)
        heading.paragraph_format.space_after = Pt(3)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return document


def _page_numbers(document: DocxDocument, *, thai_digits: bool) -> None:
    """หน้า N / M in the footer, as PAGE and NUMPAGES fields (Thai digits: w:pgNumType)."""
    section = document.sections[0]
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(paragraph, "หน้า ", Style(size=14))
    _field(paragraph, "PAGE" + (r" \* THAIARABIC" if thai_digits else ""))
    add_text(paragraph, " / ", Style(size=14))
    _field(paragraph, "NUMPAGES" + (r" \* THAIARABIC" if thai_digits else ""))
    if thai_digits:
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:fmt"), "thaiNumbers")
        section._sectPr.append(numbering)


def _field(paragraph: Paragraph, instruction: str) -> None:
    field_element = OxmlElement("w:fldSimple")
    field_element.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    _fonts(rpr, 14)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field_element.append(run)
    paragraph._p.append(field_element)


def _landscape(document: DocxDocument) -> None:
    section = document.sections[0]
    if section.orientation != WD_ORIENT.LANDSCAPE:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width


def convert(html: str, overrides: Sequence[Path], *, thai_digits: bool) -> DocxDocument:
    """One rendered HTML document as a Word document."""
    tree = parse(html)
    kind = kind_of(tree)
    document, builtin = starting_document(kind, overrides)
    if builtin:
        if kind in WIDE:
            _landscape(document)
        _page_numbers(document, thai_digits=thai_digits)
    section = document.sections[0]
    width = Emu(
        (section.page_width or Mm(210)) - (section.left_margin or 0) - (section.right_margin or 0)
    )
    writer = Writer(document, thai_digits=thai_digits, width=width)
    body = find(tree, "body") or tree
    writer.blocks(document, [c for c in body.children if not _skipped(c)], Style())
    return document


def _skipped(node: Node | str) -> bool:
    return isinstance(node, Node) and node.tag in SKIP


def to_word(
    staging: Staging, overrides: Sequence[Path], *, thai_digits: bool, jobs: int | None = None
) -> None:
    """Replace every HTML document of a staged run by its Word file, on all cores."""
    documents = [f for f in staging.files if f.suffix == ".html"]
    shared = (staging.folder, tuple(overrides), thai_digits)
    # a document takes about as long as reading 100 KB of plans: workers from ~40 documents
    size = len(documents) * 100_000
    for _ in parallel.pmap(_convert_one, documents, size=size, jobs=jobs, shared=shared):
        pass
    staging.files = [f.with_suffix(".docx") for f in documents]


def _convert_one(relative: Path) -> None:
    folder, overrides, thai_digits = parallel.context()
    html = (folder / relative).read_text(encoding="utf-8")
    document = convert(html, overrides, thai_digits=thai_digits)
    document.save(str(folder / relative.with_suffix(".docx")))
