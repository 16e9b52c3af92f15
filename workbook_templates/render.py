"""Rendering exhibits as live Excel formulas: the third rendering of the one model.

The layout of a template workbook is decided here: its sheets' names, :func:`input_layout`
(where each input goes on the Inputs sheet) and :class:`SheetLayout` (where an exhibit's rows
and columns go on its sheet).  :class:`FormulaResolver` is the
symbolic counterpart of the engine's numeric resolver: it hands the very same row functions
:class:`~engine.ops.Formula` cell references instead of numbers, so each cell receives the
formula that computes it.  A later row refers to the earlier row's cell; an input is its
workbook-level defined name (``INDEX(name, k)`` for one with columns), which holds the value in the
input's display unit (15,000 for 15,000亿; a percentage's fraction): the formula converts it
(``INDEX(mm_params_base,1)*100000000``) with the factor :func:`engine.formats.input_display` gives.
The cells the engine says wait for an input the user must supply are wrapped in
``IF(ISBLANK(...), "needs input", ...)``: the engine shows "needs KEY"; a sheet shows the short
:data:`NEEDS_INPUT` (a numeric column stays as narrow as its numbers), and the builder notes the keys in
the cell's comment.

Only functions that both Excel 2016 and LibreOffice 7.4 have are emitted.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell

from engine import SuanliError, exhibits, formats, scenarios
from engine.exhibit import Blank, Context, Exhibit, NumericResolver, Resolver, Result
from engine.ops import Formula, ref

__all__ = ["SheetLayout", "InputLayout", "InputRow", "input_layout", "input_readers", "exhibit_inputs", "home_exhibit",
           "FormulaResolver", "quote_sheet",
           "MAX_ACROSS", "INPUT_VALUE_COL", "FIRST_INPUT_ROW",
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


#: An input with more columns than this runs down the Inputs sheet instead (a table with one row per
#: column, one column per input: the 33 chips of the export-control table), so the sheet stays one page wide.
MAX_ACROSS = 7

#: The Inputs sheet's first value column (C): A is the input, B its unit.
INPUT_VALUE_COL = 2

#: The Inputs sheet's first row of input groups (Excel row 5), under its title, the note and the scenario.
FIRST_INPUT_ROW = 4


@dataclass(frozen=True)
class InputRow:
    """What one row of the Inputs sheet holds.

    ``kind`` is ``heading`` (an exhibit's title: ``exhibit``), ``shared`` (the inputs it also reads,
    listed under an earlier exhibit: ``keys``), ``header`` (the column titles over inputs of ``axis``,
    None for one value), ``input`` (one input: ``keys[0]``), ``table`` (the column titles of a table of
    inputs running down the sheet: ``keys``, one per value column) or ``entry`` (a row of that table:
    the ``index``-th label of ``axis``)."""

    kind: str
    exhibit: str | None = None
    axis: str | None = None
    keys: tuple[str, ...] = ()
    index: int = 0


@dataclass
class InputLayout:
    """Where each input sits on the Inputs sheet.

    ``places[key]`` is the 0-based (row, column) of its first cell and its number of cells, which run
    across the row, or down the column for a key in ``down``; ``rows`` says what each row holds
    (:class:`InputRow`); ``width`` is the number of value columns, from :data:`INPUT_VALUE_COL`."""

    sheet: str = INPUTS_SHEET
    places: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    down: set[str] = field(default_factory=set)
    rows: dict[int, InputRow] = field(default_factory=dict)
    width: int = 1

    def cells(self, key: str) -> list[tuple[int, int]]:
        """The 0-based (row, column) of each of the input's cells, in its axis's order."""
        row, col, width = self.places[key]
        if key in self.down:
            return [(row + j, col) for j in range(width)]
        return [(row, col + j) for j in range(width)]

    def name_target(self, key: str) -> str:
        """What the defined name ``key`` refers to: one cell, or a row (or column) of cells."""
        (r1, c1), (r2, c2) = self.cells(key)[0], self.cells(key)[-1]
        return f"={quote_sheet(self.sheet)}!{xl_range_abs(r1, c1, r2, c2)}"

    @property
    def last_value_col(self) -> int:
        return INPUT_VALUE_COL + self.width - 1


@cache
def _reading_resolver() -> NumericResolver:
    """A resolver over the report's values and a value for each input the user supplies, so that every
    cell reads all it can; what a cell reads does not depend on the values, since a formula takes both
    branches of each IF."""
    schema, axes = scenarios.schema(), scenarios.axes()
    base = scenarios.load("csc-2023")
    filled = {}
    for key, spec in schema.items():
        if spec.user_supplied:
            one = max(spec.domain.low, 0.0) + 1.0
            filled[key] = one if spec.axis is None else [one] * len(axes[spec.axis])
    try:
        with warnings.catch_warnings():    # 1.0 stands for any value: no display-unit warning about it
            warnings.simplefilter("ignore")
            scenario = base.with_values(filled)
    except SuanliError:                    # a supplied input that takes no such value: read as the report has it
        scenario = base
    return NumericResolver(scenario, exhibits.get)


@cache
def exhibit_inputs(exhibit_id: str) -> frozenset[str]:
    """The inputs the rows of exhibit ``exhibit_id`` read directly (not through another exhibit's rows)."""
    resolver = _reading_resolver()
    result = resolver.run(exhibits.get(exhibit_id))
    schema = scenarios.schema()
    return frozenset(item for reads in result.reads.values() for item in reads if item in schema)


def input_readers() -> dict[str, tuple[str, ...]]:
    """For every input, the exhibits whose rows read it directly, in the report's order."""
    readers: dict[str, list[str]] = {}
    for exhibit in exhibits.all_exhibits():
        for key in exhibit_inputs(exhibit.id):
            readers.setdefault(key, []).append(exhibit.id)
    return {k: tuple(v) for k, v in readers.items()}


def home_exhibit(key: str, order: Sequence[str]) -> str | None:
    """The exhibit of ``order`` an input sits under on the Inputs sheet: the first that reads it."""
    return next((ex for ex in order if key in exhibit_inputs(ex)), None)


def input_layout(keys: Sequence[str], order: Sequence[str] = ()) -> InputLayout:
    """Where a workbook with these inputs and exhibits (``order``, as its sheets) puts its inputs.

    Inputs are grouped under the first exhibit of ``order`` that reads them (:func:`home_exhibit`),
    under a heading row with its title; inputs no exhibit of ``order`` reads come last.  In a group
    the single values come first, then the inputs of each axis under a header row with the axis's
    labels, one row per input, its values from column C; an axis longer than :data:`MAX_ACROSS` runs
    down the sheet as a table (one row per column label, one column per input), after a row per input
    with its unit, range and source.

    The builder lays the Inputs sheet out with it, and refresh and the Refresh button find the
    cells each defined name must refer to with it.
    """
    schema, axes = scenarios.schema(), scenarios.axes()
    layout = InputLayout()
    groups: dict[str | None, list[str]] = {ex: [] for ex in order}
    groups[None] = []
    for k in keys:
        groups[home_exhibit(k, order)].append(k)
    row = FIRST_INPUT_ROW
    width = 1
    placed: list[str] = []
    for ex, members in groups.items():
        if not members and not (ex is not None and _shared(ex, placed)):
            continue
        layout.rows[row] = InputRow("heading", exhibit=ex)
        row += 1
        shared = _shared(ex, placed) if ex is not None else ()
        if shared:
            layout.rows[row] = InputRow("shared", exhibit=ex, keys=shared)
            row += 1
        by_axis: dict[str | None, list[str]] = {}
        for k in members:
            by_axis.setdefault(schema[k].axis, []).append(k)
        across = [a for a in by_axis if a is None or len(axes[a]) <= MAX_ACROSS]
        across.sort(key=lambda a: a is not None)            # single values first
        for axis in across + [a for a in by_axis if a not in across]:
            group = by_axis[axis]
            n = 1 if axis is None else len(axes[axis])
            layout.rows[row] = InputRow("header", exhibit=ex, axis=axis)
            row += 1
            for k in group:
                layout.rows[row] = InputRow("input", exhibit=ex, axis=axis, keys=(k,))
                if axis in across:
                    layout.places[k] = (row, INPUT_VALUE_COL, n)
                    width = max(width, n)
                row += 1
            if axis not in across:
                layout.rows[row] = InputRow("table", exhibit=ex, axis=axis, keys=tuple(group))
                row += 1
                for j, k in enumerate(group):
                    layout.places[k] = (row, INPUT_VALUE_COL + j, n)
                    layout.down.add(k)
                for i in range(n):
                    layout.rows[row + i] = InputRow("entry", exhibit=ex, axis=axis, keys=tuple(group), index=i)
                row += n
                width = max(width, len(group))
        placed.extend(members)
        row += 1                                          # a blank row between exhibits
    layout.width = width
    return layout


def _shared(ex: str, placed: Sequence[str]) -> tuple[str, ...]:
    """The inputs exhibit ``ex`` reads that sit under an earlier exhibit."""
    return tuple(k for k in placed if k in exhibit_inputs(ex))


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
            cell = ref(key)
        else:
            k = scenarios.axes()[spec.axis].index(column) + 1
            cell = Formula(f"INDEX({key},{k})")
        factor = formats.input_display(key).cell_factor     # the Inputs sheet holds 15,000 (亿) for 1.5e12
        return cell if factor == 1 else _Scaled(cell, factor)

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
        if isinstance(expr, _Scaled) and expr.factor == factor and not row.display.percent:
            expr = expr.cell                # an input shown in the unit its Inputs cell holds: the cell itself
        elif not (row.display.percent or factor == 1 or row.unit == "text"):
            expr = expr / factor
        needs = self.numeric[exhibit.id].needed(key, col)   # the engine's word: this cell waits for inputs
        if needs:
            column = self.columns(exhibit)[col]
            tests = [self._blank_test(k, column) for k in needs]
            test = tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"
            return f'=IF({test},"{NEEDS_INPUT}",{expr.text})'
        return "=" + expr.text

    def _blank_test(self, key: str, column: str) -> str:
        if key.endswith("]"):               # KEY[COLUMN]: one column of an input on another axis
            key, column = key[:-1].split("[", 1)
        spec = scenarios.schema()[key]
        if spec.axis is None:
            return f"ISBLANK({key})"
        labels = scenarios.axes()[spec.axis]
        if column in labels:
            return f"ISBLANK(INDEX({key},{labels.index(column) + 1}))"
        return f"COUNTBLANK({key})>0"


class _Scaled(Formula):
    """An input's cell times the factor from its display unit to its base unit (``mm_params_base*100000000``),
    remembered so that a row showing the input in that same unit refers to the cell alone."""

    __slots__ = ("cell", "factor")

    def __init__(self, cell: Formula, factor: float):
        scaled = cell * factor
        super().__init__(scaled.text, scaled.prec)
        self.cell, self.factor = cell, factor


def _constant(value) -> str:
    from engine.ops import number_text

    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return number_text(value)
