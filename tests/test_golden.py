"""Golden tests: every number the reports print that suanli reproduces, one case per cell, at its
printed precision.

The transcriptions are package data, engine/data/printed/*.toml (read by engine.printed), the
same the template workbooks show beside the computed values: one file per source (seed000,
passages, seed001, network, export_control), each holding

* printed cells, compared at the precision printed;
* derived cells: the consistency checks the report leaves out, compared the same way;
* text cells, compared as strings;
* deviations: printed values that do not follow from the report's other numbers, each a named
  erratum whose consistent value the engine gives;
* corrected cells: the consistent values an erratum's switch gives when turned off.

Beside them, completeness: every row carrying the report's label has its cells transcribed, and
every transcribed label is the exhibit's.

A failure reads like "fig49 A100 需求总量（万张）（只考虑 A100 的情况下） 2026E: printed 2079.30, got 2079.29".
"""

from __future__ import annotations

import pytest

from engine import errata, exhibits, printed, table
from engine.ops import round_half_up

from golden_harness import (
    cached_table,
    cell_params,
    check_cell,
    check_deviation,
    golden,
    labelled_rows_are_checked,
    module_exhibits,
    parse_printed,
    shown,
)

CELLS, DERIVED, TEXT = golden(kind="cells"), golden(kind="derived"), golden(kind="text")
DEVIATIONS, CORRECTED = printed.deviations(), printed.corrected()


# ----------------------------------------------------------------------------------- cells
@pytest.mark.parametrize("ex_id, key, label, column, printed", list(cell_params(CELLS)))
def test_printed_cell_reproduces(ex_id, key, label, column, printed):
    check_cell(ex_id, key, label, column, printed)


@pytest.mark.parametrize("ex_id, key, label, column, printed", list(cell_params(DERIVED)))
def test_consistency_check_reproduces(ex_id, key, label, column, printed):
    check_cell(ex_id, key, label, column, printed)


def _text_params():
    """(exhibit, row, label, column index, column, cell, the report's words or None) of every
    text cell but "_"."""
    for ex_id, rows in TEXT.items():
        columns = cached_table(ex_id).columns
        quotes = printed.quotes(ex_id)
        for key, (label, cells) in rows.items():
            assert len(cells) == len(columns), f"{ex_id} {key}: {len(cells)} cells for {len(columns)} columns"
            words = quotes.get(key, (None,) * len(cells))
            for i, (column, cell) in enumerate(zip(columns, cells, strict=True)):
                if cell != "_":
                    yield pytest.param(ex_id, key, label, i, column, cell, words[i], id=f"{ex_id}-{key}-{column}")


@pytest.mark.parametrize("ex_id, key, label, index, column, printed, quote", list(_text_params()))
def test_text_cell_reproduces(ex_id, key, label, index, column, printed, quote):
    t = cached_table(ex_id)
    got = t.value(key, index)
    where = f"{ex_id} {label or t.exhibit.row(key).label_en} {column}"
    said = f" (the report: {quote!r})" if quote else ""
    assert got == printed, f"{where}: printed {printed!r}{said}, got {got!r}"


# ----------------------------------------------------------------------------------- errata
@pytest.mark.parametrize("where, expected", list(DEVIATIONS.items()), ids=str)
def test_printed_values_that_do_not_follow_are_named_errata(where, expected):
    check_deviation(where, expected)


def _corrected_params():
    """(exhibit, switch, row, column, consistent cell) of every corrected cell."""
    for (ex_id, switch), rows in CORRECTED.items():
        columns = cached_table(ex_id).columns
        for key, cells in rows.items():
            assert len(cells.split()) == len(columns), f"{ex_id} {key}: {cells!r} for {len(columns)} columns"
            for column, cell in zip(columns, cells.split(), strict=True):
                yield pytest.param(ex_id, switch, key, column, cell, id=f"{ex_id}-{switch}-{key}-{column}")


@pytest.mark.parametrize("ex_id, switch, key, column, consistent", list(_corrected_params()))
def test_erratum_switched_off_gives_the_consistent_value(ex_id, switch, key, column, consistent):
    t = table(ex_id, overrides={switch: False})
    value, decimals, exponent = parse_printed(consistent)
    got = shown(t.value(key, column), decimals, exponent)
    assert got == pytest.approx(value), f"{ex_id} {key} {column} with {switch} off: consistent {consistent}, got {got}"


# The corrected scenario ------------------------------------------------------------------
E01_CONSISTENT = {
    "h100_cards": "24.94 79.50 190.80 457.91 1098.99",
    "a100_cards": "79.14 252.26 605.41 1452.99 3487.18",
}


@pytest.mark.parametrize("key", list(E01_CONSISTENT))
def test_corrected_fig50_applies_utilisation_once(key):
    printed = table("fig50", "csc-2023")
    corrected = table("fig50", "csc-2023-corrected")
    for col, cell in zip(corrected.columns, E01_CONSISTENT[key].split(), strict=True):
        assert round_half_up(corrected.value(key, col), 2) == float(cell)
        assert printed.value(key, col) / corrected.value(key, col) == pytest.approx(1 / 0.3)
    assert E01_CONSISTENT[key].split()[0] in errata.get("E01").consistent


def test_corrected_headline_cagrs():
    t = table("cagr", "csc-2023-corrected")
    assert round_half_up(t.value("train_cagr", 0), 2) == 88.05
    assert round_half_up(t.value("infer_cagr", 0), 1) == 157.6
    assert errata.get("E05").consistent == "88.0%" and errata.get("E06").consistent == "158%"


def test_text_alternatives_change_only_their_input():
    base = table("fig50", "csc-2023-corrected")
    params = table("fig50", "csc-2023-text-params")
    assert params.value("mm_peak", 0) == pytest.approx(base.value("mm_peak", 0) * 2 / 3)
    assert round_half_up(params.value("mm_peak", 0), 2) == 46.30          # catalogue sensitivity
    dau = table("fig50", "csc-2023-text-dau")
    assert round_half_up(dau.value("std_peak", 0), 2) == 2.31
    assert dau.value("mm_peak", 0) == base.value("mm_peak", 0)


def test_training_a100_2023_exceeds_two_million():
    """The text: 2023 training needs more than 200万 A100 equivalents."""
    assert table("fig49").value("a100_total", "2023E") > 200


# ----------------------------------------------------------------------------------- completeness
@pytest.mark.parametrize("ex_id", sorted(set(CELLS) | set(TEXT)))
def test_labels_are_the_reports(ex_id):
    exhibit = exhibits.get(ex_id)
    for rows in (CELLS.get(ex_id, {}), TEXT.get(ex_id, {})):
        for key, (label, _) in rows.items():
            assert exhibit.row(key).label_zh == label, f"{ex_id} {key}: label differs from the report's"


@pytest.mark.parametrize("ex_id", [e.id for e in exhibits.all_exhibits()])
def test_every_labelled_row_is_checked(ex_id):
    """A row that carries a report label must have its printed cells transcribed, or be a deviation."""
    labelled_rows_are_checked(ex_id, CELLS, DEVIATIONS)


@pytest.mark.parametrize("module, source, without", [
    ("engine.exhibits.seed001", "seed001", set()),
    ("engine.exhibits.passages", "passages", {"figure_titles"}),     # the titles it repeats: no numbers
    ("engine.exhibits.quoted", "quoted", set()),
])
def test_every_exhibit_has_golden_cells(module, source, without):
    assert {e.id for e in module_exhibits(module)} == set(golden(source)) | without
