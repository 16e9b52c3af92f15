"""suanli batch: one workbook per scenario row, a summary and a manifest; bad rows reported, resume."""

from __future__ import annotations

import json
import os
import re
import zipfile

import openpyxl
import pytest
from xlsxwriter.utility import xl_col_to_name

from engine import scenarios
from suanli.cli import main
from workbook_templates import batch, build, groups
from workbook_templates.meta import META_SHEET

CSV = """name,train_utilization,mm_dau[2025E],chain_share_h100_sxm,fig50_util_applied_twice
base,,,,
high util,0.45,,0.5,false
"=HYPERLINK(""http://x"")",0.3,2e8,,
bad util,30,,,
text cell,abc,,,
日本/中文 名字,0.35,,,
"""


def _cached(path):
    wb = openpyxl.load_workbook(path, data_only=True)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for r in ws.iter_rows() for c in r
            if c.value is not None and ws.title != META_SHEET}


@pytest.fixture()
def csv_file(tmp_path):
    p = tmp_path / "scenarios.csv"
    p.write_text(CSV, encoding="utf-8")
    return p


def test_batch_writes_workbooks_summary_and_manifest(csv_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["batch", str(csv_file), "--out", str(out), "--jobs", "2"]) == 1      # two rows fail
    err = capsys.readouterr().err
    assert "row 5: train_utilization must be in (0, 1], got 30 (did you mean 0.30?)" in err
    assert "row 6: train_utilization must be a number, got 'abc'" in err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = {e["scenario"]: e for e in manifest["scenarios"]}
    assert [e["status"] for e in manifest["scenarios"]] == ["ok", "ok", "ok", "error", "error", "ok"]
    assert entries["bad util"]["key"] == "train_utilization"
    files = sorted(p.name for p in out.glob("*.xlsx"))
    assert files == sorted(["base.xlsx", "high_util.xlsx", "HYPERLINK_http_x.xlsx", "日本_中文_名字.xlsx",
                            "summary.xlsx"])
    assert not list(out.glob("*.part"))
    # each workbook is exactly what templates build writes for that scenario
    sc = scenarios.load("csc-2023").with_values({"train_utilization": 0.45, "chain_share_h100_sxm": 0.5,
                                                 "fig50_util_applied_twice": False})
    expected = tmp_path / "expected.xlsx"
    build.build_workbook(groups.group("chain"), expected,
                         scenarios.Scenario("high util", sc.values, "high util"))
    assert _cached(out / "high_util.xlsx") == _cached(expected)


