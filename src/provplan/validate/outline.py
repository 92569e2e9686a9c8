"""The outline of a checked document: what the plan set (`provplan.planset`) keeps of it.

Built in the worker that read and checked the file, so only the outline travels back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from provplan.model.plan import (
    REFERENCE_PATTERN,
    ActionPlan,
    DevelopmentPlan,
    Indicator,
    ProgressReport,
    Project,
)
from provplan.planset import (
    ActionOutline,
    DevelopmentOutline,
    IndicatorOutline,
    IssueOutline,
    Outline,
    ProgressOutline,
    ProjectOutline,
    ProjectProgressOutline,
    ResultOutline,
)
from provplan.registry import Registry
from provplan.shape import Document

_REFERENCE = re.compile(REFERENCE_PATTERN)
ZERO = Decimal(0)


def outline(doc: Document, registry: Registry) -> Outline | None:
    """The outline of a document; of one that failed its schema, the parts that passed (when
    its owner and year or period did), marked incomplete: never used to add up money."""
    if not doc.complete:
        return _partial(doc, registry)
    plan = doc.plan
    if isinstance(plan, ActionPlan):
        projects = tuple(_project(p, registry) for p in plan.projects)
        return ActionOutline(doc.path, doc.owner, plan.title, plan.fiscal_year, projects)
    if isinstance(plan, ProgressReport):
        return _progress(doc, plan, range(len(plan.projects)), range(len(plan.indicators)))
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
    indicators = {i.id: _indicator(i) for i in _indicators(plan)}
    return DevelopmentOutline(
        doc.path, plan.kind, doc.owner, plan.title, period, issues, indicators=indicators
    )


def _indicators(plan: DevelopmentPlan) -> list[Indicator]:
    return [i for issue in plan.strategic_issues for g in issue.goals for i in g.indicators]


def number_or_text(value: int | Decimal | str) -> Decimal | str:
    return value if isinstance(value, str) else Decimal(value)


def _indicator(i: Indicator) -> IndicatorOutline:
    targets = tuple((year, number_or_text(t)) for year, t in i.targets.items())
    return IndicatorOutline(i.id, i.name, i.unit, i.direction, targets)


def _progress(
    doc: Document, plan: ProgressReport, projects: Iterable[int], results: Iterable[int]
) -> ProgressOutline:
    """A report's outline, of the projects and results given by index (of a report that
    failed its schema: those whose figures passed; it is marked incomplete)."""
    kept = list(projects)
    found = tuple(_project_progress(doc, i, plan.projects[i]) for i in kept)
    outcomes = tuple(
        ResultOutline(r.id, number_or_text(r.actual), r.met, r.note)
        for r in (plan.indicators[i] for i in results)
    )
    title = plan.title if doc.ok("title") else None
    return ProgressOutline(
        doc.path,
        doc.owner,
        title,
        plan.fiscal_year,
        plan.quarter,
        plan.as_of,
        found,
        outcomes,
        doc.complete,
        indexes=() if doc.complete else tuple(kept),
    )


def _project_progress(doc: Document, i: int, p: Any) -> ProjectProgressOutline:
    """A project's progress; of one that failed its schema, its id alone (figures are not
    compared: the report is incomplete)."""
    if doc.ok("projects", i):
        return ProjectProgressOutline(
            p.id,
            p.status,
            p.allocated,
            p.committed,
            p.disbursed,
            p.progress,
            tuple(p.problems),
            tuple(p.remedies),
        )
    status = p.status if doc.ok("projects", i, "status") else ""
    return ProjectProgressOutline(p.id, status, None, ZERO, ZERO, ZERO, (), ())


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


def _partial(doc: Document, registry: Registry) -> Outline | None:
    plan = doc.plan
    if not doc.ok("owner"):
        return None
    title = plan.title if doc.ok("title") else None
    if isinstance(plan, ActionPlan):
        if not doc.ok("fiscal_year"):
            return None
        kept = [
            (i, p)
            for i, project in doc.items("projects")
            if (p := _partial_project(doc, i, project))
        ]
        projects = tuple(p for _, p in kept)
        indexes = tuple(i for i, _ in kept)
        return ActionOutline(
            doc.path, doc.owner, title, plan.fiscal_year, projects, False, indexes=indexes
        )
    if isinstance(plan, ProgressReport):
        if not all(doc.ok(key) for key in ("fiscal_year", "quarter", "as_of")):
            return None
        reported = [i for i, _ in doc.items("projects") if doc.ok("projects", i, "id")]
        results = [i for i, _ in doc.items("indicators") if doc.ok("indicators", i)]
        return _progress(doc, plan, reported, results)
    if not doc.ok("period"):
        return None
    issues = tuple(
        i for n, issue in doc.items("strategic_issues") if (i := _partial_issue(doc, n, issue))
    )
    period = (plan.period.start, plan.period.end)
    return DevelopmentOutline(doc.path, plan.kind, doc.owner, title, period, issues, False)


def _partial_project(doc: Document, i: int, p: Any) -> ProjectOutline | None:
    """A project's references, when they passed; its money is never counted."""
    at = ("projects", i)
    if not all(doc.ok(*at, key) for key in ("id", "strategic_issue", "strategy")):
        return None

    def get(key: str, default: Any) -> Any:
        return getattr(p, key) if doc.ok(*at, key) and getattr(p, key, None) else default

    indicators = tuple(get("indicators", ()))
    return ProjectOutline(
        p.id, get("title", ""), p.strategic_issue, p.strategy, indicators,
        get("channel", ""), (), Decimal(0), (), get("agency", ""),
    )  # fmt: skip


def _partial_issue(doc: Document, n: int, issue: Any) -> IssueOutline | None:
    at = ("strategic_issues", n)
    if not doc.ok(*at, "id"):
        return None
    strategies = {
        s.id: s.title if doc.ok(*at, "strategies", j, "title") else ""
        for j, s in doc.items(*at, "strategies")
        if doc.ok(*at, "strategies", j, "id")
    }
    indicators = frozenset(
        i.id
        for j, _ in doc.items(*at, "goals")
        for k, i in doc.items(*at, "goals", j, "indicators")
        if doc.ok(*at, "goals", j, "indicators", k, "id")
    )
    title = issue.title if doc.ok(*at, "title") else ""
    return IssueOutline(issue.id, title, strategies, indicators, _references(doc, n))


def _references(doc: Document, n: int) -> tuple[str, ...]:
    """Well-formed `OWNER:ID` references of an issue, even when others are not (PP111)."""
    raw = doc.source.data["strategic_issues"][n]
    found = raw.get("aligns_with") if isinstance(raw, dict) else None
    return (
        tuple(r for r in found if isinstance(r, str) and _REFERENCE.match(r))
        if isinstance(found, list)
        else ()
    )
