"""`suanli refresh`: a template workbook's edited inputs checked, its cached results recomputed by
the engine, everything else of the file kept; hostile or damaged workbooks refused with one line,
exit status 2, the original untouched and no temporary file left."""

from __future__ import annotations

import math
import re
import shutil
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.comments import Comment
from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell

from addin import refresh_button as excel
from engine import scenarios
from suanli.cli import main
from workbook_templates import build, groups, meta, refresh, safety, sheetxml
from workbook_templates.meta import META_SHEET
from workbook_templates.render import NEEDS_INPUT

from hostile import fixtures as fx
from hostile.cli import refused, run

GROUP = groups.GROUPS[0]
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
#: parts a refresh rewrites; every other member is copied byte for byte
REWRITTEN = {"xl/workbook.xml"}
#: edited inputs (written with 16 significant digits by openpyxl, so no 0.4 + 0.01 * j)
UTILIZATION = [0.4, 0.41, 0.42, 0.43, 0.44]


# ------------------------------------------------------------------ fixtures and helpers
@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build.build_workbook(GROUP, tmp_path_factory.mktemp("built") / "demand.xlsx")


@pytest.fixture(scope="module")
def layout():
    return build.plan(GROUP, scenarios.load(GROUP.scenario))


@pytest.fixture
def book(built, tmp_path) -> Path:
    return Path(shutil.copyfile(built, tmp_path / "demand.xlsx"))


def at(layout, key: str, j: int = 0) -> str:
    """The Inputs cell (A1) of column j of an input."""
    return xl_rowcol_to_cell(*layout.input_layout.cells(key)[j])


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part") or ".bak" in p.name)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def sheet_xml(path: Path, sheet: str) -> ET.Element:
    with zipfile.ZipFile(path) as zf:
        return ET.fromstring(zf.read(fx.sheet_member(path, sheet)))


def meta_rows(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path, data_only=True)[META_SHEET]
    return {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}


def expected_cells(path: Path, sc: scenarios.Scenario) -> dict[tuple[str, str], object]:
    """What the engine says every formula cell of the exhibit sheets should cache, for ``sc``."""
    p = build.plan(GROUP, sc)
    wb = openpyxl.load_workbook(path)
    out = {}
    for ex_id in p.order:
        ws, layout, result = wb[ex_id], p.layouts[ex_id], p.numeric[ex_id]
        for row in layout.exhibit.rows:
            for j in range(len(layout.columns)):
                r, c = layout.cell(row.key, j)
                formula = ws.cell(r + 1, c + 1).value
                if not (isinstance(formula, str) and formula.startswith("=")):
                    continue
                needs = result.needed(row.key, j)
                out[(ex_id, xl_rowcol_to_cell(r, c))] = (
                    NEEDS_INPUT if needs else build.sheet_value(row, result.values[row.key][j]))
    return out


def assert_cached(path: Path, expected: dict) -> None:
    wb = openpyxl.load_workbook(path, data_only=True)
    assert len(expected) > 300
    for (sheet, ref), want in expected.items():
        got = wb[sheet][ref].value
        if isinstance(want, float):
            assert isinstance(got, (int, float)) and math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-300), \
                (sheet, ref, got, want)
        else:
            assert got == want, (sheet, ref, got, want)


# ------------------------------------------------------------------ refresh that works
def test_refresh_recomputes_edited_inputs_and_keeps_the_users_work(book, layout, capsys):
    wb = openpyxl.load_workbook(book)
    inputs = wb["Inputs"]
    inputs[at(layout, "mm_params_base")] = 25000         # 亿, as the Inputs sheet shows it: 2.5e12
    for j, u in enumerate(UTILIZATION):
        inputs[at(layout, "infer_utilization", j)] = u
    inputs[at(layout, "fig50_util_applied_twice")] = False
    notes = wb.create_sheet("My notes")
    notes["A1"] = "my own sheet"
    notes["B2"] = 42
    wb["fig49"]["A5"].comment = Comment("checked against the PDF", "analyst")
    wb["fig49"]["D5"].number_format = '0.000" units"'
    wb["fig49"].column_dimensions["B"].width = 55
    wb.save(book)                        # openpyxl drops every cached result: refresh puts them back
    original = book.read_bytes()
    before = meta_rows(book)

    rc, out, err = run(capsys, book)
    assert rc == 0, err
    assert out.startswith(f"refreshed {book}") and "3 inputs differ" in out

    edited = scenarios.load("csc-2023").with_values({
        "mm_params_base": 2.5e12, "infer_utilization": UTILIZATION,
        "fig50_util_applied_twice": False})
    assert_cached(book, expected_cells(book, edited))

    backups = sorted(book.parent.glob("demand.*.bak.xlsx"))
    assert len(backups) == 1 and backups[0].read_bytes() == original
    assert re.fullmatch(r"demand\.\d{8}T\d{6}Z\.bak\.xlsx", backups[0].name)
    assert str(backups[0]) in out
    assert not list(book.parent.glob("*.part"))

    wb = openpyxl.load_workbook(book)
    assert wb["My notes"]["A1"].value == "my own sheet" and wb["My notes"]["B2"].value == 42
    assert wb["fig49"]["A5"].comment.text == "checked against the PDF"
    assert wb["fig49"]["D5"].number_format == '0.000" units"'
    assert wb["fig49"].column_dimensions["B"].width == 55
    assert wb["Inputs"][at(layout, "mm_params_base")].value == 25000

    after = meta_rows(book)
    digest = build.inputs_hash(edited, layout.inputs)
    assert after["inputs_hash"] == digest != before["inputs_hash"]
    assert after["scenario"] == "csc-2023" and after["refreshed_at"].endswith("+00:00")
    assert after["built_at"] == before["built_at"] and after["inputs"] == before["inputs"]
    stamp = openpyxl.load_workbook(book, data_only=True)["Index"]["A2"].value
    assert re.fullmatch(r"Refreshed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · scenario csc-2023 · inputs " + digest, stamp)
    with zipfile.ZipFile(book) as zf:
        calc = ET.fromstring(zf.read("xl/workbook.xml")).find("m:calcPr", NS)
    assert calc.get("fullCalcOnLoad") == "1"

    switch_cells = [c.value for row in openpyxl.load_workbook(book, data_only=True)["Errata"].iter_rows()
                    for c in row if c.value is False]
    assert switch_cells, "the Errata sheet's switch column shows the edited switch"


