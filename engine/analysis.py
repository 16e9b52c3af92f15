"""Scenario analyses: sweeps, sensitivity (a tornado) and Monte Carlo, each in one engine pass.

Every input of a scenario may be a numpy array, so a whole set of scenarios (a grid of swept
values, the 2K+1 cases of a sensitivity, 100,000 random draws) is evaluated by the exhibits in
one pass over arrays; nothing here evaluates one scenario at a time.

* :func:`sweep`: the cartesian grid of some inputs, each over a :class:`Range` (stop included)
  or a sequence of values; the grid is flattened (the first input varies slowest) into one
  scenario axis.
* :func:`sensitivity`: every numeric input an output row depends on, moved by ``-delta`` and
  ``+delta`` (relative) one at a time, ranked by the swing of the output at one column.
* :func:`montecarlo`: inputs drawn from :class:`Triangular`, :class:`Uniform` or
  :class:`Normal` distributions with a seeded :class:`numpy.random.Generator` (the same seed
  gives the same numbers), and the percentiles P5, P50, P95 and the mean of every numeric row
  of an exhibit.

Values of inputs are in their base units (as ``scenarios.schema()`` declares them); outputs are
in the row's display unit (万张, 亿美元, %) as a :class:`~engine.tables.Table` shows them.  A
value that applies to an input with an axis (a value per year) applies to every column of it.

Every problem with a request raises an :class:`AnalysisError` (or another
:class:`~engine.errors.SuanliError`) naming the parameter or input key and what is accepted,
before anything is computed.

Domains
    A swept value outside an input's domain is refused (naming the key and the accepted
    range).  A sensitivity move that leaves the domain is clipped to the bound and flagged; a
    whole-number input moves to the next whole number away from its value.  Monte Carlo draws
    of a triangular or uniform distribution outside the domain are refused, naming how many
    fell outside; draws of a normal distribution (whose tails are unbounded) are clipped to the
    domain's bounds and counted in the result, unless more than 1% fall outside, which is
    refused.  Draws for a whole-number input are rounded to the nearest whole number.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal

import numpy as np

from . import exhibits, scenarios
from .errors import InvalidTypeError, SuanliWarning, TextError, UnknownNameError
from .exhibit import CellError, Exhibit, NumericResolver, Result, Row
from .tables import work_scenario

__all__ = [
    "AnalysisError", "Remedy", "Output", "NoNumber", "inputs_of", "evaluate_rows", "format_input_value",
    "Range", "Swept", "SweepResult", "sweep",
    "Move", "SensitivityResult", "sensitivity",
    "Distribution", "Triangular", "Uniform", "Normal", "RowStats", "MonteCarloResult", "montecarlo",
    "MAX_POINTS", "MAX_DRAWS", "MAX_SEED", "NORMAL_CLIP_LIMIT", "PERCENTILES",
]

MAX_POINTS = 1_000_000          # grid points of a sweep
MAX_DRAWS = 1_000_000           # draws of a Monte Carlo run
MAX_SEED = 2 ** 63 - 1          # the largest seed
NORMAL_CLIP_LIMIT = 0.01        # share of normal draws outside the domain that may be clipped
PERCENTILES = (5.0, 50.0, 95.0)


# ---------------------------------------------------------------------------- errors
@dataclass(frozen=True)
class Remedy:
    """How a refused request can be put right, as data, so that each front end says it in its
    own terms (this module in Python's: ``overrides``; the command line in its flags).

    ``kind`` is one of:

    * ``"supply"``: give the inputs ``keys`` a value (the reports give none);
    * ``"switch"``: hold the TRUE/FALSE switch ``keys[0]`` at a value instead;
    * ``"factor"``: ``keys[0]`` has no value for a factor distribution to scale: supply one, or
      give an absolute distribution;
    * ``"rows"``: see the rows of exhibit ``exhibit`` (their units);
    * ``"reads"``: see what the rows of exhibit ``exhibit`` read.
    """

    kind: str
    keys: tuple[str, ...] = ()
    exhibit: str | None = None

    def text(self) -> str:
        """The remedy in Python's terms, as it ends an :class:`AnalysisError` message."""
        keys = self.keys
        if self.kind == "supply":
            pairs = ", ".join(f"{k!r}: VALUE" for k in keys)
            return f": supply {'it' if len(keys) == 1 else 'them'} in overrides ({{{pairs}}})"
        if self.kind == "switch":
            return f"; hold it at True or False in overrides ({{{keys[0]!r}: False}})"
        if self.kind == "factor":
            return (f": supply it in overrides ({{{keys[0]!r}: VALUE}}) or give an absolute distribution "
                    "(factor=False)")
        if self.kind == "rows":
            return f" (see table({self.exhibit!r}).to_frame(), column 'unit')"
        return f" (see table({self.exhibit!r}).to_dict(), each row's 'reads')"


class AnalysisError(TextError, ValueError):
    """A request an analysis cannot run, told in one line naming the parameter or input key.

    ``name`` is the parameter (``output``, ``ranges``, ``delta``, ``n``, ``seed``,
    ``distributions``, ...) or the input key at fault; ``text`` says what is wrong and, where
    there is one, ``remedy`` how to put it right (:class:`Remedy`).  ``message`` is the two.
    """

    def __init__(self, name: str, text: str, remedy: Remedy | None = None):
        self.remedy = remedy
        super().__init__(name, text)

    @property
    def message(self) -> str:
        return self.text + (self.remedy.text() if self.remedy else "")


# ---------------------------------------------------------------------------- outputs
@dataclass(frozen=True)
class Output:
    """An exhibit row named ``EXHIBIT.ROW`` (``chain.cards``)."""

    exhibit: Exhibit
    row: Row

    @classmethod
    def named(cls, name: str | Output, parameter: str = "output") -> Output:
        """``Output.named("chain.cards")``: the exhibit and the numeric row must exist."""
        if isinstance(name, Output):
            return name
        if not isinstance(name, str):
            raise InvalidTypeError(parameter, name, "must be text naming a row as EXHIBIT.ROW (e.g. 'chain.cards')")
        ex_id, dot, key = name.strip().rpartition(".")
        if not dot or not ex_id or not key:
            raise AnalysisError(parameter, f"{parameter} takes EXHIBIT.ROW (e.g. chain.cards or fig49.a100_total), "
                                           f"got {name!r}")
        exhibit = exhibits.get(ex_id)
        row = exhibit.row(key)
        if row.unit == "text":
            raise AnalysisError(parameter, f"{parameter}: {exhibit.id}.{key} is a row of text, not numbers; "
                                           "choose a numeric row", Remedy("rows", exhibit=exhibit.id))
        return cls(exhibit, row)

    @property
    def name(self) -> str:
        return f"{self.exhibit.id}.{self.row.key}"

    @property
    def unit(self) -> str:
        return self.row.unit

    @property
    def label(self) -> str:
        return self.row.label_en


def _spec(key: str, what: str) -> scenarios.InputSpec:
    """The schema entry of a numeric input; unknown keys and switches are refused."""
    spec = scenarios.schema().get(key)
    if spec is None:
        raise scenarios.unknown_key(key)
    if spec.is_switch:
        raise AnalysisError(key, f"{key} is a TRUE/FALSE switch and cannot be {what}", Remedy("switch", (key,)))
    return spec


def _load(scenario: str | scenarios.Scenario | None, output: Output | None,
          overrides: Mapping[str, object] | None) -> scenarios.Scenario:
    if isinstance(scenario, scenarios.Scenario):
        base = scenario
    else:
        if scenario is not None and not isinstance(scenario, str):
            raise InvalidTypeError("scenario", scenario, "must be a scenario name (text) or a Scenario")
        # an analysis is new work: it starts from the corrected model, not from a known error
        name = scenario or work_scenario(output.exhibit if output else "chain")
        base = scenarios.load(name)
    return base.with_values(overrides) if overrides else base


def _overrides(overrides: Mapping[str, object] | None) -> dict[str, object]:
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        raise InvalidTypeError("overrides", overrides, "must be a mapping of input keys to values, e.g. "
                                                       "{'train_utilization': 0.45}")
    return dict(overrides)


def inputs_of(output: str | Output, scenario: str | scenarios.Scenario | None = None) -> list[str]:
    """The input keys an output row depends on (directly or through earlier rows and other
    exhibits), in the schema's order.

    The exhibit is evaluated with a scenario that records every key read; the rows each read
    (``Result.reads``) narrow that to the inputs reaching this row.
    """
    out = Output.named(output)
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
    out[~np.isfinite(out)] = np.nan                 # cells with no number (#DIV/0!, #NUM!)
    return out


def _needs(result: Result, output: Output, columns: Sequence[int]) -> None:
    """Refuse an output whose cells at ``columns`` are all blank, naming what they wait for."""
    if any(result.values[output.row.key][j] is not None for j in columns):
        return
    needed = sorted({k for j in columns for k in result.needed(output.row.key, j)})
    where = output.name if len(columns) > 1 else f"{output.name} at {result.columns[columns[0]]}"
    if needed:
        raise AnalysisError(needed[0], f"{where} needs {', '.join(needed)}, which the report does not give",
                            Remedy("supply", tuple(needed)))
    raise AnalysisError("output", f"{where} is blank in the report's layout; choose another row or column")


@dataclass(frozen=True)
class NoNumber:
    """Points of an analysis at which the output row has no number (a spreadsheet error), at one
    column: ``count`` of ``of`` points, and ``error``, the first such point's error as a single
    scenario shows it (``#DIV/0! CAGR from a zero start is undefined (with std_vendors=0)``)."""

    column: str
    count: int
    of: int
    error: CellError

    def text(self, output: str, points: str) -> str:
        """One line: ``cagr.train_cagr at value has no number at 1 of 3 grid points: #DIV/0! ...``."""
        return f"{output} at {self.column} has no number at {self.count:,} of {self.of:,} {points}: {self.error}"


def _point(sc: scenarios.Scenario, i: int) -> scenarios.Scenario:
    """Scenario ``i`` of a scenario axis, as a single scenario."""
    def pick(v):
        if isinstance(v, tuple):
            return tuple(pick(x) for x in v)
        return float(v[i]) if isinstance(v, np.ndarray) and v.ndim else v
    return scenarios.Scenario(sc.name, {k: pick(v) for k, v in sc.values.items()}, sc.title)


def _no_numbers(sc: scenarios.Scenario, result: Result, output: Output, columns: Sequence[int],
                n: int) -> list[NoNumber]:
    """The output's cells with no number at some points of the axis, each with the first point's error."""
    found = []
    for j in columns:
        error = result.error(output.row.key, j)
        if error is None:
            continue
        mask = error.mask if error.mask is not None else np.ones(n, dtype=bool)
        first = _error_at(sc, result, output, j, int(np.argmax(mask)))
        found.append(NoNumber(result.columns[j], int(mask.sum()), n, first))
    return found


def _error_at(sc: scenarios.Scenario, result: Result, output: Output, col: int, i: int) -> CellError:
    """The error the output shows at point ``i`` of a scenario axis, as that single scenario shows it
    (its reason and the inputs that differ from the report's); the axis's own when the point alone
    has none to say."""
    single = evaluate_rows(_point(sc, i) if sc.size else sc, [output.exhibit.id])[output.exhibit.id]
    found = single.error(output.row.key, col) or result.error(output.row.key, col)
    return CellError(found.excel, found.reason, found.inputs, found.origin)


def _blamed(error: CellError, default: str) -> str:
    """The input an error names first (``std_vendors`` of ``std_vendors=0``), else ``default``."""
    return error.inputs[0].partition("=")[0] if error.inputs else default


def _no_number_lines(gaps: Sequence[NoNumber], output: str, points: str) -> list[str]:
    """One line per run of columns with the same gap."""
    lines: list[str] = []
    groups: list[list[NoNumber]] = []
    for g in gaps:
        if groups and (groups[-1][-1].count, str(groups[-1][-1].error)) == (g.count, str(g.error)):
            groups[-1].append(g)
        else:
            groups.append([g])
    for group in groups:
        first = group[0]
        column = first.column if len(group) == 1 else f"{first.column}-{group[-1].column}"
        lines.append(NoNumber(column, first.count, first.of, first.error).text(output, points))
    return lines


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
    if isinstance(column, numbers.Integral) and not isinstance(column, bool):
        if -len(columns) <= column < len(columns):
            return int(column) % len(columns)
    else:
        text = str(column).strip()
        if text in columns:
            return list(columns).index(text)
        lowered = [c.lower() for c in columns]
        if text.lower() in lowered:
            return lowered.index(text.lower())
    raise UnknownNameError("column", column, list(columns))


def _is_number(x) -> bool:
    return isinstance(x, (numbers.Real, np.number)) and not isinstance(x, (bool, np.bool_))


def _g(x: float) -> str:
    return format(x, "g")


def _frame_text(head: str, frame) -> str:
    return f"{head}\n{frame.to_string()}"


# ---------------------------------------------------------------------------- sweep
@dataclass(frozen=True)
class Range:
    """Swept values from ``start`` to ``stop`` by ``step``, in the input's base unit; ``stop`` is
    included when the steps reach it.

    ``Range(0.2, 0.5, 0.05)`` is 0.2, 0.25, ..., 0.5: seven values, each the float nearest the
    decimal value (0.1 + 9 × 0.1 is 1.0 here, not 1.0000000000000002).
    """

    start: float
    stop: float
    step: float

    def __post_init__(self):
        for f in fields(self):
            v = getattr(self, f.name)
            if not _is_number(v) or not math.isfinite(v):
                raise InvalidTypeError(f"Range {f.name}", v, "must be a finite number")
        if not self.step > 0:
            raise AnalysisError("step", f"Range step must be > 0, got {_g(self.step)} in {self!r}")
        if self.stop < self.start:
            raise AnalysisError("stop", f"Range stop must be >= start, got {self!r}")

    def __repr__(self) -> str:
        return f"Range({_g(self.start)}, {_g(self.stop)}, {_g(self.step)})"

    def count(self) -> int:
        """The number of values (stop included when the steps reach it)."""
        start, stop, step = (Decimal(repr(float(x))) for x in (self.start, self.stop, self.step))
        return int(((stop - start) / step).to_integral_value(rounding="ROUND_FLOOR")) + 1

    def values(self, max_points: int = MAX_POINTS) -> np.ndarray:
        """The values as a float array; more than ``max_points`` of them is refused."""
        count = self.count()
        if count > max_points:
            raise AnalysisError("ranges", f"{self!r} has more than {max_points:,} values; use a larger step")
        start, step = (Decimal(repr(float(x))) for x in (self.start, self.step))
        digits = max(0, -min(start.as_tuple().exponent, step.as_tuple().exponent))
        scale = 10 ** digits
        first, by = int(start * scale), int(step * scale)
        last = first + by * (count - 1)
        if digits <= 15 and max(abs(first), abs(last)) < 2 ** 53:
            # exact integers divided by an exact power of ten: each value is the float nearest the decimal
            return (first + by * np.arange(count, dtype=np.int64)).astype(float) / scale
        return np.array([float(start + step * i) for i in range(count)])


@dataclass(frozen=True)
class Swept:
    """One swept input of a sweep: its key, its values (base unit) and the :class:`Range` they
    came from (None when given as a sequence)."""

    key: str
    values: np.ndarray = field(repr=False)
    range: Range | None = None

    @property
    def text(self) -> str:
        """``0.2:0.5:0.05`` (start, the last value, step) for a range; the values otherwise."""
        v = self.values
        if self.range is not None:
            return f"{_g(float(v[0]))}:{_g(float(v[-1]))}:{_g(self.range.step)}"
        if v.size > 8:
            return ",".join(_g(float(x)) for x in v[:3]) + f",...,{_g(float(v[-1]))}"
        return ",".join(_g(float(x)) for x in v)


def _swept(key: str, given, max_points: int) -> Swept:
    """The values of one swept input, each checked against the input's domain."""
    spec = _spec(key, "swept")
    where = f"ranges[{key!r}]"
    if isinstance(given, Range):
        if given.count() > max_points:
            raise AnalysisError("ranges", f"{where}: {given!r} has more than {max_points:,} values; use a larger step")
        values = given.values(max_points)
        rng = given
    else:
        if isinstance(given, (str, bytes, Mapping)) or _is_number(given) or not hasattr(given, "__len__"):
            raise InvalidTypeError(where, given, "must be a Range(start, stop, step) or a sequence of numbers, "
                                                 "e.g. [0.2, 0.3, 0.4]")
        items = list(np.asarray(given).ravel()) if isinstance(given, np.ndarray) else list(given)
        if not items:
            raise AnalysisError("ranges", f"{where} is empty; give at least one value")
        if len(items) > max_points:
            raise AnalysisError("ranges", f"{where} has {len(items):,} values; at most {max_points:,}")
        for i, x in enumerate(items):
            if not _is_number(x) or not math.isfinite(x):
                raise InvalidTypeError(f"{where}[{i}]", x, "must be a finite number")
        values = np.array(items, dtype=float)
        rng = None
    swept = Swept(key, values, rng)
    ok = spec.domain.ok_mask(values)
    if not ok.all():
        bad = values[~ok]
        raise AnalysisError(key, f"{key}: the sweep {swept.text} leaves the accepted range at {_g(bad[0])} "
                                 f"({bad.size} of {values.size} points); {key} {spec.domain.describe()}")
    _warn_slip(key, f"the sweep {swept.text}", [float(values.min()), float(values.max())])
    return swept


def _warn_slip(key: str, what: str, values: Sequence[float]) -> None:
    """Warn when the values given for ``key`` all look like the report's value in a display unit
    typed without it (:func:`engine.scenarios.slip`)."""
    found = scenarios.slip(key, values)
    if found:
        of, report, suffix, _ = found
        warnings.warn(f"{key}: {what} is about {of} the report's {report}; did you mean it in {suffix}?",
                      SuanliWarning, stacklevel=3)


@dataclass(repr=False)
class SweepResult:
    """A sweep: the grid (one row per point, one column per swept input, base units) and the
    output row's value at every column of its exhibit for every point, in the row's display
    unit.  :meth:`to_frame` gives them as a DataFrame."""

    scenario: scenarios.Scenario
    output: Output
    columns: tuple[str, ...]
    swept: tuple[Swept, ...]
    grid: np.ndarray                    # (points, swept inputs), base units
    values: np.ndarray                  # (points, columns), display units, NaN where blank
    fixed: dict[str, object]            # the other inputs the output depends on, as held
    overrides: dict[str, object]        # inputs set by the caller (held at those values)
    unused: tuple[str, ...]             # swept inputs the output does not depend on
    no_numbers: tuple[NoNumber, ...] = ()   # columns where some points have no number (NaN in values), and why

    @property
    def points(self) -> int:
        return self.grid.shape[0]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.swept)

    def index(self, **point: float) -> int:
        """The grid row of a point given by its swept values (nearest value of each input)."""
        idx = 0
        for s in self.swept:
            k = int(np.abs(s.values - point[s.key]).argmin())
            idx = idx * s.values.size + k
        return idx

    def to_frame(self):
        """A pandas DataFrame: one row per grid point, indexed by the swept values (base units;
        a MultiIndex for two or more inputs), one column per column of the exhibit, in the
        output's display unit (``frame.attrs`` holds the output and its unit)."""
        import pandas as pd

        if len(self.swept) == 1:
            index = pd.Index(self.grid[:, 0], name=self.swept[0].key)
        else:
            index = pd.MultiIndex.from_arrays([self.grid[:, i] for i in range(len(self.swept))], names=self.keys)
        frame = pd.DataFrame(self.values, index=index, columns=list(self.columns))
        frame.columns.name = f"{self.output.name} ({self.output.unit})"
        frame.attrs.update(output=self.output.name, unit=self.output.unit)
        return frame

    def __repr__(self) -> str:
        head = (f"sweep of {self.output.name} ({self.output.label}, {self.output.unit}); scenario "
                f"{self.scenario.name}; {self.points:,} grid points")
        notes = "".join(f"\nnote: {k} does not affect {self.output.name}" for k in self.unused)
        notes += "".join(f"\nnote: {line}" for line in self.notes())
        return _frame_text(head, self.to_frame()) + notes

    def notes(self) -> list[str]:
        """One line for each run of columns where some grid points have no number, and why."""
        return _no_number_lines(self.no_numbers, self.output.name, "grid points")


