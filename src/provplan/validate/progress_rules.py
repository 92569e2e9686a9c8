"""Rules inside one progress report: ids reported once, status against progress and amounts,
`as_of` inside the quarter, committed plus disbursed within an allocation that is written out.

A report that failed its schema is checked on the parts that passed (`Document.ok`).
"""

from __future__ import annotations

from collections.abc import Iterator

from provplan.diagnostics import Diagnostic
from provplan.i18n import msg
from provplan.model.plan import ProgressReport, ProjectProgress
from provplan.registry import Registry
from provplan.shape import Document
from provplan.thai import be_date
from provplan.validate.progress import money, over
from provplan.years import quarter_span


def check_progress_report(doc: Document, _: Registry) -> Iterator[Diagnostic]:
    """PP603/PP612 (ids once), PP606 (written allocation), PP608 (status), PP609 (as_of)."""
    report = doc.plan
    if not isinstance(report, ProgressReport):
        return
    yield from _once(doc, "projects", "PP603")
    yield from _once(doc, "indicators", "PP612")
    for i, project in doc.items("projects"):
        if not doc.ok("projects", i):
            continue
        yield from _status(doc, i, project)
        if project.allocated is not None and project.committed + project.disbursed > (
            project.allocated
        ):
            yield doc.report(
                "PP606",
                over(project.committed, project.disbursed, project.allocated),
                "projects",
                i,
                "disbursed" if project.disbursed else "committed",
            )
    if not all(doc.ok(key) for key in ("fiscal_year", "quarter", "as_of")):
        return
    start, end = quarter_span(report.fiscal_year, report.quarter)
    if not start <= report.as_of <= end:
        message = msg(
            "`as_of` {date} ({thai_date}) lies outside quarter {quarter} of fiscal year {year}, "
            "which runs from {start} to {end}; give the day the figures stand at, or the right "
            "quarter",
            date=report.as_of,
            thai_date=be_date(report.as_of),
            quarter=report.quarter,
            year=report.fiscal_year,
            start=start,
            end=end,
        )
        yield doc.report("PP609", message, "as_of")


def _once(doc: Document, key: str, code: str) -> Iterator[Diagnostic]:
    first: dict[str, int] = {}
    ids = [(i, item.id) for i, item in doc.items(key) if doc.ok(key, i, "id")]
    for i, element_id in ids:
        if element_id in first:
            line = doc.source.where(doc.at(key, first[element_id], "id"))[0]
            message = (
                msg(
                    "project `{id}` is already reported on line {line}; report each once, "
                    "cumulatively from 1 October",
                    id=element_id,
                    line=line,
                )
                if key == "projects"
                else msg(
                    "indicator `{id}` is already reported on line {line}; report each once, "
                    "cumulatively from 1 October",
                    id=element_id,
                    line=line,
                )
            )
            yield doc.report(code, message, key, i, "id")
        else:
            first[element_id] = i


def _status(doc: Document, i: int, p: ProjectProgress) -> Iterator[Diagnostic]:
    """PP608: what each status allows."""
    at = ("projects", i)
    if p.status == "completed" and p.progress != 100:
        message = msg("a completed project has progress 100, not {progress}", progress=p.progress)
        yield doc.report("PP608", message, *at, "progress")
    if p.status == "not-started":
        if p.progress != 0:
            message = msg(
                "a project not started has progress 0, not {progress}", progress=p.progress
            )
            yield doc.report("PP608", message, *at, "progress")
        if p.committed:
            message = msg("a project not started has nothing committed; is it `procurement`?")
            yield doc.report("PP608", message, *at, "committed")
        if p.disbursed:
            message = msg("a project not started has nothing disbursed; is it `procurement`?")
            yield doc.report("PP608", message, *at, "disbursed")
    if p.status in ("cancelled", "not-funded") and p.disbursed:
        message = msg(
            "a project that is {status} has nothing disbursed ({amount})",
            status=p.status,
            amount=money(p.disbursed),
        )
        yield doc.report("PP608", message, *at, "disbursed")
    if p.status == "not-funded" and p.allocated:
        message = msg(
            "a project not funded is allocated 0, not {amount}", amount=money(p.allocated)
        )
        yield doc.report("PP608", message, *at, "allocated")
