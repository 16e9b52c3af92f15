"""One number format per unit, for the workbooks and the command line alike.

A number the report prints in 亿 is shown in 亿 everywhere suanli shows it: the same display
factor (:mod:`engine.units`), the same thousands separators, the same decimals.  :data:`FORMATS`
is the one table: for each unit suanli displays, the decimals shown where a row (or an input)
does not say, whether thousands are grouped, and whether it is a percentage.  From it

* :func:`excel_format` gives the Excel number format of a cell (``#,##0.00``, ``0.0%``), and
* :func:`format_value` the text the command line prints, exactly what that format shows in
  Excel or LibreOffice (``1,200,000``; ``30%``; ``6.2E+09`` for a row given in significant figures).

A percentage is handled as Excel handles it: a workbook cell holds the fraction (0.3) and its
``%`` format shows 30%; a value in the display unit (what :class:`~engine.tables.Table` gives and
:func:`format_value` takes) is the percentage itself (30).

:func:`input_display` says how an input is shown: its display unit (the ``display`` of its
input file entry, else its own unit, a fraction in %), the factor from its base unit and the
value a workbook cell holds for it (:meth:`InputDisplay.cell_value`; the template's Inputs
sheet holds these, and its formulas convert back with :attr:`InputDisplay.cell_factor`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache

__all__ = ["UnitFormat", "FORMATS", "unit_format", "excel_format", "format_value", "format_number",
           "InputDisplay", "input_display", "describe_domain", "to_display", "from_display", "decimals_needed",
           "MAX_INPUT_DECIMALS"]


@dataclass(frozen=True)
class UnitFormat:
    """How numbers of one display unit are shown: ``decimals`` where the row does not say,
    ``grouping`` (thousands separators: 15,000), ``percent`` (a % format over the fraction),
    ``text`` (a cell of text)."""

    decimals: int = 0
    grouping: bool = True
    percent: bool = False
    text: bool = False


_P = UnitFormat(2, percent=True)

#: Every unit suanli displays -> its format.  The decimals are the report's usual ones for the unit
#: (an exhibit row that prints other decimals says so; an input shows the decimals its value needs).
FORMATS: dict[str, UnitFormat] = {
    # counts and the report's 亿 / 万
    "count": UnitFormat(0), "亿": UnitFormat(0), "万": UnitFormat(0), "万个": UnitFormat(2),
    "亿人": UnitFormat(1), "users": UnitFormat(0), "params": UnitFormat(0), "tokens": UnitFormat(0),
    "queries": UnitFormat(0), "GPUs": UnitFormat(0), "ports": UnitFormat(0), "bits": UnitFormat(0),
    "modules": UnitFormat(0), "periods": UnitFormat(0),
    # accelerators, servers, racks
    "万张": UnitFormat(2), "张": UnitFormat(0), "cards": UnitFormat(0), "台": UnitFormat(0), "万台": UnitFormat(1),
    "units": UnitFormat(0), "racks": UnitFormat(0), "万架": UnitFormat(1),
    # money
    "亿美元": UnitFormat(1), "万美元": UnitFormat(0), "百万美元": UnitFormat(0), "USD": UnitFormat(0),
    "亿元": UnitFormat(1), "万元": UnitFormat(0), "CNY": UnitFormat(0), "CNY/kW": UnitFormat(0),
    "CNY/kWh": UnitFormat(2), "USD/GB": UnitFormat(0), "USD/sq ft": UnitFormat(0),
    # compute
    "FLOP": UnitFormat(0), "TFLOP": UnitFormat(2), "PFLOP": UnitFormat(0), "EFLOP": UnitFormat(0),
    "PF-days": UnitFormat(1), "PFLOPS": UnitFormat(2), "EFLOPS": UnitFormat(2), "ZFLOPS": UnitFormat(1),
    "FLOP/s": UnitFormat(0), "TFLOPS": UnitFormat(0), "TOPS": UnitFormat(0), "TPP": UnitFormat(1),
    "TPP/mm²": UnitFormat(2), "TPP/mm^2": UnitFormat(2), "FLOP/param/token": UnitFormat(0), "GHz": UnitFormat(1),
    # memory and bandwidth
    "GB": UnitFormat(0), "TB": UnitFormat(0), "PB": UnitFormat(1), "bytes": UnitFormat(0),
    "bytes/param": UnitFormat(2), "GB/s": UnitFormat(0), "TB/s": UnitFormat(1), "Gbps": UnitFormat(0),
    "Tbps": UnitFormat(1), "GT/s": UnitFormat(0),
    # power, energy, water, space
    "W": UnitFormat(0), "kW": UnitFormat(1), "万kW": UnitFormat(1), "MW": UnitFormat(1), "GW": UnitFormat(2),
    "kWh": UnitFormat(0), "MWh": UnitFormat(1), "GWh": UnitFormat(2), "亿kWh": UnitFormat(1),
    "m³": UnitFormat(0), "万m³": UnitFormat(0), "L": UnitFormat(0), "L/kWh": UnitFormat(1),
    "mm²": UnitFormat(0), "mm^2": UnitFormat(0), "per mm²": UnitFormat(0), "nm": UnitFormat(0),
    "ft": UnitFormat(0), "m": UnitFormat(1), "m/s": UnitFormat(1), "km": UnitFormat(0), "miles": UnitFormat(1),
    "lb": UnitFormat(0), "U": UnitFormat(0), "flag": UnitFormat(0), "pJ": UnitFormat(0), "pJ/bit": UnitFormat(1),
    "°C": UnitFormat(0),
    # time
    "days": UnitFormat(0), "hours": UnitFormat(0), "months": UnitFormat(0), "years": UnitFormat(0),
    "year": UnitFormat(0, grouping=False),
    # ratios
    "x": UnitFormat(2), "ratio": UnitFormat(2), "%": _P, "fraction": UnitFormat(2),
    # not numbers
    "text": UnitFormat(text=True), "switch": UnitFormat(0),
}

#: The most decimals an input cell shows (its value is kept in full: 1/6 shows as 16.6667%).
MAX_INPUT_DECIMALS = 4


def unit_format(unit: str) -> UnitFormat:
    """The :class:`UnitFormat` of ``unit``; KeyError names a unit :data:`FORMATS` lacks."""
    try:
        return FORMATS[unit]
    except KeyError:
        raise KeyError(f"no number format for the unit {unit!r}; add it to engine.formats.FORMATS") from None


def excel_format(unit: str, decimals: int | None = None, sig: int | None = None) -> str:
    """The Excel number format of a cell in ``unit``: thousands separators and ``decimals`` (the unit's
    own when None), a % format for a percentage, ``0.0E+00`` for a value given in ``sig`` significant
    figures, ``@`` for text.  ``excel_format("万张", 2)`` is ``#,##0.00``; ``excel_format("%", 1)`` ``#,##0.0%``."""
    f = unit_format(unit)
    if f.text:
        return "@"
    if sig is not None:
        return "0" + ("." + "0" * (sig - 1) if sig > 1 else "") + "E+00"
    d = f.decimals if decimals is None else decimals
    return ("#,##0" if f.grouping else "0") + ("." + "0" * d if d else "") + ("%" if f.percent else "")


