"""Analysis workbooks that fit a spreadsheet: every point of a sweep is in the file, within Excel's
1,048,576 rows and 16,384 columns, every chart points inside them, and a series with nothing to
draw (no finite value, or no spread) gives a message instead of an invalid chart."""

from __future__ import annotations

import dataclasses
import re
import zipfile

import numpy as np
import openpyxl
import pytest
from openpyxl.utils import column_index_from_string

from engine import analysis as A
from engine.analysis import Range, Uniform
from suanli.cli import montecarlo_summary, sweep_summary
from workbook_templates import analysis_xlsx as X


def notes(path) -> list[str]:
    ws = openpyxl.load_workbook(path, read_only=True)["About"]
    return [r[1] for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == "note"]


def chart_references(path) -> list[tuple[str, int, int]]:
    """Every cell a chart in the file points at: (sheet, row, column), 1-based."""
    refs = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if re.fullmatch(r"xl/charts/chart\d+\.xml", name):
                for formula in re.findall(r"<c:f>([^<]*)</c:f>", z.read(name).decode()):
                    sheet, _, cells = formula.rpartition("!")
                    for col, row in re.findall(r"\$([A-Z]+)\$(\d+)", cells):
                        refs.append((sheet.strip("'"), int(row), column_index_from_string(col)))
    return refs


