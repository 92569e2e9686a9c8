"""docs/ stays true: the generated key reference and code list match the code."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_generated_docs_are_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools/docs.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_every_doc_link_resolves() -> None:
    import re

    for page in (ROOT / "docs").glob("*.md"):
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text()):
            assert (page.parent / target).exists(), f"{page.name}: {target}"
