"""The validated plan set: what every stage after validation works on.

Validation reads each file and keeps its *outline* — owner, period or fiscal year, the ids
and titles of issues and strategies, each project's references and budget — and nothing more,
so the full models of a whole country never sit in memory or cross a process boundary
(docs/architecture.md). The outlines of one run form a `PlanSet`, with the look-ups that the
cross-file checks, the budget ledger (`provplan.budget`), render and review share.

Imports no pydantic model of the plans: a run whose files all come from the cache never
builds them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal, NamedTuple

if TYPE_CHECKING:
    from provplan.registry import Registry


class IssueOutline(NamedTuple):
    # NamedTuples, not dataclasses: tens of thousands go through workers and the cache
    id: str
    title: str
    strategies: dict[str, str]  # id -> title
    indicators: frozenset[str]
    aligns_with: tuple[str, ...]


class ProjectOutline(NamedTuple):
    id: str
    title: str
    strategic_issue: str
    strategy: str
    indicators: tuple[str, ...]
    channel: str
    area: tuple[str, ...]  # province ids where known, else as written
    amount: Decimal
    breakdown: tuple[tuple[str, Decimal], ...]
    agency: str


class IndicatorOutline(NamedTuple):
    """An indicator with what progress reports are measured against."""

    id: str
    name: str
    unit: str
    direction: str  # increase | decrease
    targets: tuple[tuple[int, Decimal | str], ...]  # BE year -> target

    def target(self, year: int) -> Decimal | str | None:
        return next((t for y, t in self.targets if y == year), None)


@dataclass(frozen=True, slots=True)
class DevelopmentOutline:
    """A province's or cluster's development plan."""

    path: Path
    kind: Literal["province-plan", "cluster-plan"]
    owner: str  # registry id where known, else as written
    title: str | None
    period: tuple[int, int]
    issues: tuple[IssueOutline, ...]
    complete: bool = True
    """False when the document failed its schema: only its well-formed parts are here."""
    digest: str = field(default="", compare=False)
    """The cache's key of the file's content, when the run has a cache."""
    indicators: dict[str, IndicatorOutline] = field(default_factory=dict)
    """Every indicator of the plan by id, with its targets (what progress is measured by)."""

    def years(self) -> range:
        return range(self.period[0], self.period[1] + 1)

    def issue(self, issue_id: str) -> IssueOutline | None:
        return next((i for i in self.issues if i.id == issue_id), None)


class _YearOfProjects:
    """What an action plan's and a progress report's outlines share: one fiscal year, and
    projects that may stand elsewhere in the file when some could not be read."""

    __slots__ = ()
    fiscal_year: int
    indexes: tuple[int, ...]

    def index(self, i: int) -> int:
        """The position in the file of the `i`th project of the outline."""
        return self.indexes[i] if self.indexes else i

    def years(self) -> range:
        return range(self.fiscal_year, self.fiscal_year + 1)


@dataclass(frozen=True, slots=True)
class ActionOutline(_YearOfProjects):
    """An annual action plan: the owner's projects and budget request for one fiscal year."""

    kind: ClassVar[Literal["action-plan"]] = "action-plan"
    path: Path
    owner: str
    title: str | None
    fiscal_year: int
    projects: Sequence[ProjectOutline]
    """A tuple, or the cache's lazy copy: read when a command first looks at the projects."""
    complete: bool = True
    """False when the document failed its schema: its money is not to be counted."""
    digest: str = field(default="", compare=False)
    """The cache's key of the file's content, when the run has a cache."""
    indexes: tuple[int, ...] = ()
    """Where each project stands in the file, when some could not be read (else in order)."""


class ProjectProgressOutline(NamedTuple):
    id: str
    status: str
    allocated: Decimal | None  # None: not given, the project's budget.amount applies
    committed: Decimal
    disbursed: Decimal
    progress: Decimal
    problems: tuple[str, ...]
    remedies: tuple[str, ...]


