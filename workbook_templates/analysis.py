"""Scenario analyses: sweeps, sensitivity (a tornado) and Monte Carlo, each in one engine pass.

Every input of a scenario may be a numpy array, so a whole set of scenarios (a grid of swept
values, the 2K+1 cases of a sensitivity, 100,000 random draws) is evaluated by the exhibits in
one pass over arrays; nothing here evaluates one scenario at a time.

* :func:`sweep`: the cartesian grid of some inputs, each over ``START:STOP:STEP`` (inclusive);
  the grid is flattened (the first input varies slowest) into one scenario axis.
* :func:`sensitivity`: every numeric input an output row depends on, moved by ``-delta`` and
  ``+delta`` (relative) one at a time, ranked by the swing of the output at one column.
* :func:`montecarlo`: inputs drawn from triangular, uniform or normal distributions with a
  seeded :class:`numpy.random.Generator` (the same seed gives the same numbers), and the
  percentiles P5, P50, P95 and the mean of every numeric row of an exhibit.

Values of inputs are in their base units (as ``suanli inputs`` lists them); outputs are in the
row's display unit (万张, 亿美元, %) as ``suanli table`` prints them.  A value that applies to an
input with an axis (a value per year) applies to every column of it.

Every problem with a request raises a :class:`~engine.errors.SuanliError` naming the argument
or key and what is accepted, before anything is computed or written.

Domains
    A swept grid point outside an input's domain is refused (naming the key and the accepted
    range).  A sensitivity move that leaves the domain is clipped to the bound and flagged; a
    whole-number input moves to the next whole number away from its value.  Monte Carlo draws
    of a triangular or uniform distribution outside the domain are refused, naming how many
    fell outside; draws of a normal distribution (whose tails are unbounded) are clipped to the
    domain's bounds and counted in the result, unless more than 1% fall outside, which is
    refused.  Draws for a whole-number input are rounded to the nearest whole number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Mapping, Sequence

import numpy as np

from engine import exhibits, scenarios
from engine.errors import SuanliError, UnknownNameError
from engine.exhibit import Exhibit, NumericResolver, Result, Row

__all__ = [
    "AnalysisError", "Output", "parse_output", "inputs_of", "evaluate_rows",
    "Range", "parse_range", "SweepResult", "sweep",
    "Move", "SensitivityResult", "sensitivity",
    "Distribution", "parse_distribution", "RowStats", "MonteCarloResult", "montecarlo",
    "format_input_value", "split_sets", "check_xlsx_path", "sweep_summary", "sensitivity_summary",
    "montecarlo_summary", "MAX_POINTS", "MAX_DRAWS", "NORMAL_CLIP_LIMIT",
]

MAX_POINTS = 1_000_000          # grid points of a sweep
MAX_DRAWS = 1_000_000           # draws of a Monte Carlo run
NORMAL_CLIP_LIMIT = 0.01        # share of normal draws outside the domain that may be clipped
PERCENTILES = (5.0, 50.0, 95.0)


class AnalysisError(SuanliError, ValueError):
    """A request an analysis cannot run, told in one line naming the argument or key."""

    excel = "#VALUE!"

    def __init__(self, name: str, text: str):
        self._text = text
        super().__init__(name, None, text)

    @property
    def message(self) -> str:
        return self._text


# ---------------------------------------------------------------------------- outputs
@dataclass(frozen=True)
class Output:
    """An exhibit row named ``EXHIBIT.ROW`` (``chain.cards``)."""

    exhibit: Exhibit
    row: Row

    @property
    def name(self) -> str:
        return f"{self.exhibit.id}.{self.row.key}"

    @property
    def unit(self) -> str:
        return self.row.unit

    @property
    def label(self) -> str:
        return self.row.label_en


def parse_output(text: str | Output, argument: str = "--output") -> Output:
    """``"chain.cards"`` as an :class:`Output`; the exhibit and the numeric row must exist."""
    if isinstance(text, Output):
        return text
    ex_id, dot, key = str(text).strip().rpartition(".")
    if not dot or not ex_id or not key:
        raise AnalysisError(argument, f"{argument} takes EXHIBIT.ROW (e.g. chain.cards or fig49.a100_total), "
                                      f"got {str(text)!r}")
    exhibit = exhibits.get(ex_id)
    row = exhibit.row(key)
    if row.unit == "text":
        raise AnalysisError(argument, f"{argument}: {exhibit.id}.{key} is a row of text, not numbers; "
                                      "choose a numeric row (see `suanli table " + exhibit.id + " --format json`)")
    return Output(exhibit, row)


def _spec(key: str, what: str) -> scenarios.InputSpec:
    """The schema entry of a numeric input; unknown keys and switches are refused."""
    schema = scenarios.schema()
    spec = schema.get(key)
    if spec is None:
        raise scenarios.unknown_key(key)
    if spec.is_switch:
        raise AnalysisError(key, f"{key} is a TRUE/FALSE switch and cannot be {what}; "
                                 f"set it with --set {key}=TRUE or FALSE")
    return spec


def _load(scenario: str | scenarios.Scenario | None, output: Output | None,
          overrides: Mapping[str, object] | None) -> scenarios.Scenario:
    if isinstance(scenario, scenarios.Scenario):
        base = scenario
    else:
        name = scenario or (output.exhibit.default_scenario if output else "csc-2023")
        base = scenarios.load(name)
    return base.with_values(overrides) if overrides else base


def inputs_of(output: str | Output, scenario: str | scenarios.Scenario | None = None) -> list[str]:
    """The input keys an output row depends on (directly or through earlier rows and other
    exhibits), in the schema's order.

    The exhibit is evaluated with a scenario that records every key read; the rows each read
    (``Result.reads``) narrow that to the inputs reaching this row.
    """
    out = parse_output(output)
    tracing = scenarios.Tracing(_load(scenario, out, None))
    resolver = NumericResolver(tracing, exhibits.get)
    resolver.run(out.exhibit)
    found: set[str] = set()
    visited: set[tuple[str, str]] = set()
    stack = [(out.exhibit.id, out.row.key)]
    while stack:
        ex_id, key = stack.pop()
        if (ex_id, key) in visited:
            continue
        visited.add((ex_id, key))
        for item in resolver.results[ex_id].reads.get(key, {}):
            if "." in item:                 # a row: exhibit ids may hold dots, row keys never do
                other, _, row = item.rpartition(".")
                stack.append((other, row))
            else:
                found.add(item)
    return [k for k in scenarios.schema() if k in found and k in tracing.seen]


def evaluate_rows(scenario: scenarios.Scenario, exhibit_ids: Sequence[str]) -> dict[str, Result]:
    """Evaluate exhibits for a scenario (floats or a scenario axis) in one pass, sharing the rows
    they have in common; results by exhibit id (and those of every exhibit they reach)."""
    resolver = NumericResolver(scenario, exhibits.get)
    for ex_id in exhibit_ids:
        resolver.run(exhibits.get(ex_id))
    return resolver.results


def _matrix(result: Result, row: Row, n: int) -> np.ndarray:
    """A row as an (n, columns) float array in display units; blank cells are NaN."""
    cols = len(result.columns)
    out = np.full((n, cols), np.nan)
    for j in range(cols):
        v = result.values[row.key][j]
        if v is None or isinstance(v, str):
            continue
        out[:, j] = np.asarray(v, dtype=float) / row.display.factor
    return out


def _needs(result: Result, output: Output, columns: Sequence[int]) -> None:
    """Refuse an output whose cells at ``columns`` are all blank, naming what they wait for."""
    if any(result.values[output.row.key][j] is not None for j in columns):
        return
    needed = sorted({k for j in columns for k in result.needed(output.row.key, j)})
    where = output.name if len(columns) > 1 else f"{output.name} at {result.columns[columns[0]]}"
    if needed:
        sets = " ".join(f"--set {k}=VALUE" for k in needed)
        raise AnalysisError(needed[0], f"{where} needs {', '.join(needed)}, which the report does not give: "
                                       f"supply {'it' if len(needed) == 1 else 'them'} with {sets}")
    raise AnalysisError("--output", f"{where} is blank in the report's layout; choose another row or column")


def format_input_value(value, spec: scenarios.InputSpec | None = None) -> str:
    """An input's value as text: ``0.3``, ``5,8,10,13,15`` (one per column), TRUE/FALSE, or
    ``(not supplied)``."""
    if isinstance(value, tuple):
        if value and all(_same(v, value[0]) for v in value):
            return format_input_value(value[0], spec)
        return ",".join(format_input_value(v, spec) for v in value)
    if value is None:
        return "(not supplied)"
    if isinstance(value, np.ndarray):
        return f"[{value.size} values]"
    if spec is not None and spec.is_switch:
        return "TRUE" if value else "FALSE"
    return format(float(value), ".10g")


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return a is b
    return a == b


def _column_index(columns: Sequence[str], column: str | int | None) -> int:
    if column is None:
        return len(columns) - 1
    if isinstance(column, int) and not isinstance(column, bool):
        if -len(columns) <= column < len(columns):
            return column % len(columns)
    else:
        text = str(column).strip()
        if text in columns:
            return list(columns).index(text)
        lowered = [c.lower() for c in columns]
        if text.lower() in lowered:
            return lowered.index(text.lower())
    raise UnknownNameError("column", column, list(columns))


# ---------------------------------------------------------------------------- sweep
@dataclass(frozen=True)
class Range:
    """One swept input: ``START:STOP:STEP`` (STOP included when the steps reach it)."""

    key: str
    start: float
    stop: float
    step: float
    values: np.ndarray = field(compare=False, repr=False)

    @property
    def text(self) -> str:
        return f"{format(self.start, 'g')}:{format(self.stop, 'g')}:{format(self.step, 'g')}"


def _decimal(key: str, part: str, what: str, text: str) -> Decimal:
    try:
        d = Decimal(part.strip().replace("_", ""))
    except InvalidOperation:
        d = None
    if d is None or not d.is_finite():
        raise AnalysisError(key, f"{key}: {what} {part.strip()!r} of {text!r} is not a number "
                                 "(a sweep takes START:STOP:STEP, e.g. 0.2:0.5:0.05)")
    return d


def parse_range(key: str, text: str | tuple, max_points: int = MAX_POINTS) -> Range:
    """``parse_range("train_utilization", "0.2:0.5:0.05")``: the grid values of one input, each
    checked against the input's domain."""
    spec = _spec(key, "swept")
    if isinstance(text, tuple):
        if len(text) != 3:
            raise AnalysisError(key, f"{key}: a sweep takes (START, STOP, STEP), got {len(text)} numbers")
        raw = ":".join(repr(float(x)) for x in text)
    else:
        raw = str(text).strip()
    parts = raw.split(":")
    if len(parts) != 3:
        raise AnalysisError(key, f"{key}: a sweep takes START:STOP:STEP (e.g. 0.2:0.5:0.05), got {raw!r}")
    start, stop, step = (_decimal(key, p, w, raw) for p, w in zip(parts, ("START", "STOP", "STEP")))
    if step <= 0:
        raise AnalysisError(key, f"{key}: STEP must be > 0, got {parts[2].strip()} in {raw!r}")
    if stop < start:
        raise AnalysisError(key, f"{key}: STOP must be >= START, got {raw!r}")
    steps = (stop - start) / step
    if steps >= max_points:
        raise AnalysisError(key, f"{key}: {raw!r} has more than {max_points:,} points; use a larger STEP")
    count = int(steps.to_integral_value(rounding="ROUND_FLOOR")) + 1
    last = start + (count - 1) * step
    values = np.linspace(float(start), float(last), count)
    ok = spec.domain.ok_mask(values)
    if not ok.all():
        bad = values[~ok]
        raise AnalysisError(key, f"{key}: the sweep {raw} leaves the accepted range at {format(bad[0], 'g')} "
                                 f"({bad.size} of {count} points); {key} {spec.domain.describe()}")
    return Range(key, float(start), float(last), float(step), values)


