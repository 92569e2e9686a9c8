"""Reporters: a `CheckResult`'s diagnostics as text (rich), JSON or GitHub annotations.

With `cli.py`, the only modules that print.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from provplan.report.github import report_github
from provplan.report.json import report_json
from provplan.report.text import report_text
from provplan.validate import CheckResult

Reporter = Callable[[CheckResult, TextIO], None]
REPORTERS: dict[str, Reporter] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
}
