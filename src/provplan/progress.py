"""Progress arithmetic (docs/format.md, "Progress arithmetic"): what `provplan progress` adds up.

Over the budget-request projects, counted where the budget ledger (`provplan.budget.count`)
counts them: a `cluster-in-province` project, reported by its cluster, counts toward its
province. Each project's figures come from the report of the plan that lists it. A cluster
is its cluster level plus its member provinces; a member without a report for the quarter is
listed as missing, never taken as zero. Status counts and indicator results belong to the
report that holds them. Exact `Decimal`; rates rounded half-up to two places. No I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from provplan.budget import ZERO, Ledger, count
from provplan.channels import REQUEST_CHANNELS
from provplan.i18n import msg
from provplan.model.plan import STATUSES
from provplan.planset import (
    DevelopmentOutline,
    IndicatorOutline,
    PlanSet,
    ProgressOutline,
    ProjectOutline,
    ProjectProgressOutline,
    ResultOutline,
    allocated,
)
from provplan.registry import Cluster, Registry

Level = Literal["cluster", "province"]
BEHIND_POINTS = Decimal(20)
"""A project is at risk when its disbursement rate is this many points below the target."""
DONE = frozenset({"completed", "cancelled", "not-funded"})
"""Statuses with nothing more to happen in the year."""


def rate(part: Decimal, whole: Decimal) -> Decimal | None:
    """part ÷ whole × 100, rounded half-up to two places, exactly; None when whole is 0.

    Amounts have at most two decimals, so in satang they are integers and the rounding is
    done in integers: no intermediate result is ever rounded."""
    if not whole:
        return None
    numerator, denominator = int(part * 100) * 10_000, int(whole * 100)
    hundredths = (2 * numerator + denominator) // (2 * denominator)
    return Decimal(hundredths).scaleb(-2)


@dataclass(frozen=True, slots=True)
class Figures:
    """Allocated, committed and disbursed baht, and the rates they give."""

    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.allocated + other.allocated,
            self.committed + other.committed,
            self.disbursed + other.disbursed,
        )

    @property
    def disbursement_rate(self) -> Decimal | None:
        return rate(self.disbursed, self.allocated)

    @property
    def spending_rate(self) -> Decimal | None:
        return rate(self.disbursed + self.committed, self.allocated)

    def gap(self, target: Decimal | None) -> Decimal | None:
        """Points above (+) or below (-) the target disbursement rate."""
        actual = self.disbursement_rate
        return None if actual is None or target is None else actual - target


def total(items: Iterable[Figures]) -> Figures:
    return sum(items, Figures())


@dataclass(frozen=True, slots=True)
class Indicators:
    met: int = 0
    not_met: int = 0
    no_data: int = 0


@dataclass(frozen=True)
class Line:
    """The cluster level or one member province in a quarter."""

    level: Level
    owner: str
    report: ProgressOutline | None  # the owner's own report for the quarter
    figures: Figures
    projects: int  # budget-request projects counted here that were reported
    status: dict[str, int]
    indicators: Indicators

    @property
    def reported(self) -> bool:
        return self.report is not None


@dataclass(frozen=True)
class ClusterProgress:
    cluster: Cluster
    cluster_level: Line
    provinces: list[Line]  # member provinces that reported
    missing: list[str]  # member provinces without a report for the quarter

    @property
    def figures(self) -> Figures:
        return self.cluster_level.figures + total(p.figures for p in self.provinces)


@dataclass(frozen=True)
class Risk:
    """A project a reviewer asks about: suspended, unfinished at year end, or behind."""

    owner: str
    project: ProjectOutline | None
    progress: ProjectProgressOutline
    figures: Figures
    reasons: list[str]


@dataclass(frozen=True)
class Unmet:
    """An indicator result that does not meet its target."""

    owner: str
    indicator: IndicatorOutline
    target: Decimal | str
    result: ResultOutline


@dataclass(frozen=True)
class Progress:
    fiscal_year: int
    quarter: int
    target_rate: Decimal | None
    clusters: list[ClusterProgress]
    at_risk: list[Risk] = field(default_factory=list)
    not_met: list[Unmet] = field(default_factory=list)

    @property
    def figures(self) -> Figures:
        return total(c.figures for c in self.clusters)


# --- selection ----------------------------------------------------------------------------------


def latest_year(plans: PlanSet) -> int | None:
    return max((r.fiscal_year for r in plans.progress_reports), default=None)


def quarters(plans: PlanSet, year: int, clusters: Sequence[Cluster]) -> list[int]:
    """The quarters of a year that any owner of these clusters reported."""
    owners = {o for c in clusters for o in (c.id, *c.members)}
    return sorted(
        {r.quarter for r in plans.progress_reports if r.fiscal_year == year and r.owner in owners}
    )


def clusters_for(
    plans: PlanSet, year: int, clusters: Sequence[str], region: str | None
) -> list[Cluster]:
    """The clusters asked for, or those of the region, or those with reports for the year."""
    owners = {r.owner for r in plans.progress_reports if r.fiscal_year == year}
    return plans.registry.select_clusters(clusters, region, owners)


# --- the arithmetic -----------------------------------------------------------------------------


def verdicts(
    development: DevelopmentOutline, year: int, results: Iterable[ResultOutline]
) -> Iterator[tuple[IndicatorOutline, Decimal | str, ResultOutline | None, bool | None]]:
    """Each indicator with a target for `year`, its result if reported, and whether that
    meets the target (None: not reported, or text without `met`)."""
    reported = {r.id: r for r in results}
    for indicator in development.indicators.values():
        target = indicator.target(year)
        if target is not None:
            result = reported.get(indicator.id)
            yield indicator, target, result, meets(indicator, target, result) if result else None


def meets(indicator: IndicatorOutline, target: Decimal | str, result: ResultOutline) -> bool | None:
    """Whether a result meets its target: by `direction` for numbers, by `met` for text."""
    actual = result.actual
    if isinstance(target, str) or isinstance(actual, str):
        return result.met
    return actual >= target if indicator.direction == "increase" else actual <= target


class _Quarter:
    """The reports of one fiscal year and quarter, indexed for the lines."""

    def __init__(self, plans: PlanSet, ledger: Ledger, year: int, quarter: int) -> None:
        self.plans, self.ledger, self.year, self.quarter = plans, ledger, year, quarter
        self.reports: dict[str, ProgressOutline] = {}
        for report in plans.progress_reports:
            if report.fiscal_year == year and report.quarter == quarter:
                self.reports.setdefault(report.owner, report)  # a second one is PP605
        self.by_report = {owner: {p.id: p for p in r.projects} for owner, r in self.reports.items()}

    def line(self, level: Level, owner: str) -> Line:
        figures, projects = [], 0
        for entry in self.ledger.counted(owner, self.year):
            if entry.project.channel not in REQUEST_CHANNELS:
                continue
            progress = self.by_report.get(entry.plan.owner, {}).get(entry.project.id)
            if progress is not None:
                figures.append(_figures(progress, entry.project))
                projects += 1
        report = self.reports.get(owner)
        return Line(
            level,
            owner,
            report,
            total(figures),
            projects,
            _status(report),
            self.indicators(report),
        )

    def development(self, report: ProgressOutline) -> DevelopmentOutline | None:
        return self.plans.development_plan(report)

    def indicators(self, report: ProgressOutline | None) -> Indicators:
        if report is None:
            return Indicators()
        development = self.development(report)
        if development is None:
            return Indicators()
        found = Counter(met for *_, met in verdicts(development, self.year, report.results))
        return Indicators(found[True], found[False], found[None])


def _figures(progress: ProjectProgressOutline, project: ProjectOutline | None) -> Figures:
    return Figures(allocated(progress, project), progress.committed, progress.disbursed)


def _status(report: ProgressOutline | None) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for p in report.projects if report else ():
        counts[p.status] += 1
    return counts


def progress(
    plans: PlanSet,
    year: int,
    quarter: int,
    clusters: Sequence[Cluster],
    target_rate: Decimal | None,
    ledger: Ledger | None = None,
) -> Progress:
    """Each cluster's progress in a quarter, the projects at risk and the indicators not met."""
    q = _Quarter(plans, ledger or count(plans), year, quarter)
    found = []
    for cluster in clusters:
        members = [q.line("province", m) for m in cluster.members]
        found.append(
            ClusterProgress(
                cluster,
                q.line("cluster", cluster.id),
                [m for m in members if m.reported],
                [m.owner for m in members if not m.reported],
            )
        )
    reports = [
        line.report
        for c in found
        for line in (c.cluster_level, *c.provinces)
        if line.report is not None
    ]
    return Progress(
        year,
        quarter,
        target_rate,
        found,
        [r for report in reports for r in _risks(plans, report, target_rate)],
        [u for report in reports for u in _unmet(q, report)],
    )


