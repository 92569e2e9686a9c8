"""The national-scale machinery on small inputs: worker processes and the content cache give
exactly what a plain run gives, and the cache is never trusted for changed content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from provplan import parallel
from provplan.validate import check_paths

from .conftest import EXAMPLES


def _seen(result: object) -> list[str]:
    return [str(d) for d in result.diagnostics]  # type: ignore[attr-defined]


def _repository(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    plan = (repo / "provinces/sakon-nakhon/action-plan-2568.yaml").read_text()
    broken = plan.replace("fiscal_year: 2568", "fiscal_year: 2569").replace(
        "strategy: S1.2", "strategy: S9"
    )
    (repo / "broken.yaml").write_text(broken)  # PP404, found only across files
    return repo


def test_workers_give_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repository(tmp_path)
    alone = check_paths([repo], jobs=1)
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)  # use workers even for a few files
    together = check_paths([repo], jobs=2)
    assert _seen(together) == _seen(alone)
    assert [o.path for o in together.plans.outlines] == [o.path for o in alone.plans.outlines]
    assert together.plans.outlines == alone.plans.outlines
    assert any(d.code == "PP404" for d in together.diagnostics)


def test_cache_gives_the_same_result_and_sees_changes(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    cache = tmp_path / "cache"
    fresh = check_paths([repo])
    first = check_paths([repo], cache_dir=cache)
    again = check_paths([repo], cache_dir=cache)
    assert _seen(first) == _seen(again) == _seen(fresh)
    assert again.plans.outlines == fresh.plans.outlines

    plan = repo / "provinces/mukdahan/action-plan-2568.yaml"
    plan.write_text(plan.read_text().replace("fiscal_year: 2568", "fiscal_year: 2025"))
    changed = check_paths([repo], cache_dir=cache)
    assert "PP109" in {d.code for d in changed.diagnostics}

    moved = repo / "elsewhere.yaml"  # the same content at another path: its own path reported
    shutil.move(repo / "broken.yaml", moved)
    assert {
        d.path for d in check_paths([repo], cache_dir=cache).diagnostics if d.code == "PP404"
    } == {moved}


def test_a_damaged_cache_is_only_a_miss(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    cache = tmp_path / "cache"
    expected = _seen(check_paths([repo], cache_dir=cache))
    for entry in cache.rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert _seen(check_paths([repo], cache_dir=cache)) == expected


def test_render_on_workers_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from provplan.cli import app

    runner = CliRunner()
    assert (
        runner.invoke(
            app, ["render", str(EXAMPLES), "-o", str(tmp_path / "one"), "-j", "1"]
        ).exit_code
        == 0
    )
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    result = runner.invoke(app, ["render", str(EXAMPLES), "-o", str(tmp_path / "two"), "-j", "2"])
    assert result.exit_code == 0, result.output
    one = {
        p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*.html")
    }
    two = {
        p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*.html")
    }
    assert len(one) == 59
    assert one == two

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "project.html.j2").write_text("{{ missing }}")
    broken = runner.invoke(
        app,
        [
            "render",
            str(EXAMPLES),
            "-o",
            str(tmp_path / "two"),
            "-j",
            "2",
            "--templates",
            str(templates),
        ],
    )
    assert broken.exit_code == 1
    assert "template error" in broken.stderr
    assert {
        p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*.html")
    } == one
