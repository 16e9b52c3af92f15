"""Template workbooks: the report's tables as live formulas over editable inputs.

``suanli templates build`` writes one workbook per part of the chain (demand, servers,
network, power, export control, the other passages, the AI-server compilation, the chain)
and an index.  In each workbook:

* **Inputs**: every input the workbook's exhibits read, in the unit the report prints it in
  (15,000 in 亿, 30%; :mod:`engine.formats`), under the exhibit that reads it, as a workbook-level
  defined name equal to its key (``suanli inputs``) holding what the sheet shows, with unit,
  accepted range in that unit (enforced by data validation) and source; the cells to edit are
  coloured, and the sheet prints one page wide.
* one sheet per exhibit, laid out like the report: the report's row label as printed, the
  English label, the unit, then one column per year or case; every value a native formula
  (built from the same row definitions the engine computes with) carrying the engine's value
  as its cached result; beside it the report's printed values and a check of the two
  (:mod:`.checks`: ✓, the erratum that explains a difference, "scenario" where an input was
  moved, or the difference in %).  Its third row names the scenario and the errata switches
  in force, live; its columns are as wide as what they show (:mod:`.widths`).
* **Errata**: each inconsistency, with the input that switches it; **Index**: the sheets.

The formulas use only functions Excel 2016 and LibreOffice 7.4 both have, so the workbook
recalculates anywhere without an add-in.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter.utility import xl_col_to_name, xl_range_abs, xl_rowcol_to_cell

from engine import __version__, errata, exhibits, formats, scenarios
from engine.exhibit import DIV0, NUM, NumericResolver, Result

from . import meta, widths
from .checks import Check, InputRead, Reads, checks, switches_read
from .files import write_atomic
from .groups import GROUPS, Group
from .render import (
    ERRATA_SHEET,
    FIRST_DATA_ROW,
    FIRST_INPUT_ROW,
    FIRST_VALUE_COL,
    HEADER_ROW,
    INDEX_SHEET,
    INPUT_VALUE_COL,
    INPUTS_SHEET,
    MAX_ACROSS,
    NEEDS_INPUT,
    STAMP_CELL,
    FormulaResolver,
    InputLayout,
    SheetLayout,
    home_exhibit,
    input_layout,
    quote_sheet,
)
from .writer import HouseFormats, new_workbook

__all__ = ["Plan", "plan", "write_plan", "formulas", "formula_cells", "printed_checks", "cached_results",
           "SheetCell", "sheet_cells", "plan_checks", "header", "sheet_value", "excel_cached", "build_workbook",
           "build_all", "inputs_hash", "HEADER_CELL"]


#: Charts where a reader would rather look than read: exhibit -> (title, rows, kind).  An axis shows one
#: unit, named in its title: the rows' first unit on the left, a second one on the right.
CHARTS = {
    "fig49": ("GPUs needed for training", ("h100_total", "a100_total"), "column"),
    "fig50": ("GPUs needed for inference", ("h100_cards", "a100_cards"), "column"),
    "fig7": ("Global AI-server market", ("market",), "column"),
    "fig8": ("China AI-server market", ("market",), "column"),
    "fig85": ("HBM market", None, "column"),
    "chain": ("The chain: accelerators and IT load", ("cards", "it_kw"), "line"),
}

#: The exhibit sheets' third row: the scenario and the errata switches in force, a live formula.
HEADER_CELL = "A3"


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
    return Plan(group, scenario, order, numeric, used, input_layout(used, order), layouts)


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
    """The number format of a row's cells: its unit's (:func:`engine.formats.excel_format`), at the row's
    printed decimals or significant figures, so a cell reads as ``suanli table`` prints it."""
    return formats.excel_format(row.unit, row.decimals, row.sig)


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
                   excel_button: bool = False, interpreter: str | None = None) -> Path:
    """Write one group's workbook to ``path`` (atomically); returns the path.

    With ``excel_button`` the workbook is macro-enabled (``.xlsm``): it carries xlwings' own VBA
    project, a Refresh button on its Index sheet and the interpreter the button starts (see
    :func:`_excel_button`).
    """
    sc = scenario if scenario is not None else scenarios.load(group.scenario)
    return write_plan(plan(group, sc), path, excel_button=excel_button, interpreter=interpreter)


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
    fraction), or :data:`~.render.NEEDS_INPUT`; the workbook writer and refresh both take it from here.
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
            cached = NEEDS_INPUT if needs else sheet_value(row, result.values[row.key][j])
            yield row, j, r, FIRST_VALUE_COL + j, formula, cached


def write_plan(p: Plan, path: str | os.PathLike, excel_button: bool = False, interpreter: str | None = None) -> Path:
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
        checked = plan_checks(p)
        for ex_id in _dependency_order(p):
            _write_exhibit(wb, sheets[ex_id], p, ex_id, resolver, checked, fmt)
        _write_errata(errata_ws, p, fmt)
        _write_index(index, p, fmt)
        _write_meta(meta_ws, p)
        meta_ws.hide()
        index.activate()
        if excel_button:
            _excel_button(wb, index, interpreter)
        wb.close()

    target = Path(path)
    if excel_button:
        target = target.with_suffix(".xlsm")
    return write_atomic(target, write)


def _excel_button(wb, index, interpreter: str | None) -> None:
    """xlwings' VBA project with suanli's Refresh macro, a button on the Index sheet that runs it, and a
    hidden ``xlwings.conf`` sheet naming the interpreter (this Python unless given).

    The macro is ``RunPython`` of a fixed command that imports the installed package
    (:data:`addin.refresh_button.RUNPYTHON_COMMAND`): nothing depends on the workbook's file name."""
    import io
    import sys

    from addin import refresh_button
    from addin.workbook import conf_rows, write_conf_sheet

    wb.add_vba_project(io.BytesIO(refresh_button.vba_project()), is_stream=True)
    wb.set_vba_name("ThisWorkbook")
    index.set_vba_name("Sheet1")
    index.insert_button(2, 3, {"macro": refresh_button.MACRO, "caption": "Refresh (xlwings)", "width": 150,
                               "height": 24})
    write_conf_sheet(wb, conf_rows(interpreter or sys.executable, udf_module=None), "Sheet2")


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


