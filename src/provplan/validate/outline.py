"""Outline: what the rest of a run needs to know of one valid document, and nothing more.

A worker reads a file, checks it, and returns its outline: owner, period or fiscal year, the
ids and titles of issues and strategies, and each project's references and budget. Cross-file
checks and the rollup work on outlines, so the full models never cross a process boundary or
stay in memory, and the cache stores outlines (issue #6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, TypeGuard

from provplan.documents import Document
from provplan.model.plan import REFERENCE_PATTERN, ActionPlan, Project
from provplan.model.registry import Registry

_REFERENCE = re.compile(REFERENCE_PATTERN)


class IssueOutline(NamedTuple):
    # NamedTuples, not dataclasses: tens of thousands cross processes and the cache, and
    # tuples pickle several times faster (issue #6)
    id: str
    title: str
    strategies: dict[str, str]  # id -> title
    indicators: frozenset[str]
    aligns_with: tuple[str, ...]


class ProjectOutline(NamedTuple):
    id: str
    title: str
    strategic_issue: str
    strategy: str
    indicators: tuple[str, ...]
    channel: str
    area: tuple[str, ...]  # province ids where known, else as written
    amount: Decimal
    breakdown: tuple[tuple[str, Decimal], ...]
    agency: str


@dataclass(frozen=True, slots=True)
class Outline:
    path: Path
    kind: str
    owner: str  # registry id where known, else as written
    title: str | None
    period: tuple[int, int] | None  # development plans
    fiscal_year: int | None  # action plans
    issues: tuple[IssueOutline, ...] = ()
    projects: tuple[ProjectOutline, ...] = ()

    @property
    def is_action_plan(self) -> bool:
        return self.fiscal_year is not None

    def years(self) -> range:
        if self.period is not None:
            return range(self.period[0], self.period[1] + 1)
        assert self.fiscal_year is not None
        return range(self.fiscal_year, self.fiscal_year + 1)

    def issue(self, issue_id: str) -> IssueOutline | None:
        return next((i for i in self.issues if i.id == issue_id), None)


def outline(doc: Document, registry: Registry) -> Outline:
    """The outline of a schema-valid document."""
    plan = doc.plan
    if isinstance(plan, ActionPlan):
        projects = tuple(_project(p, registry) for p in plan.projects)
        return Outline(
            doc.path, plan.kind, doc.owner, plan.title, None, plan.fiscal_year, projects=projects
        )
    issues = tuple(
        IssueOutline(
            issue.id,
            issue.title,
            {s.id: s.title for s in issue.strategies},
            frozenset(issue.indicator_ids()),
            tuple(issue.aligns_with),
        )
        for issue in plan.strategic_issues
    )
    period = (plan.period.start, plan.period.end)
    return Outline(doc.path, plan.kind, doc.owner, plan.title, period, None, issues=issues)


def _project(p: Project, registry: Registry) -> ProjectOutline:
    area = tuple(registry.owner_id(a) for a in p.area or ())
    breakdown = tuple((p.budget.breakdown or {}).items())
    return ProjectOutline(
        p.id,
        p.title,
        p.strategic_issue,
        p.strategy,
        tuple(p.indicators),
        p.channel,
        area,
        p.budget.amount,
        breakdown,
        p.agency,
    )


def salvage(data: object, path: Path, registry: Registry) -> Outline | None:
    """What can be told of a document that failed the schema, so that the cross-file checks
    still report on its other parts in the same run: its owner, year or period, and the
    projects and issues whose references are well formed. Never used to add up money."""
    if not isinstance(data, dict) or not isinstance(data.get("owner"), str):
        return None
    owner = registry.owner_id(data["owner"])
    kind, year, period = data.get("kind"), data.get("fiscal_year"), data.get("period")
    if kind == "action-plan" and _be_year(year):
        projects = tuple(p for p in map(_salvage_project, _list(data.get("projects"))) if p)
        return Outline(path, kind, owner, None, None, year, projects=projects)
    if kind in ("province-plan", "cluster-plan") and isinstance(period, dict):
        start, end = period.get("start"), period.get("end")
        if _be_year(start) and _be_year(end):
            issues = tuple(i for i in map(_salvage_issue, _list(data.get("strategic_issues"))) if i)
            return Outline(path, kind, owner, None, (start, end), None, issues=issues)
    return None


def _be_year(value: object) -> TypeGuard[int]:
    """A year the schema would accept (a Christian-era one is reported, not salvaged)."""
    return isinstance(value, int) and 2400 <= value <= 2800


def _list(value: object) -> list[dict[str, object]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _ids(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _salvage_project(p: dict[str, object]) -> ProjectOutline | None:
    refs = [p.get(k) for k in ("id", "strategic_issue", "strategy")]
    if not all(isinstance(r, (str, int)) for r in refs):
        return None
    pid, issue, strategy = (str(r) for r in refs)
    return ProjectOutline(
        pid,
        str(p.get("title", "")),
        issue,
        strategy,
        _ids(p.get("indicators")),
        str(p.get("channel", "")),
        (),
        Decimal(0),
        (),
        str(p.get("agency", "")),
    )


def _salvage_issue(i: dict[str, object]) -> IssueOutline | None:
    if not isinstance(i.get("id"), (str, int)):
        return None
    strategies = {
        str(s["id"]): str(s.get("title", "")) for s in _list(i.get("strategies")) if "id" in s
    }
    indicators = frozenset(
        str(n["id"]) for g in _list(i.get("goals")) for n in _list(g.get("indicators")) if "id" in n
    )
    return IssueOutline(
        str(i["id"]),
        str(i.get("title", "")),
        strategies,
        indicators,
        tuple(str(r) for r in _list_of_str(i.get("aligns_with"))),
    )


def _list_of_str(value: object) -> list[str]:
    """Well-formed `OWNER:ID` references only; PP111 already reports the others."""
    found = value if isinstance(value, list) else []
    return [v for v in found if isinstance(v, str) and _REFERENCE.match(v)]
