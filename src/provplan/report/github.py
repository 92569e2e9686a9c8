"""GitHub Actions workflow commands: each finding an annotation on its file and line."""

from __future__ import annotations

from typing import TextIO

from provplan.escape import terminal
from provplan.report.text import summary
from provplan.validate import CheckResult


def _data(value: str) -> str:
    """A command's data: one line, escape sequences made visible (a message may not start
    a workflow command of its own), `%` and line breaks as GitHub's escapes."""
    return terminal(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def report_github(result: CheckResult, out: TextIO) -> None:
    for d in result.diagnostics:
        out.write(
            f"::{d.severity} file={_property(d.path.as_posix())},line={d.line},"
            f"col={d.column},title={_property(d.code)}::{_data(str(d.message))}\n"
        )
    out.write(summary(result) + "\n")
