"""Review by pull request (README.md, "Review by pull request"): what changed between two
revisions or folders, in projects and baht. `sources` lists each side's files, `diff`
compares them."""

from __future__ import annotations

from pathlib import Path

from provplan.i18n import msg
from provplan.repository import open_repository
from provplan.review import sources
from provplan.review.diff import PlanDiff, compare
from provplan.review.sources import SourceError
from provplan.validate.cache import Cache


def diff(
    base: str, head: str | None, *, jobs: int | None = None, cache_dir: Path | None = None
) -> PlanDiff:
    """Compare `base` with `head`: two folders, two git revisions, or a revision and the
    working tree (no `head`); with `cache_dir`, validate's cache spares checking again the
    files the two sides share. Raises `SourceError` when a side cannot be read."""
    same = None
    if Path(base).is_dir():
        if head is None or not Path(head).is_dir():
            raise SourceError(msg("comparing folders needs two folders: BASE HEAD"))
        root = Path(head)
        old, new = sources.folder(Path(base)), sources.folder(Path(head))
    else:
        root = sources.git_root(Path.cwd())
        old = sources.revision(root, base)
        if head:
            new = sources.revision(root, head)
        else:
            new, changed = sources.worktree(root, base)
            same = (old.files.keys() & new.files.keys()) - changed
    cache = Cache(cache_dir) if cache_dir else None
    repository = (cache.repository([root], None) if cache else None) or open_repository([root])
    if cache:
        cache.save_repository(repository)
    return compare(old, new, repository.registry, same=same, jobs=jobs, cache=cache)


__all__ = ["PlanDiff", "SourceError", "diff"]
