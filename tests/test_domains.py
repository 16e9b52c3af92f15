"""Every accepted input computes or says why: a value inside an input's declared bounds gives finite
numbers, a cell's own spreadsheet error (#DIV/0!, #NUM!) with its reason, or one refusal naming the
input, in every path a value reaches the engine by (table in every format, refresh, batch, sweep,
sensitivity, Monte Carlo)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from xlsxwriter.utility import xl_rowcol_to_cell

import suanli
from engine import exhibits, growth, scenarios
from engine.cellvalue import DIV0, NUM, ErrorValue, Number
from engine.errors import SuanliError
from engine.exhibit import NumericResolver
from engine.model import unchecked
from engine.ops import ceil, maximum, round_half_up, where
from engine.tables import table
from workbook_templates import build, groups

from hostile import fixtures as fx


def cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "suanli.cli", *argv], capture_output=True, text=True, timeout=300)


def strict_json(text: str):
    """JSON as RFC 8259 has it: NaN and Infinity are not numbers there."""
    def refuse(name):
        raise AssertionError(f"{name} is not JSON")
    return json.loads(text, parse_constant=refuse)


# ------------------------------------------------------------------ spreadsheet arithmetic
def test_numbers_compute_as_a_spreadsheet_does():
    assert isinstance(Number(6) / 3, Number) and Number(6) / 3 == 2
    assert Number(-8) ** (1 / 3) == -2 and Number(-32) ** 0.2 == -2          # odd roots, as spreadsheets take them
    for value, excel in ((Number(1) / 0, DIV0), (Number(0) / 0, DIV0), (Number(0) ** -1, DIV0), (1 / Number(0), DIV0),
                         (Number(1e308) * 10, NUM), (Number(10) ** 400, NUM), (Number(-8) ** 0.25, NUM),
                         (Number(-8) ** 0.333, NUM)):
        assert isinstance(value, ErrorValue) and value.excel == excel, (value, excel)
    error = Number(1) / 0
    assert error + 1 is error and 1 - error is error and error * Number(2) is error and -error is error
    assert ceil(error) is error and round_half_up(error, 2) is error and maximum(3, error) is error
    assert (error > 1) is error and where(error > 1, 1, 2) is error
    assert where(False, error, Number(2)) == 2 and where(True, Number(1), error) == 1     # IF takes one branch


def test_a_model_says_what_its_division_by_zero_means():
    with unchecked():
        error = growth.cagr(Number(0), Number(10), Number(4))
        assert error.excel == DIV0 and error.why == "CAGR from a zero start is undefined"
        assert growth.yoy(Number(5), Number(0)).why == "growth from a zero base is undefined"
        passed_on = ErrorValue(NUM, "from elsewhere")
        assert growth.cagr(passed_on, Number(10), Number(4)) is passed_on    # an error it reads is not its own


def test_a_switched_off_branch_is_no_error():
    """IF(cagr_training_uses_ordinary_row, ordinary CAGR, total CAGR): with no ordinary LLMs the ordinary
    CAGR is #DIV/0!, and the total's is shown once the switch picks it, as in the workbook."""
    on = table("cagr", overrides={"std_vendors": 0})
    off = table("cagr", overrides={"std_vendors": 0, "cagr_training_uses_ordinary_row": False})
    assert on.value("train_cagr", 0) is None and on.error("train_cagr", 0).excel == DIV0
    start, end = off.value("train_start", 0), off.value("train_end", 0)
    assert off.error("train_cagr", 0) is None
    assert off.value("train_cagr", 0) == pytest.approx(((end / start) ** (1 / 4) - 1) * 100, rel=1e-12)


