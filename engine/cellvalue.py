"""Numbers as a spreadsheet computes them: a division by zero or an overflow is an error value.

Excel and LibreOffice never hold an infinity or a NaN: ``=1/0`` is ``#DIV/0!``, a result beyond
about 1.8e308 or with no real value is ``#NUM!``, an arithmetic operation on an error gives that
error, and ``IF`` evaluates only the branch it takes.  The exhibit evaluator computes a single
scenario the same way, with two value types:

* :class:`Number`, a float whose arithmetic returns an :class:`ErrorValue` where a spreadsheet
  shows an error, instead of raising or giving inf or NaN;
* :class:`ErrorValue`, which every arithmetic operation and comparison passes on, and which
  :func:`engine.ops.where` discards when the condition picks the other branch.

So a model written with plain operators gets a spreadsheet's answer without a check of its own.
On a scenario axis (numpy arrays), :func:`spreadsheet_arithmetic` makes numpy raise instead, and
the evaluator computes the cell again elementwise (:mod:`engine.exhibit`).
"""

from __future__ import annotations

import math
import operator

import numpy as np

__all__ = ["DIV0", "NUM", "DIVISION_BY_ZERO", "BEYOND_RANGE", "NOT_REAL", "Number", "ErrorValue", "CellFailure",
           "Undefined", "is_division_by_zero", "spreadsheet_arithmetic", "power"]

DIV0 = "#DIV/0!"
NUM = "#NUM!"
DIVISION_BY_ZERO = "division by zero"
BEYOND_RANGE = "a number beyond ±1.8e308, the largest a spreadsheet holds"
NOT_REAL = "no real number (a negative number to a fractional power other than an odd root)"


class ErrorValue:
    """A spreadsheet error as a value: ``excel`` (``#DIV/0!``, ``#NUM!``), ``why`` in words, and
    ``detail``, what the evaluator knows of where it arose (an :class:`engine.exhibit.CellError`
    for an error read from another cell; None for one that arose in the formula being computed).

    Arithmetic and comparisons with it give it back (the left operand's error first, as Excel
    does); numpy defers to it; it has no truth value and no float value (both raise
    :class:`CellFailure`).
    """

    __slots__ = ("excel", "why", "detail")
    __array_ufunc__ = None            # ndarray + ErrorValue: numpy defers to our reflected operators

    def __init__(self, excel: str, why: str, detail=None):
        self.excel = excel
        self.why = why
        self.detail = detail

    def __repr__(self) -> str:
        return f"ErrorValue({self.excel!r}, {self.why!r})"

    def _same(self, *_):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _same
    __pow__ = __rpow__ = __neg__ = __pos__ = __abs__ = _same
    __lt__ = __le__ = __gt__ = __ge__ = __eq__ = __ne__ = _same
    __hash__ = object.__hash__

    def __bool__(self):
        raise CellFailure(self)

    def __float__(self):
        raise CellFailure(self)


class CellFailure(ArithmeticError):
    """An :class:`ErrorValue` used where only a number will do (a truth value, ``float()``)."""

    def __init__(self, error: ErrorValue):
        self.error = error
        self.excel = error.excel
        self.why = error.why
        super().__init__(f"{error.excel} {error.why}")


def _odd_root(base, exponent):
    """Where a negative ``base`` meets an ``exponent`` that is 1/n for an odd whole n: spreadsheets take
    the real odd root there, ``(-8)^(1/3)`` is -2 in Excel and LibreOffice (IEEE pow gives NaN).
    Elementwise on arrays; the test LibreOffice's ``sc::power`` makes (n rounded from 1/exponent, and
    1/n equal to the exponent to 2^-48)."""
    b, e = np.asarray(base, dtype=float), np.asarray(exponent, dtype=float)
    with np.errstate(all="ignore"):
        n = np.trunc(1 / e + np.where(e < 0, -0.5, 0.5))
        finite = np.isfinite(n) & (np.abs(n) < 2.0 ** 62)
        n = np.where(finite, n, 2.0)
        odd = finite & (np.mod(n, 2) == 1) & (np.abs(1 / n - e) <= np.abs(e) * 2.0 ** -48)
        return (b < 0) & (e != np.floor(e)) & odd


def power(base, exponent):
    """``base ** exponent`` as a spreadsheet computes it: the real odd root of a negative base
    (``power(-8, 1/3)`` is -2.0), NaN for another fractional power of one; elementwise on arrays."""
    odd = _odd_root(base, exponent)
    if not np.any(odd):
        return np.power(base, exponent) if isinstance(base, np.ndarray) or isinstance(exponent, np.ndarray) \
            else base ** exponent
    with np.errstate(invalid="ignore"):
        result = np.where(odd, -np.power(np.abs(base), exponent), np.power(base, exponent))
    return result if result.ndim else float(result)