def sweep(output: str | Output, ranges: Mapping[str, Range | Sequence[float]], *,
          scenario: str | scenarios.Scenario | None = None, overrides: Mapping[str, object] | None = None,
          max_points: int = MAX_POINTS) -> SweepResult:
    """The output row over the cartesian grid of ``ranges`` (input key -> :class:`Range` or a
    sequence of values, in the input's base unit, applied to every column).

    The grid is flattened to one scenario axis (the first key varies slowest) and evaluated in
    one pass.  ``overrides`` holds other inputs at given values.
    """
    out = Output.named(output)
    if not isinstance(ranges, Mapping):
        raise InvalidTypeError("ranges", ranges, "must be a mapping of input keys to a Range or a sequence of "
                                                 "values, e.g. {'train_utilization': [0.2, 0.3, 0.4]}")
    if not ranges:
        raise AnalysisError("ranges", "ranges is empty; a sweep needs at least one input to sweep, e.g. "
                                      "{'train_utilization': Range(0.2, 0.5, 0.05)}")
    overrides = _overrides(overrides)
    base = _load(scenario, out, overrides)
    both = sorted(set(ranges) & set(overrides))
    if both:
        raise AnalysisError(both[0], f"{both[0]} is both swept and held at a value; give it once")
    swept = tuple(_swept(k, v, max_points) for k, v in ranges.items())
    points = math.prod(s.values.size for s in swept)
    if points > max_points:
        sizes = " x ".join(f"{s.values.size:,} ({s.key})" for s in swept)
        raise AnalysisError("ranges", f"the sweep has {points:,} grid points ({sizes}); at most {max_points:,}")
    mesh = np.meshgrid(*[s.values for s in swept], indexing="ij")
    grid = np.column_stack([m.ravel() for m in mesh])
    sc = base.with_values({s.key: grid[:, i].copy() for i, s in enumerate(swept)}, name=base.name)
    result = evaluate_rows(sc, [out.exhibit.id])[out.exhibit.id]
    _needs(result, out, range(len(result.columns)))
    values = _matrix(result, out.row, points)
    gaps = _no_numbers(sc, result, out, range(len(result.columns)), points)
    if gaps and not np.isfinite(values).any():
        raise AnalysisError(_blamed(gaps[0].error, "ranges"),
                            f"{out.name} has no number at any grid point: {gaps[0].error}")
    deps = inputs_of(out, base)
    keys = {s.key for s in swept}
    fixed = {k: base.values[k] for k in deps if k not in keys}
    unused = tuple(s.key for s in swept if s.key not in deps)
    return SweepResult(base, out, result.columns, swept, grid, values, fixed, overrides, unused, tuple(gaps))


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


