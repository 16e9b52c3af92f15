"""Column widths and row heights from what the cells show.

Excel and LibreOffice measure a column in characters of the default font (Calibri 11: a digit is
one unit) and a row in points.  LibreOffice fits neither to a workbook XlsxWriter writes: a
wrapped text in a row of the default height overlaps the rows below it in a PDF, and a number
wider than its column shows as ``###``.  So suanli sets both from the content: :func:`shown` is
the text a number format gives a value (the formats suanli writes), :func:`text_width` its width
in those units (a Chinese character counts two), :func:`fit` a column's width, :func:`lines` and
:func:`row_height` the height of a row whose wrapped cells hold given texts.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["shown", "text_width", "fit", "lines", "row_height", "LINE_POINTS", "PADDING"]

#: The height of one line of the default font, in points, and what a row adds around its lines.
LINE_POINTS = 15.0
ROW_PADDING_POINTS = 2.0

#: What a column adds to its widest text: room for the cell's margins.
PADDING = 1.5


#: Character widths in digits, measured on LibreOffice's PDF of the default font (DejaVu Sans standing in
#: for Calibri, a little wider); a wide character counts two, as Excel's CJK fonts beside Calibri take.
_NARROW = dict.fromkeys(" .,:;'|!", 0.5) | dict.fromkeys("ijl", 0.45) | dict.fromkeys("ftr", 0.65) | \
    dict.fromkeys("()[]{}-", 0.62) | {"m": 1.55, "w": 1.3, "M": 1.4, "W": 1.45, "%": 1.5}


def text_width(text: str, bold: bool = False) -> float:
    """The width of ``text`` in digit widths of the default font: a wide (Chinese) character counts two."""
    width = 0.0
    for ch in text:
        if ch in _NARROW:
            width += _NARROW[ch]
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 2.0
        elif ch.isdigit():
            width += 1.0
        elif ch.islower():
            width += 0.9
        elif ch.isupper():
            width += 1.1
        elif ord(ch) > 0x2000:                   # symbols: ≠ ✓ × ≈ ≤
            width += 1.35
        else:
            width += 1.0
    return width * (1.12 if bold else 1.0)


def fit(texts: Iterable[str], minimum: float = 4.0, maximum: float = 60.0, bold_texts: Iterable[str] = ()) -> float:
    """A column width that shows every text of ``texts`` (and of ``bold_texts``, headers) on one line,
    between ``minimum`` and ``maximum``."""
    widest = max([text_width(t) for t in texts] + [text_width(t, bold=True) for t in bold_texts] + [0.0])
    return round(min(max(widest + PADDING, minimum), maximum), 1)


def lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` wide (breaking between words, and
    anywhere in a run of Chinese characters)."""
    room = max(width - PADDING + 0.5, 1.0)
    count = 0
    for paragraph in str(text).split("\n"):
        line, n = 0.0, 1
        for word in re.findall(r"[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+\s*|\s+", paragraph):
            w = text_width(word, bold)
            if line + w > room and line > 0:
                n += 1
                line = 0.0
                if word.isspace():
                    continue
            while w > room:                       # a word longer than the line breaks inside it
                n += 1
                w -= room
            line += w
        count += n
    return count


def row_height(cells: Iterable[tuple[str, float]], bold: bool = False) -> float:
    """The height in points of a row whose wrapped cells hold ``(text, column width)``."""
    most = max([lines(t, w, bold) for t, w in cells] + [1])
    return math.ceil(most * LINE_POINTS + ROW_PADDING_POINTS)


# ------------------------------------------------------------------------------ number formats
_QUOTED = re.compile(r'"([^"]*)"')


def shown(value, num_format: str) -> str:
    """The text ``value`` shows in a cell of number format ``num_format``, for the formats suanli
    writes: ``General``, ``@``, ``0``, ``#,##0`` and ``#,##0.00``, ``0.0%``, ``0.00E+00``, optionally
    with a quoted suffix.  Text shows as it is; a value with no number as its error."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    x = float(value)
    if not math.isfinite(x):
        return "#DIV/0!" if x == math.inf else "#NUM!"
    section = num_format.split(";")[0 if x >= 0 or ";" not in num_format else 1]
    suffix = "".join(_QUOTED.findall(section))
    body = _QUOTED.sub("", section).strip()
    if body in ("General", "@", ""):
        return _general(x) + suffix
    if "E+" in body:
        decimals = len(body.split(".")[1].split("E")[0]) if "." in body else 0
        d = _decimal(x)
        if d == 0:
            return f"{0:.{decimals}f}E+00" + suffix
        exponent = d.adjusted()
        mantissa = _round(d.scaleb(-exponent), decimals)
        if abs(mantissa) >= 10:
            mantissa, exponent = _round(mantissa / 10, decimals), exponent + 1
        return f"{mantissa:.{decimals}f}E{exponent:+03d}" + suffix
    percent = body.endswith("%")
    d = _decimal(x)
    if percent:
        d *= 100
        body = body[:-1]
    decimals = len(body.split(".")[1]) if "." in body else 0
    q = _round(abs(d), decimals)
    text = f"{q:,.{decimals}f}" if "," in body else f"{q:.{decimals}f}"
    sign = "-" if d < 0 and q != 0 else ""
    return sign + text + ("%" if percent else "") + suffix


def _decimal(x: float) -> Decimal:
    """``x`` as a spreadsheet rounds it: its 15 significant digits."""
    return Decimal(format(x, ".15g"))


def _round(d: Decimal, decimals: int) -> Decimal:
    """Half away from zero, as Excel and LibreOffice show a number (138.35 shows 138.4 at one decimal)."""
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _general(x: float) -> str:
    """Excel's General format in a column of about 11 characters: up to 10 significant digits, then
    scientific."""
    if x == 0:
        return "0"
    if 1e-5 <= abs(x) < 1e11:
        text = f"{x:.10g}"
        if "e" not in text:
            return text
    mantissa, exponent = f"{x:.5E}".split("E")
    return f"{mantissa.rstrip('0').rstrip('.')}E{int(exponent):+03d}"
