"""Thai labels and formats: budget classes, approving bodies, baht, BE years and dates.

Shared by reports and document templates (channel labels are in `provplan.channels`).
Amounts in words come from num2words (maintained, exact on Decimal), not hand-written code.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from provplan.years import BE_OFFSET

BUDGET_CLASSES: dict[str, str] = {
    "personnel": "งบบุคลากร",
    "operating": "งบดำเนินงาน",
    "investment": "งบลงทุน",
    "subsidy": "งบเงินอุดหนุน",
    "other": "งบรายจ่ายอื่น",
    "unspecified": "ไม่ได้แยกประเภทงบ",
}
BODIES: dict[str, str] = {
    "kbj": "ก.บ.จ.",
    "kbk": "ก.บ.ก.",
    "akbp": "อ.ก.บ.ภ.",
    "kbp": "ก.บ.ภ.",
    "knj": "ก.น.จ.",
    "knb": "ก.น.บ.",
    "cabinet": "ครม.",
}
MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def baht(amount: Decimal | int, *, satang: bool | None = None) -> str:
    """12,500,000 or 4,500,000.10: satang shown when present (or when `satang` is true)."""
    value = Decimal(amount)
    if not value.is_finite() or abs(value.adjusted()) > 30:
        return str(value)  # raw values shown by diff: `.nan`, `1e9999999` are not money
    if value.is_zero():
        value = abs(value)  # `-0.00` is 0
    show = satang if satang is not None else value != value.to_integral_value()
    return f"{value:,.2f}" if show else f"{value:,.0f}"


def baht_words(amount: Decimal | int) -> str:
    """An amount in words, as official documents write totals: สิบสองล้านห้าแสนบาทถ้วน."""
    from num2words import num2words  # exact on Decimal, satang included; imported when needed

    return str(num2words(Decimal(amount), lang="th", to="currency"))


def thai_digits(text: str) -> str:
    """Arabic digits as Thai digits (๐-๙)."""
    return text.translate(_THAI_DIGITS)


def be_year(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def be_date(date: datetime.date) -> str:
    """A date in the Thai way: 18 มีนาคม 2565."""
    return f"{date.day} {MONTHS[date.month - 1]} {be_year(date.year)}"


STATUSES: dict[str, str] = {
    "not-started": "ยังไม่เริ่มดำเนินการ",
    "procurement": "อยู่ระหว่างจัดซื้อจัดจ้าง",
    "in-progress": "อยู่ระหว่างดำเนินการ",
    "completed": "ดำเนินการแล้วเสร็จ",
    "suspended": "ระงับ/ชะลอการดำเนินงาน",
    "cancelled": "ยกเลิก",
    "not-funded": "ไม่ได้รับจัดสรรงบประมาณ",
}
"""Project statuses of a progress report, as Thai forms write them."""
STATUSES_SHORT: dict[str, str] = {
    "not-started": "ยังไม่เริ่ม",
    "procurement": "จัดซื้อจัดจ้าง",
    "in-progress": "ดำเนินการ",
    "completed": "เสร็จ",
    "suspended": "ระงับ",
    "cancelled": "ยกเลิก",
    "not-funded": "ไม่ได้รับจัดสรร",
}
"""The same, short enough for a column heading."""
_SHORT_MONTHS = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip


def short_date(date: datetime.date) -> str:
    """A date as forms head columns: 31 มี.ค. 2568."""
    return f"{date.day} {_SHORT_MONTHS[date.month - 1]} {be_year(date.year)}"


def round_name(quarter: int) -> str:
    """รอบ 6 เดือน for quarter 2, รอบ 12 เดือน for quarter 4 (figures run from 1 October)."""
    return f"รอบ {quarter * 3} เดือน"


def quarter_name(fiscal_year: int, quarter: int) -> str:
    """ไตรมาสที่ 2 (1 ม.ค. – 31 มี.ค. 2568), as the Budget Bureau's forms head a round."""
    from provplan.years import quarter_span

    start, end = quarter_span(fiscal_year, quarter)
    return f"ไตรมาสที่ {quarter} ({start.day} {_SHORT_MONTHS[start.month - 1]} – {short_date(end)})"