def _pow(a, b):
    """Python's ``a ** b`` for two floats, with a spreadsheet's odd roots of negative numbers."""
    if a < 0 and b != math.floor(b) and bool(_odd_root(a, b)):
        return -((-a) ** b)
    return a ** b


def _arithmetic(op, reflected: bool = False):
    def method(self, other):
        if isinstance(other, ErrorValue):
            return other
        if type(other) is Number:
            other = float(other)                   # plain floats: no second dispatch to Number
        elif isinstance(other, np.ndarray):        # a scenario axis: numpy's rules, element by element
            on_arrays = power if op is _pow else op
            return on_arrays(other, float(self)) if reflected else on_arrays(float(self), other)
        try:
            result = op(other, float(self)) if reflected else op(float(self), other)
        except (ZeroDivisionError, OverflowError, FloatingPointError) as exc:
            return ErrorValue(DIV0, DIVISION_BY_ZERO) if is_division_by_zero(exc) else ErrorValue(NUM, BEYOND_RANGE)
        except TypeError:
            return NotImplemented                  # not a number: the other operand's to handle
        if isinstance(result, complex):
            return ErrorValue(NUM, NOT_REAL)
        if not isinstance(result, (float, int)) or isinstance(result, bool):
            return result                          # an array (a scenario axis), a Formula
        if not math.isfinite(result):
            return ErrorValue(NUM, BEYOND_RANGE)
        return Number(result)
    return method


class Number(float):
    """A float whose arithmetic is a spreadsheet's: ``Number(1) / 0`` is ``ErrorValue('#DIV/0!')``,
    ``Number(1e308) * 10`` is ``ErrorValue('#NUM!')``, ``Number(-8) ** (1/3)`` too; every other
    result is a Number again."""

    __slots__ = ()

    __add__ = _arithmetic(operator.add)
    __radd__ = _arithmetic(operator.add, reflected=True)
    __sub__ = _arithmetic(operator.sub)
    __rsub__ = _arithmetic(operator.sub, reflected=True)
    __mul__ = _arithmetic(operator.mul)
    __rmul__ = _arithmetic(operator.mul, reflected=True)
    __truediv__ = _arithmetic(operator.truediv)
    __rtruediv__ = _arithmetic(operator.truediv, reflected=True)
    __floordiv__ = _arithmetic(operator.floordiv)
    __rfloordiv__ = _arithmetic(operator.floordiv, reflected=True)
    __mod__ = _arithmetic(operator.mod)
    __rmod__ = _arithmetic(operator.mod, reflected=True)
    __pow__ = _arithmetic(_pow)
    __rpow__ = _arithmetic(_pow, reflected=True)

    def __neg__(self):
        return Number(-float(self))

    def __pos__(self):
        return self

    def __abs__(self):
        return Number(abs(float(self)))


class Undefined(ZeroDivisionError):
    """A division by zero that a model can say in words ("CAGR from a zero start is undefined").

    Raised by :func:`~engine.model.model` functions declared with ``undefined=...`` when their
    body divides by zero on a scenario axis (on single values they return an :class:`ErrorValue`
    with ``why`` instead); the exhibit evaluator shows the cell as ``#DIV/0!`` with ``why``.
    """

    def __init__(self, why: str):
        self.why = why
        super().__init__(why)


def is_division_by_zero(exc: BaseException) -> bool:
    """True when an arithmetic error is a division by zero, a spreadsheet's ``#DIV/0!``.

    Python's own ``ZeroDivisionError``, and numpy's divide-by-zero and ``0/0`` (which IEEE calls
    an invalid operation, and Excel and LibreOffice show as ``#DIV/0!``); ``0`` to a negative power
    is one too.
    """
    if isinstance(exc, ZeroDivisionError) or getattr(exc, "excel", None) == DIV0:
        return True
    text = str(exc)
    return isinstance(exc, FloatingPointError) and (
        "divide by zero" in text or ("invalid value" in text and "divide" in text))


def spreadsheet_arithmetic():
    """A context in which numpy arithmetic raises :class:`FloatingPointError` where a spreadsheet
    cell would show an error (a division by zero, ``0/0`` included; an overflow past about 1.8e308;
    an operation with no real result) instead of giving inf or NaN; underflow gives 0, as in Excel.

    The evaluator computes a scenario axis inside it first, and only a cell that raises again
    elementwise.
    """
    return np.errstate(divide="raise", over="raise", invalid="raise", under="ignore")
