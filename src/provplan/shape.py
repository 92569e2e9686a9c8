"""The shape of a document: loaded YAML → pydantic models (plans, the registry, settings).

Owns the translation of pydantic's errors into positioned diagnostics: each error's `loc` is
walked through the loaded data to the key (unknown or missing keys) or value (wrong values) it
concerns. The rules beyond the shape are `provplan.validate`'s.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from provplan.diagnostics import Diagnostic, suggest
from provplan.i18n import Message, alternatives, msg, plural
from provplan.load import Loaded
from provplan.model.plan import KINDS, AnyPlan

M = TypeVar("M", bound=BaseModel)

MAX_SCHEMA_ERRORS = 200
_PLAN_KEY = re.compile(rb"^provplan[ \t]*:", re.MULTILINE)
_TEXT, _WHOLE, _NUMBER = msg("text"), msg("a whole number"), msg("a number")
_BOOL, _LIST, _MAPPING = msg("true or false"), msg("a list"), msg("a mapping of keys")
_TYPE_NAMES = {
    "string_type": _TEXT,
    "int_type": _WHOLE,
    "int_parsing": _WHOLE,
    "int_from_float": _WHOLE,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "bool_type": _BOOL,
    "bool_parsing": _BOOL,
    "list_type": _LIST,
    "dict_type": _MAPPING,
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "literal_error": msg("one of the allowed values"),
}


Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """A plan document: its model, its source and its owner's id.

    A document that failed its schema still has a model, built from the parts that passed
    (`broken` holds the locations that did not), so the rules beyond the shape can check the
    rest of it in the same run; every rule asks `has` or `ok` before it reads a value.
    """

    source: Loaded
    plan: AnyPlan
    owner: str  # registry id when the owner is known, else as written
    broken: frozenset[Loc] = frozenset()

    @property
    def path(self) -> Path:
        return self.source.path

    @property
    def complete(self) -> bool:
        return not self.broken

    def has(self, *loc: str | int) -> bool:
        """Whether the value at `loc` is there: neither it nor a parent failed the schema."""
        return not self.broken or not any(loc[:n] in self.broken for n in range(1, len(loc) + 1))

    def ok(self, *loc: str | int) -> bool:
        """Whether the value at `loc` passed the schema whole, with everything below it."""
        return self.has(*loc) and not any(b[: len(loc)] == loc for b in self.broken)

    def items(self, *loc: str | int) -> Iterator[tuple[int, Any]]:
        """The elements of the list at `loc` that are there, with their indexes."""
        if not self.has(*loc):
            return
        node: Any = self.plan
        for step in loc:
            node = node[step] if isinstance(step, int) else getattr(node, step)
        for i, item in enumerate(node or ()):
            if self.has(*loc, i):
                yield i, item

    def at(self, *loc: Any, key: bool = False) -> int:
        """Position of a node given by its keys and indexes."""
        return self.source.locate(loc, key=key)

    def report(self, code: str, message: Message, *loc: Any, key: bool = False) -> Diagnostic:
        return self.source.report(self.at(*loc, key=key), code, message)


@dataclass(frozen=True, slots=True)
class Shaped:
    """A plan document's model, and the locations that failed its schema (none: complete)."""

    plan: AnyPlan
    broken: frozenset[Loc] = frozenset()


def looks_like_plan(raw: bytes) -> bool:
    """Whether an unreadable file still has a top-level `provplan:` key, so it meant to be one."""
    return bool(_PLAN_KEY.search(raw))


