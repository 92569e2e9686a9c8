"""Merging workbook rows into a document's YAML (an action plan, a progress report), keeping
everything the cells did not change: comments, key order, layout, untouched items and fields,
activities, `x-` keys.

The YAML is edited through ruamel.yaml's round trip (as `fmt` does) and only where a cell's
value differs from the file's: a field whose value is unchanged is not even reassigned, so
its quotes, block style and trailing comment stay. The items of each list (`projects`,
`indicators`) are matched by `id`; new rows are appended; items without a row are removed
only when asked. The document's own values that a workbook changes (a report's `as_of`) are
set the same way.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from provplan.fmt import ORDER, Exact, round_trip
from provplan.sheets.columns import ACTIVITIES, Column, Table
from provplan.sheets.ingest import Listed, Row

_FLOW_UNSAFE = set(",[]{}:#&*!|>'\"%@`")


@dataclass
class Changes:
    """The ids of one list's items, by what the merge did with them."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # in the YAML, not in the workbook, kept


@dataclass
class Merged:
    text: str
    # by list (`projects`, …): item index in the result → the row it came from (None: kept
    # from the YAML without a row)
    rows: dict[str, dict[int, Row | None]] = field(default_factory=dict)
    changes: dict[str, Changes] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)  # the document's own values changed

    @property
    def changed(self) -> bool:
        return bool(self.fields) or any(
            c.added or c.changed or c.removed for c in self.changes.values()
        )


def merge(
    source: str,
    plain: dict[str, Any],
    lists: Sequence[Listed],
    *,
    activities: dict[str, list[Row]] | None = None,
    info: Mapping[Column, Any] | None = None,
    delete_missing: bool = False,
) -> Merged:
    """The YAML text with the rows merged in. `plain` is `source` as provplan's loader read
    it (exact values to compare with); `lists` the sheets read, with the field paths they
    have; `activities` the rows of each project's activities (None: the workbook has no
    activity sheet, and activities stay as they are); `info` the document's own values to
    set."""
    yaml = _round_trip()
    document = yaml.load(source)
    merged = Merged("")
    for listed in lists:
        name = listed.table.listed
        nested = activities if name == "projects" else None
        merged.rows[name], merged.changes[name] = _merge_list(
            document, plain, listed, nested, delete_missing
        )
    for column, value in (info or {}).items():
        if not _same(plain.get(column.path), value, column):
            _put(document, column, value, "")
            merged.fields.append(column.path)
    if not merged.changed:
        merged.text = source  # nothing to change: not even the emitter's layout
        return merged
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    merged.text = buffer.getvalue()
    return merged


