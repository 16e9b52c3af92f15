"""Values typed in the report's display units: 18000亿, 2万, 30%, 1.5e12 wherever a user types a value
(--set, scenario CSV and XLSX cells, sweep ranges, Monte Carlo distributions, the Python API), one
parser whose refusals name the key, and a warning for a bare number that is the report's value in a
display unit typed without it."""

from __future__ import annotations

import json
import math
import os
import re
import shlex
import subprocess
import sys
import warnings
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import suanli
from engine import scenarios
from engine.errors import InvalidTypeError, InvalidValueError, SuanliWarning
from engine.units import parse_quantity, read_quantity
from suanli.parsing import parse_distribution, parse_range
from workbook_templates import batch

SLIP = "mm_params_base=18000 is 1e-8 of the report's 1.5e12; did you mean 18000亿 (1.8e12)?"


def cli(*argv: str) -> subprocess.CompletedProcess:
    """The command in its own process, laid out for a terminal 100 columns wide (as the README shows it)."""
    return subprocess.run([sys.executable, "-m", "suanli.cli", *argv], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "100"})


@pytest.mark.parametrize("text, unit, value", [
    ("18000亿", None, 1.8e12), ("2万", None, 2e4), ("30%", None, 0.3), ("1.5e12", None, 1.5e12),
    ("1.5万亿", None, 1.5e12), (" 18000 亿 ", None, 1.8e12), ("1_000", None, 1000.0), ("-5%", None, -0.05),
    ("１８０００亿", None, 1.8e12), ("３０％", None, 0.3), ("0.5亿", "users", 5e7), ("0.5亿人", "users", 5e7),
    ("650亿美元", "USD", 6.5e10), ("83万张", "cards", 8.3e5), ("6.5MW", "kW", 6500.0), ("1.2pflops", "FLOP/s", 1.2e15),
])
def test_the_report_units_read_into_base_units(text, unit, value):
    assert parse_quantity("k", text, unit) == value


def test_a_percentage_is_exact():
    assert read_quantity("k", "20%").exact == Decimal("0.20") and parse_quantity("k", "7%") == 0.07


@pytest.mark.parametrize("text, unit, error, message", [
    ("lots", None, InvalidTypeError, "mm_dau must be a number, got 'lots' (a number may end in 万亿, 亿, 万 or %"),
    ("2亿个", "users", InvalidTypeError, "mm_dau must be a number, got '2亿个' (a number may end in 万亿, 亿, 万 or %, as "
                                         "in 18000亿, 2万, 30%; or in a unit of users: 亿人)"),
    ("650亿美元", "users", InvalidTypeError, "mm_dau must be a number, got '650亿美元'"),
    ("inf", None, InvalidValueError, "mm_dau must be a finite number, got 'inf'"),
    ("1e999亿", None, InvalidValueError, "mm_dau must be a finite number, got '1e999亿'"),
    ("", None, InvalidTypeError, "mm_dau must be a number, got ''"),
])
def test_what_is_not_a_quantity_is_refused_naming_the_key(text, unit, error, message):
    with pytest.raises(error) as info:
        parse_quantity("mm_dau", text, unit)
    assert str(info.value).startswith(message) and info.value.name == "mm_dau"


# ------------------------------------------------------------------ the command line
def test_the_value_the_table_prints_is_what_a_user_types():
    typed = cli("table", "fig49", "--set", "mm_params_base=18000亿", "--format", "csv")
    base = cli("table", "fig49", "--set", "mm_params_base=1.8e12", "--format", "csv")
    assert typed.returncode == 0 and typed.stderr == "" and typed.stdout == base.stdout
    assert "mm_params,多模态大模型平均参数数量（亿个，N）,Average multimodal model parameters (N),亿,18000," in typed.stdout


def test_a_bare_number_off_by_a_display_factor_is_computed_with_a_warning():
    run = cli("table", "fig49", "--set", "mm_params_base=18000")
    assert run.returncode == 0
    assert run.stderr == f"suanli: warning: {SLIP}\n"
    assert "fig49  全球大模型训练所需算力" in run.stdout


