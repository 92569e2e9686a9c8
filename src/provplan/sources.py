"""Where plan files come from for a comparison: a git revision (read through git without
touching the checkout), the working tree, or a plain folder.

Uses the git command line, as pre-commit does: it is there wherever a plan repository is,
and it understands every revision syntax users type (`main`, `HEAD~1`, `origin/main`).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

from provplan.repository import SETTINGS_FILE, YAML_SUFFIXES


class SourceError(Exception):
    """A revision or folder that cannot be read; the message says why."""


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True)
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


def read_revision(root: Path, revision: str) -> dict[str, bytes]:
    """The plan-like files of a commit, by path, read from git's object store."""
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except SourceError:
        raise SourceError(f"`{revision}` is neither a folder nor a git revision") from None
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", commit.decode().strip())
    blobs: dict[str, str] = {}
    for entry in listing.split(b"\0"):
        if entry:
            meta, _, name = entry.decode("utf-8", "surrogateescape").partition("\t")
            _, kind, sha = meta.split()
            if kind == "blob" and _wanted(name):
                blobs[name] = sha
    return dict(zip(blobs, _cat(root, list(blobs.values())), strict=True))


def _cat(root: Path, shas: list[str]) -> Iterator[bytes]:
    """Blob contents in one `git cat-file --batch` call."""
    if not shas:
        return
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in shas).encode())
    at = 0
    for _ in shas:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        yield out[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1


def read_worktree(root: Path) -> dict[str, bytes]:
    """The plan-like files of the working tree that git tracks or would track."""
    listing = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    names = sorted(
        {n for n in listing.decode("utf-8", "surrogateescape").split("\0") if n and _wanted(n)}
    )
    return {n: (root / n).read_bytes() for n in names if (root / n).is_file()}


def read_folder(folder: Path) -> dict[str, bytes]:
    """The plan-like files under a plain folder."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and _wanted(name):
            found[name] = path.read_bytes()
    return found
