"""Buddhist-era years: the one place that knows their bounds and tells them from Christian-era
ones (a plan's year is พ.ศ.; FY 2568 runs 1 October 2567 - 30 September 2568). Stdlib only."""

from __future__ import annotations

BE_OFFSET = 543  # Buddhist Era = Christian Era + 543
BE_YEARS = range(2400, 2801)
"""The Buddhist-era years a plan may name (พ.ศ. 2400-2800)."""
CE_YEARS = range(1900, 2201)
"""Years that are surely Christian-era when a Buddhist-era one is asked for."""


def year_problem(value: int) -> str | None:
    """Why a year is not a Buddhist-era year, with the fix; None when it is one."""
    if value in CE_YEARS:
        return (
            f"{value} looks like a Christian-era year; the Buddhist-era year is {value + BE_OFFSET}"
        )
    if value not in BE_YEARS:
        return f"{value} is not a Buddhist-era year (พ.ศ.) such as 2568"
    return None
