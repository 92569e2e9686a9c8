"""An action plan as a workbook an officer fills in (`provplan export`).

Sheet `โครงการ`: Thai headings, the field paths in row 2, a project per row, numbers as
numbers in baht, dropdowns for channel, strategic issue and strategy (from the development
plan), headings frozen. Sheet `ข้อมูลแผน`: format version, kind, owner and fiscal year, which
the import checks. Plan text is data: every text cell is written as a string, so a title
beginning with `=` never becomes a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from provplan import FORMAT_VERSION, __version__
from provplan.channels import CHANNELS
from provplan.escape import XLSX_ILLEGAL
from provplan.files import discover
from provplan.model.plan import Project
from provplan.planset import DevelopmentOutline, IssueOutline
from provplan.registry import Registry
from provplan.sheets.columns import (
    ACTIVITIES_SHEET,
    ACTIVITY_COLUMNS,
    COLUMNS,
    FIRST_ROW,
    INFO_FIELDS,
    INFO_SHEET,
    LISTS_SHEET,
    MAX_CELL,
    PATH_ROW,
    PROJECTS_SHEET,
    Column,
)

MONEY = "#,##0.00"
BLANK_ROWS = 500  # rows below the projects that keep the dropdowns and formats for new ones


class ExportError(Exception):
    """A value the workbook cannot hold; the message says where and what to do."""


@dataclass(frozen=True)
class Sheet:
    """What a workbook is made of: the plan's identity, its projects and the choices."""

    owner: str
    fiscal_year: int
    projects: Sequence[Project] = ()
    issues: Sequence[IssueOutline] = ()
    title: str | None = None
    source: str = ""  # the YAML file, for messages


def development_issues(
    root: Path, owner: str, year: int, registry: Registry
) -> tuple[IssueOutline, ...]:
    """The strategic issues of the owner's development plan covering `year`, found under
    `root` (the plan repository), for the dropdowns; none when there is no such plan."""
    from provplan.validate.file import check_file

    candidates, _ = discover([root])
    for candidate in candidates:
        found = check_file(candidate, registry).outline
        if isinstance(found, DevelopmentOutline) and found.owner == owner and year in found.years():
            return found.issues
    return ()


def write_workbook(sheet: Sheet) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    projects = book.active
    projects.title = PROJECTS_SHEET
    _projects(projects, sheet)
    _activities(book.create_sheet(ACTIVITIES_SHEET), sheet)
    _info(book.create_sheet(INFO_SHEET), sheet)
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    _lists(lists, projects, sheet, last=FIRST_ROW + len(sheet.projects) + BLANK_ROWS)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _headings(ws: Any, columns: Sequence[Column]) -> None:
    """Row 1 the Thai headings, row 2 the field paths (what import reads)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, grey = Font(bold=True), Font(color="808080", size=9)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for j, column in enumerate(columns, start=1):
        head = ws.cell(1, j, column.heading + ("" if column.required else " (ถ้ามี)"))
        head.font, head.fill, head.alignment = bold, fill, wrap
        path = ws.cell(PATH_ROW, j, column.path)
        path.font = grey
        ws.column_dimensions[get_column_letter(j)].width = column.width


def _money_format(ws: Any, columns: Sequence[Column], last: int) -> None:
    for j, column in enumerate(columns, start=1):
        if column.kind == "amount":
            for row in range(FIRST_ROW, last):
                ws.cell(row, j).number_format = MONEY


def _projects(ws: Any, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    _headings(ws, COLUMNS)
    for i, project in enumerate(sheet.projects):
        row = FIRST_ROW + i
        for j, column in enumerate(COLUMNS, start=1):
            value = _value(project, column)
            where = f"{sheet.source}: project `{project.id}`, `{column.path}`"
            cell = ws.cell(row, j)
            _put(cell, value, where)
            cell.alignment = wrap
    _money_format(ws, COLUMNS, FIRST_ROW + len(sheet.projects) + BLANK_ROWS)
    ws.freeze_panes = ws.cell(FIRST_ROW, 2)  # headings and the id column stay in view


def _activities(ws: Any, sheet: Sheet) -> None:
    """A row per activity, keyed by its project's id, in the order of the YAML."""
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    _headings(ws, ACTIVITY_COLUMNS)
    row = FIRST_ROW
    for project in sheet.projects:
        for activity in project.activities or []:
            values = {"project": project.id, **activity.model_dump(exclude={"extensions"})}
            for j, column in enumerate(ACTIVITY_COLUMNS, start=1):
                value = values.get(column.path)
                if isinstance(value, list):
                    value = "\n".join(map(str, value)) or None
                where = f"{sheet.source}: project `{project.id}`, activity `{column.path}`"
                _put(ws.cell(row, j), value, where)
                ws.cell(row, j).alignment = wrap
            row += 1
    _money_format(ws, ACTIVITY_COLUMNS, row + BLANK_ROWS)
    ws.freeze_panes = ws.cell(FIRST_ROW, 1)


