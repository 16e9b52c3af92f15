"""The network model: the report's ratios from their assumption sets, the fat-tree closed form,
model properties, formula/numeric agreement and bad input.

The printed numbers of the network passages (中信建投《算力大时代，AI 算力产业链全景梳理》(2023),
the summary, §4, §5 and §8, in engine/data/printed/network.toml) and their deviations are golden
cells (tests/test_golden.py).
"""

from __future__ import annotations

import inspect
import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import InvalidValueError, SuanliError, errata, exhibits, network, table
from engine.exhibit import Context, Resolver
from engine.ops import Formula, ref, round_half_up
from engine.printed import exhibits as printed_exhibits

from excel_oracle import evaluate
from golden_harness import cached_table


def _table(ex_id):
    return cached_table(ex_id, "csc-2023")


# ----------------------------------------------------------------------------------- the report's ratios
@pytest.mark.parametrize("column, ratio", [("A100 : 200G", 7.0), ("H100 : 800G", 3.5), ("GH200 pod : 800G", 9.0)])
def test_report_ratios_are_reached_by_calibrated_assumption_sets(column, ratio):
    """The sets are chosen to give the printed ratios; the exhibit says so rather than "= printed"."""
    t = _table("optics")
    assert t.value("modules_per_gpu", column) == ratio
    assert t.value("check", column) == "calibrated to it"
    assert t.value("basis", column).startswith("calibrated:")
    assert t.value("printed_ratio", column) == f"1 : {ratio:g}"


def test_multi_pod_twelve_is_suanlis_assumption_and_an_erratum():
    t = _table("optics")
    column = "GH200 multi-pod : 800G"
    assert t.value("modules_per_gpu", column) == 12.0
    assert "suanli" in t.value("basis", column)
    e = errata.get("E40")
    assert e.kind == "wording" and e.detail == "unstated" and e.printed == "1 : 12" and "optics" in e.exhibits
    assert "suanli's assumption" in e.consistent and "calibrat" in e.description
    # the pod's NVLink network alone gives the single pod's 9; the 3 is the assumed InfiniBand fabric
    assert t.value("modules_nvl", column) / t.value("gpus", column) == 9.0
    assert t.value("modules_scale_out", column) / t.value("gpus", column) == 3.0
    # two tiers (2 to 8 pods) give 11, as the erratum says
    two_tier = table("optics", overrides={"net_tiers": [3, 3, 2, 2, 3], "net_gpus": [1120, 4096, 256, 2048, 1120]})
    assert two_tier.value("modules_per_gpu", column) == 11.0
    assert "11" in e.consistent


def test_every_exhibit_row_renders_at_its_precision():
    for ex_id in printed_exhibits("network"):
        t = _table(ex_id)
        for row in t.exhibit.rows:
            t.formatted(row.key)
        assert t.exhibit.group == "network"


# ----------------------------------------------------------------------------------- the SuperPOD
def test_dgx_a100_superpod():
    t = _table("optics")
    col = "DGX A100 SuperPOD"
    assert t.value("nics", col) == 1120
    assert [t.value(k, col) for k in ("leaf", "spine", "core", "switches")] == [56, 56, 28, 140]
    assert [t.value(k, col) for k in ("links1", "links2", "links3")] == [1120, 1120, 1120]
    assert t.value("switches_per_gpu", col) == 1 / 8
    assert t.value("modules", col) == 6720 and t.value("modules_per_gpu", col) == 6
    # every switch port is used: 5 ports per endpoint port, 5 × 1120 = 140 × 40
    assert 5 * 1120 == 140 * 40
    assert t.value("printed_modules_per_gpu", col) is None and t.value("check", col) is None


# NVIDIA DGX SuperPOD tables, 64-port NDR switches, 8 GPUs per node: (GPUs, tiers, leaf, spine, core).
NVIDIA_64_PORT = [(512, 2, 16, 8, 0), (1024, 2, 32, 16, 0), (2048, 2, 64, 32, 0),
                  (4096, 3, 128, 128, 64), (8192, 3, 256, 256, 128), (16384, 3, 512, 512, 256)]


