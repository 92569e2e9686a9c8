"""Progress reports: table (rich), csv, json, md and xlsx, all from the same `Progress` values.

Table, Markdown and Excel share one grid (per cluster: cluster level, provinces, total; then
the nation) and the two lists a reviewer asks for next: projects at risk, indicators not met.
Plan text (titles, problems, remedies) is escaped for each output language.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO, TextIO

from provplan.escape import md_escape, sheet_text, terminal, xlsx_row
from provplan.model.plan import STATUSES
from provplan.progress import (
    ClusterProgress,
    Figures,
    Line,
    Progress,
    ProgressResult,
    Risk,
    Unmet,
)
from provplan.registry import Registry
from provplan.thai import STATUSES as STATUS_TH
from provplan.thai import STATUSES_SHORT, baht, quarter_name, round_name


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _value(value: Decimal | str) -> str:
    return value if isinstance(value, str) else f"{value:,}"


def _name(registry: Registry, owner: str) -> str:
    province = registry.province_by_id.get(owner)
    if province:
        return province.name_th
    cluster = registry.cluster_by_id.get(owner)
    return cluster.name_th if cluster else owner


# --- json -------------------------------------------------------------------------------------


def _figures_json(f: Figures, target: Decimal | None) -> dict[str, Any]:
    return {
        "allocated": _money(f.allocated),
        "committed": _money(f.committed),
        "disbursed": _money(f.disbursed),
        "disbursement_rate": _rate(f.disbursement_rate),
        "spending_rate": _rate(f.spending_rate),
        "gap": _rate(f.gap(target)),
    }


def _line_json(line: Line, target: Decimal | None, key: str | None = None) -> dict[str, Any]:
    """The cluster level, or with `key` a province: the same keys plus `province`."""
    return {
        **({key: line.owner} if key else {}),
        "reported": line.reported,
        "as_of": line.report.as_of.isoformat() if line.report else None,
        **_figures_json(line.figures, target),
        "projects": line.projects,
        "status": line.status,
        "indicators": {
            "met": line.indicators.met,
            "not_met": line.indicators.not_met,
            "no_data": line.indicators.no_data,
        },
    }


def _cluster_json(c: ClusterProgress, target: Decimal | None) -> dict[str, Any]:
    return {
        "cluster": c.cluster.id,
        "region": c.cluster.region,
        **_figures_json(c.figures, target),
        "cluster_level": _line_json(c.cluster_level, target),
        "provinces": [_line_json(p, target, "province") for p in c.provinces],
        "missing": c.missing,
        "cluster_report_missing": not c.cluster_level.reported,
    }


def _risk_json(r: Risk) -> dict[str, Any]:
    return {
        "owner": r.owner,
        "project": r.progress.id,
        "title": r.project.title if r.project else None,
        "channel": r.project.channel if r.project else None,
        "status": r.progress.status,
        "allocated": _money(r.figures.allocated),
        "disbursed": _money(r.figures.disbursed),
        "disbursement_rate": _rate(r.figures.disbursement_rate),
        "progress": f"{r.progress.progress}",
        "reasons": r.reasons,
        "problems": list(r.progress.problems),
        "remedies": list(r.progress.remedies),
    }


def _unmet_json(u: Unmet) -> dict[str, Any]:
    def plain(value: Decimal | str) -> str:
        return value if isinstance(value, str) else str(value)

    return {
        "owner": u.owner,
        "indicator": u.indicator.id,
        "name": u.indicator.name,
        "unit": u.indicator.unit,
        "direction": u.indicator.direction,
        "target": plain(u.target),
        "actual": plain(u.result.actual),
        "note": u.result.note,
    }


def as_json(p: Progress) -> dict[str, Any]:
    return {
        "fiscal_year": p.fiscal_year,
        "quarter": p.quarter,
        "target_rate": _rate(p.target_rate),
        "clusters": [_cluster_json(c, p.target_rate) for c in p.clusters],
        "national": _figures_json(p.figures, p.target_rate),
        "at_risk": [_risk_json(r) for r in p.at_risk],
        "indicators_not_met": [_unmet_json(u) for u in p.not_met],
    }


def write_json(result: ProgressResult, out: TextIO) -> None:
    p = result.quarters[-1]
    json.dump(as_json(p), out, ensure_ascii=False, indent=2)
    out.write("\n")


# --- csv: tidy rows -----------------------------------------------------------------------------

CSV_COLUMNS = (
    "record",
    "fiscal_year",
    "quarter",
    "region",
    "cluster",
    "level",
    "owner",
    "reported",
    "item",
    "title",
    "status",
    "projects",
    "allocated",
    "committed",
    "disbursed",
    "disbursement_rate",
    "spending_rate",
    "target_rate",
    "gap",
    "progress",
    *(f"status_{s}" for s in STATUSES),
    "indicators_met",
    "indicators_not_met",
    "indicators_no_data",
    "target",
    "actual",
    "reasons",
    "problems",
    "remedies",
)


def csv_rows(p: Progress) -> list[dict[str, Any]]:
    """One row per cluster level and member province (`record` figures, also for members that
    did not report), per project at risk and per indicator not met; empty where n/a."""
    rows: list[dict[str, Any]] = []
    base = {"fiscal_year": p.fiscal_year, "quarter": p.quarter, "target_rate": _rate(p.target_rate)}
    for c in p.clusters:
        where = {**base, "region": c.cluster.region, "cluster": c.cluster.id}
        for line in [c.cluster_level, *c.provinces]:
            figures = _figures_json(line.figures, p.target_rate)
            rows.append(
                {
                    "record": "figures",
                    **where,
                    "level": line.level,
                    "owner": line.owner,
                    "reported": str(line.reported).lower(),
                    "projects": line.projects,
                    **figures,
                    **{f"status_{s}": n for s, n in line.status.items()},
                    "indicators_met": line.indicators.met,
                    "indicators_not_met": line.indicators.not_met,
                    "indicators_no_data": line.indicators.no_data,
                }
            )
        for owner in c.missing:
            rows.append(
                {"record": "figures", **where, "level": "province", "owner": owner}
                | {"reported": "false"}
            )
    for r in p.at_risk:
        rows.append(
            {
                "record": "at_risk",
                **base,
                "owner": r.owner,
                "item": r.progress.id,
                "title": sheet_text(r.project.title) if r.project else "",
                "status": r.progress.status,
                "allocated": _money(r.figures.allocated),
                "disbursed": _money(r.figures.disbursed),
                "disbursement_rate": _rate(r.figures.disbursement_rate),
                "progress": str(r.progress.progress),
                "reasons": "; ".join(r.reasons),
                "problems": sheet_text("; ".join(r.progress.problems)),
                "remedies": sheet_text("; ".join(r.progress.remedies)),
            }
        )
    for u in p.not_met:
        rows.append(
            {
                "record": "indicator_not_met",
                **base,
                "owner": u.owner,
                "item": u.indicator.id,
                "title": sheet_text(u.indicator.name),
                "target": _cell_text(u.target),
                "actual": _cell_text(u.result.actual),
            }
        )
    return rows


def _cell_text(value: Decimal | str) -> str:
    """A number as it is; plan text made safe for a spreadsheet."""
    return sheet_text(value) if isinstance(value, str) else str(value)


def write_csv(result: ProgressResult, out: TextIO) -> None:
    """Tidy rows; plan text is already made safe for spreadsheets in `csv_rows`."""
    p = result.quarters[-1]
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n", restval="")
    writer.writeheader()
    for row in csv_rows(p):
        writer.writerow({k: v for k, v in row.items() if v is not None})


# --- the grid shared by table, md and xlsx ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    figures: Figures | None  # None: did not report
    kind: str = "line"  # line | total | missing
    status: str = ""
    indicators: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    rows: list[Row]


HEADERS = (
    "ได้รับจัดสรร",
    "ก่อหนี้ผูกพัน",
    "เบิกจ่าย",
    "ร้อยละเบิกจ่าย",
    "ร้อยละใช้จ่าย",
    "ต่างจากเป้าหมาย (จุด)",
    "สถานะโครงการ",
    "ตัวชี้วัด บรรลุ/ไม่บรรลุ/ไม่มีข้อมูล",
)


def _status_text(line: Line) -> str:
    return ", ".join(f"{STATUSES_SHORT[s]} {n}" for s, n in line.status.items() if n)


def _line_row(line: Line, label: str) -> Row:
    if not line.reported:
        return Row(label, None, "missing", "ไม่ได้รายงาน")  # its sums are left out
    i = line.indicators
    return Row(label, line.figures, "line", _status_text(line), f"{i.met}/{i.not_met}/{i.no_data}")


def grid(p: Progress, registry: Registry) -> list[Section]:
    sections = []
    for c in p.clusters:
        rows = [_line_row(c.cluster_level, "ระดับกลุ่มจังหวัด")]
        reported = {line.owner: line for line in c.provinces}
        for member in c.cluster.members:
            label = _name(registry, member)
            line = reported.get(member)
            rows.append(
                _line_row(line, label) if line else Row(label, None, "missing", "ไม่ได้รายงาน")
            )
        rows.append(Row("รวมกลุ่มจังหวัด", c.figures, "total"))
        sections.append(Section(f"{c.cluster.name_th} ({c.cluster.id})", rows))
    if len(p.clusters) > 1:
        rows = [Row(c.cluster.name_th, c.figures) for c in p.clusters]
        rows.append(Row("รวมทั้งประเทศ", p.figures, "total"))
        sections.append(Section("รวมทุกกลุ่มจังหวัด", rows))
    return sections


def _cells(row: Row, target: Decimal | None) -> list[str]:
    f = row.figures
    if f is None:
        return ["—"] * 6 + [row.status, row.indicators]
    gap = f.gap(target)
    return [
        baht(f.allocated, satang=True),
        baht(f.committed, satang=True),
        baht(f.disbursed, satang=True),
        _pct(f.disbursement_rate),
        _pct(f.spending_rate),
        "—" if gap is None else f"{gap:+.2f}",
        row.status,
        row.indicators,
    ]


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def title(p: Progress) -> str:
    target = "ไม่ได้กำหนด" if p.target_rate is None else f"ร้อยละ {p.target_rate:.2f}"
    return (
        f"ผลการดำเนินงานและการเบิกจ่าย ปีงบประมาณ พ.ศ. {p.fiscal_year} "
        f"{quarter_name(p.fiscal_year, p.quarter)} {round_name(p.quarter)} — "
        f"เป้าหมายการเบิกจ่ายสะสม {target}"
    )


def _reasons(r: Risk) -> str:
    return "; ".join(r.reasons)


def risk_lines(p: Progress, registry: Registry) -> list[list[str]]:
    """owner, project, status, allocated, disbursed, rate, progress, reasons, problems,
    remedies — as plain text (each writer escapes it for its language)."""
    return [
        [
            _name(registry, r.owner),
            f"{r.progress.id} {r.project.title if r.project else ''}".strip(),
            STATUS_TH[r.progress.status],
            baht(r.figures.allocated, satang=True),
            baht(r.figures.disbursed, satang=True),
            _pct(r.figures.disbursement_rate),
            f"{r.progress.progress}",
            _reasons(r),
            "; ".join(r.progress.problems),
            "; ".join(r.progress.remedies),
        ]
        for r in p.at_risk
    ]


RISK_HEADERS = (
    "หน่วยงาน",
    "โครงการ",
    "สถานะ",
    "ได้รับจัดสรร",
    "เบิกจ่าย",
    "ร้อยละเบิกจ่าย",
    "ความก้าวหน้า (%)",
    "เหตุที่ต้องติดตาม",
    "ปัญหาอุปสรรค",
    "แนวทางแก้ไข",
)
UNMET_HEADERS = ("หน่วยงาน", "ตัวชี้วัด", "หน่วยนับ", "ค่าเป้าหมาย", "ผลการดำเนินงาน", "หมายเหตุ")


def unmet_lines(p: Progress, registry: Registry) -> list[list[str]]:
    return [
        [
            _name(registry, u.owner),
            f"{u.indicator.id} {u.indicator.name}",
            u.indicator.unit,
            _value(u.target),
            _value(u.result.actual),
            u.result.note or "",
        ]
        for u in p.not_met
    ]


# --- md -----------------------------------------------------------------------------------------


_NUMBER = re.compile(r"^[-+]?[\d,]+(\.\d+)?$")


def _md_cell(text: str, bold: bool = False) -> str:
    """Plan text escaped; a figure as it is (escaping would show `\27.59` for `27.59`)."""
    cell = text if _NUMBER.match(text) or text == "—" else md_escape(text)
    return f"**{cell}**" if bold and cell else cell


def _md_row(cells: Sequence[str], bold: bool = False) -> str:
    return "| " + " | ".join(_md_cell(c, bold) for c in cells) + " |\n"


def write_md(result: ProgressResult, out: TextIO) -> None:
    p, registry = result.quarters[-1], result.registry
    out.write(f"## {md_escape(title(p))}\n")
    for section in grid(p, registry):
        out.write(f"\n### {md_escape(section.title)}\n\n")
        out.write(_md_row(["", *HEADERS]))
        out.write("| --- |" + " ---: |" * 6 + " --- | --- |\n")
        for row in section.rows:
            out.write(_md_row([row.label, *_cells(row, p.target_rate)], row.kind == "total"))
    for heading, headers, lines in (
        ("โครงการที่ต้องติดตาม", RISK_HEADERS, risk_lines(p, registry)),
        ("ตัวชี้วัดที่ไม่บรรลุค่าเป้าหมาย", UNMET_HEADERS, unmet_lines(p, registry)),
    ):
        out.write(f"\n### {heading}\n\n")
        if not lines:
            out.write("ไม่มี\n")
            continue
        out.write(_md_row(headers))
        out.write("|" + " --- |" * len(headers) + "\n")
        for cells in lines:
            out.write(_md_row(cells))


# --- table (rich) -------------------------------------------------------------------------------


def _colour(figures: Figures | None, target: Decimal | None) -> str | None:
    """Green at or above the target, yellow within 10 points below it, red further below."""
    gap = figures.gap(target) if figures else None
    if gap is None:
        return None
    return "green" if gap >= 0 else "yellow" if gap >= -10 else "red"


def write_table(result: ProgressResult, out: TextIO) -> None:
    p, registry = result.quarters[-1], result.registry
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Off a terminal nothing limits the width: a table in a file or a pipe is never cut.
    console = Console(file=out, width=None if out.isatty() else 10_000, highlight=False)
    console.print(Text(terminal(title(p)), style="bold"))
    for section in grid(p, registry):
        table = Table(title=terminal(section.title), title_justify="left")
        table.add_column("", overflow="fold")
        for i, header in enumerate(HEADERS):
            table.add_column(header, justify="right" if i < 6 else "left", no_wrap=i < 6)
        for row in section.rows:
            cells = [Text(terminal(c)) for c in _cells(row, p.target_rate)]
            colour = _colour(row.figures, p.target_rate)
            if colour:
                for i in (3, 5):
                    cells[i].stylize(colour)
            style = "bold" if row.kind == "total" else "dim" if row.kind == "missing" else None
            table.add_row(
                Text(terminal(row.label)), *cells, style=style, end_section=row.kind == "total"
            )
        console.print(table)
    _rich_list(console, "โครงการที่ต้องติดตาม", RISK_HEADERS, risk_lines(p, registry))
    _rich_list(console, "ตัวชี้วัดที่ไม่บรรลุค่าเป้าหมาย", UNMET_HEADERS, unmet_lines(p, registry))


def _rich_list(console: Any, heading: str, headers: Sequence[str], lines: list[list[str]]) -> None:
    from rich.table import Table
    from rich.text import Text

    if not lines:
        console.print(Text(f"{heading}: ไม่มี"))
        return
    table = Table(title=heading, title_justify="left")
    for header in headers:
        table.add_column(header, overflow="fold")
    for cells in lines:
        table.add_row(*(Text(terminal(c)) for c in cells))
    console.print(table)


# --- xlsx ---------------------------------------------------------------------------------------


def _text_cell(cell: Any) -> None:
    """Plan text stays text: a cell starting with = + - @ never becomes a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"


