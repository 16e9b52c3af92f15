"""Command-line text to the library's typed values, and the library's errors in the command's terms.

``--set KEY=0.2:0.5:0.05`` becomes a :class:`~engine.analysis.Range`, ``--dist
"KEY=triangular(0.2,0.3,0.45)"`` a :class:`~engine.analysis.Triangular`, ``--n 100000`` an int.
Every number may be typed in the report's units, as ``--set`` values may (``20%:50%:5%``,
``uniform(0.5亿,1亿)``: :func:`engine.units.read_quantity`).
Each refusal is one line naming the flag or key as the user typed it.  :func:`cli_message`
says a library error in flags (parameter ``delta`` is ``--delta``, an input to supply is
``--set KEY=VALUE``), so the command's messages name what the user can type.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

from engine import scenarios
from engine.analysis import MAX_POINTS, AnalysisError, Distribution, Normal, Range, Remedy, Triangular, Uniform
from engine.errors import InvalidValueError, SuanliError
from engine.units import read_quantity

__all__ = ["parse_assignment", "parse_sets", "split_sets", "parse_range", "parse_distribution", "parse_count",
           "parse_delta", "check_xlsx_path", "cli_message", "DIST_SYNTAX"]

DIST_SYNTAX = "KEY=triangular(LOW,MODE,HIGH), KEY=uniform(LOW,HIGH) or KEY=normal(MEAN,SD)"
_DIST = re.compile(r"^\s*([^=*\s]+)\s*(\*?)=\s*([A-Za-z_]+)\s*\((.*)\)\s*$", re.S)
_KINDS = {"triangular": (Triangular, ("LOW", "MODE", "HIGH")), "uniform": (Uniform, ("LOW", "HIGH")),
          "normal": (Normal, ("MEAN", "SD"))}


def parse_assignment(item: str, accepted: str = "KEY=VALUE or KEY=V1,V2,...") -> tuple[str, str | list[str]]:
    """``"KEY=1.5"`` as ``("KEY", "1.5")`` and ``"KEY=1,2,3"`` as ``("KEY", ["1", "2", "3"])``.

    The values stay text for the scenario to check against the key's schema (naming the key,
    and the column of a list).
    """
    key, sep, value = str(item).partition("=")
    key, value = key.strip(), value.strip()
    if not sep or not key:
        raise InvalidValueError("--set", str(item), f"takes {accepted}")
    if not value:
        raise InvalidValueError(key, "an empty value", "needs a number, TRUE/FALSE or a comma-separated list")
    parts = value.split(",")
    return key, (parts if len(parts) > 1 else parts[0])


def parse_sets(items: Sequence[str]) -> dict[str, object]:
    """``["KEY=1.5", "KEY2=1,2,3"]`` to a dict; values stay text for the scenario to check."""
    return dict(parse_assignment(item) for item in items)


def split_sets(items: Sequence[str], ranges_allowed: bool = True) -> tuple[dict[str, str], dict[str, object]]:
    """``--set`` items as (ranges, fixed): ``KEY=START:STOP:STEP`` sweeps KEY (when
    ``ranges_allowed``); ``KEY=VALUE`` or ``KEY=V1,V2,...`` holds KEY at a value (checked by the
    scenario)."""
    ranges: dict[str, str] = {}
    fixed: dict[str, object] = {}
    shape = "KEY=START:STOP:STEP or KEY=VALUE" if ranges_allowed else "KEY=VALUE or KEY=V1,V2,..."
    for item in items:
        key, value = parse_assignment(item, shape)
        if key in ranges or key in fixed:
            raise AnalysisError(key, f"{key} is set twice; give it one --set")
        if isinstance(value, str) and ":" in value:
            if not ranges_allowed:
                raise AnalysisError(key, f"{key}: a range {value!r} only works with `suanli sweep`; "
                                         "here --set takes KEY=VALUE")
            ranges[key] = value
        else:
            fixed[key] = value
    return ranges, fixed


def _unit(key: str) -> str | None:
    """The base unit of input ``key`` (None for a key the library will refuse by name)."""
    spec = scenarios.schema().get(key)
    return spec.unit if spec else None


def _decimal(key: str, part: str, what: str, text: str) -> Decimal:
    """One number of a range, in the report's units or not (``20%``, ``0.5亿``), as an exact Decimal."""
    try:
        return read_quantity(key, part, _unit(key)).exact
    except SuanliError:
        raise AnalysisError(key, f"{key}: {what} {part.strip()!r} of {text!r} is not a number "
                                 "(a sweep takes START:STOP:STEP, e.g. 0.2:0.5:0.05 or 20%:50%:5%)") from None