@pytest.mark.parametrize("typed, same_as", [
    ("train_utilization=30%", "train_utilization=0.3"),
    ("mm_dau=2000万,5000万,1亿,2亿,4亿", "mm_dau=2e7,5e7,1e8,2e8,4e8"),
    ("market_usd_per_a100=1.4万", "market_usd_per_a100=14000"),
])
def test_set_takes_the_report_units_in_every_column(typed, same_as):
    a, b = cli("table", "fig50", "--set", typed, "--format", "json"), cli("table", "fig50", "--set", same_as,
                                                                          "--format", "json")
    assert a.returncode == 0 and a.stderr == ""
    assert json.loads(a.stdout)["rows"] == json.loads(b.stdout)["rows"]


def test_a_wrong_unit_is_one_line_naming_the_key():
    run = cli("table", "fig50", "--set", "mm_dau=2亿个")
    assert run.returncode == 2 and run.stdout == "" and run.stderr.count("\n") == 1
    assert run.stderr.startswith("suanli: mm_dau must be a number, got '2亿个' (a number may end in 万亿, 亿, 万 or %")


def test_sweep_ranges_and_distributions_take_the_report_units(tmp_path):
    assert parse_range("train_utilization", "20%:50%:5%") == parse_range("train_utilization", "0.2:0.5:0.05")
    assert parse_range("mm_dau", "0.5亿:1亿:0.25亿").values().tolist() == [5e7, 7.5e7, 1e8]
    assert parse_distribution("mm_dau=uniform(0.5亿,1亿)") == ("mm_dau", suanli.Uniform(5e7, 1e8))
    assert parse_distribution("mm_dau*=triangular(80%,1,120%)") == ("mm_dau", suanli.Triangular(0.8, 1, 1.2,
                                                                                                  factor=True))
    run = cli("sweep", "--set", "train_utilization=20%:50%:5%", "--output", "fig49.a100_total",
              "--out", str(tmp_path / "s.xlsx"))
    assert run.returncode == 0 and "train_utilization=0.2:0.5:0.05 (7 values)" in run.stdout
    run = cli("montecarlo", "--dist", "mm_dau=uniform(0.5亿,1亿)", "--n", "1000", "--seed", "7",
              "--output", "fig50.mm_peak", "--out", str(tmp_path / "m.xlsx"))
    assert run.returncode == 0 and run.stderr == ""
    run = cli("sweep", "--set", "train_utilization=20%:abc:5%", "--output", "fig49.a100_total",
              "--out", str(tmp_path / "s.xlsx"))
    assert run.returncode == 2 and "train_utilization: STOP 'abc' of '20%:abc:5%' is not a number" in run.stderr


def test_a_distribution_in_the_wrong_display_unit_warns(tmp_path):
    run = cli("montecarlo", "--dist", "mm_dau=uniform(5000,10000)", "--n", "1000", "--seed", "7",
              "--output", "fig50.mm_peak", "--out", str(tmp_path / "m.xlsx"))
    assert run.returncode == 0
    assert run.stderr == ("suanli: warning: mm_dau: uniform(5000,10000) is about 1e-4 of the report's 2e7 to 4e8; "
                          "did you mean it in 万?\n")


# ------------------------------------------------------------------ scenario files
def test_scenario_csv_and_xlsx_cells_take_the_report_units(tmp_path):
    csv = tmp_path / "rows.csv"
    csv.write_text("name,mm_params_base,train_utilization,mm_dau[2025E]\nunits,18000亿,30%,1亿\n", encoding="utf-8")
    xlsx = tmp_path / "rows.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["name", "mm_params_base", "train_utilization", "mm_dau[2025E]"])
    wb.active.append(["units", "18000亿", "30%", 1e8])
    wb.save(xlsx)
    base = scenarios.load("csc-2023")
    expected = base.with_values({"mm_params_base": 1.8e12, "train_utilization": 0.3,
                                 "mm_dau": [2e7, 5e7, 1e8, 2e8, 4e8]})
    for path in (csv, xlsx):
        (row,) = batch.read_scenarios(path)
        sc = batch.scenario_for(row, base)
        for key in ("mm_params_base", "train_utilization", "mm_dau"):
            assert sc.values[key] == expected.values[key], (path.name, key)


