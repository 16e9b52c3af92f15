"""Plain-text tables for the terminal, aligned for Chinese labels (wide characters take two cells)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

__all__ = ["grid", "width"]


def width(text: str) -> int:
    """Terminal columns ``text`` takes: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


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


def grid(head: Sequence[str], rows: Sequence[Sequence[str]], max_width: Mapping[int, int] | None = None) -> str:
    """Columns padded to a common width; numbers (cells after the third) right-aligned."""
    max_width = max_width or {}
    cells = [[_clip(str(c), max_width.get(i, 10_000)) for i, c in enumerate(r)] for r in [head, *rows]]
    widths = [max(width(r[i]) for r in cells if i < len(r)) for i in range(len(head))]
    lines = []
    for n, r in enumerate(cells):
        parts = []
        for i, c in enumerate(r):
            pad = " " * (widths[i] - width(c))
            parts.append(pad + c if _numeric(c) and n > 0 else c + pad)
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _numeric(text: str) -> bool:
    t = text.replace(",", "").replace("%", "").replace("E", "").replace("+", "").replace("-", "")
    return t.replace(".", "", 1).isdigit() or text == "-"
