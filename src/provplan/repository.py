"""A plan repository: its root, settings (`provplan.yaml`), registry and plan files.

Owns finding the settings and merging the registry; which files are plan files is
`provplan.files`', reading them `provplan.load`'s and checking them `provplan.validate`'s.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from provplan.diagnostics import CODES, Diagnostic, suggest
from provplan.files import SETTINGS_FILE, display
from provplan.load import Loaded, parse, read
from provplan.model.registry import Registry
from provplan.model.settings import Settings
from provplan.shape import validate_model


@dataclass(frozen=True, slots=True)
class Repository:
    """What every command works within: the settings found and the registry they give."""

    root: Path | None
    settings: Settings
    registry: Registry
    diagnostics: list[Diagnostic] = field(default_factory=list)


@cache
def builtin_registry() -> Registry:
    """The registry shipped with provplan (package data, validated like any input)."""
    source = resources.files("provplan").joinpath("data/registry.yaml").read_text("utf-8")
    loaded = parse(Path("<built-in registry>"), source)
    registry, problems = validate_model(loaded, Registry)
    if registry is None:  # a packaging bug, not a user error
        raise RuntimeError("; ".join(map(str, loaded.diagnostics + problems)))
    return registry


def find_root(paths: Sequence[Path]) -> Path | None:
    """The nearest folder at or above the first path holding `provplan.yaml`, within its git
    repository."""
    # realpath, not Path.resolve: a symlink loop named on the command line is the walker's
    # finding (PP502), not a RuntimeError here
    start = Path(os.path.realpath(paths[0] if paths else Path()))
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / SETTINGS_FILE).is_file():
            return candidate
        if (candidate / ".git").exists():
            return None
    return None


def open_repository(paths: Sequence[Path], settings_file: Path | None = None) -> Repository:
    """Find and read the settings for these paths, and build the registry they ask for."""
    if settings_file is None:
        root = find_root(paths)
        settings_file = root / SETTINGS_FILE if root else None
    if settings_file is None:
        return Repository(None, Settings(), builtin_registry())
    loaded = read(display(settings_file))
    settings, problems = (None, []) if loaded.data is None else validate_model(loaded, Settings)
    if settings is None:
        return Repository(
            settings_file.parent, Settings(), builtin_registry(), loaded.diagnostics + problems
        )
    registry, more = _merge_registry(loaded, settings)
    return Repository(
        settings_file.parent, settings, registry, problems + more + _codes(loaded, settings)
    )


def _merge_registry(loaded: Loaded, settings: Settings) -> tuple[Registry, list[Diagnostic]]:
    changes, base = settings.registry, builtin_registry()
    if not (changes.regions or changes.clusters or changes.provinces):
        return base, []
    merged = {
        "regions": _by_id(base.regions, changes.regions),
        "clusters": _by_id(base.clusters, changes.clusters),
        "provinces": _by_id(base.provinces, changes.provinces),
    }
    try:
        return Registry.model_validate(merged), []
    except ValidationError as err:
        where = loaded.locate(["registry"], key=True)
        why = "; ".join(e["msg"].removeprefix("Value error, ") for e in err.errors())
        return base, [loaded.report(where, "PP503", f"the registry changes do not fit: {why}")]


def _by_id(base: Iterable[object], changes: Iterable[object]) -> list[dict[str, object]]:
    entries = {e.id: e.model_dump(by_alias=True) for e in base}  # type: ignore[attr-defined]
    entries.update({e.id: e.model_dump(by_alias=True) for e in changes})  # type: ignore[attr-defined]
    return list(entries.values())


def _codes(loaded: Loaded, settings: Settings) -> list[Diagnostic]:
    found = []
    for key in ("ignore", "warn"):
        for i, code in enumerate(getattr(settings.diagnostics, key)):
            if code not in CODES:
                found.append(
                    loaded.report(
                        loaded.locate(["diagnostics", key, i]),
                        "PP503",
                        f"unknown code `{code}`{suggest(code, CODES)}",
                    )
                )
    return found