@dataclass
class SweepResult:
    """A sweep: the grid (one row per point, one column per swept input) and the output row's
    value at every column of its exhibit for every point, in the row's display unit."""

    scenario: scenarios.Scenario
    output: Output
    columns: tuple[str, ...]
    ranges: tuple[Range, ...]
    grid: np.ndarray                    # (points, swept inputs), base units
    values: np.ndarray                  # (points, columns), display units, NaN where blank
    fixed: dict[str, object]            # the other inputs the output depends on, as held
    overrides: dict[str, object]        # inputs set by the caller (held at those values)
    unused: tuple[str, ...]             # swept inputs the output does not depend on

    @property
    def points(self) -> int:
        return self.grid.shape[0]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.ranges)

    def index(self, **point: float) -> int:
        """The grid row of a point given by its swept values (nearest value of each input)."""
        idx = 0
        for r in self.ranges:
            k = int(np.abs(r.values - point[r.key]).argmin())
            idx = idx * r.values.size + k
        return idx


def sweep(ranges: Mapping[str, str | tuple], output: str | Output,
          scenario: str | scenarios.Scenario | None = None,
          overrides: Mapping[str, object] | None = None, max_points: int = MAX_POINTS) -> SweepResult:
    """The output row over the cartesian grid of ``ranges`` (key -> ``"START:STOP:STEP"``).

    The grid is flattened to one scenario axis (the first key varies slowest) and evaluated in
    one pass.  ``overrides`` holds other inputs at given values (as ``--set KEY=VALUE``).
    """
    out = parse_output(output)
    if not ranges:
        raise AnalysisError("--set", "a sweep needs at least one --set KEY=START:STOP:STEP")
    overrides = dict(overrides or {})
    base = _load(scenario, out, overrides)
    both = sorted(set(ranges) & set(overrides))
    if both:
        raise AnalysisError(both[0], f"{both[0]} is both swept and held at a value; give it once")
    parsed = tuple(parse_range(k, v, max_points) for k, v in ranges.items())
    points = math.prod(r.values.size for r in parsed)
    if points > max_points:
        sizes = " x ".join(f"{r.values.size:,} ({r.key})" for r in parsed)
        raise AnalysisError("--set", f"the sweep has {points:,} grid points ({sizes}); at most {max_points:,}")
    mesh = np.meshgrid(*[r.values for r in parsed], indexing="ij")
    grid = np.column_stack([m.ravel() for m in mesh])
    sc = base.with_values({r.key: grid[:, i].copy() for i, r in enumerate(parsed)}, name=base.name)
    result = evaluate_rows(sc, [out.exhibit.id])[out.exhibit.id]
    _needs(result, out, range(len(result.columns)))
    values = _matrix(result, out.row, points)
    deps = inputs_of(out, base)
    swept = {r.key for r in parsed}
    fixed = {k: base.values[k] for k in deps if k not in swept}
    unused = tuple(r.key for r in parsed if r.key not in deps)
    return SweepResult(base, out, result.columns, parsed, grid, values, fixed, overrides, unused)


