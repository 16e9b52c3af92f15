"""Template workbooks: the report's tables as live formulas over editable inputs.

``suanli templates build`` writes one workbook per part of the chain (demand, servers,
network, power, export control, the other passages, the AI-server compilation, the chain)
and an index.  In each workbook:

* **Inputs**: every input the workbook's exhibits read, as a workbook-level defined name equal
  to its key (``suanli inputs``), with unit, accepted range (enforced by data validation) and
  source; the cells to edit are coloured.
* one sheet per exhibit, laid out like the report: the report's row label as printed, the
  English label, the unit, then one column per year or case; every value a native formula
  (built from the same row definitions the engine computes with) carrying the engine's value
  as its cached result; beside it the report's printed values and a check of the two.
* **Errata**: each inconsistency, with the input that switches it; **Index**: the sheets.

The formulas use only functions Excel 2016 and LibreOffice 7.4 both have, so the workbook
recalculates anywhere without an add-in.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell

from engine import __version__, errata, exhibits, printed, scenarios
from engine.exhibit import DIV0, NUM, NumericResolver, Result, needs_text

from . import meta
from .files import write_atomic
from .groups import GROUPS, Group
from .render import (
    ERRATA_SHEET,
    FIRST_DATA_ROW,
    FIRST_VALUE_COL,
    HEADER_ROW,
    INDEX_SHEET,
    INPUTS_SHEET,
    STAMP_CELL,
    FormulaResolver,
    InputLayout,
    SheetLayout,
    input_layout,
    quote_sheet,
)
from .writer import HouseFormats, new_workbook

__all__ = ["Plan", "plan", "write_plan", "formulas", "formula_cells", "printed_checks", "cached_results",
           "SheetCell", "sheet_cells", "check_formula", "sheet_value", "excel_cached", "build_workbook", "build_all",
           "inputs_hash"]


#: Charts where a reader would rather look than read: exhibit -> (title, rows, kind).
CHARTS = {
    "fig49": ("GPUs needed for training (万张)", ("h100_total", "a100_total"), "column"),
    "fig50": ("GPUs needed for inference (万张)", ("h100_cards", "a100_cards"), "column"),
    "fig7": ("Global AI-server market (亿美元)", ("market",), "column"),
    "fig8": ("China AI-server market (亿美元)", ("market",), "column"),
    "fig85": ("HBM market (USD m)", None, "column"),
    "chain": ("The chain: accelerators (万张) and IT load (万kW)", ("cards", "it_kw"), "line"),
}


def inputs_hash(scenario: scenarios.Scenario, keys: Iterable[str]) -> str:
    """A short hash of the input values a workbook uses (stamped on it, compared by refresh):
    :func:`engine.scenarios.values_hash` of those keys."""
    return scenarios.values_hash(scenario.values, keys)


# ------------------------------------------------------------------ planning
@dataclass
class Plan:
    """Everything a workbook holds, decided before anything is written."""

    group: Group
    scenario: scenarios.Scenario
    order: list[str]                     # exhibit ids, the group's first, then what they use
    numeric: dict[str, Result]
    inputs: list[str]                    # input keys, in schema order
    input_layout: InputLayout
    layouts: dict[str, SheetLayout]


def plan(group: Group, scenario: scenarios.Scenario) -> Plan:
    """Evaluate the group's exhibits (and what they use) and lay the workbook out."""
    tracing = scenarios.Tracing(scenario)
    resolver = NumericResolver(tracing, exhibits.get)
    for ex_id in group.exhibits:
        resolver.run(exhibits.get(ex_id))
    numeric = dict(resolver.results)
    order = list(group.exhibits) + [i for i in numeric if i not in group.exhibits]
    schema = scenarios.schema()
    used = [k for k in schema if k in tracing.seen]
    layouts = {i: SheetLayout(exhibits.get(i), numeric[i].columns, i) for i in order}
    return Plan(group, scenario, order, numeric, used, input_layout(used), layouts)


