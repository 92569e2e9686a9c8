"""One JSON object: `diagnostics` and a `summary` with the provplan and format versions."""

from __future__ import annotations

import json
from typing import TextIO

from provplan import FORMAT_VERSION, __version__
from provplan.validate import CheckResult


def report_json(result: CheckResult, out: TextIO) -> None:
    document = {
        "diagnostics": [
            {
                "path": d.path.as_posix(),
                "line": d.line,
                "column": d.column,
                "severity": str(d.severity),
                "code": d.code,
                "message": d.message,
            }
            for d in result.diagnostics
        ],
        "summary": {
            "files": result.files,
            "errors": result.errors,
            "warnings": result.warnings,
            "provplan_version": __version__,
            "format_version": FORMAT_VERSION,
        },
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
