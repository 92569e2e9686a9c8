"""The plan documents of format v1: development plans and annual action plans.

Field names are the YAML keys of `format.md`; rules that need more than one field, another
document or the registry live in `provplan.validate`, so these models stay a plain schema.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

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


KINDS: dict[str, type[ProvincePlan | ClusterPlan | ActionPlan]] = {
    "province-plan": ProvincePlan,
    "cluster-plan": ClusterPlan,
    "action-plan": ActionPlan,
}
AnyPlan = ProvincePlan | ClusterPlan | ActionPlan
