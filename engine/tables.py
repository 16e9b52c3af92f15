"""Exhibits as tables: evaluate one for a scenario and show it in the report's units.

:func:`table` is the engine's front door: ``table("fig49", "csc-2023")`` returns a
:class:`Table` whose cells are in the report's display units (万张, PFLOPS, %), with the
errata that concern it and how the scenario treats each.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import errata as errata_mod
from . import exhibits, formats, scenarios
from .exhibit import CellError, Exhibit, Result, Row, evaluate, needs_text
from .units import short_number

__all__ = ["Table", "table", "format_value", "CORRECTED", "work_scenario", "errata_switches", "scenario_record",
           "scenario_line", "plain_number", "exhibit_inputs", "find_inputs"]

#: Each report scenario's counterpart with its computational errata corrected.  The report's own
#: exhibits default to the report as printed (that is what reproducing it means); everything suanli
#: builds on top (the chain exhibit, sweeps, sensitivity, Monte Carlo, batches) starts from the
#: counterpart, so that a known error is not carried into new work.  A scenario without one
#: (``ai-server-2023``) is its own.
CORRECTED = {"csc-2023": "csc-2023-corrected"}


@dataclass(repr=False)
class Table:
    """An evaluated exhibit: the exhibit, its numeric result and the scenario it came from."""

    exhibit: Exhibit
    result: Result
    scenario: scenarios.Scenario

    def __repr__(self) -> str:
        """The exhibit's id, title and scenario, then its rows (unit and values, display units)."""
        frame = self.to_frame().drop(columns=["label_zh", "label_en"])
        return f"{self.exhibit.id} {self.exhibit.title_en}; scenario {self.scenario.name}\n{frame.to_string()}"

    @property
    def columns(self) -> tuple[str, ...]:
        return self.result.columns

    def value(self, row_key: str, column: str | int):
        """One cell in the report's display unit (a percentage for % rows); None if blank or an
        error (:meth:`error` says which)."""
        return self.result.display(row_key, column)

    def error(self, row_key: str, column: str | int) -> CellError | None:
        """The spreadsheet error a cell shows (``#DIV/0!``, ``#NUM!``) and why, or None."""
        return self.result.error(row_key, column)

    def errors(self) -> list[tuple[str, str, CellError]]:
        """Every error cell as (row key, column, error), in the table's order."""
        return [(r.key, c, self.result.errors[(r.key, i)]) for r in self.exhibit.rows
                for i, c in enumerate(self.columns) if (r.key, i) in self.result.errors]

    def values(self, row_key: str) -> list:
        return [self.value(row_key, i) for i in range(len(self.columns))]

    def errata(self) -> list[errata_mod.Erratum]:
        """The errata that concern this exhibit: those naming it, and those it names."""
        named = {e.id: e for e in errata_mod.for_exhibit(self.exhibit.id)}
        for eid in self.exhibit.errata:
            named.setdefault(eid, errata_mod.get(eid))
        return [named[k] for k in sorted(named)]

    def to_dict(self) -> dict:
        """The JSON form: id, titles, scenario (:func:`scenario_record`: its name, base chain,
        values hash, file, the errata switches in force and the inputs set on top), columns, rows
        (display units) and errata.

        Numbers are at full precision without float noise (:func:`plain_number`: 20, not
        19.999999999999996; 5, not 5.0).

        Every value is a finite number, text or None: a cell with no number is None, and its row's
        ``errors`` holds, column by column, what the cell shows and why (``#DIV/0! CAGR from a
        zero start is undefined (with std_vendors=0)``), like ``needs`` for cells waiting for an input.
        """
        rows = []
        for row in self.exhibit.rows:
            entry = {
                "key": row.key, "label_zh": row.label_zh, "label_en": row.label_en,
                "unit": row.unit, "values": [_plain(v) for v in self.values(row.key)],
            }
            entry["reads"] = self.result.traced(row.key)
            needs = [list(self.result.needed(row.key, i)) for i in range(len(self.columns))]
            if any(needs):
                entry["needs"] = [n or None for n in needs]
            errors = [self.result.error(row.key, i) for i in range(len(self.columns))]
            if any(errors):
                entry["errors"] = [None if e is None else str(e) for e in errors]
            rows.append(entry)
        return {
            "id": self.exhibit.id, "title_en": self.exhibit.title_en, "title_zh": self.exhibit.title_zh,
            "scenario": scenario_record(self.scenario), "source": self.exhibit.source,
            "columns": list(self.columns),
            "rows": rows, "errata": [e.to_dict(self.scenario) for e in self.errata()],
            "note": self.exhibit.note,
        }

    def to_frame(self):
        """A pandas DataFrame: one row per exhibit row (indexed by key), one column per column."""
        import pandas as pd

        data = {col: [self.value(r.key, i) for r in self.exhibit.rows] for i, col in enumerate(self.columns)}
        frame = pd.DataFrame(data, index=[r.key for r in self.exhibit.rows])
        frame.insert(0, "unit", [r.unit for r in self.exhibit.rows])
        frame.insert(0, "label_en", [r.label_en for r in self.exhibit.rows])
        frame.insert(0, "label_zh", [r.label_zh for r in self.exhibit.rows])
        return frame

    def formatted(self, row_key: str) -> list[str]:
        """A row's cells as the report prints them (its decimals or significant figures).

        A cell waiting for an input the user must supply reads "needs KEY"; a cell with no number
        the spreadsheet error it shows (``#DIV/0!``, ``#NUM!``).
        """
        row = self.exhibit.row(row_key)
        out = []
        for i, v in enumerate(self.values(row_key)):
            needs = self.result.needed(row_key, i)
            error = self.result.error(row_key, i)
            out.append(needs_text(needs) if needs else error.excel if error else format_value(row, v))
        return out


