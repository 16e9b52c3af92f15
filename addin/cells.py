"""From Excel cells to one engine call and back: argument cleaning, broadcasting, error texts.

Excel hands a UDF single values or ranges as nested lists: numbers as floats, blank cells as
None, text as str, TRUE/FALSE as bool, dates as datetime, and error cells as their text
("#N/A") when xlwings reads them with ``err_to_str``.  This module turns every argument into a
float array, marks each element that is not a number the model accepts, calls the model ONCE on
the whole broadcast arrays, and writes an error text ("#NUM! utilization must be in (0, 1], got
30 (did you mean 0.30?)") into exactly the elements that were bad.  Nothing here is Excel- or
xlwings-specific, so the same cleaning runs on Windows, in xlwings Lite and in the tests.

Called from Python, a UDF returns what the cell would show: a number, a text, or a 2-D array
for a range (numbers, with error texts where elements were bad).
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
from array import array
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from itertools import chain
from numbers import Real
from operator import itemgetter

import numpy as np

from engine.domains import ANY, Domain
from engine.errors import EXCEL_ERRORS, SuanliError
from engine.model import unchecked

__all__ = ["call_model", "excel_error", "EXCEL_ERRORS", "as_text", "scalar_or_rows"]

# An input holding one of Excel's error values passes it on.
_ERRORS = frozenset(EXCEL_ERRORS)
_NUMBER_TYPES = (float, int)


def excel_error(exc: SuanliError) -> str:
    """The text a cell shows for an engine error: its Excel error value, then the message."""
    return f"{_code(exc)} {exc.message}"


def _code(exc: SuanliError) -> str:
    return getattr(exc, "excel", "#VALUE!")


class _Arg:
    """One cleaned argument: float values (bad elements replaced by a harmless stand-in), the
    error text of each bad element, and the shape it came in."""

    __slots__ = ("values", "errors", "shape", "scalar")

    def __init__(self, values: np.ndarray, errors: dict[tuple[int, int], str], shape, scalar: bool):
        self.values, self.errors, self.shape, self.scalar = values, errors, shape, scalar


class _NotARange(Exception):
    """An argument that is neither one cell nor a range of rows and columns; ``text`` is what the cells show."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


_ROW_TYPES = (list, tuple, np.ndarray)
_PLAIN_ROWS = frozenset({list, tuple})
_FIRST = itemgetter(0)   # a column's cells: faster than flattening its rows


def _as_rows(name: str, value) -> tuple[object, tuple[int, int], bool]:
    """A cell value or a range as (flat values, shape, came as a single value).

    The flat values are a list, or a float array when the range already is one.  A range with
    no cell reads as one blank cell; a ragged or 3-D range raises :class:`_NotARange`.
    """
    if isinstance(value, np.ndarray):
        if value.ndim > 2:
            raise _NotARange(_three_d(name, f"has {value.ndim} dimensions"))
        if value.size == 0:
            return [None], (1, 1), False
        arr = value if value.ndim == 2 else value.reshape(-1, 1) if value.ndim == 1 else value.reshape(1, 1)
        # numbers go as they are; anything else (dates included, which tolist() would turn
        # into integers) element by element as numpy scalars, so each shows its own error
        flat = arr.ravel() if arr.dtype.kind in "fiu" else list(arr.ravel())
        return flat, arr.shape, value.ndim == 0
    if isinstance(value, (list, tuple)):
        if not value:
            return [None], (1, 1), False
        if isinstance(value[0], _ROW_TYPES):
            if not set(map(type, value)) <= _PLAIN_ROWS and not all(isinstance(row, _ROW_TYPES) for row in value):
                raise _NotARange(_three_d(name, "mixes cells and rows"))
            widths = sorted(set(map(len, value)))
            if len(widths) != 1:
                raise _NotARange(f"#VALUE! {name} has rows of different lengths ({_and(widths)} cells); "
                                 "a range has rows of one length")
            width = widths[0]
            if width == 0:
                return [None], (1, 1), False
            flat = (list(value[0]) if len(value) == 1 else list(map(_FIRST, value)) if width == 1
                    else list(chain.from_iterable(value)))
            return flat, (len(value), width), False
        return list(value), (len(value), 1), False
    return [value], (1, 1), True


def _three_d(name: str, what: str) -> str:
    return f"#VALUE! {name} {what}; it takes one cell or a range of rows and columns"


