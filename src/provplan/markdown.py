"""Markdown as plain data: plan text escaped so that it can never become markup."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def md_escape(value: str) -> str:
    """Special characters escaped and line breaks kept inside a table cell."""
    return _SPECIAL.sub(r"\\\1", value).replace("\r\n", "\n").replace("\n", "<br>")
