"""The Inputs sheet of every template workbook: each input in the report's display unit (15,000 in 亿,
30%) with its unit's number format, under the exhibit that reads it, its accepted range in the same
unit, printed one page wide; what the cells hold times the unit's factor is what the engine computes
with, and a refresh after editing a cell as the sheet shows it computes what ``--set`` with that unit
does."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from xlsxwriter.utility import xl_rowcol_to_cell

from engine import exhibits, formats, scenarios
from suanli import libreoffice
from suanli.cli import main
from workbook_templates import build, groups, meta, refresh, safety
from workbook_templates.render import INPUT_VALUE_COL, INPUTS_SHEET, input_readers

from hostile import fixtures as fx


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, build.Plan]]:
    out = tmp_path_factory.mktemp("templates")
    books = {}
    for g in groups.GROUPS:
        p = build.plan(g, scenarios.load(g.scenario))
        books[g.name] = (build.write_plan(p, out / f"{g.name}.xlsx"), p)
    return books


def _cells(ws, p: build.Plan, key: str):
    return [ws.cell(r + 1, c + 1) for r, c in p.input_layout.cells(key)]


# ------------------------------------------------------------------ what the cells hold
def test_every_input_cell_holds_the_display_value_in_its_units_format(built):
    """Read back with openpyxl: the cell's value × its unit's factor is the engine's value, and its number
    format is its unit's (thousands separators, the decimals the value needs), never General."""
    checked = 0
    for path, p in built.values():
        ws = openpyxl.load_workbook(path)[INPUTS_SHEET]
        for key in p.inputs:
            spec, shown = scenarios.schema()[key], formats.input_display(key)
            value = p.scenario.values[key]
            values = list(value) if isinstance(value, tuple) else [value]
            for cell, v in zip(_cells(ws, p, key), values, strict=True):
                if v is None:
                    assert cell.value is None, (key, cell.coordinate)
                    continue
                if spec.is_switch:
                    assert cell.value is bool(v), (key, cell.coordinate)
                    continue
                assert cell.number_format == shown.excel_format(values) != "General", (key, cell.number_format)
                # a workbook stores 16 significant digits (1/6 comes back as 0.1666666666666667)
                assert math.isclose(shown.base_value(cell.value), v, rel_tol=1e-15), (key, cell.coordinate, cell.value)
                checked += 1
    assert checked > 900


@pytest.mark.parametrize("key, unit, shown, number_format", [
    ("mm_params_base", "亿 (×1e8 params)", 15000, "#,##0"),
    ("mm_dau", "亿人 (×1e8 users)", 0.2, "#,##0.0"),
    ("train_utilization", "%", 0.3, "#,##0%"),             # the fraction, shown 30% by its format
    ("h100_fp16_tflops", "TFLOPS", 990, "#,##0"),
    ("market_global_actual_usd", "亿美元 (×1e8 USD)", 156, "#,##0"),
])
def test_inputs_read_as_the_report_prints_them(key, unit, shown, number_format):
    d = formats.input_display(key)
    value = scenarios.load("csc-2023").values[key]
    first = value[0] if isinstance(value, tuple) else value
    assert (d.label, d.cell_value(first), d.excel_format([first])) == (unit, shown, number_format)


def test_inputs_are_grouped_under_the_exhibit_that_reads_them(built):
    path, p = built["demand"]
    ws = openpyxl.load_workbook(path)[INPUTS_SHEET]
    headings = {}
    current = None
    for r, item in sorted(p.input_layout.rows.items()):
        if item.kind == "heading":
            current = item.exhibit
            assert ws.cell(r + 1, 1).value.startswith(f"{current}  {exhibits.get(current).title_zh}")
        elif item.kind == "input":
            headings[item.keys[0]] = current
    assert set(headings) == set(p.inputs)
    readers = input_readers()
    for key, ex in headings.items():
        assert ex == next(e for e in p.order if e in readers[key]), key
    assert headings["mm_params_base"] == "fig49" and headings["mm_dau"] == "fig50"
    shared = next(r for r, item in p.input_layout.rows.items() if item.kind == "shared" and item.exhibit == "fig50")
    assert "Also reads mm_params_base" in ws.cell(shared + 1, 1).value and "(under fig49)" in ws.cell(shared + 1, 1).value