def _risks(plans: PlanSet, report: ProgressOutline, target: Decimal | None) -> Iterable[Risk]:
    action = plans.action_plan_of.get((report.owner, report.fiscal_year))
    projects = {p.id: p for p in action.projects} if action else {}
    for progress in report.projects:
        project = projects.get(progress.id)
        figures = _figures(progress, project)
        reasons = []
        if progress.status == "suspended":
            reasons.append("ระงับการดำเนินงาน")
        if report.quarter == 4 and progress.status not in DONE | {"suspended"}:
            reasons.append("ไม่แล้วเสร็จภายในปีงบประมาณ")
        gap = figures.gap(target)
        if progress.status not in DONE and gap is not None and gap < -BEHIND_POINTS:
            reasons.append(f"เบิกจ่ายต่ำกว่าเป้าหมาย {-gap:.2f} จุด")
        if reasons:
            yield Risk(report.owner, project, progress, figures, reasons)


def _unmet(q: _Quarter, report: ProgressOutline) -> Iterable[Unmet]:
    development = q.development(report)
    if development is None:
        return
    for result in report.results:
        indicator = development.indicators.get(result.id)
        target = indicator.target(report.fiscal_year) if indicator else None
        if (
            indicator is not None
            and target is not None
            and meets(indicator, target, result) is False
        ):
            yield Unmet(report.owner, indicator, target, result)


