"""The ``overrides`` argument of AI_TABLE and AI_INPUT: a range of input keys and their values.

An analyst lists their own assumptions in cells, one input a row, and hands the range to a
function, which computes under them::

    train_utilization   45%
    mm_params_base      18000亿
    mm_vendors          5,8,10,12,14
    std_vendors         15    20    25    30    35

The first column holds input keys (see ``suanli inputs``; in any case).  The value is either one cell, or
one cell per column of the input across the row:

* one cell: a number in the input's base unit, TRUE/FALSE for a switch, a number in the
  report's units as text (``15000亿``, ``30%``, ``650亿美元``), or a comma-separated list with one
  value per column (``5,8,10,12,14``), exactly as ``suanli table --set KEY=VALUE`` takes them;
  one value for an input with a value per year applies to every year;
* several cells: one value per column of the input (2023E ... 2027E), left to right; blank
  cells after the last value are ignored, so one wide range can hold both kinds of row.

A row that is entirely blank is skipped.  Every other row is checked on its own, and each bad
row gives its own message naming the row of the range (1 for its first row) and what is
accepted: ``#N/A overrides row 2: unknown input key 'train_util'; ... (did you mean
train_utilization?)``.  Nothing here reads a file, so it works alike in the classic add-in and
in the xlwings Lite bundle.
"""

from __future__ import annotations

import datetime as dt
import math
from numbers import Real

import numpy as np

from engine import scenarios
from engine.errors import EXCEL_ERRORS, SuanliError

__all__ = ["read_overrides", "ARGUMENT"]

#: The argument's name, as messages say it.
ARGUMENT = "overrides"

_RANGE = (list, tuple, np.ndarray)
_ACCEPTED = ("a number, TRUE/FALSE, a number with the report's unit (30%, 15000亿), a comma-separated list "
             "with one value per column, or one value per column across the row")


class _Bad(Exception):
    """One row's problem: ``text`` is what its cell shows."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def read_overrides(value, name: str = ARGUMENT) -> tuple[dict[str, object], list[str]]:
    """The input values a range of keys and values sets, and a message for each bad row.

    Returns ``(overrides, problems)``: ``overrides`` maps each key to its value as given (a
    number, TRUE/FALSE, text in the report's units, or a list of one value per column), every
    one checked against the input's schema; ``problems`` holds one cell text per bad row
    (``#NUM! overrides row 3: train_utilization must be in (0, 1], got 30 (did you mean
    0.30?)``), or one for a range of the wrong shape.  A blank argument sets nothing.
    """
    try:
        rows = _rows(value, name)
    except _Bad as exc:
        return {}, [exc.text]
    found: dict[str, object] = {}
    where: dict[str, int] = {}
    problems: list[str] = []
    for number, cells in enumerate(rows, start=1):
        try:
            key, raw = _row(cells, number, name)
            if key is None:
                continue
            if key in where:
                raise _Bad(f"#VALUE! {name} row {number}: {key} is set twice (rows {where[key]} and {number}); "
                           "keep one row per input")
            where[key] = number
            try:
                scenarios.check_value(key, raw)
            except SuanliError as exc:
                raise _Bad(f"{_code(exc)} {name} row {number}: {exc.message}") from None
            found[key] = raw
        except _Bad as exc:
            problems.append(exc.text)
    return found, problems


def _rows(value, name: str) -> list[list]:
    """The range as rows of cells; a single cell that is not blank, a range of one column or a 3-D
    range raises :class:`_Bad`."""
    if isinstance(value, np.ndarray):
        if value.ndim > 2:
            raise _Bad(f"#VALUE! {name} has {value.ndim} dimensions; it takes a range of rows: an input key, then "
                       "its value")
        value = value.reshape(1, -1) if value.ndim == 1 else value.reshape(1, 1) if value.ndim == 0 else value
        rows = [list(r) for r in value]
    elif isinstance(value, (list, tuple)):
        if not value:
            return []
        nested = [isinstance(r, _RANGE) for r in value]
        if all(nested):
            rows = [list(r) for r in value]
        elif any(nested):
            raise _Bad(f"#VALUE! {name} mixes cells and rows; it takes a range of rows: an input key, then its value")
        else:
            rows = [list(value)]            # one row, as Python may pass it
    else:
        rows = [[value]]
    if any(isinstance(c, _RANGE) for r in rows for c in r):
        raise _Bad(f"#VALUE! {name} holds a range inside a range; it takes a range of rows: an input key, "
                   "then its value")
    if rows and max(map(len, rows)) < 2 and not all(_blank(c) for r in rows for c in r):
        raise _Bad(f"#VALUE! {name} has one column; it takes two or more: input keys, then their values "
                   "(e.g. train_utilization | 45%)")
    return rows


def _row(cells: list, number: int, name: str) -> tuple[str | None, object]:
    """One row's key and value as given; (None, None) for a blank row."""
    values = list(cells[1:])
    while values and _blank(values[-1]):
        values.pop()
    head = cells[0] if cells else None
    if _blank(head):
        if values:
            raise _Bad(f"#VALUE! {name} row {number}: a value with no input key; the first column holds the keys")
        return None, None
    key = _key(head, number, name)
    if not values:
        raise _Bad(f"#VALUE! {name} row {number}: {key} has no value; give {_ACCEPTED}")
    if len(values) == 1:
        raw = _value(values[0], key, number, name)
        if isinstance(raw, str) and "," in raw:
            parts = [p.strip() for p in raw.split(",")]
            if any(not p for p in parts):
                raise _Bad(f"#VALUE! {name} row {number}: {key} has an empty item in the list {raw!r}; give one "
                           "value per column, separated by commas")
            return key, parts
        return key, raw
    blanks = [i for i, v in enumerate(values, start=1) if _blank(v)]
    if blanks:
        raise _Bad(f"#VALUE! {name} row {number}: {key} has a blank among its values (value cell {blanks[0]} of "
                   f"{len(values)}); give one value, or one per column with none blank")
    return key, [_value(v, key, number, name) for v in values]


