"""The built-in registry and its extension through provplan.yaml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from provplan.repository import builtin_registry, open_repository


def test_counts_and_shape() -> None:
    registry = builtin_registry()
    assert len(registry.regions) == 6
    assert len(registry.clusters) == 18
    assert len(registry.provinces) == 77
    assert len(registry.cluster_of) == 76
    assert "bangkok" not in registry.cluster_of
    assert len({p.iso for p in registry.provinces}) == 77


def test_the_worked_example_cluster() -> None:
    registry = builtin_registry()
    cluster = registry.cluster_by_id["northeast-upper-2"]
    assert cluster.members == ("sakon-nakhon", "nakhon-phanom", "mukdahan")
    assert cluster.centre == "sakon-nakhon"
    assert cluster.name_th == "กลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนบน 2"
    assert cluster.name_en == "Upper Northeastern Provincial Cluster 2"


def test_unconfirmed_centres_are_empty_and_inferred_ones_marked() -> None:
    registry = builtin_registry()
    assert registry.cluster_by_id["central-lower-1"].centre is None
    assert registry.cluster_by_id["central-lower-2"].centre is None
    assert registry.cluster_by_id["east-1"].centre_inferred
    assert not registry.cluster_by_id["north-upper-1"].centre_inferred


def test_aliases_resolve_to_ids() -> None:
    registry = builtin_registry()
    assert registry.province_id("มุกดาหาร") == "mukdahan"
    assert registry.province_id("TH-49") == "mukdahan"
    assert registry.province_id("th-14") == "phra-nakhon-si-ayutthaya"
    assert registry.province_id("TH-38") == "bueng-kan"
    assert registry.province_id("กรุงเทพมหานคร") == "bangkok"
    assert registry.province_id("Mukdahan") is None


def test_settings_extend_and_override(write_plan: Callable[..., Path]) -> None:
    settings = write_plan(
        """
        registry:
          clusters:
            - id: northeast-upper-2
              region: northeast
              name_th: กลุ่มจังหวัดสนุก
              name_en: Sanuk Cluster
              members: [sakon-nakhon, nakhon-phanom, mukdahan]
          provinces:
            - {id: bangkok, name_th: กรุงเทพฯ, name_en: Bangkok, iso: TH-10}
        """,
        "provplan.yaml",
    )
    repo = open_repository([settings.parent])
    assert repo.diagnostics == []
    assert repo.registry.cluster_by_id["northeast-upper-2"].name_en == "Sanuk Cluster"
    assert repo.registry.cluster_by_id["northeast-upper-2"].centre is None
    assert repo.registry.province_id("กรุงเทพฯ") == "bangkok"
    assert builtin_registry().cluster_by_id["northeast-upper-2"].centre == "sakon-nakhon"


def test_inconsistent_changes_are_reported(write_plan: Callable[..., Path]) -> None:
    settings = write_plan(
        """
        registry:
          clusters:
            - id: new-cluster
              region: nowhere
              name_th: ใหม่
              name_en: New
              members: [mukdahan]
        """,
        "provplan.yaml",
    )
    repo = open_repository([settings.parent])
    assert [(d.code, d.line) for d in repo.diagnostics] == [("PP503", 1)]
    assert "unknown region `nowhere`" in str(repo.diagnostics[0].message)
    assert "`mukdahan` is in clusters" in str(repo.diagnostics[0].message)
