"""The registry of regions, provincial clusters and provinces, and look-ups by id or alias."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

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


class Registry(Model):
    regions: list[Region]
    clusters: list[Cluster]
    provinces: list[Province]

    @model_validator(mode="after")
    def _consistent(self) -> Registry:
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

    @cached_property
    def province_by_id(self) -> dict[str, Province]:
        return {p.id: p for p in self.provinces}

    @cached_property
    def cluster_by_id(self) -> dict[str, Cluster]:
        return {c.id: c for c in self.clusters}

    @cached_property
    def region_by_id(self) -> dict[str, Region]:
        return {r.id: r for r in self.regions}

    @cached_property
    def cluster_of(self) -> dict[str, Cluster]:
        """The cluster of each province in one (Bangkok is in none)."""
        return {m: c for c in self.clusters for m in c.members}

    @cached_property
    def _aliases(self) -> dict[str, str]:
        names = {p.name_th: p.id for p in self.provinces}
        names.update({p.iso: p.id for p in self.provinces})
        names.update({p.id: p.id for p in self.provinces})
        return names

    def province_id(self, name: str) -> str | None:
        """The id of a province given by id, Thai name or ISO code."""
        return self._aliases.get(name.strip()) or self._aliases.get(name.strip().upper())

    def owner_id(self, name: str) -> str:
        """An owner as plans may name it (a province's id, Thai name or ISO code, a cluster's
        id) as its registry id; an unknown name comes back as written, for the diagnostic."""
        return self.province_id(name) or name.strip()

    def label(self, owner: str) -> str:
        """An owner as Thai documents name it: จังหวัดมุกดาหาร, กลุ่มจังหวัด…, กรุงเทพมหานคร."""
        if owner in self.cluster_by_id:
            return self.cluster_by_id[owner].name_th
        province = self.province_by_id.get(owner)
        if province is None:
            return owner
        return province.name_th if province.id == "bangkok" else f"จังหวัด{province.name_th}"

    def owner_names(self) -> list[str]:
        """Every name an owner may be given by, for "did you mean"."""
        return [*self._aliases, *self.cluster_by_id]
