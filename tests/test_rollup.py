"""Rollup: totals checked by hand on examples/, exactness, and properties on generated plans."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from provplan.cli import app

from .conftest import CASES, EXAMPLES

runner = CliRunner()


def rollup(*args: str) -> str:
    result = runner.invoke(app, ["rollup", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_examples_by_hand() -> None:
    """The figures a planning officer gets adding up examples/ with a calculator."""
    document = json.loads(rollup(str(EXAMPLES), "--fiscal-year", "2568", "--format", "json"))
    assert document["fiscal_year"] == 2568
    [cluster] = document["clusters"]
    assert cluster["cluster"] == "northeast-upper-2"
    four = ("budget_request", "ministry_support", "other_sources", "total")
    # cluster-request C01-C09: 8.5M + 15M + 6.25M + 9.8M + 4.7M + 3.5M + 2,450,000.50 + 5.3M + 18.6M
    assert [cluster["cluster_level"][k] for k in four] == [
        "74100000.50",
        "313200000.00",
        "37800000.00",
        "425100000.50",
    ]
    provinces = {p["province"]: [p[k] for k in four] for p in cluster["provinces"]}
    # each province's own requests plus the cluster-in-province project in it (C16-C18)
    assert provinces == {
        "sakon-nakhon": ["23050000.00", "3800000.00", "47000000.00", "73850000.00"],
        "nakhon-phanom": ["50450000.00", "95000000.00", "120000000.00", "265450000.00"],
        "mukdahan": ["27000000.00", "2500000.00", "18000000.00", "47500000.00"],
    }
    assert [cluster[k] for k in four] == [
        "174600000.50",
        "414500000.00",
        "222800000.00",
        "811900000.50",
    ]
    assert cluster["missing"] == []


def test_missing_provinces_and_amounts_beyond_float(tmp_path: Path) -> None:
    paths = [str(CASES / "context"), str(CASES / "valid" / "province-action-plan.yaml")]
    paths += ["-y", "2568"]  # the context also holds an action plan for 2569
    document = json.loads(rollup(*paths, "-f", "json"))
    [cluster] = document["clusters"]
    assert cluster["missing"] == ["sakon-nakhon", "nakhon-phanom"]
    assert cluster["cluster_plan_missing"] is True
    mukdahan = cluster["provinces"][2]
    assert mukdahan["other_sources"] == "999999999999999.99"
    assert mukdahan["budget_request"] == "1000000.10"
    assert mukdahan["total"] == "1000000001000000.09"
    rows = list(csv.DictReader(io.StringIO(rollup(*paths, "-f", "csv"))))
    assert {
        "owner": "mukdahan",
        "channel": "private",
        "amount": "999999999999999.99",
    }.items() <= rows[-1].items()
    table = rollup(*paths)
    assert "1,000,000,001,000,000.09" in table
    assert "ไม่มีแผนปฏิบัติราชการปี 2568" in table


def test_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "rollup.xlsx"
    rollup(str(EXAMPLES), "-f", "xlsx", "-o", str(out))
    book = load_workbook(out)
    assert book.sheetnames == ["ปีงบประมาณ 2568", "ข้อมูล"]
    sheet = book["ปีงบประมาณ 2568"]
    assert sheet.freeze_panes == "A2"
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["มุกดาหาร"][2:6] == (27000000, 2500000, 18000000, 47500000)
    assert rows["รวมกลุ่มจังหวัด"][5] == 811900000.5
    assert sheet["C2"].number_format == "#,##0.00"


def test_several_years_and_clusters(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    for path in EXAMPLES.rglob("*.yaml"):
        if path.name != "provplan.yaml":
            (plans / f"{path.parent.name}-{path.name}").write_text(path.read_text())
    next_year = plans / "northeast-upper-2-action-plan-2568.yaml"
    (plans / "cluster-2569.yaml").write_text(
        next_year.read_text().replace("fiscal_year: 2568", "fiscal_year: 2569")
    )
    document = json.loads(rollup(str(plans), "-f", "json"))
    assert [y["fiscal_year"] for y in document["years"]] == [2568, 2569]
    assert document["years"][1]["clusters"][0]["missing"] == [
        "sakon-nakhon",
        "nakhon-phanom",
        "mukdahan",
    ]
    # the cluster level plus the cluster-in-province projects C16-C18 (22.5M), still counted
    # toward their provinces although those have no plan for 2569
    assert document["years"][1]["clusters"][0]["total"] == "447600000.50"
    table = rollup(str(plans), "--region", "northeast")
    assert "2569 คำของบประมาณ" in table
    assert "รวมทุกกลุ่มจังหวัด" in table  # the region has five clusters, four of them empty


def test_by_breaks_totals_down(tmp_path: Path) -> None:
    for by in ("channel", "issue", "strategy", "class", "agency"):
        document = json.loads(rollup(str(EXAMPLES), "-f", "json", "--by", by))
        for line in [
            document["clusters"][0]["cluster_level"],
            *document["clusters"][0]["provinces"],
        ]:
            parts = line["breakdown"]
            assert sum(Decimal(p["total"]) for p in parts) == Decimal(line["total"]), (by, line)


def test_errors_stop_the_rollup() -> None:
    result = runner.invoke(
        app, ["rollup", str(CASES / "context"), str(CASES / "invalid" / "unknown-key.yaml")]
    )
    assert result.exit_code == 1
    assert "PP102" in result.stderr
    assert result.stdout == ""


def test_xlsx_needs_an_output_file() -> None:
    assert runner.invoke(app, ["rollup", str(EXAMPLES), "-f", "xlsx"]).exit_code == 2


# --- properties on generated plan sets ------------------------------------------------------

MEMBERS = ("sakon-nakhon", "nakhon-phanom", "mukdahan")
CLUSTER_CHANNELS = (
    "cluster-request",
    "cluster-ministry-support",
    "cluster-in-province",
    "ministry",
    "private",
)
PROVINCE_CHANNELS = (
    "province-request",
    "province-ministry-support",
    "local-government",
    "other-state",
)
amounts = st.decimals(
    min_value=0,
    max_value=Decimal("999999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


def _plan(owner: str, kind: str) -> str:
    text = (CASES / "context" / "cluster-plan.yaml").read_text()
    return text.replace("kind: cluster-plan", f"kind: {kind}").replace(
        "owner: northeast-upper-2", f"owner: {owner}"
    )


def _action_plan(owner: str, projects: list[tuple[str, Decimal, str]]) -> str:
    lines = [f"provplan: 1\nkind: action-plan\nowner: {owner}\nfiscal_year: 2568\nprojects:\n"]
    for i, (channel, amount, area) in enumerate(projects):
        lines.append(
            f"  - {{id: P{i}, title: t, strategic_issue: SI1, strategy: S1, channel: {channel}, "
            f"description: d, outputs: [o], outcomes: [o], agency: a, area: [{area}], "
            f"budget: {{amount: {amount}}}}}\n"
        )
    return "".join(lines)


@st.composite
def plan_sets(draw: st.DrawFn) -> dict[str, list[tuple[str, Decimal, str]]]:
    owners = {"northeast-upper-2": CLUSTER_CHANNELS, **dict.fromkeys(MEMBERS, PROVINCE_CHANNELS)}
    found = {}
    for owner, channels in owners.items():
        if draw(st.booleans()) or owner == "northeast-upper-2":
            projects = draw(
                st.lists(
                    st.tuples(st.sampled_from(channels), amounts, st.sampled_from(MEMBERS)),
                    min_size=1,
                    max_size=6,
                )
            )
            # a province's projects stay in the province
            found[owner] = [(c, a, owner if owner in MEMBERS else area) for c, a, area in projects]
    return found


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan_sets())
def test_every_project_counted_once_and_formats_agree(tmp_path_factory, generated) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("plans")
    (folder / "cluster.yaml").write_text(_plan("northeast-upper-2", "cluster-plan"))
    for member in MEMBERS:
        (folder / f"{member}.yaml").write_text(_plan(member, "province-plan"))
    for owner, projects in generated.items():
        (folder / f"{owner}-2568.yaml").write_text(_action_plan(owner, projects))

    document = json.loads(rollup(str(folder), "-f", "json"))
    [cluster] = document["clusters"]
    every_project = sum((a for projects in generated.values() for _, a, _ in projects), Decimal(0))
    assert Decimal(cluster["total"]) == every_project
    lines = [cluster["cluster_level"], *cluster["provinces"]]
    for key in ("budget_request", "ministry_support", "other_sources", "total"):
        assert sum(Decimal(line[key]) for line in lines) == Decimal(cluster[key])
    assert sum(line["projects"] for line in lines) == sum(len(p) for p in generated.values())
    assert cluster["missing"] == [m for m in MEMBERS if m not in generated]

    by_owner: dict[str, Decimal] = defaultdict(Decimal)
    for row in csv.DictReader(io.StringIO(rollup(str(folder), "-f", "csv"))):
        by_owner[row["owner"]] += Decimal(row["amount"])
    assert {o: str(v.quantize(Decimal("0.01"))) for o, v in by_owner.items()} == {
        line.get("cluster", line.get("province")): line["total"]
        for line in lines
        if line["projects"]
    }
    table = rollup(str(folder))
    assert f"{Decimal(cluster['total']):,.2f}" in table