def parse_range(key: str, text: str, max_points: int = MAX_POINTS) -> Range:
    """``parse_range("train_utilization", "0.2:0.5:0.05")`` is ``Range(0.2, 0.5, 0.05)``."""
    raw = str(text).strip()
    parts = raw.split(":")
    if len(parts) != 3:
        raise AnalysisError(key, f"{key}: a sweep takes START:STOP:STEP (e.g. 0.2:0.5:0.05), got {raw!r}")
    start, stop, step = (_decimal(key, p, w, raw) for p, w in zip(parts, ("START", "STOP", "STEP"), strict=True))
    if step <= 0:
        raise AnalysisError(key, f"{key}: STEP must be > 0, got {parts[2].strip()} in {raw!r}")
    if stop < start:
        raise AnalysisError(key, f"{key}: STOP must be >= START, got {raw!r}")
    if (stop - start) / step >= max_points:
        raise AnalysisError(key, f"{key}: {raw!r} has more than {max_points:,} points; use a larger STEP")
    return Range(float(start), float(stop), float(step))


def parse_distribution(text: str) -> tuple[str, Distribution]:
    """``"train_utilization=triangular(0.2,0.3,0.45)"`` as ``("train_utilization",
    Triangular(0.2, 0.3, 0.45))``; ``KEY*=...`` gives a factor distribution."""
    m = _DIST.match(str(text))
    if not m:
        raise AnalysisError("--dist", f"--dist takes {DIST_SYNTAX}, got {str(text)!r}")
    key, star, kind, inner = m.group(1), m.group(2), m.group(3).lower(), m.group(4)
    if kind not in _KINDS:
        raise AnalysisError(key, f"{key}: unknown distribution {m.group(3)!r}; use {DIST_SYNTAX}")
    cls, names = _KINDS[kind]
    parts = [p.strip() for p in inner.split(",")]
    shown = f"{kind}({inner.strip()})"
    if len(parts) != len(names) or any(not p for p in parts):
        raise AnalysisError(key, f"{key}: {kind} takes {len(names)} numbers ({','.join(names)}), got {shown}")
    params = []
    unit = None if star else _unit(key)                 # a factor is a plain number (or a %)
    for p, name in zip(parts, names, strict=True):
        try:
            params.append(read_quantity(key, p, unit).value)
        except SuanliError:
            raise AnalysisError(key, f"{key}: {name} of {shown} must be a finite number, got {p!r}") from None
    if kind == "triangular" and not (params[0] <= params[1] <= params[2] and params[0] < params[2]):
        raise AnalysisError(key, f"{key}: triangular needs LOW <= MODE <= HIGH and LOW < HIGH, got {shown}")
    if kind == "uniform" and not params[0] < params[1]:
        raise AnalysisError(key, f"{key}: uniform needs LOW < HIGH, got {shown}")
    if kind == "normal" and not params[1] > 0:
        raise AnalysisError(key, f"{key}: normal needs SD > 0, got {shown}")
    return key, cls(*params, factor=bool(star))


def parse_count(text: str, flag: str, low: int, high: int, what: str) -> int:
    """A whole number from text (``100000``, ``100_000``, ``1e5``) in [low, high]."""
    try:
        f = float(str(text).replace("_", "").replace(",", ""))
    except ValueError:
        f = math.nan
    if not math.isfinite(f) or f != math.floor(f) or not (low <= f <= high):
        raise AnalysisError(flag, f"{flag} must be a whole number in [{low:,}, {high:,}] ({what}), got {text!r}")
    return int(f)


def parse_delta(text: str) -> float:
    """``--delta``: a number (the library checks that it is in (0, 1))."""
    try:
        return float(str(text))
    except ValueError:
        raise AnalysisError("--delta", f"--delta must be a number in (0, 1), got {text!r}") from None


def check_xlsx_path(text: str) -> str:
    """``--out``: a path ending in .xlsx that is not a folder."""
    if not str(text).lower().endswith(".xlsx"):
        raise AnalysisError("--out", f"--out must be a file name ending in .xlsx, got {str(text)!r}")
    if os.path.isdir(text):
        raise AnalysisError("--out", f"--out {str(text)!r} is a folder; give a file name ending in .xlsx")
    return str(text)


def _remedy(remedy: Remedy) -> str:
    keys = remedy.keys
    if remedy.kind == "supply":
        sets = " ".join(f"--set {k}=VALUE" for k in keys)
        return f": supply {'it' if len(keys) == 1 else 'them'} with {sets}"
    if remedy.kind == "switch":
        return f"; set it with --set {keys[0]}=TRUE or FALSE"
    if remedy.kind == "factor":
        return f": supply it with --set {keys[0]}=VALUE or give {keys[0]}=..."
    if remedy.kind == "rows":
        return f" (see `suanli table {remedy.exhibit} --format json`)"
    return f" (see `suanli table {remedy.exhibit} --format json`, 'reads')"


def cli_message(exc: SuanliError, flags: Mapping[str, str]) -> str:
    """The error as the command says it: a remedy in flags, and a message that begins with a
    library parameter (``delta must be ...``) beginning with its flag (``--delta must be ...``)."""
    text = exc.text + _remedy(exc.remedy) if isinstance(exc, AnalysisError) and exc.remedy else exc.message
    flag = flags.get(exc.name) if isinstance(exc.name, str) else None
    if flag and text.startswith(exc.name) and text[len(exc.name):len(exc.name) + 1] in (" ", ":"):
        text = flag + text[len(exc.name):]
    return text
