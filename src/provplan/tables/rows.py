"""The tables and their rows: stable snake_case columns, keys that join, exact amounts.

Keys: `plan_id` is `owner:kind:year` (`mukdahan:action-plan:2568`,
`mukdahan:province-plan:2566-2570`); a development plan's elements join on `plan_id` and their
ids; a project's `project_key` is `owner:fiscal_year:id`, and `development_plan_id` is the
`plan_id` its `strategic_issue` and `strategy` belong to. Money counts as `provplan rollup`
counts it: `counted_for`, `level`, `cluster` and `category` come from the same rule
(`counted_for`, the channel table's category), so summing `amount` by cluster and category gives the
rollup's figures exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from provplan.channels import CHANNELS, category
from provplan.load import read
from provplan.model.plan import ActionPlan, DevelopmentPlan, Project
from provplan.planset import (
    ActionOutline,
    DevelopmentOutline,
    Outline,
    PlanSet,
    ProgressOutline,
    ProjectOutline,
    allocated,
    counted_for,
)
from provplan.registry import Registry
from provplan.shape import plan_document

Type = Literal["text", "int", "amount", "number"]


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[tuple[str, Type], ...]

    @property
    def names(self) -> list[str]:
        return [c for c, _ in self.columns]


def _t(name: str, *columns: str) -> Table:
    """`column` is text; `column:int`, `column:amount` (decimal(18,2)), `column:number`."""
    typed = []
    for column in columns:
        key, _, kind = column.partition(":")
        typed.append((key, kind or "text"))
    return Table(name, tuple(typed))  # type: ignore[arg-type]


TABLES: tuple[Table, ...] = (
    _t(
        "plans",
        "plan_id",
        "kind",
        "owner",
        "owner_name_th",
        "region",
        "cluster",
        "fiscal_year:int",
        "period_start:int",
        "period_end:int",
        "title",
        "vision",
        "positioning",
        "path",
    ),
    _t("strategic_issues", "plan_id", "issue_id", "title"),
    _t("alignments", "plan_id", "issue_id", "aligns_with_owner", "aligns_with_issue"),
    _t("goals", "plan_id", "issue_id", "goal_id", "statement"),
    _t("strategies", "plan_id", "issue_id", "strategy_id", "title", "description"),
    _t(
        "indicators",
        "plan_id",
        "issue_id",
        "goal_id",
        "indicator_id",
        "name",
        "unit",
        "baseline_year:int",
        "baseline_value",
    ),
    _t("targets", "plan_id", "indicator_id", "year:int", "target", "target_number:number"),
    _t(
        "projects",
        "project_key",
        "plan_id",
        "owner",
        "fiscal_year:int",
        "project_id",
        "title",
        "development_plan_id",
        "strategic_issue",
        "strategy",
        "indicators",
        "channel",
        "channel_th",
        "category",
        "counted_for",
        "level",
        "cluster",
        "region",
        "agency",
        "area",
        "description",
        "outputs",
        "outcomes",
        "amount:amount",
    ),
    _t("budget_lines", "project_key", "plan_id", "budget_class", "amount:amount"),
    _t(
        "activities",
        "project_key",
        "activity_no:int",
        "title",
        "agency",
        "partners",
        "amount:amount",
    ),
    _t(
        "progress",
        "report_id",
        "owner",
        "fiscal_year:int",
        "quarter:int",
        "as_of",
        "project_key",
        "project_id",
        "status",
        "allocated:amount",
        "committed:amount",
        "disbursed:amount",
        "progress:number",
        "problems",
        "remedies",
    ),
    _t(
        "indicator_results",
        "report_id",
        "owner",
        "fiscal_year:int",
        "quarter:int",
        "indicator_id",
        "actual",
        "actual_number:number",
        "met",
    ),
)
BY_NAME = {t.name: t for t in TABLES}
Rows = dict[str, list[tuple[Any, ...]]]


def plan_id(outline: Outline) -> str:
    if isinstance(outline, ActionOutline):
        return f"{outline.owner}:{outline.kind}:{outline.fiscal_year}"
    if isinstance(outline, ProgressOutline):
        return f"{outline.owner}:{outline.kind}:{outline.fiscal_year}-q{outline.quarter}"
    return f"{outline.owner}:{outline.kind}:{outline.period[0]}-{outline.period[1]}"


@dataclass(frozen=True, slots=True)
class Job:
    """One plan file to turn into rows, with what only the whole set knows."""

    outline: Outline
    development_plan_id: str | None
    reported: tuple[ProjectOutline | None, ...] = ()  # a report's projects in its action plan


def jobs(plans: PlanSet) -> list[Job]:
    found = []
    for outline in plans.outlines:
        if isinstance(outline, ProgressOutline):
            found.append(Job(outline, None, _reported(plans, outline)))
            continue
        development = (
            plans.development_plan(outline) if isinstance(outline, ActionOutline) else None
        )
        found.append(Job(outline, plan_id(development) if development else None))
    return found


def _reported(plans: PlanSet, report: ProgressOutline) -> tuple[ProjectOutline | None, ...]:
    """The action plan's project behind each project of a report (None: not in the plan)."""
    action = plans.action_plan_of.get((report.owner, report.fiscal_year))
    projects = {p.id: p for p in action.projects} if action else {}
    return tuple(projects.get(p.id) for p in report.projects)


