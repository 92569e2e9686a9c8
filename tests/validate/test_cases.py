"""The case corpus: valid files give no diagnostics; each invalid file gives exactly the
codes and positions of its `.expected` file. A new rule means new files, not new code."""

from __future__ import annotations

from pathlib import Path

import pytest

from provplan.validate import check_paths

from ..conftest import CASES

CONTEXT = CASES / "context"
VALID = sorted((CASES / "valid").glob("*.yaml"))
INVALID = sorted((CASES / "invalid").glob("*.yaml"))


def _expected(case: Path) -> list[tuple[str, int, int]]:
    found = []
    for line in case.with_suffix(".expected").read_text().split("\n"):
        if line.strip():
            code, position = line.split()
            row, column = position.split(":")
            found.append((code, int(row), int(column)))
    return sorted(found)


def test_context_is_valid() -> None:
    assert check_paths([CONTEXT]).diagnostics == []


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.stem)
def test_valid_case(case: Path) -> None:
    result = check_paths([CONTEXT, case])
    assert [str(d) for d in result.diagnostics] == []
    assert result.exit_code() == 0


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_invalid_case(case: Path) -> None:
    result = check_paths([CONTEXT, case])
    found = sorted((d.code, d.line, d.column) for d in result.diagnostics if d.path == case)
    assert found == _expected(case)
    assert all(d.path == case for d in result.diagnostics), "context files must stay clean"
    assert all(str(d.message) and d.line >= 1 and d.column >= 1 for d in result.diagnostics)


def test_every_code_has_a_case() -> None:
    """Each rule is exercised by the corpus, except codes that need a special file system."""
    from provplan.diagnostics import CODES

    covered = {
        line.split()[0]
        for case in INVALID
        for line in case.with_suffix(".expected").read_text().splitlines()
        if line
    }
    untestable_as_files = {"PP001", "PP004", "PP402", "PP502", "PP503"}  # see test_load/test_cli
    untestable_as_files |= {"PP504"}  # provplan.yaml: test_progress
    untestable_as_files |= {"PP701", "PP702", "PP703", "PP704"}  # workbooks: test_sheets
    assert set(CODES) - covered - untestable_as_files == set()
