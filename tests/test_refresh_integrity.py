"""Refresh writes only values the workbook's formulas would compute.

LibreOffice is the oracle: for every built workbook, and for variants with inputs edited through
their defined names (by openpyxl, which drops every cached result, and in the XML), the values
refresh caches are the values LibreOffice computes from the refreshed file.  Workbooks on which
the two would disagree are refused with one line naming the cell: a formula overwritten, two rows
swapped, a sheet's own name shadowing an input, a value no spreadsheet stores, a printed value
changed, an input formula whose saved result is not what it computes.
"""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from xlsxwriter.utility import xl_rowcol_to_cell

from engine import SuanliError, exhibits, formats, scenarios
from engine.exhibit import NumericResolver
from workbook_templates import build, groups, refresh, safety, sheetxml
from workbook_templates.meta import META_SHEET

from hostile import fixtures as fx
from hostile.cli import refused, run

DEMAND = groups.group("demand")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build.build_workbook(DEMAND, tmp_path_factory.mktemp("built") / "demand.xlsx")


@pytest.fixture(scope="module")
def plan():
    return build.plan(DEMAND, scenarios.load(DEMAND.scenario))


def at(plan, key: str, j: int = 0) -> str:
    return xl_rowcol_to_cell(*plan.input_layout.cells(key)[j])


def cell_of(plan, ex_id: str, row_key: str, j: int) -> str:
    return xl_rowcol_to_cell(*plan.layouts[ex_id].cell(row_key, j))


# ------------------------------------------------------------------ formulas that are not suanli's
def test_a_formula_cell_overwritten_with_another_formula(built, plan, tmp_path, capsys):
    ref = cell_of(plan, "fig49", "h100_total", 2)
    path = fx.set_cell(built, tmp_path / "book.xlsx", "fig49", ref, "formula", "42")
    refused(capsys, path, [f"fig49!{ref} ", "row h100_total (2025E)", "holds =42", "moved or overwritten"])


def test_a_check_overwritten(built, plan, tmp_path, capsys):
    path = fx.set_cell(built, tmp_path / "book.xlsx", "fig49", "P5", "formula", '"✓"')
    refused(capsys, path, ["fig49!P5 ", "the check of row mm_vendors (2023E)", 'holds ="✓"'])


def test_two_formula_rows_swapped(built, plan, tmp_path, capsys):
    a = plan.layouts["fig49"].row_index("h100_total")
    b = plan.layouts["fig49"].row_index("a100_total")
    path = fx.swap_rows(built, tmp_path / "book.xlsx", "fig49", a, b)
    err = refused(capsys, path, ["moved or overwritten", "row h100_total (2023E)"])
    assert f"fig49!D{a} " in err


def test_formulas_as_another_spreadsheet_writes_them_are_the_same_formulas(built, plan, tmp_path):
    """Spacing, quoting, case, _xlfn. prefixes and numbers to 15 digits (LibreOffice's) do not count."""
    same = [("=INDEX(mm_vendors,1)", "= index( MM_VENDORS , 1 )"),
            ("='fig49'!$D$5*100000000", "=fig49!$d$5*1E8"),
            ("=ABS(D5-J5)<=5.0000000050000005E-05", "=ABS(D5-J5)<=0.00005000000005"),
            ("=1000000000000000.0", "=1000000000000000"),
            ("=CEILING(A1,1)", "=_xlfn.CEILING(A1,1)")]
    for a, b in same:
        assert sheetxml.same_formula(a, b), (a, b)
    different = [("=INDEX(mm_vendors,1)", "=INDEX(mm_vendors,2)"), ("=$D$5", "=$D$6"), ("=D5-J5", "=J5-D5"),
                 ("=0.5", "=0.5000001"), ('="✓"', '="x"'), ("=fig49!D5", "=fig50!D5"), ("=42", "=")]
    for a, b in different:
        assert not sheetxml.same_formula(a, b), (a, b)


def test_formulas_excel_stores_as_shared_are_read_as_each_cells_own(built, plan, tmp_path):
    """Excel stores a filled range once ("shared"): refresh works out each cell's formula and accepts it.  The
    checks of row 25 read no input by column, so filling the first right gives the others."""
    path = fx.share_formulas(built, tmp_path / "book.xlsx", "fig49", ["P25", "Q25", "R25", "S25", "T25"])
    assert '<f t="shared" si="0"/>' in fx.sheet_xml(path, "fig49")
    refresh.refresh(path, out=tmp_path / "out.xlsx")
    checks = openpyxl.load_workbook(tmp_path / "out.xlsx", data_only=True)["fig49"]
    assert [checks[r].value for r in ("P25", "Q25", "R25", "S25", "T25")] == ["✓"] * 5


