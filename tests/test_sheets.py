"""Workbooks both ways on the shipped examples: export, edit cells with openpyxl, import."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from provplan.cli import app
from provplan.load import read

from .conftest import EXAMPLES

runner = CliRunner()
PLAN = Path("provinces/mukdahan/action-plan-2568.yaml")


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the example repository to change."""
    shutil.copytree(EXAMPLES, tmp_path / "plans")
    return tmp_path / "plans"


def export(repo: Path, tmp_path: Path) -> Path:
    out = tmp_path / "plan.xlsx"
    code, output = run("export", str(repo / PLAN), "-o", str(out))
    assert code == 0, output
    return out


def columns(sheet: Any) -> dict[str, int]:
    """Columns found by their field path in row 2, as tools outside provplan find them."""
    return {c.value: c.column for c in sheet[2] if c.value}


def row_of(sheet: Any, project_id: str) -> int:
    return next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == project_id)


def edit(workbook: Path, changes: dict[tuple[str, str], Any], out: Path | None = None) -> Path:
    """Set cells by (project id or `new`, field path); return the saved workbook."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["โครงการ"]
    cols = columns(sheet)
    blank = next(r for r in range(3, sheet.max_row + 2) if sheet.cell(r, 1).value is None)
    for (pid, path), value in changes.items():
        row = blank if pid == "new" else row_of(sheet, pid)
        sheet.cell(row, cols[path]).value = value
    book.save(out or workbook)
    return out or workbook


def test_export_layout(repo: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(export(repo, tmp_path))
    sheet = book["โครงการ"]
    cols = columns(sheet)
    assert list(cols)[:11] == [
        "id", "title", "strategic_issue", "strategy", "channel", "agency", "area",
        "description", "outputs", "outcomes", "budget.amount",
    ]  # fmt: skip
    assert "budget.breakdown.operating" in cols
    assert sheet.cell(1, 1).value == "รหัสโครงการ"
    assert sheet.freeze_panes == "B3"
    row = row_of(sheet, "MDH01")
    amount = sheet.cell(row, cols["budget.amount"])
    assert (amount.value, amount.data_type, amount.number_format) == (3600000, "n", "#,##0.00")
    info = {r[0].value: r[1].value for r in book["ข้อมูลแผน"].iter_rows()}
    assert (info["owner"], info["fiscal_year"], info["provplan"]) == ("mukdahan", 2568, 1)
    rules = {
        str(v.sqref).split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation
    }
    lists = book["lists"]
    assert lists.sheet_state == "hidden"

    def choices(letter: str) -> list[str]:
        return [c[0].value for c in lists[rules[letter].split("!")[1].replace("$", "")]]

    assert choices("E")[:2] == ["province-request", "province-ministry-support"]
    assert len(choices("E")) == 9
    assert choices("C") == ["SI1", "SI2"]  # from mukdahan's development plan
    assert "S1.2" in choices("D")


def test_round_trip_changes_only_the_edited_cells(repo: Path, tmp_path: Path) -> None:
    plan = repo / PLAN
    plan.write_text(
        plan.read_text().replace("  - id: MDH02\n", "  # kept comment\n  - id: MDH02\n")
    )
    before = plan.read_text()
    workbook = export(repo, tmp_path)
    code, out = run("import", str(workbook), "--into", str(plan))
    assert (code, plan.read_text()) == (0, before), out  # nothing edited: not a byte changed
    edit(
        workbook,
        {
            ("MDH02", "budget.amount"): 2300000.5,
            ("new", "id"): "MDH99",
            ("new", "title"): "โครงการใหม่ทดสอบ",
            ("new", "strategic_issue"): "SI1",
            ("new", "strategy"): "S1.1",
            ("new", "channel"): "province-request",
            ("new", "agency"): "สำนักงานจังหวัดมุกดาหาร",
            ("new", "description"): "รายละเอียด",
            ("new", "outputs"): "ผลผลิตหนึ่ง\nผลผลิตสอง",
            ("new", "outcomes"): "ผลลัพธ์",
            ("new", "budget.amount"): "๑,๕๐๐,๐๐๐",
        },
    )
    code, out = run("import", str(workbook), "--into", str(plan))
    assert code == 0, out
    after = plan.read_text()
    assert "  # kept comment\n" in after
    old_lines, new_lines = before.splitlines(), after.splitlines()
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=False) if a != b]
    assert changed == [("      amount: 2150000", "      amount: 2300000.5")]
    assert new_lines[len(old_lines) :][:2] == ["  - id: MDH99", "    title: โครงการใหม่ทดสอบ"]
    projects = read(plan).data["projects"]
    assert projects[-1]["budget"] == {"amount": 1500000}
    assert projects[-1]["outputs"] == ["ผลผลิตหนึ่ง", "ผลผลิตสอง"]
    code, out = run("validate", str(repo))
    assert code == 0, out
    code, out = run("diff", str(EXAMPLES), str(repo))
    assert code == 0, out
    assert "โครงการ: เพิ่ม 1, แก้ไข 1" in out
    assert "  ✏️ MDH02" in out
    assert "2,150,000 → 2,300,000.50 (+150,000.50)" in out
    assert "  ➕ MDH99 โครงการใหม่ทดสอบ: – → 1,500,000 (+1,500,000)" in out


def test_dry_run_shows_the_change_and_writes_nothing(repo: Path, tmp_path: Path) -> None:
    plan = repo / PLAN
    before = plan.read_bytes()
    workbook = edit(export(repo, tmp_path), {("MDH01", "budget.amount"): "3,700,000"})
    workbook_edit = edit(workbook, {("MDH01", "budget.breakdown.operating"): 3700000})
    code, out = run("import", str(workbook_edit), "--into", str(plan), "--dry-run")
    assert code == 0, out
    assert "MDH01" in out
    assert "3,600,000 → 3,700,000 (+100,000)" in out
    assert plan.read_bytes() == before


def test_bad_cells_are_reported_at_their_cell_and_nothing_is_written(
    repo: Path, tmp_path: Path
) -> None:
    plan = repo / PLAN
    before = plan.read_bytes()
    workbook = export(repo, tmp_path)
    sheet = openpyxl.load_workbook(workbook)["โครงการ"]
    cols, r1, r3 = columns(sheet), row_of(sheet, "MDH01"), row_of(sheet, "MDH03")
    edit(
        workbook,
        {
            ("MDH01", "budget.amount"): "สามล้าน",
            ("MDH02", "budget.amount"): "=1000*2",  # a formula never computed
            ("MDH03", "strategy"): "S9.9",
            ("MDH04", "channel"): "province-requets",
            ("MDH05", "budget.amount"): 1000.123,
        },
    )
    name = workbook.name
    letter = openpyxl.utils.get_column_letter
    code, out = run("import", str(workbook), "--into", str(plan))
    assert code == 1
    lines = out.splitlines()
    amount = letter(cols["budget.amount"])
    assert (
        f"{workbook}:โครงการ!{amount}{r1}: error PP108 `สามล้าน` is not an amount of baht; type a number such as 1500000 or 1,500,000.50"
        in lines
    )
    assert any(
        line.startswith(f"{workbook}:โครงการ!{amount}{r1 + 1}: error PP703") for line in lines
    )
    assert any(
        line.startswith(f"{workbook}:โครงการ!{letter(cols['strategy'])}{r3}: error PP404")
        for line in lines
    )
    assert any(f"!{letter(cols['channel'])}{r3 + 1}: error PP106" in line for line in lines)
    assert any(f"!{amount}{r3 + 2}: error PP108" in line and "satang" in line for line in lines)
    assert lines[-1] == "5 errors: nothing written"
    assert plan.read_bytes() == before
    code, out = run("import", str(workbook), "--into", str(plan), "-f", "json")
    found = json.loads(out)["diagnostics"]
    assert {"path": str(workbook), "sheet": "โครงการ", "row": r1, "column": amount} == {
        k: found[0][k] for k in ("path", "sheet", "row", "column")
    }
    assert name.endswith(".xlsx")


def test_formula_with_a_computed_value_is_read_by_that_value(repo: Path, tmp_path: Path) -> None:
    """Excel and LibreOffice store a formula's last value: that is what the officer sees."""
    from zipfile import ZipFile

    workbook = edit(export(repo, tmp_path), {("MDH02", "budget.amount"): "=2000000+150000"})
    # give the formula a computed value, as a spreadsheet program saving the file does
    fixed = tmp_path / "computed.xlsx"
    with ZipFile(workbook) as src, ZipFile(fixed, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes an empty value as <v />, or with lxml installed as <v></v>
                data = re.sub(
                    rb"<f>2000000\+150000</f>(?:<v\s*/>|<v></v>)",
                    b"<f>2000000+150000</f><v>2150000</v>",
                    data,
                )
                assert b"<v>2150000</v>" in data
            dst.writestr(item, data)
    plan = repo / PLAN
    before = plan.read_bytes()
    code, out = run("import", str(fixed), "--into", str(plan))
    assert code == 0, out
    assert plan.read_bytes() == before  # 2,150,000 is the amount already there


def test_text_starting_with_equals_stays_text(repo: Path, tmp_path: Path) -> None:
    plan = repo / PLAN
    hostile = '=HYPERLINK("http://x.invalid","คลิก")'
    plan.write_text(
        plan.read_text().replace(
            "title: โครงการส่งเสริมเกษตรกรเข้าสู่มาตรฐาน GAP", f"title: '{hostile}'"
        )
    )
    workbook = export(repo, tmp_path)
    sheet = openpyxl.load_workbook(workbook)["โครงการ"]
    cell = sheet.cell(row_of(sheet, "MDH05"), columns(sheet)["title"])
    assert (cell.value, cell.data_type) == (hostile, "s")
    before = plan.read_bytes()
    code, out = run("import", str(workbook), "--into", str(plan))
    assert (code, plan.read_bytes()) == (0, before), out


def test_delete_missing(repo: Path, tmp_path: Path) -> None:
    plan = repo / PLAN
    workbook = export(repo, tmp_path)
    book = openpyxl.load_workbook(workbook)
    sheet = book["โครงการ"]
    sheet.delete_rows(row_of(sheet, "MDH06"))
    book.save(workbook)
    code, out = run("import", str(workbook), "--into", str(plan))
    assert code == 0
    assert "kept (no row in the workbook; --delete-missing removes them): MDH06" in out
    assert "MDH06" in plan.read_text()
    code, out = run("import", str(workbook), "--into", str(plan), "--delete-missing")
    assert code == 0, out
    assert "MDH06" not in plan.read_text()
    assert [p["id"] for p in read(plan).data["projects"]] == [f"MDH0{i}" for i in range(1, 6)]


def test_wrong_plan_and_christian_era_year(repo: Path, tmp_path: Path) -> None:
    workbook = export(repo, tmp_path)
    book = openpyxl.load_workbook(workbook)
    book["ข้อมูลแผน"]["B5"] = 2025
    book.save(workbook)
    plan = repo / PLAN
    code, out = run("import", str(workbook), "--into", str(plan))
    assert code == 1
    assert f"{workbook}:ข้อมูลแผน!B5: error PP704" in out
    assert "2025 looks like a Christian-era year; the Buddhist-era year is 2568" in out
    new = repo / "provinces/mukdahan/action-plan-2025.yaml"
    code, out = run("import", str(workbook), "-o", str(new))
    assert code == 1
    assert (
        f"{workbook}:ข้อมูลแผน!B5: error PP109 2025 looks like a Christian-era year; the Buddhist-era year is 2568"
        in out
    )
    assert not new.exists()


def test_new_workbook_for_a_new_year_imports_into_a_new_file(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "new.xlsx"
    code, output = run("export", "--new", "--owner", "mukdahan", "-y", "2569", "-o", str(out))
    assert code == 0, output
    edit(
        out,
        {
            ("new", "id"): "N1",
            ("new", "title"): "โครงการปีใหม่",
            ("new", "strategic_issue"): "SI2",
            ("new", "strategy"): "S2.1",
            ("new", "channel"): "private",
            ("new", "agency"): "หอการค้าจังหวัดมุกดาหาร",
            ("new", "description"): "ทดสอบ",
            ("new", "outputs"): "ผลผลิต",
            ("new", "outcomes"): "ผลลัพธ์",
            ("new", "budget.amount"): 1234.56,
        },
    )
    target = repo / "provinces/mukdahan/action-plan-2569.yaml"
    code, output = run("import", str(out), "-o", str(target))
    assert code == 0, output
    data = read(target).data
    assert (data["owner"], data["fiscal_year"]) == ("mukdahan", 2569)
    assert data["projects"][0]["budget"]["amount"] == Decimal("1234.56")
    assert run("validate", str(repo))[0] == 0


def test_unreadable_workbook(tmp_path: Path, repo: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a zip")
    code, out = run("import", str(bad), "--into", str(repo / PLAN))
    assert code == 1
    assert f"{bad}:โครงการ!A1: error PP701 not an .xlsx workbook" in out


def test_unknown_column_path(repo: Path, tmp_path: Path) -> None:
    workbook = export(repo, tmp_path)
    book = openpyxl.load_workbook(workbook)
    book["โครงการ"]["B2"] = "titel"
    book.save(workbook)
    code, out = run("import", str(workbook), "--into", str(repo / PLAN))
    assert code == 1
    assert f"{workbook}:โครงการ!B2: error PP702 unknown field path `titel`" in out


def test_a_file_out_of_fmt_layout_is_merged_with_a_note(repo: Path, tmp_path: Path) -> None:
    plan = repo / PLAN
    plan.write_text(plan.read_text().replace("\n  - ", "\n  -   ").replace("\n    ", "\n      "))
    assert run("validate", str(plan.parent))[0] == 0
    workbook = edit(export(repo, tmp_path), {("MDH01", "title"): "ชื่อใหม่"})
    result = CliRunner().invoke(app, ["import", str(workbook), "--into", str(plan)])
    assert result.exit_code == 0, result.output
    assert "is not in the layout of `provplan fmt`" in result.output
    assert read(plan).data["projects"][0]["title"] == "ชื่อใหม่"


CALC = Path("/usr/lib/libreoffice/program/scalc")
SKN = Path("provinces/sakon-nakhon/action-plan-2568.yaml")


def test_activities_sheet_round_trip(repo: Path, tmp_path: Path) -> None:
    """A changed amount needs changed activities (PP206): both are edited in the workbook."""
    plan = repo / SKN
    out = tmp_path / "skn.xlsx"
    assert run("export", str(plan), "-o", str(out))[0] == 0
    book = openpyxl.load_workbook(out)
    sheet = book["กิจกรรม"]
    cols = columns(sheet)
    assert list(cols) == ["project", "title", "budget", "agency", "partners"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3, max_row=5)]
    assert rows[0] == [
        "SKN01",
        "พัฒนาสูตรและมาตรฐานการผลิตผลิตภัณฑ์สมุนไพร",
        3200000,
        "สำนักงานสาธารณสุขจังหวัดสกลนคร",
        "มหาวิทยาลัยราชภัฏสกลนคร",
    ]
    before = plan.read_text()
    # the amount alone: the activities no longer add up, reported at the amount's cell
    projects = book["โครงการ"]
    amount = projects.cell(row_of(projects, "SKN01"), columns(projects)["budget.amount"])
    amount.value = 7300000
    book.save(out)
    code, output = run("import", str(out), "--into", str(plan))
    assert code == 1
    assert f"{out}:โครงการ!{amount.coordinate}: error PP206" in output
    assert plan.read_text() == before
    assert f"{out}:โครงการ!{amount.column_letter}{amount.row}" in output
    # with the breakdown and the activity that grew: clean, and only those values change
    sheet.cell(5, cols["budget"]).value = 1600000
    projects.cell(amount.row, columns(projects)["budget.breakdown.investment"]).value = 1600000
    book.save(out)
    code, output = run("import", str(out), "--into", str(plan))
    assert code == 0, output
    changed = [
        (a, b)
        for a, b in zip(before.splitlines(), plan.read_text().splitlines(), strict=True)
        if a != b
    ]
    assert [b.strip() for _, b in changed] == [
        "amount: 7300000",
        "breakdown: {operating: 5700000, investment: 1600000}",
        "budget: 1600000",
    ]


def test_activity_cell_findings(repo: Path, tmp_path: Path) -> None:
    plan = repo / SKN
    out = tmp_path / "skn.xlsx"
    assert run("export", str(plan), "-o", str(out))[0] == 0
    book = openpyxl.load_workbook(out)
    sheet = book["กิจกรรม"]
    sheet["C4"] = "ไม่ใช่ตัวเลข"
    sheet["A9"] = "NOPE1"
    sheet["B9"] = "กิจกรรมของโครงการที่ไม่มี"
    sheet["B3"] = None  # an activity without a title
    book.save(out)
    code, output = run("import", str(out), "--into", str(plan))
    assert code == 1
    assert f"{out}:กิจกรรม!C4: error PP108" in output
    assert f"{out}:กิจกรรม!A9: error PP702 an activity of project `NOPE1`" in output
    assert f"{out}:กิจกรรม!B3: error PP101" in output or f"{out}:กิจกรรม!B3: error PP104" in output


@pytest.mark.skipif(
    shutil.which("soffice") is None or not CALC.exists(),
    reason="LibreOffice Calc is not installed (apt-get install libreoffice-calc)",
)
def test_a_workbook_saved_by_libreoffice(repo: Path, tmp_path: Path) -> None:
    """What officers do: open the workbook in LibreOffice, type a formula, save. LibreOffice
    computes the formula and keeps the text cells text; import reads the result."""
    import subprocess

    plan = repo / PLAN
    workbook = edit(
        export(repo, tmp_path),
        {("MDH02", "budget.amount"): "=2000000+160000", ("MDH05", "title"): "=ไม่ใช่สูตร"},
    )
    book = openpyxl.load_workbook(workbook)  # the title as text, as an officer types '=…
    sheet = book["โครงการ"]
    sheet.cell(row_of(sheet, "MDH05"), columns(sheet)["title"]).data_type = "s"
    book.save(workbook)
    saved = tmp_path / "saved"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "xlsx", "--outdir", str(saved), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    code, out = run("import", str(saved / workbook.name), "--into", str(plan))
    assert code == 0, out
    projects = read(plan).data["projects"]
    assert projects[1]["budget"]["amount"] == 2160000
    assert projects[4]["title"] == "=ไม่ใช่สูตร"
    assert run("validate", str(repo))[0] == 0


def test_a_control_character_is_refused_on_export(repo: Path, tmp_path: Path) -> None:
    plan = repo / PLAN
    plan.write_text(
        plan.read_text().replace("agency: ตำรวจภูธรจังหวัดมุกดาหาร", 'agency: "ตำรวจ\\x01"')
    )
    out = tmp_path / "x.xlsx"
    result = CliRunner().invoke(app, ["export", str(plan), "-o", str(out)])
    assert result.exit_code == 1
    assert "project `MDH02`, `agency`: holds the control character U+0001" in result.output
    assert not out.exists()


def test_an_id_on_two_rows(repo: Path, tmp_path: Path) -> None:
    workbook = edit(export(repo, tmp_path), {("MDH02", "id"): "MDH01"})
    sheet = openpyxl.load_workbook(workbook)["โครงการ"]
    second = [r for r in range(3, 10) if sheet.cell(r, 1).value == "MDH01"][1]
    code, out = run("import", str(workbook), "--into", str(repo / PLAN))
    assert code == 1
    assert f"{workbook}:โครงการ!A{second}: error PP201 id `MDH01` is already on row 3" in out


def test_a_progress_report_is_not_exported_as_a_plan(repo: Path, tmp_path: Path) -> None:
    """Progress reports have no workbook of their own yet: export says so, writes nothing,
    and names the command that gives a report's figures in Excel."""
    out = tmp_path / "report.xlsx"
    report = repo / "provinces/mukdahan/progress-2568-q2.yaml"
    code, said = run("export", str(report), "-o", str(out))
    assert code == 1
    assert "is a progress-report, not an action plan" in said
    assert "provplan progress -f xlsx" in said
    assert not out.exists()