def table(exhibit_id: str, scenario: str | scenarios.Scenario | None = None,
          overrides: Mapping[str, object] | None = None) -> Table:
    """Evaluate exhibit ``exhibit_id`` for a scenario (a name or a :class:`Scenario`), with overrides.

    Without a scenario, the exhibit's own default: ``csc-2023`` (the report as printed) for the CSC
    report's tables, ``csc-2023-corrected`` for suanli's own chain exhibit (:data:`CORRECTED`).
    """
    exhibit = exhibits.get(exhibit_id)
    if scenario is None:
        scenario = exhibit.default_scenario
    sc = scenarios.load(scenario, overrides) if isinstance(scenario, str) else (
        scenario.with_values(overrides) if overrides else scenario)
    return Table(exhibit, evaluate(exhibit, sc, exhibits.get), sc)


def format_value(row: Row, value) -> str:
    """A display value as text, exactly as the row's cells show it in a workbook: the number format of the
    row's unit at its printed decimals or significant figures (:func:`engine.formats.format_value`, one
    format per unit for the command line and the workbooks; half-up, like Excel's ROUND)."""
    if isinstance(value, np.ndarray):
        return f"[{value.size} values]"
    return formats.format_value(value, row.unit, row.decimals, row.sig)


def _plain(v):
    """A value as JSON holds it: a list for an array; None for a number that is not finite; a number
    without float noise (:func:`plain_number`)."""
    if isinstance(v, (np.ndarray, tuple, list)):
        return [_plain(x) for x in (v.tolist() if isinstance(v, np.ndarray) else v)]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        return plain_number(v) if math.isfinite(v) else None
    return v


def plain_number(value: float) -> float | int:
    """``value`` at full precision without float noise: rounded to 15 significant digits (all a
    double holds for certain), and a whole number as an int below 1e15.

    >>> plain_number(19.999999999999996), plain_number(5.0), plain_number(0.1 + 0.2), plain_number(2.5e20)
    (20, 5, 0.3, 2.5e+20)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"plain_number takes a number, got {type(value).__name__}")
    x = float(value)
    if not math.isfinite(x):
        return x
    x = float(f"{x:.15g}")
    return int(x) if x.is_integer() and abs(x) < 1e15 else x


# ------------------------------------------------------------------- scenarios as outputs name them
def work_scenario(exhibit: str | Exhibit) -> str:
    """The scenario new work on ``exhibit`` starts from by default (an analysis, a batch): the
    corrected counterpart of the exhibit's own scenario (:data:`CORRECTED`).

    >>> work_scenario("fig49"), work_scenario("chain"), work_scenario("s001_global_market")
    ('csc-2023-corrected', 'csc-2023-corrected', 'ai-server-2023')
    """
    ex = exhibit if isinstance(exhibit, Exhibit) else exhibits.get(exhibit)
    return CORRECTED.get(ex.default_scenario, ex.default_scenario)


def errata_switches(sc: scenarios.Scenario) -> list[tuple[str, str, bool]]:
    """The errata switches of a scenario: (erratum id, switch input, on), in erratum order.  On
    means the report's printed behaviour is in force; off, the erratum is corrected."""
    out = []
    for e in errata_mod.all_errata():
        if e.switch and e.switch in sc.values:
            value = sc.values[e.switch]
            out.append((e.id, e.switch, bool(value[0] if isinstance(value, tuple) else value)))
    return out


