"""Word: the HTML documents rewritten as .docx files an officer can open and edit.

The documents come from the same templates as HTML and PDF (one source of wording, and a
plan repository's HTML overrides apply here too); the writer maps their few elements
(headings, paragraphs, lists, tables, bold and italic) onto python-docx paragraphs and real
Word tables. The page setup and styles come from a Word file: `<document>.docx` or
`base.docx` in the template folders when an office provides one, else provplan's own (A4,
TH Sarabun New 16 pt in the complex-script slots Word uses for Thai, page numbers).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.shared import Emu, Mm

from provplan import parallel
from provplan.output import Staging
from provplan.word.ooxml import Style
from provplan.word.page import WordError, landscape, page_numbers, starting_document
from provplan.word.tree import Node, find, kind_of, parse
from provplan.word.writer import Writer

__all__ = ["WordError", "convert", "to_word"]
WIDE = ("summary", "linkage")  # forms printed landscape
SKIP = {"head", "style", "script", "title", "colgroup"}


def convert(html: str, overrides: Sequence[Path], *, thai_digits: bool) -> DocxDocument:
    """One rendered HTML document as a Word document."""
    tree = parse(html)
    kind = kind_of(tree)
    document, builtin = starting_document(kind, overrides)
    if builtin:
        if kind in WIDE:
            landscape(document)
        page_numbers(document, thai_digits=thai_digits)
    section = document.sections[0]
    width = Emu(
        (section.page_width or Mm(210)) - (section.left_margin or 0) - (section.right_margin or 0)
    )
    title = find(tree, "title")
    document.core_properties.title = (
        " ".join("".join(map(str, title.children)).split()) if title else ""
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
    for _ in parallel.pmap(_convert_one, documents, shared, size=size, jobs=jobs):
        pass
    staging.files = [f.with_suffix(".docx") for f in documents]


def _convert_one(shared: tuple[Path, tuple[Path, ...], bool], relative: Path) -> None:
    folder, overrides, thai_digits = shared
    html = (folder / relative).read_text(encoding="utf-8")
    document = convert(html, overrides, thai_digits=thai_digits)
    (folder / relative.with_suffix(".docx")).write_bytes(reproducible(document))


def reproducible(document: DocxDocument) -> bytes:
    """The .docx bytes with fixed zip dates: the same input gives the same file."""
    saved = io.BytesIO()
    document.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            target.writestr(fixed, source.read(item), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