def test_unit_and_accepted_range_are_in_the_display_unit(built):
    path, p = built["demand"]
    ws = openpyxl.load_workbook(path)[INPUTS_SHEET]
    accepted = INPUT_VALUE_COL + p.input_layout.width + 1          # 1-based: the column after the values
    rows = {item.keys[0]: r for r, item in p.input_layout.rows.items() if item.kind == "input"}
    for key, unit, bounds in [("mm_params_base", "亿 (×1e8 params)", "in (0, 100,000,000]"),
                              ("train_utilization", "%", "in (0%, 100%]"),
                              ("mm_params_growth", "%", "in (-100%, 1,000%]")]:
        r = rows[key] + 1
        assert (ws.cell(r, 2).value, ws.cell(r, accepted).value, ws.cell(r, accepted + 2).value) == \
            (unit, bounds, key)
    validation = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    (first, last) = p.input_layout.cells("mm_params_base")[0], p.input_layout.cells("mm_params_base")[-1]
    dv = validation[xl_rowcol_to_cell(*first) if first == last else f"{xl_rowcol_to_cell(*first)}:{xl_rowcol_to_cell(*last)}"]
    assert (float(dv.formula1), float(dv.formula2)) == (0.0, 1e8)          # 亿, as the cell holds it


def test_a_long_axis_runs_down_the_sheet(built):
    """The chips of the export-control table: one row per chip, one column per input."""
    path, p = built["export_control"]
    layout = p.input_layout
    assert "export_int8_tops" in layout.down and layout.width <= 10
    cells = layout.cells("export_fp16_tflops")
    assert len({c for _, c in cells}) == 1 and len(cells) == len(scenarios.axes()["export_chips"])
    ws = openpyxl.load_workbook(path)[INPUTS_SHEET]
    r, c = cells[1]
    assert ws.cell(r + 1, 1).value == scenarios.axes()["export_chips"][1] and ws.cell(r + 1, c + 1).value == 312


def test_formulas_convert_what_the_inputs_hold(built):
    path, p = built["demand"]
    ws = openpyxl.load_workbook(path)["fig50"]
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert "=mm_params_base" in formulas and "=INDEX(mm_dau,1)" in formulas   # rows in 亿 and 亿人: the cell itself
    fig173 = openpyxl.load_workbook(path)["fig173"]
    assert fig173["D7"].value == "=$D$6*zero_params*100000000/1000000000"      # 75 (亿) parameters, × 1e8


# ------------------------------------------------------------------ refresh reads what the sheet shows
def _edit(path: Path, dst: Path, p: build.Plan, typed: dict[str, object]) -> Path:
    """``typed`` entered into the Inputs cells as the sheet shows them (a list: one value per column; else
    the value in every column)."""
    shutil.copyfile(path, dst)
    for key, value in typed.items():
        cells = p.input_layout.cells(key)
        for (r, c), v in zip(cells, value if isinstance(value, list) else [value] * len(cells), strict=True):
            fx.set_cell(dst, dst, INPUTS_SHEET, xl_rowcol_to_cell(r, c), "number", v)
    return dst


TYPED = {"mm_params_base": 18000, "mm_dau": [0.3, 0.6, 1.2, 2.4, 4.8], "train_utilization": 0.45}
SET = {"mm_params_base": "18000亿", "mm_dau": ["0.3亿", "0.6亿", "1.2亿", "2.4亿", "4.8亿"], "train_utilization": "45%"}


def test_refresh_after_editing_in_display_units_computes_what_set_does(built, tmp_path, capsys):
    path, p = built["demand"]
    edited = _edit(path, tmp_path / "demand.xlsx", p, TYPED)
    report = refresh.refresh(edited)
    assert set(report.changed) == set(TYPED)
    want = build.cached_results(build.plan(p.group, scenarios.load("csc-2023", SET)))
    got = libreoffice.read_values(edited)
    for sheet, cells in want.items():
        for ref, (value, row, column) in cells.items():
            have = got[sheet].get(ref)
            if isinstance(value, float) and math.isfinite(value):
                assert math.isclose(have, value, rel_tol=1e-12), (sheet, ref, row, column, have, value)
    # the command line, given the same values in the report's units, prints the same table
    argv = ["table", "fig49", "--format", "json"] + [a for k, v in SET.items() if k != "mm_dau"
                                                     for a in ("--set", f"{k}={v}")]
    assert main(argv) == 0
    import json
    table = json.loads(capsys.readouterr().out)
    h100 = next(r for r in table["rows"] if r["key"] == "h100_total")["values"]
    ref = xl_rowcol_to_cell(*p.layouts["fig49"].cell("h100_total", 4))
    assert math.isclose(got["fig49"][ref], h100[4], rel_tol=1e-12)


