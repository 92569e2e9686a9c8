"""Interrupted runs: SIGINT and SIGTERM unwind the main process like an exception, so that
every `finally` runs (staging folders removed, worker processes ended) and nothing is left
half done. Stdlib only and cheap to import: the command line installs it at every start."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

CLEANUPS: list[Callable[[], None]] = []
"""Run first when a signal arrives (`parallel` ends its workers here)."""
SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """A signal ended the run; `exit_code` is 128 + its number, as a shell reports it. Not a
    KeyboardInterrupt, which click would turn into "Aborted!" and exit 1."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.exit_code = 128 + signum


_held: list[int] = []  # signals that arrived while held (any thread may take a signal)
_holding = [0]


def _interrupted(signum: int, _frame: Any) -> None:
    if _holding[0]:
        _held.append(signum)
        return
    for cleanup in CLEANUPS:
        cleanup()
    raise Interrupted(signum)


@contextmanager
def signals_as_exceptions() -> Iterator[None]:
    """While the block runs, SIGINT and SIGTERM raise `Interrupted` in the main process."""
    previous = {sig: signal.signal(sig, _interrupted) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done: a commit of many renames is whole."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, set(SIGNALS))
    _holding[0] += 1
    try:
        yield
    finally:
        _holding[0] -= 1
        signal.pthread_sigmask(signal.SIG_SETMASK, old)  # a blocked signal arrives now
        if not _holding[0] and _held:
            signum = _held[-1]
            _held.clear()
            _interrupted(signum, None)
