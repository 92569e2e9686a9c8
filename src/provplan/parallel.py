"""Running independent per-file work on all cores.

Workers are forked, so what every item needs (the registry, a renderer) reaches them once,
through the fork, instead of being pickled with every item; they return small results. Small
runs stay in this process, where starting workers would cost more than it saves.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from provplan import interrupt

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")
PARALLEL_BYTES = 4 * 2**20  # below this, starting workers costs more than it saves
MAX_JOBS = 32  # more workers than this only exhaust the machine's processes


def jobs_for(jobs: int | None) -> int:
    """The worker count: as asked (at most MAX_JOBS), else the cores, at most 8."""
    return min(jobs, MAX_JOBS) if jobs else min(os.cpu_count() or 1, 8)


class _Worker:
    """What one worker process holds: the task and its shared argument, set at the fork."""

    task: Callable[[Any, Any], Any] | None = None
    shared: Any = None

    @classmethod
    def start(cls, task: Callable[[Any, Any], Any], shared: Any, parent: int) -> None:
        cls.task, cls.shared = task, shared
        # The parent decides: Ctrl-C reaches the whole process group, and the parent then
        # ends its workers; a worker sent SIGTERM just ends.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with_parent(parent)

    @classmethod
    def run(cls, item: Any) -> Any:
        assert cls.task is not None
        return cls.task(cls.shared, item)


def _die_with_parent(parent: int) -> None:
    """A worker never outlives the process that started it, however that one ends (even
    killed before it could end its workers): Linux kills it with its parent."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's cleanup has to do
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def pmap(
    task: Callable[[S, T], R],
    items: Sequence[T],
    shared: S,
    *,
    size: int,
    jobs: int | None = None,
) -> Generator[R, None, None]:
    """`task(shared, item)` for every item, in order; on forked workers when there are `size`
    bytes to read. `task` must be a module-level function."""
    count = jobs_for(jobs)
    if count > 1 and len(items) > 1 and size >= PARALLEL_BYTES:
        # imported here: most runs are small, and these imports cost more than they do
        from multiprocessing import get_context

        context = get_context("fork")
        pool = _pool()(
            count,
            mp_context=context,
            initializer=_Worker.start,
            initargs=(task, shared, os.getpid()),
        )
        _POOLS.add(pool)
        try:
            yield from pool.map(_Worker.run, items, chunksize=max(1, len(items) // (count * 8)))
            pool.shutdown(wait=True)
        except BaseException:  # an error, an interrupt, or the caller stopped early
            end_workers()
            raise
        finally:
            _POOLS.discard(pool)
    else:
        for item in items:
            yield task(shared, item)


def _pool() -> type[ProcessPoolExecutor]:
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor


_POOLS: set[ProcessPoolExecutor] = set()


def kill_workers() -> None:
    """Kill the worker processes of every running pool (safe inside a signal handler: no
    locks taken). Shutting a pool down would wait for all the work it was given."""
    for pool in list(_POOLS):
        processes = getattr(pool, "_processes", None) or {}
        for process in list(processes.values()):
            process.kill()
    multiprocessing = sys.modules.get("multiprocessing")  # none started: nothing to kill
    for process in multiprocessing.active_children() if multiprocessing else ():
        process.kill()  # one started but not yet listed


def end_workers() -> None:
    """An interrupted or failed run leaves no worker behind."""
    kill_workers()
    for pool in list(_POOLS):
        # its workers are dead: waiting is short, and leaves no manager thread for the
        # interpreter's exit to trip over
        pool.shutdown(wait=True, cancel_futures=True)


interrupt.CLEANUPS.append(kill_workers)


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
