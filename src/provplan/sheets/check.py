"""Checking merged YAML text before it is written, as `provplan validate` would check the
file, and placing each finding back at the workbook cell it came from.

The text is checked in memory together with the other plan files of its repository (the
development plan it refers to), so nothing is written until it is clean. A finding's line and
column in the merged text tell which project and field it concerns; the project's row and the
field's column give the cell.
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
from provplan.sheets.columns import ACTIVITIES_SHEET, BY_PATH, INFO_SHEET
from provplan.sheets.findings import Cell, Finding, at
from provplan.sheets.ingest import Row, Workbook
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
    """Each finding at its cell, or, for what no cell holds (a project the workbook left
    out), at its line in the original YAML."""
    data = loaded.data if isinstance(loaded.data, dict) else {}
    found = data.get("projects")
    projects: list[Any] = found if isinstance(found, list) else []
    starts = [loaded.locate(["projects", k]) for k in range(len(projects))]
    markers = [_markers(loaded, k, p, book, merged.rows.get(k)) for k, p in enumerate(projects)]
    taken = {(f.cell.sheet, f.cell.row, f.cell.column) for f in book.findings}
    placed: list[Finding] = []
    for d in diagnostics:
        pos = loaded.starts[d.line - 1] + d.column - 1
        k = bisect.bisect_right(starts, pos) - 1
        if k < 0 or pos < starts[0]:
            placed.append(_top_level(d, pos, loaded, book, original))
            continue
        row = merged.rows.get(k)
        if row is None:
            placed.append(_in_original(d, loaded, starts[k], projects[k], original))
            continue
        positions, cells = markers[k]
        cell = cells[max(bisect.bisect_right(positions, pos) - 1, 0)]
        if (cell.sheet, cell.row, cell.column) not in taken:  # a cell reported once
            placed.append(at(book.path, cell, d.code, d.message).with_severity(d.severity))
    return placed


def _markers(
    loaded: Loaded, k: int, project: Any, book: Workbook, row: Row | None
) -> tuple[list[int], list[Cell]]:
    """Positions in project `k` where each field's text begins, with the cell that shows it;
    a field without a column shows at the cell closest to it in meaning."""
    found: list[tuple[int, Cell]] = [(loaded.locate(["projects", k]), book.cell("id", row))]
    if not isinstance(project, dict):
        return [found[0][0]], [found[0][1]]

    def add(keys: list[Any], path: str | Cell) -> None:
        shown = path if isinstance(path, Cell) else book.cell(path, row)
        found.append((loaded.locate(["projects", k, *keys], key=True), shown))
        found.append((loaded.locate(["projects", k, *keys]), shown))

    for key in project:
        add([key], key if key in BY_PATH else "budget.amount" if key in _BUDGETISH else "id")
    budget = project.get("budget")
    if isinstance(budget, dict):
        breakdown = budget.get("breakdown")
        classes = list(breakdown) if isinstance(breakdown, dict) else []
        first = next((f"budget.breakdown.{c}" for c in classes), "budget.amount")
        for key in budget:
            add(["budget", key], "budget.amount" if key == "amount" else first)
        for c in classes:
            add(["budget", "breakdown", c], f"budget.breakdown.{c}")
    activities = project.get("activities")
    rows = book.activities.get(str(project.get("id")), [])
    if isinstance(activities, list) and book.activity_columns is not None:
        for j, activity in enumerate(activities):
            if j >= len(rows) or not isinstance(activity, dict):
                continue
            columns = book.activity_columns
            start = Cell(ACTIVITIES_SHEET, rows[j].number, columns["project"])
            found.append((loaded.locate(["projects", k, "activities", j]), start))
            for key in activity:
                shown = Cell(ACTIVITIES_SHEET, rows[j].number, columns.get(key, columns["project"]))
                add(["activities", j, key], shown)
    found.sort(key=lambda m: m[0])
    return [m[0] for m in found], [m[1] for m in found]


_BUDGETISH = ("budget", "activities")  # activities must add up to the amount (PP206)


def _top_level(
    d: Diagnostic, pos: int, loaded: Loaded, book: Workbook, original: Loaded | None
) -> Finding:
    data = loaded.data if isinstance(loaded.data, dict) else {}
    key = None
    for name in data:
        if loaded.locate([name], key=True) <= pos:
            key = name
    if key in book.info_cells:
        return at(book.path, book.info_cells[key], d.code, d.message).with_severity(d.severity)
    if original is not None and key is not None:
        return original.report(original.locate([key]), d.code, d.message).with_severity(d.severity)
    return at(book.path, Cell(INFO_SHEET, 1, 1), d.code, d.message)


def _in_original(
    d: Diagnostic, loaded: Loaded, start: int, project: Any, original: Loaded | None
) -> Finding:
    """A project kept from the YAML: the same place in the original file (the merge left
    its text as it was, so its lines are shifted, not changed)."""
    if original is None or not isinstance(original.data, dict):
        return d
    old = original.data.get("projects")
    pid = str(project.get("id")) if isinstance(project, dict) else None
    index = next(
        (i for i, p in enumerate(old or []) if isinstance(p, dict) and str(p.get("id")) == pid),
        None,
    )
    if index is None:
        return d
    shift = original.where(original.locate(["projects", index]))[0] - loaded.where(start)[0]
    return Diagnostic(original.path, d.line + shift, d.column, d.code, d.severity, d.message)
