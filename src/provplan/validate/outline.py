"""Outline: what the rest of a run needs to know of one valid document, and nothing more.

A worker reads a file, checks it, and returns its outline: owner, period or fiscal year, the
ids and titles of issues and strategies, and each project's references and budget. Cross-file
checks and the rollup work on outlines, so the full models never cross a process boundary or
stay in memory, and the cache stores outlines (issue #6).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from provplan.documents import Document
from provplan.model.plan import ActionPlan, Project
from provplan.model.registry import Registry


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
    area = tuple(registry.province_id(a) or a for a in p.area or ())
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
