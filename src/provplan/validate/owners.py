"""Rules against the registry: the owner, and each project's channel and area.

Per document, like `document.py`: they need the registry, not the other documents.
"""

from __future__ import annotations

from collections.abc import Iterator

from provplan.channels import CHANNELS, OwnerKind, allowed
from provplan.diagnostics import Diagnostic, suggest
from provplan.i18n import alternatives, msg
from provplan.model.plan import ActionPlan, ClusterPlan, Project, ProvincePlan
from provplan.registry import Registry
from provplan.shape import Document


def check_owner(doc: Document, registry: Registry) -> Iterator[Diagnostic]:
    """PP301/PP302: the owner is in the registry and of the kind the document needs."""
    owner, plan = doc.owner, doc.plan
    if not doc.ok("owner"):
        return  # the schema already says what is wrong with it
    if not registry.knows(owner):
        hint = suggest(plan.owner, registry.owner_names())
        message = msg(
            "unknown owner `{owner}`{hint} (a province or cluster id from the registry)",
            owner=plan.owner,
            hint=hint,
        )
        yield doc.report("PP301", message, "owner")
    elif isinstance(plan, ProvincePlan) and owner in registry.cluster_by_id:
        message = msg("`{owner}` is a cluster; its plan is a `cluster-plan`", owner=owner)
        yield doc.report("PP302", message, "owner")
    elif isinstance(plan, ClusterPlan) and owner in registry.province_by_id:
        message = msg("`{owner}` is a province; its plan is a `province-plan`", owner=owner)
        yield doc.report("PP302", message, "owner")


def check_channels(doc: Document, registry: Registry) -> Iterator[Diagnostic]:
    """PP303-PP306: channels fit the owner; areas name the right provinces."""
    if not isinstance(doc.plan, ActionPlan) or not registry.knows(doc.owner):
        return  # PP301 (or the schema) already says the owner is wrong
    cluster = registry.cluster_by_id.get(doc.owner)
    members = set(cluster.members) if cluster else {doc.owner}
    kind: OwnerKind = "cluster" if cluster else "province"
    usable = allowed(kind)
    for i, project in doc.items("projects"):
        if not (doc.ok("projects", i, "channel") and doc.ok("projects", i, "area")):
            continue
        channel = CHANNELS[project.channel]
        if channel.id not in usable:
            instead = alternatives(channel.instead)
            message = (
                msg(
                    "channel `{channel}` is not for a cluster's action plan; use {instead}",
                    channel=channel.id,
                    instead=instead,
                )
                if kind == "cluster"
                else msg(
                    "channel `{channel}` is not for a province's action plan; use {instead}",
                    channel=channel.id,
                    instead=instead,
                )
            )
            yield doc.report("PP304", message, "projects", i, "channel")
        yield from _area(doc, i, project, members, kind, registry)
        if cluster and channel.area == "one-member" and len(project.area or []) != 1:
            message = msg(
                "a `cluster-in-province` project names exactly one member province in "
                "`area`: the province whose budget request carries it"
            )
            where = ("projects", i, "area") if project.area is not None else ("projects", i)
            yield doc.report("PP306", message, *where)


def _area(
    doc: Document, i: int, project: Project, members: set[str], kind: str, registry: Registry
) -> Iterator[Diagnostic]:
    for j, name in enumerate(project.area or []):
        province = registry.province_id(name)
        if province is None:
            message = msg(
                "unknown province `{name}`{hint}",
                name=name,
                hint=suggest(name, registry.owner_names()),
            )
            yield doc.report("PP303", message, "projects", i, "area", j)
        elif province not in members:
            message = (
                msg(
                    "`{name}` lies outside the cluster `{owner}`; an area stays within its owner",
                    name=name,
                    owner=doc.owner,
                )
                if kind == "cluster"
                else msg(
                    "`{name}` lies outside the province `{owner}`; an area stays within its owner",
                    name=name,
                    owner=doc.owner,
                )
            )
            yield doc.report("PP305", message, "projects", i, "area", j)