def test_xml_edit_refreshed_into_out_copies_every_other_part_byte_for_byte(built, layout, tmp_path, capsys):
    edited = fx.set_cell(built, tmp_path / "edited.xlsx", "Inputs", at(layout, "train_utilization", 2), "number", 0.5)
    before = members(edited)
    rc, out, err = run(capsys, edited, "--out", tmp_path / "new.xlsx")
    assert rc == 0, err
    assert members(edited) == before                      # --out: the source is not touched...
    assert not list(tmp_path.glob("*.bak.xlsx"))          # ...and needs no backup
    after = members(tmp_path / "new.xlsx")
    assert list(after) == list(before)                    # same members, same order
    rewritten = {fx.sheet_member(edited, s) for s in layout.order + ["Index", "Errata", META_SHEET]}
    assert any(name.startswith("xl/charts/") for name in after)
    for name, data in before.items():
        if name not in rewritten | REWRITTEN:
            assert after[name] == data, name
    sc = scenarios.load("csc-2023")
    values = list(sc.values["train_utilization"])
    values[2] = 0.5
    assert_cached(tmp_path / "new.xlsx", expected_cells(tmp_path / "new.xlsx", sc.with_values(
        {"train_utilization": values})))


def test_an_unedited_workbook_refreshes_to_the_builds_own_values(book):
    cached = openpyxl.load_workbook(book, data_only=True)
    before = meta_rows(book)
    report = refresh.refresh(book)
    assert report.changed == () and report.inputs_hash == before["inputs_hash"]
    assert report.cells > 300 and report.inputs == len(before["inputs"].split(","))
    again = openpyxl.load_workbook(book, data_only=True)
    for ws in cached.worksheets:
        if ws.title in ("Index", META_SHEET):
            continue
        for row in ws.iter_rows():
            for c in row:
                got = again[ws.title][c.coordinate].value
                if isinstance(c.value, float):
                    assert math.isclose(got, c.value, rel_tol=1e-12), (ws.title, c.coordinate)
                else:
                    assert got == c.value, (ws.title, c.coordinate)


def test_a_valid_scenario_name_is_stamped_as_text(book, capsys):
    rc, out, err = run(capsys, book, "--scenario", "csc-2023-corrected")
    assert rc == 0, err
    assert "scenario csc-2023-corrected" in out
    assert meta_rows(book)["scenario"] == "csc-2023-corrected"
    for sheet, ref in ((META_SHEET, "B3"), ("Index", "A2")):
        cell = next(c for c in sheet_xml(book, sheet).iter("{{{}}}c".format(NS["m"])) if c.get("r") == ref)
        assert cell.get("t") == "inlineStr" and cell.find("m:f", NS) is None
    assert "scenario csc-2023-corrected" in openpyxl.load_workbook(book)["Index"]["A2"].value


def test_text_that_looks_like_a_formula_is_written_as_text(book, monkeypatch):
    """Whatever a stamp holds (a name starting with = + - @ tab CR), it lands as text, not a formula."""
    real = scenarios.load
    hostile = '=HYPERLINK("http://x","click")'
    monkeypatch.setattr(refresh.scenarios, "load", lambda name: scenarios.Scenario(hostile, real("csc-2023").values))
    report = refresh.refresh(book)
    assert report.scenario == hostile
    for sheet, ref in ((META_SHEET, "B3"), ("Index", "A2")):
        cell = next(c for c in sheet_xml(book, sheet).iter("{{{}}}c".format(NS["m"])) if c.get("r") == ref)
        assert cell.get("t") == "inlineStr" and cell.find("m:f", NS) is None
    assert meta_rows(book)["scenario"] == hostile
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "  spaced  "):
        assert refresh.as_excel_text(text) == "'" + text


