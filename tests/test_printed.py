"""The report's printed values as package data (engine/data/printed/*.toml, engine.printed): the
files load, every exhibit and row they name exists, every cell parses, every row has one cell
per column and every label is the exhibit's.
"""

from __future__ import annotations

import pytest

from engine import errata, exhibits, packagedata, printed, reports, scenarios
from engine import export_control as ec
from engine.exhibits import export_control as export_exhibits

SOURCES = ["export_control", "network", "passages", "quoted", "seed000", "seed001"]
KINDS = ("cells", "derived", "text")


def _columns(ex_id):
    return scenarios.axes()[exhibits.get(ex_id).axis]


def _rows(kind, ex_id):
    return {"cells": printed.cells, "derived": printed.derived, "text": printed.texts}[kind](ex_id)


ALL = [(kind, ex_id) for kind in KINDS for ex_id in printed.exhibits(kind=kind)]


def test_the_package_data_loads():
    assert printed.sources() == SOURCES
    assert packagedata.listdir(printed.FOLDER) == [f"{printed.FOLDER}/{s}.toml" for s in SOURCES]
    for source in SOURCES:
        assert any(printed.exhibits(source, kind) for kind in KINDS), source
    assert len(printed.exhibits()) == len(set(printed.exhibits())) >= 50
    assert printed.deviations() and printed.corrected()


def test_no_exhibit_takes_the_name_of_a_section():
    assert not set(printed.SECTIONS) & {e.id for e in exhibits.all_exhibits()}


@pytest.mark.parametrize("kind, ex_id", ALL, ids=[f"{k}-{e}" for k, e in ALL])
def test_each_row_exists_and_has_a_cell_per_column(kind, ex_id):
    exhibit = exhibits.get(ex_id)
    assert exhibit.id == ex_id
    columns = _columns(ex_id)
    keys = {r.key for r in exhibit.rows}
    rows = _rows(kind, ex_id)
    assert rows, f"{kind} {ex_id}: no rows"
    for key, (_label, cells) in rows.items():
        assert key in keys, f"{kind} {ex_id}: no row {key!r} in the exhibit"
        n = len(cells) if kind == "text" else len(cells.split())
        assert n == len(columns), f"{kind} {ex_id} {key}: {n} cells for {len(columns)} columns"


@pytest.mark.parametrize("kind, ex_id", [a for a in ALL if a[0] != "text"],
                         ids=[f"{k}-{e}" for k, e in ALL if k != "text"])
def test_every_cell_parses(kind, ex_id):
    for key, (_, cells) in _rows(kind, ex_id).items():
        for cell in cells.split():
            parsed = printed.parse(cell)
            if cell in ("-", "_"):
                assert parsed is None
            else:
                value, decimals, exponent = parsed
                assert isinstance(value, float) and decimals >= 0, f"{ex_id} {key}: {cell}"


@pytest.mark.parametrize("kind, ex_id", [a for a in ALL if a[0] != "derived"],
                         ids=[f"{k}-{e}" for k, e in ALL if k != "derived"])
def test_labels_are_the_exhibits(kind, ex_id):
    exhibit = exhibits.get(ex_id)
    for key, (label, _) in _rows(kind, ex_id).items():
        if label is not None:
            assert exhibit.row(key).label_zh == label, f"{ex_id} {key}: {label!r} is not the exhibit's label"


def test_derived_rows_carry_no_label():
    assert all(label is None for ex_id in printed.exhibits(kind="derived")
               for label, _ in printed.derived(ex_id).values())


def test_text_cells_are_strings_and_quotes_align():
    for ex_id in printed.exhibits(kind="text"):
        texts = printed.texts(ex_id)
        for key, quoted in printed.quotes(ex_id).items():
            assert len(quoted) == len(texts[key][1])
            assert all((q == "_") == (c == "_") for q, c in zip(quoted, texts[key][1], strict=True)), f"{ex_id} {key}"


@pytest.mark.parametrize("where, expected", list(printed.deviations().items()), ids=str)
def test_deviations_name_a_cell_and_an_erratum(where, expected):
    ex_id, key, column = where
    printed_cell, erratum_id, consistent = expected
    exhibit = exhibits.get(ex_id)
    assert key in {r.key for r in exhibit.rows} and column in _columns(ex_id)
    assert errata.get(erratum_id) and erratum_id in exhibit.errata
    assert printed.parse(printed_cell) is not None and printed.parse(consistent) is not None


def test_corrected_cells_name_a_switch():
    for (ex_id, switch), rows in printed.corrected().items():
        assert scenarios.schema()[switch].is_switch
        keys = {r.key for r in exhibits.get(ex_id).rows}
        for key, cells in rows.items():
            assert key in keys and len(cells.split()) == len(_columns(ex_id))
            assert all(printed.parse(c) is not None for c in cells.split())


def test_the_export_verdicts_are_the_reports_five():
    """The AI-server compilation, §二.3(1) and §三.2(4): A100 and H100 restricted; A800 (both) and V100 not."""
    chips = _columns("export_control")
    verdicts = dict(zip(chips, printed.texts("export_control")["class_2022"][1], strict=True))
    quoted = dict(zip(chips, printed.quotes("export_control")["class_2022"], strict=True))
    given = {c: v for c, v in verdicts.items() if v != "_"}
    assert given == {"v100_sxm": ec.NOT_RESTRICTED, "a100_sxm": ec.RESTRICTED, "h100_sxm": ec.RESTRICTED,
                     "a800_80gb": ec.NOT_RESTRICTED, "a800_pcie_40gb": ec.NOT_RESTRICTED}
    assert all(quoted[c].startswith(reports.short("ai-server-2023") + " §") for c in given)
    assert export_exhibits.EXPORT_CONTROL.id in printed.exhibits(kind="derived")
    assert "export_control" not in printed.exhibits()        # the report prints no TPP table


