"""`path:line:col: severity CODE message`, coloured on a terminal, and a summary line.

One finding is one line: plan text in paths and messages goes through `escape.terminal`, so
it can neither act on the terminal (escape sequences) nor fake a line of its own; on a
terminal it is a rich `Text`, never markup."""

from __future__ import annotations

from typing import TextIO

from provplan.diagnostics import Severity
from provplan.escape import terminal
from provplan.i18n import plural, text
from provplan.validate import CheckResult

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


def report_text(result: CheckResult, out: TextIO) -> None:
    if not out.isatty():  # plain text needs no rich, whose import costs more than the report
        for d in result.diagnostics:
            out.write(f"{terminal(str(d))}\n")
        out.write(summary(result) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=True)
    for d in result.diagnostics:
        line = Text(terminal(f"{d.path}:{d.line}:{d.column}: "), style="bold")
        line.append(str(d.severity), style=_STYLE[d.severity])
        line.append(f" {d.code}", style="dim")
        line.append(f" {terminal(str(d.message))}")
        console.print(line)
    console.print(summary(result), style="red" if result.errors else "green")


def summary(result: CheckResult) -> str:
    files = plural("{count} plan file", "{count} plan files", result.files)
    if not result.diagnostics:
        return text("{files} checked: no problems", files=files)
    return text(
        "{files} checked: {errors}, {warnings}",
        files=files,
        errors=plural("{count} error", "{count} errors", result.errors),
        warnings=plural("{count} warning", "{count} warnings", result.warnings),
    )