# ------------------------------------------------------------------ the issue's reproductions, as a user runs them
@pytest.mark.parametrize("argv, shown", [
    (["table", "cagr", "--set", "std_vendors=0"],
     ["#DIV/0!", "train_cagr value: #DIV/0! CAGR from a zero start is undefined (with std_vendors=0)"]),
    (["table", "chain", "--set", "chain_nic_gbps=1e308"],
     ["#NUM!", "optical_modules 2023E-2027E: #NUM! reads chain_mix modules_per_gpu a100_sxm, where a number "
               "beyond ±1.8e308, the largest a spreadsheet holds (with chain_nic_gbps=1e308)"]),
    (["table", "fig8", "--set", "mm_vendors=1e308"], ["#NUM!", "(with mm_vendors=1e308)"]),
    (["table", "cagr", "--set", "cagr_periods=1e-300"], ["#NUM!", "(with cagr_periods=1e-300)"]),
    (["table", "s001_china_market", "--set", "s001_china_units_2022=5e-324"],
     ["#NUM!", "(with s001_china_units_2022=4.94066e-324)"]),
    (["table", "fig7", "--set", "market_global_actual_usd=0"],
     ["#DIV/0!", "growth 2023E: #DIV/0! growth from a zero base is undefined (with market_global_actual_usd=0)"]),
])
def test_the_crashes_of_the_issue_are_cells_with_their_error(argv, shown):
    run = cli(*argv)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    for text in shown:
        assert text in run.stdout, (text, run.stdout)


def test_json_is_always_valid_json_with_the_reason_beside_a_null():
    run = cli("table", "chain", "--set", "chain_gpu_cost_share=5e-324", "--format", "json")
    assert run.returncode == 0, run.stderr
    data = strict_json(run.stdout)
    row = next(r for r in data["rows"] if r["key"] == "server_market")
    assert row["values"] == [None] * 5
    assert row["errors"][0].startswith("#NUM! a number beyond ±1.8e308")
    assert "chain_gpu_cost_share=4.94066e-324" in row["errors"][0]
    assert "errors" not in next(r for r in data["rows"] if r["key"] == "cards")


def test_every_format_shows_the_error():
    t = table("cagr", overrides={"std_vendors": 0})
    from suanli.cli import render_table
    assert ",#DIV/0!" in render_table(t, "csv")
    md = render_table(t, "md")
    assert "| #DIV/0! |" in md and "- train_cagr value: #DIV/0! CAGR from a zero start" in md
    assert strict_json(render_table(t, "json"))["rows"][4]["values"] == [None]
    assert math.isnan(t.to_frame().loc["train_cagr", "value"])          # a DataFrame's missing value


# ------------------------------------------------------------------ every input at the edges of its bounds
def _edges(dom) -> list[float]:
    """0 where allowed, the bounds, the bound's next float for an open one, tiny and huge values."""
    if dom.switch:
        return [0.0, 1.0]
    found = [0.0, 1.0, 2.0, dom.low, dom.high, 5e-324, 1e-300, 1e308]
    if dom.low_open:
        found.append(float(np.nextafter(dom.low, math.inf)))
    if dom.high_open:
        found.append(float(np.nextafter(dom.high, -math.inf)))
    return sorted({v for v in found if math.isfinite(v) and dom.contains(v)})


def _blocks(base: scenarios.Scenario, keys) -> tuple[list[tuple[str, float]], dict[str, object]]:
    """One scenario axis holding every edge of every key, one key changed per element: the points and
    the changes (each input an array: its base value, and its edges in its own block)."""
    schema = scenarios.schema()
    points = [(k, v) for k in keys for v in _edges(schema[k].domain)]
    n = len(points)
    changes = {}
    for key in schema:
        value = base.values[key]
        columns = value if isinstance(value, tuple) else (value,)
        if any(v is None for v in columns):
            continue
        arrays = [np.full(n, float(v)) for v in columns]
        for i, (k, v) in enumerate(points):
            if k == key:
                for a in arrays:
                    a[i] = v
        changes[key] = arrays if isinstance(value, tuple) else arrays[0]
    return points, changes


def _supplied(base: scenarios.Scenario) -> scenarios.Scenario:
    """The scenario with a value for every input the reports give none (their cells then compute)."""
    values = {}
    for key, spec in scenarios.schema().items():
        value = base.values[key]
        if any(v is None for v in (value if isinstance(value, tuple) else (value,))):
            dom = spec.domain
            values[key] = dom.low if dom.contains(dom.low) else 1.0
    return base.with_values(values)


def _readers(base: scenarios.Scenario, ids) -> dict[str, list[str]]:
    readers = defaultdict(list)
    for ex_id in ids:
        tracing = scenarios.Tracing(base)
        NumericResolver(tracing, exhibits.get).run(exhibits.get(ex_id))
        for key in tracing.seen:
            readers[key].append(ex_id)
    return readers


