"""Progress reports: the arithmetic (exact sums, half-up rates, a missing province never a
zero), the JSON keys of the spec, every output format, the CLI's errors, the cache."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from provplan.cli import app
from provplan.model.plan import STATUSES
from provplan.planset import ActionOutline, PlanSet, ProgressOutline, ProjectOutline
from provplan.planset import ProjectProgressOutline as Reported
from provplan.progress import progress, rate
from provplan.repository import builtin_registry
from provplan.validate import check_paths

from .conftest import CASES, EXAMPLES

runner = CliRunner()
MONEY = re.compile(r"^\d+\.\d\d$")
RATE = re.compile(r"^-?\d+\.\d\d$")


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["progress", *args])
    return result.exit_code, result.output


def json_of(*args: str) -> Any:
    code, out = run(*args, "-f", "json")
    assert code == 0, out
    return json.loads(out)


# --- the JSON keys of the spec, on the shipped examples -----------------------------------------


def test_json_keys_and_figures_as_the_spec_says() -> None:
    document = json_of(str(EXAMPLES), "-q", "2")
    assert {"fiscal_year", "quarter", "target_rate", "clusters", "national"} <= document.keys()
    assert (document["fiscal_year"], document["quarter"], document["target_rate"]) == (
        2568,
        2,
        "54.00",
    )
    [cluster] = document["clusters"]
    figures = {"allocated", "committed", "disbursed", "disbursement_rate", "spending_rate"}
    assert figures | {"cluster", "cluster_level", "provinces", "missing"} <= cluster.keys()
    level = cluster["cluster_level"]
    assert figures | {"status", "indicators"} <= level.keys()
    for province in cluster["provinces"]:
        assert province.keys() == level.keys() | {"province"}
        assert set(province["status"]) == set(STATUSES)
        assert set(province["indicators"]) == {"met", "not_met", "no_data"}
    for entry in [cluster, level, *cluster["provinces"], document["national"]]:
        assert all(MONEY.match(entry[k]) for k in ("allocated", "committed", "disbursed"))
        assert all(RATE.match(entry[k]) for k in ("disbursement_rate", "spending_rate"))
    # the cluster level: C01-C09 as reported (C09 allocated 17,900,000 instead of 18,600,000)
    assert [level[k] for k in ("allocated", "committed", "disbursed")] == [
        "73400000.50",
        "18000000.00",
        "20250000.00",
    ]
    # mukdahan: its own requests plus C16, the cluster's project carried out there
    mukdahan = next(p for p in cluster["provinces"] if p["province"] == "mukdahan")
    assert mukdahan["allocated"] == "27000000.00"
    assert mukdahan["status"]["not-started"] == 1  # MDH06, of its own report
    national = document["national"]
    assert national == {
        "allocated": "173900000.50",
        "committed": "57340000.00",
        "disbursed": "43410000.00",
        "disbursement_rate": "24.96",
        "spending_rate": "57.94",
        "gap": "-29.04",
    }
    assert cluster["missing"] == []


def test_default_is_the_latest_quarter_and_the_reviewers_lists() -> None:
    document = json_of(str(EXAMPLES))
    assert (document["quarter"], document["target_rate"]) == (4, "100.00")
    risks = {r["project"]: r for r in document["at_risk"]}
    assert risks["C07"]["status"] == "suspended"
    assert risks["C07"]["problems"]
    assert risks["C07"]["remedies"]
    assert "ไม่แล้วเสร็จภายในปีงบประมาณ" in risks["MDH03"]["reasons"]
    assert "C01" not in risks  # completed
    unmet = {(u["owner"], u["indicator"]): u for u in document["indicators_not_met"]}
    assert unmet["mukdahan", "I2.1"]["target"] == "18000"
    assert unmet["mukdahan", "I2.1"]["actual"] == "16200"
    assert ("mukdahan", "I1.1") not in unmet  # 93,450 against 92,000: met


def test_direction_decides_met_and_text_targets_need_met() -> None:
    paths = [str(CASES / "context"), str(CASES / "valid" / "progress-report.yaml")]
    document = json_of(*paths, "-y", "2569", "-q", "2")
    [cluster] = document["clusters"]
    [mukdahan] = cluster["provinces"]
    # I1.1 2 < 4 not met; I1.8 text, `met: true`; I1.9 decrease, 42.5 above 40: not met
    assert mukdahan["indicators"] == {"met": 1, "not_met": 2, "no_data": 0}
    assert cluster["missing"] == ["sakon-nakhon", "nakhon-phanom"]
    assert cluster["cluster_report_missing"] is True
    # P1, P2 are requests; P3 (ministry) is not counted in the money
    assert mukdahan["allocated"] == "1500000.50"
    assert mukdahan["spending_rate"] == "83.33"  # (450,000 + 300,000 + 500,000.50) / 1,500,000.50


# --- a province without a report ----------------------------------------------------------------


def _examples(tmp_path: Path) -> Path:
    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy)
    return copy


def test_a_missing_province_is_listed_never_zero(tmp_path: Path) -> None:
    copy = _examples(tmp_path)
    (copy / "provinces" / "sakon-nakhon" / "progress-2568-q2.yaml").unlink()
    document = json_of(str(copy), "-q", "2")
    [cluster] = document["clusters"]
    assert cluster["missing"] == ["sakon-nakhon"]
    assert [p["province"] for p in cluster["provinces"]] == ["nakhon-phanom", "mukdahan"]
    parts = [cluster["cluster_level"], *cluster["provinces"]]
    assert Decimal(cluster["allocated"]) == sum(Decimal(p["allocated"]) for p in parts)
    code, table = run(str(copy), "-q", "2")
    assert code == 0
    assert "ไม่ได้รายงาน" in table
    code, md = run(str(copy), "-q", "2", "-f", "md")
    assert "| สกลนคร | — |" in md
    out = tmp_path / "build"
    rendered = runner.invoke(app, ["render", str(copy), "--to", "md", "--out", str(out)])
    assert rendered.exit_code == 0, rendered.output
    summary = (out / "clusters/northeast-upper-2/progress-2568-q2-cluster.md").read_text()
    assert "| ได้รับจัดสรร (บาท) | 73,400,000.50 | ไม่ได้รายงาน | 50,450,000 |" in summary
    assert "ยังไม่ได้รายงาน (ไม่นับรวมในยอดรวมกลุ่มจังหวัด): สกลนคร" in summary


# --- the arithmetic, by properties ---------------------------------------------------------------


@given(st.integers(0, 10**15), st.integers(1, 10**15))
def test_rates_are_rounded_half_up_exactly(part: int, whole: int) -> None:
    """part and whole in satang; the rate equals the exact quotient rounded half-up."""
    exact = Fraction(part * 100, whole)
    hundredths = exact * 100
    floor = hundredths.numerator // hundredths.denominator
    expected = floor + (1 if hundredths - floor >= Fraction(1, 2) else 0)
    got = rate(Decimal(part).scaleb(-2), Decimal(whole).scaleb(-2))
    assert got == Decimal(expected).scaleb(-2)
    assert got == (Decimal(expected).scaleb(-2)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_rate_of_nothing_allocated_is_none_and_ties_round_up() -> None:
    assert rate(Decimal(5), Decimal(0)) is None
    assert rate(Decimal("0.01"), Decimal("80")) == Decimal("0.01")  # 0.0125 → 0.01
    assert rate(Decimal("1"), Decimal("800")) == Decimal("0.13")  # 0.125 → 0.13, not 0.12


REGISTRY = builtin_registry()
CLUSTER = REGISTRY.cluster_by_id["northeast-upper-2"]
satang = st.integers(0, 10**13).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def plan_sets(
    draw: st.DrawFn,
) -> tuple[PlanSet, dict[str, list[tuple[Decimal, Decimal]]], set[str]]:
    """The cluster and its members with random request projects, some of them reporting."""
    outlines: list[object] = []
    figures: dict[str, list[tuple[Decimal, Decimal]]] = {}
    reporting = set()
    for owner in (CLUSTER.id, *CLUSTER.members):
        channel = "cluster-request" if owner == CLUSTER.id else "province-request"
        amounts = draw(st.lists(satang, min_size=1, max_size=4))
        projects = tuple(
            ProjectOutline(f"P{i}", "t", "SI1", "S1", (), channel, (), a, (), "agency")
            for i, a in enumerate(amounts)
        )
        outlines.append(ActionOutline(Path(f"{owner}.yaml"), owner, None, 2568, projects))
        if owner != CLUSTER.id and not draw(st.booleans()):
            continue  # this province did not report
        reporting.add(owner)
        reported = []
        for p in projects:
            d = Decimal(draw(st.integers(0, int(p.amount * 100)))).scaleb(-2)
            reported.append(Reported(p.id, "in-progress", None, Decimal(0), d, Decimal(50), (), ()))
            figures.setdefault(owner, []).append((p.amount, d))
        outlines.append(
            ProgressOutline(
                Path(f"{owner}-q2.yaml"),
                owner,
                None,
                2568,
                2,
                datetime.date(2025, 3, 31),
                tuple(reported),
                (),
            )
        )
    return PlanSet(outlines, REGISTRY), figures, reporting  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(plan_sets())
def test_sums_are_exact_and_a_missing_province_is_never_zero(
    drawn: tuple[PlanSet, dict[str, list[tuple[Decimal, Decimal]]], set[str]],
) -> None:
    plans, figures, reporting = drawn
    result = progress(plans, 2568, 2, [CLUSTER], Decimal(54))
    [cluster] = result.clusters
    assert {p.owner for p in cluster.provinces} == reporting - {CLUSTER.id}
    assert set(cluster.missing) == set(CLUSTER.members) - reporting
    allocated = sum((a for o in reporting for a, _ in figures[o]), Decimal(0))
    disbursed = sum((d for o in reporting for _, d in figures[o]), Decimal(0))
    assert cluster.figures.allocated == allocated == result.figures.allocated
    assert cluster.figures.disbursed == disbursed
    # in satang, the rate is the exact quotient rounded half-up
    if allocated:
        exact = Fraction(int(disbursed * 100) * 10000, int(allocated * 100))
        floor = exact.numerator // exact.denominator
        expected = floor + (1 if exact - floor >= Fraction(1, 2) else 0)
        assert cluster.figures.disbursement_rate == Decimal(expected).scaleb(-2)
    else:
        assert cluster.figures.disbursement_rate is None


# --- every format ------------------------------------------------------------------------------


def _hostile(tmp_path: Path) -> Path:
    copy = _examples(tmp_path)
    report = copy / "clusters" / "northeast-upper-2" / "progress-2568-q4.yaml"
    text = report.read_text(encoding="utf-8")
    text = text.replace(
        "      - ยังไม่มีการลงนามบันทึกความเข้าใจ (MOU) กับฝ่าย สปป.ลาว",
        '      - "=HYPERLINK(\\"http://x\\") | **bold** \\e[31m"',
    )
    report.write_text(text, encoding="utf-8")
    return copy


def test_csv_is_tidy_and_plan_text_is_not_a_formula(tmp_path: Path) -> None:
    copy = _hostile(tmp_path)
    code, out = run(str(copy), "-f", "csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    figures = [r for r in rows if r["record"] == "figures"]
    assert [r["owner"] for r in figures] == [
        "northeast-upper-2",
        "sakon-nakhon",
        "nakhon-phanom",
        "mukdahan",
    ]
    assert all(r["quarter"] == "4" and r["target_rate"] == "100.00" for r in figures)
    assert Decimal(figures[0]["disbursed"]) == Decimal("63330000.00")
    c07 = next(r for r in rows if r["record"] == "at_risk" and r["item"] == "C07")
    assert c07["problems"].startswith("'=HYPERLINK")
    assert any(r["record"] == "indicator_not_met" for r in rows)


def test_md_and_table_escape_plan_text(tmp_path: Path) -> None:
    copy = _hostile(tmp_path)
    code, md = run(str(copy), "-f", "md")
    assert code == 0
    assert "\\| \\*\\*bold\\*\\*" in md
    assert "| 86.28 | 94.86 | -13.72 |" in md  # figures are not escaped (no `\\86.28`)
    assert "\x1b" not in md
    code, table = run(str(copy))
    assert code == 0
    assert "\x1b[31m" not in table
    assert "\\e[31m" in table


def test_xlsx_a_sheet_per_quarter_numbers_as_numbers(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    copy = _hostile(tmp_path)
    out = tmp_path / "progress.xlsx"
    code, output = run(str(copy), "-f", "xlsx", "-o", str(out))
    assert code == 0, output
    book = load_workbook(out)
    assert book.sheetnames == ["ไตรมาส 2 ปี 2568", "ไตรมาส 4 ปี 2568"]
    sheet = book["ไตรมาส 4 ปี 2568"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    level = next(r for r in rows if r[1] == "ระดับกลุ่มจังหวัด")
    assert isinstance(level[2], (int, float))
    assert level[2] == 73400000.5
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    hostile = [c for c in cells if c.value.startswith("=HYPERLINK")]
    assert hostile
    assert all(c.data_type == "s" for c in hostile)


def test_xlsx_needs_an_output_file_and_bad_choices_are_usage_errors(tmp_path: Path) -> None:
    assert run(str(EXAMPLES), "-f", "xlsx")[0] == 2
    code, out = run(str(EXAMPLES), "-o", str(tmp_path))  # checked before the run, as rollup
    assert code == 2
    assert "is a folder; name a file" in out
    assert run(str(EXAMPLES), "-c", "northeast-upper-9")[0] == 2
    assert run(str(EXAMPLES), "-q", "5")[0] == 2
    code, out = run(str(EXAMPLES), "-q", "3")
    assert code == 1
    assert "no progress reports for quarter 3 of 2568 (reported: 2, 4)" in out


def test_errors_stop_the_run(tmp_path: Path) -> None:
    copy = _examples(tmp_path)
    report = copy / "provinces" / "mukdahan" / "progress-2568-q2.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace("as_of: 2025-03-31", "as_of: 2025-04-01"),
        encoding="utf-8",
    )
    code, out = run(str(copy))
    assert code == 1
    assert "PP609" in out


def test_no_reports_is_a_clear_message() -> None:
    code, out = run(str(CASES / "context" / "cluster-plan.yaml"))
    assert code == 1
    assert "no progress reports" in out


# --- settings and the cache ---------------------------------------------------------------------


def test_decreasing_targets_are_a_warning(tmp_path: Path) -> None:
    (tmp_path / "provplan.yaml").write_text(
        "provplan: 1\ndisbursement_targets:\n  2568: {1: 30, 2: 20}\n", encoding="utf-8"
    )
    shutil.copy(CASES / "context" / "cluster-plan.yaml", tmp_path)
    result = check_paths([tmp_path])
    [found] = result.diagnostics
    assert (found.code, found.line, found.column, str(found.severity)) == (
        "PP504",
        3,
        20,
        "warning",
    )


def test_targets_outside_0_100_are_settings_errors(tmp_path: Path) -> None:
    (tmp_path / "provplan.yaml").write_text(
        "provplan: 1\ndisbursement_targets:\n  2568: {5: 30, 2: 120}\n", encoding="utf-8"
    )
    shutil.copy(CASES / "context" / "cluster-plan.yaml", tmp_path)
    codes = sorted(d.code for d in check_paths([tmp_path]).diagnostics)
    assert codes == ["PP106", "PP614"]


def test_a_cached_progress_outline_round_trips(tmp_path: Path) -> None:
    first = check_paths([EXAMPLES], cache_dir=tmp_path)
    again = check_paths([EXAMPLES], cache_dir=tmp_path)
    reports = [o for o in first.plans.outlines if isinstance(o, ProgressOutline)]
    assert len(reports) == 8
    assert again.plans.outlines == first.plans.outlines
    cached = sorted(tmp_path.rglob("*.json"))
    assert any('"progress-report"' in p.read_text(encoding="utf-8") for p in cached)
    developments = list(again.plans.development_plans["mukdahan"])
    assert developments[0].indicators["I1.1"].target(2568) == Decimal(92000)


def test_report_documents_escape_plan_text(tmp_path: Path) -> None:
    copy = _examples(tmp_path)
    report = copy / "provinces" / "mukdahan" / "progress-2568-q4.yaml"
    text = report.read_text(encoding="utf-8").replace(
        "ฝนตกชุกเดือนสิงหาคม-กันยายน งานผิวลานจอดล่าช้า", '"<script>x</script> | *a*"'
    )
    report.write_text(text, encoding="utf-8")
    for fmt, escaped in (("html", "&lt;script&gt;x&lt;/script&gt;"), ("md", "\\<script\\>")):
        out = tmp_path / fmt
        result = runner.invoke(app, ["render", str(copy), "--to", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        document = (out / "provinces" / "mukdahan" / f"progress-2568-q4.{fmt}").read_text()
        assert "รายงานผลการดำเนินงานตามแผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2568 รอบ 12 เดือน" in (
            document
        )
        assert escaped in document
        assert "<script>" not in document


def test_diff_speaks_of_disbursement_and_status(tmp_path: Path) -> None:
    old, new = _examples(tmp_path / "old"), _examples(tmp_path / "new")
    report = new / "clusters" / "northeast-upper-2" / "progress-2568-q4.yaml"
    text = (
        report.read_text(encoding="utf-8")
        .replace(
            "  - id: C02\n    status: in-progress\n    committed: 6300000\n    disbursed: 7950000\n"
            "    progress: 85",
            "  - id: C02\n    status: completed\n    disbursed: 14250000\n    progress: 100",
        )
        .replace("  - id: I1.1.1\n    actual: 151820.5\n", "")
    )
    report.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["diff", str(old), str(new), "-f", "json"])
    assert result.exit_code == 0, result.output
    [document] = json.loads(result.output)["documents"]
    assert (document["kind"], document["span"]) == ("progress-report", [2568, 4])
    assert {"where": "indicators › I1.1.1", "old": "I1.1.1 = 151820.5", "new": None} in (
        document["changes"]
    )  # a result is shown by what it reported, not by its id alone
    [c02] = document["projects"]
    assert c02["title"] == "สถานะ อยู่ระหว่างดำเนินการ → ดำเนินการแล้วเสร็จ"
    assert (c02["old_amount"], c02["new_amount"], c02["delta"]) == (
        "7950000.00",
        "14250000.00",
        "6300000.00",
    )
    md = runner.invoke(app, ["diff", str(old), str(new), "-f", "md"]).output
    assert "ไตรมาสที่ 4" in md
    assert "| ✏️ | C02 | สถานะ อยู่ระหว่างดำเนินการ → ดำเนินการแล้วเสร็จ | 7,950,000 | 14,250,000 |" in md


def test_fmt_puts_a_progress_report_in_canonical_order(tmp_path: Path) -> None:
    report = tmp_path / "progress.yaml"
    report.write_text(
        "as_of: 2025-03-31\nquarter: 2\nprovplan: 1\nkind: progress-report\nowner: mukdahan\n"
        "fiscal_year: 2568\nindicators:\n  - {note: n, actual: 3, id: I1.1}\n"
        "projects:\n  - progress: 20\n    disbursed: 5\n    status: in-progress\n    id: P1\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["fmt", str(report)]).exit_code == 0
    assert report.read_text(encoding="utf-8") == (
        "provplan: 1\nkind: progress-report\nowner: mukdahan\nfiscal_year: 2568\nquarter: 2\n"
        "as_of: 2025-03-31\nprojects:\n  - id: P1\n    status: in-progress\n    disbursed: 5\n"
        "    progress: 20\nindicators:\n  - {id: I1.1, actual: 3, note: n}\n"
    )


def test_the_nation_is_the_sum_of_its_clusters(tmp_path: Path) -> None:
    """The benchmark's generator: every cluster and province, a report each, that validate
    clean; the national figures add up the clusters exactly."""
    import sys

    sys.path.insert(0, str(EXAMPLES.parent / "benchmarks"))
    from generate import generate  # type: ignore[import-not-found]

    generate(tmp_path / "nation", [2568], 3)
    document = json_of(str(tmp_path / "nation"), "--no-cache")
    clusters = document["clusters"]
    assert len(clusters) == 18
    for key in ("allocated", "committed", "disbursed"):
        total = sum(Decimal(c[key]) for c in clusters)
        assert Decimal(document["national"][key]) == total
    assert all(c["missing"] == [] for c in clusters)
    code, table = run(str(tmp_path / "nation"), "--no-cache")
    assert code == 0
    assert "รวมทั้งประเทศ" in table
