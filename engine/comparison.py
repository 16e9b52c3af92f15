"""Scenarios side by side: exhibits evaluated in each scenario, with the differences against the first.

:func:`compare` evaluates every exhibit asked for (``chain`` by default: the whole chain from
demand to data-centre energy, suanli's headline) in every scenario, and keeps the
:class:`~engine.tables.Table` of each.  A :class:`Comparison` then gives, cell by cell, each
scenario's value in the row's display unit, its difference from the first scenario (``diff``,
in the row's unit; percentage points for a % row) and that difference relative to the first
scenario's value (``diff_pct``, in %), the inputs whose values differ between the scenarios
(:meth:`Comparison.inputs_that_differ`, which the workbook shows in their display units:
:func:`engine.formats.input_display`) and how each scenario treats the report's errata that have a
switch or an alternative scenario.  ``suanli compare`` writes it as a workbook, ``suanli.compare``
returns it as a DataFrame.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import errata as errata_mod
from . import exhibits as exhibits_mod
from . import scenarios, tables
from .analysis import AnalysisError
from .errors import InvalidTypeError
from .exhibit import Exhibit

__all__ = ["Comparison", "compare", "scenario_of", "HEADLINES", "MAX_HEADLINES", "FRAME_COLUMNS", "DEFAULT_EXHIBIT"]

#: The exhibit compared when none is named: the chain, demand to data-centre energy.
DEFAULT_EXHIBIT = "chain"

#: The rows a comparison charts, per exhibit: the outputs an analyst reads first.  An exhibit not
#: listed here charts its numeric rows that differ between the scenarios, at most :data:`MAX_HEADLINES`.
HEADLINES: dict[str, tuple[str, ...]] = {
    "chain": ("train_a100_eq", "infer_a100_eq", "cards", "server_market", "it_kw", "energy_kwh"),
    "fig49": ("a100_total", "h100_total"),
    "fig50": ("a100_cards", "h100_cards"),
    "cagr": ("train_cagr", "infer_cagr"),
    "fig7": ("market",),
    "fig8": ("market",),
    "fig51": ("cards",),
}
MAX_HEADLINES = 6

#: The columns of :meth:`Comparison.to_frame`, in order.
FRAME_COLUMNS = ("exhibit", "row", "label_en", "unit", "column", "scenario", "value", "diff", "diff_pct")


@dataclass(frozen=True)
class Comparison:
    """Exhibits evaluated in two or more scenarios.

    ``scenarios`` are in the order given, the first the one the others are compared with;
    ``names`` how each is called in the comparison (its name, or, when two share a name, the
    name as given); ``tables`` one :class:`~engine.tables.Table` per scenario for each exhibit id.
    """

    scenarios: tuple[scenarios.Scenario, ...]
    names: tuple[str, ...]
    tables: dict[str, tuple[tables.Table, ...]]

    @property
    def exhibits(self) -> list[Exhibit]:
        return [ts[0].exhibit for ts in self.tables.values()]

    @property
    def base(self) -> str:
        """The name of the first scenario, the one the differences are taken against."""
        return self.names[0]

    def columns(self, exhibit_id: str) -> tuple[str, ...]:
        return self.tables[exhibit_id][0].columns

    def value(self, exhibit_id: str, row: str, column: int, i: int):
        """Scenario ``i``'s cell in the row's display unit: a number, a text, or None (a cell with no
        number, or one waiting for an input the user must supply)."""
        return self.tables[exhibit_id][i].value(row, column)

    def shown(self, exhibit_id: str, row: str, column: int, i: int) -> str | None:
        """What scenario ``i``'s cell shows when it holds no value: ``needs KEY`` or its spreadsheet
        error (``#DIV/0!``); None when it holds one."""
        t = self.tables[exhibit_id][i]
        needs = t.result.needed(row, column)
        if needs:
            return "needs " + ", ".join(needs)
        error = t.error(row, column)
        return error.excel if error is not None else None

    def diff(self, exhibit_id: str, row: str, column: int, i: int) -> float | None:
        """Scenario ``i``'s value minus the first scenario's, in the row's display unit (percentage
        points for a % row); None unless both are numbers."""
        a, b = _number(self.value(exhibit_id, row, column, 0)), _number(self.value(exhibit_id, row, column, i))
        return None if a is None or b is None else b - a

    def diff_pct(self, exhibit_id: str, row: str, column: int, i: int) -> float | None:
        """:meth:`diff` as a percentage of the first scenario's value (of its size: a negative base
        keeps the sign of the change); None when that value is 0 or not a number."""
        d = self.diff(exhibit_id, row, column, i)
        a = _number(self.value(exhibit_id, row, column, 0))
        return None if d is None or not a else d / abs(a) * 100

    def differs(self, exhibit_id: str, row: str) -> bool:
        """True when some scenario's cell of ``row`` differs from the first scenario's."""
        t0 = self.tables[exhibit_id][0]
        first = [(v, self.shown(exhibit_id, row, j, 0)) for j, v in enumerate(t0.values(row))]
        return any((v, self.shown(exhibit_id, row, j, i)) != first[j]
                   for i, t in enumerate(self.tables[exhibit_id][1:], start=1) for j, v in enumerate(t.values(row)))

    def headline_rows(self, exhibit_id: str) -> tuple[str, ...]:
        """The rows charted for an exhibit: :data:`HEADLINES`, or its numeric rows that differ (at most
        :data:`MAX_HEADLINES`; its first numeric row when none differs)."""
        if exhibit_id in HEADLINES:
            return HEADLINES[exhibit_id]
        numeric = [r.key for r in self.tables[exhibit_id][0].exhibit.rows if r.unit != "text"]
        differing = [k for k in numeric if self.differs(exhibit_id, k)]
        return tuple((differing or numeric[:1])[:MAX_HEADLINES])

    def inputs_that_differ(self) -> list[str]:
        """The input keys whose values are not the same in every scenario, in the schema's order."""
        first = self.scenarios[0].values
        return [k for k in scenarios.schema() if any(not _same(sc.values[k], first[k]) for sc in self.scenarios[1:])]

    def errata(self) -> list[errata_mod.Erratum]:
        """The report's errata a scenario can treat differently: those with a switch or an alternative
        scenario (:meth:`status` says how each scenario treats them)."""
        return [e for e in errata_mod.all_errata() if e.switch or e.alternative]

    def status(self, erratum: errata_mod.Erratum, i: int) -> str:
        """How scenario ``i`` treats ``erratum``: as printed, corrected, alternative applied, table value."""
        return erratum.status(self.scenarios[i])

    def to_frame(self):
        """The comparison as a tidy pandas DataFrame: one row per exhibit row, column and scenario.

        Columns (:data:`FRAME_COLUMNS`): ``exhibit`` (its id), ``row`` (the row key), ``label_en``,
        ``unit`` (the row's display unit), ``column`` (``2023E`` ...), ``scenario`` (its name),
        ``value`` (in the display unit, a % row in percent; None for a cell with no number),
        ``diff`` (the value minus the first scenario's, in the display unit: percentage points for a
        % row; 0 for the first scenario) and ``diff_pct`` (``diff`` as a % of the first scenario's
        value; None when that is 0 or not a number).  Exhibits, rows, columns and scenarios are in
        their own order; ``attrs["scenarios"]`` lists the scenarios, the first being the base.
        """
        import pandas as pd

        records = []
        for ex_id, ts in self.tables.items():
            ex = ts[0].exhibit
            for r in ex.rows:
                for j, column in enumerate(ts[0].columns):
                    for i, name in enumerate(self.names):
                        records.append((ex.id, r.key, r.label_en, r.unit, column, name,
                                        self.value(ex_id, r.key, j, i), self.diff(ex_id, r.key, j, i),
                                        self.diff_pct(ex_id, r.key, j, i)))
        frame = pd.DataFrame.from_records(records, columns=list(FRAME_COLUMNS))
        frame.attrs["scenarios"] = list(self.names)
        frame.attrs["exhibits"] = list(self.tables)
        return frame


def compare(scenario_list: Sequence[str | scenarios.Scenario],
            exhibit_ids: str | Sequence[str] = DEFAULT_EXHIBIT, *,
            resolve: Callable[[str], scenarios.Scenario] = scenarios.load) -> Comparison:
    """Evaluate each exhibit of ``exhibit_ids`` (an id, or several) in every scenario of
    ``scenario_list`` (two or more: names, or :class:`~engine.scenarios.Scenario` objects; the first
    is the one the others are compared with).  ``resolve`` turns a name into a scenario: a packaged
    one by default; :func:`suanli.scenariofiles.resolve` (which the command line and
    :func:`suanli.compare` give) reads a scenario file too, as the engine reads no file.

    An unknown scenario or exhibit raises :class:`~engine.errors.UnknownNameError` with the
    closest name as a suggestion; fewer than two scenarios, or one given twice,
    :class:`~engine.analysis.AnalysisError` naming ``scenarios``.
    """
    if isinstance(scenario_list, (str, scenarios.Scenario)) or not isinstance(scenario_list, Sequence):
        raise InvalidTypeError("scenarios", scenario_list, "must be a list of two or more scenario names, "
                                                           "e.g. ['csc-2023', 'csc-2023-corrected']")
    if len(scenario_list) < 2:
        given = ", ".join(_given(s) for s in scenario_list) or "none"
        raise AnalysisError("scenarios", f"a comparison needs two or more scenarios (the first is the one the "
                                         f"others are compared with), got {len(scenario_list)}: {given}")
    loaded = tuple(scenario_of(s, resolve) for s in scenario_list)
    names = _names(scenario_list, loaded)
    ids = [exhibit_ids] if isinstance(exhibit_ids, str) else list(exhibit_ids)
    if not ids:
        raise AnalysisError("exhibits", "a comparison needs an exhibit (see `suanli tables`), got none")
    found: dict[str, tuple[tables.Table, ...]] = {}
    for ex_id in ids:
        if not isinstance(ex_id, str):
            raise InvalidTypeError("exhibit", ex_id, "must be an exhibit id such as chain or fig49")
        ex = exhibits_mod.get(ex_id)
        if ex.id not in found:
            found[ex.id] = tuple(tables.table(ex.id, sc) for sc in loaded)
    return Comparison(loaded, names, found)


def scenario_of(spec: str | scenarios.Scenario,
                resolve: Callable[[str], scenarios.Scenario] = scenarios.load) -> scenarios.Scenario:
    """A scenario from what the caller gave: the one place a comparison turns a name (or, with the
    resolver of :mod:`suanli.scenariofiles`, a scenario file's path) into a scenario."""
    if isinstance(spec, scenarios.Scenario):
        if spec.size is not None:
            raise AnalysisError("scenarios", f"scenario {spec.name} holds a scenario axis of {spec.size} values; "
                                             "a comparison takes scenarios of one value per input")
        return spec
    if not isinstance(spec, str):
        raise InvalidTypeError("scenarios", spec, "must be scenario names (text) or Scenario objects")
    return resolve(spec.strip())


def _given(spec) -> str:
    return spec.name if isinstance(spec, scenarios.Scenario) else str(spec)


def _names(given: Sequence, loaded: Sequence[scenarios.Scenario]) -> tuple[str, ...]:
    """Each scenario's name in the comparison: its own; when an earlier one has it, the name as given
    (a file's path), else the name and its place in the list (``house (3)``).  The same name given
    twice is refused."""
    texts = [g.strip() for g in given if isinstance(g, str)]
    for t in texts:
        if texts.count(t) > 1:
            raise AnalysisError("scenarios", f"scenario {t} is given twice; compare different scenarios")
    names: list[str] = []
    for i, (g, sc) in enumerate(zip(given, loaded, strict=True)):
        name = sc.name
        if name in names:
            name = g.strip() if isinstance(g, str) and g.strip() not in names else f"{sc.name} ({i + 1})"
        names.append(name)
    return tuple(names)


def _number(v) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return None
    return float(v)


def _same(a, b) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b
