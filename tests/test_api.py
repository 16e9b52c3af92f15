"""The public Python API (``import suanli``): DataFrames and result objects out, typed values in,
and errors that name the Python parameter, never a command-line flag."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import suanli
from engine import analysis, catalogue, errata, exhibits, scenarios
from suanli import Normal, Range, Triangular, Uniform

ROOT = Path(__file__).resolve().parents[1]
FLAG = re.compile(r"--(delta|set|dist|output|n|seed|out|column|exhibit|scenario|format|kind|jobs|resume|template)\b")


def test_the_public_names():
    for name in suanli.__all__:
        assert hasattr(suanli, name), name
    for name in ("table", "tables", "inputs", "errata", "scenarios", "catalogue", "sweep", "sensitivity",
                 "montecarlo", "SuanliError", "InvalidValueError", "InvalidTypeError", "MissingValueError",
                 "UnknownNameError", "AnalysisError", "Range", "Triangular", "Uniform", "Normal"):
        assert name in suanli.__all__
    assert issubclass(suanli.AnalysisError, suanli.SuanliError) and issubclass(suanli.AnalysisError, ValueError)


def test_every_docstring_example_runs():
    result = doctest.testmod(suanli, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 25 and result.failed == 0
    for name in ("table", "tables", "inputs", "errata", "scenarios", "catalogue", "sweep", "sensitivity",
                 "montecarlo"):
        doc = getattr(suanli, name).__doc__
        assert ">>> " in doc, f"{name} has no worked example"


def test_engine_imports_nothing_above_it():
    code = ("import sys, engine, engine.analysis, engine.tables; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'suanli', 'addin', 'workbook_templates'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
    for path in (ROOT / "engine").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(suanli|addin|workbook_templates)\b", text, re.M), path


def test_no_command_line_flag_in_the_engine():
    for path in (ROOT / "engine").rglob("*.py"):
        found = FLAG.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(ROOT)} names the flags {found}"


# ---------------------------------------------------------------------------- what there is
def test_tables_frame():
    t = suanli.tables()
    assert t.index.name == "id" and len(t) == len(exhibits.all_exhibits())
    assert {"group", "title_en", "title_zh", "columns", "rows", "source", "scenario"} <= set(t.columns)
    assert t.loc["fig49", "columns"] == "2023E, 2024E, 2025E, 2026E, 2027E"
    assert t.loc["s001_global_market", "scenario"] == "ai-server-2023"


def test_table_is_the_engines_table_with_a_frame():
    t = suanli.table("fig49", "csc-2023", {"train_utilization": 0.45})
    assert isinstance(t, suanli.Table)
    frame = t.to_frame()
    assert frame.loc["a100_total", "2026E"] == pytest.approx(2079.296703 * 0.3 / 0.45)
    assert "a100_total" in repr(t) and "fig49" in repr(t)


def test_inputs_frame_values_are_typed():
    i = suanli.inputs()
    assert i.index.name == "key" and len(i) == len(scenarios.schema())
    assert {"label", "unit", "value", "axis", "bounds", "source", "erratum", "user_supplied"} <= set(i.columns)
    assert i.loc["train_utilization", "value"] == (0.3,) * 5
    assert i.loc["infer_bytes_per_param", "value"] == 2.0 and pd.isna(i.loc["infer_bytes_per_param", "axis"])
    assert i.loc["fig50_util_applied_twice", "value"] is True
    assert i.loc["chain_usd_per_switch", "user_supplied"] and i.loc["chain_usd_per_switch", "value"] is None
    corrected = suanli.inputs("csc-2023-corrected")
    assert corrected.loc["fig50_util_applied_twice", "value"] is False
    assert corrected.attrs["scenario"] == "csc-2023-corrected"
    with pytest.raises(suanli.UnknownNameError, match="unknown scenario 'nosuch'"):
        suanli.inputs("nosuch")


def test_errata_scenarios_and_catalogue_frames():
    e = suanli.errata()
    assert e.index.name == "id" and len(e) == len(errata.all_errata()) and "status" not in e.columns
    fig50 = suanli.errata("fig50", scenario="csc-2023")
    assert "E01" in fig50.index and fig50.loc["E01", "status"] == "as printed"
    assert set(fig50.index) < set(e.index)
    s = suanli.scenarios()
    assert list(s.index) == scenarios.names() and s.loc["csc-2023-text-dau", "base"] == "csc-2023-corrected"
    c = suanli.catalogue()
    assert c.index.name == "key" and len(c) == len(catalogue.keys())
    assert c.loc["h100_sxm", "fp16_tensor_dense_tflops"] == 990
    asic = suanli.catalogue(kind="asic")
    assert set(asic["kind"]) == {"asic"} and 0 < len(asic) < len(c)
    assert "fp16_tensor_dense_tflops_source" in suanli.catalogue(sources=True).columns
    h100 = suanli.catalogue("H100")
    assert h100.index.name == "field" and h100.loc["fp16_tensor_dense_tflops", "value"] == 990
    assert h100.loc["process", "value"] == "4nm" and h100.attrs["key"] == "h100_sxm"
    with pytest.raises(suanli.UnknownNameError, match="unknown kind 'nope'"):
        suanli.catalogue(kind="nope")
    with pytest.raises(suanli.UnknownNameError, match="unknown chip"):
        suanli.catalogue("nochip")


# ---------------------------------------------------------------------------- analyses
def test_sweep_of_the_issue_example_prints_its_frame():
    r = suanli.sweep("fig49.a100_total", {"train_utilization": [0.2, 0.3, 0.4]})
    frame = r.to_frame()
    assert frame.index.name == "train_utilization" and frame.index.tolist() == [0.2, 0.3, 0.4]
    assert list(frame.columns) == ["2023E", "2024E", "2025E", "2026E", "2027E"]
    for u in (0.2, 0.3, 0.4):
        expected = suanli.table("fig49", overrides={"train_utilization": u}).values("a100_total")
        assert frame.loc[u].tolist() == pytest.approx(expected, rel=1e-12)
    text = str(r)
    assert "fig49.a100_total" in text and "万张" in text and "5188.557363" in text
    assert r.swept[0].text == "0.2,0.3,0.4"


def test_a_range_a_list_and_an_array_sweep_alike():
    by_range = suanli.sweep("chain.cards", {"train_utilization": Range(0.2, 0.4, 0.1)})
    by_list = suanli.sweep("chain.cards", {"train_utilization": [0.2, 0.3, 0.4]})
    by_array = suanli.sweep("chain.cards", {"train_utilization": np.array([0.2, 0.3, 0.4])})
    assert np.array_equal(by_range.values, by_list.values) and np.array_equal(by_list.values, by_array.values)
    assert by_range.grid[:, 0].tolist() == [0.2, 0.3, 0.4]                 # the decimal values, exactly
    assert repr(Range(0.2, 0.4, 0.1)) == "Range(0.2, 0.4, 0.1)"
    two = suanli.sweep("chain.cards", {"train_utilization": [0.2, 0.3], "chain_share_h100_sxm": [0, 0.5, 1]},
                       overrides={"train_days": 10})
    frame = two.to_frame()
    assert frame.index.names == ["train_utilization", "chain_share_h100_sxm"] and len(frame) == 6
    assert frame.loc[(0.3, 0.5), "2027E"] == pytest.approx(
        suanli.table("chain", overrides={"train_utilization": 0.3, "chain_share_h100_sxm": 0.5, "train_days": 10})
        .value("cards", "2027E"), rel=1e-12)


def test_sensitivity_frame_and_text():
    s = suanli.sensitivity("fig49.a100_total", column="2026E", delta=0.2)
    frame = s.to_frame()
    assert frame.index.name == "input" and list(frame.index) == [m.key for m in s.moves]
    assert list(frame.columns) == ["unit", "base", "low", "high", "output_low", "output_high", "swing", "swing_pct",
                                   "notes"]
    util = frame.loc["train_utilization"]
    assert (util["base"], util["low"], util["high"]) == pytest.approx((0.3, 0.24, 0.36))
    assert frame.loc["mm_vendors", "base"] == 13                                # the 2026E column
    assert frame["swing"].round(6).is_monotonic_decreasing
    assert "sensitivity of fig49.a100_total at 2026E" in str(s) and "train_utilization" in str(s)


def test_montecarlo_frame_and_text():
    mc = suanli.montecarlo("chain.cards", {"train_utilization": Triangular(0.2, 0.3, 0.45),
                                           "mm_dau": Uniform(0.8, 1.2, factor=True),
                                           "chain_liquid_share": Normal(0.7, 0.1)}, n=20_000, seed=4)
    frame = mc.to_frame()
    assert frame.index.names == ["row", "statistic"] and list(frame.columns) == ["unit", *mc.columns]
    assert frame.loc[("cards", "P50"), "2027E"] == mc.row("cards").p50[-1]
    assert frame.loc[("cards", "P5"), "unit"] == "万张"
    assert frame.loc[("pue", "P5"), "2027E"] <= frame.loc[("pue", "P95"), "2027E"]
    text = str(mc)
    assert text.startswith("Monte Carlo of chain: 20,000 draws, seed 4; train_utilization=triangular(0.2,0.3,0.45), "
                           "mm_dau*=uniform(0.8,1.2), chain_liquid_share=normal(0.7,0.1)")
    assert "chain.cards (万张)" in text and "P95" in text
    again = suanli.montecarlo("chain.cards", dict(mc.distributions), n=20_000, seed=4)
    assert again.to_frame().equals(frame)


# ---------------------------------------------------------------------------- refusals
BAD = [
    (lambda: suanli.sweep("chain", {"train_utilization": [0.2]}), "output", "output takes EXHIBIT.ROW"),
    (lambda: suanli.sweep(42, {"train_utilization": [0.2]}), "output", "output must be text"),
    (lambda: suanli.sweep("fig43.model", {"train_utilization": [0.2]}), "row of fig43", "unknown row of fig43"),
    (lambda: suanli.sweep("chain.cards", {}), "ranges", "ranges is empty"),
    (lambda: suanli.sweep("chain.cards", ["train_utilization"]), "ranges", "ranges must be a mapping"),
    (lambda: suanli.sweep("chain.cards", {"train_utilization": "0.2:0.5:0.1"}), "ranges['train_utilization']",
     "ranges['train_utilization'] must be a Range(start, stop, step) or a sequence of numbers"),
    (lambda: suanli.sweep("chain.cards", {"train_utilization": 0.3}), "ranges['train_utilization']",
     "must be a Range(start, stop, step) or a sequence"),
    (lambda: suanli.sweep("chain.cards", {"train_utilization": []}), "ranges", "ranges['train_utilization'] is empty"),
    (lambda: suanli.sweep("chain.cards", {"train_utilization": [0.2, "x"]}), "ranges['train_utilization'][1]",
     "ranges['train_utilization'][1] must be a finite number, got 'x'"),
    (lambda: suanli.sweep("chain.cards", {"train_utilization": [0.5, 1.5]}), "train_utilization",
     "train_utilization: the sweep 0.5,1.5 leaves the accepted range at 1.5 (1 of 2 points)"),
    (lambda: suanli.sweep("chain.cards", {"train_utilization": Range(0, 1, 1e-7)}), "ranges",
     "ranges['train_utilization']: Range(0, 1, 1e-07) has more than 1,000,000 values; use a larger step"),
    (lambda: suanli.sweep("chain.cards", {"nosuch": [1]}), "input key", "unknown input key 'nosuch'"),
    (lambda: suanli.sweep("chain.cards", {"fig50_util_applied_twice": [0, 1]}), "fig50_util_applied_twice",
     "fig50_util_applied_twice is a TRUE/FALSE switch and cannot be swept; hold it at True or False in overrides"),
    (lambda: suanli.sweep("chain.cards", {"train_utilization": [0.2]}, overrides={"train_utilization": 0.3}),
     "train_utilization", "train_utilization is both swept and held at a value"),
    (lambda: suanli.sweep("chain.optics_capex", {"train_utilization": [0.2]}), "chain_usd_per_optical_module",
     "chain.optics_capex needs chain_usd_per_optical_module, which the report does not give: supply it in "
     "overrides ({'chain_usd_per_optical_module': VALUE})"),
    (lambda: suanli.sweep("chain.cards", {"train_utilization": [0.2]}, overrides=[("train_days", 3)]), "overrides",
     "overrides must be a mapping"),
    (lambda: suanli.sweep("chain.cards", {"train_utilization": [0.2]}, scenario=3), "scenario",
     "scenario must be a scenario name"),
    (lambda: Range(0.5, 0.1, 0.1), "stop", "Range stop must be >= start, got Range(0.5, 0.1, 0.1)"),
    (lambda: Range(0.1, 0.5, 0), "step", "Range step must be > 0, got 0"),
    (lambda: Range(0.1, "x", 0.1), "Range stop", "Range stop must be a finite number, got 'x'"),
    (lambda: suanli.sensitivity("chain.cards", delta=0), "delta",
     "delta must be a number in (0, 1) (0.1 moves each input by ±10%), got 0"),
    (lambda: suanli.sensitivity("chain.cards", delta="0.1"), "delta", "delta must be a number in (0, 1), got '0.1'"),
    (lambda: suanli.sensitivity("chain.cards", column="2031E"), "column", "unknown column '2031E'"),
    (lambda: suanli.sensitivity("chain.cards", overrides={"train_utilization": 30}), "train_utilization",
     "train_utilization must be in (0, 1], got 30 (did you mean 0.30?)"),
    (lambda: suanli.montecarlo("chain.cards", {}), "distributions", "distributions is empty"),
    (lambda: suanli.montecarlo("chain.cards", {"train_utilization": "uniform(0.2,0.4)"}),
     "distributions['train_utilization']", "must be a Triangular, Uniform or Normal"),
    (lambda: suanli.montecarlo("chain.cards", {"train_utilization": Uniform(0.2, 0.4)}, n=0), "n",
     "n must be a whole number in [1, 1,000,000] (the number of draws), got 0"),
    (lambda: suanli.montecarlo("chain.cards", {"train_utilization": Uniform(0.2, 0.4)}, n=2.5), "n",
     "n must be a whole number in [1, 1,000,000] (the number of draws), got 2.5"),
    (lambda: suanli.montecarlo("chain.cards", {"train_utilization": Uniform(0.2, 0.4)}, n="100"), "n",
     "n must be a whole number"),
    (lambda: suanli.montecarlo("chain.cards", {"train_utilization": Uniform(0.2, 0.4)}, seed=-1), "seed",
     "seed must be a whole number in [0, 9,223,372,036,854,775,807] (the random seed), got -1"),
    (lambda: suanli.montecarlo("chain.cards", {"train_utilization": Uniform(0.5, 1.5)}, seed=1), "train_utilization",
     "of 100,000 draws of train_utilization=uniform(0.5,1.5) fall outside the accepted range"),
    (lambda: suanli.montecarlo("chain.cards", {"chain_usd_per_switch": Uniform(0.8, 1.2, factor=True)}),
     "chain_usd_per_switch", "chain_usd_per_switch*=uniform(0.8,1.2) scales the scenario's value, but "
                             "chain_usd_per_switch has none: supply it in overrides"),
    (lambda: suanli.montecarlo(None, {"chain_pue_air": Uniform(1.2, 1.5)}, exhibit="fig49"), "distributions",
     "no row of fig49 depends on chain_pue_air; nothing varies (see table('fig49').to_dict()"),
    (lambda: suanli.montecarlo("chain.pue", {"train_utilization": Uniform(0.2, 0.4)}), "output",
     "chain.pue at 2027E does not depend on train_utilization"),
    (lambda: Triangular(0.4, 0.3, 0.2), "distributions",
     "Triangular needs low <= mode <= high and low < high, got Triangular(0.4, 0.3, 0.2)"),
    (lambda: Uniform(0.4, 0.2), "distributions", "Uniform needs low < high, got Uniform(0.4, 0.2)"),
    (lambda: Normal(0.3, 0), "distributions", "Normal needs sd > 0, got Normal(0.3, 0)"),
    (lambda: Normal(0.3, float("nan")), "Normal sd", "Normal sd must be a finite number, got nan"),
    (lambda: Uniform(0.2, 0.4, factor="yes"), "Uniform factor", "Uniform factor must be True or False"),
]


@pytest.mark.parametrize("call, name, message", BAD, ids=[m[:50] for _, _, m in BAD])
def test_refusals_name_the_python_parameter_and_no_flag(call, name, message):
    with pytest.raises(suanli.SuanliError) as info:
        call()
    exc = info.value
    assert exc.name == name and message in exc.message, exc.message
    assert isinstance(exc, (ValueError, TypeError, KeyError))
    assert not FLAG.search(exc.message) and "--" not in exc.message, exc.message
    assert "\n" not in exc.message


def test_an_analysis_error_carries_its_remedy_as_data():
    with pytest.raises(suanli.AnalysisError) as info:
        suanli.sensitivity("chain.switch_capex")
    assert info.value.remedy == analysis.Remedy("supply", ("chain_usd_per_switch",))
    assert info.value.text == "chain.switch_capex at 2027E needs chain_usd_per_switch, which the report does not give"


def test_results_convert_with_pandas():
    r = suanli.sweep("fig49.a100_total", {"train_utilization": Range(0.2, 0.6, 0.05)})
    assert isinstance(r.to_frame(), pd.DataFrame) and r.to_frame().attrs == {"output": "fig49.a100_total",
                                                                            "unit": "万张"}
