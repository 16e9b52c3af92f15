"""Checks of quoted figures: the earlier value a growth rate implies, the base a CAGR implies,
a whole from a part and its share, the CAGR range the printed rounding allows, annualised
multiples and a 1/0 "within bounds" flag.

The reports quote many numbers from other sources (IDC, Yole, TrendForce, Statista) without
a derivation.  These functions turn such a quote into what it implies, so that two quotes
can be checked against each other at the printed precision.
"""

from __future__ import annotations

from .domains import NONNEGATIVE, POSITIVE
from .model import model
from .ops import Value, where
from .units import MONTHS_PER_YEAR

__all__ = ["prior_from_growth", "base_from_cagr", "total_from_share", "cagr_low", "cagr_high",
           "annualised", "within"]


@model(value=NONNEGATIVE, undefined="a fall of 100% leaves no earlier value to back out")
def prior_from_growth(value: Value, growth: Value) -> Value:
    """The previous period's value a growth rate implies: value ÷ (1 + growth)."""
    return value / (1 + growth)


@model(undefined="a CAGR of -100% leaves no start value to back out")
def base_from_cagr(end_value: Value, rate: Value, periods: Value) -> Value:
    """The start value a CAGR implies: end ÷ (1 + rate)^periods (651亿 at 9.6% over 6 years: 375.6亿)."""
    return end_value / (1 + rate) ** periods


@model(undefined="a zero share implies no whole")
def total_from_share(part: Value, share: Value) -> Value:
    """The whole a part and its share imply: part ÷ share."""
    return part / share


@model(end_value=POSITIVE, periods=POSITIVE, undefined="CAGR from a zero start is undefined")
def cagr_low(start_value: Value, end_value: Value, periods: Value, start_half_unit: Value,
             end_half_unit: Value) -> Value:
    """The lowest CAGR the printed endpoints allow: the end rounded down, the start rounded up.

    ``*_half_unit`` is half the last printed digit: 0.05万 for "28.4万", 0.5万 for "65万".
    """
    return ((end_value - end_half_unit) / (start_value + start_half_unit)) ** (1 / periods) - 1


@model(end_value=POSITIVE, periods=POSITIVE, undefined="CAGR from a zero start is undefined")
def cagr_high(start_value: Value, end_value: Value, periods: Value, start_half_unit: Value,
              end_half_unit: Value) -> Value:
    """The highest CAGR the printed endpoints allow: the end rounded up, the start rounded down."""
    return ((end_value + end_half_unit) / (start_value - start_half_unit)) ** (1 / periods) - 1


@model
def annualised(multiple: Value, months: Value) -> Value:
    """Yearly growth that compounds to ``multiple`` over ``months``: multiple^(12 / months) - 1."""
    return multiple ** (MONTHS_PER_YEAR / months) - 1


@model
def within(value: Value, low: Value, high: Value) -> Value:
    """1 when low ≤ value ≤ high, else 0 (Excel ``IF(value>=low,IF(value<=high,1,0),0)``)."""
    return where(value >= low, where(value <= high, 1, 0), 0)
