"""The plan documents of format v1: development plans, annual action plans and progress
reports.

Field names are the YAML keys of docs/format.md, and each field's docstring is its entry in
the generated reference (docs/reference.md) and the JSON Schemas' hover text. Rules that need
more than one field, another document or the registry live in `provplan.validate`, so these
models stay a plain schema.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema

from provplan.channels import CHANNELS
from provplan.diagnostics import suggest
from provplan.i18n import msg
from provplan.model.base import Amount, BEYear, Id, Model, Text, problem

REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*:[A-Za-z0-9][A-Za-z0-9._-]*$"
Reference = Annotated[str, StringConstraints(pattern=REFERENCE_PATTERN)]
"""`OWNER:ID`, e.g. `northeast-upper-2:SI1`."""
Target = int | Decimal | Text
Body = Literal["kbj", "kbk", "akbp", "kbp", "knj", "knb", "cabinet"]


def _channel(value: str) -> str:
    if value not in CHANNELS:
        raise problem(
            "PP106",
            msg(
                "`{value}` is not allowed here{hint} (one of: {choices})",
                value=value,
                hint=suggest(value, CHANNELS),
                choices=", ".join(CHANNELS),
            ),
        )
    return value


Channel = Annotated[
    str,
    AfterValidator(_channel),
    WithJsonSchema(
        {"enum": list(CHANNELS), "description": "Who carries the project and who pays."}
    ),
]
"""A channel of the channel table (`provplan.channels`)."""
Direction = Literal["increase", "decrease"]
BudgetClass = Literal["personnel", "operating", "investment", "subsidy", "other"]
NonEmpty = Field(min_length=1)


class Approval(Model):
    body: Body
    """The approving body: kbj ก.บ.จ., kbk ก.บ.ก., akbp อ.ก.บ.ภ., kbp ก.บ.ภ., knj ก.น.จ.,
    knb ก.น.บ., cabinet ครม."""
    date: datetime.date
    """ISO date in the Christian era, as YAML writes dates; rendered in the Buddhist era."""
    ref: str | None = None
    """Resolution number or other reference."""


class Period(Model):
    start: BEYear
    """First year of the plan, Buddhist era (พ.ศ.)."""
    end: BEYear
    """Last year of the plan, Buddhist era (พ.ศ.)."""

    def years(self) -> range:
        return range(self.start, self.end + 1)


class Baseline(Model):
    year: BEYear
    """The year of the baseline value, Buddhist era; before the plan's period."""
    value: Target
    """The value in that year (ค่าฐาน)."""


class Indicator(Model):
    id: Id
    """Unique in the document."""
    name: Text
    """ตัวชี้วัด — what is measured."""
    unit: Text
    """หน่วยนับ, e.g. ล้านบาท, ราย, ร้อยละ."""
    baseline: Baseline | None = None
    """The value before the plan, for comparison."""
    targets: dict[BEYear, Target]
    """ค่าเป้าหมาย: a target for every year of the period."""
    direction: Direction = "increase"
    """Which way is better: `increase` (an actual at or above the target meets it) or
    `decrease` (at or below)."""


class Goal(Model):
    id: Id
    """Unique in the document."""
    statement: Text
    """เป้าประสงค์ — the goal, in a sentence."""
    indicators: list[Indicator] = NonEmpty
    """ตัวชี้วัด — at least one."""


class Strategy(Model):
    id: Id
    """Unique in the document; projects name it in `strategy`."""
    title: Text
    """กลยุทธ์ — the strategy's title."""
    description: str | None = None
    """What it does, in a paragraph."""


class StrategicIssue(Model):
    id: Id
    """Unique in the document; projects name it in `strategic_issue`."""
    title: Text
    """ประเด็นยุทธศาสตร์ — the issue's title."""
    goals: list[Goal] = NonEmpty
    """เป้าประสงค์ — at least one."""
    strategies: list[Strategy] = NonEmpty
    """กลยุทธ์ — at least one."""
    aligns_with: list[Reference] = []
    """Strategic issues of other development plans, as `OWNER:ID`."""

    def indicator_ids(self) -> set[str]:
        return {i.id for g in self.goals for i in g.indicators}


class Plan(Model):
    provplan: Literal[1]
    """Format version."""
    owner: Text
    """Registry id of the owner; a province's Thai name or ISO code (TH-49) also works."""
    title: str | None = None
    """The document's title; by default made from the kind, the owner and the years."""
    approvals: list[Approval] = []
    """The bodies that approved the plan, in date order."""


class DevelopmentPlan(Plan):
    period: Period
    """The years the plan covers (at most 10), e.g. 2566-2570."""
    vision: Text
    """วิสัยทัศน์ — the vision."""
    positioning: str | None = None
    """ตำแหน่งการพัฒนา — the development positioning."""
    strategic_issues: list[StrategicIssue] = NonEmpty
    """ประเด็นยุทธศาสตร์ — at least one."""

    def issue(self, issue_id: str) -> StrategicIssue | None:
        return next((i for i in self.strategic_issues if i.id == issue_id), None)


class ProvincePlan(DevelopmentPlan):
    """แผนพัฒนาจังหวัด — a province's development plan."""

    kind: Literal["province-plan"]
    """Document kind."""


class ClusterPlan(DevelopmentPlan):
    """แผนพัฒนากลุ่มจังหวัด — a cluster's development plan."""

    kind: Literal["cluster-plan"]
    """Document kind."""