# ---------------------------------------------------------------------------- sensitivity
@dataclass
class Move:
    """One input moved down and up: its values, the output at each, and notes on the move."""

    key: str
    spec: scenarios.InputSpec
    base: object                 # float, or a tuple (one per column)
    low: object
    high: object
    output_low: float
    output_high: float
    notes: tuple[str, ...] = ()

    @property
    def swing(self) -> float:
        return abs(self.output_high - self.output_low)

    def at(self, which: str, column: str):
        """``base``/``low``/``high`` at ``column`` when the input has it, else its single value
        (a tuple when the values differ by column of another axis)."""
        value = getattr(self, which)
        if not isinstance(value, tuple):
            return value
        cols = scenarios.axes()[self.spec.axis]
        if column in cols:
            return value[cols.index(column)]
        return value[0] if all(v == value[0] for v in value) else value


@dataclass
class SensitivityResult:
    """Inputs ranked by the swing of one output cell when each moves by ±delta."""

    scenario: scenarios.Scenario
    output: Output
    column: str
    delta: float
    base_output: float
    moves: list[Move]                           # ranked, largest swing first
    skipped: dict[str, str]                     # inputs the row depends on but not moved, and why
    overrides: dict[str, object]

    def share(self, move: Move) -> float:
        """The swing as a percentage of the base output (NaN when the base output is 0)."""
        return move.swing / abs(self.base_output) * 100 if self.base_output else math.nan


