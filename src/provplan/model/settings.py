"""Repository settings: the optional `provplan.yaml` at the root of a plan repository."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field

from provplan.model.base import BEYear, Model
from provplan.model.plan import Percent, Quarter
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
    language: Literal["th", "en"] | None = None
    """The language of provplan's messages for this office (`init` writes `th`); `--lang` and
    PROVPLAN_LANG still choose another for one run."""
    templates: Path | None = None
    """Folder of template overrides, relative to the repository root (default `templates/`)."""
    disbursement_targets: dict[BEYear, dict[Quarter, Percent]] = {}
    """The Budget Bureau's cumulative disbursement target per fiscal year and quarter, in
    percent, e.g. `{2568: {1: 30, 2: 54, 3: 77, 4: 100}}` (set by the cabinet each year)."""

    def target_rate(self, fiscal_year: int, quarter: int) -> Decimal | None:
        return self.disbursement_targets.get(fiscal_year, {}).get(quarter)
