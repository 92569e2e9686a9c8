"""Which files are plan files, and reading them safely: the one walker of every command.

A walked folder holds more than files: FIFOs that block a reader forever, links to devices
that never end, symlink loops, the same folder reached twice. Only regular files are read,
each at most once, and a read is bounded by what it gets, never by what `stat` says (a link
to /dev/zero has size 0). validate, fmt, render, rollup and diff all list files here.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from provplan.diagnostics import Diagnostic, make
from provplan.i18n import Message, msg

SETTINGS_FILE = "provplan.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
MAX_BYTES = 32 * 2**20
"""The largest file provplan reads (a national year's largest action plan is about 1 MiB)."""


class TooLarge(Exception):
    """The file holds more than the bound."""


class NotRegular(OSError):
    """Not a regular file (a FIFO, a device, a socket, a folder)."""


def wanted(relative: str) -> bool:
    """Whether a path, relative to the folder walked, names a plan file: `.yaml`/`.yml`, not
    `provplan.yaml`, nothing hidden on the way."""
    parts = relative.split("/")
    return (
        relative.endswith(YAML_SUFFIXES)
        and parts[-1] != SETTINGS_FILE
        and not any(p.startswith(".") for p in parts)
    )


def read_bounded(path: Path, limit: int = MAX_BYTES, *, head: bool = False) -> bytes:
    """The bytes of a regular file, at most `limit` (with `head`, its first `limit` bytes
    however long it is); never blocks on a FIFO.

    Raises:
        NotRegular: for anything but a regular file.
        TooLarge: when the file holds more than `limit` bytes (not with `head`).
        OSError: when it cannot be opened or read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular(errno.EINVAL, "not a regular file")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
        if head:
            return b"".join(chunks)[:limit]
        raise TooLarge(limit)
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file to read: `explicit` when named on the command line (it must be a plan)."""

    path: Path
    explicit: bool


def discover(paths: Sequence[Path]) -> tuple[list[Candidate], list[Diagnostic]]:
    """The plan-like files under the paths, each once, in a stable order."""
    found: dict[tuple[int, int], Candidate] = {}
    problems: list[Diagnostic] = []
    for path in paths:
        try:
            info = path.stat()
        except OSError as err:
            problems.append(make(path, 1, 1, "PP502", _missing(err)))
            continue
        if stat.S_ISDIR(info.st_mode):
            for file, file_info in _walk(path):
                found.setdefault(_identity(file_info), Candidate(file, explicit=False))
        elif stat.S_ISREG(info.st_mode):
            found.setdefault(_identity(info), Candidate(path, explicit=True))
        else:
            problems.append(make(path, 1, 1, "PP001", msg("not a regular file; name a plan file")))
    return list(found.values()), problems


def _missing(err: OSError) -> Message:
    if err.errno == errno.ELOOP:
        return msg("a symbolic link that loops; name the file it should point to")
    return msg("no such file or folder")


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def _walk(folder: Path) -> Iterator[tuple[Path, os.stat_result]]:
    """Regular plan-like files below a folder; symlinked folders are not entered (no loops),
    FIFOs, devices and dangling links are passed over."""
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not wanted(name):
                continue
            path = Path(top) / name
            try:
                info = path.stat()
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                yield display(path), info


def walk_relative(folder: Path) -> Iterator[str]:
    """The plan-like regular files below a folder, as `/`-separated paths relative to it."""
    for path, _ in _walk(folder):
        relative = path.resolve().relative_to(folder.resolve()) if path.is_absolute() else None
        yield (relative or Path(os.path.relpath(path, folder))).as_posix()


def display(path: Path) -> Path:
    """A path as users read it: relative to the working folder where it lies below it."""
    try:
        return path.resolve().relative_to(Path.cwd()) if path.is_absolute() else path
    except (ValueError, OSError):
        return path
