"""Rendering: validated plans → official documents in Markdown or HTML, from Jinja templates.

Owns the template environment (`make_env`), the context each template gets, and where each
document goes. It reads the full documents again (validation keeps only outlines) and writes
into the caller's staging folder, so a failed run replaces nothing (`output.staged`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
)
from markupsafe import Markup

from provplan import parallel, thai
from provplan.digits import html_thai_digits, markdown_thai_digits
from provplan.documents import Document, plan_document
from provplan.load import read
from provplan.markdown import md_escape
from provplan.model.plan import ActionPlan, DevelopmentPlan, Project
from provplan.model.registry import Registry
from provplan.output import Staging, write_under
from provplan.repository import Repository
from provplan.rollup import CATEGORY
from provplan.validate import CheckResult
from provplan.validate.outline import Outline, ProjectOutline
from provplan.validate.planset import PlanSet, counted_for

Format = Literal["md", "html"]
REQUEST_CHANNELS = ("province-request", "cluster-request", "cluster-in-province")
"""Channels requested directly from the Budget Bureau (สำนักงบประมาณ)."""


def builtin_templates() -> Path:
    """The templates shipped with provplan: in the wheel, or at the top of a source tree."""
    packaged = Path(str(resources.files("provplan"))) / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "templates"


def make_env(
    fmt: Format, overrides: Sequence[Path] = (), *, thai_digits: bool = False
) -> Environment:
    """The one Jinja environment: user templates first, then the built-ins; every value
    escaped for its format unless a filter marked it safe."""
    loader = ChoiceLoader(
        [FileSystemLoader([str(p) for p in overrides]), FileSystemLoader(str(builtin_templates()))]
    )

    def finalize(value: Any) -> Any:
        if fmt == "md" and isinstance(value, str) and not isinstance(value, Markup):
            value = Markup(md_escape(value))
        return value  # Thai digits: on the whole document's text, in Renderer.template

    env = Environment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=fmt == "html",  # plan text is data, never markup
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,
    )
    env.filters.update(
        baht=lambda v: Markup(thai.baht(v)),
        baht_words=lambda v: Markup(thai.baht_words(v)),
        be_date=thai.be_date,
        body=lambda b: thai.BODIES[b],
        channel=lambda c: thai.CHANNELS[c],
        budget_class=lambda c: thai.BUDGET_CLASSES[c],
        number=_number if fmt == "md" else _html_number,
    )
    env.globals["thai_digits"] = thai_digits  # also for CSS: page numbers, list numbers
    env.globals["links"] = True  # links between HTML documents (none in PDF)
    return env


def _number(value: Any) -> Any:
    """Targets and baselines: numbers with separators, text as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return value
    return Markup(f"{value:,}")


def _html_number(value: Any) -> Any:
    """In HTML a long target may wrap after a thousands separator, never inside a group."""
    number = _number(value)
    return Markup(str(number).replace(",", ",<wbr>")) if isinstance(number, Markup) else number


def repository_templates(repository: Repository, paths: Sequence[Path]) -> list[Path]:
    """A plan repository's own templates: `templates:` of provplan.yaml, else `templates/`
    at its root (the first folder given when there is no provplan.yaml)."""
    root = repository.root or next((p for p in paths if p.is_dir()), Path())
    folder = root / (repository.settings.templates or "templates")
    return [folder] if folder.is_dir() else []


def target_for(roots: Sequence[Path]) -> Callable[[Outline], Path]:
    """Where a plan's documents go: its path relative to the folder it was found in (or its
    name, when named itself), without the suffix."""
    resolved = [r.resolve() for r in roots]

    def target(outline: Outline) -> Path:
        path = outline.path.resolve()
        for root in resolved:
            if root.is_dir() and path.is_relative_to(root):
                return path.relative_to(root).with_suffix("")
        return Path(path.stem)

    return target


# --- what the templates get -----------------------------------------------------------------


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
    if doc.fiscal_year is not None:
        return f"แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. {doc.fiscal_year} ของ{owner.label}"
    assert doc.period is not None
    return f"แผนพัฒนา{owner.label} (พ.ศ. {doc.period[0]}-{doc.period[1]})"


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


def categories(projects: Iterable[Project]) -> list[tuple[str, Decimal]]:
    """Budget request, ministry support and other sources of a document's projects, as
    rollup counts them: what a reviewer reads first."""
    sums = dict.fromkeys(("budget_request", "ministry_support", "other_sources"), Decimal(0))
    for p in projects:
        sums[CATEGORY[p.channel]] += p.budget.amount
    return [(thai.CATEGORIES[key], amount) for key, amount in sums.items()]


