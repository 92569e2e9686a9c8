"""Where plan files come from for a comparison: a git revision (read through git without
touching the checkout), the working tree, or a plain folder.

Listing gives references, not contents: a worker reads each file when it compares it, so the
files of a whole country are never all in memory at once (issue #6). Uses the git command
line, as pre-commit does: it is there wherever a plan repository is, and it understands every
revision syntax users type (`main`, `HEAD~1`, `origin/main`).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from provplan.repository import SETTINGS_FILE, YAML_SUFFIXES


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
        raise SourceError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout


def git_root(start: Path) -> Path:
    return Path(_git(start, "rev-parse", "--show-toplevel").decode().strip())


def _wanted(path: str) -> bool:
    parts = path.split("/")
    return (
        path.endswith(YAML_SUFFIXES)
        and parts[-1] != SETTINGS_FILE
        and not any(p.startswith(".") for p in parts)
    )


def _names(output: bytes) -> list[str]:
    return [n for n in output.decode("utf-8", "surrogateescape").split("\0") if n and _wanted(n)]


def revision(root: Path, rev: str) -> Side:
    """The plan-like files of a commit, as blobs of git's object store."""
    try:
        commit = (
            _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
        )
    except SourceError:
        raise SourceError(f"`{rev}` is neither a folder nor a git revision") from None
    files = {}
    for entry in _git(root, "ls-tree", "-r", "-z", "--full-tree", commit).split(b"\0"):
        meta, _, name = entry.decode("utf-8", "surrogateescape").partition("\t")
        if meta and meta.split()[1] == "blob" and _wanted(name):
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
    files = {}
    for file in sorted(path.rglob("*")):
        name = file.relative_to(path).as_posix()
        if file.is_file() and _wanted(name):
            files[name] = Ref("file", str(path), name)
    return Side(str(path), files)


class _Blobs:
    """One `git cat-file --batch` per repository and process, kept open for every blob."""

    def __init__(self) -> None:
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def read(self, root: str, sha: str) -> bytes:
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
        return _blob(stdout, sha)


def _blob(stdout: IO[bytes], sha: str) -> bytes:
    header = stdout.readline().split()
    if len(header) != 3:
        raise SourceError(f"git has no object {sha}")
    content = stdout.read(int(header[2]))
    stdout.read(1)  # the newline after each object
    return content


_blobs = _Blobs()
# a forked worker must open its own pipes, never write into its parent's
os.register_at_fork(after_in_child=_blobs.processes.clear)


def read(ref: Ref) -> bytes:
    """The content behind a reference."""
    if ref.kind == "blob":
        return _blobs.read(ref.root, ref.name)
    return (Path(ref.root) / ref.name).read_bytes()
