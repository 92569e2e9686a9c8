"""Validation: files → loaded YAML → plan models → the checks of format v1 → diagnostics.

`check_paths` is the whole pipeline. Files are independent until the cross-file checks, so
each is read and checked on its own (`check_file`, in worker processes for large runs, its
result cached by content) and returns its outline; the outlines form the run's `PlanSet`, the
cross-file checks run on it, and their findings are placed at a line and column at the end.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provplan import parallel
from provplan.diagnostics import Diagnostic, Finding, Severity
from provplan.files import Candidate, discover
from provplan.planset import Outline, PlanSet
from provplan.registry import Registry
from provplan.repository import Repository, open_repository
from provplan.validate.cache import Cache
from provplan.validate.progress import (
    check_progress_indicators,
    check_progress_plans,
    check_progress_quarters,
    check_report_against_plan,
    check_went_down,
    successive_reports,
)
from provplan.validate.references import (
    check_alignments,
    check_development_plan,
    check_duplicate_plans,
    check_project_references,
)

SetCheck = Callable[[PlanSet], Iterator[Finding]]

PairCheck = Callable[[Any, Any], Iterator[Finding]]
"""A rule of one file against another (an action plan and its development plan, a report and
its action plan): its findings depend on the two alone, so the cache keeps them per pair."""

SET_CHECKS: tuple[SetCheck, ...] = (
    check_development_plan,
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
    cached: int = 0  # files whose results came from the cache

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    def exit_code(self, *, strict: bool = False) -> int:
        """0 clean (warnings allowed), 1 errors (or warnings under `strict`)."""
        return 1 if self.errors or (strict and self.warnings) else 0


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
    cache = Cache(cache_dir) if cache_dir else None
    repository = cache.repository(paths, settings_file) if cache else None
    repository = repository or open_repository(paths, settings_file)
    registry = repository.registry
    if cache:
        cache.save_repository(repository)
    candidates, diagnostics = discover(paths)
    diagnostics += repository.diagnostics
    results = check_files(candidates, registry, jobs=jobs, cache=cache, progress=progress)
    plans = PlanSet([r.outline for r in results if r.outline], registry)
    for result in results:
        diagnostics += result.diagnostics
    diagnostics += place(cross_file(plans, cache))
    files = sum(r.is_plan for r in results)
    cached = cache.hits if cache else 0
    return CheckResult(plans, apply_settings(diagnostics, repository), files, repository, cached)


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
            results[i] = _digested(result, keys.get(i, ""))
            if cache and i in keys:
                cache.put(keys[i], result)
            if progress:
                progress(n, len(todo))
    if cache:
        cache.save()
    return [results[i] for i in range(len(candidates))]


def cross_file(plans: PlanSet, cache: Cache | None = None) -> Iterator[Finding]:
    """The rules across files; those of one file against another (an action plan and its
    development plan, a report and its action plan or the quarter before) come from the
    cache when neither file changed, so that a re-run reads no project it need not."""
    for check in SET_CHECKS:
        yield from check(plans)
    for action in plans.action_plans:
        development = plans.development_plan(action)
        if development is not None:  # else PP401/PP402 say why
            yield from _pair(cache, action, development, check_project_references)
    for report in plans.progress_reports:
        reported = plans.action_plan_of.get((report.owner, report.fiscal_year))
        if reported is not None:  # else PP601 says why
            yield from _pair(cache, report, reported, check_report_against_plan)
    for report, earlier in successive_reports(plans):
        yield from _pair(cache, report, earlier, check_went_down)


def _pair(cache: Cache | None, first: Outline, second: Outline, check: PairCheck) -> list[Finding]:
    """A rule of one file against another, from the cache when neither changed."""
    found = cache.findings(check.__name__, first, second) if cache else None
    if found is None:
        found = list(check(first, second))
        if cache:
            cache.put_findings(check.__name__, first, second, found)
    return found


def _digested(result: FileResult, key: str) -> FileResult:
    """A fresh result told the content key of its file, as a cached one is."""
    if not key or result.outline is None:
        return result
    return dataclasses.replace(result, outline=dataclasses.replace(result.outline, digest=key))


def _check_in_worker(registry: Registry, candidate: Candidate) -> FileResult:
    # imported here: a run whose files all come from the cache never builds the plan models
    from provplan.validate.file import check_file

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
    if not by_path:
        return []
    from provplan.load import read

    placed = []
    for path, found in by_path.items():
        loaded = read(path)
        for f in found:
            placed.append(loaded.report(loaded.locate(f.loc, key=f.key), f.code, f.message))
    return placed


def apply_settings(diagnostics: list[Diagnostic], repository: Repository) -> list[Diagnostic]:
    ignore, warn = repository.ignore, repository.warn
    kept = [
        d.with_severity(Severity.WARNING) if d.code in warn else d
        for d in diagnostics
        if d.code not in ignore
    ]
    return sorted(kept, key=lambda d: (str(d.path), d.line, d.column, d.code))
