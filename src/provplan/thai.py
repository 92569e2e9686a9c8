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
