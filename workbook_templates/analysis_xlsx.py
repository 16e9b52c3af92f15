"""The analyses as workbooks: a sweep, a sensitivity (tornado), a Monte Carlo run and a comparison.

Each workbook holds the numbers as a plain table (values, not formulas: they come from many
scenarios at once), a chart drawn from that table, and an **About** sheet saying what was run:
the scenario, the output and its unit, the inputs varied and those held fixed, and the suanli
version.  Outputs are in the row's display unit (as ``suanli table`` prints them; a % row in
percentage points); inputs in their base unit (as ``suanli inputs`` lists them).  Files are
written to a temporary name and renamed, so a failed run leaves no half-written workbook.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell

from engine import __version__, errata, formats, scenarios, units
from engine.analysis import AnalysisError, MonteCarloResult, SensitivityResult, SweepResult, format_input_value
from engine.comparison import Comparison
from engine.exhibit import Row, needs_text

from .files import write_atomic
from .render import quote_sheet
from .writer import HouseFormats, new_workbook

__all__ = ["write_sweep", "write_sensitivity", "write_montecarlo", "write_comparison", "COMPARISON_SHEETS",
           "CHART_MAX_POINTS", "CHART_MAX_SERIES",
           "SHEET_MAX_ROWS", "SHEET_MAX_COLUMNS",
           "TORNADO_MAX_BARS"]

CHART_MAX_POINTS = 10_000        # points per series beyond which a chart is left out (the table has them all)
SHEET_MAX_ROWS = 1_048_576       # Excel's sheet: rows and columns past these are not in the file
SHEET_MAX_COLUMNS = 16_384       # (XlsxWriter drops a cell written there, and a chart pointing there is invalid)
CHART_MAX_SERIES = 50            # series of a two-input sweep chart (values of the second input, evenly chosen)
TORNADO_MAX_BARS = 25            # inputs in the tornado (the table lists every input)
FIRST = 4                        # the first data row of a results table (0-based); the header is the row above


class _Formats(HouseFormats):
    """The template workbooks' house formats, and number formats by row."""

    def __init__(self, wb):
        super().__init__(wb)
        self.key = wb.add_format({"bold": True})
        self.general = wb.add_format({})

    def row(self, row: Row, extra_decimals: int = 0):
        """A display value of ``row`` at the precision the report prints (a % row in points)."""
        return self.number(_row_num_format(row, extra_decimals))


def _new_workbook(tmp: Path, big: bool):
    # constant_memory streams rows to disk: a million-point sweep stays small in memory
    return new_workbook(tmp, constant_memory=big)


def _write(path, write) -> Path:
    try:
        return write_atomic(path, write)
    except OSError as exc:
        raise AnalysisError("path", f"cannot write {path}: {exc.strerror or exc}") from None


def _print_setup(ws) -> None:
    ws.set_landscape()
    ws.fit_to_pages(1, 0)


def _num(ws, r: int, c: int, v, fmt=None) -> None:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        ws.write_blank(r, c, None, fmt)
    else:
        ws.write_number(r, c, float(v), fmt)


def _unit(unit: str) -> str:
    return "" if unit in ("count", "text") else f" ({unit})"


def _about(ws, fmt: _Formats, title: str, items: list[tuple[str, str, str]]) -> None:
    """The About sheet: what was run, one item a line (item, value, note)."""
    ws.write(0, 0, title, fmt.title)
    ws.write_row(2, 0, ["item", "value", "note"], fmt.header)
    r = 3
    for item, value, note in items:
        ws.write_string(r, 0, item, fmt.key)
        ws.write_string(r, 1, value)
        if note:
            ws.write_string(r, 2, note)
        r += 1
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 2, 70)


def _scenario_items(sc: scenarios.Scenario, overrides: dict) -> list[tuple[str, str, str]]:
    items = [("scenario", sc.name, sc.title if sc.title != sc.name else "")]
    if sc.source is not None:
        items.append(("scenario file", sc.source, "the scenario's values, as read when this was run"))
    items.append(("based on", " ← ".join(sc.chain) or "-", "its base scenarios, nearest first"))
    items.append(("scenario hash", sc.fingerprint, "SHA-256 of every input value (with the values set below): "
                                                   "equal values, equal hash, in every output suanli writes"))
    items.append(("errata switches", errata.switches_text(sc).removeprefix("errata "),
                  "each a switch input: TRUE reproduces the report's printed number (suanli errata)"))
    schema = scenarios.schema()
    for key in overrides:
        spec = schema[key]
        items.append(("set", f"{key}={format_input_value(sc.values[key], spec)}", spec.label))
    return items


def _held(fixed: dict[str, object]) -> list[tuple[str, str, str]]:
    schema = scenarios.schema()
    return [("held fixed", f"{k}={format_input_value(v, schema[k])}", f"{schema[k].label} ({schema[k].unit})")
            for k, v in fixed.items()]


