"""The AI-server market tables beyond their printed cells: hidden assumptions as inputs, errata."""

from __future__ import annotations

import pytest

from engine import errata, market, table
from engine.ops import ref, round_half_up

from excel_oracle import evaluate


def test_reprints_are_the_same_exhibit():
    assert table("fig108").exhibit is table("fig7").exhibit
    assert table("fig109").values("market") == table("fig8").values("market")


def test_usd_per_a100_is_an_explicit_input():
    base = table("fig7")
    dearer = table("fig7", overrides={"market_usd_per_a100": 14000})
    assert dearer.value("market", "2023E") == pytest.approx(base.value("market", "2023E") * 1.4)
    assert dearer.value("market", "2022") == base.value("market", "2022")   # actuals do not move


def test_inference_can_feed_the_market():
    base = table("fig7")
    both = table("fig7", overrides={"market_includes_inference": True})
    fig50 = table("fig50")
    assert both.value("gpu_space", "2023E") == pytest.approx(base.value("gpu_space", "2023E")
                                                             + fig50.value("a100_cards", "2023E"))


def test_efficiency_row_applied_in_the_corrected_scenario():
    corrected = table("fig7", "csc-2023-corrected")
    assert [round_half_up(v, 1) for v in corrected.values("market")[2:]] == [395.2, 741.3, 1067.5]
    assert errata.get("E02").consistent.startswith("395.2/741.3/1067.5")


def test_fig8_from_the_unrounded_global_market():
    t = table("fig8", overrides={"fig8_uses_rounded_global": False})
    assert round_half_up(t.value("market", "2025E"), 1) == 560.4
    assert round_half_up(table("fig8").value("market", "2025E"), 1) == 560.5


def test_fig107_implied_prices_and_the_report_assumption():
    t = table("fig107")
    assert t.values("implied_gpu_price") == [113950, 113950, 14525, 14525]
    assert "113,950" in errata.get("E15").consistent and "14,525" in errata.get("E15").consistent
    assert round_half_up(t.value("gpu_share", 0), 2) == 72.29


def test_market_models_render():
    f = market.ai_server_market(ref("g"), ref("p"), ref("s"))
    assert evaluate(str(f), {"g": 2766330.9, "p": 10000, "s": 0.7}) == pytest.approx(2766330.9 * 10000 / 0.7)
    assert market.ai_server_market(2766330.9, 10000, 0.7) / 1e8 == pytest.approx(395.19, abs=5e-3)
    with pytest.raises(ValueError, match="gpu_cost_share must be in \\(0, 1\\], got 70 \\(did you mean 0.70\\?\\)"):
        market.ai_server_market(1, 1, 70)


@pytest.mark.parametrize("overrides", [{}, {"fig7_efficiency_unused": False}, {"market_usd_per_a100": 14000}])
def test_fig7_market_is_the_ai_server_market_model(overrides):
    """fig7 shows the two steps of market.ai_server_market as rows (GPU space, then the market);
    composed, they are that model, divided by the efficiency factor once E02 is switched off."""
    t = table("fig7", overrides=overrides)
    gpus = table("fig49", overrides=overrides).result.values["a100_total"]
    sc = t.scenario
    for j, column in enumerate(t.columns):
        if column in ("2021", "2022"):
            continue
        k = table("fig49").columns.index(column)
        efficiency = 1 if sc.value("fig7_efficiency_unused") else t.result.values["efficiency"][j]
        expected = market.ai_server_market(gpus[k], sc.value("market_usd_per_a100"), t.result.values["gpu_share"][j])
        assert t.result.values["market"][j] == pytest.approx(expected / efficiency, rel=1e-12), column
