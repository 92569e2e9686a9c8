"""Writing the tables: a CSV or Parquet file per table in a folder, or one workbook.

Amounts stay exact in every format: CSV writes them as decimal text with two places
(`1500000.00`; read them as DECIMAL, never as float), Parquet as decimal(18,2), the workbook
as numbers with a baht format (Excel itself holds doubles; exact to the satang up to
90 trillion baht). Plan text in the workbook is always a string cell, never a formula.
CSV keeps text exactly as written (a leading `=` included): it is for data tools; open the
workbook in Excel.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from provplan.output import staged
from provplan.tables.rows import TABLES, Rows, Table, all_rows
from provplan.validate import CheckResult

CENT = Decimal("0.01")
WORKBOOK = "tables.xlsx"


def write_tables(result: CheckResult, out: Path, fmt: str, *, jobs: int | None = None) -> list[str]:
    """Write every table of the checked plans into `out`; all files replace earlier ones
    together or, on failure, none does. Returns the file names written."""
    writer = {"csv": _csv, "parquet": _parquet, "xlsx": None}[fmt]
    if fmt == "parquet":
        _need_pyarrow()
    rows = all_rows(result.plans, jobs_count=jobs)
    with staged(out) as staging:
        if writer is None:
            _put(staging, WORKBOOK, _xlsx(rows))
            return [WORKBOOK]
        names = []
        for table in TABLES:
            name = f"{table.name}.{fmt}"
            _put(staging, name, writer(table, rows[table.name]))
            names.append(name)
    return names


def _put(staging: Any, name: str, content: bytes) -> None:
    path = staging.folder / name
    with open(path, "wb") as handle:
        handle.write(content)
    os.chmod(path, 0o644)
    staging.files.append(Path(name))


def _money(value: Any) -> Any:
    return value.quantize(CENT) if isinstance(value, Decimal) else value


def _csv(table: Table, rows: Sequence[tuple[Any, ...]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.names)
    amounts = [i for i, (_, kind) in enumerate(table.columns) if kind == "amount"]
    for row in rows:
        values = list(row)
        for i in amounts:
            if values[i] is not None:
                values[i] = f"{values[i]:.2f}"
        writer.writerow(values)
    return buffer.getvalue().encode("utf-8")


def _need_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ImportError(
            "Parquet needs pyarrow: pip install 'provplan[parquet]' (or use --format csv)"
        ) from None


def _parquet(table: Table, rows: Sequence[tuple[Any, ...]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        "text": pa.string(),
        "int": pa.int32(),
        "amount": pa.decimal128(18, 2),
        "number": pa.decimal128(38, 9),
    }
    schema = pa.schema([(name, types[kind]) for name, kind in table.columns])
    columns: list[list[Any]] = [[] for _ in table.columns]
    for row in rows:
        for i, value in enumerate(row):
            columns[i].append(value)
    for i, (_, kind) in enumerate(table.columns):
        if kind == "amount":
            columns[i] = [_money(v) for v in columns[i]]
        elif kind == "number":
            columns[i] = [_fits(v) for v in columns[i]]
    arrays = [pa.array(values, type=schema.field(i).type) for i, values in enumerate(columns)]
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), buffer)
    return buffer.getvalue()


def _fits(value: Decimal | None) -> Decimal | None:
    """A target as decimal(38,9), or none when it has more places than that holds."""
    if value is None or not value.is_finite():
        return None
    exponent = value.as_tuple().exponent
    if (isinstance(exponent, int) and exponent < -9) or abs(value) >= Decimal(10) ** 29:
        return None
    return value


def _xlsx(rows: Rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in TABLES:
        sheet = book.create_sheet(table.name)
        sheet.freeze_panes = "A2"
        header = []
        for name in table.names:
            cell = WriteOnlyCell(sheet, name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        kinds = [kind for _, kind in table.columns]
        for row in rows[table.name]:
            sheet.append(
                [_cell(sheet, value, kind) for value, kind in zip(row, kinds, strict=True)]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(sheet: Any, value: Any, kind: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None or isinstance(value, int | Decimal):
        cell = WriteOnlyCell(sheet, value)
        if kind == "amount":
            cell.number_format = "#,##0.00"
        return cell
    cell = WriteOnlyCell(sheet, str(value))
    cell.data_type = "s"  # plan text is data: `=…` stays text
    return cell
