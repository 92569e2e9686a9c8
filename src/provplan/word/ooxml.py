"""Word XML python-docx has no API for: Thai font slots, complex-script bold and size,
flags such as repeated header rows, cell shading and fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell
from docx.text.paragraph import Paragraph

FONT = "TH Sarabun New"


def set_fonts(rpr: Any, size: float | None = None) -> None:
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


def flag(rpr: Any, *tags: str) -> None:
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
        flag(rpr, "w:b", "w:bCs")  # bold for Thai is w:bCs
    if style.italic:
        flag(rpr, "w:i", "w:iCs")
    if style.size:
        set_fonts(rpr, style.size)


def shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def add_field(paragraph: Paragraph, instruction: str) -> None:
    field_element = OxmlElement("w:fldSimple")
    field_element.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    set_fonts(rpr, 14)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field_element.append(run)
    paragraph._p.append(field_element)