def format_value(value, unit: str, decimals: int | None = None, sig: int | None = None) -> str:
    """``value`` (in the display unit ``unit``; a percentage for %) as :func:`excel_format` shows it:
    ``format_value(1.2e6, "EFLOP")`` is ``1,200,000``, ``format_value(30, "%", 0)`` is ``30%``.

    Rounds as a spreadsheet does (the value to 15 significant digits, then halves away from zero).
    None is ``-``; text is itself; a number that is not finite is ``#DIV/0!`` (an infinity) or ``#NUM!``.
    """
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    x = float(value)
    if not math.isfinite(x):
        return "#DIV/0!" if x == math.inf else "#NUM!"
    f = unit_format(unit)
    if f.text:
        return format_number(x)
    if sig is not None:
        return _scientific(x, sig)
    d = f.decimals if decimals is None else decimals
    q = _round(x, d)
    text = f"{q:,.{d}f}" if f.grouping else f"{q:.{d}f}"
    return text + ("%" if f.percent else "")


def format_number(x: float, decimals: int | None = None) -> str:
    """A number with thousands separators: at ``decimals`` places, or (None) at as many as it has to
    10 significant digits (``15,000``; ``0.2``; ``24,365.9``).  Not a finite number: ``inf``, ``nan``."""
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    return _grouped(Decimal(format(x, ".15g")), decimals)


