"""The JSON Schemas editors use agree with the validator: valid files pass them, and files
with schema-level errors fail them (else an editor would mark good plans red, or miss typos)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from provplan.load import read
from provplan.schema import schemas

from .conftest import CASES, EXAMPLES

SCHEMAS = schemas()
VALID = [
    *EXAMPLES.rglob("*.yaml"),
    *(CASES / "valid").glob("*.yaml"),
    *(CASES / "context").glob("*.yaml"),
]
# cases whose error lies in one file's shape, which a schema can see
SHAPE_ERRORS = [
    "unknown-key",
    "missing-key",
    "empty-text",
    "bad-id",
    "bad-channel",
    "empty-list",
    "amount-negative",
    "amount-with-separators",
    "ce-fiscal-year",
    "bad-approval-body",
    "ce-period",
    "missing-vision",
    "empty-goals",
    "wrong-type",
    "null-value",
]


def _json(value: Any) -> Any:
    """Loaded YAML as the JSON an editor's YAML extension validates."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def _errors(path: Path) -> list[str]:
    data = read(path).data
    name = "settings.schema.json" if path.name == "provplan.yaml" else f"{data['kind']}.schema.json"
    validator = jsonschema.Draft202012Validator(SCHEMAS[name])
    return [e.message for e in validator.iter_errors(_json(data))]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_files_pass_the_schema(path: Path) -> None:
    assert _errors(path) == []


@pytest.mark.parametrize("name", SHAPE_ERRORS)
def test_shape_errors_fail_the_schema(name: str) -> None:
    assert _errors(CASES / "invalid" / f"{name}.yaml") != []


def test_schemas_are_valid_json_schema() -> None:
    for schema in SCHEMAS.values():
        jsonschema.Draft202012Validator.check_schema(schema)
