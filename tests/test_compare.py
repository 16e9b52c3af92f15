"""Scenarios side by side: suanli.compare's DataFrame, the `suanli compare` workbook (values, Δ, Δ%, a chart per
headline row, the inputs that differ, the errata) and the command's refusals."""

from __future__ import annotations

import math
import re
import struct
import zipfile

import openpyxl
import pytest

import suanli
from engine import comparison, exhibits, scenarios, tables
from engine.errors import UnknownNameError
from suanli.cli import main
from workbook_templates.analysis_xlsx import COMPARISON_SHEETS, write_comparison

THREE = ["csc-2023", "csc-2023-corrected", "csc-2023-text-params"]


@pytest.fixture(scope="module")
def three():
    return comparison.compare(THREE, ["chain", "cagr", "fig49"])


@pytest.fixture(scope="module")
def book(three, tmp_path_factory):
    path = tmp_path_factory.mktemp("compare") / "compare.xlsx"
    write_comparison(three, path)
    return path


# ------------------------------------------------------------------ the DataFrame
def test_the_frame_is_every_cell_of_every_scenario_with_its_differences():
    frame = suanli.compare(["csc-2023", "csc-2023-corrected"], exhibit="chain")
    assert list(frame.columns) == list(comparison.FRAME_COLUMNS)
    ex = exhibits.get("chain")
    assert len(frame) == len(ex.rows) * 5 * 2 and frame.attrs["scenarios"] == ["csc-2023", "csc-2023-corrected"]
    printed, corrected = tables.table("chain", "csc-2023"), tables.table("chain", "csc-2023-corrected")
    cards = frame[(frame.row == "cards") & (frame.column == "2027E")].set_index("scenario")
    a, b = printed.value("cards", "2027E"), corrected.value("cards", "2027E")
    assert cards.loc["csc-2023", ["value", "diff", "diff_pct"]].tolist() == [a, 0.0, 0.0]
    assert cards.loc["csc-2023-corrected", "value"] == b
    assert cards.loc["csc-2023-corrected", "diff"] == pytest.approx(b - a, rel=1e-15)
    assert cards.loc["csc-2023-corrected", "diff_pct"] == pytest.approx((b - a) / a * 100, rel=1e-15)
    assert cards.loc["csc-2023", "unit"] == "万张"
    # E01 corrected: inference cards fall by the 30% utilisation the report applied twice
    infer = frame[(frame.row == "infer_a100_eq") & (frame.scenario == "csc-2023-corrected")]
    assert infer.diff_pct.round(9).unique().tolist() == [-70.0]
    # a cell waiting for an input has no value, and so no difference
    switch = frame[(frame.row == "switch_capex")]
    assert switch.value.isna().all() and switch["diff"].isna().all() and switch.diff_pct.isna().all()


def test_a_percent_row_differs_in_percentage_points():
    frame = suanli.compare(["csc-2023", "csc-2023-corrected"], exhibit=["cagr"])
    train = frame[frame.row == "train_cagr"].set_index("scenario")
    assert train.loc["csc-2023", "unit"] == "%"
    a, b = train.loc["csc-2023", "value"], train.loc["csc-2023-corrected", "value"]
    assert round(a, 1) == 78.0 and round(b, 1) == 88.0            # the printed 78.0% and the total's 88.0%
    assert train.loc["csc-2023-corrected", "diff"] == pytest.approx(b - a)


def test_scenario_objects_and_several_exhibits():
    mine = scenarios.load("csc-2023", {"train_utilization": 0.45})
    mine.name = "house"
    frame = suanli.compare(["csc-2023", mine], exhibit=["fig49", "fig108"])   # fig108 is fig7
    assert frame.attrs["exhibits"] == ["fig49", "fig7"]
    a100 = frame[(frame.exhibit == "fig49") & (frame.row == "a100_total") & (frame.scenario == "house")]
    assert a100.diff_pct.round(9).unique().tolist() == [round((0.3 / 0.45 - 1) * 100, 9)]


