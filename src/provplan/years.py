"""Buddhist-era years: the one place that knows their bounds and tells them from Christian-era
ones (a plan's year is พ.ศ.; FY 2568 runs 1 October 2567 - 30 September 2568). Stdlib only."""

from __future__ import annotations

import datetime

from provplan.i18n import Message, msg

BE_OFFSET = 543  # Buddhist Era = Christian Era + 543
BE_YEARS = range(2400, 2801)
"""The Buddhist-era years a plan may name (พ.ศ. 2400-2800)."""
CE_YEARS = range(1900, 2201)
"""Years that are surely Christian-era when a Buddhist-era one is asked for."""


def year_problem(value: int) -> Message | None:
    """Why a year is not a Buddhist-era year, with the fix; None when it is one."""
    if value in CE_YEARS:
        return msg(
            "{year} looks like a Christian-era year; the Buddhist-era year is {be}",
            year=value,
            be=value + BE_OFFSET,
        )
    if value not in BE_YEARS:
        return msg("{year} is not a Buddhist-era year (พ.ศ.) such as 2568", year=value)
    return None


def quarter_span(fiscal_year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a quarter of a BE fiscal year: FY 2568 Q2 is 2025-01-01 to
    2025-03-31 (FY 2568 begins 1 October 2024)."""
    ce = fiscal_year - BE_OFFSET
    starts = {
        1: datetime.date(ce - 1, 10, 1),
        2: datetime.date(ce, 1, 1),
        3: datetime.date(ce, 4, 1),
        4: datetime.date(ce, 7, 1),
    }
    ends = {
        1: datetime.date(ce - 1, 12, 31),
        2: datetime.date(ce, 3, 31),
        3: datetime.date(ce, 6, 30),
        4: datetime.date(ce, 9, 30),
    }
    return starts[quarter], ends[quarter]
