"""The operations a model may use, and the symbolic cell that renders them as Excel formulas.

suanli writes each model once, with plain arithmetic (``+ - * / **``, comparisons) and the
few functions below.  The same Python function then runs three ways:

* on floats, for one answer;
* on numpy arrays, for a whole scenario axis at once (sweeps, Monte Carlo, batch);
* on :class:`Formula` values, whose operators build Excel formula text, for the live
  formulas in template workbooks.

Only functions that both Excel 2016 and LibreOffice 7.4 have are emitted (``IF``, ``ROUND``,
``CEILING``, ``INT``, ``ABS``, ``MAX``, ``MIN``), so a built workbook recalculates in either without an add-in.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from .cellvalue import ErrorValue, Number

__all__ = [
    "Formula",
    "Value",
    "Text",
    "ref",
    "ceil",
    "floor",
    "abs_",
    "round_half_up",
    "where",
    "maximum",
    "minimum",
    "is_symbolic",
]

# Excel operator precedence, higher binds tighter.  Excel's unary minus binds tighter than
# ``^`` (``=-2^2`` is 4), so a negated operand is always parenthesised and a negation used as
# a base or exponent is too.
_ATOM = 100
_NEG = 45
_POW = 40
_MUL = 30
_ADD = 20
_CMP = 10


class Formula:
    """A piece of an Excel formula: ``text`` without the leading ``=``, and its precedence.

    Arithmetic with numbers or other formulas returns a new :class:`Formula`, so a model
    function called with formulas returns the formula that computes it.
    """

    __slots__ = ("text", "prec")
    __array_priority__ = 1000  # numpy scalars defer to our reflected operators

    def __init__(self, text: str, prec: int = _ATOM):
        self.text = text
        self.prec = prec

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"

    def __str__(self) -> str:
        return "=" + self.text

    def __bool__(self):
        raise TypeError("a Formula has no truth value: use ops.where() instead of if/and/or")

    # binary operators -------------------------------------------------------------
    def _bin(self, other, op, prec, reflected=False, right_assoc_safe=False):
        left, right = (other, self) if reflected else (self, other)
        lt = _operand(left, prec, strict=False)
        rt = _operand(right, prec, strict=not right_assoc_safe)
        return Formula(f"{lt}{op}{rt}", prec)

    def __add__(self, o):
        return self._bin(o, "+", _ADD, right_assoc_safe=True)

    def __radd__(self, o):
        return self._bin(o, "+", _ADD, reflected=True, right_assoc_safe=True)

    def __sub__(self, o):
        return self._bin(o, "-", _ADD)

    def __rsub__(self, o):
        return self._bin(o, "-", _ADD, reflected=True)

    def __mul__(self, o):
        return self._bin(o, "*", _MUL, right_assoc_safe=True)

    def __rmul__(self, o):
        return self._bin(o, "*", _MUL, reflected=True, right_assoc_safe=True)

    def __truediv__(self, o):
        return self._bin(o, "/", _MUL)

    def __rtruediv__(self, o):
        return self._bin(o, "/", _MUL, reflected=True)

    def __pow__(self, o):
        left = _operand(self, _POW + 1, strict=False)
        right = _operand(o, _POW + 1, strict=False)
        return Formula(f"{left}^{right}", _POW)

    def __rpow__(self, o):
        return Formula.__pow__(_as_formula(o), self)

    def __neg__(self):
        return Formula("-" + _operand(self, _ATOM, strict=False), _NEG)

    def __pos__(self):
        return self

    def _cmp(self, o, op):
        return Formula(f"{_operand(self, _CMP + 1, False)}{op}{_operand(o, _CMP + 1, False)}", _CMP)

    def __lt__(self, o):
        return self._cmp(o, "<")

    def __le__(self, o):
        return self._cmp(o, "<=")

    def __gt__(self, o):
        return self._cmp(o, ">")

    def __ge__(self, o):
        return self._cmp(o, ">=")

    def __eq__(self, o):  # type: ignore[override]
        return self._cmp(o, "=")

    def __ne__(self, o):  # type: ignore[override]
        return self._cmp(o, "<>")

    __hash__ = object.__hash__


#: What a model takes and returns: a float, a numpy array (a scenario axis, a range of cells) or
#: a :class:`Formula` (a template cell being rendered).
Value = float | np.ndarray | Formula
#: What a model that answers in words returns: a text, an array of texts, or a :class:`Formula`.
Text = str | np.ndarray | Formula


def ref(text: str) -> Formula:
    """A reference to a cell, range or defined name (``Inputs!$C$7``, ``hw_utilization``)."""
    return Formula(text, _ATOM)


def number_text(value) -> str:
    """Excel text for a number: integers without a decimal point, others in shortest repr."""
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"cannot write {value} into a formula")
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = repr(value)
    return text.replace("e+", "E").replace("e-", "E-")


def _as_formula(value) -> Formula:
    if isinstance(value, Formula):
        return value
    if isinstance(value, str):
        return Formula('"' + value.replace('"', '""') + '"', _ATOM)
    if isinstance(value, (Real, np.number, np.bool_)):
        text = number_text(value)
        return Formula(text, _ATOM if not text.startswith("-") else _NEG)
    raise TypeError(f"cannot mix {type(value).__name__} into an Excel formula")


def _operand(value, prec: int, strict: bool) -> str:
    """Text of an operand of an operator of precedence ``prec``, parenthesised when needed.

    ``strict`` parenthesises operands of equal precedence too (the right side of ``-``,
    ``/``), because Excel evaluates left to right.
    """
    f = _as_formula(value)
    if f.prec < prec or (strict and f.prec == prec) or (f.prec == _NEG and prec >= _POW):
        return f"({f.text})"
    return f.text


def _call(name: str, *args) -> Formula:
    return Formula(f"{name}({','.join(_as_formula(a).text for a in args)})", _ATOM)


def is_symbolic(*values) -> bool:
    """True when any value is a :class:`Formula` (the model is being rendered, not computed)."""
    return any(isinstance(v, Formula) for v in values)


# The functions a model may call ---------------------------------------------------------
#
# Each takes floats, numpy arrays or formulas.  Numeric results match what Excel computes
# for the emitted formula.

SNAP = 1e-12  # relative: float noise of a few ulps must not add a whole card, at any size


def ceil(x: Value) -> Value:
    """The smallest whole number not below ``x``, ignoring float noise (Excel ``CEILING(x-ABS(x)*1E-12,1)``).

    ``x`` is first moved toward minus infinity by 1e-12 of its size, so that
    ``2.0000000000000004`` stays 2 and ``2.5e6 × 7.000000000000001`` stays 17,500,000; the
    formula does the same in the workbook.  A relative snap holds at any magnitude, where a
    fixed number of decimals stops working above about 1e7.
    """
    if is_symbolic(x):
        return _call("CEILING", x - abs_(x) * SNAP, 1)
    if isinstance(x, ErrorValue):
        return x
    if _is_array(x):
        return np.ceil(x - np.abs(x) * SNAP)
    if not math.isfinite(x):
        return x
    return _like(x, math.ceil(x - abs(x) * SNAP))


def floor(x: Value) -> Value:
    """The largest whole number not above ``x``, ignoring float noise like :func:`ceil` (Excel ``INT``)."""
    if is_symbolic(x):
        return _call("INT", x + abs_(x) * SNAP)
    if isinstance(x, ErrorValue):
        return x
    if _is_array(x):
        return np.floor(x + np.abs(x) * SNAP)
    if not math.isfinite(x):
        return x
    return _like(x, math.floor(x + abs(x) * SNAP))


def abs_(x: Value) -> Value:
    """The absolute value (Excel ``ABS``); elementwise on arrays."""
    if is_symbolic(x):
        return _call("ABS", x)
    return np.abs(x) if _is_array(x) else abs(x)


def round_half_up(x: Value, digits: int = 0) -> Value:
    """``x`` rounded to ``digits`` decimals, halves away from zero, like Excel's ``ROUND``.

    Excel rounds the decimal number it displays: ``ROUND(560.455, 1)`` is 560.5 and
    ``ROUND(2.675, 2)`` is 2.68, although neither is exactly representable in binary.
    """
    if is_symbolic(x, digits):
        return _call("ROUND", x, digits)
    for v in (x, digits):
        if isinstance(v, ErrorValue):
            return v
    return _round_half_up_num(x, int(digits))


def _round_half_up_num(x, digits: int):
    scale = 10.0 ** digits
    if _is_array(x):
        a = np.asarray(x, dtype=float)
        scaled = np.abs(a) * scale
        # take off binary noise below the digit (267.49999999999997 -> 267.5); numpy's round
        # multiplies by 1e6 first, which is exact only while the product stays below 2**53
        scaled = np.where(scaled < 1e9, np.round(scaled, 6), scaled)
        rounded = np.sign(a) * np.floor(scaled + 0.5) / scale
        # a number so large that scaling it overflows is already whole at this precision
        return np.where(np.isfinite(scaled), rounded, a)
    given, x = x, float(x)
    if not math.isfinite(x):
        return given
    scaled = round(abs(x) * scale, 6)
    if not math.isfinite(scaled):
        return given                  # already whole at this size: rounding leaves it as it is
    return _like(given, math.copysign(math.floor(scaled + 0.5) / scale, x) if x != 0 else 0.0)


def _like(given, result) -> float:
    """``result`` as a float of the kind ``given`` was: a :class:`~engine.cellvalue.Number` stays one,
    so the evaluator's spreadsheet arithmetic goes on applying to it."""
    return Number(result) if isinstance(given, Number) else float(result)


