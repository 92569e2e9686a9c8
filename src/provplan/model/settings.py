"""Repository settings: the optional `provplan.yaml` at the root of a plan repository."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from provplan.model.base import Model
from provplan.model.registry import Cluster, Province, Region


class RegistryChanges(Model):
    """Entries added to the built-in registry, or replacing the entry of the same id."""

    regions: list[Region] = []
    clusters: list[Cluster] = []
    provinces: list[Province] = []


class DiagnosticSettings(Model):
    ignore: list[str] = []
    """Codes never reported, e.g. `PP208`."""
    warn: list[str] = []
    """Error codes reported as warnings instead (they no longer fail a run)."""


class Settings(Model):
    provplan: Literal[1] | None = None
    """Format version; optional here."""
    registry: RegistryChanges = Field(default_factory=RegistryChanges)
    """Regions, clusters and provinces added to the built-in registry or replacing its own."""
    diagnostics: DiagnosticSettings = Field(default_factory=DiagnosticSettings)
    """Codes to ignore or to report as warnings."""
    templates: Path | None = None
    """Folder of template overrides, relative to the repository root (default `templates/`)."""
