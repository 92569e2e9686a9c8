"""Where progress reports plug into the site: disbursement against the quarter's target, who
has not reported, and indicator actuals.

This module fixes the small typed structure the site reads — the figures of `provplan progress
-f json` (docs/format.md, "Progress arithmetic") —, fills it from the plan set's progress
reports (`from_reports`), and turns it into the page sections. Where nothing is reported, the
pages say so: the site never shows a zero it did not get.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from provplan.planset import PlanSet
from provplan.progress import Figures, Line
from provplan.registry import Registry
from provplan.site.charts import Chart, Row, bar_chart

Actual = int | Decimal | str


@dataclass(frozen=True)
class Spending:
    """Budget-request projects' money, as `provplan progress` adds it up."""

    allocated: Decimal
    committed: Decimal
    disbursed: Decimal
    disbursement_rate: Decimal | None  # percent, two places; None when nothing allocated
    spending_rate: Decimal | None


@dataclass(frozen=True)
class OwnerProgress:
    """One office's report: its money and its indicators' actual values for the year."""

    owner: str
    spending: Spending
    actuals: dict[str, Actual] = field(default_factory=dict)  # indicator id -> actual


@dataclass(frozen=True)
class ClusterProgress:
    cluster: str
    spending: Spending  # the cluster level plus its reporting member provinces
    cluster_level: OwnerProgress | None  # None: the cluster has not reported
    provinces: list[OwnerProgress]
    missing: list[str]  # member provinces without a report for the quarter


@dataclass(frozen=True)
class Progress:
    """One fiscal year's latest quarter, as `provplan progress -y YEAR -f json` gives it."""

    fiscal_year: int
    quarter: int
    target_rate: Decimal | None  # the Budget Bureau's cumulative target, percent
    clusters: list[ClusterProgress]
    national: Spending

    def owner(self, owner: str) -> OwnerProgress | None:
        for c in self.clusters:
            for report in [c.cluster_level, *c.provinces]:
                if report is not None and report.owner == owner:
                    return report
        return None


ProgressSource = Callable[[PlanSet, int], Progress | None]
"""Gives a fiscal year's progress, or None when nothing is reported for it."""


def no_progress(plans: PlanSet, fiscal_year: int) -> Progress | None:
    """A source that has nothing reported (a site built without progress reports)."""
    return None


def from_reports(target_rate: Callable[[int, int], Decimal | None]) -> ProgressSource:
    """The plan set's own progress reports: a year's latest quarter, as `provplan progress`
    adds it up (`provplan.progress`), with `target_rate(year, quarter)` from provplan.yaml."""

    def source(plans: PlanSet, fiscal_year: int) -> Progress | None:
        from provplan import progress as core

        clusters = core.clusters_for(plans, fiscal_year, [], None)
        quarters = core.quarters(plans, fiscal_year, clusters)
        if not quarters:
            return None
        quarter = quarters[-1]
        found = core.progress(
            plans, fiscal_year, quarter, clusters, target_rate(fiscal_year, quarter)
        )
        return Progress(
            fiscal_year,
            quarter,
            found.target_rate,
            [
                ClusterProgress(
                    c.cluster.id,
                    _spending(c.figures),
                    _owner(c.cluster_level) if c.cluster_level.reported else None,
                    [_owner(line) for line in c.provinces],
                    c.missing,
                )
                for c in found.clusters
            ],
            _spending(found.figures),
        )

    return source


def _spending(figures: Figures) -> Spending:
    return Spending(
        figures.allocated,
        figures.committed,
        figures.disbursed,
        figures.disbursement_rate,
        figures.spending_rate,
    )


def _owner(line: Line) -> OwnerProgress:
    results = line.report.results if line.report else ()
    return OwnerProgress(line.owner, _spending(line.figures), {r.id: r.actual for r in results})


@dataclass(frozen=True)
class ProgressSection:
    """What the `progress` block of a page shows."""

    fiscal_year: int
    quarter: int | None  # None: nothing reported for the year
    target_rate: Decimal | None
    chart: Chart | None  # disbursement rate by owner, against the target
    rows: list[Row]
    not_reported: list[str]  # Thai labels


def section(
    progress: Progress | None, fiscal_year: int, scope: list[str], registry: Registry
) -> ProgressSection:
    """The progress of the clusters in `scope` (cluster ids), or of one province when `scope`
    names it: each one's disbursement rate against the target, and who has not reported."""
    if progress is None:
        return ProgressSection(fiscal_year, None, None, None, [], [])
    lines: list[tuple[str, Spending]] = []
    not_reported: list[str] = []
    for c in progress.clusters:
        if c.cluster in scope:
            lines.append((registry.label(c.cluster), c.spending))
            if c.cluster_level is None:
                not_reported.append(registry.label(c.cluster))
            not_reported += [registry.label(m) for m in c.missing]
        for report in c.provinces:
            if report.owner in scope:
                lines.append((registry.label(report.owner), report.spending))
        not_reported += [registry.label(m) for m in c.missing if m in scope]
    rates = [(label, s.disbursement_rate) for label, s in lines if s.disbursement_rate is not None]
    chart = (
        bar_chart(
            "disbursement",
            "อัตราการเบิกจ่ายเทียบกับเป้าหมาย (ร้อยละ; เส้นสีแดง: เป้าหมาย)",
            rates,
            percent=True,
            target=progress.target_rate,
        )
        if rates
        else None
    )
    rows = [
        Row(label, (_baht(s.allocated), _baht(s.disbursed), _rate(s.disbursement_rate)))
        for label, s in lines
    ]
    return ProgressSection(
        fiscal_year, progress.quarter, progress.target_rate, chart, rows, not_reported
    )


def _baht(value: Decimal) -> str:
    from provplan.thai import baht

    return baht(value)


def _rate(value: Decimal | None) -> str:
    return "–" if value is None else f"{value:.2f}"