def plan_document(loaded: Loaded, *, explicit: bool) -> tuple[Shaped | None, list[Diagnostic]]:
    """Validate a loaded file as a plan; `(None, [])` means "not a plan document, skip it".

    A document of a known kind always gives a model: the whole one, or, with diagnostics, one
    made of the parts that passed the schema.
    """
    data = loaded.data
    if not isinstance(data, dict) or "provplan" not in data:
        if not explicit:
            return None, []
        if isinstance(data, dict):
            code = "PP501"
            what = msg("not a plan document: the file has no top-level `provplan: 1` key")
        else:
            code, what = "PP007", msg("not a plan document: the file is not a mapping")
        return None, [loaded.report(loaded.root, code, what)]
    if data["provplan"] != 1 or isinstance(data["provplan"], bool):
        pos = loaded.locate(["provplan"])
        return None, [
            loaded.report(
                pos,
                "PP012",
                msg(
                    "unsupported format version `{version}`; this provplan reads `provplan: 1`",
                    version=data["provplan"],
                ),
            )
        ]
    kind = data.get("kind")
    model = KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        pos = loaded.locate(["kind"])
        choices = ", ".join(KINDS)
        if "kind" in data:
            what = msg(
                "unknown kind `{kind}`{hint} (kinds: {choices})",
                kind=kind,
                hint=suggest(kind, KINDS),
                choices=choices,
            )
        else:
            what = msg("`kind` is missing (kinds: {choices})", choices=choices)
        return None, [loaded.report(pos, "PP013", what)]
    plan, problems = validate_model(loaded, model)
    if plan is not None:
        return Shaped(plan), problems
    partial, broken = _partial(model, data, ())
    return Shaped(partial, frozenset(broken)), problems  # type: ignore[arg-type]


def _partial(model: type[BaseModel], data: Any, loc: Loc) -> tuple[BaseModel, set[Loc]]:
    """A model of the fields of `data` that pass on their own, descending into sub-models
    and lists of them; the locations of the rest are returned as broken."""
    if not isinstance(data, dict):
        return model.model_construct(), {loc}
    values: dict[str, Any] = {}
    broken: set[Loc] = set()
    for name, field in model.model_fields.items():
        if name == "extensions":
            continue
        if name not in data:
            if field.is_required():
                broken.add((*loc, name))
            continue
        try:
            values[name] = _adapter(model, name).validate_python(data[name])
        except ValidationError:
            value, below = _partial_value(field.annotation, data[name], (*loc, name))
            if value is None or value == []:  # nothing to keep (an empty list is too short)
                broken.add((*loc, name))
            else:  # what failed is below, or was only an unknown key
                values[name] = value
                broken |= below
    return model.model_construct(**values), broken


def _partial_value(annotation: Any, value: Any, loc: Loc) -> tuple[Any, set[Loc]]:
    """What can be kept of a field that failed: a partial sub-model, or a list of items
    each whole or partial (with the broken locations below); None for anything else."""
    inner = _inner_model(annotation)
    if inner is None:
        return None, set()
    listed = any(typing.get_origin(a) is list for a in (annotation, *typing.get_args(annotation)))
    if not listed:
        return _partial(inner, value, loc) if isinstance(value, dict) else (None, set())
    if not isinstance(value, list):
        return None, set()
    items, broken = [], set()
    for i, item in enumerate(value):
        try:
            items.append(inner.model_validate(item))
        except ValidationError:
            model, below = _partial(inner, item, (*loc, i))
            items.append(model)
            broken |= below
    return items, broken


@cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """A validator of one field alone, with its constraints (`min_length`, validators)."""
    field = model.model_fields[name]
    annotation: Any = field.annotation
    if field.metadata:
        annotation = Annotated[(annotation, *field.metadata)]
    return TypeAdapter(annotation)


def validate_model(loaded: Loaded, model: type[M]) -> tuple[M | None, list[Diagnostic]]:
    """Validate loaded data against a model; every error becomes a positioned diagnostic."""
    try:
        return model.model_validate(loaded.data), []
    except ValidationError as err:
        return None, _translate(loaded, model, err.errors(include_url=False))