@pytest.mark.parametrize("gpus, tiers, leaf, spine, core", NVIDIA_64_PORT)
def test_published_superpod_switch_counts(gpus, tiers, leaf, spine, core):
    assert network.tiers_needed(gpus, 64) == tiers
    got = [network.fat_tree_switches(gpus, 64, tiers, 1, t) for t in (1, 2, 3)]
    assert got == [leaf, spine, core]
    assert [network.fat_tree_links(gpus, 64, tiers, 1, t) for t in (1, 2, 3)] == \
        [gpus, gpus, gpus if tiers == 3 else 0]


def test_h100_ratio_depends_on_the_tier_count():
    # NVIDIA's 4-SU DGX H100 SuperPOD is two-tier: 2.33 modules per GPU with the same storage share (E41)
    assert round_half_up(network.modules_per_gpu(1024, 400, 800, 2, 64, 1, 0, 1 / 6), 2) == 2.33
    assert round_half_up(network.modules_per_gpu_fleet(200, 200, 2, 40, 1, 0, 1 / 6), 2) == 4.67
    e = errata.get("E41")
    assert "4.67" in e.consistent and "2.33" in e.consistent
    assert network.fat_tree_capacity(40, 2) == 800 and network.fat_tree_capacity(64, 2) == 2048


def test_gh200_pod_nvlink_network():
    # 256 GH200 × 18 NVLink4 ports; 128-port NVLink switches; GPU to first tier on copper
    assert network.modules_per_gpu(256, 200, 800, 2, 128, 1, 1, 0, 18) == 9
    assert network.fat_tree_switches(256 * 18, 128, 2, 1, 2) == 36          # DGX GH200: 36 second-tier switches
    assert network.fat_tree_switches(256 * 18, 128, 2, 1, 1) == 72          # published: 96 (3 per 8 GPUs)


# ----------------------------------------------------------------------------------- switching errata
def test_switch_bandwidth_cadence_against_eighty_times():
    t = _table("switching")
    assert t.value("bw_multiple", 0) == 80 and t.value("bw_multiple_at_cadence", 0) == 32
    e = errata.get("E17")
    assert "32×" in e.consistent and "switching" in e.exhibits
    assert f"{2 * math.log2(80):.1f}" in e.consistent                       # 12.6 years at one doubling per 2
    assert round_half_up(t.value("bw_growth_printed", 0), 1) == 55.0
    assert round_half_up(t.value("bw_growth_cadence", 0), 1) == 41.4
    twelve = table("switching", overrides={"net_switch_bw_years": 12})
    assert round_half_up(twelve.value("bw_growth_printed", 0), 1) == 44.1
    assert f"{12 / math.log2(80):.2f}" in e.description                     # a doubling every 1.90 years


def test_serdes_cadence_and_line_rate_errata():
    t = _table("switching")
    assert round_half_up(t.value("bw_doubling_implied", 0), 2) == 1.33
    assert f"{10 / math.log2(8):.1f}" in errata.get("E44").consistent      # 3.3 years per lane doubling
    assert round_half_up(t.value("bw_line_rate_new", 0), 1) == 57.3
    assert "57.3T" in errata.get("E45").consistent
    assert t.value("serdes_power_multiple", 0) == pytest.approx(22.72)


def test_new_errata_are_in_range_and_listed_by_their_exhibits():
    ids = {e.id for e in errata.all_errata() if "optics" in e.exhibits or "switching" in e.exhibits}
    assert ids == {"E17", "E40", "E41", "E42", "E43", "E44", "E45", "E46"}
    for ex_id in ("optics", "switching"):
        assert set(exhibits.get(ex_id).errata) == {e.id for e in errata.for_exhibit(ex_id)}


# ----------------------------------------------------------------------------------- closed form
radix = st.integers(1, 64).map(lambda h: 2 * h)
endpoints = st.integers(0, 200_000)


