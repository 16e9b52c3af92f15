"""forecast_vs_reported: the reports' forecasts against the figures published since.

Every reported figure cites one document with its publisher, title, date and address, the place in it
and how its definition differs; the forecasts are read from the exhibits that hold them; the error is
(forecast - reported) / reported; a year nobody reported is blank and says so.
"""

from __future__ import annotations

import json
import math

import pytest

from addin import udfs
from engine import exhibits, reports, scenarios, tables
from engine.exhibits import forecast
from suanli.cli import main

ID = "forecast_vs_reported"
EXHIBIT = exhibits.get(ID)
REPORTED_INPUTS = sorted({k for item in forecast.ITEMS for r in item.reported.values() for k in r.inputs})


@pytest.fixture(scope="module")
def table():
    return tables.table(ID)


# ------------------------------------------------------------------------------------- sources

def test_the_reported_inputs_are_the_ones_in_their_file():
    in_file = [k for k, spec in scenarios.schema().items() if k.startswith("reported_")]
    assert sorted(in_file) == REPORTED_INPUTS


@pytest.mark.parametrize("key", REPORTED_INPUTS)
def test_each_reported_figure_cites_one_document_in_full_and_says_how_it_differs(key):
    spec = scenarios.schema()[key]
    docs = reports.named_in(spec.source)
    assert len(docs) == 1, f"{key}: {spec.source}"
    doc = docs[0]
    assert doc.kind == "outside"
    assert spec.source.startswith((doc.short + " ", doc.short + ",")), "the place in the document follows its name"
    assert spec.source[len(doc.short):].split(":", 1)[0].strip(), "a place in the document"
    for field in ("publisher", "title", "date", "address"):
        assert getattr(doc, field), f"{doc.id}: no {field}"
    assert doc.address.startswith(("http://", "https://"))
    assert spec.note and len(spec.note) > 20, f"{key}: no definition note"


def test_each_sources_cell_names_the_report_place_and_the_document(table):
    for item in forecast.ITEMS:
        cells = table.values(f"{item.key}_sources")
        for year, cell in zip(forecast.YEARS, cells, strict=True):
            if year in item.reported:
                found = item.reported[year]
                assert cell.startswith(item.forecast_source + " | ")
                assert reports.named_in(cell), cell
                if found.derive is not None:
                    assert cell.split(" | ", 1)[1].startswith("suanli: derived from "), cell
            elif year in item.missing:
                assert "found" in cell, cell              # "none found", "... not found"
                assert table.value(f"{item.key}_reported", year) is None
            else:
                assert cell is None


def test_the_derived_2023_global_value_names_the_cited_values():
    cell = tables.table(ID).value("global_ai_server_sources", "2023")
    assert "suanli: derived from TrendForce, AI servers 2024 (2024-07-17) ¶4" in cell
    assert "the 2024 value ÷ (1 + the 2024 growth)" in cell


def test_every_definition_cell_is_its_inputs_note(table):
    for item in forecast.ITEMS:
        for year, cell in zip(forecast.YEARS, table.values(f"{item.key}_definition"), strict=True):
            if year in item.reported:
                assert cell == scenarios.schema()[item.reported[year].inputs[0]].note
            else:
                assert cell is None


def test_nvidia_fiscal_years_are_said_to_end_in_late_january():
    assert "NVIDIA's fiscal years end in late January" in EXHIBIT.note
    assert "fiscal years end in late January" in scenarios.schema()["reported_nvidia_q2_fy2024_revenue_usd"].note
    assert "Feb 2023-Jan 2024" in scenarios.schema()["reported_nvidia_dc_fy2024_usd"].note


# ----------------------------------------------------------------------------------- forecasts

@pytest.mark.parametrize("key, exhibit, row, column", [
    ("global_ai_server", "fig7", "market", "{}E"), ("china_ai_server", "fig8", "market", "{}E"),
    ("hbm", "fig85", "market", "{}"), ("nvidia_dc", "fig7", "gpu_space", "{}E"),
])
def test_the_forecasts_are_the_exhibits_rows(table, key, exhibit, row, column):
    source = tables.table(exhibit)
    for year in ("2023", "2024", "2025"):
        assert table.value(f"{key}_forecast", year) == source.value(row, column.format(year))


def test_the_forecasts_follow_their_exhibits_inputs():
    """The forecast cells read the exhibits, so a changed input of fig7 moves them."""
    changed = tables.table(ID, overrides={"market_gpu_cost_share": 0.5})
    assert changed.value("global_ai_server_forecast", "2023") == pytest.approx(276.63 / 0.5, abs=0.01)
    assert changed.value("china_ai_server_forecast", "2023") == pytest.approx(round(276.63 / 0.5, 1) * 0.34, abs=1e-6)


