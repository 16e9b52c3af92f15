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
import math
from array import array
from collections.abc import Callable, Mapping, Sequence
from itertools import chain
from numbers import Real

import numpy as np

from engine.domains import ANY, Domain
from engine.errors import EXCEL_ERRORS, SuanliError
from engine.model import unchecked

__all__ = ["call_model", "excel_error", "EXCEL_ERRORS", "as_text", "scalar_or_rows"]

# An input holding one of Excel's error values passes it on.
_ERRORS = frozenset(EXCEL_ERRORS)
_NUMBER_TYPES = (float, int)
_PLAIN_NUMBERS = frozenset({float, int})


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


def _as_rows(value) -> tuple[object, tuple[int, int], bool]:
    """A cell value or a range as (flat values, shape, came as a single value).

    The flat values are a list, or a float array when the range already is one.
    """
    if isinstance(value, np.ndarray):
        arr = value if value.ndim == 2 else value.reshape(-1, 1) if value.ndim == 1 else value.reshape(1, 1)
        flat = arr.ravel() if arr.dtype.kind in "fiu" else arr.ravel().tolist()
        return flat, arr.shape, value.ndim == 0
    if isinstance(value, (list, tuple)):
        if not value:
            return [None], (1, 1), False
        if isinstance(value[0], (list, tuple)):
            widths = set(map(len, value))
            if len(widths) != 1:
                raise ValueError("ragged range")
            width = widths.pop()
            flat = value[0] if len(value) == 1 else list(chain.from_iterable(value))
            return list(flat), (len(value), width), False
        return list(value), (len(value), 1), False
    return [value], (1, 1), True


def _clean(name: str, value, domain: Domain, stand_in: float) -> _Arg:
    flat, shape, scalar = _as_rows(value)
    errors: dict[int, str] = {}
    values = _fast_floats(flat)
    if values is None:  # blanks, text, dates or TRUE/FALSE among the values: element by element
        values = np.empty(len(flat))
        for i, v in enumerate(flat):
            if type(v) in _NUMBER_TYPES or (isinstance(v, Real) and not isinstance(v, (bool, np.bool_))):
                values[i] = v
                continue
            values[i] = stand_in
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


def _fast_floats(flat) -> np.ndarray | None:
    """The values as floats in one C pass, or None when any is not a plain number
    (a blank, text, a date, TRUE/FALSE): those go element by element."""
    if isinstance(flat, np.ndarray):
        return flat.astype(float, copy=False)
    if set(map(type, flat)) <= _PLAIN_NUMBERS:
        return np.frombuffer(array("d", flat), dtype=float)
    return None


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
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return f"#VALUE! {name} {_wants_phrase(domain)}, got a date"
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


def _clean_switch(name: str, value, domain: Domain) -> _Arg:
    flat, shape, scalar = _as_rows(value)
    values = np.zeros(len(flat))
    errors = {}
    for i, v in enumerate(flat):
        if isinstance(v, (bool, np.bool_)):
            values[i] = float(v)
        elif type(v) in _NUMBER_TYPES and v in (0, 1):
            values[i] = float(v)
        else:
            errors[i] = (_type_error(name, v, domain) if type(v) not in _NUMBER_TYPES
                         else f"#VALUE! {name} must be TRUE or FALSE, got {format(float(v), '.12g')}")
    width = shape[1]
    return _Arg(values.reshape(shape), {(i // width, i % width): t for i, t in errors.items()}, shape, scalar)


def call_model(model: Callable, args: Mapping[str, object], domains: Mapping[str, Domain] | None = None,
               text_args: Sequence[str] = ()) -> object:
    """Call ``model`` once over every argument broadcast together; return what the cells show.

    ``args`` maps the model's argument names to cell values or ranges.  Bad elements become
    error texts in their own positions; the others get the model's numbers (or texts).
    """
    domains = dict(getattr(model, "domains", {}), **(domains or {}))
    cleaned: dict[str, _Arg] = {}
    for name, value in args.items():
        domain = domains.get(name, ANY)
        cleaned[name] = (_clean_switch(name, value, domain) if domain.switch
                         else _clean(name, value, domain, _stand_in(domain)))
    try:
        shape = np.broadcast_shapes(*(a.shape for a in cleaned.values()))
    except ValueError:
        shapes = ", ".join(f"{n} is {a.shape[0]}×{a.shape[1]}" for n, a in cleaned.items() if a.shape != (1, 1))
        return f"#VALUE! ranges must have the same shape, or one row or one column to repeat: {shapes}"
    all_scalar = all(a.scalar or a.shape == (1, 1) for a in cleaned.values())
    bad: dict[tuple[int, int], str] = {}
    for a in cleaned.values():
        for (r, c), text in a.errors.items():
            for pos in _positions(r, c, a.shape, shape):
                bad.setdefault(pos, text)
    if len(bad) == shape[0] * shape[1]:
        out = np.empty(shape, dtype=object)
        for pos, text in bad.items():
            out[pos] = text
        return scalar_or_rows(out, all_scalar)
    with unchecked():
        try:
            result = model(**{n: (a.values if a.shape != (1, 1) else float(a.values[0, 0]))
                              for n, a in cleaned.items()})
        except SuanliError as exc:  # a check the model makes across arguments
            return excel_error(exc)
        except (ZeroDivisionError, FloatingPointError, OverflowError) as exc:
            return f"#NUM! {exc}"
    result = np.broadcast_to(np.asarray(result), shape)
    if result.dtype.kind in "fc":
        finite = np.isfinite(result)
        out = result.astype(object) if (bad or not finite.all()) else result
        if not finite.all():
            for pos in zip(*np.nonzero(~finite), strict=True):
                pos = tuple(int(p) for p in pos)
                bad.setdefault(pos, "#NUM! the result is not a finite number "
                                    "(too large, or undefined for these inputs)")
    else:
        out = result.astype(object)
    if bad:
        out = np.array(out, dtype=object)
        for pos, text in bad.items():
            out[pos] = text
    return scalar_or_rows(out, all_scalar)


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
    """A cell's text for arguments that take names (a chip, a field, an exhibit), or None if blank."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        flat = list(chain.from_iterable(value)) if value and isinstance(value[0], (list, tuple)) else list(value)
        if len(flat) != 1:
            raise ValueError("takes one cell")
        value = flat[0]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None