def test_a_shared_formula_that_works_out_to_another_formula(built, plan, tmp_path, capsys):
    """D5's =INDEX(mm_vendors,1) filled right gives =INDEX(mm_vendors,1) in E5, not suanli's =INDEX(mm_vendors,2)."""
    path = fx.share_formulas(built, tmp_path / "book.xlsx", "fig49", ["D5", "E5", "F5", "G5", "H5"])
    refused(capsys, path, ["fig49!E5 ", "holds =INDEX(mm_vendors,1)"])


# ------------------------------------------------------------------ names
def test_a_sheet_scoped_name_shadowing_an_input(built, plan, tmp_path, capsys):
    path = fx.add_name(built, tmp_path / "book.xlsx", "train_utilization", "Inputs!$F$99:$J$99", sheet="fig49")
    refused(capsys, path, ["input train_utilization: sheet fig49 has its own name train_utilization",
                           "Inputs!$F$99:$J$99", "Name Manager"])


def test_a_sheet_scoped_name_in_other_letters(built, plan, tmp_path, capsys):
    """Excel matches names whatever their case: TRAIN_UTILIZATION on a sheet shadows train_utilization."""
    path = fx.add_name(built, tmp_path / "book.xlsx", "TRAIN_UTILIZATION", "0.9", sheet="fig50")
    refused(capsys, path, "input train_utilization: sheet fig50 has its own name TRAIN_UTILIZATION")


def test_an_input_name_defined_twice(built, plan, tmp_path, capsys):
    path = fx.add_name(built, tmp_path / "book.xlsx", "Mm_Vendors", "Inputs!$F$99")
    refused(capsys, path, "input mm_vendors: the workbook defines the name mm_vendors 2 times")


def test_names_that_shadow_nothing_are_fine(built, plan, tmp_path):
    path = fx.add_name(built, tmp_path / "one.xlsx", "my_notes", "Inputs!$A$1", sheet="fig49")
    path = fx.add_name(path, tmp_path / "book.xlsx", "_xlnm.Print_Area", "'fig49'!$A$1:$T$30", sheet="fig49")
    assert refresh.refresh(path, out=tmp_path / "out.xlsx").cells > 300


# ------------------------------------------------------------------ values no spreadsheet stores
def test_a_switch_stored_as_a_boolean_two(built, plan, tmp_path, capsys):
    cell = at(plan, "fig50_util_applied_twice")
    path = fx.raw_cell(built, tmp_path / "book.xlsx", "Inputs", cell, f'<c r="{cell}" t="b"><v>2</v></c>')
    refused(capsys, path, [f"Inputs!{cell} ", "holds '2' as a boolean"])


@pytest.mark.parametrize("kind", ["x", "number", "B", ""])
def test_a_cell_type_excel_does_not_have(built, plan, tmp_path, capsys, kind):
    cell = at(plan, "train_utilization", 1)
    path = fx.raw_cell(built, tmp_path / "book.xlsx", "Inputs", cell, f'<c r="{cell}" t="{kind}"><v>0.3</v></c>')
    refused(capsys, path, [f"Inputs!{cell} ", f"has the type {kind!r}"])


@pytest.mark.parametrize("text", ["0_3", "nan", "inf", "-Infinity", "0x1p-2", "٠.٣", "0.3 0.4"])
def test_a_number_only_python_reads(built, plan, tmp_path, capsys, text):
    cell = at(plan, "train_utilization", 2)
    path = fx.raw_cell(built, tmp_path / "book.xlsx", "Inputs", cell, f'<c r="{cell}"><v>{text}</v></c>')
    refused(capsys, path, [f"Inputs!{cell} ", "as type n (a number)"])


def test_numbers_as_spreadsheets_write_them_are_read(built, plan, tmp_path):
    cell = at(plan, "train_utilization", 2)
    for k, text in enumerate(["3E-1", ".3", "+0.30", " 0.3 ", "30e-2"]):
        path = fx.raw_cell(built, tmp_path / f"b{k}.xlsx", "Inputs", cell, f'<c r="{cell}"><v>{text}</v></c>')
        report = refresh.refresh(path, out=tmp_path / f"o{k}.xlsx")
        assert report.changed == ()                                  # 0.3, as the scenario has it


