"""The plan documents of format v1: development plans, annual action plans and progress
reports.

Field names are the YAML keys of `format.md`; rules that need more than one field, another
document or the registry live in `provplan.validate`, so these models stay a plain schema.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from provplan.model.base import Amount, BEYear, Id, Model, Text

REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*:[A-Za-z0-9][A-Za-z0-9._-]*$"
Reference = Annotated[str, StringConstraints(pattern=REFERENCE_PATTERN)]
"""`OWNER:ID`, e.g. `northeast-upper-2:SI1`."""
Target = int | Decimal | Text
Body = Literal["kbj", "kbk", "akbp", "kbp", "knj", "knb", "cabinet"]
Channel = Literal[
    "province-request",
    "province-ministry-support",
    "cluster-request",
    "cluster-ministry-support",
    "cluster-in-province",
    "ministry",
    "local-government",
    "other-state",
    "private",
]
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
    value: Target


class Indicator(Model):
    id: Id
    name: Text
    """ตัวชี้วัด"""
    unit: Text
    baseline: Baseline | None = None
    targets: dict[BEYear, Target]
    """ค่าเป้าหมาย: a target for every year of the period."""
    direction: Direction = "increase"
    """Which way is better: `increase` (an actual at or above the target meets it) or
    `decrease` (at or below)."""


class Goal(Model):
    id: Id
    statement: Text
    """เป้าประสงค์"""
    indicators: list[Indicator] = NonEmpty


class Strategy(Model):
    id: Id
    title: Text
    """กลยุทธ์"""
    description: str | None = None


class StrategicIssue(Model):
    id: Id
    title: Text
    """ประเด็นยุทธศาสตร์"""
    goals: list[Goal] = NonEmpty
    strategies: list[Strategy] = NonEmpty
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
    approvals: list[Approval] = []


class DevelopmentPlan(Plan):
    period: Period
    vision: Text
    """วิสัยทัศน์"""
    positioning: str | None = None
    strategic_issues: list[StrategicIssue] = NonEmpty
    """ประเด็นยุทธศาสตร์"""

    def issue(self, issue_id: str) -> StrategicIssue | None:
        return next((i for i in self.strategic_issues if i.id == issue_id), None)


class ProvincePlan(DevelopmentPlan):
    """แผนพัฒนาจังหวัด — a province's development plan."""

    kind: Literal["province-plan"]


class ClusterPlan(DevelopmentPlan):
    """แผนพัฒนากลุ่มจังหวัด — a cluster's development plan."""

    kind: Literal["cluster-plan"]


class Budget(Model):
    amount: Amount
    """Baht, at most two decimal places."""
    breakdown: dict[BudgetClass, Amount] | None = None
    """Amounts per budget class; they sum exactly to `amount`."""


class Activity(Model):
    title: Text
    budget: Amount
    agency: Text | None = None
    partners: list[Text] = []


class Project(Model):
    id: Id
    title: Text
    strategic_issue: Id
    strategy: Id
    indicators: list[Id] = []
    channel: Channel
    """Who carries the project and who pays."""
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
    rationale: str | None = None
    objectives: list[Text] = []
    activities: list[Activity] | None = None


class ActionPlan(Plan):
    """แผนปฏิบัติราชการประจำปี — the annual action plan, which is the budget request."""

    kind: Literal["action-plan"]
    fiscal_year: BEYear
    """Fiscal year (ปีงบประมาณ) in the Buddhist era: FY 2568 runs 1 Oct 2567 - 30 Sep 2568."""
    projects: list[Project] = NonEmpty


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
        raise PydanticCustomError("PP103", "must be a number of percent from 0 to 100")
    percent = Decimal(value)
    if not percent.is_finite() or not 0 <= percent <= 100:
        raise PydanticCustomError(
            "PP614", "{value} is not a percentage from 0 to 100", {"value": value}
        )
    return percent


Percent = Annotated[
    Decimal,
    BeforeValidator(_percent),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100}),
]
"""A percentage from 0 to 100."""


def _quarter(value: Any) -> Any:
    if isinstance(value, bool) or value not in (1, 2, 3, 4):
        raise PydanticCustomError(
            "PP106", "quarter must be 1 (Oct-Dec), 2 (Jan-Mar), 3 (Apr-Jun) or 4 (Jul-Sep)"
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


def quarter_span(fiscal_year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a quarter of a BE fiscal year: FY 2568 Q2 is 2025-01-01 to
    2025-03-31 (FY 2568 begins 1 October 2024)."""
    ce = fiscal_year - 543
    starts = {
        1: datetime.date(ce - 1, 10, 1),
        2: datetime.date(ce, 1, 1),
        3: datetime.date(ce, 4, 1),
        4: datetime.date(ce, 7, 1),
    }
    ends = {
        1: datetime.date(ce - 1, 12, 31),
        2: datetime.date(ce, 3, 31),
        3: datetime.date(ce, 6, 30),
        4: datetime.date(ce, 9, 30),
    }
    return starts[quarter], ends[quarter]


KINDS: dict[str, type[ProvincePlan | ClusterPlan | ActionPlan | ProgressReport]] = {
    "province-plan": ProvincePlan,
    "cluster-plan": ClusterPlan,
    "action-plan": ActionPlan,
    "progress-report": ProgressReport,
}
AnyPlan = ProvincePlan | ClusterPlan | ActionPlan | ProgressReport
