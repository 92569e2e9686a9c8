"""Workbooks both ways on the shipped examples: export, edit cells with openpyxl, import."""

from __future__ import annotations

import difflib
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


def edit(
    workbook: Path,
    changes: dict[tuple[str, str], Any],
    out: Path | None = None,
    sheet_name: str = "โครงการ",
) -> Path:
    """Set cells by (id or `new`, field path) on a sheet; return the saved workbook."""
    book = openpyxl.load_workbook(workbook)
    sheet = book[sheet_name]
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
    # the totals are the repository's, as `provplan diff` of the two folders gives them
    totals = [line for line in out.splitlines() if " ปี 2568: " in line]
    assert any("(รวมทั้งกลุ่ม)" in line for line in totals)
    code, _ = run("import", str(workbook_edit), "--into", str(plan))
    assert code == 0
    code, compared = run("diff", str(EXAMPLES), str(repo))
    assert code == 0, compared
    assert totals == [line for line in compared.splitlines() if " ปี 2568: " in line]


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


def test_a_bad_cell_is_reported_in_the_language_asked(repo: Path, tmp_path: Path) -> None:
    """`--lang th`: the same finding at the same cell, in Thai; English otherwise."""
    plan = repo / PLAN
    workbook = edit(export(repo, tmp_path), {("MDH01", "budget.amount"): "สามล้าน"})
    at = f"{workbook}:โครงการ!{cell_of(workbook, 'โครงการ', 'MDH01', 'budget.amount')}"
    code, thai = run("import", str(workbook), "--into", str(plan), "--lang", "th")
    assert code == 1
    assert thai.splitlines() == [
        f"{at}: error PP108 `สามล้าน` ไม่ใช่จำนวนเงินบาท โปรดพิมพ์ตัวเลข เช่น 1500000 หรือ 1,500,000.50",
        "ข้อผิดพลาด 1 รายการ: ไม่ได้เขียนสิ่งใด",
    ]
    code, english = run("import", str(workbook), "--into", str(plan))
    assert code == 1
    assert english.splitlines() == [
        f"{at}: error PP108 `สามล้าน` is not an amount of baht; type a number such as 1500000 "
        "or 1,500,000.50",
        "1 error: nothing written",
    ]
    found = [
        json.loads(run("import", str(workbook), "--into", str(plan), "-f", "json", *lang)[1])
        for lang in (("--lang", "th"), ())
    ]
    (th,), (en,) = (f["diagnostics"] for f in found)
    assert {k: v for k, v in th.items() if k != "message"} == {
        k: v for k, v in en.items() if k != "message"
    }
    assert (th["code"], th["cell"]) == ("PP108", at.rsplit("!", 1)[1])
    assert "ไม่ใช่จำนวนเงินบาท" in th["message"]
    assert "is not an amount of baht" in en["message"]
    assert plan.read_bytes() == (EXAMPLES / PLAN).read_bytes()


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


def test_new_workbook_for_a_new_year_imports_into_a_new_file(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)  # the office's repository: its plans fill the dropdowns
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


