"""Properties: reading never raises, whatever the input, and findings stay inside the file."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provplan.files import Candidate
from provplan.load import parse, read
from provplan.repository import open_repository
from provplan.shape import plan_document
from provplan.validate.file import check_file

_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
# Text made of YAML's own punctuation, keys of the format and Thai, so that the parser and the
# models are reached, not only the scanner's first error.
_PIECES = st.sampled_from(
    [
        "provplan: 1\n",
        "kind: action-plan\n",
        "kind: province-plan\n",
        "owner: mukdahan\n",
        "projects:\n",
        "  - id: P1\n",
        "    budget: {amount: 1.005}\n",
        "period: {start: 2566}\n",
        "- ",
        ": ",
        "&a ",
        "*a ",
        "!!str ",
        "? ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'",
        '"',
        "#",
        "|",
        ">",
        "\t",
        "\n",
        "  ",
        "---\n",
        "...\n",
        "%YAML 1.2\n",
        "มุกดาหาร",
        "\u00e9",
        "\r\n",
        "\x85",
    ]
)
yamlish = st.lists(_PIECES | st.text(max_size=5), max_size=40).map("".join)


def _lines(text: str) -> int:
    parts = _BREAKS.split(text)
    return max(1, len(parts) - (1 if parts[-1] == "" else 0))


def _check(text: str) -> None:
    loaded = parse(Path("x.yaml"), text)
    found = list(loaded.diagnostics)
    if loaded.data is not None:
        found += plan_document(loaded, explicit=True)[1]
    for d in found:
        assert 1 <= d.line <= _lines(text), (d, text)
        assert d.column >= 1
        assert str(d.message)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text(text: str) -> None:
    _check(text)


@settings(max_examples=500, deadline=None)
@given(yamlish)
def test_yaml_like_text(text: str) -> None:
    _check(text)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300))
def test_any_bytes_through_the_whole_file_pipeline(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(raw)
    repository = open_repository([tmp_path])
    found = check_file(Candidate(path, explicit=True), repository.registry).diagnostics
    lines = read(path)
    for d in found:
        assert 1 <= d.line <= max(lines.lines, 1 + raw.count(b"\n"))
