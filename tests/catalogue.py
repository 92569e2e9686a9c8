"""The Thai catalogue against the code.

`python -m tests.catalogue` adds every message of the code and every key of the format to
src/provplan/locale/th/LC_MESSAGES/provplan.po, keeping what is translated and dropping what
the code no longer says; tests/test_i18n.py fails while any entry lacks its Thai.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import sys
from pathlib import Path

import typer
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from provplan.cli import app
from provplan.i18n import FIELD
from provplan.shape import field_names

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "provplan"
THAI = SOURCE / "locale" / "th" / "LC_MESSAGES" / "provplan.po"

# The calls whose string arguments are messages: msg("…"), text("…"),
# plural("one …", "many …", n), Code(severity, "title").
KEYWORDS = {"msg": (1,), "text": (1,), "plural": (1, 2), "Code": (2,)}


def template() -> Catalog:
    """Every message the code can show, with where it is said."""
    catalogue = Catalog(domain="provplan")
    # Babel notes every f-string among a call's arguments; ours are parameters, never msgids
    with contextlib.redirect_stderr(io.StringIO()):
        found = list(
            extract_from_dir(
                SOURCE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("i18n:",)
            )
        )
    for filename, line, message, comments, _context in found:
        catalogue.add(message, locations=[(f"src/provplan/{filename}", line)],
                      auto_comments=comments)  # fmt: skip
    for name in sorted(field_names()):
        catalogue.add(name, context=FIELD)
    for words in help_texts():
        catalogue.add(words, locations=[("src/provplan/cli.py", 0)])
    return catalogue


def help_texts() -> list[str]:
    """The help of the command line as it is shown: each command's text (its docstring) and
    each parameter's help (cli.translate_help looks them up)."""
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    commands = [group, *getattr(group, "commands", {}).values()]
    found = []
    for command in commands:
        if command.help:
            found.append(inspect.cleandoc(command.help))
        found += [p.help for p in command.get_params(ctx) if getattr(p, "help", None)]
    return list(dict.fromkeys(found))


def thai() -> Catalog:
    with THAI.open("rb") as f:
        return read_po(f, locale="th")


def update() -> None:
    catalogue = thai()
    created = catalogue.creation_date
    catalogue.update(template(), no_fuzzy_matching=True)
    catalogue.creation_date = created  # no header churn in the diff of every run
    catalogue.obsolete.clear()
    with THAI.open("wb") as f:
        write_po(f, catalogue, width=100, omit_header=False, sort_output=False)


if __name__ == "__main__":
    update()
    missing = [m.id for m in thai() if m.id and not m.string]
    print(f"{THAI.relative_to(ROOT)}: {len(missing)} to translate", file=sys.stderr)