class Budget(Model):
    amount: Amount
    """Baht, at most two decimal places."""
    breakdown: dict[BudgetClass, Amount] | None = None
    """Amounts per budget class; they sum exactly to `amount`."""


class Activity(Model):
    title: Text
    """กิจกรรมหลัก — the activity."""
    budget: Amount
    """Its budget in baht; the activities of a project add up to its amount."""
    agency: Text | None = None
    """The agency that carries it, when not the project's."""
    partners: list[Text] = []
    """ภาคีร่วม — partners."""


class Project(Model):
    id: Id
    """Unique in the document; elsewhere `OWNER:ID`."""
    title: Text
    """ชื่อโครงการ"""
    strategic_issue: Id
    """An issue of the owner's development plan for the fiscal year."""
    strategy: Id
    """A strategy of that issue."""
    indicators: list[Id] = []
    """Indicators under that issue's goals that the project serves."""
    channel: Channel
    """Who carries the project and who pays (docs/format.md, "Channels")."""
    description: Text
    """รายละเอียดโครงการ"""
    outputs: list[Text] = NonEmpty
    """เป้าหมาย — what the project delivers."""
    outcomes: list[Text] = NonEmpty
    """ผลสัมฤทธิ์ — the result it achieves."""
    agency: Text
    """หน่วยงานผู้รับผิดชอบ"""
    area: list[Text] | None = None
    """Province ids (or Thai names, ISO codes) where it is carried out."""
    budget: Budget
    """งบประมาณ"""
    rationale: str | None = None
    """หลักการและเหตุผล"""
    objectives: list[Text] = []
    """วัตถุประสงค์"""
    activities: list[Activity] | None = None
    """กิจกรรมหลัก; their budgets add up to the project's amount."""


class ActionPlan(Plan):
    """แผนปฏิบัติราชการประจำปี — the annual action plan, which is the budget request."""

    kind: Literal["action-plan"]
    """Document kind."""
    fiscal_year: BEYear
    """Fiscal year (ปีงบประมาณ) in the Buddhist era: FY 2568 runs 1 Oct 2567 - 30 Sep 2568."""
    projects: list[Project] = NonEmpty
    """โครงการ — every project of the year, whoever carries it; at least one."""


Status = Literal[
    "not-started",
    "procurement",
    "in-progress",
    "completed",
    "suspended",
    "cancelled",
    "not-funded",
]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]


def _percent(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise problem("PP103", msg("must be a number of percent from 0 to 100"))
    percent = Decimal(value)
    if not percent.is_finite() or not 0 <= percent <= 100:
        raise problem("PP614", msg("{value} is not a percentage from 0 to 100", value=value))
    return percent


Percent = Annotated[
    Decimal,
    BeforeValidator(_percent),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100}),
]
"""A percentage from 0 to 100."""


def _quarter(value: Any) -> Any:
    if isinstance(value, bool) or value not in (1, 2, 3, 4):
        raise problem(
            "PP106", msg("quarter must be 1 (Oct-Dec), 2 (Jan-Mar), 3 (Apr-Jun) or 4 (Jul-Sep)")
        )
    return value


Quarter = Annotated[
    int, BeforeValidator(_quarter), WithJsonSchema({"type": "integer", "enum": [1, 2, 3, 4]})
]
"""A quarter of the fiscal year: 1 Oct-Dec, 2 Jan-Mar, 3 Apr-Jun, 4 Jul-Sep."""


class ProjectProgress(Model):
    id: Id
    """A project of the owner's action plan for `fiscal_year`."""
    status: Status
    allocated: Amount | None = None
    """ได้รับจัดสรร; default the project's `budget.amount` (0 for `not-funded`)."""
    committed: Amount = Decimal(0)
    """ก่อหนี้ผูกพัน: signed contracts and orders not yet paid."""
    disbursed: Amount = Decimal(0)
    """เบิกจ่าย, cumulative from 1 October."""
    progress: Percent
    """Physical progress, percent."""
    results: list[Text] = []
    """ผลการดำเนินงาน"""
    problems: list[Text] = []
    """ปัญหาอุปสรรค"""
    remedies: list[Text] = []
    """แนวทางแก้ไข"""


class IndicatorResult(Model):
    id: Id
    """An indicator of the owner's development plan with a target for `fiscal_year`."""
    actual: Target
    """The actual value, cumulative from 1 October."""
    met: bool | None = None
    """Whether the target is met; required when the target for the year is text."""
    note: str | None = None


class ProgressReport(Plan):
    """รายงานผลการดำเนินงานตามแผนปฏิบัติราชการ — an action plan's progress at a quarter's end."""

    kind: Literal["progress-report"]
    fiscal_year: BEYear
    """Fiscal year (ปีงบประมาณ), Buddhist era."""
    quarter: Quarter
    """1 Oct-Dec, 2 Jan-Mar (รอบ 6 เดือน), 3 Apr-Jun, 4 Jul-Sep (รอบ 12 เดือน)."""
    as_of: datetime.date
    """The day the figures stand at (ISO date, Christian era), inside the quarter."""
    projects: list[ProjectProgress] = NonEmpty
    indicators: list[IndicatorResult] = []


KINDS: dict[str, type[ProvincePlan | ClusterPlan | ActionPlan | ProgressReport]] = {
    "province-plan": ProvincePlan,
    "cluster-plan": ClusterPlan,
    "action-plan": ActionPlan,
    "progress-report": ProgressReport,
}
AnyPlan = ProvincePlan | ClusterPlan | ActionPlan | ProgressReport
