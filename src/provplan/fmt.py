"""`provplan fmt`: the canonical layout of plan files.

Key order of the format's tables, `x-` keys last, targets by year; two-space indentation
with list items indented under their key; quotes only where YAML needs them. Comments, Thai
text, block scalars and flow style are kept: this is ruamel.yaml's round trip, the one place
that needs it (the fast loader keeps no comments). A result is written only if it loads to
exactly the same values as the original.
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from provplan.diagnostics import Diagnostic, make
from provplan.files import discover
from provplan.i18n import msg
from provplan.load import parse, read
from provplan.model.plan import BudgetClass
from provplan.output import write_atomic
from provplan.thai import BUDGET_CLASSES

# The order of keys in each kind of mapping, named by the key that holds it ("" at the top).
ORDER: dict[str, tuple[str, ...]] = {
    "": (
        "provplan",
        "kind",
        "owner",
        "fiscal_year",
        "quarter",
        "as_of",
        "period",
        "title",
        "approvals",
        "vision",
        "positioning",
        "strategic_issues",
        "projects",
        "indicators",
        "diagnostics",
        "registry",
        "templates",
        "disbursement_targets",
    ),
    "approvals": ("body", "date", "ref"),
    "period": ("start", "end"),
    "strategic_issues": ("id", "title", "aligns_with", "goals", "strategies"),
    "goals": ("id", "statement", "indicators"),
    # an indicator of a development plan, or an indicator result of a progress report
    "indicators": (
        "id",
        "name",
        "unit",
        "direction",
        "baseline",
        "targets",
        "actual",
        "met",
        "note",
    ),
    "baseline": ("year", "value"),
    "strategies": ("id", "title", "description"),
    "projects": (
        "id",
        "title",
        "strategic_issue",
        "strategy",
        "indicators",
        "channel",
        "area",
        "description",
        "rationale",
        "objectives",
        "outputs",
        "outcomes",
        "agency",
        "budget",
        "activities",
        # a project of a progress report
        "status",
        "allocated",
        "committed",
        "disbursed",
        "progress",
        "results",
        "problems",
        "remedies",
    ),
    "budget": ("amount", "breakdown"),
    "breakdown": tuple(c for c in BUDGET_CLASSES if c in BudgetClass.__args__),  # type: ignore[attr-defined]
    "activities": ("title", "budget", "agency", "partners"),
}


class Exact(str):
    """A number with a fraction, kept as its source text: never through a binary float."""


class _Verbatim(str):
    """A date or time kept as its source text: `2024-02-30` validates as an `x-` value (the
    format reads dates as text), and must not be a crash of ruamel's date constructor."""


def round_trip() -> YAML:
    yaml = YAML()  # round trip, YAML 1.2
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap: authors break long Thai text with block scalars
    yaml.preserve_quotes = False
    yaml.Constructor.add_constructor("tag:yaml.org,2002:float", lambda _, node: Exact(node.value))
    yaml.Representer.add_representer(
        Exact, lambda r, data: r.represent_scalar("tag:yaml.org,2002:float", str(data))
    )
    yaml.Constructor.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda _, node: _Verbatim(node.value)
    )
    yaml.Representer.add_representer(
        _Verbatim, lambda r, data: r.represent_scalar("tag:yaml.org,2002:timestamp", str(data))
    )
    return yaml


def _rank(context: str, key: Any) -> tuple[int, int, Any]:
    order = ORDER.get(context, ())
    if context == "targets" and isinstance(key, int):
        return (0, key, "")
    if isinstance(key, str) and key.startswith("x-"):
        return (2, 0, key)
    return (0, order.index(key), "") if key in order else (1, 0, str(key))


def canonical(node: Any, context: str = "") -> None:
    """Put every mapping's keys in the canonical order, in place, comment lines with the key
    they stand above."""
    if isinstance(node, CommentedMap):
        keys = list(node)
        order = sorted(keys, key=lambda k: _rank(context, k))
        if order != keys:
            _rehome_comments(node, keys, order)
            for key in order:
                node.move_to_end(key)
        for key, value in node.items():
            canonical(value, str(key))
    elif isinstance(node, CommentedSeq):
        for item in node:
            canonical(item, context)


# ruamel keeps comment lines as the trailing comment of whatever came before them (the
# deepest last value of the previous key), so moving keys would carry them off to the wrong
# key. Before a mapping is reordered they are moved onto the key they stand above.


def _rehome_comments(node: CommentedMap, keys: list[Any], order: list[Any]) -> None:
    for key, following in itertools.pairwise(keys):
        lines = _take_lines(node, key)
        if lines:
            column = node.lc.key(following)[1]
            before = [
                CommentToken(
                    " " * column + line.strip() + "\n" if line.strip() else "\n", CommentMark(0)
                )
                for line in lines.rstrip("\n").split("\n")
            ]
            entry = node.ca.items.setdefault(following, [None, None, None, None])
            entry[1] = before + (entry[1] or [])
    tail = _take_lines(node, keys[-1])  # what followed the mapping follows it still
    if tail:
        container, last, place = _trailing_slot(node, order[-1])
        entry = container.ca.items.setdefault(last, [None, None, None, None])
        token = entry[place]
        if isinstance(token, CommentToken):
            token.value = token.value.rstrip("\n") + "\n" + tail
        else:
            entry[place] = CommentToken("\n" + tail, CommentMark(0))


