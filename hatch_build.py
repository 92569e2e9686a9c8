"""Compile the message catalogues (locale/*/LC_MESSAGES/provplan.po → .mo) when the package
is built, wheel or editable install alike: the compiled files are never committed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        for po in Path(self.root, "src/provplan/locale").glob("*/LC_MESSAGES/*.po"):
            with po.open("rb") as f:
                catalogue = read_po(f)
            mo = po.with_suffix(".mo")
            partial = mo.with_suffix(".mo.partial")
            with partial.open("wb") as f:
                write_mo(f, catalogue, use_fuzzy=False)
            os.replace(partial, mo)
