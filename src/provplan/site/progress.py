"""Where progress reports plug into the site: disbursement against the quarter's target, who
has not reported, and indicator actuals.

The `progress-report` kind and `provplan progress` (issue 11) are built elsewhere; this module
fixes the small typed structure the site reads — the figures of `provplan progress -f json`
(format.md, "Progress arithmetic") — and turns it into the page sections. Until a
`ProgressSource` gives data, every page says that nothing has been reported: the site never
shows a zero it did not get.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from provplan.model.registry import Registry
from provplan.planset import PlanSet
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
    """The source while the plan set holds no progress reports (issue 11 not merged)."""
    return None


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
