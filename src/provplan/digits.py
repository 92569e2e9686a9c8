"""Thai digits in a finished document's text only, never in its markup.

Converting values as templates print them rewrote attributes too (`colspan="๕"`, links to
`C๐๑.html`) and missed the templates' own numerals ("จ.1-1", dates). Converting the whole
rendered document, skipping everything that is markup, does both right.
"""

from __future__ import annotations

import re

from provplan.thai import thai_digits

# HTML: tags (with their attributes), character references (&#39;), style and script bodies.
_HTML_MARKUP = re.compile(
    r"<(style|script)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>|&#?\w+;", re.DOTALL | re.IGNORECASE
)
# Codes that mix Latin letters and digits (project ids C01, MDH01, strategies S1.2) are
# identifiers, not numbers: they keep ASCII digits.
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*[0-9][A-Za-z0-9.]*")
# Markdown: link targets `](…)`, raw HTML tags (`<br>`) and character references.
_MD_MARKUP = re.compile(r"\]\([^)]*\)|<[^>]*>|&#?\w+;")


def _text_only(text: str, markup: re.Pattern[str]) -> str:
    """Thai digits everywhere in `text` except in what `markup` matches and in codes."""
    parts, last = [], 0
    for match in markup.finditer(text):
        parts.append(_numbers(text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_numbers(text[last:]))
    return "".join(parts)


def _numbers(text: str) -> str:
    parts, last = [], 0
    for match in _CODE.finditer(text):
        parts.append(thai_digits(text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(thai_digits(text[last:]))
    return "".join(parts)


def html_thai_digits(html: str) -> str:
    """Thai digits in an HTML document's text; tags, attributes and CSS keep ASCII digits."""
    return _text_only(html, _HTML_MARKUP)


def markdown_thai_digits(markdown: str) -> str:
    """Thai digits in a Markdown document's text; link targets and tags keep ASCII digits."""
    return _text_only(markdown, _MD_MARKUP)