def _cdiv(a, b):
    return -(-a // b)


@given(endpoints, radix)
def test_non_blocking_three_tier_closed_form(n, k):
    leaf, spine, core = (network.fat_tree_switches(n, k, 3, 1, t) for t in (1, 2, 3))
    assert leaf == _cdiv(n, k // 2)
    assert spine == leaf
    assert core == _cdiv(n, k)
    assert network.fat_tree_switches(n, k, 3) == leaf + spine + core


@given(endpoints, radix)
def test_non_blocking_two_and_one_tier_closed_form(n, k):
    assert network.fat_tree_switches(n, k, 2, 1, 1) == _cdiv(n, k // 2)
    assert network.fat_tree_switches(n, k, 2, 1, 2) == _cdiv(n, k)
    assert network.fat_tree_switches(n, k, 2, 1, 3) == 0
    assert network.fat_tree_switches(n, k, 1) == _cdiv(n, k)
    assert network.fat_tree_links(n, k, 1) == n


@given(endpoints, radix, st.integers(1, 3), st.sampled_from([1, 1.5, 2, 3, 4, 7]))
def test_every_link_has_a_port_at_each_end(n, k, tiers, o):
    l1, l2, l3 = (network.fat_tree_switches(n, k, tiers, o, t) for t in (1, 2, 3))
    a, b, c = (network.fat_tree_links(n, k, tiers, o, t) for t in (1, 2, 3))
    assert a == n
    assert l1 * k >= a + b                                   # leaves hold their endpoint links and uplinks
    assert l2 * k >= b + c and l3 * k >= c                   # spines and cores hold theirs
    if o == 1 and tiers > 1:
        assert b >= a                                        # non-blocking: as much up as down
    if tiers == 3:
        assert c == b


@given(st.integers(1, 2000), radix, st.integers(1, 3))
def test_full_fabrics_match_the_fleet_form(j, k, tiers):
    n = j * k                                                # fills every leaf, spine and core
    per_gpu = network.switches_per_gpu_fleet(tiers, k)
    assert network.fat_tree_switches(n, k, tiers) == pytest.approx(n * per_gpu, rel=1e-12)
    assert network.optical_modules(n, 400, 800, tiers, k) == pytest.approx(
        n * network.modules_per_gpu_fleet(400, 800, tiers, k), rel=1e-12)


@given(st.integers(2, 32).map(lambda h: 2 * h), st.integers(1, 3), st.sampled_from([1, 2, 3, 5]))
def test_capacity_is_the_largest_fabric_of_that_many_tiers(k, tiers, o):
    cap = network.fat_tree_capacity(k, tiers, o)
    assert network.tiers_needed(cap, k, o) <= tiers
    assert network.tiers_needed(cap + 1, k, o) > tiers


# ----------------------------------------------------------------------------------- properties
gpus = st.integers(0, 100_000)
speed = st.sampled_from([10, 25, 50, 100, 200, 400, 800, 1600])
design = st.tuples(radix, st.integers(1, 3), st.sampled_from([1, 1.5, 2, 3]), st.sampled_from([0, 1]),
                   st.sampled_from([0, 1 / 6, 0.5]), st.sampled_from([1, 2, 0.5, 18]))


@given(gpus, gpus, speed, speed, design)
def test_more_gpus_never_fewer_modules_or_switches(g1, g2, nic, module, d):
    k, tiers, o, copper, share, nics = d
    lo, hi = sorted((g1, g2))
    assert network.optical_modules(lo, nic, module, tiers, k, o, copper, share, nics) <= \
        network.optical_modules(hi, nic, module, tiers, k, o, copper, share, nics)
    assert network.fat_tree_switches(network.endpoint_ports(lo, nics), k, tiers, o) <= \
        network.fat_tree_switches(network.endpoint_ports(hi, nics), k, tiers, o)
    assert network.modules_needed(lo, nic, module, tiers, k, o, copper, share, nics) <= \
        network.modules_needed(hi, nic, module, tiers, k, o, copper, share, nics)
    assert network.switches_needed(lo, nic, module, tiers, k, o, copper, share, nics) <= \
        network.switches_needed(hi, nic, module, tiers, k, o, copper, share, nics)


@given(st.integers(1, 100_000), speed, speed, design, st.sampled_from([2, 4, 0.5]))
def test_modules_scale_with_nic_speed_over_module_speed(g, nic, module, d, factor):
    k, tiers, o, copper, share, nics = d
    base = network.optical_modules(g, nic, module, tiers, k, o, copper, share, nics)
    # only the ratio matters
    assert network.optical_modules(g, nic * factor, module * factor, tiers, k, o, copper, share, nics) == base
    # faster NICs on the same modules: proportionally more, up to the whole-module rounding
    faster = network.optical_modules(g, nic * 2, module, tiers, k, o, copper, share, nics)
    assert 2 * base - 1 <= faster <= 2 * base
    fleet = network.modules_per_gpu_fleet(nic, module, tiers, k, o, copper, share, nics)
    assert network.modules_per_gpu_fleet(nic * 2, module, tiers, k, o, copper, share, nics) == pytest.approx(2 * fleet)
    assert network.modules_per_gpu_fleet(nic, module * 2, tiers, k, o, copper, share, nics) == pytest.approx(fleet / 2)


@given(st.integers(1, 100_000), speed, speed, design)
def test_copper_first_hop_and_oversubscription_never_add_modules(g, nic, module, d):
    k, tiers, o, copper, share, nics = d
    optical = network.optical_modules(g, nic, module, tiers, k, 1, 0, share, nics)
    assert network.optical_modules(g, nic, module, tiers, k, 1, 1, share, nics) <= optical
    assert network.optical_modules(g, nic, module, tiers, k, o, 0, share, nics) <= optical


def test_arrays_agree_with_scalars():
    g = np.array([0, 1, 7, 1120, 4096, 99_999], dtype=float)
    k = np.array([40, 40, 64, 40, 64, 128], dtype=float)
    tiers = np.array([3, 1, 2, 3, 3, 2], dtype=float)
    copper = np.array([0, 1, 0, 0, 1, 1], dtype=float)
    arr = network.optical_modules(g, 400, 800, tiers, k, 1, copper, 1 / 6, 1)
    sw = network.fat_tree_switches(g, k, tiers, 1, 0)
    for i in range(len(g)):
        assert arr[i] == network.optical_modules(g[i], 400, 800, tiers[i], k[i], 1, copper[i], 1 / 6, 1)
        assert sw[i] == network.fat_tree_switches(g[i], k[i], tiers[i], 1, 0)
    assert list(network.nic_gbps_for_pcie(np.array([5, 126, 252, 504, 968, 2000.0]))) == [0, 100, 200, 400, 800, 1600]


def test_optics_exhibit_on_a_scenario_axis():
    nic = np.array([200.0, 400.0, 800.0])
    t = table("optics", overrides={"net_nic_gbps": nic})
    a100 = t.value("modules_per_gpu", "A100 : 200G")
    assert list(a100) == [7.0, 14.0, 28.0]
    assert list(t.value("check", "A100 : 200G")) == ["calibrated to it", "differs", "differs"]


# ----------------------------------------------------------------------------------- the chain's functions
def test_chain_functions_share_one_signature():
    for fn in (network.modules_needed, network.switches_needed):
        assert list(inspect.signature(fn).parameters)[1:] == list(network.CHAIN_ARGS)
        assert list(inspect.signature(fn).parameters)[0] == "gpus"


def test_chain_functions_reproduce_the_report_per_gpu():
    a100 = (200, 200, 3, 40, 1, 0, 1 / 6, 1)
    h100 = (400, 800, 3, 64, 1, 0, 1 / 6, 1)
    assert network.modules_needed(1120, *a100) == 7840
    assert network.modules_needed(871_800, *h100) == 871_800 * 3.5
    assert network.switches_needed(1120, 200, 200, 3, 40, 1, 0, 0, 1) == 140
    assert network.modules_needed(2.5e6, *a100) == 1.75e7
    fleet = network.modules_needed(np.array([1e4, 2.5e5]), *a100)
    assert list(fleet) == [7e4, 1.75e6]


# ----------------------------------------------------------------------------------- formulas
def _agree(fn, names, values):
    symbolic = fn(*[ref(n) for n in names])
    assert isinstance(symbolic, Formula)
    numeric = fn(*values)
    got = evaluate(str(symbolic), dict(zip(names, values, strict=True)))
    assert got == pytest.approx(numeric, rel=1e-9, abs=1e-9), str(symbolic)


FABRIC = ["n", "k", "t", "o", "s"]


@given(endpoints, radix, st.integers(1, 3), st.sampled_from([1, 1.5, 2, 3]), st.integers(0, 3))
def test_fat_tree_formulas_agree(n, k, t, o, s):
    _agree(network.fat_tree_switches, FABRIC, [n, k, t, o, s])
    _agree(network.fat_tree_links, FABRIC, [n, k, t, o, s])


@given(radix, st.integers(1, 3), st.sampled_from([1, 2, 3]), endpoints)
def test_capacity_formulas_agree(k, t, o, n):
    _agree(network.fat_tree_capacity, ["k", "t", "o"], [k, t, o])
    _agree(network.tiers_needed, ["n", "k", "o"], [n, k, o])


MODULE_ARGS = ["g", "nic", "mod", "t", "k", "o", "cu", "x", "p"]


@given(gpus, speed, speed, design)
def test_module_formulas_agree(g, nic, module, d):
    k, tiers, o, copper, share, nics = d
    values = [g, nic, module, tiers, k, o, copper, share, nics]
    _agree(network.optical_modules, MODULE_ARGS, values)
    _agree(network.modules_needed, MODULE_ARGS, values)
    _agree(network.switches_needed, MODULE_ARGS, values)
    if g > 0:
        _agree(network.modules_per_gpu, MODULE_ARGS, values)


@given(st.floats(0, 5000), st.floats(1, 128), st.integers(1, 32), st.floats(0.5, 1))
def test_nic_and_silicon_formulas_agree(link, gt, lanes, eff):
    _agree(network.nic_gbps_for_pcie, ["x"], [link])
    _agree(network.pcie_gbps, ["gt", "lanes", "eff"], [gt, lanes, eff])
    _agree(network.doubling_multiple, ["y", "d"], [gt / 10, eff * 4])
    _agree(network.doubling_years_combined, ["a", "b"], [gt, eff])
    _agree(network.serdes_power_multiple, ["p", "a", "b"], [eff * 3, lanes, gt])


def test_formula_text_uses_only_portable_functions():
    text = str(network.optical_modules(*[ref(n) for n in MODULE_ARGS]))
    assert set(re.findall(r"([A-Z]+)\(", text)) <= {"IF", "ROUND", "CEILING", "ABS", "MAX", "MIN"}


# ----------------------------------------------------------------------------------- bad input
BAD = [
    (lambda: network.fat_tree_switches(1120, 41), "switch_radix must be an even whole number >= 2, got 41"),
    (lambda: network.fat_tree_switches(1120, 0), "switch_radix must be an even whole number >= 2, got 0"),
    (lambda: network.fat_tree_switches(1120, 1), "switch_radix must be an even whole number >= 2, got 1"),
    (lambda: network.fat_tree_switches(1120, 40.5), "switch_radix must be an even whole number >= 2"),
    (lambda: network.fat_tree_switches(1120, np.array([40, 63])), "switch_radix must be an even whole number >= 2, got 63"),
    (lambda: network.fat_tree_switches(1120, 40, 4), "tiers must be a whole number in [1, 3], got 4"),
    (lambda: network.fat_tree_switches(1120, 40, 0), "tiers must be a whole number in [1, 3], got 0"),
    (lambda: network.fat_tree_switches(1120, 40, 2.5), "tiers must be a whole number in [1, 3], got 2.5"),
    (lambda: network.fat_tree_switches(1120, 40, 3, 0.5), "oversubscription must be a number >= 1, got 0.5"),
    (lambda: network.fat_tree_switches(1120, 40, 3, 1, 4), "tier must be a whole number in [0, 3], got 4"),
    (lambda: network.fat_tree_switches(-1, 40), "endpoints must be a whole number >= 0, got -1"),
    (lambda: network.fat_tree_switches(10.5, 40), "endpoints must be a whole number >= 0, got 10.5"),
    (lambda: network.optical_modules(1120, 0, 200), "nic_gbps must be a number > 0, got 0"),
    (lambda: network.optical_modules(1120, 200, -800), "module_gbps must be a number > 0, got -800"),
    (lambda: network.optical_modules(1120, 200, 200, first_hop_copper=2), "first_hop_copper must be TRUE or FALSE"),
    (lambda: network.optical_modules(1120, 200, 200, extra_fabric_share=-0.1), "extra_fabric_share must be a number >= 0"),
    (lambda: network.optical_modules(1120, 200, 200, nics_per_gpu=math.nan), "nics_per_gpu"),
    (lambda: network.modules_per_gpu(0, 200, 200), "gpus must be a whole number >= 1, got 0"),
    (lambda: network.modules_needed(-5, 200, 200), "gpus must be a number >= 0, got -5"),
    (lambda: network.switches_needed(100, 200, 200, 3, 33), "switch_radix must be an even whole number >= 2, got 33"),
    (lambda: network.pcie_gbps(16, 16, 1.5), "encoding_efficiency must be in (0, 1], got 1.5"),
    (lambda: table("optics", overrides={"net_switch_radix": 41}), "net_switch_radix[A100 : 200G] must be an even whole number >= 2, got 41"),
    (lambda: table("optics", overrides={"net_tiers": 4}), "net_tiers must be a whole number in [1, 3], got 4"),
    (lambda: table("optics", overrides={"net_oversubscription": 0.5}), "net_oversubscription must be in [1, 100], got 0.5"),
    (lambda: table("optics", overrides={"net_gpus": 0}), "net_gpus must be a whole number in [1, 100000000], got 0"),
    (lambda: table("optics", overrides={"net_first_hop_copper": 3}), "must be TRUE or FALSE"),
    (lambda: table("optics", overrides={"net_gpus": [1, 2]}), "net_gpus takes one value or 5 values"),
]


@pytest.mark.parametrize("call, fragment", BAD, ids=[b[1][:50] for b in BAD])
def test_bad_input_message(call, fragment):
    with pytest.raises(SuanliError) as info:
        call()
    assert fragment in str(info.value)


def test_bad_input_errors_are_value_errors():
    with pytest.raises(ValueError):
        network.fat_tree_switches(100, 41)
    with pytest.raises(InvalidValueError):
        network.leaf_uplinks(40, 0)


# ----------------------------------------------------------------------------------- workbook rendering
class _Cells(Resolver):
    """Every input and row as a named cell, as a workbook renderer would supply them."""

    def __init__(self, exhibit):
        self.exhibit = exhibit
        self.cols = table(exhibit.id).columns

    def columns(self, exhibit):
        return self.cols

    def input(self, key, exhibit, col):
        return ref(f"{key}_{col}")

    def row(self, exhibit, key, col):
        return ref(f"{exhibit.id}_{key}_{col}")

    def other(self, exhibit_id, key, column):  # pragma: no cover - the network exhibits read no other
        raise AssertionError("unexpected cross-exhibit reference")


def _evaluate_with_text(formula, names):
    """The oracle reads no string literals: bind each one to a name first."""
    texts = {}

    def bind(m):
        name = f"_text{len(texts)}"
        texts[name] = m.group(1).replace('""', '"')
        return name

    return evaluate(re.sub(r'"((?:[^"]|"")*)"', bind, formula), {**names, **texts})


@pytest.mark.parametrize("ex_id", ["optics", "switching"])
def test_every_row_renders_as_a_formula_that_computes_the_cell(ex_id):
    """Each row, given its inputs and earlier rows as cells, builds a formula giving the numeric value."""
    exhibit = exhibits.get(ex_id)
    numeric = _table(ex_id)
    sc = numeric.scenario
    cells = _Cells(exhibit)
    for col, label in enumerate(numeric.columns):
        names = {}
        for key in sc.values:
            v = sc.at(key, label) if sc.has_column(key, label) else None
            if isinstance(v, float):
                names[f"{key}_{col}"] = v
        for row in exhibit.rows:
            value = numeric.result.base(row.key, col)
            if value is not None and not isinstance(value, str):
                names[f"{ex_id}_{row.key}_{col}"] = value
        for row in exhibit.rows:
            if row.text is not None or row.input is not None:
                continue
            expected = numeric.result.base(row.key, col)
            if expected is None:
                continue
            symbolic = row.formula(Context(cells, exhibit, col))
            got = _evaluate_with_text(str(symbolic), names) if isinstance(symbolic, Formula) else symbolic
            if isinstance(expected, str):
                assert got == expected, f"{ex_id} {row.key} {label}"
            else:
                assert got == pytest.approx(expected, rel=1e-9), f"{ex_id} {row.key} {label}: {symbolic}"