def test_per_column_override_and_text_stays_text(csv_file, tmp_path):
    out = tmp_path / "out"
    batch.run_batch(csv_file, out, jobs=1)
    wb = openpyxl.load_workbook(out / "HYPERLINK_http_x.xlsx")
    target = wb.defined_names["mm_dau"].attr_text.split("!")[1].replace("$", "")
    values = [c.value for row in wb["Inputs"][target] for c in row]
    assert values == [0.2, 0.5, 2, 2, 4]                             # 亿人, as the sheet shows it; only 2025E changed
    with zipfile.ZipFile(out / "summary.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert "HYPERLINK" not in sheet.split("<f>")[0] or "<f>HYPERLINK" not in sheet
    assert '=HYPERLINK("http://x")' in strings.replace("&quot;", '"')


def test_summary_has_headlines_and_charts(csv_file, tmp_path):
    out = tmp_path / "out"
    batch.run_batch(csv_file, out, base="csc-2023", jobs=1)
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    ws = wb["Summary"]
    head = batch.SUMMARY_HEADER_ROW + 1
    assert "base scenario csc-2023 (CSC 2023 report, as printed)" in ws["A2"].value
    assert "errata as printed: E01 E02 E05 E06 E13 E19" in ws["A2"].value
    inputs = ["train_utilization (%)", "mm_dau[2025E] (亿人 (×1e8 users))", "chain_share_h100_sxm (%)",   # display units
              "fig50_util_applied_twice"]
    heads = [c.value for c in ws[head]]
    assert heads[:2] == ["scenario", "workbook"] and sorted(heads[2:6]) == sorted(inputs)
    assert heads[6:] == [h[3] for h in batch.HEADLINES]
    assert heads.index(inputs[0]) < heads.index(inputs[1]) and heads.index(inputs[2]) < heads.index(inputs[3])
    assert ws.cell(row=head + 4, column=1).value and ws.cell(row=head + 5, column=1).value is None
    rows = {r[0]: dict(zip(heads, r, strict=True)) for r in ws.iter_rows(min_row=head + 1, max_row=head + 4,
                                                                           values_only=True)}
    assert [rows["base"][k] for k in inputs] == [0.3, 1, 0, True]                    # 30%, 1亿 users, 0%
    assert [rows["high util"][k] for k in inputs] == [0.45, 1, 0.5, False]            # what makes it differ
    assert rows['=HYPERLINK("http://x")'][inputs[1]] == 2
    first = batch.HEADLINES[0][3]
    assert rows["high util"][first] == pytest.approx(rows["base"][first] * 0.3 / 0.45)   # 1/utilisation
    assert ws.row_dimensions[head].height >= 4 * 15                   # the wrapped headers are shown whole
    charts = {c.title.tx.rich.p[0].r[0].t for c in ws._charts}
    moving = {h[3] for h in batch.HEADLINES if len({round(r[h[3]], 9) for r in rows.values()}) > 1}
    assert charts == moving and len(charts) >= 5
    notes = [c.value for c in ws["A"] if isinstance(c.value, str) and "in every scenario" in c.value]
    assert len(notes) == len(batch.HEADLINES) - len(charts)           # a headline that does not move: a line
    with zipfile.ZipFile(out / "summary.xlsx") as z:
        assert sum(n.startswith("xl/charts/chart") for n in z.namelist()) == len(charts)
        for chart in (n for n in z.namelist() if n.startswith("xl/charts/chart")):
            j = next(j for j, h in enumerate(batch.HEADLINES) if h[3] in z.read(chart).decode())
            col = xl_col_to_name(2 + 4 + j)                           # each chart plots its own column
            assert f"Summary!${col}${head + 1}:${col}${head + 4}" in z.read(chart).decode()


def test_summary_cagr_charts_differ_when_the_growth_paths_do(tmp_path):
    """The CAGR headlines do not move when an input scales every year alike (utilisation); they do when a row
    changes one year, and then each gets its own chart of its own values."""
    rows = tmp_path / "s.csv"
    rows.write_text("name,mm_dau[2027E],train_utilization,mm_params_growth\nbear,2.4e8,0.4,0.1\nbase,,,\n"
                    "bull,6e8,0.25,0.3\n", encoding="utf-8")
    out = tmp_path / "out"
    batch.run_batch(rows, out, base="csc-2023-corrected", jobs=1)
    ws = openpyxl.load_workbook(out / "summary.xlsx")["Summary"]
    head = batch.SUMMARY_HEADER_ROW + 1
    last = len(batch.HEADLINES) + 2 + 3
    cagr = [ws.cell(row=r, column=c).value for c in (last - 1, last) for r in range(head + 1, head + 4)]
    train, infer = cagr[:3], cagr[3:]
    assert len(set(train)) == 3 and len(set(infer)) == 3 and train != infer
    assert {c.title.tx.rich.p[0].r[0].t for c in ws._charts} >= {h[3] for h in batch.HEADLINES[-2:]}


def test_resume_builds_only_what_is_missing_or_changed(csv_file, tmp_path):
    out = tmp_path / "out"
    batch.run_batch(csv_file, out, jobs=1)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.xlsx")}
    (out / "base.xlsx").unlink()
    csv_file.write_text(CSV.replace("high util,0.45", "high util,0.40"), encoding="utf-8")
    report = batch.run_batch(csv_file, out, jobs=1, resume=True)
    resumed = {e["scenario"] for e in report.entries if e.get("resumed")}
    assert resumed == {'=HYPERLINK("http://x")', "日本/中文 名字"}
    assert (out / "base.xlsx").exists()
    assert (out / "high_util.xlsx").stat().st_mtime_ns != stamps["high_util.xlsx"]
    assert (out / "日本_中文_名字.xlsx").stat().st_mtime_ns == stamps["日本_中文_名字.xlsx"]


def test_an_interrupted_build_leaves_no_half_written_workbook(csv_file, tmp_path, monkeypatch):
    out = tmp_path / "out"

    def boom(self, *a, **k):
        raise KeyboardInterrupt

    import xlsxwriter.workbook
    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "close", boom)
    with pytest.raises(KeyboardInterrupt):
        batch.run_batch(csv_file, out, jobs=1)
    assert not [p for p in out.iterdir() if p.suffix in (".xlsx", ".part") or p.name.endswith(".part")]