def _translate(
    loaded: Loaded, model: type[BaseModel], errors: Sequence[ErrorDetails]
) -> list[Diagnostic]:
    by_pos: dict[int, list[tuple[str, Message]]] = {}
    for err in errors[:MAX_SCHEMA_ERRORS]:
        pos, found_code, message = _explain(loaded, model, err)
        by_pos.setdefault(pos, []).append((found_code, message))
    found: list[Diagnostic] = []
    if len(errors) > MAX_SCHEMA_ERRORS:  # a hostile or badly broken file: bounded time, output
        pos = _explain(loaded, model, errors[MAX_SCHEMA_ERRORS])[0]
        more = len(errors) - MAX_SCHEMA_ERRORS
        message = plural(
            "{count} more problem in this file is not listed; fix the ones above first",
            "{count} more problems in this file are not listed; fix the ones above first",
            more,
        )
        found.append(loaded.report(pos, "PP016", message))
    for pos, items in by_pos.items():
        if len(items) > 1 and all(c == "PP103" for c, _ in items):  # a union: every type failed
            wanted = [_type_of(m) for _, m in items]
            items = [("PP103", _must_be(*dict.fromkeys(wanted)))]
        for c, message in dict.fromkeys(items):
            found.append(loaded.report(pos, c, message))
    return found


def _must_be(*wanted: Message) -> Message:
    """`must be text`, or `must be a number or text` for a union of types."""
    return msg("must be {type}", type=alternatives(wanted))


def _type_of(message: Message) -> Message:
    """`a number` of `must be a number`; any other message whole."""
    if message.text == "must be {type}" and isinstance(message.params[0][1], Message):
        return message.params[0][1]
    return message


def _explain(loaded: Loaded, model: type[BaseModel], err: ErrorDetails) -> tuple[int, str, Message]:
    kind, loc = err["type"], err["loc"]
    name = next((s for s in reversed(loc) if isinstance(s, str) and s in _FIELD_NAMES), "value")
    if kind == "missing":
        return loaded.locate(loc[:-1]), "PP101", msg("{key!k} is required here", key=loc[-1])
    if kind == "extra_forbidden":
        fields = _fields_at(model, loc[:-1])
        hint = suggest(loc[-1], fields) if fields else Message("")
        message = msg("unknown key `{key}`{hint}", key=loc[-1], hint=hint)
        return loaded.locate(loc, key=True), "PP102", message
    pos = loaded.locate(loc)
    if kind.startswith("PP"):  # raised by the models with its message (model/base.py)
        found = err.get("ctx", {}).get("message")
        return (
            pos,
            kind,
            found if isinstance(found, Message) else msg("{problem}", problem=err["msg"]),
        )
    if err.get("input", ...) is None:
        return pos, "PP101", msg("{key!k} has no value; write it after the colon", key=name)
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        message = msg(
            "`{value}` is not allowed here{hint} (one of: {choices})",
            value=err.get("input"),
            hint=suggest(err.get("input"), allowed),
            choices=", ".join(allowed),
        )
        return pos, "PP106", message
    if kind == "too_short":
        return pos, "PP107", msg("{key!k} needs at least one entry", key=name)
    if kind.startswith("date"):
        return (
            pos,
            "PP110",
            msg("must be a date written as YYYY-MM-DD (Christian era), e.g. 2024-10-01"),
        )
    if kind == "string_pattern_mismatch" and "aligns_with" in loc:
        message = msg(
            "`{value}` must be `OWNER:ID`, e.g. `northeast-upper-2:SI1`", value=err.get("input")
        )
        return pos, "PP111", message
    if kind in _TYPE_NAMES:
        return pos, "PP103", _must_be(_TYPE_NAMES[kind])
    return pos, "PP103", msg("{problem}", problem=err["msg"])


def _fields_at(model: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    """The keys allowed in the mapping at `loc`, found by following field types."""
    cls: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        field = getattr(cls, "model_fields", {}).get(step)
        if field is None:
            return []
        cls = _inner_model(field.annotation)
    return [name for name in getattr(cls, "model_fields", {}) if name != "extensions"]


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _all_fields(models: Iterable[type[BaseModel]]) -> Iterator[str]:
    for m in models:
        for name, field in m.model_fields.items():
            yield name
            inner = _inner_model(field.annotation)
            if inner is not None and inner is not m:
                yield from _all_fields([inner])


_FIELD_NAMES = frozenset(_all_fields(KINDS.values()))


def field_names() -> frozenset[str]:
    """Every key of the plan documents (the catalogue gives each its Thai name)."""
    return _FIELD_NAMES
