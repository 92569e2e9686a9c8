"""Rules against the registry: owners, and each project's channel and area."""

from __future__ import annotations

from collections.abc import Iterator

from provplan.diagnostics import Diagnostic
from provplan.documents import Document, suggest
from provplan.model.plan import ActionPlan, ClusterPlan, Project, ProvincePlan
from provplan.model.registry import Registry
from provplan.validate.planset import PlanSet

EITHER = frozenset({"ministry", "local-government", "other-state", "private"})
PROVINCE_CHANNELS = frozenset({"province-request", "province-ministry-support"}) | EITHER
CLUSTER_CHANNELS = (
    frozenset({"cluster-request", "cluster-ministry-support", "cluster-in-province"}) | EITHER
)
_COUNTERPART = {
    "province-request": "cluster-request or cluster-in-province",
    "province-ministry-support": "cluster-ministry-support",
    "cluster-request": "province-request",
    "cluster-ministry-support": "province-ministry-support",
    "cluster-in-province": "province-request",
}


def check_owners(plans: PlanSet) -> Iterator[Diagnostic]:
    """PP301/PP302: the owner is in the registry and of the kind the document needs."""
    registry = plans.registry
    for doc in plans.documents:
        owner, plan = doc.owner, doc.plan
        is_province = owner in registry.province_by_id
        is_cluster = owner in registry.cluster_by_id
        if not (is_province or is_cluster):
            hint = suggest(plan.owner, registry.owner_names())
            yield doc.report(
                "PP301",
                f"unknown owner `{plan.owner}`{hint} (a province or cluster id from the registry)",
                "owner",
            )
        elif isinstance(plan, ProvincePlan) and not is_province:
            yield doc.report(
                "PP302", f"`{owner}` is a cluster; its plan is a `cluster-plan`", "owner"
            )
        elif isinstance(plan, ClusterPlan) and not is_cluster:
            yield doc.report(
                "PP302", f"`{owner}` is a province; its plan is a `province-plan`", "owner"
            )


def check_channels(plans: PlanSet) -> Iterator[Diagnostic]:
    """PP303-PP306: channels fit the owner; areas name the right provinces."""
    registry = plans.registry
    for doc in plans.action_plans:
        assert isinstance(doc.plan, ActionPlan)
        if doc.owner in registry.province_by_id:
            allowed, members = PROVINCE_CHANNELS, {doc.owner}
        elif doc.owner in registry.cluster_by_id:
            allowed, members = CLUSTER_CHANNELS, set(registry.cluster_by_id[doc.owner].members)
        else:
            continue  # PP301 already says the owner is unknown
        for i, project in enumerate(doc.plan.projects):
            if project.channel not in allowed:
                kind = "cluster" if doc.owner in registry.cluster_by_id else "province"
                yield doc.report(
                    "PP304",
                    f"channel `{project.channel}` is not for a {kind}'s "
                    f"action plan; use {_COUNTERPART[project.channel]}",
                    "projects",
                    i,
                    "channel",
                )
            yield from _area(doc, i, project, members, registry)


def _area(
    doc: Document, i: int, project: Project, members: set[str], registry: Registry
) -> Iterator[Diagnostic]:
    area = project.area or []
    where = "the province" if len(members) == 1 and doc.owner in members else "the cluster"
    for j, name in enumerate(area):
        province = registry.province_id(name)
        if province is None:
            hint = suggest(name, registry.owner_names())
            yield doc.report("PP303", f"unknown province `{name}`{hint}", "projects", i, "area", j)
        elif province not in members:
            yield doc.report(
                "PP305",
                f"`{name}` lies outside {where} `{doc.owner}`; a project's "
                "area stays within its owner",
                "projects",
                i,
                "area",
                j,
            )
    if project.channel == "cluster-in-province" and doc.owner not in members and len(area) != 1:
        loc = ("projects", i, "area") if project.area is not None else ("projects", i)
        yield doc.report(
            "PP306",
            "a `cluster-in-province` project names exactly one member "
            "province in `area`: the province whose budget request carries it",
            *loc,
        )
