"""A document as a workbook an officer fills in (`provplan export`): an action plan, or a
progress report, by the layout of its kind (`columns.py`).

Each list of the document (projects, a report's indicator results) is a sheet: Thai
headings, the field paths in row 2, an item per row, numbers as numbers (amounts in baht),
dropdowns for the choices, headings frozen. Columns of context (a reported project's title
and budget from the action plan, an indicator's name and target from the development plan)
are grey, marked as not imported, and never read back. Sheet `ข้อมูลแผน` keeps the document's
own values (format version, kind, owner, fiscal year; a report's quarter and `as_of`), which
the import checks. Plan text is data: every text cell is written as a string, so a title
beginning with `=` never becomes a formula.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from provplan import FORMAT_VERSION, __version__
from provplan.channels import CHANNELS
from provplan.escape import XLSX_ILLEGAL
from provplan.files import discover
from provplan.i18n import Message, msg
from provplan.planset import ActionOutline, DevelopmentOutline
from provplan.registry import Registry
from provplan.sheets.columns import (
    ACTION_PLAN,
    FIRST_ROW,
    INFO_SHEET,
    LISTS_SHEET,
    MAX_CELL,
    PATH_ROW,
    PROGRESS_REPORT,
    Column,
    Layout,
    Table,
)
from provplan.thai import STATUSES

MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
BLANK_ROWS = 500  # rows below the items that keep the dropdowns and formats for new ones


class ExportError(Exception):
    """A value the workbook cannot hold; the message says where and what to do."""


@dataclass(frozen=True)
class Sheet:
    """What a workbook is made of: the document's kind and own values, its items, and what
    helps fill them in."""

    layout: Layout
    info: Mapping[str, object]  # owner, fiscal year (a report's quarter, as_of)
    # by list (`projects`): the items, as models or as the plain values of the YAML
    items: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    # by list: each id's values of the context columns (by `Column.source`), in the order of
    # the document they come from; a table of prefilled rows gets a row for each id not
    # among its items
    context: Mapping[str, Mapping[str, Mapping[str, object]]] = field(default_factory=dict)
    choices: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)
    """The dropdowns: field path → (value, Thai label) pairs."""
    source: str = ""  # the YAML file, for messages


@dataclass(frozen=True)
class Found:
    """The documents of an owner's year found in the plan repository."""

    development: DevelopmentOutline | None = None  # the development plan covering the year
    action: ActionOutline | None = None  # the action plan of the year
    others: tuple[Path, ...] = ()  # more plans that would do: the repository is ambiguous


def find_plans(root: Path, owner: str, year: int, registry: Registry) -> Found:
    """The owner's development plan covering `year` and action plan for `year`, found under
    `root` (the plan repository): what the dropdowns and the context columns come from."""
    from provplan.validate.file import check_file

    development: DevelopmentOutline | None = None
    action: ActionOutline | None = None
    others: list[Path] = []
    candidates, _ = discover([root])
    for candidate in candidates:
        found = check_file(candidate, registry).outline
        if found is None or found.owner != owner or year not in found.years():
            continue
        if isinstance(found, DevelopmentOutline):
            if development is None:
                development = found
            else:
                others.append(found.path)
        elif isinstance(found, ActionOutline):
            if action is None:
                action = found
            else:
                others.append(found.path)
    return Found(development, action, tuple(others))


def action_sheet(
    owner: str, year: int, projects: Sequence[Any], found: Found, source: str
) -> Sheet:
    """An action plan's workbook: its projects, dropdowns of channels and of the development
    plan's strategic issues and strategies."""
    issues = found.development.issues if found.development else ()
    choices = {
        "channel": [(c.id, c.label) for c in CHANNELS.values()],
        "strategic_issue": [(i.id, i.title) for i in issues],
        "strategy": [
            (s, f"{title} (ประเด็น {i.id})") for i in issues for s, title in i.strategies.items()
        ],
    }
    info = {"owner": owner, "fiscal_year": year}
    return Sheet(ACTION_PLAN, info, {"projects": projects}, choices=choices, source=source)


def progress_sheet(
    info: Mapping[str, object],
    projects: Sequence[Any],
    results: Sequence[Any],
    found: Found,
    source: str,
) -> Sheet:
    """A progress report's workbook: its project progress with each project's title and
    budget from the action plan, its indicator results with each indicator's name, unit and
    target for the year from the development plan; a row for each project and indicator not
    yet reported, to fill in."""
    year = info["fiscal_year"]
    projects_context = {
        p.id: {"action_plan.title": p.title, "action_plan.budget.amount": p.amount}
        for p in (found.action.projects if found.action else ())
    }
    indicators = found.development.indicators.values() if found.development else ()
    results_context = {
        i.id: {"indicator.name": i.name, "indicator.unit": i.unit, "indicator.target": target}
        for i in indicators
        if isinstance(year, int) and (target := i.target(year)) is not None
    }
    return Sheet(
        PROGRESS_REPORT,
        info,
        {"projects": projects, "indicators": results},
        {"projects": projects_context, "indicators": results_context},
        {"status": list(STATUSES.items())},
        source,
    )


