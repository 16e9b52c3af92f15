"""Power and cooling: the model's properties, formulas, bad input and fig147's printed text."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import InvalidValueError, power, table
from engine.ops import ref

from excel_oracle import evaluate

kw = st.floats(0, 1e7)


@given(kw, kw, st.floats(1, 200))
def test_more_it_load_never_fewer_racks(a, b, rack):
    lo, hi = sorted((a, b))
    assert power.racks(hi, rack) >= power.racks(lo, rack)
    # enough racks for the load, up to the 1e-9 snap that keeps float noise from adding a rack
    assert power.racks(hi, rack) * rack >= hi - 1e-9 * rack


@given(kw, st.floats(0, 1), st.floats(0, 5e4), st.floats(0, 5e4))
def test_cooling_capex_is_a_blend(it, share, liquid, air):
    capex = power.cooling_capex(it, share, liquid, air)
    assert min(liquid, air) * it * (1 - 1e-12) - 1e-6 <= capex <= max(liquid, air) * it * (1 + 1e-12) + 1e-6


@given(st.floats(1, 1e6), st.floats(1, 1e4), st.floats(1, 3), st.floats(0, 5))
def test_power_formulas_agree(gpus, kw_server, pue, wue):
    for fn, names, values in [
        (power.servers, ["g", "n"], [gpus, 8]),
        (power.racks, ["k", "r"], [gpus, kw_server]),
        (power.facility_kw, ["k", "p"], [gpus, pue]),
        (power.water_m3, ["e", "w"], [gpus * 8760, wue]),
        (power.cooling_capex, ["k", "s", "l", "a"], [gpus, 0.7, 15000, 7000]),
        (power.servers_per_rack, ["r", "k"], [kw_server, 6.5]),
    ]:
        formula = fn(*[ref(n) for n in names])
        assert evaluate(str(formula), dict(zip(names, values, strict=True))) == pytest.approx(fn(*values), rel=1e-9), str(formula)


def test_arrays():
    assert list(power.racks(np.array([0.0, 10.0, 10.5]), 10)) == [0, 1, 2]
    assert list(power.servers_per_rack(np.array([10.0, 30.0]), 6.5)) == [1, 4]


@pytest.mark.parametrize("call, message", [
    (lambda: power.facility_kw(100, 0.9), "pue must be a number >= 1, got 0.9"),
    (lambda: power.racks(100, 0), "kw_per_rack must be a number > 0, got 0"),
    (lambda: power.cooling_capex(100, 70, 15000, 7000), "liquid_share must be in [0, 1], got 70 (did you mean 0.70?)"),
    (lambda: power.it_kw(-1, 6.5), "server_count must be a number >= 0, got -1"),
])
def test_bad_input(call, message):
    with pytest.raises(InvalidValueError) as info:
        call()
    assert message in str(info.value)


def test_fig147_text_as_printed():
    t = table("fig147")
    assert t.values("pue_printed") == ["1.4以上", "1.2-1.4", "1.2以下", "1.2以下"]
    assert t.values("rack_kw_printed") == ["10kW 以下", "20kW 以下", "20-50kW", "50kW 以上"]


def test_liquid_cooling_passage_derived_values():
    t = table("s6.2_cooling_market")
    assert t.value("air_market", 1) == pytest.approx(52.5)
    assert t.value("capex_per_kw", 0) == pytest.approx(35000)
    bigger = table("s6.2_cooling_market", overrides={"cooling_kw_per_rack": 20})
    assert bigger.value("market", 1) == pytest.approx(8 * t.value("market", 1))
