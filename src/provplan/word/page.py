"""The Word file each document starts from: an office's template, or provplan's own set-up
(A4, TH Sarabun New 16 pt in every font slot, page numbers)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from provplan.i18n import msg
from provplan.word.ooxml import Style, add_field, add_text, flag, set_fonts

BODY_PT = 16
HEADINGS = {"h1": ("Title", 22), "h2": ("Heading 1", 20), "h3": ("Heading 2", 18)}


class WordError(Exception):
    """An office's Word template that cannot be used: a message for the user."""


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
                    raise WordError(
                        msg(
                            "{path}: not a Word (.docx) file that opens: {problem}",
                            path=path,
                            problem=err,
                        )
                    ) from None
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
    set_fonts(normal.element.get_or_add_rPr(), BODY_PT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "th-TH")
    lang.set(qn("w:bidi"), "th-TH")
    normal.element.get_or_add_rPr().append(lang)
    normal.paragraph_format.space_after = Pt(0)
    for name, size in HEADINGS.values():
        heading = styles[name]
        set_fonts(heading.element.get_or_add_rPr(), size)
        flag(heading.element.get_or_add_rPr(), "w:b", "w:bCs")
        heading.font.color.rgb = None
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.space_before = Pt(6)
        heading.paragraph_format.space_after = Pt(3)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return document


def page_numbers(document: DocxDocument, *, thai_digits: bool) -> None:
    """หน้า N / M in the footer, as PAGE and NUMPAGES fields (Thai digits: w:pgNumType)."""
    section = document.sections[0]
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(paragraph, "หน้า ", Style(size=14))
    add_field(paragraph, "PAGE" + (r" \* THAIARABIC" if thai_digits else ""))
    add_text(paragraph, " / ", Style(size=14))
    add_field(paragraph, "NUMPAGES" + (r" \* THAIARABIC" if thai_digits else ""))
    if thai_digits:
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:fmt"), "thaiNumbers")
        section._sectPr.append(numbering)


def landscape(document: DocxDocument) -> None:
    section = document.sections[0]
    if section.orientation != WD_ORIENT.LANDSCAPE:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
