"""The chain over any mix of accelerators: the report's A100/H100 chain unchanged, the per-card
figures from the catalogue, and shares and precisions refused in one line when they cannot work."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from engine import catalogue, scenarios, table
from engine.exhibits import chain as chain_module
from suanli.cli import main

GOLDEN = json.loads((Path(__file__).parent / "data" / "chain_a100_h100.json").read_text(encoding="utf-8"))
YEARS = ("2023E", "2024E", "2025E", "2026E", "2027E")
#: Rows of the two-type chain that the mix names per accelerator, or sums.
RENAMED = {"a100_cards": "cards_a100_sxm", "h100_cards": "cards_h100_sxm"}
H100_30 = {"chain_share_a100_sxm": 0.7, "chain_share_h100_sxm": 0.3}


def _same(expected, got) -> bool:
    if expected is None:
        return got is None or (isinstance(got, float) and math.isnan(got))
    return got is not None and math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-9)


@pytest.mark.parametrize("name", sorted(GOLDEN["scenarios"]))
def test_the_report_scenarios_print_every_number_the_two_type_chain_printed(name):
    scenario, _, mix = name.partition("+")
    t = table("chain", scenario, overrides=H100_30 if mix else None)
    frame = t.to_frame()
    rows = GOLDEN["scenarios"][name]
    for row, values in rows.items():
        if row in ("a100_servers", "h100_servers"):
            continue
        for year, expected in zip(YEARS, values, strict=True):
            got = frame.loc[RENAMED.get(row, row), year]
            assert _same(expected, None if got is None else float(got)), f"{name} {row} {year}: {expected} != {got}"
    for i, year in enumerate(YEARS):
        servers = rows["a100_servers"][i] + rows["h100_servers"][i]
        assert frame.loc["servers", year] == pytest.approx(servers, rel=1e-12), (name, year)


def test_every_accelerator_of_the_chain_is_in_the_catalogue_and_the_report_chips_come_first():
    assert chain_module.CHIPS[:2] == ("a100_sxm", "h100_sxm")
    for chip in chain_module.CHIPS:
        assert catalogue.get(chip).kind in catalogue.ACCELERATOR_KINDS


#: Per-card inputs and the catalogue field each default transcribes (beyond the report's two chips).
FROM_CATALOGUE = {"chain_fp16_tflops": "fp16_tensor_dense_tflops", "chain_fp8_tflops": "fp8_tensor_dense_tflops",
                  "chain_hbm_gb_per_card": "memory_gb", "chain_usd_per_card": "list_price_usd"}


def _system_of(chip: str):
    """The first server or rack-scale system (72 accelerators at most) of the catalogue that holds ``chip``."""
    systems = [catalogue.get(k) for k in catalogue.keys() if catalogue.get(k).kind == "system"
               and catalogue.get(k).values.get("system_of") == chip
               and catalogue.get(k).values.get("gpus_per_system", 0) <= 72]
    return systems[0] if systems else None


@pytest.mark.parametrize("chip", chain_module.CHIPS[2:])
def test_todays_accelerators_take_their_defaults_from_the_catalogue(chip):
    defaults = scenarios.defaults()
    i = chain_module.CHIPS.index(chip)
    c = catalogue.get(chip)
    for key, field in FROM_CATALOGUE.items():
        expected = c.values.get(field)
        if key == "chain_fp16_tflops" and expected is None:      # BF16 where only BF16 is published
            expected = c.values.get("bf16_tensor_dense_tflops")
        got = defaults[key][i]
        assert (got == "" and expected is None) or got == expected, f"{key}[{chip}]: {got!r}, catalogue {expected!r}"
    system = _system_of(chip)
    gpus = system.values.get("gpus_per_system") if system else None
    kw = system.values.get("system_power_kw") if system else None
    assert defaults["chain_gpus_per_server"][i] == (gpus if gpus is not None else 8), chip
    assert defaults["chain_kw_per_server"][i] == (kw if kw is not None else ""), chip


def test_the_report_chips_keep_the_reports_figures():
    d = scenarios.defaults()
    assert [d["chain_fp16_tflops"][i] for i in (0, 1)] == [312, 990]
    assert [d["chain_usd_per_card"][i] for i in (0, 1)] == [10000, 24365.9]
    assert [d["chain_kw_per_server"][i] for i in (0, 1)] == [6.5, 10.2]
    assert d["chain_fp8_tflops"][0] == "" and d["chain_fp8_tflops"][1] == 1979


def test_cards_convert_at_each_accelerators_throughput_and_sum():
    t = table("chain", "csc-2023-corrected", overrides=H100_30)
    eq = t.result.values["a100_eq"][2]
    assert t.result.values["cards_a100_sxm"][2] == pytest.approx(0.7 * eq)
    assert t.result.values["cards_h100_sxm"][2] == pytest.approx(0.3 * eq * 312 / 990)
    assert t.result.values["cards"][2] == pytest.approx(eq * (0.7 + 0.3 * 312 / 990))


def test_fp8_halves_the_h100s_where_fp8_is_twice_fp16():
    on_h100 = {"chain_share_a100_sxm": 0, "chain_share_h100_sxm": 1}
    fp16 = table("chain", "csc-2023-corrected", overrides=on_h100)
    fp8 = table("chain", "csc-2023-corrected", overrides={**on_h100, "chain_fp8": True})
    ratio = fp8.result.values["cards"][0] / fp16.result.values["cards"][0]
    assert ratio == pytest.approx(990 / 1979)
    mix = table("chain_mix", "csc-2023-corrected", overrides={"chain_fp8": True})
    assert mix.value("tflops", "h100_sxm") == 1979 and mix.value("eq_per_card", "h100_sxm") == pytest.approx(1979 / 312)


def test_shares_that_do_not_sum_to_100_percent_are_refused_naming_each():
    with pytest.raises(chain_module.MixError) as e:
        table("chain", overrides={"chain_share_a100_sxm": 0.6, "chain_share_h100_sxm": 0.3})
    text = str(e.value)
    assert "chain shares for 2023E must sum to 100%, got 90%" in text
    assert "NVIDIA A100 SXM 60% (chain_share_a100_sxm)" in text and "NVIDIA H100 SXM 30% (chain_share_h100_sxm)" in text


def test_a_share_on_an_accelerator_without_the_precision_is_refused_naming_chip_and_field():
    with pytest.raises(chain_module.MixError) as e:
        table("chain", overrides={"chain_fp8": True})
    text = str(e.value)
    assert text.startswith("chain_fp8_tflops[a100_sxm] is needed: NVIDIA A100 SXM has a share of the compute but no dense "
                           "FP8 throughput (catalogue field fp8_tensor_dense_tflops: not published)")
    assert "run at FP16 (chain_fp8 = false)" in text and "set chain_share_a100_sxm to 0" in text


def test_a_blank_figure_matters_only_where_the_accelerator_has_a_share():
    # the A100 has no FP8 figure: at FP8 with no share on it the chain computes
    t = table("chain", overrides={"chain_fp8": True, "chain_share_a100_sxm": 0, "chain_share_h100_sxm": 1})
    assert t.result.values["cards"][0] > 0
    # a blank price on a chip with a share: the value rows wait for that chip's price, named
    prices = ["" if v == "" else v for v in scenarios.defaults()["chain_usd_per_card"]]
    t = table("chain", overrides={"chain_usd_per_card": ["", *prices[1:]]})
    assert t.formatted("gpu_value")[0] == "needs chain_usd_per_card[a100_sxm]"


def test_the_cli_refuses_in_one_line(capsys):
    code = main(["table", "chain", "--set", "chain_share_a100_sxm=60%"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "chain shares for 2023E must sum to 100%, got 60%" in err


def test_an_unknown_accelerator_key_suggests_the_closest(capsys):
    code = main(["table", "chain", "--set", "chain_share_h100=1"])
    err = capsys.readouterr().err
    assert code == 2 and "chain_share_h100_sxm" in err


def test_monte_carlo_shares_are_checked_per_draw():
    n = 4
    share = np.array([0.2, 0.4, 0.5, 0.7])
    sc = scenarios.load("csc-2023-corrected").with_values(
        {"chain_share_h100_sxm": share, "chain_share_a100_sxm": 1 - share})
    t = table("chain", sc)
    assert t.result.values["cards"][0].shape == (n,)
    bad = scenarios.load("csc-2023-corrected").with_values({"chain_share_h100_sxm": share,
                                                            "chain_share_a100_sxm": np.full(n, 1.0)})
    with pytest.raises(chain_module.MixError, match="got 120% to 170%"):
        table("chain", bad)


def test_the_a100_left_blank_takes_the_rest():
    rest = table("chain", "csc-2023-corrected", overrides={"chain_share_h100_sxm": 0.3})
    explicit = table("chain", "csc-2023-corrected", overrides=H100_30)
    assert rest.result.values["cards"] == explicit.result.values["cards"]
    assert rest.result.values["share_total"][0] == pytest.approx(1)
    assert scenarios.load("csc-2023").value("chain_share_a100_sxm") == (None,) * 5
