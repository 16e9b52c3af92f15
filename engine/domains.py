"""What values a model argument accepts, checked the same way everywhere.

A :class:`Domain` is a closed or half-open interval plus a few flags.  The engine checks
arguments with it, the Excel layer cleans ranges with it element by element, and each
scenario input declares one as its bounds, so "utilization must be in [0, 1]" is written
once and reads the same in a cell, on the command line and in a workbook's data validation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from numbers import Real

import numpy as np

from .errors import InvalidTypeError, InvalidValueError, MissingValueError

__all__ = ["Domain", "COUNT", "POSITIVE", "NONNEGATIVE", "FRACTION", "POSITIVE_FRACTION",
           "RATE", "WHOLE", "POSITIVE_WHOLE", "SWITCH", "ANY", "EFFICIENCY", "PUE", "ZERO_STAGE",
           "RADIX", "TIERS", "TIER_SELECT", "OVERSUBSCRIPTION"]


@dataclass(frozen=True)
class Domain:
    """An interval of accepted numbers: ``low``/``high`` with open or closed ends.

    ``whole`` asks for whole numbers; ``switch`` for TRUE/FALSE (0 or 1); ``fraction_hint``
    makes an out-of-range value above 1 suggest the fraction the user probably meant.
    """

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    whole: bool = False
    switch: bool = False
    fraction_hint: bool = False

    def with_bounds(self, low=None, high=None) -> Domain:
        """A copy with other bounds (closed), for inputs that narrow a general domain; a special
        domain (even numbers) stays one."""
        return replace(
            self, low=self.low if low is None else float(low), high=self.high if high is None else float(high),
            low_open=self.low_open if low is None else False, high_open=self.high_open if high is None else False,
        )

    def within(self, other: Domain) -> bool:
        """True when ``other`` accepts every value this domain accepts (this one narrows it).

        A model may narrow an argument's general domain (a divisor must be > 0), never widen it.
        """
        if not isinstance(self, type(other)):
            return False                  # a special domain (even numbers) narrows only its own kind
        if self.switch:
            return other.contains(0) and other.contains(1)
        if other.switch:
            return False
        if other.whole and not self.whole:
            return False
        low_ok = self.low > other.low or (self.low == other.low and (self.low_open or not other.low_open))
        high_ok = self.high < other.high or (self.high == other.high and (self.high_open or not other.high_open))
        return low_ok and high_ok

    # description -----------------------------------------------------------------------
    def describe(self, show=None) -> str:
        """What is accepted, as a phrase after the argument name ("must be in [0, 1]").

        ``show`` writes a bound (default: ``0.3``, ``1e+07``); the Inputs sheet of a workbook shows
        bounds in the input's display unit with it ("must be in (0%, 100%]")."""
        _num = show or _plain_number
        if self.switch:
            return "must be TRUE or FALSE (1 or 0)"
        kind = "a whole number" if self.whole else "a number"
        lo, hi = self.low, self.high
        if lo == -math.inf and hi == math.inf:
            return f"must be {kind}"
        if hi == math.inf:
            if lo == 0 and self.low_open:
                return f"must be {'a whole number' if self.whole else 'a number'} > 0"
            return f"must be {kind} {'>' if self.low_open else '>='} {_num(lo)}"
        if lo == -math.inf:
            return f"must be {kind} {'<' if self.high_open else '<='} {_num(hi)}"
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        prefix = "a whole number in " if self.whole else "in "
        return f"must be {prefix}{left}{_num(lo)}, {_num(hi)}{right}"

    def hint(self, value: float) -> str | None:
        """A suggestion for a likely mistake (30 for 0.30), or None."""
        if self.fraction_hint and 1 < value <= 100 and self.contains(value / 100):
            return f"did you mean {value / 100:.2f}?"
        return None

    # checks ----------------------------------------------------------------------------
    def contains(self, value: float) -> bool:
        """True when the number lies in the domain."""
        if not math.isfinite(value):  # NaN and ±inf are never a usable input
            return False
        if self.switch:
            return value in (0, 1)
        if value < self.low or (self.low_open and value == self.low):
            return False
        if value > self.high or (self.high_open and value == self.high):
            return False
        if self.whole and value != math.floor(value):
            return False
        return True

    def ok_mask(self, values: np.ndarray) -> np.ndarray:
        """Elementwise :meth:`contains` for a float array (NaN and inf are never in)."""
        v = np.asarray(values, dtype=float)
        if self.switch:
            return (v == 0) | (v == 1)
        ok = np.isfinite(v)
        ok &= (v > self.low) if self.low_open else (v >= self.low)
        ok &= (v < self.high) if self.high_open else (v <= self.high)
        if self.whole:
            ok &= v == np.floor(v)
        return ok

    def check(self, name: str, value):
        """``value`` as a float or float array if every element is accepted, else raise.

        Raises :class:`~engine.errors.InvalidTypeError` for text or other non-numbers,
        :class:`~engine.errors.MissingValueError` for None, and
        :class:`~engine.errors.InvalidValueError` naming the first bad element.
        """
        if value is None:
            raise MissingValueError(name, value, "is required")
        if isinstance(value, (bool, np.bool_)):
            if self.switch:
                return float(value)
            raise InvalidTypeError(name, value, "must be a number, not TRUE/FALSE")
        if isinstance(value, (list, tuple)):
            value = np.asarray(value)
        if isinstance(value, np.ndarray):
            if value.dtype.kind not in "biuf":
                raise InvalidTypeError(name, value.dtype, "must be numbers")
            arr = value.astype(float, copy=False)
            ok = self.ok_mask(arr)
            if not ok.all():
                bad = float(arr[~ok].flat[0])
                raise InvalidValueError(name, bad, self.describe(), self._hint_or_nan(bad))
            return arr
        if not isinstance(value, Real):
            raise InvalidTypeError(name, value, "must be a number")
        v = float(value)
        if not self.contains(v):
            raise InvalidValueError(name, v, self.describe(), self._hint_or_nan(v))
        return v

    def _hint_or_nan(self, v: float) -> str | None:
        if not math.isfinite(v):
            return f"{v} is not a number a model can use"
        return self.hint(v)


