"""One money rule: rollup, diff and render show the same figures for every owner and cluster,
on the examples and on a generated national set (the budget ledger is their one source)."""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from provplan.budget import count
from provplan.cli import app
from provplan.planset import ActionOutline
from provplan.render.documents import Renderer
from provplan.render.env import make_env
from provplan.validate import check_paths

from .conftest import EXAMPLES, ROOT

runner = CliRunner()
KEYS = ("budget_request", "ministry_support", "other_sources", "total")


def _generated(tmp_path: Path) -> Path:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks/generate.py")
    assert spec
    assert spec.loader
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    out = tmp_path / "national"
    generate.generate(out, [2568, 2569], projects=4)
    return out


def _json(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _figures(amounts: dict[str, str]) -> tuple[Decimal, ...]:
    return tuple(Decimal(amounts[k]) for k in KEYS)


def _rollup(folder: Path) -> tuple[dict[tuple[str, int], tuple[Decimal, ...]], ...]:
    owners: dict[tuple[str, int], tuple[Decimal, ...]] = {}
    clusters: dict[tuple[str, int], tuple[Decimal, ...]] = {}
    document = _json("rollup", str(folder), "-f", "json")
    for year in document.get("years", [document]):
        for c in year["clusters"]:
            clusters[c["cluster"], year["fiscal_year"]] = _figures(c)
            owners[c["cluster"], year["fiscal_year"]] = _figures(c["cluster_level"])
            for p in c["provinces"]:
                owners[p["province"], year["fiscal_year"]] = _figures(p)
    return owners, clusters


def _diff(folder: Path, empty: Path) -> tuple[dict[tuple[str, int], tuple[Decimal, ...]], ...]:
    """diff from an empty folder: every plan added, its figures in the `after` column."""
    found: dict[str, dict[tuple[str, int], tuple[Decimal, ...]]] = {"owner": {}, "cluster": {}}
    for row in _json("diff", str(empty), str(folder), "-f", "json")["totals"]:
        found[row["level"]][row["owner"], row["fiscal_year"]] = _figures(row["after"])
    return found["owner"], found["cluster"]


def _render(folder: Path) -> dict[tuple[str, int], tuple[Decimal, ...]]:
    """What each rendered action plan says counts toward its owner."""
    result = check_paths([folder])
    renderer = Renderer(result.plans, make_env("md"), "md")
    found = {}
    for plan in result.plans.action_plans:
        counted = renderer.action_plan_context(plan, "briefs")["counted"].as_dict()
        found[plan.owner, plan.fiscal_year] = tuple(counted[k] for k in KEYS)
    return found


@pytest.mark.parametrize("which", ["examples", "generated"])
def test_rollup_diff_and_render_agree(tmp_path: Path, which: str) -> None:
    folder = EXAMPLES if which == "examples" else _generated(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    rollup_owners, rollup_clusters = _rollup(folder)
    diff_owners, diff_clusters = _diff(folder, empty)
    rendered = _render(folder)
    assert rollup_clusters == diff_clusters
    with_plans = {key: value for key, value in rollup_owners.items() if key in rendered}
    assert with_plans == rendered
    assert {k: v for k, v in diff_owners.items() if k in rendered} == rendered
    assert len(rendered) >= 4 if which == "examples" else len(rendered) == 2 * 94


def test_a_cluster_project_in_a_province_counts_there_once() -> None:
    """C16, the cluster's study at Mukdahan, counts toward Mukdahan and not the cluster."""
    plans = check_paths([EXAMPLES]).plans
    ledger = count(plans)
    c16 = [e for e in ledger.entries if e.project.id == "C16"]
    assert [(e.owner, e.plan.owner) for e in c16] == [("mukdahan", "northeast-upper-2")]
    assert ledger.amounts("mukdahan", 2568).budget_request == Decimal("27000000")
    listed = sum(len(ledger.listed(p)) for p in plans.action_plans if isinstance(p, ActionOutline))
    assert listed == len(ledger.entries) == sum(len(p.projects) for p in plans.action_plans)