def write_workbook(sheet: Sheet) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    layout = sheet.layout
    sheets: list[tuple[Any, Table, int]] = []
    for n, table in enumerate(layout.tables):
        ws = book.active if n == 0 else book.create_sheet(table.sheet)
        ws.title = table.sheet
        rows = _items(ws, table, sheet)
        sheets.append((ws, table, FIRST_ROW + rows + BLANK_ROWS))
    if layout.activities is not None:
        _activities(book.create_sheet(layout.activities.sheet), layout.activities, sheet)
    _info(book.create_sheet(INFO_SHEET), sheet)
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    _lists(lists, sheets, sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _headings(ws: Any, table: Table) -> None:
    """Row 1 the Thai headings, row 2 the field paths (what import reads); columns of context
    grey and marked as not imported."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, grey = Font(bold=True), Font(color="808080", size=9)
    shown = Font(bold=True, italic=True, color="595959")
    fill, shade = PatternFill("solid", fgColor="DDEBF7"), PatternFill("solid", fgColor="E7E6E6")
    wrap = Alignment(wrap_text=True, vertical="top")
    for j, column in enumerate(table.columns, start=1):
        if not column.imported:
            text, font, background = f"{column.heading} (อ้างอิง ไม่นำเข้า)", shown, shade
        else:
            text = column.heading + ("" if column.required else " (ถ้ามี)")
            font, background = bold, fill
        head = ws.cell(1, j, text)
        head.font, head.fill, head.alignment = font, background, wrap
        path = ws.cell(PATH_ROW, j, column.path)
        path.font = grey
        ws.column_dimensions[get_column_letter(j)].width = column.width
    ws.freeze_panes = ws.cell(FIRST_ROW, table.frozen + 1)


def _formats(ws: Any, table: Table, last: int) -> None:
    """Baht as numbers with the baht format, down to the blank rows for new items; context
    shaded."""
    from openpyxl.styles import PatternFill

    shade = PatternFill("solid", fgColor="F2F2F2")
    for j, column in enumerate(table.columns, start=1):
        for row in range(FIRST_ROW, last):
            cell = ws.cell(row, j)
            if column.kind == "amount":
                cell.number_format = MONEY
            if not column.imported:
                cell.fill = shade


def rows_of(table: Table, sheet: Sheet) -> Iterator[tuple[str, dict[str, object]]]:
    """Each row's id and values by column path: the items, then (for prefilled rows) the
    ids of the context not among them."""
    context = sheet.context.get(table.listed, {})
    seen: set[str] = set()
    for item in sheet.items.get(table.listed, ()):
        values = {c.path: _value(item, c) for c in table.columns if c.imported}
        key = str(values.get(table.key))
        seen.add(key)
        shown = context.get(key, {})
        yield key, values | {c.path: shown.get(c.source) for c in table.columns if not c.imported}
    if table.prefilled:
        for key, shown in context.items():
            if key not in seen:
                values = {c.path: shown.get(c.source) for c in table.columns if not c.imported}
                yield key, values | {table.key: key}


def _items(ws: Any, table: Table, sheet: Sheet) -> int:
    """Write a table's headings and rows; how many rows."""
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    _headings(ws, table)
    count = 0
    for count, (key, values) in enumerate(rows_of(table, sheet), start=1):
        row = FIRST_ROW + count - 1
        for j, column in enumerate(table.columns, start=1):
            where = msg(
                "{source}: {item} `{id}`, {key!k}",
                source=sheet.source,
                item=table.noun,
                id=key,
                key=column.path,
            )
            cell = ws.cell(row, j)
            _put(cell, values.get(column.path), where)
            cell.alignment = wrap
    _formats(ws, table, FIRST_ROW + count + BLANK_ROWS)
    return count


def _activities(ws: Any, table: Table, sheet: Sheet) -> None:
    """A row per activity, keyed by its project's id, in the order of the YAML."""
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    _headings(ws, table)
    row = FIRST_ROW
    for project in sheet.items.get("projects", ()):
        for activity in project.activities or []:
            values = {"project": project.id, **activity.model_dump(exclude={"extensions"})}
            for j, column in enumerate(table.columns, start=1):
                value = values.get(column.path)
                if isinstance(value, list):
                    value = "\n".join(map(str, value)) or None
                where = msg(
                    "{source}: project `{id}`, activity {key!k}",
                    source=sheet.source,
                    id=project.id,
                    key=column.path,
                )
                _put(ws.cell(row, j), value, where)
                ws.cell(row, j).alignment = wrap
            row += 1
    _formats(ws, table, row + BLANK_ROWS)


def _value(item: Any, column: Column) -> object:
    """A field of an item, a model or plain values; a list as a line per entry."""
    node: Any = item
    for key in column.keys:
        node = node.get(key) if isinstance(node, dict) else getattr(node, key, None)
        if node is None:
            return None
    if isinstance(node, list):
        return "\n".join(map(str, node)) if node else None
    return node


def _put(cell: Any, value: object, where: Message) -> None:
    """Write a value; text always as a string cell (never a formula), bounded to what Excel
    holds."""
    if value is None:
        return
    if isinstance(value, int | Decimal):  # and bool, which openpyxl writes as TRUE/FALSE
        cell.value = value
        return
    if isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE
        return
    text = str(value)
    bad = XLSX_ILLEGAL.search(text)
    if bad:
        raise ExportError(
            msg(
                "{where}: holds the control character U+{code}, which a workbook cannot store; "
                "remove it from the YAML",
                where=where,
                code=f"{ord(bad.group()):04X}",
            )
        )
    if len(text) > MAX_CELL:
        raise ExportError(
            msg(
                "{where}: {count} characters, more than the {most} a cell holds",
                where=where,
                count=f"{len(text):,}",
                most=f"{MAX_CELL:,}",
            )
        )
    cell.value = text
    cell.data_type = "s"  # openpyxl would take text starting with `=` for a formula


def _info(ws: Any, sheet: Sheet) -> None:
    from openpyxl.styles import Font

    ws.append(["field", "ค่า", "คำอธิบาย"])
    values = {"provplan": FORMAT_VERSION, "kind": sheet.layout.kind, **sheet.info}
    for column in sheet.layout.info:
        ws.append([column.path, None, column.heading])
        where = msg("{source}: {key!k}", source=sheet.source, key=column.path)
        _put(ws.cell(ws.max_row, 2), values.get(column.path), where)
    ws.append([])
    ws.append(["", f"provplan {__version__}", sheet.layout.note])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABC", (14, 24, 60), strict=True):
        ws.column_dimensions[letter].width = width


def _lists(lists: Any, sheets: Sequence[tuple[Any, Table, int]], sheet: Sheet) -> None:
    """The choices of the dropdowns on a hidden sheet, two columns (value, label) per field,
    and the data validations that use them (a list typed into the validation itself is
    limited to 255 characters); percentages from 0 to 100, TRUE or FALSE for flags."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    at = 1
    for ws, table, last in sheets:
        for j, column in enumerate(table.columns, start=1):
            target = get_column_letter(j)
            choices = sheet.choices.get(column.path, ())
            rule: DataValidation | None = None
            if column.kind == "percent":
                rule = DataValidation(
                    type="decimal", operator="between", formula1="0", formula2="100"
                )
                rule.errorTitle, rule.error = "ค่าไม่ถูกต้อง", f"{column.heading}: ตัวเลข 0 ถึง 100"
            elif column.kind == "flag":
                rule = DataValidation(type="list", formula1='"TRUE,FALSE"')
                rule.errorTitle, rule.error = "ค่าไม่ถูกต้อง", f"{column.heading}: TRUE หรือ FALSE"
            elif choices:
                letter = get_column_letter(at)
                where = msg("a choice of {key!k}", key=column.path)
                _put(lists.cell(1, at), column.path, where)
                _put(lists.cell(1, at + 1), column.heading, where)
                for n, (value, label) in enumerate(choices, start=2):
                    _put(lists.cell(n, at), value, where)
                    _put(lists.cell(n, at + 1), label, where)
                at += 2
                rule = DataValidation(
                    type="list", formula1=f"{LISTS_SHEET}!${letter}$2:${letter}${len(choices) + 1}"
                )
                rule.errorTitle = "ค่าไม่อยู่ในรายการ"
                rule.error = f"เลือก {column.heading} จากรายการ"
            if rule is None:
                continue  # nothing to offer (no development plan found: no issues to choose)
            rule.allow_blank = True
            rule.showErrorMessage = True
            rule.add(f"{target}{FIRST_ROW}:{target}{last}")
            ws.add_data_validation(rule)