def _moved(spec: scenarios.InputSpec, value: float, factor: float, notes: set[str]) -> float:
    dom = spec.domain
    x = value * factor
    if dom.whole and x != math.floor(x):
        x = math.floor(abs(x) + 0.5) * (1 if x >= 0 else -1)      # the nearest whole number
        notes.add("whole" if x != value else "whole-unchanged")
    if x < dom.low or (dom.low_open and x <= dom.low):
        x = dom.low if not dom.low_open else float(np.nextafter(dom.low, math.inf))
        notes.add(f"clipped to {format(dom.low, 'g')}")
    if x > dom.high or (dom.high_open and x >= dom.high):
        x = dom.high if not dom.high_open else float(np.nextafter(dom.high, -math.inf))
        notes.add(f"clipped to {format(dom.high, 'g')}")
    return x


def sensitivity(output: str | Output, column: str | int | None = None, delta: float = 0.1,
                scenario: str | scenarios.Scenario | None = None,
                overrides: Mapping[str, object] | None = None) -> SensitivityResult:
    """Move every numeric input the output row depends on by ``-delta`` and ``+delta`` (relative;
    an input with a value per column moves in all columns at once) and rank them by the swing
    ``|output(high) - output(low)|`` at ``column`` (default: the last column).

    All 2K+1 scenarios (the base, then each input's low and high) are one scenario axis.
    """
    out = parse_output(output)
    try:
        d = float(delta)
    except (TypeError, ValueError):
        raise AnalysisError("--delta", f"--delta must be a number in (0, 1), got {delta!r}") from None
    if not (0 < d < 1):
        raise AnalysisError("--delta", f"--delta must be a number in (0, 1) (0.1 moves each input by ±10%), "
                                       f"got {format(d, 'g')}")
    overrides = dict(overrides or {})
    base = _load(scenario, out, overrides)
    columns = base.axis(out.exhibit.axis)
    col = _column_index(columns, column)
    schema = scenarios.schema()
    keys, skipped = [], {}
    for key in inputs_of(out, base):
        spec, value = schema[key], base.values[key]
        values = value if isinstance(value, tuple) else (value,)
        if spec.is_switch:
            skipped[key] = "a TRUE/FALSE switch"
        elif any(v is None for v in values):
            skipped[key] = "not supplied"
        else:
            keys.append(key)
    n = 2 * len(keys) + 1
    changes, lows, highs, notes = {}, {}, {}, {}
    for i, key in enumerate(keys):
        spec, value = schema[key], base.values[key]
        found: set[str] = set()
        per_col = value if isinstance(value, tuple) else (value,)
        lo = tuple(_moved(spec, float(v), 1 - d, found) for v in per_col)
        hi = tuple(_moved(spec, float(v), 1 + d, found) for v in per_col)
        if all(v == 0 for v in per_col):
            found.add("the value is 0: a relative move leaves it at 0")
        moved, same = "whole" in found, "whole-unchanged" in found
        found -= {"whole", "whole-unchanged"}
        if moved:
            found.add("rounded to whole numbers" + (" (some columns unchanged)" if same else ""))
        elif same:
            found.add(f"not moved: ±{d:.0%} rounds back to the same whole number")
        arrays = []
        for v, a, b in zip(per_col, lo, hi):
            arr = np.full(n, float(v))
            arr[2 * i + 1], arr[2 * i + 2] = a, b
            arrays.append(arr)
        changes[key] = arrays if isinstance(value, tuple) else arrays[0]
        lows[key], highs[key] = (lo, hi) if isinstance(value, tuple) else (lo[0], hi[0])
        notes[key] = tuple(sorted(found))
    sc = base.with_values(changes, name=base.name) if changes else base
    result = evaluate_rows(sc, [out.exhibit.id])[out.exhibit.id]
    _needs(result, out, [col])
    ys = _matrix(result, out.row, n)[:, col]
    moves = [Move(k, schema[k], base.values[k], lows[k], highs[k], float(ys[2 * i + 1]), float(ys[2 * i + 2]),
                  notes[k]) for i, k in enumerate(keys)]
    order = sorted(range(len(moves)), key=lambda i: (-_rank(moves[i].swing), i))
    return SensitivityResult(base, out, columns[col], d, float(ys[0]), [moves[i] for i in order], skipped,
                             overrides)