# ------------------------------------------------------------------ writing
def _plain_formula_worksheet():
    """An XlsxWriter worksheet that writes our formulas as they are.

    XlsxWriter scans every formula with some 30 regular expressions to prefix Excel 365's
    dynamic-array functions; ours use only functions Excel 2016 and LibreOffice share (a test
    pins the list), so the scan is skipped through XlsxWriter's ``worksheet_class`` hook.
    """
    from xlsxwriter.worksheet import Worksheet

    class PlainFormulaWorksheet(Worksheet):
        def _prepare_formula(self, formula, expand_future_functions=False):
            return formula[1:] if formula.startswith("=") else formula

    return PlainFormulaWorksheet


def _num_format(row) -> str:
    if row.unit == "text":
        return "@"
    if row.unit == "year":
        return "0"
    if row.sig is not None:
        return "0." + "0" * (row.sig - 1) + "E+00"
    if row.display.percent:
        return "0" + ("." + "0" * row.decimals if row.decimals else "") + "%" if row.decimals is not None else "0.00%"
    if row.decimals is None:
        return "General"
    return "#,##0" + ("." + "0" * row.decimals if row.decimals else "")


def sheet_value(row, value):
    """What a cell of ``row`` holds for the engine's base-unit ``value``: display units (a percent row
    keeps its fraction, shown with a % format); text and None as they are."""
    if value is None or isinstance(value, str):
        return value
    factor = row.display.factor
    if row.display.percent or factor == 1:
        return float(value)
    return float(value) / factor


#: Rendered formulas by layout signature: a batch renders each distinct layout once per process.
_FORMULAS: dict[tuple, dict[tuple[str, str, int], str | None]] = {}


def _signature(p: Plan) -> tuple:
    """What a cell's formula depends on besides the row definitions: which cells are blank, and
    which wait for inputs the user must supply.  Equal signatures render equal formulas."""
    parts = []
    for ex_id in p.order:
        result = p.numeric[ex_id]
        for _key, cells in result.values.items():
            parts.append(tuple(v is None for v in cells))
        parts.append(tuple(sorted(result.needs.items())))
    return (p.group.name, tuple(p.order), tuple(p.inputs), hash(tuple(parts)))


class _CachedFormulas:
    """A :class:`FormulaResolver` whose results are kept for workbooks of the same layout."""

    def __init__(self, resolver: FormulaResolver, cache: dict):
        self.resolver, self.cache = resolver, cache

    def formula(self, exhibit, key, col):
        k = (exhibit.id, key, col)
        if k not in self.cache:
            self.cache[k] = self.resolver.formula(exhibit, key, col)
        return self.cache[k]


def build_workbook(group: Group, path: str | os.PathLike, scenario: scenarios.Scenario | None = None,
                   excel_button: bool = False) -> Path:
    """Write one group's workbook to ``path`` (atomically); returns the path.

    With ``excel_button`` the workbook is macro-enabled (``.xlsm``): it carries xlwings' own VBA
    project and a Refresh button on its Index sheet, and a one-line Python module of the same
    name is written beside it (see :func:`_excel_button`).
    """
    sc = scenario if scenario is not None else scenarios.load(group.scenario)
    return write_plan(plan(group, sc), path, excel_button=excel_button)


#: The module xlwings' SampleCall macro imports is named after the workbook; it refreshes the caller.
BUTTON_MODULE = ('"""Refresh {name}.xlsm from Excel: its Refresh button runs xlwings\' SampleCall, which imports\n'
                 'this module (named after the workbook) and calls main()."""\n'
                 'from addin.refresh_button import refresh_caller as main  # noqa: F401\n')


def _xlwings_vba_project() -> bytes:
    """xlwings' VBA project (its xlwings module and SampleCall), from its standalone quickstart workbook."""
    import zipfile

    import xlwings

    source = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(source) as z:
        return z.read("xl/vbaProject.bin")


def formulas(p: Plan) -> _CachedFormulas:
    """The formula of every cell of a plan, rendered once per layout signature."""
    signature = _signature(p)
    if signature not in _FORMULAS:
        if len(_FORMULAS) >= 8:
            _FORMULAS.pop(next(iter(_FORMULAS)))
        _FORMULAS[signature] = {}
    return _CachedFormulas(FormulaResolver(p.scenario, p.layouts, p.numeric, p.input_layout), _FORMULAS[signature])


