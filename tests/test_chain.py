"""The chain from demand to energy: links agree with the exhibits they come from, every row is
traceable to inputs, and links the report does not price wait for the user's input."""

from __future__ import annotations

import pytest

from engine import exhibits, market, network, scenarios, table
from engine.ops import round_half_up


@pytest.fixture(scope="module")
def chain():
    return table("chain")


def test_runs_for_2023e_to_2027e(chain):
    assert chain.columns == ("2023E", "2024E", "2025E", "2026E", "2027E")
    for row in ("cards", "server_market", "hbm_value", "optical_modules", "switches", "it_kw", "racks",
                "cooling_capex", "facility_kw", "energy_kwh", "water_m3"):
        assert all(v is not None and v > 0 for v in chain.values(row)), row


def test_training_only_chain_reproduces_fig7(chain):
    t = table("chain", overrides={"chain_includes_inference": False})
    fig7 = table("fig7")
    for col in ("2023E", "2024E", "2025E"):
        assert t.value("server_market", col) == pytest.approx(fig7.value("market", col), rel=1e-12)


def test_demand_links(chain):
    assert chain.values("train_a100_eq") == table("fig49").values("a100_total")
    corrected = table("chain", "csc-2023-corrected")
    fig50 = table("fig50", "csc-2023-corrected")
    assert corrected.values("infer_a100_eq") == fig50.values("a100_cards")


def test_same_compute_on_h100s_needs_fewer_cards():
    t = table("chain", overrides={"chain_share_h100_sxm": 1})
    a100 = table("chain")
    ratio = t.value("cards", 0) / a100.value("cards", 0)
    assert ratio == pytest.approx(312 / 990)


def test_modules_follow_the_report_ratios(chain):
    # all A100 by default: 7 modules per GPU (one module more at most, from rounding up)
    cards = chain.result.values["cards"][0]
    modules = chain.result.values["optical_modules"][0]
    assert modules == pytest.approx(7 * cards, abs=1)
    t = table("chain", overrides={"chain_share_h100_sxm": 1})
    h100 = t.result.values["cards_h100_sxm"][0]
    assert t.result.values["optical_modules"][0] == pytest.approx(3.5 * h100, abs=1)
    assert network.modules_needed(1000, 200, 200, 3, 40, 1, 0, 1 / 6, 1) == 7000


def test_power_links(chain):
    servers = chain.result.values["servers"][0]
    assert chain.result.values["it_kw"][0] == pytest.approx(servers * 6.5)
    it = chain.result.values["it_kw"][0]
    assert chain.result.values["facility_kw"][0] == pytest.approx(it * (0.3 * 1.4 + 0.7 * 1.2))
    assert chain.result.values["cooling_capex"][0] == pytest.approx(it * (0.7 * 15000 + 0.3 * 7000))
    assert chain.result.values["water_m3"][0] == pytest.approx(it * 8760 * 1.8 / 1000)


def test_unpriced_links_wait_for_the_user(chain):
    d = chain.to_dict()
    rows = {r["key"]: r for r in d["rows"]}
    assert rows["optics_capex"]["values"] == [None] * 5
    assert rows["optics_capex"]["needs"] == [["chain_usd_per_optical_module"]] * 5
    assert chain.formatted("electricity_cost")[0] == "needs chain_electricity_cny_per_kwh"
    priced = table("chain", overrides={"chain_electricity_cny_per_kwh": 0.6})
    assert priced.value("electricity_cost", 0) == pytest.approx(priced.result.values["energy_kwh"][0] * 0.6 / 1e8)
    spec = scenarios.schema()["chain_usd_per_switch"]
    assert spec.user_supplied and "yours to supply" in spec.source


def test_every_link_is_traceable(chain):
    """Each row reads inputs or earlier rows; following the reads always ends in inputs."""
    inputs = set(scenarios.schema())
    d = chain.to_dict()
    reads = {r["key"]: r["reads"] for r in d["rows"]}
    for key, what in reads.items():
        assert what, f"chain row {key} reads nothing"
        for item in what:
            if "." in item:
                ex, row = item.split(".", 1)
                assert row in [r.key for r in exhibits.get(ex).rows], item
            else:
                assert item in inputs, item


def test_errata_shown(chain):
    ids = {e["id"] for e in chain.to_dict()["errata"]}
    assert {"E01", "E11", "E30"} <= ids
    corrected = {e["id"]: e for e in table("chain", "csc-2023-corrected").to_dict()["errata"]}
    assert corrected["E01"]["status"] == "corrected"


def test_chain_on_a_scenario_axis():
    import numpy as np
    shares = np.linspace(0, 1, 11)
    t = table("chain", overrides={"chain_share_h100_sxm": shares})
    cards = t.result.values["cards"][2]
    assert cards.shape == (11,) and np.all(np.diff(cards) < 0)
    assert round_half_up(cards[0] / 1e4, 2) == round_half_up(table("chain").value("cards", 2), 2)