def _key(cell, number: int, name: str) -> str:
    if isinstance(cell, str):
        text = cell.strip()
        if text.upper() in EXCEL_ERRORS:
            raise _Bad(f"{text.upper()} {name} row {number}: the key cell holds the error {text.upper()}; it takes "
                       "an input key such as train_utilization")
        if text.lower() not in scenarios.schema():      # input keys are lower case: typed in any case, they match
            exc = scenarios.unknown_key(text)
            raise _Bad(f"{_code(exc)} {name} row {number}: {exc.message}")
        return text.lower()
    raise _Bad(f"#VALUE! {name} row {number}: the key cell holds {_what(cell)}; it takes an input key such as "
               "train_utilization")


def _value(cell, key: str, number: int, name: str):
    """A value cell as the scenario checks it: a float, a bool, or text (units and lists are the scenario's)."""
    if isinstance(cell, (bool, np.bool_)):
        return bool(cell)
    if isinstance(cell, str):
        text = cell.strip()
        if text.upper() in EXCEL_ERRORS:
            raise _Bad(f"{text.upper()} {name} row {number}: {key} holds the error {text.upper()}; give {_ACCEPTED}")
        return text
    if isinstance(cell, Real) and not isinstance(cell, np.timedelta64):
        try:
            v = float(cell)
        except OverflowError:
            v = math.inf
        if not math.isfinite(v):
            raise _Bad(f"#NUM! {name} row {number}: {key} must be a finite number, got {_what(cell)}")
        return v
    raise _Bad(f"#VALUE! {name} row {number}: {key} holds {_what(cell)}; give {_ACCEPTED}")


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _what(cell) -> str:
    """A cell's content as a message names it."""
    if isinstance(cell, (bool, np.bool_)):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, (dt.date, dt.datetime, dt.time, np.datetime64)):
        return "a date"
    if isinstance(cell, (dt.timedelta, np.timedelta64)):
        return "a duration"
    if isinstance(cell, Real):
        try:
            return format(float(cell), ".12g")
        except OverflowError:
            return "a number beyond 1.8e308"
    return f"a {type(cell).__name__}"


def _code(exc: SuanliError) -> str:
    return getattr(exc, "excel", "#VALUE!")