def issue_groups(plan: ActionPlan, development: Outline) -> list[IssueGroup]:
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


# --- the documents --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    path: Path  # relative to the output folder
    text: str


class Renderer:
    """Renders every document of a validated run."""

    def __init__(self, result: CheckResult, env: Environment, fmt: Format) -> None:
        self.plans: PlanSet = result.plans
        self.registry = result.plans.registry
        self.env, self.fmt = env, fmt
        self._documents: dict[Path, Document] = {}
        self.root = ""  # the output folder relative to the document being rendered (fonts/)

    def document(self, outline: Outline) -> Document:
        """The full document behind an outline; development plans, needed by many action
        plans, are read once and kept, action plans are not kept (memory, issue #6)."""
        if outline.path in self._documents:
            return self._documents[outline.path]
        loaded = read(outline.path)
        plan, _ = plan_document(loaded, explicit=True)
        assert plan is not None, f"{outline.path} changed since it was validated"
        document = Document(loaded, plan, outline.owner)
        if not outline.is_action_plan:
            self._documents[outline.path] = document
        return document

    def template(self, name: str, **context: Any) -> str:
        template = self.env.get_template(f"{name}.{self.fmt}.j2")
        text = template.render(document=name, root=self.root, **context)
        if self.env.globals.get("thai_digits"):
            convert = html_thai_digits if self.fmt == "html" else markdown_thai_digits
            text = convert(text)
        return text

    def of_plan(self, outline: Outline, base: Path) -> Iterator[Rendered]:
        """The documents of one plan file: a development plan and its five-year summary, or
        an action plan and its project briefs; `base` is the path without suffix."""
        self.root = "../" * len(base.parent.parts)
        if outline.is_action_plan:
            yield from self.action_plan(outline, base)
            return
        yield Rendered(base.with_name(f"{base.name}.{self.fmt}"), self.development_plan(outline))
        if self.plans_in_period(outline):
            yield Rendered(base.with_name(f"{base.name}-summary.{self.fmt}"), self.summary(outline))

    def linkage_document(self, cluster: str, year: int) -> Rendered:
        self.root = ""
        return Rendered(Path(f"linkage-{cluster}-{year}.{self.fmt}"), self.linkage(cluster, year))

    def development_plan(self, outline: Outline) -> str:
        doc = self.document(outline)
        assert isinstance(doc.plan, DevelopmentPlan)
        owner = owner_of(outline.owner, self.registry)
        refs = [ref for issue in doc.plan.strategic_issues for ref in issue.aligns_with]
        return self.template(
            "development-plan",
            plan=doc.plan,
            owner=owner,
            title=doc.plan.title or default_title(outline, owner),
            years=list(doc.plan.period.years()),
            alignments={ref: self.describe(ref, outline) for ref in refs},
        )

    def describe(self, ref: str, plan: Outline) -> str:
        """`northeast-upper-2:SI1` as a reader says it: the issue's title and its owner."""
        owner_name, _, issue_id = ref.partition(":")
        owner_id = self.registry.owner_id(owner_name)
        label = self.registry.label(owner_id)
        assert plan.period is not None
        for other in self.plans.plans_during(owner_id, plan.period):
            issue = other.issue(issue_id)
            if issue:
                return f"ประเด็นยุทธศาสตร์ {issue_id} {issue.title} ของ{label}"
        return f"ประเด็นยุทธศาสตร์ {issue_id} ของ{label}"

    def action_plan(self, outline: Outline, base: Path) -> Iterator[Rendered]:
        doc = self.document(outline)
        assert isinstance(doc.plan, ActionPlan)
        development = self.plans.development_plan(outline)
        assert development is not None
        owner = owner_of(outline.owner, self.registry)
        title = doc.plan.title or default_title(outline, owner)
        requested = [p for p in doc.plan.projects if p.channel in REQUEST_CHANNELS]
        # cluster projects carried out in this province: its budget request carries them
        hosted = self.plans.hosted.get((outline.owner, outline.fiscal_year or 0), [])
        text = self.template(
            "action-plan",
            plan=doc.plan,
            owner=owner,
            title=title,
            groups=issue_groups(doc.plan, development),
            requested=requested,
            hosted=hosted,
            requested_total=sum((p.budget.amount for p in requested), Decimal(0))
            + sum((p.amount for p in hosted), Decimal(0)),
            total=sum((p.budget.amount for p in doc.plan.projects), Decimal(0)),
            in_provinces=sum(
                (p.budget.amount for p in requested if p.channel == "cluster-in-province"),
                Decimal(0),
            ),
            request_channels=REQUEST_CHANNELS,
            categories=categories(doc.plan.projects),
            briefs=base.name,
        )
        yield Rendered(base.with_name(f"{base.name}.{self.fmt}"), text)
        full = self.document(development).plan
        assert isinstance(full, DevelopmentPlan)
        self.root = "../" * len(base.parts)
        for project in doc.plan.projects:
            brief = self.project_brief(doc.plan, project, full, owner, title)
            yield Rendered(base / f"{project.id}.{self.fmt}", brief)

    def project_brief(
        self,
        plan: ActionPlan,
        project: Project,
        development: DevelopmentPlan,
        owner: Owner,
        title: str,
    ) -> str:
        issue = development.issue(project.strategic_issue)
        assert issue is not None
        strategy = next(s for s in issue.strategies if s.id == project.strategy)
        indicators = [i for g in issue.goals for i in g.indicators if i.id in project.indicators]
        areas = [
            self.registry.province_by_id[a].name_th
            for a in (self.registry.province_id(name) for name in project.area or [])
            if a
        ]
        return self.template(
            "project",
            title=f"{project.id} {project.title}",
            project=project,
            plan=plan,
            owner=owner,
            issue=issue,
            strategy=strategy,
            indicators=indicators,
            areas=areas,
            plan_title=title,
            requested=project.channel in REQUEST_CHANNELS,
        )

    def plans_in_period(self, development: Outline) -> list[Outline]:
        """The owner's action plans for the years of a development plan."""
        years = development.years()
        return sorted(
            (
                o
                for o in self.plans.action_plans
                if o.owner == development.owner and o.fiscal_year in years
            ),
            key=lambda o: o.fiscal_year or 0,
        )

    def summary(self, development: Outline) -> str:
        """The จ.1 form: per issue, projects × the years of the plan, with totals."""
        years = list(development.years())
        owner = owner_of(development.owner, self.registry)
        issues: list[dict[str, Any]] = []
        for n, issue in enumerate(development.issues, 1):
            rows: dict[str, dict[str, Any]] = {}
            for action in self.plans_in_period(development):
                for p in action.projects:
                    if p.strategic_issue == issue.id:
                        row = rows.setdefault(p.id, {"project": p, "years": defaultdict(Decimal)})
                        row["years"][action.fiscal_year] += p.amount
            issue_rows = list(rows.values())
            totals = {y: sum((r["years"][y] for r in issue_rows), Decimal(0)) for y in years}
            issues.append({"number": n, "issue": issue, "rows": issue_rows, "totals": totals})
        grand = {y: sum((i["totals"][y] for i in issues), Decimal(0)) for y in years}
        return self.template(
            "summary",
            owner=owner,
            development=development,
            years=years,
            issues=issues,
            grand=grand,
            title=development.title or default_title(development, owner),
        )

    def linkages(self) -> list[tuple[str, int]]:
        """Every cluster and year with a cluster plan and some action plan of its members."""
        found = set()
        for cluster in self.registry.clusters:
            for plan in self.plans.development_plans.get(cluster.id, []):
                for action in self.plans.action_plans:
                    related = action.owner == cluster.id or action.owner in cluster.members
                    if related and action.fiscal_year in plan.years():
                        found.add((cluster.id, action.fiscal_year or 0))
        return sorted(found)

    def linkage(self, cluster_id: str, year: int) -> str:
        """The seed's linkage table: per cluster issue, projects sorted into the six roles."""
        cluster = self.registry.cluster_by_id[cluster_id]
        development = next(
            d for d in self.plans.development_plans.get(cluster_id, []) if year in d.years()
        )
        sections = linkage_sections(
            self.plans, cluster.id, list(cluster.members), year, development
        )
        names = {m: self.registry.province_by_id[m].name_th for m in cluster.members}
        title = f"การแบ่งบทบาทโครงการพัฒนาเชื่อมโยง {cluster.name_th} ปีงบประมาณ พ.ศ. {year}"
        return self.template(
            "linkage",
            title=title,
            cluster=cluster,
            year=year,
            development=development,
            sections=sections,
            names=names,
            roles=ROLES,
        )


