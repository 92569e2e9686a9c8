"""The site's baht figures, all taken from the rollup (`provplan.rollup`), itself fed by the
budget ledger (`provplan.budget.count`): the site adds up nothing on its own, so its pages
and `provplan rollup -f json` cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from provplan.budget import Amounts, total
from provplan.channels import CHANNELS
from provplan.planset import PlanSet
from provplan.rollup import ClusterRollup, Line, Rollup, clusters_for, part_order, rollup


@dataclass(frozen=True)
class ChannelAmount:
    channel: str
    label: str
    amounts: Amounts


@dataclass(frozen=True)
class Figures:
    """The rollup of one fiscal year, by channel, with the look-ups the pages need."""

    year: Rollup

    @property
    def fiscal_year(self) -> int:
        return self.year.fiscal_year

    @cached_property
    def by_cluster(self) -> dict[str, ClusterRollup]:
        return {c.cluster.id: c for c in self.year.clusters}

    @cached_property
    def by_owner(self) -> dict[str, Line]:
        """Each owner's line of the rollup: a cluster's own level or a member province."""
        return {line.owner: line for c in self.year.clusters for line in c.lines}

    def region(self, region: str) -> Rollup:
        """The region's clusters as a rollup of their own (its `amounts` is the region's)."""
        return Rollup(
            self.fiscal_year, [c for c in self.year.clusters if c.cluster.region == region]
        )

    def regions(self) -> list[str]:
        return sorted({c.cluster.region for c in self.year.clusters})

    def by_channel(self, lines: list[Line]) -> list[ChannelAmount]:
        """The `--by channel` parts of some rollup lines, per channel in the official order."""
        keys = sorted({p.key for line in lines for p in line.parts}, key=part_order)
        return [
            ChannelAmount(
                key,
                CHANNELS[key].label,
                total(p.amounts for line in lines for p in line.parts if p.key == key),
            )
            for key in keys
        ]

    def national_by_channel(self) -> list[ChannelAmount]:
        return self.by_channel([line for c in self.year.clusters for line in c.lines])


def figures(plans: PlanSet, fiscal_year: int) -> Figures:
    """The rollup of every cluster with an action plan in the year, broken down by channel:
    what `provplan rollup -y YEAR --by channel` adds up."""
    clusters = clusters_for(plans, [fiscal_year], [], None)
    return Figures(rollup(plans, [fiscal_year], clusters, "channel").years[0])