def test_xlsx_scenario_file_and_bad_files(tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "train_days", "mm_vendors[2027E]", "nope"])
    ws.append(["a", 14, 20, None])
    ws.append(["b", 0, None, None])
    ws.append(["c", 7, 16, 3])
    path = tmp_path / "s.xlsx"
    wb.save(path)
    report = batch.run_batch(path, tmp_path / "out", jobs=1, template="demand")
    status = {e["scenario"]: (e["status"], e.get("error", "")) for e in report.entries}
    assert status["a"][0] == "ok"
    assert status["b"] == ("error", "row 3: train_days must be in (0, 3650], got 0")
    assert status["c"][0] == "error" and "row 4: unknown input key 'nope'" in status["c"][1]
    (tmp_path / "x.txt").write_text("name\n", encoding="utf-8")
    assert main(["batch", str(tmp_path / "x.txt"), "--out", str(tmp_path / "o")]) == 2
    assert "must be a .csv or .xlsx file" in capsys.readouterr().err
    (tmp_path / "noname.csv").write_text("scenario,train_days\nx,7\n", encoding="utf-8")
    assert main(["batch", str(tmp_path / "noname.csv"), "--out", str(tmp_path / "o")]) == 2
    assert "needs a 'name' column" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "noname.csv"), "--out", str(tmp_path / "o"), "--template", "x"]) == 2
    assert "unknown template 'x'" in capsys.readouterr().err


def test_safe_filenames():
    taken: set[str] = set()
    assert batch.safe_filename("a/b\\c:d*e?", taken) == "a_b_c_d_e.xlsx"
    assert batch.safe_filename("A/B\\C:D*E?", taken) == "A_B_C_D_E_2.xlsx"
    assert batch.safe_filename("CON", taken) == "_CON.xlsx"
    assert batch.safe_filename("...", taken) == "scenario.xlsx"
    assert len(batch.safe_filename("x" * 300, taken)) <= 85
    assert os.sep not in batch.safe_filename("../../etc/passwd", taken)


# ------------------------------------------------------------------ files across runs
def _manifest(out):
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["scenarios"]


def test_a_new_row_never_takes_the_file_of_an_earlier_scenario(tmp_path):
    out = tmp_path / "out"
    first = tmp_path / "first.csv"
    first.write_text("name,train_utilization\nx/y,0.3\n", encoding="utf-8")
    batch.run_batch(first, out, jobs=1)
    stamp = (out / "x_y.xlsx").stat().st_mtime_ns
    second = tmp_path / "second.csv"                    # a new row whose safe name is x/y's, placed before it
    second.write_text("name,train_utilization\nx_y,0.4\nx/y,0.3\n", encoding="utf-8")
    report = batch.run_batch(second, out, jobs=1, resume=True)
    files = {e["scenario"]: e["file"] for e in report.entries}
    assert files == {"x/y": "x_y.xlsx", "x_y": "x_y_2.xlsx"}
    assert [e.get("resumed", False) for e in report.entries] == [False, True]
    assert (out / "x_y.xlsx").stat().st_mtime_ns == stamp      # x/y's workbook untouched
    assert {e["file"] for e in _manifest(out)} == {"x_y.xlsx", "x_y_2.xlsx"}
    wb = openpyxl.load_workbook(out / "x_y_2.xlsx", read_only=True)
    assert dict(wb[META_SHEET].iter_rows(values_only=True))["scenario"] == "x_y"
    # without --resume too: a later run keeps each scenario's file and rebuilds it there
    report = batch.run_batch(second, out, jobs=1)
    assert {e["scenario"]: e["file"] for e in report.entries} == files


