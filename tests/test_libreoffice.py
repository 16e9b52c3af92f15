"""LibreOffice Calc (headless) as the real spreadsheet engine: it must compute suanli's formulas.

Every formula below is written by XlsxWriter with a deliberately WRONG cached value (-1), then
recalculated by LibreOffice through suanli.libreoffice, so a value that comes back
right was computed by LibreOffice, not copied from the file.  These tests need LibreOffice and
poppler-utils; ``./dev test`` installs both (no skips: CI runs the same script).

Where LibreOffice 7.4 and Excel's documented behaviour differ, the case says so (``Differs``)
and accepts either value, so the table doubles as the record of those differences.
Timings are printed, never asserted (CI machines are small and shared).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import time
from pathlib import Path
from typing import NamedTuple

import pytest
import xlsxwriter

from suanli import libreoffice as lo

WRONG = -1  # the cached value every formula is written with

INPUTS = "s6.2_cooling_market"      # a dot and underscores in the sheet name
SPACED = "Cooling market 6.2"       # spaces and a dot
COPIES = 8                          # extra small workbooks recalculated in the same soffice call


class Differs(NamedTuple):
    """LibreOffice 7.4 gives ``libreoffice``; Excel documents ``excel``. Either is accepted."""

    libreoffice: object
    excel: object


# (id, formula, expected value).  Inputs: 's6.2_cooling_market'!A1:D1 = 10 20 30 40 (name Row1),
# A2 = 7.5 (name Rate), A3 = 1E-07, A4 = TRUE, A5 = FALSE, A6 = blank (formatted), A7 = "text";
# 'Cooling market 6.2'!B2 = 21 (name Share); Calc!D1 = 2 (an index), Calc!D2 = blank.
CASES = [
    # arithmetic and precedence: unary minus binds tighter than ^ in Excel and LibreOffice
    ("add-mul", "=1+2*3", 7),
    ("parens", "=(1+2)*3", 9),
    ("divide", "=10/4", 2.5),
    ("left-assoc-minus", "=10-2-3", 5),
    ("power", "=2^10", 1024),
    ("power-left-assoc", "=2^3^2", 64),
    ("neg-square", "=-2^2", 4),
    ("zero-minus-square", "=0-2^2", -4),
    ("mul-neg-square", "=2*-3^2", 18),
    ("neg-exponent", "=2^-1", 0.5),
    ("percent", "=5%*3", 0.15),
    # ROUND: halves away from zero, on the shortest decimal form of the double (as Excel does):
    # 2.675 is stored as 2.67499999999999982236431605997495353221893310546875, Python's
    # round() gives 2.67, Excel and LibreOffice give 2.68.
    ("round-2.675", "=ROUND(2.675,2)", 2.68),
    ("round-1.005", "=ROUND(1.005,2)", 1.01),
    ("round-neg-1.005", "=ROUND(-1.005,2)", -1.01),
    ("round-0.285", "=ROUND(0.285,2)", 0.29),
    ("round-1.15", "=ROUND(1.15,1)", 1.2),
    ("round-2.5", "=ROUND(2.5,0)", 3),
    ("round-neg-2.5", "=ROUND(-2.5,0)", -3),
    ("round-0.5", "=ROUND(0.5,0)", 1),
    ("round-tens", "=ROUND(1250,-2)", 1300),
    ("round-neg-tens", "=ROUND(-1250,-2)", -1300),
    ("round-tiny", "=ROUND(0.000000125,8)", 1.3e-07),
    # CEILING (Excel 2010+ semantics: a negative number with a positive step rounds toward +inf)
    ("ceiling", "=CEILING(2.1,1)", 3),
    ("ceiling-whole", "=CEILING(3,1)", 3),
    ("ceiling-neg", "=CEILING(-2.1,1)", -2),
    ("ceiling-neg-neg", "=CEILING(-2.1,-1)", -3),
    ("ceiling-neg-2", "=CEILING(-2.5,2)", -2),
    ("ceiling-step", "=CEILING(2.51,0.1)", 2.6),
    ("ceiling-zero-step", "=CEILING(2.5,0)", 0),
    ("ceiling-pos-neg-step", "=CEILING(2.1,-1)", Differs("#VALUE!", "#NUM!")),
    # suanli's ceil(): CEILING(ROUND(x,9),1) so 8.750000000000002 (float noise) stays 9, not 10
    ("ceiling-snapped", "=CEILING(ROUND(8.750000000000002,9),1)", 9),
    # INT rounds down (toward -inf), also for negatives
    ("int", "=INT(2.5)", 2),
    ("int-neg", "=INT(-2.5)", -3),
    ("int-neg-half", "=INT(-0.5)*10", -10),
    ("int-neg-tiny", "=INT(-2.0000001)", -3),
    # IF with strings; text comparisons are case-insensitive, text is compared as text,
    # and any number is less than any text
    ("if-string", '=IF(Rate>5,"big","small")', "big"),
    ("if-string-else", '=IF(Rate>50,"big","small")', "small"),
    ("text-eq-case", '=IF("a"="A","same","different")', "same"),
    ("text-lt-case", '=IF("apple"<"Banana","before","after")', "before"),
    ("text-digits", '=IF("10"<"9","text order","number order")', "text order"),
    ("number-vs-text", '=IF(1<"a","number first","text first")', "number first"),
    ("text-vs-number-eq", '="1"=1', False),
    ("exact", '=EXACT("abc","ABC")', False),
    ("concat", '="a"&1.5', "a1.5"),
    ("if-text-true", '=IF("TRUE",1,2)', 1),
    # INDEX on a workbook-level name for a row range on another sheet; a name for one cell
    ("index-literal", "=INDEX(Row1,3)", 30),
    ("index-cell", "=INDEX(Row1,D1)", 20),
    ("index-2d", "=INDEX(Row1,1,4)", 40),
    ("name-cell", "=Rate*2", 15),
    ("name-cell-spaced-sheet", "=Share+1", 22),
    ("max-name", "=MAX(Row1)", 40),
    ("min-name", "=MIN(Row1)", 10),
    ("max-args", "=MAX(Rate,-3,INDEX(Row1,1))", 10),
    ("min-args", "=MIN(Rate,-3,INDEX(Row1,1))", -3),
    ("max-ignores-blank", "=MAX(D2,-2)", -2),
    ("max-text-arg", '=MAX("3",1)', Differs("#VALUE!", 3)),
    # small numbers in formulas and inputs
    ("1e-07-literal", "=1E-07*3", 3e-07),
    ("1e-07-input", f"='{INPUTS}'!A3*1E+07", 1.0),
    ("1e-07-compare", f"=IF('{INPUTS}'!A3<1E-06,\"small\",\"large\")", "small"),
    # TRUE/FALSE cells in IF and arithmetic
    ("if-true-cell", f"=IF('{INPUTS}'!A4,\"on\",\"off\")", "on"),
    ("if-false-cell", f"=IF('{INPUTS}'!A5,\"on\",\"off\")", "off"),
    ("true-times", f"='{INPUTS}'!A4*5", 5),
    ("bool-result", f"=AND('{INPUTS}'!A4,NOT('{INPUTS}'!A5))", True),
    ("literal-true", "=IF(TRUE,1,2)", 1),
    ("literal-false", "=IF(FALSE,1,2)", 2),
    # cross-sheet references with quoted names (dot, underscore, spaces)
    ("cross-sheet", f"='{INPUTS}'!A1+1", 11),
    ("cross-sheet-spaced", f"='{SPACED}'!B2*2", 42),
    ("cross-sheet-sum", f"=SUM('{INPUTS}'!A1:D1)+'{SPACED}'!B2", 121),
    # a blank input cell
    ("isblank", f"=ISBLANK('{INPUTS}'!A6)", True),
    ("isblank-not", f"=ISBLANK('{INPUTS}'!A7)", False),
    ("blank-plus", f"='{INPUTS}'!A6+1", 1),
    ("blank-eq-empty", f"='{INPUTS}'!A6=\"\"", True),
    ("if-blank", f"=IF(ISBLANK('{INPUTS}'!A6),\"enter a value\",'{INPUTS}'!A6)", "enter a value"),
    # errors
    ("div-zero", "=1/0", "#DIV/0!"),
    # cached values are written with 15 significant digits by LibreOffice 7.4 (Excel writes 17)
    ("third", "=1/3", 1 / 3),
    ("float-noise", "=0.1+0.2", 0.3),
]


def test_no_case_expects_the_wrong_cached_value():
    assert not [c for c in CASES if _same(c[2], WRONG)]


def _row(case_id: str) -> int:
    return next(i for i, case in enumerate(CASES) if case[0] == case_id) + 1


def _write_formulas(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    calc = book.add_worksheet("Calc")
    inputs = book.add_worksheet(INPUTS)
    spaced = book.add_worksheet(SPACED)
    inputs.write_row(0, 0, [10, 20, 30, 40])
    inputs.write_number("A2", 7.5)
    inputs.write_number("A3", 1e-07)
    inputs.write_boolean("A4", True)
    inputs.write_boolean("A5", False)
    inputs.write_blank("A6", None, book.add_format({"bg_color": "#FFF2CC"}))  # an input awaiting a value
    inputs.write_string("A7", "text")
    spaced.write_number("B2", 21)
    book.define_name("Row1", f"='{INPUTS}'!$A$1:$D$1")
    book.define_name("Rate", f"='{INPUTS}'!$A$2")
    book.define_name("Share", f"='{SPACED}'!$B$2")
    calc.write_number("D1", 2)
    calc.write_blank("D2", None, book.add_format({"bg_color": "#FFF2CC"}))
    for row, (case_id, formula, _expected) in enumerate(CASES):
        calc.write_formula(row, 0, formula, None, WRONG)
        calc.write_string(row, 1, formula)
        calc.write_string(row, 2, case_id)
    book.close()
    return path


def _write_small(path: Path, number: int) -> Path:
    """A one-formula workbook whose result identifies it: A1 = number, B1 = A1*2+0.5."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Sheet1")
    sheet.write_number("A1", number)
    sheet.write_formula("B1", "=A1*2+0.5", None, WRONG)
    book.close()
    return path