EDGE_VALUES_MAY_LOOK_LIKE_SLIPS = pytest.mark.filterwarnings("ignore::engine.errors.SuanliWarning")


@EDGE_VALUES_MAY_LOOK_LIKE_SLIPS
@pytest.mark.parametrize("scenario", ["csc-2023", "ai-server-2023", "csc-2023-corrected", "supplied"])
def test_every_input_at_the_edges_of_its_bounds_computes_or_says_why(scenario):
    """Vectorised: every input at every edge of its bounds is one element of one scenario axis, and every
    exhibit is evaluated on it in one pass; each cell element is finite or marked as its cell's error.
    Then each point whose axis shows an error is computed on its own (the exhibits that read its input):
    the same cells are errors, each error that arises there names the input, and the JSON holds."""
    base = _supplied(scenarios.load("csc-2023")) if scenario == "supplied" else scenarios.load(scenario)
    name = base.name
    ids = [e.id for e in exhibits.all_exhibits() if e.default_scenario == name or scenario == "csc-2023-corrected"
           and e.default_scenario == "csc-2023"]
    schema = scenarios.schema()
    keys = [k for k in schema if all(v is not None for v in (base.values[k] if isinstance(base.values[k], tuple)
                                                             else (base.values[k],)))]
    # a share of the chain on an accelerator with a figure nobody published is refused as a whole (no throughput:
    # one line naming the share, tests/test_chain_mix.py) or waits for that figure (price, kW), in every element
    # of the axis at once: those shares are not moved here
    chips = scenarios.axes()["chain_chips"]
    unpublished = {chip for key in ("chain_fp16_tflops", "chain_usd_per_card", "chain_kw_per_server",
                                    "chain_hbm_gb_per_card") for chip, v in zip(chips, base.values[key], strict=True)
                   if v is None}
    keys = [k for k in keys if k.removeprefix("chain_share_") not in unpublished]
    points, changes = _blocks(base, keys)
    axis = NumericResolver(base.with_values(changes), exhibits.get)
    for ex_id in ids:
        axis.run(exhibits.get(ex_id))
    bad_points: set[int] = set()
    for ex_id in ids:
        result = axis.results[ex_id]
        for key, cells in result.values.items():
            for j, v in enumerate(cells):
                error = result.error(key, j)
                if isinstance(v, np.ndarray) and v.dtype.kind == "f":
                    missing = ~np.isfinite(v)
                    if missing.any():
                        assert error is not None and error.mask is not None and (error.mask == missing).all(), \
                            (ex_id, key, j)
                        bad_points |= set(np.flatnonzero(missing).tolist())
                elif isinstance(v, float) and not math.isfinite(v):
                    assert error is not None, (ex_id, key, j)
    assert len(points) > 1000 and bad_points
    readers = _readers(base, ids)
    for i in sorted(bad_points):
        key, value = points[i]
        single = NumericResolver(base.with_values({key: value}), exhibits.get)
        for ex_id in readers[key]:
            try:
                result = single.run(exhibits.get(ex_id))
            except SuanliError as exc:                   # a refusal must name the input
                assert str(exc.name).split("[")[0] == key, (key, value, ex_id, exc)
                continue
            on_axis = axis.results[ex_id]
            for (row, _), error in result.errors.items():
                assert error.origin or f"{key}=" in ", ".join(error.inputs), (key, value, ex_id, row, str(error))
            for row, cells in result.values.items():
                for j in range(len(cells)):
                    axis_error = on_axis.error(row, j)
                    assert (result.error(row, j) is not None) == (axis_error is not None and bool(
                        axis_error.mask is None or axis_error.mask[i])), (key, value, ex_id, row, j)
            if result.errors:
                tbl = suanli.Table(exhibits.get(ex_id), result, single.scenario)
                json.dumps(tbl.to_dict(), allow_nan=False)


