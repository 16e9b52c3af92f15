"""Overrides in Excel cells: AI_TABLE and AI_INPUT computed under a range of input keys and values, through
the classic add-in's module and through the xlwings Lite bundle loaded as a module."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from addin import udfs
from addin.overrides import read_overrides
from engine import tables
from suanli.cli import main

#: An analyst's range, six columns wide: a value in one cell (with the report's units, or a list as
#: --set takes it), or one value per year across; a blank row in the middle.
HOUSE = [
    ["train_utilization", "45%", None, None, None, None],
    [None, None, None, None, None, None],
    ["mm_params_base", "18000亿", None, None, None, None],
    ["mm_vendors", "5,8,10,12,14", None, None, None, None],
    ["std_vendors", 15, 20, 25, 30, 35],
    ["infer_utilization", 0.25, None, None, None, None],
]
SETS = ["train_utilization=45%", "mm_params_base=18000亿", "mm_vendors=5,8,10,12,14", "std_vendors=15,20,25,30,35",
        "infer_utilization=0.25"]


def _cli_table(exhibit: str, scenario: str, sets: list[str], capsys) -> dict:
    argv = ["table", exhibit, "--scenario", scenario, "--format", "json"]
    for s in sets:
        argv += ["--set", s]
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def _same_cells(cells: list[list], cli: dict) -> None:
    """AI_TABLE's spill against `suanli table --format json`, cell by cell: labels, unit, every value."""
    assert cells[0][3:] == cli["columns"]
    assert len(cells) == len(cli["rows"]) + 1
    for shown, row in zip(cells[1:], cli["rows"], strict=True):
        assert shown[:3] == [row["label_zh"] or "", row["label_en"], row["unit"]]
        for j, (got, want) in enumerate(zip(shown[3:], row["values"], strict=True)):
            if want is None:              # no number: the cell shows what it needs, or its error
                needs, errors = row.get("needs"), row.get("errors")
                assert got == (f"needs {', '.join(needs[j])}" if needs and needs[j] else errors[j] if errors else ""), \
                    (row["key"], j, got)
            else:                         # JSON holds a number without float noise: 20, not 19.999999999999996
                assert (tables.plain_number(got) if isinstance(got, float) else got) == want, (row["key"], j, got, want)


@pytest.mark.parametrize("exhibit", ["fig49", "fig50", "cagr", "chain"])
def test_ai_table_with_overrides_is_suanli_table_with_the_same_sets(exhibit, capsys):
    cells = udfs.AI_TABLE(exhibit, "csc-2023-corrected", HOUSE)
    _same_cells(cells, _cli_table(exhibit, "csc-2023-corrected", SETS, capsys))
    # and the overrides moved the numbers: not the scenario as it is
    assert cells != udfs.AI_TABLE(exhibit, "csc-2023-corrected")


def test_the_worked_example_moves_what_it_names():
    cells = udfs.AI_TABLE("fig49", "csc-2023-corrected", HOUSE)
    rows = {r[1]: r[3:] for r in cells[1:]}
    assert rows["Multimodal LLM developers"] == [5, 8, 10, 12, 14]
    assert rows["Ordinary LLM developers"] == [15, 20, 25, 30, 35]
    assert rows["Average multimodal model parameters (N)"][0] == 18000      # 亿
    assert rows["Hardware utilisation"] == [45.0] * 5                          # %
    # the report's units read as the base units they stand for
    import suanli

    base_units = suanli.table("fig49", "csc-2023-corrected", {
        "train_utilization": 0.45, "mm_params_base": 1.8e12, "mm_vendors": [5, 8, 10, 12, 14],
        "std_vendors": [15, 20, 25, 30, 35], "infer_utilization": 0.25})
    assert rows["A100 cards needed (all compute on A100s)"] == base_units.values("a100_total")


def test_blank_rows_and_trailing_blank_cells_are_ignored():
    tight = [["train_utilization", "45%"], ["mm_params_base", "18000亿"], ["mm_vendors", "5,8,10,12,14"],
             ["std_vendors", "15,20,25,30,35"], ["infer_utilization", 0.25]]
    loose = [[None, None, None, None, None, None, None], *[r + [None] for r in HOUSE], ["  ", "", None, None, None,
                                                                                        None, None]]
    assert udfs.AI_TABLE("fig49", "csc-2023-corrected", loose) == udfs.AI_TABLE("fig49", "csc-2023-corrected", tight) \
        == udfs.AI_TABLE("fig49", "csc-2023-corrected", HOUSE)
    # a blank range, a blank cell, nothing: the scenario as it is
    plain = udfs.AI_TABLE("fig49", "csc-2023-corrected")
    for nothing in (None, [[None, None]], [[None]], [], np.array([[None, None], [None, None]], dtype=object), ""):
        assert udfs.AI_TABLE("fig49", "csc-2023-corrected", nothing) == plain, nothing


