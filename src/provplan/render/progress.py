"""The progress documents: per report, รายงานผลการดำเนินงานตามแผนปฏิบัติราชการประจำปี … รอบ 6 เดือน
(or 12), and for a cluster's report, the cluster summary that puts the cluster level and its
member provinces side by side.

The money comes from the progress arithmetic (`provplan.progress`), which counts with the
budget ledger, as rollup does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from provplan.channels import REQUEST_CHANNELS
from provplan.model.plan import ProgressReport
from provplan.planset import ProgressOutline, allocated
from provplan.progress import Figures, progress, total, verdicts
from provplan.render import context as ctx
from provplan.thai import STATUSES, quarter_name, round_name

if TYPE_CHECKING:
    from provplan.render.documents import Rendered, Renderer


def progress_documents(
    renderer: Renderer, outline: ProgressOutline, base: Path
) -> Iterator[Rendered]:
    """The report, and for a cluster's report the cluster summary beside it."""
    from provplan.render.documents import Rendered  # documents imports this module

    fmt = renderer.fmt
    context = report_context(renderer, outline)
    yield Rendered(base.with_name(f"{base.name}.{fmt}"), renderer.template("progress", context))
    cluster = renderer.registry.cluster_by_id.get(outline.owner)
    if cluster is not None:
        summary = cluster_context(renderer, outline)
        text = renderer.template("progress-cluster", summary)
        yield Rendered(base.with_name(f"{base.name}-cluster.{fmt}"), text)


def title_of(label: str, fiscal_year: int, quarter: int) -> str:
    return (
        f"รายงานผลการดำเนินงานตามแผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. {fiscal_year} "
        f"{round_name(quarter)} ของ{label}"
    )


def report_context(renderer: Renderer, outline: ProgressOutline) -> ctx.ProgressContext:
    report = renderer.document(outline).plan
    assert isinstance(report, ProgressReport)
    owner = ctx.owner_of(outline.owner, renderer.registry)
    action = renderer.plans.action_plan_of.get((outline.owner, outline.fiscal_year))
    projects = {p.id: p for p in action.projects} if action else {}
    rows = []
    for n, (full, brief) in enumerate(zip(report.projects, outline.projects, strict=True), 1):
        project = projects.get(full.id)
        own = Figures(allocated(brief, project), full.committed, full.disbursed)
        rows.append(
            ctx.ProgressRow(
                n,
                full,
                project,
                own.allocated,
                own.disbursement_rate,
                own.spending_rate,
                project is not None and project.channel in REQUEST_CHANNELS,
            )
        )

    def sums(chosen: list[ctx.ProgressRow]) -> Figures:
        return total(
            Figures(r.allocated, r.progress.committed, r.progress.disbursed) for r in chosen
        )

    counts = dict.fromkeys(STATUSES, 0)
    for full in report.projects:
        counts[full.status] += 1
    return {
        "report": report,
        "owner": owner,
        "title": report.title or title_of(owner.label, report.fiscal_year, report.quarter),
        "round": round_name(report.quarter),
        "quarter": quarter_name(report.fiscal_year, report.quarter),
        "target_rate": renderer.target_rate(report.fiscal_year, report.quarter),
        "requested": sums([r for r in rows if r.requested]),
        "listed": sums(rows),
        "rows": rows,
        "status": [(STATUSES[s], n) for s, n in counts.items() if n],
        "indicators": _indicators(renderer, outline, report),
        "problems": [r for r in rows if r.progress.problems or r.progress.remedies],
        "statuses": STATUSES,
    }


def _indicators(
    renderer: Renderer, outline: ProgressOutline, report: ProgressReport
) -> list[ctx.IndicatorRow]:
    development = renderer.plans.development_plan(outline)
    if development is None:
        return []
    results = {r.id: r for r in report.indicators}
    return [
        ctx.IndicatorRow(indicator, target, results.get(indicator.id), met)
        for indicator, target, _, met in verdicts(development, report.fiscal_year, outline.results)
    ]


def cluster_context(renderer: Renderer, outline: ProgressOutline) -> ctx.ClusterProgressContext:
    cluster = renderer.registry.cluster_by_id[outline.owner]
    year, quarter = outline.fiscal_year, outline.quarter
    target = renderer.target_rate(year, quarter)
    found = progress(renderer.plans, year, quarter, [cluster], target, renderer.ledger).clusters[0]
    reported = {line.owner: line for line in found.provinces}
    names = {m: renderer.registry.province_by_id[m].name_th for m in cluster.members}
    columns: list[ctx.ProgressColumn] = [{"label": "ระดับกลุ่มจังหวัด", "line": found.cluster_level}]
    columns += [{"label": names[m], "line": reported.get(m)} for m in cluster.members]
    return {
        "title": (
            f"สรุปผลการดำเนินงานตามแผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. {year} "
            f"{round_name(quarter)} {cluster.name_th} และจังหวัดในกลุ่มจังหวัด"
        ),
        "cluster": cluster,
        "fiscal_year": year,
        "round": round_name(quarter),
        "quarter": quarter_name(year, quarter),
        "target_rate": target,
        "columns": columns,
        "total": found.figures,
        "missing": [names[m] for m in found.missing],
        "statuses": STATUSES,
    }
