"""A cache of checked files, keyed by their content, so a re-run reads only what changed.

Kept where users expect caches (`$PROVPLAN_CACHE_DIR`, else `$XDG_CACHE_HOME/provplan`, else
`~/.cache/provplan`) and safe to delete. An entry is trusted only for the same bytes, the same
provplan (version and installed files) and the same registry; anything unreadable is a miss.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from provplan import __version__
from provplan.output import write_atomic

if TYPE_CHECKING:
    from provplan.validate import FileResult

_FORMAT = "1"


def default_dir() -> Path:
    if os.environ.get("PROVPLAN_CACHE_DIR"):
        return Path(os.environ["PROVPLAN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "provplan"


def _build_id() -> str:
    """provplan's version plus the size and time of its own files: a development install that
    changed its code never reads entries written by the code before."""
    package = Path(__file__).parent
    digest = hashlib.blake2b(f"{_FORMAT}:{__version__}".encode(), digest_size=16)
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml"):
            stat = path.stat()
            digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


class Cache:
    """Content-keyed results of `check_file`."""

    def __init__(self, folder: Path, context: str) -> None:
        """`context` is everything besides the file that a result depends on (the registry)."""
        self.folder = folder
        self.salt = hashlib.blake2b(f"{_build_id()}:{context}".encode(), digest_size=16).digest()

    def key(self, path: Path, explicit: bool) -> str | None:
        try:
            content = path.read_bytes()
        except OSError:
            return None
        digest = hashlib.blake2b(content, digest_size=20, key=self.salt)
        digest.update(b"explicit" if explicit else b"found")
        return digest.hexdigest()

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str, path: Path) -> FileResult | None:
        """The cached result for this content, told about the path it now has."""
        try:
            stored: Any = pickle.loads(self._file(key).read_bytes())
        except Exception:  # a missing, truncated or foreign entry is only a miss
            return None
        outline = stored.outline and dataclasses.replace(stored.outline, path=path)
        diagnostics = tuple(dataclasses.replace(d, path=path) for d in stored.diagnostics)
        return dataclasses.replace(stored, path=path, diagnostics=diagnostics, outline=outline)  # type: ignore[no-any-return]

    def put(self, key: str, result: FileResult) -> None:
        # a cache that cannot be written only makes the next run slower
        with contextlib.suppress(OSError):
            write_atomic(self._file(key), pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
