"""Where plan files come from for a comparison: a git revision (read through git without
touching the checkout), the working tree, or a plain folder.

Listing gives references, not contents: a worker reads each file when it compares it, so the
files of a whole country are never all in memory at once. Uses the git command line, as
pre-commit does: it is there wherever a plan repository is, and it understands every revision
syntax users type (`main`, `HEAD~1`, `origin/main`). Which files count is `provplan.files`'
rule, the same as validate's.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from provplan.files import MAX_BYTES, TooLarge, read_bounded, walk_relative, wanted
from provplan.i18n import msg


class SourceError(Exception):
    """A revision or folder that cannot be read; the message says why."""


@dataclass(frozen=True)
class Ref:
    """A file's content: a git blob (`name` is its id) or a file on disk (`name` its path)."""

    kind: Literal["blob", "file"]
    root: str
    name: str


@dataclass(frozen=True)
class Side:
    """The plan-like files of one side, by path relative to its root."""

    label: str
    files: dict[str, Ref]


def _git(root: Path, *args: str) -> bytes:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True)
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip()  # git's own words
        raise SourceError(msg("{problem}", problem=said) if said else msg("git failed"))
    return done.stdout


def git_root(start: Path) -> Path:
    return Path(_git(start, "rev-parse", "--show-toplevel").decode().strip())


def _names(output: bytes) -> list[str]:
    return [n for n in output.decode("utf-8", "surrogateescape").split("\0") if n and wanted(n)]


def revision(root: Path, rev: str) -> Side:
    """The plan-like files of a commit, as blobs of git's object store."""
    try:
        commit = (
            _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
        )
    except SourceError:
        raise SourceError(msg("`{rev}` is neither a folder nor a git revision", rev=rev)) from None
    files = {}
    for entry in _git(root, "ls-tree", "-r", "-z", "--full-tree", commit).split(b"\0"):
        meta, _, name = entry.decode("utf-8", "surrogateescape").partition("\t")
        if meta and meta.split()[1] == "blob" and wanted(name):
            files[name] = Ref("blob", str(root), meta.split()[2])
    return Side(rev, files)


def worktree(root: Path, base: str) -> tuple[Side, set[str]]:
    """The working tree's plan-like files, and those that differ from revision `base`."""
    listing = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    files = {
        n: Ref("file", str(root), n) for n in sorted(set(_names(listing))) if (root / n).is_file()
    }
    changed = set(_names(_git(root, "diff", "--name-only", "-z", base, "--")))
    changed |= set(_names(_git(root, "ls-files", "-z", "--others", "--exclude-standard")))
    return Side("working tree", files), changed


def folder(path: Path) -> Side:
    """The plan-like files under a plain folder."""
    return Side(str(path), {name: Ref("file", str(path), name) for name in walk_relative(path)})


class Reader:
    """Reads references: files bounded as validate reads them, blobs through one
    `git cat-file --batch` per repository and process, kept open for every blob."""

    def __init__(self) -> None:
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.pid = os.getpid()

    def close(self) -> None:
        """End the `git cat-file` processes this reader started."""
        for process in self.processes.values():
            if process.stdin:
                process.stdin.close()
            process.wait()
            if process.stdout:
                process.stdout.close()
        self.processes.clear()

    def read(self, ref: Ref) -> bytes:
        """The content behind a reference (raises `TooLarge`, `OSError`, `SourceError`)."""
        if ref.kind == "file":
            return read_bounded(Path(ref.root) / ref.name)
        return self._blob(ref.root, ref.name)

    def _blob(self, root: str, sha: str) -> bytes:
        if self.pid != os.getpid():  # a forked worker opens its own pipes, never its parent's
            self.processes, self.pid = {}, os.getpid()
        process = self.processes.get(root)
        if process is None or process.poll() is not None:
            process = subprocess.Popen(
                ["git", "-C", root, "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
            self.processes[root] = process
        stdin, stdout = process.stdin, process.stdout
        assert stdin is not None
        assert stdout is not None
        stdin.write(f"{sha}\n".encode())
        stdin.flush()
        try:
            return _blob(stdout, sha)
        except TooLarge:
            process.kill()  # the object is still in the pipe: start afresh next time
            del self.processes[root]
            raise


def _blob(stdout: IO[bytes], sha: str) -> bytes:
    header = stdout.readline().split()
    if len(header) != 3:
        raise SourceError(msg("git has no object {sha}", sha=sha))
    size = int(header[2])
    if size > MAX_BYTES:  # the object stays in the pipe: this reader is done with it
        raise TooLarge(MAX_BYTES)
    content = stdout.read(size)
    stdout.read(1)  # the newline after each object
    return content
