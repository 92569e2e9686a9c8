"""The pages of the site, each as a template name, a path and a context.

Money comes from `Figures` (the rollup); plan text from the development plans (read in full
once each, through the render core's `Renderer`); projects from the validated outlines, so the
28,000 projects of a national year are not read a second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import PurePosixPath
from typing import Any

from provplan.budget import Entry
from provplan.channels import CHANNELS
from provplan.model.plan import DevelopmentPlan, Indicator, StrategicIssue
from provplan.planset import ActionOutline, DevelopmentOutline, Outline
from provplan.registry import Registry
from provplan.render.documents import Renderer
from provplan.site.charts import Chart, bar_chart, year_chart
from provplan.site.figures import Figures
from provplan.site.progress import Progress, ProgressSection, section
from provplan.thai import round_name


@dataclass(frozen=True)
class Page:
    path: PurePosixPath  # relative to the site's root
    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class Link:
    label: str
    href: str  # relative to the site's root


@dataclass
class ProjectRow:
    id: str
    title: str
    channel: str
    agency: str
    amount: Decimal
    href: str  # the project brief, relative to the site's root


@dataclass
class IssueProjects:
    id: str
    title: str
    projects: list[ProjectRow] = field(default_factory=list)


def owner_path(registry: Registry, owner: str) -> str:
    kind = "clusters" if owner in registry.cluster_by_id else "provinces"
    return f"{kind}/{owner}.html"


def indicator_path(owner: str, indicator: str) -> str:
    return f"indicators/{owner}/{indicator}.html"


class Pages:
    """Builds every page of one fiscal year."""

    def __init__(
        self,
        renderer: Renderer,
        figures: Figures,
        document_of: Callable[[Outline], PurePosixPath],
        progress: Callable[[int], Progress | None],
    ) -> None:
        self.renderer, self.figures = renderer, figures
        self.plans, self.registry = renderer.plans, renderer.plans.registry
        self.year = figures.fiscal_year
        self.document_of = document_of  # the HTML document of a plan, below documents/
        self.progress = progress

    # --- the whole site ----------------------------------------------------------------

    def all(self) -> Iterator[Page]:
        for key in self.keys():
            yield self.make(key)

    def keys(self) -> list[tuple[str, ...]]:
        """A key per page, small enough to hand to a worker process that makes the page."""
        self.linkages  # noqa: B018 -- computed once, before workers fork
        keys: list[tuple[str, ...]] = [("home",), ("search",)]
        keys += [("region", r) for r in self.figures.regions()]
        for c in self.figures.year.clusters:
            keys += [("owner", owner) for owner in [c.cluster.id, *c.cluster.members]]
        for owner, development in self.developments.items():
            plan = self.renderer.document(development).plan  # read here, once, before a fork
            assert isinstance(plan, DevelopmentPlan)
            keys += [
                ("indicator", owner, indicator.id)
                for issue in plan.strategic_issues
                for goal in issue.goals
                for indicator in goal.indicators
            ]
        return keys

    def make(self, key: tuple[str, ...]) -> Page:
        kind, *args = key
        if kind == "home":
            return self.home()
        if kind == "search":
            return Page(PurePosixPath("search.html"), "site/search.html.j2", self.base("ค้นหา"))
        if kind == "region":
            return self.region(args[0])
        if kind == "owner":
            return self.owner(args[0])
        owner, indicator_id = args
        development = self.developments[owner]
        plan = self.renderer.document(development).plan
        assert isinstance(plan, DevelopmentPlan)
        issue, goal, indicator = next(
            (i, g, ind)
            for i in plan.strategic_issues
            for g in i.goals
            for ind in g.indicators
            if ind.id == indicator_id
        )
        return self.indicator(development, issue, goal.statement, indicator)

    @cached_property
    def developments(self) -> dict[str, DevelopmentOutline]:
        """Each owner's development plan for the year (the latest before it, if none holds
        it), for the clusters in the year's rollup and their members."""
        found: dict[str, DevelopmentOutline] = {}
        for c in self.figures.year.clusters:
            for owner in [c.cluster.id, *c.cluster.members]:
                plans = self.plans.development_plans.get(owner, [])
                holding = [p for p in plans if self.year in p.years()]
                earlier = sorted((p for p in plans if p.period[0] <= self.year), key=_start)
                chosen = holding[0] if holding else (earlier[-1] if earlier else None)
                if chosen is not None:
                    found[owner] = chosen
        return found

    def base(self, title: str, crumbs: list[Link] | None = None) -> dict[str, Any]:
        return {"title": title, "year": self.year, "crumbs": crumbs or [], "charts": []}

    # --- home and regions ---------------------------------------------------------------

    def home(self) -> Page:
        year = self.figures.year
        regions = [
            (self.registry.region_by_id[r], self.figures.region(r).amounts)
            for r in self.figures.regions()
        ]
        clusters = [(c.cluster, c.amounts) for c in year.clusters]
        by_channel = self.figures.national_by_channel()
        charts = [
            bar_chart(
                "by-region",
                "คำของบประมาณ จำแนกตามภาค",
                [(r.name_th, a.budget_request) for r, a in regions],
            ),
            bar_chart(
                "by-cluster",
                "คำของบประมาณ จำแนกตามกลุ่มจังหวัด",
                [(c.name_th, a.budget_request) for c, a in clusters],
            ),
            bar_chart(
                "by-channel",
                "งบประมาณ จำแนกตามช่องทาง",
                [(ch.label, ch.amounts.total) for ch in by_channel],
            ),
        ]
        context = self.base(f"แผนพัฒนาจังหวัดและกลุ่มจังหวัด ปีงบประมาณ พ.ศ. {self.year}")
        context.update(
            national=year.amounts,
            regions=[(Link(r.name_th, f"regions/{r.id}.html"), a) for r, a in regions],
            clusters=[(Link(c.name_th, owner_path(self.registry, c.id)), a) for c, a in clusters],
            missing=self._missing([c.cluster.id for c in year.clusters]),
            charts=charts,
            progress=self._progress([c.cluster.id for c in year.clusters]),
        )
        return Page(PurePosixPath("index.html"), "site/home.html.j2", context)

    def region(self, region_id: str) -> Page:
        region = self.registry.region_by_id[region_id]
        rollup = self.figures.region(region_id)
        clusters = [(c.cluster, c.amounts) for c in rollup.clusters]
        context = self.base(region.name_th, [Link("หน้าหลัก", "index.html")])
        context.update(
            region=region,
            amounts=rollup.amounts,
            clusters=[(Link(c.name_th, owner_path(self.registry, c.id)), a) for c, a in clusters],
            provinces=[
                Link(self.registry.label(m), owner_path(self.registry, m))
                for c, _ in clusters
                for m in c.members
            ],
            charts=[
                bar_chart(
                    "by-cluster",
                    "คำของบประมาณ จำแนกตามกลุ่มจังหวัด",
                    [(c.name_th, a.budget_request) for c, a in clusters],
                )
            ],
            missing=self._missing([c.id for c, _ in clusters]),
            progress=self._progress([c.id for c, _ in clusters]),
        )
        return Page(PurePosixPath(f"regions/{region_id}.html"), "site/region.html.j2", context)

    def _missing(self, clusters: list[str]) -> list[Link]:
        """Owners with no action plan for the year, as the rollup reports them."""
        found = []
        for cluster_id in clusters:
            c = self.figures.by_cluster[cluster_id]
            owners = ([cluster_id] if c.cluster_plan_missing else []) + c.missing
            found += [Link(self.registry.label(o), owner_path(self.registry, o)) for o in owners]
        return found

    def _progress(self, scope: list[str]) -> ProgressSection:
        return section(self.progress(self.year), self.year, scope, self.registry)

    # --- a cluster or a province ---------------------------------------------------------

    def owner(self, owner: str) -> Page:
        registry = self.registry
        cluster = registry.cluster_by_id.get(owner) or registry.cluster_of[owner]
        is_cluster = cluster.id == owner
        region = registry.region_by_id[cluster.region]
        crumbs = [
            Link("หน้าหลัก", "index.html"),
            Link(region.name_th, f"regions/{region.id}.html"),
        ]
        if not is_cluster:
            crumbs.append(Link(cluster.name_th, owner_path(registry, cluster.id)))
        context = self.base(registry.label(owner), crumbs)
        line = self.figures.by_owner[owner]
        charts: list[Chart] = []
        if is_cluster:
            c = self.figures.by_cluster[owner]
            context["lines"] = [
                (Link(registry.label(x.owner), owner_path(registry, x.owner)), x.amounts)
                for x in c.lines
            ]
            context["amounts"] = c.amounts
            charts.append(
                bar_chart(
                    "by-owner",
                    "คำของบประมาณ: ระดับกลุ่มจังหวัดและจังหวัดสมาชิก",
                    [(registry.label(x.owner), x.amounts.budget_request) for x in c.lines],
                )
            )
            context["members"] = [
                Link(registry.label(m), owner_path(registry, m)) for m in cluster.members
            ]
        else:
            context["lines"] = []
            context["amounts"] = line.amounts
            context["members"] = []
        lines = self.figures.by_cluster[cluster.id].lines if is_cluster else [line]
        by_channel = self.figures.by_channel(lines)
        if by_channel:
            charts.append(
                bar_chart(
                    "by-channel",
                    "งบประมาณ จำแนกตามช่องทาง",
                    [(ch.label, ch.amounts.total) for ch in by_channel],
                )
            )
        context.update(
            owner_id=owner,
            is_cluster=is_cluster,
            cluster=Link(cluster.name_th, owner_path(registry, cluster.id)),
            by_channel=by_channel,
            charts=charts,
            progress=self._progress([owner] if not is_cluster else [cluster.id]),
            **self._plan(owner),
            **self._projects(owner),
            documents=self._documents(owner, cluster.id),
        )
        return Page(PurePosixPath(owner_path(registry, owner)), "site/owner.html.j2", context)

    def _plan(self, owner: str) -> dict[str, Any]:
        development = self.developments.get(owner)
        if development is None:
            return {"plan": None, "issues": []}
        plan = self.renderer.document(development).plan
        assert isinstance(plan, DevelopmentPlan)
        return {
            "plan": plan,
            "period": development.period,
            "issues": [self._issue(owner, development, issue) for issue in plan.strategic_issues],
        }

    def _issue(
        self, owner: str, development: DevelopmentOutline, issue: StrategicIssue
    ) -> dict[str, Any]:
        years = list(development.years())
        return {
            "issue": issue,
            "years": years,
            "indicators": [
                (goal, indicator, indicator_path(owner, indicator.id))
                for goal in issue.goals
                for indicator in goal.indicators
            ],
            "aligns_with": [self.renderer.describe(ref, development) for ref in issue.aligns_with],
            "served_by": self._served_by(owner, issue.id),
        }

    def _served_by(self, cluster: str, issue: str) -> list[str]:
        """The member provinces' issues that align with a cluster issue (the linkage)."""
        if cluster not in self.registry.cluster_by_id:
            return []
        found = []
        for member in self.registry.cluster_by_id[cluster].members:
            development = self.developments.get(member)
            for i in development.issues if development else ():
                if f"{cluster}:{issue}" in i.aligns_with:
                    found.append(f"{self.registry.label(member)}: {i.id} {i.title}")
        return found

    def _action_plan(self, owner: str) -> ActionOutline | None:
        return self.plans.action_plan_of.get((owner, self.year))

    def _row(self, entry: Entry) -> ProjectRow:
        project = entry.project
        brief = self.document_of(entry.plan).with_suffix("") / f"{project.id}.html"
        return ProjectRow(
            project.id,
            project.title,
            CHANNELS[project.channel].label,
            project.agency,
            project.amount,
            f"documents/{brief}",
        )

    def _projects(self, owner: str) -> dict[str, Any]:
        """The owner's action plan by issue, and the cluster's projects counted here."""
        action = self._action_plan(owner)
        development = self.plans.development_plan(action) if action else None
        groups: list[IssueProjects] = []
        if action is not None and development is not None:
            by_issue = {i.id: IssueProjects(i.id, i.title) for i in development.issues}
            for entry in self.renderer.ledger.listed(action):
                by_issue[entry.project.strategic_issue].projects.append(self._row(entry))
            groups = [g for g in by_issue.values() if g.projects]
        hosted = [
            self._row(e)
            for e in self.renderer.ledger.counted(owner, self.year)
            if e.plan is not action
        ]
        return {
            "action_plan": action,
            "groups": groups,
            "project_issues": [g.id for g in groups],
            "hosted": hosted,
        }

    def _documents(self, owner: str, cluster: str) -> list[Link]:
        found = []
        development = self.developments.get(owner)
        if development is not None:
            path = self.document_of(development)
            found.append(Link("แผนพัฒนา", f"documents/{path}"))
            if self.renderer.plans_in_period(development):
                summary = path.with_name(f"{path.stem}-summary.html")
                found.append(Link("แบบ จ.1 สรุปโครงการ 5 ปี", f"documents/{summary}"))
        action = self._action_plan(owner)
        if action is not None:
            found.append(
                Link(
                    f"แผนปฏิบัติราชการประจำปี พ.ศ. {self.year}",
                    f"documents/{self.document_of(action)}",
                )
            )
        reports = sorted(
            (
                r
                for r in self.plans.progress_reports
                if r.owner == owner and r.fiscal_year == self.year
            ),
            key=lambda r: r.quarter,
        )
        for report in reports:
            path = self.document_of(report)
            found.append(
                Link(f"รายงานผลการดำเนินงาน {round_name(report.quarter)}", f"documents/{path}")
            )
            if owner == cluster:
                side = path.with_name(f"{path.stem}-cluster.html")
                found.append(
                    Link(f"สรุปผลทั้งกลุ่มจังหวัด {round_name(report.quarter)}", f"documents/{side}")
                )
        if (cluster, self.year) in self.linkages:
            found.append(
                Link(
                    f"ตารางเชื่อมโยงโครงการของกลุ่มจังหวัด พ.ศ. {self.year}",
                    f"documents/linkage-{cluster}-{self.year}.html",
                )
            )
        return found

    @cached_property
    def linkages(self) -> set[tuple[str, int]]:
        return set(self.renderer.linkages())

    # --- indicators ------------------------------------------------------------------------

    def indicator(
        self,
        development: DevelopmentOutline,
        issue: StrategicIssue,
        goal: str,
        indicator: Indicator,
    ) -> Page:
        owner = development.owner
        years = list(development.years())
        actuals = {}
        for year in years:
            report = self.progress(year)
            found = report.owner(owner) if report else None
            if found is not None and indicator.id in found.actuals:
                actuals[year] = found.actuals[indicator.id]
        targets = {year: indicator.targets.get(year) for year in years}
        baseline = {indicator.baseline.year: indicator.baseline.value} if indicator.baseline else {}
        series = [
            ("ค่าฐาน", _numeric(baseline)),
            ("เป้าหมาย", _numeric(targets)),
            ("ผลการดำเนินงาน", _numeric(actuals)),
        ]
        drawn = [s for s in series if s[1]]
        charts = (
            [year_chart("targets", "ค่าเป้าหมายและผลการดำเนินงาน", indicator.unit, drawn)]
            if drawn
            else []
        )
        action = self._action_plan(owner)
        listed = self.renderer.ledger.listed(action) if action else []
        projects = [self._row(e) for e in listed if indicator.id in e.project.indicators]
        label = self.registry.label(owner)
        crumbs = [Link("หน้าหลัก", "index.html"), Link(label, owner_path(self.registry, owner))]
        context = self.base(f"{indicator.id} {indicator.name}", crumbs)
        context.update(
            owner=Link(label, owner_path(self.registry, owner)),
            issue=issue,
            goal=goal,
            indicator=indicator,
            years=years,
            targets=targets,
            actuals=actuals,
            charts=charts,
            projects=projects,
        )
        path = PurePosixPath(indicator_path(owner, indicator.id))
        return Page(path, "site/indicator.html.j2", context)


def _start(plan: DevelopmentOutline) -> int:
    return plan.period[0]


def _numeric(values: dict[int, Any]) -> list[tuple[int, Decimal]]:
    """The years whose value is a number (targets may be text: they go in the table only)."""
    return [
        (year, Decimal(value))
        for year, value in sorted(values.items())
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    ]
