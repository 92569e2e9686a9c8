"""Rules inside one document: unique ids, period, targets, budget arithmetic, approvals.

Each check takes one document and the registry, so it runs in the worker that read the file.
A document that failed its schema is checked too, on the parts that passed (`Document.ok`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from provplan.diagnostics import Diagnostic
from provplan.i18n import msg
from provplan.model.plan import ActionPlan, DevelopmentPlan
from provplan.registry import Registry
from provplan.shape import Document

MAX_PERIOD_YEARS = 10


def element_ids(doc: Document) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every id in a document with the location of its element."""
    if isinstance(doc.plan, ActionPlan):
        for i, project in doc.items("projects"):
            if doc.ok("projects", i, "id"):
                yield ("projects", i), project.id
        return
    if not isinstance(doc.plan, DevelopmentPlan):
        return  # a progress report repeats its plan's ids: `validate.progress` checks them
    for at, element in _elements(doc):
        if doc.ok(*at, "id"):
            yield at, element.id


def _elements(doc: Document) -> Iterator[tuple[tuple[Any, ...], Any]]:
    for i, issue in doc.items("strategic_issues"):
        at = ("strategic_issues", i)
        yield at, issue
        for j, goal in doc.items(*at, "goals"):
            yield (*at, "goals", j), goal
            for k, indicator in doc.items(*at, "goals", j, "indicators"):
                yield (*at, "goals", j, "indicators", k), indicator
        for j, strategy in doc.items(*at, "strategies"):
            yield (*at, "strategies", j), strategy


def indicators(doc: Document) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every indicator of a development plan that is there, with its location."""
    for at, element in _elements(doc):
        if len(at) == 6:
            yield at, element


def check_unique_ids(doc: Document, _: Registry) -> Iterator[Diagnostic]:
    """PP201: ids are unique within a document across all kinds of element."""
    first: dict[str, tuple[Any, ...]] = {}
    for loc, element_id in element_ids(doc):
        if element_id not in first:
            first[element_id] = loc
            continue
        line = doc.source.where(doc.at(*first[element_id], "id"))[0]
        message = msg(
            "id `{id}` is already used on line {line}; give this element its own",
            id=element_id,
            line=line,
        )
        yield doc.report("PP201", message, *loc, "id")


def period_ok(doc: Document) -> bool:
    """Whether a development plan's period passed the schema and is sound (PP202)."""
    if not isinstance(doc.plan, DevelopmentPlan) or not doc.ok("period"):
        return False
    return 0 <= doc.plan.period.end - doc.plan.period.start < MAX_PERIOD_YEARS


def check_period(doc: Document, _: Registry) -> Iterator[Diagnostic]:
    """PP202: start ≤ end, at most ten years."""
    if not isinstance(doc.plan, DevelopmentPlan) or not doc.ok("period") or period_ok(doc):
        return
    start, end = doc.plan.period.start, doc.plan.period.end
    if start > end:
        message = msg(
            "the period starts in {start}, after it ends in {end}; swap `start` and `end`",
            start=start,
            end=end,
        )
    else:
        message = msg(
            "the period {start}-{end} is longer than {most} years",
            start=start,
            end=end,
            most=MAX_PERIOD_YEARS,
        )
    yield doc.report("PP202", message, "period")


def check_targets(doc: Document, _: Registry) -> Iterator[Diagnostic]:
    """PP203/PP204/PP207: a target for every year of the period, none outside it."""
    plan = doc.plan
    if not isinstance(plan, DevelopmentPlan) or not period_ok(doc):
        return  # PP202, or the schema, already says the period is wrong
    years = set(plan.period.years())
    span = f"{plan.period.start}-{plan.period.end}"
    for at, indicator in indicators(doc):
        if doc.ok(*at, "targets"):
            missing = sorted(years - indicator.targets.keys())
            if missing:
                message = msg(
                    "no target for {years}; every year of {period} needs one",
                    years=", ".join(map(str, missing)),
                    period=span,
                )
                yield doc.report("PP203", message, *at, "targets")
            for year in sorted(indicator.targets.keys() - years):
                message = msg(
                    "target for {year} lies outside the period {period}; remove it",
                    year=year,
                    period=span,
                )
                yield doc.report("PP204", message, *at, "targets", year, key=True)
        baseline = indicator.baseline if doc.ok(*at, "baseline") else None
        if baseline is not None and baseline.year >= plan.period.start:
            message = msg(
                "baseline year {year} is not before the period ({period})",
                year=baseline.year,
                period=span,
            )
            yield doc.report("PP207", message, *at, "baseline", "year")


def check_budgets(doc: Document, _: Registry) -> Iterator[Diagnostic]:
    """PP205/PP206: breakdown and activities each add up exactly to the amount."""
    if not isinstance(doc.plan, ActionPlan):
        return
    for i, project in doc.items("projects"):
        if not doc.ok("projects", i, "budget", "amount"):
            continue
        amount = project.budget.amount
        breakdown = project.budget.breakdown if doc.ok("projects", i, "budget") else None
        if breakdown is not None:
            total = sum(breakdown.values())
            if total != amount:
                message = msg(
                    "the breakdown adds up to {total} baht but the amount is {amount} "
                    "(difference {difference})",
                    total=f"{total:,}",
                    amount=f"{amount:,}",
                    difference=f"{total - amount:+,}",
                )
                yield doc.report("PP205", message, "projects", i, "budget", "breakdown")
        if doc.ok("projects", i, "activities") and project.activities:
            total = sum(a.budget for a in project.activities)
            if total != amount:
                message = msg(
                    "the activities add up to {total} baht but the budget is {amount} "
                    "(difference {difference})",
                    total=f"{total:,}",
                    amount=f"{amount:,}",
                    difference=f"{total - amount:+,}",
                )
                yield doc.report("PP206", message, "projects", i, "activities")


def check_approvals(doc: Document, _: Registry) -> Iterator[Diagnostic]:
    """PP208: approvals listed in date order, as the plan passed each body."""
    dated = [(i, a.date) for i, a in doc.items("approvals") if doc.ok("approvals", i, "date")]
    for (_first, before), (at, date) in itertools.pairwise(dated):
        if date < before:
            message = msg(
                "approval dated {date} is listed after one dated {before}; "
                "list approvals in date order",
                date=date,
                before=before,
            )
            yield doc.report("PP208", message, "approvals", at, "date")