# ---------------------------------------------------------------------------- sweep
def write_sweep(result: SweepResult, path: str | os.PathLike) -> Path:
    """The sweep workbook: **Sweep** (one row per grid point: the swept values, then the output at
    every column), a line chart, **Grid** for two inputs (the output at the last column, the first
    input down and the second across, or the other way round when the second has more values than
    a sheet has columns), and **About**.

    Every point is in the file; a sweep of more points than a sheet has rows raises
    :class:`~engine.analysis.AnalysisError` naming ``ranges``, before anything is written.  A chart
    leaves out a series blank at every point, and is left out, with a note on About, when none is left.
    """
    out, cols, ranges = result.output, result.columns, result.swept
    schema = scenarios.schema()
    k, n = len(ranges), result.points
    notes: list[str] = []
    if FIRST + n > SHEET_MAX_ROWS or k + len(cols) > SHEET_MAX_COLUMNS:
        raise AnalysisError("ranges", f"the sweep has {n:,} grid points of {k + len(cols):,} columns; a sheet holds "
                                      f"{SHEET_MAX_ROWS - FIRST:,} points, one a row ({SHEET_MAX_ROWS:,} rows and "
                                      f"{SHEET_MAX_COLUMNS:,} columns in Excel); sweep fewer points, or take "
                                      "suanli.sweep(...).to_frame() in Python")

    def write(tmp: Path) -> None:
        wb = _new_workbook(tmp, n > 20_000)
        fmt = _Formats(wb)
        ws = wb.add_worksheet("Sweep")
        grid_ws = wb.add_worksheet("Grid") if k == 2 else None
        about = wb.add_worksheet("About")
        for sheet in (ws, grid_ws, about):
            if sheet is not None:
                _print_setup(sheet)
        ws.set_column(0, k - 1, 22)
        ws.set_column(k, k + len(cols) - 1, 14)
        ws.write(0, 0, f"Sweep of {out.name}: {out.label}{_unit(out.unit)}", fmt.title)
        ws.write(1, 0, f"scenario {result.scenario.name}; {n:,} grid points; swept inputs in their base unit, "
                       f"the output in {out.unit} for every column", fmt.subtle)
        header = [f"{r.key} ({schema[r.key].unit})" for r in ranges] + [f"{c}{_unit(out.unit)}" for c in cols]
        ws.write_row(FIRST - 1, 0, header, fmt.header)
        ws.freeze_panes(FIRST, k)
        value_fmt = fmt.row(out.row)
        grid, values = result.grid, result.values
        for i in range(n):
            r = FIRST + i
            for j in range(k):
                ws.write_number(r, j, float(grid[i, j]))
            for j in range(len(cols)):
                _num(ws, r, k + j, float(values[i, j]), value_fmt)
        chart = None
        if k == 1:
            chart = _sweep_chart_one(wb, result, notes)
        elif k == 2:
            chart = _sweep_grid(wb, grid_ws, fmt, result, notes)
        else:
            notes.append(f"no chart: a chart shows one or two swept inputs, this sweep has {k}")
        if chart is not None:
            chart.set_size({"width": 760, "height": 420})
            ws.insert_chart(FIRST - 1, k + len(cols) + 1, chart)
        items = [("suanli", __version__, ""), *_scenario_items(result.scenario, result.overrides),
                 ("output", out.name, out.label), ("unit", out.unit, "the output's display unit"),
                 ("columns", ", ".join(cols), f"axis {out.exhibit.axis}")]
        for rg in ranges:
            items.append(("swept", f"{rg.key}={rg.text}", f"{rg.values.size:,} values; {schema[rg.key].label} "
                                                          f"({schema[rg.key].unit}), every column"))
        items.append(("grid points", f"{n:,}", "the first swept input varies slowest"))
        items += _held(result.fixed)
        for key in result.unused:
            items.append(("note", f"{key} does not affect {out.name}", "the output is the same at every value"))
        items += [("note", text, "") for text in notes]
        _about(about, fmt, f"About this sweep of {out.name}", items)
        wb.close()

    return _write(path, write)


