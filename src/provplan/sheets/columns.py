"""The layout of the workbooks, one per document kind: sheets, their columns and field paths.

Row 2 of a sheet holds each column's field path in the format (`budget.amount`); reading
finds columns by these paths, so officers may reorder or hide columns, and tools outside
provplan can find them too. A path in parentheses, `(action_plan.title)`, marks a column of
context taken from another document (the action plan, the development plan): shown to help
fill in the row, never imported.

An action plan's workbook has its projects on `โครงการ` and their activities (a list of
mappings under a project) on `กิจกรรม`, a row per activity keyed by its project's id. A
progress report's has its project progress on `โครงการ` and its indicator results on
`ตัวชี้วัด`. Both keep the document's identity on `ข้อมูลแผน`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from provplan.i18n import Message, msg
from provplan.model.plan import BudgetClass
from provplan.thai import BUDGET_CLASSES

PROJECTS_SHEET = "โครงการ"
ACTIVITIES_SHEET = "กิจกรรม"
INDICATORS_SHEET = "ตัวชี้วัด"
INFO_SHEET = "ข้อมูลแผน"
LISTS_SHEET = "lists"  # hidden: the choices of the dropdowns
HEADING_ROW, PATH_ROW, FIRST_ROW = 1, 2, 3
MAX_ROWS = 20_000  # a province's year has a few hundred projects; bounds a hostile workbook
MAX_CELL = 32_767  # Excel's limit on the characters of a cell

# id, text, list (an item per line), amount (baht), choice (a dropdown), percent (0-100),
# value (a number or text), flag (TRUE or FALSE), whole (a whole number), date
Kind = Literal[
    "id", "text", "list", "amount", "choice", "percent", "value", "flag", "whole", "date"
]  # fmt: skip


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

    @property
    def imported(self) -> bool:
        """False for a column of context, whose path is in parentheses."""
        return not self.path.startswith("(")

    @property
    def source(self) -> str:
        """Where a context column's values come from: `action_plan.title`."""
        return self.path.strip("()")


def context(source: str, heading: str, kind: Kind, width: int) -> Column:
    """A column shown to help fill in a row, never imported."""
    return Column(f"({source})", heading, kind, width, required=False)


_NO_KEY = msg("give the project an id such as MDH09")
_TWICE = msg("give this project its own")


@dataclass(frozen=True)
class Table:
    """A sheet whose rows are the items of one of the document's lists."""

    sheet: str
    columns: tuple[Column, ...]
    listed: str  # the document's key of the list: `projects`, `indicators`, `activities`
    noun: Message  # what a row is, for messages: `project`
    key: str = "id"  # the column that matches a row with its item
    frozen: int = 1  # the columns that stay in view
    prefilled: bool = False
    """Rows may be written with their key alone, for an officer to fill in: such a row, with
    nothing else in it, reports nothing."""
    no_key: Message = _NO_KEY  # what to do about a row without its key
    twice: Message = _TWICE  # about a key on two rows

    @property
    def by_path(self) -> dict[str, Column]:
        """The imported columns by field path."""
        return {c.path: c for c in self.columns if c.imported}

    @property
    def shown(self) -> frozenset[str]:
        """The paths of the context columns."""
        return frozenset(c.path for c in self.columns if not c.imported)


@dataclass(frozen=True)
class Layout:
    """The workbook of one document kind."""

    kind: str
    noun: Message  # `plan`, `report`: what a workbook of another one was exported from
    article: Message  # `an action plan`
    info: tuple[Column, ...]  # the document's own values, on the info sheet
    identity: tuple[str, ...]  # those that must match the YAML merged into (PP704)
    tables: tuple[Table, ...]  # the lists merged by key; the first is `โครงการ`
    note: str  # what the info sheet tells the officer
    activities: Table | None = None  # a sheet of items nested under each project

    @property
    def projects(self) -> Table:
        return self.tables[0]

    @property
    def merged_info(self) -> tuple[Column, ...]:
        """The document's own values the workbook changes (not its identity)."""
        return tuple(c for c in self.info if c.path not in (*self.identity, "provplan"))


_CLASSES = [c for c in BUDGET_CLASSES if c in BudgetClass.__args__]  # type: ignore[attr-defined]

# --- action-plan --------------------------------------------------------------------------------

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
ACTIVITIES = Table(ACTIVITIES_SHEET, ACTIVITY_COLUMNS, "activities", msg("activity"), "project", 0)

# The document's own values on the info sheet: field path (column A), value (B), label (C).
_IDENTITY: tuple[Column, ...] = (
    Column("provplan", "รุ่นของรูปแบบไฟล์แผน", "whole", 0),
    Column("kind", "ประเภทเอกสาร", "id", 0),
    Column("owner", "เจ้าของแผน (รหัส)", "id", 0),
    Column("fiscal_year", "ปีงบประมาณ (พ.ศ.)", "whole", 0),
)

