"""Semantic diff of two sets of plan files: documents matched by kind, owner and period or
fiscal year (a moved file is not "removed and added"), projects and plan elements matched by
id, budgets totalled per owner and per cluster before and after.

Works on the plain values of the loader rather than the models, so a diff still reads when
one side does not validate. Pure: contents in, a `PlanDiff` out.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from provplan import parallel, sources
from provplan.load import parse
from provplan.model.registry import Registry
from provplan.rollup import CATEGORY, Amounts
from provplan.sources import Ref, Side

Status = Literal["added", "removed", "changed", "moved", "unchanged"]
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


@dataclass(frozen=True)
class TotalRow:
    """Budget totals of an owner (its action plan) or a cluster (with its members), by year."""

    level: Literal["owner", "cluster"]
    owner: str
    fiscal_year: int
    before: Amounts
    after: Amounts


@dataclass(frozen=True)
class PlanDiff:
    base: str
    head: str
    documents: list[DocDiff]
    totals: list[TotalRow]

    @property
    def changed(self) -> list[DocDiff]:
        return [d for d in self.documents if d.status != "unchanged"]


def read_doc(path: str, content: bytes, registry: Registry) -> Doc | None:
    """A file as a plan document, or None when it is unreadable or not a plan."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    data = parse(Path(path), text).data
    return _doc(path, data, registry) if isinstance(data, dict) else None


def _doc(path: str, data: dict[str, Any], registry: Registry) -> Doc | None:
    kind, owner = data.get("kind"), data.get("owner")
    if data.get("provplan") != 1 or not isinstance(kind, str) or not isinstance(owner, str):
        return None
    owner = registry.owner_id(owner)
    if kind == "action-plan":
        year = data.get("fiscal_year")
        span = (year, year) if isinstance(year, int) else (0, 0)
    else:
        period = data.get("period") if isinstance(data.get("period"), dict) else {}
        start, end = period.get("start"), period.get("end")  # type: ignore[union-attr]
        span = (start, end) if isinstance(start, int) and isinstance(end, int) else (0, 0)
    return Doc(path, kind, owner, span, data)


@dataclass(frozen=True)
class Summary:
    """A document on one side, as totals and matching need it."""

    path: str
    key: Key
    amounts: Amounts


def _summary(doc: Doc | None) -> Summary | None:
    return (
        None if doc is None else Summary(doc.path, doc.key, _amounts(_projects(doc.data).values()))
    )


Job = tuple[str, Ref | None, Ref | None, bool | None]  # path, old, new, known equal
Compared = tuple[Summary | None, Summary | None, DocDiff | None]


def _compare_path(job: Job) -> Compared:
    """One path on both sides: its summaries, and its diff when the document stayed there.

    Runs in a worker, which reads the files itself: only small results come back (issue #6).
    """
    registry: Registry = parallel.context()
    path, old_ref, new_ref, same = job
    old_bytes = sources.read(old_ref) if old_ref else None
    new_bytes = None if same else sources.read(new_ref) if new_ref else None
    if old_bytes is not None and (same or old_bytes == new_bytes):
        doc = read_doc(path, old_bytes, registry)
        if doc is None:
            return None, None, None
        summary = _summary(doc)
        return summary, summary, DocDiff(doc.kind, doc.owner, doc.span, "unchanged", path, path)
    if old_bytes is not None and new_bytes is not None:
        chunked = _compare_chunks(path, old_bytes, new_bytes, registry)
        if chunked is not None:
            return chunked
    old = read_doc(path, old_bytes, registry) if old_bytes is not None else None
    new = read_doc(path, new_bytes, registry) if new_bytes is not None else None
    paired = old is not None and new is not None and old.key == new.key
    return _summary(old), _summary(new), _doc_diff(old, new) if paired else None


