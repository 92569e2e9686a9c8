"""Running independent per-file work on all cores (issue #6).

Workers are forked, so they inherit what the work needs (the registry) instead of receiving
it with every file, and they return small results. Small runs stay in this process, where
starting workers would cost more than it saves.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
PARALLEL_BYTES = 4 * 2**20  # below this, starting workers costs more than it saves

_context: Any = None


def context() -> Any:
    """What `pmap`'s caller shared with the workers."""
    return _context


def pmap(
    function: Callable[[T], R],
    items: Sequence[T],
    *,
    size: int,
    jobs: int | None = None,
    shared: Any = None,
) -> Iterator[R]:
    """`function` over `items`, in order; on forked workers when there are `size` bytes to read.

    `function` must be a module-level function; it finds `shared` through `context()`.
    """
    global _context
    _context = shared
    jobs = jobs or min(os.cpu_count() or 1, 8)
    if jobs > 1 and len(items) > 1 and size >= PARALLEL_BYTES:
        with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
            yield from pool.map(function, items, chunksize=max(1, len(items) // (jobs * 8)))
    else:
        yield from map(function, items)


@contextmanager
def no_gc() -> Iterator[None]:
    """Reading builds millions of small acyclic objects; the cyclic collector would rescan
    them again and again for nothing (a third of the time on a national run)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