def test_a_scenario_file_cell_in_a_wrong_unit_names_row_and_key(tmp_path):
    csv = tmp_path / "rows.csv"
    csv.write_text("name,mm_dau\nbad,2亿个\n", encoding="utf-8")
    run = cli("batch", str(csv), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert run.returncode == 1
    assert "row 2: mm_dau must be a number, got '2亿个'" in run.stderr


# ------------------------------------------------------------------ the Python API
def test_the_api_takes_text_in_the_report_units_and_warns_of_a_slip():
    assert suanli.table("fig49", overrides={"mm_params_base": "18000亿"}).value("mm_params", "2023E") == 18000
    with pytest.warns(SuanliWarning) as caught:
        t = suanli.table("fig49", overrides={"mm_params_base": 18000})
    assert [str(w.message) for w in caught] == [SLIP]
    assert t.value("mm_params", "2023E") == pytest.approx(0.00018)          # computed as given
    with pytest.warns(SuanliWarning, match=r"mm_params_growth=5 is 100 times the report's 0.2; did you mean 5% "
                                           r"\(0.05\)\?"):
        suanli.table("fig49", overrides={"mm_params_growth": 5})
    with pytest.warns(SuanliWarning, match=r"mm_dau\[2025E\]=10000 is 1e-4 of the report's 1e8; did you mean "
                                           r"10000万 \(1e8\)\?"):
        suanli.table("fig50", overrides={"mm_dau": [2e7, 5e7, 10000, 2e8, 4e8]})


@pytest.mark.parametrize("overrides", [
    {"mm_params_base": 1.8e12}, {"mm_params_base": "18000亿"}, {"train_utilization": 0.45}, {"mm_dau": "2000万"},
    {"mm_vendors": 0}, {"market_usd_per_a100": 12000}, {"mm_params_growth": 0.5},
])
def test_no_warning_for_a_value_in_the_base_unit_or_with_its_unit(overrides):
    with warnings.catch_warnings():
        warnings.simplefilter("error", SuanliWarning)
        suanli.table("fig49" if "mm_dau" not in overrides else "fig50", overrides=overrides)


def test_the_slip_names_only_a_value_that_would_be_accepted():
    assert scenarios.display_slip("train_days", 0.0007) is None        # the reports print no days in 万
    assert scenarios.display_slip("train_utilization", 0.003) is None  # 1e-2 of 0.3: no display factor
    assert scenarios.display_slip("mm_params_base", 1.5e13) is None    # ten times: no display factor
    assert scenarios.display_slip("mm_params_base", 18000) == SLIP
    assert scenarios.display_slip("fig50_util_applied_twice", 1) is None
    assert math.isclose(parse_quantity("mm_params_base", "18000亿"), 1.8e12)


# ------------------------------------------------------------------ the README's examples
def _matches(expected: list[str], got: list[str]) -> bool:
    """``got`` holds the ``expected`` lines in order, ``...`` standing for any lines (none included)."""
    if not expected:
        return not got
    if expected[0] == "...":
        return any(_matches(expected[1:], got[i:]) for i in range(len(got) + 1))
    return bool(got) and got[0].rstrip() == expected[0].rstrip() and _matches(expected[1:], got[1:])


def test_the_readme_shows_what_the_commands_print():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using it", 1)[1].split("### From Python", 1)[0]
    blocks = re.findall(r"```\n(\$ suanli .*?)```", section, flags=re.S)
    examples = [part for block in blocks for part in re.split(r"\n(?=\$ suanli )", block)]   # a command each
    assert len(examples) >= 3
    for block in examples:
        command, *expected = block.rstrip("\n").split("\n")
        run = cli(*shlex.split(command)[2:])
        got = run.stderr.splitlines() + run.stdout.splitlines()
        assert _matches(expected, got), (command, got[:20])
