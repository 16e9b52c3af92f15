"""Exhibits: each report table as an ordered list of rows over columns.

A :class:`Row` is an expression over scenario inputs and earlier rows (of this column, of
the previous column, or of another exhibit).  :func:`evaluate` runs every row numerically,
on floats or on a whole scenario axis of numpy arrays; a workbook renderer runs the very
same row functions with a context whose values are :class:`~engine.ops.Formula` cell
references, so each cell gets the formula that computes it.

Rows hold base units (counts, FLOP, FLOP/s, fractions); each row's display unit says how
the report prints it (万张, PFLOPS, %), and conversion happens only when a table is shown.

A cell whose formula has no number is the spreadsheet error it would show, never an infinity
or a NaN passed off as a value: a division by zero is ``#DIV/0!``, a result beyond about 1.8e308
or with no real value ``#NUM!``, and a cell that computes with an error cell shows that error
too (:mod:`engine.cellvalue`: a single scenario's formulas compute with
:class:`~engine.cellvalue.Number` and :class:`~engine.cellvalue.ErrorValue`, exactly as a
spreadsheet does, ``IF`` branches not taken included).  :attr:`Result.errors` holds each error
cell with its reason (:class:`CellError`); its stored value is a non-finite float (inf for
``#DIV/0!``, NaN for ``#NUM!``), which :meth:`Result.display` turns into None.  On a scenario
axis a cell is computed with numpy raising on such arithmetic; a cell that raises, or reads an
element with no number, is computed again elementwise, each element with no number NaN and the
cell's :class:`CellError` saying which (``mask``).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import scenarios
from .cellvalue import (
    BEYOND_RANGE,
    DIV0,
    DIVISION_BY_ZERO,
    NOT_REAL,
    NUM,
    ErrorValue,
    Number,
    is_division_by_zero,
    power,
    spreadsheet_arithmetic,
)
from .errors import UnknownNameError
from .model import unchecked
from .units import DisplayUnit, display_unit, short_number

__all__ = ["Row", "Exhibit", "Blank", "NeedsInput", "needs_text", "Context", "Resolver", "NumericResolver", "evaluate",
           "Result", "CellError", "DIV0", "NUM"]


class Blank(Exception):
    """Raised by a row formula for a cell the report leaves empty (an increment's first year)."""


def needs_text(keys) -> str:
    """What a cell waiting for user-supplied inputs shows: ``needs KEY1, KEY2``."""
    return "needs " + ", ".join(keys)


class NeedsInput(Blank):
    """A cell that depends on inputs the user has not supplied (the report gives no value)."""

    def __init__(self, keys):
        self.keys = tuple(sorted(set(keys)))
        super().__init__(", ".join(self.keys))


@dataclass(frozen=True)
class CellError:
    """A cell with no number, as a spreadsheet shows it: ``excel`` is ``#DIV/0!`` or ``#NUM!``.

    ``reason`` says why in words ("CAGR from a zero start is undefined", "division by zero");
    ``inputs`` names the inputs the cell depends on whose values differ from the report's
    (``std_vendors=0``), the likely cause; ``origin`` is the cell the error comes from
    (``fig49 std_total 2023E``) when the cell only reads it.  On a scenario axis ``mask`` marks
    the elements with no number.  ``str()`` is the line a table shows: ``#DIV/0! CAGR from a
    zero start is undefined (with std_vendors=0)``.
    """

    excel: str
    reason: str
    inputs: tuple[str, ...] = ()
    origin: str | None = None
    mask: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def message(self) -> str:
        """Why, without the error code."""
        text = f"reads {self.origin}, where {self.reason}" if self.origin else self.reason
        if self.mask is not None:
            text += f" at {int(self.mask.sum()):,} of {self.mask.size:,} points"
        return text + (f" (with {', '.join(self.inputs)})" if self.inputs else "")

    def __str__(self) -> str:
        return f"{self.excel} {self.message}"

    def read_from(self, where: str) -> CellError:
        """The same error as a cell that reads this one shows it."""
        return CellError(self.excel, self.reason, self.inputs, self.origin or where)


class _Tracked(np.ndarray):
    """A scenario-axis array whose arithmetic is a spreadsheet's, element by element.

    A cell that raised under :func:`~engine.cellvalue.spreadsheet_arithmetic`, or that reads
    elements with no number, is computed again with these: every element an operation makes
    infinite or NaN, or computes from a NaN, is NaN (IEEE has ``1/inf == 0`` and ``NaN**0 == 1``;
    a spreadsheet has an error).  A comparison with a NaN element has no truth value there
    (``unknown``); ``where`` gives NaN where its condition is unknown and drops a NaN of the branch
    it does not take, as ``IF`` does; any other use of an unknown truth value loses the element.
    """

    unknown: np.ndarray | None = None          # a truth-value array's elements compared while NaN

    def __array_finalize__(self, obj):
        unknown = getattr(obj, "unknown", None)
        self.unknown = unknown if unknown is not None and unknown.shape == self.shape else None

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = [x.view(np.ndarray) if isinstance(x, _Tracked) else x for x in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(x.view(np.ndarray) if isinstance(x, _Tracked) else x for x in kwargs["out"])
        if ufunc is np.power and method == "__call__" and not kwargs:
            result = np.asarray(power(*plain), dtype=float)    # a spreadsheet's odd roots of negatives
        else:
            result = getattr(ufunc, method)(*plain, **kwargs)
        if not isinstance(result, np.ndarray):
            return result
        none = None                                  # elements computed from an element with no value
        for x, bare in zip(inputs, plain, strict=True):
            found = np.isnan(bare) if isinstance(bare, np.ndarray) and bare.dtype.kind == "f" \
                else getattr(x, "unknown", None)
            if found is not None:
                none = found if none is None else none | found
        out = result.view(_Tracked)
        out.unknown = None
        if none is not None and not none.any():
            none = None
        if result.dtype.kind == "f":
            result[~np.isfinite(result)] = np.nan
            if none is not None:
                result[np.broadcast_to(none, result.shape)] = np.nan
        elif none is not None and result.dtype.kind == "b":
            out.unknown = np.broadcast_to(none, result.shape).copy()
        elif none is not None:
            _lose(none)
        return out

    def __array_function__(self, func, types, args, kwargs):
        result = super().__array_function__(func, types, args, kwargs)
        if not isinstance(result, np.ndarray):
            return result
        unknown = getattr(args[0], "unknown", None) if func is np.where and args else None
        out = result.view(_Tracked)
        out.unknown = None
        if unknown is not None and unknown.any():
            if result.dtype.kind in "biuf":            # IF(unknown, 1, 0): a number, NaN where unknown
                out = out.astype(float)
                out[np.broadcast_to(unknown, out.shape)] = np.nan
            else:
                _lose(unknown)                         # text: the element is lost
        return out

    def astype(self, dtype, *args, **kwargs):
        out = super().astype(dtype, *args, **kwargs)
        if isinstance(out, _Tracked) and self.dtype.kind == "f" and out.dtype.kind == "b":
            out.unknown = np.isnan(self.view(np.ndarray))       # NaN is no truth value
        return out


_LOST: list[np.ndarray] = []     # while a cell is computed with _Tracked arrays: the elements lost so far


def _lose(mask: np.ndarray) -> None:
    lost = _LOST[-1]
    if mask.shape == lost.shape:
        lost |= mask
    elif mask.any():
        lost |= np.broadcast_to(mask, lost.shape) if mask.ndim else True


@dataclass
class _Reads:
    """The scenario-axis error cells a cell being computed has read: the elements with no number,
    and the first such cell's error."""

    mask: np.ndarray | None = None
    first: CellError | None = None


@dataclass(frozen=True)
class Row:
    """One row of an exhibit.

    ``formula(c)`` returns the row's value in base units for the column ``c`` stands for;
    ``input`` instead shows a scenario input as it is; ``text`` holds printed labels that are
    data, not numbers.  ``decimals`` or ``sig`` is the precision the report prints.
    """

    key: str
    label_en: str
    label_zh: str | None
    unit: str
    formula: Callable[[Context], object] | None = None
    input: str | None = None
    text: Sequence[str | None] | None = None
    decimals: int | None = None
    sig: int | None = None
    note: str | None = None

    @property
    def display(self) -> DisplayUnit:
        return display_unit(self.unit)


@dataclass(frozen=True)
class Exhibit:
    """A report table: id (``fig49``), titles, source, the column axis and the rows."""

    id: str
    title_en: str
    title_zh: str
    source: str
    axis: str
    rows: tuple[Row, ...]
    errata: tuple[str, ...] = ()
    group: str = "demand"
    note: str | None = None
    default_scenario: str = "csc-2023"
    aliases: tuple[str, ...] = ()

    def row(self, key: str) -> Row:
        for r in self.rows:
            if r.key == key:
                return r
        keys = [r.key for r in self.rows]
        close = difflib.get_close_matches(str(key).strip().lower().replace(" ", "_"), keys, n=1, cutoff=0.5)
        raise UnknownNameError(f"row of {self.id}", key, keys, f"did you mean {close[0]}?" if close else None,
                               listing=f"`suanli table {self.id} --keys`")

    def __post_init__(self):
        seen = set()
        for r in self.rows:
            if r.key in seen:
                raise ValueError(f"{self.id}: duplicate row key {r.key}")
            seen.add(r.key)
            display_unit(r.unit)


class Context:
    """What a row formula sees for one column.

    ``c.inp(key)`` a scenario input at this column; ``c[key]`` an earlier row of this column;
    ``c.prev(key)`` the previous column's value of a row (raises :class:`Blank` in the first
    column); ``c.other(exhibit, row)`` a row of another exhibit for the same column label.
    """

    def __init__(self, resolver: Resolver, exhibit: Exhibit, col: int):
        self._r = resolver
        self.exhibit = exhibit
        self.col = col
        self.columns = resolver.columns(exhibit)
        self.label = self.columns[col]

    @property
    def first(self) -> bool:
        return self.col == 0

    def inp(self, key: str):
        return self._r.input(key, self.exhibit, self.col)

    def __getitem__(self, key: str):
        return self._r.row(self.exhibit, key, self.col)

    def prev(self, key: str):
        if self.col == 0:
            raise Blank(key)
        return self._r.row(self.exhibit, key, self.col - 1)

    def at(self, key: str, col: int):
        """A row's value at another column of this exhibit (by index)."""
        return self._r.row(self.exhibit, key, col)

    def other(self, exhibit_id: str, key: str, column: str | None = None):
        return self._r.other(exhibit_id, key, self.label if column is None else column)


class Resolver:
    """Supplies inputs and row values to contexts; numeric here, symbolic in the workbook builder."""

    def columns(self, exhibit: Exhibit) -> Sequence[str]:  # pragma: no cover - interface
        raise NotImplementedError

    def input(self, key, exhibit, col):  # pragma: no cover - interface
        raise NotImplementedError

    def row(self, exhibit, key, col):  # pragma: no cover - interface
        raise NotImplementedError

    def other(self, exhibit_id, key, column):  # pragma: no cover - interface
        raise NotImplementedError


@dataclass
class Result:
    """The numeric values of an exhibit for one scenario, in base units.

    ``values[row_key][col]`` is a float, a numpy array (a scenario axis), a string for text
    rows, or None for a cell the report leaves blank.
    """

    exhibit: Exhibit
    scenario: str
    columns: tuple[str, ...]
    values: dict[str, list] = field(default_factory=dict)
    needs: dict[tuple[str, int], tuple[str, ...]] = field(default_factory=dict)
    reads: dict[str, dict[str, None]] = field(default_factory=dict)
    errors: dict[tuple[str, int], CellError] = field(default_factory=dict)

    def traced(self, key: str) -> list[str]:
        """What a row reads directly: input keys, and ``exhibit.row`` for rows of other exhibits."""
        return list(self.reads.get(key, {}))

    def needed(self, key: str, column: str | int) -> tuple[str, ...]:
        """The inputs a blank cell waits for (empty when the cell is filled or blank by design)."""
        col = column if isinstance(column, int) else self.columns.index(column)
        return self.needs.get((key, col), ())

    def error(self, key: str, column: str | int) -> CellError | None:
        """The spreadsheet error a cell shows (``#DIV/0!``, ``#NUM!``) and why, or None when it has a
        number (on a scenario axis: when every element has one)."""
        col = column if isinstance(column, int) else self.columns.index(column)
        return self.errors.get((key, col))

    def base(self, key: str, column: str | int):
        col = column if isinstance(column, int) else self.columns.index(column)
        return self.values[key][col]

    def display(self, key: str, column: str | int):
        """A cell in the report's display unit (percent rows as percentages); None for a blank cell and
        for a single scenario's error cell (:meth:`error` says which error); NaN for the elements of a
        scenario axis that have no number."""
        value = self.base(key, column)
        row = self.exhibit.row(key)
        if isinstance(value, np.ndarray):
            return value / row.display.factor if value.dtype.kind in "biuf" else value
        if self.error(key, column) is not None:
            return None
        if value is None or row.unit == "text" or isinstance(value, str):
            return value
        return value / row.display.factor


class NumericResolver(Resolver):
    """Evaluates exhibits on floats or arrays, caching each row and each exhibit it reaches."""

    def __init__(self, scenario, registry):
        self.scenario = scenario
        self.registry = registry
        self._tracking = False
        self.results: dict[str, Result] = {}
        self._busy: set[str] = set()
        self._row: list[tuple[str, str]] = []   # (exhibit id, row key) being computed
        self._reads: list[_Reads] = []           # per cell being computed: what it read that has no number

    def columns(self, exhibit):
        return self.scenario.axis(exhibit.axis)

    def input(self, key, exhibit, col):
        self._trace(key)
        column = self.scenario.axis(exhibit.axis)[col]
        if not self.scenario.has_column(key, column):
            raise Blank(key)  # the input has no value for this column (an actual year of a forecast input)
        value = self.scenario.at(key, column)
        if value is None:
            raise NeedsInput([key])
        return self._for_formula(value)

    def row(self, exhibit, key, col):
        self._trace(f"{exhibit.id}.{key}")
        result = self.results[exhibit.id]
        values = result.values.get(key)
        if values is None:
            raise KeyError(f"{exhibit.id}: row {key!r} is used before it is defined")
        return self._filled(result, key, col)

    def _trace(self, what: str) -> None:
        if self._row:
            exhibit_id, row_key = self._row[-1]
            self.results[exhibit_id].reads.setdefault(row_key, {})[what] = None

    def other(self, exhibit_id, key, column):
        self._trace(f"{self.registry(exhibit_id).id}.{key}")
        result = self.run(self.registry(exhibit_id))
        if column not in result.columns:
            raise Blank(key)
        return self._filled(result, key, result.columns.index(column))

    def _filled(self, result: Result, key: str, col: int):
        """A cell's value for a formula that reads it.  A blank cell raises (the reader is blank or
        waits for the same inputs).  An error cell reads as an :class:`~engine.cellvalue.ErrorValue`
        (on a scenario axis, its elements with no number are NaN and noted for the reader)."""
        value = result.values[key][col]
        if value is None:
            needs = result.needs.get((key, col))
            raise NeedsInput(needs) if needs else Blank(key)
        error = result.errors.get((key, col))
        if error is not None and error.mask is None:
            where = f"{result.exhibit.id} {key} {result.columns[col]}"
            return ErrorValue(error.excel, error.reason, error.read_from(where))
        if error is not None and self._reads:
            reads = self._reads[-1]
            reads.mask = error.mask if reads.mask is None else reads.mask | error.mask
            reads.first = reads.first or error
        return self._for_formula(value)

    def _for_formula(self, value):
        """A stored value as a formula reads it: a float as a :class:`~engine.cellvalue.Number`, so
        it computes as a spreadsheet does; an array tracked when the cell is computed elementwise."""
        if isinstance(value, float):
            return Number(value)
        if self._tracking and isinstance(value, np.ndarray) and value.dtype.kind == "f":
            return value.view(_Tracked)
        return value

    def run(self, exhibit: Exhibit) -> Result:
        if exhibit.id in self.results and exhibit.id not in self._busy:
            return self.results[exhibit.id]
        if exhibit.id in self._busy:
            raise RuntimeError(f"exhibit {exhibit.id} depends on itself")
        self._busy.add(exhibit.id)
        columns = tuple(self.columns(exhibit))
        result = Result(exhibit, self.scenario.name, columns)
        self.results[exhibit.id] = result
        try:
            with unchecked(), spreadsheet_arithmetic():
                for row in exhibit.rows:
                    result.values[row.key] = [None] * len(columns)
                    for col in range(len(columns)):
                        result.values[row.key][col] = self._cell(row, exhibit, col)
        finally:
            self._busy.discard(exhibit.id)
        return result

    def _cell(self, row: Row, exhibit: Exhibit, col: int):
        if row.text is not None:
            return row.text[col]
        ctx = Context(self, exhibit, col)
        self._row.append((exhibit.id, row.key))
        self._reads.append(_Reads())
        result = self.results[exhibit.id]
        try:
            failed, lost = None, None
            try:
                value = self._compute(row, ctx)
                if isinstance(value, np.ndarray) and self._reads[-1].mask is not None:
                    value, lost = self._elementwise(row, ctx)      # it read elements with no number
            except ArithmeticError as exc:
                if self.scenario.size is None:
                    raise
                value, lost = self._elementwise(row, ctx)
                if not isinstance(value, np.ndarray):
                    raise exc from None                 # a cell the axis does not reach: one error
                failed = exc
            return self._checked(result, row, col, value, failed, lost)
        except NeedsInput as missing:
            result.needs[(row.key, col)] = missing.keys
            return None
        except Blank:
            return None
        except ArithmeticError as exc:
            return self._error(result, row.key, col, self._arose(exhibit, row, col, *_why(exc)))
        finally:
            self._row.pop()
            self._reads.pop()

    def _elementwise(self, row: Row, ctx: Context):
        """The cell computed again with tracked arrays and IEEE arithmetic: (value, elements lost)."""
        _LOST.append(np.zeros(self.scenario.size, dtype=bool))
        self._tracking = True
        try:
            with np.errstate(all="ignore"):
                value = self._compute(row, ctx)
        finally:
            self._tracking = False
            lost = _LOST.pop()
        if isinstance(value, np.ndarray):
            unknown = getattr(value, "unknown", None)
            if unknown is not None:
                lost |= np.broadcast_to(unknown, lost.shape)
            value = np.asarray(value)
        return value, lost

    @staticmethod
    def _compute(row: Row, ctx: Context):
        if row.input is not None:
            return ctx.inp(row.input)
        return row.formula(ctx)

    def _checked(self, result: Result, row: Row, col: int, value, failed: ArithmeticError | None,
                 lost: np.ndarray | None):
        """The cell's value as stored: a float, an array (elements with no number NaN), text or None."""
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, ErrorValue):
            error = value.detail if isinstance(value.detail, CellError) else \
                self._arose(result.exhibit, row, col, value.excel, value.why)
            return self._error(result, row.key, col, error)
        if not isinstance(value, np.ndarray):
            if isinstance(value, complex):
                return self._error(result, row.key, col, self._arose(result.exhibit, row, col, NUM, NOT_REAL))
            value = float(value)
            if math.isfinite(value):
                return value
            return self._error(result, row.key, col, self._arose(result.exhibit, row, col, NUM, BEYOND_RANGE))
        # a scenario axis
        errors = None
        if value.dtype.kind == "O":                      # a where() that took an error value in
            errors = np.vectorize(lambda x: isinstance(x, ErrorValue), otypes=[bool])(value)
            value = np.where(errors, np.nan, value)
            value = value.astype(float) if all(isinstance(x, (int, float)) for x in value.flat) else value
        text = value.dtype.kind not in "biuf"
        array = value if text else np.asarray(value, dtype=float)
        missing = np.zeros(array.shape, dtype=bool) if text else ~np.isfinite(array)
        for extra in (lost, errors):
            if extra is not None:
                missing = missing | extra
        if not missing.any():
            return array if array.ndim or text else float(array)
        first = self._reads[-1].first
        if failed is not None:
            excel, why = _why(failed)
        elif first is not None:
            excel, why = first.excel, first.reason
        else:
            excel, why = NUM, BEYOND_RANGE
        shape = np.broadcast_shapes(array.shape, missing.shape)
        missing = np.broadcast_to(missing, shape).copy()
        array = np.where(missing, excel if text else np.nan, np.broadcast_to(array, shape))
        result.errors[(row.key, col)] = CellError(excel, why, mask=missing)
        return array

    def _error(self, result: Result, key: str, col: int, error: CellError) -> float:
        """Record an error cell; its value is inf for ``#DIV/0!`` and NaN for ``#NUM!``."""
        result.errors[(key, col)] = error
        return math.inf if error.excel == DIV0 else math.nan

    def _arose(self, exhibit: Exhibit, row: Row, col: int, excel: str, why: str) -> CellError:
        """An error that arises in this cell, naming the inputs it depends on that differ from the report's."""
        return CellError(excel, why, self._changed_inputs(exhibit, row.key, col))

    def _changed_inputs(self, exhibit: Exhibit, key: str, col: int) -> tuple[str, ...]:
        """``key=value`` for each non-switch input the cell reads (directly or through other rows)
        whose value differs from the exhibit's own scenario's, the report's."""
        found: dict[str, None] = {}
        visited: set[tuple[str, str]] = set()
        stack = [(exhibit.id, key)]
        while stack:
            ex_id, row_key = stack.pop()
            if (ex_id, row_key) in visited or ex_id not in self.results:
                continue
            visited.add((ex_id, row_key))
            for item in self.results[ex_id].reads.get(row_key, {}):
                if "." in item:
                    other, _, other_row = item.rpartition(".")
                    stack.append((other, other_row))
                else:
                    found[item] = None
        report = scenarios.load(exhibit.default_scenario)
        schema = scenarios.schema()
        column = self.columns(exhibit)[col]
        out = []
        for k in found:
            spec, value = schema.get(k), self.scenario.values.get(k)
            if spec is None or spec.is_switch or value is None or _same_value(value, report.values.get(k)):
                continue
            if isinstance(value, tuple) and spec.axis == exhibit.axis and column in self.scenario.axis(spec.axis):
                value = value[self.scenario.axis(spec.axis).index(column)]
            out.append(f"{k}={_shown(value)}")
        return tuple(out)


def _why(exc: ArithmeticError) -> tuple[str, str]:
    """The spreadsheet error an arithmetic error stands for, and why."""
    if getattr(exc, "excel", None):
        return exc.excel, exc.why
    if is_division_by_zero(exc):
        return DIV0, getattr(exc, "why", None) or DIVISION_BY_ZERO
    if isinstance(exc, FloatingPointError) and "invalid value" in str(exc):
        return NUM, NOT_REAL
    return NUM, BEYOND_RANGE


def _same_value(a, b) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return False
    return a == b


def _shown(value) -> str:
    if isinstance(value, tuple):
        if all(_same_value(v, value[0]) for v in value):
            return _shown(value[0])
        return ",".join(_shown(v) for v in value)
    if isinstance(value, np.ndarray):
        return f"[{value.size} values]"
    return short_number(value)


def evaluate(exhibit: Exhibit, scenario, registry) -> Result:
    """Evaluate ``exhibit`` for ``scenario`` (floats or a scenario axis of arrays)."""
    return NumericResolver(scenario, registry).run(exhibit)
