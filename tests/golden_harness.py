"""The golden-test harness: the checks of tests/test_golden.py, and the exhibit helpers the other
tests share (cached tables, formula rendering, the inputs an exhibit reads).

A printed cell is transcribed as a string that carries its precision ("87.18", "9.0×10^9",
"20.00%", "-" for a blank cell, "_" for one the report does not print in that column); the
engine's value is rounded half-up at that precision and compared.  A failure reads like
"fig49 A100 需求总量（万张）（只考虑 A100 的情况下） 2026E: printed 2079.30, got 2079.29".

The transcriptions are package data (engine/data/printed/*.toml, read by engine.printed), the
same the template workbooks show beside the computed values; :func:`golden` gathers one file's or all.
"""

from __future__ import annotations

import re

import pytest

from engine import errata, exhibits, printed, scenarios, table
from engine.exhibit import Context, Resolver, evaluate
from engine.ops import Formula, ref, round_half_up
from engine.printed import parse as parse_printed  # noqa: F401 - the tests' name for it

from excel_oracle import evaluate as excel


def golden(source: str | None = None, kind: str = "cells") -> dict:
    """One data file's transcriptions (every file's without ``source``): exhibit -> row key ->
    (label or None, cells).

    ``kind`` "cells" (printed), "derived" (the checks the report leaves out) or "text"."""
    read = {"cells": printed.cells, "derived": printed.derived, "text": printed.texts}[kind]
    return {ex_id: read(ex_id) for ex_id in printed.exhibits(source, kind)}


def shown(value: float, decimals: int, exponent: int) -> float:
    """A display value as printed at ``decimals`` (after dividing by 10^exponent)."""
    return round_half_up(value / 10 ** exponent, decimals)


_TABLES: dict[tuple, object] = {}


def cached_table(ex_id, scenario=None):
    key = (ex_id, scenario)
    if key not in _TABLES:
        _TABLES[key] = table(ex_id, scenario)
    return _TABLES[key]


def cell_params(cells: dict, labelled: bool = True):
    """pytest params (exhibit, row, label, column, cell) for every transcribed cell but "_".

    ``cells``: exhibit -> row key -> (label, cells) as :func:`golden` gives, or -> cells alone
    with ``labelled=False``."""
    for ex_id, rows in cells.items():
        columns = cached_table(ex_id).columns
        for key, entry in rows.items():
            label, printed = entry if labelled else (None, entry)
            cells = printed.split()
            assert len(cells) == len(columns), f"{ex_id} {key}: {len(cells)} cells for {len(columns)} columns"
            for col, cell in zip(columns, cells, strict=True):
                if cell != "_":
                    yield pytest.param(ex_id, key, label, col, cell, id=f"{ex_id}-{key}-{col}")


def check_cell(ex_id, key, label, column, printed, scenario=None):
    t = cached_table(ex_id, scenario)
    got = t.value(key, column)
    where = f"{ex_id} {label or t.exhibit.row(key).label_en} {column}"
    expected = parse_printed(printed)
    if expected is None:
        assert got is None, f"{where}: printed blank, got {got}"
        return
    value, decimals, exponent = expected
    assert got is not None, f"{where}: printed {printed}, got a blank cell"
    got_shown = shown(got, decimals, exponent)
    assert got_shown == pytest.approx(value, abs=10 ** -(decimals + 6)), \
        f"{where}: printed {printed}, got {got_shown:.{decimals}f}" + (f"×10^{exponent}" if exponent else "")


def check_deviation(where, expected):
    ex_id, key, column = where
    printed, erratum_id, consistent = expected
    e = errata.get(erratum_id)
    assert ex_id in e.exhibits and erratum_id in exhibits.get(ex_id).errata
    assert printed.rstrip("%") in e.printed and consistent.rstrip("%") in e.consistent
    got = cached_table(ex_id).value(key, column)
    value, decimals, exponent = parse_printed(consistent)
    assert shown(got, decimals, exponent) == pytest.approx(value, abs=10 ** -(decimals + 6))
    value, decimals, exponent = parse_printed(printed)
    assert shown(got, decimals, exponent) != pytest.approx(value, abs=10 ** -(decimals + 6)), \
        "the report's value now reproduces: drop the erratum"


def labelled_rows_are_checked(ex_id, cells, deviations):
    exhibit = exhibits.get(ex_id)
    labelled = {r.key for r in exhibit.rows if r.label_zh is not None and r.unit != "text"}
    deviating = {key for (e, key, _) in deviations if e == ex_id}
    missing = labelled - set(cells.get(ex_id, {})) - deviating
    assert not missing, f"{ex_id}: rows with the report's label but no golden cells: {missing}"


class Cells(Resolver):
    """Every input and row as a named cell, as a workbook renderer supplies them."""

    def __init__(self, columns):
        self.cols = columns

    def columns(self, exhibit):
        return self.cols

    def input(self, key, exhibit, col):
        return ref(f"in_{key}_{col}")

    def row(self, exhibit, key, col):
        return ref(cell_name(exhibit.id, key, col))

    def other(self, exhibit_id, key, column):  # pragma: no cover - these exhibits read no other
        raise AssertionError("unexpected cross-exhibit reference")


def cell_name(ex_id, key, col):
    return re.sub(r"\W", "_", f"row_{ex_id}_{key}_{col}")


def check_rendering(ex_id):
    """Each formula row, given its inputs and earlier rows as cells, builds a formula giving the cell."""
    numeric = cached_table(ex_id)
    exhibit, sc = numeric.exhibit, numeric.scenario
    cells = Cells(numeric.columns)
    rendered = 0
    for col, label in enumerate(numeric.columns):
        names = {}
        for key in sc.values:
            if sc.has_column(key, label):
                v = sc.at(key, label)
                if isinstance(v, float):
                    names[f"in_{key}_{col}"] = v
        for c2 in range(len(numeric.columns)):
            for row in exhibit.rows:
                value = numeric.result.base(row.key, c2)
                if isinstance(value, float):
                    names[cell_name(ex_id, row.key, c2)] = value
        for row in exhibit.rows:
            expected = numeric.result.base(row.key, col)
            if row.text is not None or row.input is not None or expected is None:
                continue
            symbolic = row.formula(Context(cells, exhibit, col))
            assert isinstance(symbolic, Formula), f"{ex_id} {row.key} {label}: not a formula"
            got = excel(str(symbolic), names)
            assert got == pytest.approx(expected, rel=1e-9), f"{ex_id} {row.key} {label}: {symbolic}"
            rendered += 1
    return rendered


def inputs_read(exhibit, scenario_name=None) -> set[str]:
    sc = scenarios.Tracing(scenarios.load(scenario_name or exhibit.default_scenario))
    evaluate(exhibit, sc, exhibits.get)
    return sc.seen


def module_exhibits(module: str):
    return [e for e in exhibits.all_exhibits() if _module_of(e) == module]


def _module_of(exhibit):
    import importlib
    import pkgutil

    for m in pkgutil.iter_modules(exhibits.__path__):
        mod = importlib.import_module(f"{exhibits.__name__}.{m.name}")
        if exhibit in getattr(mod, "EXHIBITS", ()):
            return mod.__name__
    return None
