"""Validation: files → loaded YAML → plan models → the checks of format v1 → diagnostics.

`check_paths` is the whole pipeline in one function; every later stage (render, rollup, diff)
starts from its `CheckResult`. Checks are functions of a `PlanSet` yielding diagnostics; all of
them run, so one run reports every finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from provplan.diagnostics import Diagnostic, Severity
from provplan.documents import Document, looks_like_plan, plan_document
from provplan.load import read
from provplan.repository import Candidate, Repository, discover, open_repository
from provplan.validate.document import (
    check_approvals,
    check_budgets,
    check_period,
    check_targets,
    check_unique_ids,
)
from provplan.validate.owners import check_channels, check_owners
from provplan.validate.planset import PlanSet
from provplan.validate.references import (
    check_alignments,
    check_development_plan,
    check_duplicate_plans,
    check_project_references,
)

Check = Callable[[PlanSet], Iterator[Diagnostic]]

CHECKS: tuple[Check, ...] = (
    check_unique_ids,
    check_period,
    check_targets,
    check_budgets,
    check_approvals,
    check_owners,
    check_channels,
    check_development_plan,
    check_project_references,
    check_alignments,
    check_duplicate_plans,
)


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


def load_candidate(
    candidate: Candidate, repository: Repository
) -> tuple[Document | None, list[Diagnostic], bool]:
    """Read one file: its document if valid, its diagnostics, and whether it is a plan at all."""
    loaded = read(candidate.path)
    if loaded.data is None:
        is_plan = candidate.explicit or looks_like_plan(
            loaded.source.encode() or _raw(candidate.path)
        )
        return None, loaded.diagnostics if is_plan else [], is_plan
    plan, problems = plan_document(loaded, explicit=candidate.explicit)
    if plan is None:
        return None, (loaded.diagnostics + problems) if problems else [], bool(problems)
    owner = repository.registry.province_id(plan.owner) or plan.owner.strip()
    return Document(loaded, plan, owner), loaded.diagnostics, True


def _raw(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(1 << 20)
    except OSError:
        return b""


def check_paths(paths: Sequence[Path], settings_file: Path | None = None) -> CheckResult:
    """Validate every plan document under `paths` and report all findings."""
    repository = open_repository(paths, settings_file)
    candidates, diagnostics = discover(paths)
    diagnostics += repository.diagnostics
    documents: list[Document] = []
    files = 0
    for candidate in candidates:
        document, found, is_plan = load_candidate(candidate, repository)
        files += is_plan
        diagnostics += found
        if document is not None:
            documents.append(document)
    plans = PlanSet(documents, repository.registry)
    for check in CHECKS:
        diagnostics.extend(check(plans))
    return CheckResult(plans, _apply_settings(diagnostics, repository), files, repository)


def _apply_settings(diagnostics: list[Diagnostic], repository: Repository) -> list[Diagnostic]:
    chosen = repository.settings.diagnostics
    ignore, warn = set(chosen.ignore), set(chosen.warn)
    kept = [
        d.with_severity(Severity.WARNING) if d.code in warn else d
        for d in diagnostics
        if d.code not in ignore
    ]
    return sorted(kept, key=lambda d: (str(d.path), d.line, d.column, d.code))