def chart_count(path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(bool(re.fullmatch(r"xl/charts/chart\d+\.xml", n)) for n in z.namelist())


def assert_inside_a_sheet(path) -> None:
    wb = openpyxl.load_workbook(path, read_only=True)
    for ws in wb:
        assert ws.max_row <= X.SHEET_MAX_ROWS and ws.max_column <= X.SHEET_MAX_COLUMNS, ws.title
    for sheet, row, col in chart_references(path):
        assert sheet in wb.sheetnames, sheet
        assert 1 <= row <= X.SHEET_MAX_ROWS and 1 <= col <= X.SHEET_MAX_COLUMNS, (sheet, row, col)


# ---------------------------------------------------------------------------- wide sweeps
def test_a_sweep_wider_than_a_sheet_keeps_every_point(tmp_path):
    """20,000 values of the second input are more than a sheet's columns: the Grid turns round."""
    r = A.sweep("chain.cards", {"train_utilization": [0.3, 0.4], "chain_share_h100_sxm": Range(0, 0.99995, 0.00005)})
    assert r.swept[1].values.size == 20_000
    path = X.write_sweep(r, tmp_path / "wide.xlsx")
    assert_inside_a_sheet(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    sweep = list(wb["Sweep"].iter_rows(min_row=X.FIRST + 1, values_only=True))
    assert len(sweep) == r.points == 40_000
    np.testing.assert_array_equal(np.array([row[:2] for row in sweep], dtype=float), r.grid)
    np.testing.assert_allclose(np.array([row[2:] for row in sweep], dtype=float), r.values, rtol=1e-15)
    grid = list(wb["Grid"].iter_rows(values_only=True))
    assert grid[0][0] == "chain.cards at 2027E (万张): chain_share_h100_sxm down, train_utilization across"
    assert grid[X.FIRST - 1] == ("chain_share_h100_sxm \\ train_utilization", 0.3, 0.4)
    body = grid[X.FIRST:]
    assert len(body) == 20_000
    np.testing.assert_array_equal(np.array([row[0] for row in body], dtype=float), r.swept[1].values)
    table = r.values[:, -1].reshape(2, 20_000).T                    # every point, second input down
    np.testing.assert_allclose(np.array([row[1:] for row in body], dtype=float), table, rtol=1e-15)
    assert ("the Grid sheet has chain_share_h100_sxm down and train_utilization across: 20,000 values of "
            "chain_share_h100_sxm are more than a sheet's 16,384 columns") in notes(path)


@pytest.mark.parametrize("across, layout", [(16_383, "across"), (16_384, "down")])
def test_the_grid_turns_round_exactly_at_the_last_column(tmp_path, across, layout):
    r = A.sweep("chain.cards", {"train_utilization": [0.3], "chain_share_h100_sxm": Range(0, (across - 1) / 20_000,
                                                                                       0.00005)})
    assert r.swept[1].values.size == across
    path = X.write_sweep(r, tmp_path / "edge.xlsx")
    assert_inside_a_sheet(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    title = next(wb["Grid"].iter_rows(values_only=True))[0]
    assert title.endswith("train_utilization down, chain_share_h100_sxm across" if layout == "across"
                          else "chain_share_h100_sxm down, train_utilization across")
    refs = chart_references(path)
    if layout == "across":   # one point per line, 50 lines evenly spaced: the last at column XFD
        assert max(col for _, _, col in refs) == X.SHEET_MAX_COLUMNS
        assert chart_count(path) == 1
    else:
        assert refs == []


def test_a_chart_of_many_lines_points_at_the_lines_it_names(tmp_path):
    r = A.sweep("chain.cards", {"train_utilization": Range(0.2, 0.5, 0.1), "chain_share_h100_sxm": Range(0, 1, 0.005)})
    path = X.write_sweep(r, tmp_path / "many.xlsx")
    assert_inside_a_sheet(path)
    columns = sorted({col for sheet, _, col in chart_references(path) if sheet == "Grid"} - {1})
    assert len(columns) == X.CHART_MAX_SERIES and columns[0] == 2 and columns[-1] == 202
    assert "the chart shows 50 of the 201 values of chain_share_h100_sxm (evenly spaced); the Grid sheet holds them " \
           "all" in notes(path)


def test_a_sweep_longer_than_a_sheet_is_refused_naming_the_argument(tmp_path):
    small = A.sweep("chain.cards", {"train_utilization": [0.3]})
    rows = X.SHEET_MAX_ROWS - X.FIRST + 1
    big = dataclasses.replace(small, grid=np.full((rows, 1), 0.3), values=np.ones((rows, len(small.columns))))
    with pytest.raises(A.AnalysisError) as err:
        X.write_sweep(big, tmp_path / "big.xlsx")
    assert err.value.name == "ranges"
    assert str(err.value).startswith("the sweep has 1,048,573 grid points of 6 columns; a sheet holds 1,048,572 "
                                     "points, one a row")
    assert not (tmp_path / "big.xlsx").exists() and list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------- nothing to draw
def _blank(result, columns=None):
    values = result.values.copy()
    values[:, slice(None) if columns is None else columns] = np.nan
    return dataclasses.replace(result, values=values)


def test_a_sweep_blank_at_every_point_has_a_message_not_a_chart(tmp_path):
    one = _blank(A.sweep("chain.cards", {"train_utilization": Range(0.2, 0.5, 0.1)}))
    path = X.write_sweep(one, tmp_path / "blank1.xlsx")
    assert_inside_a_sheet(path)
    assert [len(ws._charts) for ws in openpyxl.load_workbook(path)] == [0, 0]
    assert "no chart: chain.cards is blank (no finite value) at every point, in every column" in notes(path)
    assert sweep_summary(one, path).splitlines()[2] == "chain.cards at 2027E: blank (no finite value) at every " \
                                                        "grid point"
    two = _blank(A.sweep("chain.cards", {"train_utilization": Range(0.2, 0.5, 0.1), "chain_share_h100_sxm": [0, 0.5]}))
    path = X.write_sweep(two, tmp_path / "blank2.xlsx")
    assert [len(ws._charts) for ws in openpyxl.load_workbook(path)] == [0, 0, 0]
    assert "no chart: chain.cards at 2027E is blank (no finite value) at every grid point" in notes(path)


def test_a_column_blank_at_every_point_is_left_out_of_the_chart(tmp_path):
    r = _blank(A.sweep("chain.cards", {"train_utilization": Range(0.2, 0.5, 0.1)}), columns=[0, 1])
    path = X.write_sweep(r, tmp_path / "partly.xlsx")
    assert_inside_a_sheet(path)
    assert {col for _, _, col in chart_references(path)} == {1, 4, 5, 6}     # the swept values and 3 columns
    assert "the chart leaves out 2023E, 2024E: chain.cards is blank there at every point" in notes(path)


def test_a_montecarlo_output_that_does_not_vary_has_a_message_not_a_histogram(tmp_path):
    # 8 to 8.4 GPUs a server, drawn as whole numbers, is always 8: every draw gives the same servers
    mc = A.montecarlo("chain.servers", {"chain_gpus_per_server": Uniform(8, 8.4)}, n=1000, seed=1)
    assert np.ptp(mc.output_values) == 0
    path = X.write_montecarlo(mc, tmp_path / "flat.xlsx")
    assert_inside_a_sheet(path)
    wb = openpyxl.load_workbook(path)
    assert [len(ws._charts) for ws in wb] == [0, 0, 0]
    hist = [list(r) for r in wb["Histogram"].iter_rows(values_only=True)]
    value = float(mc.output_values[0])
    assert hist[1][0] == (f"no histogram: every draw with a finite chain.servers at 2027E gives the same value, "
                          f"{value:,.10g} (万台): there is no spread to show")
    assert hist[X.FIRST - 1][:3] == ["value (万台)", "count", "share"]
    assert hist[X.FIRST][:3] == [pytest.approx(value), 1000, 1]
    about = {r[0]: r[2] for r in openpyxl.load_workbook(path)["About"].iter_rows(min_row=4, values_only=True)}
    assert about["histogram"] == hist[1][0]


def test_a_montecarlo_output_with_no_finite_draw_has_a_message(tmp_path):
    mc = A.montecarlo("chain.servers", {"chain_gpus_per_server": Uniform(6, 10)}, n=1000, seed=1)
    none = dataclasses.replace(mc, output_values=np.full(1000, np.nan), histogram=np.histogram([], bins=50))
    path = X.write_montecarlo(none, tmp_path / "none.xlsx")
    assert_inside_a_sheet(path)
    wb = openpyxl.load_workbook(path)
    assert [len(ws._charts) for ws in wb] == [0, 0, 0]
    assert list(wb["Histogram"].iter_rows(values_only=True))[1][0] == \
        "no histogram: no draw gives a finite chain.servers at 2027E"
    assert "1,000 draws give no finite chain.servers" in notes(path)
    assert montecarlo_summary(none, path).splitlines()[2] == \
        "chain.servers at 2027E (万台): no draw gives a finite value"
    drawn = X.write_montecarlo(mc, tmp_path / "drawn.xlsx")           # the same run, drawn: a histogram
    assert len(openpyxl.load_workbook(drawn)["Histogram"]._charts) == 1


def test_a_sensitivity_with_no_swing_says_so(tmp_path):
    s = A.sensitivity("fig49.a100_total", delta=0.1)
    flat = dataclasses.replace(s, moves=[dataclasses.replace(m, output_low=s.base_output, output_high=s.base_output)
                                         for m in s.moves])
    path = X.write_sensitivity(flat, tmp_path / "flat.xlsx")
    assert [len(ws._charts) for ws in openpyxl.load_workbook(path)] == [0, 0]
    assert "no tornado: no input moves fig49.a100_total at 2027E to a finite value other than its base" in notes(path)