@dataclass(repr=False)
class SensitivityResult:
    """Inputs ranked by the swing of one output cell when each moves by ±delta.
    :meth:`to_frame` gives the ranking as a DataFrame."""

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

    def to_frame(self):
        """A pandas DataFrame, one row per input moved, largest swing first, indexed by input key:
        its unit, its base, low and high values at the ranked column (base unit), the output at
        the low and high values and the swing (the output's display unit), the swing as a
        percentage of the base output, and notes (clipped to a bound, rounded to whole numbers)."""
        import pandas as pd

        unit = self.output.unit
        rows = [{"unit": m.spec.unit, "base": m.at("base", self.column), "low": m.at("low", self.column),
                 "high": m.at("high", self.column), "output_low": m.output_low, "output_high": m.output_high,
                 "swing": m.swing, "swing_pct": self.share(m), "notes": "; ".join(m.notes)} for m in self.moves]
        frame = pd.DataFrame(rows, index=pd.Index([m.key for m in self.moves], name="input"),
                             columns=["unit", "base", "low", "high", "output_low", "output_high", "swing",
                                      "swing_pct", "notes"])
        frame.attrs.update(output=self.output.name, unit=unit, column=self.column,
                           base_output=self.base_output, delta=self.delta)
        return frame

    def __repr__(self) -> str:
        head = (f"sensitivity of {self.output.name} at {self.column} ({self.output.unit}; base "
                f"{self.base_output:,.6g}) to each input moved by ±{self.delta:g}; scenario {self.scenario.name}")
        skipped = "".join(f"\nnot moved: {k} ({why})" for k, why in self.skipped.items())
        return _frame_text(head, self.to_frame().drop(columns="notes")) + skipped


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


