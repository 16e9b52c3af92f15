"""Seed 000's passages: the errata, the HBM and check models, and each row as a formula.  Their
printed numbers, the consistency checks the report leaves out and the errata's consistent values
are golden cells (tests/test_golden.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import checks, errata, exhibits, hbm, reports, scenarios, table
from engine.errors import SuanliError
from engine.exhibit import evaluate
from engine.ops import Formula, ref

from excel_oracle import evaluate as excel
from golden_harness import cached_table, check_rendering, inputs_read, module_exhibits

MODULE = "engine.exhibits.passages"
PASSAGES = module_exhibits(MODULE)


def test_passages_are_grouped_with_the_reports_scenario():
    assert PASSAGES and all(e.group == "passages" and e.default_scenario == "csc-2023" for e in PASSAGES)


def test_figure_titles_are_duplicated():
    t = cached_table("figure_titles")
    firsts, repeats = t.values("first"), t.values("repeat")
    assert all(a.split("：")[1] == b.split("：")[1] for a, b in zip(firsts, repeats, strict=True))


def test_hbm_claim_and_text_value():
    t = cached_table("s2.3.1_hbm_bandwidth")
    assert t.value("claimed_multiple", 1) == 7 and t.value("multiple", 1) == pytest.approx(6.4)
    assert t.value("multiple", 2) == pytest.approx(8.4)     # only Rambus's 8.4 Gb/s is an increase of ~7×


# ----------------------------------------------------------------------------------- errata
IDS = ["E16", "E19", "E26", "E29", "E60", "E61", "E62", "E63", "E64", "E65", "E66"]


def test_errata_of_the_passages():
    for eid in IDS:
        e = errata.get(eid)
        for ex_id in e.exhibits:
            assert eid in exhibits.get(ex_id).errata, f"{eid} names {ex_id}, which does not list it"
    for ex in PASSAGES:
        for eid in ex.errata:
            assert ex.id in errata.get(eid).exhibits


def test_switches_are_switch_inputs():
    spec = scenarios.schema()["udc_capex_per_mw_as_printed"]
    assert spec.is_switch and errata.get("E19").switch == spec.key
    assert errata.get("E19").status(scenarios.load("csc-2023")) == "as printed"


def test_fig155_is_reference_data():
    e = errata.get("E62")
    assert (e.kind, e.detail) == ("wording", "unstated")
    t = cached_table("fig155")
    ratios = [v for v in t.values("gap_ratio") if v is not None]
    assert max(ratios) / min(ratios) > 6        # no single annuity factor links the two gaps
    assert t.values("tariff_gap")[7:9] == [None, None]


def test_retrofit_misses_the_hub_caps():
    t = cached_table("s6.2_pue_retrofit")
    assert t.value("meets_cap", 1) == 0 and t.value("pue", 1) > t.value("cap_high", 1)


# ----------------------------------------------------------------------------------- inputs
def _declared(name: str) -> list[str]:
    from importlib import resources

    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    text = resources.files("engine").joinpath("data", "inputs", name).read_text(encoding="utf-8")
    return list(tomllib.loads(text)["inputs"])


def test_every_input_is_read_and_sourced():
    declared = _declared("passages.toml")
    read = set().union(*(inputs_read(e) for e in PASSAGES))
    assert set(declared) <= read, f"inputs no exhibit reads: {set(declared) - read}"
    for key in declared:
        spec = scenarios.schema()[key]
        assert reports.short("csc-2023") in spec.source and spec.label, key


def test_inputs_carry_the_reports_values():
    d = scenarios.defaults()
    assert d["pkg_ap_market_2027"] == 651e8 and d["aiinv_global_usd"] == [929.5e8, 3014.3e8]
    assert d["caict_global_2030"] == 56e21 and d["udc_capex_per_mw_as_printed"] is True


@pytest.mark.parametrize("ex_id", [e.id for e in PASSAGES])
def test_passages_evaluate_over_a_scenario_axis(ex_id):
    """Arrays for every numeric input: each element equals the scalar evaluation."""
    base = scenarios.load("csc-2023")
    scale = np.array([1.0, 1.1])

    def spread(x):
        return None if x is None else x * scale

    values = {k: (tuple(spread(x) for x in v) if isinstance(v, tuple) else spread(v))
              for k, v in base.values.items() if not scenarios.schema()[k].is_switch}
    sc = scenarios.Scenario("axis", {**base.values, **values})
    arrays = evaluate(exhibits.get(ex_id), sc, exhibits.get)
    scalars = cached_table(ex_id).result
    for key, cells in scalars.values.items():
        for col, v in enumerate(cells):
            a = arrays.values[key][col]
            if isinstance(v, float):
                assert np.shape(a) == (2,) and a[0] == pytest.approx(v, rel=1e-12), f"{ex_id} {key} {col}"
            else:
                assert a is None or isinstance(a, str)


# ----------------------------------------------------------------------------------- rendering
@pytest.mark.parametrize("ex_id", [e.id for e in PASSAGES])
def test_every_row_renders_as_a_formula_that_computes_the_cell(ex_id):
    formulas = [r for r in exhibits.get(ex_id).rows if r.formula is not None]
    assert check_rendering(ex_id) >= len(formulas) or not formulas


# ----------------------------------------------------------------------------------- models
pos = st.floats(1e-3, 1e6)
rate = st.floats(-0.5, 2)


def _agree(fn, names, values, rel=1e-9):
    symbolic = fn(*[ref(n) for n in names])
    assert isinstance(symbolic, Formula)
    numeric = fn(*values)
    assert excel(str(symbolic), dict(zip(names, values, strict=True))) == pytest.approx(numeric, rel=rel), str(symbolic)


@given(pos, st.floats(1, 8192))
def test_bandwidth_formula_agrees_and_is_linear(pin, bits):
    _agree(hbm.stack_bandwidth_gbs, ["p", "b"], [pin, bits])
    assert hbm.stack_bandwidth_gbs(2 * pin, bits) == pytest.approx(2 * hbm.stack_bandwidth_gbs(pin, bits))


@given(pos, pos, st.floats(0, 100))
def test_hbm_value_formulas_agree(usd, gb, gpus):
    _agree(hbm.usd_per_gb, ["u", "g"], [usd, gb])
    _agree(hbm.value_per_server, ["n", "u"], [gpus, usd])
    _agree(hbm.gb_per_die, ["g", "d"], [gb, gpus + 1])
    assert hbm.usd_per_gb(usd, gb) * gb == pytest.approx(usd)


@given(pos, rate, st.floats(0, 20))
def test_base_from_cagr_inverts_growth(end, r, n):
    from engine import growth

    _agree(checks.base_from_cagr, ["e", "r", "n"], [end, r, n])
    assert growth.grow(checks.base_from_cagr(end, r, n), r, n) == pytest.approx(end, rel=1e-9)


@given(pos, rate)
def test_prior_and_share_formulas_agree(v, r):
    _agree(checks.prior_from_growth, ["v", "r"], [v, r])
    _agree(checks.total_from_share, ["v", "s"], [v, (r + 0.5) / 2.5 * 0.999 + 1e-3])   # a share in (0, 1]
    assert checks.prior_from_growth(v, r) * (1 + r) == pytest.approx(v)


@given(st.floats(10, 1e6), st.floats(10, 1e6), st.floats(0.5, 20), st.floats(0, 1), st.floats(0, 1))
def test_cagr_bounds_bracket_the_cagr(a, b, n, ha, hb):
    from engine import growth

    lo, hi = checks.cagr_low(a, b, n, ha, hb), checks.cagr_high(a, b, n, ha, hb)
    assert lo <= growth.cagr(a, b, n) + 1e-12 <= hi + 2e-12
    _agree(checks.cagr_low, ["a", "b", "n", "x", "y"], [a, b, n, ha, hb])
    _agree(checks.cagr_high, ["a", "b", "n", "x", "y"], [a, b, n, ha, hb])


@given(st.floats(0.5, 10), st.floats(1, 60))
def test_annualised_compounds_back(m, months):
    _agree(checks.annualised, ["m", "t"], [m, months])
    assert (1 + checks.annualised(m, months)) ** (months / 12) == pytest.approx(m, rel=1e-7)


@given(st.floats(-10, 10), st.floats(-10, 10), st.floats(-10, 10))
def test_within_formula_agrees(x, lo, hi):
    _agree(checks.within, ["x", "l", "h"], [x, lo, hi])
    assert checks.within(x, lo, hi) == (1 if lo <= x <= hi else 0)


def test_models_on_arrays_match_scalars():
    pins = np.array([1.0, 6.4, 8.4])
    assert np.allclose(hbm.stack_bandwidth_gbs(pins), [128, 819.2, 1075.2])
    assert list(checks.within(np.array([0.1, 0.5, 0.9]), 0.2, 0.8)) == [0, 1, 0]


@pytest.mark.parametrize("call, fragment", [
    (lambda: hbm.stack_bandwidth_gbs(-1), "pin_gbps"),
    (lambda: hbm.stack_bandwidth_gbs(6.4, 0), "bus_bits"),
    (lambda: hbm.usd_per_gb(800, 0), "gb_per_gpu"),
    (lambda: checks.total_from_share(1, 1.5), "share"),
    (lambda: checks.prior_from_growth(1, -1), "growth"),
    (lambda: checks.cagr_low(0, 1, 1, 0, 0), "start_value"),
    (lambda: checks.annualised(2, "x"), "months"),
])
def test_bad_input_names_the_argument(call, fragment):
    with pytest.raises(SuanliError) as info:
        call()
    assert fragment in str(info.value)


def test_overrides_flow_through_a_passage():
    t = table("s2.3.1_packaging", overrides={"pkg_ap_share": [0.39, 0.44, 0.55]})
    assert t.value("total_market", "2027") == pytest.approx(651 / 0.55)
    assert math.isclose(cached_table("s2.3.1_packaging").value("total_market", "2027"), 651 / 0.53)