def write_xlsx(result: ProgressResult, out: BinaryIO) -> None:
    quarters, registry = result.quarters, result.registry
    """A workbook with a sheet per quarter: figures, projects at risk, indicators not met;
    numbers as numbers (baht with separators, rates as numbers of percent)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for p in quarters:
        sheet = book.create_sheet(f"ไตรมาส {p.quarter} ปี {p.fiscal_year}")
        sheet.append([title(p)])
        sheet["A1"].font = bold
        for section in grid(p, registry):
            sheet.append([])
            sheet.append(["กลุ่มจังหวัด", "รายการ", *HEADERS])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for row in section.rows:
                f = row.figures
                numbers: list[Any] = (
                    [
                        f.allocated,
                        f.committed,
                        f.disbursed,
                        f.disbursement_rate,
                        f.spending_rate,
                        f.gap(p.target_rate),
                    ]
                    if f
                    else [None] * 6
                )
                sheet.append(
                    xlsx_row([section.title, row.label, *numbers, row.status, row.indicators])
                )
                for cell in sheet[sheet.max_row]:
                    _text_cell(cell)
                    if row.kind == "total":
                        cell.font = bold
                for cell in sheet[sheet.max_row][2:5]:
                    cell.number_format = "#,##0.00"
                for cell in sheet[sheet.max_row][5:8]:
                    cell.number_format = "0.00"
        for heading, headers, lines in (
            ("โครงการที่ต้องติดตาม", RISK_HEADERS, _risk_values(p, registry)),
            ("ตัวชี้วัดที่ไม่บรรลุค่าเป้าหมาย", UNMET_HEADERS, _unmet_values(p, registry)),
        ):
            sheet.append([])
            sheet.append([heading])
            sheet.cell(sheet.max_row, 1).font = bold
            sheet.append(list(headers))
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for values in lines:
                sheet.append(xlsx_row(values))
                for cell in sheet[sheet.max_row]:
                    _text_cell(cell)
                    if isinstance(cell.value, Decimal):
                        cell.number_format = "#,##0.00"
        for i, width in enumerate((40, 40, 18, 18, 18, 14, 14, 16, 40, 40), start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
    book.save(out)


def _risk_values(p: Progress, registry: Registry) -> list[list[Any]]:
    return [
        [
            _name(registry, r.owner),
            f"{r.progress.id} {r.project.title if r.project else ''}".strip(),
            STATUS_TH[r.progress.status],
            r.figures.allocated,
            r.figures.disbursed,
            r.figures.disbursement_rate,
            r.progress.progress,
            _reasons(r),
            "; ".join(r.progress.problems),
            "; ".join(r.progress.remedies),
        ]
        for r in p.at_risk
    ]


def _unmet_values(p: Progress, registry: Registry) -> list[list[Any]]:
    return [
        [
            _name(registry, u.owner),
            f"{u.indicator.id} {u.indicator.name}",
            u.indicator.unit,
            u.target,
            u.result.actual,
            u.result.note or "",
        ]
        for u in p.not_met
    ]


WRITERS = {"table": write_table, "csv": write_csv, "json": write_json, "md": write_md}