def sensitivity(output: str | Output, *, column: str | int | None = None, delta: float = 0.1,
                scenario: str | scenarios.Scenario | None = None,
                overrides: Mapping[str, object] | None = None) -> SensitivityResult:
    """Move every numeric input the output row depends on by ``-delta`` and ``+delta`` (relative;
    an input with a value per column moves in all columns at once) and rank them by the swing
    ``|output(high) - output(low)|`` at ``column`` (a label or an index; default: the last).

    All 2K+1 scenarios (the base, then each input's low and high) are one scenario axis.
    """
    out = Output.named(output)
    if not _is_number(delta):
        raise InvalidTypeError("delta", delta, "must be a number in (0, 1)")
    d = float(delta)
    if not (0 < d < 1):
        raise AnalysisError("delta", f"delta must be a number in (0, 1) (0.1 moves each input by ±10%), "
                                     f"got {_g(d)}")
    overrides = _overrides(overrides)
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
        elif all(v is None for v in values):
            skipped[key] = "not supplied"
        else:
            keys.append(key)
    n = 2 * len(keys) + 1
    changes, lows, highs, notes = {}, {}, {}, {}
    for i, key in enumerate(keys):
        spec, value = schema[key], base.values[key]
        found: set[str] = set()
        per_col = value if isinstance(value, tuple) else (value,)
        # a column left blank (a figure nobody published) stays blank; the others move
        lo = tuple(None if v is None else _moved(spec, float(v), 1 - d, found) for v in per_col)
        hi = tuple(None if v is None else _moved(spec, float(v), 1 + d, found) for v in per_col)
        if all(v == 0 for v in per_col if v is not None):
            found.add("the value is 0: a relative move leaves it at 0")
        moved, same = "whole" in found, "whole-unchanged" in found
        found -= {"whole", "whole-unchanged"}
        if moved:
            found.add("rounded to whole numbers" + (" (some columns unchanged)" if same else ""))
        elif same:
            found.add(f"not moved: ±{d:.0%} rounds back to the same whole number")
        arrays = []
        for v, a, b in zip(per_col, lo, hi, strict=True):
            if v is None:
                arrays.append(None)
                continue
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
    if not math.isfinite(ys[0]):
        error = _error_at(sc, result, out, col, 0)
        raise AnalysisError(_blamed(error, "output"), f"{out.name} at {columns[col]} has no number in the scenario "
                                                      f"to move inputs from: {error}")
    for i, k in enumerate(keys):
        for which, at in (("low", 2 * i + 1), ("high", 2 * i + 2)):
            if not math.isfinite(ys[at]):
                notes[k] += (f"no number at the {which} value: {_error_at(sc, result, out, col, at)}",)
    moves = [Move(k, schema[k], base.values[k], lows[k], highs[k], float(ys[2 * i + 1]), float(ys[2 * i + 2]),
                  notes[k]) for i, k in enumerate(keys)]
    order = sorted(range(len(moves)), key=lambda i: (-_rank(moves[i].swing), i))
    return SensitivityResult(base, out, columns[col], d, float(ys[0]), [moves[i] for i in order], skipped,
                             overrides)