def _same(got, want) -> bool:
    if isinstance(want, bool) or isinstance(got, bool):
        return type(got) is type(want) and got == want
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return got == pytest.approx(want, rel=1e-14, abs=1e-300)
    return got == want


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """The formulas workbook and COPIES small ones, recalculated in ONE soffice call."""
    src = tmp_path_factory.mktemp("lo-src")
    inputs = [_write_formulas(src / "formulas.xlsx")]
    inputs += [_write_small(src / f"small_{k}.xlsx", k) for k in range(1, COPIES + 1)]
    out_dir = tmp_path_factory.mktemp("lo-out")
    start = time.perf_counter()
    outputs = lo.recalculate(inputs, out_dir)
    seconds = time.perf_counter() - start
    return {"inputs": inputs, "outputs": outputs, "seconds": seconds,
            "values": [lo.read_values(p) for p in outputs]}


# ----------------------------------------------------------------------------- values

@pytest.mark.libreoffice
@pytest.mark.parametrize("case_id, formula, expected", CASES, ids=[c[0] for c in CASES])
def test_libreoffice_computes(recalculated, case_id, formula, expected):
    cell = f"A{_row(case_id)}"
    got = recalculated["values"][0]["Calc"].get(cell)
    assert not _same(got, WRONG), f"{formula}: LibreOffice kept the wrong cached value -1"
    if isinstance(expected, Differs):
        assert _same(got, expected.libreoffice) or _same(got, expected.excel), (
            f"{formula}: got {got!r}; LibreOffice 7.4 gives {expected.libreoffice!r}, "
            f"Excel documents {expected.excel!r}")
    else:
        assert _same(got, expected), f"{formula}: got {got!r}, expected {expected!r}"


