"""The seed's cluster linkage table: per cluster issue, every project of the cluster and its
provinces sorted into the six roles by level (docs/format.md, "Channels")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from provplan.channels import CHANNELS, LEVELS, OTHER_CARRIERS, Level
from provplan.planset import DevelopmentOutline, IssueOutline, PlanSet, ProjectOutline, counted_for


class Role(NamedTuple):
    level: Level
    level_th: str
    title: str
    channels: tuple[str, ...]


def _roles() -> list[Role]:
    """The seed's rows, by level; in a level, the budget request first and, beside a
    province's own request, the cluster's projects requested as that province's."""
    levels = list(LEVELS)
    categories = ("budget_request", "ministry_support", "other_sources")
    by_role: dict[int, list[str]] = defaultdict(list)
    for channel in CHANNELS.values():
        by_role[channel.role].append(channel.id)

    def place(role: int) -> tuple[int, int, bool, int]:
        first = CHANNELS[by_role[role][0]]
        area = first.request_of == "area"
        return levels.index(first.level), categories.index(first.category), area, role

    roles = []
    for number in sorted(by_role, key=place):
        first = CHANNELS[by_role[number][0]]
        title = first.label if len(by_role[number]) == 1 else OTHER_CARRIERS
        roles.append(Role(first.level, LEVELS[first.level], title, tuple(by_role[number])))
    return roles


ROLES = _roles()
"""The six roles of the seed in its order, and a seventh for the carriers outside them."""

Groups = list[tuple[str | None, list[ProjectOutline]]]
"""A role's projects by the province they count for (None: the cluster's own)."""


@dataclass(frozen=True)
class Section:
    issue: IssueOutline | None  # None: province projects aligned with no cluster issue
    number: int | None
    roles: dict[int, Groups]  # index into ROLES -> groups


def linkages(plans: PlanSet) -> list[tuple[str, int]]:
    """Every cluster and year with a cluster plan and some action plan of its members."""
    found = set()
    for cluster in plans.registry.clusters:
        for plan in plans.development_plans.get(cluster.id, []):
            for action in plans.action_plans:
                related = action.owner == cluster.id or action.owner in cluster.members
                if related and action.fiscal_year in plan.years():
                    found.add((cluster.id, action.fiscal_year))
    return sorted(found)


def sections(
    plans: PlanSet, cluster: str, members: list[str], year: int, development: DevelopmentOutline
) -> list[Section]:
    """Per cluster issue (and one for what aligns with none), each role's projects grouped by
    the province they count for, in the cluster's member order."""
    role_of = {c: i for i, role in enumerate(ROLES) for c in role.channels}
    placed: dict[str | None, dict[int, dict[str | None, list[ProjectOutline]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for action in plans.action_plans:
        if action.fiscal_year != year or (action.owner != cluster and action.owner not in members):
            continue
        own = action.owner == cluster
        province_plan = None if own else plans.development_plan(action)
        for p in action.projects:
            issue = p.strategic_issue if own else _aligned(province_plan, p, cluster)
            carrier = counted_for(action.owner, p)
            placed[issue][role_of[p.channel]][None if carrier == cluster else carrier].append(p)
    order: dict[str | None, int] = {None: -1, **{m: i for i, m in enumerate(members)}}

    def roles(issue: str | None) -> dict[int, Groups]:
        return {
            role: sorted(groups.items(), key=lambda g: order[g[0]])
            for role, groups in placed[issue].items()
        }

    found = [Section(i, n, roles(i.id)) for n, i in enumerate(development.issues, 1)]
    if None in placed:
        found.append(Section(None, None, roles(None)))
    return found


def _aligned(
    province_plan: DevelopmentOutline | None, project: ProjectOutline, cluster: str
) -> str | None:
    """The cluster issue a province project serves, through its issue's `aligns_with`."""
    issue = province_plan.issue(project.strategic_issue) if province_plan else None
    for ref in issue.aligns_with if issue else ():
        owner, _, issue_id = ref.partition(":")
        if owner == cluster:
            return issue_id
    return None
