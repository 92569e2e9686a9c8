"""The outline of a checked document: what the plan set (`provplan.planset`) keeps of it.

Built in the worker that read and checked the file, so only the outline travels back.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import TypeGuard

from provplan.model.base import is_be_year
from provplan.model.plan import (
    REFERENCE_PATTERN,
    ActionPlan,
    DevelopmentPlan,
    Indicator,
    ProgressReport,
    Project,
    quarter_span,
)
from provplan.model.registry import Registry
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
from provplan.shape import Document

_REFERENCE = re.compile(REFERENCE_PATTERN)
ZERO = Decimal(0)


def outline(doc: Document, registry: Registry) -> Outline:
    """The outline of a schema-valid document."""
    plan = doc.plan
    if isinstance(plan, ActionPlan):
        projects = tuple(_project(p, registry) for p in plan.projects)
        return ActionOutline(doc.path, doc.owner, plan.title, plan.fiscal_year, projects)
    if isinstance(plan, ProgressReport):
        return _progress(doc, plan)
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


def _progress(doc: Document, plan: ProgressReport) -> ProgressOutline:
    projects = tuple(
        ProjectProgressOutline(
            p.id,
            p.status,
            p.allocated,
            p.committed,
            p.disbursed,
            p.progress,
            tuple(p.problems),
            tuple(p.remedies),
        )
        for p in plan.projects
    )
    results = tuple(
        ResultOutline(r.id, number_or_text(r.actual), r.met, r.note) for r in plan.indicators
    )
    return ProgressOutline(
        doc.path,
        doc.owner,
        plan.title,
        plan.fiscal_year,
        plan.quarter,
        plan.as_of,
        projects,
        results,
    )


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
        return ActionOutline(path, owner, None, year, projects, complete=False)
    quarter = data.get("quarter")
    if kind == "progress-report" and _be_year(year) and _quarter(quarter):
        return _salvage_progress(data, path, owner, year)
    if kind in ("province-plan", "cluster-plan") and isinstance(period, dict):
        start, end = period.get("start"), period.get("end")
        if _be_year(start) and _be_year(end):
            issues = tuple(i for i in map(_salvage_issue, _list(data.get("strategic_issues"))) if i)
            return DevelopmentOutline(path, kind, owner, None, (start, end), issues, complete=False)
    return None


def _salvage_progress(data: dict[str, object], path: Path, owner: str, year: int) -> Outline:
    """The ids of a broken report, for the checks against its action plan; figures are left
    at 0 and not compared (`complete=False`)."""
    projects = tuple(
        ProjectProgressOutline(
            str(p["id"]), str(p.get("status", "")), None, ZERO, ZERO, ZERO, (), ()
        )
        for p in _list(data.get("projects"))
        if isinstance(p.get("id"), (str, int)) and not isinstance(p.get("id"), bool)
    )
    results = tuple(
        ResultOutline(str(r["id"]), number_or_text(actual), met, None)
        for r in _list(data.get("indicators"))
        if isinstance(r.get("id"), (str, int))
        and isinstance(actual := r.get("actual"), (str, int, Decimal))
        and not isinstance(actual, bool)
        and isinstance(met := r.get("met"), (bool, type(None)))
    )
    quarter = data["quarter"]
    assert _quarter(quarter)
    start, _ = quarter_span(year, quarter)  # `as_of` is not compared across files
    return ProgressOutline(
        path, owner, None, year, quarter, start, projects, results, complete=False
    )


def _quarter(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4


def _be_year(value: object) -> TypeGuard[int]:
    """A year the schema would accept (a Christian-era one is reported, not salvaged)."""
    return isinstance(value, int) and is_be_year(value)


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