@pytest.mark.libreoffice
def test_round_differs_from_python_round(recalculated):
    """Why suanli's round_half_up exists: the spreadsheet rounds 2.675 up, Python's round() down."""
    got = recalculated["values"][0]["Calc"][f"A{_row('round-2.675')}"]
    assert round(2.675, 2) == 2.67
    assert got == 2.68


@pytest.mark.libreoffice
def test_cached_values_have_15_significant_digits(recalculated):
    """LibreOffice 7.4 stores 1/3 as 0.333333333333333: compare its values with rel=1e-14."""
    got = recalculated["values"][0]["Calc"][f"A{_row('third')}"]
    assert abs(got - 1 / 3) <= 1e-15
    print(f"\nLibreOffice stored =1/3 as {got!r} (exact double: {1 / 3!r})")


@pytest.mark.libreoffice
def test_inputs_and_formula_text_survive(recalculated):
    values = recalculated["values"][0]
    assert values[INPUTS]["A1"] == 10 and values[INPUTS]["A7"] == "text"
    assert "A6" not in values[INPUTS]  # the blank input stays blank
    assert values["Calc"]["B1"] == "=1+2*3"  # the formula text written as a string
    assert values[SPACED] == {"B2": 21}


# ----------------------------------------------------------------------------- several files