def test_two_scenarios_of_one_name_are_told_apart_by_how_they_were_given():
    a = scenarios.load("csc-2023", {"train_utilization": 0.45})
    c = comparison.compare(["csc-2023", a, "csc-2023-corrected"])
    assert c.names == ("csc-2023", "csc-2023 (2)", "csc-2023-corrected")
    assert c.value("chain", "cards", 4, 1) < c.value("chain", "cards", 4, 0)


@pytest.mark.parametrize("args, kind, message", [
    ((["csc-2023"],), suanli.AnalysisError,
     "a comparison needs two or more scenarios (the first is the one the others are compared with), got 1: csc-2023"),
    (([],), suanli.AnalysisError, "got 0: none"),
    (("csc-2023",), suanli.InvalidTypeError, "scenarios must be a list of two or more scenario names"),
    ((["csc-2023", "csc-2032"],), UnknownNameError, "unknown scenario 'csc-2032'; one of: ai-server-2023, csc-2023, "
                                                    "csc-2023-corrected, csc-2023-text-dau, csc-2023-text-params, today, a "
                                                    "scenario file (FILE.toml) (did you mean csc-2023?)"),
    ((["csc-2023", "csc-2023-corrected"], "chian"), UnknownNameError, "(did you mean chain?)"),
    ((["csc-2023", "csc-2023-corrected"], []), suanli.AnalysisError, "a comparison needs an exhibit"),
    ((["csc-2023", "csc-2023"],), suanli.AnalysisError, "scenario csc-2023 is given twice; compare different scenarios"),
])
def test_refusals_name_what_is_wrong(args, kind, message):
    with pytest.raises(kind) as caught:
        suanli.compare(*args)
    assert message in str(caught.value)


# ------------------------------------------------------------------ the workbook
def _blocks(ws, n: int):
    """{row key: {line name: [cells]}} from an exhibit's sheet of the comparison workbook."""
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:4] == ("row", "label", "unit", "scenario / difference")
    out, key = {}, None
    for r in body:
        if r[0] is not None:
            key = r[0]
            out[key] = {}
        out[key][r[3]] = list(r[4:4 + len([h for h in header[4:] if h is not None])])
    assert all(len(lines) == n + 2 * (n - 1) for lines in out.values())
    return out


def test_every_row_of_every_exhibit_side_by_side_with_its_differences(three, book):
    wb = openpyxl.load_workbook(book, data_only=True)
    assert wb.sheetnames == ["Headlines", "chain", "cagr", "fig49", *COMPARISON_SHEETS[1:]]
    frame = three.to_frame()
    for ex in three.exhibits:
        blocks = _blocks(wb[ex.id], 3)
        assert list(blocks) == [r.key for r in ex.rows]
        for r in ex.rows:
            for j, column in enumerate(three.columns(ex.id)):
                for i, name in enumerate(THREE):
                    want = frame[(frame.exhibit == ex.id) & (frame.row == r.key) & (frame.column == column)
                                 & (frame.scenario == name)].iloc[0]
                    got = blocks[r.key][name][j]
                    if isinstance(want.value, float) and not math.isnan(want.value):
                        # XlsxWriter stores 16 significant digits
                        assert got == pytest.approx(want.value, rel=1e-15), (ex.id, r.key, column, name)
                    else:                                   # what the cell shows instead of a number
                        assert got == three.shown(ex.id, r.key, j, i), (ex.id, r.key, column, name, got)
                    if i:
                        for line, field in ((f"Δ {name}", "diff"), (f"Δ% {name}", "diff_pct")):
                            expected = want[field]
                            shown = blocks[r.key][line][j]
                            if expected is None or (isinstance(expected, float) and math.isnan(expected)):
                                assert shown is None, (ex.id, r.key, line, shown)
                            else:
                                assert shown == pytest.approx(expected, rel=1e-12, abs=1e-12), (ex.id, r.key, line)


