"""Rendering exhibits as live Excel formulas: the third rendering of the one model.

The layout of a template workbook is decided here: its sheets' names, :func:`input_layout`
(where each input goes on the Inputs sheet) and :class:`SheetLayout` (where an exhibit's rows
and columns go on its sheet).  :class:`FormulaResolver` is the
symbolic counterpart of the engine's numeric resolver: it hands the very same row functions
:class:`~engine.ops.Formula` cell references instead of numbers, so each cell receives the
formula that computes it.  A later row refers to the earlier row's cell; an input is its
workbook-level defined name (``INDEX(name, k)`` for one with columns).  The cells the engine
says wait for an input the user must supply are wrapped in ``IF(ISBLANK(...), "needs input", ...)``:
the engine shows "needs KEY"; a sheet shows the short :data:`NEEDS_INPUT` (a numeric column stays as
narrow as its numbers), and the builder notes the keys in the cell's comment.

Only functions that both Excel 2016 and LibreOffice 7.4 have are emitted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell

from engine import scenarios
from engine.exhibit import Blank, Context, Exhibit, Resolver, Result
from engine.ops import Formula, ref

__all__ = ["SheetLayout", "InputLayout", "input_layout", "FormulaResolver", "quote_sheet",
           "FIRST_DATA_ROW", "HEADER_ROW", "FIRST_VALUE_COL", "INPUTS_SHEET", "INDEX_SHEET", "ERRATA_SHEET",
           "STAMP_CELL", "NEEDS_INPUT"]

INPUTS_SHEET = "Inputs"
INDEX_SHEET = "Index"
ERRATA_SHEET = "Errata"
STAMP_CELL = "A2"       # the Index sheet's line under its title: how the workbook was built, then its last refresh

FIRST_DATA_ROW = 5      # Excel rows 1-3: title, source, scenario; row 4: the header; rows from 5: the data
HEADER_ROW = FIRST_DATA_ROW - 2   # the header's 0-based row index (Excel row 4)
FIRST_VALUE_COL = 3     # A: 报告行, B: English label, C: unit, D...: one column per year or case

#: What a cell waiting for an input the user must supply shows on a sheet (its comment names the input).
NEEDS_INPUT = "needs input"


def quote_sheet(name: str) -> str:
    """A sheet name as a formula needs it: always quoted, since names like fig49 read as cells (column FIG)."""
    return "'" + name.replace("'", "''") + "'"


@dataclass
class InputLayout:
    """Where each input sits on the Inputs sheet: key -> (0-based row, first value column, width)."""

    sheet: str = INPUTS_SHEET
    places: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    def name_target(self, key: str) -> str:
        """What the defined name ``key`` refers to: one cell, or a row of cells."""
        row, col, width = self.places[key]
        return f"={quote_sheet(self.sheet)}!{xl_range_abs(row, col, row, col + width - 1)}"


def input_layout(keys: Sequence[str]) -> InputLayout:
    """Where a workbook with these inputs puts them: grouped by axis, each group under a header row
    with the axis labels, one row per input, its values from column F (0-based column 5).

    The builder lays the Inputs sheet out with it, and refresh and the Refresh button find the
    cells each defined name must refer to with it.
    """
    layout = InputLayout()
    schema, axes = scenarios.schema(), scenarios.axes()
    row = 4
    for axis in [None] + [a for a in axes if any(schema[k].axis == a for k in keys)]:
        members = [k for k in keys if schema[k].axis == axis]
        if not members:
            continue
        row += 1                                   # the axis header row
        for k in members:
            layout.places[k] = (row, 5, 1 if axis is None else len(axes[axis]))
            row += 1
        row += 1
    return layout


@dataclass
class SheetLayout:
    """Where an exhibit's rows and columns go on its sheet."""

    exhibit: Exhibit
    columns: tuple[str, ...]
    sheet: str

    def row_index(self, key: str) -> int:
        """The Excel (1-based) row number of a row."""
        for i, r in enumerate(self.exhibit.rows):
            if r.key == key:
                return FIRST_DATA_ROW + i
        raise KeyError(key)

    def cell(self, key: str, col: int) -> tuple[int, int]:
        """0-based (row, column) of a row's value in column ``col``."""
        return self.row_index(key) - 1, FIRST_VALUE_COL + col


class FormulaResolver(Resolver):
    """Supplies cell references to row functions, for one workbook's layout."""

    def __init__(self, scenario: scenarios.Scenario, layouts: dict[str, SheetLayout],
                 numeric: dict[str, Result], inputs: InputLayout):
        self.scenario = scenario
        self.layouts = layouts
        self.numeric = numeric
        self.inputs = inputs

    def columns(self, exhibit):
        return self.layouts[exhibit.id].columns

    def input(self, key, exhibit, col):
        column = self.columns(exhibit)[col]
        if not self.scenario.has_column(key, column):
            raise Blank(key)
        spec = scenarios.schema()[key]
        if spec.axis is None:
            return ref(key)
        k = scenarios.axes()[spec.axis].index(column) + 1
        return Formula(f"INDEX({key},{k})")

    def _ref(self, exhibit_id: str, key: str, col: int, qualify: bool) -> Formula:
        layout = self.layouts[exhibit_id]
        result = self.numeric[exhibit_id]
        if result.values[key][col] is None and not result.needed(key, col):
            raise Blank(key)
        r, c = layout.cell(key, col)
        text = xl_rowcol_to_cell(r, c, row_abs=True, col_abs=True)
        if qualify:
            text = f"{quote_sheet(layout.sheet)}!{text}"
        cell = ref(text)
        row = layout.exhibit.row(key)
        factor = row.display.factor
        if row.display.percent or factor == 1 or row.unit == "text":
            return cell
        return cell * factor

    def row(self, exhibit, key, col):
        return self._ref(exhibit.id, key, col, qualify=False)

    def other(self, exhibit_id, key, column):
        layout = self.layouts[exhibit_id]
        if column not in layout.columns:
            raise Blank(key)
        return self._ref(exhibit_id, key, layout.columns.index(column), qualify=True)

    def formula(self, exhibit: Exhibit, key: str, col: int) -> str | None:
        """The formula text (with its leading =) of one cell, or None for a cell left empty."""
        row = exhibit.row(key)
        try:
            ctx = Context(self, exhibit, col)
            expr = ctx.inp(row.input) if row.input is not None else row.formula(ctx)
        except Blank:
            return None
        if not isinstance(expr, Formula):   # a constant (a stage number, a structural value)
            expr = Formula(_constant(expr))
        factor = row.display.factor
        if not (row.display.percent or factor == 1 or row.unit == "text"):
            expr = expr / factor
        needs = self.numeric[exhibit.id].needed(key, col)   # the engine's word: this cell waits for inputs
        if needs:
            column = self.columns(exhibit)[col]
            tests = [self._blank_test(k, column) for k in needs]
            test = tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"
            return f'=IF({test},"{NEEDS_INPUT}",{expr.text})'
        return "=" + expr.text

    def _blank_test(self, key: str, column: str) -> str:
        spec = scenarios.schema()[key]
        if spec.axis is None:
            return f"ISBLANK({key})"
        labels = scenarios.axes()[spec.axis]
        if column in labels:
            return f"ISBLANK(INDEX({key},{labels.index(column) + 1}))"
        return f"COUNTBLANK({key})>0"


def _constant(value) -> str:
    from engine.ops import number_text

    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return number_text(value)
