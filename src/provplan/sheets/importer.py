"""`provplan import`: a filled workbook (an action plan's or a progress report's) → merged
YAML text, checked, findings at their cells.

Pure of writing: the command writes `ImportResult.text` only when there is no error, so a
failed import leaves the YAML byte-identical.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provplan.diagnostics import Severity
from provplan.i18n import Message, msg
from provplan.load import Loaded, read
from provplan.repository import open_repository
from provplan.sheets.check import check_text, place
from provplan.sheets.findings import Finding, at
from provplan.sheets.ingest import Workbook, read_workbook
from provplan.sheets.merge import Merged, keeps_layout, merge
from provplan.years import CE_YEARS, year_problem


@dataclass
class ImportResult:
    workbook: Workbook
    target: Path
    original: str | None  # the YAML text before (None: a new file)
    merged: Merged | None = None
    findings: list[Finding] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def text(self) -> str | None:
        """The text to write, when the import is clean."""
        return None if self.errors or self.merged is None else self.merged.text


def import_workbook(
    workbook: Path,
    target: Path,
    *,
    new: bool,
    delete_missing: bool = False,
    settings: Path | None = None,
    cache_dir: Path | None = None,
) -> ImportResult:
    """Read `workbook`, merge it into `target` (or a new document there, of the workbook's
    kind) and check it."""
    book = read_workbook(workbook)
    result = ImportResult(book, target, None)
    result.findings += book.findings
    if any(f.code in ("PP701", "PP702") for f in book.findings):
        return result
    layout = book.layout
    registry = open_repository([target], settings).registry
    original: Loaded | None = None
    if new:
        source, plain = _new_document(book), {}
    else:
        original = read(target)
        if original.data is None or not isinstance(original.data, dict):
            result.findings += original.diagnostics or [
                original.report(0, "PP007", msg("not {document}", document=layout.article))
            ]
            return result
        result.original, source, plain = original.source, original.source, original.data
        result.findings += _same_plan(book, plain, registry)
    _check_ids(book, result)
    if any(f.code in ("PP704", "PP101", "PP201") for f in result.findings):
        return result  # the wrong document, or rows that cannot be matched: no merge to check
    # cells that could not be read are left empty in the merge (their findings are already
    # there), so the checks still report every other cell in the same run
    activities = book.activities if book.activity_columns is not None else None
    merged = merge(
        source,
        plain,
        list(book.lists.values()),
        activities=activities,
        # a new document has them already
        info={} if new else {c: book.info.get(c.path) for c in layout.merged_info},
        delete_missing=delete_missing,
    )
    result.merged = merged
    if original is not None and merged.text != source and not keeps_layout(source):
        result.notes.append(
            msg(
                "{path} is not in the layout of `provplan fmt`, so the import also re-indented "
                "parts it did not change; run `provplan fmt` on it first for a change of only "
                "the imported cells",
                path=target,
            )
        )
    loaded, diagnostics = check_text(target, merged.text, settings, cache_dir)
    result.findings += place(diagnostics, loaded, merged, book, original)
    return result


def _new_document(book: Workbook) -> str:
    """A document of the workbook's kind with its own values and no items, written by the
    YAML emitter (cell text is data)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from provplan.fmt import round_trip

    document = CommentedMap(provplan=1, kind=book.layout.kind)
    for column in book.layout.info:
        if column.path not in document:
            document[column.path] = book.info.get(column.path)
    document["projects"] = CommentedSeq()
    buffer = io.StringIO()
    round_trip().dump(document, buffer)
    return buffer.getvalue()


def _same_plan(book: Workbook, plain: dict[str, Any], registry: Any) -> list[Finding]:
    """PP704: the workbook was exported from this document (its kind, owner, fiscal year and,
    for a report, quarter)."""
    found: list[Finding] = []
    reported = {f.cell for f in book.findings}
    for key in book.layout.identity:
        mine, theirs = book.info.get(key), plain.get(key)
        if key == "owner" and isinstance(mine, str) and isinstance(theirs, str):
            mine, theirs = registry.owner_id(mine), registry.owner_id(theirs)
        if mine == theirs or key not in book.info_cells or book.info_cells[key] in reported:
            continue
        if key == "kind":
            message = msg(
                "the workbook's `kind` is `{mine}` but the YAML's is `{theirs}`: import it into "
                "{document}",
                mine=mine,
                theirs=theirs,
                document=book.layout.article,
            )
            return [at(book.path, book.info_cells[key], "PP704", message)]
        another = book.layout.noun
        if mine is None:
            message = msg(
                "the workbook's {key!k} is empty but the YAML's is `{theirs}`: it was exported "
                "from another {document}",
                key=key,
                theirs=theirs,
                document=another,
            )
        elif key == "fiscal_year" and isinstance(mine, int) and mine in CE_YEARS:
            message = msg(
                "the workbook's {key!k} is `{mine}` but the YAML's is `{theirs}`: it was "
                "exported from another {document}; {problem}",
                key=key,
                mine=mine,
                theirs=theirs,
                document=another,
                problem=year_problem(mine),
            )
        else:
            message = msg(
                "the workbook's {key!k} is `{mine}` but the YAML's is `{theirs}`: it was "
                "exported from another {document}",
                key=key,
                mine=mine,
                theirs=theirs,
                document=another,
            )
        found.append(at(book.path, book.info_cells[key], "PP704", message))
    return found


def _check_ids(book: Workbook, result: ImportResult) -> None:
    """Every row has an id, and no id is on two rows of a sheet (the merge matches items by
    id)."""
    for listed in book.lists.values():
        table = listed.table
        first: dict[str, int] = {}
        for row in listed.rows:
            pid = row.values.get(table.key)
            cell = listed.cell(table.key, row)
            if pid is None:
                message = msg(
                    "this row has no {key!k}; {advice}", key=table.key, advice=table.no_key
                )
                result.findings.append(at(book.path, cell, "PP101", message))
            elif pid in first:
                message = msg(
                    "id `{id}` is already on row {row}; {advice}",
                    id=pid,
                    row=first[pid],
                    advice=table.twice,
                )
                result.findings.append(at(book.path, cell, "PP201", message))
            else:
                first[pid] = row.number
        if table.listed == "projects":
            for pid, rows in book.activities.items():
                if pid not in first:
                    message = msg(
                        "an activity of project `{id}`, which has no row in sheet `{sheet}`",
                        id=pid,
                        sheet=table.sheet,
                    )
                    result.findings.append(
                        at(book.path, rows[0].cells["project"], "PP702", message)
                    )