def _rank(x: float) -> float:
    """A swing for ranking: 12 significant digits, so equal swings keep the schema's order."""
    return float(f"{x:.12g}") if math.isfinite(x) else -1.0


# ---------------------------------------------------------------------------- Monte Carlo
_DIST = re.compile(r"^\s*([^=*\s]+)\s*(\*?)=\s*([A-Za-z_]+)\s*\((.*)\)\s*$", re.S)
_KINDS = {"triangular": ("LOW", "MODE", "HIGH"), "uniform": ("LOW", "HIGH"), "normal": ("MEAN", "SD")}
_SYNTAX = "KEY=triangular(LOW,MODE,HIGH), KEY=uniform(LOW,HIGH) or KEY=normal(MEAN,SD)"


@dataclass(frozen=True)
class Distribution:
    """A distribution of one input's value: ``triangular``, ``uniform`` or ``normal``.

    ``scale`` (written ``KEY*=...``) makes the draw a factor on the scenario's value in every
    column (``mm_dau*=uniform(0.8,1.2)`` moves the whole DAU path by -20% to +20%).
    """

    key: str
    kind: str
    params: tuple[float, ...]
    scale: bool = False

    @property
    def text(self) -> str:
        args = ",".join(format(p, "g") for p in self.params)
        return f"{self.key}{'*' if self.scale else ''}={self.kind}({args})"

    @property
    def bounded(self) -> bool:
        return self.kind != "normal"

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        p = self.params
        if self.kind == "triangular":
            return rng.triangular(p[0], p[1], p[2], n)
        if self.kind == "uniform":
            return rng.uniform(p[0], p[1], n)
        return rng.normal(p[0], p[1], n)


def parse_distribution(text: str | Distribution) -> Distribution:
    """``"train_utilization=triangular(0.2,0.3,0.45)"`` as a :class:`Distribution`."""
    if isinstance(text, Distribution):
        return text
    m = _DIST.match(str(text))
    if not m:
        raise AnalysisError("--dist", f"--dist takes {_SYNTAX}, got {str(text)!r}")
    key, star, kind, inner = m.group(1), m.group(2), m.group(3).lower(), m.group(4)
    if kind not in _KINDS:
        raise AnalysisError(key, f"{key}: unknown distribution {m.group(3)!r}; use {_SYNTAX}")
    names = _KINDS[kind]
    parts = [p.strip() for p in inner.split(",")]
    if len(parts) != len(names) or any(not p for p in parts):
        raise AnalysisError(key, f"{key}: {kind} takes {len(names)} numbers ({','.join(names)}), "
                                 f"got {kind}({inner.strip()})")
    params = []
    for p, name in zip(parts, names):
        try:
            v = float(p.replace("_", ""))
        except ValueError:
            v = math.nan
        if not math.isfinite(v):
            raise AnalysisError(key, f"{key}: {name} of {kind}({inner.strip()}) must be a finite number, got {p!r}")
        params.append(v)
    shown = f"{kind}({inner.strip()})"
    if kind == "triangular" and not (params[0] <= params[1] <= params[2] and params[0] < params[2]):
        raise AnalysisError(key, f"{key}: triangular needs LOW <= MODE <= HIGH and LOW < HIGH, got {shown}")
    if kind == "uniform" and not params[0] < params[1]:
        raise AnalysisError(key, f"{key}: uniform needs LOW < HIGH, got {shown}")
    if kind == "normal" and not params[1] > 0:
        raise AnalysisError(key, f"{key}: normal needs SD > 0, got {shown}")
    _spec(key, "given a distribution")
    return Distribution(key, kind, tuple(params), bool(star))


