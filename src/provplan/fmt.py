"""`provplan fmt`: the canonical layout of plan files.

Key order of the format's tables, `x-` keys last, targets by year; two-space indentation
with list items indented under their key; quotes only where YAML needs them. Comments, Thai
text, block scalars and flow style are kept: this is ruamel.yaml's round trip, the one place
that needs it (the fast loader keeps no comments). A result is written only if it loads to
exactly the same values as the original.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from provplan.diagnostics import Diagnostic, make
from provplan.files import discover
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


def round_trip() -> YAML:
    yaml = YAML()  # round trip, YAML 1.2
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap: authors break long Thai text with block scalars
    yaml.preserve_quotes = False
    yaml.Constructor.add_constructor("tag:yaml.org,2002:float", lambda _, node: Exact(node.value))
    yaml.Representer.add_representer(
        Exact, lambda r, data: r.represent_scalar("tag:yaml.org,2002:float", str(data))
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
    """Put every mapping's keys in the canonical order, in place (comments move with keys)."""
    if isinstance(node, CommentedMap):
        for key in sorted(node, key=lambda k: _rank(context, k)):
            node.move_to_end(key)
        for key, value in node.items():
            canonical(value, str(key))
    elif isinstance(node, CommentedSeq):
        for item in node:
            canonical(item, context)


def canonical_text(source: str) -> str:
    """YAML text in the canonical layout (the caller checks that values are unchanged)."""
    document = round_trip().load(source)
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
    """The canonical text of a file, checked to load to the same values."""
    loaded = read(path)
    if isinstance(loaded.data, dict) and "provplan" not in loaded.data:
        return Formatted(path, loaded.source, None, [])  # not a plan document: not ours
    if loaded.data is None or any(d.code < "PP100" for d in loaded.diagnostics):
        return Formatted(path, loaded.source, None, loaded.diagnostics)
    text = canonical_text(loaded.source)
    if parse(path, text).data != loaded.data:  # a safety net: never write a change of values
        message = "formatting would change the values; left as it is (please report this file)"
        return Formatted(path, loaded.source, None, [make(path, 1, 1, "PP005", message)])
    return Formatted(path, loaded.source, text, [])


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