@pytest.mark.parametrize("row_text", ["abc", "0", "07", "1048577", "٧", "-7", "7.0", ""])
def test_a_row_numbered_as_no_row_is(built, plan, tmp_path, capsys, row_text):
    path = fx.edit_sheet(built, tmp_path / "book.xlsx", "Inputs",
                         lambda xml: xml.replace('<row r="7"', f'<row r="{row_text}"', 1))
    refused(capsys, path, ["corrupted xlsx: ", f"sheet Inputs has a row numbered {row_text!r}"])


def test_rows_out_of_order(built, plan, tmp_path, capsys):
    def renumber(xml: str) -> str:                      # row 8 (and its cells) becomes row 10, before row 9
        row = re.search(r'<row r="8".*?</row>', xml, re.S).group(0)
        return xml.replace(row, re.sub(r'(r="[A-Z]*)8"', r'\g<1>10"', row), 1)
    path = fx.edit_sheet(built, tmp_path / "book.xlsx", "Inputs", renumber)
    refused(capsys, path, "sheet Inputs has row 9 after row 10 (rows must be in order, each once)")


def test_a_cell_in_the_wrong_row(built, plan, tmp_path, capsys):
    """A spreadsheet would put <c r="F8"> in row 8 whatever row holds it; refresh would read it as row 7's."""
    cell = at(plan, "train_utilization")
    row = int(cell[1:])
    wrong = f"{cell[0]}{row + 1}"
    path = fx.edit_sheet(built, tmp_path / "book.xlsx", "Inputs",
                         lambda xml: xml.replace(f'<c r="{cell}"', f'<c r="{wrong}"', 1))
    refused(capsys, path, f"sheet Inputs has the cell {wrong} in row {row}")


def test_a_cell_twice(built, plan, tmp_path, capsys):
    cell = at(plan, "train_utilization")
    path = fx.edit_sheet(built, tmp_path / "book.xlsx", "Inputs",
                         lambda xml: re.sub(rf'(<c r="{cell}"[^>]*>.*?</c>)', r"\1\1", xml, count=1, flags=re.S))
    refused(capsys, path, f"sheet Inputs has the cell {cell} after {cell} (cells must be in order, each once)")


# ------------------------------------------------------------------ what the formulas read
def test_a_printed_value_changed(built, plan, tmp_path, capsys):
    path = fx.set_cell(built, tmp_path / "book.xlsx", "fig49", "J5", "number", 6)
    refused(capsys, path, ["fig49!J5 ", "the report's printed value 5 for row mm_vendors (2023E)", "holds the number 6"])


def test_an_input_formula_whose_saved_result_it_does_not_compute(built, plan, tmp_path, capsys):
    cell = at(plan, "train_utilization")
    path = fx.raw_cell(built, tmp_path / "book.xlsx", "Inputs", cell, f'<c r="{cell}"><f>0.5</f><v>0.3</v></c>')
    refused(capsys, path, [f"input train_utilization at Inputs!{cell} holds the formula =0.5", "saved result is 0.3"])


def test_an_input_formula_is_read_as_its_saved_result(built, plan, tmp_path):
    cell = at(plan, "train_utilization")
    path = fx.raw_cell(built, tmp_path / "a.xlsx", "Inputs", cell, f'<c r="{cell}"><f>0.25+0.2</f><v>0.45</v></c>')
    assert refresh.refresh(path, out=tmp_path / "a-out.xlsx").changed == ("train_utilization",)
    path = fx.raw_cell(built, tmp_path / "b.xlsx", "Inputs", cell, f'<c r="{cell}"><f>0.3</f><v>0.3</v></c>')
    assert refresh.refresh(path, out=tmp_path / "b-out.xlsx").changed == ()


def test_the_meta_sheet_is_read_a_bounded_number_of_rows(built, tmp_path, capsys):
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>k{r}</t></is></c></row>' for r in range(20, 2100))
    path = fx.edit_sheet(built, tmp_path / "book.xlsx", META_SHEET,
                         lambda xml: xml.replace("</sheetData>", rows + "</sheetData>", 1))
    refused(capsys, path, "sheet _suanli holds more than 2,000 cells suanli would have to read")


