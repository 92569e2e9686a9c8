"""A cache of checked files, keyed by their content, so a re-run reads only what changed.

Kept where users expect caches (`$PROVPLAN_CACHE_DIR`, else `$XDG_CACHE_HOME/provplan`, else
`~/.cache/provplan`) and safe to delete. An entry is trusted only for the same bytes, the same
provplan (version and installed files) and the same registry; anything unreadable is a miss.
Entries are JSON, data only: whoever can write the cache folder can make provplan report
wrong findings for that machine's runs, never run code (SECURITY.md).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from provplan import __version__
from provplan.diagnostics import Diagnostic, Finding, Severity
from provplan.files import Candidate, read_bounded
from provplan.i18n import Message
from provplan.output import write_atomic
from provplan.planset import (
    ActionOutline,
    DevelopmentOutline,
    IndicatorOutline,
    IssueOutline,
    Outline,
    ProgressOutline,
    ProjectOutline,
    ProjectProgressOutline,
    ResultOutline,
)
from provplan.registry import Registry
from provplan.repository import Repository, builtin_source, settings_path

if TYPE_CHECKING:
    from provplan.validate import FileResult

_FORMAT = "5"

T = TypeVar("T")


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
        self.salt = hashlib.blake2b(self.build.encode(), digest_size=16).digest()  # until bound
        self._index_file = folder / "index" / f"{self.salt.hex()}.json"

    def repository(self, paths: Sequence[Path], settings_file: Path | None) -> Repository | None:
        """The repository kept for these settings' bytes, if any; binds the cache to it."""
        found = settings_path(paths, settings_file)
        try:
            content = b"" if found is None else read_bounded(found)
        except Exception:  # unreadable settings: read afresh, which reports why
            return None
        digest = hashlib.blake2b(self.build.encode(), digest_size=20)
        digest.update(builtin_source().encode())
        digest.update(os.fsencode(f"{found and os.path.abspath(found)}\0") + content)
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
        self.registry = repository.registry
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
        key = self.content_key(content, explicit)
        self._index[name] = [signature, key]
        self._dirty = True
        return key

    def content_key(self, content: bytes, explicit: bool) -> str:
        """The key of a file's bytes (wherever they come from: a file, a git blob), salted
        with the registry: the same bytes checked the same way share one entry."""
        digest = hashlib.blake2b(content, digest_size=20, key=self.salt)
        digest.update(b"explicit" if explicit else b"found")
        return digest.hexdigest()

    def save(self) -> None:
        """Keep the index of signatures for the next run."""
        if self._dirty:
            with contextlib.suppress(OSError):
                write_atomic(self._index_file, json.dumps(self._index))

    def _file(self, key: str, part: str = "") -> Path:
        return self.folder / key[:2] / f"{key}{part}.json"

    def get(self, key: str, path: Path) -> FileResult | None:
        """The cached result for this content, told about the path it now has; the projects
        of an action plan or progress report are read only when a command first looks."""
        try:
            stored = json.loads(read_bounded(self._file(key)))
            projects = self._file(key, ".projects")
            if _split(stored):
                if projects.stat().st_size != stored["outline"]["projects"]:
                    return None
                decode = _DECODE[stored["outline"]["kind"]]
                stored["outline"]["projects"] = _Projects(projects, path, self.registry, decode)
            result = _result(stored, path, key)
        except Exception:  # a missing, truncated or foreign entry is only a miss
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: FileResult) -> None:
        # a cache that cannot be written only makes the next run slower
        stored = _stored(result)
        with contextlib.suppress(OSError):
            if _split(stored):
                projects = json.dumps(stored["outline"]["projects"], ensure_ascii=False)
                data = projects.encode("utf-8")
                write_atomic(self._file(key, ".projects"), data)
                stored["outline"]["projects"] = len(data)
            write_atomic(self._file(key), json.dumps(stored, ensure_ascii=False))

    def _pair(self, rule: str, first: Outline, second: Outline) -> Path | None:
        if not (first.digest and second.digest):
            return None
        # the second file's path too: a message may name it
        key = f"{rule}:{first.digest}:{second.digest}:{second.path}"
        digest = hashlib.blake2b(os.fsencode(key), digest_size=20, key=self.salt)
        return self.folder / "pairs" / f"{digest.hexdigest()}.json"

    def findings(self, rule: str, first: Outline, second: Outline) -> list[Finding] | None:
        """The findings of a rule of one file against another, kept for these two contents
        (the keys are salted with provplan's build and the registry)."""
        file = self._pair(rule, first, second)
        try:
            stored = json.loads(read_bounded(file)) if file else None
        except Exception:
            return None
        if stored is None:
            return None
        return [
            Finding(first.path, tuple(loc), code, Message.from_json(message), key)
            for loc, code, message, key in stored
        ]

    def put_findings(
        self, rule: str, first: Outline, second: Outline, found: list[Finding]
    ) -> None:
        file = self._pair(rule, first, second)
        if file is not None:
            data = [[list(f.loc), f.code, f.message.to_json(), f.key] for f in found]
            with contextlib.suppress(OSError):
                write_atomic(file, json.dumps(data, ensure_ascii=False))