@dataclass
class RowStats:
    """One exhibit row over the draws: per column P5, P50, P95 and mean (display units).

    A row the draws do not reach has one value per column (``varies`` False; every statistic
    equals it); a blank cell is None."""

    row: Row
    varies: bool
    p5: list
    p50: list
    p95: list
    mean: list
    needs: tuple[str, ...] = ()         # inputs the report does not give that blank cells wait for

    @property
    def key(self) -> str:
        return self.row.key


@dataclass
class MonteCarloResult:
    """A Monte Carlo run: the distributions, the draws, every numeric row's percentiles, and a
    histogram of one output row at the exhibit's last column."""

    scenario: scenarios.Scenario
    exhibit: Exhibit
    columns: tuple[str, ...]
    n: int
    seed: int
    distributions: tuple[Distribution, ...]
    draws: dict[str, np.ndarray]                    # the value drawn for each key (the factor for KEY*=)
    values: dict[str, object]                       # what the scenario got: an array, or one per column
    clipped: dict[str, int]                         # normal draws clipped to the domain, by key
    stats: list[RowStats]
    output: Output
    output_column: str                              # the output exhibit's last column
    output_values: np.ndarray                       # the output row at that column, every draw
    histogram: tuple[np.ndarray, np.ndarray]        # counts, bin edges
    overrides: dict[str, object]
    unused: tuple[str, ...]                         # distributed inputs the exhibit does not read

    def row(self, key: str) -> RowStats:
        for s in self.stats:
            if s.key == key:
                return s
        raise UnknownNameError(f"row of {self.exhibit.id}", key, [s.key for s in self.stats])


def _clip_to(dom, values: np.ndarray) -> np.ndarray:
    lo = float(np.nextafter(dom.low, math.inf)) if dom.low_open else dom.low
    hi = float(np.nextafter(dom.high, -math.inf)) if dom.high_open else dom.high
    return np.clip(values, lo, hi)


