"""Scenario analyses: sweeps, sensitivity and Monte Carlo, each one vectorized engine pass.

Every analysis is checked against the engine evaluated one scenario at a time, on cases whose
answer follows by hand (fig49's A100 count is inversely proportional to the utilisation), and
through the command line: the workbooks it writes, and the one-line refusals of bad requests.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest

from engine import __version__, exhibits, scenarios, tables
from engine import analysis as A
from engine.analysis import Normal, Range, Triangular, Uniform
from engine.exhibit import evaluate
from suanli.cli import main
from workbook_templates import analysis_xlsx as X


def point(output: str, values: dict, column: int):
    """The output row at one scenario, evaluated on its own (floats, no arrays)."""
    ex_id, _, key = output.rpartition(".")
    t = tables.table(ex_id, scenarios.load(tables.work_scenario(ex_id)).with_values(values))
    return t.value(key, column)


def sheet_rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def about(path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["About"]
    return [tuple(r[:3]) for r in ws.iter_rows(min_row=4, values_only=True)]


# ---------------------------------------------------------------------------- sweep
def test_sweep_one_input_equals_point_by_point():
    r = A.sweep("chain.cards", {"train_utilization": Range(0.2, 0.5, 0.05)})
    assert r.points == 7 and r.columns == ("2023E", "2024E", "2025E", "2026E", "2027E")
    assert np.allclose(r.grid[:, 0], [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5])
    for i in (0, 2, 6):
        for j in range(5):
            expected = point("chain.cards", {"train_utilization": r.grid[i, 0]}, j)
            assert r.values[i, j] == pytest.approx(expected, rel=1e-12)
    # 0.3 is the report's value: the printed chain
    assert r.values[2, 4] == pytest.approx(tables.table("chain").value("cards", "2027E"), rel=1e-12)
    assert "train_utilization" not in r.fixed and r.fixed["train_days"] == (7.0,) * 5
    assert "chain_share_h100_sxm" in r.fixed and "chain_fp16_tflops" in r.fixed and r.unused == ()


def test_sweep_two_inputs_equals_point_by_point_and_first_varies_slowest():
    r = A.sweep("chain.energy_kwh",
                {"chain_kw_per_server": Range(5, 8, 1), "chain_liquid_share": Range(0, 1, 0.25)})
    assert r.points == 4 * 5
    assert r.grid[:5, 0].tolist() == [5.0] * 5 and r.grid[:5, 1].tolist() == [0, 0.25, 0.5, 0.75, 1.0]
    for kw, share in ((5, 0), (6, 0.75), (8, 1.0), (7, 0.25)):
        i = r.index(chain_kw_per_server=kw, chain_liquid_share=share)
        assert tuple(r.grid[i]) == (kw, share)
        for j in (0, 4):
            expected = point("chain.energy_kwh", {"chain_kw_per_server": kw, "chain_liquid_share": share}, j)
            assert r.values[i, j] == pytest.approx(expected, rel=1e-12)


def test_sweep_is_one_vectorized_pass(monkeypatch):
    calls = []
    real = A.evaluate_rows

    def counting(sc, ids):
        calls.append(sc.size)
        return real(sc, ids)

    monkeypatch.setattr(A, "evaluate_rows", counting)
    r = A.sweep("chain.it_kw", {"train_utilization": Range(0.1, 1, 0.1), "chain_share_h100_sxm": Range(0, 1, 0.1)})
    assert calls == [110] and r.points == 110


def test_sweep_range_includes_stop_and_stays_in_domain():
    # 0.1 + 9 × 0.1 is 1.0000000000000002 in floating point: the grid ends on 1 exactly
    values = Range(0.1, 1, 0.1).values()
    assert values.size == 10 and values[-1] == 1.0
    assert Range(0.2, 0.5, 0.2).values().tolist() == [0.2, 0.4]                              # stop not reached
    assert Range(0.3, 0.3, 0.1).values().tolist() == [0.3]
    r = A.sweep("chain.cards", {"chain_gpus_per_server": Range(4, 16, 4)})
    assert r.grid[:, 0].tolist() == [4, 8, 12, 16] and r.swept[0].text == "4:16:4"
    assert A.sweep("chain.cards", {"train_utilization": Range(0.2, 0.5, 0.2)}).swept[0].text == "0.2:0.4:0.2"


def test_sweep_held_inputs_and_user_supplied_inputs():
    r = A.sweep("chain.optics_capex", {"chain_hbm_usd_per_gb": Range(5, 15, 5)},
                overrides={"chain_usd_per_optical_module": 500})
    assert r.unused == ("chain_hbm_usd_per_gb",)                 # optics spending does not read HBM prices
    assert np.allclose(r.values[0], r.values[2])
    assert r.fixed["chain_usd_per_optical_module"] == 500.0
    expected = point("chain.optics_capex", {"chain_usd_per_optical_module": 500}, 4)
    assert r.values[1, 4] == pytest.approx(expected, rel=1e-12)


def test_sweep_workbook_has_table_chart_and_about(tmp_path):
    r = A.sweep("chain.cards", {"train_utilization": Range(0.2, 0.5, 0.05)})
    path = X.write_sweep(r, tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Sweep", "About"]
    ws = wb["Sweep"]
    rows = sheet_rows(ws)
    assert rows[3] == ["train_utilization (fraction)", "2023E (万张)", "2024E (万张)", "2025E (万张)",
                       "2026E (万张)", "2027E (万张)"]
    data = rows[4:4 + r.points]
    assert [d[0] for d in data] == pytest.approx(r.grid[:, 0].tolist())
    assert np.allclose(np.array([d[1:6] for d in data], dtype=float), r.values, rtol=1e-12)
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert chart.tagname == "lineChart" and len(chart.series) == 5          # one line per year
    items = about(path)
    flat = {(a, b) for a, b, _ in items}
    assert ("scenario", "csc-2023-corrected") in flat and ("output", "chain.cards") in flat and ("unit", "万张") in flat
    assert ("suanli", __version__) in flat and ("swept", "train_utilization=0.2:0.5:0.05") in flat
    assert ("held fixed", "train_days=7") in flat and ("held fixed", "mm_vendors=5,8,10,13,15") in flat
    assert ("held fixed", "chain_includes_inference=TRUE") in flat
    assert ("errata switches", "corrected: E01 E02 E05 E06 E13 E19") in flat     # the scenario's errata in force


def test_two_input_sweep_workbook_has_grid_and_one_series_per_second_value(tmp_path):
    r = A.sweep("chain.cards", {"train_utilization": Range(0.2, 0.5, 0.1), "chain_share_h100_sxm": Range(0, 1, 0.25)})
    path = X.write_sweep(r, tmp_path / "s2.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Sweep", "Grid", "About"]
    charts = wb["Sweep"]._charts
    assert len(charts) == 1 and len(charts[0].series) == 5
    grid = sheet_rows(wb["Grid"])
    assert grid[3][1:6] == [0, 0.25, 0.5, 0.75, 1]
    for a, u in enumerate((0.2, 0.3, 0.4, 0.5)):
        row = grid[4 + a]
        assert row[0] == pytest.approx(u)
        for b, share in enumerate((0, 0.25, 0.5, 0.75, 1)):
            expected = point("chain.cards", {"train_utilization": u, "chain_share_h100_sxm": share}, 4)
            assert row[1 + b] == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------------------- sensitivity
def test_inputs_of_a_row_follow_its_reads():
    keys = A.inputs_of("fig49.a100_total")
    assert "a100_fp16_tflops" in keys and "train_utilization" in keys and "mm_vendors" in keys
    assert "h100_fp16_tflops" not in keys                   # the H100 row reads it, the A100 row does not
    assert "mm_dau" not in keys                             # inference inputs: fig50, not fig49
    chain = A.inputs_of("chain.cards")
    assert {"mm_dau", "infer_utilization", "fig50_util_applied_twice", "chain_share_h100_sxm"} <= set(chain)
    assert "chain_kw_per_server" not in chain


def test_sensitivity_of_fig49_a100_total_by_hand():
    s = A.sensitivity("fig49.a100_total")
    base = tables.table("fig49").value("a100_total", "2027E")
    assert s.column == "2027E" and s.base_output == pytest.approx(base, rel=1e-12)
    # cards = peak ÷ (utilisation × A100 peak), peak ∝ 1/days: ±10% gives base/0.9 and base/1.1
    inverse = base * (1 / 0.9 - 1 / 1.1)
    top = s.moves[:3]
    assert {m.key for m in top} == {"train_utilization", "a100_fp16_tflops", "train_days"}
    for m in top:
        assert m.output_low == pytest.approx(base / 0.9, rel=1e-12)
        assert m.output_high == pytest.approx(base / 1.1, rel=1e-12)
        assert m.swing == pytest.approx(inverse, rel=1e-12)
        assert s.share(m) == pytest.approx(100 * (1 / 0.9 - 1 / 1.1), rel=1e-12)
    # proportional to the FLOP per parameter-token (6N): a swing of 20% of the base, ranked fourth
    fourth = s.moves[3]
    assert fourth.key == "train_flops_per_param_token" and fourth.swing == pytest.approx(0.2 * base, rel=1e-12)
    swings = [round(m.swing, 6) for m in s.moves]                   # ranked (equal swings in schema order)
    assert swings == sorted(swings, reverse=True)
    assert "h100_fp16_tflops" not in {m.key for m in s.moves}
    util = next(m for m in s.moves if m.key == "train_utilization")
    assert util.low == pytest.approx((0.27,) * 5) and util.high == pytest.approx((0.33,) * 5)
    # a count of 3 cannot move by 10%: it stays, and says so
    models = next(m for m in s.moves if m.key == "mm_models_per_vendor")
    assert models.swing == 0 and "rounds back" in models.notes[0]


def test_sensitivity_all_scenarios_in_one_pass(monkeypatch):
    calls = []
    real = A.evaluate_rows
    monkeypatch.setattr(A, "evaluate_rows", lambda sc, ids: calls.append(sc.size) or real(sc, ids))
    s = A.sensitivity("chain.energy_kwh", column="2025E")
    assert calls == [2 * len(s.moves) + 1]
    # the vectorized moves equal evaluating each moved scenario on its own
    for m in s.moves[:4]:
        expected = point("chain.energy_kwh", {m.key: list(m.high) if isinstance(m.high, tuple) else m.high},
                         "2025E")
        assert m.output_high == pytest.approx(expected, rel=1e-12)


def test_sensitivity_clips_moves_at_the_domain_and_flags_them():
    s = A.sensitivity("chain.energy_kwh", delta=0.5)
    liquid = next(m for m in s.moves if m.key == "chain_liquid_share")
    assert liquid.high == (1.0,) * 5 and liquid.low == pytest.approx((0.35,) * 5) and "clipped to 1" in liquid.notes
    pue = next(m for m in s.moves if m.key == "chain_pue_air")
    assert pue.low == 1.0 and pue.high == pytest.approx(2.1) and "clipped to 1" in pue.notes
    h100 = next(m for m in s.moves if m.key == "chain_share_h100_sxm")
    assert h100.swing == 0 and any("value is 0" in n for n in h100.notes)
    assert s.skipped["chain_includes_inference"] == "a TRUE/FALSE switch"


def test_sensitivity_workbook_has_ranked_table_and_tornado(tmp_path):
    s = A.sensitivity("fig49.a100_total", column="2026E", delta=0.2)
    path = X.write_sensitivity(s, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Sensitivity"]
    rows = sheet_rows(ws)
    assert rows[3][:11] == ["rank", "input", "label", "unit", "base", "low value", "high value",
                            "output at low (万张)", "output at high (万张)", "swing (万张)", "% of base"]
    body = rows[4:4 + len(s.moves)]
    assert [r[1] for r in body] == [m.key for m in s.moves]
    assert body[0][9] == pytest.approx(s.moves[0].swing)
    util = next(r for r in body if r[1] == "train_utilization")
    assert util[4:7] == pytest.approx([0.3, 0.24, 0.36])
    vendors = next(r for r in body if r[1] == "mm_vendors")
    assert vendors[4:7] == [13, 10, 16]                                     # the 2026E column
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert chart.tagname == "barChart" and chart.barDir == "bar" and len(chart.series) == 2
    flat = {(a, b) for a, b, _ in about(path)}
    assert ("output", "fig49.a100_total") in flat and ("column", "2026E") in flat and ("delta", "±0.2") in flat


# ---------------------------------------------------------------------------- Monte Carlo
DISTS = {"train_utilization": Triangular(0.2, 0.3, 0.45), "chain_share_h100_sxm": Uniform(0, 0.5),
         "mm_dau": Uniform(0.8, 1.2, factor=True), "chain_kw_per_server": Normal(6.5, 0.5)}


def test_montecarlo_is_reproducible_with_a_seed():
    a = A.montecarlo(None, DISTS, n=20_000, seed=42)
    b = A.montecarlo(None, DISTS, n=20_000, seed=42)
    c = A.montecarlo(None, DISTS, n=20_000, seed=43)
    assert a.seed == 42 and a.output.name == "chain.water_m3"
    for sa, sb, _sc in zip(a.stats, b.stats, c.stats, strict=True):
        assert (sa.p5, sa.p50, sa.p95, sa.mean) == (sb.p5, sb.p50, sb.p95, sb.mean)
    assert a.row("cards").p50 != c.row("cards").p50
    assert np.array_equal(a.output_values, b.output_values)


def test_montecarlo_without_a_seed_reports_the_one_it_used():
    first = {"train_utilization": DISTS["train_utilization"]}
    a = A.montecarlo(None, first, n=1000)
    b = A.montecarlo(None, first, n=1000, seed=a.seed)
    assert np.array_equal(a.output_values, b.output_values)


def test_montecarlo_percentiles_of_a_linear_row_match_the_analytic_quantiles():
    # HBM value = HBM GB × price per GB: uniform(5, 15) USD/GB gives quantiles GB × (5 + 10 q)
    mc = A.montecarlo("chain.hbm_value", {"chain_hbm_usd_per_gb": Uniform(5, 15)}, n=400_000, seed=3)
    base = tables.table("chain")
    s = mc.row("hbm_value")
    assert s.varies
    for j in range(5):
        per_usd = base.value("hbm_value", j) / 10                    # the report's price is 10 USD/GB
        for q, got in ((0.05, s.p5[j]), (0.5, s.p50[j]), (0.95, s.p95[j])):
            assert got == pytest.approx(per_usd * (5 + 10 * q), rel=2e-3)
        assert s.mean[j] == pytest.approx(per_usd * 10, rel=2e-3)
    cards = mc.row("cards")                                          # not reached by the draws: one value
    assert not cards.varies and cards.p5 == cards.p95 == base.values("cards")
    assert mc.row("optics_capex").needs == ("chain_usd_per_optical_module",)
    counts, edges = mc.histogram
    assert counts.sum() == 400_000 and edges[0] >= mc.output_values.min() - 1e-9
    assert np.std(counts) / np.mean(counts) < 0.05                   # a flat histogram


def test_montecarlo_triangular_and_scaled_draws():
    mc = A.montecarlo(None, {"train_utilization": Triangular(0.2, 0.3, 0.4), "mm_dau": Uniform(0.5, 1.5, factor=True)},
                      n=50_000, seed=5, exhibit="fig49")
    assert mc.draws["train_utilization"].min() >= 0.2 and mc.draws["train_utilization"].max() <= 0.4
    assert np.median(mc.draws["train_utilization"]) == pytest.approx(0.3, abs=0.005)
    assert mc.unused == ("mm_dau",)                                  # fig49 is training only
    # the exhibit on the draws equals the engine on a few draws, one by one
    i = 17
    expected = point("fig49.a100_total", {"train_utilization": float(mc.draws["train_utilization"][i])}, 4)
    assert mc.output.name == "fig49.a100_increment"                # the last row the draws reach
    t = tables.table("fig49", scenarios.load("csc-2023").with_values(
        {"train_utilization": mc.draws["train_utilization"]}))
    assert t.value("a100_total", 4)[i] == pytest.approx(expected, rel=1e-12)


def test_montecarlo_clips_a_normal_tail_and_counts_it():
    mc = A.montecarlo("chain.pue", {"chain_liquid_share": Normal(0.7, 0.1)}, n=100_000, seed=11)
    assert 50 < mc.clipped["chain_liquid_share"] < 300                # P(z > 3) ≈ 0.135%
    pue = mc.row("pue")
    assert max(pue.p95) <= 1.4 and min(pue.p5) >= 1.2


def test_montecarlo_workbook_shape(tmp_path):
    mc = A.montecarlo(None, DISTS, n=10_000, seed=1)
    path = X.write_montecarlo(mc, tmp_path / "mc.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Percentiles", "Histogram", "About"]
    rows = sheet_rows(wb["Percentiles"])
    assert rows[3] == ["row", "label", "unit", "statistic", "2023E", "2024E", "2025E", "2026E", "2027E"]
    body = [r for r in rows[4:] if r[0]]
    numeric = [row for row in exhibits.get("chain").rows if row.unit != "text"]
    assert len(body) == sum(4 if mc.row(r.key).varies else 1 for r in numeric)
    cards = [r for r in body if r[0] == "cards"]
    assert [r[3] for r in cards] == ["P5", "P50", "P95", "mean"]
    assert cards[1][4:] == pytest.approx(mc.row("cards").p50)
    assert [r[3] for r in body if r[0] == "pue"] == ["value (not drawn)"]
    assert [r[3] for r in body if r[0] == "switch_capex"] == ["needs chain_usd_per_switch"]
    hist = sheet_rows(wb["Histogram"])
    counts = [r[3] for r in hist[4:] if r[3] is not None]
    assert len(counts) == 50 and sum(counts) == 10_000
    assert len(wb["Histogram"]._charts) == 1 and wb["Histogram"]._charts[0].tagname == "barChart"
    flat = {(a, b) for a, b, _ in about(path)}
    assert ("seed", "1") in flat and ("draws (n)", "10,000") in flat and ("exhibit", "chain") in flat
    assert ("distribution", "mm_dau*=uniform(0.8,1.2)") in flat
    assert ("distribution", "train_utilization=triangular(0.2,0.3,0.45)") in flat


# ---------------------------------------------------------------------------- the command line
def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_sweep_sensitivity_montecarlo_write_workbooks(tmp_path, capsys):
    f = tmp_path / "sweep.xlsx"
    code, out, err = run(capsys, "sweep", "--set", "train_utilization=0.2:0.4:0.1", "--set", "chain_share_h100_sxm=0:1:0.5",
                         "--row", "chain.cards", "--out", str(f))
    assert code == 0 and err == "" and f"wrote {f}" in out and "9 grid points" in out
    assert len(openpyxl.load_workbook(f)["Sweep"]._charts) == 1
    f = tmp_path / "tornado.xlsx"
    code, out, _ = run(capsys, "sensitivity", "--row", "fig49.a100_total", "--delta", "0.1", "--out", str(f))
    assert code == 0 and "33 scenarios in one pass" in out and f.exists()
    assert out.splitlines()[4].split()[1] in {"train_days", "train_utilization", "a100_fp16_tflops"}
    f = tmp_path / "mc.xlsx"
    argv = ["montecarlo", "--dist", "train_utilization=triangular(0.2,0.3,0.45)",
            "--dist", "chain_kw_per_server=uniform(5,8)", "--n", "5000", "--seed", "9", "--out", str(f)]
    code, first, _ = run(capsys, *argv)
    assert code == 0 and "seed 9" in first and f.exists()
    code, again, _ = run(capsys, *argv)
    assert again == first                                            # same seed, same numbers


BAD = [
    (["sweep", "--set", "nosuch_input=0:1:0.1", "--row", "chain.cards"], "unknown input key 'nosuch_input'"),
    (["sweep", "--set", "fig50_util_applied_twice=0:1:1", "--row", "chain.cards"],
     "fig50_util_applied_twice is a TRUE/FALSE switch"),
    (["sweep", "--set", "train_utilization=0.1:0.5", "--row", "chain.cards"], "START:STOP:STEP"),
    (["sweep", "--set", "train_utilization=0.1:x:0.1", "--row", "chain.cards"], "STOP 'x'"),
    (["sweep", "--set", "train_utilization=0.1:0.5:0", "--row", "chain.cards"], "STEP must be > 0"),
    (["sweep", "--set", "train_utilization=0.1:0.5:-0.1", "--row", "chain.cards"], "STEP must be > 0"),
    (["sweep", "--set", "train_utilization=0.5:0.1:0.1", "--row", "chain.cards"], "STOP must be >= START"),
    (["sweep", "--set", "train_utilization=0.1:1.5:0.1", "--row", "chain.cards"],
     "train_utilization: the sweep 0.1:1.5:0.1 leaves the accepted range at 1.1 (5 of 15 points); "
     "train_utilization must be in (0, 1]"),
    (["sweep", "--set", "chain_gpus_per_server=4:8:0.5", "--row", "chain.cards"], "must be a whole number"),
    (["sweep", "--set", "train_utilization=0.01:1:0.0001", "--set", "infer_utilization=0.01:1:0.0001",
      "--row", "chain.cards"], "at most 1,000,000"),
    (["sweep", "--set", "train_utilization=0:1:0.0000001", "--row", "chain.cards"], "more than 1,000,000 points"),
    (["sweep", "--set", "train_utilization=0.2:0.4:0.1", "--row", "chain.nosuch_row"],
     "unknown row of chain 'nosuch_row'"),
    (["sweep", "--set", "train_utilization=0.2:0.4:0.1", "--row", "fig999.cards"], "unknown exhibit 'fig999'"),
    (["sweep", "--set", "train_utilization=0.2:0.4:0.1", "--row", "chain"], "--row takes EXHIBIT.ROW"),
    (["sweep", "--set", "train_utilization=0.2:0.4:0.1"], "sweep needs --row"),
    (["sweep", "--row", "chain.cards"], "at least one --set"),
    (["sweep", "--set", "train_utilization=0.2:0.4:0.1", "--set", "train_utilization=0.3", "--row", "chain.cards"],
     "train_utilization is set twice"),
    (["sweep", "--set", "train_utilization=0.2:0.4:0.1", "--row", "chain.optics_capex"],
     "chain.optics_capex needs chain_usd_per_optical_module"),
    (["sweep", "--set", "train_utilization=0.2:0.4:0.1", "--row", "chain.cards", "--scenario", "nosuch"],
     "unknown scenario 'nosuch'"),
    (["sensitivity", "--row", "chain.nosuch_row"], "unknown row of chain 'nosuch_row'"),
    (["sensitivity", "--row", "chain.cards", "--delta", "0"], "--delta must be a number in (0, 1)"),
    (["sensitivity", "--row", "chain.cards", "--delta", "abc"], "--delta must be a number in (0, 1)"),
    (["sensitivity", "--row", "chain.cards", "--column", "2031E"], "unknown column '2031E'"),
    (["sensitivity", "--row", "chain.cards", "--set", "train_utilization=30"],
     "train_utilization must be in (0, 1]"),
    (["montecarlo", "--dist", "nosuch_input=uniform(0,1)"], "unknown input key 'nosuch_input'"),
    (["montecarlo", "--dist", "fig50_util_applied_twice=uniform(0,1)"], "is a TRUE/FALSE switch"),
    (["montecarlo", "--dist", "train_utilization=beta(1,2)"], "unknown distribution 'beta'"),
    (["montecarlo", "--dist", "train_utilization=uniform(0.2)"], "uniform takes 2 numbers (LOW,HIGH)"),
    (["montecarlo", "--dist", "train_utilization=uniform[0.2,0.3]"], "--dist takes KEY=triangular(LOW,MODE,HIGH)"),
    (["montecarlo", "--dist", "train_utilization=uniform(0.2,abc)"],
     "HIGH of uniform(0.2,abc) must be a finite number"),
    (["montecarlo", "--dist", "train_utilization=uniform(0.4,0.2)"], "uniform needs LOW < HIGH"),
    (["montecarlo", "--dist", "train_utilization=triangular(0.4,0.3,0.2)"], "triangular needs LOW <= MODE <= HIGH"),
    (["montecarlo", "--dist", "train_utilization=normal(0.3,0)"], "normal needs SD > 0"),
    (["montecarlo", "--dist", "train_utilization=uniform(0.2,0.4)", "--n", "0"], "--n must be a whole number in [1, "),
    (["montecarlo", "--dist", "train_utilization=uniform(0.2,0.4)", "--n", "2.5"], "--n must be a whole number"),
    (["montecarlo", "--dist", "train_utilization=uniform(0.2,0.4)", "--n", "2000000"], "--n must be a whole number"),
    (["montecarlo", "--dist", "train_utilization=uniform(0.2,0.4)", "--seed", "-3"], "--seed must be a whole number"),
    (["montecarlo", "--dist", "train_utilization=uniform(0.5,1.5)", "--seed", "1"],
     "train_utilization: 49,"),                                   # about half the draws fall above 1
    (["montecarlo", "--dist", "train_utilization=normal(0.9,0.1)", "--seed", "1"],
     "fall outside the accepted range (train_utilization must be in (0, 1]) (normal draws are clipped"),
    (["montecarlo", "--dist", "train_utilization=uniform(0.2,0.4)", "--dist", "train_utilization=uniform(0.2,0.3)"],
     "train_utilization has two distributions"),
    (["montecarlo", "--dist", "train_utilization=uniform(0.2,0.4)", "--row", "chain.nosuch_row"],
     "unknown row of chain 'nosuch_row'"),
    (["montecarlo", "--dist", "train_utilization=uniform(0.2,0.4)", "--row", "chain.pue"],
     "chain.pue at 2027E does not depend on train_utilization"),
    (["montecarlo"], "needs at least one --dist"),
]


@pytest.mark.parametrize("argv, message", BAD, ids=[" ".join(a)[:60] for a, _ in BAD])
def test_bad_requests_exit_2_with_one_line_and_write_nothing(tmp_path, capsys, argv, message):
    target = tmp_path / "out" / "result.xlsx"
    code, out, err = run(capsys, *argv, "--out", str(target))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("suanli: ") and message in lines[0], err
    assert not target.exists() and not list(tmp_path.rglob("*.xlsx")) and not list(tmp_path.rglob("*.part"))


def test_out_must_be_an_xlsx_file(tmp_path, capsys):
    code, out, err = run(capsys, "sweep", "--set", "train_utilization=0.2:0.4:0.1", "--row", "chain.cards",
                         "--out", str(tmp_path / "x.csv"))
    assert code == 2 and "--out must be a file name ending in .xlsx" in err and not list(tmp_path.iterdir())
    code, out, err = run(capsys, "sweep", "--set", "train_utilization=0.2:0.4:0.1", "--row", "chain.cards",
                         "--out", str(tmp_path / "folder.xlsx"))
    assert code == 0
    (tmp_path / "dir.xlsx").mkdir()
    code, _, err = run(capsys, "sensitivity", "--row", "chain.cards", "--out", str(tmp_path / "dir.xlsx"))
    assert code == 2 and "is a folder" in err


def test_analyses_agree_with_the_engine_on_every_column_of_a_random_grid_point():
    r = A.sweep("chain.a100_eq", {"infer_utilization": Range(0.1, 0.9, 0.2), "train_days": Range(5, 30, 5)})
    rng = np.random.default_rng(0)
    for i in rng.choice(r.points, 4, replace=False):
        values = {"infer_utilization": float(r.grid[i, 0]), "train_days": float(r.grid[i, 1])}
        sc = scenarios.load("csc-2023-corrected").with_values(values)
        res = evaluate(exhibits.get("chain"), sc, exhibits.get)
        for j in range(5):
            assert r.values[i, j] == pytest.approx(res.display("a100_eq", j), rel=1e-12)
    assert not np.isnan(r.values).any()


# ---------------------------------------------------------------------------- the command line over the library
def test_the_command_line_turns_its_text_into_the_librarys_values():
    from suanli.parsing import cli_message, parse_count, parse_distribution, parse_range

    assert parse_range("train_utilization", "0.2:0.5:0.05") == Range(0.2, 0.5, 0.05)
    assert parse_distribution("mm_dau*=uniform(0.8,1.2)") == ("mm_dau", Uniform(0.8, 1.2, factor=True))
    assert parse_distribution(" train_utilization = triangular(0.2, 0.3, 0.45) ") == \
        ("train_utilization", Triangular(0.2, 0.3, 0.45))
    assert parse_distribution("x=NORMAL(1,2)") == ("x", Normal(1, 2))
    assert parse_count("100_000", "--n", 1, 10 ** 6, "draws") == 100_000
    assert parse_count("1e3", "--n", 1, 10 ** 6, "draws") == 1000
    # the library names its parameter; the command says the flag, and the remedy in flags
    with pytest.raises(A.AnalysisError) as info:
        A.sensitivity("chain.cards", delta=2)
    assert info.value.message.startswith("delta must be a number in (0, 1)")
    assert cli_message(info.value, {"delta": "--delta"}).startswith("--delta must be a number in (0, 1)")
    assert cli_message(info.value, {}) == info.value.message
    with pytest.raises(A.AnalysisError) as info:
        A.sweep("chain.optics_capex", {"train_utilization": [0.3]})
    assert info.value.message.endswith("supply it in overrides ({'chain_usd_per_optical_module': VALUE})")
    assert cli_message(info.value, {}) == ("chain.optics_capex needs chain_usd_per_optical_module, which the report "
                                           "does not give: supply it with --set chain_usd_per_optical_module=VALUE")


def test_library_and_command_line_compute_the_same_sweep(tmp_path, capsys):
    r = A.sweep("fig49.a100_total", {"train_utilization": [0.2, 0.4, 0.6]})
    code, out, _ = run(capsys, "sweep", "--set", "train_utilization=0.2:0.6:0.2", "--row", "fig49.a100_total",
                       "--out", str(tmp_path / "s.xlsx"))
    assert code == 0 and f"from {r.values[:, 4].min():,.6g} to {r.values[:, 4].max():,.6g} 万张" in out
    rows = sheet_rows(openpyxl.load_workbook(tmp_path / "s.xlsx")["Sweep"])[4:7]
    assert np.allclose(np.array([row[1:6] for row in rows], dtype=float), r.values, rtol=1e-12)