def test_a_development_plan_is_not_exported(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    code, said = run("export", str(repo / "provinces/mukdahan/plan.yaml"), "-o", str(out))
    assert code == 1
    assert "is a province-plan, not an action plan or a progress report" in said
    assert not out.exists()


# --- progress reports ---------------------------------------------------------------------------

REPORT = Path("provinces/mukdahan/progress-2568-q2.yaml")


def export_report(repo: Path, tmp_path: Path, report: Path = REPORT) -> Path:
    out = tmp_path / "report.xlsx"
    code, output = run("export", str(repo / report), "-o", str(out))
    assert code == 0, output
    return out


def cell_of(workbook: Path, sheet_name: str, pid: str, path: str) -> str:
    """`G4`: the cell of a field of an item, found as tools outside provplan find it."""
    sheet = openpyxl.load_workbook(workbook)[sheet_name]
    letter = openpyxl.utils.get_column_letter(columns(sheet)[path])
    return f"{letter}{row_of(sheet, pid)}"


def test_progress_export_layout(repo: Path, tmp_path: Path) -> None:
    out = export_report(repo, tmp_path)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["โครงการ", "ตัวชี้วัด", "ข้อมูลแผน", "lists"]
    sheet = book["โครงการ"]
    cols = columns(sheet)
    assert list(cols) == [
        "id", "(action_plan.title)", "(action_plan.budget.amount)", "status", "allocated",
        "committed", "disbursed", "progress", "results", "problems", "remedies",
    ]  # fmt: skip
    assert sheet.cell(1, cols["(action_plan.title)"]).value.endswith("(อ้างอิง ไม่นำเข้า)")
    assert sheet.freeze_panes == "C3"  # the headings, the id and the title stay in view
    r1, r3 = row_of(sheet, "MDH01"), row_of(sheet, "MDH03")
    # context from the action plan; the report's figures as numbers in baht
    assert sheet.cell(r1, cols["(action_plan.title)"]).value == (
        "โครงการพัฒนาศักยภาพชุด ชรบ. หมู่บ้านตามแนวชายแดน"
    )
    budget = sheet.cell(r1, cols["(action_plan.budget.amount)"])
    assert (budget.value, budget.number_format) == (3600000, "#,##0.00")
    disbursed = sheet.cell(r1, cols["disbursed"])
    assert (disbursed.value, disbursed.data_type, disbursed.number_format) == (
        1850000,
        "n",
        "#,##0.00",
    )
    assert sheet.cell(r1, cols["progress"]).value == 55
    assert sheet.cell(r1, cols["allocated"]).value is None  # not written: not made up
    assert sheet.cell(r3, cols["problems"]).value.startswith("ลงนามสัญญาจ้างก่อสร้าง")
    rules = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    status = rules[f"{openpyxl.utils.get_column_letter(cols['status'])}3"]
    ref = status.formula1.split("!")[1].replace("$", "")
    assert [c[0].value for c in book["lists"][ref]] == [
        "not-started", "procurement", "in-progress", "completed", "suspended", "cancelled",
        "not-funded",
    ]  # fmt: skip
    progress = rules[f"{openpyxl.utils.get_column_letter(cols['progress'])}3"]
    assert (progress.type, progress.formula1, progress.formula2) == ("decimal", "0", "100")
    indicators = book["ตัวชี้วัด"]
    icols = columns(indicators)
    assert [k for k in icols if not k.startswith("(")] == ["id", "actual", "met", "note"]
    rows = [[c.value for c in r] for r in indicators.iter_rows(min_row=3, max_row=5)]
    assert [r[0] for r in rows] == ["I1.2", "I1.1", "I2.1"]  # the reported, then the others
    i12 = dict(zip(icols, rows[0], strict=False))
    assert (i12["(indicator.target)"], i12["actual"], i12["(indicator.unit)"]) == (80, 62, "ร้อยละ")
    assert rows[1][icols["actual"] - 1 :] == [None, None, None]
    info = {r[0].value: r[1].value for r in book["ข้อมูลแผน"].iter_rows()}
    assert (info["kind"], info["owner"], info["fiscal_year"], info["quarter"]) == (
        "progress-report",
        "mukdahan",
        2568,
        2,
    )
    assert info["as_of"].date().isoformat() == "2025-03-31"
    assert info["provplan"] == 1


def test_progress_round_trip_changes_only_the_edited_cells(repo: Path, tmp_path: Path) -> None:
    report = repo / REPORT
    hostile = '=HYPERLINK("http://x.invalid","คลิก")'
    report.write_text(
        report.read_text()
        .replace("  - id: MDH02\n", "  # kept comment\n  - id: MDH02\n")
        .replace("      - ฝึกอบรม ชรบ. แล้ว 640 คน ใน 32 หมู่บ้าน", f"      - '{hostile}'")
    )
    before = report.read_text()
    workbook = export_report(repo, tmp_path)
    sheet = openpyxl.load_workbook(workbook)["โครงการ"]
    results = sheet.cell(row_of(sheet, "MDH01"), columns(sheet)["results"])
    assert (results.value, results.data_type) == (hostile, "s")  # text, never a formula
    code, out = run("import", str(workbook), "--into", str(report))
    assert (code, report.read_text()) == (0, before), out  # nothing edited: not a byte changed
    edit(
        workbook,
        {
            ("MDH02", "disbursed"): 1000000.1,  # a float cell, read through its shortest form
            ("MDH02", "progress"): "47",
            ("MDH02", "results"): "ผลหนึ่ง\nผลสอง",
            ("MDH02", "(action_plan.title)"): "ชื่อที่แก้ในสมุดงาน",  # context: never imported
            ("MDH04", "committed"): "๑๐๐,๐๐๐",
        },
    )
    edit(
        workbook,
        {("I1.1", "actual"): 51000.5, ("I1.1", "met"): False, ("I1.2", "note"): None},
        sheet_name="ตัวชี้วัด",
    )
    code, out = run("import", str(workbook), "--into", str(report))
    assert code == 0, out
    assert "1 added" in out
    after = report.read_text()
    assert "  # kept comment\n" in after
    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == [
        "-    disbursed: 980000",
        "-    progress: 45",
        "+    disbursed: 1000000.1",
        "+    progress: 47",
        "+    results:",
        "+      - ผลหนึ่ง",
        "+      - ผลสอง",
        "+    committed: 100000",
        "-    note: หมู่บ้านชายแดนที่มี ชรบ. ผ่านการฝึกอบรม 37 จาก 60 หมู่บ้าน",
        "+  - id: I1.1",
        "+    actual: 51000.5",
        "+    met: false",
    ]
    data = read(report).data
    assert data["projects"][1]["disbursed"] == Decimal("1000000.1")
    assert data["projects"][0]["results"] == [hostile]
    assert "ชื่อที่แก้ในสมุดงาน" not in after
    code, out = run("validate", str(repo))
    assert code == 0, out
    assert "no problems" in out


def test_progress_bad_cells_are_reported_at_their_cell_and_nothing_is_written(
    repo: Path, tmp_path: Path
) -> None:
    report = repo / REPORT
    before = report.read_bytes()
    workbook = export_report(repo, tmp_path)
    edit(
        workbook,
        {
            ("MDH01", "status"): "done",
            ("MDH02", "progress"): 150,
            ("MDH03", "disbursed"): "สองล้าน",
            ("MDH04", "allocated"): 100000,  # below the 700,000 disbursed
            ("MDH05", "status"): "completed",  # at 50 percent
        },
    )
    edit(workbook, {("I1.2", "met"): "maybe", ("I1.1", "actual"): 5}, sheet_name="ตัวชี้วัด")
    book = openpyxl.load_workbook(workbook)
    book["ข้อมูลแผน"]["B7"] = "2025-05-01"  # after quarter 2
    book["ตัวชี้วัด"]["A4"] = "I9.9"
    book.save(workbook)
    code, out = run("import", str(workbook), "--into", str(report))
    assert code == 1
    lines = out.splitlines()
    at = f"{workbook}:โครงการ!"

    def cell(pid: str, path: str) -> str:
        return cell_of(workbook, "โครงการ", pid, path)

    expected = [
        f"{at}{cell('MDH03', 'disbursed')}: error PP108 `สองล้าน` is not an amount of baht",
        f"{workbook}:ตัวชี้วัด!{cell_of(workbook, 'ตัวชี้วัด', 'I1.2', 'met')}: error PP103 `maybe` is not TRUE or FALSE",
        f"{workbook}:ข้อมูลแผน!B7: error PP609 `as_of` 2025-05-01",
        f"{at}{cell('MDH01', 'status')}: error PP106 `done` is not allowed here",
        f"{at}{cell('MDH02', 'progress')}: error PP614 150 is not a percentage from 0 to 100",
        f"{at}{cell('MDH04', 'disbursed')}: error PP606 committed 0 plus disbursed 700,000 baht",
        f"{at}{cell('MDH05', 'progress')}: error PP608 a completed project has progress 100",
        f"{workbook}:ตัวชี้วัด!A4: error PP611 `I9.9` is not an indicator",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, out)
    assert lines[-1] == "8 errors: nothing written"
    assert report.read_bytes() == before


def test_progress_workbook_for_a_new_quarter(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--new -q`: a row per project of the owner's action plan, found in the repository;
    filled in and imported as a new report, checked with the reports before it."""
    monkeypatch.chdir(repo)
    out = tmp_path / "q3.xlsx"
    code, said = run(
        "export", "--new", "--owner", "mukdahan", "-y", "2568", "-q", "3", "-o", str(out)
    )
    assert code == 0, said
    assert "6 project rows to fill in, 3 indicator rows to fill in" in said
    book = openpyxl.load_workbook(out)
    sheet = book["โครงการ"]
    cols = columns(sheet)
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3, max_row=sheet.max_row)]
    assert [r[0] for r in rows if r[0]] == [f"MDH0{i}" for i in range(1, 7)]
    assert rows[2][cols["(action_plan.title)"] - 1] == "โครงการพัฒนาลานจอดพักรถบรรทุกสินค้าผ่านแดน"
    assert all(r[cols["status"] - 1] is None for r in rows)  # nothing made up
    info = {r[0].value: r[1].value for r in book["ข้อมูลแผน"].iter_rows()}
    assert (info["quarter"], info["as_of"].date().isoformat()) == (3, "2025-06-30")
    figures = {
        "MDH01": ("in-progress", 2600000, 75),
        "MDH02": ("in-progress", 1500000, 70),
        "MDH03": ("in-progress", 2000000, 45),  # less than quarter 2's 2,840,000
        "MDH04": ("in-progress", 1200000, 55),
        "MDH05": ("completed", 1950000, 100),
    }  # MDH06 left with its id alone: not reported
    edit(
        out,
        {
            (pid, path): value
            for pid, values in figures.items()
            for path, value in zip(("status", "disbursed", "progress"), values, strict=True)
        },
    )
    edit(out, {("I1.2", "actual"): 75}, sheet_name="ตัวชี้วัด")
    target = repo / "provinces/mukdahan/progress-2568-q3.yaml"
    disbursed = cell_of(out, "โครงการ", "MDH03", "disbursed")
    # a cell that cannot be read is reported once, at itself: not also as a disbursement of
    # 0 that went down since quarter 2 (PP610), nor anywhere else
    bad = edit(out, {("MDH03", "disbursed"): "สองล้าน"}, tmp_path / "bad.xlsx")
    code, said = run("import", str(bad), "-o", str(target))
    assert code == 1
    assert [line for line in said.splitlines() if "PP604" not in line] == [
        f"{bad}:โครงการ!{disbursed}: error PP108 `สองล้าน` is not an amount of baht; type a number such as 1500000 or 1,500,000.50",
        "1 error: nothing written",
    ]
    assert not target.exists()
    code, said = run("import", str(out), "-o", str(target))
    assert code == 0, said
    lines = said.splitlines()
    assert any(
        line.startswith(f"{out}:โครงการ!{disbursed}: warning PP610 disbursed 2,000,000 baht")
        for line in lines
    ), said
    assert (
        f"{out}:โครงการ!A2: warning PP604 the action plan's project MDH06 is not reported" in said
    )
    data = read(target).data
    assert (data["kind"], data["quarter"], str(data["as_of"])) == (
        "progress-report",
        3,
        "2025-06-30",
    )
    assert [p["id"] for p in data["projects"]] == list(figures)
    assert data["indicators"] == [{"id": "I1.2", "actual": 75}]
    code, said = run("validate", str(repo))
    assert code == 0, said
    assert "0 errors, 2 warnings" in said
    code, said = run("progress", str(repo), "-c", "northeast-upper-2", "-q", "3", "-f", "json")
    assert code == 0, said


def test_progress_new_needs_the_action_plan_and_a_quarter(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    out = tmp_path / "x.xlsx"
    code, said = run(
        "export", "--new", "--owner", "mukdahan", "-y", "2569", "-q", "1", "-o", str(out)
    )
    assert code == 1
    assert "no action plan of `mukdahan` for 2569" in said
    code, said = run(
        "export", "--new", "--owner", "mukdahan", "-y", "2568", "-q", "5", "-o", str(out)
    )
    assert code == 2
    code, said = run("export", str(repo / REPORT), "-q", "2", "-o", str(out))
    assert code == 2
    assert not out.exists()


def test_export_names_the_workbook_xlsx(repo: Path, tmp_path: Path) -> None:
    code, said = run("export", str(repo / PLAN), "-o", str(tmp_path / "plan.csv"))
    assert code == 2
    assert "FILE.xlsx" in said
    assert not (tmp_path / "plan.csv").exists()


def test_new_refuses_to_guess_between_two_plans_of_the_year(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two action plans of the owner's year under the folder (a copy, another project's
    folder): the workbook would be for either, so export names them and stops."""
    monkeypatch.chdir(repo)
    shutil.copy(repo / PLAN, repo / "copy-of-action-plan.yaml")
    out = tmp_path / "q3.xlsx"
    code, said = run(
        "export", "--new", "--owner", "mukdahan", "-y", "2568", "-q", "3", "-o", str(out)
    )
    assert code == 1
    assert "more than one plan of `mukdahan` for 2568" in said
    assert "copy-of-action-plan.yaml" in said
    assert not out.exists()


def test_progress_workbook_of_another_report_or_kind(repo: Path, tmp_path: Path) -> None:
    workbook = export_report(repo, tmp_path)
    q4 = repo / "provinces/mukdahan/progress-2568-q4.yaml"
    before = q4.read_bytes()
    code, out = run("import", str(workbook), "--into", str(q4))
    assert code == 1
    assert (
        f"{workbook}:ข้อมูลแผน!B6: error PP704 the workbook's `quarter` is `2` but the YAML's is `4`"
        in out
    )
    code, out = run("import", str(workbook), "--into", str(repo / PLAN))
    assert code == 1
    assert (
        "error PP704 the workbook's `kind` is `progress-report` but the YAML's is `action-plan`: import it into a progress report"
        in out
    )
    assert q4.read_bytes() == before


def test_progress_delete_missing_and_a_deleted_sheet(repo: Path, tmp_path: Path) -> None:
    report = repo / REPORT
    workbook = export_report(repo, tmp_path)
    book = openpyxl.load_workbook(workbook)
    book["ตัวชี้วัด"].delete_rows(row_of(book["ตัวชี้วัด"], "I1.2"))
    book.save(workbook)
    code, out = run("import", str(workbook), "--into", str(report), "-f", "json")
    assert code == 0, out
    assert json.loads(out)["summary"]["indicators"]["kept_without_row"] == ["I1.2"]
    assert "I1.2" in report.read_text()
    code, out = run("import", str(workbook), "--into", str(report), "--delete-missing")
    assert code == 0, out
    assert read(report).data.get("indicators") == []
    # without the sheet `ตัวชี้วัด`, the indicator results stay as they are
    report.write_text((EXAMPLES / REPORT).read_text())
    book = openpyxl.load_workbook(workbook)
    del book["ตัวชี้วัด"]
    book.save(workbook)
    code, out = run("import", str(workbook), "--into", str(report), "--delete-missing")
    assert code == 0, out
    assert report.read_text() == (EXAMPLES / REPORT).read_text()


@pytest.mark.skipif(
    shutil.which("soffice") is None or not CALC.exists(),
    reason="LibreOffice Calc is not installed (apt-get install libreoffice-calc)",
)
def test_progress_workbook_saved_by_libreoffice(repo: Path, tmp_path: Path) -> None:
    """LibreOffice keeps a FALSE typed into `met` as the formula `=FALSE()` with its value,
    and `as_of` as a date: import reads both."""
    import subprocess

    report = repo / REPORT
    workbook = export_report(repo, tmp_path)
    edit(workbook, {("I1.1", "actual"): 40000, ("I1.1", "met"): False}, sheet_name="ตัวชี้วัด")
    edit(workbook, {("MDH02", "disbursed"): "=980000+5000"})
    saved = tmp_path / "saved"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "xlsx", "--outdir", str(saved), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    code, out = run("import", str(saved / workbook.name), "--into", str(report))
    assert code == 0, out
    data = read(report).data
    assert data["indicators"][-1] == {"id": "I1.1", "actual": 40000, "met": False}
    assert (data["projects"][1]["disbursed"], str(data["as_of"])) == (985000, "2025-03-31")


def test_progress_info_cells(repo: Path, tmp_path: Path) -> None:
    """The report's own values on ข้อมูลแผน: as_of typed in the Buddhist era, or not a date at
    all, and an emptied quarter, each reported at its cell, once."""
    report = repo / REPORT
    before = report.read_bytes()
    workbook = export_report(repo, tmp_path)
    book = openpyxl.load_workbook(workbook)
    info = book["ข้อมูลแผน"]
    cells = {info.cell(r, 1).value: f"B{r}" for r in range(1, info.max_row + 1)}
    info[cells["as_of"]] = "2568-03-31"
    book.save(workbook)
    code, out = run("import", str(workbook), "--into", str(report))
    assert code == 1
    assert out.splitlines() == [
        f"{workbook}:ข้อมูลแผน!{cells['as_of']}: error PP110 2568-03-31 has a Buddhist-era year; dates are written in the Christian era: 2025-03-31",
        "1 error: nothing written",
    ]
    info[cells["as_of"]] = "31 มี.ค. 68"
    info[cells["quarter"]] = None
    book.save(workbook)
    code, out = run("import", str(workbook), "--into", str(report))
    assert code == 1
    assert out.splitlines() == [
        f"{workbook}:ข้อมูลแผน!{cells['as_of']}: error PP110 `31 มี.ค. 68` is not a date; type it as 2025-03-31 (year-month-day)",
        f"{workbook}:ข้อมูลแผน!{cells['quarter']}: error PP704 the workbook's `quarter` is empty but the YAML's is `2`: it was exported from another report",
        "2 errors: nothing written",
    ]
    assert report.read_bytes() == before
