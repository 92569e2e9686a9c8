"""The one Jinja environment of the documents: templates, filters, escaping, the sandbox.

A plan repository may bring its own templates, and in CI those come from a pull request's
author: they run in Jinja's immutable sandbox, which refuses the attributes that reach
Python's internals (`cycler.__init__.__globals__`), so a template can format plan data and
nothing else (SECURITY.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from provplan import thai
from provplan.channels import CHANNELS
from provplan.escape import md_escape
from provplan.repository import Repository

Format = Literal["md", "html"]


def builtin_templates() -> Path:
    """The templates shipped with provplan: in the wheel, or at the top of a source tree."""
    packaged = Path(str(resources.files("provplan"))) / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "templates"


def make_env(
    fmt: Format, overrides: Sequence[Path] = (), *, thai_digits: bool = False
) -> ImmutableSandboxedEnvironment:
    """User templates first, then the built-ins; every value escaped for its format unless a
    filter marked it safe."""
    loader = ChoiceLoader(
        [FileSystemLoader([str(p) for p in overrides]), FileSystemLoader(str(builtin_templates()))]
    )

    def finalize(value: Any) -> Any:
        # Thai digits are not put in here: they go into the finished document's text only
        # (`provplan.digits`), never into attributes, links or ids
        if fmt == "md" and isinstance(value, str) and not isinstance(value, Markup):
            return Markup(md_escape(value))
        return value

    env = ImmutableSandboxedEnvironment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=fmt == "html",  # plan text is data, never markup
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,
    )
    env.filters.update(
        baht=lambda v: Markup(thai.baht(v)),
        baht_words=lambda v: Markup(thai.baht_words(v)),
        be_date=thai.be_date,
        body=lambda b: thai.BODIES[b],
        channel=lambda c: CHANNELS[c].label,
        budget_class=lambda c: thai.BUDGET_CLASSES[c],
        number=_number if fmt == "md" else _html_number,
        percent=_percent,
    )
    env.globals["thai_digits"] = thai_digits  # also for CSS: page numbers, list numbers
    env.globals["links"] = True  # links between documents (none in PDF: no pages to go to)
    return env


def _number(value: Any) -> Any:
    """Targets and baselines: numbers with separators, text as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return value
    return Markup(f"{value:,}")


def _html_number(value: Any) -> Any:
    """In HTML a long target may wrap after a thousands separator, never inside a group."""
    number = _number(value)
    return Markup(str(number).replace(",", ",<wbr>")) if isinstance(number, Markup) else number


def _percent(value: Any) -> Any:
    """A rate: two decimals, or a dash when there is none (nothing allocated)."""
    if value is None:
        return "–"
    return Markup(f"{Decimal(value):,.2f}")


def repository_templates(repository: Repository, paths: Sequence[Path]) -> list[Path]:
    """A plan repository's own templates: `templates:` of provplan.yaml, else `templates/`
    at its root (the first folder given when there is no provplan.yaml)."""
    root = repository.root or next((p for p in paths if p.is_dir()), Path())
    folder = root / (repository.templates or "templates")
    return [folder] if folder.is_dir() else []