def where(condition: Value, if_true: Value | Text, if_false: Value | Text) -> Value | Text:
    """``if_true`` where ``condition`` holds, else ``if_false`` (Excel ``IF``); elementwise on arrays."""
    if is_symbolic(condition, if_true, if_false):
        return _call("IF", condition, if_true, if_false)
    if isinstance(condition, ErrorValue):
        return condition                  # IF(#DIV/0!, ...) is #DIV/0!; an error in the branch not taken is no error
    if _is_array(condition) or _is_array(if_true) or _is_array(if_false):
        truth = condition if _is_array(condition) and condition.dtype == bool else np.asanyarray(condition).astype(bool)
        return np.where(truth, if_true, if_false)
    return if_true if condition else if_false


def maximum(a: Value, b: Value) -> Value:
    """The larger of ``a`` and ``b`` (Excel ``MAX``); elementwise on arrays."""
    if is_symbolic(a, b):
        return _call("MAX", a, b)
    if isinstance(a, ErrorValue) or isinstance(b, ErrorValue):
        return a if isinstance(a, ErrorValue) else b
    if _is_array(a) or _is_array(b):
        return np.maximum(a, b)
    return max(a, b)


def minimum(a: Value, b: Value) -> Value:
    """The smaller of ``a`` and ``b`` (Excel ``MIN``); elementwise on arrays."""
    if is_symbolic(a, b):
        return _call("MIN", a, b)
    if isinstance(a, ErrorValue) or isinstance(b, ErrorValue):
        return a if isinstance(a, ErrorValue) else b
    if _is_array(a) or _is_array(b):
        return np.minimum(a, b)
    return min(a, b)


def _is_array(x) -> bool:
    return isinstance(x, np.ndarray)