#: Inputs sheet column widths (characters): the input, its unit, each value, the accepted range, the source.
INPUT_WIDTHS = {"input": 40, "unit": 15, "value": 11, "accepted": 20, "source": 46}
#: The height of one line of 11-point text, in points (Excel's and LibreOffice's default row holds one).
LINE_POINTS = 15.0


def _write_inputs(wb, ws, p: Plan, fmt: HouseFormats) -> None:
    """The Inputs sheet: every input in the report's display unit, under the exhibit that reads it
    (:func:`.render.input_layout`), each a workbook-level name holding what the sheet shows, with its
    unit, accepted range (in that unit, enforced by data validation), source and key; one page wide."""
    schema, axes = scenarios.schema(), scenarios.axes()
    layout = p.input_layout
    look = _InputLooks(wb, fmt)
    first, last = INPUT_VALUE_COL, layout.last_value_col
    accepted_col, source_col, name_col = last + 1, last + 2, last + 3
    widths = {0: INPUT_WIDTHS["input"], 1: INPUT_WIDTHS["unit"], accepted_col: INPUT_WIDTHS["accepted"],
              source_col: INPUT_WIDTHS["source"], name_col: min(max(len(k) for k in p.inputs) + 2, 40)}
    widths.update({c: INPUT_WIDTHS["value"] for c in range(first, last + 1)})
    ws.write(0, 0, f"Inputs — {p.group.title}", fmt.title)
    ws.write(1, 0, "Edit the yellow cells, in the unit shown: 15,000 in 亿 is 1.5e12 parameters, 30% is 0.3. "
                   "Each input is a workbook-level name (its key, last column) holding what you see; the "
                   "formulas convert it to the base unit.", fmt.subtle)
    ws.write(2, 0, f"Scenario {p.scenario.name}: {p.scenario.title}", fmt.subtle)
    heights: dict[int, float] = {}

    def put(r: int, c: int, text: str, style, wrap: bool = True, points: float = 11.0) -> None:
        ws.write_string(r, c, text, style)
        if wrap:
            lines = _lines(text, widths[c] * 11.0 / points)
            heights[r] = max(heights.get(r, 1.0), lines * LINE_POINTS * points / 11.0 + (2.0 if lines > 1 else 0.0))

    for r, item in sorted(layout.rows.items()):
        if item.kind == "heading":
            title = ("Inputs no exhibit of this workbook reads" if item.exhibit is None else
                     f"{item.exhibit}  {exhibits.get(item.exhibit).title_zh} — {exhibits.get(item.exhibit).title_en}")
            for c in range(name_col + 1):
                ws.write_blank(r, c, None, look.heading)
            ws.write_string(r, 0, title, look.heading)
            heights[r] = 18.0
        elif item.kind == "shared":
            homes = {home_exhibit(k, p.order) for k in item.keys}
            under = ", ".join(sorted(homes, key=p.order.index))
            ws.write_string(r, 0, f"Also reads {', '.join(item.keys)} (under {under}).", fmt.subtle)
        elif item.kind == "header":
            labels = ["value"] if item.axis is None else list(axes[item.axis])
            if item.axis is not None and len(labels) > MAX_ACROSS:
                labels = ["values: the table below"]
            row_heads = {0: "Input", 1: "Unit", accepted_col: "Accepted", source_col: "Source",
                         name_col: "Name (key)"}
            row_heads.update({first + j: label for j, label in enumerate(labels)})
            for c in range(name_col + 1):
                put(r, c, row_heads.get(c, ""), fmt.header, wrap=c in row_heads)
        elif item.kind == "input":
            key = item.keys[0]
            spec, shown = schema[key], formats.input_display(key)
            put(r, 0, spec.label, look.text)
            put(r, 1, "TRUE/FALSE" if spec.is_switch else shown.label, look.text)
            put(r, accepted_col, _accepted(spec), look.accepted)
            put(r, source_col, spec.source, look.small, points=9.0)
            _write_key(ws, r, name_col, key, look.key)
            if key in layout.down:
                row0, col0, _ = layout.places[key]
                put(r, first, f"↓ column {xl_col_to_name(col0)}", look.note)
            else:
                _write_input_cells(wb, ws, p, key, look)
        elif item.kind == "table":
            put(r, 0, "", fmt.header)
            put(r, 1, "", fmt.header)
            for j, key in enumerate(item.keys):
                put(r, first + j, schema[key].label, fmt.header)
        elif item.kind == "entry":
            put(r, 0, axes[item.axis][item.index], look.text)
            if item.index == 0:
                for key in item.keys:
                    _write_input_cells(wb, ws, p, key, look)
    for c, w in widths.items():
        ws.set_column(c, c, w)
    for r, h in heights.items():
        if h > LINE_POINTS:
            ws.set_row(r, h)
    ws.freeze_panes(FIRST_INPUT_ROW - 1, 2)
    ws.set_landscape()
    ws.set_paper(9)                   # A4
    ws.fit_to_pages(1, 0)             # one page wide, as many long as it takes
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.print_area(0, 0, max(layout.rows, default=FIRST_INPUT_ROW), name_col)