ACTION_PLAN = Layout(
    kind="action-plan",
    # i18n: what a workbook of another document was exported from ("another plan")
    noun=msg("plan"),
    article=msg("an action plan"),
    info=_IDENTITY,
    identity=("kind", "owner", "fiscal_year"),
    tables=(Table(PROJECTS_SHEET, COLUMNS, "projects", msg("project")),),
    note="ไฟล์นี้สร้างโดย provplan export: แก้ไขแถว 3 ลงไปในแผ่นงาน โครงการ",
    activities=ACTIVITIES,
)

# --- progress-report ----------------------------------------------------------------------------

PROGRESS_COLUMNS: tuple[Column, ...] = (
    Column("id", "รหัสโครงการ", "id", 12),
    context("action_plan.title", "ชื่อโครงการ", "text", 45),
    context("action_plan.budget.amount", "งบประมาณตามแผน (บาท)", "amount", 18),
    Column("status", "สถานะโครงการ", "choice", 20),
    Column("allocated", "ได้รับจัดสรร (บาท; ว่าง = งบประมาณตามแผน)", "amount", 18, False),
    Column("committed", "ก่อหนี้ผูกพัน (บาท)", "amount", 18, required=False),
    Column("disbursed", "เบิกจ่ายสะสม (บาท)", "amount", 18, required=False),
    Column("progress", "ความก้าวหน้า (ร้อยละ 0-100)", "percent", 14),
    Column("results", "ผลการดำเนินงาน (บรรทัดละหนึ่งข้อ)", "list", 40, required=False),
    Column("problems", "ปัญหาอุปสรรค (บรรทัดละหนึ่งข้อ)", "list", 40, required=False),
    Column("remedies", "แนวทางแก้ไข (บรรทัดละหนึ่งข้อ)", "list", 40, required=False),
)

RESULT_COLUMNS: tuple[Column, ...] = (
    Column("id", "รหัสตัวชี้วัด", "id", 12),
    context("indicator.name", "ตัวชี้วัด", "text", 45),
    context("indicator.unit", "หน่วยนับ", "text", 14),
    context("indicator.target", "ค่าเป้าหมายของปี", "value", 16),
    Column("actual", "ผลการดำเนินงาน (ค่าที่ได้สะสม)", "value", 18),
    Column("met", "บรรลุค่าเป้าหมาย (TRUE/FALSE; ว่าง = เทียบกับค่าเป้าหมาย)", "flag", 18, False),
    Column("note", "หมายเหตุ", "text", 40, required=False),
)

PROGRESS_REPORT = Layout(
    kind="progress-report",
    # i18n: what a workbook of another document was exported from ("another report")
    noun=msg("report"),
    article=msg("a progress report"),
    info=(
        *_IDENTITY,
        Column(
            "quarter", "ไตรมาส (1 ต.ค.-ธ.ค., 2 ม.ค.-มี.ค., 3 เม.ย.-มิ.ย., 4 ก.ค.-ก.ย.)", "whole", 0
        ),
        Column("as_of", "ข้อมูล ณ วันที่ (ปี ค.ศ.-เดือน-วัน)", "date", 0),
    ),
    identity=("kind", "owner", "fiscal_year", "quarter"),
    tables=(
        Table(
            PROJECTS_SHEET,
            PROGRESS_COLUMNS,
            "projects",
            msg("project"),
            frozen=2,
            prefilled=True,
            no_key=msg("give the id of the action plan's project, such as MDH01"),
            twice=msg("report each project once"),
        ),
        Table(
            INDICATORS_SHEET,
            RESULT_COLUMNS,
            "indicators",
            msg("indicator"),
            frozen=2,
            prefilled=True,
            no_key=msg("give the id of the development plan's indicator, such as I1.2"),
            twice=msg("report each indicator once"),
        ),
    ),
    note=(
        "ไฟล์นี้สร้างโดย provplan export: กรอกแถว 3 ลงไปในแผ่นงาน โครงการ และ ตัวชี้วัด; "
        "คอลัมน์สีเทาเป็นข้อมูลอ้างอิงจากแผน ไม่นำเข้า; แถวที่มีเพียงรหัสจะไม่นำเข้า"
    ),
)

LAYOUTS: dict[str, Layout] = {layout.kind: layout for layout in (ACTION_PLAN, PROGRESS_REPORT)}
INFO_KEYS: frozenset[str] = frozenset(c.path for layout in LAYOUTS.values() for c in layout.info)
