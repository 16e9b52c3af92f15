"""A small evaluator for the Excel formula subset suanli emits, used as a test oracle.

It translates formula text to Python (``^`` to ``**``, ``<>`` to ``!=``, ``=`` to ``==``) and
evaluates it with Excel's semantics for IF, ROUND, CEILING, INT, ABS, MAX and MIN.  Only for tests:
the real proof is LibreOffice recalculating the workbooks.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:E[+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_.!$]*)|"
                   r"(?P<op><>|<=|>=|[-+*/^(),=<>]))", re.I)


def _round(x, digits):
    q = Decimal(1).scaleb(-int(digits))
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def _ceiling(x, significance):
    return math.ceil(x / significance) * significance


FUNCS = {"IF": lambda c, a, b: a if c else b, "ROUND": _round, "CEILING": _ceiling, "INT": math.floor, "ABS": abs,
         "MAX": max, "MIN": min, "TRUE": True, "FALSE": False}


def to_python(formula: str) -> str:
    text = formula[1:] if formula.startswith("=") else formula
    out, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"cannot read {text[pos:]!r}")
        pos = m.end()
        if m["num"]:
            out.append(m["num"])
        elif m["name"]:
            out.append(m["name"].upper() if m["name"].upper() in FUNCS else m["name"])
        else:
            out.append({"^": "**", "<>": "!=", "=": "=="}.get(m["op"], m["op"]))
    return " ".join(out)


def evaluate(formula: str, names: dict[str, float]) -> float:
    """The value of ``formula`` with ``names`` bound (each a plain identifier)."""
    return eval(to_python(formula), {"__builtins__": {}}, {**FUNCS, **names})  # noqa: S307
