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
    IndicatorOutline,
    IssueOutline,
    Outline,
    ProgressOutline,
    ProjectOutline,
    ProjectProgressOutline,
    ResultOutline,
)

if TYPE_CHECKING:
    from provplan.validate import FileResult

_FORMAT = "3"


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
            info = path.stat()
            digest.update(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()


Signature = list[int]  # size, mtime, inode, ctime: what git's index compares


class Cache:
    """Content-keyed results of `check_file`, with an index of file signatures so that an
    unchanged file is not even read again."""

    def __init__(self, folder: Path, context: str) -> None:
        """`context` is everything besides the file that a result depends on (the registry)."""
        self.folder = folder
        self.salt = hashlib.blake2b(f"{_build_id()}:{context}".encode(), digest_size=16).digest()
        self._index_file = folder / "index" / f"{self.salt.hex()}.json"
        self._index: dict[str, list[Any]] = {}
        self._dirty = False
        self.hits = 0
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


def _progress(data: dict[str, Any], path: Path) -> ProgressOutline:
    projects = tuple(
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
        for p in data["projects"]
    )
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
    )


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
    if data["kind"] == "progress-report":
        return _progress(data, path)
    issues = tuple(
        IssueOutline(i[0], i[1], dict(i[2]), frozenset(i[3]), tuple(i[4])) for i in data["issues"]
    )
    indicators = {
        i[0]: IndicatorOutline(i[0], i[1], i[2], i[3], tuple((y, _unvalue(t)) for y, t in i[4]))
        for i in data["indicators"]
    }
    start, end = data["period"]
    return DevelopmentOutline(
        path,
        data["kind"],
        data["owner"],
        data["title"],
        (start, end),
        issues,
        data["complete"],
        indicators,
    )
