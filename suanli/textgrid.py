"""Plain-text tables for the terminal, aligned for Chinese labels (wide characters take two cells),
and the one place the command formats numbers.

:func:`grid` pads columns to a common width; a column may wrap its text over several lines
instead of clipping it, and one column may take whatever width is left of the terminal's
(:func:`terminal_width`, kept within 80 to 120 columns), so that a listing fits a terminal.

:func:`number` and :func:`input_value` are how the command shows a table cell and an input's
value: every number the command prints goes through one of them.
"""

from __future__ import annotations

import math
import shutil
import unicodedata
from collections.abc import Mapping, Sequence

from engine.tables import format_value

__all__ = ["grid", "room", "width", "wrap", "terminal_width", "number", "input_value", "NARROWEST", "WIDEST"]

NARROWEST, WIDEST = 80, 120     # the terminal widths a listing is laid out for


def width(text: str) -> int:
    """Terminal columns ``text`` takes: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def terminal_width() -> int:
    """The terminal's width (``COLUMNS`` when set; 100 when the output is not a terminal), kept
    within :data:`NARROWEST` and :data:`WIDEST`."""
    columns = shutil.get_terminal_size((100, 24)).columns
    return max(NARROWEST, min(WIDEST, columns))


def number(row, value) -> str:
    """A table cell's number as the command shows it: at the row's printed precision, with
    thousands separators (:func:`engine.tables.format_value`)."""
    return format_value(row, value)


def input_value(value, spec) -> str:
    """An input's value as ``suanli inputs`` shows it, in the input's base unit (what ``--set``
    takes): TRUE/FALSE for a switch, one number, or one per column, comma-separated, when they
    differ, with an empty place for a column left blank; ``(yours to supply)`` when no column has a
    value."""
    values = value if isinstance(value, tuple) else (value,)
    if all(v is None for v in values):
        return f"(blank: {spec.blank_means})" if spec.blank_means else "(yours to supply)"
    first = value[0] if isinstance(value, tuple) else value
    if spec.is_switch:
        return "TRUE" if first else "FALSE"
    if isinstance(value, tuple) and len(set(value)) > 1:
        return ",".join(_plain(v) for v in value)
    return _plain(first)


def _plain(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    return format(v, ".10g")


def _clip(text: str, limit: int) -> str:
    if width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def wrap(text: str, limit: int) -> list[str]:
    """``text`` in lines of at most ``limit`` columns: broken at spaces (after a comma or other
    punctuation too), and inside a word only when the word alone is longer than a line (Chinese
    text has no spaces: it breaks anywhere)."""
    limit = max(limit, 2)
    lines: list[str] = []
    for paragraph in str(text).splitlines() or [""]:
        line = ""
        for word in _words(paragraph):
            candidate = line + word
            if width(candidate.rstrip()) <= limit:
                line = candidate
                continue
            if line.strip():
                lines.append(line.rstrip())
                line = ""
            word = word.lstrip() if not line else word
            while width(word.rstrip()) > limit:
                head, word = _split(word, limit)
                lines.append(head)
            line = word
        lines.append(line.rstrip())
    return lines


def _words(text: str) -> list[str]:
    """Pieces of ``text`` a line may end after: a word with the spaces (or the comma) after it, or
    one wide character (Chinese breaks anywhere)."""
    out: list[str] = []
    piece = ""
    for ch in text:
        if width(ch) == 2:
            if piece:
                out.append(piece)
                piece = ""
            out.append(ch)
        elif ch != " " and piece.endswith((" ", ",")):
            out.append(piece)
            piece = ch
        else:
            piece += ch
    if piece:
        out.append(piece)
    return out


def _split(word: str, limit: int) -> tuple[str, str]:
    used = 0
    for i, ch in enumerate(word):
        if used + width(ch) > limit:
            return word[:i], word[i:]
        used += width(ch)
    return word, ""


def room(head: Sequence[str], rows: Sequence[Sequence[str]], fill: int, wraps: Mapping[int, int] | None = None,
         total: int | None = None) -> int:
    """The width column ``fill`` of :func:`grid` gets: what the other columns leave of ``total``."""
    wraps = wraps or {}
    total = terminal_width() if total is None else total
    others = sum(min(max((width(str(r[i])) for r in [head, *rows] if i < len(r)), default=0), wraps.get(i, 10_000))
                 for i in range(len(head)) if i != fill)
    return total - others - 2 * (len(head) - 1)


def grid(head: Sequence[str], rows: Sequence[Sequence[str]], max_width: Mapping[int, int] | None = None, *,
         wraps: Mapping[int, int] | None = None, fill: int | None = None, total: int | None = None,
         least: int = 20, left: Sequence[int] = (), stack: bool = False) -> str:
    """Columns padded to a common width; numbers right-aligned, except in the ``left`` columns.

    ``max_width`` clips a column's cells (with "…"); ``wraps`` wraps them over several lines
    instead; ``fill`` is a column that wraps to whatever is left of ``total`` columns (default
    :func:`terminal_width`) once the others are laid out (:func:`room`), and at least ``least``;
    with ``stack``, a ``fill`` column that would get less goes under each row instead, indented,
    so that no line is wider than ``total``.
    """
    max_width = dict(max_width or {})
    wraps = dict(wraps or {})
    cells = [[_clip(str(c), max_width.get(i, 10_000)) for i, c in enumerate(r)] for r in [head, *rows]]
    n = len(head)
    if fill is not None:
        total = terminal_width() if total is None else total
        space = room(head, cells[1:], fill, wraps, total)
        if stack and space < least:
            return _stacked(cells, fill, wraps, total, left)
        wraps[fill] = max(least, space, width(head[fill]))
    split = [[wrap(c, wraps[i]) if i in wraps else [c] for i, c in enumerate(r)] for r in cells]
    widths = [max((width(line) for r in split if i < len(r) for line in r[i]), default=0) for i in range(n)]
    lines = []
    for k, r in enumerate(split):
        for j in range(max(len(c) for c in r)):
            parts = []
            for i, c in enumerate(r):
                text = c[j] if j < len(c) else ""
                pad = " " * (widths[i] - width(text))
                right = k > 0 and len(c) == 1 and i not in left and _numeric(text)
                parts.append(pad + text if right else text + pad)
            lines.append("  ".join(parts).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _stacked(cells: list[list[str]], fill: int, wraps: Mapping[int, int], total: int, left: Sequence[int]) -> str:
    """:func:`grid` with column ``fill`` under each row, indented, instead of beside it."""
    keep = [i for i in range(len(cells[0])) if i != fill]
    narrower = {keep.index(i): w for i, w in wraps.items() if i in keep}
    shown = [[r[i] for i in keep] for r in cells]
    lines = grid(shown[0], shown[1:], wraps=narrower, left=[keep.index(i) for i in left if i in keep]).splitlines()
    out, at = lines[:2], 2
    for r in cells[1:]:
        height = max(len(wrap(r[i], wraps[i])) if i in wraps else 1 for i in keep)
        out += lines[at:at + height]
        out += ["    " + line for line in wrap(r[fill], total - 4)] if r[fill] else []
        at += height
    return "\n".join(out)


def _numeric(text: str) -> bool:
    t = text.replace(",", "").replace("%", "").replace("E", "").replace("+", "").replace("-", "")
    return t.replace(".", "", 1).isdigit() or text == "-"
