"""JSON Schemas generated from the models, for editors (completion, inline errors) and tools.

The committed copies in `schemas/` must equal what this generates (a test keeps them so).
"""

from __future__ import annotations

import ast
import inspect
import itertools
import json
import textwrap
import typing
from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel

from provplan import FORMAT_VERSION
from provplan.model.plan import KINDS
from provplan.model.settings import Settings


def _allow_extensions(node: Any) -> None:
    """Let `x-` keys through every closed mapping, as the format allows."""
    if isinstance(node, dict):
        if node.get("additionalProperties") is False:
            node["patternProperties"] = {"^x-": {}}
        for value in node.values():
            _allow_extensions(value)
    elif isinstance(node, list):
        for value in node:
            _allow_extensions(value)


def field_docs(model: type[BaseModel]) -> dict[str, str]:
    """The docstrings written under a model's fields (in its class and its bases), read from
    the source, as mkdocs documents its config: `name: str` then `\"\"\"What it is.\"\"\"`."""
    docs: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if issubclass(cls, BaseModel) and cls.__module__.startswith("provplan."):
            docs.update(_class_docs(cls))
    return docs


@cache
def _class_docs(cls: type) -> dict[str, str]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    found = {}
    for statement, following in itertools.pairwise(body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            found[statement.target.id] = inspect.cleandoc(following.value.value)
    return found


def _describe(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Give each property of the schema and of its parts the docstring of its field."""
    models = {m.__name__: m for m in _models(model)}
    for name, part in [("", schema), *schema.get("$defs", {}).items()]:
        docs = field_docs(models[name] if name else model)
        for key, prop in part.get("properties", {}).items():
            if key in docs and "description" not in prop:
                prop["description"] = docs[key]


def _models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """The model and every model its fields hold, however deep."""
    seen: set[type[BaseModel]] = set()
    todo = [model]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        yield current
        for field in current.model_fields.values():
            todo += [
                a
                for a in _args(field.annotation)
                if isinstance(a, type) and issubclass(a, BaseModel)
            ]


def _args(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _args(arg)


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON Schema, every property described by its field's docstring."""
    schema = model.model_json_schema(by_alias=True)
    _describe(schema, model)
    return schema


def schemas() -> dict[str, dict[str, Any]]:
    """File name → JSON Schema, one per document kind plus `provplan.yaml`."""
    found: dict[str, tuple[type[BaseModel], str]] = {
        f"{kind}.schema.json": (model, f"provplan {kind} (format v{FORMAT_VERSION})")
        for kind, model in KINDS.items()
    }
    found["settings.schema.json"] = (Settings, "provplan.yaml repository settings")
    out = {}
    for name, (model, title) in found.items():
        schema = json_schema(model)
        _allow_extensions(schema)
        out[name] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **schema,
            "title": title,
        }
    return out


def dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