class _InputLooks:
    """The Inputs sheet's cell formats: text at the top of its row, input cells in their unit's number format."""

    def __init__(self, wb, fmt: HouseFormats):
        self.wb, self.fmt = wb, fmt
        top = {"valign": "top"}
        self.text = wb.add_format({**top, "text_wrap": True})
        self.accepted = wb.add_format({**top, "text_wrap": True, "align": "left", "indent": 1})
        self.small = wb.add_format({**top, "text_wrap": True, "font_size": 9, "font_color": "#404040"})
        self.key = wb.add_format({**top, "font_size": 9, "font_color": "#404040"})
        self.note = wb.add_format({**top, "italic": True, "font_color": "#555555"})
        self.heading = wb.add_format({"bold": True, "font_size": 12, "bg_color": "#E7E6E6", "bottom": 1})
        self._inputs: dict[str, object] = {}

    def input(self, num_format: str):
        if num_format not in self._inputs:
            self._inputs[num_format] = self.wb.add_format({**self.fmt.input_fill, "num_format": num_format,
                                                           "valign": "top"})
        return self._inputs[num_format]


def _write_input_cells(wb, ws, p: Plan, key: str, look: _InputLooks) -> None:
    """An input's cells (its value, or one per column, in its display unit), its validation and its name."""
    spec, shown = scenarios.schema()[key], formats.input_display(key)
    value = p.scenario.values[key]
    values = list(value) if isinstance(value, tuple) else [value]
    style = look.input("General" if spec.is_switch else shown.excel_format(values))
    cells = p.input_layout.cells(key)
    for (r, c), v in zip(cells, values, strict=True):
        if v is None:
            ws.write_blank(r, c, None, style)
        elif spec.is_switch:
            ws.write_boolean(r, c, bool(v), style)
        else:
            ws.write_number(r, c, shown.cell_value(float(v)), style)
    (r1, c1), (r2, c2) = cells[0], cells[-1]
    ws.data_validation(r1, c1, r2, c2, _validation(spec))
    if spec.user_supplied:
        ws.write_comment(r1, c1, f"Not in the reports: yours to supply. Cells that need {key} show "
                                 f"\"{NEEDS_INPUT}\" until you do.")
    wb.define_name(key, p.input_layout.name_target(key))


#: Text LibreOffice reads as an escaped character in any cell (``_x16_``), though the standard escapes have four digits.
_LOOKS_ESCAPED = re.compile(r"_x[0-9A-Fa-f]{1,4}_")


def _write_key(ws, r: int, c: int, key: str, style) -> None:
    """An input's key as text; one LibreOffice would show mangled (``psg_pcie4_x16_gbs`` as ``psg_pcie4gbs``)
    as a formula giving the text, which neither application decodes."""
    if _LOOKS_ESCAPED.search(key):
        ws.write_formula(r, c, f'="{key}"', style, key)
    else:
        ws.write_string(r, c, key, style)


