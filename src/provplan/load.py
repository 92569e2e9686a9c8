"""Reading YAML files into plain data with positions; never raises on user input.

This stage owns bytes → text → libyaml events → plain Python values (dict, list, str, int,
Decimal, bool, None) plus a position table. It knows nothing of plans: pydantic models are the
next stage (`provplan.shape`).

Why events rather than a composed tree: libyaml's event marks give every key, value and item
its line and column at the cost of parsing alone, 25x faster than ruamel.yaml's round-trip
loader (docs/architecture.md). Building the values here also settles the strict rules of the format:
YAML 1.2 core scalars (`no` is text), numbers with a fraction as exact `Decimal` from the
source text (never a float), digits with a leading zero kept as text (codes such as `0123`),
duplicate keys reported, no tag constructs an object, aliases and nesting bounded.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from _ruamel_yaml import CParser  # libyaml, from ruamel.yaml.clib
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.reader import ReaderError

from provplan.diagnostics import Diagnostic, make
from provplan.files import MAX_BYTES, TooLarge, read_bounded
from provplan.i18n import Message, msg

MAX_DEPTH = 64
MAX_ALIAS_NODES = 100_000

# YAML 1.2 also reads 0o17 and 0x1F as numbers; no plan value is written that way, and an id
# `0x1F` silently becoming 31 is worse than a type error: they stay text.
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
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

# A position is a libyaml mark's character index into the source; line and column are worked
# out from it only when a diagnostic needs them.
Pos = int
_NO_KEY = object()


def text(value: str) -> str:
    """Normalise to NFC, so that text compares as the format requires."""
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def resolve_plain(value: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema, numbers kept exact."""
    if not value:
        return None
    first = value[0]
    if first in "0123456789+-.":
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return Decimal(value)
    if first in "~nNtTfF.+-":
        special = _SPECIAL.get(value, _NO_KEY)
        if special is not _NO_KEY:
            return special
    return text(value)


@dataclass(slots=True)
class Loaded:
    """One YAML file read: its root value, the positions of its nodes and what went wrong."""

    path: Path
    source: str
    data: Any = None
    root: Pos = 0
    # id(container) -> (start, flat positions): [key, value, key, value, ...] for a mapping in
    # the order of its keys, [item, item, ...] for a sequence
    positions: dict[int, tuple[Pos, list[Pos]]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)
    _orders: dict[int, dict[Any, int]] = field(default_factory=dict)

    @property
    def starts(self) -> list[int]:
        """Index of the first character of each line, line breaks counted as libyaml does."""
        if not self._starts:
            self._starts = [0, *(m.end() for m in _LINE_BREAK.finditer(self.source))]
            if len(self._starts) > 1 and self._starts[-1] == len(self.source):
                self._starts.pop()  # a final line break does not open another line
        return self._starts

    @property
    def lines(self) -> int:
        """How many lines the file has (at least 1)."""
        return len(self.starts)

    def where(self, pos: Pos) -> tuple[int, int]:
        """1-based line and column of a position, kept inside the file."""
        line = bisect.bisect_right(self.starts, pos)
        return line, pos - self.starts[line - 1] + 1

    def report(self, pos: Pos, code: str, message: Message) -> Diagnostic:
        line, column = self.where(pos)
        return make(self.path, line, column, code, message)

    def locate(self, loc: Sequence[Any], *, key: bool = False) -> Pos:
        """Position of the node at `loc` (keys and indexes), or of its deepest existing parent.

        With `key` (or a pydantic `[key]` step), a mapping entry is placed at its key.
        """
        node, pos = self.data, self.root
        key = key or "[key]" in loc
        for step in loc:
            entry = self.positions.get(id(node))
            found = None if entry is None else self._step(node, entry[1], step)
            if found is None:
                break
            node, key_pos, value_pos = found
            pos = key_pos if key else value_pos
        return pos

    def _step(self, node: Any, entry: list[Pos], step: Any) -> tuple[Any, Pos, Pos] | None:
        if isinstance(node, dict):
            candidates = [step, str(step)] if not isinstance(step, str) else [step]
            if isinstance(step, str) and step.lstrip("-").isdigit():
                candidates.append(int(step))  # pydantic may give an int key as text
            for k in candidates:
                if k in node:
                    i = self._order(node)[k]
                    return node[k], entry[2 * i], entry[2 * i + 1]
            return None
        if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            return node[step], entry[step], entry[step]
        return None

    def _order(self, node: dict[Any, Any]) -> dict[Any, int]:
        """Each key's place in its mapping, worked out once: a file with 300,000 unknown keys
        must not cost 300,000 scans of the mapping."""
        found = self._orders.get(id(node))
        if found is None:
            found = self._orders[id(node)] = {k: i for i, k in enumerate(node)}
        return found