def _line_chart(wb, title: str, x_title: str, y_title: str):
    chart = wb.add_chart({"type": "line"})
    chart.set_title({"name": title})
    chart.set_x_axis({"name": x_title, "num_format": "General"})
    chart.set_y_axis({"name": y_title, "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "right"})
    return chart


def _sweep_chart_one(wb, result: SweepResult, notes: list[str]):
    out, rg, n = result.output, result.swept[0], result.points
    if n > CHART_MAX_POINTS:
        notes.append(f"no chart: {n:,} points is more than a chart shows well ({CHART_MAX_POINTS:,}); "
                     "the table holds every point")
        return None
    drawn = [j for j in range(len(result.columns)) if not np.isnan(result.values[:, j]).all()]
    if not drawn:
        notes.append(f"no chart: {out.name} is blank (no finite value) at every point, in every column")
        return None
    unit = scenarios.schema()[rg.key].unit
    chart = _line_chart(wb, f"{out.name} vs {rg.key}", f"{rg.key} ({unit})", f"{out.label}{_unit(out.unit)}")
    sheet = quote_sheet("Sweep")
    last = FIRST + n - 1
    for j in drawn:
        c = 1 + j
        name = f"={sheet}!{xl_rowcol_to_cell(FIRST - 1, c, row_abs=True, col_abs=True)}"
        chart.add_series(_column_series(sheet, name, c, last, n))
    if len(drawn) < len(result.columns):
        blank = ", ".join(c for j, c in enumerate(result.columns) if j not in drawn)
        notes.append(f"the chart leaves out {blank}: {out.name} is blank there at every point")
    return chart


def _column_series(sheet: str, name: str, column: int, last: int, n: int) -> dict:
    """A line-chart series: column ``column`` of ``sheet`` over the swept values in column A, rows FIRST..last."""
    return {
        "name": name,
        "categories": f"={sheet}!{xl_range_abs(FIRST, 0, last, 0)}",
        "values": f"={sheet}!{xl_range_abs(FIRST, column, last, column)}",
        "marker": {"type": "circle", "size": 4} if n <= 60 else {"type": "none"},
    }


def _sweep_grid(wb, ws, fmt: _Formats, result: SweepResult, notes: list[str]):
    """The Grid sheet at the last column, the first input down and the second across, or the other
    way round when the second has more values than a sheet has columns; and its chart, one line
    per value of the input across (None, with a note, when there is nothing to draw)."""
    out, (r1, r2) = result.output, result.swept
    n1, n2 = r1.values.size, r2.values.size
    col = len(result.columns) - 1
    table = result.values[:, col].reshape(n1, n2)       # the first input varies slowest
    if not _fits(n1, n2) and _fits(n2, n1):
        (down, across), table = (r2, r1), table.T
        notes.append(f"the Grid sheet has {r2.key} down and {r1.key} across: {n2:,} values of {r2.key} are more "
                     f"than a sheet's {SHEET_MAX_COLUMNS:,} columns")
    else:
        down, across = r1, r2
    n_down, n_across = table.shape
    schema = scenarios.schema()
    ws.write(0, 0, f"{out.name} at {result.columns[col]}{_unit(out.unit)}: {down.key} down, {across.key} across",
             fmt.title)
    ws.write(1, 0, f"{down.key} in {schema[down.key].unit}; {across.key} in {schema[across.key].unit}", fmt.subtle)
    ws.write_string(FIRST - 1, 0, f"{down.key} \\ {across.key}", fmt.header)
    for b, v in enumerate(across.values):
        ws.write_number(FIRST - 1, 1 + b, float(v), fmt.header)
    value_fmt = fmt.row(out.row)
    for a in range(n_down):
        ws.write_number(FIRST + a, 0, float(down.values[a]))
        for b in range(n_across):
            _num(ws, FIRST + a, 1 + b, float(table[a, b]), value_fmt)
    ws.set_column(0, 0, 26)
    ws.set_column(1, n_across, 12)
    ws.freeze_panes(FIRST, 1)
    drawn = [b for b in range(n_across) if not np.isnan(table[:, b]).all()]
    if not drawn:
        notes.append(f"no chart: {out.name} at {result.columns[col]} is blank (no finite value) at every grid point")
        return None
    if n_down * min(len(drawn), CHART_MAX_SERIES) > CHART_MAX_POINTS * 5 or n_down > CHART_MAX_POINTS:
        notes.append(f"no chart: {n_down:,} x {n_across:,} points is more than a chart shows well; "
                     "the Grid sheet holds them")
        return None
    chosen = drawn
    if len(drawn) > CHART_MAX_SERIES:
        chosen = [drawn[i] for i in sorted(set(np.linspace(0, len(drawn) - 1, CHART_MAX_SERIES).round()
                                               .astype(int).tolist()))]
        notes.append(f"the chart shows {len(chosen)} of the {n_across:,} values of {across.key} (evenly spaced); "
                     "the Grid sheet holds them all")
    elif len(drawn) < n_across:
        notes.append(f"the chart leaves out {n_across - len(drawn):,} values of {across.key} where {out.name} is "
                     "blank at every point")
    chart = _line_chart(wb, f"{out.name} at {result.columns[col]} vs {down.key}, one line per {across.key}",
                        f"{down.key} ({schema[down.key].unit})", f"{out.label}{_unit(out.unit)}")
    sheet = quote_sheet("Grid")
    last = FIRST + n_down - 1
    for b in chosen:
        chart.add_series(_column_series(sheet, f"{across.key} = {format(float(across.values[b]), 'g')}", 1 + b, last,
                                        n_down))
    return chart


def _fits(rows: int, columns: int) -> bool:
    """Whether a table of ``rows`` values down and ``columns`` across (plus its header row and
    column) fits a sheet."""
    return FIRST + rows <= SHEET_MAX_ROWS and 1 + columns <= SHEET_MAX_COLUMNS


# ---------------------------------------------------------------------------- sensitivity
def _spread(values: tuple, shown) -> str:
    """An input whose columns (of another axis than the output's) differ, in one cell: its lowest and highest
    value in the unit the Inputs sheet shows ("8 to 72"); columns left blank are left out."""
    given = [shown.cell_value(float(v)) for v in values if v is not None]
    if not given:
        return "blank"
    low, high = min(given), max(given)
    return units.short_number(low) if low == high else f"{units.short_number(low)} to {units.short_number(high)}"


SENSITIVITY_HEADER = ("rank", "input", "label", "unit", "base", "low value", "high value", "output at low",
                      "output at high", "swing", "% of base", "low − base", "high − base", "note")


def write_sensitivity(result: SensitivityResult, path: str | os.PathLike) -> Path:
    """The sensitivity workbook: **Sensitivity** (every input ranked by swing) with a tornado chart
    (the output's change from its base at each input's low and high, largest swing on top), and
    **About**."""
    out, col, moves = result.output, result.column, result.moves
    notes: list[tuple[str, str]] = []

    def write(tmp: Path) -> None:
        wb = _new_workbook(tmp, False)
        fmt = _Formats(wb)
        ws = wb.add_worksheet("Sensitivity")
        about = wb.add_worksheet("About")
        for sheet in (ws, about):
            _print_setup(sheet)
        value_fmt = fmt.row(out.row, extra_decimals=1)
        ws.write(0, 0, f"Sensitivity of {out.name} at {col}: each input moved by ±{result.delta:.0%}", fmt.title)
        ws.write(1, 0, f"{out.label}: {format(result.base_output, ',.6g')} {out.unit} in scenario "
                       f"{result.scenario.name}; swing = |output at high − output at low|, ranked; outputs in "
                       f"{out.unit}, inputs in the unit the Inputs sheet shows them in", fmt.subtle)
        header = list(SENSITIVITY_HEADER)
        for i in (7, 8, 9, 11, 12):
            header[i] += _unit(out.unit)
        ws.write_row(FIRST - 1, 0, header, fmt.header)
        ws.set_row(FIRST - 1, 30)                  # two lines: "output at low (万kW)" wraps
        ws.freeze_panes(FIRST, 2)
        pct = fmt.number('0.0"%"')
        input_formats: dict[str, object] = {}
        for i, m in enumerate(moves):
            r = FIRST + i
            ws.write_number(r, 0, i + 1)
            ws.write_string(r, 1, m.key)
            ws.write_string(r, 2, m.spec.label)
            shown = formats.input_display(m.key)
            ws.write_string(r, 3, shown.label)
            values = [m.at(which, col) for which in ("base", "low", "high")]
            style = shown.excel_format([v for v in values if isinstance(v, (int, float))])
            if style not in input_formats:
                input_formats[style] = fmt.number(style)
            for c, v in enumerate(values, start=4):
                if isinstance(v, tuple):
                    ws.write_string(r, c, _spread(v, shown))
                else:
                    _num(ws, r, c, None if v is None else shown.cell_value(float(v)), input_formats[style])
            _num(ws, r, 7, m.output_low, value_fmt)
            _num(ws, r, 8, m.output_high, value_fmt)
            _num(ws, r, 9, m.swing, value_fmt)
            _num(ws, r, 10, result.share(m), pct)
            _num(ws, r, 11, m.output_low - result.base_output, value_fmt)
            _num(ws, r, 12, m.output_high - result.base_output, value_fmt)
            if m.notes:
                ws.write_string(r, 13, "; ".join(m.notes))
        ws.set_column(0, 0, 6)
        ws.set_column(1, 1, 30)
        ws.set_column(2, 2, 60)
        ws.set_column(3, 3, 20)
        ws.set_column(4, 12, 14)
        ws.set_column(13, 13, 50)
        bars = [i for i, m in enumerate(moves) if math.isfinite(m.swing) and m.swing > 0][:TORNADO_MAX_BARS]
        if bars:
            ws.insert_chart(FIRST + len(moves) + 2, 1, _tornado(wb, result, len(bars)))
        else:
            notes.append((f"no tornado: no input moves {out.name} at {col} to a finite value other than its base",
                          "the table lists every input"))
        items = [("suanli", __version__, ""), *_scenario_items(result.scenario, result.overrides),
                 ("output", out.name, out.label), ("unit", out.unit, "the output's display unit"),
                 ("column", col, f"of {', '.join(result.scenario.axis(out.exhibit.axis))}"),
                 ("base output", format(result.base_output, ".10g"), out.unit),
                 ("delta", f"±{result.delta:g}", "relative: each input times 1−delta and 1+delta, in every column"),
                 ("scenarios", f"{2 * len(moves) + 1}", "the base and each input's low and high, in one pass"),
                 ("inputs moved", str(len(moves)), "every numeric input the output row depends on")]
        items += [("not moved", key, why) for key, why in result.skipped.items()]
        items += [("note", text, why) for text, why in notes]
        if len(bars) < len([m for m in moves if m.swing > 0]):
            items.append(("note", f"the tornado shows the {len(bars)} largest swings", "the table lists every input"))
        items.append(("note", "a move leaving an input's accepted range is clipped to the bound",
                      "the note column says so; whole-number inputs move to the nearest whole number"))
        _about(about, fmt, f"About this sensitivity of {out.name}", items)
        wb.close()

    return _write(path, write)


def _tornado(wb, result: SensitivityResult, bars: int):
    out = result.output
    chart = wb.add_chart({"type": "bar"})
    sheet = quote_sheet("Sensitivity")
    last = FIRST + bars - 1
    cats = f"={sheet}!{xl_range_abs(FIRST, 1, last, 1)}"
    for c, name, colour in ((11, f"input −{result.delta:.0%}", "#5B9BD5"),
                            (12, f"input +{result.delta:.0%}", "#ED7D31")):
        chart.add_series({"name": name, "categories": cats,
                          "values": f"={sheet}!{xl_range_abs(FIRST, c, last, c)}",
                          "fill": {"color": colour}, "overlap": 100, "gap": 40})
    chart.set_title({"name": f"{out.name} at {result.column}: change from {format(result.base_output, ',.6g')} "
                             f"{out.unit}"})
    # in a bar chart the y axis is the categories: reversed, the largest swing is on top
    # labels at the low end of the value axis: left of the bars, not across them
    chart.set_y_axis({"reverse": True, "label_position": "low"})
    chart.set_x_axis({"name": f"change in {out.label}{_unit(out.unit)}", "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 820, "height": max(300, 60 + 26 * bars)})
    return chart


# ---------------------------------------------------------------------------- Monte Carlo
def write_montecarlo(result: MonteCarloResult, path: str | os.PathLike) -> Path:
    """The Monte Carlo workbook: **Percentiles** (P5, P50, P95 and mean of every numeric row and
    column of the exhibit), **Histogram** (the output row at the last column, binned, with a
    column chart; or a line saying why not, when no draw is finite or all give one value) and
    **About** (the distributions, n, the seed)."""
    ex, cols = result.exhibit, result.columns

    def write(tmp: Path) -> None:
        wb = _new_workbook(tmp, False)
        fmt = _Formats(wb)
        ws = wb.add_worksheet("Percentiles")
        hist = wb.add_worksheet("Histogram")
        about = wb.add_worksheet("About")
        for sheet in (ws, hist, about):
            _print_setup(sheet)
        ws.write(0, 0, f"Monte Carlo: {ex.id}, {ex.title_en}; {result.n:,} draws (seed {result.seed})", fmt.title)
        ws.write(1, 0, "P5, P50 (median), P95 and mean of each row over the draws, in the row's unit; "
                       "a row the draws do not reach shows its one value", fmt.subtle)
        ws.write_row(FIRST - 1, 0, ["row", "label", "unit", "statistic", *cols], fmt.header)
        ws.freeze_panes(FIRST, 4)
        r = FIRST
        for s in result.stats:
            lines = ((("P5", s.p5), ("P50", s.p50), ("P95", s.p95), ("mean", s.mean)) if s.varies
                     else ((needs_text(s.needs) if s.needs and all(v is None for v in s.p50)
                            else "value (not drawn)", s.p50),))
            value_fmt = fmt.row(s.row)
            for stat, values in lines:
                ws.write_string(r, 0, s.key)
                ws.write_string(r, 1, s.row.label_en)
                ws.write_string(r, 2, s.row.unit)
                ws.write_string(r, 3, stat)
                for j, v in enumerate(values):
                    _num(ws, r, 4 + j, v, value_fmt)
                r += 1
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 50)
        ws.set_column(2, 2, 10)
        ws.set_column(3, 3, 20)
        ws.set_column(4, 4 + len(cols), 14)
        shown, missing = _histogram(wb, hist, fmt, result)
        out = result.output
        items = [("suanli", __version__, ""), *_scenario_items(result.scenario, result.overrides),
                 ("exhibit", ex.id, ex.title_en), ("draws (n)", f"{result.n:,}", ""),
                 ("seed", str(result.seed), "the same seed and distributions give the same numbers"),
                 ("generator", "numpy.random.default_rng(seed)", "distributions drawn in the order below")]
        schema = scenarios.schema()
        for key, d in result.distributions.items():
            spec = schema[key]
            how = "a factor on the scenario's value in every column" if d.factor else \
                f"{spec.unit}, every column" if spec.axis else spec.unit
            if spec.domain.whole:
                how += "; rounded to whole numbers"
            items.append(("distribution", d.label(key), f"{spec.label} ({how})"))
        for key, count in result.clipped.items():
            items.append(("clipped", f"{key}: {count:,} of {result.n:,} draws",
                          f"normal draws outside {schema[key].describe_bounds()} set to the bound"))
        for key in result.unused:
            items.append(("note", f"{key} does not affect {ex.id}", "its draws change nothing in this exhibit"))
        bad = int(np.count_nonzero(~np.isfinite(result.output_values)))
        if bad:
            items.append(("note", f"{bad:,} draws give no finite {out.name}", "left out of the histogram"))
        items.append(("histogram", f"{out.name} at {result.output_column}",
                      f"{out.label} ({out.unit})" if shown else missing))
        _about(about, fmt, f"About this Monte Carlo run of {ex.id}", items)
        wb.close()

    return _write(path, write)


def _histogram(wb, ws, fmt: _Formats, result: MonteCarloResult) -> tuple[bool, str]:
    """The Histogram sheet and its chart; (True, "") when drawn, else (False, why not), the sheet
    saying why: no draw gives a finite value, or every one gives the same."""
    out = result.output
    counts, edges = result.histogram
    column = result.output_column
    finite = result.output_values[np.isfinite(result.output_values)]
    # no spread: equal to float noise (a value computed two ways may differ in its last bits)
    if finite.size == 0 or np.ptp(finite) <= 1e-12 * np.abs(finite).max():
        why = (f"no histogram: no draw gives a finite {out.name} at {column}" if finite.size == 0 else
               f"no histogram: every draw with a finite {out.name} at {column} gives the same value, "
               f"{format(float(np.median(finite)), ',.10g')}{_unit(out.unit)}: there is no spread to show")
        ws.write(0, 0, f"{out.name} at {column}: {out.label}{_unit(out.unit)}", fmt.title)
        ws.write(1, 0, why, fmt.subtle)
        if finite.size:
            ws.write_row(FIRST - 1, 0, [f"value{_unit(out.unit)}", "count", "share"], fmt.header)
            _num(ws, FIRST, 0, float(np.median(finite)), fmt.row(out.row, extra_decimals=1))
            ws.write_number(FIRST, 1, int(finite.size))
            ws.write_number(FIRST, 2, finite.size / result.n, fmt.number("0.00%"))
            ws.set_column(0, 0, 16)
        return False, why
    ws.write(0, 0, f"{out.name} at {column}: {out.label}{_unit(out.unit)}, {int(counts.sum()):,} draws in "
                   f"{len(counts)} bins", fmt.title)
    ws.write(1, 0, "count of draws with the output in [from, to) (the last bin includes its upper end)", fmt.subtle)
    ws.write_row(FIRST - 1, 0, [f"from{_unit(out.unit)}", f"to{_unit(out.unit)}", f"midpoint{_unit(out.unit)}",
                                "count", "share"], fmt.header)
    value_fmt = fmt.row(out.row, extra_decimals=1)
    share_fmt = fmt.number("0.00%")
    total = max(int(counts.sum()), 1)
    for i, c in enumerate(counts):
        r = FIRST + i
        _num(ws, r, 0, float(edges[i]), value_fmt)
        _num(ws, r, 1, float(edges[i + 1]), value_fmt)
        _num(ws, r, 2, float((edges[i] + edges[i + 1]) / 2), value_fmt)
        ws.write_number(r, 3, int(c))
        ws.write_number(r, 4, int(c) / total, share_fmt)
    ws.set_column(0, 2, 16)
    ws.set_column(3, 4, 10)
    last = FIRST + len(counts) - 1
    sheet = quote_sheet("Histogram")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "draws",
                      "categories": f"={sheet}!{xl_range_abs(FIRST, 2, last, 2)}",
                      "values": f"={sheet}!{xl_range_abs(FIRST, 3, last, 3)}",
                      "gap": 0, "border": {"color": "#FFFFFF"}, "fill": {"color": "#5B9BD5"}})
    chart.set_title({"name": f"{out.name} at {column}, {result.n:,} draws"})
    chart.set_x_axis({"name": f"{out.label}{_unit(out.unit)}", "num_format": "#,##0.0"})
    chart.set_y_axis({"name": "draws", "major_gridlines": {"visible": True}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 760, "height": 380})
    ws.insert_chart(FIRST - 1, 6, chart)
    return True, ""


# ---------------------------------------------------------------------------- comparison
#: The comparison workbook's sheets besides one per exhibit: first, then after the exhibits' sheets.
COMPARISON_SHEETS = ("Headlines", "Inputs", "Errata", "About")
_NAME_COL = 3                    # key, label, unit, then what the line holds (a scenario, Δ, Δ%), then the values
_CHART_SIZE = (370, 240)         # pixels: three charts side by side are as wide as the tables above them
_CHART_GAP = 8
_CHARTS_A_ROW = 3
_CHART_ROWS = 13                 # rows a chart and its gap take (20 px a row)
#: Column widths in pixels: key, label, unit, line, then the values.  The key and label columns together
#: are one chart wide, so every chart below the Headlines tables starts and ends in a narrow column (a
#: spreadsheet may place a chart anchored deep inside a wide column elsewhere than Excel does:
#: LibreOffice 7.4 does).
_COLUMN_PIXELS = (117, _CHART_SIZE[0] - 117, 61, 187)
_VALUE_PIXELS = 89


def _row_num_format(row: Row, extra_decimals: int = 0) -> str:
    """The number format of a display value of ``row``: its unit's (:func:`engine.formats.excel_format`, as the
    template workbooks and the command line show it) at the precision the report prints, ``extra_decimals``
    more.  A % row's cells hold points (30 for 30%), so its % sign is written, not applied."""
    if row.sig is not None:
        return formats.excel_format(row.unit, sig=max(row.sig + extra_decimals, 2))
    d = (formats.unit_format(row.unit).decimals if row.decimals is None else row.decimals) + extra_decimals
    text = formats.excel_format(row.unit, d)
    return text[:-1] + '"%"' if text.endswith("%") else text


def _signed(num_format: str) -> str:
    """``num_format`` with negative numbers in red, so a fall stands out from a rise."""
    return f"{num_format};[Red]-{num_format}"


class _CompareFormats(_Formats):
    """The house formats, and the comparison's: a line's number format, with a rule above a row's first line."""

    def __init__(self, wb):
        super().__init__(wb)
        self._lines: dict[tuple, object] = {}
        self.changed = wb.add_format({"bg_color": "#FFF2CC"})
        self.label_block = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "top": 1,
                                          "top_color": "#BFBFBF"})

    def line(self, num_format: str | None = None, first: bool = False, bold: bool = False, muted: bool = False):
        key = (num_format, first, bold, muted)
        if key not in self._lines:
            props: dict = {}
            if num_format:
                props["num_format"] = num_format
            if first:
                props.update(top=1, top_color="#BFBFBF")
            if bold:
                props["bold"] = True
            if muted:
                props.update(italic=True, font_color="#7F7F7F")
            self._lines[key] = self.wb.add_format(props)
        return self._lines[key]