def _trailing_slot(node: Any, key: Any) -> tuple[Any, Any, int]:
    """Where the comment after `node[key]` is kept: (container, key, place in its entry)."""
    value = node[key]
    if isinstance(value, CommentedMap) and value:
        return _trailing_slot(value, list(value)[-1])
    if isinstance(value, CommentedSeq) and value:
        return _trailing_slot(value, len(value) - 1)
    return node, key, 2 if isinstance(node, CommentedMap) else 0


def _take_lines(node: Any, key: Any) -> str:
    """The comment lines after `node[key]`'s own line, taken off it."""
    container, slot, place = _trailing_slot(node, key)
    entry = container.ca.items.get(slot)
    token = entry[place] if entry and len(entry) > place else None
    if not isinstance(token, CommentToken):
        return ""
    end_of_line, _, lines = token.value.partition("\n")
    if not lines.strip():
        return ""
    token.value = end_of_line + "\n"
    return lines


# `kind:<tab>action-plan` is valid YAML that libyaml reads and ruamel's scanner refuses: the
# tab becomes a space (the safety net below checks that the values stay the same).
_TAB_AFTER_KEY = re.compile(r"^(\s*(?:- )?[A-Za-z0-9_.-]+:)\t+(?=\S)", re.MULTILINE)


def canonical_text(source: str) -> str:
    """YAML text in the canonical layout (the caller checks that values are unchanged)."""
    document = round_trip().load(_TAB_AFTER_KEY.sub(r"\1 ", source))
    canonical(document)
    buffer = io.StringIO()
    round_trip().dump(document, buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Formatted:
    path: Path
    original: str
    text: str | None  # None when the file cannot be formatted (see diagnostics)
    diagnostics: list[Diagnostic]

    @property
    def changed(self) -> bool:
        return self.text is not None and self.text != self.original


def format_file(path: Path) -> Formatted:
    """The canonical text of a file, checked to load to the same values, to keep every
    comment and to read back; otherwise the file is left as it is, with a diagnostic."""
    loaded = read(path)
    if loaded.data is not None and not (
        isinstance(loaded.data, dict) and "provplan" in loaded.data
    ):  # not a plan document (a workflow, a list, a scalar): not ours to lay out
        return Formatted(path, loaded.source, None, [])
    if loaded.data is None or any(d.code < "PP100" for d in loaded.diagnostics):
        return Formatted(path, loaded.source, None, loaded.diagnostics)
    problem = None
    try:
        text = canonical_text(loaded.source)
        round_trip().load(text)  # ruamel must read its own output again (`{*k : v}`)
    except Exception as err:
        # any failure there is a file left alone, never a crash of fmt
        problem = msg(
            "fmt cannot lay this file out ({error}); left as it is",
            error=f"{type(err).__name__}: {_first_line(err)}",
        )
    else:
        if parse(path, text).data != loaded.data:
            problem = msg("formatting would change the values; left as it is")
        elif _comments(text) != _comments(loaded.source):
            problem = msg(
                "formatting would drop a comment (comments inside [...] or {{...}}); left as it is"
            )
    if problem is not None:
        return Formatted(path, loaded.source, None, [make(path, 1, 1, "PP005", problem)])
    return Formatted(path, loaded.source, text, [])


_COMMENT = re.compile(r"(?:^|[ \t])(#.*)$", re.MULTILINE)


def _comments(text: str) -> Counter[str]:
    """The comments of a text, as a multiset (a `#` after a space inside a quoted value
    counts on both sides alike)."""
    return Counter(m.group(1).rstrip() for m in _COMMENT.finditer(text))


def _first_line(err: Exception) -> str:
    return str(err).strip().split("\n", 1)[0]


@dataclass(frozen=True)
class FmtResult:
    changed: list[Path]  # reformatted, or that would be with `check`
    unchanged: int
    problems: list[Diagnostic]

    def exit_code(self, *, check: bool) -> int:
        """1 when a file could not be formatted, or would change under `check`."""
        return 1 if self.problems or (check and self.changed) else 0


def format_paths(paths: list[Path], *, check: bool = False) -> FmtResult:
    """Put every plan file under `paths` in the canonical layout (with `check`, only say
    which would change); files that do not load are reported and left alone."""
    candidates, problems = discover(paths)
    changed: list[Path] = []
    unchanged = 0
    for candidate in candidates:
        result = format_file(candidate.path)
        problems += result.diagnostics
        if result.text is None:
            continue
        if not result.changed:
            unchanged += 1
            continue
        changed.append(candidate.path)
        if not check:
            write_atomic(candidate.path, result.text)
    return FmtResult(changed, unchanged, problems)
