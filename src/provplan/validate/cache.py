"""A cache of checked files, keyed by their content, so a re-run reads only what changed.

Kept where users expect caches (`$PROVPLAN_CACHE_DIR`, else `$XDG_CACHE_HOME/provplan`, else
`~/.cache/provplan`) and safe to delete. An entry is trusted only for the same bytes, the same
provplan (version and installed files) and the same registry; anything unreadable is a miss.
Entries are JSON, data only: whoever can write the cache folder can make provplan report
wrong findings for that machine's runs, never run code (SECURITY.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from provplan import __version__
from provplan.diagnostics import Diagnostic, Severity
from provplan.files import read_bounded
from provplan.output import write_atomic
from provplan.planset import (
    ActionOutline,
    DevelopmentOutline,
    IssueOutline,
    Outline,
    ProjectOutline,
)
from provplan.repository import Repository, builtin_source, settings_path

if TYPE_CHECKING:
    from provplan.validate import FileResult

_FORMAT = "2"


def default_dir() -> Path:
    if os.environ.get("PROVPLAN_CACHE_DIR"):
        return Path(os.environ["PROVPLAN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "provplan"


def _build_id() -> str:
    """provplan's version plus the size and time of its own files: a development install that
    changed its code never reads entries written by the code before."""
    package = Path(__file__).parents[1]  # every file of provplan, not only validate/
    digest = hashlib.blake2b(f"{_FORMAT}:{__version__}".encode(), digest_size=16)
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml"):
            info = path.stat()
            digest.update(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()


Signature = list[int]  # size, mtime, inode, ctime: what git's index compares


class Cache:
    """Content-keyed results of `check_file`, with an index of file signatures so that an
    unchanged file is not even read again; and the repository (settings and registry) of the
    last run, so that a run whose files are all unchanged builds no model at all."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.build = _build_id()
        self._index: dict[str, list[Any]] = {}
        self._dirty = False
        self._repository_key = ""
        self.hits = 0

    def repository(self, paths: Sequence[Path], settings_file: Path | None) -> Repository | None:
        """The repository kept for these settings' bytes, if any; binds the cache to it."""
        found = settings_path(paths, settings_file)
        try:
            content = b"" if found is None else read_bounded(found)
        except Exception:  # unreadable settings: read afresh, which reports why
            return None
        digest = hashlib.blake2b(self.build.encode(), digest_size=20)
        digest.update(builtin_source().encode())
        digest.update(f"{found and os.path.abspath(found)}\0".encode() + content)
        self._repository_key = digest.hexdigest()
        try:
            data = json.loads(read_bounded(self._repository_file()))
            repository = Repository.from_data(data)
        except Exception:  # missing or foreign: a miss
            return None
        self._bind(repository)
        return repository

    def save_repository(self, repository: Repository) -> None:
        """Keep the repository for the next run (the key was made by `repository`)."""
        self._bind(repository)
        if self._repository_key and not self._repository_file().exists():
            with contextlib.suppress(OSError):
                write_atomic(self._repository_file(), json.dumps(repository.data()))

    def _repository_file(self) -> Path:
        return self.folder / "repository" / f"{self._repository_key}.json"

    def _bind(self, repository: Repository) -> None:
        """Results depend on the registry besides the file itself: it salts every key."""
        context = json.dumps(repository.registry.data(), sort_keys=True)
        salt = hashlib.blake2b(f"{self.build}:{context}".encode(), digest_size=16).digest()
        if getattr(self, "salt", None) == salt:
            return
        self.salt = salt
        self._index_file = self.folder / "index" / f"{salt.hex()}.json"
        with contextlib.suppress(Exception):
            self._index = dict(json.loads(read_bounded(self._index_file)))

    def key(self, path: Path, explicit: bool) -> str | None:
        """The content key of a file, from the index when its signature has not changed."""
        try:
            info = path.stat()
            name = f"{os.path.abspath(path)}:{explicit}"
            signature = [info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns]
            known = self._index.get(name)
            if known and known[0] == signature:
                return str(known[1])
            content = read_bounded(path)
        except Exception:  # unreadable or too large: checked afresh, which reports why
            return None
        digest = hashlib.blake2b(content, digest_size=20, key=self.salt)
        digest.update(b"explicit" if explicit else b"found")
        self._index[name] = [signature, digest.hexdigest()]
        self._dirty = True
        return digest.hexdigest()

    def save(self) -> None:
        """Keep the index of signatures for the next run."""
        if self._dirty:
            with contextlib.suppress(OSError):
                write_atomic(self._index_file, json.dumps(self._index))

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, path: Path) -> FileResult | None:
        """The cached result for this content, told about the path it now has."""
        try:
            stored = json.loads(read_bounded(self._file(key)))
            result = _result(stored, path)
        except Exception:  # a missing, truncated or foreign entry is only a miss
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: FileResult) -> None:
        # a cache that cannot be written only makes the next run slower
        with contextlib.suppress(OSError):
            write_atomic(self._file(key), json.dumps(_stored(result), ensure_ascii=False))


# --- FileResult <-> JSON ----------------------------------------------------------------------


def _stored(result: FileResult) -> dict[str, Any]:
    return {
        "is_plan": result.is_plan,
        "diagnostics": [
            [d.line, d.column, d.code, str(d.severity), d.message] for d in result.diagnostics
        ],
        "outline": None if result.outline is None else _outline_data(result.outline),
    }


def _outline_data(outline: Outline) -> dict[str, Any]:
    common = {"owner": outline.owner, "title": outline.title, "complete": outline.complete}
    if isinstance(outline, ActionOutline):
        projects = [
            [
                *p[:4],
                list(p.indicators),
                p.channel,
                list(p.area),
                str(p.amount),
                [[c, str(a)] for c, a in p.breakdown],
                p.agency,
            ]
            for p in outline.projects
        ]
        return {
            "kind": "action-plan",
            "fiscal_year": outline.fiscal_year,
            "projects": projects,
            **common,
        }
    issues = [
        [i.id, i.title, i.strategies, sorted(i.indicators), list(i.aligns_with)]
        for i in outline.issues
    ]
    return {"kind": outline.kind, "period": list(outline.period), "issues": issues, **common}


def _result(stored: dict[str, Any], path: Path) -> FileResult:
    from provplan.validate import FileResult

    diagnostics = tuple(
        Diagnostic(path, line, column, code, Severity(severity), message)
        for line, column, code, severity, message in stored["diagnostics"]
    )
    data = stored["outline"]
    outline = None if data is None else _outline(data, path)
    return FileResult(path, bool(stored["is_plan"]), diagnostics, outline)


def _outline(data: dict[str, Any], path: Path) -> Outline:
    if data["kind"] == "action-plan":
        projects = tuple(
            ProjectOutline(
                p[0],
                p[1],
                p[2],
                p[3],
                tuple(p[4]),
                p[5],
                tuple(p[6]),
                Decimal(p[7]),
                tuple((c, Decimal(a)) for c, a in p[8]),
                p[9],
            )
            for p in data["projects"]
        )
        return ActionOutline(
            path, data["owner"], data["title"], data["fiscal_year"], projects, data["complete"]
        )
    issues = tuple(
        IssueOutline(i[0], i[1], dict(i[2]), frozenset(i[3]), tuple(i[4])) for i in data["issues"]
    )
    start, end = data["period"]
    return DevelopmentOutline(
        path, data["kind"], data["owner"], data["title"], (start, end), issues, data["complete"]
    )