def _lines(n: int) -> list[tuple[str, int]]:
    """A compared row's lines: each scenario's values, then each later scenario's Δ, then its Δ%."""
    return [("value", i) for i in range(n)] + [("diff", i) for i in range(1, n)] + [("pct", i) for i in range(1, n)]


def _write_compared(ws, fmt: _CompareFormats, c: Comparison, ex_id: str, keys, top: int) -> tuple[int, dict]:
    """The header at row ``top`` and a block of lines per row key; returns the next free row and, per key,
    the row of each scenario's values."""
    ex = c.tables[ex_id][0].exhibit
    columns = c.columns(ex_id)
    ws.write_row(top, 0, ["row", "label", "unit", "scenario / difference", *columns], fmt.header)
    r = top + 1
    value_rows: dict[str, list[int]] = {}
    for key in keys:
        row = ex.row(key)
        rows = [r + i for i in range(len(c.names))]
        value_rows[key] = rows
        numeric = _row_num_format(row)
        for n, (kind, i) in enumerate(_lines(len(c.names))):
            first = n == 0
            if first:   # the label wraps down the row's lines
                ws.write_string(r, 0, key, fmt.line(first=True, bold=True))
                ws.merge_range(r, 1, r + len(_lines(len(c.names))) - 1, 1, row.label_en, fmt.label_block)
            unit = row.unit if kind == "value" else "%" if kind == "pct" else \
                "pp" if row.display.percent else row.unit
            ws.write_string(r, 2, unit, fmt.line(first=first))
            name = c.names[i] if kind == "value" else f"Δ {c.names[i]}" if kind == "diff" else f"Δ% {c.names[i]}"
            ws.write_string(r, _NAME_COL, name, fmt.line(first=first, muted=kind != "value"))
            for j in range(len(columns)):
                col = _NAME_COL + 1 + j
                if kind == "value":
                    v = c.value(ex_id, key, j, i)
                    if isinstance(v, str):
                        ws.write_string(r, col, v, fmt.line(first=first))
                    elif v is None or not math.isfinite(v):     # needs KEY, an error, or a cell the report leaves empty
                        shown = c.shown(ex_id, key, j, i)
                        if shown is None:
                            ws.write_blank(r, col, None, fmt.line(first=first))
                        else:
                            ws.write_string(r, col, shown, fmt.line(first=first, muted=True))
                    else:
                        ws.write_number(r, col, float(v), fmt.line(numeric, first=first))
                    continue
                here = xl_rowcol_to_cell(rows[i], col)
                base = xl_rowcol_to_cell(rows[0], col)
                if kind == "diff":
                    d = c.diff(ex_id, key, j, i)
                    shown = numeric.replace('"%"', '" pp"')
                    if d is None:
                        ws.write_blank(r, col, None, fmt.line(first=first))
                    else:
                        ws.write_formula(r, col, f"={here}-{base}", fmt.line(_signed(shown), first=first), d)
                else:
                    p = c.diff_pct(ex_id, key, j, i)
                    if p is None:
                        ws.write_blank(r, col, None, fmt.line(first=first))
                    else:
                        ws.write_formula(r, col, f"=({here}-{base})/ABS({base})*100",
                                         fmt.line(_signed('0.0"%"'), first=first), p)
            r += 1
    return r, value_rows


