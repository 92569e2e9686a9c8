"""Checking one file on its own: read, shape, the per-file rules, the outline.

Runs in the worker that read the file; imported only when some file is not in the cache, so a
warm run never builds the pydantic models of the plans.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from provplan.diagnostics import Diagnostic
from provplan.files import Candidate, read_bounded
from provplan.load import Loaded, read
from provplan.registry import Registry
from provplan.shape import Document, looks_like_plan, plan_document
from provplan.validate import FileResult
from provplan.validate.outline import outline
from provplan.validate.owners import check_channels, check_owner
from provplan.validate.progress_rules import check_progress_report
from provplan.validate.rules import (
    check_approvals,
    check_budgets,
    check_period,
    check_targets,
    check_unique_ids,
)

FileCheck = Callable[[Document, Registry], Iterator[Diagnostic]]
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
    shaped, problems = plan_document(loaded, explicit=explicit)
    if shaped is None:
        found = tuple(loaded.diagnostics + problems) if problems else ()
        return FileResult(path, bool(problems), found, None)
    plan = shaped.plan
    owner = registry.owner_id(plan.owner) if ("owner",) not in shaped.broken else ""
    doc = Document(loaded, plan, owner, shaped.broken)
    checked = [d for check in FILE_CHECKS for d in check(doc, registry)]
    found = (*loaded.diagnostics, *problems, *checked)
    return FileResult(path, True, found, outline(doc, registry))


def _head(path: Path) -> bytes:
    try:
        return read_bounded(path, 1 << 20, head=True)
    except OSError:
        return b""