def _plain_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else format(x, "g")


@dataclass(frozen=True)
class _Even(Domain):
    """Whole numbers that are also even (switch radices: a port pair per up/down split)."""

    def describe(self, show=None) -> str:
        return f"must be an even whole number >= {(show or _plain_number)(self.low)}"

    def contains(self, value: float) -> bool:
        return super().contains(value) and value % 2 == 0

    def ok_mask(self, values):
        v = np.asarray(values, dtype=float)
        return super().ok_mask(v) & (np.mod(np.where(np.isfinite(v), v, 1), 2) == 0)


ANY = Domain()
NONNEGATIVE = Domain(low=0.0)
POSITIVE = Domain(low=0.0, low_open=True)
COUNT = Domain(low=0.0)                              # parameters, tokens, users: may be fractional
WHOLE = Domain(low=0.0, whole=True)                  # things counted one by one
POSITIVE_WHOLE = Domain(low=1.0, whole=True)
FRACTION = Domain(low=0.0, high=1.0, fraction_hint=True)
POSITIVE_FRACTION = Domain(low=0.0, high=1.0, low_open=True, fraction_hint=True)
RATE = Domain(low=-1.0, low_open=True, fraction_hint=True)   # growth rates: -100% < g
SWITCH = Domain(switch=True)
EFFICIENCY = Domain(low=0.0, high=1.0, low_open=True)      # a share of a rate that gets through (0, 1]
PUE = Domain(low=1.0)                                      # facility power ÷ IT power
ZERO_STAGE = Domain(low=0, high=3, whole=True)
RADIX = _Even(low=2, whole=True)                           # switch ports, split evenly up and down
TIERS = Domain(low=1, high=3, whole=True)
TIER_SELECT = Domain(low=0, high=3, whole=True)            # 0 for all tiers
OVERSUBSCRIPTION = Domain(low=1)
