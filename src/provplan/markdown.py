"""Markdown as plain data: plan text escaped so that it can never become markup."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")
# what starts a list, a numbered list or a heading underline at the start of a line
_LINE_START = re.compile(r"^([ \t]*)([-+=]|\d+(?=[.)]))", re.MULTILINE)


def md_escape(value: str) -> str:
    """Special characters escaped and line breaks kept inside a table cell."""
    value = _SPECIAL.sub(r"\\\1", value).replace("\r\n", "\n")
    value = _LINE_START.sub(_escape_marker, value)
    return value.replace("\n", "<br>")


def _escape_marker(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    if marker.isdigit():  # "1. " stays text: escape the full stop, not the digits
        return f"{indent}{marker}\\"
    return f"{indent}\\{marker}"
