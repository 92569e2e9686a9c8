"""The layout of the project workbook: sheets, the columns of `โครงการ` and their field paths.

Row 2 of `โครงการ` holds each column's field path in the format (`budget.amount`); reading
finds columns by these paths, so officers may reorder or hide columns, and tools outside
provplan can find them too. Activities (a list of mappings under a project) have no column:
they have a sheet of their own, `กิจกรรม`, a row per activity keyed by its project's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from provplan.model.plan import BudgetClass
from provplan.thai import BUDGET_CLASSES

PROJECTS_SHEET = "โครงการ"
ACTIVITIES_SHEET = "กิจกรรม"
INFO_SHEET = "ข้อมูลแผน"
LISTS_SHEET = "lists"  # hidden: the choices of the dropdowns
HEADING_ROW, PATH_ROW, FIRST_ROW = 1, 2, 3
MAX_ROWS = 20_000  # a province's year has a few hundred projects; bounds a hostile workbook
MAX_CELL = 32_767  # Excel's limit on the characters of a cell

Kind = Literal["id", "text", "list", "amount", "choice"]


@dataclass(frozen=True, slots=True)
class Column:
    path: str  # field path in the format, e.g. `budget.breakdown.operating`
    heading: str  # Thai heading of row 1
    kind: Kind
    width: int
    required: bool = True

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.path.split("."))


_CLASSES = [c for c in BUDGET_CLASSES if c in BudgetClass.__args__]  # type: ignore[attr-defined]

COLUMNS: tuple[Column, ...] = (
    Column("id", "รหัสโครงการ", "id", 12),
    Column("title", "ชื่อโครงการ", "text", 45),
    Column("strategic_issue", "ประเด็นยุทธศาสตร์", "id", 14),
    Column("strategy", "กลยุทธ์", "id", 12),
    Column("channel", "ประเภทโครงการ (ช่องทางงบประมาณ)", "choice", 26),
    Column("agency", "หน่วยงานรับผิดชอบ", "text", 30),
    Column("area", "พื้นที่ดำเนินการ (จังหวัด บรรทัดละหนึ่ง)", "list", 18, required=False),
    Column("description", "รายละเอียดโครงการ", "text", 50),
    Column("outputs", "เป้าหมาย/ผลผลิต (บรรทัดละหนึ่งข้อ)", "list", 40),
    Column("outcomes", "ผลสัมฤทธิ์ (บรรทัดละหนึ่งข้อ)", "list", 40),
    Column("budget.amount", "งบประมาณ (บาท)", "amount", 18),
    *(
        Column(f"budget.breakdown.{c}", f"{BUDGET_CLASSES[c]} (บาท)", "amount", 16, False)
        for c in _CLASSES
    ),
    Column("indicators", "ตัวชี้วัด (รหัส บรรทัดละหนึ่ง)", "list", 14, required=False),
    Column("rationale", "หลักการและเหตุผล", "text", 40, required=False),
    Column("objectives", "วัตถุประสงค์ (บรรทัดละหนึ่งข้อ)", "list", 40, required=False),
)
BY_PATH: dict[str, Column] = {c.path: c for c in COLUMNS}

# `กิจกรรม`: `project` is the id of the project an activity belongs to (not a field of the
# format); the others are the keys of an activity. A project's rows are its activities, in
# order.
ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column("project", "รหัสโครงการ", "id", 12),
    Column("title", "กิจกรรม", "text", 45),
    Column("budget", "งบประมาณ (บาท)", "amount", 18),
    Column("agency", "หน่วยงานรับผิดชอบ", "text", 30, required=False),
    Column("partners", "หน่วยงานร่วม (บรรทัดละหนึ่ง)", "list", 30, required=False),
)
ACTIVITY_BY_PATH: dict[str, Column] = {c.path: c for c in ACTIVITY_COLUMNS}

# The plan-level values kept on the info sheet: field path (column A) → Thai label (column C).
INFO_FIELDS: dict[str, str] = {
    "provplan": "รุ่นของรูปแบบแฟ้มแผน",
    "kind": "ประเภทเอกสาร",
    "owner": "เจ้าของแผน (รหัส)",
    "fiscal_year": "ปีงบประมาณ (พ.ศ.)",
}
