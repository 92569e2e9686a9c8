"""Semantic diff of two sets of plan files (README.md, "Review by pull request"): documents
matched by kind, owner and period or fiscal year (a moved file is not "removed and added"),
projects and plan elements matched by id, budgets before and after per owner and cluster.

Each file of each side is checked on its own, as validate checks it; its money is counted by
the budget ledger (`provplan.budget`), the same rule rollup uses, and a file that no longer
reads as a plan is said to be unreadable, never taken as removed. Changes are listed from the
plain values, so a document with errors elsewhere still shows what changed in it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from provplan import parallel
from provplan.budget import Amounts, Ledger, count
from provplan.files import MAX_BYTES, TooLarge
from provplan.i18n import Message, msg
from provplan.load import load_bytes
from provplan.model.base import valid_amount
from provplan.planset import ActionOutline, Outline, PlanSet, ProgressOutline
from provplan.registry import Registry
from provplan.review.sources import Reader, Ref, Side, SourceError
from provplan.thai import STATUSES
from provplan.validate import FileResult
from provplan.validate.cache import Cache
from provplan.validate.file import check_loaded

Status = Literal["added", "removed", "changed", "moved", "unchanged", "unreadable"]
Key = tuple[str, str, tuple[int, int]]  # kind, owner, period or (fiscal year, fiscal year)


@dataclass(frozen=True)
class Doc:
    """One plan document as read from one side."""

    path: str
    kind: str
    owner: str
    span: tuple[int, int]
    data: dict[str, Any]

    @property
    def key(self) -> Key:
        return (self.kind, self.owner, self.span)


@dataclass(frozen=True)
class Version:
    """A plan file on one side: the document as written and what checking it alone gave."""

    path: str
    doc: Doc | None  # None: not even a mapping with a kind and an owner
    outline: Outline | None  # complete when its money can be counted
    problem: Message | None  # why it cannot be read as a plan, when it cannot

    @property
    def countable(self) -> bool:
        return self.outline is not None and self.outline.complete


@dataclass(frozen=True)
class Change:
    """One changed value: where (a readable path), old and new (None when absent)."""

    where: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ProjectChange:
    id: str
    title: str
    status: Status
    old_amount: Decimal | None
    new_amount: Decimal | None
    changes: list[Change] = field(default_factory=list)

    @property
    def delta(self) -> Decimal:
        return (self.new_amount or Decimal(0)) - (self.old_amount or Decimal(0))


@dataclass(frozen=True)
class DocDiff:
    kind: str
    owner: str
    span: tuple[int, int]
    status: Status
    old_path: str | None
    new_path: str | None
    changes: list[Change] = field(default_factory=list)  # plan elements, document keys
    projects: list[ProjectChange] = field(default_factory=list)
    problem: Message | None = None  # for `unreadable`: what is wrong on the side that fails


@dataclass(frozen=True)
class TotalRow:
    """Budget figures of an owner or a cluster (with its members) in a fiscal year."""

    level: Literal["owner", "cluster"]
    owner: str
    fiscal_year: int
    before: Amounts
    after: Amounts
    complete: bool = True
    """False when a plan counting here is unreadable on a side: its money is left out there."""


@dataclass(frozen=True)
class PlanDiff:
    base: str
    head: str
    documents: list[DocDiff]
    totals: list[TotalRow]
    registry: Registry  # names the owners

    @property
    def changed(self) -> list[DocDiff]:
        return [d for d in self.documents if d.status != "unchanged"]

    @property
    def unreadable(self) -> list[DocDiff]:
        return [d for d in self.documents if d.status == "unreadable"]


def _doc(path: str, data: Any, registry: Registry) -> Doc | None:
    if not isinstance(data, dict):
        return None
    kind, owner = data.get("kind"), data.get("owner")
    if data.get("provplan") != 1 or not isinstance(kind, str) or not isinstance(owner, str):
        return None
    owner = registry.owner_id(owner)
    if kind == "progress-report":  # one per quarter: (fiscal year, quarter)
        year, quarter = data.get("fiscal_year"), data.get("quarter")
        span = (year, quarter) if isinstance(year, int) and isinstance(quarter, int) else (0, 0)
    elif kind == "action-plan":
        year = data.get("fiscal_year")
        span = (year, year) if isinstance(year, int) else (0, 0)
    else:
        period = data.get("period") if isinstance(data.get("period"), dict) else {}
        start, end = period.get("start"), period.get("end")  # type: ignore[union-attr]
        span = (start, end) if isinstance(start, int) and isinstance(end, int) else (0, 0)
    return Doc(path, kind, owner, span, data)


def version(
    path: str, raw: bytes, registry: Registry, cache: Cache | None = None, *, values: bool = True
) -> Version | None:
    """A file's content as a plan on one side, or None when it is no plan document. A result
    validate left in the cache for these bytes spares checking them; without `values` (a file
    the same on both sides) it spares reading them too: only the outline and the document's
    key are needed then."""
    key = cache.content_key(raw, explicit=False) if cache else None
    hit = cache.get(key, Path(path)) if cache and key else None
    if hit is not None and hit.is_plan and hit.outline is None:
        hit = None  # its document's key is in its values: checked afresh
    if hit is not None and not values:
        return _version(path, hit, _outline_doc(path, hit.outline) if hit.outline else None)
    loaded = load_bytes(Path(path), raw)
    if hit is not None:  # the values are needed, the checking is done
        return _version(path, hit, _doc(path, loaded.data, registry))
    # the bytes' head only for what could not be decoded, as check_file gives it: the cache
    # entry is shared with validate, so both must reach the same result for the same bytes
    head = raw[: 1 << 20] if loaded.data is None and not loaded.source else None
    result = check_loaded(loaded, registry, explicit=False, head=head)
    if cache and key:
        cache.put(key, result)
    return _version(path, result, _doc(path, loaded.data, registry))


def _version(path: str, result: FileResult, doc: Doc | None) -> Version | None:
    if not result.is_plan:
        return None
    outline = result.outline
    problem = None
    if outline is None or not outline.complete:
        first = next((d for d in result.diagnostics if d.severity == "error"), None)
        problem = (
            msg("line {line}: {problem}", line=first.line, problem=first.message)
            if first
            else msg("it does not read as a plan")
        )
    return Version(path, doc, outline, problem)


def _outline_doc(path: str, outline: Outline) -> Doc:
    """A document's key from its outline, without its values (`_doc` reads them)."""
    if isinstance(outline, ActionOutline):
        span = (outline.fiscal_year, outline.fiscal_year)
    elif isinstance(outline, ProgressOutline):
        span = (outline.fiscal_year, outline.quarter)
    else:
        span = outline.period
    return Doc(path, outline.kind, outline.owner, span, {})