@EDGE_VALUES_MAY_LOOK_LIKE_SLIPS
def test_the_inputs_that_crashed_at_zero_compute_at_zero():
    """Every input whose declared range includes 0, at 0 (each alone), in every exhibit that reads it."""
    base = scenarios.load("csc-2023")
    ids = [e.id for e in exhibits.all_exhibits() if e.default_scenario == "csc-2023"]
    readers = _readers(base, ids)
    zero = [k for k, s in scenarios.schema().items() if s.domain.contains(0) and not s.is_switch]
    assert len(zero) > 150
    errors = 0
    for key in zero:
        single = NumericResolver(base.with_values({key: 0}), exhibits.get)
        for ex_id in readers[key]:
            result = single.run(exhibits.get(ex_id))
            for row, cells in result.values.items():
                for j, v in enumerate(cells):
                    assert not isinstance(v, float) or math.isfinite(v) or result.error(row, j), (key, ex_id, row)
            errors += len(result.errors)
            for error in result.errors.values():
                assert error.excel in (DIV0, NUM) and (error.origin or f"{key}=0" in error.inputs)
    assert errors


# ------------------------------------------------------------------ the analyses
# The analyses start from csc-2023-corrected, whose training CAGR is fig49's total; these go through zero
# with the report's printed CAGR (E05: the ordinary-LLM row, which std_vendors=0 zeroes), as printed.
PRINTED = "csc-2023"


def test_a_sweep_through_zero_notes_the_point_and_refuses_when_no_point_has_a_number():
    r = suanli.sweep("cagr.train_cagr", {"std_vendors": [0, 10, 20]}, scenario=PRINTED)
    assert np.isnan(r.values[0, 0]) and np.isfinite(r.values[1:, 0]).all()
    assert r.notes() == ["cagr.train_cagr at value has no number at 1 of 3 grid points: #DIV/0! CAGR from a zero "
                         "start is undefined (with std_vendors=0)"]
    with pytest.raises(suanli.AnalysisError) as info:
        suanli.sweep("cagr.train_cagr", {"std_vendors": [0]}, scenario=PRINTED)
    assert info.value.name == "std_vendors"
    assert str(info.value) == ("cagr.train_cagr has no number at any grid point: #DIV/0! CAGR from a zero start is "
                               "undefined (with std_vendors=0)")


def test_sensitivity_from_a_zero_refuses_naming_the_input_and_notes_moves_with_no_number():
    with pytest.raises(suanli.AnalysisError) as info:
        suanli.sensitivity("cagr.train_cagr", overrides={"std_vendors": 0}, scenario=PRINTED)
    assert info.value.name == "std_vendors" and "#DIV/0! CAGR from a zero start is undefined" in str(info.value)
    s = suanli.sensitivity("fig8.growth", delta=0.5, overrides={"market_china_share": [0.3, 0.0001, 0.35]})
    assert s.to_frame().notna().any().any()


def test_montecarlo_leaves_draws_with_no_number_out_and_says_how_many():
    mc = suanli.montecarlo("cagr.train_cagr", {"std_vendors": suanli.Uniform(0, 3)}, n=2000, seed=3, scenario=PRINTED)
    assert np.isnan(mc.output_values).sum() == mc.no_numbers[0].count > 0
    assert all(v is not None and math.isfinite(v) for v in mc.row("train_cagr").p50)
    assert mc.notes()[0].startswith("cagr.train_cagr at value has no number at ")
    assert mc.notes()[0].endswith("draws: #DIV/0! CAGR from a zero start is undefined (with std_vendors=0)")
    with pytest.raises(suanli.AnalysisError) as info:
        suanli.montecarlo("cagr.train_cagr", {"train_utilization": suanli.Uniform(0.2, 0.4)}, n=100, seed=1,
                          overrides={"std_vendors": 0}, scenario=PRINTED)
    assert info.value.name == "std_vendors" and "has no number on any draw" in str(info.value)


@pytest.mark.parametrize("argv, message", [
    (["sweep", "--set", "std_vendors=0:0:1", "--row", "cagr.train_cagr"],
     "suanli: cagr.train_cagr has no number at any grid point: #DIV/0! CAGR from a zero start is undefined "
     "(with std_vendors=0)"),
    (["sensitivity", "--set", "std_vendors=0", "--row", "cagr.train_cagr"],
     "suanli: cagr.train_cagr at value has no number in the scenario to move inputs from: #DIV/0! CAGR from a "
     "zero start is undefined (with std_vendors=0)"),
    (["montecarlo", "--set", "std_vendors=0", "--dist", "train_utilization=uniform(0.2,0.4)", "--n", "100",
      "--seed", "1", "--row", "cagr.train_cagr"],
     "suanli: cagr.train_cagr at value has no number on any draw: #DIV/0! CAGR from a zero start is undefined "
     "(with std_vendors=0)"),
])
def test_the_analysis_commands_at_zero_say_why_in_one_line(tmp_path, argv, message):
    run = cli(*argv, "--scenario", PRINTED, "--out", str(tmp_path / "a.xlsx"))
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == message + "\n"
    assert not list(tmp_path.iterdir())


