"""PlanSet: the documents of one run with the look-ups the checks and later stages share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from provplan.documents import Document
from provplan.model.plan import ActionPlan, DevelopmentPlan
from provplan.model.registry import Registry


@dataclass(frozen=True)
class PlanSet:
    documents: list[Document]
    registry: Registry

    @cached_property
    def development_plans(self) -> dict[str, list[Document]]:
        """Development plans by owner id, in input order."""
        found: dict[str, list[Document]] = defaultdict(list)
        for doc in self.documents:
            if isinstance(doc.plan, DevelopmentPlan):
                found[doc.owner].append(doc)
        return found

    @cached_property
    def action_plans(self) -> list[Document]:
        return [d for d in self.documents if isinstance(d.plan, ActionPlan)]

    def plans_for(self, action: Document) -> list[Document]:
        """The development plans of the action plan's owner whose period holds its year."""
        assert isinstance(action.plan, ActionPlan)
        year = action.plan.fiscal_year
        return [
            d
            for d in self.development_plans.get(action.owner, [])
            if isinstance(d.plan, DevelopmentPlan) and year in d.plan.period.years()
        ]

    def development_plan(self, action: Document) -> DevelopmentPlan | None:
        """The one development plan an action plan implements, if exactly one exists."""
        plans = self.plans_for(action)
        return plans[0].plan if len(plans) == 1 else None  # type: ignore[return-value]
