"""Template workbooks, proven by a real spreadsheet: LibreOffice recalculates every built workbook,
unchanged and with inputs edited through their defined names, and gets the engine's numbers."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from engine import errata, exhibits, formats, printed, scenarios
from suanli import libreoffice
from suanli.cli import main
from workbook_templates import build, groups
from workbook_templates.meta import META_SHEET

ALLOWED_FUNCTIONS = {"IF", "INDEX", "ROUND", "CEILING", "INT", "MAX", "MIN", "OR", "ISBLANK", "ISNUMBER",
                     "ABS", "TEXT", "COUNTBLANK", "NOT", "AND"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("templates")
    paths = build.build_all(out)
    return out, paths


@pytest.fixture(scope="module")
def recalculated(built, tmp_path_factory):
    out, paths = built
    books = [p for p in paths if p.name != "index.xlsx"]
    done = libreoffice.recalculate(books, tmp_path_factory.mktemp("recalculated"))
    return dict(zip([p.name for p in books], done, strict=True))


def _formula_cells(path: Path):
    """(sheet, ref) -> formula text, for every formula cell of the exhibit sheets."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        if ws.title in ("Index", "Inputs", "Errata", META_SHEET):
            continue
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    out[(ws.title, cell.coordinate)] = cell.value
    return out


def _cached(path: Path):
    wb = openpyxl.load_workbook(path, data_only=True)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None}


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def test_sheets_are_laid_out_like_the_report(built):
    out, _ = built
    ws = openpyxl.load_workbook(out / "demand.xlsx")["fig49"]
    assert [c.value for c in ws[4]][:8] == ["报告行 (as printed)", "Row", "Unit", "2023E", "2024E", "2025E", "2026E",
                                            "2027E"]
    assert ws["A5"].value == "多模态大模型研发厂商个数" and ws["D5"].value == "=INDEX(mm_vendors,1)"
    assert ws["A1"].value.startswith("fig49  全球大模型训练所需算力/AI 芯片数量测算")


def test_every_group_and_exhibit_has_a_workbook(built):
    out, paths = built
    assert {p.name for p in paths} == {f"{g.name}.xlsx" for g in groups.GROUPS} | {"index.xlsx"}
    covered = set()
    for g in groups.GROUPS:
        covered |= set(g.exhibits)
        wb = openpyxl.load_workbook(out / f"{g.name}.xlsx")
        assert wb.sheetnames[:3] == ["Index", "Inputs", "Errata"]
        assert set(g.exhibits) <= set(wb.sheetnames)
        assert wb[META_SHEET].sheet_state == "hidden"
    assert covered == {e.id for e in exhibits.all_exhibits()}


def test_the_errata_sheet_gives_each_entry_its_kind_rounding_notes_last(built):
    out, _ = built
    seen = set()
    for g in groups.GROUPS:
        rows = list(openpyxl.load_workbook(out / f"{g.name}.xlsx")["Errata"].iter_rows(values_only=True))
        head = next(i for i, r in enumerate(rows) if r[:2] == ("id", "kind"))
        kinds = [(r[0], r[1]) for r in rows[head + 1:] if r[0]]
        assert all(errata.get(eid).kind == kind for eid, kind in kinds), g.name
        notes = [kind == errata.ROUNDING_NOTE for _, kind in kinds]
        assert notes == sorted(notes), f"{g.name}: a rounding note before an erratum"
        seen |= {kind for _, kind in kinds}
    assert seen == set(errata.KINDS)


def test_inputs_are_defined_names_with_validation(built):
    out, _ = built
    schema = scenarios.schema()
    for g in groups.GROUPS:
        wb = openpyxl.load_workbook(out / f"{g.name}.xlsx")
        names = set(wb.defined_names.keys())
        meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
        keys = meta["inputs"].split(",")
        assert set(keys) <= names and set(keys) <= set(schema)
        validated = {str(dv.sqref) for dv in wb["Inputs"].data_validations.dataValidation}
        layout = build.plan(g, scenarios.load(g.scenario)).input_layout
        for key in keys:
            target = wb.defined_names[key].attr_text
            assert "=" + target == layout.name_target(key), (key, target)
            assert target.split("!")[1].replace("$", "") in validated, key


def test_formulas_use_only_functions_excel_2016_and_libreoffice_share(built):
    out, paths = built
    seen = set()
    for p in paths:
        if p.name == "index.xlsx":
            continue
        for formula in _formula_cells(p).values():
            seen |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", formula))
    assert seen <= ALLOWED_FUNCTIONS, seen - ALLOWED_FUNCTIONS