def formula_cells(p: Plan, ex_id: str, resolver: _CachedFormulas):
    """An exhibit sheet's formula cells: (row, column index, sheet row, sheet column, formula, cached value).

    The cached value is what the engine computes, in the cell's unit (a percent row keeps its
    fraction), or ``needs KEY`` text; the workbook writer and refresh both take it from here.
    """
    exhibit, layout, result = exhibits.get(ex_id), p.layouts[ex_id], p.numeric[ex_id]
    for row in exhibit.rows:
        if row.text is not None:
            continue
        r = layout.row_index(row.key) - 1
        for j in range(len(layout.columns)):
            formula = resolver.formula(exhibit, row.key, j)
            if formula is None:
                continue
            needs = result.needed(row.key, j)
            cached = needs_text(needs) if needs else sheet_value(row, result.values[row.key][j])
            yield row, j, r, FIRST_VALUE_COL + j, formula, cached


def write_plan(p: Plan, path: str | os.PathLike, excel_button: bool = False) -> Path:
    """Write a planned workbook to ``path`` (atomically); returns the path."""

    def write(tmp: Path) -> None:
        wb = new_workbook(tmp, in_memory=True)
        fmt = HouseFormats(wb)
        index = wb.add_worksheet(INDEX_SHEET)
        inputs = wb.add_worksheet(INPUTS_SHEET)
        errata_ws = wb.add_worksheet(ERRATA_SHEET)
        plain = _plain_formula_worksheet()
        sheets = {i: wb.add_worksheet(i, worksheet_class=plain) for i in p.order}
        meta_ws = wb.add_worksheet(meta.META_SHEET)
        _write_inputs(wb, inputs, p, fmt)
        resolver = formulas(p)
        for ex_id in _dependency_order(p):
            _write_exhibit(wb, sheets[ex_id], p, ex_id, resolver, fmt)
        _write_errata(errata_ws, p, fmt)
        _write_index(index, p, fmt)
        _write_meta(meta_ws, p)
        meta_ws.hide()
        index.activate()
        if excel_button:
            _excel_button(wb, index)
        wb.close()

    target = Path(path)
    if excel_button:
        target = target.with_suffix(".xlsm")
        module = target.with_suffix(".py")
        write_atomic(module, lambda tmp: tmp.write_text(BUTTON_MODULE.format(name=target.stem), encoding="utf-8"))
    return write_atomic(target, write)


def _excel_button(wb, index) -> None:
    """xlwings' VBA project and a button that runs its SampleCall: ``import <workbook name>; main()``."""
    import io

    wb.add_vba_project(io.BytesIO(_xlwings_vba_project()), is_stream=True)
    wb.set_vba_name("ThisWorkbook")
    index.set_vba_name("Sheet1")
    index.insert_button(2, 3, {"macro": "SampleCall", "caption": "Refresh (xlwings)", "width": 150, "height": 24})


def _dependency_order(p: Plan) -> list[str]:
    """Exhibits that others read come first, so a cell's upstream 'needs' are known."""
    done: list[str] = []

    def visit(ex_id: str) -> None:
        if ex_id in done:
            return
        for item in (x for reads in p.numeric[ex_id].reads.values() for x in reads):
            if "." in item and item.split(".", 1)[0] != ex_id and item.split(".", 1)[0] in p.numeric:
                visit(item.split(".", 1)[0])
        done.append(ex_id)

    for ex_id in p.order:
        visit(ex_id)
    return done