def _compare_chart(wb, c: Comparison, ex_id: str, key: str, sheet: str, header: int, rows: list[int]):
    """One headline row's chart: a line (a bar, for columns that are not years) per scenario; None when no
    scenario has a number in the row."""
    ex = c.tables[ex_id][0].exhibit
    row = ex.row(key)
    columns = c.columns(ex_id)
    if row.unit == "text" or all(_plain_number(c.value(ex_id, key, j, i)) is None
                                 for i in range(len(c.names)) for j in range(len(columns))):
        return None
    over_years = len(columns) > 1 and "year" in ex.axis
    chart = wb.add_chart({"type": "line" if over_years else "column"})
    quoted = quote_sheet(sheet)
    first, last = _NAME_COL + 1, _NAME_COL + len(columns)
    for i, name in enumerate(c.names):
        series = {"name": name, "categories": f"={quoted}!{xl_range_abs(header, first, header, last)}",
                  "values": f"={quoted}!{xl_range_abs(rows[i], first, rows[i], last)}"}
        if over_years:
            series["marker"] = {"type": "circle", "size": 5}
        chart.add_series(series)
    # the row's one unit in the title: a CJK unit (万张) reads badly turned on its side as an axis name
    unit = "%" if row.display.percent else row.unit
    prefix = f"{ex.id}: " if len(c.tables) > 1 else ""
    chart.set_title({"name": f"{prefix}{row.label_en} ({unit})", "name_font": {"size": 10}})
    chart.set_y_axis({"major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                      "num_format": "#,##0" if row.sig is None else "0.0E+00", "num_font": {"size": 8}})
    chart.set_x_axis({"num_font": {"size": 8}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": _CHART_SIZE[0], "height": _CHART_SIZE[1]})
    return chart


def _plain_number(v) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) else None


def write_comparison(c: Comparison, path: str | os.PathLike) -> Path:
    """The comparison workbook.

    **Headlines**: each exhibit's headline rows (:meth:`~engine.comparison.Comparison.headline_rows`),
    each scenario's values on a line of its own, then each later scenario's difference from the first
    (Δ, in the row's unit: percentage points for a % row) and that difference as a % of the first's
    value (Δ%); below, one chart per headline row, a line (or bar) per scenario, the row's unit on its
    axis.  One sheet per exhibit: every row, the same way.  **Inputs**: the inputs whose values differ,
    in the display unit and number format a template's Inputs sheet shows (:func:`engine.formats.input_display`).
    **Errata**: how each scenario treats each erratum that has a switch or an alternative scenario.
    **About**.  Δ and Δ% are formulas over the values above them, their values cached.
    """
    names = c.names
    notes: list[tuple[str, str]] = []

    def write(tmp: Path) -> None:
        wb = _new_workbook(tmp, False)
        fmt = _CompareFormats(wb)
        head = wb.add_worksheet("Headlines")
        sheets = {ex.id: wb.add_worksheet(ex.id) for ex in c.exhibits}
        inputs_ws, errata_ws, about = (wb.add_worksheet(n) for n in COMPARISON_SHEETS[1:])
        for ws in (head, *sheets.values(), inputs_ws, errata_ws, about):
            _print_setup(ws)
        against = f"the differences are against {names[0]}: Δ = scenario − {names[0]} (percentage points for a " \
                  f"% row), Δ% = Δ ÷ |{names[0]}| × 100"
        # Headlines: every exhibit's headline rows, then their charts
        head.write(0, 0, f"Comparison of {', '.join(names)}", fmt.title)
        head.write(1, 0, f"headline rows in each row's unit, as `suanli table` prints them; {against}", fmt.subtle)
        r = FIRST - 1
        charts = []
        for ex in c.exhibits:
            head.write(r, 0, f"{ex.id}  {ex.title_en}", fmt.key)
            keys = c.headline_rows(ex.id)
            end, rows = _write_compared(head, fmt, c, ex.id, keys, r + 1)
            for key in keys:
                chart = _compare_chart(wb, c, ex.id, key, "Headlines", r + 1, rows[key])
                if chart is None:
                    notes.append((f"no chart of {ex.id}.{key}", "no scenario has a number in it"))
                else:
                    charts.append(chart)
            r = end + 1
        for n, chart in enumerate(charts):      # three a row, below the tables
            head.insert_chart(r + (n // _CHARTS_A_ROW) * _CHART_ROWS, 0, chart,
                              {"x_offset": (n % _CHARTS_A_ROW) * (_CHART_SIZE[0] + _CHART_GAP)})
        head.set_portrait()                     # the tables and their charts, one page wide
        for ws in (head, *sheets.values()):
            for col, pixels in enumerate(_COLUMN_PIXELS):
                ws.set_column_pixels(col, col, pixels)
            ws.set_column_pixels(_NAME_COL + 1, _NAME_COL + 12, _VALUE_PIXELS)
        head.freeze_panes(FIRST - 1, _NAME_COL + 1)
        # one sheet per exhibit: every row
        for ex in c.exhibits:
            ws = sheets[ex.id]
            ws.write(0, 0, f"{ex.id} {ex.title_zh}: {', '.join(names)}", fmt.title)
            ws.write(1, 0, f"{ex.title_en}; every row in its unit, as `suanli table {ex.id}` prints it; {against}",
                     fmt.subtle)
            _write_compared(ws, fmt, c, ex.id, [row.key for row in ex.rows], FIRST - 1)
            ws.freeze_panes(FIRST, _NAME_COL + 1)
        _write_compared_inputs(inputs_ws, fmt, c)
        _write_compared_errata(errata_ws, fmt, c)
        items = [("suanli", __version__, "")]
        for i, sc in enumerate(c.scenarios):        # each: its file, bases, values hash and errata switches
            own = _scenario_items(sc, sc.overrides)
            own[0] = ("scenario" if i else "scenario (base)", names[i], own[0][2])
            items += own
        for ex in c.exhibits:
            items.append(("exhibit", ex.id, f"{ex.title_en} ({ex.title_zh}); headline rows "
                                            f"{', '.join(c.headline_rows(ex.id))}"))
        items += [("Δ", f"scenario − {names[0]}", "in the row's unit; percentage points for a % row"),
                  ("Δ%", f"Δ ÷ |{names[0]}| × 100", f"blank where {names[0]} is 0 or has no number"),
                  ("inputs that differ", str(len(c.inputs_that_differ())), "the Inputs sheet"),
                  ("cells with no number", "needs KEY, #DIV/0!, #NUM!", "as `suanli table` shows them; no Δ there")]
        items += [("note", text, why) for text, why in notes]
        _about(about, fmt, f"About this comparison of {', '.join(names)}", items)
        wb.close()

    return _write(path, write)


def _write_compared_inputs(ws, fmt: _CompareFormats, c: Comparison) -> None:
    """The inputs that differ, as a template's Inputs sheet shows them: in the input's display unit
    (:func:`engine.formats.input_display`: 15,000 in 亿, a % cell holding its fraction), in its number format."""
    names = c.names
    keys = c.inputs_that_differ()
    ws.write(0, 0, "Inputs that differ between the scenarios", fmt.title)
    ws.write(1, 0, "in the unit a template's Inputs sheet shows each in (15,000 in 亿 is 1.5e12 parameters; 30% is "
                   "0.3), one line per column for an input with a value per column; a shaded cell differs from "
                   f"{names[0]}", fmt.subtle)
    ws.write_row(FIRST - 1, 0, ["input", "label", "unit", "column", *names], fmt.header)
    schema = scenarios.schema()
    styles: dict[tuple[str, bool], object] = {}

    def style(num_format: str, changed: bool):
        if (num_format, changed) not in styles:
            styles[(num_format, changed)] = fmt.wb.add_format(
                {"num_format": num_format, **({"bg_color": "#FFF2CC"} if changed else {})})
        return styles[(num_format, changed)]

    r = FIRST
    if not keys:
        ws.write_string(r, 0, "no input differs: every scenario has the same values")
    for key in keys:
        spec, shown = schema[key], formats.input_display(key)
        columns = scenarios.axes()[spec.axis] if spec.axis else (None,)
        every = [v for sc in c.scenarios for v in (sc.values[key] if spec.axis else (sc.values[key],))]
        num_format = "General" if spec.is_switch else shown.excel_format(every)
        for j, column in enumerate(columns):
            ws.write_string(r, 0, key, fmt.key)
            ws.write_string(r, 1, spec.label)
            ws.write_string(r, 2, "TRUE/FALSE" if spec.is_switch else shown.label)
            if column is not None:
                ws.write_string(r, 3, column)
            values = [sc.values[key][j] if spec.axis else sc.values[key] for sc in c.scenarios]
            for i, v in enumerate(values):
                cell_fmt = style(num_format, bool(i) and v != values[0])
                if v is None:
                    ws.write_string(r, 4 + i, "(not supplied)", cell_fmt)
                elif spec.is_switch:
                    ws.write_boolean(r, 4 + i, bool(v), cell_fmt)
                else:
                    ws.write_number(r, 4 + i, shown.cell_value(float(v)), cell_fmt)
            r += 1
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 56)
    ws.set_column(2, 2, 18)
    ws.set_column(3, 3, 10)
    ws.set_column(4, 3 + len(names), 20)
    ws.freeze_panes(FIRST, 1)


def _write_compared_errata(ws, fmt: _CompareFormats, c: Comparison) -> None:
    names = c.names
    ws.write(0, 0, "The report's errata in each scenario", fmt.title)
    ws.write(1, 0, "each erratum a scenario can treat its own way: a switch (an input; TRUE reproduces the printed "
                   "number) or an alternative scenario; see `suanli errata`; a shaded cell differs from "
                   f"{names[0]}", fmt.subtle)
    ws.write_row(FIRST - 1, 0, ["erratum", "inconsistency", "switch", "alternative scenario", *names], fmt.header)
    for r, e in enumerate(c.errata(), start=FIRST):
        ws.write_string(r, 0, e.id, fmt.key)
        ws.write_string(r, 1, e.title)
        ws.write_string(r, 2, e.switch or "")
        ws.write_string(r, 3, e.alternative or "")
        statuses = [c.status(e, i) for i in range(len(names))]
        for i, s in enumerate(statuses):
            ws.write_string(r, 4 + i, s, fmt.changed if i and s != statuses[0] else None)
    ws.set_column(0, 0, 9)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 3, 30)
    ws.set_column(4, 3 + len(names), 20)
    ws.freeze_panes(FIRST, 1)
