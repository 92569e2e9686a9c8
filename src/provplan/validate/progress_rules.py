"""Rules inside one progress report: ids reported once, status against progress and amounts,
`as_of` inside the quarter, committed plus disbursed within an allocation that is written out.

A report that failed its schema is checked on the parts that passed (`Document.ok`).
"""

from __future__ import annotations

from collections.abc import Iterator

from provplan.diagnostics import Diagnostic
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
    yield from _once(doc, "projects", "PP603", "project")
    yield from _once(doc, "indicators", "PP612", "indicator")
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
        message = (
            f"`as_of` {report.as_of} ({be_date(report.as_of)}) lies outside quarter "
            f"{report.quarter} of fiscal year {report.fiscal_year}, which runs from {start} "
            f"to {end}; give the day the figures stand at, or the right quarter"
        )
        yield doc.report("PP609", message, "as_of")


def _once(doc: Document, key: str, code: str, what: str) -> Iterator[Diagnostic]:
    first: dict[str, int] = {}
    ids = [(i, item.id) for i, item in doc.items(key) if doc.ok(key, i, "id")]
    for i, element_id in ids:
        if element_id in first:
            line = doc.source.where(doc.at(key, first[element_id], "id"))[0]
            message = (
                f"{what} `{element_id}` is already reported on line {line}; "
                "report each once, cumulatively from 1 October"
            )
            yield doc.report(code, message, key, i, "id")
        else:
            first[element_id] = i


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
        message = f"a project that is {p.status} has nothing disbursed ({money(p.disbursed)})"
        yield doc.report("PP608", message, *at, "disbursed")
    if p.status == "not-funded" and p.allocated:
        message = f"a project not funded is allocated 0, not {money(p.allocated)}"
        yield doc.report("PP608", message, *at, "allocated")