def _and(numbers) -> str:
    shown = list(map(str, numbers))
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _clean(name: str, value, domain: Domain, stand_in: float, blank: float | None = None) -> _Arg:
    """One numeric argument cleaned; ``blank`` is what a blank element means (the default of an
    optional argument), or None when a blank is an error (a required argument)."""
    flat, shape, scalar = _as_rows(name, value)
    errors: dict[int, str] = {}
    if isinstance(flat, np.ndarray):
        values = flat.astype(float, copy=False)
    else:
        values, odd = _floats_and_odd(flat, stand_in)
        said: dict[tuple[type, object], str] = {}  # one message per distinct blank, text or TRUE/FALSE
        for i in odd:  # blanks, text, TRUE/FALSE, dates, numpy scalars, huge integers: one by one
            v = flat[i]
            kind = type(v)
            if v is None and blank is not None:
                values[i] = blank
            elif v is None or kind is str or kind is bool:
                text = said.get((kind, v))
                if text is None:
                    text = said[kind, v] = _type_error(name, v, domain)
                errors[i] = text
            elif _is_number(v):
                try:
                    values[i] = v
                except OverflowError:  # an integer (or fraction) beyond a float's range
                    errors[i] = _too_large(name, v, domain)
            elif isinstance(v, _ROW_TYPES):
                raise _NotARange(_three_d(name, "holds a range inside a range"))
            else:
                errors[i] = _type_error(name, v, domain)
    ok = domain.ok_mask(values)
    if not ok.all():
        values = values.copy() if not values.flags.writeable else values
        for i in np.flatnonzero(~ok):
            i = int(i)
            if i in errors:
                continue
            errors[i] = _domain_error(name, float(values[i]), domain)
            values[i] = stand_in
    width = shape[1]
    return _Arg(values.reshape(shape), {(i // width, i % width): t for i, t in errors.items()}, shape, scalar)


def _is_number(v) -> bool:
    """True for a real number: not TRUE/FALSE, and not a numpy duration (which numpy counts as an integer)."""
    return type(v) in _NUMBER_TYPES or (isinstance(v, Real) and not isinstance(v, (bool, np.bool_, np.timedelta64)))


def _floats_and_odd(flat: list, stand_in: float) -> tuple[np.ndarray, Sequence[int]]:
    """The values as a float array, and the positions of those that are not plain numbers.

    Plain numbers (Python floats and ints) are converted in one C pass; every other element (a
    blank, a text, TRUE/FALSE, an error value, a date, a numpy scalar) is left at ``stand_in``
    and its position returned, for the caller to read or reject one by one.  Type is tested
    exactly, so TRUE is never read as 1 nor a blank as NaN, which ``np.array(rows, dtype=float)``
    would do silently.  An integer beyond a float's range sends every element one by one.
    """
    n = len(flat)
    types = np.fromiter(map(type, flat), dtype=object, count=n)   # one pass; compared in C below
    odd_mask = np.not_equal(types, float)
    if odd_mask.any():
        odd_mask &= np.not_equal(types, int)
    odd = np.flatnonzero(odd_mask).tolist()
    if len(odd) == n:  # nothing to convert in bulk: a single odd cell, or a range of text or blanks
        return np.full(n, stand_in), odd
    plain = flat
    if odd:
        plain = list(flat)
        for i in odd:
            plain[i] = stand_in
    try:
        return np.frombuffer(array("d", plain), dtype=float), odd
    except OverflowError:  # an integer beyond a float's range: every element one by one
        return np.full(n, stand_in), range(n)


def _too_large(name: str, v, domain: Domain) -> str:
    return f"#NUM! {name} {domain.describe()}, got {_beyond(v)}"


def _beyond(v) -> str:
    """A number outside a float's range, as a message says it."""
    return "a number below -1.8e308, the lowest a cell holds" if v < 0 else \
        "a number above 1.8e308, the largest a cell holds"


def _type_error(name: str, v, domain: Domain) -> str:
    if v is None:
        return f"#VALUE! {name} is blank; it needs {_wants(domain)}"
    if isinstance(v, str):
        code = v.strip().upper()
        if code in _ERRORS:
            return f"{code} {name} holds the error {code}; it needs {_wants(domain)}"
        return f"#VALUE! {name} {_wants_phrase(domain)}, got text {v!r}"
    if isinstance(v, (bool, np.bool_)):
        if domain.switch:
            return ""  # unreachable: switches take booleans through _clean_switch
        return f"#VALUE! {name} {_wants_phrase(domain)}, got {'TRUE' if v else 'FALSE'}"
    if isinstance(v, (dt.date, dt.datetime, dt.time, np.datetime64)):
        return f"#VALUE! {name} {_wants_phrase(domain)}, got a date"
    if isinstance(v, (dt.timedelta, np.timedelta64)):
        return f"#VALUE! {name} {_wants_phrase(domain)}, got a duration"
    return f"#VALUE! {name} {_wants_phrase(domain)}, got {type(v).__name__}"


def _wants(domain: Domain) -> str:
    return _wants_phrase(domain).removeprefix("must be ")


def _wants_phrase(domain: Domain) -> str:
    return domain.describe()


def _domain_error(name: str, v: float, domain: Domain) -> str:
    hint = domain.hint(v) if math.isfinite(v) else None
    code = "#DIV/0!" if (v == 0 and domain.low == 0 and domain.low_open) else "#NUM!"
    shown = format(v, ".12g")
    text = f"{code} {name} {domain.describe()}, got {shown}"
    return text + (f" ({hint})" if hint else "")


def _number(v: Real) -> str:
    """A number as an error message shows it (12 significant digits), whatever its size."""
    try:
        return format(float(v), ".12g")
    except OverflowError:
        return _beyond(v)


def _stand_in(domain: Domain) -> float:
    """A value inside the domain, used in place of bad elements so the one engine call succeeds."""
    if domain.switch:
        return 0.0
    lo = domain.low if math.isfinite(domain.low) else None
    hi = domain.high if math.isfinite(domain.high) else None
    if lo is not None and hi is not None:
        mid = (lo + hi) / 2
        return float(math.ceil(mid)) if domain.whole and math.ceil(mid) <= hi else mid
    if lo is not None:
        return lo + 1.0
    if hi is not None:
        return hi - 1.0
    return 1.0


def _clean_switch(name: str, value, domain: Domain, blank: float | None = None) -> _Arg:
    flat, shape, scalar = _as_rows(name, value)
    values = np.zeros(len(flat))
    errors = {}
    for i, v in enumerate(flat):
        if v is None and blank is not None:
            values[i] = float(blank)
        elif isinstance(v, (bool, np.bool_)):
            values[i] = float(v)
        elif _is_number(v) and v in (0, 1):
            values[i] = float(v)
        elif isinstance(v, _ROW_TYPES):
            raise _NotARange(_three_d(name, "holds a range inside a range"))
        elif _is_number(v):
            errors[i] = f"#VALUE! {name} must be TRUE or FALSE, got {_number(v)}"
        else:
            errors[i] = _type_error(name, v, domain)
    width = shape[1]
    return _Arg(values.reshape(shape), {(i // width, i % width): t for i, t in errors.items()}, shape, scalar)


def call_model(model: Callable, args: Mapping[str, object], domains: Mapping[str, Domain] | None = None,
               text_args: Sequence[str] = ()) -> object:
    """Call ``model`` once over every argument broadcast together; return what the cells show.

    ``args`` maps the model's argument names to cell values or ranges.  Bad elements become
    error texts in their own positions; the others get the model's numbers (or texts).  A blank
    (None) in an argument the model gives a default is that default, element by element, as
    Excel's own functions treat an omitted argument; a blank in a required argument is an error.
    """
    domains = dict(getattr(model, "domains", {}), **(domains or {}))
    blanks = _defaults(model)
    cleaned: dict[str, _Arg] = {}
    try:
        with np.errstate(all="ignore"):  # a long double beyond a float's range reads as inf: out of every domain
            for name, value in args.items():
                domain, blank = domains.get(name, ANY), blanks.get(name)
                cleaned[name] = (_clean_switch(name, value, domain, blank) if domain.switch
                                 else _clean(name, value, domain, _stand_in(domain), blank))
    except _NotARange as exc:
        return exc.text
    try:
        shape = np.broadcast_shapes(*(a.shape for a in cleaned.values()))
    except ValueError:
        shapes = ", ".join(f"{n} is {a.shape[0]}×{a.shape[1]}" for n, a in cleaned.items() if a.shape != (1, 1))
        return f"#VALUE! ranges must have the same shape, or one row or one column to repeat: {shapes}"
    all_scalar = all(a.scalar or a.shape == (1, 1) for a in cleaned.values())
    bad: dict[tuple[int, int], str] = {}
    for a in cleaned.values():
        if a.shape == shape:  # a range of the result's shape: each error in its own cell
            for pos, text in a.errors.items():
                bad.setdefault(pos, text)
            continue
        for (r, c), text in a.errors.items():
            for pos in _positions(r, c, a.shape, shape):
                bad.setdefault(pos, text)
    if len(bad) == shape[0] * shape[1]:
        out = np.empty(shape, dtype=object)
        for pos, text in bad.items():
            out[pos] = text
        return scalar_or_rows(out, all_scalar)
    # Every argument goes in as an array, a single cell as 1×1: the model then runs on numpy
    # alone, where a result too large or undefined is inf or NaN in its own element (caught
    # below), never an exception from Python's float arithmetic, nor a complex number from a
    # negative base's fractional power.
    with unchecked(), np.errstate(all="ignore"):
        try:
            result = model(**{n: a.values for n, a in cleaned.items()})
        except SuanliError as exc:  # a check the model makes across arguments
            return excel_error(exc)
        except (ZeroDivisionError, FloatingPointError, OverflowError) as exc:
            return f"#NUM! {exc}"
    result = np.broadcast_to(np.asarray(result), shape)
    if result.dtype.kind in "fc":
        finite = np.isfinite(result) & (np.imag(result) == 0)
        out = result.real.astype(object) if (bad or not finite.all() or result.dtype.kind == "c") else result
        if not finite.all():
            for pos in zip(*np.nonzero(~finite), strict=True):
                pos = tuple(int(p) for p in pos)
                bad.setdefault(pos, _NOT_FINITE)
    else:
        out = result.astype(object)
        if result.dtype.kind == "O":  # numbers and texts mixed: None or a non-finite number is no value
            for pos, v in np.ndenumerate(out):
                if v is None or (isinstance(v, Real) and not math.isfinite(v)):
                    bad.setdefault(pos, _NOT_FINITE)
    if bad:
        if out.dtype != object or not out.flags.writeable:  # else already a fresh copy of its own
            out = np.array(out, dtype=object)
        for pos, text in bad.items():
            out[pos] = text
    return scalar_or_rows(out, all_scalar)


@cache
def _defaults(model: Callable) -> dict[str, float]:
    """The model's numeric defaults by argument: what a blank in an optional argument means."""
    try:
        params = inspect.signature(model).parameters.values()
    except (TypeError, ValueError):  # a callable without a signature has no defaults to offer
        return {}
    return {p.name: float(p.default) for p in params
            if isinstance(p.default, Real) and not isinstance(p.default, np.timedelta64)}


_NOT_FINITE = "#NUM! the result is not a finite number (too large, or undefined for these inputs)"


def _positions(r: int, c: int, arg_shape, shape):
    rows = range(shape[0]) if arg_shape[0] == 1 else (r,)
    cols = range(shape[1]) if arg_shape[1] == 1 else (c,)
    return ((i, j) for i in rows for j in cols)


def scalar_or_rows(out: np.ndarray, scalar: bool):
    """One value for a single cell, else a 2-D numpy array of what each cell shows.

    xlwings writes a numpy array to the range itself (classic and Lite alike); building a
    list of 100,000 row lists here would cost more than the engine's whole computation.
    """
    if scalar:
        return _plain(out.reshape(-1)[0])
    return out


def _plain(v):
    if isinstance(v, np.generic):
        return v.item()
    return v


def as_text(value) -> str | None:
    """A cell's text for arguments that take names (a chip, a field, an exhibit), or None if blank.

    Raises ValueError when ``value`` is not one cell (a range of several, ragged or 3-D).
    """
    try:
        flat, shape, _ = _as_rows("value", value)
    except _NotARange:
        raise ValueError("takes one cell") from None
    if shape != (1, 1) or isinstance(flat[0], _ROW_TYPES):
        raise ValueError("takes one cell")
    value = flat[0]
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, np.integer)) and not isinstance(value, np.timedelta64):
        return str(value) if abs(value) < 10**300 else _beyond(value)
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return str(value).strip() or None
