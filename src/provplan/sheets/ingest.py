"""Reading a filled workbook back: cells → exact plain values, each remembered at its cell.

Amounts are exact: a cell typed as a number arrives from openpyxl as a float and is converted
through its shortest repr (`1500000.1`, never `1500000.100000000093…`); text such as
`1,500,000` or Thai digits `๑,๕๐๐,๐๐๐` is read as the number it shows. A formula is read by
its value as last computed by Excel or LibreOffice; one never computed (as openpyxl writes
them) is an error, since provplan does not evaluate formulas. The workbook is opened twice,
with and without computed values, to tell the two apart.

The `kind` on the info sheet says which layout (`columns.py`) the other sheets are read by.
A progress report's percentages are exact too (a cell formatted as a percentage counts as
one: 0.55 shown as 55% is 55), `met` is TRUE or FALSE, `as_of` a date cell or ISO text.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from provplan.i18n import Message, alternatives, msg
from provplan.load import text as nfc
from provplan.sheets.columns import (
    ACTION_PLAN,
    FIRST_ROW,
    INFO_KEYS,
    INFO_SHEET,
    LAYOUTS,
    MAX_ROWS,
    PATH_ROW,
    PROJECTS_SHEET,
    Column,
    Layout,
    Table,
)
from provplan.sheets.findings import Cell, CellFinding, at
from provplan.years import BE_OFFSET, BE_YEARS

MAX_BYTES = 32 * 2**20  # the workbook file
MAX_UNPACKED = 256 * 2**20  # what its zip may expand to (a zip bomb is refused unread)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_YES = {"true", "yes", "y", "ใช่", "บรรลุ", "ผ่าน"}
_NO = {"false", "no", "n", "ไม่ใช่", "ไม่บรรลุ", "ไม่ผ่าน"}


@dataclass
class Row:
    """One row: its values by field path (None: empty cell) and their cells."""

    number: int
    values: dict[str, Any]
    cells: dict[str, Cell]
    unread: set[str] = field(default_factory=set)  # the paths of cells that could not be read


@dataclass
class Listed:
    """A sheet read: the rows of one of the document's lists (`projects`, `indicators`)."""

    table: Table
    columns: dict[str, int] = field(default_factory=dict)  # field path → column number
    rows: list[Row] = field(default_factory=list)

    def cell(self, path: str, row: Row | None = None) -> Cell:
        """The cell of a field in a row (row 2 without one), or of the key column when the
        field has none."""
        column = self.columns.get(path) or self.columns.get(self.table.key, 1)
        return Cell(self.table.sheet, row.number if row else PATH_ROW, column)


@dataclass
class Workbook:
    path: Path
    layout: Layout = ACTION_PLAN  # by the kind on the info sheet
    info: dict[str, Any] = field(default_factory=dict)
    info_cells: dict[str, Cell] = field(default_factory=dict)
    # the sheets of the layout's lists that the workbook has (a deleted sheet leaves its list
    # as it is), by the list's key
    lists: dict[str, Listed] = field(default_factory=dict)
    findings: list[CellFinding] = field(default_factory=list)
    # the sheet `กิจกรรม` of an action plan: its columns (None: no such sheet, activities
    # stay as they are) and the rows of each project id, in order
    activity_columns: dict[str, int] | None = None
    activities: dict[str, list[Row]] = field(default_factory=dict)


