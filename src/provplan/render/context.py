"""What each template gets: typed contexts, one per document.

A repository's own template can rely on these names; changing one is a change of the
template interface, so it is spelled out here rather than passed as loose keyword arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, TypedDict

from provplan.budget import Amounts
from provplan.model.plan import (
    ActionPlan,
    DevelopmentPlan,
    Indicator,
    IndicatorResult,
    ProgressReport,
    Project,
    ProjectProgress,
    StrategicIssue,
)
from provplan.model.plan import Strategy as StrategyModel
from provplan.planset import (
    DevelopmentOutline,
    IndicatorOutline,
    IssueOutline,
    Outline,
    ProjectOutline,
)
from provplan.progress import Figures
from provplan.progress import Line as ProgressLine
from provplan.registry import Cluster, Registry
from provplan.render.linkage import Role, Section


@dataclass(frozen=True)
class Owner:
    id: str
    kind: Literal["province", "cluster"]
    name_th: str
    name_en: str
    label: str  # จังหวัดมุกดาหาร, กลุ่มจังหวัด...


def owner_of(owner_id: str, registry: Registry) -> Owner:
    label = registry.label(owner_id)
    cluster = registry.cluster_by_id.get(owner_id)
    if cluster:
        return Owner(cluster.id, "cluster", cluster.name_th, cluster.name_en, label)
    province = registry.province_by_id[owner_id]
    return Owner(province.id, "province", province.name_th, province.name_en, label)


def default_title(doc: Outline, owner: Owner) -> str:
    if isinstance(doc, DevelopmentOutline):
        return f"แผนพัฒนา{owner.label} (พ.ศ. {doc.period[0]}-{doc.period[1]})"
    return f"แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. {doc.fiscal_year} ของ{owner.label}"


@dataclass
class StrategyGroup:
    id: str
    title: str
    projects: list[Project] = field(default_factory=list)


@dataclass
class IssueGroup:
    number: int
    id: str
    title: str
    strategies: list[StrategyGroup] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((p.budget.amount for s in self.strategies for p in s.projects), Decimal(0))


def issue_groups(plan: ActionPlan, development: DevelopmentOutline) -> list[IssueGroup]:
    """Projects grouped by strategic issue and strategy, in the development plan's order."""
    groups = []
    for n, issue in enumerate(development.issues, 1):
        strategies = [StrategyGroup(sid, title) for sid, title in issue.strategies.items()]
        by_id = {s.id: s for s in strategies}
        for project in plan.projects:
            if project.strategic_issue == issue.id:
                by_id[project.strategy].projects.append(project)
        group = IssueGroup(n, issue.id, issue.title, [s for s in strategies if s.projects])
        if group.strategies:
            groups.append(group)
    return groups


class DevelopmentPlanContext(TypedDict):
    plan: DevelopmentPlan
    owner: Owner
    title: str
    years: list[int]
    alignments: dict[str, str]  # `OWNER:ID` -> the issue as a reader says it


class ActionPlanContext(TypedDict):
    plan: ActionPlan
    owner: Owner
    title: str
    groups: list[IssueGroup]
    requested: list[Project]  # this plan's projects on the Budget Bureau list
    hosted: list[ProjectOutline]  # the cluster's projects in this province, on its list too
    requested_total: Decimal
    total: Decimal  # every project the plan lists
    in_provinces: Decimal  # a cluster's projects requested as its provinces' requests
    listed: Amounts  # what the plan lists, by budget category
    counted: Amounts  # what counts toward the owner, by budget category (as rollup adds up)
    categories: list[tuple[str, Decimal]]  # what the plan lists, by category, Thai headings
    request_channels: tuple[str, ...]
    briefs: str  # the folder of the project briefs, relative to the action plan


class ProjectContext(TypedDict):
    title: str
    project: Project
    plan: ActionPlan
    owner: Owner
    issue: StrategicIssue
    strategy: StrategyModel
    indicators: list[Indicator]
    areas: list[str]
    plan_title: str
    requested: bool


class SummaryRow(TypedDict):
    project: ProjectOutline
    years: dict[int, Decimal]


class SummaryIssue(TypedDict):
    number: int
    issue: IssueOutline
    rows: list[SummaryRow]
    totals: dict[int, Decimal]


class SummaryContext(TypedDict):
    owner: Owner
    development: DevelopmentOutline
    years: list[int]
    issues: list[SummaryIssue]
    grand: dict[int, Decimal]
    title: str


class LinkageContext(TypedDict):
    title: str
    cluster: Cluster
    year: int
    development: DevelopmentOutline
    sections: list[Section]
    names: dict[str, str]  # member id -> Thai name
    roles: list[Role]


@dataclass(frozen=True)
class ProgressRow:
    """A project of a progress report, with its plan's budget and the allocation counted."""

    number: int
    progress: ProjectProgress
    project: ProjectOutline | None
    allocated: Decimal
    disbursement_rate: Decimal | None
    spending_rate: Decimal | None
    requested: bool  # requested directly from the Budget Bureau


@dataclass(frozen=True)
class IndicatorRow:
    indicator: IndicatorOutline
    target: Decimal | str
    result: IndicatorResult | None
    met: bool | None  # None: no data


class ProgressContext(TypedDict):
    report: ProgressReport
    owner: Owner
    title: str
    round: str  # รอบ 6 เดือน
    quarter: str  # ไตรมาสที่ 2 (1 ม.ค. – 31 มี.ค. 2568)
    target_rate: Decimal | None
    requested: Figures  # the projects requested from the Budget Bureau
    listed: Figures  # every project of the report
    rows: list[ProgressRow]
    status: list[tuple[str, int]]  # Thai status label, projects
    indicators: list[IndicatorRow]
    problems: list[ProgressRow]  # rows with problems or remedies
    statuses: dict[str, str]  # status -> Thai label


class ProgressColumn(TypedDict):
    label: str
    line: ProgressLine | None  # None: did not report


class ClusterProgressContext(TypedDict):
    title: str
    cluster: Cluster
    fiscal_year: int
    round: str
    quarter: str
    target_rate: Decimal | None
    columns: list[ProgressColumn]  # the cluster level, then each member province
    total: Figures
    missing: list[str]  # Thai names of members that did not report
    statuses: dict[str, str]