def _grouped(d: Decimal, decimals: int | None = None) -> str:
    if decimals is None:
        decimals = decimals_needed([d], 10)
    return f"{_round(d, decimals):,.{decimals}f}"


def _round(x: float | Decimal, decimals: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 400                      # room for every digit of 1.8e308 and its decimals
        d = x if isinstance(x, Decimal) else Decimal(format(x, ".15g"))
        d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return d if d != 0 else abs(d)          # no "-0.00"


def _scientific(x: float, sig: int) -> str:
    """``x`` as the format ``0.0E+00`` (``sig`` significant figures) shows it."""
    d = Decimal(format(x, ".15g"))
    if d == 0:
        return "0" + ("." + "0" * (sig - 1) if sig > 1 else "") + "E+00"
    e = d.adjusted()
    unit = Decimal(1).scaleb(-(sig - 1))
    m = d.scaleb(-e).quantize(unit, rounding=ROUND_HALF_UP)
    if abs(m) >= 10:
        m, e = (m / 10).quantize(unit, rounding=ROUND_HALF_UP), e + 1
    return f"{m}E{'+' if e >= 0 else '-'}{abs(e):02d}"


def decimals_needed(values: Iterable[float], limit: int = MAX_INPUT_DECIMALS) -> int:
    """The fewest decimals (at most ``limit``) that show every one of ``values`` as it is, to 12
    significant digits: 0 for 15000, 1 for 0.2, 2 for 1.17, ``limit`` for 16.666... (16.6667)"""
    most = 0
    for v in values:
        if v is None or not math.isfinite(float(v)):
            continue
        exponent = Decimal(format(v if isinstance(v, Decimal) else float(v), ".12g")).normalize().as_tuple().exponent
        most = max(most, -exponent if isinstance(exponent, int) else 0)
    return min(most, limit)


def to_display(value: float, factor: float) -> float:
    """A base-unit ``value`` in a display unit of ``factor`` (display = base / factor), exactly as the
    decimals read: ``to_display(24365.9, 1e4)`` is 2.43659, not 2.4365900000000003."""
    if factor == 1:
        return float(value)
    return float(Decimal(repr(float(value))) / Decimal(repr(float(factor))))


def from_display(value: float, factor: float) -> float:
    """A ``value`` in a display unit of ``factor`` in the base unit, as :func:`engine.units.parse_quantity`
    reads it typed with that unit: ``from_display(0.2, 1e8)`` is 2e7 (what ``0.2亿`` is)."""
    if factor == 1:
        return float(value)
    return float(Decimal(repr(float(value))) * Decimal(repr(float(factor))))


@dataclass(frozen=True)
class InputDisplay:
    """How one input is shown: ``unit`` (its display unit: 亿, %, TFLOPS), ``factor`` (display value =
    base value / factor; 0.01 for %), ``percent``, and ``base`` (the unit the engine takes it in, and a
    value typed without a unit is read in).

    A workbook cell holds :meth:`cell_value`: the display value, or for a percentage the fraction
    its % format shows; :attr:`cell_factor` turns the cell's value back into the base unit.
    """

    key: str
    unit: str
    base: str
    factor: float
    percent: bool

    @property
    def cell_factor(self) -> float:
        """What a workbook cell's value is multiplied by to give the base value (1 for a percentage)."""
        return 1.0 if self.percent else self.factor

    @property
    def scaled(self) -> bool:
        """True when the cell holds something other than the base value (15,000 for 1.5e12)."""
        return self.cell_factor != 1

    def cell_value(self, base_value):
        """The value a workbook cell holds for ``base_value`` (None and booleans as they are)."""
        if base_value is None or isinstance(base_value, bool):
            return base_value
        return to_display(base_value, self.cell_factor)

    def base_value(self, cell_value: float) -> float:
        """The base value of what a workbook cell holds."""
        return from_display(cell_value, self.cell_factor)

    def display_value(self, base_value: float) -> float:
        """``base_value`` in the display unit (a percentage for %: 30 for 0.3)."""
        return to_display(base_value, self.factor)

    def format_base(self, base_value, decimals: int | None = None) -> str:
        """``base_value`` as text in the display unit, at ``decimals`` or at the decimals it needs:
        ``15,000`` for mm_params_base's 1.5e12, ``30%`` for 0.3."""
        if base_value is None or isinstance(base_value, bool):
            return format_value(base_value, self.unit)
        shown = self.display_value(base_value)
        d = decimals_needed([shown]) if decimals is None else decimals
        return format_value(shown, self.unit, d)

    def excel_format(self, base_values: Iterable) -> str:
        """The number format of the input's cells: the unit's, at the decimals its values need."""
        shown = [self.display_value(v) for v in base_values if v is not None and not isinstance(v, bool)]
        return excel_format(self.unit, decimals_needed(shown))

    def show_cell(self, cell_value: float) -> str:
        """What a workbook cell holding ``cell_value`` shows, to its full precision: ``15,000``; ``3,000%``."""
        if self.percent and math.isfinite(cell_value):
            return _grouped(Decimal(format(float(cell_value), ".15g")) * 100) + "%"
        return format_number(cell_value)

    def show_base(self, base_value: float) -> str:
        """A base value as a bound or a value in the display unit, to its full precision: ``100%``, ``1,000``."""
        return self.show_cell(self.cell_value(base_value))

    def describe(self, domain) -> str:
        """What ``domain`` accepts, with its bounds in the display unit: ``must be in (0%, 100%]``."""
        return domain.describe(self.show_base)

    @property
    def label(self) -> str:
        """The unit as the Inputs sheet shows it: ``亿 (1e8 params)``, ``%``, ``TFLOPS``."""
        if self.factor == 1 or self.percent:
            return self.unit
        return f"{self.unit} (×{_power(self.factor)} {self.base})"


def _power(factor: float) -> str:
    exponent = math.log10(factor)
    if abs(exponent - round(exponent)) < 1e-12 and exponent >= 3:
        return f"1e{round(exponent)}"
    return format_number(factor)


def describe_domain(key: str, domain) -> str:
    """What the input ``key`` accepts (its ``domain``), in its display unit: ``must be in (0%, 100%]``."""
    return input_display(key).describe(domain)


@cache
def input_display(key: str) -> InputDisplay:
    """How the input ``key`` is shown (:class:`InputDisplay`); an unknown key raises
    :class:`~engine.errors.UnknownNameError` with the closest key suggested."""
    from . import scenarios, units

    spec = scenarios.schema().get(key)
    if spec is None:
        raise scenarios.unknown_key(key)
    label = spec.display
    if label == spec.unit or spec.is_switch:
        return InputDisplay(key, label, spec.unit, 1.0, False)
    factor = units.suffixes(spec.unit)[label]
    return InputDisplay(key, label, spec.unit, float(factor), label == "%")
