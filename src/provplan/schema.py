"""JSON Schemas generated from the models, for editors (completion, inline errors) and tools.

The committed copies in `schemas/` must equal what this generates (a test keeps them so).
"""

from __future__ import annotations

import json
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


def schemas() -> dict[str, dict[str, Any]]:
    """File name → JSON Schema, one per document kind plus `provplan.yaml`."""
    found: dict[str, tuple[type[BaseModel], str]] = {
        f"{kind}.schema.json": (model, f"provplan {kind} (format v{FORMAT_VERSION})")
        for kind, model in KINDS.items()
    }
    found["settings.schema.json"] = (Settings, "provplan.yaml repository settings")
    out = {}
    for name, (model, title) in found.items():
        schema = model.model_json_schema(by_alias=True)
        _allow_extensions(schema)
        out[name] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **schema,
            "title": title,
        }
    return out


def dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