def _accepted(spec) -> str:
    """An input's accepted values, in its display unit: ``in (0%, 100%]``, ``a number >= 0``."""
    return formats.describe_domain(spec.key, spec.domain).removeprefix("must be ")


def _lines(text: str, width: float) -> int:
    """The lines ``text`` wraps to in a column ``width`` characters wide, word by word: a character of a
    proportional font is about 0.85 of the ``0`` a column width counts, a CJK character about two."""
    import unicodedata

    room = max(width - 0.5, 1.0)
    lines, used = 1, 0.0
    for part in text.replace("\n", " \n ").split(" "):
        if part == "\n":
            lines, used = lines + 1, 0.0
            continue
        size = sum(1.9 if unicodedata.east_asian_width(ch) in "WF" else 0.85 for ch in part)
        gap = 1.0 if used else 0.0
        if used + gap + size <= room:
            used += gap + size
            continue
        if used:
            lines += 1
        while size > room:                 # a word longer than the column breaks where it must
            lines += 1
            size -= room
        used = size
    return lines


def _validation(spec) -> dict:
    """Data validation of an input's cells, in the unit they hold (15,000 for 15,000亿; a percentage's fraction)."""
    d = spec.domain
    shown = formats.input_display(spec.key)
    message = f"{spec.key} {formats.describe_domain(spec.key, d)}"
    base = {"error_title": "Not accepted", "error_message": message[:255], "input_title": spec.key[:32],
            "input_message": f"{'TRUE/FALSE' if d.switch else shown.label}; {_accepted(spec)}"[:255]}
    if d.switch:
        return {**base, "validate": "list", "source": ["TRUE", "FALSE"]}
    f = shown.cell_factor
    kind = "integer" if d.whole and f == 1 else "decimal"
    lo = formats.to_display(d.low, f) if math.isfinite(d.low) else None
    hi = formats.to_display(d.high, f) if math.isfinite(d.high) else None
    if lo is not None and hi is not None:
        # an open end: enforce the closed side, the message states the open one
        crit = {"criteria": "between", "minimum": lo, "maximum": hi}
    elif lo is not None:
        crit = {"criteria": ">" if d.low_open else ">=", "value": lo}
    elif hi is not None:
        crit = {"criteria": "<" if d.high_open else "<=", "value": hi}
    else:
        crit = {"criteria": "between", "minimum": -1e308, "maximum": 1e308}
    return {**base, "validate": kind, **crit, "ignore_blank": spec.user_supplied}