def read(path: Path) -> Loaded:
    """Read a file into plain data and positions; problems become diagnostics."""
    loaded = Loaded(path, "")
    try:
        raw = read_bounded(path, MAX_BYTES)
    except TooLarge:
        message = msg("file is larger than {size} MiB", size=MAX_BYTES // 2**20)
        loaded.diagnostics.append(make(path, 1, 1, "PP004", message))
        return loaded
    except OSError as err:
        loaded.diagnostics.append(
            make(path, 1, 1, "PP001", msg("cannot read: {reason}", reason=err.strerror))
        )
        return loaded
    return load_bytes(path, raw)


def load_bytes(path: Path, raw: bytes) -> Loaded:
    """Decode and parse a file's bytes; problems become diagnostics."""
    loaded = Loaded(path, "")
    source = _decode(path, raw, loaded.diagnostics)
    if source is None:
        return loaded
    return parse(path, source)


def _decode(path: Path, raw: bytes, diagnostics: list[Diagnostic]) -> str | None:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        diagnostics.append(make(path, 1, 1, "PP002", msg("file is UTF-16; save it as UTF-8")))
        return None
    if b"\0" in raw[:8192]:
        diagnostics.append(make(path, 1, 1, "PP003", msg("file is binary, not YAML text")))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        message = msg(
            "byte {byte} is not UTF-8; save the file as UTF-8", byte=f"0x{raw[err.start]:02x}"
        )
        diagnostics.append(make(path, line, column, "PP002", message))
        return None


def parse(path: Path, source: str) -> Loaded:
    """Parse YAML text into plain data and positions; problems become diagnostics."""
    loaded = Loaded(path, source)
    parser = CParser(source)
    try:
        _build(loaded, parser)
    except MarkedYAMLError as err:
        loaded.data = None
        mark = _best_mark(err)
        pos = mark.index if mark is not None else 0
        loaded.diagnostics.append(loaded.report(pos, "PP005", _syntax_message(err, source, mark)))
    except ReaderError as err:  # a character YAML does not allow, where it is
        loaded.data = None
        character = err.character if isinstance(err.character, int) else 0
        pos = max(source.find(chr(character)), 0)  # the reader stops at its first one
        message = msg(
            "character {character} is not allowed in YAML text; remove it",
            character=f"U+{character:04X}",
        )
        loaded.diagnostics.append(loaded.report(pos, "PP005", message))
    except (YAMLError, ValueError) as err:  # anything else the C parser may raise
        loaded.data = None
        first = str(err).strip().split("\n", 1)[0]
        loaded.diagnostics.append(
            loaded.report(0, "PP005", msg("not valid YAML: {problem}", problem=first))
        )
    finally:
        parser.dispose()
    if loaded.data is None and not loaded.diagnostics:
        loaded.diagnostics.append(loaded.report(0, "PP007", msg("file is empty")))
    return loaded


def _best_mark(err: MarkedYAMLError) -> Any:
    """Where to report a syntax error. For a line without its `:`, libyaml's problem mark is
    past the end of the line or on the next one; its context mark is the line's start."""
    if err.context_mark is not None and "could not find expected ':'" in (err.problem or ""):
        return err.context_mark
    return err.problem_mark or err.context_mark


def _syntax_message(err: MarkedYAMLError, source: str, mark: Any) -> Message:
    """The parser's own words (English, from libyaml) inside a message of ours."""
    problem = err.problem or err.context or "syntax error"
    if mark is not None and 0 <= mark.index < len(source) and source[mark.index] == "\t":
        return msg("a tab cannot indent YAML; indent with spaces")
    if err.context and err.problem:
        problem = f"{problem} ({err.context})"
    if "unexpected ':'" in problem:  # libyaml refuses `a:b` inside [...], unlike YAML 1.2
        return msg(
            'YAML syntax error: {problem}; quote the value ("owner:SI1") or write the list '
            "as lines starting with `- `",
            problem=problem,
        )
    return msg("YAML syntax error: {problem}", problem=problem)


class _Stop(Exception):
    """The file cannot be read further."""

    def __init__(self, pos: Pos, code: str, message: Message) -> None:
        self.pos, self.code, self.message = pos, code, message


# A frame of the builder's stack, a list for speed:
# [container, positions, start, anchor, pending key, its position, skip the value, is a mapping,
#  the number each numeric key names (a year as `2568` or `"2568"`) -> that key]
_CONTAINER, _POSITIONS, _START, _ANCHOR, _KEY, _KEY_POS, _SKIP, _IS_MAP, _NUMBERS = range(9)


def _build(loaded: Loaded, parser: Any) -> None:
    """Turn the parser's events into values and positions, with an explicit stack.

    One loop with local names, no calls per event but the parser's: this is the hot path of
    validating a whole country.
    """
    try:
        _events(loaded, parser)
    except _Stop as stop:
        loaded.data = None
        loaded.diagnostics.append(loaded.report(stop.pos, stop.code, stop.message))


def _events(loaded: Loaded, parser: Any) -> None:
    positions = loaded.positions
    stack: list[list[Any]] = []
    anchors: dict[str, Any] = {}
    weights: dict[int, int] = {}
    plain: dict[str, Any] = {}
    expanded = documents = 0
    get_event = parser.get_event
    while True:
        event = get_event()
        kind = event.__class__
        if kind is ScalarEvent:
            pos = event.start_mark.index
            raw = event.value
            if event.ctag is not None:
                value = _tagged(loaded, event, pos)
            elif event.style or not event.implicit[0]:
                value = text(raw)
            else:  # plain: keys and short values repeat, so remember how they resolved
                value = plain.get(raw, _NO_KEY)
                if value is _NO_KEY:
                    value = resolve_plain(raw)
                    if len(raw) <= 32:
                        plain[raw] = value
            if event.anchor is not None:
                anchors[event.anchor] = value
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            pos = event.start_mark.index
            if event.ctag is not None:
                _check_tag(loaded, str(event.ctag), pos, _COLLECTION_TAGS)
            if len(stack) >= MAX_DEPTH:
                raise _Stop(
                    pos, "PP011", msg("nesting deeper than {depth} levels", depth=MAX_DEPTH)
                )
            is_map = kind is MappingStartEvent
            stack.append(
                [{} if is_map else [], [], pos, event.anchor, _NO_KEY, 0, False, is_map, {}]
            )
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            frame = stack.pop()
            value, pos = frame[_CONTAINER], frame[_START]
            positions[id(value)] = (pos, frame[_POSITIONS])
            if frame[_ANCHOR] is not None:
                anchors[frame[_ANCHOR]] = value
        elif kind is AliasEvent:
            pos = event.start_mark.index
            if event.anchor not in anchors:
                raise _Stop(
                    pos,
                    "PP014",
                    msg(
                        "alias `*{anchor}` has no finished anchor `&{anchor}` before it",
                        anchor=event.anchor,
                    ),
                )
            value = anchors[event.anchor]
            expanded += _weight(value, weights)
            if expanded > MAX_ALIAS_NODES:
                raise _Stop(
                    pos,
                    "PP010",
                    msg(
                        "aliases expand to more than {count} nodes; write the values out "
                        "instead of nesting aliases",
                        count=f"{MAX_ALIAS_NODES:,}",
                    ),
                )
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Stop(
                    event.start_mark.index,
                    "PP006",
                    msg(
                        "a plan file holds one YAML document; remove the `---` and what "
                        "follows or move it to a file of its own"
                    ),
                )
            continue
        elif kind is StreamEndEvent:
            return
        else:
            continue
        if not stack:
            loaded.data, loaded.root = value, pos
            continue
        frame = stack[-1]
        if not frame[_IS_MAP]:
            frame[_CONTAINER].append(value)
            frame[_POSITIONS].append(pos)
        elif frame[_KEY] is _NO_KEY:
            if value is True or value is False:
                value = "true" if value else "false"  # as a key `1` and `true` are not equal
            frame[_KEY], frame[_KEY_POS] = value, pos
            bad = (
                value.__class__ is dict
                or value.__class__ is list
                or value in frame[_CONTAINER]
                or value == "<<"
                or value.__class__ is int
                or (value.__class__ is str and value[:1].isdecimal())
            )
            frame[_SKIP] = bad and _bad_key(loaded, frame, value, pos)
        else:
            if not frame[_SKIP]:
                frame[_CONTAINER][frame[_KEY]] = value
                frame[_POSITIONS].append(frame[_KEY_POS])
                frame[_POSITIONS].append(pos)
            frame[_KEY] = _NO_KEY


_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!")


def _bad_key(loaded: Loaded, frame: list[Any], key: Any, pos: Pos) -> bool:
    """Report a key that cannot be used; true means its value is dropped."""
    if isinstance(key, (dict, list)):
        message = msg("a key must be plain text or a number, not a mapping or list")
        loaded.diagnostics.append(loaded.report(pos, "PP015", message))
        return True
    if key == "<<":
        message = msg(
            "merge keys (`<<: *anchor`) are not part of YAML 1.2 plan files; write the keys out"
        )
        loaded.diagnostics.append(loaded.report(pos, "PP017", message))
        return True
    container = frame[_CONTAINER]
    number = _as_int(key)
    same = key if key in container else frame[_NUMBERS].get(number)
    if number is not None:
        frame[_NUMBERS].setdefault(number, key)
    if same is not None:
        first = frame[_POSITIONS][2 * list(container).index(same)]
        line, _ = loaded.where(first)
        if same != key or same.__class__ is not key.__class__:
            message = msg(
                "duplicate key `{key}` (first given on line {line}); keep one, remove the "
                "other (a year written as a number and as text is the same key)",
                key=key,
                line=line,
            )
        else:
            message = msg(
                "duplicate key `{key}` (first given on line {line}); keep one, remove the other",
                key=key,
                line=line,
            )
        loaded.diagnostics.append(loaded.report(pos, "PP008", message))
        return True
    return False


def _as_int(key: Any) -> int | None:
    """The number a key names: `2568` and `"2568"` become one year key once validated, so
    the second would silently win."""
    if key.__class__ is int:
        return int(key)
    if key.__class__ is str and key.strip().isdecimal():
        return int(key)
    return None


def _tagged(loaded: Loaded, event: Any, pos: Pos) -> Any:
    tag = str(event.ctag)
    if tag in _STR_TAGS:
        return text(event.value)
    _check_tag(loaded, tag, pos, ())
    return resolve_plain(event.value) if not event.style else text(event.value)


def _check_tag(loaded: Loaded, tag: str, pos: Pos, allowed: tuple[str, ...]) -> None:
    if tag not in allowed:
        short = tag.replace("tag:yaml.org,2002:", "!!")
        message = msg("tag `{tag}` is not allowed in plan files; remove it", tag=short)
        loaded.diagnostics.append(loaded.report(pos, "PP009", message))


def _weight(value: Any, weights: dict[int, int]) -> int:
    """How many nodes a value expands to; shared containers are counted once per use, but
    measured once (so measuring an alias bomb is cheap)."""
    if not isinstance(value, (dict, list)):
        return 1
    known = weights.get(id(value))
    if known is None:
        items = value.values() if isinstance(value, dict) else value
        known = 1 + len(value) * isinstance(value, dict) + sum(_weight(v, weights) for v in items)
        weights[id(value)] = known
    return known
