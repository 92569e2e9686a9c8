"""The open Thai font shipped with provplan (Sarabun, SIL OFL 1.1), written beside HTML output.

HTML documents name it by a relative `fonts/…` URL rather than embedding it as a data: URI:
four faces are 360 KB, and a national run writes 28,000 documents (10 GB of copies).
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from provplan.output import Staging

FOLDER = Path("fonts")
FILES = (
    "Sarabun-Regular.ttf",
    "Sarabun-Bold.ttf",
    "Sarabun-Italic.ttf",
    "Sarabun-BoldItalic.ttf",
    "OFL.txt",  # the licence travels with the font
)


def shipped() -> Path:
    return Path(str(resources.files("provplan"))) / "data" / "fonts"


def install(staging: Staging, under: Path = Path()) -> None:
    """Copy the font files into the output (staged with the documents that use them), in
    `under` (the folder the documents are written in)."""
    folder = under / FOLDER
    (staging.folder / folder).mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(shipped() / name, staging.folder / folder / name)
        staging.files.append(folder / name)