def _write_exhibit(wb, ws, p: Plan, ex_id: str, resolver: _CachedFormulas, checked: _Checks,
                   fmt: HouseFormats) -> None:
    exhibit = exhibits.get(ex_id)
    layout = p.layouts[ex_id]
    result = p.numeric[ex_id]
    cols = layout.columns
    n = len(cols)
    used_by = "" if ex_id in p.group.exhibits else "  (used by this workbook's other sheets)"
    ws.write(0, 0, f"{exhibit.id}  {exhibit.title_zh} — {exhibit.title_en}{used_by}", fmt.title)
    ws.write(1, 0, f"Source: {exhibit.source}", fmt.subtle)
    formula, text = header(p, ex_id, checked)
    ws.write_formula(HEADER_CELL, formula, fmt.subtle, text)
    mine = checked.cells.get(ex_id, [])
    p0, k0 = printed_columns(ex_id, n)
    heads = {0: "报告行 (as printed)", 1: "Row", 2: "Unit"}
    heads.update({FIRST_VALUE_COL + j: label for j, label in enumerate(cols)})
    if mine:
        heads.update({p0 + j: f"Printed {label}" for j, label in enumerate(cols)})
        heads.update({k0 + j: f"Check {label}" for j, label in enumerate(cols)})
    shown: dict[int, list[str]] = {c: [] for c in heads}       # what each column shows, for its width
    for row in exhibit.rows:
        shown[0].append(row.label_zh or "")
        shown[1].append(row.label_en)
        shown[2].append(row.unit if row.unit != "text" else "")
        for j in range(n):
            value = result.values[row.key][j]
            if row.text is not None and value is not None:
                shown[FIRST_VALUE_COL + j].append(str(value))
    cached_rows: dict[str, list] = {}
    cells = list(formula_cells(p, ex_id, resolver))
    for row, j, _r, c, _formula, cached in cells:
        shown[c].append(widths.shown(excel_cached(cached), _num_format(row)))
        cached_rows.setdefault(row.key, [None] * n)[j] = cached
    wraps: dict[str, list[tuple[str, int]]] = {}          # row key -> the check texts that may wrap, and where
    for check, pc, kc in mine:
        shown[pc].append(widths.shown(check.shown, _num_format(exhibit.row(check.row))))
        one, wrapped = check.widest()            # an erratum's short words on one line, longer ones wrapped
        shown[kc] += one + [part for text in wrapped
                            for part in ([text] if widths.text_width(text) <= _CHECK_LINE else text.split())]
        wraps.setdefault(check.row, []).extend((text, kc) for text in wrapped)
    width = {c: _column_width(c, shown[c], heads[c]) for c in heads}
    for c, w in width.items():
        ws.set_column(c, c, w)
    if mine:
        for gap in (FIRST_VALUE_COL + n, p0 + n):      # the empty columns between values, printed and checks
            ws.set_column(gap, gap, 2)

    for c, h in heads.items():
        ws.write_string(HEADER_ROW, c, h, fmt.header)
    ws.set_row(HEADER_ROW, widths.row_height([(h, width[c]) for c, h in heads.items()], bold=True))
    for row in exhibit.rows:
        r = layout.row_index(row.key) - 1
        labels = [(0, row.label_zh or ""), (1, row.label_en)]
        wrapped = [(text, width[c]) for c, text in labels if widths.text_width(text) + widths.PADDING > width[c]]
        for c, text in labels:
            ws.write_string(r, c, text, fmt.wrap_cell if wrapped else None)
        ws.write_string(r, 2, row.unit if row.unit != "text" else "")
        wrapped += [(text, width[c]) for text, c in wraps.get(row.key, [])]
        texts = cached_rows.get(row.key) or (result.values[row.key] if row.text is not None else ())
        wrapped += [(text, width[FIRST_VALUE_COL + j]) for j, text in enumerate(texts)
                    if _wraps(row, text, width[FIRST_VALUE_COL + j])]      # a long text, printed or a formula's
        if wrapped:
            ws.set_row(r, widths.row_height(wrapped))
        if row.note:
            ws.write_comment(r, 1, row.note)
        for j in range(n):
            value = result.values[row.key][j]
            if row.text is not None and value is not None:
                long = _wraps(row, str(value), width[FIRST_VALUE_COL + j])
                ws.write_string(r, FIRST_VALUE_COL + j, str(value), fmt.wrap_cell if long else None)
    for row, j, r, c, formula, cached in cells:
        style = fmt.wrap_cell if _wraps(row, cached, width[c]) else fmt.number(_num_format(row))
        ws.write_formula(r, c, formula, style, excel_cached(cached))
        if cached == NEEDS_INPUT:
            keys = result.needed(row.key, j)
            ws.write_comment(r, c, f"Needs {', '.join(keys)}: the reports give no value; type yours on the Inputs "
                                   "sheet.", {"x_scale": 1.6})
    noted: set[str] = set()
    for check, pc, kc in mine:
        row = exhibit.row(check.row)
        ws.write_number(check.r, pc, check.shown, fmt.number(_num_format(row), "printed"))
        computed = cached_rows.get(check.row, [None] * n)[cols.index(check.column)]
        ws.write_formula(check.r, kc, check.formula(), fmt.wrap_cell if check.reasons else None,
                         check.text(computed, p.scenario))
        note = check.note()
        if note and check.row not in noted:
            noted.add(check.row)
            ws.write_comment(check.r, kc, note, {"x_scale": 2.5, "y_scale": 1.5})
    if mine:
        first, last = FIRST_DATA_ROW - 1, FIRST_DATA_ROW - 1 + len(exhibit.rows)
        for start, style in [("scenario", fmt.scenario), ("✓", fmt.ok), ("≠", fmt.bad), ("E", fmt.erratum),
                             ("S", fmt.erratum)]:
            ws.conditional_format(first, k0, last, k0 + n - 1, {"type": "text", "criteria": "begins with",
                                                                 "value": start, "format": style,
                                                                 "stop_if_true": True})
    ws.freeze_panes(FIRST_DATA_ROW - 1, FIRST_VALUE_COL)
    ws.set_landscape()
    ws.set_paper(9)                   # A4
    ws.fit_to_pages(1, 0)             # one page wide
    ws.repeat_rows(HEADER_ROW)
    if ex_id in CHARTS:
        _write_chart(wb, ws, p, ex_id, row_after=FIRST_DATA_ROW + len(exhibit.rows) + 1)


def _wraps(row, cached, width: float) -> bool:
    """Whether a text row's cell holds more than its column shows on one line: it then wraps, and its row is as
    tall as its lines (a text cut at its neighbour would still be in the PDF, under it)."""
    return row.unit == "text" and isinstance(cached, str) and widths.text_width(cached) + widths.PADDING > width


#: A check column fits a text this wide on one line ("E03 text: 10000亿"); an erratum's longer words wrap.
_CHECK_LINE = 18.0