@pytest.mark.libreoffice
def test_several_files_in_one_call_in_input_order(recalculated):
    inputs, outputs = recalculated["inputs"], recalculated["outputs"]
    assert [p.name for p in outputs] == [p.name for p in inputs]
    assert len({p.parent for p in outputs}) == 1
    for k, values in enumerate(recalculated["values"][1:], start=1):
        assert values == {"Sheet1": {"A1": k, "B1": k * 2 + 0.5}}
    for p in inputs[1:]:  # the inputs are untouched: still the wrong cached value
        assert lo.read_values(p)["Sheet1"]["B1"] == WRONG
    assert not [p for p in outputs[0].parent.iterdir() if p.name.startswith(".")]  # staging removed


@pytest.mark.libreoffice
def test_recalculation_is_what_the_profile_forces(tmp_path):
    """Control: with OOXMLRecalcMode = 1 (LibreOffice's default, never recalculate) the wrong
    cached value survives; the forced profile (0 = always) is what makes the checks above real."""
    source = _write_small(tmp_path / "control.xlsx", 5)
    never = {"/org.openoffice.Office.Calc/Formula/Load": {"OOXMLRecalcMode": 1, "ODFRecalcMode": 1}}
    env_arg = lo.write_profile(tmp_path / "profile", never)
    subprocess.run([lo.ensure_installed(), env_arg, "--headless", "--norestore", "--convert-to", lo.XLSX_FILTER,
                    "--outdir", str(tmp_path / "kept"), str(source)], capture_output=True, timeout=300, check=True)
    assert lo.read_values(tmp_path / "kept" / "control.xlsx")["Sheet1"]["B1"] == WRONG
    assert lo.recalculate([source], tmp_path / "forced")[0].exists()
    assert lo.read_values(tmp_path / "forced" / "control.xlsx")["Sheet1"]["B1"] == 10.5


def test_profile_sets_always_recalculate(tmp_path):
    env_arg = lo.write_profile(tmp_path / "p")
    assert env_arg == f"-env:UserInstallation={(tmp_path / 'p').resolve().as_uri()}"
    xcu = (tmp_path / "p" / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert xcu.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert ('<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" '
            'oor:op="fuse"><value>0</value></prop></item>') in xcu
    assert '<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop>' in xcu


# ----------------------------------------------------------------------------- failures

@pytest.mark.libreoffice
def test_missing_output_raises_and_names_the_file(tmp_path):
    good = _write_small(tmp_path / "good.xlsx", 1)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:300])  # a truncated zip: LibreOffice cannot load it
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "broken.xlsx").write_bytes(b"stale output of an earlier run")
    with pytest.raises(lo.LibreOfficeError) as caught:
        lo.recalculate([good, broken], out_dir)
    message = str(caught.value)
    assert "broken.xlsx" in message and "1 of 2" in message
    assert "good.xlsx" not in message.splitlines()[0]
    assert "stderr:" in message
    # nothing half-done: the stale file is untouched and no good output was moved in
    assert (out_dir / "broken.xlsx").read_bytes() == b"stale output of an earlier run"
    assert sorted(p.name for p in out_dir.iterdir()) == ["broken.xlsx"]


def test_bad_arguments_fail_before_starting_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setattr(lo, "find_soffice", lambda: None)       # the checks come before soffice is looked for
    a = _write_small(tmp_path / "a.xlsx", 1)
    (tmp_path / "sub").mkdir()
    a2 = _write_small(tmp_path / "sub" / "a.xlsx", 2)
    with pytest.raises(FileNotFoundError, match="nope.xlsx"):
        lo.recalculate([a, tmp_path / "nope.xlsx"], tmp_path / "out")
    with pytest.raises(ValueError, match="repeated: a.xlsx"):
        lo.recalculate([a, a2], tmp_path / "out")
    with pytest.raises(ValueError, match="overwritten"):
        lo.recalculate([a], tmp_path)
    assert lo.recalculate([], tmp_path / "out") == []
    assert not (tmp_path / "out").exists()


