"""Rollup reports: table (rich), csv, json, md and xlsx, all from the same `Rollup` values.

Table, Markdown and Excel share one grid (sections of labelled rows, one `Amounts` per year),
so the three agree by construction; csv and json are written from the rollup itself.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO, TextIO

from provplan.budget import AMOUNT_KEYS as KEYS
from provplan.budget import Amounts
from provplan.channels import CATEGORIES, CATEGORY_SHORT
from provplan.escape import md_escape, sheet_text, terminal, xlsx_row
from provplan.registry import Registry
from provplan.rollup import ClusterRollup, Line, Rollup, RollupResult, part_order, tidy
from provplan.thai import baht


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _four(amounts: Amounts) -> dict[str, str]:
    return {k: _money(v) for k, v in amounts.as_dict().items()}


# --- json and csv: straight from the rollup -------------------------------------------------


def _line_json(line: Line, key: str) -> dict[str, Any]:
    found: dict[str, Any] = {key: line.owner, **_four(line.amounts), "projects": len(line.entries)}
    if line.parts:
        found["breakdown"] = [
            {"key": p.key, "label": p.label, **_four(p.amounts)} for p in line.parts
        ]
    return found


def _cluster_json(c: ClusterRollup) -> dict[str, Any]:
    return {
        "cluster": c.cluster.id,
        "region": c.cluster.region,
        **_four(c.amounts),
        "cluster_level": _line_json(c.cluster_level, "cluster"),
        "provinces": [_line_json(p, "province") for p in c.provinces],
        "missing": c.missing,
        "cluster_plan_missing": c.cluster_plan_missing,
    }


def _year_json(r: Rollup) -> dict[str, Any]:
    return {
        "fiscal_year": r.fiscal_year,
        "clusters": [_cluster_json(c) for c in r.clusters],
        "national": _four(r.amounts),
    }


def write_json(result: RollupResult, out: TextIO) -> None:
    rollups = result.years
    document = (
        _year_json(rollups[0]) if len(rollups) == 1 else {"years": [_year_json(r) for r in rollups]}
    )
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(result: RollupResult, out: TextIO) -> None:
    rollups = result.years
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["fiscal_year", "region", "cluster", "level", "owner", "channel", "projects", "amount"]
    )
    for row in tidy(rollups):
        writer.writerow(
            [
                row.fiscal_year,
                sheet_text(row.region),  # ids from provplan.yaml: text, never a formula
                sheet_text(row.cluster),
                row.level,
                sheet_text(row.owner),
                row.channel,
                row.projects,
                _money(row.amount),
            ]
        )


# --- the grid shared by table, md and xlsx --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    amounts: list[Amounts]  # one per fiscal year
    kind: str = "line"  # line | part | total
    note: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    rows: list[Row]


def _name(registry: Registry, owner: str) -> str:
    province = registry.province_by_id.get(owner)
    return province.name_th if province else owner


def grid(rollups: Sequence[Rollup], registry: Registry) -> list[Section]:
    """One section per cluster (rows: cluster level, provinces, total), then a national one."""
    sections = []
    for i, first in enumerate(rollups[0].clusters):
        per_year = [r.clusters[i] for r in rollups]
        rows = _rows(
            [c.cluster_level for c in per_year],
            "ระดับกลุ่มจังหวัด",
            _missing(c.fiscal_year for c in per_year if c.cluster_plan_missing),
        )
        for j, member in enumerate(first.cluster.members):
            note = _missing(c.fiscal_year for c in per_year if member in c.missing)
            rows += _rows([c.provinces[j] for c in per_year], _name(registry, member), note)
        rows.append(Row("รวมกลุ่มจังหวัด", [c.amounts for c in per_year], "total"))
        sections.append(Section(f"{first.cluster.name_th} ({first.cluster.id})", rows))
    if len(rollups[0].clusters) > 1:
        rows = [
            Row(c.cluster.name_th, [r.clusters[i].amounts for r in rollups])
            for i, c in enumerate(rollups[0].clusters)
        ]
        rows.append(Row("รวมทั้งหมด", [r.amounts for r in rollups], "total"))
        sections.append(Section("รวมทุกกลุ่มจังหวัด", rows))
    return sections


def _missing(years: Iterable[int]) -> str:
    listed = ", ".join(map(str, years))
    return f"ไม่มีแผนปฏิบัติราชการปี {listed}" if listed else ""


def _rows(lines: list[Line], label: str, note: str) -> list[Row]:
    rows = [Row(label, [line.amounts for line in lines], "line", note)]
    labels = {p.key: p.label for line in lines for p in line.parts}
    for key in sorted(labels, key=part_order):
        amounts = [
            next((p.amounts for p in line.parts if p.key == key), Amounts()) for line in lines
        ]
        rows.append(Row(labels[key], amounts, "part"))
    return rows


def _headers(rollups: Sequence[Rollup]) -> list[str]:
    if len(rollups) == 1:
        return [CATEGORIES[k] for k in KEYS]
    return [f"{r.fiscal_year} {CATEGORY_SHORT[k]}" for r in rollups for k in KEYS]


def _cells(row: Row) -> list[str]:
    return [baht(a.as_dict()[k], satang=True) for a in row.amounts for k in KEYS]


def _title(rollups: Sequence[Rollup]) -> str:
    years = ", ".join(str(r.fiscal_year) for r in rollups)
    return f"ปีงบประมาณ พ.ศ. {years} (บาท)"


def write_md(result: RollupResult, out: TextIO) -> None:
    rollups, registry = result.years, result.registry
    out.write(f"## งบประมาณกลุ่มจังหวัด {_title(rollups)}\n")
    headers = _headers(rollups)
    for section in grid(rollups, registry):
        out.write(f"\n### {md_escape(section.title)}\n\n")
        out.write("| | " + " | ".join(headers) + " |\n")
        out.write("| --- |" + " ---: |" * len(headers) + "\n")
        notes = []
        for row in section.rows:
            text = md_escape(row.label)
            label = {"total": f"**{text}**", "part": f"&nbsp;&nbsp;↳ {text}"}.get(row.kind, text)
            cells = [f"**{c}**" if row.kind == "total" else c for c in _cells(row)]
            out.write(f"| {label} | " + " | ".join(cells) + " |\n")
            if row.note:
                notes.append(f"{row.label}: {row.note}")
        for note in notes:
            out.write(f"\n> ⚠ {md_escape(note)}\n")


def write_table(result: RollupResult, out: TextIO) -> None:
    rollups, registry = result.years, result.registry
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # plan and registry text is never rich markup

    # Off a terminal nothing limits the width: a table in a file or a pipe is never cut.
    console = Console(file=out, width=None if out.isatty() else 10_000, highlight=False)
    for section in grid(rollups, registry):
        title = Text(terminal(f"{section.title} — {_title(rollups)}"))
        table = Table(title=title, title_justify="left")
        cells = [_cells(row) for row in section.rows]
        table.add_column("", overflow="fold")
        for i, header in enumerate(_headers(rollups)):
            table.add_column(
                header, justify="right", no_wrap=True, min_width=max(len(c[i]) for c in cells)
            )
        notes = any(row.note for row in section.rows)
        if notes:
            table.add_column("หมายเหตุ", overflow="fold")
        for row, row_cells in zip(section.rows, cells, strict=True):
            label = Text(terminal(f"  ↳ {row.label}" if row.kind == "part" else row.label))
            style = "bold" if row.kind == "total" else "dim" if row.kind == "part" else None
            extra = [Text(terminal(row.note))] if notes else []
            table.add_row(label, *row_cells, *extra, style=style, end_section=row.kind == "total")
        console.print(table)


def write_xlsx(result: RollupResult, out: BinaryIO) -> None:
    """A workbook: a sheet per fiscal year with numbers as numbers, and the tidy rows."""
    rollups, registry = result.years, result.registry
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    money = "#,##0.00"
    for rollup in rollups:
        sheet = book.create_sheet(f"ปีงบประมาณ {rollup.fiscal_year}")
        sheet.append(["กลุ่มจังหวัด", "รายการ", *(CATEGORIES[k] for k in KEYS), "หมายเหตุ"])
        for section in grid([rollup], registry):
            for row in section.rows:
                label = f"    {row.label}" if row.kind == "part" else row.label
                values = [row.amounts[0].as_dict()[k] for k in KEYS]
                sheet.append(xlsx_row([section.title, label, *values, row.note]))
                if row.kind == "total":
                    for cell in sheet[sheet.max_row]:
                        cell.font = Font(bold=True)
        _finish(sheet, money, widths=(45, 40, 18, 18, 18, 18, 30))
    data = book.create_sheet("ข้อมูล")
    data.append(
        [
            "fiscal_year",
            "region",
            "cluster",
            "level",
            "owner",
            "owner_th",
            "channel",
            "projects",
            "amount",
        ]
    )
    for r in tidy(rollups):
        data.append(
            [
                r.fiscal_year,
                r.region,
                r.cluster,
                r.level,
                r.owner,
                _name(registry, r.owner),
                r.channel,
                r.projects,
                r.amount,
            ]
        )
    _finish(data, money, widths=(12, 16, 20, 10, 22, 20, 26, 10, 18))
    book.save(out)


def _finish(sheet: Any, money: str, widths: Sequence[int]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, Decimal):
                _amount_cell(cell, money)
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # plan text starting with `=` stays text, not a formula


EXACT_IN_SHEET = Decimal(10) ** 13
"""Spreadsheets hold numbers as binary doubles: 15 significant digits, so every amount below
10^13 baht keeps its satang. Larger figures (national totals) are written as exact text."""


def _amount_cell(cell: Any, money: str) -> None:
    from openpyxl.styles import Alignment

    value: Decimal = cell.value
    if abs(value) < EXACT_IN_SHEET:
        cell.number_format = money
    else:
        cell.value = f"{value:,.2f}"
        cell.data_type = "s"
        cell.alignment = Alignment(horizontal="right")


WRITERS = {"table": write_table, "csv": write_csv, "json": write_json, "md": write_md}
