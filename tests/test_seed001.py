"""Seed 001 (the AI-server compilation): each row as a formula, the checks behind its errata
S01-S09, and the wall between its market view and seed 000's.  Its printed numbers, the checks
it leaves out and its deviations are golden cells (tests/test_golden.py).
"""

from __future__ import annotations

import pytest

from engine import errata, exhibits, reports, scenarios, table

from golden_harness import cached_table, check_rendering, inputs_read, module_exhibits

SEED001 = module_exhibits("engine.exhibits.seed001")


@pytest.mark.parametrize("ex_id", [e.id for e in SEED001])
def test_every_row_renders_as_a_formula_that_computes_the_cell(ex_id):
    formulas = [r for r in exhibits.get(ex_id).rows if r.formula is not None]
    assert check_rendering(ex_id) >= len(formulas) or not formulas


# ----------------------------------------------------------------------------------- S01: rounding range
def test_shipments_cagr_is_feasible_only_within_rounding():
    t = cached_table("s001_china_market")
    low, high = t.value("units_cagr_low", "2027"), t.value("units_cagr_high", "2027")
    stated, computed = t.value("units_cagr_stated", "2027"), t.value("units_cagr", "2027")
    assert low < stated < computed < high
    assert t.value("units_cagr_feasible", "2027") == 1
    tight = table("s001_china_market", overrides={"s001_china_units_2022_half_unit": 0,
                                                   "s001_china_units_2027_half_unit": 0})
    assert tight.value("units_cagr_feasible", "2027") == 0   # exact endpoints: 17.9% does not follow


def test_bom_shares_leave_a_remainder():
    t = cached_table("s001_server_bom")
    dgx = "DGX H100"
    parts = sum(t.value(k, dgx) for k in ("cpu_value", "gpu_value", "memory_value", "other_value"))
    assert parts == pytest.approx(t.value("price", dgx))
    assert t.value("memory_multiple_min", dgx) > 1     # 内存价值量提升，但占比下降


# ----------------------------------------------------------------------------------- errata
IDS = [f"S0{i}" for i in range(1, 10)]


def test_errata_of_seed001():
    for eid in IDS:
        e = errata.get(eid)
        for ex_id in e.exhibits:
            assert eid in exhibits.get(ex_id).errata and ex_id.startswith("s001_")
    for ex in SEED001:
        for eid in ex.errata:
            assert ex.id in errata.get(eid).exhibits


def test_market_conflict_points_to_the_separate_scenario():
    e = errata.get("S08")
    assert (e.kind, e.detail) == ("inconsistency", "two reports") and e.alternative == "ai-server-2023"
    assert e.status(scenarios.load("ai-server-2023")) == "alternative applied"


# ----------------------------------------------------------------------------------- the two market views
def test_scenario_holds_seed001s_own_view():
    d = scenarios.describe("ai-server-2023")
    assert d["base"] == "csc-2023" and "never blended" in d["description"]
    assert d["description"].startswith(reports.short("ai-server-2023"))
    assert scenarios.load("ai-server-2023").values == scenarios.load("csc-2023").values


def test_seed001_exhibits_default_to_their_scenario():
    for ex in SEED001:
        assert ex.group == "ai_server" and ex.default_scenario == "ai-server-2023"
        assert cached_table(ex.id).scenario.name == "ai-server-2023"


@pytest.mark.parametrize("ex_id", [e.id for e in SEED001])
def test_seed001_exhibits_read_only_seed001_inputs(ex_id):
    read = inputs_read(exhibits.get(ex_id))
    assert read and all(k.startswith("s001_") for k in read), sorted(k for k in read if not k.startswith("s001_"))


@pytest.mark.parametrize("ex_id", [e.id for e in exhibits.all_exhibits() if e.group != "ai_server"])
def test_no_other_exhibit_reads_seed001_inputs(ex_id):
    read = inputs_read(exhibits.get(ex_id))
    assert not [k for k in read if k.startswith("s001_")]


def test_seed001_inputs_are_all_read():
    from importlib import resources

    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    text = resources.files("engine").joinpath("data", "inputs", "seed001.toml").read_text(encoding="utf-8")
    declared = set(tomllib.loads(text)["inputs"])
    assert all(k.startswith("s001_") for k in declared)
    read = set().union(*(inputs_read(e) for e in SEED001))
    assert declared <= read, f"inputs no exhibit reads: {declared - read}"


def test_views_differ_where_the_seeds_conflict():
    """The same quantity, two sources: 2022 global AI servers 183.3 (seed 001 path) against 202 (seed 000)."""
    s001 = cached_table("s001_global_market").value("ai_path", "2022")
    s000 = cached_table("s3.2_ai_server_share").value("ai_market", "2022")
    assert round(s001, 1) == 183.3 and round(s000) == 202
