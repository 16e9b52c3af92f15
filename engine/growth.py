"""Growth arithmetic: CAGR with an explicit number of periods, year-on-year, compounding.

Both of the report's headline CAGRs go wrong on exactly these points (a wrong row, one
period too many), so :func:`cagr` always takes ``periods`` explicitly: for 2023 to 2027 it
is 4, the number of intervals, not 5, the number of years.
"""

from __future__ import annotations

from .domains import POSITIVE
from .model import model
from .ops import Value

__all__ = ["cagr", "yoy", "grow"]


@model(periods=POSITIVE, undefined="CAGR from a zero start is undefined")
def cagr(start_value: Value, end_value: Value, periods: Value) -> Value:
    """Compound annual growth rate as a fraction: (end / start)^(1 / periods) - 1."""
    return (end_value / start_value) ** (1 / periods) - 1


@model(undefined="growth from a zero base is undefined")
def yoy(current: Value, previous: Value) -> Value:
    """Year-on-year growth as a fraction: current / previous - 1."""
    return current / previous - 1


@model
def grow(base: Value, rate: Value, periods: Value) -> Value:
    """``base`` compounded at ``rate`` per period for ``periods`` periods: base·(1 + rate)^periods."""
    return base * (1 + rate) ** periods
