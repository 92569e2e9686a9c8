"""Reading YAML files into plain data with positions; never raises on user input.

This stage owns bytes → text → libyaml events → plain Python values (dict, list, str, int,
Decimal, bool, None) plus a position table. It knows nothing of plans: pydantic models are the
next stage (`provplan.documents`).

Why events rather than a composed tree: libyaml's event marks give every key, value and item
its line and column at the cost of parsing alone, 25x faster than ruamel.yaml's round-trip
loader (issue #6). Building the values here also settles the strict rules of the format:
YAML 1.2 core scalars (`no` is text), numbers with a fraction as exact `Decimal` from the
source text (never a float), digits with a leading zero kept as text (codes such as `0123`),
duplicate keys reported, no tag constructs an object, aliases and nesting bounded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from provplan.diagnostics import Diagnostic, make

MAX_BYTES = 32 * 2**20
MAX_DEPTH = 64
MAX_ALIAS_NODES = 100_000

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL = {
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    ".inf": Decimal("Infinity"),
    "+.inf": Decimal("Infinity"),
    "-.inf": Decimal("-Infinity"),
    ".nan": Decimal("NaN"),
    ".NaN": Decimal("NaN"),
}
_STR_TAGS = {"!", "tag:yaml.org,2002:str"}
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # libyaml's line breaks

# A position is a libyaml mark packed in one int: 0-based line << 32 | 0-based column.
Pos = int
_NO_KEY = object()


def _pack(mark: Any) -> Pos:
    return int(mark.line) << 32 | int(mark.column)


def text(value: str) -> str:
    """Normalise to NFC, so that text compares as the format requires."""
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def resolve_plain(value: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema, numbers kept exact."""
    if not value:
        return None
    if value[0] in "0123456789+-.":
        if _INT.fullmatch(value):
            return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
        if _FLOAT.fullmatch(value):
            try:
                return Decimal(value)
            except InvalidOperation:  # pragma: no cover - the regex admits only valid text
                return text(value)
    special = _SPECIAL.get(value, _NO_KEY)
    return text(value) if special is _NO_KEY else special


@dataclass(slots=True)
class Loaded:
    """One YAML file read: its root value, the positions of its nodes and what went wrong."""

    path: Path
    source: str
    data: Any = None
    root: Pos = 0
    # id(container) -> (start, {key: (key_pos, value_pos)}) or (start, [item_pos, ...])
    positions: dict[int, tuple[Pos, Any]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _lines: int = 0

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(d.severity == "error" for d in self.diagnostics)

    @property
    def lines(self) -> int:
        """How many lines the file has, counted as libyaml counts them (at least 1)."""
        if not self._lines:
            breaks = [m.end() for m in _LINE_BREAK.finditer(self.source)]
            trailing = bool(breaks) and breaks[-1] == len(self.source)
            self._lines = max(1, len(breaks) + (0 if trailing else 1))
        return self._lines

    def where(self, pos: Pos) -> tuple[int, int]:
        """1-based line and column of a packed position, kept inside the file."""
        line = min((pos >> 32) + 1, self.lines)
        return line, (pos & 0xFFFFFFFF) + 1

    def report(self, pos: Pos, code: str, message: str) -> Diagnostic:
        line, column = self.where(pos)
        return make(self.path, line, column, code, message)

    def locate(self, loc: Sequence[Any], *, key: bool = False) -> Pos:
        """Position of the node at `loc` (keys and indexes), or of its deepest existing parent.

        With `key`, a mapping entry is placed at its key rather than its value.
        """
        node, pos = self.data, self.root
        for step in loc:
            entry = self.positions.get(id(node))
            if entry is None:
                break
            if step == "[key]":
                continue  # pydantic marks dict-key errors so; `key` handling covers it
            found = _step(node, entry[1], step)
            if found is None:
                break
            node, (key_pos, value_pos) = found
            pos = key_pos if key or "[key]" in loc else value_pos
        return pos


def _step(node: Any, entry: Any, step: Any) -> tuple[Any, tuple[Pos, Pos]] | None:
    if isinstance(node, dict):
        for k in (step, str(step)) if not isinstance(step, str) else (step,):
            if k in node:
                return node[k], entry[k]
        if isinstance(step, str) and step.lstrip("-").isdigit() and int(step) in node:
            return node[int(step)], entry[int(step)]
        return None
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step], (entry[step], entry[step])
    return None


