"""Rules inside one document: unique ids, period, targets, budget arithmetic, approvals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from provplan.diagnostics import Diagnostic
from provplan.documents import Document
from provplan.model.plan import ActionPlan, DevelopmentPlan
from provplan.validate.planset import PlanSet

MAX_PERIOD_YEARS = 10


def element_ids(doc: Document) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every id in a document with the location of its element."""
    plan = doc.plan
    if isinstance(plan, ActionPlan):
        for i, project in enumerate(plan.projects):
            yield ("projects", i), project.id
        return
    for i, issue in enumerate(plan.strategic_issues):
        at = ("strategic_issues", i)
        yield at, issue.id
        for j, goal in enumerate(issue.goals):
            yield (*at, "goals", j), goal.id
            for k, indicator in enumerate(goal.indicators):
                yield (*at, "goals", j, "indicators", k), indicator.id
        for j, strategy in enumerate(issue.strategies):
            yield (*at, "strategies", j), strategy.id


def check_unique_ids(plans: PlanSet) -> Iterator[Diagnostic]:
    """PP201: ids are unique within a document across all kinds of element."""
    for doc in plans.documents:
        first: dict[str, tuple[Any, ...]] = {}
        for loc, element_id in element_ids(doc):
            if element_id in first:
                line, _ = doc.source.where(doc.at(*first[element_id], "id"))
                yield doc.report(
                    "PP201",
                    f"id `{element_id}` is already used on line {line}; "
                    "give this element an id of its own",
                    *loc,
                    "id",
                )
            else:
                first[element_id] = loc


def check_period(plans: PlanSet) -> Iterator[Diagnostic]:
    """PP202: start ≤ end, at most ten years."""
    for doc in plans.documents:
        if not isinstance(doc.plan, DevelopmentPlan):
            continue
        period = doc.plan.period
        if period.start > period.end:
            yield doc.report(
                "PP202",
                f"the period starts in {period.start}, after it ends in "
                f"{period.end}; swap `start` and `end`",
                "period",
            )
        elif period.end - period.start + 1 > MAX_PERIOD_YEARS:
            yield doc.report(
                "PP202",
                f"the period {period.start}-{period.end} is longer than {MAX_PERIOD_YEARS} years",
                "period",
            )


def _sane(plan: DevelopmentPlan) -> bool:
    return 0 <= plan.period.end - plan.period.start < MAX_PERIOD_YEARS


def check_targets(plans: PlanSet) -> Iterator[Diagnostic]:
    """PP203/PP204/PP207: a target for every year of the period and none outside it."""
    for doc in plans.documents:
        plan = doc.plan
        if not isinstance(plan, DevelopmentPlan) or not _sane(plan):
            continue  # PP202 already says the period is wrong
        years = set(plan.period.years())
        for i, issue in enumerate(plan.strategic_issues):
            for j, goal in enumerate(issue.goals):
                for k, indicator in enumerate(goal.indicators):
                    at = ("strategic_issues", i, "goals", j, "indicators", k)
                    yield from _targets(doc, at, indicator.targets.keys(), years)
                    baseline = indicator.baseline
                    if baseline is not None and baseline.year >= plan.period.start:
                        yield doc.report(
                            "PP207",
                            f"baseline year {baseline.year} is not before "
                            f"the period ({plan.period.start}-{plan.period.end})",
                            *at,
                            "baseline",
                            "year",
                        )


def _targets(
    doc: Document, at: tuple[Any, ...], given: Any, years: set[int]
) -> Iterator[Diagnostic]:
    missing = sorted(years - set(given))
    if missing:
        listed = ", ".join(map(str, missing))
        yield doc.report(
            "PP203",
            f"no target (ค่าเป้าหมาย) for {listed}; every year of the period needs one",
            *at,
            "targets",
        )
    for year in sorted(set(given) - years):
        yield doc.report(
            "PP204",
            f"target for {year} lies outside the period {min(years)}-{max(years)}; remove it",
            *at,
            "targets",
            year,
            key=True,
        )


def check_budgets(plans: PlanSet) -> Iterator[Diagnostic]:
    """PP205/PP206: breakdown and activities each add up exactly to the amount."""
    for doc in plans.action_plans:
        assert isinstance(doc.plan, ActionPlan)
        for i, project in enumerate(doc.plan.projects):
            amount = project.budget.amount
            breakdown = project.budget.breakdown
            if breakdown is not None and sum(breakdown.values()) != amount:
                total = sum(breakdown.values())
                yield doc.report(
                    "PP205",
                    f"the breakdown adds up to {total:,} baht but the amount "
                    f"is {amount:,} (difference {total - amount:+,})",
                    "projects",
                    i,
                    "budget",
                    "breakdown",
                )
            if project.activities:
                total = sum(a.budget for a in project.activities)
                if total != amount:
                    yield doc.report(
                        "PP206",
                        f"the activities add up to {total:,} baht but the "
                        f"budget is {amount:,} (difference {total - amount:+,})",
                        "projects",
                        i,
                        "activities",
                    )


def check_approvals(plans: PlanSet) -> Iterator[Diagnostic]:
    """PP208: approvals listed in date order, as the plan passed each body."""
    for doc in plans.documents:
        dates = [a.date for a in doc.plan.approvals]
        for i in range(1, len(dates)):
            if dates[i] < dates[i - 1]:
                yield doc.report(
                    "PP208",
                    f"approval dated {dates[i]} is listed after one dated "
                    f"{dates[i - 1]}; list approvals in date order",
                    "approvals",
                    i,
                    "date",
                )
