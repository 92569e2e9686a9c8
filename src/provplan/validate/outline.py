"""The outline of a checked document: what the plan set (`provplan.planset`) keeps of it.

Built in the worker that read and checked the file, so only the outline travels back.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from provplan.model.plan import REFERENCE_PATTERN, ActionPlan, Project
from provplan.planset import (
    ActionOutline,
    DevelopmentOutline,
    IssueOutline,
    Outline,
    ProjectOutline,
)
from provplan.registry import Registry
from provplan.shape import Document

_REFERENCE = re.compile(REFERENCE_PATTERN)


def outline(doc: Document, registry: Registry) -> Outline | None:
    """The outline of a document; of one that failed its schema, the parts that passed (when
    its owner and year or period did), marked incomplete: never used to add up money."""
    if not doc.complete:
        return _partial(doc, registry)
    plan = doc.plan
    if isinstance(plan, ActionPlan):
        projects = tuple(_project(p, registry) for p in plan.projects)
        return ActionOutline(doc.path, doc.owner, plan.title, plan.fiscal_year, projects)
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
    return DevelopmentOutline(doc.path, plan.kind, doc.owner, plan.title, period, issues)


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
        projects = tuple(
            p for i, project in doc.items("projects") if (p := _partial_project(doc, i, project))
        )
        return ActionOutline(doc.path, doc.owner, title, plan.fiscal_year, projects, False)
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