# ------------------------------------------------------------------ the oracle
def _edits(group: groups.Group, sc: scenarios.Scenario, keys: list[str], every: int) -> dict[str, object]:
    """Every ``every``-th input changed by 5% (whole numbers by 2), switches flipped; each value one its
    input accepts and the group's exhibits compute with (an input whose changed value is refused is left out:
    the chain at FP8 refuses its A100s, which have no FP8 figure)."""
    schema = scenarios.schema()
    edits: dict[str, object] = {}

    def computes(values: dict[str, object]) -> bool:
        resolver = NumericResolver(sc.with_values(values), exhibits.get)
        try:
            for ex_id in group.exhibits:
                resolver.run(exhibits.get(ex_id))
        except SuanliError:
            return False
        return True

    for key in keys[::every]:
        spec, value = schema[key], sc.values[key]
        values = list(value) if isinstance(value, tuple) else [value]
        if spec.is_switch:
            new = [not bool(v) for v in values]
        else:
            new = [None if v is None else float(v) + 2 if spec.domain.whole else float(v) * 1.05 for v in values]
        candidate = tuple(new) if isinstance(value, tuple) else new[0]
        try:
            scenarios.check_value(key, candidate)
        except SuanliError:
            continue
        if spec.is_switch and not computes({**edits, key: candidate}):
            continue
        edits[key] = candidate
    return edits


def _by_openpyxl(src: Path, dst: Path, edits: dict[str, object]) -> Path:
    """The edits typed through each input's defined name, in the unit the Inputs sheet shows (15,000 for
    15,000亿), saved by openpyxl (it drops every cached result)."""
    shutil.copyfile(src, dst)
    wb = openpyxl.load_workbook(dst)
    for key, value in edits.items():
        target = wb.defined_names[key].attr_text.split("!")[1].replace("$", "")
        cells = wb["Inputs"][target]
        cells = [c for row in cells for c in row] if isinstance(cells, tuple) else [cells]
        for cell, v in zip(cells, value if isinstance(value, tuple) else [value], strict=True):
            cell.value = formats.input_display(key).cell_value(v)
    wb.save(dst)
    return dst


def _by_xml(src: Path, dst: Path, edits: dict[str, object], p: build.Plan) -> Path:
    """The edits written into the Inputs sheet's XML, in the unit it shows (every other part, cached results
    included, kept)."""
    shutil.copyfile(src, dst)
    for key, value in edits.items():
        cells = p.input_layout.cells(key)
        for (row, col), v in zip(cells, value if isinstance(value, tuple) else [value], strict=True):
            ref = xl_rowcol_to_cell(row, col)
            if v is None:
                fx.set_cell(dst, dst, "Inputs", ref, "blank")
            elif isinstance(v, bool):
                fx.set_cell(dst, dst, "Inputs", ref, "bool", v)
            else:
                fx.set_cell(dst, dst, "Inputs", ref, "number", formats.input_display(key).cell_value(v))
    return dst


def _formula_values(path: Path) -> tuple[dict[tuple[str, str], tuple[str, object]], object]:
    """(sheet, cell) -> (formula, cached value) for every formula cell outside the Inputs, Index and _suanli
    sheets, and the workbook's values."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in formulas.worksheets:
        if ws.title in ("Inputs", "Index", META_SHEET):
            continue
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    out[(ws.title, c.coordinate)] = (c.value, values[ws.title][c.coordinate].value)
    return out, values


_CHECK = re.compile(r'^=IF\(ISNUMBER\(([A-Z]+[0-9]+)\),IF\(ABS\(\1-([A-Z]+[0-9]+)\)')
_SHOWN = re.compile(r"^(≠|scenario) ([+-][0-9]+\.([0-9]+))(%| pp)$")


def _agree(ours, theirs, formula: str, values, sheet: str) -> bool:
    """Equal, numbers to 12 significant digits.  A check's "≠ +1.3%" may read "≠ +1.2%" in LibreOffice only where
    the difference it shows is a tie of its last digit (1.25%) to 12 digits: a spreadsheet rounds the difference
    its own last bits give, and the engine's last bits may differ."""
    if isinstance(ours, float) and isinstance(theirs, (int, float)) and not isinstance(theirs, bool):
        return math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-300)
    if ours == theirs:
        return True
    check, a, b = _CHECK.match(formula), _SHOWN.match(str(ours)), _SHOWN.match(str(theirs))
    if not (check and a and b and a.group(1) == b.group(1) and a.group(4) == b.group(4)):
        return False
    x, y = float(a.group(2)), float(b.group(2))
    unit = 10.0 ** -len(a.group(3))
    if not math.isclose(abs(x - y), unit, rel_tol=1e-6):
        return False
    ws = values[sheet]
    computed, shown = ws[check.group(1)].value, ws[check.group(2)].value
    diff = (computed - shown) * 100 if a.group(4) == " pp" else (computed - shown) / abs(shown) * 100
    return math.isclose(diff, (x + y) / 2, rel_tol=1e-9)