# The six roles of the seed's linkage table, by level, plus the carriers outside them.
ROLES: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("country", "ประเทศ/ส่วนกลาง", "โครงการของกระทรวง/กรม", ("ministry",)),
    ("cluster", "กลุ่มจังหวัด", "โครงการของกลุ่มจังหวัด จัดทำเป็นคำของบประมาณกลุ่มจังหวัด", ("cluster-request",)),
    (
        "cluster",
        "กลุ่มจังหวัด",
        "โครงการของกลุ่มจังหวัดที่ขอรับการสนับสนุนจากกระทรวง/กรม",
        ("cluster-ministry-support",),
    ),
    ("province", "จังหวัด", "โครงการของจังหวัดที่จัดทำเป็นคำของบประมาณของจังหวัด", ("province-request",)),
    # in the province row, beside the province's own request, as the seed's table has them
    (
        "province",
        "จังหวัด",
        "โครงการของกลุ่มจังหวัดทำในพื้นที่จังหวัด จัดทำเป็นคำของบประมาณจังหวัด",
        ("cluster-in-province",),
    ),
    (
        "province",
        "จังหวัด",
        "โครงการของจังหวัดที่ขอรับการสนับสนุนจากกระทรวง/กรม",
        ("province-ministry-support",),
    ),
    (
        "other",
        "อื่น ๆ",
        "โครงการขององค์กรปกครองส่วนท้องถิ่น หน่วยงานอื่นของรัฐ และภาคเอกชน",
        ("local-government", "other-state", "private"),
    ),
]