def _progress_rows(job: Job) -> Rows:
    """A progress report's rows: its projects (allocated as `provplan progress` counts it)
    and its indicator results; from the outline alone."""
    report = job.outline
    assert isinstance(report, ProgressOutline)
    rows: Rows = {t.name: [] for t in TABLES}
    rid = plan_id(report)
    head = (report.owner, report.fiscal_year, report.quarter)
    for progress, project in zip(report.projects, job.reported, strict=True):
        rows["progress"].append(
            (
                rid,
                *head,
                report.as_of.isoformat(),
                f"{report.owner}:{report.fiscal_year}:{progress.id}",
                progress.id,
                progress.status,
                allocated(progress, project),
                progress.committed,
                progress.disbursed,
                progress.progress,
                "\n".join(progress.problems) or None,
                "\n".join(progress.remedies) or None,
            )
        )
    for result in report.results:
        number = None if isinstance(result.actual, str) else Decimal(result.actual)
        met = None if result.met is None else str(result.met).lower()
        rows["indicator_results"].append((rid, *head, result.id, str(result.actual), number, met))
    return rows


def file_rows(job: Job, registry: Registry) -> Rows:
    """The rows of every table from one plan file (run in a worker for large sets)."""
    if isinstance(job.outline, ProgressOutline):
        return _progress_rows(job)
    rows: Rows = {t.name: [] for t in TABLES}
    outline = job.outline
    loaded = read(outline.path)
    shaped, _ = plan_document(loaded, explicit=True)
    plan = shaped.plan if shaped else None
    pid = plan_id(outline)
    owner = outline.owner
    cluster = _cluster_of(owner, registry)
    region = registry.cluster_by_id[cluster].region if cluster else None
    period = outline.period if isinstance(outline, DevelopmentOutline) else (None, None)
    fiscal_year = outline.fiscal_year if isinstance(outline, ActionOutline) else None
    rows["plans"].append(
        (
            pid,
            outline.kind,
            owner,
            registry.label(owner),
            region,
            cluster,
            fiscal_year,
            period[0],
            period[1],
            outline.title,
            getattr(plan, "vision", None),
            getattr(plan, "positioning", None),
            outline.path.as_posix(),
        )
    )
    if isinstance(plan, DevelopmentPlan):
        _development(rows, pid, plan)
    elif isinstance(plan, ActionPlan) and isinstance(outline, ActionOutline):
        for project, counted in zip(plan.projects, outline.projects, strict=True):
            _project(rows, pid, job, project, counted, cluster, registry)
    return rows


def _cluster_of(owner: str, registry: Registry) -> str | None:
    if owner in registry.cluster_by_id:
        return owner
    found = registry.cluster_of.get(owner)
    return found.id if found else None


def _development(rows: Rows, pid: str, plan: DevelopmentPlan) -> None:
    for issue in plan.strategic_issues:
        rows["strategic_issues"].append((pid, issue.id, issue.title))
        for reference in issue.aligns_with:
            other, _, other_issue = reference.partition(":")
            rows["alignments"].append((pid, issue.id, other, other_issue))
        for strategy in issue.strategies:
            rows["strategies"].append(
                (pid, issue.id, strategy.id, strategy.title, strategy.description)
            )
        for goal in issue.goals:
            rows["goals"].append((pid, issue.id, goal.id, goal.statement))
            for indicator in goal.indicators:
                baseline = indicator.baseline
                rows["indicators"].append(
                    (
                        pid,
                        issue.id,
                        goal.id,
                        indicator.id,
                        indicator.name,
                        indicator.unit,
                        baseline.year if baseline else None,
                        str(baseline.value) if baseline else None,
                    )
                )
                for year, target in sorted(indicator.targets.items()):
                    number = Decimal(target) if isinstance(target, int | Decimal) else None
                    rows["targets"].append((pid, indicator.id, year, str(target), number))


def _project(
    rows: Rows,
    pid: str,
    job: Job,
    project: Project,
    counted: ProjectOutline,
    cluster: str | None,
    registry: Registry,
) -> None:
    assert isinstance(job.outline, ActionOutline)
    owner, year = job.outline.owner, job.outline.fiscal_year
    key = f"{owner}:{year}:{project.id}"
    toward = counted_for(owner, counted)
    level = "cluster" if toward in registry.cluster_by_id else "province"
    region = registry.cluster_by_id[cluster].region if cluster else None
    rows["projects"].append(
        (
            key,
            pid,
            owner,
            year,
            project.id,
            project.title,
            job.development_plan_id,
            project.strategic_issue,
            project.strategy,
            "; ".join(project.indicators) or None,
            project.channel,
            CHANNELS[project.channel].label,
            category(project.channel),
            toward,
            level,
            cluster,
            region,
            project.agency,
            "; ".join(counted.area) or None,
            project.description,
            "\n".join(project.outputs),
            "\n".join(project.outcomes),
            project.budget.amount,
        )
    )
    for budget_class, amount in _budget_lines(counted):
        rows["budget_lines"].append((key, pid, budget_class, amount))
    for n, activity in enumerate(project.activities or [], start=1):
        partners = "; ".join(activity.partners) or None
        rows["activities"].append(
            (key, n, activity.title, activity.agency, partners, activity.budget)
        )


def _budget_lines(project: ProjectOutline) -> Iterator[tuple[str, Decimal]]:
    """The amount by budget class; what the breakdown leaves (or all, without one) is
    `unspecified`, as `rollup --by class` shows it. The lines add up to the amount."""
    yield from project.breakdown
    rest = project.amount - sum((amount for _, amount in project.breakdown), Decimal(0))
    if rest or not project.breakdown:
        yield "unspecified", rest


def each_file(plans: PlanSet, *, jobs_count: int | None = None) -> Iterator[Rows]:
    """The rows of every table, file by file in input order: a writer streams them out, so
    a whole country's text is never in memory at once."""
    from provplan import parallel

    work = jobs(plans)
    size = sum(_size(j.outline.path) for j in work)
    yield from parallel.pmap(_in_worker, work, plans.registry, size=size, jobs=jobs_count)


def _in_worker(registry: Registry, job: Job) -> Rows:
    return file_rows(job, registry)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
