"""Plan text is data in every output language: one escaping function per language.

Plan files come from anyone who can open a pull request, and their text reaches Markdown
(pull-request comments), terminals and CI logs, and spreadsheets. HTML is escaped by Jinja's
autoescape (markupsafe) in `provplan.render.env`; everything else goes through here, at the
boundary where text is written (SECURITY.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!&$])")
# what starts a list item, a numbered item, a quote or a heading underline; a digit cannot be
# escaped in Markdown, so a numbered item's `.` or `)` is
_MD_BLOCK_START = re.compile(r"^(\s*)(?:([-+=>])|(\d+)([.)]))")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def md_escape(value: str) -> str:
    """Markdown that shows the text as it is: special characters escaped, a leading list or
    heading marker defused, control characters dropped, line breaks as `<br>` so that a value
    stays inside its table cell or paragraph."""
    value = _CONTROL.sub("", _LINE_BREAKS.sub("\n", value).replace("\t", " "))
    lines = [
        _MD_BLOCK_START.sub(_defuse, _MD_SPECIAL.sub(r"\\\1", line)) for line in value.split("\n")
    ]
    return "<br>".join(lines)


def _defuse(match: re.Match[str]) -> str:
    indent, marker, digits, stop = match.groups()
    return f"{indent}\\{marker}" if marker else f"{indent}{digits}\\{stop}"


def md_code(value: str) -> str:
    """Text shown as inline code: backticks cannot close the span, a line break cannot end it."""
    value = _CONTROL.sub("", _LINE_BREAKS.sub(" ", value))
    fence = "`" * (max((len(m) for m in re.findall(r"`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


_VISIBLE = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}


def terminal(value: str) -> str:
    """One line of a terminal or CI log: control characters (escape sequences, line breaks)
    shown as visible escapes, never acted on, and undecodable file-name bytes made visible."""
    value = _LINE_BREAKS.sub(lambda m: _VISIBLE.get(m.group(), "\\n"), value)
    value = _CONTROL.sub(lambda m: _VISIBLE.get(m.group(), f"\\x{ord(m.group()):02x}"), value)
    return utf8(value)


def utf8(value: str) -> str:
    """Text that encodes as UTF-8: a file name's undecodable bytes (kept by Python as lone
    surrogates) shown as `\\xff`, as JSON and every other output must stay valid UTF-8."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        pass
    try:
        raw = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def sheet_text(value: str) -> str:
    """A spreadsheet cell's text that no spreadsheet runs as a formula (OWASP's CSV-injection
    advice: a leading `'` where the text starts like a formula)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_json(value: Any) -> str:
    """JSON to place inside a `<script>` element: plan text can neither end the element nor
    start markup, since `<`, `>` and `&` are escaped as JSON escapes."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)


XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters the xlsx format cannot hold (openpyxl refuses to write them)."""


def xlsx_row(values: Sequence[Any]) -> list[Any]:
    """A report's row for a workbook: plan text's control characters (an escape sequence, a
    bell) left out, since no cell can hold them; numbers as they are."""
    return [XLSX_ILLEGAL.sub("", v) if isinstance(v, str) else v for v in values]
