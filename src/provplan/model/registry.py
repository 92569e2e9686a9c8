"""The registry's file format: regions, clusters and provinces as `data/registry.yaml` and
`provplan.yaml` write them, checked for consistency; `to_registry` gives the plain registry
(`provplan.registry`) every stage uses."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from provplan import registry
from provplan.model.base import Id, Model, Text

IsoCode = Annotated[str, StringConstraints(pattern=r"^TH-[0-9]{2}$")]


class Region(Model):
    id: Id
    name_th: Text
    name_en: Text


class Cluster(Model):
    id: Id
    region: Id
    name_th: Text
    """e.g. กลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนบน 2"""
    name_en: Text
    centre: Id | None = None
    """Province hosting the operations centre; empty where no public source confirms it."""
    centre_inferred: bool = False
    """The centre was inferred from news rather than the announcement."""
    members: list[Id] = Field(min_length=1)


class Province(Model):
    id: Id
    name_th: Text
    name_en: Text
    iso: IsoCode
    """ISO 3166-2 code, e.g. TH-49."""


class RegistryEntries(Model):
    regions: list[Region]
    clusters: list[Cluster]
    provinces: list[Province]

    @model_validator(mode="after")
    def _consistent(self) -> RegistryEntries:
        problems: list[str] = []
        for kind, items in (
            ("region", self.regions),
            ("cluster", self.clusters),
            ("province", self.provinces),
        ):
            ids = [i.id for i in items]
            problems += [
                f"{kind} `{i}` is listed twice" for i in sorted(set(ids)) if ids.count(i) > 1
            ]
        regions = {r.id for r in self.regions}
        provinces = {p.id for p in self.provinces}
        seen: dict[str, str] = {}
        for c in self.clusters:
            if c.region not in regions:
                problems.append(f"cluster `{c.id}` names unknown region `{c.region}`")
            if c.centre is not None and c.centre not in c.members:
                problems.append(f"centre `{c.centre}` of cluster `{c.id}` is not a member")
            for m in c.members:
                if m not in provinces:
                    problems.append(f"cluster `{c.id}` names unknown province `{m}`")
                elif m in seen:
                    problems.append(f"province `{m}` is in clusters `{seen[m]}` and `{c.id}`")
                seen[m] = c.id
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def to_registry(self) -> registry.Registry:
        """The checked entries as the registry every stage uses."""
        return registry.Registry(
            tuple(registry.Region(r.id, r.name_th, r.name_en) for r in self.regions),
            tuple(
                registry.Cluster(
                    c.id,
                    c.region,
                    c.name_th,
                    c.name_en,
                    c.centre,
                    c.centre_inferred,
                    tuple(c.members),
                )
                for c in self.clusters
            ),
            tuple(registry.Province(p.id, p.name_th, p.name_en, p.iso) for p in self.provinces),
        )
