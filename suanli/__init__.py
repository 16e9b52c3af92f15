"""suanli: AI compute demand and its industry chain, from the CSC 2023 report, as a Python library.

The public API; the ``suanli`` command (:mod:`suanli.cli`) is a thin layer over it.

* :func:`table` one exhibit evaluated for a scenario (a :class:`Table`, with ``.to_frame()``);
* :func:`tables`, :func:`inputs`, :func:`errata`, :func:`scenarios`, :func:`catalogue`: what
  there is, as pandas DataFrames;
* :func:`sweep`, :func:`sensitivity`, :func:`montecarlo`: scenario analyses, each one
  vectorised pass of the engine, returning a result with ``.to_frame()``;
* :func:`compare`: scenarios side by side, with the differences against the first, as a DataFrame.

Inputs are given in their base units (fractions, counts, FLOP/s, USD: the ``unit`` column of
:func:`inputs`), or as text in the report's units (``"18000亿"``, ``"2万"``, ``"30%"``:
:func:`parse_quantity`); a bare number that looks like the report's value in 亿, 万 or % typed
without the unit is accepted with a :class:`SuanliWarning` naming the value likely meant.  Outputs
come in each row's display unit (万张, 亿美元, PFLOPS, %), as the report prints them.  A value for
an input with a value per year applies to every year; a list gives one value per year.  A cell
whose formula has no number (a division by zero, an overflow) is None, and the table says which
spreadsheet error it shows and why (:class:`CellError`); an analysis leaves such points out and
says so (:class:`NoNumber`).

Scenarios by default: the report's own exhibits are evaluated as the report printed them
(``csc-2023``: reproduction); what suanli builds on top starts from ``csc-2023-corrected``, the
report with its computational errata corrected, so that a known error is not carried into new
work: the ``chain`` exhibit, :func:`sweep`, :func:`sensitivity` and :func:`montecarlo`.  Every
result names its scenario (``Table.scenario``, ``to_dict()["scenario"]`` with its base chain,
the hash of its values and the errata switches in force, ``SweepResult.scenario`` ...).  Your own
scenario is a TOML file (:func:`scenario`), accepted wherever a scenario name is.  An exhibit id
may be written as the report prints it (``"图表49"``, ``"fig 49"``, ``"Figure 49"``).

Every refusal is a :class:`SuanliError` (also a ``ValueError``, ``KeyError`` or ``TypeError``)
whose message names the parameter or input key and what is accepted:

>>> table("fig49", overrides={"train_utilization": 30})
Traceback (most recent call last):
...
engine.errors.InvalidValueError: train_utilization must be in (0, 1], got 30 (did you mean 0.30?)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike

from engine import __version__
from engine import catalogue as _catalogue
from engine import comparison as _comparison
from engine import errata as _errata
from engine import exhibits as _exhibits
from engine import scenarios as _scenarios
from engine import tables as _tables
from engine.analysis import (
    AnalysisError,
    Distribution,
    MonteCarloResult,
    NoNumber,
    Normal,
    Range,
    SensitivityResult,
    SweepResult,
    Triangular,
    Uniform,
)
from engine.analysis import montecarlo as _montecarlo
from engine.analysis import sensitivity as _sensitivity
from engine.analysis import sweep as _sweep
from engine.errors import (
    InvalidTypeError,
    InvalidValueError,
    MissingValueError,
    SuanliError,
    SuanliWarning,
    UnknownNameError,
)
from engine.exhibit import CellError
from engine.scenarios import Scenario
from engine.tables import Table
from engine.units import parse_quantity

from .scenariofiles import ScenarioFileError
from .scenariofiles import resolve as _resolve

__all__ = [
    "table", "tables", "inputs", "errata", "scenario", "scenarios", "catalogue", "coverage", "sweep", "sensitivity",
    "montecarlo", "compare",
    "Table", "Scenario", "Range", "Distribution", "Triangular", "Uniform", "Normal",
    "SweepResult", "SensitivityResult", "MonteCarloResult", "CellError", "NoNumber", "parse_quantity",
    "SuanliError", "InvalidValueError", "InvalidTypeError", "MissingValueError", "UnknownNameError",
    "AnalysisError", "SuanliWarning", "ScenarioFileError", "__version__",
]

def table(exhibit: str, scenario: str | PathLike | Scenario | None = None,
          overrides: Mapping[str, object] | None = None) -> Table:
    """One exhibit evaluated for a scenario: a :class:`Table` whose cells are in each row's
    display unit (万张, PFLOPS, %), with ``.value(row, column)``, ``.values(row)``,
    ``.to_frame()`` (a DataFrame: one row per exhibit row, indexed by row key, with its labels and
    unit) and ``.to_dict()`` (the JSON form).

    ``exhibit`` is an id from :func:`tables` (or as the report prints it: ``"图表49"``); ``scenario``
    a name from :func:`scenarios`, a scenario file (``"house.toml"`` or a :class:`~pathlib.Path`;
    :func:`scenario`) or a :class:`Scenario` (default: the exhibit's own: ``csc-2023``, the report
    as printed, for the report's tables; ``csc-2023-corrected`` for suanli's ``chain``);
    ``overrides`` maps input keys to values in their base units, or to text in the report's
    units (a list gives one value per column).
    A cell with no number is None; ``.error(row, column)`` says which spreadsheet error it shows
    and why, ``.errors()`` lists them all.

    Fig49's A100 total in 2026E, 万张 (printed 2079.30), and with a 45% training utilisation:

    >>> t = table("fig49")
    >>> round(t.value("a100_total", "2026E"), 2)
    2079.3
    >>> round(table("fig49", overrides={"train_utilization": 0.45}).value("a100_total", "2026E"), 2)
    1386.2
    >>> t.to_frame().loc["a100_total", ["label_zh", "unit"]].tolist()
    ['A100 需求总量（万张）（只考虑 A100 的情况下）', '万张']

    The parameters as the table prints them, typed in 亿; and a CAGR from a zero start:

    >>> table("fig49", overrides={"mm_params_base": "18000亿"}).value("mm_params", "2023E")
    18000.0
    >>> c = table("cagr", overrides={"std_vendors": 0})
    >>> c.value("train_cagr", "value") is None
    True
    >>> print(c.error("train_cagr", "value"))
    #DIV/0! CAGR from a zero start is undefined (with std_vendors=0)
    """
    return _tables.table(exhibit, _resolve(scenario), overrides)


def tables():
    """Every exhibit, as a pandas DataFrame indexed by ``id`` with columns ``group``, ``title_en``,
    ``title_zh``, ``columns`` (its column labels, comma-separated), ``rows`` (how many),
    ``source`` (where the report prints it) and ``scenario`` (the one it is evaluated in by
    default: ``csc-2023``, the report as printed, for the report's own tables;
    ``csc-2023-corrected`` for suanli's ``chain``).

    >>> t = tables()
    >>> t.loc["fig49", ["title_zh", "columns"]].tolist()
    ['全球大模型训练所需算力/AI 芯片数量测算', '2023E, 2024E, 2025E, 2026E, 2027E']
    >>> len(t)
    93
    >>> t.loc[["fig50", "chain"], "scenario"].tolist()
    ['csc-2023', 'csc-2023-corrected']
    """
    import pandas as pd

    rows = [{"id": e.id, "group": e.group, "title_en": e.title_en, "title_zh": e.title_zh,
             "columns": ", ".join(_scenarios.axes()[e.axis]), "rows": len(e.rows), "source": e.source,
             "scenario": e.default_scenario} for e in _exhibits.all_exhibits()]
    return pd.DataFrame(rows).set_index("id")


def inputs(scenario: str | PathLike | Scenario | None = None, exhibit: str | None = None, *,
           search: str | None = None):
    """The inputs of a scenario, as a pandas DataFrame indexed by ``key``, with columns
    ``label``, ``unit`` (the base unit its value is in), ``value``, ``axis`` (the columns it has
    a value for, comma-separated; missing for an input with one value), ``bounds`` (what it
    accepts), ``source`` (in the report), ``erratum`` (the erratum it switches or stands for;
    missing for most) and ``user_supplied`` (True when the reports give no value).

    ``value`` is a float; a tuple of one float per column for an input with an axis; True or
    False for a switch; None when the reports give no value and the scenario supplies none.

    Every input, or only those ``exhibit`` reads (directly or through the exhibits it reads),
    and only those whose key or label contains every word of ``search`` (any case).
    ``scenario`` defaults to the exhibit's own, else ``csc-2023``.

    >>> i = inputs()
    >>> i.loc["train_utilization", ["value", "unit", "bounds"]].tolist()
    [(0.3, 0.3, 0.3, 0.3, 0.3), 'fraction', 'in (0, 1]']
    >>> i.loc["mm_vendors", "value"]
    (5.0, 8.0, 10.0, 13.0, 15.0)
    >>> i.loc["fig50_util_applied_twice", "value"]
    True
    >>> inputs("csc-2023-corrected").loc["fig50_util_applied_twice", "value"]
    False
    >>> inputs(exhibit="图表43").index.tolist()[:2]
    ['llm_params', 'infer_bytes_per_param']
    >>> inputs(search="training util").index.tolist()
    ['train_utilization', 'fig48_utilization']
    """
    import pandas as pd

    ex = None if exhibit is None else _exhibits.get(exhibit)
    if scenario is None:
        scenario = ex.default_scenario if ex is not None else "csc-2023"
    sc = _resolve(scenario)
    keys = _tables.find_inputs(ex.id if ex is not None else None, search, sc)
    schema = _scenarios.schema()
    rows = []
    for key in keys:
        spec = schema[key]
        value = sc.value(key)
        if spec.is_switch:
            value = bool(value[0] if isinstance(value, tuple) else value)
        rows.append({"key": key, "label": spec.label, "unit": spec.unit, "value": value,
                     "axis": ", ".join(_scenarios.axes()[spec.axis]) if spec.axis else None,
                     "bounds": spec.describe_bounds(), "source": spec.source, "erratum": spec.erratum,
                     "user_supplied": spec.user_supplied})
    frame = pd.DataFrame(rows, columns=["key", "label", "unit", "value", "axis", "bounds", "source", "erratum",
                                        "user_supplied"]).set_index("key")
    frame.attrs["scenario"] = sc.name
    return frame


def errata(exhibit: str | None = None, scenario: str | PathLike | Scenario | None = None):
    """The report's inconsistencies, as a pandas DataFrame indexed by ``id`` (E01, ...), with
    columns ``kind`` (computation, inconsistency, wording, or rounding-note), ``detail``,
    ``is_erratum`` (False for a rounding note: the printed value is reachable within the
    rounding of its inputs, so it is not an erratum), ``title``, ``exhibits`` (comma-separated),
    ``switch`` (the input that toggles it), ``alternative`` (the scenario that applies it),
    ``printed``, ``consistent`` and ``description``; only those of ``exhibit`` if given; with a
    ``status`` column (as printed, corrected, ...) when a ``scenario`` is given.

    >>> e = errata()
    >>> e.loc["E01", ["title", "switch"]].tolist()
    ['fig50 applies the 30% utilisation twice', 'fig50_util_applied_twice']
    >>> e.loc["E01", "consistent"]
    'H100 24.94/79.50/190.80/457.91/1098.99 万张; A100 79.14/252.26/605.41/1452.99/3487.18 万张'
    >>> errata("fig50", scenario="csc-2023-corrected").loc["E01", "status"]
    'corrected'
    """
    import pandas as pd

    chosen = _errata.all_errata() if exhibit is None else _table_errata(exhibit)
    sc = _resolve(scenario)
    rows = []
    for e in chosen:
        row = {"id": e.id, "kind": e.kind, "detail": e.detail, "is_erratum": e.is_erratum, "title": e.title,
               "exhibits": ", ".join(e.exhibits), "switch": e.switch, "alternative": e.alternative,
               "printed": e.printed, "consistent": e.consistent, "description": e.description}
        if sc is not None:
            row["status"] = e.status(sc)
        rows.append(row)
    columns = ["id", "kind", "detail", "is_erratum", "title", "exhibits", "switch", "alternative", "printed",
               "consistent", "description"]
    return pd.DataFrame(rows, columns=columns + (["status"] if sc is not None else [])).set_index("id")


def _table_errata(exhibit: str):
    ex = _exhibits.get(exhibit)
    named = {e.id: e for e in _errata.for_exhibit(ex.id)}
    for eid in ex.errata:
        named.setdefault(eid, _errata.get(eid))
    return [named[k] for k in sorted(named)]


def scenario(name: str | PathLike | Scenario = "csc-2023", overrides: Mapping[str, object] | None = None) -> Scenario:
    """A scenario, checked: a packaged one by name (:func:`scenarios`), or your own from a scenario
    file (text ending in ``.toml`` or holding a ``/``, or a :class:`~pathlib.Path`), with
    ``overrides`` applied.  A file names its ``base`` (a packaged scenario or another file) and
    the ``[values]`` that differ from it; ``suanli scenario new`` writes one.

    ``.chain`` names its bases, nearest first; ``.fingerprint`` is a hash of its values, which
    every output records (``.provenance()``); ``.source`` is the file it came from.

    >>> sc = scenario("csc-2023-corrected")
    >>> sc.chain, sc.provenance()["base"]
    (('csc-2023',), ['csc-2023'])
    >>> scenario("csc-2023", {"train_utilization": "35%"}).value("train_utilization")[0]
    0.35
    """
    sc = _resolve(name)
    return sc.with_values(overrides) if overrides else sc


def scenarios():
    """The packaged scenarios, as a pandas DataFrame indexed by ``name``, with columns ``title``,
    ``base`` (the scenario it changes, or None) and ``description``.

    >>> scenarios().loc["csc-2023-corrected", "base"]
    'csc-2023'
    >>> list(scenarios().index)
    ['ai-server-2023', 'csc-2023', 'csc-2023-corrected', 'csc-2023-text-dau', 'csc-2023-text-params', 'today']
    """
    import pandas as pd

    rows = []
    for name in _scenarios.names():
        d = _scenarios.describe(name)
        rows.append({"name": name, "title": d["title"], "base": d["base"], "description": d["description"]})
    return pd.DataFrame(rows, columns=["name", "title", "base", "description"]).set_index("name")


def coverage(report: str | None = None):
    """Every figure of the reports, as a pandas DataFrame: ``report`` (its short name), ``where`` (图表N
    or §x.y as a reader finds it), ``figure``, ``held_in`` (the exhibits and catalogue tables that
    hold it, comma-separated), ``status`` (reproduced, data only, erratum or not reproducible,
    derived from the exhibits, their printed values and the errata), ``errata`` and ``why``;
    ``report`` ("csc-2023" or "ai-server-2023") limits it to one report.

    >>> c = coverage()
    >>> c.loc[c["where"] == "图表49", ["held_in", "status"]].values.tolist()
    [['fig49', 'reproduced']]
    >>> sorted(set(c["status"]))
    ['data only', 'erratum', 'not reproducible', 'reproduced']
    """
    import pandas as pd

    from engine import coverage as _coverage

    rows = [{**r, "held_in": ", ".join(r["held_in"]), "errata": ", ".join(r["errata"])}
            for r in _coverage.rows(report)]
    return pd.DataFrame(rows, columns=["report", "where", "figure", "held_in", "status", "errata", "why"])


CHIP_KINDS = _catalogue.KINDS


def catalogue(chip: str | None = None, *, kind: str | None = None, sources: bool = False):
    """The hardware catalogue as a pandas DataFrame.

    Without ``chip``: one row per chip, indexed by ``key``, with ``name``, ``name_zh``,
    ``vendor``, ``kind``, ``tables`` (the report tables it appears in), ``aliases``, then one
    column per field, in the field's unit (the suffix says it: ``_tflops``, ``_gb``, ``_w``), NaN
    where none is given; only chips of ``kind`` (gpu, gpgpu, asic, edge, graphics,
    architecture, cpu, system) if given; each field followed by ``FIELD_source`` with ``sources=True``.

    With ``chip`` (a name, key or alias): that chip's fields, one row each, indexed by
    ``field``, with ``value``, ``unit``, ``source`` and ``note``; a field of today's catalogue that
    nobody published is a row with no value whose note begins "not published".

    H100 SXM's FP16 tensor throughput, dense (as the report prints it) and sparse, TFLOPS:

    >>> c = catalogue()
    >>> c.loc["h100_sxm", ["fp16_tensor_dense_tflops", "fp16_tensor_sparse_tflops"]].tolist()
    [990.0, 1979.0]
    >>> catalogue("A100").loc["memory_gb", ["value", "unit"]].tolist()
    [80, 'GB']
    >>> list(catalogue(kind="asic")["name"])[:2]
    ['Google TPU v4', 'Cambricon MLU370-X8']
    """
    import pandas as pd

    if chip is None:
        if kind is not None and (not isinstance(kind, str) or kind.strip().lower() not in CHIP_KINDS):
            raise UnknownNameError("kind", kind, sorted(CHIP_KINDS))
        records = _catalogue.to_records(sources)
        if kind is not None:
            wanted = kind.strip().lower()
            records = [r for r in records if r["kind"] == wanted]
        frame = pd.DataFrame(records)
        if frame.empty:
            return frame
        return frame.set_index("key")
    c = _catalogue.get(chip)
    units = _catalogue.units()
    rows = []
    for f in _catalogue.fields():
        if f not in c.values and f not in c.unpublished:
            continue
        try:
            v = _catalogue.value(c, f)
        except SuanliError:
            v = None
        rows.append({"field": f, "value": v, "unit": units[f], "source": _catalogue.source(c, f),
                     "note": _catalogue.note(c, f)})
    # object columns: a field's value keeps its own type (80 stays an int beside a float or a text)
    frame = pd.DataFrame(rows, columns=["field", "value", "unit", "source", "note"], dtype=object).set_index("field")
    frame.attrs.update(key=c.key, name=c.name, name_zh=c.name_zh, kind=c.kind, tables=list(c.tables),
                       outside=c.outside)
    return frame


def sweep(output: str, ranges: Mapping[str, Range | Sequence[float]], *,
          scenario: str | PathLike | Scenario | None = None,
          overrides: Mapping[str, object] | None = None) -> SweepResult:
    """One output row over a grid of input values, all grid points in one pass.

    ``output`` is ``"EXHIBIT.ROW"`` (``"fig49.a100_total"``, ``"chain.cards"``: the keys of
    ``table(EXHIBIT).to_frame()``).  ``ranges`` maps each swept input to its values, in the
    input's base unit and applied to every column: a sequence (``[0.2, 0.3, 0.4]``) or a
    :class:`Range` (``Range(0.2, 0.5, 0.05)``: 0.2 to 0.5 by 0.05, 0.5 included).  Two or more
    inputs make the cartesian grid (the first varies slowest), at most 1,000,000 points.
    ``overrides`` holds other inputs at values; ``scenario`` is the base, a name or a scenario
    file (default: the exhibit's, with the report's errata corrected: ``csc-2023-corrected``).

    Returns a :class:`SweepResult`: ``to_frame()`` is a DataFrame with one row per grid point
    (indexed by the swept values) and one column per column of the exhibit, in the output's
    display unit; ``grid``, ``values`` the same as arrays; ``fixed`` the other inputs the output
    depends on, as held; ``unused`` swept inputs it does not depend on.

    Fig49's A100 count is inversely proportional to the training utilisation: 0.3 gives the
    printed 3,459.04 万张 in 2027E, 0.2 gives half as much again:

    >>> r = sweep("fig49.a100_total", {"train_utilization": [0.2, 0.3, 0.4]})
    >>> r.to_frame()["2027E"].round(2).tolist()
    [5188.56, 3459.04, 2594.28]
    >>> sweep("chain.cards", {"train_utilization": Range(0.2, 0.4, 0.1),
    ...                       "chain_share_h100_sxm": [0, 0.5]}).to_frame()["2027E"].round(1)
    train_utilization  chain_share_h100_sxm
    0.2                0.0                 8675.7
                       0.5                 5705.0
    0.3                0.0                 6946.2
                       0.5                 4567.7
    0.4                0.0                 6081.5
                       0.5                 3999.0
    Name: 2027E, dtype: float64
    """
    return _sweep(output, ranges, scenario=_resolve(scenario), overrides=overrides)


def sensitivity(output: str, *, column: str | int | None = None, delta: float = 0.1,
                scenario: str | PathLike | Scenario | None = None,
                overrides: Mapping[str, object] | None = None) -> SensitivityResult:
    """Every numeric input the output row depends on, moved by -``delta`` and +``delta``
    (relative: 0.1 is ±10%, in every column at once), ranked by the swing of the output at
    ``column`` (a label such as ``"2025E"`` or an index; default the last column).  The inputs
    are found by tracing what the evaluation reads; all 2K+1 scenarios are one pass.  A move
    that leaves an input's accepted range is clipped to the bound and noted.  ``scenario`` is the
    base, a name or a scenario file (default: the exhibit's, with the report's errata corrected:
    ``csc-2023-corrected``).

    Returns a :class:`SensitivityResult`: ``to_frame()`` is a DataFrame indexed by input key,
    largest swing first, with the input's ``unit``, its ``base``, ``low`` and ``high`` values
    (base unit), ``output_low``, ``output_high`` and ``swing`` (the output's display unit),
    ``swing_pct`` (the swing as a percentage of the base output) and ``notes``;
    ``base_output`` is the output in the scenario as it is.

    Fig49's A100 count in 2027E (3,459.04 万张) is inversely proportional to the training days,
    the utilisation and the A100's FP16 throughput: each swings it from 3,459.04/0.9 to
    3,459.04/1.1:

    >>> s = sensitivity("fig49.a100_total")
    >>> round(s.base_output, 2)
    3459.04
    >>> s.to_frame()[["output_low", "output_high", "swing"]].head(4).round(2)
                                 output_low  output_high   swing
    input
    train_days                      3843.38      3144.58  698.80
    train_utilization               3843.38      3144.58  698.80
    a100_fp16_tflops                3843.38      3144.58  698.80
    train_flops_per_param_token     3113.13      3804.94  691.81
    """
    return _sensitivity(output, column=column, delta=delta, scenario=_resolve(scenario), overrides=overrides)


def montecarlo(output: str | None, distributions: Mapping[str, Distribution], *, n: int = 100_000,
               seed: int | None = None, exhibit: str | None = None,
               scenario: str | PathLike | Scenario | None = None,
               overrides: Mapping[str, object] | None = None) -> MonteCarloResult:
    """Inputs drawn from distributions, ``n`` times, and every row of an exhibit evaluated on all
    draws at once: P5, P50, P95 and the mean of every row and column.

    ``distributions`` maps input keys to :class:`Triangular` ``(low, mode, high)``,
    :class:`Uniform` ``(low, high)`` or :class:`Normal` ``(mean, sd)``, in the input's base unit
    and applied to every column; ``factor=True`` draws a factor on the scenario's value instead
    (``Uniform(0.8, 1.2, factor=True)`` moves a whole per-year path by ±20%).  Draws are made
    in the order given by ``numpy.random.default_rng(seed)``: the same seed gives the same
    numbers; without one a seed is chosen and kept in the result.  Triangular and uniform draws
    outside an input's accepted range are refused; normal draws are clipped to it (at most 1%).

    ``output`` (``"EXHIBIT.ROW"``) is the row whose draws are kept (``output_values``, a
    histogram); ``exhibit`` the exhibit summarised (default: the output's; with no output,
    ``chain`` and its last row the draws reach).  ``scenario`` is the base (default: the
    exhibit's, with the report's errata corrected: ``csc-2023-corrected``).

    Returns a :class:`MonteCarloResult`: ``to_frame()`` is a DataFrame indexed by (row,
    statistic), with the row's display ``unit`` and one column per column of the exhibit;
    ``row(key)`` one row's statistics; ``draws`` the values drawn.

    The chain's card count in 2027E (万张) when the training utilisation is uncertain:

    >>> mc = montecarlo("chain.cards", {"train_utilization": Triangular(0.2, 0.3, 0.45)}, n=100_000, seed=7)
    >>> mc.to_frame().loc["cards", "2027E"].round(1)
    statistic
    P5      6040.4
    P50     6800.0
    P95     7890.4
    mean    6852.1
    Name: 2027E, dtype: float64
    """
    return _montecarlo(output, distributions, n=n, seed=seed, exhibit=exhibit, scenario=_resolve(scenario),
                       overrides=overrides)


def compare(scenarios: Sequence[str | PathLike | Scenario], exhibit: str | Sequence[str] = "chain"):
    """Exhibits evaluated in two or more scenarios, side by side, with each scenario's difference from
    the first, as a tidy pandas DataFrame (the numbers of the ``suanli compare`` workbook).

    ``scenarios`` are scenario names (see :func:`scenarios`), scenario files (``"house.toml"``:
    :func:`scenario`) or :class:`Scenario` objects, the first the one the others are compared with;
    ``exhibit`` an exhibit id or a list of them (default ``chain``, the chain from demand to
    data-centre energy).

    One row per exhibit row, column and scenario, with the columns ``exhibit``, ``row`` (the row
    key), ``label_en``, ``unit`` (the row's display unit), ``column`` (``2023E`` ...),
    ``scenario``, ``value`` (in the display unit, a % row in percent; None for a cell with no
    number), ``diff`` (the value minus the first scenario's, in the display unit, percentage
    points for a % row; 0 for the first scenario itself) and ``diff_pct`` (``diff`` as a % of the
    first scenario's value; None where that is 0 or not a number).  ``attrs["scenarios"]`` lists
    the scenarios in order.  ``frame.pivot(index="column", columns="scenario", values="value")``
    puts one row of it side by side.

    An unknown scenario or exhibit raises :class:`UnknownNameError` with the closest name as a
    suggestion; fewer than two scenarios :class:`AnalysisError`.

    The report's accelerators in 2027E, as printed and with its errata corrected (万张):

    >>> c = compare(["csc-2023", "csc-2023-corrected"], exhibit="chain")
    >>> cards = c[(c.row == "cards") & (c.column == "2027E")].set_index("scenario")
    >>> cards[["unit", "value", "diff", "diff_pct"]].round(1)
                       unit    value    diff  diff_pct
    scenario
    csc-2023             万张  15083.0     0.0       0.0
    csc-2023-corrected   万张   6946.2 -8136.8     -53.9
    >>> compare(["csc-2023"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    engine.analysis.AnalysisError: a comparison needs two or more scenarios (the first is the one the others ...
    """
    given = [str(s) if isinstance(s, PathLike) else s for s in scenarios] if isinstance(scenarios, (list, tuple)) \
        else scenarios                        # a scenario file as a Path, as the other functions take it
    return _comparison.compare(given, exhibit, resolve=_resolve).to_frame()