def scenario_record(sc: scenarios.Scenario) -> dict:
    """What an output records of its scenario, which says which values made it: ``name``,
    ``title``, ``base`` (its base scenarios, nearest first), ``hash`` (of every input value:
    :attr:`~engine.scenarios.Scenario.fingerprint`) and ``file`` (the scenario file it was read
    from, or None), as :meth:`~engine.scenarios.Scenario.provenance` gives them (and the batch
    manifest records its base); then ``switches`` (every erratum switch and its value: true is the
    report as printed), ``as_printed`` and ``corrected`` (the errata ids each way) and
    ``overrides`` (inputs set on top of the named scenario, checked values in base units).

    >>> r = scenario_record(scenarios.load("csc-2023-corrected"))
    >>> r["name"], r["base"], r["switches"]["fig50_util_applied_twice"], r["as_printed"], r["corrected"][:3]
    ('csc-2023-corrected', ['csc-2023'], False, [], ['E01', 'E02', 'E05'])
    """
    switches = errata_switches(sc)
    made = sc.provenance()
    return {
        "name": made["name"], "title": sc.title, "base": made["base"], "hash": made["hash"], "file": made.get("file"),
        "switches": {key: on for _, key, on in switches},
        "as_printed": [eid for eid, _, on in switches if on],
        "corrected": [eid for eid, _, on in switches if not on],
        "overrides": {k: _plain(sc.values[k]) for k in sc.overrides if k in sc.values},
    }


def scenario_line(sc: scenarios.Scenario) -> str:
    """The scenario in one line, as every output's header names it: its name (and the file it was
    read from), what was set on top, then the errata switched each way.

    >>> scenario_line(scenarios.load("csc-2023"))
    'scenario: csc-2023; errata as printed: E01 E02 E05 E06 E13 E19'
    >>> scenario_line(scenarios.load("csc-2023", {"fig50_util_applied_twice": False}))
    'scenario: csc-2023 (with fig50_util_applied_twice=FALSE); errata as printed: E02 E05 E06 E13 E19; corrected: E01'
    """
    switches = errata_switches(sc)
    text = f"scenario: {sc.name}" + (f" ({sc.source})" if sc.source else "")
    if sc.overrides:
        text += " (with " + ", ".join(f"{k}={_override_text(sc, k)}" for k in sc.overrides) + ")"
    on = [eid for eid, _, v in switches if v]
    off = [eid for eid, _, v in switches if not v]
    parts = ([f"errata as printed: {' '.join(on)}"] if on else []) + \
        ([f"{'' if on else 'errata '}corrected: {' '.join(off)}"] if off else [])
    return "; ".join([text, *parts])


def _override_text(sc: scenarios.Scenario, key: str) -> str:
    spec = scenarios.schema().get(key)
    value = sc.values.get(key)
    if spec is not None and spec.is_switch:
        v = value[0] if isinstance(value, tuple) else value
        return "TRUE" if v else "FALSE"
    if isinstance(value, tuple):
        if all(_number_text(x) == _number_text(value[0]) for x in value):
            return _number_text(value[0])
        return ",".join(_number_text(x) for x in value)
    return _number_text(value)


def _number_text(v) -> str:
    if isinstance(v, np.ndarray):
        return f"[{v.size} values]"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return short_number(v) if math.isfinite(v) else str(v)      # as the cells' notes say it: 1e308, 0.45
    return str(v)


def find_inputs(exhibit_id: str | None = None, search: str | Sequence[str] | None = None,
                scenario: str | scenarios.Scenario | None = None) -> list[str]:
    """Input keys in the schema's order: all, or those ``exhibit_id`` reads (:func:`exhibit_inputs`);
    then only those whose key or label contains every word of ``search`` (any case).

    >>> find_inputs("fig49", "util")
    ['train_utilization']
    """
    keys = exhibit_inputs(exhibit_id, scenario) if exhibit_id is not None else list(scenarios.schema())
    words = search.split() if isinstance(search, str) else [w for text in (search or ()) for w in str(text).split()]
    schema = scenarios.schema()
    for word in (w.lower() for w in words):
        keys = [k for k in keys if word in k.lower() or word in schema[k].label.lower()]
    return keys


def exhibit_inputs(exhibit_id: str, scenario: str | scenarios.Scenario | None = None) -> list[str]:
    """The input keys an exhibit reads, directly or through the exhibits it reads (the chain reads
    fig49's), in the schema's order.

    >>> exhibit_inputs("fig43")[:3]
    ['llm_params', 'infer_bytes_per_param', 'infer_intermediate_multiplier']
    """
    exhibit = exhibits.get(exhibit_id)
    if scenario is None:
        scenario = exhibit.default_scenario
    sc = scenarios.load(scenario) if isinstance(scenario, str) else scenario
    tracing = scenarios.Tracing(sc)
    evaluate(exhibit, tracing, exhibits.get)
    return [k for k in scenarios.schema() if k in tracing.seen]