class ResultOutline(NamedTuple):
    """An indicator result of a progress report."""

    id: str
    actual: Decimal | str
    met: bool | None
    note: str | None


@dataclass(frozen=True, slots=True)
class ProgressOutline(_YearOfProjects):
    """A progress report: an action plan's projects and indicators at a quarter's end."""

    kind: ClassVar[Literal["progress-report"]] = "progress-report"
    path: Path
    owner: str
    title: str | None
    fiscal_year: int
    quarter: int
    as_of: datetime.date
    projects: Sequence[ProjectProgressOutline]
    """A tuple, or the cache's lazy copy: read when a command first looks at the projects."""
    results: tuple[ResultOutline, ...]
    complete: bool = True
    digest: str = field(default="", compare=False)
    """The cache's key of the file's content, when the run has a cache."""
    indexes: tuple[int, ...] = ()
    """Where each project stands in the file, when some could not be read (else in order)."""


Outline = DevelopmentOutline | ActionOutline | ProgressOutline


@dataclass(frozen=True)
class PlanSet:
    outlines: list[Outline]
    registry: Registry

    @cached_property
    def development_plans(self) -> dict[str, list[DevelopmentOutline]]:
        """Development plans by owner id, in input order."""
        found: dict[str, list[DevelopmentOutline]] = defaultdict(list)
        for outline in self.outlines:
            if isinstance(outline, DevelopmentOutline):
                found[outline.owner].append(outline)
        return found

    @cached_property
    def action_plans(self) -> list[ActionOutline]:
        return [o for o in self.outlines if isinstance(o, ActionOutline)]

    @cached_property
    def progress_reports(self) -> list[ProgressOutline]:
        return [o for o in self.outlines if isinstance(o, ProgressOutline)]

    @cached_property
    def action_plan_of(self) -> dict[tuple[str, int], ActionOutline]:
        """The (first) action plan of each owner and fiscal year."""
        found: dict[tuple[str, int], ActionOutline] = {}
        for plan in self.action_plans:
            found.setdefault((plan.owner, plan.fiscal_year), plan)
        return found

    @cached_property
    def incomplete(self) -> list[Outline]:
        """Documents that failed their schema: money and documents cannot be made of them."""
        return [o for o in self.outlines if not o.complete]

    def plans_for(self, action: ActionOutline | ProgressOutline) -> list[DevelopmentOutline]:
        """The development plans of the action plan's owner whose period holds its year."""
        return [
            d
            for d in self.development_plans.get(action.owner, [])
            if action.fiscal_year in d.years()
        ]

    def development_plan(
        self, action: ActionOutline | ProgressOutline
    ) -> DevelopmentOutline | None:
        """The one development plan an action plan implements, if exactly one exists."""
        plans = self.plans_for(action)
        return plans[0] if len(plans) == 1 else None

    def plans_during(self, owner: str, period: tuple[int, int]) -> list[DevelopmentOutline]:
        """The development plans of an owner whose period overlaps `period`."""
        start, end = period
        return [
            o
            for o in self.development_plans.get(owner, [])
            if o.period[0] <= end and start <= o.period[1]
        ]

    def fiscal_years(self) -> list[int]:
        """Every fiscal year with an action plan among the inputs."""
        return sorted({o.fiscal_year for o in self.action_plans})


def counted_for(owner: str, project: ProjectOutline) -> str:
    """The owner whose budget a project counts toward: a `cluster-in-province` project counts
    for the province in its `area`, any other for its document's owner (docs/format.md)."""
    if project.channel == "cluster-in-province" and project.area:
        return project.area[0]
    return owner


def allocated(progress: ProjectProgressOutline, project: ProjectOutline | None) -> Decimal:
    """What a project was allocated: as written, else its budget (0 when not funded)."""
    if progress.allocated is not None:
        return progress.allocated
    if progress.status == "not-funded" or project is None:
        return Decimal(0)
    return project.amount