class _Projects(Sequence[T]):
    """A plan's or report's projects in the cache, read on first use. Should the entry have
    been damaged since, the file is checked again rather than trusting it."""

    def __init__(
        self, file: Path, path: Path, registry: Registry, decode: Callable[[Any], tuple[T, ...]]
    ) -> None:
        self._file, self._path, self._registry, self._decode = file, path, registry, decode
        self._items: tuple[T, ...] | None = None

    @property
    def items(self) -> tuple[T, ...]:
        if self._items is None:
            try:
                self._items = self._decode(json.loads(read_bounded(self._file)))
            except Exception:
                self._items = self._afresh()
        return self._items

    def _afresh(self) -> tuple[T, ...]:
        from provplan.validate.file import check_file

        outline = check_file(Candidate(self._path, explicit=False), self._registry).outline
        found = outline.projects if isinstance(outline, ActionOutline | ProgressOutline) else ()
        return tuple(found)  # type: ignore[arg-type]  # the same kind of file as the entry

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self.items[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __eq__(self, other: object) -> bool:
        return self.items == (tuple(other) if isinstance(other, Sequence) else other)

    def __hash__(self) -> int:
        return hash(self.items)


def _split(stored: dict[str, Any]) -> bool:
    """Whether an entry keeps its projects beside it, read when needed: an action plan's or a
    progress report's, the bulk of a national set."""
    return bool(stored["outline"]) and stored["outline"]["kind"] in _DECODE


# --- FileResult <-> JSON ----------------------------------------------------------------------


def _stored(result: FileResult) -> dict[str, Any]:
    return {
        "is_plan": result.is_plan,
        "diagnostics": [
            [d.line, d.column, d.code, str(d.severity), d.message.to_json()]
            for d in result.diagnostics
        ],
        "outline": None if result.outline is None else _outline_data(result.outline),
    }


def _outline_data(outline: Outline) -> dict[str, Any]:
    common: dict[str, Any] = {
        "owner": outline.owner,
        "title": outline.title,
        "complete": outline.complete,
    }
    if not isinstance(outline, DevelopmentOutline) and outline.indexes:
        common["indexes"] = list(outline.indexes)
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
    if isinstance(outline, ProgressOutline):
        return {"kind": outline.kind, **_progress_data(outline), **common}
    issues = [
        [i.id, i.title, i.strategies, sorted(i.indicators), list(i.aligns_with)]
        for i in outline.issues
    ]
    indicators = [
        [i.id, i.name, i.unit, i.direction, [[y, _value(t)] for y, t in i.targets]]
        for i in outline.indicators.values()
    ]
    return {
        "kind": outline.kind,
        "period": list(outline.period),
        "issues": issues,
        "indicators": indicators,
        **common,
    }


def _value(value: Decimal | str) -> list[str]:
    """A number or a text, told apart: `["n", "12.5"]` or `["s", "text"]`."""
    return ["s", value] if isinstance(value, str) else ["n", str(value)]


def _unvalue(stored: list[str]) -> Decimal | str:
    kind, text = stored
    return text if kind == "s" else Decimal(text)


def _progress_data(outline: ProgressOutline) -> dict[str, Any]:
    projects = [
        [
            p.id,
            p.status,
            None if p.allocated is None else str(p.allocated),
            str(p.committed),
            str(p.disbursed),
            str(p.progress),
            list(p.problems),
            list(p.remedies),
        ]
        for p in outline.projects
    ]
    results = [[r.id, _value(r.actual), r.met, r.note] for r in outline.results]
    return {
        "fiscal_year": outline.fiscal_year,
        "quarter": outline.quarter,
        "as_of": outline.as_of.isoformat(),
        "projects": projects,
        "results": results,
    }


def _progress_projects(rows: list[list[Any]]) -> tuple[ProjectProgressOutline, ...]:
    return tuple(
        ProjectProgressOutline(
            p[0],
            p[1],
            None if p[2] is None else Decimal(p[2]),
            Decimal(p[3]),
            Decimal(p[4]),
            Decimal(p[5]),
            tuple(p[6]),
            tuple(p[7]),
        )
        for p in rows
    )


def _progress(data: dict[str, Any], path: Path, key: str) -> ProgressOutline:
    projects = data["projects"]
    if isinstance(projects, list):
        projects = _progress_projects(projects)
    results = tuple(ResultOutline(r[0], _unvalue(r[1]), r[2], r[3]) for r in data["results"])
    return ProgressOutline(
        path,
        data["owner"],
        data["title"],
        data["fiscal_year"],
        data["quarter"],
        datetime.date.fromisoformat(data["as_of"]),
        projects,
        results,
        data["complete"],
        key,
        tuple(data.get("indexes", ())),
    )


def _result(stored: dict[str, Any], path: Path, key: str) -> FileResult:
    from provplan.validate import FileResult

    diagnostics = tuple(
        Diagnostic(path, line, column, code, Severity(severity), Message.from_json(message))
        for line, column, code, severity, message in stored["diagnostics"]
    )
    data = stored["outline"]
    outline = None if data is None else _outline(data, path, key)
    return FileResult(path, bool(stored["is_plan"]), diagnostics, outline)


def _projects(rows: list[list[Any]]) -> tuple[ProjectOutline, ...]:
    return tuple(
        ProjectOutline(
            pid,
            title,
            issue,
            strategy,
            tuple(indicators),
            channel,
            tuple(area),
            Decimal(amount),
            tuple((c, Decimal(a)) for c, a in split),
            agency,
        )
        for pid, title, issue, strategy, indicators, channel, area, amount, split, agency in rows
    )


def _outline(data: dict[str, Any], path: Path, key: str) -> Outline:
    owner, title, complete = data["owner"], data["title"], data["complete"]
    if data["kind"] == "action-plan":
        projects = data["projects"]
        if isinstance(projects, list):
            projects = _projects(projects)
        indexes = tuple(data.get("indexes", ()))
        return ActionOutline(
            path, owner, title, data["fiscal_year"], projects, complete, key, indexes
        )
    if data["kind"] == "progress-report":
        return _progress(data, path, key)
    issues = tuple(
        IssueOutline(i[0], i[1], dict(i[2]), frozenset(i[3]), tuple(i[4])) for i in data["issues"]
    )
    indicators = {
        i[0]: IndicatorOutline(i[0], i[1], i[2], i[3], tuple((y, _unvalue(t)) for y, t in i[4]))
        for i in data["indicators"]
    }
    start, end = data["period"]
    return DevelopmentOutline(
        path, data["kind"], owner, title, (start, end), issues, complete, key, indicators
    )


_DECODE: dict[str, Callable[[Any], tuple[Any, ...]]] = {
    "action-plan": _projects,
    "progress-report": _progress_projects,
}
"""The kinds whose projects an entry keeps in a file of their own, and how to read them."""