def test_server_market_is_the_ai_server_market_model_per_chip(chain):
    """The chain shows market.ai_server_market's two steps (accelerator value, then the market); composed
    over each chip at its own price, they are that model."""


    t = table("chain", overrides={"chain_share_h100_sxm": 0.4})
    sc, values = t.scenario, t.result.values
    prices = dict(zip(scenarios.axes()["chain_chips"], sc.value("chain_usd_per_card"), strict=True))
    for j, column in enumerate(t.columns):
        expected = sum(market.ai_server_market(values[f"cards_{chip}"][j], prices[chip], sc.value("chain_gpu_cost_share")[j])
                       for chip in ("a100_sxm", "h100_sxm"))
        assert values["server_market"][j] == pytest.approx(expected, rel=1e-12), column


# ----------------------------------------------------------------------------------- the chain's own assumptions
def _inputs_read(ex_id, key, scenario="csc-2023", seen=None):
    """Every input a row reads ("exhibit.row" for a row of another exhibit, followed down to its inputs)."""
    seen = set() if seen is None else seen
    found = set()
    rows = {r["key"]: r for r in table(ex_id, scenario).to_dict()["rows"]}
    for item in rows[key]["reads"]:
        if "." not in item:
            found.add(item)
        elif item not in seen:
            seen.add(item)
            found |= _inputs_read(*item.split(".", 1), scenario, seen)
    return found


def test_every_chain_assumption_has_a_source_or_is_yours_to_supply(chain):
    from engine import reports

    read = set().union(*(_inputs_read("chain", r.key) for r in exhibits.get("chain").rows))
    assert {"chain_load_factor", "chain_wue_liquid_l_per_kwh", "train_utilization", "cooling_share_of_capex"} <= read
    schema = scenarios.schema()
    bad = [f"{k}: {schema[k].source}" for k in sorted(read)
           if not (reports.named_in(schema[k].source) or "yours to supply" in schema[k].source)]
    assert not bad, "\n".join(bad)
    for key in ("chain_load_factor", "chain_wue_liquid_l_per_kwh", "chain_electricity_cny_per_kwh"):
        assert "yours to supply" in schema[key].source, key
    for key in ("chain_load_factor", "chain_wue_liquid_l_per_kwh"):     # a default, stated as an assumption
        assert schema[key].user_supplied is False and "assumption" in schema[key].source, key


def test_the_network_sets_are_labelled_calibrated():
    schema = scenarios.schema()
    for arg in network.CHAIN_ARGS:
        source = schema[f"chain_{arg}"].source
        assert source.startswith("suanli, calibrated:") and "1:7" in source and "1:3.5" in source and "E41" in source, arg
        assert "Every other accelerator: the H100 set, suanli's assumption" in source, arg
    assert "calibrated" in exhibits.get("chain").note


def test_the_h100_price_is_a_cross_report_assumption():
    from engine import reports

    spec = scenarios.schema()["chain_usd_per_card"]
    assert "H100 SXM: 《AI 服务器行业深度》(2023)" in spec.source and "a cross-report assumption" in spec.source
    assert [d.id for d in reports.named_in(spec.source)] == ["csc-2023", "ai-server-2023"]
    assert "cross-report" in exhibits.get("chain").note


def test_capex_adds_the_rest_of_the_build_instead_of_dividing_cooling_by_20_percent(chain):
    values = chain.result.values
    it = values["it_kw"][0]
    assert values["rest_cny_per_kw"][0] == pytest.approx(7000 / 0.2 - 7000)
    assert values["datacenter_capex"][0] == pytest.approx(it * (0.7 * 15000 + 0.3 * 7000 + 28000))
    assert values["datacenter_capex"][0] / it == pytest.approx(40600)           # not 12,600 ÷ 20% = 63,000
    assert round_half_up(chain.value("cooling_share", 0), 1) == 31.0
    air = table("chain", overrides={"chain_liquid_share": 0}).result.values   # all air-cooled: the report's 20%
    assert air["datacenter_capex"][0] == pytest.approx(air["cooling_capex"][0] / 0.2)


def test_water_by_cooling_type_and_energy_by_load_factor(chain):
    it = chain.result.values["it_kw"][0]
    dry = table("chain", overrides={"chain_wue_liquid_l_per_kwh": 0}).result.values
    assert dry["water_m3"][0] == pytest.approx(it * 8760 * 0.3 * 1.8 / 1000)
    half = table("chain", overrides={"chain_load_factor": 0.5, "chain_electricity_cny_per_kwh": 0.6})
    full = table("chain", overrides={"chain_electricity_cny_per_kwh": 0.6})
    for key in ("energy_kwh", "water_m3", "electricity_cost"):
        assert half.value(key, 0) == pytest.approx(full.value(key, 0) / 2), key
    assert full.result.values["energy_kwh"][0] == pytest.approx(full.result.values["facility_kw"][0] * 8760)


def test_the_text_dau_scenario_keeps_fig50s_growth():
    """csc-2023-text-dau applies the text's 1000万 with fig50's own YoY: no 900% jump in 2024."""
    text = table("fig50", "csc-2023-text-dau")
    printed = table("fig50", "csc-2023")
    assert text.value("std_dau", 0) == pytest.approx(0.1)
    assert text.values("std_dau_yoy") == pytest.approx(printed.values("std_dau_yoy"), nan_ok=True)
    assert max(v for v in text.values("std_dau_yoy") if v is not None) == pytest.approx(400)
    assert "900% jump" in scenarios.describe("csc-2023-text-dau")["description"]
