"""Writing the tables: a CSV or Parquet file per table in a folder, or one workbook.

Rows are streamed out file by file (a national set never sits in memory as rows). Amounts
stay exact in every format: CSV writes them as decimal text with two places (`1500000.00`;
read them as DECIMAL, never as float), Parquet as decimal(18,2), the workbook as numbers with
a baht format (Excel itself holds doubles: exact to the satang up to 90 trillion baht). Plan
text in the workbook is always a string cell, never a formula. CSV keeps text exactly as
written (a leading `=` included): it is for data tools; open the workbook in Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path
from typing import Any

from provplan.escape import xlsx_row
from provplan.i18n import msg
from provplan.output import staged
from provplan.tables.rows import TABLES, Rows, Table, each_file
from provplan.validate import CheckResult

CENT = Decimal("0.01")
WORKBOOK = "tables.xlsx"
BATCH = 5_000  # Parquet rows per row group: bounds memory, still large groups


def write_tables(result: CheckResult, out: Path, fmt: str, *, jobs: int | None = None) -> list[str]:
    """Write every table of the checked plans into `out`; all files replace earlier ones
    together or, on failure, none does. Returns the file names written."""
    if fmt == "parquet":
        _need_pyarrow()
    sinks: dict[str, type[Sink]] = {"csv": CsvSink, "parquet": ParquetSink, "xlsx": XlsxSink}
    with staged(out) as staging:
        sink = sinks[fmt](staging.folder)
        sink.write(each_file(result.plans, jobs_count=jobs))
        staging.files += [Path(name) for name in sink.names]
    return sink.names


class Sink:
    """Writes the tables into a folder from the rows of one file after another."""

    names: list[str]

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, files: Iterable[Rows]) -> None:
        raise NotImplementedError


class CsvSink(Sink):
    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.names = [f"{t.name}.csv" for t in TABLES]

    def write(self, files: Iterable[Rows]) -> None:
        with ExitStack() as stack:
            writers = {}
            for table in TABLES:
                path = self.folder / f"{table.name}.csv"
                handle = stack.enter_context(open(path, "w", encoding="utf-8", newline=""))
                writers[table.name] = csv.writer(handle, lineterminator="\n")
                writers[table.name].writerow(table.names)
            money = {t.name: _amount_columns(t) for t in TABLES}
            for rows in files:
                for name, items in rows.items():
                    writers[name].writerows(_csv_row(row, money[name]) for row in items)


def _amount_columns(table: Table) -> list[int]:
    return [i for i, (_, kind) in enumerate(table.columns) if kind == "amount"]


def _csv_row(row: Sequence[Any], amounts: list[int]) -> Sequence[Any]:
    if not amounts:
        return row
    values = list(row)
    for i in amounts:
        if values[i] is not None:
            values[i] = f"{values[i]:.2f}"
    return values


def _need_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ImportError(
            msg("Parquet needs pyarrow: pip install 'provplan[parquet]' (or use --format csv)")
        ) from None


class ParquetSink(Sink):
    """A Parquet file per table, written a row group at a time."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.names = [f"{t.name}.parquet" for t in TABLES]

    def write(self, files: Iterable[Rows]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {
            "text": pa.string(),
            "int": pa.int32(),
            "amount": pa.decimal128(18, 2),
            "number": pa.decimal128(38, 9),
        }
        schemas = {t.name: pa.schema([(n, types[kind]) for n, kind in t.columns]) for t in TABLES}
        writers = {
            t.name: pq.ParquetWriter(self.folder / f"{t.name}.parquet", schemas[t.name])
            for t in TABLES
        }
        pending: dict[str, list[tuple[Any, ...]]] = {t.name: [] for t in TABLES}
        kinds = {t.name: [kind for _, kind in t.columns] for t in TABLES}
        try:
            for rows in files:
                for name, items in rows.items():
                    pending[name] += items
                    if len(pending[name]) >= BATCH:
                        writers[name].write_table(_arrow(pending[name], schemas[name], kinds[name]))
                        pending[name] = []
            for name, items in pending.items():
                if items:
                    writers[name].write_table(_arrow(items, schemas[name], kinds[name]))
        finally:
            for writer in writers.values():
                writer.close()


def _arrow(rows: Sequence[tuple[Any, ...]], schema: Any, kinds: Sequence[str]) -> Any:
    import pyarrow as pa

    columns: list[list[Any]] = [list(c) for c in zip(*rows, strict=True)]
    for i, kind in enumerate(kinds):
        if kind == "amount":
            columns[i] = [v.quantize(CENT) if isinstance(v, Decimal) else v for v in columns[i]]
        elif kind == "number":
            columns[i] = [_fits(v) for v in columns[i]]
    arrays = [pa.array(values, type=schema.field(i).type) for i, values in enumerate(columns)]
    return pa.Table.from_arrays(arrays, schema=schema)


def _fits(value: Decimal | None) -> Decimal | None:
    """A target as decimal(38,9), or none when it has more places than that holds."""
    if value is None or not value.is_finite():
        return None
    exponent = value.as_tuple().exponent
    if (isinstance(exponent, int) and exponent < -9) or abs(value) >= Decimal(10) ** 29:
        return None
    return value


class XlsxSink(Sink):
    """One workbook, a sheet per table (openpyxl's write-only mode streams each sheet)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.names = [WORKBOOK]

    def write(self, files: Iterable[Rows]) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        book = Workbook(write_only=True)
        bold = Font(bold=True)
        sheets = {}
        for table in TABLES:
            sheet = sheets[table.name] = book.create_sheet(table.name)
            sheet.freeze_panes = "A2"
            header = []
            for name in table.names:
                cell = WriteOnlyCell(sheet, name)
                cell.font = bold
                header.append(cell)
            sheet.append(header)
        kinds = {t.name: [kind for _, kind in t.columns] for t in TABLES}
        for rows in files:
            for name, items in rows.items():
                sheet = sheets[name]
                for row in items:
                    sheet.append(
                        [_cell(sheet, v, k) for v, k in zip(row, kinds[name], strict=True)]
                    )
        buffer = io.BytesIO()
        book.save(buffer)
        (self.folder / WORKBOOK).write_bytes(buffer.getvalue())


def _cell(sheet: Any, value: Any, kind: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None or isinstance(value, int | Decimal):
        cell = WriteOnlyCell(sheet, value)
        if kind == "amount":
            cell.number_format = "#,##0.00"
        return cell
    [text] = xlsx_row([str(value)])
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"  # plan text is data: `=…` stays text
    return cell