def test_a_numpy_range_and_one_row_from_python():
    as_array = np.array(HOUSE, dtype=object)
    assert udfs.AI_TABLE("fig49", "csc-2023-corrected", as_array) == udfs.AI_TABLE("fig49", "csc-2023-corrected",
                                                                                   HOUSE)
    assert udfs.AI_INPUT("train_utilization", None, ["train_utilization", 0.4]) == [[0.4] * 5]


def test_each_bad_row_shows_its_own_message():
    bad = [
        ["train_util", 0.3],
        [None, None],
        ["train_utilization", 30],
        ["mm_vendors", "5,8"],
        ["mm_params_base", "18000亿"],
        ["mm_params_base", "2e12"],
        ["std_vendors", "many"],
        [None, 4],
        ["infer_utilization", None],
        ["fig50_util_applied_twice", 2],
        ["#N/A", 1],
        ["mm_dau", "#DIV/0!"],
        [12, 0.3],
    ]
    got = udfs.AI_TABLE("fig49", "csc-2023-corrected", bad)
    assert got == [
        ["#N/A overrides row 1: unknown input key 'train_util'; one of the 516 that `suanli inputs` lists (did you "
         "mean train_utilization?)"],
        ["#NUM! overrides row 3: train_utilization must be in (0, 1], got 30 (did you mean 0.30?)"],
        ["#NUM! overrides row 4: mm_vendors takes one value or 5 values (2023E, 2024E, 2025E, 2026E, 2027E), got 2 "
         "values"],
        ["#VALUE! overrides row 6: mm_params_base is set twice (rows 5 and 6); keep one row per input"],
        ["#VALUE! overrides row 7: std_vendors must be a number, got 'many' (a number may end in 万亿, 亿, 万 or %, as "
         "in 18000亿, 2万, 30%; or in a unit of count: 万个)"],
        ["#VALUE! overrides row 8: a value with no input key; the first column holds the keys"],
        ["#VALUE! overrides row 9: infer_utilization has no value; give a number, TRUE/FALSE, a number with the "
         "report's unit (30%, 15000亿), a comma-separated list with one value per column, or one value per column "
         "across the row"],
        ["#NUM! overrides row 10: fig50_util_applied_twice must be TRUE or FALSE (1 or 0), got 2"],
        ["#N/A overrides row 11: the key cell holds the error #N/A; it takes an input key such as train_utilization"],
        ["#DIV/0! overrides row 12: mm_dau holds the error #DIV/0!; give a number, TRUE/FALSE, a number with the "
         "report's unit (30%, 15000亿), a comma-separated list with one value per column, or one value per column "
         "across the row"],
        ["#VALUE! overrides row 13: the key cell holds 12; it takes an input key such as train_utilization"],
    ]
    # the same messages from AI_INPUT, whatever key it shows
    assert udfs.AI_INPUT("mm_vendors", "csc-2023", bad) == got


def test_a_blank_among_values_across_and_ranges_of_the_wrong_shape():
    assert udfs.AI_TABLE("fig49", None, [["mm_vendors", 5, None, 10, 12, 14]]) == [
        ["#VALUE! overrides row 1: mm_vendors has a blank among its values (value cell 2 of 5); give one value, or "
         "one per column with none blank"]]
    assert udfs.AI_TABLE("fig49", None, [["mm_vendors", "5,,10,12,14"]]) == [
        ["#VALUE! overrides row 1: mm_vendors has an empty item in the list '5,,10,12,14'; give one value per column, "
         "separated by commas"]]
    assert udfs.AI_TABLE("fig49", None, [["train_utilization"], ["mm_vendors"]]) == [
        ["#VALUE! overrides has one column; it takes two or more: input keys, then their values "
         "(e.g. train_utilization | 45%)"]]
    assert udfs.AI_TABLE("fig49", None, "train_utilization") == [
        ["#VALUE! overrides has one column; it takes two or more: input keys, then their values "
         "(e.g. train_utilization | 45%)"]]
    assert udfs.AI_TABLE("fig49", None, np.ones((2, 2, 2))) == [
        ["#VALUE! overrides has 3 dimensions; it takes a range of rows: an input key, then its value"]]
    assert udfs.AI_TABLE("fig49", None, [["mm_vendors", 5], "x"]) == [
        ["#VALUE! overrides mixes cells and rows; it takes a range of rows: an input key, then its value"]]
    # an unknown exhibit or scenario is said before the overrides
    assert udfs.AI_TABLE("fig499", None, [["x", 1]]).startswith("#N/A unknown exhibit 'fig499'")
    assert udfs.AI_TABLE("fig49", "nope", [["train_utilization", 0.4]]).startswith("#N/A unknown scenario 'nope'")