def compare(
    old: Side,
    new: Side,
    registry: Registry,
    *,
    same: set[str] | None = None,
    jobs: int | None = None,
) -> PlanDiff:
    """Everything that changed from one side to the other.

    Args:
        same: paths known to hold the same bytes on both sides; without it, blob ids tell
            for two revisions, and workers compare contents otherwise.
    """
    paths = sorted(old.files.keys() | new.files.keys())
    work = [(p, old.files.get(p), new.files.get(p), _same(p, old, new, same)) for p in paths]
    size = sum(_size(ref) for side in (old, new) for ref in side.files.values())
    with parallel.no_gc():
        results = list(parallel.pmap(_compare_path, work, size=size, jobs=jobs, shared=registry))
    before = [r[0] for r in results if r[0] is not None]
    after = [r[1] for r in results if r[1] is not None]
    documents = [r[2] for r in results if r[2] is not None]
    loose_old = [r[0] for r in results if r[0] is not None and r[2] is None]
    loose_new = [r[1] for r in results if r[1] is not None and r[2] is None]
    for a, b in _pairs(loose_old, loose_new):  # moved, added or removed: read again here
        old_doc = read_doc(a.path, sources.read(old.files[a.path]), registry) if a else None
        new_doc = read_doc(b.path, sources.read(new.files[b.path]), registry) if b else None
        documents.append(_doc_diff(old_doc, new_doc))
    documents.sort(key=lambda d: d.new_path or d.old_path or "")
    return PlanDiff(old.label, new.label, documents, _totals(before, after, documents, registry))


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
        return (Path(ref.root) / ref.name).stat().st_size
    return 200_000  # a blob, about a plan file: only decides whether workers pay off


# --- a changed action plan, compared project by project --------------------------------------

_PROJECTS = re.compile(r"^projects:[ \t]*(?:#.*)?\n", re.MULTILINE)
_BLOCK_END = re.compile(r"^[^\s#]", re.MULTILINE)
_ITEM = re.compile(r"^(?=  - )", re.MULTILINE)


def split_projects(text: str) -> tuple[str, list[str]] | None:
    """An action plan in `fmt`'s layout as (everything but the projects, the lines of each
    project); None when the text is not in that layout."""
    found = _PROJECTS.search(text)
    if found is None:
        return None
    end_found = _BLOCK_END.search(text, found.end())
    end = end_found.start() if end_found else len(text)
    lead, *items = _ITEM.split(text[found.end() : end])
    if not items or any(
        line.strip() and not line.strip().startswith("#") for line in lead.splitlines()
    ):
        return None
    for item in items:
        for line in item.split("\n")[1:]:
            if line.strip() and not line.startswith(("    ", "  #")):
                return None
    chunks = [item if item.endswith("\n") else item + "\n" for item in items]
    return text[: found.start()] + text[end:], chunks


def _items(chunks: list[str]) -> list[dict[str, Any]] | None:
    """The projects of some chunks, parsed together; None if they do not stand alone."""
    if not chunks:
        return []
    data = parse(Path("projects"), "projects:\n" + "".join(chunks)).data
    projects = data.get("projects") if isinstance(data, dict) else None
    if not isinstance(projects, list) or len(projects) != len(chunks):
        return None
    return projects if all(isinstance(p, dict) for p in projects) else None


def _compare_chunks(path: str, old: bytes, new: bytes, registry: Registry) -> Compared | None:
    """An action plan with a few projects changed: parse the unchanged projects once and only
    the changed ones twice, instead of the whole file twice. None when that does not apply."""
    try:
        splits = [split_projects(content.decode("utf-8-sig")) for content in (old, new)]
    except UnicodeDecodeError:
        return None
    if splits[0] is None or splits[1] is None:
        return None
    heads = [parse(Path(path), split[0]).data for split in splits]  # type: ignore[index]
    docs = [
        _doc(path, {**h, "projects": []}, registry) if isinstance(h, dict) else None for h in heads
    ]
    if (
        docs[0] is None
        or docs[1] is None
        or docs[0].key != docs[1].key
        or docs[0].kind != "action-plan"
    ):
        return None
    old_chunks, new_chunks = Counter(splits[0][1]), Counter(splits[1][1])
    common = old_chunks & new_chunks
    unchanged = _items(list(common.elements()))
    old_only = _items(list((old_chunks - common).elements()))
    new_only = _items(list((new_chunks - common).elements()))
    if unchanged is None or old_only is None or new_only is None:
        return None
    changes = list(_values("", heads[0], heads[1]))
    projects = list(_project_changes(_by_id(old_only), _by_id(new_only)))
    doc = docs[0]
    status: Status = "changed" if changes or projects else "unchanged"
    diff = DocDiff(doc.kind, doc.owner, doc.span, status, path, path, changes, projects)
    before = Summary(path, doc.key, _amounts([*unchanged, *old_only]))
    after = Summary(path, doc.key, _amounts([*unchanged, *new_only]))
    return before, after, diff


