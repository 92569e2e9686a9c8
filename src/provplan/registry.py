"""The registry of regions, provincial clusters and provinces, and look-ups by id or alias.

Plain frozen data: it is read once from `data/registry.yaml` (and `provplan.yaml`'s changes)
through the pydantic models of `provplan.model.registry`, which check it, and then kept as
data in the cache, so a run whose files are all cached never builds a pydantic model.
Stdlib only.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    name_th: str
    name_en: str


@dataclass(frozen=True, slots=True)
class Cluster:
    id: str
    region: str
    name_th: str  # e.g. กลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนบน 2
    name_en: str
    centre: str | None  # province hosting the operations centre; None where no source confirms
    centre_inferred: bool
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Province:
    id: str
    name_th: str
    name_en: str
    iso: str  # ISO 3166-2, e.g. TH-49


@dataclass(frozen=True)
class Registry:
    regions: tuple[Region, ...]
    clusters: tuple[Cluster, ...]
    provinces: tuple[Province, ...]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Registry:
        """A registry from checked data (the models' dump, or the cache's copy of it)."""
        return cls(
            tuple(Region(**r) for r in data["regions"]),
            tuple(Cluster(**{**c, "members": tuple(c["members"])}) for c in data["clusters"]),
            tuple(Province(**p) for p in data["provinces"]),
        )

    def data(self) -> dict[str, Any]:
        return {
            "regions": [asdict(r) for r in self.regions],
            "clusters": [{**asdict(c), "members": list(c.members)} for c in self.clusters],
            "provinces": [asdict(p) for p in self.provinces],
        }

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

    def select_clusters(
        self, ids: Sequence[str], region: str | None, owners: Collection[str]
    ) -> list[Cluster]:
        """The clusters named (`--cluster`), else those of the region (`--region`), else
        those that `owners` (the owners with documents for the years asked) belong to."""
        if ids:
            return [self.cluster_by_id[c] for c in ids]
        if region:
            return [c for c in self.clusters if c.region == region]
        return [c for c in self.clusters if c.id in owners or not set(c.members).isdisjoint(owners)]

    def knows(self, owner: str) -> bool:
        """Whether an id is a province or a cluster of the registry."""
        return owner in self.province_by_id or owner in self.cluster_by_id

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
