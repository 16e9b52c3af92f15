"""Exhibits as tables: evaluate one for a scenario and show it in the report's units.

:func:`table` is the engine's front door: ``table("fig49", "csc-2023")`` returns a
:class:`Table` whose cells are in the report's display units (万张, PFLOPS, %), with the
errata that concern it and how the scenario treats each.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import errata as errata_mod
from . import exhibits, scenarios
from .exhibit import CellError, Exhibit, Result, Row, evaluate, needs_text
from .ops import round_half_up

__all__ = ["Table", "table", "format_value"]


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
        """The JSON form: id, titles, scenario, its provenance (name, base chain, hash of its values,
        file and overrides: :meth:`~engine.scenarios.Scenario.provenance`), columns, rows (display
        units) and errata.

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
            "scenario": self.scenario.name, "provenance": self.scenario.provenance(),
            "source": self.exhibit.source, "columns": list(self.columns),
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

    Without a scenario, the exhibit's own default (``csc-2023`` for the CSC report's tables).
    """
    exhibit = exhibits.get(exhibit_id)
    if scenario is None:
        scenario = exhibit.default_scenario
    sc = scenarios.load(scenario, overrides) if isinstance(scenario, str) else (
        scenario.with_values(overrides) if overrides else scenario)
    return Table(exhibit, evaluate(exhibit, sc, exhibits.get), sc)


def format_value(row: Row, value) -> str:
    """A display value as text at the row's printed precision (half-up, like Excel's ROUND)."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        return f"[{value.size} values]"
    if not math.isfinite(value):
        return str(value)
    if row.sig is not None:
        if value == 0:
            return "0"
        exponent = math.floor(math.log10(abs(value)))
        mantissa = round_half_up(value / 10 ** exponent, row.sig - 1)
        if abs(mantissa) >= 10:
            mantissa, exponent = mantissa / 10, exponent + 1
        if -3 <= exponent < 6:
            return f"{mantissa * 10 ** exponent:,.{max(row.sig - 1 - exponent, 0)}f}"
        return f"{mantissa:.{row.sig - 1}f}E{exponent:+d}"
    if row.unit == "year":
        return f"{round_half_up(value, 0):.0f}"
    if row.decimals is not None:
        text = f"{round_half_up(value, row.decimals):,.{row.decimals}f}"
    else:
        text = f"{value:,.10g}" if abs(value) < 1e15 else f"{value:.6g}"
    return text + ("%" if row.unit == "%" else "")


def _plain(v):
    """A value as JSON holds it: a list for an array; None for a number that is not finite."""
    if isinstance(v, np.ndarray):
        return [_plain(x) for x in v.tolist()]
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v
