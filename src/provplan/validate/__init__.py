"""Validation: files → loaded YAML → plan models → the checks of format v1 → diagnostics.

`check_paths` is the whole pipeline. Files are independent until the cross-file checks, so
each is read and checked on its own (`check_file`, in worker processes for large runs, its
result cached by content) and returns its outline; the outlines form the run's `PlanSet`, the
cross-file checks run on it, and their findings are placed at a line and column at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from provplan import parallel
from provplan.cache import Cache
from provplan.diagnostics import Diagnostic, Finding, Severity
from provplan.files import Candidate, discover, read_bounded
from provplan.load import Loaded, read
from provplan.model.registry import Registry
from provplan.planset import Outline, PlanSet
from provplan.repository import Repository, open_repository
from provplan.shape import Document, looks_like_plan, plan_document
from provplan.validate.outline import outline, salvage
from provplan.validate.owners import check_channels, check_owner
from provplan.validate.progress import (
    check_progress_indicators,
    check_progress_plans,
    check_progress_quarters,
    check_progress_report,
)
from provplan.validate.references import (
    check_alignments,
    check_development_plan,
    check_duplicate_plans,
    check_project_references,
)
from provplan.validate.rules import (
    check_approvals,
    check_budgets,
    check_period,
    check_targets,
    check_unique_ids,
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
    check_progress_report,
)
SET_CHECKS: tuple[SetCheck, ...] = (
    check_development_plan,
    check_project_references,
    check_alignments,
    check_duplicate_plans,
    check_progress_plans,
    check_progress_quarters,
    check_progress_indicators,
)


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
    loaded = read(candidate.path)
    head = _head(candidate.path) if loaded.data is None and not loaded.source else None
    return check_loaded(loaded, registry, explicit=candidate.explicit, head=head)


def check_loaded(
    loaded: Loaded, registry: Registry, *, explicit: bool, head: bytes | None = None
) -> FileResult:
    """Check one file's loaded content on its own (it may come from a git revision); `head`
    is the start of its bytes when they could not be decoded."""
    path = loaded.path
    if loaded.data is None:
        start = head if head is not None else loaded.source[: 1 << 20].encode("utf-8", "replace")
        is_plan = explicit or looks_like_plan(start)
        return FileResult(path, is_plan, tuple(loaded.diagnostics) if is_plan else (), None)
    plan, problems = plan_document(loaded, explicit=explicit)
    if plan is None:
        found = tuple(loaded.diagnostics + problems) if problems else ()
        return FileResult(path, bool(problems), found, salvage(loaded.data, path, registry))
    doc = Document(loaded, plan, registry.owner_id(plan.owner))
    checked = [d for check in FILE_CHECKS for d in check(doc, registry)]
    return FileResult(path, True, (*loaded.diagnostics, *checked), outline(doc, registry))


def _head(path: Path) -> bytes:
    try:
        return read_bounded(path, 1 << 20, head=True)
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
    with parallel.no_gc():
        for i, candidate in enumerate(candidates):
            key = cache.key(candidate.path, candidate.explicit) if cache else None
            hit = cache.get(key, candidate.path) if cache and key else None
            if hit is not None:
                results[i] = hit
            else:
                todo.append(i)
                if key:
                    keys[i] = key
        size = sum(_size(candidates[i].path) for i in todo)
        done = parallel.pmap(
            _check_in_worker, [candidates[i] for i in todo], registry, size=size, jobs=jobs
        )
        for n, (i, result) in enumerate(zip(todo, done, strict=True), 1):
            results[i] = result
            if cache and i in keys:
                cache.put(keys[i], result)
            if progress:
                progress(n, len(todo))
    if cache:
        cache.save()
    return [results[i] for i in range(len(candidates))]


def _check_in_worker(registry: Registry, candidate: Candidate) -> FileResult:
    return check_file(candidate, registry)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


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
