"""The national-scale machinery on small inputs: worker processes and the content cache give
exactly what a plain run gives, and the cache is never trusted for changed content."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

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


class _CountedPool(ProcessPoolExecutor):
    started = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        type(self).started += 1
        super().__init__(*args, **kwargs)


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> type[_CountedPool]:
    """Counts the worker pools started, so a test knows work really went to workers."""
    _CountedPool.started = 0
    monkeypatch.setattr(parallel, "_pool", lambda: _CountedPool)
    return _CountedPool


def test_workers_give_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pools: type[_CountedPool]
) -> None:
    repo = _repository(tmp_path)
    alone = check_paths([repo], jobs=1)
    assert pools.started == 0
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)  # use workers even for a few files
    together = check_paths([repo], jobs=2)
    assert pools.started == 1
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
    assert (first.cached, again.cached) == (0, first.files)

    plan = repo / "provinces/mukdahan/action-plan-2568.yaml"
    plan.write_text(plan.read_text().replace("fiscal_year: 2568", "fiscal_year: 2025"))
    changed = check_paths([repo], cache_dir=cache)
    assert "PP109" in {d.code for d in changed.diagnostics}
    assert changed.cached == again.cached - 1

    moved = repo / "elsewhere.yaml"  # the same content at another path: its own path reported
    shutil.move(repo / "broken.yaml", moved)
    assert {
        d.path for d in check_paths([repo], cache_dir=cache).diagnostics if d.code == "PP404"
    } == {moved}


def test_a_damaged_cache_is_only_a_miss(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    cache = tmp_path / "cache"
    expected = _seen(check_paths([repo], cache_dir=cache))
    entries = list(cache.rglob("*.json"))
    assert len(entries) >= 9  # one per plan file, one index
    for entry in entries:
        json.loads(entry.read_text())  # data only: JSON, never a pickle
        entry.write_bytes(b"\x80\x04not json")
    damaged = check_paths([repo], cache_dir=cache)
    assert _seen(damaged) == expected
    assert damaged.cached == 0


def test_render_on_workers_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from provplan.cli import app

    runner = CliRunner()
    pools = _CountedPool.started = 0
    monkeypatch.setattr(parallel, "_pool", lambda: _CountedPool)
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
    assert _CountedPool.started == pools + 1

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


def test_a_warm_run_builds_no_model(tmp_path: Path) -> None:
    """Every file from the cache: no pydantic, no YAML parser, no worker machinery is even
    imported (what keeps pre-commit's run on every commit fast)."""
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from provplan.validate import check_paths; "
        f"r = check_paths([Path({str(EXAMPLES)!r})], cache_dir=Path({str(tmp_path)!r})); "
        "print(r.cached, r.files, sorted(m for m in ('pydantic', 'ruamel.yaml', "
        "'concurrent.futures') if m in sys.modules))"
    )
    cold = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    warm = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert cold.stdout.split(" ", 2)[0] == "0"
    assert warm.stdout.strip() == "16 16 []", warm.stderr  # every file cached, nothing built


def test_a_re_run_reads_no_project_it_need_not(tmp_path: Path) -> None:
    """The rules of one file against another (an action plan and its development plan, a
    report and its action plan or the quarter before) are kept per pair of contents:
    unchanged pairs are not re-checked, so their projects are never read; a changed file
    checks its pairs again."""
    from provplan.validate.cache import _Projects

    repo = _repository(tmp_path)
    cache = tmp_path / "cache"
    first = check_paths([repo], cache_dir=cache)
    again = check_paths([repo], cache_dir=cache)
    lazy = [o.projects for o in again.plans.action_plans + again.plans.progress_reports]
    assert len(lazy) > len(again.plans.action_plans)
    assert all(isinstance(p, _Projects) and p._items is None for p in lazy)
    assert _seen(again) == _seen(first)
    assert again.plans.outlines == first.plans.outlines  # reads them now, and they agree

    plan = repo / "provinces/mukdahan/plan.yaml"
    plan.write_text(plan.read_text().replace("id: S1.2", "id: S1.9"))
    changed = check_paths([repo], cache_dir=cache)
    fresh = check_paths([repo])
    assert _seen(changed) == _seen(fresh)
    assert any(d.code == "PP404" and "mukdahan" in str(d.path) for d in changed.diagnostics)

    report = repo / "provinces/mukdahan/progress-2568-q2.yaml"
    report.write_text(report.read_text().replace("disbursed: 1850000", "disbursed: 3850000"))
    changed = check_paths([repo], cache_dir=cache)
    assert _seen(changed) == _seen(check_paths([repo]))
    assert any(d.code == "PP610" and "mukdahan" in str(d.path) for d in changed.diagnostics)


def test_a_damaged_project_list_is_read_afresh(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    cache = tmp_path / "cache"
    expected = check_paths([repo]).plans.outlines
    check_paths([repo], cache_dir=cache)
    for entry in cache.rglob("*.projects.json"):
        size = entry.stat().st_size
        entry.write_bytes(b"[" * size)  # same size, not JSON: found only when read
    assert check_paths([repo], cache_dir=cache).plans.outlines == expected
