"""The channel table: who carries a project and who pays for it (docs/format.md, "Channels").

The one place that knows, per channel, its Thai label, its budget category, whose budget
request it is, its role and level in the cluster linkage table, the owner that may use it and
where it may be carried out. Models, checks, rollup, render and diff read it; nothing else
spells a channel's label or category. Stdlib only: every stage may import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Category = Literal["budget_request", "ministry_support", "other_sources"]
OwnerKind = Literal["province", "cluster"]
Level = Literal["country", "cluster", "province", "other"]


@dataclass(frozen=True, slots=True)
class Channel:
    id: str
    label: str
    """Thai, as the seed writes it."""
    category: Category
    request_of: Literal["owner", "area"] | None
    """Whose budget request to the Budget Bureau it is: the plan's owner's, the province in
    its `area` (`cluster-in-province`), or none."""
    role: int
    """Its role in the seed's linkage table (1-6; 7 for carriers outside the six roles)."""
    level: Level
    owners: frozenset[OwnerKind]
    """Owners whose action plans may hold it."""
    area: Literal["owner", "members", "one-member"]
    """Where it may be carried out: the owner itself, the cluster's member provinces
    (default: all), or exactly one member province, required."""
    instead: tuple[str, ...] = ()
    """What to use in the other kind of owner's plan (the hint of PP304)."""


_PROVINCE: frozenset[OwnerKind] = frozenset({"province"})
_CLUSTER: frozenset[OwnerKind] = frozenset({"cluster"})
_EITHER: frozenset[OwnerKind] = frozenset({"province", "cluster"})

CHANNELS: dict[str, Channel] = {
    c.id: c
    for c in (
        Channel(
            "province-request",
            "โครงการของจังหวัดที่จัดทำเป็นคำของบประมาณของจังหวัด",
            "budget_request",
            "owner",
            5,
            "province",
            _PROVINCE,
            "owner",
            ("cluster-request", "cluster-in-province"),
        ),
        Channel(
            "province-ministry-support",
            "โครงการของจังหวัดที่ขอรับการสนับสนุนจากกระทรวง/กรม",
            "ministry_support",
            None,
            6,
            "province",
            _PROVINCE,
            "owner",
            ("cluster-ministry-support",),
        ),
        Channel(
            "cluster-request",
            "โครงการของกลุ่มจังหวัด จัดทำเป็นคำของบประมาณกลุ่มจังหวัด",
            "budget_request",
            "owner",
            2,
            "cluster",
            _CLUSTER,
            "members",
            ("province-request",),
        ),
        Channel(
            "cluster-ministry-support",
            "โครงการของกลุ่มจังหวัดที่ขอรับการสนับสนุนจากกระทรวง/กรม",
            "ministry_support",
            None,
            3,
            "cluster",
            _CLUSTER,
            "members",
            ("province-ministry-support",),
        ),
        Channel(
            "cluster-in-province",
            "โครงการของกลุ่มจังหวัดทำในพื้นที่จังหวัด จัดทำเป็นคำของบประมาณจังหวัด",
            "budget_request",
            "area",
            4,
            # the seed's table shows it in the province row, beside the province's own request
            "province",
            _CLUSTER,
            "one-member",
            ("province-request",),
        ),
        Channel(
            "ministry",
            "โครงการของกระทรวง/กรม",
            "other_sources",
            None,
            1,
            "country",
            _EITHER,
            "owner",
        ),
        Channel(
            "local-government",
            "โครงการขององค์กรปกครองส่วนท้องถิ่น",
            "other_sources",
            None,
            7,
            "other",
            _EITHER,
            "owner",
        ),
        Channel(
            "other-state",
            "โครงการของหน่วยงานอื่นของรัฐ",
            "other_sources",
            None,
            7,
            "other",
            _EITHER,
            "owner",
        ),
        Channel(
            "private",
            "โครงการของภาคเอกชน",
            "other_sources",
            None,
            7,
            "other",
            _EITHER,
            "owner",
        ),
    )
}

CATEGORIES: dict[str, str] = {
    "budget_request": "คำของบประมาณ",
    "ministry_support": "ขอรับการสนับสนุนจากกระทรวง/กรม",
    "other_sources": "แหล่งอื่น",
    "total": "รวม",
}
"""The rollup's categories (and their total) as Thai documents head them."""

CATEGORY_SHORT: dict[str, str] = {
    "budget_request": "คำของบประมาณ",
    "ministry_support": "กระทรวง/กรม",
    "other_sources": "แหล่งอื่น",
    "total": "รวม",
}
"""The same, short enough for a column heading."""

LEVELS: dict[Level, str] = {
    "country": "ประเทศ/ส่วนกลาง",
    "cluster": "กลุ่มจังหวัด",
    "province": "จังหวัด",
    "other": "อื่น ๆ",
}
OTHER_CARRIERS = "โครงการขององค์กรปกครองส่วนท้องถิ่น หน่วยงานอื่นของรัฐ และภาคเอกชน"
"""The linkage table's row for the carriers outside the six roles (role 7)."""

REQUEST_CHANNELS = tuple(c.id for c in CHANNELS.values() if c.category == "budget_request")
"""Channels requested directly from the Budget Bureau (สำนักงบประมาณ)."""


def category(channel: str) -> Category:
    return CHANNELS[channel].category


def allowed(owner: OwnerKind) -> frozenset[str]:
    """The channels an owner's action plan may use."""
    return frozenset(c.id for c in CHANNELS.values() if owner in c.owners)