def _parse_count(value, name: str, low: int, high: int, what: str) -> int:
    try:
        f = float(str(value).replace("_", "").replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        f = math.nan
    if not math.isfinite(f) or f != math.floor(f) or not (low <= f <= high):
        raise AnalysisError(name, f"{name} must be a whole number in [{low:,}, {high:,}] ({what}), got {value!r}")
    return int(f)


def montecarlo(distributions: Sequence[str | Distribution], n: int | str = 100_000, seed: int | str | None = None,
               exhibit: str | None = None, output: str | Output | None = None,
               scenario: str | scenarios.Scenario | None = None,
               overrides: Mapping[str, object] | None = None, bins: int = 50) -> MonteCarloResult:
    """Draw ``n`` values of each distributed input (one :class:`numpy.random.Generator` seeded
    with ``seed``, the distributions drawn in the order given) and evaluate the exhibit on all
    draws at once.

    ``exhibit`` defaults to the output's exhibit, else ``chain``; ``output`` (the histogram's row)
    defaults to the exhibit's last numeric row that the draws reach.  Without a seed, one is
    chosen at random and reported in the result, so every run can be repeated.
    """
    out = parse_output(output) if output is not None else None
    ex = exhibits.get(exhibit) if exhibit is not None else (out.exhibit if out else exhibits.get("chain"))
    if not distributions:
        raise AnalysisError("--dist", f"a Monte Carlo run needs at least one --dist ({_SYNTAX})")
    dists = tuple(parse_distribution(d) for d in distributions)
    seen: list[str] = []                               # the keys, in the order given
    for dist in dists:
        if dist.key in seen:
            raise AnalysisError(dist.key, f"{dist.key} has two distributions; give it one --dist")
        seen.append(dist.key)
    count = _parse_count(n, "--n", 1, MAX_DRAWS, "the number of draws")
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2 ** 32))
    else:
        seed = _parse_count(seed, "--seed", 0, 2 ** 63 - 1, "the random seed")
    overrides = dict(overrides or {})
    both = [k for k in seen if k in overrides]
    if both:
        raise AnalysisError(both[0], f"{both[0]} is both given a distribution and held at a value; give it once")
    base = _load(scenario, out or Output(ex, ex.rows[0]), overrides)
    rng = np.random.default_rng(seed)
    schema = scenarios.schema()
    changes, draws, clipped = {}, {}, {}
    for dist in dists:
        spec = schema[dist.key]
        x = dist.sample(rng, count)
        draws[dist.key] = x
        value = base.values[dist.key]
        if dist.scale:
            per_col = value if isinstance(value, tuple) else (value,)
            if any(v is None for v in per_col):
                raise AnalysisError(dist.key, f"{dist.key}*= scales the scenario's value, but {dist.key} has none: "
                                              f"supply it with --set {dist.key}=VALUE or give {dist.key}=...")
            cols = [x * float(v) for v in per_col]
        else:
            cols = [x]
        if spec.domain.whole:
            cols = [np.floor(c + 0.5) for c in cols]
        ok = np.logical_and.reduce([spec.domain.ok_mask(c) for c in cols])
        bad = int(count - np.count_nonzero(ok))
        if bad:
            accepted = f"{dist.key} {spec.domain.describe()}"
            if dist.bounded or bad > NORMAL_CLIP_LIMIT * count:
                why = "" if dist.bounded else \
                    f" (normal draws are clipped to the range only when at most {NORMAL_CLIP_LIMIT:.0%} fall outside)"
                raise AnalysisError(dist.key, f"{dist.key}: {bad:,} of {count:,} draws of {dist.text} fall outside "
                                              f"the accepted range ({accepted}){why}; narrow the distribution")
            cols = [_clip_to(spec.domain, c) for c in cols]
            clipped[dist.key] = bad
        if isinstance(value, tuple):
            changes[dist.key] = cols if dist.scale else cols[0]
        else:
            changes[dist.key] = cols[0]
    sc = base.with_values(changes, name=base.name)
    ids = [ex.id] + ([out.exhibit.id] if out and out.exhibit.id != ex.id else [])
    results = evaluate_rows(sc, ids)
    result = results[ex.id]
    stats = _stats(result)
    if out is None:
        varying = [s for s in stats if s.varies and s.p50[-1] is not None]
        if not varying:
            raise AnalysisError("--dist", f"no row of {ex.id} depends on {', '.join(seen)}; "
                                          "nothing varies (see `suanli table " + ex.id + " --format json`, 'reads')")
        out = Output(ex, varying[-1].row)
    out_result = results[out.exhibit.id]
    last = len(out_result.columns) - 1
    _needs(out_result, out, [last])
    cell = out_result.values[out.row.key][last]
    if not isinstance(cell, np.ndarray):
        raise AnalysisError("--output", f"{out.name} at {out_result.columns[last]} does not depend on "
                                        f"{', '.join(seen)}; it is {format_input_value(cell / out.row.display.factor)}"
                                        " on every draw")
    values = cell / out.row.display.factor
    finite = values[np.isfinite(values)]
    histogram = np.histogram(finite, bins=bins)
    tracing = scenarios.Tracing(base)
    evaluate_rows(tracing, ids)
    unused = tuple(k for k in seen if k not in tracing.seen)
    return MonteCarloResult(base, ex, result.columns, count, seed, dists, draws, changes, clipped, stats, out,
                            out_result.columns[last], values, histogram, overrides, unused)


def _stats(result: Result) -> list[RowStats]:
    """P5, P50, P95 and mean of every numeric cell that varies, all computed in one call."""
    stats, cells, where = [], [], []
    index: dict[tuple[int, float], int] = {}          # a cell holding an array already seen (an input
    for row in result.exhibit.rows:                    # row repeats its array in every column)
        if row.text is not None or row.unit == "text":
            continue
        needs = sorted({k for j in range(len(result.columns)) for k in result.needed(row.key, j)})
        s = RowStats(row, False, [], [], [], [], tuple(needs))
        for j, v in enumerate(result.values[row.key]):
            if isinstance(v, np.ndarray) and v.ndim:
                s.varies = True
                ident = (id(v), row.display.factor)
                if ident not in index:
                    index[ident] = len(cells)
                    cells.append(v / row.display.factor)
                where.append((s, j, index[ident]))
                for lst in (s.p5, s.p50, s.p95, s.mean):
                    lst.append(None)
            else:
                shown = None if v is None or isinstance(v, str) else float(v) / row.display.factor
                for lst in (s.p5, s.p50, s.p95, s.mean):
                    lst.append(shown)
        stats.append(s)
    if cells:
        mat = np.vstack(cells)                         # our own copy: the percentile may reorder it
        mean = mat.mean(axis=1)
        if np.isfinite(mean).all():
            q = np.percentile(mat, PERCENTILES, axis=1, overwrite_input=True)
        else:
            mat[~np.isfinite(mat)] = np.nan
            mean = np.nanmean(mat, axis=1)
            q = np.nanpercentile(mat, PERCENTILES, axis=1, overwrite_input=True)
        for s, j, i in where:
            s.p5[j], s.p50[j], s.p95[j], s.mean[j] = float(q[0, i]), float(q[1, i]), float(q[2, i]), float(mean[i])
    return stats


