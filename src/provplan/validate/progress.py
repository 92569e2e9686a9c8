"""Rules of progress reports across documents (docs/format.md, "progress-report"): the action
plan reported on and its projects, the default allocation (the project's budget), one report
per quarter, figures that go down from an earlier quarter, indicator results against the
owner's development plan. The rules inside one report are in `progress_rules.py`."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from provplan.diagnostics import Finding, suggest
from provplan.planset import (
    ActionOutline,
    PlanSet,
    ProgressOutline,
    ProjectOutline,
    ProjectProgressOutline,
    allocated,
)


def money(value: Decimal) -> str:
    return f"{value:,}"


def over(committed: Decimal, disbursed: Decimal, allocated: Decimal) -> str:
    return (
        f"committed {money(committed)} plus disbursed {money(disbursed)} baht is "
        f"{money(committed + disbursed)}, more than the {money(allocated)} allocated"
    )


# --- across documents --------------------------------------------------------------------------


def check_progress_plans(plans: PlanSet) -> Iterator[Finding]:
    """PP601: a report reports on an action plan among the files checked (its projects are
    checked against it per pair: `check_report_against_plan`)."""
    for report in plans.progress_reports:
        if not plans.registry.knows(report.owner):
            continue  # PP301 already says the owner is unknown
        if (report.owner, report.fiscal_year) not in plans.action_plan_of:
            message = (
                f"no action plan of `{report.owner}` for fiscal year {report.fiscal_year} is "
                "among the files checked; a progress report reports on one: add it"
            )
            yield Finding(report.path, ("fiscal_year",), "PP601", message)


def check_report_against_plan(report: ProgressOutline, action: ActionOutline) -> Iterator[Finding]:
    """PP602/PP604: the report's projects are the action plan's; PP606/PP607: the allocation
    against the project's budget. Depends on the two files alone: the cache keeps it."""
    projects = {p.id: p for p in action.projects}
    for i, progress in enumerate(report.projects):
        project = projects.get(progress.id)
        if project is None:
            hint = suggest(progress.id, projects)
            message = (
                f"`{progress.id}` is not a project of the action plan {action.path} "
                f"({report.owner}, {report.fiscal_year}){hint}"
            )
            yield Finding(report.path, ("projects", report.index(i), "id"), "PP602", message)
            continue
        if report.complete:  # a broken report's figures were not read
            yield from _allocation(report, i, progress, project, action.complete)
    reported = {p.id for p in report.projects}
    missing = [p.id for p in action.projects if p.id not in reported]
    if missing:
        message = (
            f"the action plan's project{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} {'are' if len(missing) > 1 else 'is'} not reported; "
            "add each with its status (not-started, not-funded… when nothing happened)"
        )
        yield Finding(report.path, ("projects",), "PP604", message, key=True)


def _allocation(
    report: ProgressOutline,
    i: int,
    progress: ProjectProgressOutline,
    project: ProjectOutline,
    counted: bool,
) -> Iterator[Finding]:
    at = ("projects", report.index(i))
    if progress.allocated is None:
        amount = allocated(progress, project)
        spent = progress.committed + progress.disbursed
        if spent > amount:
            message = (
                f"{over(progress.committed, progress.disbursed, amount)} (the project's "
                "budget, as no `allocated` is given); write what was allocated"
            )
            key = "disbursed" if progress.disbursed else "committed"
            yield Finding(report.path, (*at, key), "PP606", message)
    elif counted and progress.allocated > project.amount:
        message = (
            f"allocated {money(progress.allocated)} baht is more than the project's budget "
            f"of {money(project.amount)} in the action plan; check the figure"
        )
        yield Finding(report.path, (*at, "allocated"), "PP607", message)


def check_progress_quarters(plans: PlanSet) -> Iterator[Finding]:
    """PP605: one report per owner, fiscal year and quarter."""
    for reports in _by_owner_and_year(plans).values():
        seen: dict[int, ProgressOutline] = {}
        for report in reports:
            if report.quarter in seen:
                message = (
                    f"`{report.owner}` already has a progress report for quarter "
                    f"{report.quarter} of {report.fiscal_year} in {seen[report.quarter].path}; "
                    "keep one"
                )
                yield Finding(report.path, ("quarter",), "PP605", message)
            else:
                seen[report.quarter] = report


def successive_reports(plans: PlanSet) -> Iterator[tuple[ProgressOutline, ProgressOutline]]:
    """Each report with the owner's latest earlier report of the fiscal year (the first of
    each quarter, as PP605 keeps): the pairs `check_went_down` compares."""
    for reports in _by_owner_and_year(plans).values():
        first: dict[int, ProgressOutline] = {}
        for report in reports:
            first.setdefault(report.quarter, report)
        for quarter, report in first.items():
            earlier = [q for q in first if q < quarter]
            if earlier:
                yield report, first[max(earlier)]


def _by_owner_and_year(plans: PlanSet) -> dict[tuple[str, int], list[ProgressOutline]]:
    found: dict[tuple[str, int], list[ProgressOutline]] = {}
    for report in plans.progress_reports:
        found.setdefault((report.owner, report.fiscal_year), []).append(report)
    return found


def check_went_down(now: ProgressOutline, before: ProgressOutline) -> Iterator[Finding]:
    """PP610: cumulative figures that go down from the owner's earlier report of the year."""
    if not (before.complete and now.complete):
        return  # a report that failed its schema has no figures to compare
    old = {p.id: p for p in before.projects}
    for i, project in enumerate(now.projects):
        was = old.get(project.id)
        if was is None:
            continue
        for key, unit in (("disbursed", " baht"), ("progress", "%")):
            then, value = getattr(was, key), getattr(project, key)
            if value < then:
                message = (
                    f"{key} {value:,}{unit} is lower than the {then:,}{unit} reported for quarter "
                    f"{before.quarter} ({before.path}); figures are cumulative from 1 October"
                )
                yield Finding(now.path, ("projects", now.index(i), key), "PP610", message)


def check_progress_indicators(plans: PlanSet) -> Iterator[Finding]:
    """PP611: each result names an indicator of the owner's development plan with a target
    for the year; PP613: `met` is given where it cannot be worked out."""
    for report in plans.progress_reports:
        development = plans.development_plan(report)
        if development is None:
            continue  # no plan to check against: PP401-style problems of the action plan
        for i, result in enumerate(report.results):
            indicator = development.indicators.get(result.id)
            target = indicator.target(report.fiscal_year) if indicator else None
            if indicator is None or target is None:
                why = "is not an indicator of" if indicator is None else "has no target for"
                hint = suggest(result.id, development.indicators) if indicator is None else ""
                message = (
                    f"`{result.id}` {why} the development plan of `{report.owner}` "
                    f"({development.period[0]}-{development.period[1]})"
                    f"{' for ' + str(report.fiscal_year) if indicator else ''}{hint}"
                )
                yield Finding(report.path, ("indicators", i, "id"), "PP611", message)
            elif result.met is None and (isinstance(target, str) or isinstance(result.actual, str)):
                message = (
                    f"the target of `{result.id}` for {report.fiscal_year} is `{target}` and the "
                    f"actual `{result.actual}`: say whether it is met with `met: true` or "
                    "`met: false`"
                )
                yield Finding(report.path, ("indicators", i), "PP613", message)