class ProgressError(Exception):
    """Nothing to report for what was asked; the message says what there is."""


@dataclass(frozen=True)
class ProgressResult:
    """What `provplan progress` reports: one or more quarters, and the registry that names
    their owners."""

    quarters: list[Progress]
    registry: Registry


def report(
    plans: PlanSet,
    year: int | None,
    quarter: int | None,
    clusters: Sequence[str],
    region: str | None,
    target_rate: Callable[[int, int], Decimal | None],
    *,
    every_quarter: bool = False,
) -> ProgressResult:
    """The progress of the clusters asked for (or of the region, or of all that reported) in a
    quarter (default: the latest reported) of a year (default: the latest); with
    `every_quarter`, each reported quarter. Raises `ProgressError` when nothing was reported."""
    year = year or latest_year(plans)
    if year is None:
        raise ProgressError(
            msg("no progress reports among the files checked (kind: progress-report)")
        )
    chosen = clusters_for(plans, year, clusters, region)
    reported = quarters(plans, year, chosen)
    if not chosen or not reported:
        raise ProgressError(
            msg("no progress reports of any cluster or its provinces for {year}", year=year)
        )
    if quarter is not None and quarter not in reported:
        listed = ", ".join(map(str, reported))
        raise ProgressError(
            msg(
                "no progress reports for quarter {quarter} of {year} (reported: {listed})",
                quarter=quarter,
                year=year,
                listed=listed,
            )
        )
    wanted = [quarter] if quarter else reported if every_quarter else reported[-1:]
    ledger = count(plans)
    found = [progress(plans, year, q, chosen, target_rate(year, q), ledger) for q in wanted]
    return ProgressResult(found, plans.registry)