# ---------------------------------------------------------------------------- command-line helpers
def split_sets(items: Sequence[str], ranges_allowed: bool = True) -> tuple[dict[str, str], dict[str, object]]:
    """``--set`` items as (ranges, fixed): ``KEY=START:STOP:STEP`` sweeps KEY (when
    ``ranges_allowed``); ``KEY=VALUE`` or ``KEY=V1,V2,...`` holds KEY at a value (checked by the
    scenario)."""
    ranges: dict[str, str] = {}
    fixed: dict[str, object] = {}
    shape = "KEY=START:STOP:STEP or KEY=VALUE" if ranges_allowed else "KEY=VALUE or KEY=V1,V2,..."
    for item in items:
        key, value = scenarios.parse_assignment(item, shape)
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


def check_xlsx_path(text: str) -> str:
    """``--out``: a path ending in .xlsx that is not a folder."""
    import os

    if not str(text).lower().endswith(".xlsx"):
        raise AnalysisError("--out", f"--out must be a file name ending in .xlsx, got {str(text)!r}")
    if os.path.isdir(text):
        raise AnalysisError("--out", f"--out {str(text)!r} is a folder; give a file name ending in .xlsx")
    return str(text)


def _g(x, digits: int = 6) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    return format(x, f",.{digits}g")


def sweep_summary(result: SweepResult, path) -> str:
    """What ``suanli sweep`` prints after writing the workbook."""
    out, last = result.output, len(result.columns) - 1
    swept = ", ".join(f"{r.key}={r.text} ({r.values.size:,} values)" for r in result.ranges)
    col = result.values[:, last]
    low, high = (None, None) if np.isnan(col).all() else (float(np.nanmin(col)), float(np.nanmax(col)))
    lines = [f"wrote {path}: {out.name} ({out.unit}) over {swept}: {result.points:,} grid points in one pass",
             f"{out.name} at {result.columns[last]}: from {_g(low)} to {_g(high)} {out.unit}"]
    lines += [f"note: {k} does not affect {out.name}" for k in result.unused]
    return "\n".join(lines)


def sensitivity_summary(result: SensitivityResult, path, top: int = 10) -> str:
    """What ``suanli sensitivity`` prints: the file and the largest swings."""
    from suanli.textgrid import grid

    out = result.output
    head = [f"wrote {path}: {len(result.moves)} inputs of {out.name} at {result.column} moved by "
            f"±{result.delta * 100:g}% ({2 * len(result.moves) + 1} scenarios in one pass); "
            f"base {_g(result.base_output)} {out.unit}"]
    rows = [[str(i + 1), m.key, _g(m.output_low), _g(m.output_high), _g(m.swing), _g(result.share(m), 3) + "%",
             "; ".join(m.notes)] for i, m in enumerate(result.moves[:top])]
    if rows:
        head.append(grid(["rank", "input", f"at low ({out.unit})", "at high", "swing", "% of base", "note"], rows,
                         max_width={6: 60}))
    if len(result.moves) > top:
        head.append(f"... {len(result.moves) - top} more in the workbook")
    head += [f"not moved: {k} ({why})" for k, why in result.skipped.items()]
    return "\n".join(head)


def montecarlo_summary(result: MonteCarloResult, path) -> str:
    """What ``suanli montecarlo`` prints: the file, the seed and the output's percentiles."""
    out = result.output
    stats = {}
    v = result.output_values[np.isfinite(result.output_values)]
    if v.size:
        q = np.percentile(v, PERCENTILES)
        stats = {"P5": q[0], "P50": q[1], "P95": q[2], "mean": float(v.mean())}
    lines = [f"wrote {path}: {result.exhibit.id}, {result.n:,} draws in one pass, seed {result.seed} "
             f"(--seed {result.seed} repeats it)",
             f"{out.name} at {result.output_column} ({out.unit}): "
             + ", ".join(f"{k} {_g(float(x))}" for k, x in stats.items())]
    lines += [f"clipped: {count:,} of {result.n:,} normal draws of {key} to its accepted range"
              for key, count in result.clipped.items()]
    lines += [f"note: {k} does not affect {result.exhibit.id}" for k in result.unused]
    return "\n".join(lines)
