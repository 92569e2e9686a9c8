"""`provplan tables`: tidy tables that join, load into DuckDB and add up to `rollup` exactly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest
from typer.testing import CliRunner

from provplan.cli import app

from .conftest import EXAMPLES, ROOT

runner = CliRunner()
TABLES = [
    "activities",
    "alignments",
    "budget_lines",
    "goals",
    "indicator_results",
    "indicators",
    "plans",
    "progress",
    "projects",
    "strategic_issues",
    "strategies",
    "targets",
]
MONEY = {"projects", "budget_lines", "activities"}  # the tables with an `amount` column


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def tables(source: Path, out: Path, fmt: str = "csv") -> Path:
    code, output = run("tables", str(source), "-o", str(out), "-f", fmt)
    assert code == 0, output
    return out


def connect(folder: Path, fmt: str) -> duckdb.DuckDBPyConnection:
    """Every table as a DuckDB view, CSV amounts read as DECIMAL as the README says."""
    db = duckdb.connect()
    for name in TABLES:
        if fmt == "csv":
            types = ", types={'amount': 'DECIMAL(18,2)'}" if name in MONEY else ""
            if name == "progress":
                money = ("allocated", "committed", "disbursed")
                types = ", types={" + ", ".join(f"'{m}': 'DECIMAL(18,2)'" for m in money) + "}"
            source = f"read_csv('{folder / name}.csv'{types})"
        else:
            source = f"'{folder / name}.parquet'"
        db.execute(f"create view {name} as select * from {source}")
    return db


def rollup_totals(source: Path) -> dict[tuple[str, str], Decimal]:
    code, output = run("rollup", str(source), "-f", "json")
    assert code == 0, output
    document = json.loads(output)
    years = document.get("years", [document])
    return {
        (c["cluster"], key): Decimal(c[key])
        for year in years
        for c in year["clusters"]
        for key in ("budget_request", "ministry_support", "other_sources")
        if Decimal(c[key])
    }


def table_totals(db: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], Decimal]:
    rows = db.execute(
        "select cluster, category, sum(amount) from projects where cluster is not null group by all"
    ).fetchall()
    return {(cluster, category): total for cluster, category, total in rows if total}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_examples_sum_to_rollup_exactly(tmp_path: Path, fmt: str) -> None:
    db = connect(tables(EXAMPLES, tmp_path / "t", fmt), fmt)
    assert table_totals(db) == rollup_totals(EXAMPLES)
    assert db.execute("select typeof(amount) from projects limit 1").fetchone() == (
        "DECIMAL(18,2)",
    )
    # satang survive: the example has a project of 4,500,000.50 baht
    assert db.execute("select count(*) from projects where amount % 1 = 0.5").fetchone() == (1,)


def test_tables_join(tmp_path: Path) -> None:
    db = connect(tables(EXAMPLES, tmp_path / "t"), "csv")
    one = db.execute
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == [f"{t}.csv" for t in TABLES]
    # every project's plan and development plan are plans; its issue and strategy exist there
    assert one(
        "select count(*) from projects p left join plans d on p.development_plan_id = d.plan_id "
        "where d.plan_id is null"
    ).fetchone() == (0,)
    assert one(
        "select count(*) from projects p left join strategies s on s.plan_id = "
        "p.development_plan_id and s.issue_id = p.strategic_issue and s.strategy_id = p.strategy "
        "where s.strategy_id is null"
    ).fetchone() == (0,)
    # budget lines add up to each project's amount; activities too where there are any
    assert one(
        "select count(*) from projects p join (select project_key, sum(amount) s from "
        "budget_lines group by all) b using (project_key) where b.s <> p.amount"
    ).fetchone() == (0,)
    assert (
        one("select count(distinct project_key) from budget_lines").fetchone()
        == one("select count(*) from projects").fetchone()
    )
    assert one(
        "select count(*) from projects p join (select project_key, sum(amount) s from "
        "activities group by all) a using (project_key) where a.s <> p.amount"
    ).fetchone() == (0,)
    # a target per indicator and year of the plan's period
    assert (
        one(
            "select count(*) from indicators i join plans d using (plan_id) join targets t "
            "using (plan_id, indicator_id)"
        ).fetchone()
        == one(
            "select sum(period_end - period_start + 1) from indicators join plans using (plan_id)"
        ).fetchone()
    )
    keys = one("select project_key, count(*) from projects group by all having count(*) > 1")
    assert keys.fetchall() == []
    assert one("select plan_id from plans where owner = 'mukdahan' order by 1").fetchall() == [
        ("mukdahan:action-plan:2568",),
        ("mukdahan:province-plan:2566-2570",),
    ]


def test_generated_national_set_sums_to_rollup(tmp_path: Path) -> None:
    """Every cluster and province of the registry (benchmarks/generate.py, small)."""
    source = tmp_path / "national"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(source), "--projects", "8"],
        check=True,
        capture_output=True,
    )
    db = connect(tables(source, tmp_path / "t", "parquet"), "parquet")
    totals = rollup_totals(source)
    assert len({c for c, _ in totals}) == 18
    assert table_totals(db) == totals


def test_xlsx_keeps_text_as_text(tmp_path: Path) -> None:
    repo = tmp_path / "plans"
    shutil.copytree(EXAMPLES, repo)
    plan = repo / "provinces/mukdahan/action-plan-2568.yaml"
    plan.write_text(
        plan.read_text().replace("title: โครงการส่งเสริมเกษตรกรเข้าสู่มาตรฐาน GAP", "title: '=1+1'")
    )
    out = tables(repo, tmp_path / "t", "xlsx")
    book = openpyxl.load_workbook(out / "tables.xlsx")
    assert book.sheetnames == [
        "plans", "strategic_issues", "alignments", "goals", "strategies", "indicators",
        "targets", "projects", "budget_lines", "activities", "progress", "indicator_results",
    ]  # fmt: skip
    sheet = book["projects"]
    header = [c.value for c in sheet[1]]
    title = next(
        r[header.index("title")] for r in sheet.iter_rows(min_row=2) if r[4].value == "MDH05"
    )
    assert (title.value, title.data_type) == ("=1+1", "s")
    amount = sheet.cell(2, header.index("amount") + 1)
    assert (amount.data_type, amount.number_format) == ("n", "#,##0.00")


def test_invalid_plans_give_no_tables(tmp_path: Path) -> None:
    from .conftest import CASES

    code, output = run(
        "tables", str(CASES / "context"), str(CASES / "invalid" / "unknown-area.yaml"),
        "-o", str(tmp_path / "t"),
    )  # fmt: skip
    assert code == 1
    assert "PP303" in output
    assert not (tmp_path / "t").exists()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_progress_tables_add_up_to_provplan_progress(tmp_path: Path, fmt: str) -> None:
    """The progress table, summed over the budget-request projects counted where rollup
    counts them, gives the figures of `provplan progress` for each quarter."""
    db = connect(tables(EXAMPLES, tmp_path / "t", fmt), fmt)
    for quarter in (2, 4):
        code, out = run("progress", str(EXAMPLES), "-q", str(quarter), "-f", "json")
        assert code == 0, out
        national = json.loads(out)["national"]
        row = db.execute(
            "select sum(g.allocated), sum(g.committed), sum(g.disbursed) from progress g "
            "join projects p on p.project_key = g.project_key "
            "where g.quarter = ? and p.category = 'budget_request'",
            [quarter],
        ).fetchone()
        assert row is not None
        assert [Decimal(str(v)) for v in row] == [
            Decimal(national[k]) for k in ("allocated", "committed", "disbursed")
        ]
    results = db.execute("select count(*) from indicator_results where quarter = 4").fetchone()
    assert results is not None
    assert results[0] > 0