# ----------------------------------------------------------------------------------- the accessors
@pytest.mark.parametrize("cell, expected", [
    ("87.18", (87.18, 2, 0)), ("9.0×10^9", (9.0, 1, 9)), ("1.3×10^10", (1.3, 1, 10)), ("20.00%", (20.0, 2, 0)),
    ("-8.4%", (-8.4, 1, 0)), ("1,100", (1100.0, 0, 0)), ("10,368", (10368.0, 0, 0)), ("3×10^4", (3.0, 0, 4)),
    ("0.3749", (0.3749, 4, 0)), ("-", None), ("_", None),
])
def test_parse(cell, expected):
    assert printed.parse(cell) == expected


@pytest.mark.parametrize("cell", ["", "abc", "1.2.3", "9.0x10^9", "NaN", "Infinity"])
def test_parse_rejects_what_is_not_a_cell(cell):
    with pytest.raises(ValueError):
        printed.parse(cell)


def test_value_in_display_units():
    assert printed.value("fig49", "a100_total", "2026E") == 2079.30
    assert printed.value("fig49", "mm_flop_per_model", "2023E") == 9e9
    assert printed.value("fig49", "mm_flop_per_model", 4) == 3.9e10
    assert printed.value("fig49", "mm_params_yoy", "2024E") == 20.0             # a percentage
    assert printed.value("fig49", "mm_params_yoy", "2023E") is None             # "-"
    assert printed.value("fig51", "peak_users", 1) is None                      # "_"
    assert printed.value("fig159", "capex_sqft", 1) == 1100                     # "1,100"
    assert printed.value("s1.2_caict_compute", "global", 1) == 56e3             # "56×10^3"
    assert printed.value("fig160", "launched", "Phase 1") == "August 2015"      # text
    assert printed.value("export_control", "class_2022", "a100_sxm") == ec.RESTRICTED
    assert printed.value("export_control", "class_2022", "t4") is None
    assert printed.value("export_control", "tpp_max", "a100_sxm") is None      # derived, not printed
    assert printed.value("fig49", "mm_peak", "2027E") == 2879341.71


def test_value_names_a_bad_column():
    with pytest.raises(KeyError, match="2030E"):
        printed.value("fig49", "a100_total", "2030E")
    with pytest.raises(IndexError):
        printed.value("fig49", "a100_total", 5)


def test_accessors_return_copies():
    rows = printed.cells("fig49")
    rows.clear()
    assert printed.cells("fig49")
    assert printed.cells("no_such_exhibit") == {} and printed.texts("fig49") == {}


def test_exhibits_filters_by_source_and_kind():
    assert printed.exhibits("network") == ["optics", "switching"]
    assert printed.exhibits("seed000")[:2] == ["fig49", "fig50"]
    assert printed.exhibits("seed001", "text") == ["s001_gpt_scale", "s001_server_cpu"]
    assert set(printed.deviations("network")) == {("switching", "pcie4_gbps", "value"),
                                                  ("switching", "pcie5_gbps", "value")}
    with pytest.raises(ValueError, match="source"):
        printed.exhibits("seed002")
    with pytest.raises(ValueError, match="kind"):
        printed.exhibits(kind="numbers")


# ----------------------------------------------------------------------------------- bad files
@pytest.fixture
def files(monkeypatch):
    """Serve the given texts as the data files, as a bundle does."""

    def serve(texts: dict[str, str]):
        monkeypatch.setattr(packagedata, "BUNDLE", {f"{printed.FOLDER}/{k}": v for k, v in texts.items()})
        printed._files.cache_clear()
        printed._index.cache_clear()

    yield serve
    monkeypatch.undo()
    printed._files.cache_clear()
    printed._index.cache_clear()


def test_reads_from_a_bundle(files):
    files({"a.toml": '[fig49.a100_total]\nlabel = "x"\ncells = "1  2 3 4 5"\n'})
    assert printed.sources() == ["a"]
    assert printed.cells("fig49") == {"a100_total": ("x", "1 2 3 4 5")}


@pytest.mark.parametrize("text, message", [
    ('[fig49.a100_total]\nlabel = "x"\n', "needs cells"),
    ('[fig49.a100_total]\ncells = ["1"]\n', "one string"),
    ('[fig49.a100_total]\ncells = "1"\nunit = "x"\n', "unknown keys"),
    ('[fig49.a100_total]\ncells = "1"\nlabel = 3\n', "label"),
    ('[text.fig160.launched]\ncells = "a b"\n', "list of strings"),
    ('[text.fig160.launched]\ncells = ["a"]\nquotes = ["q", "r"]\n', "quotes"),
    ('[[deviation]]\nexhibit = "gpt3"\nrow = "pf_days"\n', "deviation"),
    ('[[corrected]]\nexhibit = "fig159"\n', "corrected"),
])
def test_a_malformed_file_names_itself_and_the_table(files, text, message):
    files({"bad.toml": text})
    with pytest.raises(ValueError, match=message) as info:
        printed.exhibits()
    assert "data/printed/bad.toml" in str(info.value)


def test_an_exhibit_in_two_files_is_refused(files):
    files({"a.toml": '[fig49.a100_total]\ncells = "1"\n', "b.toml": '[fig49.h100_total]\ncells = "1"\n'})
    with pytest.raises(ValueError, match="also in a.toml"):
        printed.exhibits()