def _pairs(
    before: list[Summary], after: list[Summary]
) -> Iterator[tuple[Summary | None, Summary | None]]:
    """Match what did not stay at its path by key (a move); the rest stands alone."""
    by_key = {s.key: s for s in after}
    for old in before:
        new = by_key.pop(old.key, None)
        yield old, new
    yield from ((None, s) for s in by_key.values())


def _doc_diff(old: Doc | None, new: Doc | None) -> DocDiff:
    doc = new or old
    assert doc is not None
    if old is None or new is None:
        status: Status = "added" if old is None else "removed"
        projects = [_project_alone(p, status) for p in _projects(doc.data).values()]
        old_path, new_path = (old.path if old else None), (new.path if new else None)
        return DocDiff(doc.kind, doc.owner, doc.span, status, old_path, new_path, projects=projects)
    if old.kind == "action-plan":
        changes = list(_values("", _without(old.data, "projects"), _without(new.data, "projects")))
        projects = list(_project_changes(_projects(old.data), _projects(new.data)))
    else:
        changes, projects = list(_plan_changes(old.data, new.data)), []
    status = "changed" if changes or projects else "moved" if old.path != new.path else "unchanged"
    return DocDiff(doc.kind, doc.owner, doc.span, status, old.path, new.path, changes, projects)


def _without(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}


def _projects(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return _by_id(data.get("projects"))


def amount_of(project: dict[str, Any]) -> Decimal | None:
    budget = project.get("budget")
    amount = budget.get("amount") if isinstance(budget, dict) else None
    if isinstance(amount, bool) or not isinstance(amount, (int, Decimal)):
        return None
    return Decimal(amount)


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
    return str(element.get("id"))


def _amounts(projects: Iterable[dict[str, Any]]) -> Amounts:
    found = Amounts()
    for project in projects:
        amount, channel = amount_of(project), project.get("channel")
        if amount is not None and channel in CATEGORY:
            found = found + Amounts.of(channel, amount)
    return found


def _totals(
    before: list[Summary], after: list[Summary], documents: Iterable[DocDiff], registry: Registry
) -> list[TotalRow]:
    """Before and after of each owner whose action plan changed, and of its cluster."""
    touched = {
        (d.owner, d.span[0])
        for d in documents
        if d.kind == "action-plan" and d.status in ("added", "removed", "changed")
    }

    def cluster_of(owner: str) -> str:
        found = registry.cluster_of.get(owner)
        return found.id if found else owner

    Sums = dict[tuple[str, int], Amounts]

    def sums(side: list[Summary]) -> tuple[Sums, Sums]:
        owners: Sums = defaultdict(Amounts)
        clusters: Sums = defaultdict(Amounts)
        for summary in side:
            kind, owner, span = summary.key
            if kind == "action-plan":
                owners[owner, span[0]] += summary.amounts
                clusters[cluster_of(owner), span[0]] += summary.amounts
        return owners, clusters

    (owners_before, clusters_before), (owners_after, clusters_after) = sums(before), sums(after)
    rows = [
        TotalRow("owner", o, y, owners_before[o, y], owners_after[o, y]) for o, y in sorted(touched)
    ]
    for c, y in sorted({(cluster_of(o), y) for o, y in touched}):
        if c in registry.cluster_by_id:
            rows.append(TotalRow("cluster", c, y, clusters_before[c, y], clusters_after[c, y]))
    return rows