def test_the_sweep_command_notes_a_point_with_no_number(tmp_path):
    run = cli("sweep", "--set", "std_vendors=0:20:10", "--row", "cagr.train_cagr", "--scenario", PRINTED,
              "--out", str(tmp_path / "s.xlsx"))
    assert run.returncode == 0, run.stderr
    assert ("note: cagr.train_cagr at value has no number at 1 of 3 grid points: #DIV/0! CAGR from a zero start is "
            "undefined (with std_vendors=0)") in run.stdout


# ------------------------------------------------------------------ refresh and batch
def _set_input(src: Path, dst: Path, key: str, value: float) -> Path:
    """``src`` with every column of input ``key`` set to ``value`` on its Inputs sheet."""
    group = groups.group("demand")
    row, col, width = build.plan(group, scenarios.load(group.scenario)).input_layout.places[key]
    current = src
    for j in range(width):
        step = dst.with_name(f"{dst.stem}.{j}{dst.suffix}")
        fx.set_cell(current, step, "Inputs", xl_rowcol_to_cell(row, col + j), "number", value)
        current = step
    return Path(shutil.move(current, dst))


def _errors_cached(path: Path) -> dict[tuple[str, str], str]:
    """Every cell cached as an error value, by (sheet part, cell)."""
    import re
    out = {}
    with zipfile.ZipFile(path) as zf:
        for member in zf.namelist():
            if member.startswith("xl/worksheets/sheet"):
                xml = zf.read(member).decode()
                for m in re.finditer(r'<c r="([A-Z]+\d+)"[^>]*\bt="e"[^>]*>.*?<v>([^<]*)</v>', xml):
                    out[(member, m.group(1))] = m.group(2)
    return out


@pytest.fixture(scope="module")
def demand_book(tmp_path_factory) -> Path:
    return build.build_workbook(groups.group("demand"), tmp_path_factory.mktemp("built") / "demand.xlsx")


def test_refresh_caches_the_error_the_formula_shows(demand_book, tmp_path):
    book = _set_input(demand_book, tmp_path / "demand.xlsx", "std_vendors", 0)
    run = cli("refresh", str(book))
    assert run.returncode == 0 and "1 input differs from it (std_vendors)" in run.stdout, run.stderr
    errors = _errors_cached(book)
    assert set(errors.values()) == {"#DIV/0!"} and len(errors) == 1
    expected = build.cached_results(build.plan(groups.group("demand"), scenarios.load(
        "csc-2023", {"std_vendors": 0})))["cagr"]
    (ref,) = {r for r, (v, key, _) in expected.items() if key == "train_cagr" and v == math.inf}   # #DIV/0!
    assert [cell for (_, cell) in errors] == [ref]


def test_refresh_refuses_a_bound_tightened_naming_the_key(tmp_path):
    group = groups.group("chain")
    book = build.build_workbook(group, tmp_path / "chain.xlsx")
    row, col, _ = build.plan(group, scenarios.load(group.scenario)).input_layout.places["chain_switch_radix"]
    fx.set_cell(book, tmp_path / "edited.xlsx", "Inputs", xl_rowcol_to_cell(row, col), "number", 1)
    run = cli("refresh", str(tmp_path / "edited.xlsx"))
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert "input chain_switch_radix (a100_sxm) at Inputs!" in run.stderr and "must be an even whole number >= 2, got 1" \
        in run.stderr