def _value(project: Project, column: Column) -> object:
    node: Any = project
    for key in column.keys:
        node = node.get(key) if isinstance(node, dict) else getattr(node, key, None)
        if node is None:
            return None
    if isinstance(node, list):
        return "\n".join(map(str, node)) if node else None
    return node


def _put(cell: Any, value: object, where: str) -> None:
    """Write a value; text always as a string cell (never a formula), bounded to what Excel
    holds."""
    if value is None:
        return
    if isinstance(value, (int, Decimal)):
        cell.value = value
        return
    text = str(value)
    bad = XLSX_ILLEGAL.search(text)
    if bad:
        raise ExportError(
            f"{where}: holds the control character U+{ord(bad.group()):04X}, which a workbook "
            "cannot store; remove it from the YAML"
        )
    if len(text) > MAX_CELL:
        raise ExportError(
            f"{where}: {len(text):,} characters, more than the {MAX_CELL:,} a cell holds"
        )
    cell.value = text
    cell.data_type = "s"  # openpyxl would take text starting with `=` for a formula


def _info(ws: Any, sheet: Sheet) -> None:
    from openpyxl.styles import Font

    ws.append(["field", "ค่า", "คำอธิบาย"])
    values: dict[str, object] = {
        "provplan": FORMAT_VERSION,
        "kind": "action-plan",
        "owner": sheet.owner,
        "fiscal_year": sheet.fiscal_year,
    }
    for key, label in INFO_FIELDS.items():
        ws.append([key, None, label])
        _put(ws.cell(ws.max_row, 2), values[key], f"{sheet.source}: `{key}`")
    ws.append([])
    ws.append(
        [
            "",
            f"provplan {__version__}",
            "ไฟล์นี้สร้างโดย provplan export: แก้ไขแถว 3 ลงไปในแผ่นงาน โครงการ",
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABC", (14, 24, 60), strict=True):
        ws.column_dimensions[letter].width = width


def _lists(lists: Any, projects: Any, sheet: Sheet, last: int) -> None:
    """The choices of the dropdowns on a hidden sheet, and the data validations that use
    them (a list typed into the validation itself is limited to 255 characters)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    lists.append(
        ["channel", "ประเภทโครงการ", "strategic_issue", "ประเด็นยุทธศาสตร์", "strategy", "กลยุทธ์"]
    )
    issues = list(sheet.issues)
    strategies = [(s, t, i.id) for i in issues for s, t in i.strategies.items()]
    channels = [(c.id, c.label) for c in CHANNELS.values()]
    for n in range(max(len(channels), len(issues), len(strategies))):
        row = 2 + n
        if n < len(channels):
            _put(lists.cell(row, 1), channels[n][0], "channel")
            _put(lists.cell(row, 2), channels[n][1], "channel")
        if n < len(issues):
            _put(lists.cell(row, 3), issues[n].id, "issue")
            _put(lists.cell(row, 4), issues[n].title, "issue")
        if n < len(strategies):
            _put(lists.cell(row, 5), strategies[n][0], "strategy")
            _put(lists.cell(row, 6), f"{strategies[n][1]} (ประเด็น {strategies[n][2]})", "strategy")
    choices = {"channel": ("A", len(channels)), "strategic_issue": ("C", len(issues))}
    choices["strategy"] = ("E", len(strategies))
    from openpyxl.utils import get_column_letter

    for j, column in enumerate(COLUMNS, start=1):
        if column.path not in choices:
            continue
        letter, count = choices[column.path]
        if not count:
            continue  # no development plan found: nothing to offer
        rule = DataValidation(
            type="list",
            formula1=f"{LISTS_SHEET}!${letter}$2:${letter}${count + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="ค่าไม่อยู่ในรายการ",
            error=f"เลือก {column.heading} จากรายการ",
        )
        target = get_column_letter(j)
        rule.add(f"{target}{FIRST_ROW}:{target}{last}")
        projects.add_data_validation(rule)