#: Column widths: the label columns wrap beyond these; a value column is as wide as its widest number.
_LABEL_WIDTH = {0: 44.0, 1: 40.0, 2: 10.0}


def _column_width(c: int, texts: list[str], head: str) -> float:
    """A column as wide as what it shows, its header wrapping between words only (a part in brackets is one
    word: "报告行 (as printed)" wraps before the bracket); labels wrap beyond a cap."""
    words = re.findall(r"\([^)]*\)|\S+", head)
    if c in _LABEL_WIDTH:
        return widths.fit(texts, minimum=4.0, maximum=_LABEL_WIDTH[c], bold_texts=words)
    return widths.fit(texts, minimum=5.0, maximum=40.0, bold_texts=words)


def excel_cached(value):
    """A formula's cached result as xlsxwriter writes it: a cell with no number (the engine's inf for
    ``#DIV/0!``, NaN for ``#NUM!``) as that error value, anything else as it is."""
    if isinstance(value, float) and not math.isfinite(value):
        return DIV0 if value == math.inf else NUM
    return value


def printed_columns(ex_id: str, n: int) -> tuple[int, int]:
    """The first printed-value column and the first check column of an exhibit sheet with ``n`` columns."""
    p0 = FIRST_VALUE_COL + n + 1
    return p0, p0 + n + 1


@dataclass
class _Checks:
    """The check cells of a plan's exhibit sheets, and the errata switches each sheet's values read."""

    cells: dict[str, list[tuple[Check, int, int]]]       # exhibit -> (check, printed column, check column)
    switches: dict[str, list[tuple[errata.Erratum, InputRead]]]


#: Checks by layout signature, as :data:`_FORMULAS`: they depend on the layout, not on the values.
_CHECKS: dict[tuple, _Checks] = {}


def plan_checks(p: Plan) -> _Checks:
    """The check cells of a plan's exhibit sheets (:func:`.checks.checks`) and the switches each sheet reads."""
    signature = _signature(p)
    if signature not in _CHECKS:
        if len(_CHECKS) >= 8:
            _CHECKS.pop(next(iter(_CHECKS)))
        reads = Reads(FormulaResolver(p.scenario, p.layouts, p.numeric, p.input_layout))
        cells: dict[str, list[tuple[Check, int, int]]] = {}
        for check, pc, kc in checks(reads, p.order, p.layouts, printed_columns):
            cells.setdefault(check.exhibit, []).append((check, pc, kc))
        _CHECKS[signature] = _Checks(cells, switches_read(reads, p.order, p.layouts))
    return _CHECKS[signature]


def header(p: Plan, ex_id: str, checked: _Checks | None = None) -> tuple[str, str]:
    """An exhibit sheet's third row: (formula, what it shows for the plan's values).  The scenario is the one
    the hidden sheet records (refresh stamps it); each errata switch the sheet's values read, as it is now."""
    checked = checked or plan_checks(p)
    found = checked.switches.get(ex_id, [])
    row = [k for k, _ in meta.rows("", "", "", [], [])].index("scenario")
    scenario = f"{quote_sheet(meta.META_SHEET)}!{xl_rowcol_to_cell(row, 1, row_abs=True, col_abs=True)}"
    tail = " · every value is a live formula over the Inputs sheet"
    if not found:
        rest = " · no errata switch bears on this sheet"
        return f'="Scenario "&{scenario}&"{rest}{tail}"', f"Scenario {p.scenario.name}{rest}{tail}"
    parts_f, parts_t = [], []
    for i, (e, read) in enumerate(found):
        lead = " · errata " if i == 0 else ", "
        parts_f.append(f'"{lead}{e.id} "&IF({read.expr},"as printed","corrected")')
        parts_t.append(f"{lead}{e.id} {'as printed' if read.value(p.scenario) else 'corrected'}")
    return (f'="Scenario "&{scenario}&' + "&".join(parts_f) + f'&"{tail}"',
            f"Scenario {p.scenario.name}" + "".join(parts_t) + tail)


@dataclass(frozen=True)
class SheetCell:
    """A cell of an exhibit sheet that its formulas compute or read."""

    kind: str                    # "formula" (a row's value), "printed" (the report's value), "check" or "header"
    formula: str | None          # the formula (with its =); None for a printed value, which the checks read
    value: object                # what the cell caches, or holds
    row: str                     # the exhibit row's key ("scenario" for the header)
    column: str                  # the column's label ("errata switches" for the header)


