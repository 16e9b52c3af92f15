"""`suanli addin workbook`: the macro-enabled workbook for the classic xlwings add-in: its VBA, its
xlwings.conf sheet (only what is set, an interpreter that exists), the refusals, and an Examples sheet
whose range results are dynamic-array formulas with room for their full size."""

from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET
import zipfile

import openpyxl
import pytest
import xlwings
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from addin import udfs, vba
from addin.reference import excel_literal
from addin.workbook import EXAMPLES_FIRST_ROW, result_shape
from suanli.cli import main


def _conf_sheet(path):
    wb = openpyxl.load_workbook(path, keep_vba=True)
    return [tuple(r[:2]) for r in wb["xlwings.conf"].iter_rows(values_only=True)], wb


def test_workbook_is_configured_for_the_udf_module_and_this_python(tmp_path, capsys):
    path = tmp_path / "suanli.xlsm"
    assert main(["addin", "workbook", str(path), "--platform", "windows"]) == 0
    out = capsys.readouterr().out
    assert f"Interpreter_Win = {sys.executable}" in out and "ImportPythonUDFs" in out
    with zipfile.ZipFile(path) as z:
        assert "xl/vbaProject.bin" in z.namelist()
        assert "macroEnabled" in z.read("[Content_Types].xml").decode()
        assert vba.dll_names(z.read("xl/vbaProject.bin")) == {f"xlwings64-{xlwings.__version__}.dll",
                                                              f"xlwings32-{xlwings.__version__}.dll"}
    rows, wb = _conf_sheet(path)
    # only the settings it sets: a blank row of this sheet would hide the user's own (ribbon) setting
    assert rows == [("UDF Modules", "addin.udfs"), ("Interpreter_Win", sys.executable)]
    assert os.path.isfile(rows[1][1])                       # an interpreter that exists
    assert wb["xlwings.conf"].sheet_state == "hidden"
    assert wb.sheetnames == ["Examples", "xlwings.conf"]
    assert not list(tmp_path.glob(".suanli-*"))


def test_workbook_interpreter_and_platform_choices(tmp_path, capsys):
    path = tmp_path / "mac.xlsm"
    assert main(["addin", "workbook", str(path), "--platform", "mac", "--interpreter", sys.executable]) == 0
    assert _conf_sheet(path)[0] == [("UDF Modules", "addin.udfs"), ("Interpreter_Mac", sys.executable)]


@pytest.mark.parametrize("argv, message", [
    (["{tmp}/suanli.xlsx"], "suanli: PATH must end in .xlsm (a macro-enabled workbook, which the VBA needs), got '{tmp}/suanli.xlsx'"),
    (["{tmp}/suanli"], "suanli: PATH must end in .xlsm"),
    (["{tmp}/s.xlsm", "--interpreter", "python"], "suanli: --interpreter python is not a file on this computer: give the full path"),
    (["{tmp}/s.xlsm", "--interpreter", "{tmp}/venv/python.exe"], "suanli: --interpreter {tmp}/venv/python.exe is not a file"),
])
def test_workbook_refusals(tmp_path, capsys, argv, message):
    assert main(["addin", "workbook", *[a.format(tmp=tmp_path) for a in argv]]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(message.format(tmp=tmp_path)) and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def _cells(sheet_xml: str) -> dict[str, ET.Element]:
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    return {c.get("r"): c for c in ET.fromstring(sheet_xml).iterfind(".//m:sheetData/m:row/m:c", ns)}


def _box(ref: str) -> tuple[int, int, int, int]:
    """(first row, first column, last row, last column), 1-based, of A1 or A1:B2."""
    first, _, last = ref.partition(":")
    (c1, r1), (c2, r2) = coordinate_from_string(first), coordinate_from_string(last or first)
    return r1, column_index_from_string(c1), r2, column_index_from_string(c2)


def test_examples_spill_into_room_of_their_full_size(tmp_path, capsys):
    """Range results are dynamic-array formulas (cm="1", metadata.xml) over their engine-computed size;
    no two results and nothing else share a cell, so Excel 365 never shows #SPILL!."""
    path = tmp_path / "suanli.xlsm"
    assert main(["addin", "workbook", str(path)]) == 0
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        metadata = z.read("xl/metadata.xml").decode()
    assert 'name="XLDAPR"' in metadata and "fDynamic" in metadata      # Excel's dynamic-array flag
    cells = _cells(sheet)
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    wb = openpyxl.load_workbook(path)
    ws = wb["Examples"]
    examples = [(name, args, expected, f) for name, f in udfs.functions().items() for args, expected in f.examples]
    boxes, spilling = [], set()
    row = EXAMPLES_FIRST_ROW + 1
    for name, args, expected, f in examples:
        formula = f"{name}(" + ", ".join(excel_literal(a, whole=True) for a in args) + ")"   # an argument in full
        assert ws.cell(row, 1).value == name and ws.cell(row, 3).value == "=" + formula
        assert ws.cell(row, 4).value == excel_literal(expected)
        cell = cells[f"E{row}"]
        f_el = cell.find(f"{ns}f")
        assert f_el.text == formula
        height, width = result_shape(f(*args))
        if (height, width) == (1, 1):
            assert cell.get("cm") is None and f_el.get("t") is None
            box = (row, 5, row, 5)
        else:
            spilling.add(name)
            assert cell.get("cm") == "1" and f_el.get("t") == "array"
            box = _box(f_el.get("ref"))
            assert box == (row, 5, row + height - 1, 5 + width - 1)
        boxes.append(box)
        row = box[2] + 1
    assert {"AI_GPUS", "AI_TABLE", "AI_INPUT"} <= spilling
    for i, a in enumerate(boxes):                     # results never overlap ...
        for b in boxes[i + 1:]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1], (a, b)
    inside = {(r, c) for r1, c1, r2, c2 in boxes for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for ref in cells:                                  # ... and nothing else sits where a result goes
        (col, r) = coordinate_from_string(ref)
        if column_index_from_string(col) >= 5 and r > EXAMPLES_FIRST_ROW:
            assert (r, column_index_from_string(col)) in inside, ref


def test_examples_cache_the_engines_results(tmp_path, capsys):
    path = tmp_path / "suanli.xlsm"
    assert main(["addin", "workbook", str(path)]) == 0
    ws = openpyxl.load_workbook(path, data_only=True)["Examples"]
    gpus = udfs.AI_GPUS("asic")
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "AI_GPUS")
    assert [[ws.cell(row + i, 5).value] for i in range(len(gpus))] == [list(g) for g in gpus]
    assert ws.cell(row + len(gpus), 1).value == "AI_INPUT"        # the next example starts below the spill
    assert ws.cell(EXAMPLES_FIRST_ROW + 1, 5).value == udfs.AI_TRAIN_FLOPS(175e9, 300e9)
