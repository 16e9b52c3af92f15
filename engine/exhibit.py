"""Exhibits: each report table as an ordered list of rows over columns.

A :class:`Row` is an expression over scenario inputs and earlier rows (of this column, of
the previous column, or of another exhibit).  :func:`evaluate` runs every row numerically,
on floats or on a whole scenario axis of numpy arrays; a workbook renderer runs the very
same row functions with a context whose values are :class:`~engine.ops.Formula` cell
references, so each cell gets the formula that computes it.

Rows hold base units (counts, FLOP, FLOP/s, fractions); each row's display unit says how
the report prints it (万张, PFLOPS, %), and conversion happens only when a table is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import UnknownNameError
from .model import unchecked
from .units import DisplayUnit, display_unit

__all__ = ["Row", "Exhibit", "Blank", "NeedsInput", "needs_text", "Context", "Resolver", "NumericResolver", "evaluate",
           "Result"]


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
        raise UnknownNameError(f"row of {self.id}", key, [r.key for r in self.rows])

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

    def traced(self, key: str) -> list[str]:
        """What a row reads directly: input keys, and ``exhibit.row`` for rows of other exhibits."""
        return list(self.reads.get(key, {}))

    def needed(self, key: str, column: str | int) -> tuple[str, ...]:
        """The inputs a blank cell waits for (empty when the cell is filled or blank by design)."""
        col = column if isinstance(column, int) else self.columns.index(column)
        return self.needs.get((key, col), ())

    def base(self, key: str, column: str | int):
        col = column if isinstance(column, int) else self.columns.index(column)
        return self.values[key][col]

    def display(self, key: str, column: str | int):
        """A cell in the report's display unit (percent rows as percentages)."""
        value = self.base(key, column)
        row = self.exhibit.row(key)
        if value is None or row.unit == "text" or isinstance(value, str):
            return value
        return value / row.display.factor


class NumericResolver(Resolver):
    """Evaluates exhibits on floats or arrays, caching each row and each exhibit it reaches."""

    def __init__(self, scenario, registry):
        self.scenario = scenario
        self.registry = registry
        self.results: dict[str, Result] = {}
        self._busy: set[str] = set()
        self._row: list[tuple[str, str]] = []   # (exhibit id, row key) being computed

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
        return value

    def row(self, exhibit, key, col):
        self._trace(f"{exhibit.id}.{key}")
        result = self.results[exhibit.id]
        values = result.values.get(key)
        if values is None:
            raise KeyError(f"{exhibit.id}: row {key!r} is used before it is defined")
        return _filled(result, key, col)

    def _trace(self, what: str) -> None:
        if self._row:
            exhibit_id, row_key = self._row[-1]
            self.results[exhibit_id].reads.setdefault(row_key, {})[what] = None

    def other(self, exhibit_id, key, column):
        self._trace(f"{self.registry(exhibit_id).id}.{key}")
        result = self.run(self.registry(exhibit_id))
        if column not in result.columns:
            raise Blank(key)
        return _filled(result, key, result.columns.index(column))

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
            with unchecked():
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
        try:
            if row.input is not None:
                return _as_value(ctx.inp(row.input))
            return _as_value(row.formula(ctx))
        except NeedsInput as missing:
            self.results[exhibit.id].needs[(row.key, col)] = missing.keys
            return None
        except Blank:
            return None
        finally:
            self._row.pop()


def _filled(result: Result, key: str, col: int):
    value = result.values[key][col]
    if value is None:
        needs = result.needs.get((key, col))
        raise NeedsInput(needs) if needs else Blank(key)
    return value


def _as_value(v):
    if isinstance(v, (np.ndarray, str)) or v is None:
        return v
    if isinstance(v, (bool, np.bool_)):
        return float(v)
    return float(v)


def evaluate(exhibit: Exhibit, scenario, registry) -> Result:
    """Evaluate ``exhibit`` for ``scenario`` (floats or a scenario axis of arrays)."""
    return NumericResolver(scenario, registry).run(exhibit)
