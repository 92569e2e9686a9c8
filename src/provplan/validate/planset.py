"""PlanSet: the outlines of one run, with the look-ups cross-file checks and the rollup share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from provplan.model.registry import Registry
from provplan.validate.outline import Outline, ProjectOutline


@dataclass(frozen=True)
class PlanSet:
    outlines: list[Outline]
    registry: Registry

    @cached_property
    def development_plans(self) -> dict[str, list[Outline]]:
        """Development plans by owner id, in input order."""
        found: dict[str, list[Outline]] = defaultdict(list)
        for outline in self.outlines:
            if not outline.is_action_plan:
                found[outline.owner].append(outline)
        return found

    @cached_property
    def action_plans(self) -> list[Outline]:
        return [o for o in self.outlines if o.is_action_plan]

    def plans_for(self, action: Outline) -> list[Outline]:
        """The development plans of the action plan's owner whose period holds its year."""
        return [
            d
            for d in self.development_plans.get(action.owner, [])
            if action.fiscal_year in d.years()
        ]

    def development_plan(self, action: Outline) -> Outline | None:
        """The one development plan an action plan implements, if exactly one exists."""
        plans = self.plans_for(action)
        return plans[0] if len(plans) == 1 else None

    def plans_during(self, owner: str, period: tuple[int, int]) -> list[Outline]:
        """The development plans of an owner whose period overlaps `period`."""
        start, end = period
        return [
            o
            for o in self.development_plans.get(owner, [])
            if o.period and o.period[0] <= end and start <= o.period[1]
        ]

    @cached_property
    def hosted(self) -> dict[tuple[str, int], list[ProjectOutline]]:
        """Projects that count toward another owner than their document's, by that owner and
        fiscal year: the `cluster-in-province` projects of each province."""
        found: dict[tuple[str, int], list[ProjectOutline]] = defaultdict(list)
        for action in self.action_plans:
            for project in action.projects:
                owner = counted_for(action.owner, project)
                if owner != action.owner and action.fiscal_year is not None:
                    found[owner, action.fiscal_year].append(project)
        return found


def counted_for(owner: str, project: ProjectOutline) -> str:
    """The owner whose budget a project counts toward: a `cluster-in-province` project counts
    for the province in its `area` (format.md), any other for its document's owner."""
    if project.channel == "cluster-in-province" and project.area:
        return project.area[0]
    return owner
