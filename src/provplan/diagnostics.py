"""Diagnostics: the findings every stage returns as values, and the table of their codes.

A finding's words are a `Message`, shown in the language of the run; its code, position and
parameters are the same in every language. Stdlib only: every other module may import this.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from provplan.i18n import Message, msg


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    path: Path
    line: int  # 1-based
    column: int  # 1-based, in characters
    code: str
    severity: Severity
    message: Message

    def __str__(self) -> str:  # editor-clickable
        return f"{self.path}:{self.line}:{self.column}: {self.severity} {self.code} {self.message}"

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)


@dataclass(frozen=True, slots=True)
class Code:
    severity: Severity
    title: str  # a msgid: shown through `title()`


E, W = Severity.ERROR, Severity.WARNING

# Stable codes. The README's table is generated from this one (tests keep them equal).
CODES: dict[str, Code] = {
    # PP0xx: reading the file
    "PP001": Code(E, "file cannot be read"),
    "PP002": Code(E, "file is not UTF-8 text"),
    "PP003": Code(E, "file is binary"),
    "PP004": Code(E, "file is too large"),
    "PP005": Code(E, "YAML syntax error"),
    "PP006": Code(E, "more than one YAML document in a file"),
    "PP007": Code(E, "top level is not a mapping, or the file is empty"),
    "PP008": Code(E, "duplicate key in a mapping"),
    "PP009": Code(E, "YAML tag not allowed"),
    "PP010": Code(E, "aliases expand to too many nodes (alias bomb)"),
    "PP011": Code(E, "nesting too deep"),
    "PP012": Code(E, "missing or unsupported `provplan` format version"),
    "PP013": Code(E, "unknown `kind`"),
    "PP014": Code(E, "alias to an undefined or enclosing anchor"),
    "PP015": Code(E, "key is not a scalar"),
    "PP016": Code(E, "too many problems in one file: the first 200 are listed"),
    "PP017": Code(E, "YAML merge key `<<` not supported"),
    # PP1xx: the shape of a document (keys and value types)
    "PP101": Code(E, "required key missing"),
    "PP102": Code(E, "unknown key"),
    "PP103": Code(E, "value of the wrong type"),
    "PP104": Code(E, "required text is empty"),
    "PP105": Code(E, "malformed id"),
    "PP106": Code(E, "value not one of the allowed choices"),
    "PP107": Code(E, "list must not be empty"),
    "PP108": Code(E, "malformed amount of baht"),
    "PP109": Code(E, "year is not a Buddhist-era year"),
    "PP110": Code(E, "malformed date"),
    "PP111": Code(E, "malformed reference (expected OWNER:ID)"),
    # PP2xx: rules inside one document
    "PP201": Code(E, "id used twice in a document"),
    "PP202": Code(E, "period is reversed or longer than 10 years"),
    "PP203": Code(E, "indicator has no target for a year of the period"),
    "PP204": Code(E, "indicator has a target outside the period"),
    "PP205": Code(E, "budget breakdown does not add up to the amount"),
    "PP206": Code(E, "activity budgets do not add up to the amount"),
    "PP207": Code(W, "indicator baseline year is not before the period"),
    "PP208": Code(W, "approvals are not in date order"),
    # PP3xx: owners, channels and areas against the registry
    "PP301": Code(E, "unknown owner"),
    "PP302": Code(E, "owner is of the wrong kind for the document"),
    "PP303": Code(E, "unknown province in `area`"),
    "PP304": Code(E, "channel not allowed for this owner"),
    "PP305": Code(E, "area outside what the channel allows"),
    "PP306": Code(E, "`cluster-in-province` needs exactly one member province in `area`"),
    # PP4xx: references across documents
    "PP401": Code(E, "action plan has no development plan for its fiscal year"),
    "PP402": Code(E, "action plan matches more than one development plan"),
    "PP403": Code(E, "unknown strategic issue"),
    "PP404": Code(E, "strategy is not one of the issue's strategies"),
    "PP405": Code(E, "indicator is not under the issue's goals"),
    "PP406": Code(E, "`aligns_with` names an unknown strategic issue"),
    "PP407": Code(W, "`aligns_with` names a plan that is not among the inputs"),
    "PP408": Code(E, "duplicate plan for the same owner and period or year"),
    # PP5xx: repository settings and command-line inputs
    "PP501": Code(E, "a file named on the command line is not a plan document"),
    "PP502": Code(E, "path does not exist"),
    "PP503": Code(E, "invalid settings in provplan.yaml"),
    "PP504": Code(W, "a disbursement target is below the quarter before it"),
    # PP6xx: progress reports against their action plan
    "PP601": Code(E, "progress report has no action plan for its owner and fiscal year"),
    "PP602": Code(E, "progress report names a project its action plan does not have"),
    "PP603": Code(E, "project reported twice in a progress report"),
    "PP604": Code(W, "project of the action plan missing from the progress report"),
    "PP605": Code(E, "more than one progress report for the same owner, year and quarter"),
    "PP606": Code(E, "committed plus disbursed exceeds the allocated amount"),
    "PP607": Code(W, "allocated amount above the project's budget"),
    "PP608": Code(E, "status does not agree with progress or amounts"),
    "PP609": Code(E, "`as_of` lies outside the quarter"),
    "PP610": Code(W, "disbursed or progress lower than in an earlier quarter's report"),
    "PP611": Code(E, "indicator result names no indicator with a target for the year"),
    "PP612": Code(E, "indicator reported twice in a progress report"),
    "PP613": Code(E, "indicator result needs `met` (its target or actual is text)"),
    "PP614": Code(E, "percentage outside 0-100"),
    # PP7xx: workbooks (`provplan import`)
    "PP701": Code(E, "workbook cannot be read"),
    "PP702": Code(E, "workbook is not laid out as `provplan export` writes it"),
    "PP703": Code(E, "formula without a computed value in a cell"),
    "PP704": Code(E, "workbook is for another plan than the YAML file"),
}


def title(code: str) -> str:
    """The one-line description of a code, in the language of the run."""
    return str(Message(CODES[code].title))


def make(path: Path, line: int, column: int, code: str, message: Message) -> Diagnostic:
    """Build a diagnostic with the default severity of its code."""
    return Diagnostic(path, line, column, code, CODES[code].severity, message)


@dataclass(frozen=True, slots=True)
class Finding:
    """A cross-file finding at `loc` (keys and indexes) in `path`, placed at a line and column
    only when reported: the file is read again then, so outlines need carry no positions."""

    path: Path
    loc: tuple[object, ...]
    code: str
    message: Message
    key: bool = False


def suggest(word: object, choices: Iterable[object]) -> Message:
    """`; did you mean `x`?` for the closest choice, or nothing."""
    names = [str(c) for c in choices]
    close = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    return msg("; did you mean `{word}`?", word=close[0]) if close else Message("")
