"""Writing output files atomically: a failed run leaves earlier outputs intact."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from provplan.interrupt import signals_held


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path` (over the file a
    symbolic link points to, so that the link stays a link)."""
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, _mode(path))  # mkstemp makes 0600; give the file the mode a plain open would
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode(path: Path) -> int:
    """The mode a file keeps when replaced, or that a plain open would give a new one."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return _new_file_mode()


@cache
def _new_file_mode() -> int:
    # reading the umask means setting it; once per run, not once per file (28,000 documents)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class Staging:
    """Files written into a hidden folder inside the output folder first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: list[Path] = []

    def write(self, relative: Path, content: str) -> None:
        self.files.append(write_under(self.folder, relative, content))


def write_under(folder: Path, relative: Path, content: str) -> Path:
    """Write a file below a folder (staging: not yet where users look); return `relative`."""
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return relative


@contextmanager
def staged(out: Path) -> Iterator[Staging]:
    """Write many files so that either all of them replace their earlier versions or, when
    anything fails or a signal arrives, none does; nothing is held in memory meanwhile.

    Files are written into a hidden staging folder inside `out`; the commit renames them
    into place with SIGINT and SIGTERM held (a signal waits until the commit is whole), and
    undoes the renames done so far when one fails. The staging folder never outlives the run.
    """
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    staging = Staging(Path(tempfile.mkdtemp(prefix=".provplan-", dir=out)))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging.folder, ignore_errors=True)
        if created:
            shutil.rmtree(out, ignore_errors=True)  # it held nothing but the staging folder
        raise
    with signals_held():  # a signal now is handled once the commit is whole
        try:
            _commit(staging, out)
        finally:
            shutil.rmtree(staging.folder, ignore_errors=True)


def _commit(staging: Staging, out: Path) -> None:
    """Rename every staged file over its target; on a failure put the earlier files back."""
    backups = Path(tempfile.mkdtemp(prefix=".provplan-old-", dir=out))
    done: list[tuple[Path, Path | None]] = []
    try:
        for i, relative in enumerate(staging.files):
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            backup = None
            if target.is_file():
                backup = backups / str(i)
                _keep(target, backup)
            os.chmod(staging.folder / relative, _mode(target))
            os.replace(staging.folder / relative, target)
            done.append((target, backup))
    except BaseException:
        for target, backup in reversed(done):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        raise
    finally:
        shutil.rmtree(backups, ignore_errors=True)


def _keep(target: Path, backup: Path) -> None:
    """The earlier file, kept until the commit is whole: a hard link costs nothing."""
    try:
        os.link(target, backup)
    except OSError:  # a file system without hard links
        shutil.copy2(target, backup)
