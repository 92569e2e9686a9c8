"""A plan repository: its root, its settings (`provplan.yaml`) and the registry they give.

Owns finding the settings and merging the registry; which files are plan files is
`provplan.files`', reading them `provplan.load`'s and checking them `provplan.validate`'s.
Reading and checking the settings needs the pydantic models; a `Repository` is plain data
afterwards (`data`/`from_data`), so the cache can keep it and a warm run never builds them.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from provplan.diagnostics import CODES, Diagnostic, Severity, suggest
from provplan.files import SETTINGS_FILE, display
from provplan.i18n import Message, msg
from provplan.registry import Registry

if TYPE_CHECKING:
    from provplan.load import Loaded
    from provplan.model.settings import Settings


@dataclass(frozen=True)
class Repository:
    """What every command works within: the settings found and the registry they give."""

    root: Path | None
    registry: Registry
    ignore: frozenset[str] = frozenset()
    """Codes never reported (`diagnostics.ignore`)."""
    warn: frozenset[str] = frozenset()
    """Error codes reported as warnings (`diagnostics.warn`)."""
    templates: Path | None = None
    """The folder of template overrides `provplan.yaml` names, if any."""
    settings_text: str = ""
    """`provplan.yaml` as written, when it passed its checks (empty otherwise)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    language: str | None = None
    """`language:` of `provplan.yaml`: the office's language when neither `--lang` nor
    PROVPLAN_LANG says another."""

    @cached_property
    def settings(self) -> Settings:
        """The settings as their model, for the commands that read more than the above."""
        from provplan.load import parse
        from provplan.model.settings import Settings

        data = parse(Path(SETTINGS_FILE), self.settings_text).data if self.settings_text else {}
        return Settings.model_validate(data or {})

    def data(self) -> dict[str, Any]:
        """Plain data to keep in the cache."""
        return {
            "root": None if self.root is None else str(self.root),
            "registry": self.registry.data(),
            "ignore": sorted(self.ignore),
            "warn": sorted(self.warn),
            "templates": None if self.templates is None else str(self.templates),
            "settings": self.settings_text,
            "diagnostics": [
                [str(d.path), d.line, d.column, d.code, str(d.severity), d.message.to_json()]
                for d in self.diagnostics
            ],
            "language": self.language,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Repository:
        return cls(
            None if data["root"] is None else Path(data["root"]),
            Registry.from_data(data["registry"]),
            frozenset(data["ignore"]),
            frozenset(data["warn"]),
            None if data["templates"] is None else Path(data["templates"]),
            data["settings"],
            [
                Diagnostic(
                    Path(p), line, column, code, Severity(severity), Message.from_json(message)
                )
                for p, line, column, code, severity, message in data["diagnostics"]
            ],
            data["language"],
        )


def builtin_source() -> str:
    """The text of the registry shipped with provplan (package data)."""
    return resources.files("provplan").joinpath("data/registry.yaml").read_text("utf-8")


@cache
def builtin_registry() -> Registry:
    """The registry shipped with provplan, checked like any input."""
    from provplan.load import parse
    from provplan.model.registry import RegistryEntries
    from provplan.shape import validate_model

    loaded = parse(Path("<built-in registry>"), builtin_source())
    entries, problems = validate_model(loaded, RegistryEntries)
    if entries is None:  # a packaging bug, not a user error
        raise RuntimeError("; ".join(map(str, loaded.diagnostics + problems)))
    return entries.to_registry()


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


def settings_path(paths: Sequence[Path], settings_file: Path | None = None) -> Path | None:
    """The `provplan.yaml` that applies: the one given, or the one found above the paths."""
    if settings_file is not None:
        return settings_file
    root = find_root(paths)
    return root / SETTINGS_FILE if root else None


def open_repository(paths: Sequence[Path], settings_file: Path | None = None) -> Repository:
    """Find and read the settings for these paths, and build the registry they ask for."""
    from provplan.load import read
    from provplan.model.settings import Settings
    from provplan.shape import validate_model

    settings_file = settings_path(paths, settings_file)
    if settings_file is None:
        return Repository(None, builtin_registry())
    loaded = read(display(settings_file))
    settings, problems = (None, []) if loaded.data is None else validate_model(loaded, Settings)
    if settings is None:
        found = loaded.diagnostics + problems
        return Repository(settings_file.parent, builtin_registry(), diagnostics=found)
    registry, more = _merge_registry(loaded, settings)
    return Repository(
        settings_file.parent,
        registry,
        frozenset(settings.diagnostics.ignore),
        frozenset(settings.diagnostics.warn),
        settings.templates,
        loaded.source,
        problems + more + _codes(loaded, settings) + _targets(loaded, settings),
        settings.language,
    )


def _merge_registry(loaded: Loaded, settings: Settings) -> tuple[Registry, list[Diagnostic]]:
    from pydantic import ValidationError

    from provplan.model.registry import RegistryEntries

    changes, base = settings.registry, builtin_registry()
    if not (changes.regions or changes.clusters or changes.provinces):
        return base, []
    data = base.data()
    merged = {
        "regions": _by_id(data["regions"], changes.regions),
        "clusters": _by_id(data["clusters"], changes.clusters),
        "provinces": _by_id(data["provinces"], changes.provinces),
    }
    try:
        return RegistryEntries.model_validate(merged).to_registry(), []
    except ValidationError as err:
        where = loaded.locate(["registry"], key=True)
        why = "; ".join(e["msg"].removeprefix("Value error, ") for e in err.errors())
        return base, [
            loaded.report(
                where, "PP503", msg("the registry changes do not fit: {problem}", problem=why)
            )
        ]


def _by_id(base: list[dict[str, Any]], changes: Iterable[Any]) -> list[dict[str, Any]]:
    entries = {e["id"]: e for e in base}
    entries.update({e.id: e.model_dump(exclude={"extensions"}) for e in changes})
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
                        msg("unknown code `{code}`{hint}", code=code, hint=suggest(code, CODES)),
                    )
                )
    return found


def _targets(loaded: Loaded, settings: Settings) -> list[Diagnostic]:
    """PP504: cumulative disbursement targets do not go down from one quarter to the next."""
    found = []
    for year, quarters in settings.disbursement_targets.items():
        ordered = sorted(quarters.items())
        for (_, before), (quarter, rate) in itertools.pairwise(ordered):
            if rate < before:
                message = msg(
                    "the target for quarter {quarter} of {year} ({rate}%) is below the one "
                    "before it ({before}%); targets are cumulative from 1 October",
                    quarter=quarter,
                    year=year,
                    rate=rate,
                    before=before,
                )
                pos = loaded.locate(["disbursement_targets", year, quarter])
                found.append(loaded.report(pos, "PP504", message))
    return found