def test_every_formula_carries_the_engines_value(built):
    """Previewers and data_only readers see numbers: no formula cell lacks its cached value."""
    out, paths = built
    for p in paths:
        if p.name == "index.xlsx":
            continue
        formulas, cached = _formula_cells(p), _cached(p)
        missing = [k for k in formulas if k not in cached]
        assert not missing, (p.name, missing[:5])


@pytest.mark.libreoffice
def test_libreoffice_recalculates_to_the_engines_numbers(built, recalculated):
    out, _ = built
    checked = 0
    for name, recalc in recalculated.items():
        original = out / name
        formulas, engine_values, lo_values = _formula_cells(original), _cached(original), _cached(recalc)
        for key in formulas:
            want, got = engine_values.get(key), lo_values.get(key)
            assert _same(want, got), f"{name} {key[0]}!{key[1]} {formulas[key]}: engine {want!r}, LibreOffice {got!r}"
            checked += 1
    assert checked > 3000


@pytest.mark.libreoffice
def test_printed_values_check_out_in_the_workbook(built, recalculated):
    """Beside every printed cell LibreOffice's check says ✓; where a switch erratum makes the printed value (the
    workbook is as printed) it says so after the ✓ ("✓ E01"); a printed slip of the report names its erratum; in
    a workbook that opens corrected (the chain's), a difference names the erratum corrected."""
    deviations = printed.deviations()
    switched = {e.id for e in errata.switches()}
    seen, marked = 0, set()
    for name, recalc in recalculated.items():
        sc = scenarios.load(groups.group(name.removesuffix(".xlsx")).scenario)
        corrected = {ex for e in errata.all_errata() if e.switch and not sc.values[e.switch] for ex in e.exhibits}
        wb = openpyxl.load_workbook(recalc, data_only=True)
        for ws in wb.worksheets:
            header = {c.value: c.column for c in ws[4] if isinstance(c.value, str)}
            checks = [col for label, col in header.items() if label.startswith("Check ")]
            for col in checks:
                for row in ws.iter_rows(min_row=5, min_col=col, max_col=col):
                    cell = row[0]
                    if cell.value in (None, ""):
                        continue
                    seen += 1
                    if cell.value == "✓":
                        continue
                    if ws.title in corrected:      # a workbook opening corrected names the erratum behind a difference
                        assert cell.value.split()[0] in switched, f"{name} {ws.title}: {cell.value}"
                        continue
                    key = ws.cell(row=cell.row, column=2).value
                    column = ws.cell(row=4, column=col).value.removeprefix("Check ")
                    row_key = next(r.key for r in exhibits.get(ws.title).rows if r.label_en == key)
                    where = f"{name} {ws.title} {key} {column}: {cell.value}"
                    if cell.value.startswith("✓ "):
                        ids = cell.value.split()[1:]
                        assert set(ids) <= switched, where
                        marked |= {(ws.title, i) for i in ids}
                    else:
                        erratum = deviations.get((ws.title, row_key, column), (None, None, None))[1]
                        assert erratum and cell.value == f"{erratum} {errata.get(erratum).words}", where
    assert seen > 700, f"only {seen} printed cells were checked"
    assert {("fig50", "E01"), ("cagr", "E05"), ("cagr", "E06"), ("fig7", "E02"), ("fig8", "E13")} <= marked


@pytest.mark.libreoffice
def test_edited_inputs_recalculate_to_the_engine(built, tmp_path):
    """Inputs edited through their defined names: LibreOffice and the engine agree on every cell."""
    out, _ = built
    group = groups.group("servers")
    edits = {"train_utilization": 0.45, "market_usd_per_a100": 14000, "market_china_share": [0.30, 0.31, 0.32],
             "fig7_efficiency_unused": False, "mm_dau": [3e7, 6e7, 1.2e8, 2.4e8, 4.8e8], "h100_fp16_tflops": 989.5}
    edited = tmp_path / "servers_edited.xlsx"
    shutil.copy(out / "servers.xlsx", edited)
    wb = openpyxl.load_workbook(edited)
    for key, value in edits.items():
        target = wb.defined_names[key].attr_text.split("!")[1].replace("$", "")
        cells = wb["Inputs"][target]
        cells = [c for row in cells for c in row] if isinstance(cells, tuple) else [cells]
        for cell, v in zip(cells, value if isinstance(value, list) else [value] * len(cells), strict=True):
            cell.value = formats.input_display(key).cell_value(v)      # as the sheet shows it: 0.3 (亿) for 3e7
    wb.save(edited)
    expected = tmp_path / "servers_engine.xlsx"
    build.build_workbook(group, expected, scenarios.load("csc-2023").with_values(edits))
    [recalc] = libreoffice.recalculate([edited], tmp_path / "lo")
    formulas, want, got = _formula_cells(expected), _cached(expected), _cached(recalc)
    for key in formulas:
        assert _same(want.get(key), got.get(key)), f"{key}: engine {want.get(key)!r}, LibreOffice {got.get(key)!r}"
    assert want[("fig7", "F8")] != _cached(out / "servers.xlsx")[("fig7", "F8")]   # the edit changed the market