def test_differences_are_formulas_over_the_values_above_them(book):
    ws = openpyxl.load_workbook(book)["cagr"]
    rows = {r[3].value: r for r in ws.iter_rows(min_row=5, max_row=11)}   # the first row's block
    assert rows["csc-2023"][4].value == pytest.approx(tables.table("cagr", "csc-2023").value("train_start", 0))
    base, second = rows["csc-2023"][4].coordinate, rows["csc-2023-corrected"][4].coordinate
    assert rows["Δ csc-2023-corrected"][4].value == f"={second}-{base}"
    assert rows["Δ% csc-2023-corrected"][4].value == f"=({second}-{base})/ABS({base})*100"


def test_one_chart_per_headline_row_one_unit_each(three, book):
    heads = [(ex.id, key) for ex in three.exhibits for key in three.headline_rows(ex.id)]
    assert heads[:6] == [("chain", k) for k in comparison.HEADLINES["chain"]]
    with zipfile.ZipFile(book) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        xml = [z.read(n).decode() for n in sorted(charts, key=lambda n: int(re.findall(r"\d+", n)[0]))]
    assert len(xml) == len(heads)
    ws = openpyxl.load_workbook(book)["Headlines"]
    names = {c.row: c.value for c in ws["D"] if c.value}
    for (ex_id, key), chart in zip(heads, xml, strict=True):
        row = exhibits.get(ex_id).row(key)
        unit = "%" if row.display.percent else row.unit
        assert f"{row.label_en} ({unit})" in chart, (ex_id, key)
        series = re.findall(r"<c:val><c:numRef><c:f>'Headlines'!\$E\$(\d+)(?::\$\w+\$(\d+))?</c:f>", chart)
        assert [names[int(a)] for a, b in series] == THREE and all(b in (a, "") for a, b in series), (ex_id, key)
        assert ws.cell(int(series[0][0]), 1).value == key, (ex_id, key)        # the block's first line


def test_the_inputs_that_differ_in_the_reports_units(three, book):
    ws = openpyxl.load_workbook(book, data_only=True)["Inputs"]
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]]
    assert [r[0] for r in rows] == three.inputs_that_differ()
    by_key = {r[0]: r for r in rows}
    assert by_key["mm_params_base"][2:] == ("亿 (×1e8 params)", None, 15000, 15000, 10000)   # as the report prints it
    assert by_key["fig50_util_applied_twice"][2:] == ("TRUE/FALSE", None, True, False, False)
    assert "train_utilization" not in by_key


def test_the_inputs_show_as_a_template_inputs_sheet_shows_them(tmp_path):
    """Each input in the unit, value and number format of the template workbooks' Inputs sheet (one number
    format per unit, engine.formats): 15,000 in 亿 (×1e8 params), 30% a % cell holding 0.3, 0.2 in 亿人."""
    from workbook_templates import build, groups

    mine = scenarios.load("csc-2023", {"mm_params_base": "18000亿", "train_utilization": "35%",
                                       "mm_dau": [0.3e8, 0.5e8, 1e8, 2e8, 4e8], "fig50_util_applied_twice": False})
    mine.name = "house"
    c = comparison.compare(["csc-2023", mine], "fig49")
    ours = openpyxl.load_workbook(write_comparison(c, tmp_path / "c.xlsx"))["Inputs"]
    group, report = groups.group("demand"), scenarios.load("csc-2023")
    plan = build.plan(group, report)
    template = openpyxl.load_workbook(build.build_workbook(group, tmp_path / "demand.xlsx", report))["Inputs"]
    lines = {}
    for row in ours.iter_rows(min_row=5):
        if row[0].value:
            lines.setdefault(row[0].value, []).append(row)
    assert list(lines) == ["mm_params_base", "train_utilization", "mm_dau", "fig50_util_applied_twice"]
    for key, rows in lines.items():
        for (r, col), line in zip(plan.input_layout.cells(key), rows, strict=True):
            theirs = template.cell(r + 1, col + 1)
            assert line[2].value == template.cell(r + 1, 2).value, key                  # the unit column
            assert line[4].value == theirs.value and line[4].number_format == theirs.number_format, key
    assert [r[5].value for r in lines["train_utilization"]] == [0.35] * 5
    assert lines["mm_params_base"][0][5].value == 18000 and lines["mm_dau"][0][5].value == 0.3