@pytest.mark.libreoffice
def test_libreoffice_computes_what_refresh_caches_for_every_workbook_and_edited_variants(tmp_path):
    """Every built workbook in two edited variants (inputs typed through their defined names by openpyxl, which
    drops every cached result; inputs edited in the XML, every other cached result kept), and one workbook as
    built and with formulas stored as Excel shares them, refreshed; LibreOffice, recalculating the refreshed files
    from scratch, gets every value refresh cached."""
    from suanli import libreoffice

    refreshed: list[Path] = []
    edited_inputs = 0
    for k, group in enumerate(groups.GROUPS):
        sc = scenarios.load(group.scenario)
        p = build.plan(group, sc)
        built = build.build_workbook(group, tmp_path / "built" / f"{group.name}.xlsx")
        first = _edits(group, sc, p.inputs, 3 + k % 2)
        second = _edits(group, sc, p.inputs[1:], 4)
        edited_inputs += len(first) + len(second)
        variants = [_by_openpyxl(built, tmp_path / f"{group.name}-openpyxl.xlsx", first),
                    _by_xml(built, tmp_path / f"{group.name}-xml.xlsx", second, p)]
        if group is DEMAND:
            variants.append(shutil.copyfile(built, tmp_path / "demand-as-built.xlsx"))
            variants.append(fx.share_formulas(variants[1], tmp_path / "demand-shared.xlsx", "fig49",
                                              ["P26", "Q26", "R26", "S26", "T26"]))
        for path in variants:
            report = refresh.refresh(path)
            assert report.backup is not None and not report.unchanged, path.name
            refreshed.append(path)
    assert edited_inputs > 100
    recalculated = libreoffice.recalculate(refreshed, tmp_path / "lo")
    compared = 0
    for path, lo in zip(refreshed, recalculated, strict=True):
        (ours, values), theirs = _formula_values(path), libreoffice.read_values(lo)
        for (sheet, ref), (formula, value) in ours.items():
            assert value is not None, (path.name, sheet, ref)
            got = theirs[sheet].get(ref)
            assert _agree(value, got, formula, values, sheet), \
                f"{path.name} {sheet}!{ref} {formula}: refresh cached {value!r}, LibreOffice {got!r}"
            compared += 1
    assert compared > 8_000


@pytest.mark.libreoffice
def test_refused_workbooks_are_ones_libreoffice_would_compute_otherwise(built, plan, tmp_path):
    """Each refusal above guards a real disagreement: refreshed anyway (the check skipped), LibreOffice computes
    another value for the cell the message names."""
    from suanli import libreoffice

    ref = cell_of(plan, "fig49", "h100_total", 2)
    overwritten = fx.set_cell(built, tmp_path / "overwritten.xlsx", "fig49", ref, "formula", "42")
    cell = at(plan, "fig50_util_applied_twice")
    switch = fx.raw_cell(built, tmp_path / "switch.xlsx", "Inputs", cell, f'<c r="{cell}" t="b"><v>2</v></c>')
    shadow = fx.add_name(built, tmp_path / "shadow.xlsx", "train_utilization", "Inputs!$F$99:$J$99", sheet="fig49")
    for path in (overwritten, switch, shadow):
        with pytest.raises(safety.WorkbookError):
            refresh.refresh(path, out=tmp_path / "never.xlsx")
    assert not (tmp_path / "never.xlsx").exists()
    # what LibreOffice computes from each, against what refresh cached for it before it refused it
    lo = [libreoffice.read_values(p) for p in libreoffice.recalculate([overwritten, switch, shadow], tmp_path / "lo")]
    engine = libreoffice.read_values(built)                 # what refresh cached for the first and the last before
    assert lo[0]["fig49"][ref] == 42 != engine["fig49"][ref]
    h100 = cell_of(plan, "fig50", "h100_cards", 0)          # the switch: refresh read 2 as FALSE, LibreOffice as TRUE
    as_false = build.sheet_cells(build.plan(DEMAND, scenarios.load("csc-2023").with_values(
        {"fig50_util_applied_twice": False})))["fig50"][h100].value
    assert not math.isclose(lo[1]["fig50"][h100], as_false)
    total = cell_of(plan, "fig49", "h100_total", 0)         # the sheet's own name: blank cells, not the input
    assert lo[2]["fig49"][total] != engine["fig49"][total]


def test_a_refusal_through_the_command_line_is_one_line(built, plan, tmp_path, capsys):
    ref = cell_of(plan, "fig49", "a100_total", 0)
    path = fx.set_cell(built, tmp_path / "book.xlsx", "fig49", ref, "formula", "SUM(1,2)")
    rc, out, err = run(capsys, path)
    assert rc == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"suanli: fig49!{ref} should hold the formula of row a100_total (2023E) but holds =SUM(1,2)")