def test_the_nvidia_guidance_and_the_caict_path(table):
    assert table.value("nvidia_q2_forecast", "2023") == 110
    assert [table.value("nvidia_q2_forecast", y) for y in ("2022", "2024", "2025")] == [None] * 3
    rate = (56_000 / 615) ** (1 / 9) - 1
    for k, year in enumerate(forecast.YEARS, start=1):
        assert table.value("caict_compute_forecast", year) == pytest.approx(615 * (1 + rate) ** k)


# --------------------------------------------------------------------------------------- error

def test_the_error_is_forecast_less_reported_over_reported(table):
    checked = 0
    for item in forecast.ITEMS:
        for year in forecast.YEARS:
            f = table.value(f"{item.key}_forecast", year)
            r = table.value(f"{item.key}_reported", year)
            e = table.value(f"{item.key}_error", year)
            if f is None or r is None:
                assert e is None
                continue
            assert e == pytest.approx(100 * (f - r) / r)
            checked += 1
    assert checked == 10


GOLDEN = {   # (row, column): the cell as `suanli table` prints it
    ("global_ai_server_forecast", "2023"): "395.2", ("global_ai_server_reported", "2023"): "1,106.5",
    ("global_ai_server_error", "2023"): "-64.3%", ("global_ai_server_reported", "2024"): "1,870.0",
    ("global_ai_server_error", "2024"): "-52.4%", ("china_ai_server_reported", "2023"): "94.0",
    ("china_ai_server_error", "2023"): "42.9%", ("china_ai_server_error", "2024"): "38.9%",
    ("hbm_reported", "2024"): "16,000", ("hbm_error", "2024"): "-88.2%", ("hbm_error", "2025"): "-92.9%",
    ("nvidia_dc_reported", "2023"): "475.0", ("nvidia_dc_error", "2023"): "-41.8%",
    ("nvidia_dc_error", "2024"): "-45.9%", ("nvidia_q2_reported", "2023"): "135.1",
    ("nvidia_q2_error", "2023"): "-18.6%", ("caict_compute_forecast", "2022"): "1,015",
    ("caict_compute_reported", "2022"): "906", ("caict_compute_error", "2022"): "12.1%",
}


@pytest.mark.parametrize("cell", sorted(GOLDEN), ids=lambda c: f"{c[0]}-{c[1]}")
def test_golden_cells(table, cell):
    row, column = cell
    assert tables.format_value(EXHIBIT.row(row), table.value(row, column)) == GOLDEN[cell]


def test_the_derived_global_2023_value():
    t = tables.table(ID)
    assert t.value("global_ai_server_reported", "2023") == pytest.approx(1870 / 1.69)


def test_a_reported_figure_of_zero_gives_div0_not_a_number():
    t = tables.table(ID, overrides={"reported_hbm_2024_usd": 0})
    err = t.error("hbm_error", "2024")
    assert err is not None and err.excel == "#DIV/0!"
    assert t.value("hbm_error", "2024") is None
    assert t.value("hbm_error", "2025") == pytest.approx(100 * (2497 - 35_000) / 35_000)


# ----------------------------------------------------------------------------------- bad input

def test_a_negative_reported_figure_is_refused_by_name(capsys):
    assert main(["table", ID, "--set", "reported_hbm_2024_usd=-5"]) == 2
    err = capsys.readouterr().err
    assert "reported_hbm_2024_usd" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_documents_file_with_other_tables_is_refused(monkeypatch):
    from engine import packagedata

    original = packagedata.read_text
    monkeypatch.setattr(packagedata, "read_text", lambda path: original(path) + '\n[inputs.x]\ndefault = 1\n'
                        if path == "data/documents/reported.toml" else original(path))
    reports.documents.cache_clear()
    try:
        with pytest.raises(ValueError, match="data/documents/reported.toml: only \\[documents.ID\\] entries"):
            reports.documents()
    finally:
        reports.documents.cache_clear()


# ------------------------------------------------------------------------------ where it shows

def test_csv_and_json_hold_the_rows(capsys):
    assert main(["table", ID, "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    rows = {r["key"]: r for r in d["rows"]}
    assert rows["china_ai_server_error"]["values"][1] == pytest.approx(42.945, abs=1e-3)
    assert rows["hbm_sources"]["values"][2].startswith("图表85 (fig85.market) | Micron")
    assert main(["table", ID, "--format", "csv"]) == 0
    csv = capsys.readouterr().out
    assert "nvidia_q2_reported" in csv and "none found for the full year" in csv


def test_ai_table_returns_the_exhibit():
    rows = udfs.AI_TABLE("forecast_vs_reported")
    assert rows[0][3:] == list(forecast.YEARS)
    by_label = {r[1]: r for r in rows[1:]}                 # label_zh (none here), then label_en
    china = by_label["China AI servers: error"]
    assert china[3] == "" and math.isclose(china[4], 42.945, abs_tol=1e-3)
    sources = by_label["NVIDIA fiscal Q2 2024: sources"]
    assert sources[4].startswith("摘要 (fig53.nvidia_q2_guidance) | NVIDIA, Q2 FY2024 results (2023-08-23)")