def test_inputs_of_a_scenario_with_values_per_year_one_line_a_year(tmp_path):
    c = comparison.compare(["csc-2023", "csc-2023-text-dau"], "fig50")
    path = write_comparison(c, tmp_path / "dau.xlsx")
    rows = [r for r in openpyxl.load_workbook(path, data_only=True)["Inputs"].iter_rows(min_row=5, values_only=True)
            if r[0] == "std_dau"]
    assert [r[3] for r in rows] == list(scenarios.axes()["years"])
    assert [r[2] for r in rows] == ["亿人 (×1e8 users)"] * 5 and rows[0][4:] == (0.2, 0.1)   # 2000万; the text's 1000万


def test_each_scenarios_errata(three, book):
    ws = openpyxl.load_workbook(book, data_only=True)["Errata"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["E01"][2] == "fig50_util_applied_twice" and rows["E01"][4:] == ("as printed", "corrected", "corrected")
    assert rows["E03"][3] == "csc-2023-text-params"
    assert rows["E03"][4:] == ("table value", "table value", "alternative applied")
    assert set(rows) == {e.id for e in three.errata()}


def test_the_about_sheet_says_what_was_compared(book):
    items = {r[0]: r[1:] for r in openpyxl.load_workbook(book)["About"].iter_rows(min_row=4, values_only=True)}
    assert items["scenario (base)"][0] == "csc-2023" and items["Δ"][0] == "scenario − csc-2023"


def test_no_input_differs_and_a_headline_with_no_number(tmp_path, monkeypatch):
    """Two scenarios with the same values (seed 001's names only the market view its exhibits read), and a
    headline row that waits for an input in both: the Inputs sheet says so; that chart is left out, with a note."""
    monkeypatch.setitem(comparison.HEADLINES, "chain", ("switch_capex", "cards"))
    c = comparison.compare(["csc-2023", "ai-server-2023"], "chain")
    assert c.inputs_that_differ() == [] and not any(c.differs("chain", r.key) for r in exhibits.get("chain").rows)
    path = write_comparison(c, tmp_path / "same.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb["Inputs"]["A5"].value == "no input differs: every scenario has the same values"
    about = [r[:3] for r in wb["About"].iter_rows(values_only=True)]
    assert ("note", "no chart of chain.switch_capex", "no scenario has a number in it") in about
    with zipfile.ZipFile(path) as z:
        assert sum(bool(re.fullmatch(r"xl/charts/chart\d+\.xml", n)) for n in z.namelist()) == 1
    assert wb["chain"]["E5"].value is not None


# ------------------------------------------------------------------ the command
def test_cli_writes_the_workbook_and_prints_the_headlines(tmp_path, capsys):
    out = tmp_path / "c.xlsx"
    assert main(["compare", "csc-2023", "csc-2023-corrected", "--exhibit", "fig49", "--exhibit", "cagr",
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert " ".join(text.splitlines()).startswith(        # the first line wraps at the terminal's width
        f"wrote {out}: fig49, cagr in 2 scenarios; 6 inputs differ (fig50_util_applied_twice,")
    assert re.search(r"infer_cagr\s+%\s+113%\s+158%\s+\+39\.\d%", text), text
    assert re.search(r"a100_total\s+万张\s+3,459\.04\s+3,459\.04\s+0\.0%", text), text
    assert openpyxl.load_workbook(out).sheetnames == ["Headlines", "fig49", "cagr", *COMPARISON_SHEETS[1:]]


HOUSE = """name = "house"
title = "House view"
base = "csc-2023-corrected"

[values]
train_utilization = "45%"
mm_params_base = "18000亿"
"""


def test_a_scenario_file_is_compared_wherever_a_name_is(tmp_path, capsys, monkeypatch):
    """`suanli compare house.toml csc-2023` and suanli.compare(["house.toml", ...]) read the file through the
    one resolver of scenario files; the workbook's About sheet records its file, bases and values hash."""
    from suanli import scenariofiles

    monkeypatch.chdir(tmp_path)
    (tmp_path / "house.toml").write_text(HOUSE, encoding="utf-8")
    assert main(["compare", "house.toml", "csc-2023", "--out", "c.xlsx"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert out.startswith("wrote c.xlsx: chain in 2 scenarios; ")
    house = scenariofiles.read("house.toml")
    frame = suanli.compare(["house.toml", "csc-2023"], exhibit="fig49")
    assert frame.attrs["scenarios"] == ["house", "csc-2023"]
    a100 = frame[(frame.row == "a100_total") & (frame.column == "2027E")].set_index("scenario")
    assert a100.loc["house", "value"] == suanli.table("fig49", scenario=house).value("a100_total", "2027E")
    assert a100.loc["csc-2023", "value"] == suanli.table("fig49", scenario="csc-2023").value("a100_total", "2027E")
    wb = openpyxl.load_workbook("c.xlsx")
    about = [r[:2] for r in wb["About"].iter_rows(values_only=True)]
    assert ("scenario (base)", "house") in about and ("scenario file", "house.toml") in about
    assert ("based on", "csc-2023-corrected ← csc-2023") in about and ("scenario hash", house.fingerprint) in about
    keys = [r[0] for r in wb["Inputs"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert {"train_utilization", "mm_params_base", "fig50_util_applied_twice"} <= set(keys)
    # two files of one name are told apart by their paths; a bad file is refused naming it, nothing written
    (tmp_path / "q3").mkdir()
    (tmp_path / "q3" / "house.toml").write_text(HOUSE.replace('"45%"', '"40%"'), encoding="utf-8")
    assert suanli.compare(["house.toml", "q3/house.toml"], "fig49").attrs["scenarios"] == ["house", "q3/house.toml"]
    (tmp_path / "bad.toml").write_text('base = "csc-2023"\n[values]\nmm_params_bas = 1\n', encoding="utf-8")
    assert main(["compare", "csc-2023", "bad.toml", "--out", "bad.xlsx"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("suanli: bad.toml: [values] unknown input key 'mm_params_bas'") and "mm_params_base" in err
    assert not (tmp_path / "bad.xlsx").exists()


def test_cli_default_exhibit_is_the_chain(tmp_path, capsys):
    out = tmp_path / "c.xlsx"
    assert main(["compare", "csc-2023", "csc-2023-corrected", "--out", str(out)]) == 0
    assert "chain at 2027E:" in capsys.readouterr().out
    assert openpyxl.load_workbook(out).sheetnames[1] == "chain"


@pytest.mark.parametrize("argv, message", [
    (["csc-2023"], "a comparison needs two or more scenarios"),
    ([], "got 0: none"),
    (["csc-2023", "csc-2032"], "unknown scenario 'csc-2032'; one of: "),
    (["csc-2023", "csc-2023-corrected", "--exhibit", "fig49x"], "(did you mean fig49?)"),
    (["csc-2023", "csc-2023-corrected", "--exhibit", "chain", "--exhibit", "chian"], "(did you mean chain?)"),
    (["csc-2023", "csc-2023"], "scenario csc-2023 is given twice"),
])
def test_cli_refusals_are_one_line_and_write_nothing(argv, message, tmp_path, capsys):
    out = tmp_path / "c.xlsx"
    assert main(["compare", *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("suanli: ") and message in err and err.count("\n") == 1, err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_cli_out_and_picture_must_name_the_right_kind_of_file(tmp_path, capsys):
    assert main(["compare", "csc-2023", "csc-2023-corrected", "--out", str(tmp_path / "c.csv")]) == 2
    assert "--out must be a file name ending in .xlsx" in capsys.readouterr().err
    assert main(["compare", "csc-2023", "csc-2023-corrected", "--out", str(tmp_path / "c.xlsx"),
                 "--picture", str(tmp_path / "c.jpg")]) == 2
    assert "--picture must be a file name ending in .png" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ headline rows
def test_every_headline_row_exists_and_has_numbers():
    for ex_id, keys in comparison.HEADLINES.items():
        ex = exhibits.get(ex_id)
        for key in keys:
            assert ex.row(key).unit != "text", (ex_id, key)


# ------------------------------------------------------------------ a real spreadsheet
@pytest.mark.libreoffice
def test_libreoffice_computes_the_differences_the_workbook_caches(book, tmp_path):
    from suanli import libreoffice

    [again] = libreoffice.recalculate([book], tmp_path)
    cached, computed = libreoffice.read_values(book), libreoffice.read_values(again)
    formulas = openpyxl.load_workbook(book)
    checked = 0
    for name in ("Headlines", "chain", "cagr", "fig49"):
        for row in formulas[name].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    want = cached[name][cell.coordinate]
                    assert computed[name][cell.coordinate] == pytest.approx(want, rel=1e-13, abs=1e-9), \
                        (name, cell.coordinate, cell.value)
                    checked += 1
    assert checked > 500


@pytest.mark.libreoffice
def test_cli_picture_of_the_headlines(tmp_path, capsys):
    out, png = tmp_path / "c.xlsx", tmp_path / "c.png"
    assert main(["compare", "csc-2023", "csc-2023-corrected", "--out", str(out), "--picture", str(png)]) == 0
    assert capsys.readouterr().out.rstrip().endswith(f"wrote {png}: the Headlines sheet")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    width, height = struct.unpack(">II", data[16:24])
    assert height < width, (width, height)       # the portrait page's empty bottom is cut away


# ------------------------------------------------------------------ the README says what the code does
def _readme_section(title: str) -> str:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_readme_compare_command_prints_what_it_shows(tmp_path, capsys, monkeypatch):
    section = _readme_section("Comparing scenarios")
    block = re.search(r"```\n\$ (suanli compare .*?)\n(.*?)```", section, flags=re.S)
    argv, shown = block.group(1).split()[1:], block.group(2)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")          # as the README's outputs are shown (tests/test_readme.py)
    assert main(argv) == 0
    assert capsys.readouterr().out == shown
    assert (tmp_path / "out" / "compare.xlsx").is_file()


def test_readme_compare_python_examples():
    import doctest

    section = _readme_section("Comparing scenarios")
    blocks = re.findall(r"```pycon\n(.*?)```", section, flags=re.S)
    assert blocks
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {"suanli": suanli}, "README compare",
                                               "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_readme_overrides_messages_are_the_functions():
    from addin import udfs

    section = _readme_section("Excel functions")
    shown = re.search(r"`mm_params_base \| 2e12` shows\n\n```\n(.*?)```", section, flags=re.S).group(1)
    bad = [["train_util", 0.3], ["mm_params_base", "18000亿"], ["train_utilization", 30], [None, None],
           ["mm_params_base", "2e12"]]
    assert [r[0] for r in udfs.AI_TABLE("fig49", "csc-2023-corrected", bad)] == shown.splitlines()
    assert udfs.AI_INPUT("mm_params_base", None, [["train_utilization", "45%"], ["mm_params_base", "18000亿"],
                                                  [None], ["mm_vendors", "5,8,10,12,14"],
                                                  ["std_vendors", 15, 20, 25, 30, 35]]) == 1.8e12