def _write_inputs(wb, ws, p: Plan, fmt: HouseFormats) -> None:
    schema, axes = scenarios.schema(), scenarios.axes()
    ws.write(0, 0, f"Inputs — {p.group.title}", fmt.title)
    ws.write(1, 0, "Edit the coloured cells. Each input is a workbook-level name (its key), used by every "
                   "formula; values are in the base unit shown (counts, not 亿; fractions, not %).", fmt.subtle)
    ws.write(2, 0, f"Scenario {p.scenario.name}: {p.scenario.title}", fmt.subtle)
    heads = ["key (defined name)", "input", "unit", "accepted", "source"]
    last_axis = object()
    for key in sorted(p.inputs, key=lambda k: p.input_layout.places[k][0]):   # grouped by axis
        spec = schema[key]
        row, col, width = p.input_layout.places[key]
        if spec.axis != last_axis:
            last_axis = spec.axis
            for c, h in enumerate(heads):
                ws.write(row - 1, c, h, fmt.header)
            labels = ["value"] if spec.axis is None else list(axes[spec.axis])
            for j, label in enumerate(labels):
                ws.write_string(row - 1, col + j, label, fmt.header)
        ws.write_string(row, 0, key)
        ws.write_string(row, 1, spec.label)
        ws.write_string(row, 2, spec.unit)
        ws.write_string(row, 3, spec.describe_bounds())
        ws.write_string(row, 4, spec.source)
        value = p.scenario.values[key]
        values = list(value) if isinstance(value, tuple) else [value]
        cell_fmt = fmt.number("General", "input")
        for j, v in enumerate(values):
            if v is None:
                ws.write_blank(row, col + j, None, cell_fmt)
            elif spec.is_switch:
                ws.write_boolean(row, col + j, bool(v), cell_fmt)
            else:
                ws.write_number(row, col + j, float(v), cell_fmt)
        target = (row, col, row, col + width - 1)
        ws.data_validation(*target, _validation(spec))
        if spec.user_supplied:
            ws.write_comment(row, col, "Not in the reports: yours to supply. Cells that need it show "
                                       f"\"needs {key}\" until you do.")
        wb.define_name(key, p.input_layout.name_target(key))
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 3, 16)
    ws.set_column(4, 4, 50)
    ws.set_column(5, 5 + 8, 13)
    ws.freeze_panes(4, 2)


def _validation(spec) -> dict:
    d = spec.domain
    message = f"{spec.key} {d.describe()}"
    base = {"error_title": "Not accepted", "error_message": message[:255], "input_title": spec.key[:32],
            "input_message": f"{spec.unit}; {spec.describe_bounds()}"[:255]}
    if d.switch:
        return {**base, "validate": "list", "source": ["TRUE", "FALSE"]}
    kind = "integer" if d.whole else "decimal"
    lo = d.low if math.isfinite(d.low) else None
    hi = d.high if math.isfinite(d.high) else None
    if lo is not None and hi is not None and not d.low_open and not d.high_open:
        crit = {"criteria": "between", "minimum": lo, "maximum": hi}
    elif lo is not None and hi is not None:
        # an open end: enforce the closed side, the message states the open one
        crit = {"criteria": "between", "minimum": lo, "maximum": hi}
    elif lo is not None:
        crit = {"criteria": ">" if d.low_open else ">=", "value": lo}
    elif hi is not None:
        crit = {"criteria": "<" if d.high_open else "<=", "value": hi}
    else:
        crit = {"criteria": "between", "minimum": -1e308, "maximum": 1e308}
    return {**base, "validate": kind, **crit, "ignore_blank": spec.user_supplied}