def _rank(x: float) -> float:
    """A swing for ranking: 12 significant digits, so equal swings keep the schema's order."""
    return float(f"{x:.12g}") if math.isfinite(x) else -1.0


# ---------------------------------------------------------------------------- Monte Carlo
class Distribution:
    """A distribution of one input's value, in the input's base unit, in every column.

    With ``factor=True`` the draw is instead a factor on the scenario's value in every column
    (``Uniform(0.8, 1.2, factor=True)`` for ``mm_dau`` moves the whole DAU path by -20% to
    +20%); written ``KEY*=...`` in :meth:`label`.
    """

    kind = ""
    factor: bool
    bounded = True

    def _check(self, names: Sequence[str]) -> tuple[float, ...]:
        params = []
        for name in names:
            v = getattr(self, name)
            if not _is_number(v) or not math.isfinite(v):
                raise InvalidTypeError(f"{type(self).__name__} {name}", v, "must be a finite number")
            params.append(float(v))
        if not isinstance(self.factor, (bool, np.bool_)):
            raise InvalidTypeError(f"{type(self).__name__} factor", self.factor, "must be True or False")
        return tuple(params)

    @property
    def params(self) -> tuple[float, ...]:
        return tuple(float(getattr(self, f.name)) for f in fields(self) if f.name != "factor")

    def __str__(self) -> str:
        """``triangular(0.2,0.3,0.45)``."""
        return f"{self.kind}({','.join(_g(p) for p in self.params)})"

    def label(self, key: str) -> str:
        """The distribution of ``key`` as one line: ``train_utilization=triangular(0.2,0.3,0.45)``,
        or ``mm_dau*=uniform(0.8,1.2)`` for a factor."""
        return f"{key}{'*' if self.factor else ''}={self}"

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass(frozen=True, repr=False)
class Triangular(Distribution):
    """Triangular between ``low`` and ``high`` with its peak at ``mode`` (low <= mode <= high,
    low < high)."""

    low: float
    mode: float
    high: float
    factor: bool = False
    kind = "triangular"

    def __post_init__(self):
        lo, mode, hi = self._check(("low", "mode", "high"))
        if not (lo <= mode <= hi and lo < hi):
            raise AnalysisError("distributions", f"Triangular needs low <= mode <= high and low < high, got {self!r}")

    def __repr__(self) -> str:
        return f"Triangular({_g(self.low)}, {_g(self.mode)}, {_g(self.high)}{', factor=True' if self.factor else ''})"

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.triangular(self.low, self.mode, self.high, n)


