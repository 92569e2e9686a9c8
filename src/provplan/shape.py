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
from provplan.load import Loaded
from provplan.model.plan import KINDS, AnyPlan

M = TypeVar("M", bound=BaseModel)

MAX_SCHEMA_ERRORS = 200
_PLAN_KEY = re.compile(rb"^provplan[ \t]*:", re.MULTILINE)
_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "decimal_type": "a number",
    "decimal_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "literal_error": "one of the allowed values",
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

    def report(self, code: str, message: str, *loc: Any, key: bool = False) -> Diagnostic:
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
        what = (
            "has no top-level `provplan: 1` key" if isinstance(data, dict) else "is not a mapping"
        )
        code = "PP501" if isinstance(data, dict) else "PP007"
        return None, [loaded.report(loaded.root, code, f"not a plan document: the file {what}")]
    if data["provplan"] != 1 or isinstance(data["provplan"], bool):
        pos = loaded.locate(["provplan"])
        return None, [
            loaded.report(
                pos,
                "PP012",
                f"unsupported format version "
                f"`{data['provplan']}`; this provplan reads `provplan: 1`",
            )
        ]
    kind = data.get("kind")
    model = KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        pos = loaded.locate(["kind"])
        what = f"unknown kind `{kind}`" if "kind" in data else "`kind` is missing"
        choices = ", ".join(KINDS)
        return None, [
            loaded.report(pos, "PP013", f"{what}{suggest(kind, KINDS)} (kinds: {choices})")
        ]
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
    by_pos: dict[int, list[tuple[str, str]]] = {}
    for err in errors[:MAX_SCHEMA_ERRORS]:
        pos, found_code, message = _explain(loaded, model, err)
        by_pos.setdefault(pos, []).append((found_code, message))
    found: list[Diagnostic] = []
    if len(errors) > MAX_SCHEMA_ERRORS:  # a hostile or badly broken file: bounded time, output
        pos = _explain(loaded, model, errors[MAX_SCHEMA_ERRORS])[0]
        more = len(errors) - MAX_SCHEMA_ERRORS
        message = f"{more:,} more problems in this file are not listed; fix the ones above first"
        found.append(loaded.report(pos, "PP016", message))
    for pos, items in by_pos.items():
        if len(items) > 1 and all(c == "PP103" for c, _ in items):  # a union: every type failed
            wanted = " or ".join(dict.fromkeys(m.removeprefix("must be ") for _, m in items))
            items = [("PP103", f"must be {wanted}")]
        for c, message in dict.fromkeys(items):
            found.append(loaded.report(pos, c, message))
    return found


def _explain(loaded: Loaded, model: type[BaseModel], err: ErrorDetails) -> tuple[int, str, str]:
    kind, loc = err["type"], err["loc"]
    name = next((s for s in reversed(loc) if isinstance(s, str) and s in _FIELD_NAMES), "value")
    if kind == "missing":
        return loaded.locate(loc[:-1]), "PP101", f"`{loc[-1]}` is required here"
    if kind == "extra_forbidden":
        fields = _fields_at(model, loc[:-1])
        hint = suggest(loc[-1], fields) if fields else ""
        return loaded.locate(loc, key=True), "PP102", f"unknown key `{loc[-1]}`{hint}"
    pos = loaded.locate(loc)
    if kind.startswith("PP"):
        return pos, kind, err["msg"]
    if err.get("input", ...) is None:
        return pos, "PP101", f"`{name}` has no value; write it after the colon"
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        hint = suggest(err.get("input"), allowed)
        return (
            pos,
            "PP106",
            f"`{err.get('input')}` is not allowed here{hint} (one of: {', '.join(allowed)})",
        )
    if kind == "too_short":
        return pos, "PP107", f"`{name}` needs at least one entry"
    if kind.startswith("date"):
        return pos, "PP110", "must be a date written as YYYY-MM-DD (Christian era), e.g. 2024-10-01"
    if kind == "string_pattern_mismatch" and "aligns_with" in loc:
        return (
            pos,
            "PP111",
            f"`{err.get('input')}` must be `OWNER:ID`, e.g. `northeast-upper-2:SI1`",
        )
    if kind in _TYPE_NAMES:
        return pos, "PP103", f"must be {_TYPE_NAMES[kind]}"
    return pos, "PP103", err["msg"]


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
