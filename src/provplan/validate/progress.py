"""Rules of progress reports (docs/format.md, "progress-report").

Per document: ids reported once, status against progress and amounts, `as_of` inside the
quarter, committed plus disbursed within an allocation that is written out. Across documents:
the action plan reported on and its projects, the default allocation (the project's budget),
one report per quarter, figures that go down from an earlier quarter, indicator results
against the owner's development plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from provplan.diagnostics import Diagnostic, Finding, suggest
from provplan.model.plan import ProgressReport, ProjectProgress, quarter_span
from provplan.model.registry import Registry
from provplan.planset import (
    ActionOutline,
    PlanSet,
    ProgressOutline,
    ProjectOutline,
    ProjectProgressOutline,
    allocated,
)
from provplan.shape import Document
from provplan.thai import be_date
from provplan.validate.owners import owner_known


def _money(value: Decimal) -> str:
    return f"{value:,}"


# --- one document ------------------------------------------------------------------------------


def check_progress_report(doc: Document, _: Registry) -> Iterator[Diagnostic]:
    """PP603/PP612 (ids once), PP606 (written allocation), PP608 (status), PP609 (as_of)."""
    report = doc.plan
    if not isinstance(report, ProgressReport):
        return
    yield from _once(doc, "projects", [p.id for p in report.projects], "PP603", "project")
    yield from _once(doc, "indicators", [r.id for r in report.indicators], "PP612", "indicator")
    for i, project in enumerate(report.projects):
        yield from _status(doc, i, project)
        if project.allocated is not None and project.committed + project.disbursed > (
            project.allocated
        ):
            yield doc.report(
                "PP606",
                _over(project.committed, project.disbursed, project.allocated),
                "projects",
                i,
                "disbursed" if project.disbursed else "committed",
            )
    start, end = quarter_span(report.fiscal_year, report.quarter)
    if not start <= report.as_of <= end:
        message = (
            f"`as_of` {report.as_of} ({be_date(report.as_of)}) lies outside quarter "
            f"{report.quarter} of fiscal year {report.fiscal_year}, which runs from {start} "
            f"to {end}; give the day the figures stand at, or the right quarter"
        )
        yield doc.report("PP609", message, "as_of")


def _once(doc: Document, key: str, ids: list[str], code: str, what: str) -> Iterator[Diagnostic]:
    first: dict[str, int] = {}
    for i, element_id in enumerate(ids):
        if element_id in first:
            line = doc.source.where(doc.at(key, first[element_id], "id"))[0]
            message = (
                f"{what} `{element_id}` is already reported on line {line}; "
                "report each once, cumulatively from 1 October"
            )
            yield doc.report(code, message, key, i, "id")
        else:
            first[element_id] = i


def _over(committed: Decimal, disbursed: Decimal, allocated: Decimal) -> str:
    return (
        f"committed {_money(committed)} plus disbursed {_money(disbursed)} baht is "
        f"{_money(committed + disbursed)}, more than the {_money(allocated)} allocated"
    )


def _status(doc: Document, i: int, p: ProjectProgress) -> Iterator[Diagnostic]:
    """PP608: what each status allows."""
    at = ("projects", i)
    if p.status == "completed" and p.progress != 100:
        yield doc.report(
            "PP608", f"a completed project has progress 100, not {p.progress}", *at, "progress"
        )
    if p.status == "not-started":
        if p.progress != 0:
            message = f"a project not started has progress 0, not {p.progress}"
            yield doc.report("PP608", message, *at, "progress")
        for key in ("committed", "disbursed"):
            if getattr(p, key):
                message = f"a project not started has nothing {key}; is it `procurement`?"
                yield doc.report("PP608", message, *at, key)
    if p.status in ("cancelled", "not-funded") and p.disbursed:
        message = f"a project that is {p.status} has nothing disbursed ({_money(p.disbursed)})"
        yield doc.report("PP608", message, *at, "disbursed")
    if p.status == "not-funded" and p.allocated:
        message = f"a project not funded is allocated 0, not {_money(p.allocated)}"
        yield doc.report("PP608", message, *at, "allocated")


# --- across documents --------------------------------------------------------------------------


def check_progress_plans(plans: PlanSet) -> Iterator[Finding]:
    """PP601/PP602/PP604: the action plan and its projects; PP606/PP607: the allocation
    against the project's budget."""
    for report in plans.progress_reports:
        if not owner_known(report.owner, plans.registry):
            continue  # PP301 already says the owner is unknown
        action = plans.action_plan_of.get((report.owner, report.fiscal_year))
        if action is None:
            message = (
                f"no action plan of `{report.owner}` for fiscal year {report.fiscal_year} is "
                "among the files checked; a progress report reports on one: add it"
            )
            yield Finding(report.path, ("fiscal_year",), "PP601", message)
            continue
        yield from _against_plan(report, action)


def _against_plan(report: ProgressOutline, action: ActionOutline) -> Iterator[Finding]:
    projects = {p.id: p for p in action.projects}
    for i, progress in enumerate(report.projects):
        project = projects.get(progress.id)
        if project is None:
            hint = suggest(progress.id, projects)
            message = (
                f"`{progress.id}` is not a project of the action plan {action.path} "
                f"({report.owner}, {report.fiscal_year}){hint}"
            )
            yield Finding(report.path, ("projects", i, "id"), "PP602", message)
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
    at = ("projects", i)
    if progress.allocated is None:
        amount = allocated(progress, project)
        spent = progress.committed + progress.disbursed
        if spent > amount:
            message = (
                f"{_over(progress.committed, progress.disbursed, amount)} (the project's "
                "budget, as no `allocated` is given); write what was allocated"
            )
            key = "disbursed" if progress.disbursed else "committed"
            yield Finding(report.path, (*at, key), "PP606", message)
    elif counted and progress.allocated > project.amount:
        message = (
            f"allocated {_money(progress.allocated)} baht is more than the project's budget "
            f"of {_money(project.amount)} in the action plan; check the figure"
        )
        yield Finding(report.path, (*at, "allocated"), "PP607", message)


def check_progress_quarters(plans: PlanSet) -> Iterator[Finding]:
    """PP605: one report per owner, fiscal year and quarter; PP610: cumulative figures that go
    down from the owner's latest earlier report of the year."""
    by_owner: dict[tuple[str, int], list[ProgressOutline]] = {}
    for report in plans.progress_reports:
        by_owner.setdefault((report.owner, report.fiscal_year), []).append(report)
    for reports in by_owner.values():
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
        for quarter, report in seen.items():
            earlier = [q for q in seen if q < quarter]
            if earlier:
                yield from _went_down(seen[max(earlier)], report)


def _went_down(before: ProgressOutline, now: ProgressOutline) -> Iterator[Finding]:
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
                yield Finding(now.path, ("projects", i, key), "PP610", message)


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