@pytest.mark.libreoffice
def test_user_supplied_inputs_show_what_they_need_until_given(built, tmp_path):
    """A cell waiting for an input shows the short "needs input", its comment names the input; LibreOffice
    computes it once the input is typed."""
    out, _ = built
    ws = openpyxl.load_workbook(out / "chain.xlsx")["chain"]
    waiting = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=IF(")
               and c.comment is not None and "chain_usd_per_switch" in c.comment.text]
    assert len(waiting) == 5
    values = _cached(out / "chain.xlsx")
    assert {values[("chain", c.coordinate)] for c in waiting} == {"needs input"}
    edited = tmp_path / "chain.xlsx"
    shutil.copy(out / "chain.xlsx", edited)
    wb = openpyxl.load_workbook(edited)
    target = wb.defined_names["chain_usd_per_switch"].attr_text.split("!")[1].replace("$", "")
    wb["Inputs"][target] = 20000
    wb.save(edited)
    [recalc] = libreoffice.recalculate([edited], tmp_path / "lo")
    got = _cached(recalc)
    assert all(isinstance(got[("chain", c.coordinate)], float) for c in waiting)


def test_cli_build(tmp_path, capsys):
    assert main(["templates", "build", "--out", str(tmp_path), "--scenario", "csc-2023-corrected"]) == 0
    assert "wrote 9 workbooks" in capsys.readouterr().out
    meta = {r[0]: r[1] for r in openpyxl.load_workbook(tmp_path / "demand.xlsx")[META_SHEET]
            .iter_rows(values_only=True)}
    assert meta["scenario"] == "csc-2023-corrected"
    assert main(["templates", "build", "--out", str(tmp_path / "x"), "--scenario", "nope"]) == 2
    assert not (tmp_path / "x").exists()


@pytest.mark.libreoffice
def test_picture_of_a_template(tmp_path, capsys):
    png = tmp_path / "template.png"
    assert main(["templates", "picture", "--out", str(png)]) == 0
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    assert main(["templates", "picture", "--out", str(png), "--exhibit", "fig999"]) == 2


@pytest.mark.libreoffice
def test_excel_button_workbooks(tmp_path, capsys):
    """--excel-button: xlwings' VBA project with the Refresh macro, a button running it (more in
    tests/test_excel_button.py), and the workbooks still recalculate and refresh like the plain ones."""
    import zipfile

    from addin.refresh_button import MACRO

    assert main(["templates", "build", "--out", str(tmp_path), "--excel-button"]) == 0
    book = tmp_path / "demand.xlsm"
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
        assert "xl/vbaProject.bin" in names
        assert "macroEnabled" in z.read("[Content_Types].xml").decode()
        vml = "".join(z.read(n).decode() for n in names if n.startswith("xl/drawings/vmlDrawing"))
        assert f"<x:FmlaMacro>[0]!{MACRO}</x:FmlaMacro>" in vml
        vba = z.read("xl/vbaProject.bin")
    assert not list(tmp_path.glob("*.py"))
    index = openpyxl.load_workbook(tmp_path / "index.xlsx")["Index"]
    assert index["A5"].hyperlink.target == "demand.xlsm"
    # LibreOffice recalculates the macro-enabled workbook like the plain one
    [recalc] = libreoffice.recalculate([book], tmp_path / "lo")
    assert _same(_cached(recalc)[("fig49", "D28")], _cached(book)[("fig49", "D28")])
    # refresh keeps the VBA project byte for byte
    from workbook_templates.refresh import refresh
    refresh(book)
    with zipfile.ZipFile(book) as z:
        assert z.read("xl/vbaProject.bin") == vba
