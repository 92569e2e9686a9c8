"""Rules across documents: each action plan's development plan, the issue, strategy and
indicators its projects name, `aligns_with`, and duplicate plans."""

from __future__ import annotations

from collections.abc import Iterator

from provplan.diagnostics import Diagnostic
from provplan.documents import Document, suggest
from provplan.model.plan import ActionPlan, DevelopmentPlan, Project, StrategicIssue
from provplan.validate.planset import PlanSet


def check_development_plan(plans: PlanSet) -> Iterator[Diagnostic]:
    """PP401/PP402: exactly one development plan of the owner covers the fiscal year."""
    registry = plans.registry
    for doc in plans.action_plans:
        assert isinstance(doc.plan, ActionPlan)
        if doc.owner not in registry.province_by_id and doc.owner not in registry.cluster_by_id:
            continue  # PP301 already says the owner is unknown
        found = plans.plans_for(doc)
        year = doc.plan.fiscal_year
        if not found:
            others = [
                d.plan.period
                for d in plans.development_plans.get(doc.owner, [])
                if isinstance(d.plan, DevelopmentPlan)
            ]
            known = ", ".join(f"{p.start}-{p.end}" for p in others)
            why = f"its plans cover {known}" if known else "none was given"
            yield doc.report(
                "PP401",
                f"no development plan of `{doc.owner}` covers fiscal year "
                f"{year} ({why}); add the plan to the files checked",
                "fiscal_year",
            )
        elif len(found) > 1:
            where = ", ".join(str(d.path) for d in found)
            yield doc.report(
                "PP402",
                f"fiscal year {year} falls in several development plans of "
                f"`{doc.owner}` ({where}); keep one",
                "fiscal_year",
            )


def check_project_references(plans: PlanSet) -> Iterator[Diagnostic]:
    """PP403-PP405: the issue, the strategy of that issue and its indicators exist."""
    for doc in plans.action_plans:
        assert isinstance(doc.plan, ActionPlan)
        development = plans.development_plan(doc)
        if development is None:
            continue  # PP401/PP402 already reported
        for i, project in enumerate(doc.plan.projects):
            issue = development.issue(project.strategic_issue)
            if issue is None:
                ids = [s.id for s in development.strategic_issues]
                yield doc.report(
                    "PP403",
                    f"strategic issue `{project.strategic_issue}` is not in "
                    f"the development plan of `{doc.owner}`{suggest(project.strategic_issue, ids)} "
                    f"(issues: {', '.join(ids)})",
                    "projects",
                    i,
                    "strategic_issue",
                )
                continue
            yield from _strategy(doc, i, project, issue, development)
            yield from _indicators(doc, i, project, issue)


def _strategy(
    doc: Document, i: int, project: Project, issue: StrategicIssue, plan: DevelopmentPlan
) -> Iterator[Diagnostic]:
    ids = [s.id for s in issue.strategies]
    if project.strategy in ids:
        return
    elsewhere = [
        s.id for s in plan.strategic_issues if any(t.id == project.strategy for t in s.strategies)
    ]
    why = (
        f"it belongs to issue `{elsewhere[0]}`"
        if elsewhere
        else f"strategies of `{issue.id}`: {', '.join(ids)}{suggest(project.strategy, ids)}"
    )
    yield doc.report(
        "PP404",
        f"strategy `{project.strategy}` is not a strategy of issue `{issue.id}` ({why})",
        "projects",
        i,
        "strategy",
    )


def _indicators(
    doc: Document, i: int, project: Project, issue: StrategicIssue
) -> Iterator[Diagnostic]:
    known = issue.indicator_ids()
    for j, indicator in enumerate(project.indicators):
        if indicator not in known:
            yield doc.report(
                "PP405",
                f"indicator `{indicator}` is not under the goals of issue "
                f"`{issue.id}`{suggest(indicator, sorted(known))}",
                "projects",
                i,
                "indicators",
                j,
            )


def check_alignments(plans: PlanSet) -> Iterator[Diagnostic]:
    """PP406/PP407: `aligns_with` names an issue of another development plan."""
    registry = plans.registry
    for doc in plans.documents:
        if not isinstance(doc.plan, DevelopmentPlan):
            continue
        period = doc.plan.period
        for i, issue in enumerate(doc.plan.strategic_issues):
            for j, ref in enumerate(issue.aligns_with):
                owner_name, _, issue_id = ref.partition(":")
                owner = registry.province_id(owner_name) or owner_name
                loc = ("strategic_issues", i, "aligns_with", j)
                if owner not in registry.province_by_id and owner not in registry.cluster_by_id:
                    hint = suggest(owner_name, registry.owner_names())
                    yield doc.report(
                        "PP406", f"`{ref}` names unknown owner `{owner_name}`{hint}", *loc
                    )
                    continue
                targets = [
                    d.plan
                    for d in plans.development_plans.get(owner, [])
                    if isinstance(d.plan, DevelopmentPlan)
                    and d.plan.period.start <= period.end
                    and period.start <= d.plan.period.end
                ]
                if not targets:
                    yield doc.report(
                        "PP407",
                        f"cannot check `{ref}`: no development plan of "
                        f"`{owner}` for {period.start}-{period.end} is among the "
                        "files checked",
                        *loc,
                    )
                elif not any(t.issue(issue_id) for t in targets):
                    ids = [s.id for t in targets for s in t.strategic_issues]
                    yield doc.report(
                        "PP406",
                        f"`{owner}` has no strategic issue `{issue_id}`{suggest(issue_id, ids)}",
                        *loc,
                    )


def check_duplicate_plans(plans: PlanSet) -> Iterator[Diagnostic]:
    """PP408: one development plan per owner and period, one action plan per owner and year."""
    seen: dict[tuple[str, str, int], Document] = {}
    for doc in plans.documents:
        plan = doc.plan
        years = (
            range(plan.fiscal_year, plan.fiscal_year + 1)
            if isinstance(plan, ActionPlan)
            else plan.period.years()
        )
        for year in years:
            key = (plan.kind, doc.owner, year)
            if key in seen:
                first = seen[key]
                line, _ = first.source.where(first.at())
                yield doc.report(
                    "PP408",
                    f"`{doc.owner}` already has a {plan.kind} for {year} in "
                    f"{first.path}:{line}; merge the two or remove one",
                    "owner",
                )
                break
            seen[key] = doc
