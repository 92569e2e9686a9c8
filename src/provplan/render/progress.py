"""placeholder"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from provplan.planset import ProgressOutline


def progress_documents(renderer: Any, outline: ProgressOutline, base: Path) -> Iterator[Any]:
    return iter(())
