"""Unit conversions, in one place.

The engine computes in base units: counts for parameters, tokens, users and cards; FLOP
and FLOP/s; bytes; seconds or days; USD or CNY; fractions 0-1.  The reports display
亿 (1e8) and 万 (1e4), TFLOP, PFLOPS, EFLOPS, GB and percentages; :data:`DISPLAY` maps each
display unit to its base unit and factor, and nothing else in the engine scales numbers.

A value a user types may carry the report's units: :func:`parse_quantity` reads ``18000亿``,
``2万``, ``30%`` or ``650亿美元`` into the base unit, the one parser the command line, scenario
files and the analyses' ranges and distributions use.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["YI", "WAN", "KILO", "MEGA", "GIGA", "TERA", "PETA", "EXA", "ZETTA",
           "SECONDS_PER_DAY", "HOURS_PER_DAY", "DAYS_PER_YEAR", "MONTHS_PER_YEAR", "HOURS_PER_YEAR",
           "PF_DAY_FLOP", "GB_PER_TB", "KW_PER_MW", "KW_PER_GW", "LITRES_PER_M3", "METRES_PER_FOOT",
           "FEET_PER_MILE", "KM_PER_MILE", "PJ_PER_NJ",
           "BITS_PER_BYTE", "DIRECTIONS", "DisplayUnit", "DISPLAY", "display_unit",
           "MULTIPLIERS", "Quantity", "suffixes", "read_quantity", "parse_quantity", "short_number",
           "SHOWN_IN_WAN_OR_YI"]

YI = 1e8                 # 亿
WAN = 1e4                # 万
KILO = 1e3
MEGA = 1e6
GIGA = 1e9
TERA = 1e12
PETA = 1e15
EXA = 1e18
ZETTA = 1e21
SECONDS_PER_DAY = 86400.0
HOURS_PER_DAY = 24.0
DAYS_PER_YEAR = 365.0
MONTHS_PER_YEAR = 12.0
HOURS_PER_YEAR = HOURS_PER_DAY * DAYS_PER_YEAR   # 8,760
PF_DAY_FLOP = PETA * SECONDS_PER_DAY   # one PFLOP/s sustained for a day, in FLOP
GB_PER_TB = KILO
KW_PER_MW = KILO
KW_PER_GW = MEGA
LITRES_PER_M3 = KILO
METRES_PER_FOOT = 0.3048
FEET_PER_MILE = 5280
KM_PER_MILE = FEET_PER_MILE * METRES_PER_FOOT / KILO   # 1.609344
PJ_PER_NJ = KILO
BITS_PER_BYTE = 8
DIRECTIONS = 2           # a bidirectional bandwidth figure counts a full-duplex link's rate once each way


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
    DisplayUnit("百万美元", "USD", MEGA, label_en="USD m"),
    DisplayUnit("亿元", "CNY", YI, label_en="CNY 100m"),
    DisplayUnit("万元", "CNY", WAN, label_en="CNY 10k"),
    DisplayUnit("CNY", "CNY", 1.0, label_en="CNY"),
    DisplayUnit("CNY/kW", "CNY/kW", 1.0, label_en="CNY per kW"),
    DisplayUnit("USD/GB", "USD/GB", 1.0, label_en="USD per GB"),
    DisplayUnit("W", "kW", 1 / KILO, label_en="W"),
    DisplayUnit("kW", "kW", 1.0, label_en="kW"),
    DisplayUnit("万kW", "kW", WAN, label_en="10k kW"),
    DisplayUnit("MW", "kW", KW_PER_MW, label_en="MW"),
    DisplayUnit("GW", "kW", KW_PER_GW, label_en="GW"),
    DisplayUnit("kWh", "kWh", 1.0, label_en="kWh"),
    DisplayUnit("MWh", "kWh", KW_PER_MW, label_en="MWh"),
    DisplayUnit("GWh", "kWh", KW_PER_GW, label_en="GWh"),
    DisplayUnit("亿kWh", "kWh", YI, label_en="100m kWh"),
    DisplayUnit("台", "units", 1.0, label_en="units"),
    DisplayUnit("万台", "units", WAN, label_en="10k units"),
    DisplayUnit("units", "units", 1.0, label_en="units"),
    DisplayUnit("racks", "racks", 1.0, label_en="racks"),
    DisplayUnit("万架", "racks", WAN, label_en="10k racks"),
    DisplayUnit("m³", "m³", 1.0, label_en="cubic metres"),
    DisplayUnit("万m³", "m³", WAN, label_en="10k cubic metres"),
    DisplayUnit("L", "L", 1.0, label_en="litres"),
    DisplayUnit("PB", "GB", GB_PER_TB * KILO, label_en="PB"),
    DisplayUnit("GB/s", "GB/s", 1.0, label_en="GB/s"),
    DisplayUnit("TB/s", "GB/s", GB_PER_TB, label_en="TB/s"),
    DisplayUnit("Gbps", "Gbps", 1.0, label_en="Gb/s"),
    DisplayUnit("Tbps", "Gbps", KILO, label_en="Tb/s"),
    DisplayUnit("TOPS", "TOPS", 1.0, label_en="TOPS"),
    DisplayUnit("TPP", "TPP", 1.0, label_en="TPP"),
    DisplayUnit("mm²", "mm²", 1.0, label_en="square millimetres"),
    DisplayUnit("TPP/mm²", "TPP/mm²", 1.0, label_en="TPP per square millimetre"),
    DisplayUnit("ZFLOPS", "FLOP/s", ZETTA, label_en="ZFLOPS"),
    DisplayUnit("GHz", "GHz", 1.0, label_en="GHz"),
    DisplayUnit("pJ", "pJ", 1.0, label_en="picojoules"),
    DisplayUnit("pJ/bit", "pJ/bit", 1.0, label_en="picojoules per bit"),
    DisplayUnit("km", "km", 1.0, label_en="kilometres"),
    DisplayUnit("miles", "km", KM_PER_MILE, label_en="miles"),
    DisplayUnit("ft", "ft", 1.0, label_en="feet"),
    DisplayUnit("lb", "lb", 1.0, label_en="pounds"),
    DisplayUnit("U", "U", 1.0, label_en="rack units"),
    DisplayUnit("flag", "flag", 1.0, label_en="1 = yes, 0 = no"),
    DisplayUnit("°C", "°C", 1.0, label_en="degrees Celsius"),
    DisplayUnit("modules", "modules", 1.0, label_en="modules"),
    DisplayUnit("万个", "count", WAN, label_en="10k"),
    # physical quantities the passages print in their own units (never "count")
    DisplayUnit("m/s", "m/s", 1.0, label_en="metres per second"),
    DisplayUnit("hours", "hours", 1.0, label_en="hours"),
    DisplayUnit("CNY/kWh", "CNY/kWh", 1.0, label_en="CNY per kWh"),
    DisplayUnit("USD/sq ft", "USD/sq ft", 1.0, label_en="USD per square foot"),
    DisplayUnit("L/kWh", "L/kWh", 1.0, label_en="litres per kWh"),
    DisplayUnit("m", "m", 1.0, label_en="metres"),
    DisplayUnit("ft", "ft", 1.0, label_en="feet"),
    DisplayUnit("nm", "nm", 1.0, label_en="nanometres"),
    DisplayUnit("GT/s", "GT/s", 1.0, label_en="gigatransfers per second"),
    DisplayUnit("per mm²", "per mm²", 1.0, label_en="per square millimetre"),
    DisplayUnit("bits", "bits", 1.0, label_en="bits"),
    DisplayUnit("text", "text", 1.0, label_en=""),
]

DISPLAY: dict[str, DisplayUnit] = {u.label: u for u in _UNITS}


def display_unit(label: str) -> DisplayUnit:
    """The :class:`DisplayUnit` for a label such as ``"万张"``; KeyError names the known ones."""
    try:
        return DISPLAY[label]
    except KeyError:
        raise KeyError(f"unknown display unit {label!r}; known: {', '.join(DISPLAY)}") from None


# ------------------------------------------------------------------ values typed with the report's units
#: Multipliers a value may carry whatever its input's unit: the report's 亿 and 万 (and 万亿), and %.
MULTIPLIERS: dict[str, Decimal] = {"万亿": Decimal("1e12"), "亿": Decimal("1e8"), "万": Decimal("1e4"),
                                   "%": Decimal("0.01")}

#: Input units that are counts of something, for which the report's count units (万个, 亿) apply.
_COUNTS = {"count", "params", "tokens", "queries", "GPUs", "ports", "modules"}

#: Base units whose quantities the reports print in 万 or 亿 (parameters, users, cards, money, power,
#: racks...): a bare number 1e-4 or 1e-8 of the report's value there is likely one typed in those units.
SHOWN_IN_WAN_OR_YI = frozenset(_COUNTS | {"users", "cards", "units", "racks", "USD", "CNY", "kW", "kWh", "m³"})

_NUMBER = re.compile(r"^([+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)\s*(.*?)$")


@dataclass(frozen=True)
class Quantity:
    """A value as typed: its number (``18000``), the suffix after it (``亿``, ``%``, ``亿美元``; None
    for a bare number) and the factor that suffix stands for.  ``value`` is the float in the base
    unit, ``exact`` the same as a Decimal (``20%`` is exactly 0.2)."""

    number: Decimal
    suffix: str | None
    factor: Decimal

    @property
    def exact(self) -> Decimal:
        return self.number * self.factor

    @property
    def value(self) -> float:
        return float(self.exact)


def suffixes(unit: str | None = None) -> dict[str, Decimal]:
    """The suffixes a value of an input in base unit ``unit`` may carry, with their factors: the
    :data:`MULTIPLIERS`, and every display unit of :data:`DISPLAY` over that base (``亿美元`` and
    ``万美元`` for USD, ``万张`` for cards, ``MW`` for kW)."""
    found = dict(MULTIPLIERS)
    base = "count" if unit in _COUNTS else unit
    for label, u in DISPLAY.items():
        if unit is not None and u.base == base and label not in ("text", base):
            found.setdefault(label, Decimal(repr(u.factor)))
    return found


def read_quantity(name: str, text: str, unit: str | None = None) -> Quantity:
    """``text`` as a :class:`Quantity`: a number (``1.5e12``, ``0.3``, ``1_000``), optionally followed
    by one of :func:`suffixes` (``18000亿``, ``2万``, ``30%``, ``650亿美元`` for a USD input).
    Full-width digits and signs (``１８０００亿``, ``３０％``) read as their ASCII forms.

    Raises :class:`~engine.errors.InvalidTypeError` naming ``name`` for text that is not such a
    number, and :class:`~engine.errors.InvalidValueError` for one that is not finite
    (``inf``, ``1e999``).
    """
    from .errors import InvalidTypeError, InvalidValueError

    raw = str(text)
    t = unicodedata.normalize("NFKC", raw).strip()
    m = _NUMBER.match(t)
    if m is None:
        try:
            special = float(t)
        except ValueError:
            special = 0.0
        if not math.isfinite(special):
            raise InvalidValueError(name, raw, "must be a finite number")
        raise InvalidTypeError(name, raw, "must be a number", _accepted(unit))
    number = Decimal(m.group(1).replace("_", ""))
    suffix = m.group(2).strip() or None
    factor = Decimal(1)
    if suffix is not None:
        known = suffixes(unit)
        lowered = {k.lower(): k for k in known}
        if suffix.lower() not in lowered:
            raise InvalidTypeError(name, raw, "must be a number", _accepted(unit))
        factor = known[lowered[suffix.lower()]]
        suffix = lowered[suffix.lower()]
    q = Quantity(number, suffix, factor)
    if not math.isfinite(q.value):
        raise InvalidValueError(name, raw, "must be a finite number")
    return q


def parse_quantity(name: str, text: str, unit: str | None = None) -> float:
    """The float :func:`read_quantity` reads, in the base unit: ``parse_quantity("mm_params_base",
    "18000亿")`` is 1.8e12."""
    return read_quantity(name, text, unit).value


def short_number(x: float) -> str:
    """A number in a message: six significant digits, an exponent without + or leading zeros
    (``1.5e12``, ``0.2``, ``18000``, ``1e308``)."""
    text = format(float(x), ".6g")
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}e{int(exponent)}"
    return text


def _accepted(unit: str | None) -> str:
    """The hint of a refused value: which suffixes a number may end in."""
    extra = [k for k in suffixes(unit) if k not in MULTIPLIERS]
    text = "a number may end in 万亿, 亿, 万 or %, as in 18000亿, 2万, 30%"
    return text + (f"; or in a unit of {unit}: {', '.join(extra)}" if extra else "")
