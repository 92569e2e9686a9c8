"""Checking merged YAML text before it is written, as `provplan validate` would check the
file, and placing each finding back at the workbook cell it came from.

The text is checked in memory together with the other plan files of its repository (the
development plan it refers to, the action plan a report reports on, the report of the quarter
before), so nothing is written until it is clean. A finding's line and column in the merged
text tell which item of which list (a project, an indicator result) and which field it
concerns; the item's row and the field's column give the cell. A finding in the document's
own values is at its cell of the info sheet.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from provplan.diagnostics import Diagnostic
from provplan.files import discover
from provplan.load import Loaded, parse
from provplan.planset import PlanSet
from provplan.repository import Repository, open_repository
from provplan.sheets.columns import ACTIVITIES_SHEET, INFO_SHEET
from provplan.sheets.findings import Cell, CellFinding, Finding, at
from provplan.sheets.ingest import Listed, Row, Workbook
from provplan.sheets.merge import Merged
from provplan.validate import apply_settings, check_files, cross_file
from provplan.validate.cache import Cache
from provplan.validate.file import check_loaded


def plan_root(target: Path, repository: Repository) -> Path:
    """Where the plan files checked with `target` live: the folder of `provplan.yaml`, else
    the git work tree holding `target`, else its folder."""
    if repository.root is not None:
        return repository.root
    folder = target.resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def check_text(
    target: Path, text: str, settings: Path | None, cache_dir: Path | None = None
) -> tuple[Loaded, list[Diagnostic]]:
    """Check `text` as the content of `target` among its repository's other plan files; the
    findings in `target` only (others' files are theirs to fix)."""
    cache = Cache(cache_dir) if cache_dir else None
    repository = cache.repository([target], settings) if cache else None
    repository = repository or open_repository([target], settings)
    if cache:
        cache.save_repository(repository)
    registry = repository.registry
    candidates, _ = discover([plan_root(target, repository)])
    me = target.resolve()
    others = [c for c in candidates if c.path.resolve() != me]
    results = check_files(others, registry, cache=cache)
    loaded = parse(target, text)
    mine = check_loaded(loaded, registry, explicit=True)
    outlines = [r.outline for r in results if r.outline]
    if mine.outline is not None:
        outlines.append(mine.outline)
    plans = PlanSet(outlines, registry)
    found = list(mine.diagnostics)
    for f in cross_file(plans, cache):
        if f.path.resolve() == me:
            found.append(loaded.report(loaded.locate(f.loc, key=f.key), f.code, f.message))
    return loaded, apply_settings(found, repository)


def place(
    diagnostics: Sequence[Diagnostic],
    loaded: Loaded,
    merged: Merged,
    book: Workbook,
    original: Loaded | None,
) -> list[Finding]:
    """Each finding at its cell, or, for what no cell holds (an item the workbook left out),
    at its line in the original YAML."""
    data = loaded.data if isinstance(loaded.data, dict) else {}
    # where each top-level key, and each item of the lists of the workbook's kind, begins
    segments: list[tuple[int, str, int]] = [
        (loaded.locate([k], key=True), str(k), -1) for k in data
    ]
    for table in book.layout.tables:
        name = table.listed
        items = data.get(name)
        for k in range(len(items) if isinstance(items, list) else 0):
            segments.append((loaded.locate([name, k]), name, k))
    segments.sort()
    starts = [s[0] for s in segments]
    markers: dict[tuple[str, int], tuple[list[int], list[Cell]]] = {}
    taken = {(f.cell.sheet, f.cell.row, f.cell.column) for f in book.findings}
    placed: list[Finding] = []
    for d in diagnostics:
        pos = loaded.starts[d.line - 1] + d.column - 1
        i = bisect.bisect_right(starts, pos) - 1
        name, k = (segments[i][1], segments[i][2]) if i >= 0 else ("", -1)
        if k < 0:
            found = _top_level(d, name, book, original)
        elif (row := merged.rows.get(name, {}).get(k)) is None:
            found = _in_original(d, loaded, name, k, original)
        else:
            if (name, k) not in markers:
                markers[name, k] = _markers(loaded, book.lists[name], k, data[name][k], book, row)
            positions, cells = markers[name, k]
            cell = cells[max(bisect.bisect_right(positions, pos) - 1, 0)]
            found = at(book.path, cell, d.code, d.message).with_severity(d.severity)
        if isinstance(found, CellFinding):
            where = (found.cell.sheet, found.cell.row, found.cell.column)
            if where in taken:
                continue  # a cell reported once
        placed.append(found)
    return placed


def _markers(
    loaded: Loaded, listed: Listed, k: int, item: Any, book: Workbook, row: Row
) -> tuple[list[int], list[Cell]]:
    """Positions in item `k` of a list where each field's text begins, with the cell that
    shows it; a field without a column shows at the cell closest to it in meaning."""
    name, key = listed.table.listed, listed.table.key
    found: list[tuple[int, Cell]] = [(loaded.locate([name, k]), listed.cell(key, row))]
    if not isinstance(item, dict):
        return [found[0][0]], [found[0][1]]

    def add(keys: list[Any], path: str | Cell) -> None:
        shown = path if isinstance(path, Cell) else listed.cell(path, row)
        found.append((loaded.locate([name, k, *keys], key=True), shown))
        found.append((loaded.locate([name, k, *keys]), shown))

    known = listed.table.by_path
    budgetish = "budget.amount" if "budget.amount" in known else key
    for field in item:
        add([field], field if field in known else budgetish if field in _BUDGETISH else key)
    budget = item.get("budget")
    if isinstance(budget, dict):
        breakdown = budget.get("breakdown")
        classes = list(breakdown) if isinstance(breakdown, dict) else []
        first = next((f"budget.breakdown.{c}" for c in classes), budgetish)
        for field in budget:
            add(["budget", field], budgetish if field == "amount" else first)
        for c in classes:
            add(["budget", "breakdown", c], f"budget.breakdown.{c}")
    activities = item.get("activities")
    rows = book.activities.get(str(item.get("id")), [])
    if isinstance(activities, list) and book.activity_columns is not None:
        for j, activity in enumerate(activities):
            if j >= len(rows) or not isinstance(activity, dict):
                continue
            columns = book.activity_columns
            start = Cell(ACTIVITIES_SHEET, rows[j].number, columns["project"])
            found.append((loaded.locate([name, k, "activities", j]), start))
            for field in activity:
                shown = Cell(
                    ACTIVITIES_SHEET, rows[j].number, columns.get(field, columns["project"])
                )
                add(["activities", j, field], shown)
    found.sort(key=lambda m: m[0])
    return [m[0] for m in found], [m[1] for m in found]


_BUDGETISH = ("budget", "activities")  # activities must add up to the amount (PP206)


def _top_level(d: Diagnostic, key: str, book: Workbook, original: Loaded | None) -> Finding:
    """A finding in the document's own values: at its cell of the info sheet; in a list as a
    whole (a project not reported) at the heading of the list's key column."""
    cell = book.info_cells.get(key)
    if cell is None and key in book.lists:
        cell = book.lists[key].cell(book.lists[key].table.key)
    if cell is not None:
        return at(book.path, cell, d.code, d.message).with_severity(d.severity)
    if original is not None and key:
        return original.report(original.locate([key]), d.code, d.message).with_severity(d.severity)
    return at(book.path, Cell(INFO_SHEET, 1, 1), d.code, d.message).with_severity(d.severity)


def _in_original(
    d: Diagnostic, loaded: Loaded, name: str, k: int, original: Loaded | None
) -> Diagnostic:
    """An item kept from the YAML: the same place in the original file (the merge left its
    text as it was, so its lines are shifted, not changed)."""
    if original is None or not isinstance(original.data, dict):
        return d
    item = loaded.data[name][k] if isinstance(loaded.data, dict) else None
    old = original.data.get(name)
    pid = str(item.get("id")) if isinstance(item, dict) else None
    index = next(
        (
            i
            for i, p in enumerate(old if isinstance(old, list) else [])
            if isinstance(p, dict) and str(p.get("id")) == pid
        ),
        None,
    )
    if index is None:
        return d
    start = loaded.locate([name, k])
    shift = original.where(original.locate([name, index]))[0] - loaded.where(start)[0]
    return Diagnostic(original.path, d.line + shift, d.column, d.code, d.severity, d.message)