Shared = tuple[Registry, Reader, Cache | None]
Job = tuple[str, Ref | None, Ref | None, bool | None]  # path, old, new, known equal
Compared = tuple[Version | None, Version | None, DocDiff | None]


def _read(reader: Reader, ref: Ref | None) -> bytes | Message | None:
    """The bytes behind a reference, or why they cannot be read."""
    if ref is None:
        return None
    try:
        return reader.read(ref)
    except TooLarge:
        return msg("the file is larger than {size} MiB", size=MAX_BYTES // 2**20)
    except (OSError, SourceError) as err:
        return msg("cannot read it: {reason}", reason=getattr(err, "strerror", None) or err)


def _side(
    path: str,
    content: bytes | Message | None,
    shared: Shared,
    *,
    values: bool = True,
) -> Version | None:
    if content is None:
        return None
    if isinstance(content, Message):
        return Version(path, None, None, content)
    registry, _, cache = shared
    return version(path, content, registry, cache, values=values)


def _compare_path(shared: Shared, job: Job) -> Compared:
    """One path on both sides: each side's version, and their diff when the document stayed
    there. Runs in a worker, which reads the files itself: only small results come back."""
    reader = shared[1]
    path, old_ref, new_ref, same = job
    old_content = _read(reader, old_ref)
    new_content = old_content if same else _read(reader, new_ref)
    unchanged = old_content == new_content and new_ref is not None
    old = _side(path, old_content, shared, values=not unchanged)
    new = old if unchanged else _side(path, new_content, shared)
    if old is None or new is None:
        return old, new, None
    if old is new:  # the same bytes on both sides: unchanged, whether or not they read
        if old.doc is None:
            return None, None, None  # nothing to count or to show on either side
        doc = old.doc
        return (
            _light(old),
            _light(new),
            DocDiff(doc.kind, doc.owner, doc.span, "unchanged", path, path),
        )
    found = None
    if not new.countable and old.doc is not None:
        found = _unreadable(old.doc, new, old.path)
    elif not old.countable and new.doc is not None:
        found = _unreadable(new.doc, old, new.path)
    elif old.doc is not None and new.doc is not None and old.doc.key == new.doc.key:
        doc = old.doc
        if old.doc.data == new.doc.data:
            found = DocDiff(doc.kind, doc.owner, doc.span, "unchanged", path, path)
        else:
            found = _doc_diff(old.doc, new.doc)
    return _light(old), _light(new), found


def _light(version: Version | None) -> Version | None:
    """A version without the document's values: only outlines and keys travel back from a
    worker, never a whole country's data (a moved document is read again, `_loose`)."""
    if version is None or version.doc is None:
        return version
    return dataclasses.replace(version, doc=dataclasses.replace(version.doc, data={}))


def _unreadable(doc: Doc, broken: Version, path: str) -> DocDiff:
    return DocDiff(
        doc.kind, doc.owner, doc.span, "unreadable", path, broken.path, problem=broken.problem
    )


def compare(
    old: Side,
    new: Side,
    registry: Registry,
    *,
    same: set[str] | None = None,
    jobs: int | None = None,
    cache: Cache | None = None,
) -> PlanDiff:
    """Everything that changed from one side to the other.

    Args:
        same: paths known to hold the same bytes on both sides; without it, blob ids tell
            for two revisions, and workers compare contents otherwise.
        cache: validate's cache (bound to `registry`): a file the same on both sides is not
            checked again when validate already checked these bytes (CI validates first).
    """
    paths = sorted(old.files.keys() | new.files.keys())
    work = [(p, old.files.get(p), new.files.get(p), _same(p, old, new, same)) for p in paths]
    size = sum(_size(ref) for side in (old, new) for ref in side.files.values())
    reader = Reader()
    shared: Shared = (registry, reader, cache)
    try:
        with parallel.no_gc():
            results = list(parallel.pmap(_compare_path, work, shared, size=size, jobs=jobs))
        loose_old = [_full(r[0], old, shared) for r in results if r[0] is not None and not r[2]]
        loose_new = [_full(r[1], new, shared) for r in results if r[1] is not None and not r[2]]
        documents = [r[2] for r in results if r[2] is not None]
        documents += _loose(loose_old, loose_new)
    finally:
        reader.close()
    before = [r[0] for r in results if r[0] is not None]
    after = [r[1] for r in results if r[1] is not None]
    documents.sort(key=lambda d: d.new_path or d.old_path or "")
    totals = _totals(_planset(before, registry), _planset(after, registry), documents)
    return PlanDiff(old.label, new.label, documents, totals, registry)


def _full(light: Version, side: Side, shared: Shared) -> Version:
    """A version read again with its values (a moved, added or removed document)."""
    if light.doc is None:
        return light
    content = _read(shared[1], side.files[light.path])
    return _side(light.path, content, shared) or light


def _same(path: str, old: Side, new: Side, same: set[str] | None) -> bool | None:
    a, b = old.files.get(path), new.files.get(path)
    if a is None or b is None:
        return False
    if same is not None:
        return path in same
    if a.kind == b.kind == "blob":
        return a.name == b.name
    return None  # the worker compares the contents


def _size(ref: Ref) -> int:
    if ref.kind == "file":
        try:
            return (Path(ref.root) / ref.name).stat().st_size
        except OSError:
            return 0
    return 200_000  # a blob, about a plan file: only decides whether workers pay off


def _loose(before: list[Version], after: list[Version]) -> Iterator[DocDiff]:
    """What did not stay at its path: matched by key (a move), else added or removed."""
    keyed_after = {v.doc.key: v for v in after if v.doc is not None}
    for old in before:
        new = keyed_after.pop(old.doc.key, None) if old.doc is not None else None
        if old.doc is not None:
            yield _doc_diff(old.doc, new.doc if new and new.doc else None)
    for new in keyed_after.values():
        if new.doc is not None:
            yield _doc_diff(None, new.doc)
    for loose in after:
        if loose.doc is None and loose.problem:
            yield DocDiff("", "", (0, 0), "unreadable", None, loose.path, problem=loose.problem)


def _planset(versions: Iterable[Version], registry: Registry) -> PlanSet:
    return PlanSet([v.outline for v in versions if v.countable and v.outline], registry)


def _totals(before: PlanSet, after: PlanSet, documents: Iterable[DocDiff]) -> list[TotalRow]:
    """Before and after of each owner whose figures a changed action plan may move (its own,
    and the provinces its cluster-in-province projects count for), and of their clusters."""
    registry = before.registry
    old_ledger, new_ledger = count(before), count(after)
    unreadable = {(d.owner, d.span[0]) for d in documents if d.status == "unreadable"}
    unreadable |= {(_cluster_of(registry, o), y) for o, y in unreadable}
    touched = set()
    for d in documents:
        if d.kind == "action-plan" and d.status not in ("unchanged", "moved"):
            year = d.span[0]
            touched.add((d.owner, year))
            for ledger, plans in ((old_ledger, before), (new_ledger, after)):
                touched |= {(e.owner, year) for e in _listed(ledger, plans, d.owner, year)}
    rows = [
        TotalRow(
            "owner",
            o,
            y,
            old_ledger.amounts(o, y),
            new_ledger.amounts(o, y),
            (o, y) not in unreadable,
        )
        for o, y in sorted(touched)
    ]
    for c, y in sorted({(_cluster_of(registry, o), y) for o, y in touched}):
        cluster = registry.cluster_by_id.get(c)
        if cluster is not None:
            old_total = old_ledger.cluster_amounts(c, cluster.members, y)
            new_total = new_ledger.cluster_amounts(c, cluster.members, y)
            rows.append(TotalRow("cluster", c, y, old_total, new_total, (c, y) not in unreadable))
    return rows


def _cluster_of(registry: Registry, owner: str) -> str:
    found = registry.cluster_of.get(owner)
    return found.id if found else owner


def _listed(ledger: Ledger, plans: PlanSet, owner: str, year: int) -> list[Any]:
    return [
        e
        for plan in plans.action_plans
        if plan.owner == owner and plan.fiscal_year == year
        for e in ledger.listed(plan)
    ]


def _doc_diff(old: Doc | None, new: Doc | None) -> DocDiff:
    doc = new or old
    assert doc is not None
    if old is None or new is None:
        status: Status = "added" if old is None else "removed"
        projects = [_project_alone(p, status) for p in _projects(doc.data).values()]
        if doc.kind == "progress-report":
            sides = ({}, _projects(doc.data)) if status == "added" else (_projects(doc.data), {})
            projects = [_as_progress(p, *sides) for p in projects]
        old_path, new_path = (old.path if old else None), (new.path if new else None)
        return DocDiff(doc.kind, doc.owner, doc.span, status, old_path, new_path, projects=projects)
    if old.kind == "progress-report":
        changes = list(_progress_changes(old.data, new.data))
        before, after = _projects(old.data), _projects(new.data)
        projects = [_as_progress(p, before, after) for p in _project_changes(before, after)]
    elif old.kind == "action-plan":
        changes = list(_values("", _without(old.data, "projects"), _without(new.data, "projects")))
        projects = list(_project_changes(_projects(old.data), _projects(new.data)))
    else:
        changes, projects = list(_plan_changes(old.data, new.data)), []
    status = "changed" if changes or projects else "moved" if old.path != new.path else "unchanged"
    return DocDiff(doc.kind, doc.owner, doc.span, status, old.path, new.path, changes, projects)


def _progress_changes(old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    """A progress report's own keys, and its indicator results matched by id."""
    plain = ("projects", "indicators")
    yield from _values(
        "",
        {k: v for k, v in old.items() if k not in plain},
        {k: v for k, v in new.items() if k not in plain},
    )
    yield from _elements("indicators", old.get("indicators"), new.get("indicators"), {})


def disbursed_of(project: dict[str, Any] | None) -> Decimal | None:
    """A reported project's disbursement (0 when not written), None when it is not reported."""
    if project is None:
        return None
    value = project.get("disbursed", 0)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    return Decimal(value)


def _as_progress(
    change: ProjectChange, old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> ProjectChange:
    """A project of a progress report as a reviewer reads it: the disbursement before and
    after, and the status it moved between as its title."""
    before, after = old.get(change.id), new.get(change.id)
    statuses = [_status_th(p.get("status")) for p in (before, after) if p is not None]
    title = "สถานะ " + " → ".join(dict.fromkeys(statuses)) if statuses else ""
    return replace(
        change, title=title, old_amount=disbursed_of(before), new_amount=disbursed_of(after)
    )


def _status_th(status: object) -> str:
    return STATUSES.get(str(status), str(status))


def _without(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}


def _projects(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return _by_id(data.get("projects"))


def amount_of(project: dict[str, Any]) -> Decimal | None:
    budget = project.get("budget")
    amount = budget.get("amount") if isinstance(budget, dict) else None
    return valid_amount(amount)  # the money rule: `.nan`, `1e9999999` are no amount


def _project_alone(project: dict[str, Any], status: Status) -> ProjectChange:
    amount = amount_of(project)
    old, new = (None, amount) if status == "added" else (amount, None)
    return ProjectChange(str(project["id"]), str(project.get("title", "")), status, old, new)


def _project_changes(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> Iterator[ProjectChange]:
    for pid, project in new.items():
        if pid not in old:
            yield _project_alone(project, "added")
        elif project != old[pid]:
            changes = list(_values("", old[pid], project))
            title = str(project.get("title", ""))
            yield ProjectChange(
                pid, title, "changed", amount_of(old[pid]), amount_of(project), changes
            )
    for pid, project in old.items():
        if pid not in new:
            yield _project_alone(project, "removed")


def _values(where: str, old: Any, new: Any) -> Iterator[Change]:
    """The changed leaves of two values: mappings key by key, everything else whole."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            yield from _values(f"{where}.{key}" if where else str(key), old.get(key), new.get(key))
    else:
        yield Change(where, old, new)


def _by_id(items: Any) -> dict[str, dict[str, Any]]:
    """Elements of a list (projects, issues, goals…) by their id; others left out."""
    found: dict[str, dict[str, Any]] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and "id" in item:
            found[str(item["id"])] = item
    return found


def _plan_changes(old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    """Vision, issues, goals, indicators, targets, strategies: elements matched by id."""
    yield from _values("", _without(old, "strategic_issues"), _without(new, "strategic_issues"))
    yield from _elements(
        "",
        old.get("strategic_issues"),
        new.get("strategic_issues"),
        {"goals": {"indicators": {}}, "strategies": {}},
    )


def _elements(where: str, old: Any, new: Any, children: dict[str, Any]) -> Iterator[Change]:
    left, right = _by_id(old), _by_id(new)
    for eid in [*left, *(k for k in right if k not in left)]:
        at = f"{where} › {eid}" if where else eid
        a, b = left.get(eid), right.get(eid)
        if a is None or b is None:
            yield Change(at, a and _label(a), b and _label(b))
            continue
        plain = set(children)
        yield from _values(
            at,
            {k: v for k, v in a.items() if k not in plain},
            {k: v for k, v in b.items() if k not in plain},
        )
        for child, grandchildren in children.items():
            yield from _elements(at, a.get(child), b.get(child), grandchildren)


def _label(element: dict[str, Any]) -> str:
    for key in ("title", "statement", "name"):
        if key in element:
            return str(element[key])
    if "actual" in element:  # an indicator result is known by what it reports
        return f"{element.get('id')} = {element['actual']}"
    return str(element.get("id"))
