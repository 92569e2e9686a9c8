"""Rules across documents, on outlines: each action plan's development plan, the issue,
strategy and indicators its projects name, `aligns_with`, and duplicate plans."""

from __future__ import annotations

from collections.abc import Iterator

from provplan.diagnostics import Finding, suggest
from provplan.i18n import msg
from provplan.planset import (
    ActionOutline,
    DevelopmentOutline,
    IssueOutline,
    Outline,
    PlanSet,
    ProgressOutline,
    ProjectOutline,
)


def check_development_plan(plans: PlanSet) -> Iterator[Finding]:
    """PP401/PP402: exactly one development plan of the owner covers the fiscal year."""
    for action in plans.action_plans:
        if not plans.registry.knows(action.owner):
            continue  # PP301 already says the owner is unknown
        found = plans.plans_for(action)
        year = action.fiscal_year
        if not found:
            periods = [o.period for o in plans.development_plans.get(action.owner, [])]
            known = ", ".join(f"{start}-{end}" for start, end in periods)
            message = (
                msg(
                    "no development plan of `{owner}` covers fiscal year {year} (its plans "
                    "cover {periods}); add the plan to the files checked",
                    owner=action.owner,
                    year=year,
                    periods=known,
                )
                if known
                else msg(
                    "no development plan of `{owner}` covers fiscal year {year} (none was "
                    "given); add the plan to the files checked",
                    owner=action.owner,
                    year=year,
                )
            )
            yield Finding(action.path, ("fiscal_year",), "PP401", message)
        elif len(found) > 1:
            where = ", ".join(str(o.path) for o in found)
            message = msg(
                "fiscal year {year} falls in several development plans of `{owner}` "
                "({paths}); keep one",
                year=year,
                owner=action.owner,
                paths=where,
            )
            yield Finding(action.path, ("fiscal_year",), "PP402", message)


def check_project_references(
    action: ActionOutline, development: DevelopmentOutline
) -> Iterator[Finding]:
    """PP403-PP405: the issue, the strategy of that issue and its indicators exist.

    A rule of one action plan against its development plan: its findings depend on the two
    files alone, so the cache keeps them for the pair (validate/__init__.py).
    """
    issues = {issue.id: issue for issue in development.issues}
    for i, project in enumerate(action.projects):
        issue = issues.get(project.strategic_issue)
        if issue is None:
            ids = [s.id for s in development.issues]
            message = msg(
                "strategic issue `{issue}` is not in the development plan of `{owner}`{hint} "
                "(issues: {issues})",
                issue=project.strategic_issue,
                owner=action.owner,
                hint=suggest(project.strategic_issue, ids),
                issues=", ".join(ids),
            )
            yield Finding(
                action.path, ("projects", action.index(i), "strategic_issue"), "PP403", message
            )
            continue
        if project.strategy not in issue.strategies:  # checked inline: 28,000 a year
            yield from _strategy(action, i, project, issue, development)
        if not issue.indicators.issuperset(project.indicators):
            yield from _indicators(action, i, project, issue)


def _strategy(
    action: ActionOutline,
    i: int,
    project: ProjectOutline,
    issue: IssueOutline,
    plan: DevelopmentOutline,
) -> Iterator[Finding]:
    if project.strategy in issue.strategies:
        return
    elsewhere = [s.id for s in plan.issues if project.strategy in s.strategies]
    ids = list(issue.strategies)
    if elsewhere:
        message = msg(
            "strategy `{strategy}` is not a strategy of issue `{issue}` (it belongs to issue "
            "`{other}`)",
            strategy=project.strategy,
            issue=issue.id,
            other=elsewhere[0],
        )
    else:
        message = msg(
            "strategy `{strategy}` is not a strategy of issue `{issue}` (strategies of "
            "`{issue}`: {strategies}{hint})",
            strategy=project.strategy,
            issue=issue.id,
            strategies=", ".join(ids),
            hint=suggest(project.strategy, ids),
        )
    yield Finding(action.path, ("projects", action.index(i), "strategy"), "PP404", message)


def _indicators(
    action: ActionOutline, i: int, project: ProjectOutline, issue: IssueOutline
) -> Iterator[Finding]:
    for j, indicator in enumerate(project.indicators):
        if indicator not in issue.indicators:
            hint = suggest(indicator, sorted(issue.indicators))
            message = msg(
                "indicator `{indicator}` is not under the goals of issue `{issue}`{hint}",
                indicator=indicator,
                issue=issue.id,
                hint=hint,
            )
            yield Finding(
                action.path, ("projects", action.index(i), "indicators", j), "PP405", message
            )


def check_alignments(plans: PlanSet) -> Iterator[Finding]:
    """PP406/PP407: `aligns_with` names an issue of another development plan."""
    registry = plans.registry
    developments = (o for o in plans.outlines if isinstance(o, DevelopmentOutline))
    for plan in developments:
        start, end = plan.period
        for i, issue in enumerate(plan.issues):
            for j, ref in enumerate(issue.aligns_with):
                loc = ("strategic_issues", i, "aligns_with", j)
                owner_name, _, issue_id = ref.partition(":")
                owner = registry.owner_id(owner_name)
                if not registry.knows(owner):
                    hint = suggest(owner_name, registry.owner_names())
                    message = msg(
                        "`{ref}` names unknown owner `{owner}`{hint}",
                        ref=ref,
                        owner=owner_name,
                        hint=hint,
                    )
                    yield Finding(plan.path, loc, "PP406", message)
                    continue
                targets = plans.plans_during(owner, (start, end))
                if not targets:
                    message = msg(
                        "cannot check `{ref}`: no development plan of `{owner}` for "
                        "{period} is among the files checked",
                        ref=ref,
                        owner=owner,
                        period=f"{start}-{end}",
                    )
                    yield Finding(plan.path, loc, "PP407", message)
                elif not any(t.issue(issue_id) for t in targets):
                    ids = [s.id for t in targets for s in t.issues]
                    message = msg(
                        "`{owner}` has no strategic issue `{issue}`{hint}",
                        owner=owner,
                        issue=issue_id,
                        hint=suggest(issue_id, ids),
                    )
                    yield Finding(plan.path, loc, "PP406", message)


_A_KIND = {
    "province-plan": msg("a province plan"),
    "cluster-plan": msg("a cluster plan"),
    "action-plan": msg("an action plan"),
}


def check_duplicate_plans(plans: PlanSet) -> Iterator[Finding]:
    """PP408: one development plan per owner and year, one action plan per owner and year."""
    seen: dict[tuple[str, str, int], Outline] = {}
    for plan in plans.outlines:
        if isinstance(plan, ProgressOutline):
            continue  # one per quarter: PP605 (`validate.progress`)
        for year in plan.years():
            key = (plan.kind, plan.owner, year)
            if key in seen:
                message = msg(
                    "`{owner}` already has {plan} for {year} in {path}; merge the two or remove "
                    "one",
                    owner=plan.owner,
                    plan=_A_KIND.get(plan.kind, plan.kind),
                    year=year,
                    path=seen[key].path,
                )
                yield Finding(plan.path, ("owner",), "PP408", message)
                break
            seen[key] = plan
