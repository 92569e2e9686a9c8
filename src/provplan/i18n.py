"""Thai and English: every text provplan shows a user is a `Message` — an English template
(the catalogue's msgid) and its named parameters — put into words only when it is shown, in
the language of the run. So a finding keeps its code, position and parameters whatever the
language, and the validation cache holds no words.

The Thai catalogue is `locale/th/LC_MESSAGES/provplan.po`, compiled to `.mo` when the package
is built (hatch_build.py); English is the msgid itself. `tests/catalogue.py` extracts every
message of the code (the keywords below) and fails on any left untranslated.

Stdlib only, the lowest layer: every module may import it.
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, total_ordering
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import gettext

LANGUAGES = ("th", "en")
DOMAIN = "provplan"
LOCALE_DIR = Path(__file__).parent / "locale"
FIELD = "field"
"""The msgctxt of the Thai names of the format's keys (`vision` → วิสัยทัศน์)."""

_language = "en"


@total_ordering
@dataclass(frozen=True, slots=True)
class Message:
    """Words to show: `text` is the English template, `{name}` its parameters; `{name!k}`
    shows a key of the format (in Thai with its Thai name). Parameters are text (numbers are
    formatted by whoever knows what they count) or messages, so a message pickles, goes to
    JSON and sorts. Plan text only ever enters as a parameter: it is never read as a
    template, so braces in it are just braces."""

    text: str
    params: tuple[tuple[str, str | Message], ...] = ()
    plural: str | None = None  # ngettext's msgid_plural, chosen by `count`
    count: int = 0

    def __str__(self) -> str:
        return _render(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return self._key() < other._key()

    def _key(self) -> tuple[str, str, str, int]:
        return (self.text, repr(self.params), self.plural or "", self.count)

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"text": self.text}
        if self.params:
            found["params"] = {
                k: v.to_json() if isinstance(v, Message) else v for k, v in self.params
            }
        if self.plural is not None:
            found["plural"], found["count"] = self.plural, self.count
        return found

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        """A message kept in the cache. A template whose fields are not plain names is refused
        (a forged entry could walk `{p.__init__.__globals__…}` to the environment)."""
        for template in (data["text"], data.get("plural") or ""):
            if not _plain_fields(template):
                raise ValueError(template)
        params = tuple(
            (k, cls.from_json(v) if isinstance(v, dict) else v)
            for k, v in data.get("params", {}).items()
        )
        return cls(data["text"], params, data.get("plural"), data.get("count", 0))


def msg(text: str, /, **params: object) -> Message:
    """A message from its English template; parameters other than messages become text."""
    return Message(text, _params(params))


def plural(singular: str, many: str, count: int, /, **params: object) -> Message:
    """A message whose words depend on `count` (`{count}` in it is written with separators)."""
    return Message(singular, _params({"count": f"{count:,}", **params}), many, count)


def join(parts: Iterable[str | Message]) -> Message:
    """Items in a list, `a, b, c` (the same in both languages)."""
    items = list(parts)
    template = ", ".join(f"{{i{i}}}" for i in range(len(items)))
    return Message(template, _params({f"i{i}": p for i, p in enumerate(items)}))


def alternatives(parts: Iterable[str | Message]) -> Message:
    """`a or b or c`."""
    items = list(parts)
    found = items[0] if isinstance(items[0], Message) else Message("{item}", (("item", items[0]),))
    for other in items[1:]:
        found = msg("{either} or {other}", either=found, other=other)
    return found


def _params(params: Mapping[str, object]) -> tuple[tuple[str, str | Message], ...]:
    return tuple((k, v if isinstance(v, Message) else str(v)) for k, v in params.items())


def translate(template: str) -> str:
    """A msgid that is not written in the code as a literal (help texts read from the built
    command line), in the language of the run; itself when the catalogue lacks it."""
    catalogue = _catalogue(_language)
    return catalogue.gettext(template) if catalogue and template else template


def text(template: str, /, **params: object) -> str:
    """The words of a message now, in the language of the run."""
    return str(msg(template, **params))


# --- the language of the run --------------------------------------------------------------


def use(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(language)
    _language = language


def language() -> str:
    return _language


def parse_language(value: str) -> str | None:
    """`th`, `th_TH.UTF-8`, `EN`… as one of LANGUAGES; None when it is none of them."""
    head = value.strip().lower().replace("-", "_").split("_")[0].split(".")[0]
    return head if head in LANGUAGES else None


def choose(flag: str | None, setting: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """`--lang`, else PROVPLAN_LANG, else `language:` of provplan.yaml, else the locale
    (LC_ALL, LC_MESSAGES, LANG, as gettext reads them), else English."""
    for given in (flag, environ.get("PROVPLAN_LANG"), setting):
        if given and (found := parse_language(given)):
            return found
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := environ.get(name):
            return "th" if value.lower().startswith("th") else "en"
    return "en"


# --- putting a message into words ----------------------------------------------------------


@cache
def _catalogue(language: str) -> gettext.GNUTranslations | None:
    """The compiled catalogue of a language; None for English (the msgids) or when it was
    not built (a source tree never installed): English rather than nothing. gettext is
    imported only here, so an English run never loads it."""
    if language == "en":
        return None
    import gettext

    try:
        found = gettext.translation(DOMAIN, LOCALE_DIR, [language])
    except OSError:
        return None
    return found if isinstance(found, gettext.GNUTranslations) else None


def translated(language: str) -> bool:
    """Whether the catalogue of `language` is there (English always is)."""
    return language == "en" or _catalogue(language) is not None


def _plain_fields(template: str) -> bool:
    """Whether every `{field}` of a template is a plain name (no `.attr`, no `[index]`)."""
    try:
        return all(
            name is None or name.isidentifier()
            for _, name, _, _ in string.Formatter().parse(template)
        )
    except ValueError:  # unbalanced braces
        return False


class _Formatter(string.Formatter):
    def __init__(self, catalogue: gettext.GNUTranslations | None) -> None:
        self.catalogue = catalogue

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        if not field_name.isidentifier():  # parameters only: no attributes, no indexes
            raise KeyError(field_name)
        return super().get_field(field_name, args, kwargs)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "k":  # a key of the format, e.g. `vision` (วิสัยทัศน์)
            key = str(value)
            name = self.catalogue.pgettext(FIELD, key) if self.catalogue else key
            return f"`{key}`" if name == key else f"{name} (`{key}`)"
        return super().convert_field(value, conversion)


def _render(message: Message) -> str:
    if not message.text:  # gettext("") is the catalogue's header
        return ""
    catalogue = _catalogue(_language)
    if catalogue is None:
        many = message.plural is not None and message.count != 1
        template = message.plural if many and message.plural else message.text
    elif message.plural is None:
        template = catalogue.gettext(message.text)
    else:
        template = catalogue.ngettext(message.text, message.plural, message.count)
    return _Formatter(catalogue).vformat(template, (), dict(message.params))
