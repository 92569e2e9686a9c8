"""One JSON object: `diagnostics` and a `summary` with the provplan and format versions."""

from __future__ import annotations

import json
from typing import TextIO

from provplan import FORMAT_VERSION, __version__
from provplan.escape import utf8
from provplan.validate import CheckResult


def report_json(result: CheckResult, out: TextIO) -> None:
    document = {
        "diagnostics": [
            {
                "path": utf8(d.path.as_posix()),  # a file name may not be UTF-8
                "line": d.line,
                "column": d.column,
                "severity": str(d.severity),
                "code": d.code,
                "message": utf8(str(d.message)),
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
