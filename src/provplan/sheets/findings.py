"""Findings placed at a workbook cell (`FILE.xlsx:โครงการ!E12: error PP108 …`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provplan.diagnostics import CODES, Diagnostic, Severity
from provplan.i18n import Message


@dataclass(frozen=True, slots=True)
class Cell:
    sheet: str
    row: int  # 1-based
    column: int  # 1-based

    @property
    def letter(self) -> str:
        from openpyxl.utils import get_column_letter

        return str(get_column_letter(self.column))

    def __str__(self) -> str:
        return f"{self.sheet}!{self.letter}{self.row}"


@dataclass(frozen=True, slots=True)
class CellFinding:
    path: Path  # the workbook
    cell: Cell
    code: str
    severity: Severity
    message: Message

    def __str__(self) -> str:
        return f"{self.path}:{self.cell}: {self.severity} {self.code} {self.message}"

    def with_severity(self, severity: Severity) -> CellFinding:
        return CellFinding(self.path, self.cell, self.code, severity, self.message)

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path.as_posix(),
            "sheet": self.cell.sheet,
            "row": self.cell.row,
            "column": self.cell.letter,
            "cell": f"{self.cell.letter}{self.cell.row}",
            "severity": str(self.severity),
            "code": self.code,
            "message": str(self.message),
        }


def at(path: Path, cell: Cell, code: str, message: Message) -> CellFinding:
    return CellFinding(path, cell, code, CODES[code].severity, message)


Finding = CellFinding | Diagnostic
"""What an import reports: at a cell, or in the YAML for what has no cell."""


def as_json(finding: Finding) -> dict[str, Any]:
    if isinstance(finding, CellFinding):
        return finding.as_json()
    return {
        "path": finding.path.as_posix(),
        "line": finding.line,
        "column": finding.column,
        "severity": str(finding.severity),
        "code": finding.code,
        "message": str(finding.message),
    }
