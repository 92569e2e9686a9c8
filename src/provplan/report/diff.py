"""A `PlanDiff` for a reviewer: Markdown for a pull-request comment, text for a terminal,
JSON for tools."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TextIO

from provplan.budget import AMOUNT_KEYS as KEYS
from provplan.budget import Amounts
from provplan.channels import CATEGORY_SHORT
from provplan.escape import md_code, md_escape, terminal
from provplan.registry import Registry
from provplan.review.diff import Change, DocDiff, PlanDiff, ProjectChange, TotalRow
from provplan.thai import baht

HEADERS = tuple(CATEGORY_SHORT[k] for k in KEYS)
MARK = {
    "added": "➕",
    "removed": "➖",
    "changed": "✏️",
    "moved": "↪",
    "unchanged": "",
    "unreadable": "⚠",
}
STATUS_TH = {
    "added": "เพิ่ม",
    "removed": "ลบ",
    "changed": "แก้ไข",
    "moved": "ย้ายไฟล์",
    "unchanged": "ไม่เปลี่ยน",
    "unreadable": "อ่านไม่ได้",
}
INCOMPLETE = "? (มีไฟล์ที่อ่านไม่ได้)"
UNREADABLE = "อ่านเป็นแผนไม่ได้ จึงไม่นับรวมในตัวเลขงบประมาณ — ตรวจด้วย `provplan validate`"
SHORT = 60  # longer values go into collapsed details


def _delta(value: Decimal) -> str:
    return f"{'+' if value >= 0 else '−'}{baht(abs(value))}"


def _cell(before: Decimal, after: Decimal) -> str:
    return (
        baht(after)
        if before == after
        else f"{baht(before)} → {baht(after)} ({_delta(after - before)})"
    )


def _document_title(d: DocDiff, registry: Registry) -> str:
    if not d.kind:
        return "ไฟล์ที่อ่านไม่ได้"
    label = registry.label(d.owner)
    if d.kind == "action-plan":
        return f"แผนปฏิบัติราชการของ{label} ปีงบประมาณ {d.span[0]}"
    if d.kind == "progress-report":
        year, quarter = d.span
        return f"รายงานผลการดำเนินงานของ{label} ปีงบประมาณ {year} ไตรมาสที่ {quarter}"
    return f"แผนพัฒนา{label} พ.ศ. {d.span[0]}-{d.span[1]}"


def _where(d: DocDiff) -> str:
    if d.status == "moved" or (d.old_path and d.new_path and d.old_path != d.new_path):
        return f"{d.old_path} → {d.new_path}"
    return str(d.new_path or d.old_path)


def _value(value: Any, money: bool = False) -> str:
    if value is None:
        return "–"
    if money and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return baht(value)
    if isinstance(value, list):
        return "; ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items())
    return str(value)


def _counts(diff: PlanDiff) -> str:
    docs = {
        s: sum(d.status == s for d in diff.documents)
        for s in ("changed", "added", "removed", "moved", "unreadable")
    }
    projects = [p for d in diff.documents for p in d.projects]
    parts = [f"{STATUS_TH[s]} {n}" for s, n in docs.items() if n]
    project_parts = [
        f"{STATUS_TH[s]} {n}"
        for s in ("added", "removed", "changed")
        if (n := sum(p.status == s for p in projects))
    ]
    text = f"เอกสาร: {', '.join(parts) or 'ไม่มีการเปลี่ยนแปลง'}"
    return text + (f" · โครงการ: {', '.join(project_parts)}" if project_parts else "")


# --- Markdown -------------------------------------------------------------------------------


def write_md(diff: PlanDiff, out: TextIO) -> None:
    registry = diff.registry
    out.write(f"## การเปลี่ยนแปลงของแผน: {md_code(diff.base)} → {md_code(diff.head)}\n")
    out.write(f"\n{_counts(diff)}\n")
    if diff.totals:
        out.write("\n### งบประมาณ (บาท)\n\n| หน่วย | ปีงบประมาณ | " + " | ".join(HEADERS) + " |\n")
        out.write("| --- | ---: |" + " ---: |" * len(KEYS) + "\n")
        for row in diff.totals:
            out.write(_md_total(row, registry))
    for d in diff.changed:
        out.write(
            f"\n### {MARK[d.status]} {md_escape(_document_title(d, registry))}\n\n"
            + md_code(_where(d))
        )
        out.write(f" ({STATUS_TH[d.status]})\n")
        if d.problem:
            out.write(f"\n> {UNREADABLE}: {md_escape(str(d.problem))}\n")
        if d.projects and d.kind == "progress-report":
            out.write("\n| | รหัส | สถานะ | เบิกจ่ายเดิม | เบิกจ่ายใหม่ | ผลต่าง |\n")
            out.write("| --- | --- | --- | ---: | ---: | ---: |\n")
            for p in d.projects:
                out.write(_md_project(p))
        elif d.projects:
            out.write("\n| | รหัส | โครงการ | เดิม | ใหม่ | ผลต่าง |\n")
            out.write("| --- | --- | --- | ---: | ---: | ---: |\n")
            for p in d.projects:
                out.write(_md_project(p))
        changes = [(p.id, c) for p in d.projects for c in p.changes] + [("", c) for c in d.changes]
        if changes:
            out.write(f"\n<details><summary>รายละเอียดที่แก้ไข ({len(changes)})</summary>\n\n")
            for owner_id, c in changes:
                out.write(_md_change(owner_id, c))
            out.write("\n</details>\n")


def _md_total(row: TotalRow, registry: Registry) -> str:
    label = md_escape(registry.label(row.owner))
    label = f"**{label} (รวมทั้งกลุ่ม)**" if row.level == "cluster" else label
    return f"| {label} | {row.fiscal_year} | {' | '.join(_cells(row))} |\n"


def _cells(row: TotalRow) -> list[str]:
    """Before → after per category; with an unreadable plan, the figures are not known."""
    before, after = row.before.as_dict(), row.after.as_dict()
    if not row.complete:
        return [f"{baht(before[k])} → {INCOMPLETE}" for k in KEYS]
    return [_cell(before[k], after[k]) for k in KEYS]


def _is_money(where: str) -> bool:
    """Baht: budgets, and a progress report's allocated, committed and disbursed."""
    return any(k in where for k in ("budget", "amount", "allocated", "committed", "disbursed"))


