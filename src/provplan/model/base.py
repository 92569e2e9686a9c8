"""Field types and the base model shared by plans, the registry and repository settings.

Validation errors raised here carry a provplan code as their pydantic error type (`PP108`…),
so `provplan.shape` turns them into diagnostics without a lookup table of messages.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from provplan.i18n import Message, msg
from provplan.years import BE_YEARS, year_problem

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"  # JSON Schema (ECMA); Python uses fullmatch
MAX_AMOUNT = Decimal(10) ** 15
"""The money rule's range: 0 ≤ amount < 10^15 baht, at most two decimals. A sum of up to
10^11 such amounts has at most 28 significant digits, so Decimal's default context adds and
compares every figure of every command exactly (no rounding ever happens)."""
_ID = re.compile(ID_PATTERN)


def problem(code: str, message: Message) -> PydanticCustomError:
    """A validation error carrying its provplan code; `provplan.shape` reports `message`
    (kept whole in the error's context, so it is shown in the language of the run)."""
    return PydanticCustomError(code, "{message}", {"message": message})


def _id(value: Any) -> Any:
    # A bare number (`id: 1`) is an id too; digits with a leading zero already load as text.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and not _ID.fullmatch(value):  # `$` would allow a final "\n"
        raise problem(
            "PP105",
            msg(
                "id `{value}` may hold only letters, digits, `.`, `_` and `-`, "
                "and must start with a letter or digit",
                value=value,
            ),
        )
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise problem("PP104", msg("text must not be empty"))
    return value


def _be_year(value: int) -> int:
    found = year_problem(value)
    if found is not None:
        raise problem("PP109", found)
    return value


def _amount(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        if isinstance(value, str) and value.replace(",", "").replace(".", "", 1).isdigit():
            raise problem(
                "PP108",
                msg(
                    "amount must be a number of baht; write it without separators or quotes: "
                    "{plain}",
                    plain=value.replace(",", ""),
                ),
            )
        raise problem("PP108", msg("amount must be a number of baht"))
    amount = Decimal(value)
    if not amount.is_finite():
        raise problem("PP108", msg("amount must be a finite number of baht"))
    if amount < 0:
        raise problem("PP108", msg("amount must not be negative"))
    if amount.is_zero():
        amount = abs(amount)  # `-0.00` is 0: no figure of any report shows "-0"
    if amount >= MAX_AMOUNT:  # compared exactly, whatever the digits
        raise problem(
            "PP108",
            msg(
                "amount {value} is beyond what a budget can be (less than 10^15 baht; the "
                "whole national budget is about 3.5×10^12)",
                value=value,
            ),
        )
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise problem(
            "PP108", msg("amount {value} has more than two decimal places (satang)", value=value)
        )
    return amount


def valid_amount(value: Any) -> Decimal | None:
    """A raw value as baht when it follows the money rule, else None (diff reads raw values)."""
    try:
        return Decimal(_amount(value))
    except PydanticCustomError:
        return None


Id = Annotated[
    str,
    BeforeValidator(_id),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": ID_PATTERN}, {"type": "integer", "minimum": 0}]}
    ),
]
"""An id: letters, digits, `.`, `_` and `-`, starting with a letter or digit."""
Text = Annotated[str, AfterValidator(_text), WithJsonSchema({"type": "string", "pattern": r"\S"})]
"""Text that must not be empty or blank."""
BEYear = Annotated[
    int,
    AfterValidator(_be_year),
    WithJsonSchema({"type": "integer", "minimum": BE_YEARS[0], "maximum": BE_YEARS[-1]}),
]
"""A Buddhist-era year (พ.ศ.), e.g. 2568."""
Amount = Annotated[
    Decimal, BeforeValidator(_amount), WithJsonSchema({"type": "number", "minimum": 0})
]
"""Baht, exact, at most two decimal places, not negative."""


class Model(BaseModel):
    """Frozen, unknown keys forbidden, `x-` extension keys kept aside in `extensions`."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        # field docstrings are read by `provplan.schema` for the JSON Schemas and docs/;
        # pydantic reading them here would read every model's source at each start (0.08 s)
        use_attribute_docstrings=False,
        populate_by_name=False,
        # validators are built on first use: a run that reads only action plans never
        # builds the development-plan schemas (start-up time)
        defer_build=True,
    )

    extensions: SkipJsonSchema[dict[str, Any]] = Field(default_factory=dict, alias="x-")
    """Keys beginning with `x-`: never validated, passed to templates."""

    @model_validator(mode="before")
    @classmethod
    def _split_extensions(cls, data: Any) -> Any:
        if isinstance(data, dict) and any(isinstance(k, str) and k.startswith("x-") for k in data):
            plain = {
                k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x-"))
            }
            plain["x-"] = {k: v for k, v in data.items() if k not in plain}
            return plain
        return data
