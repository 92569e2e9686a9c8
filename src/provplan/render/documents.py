"""Which documents a validated plan set makes, where each goes, and the context of each.

Reads the full documents again (validation keeps only outlines); the money on them comes from
the budget ledger, as rollup's does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment

from provplan.budget import AMOUNT_KEYS, Amounts, Ledger, count, total
from provplan.channels import CATEGORIES, REQUEST_CHANNELS
from provplan.digits import html_thai_digits, markdown_thai_digits
from provplan.escape import utf8
from provplan.i18n import msg
from provplan.load import read
from provplan.model.plan import ActionPlan, DevelopmentPlan, Project
from provplan.planset import ActionOutline, DevelopmentOutline, Outline, PlanSet, ProgressOutline
from provplan.render import context as ctx
from provplan.render.env import Format
from provplan.render.linkage import ROLES, linkages, sections
from provplan.render.progress import progress_documents
from provplan.shape import Document, plan_document


def _categories(amounts: Amounts) -> list[tuple[str, Decimal]]:
    """Budget request, ministry support and other sources, with their Thai headings: what a
    reviewer reads first."""
    figures = amounts.as_dict()
    return [(CATEGORIES[key], figures[key]) for key in AMOUNT_KEYS[:3]]


class Changed(Exception):
    """A plan file changed or vanished between validation and rendering."""


@dataclass(frozen=True)
class Rendered:
    path: Path  # relative to the output folder
    text: str


class Renderer:
    """Renders every document of a validated plan set."""

    def __init__(
        self,
        plans: PlanSet,
        env: Environment,
        fmt: Format,
        targets: Mapping[int, Mapping[int, Decimal]] | None = None,
    ) -> None:
        self.plans = plans
        self.targets = targets or {}  # disbursement targets of provplan.yaml
        self.registry = plans.registry
        self.ledger: Ledger = count(plans)
        self.env, self.fmt = env, fmt
        self._documents: dict[Path, Document] = {}
        self.root = ""  # the output folder relative to the document being rendered (fonts/)

    def document(self, outline: Outline) -> Document:
        """The full document behind an outline; development plans, needed by many action
        plans, are read once and kept, action plans are not kept (memory)."""
        if outline.path in self._documents:
            return self._documents[outline.path]
        loaded = read(outline.path)
        shaped, problems = plan_document(loaded, explicit=True) if loaded.data else (None, [])
        if shaped is None or problems:
            raise Changed(
                msg(
                    "{path} changed since it was validated; run the command again",
                    path=outline.path,
                )
            )
        document = Document(loaded, shaped.plan, outline.owner)
        if isinstance(outline, DevelopmentOutline):
            self._documents[outline.path] = document
        return document

    def target_rate(self, fiscal_year: int, quarter: int) -> Decimal | None:
        return self.targets.get(fiscal_year, {}).get(quarter)

    def template(self, name: str, context: Any) -> str:
        template = self.env.get_template(f"{name}.{self.fmt}.j2")
        text = template.render(document=name, root=self.root, **context)
        if self.env.globals.get("thai_digits"):
            convert = html_thai_digits if self.fmt == "html" else markdown_thai_digits
            text = convert(text)
        return utf8(text)  # a file name that is not UTF-8 is shown, not a failed write

    def of_plan(self, outline: Outline, base: Path) -> Iterator[Rendered]:
        """The documents of one plan file: a development plan and its five-year summary, or
        an action plan and its project briefs; `base` is the path without suffix."""
        self.root = "../" * len(base.parent.parts)
        if isinstance(outline, ActionOutline):
            yield from self.action_plan(outline, base)
            return
        if isinstance(outline, ProgressOutline):
            yield from progress_documents(self, outline, base)
            return
        yield Rendered(base.with_name(f"{base.name}.{self.fmt}"), self.development_plan(outline))
        if self.plans_in_period(outline):
            yield Rendered(base.with_name(f"{base.name}-summary.{self.fmt}"), self.summary(outline))

    def linkage_document(self, cluster: str, year: int) -> Rendered:
        self.root = ""
        return Rendered(Path(f"linkage-{cluster}-{year}.{self.fmt}"), self.linkage(cluster, year))

    def linkages(self) -> list[tuple[str, int]]:
        return linkages(self.plans)

    def development_plan(self, outline: DevelopmentOutline) -> str:
        plan = self.document(outline).plan
        assert isinstance(plan, DevelopmentPlan)
        owner = ctx.owner_of(outline.owner, self.registry)
        refs = [ref for issue in plan.strategic_issues for ref in issue.aligns_with]
        context: ctx.DevelopmentPlanContext = {
            "plan": plan,
            "owner": owner,
            "title": plan.title or ctx.default_title(outline, owner),
            "years": list(plan.period.years()),
            "alignments": {ref: self.describe(ref, outline) for ref in refs},
        }
        return self.template("development-plan", context)

    def describe(self, ref: str, plan: DevelopmentOutline) -> str:
        """`northeast-upper-2:SI1` as a reader says it: the issue's title and its owner."""
        owner_name, _, issue_id = ref.partition(":")
        owner_id = self.registry.owner_id(owner_name)
        label = self.registry.label(owner_id)
        for other in self.plans.plans_during(owner_id, plan.period):
            issue = other.issue(issue_id)
            if issue:
                return f"ประเด็นยุทธศาสตร์ {issue_id} {issue.title} ของ{label}"
        return f"ประเด็นยุทธศาสตร์ {issue_id} ของ{label}"

    def action_plan_context(self, outline: ActionOutline, briefs: str) -> ctx.ActionPlanContext:
        plan = self.document(outline).plan
        assert isinstance(plan, ActionPlan)
        development = self.plans.development_plan(outline)
        assert development is not None  # validation said exactly one exists
        owner = ctx.owner_of(outline.owner, self.registry)
        listed = self.ledger.listed(outline)
        counted = self.ledger.counted(outline.owner, outline.fiscal_year)
        # the Budget Bureau list: this plan's requests and the cluster's projects counted here
        on_list = {id(e): e for e in [*listed, *counted] if e.project.channel in REQUEST_CHANNELS}
        return {
            "plan": plan,
            "owner": owner,
            "title": plan.title or ctx.default_title(outline, owner),
            "groups": ctx.issue_groups(plan, development),
            "requested": [p for p in plan.projects if p.channel in REQUEST_CHANNELS],
            "hosted": [e.project for e in counted if e.plan is not outline],
            "requested_total": total(e.amounts for e in on_list.values()).budget_request,
            "total": total(e.amounts for e in listed).total,
            "in_provinces": sum(
                (e.project.amount for e in listed if e.owner != outline.owner), Decimal(0)
            ),
            "listed": total(e.amounts for e in listed),
            "categories": _categories(total(e.amounts for e in listed)),
            "counted": total(e.amounts for e in counted),
            "request_channels": REQUEST_CHANNELS,
            "briefs": briefs,
        }

    def action_plan(self, outline: ActionOutline, base: Path) -> Iterator[Rendered]:
        context = self.action_plan_context(outline, base.name)
        yield Rendered(
            base.with_name(f"{base.name}.{self.fmt}"), self.template("action-plan", context)
        )
        development = self.plans.development_plan(outline)
        assert development is not None
        full = self.document(development).plan
        assert isinstance(full, DevelopmentPlan)
        self.root = "../" * len(base.parts)
        for project in context["plan"].projects:
            brief = self.project_brief(context, project, full)
            yield Rendered(base / f"{project.id}.{self.fmt}", brief)

    def project_brief(
        self, plan: ctx.ActionPlanContext, project: Project, development: DevelopmentPlan
    ) -> str:
        issue = development.issue(project.strategic_issue)
        assert issue is not None  # validation checked the reference
        strategy = next(s for s in issue.strategies if s.id == project.strategy)
        indicators = [i for g in issue.goals for i in g.indicators if i.id in project.indicators]
        areas = [
            self.registry.province_by_id[a].name_th
            for a in (self.registry.province_id(name) for name in project.area or [])
            if a
        ]
        context: ctx.ProjectContext = {
            "title": f"{project.id} {project.title}",
            "project": project,
            "plan": plan["plan"],
            "owner": plan["owner"],
            "issue": issue,
            "strategy": strategy,
            "indicators": indicators,
            "areas": areas,
            "plan_title": plan["title"],
            "requested": project.channel in REQUEST_CHANNELS,
        }
        return self.template("project", context)

    def plans_in_period(self, development: DevelopmentOutline) -> list[ActionOutline]:
        """The owner's action plans for the years of a development plan."""
        years = development.years()
        return sorted(
            (
                o
                for o in self.plans.action_plans
                if o.owner == development.owner and o.fiscal_year in years
            ),
            key=lambda o: o.fiscal_year,
        )

    def summary(self, development: DevelopmentOutline) -> str:
        """The จ.1 form: per issue, projects × the years of the plan, with totals."""
        years = list(development.years())
        owner = ctx.owner_of(development.owner, self.registry)
        issues: list[ctx.SummaryIssue] = []
        actions = self.plans_in_period(development)
        for n, issue in enumerate(development.issues, 1):
            rows: dict[str, ctx.SummaryRow] = {}
            for action in actions:
                for e in self.ledger.listed(action):
                    if e.project.strategic_issue == issue.id:
                        row = rows.setdefault(
                            e.project.id, {"project": e.project, "years": defaultdict(Decimal)}
                        )
                        row["years"][action.fiscal_year] += e.project.amount
            issue_rows = list(rows.values())
            totals = {y: sum((r["years"][y] for r in issue_rows), Decimal(0)) for y in years}
            issues.append({"number": n, "issue": issue, "rows": issue_rows, "totals": totals})
        context: ctx.SummaryContext = {
            "owner": owner,
            "development": development,
            "years": years,
            "issues": issues,
            "grand": {y: sum((i["totals"][y] for i in issues), Decimal(0)) for y in years},
            "title": development.title or ctx.default_title(development, owner),
        }
        return self.template("summary", context)

    def linkage(self, cluster_id: str, year: int) -> str:
        """The seed's linkage table: per cluster issue, projects sorted into the six roles."""
        cluster = self.registry.cluster_by_id[cluster_id]
        development = next(
            d for d in self.plans.development_plans.get(cluster_id, []) if year in d.years()
        )
        members = list(cluster.members)
        context: ctx.LinkageContext = {
            "title": f"การแบ่งบทบาทโครงการพัฒนาเชื่อมโยง {cluster.name_th} ปีงบประมาณ พ.ศ. {year}",
            "cluster": cluster,
            "year": year,
            "development": development,
            "sections": sections(self.plans, cluster.id, members, year, development),
            "names": {m: self.registry.province_by_id[m].name_th for m in members},
            "roles": ROLES,
        }
        return self.template("linkage", context)