def test_ai_input_shows_the_value_an_override_sets():
    assert udfs.AI_INPUT("mm_params_base", "csc-2023", [["mm_params_base", "18000亿"]]) == 1.8e12
    assert udfs.AI_INPUT("mm_dau", None, [["mm_dau", "2000万,5000万,1亿,2亿,4亿"]]) == [[2e7, 5e7, 1e8, 2e8, 4e8]]
    assert udfs.AI_INPUT("fig50_util_applied_twice", "csc-2023", [["fig50_util_applied_twice", False]]) == 0.0
    # another key's override leaves the one shown as the scenario has it
    assert udfs.AI_INPUT("train_days", "csc-2023", [["mm_params_base", "18000亿"]]) == [[7.0] * 5]


def test_read_overrides_returns_values_as_given_each_checked():
    found, problems = read_overrides(HOUSE)
    assert problems == []
    assert found == {"train_utilization": "45%", "mm_params_base": "18000亿",
                     "mm_vendors": ["5", "8", "10", "12", "14"], "std_vendors": [15.0, 20.0, 25.0, 30.0, 35.0],
                     "infer_utilization": 0.25}


# ------------------------------------------------------------------ the same through the Lite bundle
def test_the_lite_bundle_computes_the_same_under_overrides(tmp_path, capsys):
    """The bundle, loaded as a module with every file access refused, gives the classic module's cells."""
    path = tmp_path / "suanli_lite.py"
    assert main(["addin", "lite", str(path)]) == 0
    capsys.readouterr()
    bad = [["train_util", 0.3], [None, None], ["train_utilization", 30]]
    script = textwrap.dedent(f"""
        import builtins, importlib.util, io, json, os, sys
        import numpy, xlwings
        spec = importlib.util.spec_from_file_location("suanli_lite", {str(path)!r})
        lite = importlib.util.module_from_spec(spec)
        code = open({str(path)!r}, encoding="utf-8").read()
        def refuse(*a, **k):
            raise AssertionError(f"file access: {{a[:1]}}")
        builtins.open = io.open = os.open = refuse
        exec(compile(code, {str(path)!r}, "exec"), lite.__dict__)
        assert type(sys.modules["addin.overrides"].__spec__.loader).__name__ == "_SuanliImporter"
        house, bad = json.loads(sys.argv[1]), json.loads(sys.argv[2])
        out = {{"fig49": lite.AI_TABLE("fig49", "csc-2023-corrected", house),
                "chain": lite.AI_TABLE("chain", "csc-2023-corrected", house),
                "bad": lite.AI_TABLE("fig49", "csc-2023-corrected", bad),
                "input": lite.AI_INPUT("mm_params_base", None, house)}}
        sys.stdout.write(json.dumps(out, ensure_ascii=False))
    """)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-I", "-c", script, json.dumps(HOUSE), json.dumps(bad)],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["fig49"] == udfs.AI_TABLE("fig49", "csc-2023-corrected", HOUSE)
    assert got["chain"] == udfs.AI_TABLE("chain", "csc-2023-corrected", HOUSE)
    assert got["bad"] == udfs.AI_TABLE("fig49", "csc-2023-corrected", bad) and len(got["bad"]) == 2
    assert got["input"] == 1.8e12
    _same_cells(got["fig49"], _cli_table("fig49", "csc-2023-corrected", SETS, capsys))


def test_the_reference_example_is_suanli_table_with_its_three_sets(capsys):
    """AI_TABLE's docstring: its worked example's range is the three --set flags it names."""
    doc = " ".join(udfs.AI_TABLE.__doc__.split())
    sets = re.search(r"suanli table fig49 --scenario csc-2023-corrected ((?:--set \S+ ?)+) prints", doc).group(1)
    flags = sets.replace("--set", "").split()
    assert [f.split("=")[0] for f in flags] == [k for k, _ in udfs._HOUSE_VIEW]
    _same_cells(udfs.AI_TABLE("fig49", "csc-2023-corrected", udfs._HOUSE_VIEW),
                _cli_table("fig49", "csc-2023-corrected", flags, capsys))
