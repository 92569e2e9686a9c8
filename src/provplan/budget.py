"""The money rule: every figure of baht that provplan shows comes from `count` (docs/rollup.md).

`count` goes once over a plan set and records each project where it counts: a
`cluster-in-province` project toward the province in its `area`, every other project toward
its action plan's owner. Rollup, diff, render and the progress reports all add up these
entries; none of them re-derives a total of its own. Exact `Decimal`, no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from provplan.channels import category
from provplan.planset import ActionOutline, PlanSet, ProjectOutline, counted_for

ZERO = Decimal(0)
AMOUNT_KEYS = ("budget_request", "ministry_support", "other_sources", "total")


@dataclass(frozen=True, slots=True)
class Amounts:
    """Baht by budget category: the budget request, ministry support and other sources."""

    budget_request: Decimal = ZERO
    ministry_support: Decimal = ZERO
    other_sources: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.budget_request + self.ministry_support + self.other_sources

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(
            self.budget_request + other.budget_request,
            self.ministry_support + other.ministry_support,
            self.other_sources + other.other_sources,
        )

    def __sub__(self, other: Amounts) -> Amounts:
        return Amounts(
            self.budget_request - other.budget_request,
            self.ministry_support - other.ministry_support,
            self.other_sources - other.other_sources,
        )

    @classmethod
    def of(cls, channel: str, amount: Decimal) -> Amounts:
        return cls(**{category(channel): amount})

    def as_dict(self) -> dict[str, Decimal]:
        return {
            "budget_request": self.budget_request,
            "ministry_support": self.ministry_support,
            "other_sources": self.other_sources,
            "total": self.total,
        }


def total(items: Iterable[Amounts]) -> Amounts:
    return sum(items, Amounts())


@dataclass(frozen=True, slots=True)
class Entry:
    """A project as the money rule counts it: toward `owner`, from the action plan `plan`."""

    owner: str
    project: ProjectOutline
    plan: ActionOutline

    @property
    def fiscal_year(self) -> int:
        return self.plan.fiscal_year

    @property
    def amounts(self) -> Amounts:
        return Amounts.of(self.project.channel, self.project.amount)


class Ledger:
    """Every project of a plan set, counted once, with the sums the commands ask for."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self._by_owner: dict[tuple[str, int], list[Entry]] = defaultdict(list)
        self._by_plan: dict[int, list[Entry]] = defaultdict(list)
        for entry in entries:
            self._by_owner[entry.owner, entry.fiscal_year].append(entry)
            self._by_plan[id(entry.plan)].append(entry)

    def counted(self, owner: str, year: int) -> list[Entry]:
        """The projects that count toward an owner's budget in a fiscal year."""
        return self._by_owner.get((owner, year), [])

    def listed(self, plan: ActionOutline) -> list[Entry]:
        """The projects an action plan lists, wherever they count."""
        return self._by_plan.get(id(plan), [])

    def amounts(self, owner: str, year: int) -> Amounts:
        """An owner's figures: what counts toward it, whichever plan lists it."""
        return total(e.amounts for e in self.counted(owner, year))

    def cluster_amounts(self, cluster: str, members: Iterable[str], year: int) -> Amounts:
        """A cluster's figures: its own level plus each member province."""
        return self.amounts(cluster, year) + total(self.amounts(m, year) for m in members)


def count(plans: PlanSet) -> Ledger:
    """The money rule over a plan set: each project of each action plan, counted once."""
    return Ledger(
        [
            Entry(counted_for(plan.owner, project), project, plan)
            for plan in plans.action_plans
            for project in plan.projects
        ]
    )
