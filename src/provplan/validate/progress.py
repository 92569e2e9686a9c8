"""Rules of progress reports across documents (docs/format.md, "progress-report"): the action
plan reported on and its projects, the default allocation (the project's budget), one report
per quarter, figures that go down from an earlier quarter, indicator results against the
owner's development plan. The rules inside one report are in `progress_rules.py`."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from provplan.diagnostics import Finding, suggest
from provplan.i18n import Message, msg, plural
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


def over(committed: Decimal, disbursed: Decimal, allocated: Decimal) -> Message:
    return msg(
        "committed {committed} plus disbursed {disbursed} baht is {total}, more than the "
        "{allocated} allocated",
        committed=money(committed),
        disbursed=money(disbursed),
        total=money(committed + disbursed),
        allocated=money(allocated),
    )


# --- across documents --------------------------------------------------------------------------


def check_progress_plans(plans: PlanSet) -> Iterator[Finding]:
    """PP601: a report reports on an action plan among the files checked (its projects are
    checked against it per pair: `check_report_against_plan`)."""
    for report in plans.progress_reports:
        if not plans.registry.knows(report.owner):
            continue  # PP301 already says the owner is unknown
        if (report.owner, report.fiscal_year) not in plans.action_plan_of:
            message = msg(
                "no action plan of `{owner}` for fiscal year {year} is among the files "
                "checked; a progress report reports on one: add it",
                owner=report.owner,
                year=report.fiscal_year,
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
            message = msg(
                "`{id}` is not a project of the action plan {path} ({owner}, {year}){hint}",
                id=progress.id,
                path=action.path,
                owner=report.owner,
                year=report.fiscal_year,
                hint=hint,
            )
            yield Finding(report.path, ("projects", report.index(i), "id"), "PP602", message)
            continue
        if report.complete:  # a broken report's figures were not read
            yield from _allocation(report, i, progress, project, action.complete)
    reported = {p.id for p in report.projects}
    missing = [p.id for p in action.projects if p.id not in reported]
    if missing:
        message = plural(
            "the action plan's project {ids} is not reported; add it with its status "
            "(not-started, not-funded… when nothing happened)",
            "the action plan's projects {ids} are not reported; add each with its status "
            "(not-started, not-funded… when nothing happened)",
            len(missing),
            ids=", ".join(missing),
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
            message = msg(
                "{problem} (the project's budget, as no `allocated` is given); write what was "
                "allocated",
                problem=over(progress.committed, progress.disbursed, amount),
            )
            key = "disbursed" if progress.disbursed else "committed"
            yield Finding(report.path, (*at, key), "PP606", message)
    elif counted and progress.allocated > project.amount:
        message = msg(
            "allocated {allocated} baht is more than the project's budget of {budget} in the "
            "action plan; check the figure",
            allocated=money(progress.allocated),
            budget=money(project.amount),
        )
        yield Finding(report.path, (*at, "allocated"), "PP607", message)


def check_progress_quarters(plans: PlanSet) -> Iterator[Finding]:
    """PP605: one report per owner, fiscal year and quarter."""
    for reports in _by_owner_and_year(plans).values():
        seen: dict[int, ProgressOutline] = {}
        for report in reports:
            if report.quarter in seen:
                message = msg(
                    "`{owner}` already has a progress report for quarter {quarter} of {year} "
                    "in {path}; keep one",
                    owner=report.owner,
                    quarter=report.quarter,
                    year=report.fiscal_year,
                    path=seen[report.quarter].path,
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
        at = ("projects", now.index(i))
        if project.disbursed < was.disbursed:
            message = msg(
                "disbursed {now} baht is lower than the {then} baht reported for quarter "
                "{quarter} ({path}); figures are cumulative from 1 October",
                now=money(project.disbursed),
                then=money(was.disbursed),
                quarter=before.quarter,
                path=before.path,
            )
            yield Finding(now.path, (*at, "disbursed"), "PP610", message)
        if project.progress < was.progress:
            message = msg(
                "progress {now}% is lower than the {then}% reported for quarter {quarter} "
                "({path}); figures are cumulative from 1 October",
                now=project.progress,
                then=was.progress,
                quarter=before.quarter,
                path=before.path,
            )
            yield Finding(now.path, (*at, "progress"), "PP610", message)


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
                period = f"{development.period[0]}-{development.period[1]}"
                message = (
                    msg(
                        "`{id}` is not an indicator of the development plan of `{owner}` "
                        "({period}){hint}",
                        id=result.id,
                        owner=report.owner,
                        period=period,
                        hint=suggest(result.id, development.indicators),
                    )
                    if indicator is None
                    else msg(
                        "`{id}` has no target for {year} in the development plan of `{owner}` "
                        "({period})",
                        id=result.id,
                        year=report.fiscal_year,
                        owner=report.owner,
                        period=period,
                    )
                )
                yield Finding(report.path, ("indicators", i, "id"), "PP611", message)
            elif result.met is None and (isinstance(target, str) or isinstance(result.actual, str)):
                message = msg(
                    "the target of `{id}` for {year} is `{target}` and the actual `{actual}`: "
                    "say whether it is met with `met: true` or `met: false`",
                    id=result.id,
                    year=report.fiscal_year,
                    target=target,
                    actual=result.actual,
                )
                yield Finding(report.path, ("indicators", i), "PP613", message)