def _write_exhibit(wb, ws, p: Plan, ex_id: str, resolver: _CachedFormulas, fmt: HouseFormats) -> None:
    exhibit = exhibits.get(ex_id)
    layout = p.layouts[ex_id]
    result = p.numeric[ex_id]
    cols = layout.columns
    used_by = "" if ex_id in p.group.exhibits else "  (used by this workbook's other sheets)"
    ws.write(0, 0, f"{exhibit.id}  {exhibit.title_zh} — {exhibit.title_en}{used_by}", fmt.title)
    ws.write(1, 0, f"Source: {exhibit.source}", fmt.subtle)
    ws.write(2, 0, f"Scenario {p.scenario.name}. Every value is a live formula over the Inputs sheet.", fmt.subtle)
    head_row = HEADER_ROW
    for c, h in enumerate(["报告行 (as printed)", "Row", "Unit"]):
        ws.write(head_row, c, h, fmt.header)
    for j, label in enumerate(cols):
        ws.write_string(head_row, FIRST_VALUE_COL + j, label, fmt.header)
    printed_cells = printed.cells(ex_id) if ex_id in printed.exhibits() else {}
    p0, k0 = printed_columns(ex_id, len(cols))
    if printed_cells:
        for j, label in enumerate(cols):
            ws.write_string(head_row, p0 + j, f"Printed {label}", fmt.header)
            ws.write_string(head_row, k0 + j, f"Check {label}", fmt.header)
    for row in exhibit.rows:
        r = layout.row_index(row.key) - 1
        ws.write_string(r, 0, row.label_zh or "")
        ws.write_string(r, 1, row.label_en)
        ws.write_string(r, 2, row.unit if row.unit != "text" else "")
        if row.note:
            ws.write_comment(r, 1, row.note)
        for j in range(len(cols)):
            value = result.values[row.key][j]
            if row.text is not None and value is not None:
                ws.write_string(r, FIRST_VALUE_COL + j, str(value))
    cached_rows: dict[str, list] = {}
    for row, j, r, c, formula, cached in formula_cells(p, ex_id, resolver):
        ws.write_formula(r, c, formula, fmt.number(_num_format(row)), excel_cached(cached))
        cached_rows.setdefault(row.key, [None] * len(cols))[j] = cached
    for key, (_, text) in printed_cells.items():
        row = exhibit.row(key)
        r = layout.row_index(key) - 1
        _write_printed(ws, row, text, r, cached_rows.get(key, [None] * len(cols)), p0, k0, fmt)
    ws.set_column(0, 0, 44 if any(r.label_zh for r in exhibit.rows) else 3)   # no printed labels: keep it narrow
    ws.set_column(1, 1, 40)
    ws.set_column(2, 2, 9)
    wide = any(result.needs.get((r.key, j)) for r in exhibit.rows for j in range(len(cols)))
    ws.set_column(FIRST_VALUE_COL, FIRST_VALUE_COL + len(cols) - 1, 30 if wide else 14)
    if printed_cells:
        ws.set_column(p0, k0 + len(cols) - 1, 12)
        ws.conditional_format(FIRST_DATA_ROW - 1, k0, FIRST_DATA_ROW - 1 + len(exhibit.rows), k0 + len(cols) - 1,
                              {"type": "cell", "criteria": "==", "value": '"✓"', "format": fmt.ok})
        ws.conditional_format(FIRST_DATA_ROW - 1, k0, FIRST_DATA_ROW - 1 + len(exhibit.rows), k0 + len(cols) - 1,
                              {"type": "text", "criteria": "begins with", "value": "≠", "format": fmt.bad})
    ws.freeze_panes(FIRST_DATA_ROW - 1, FIRST_VALUE_COL)
    ws.set_landscape()
    ws.set_paper(9)                   # A4
    ws.fit_to_pages(1, 0)             # one page wide
    ws.repeat_rows(HEADER_ROW)
    if ex_id in CHARTS:
        _write_chart(wb, ws, p, ex_id, row_after=FIRST_DATA_ROW + len(exhibit.rows) + 1)


def _printed_cell(row, cell: str):
    """(value as the sheet holds it, tolerance) of a printed cell, or None where nothing is printed."""
    parsed = printed.parse(cell)
    if cell == "_" or parsed is None:
        return None
    value, decimals, exponent = parsed
    if row.display.percent or cell.endswith("%"):
        return value / 100, 0.5 * 10 ** -(decimals + 2)
    return value * 10 ** exponent, 0.5 * 10 ** (exponent - decimals)


def excel_cached(value):
    """A formula's cached result as xlsxwriter writes it: a cell with no number (the engine's inf for
    ``#DIV/0!``, NaN for ``#NUM!``) as that error value, anything else as it is."""
    if isinstance(value, float) and not math.isfinite(value):
        return DIV0 if value == math.inf else NUM
    return value


def check_text(computed, shown: float, tolerance: float) -> str:
    """What a check cell shows: ✓ when the computed value rounds to the printed one, else ≠ and the difference."""
    if isinstance(computed, (int, float)) and not isinstance(computed, bool) and math.isfinite(computed):
        diff = computed - shown
        return "✓" if abs(diff) <= tolerance * (1 + 1e-9) else "≠ " + _text_scientific(diff)
    return "≠"


