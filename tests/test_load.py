"""The loader: exact values, strict YAML 1.2 scalars, positions, and hostile input."""

from __future__ import annotations

import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest

from provplan import load
from provplan.load import parse, read


def _codes(loaded: load.Loaded) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in loaded.diagnostics]


def test_amounts_are_exact_decimals() -> None:
    loaded = parse(Path("x"), "a: 0.10\nb: 0.20\nc: 9007199254740993.01\nd: 12500000\n")
    data = loaded.data
    assert data["a"] + data["b"] == Decimal("0.30")
    assert data["c"] == Decimal("9007199254740993.01")
    assert type(data["d"]) is int


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("", None),
        ("0123", "0123"),
        ("0", 0),
        ("-7", -7),
        ("0x1F", "0x1F"),  # hex and octal stay text: an id `0x1F` is not 31
        ("0o17", "0o17"),
        ("1.50", Decimal("1.50")),
        ("'2568'", "2568"),
        ("2024-10-01", "2024-10-01"),
        ("!!str 12", "12"),
        ("TH-49", "TH-49"),
    ],
)
def test_yaml_1_2_core_scalars(text: str, value: object) -> None:
    loaded = parse(Path("x"), f"k: {text}\n")
    assert loaded.diagnostics == []
    assert loaded.data["k"] == value
    assert type(loaded.data["k"]) is type(value)


def test_text_is_nfc() -> None:
    decomposed = "e\u0301"
    assert parse(Path("x"), f"k: {decomposed}\n").data["k"] == "\u00e9"


def test_positions_of_keys_values_and_items() -> None:
    loaded = parse(Path("x"), "a:\n  b: [x, 'y']\n  c:\n    - 1\n    - k: v\n")
    assert loaded.where(loaded.locate(["a", "b", 1])) == (2, 10)
    assert loaded.where(loaded.locate(["a", "c", 1, "k"], key=True)) == (5, 7)
    assert loaded.where(loaded.locate(["a", "c", 1, "k"])) == (5, 10)
    assert loaded.where(loaded.locate(["a", "missing"])) == (2, 3)  # the mapping lacking it


def test_thai_text_columns_count_characters() -> None:
    loaded = parse(Path("x"), "ชื่อ: มุกดาหาร\nb: 1\n")
    assert loaded.where(loaded.locate(["ชื่อ"])) == (1, 7)


def test_unreadable_path_is_a_diagnostic(tmp_path: Path) -> None:
    assert [d.code for d in read(tmp_path).diagnostics] == ["PP001"]


def test_too_large_is_a_diagnostic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "MAX_BYTES", 10)
    path = tmp_path / "big.yaml"
    path.write_text("provplan: 1\nkind: action-plan\n")
    assert _codes(read(path)) == [("PP004", 1, 1)]


def _bounded(text: str) -> tuple[load.Loaded, int]:
    """Parse, and say the peak of memory allocated meanwhile (KiB), as tracemalloc counts it
    (the process's peak would hide it behind earlier tests). Time is measured in benchmarks/,
    not asserted here."""
    tracemalloc.start()
    try:
        loaded = parse(Path("x"), text)
        return loaded, tracemalloc.get_traced_memory()[1] // 1024
    finally:
        tracemalloc.stop()


def test_billion_laughs_stops_early() -> None:
    levels = ["a: &a [" + ", ".join(["lol"] * 10) + "]"]
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        levels.append(
            f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [" + ", ".join([f"*{prev}"] * 10) + "]"
        )
    loaded, grown_kib = _bounded("\n".join(levels) + "\n")
    assert [d.code for d in loaded.diagnostics] == ["PP010"]
    assert loaded.diagnostics[0].line == 5  # the alias that crosses the limit
    assert grown_kib < 1_024  # nothing is expanded: the alias is refused, not built


def test_thousands_deep_nesting() -> None:
    loaded, grown_kib = _bounded("k: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert _codes(loaded) == [("PP011", 1, 3 + load.MAX_DEPTH)]
    assert grown_kib < 1_024  # the builder stops at MAX_DEPTH


def test_multi_megabyte_line() -> None:
    loaded, grown_kib = _bounded("k: " + "ก" * 8_000_000 + "\n")
    assert loaded.diagnostics == []
    assert len(loaded.data["k"]) == 8_000_000
    assert grown_kib < 150_000  # about 4x the 24 MB of UTF-8 text


def test_multi_megabyte_line_with_an_error_at_its_end() -> None:
    loaded = parse(Path("x"), "k: [" + "x, " * 2_000_000 + "\n")
    assert [(d.code, d.line) for d in loaded.diagnostics] == [("PP005", 1)]  # the last line