def read(path: Path) -> Loaded:
    """Read a file into plain data and positions; problems become diagnostics."""
    loaded = Loaded(path, "")
    try:
        if path.stat().st_size > MAX_BYTES:
            loaded.diagnostics.append(
                make(path, 1, 1, "PP004", f"file is larger than {MAX_BYTES // 2**20} MiB")
            )
            return loaded
        raw = path.read_bytes()
    except OSError as err:
        loaded.diagnostics.append(make(path, 1, 1, "PP001", f"cannot read: {err.strerror}"))
        return loaded
    source = _decode(path, raw, loaded.diagnostics)
    if source is None:
        return loaded
    return parse(path, source)


def _decode(path: Path, raw: bytes, diagnostics: list[Diagnostic]) -> str | None:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        diagnostics.append(make(path, 1, 1, "PP002", "file is UTF-16; save it as UTF-8"))
        return None
    if b"\0" in raw[:8192]:
        diagnostics.append(make(path, 1, 1, "PP003", "file is binary, not YAML text"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        diagnostics.append(
            make(
                path,
                line,
                column,
                "PP002",
                f"byte 0x{raw[err.start]:02x} is not UTF-8; save the file as UTF-8",
            )
        )
        return None


def parse(path: Path, source: str) -> Loaded:
    """Parse YAML text into plain data and positions; problems become diagnostics."""
    loaded = Loaded(path, source)
    try:
        _Builder(loaded).run(YAML(typ="safe").parse(source))
    except MarkedYAMLError as err:
        loaded.data = None
        mark = err.problem_mark or err.context_mark
        pos = _pack(mark) if mark is not None else 0
        loaded.diagnostics.append(loaded.report(pos, "PP005", _syntax_message(err, source, mark)))
    except (YAMLError, ValueError) as err:  # the C parser raises these for e.g. bad characters
        loaded.data = None
        loaded.diagnostics.append(loaded.report(0, "PP005", f"not valid YAML: {err}"))
    if loaded.data is None and not loaded.diagnostics:
        loaded.diagnostics.append(loaded.report(0, "PP007", "file is empty"))
    return loaded


def _syntax_message(err: MarkedYAMLError, source: str, mark: Any) -> str:
    problem = err.problem or err.context or "syntax error"
    if mark is not None and 0 <= mark.index < len(source) and source[mark.index] == "\t":
        return "a tab cannot indent YAML; indent with spaces"
    context = f" ({err.context})" if err.context and err.problem else ""
    hint = ""
    if "unexpected ':'" in problem:  # libyaml refuses `a:b` inside [...], unlike YAML 1.2
        hint = '; quote the value ("owner:SI1") or write the list as lines starting with `- `'
    return f"YAML syntax error: {problem}{context}{hint}"


class _Stop(Exception):
    """The file cannot be read further; the diagnostic is already recorded."""


@dataclass(slots=True)
class _Frame:
    container: Any
    entries: Any
    start: Pos
    anchor: str | None
    key: Any = _NO_KEY
    key_pos: Pos = 0
    skip: bool = False
    weight: int = 1


class _Builder:
    """Turns an event stream into values and positions, with an explicit stack (no recursion)."""

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.expanded = 0
        self.documents = 0

    def fail(self, pos: Pos, code: str, message: str) -> None:
        self.loaded.diagnostics.append(self.loaded.report(pos, code, message))

    def run(self, events: Iterator[Any]) -> None:
        try:
            for event in events:
                self.event(event)
        except _Stop:
            self.loaded.data = None

    def event(self, event: Any) -> None:
        kind = type(event)
        if kind is ScalarEvent:
            self.add(self.scalar(event), _pack(event.start_mark), 1, event.anchor)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            self.open(event, {} if kind is MappingStartEvent else [])
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            frame = self.stack.pop()
            self.loaded.positions[id(frame.container)] = (frame.start, frame.entries)
            self.add(frame.container, frame.start, frame.weight, frame.anchor)
        elif kind is AliasEvent:
            self.alias(event)
        elif kind is DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self.fail(
                    _pack(event.start_mark),
                    "PP006",
                    "a plan file holds one YAML document; remove the `---` and what follows "
                    "or move it to a file of its own",
                )
                raise _Stop

    def open(self, event: Any, container: Any) -> None:
        start = _pack(event.start_mark)
        self.check_tag(event, start, ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"))
        if len(self.stack) >= MAX_DEPTH:
            self.fail(start, "PP011", f"nesting deeper than {MAX_DEPTH} levels")
            raise _Stop
        entries: Any = {} if isinstance(container, dict) else []
        self.stack.append(_Frame(container, entries, start, event.anchor))

    def scalar(self, event: Any) -> Any:
        value: str = event.value
        tag = event.tag
        if tag is None:
            return resolve_plain(value) if not event.style and event.implicit[0] else text(value)
        if tag in _STR_TAGS:
            return text(value)
        self.check_tag(event, _pack(event.start_mark), ())
        return resolve_plain(value) if not event.style else text(value)

    def check_tag(self, event: Any, pos: Pos, allowed: tuple[str, ...]) -> None:
        tag = event.tag
        if tag is not None and tag not in allowed and tag != "!":
            short = tag.replace("tag:yaml.org,2002:", "!!")
            self.fail(pos, "PP009", f"tag `{short}` is not allowed in plan files; remove it")

    def alias(self, event: Any) -> None:
        pos = _pack(event.start_mark)
        target = self.anchors.get(event.anchor)
        if target is None:
            self.fail(
                pos,
                "PP014",
                f"alias `*{event.anchor}` has no finished anchor `&{event.anchor}` before it",
            )
            raise _Stop
        value, weight = target
        self.expanded += weight
        if self.expanded > MAX_ALIAS_NODES:
            self.fail(
                pos,
                "PP010",
                f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes; "
                "write the values out instead of nesting aliases",
            )
            raise _Stop
        self.add(value, pos, weight, None)

    def add(self, value: Any, pos: Pos, weight: int, anchor: str | None) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, weight)
        if not self.stack:
            self.loaded.data, self.loaded.root = value, pos
            return
        frame = self.stack[-1]
        frame.weight += weight
        if isinstance(frame.container, list):
            frame.container.append(value)
            frame.entries.append(pos)
        elif frame.key is _NO_KEY:
            self.set_key(frame, value, pos)
        else:
            self.set_value(frame, value, pos)

    def set_key(self, frame: _Frame, key: Any, pos: Pos) -> None:
        frame.key, frame.key_pos, frame.skip = key, pos, False
        if isinstance(key, (dict, list)):
            self.fail(pos, "PP015", "a key must be plain text or a number, not a mapping or list")
            frame.skip = True
        elif key in frame.container:
            line, _ = self.loaded.where(frame.entries[key][0])
            self.fail(
                pos,
                "PP008",
                f"duplicate key `{key}` (first given on line {line}); "
                "keep one and remove the other",
            )
            frame.skip = True

    def set_value(self, frame: _Frame, value: Any, pos: Pos) -> None:
        if not frame.skip:
            frame.container[frame.key] = value
            frame.entries[frame.key] = (frame.key_pos, pos)
        frame.key = _NO_KEY