def _text_scientific(x: float) -> str:
    """``x`` as ``TEXT(x, "0.00E+00")`` shows it in Excel and LibreOffice: the number to 15 significant digits,
    then to 3, halves away from zero (172.49999999999997 shows 1.73E+02, where Python's format says 1.72E+02)."""
    from decimal import ROUND_HALF_UP, Decimal

    d = Decimal(format(x, ".15g"))
    if d == 0:
        return "0.00E+00"
    e = d.adjusted()
    m = d.scaleb(-e).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if abs(m) >= 10:
        m, e = (m / 10).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), e + 1
    return f"{m}E{'+' if e >= 0 else '-'}{abs(e):02d}"


def printed_columns(ex_id: str, n: int) -> tuple[int, int]:
    """The first printed-value column and the first check column of an exhibit sheet with ``n`` columns."""
    p0 = FIRST_VALUE_COL + n + 1
    return p0, p0 + n + 1


def check_formula(r: int, j: int, p0: int, tolerance: float) -> str:
    """The formula of the check cell of column ``j`` on sheet row ``r``: ✓ when the computed value is within
    ``tolerance`` of the printed one, else ≠ and the difference."""
    computed = xl_rowcol_to_cell(r, FIRST_VALUE_COL + j)
    printed_ref = xl_rowcol_to_cell(r, p0 + j)
    tol = repr(tolerance * (1 + 1e-9)).replace("e-", "E-")
    return (f'=IF(ISNUMBER({computed}),IF(ABS({computed}-{printed_ref})<={tol},"✓",'
            f'"≠ "&TEXT({computed}-{printed_ref},"0.00E+00")),"≠")')


@dataclass(frozen=True)
class SheetCell:
    """A cell of an exhibit sheet that its formulas compute or read."""

    kind: str                    # "formula" (a row's value), "printed" (the report's value) or "check"
    formula: str | None          # the formula (with its =); None for a printed value, which the checks read
    value: object                # what the cell caches, or holds
    row: str                     # the exhibit row's key
    column: str                  # the column's label


def sheet_cells(p: Plan) -> dict[str, dict[str, SheetCell]]:
    """Every cell of the exhibit sheets that the build writes a formula or a printed value into:
    ``{exhibit: {A1: SheetCell}}``: the formula cells with the engine's values (:func:`formula_cells`),
    the report's printed values, and the checks with what they show for the engine's values."""
    resolver = formulas(p)
    out: dict[str, dict[str, SheetCell]] = {}
    for ex_id in _dependency_order(p):
        columns = p.layouts[ex_id].columns
        out[ex_id] = {xl_rowcol_to_cell(r, c): SheetCell("formula", formula, cached, row.key, columns[j])
                      for row, j, r, c, formula, cached in formula_cells(p, ex_id, resolver)}
    for ex_id in p.order:
        if ex_id not in printed.exhibits():
            continue
        exhibit, layout, result = exhibits.get(ex_id), p.layouts[ex_id], p.numeric[ex_id]
        p0, k0 = printed_columns(ex_id, len(layout.columns))
        cells = out[ex_id]
        for key, (_, text) in printed.cells(ex_id).items():
            row = exhibit.row(key)
            r = layout.row_index(key) - 1
            for j, cell in enumerate(text.split()):
                got = _printed_cell(row, cell)
                if got is None:
                    continue
                shown, tolerance = got
                column = layout.columns[j]
                computed = sheet_value(row, result.values[key][j]) if not result.needed(key, j) else None
                cells[xl_rowcol_to_cell(r, p0 + j)] = SheetCell("printed", None, shown, key, column)
                cells[xl_rowcol_to_cell(r, k0 + j)] = SheetCell("check", check_formula(r, j, p0, tolerance),
                                                                check_text(computed, *got), key, column)
    return {ex_id: out[ex_id] for ex_id in p.order}