@dataclass(frozen=True, repr=False)
class Uniform(Distribution):
    """Uniform between ``low`` and ``high`` (low < high)."""

    low: float
    high: float
    factor: bool = False
    kind = "uniform"

    def __post_init__(self):
        lo, hi = self._check(("low", "high"))
        if not lo < hi:
            raise AnalysisError("distributions", f"Uniform needs low < high, got {self!r}")

    def __repr__(self) -> str:
        return f"Uniform({_g(self.low)}, {_g(self.high)}{', factor=True' if self.factor else ''})"

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, n)


@dataclass(frozen=True, repr=False)
class Normal(Distribution):
    """Normal with mean ``mean`` and standard deviation ``sd`` (> 0).  Its tails are unbounded:
    draws outside the input's accepted range are clipped to it when at most 1% fall outside."""

    mean: float
    sd: float
    factor: bool = False
    kind = "normal"
    bounded = False

    def __post_init__(self):
        _, sd = self._check(("mean", "sd"))
        if not sd > 0:
            raise AnalysisError("distributions", f"Normal needs sd > 0, got {self!r}")

    def __repr__(self) -> str:
        return f"Normal({_g(self.mean)}, {_g(self.sd)}{', factor=True' if self.factor else ''})"

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.normal(self.mean, self.sd, n)


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