def test_batch_writes_a_row_at_zero_with_its_error_cell_and_refuses_a_bad_bound_by_row_and_key(tmp_path):
    csv = tmp_path / "rows.csv"
    csv.write_text("name,std_vendors,train_utilization\nzero vendors,0,\nfine,,0.35\n", encoding="utf-8")
    run = cli("batch", str(csv), "--out", str(tmp_path / "out"), "--template", "demand", "--jobs", "1",
              "--scenario", PRINTED)
    assert run.returncode == 0, run.stderr
    errors = _errors_cached(tmp_path / "out" / "zero_vendors.xlsx")
    assert set(errors.values()) == {"#DIV/0!"}
    assert not _errors_cached(tmp_path / "out" / "fine.xlsx")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,chain_switch_radix\none port,1\n", encoding="utf-8")
    run = cli("batch", str(bad), "--out", str(tmp_path / "out2"), "--jobs", "1")
    assert run.returncode == 1
    assert "row 2: chain_switch_radix must be an even whole number >= 2, got 1" in run.stderr


@pytest.mark.libreoffice
def test_the_engines_error_cells_are_libreoffices(tmp_path):
    """LibreOffice recalculates workbooks whose inputs make cells divide by zero or overflow: every cell of
    the exhibits' rows equals the engine's (numbers to 1e-9, error values exactly)."""
    from suanli import libreoffice

    cases = [("demand", {"std_vendors": 0, "mm_dau": [0, 5e7, 1e8, 2e8, 4e8]}),
             ("demand", {"std_vendors": 0, "cagr_training_uses_ordinary_row": False, "zero_dp_degree": 5e-324}),
             ("servers", {"market_global_actual_usd": [0, 2.02e10], "market_usd_per_a100": 0}),
             ("chain", {"chain_gpu_cost_share": 1e-300, "chain_nic_gbps": 1e308}),
             ("ai_server_2023", {"s001_ai_server_periods": 1e-300, "s001_gpt35_gpus": 0}),
             # the real fifth root of a negative number, and another fractional power of one (#NUM!)
             ("ai_server_2023", {"s001_china_units_2022": 1, "s001_china_periods": 4.5}),
             ("ai_server_2023", {"s001_china_units_2022": 1}),
             ("passages", {"cooling_new_racks": 0, "natick_racks": 0, "pkg_ap_share": [0.39, 0.44, 1],
                           "aiinv_cagr_periods": 1e308})]
    books, rows = [], []
    for i, (name, edits) in enumerate(cases):
        group = groups.group(name)
        sc = scenarios.load(group.scenario).with_values(edits)
        books.append(build.build_workbook(group, tmp_path / f"{i}_{name}.xlsx", sc))
        rows.append(_row_cells(build.plan(group, sc)))
    done = libreoffice.recalculate(books, tmp_path / "lo")
    seen_errors = set()
    for engine_book, lo_book, cells in zip(books, done, rows, strict=True):
        want, got = libreoffice.read_values(engine_book), libreoffice.read_values(lo_book)
        for sheet, refs in cells.items():
            for ref in refs:
                a, b = want[sheet].get(ref), got[sheet].get(ref)
                if isinstance(a, str) and a.startswith("#"):
                    seen_errors.add(a)
                if isinstance(a, float) and isinstance(b, (int, float)):
                    assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), (engine_book.name, sheet, ref, a, b)
                else:
                    assert a == b, (engine_book.name, sheet, ref, a, b)
    assert seen_errors == {"#DIV/0!", "#NUM!"}


def _row_cells(p: build.Plan) -> dict[str, list[str]]:
    """The formula cells of the exhibits' rows, by sheet (the printed-value checks beside them left out)."""
    resolver = build.formulas(p)
    return {p.layouts[ex_id].sheet: [xl_rowcol_to_cell(r, c) for _, _, r, c, _, _ in
                                     build.formula_cells(p, ex_id, resolver)] for ex_id in p.order}


def test_just_outside_each_bound_is_refused_naming_the_input():
    """The other side of every edge: the open bound itself, the float next beyond a closed one."""
    refused = 0
    for key, spec in scenarios.schema().items():
        dom = spec.domain
        if dom.switch:
            continue
        outside = []
        if math.isfinite(dom.low):
            outside.append(dom.low if dom.low_open else float(np.nextafter(dom.low, -math.inf)))
        if math.isfinite(dom.high):
            outside.append(dom.high if dom.high_open else float(np.nextafter(dom.high, math.inf)))
        for value in outside:
            with pytest.raises(SuanliError) as info:
                scenarios.check_value(key, value)
            assert str(info.value.name).split("[")[0] == key and spec.describe_bounds() in str(info.value)
            refused += 1
    assert refused > 300