def read_workbook(path: Path) -> Workbook:
    """Read a workbook written by `provplan export` (and filled in); never raises on input."""
    book = Workbook(path)
    opened = _open(book)
    if opened is None:
        return book
    formulas, values = opened
    if PROJECTS_SHEET not in formulas.sheetnames:
        message = msg("no sheet `{sheet}`", sheet=PROJECTS_SHEET)
        _problem(book, Cell(PROJECTS_SHEET, 1, 1), "PP702", message)
        return book
    if INFO_SHEET not in formulas.sheetnames:
        _problem(book, Cell(INFO_SHEET, 1, 1), "PP702", msg("no sheet `{sheet}`", sheet=INFO_SHEET))
    elif not _info(book, formulas[INFO_SHEET], values[INFO_SHEET]):
        return book  # no layout to read the other sheets by
    for table in book.layout.tables:
        if table.sheet in formulas.sheetnames:
            _list(book, table, formulas[table.sheet], values[table.sheet])
    activities = book.layout.activities
    if activities is not None and activities.sheet in formulas.sheetnames:
        _activities(book, activities, formulas[activities.sheet], values[activities.sheet])
    return book


def _problem(book: Workbook, cell: Cell, code: str, message: Message) -> None:
    book.findings.append(at(book.path, cell, code, message))


