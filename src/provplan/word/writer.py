"""The rendered HTML written into a Word document: headings, paragraphs, lists, and tables as
real Word tables (column widths from the colgroup, merged cells, repeated header rows)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Emu
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from provplan.thai import thai_digits as to_thai_digits
from provplan.word.ooxml import Style, add_text, flag, shade
from provplan.word.page import HEADINGS
from provplan.word.tree import Node

TABLE_PT, SMALL_PT = 14, 12
DENSE = {"summary", "indicators"}  # tables of many figures: set smaller, as in print
BLOCK = {"p", "h1", "h2", "h3", "table", "ul", "ol", "div", "header", "section", "li"}


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
                flag(table.rows[r]._tr.get_or_add_trPr(), "w:tblHeader")  # repeated per page
            flag(table.rows[r]._tr.get_or_add_trPr(), "w:cantSplit")
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
                    shade(cell, "EEEEEE")
                if "num" in cell_node.classes():  # a figure never breaks over two lines
                    flag(cell._tc.get_or_add_tcPr(), "w:noWrap")
                self.blocks(cell, cell_node.children, Style(is_th or strong, False, size))
                _align(cell, cell_node, is_th and "form" not in node.classes())
                if "strategy" in row.classes():  # a strategy's heading stays with its projects
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        if not isinstance(container, _Cell):  # Word joins tables that touch into one
            container.add_paragraph()


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
