"""The README is the front door: its commands and its code table stay true."""

from __future__ import annotations

import re

from provplan import i18n
from provplan.diagnostics import CODES, title

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"```sh\n(python3 -m venv[^\n]*)\n```", README)
    assert len(commands) == 2
    assert commands[1] in (ROOT / ".ci" / "run").read_text().splitlines()
    assert "pytest" in commands[1]
    assert "provplan validate examples/" in commands[0]


def test_every_code_is_documented_in_both_languages() -> None:
    rows = re.findall(r"^\| (PP\d{3}) \| (\w+) \| (.+) \| (.+) \|$", README, re.MULTILINE)
    i18n.use("th")
    try:
        thai = {code: title(code) for code in CODES}
    finally:
        i18n.use("en")
    assert rows == [(code, str(c.severity), c.title, thai[code]) for code, c in CODES.items()]
