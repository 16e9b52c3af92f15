"""Golden tests: every printed cell of the demand, market and power exhibits of seed 000, at the
printed precision.  The cells are package data: engine/data/printed/seed000.toml.

A failure reads like "fig49 A100 需求总量（万张）… 2026E: printed 2079.30, got 2079.29".
"""

from __future__ import annotations

import pytest

from engine import errata, exhibits, table
from engine.ops import round_half_up
from engine.printed import deviations

from golden_harness import cell_params, check_cell, check_deviation, golden, labelled_rows_are_checked

ALL = golden("seed000")
DEVIATIONS = deviations("seed000")


@pytest.mark.parametrize("ex_id, key, label, column, printed", list(cell_params(ALL)))
def test_printed_cell_reproduces(ex_id, key, label, column, printed):
    check_cell(ex_id, key, label, column, printed, "csc-2023")


@pytest.mark.parametrize("ex_id", list(ALL))
def test_labels_are_the_reports(ex_id):
    exhibit = exhibits.get(ex_id)
    for key, (label, _) in ALL[ex_id].items():
        assert exhibit.row(key).label_zh == label, f"{ex_id} {key}: label differs from the report's"


@pytest.mark.parametrize("ex_id", list(ALL))
def test_every_labelled_row_is_checked(ex_id):
    """A row that carries a report label must have its printed cells transcribed above."""
    labelled_rows_are_checked(ex_id, ALL, DEVIATIONS)


@pytest.mark.parametrize("where, expected", list(DEVIATIONS.items()), ids=lambda v: str(v))
def test_printed_values_that_do_not_follow_are_named_errata(where, expected):
    check_deviation(where, expected)


# The corrected scenario ------------------------------------------------------------------
E01_CONSISTENT = {
    "h100_cards": "24.94 79.50 190.80 457.91 1098.99",
    "a100_cards": "79.14 252.26 605.41 1452.99 3487.18",
}


@pytest.mark.parametrize("key", list(E01_CONSISTENT))
def test_corrected_fig50_applies_utilisation_once(key):
    printed = table("fig50", "csc-2023")
    corrected = table("fig50", "csc-2023-corrected")
    for col, cell in zip(corrected.columns, E01_CONSISTENT[key].split()):
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
