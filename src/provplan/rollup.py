"""Cluster budget rollup (docs/rollup.md): each cluster's figures by level and member, by year.

The sums come from the budget ledger (`provplan.budget.count`); this module arranges them:
the cluster level and each member province, the breakdowns of `--by`, the provinces that have
no action plan for the year (reported as missing, never taken as zero). No I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Literal

from provplan.budget import ZERO, Amounts, Entry, Ledger, count, total
from provplan.channels import CHANNELS
from provplan.planset import PlanSet
from provplan.registry import Cluster, Registry
from provplan.thai import BUDGET_CLASSES

Level = Literal["cluster", "province"]


@dataclass(frozen=True, slots=True)
class Part:
    """One key of a `--by` breakdown."""

    key: str
    label: str
    amounts: Amounts


@dataclass(frozen=True)
class Line:
    """A row of a cluster's rollup: the cluster level or one member province."""

    level: Level
    owner: str
    entries: list[Entry]
    parts: list[Part] = field(default_factory=list)

    @cached_property
    def amounts(self) -> Amounts:
        return total(e.amounts for e in self.entries)


@dataclass(frozen=True)
class ClusterRollup:
    cluster: Cluster
    fiscal_year: int
    cluster_level: Line
    provinces: list[Line]
    missing: list[str]  # member provinces with no action plan for the year
    cluster_plan_missing: bool

    @property
    def amounts(self) -> Amounts:
        return self.cluster_level.amounts + total(p.amounts for p in self.provinces)

    @property
    def lines(self) -> list[Line]:
        return [self.cluster_level, *self.provinces]


@dataclass(frozen=True)
class Rollup:
    fiscal_year: int
    clusters: list[ClusterRollup]

    @property
    def amounts(self) -> Amounts:
        return total(c.amounts for c in self.clusters)


def clusters_for(
    plans: PlanSet, years: Sequence[int], clusters: Sequence[str], region: str | None
) -> list[Cluster]:
    """The clusters asked for, or those of the region, or those with action plans in `years`."""
    owners = {o.owner for o in plans.action_plans if o.fiscal_year in years}
    return plans.registry.select_clusters(clusters, region, owners)


@dataclass(frozen=True)
class RollupResult:
    """What `provplan rollup` reports: a rollup per fiscal year, and the registry that names
    its owners."""

    years: list[Rollup]
    registry: Registry


def rollup(
    plans: PlanSet, years: Sequence[int], clusters: Sequence[Cluster], by: str | None = None
) -> RollupResult:
    """Add up each cluster's budget for each fiscal year."""
    ledger = count(plans)
    with_plans = {(o.owner, o.fiscal_year) for o in plans.action_plans}
    found = [
        Rollup(
            year,
            [_cluster(plans, ledger, with_plans, cluster, year, by) for cluster in clusters],
        )
        for year in years
    ]
    return RollupResult(found, plans.registry)


def _cluster(
    plans: PlanSet,
    ledger: Ledger,
    with_plans: set[tuple[str, int]],
    cluster: Cluster,
    year: int,
    by: str | None,
) -> ClusterRollup:
    split = _BREAKDOWNS[by] if by else None

    def line(level: Level, owner: str) -> Line:
        found = ledger.counted(owner, year)
        return Line(level, owner, found, _parts(found, plans, split) if split else [])

    return ClusterRollup(
        cluster,
        year,
        line("cluster", cluster.id),
        [line("province", m) for m in cluster.members],
        [m for m in cluster.members if (m, year) not in with_plans],
        (cluster.id, year) not in with_plans,
    )


Split = Callable[[Entry, PlanSet], Iterator[tuple[str, str, Decimal]]]


def _parts(entries: list[Entry], plans: PlanSet, split: Split) -> list[Part]:
    labels: dict[str, str] = {}
    sums: dict[str, Amounts] = defaultdict(Amounts)
    for entry in entries:
        for key, label, amount in split(entry, plans):
            labels[key] = label
            sums[key] = sums[key] + Amounts.of(entry.project.channel, amount)
    return [Part(k, labels[k], sums[k]) for k in sorted(sums, key=part_order)]


_ORDER = {key: i for i, key in enumerate([*CHANNELS, *BUDGET_CLASSES])}


def part_order(key: str) -> tuple[int, str]:
    """Channels and budget classes in the official order, other keys alphabetically."""
    return _ORDER.get(key, len(_ORDER)), key


def _by_channel(entry: Entry, _: PlanSet) -> Iterator[tuple[str, str, Decimal]]:
    channel = entry.project.channel
    yield channel, CHANNELS[channel].label, entry.project.amount


def _by_issue(entry: Entry, plans: PlanSet) -> Iterator[tuple[str, str, Decimal]]:
    development = plans.development_plan(entry.plan)
    issue = development.issue(entry.project.strategic_issue) if development else None
    key = f"{entry.plan.owner}:{entry.project.strategic_issue}"
    yield key, issue.title if issue else key, entry.project.amount


def _by_strategy(entry: Entry, plans: PlanSet) -> Iterator[tuple[str, str, Decimal]]:
    development = plans.development_plan(entry.plan)
    issue = development.issue(entry.project.strategic_issue) if development else None
    key = f"{entry.plan.owner}:{entry.project.strategy}"
    title = issue.strategies.get(entry.project.strategy) if issue else None
    yield key, title or key, entry.project.amount


def _by_class(entry: Entry, _: PlanSet) -> Iterator[tuple[str, str, Decimal]]:
    project = entry.project
    for budget_class, amount in project.breakdown:
        yield budget_class, BUDGET_CLASSES[budget_class], amount
    rest = project.amount - sum((amount for _, amount in project.breakdown), ZERO)
    if rest or not project.breakdown:
        yield "unspecified", BUDGET_CLASSES["unspecified"], rest


def _by_agency(entry: Entry, _: PlanSet) -> Iterator[tuple[str, str, Decimal]]:
    yield entry.project.agency, entry.project.agency, entry.project.amount


_BREAKDOWNS: dict[str, Split] = {
    "channel": _by_channel,
    "issue": _by_issue,
    "strategy": _by_strategy,
    "class": _by_class,
    "agency": _by_agency,
}


@dataclass(frozen=True, slots=True)
class TidyRow:
    """One row of the CSV: the projects of one channel at one level and owner."""

    fiscal_year: int
    region: str
    cluster: str
    level: Level
    owner: str
    channel: str
    projects: int
    amount: Decimal


def tidy(rollups: Sequence[Rollup]) -> list[TidyRow]:
    """The rollup as tidy rows, one per year, cluster, level, owner and channel."""
    rows = []
    for year in rollups:
        for c in year.clusters:
            for line in c.lines:
                by_channel: dict[str, list[Entry]] = defaultdict(list)
                for entry in line.entries:
                    by_channel[entry.project.channel].append(entry)
                for channel in CHANNELS:
                    found = by_channel.get(channel)
                    if found:
                        amount = sum((e.project.amount for e in found), ZERO)
                        rows.append(
                            TidyRow(
                                year.fiscal_year,
                                c.cluster.region,
                                c.cluster.id,
                                line.level,
                                line.owner,
                                channel,
                                len(found),
                                amount,
                            )
                        )
    return rows