def test_refreshing_twice_keeps_two_backups(book, layout):
    """Two refreshes that change the workbook (an input edited between them) keep two backups."""
    import datetime as dt

    when = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    first = refresh.refresh(book, now=when).backup
    fx.set_cell(book, book, "Inputs", at(layout, "mm_params_base"), "number", 20000)
    second = refresh.refresh(book, now=when).backup
    assert first.name == "demand.20250102T030405Z.bak.xlsx"
    assert second.name == "demand.20250102T030405Z.bak-2.xlsx"
    assert first.read_bytes() != second.read_bytes()


def test_user_supplied_inputs_may_stay_blank(tmp_path):
    """The chain workbook has inputs the reports give no value for: blank is accepted there."""
    group = groups.group("chain")
    path = build.build_workbook(group, tmp_path / "chain.xlsx")
    report = refresh.refresh(path)
    assert report.cells > 0
    wb = openpyxl.load_workbook(path, data_only=True)
    assert any(c.value == NEEDS_INPUT and "chain_" in c.comment.text
               for ws in wb.worksheets for row in ws.iter_rows() for c in row)


# ------------------------------------------------------------------ refusals, through the command line
def test_not_a_zip(tmp_path, capsys):
    refused(capsys, fx.text_file(tmp_path / "book.xlsx"), "not an xlsx: ")


def test_a_truncated_zip(built, tmp_path, capsys):
    refused(capsys, fx.truncated(built, tmp_path / "book.xlsx"), "corrupted xlsx: ")


def test_a_password_protected_workbook(tmp_path, capsys):
    refused(capsys, fx.ole_file(tmp_path / "book.xlsx"), "password-protected")


def test_a_folder_and_a_missing_file(tmp_path, capsys):
    (tmp_path / "dir.xlsx").mkdir()
    refused(capsys, tmp_path / "dir.xlsx", "not an xlsx: ")
    refused(capsys, tmp_path / "missing.xlsx", "does not exist")


def test_a_zip_bomb_is_refused_from_its_headers(built, tmp_path, capsys, monkeypatch):
    bomb = fx.zip_bomb(built, tmp_path / "book.xlsx")
    assert bomb.stat().st_size < 2_000_000
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *a, **k):
        opened.append(name if isinstance(name, str) else name.filename)
        return real_open(self, name, *a, **k)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    refused(capsys, bomb, ["zip bomb", "xl/media/image1.bin"])
    assert opened == []                                   # refused before any member was inflated


def test_an_encrypted_member(built, tmp_path, capsys):
    refused(capsys, fx.encrypted_flag(built, tmp_path / "book.xlsx"), "member xl/styles.xml is encrypted")


def test_a_member_escaping_the_folder(built, tmp_path, capsys):
    path = fx.rewrite(built, tmp_path / "book.xlsx", {}, add={"../../evil.sh": b"rm -rf ~"})
    refused(capsys, path, "points outside")


@pytest.mark.parametrize("member", ["xl/theme/theme1.xml", "xl/sharedStrings.xml"])
def test_a_member_that_fails_its_crc(built, tmp_path, capsys, member):
    """Damage found while reading (shared strings) or while copying (the theme): one message, nothing left."""
    refused(capsys, fx.corrupt_member(built, tmp_path / "book.xlsx", member), ["corrupted xlsx: ", member])


def test_xml_with_entities(built, tmp_path, capsys):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
              b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&b;</t></si></sst>')
    path = fx.rewrite(built, tmp_path / "book.xlsx", {"xl/sharedStrings.xml": laughs})
    refused(capsys, path, "declares a DTD or entities")


def test_a_zip_that_is_not_a_workbook(built, tmp_path, capsys):
    path = fx.rewrite(built, tmp_path / "book.xlsx", {"xl/workbook.xml": None})
    refused(capsys, path, "not an xlsx: ")


def test_no_suanli_sheet(built, tmp_path, capsys):
    path = fx.drop_sheet(built, tmp_path / "book.xlsx", META_SHEET)
    refused(capsys, path, "not a suanli workbook: no _suanli sheet")


def test_a_name_missing(built, tmp_path, capsys, layout):
    path = fx.set_name(built, tmp_path / "book.xlsx", "mm_params_base", None)
    refused(capsys, path, ["input mm_params_base", "no workbook-level name mm_params_base",
                           f"the layout puts it at {layout.input_layout.name_target('mm_params_base')[1:]}"])


def test_a_name_pointing_elsewhere(built, tmp_path, capsys, layout):
    path = fx.set_name(built, tmp_path / "book.xlsx", "train_utilization", "Inputs!$F$99:$J$99")
    refused(capsys, path, ["input train_utilization", "refers to Inputs!$F$99:$J$99",
                           f"the layout puts it at {layout.input_layout.name_target('train_utilization')[1:]}"])