def test_missing_libreoffice_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(lo, "find_soffice", lambda: None)
    with pytest.raises(lo.LibreOfficeMissingError) as caught:
        lo.ensure_installed()
    assert str(caught.value) == ("LibreOffice is needed: run ./dev test (it installs libreoffice-calc-nogui) "
                                 "or apt-get install libreoffice-calc-nogui")
    with pytest.raises(lo.LibreOfficeMissingError, match="LibreOffice is needed"):
        lo.recalculate([_write_small(tmp_path / "a.xlsx", 1)], tmp_path / "out")


@pytest.mark.libreoffice
def test_find_soffice():
    found = lo.find_soffice()
    assert found is not None, lo.INSTALL_HINT
    assert Path(found).is_file() and lo.ensure_installed() == found


# ----------------------------------------------------------------------------- read_values

def test_read_values_gives_cached_values_of_non_empty_cells(tmp_path):
    path = tmp_path / "cached.xlsx"
    book = xlsxwriter.Workbook(str(path))
    first = book.add_worksheet("First")
    book.add_worksheet("s6.2 second")          # an empty sheet reads as an empty dict
    first.write_number("A1", 1.5)
    first.write_string("B1", "label")
    first.write_blank("C1", None, book.add_format({"bold": True}))
    first.write_boolean("A2", False)
    first.write_formula("B2", "=A1*2", None, WRONG)
    book.close()
    assert lo.read_values(path) == {"First": {"A1": 1.5, "B1": "label", "A2": False, "B2": WRONG},
                                    "s6.2 second": {}}


# ----------------------------------------------------------------------------- pictures

@pytest.mark.libreoffice
def test_pdf_and_png_show_recalculated_values(tmp_path):
    path = tmp_path / "picture.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Summary")
    sheet.set_column("A:A", 24)  # wide enough that the label is not cut off on the page
    sheet.write_string("A1", "Cooling market")
    sheet.write_number("B1", 123)
    sheet.write_formula("B2", "=B1*1000+456", None, WRONG)
    book.close()
    pdf = lo.to_pdf(path, tmp_path / "pdf")
    assert pdf == (tmp_path / "pdf" / "picture.pdf").resolve()
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run([shutil.which("pdftotext") or "pdftotext", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "123456" in text and "Cooling market" in text  # the computed value, not the cached -1
    png = lo.pdf_to_png(pdf, tmp_path / "img" / "picture.png")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 0
    width, height = struct.unpack(">II", data[16:24])  # IHDR
    assert width > 300 and height > 300  # a whole page at 110 dpi (about 900 x 1200)
    with pytest.raises(lo.LibreOfficeError, match="page 2"):
        lo.pdf_to_png(pdf, tmp_path / "img" / "page2.png", page=2)
    with pytest.raises(ValueError, match=r"\.png"):
        lo.pdf_to_png(pdf, tmp_path / "img" / "picture.jpg")
    assert not (tmp_path / "img" / "page2.png").exists()


# ----------------------------------------------------------------------------- timings

@pytest.mark.libreoffice
def test_print_startup_and_per_file_time(recalculated, tmp_path, capsys):
    """Printed, not asserted: one small file (mostly start-up) against eleven in one call."""
    files = [_write_small(tmp_path / f"t{k}.xlsx", k) for k in range(11)]
    start = time.perf_counter()
    lo.recalculate(files[:1], tmp_path / "one")
    single = time.perf_counter() - start
    start = time.perf_counter()
    lo.recalculate(files, tmp_path / "eleven")
    eleven = time.perf_counter() - start
    per_file = max(eleven - single, 0.0) / (len(files) - 1)
    with capsys.disabled():
        print(f"\nLibreOffice: 1 small workbook {single:.2f} s (start-up included); 11 in one call "
              f"{eleven:.2f} s, about {per_file * 1000:.0f} ms per extra file; the {len(CASES)}-formula "
              f"workbook + {COPIES} small ones in one call {recalculated['seconds']:.2f} s")


@pytest.mark.libreoffice
def test_concurrent_runs_do_not_collide(tmp_path):
    """Each call has its own profile and staging folder: two at once, into the same out_dir."""
    from concurrent.futures import ThreadPoolExecutor

    sources = [_write_small(tmp_path / f"c{k}.xlsx", k) for k in (3, 4)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        outputs = list(pool.map(lambda p: lo.recalculate([p], tmp_path / "out")[0], sources))
    assert [lo.read_values(p)["Sheet1"]["B1"] for p in outputs] == [6.5, 8.5]