def sheet_cells(p: Plan) -> dict[str, dict[str, SheetCell]]:
    """Every cell of the exhibit sheets that the build writes a formula or a printed value into:
    ``{exhibit: {A1: SheetCell}}``: the formula cells with the engine's values (:func:`formula_cells`),
    the header naming the scenario and the errata switches (:func:`header`), the report's printed values,
    and the checks with what they show for the engine's values (:mod:`.checks`)."""
    resolver = formulas(p)
    checked = plan_checks(p)
    out: dict[str, dict[str, SheetCell]] = {}
    computed: dict[tuple[str, str, str], object] = {}
    for ex_id in _dependency_order(p):
        columns = p.layouts[ex_id].columns
        out[ex_id] = {}
        formula, text = header(p, ex_id, checked)
        out[ex_id][HEADER_CELL] = SheetCell("header", formula, text, "scenario", "errata switches")
        for row, j, r, c, formula, cached in formula_cells(p, ex_id, resolver):
            out[ex_id][xl_rowcol_to_cell(r, c)] = SheetCell("formula", formula, cached, row.key, columns[j])
            computed[(ex_id, row.key, columns[j])] = cached
    for ex_id, found in checked.cells.items():
        cells = out[ex_id]
        for check, pc, kc in found:
            cells[xl_rowcol_to_cell(check.r, pc)] = SheetCell("printed", None, check.shown, check.row, check.column)
            cells[xl_rowcol_to_cell(check.r, kc)] = SheetCell(
                "check", check.formula(), check.text(computed.get((ex_id, check.row, check.column)), p.scenario),
                check.row, check.column)
    return {ex_id: out[ex_id] for ex_id in p.order}


def printed_checks(p: Plan) -> dict[str, dict[str, tuple[str, str, str]]]:
    """Each exhibit's check cells with what they show for the plan's values: {exhibit: {A1: (text, row, column)}}."""
    return {ex_id: {ref: (c.value, c.row, c.column) for ref, c in cells.items() if c.kind == "check"}
            for ex_id, cells in sheet_cells(p).items() if ex_id in plan_checks(p).cells}


def cached_results(p: Plan) -> dict[str, dict[str, tuple]]:
    """Every cell of the exhibit sheets whose result the build caches, with that result:
    ``{exhibit: {A1: (cached value, row key, column label)}}``.

    The formula cells hold the engine's values (:func:`formula_cells`), the printed-value checks
    what they show for them (:func:`printed_checks`); see :func:`sheet_cells` for their formulas.
    """
    return {ex_id: {ref: (c.value, c.row, c.column) for ref, c in cells.items() if c.formula is not None}
            for ex_id, cells in sheet_cells(p).items()}


def chart_axes(ex_id: str) -> list[tuple[str, tuple[str, ...]]]:
    """The axes of an exhibit's chart: (unit, rows) for the left axis, then the right one if a second unit.
    A chart never plots two units on one axis; a third is refused."""
    _, rows, _ = CHARTS[ex_id]
    exhibit = exhibits.get(ex_id)
    keys = rows or tuple(r.key for r in exhibit.rows[:1])
    axes: dict[str, list[str]] = {}
    for key in keys:
        axes.setdefault(exhibit.row(key).unit, []).append(key)
    if len(axes) > 2:
        raise ValueError(f"chart of {ex_id}: rows in {len(axes)} units ({', '.join(axes)}); an axis shows one unit and "
                         "a chart has two axes")
    return [(unit, tuple(k)) for unit, k in axes.items()]


def _write_chart(wb, ws, p: Plan, ex_id: str, row_after: int) -> None:
    title, _, kind = CHARTS[ex_id]
    layout = p.layouts[ex_id]
    chart = wb.add_chart({"type": kind})
    n = len(layout.columns)
    sheet = quote_sheet(layout.sheet)
    axes = chart_axes(ex_id)
    for i, (unit, keys) in enumerate(axes):
        for key in keys:
            r = layout.row_index(key) - 1
            first = FIRST_VALUE_COL
            series = {
                "name": f"={sheet}!{xl_rowcol_to_cell(r, 1, row_abs=True, col_abs=True)}",
                "categories": f"={sheet}!{xl_range_abs(HEADER_ROW, first, HEADER_ROW, first + n - 1)}",
                "values": f"={sheet}!{xl_range_abs(r, first, r, first + n - 1)}",
                "y2_axis": i == 1,
            }
            if kind == "line":
                series["marker"] = {"type": "circle"}
            chart.add_series(series)
        named = unit if len(axes) == 1 else \
            f"{', '.join(layout.exhibit.row(k).label_en for k in keys)} ({unit})"     # which line is on which axis
        axis = {"name": named, "num_format": "#,##0", "name_font": {"size": 10, "bold": False}}
        (chart.set_y2_axis if i == 1 else chart.set_y_axis)(axis)
    chart.set_title({"name": title, "name_font": {"size": 12}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 720, "height": 340})
    ws.insert_chart(row_after, 1, chart)


