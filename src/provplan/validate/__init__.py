"""Validation: files → loaded YAML → plan models → the checks of format v1 → diagnostics.

`check_paths` is the whole pipeline. Files are independent until the cross-file checks, so
each is read and checked on its own (`check_file`, in worker processes for large runs, its
result cached by content) and returns an `Outline`; the cross-file checks then run on the
outlines and their findings are placed at a line and column at the end (issue #6).
"""

from __future__ import annotations

import gc
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from provplan.cache import Cache
from provplan.diagnostics import Diagnostic, Finding, Severity
from provplan.documents import Document, looks_like_plan, plan_document
from provplan.load import read
from provplan.model.registry import Registry
from provplan.repository import Candidate, Repository, discover, open_repository
from provplan.validate.document import (
    check_approvals,
    check_budgets,
    check_period,
    check_targets,
    check_unique_ids,
)
from provplan.validate.outline import Outline, outline
from provplan.validate.owners import check_channels, check_owner
from provplan.validate.planset import PlanSet
from provplan.validate.references import (
    check_alignments,
    check_development_plan,
    check_duplicate_plans,
    check_project_references,
)

FileCheck = Callable[[Document, Registry], Iterator[Diagnostic]]
SetCheck = Callable[[PlanSet], Iterator[Finding]]

FILE_CHECKS: tuple[FileCheck, ...] = (
    check_unique_ids,
    check_period,
    check_targets,
    check_budgets,
    check_approvals,
    check_owner,
    check_channels,
)
SET_CHECKS: tuple[SetCheck, ...] = (
    check_development_plan,
    check_project_references,
    check_alignments,
    check_duplicate_plans,
)
PARALLEL_BYTES = 4 * 2**20  # below this, starting workers costs more than it saves


@dataclass(frozen=True, slots=True)
class FileResult:
    """What checking one file gives: whether it is a plan, its findings, its outline."""

    path: Path
    is_plan: bool
    diagnostics: tuple[Diagnostic, ...]
    outline: Outline | None


@dataclass(frozen=True, slots=True)
class CheckResult:
    plans: PlanSet
    diagnostics: list[Diagnostic]
    files: int  # plan documents read (valid or not)
    repository: Repository

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    def exit_code(self, *, strict: bool = False) -> int:
        """0 clean (warnings allowed), 1 errors (or warnings under `strict`)."""
        return 1 if self.errors or (strict and self.warnings) else 0


def check_file(candidate: Candidate, registry: Registry) -> FileResult:
    """Read and check one file on its own; never raises on user input."""
    path = candidate.path
    loaded = read(path)
    if loaded.data is None:
        is_plan = candidate.explicit or looks_like_plan(_head(path))
        return FileResult(path, is_plan, tuple(loaded.diagnostics) if is_plan else (), None)
    plan, problems = plan_document(loaded, explicit=candidate.explicit)
    if plan is None:
        found = tuple(loaded.diagnostics + problems) if problems else ()
        return FileResult(path, bool(problems), found, None)
    doc = Document(loaded, plan, registry.province_id(plan.owner) or plan.owner.strip())
    checked = [d for check in FILE_CHECKS for d in check(doc, registry)]
    return FileResult(path, True, (*loaded.diagnostics, *checked), outline(doc, registry))


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(1 << 20)
    except OSError:
        return b""


def check_paths(
    paths: Sequence[Path],
    settings_file: Path | None = None,
    *,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckResult:
    """Validate every plan document under `paths` and report all findings.

    Args:
        jobs: worker processes (default: the machine's cores, used only for large runs).
        cache_dir: keep results of unchanged files there; none means no cache.
        progress: called with (files done, files to do) as files are checked.
    """
    repository = open_repository(paths, settings_file)
    registry = repository.registry
    candidates, diagnostics = discover(paths)
    diagnostics += repository.diagnostics
    cache = Cache(cache_dir, registry.model_dump_json()) if cache_dir else None
    results = check_files(candidates, registry, jobs=jobs, cache=cache, progress=progress)
    plans = PlanSet([r.outline for r in results if r.outline], registry)
    for result in results:
        diagnostics += result.diagnostics
    diagnostics += place(f for check in SET_CHECKS for f in check(plans))
    files = sum(r.is_plan for r in results)
    return CheckResult(plans, _apply_settings(diagnostics, repository), files, repository)


def check_files(
    candidates: Sequence[Candidate],
    registry: Registry,
    *,
    jobs: int | None = None,
    cache: Cache | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[FileResult]:
    """Check files, from the cache where their content was checked before, in parallel when
    there is enough to do."""
    results: dict[int, FileResult] = {}
    todo: list[int] = []
    keys: dict[int, str] = {}
    for i, candidate in enumerate(candidates):
        key = cache.key(candidate.path, candidate.explicit) if cache else None
        hit = cache.get(key, candidate.path) if cache and key else None
        if hit is not None:
            results[i] = hit
        else:
            todo.append(i)
            if key:
                keys[i] = key
    with _no_gc():
        for i, result in _run([candidates[i] for i in todo], todo, registry, jobs, progress):
            results[i] = result
            if cache and i in keys:
                cache.put(keys[i], result)
    return [results[i] for i in range(len(candidates))]


def _run(
    todo: list[Candidate],
    indexes: list[int],
    registry: Registry,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
) -> Iterator[tuple[int, FileResult]]:
    jobs = jobs or min(os.cpu_count() or 1, 8)
    size = sum(_size(c.path) for c in todo)
    if jobs > 1 and len(todo) > 1 and size >= PARALLEL_BYTES:
        global _REGISTRY
        _REGISTRY = registry  # inherited by the forked workers, not pickled for each file
        context = get_context("fork")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            done = pool.map(_check_in_worker, todo, chunksize=max(1, len(todo) // (jobs * 8)))
            yield from _counted(zip(indexes, done, strict=True), len(todo), progress)
    else:
        done_here = (check_file(c, registry) for c in todo)
        yield from _counted(zip(indexes, done_here, strict=True), len(todo), progress)


_REGISTRY: Registry | None = None


def _check_in_worker(candidate: Candidate) -> FileResult:
    assert _REGISTRY is not None
    return check_file(candidate, _REGISTRY)


def _counted(
    items: Iterable[tuple[int, FileResult]], total: int, progress: Callable[[int, int], None] | None
) -> Iterator[tuple[int, FileResult]]:
    for n, item in enumerate(items, 1):
        if progress:
            progress(n, total)
        yield item


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@contextmanager
def _no_gc() -> Iterator[None]:
    """Reading builds millions of small acyclic objects; the cyclic collector would rescan
    them again and again for nothing (a third of the time on a national run)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def place(findings: Iterable[Finding]) -> list[Diagnostic]:
    """Give cross-file findings their line and column, reading each file concerned once."""
    by_path: dict[Path, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.path].append(finding)
    placed = []
    for path, found in by_path.items():
        loaded = read(path)
        for f in found:
            placed.append(loaded.report(loaded.locate(f.loc, key=f.key), f.code, f.message))
    return placed


def _apply_settings(diagnostics: list[Diagnostic], repository: Repository) -> list[Diagnostic]:
    chosen = repository.settings.diagnostics
    ignore, warn = set(chosen.ignore), set(chosen.warn)
    kept = [
        d.with_severity(Severity.WARNING) if d.code in warn else d
        for d in diagnostics
        if d.code not in ignore
    ]
    return sorted(kept, key=lambda d: (str(d.path), d.line, d.column, d.code))
