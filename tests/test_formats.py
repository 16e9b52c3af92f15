"""One number format per unit: the Excel format a workbook cell carries and the text the command line
prints come from one table (engine.formats), and say the same thing: LibreOffice's TEXT() with the
format gives the text format_value gives."""

from __future__ import annotations

import math

import pytest

from engine import exhibits, formats, scenarios, units
from engine.tables import table


def test_every_unit_shown_has_a_format():
    shown = set(units.DISPLAY) | {r.unit for e in exhibits.all_exhibits() for r in e.rows}
    shown |= {formats.input_display(k).unit for k in scenarios.schema()}
    shown |= {s.unit for s in scenarios.schema().values()}
    assert not shown - set(formats.FORMATS), sorted(shown - set(formats.FORMATS))
    with pytest.raises(KeyError, match="no number format for the unit 'furlongs'"):
        formats.excel_format("furlongs")


@pytest.mark.parametrize("unit, decimals, sig, excel", [
    ("EFLOP", None, None, "#,##0"), ("万张", 2, None, "#,##0.00"), ("%", 0, None, "#,##0%"), ("%", None, None, "#,##0.00%"),
    ("亿人", None, None, "#,##0.0"), ("year", None, None, "0"), ("FLOP", None, 3, "0.00E+00"), ("text", None, None, "@"),
    ("CNY/kWh", None, None, "#,##0.00"), ("TB/s", None, None, "#,##0.0"), ("MW", None, None, "#,##0.0"),
])
def test_excel_formats(unit, decimals, sig, excel):
    assert formats.excel_format(unit, decimals, sig) == excel


@pytest.mark.parametrize("value, unit, decimals, sig, text", [
    (1.2e6, "EFLOP", None, None, "1,200,000"), (30, "%", 0, None, "30%"), (20.000000000000004, "%", 2, None, "20.00%"),
    (2.675, "x", 2, None, "2.68"), (-0.001, "x", 2, None, "0.00"), (3.15e23, "FLOP", None, 3, "3.15E+23"),
    (1495.73, "x", None, 2, "1.5E+03"), (2025.0, "year", None, None, "2025"), (0.2, "亿人", None, None, "0.2"),
    (None, "亿", None, None, "-"), (math.inf, "x", 2, None, "#DIV/0!"), (math.nan, "x", 2, None, "#NUM!"),
])
def test_format_value(value, unit, decimals, sig, text):
    assert formats.format_value(value, unit, decimals, sig) == text


def test_fig50_reads_the_same_in_the_workbook_and_on_the_command_line():
    t = table("fig50")
    row = t.exhibit.row("mm_flop_per_day")
    assert formats.format_value(t.value("mm_flop_per_day", 0), row.unit, row.decimals, row.sig) == "1,200,000"
    assert formats.excel_format(row.unit, row.decimals, row.sig) == "#,##0"


def test_each_input_round_trips_through_its_cell_exactly():
    """The value a workbook cell holds for an input, read back and converted, is the input's value."""
    sc = scenarios.load("csc-2023")
    for key in scenarios.schema():
        d = formats.input_display(key)
        value = sc.values[key]
        for v in (value if isinstance(value, tuple) else (value,)):
            if v is not None:
                assert d.base_value(d.cell_value(v)) == v, key


def test_an_input_shown_by_a_row_is_in_that_rows_unit():
    """A row that shows an input as it is (fig49's utilisation, fig50's users) is in the input's display unit,
    so its cell refers to the input's cell with no conversion."""
    for e in exhibits.all_exhibits():
        for row in e.rows:
            if row.input is not None:
                d = formats.input_display(row.input)
                assert (d.factor, d.percent) == (row.display.factor, row.display.percent) or \
                    d.factor == row.display.factor == 1, (e.id, row.key, row.unit, d.unit)


def test_a_display_unit_must_be_one_of_the_inputs_unit():
    assert scenarios.schema()["mm_params_base"].display == "亿"
    assert scenarios.schema()["train_utilization"].display == "%"
    assert scenarios.schema()["h100_fp16_tflops"].display == "TFLOPS"
    assert all(s.display in units.suffixes(s.unit) or s.display == s.unit for s in scenarios.schema().values())


def test_bounds_read_in_the_display_unit():
    assert formats.describe_domain("train_utilization", scenarios.schema()["train_utilization"].domain) == \
        "must be in (0%, 100%]"
    assert formats.describe_domain("mm_params_base", scenarios.schema()["mm_params_base"].domain) == \
        "must be in (0, 100,000,000]"
    d = formats.input_display("mm_dau")
    assert (d.show_cell(0.2), d.format_base(2e7), d.label) == ("0.2", "0.2", "亿人 (×1e8 users)")


CASES = [(1.2e6, "EFLOP", None, None), (1234.5678, "万张", 2, None), (0.125, "x", 2, None), (2.675, "x", 2, None),
         (-1234.5, "亿美元", 1, None), (0.3, "%", 0, None), (0.28666, "%", 2, None), (12.345, "%", 1, None),
         (3.15e23, "FLOP", None, 3), (9e9, "PFLOP", None, 2), (0.000123, "x", None, 2), (2025.0, "year", None, None),
         (0.0, "GB", 0, None), (999.5, "kW", 0, None), (1e15, "count", 0, None), (-0.004, "x", 2, None)]


@pytest.mark.libreoffice
def test_libreoffice_shows_what_format_value_prints(tmp_path):
    """Each case's number in a cell with its unit's Excel format: LibreOffice's TEXT() of it, recalculated,
    is format_value's text (a % cell holds the fraction; format_value takes the percentage)."""
    from suanli import libreoffice
    from workbook_templates.writer import new_workbook

    path = tmp_path / "formats.xlsx"
    wb = new_workbook(path)
    ws = wb.add_worksheet("F")
    for i, (value, unit, decimals, sig) in enumerate(CASES):
        code = formats.excel_format(unit, decimals, sig)
        ws.write_number(i, 0, value, wb.add_format({"num_format": code}))
        ws.write_formula(i, 1, f'=TEXT(A{i + 1},"{code}")', None, "")
    wb.close()
    [recalc] = libreoffice.recalculate([path], tmp_path / "lo")
    shown = libreoffice.read_values(recalc)["F"]
    for i, (value, unit, decimals, sig) in enumerate(CASES):
        display = value * 100 if formats.unit_format(unit).percent else value
        assert shown[f"B{i + 1}"] == formats.format_value(display, unit, decimals, sig), (value, unit, decimals, sig)