def printed_checks(p: Plan) -> dict[str, dict[str, tuple[str, str, str]]]:
    """Each exhibit's check cells with what they show for the plan's values: {exhibit: {A1: (text, row, column)}}."""
    return {ex_id: {ref: (c.value, c.row, c.column) for ref, c in cells.items() if c.kind == "check"}
            for ex_id, cells in sheet_cells(p).items() if ex_id in printed.exhibits()}


def cached_results(p: Plan) -> dict[str, dict[str, tuple]]:
    """Every cell of the exhibit sheets whose result the build caches, with that result:
    ``{exhibit: {A1: (cached value, row key, column label)}}``.

    The formula cells hold the engine's values (:func:`formula_cells`), the printed-value checks
    what they show for them (:func:`printed_checks`); see :func:`sheet_cells` for their formulas.
    """
    return {ex_id: {ref: (c.value, c.row, c.column) for ref, c in cells.items() if c.formula is not None}
            for ex_id, cells in sheet_cells(p).items()}


def _write_printed(ws, row, cells_text: str, r: int, computed_values: list, p0: int, k0: int,
                   fmt: HouseFormats) -> None:
    """The report's printed cells beside the computed ones, and a check at the printed precision.

    The check is a formula (it follows edits); its cached result is what it computes now.
    """
    for j, cell in enumerate(cells_text.split()):
        got = _printed_cell(row, cell)
        if got is None:
            continue
        shown, tolerance = got
        ws.write_number(r, p0 + j, shown, fmt.number(_num_format(row), "printed"))
        ws.write_formula(r, k0 + j, check_formula(r, j, p0, tolerance), None,
                         check_text(computed_values[j], shown, tolerance))


def _write_chart(wb, ws, p: Plan, ex_id: str, row_after: int) -> None:
    title, rows, kind = CHARTS[ex_id]
    exhibit = exhibits.get(ex_id)
    layout = p.layouts[ex_id]
    keys = rows or tuple(r.key for r in exhibit.rows[:1])
    chart = wb.add_chart({"type": kind})
    n = len(layout.columns)
    sheet = quote_sheet(layout.sheet)
    for key in keys:
        r = layout.row_index(key) - 1
        first = FIRST_VALUE_COL
        chart.add_series({
            "name": f"={sheet}!{xl_rowcol_to_cell(r, 1, row_abs=True, col_abs=True)}",
            "categories": f"={sheet}!{xl_range_abs(HEADER_ROW, first, HEADER_ROW, first + n - 1)}",
            "values": f"={sheet}!{xl_range_abs(r, first, r, first + n - 1)}",
        })
    chart.set_title({"name": title})
    chart.set_size({"width": 720, "height": 320})
    ws.insert_chart(row_after, 1, chart)


def _write_errata(ws, p: Plan, fmt: HouseFormats) -> None:
    ws.write(0, 0, "Errata — the report's inconsistencies in this workbook's exhibits", fmt.title)
    ws.write(1, 0, "A switch is an input (Inputs sheet): TRUE reproduces the printed number, FALSE the "
                   "consistent one. Text-versus-table conflicts are alternative scenarios.", fmt.subtle)
    heads = ["id", "kind", "inconsistency", "exhibits", "printed", "consistent", "switch", "switch now",
             "alternative scenario", "description"]
    for c, h in enumerate(heads):
        ws.write(3, c, h, fmt.header)
    rows = [e for e in errata.all_errata() if any(x in p.order for x in e.exhibits)
            or any(eid == e.id for ex in p.order for eid in exhibits.get(ex).errata)]
    for i, e in enumerate(rows, start=4):
        ws.write_string(i, 0, e.id)
        ws.write_string(i, 1, e.kind)
        ws.write_string(i, 2, e.title)
        ws.write_string(i, 3, ", ".join(e.exhibits))
        ws.write_string(i, 4, e.printed or "")
        ws.write_string(i, 5, e.consistent or "")
        ws.write_string(i, 6, e.switch or "")
        if e.switch and e.switch in p.inputs:
            ws.write_formula(i, 7, f"={e.switch}", None, bool(p.scenario.values[e.switch]))
        ws.write_string(i, 8, e.alternative or "")
        ws.write_string(i, 9, e.description, fmt.wrap)
    ws.set_column(0, 1, 10)
    ws.set_column(2, 2, 50)
    ws.set_column(3, 8, 18)
    ws.set_column(9, 9, 100)
    ws.freeze_panes(4, 1)


