"""Unit conversions, in one place.

The engine computes in base units: counts for parameters, tokens, users and cards; FLOP
and FLOP/s; bytes; seconds or days; USD or CNY; fractions 0-1.  The reports display
亿 (1e8) and 万 (1e4), TFLOP, PFLOPS, EFLOPS, GB and percentages; :data:`DISPLAY` maps each
display unit to its base unit and factor, and nothing else in the engine scales numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["YI", "WAN", "SECONDS_PER_DAY", "TERA", "PETA", "EXA", "GIGA", "PF_DAY_FLOP",
           "DisplayUnit", "DISPLAY", "display_unit"]

YI = 1e8                 # 亿
WAN = 1e4                # 万
GIGA = 1e9
TERA = 1e12
PETA = 1e15
EXA = 1e18
SECONDS_PER_DAY = 86400.0
DAYS_PER_YEAR = 365.0
MONTHS_PER_YEAR = 12.0
PF_DAY_FLOP = PETA * SECONDS_PER_DAY   # one PFLOP/s sustained for a day, in FLOP


@dataclass(frozen=True)
class DisplayUnit:
    """A unit the reports print: ``display value = base value / factor``.

    ``percent`` units keep the fraction in a workbook cell and show it with a % format.
    """

    label: str
    base: str
    factor: float
    percent: bool = False
    label_en: str = ""


_UNITS = [
    DisplayUnit("count", "count", 1.0, label_en="count"),
    DisplayUnit("亿", "count", YI, label_en="100m"),
    DisplayUnit("万", "count", WAN, label_en="10k"),
    DisplayUnit("亿人", "users", YI, label_en="100m users"),
    DisplayUnit("万张", "cards", WAN, label_en="10k cards"),
    DisplayUnit("张", "cards", 1.0, label_en="cards"),
    DisplayUnit("cards", "cards", 1.0, label_en="cards"),
    DisplayUnit("亿美元", "USD", YI, label_en="USD 100m"),
    DisplayUnit("万美元", "USD", WAN, label_en="USD 10k"),
    DisplayUnit("USD", "USD", 1.0, label_en="USD"),
    DisplayUnit("FLOP", "FLOP", 1.0, label_en="FLOP"),
    DisplayUnit("TFLOP", "FLOP", TERA, label_en="TFLOP"),
    DisplayUnit("PFLOP", "FLOP", PETA, label_en="PFLOP"),
    DisplayUnit("EFLOP", "FLOP", EXA, label_en="EFLOP"),
    DisplayUnit("PF-days", "FLOP", PF_DAY_FLOP, label_en="PF-days"),
    DisplayUnit("PFLOPS", "FLOP/s", PETA, label_en="PFLOPS"),
    DisplayUnit("EFLOPS", "FLOP/s", EXA, label_en="EFLOPS"),
    DisplayUnit("TFLOPS", "TFLOPS", 1.0, label_en="TFLOPS"),
    DisplayUnit("GB", "GB", 1.0, label_en="GB"),
    DisplayUnit("bytes", "bytes", 1.0, label_en="bytes"),
    DisplayUnit("bytes/param", "bytes/param", 1.0, label_en="bytes per parameter"),
    DisplayUnit("days", "days", 1.0, label_en="days"),
    DisplayUnit("years", "days", DAYS_PER_YEAR, label_en="years"),
    DisplayUnit("months", "days", DAYS_PER_YEAR / MONTHS_PER_YEAR, label_en="months"),
    DisplayUnit("year", "year", 1.0, label_en="year"),
    DisplayUnit("x", "ratio", 1.0, label_en="multiple"),
    DisplayUnit("%", "fraction", 0.01, percent=True, label_en="%"),
    DisplayUnit("text", "text", 1.0, label_en=""),
]

DISPLAY: dict[str, DisplayUnit] = {u.label: u for u in _UNITS}


def display_unit(label: str) -> DisplayUnit:
    """The :class:`DisplayUnit` for a label such as ``"万张"``; KeyError names the known ones."""
    try:
        return DISPLAY[label]
    except KeyError:
        raise KeyError(f"unknown display unit {label!r}; known: {', '.join(DISPLAY)}") from None