#: The Errata sheet's columns: (heading, width, wrapped); a wrapped column's rows are as tall as its text.
ERRATA_COLUMNS = (("id", 6, False), ("kind", 14, False), ("inconsistency", 36, True), ("exhibits", 14, True),
                  ("printed", 28, True), ("consistent", 28, True), ("switch", 31, False), ("switch now", 9, False),
                  ("alternative scenario", 21, False), ("description", 64, True))


def _write_errata(ws, p: Plan, fmt: HouseFormats) -> None:
    ws.write(0, 0, "Errata — the report's inconsistencies in this workbook's exhibits", fmt.title)
    ws.write(1, 0, "A switch is an input (Inputs sheet): TRUE reproduces the printed number, FALSE the "
                   "consistent one. Text-versus-table conflicts are alternative scenarios.", fmt.subtle)
    ws.write(2, 0, f"Built with scenario {p.scenario.name} ({p.scenario.title}): "
                   f"{errata.switches_text(p.scenario, p.inputs)}; 'switch now' follows the Inputs sheet.", fmt.subtle)
    for c, (h, width, _) in enumerate(ERRATA_COLUMNS):
        ws.write(3, c, h, fmt.header)
        ws.set_column(c, c, width)
    ws.set_row(3, widths.row_height([(h, width) for h, width, _ in ERRATA_COLUMNS], bold=True))
    rows = [e for e in errata.all_errata() if any(x in p.order for x in e.exhibits)
            or any(eid == e.id for ex in p.order for eid in exhibits.get(ex).errata)]
    rows.sort(key=lambda e: not e.is_erratum)   # rounding notes (kind rounding-note) after the errata
    for i, e in enumerate(rows, start=4):
        texts = [e.id, e.kind, e.title, ", ".join(e.exhibits), e.printed or "", e.consistent or "", e.switch or "",
                 None, e.alternative or "", e.description]
        for c, text in enumerate(texts):
            if text is not None:
                ws.write_string(i, c, text, fmt.wrap if ERRATA_COLUMNS[c][2] else fmt.top)
        if e.switch and e.switch in p.inputs:
            ws.write_formula(i, 7, f"={e.switch}", fmt.top, bool(p.scenario.values[e.switch]))
        ws.set_row(i, widths.row_height([(text, width) for text, (_, width, wrapped) in zip(texts, ERRATA_COLUMNS,
                                                                                             strict=True)
                                         if wrapped and text]))
    ws.freeze_panes(4, 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(3)


def _write_index(ws, p: Plan, fmt: HouseFormats) -> None:
    ws.write(0, 0, f"suanli — {p.group.title}", fmt.title)
    ws.write(STAMP_CELL, f"Scenario {p.scenario.name}: {p.scenario.title}. Built by suanli {__version__}. "
             "Edit the Inputs sheet; every table recalculates.", fmt.subtle)
    ws.write(3, 0, f"Built with {errata.switches_text(p.scenario, p.inputs)} (the Errata sheet; each exhibit "
                   "sheet's third row shows the switches in force now).", fmt.subtle)
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
              excel_button: bool = False, interpreter: str | None = None) -> list[Path]:
    """Write every group's workbook and an index into ``out_dir``; returns the paths.

    ``scenario`` (a packaged scenario's name, or a :class:`~engine.scenarios.Scenario` such as one
    read from a scenario file) is every workbook's; None gives each workbook its group's own.
    ``interpreter`` is the Python the Refresh button of ``excel_button`` workbooks starts (default
    this one).
    """
    out = Path(out_dir)
    chosen = scenarios.load(scenario) if isinstance(scenario, str) else scenario
    paths = []
    for g in GROUPS:
        sc = chosen if chosen is not None else scenarios.load(g.scenario)
        paths.append(build_workbook(g, out / f"{g.name}.xlsx", sc, excel_button=excel_button,
                                    interpreter=interpreter))
    paths.append(_build_index(out, chosen, ".xlsm" if excel_button else ".xlsx"))
    return paths


def _build_index(out: Path, scenario: scenarios.Scenario | None, suffix: str = ".xlsx") -> Path:
    def write(tmp: Path) -> None:
        wb = new_workbook(tmp)
        fmt = HouseFormats(wb)
        ws = wb.add_worksheet(INDEX_SHEET)
        ws.write(0, 0, "suanli — the report's tables as workbooks", fmt.title)
        if scenario is None:
            which, switches = "each workbook its own", "errata switches as each workbook's scenario sets them"
        else:
            which = scenario.name + (f" ({Path(scenario.source).name})" if scenario.source else "")
            switches = errata.switches_text(scenario)
        ws.write(1, 0, f"Built by suanli {__version__}; scenario {which}; {switches}.", fmt.subtle)
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