def _merge_list(
    document: CommentedMap,
    plain: dict[str, Any],
    listed: Listed,
    activities: dict[str, list[Row]] | None,
    delete_missing: bool,
) -> tuple[dict[int, Row | None], Changes]:
    """Merge a sheet's rows into the items of one list, matched by the table's key."""
    table, rows, columns = listed.table, listed.rows, list(listed.columns)
    name = table.listed
    items = document.get(name)
    found = plain.get(name)
    old: list[Any] = found if isinstance(found, list) else []
    if not isinstance(items, CommentedSeq):
        if not any(row.values.get(table.key) is not None for row in rows):
            return {}, Changes()  # nothing to merge: the key stays as it is, or absent
        items = CommentedSeq()
        _insert(document, name, items, ORDER[""])
        old = []
    by_id = {str(p.get("id")): i for i, p in enumerate(old) if isinstance(p, dict)}
    changes = Changes()
    seen: set[str] = set()
    origin: dict[int, Row | None] = dict.fromkeys(range(len(items)))
    for row in rows:
        pid = row.values.get(table.key)
        if pid is None:
            continue  # reported by the caller
        seen.add(pid)
        if pid in by_id:
            i = by_id[pid]
            changed = _update(items[i], old[i], row, columns, table)
            if activities is not None:
                changed |= _activities(items[i], old[i], activities.get(pid, []))
            if changed:
                changes.changed.append(pid)
            origin[i] = row
        else:
            item = _new_item(row, columns, table)
            if activities is not None:
                _activities(item, {}, activities.get(pid, []))
            items.append(item)
            origin[len(items) - 1] = row
            changes.added.append(pid)
    missing = [pid for pid in by_id if pid not in seen]
    if delete_missing:
        for i in sorted((by_id[pid] for pid in missing), reverse=True):
            del items[i]
        changes.removed = missing
        kept = [i for i in sorted(origin) if i not in {by_id[pid] for pid in missing}]
        origin = {n: origin[i] for n, i in enumerate(kept)}
    else:
        changes.kept = missing
    _cleanup(items)
    if len(items) and items.fa.flow_style():
        items.fa.set_block_style()  # `projects: []` of a new file gets block items
    return origin, changes


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
    node: CommentedMap, old: dict[str, Any], row: Row, columns: Sequence[str], table: Table
) -> bool:
    """Set the fields whose cell differs from the YAML; true if any did."""
    changed = False
    known = table.by_path
    for path in columns:
        column = known[path]
        new = row.values.get(path)
        if path not in row.unread and _same(_get(old, column.keys), new, column):
            continue
        _put(node, column, new, table.listed, keep=path in row.unread)
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
            changed |= _update(items[j], plain[j], row, _ACTIVITY_KEYS, ACTIVITIES)
        else:
            item = CommentedMap()
            _update(item, {}, row, _ACTIVITY_KEYS, ACTIVITIES)
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
    if column.kind in ("amount", "percent") or isinstance(new, Decimal):
        return _number_like(old) and Decimal(old) == new
    if column.kind == "flag":
        return isinstance(old, bool) and old == new
    if column.kind == "date":  # the loader reads a date as its text
        return isinstance(new, datetime.date) and str(old) == new.isoformat()
    if column.kind == "list":
        return isinstance(old, list) and [clean_text(str(v)) for v in old] == new
    if column.kind == "value" and _number_like(old):
        return False  # a number written as text is changed to text
    return bool(clean_text(str(old)) == new)


def _number_like(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def clean_text(value: str) -> str:
    """Text as a cell gives it back: no blanks at either end or ends of lines."""
    return "\n".join(line.rstrip() for line in value.strip().split("\n"))


def _put(
    node: CommentedMap, column: Column, new: Any, context: str = "projects", keep: bool = False
) -> None:
    """Set (or, for an emptied optional cell, remove) a field in an item's (or an activity's)
    mapping; `context` names the canonical key order of that mapping. A cell that could not
    be read (`keep`) stays as an empty value, never removed: a check of the merged text then
    points at its cell, already reported, rather than taking the field's default (a
    disbursement of 0) and reporting what follows from it elsewhere."""
    *parents, key = column.keys
    for name in parents:
        child = node.get(name)
        if not isinstance(child, CommentedMap):
            if new is None and not keep:
                return  # nothing to remove
            child = CommentedMap()
            _insert(node, name, child, ORDER[context])
        node, context = child, name
    if new is None and not column.required and not keep:
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
        if column.kind == "list":
            return CommentedSeq()
        return "" if column.kind in ("id", "text", "choice") else None
    if isinstance(new, Decimal):
        return _number(new)
    if isinstance(new, bool | datetime.date):
        return new  # YAML's true and false, and a date as YAML writes it (2025-03-31)
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


def _new_item(row: Row, columns: Sequence[str], table: Table) -> CommentedMap:
    item = CommentedMap()
    known = table.by_path
    for path in columns:
        column = known[path]
        value = row.values.get(path)
        if value is None and not column.required and path not in row.unread:
            continue
        _put(item, column, value, table.listed, keep=path in row.unread)
    order = ORDER[table.listed]
    for key in sorted(item, key=lambda k: order.index(k) if k in order else len(order)):
        item.move_to_end(key)
    return item


def _cleanup(items: CommentedSeq) -> None:
    """Remove the `breakdown` mappings of projects whose cells were all emptied."""
    for project in items:
        budget = project.get("budget") if isinstance(project, CommentedMap) else None
        if isinstance(budget, CommentedMap) and budget.get("breakdown") == {}:
            del budget["breakdown"]