def _open(book: Workbook) -> tuple[Any, Any] | None:
    from openpyxl import load_workbook

    where = Cell(PROJECTS_SHEET, 1, 1)
    try:
        if book.path.stat().st_size > MAX_BYTES:
            _problem(book, where, "PP701", msg("larger than {size} MiB", size=MAX_BYTES // 2**20))
            return None
        with zipfile.ZipFile(book.path) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
                message = msg(
                    "unpacks to more than {size} MiB; not read", size=MAX_UNPACKED // 2**20
                )
                _problem(book, where, "PP701", message)
                return None
        return (
            load_workbook(book.path, data_only=False),
            load_workbook(book.path, data_only=True),
        )
    except zipfile.BadZipFile:
        message = msg("not an .xlsx workbook; save it as Excel Workbook (.xlsx)")
    except OSError as err:
        message = msg("cannot read: {reason}", reason=err.strerror or err)
    except Exception as err:  # openpyxl raises many kinds on a damaged file
        message = msg("cannot read the workbook: {error}", error=f"{type(err).__name__}: {err}")
    _problem(book, where, "PP701", message)
    return None


def _info(book: Workbook, formulas: Any, values: Any) -> bool:
    """The document's own values; their `kind` says which layout the other sheets have (false
    when it says none)."""
    raws: dict[str, tuple[Cell, Any]] = {}
    for row in range(1, min(formulas.max_row, 50) + 1):
        key = formulas.cell(row, 1).value
        if key in INFO_KEYS and key not in raws:
            cell = Cell(INFO_SHEET, row, 2)
            raws[key] = cell, _raw(book, cell, formulas, values)
    cell, raw = raws.get("kind", (Cell(INFO_SHEET, 1, 1), None))
    kind = _whole(raw)
    if kind not in LAYOUTS:
        kinds = alternatives(f"`{k}`" for k in LAYOUTS)
        message = (
            msg(
                "kind `{kind}`: provplan export writes workbooks of {kinds}", kind=kind, kinds=kinds
            )
            if "kind" in raws
            else msg(
                "no row `kind` in column A: provplan export writes workbooks of {kinds}",
                kinds=kinds,
            )
        )
        _problem(book, cell, "PP702", message)
        return False
    book.layout = LAYOUTS[kind]
    for column in book.layout.info:
        if column.path not in raws:
            message = msg("no row `{key}` in column A", key=column.path)
            _problem(book, Cell(INFO_SHEET, 1, 1), "PP702", message)
            continue
        cell, raw = raws[column.path]
        book.info_cells[column.path] = cell
        if column.kind == "date":
            book.info[column.path] = _date(book, cell, raw)
        else:
            book.info[column.path] = _whole(raw)
    return True


def _paths(book: Workbook, ws: Any, table: Table) -> dict[str, int] | None:
    """The imported columns of a sheet by the field paths of its row 2; None when unusable."""
    sheet: str = ws.title
    known, shown = table.by_path, table.shown
    found: dict[str, int] = {}
    for column in range(1, ws.max_column + 1):
        name = ws.cell(PATH_ROW, column).value
        if name is None or (isinstance(name, str) and not name.strip()):
            continue
        cell = Cell(sheet, PATH_ROW, column)
        name = str(name).strip()
        if name in shown:
            continue  # context: shown, never imported
        if name not in known:
            message = msg(
                "unknown field path `{path}` in row 2 (known: {known})",
                path=name,
                known=", ".join(known),
            )
            _problem(book, cell, "PP702", message)
        elif name in found:
            message = msg(
                "`{path}` is already the column of {cell}",
                path=name,
                cell=Cell(sheet, PATH_ROW, found[name]),
            )
            _problem(book, cell, "PP702", message)
        else:
            found[name] = column
    if table.key not in found:
        message = msg("no column `{path}` in row 2", path=table.key)
        _problem(book, Cell(sheet, PATH_ROW, 1), "PP702", message)
        return None
    if ws.max_row > MAX_ROWS:
        message = msg("more than {count} rows; not read", count=f"{MAX_ROWS:,}")
        _problem(book, Cell(sheet, ws.max_row, 1), "PP702", message)
        return None
    return found


def _rows(
    book: Workbook, formulas: Any, values: Any, columns: dict[str, int], table: Table
) -> list[Row]:
    """The rows with anything in them (or a cell that could not be read); in a table of
    prefilled rows, anything besides the key."""
    found = []
    sheet = formulas.title
    known = table.by_path
    for number in range(FIRST_ROW, formulas.max_row + 1):
        row = Row(number, {}, {})
        reported = len(book.findings)
        for name, column in columns.items():
            cell = Cell(sheet, number, column)
            row.cells[name] = cell
            before = len(book.findings)
            row.values[name] = _convert(book, cell, known[name], formulas, values)
            if len(book.findings) > before:
                row.unread.add(name)
        filled = [v for k, v in row.values.items() if not (table.prefilled and k == table.key)]
        if any(v is not None for v in filled) or len(book.findings) > reported:
            found.append(row)
    return found


def _list(book: Workbook, table: Table, formulas: Any, values: Any) -> None:
    columns = _paths(book, formulas, table)
    if columns is not None:
        rows = _rows(book, formulas, values, columns, table)
        book.lists[table.listed] = Listed(table, columns, rows)


def _activities(book: Workbook, table: Table, formulas: Any, values: Any) -> None:
    columns = _paths(book, formulas, table)
    if columns is None:
        return
    book.activity_columns = columns
    for row in _rows(book, formulas, values, columns, table):
        project = row.values.get(table.key)
        if project is None:
            message = msg("this activity has no `project`: give the id of its project")
            _problem(book, row.cells[table.key], "PP101", message)
        else:
            book.activities.setdefault(project, []).append(row)


def _raw(book: Workbook, cell: Cell, formulas: Any, values: Any) -> Any:
    """A cell's value; a formula's computed value, or an error when it has none."""
    source = formulas.cell(cell.row, cell.column)
    if source.data_type != "f":
        return source.value
    computed = values.cell(cell.row, cell.column).value
    if computed is None:
        message = msg(
            "formula `{formula}` has no computed value; open and save the workbook in Excel "
            "or LibreOffice, or type the value",
            formula=str(source.value)[:60],
        )
        _problem(book, cell, "PP703", message)
    return computed


def _convert(book: Workbook, cell: Cell, column: Column, formulas: Any, values: Any) -> Any:
    raw = _raw(book, cell, formulas, values)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    shown = str(raw)[:60]
    if column.kind == "amount":
        amount = amount_of(raw)
        if amount is None:
            message = msg(
                "`{value}` is not an amount of baht; type a number such as 1500000 or 1,500,000.50",
                value=shown,
            )
            _problem(book, cell, "PP108", message)
        return amount
    if column.kind == "percent":
        percent = _percent(raw, formulas.cell(cell.row, cell.column).number_format)
        if percent is None:
            message = msg(
                "`{value}` is not a percentage; type a number from 0 to 100 such as 45", value=shown
            )
            _problem(book, cell, "PP103", message)
        return percent
    if column.kind == "value":  # a number cell is a number, anything else text
        if isinstance(raw, bool):
            _problem(
                book, cell, "PP103", msg("`{value}` is neither a number nor text", value=shown)
            )
            return None
        return amount_of(raw) if isinstance(raw, int | float | Decimal) else _text(raw)
    if column.kind == "flag":
        flag = _flag(raw)
        if flag is None:
            message = msg(
                "`{value}` is not TRUE or FALSE; choose TRUE (met) or FALSE (not met)", value=shown
            )
            _problem(book, cell, "PP103", message)
        return flag
    if column.kind == "list":
        return [line for line in (_text(raw).splitlines()) if line.strip()] or None
    return _text(raw)


def _percent(raw: Any, number_format: str) -> Decimal | None:
    """A percentage: 55, or a cell formatted as a percentage (55% is 0.55 in such a cell),
    or text `55%`."""
    if isinstance(raw, str) and raw.strip().endswith("%"):
        return amount_of(raw.strip()[:-1])
    found = amount_of(raw)
    if found is not None and "%" in (number_format or ""):
        found = (found * 100).normalize()
        found = found.quantize(Decimal(1)) if found == found.to_integral_value() else found
    return found


def _flag(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        word = nfc(raw).strip().lower()
        return True if word in _YES else False if word in _NO else None
    return None


def _date(book: Workbook, cell: Cell, raw: Any) -> datetime.date | None:
    """A date cell, or text such as `2025-03-31`; a Buddhist-era year is an error that gives
    the Christian-era year (`as_of` is written as YAML writes dates)."""
    if raw is None:
        return None
    found: datetime.date | None = None
    if isinstance(raw, datetime.datetime):
        found = raw.date()
    elif isinstance(raw, datetime.date):
        found = raw
    elif isinstance(raw, str):
        try:
            found = datetime.date.fromisoformat(raw.translate(_THAI_DIGITS).strip())
        except ValueError:
            found = None
    if found is None:
        message = msg(
            "`{value}` is not a date; type it as 2025-03-31 (year-month-day)", value=str(raw)[:60]
        )
        _problem(book, cell, "PP110", message)
        return None
    if found.year in BE_YEARS:
        ce = found.year - BE_OFFSET
        try:
            message = msg(
                "{date} has a Buddhist-era year; dates are written in the Christian era: {meant}",
                date=found.isoformat(),
                meant=found.replace(year=ce).isoformat(),
            )
        except ValueError:  # 29 February of a year that is not a leap year in CE
            message = msg(
                "{date} has a Buddhist-era year; dates are written in the Christian era: the "
                "year {year}",
                date=found.isoformat(),
                year=ce,
            )
        _problem(book, cell, "PP110", message)
        return None
    return found


def amount_of(raw: Any) -> Decimal | None:
    """An amount from a cell, exactly; None when the cell holds no number."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        try:
            found = Decimal(repr(raw))  # the shortest repr: what the cell shows, not the float
        except InvalidOperation:
            return None
        return found if found.is_finite() else None
    if isinstance(raw, str):
        written = raw.translate(_THAI_DIGITS).replace(" ", "").replace("\u00a0", "").strip()
        if _NUMBER.fullmatch(written):
            return Decimal(written.replace(",", ""))
    return None


def _text(raw: Any) -> str:
    """Text of a cell: a number typed into a text column as it shows (`1.1`, `3`)."""
    if isinstance(raw, float):
        raw = Decimal(repr(raw))
    if isinstance(raw, Decimal) and raw == raw.to_integral_value():
        raw = int(raw)
    value = nfc(str(raw)).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in value.strip().split("\n"))


def _whole(raw: Any) -> Any:
    """A plan-level value: numbers (the fiscal year, format version) as whole numbers."""
    amount = amount_of(raw)
    if amount is not None and amount == amount.to_integral_value():
        return int(amount)
    return _text(raw) if raw is not None else None