@dataclass(repr=False)
class MonteCarloResult:
    """A Monte Carlo run: the distributions, the draws, every numeric row's percentiles, and a
    histogram of one output row at the exhibit's last column.  :meth:`to_frame` gives the
    percentiles as a DataFrame."""

    scenario: scenarios.Scenario
    exhibit: Exhibit
    columns: tuple[str, ...]
    n: int
    seed: int
    distributions: dict[str, Distribution]          # by input key, in the order drawn
    draws: dict[str, np.ndarray]                    # the value drawn for each key (the factor for a factor)
    values: dict[str, object]                       # what the scenario got: an array, or one per column
    clipped: dict[str, int]                         # normal draws clipped to the domain, by key
    stats: list[RowStats]
    output: Output
    output_column: str                              # the output exhibit's last column
    output_values: np.ndarray                       # the output row at that column, every draw
    histogram: tuple[np.ndarray, np.ndarray]        # counts, bin edges
    overrides: dict[str, object]
    unused: tuple[str, ...]                         # distributed inputs the exhibit does not read
    no_numbers: tuple[NoNumber, ...] = ()           # the output row's columns where some draws have no number

    def notes(self) -> list[str]:
        """One line for each run of the output row's columns where some draws have no number (left out of
        the statistics), and why."""
        return _no_number_lines(self.no_numbers, self.output.name, "draws")

    def row(self, key: str) -> RowStats:
        for s in self.stats:
            if s.key == key:
                return s
        raise UnknownNameError(f"row of {self.exhibit.id}", key, [s.key for s in self.stats])

    def to_frame(self):
        """A pandas DataFrame of every numeric row of the exhibit: indexed by (row, statistic)
        with the statistics P5, P50, P95 and mean (all four equal for a row the draws do not
        reach; NaN for a blank cell), a ``unit`` column (the row's display unit) and one column
        per column of the exhibit, in that unit."""
        import pandas as pd

        index, data = [], []
        for s in self.stats:
            for stat, values in (("P5", s.p5), ("P50", s.p50), ("P95", s.p95), ("mean", s.mean)):
                index.append((s.key, stat))
                data.append([s.row.unit] + [math.nan if v is None else v for v in values])
        frame = pd.DataFrame(data, index=pd.MultiIndex.from_tuples(index, names=["row", "statistic"]),
                             columns=["unit", *self.columns])
        frame.attrs.update(exhibit=self.exhibit.id, n=self.n, seed=self.seed)
        return frame

    def __repr__(self) -> str:
        out = self.output
        head = (f"Monte Carlo of {self.exhibit.id}: {self.n:,} draws, seed {self.seed}; "
                + ", ".join(d.label(k) for k, d in self.distributions.items()))
        if out.exhibit.id == self.exhibit.id:
            s = self.row(out.row.key)
            import pandas as pd

            frame = pd.DataFrame([s.p5, s.p50, s.p95, s.mean], index=pd.Index(["P5", "P50", "P95", "mean"]),
                                 columns=list(self.columns), dtype=float)
            frame.columns.name = f"{out.name} ({out.unit})"
            body = frame.to_string()
        else:
            v = self.output_values[np.isfinite(self.output_values)]
            q = np.percentile(v, PERCENTILES) if v.size else [math.nan] * 3
            body = (f"{out.name} at {self.output_column} ({out.unit}): P5 {q[0]:,.6g}, P50 {q[1]:,.6g}, "
                    f"P95 {q[2]:,.6g}, mean {float(v.mean()) if v.size else math.nan:,.6g}")
        varying = sum(s.varies for s in self.stats)
        notes = [f"{varying} of the {len(self.stats)} numeric rows of {self.exhibit.id} vary; "
                 "to_frame() has the percentiles of every row"]
        notes += [f"clipped: {c:,} of {self.n:,} normal draws of {k} to its accepted range"
                  for k, c in self.clipped.items()]
        notes += [f"note: {k} does not affect {self.exhibit.id}" for k in self.unused]
        notes += [f"note: {line}" for line in self.notes()]
        return "\n".join([head, body, *notes])


def _clip_to(dom, values: np.ndarray) -> np.ndarray:
    lo = float(np.nextafter(dom.low, math.inf)) if dom.low_open else dom.low
    hi = float(np.nextafter(dom.high, -math.inf)) if dom.high_open else dom.high
    return np.clip(values, lo, hi)


def _whole(value, name: str, low: int, high: int, what: str) -> int:
    if not _is_number(value) or not math.isfinite(value) or value != math.floor(value):
        raise InvalidTypeError(name, value, f"must be a whole number in [{low:,}, {high:,}] ({what})")
    if not (low <= value <= high):
        raise AnalysisError(name, f"{name} must be a whole number in [{low:,}, {high:,}] ({what}), got {value!r}")
    return int(value)