def test_files_already_in_the_folder_are_never_overwritten(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.xlsx").write_bytes(b"the user's own workbook")
    scenarios_csv = tmp_path / "s.csv"
    scenarios_csv.write_text("name,train_utilization\nnotes,0.3\nsummary,0.4\nNOTES_2,0.5\n", encoding="utf-8")
    report = batch.run_batch(scenarios_csv, out, jobs=1)
    assert [e["file"] for e in report.entries] == ["notes_2.xlsx", "summary_2.xlsx", "NOTES_2_2.xlsx"]
    assert (out / "notes.xlsx").read_bytes() == b"the user's own workbook"
    summary = openpyxl.load_workbook(out / "summary.xlsx")["Summary"]
    listed = [summary.cell(row=r, column=2).value for r in range(batch.SUMMARY_HEADER_ROW + 2, summary.max_row + 1)]
    assert [f for f in listed if f] == ["notes_2.xlsx", "summary_2.xlsx", "NOTES_2_2.xlsx"]   # not a scenario


def test_a_manifest_naming_a_path_outside_the_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    scenarios_csv = tmp_path / "s.csv"
    scenarios_csv.write_text("name,train_utilization\nx,0.3\n", encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps({"template": "chain", "scenarios": [
        {"scenario": "x", "file": "../x.xlsx", "status": "ok", "input_hash": "0"}]}), encoding="utf-8")
    assert main(["batch", str(scenarios_csv), "--out", str(out), "--resume"]) == 2
    err = capsys.readouterr().err
    assert "manifest.json is not a manifest suanli batch wrote (entry 1 names the file '../x.xlsx'" in err
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json"]


def test_resumed_rows_keep_their_values_in_the_summary(csv_file, tmp_path):
    out = tmp_path / "out"
    batch.run_batch(csv_file, out, jobs=1)
    first = [[c.value for c in r] for r in openpyxl.load_workbook(out / "summary.xlsx")["Summary"].iter_rows()]
    report = batch.run_batch(csv_file, out, jobs=1, resume=True)
    assert sum(bool(e.get("resumed")) for e in report.entries) == 4
    again = [[c.value for c in r] for r in openpyxl.load_workbook(out / "summary.xlsx")["Summary"].iter_rows()]
    assert again == first
    head = batch.SUMMARY_HEADER_ROW + 1
    assert all(isinstance(v, (int, float)) for row in again[head:head + 4] for v in row[-8:])


# ------------------------------------------------------------------ names
def test_long_names_are_shortened_and_stay_distinct(tmp_path):
    long_a = "算力需求情景" * 13 + "甲乙"                     # 80 characters, 240 bytes
    long_b = "算力需求情景" * 13 + "丙丁"
    scenarios_csv = tmp_path / "s.csv"
    scenarios_csv.write_text(f"name,train_utilization\n{long_a},0.3\n{long_b},0.4\n", encoding="utf-8")
    report = batch.run_batch(scenarios_csv, tmp_path / "out", jobs=1)
    assert [e["status"] for e in report.entries] == ["ok", "ok"]
    a, b = (e["file"] for e in report.entries)
    assert a != b and all(len(f.encode()) <= batch.NAME_BYTES + 5 for f in (a, b))
    assert a.startswith("算力需求情景") and b.startswith("算力需求情景")
    assert batch.safe_filename(long_b, set()) == b              # the same name, whatever comes before it
    assert (tmp_path / "out" / a).is_file() and (tmp_path / "out" / b).is_file()


def test_a_line_break_in_a_name_keeps_one_progress_line_per_scenario(tmp_path, capsys):
    scenarios_csv = tmp_path / "s.csv"
    scenarios_csv.write_text('name,train_utilization\n"two\nlines",0.3\n"tab\there",abc\nplain,0.4\n',
                             encoding="utf-8")
    assert main(["batch", str(scenarios_csv), "--out", str(tmp_path / "out")]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert sorted(lines[:3]) == ["error\t3\ttab\\there\trow 3: train_utilization must be a number, got 'abc' "
                                 "(a number may end in 万亿, 亿, 万 or %, as in 18000亿, 2万, 30%)",
                                 "ok\t2\ttwo\\nlines\ttwo_lines.xlsx",
                                 "ok\t4\tplain\tplain.xlsx"]
    assert lines[3].startswith("suanli: 2 of 3 workbooks") and len(lines) == 5


# ------------------------------------------------------------------ encodings and delimiters
ROWS = "name,train_utilization,mm_dau[2025E]\n中文情景,0.35,2e8\n第二,0.4,\n"


@pytest.mark.parametrize("encoding,text", [
    ("gbk", ROWS),                                            # Excel in a Chinese locale: "CSV (逗号分隔)"
    ("gb18030", ROWS),
    ("utf-8-sig", ROWS),                                      # Excel's "CSV UTF-8"
    ("utf-16", ROWS.replace(",", "\t")),                      # Excel's "Unicode Text": UTF-16 with BOM, tabs
    ("utf-16-le", ROWS),                                      # no byte-order mark
    ("utf-8", ROWS.replace(",", ";")),                        # a semicolon-delimited CSV
    ("utf-8", "sep=;\n" + ROWS.replace(",", ";")),            # with Excel's delimiter line
], ids=["gbk", "gb18030", "utf-8-bom", "utf-16-bom-tabs", "utf-16-le", "semicolons", "sep-line"])
def test_scenario_csv_in_the_encodings_and_delimiters_excel_writes(tmp_path, encoding, text):
    path = tmp_path / "s.csv"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    rows = batch.read_scenarios(path)
    assert [(r.number, r.name, r.values) for r in rows] == [
        (2, "中文情景", {"train_utilization": "0.35", "mm_dau[2025E]": "2e8"}),
        (3, "第二", {"train_utilization": "0.4"})]


def test_an_encoding_can_be_named(tmp_path, capsys):
    path = tmp_path / "s.csv"
    path.write_bytes("name,train_utilization\nвариант,0.3\n".encode("cp1251"))
    assert main(["batch", str(path), "--out", str(tmp_path / "a")]) == 2
    assert capsys.readouterr().err == ("suanli: s.csv line 2: byte 0xe2 is neither UTF-8 nor GB18030 (GBK); save the "
                                       "file in Excel as \"CSV UTF-8\", or name its encoding with --encoding\n")
    assert not (tmp_path / "a").exists()
    assert main(["batch", str(path), "--out", str(tmp_path / "b"), "--encoding", "cp1251"]) == 0
    assert (tmp_path / "b" / "вариант.xlsx").is_file()
    assert main(["batch", str(path), "--out", str(tmp_path / "c"), "--encoding", "klingon"]) == 2
    assert capsys.readouterr().err.endswith("suanli: --encoding must be an encoding Python knows, got 'klingon' "
                                            "(utf-8, utf-8-sig, utf-16, gb18030, gbk, big5, cp1252 ...)\n")


def test_a_decimal_comma_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("name;train_utilization\na;0,35\n", encoding="utf-8")
    report = batch.run_batch(path, tmp_path / "out", jobs=1)
    assert report.entries[0]["error"] == ("row 2: train_utilization must be a number, got '0,35' "
                                          "(write the decimal point as '.')")


# ------------------------------------------------------------------ XLSX cells
def test_a_formula_saved_without_its_value_is_refused_naming_the_cell(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "My scenarios"
    ws.append(["name", "train_utilization", "chain_share_h100_sxm"])
    ws.append(["plain", 0.3, None])
    ws.append(["formula", "=0.2*2", 0.5])                     # openpyxl (and pandas) save no value for it
    ws.append(["=\"na\"&\"me\"", 0.3, None])
    ws.append(["error", "#DIV/0!", None])
    ws["B5"].data_type = "e"
    path = tmp_path / "scenarios.xlsx"
    wb.save(path)
    report = batch.run_batch(path, tmp_path / "out", jobs=1)
    status = [(e["status"], e.get("key"), e.get("error")) for e in report.entries]
    assert status == [
        ("ok", None, None),
        ("error", "train_utilization", "row 3: scenarios.xlsx 'My scenarios'!B3 holds the formula =0.2*2 with no "
                                       "saved value: open and save the file in Excel, or type the value"),
        ("error", None, "row 4: scenarios.xlsx 'My scenarios'!A4 holds the formula =\"na\"&\"me\" with no saved "
                        "value: open and save the file in Excel, or type the value"),
        ("error", "train_utilization", "row 5: scenarios.xlsx 'My scenarios'!B5 holds the error #DIV/0!")]


def test_a_formula_with_its_saved_value_is_read_as_the_value(tmp_path):
    import xlsxwriter

    path = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["name", "train_utilization"])
    ws.write_formula(1, 0, '="f"&"x"', None, "fx")
    ws.write_formula(1, 1, "=0.2*2", None, 0.4)
    wb.close()
    rows = batch.read_scenarios(path)
    assert [(r.name, r.values) for r in rows] == [("fx", {"train_utilization": 0.4})]


# ------------------------------------------------------------------ one line, never a traceback
def _xlsx_edited(tmp_path, member, edit):
    src = tmp_path / "src.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["name", "train_utilization"])
    wb.active.append(["a", 0.3])
    wb.save(src)
    path = tmp_path / "s.xlsx"
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as o:
        for info in z.infolist():
            data = z.read(info)
            o.writestr(info, edit(data) if info.filename == member else data)
    return path


BAD_FILES = {
    "oversized field": ("s.csv", lambda t: t.joinpath("s.csv").write_text(
        'name,train_utilization\na,0.3\nb,"' + "x" * 200_000 + '"\n', encoding="utf-8"),
        "s.csv line 3: a field is longer than 131,072 characters, too long for a scenario name or value "
        "(is a quote left open?)"),
    "duplicate column": ("s.csv", lambda t: t.joinpath("s.csv").write_text(
        "name,train_utilization,mm_dau[2025E],train_utilization ,mm_dau[ 2025E ]\na,0.3,1,2,3\n", encoding="utf-8"),
        "s.csv row 1: column train_utilization appears twice (columns B and D); keep one"),
    "duplicate name column": ("s.csv", lambda t: t.joinpath("s.csv").write_text(
        "name,train_utilization,name\na,0.3,b\n", encoding="utf-8"),
        "s.csv row 1: column name appears twice (columns A and C); keep one"),
    "value without a header": ("s.csv", lambda t: t.joinpath("s.csv").write_text(
        "name,train_utilization,,\na,0.3,,\nb,0.3,,note\n", encoding="utf-8"),
        "s.csv: column D has a value in row 3 but no header; name the input it sets in the header row, or delete "
        "the column"),
    "empty file": ("s.csv", lambda t: t.joinpath("s.csv").write_bytes(b""),
                   "SCENARIOS needs a header row with a 'name' column, got 's.csv' (the file is empty)"),
    "blank lines only": ("s.csv", lambda t: t.joinpath("s.csv").write_bytes(b"\r\n,,\r\n"),
                         "SCENARIOS needs a header row with a 'name' column, got 's.csv' (the file is empty)"),
    "empty xlsx": ("s.xlsx", lambda t: t.joinpath("s.xlsx").write_bytes(b""),
                   "not an xlsx: {tmp}/s.xlsx is not a zip archive (an .xlsx file is one)"),
    "DOCTYPE in the sheet": ("s.xlsx", lambda t: _xlsx_edited(
        t, "xl/worksheets/sheet1.xml", lambda d: b'<!DOCTYPE x [<!ENTITY e "0.3">]>' + d),
        "refused s.xlsx Sheet: member xl/worksheets/sheet1.xml declares a DTD or entities (DTDForbidden)"),
    "DOCTYPE in the workbook": ("s.xlsx", lambda t: _xlsx_edited(t, "xl/workbook.xml", lambda d: b"<!DOCTYPE x>" + d),
                                "refused s.xlsx: member xl/workbook.xml declares a DTD or entities (DTDForbidden)"),
    "malformed XML": ("s.xlsx", lambda t: _xlsx_edited(t, "xl/worksheets/sheet1.xml", lambda d: d[:-30]),
                      "corrupted xlsx: s.xlsx Sheet: member xl/worksheets/sheet1.xml is not well-formed XML "
                      "(unclosed token: line 1, column "),
    "no sheets": ("s.xlsx", lambda t: _xlsx_edited(
        t, "xl/workbook.xml", lambda d: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", d)),
        "s.xlsx has no worksheet: put the scenarios in its first sheet"),
    "a cell that is not a cell": ("s.xlsx", lambda t: _xlsx_edited(
        t, "xl/worksheets/sheet1.xml", lambda d: d.replace(b'r="B2"', b'r="abc"')),
        "corrupted xlsx: s.xlsx Sheet: row 2 holds a cell at 'abc', which is not a cell of that row"),
    "a row that is not a row": ("s.xlsx", lambda t: _xlsx_edited(
        t, "xl/worksheets/sheet1.xml", lambda d: d.replace(b'<row r="2"', b'<row r="two"')),
        "corrupted xlsx: s.xlsx Sheet: a row is numbered 'two', not a row number"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_scenario_file_is_one_line_and_nothing_is_written(tmp_path, capsys, case):
    name, make, message = BAD_FILES[case]
    make(tmp_path)
    assert main(["batch", str(tmp_path / name), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("suanli: " + message.format(tmp=tmp_path)) and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def _manifest_folder(out):
    (out / "manifest.json").mkdir()


BAD_FOLDERS = {
    "--out is a file": (lambda out: out.rmdir() or out.write_text("x"), "--out must be a folder, got '{out}' (it is a "
                                                                       "file)"),
    "manifest.json is a folder": (_manifest_folder, "{out}/manifest.json is not a file: move it away, or delete it "
                                                    "to start afresh"),
    "manifest.json is a list": (lambda out: (out / "manifest.json").write_text("[]"),
                                "{out}/manifest.json is not a manifest suanli batch wrote (it must be an object "
                                "whose 'scenarios' is a list): move it away, or delete it to start afresh"),
    "manifest.json is not JSON": (lambda out: (out / "manifest.json").write_text("{"),
                                  "{out}/manifest.json is not a manifest suanli batch wrote (not JSON: Expecting "
                                  "property name enclosed in double quotes: line 1 column 2 (char 1)): move it away, "
                                  "or delete it to start afresh"),
    "an entry is not an object": (lambda out: (out / "manifest.json").write_text('{"scenarios": [3]}'),
                                  "{out}/manifest.json is not a manifest suanli batch wrote (entry 1 is not an "
                                  "object with a scenario and a status): move it away, or delete it to start "
                                  "afresh"),
    "manifest.jsonl is a folder": (lambda out: (out / "manifest.jsonl").mkdir(),
                                   "{out}/manifest.jsonl is not a file: move it away, or delete it to start "
                                   "afresh"),
    "manifest.jsonl has a line that is not a record": (
        lambda out: (out / "manifest.jsonl").write_text('{"status": "ok"}\n'),
        "{out}/manifest.jsonl is not a manifest suanli batch wrote (line 1 is not a record of a workbook): move it "
        "away, or delete it to start afresh"),
    "summary.xlsx is a folder": (lambda out: (out / "summary.xlsx").mkdir(),
                                 "{out}/summary.xlsx is not a file: move it away, so that the summary can be "
                                 "written"),
}


@pytest.mark.parametrize("case", BAD_FOLDERS)
@pytest.mark.parametrize("resume", [False, True])
def test_an_unusable_output_folder_is_one_line_and_nothing_is_written(csv_file, tmp_path, capsys, case, resume):
    out = tmp_path / "out"
    out.mkdir()
    make, message = BAD_FOLDERS[case]
    make(out)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert main(["batch", str(csv_file), "--out", str(out)] + ["--resume"] * resume) == 2
    err = capsys.readouterr().err
    assert err == f"suanli: {message.format(out=out)}\n"
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