@pytest.mark.libreoffice
def test_libreoffice_agrees_with_the_refresh_of_display_values(built, tmp_path):
    path, p = built["servers"]
    typed = {"mm_dau": [0.3, 0.6, 1.2, 2.4, 4.8], "market_global_actual_usd": [160, 210],
             "market_efficiency_factor": [1.0, 1.25, 1.5]}
    edited = _edit(path, tmp_path / "servers.xlsx", p, typed)
    refresh.refresh(edited)
    ours = libreoffice.read_values(edited)
    theirs = libreoffice.read_values(libreoffice.recalculate([edited], tmp_path / "lo")[0])
    compared = 0
    for sheet in p.order:
        for ref, v in ours[sheet].items():
            if isinstance(v, float):
                assert math.isclose(v, theirs[sheet][ref], rel_tol=1e-12, abs_tol=1e-300), (sheet, ref)
                compared += 1
    assert compared > 300
    want = build.cached_results(build.plan(p.group, scenarios.load("csc-2023", {
        "mm_dau": ["0.3亿", "0.6亿", "1.2亿", "2.4亿", "4.8亿"], "market_global_actual_usd": ["160亿美元", "210亿美元"],
        "market_efficiency_factor": ["100%", "125%", "150%"]})))
    market = next(ref for ref, (_, row, column) in want["fig7"].items() if row == "market" and column == "2024E")
    assert math.isclose(theirs["fig7"][market], want["fig7"][market][0], rel_tol=1e-12)


def test_a_workbook_with_base_unit_inputs_is_refused_with_a_rebuild_message(built, tmp_path, capsys):
    path, _ = built["demand"]
    old = fx.edit_sheet(path, tmp_path / "old.xlsx", meta.META_SHEET,
                        lambda xml: re.sub(r"<row r=\"8\".*?</row>", "", xml, count=1, flags=re.S))
    assert "inputs_layout" not in "".join(str(v) for v in libreoffice.read_values(old)[meta.META_SHEET].values())
    with pytest.raises(safety.WorkbookError, match=r"with its Inputs sheet in base units .*rebuild the workbook with "
                                                   r"`suanli templates build`"):
        refresh.refresh(old)
    assert main(["refresh", str(old)]) == 2
    assert "in the units it shows" in capsys.readouterr().err


# ------------------------------------------------------------------ printed
def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (x0, y0, x1, y1, text), from poppler's ``pdftotext -bbox``."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(xml.replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    return [[(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
             for w in page.iter("word")] for page in root.iter("page")]


def _overlaps(words) -> list[tuple[str, str]]:
    """Pairs of words on a page whose boxes overlap by more than a fifth of the smaller: text drawn over text."""
    found = []
    ordered = sorted(words, key=lambda w: w[1])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b[1] >= a[3]:
                break
            w, h = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
            if w > 0 and h > 0 and w * h > 0.2 * min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])):
                found.append((a[4], b[4]))
    return found


def _broken(word: str, printed: set[str], parts: int = 4) -> bool:
    """True when ``word`` is printed broken over lines: as two to ``parts`` printed words end to end
    (``three-`` ``tier``; a long Chinese phrase wraps inside itself)."""
    if parts < 2:
        return word in printed
    return any(word[:i] in printed and (word[i:] in printed or _broken(word[i:], printed, parts - 1))
               for i in range(1, len(word)))


@pytest.mark.libreoffice
def test_each_inputs_sheet_prints_one_page_wide_with_all_its_text(built, tmp_path):
    """Printed by LibreOffice: the first page holds the first column's and the last column's titles (a sheet
    split across pages would print its right-hand columns on later pages, for every row alike), every
    key, label, unit and source is printed in full, and no text is drawn over other text (rows tall enough)."""
    if shutil.which("pdftotext") is None:      # poppler-utils, which ./dev installs with pdftoppm for these tests
        pytest.fail("pdftotext (poppler-utils) is needed: ./dev test installs it")
    for name, (path, p) in built.items():
        only = tmp_path / f"{name}.xlsx"
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            ws.sheet_state = "visible" if ws.title == INPUTS_SHEET else "hidden"
        wb.active = wb.sheetnames.index(INPUTS_SHEET)
        wb.save(only)
        pages = _words(libreoffice.to_pdf(only, tmp_path / "pdf"))
        first = [w[4] for w in pages[0]]
        assert first[:3] == ["Inputs", "—", p.group.title.split()[0]], (name, first[:3])
        assert "Input" in first and "Source" in first and "(key)" in first, name
        left = min(w[0] for w in pages[0] if w[4] == "Input")
        right = max(w[2] for w in pages[0] if w[4] == "(key)")
        assert right - left > 0.5 * max(w[2] for w in pages[0]), name
        printed = Counter(w[4] for page in pages for w in page)
        wanted = Counter()
        for key in p.inputs:
            spec = scenarios.schema()[key]
            wanted.update([key])
            wanted.update(spec.label.split())
            wanted.update(spec.source.split())
        missing = [w for w in wanted - printed if not _broken(w, set(printed))]
        assert not missing, (name, missing[:10])
        for number, page in enumerate(pages, start=1):
            assert not _overlaps(page), (name, number, _overlaps(page)[:5])