def linkage_sections(
    plans: PlanSet, cluster: str, members: list[str], year: int, development: Outline
) -> list[dict[str, Any]]:
    """Per cluster issue (and one for what aligns with none), each role's projects grouped by
    the province they belong to (none for the cluster's own), in the cluster's member order."""
    placed: dict[str | None, dict[int, dict[str | None, list[ProjectOutline]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for action in plans.action_plans:
        if action.fiscal_year != year or (action.owner != cluster and action.owner not in members):
            continue
        own = action.owner == cluster
        province_plan = None if own else plans.development_plan(action)
        for p in action.projects:
            issue = p.strategic_issue if own else _aligned(province_plan, p, cluster)
            role = next(i for i, r in enumerate(ROLES) if p.channel in r[3])
            carrier = counted_for(action.owner, p)
            placed[issue][role][None if carrier == cluster else carrier].append(p)
    order: dict[str | None, int] = {None: -1, **{m: i for i, m in enumerate(members)}}

    def roles(issue: str | None) -> dict[int, list[tuple[str | None, list[ProjectOutline]]]]:
        return {
            role: sorted(groups.items(), key=lambda g: order[g[0]])
            for role, groups in placed[issue].items()
        }

    sections: list[dict[str, Any]] = [
        {"issue": i, "number": n, "roles": roles(i.id)} for n, i in enumerate(development.issues, 1)
    ]
    if None in placed:
        sections.append({"issue": None, "number": None, "roles": roles(None)})
    return sections


def _aligned(province_plan: Outline | None, project: ProjectOutline, cluster: str) -> str | None:
    """The cluster issue a province project serves, through its issue's `aligns_with`."""
    issue = province_plan.issue(project.strategic_issue) if province_plan else None
    for ref in issue.aligns_with if issue else ():
        owner, _, issue_id = ref.partition(":")
        if owner == cluster:
            return issue_id
    return None


def render_into(
    staging: Staging, renderer: Renderer, target: Callable[[Outline], Path], jobs: int | None
) -> None:
    """Write every document into the staging folder, plan files spread over all cores when
    there are many (28,000 project briefs a national year)."""
    outlines = renderer.plans.outlines
    work: list[tuple[Any, ...]] = [("plan", i) for i in range(len(outlines))]
    work += [("linkage", cluster, year) for cluster, year in renderer.linkages()]
    size = sum(o.path.stat().st_size for o in outlines)
    shared = (renderer, target, staging.folder)
    with parallel.no_gc():
        for written in parallel.pmap(_render_one, work, size=size, jobs=jobs, shared=shared):
            staging.files.extend(written)


def _render_one(item: tuple[Any, ...]) -> list[Path]:
    renderer, target, folder = parallel.context()
    if item[0] == "linkage":
        documents: Iterable[Rendered] = [renderer.linkage_document(item[1], item[2])]
    else:
        outline = renderer.plans.outlines[item[1]]
        documents = renderer.of_plan(outline, target(outline))
    return [write_under(folder, d.path, d.text) for d in documents]
