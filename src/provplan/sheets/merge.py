"""Merging workbook rows into an action plan's YAML, keeping everything the cells did not
change: comments, key order, layout, untouched projects and fields, activities, `x-` keys.

The YAML is edited through ruamel.yaml's round trip (as `fmt` does) and only where a cell's
value differs from the file's: a field whose value is unchanged is not even reassigned, so
its quotes, block style and trailing comment stay. Projects are matched by `id`; new rows are
appended as projects; projects without a row are removed only when asked.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from provplan.fmt import ORDER, Exact, round_trip
from provplan.sheets.columns import ACTIVITY_BY_PATH, BY_PATH, Column
from provplan.sheets.ingest import Row

_FLOW_UNSAFE = set(",[]{}:#&*!|>'\"%@`")


@dataclass
class Merged:
    text: str
    rows: dict[int, Row | None]  # project index in the result → the row it came from
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # in the YAML, not in the workbook, kept


def merge(
    source: str,
    plain: dict[str, Any],
    rows: Sequence[Row],
    columns: Sequence[str],
    *,
    activities: dict[str, list[Row]] | None = None,
    delete_missing: bool = False,
) -> Merged:
    """The YAML text with the rows merged in. `plain` is `source` as provplan's loader read
    it (exact values to compare with); `columns` the field paths the workbook has;
    `activities` the rows of each project's activities (None: the workbook has no activity
    sheet, and activities stay as they are)."""
    yaml = _round_trip()
    document = yaml.load(source)
    projects = document.get("projects")
    if not isinstance(projects, CommentedSeq):
        projects = document["projects"] = CommentedSeq()
    found = plain.get("projects")
    old: list[Any] = found if isinstance(found, list) else []
    by_id = {str(p.get("id")): i for i, p in enumerate(old) if isinstance(p, dict)}
    merged = Merged("", {})
    seen: set[str] = set()
    origin: dict[int, Row | None] = dict.fromkeys(range(len(projects)))
    for row in rows:
        pid = row.values.get("id")
        if pid is None:
            continue  # reported by the caller
        seen.add(pid)
        if pid in by_id:
            i = by_id[pid]
            changed = _update(projects[i], old[i], row, columns)
            if activities is not None:
                changed |= _activities(projects[i], old[i], activities.get(pid, []))
            if changed:
                merged.changed.append(pid)
            origin[i] = row
        else:
            project = _new_project(row, columns)
            if activities is not None:
                _activities(project, {}, activities.get(pid, []))
            projects.append(project)
            origin[len(projects) - 1] = row
            merged.added.append(pid)
    missing = [pid for pid in by_id if pid not in seen]
    if delete_missing:
        for i in sorted((by_id[pid] for pid in missing), reverse=True):
            del projects[i]
        merged.removed = missing
        kept = [i for i in sorted(origin) if i not in {by_id[pid] for pid in missing}]
        origin = {n: origin[i] for n, i in enumerate(kept)}
    else:
        merged.kept = missing
    _cleanup(projects)
    if len(projects) and projects.fa.flow_style():
        projects.fa.set_block_style()  # `projects: []` of a new file gets block items
    merged.rows = origin
    if not (merged.changed or merged.added or merged.removed):
        merged.text = source  # nothing to change: not even the emitter's layout
        return merged
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    merged.text = buffer.getvalue()
    return merged


def keeps_layout(source: str) -> bool:
    """Whether the round trip writes `source` back unchanged (files in `fmt`'s layout do):
    otherwise a merge also re-indents the parts it did not change."""
    yaml = _round_trip()
    buffer = io.StringIO()
    yaml.dump(yaml.load(source), buffer)
    return buffer.getvalue() == source


def _round_trip() -> Any:
    yaml = round_trip()
    yaml.preserve_quotes = True  # a field the cells did not change keeps its quotes
    return yaml


def _update(
    node: CommentedMap,
    old: dict[str, Any],
    row: Row,
    columns: Sequence[str],
    known: dict[str, Column] = BY_PATH,
    order: str = "projects",
) -> bool:
    """Set the fields whose cell differs from the YAML; true if any did."""
    changed = False
    for path in columns:
        column = known[path]
        new = row.values.get(path)
        if _same(_get(old, column.keys), new, column):
            continue
        _put(node, column, new, order)
        changed = True
    return changed


_ACTIVITY_KEYS = ("title", "budget", "agency", "partners")


def _activities(node: CommentedMap, old: dict[str, Any], rows: Sequence[Row]) -> bool:
    """A project's activities as its rows give them, in order: the n-th row updates the
    n-th activity field by field (so unchanged ones keep their text), further rows are
    appended, activities beyond the rows removed (no rows: no `activities`)."""
    before = old.get("activities")
    plain = [a if isinstance(a, dict) else {} for a in before] if isinstance(before, list) else []
    items = node.get("activities")
    if not isinstance(items, CommentedSeq) or len(plain) != len(items):
        items, plain = CommentedSeq(), []
    changed = False
    for j, row in enumerate(rows):
        if j < len(items) and isinstance(items[j], CommentedMap):
            changed |= _update(
                items[j], plain[j], row, _ACTIVITY_KEYS, ACTIVITY_BY_PATH, "activities"
            )
        else:
            item = CommentedMap()
            _update(item, {}, row, _ACTIVITY_KEYS, ACTIVITY_BY_PATH, "activities")
            items.append(item)
            changed = True
    while len(items) > len(rows):
        del items[len(rows)]
        changed = True
    if not rows:
        if "activities" in node:
            del node["activities"]
        return changed or before is not None
    if "activities" not in node or node["activities"] is not items:
        _insert(node, "activities", items, ORDER["projects"])
    return changed


def _get(data: Any, keys: Sequence[str]) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _same(old: Any, new: Any, column: Column) -> bool:
    if old is None or new is None:
        return old is None and new is None
    if column.kind == "amount":
        return isinstance(old, int | Decimal) and not isinstance(old, bool) and Decimal(old) == new
    if column.kind == "list":
        return isinstance(old, list) and [clean_text(str(v)) for v in old] == new
    return bool(clean_text(str(old)) == new)


def clean_text(value: str) -> str:
    """Text as a cell gives it back: no blanks at either end or ends of lines."""
    return "\n".join(line.rstrip() for line in value.strip().split("\n"))


def _put(node: CommentedMap, column: Column, new: Any, context: str = "projects") -> None:
    """Set (or, for an emptied optional cell, remove) a field in a project's (or an
    activity's) mapping; `context` names the canonical key order of that mapping."""
    *parents, key = column.keys
    for name in parents:
        child = node.get(name)
        if not isinstance(child, CommentedMap):
            if new is None:
                return  # nothing to remove
            child = CommentedMap()
            _insert(node, name, child, ORDER[context])
        node, context = child, name
    if new is None and not column.required:
        if key in node:
            del node[key]
        return
    old = node.get(key)
    _insert(node, key, _yaml_value(new, column, old), ORDER[context])


def _insert(node: CommentedMap, key: str, value: Any, order: tuple[str, ...]) -> None:
    """Set a key; a new key goes where the canonical order puts it among those present."""
    if key in node:
        node[key] = value
        return
    rank = order.index(key) if key in order else len(order)
    position = 0
    for i, present in enumerate(node):
        if present in order and order.index(present) < rank:
            position = i + 1
    node.insert(position, key, value)


def _yaml_value(new: Any, column: Column, old: Any) -> Any:
    if new is None:  # an emptied required cell: left empty so that the check names the cell
        return CommentedSeq() if column.kind == "list" else None if column.kind == "amount" else ""
    if column.kind == "amount":
        return _number(new)
    if column.kind == "list":
        items = CommentedSeq(_scalar(v) for v in new)
        flow = isinstance(old, CommentedSeq) and old.fa.flow_style()
        if flow and not any(_FLOW_UNSAFE & set(v) for v in new):
            items.fa.set_flow_style()
        else:
            items.fa.set_block_style()
        return items
    return _scalar(new)


def _scalar(text: str) -> Any:
    return LiteralScalarString(text) if "\n" in text else text


def _number(amount: Decimal) -> int | Exact:
    """An amount as YAML writes it: whole baht as an integer, satang as their exact text."""
    if amount == amount.to_integral_value():
        return int(amount)
    exponent = amount.as_tuple().exponent
    exact = amount.normalize() if isinstance(exponent, int) and exponent < -2 else amount
    return Exact(format(exact, "f"))


def _new_project(row: Row, columns: Sequence[str]) -> CommentedMap:
    project = CommentedMap()
    for path in columns:
        column = BY_PATH[path]
        value = row.values.get(path)
        if value is None and not column.required:
            continue
        _put(project, column, value)
    _canonical(project)
    return project


def _canonical(project: CommentedMap) -> None:
    for key in sorted(project, key=lambda k: ORDER["projects"].index(k)):
        project.move_to_end(key)


def _cleanup(projects: CommentedSeq) -> None:
    """Remove the `breakdown` mappings whose cells were all emptied."""
    for project in projects:
        budget = project.get("budget") if isinstance(project, CommentedMap) else None
        if isinstance(budget, CommentedMap) and budget.get("breakdown") == {}:
            del budget["breakdown"]