def _write_index(ws, p: Plan, fmt: HouseFormats) -> None:
    ws.write(0, 0, f"suanli — {p.group.title}", fmt.title)
    ws.write(STAMP_CELL, f"Scenario {p.scenario.name}: {p.scenario.title}. Built by suanli {__version__}. "
             "Edit the Inputs sheet; every table recalculates.", fmt.subtle)
    ws.write_url(2, 0, f"internal:{INPUTS_SHEET}!A1", fmt.link, string="→ Inputs")
    ws.write_url(2, 1, f"internal:{ERRATA_SHEET}!A1", fmt.link, string="→ Errata")
    for c, h in enumerate(["sheet", "报告", "exhibit", "source"]):
        ws.write(4, c, h, fmt.header)
    for i, ex_id in enumerate(p.order, start=5):
        e = exhibits.get(ex_id)
        ws.write_url(i, 0, f"internal:{quote_sheet(ex_id)}!A1", fmt.link, string=ex_id)
        ws.write_string(i, 1, e.title_zh)
        ws.write_string(i, 2, e.title_en + ("" if ex_id in p.group.exhibits else " (used by the others)"))
        ws.write_string(i, 3, e.source)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 2, 60)
    ws.set_column(3, 3, 80)


def _write_meta(ws, p: Plan) -> None:
    rows = meta.rows(p.group.name, p.scenario.name, inputs_hash(p.scenario, p.inputs), p.order, p.inputs,
                     lineage=meta.lineage(p.scenario))
    for i, (k, v) in enumerate(rows):
        ws.write_string(i, 0, k)
        ws.write_string(i, 1, v)


def build_all(out_dir: str | os.PathLike, scenario: str | scenarios.Scenario | None = None,
              excel_button: bool = False) -> list[Path]:
    """Write every group's workbook and an index into ``out_dir``; returns the paths.

    ``scenario`` (a packaged scenario's name, or a :class:`~engine.scenarios.Scenario` such as one
    read from a scenario file) is every workbook's; None gives each workbook its group's own.
    """
    out = Path(out_dir)
    chosen = scenarios.load(scenario) if isinstance(scenario, str) else scenario
    paths = []
    for g in GROUPS:
        sc = chosen if chosen is not None else scenarios.load(g.scenario)
        paths.append(build_workbook(g, out / f"{g.name}.xlsx", sc, excel_button=excel_button))
    paths.append(_build_index(out, chosen.name if chosen is not None else None, ".xlsm" if excel_button else ".xlsx"))
    return paths


def _build_index(out: Path, scenario_name: str | None, suffix: str = ".xlsx") -> Path:
    def write(tmp: Path) -> None:
        wb = new_workbook(tmp)
        fmt = HouseFormats(wb)
        ws = wb.add_worksheet(INDEX_SHEET)
        ws.write(0, 0, "suanli — the report's tables as workbooks", fmt.title)
        ws.write(1, 0, f"Built by suanli {__version__}; scenario {scenario_name or 'each workbook its own'}.",
                 fmt.subtle)
        for c, h in enumerate(["workbook", "what", "exhibit", "报告", "title"]):
            ws.write(3, c, h, fmt.header)
        r = 4
        for g in GROUPS:
            for ex_id in g.exhibits:
                e = exhibits.get(ex_id)
                ws.write_url(r, 0, f"external:{g.name}{suffix}#{quote_sheet(ex_id)}!A1", fmt.link, string=g.name)
                ws.write_string(r, 1, g.title)
                ws.write_string(r, 2, ex_id)
                ws.write_string(r, 3, e.title_zh)
                ws.write_string(r, 4, e.title_en)
                r += 1
        ws.set_column(0, 0, 18)
        ws.set_column(1, 1, 50)
        ws.set_column(2, 2, 22)
        ws.set_column(3, 4, 60)
        wb.close()

    return write_atomic(out / "index.xlsx", write)