def test_text_in_a_number_input(built, tmp_path, capsys, layout):
    cell = at(layout, "mm_params_base")
    path = fx.set_cell(built, tmp_path / "book.xlsx", "Inputs", cell, "text", "1.5 trillion")
    refused(capsys, path, [f"Inputs!{cell}", "mm_params_base", "holds the text '1.5 trillion', not a number",
                           "it must be in (0, 100,000,000]"])         # in 亿, as the cell holds it


def test_an_error_value_in_an_input(built, tmp_path, capsys, layout):
    cell = at(layout, "infer_utilization", 1)
    path = fx.set_cell(built, tmp_path / "book.xlsx", "Inputs", cell, "error", "#N/A")
    refused(capsys, path, [f"Inputs!{cell}", "infer_utilization (2024E)", "error value #N/A", "must be in (0%, 100%]"])


def test_a_number_out_of_bounds(built, tmp_path, capsys, layout):
    cell = at(layout, "train_utilization")
    path = fx.set_cell(built, tmp_path / "book.xlsx", "Inputs", cell, "number", 30)
    err = refused(capsys, path, [f"Inputs!{cell}", "train_utilization (2023E)", "must be in (0%, 100%], got 3,000%",
                                 "did you mean 30%? type it with the % sign"])
    assert "more problem" not in err


def test_a_blank_input_the_report_gives(built, tmp_path, capsys, layout):
    cell = at(layout, "h100_fp16_tflops")
    path = fx.set_cell(built, tmp_path / "book.xlsx", "Inputs", cell, "blank")
    refused(capsys, path, [f"Inputs!{cell}", "h100_fp16_tflops", "is blank"])


def test_a_number_in_a_switch_and_true_in_a_number(built, tmp_path, capsys, layout):
    cell = at(layout, "fig50_util_applied_twice")
    path = fx.set_cell(built, tmp_path / "a.xlsx", "Inputs", cell, "number", 2)
    refused(capsys, path, [f"Inputs!{cell}", "must be TRUE or FALSE"])
    cell = at(layout, "users_per_instance")
    path = fx.set_cell(built, tmp_path / "b.xlsx", "Inputs", cell, "bool", True)
    refused(capsys, path, [f"Inputs!{cell}", "holds TRUE, not a number"])


def test_several_bad_cells_are_one_line(built, tmp_path, capsys, layout):
    one = fx.set_cell(built, tmp_path / "one.xlsx", "Inputs", at(layout, "train_utilization"), "number", 30)
    two = fx.set_cell(one, tmp_path / "two.xlsx", "Inputs", at(layout, "mm_params_base"), "text", "x")
    refused(capsys, two, "(and 1 more problem)")


def test_merged_input_cells(built, tmp_path, capsys, layout):
    cell = at(layout, "mm_params_base")
    row = cell[1:]
    path = fx.merge(built, tmp_path / "book.xlsx", "Inputs", f"E{row}:{cell}")
    refused(capsys, path, ["merged over input mm_params_base", f"Inputs!{cell}"])


def test_a_protected_inputs_sheet(built, tmp_path, capsys):
    path = fx.protect(built, tmp_path / "book.xlsx", "Inputs")
    refused(capsys, path, ["sheet Inputs is protected", "Unprotect"])


def test_a_protected_exhibit_sheet(built, tmp_path, capsys):
    refused(capsys, fx.protect(built, tmp_path / "book.xlsx", "fig49"), "sheet fig49 is protected")


def test_a_formula_overwritten(built, tmp_path, capsys, layout):
    r, c = layout.layouts["fig49"].cell("h100_total", 2)
    ref = xl_rowcol_to_cell(r, c)
    path = fx.set_cell(built, tmp_path / "book.xlsx", "fig49", ref, "number", 123)
    refused(capsys, path, [f"fig49!{ref}", "row h100_total (2025E)", "holds the number 123", "moved or overwritten"])


def test_an_unknown_scenario_starting_with_equals(book, capsys):
    err = refused(capsys, book, ["unknown scenario", "=HYPERLINK"], "--scenario", '=HYPERLINK("http://x","y")')
    assert "csc-2023" in err


def test_an_unwritable_target(book, tmp_path, capsys):
    blocked = tmp_path / "file"
    blocked.write_text("x")
    refused(capsys, book, "cannot write", "--out", blocked / "new.xlsx")


# ------------------------------------------------------------------ the guard's limits, from headers alone
def _info(name="xl/a.xml", size=1000, packed=500, flags=0) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.file_size, info.compress_size, info.flag_bits = size, packed, flags
    return info


