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


Signature = tuple[int, int, int, int]  # size, mtime, inode, ctime: what git's index compares


class Cache:
    """Content-keyed results of `check_file`, with an index of file signatures so that an
    unchanged file is not even read again."""

    def __init__(self, folder: Path, context: str) -> None:
        """`context` is everything besides the file that a result depends on (the registry)."""
        self.folder = folder
        self.salt = hashlib.blake2b(f"{_build_id()}:{context}".encode(), digest_size=16).digest()
        self._index_file = folder / "index" / f"{self.salt.hex()}.pickle"
        self._index: dict[str, tuple[Signature, str]] = {}
        self._dirty = False
        with contextlib.suppress(Exception):
            self._index = pickle.loads(self._index_file.read_bytes())

    def key(self, path: Path, explicit: bool) -> str | None:
        """The content key of a file, from the index when its signature has not changed."""
        try:
            stat = path.stat()
            name = f"{os.path.abspath(path)}:{explicit}"
            signature = (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)
            known = self._index.get(name)
            if known and known[0] == signature:
                return known[1]
            content = path.read_bytes()
        except OSError:
            return None
        digest = hashlib.blake2b(content, digest_size=20, key=self.salt)
        digest.update(b"explicit" if explicit else b"found")
        self._index[name] = (signature, digest.hexdigest())
        self._dirty = True
        return digest.hexdigest()

    def save(self) -> None:
        """Keep the index of signatures for the next run."""
        if self._dirty:
            with contextlib.suppress(OSError):
                write_atomic(self._index_file, pickle.dumps(self._index, pickle.HIGHEST_PROTOCOL))

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