def montecarlo(output: str | Output | None, distributions: Mapping[str, Distribution], *, n: int = 100_000,
               seed: int | None = None, exhibit: str | None = None,
               scenario: str | scenarios.Scenario | None = None,
               overrides: Mapping[str, object] | None = None, bins: int = 50) -> MonteCarloResult:
    """Draw ``n`` values of each distributed input (one :class:`numpy.random.Generator` seeded
    with ``seed``, the distributions drawn in the order given) and evaluate the exhibit on all
    draws at once.

    ``exhibit`` defaults to the output's exhibit, else ``chain``; ``output`` (the histogram's row)
    defaults to the exhibit's last numeric row that the draws reach.  Without a seed, one is
    chosen at random and reported in the result, so every run can be repeated.
    """
    out = Output.named(output) if output is not None else None
    ex = exhibits.get(exhibit) if exhibit is not None else (out.exhibit if out else exhibits.get("chain"))
    if not isinstance(distributions, Mapping):
        raise InvalidTypeError("distributions", distributions,
                               "must be a mapping of input keys to distributions, e.g. "
                               "{'train_utilization': Triangular(0.2, 0.3, 0.45)}")
    if not distributions:
        raise AnalysisError("distributions", "distributions is empty; a Monte Carlo run needs at least one, e.g. "
                                             "{'train_utilization': Triangular(0.2, 0.3, 0.45)}")
    for key, dist in distributions.items():
        if not isinstance(dist, Distribution):
            raise InvalidTypeError(f"distributions[{key!r}]", dist, "must be a Triangular, Uniform or Normal")
        _spec(key, "given a distribution")
    dists = dict(distributions)
    count = _whole(n, "n", 1, MAX_DRAWS, "the number of draws")
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2 ** 32))
    else:
        seed = _whole(seed, "seed", 0, MAX_SEED, "the random seed")
    if not isinstance(bins, numbers.Integral) or isinstance(bins, bool) or bins < 1:
        raise InvalidTypeError("bins", bins, "must be a whole number >= 1")
    overrides = _overrides(overrides)
    both = [k for k in dists if k in overrides]
    if both:
        raise AnalysisError(both[0], f"{both[0]} is both given a distribution and held at a value; give it once")
    base = _load(scenario, out or Output(ex, ex.rows[0]), overrides)
    rng = np.random.default_rng(seed)
    schema = scenarios.schema()
    changes, draws, clipped = {}, {}, {}
    for key, dist in dists.items():
        spec = schema[key]
        if not dist.factor:
            _warn_slip(key, str(dist), [p for p in dist.params[:1] + dist.params[-1:]] if dist.bounded
                       else dist.params[:1])
        x = dist.sample(rng, count)
        draws[key] = x
        value = base.values[key]
        if dist.factor:
            per_col = value if isinstance(value, tuple) else (value,)
            if any(v is None for v in per_col):
                raise AnalysisError(key, f"{dist.label(key)} scales the scenario's value, but {key} has none",
                                    Remedy("factor", (key,)))
            cols = [x * float(v) for v in per_col]
        else:
            cols = [x]
        if spec.domain.whole:
            cols = [np.floor(c + 0.5) for c in cols]
        ok = np.logical_and.reduce([spec.domain.ok_mask(c) for c in cols])
        bad = int(count - np.count_nonzero(ok))
        if bad:
            accepted = f"{key} {spec.domain.describe()}"
            if dist.bounded or bad > NORMAL_CLIP_LIMIT * count:
                why = "" if dist.bounded else \
                    f" (normal draws are clipped to the range only when at most {NORMAL_CLIP_LIMIT:.0%} fall outside)"
                raise AnalysisError(key, f"{key}: {bad:,} of {count:,} draws of {dist.label(key)} fall outside "
                                         f"the accepted range ({accepted}){why}; narrow the distribution")
            cols = [_clip_to(spec.domain, c) for c in cols]
            clipped[key] = bad
        if isinstance(value, tuple):
            changes[key] = cols if dist.factor else cols[0]
        else:
            changes[key] = cols[0]
    sc = base.with_values(changes, name=base.name)
    ids = [ex.id] + ([out.exhibit.id] if out and out.exhibit.id != ex.id else [])
    results = evaluate_rows(sc, ids)
    result = results[ex.id]
    stats = _stats(result)
    if out is None:
        varying = [s for s in stats if s.varies and s.p50[-1] is not None]
        if not varying:
            raise AnalysisError("distributions", f"no row of {ex.id} depends on {', '.join(dists)}; nothing varies",
                                Remedy("reads", exhibit=ex.id))
        out = Output(ex, varying[-1].row)
    out_result = results[out.exhibit.id]
    last = len(out_result.columns) - 1
    _needs(out_result, out, [last])
    cell = out_result.values[out.row.key][last]
    gaps = _no_numbers(sc, out_result, out, range(len(out_result.columns)), count)
    at_last = [g for g in gaps if g.column == out_result.columns[last]]
    if at_last and at_last[0].count == count:
        raise AnalysisError(_blamed(at_last[0].error, "distributions"),
                            f"{out.name} at {out_result.columns[last]} has no number on any draw: {at_last[0].error}")
    if not isinstance(cell, np.ndarray):
        raise AnalysisError("output", f"{out.name} at {out_result.columns[last]} does not depend on "
                                      f"{', '.join(dists)}; it is {format_input_value(cell / out.row.display.factor)}"
                                      " on every draw")
    values = cell / out.row.display.factor
    finite = values[np.isfinite(values)]
    histogram = np.histogram(finite, bins=int(bins))
    tracing = scenarios.Tracing(base)
    evaluate_rows(tracing, ids)
    unused = tuple(k for k in dists if k not in tracing.seen)
    return MonteCarloResult(base, ex, result.columns, count, seed, dists, draws, changes, clipped, stats, out,
                            out_result.columns[last], values, histogram, overrides, unused, tuple(gaps))


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
                shown = None if v is None or isinstance(v, str) or result.error(row.key, j) is not None \
                    else float(v) / row.display.factor
                for lst in (s.p5, s.p50, s.p95, s.mean):
                    lst.append(shown)
        stats.append(s)
    if cells:
        mat = np.vstack(cells)                         # our own copy: the percentile may reorder it
        mean = mat.mean(axis=1)
        if np.isfinite(mean).all():
            q = np.percentile(mat, PERCENTILES, axis=1, overwrite_input=True)
        else:                                          # draws with no number are left out; a cell with
            mat[~np.isfinite(mat)] = np.nan            # none on any draw has no statistics (None)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                mean = np.nanmean(mat, axis=1)
                q = np.nanpercentile(mat, PERCENTILES, axis=1, overwrite_input=True)
        for s, j, i in where:
            s.p5[j], s.p50[j], s.p95[j], s.mean[j] = (_finite(q[0, i]), _finite(q[1, i]), _finite(q[2, i]),
                                                      _finite(mean[i]))
    return stats


def _finite(x) -> float | None:
    return float(x) if math.isfinite(x) else None