def test_batch_takes_base_and_report_units_and_writes_display_values(tmp_path, capsys):
    """A scenario file's bare number is in the base unit and text may carry the report's unit; either way the
    workbook's Inputs sheet shows the report's unit, and the workbook refreshes as it is."""
    rows = tmp_path / "rows.csv"
    rows.write_text("name,mm_params_base,train_utilization,mm_dau[2025E]\nbase units,1.8e12,0.45,1e8\n"
                    "report units,18000亿,45%,1亿\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(rows), "--out", str(out), "--jobs", "1", "--template", "demand",
                 "--scenario", "csc-2023"]) == 0, \
        capsys.readouterr().err
    p = build.plan(groups.group("demand"), scenarios.load("csc-2023"))
    meant = scenarios.load("csc-2023", {"mm_params_base": 1.8e12, "train_utilization": 0.45,
                                        "mm_dau": [2e7, 5e7, 1e8, 2e8, 4e8]})
    shown = []
    for name in ("base_units", "report_units"):
        ws = openpyxl.load_workbook(out / f"{name}.xlsx")[INPUTS_SHEET]
        shown.append([ws.cell(r + 1, c + 1).value for key in ("mm_params_base", "train_utilization", "mm_dau")
                      for r, c in p.input_layout.cells(key)[:3]])
        report = refresh.refresh(out / f"{name}.xlsx")
        assert set(report.changed) == {"mm_params_base", "train_utilization"}        # mm_dau is the report's
        assert report.inputs_hash == build.inputs_hash(meant, p.inputs)
    assert shown[0] == shown[1] == [18000, 0.45, 0.45, 0.45, 0.2, 0.5, 1]


def test_a_batch_workbook_from_the_default_base_refreshes_naming_only_the_inputs_its_row_changed(tmp_path, capsys):
    """A batch starts from the corrected scenario by default, and each workbook's _suanli sheet records that base;
    a refresh starts from it, so it names only the inputs the row changed (not the errata switches as well, as it
    would comparing with the group's own csc-2023), and the manifest records the same base."""
    import json

    rows = tmp_path / "rows.csv"
    rows.write_text("name,mm_params_base,train_utilization\nhouse,18000亿,45%\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(rows), "--out", str(out), "--jobs", "1", "--template", "demand"]) == 0, \
        capsys.readouterr().err
    corrected = scenarios.load("csc-2023-corrected")
    meant = corrected.with_values({"mm_params_base": 1.8e12, "train_utilization": 0.45}, name="house")
    book = out / "house.xlsx"
    info, values = refresh.workbook_inputs(book)
    assert (info.base, info.chain, info.get("scenario_hash")) == (
        "csc-2023-corrected", ("csc-2023-corrected", "csc-2023"), meant.fingerprint)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert values["mm_params_base"] == 1.8e12 and values["train_utilization"] == (0.45,) * 5
    assert manifest["base"] == {"name": "csc-2023-corrected", "base": ["csc-2023"], "hash": corrected.fingerprint}
    assert manifest["scenarios"][0]["scenario_hash"] == meant.fingerprint
    report = refresh.refresh(book)
    assert set(report.changed) == {"mm_params_base", "train_utilization"}
    assert report.inputs_hash == build.inputs_hash(meant, info.inputs)
    assert "its inputs compared with csc-2023-corrected" in report.summary()
    assert refresh.workbook_inputs(book)[0].get("scenario_hash") == meant.fingerprint


@pytest.mark.libreoffice
def test_picture_of_the_inputs_sheet(tmp_path, capsys):
    png = tmp_path / "inputs.png"
    assert main(["templates", "picture", "--inputs", "--out", str(png)]) == 0
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    assert capsys.readouterr().out.strip() == f"wrote {png}"