def _md_project(p: ProjectChange) -> str:
    delta = _delta(p.delta) if p.delta else ""
    title = md_escape(p.title)
    old, new = _value(p.old_amount, money=True), _value(p.new_amount, money=True)
    return f"| {MARK[p.status]} | {md_escape(p.id)} | {title} | {old} | {new} | {delta} |\n"


def _md_change(project: str, c: Change) -> str:
    where = f"**{md_escape(project)}** {md_code(c.where)}" if project else md_code(c.where)
    money = _is_money(c.where)
    old, new = md_escape(_value(c.old, money)), md_escape(_value(c.new, money))
    if len(old) + len(new) > 2 * SHORT:
        return f"- {where}\n  - เดิม: {old}\n  - ใหม่: {new}\n"
    return f"- {where}: {old} → {new}\n"


# --- text -----------------------------------------------------------------------------------


def write_text(diff: PlanDiff, out: TextIO) -> None:
    """One line per change; plan text never acts on the terminal (escape.terminal)."""
    for line in _text_lines(diff):
        out.write(f"{terminal(line)}\n")


def _text_lines(diff: PlanDiff) -> Iterator[str]:
    registry = diff.registry
    yield f"{diff.base} → {diff.head}: {_counts(diff)}"
    for row in diff.totals:
        scope = " (รวมทั้งกลุ่ม)" if row.level == "cluster" else ""
        cells = "; ".join(f"{h} {c}" for h, c in zip(HEADERS, _cells(row), strict=True))
        yield f"  {registry.label(row.owner)}{scope} ปี {row.fiscal_year}: {cells}"
    for d in diff.changed:
        title = _document_title(d, registry)
        yield ""
        yield f"{MARK[d.status]} {title} [{_where(d)}] {STATUS_TH[d.status]}"
        if d.problem:
            yield f"  {UNREADABLE}: {d.problem}"
        for p in d.projects:
            amounts = f"{_value(p.old_amount, money=True)} → {_value(p.new_amount, money=True)}"
            if d.kind == "progress-report":
                amounts = f"เบิกจ่าย {amounts}"
            delta = f" ({_delta(p.delta)})" if p.delta else ""
            yield f"  {MARK[p.status]} {p.id} {p.title}: {amounts}{delta}"
            for c in p.changes:
                money = _is_money(c.where)
                yield f"      {c.where}: {_value(c.old, money)} → {_value(c.new, money)}"
        for c in d.changes:
            yield f"  {c.where}: {_value(c.old)} → {_value(c.new)}"


# --- JSON -----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):  # a raw value: it may be `.nan` or `1e9999999`
        number: Decimal = abs(value) if value.is_zero() else value  # `-0.00` is 0
        exponent = number.as_tuple().exponent
        fraction = isinstance(exponent, int) and exponent < 0  # not NaN or Infinity
        exact = fraction and abs(number.adjusted()) <= 30
        return f"{number:.2f}" if exact else str(number)
    if isinstance(value, Amounts):
        return {k: f"{v:.2f}" for k, v in value.as_dict().items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def write_json(diff: PlanDiff, out: TextIO) -> None:
    document = {
        "base": diff.base,
        "head": diff.head,
        "totals": [
            {
                "level": r.level,
                "owner": r.owner,
                "fiscal_year": r.fiscal_year,
                "before": _plain(r.before),
                "after": _plain(r.after) if r.complete else None,
                "delta": {k: f"{r.after.as_dict()[k] - r.before.as_dict()[k]:.2f}" for k in KEYS}
                if r.complete
                else None,
                "complete": r.complete,
            }
            for r in diff.totals
        ],
        "documents": [
            {
                "kind": d.kind,
                "owner": d.owner,
                "span": list(d.span),
                "status": d.status,
                "old_path": d.old_path,
                "new_path": d.new_path,
                "problem": None if d.problem is None else str(d.problem),
                "changes": [
                    {"where": c.where, "old": _plain(c.old), "new": _plain(c.new)}
                    for c in d.changes
                ],
                "projects": [
                    {
                        "id": p.id,
                        "title": p.title,
                        "status": p.status,
                        "old_amount": None if p.old_amount is None else f"{p.old_amount:.2f}",
                        "new_amount": None if p.new_amount is None else f"{p.new_amount:.2f}",
                        "delta": f"{p.delta:.2f}",
                        "changes": [
                            {"where": c.where, "old": _plain(c.old), "new": _plain(c.new)}
                            for c in p.changes
                        ],
                    }
                    for p in d.projects
                ],
            }
            for d in diff.changed
        ],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


WRITERS = {"md": write_md, "text": write_text, "json": write_json}