def test_guard_limits():
    safety.check_members([_info(size=safety.RATIO_GRACE_BYTES, packed=10)])     # small parts may compress well
    cases = [
        ([_info(f"m{i}") for i in range(safety.MAX_MEMBERS + 1)], "10,001 members"),
        ([_info(size=safety.MAX_MEMBER_BYTES + 1, packed=safety.MAX_MEMBER_BYTES // 2)], "at most 256 MiB a member"),
        ([_info(f"m{i}", size=200 * 2**20, packed=100 * 2**20) for i in range(3)], "more than 512 MiB together"),
        ([_info(size=10 * 2**20, packed=10 * 2**20 // 201)], "zip bomb"),
        ([_info(flags=1)], "encrypted"),
        ([_info("a.xml"), _info("a.xml")], "appears twice"),
    ]
    for name in ("../x", "/etc/passwd", "a/../../x", "C:/x", "a\\b", ""):
        cases.append(([_info(name)], "points outside"))
    for infos, message in cases:
        with pytest.raises(safety.WorkbookError, match=re.escape(message)):
            safety.check_members(infos)


def test_too_many_members_refused_before_the_member_list_is_read(tmp_path, capsys, monkeypatch):
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(safety.MAX_MEMBERS + 1):
            zf.writestr(f"x/{i}", b"")
    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", lambda self: pytest.fail("member list read"))
    refused(capsys, path, "10,001 members in the archive")


def test_cells_added_by_a_stamp_go_where_they_belong():
    xml = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="B2:D4"/>'
           b'<sheetData><row r="2"><c r="B2"><v>1</v></c><c r="D2"><v>2</v></c></row>'
           b'<row r="4" spans="2:4"><c r="D4"><v>3</v></c></row></sheetData></worksheet>')
    sheet = sheetxml.Sheet("S", "xl/worksheets/sheet1.xml", xml, "book.xlsx")
    for ref, text in (("C2", "=1+1"), ("A4", "a"), ("B3", "b"), ("E1", " e ")):
        sheet.set_text(ref, text)
    root = ET.fromstring(sheet.to_bytes())
    rows = [(r.get("r"), [c.get("r") for c in r.findall("m:c", NS)]) for r in root.iter("{{{}}}row".format(NS["m"]))]
    assert rows == [("1", ["E1"]), ("2", ["B2", "C2", "D2"]), ("3", ["B3"]), ("4", ["A4", "D4"])]
    assert root.find("m:dimension", NS).get("ref") == "A1:E4"
    c2 = next(c for c in root.iter("{{{}}}c".format(NS["m"])) if c.get("r") == "C2")
    assert c2.get("t") == "inlineStr" and c2.find("m:is/m:t", NS).text == "=1+1" and c2.find("m:f", NS) is None
    e1 = next(c for c in root.iter("{{{}}}c".format(NS["m"])) if c.get("r") == "E1").find("m:is/m:t", NS)
    assert e1.text == " e " and e1.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_references_read_from_a_file_are_parsed_strictly():
    assert sheetxml.parse_cell("B3") == sheetxml.parse_cell("$B$3") == (2, 1)
    assert sheetxml.parse_cell("XFD1048576") == (1048575, 16383)
    for text in ("", "A0", "a1", "B", "3", "B3C", "AAAA1", "B-3", "B3 "):
        with pytest.raises(ValueError):
            sheetxml.parse_cell(text)
    assert sheetxml.parse_range("$C$4:A1") == (0, 0, 3, 2) and sheetxml.parse_range("B2") == (1, 1, 1, 1)
    assert sheetxml.parse_range("A1:nope") is None


def test_a_cell_with_a_bad_name_is_a_corrupted_file():
    xml = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b'<sheetData><row r="1"><c r="A0"><v>1</v></c></row></sheetData></worksheet>')
    with pytest.raises(safety.WorkbookError, match=r"^corrupted xlsx: book.xlsx: sheet S has a cell named 'A0'$"):
        sheetxml.Sheet("S", "xl/worksheets/sheet1.xml", xml, "book.xlsx")


# ------------------------------------------------------------------ the validation shared with Excel
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_check_inputs_accepts_exactly_the_domain(x):
    spec = scenarios.schema()["train_utilization"]
    cells = {"train_utilization": [(f"Inputs!{c}7", x) for c in "FGHIJ"]}
    if spec.domain.contains(x):
        assert refresh.check_inputs(cells)["train_utilization"] == (x,) * 5
    else:
        with pytest.raises(safety.WorkbookError, match=r"^input train_utilization \(2023E\) at Inputs!F7 "):
            refresh.check_inputs(cells)


def test_check_inputs_messages():
    ok = refresh.check_inputs({"h100_fp16_tflops": [("Inputs!F15", 990.0)],
                               "fig50_util_applied_twice": [("Inputs!F18", False)]})
    assert ok == {"h100_fp16_tflops": 990.0, "fig50_util_applied_twice": 0.0}
    bad = {
        ("h100_fp16_tflops", "990"): "holds the text '990', not a number",
        ("h100_fp16_tflops", sheetxml.ErrorValue("#DIV/0!")): "holds the error value #DIV/0!",
        ("h100_fp16_tflops", sheetxml.FORMULA_WITHOUT_VALUE): "holds a formula with no saved result",
        ("fig50_util_applied_twice", "yes"): "holds the text 'yes', not a TRUE/FALSE",
        ("h100_fp16_tflops", -1.0): "must be in (0, 1,000,000], got -1",
        ("mm_params_base", -5.0): "must be in (0, 100,000,000], got -5",          # 亿, as the cell holds it
    }
    for (key, raw), message in bad.items():
        with pytest.raises(safety.WorkbookError, match=re.escape(message)) as info:
            refresh.check_inputs({key: [("Inputs!F9", raw)]})
        assert info.value.message.startswith(f"input {key} at Inputs!F9 ")
    with pytest.raises(safety.WorkbookError, match="refers to 2 cells"):
        refresh.check_inputs({"train_utilization": [("Inputs!F7", 0.3), ("Inputs!G7", 0.3)]})


def test_check_name_accepts_quoting_and_refuses_relative_refs():
    refresh.check_name("k", "'Inputs'!$F$6", "=Inputs!$F$6")
    refresh.check_name("k", "=inputs!$F$6:$J$6", "=Inputs!$F$6:$J$6")
    for wrong in ("Inputs!F6", "Inputs!$F$7", "Other!$F$6", "#REF!", "Inputs!$F$6:$J$6"):
        with pytest.raises(safety.WorkbookError, match="refers to"):
            refresh.check_name("k", wrong, "=Inputs!$F$6")


# ------------------------------------------------------------------ the in-Excel refresh, with a stand-in for xlwings
class _Cell:
    def __init__(self, sheet, ref):
        self.sheet, self.ref = sheet, ref

    def options(self, **_):
        return self

    def get_address(self, row_absolute, column_absolute, include_sheetname):
        return f"{self.sheet.name}!{self.ref}"

    @property
    def value(self):
        return self.sheet.values.get(self.ref)

    @value.setter
    def value(self, v):
        self.sheet.values[self.ref] = v


class _Range:
    def __init__(self, sheet, address):
        self.sheet, self.address = sheet, address.replace("$", "")

    def _refs(self):
        first, _, last = self.address.partition(":")
        (r1, c1), (r2, c2) = xl_cell_to_rowcol(first), xl_cell_to_rowcol(last or first)
        return [[xl_rowcol_to_cell(r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    def __iter__(self):
        return iter([_Cell(self.sheet, ref) for row in self._refs() for ref in row])

    @property
    def value(self):
        refs = self._refs()
        if len(refs) == 1 and len(refs[0]) == 1:
            return self.sheet.values.get(refs[0][0])
        return [[self.sheet.values.get(ref) for ref in row] for row in refs]

    @value.setter
    def value(self, v):
        self.sheet.values[self._refs()[0][0]] = v


class _Sheet:
    def __init__(self, ws):
        self.name = ws.title
        self.values = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}

    def range(self, address):
        return _Range(self, address)


class _Name:
    def __init__(self, book, name, refers_to):
        self.name, self.refers_to, self._book = name, "=" + refers_to, book

    @property
    def refers_to_range(self):
        sheet, _, address = self.refers_to[1:].rpartition("!")
        return _Range(self._book.sheets[sheet.strip("'").replace("''", "'")], address)


class _Sheets(dict):
    def __iter__(self):
        return iter(self.values())


class _Book:
    """What refresh_book uses of an xlwings Book, filled from a workbook file."""

    def __init__(self, path):
        wb = openpyxl.load_workbook(path)
        self.name = path.name
        self.sheets = _Sheets({ws.title: _Sheet(ws) for ws in wb.worksheets})
        self.names = [_Name(self, n, d.attr_text) for n, d in wb.defined_names.items()]
        self.calculated = 0
        book = self

        class App:
            def calculate(self):
                book.calculated += 1

        self.app = App()


def test_excel_refresh_stamps_the_index_as_text(built, layout, tmp_path, monkeypatch):
    import datetime as dt
    import types

    path = fx.set_cell(built, tmp_path / "book.xlsx", "Inputs", at(layout, "mm_params_base"), "number", 20000)
    fake = _Book(path)
    monkeypatch.setitem(sys.modules, "xlwings", types.SimpleNamespace(Book=types.SimpleNamespace(caller=lambda: fake)))
    text = excel.refresh_caller()
    digest = build.inputs_hash(scenarios.load("csc-2023").with_values({"mm_params_base": 2e12}), layout.inputs)
    assert text.startswith("Refreshed ") and text.endswith(f"· scenario csc-2023 · inputs {digest}")
    assert fake.sheets["Index"].values["A2"] == "'" + text       # typed as text, whatever it holds
    assert fake.sheets[META_SHEET].values["B4"] == "'" + digest
    assert fake.sheets[META_SHEET].values["A13"] == "'refreshed_at" and fake.calculated == 1   # below the 12 rows built
    # the lineage rows (after the build's eight) now describe the edited inputs
    edited = scenarios.load("csc-2023").with_values({"mm_params_base": 2e12})
    assert [fake.sheets[META_SHEET].values.get(f"A{r}") for r in range(9, 13)] == list(meta.LINEAGE)
    assert fake.sheets[META_SHEET].values["B11"] == "'" + edited.fingerprint != "'" + meta_rows(path)["scenario_hash"]
    # the same inputs refreshed from the file give the same hash
    assert refresh.refresh(path, out=tmp_path / "out.xlsx", now=dt.datetime(2025, 1, 1,
                                                                             tzinfo=dt.timezone.utc)).inputs_hash == digest


@pytest.mark.parametrize("edit, message", [
    (("train_utilization", 0, "number", 30), "Not refreshed: input train_utilization (2023E) at Inputs!{cell} must be "
                                             "in (0%, 100%], got 3,000% (did you mean 30%?"),
    (("infer_utilization", 2, "error", "#N/A"), "Not refreshed: input infer_utilization (2025E) at Inputs!{cell} "
                                                "holds the error value #N/A"),
])
def test_excel_refresh_reports_a_bad_input_in_the_index(built, layout, tmp_path, edit, message):
    key, j, kind, value = edit
    cell = at(layout, key, j)
    fake = _Book(fx.set_cell(built, tmp_path / "book.xlsx", "Inputs", cell, kind, value))
    text = excel.refresh_book(fake)
    assert text.startswith(message.format(cell=cell)), text
    assert fake.sheets["Index"].values["A2"] == "'" + text
    assert fake.calculated == 0


def test_excel_refresh_reports_a_moved_name(built, layout, tmp_path):
    fake = _Book(fx.set_name(built, tmp_path / "book.xlsx", "mm_params_base", "Inputs!$F$99"))
    assert excel.refresh_book(fake).startswith("Not refreshed: input mm_params_base: its name refers to Inputs!$F$99")
    assert excel.cell_value("#N/A") == "#N/A" and isinstance(excel.cell_value("#N/A"), sheetxml.ErrorValue)
    assert not isinstance(excel.cell_value("N/A"), sheetxml.ErrorValue)


# ------------------------------------------------------------------ the _suanli sheet, read alike by both
def test_the_meta_sheet_holds_the_required_rows_build_writes(built):
    written = meta_rows(built)
    lineage = meta.lineage(scenarios.load("csc-2023"))
    assert list(written) == [k for k, _ in meta.rows("demand", "csc-2023", "h", ["fig49"], ["k"], lineage=lineage)]
    assert [written[k] or "" for k in meta.LINEAGE] == ["", "", scenarios.load("csc-2023").fingerprint, ""]
    assert set(meta.REQUIRED) <= set(written) and "scenario" in meta.STAMPED
    with safety.open_checked(built) as zf:
        info = refresh.read_meta(sheetxml.Book(zf, "book.xlsx"), "book.xlsx")
    assert (info.group, info.scenario) == (GROUP, "csc-2023")
    assert info.exhibits == tuple(written["exhibits"].split(",")) and info.inputs == tuple(written["inputs"].split(","))
    assert excel.read_meta(_Book(built)) == (info, len(written) - 1)


#: A broken _suanli sheet (rows A1-A7: suanli_version, group, scenario, inputs_hash, built_at, exhibits, inputs)
#: and what refresh and the Refresh button both say about it.
BROKEN_META = [
    (("A2", "blank", None), "its _suanli sheet has no group row (book.xlsx)"),
    (("A3", "blank", None), "its _suanli sheet has no scenario row (book.xlsx)"),
    (("A6", "blank", None), "its _suanli sheet has no exhibits row (book.xlsx)"),
    (("A7", "blank", None), "its _suanli sheet has no inputs row (book.xlsx)"),
    (("B2", "text", "servers2"), "book.xlsx names group 'servers2'; suanli "),
    (("A5", "text", "scenario"), "its _suanli sheet has two scenario rows (A3 and A5) (book.xlsx)"),
    (("B7", "text", "mm_vendors,bogus_key"), "its _suanli sheet's inputs row (_suanli!B7) names 'bogus_key', which "
                                             "is not an input of suanli"),
    (("B7", "text", "mm_vendors,mm_vendors"), "its _suanli sheet's inputs row (_suanli!B7) names 'mm_vendors' twice"),
    (("B6", "text", "fig49,fig999"), "its _suanli sheet's exhibits row (_suanli!B6) names 'fig999', which is not an "
                                     "exhibit of suanli"),
    (None, "no _suanli sheet in book.xlsx"),
]


@pytest.mark.parametrize("edit, message", BROKEN_META)
def test_refresh_and_the_excel_button_refuse_the_same_broken_meta_sheet(built, tmp_path, capsys, edit, message):
    path = tmp_path / "book.xlsx"
    if edit is None:
        fx.drop_sheet(built, path, META_SHEET)
    else:
        fx.set_cell(built, path, META_SHEET, *edit)
    with safety.open_checked(path) as zf, pytest.raises(safety.WorkbookError) as from_file:
        refresh.read_meta(sheetxml.Book(zf, "book.xlsx"), "book.xlsx")
    fake = _Book(path)
    with pytest.raises(safety.WorkbookError) as from_excel:
        excel.read_meta(fake)
    assert from_file.value.message == from_excel.value.message
    assert from_file.value.message.startswith("not a suanli workbook: ") and message in from_file.value.message
    assert excel.refresh_book(fake) == "Not refreshed: " + from_excel.value.message
    refused(capsys, path, message.replace("book.xlsx", str(path)))


def test_rows_the_meta_sheet_can_do_without(built, tmp_path):
    """built_at (and the version, the old hash) are for people; both paths refresh without them."""
    path = fx.set_cell(built, tmp_path / "book.xlsx", META_SHEET, "A5", "blank")
    assert excel.refresh_book(_Book(path)).startswith("Refreshed ")
    assert refresh.refresh(path).inputs == len(meta_rows(built)["inputs"].split(","))


# ------------------------------------------------------------------ a real spreadsheet agrees
@pytest.mark.libreoffice
def test_libreoffice_recalculates_a_refreshed_workbook_to_its_cached_values(built, layout, tmp_path):
    """The edited XML opens in LibreOffice, and its own recalculation gives the values refresh cached."""
    from suanli import libreoffice

    one = fx.set_cell(built, tmp_path / "one.xlsx", "Inputs", at(layout, "infer_utilization", 3), "number", 0.45)
    two = fx.set_cell(one, tmp_path / "two.xlsx", "Inputs", at(layout, "fig50_util_applied_twice"), "bool", False)
    path = fx.set_cell(two, tmp_path / "demand.xlsx", "Inputs", at(layout, "mm_params_base"), "number", 25000)
    refresh.refresh(path)
    ours = libreoffice.read_values(path)
    theirs = libreoffice.read_values(libreoffice.recalculate([path], tmp_path / "lo")[0])
    compared = 0
    for sheet in layout.order:
        for ref, v in ours[sheet].items():
            if isinstance(v, float) or v == NEEDS_INPUT:
                w = theirs[sheet].get(ref)
                assert (math.isclose(v, w, rel_tol=1e-12, abs_tol=1e-300) if isinstance(v, float) else v == w), \
                    (sheet, ref, v, w)
                compared += 1
    assert compared > 300
    # a workbook another program wrote (LibreOffice rewrites every part) refreshes to the same results
    saved = libreoffice.recalculate([path], tmp_path / "lo2")[0]
    again = refresh.refresh(saved, out=tmp_path / "again.xlsx")
    assert again.inputs_hash == meta_rows(path)["inputs_hash"]
    redone = libreoffice.read_values(tmp_path / "again.xlsx")
    for sheet in layout.order:
        for ref, v in ours[sheet].items():
            if isinstance(v, float):
                assert math.isclose(redone[sheet][ref], v, rel_tol=1e-12, abs_tol=1e-300), (sheet, ref)


def test_printed_value_checks_follow_the_refreshed_values(tmp_path):
    """A changed input that moves a printed cell turns its check from ✓ to ≠ after refresh."""
    import openpyxl

    from workbook_templates import build as b
    from workbook_templates.refresh import refresh as do_refresh

    book = b.build_workbook(groups.GROUPS[0], tmp_path / "demand.xlsx")
    wb = openpyxl.load_workbook(book)
    target = wb.defined_names["train_utilization"].attr_text.split("!")[1].replace("$", "")
    for row in wb["Inputs"][target]:
        for cell in row:
            cell.value = 0.45
    wb.save(book)
    do_refresh(book)
    values = openpyxl.load_workbook(book, data_only=True)["fig49"]
    header = {c.value: c.column for c in values[4] if isinstance(c.value, str)}
    a100_row = next(r for r in range(5, 40) if values.cell(r, 1).value == "A100 需求总量（万张）（只考虑 A100 的情况下）")
    assert values.cell(a100_row, header["Check 2023E"]).value == "scenario -33.3%"    # 0.3 / 0.45 - 1
    vendors_row = next(r for r in range(5, 40) if values.cell(r, 1).value == "多模态大模型研发厂商个数")
    assert values.cell(vendors_row, header["Check 2023E"]).value == "✓"


def test_the_refresh_button_stamps_a_workbook_written_by_batch(tmp_path, capsys):
    """A batch workbook's scenario is its row's name, not a packaged scenario: the button starts from the
    workbook's base, as `suanli refresh` does, instead of refusing the name."""
    scenarios_csv = tmp_path / "rows.csv"
    scenarios_csv.write_text("name,train_utilization\nok,0.45\n", encoding="utf-8")
    assert main(["batch", str(scenarios_csv), "--out", str(tmp_path / "out"), "--template", "demand",
                 "--jobs", "1"]) == 0
    capsys.readouterr()
    text = excel.refresh_book(_Book(tmp_path / "out" / "ok.xlsx"))
    assert re.match(r"Refreshed .* · scenario ok · inputs [0-9a-f]{16}$", text), text
