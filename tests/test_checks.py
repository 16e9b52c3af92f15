"""The check cells beside the report's printed values, and the layout of the sheets they are on.

A check says ✓ at the printed precision (with the ids of the switch errata that make the printed value,
in a workbook that reproduces them), names the erratum that explains a difference, says "scenario" where
the user moved an input the cell depends on, and gives any other difference in % (percentage points
for a percentage), never in E-notation.  The engine's text and the workbook's formula come from one
definition (:mod:`workbook_templates.checks`); LibreOffice computes the same text.  The sheets are laid out
from their content: no numeric column wider than its numbers, no text over another in the PDF.
"""

from __future__ import annotations

import dataclasses
import html
import math
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from xlsxwriter.utility import xl_cell_to_rowcol

from engine import errata, exhibits, printed, scenarios
from workbook_templates import batch, build, groups, widths
from workbook_templates.checks import NO_VALUE
from workbook_templates.meta import META_SHEET

DEMAND = groups.group("demand")


def plan(group: str = "demand", scenario: str = "csc-2023", **changes):
    sc = scenarios.load(scenario)
    return build.plan(groups.group(group), sc.with_values(changes) if changes else sc)


def check_of(p, ex_id: str, row: str, column: str):
    """(the Check, what it shows for the plan) of one printed cell."""
    for check, _, kc in build.plan_checks(p).cells[ex_id]:
        if check.row == row and check.column == column:
            return check, build.sheet_cells(p)[ex_id][build.xl_rowcol_to_cell(check.r, kc)].value
    raise KeyError((ex_id, row, column))


# ------------------------------------------------------------------ what a check says
def test_a_match_is_a_tick_and_the_as_printed_workbook_marks_the_errors_behind_it():
    p = plan()
    assert check_of(p, "fig49", "a100_total", "2023E")[1] == "✓"
    assert check_of(p, "fig50", "h100_cards", "2023E")[1] == "✓ E01"          # E01 makes the printed 83万
    assert check_of(p, "cagr", "train_cagr", "value")[1] == "✓ E05"
    assert check_of(p, "fig50", "mm_params", "2023E")[1] == "✓"               # before the error: no mark
    check, _ = check_of(p, "fig50", "h100_cards", "2023E")
    assert check.note().startswith("E01 fig50 applies the 30% utilisation twice. Its switch fig50_util_applied_twice")


def test_a_difference_a_named_erratum_explains_names_it():
    p = plan(scenario="csc-2023-corrected")
    assert check_of(p, "fig50", "h100_cards", "2027E")[1] == "E01 utilisation applied twice"
    assert check_of(p, "cagr", "infer_cagr", "value")[1] == "E06 CAGR over 5 periods"
    assert check_of(plan("passages", "csc-2023-corrected"), "fig159", "capex_mw", "下限")[1] == \
        "E19 per-MW cost 100× too low"
    # the text's value of an input-conflict erratum (its alternative scenario), and a slip of the printed table
    assert check_of(plan(scenario="csc-2023-text-params"), "fig49", "mm_params", "2023E")[1] == "E03 text: 10000亿"
    assert check_of(plan("network"), "switching", "pcie4_gbps", "value")[1] == "E43 PCIe x16 as 200G/400G"
    # two at once: the first, and the other's id
    assert check_of(plan(scenario="csc-2023-text-params"), "fig50", "h100_cards", "2023E")[1] == \
        "E01 utilisation applied twice +E03"


def test_a_difference_the_scenario_made_says_scenario_and_how_far():
    p = plan(mm_dau=[3e7, 7.5e7, 1.5e8, 3e8, 6e8])                   # 1.5 times the report's daily users
    assert check_of(p, "fig50", "mm_dau", "2023E")[1] == "scenario +50.0%"
    assert check_of(p, "fig50", "mm_dau_yoy", "2024E")[1] == "✓"           # the growth is the same
    assert check_of(p, "fig49", "a100_total", "2023E")[1] == "✓"           # fig49 does not read it
    p = plan(train_utilization=0.45)
    assert check_of(p, "fig49", "a100_total", "2023E")[1] == "scenario -33.3%"


def test_any_other_difference_is_in_percent_or_points_never_e_notation():
    p = plan()
    report = p.scenario
    check, _ = check_of(p, "fig49", "a100_total", "2023E")
    assert check.text(check.shown * 1.033, report) == "≠ +3.3%"
    assert check.text(check.shown * 0.9996, report) == "≠ -0.040%"            # under 0.1%: three decimals
    percent, _ = check_of(p, "fig50", "mm_dau_yoy", "2024E")
    assert percent.points and percent.text(percent.shown - 0.004, report) == "≠ -0.4 pp"
    assert check.text(None, report) == check.text(math.inf, report) == check.text("needs input", report) == NO_VALUE
    for name in ("csc-2023", "csc-2023-corrected", "csc-2023-text-dau"):
        for g in groups.GROUPS:
            sc = scenarios.load(name if g.scenario == "csc-2023" else g.scenario).with_values(
                {"train_utilization": 0.41, "infer_utilization": 0.2})
            for cells in build.printed_checks(build.plan(g, sc)).values():
                for text, _, _ in cells.values():
                    assert not re.search(r"E[+-][0-9]", text), (g.name, text)


def test_the_printed_slips_of_the_report_are_shown_beside_the_model():
    """A deviation (a printed value that does not follow) is on the sheet with its erratum; every erratum a check
    can name has a few words for it."""
    named = set()
    for g in groups.GROUPS:
        for cells in build.printed_checks(build.plan(g, scenarios.load("csc-2023-text-params"
                                                                       if g.scenario == "csc-2023" else g.scenario))
                                          ).values():
            named |= {t.split()[0] for t, _, _ in cells.values() if not t.startswith(("✓", "≠", "scenario"))}
    assert {d[1] for d in printed.deviations().values()} <= named
    for eid in named | {e.id for e in errata.switches()}:
        e = errata.get(eid)
        assert e.short and len(e.short) <= 28, eid


def test_check_formulas_fit_excel():
    """Excel takes formulas up to 8,192 characters and 64 nested functions."""
    for g in groups.GROUPS:
        for cells in build.sheet_cells(build.plan(g, scenarios.load(g.scenario))).values():
            for c in cells.values():
                if c.formula is not None:
                    depth = max(len(re.findall(r"\(", f)) for f in re.split(r"\)", c.formula))
                    assert len(c.formula) <= 8192 and depth <= 64, (g.name, c.row)


# ------------------------------------------------------------------ headers
def test_every_sheet_names_its_scenario_and_the_errata_switches(tmp_path):
    book = build.build_workbook(DEMAND, tmp_path / "demand.xlsx", scenarios.load("csc-2023-corrected"))
    cached = openpyxl.load_workbook(book, data_only=True)
    formulas = openpyxl.load_workbook(book)
    assert cached["fig50"][build.HEADER_CELL].value.startswith("Scenario csc-2023-corrected · errata E01 corrected")
    assert "'_suanli'!$B$3" in formulas["fig50"][build.HEADER_CELL].value          # the name refresh stamps
    assert "no errata switch bears on this sheet" in cached["fig49"][build.HEADER_CELL].value
    assert cached["cagr"][build.HEADER_CELL].value.startswith(
        "Scenario csc-2023-corrected · errata E01 corrected, E05 corrected, E06 corrected")
    assert [r[1].value for r in formulas[META_SHEET].iter_rows()][2] == "csc-2023-corrected"
    assert "errata corrected: E01 E05 E06" in cached["Errata"]["A3"].value
    assert "errata corrected: E01 E05 E06" in cached["Index"]["A4"].value


# ------------------------------------------------------------------ layout, in the workbook
def test_number_formats_on_every_formula_cell_and_charts_with_one_unit_per_axis(tmp_path):
    book = build.build_workbook(groups.group("chain"), tmp_path / "chain.xlsx")
    for g in groups.GROUPS:
        p = build.plan(g, scenarios.load(g.scenario))
        path = build.write_plan(p, tmp_path / f"{g.name}.xlsx")
        wb = openpyxl.load_workbook(path)
        for ex_id, cells in build.sheet_cells(p).items():
            for ref, c in cells.items():
                if c.kind in ("formula", "printed") and exhibit_row(ex_id, c.row).unit != "text":
                    assert wb[ex_id][ref].number_format not in ("General", None), (ex_id, ref)
    for ex_id in build.CHARTS:
        assert len(build.chart_axes(ex_id)) <= 2
    assert [unit for unit, _ in build.chart_axes("chain")] == ["万张", "万kW"]
    import zipfile
    with zipfile.ZipFile(book) as z:
        xml = next(z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart"))
    assert xml.count("<c:valAx>") == 2 and "Accelerators (万张)" in xml and "IT load (万kW)" in xml


def exhibit_row(ex_id: str, key: str):
    return exhibits.get(ex_id).row(key)


def test_needs_cells_are_compact_and_name_their_input_in_a_comment(tmp_path):
    book = build.build_workbook(groups.group("chain"), tmp_path / "chain.xlsx")
    ws = openpyxl.load_workbook(book)["chain"]
    cached = openpyxl.load_workbook(book, data_only=True)["chain"]
    waiting = [c for row in ws.iter_rows() for c in row if c.comment is not None and cached[c.coordinate].value ==
               "needs input"]
    assert {re.search(r"Needs (\S+?):", c.comment.text).group(1) for c in waiting} == {
        "chain_usd_per_optical_module", "chain_usd_per_switch", "chain_electricity_cny_per_kwh"}
    for c in waiting:                                  # the column is as wide as its numbers or "needs input"
        shown = [widths.shown(cached.cell(row=r, column=c.column).value, ws.cell(row=r, column=c.column).number_format)
                 for r in range(5, ws.max_row + 1)]
        assert column_width(ws, c.column) <= widths.fit(shown + ["needs input"]) + 0.1


def column_width(ws, col: int) -> float:
    """The width of a column (1-based) as set, in characters: XlsxWriter writes columns of one width as a range,
    each with the 0.71 characters of cell padding Excel adds."""
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.min <= col <= dim.max and dim.width:
            return dim.width - 0.7109375
    return 8.43


# ------------------------------------------------------------------ LibreOffice computes the same texts
@pytest.mark.libreoffice
def test_libreoffice_shows_what_the_engine_says_for_each_kind_of_check(tmp_path):
    """Edited in the workbook (openpyxl drops every saved result): an erratum switched off, an input moved, a printed
    value changed (a plain difference, in % and in points), an input that makes a cell #DIV/0!.  LibreOffice's check
    texts are the engine's for the values it computes."""
    from suanli import libreoffice

    p = build.plan(DEMAND, scenarios.load("csc-2023"))
    book = build.write_plan(p, tmp_path / "demand.xlsx")
    wb = openpyxl.load_workbook(book)
    names = wb.defined_names

    def cells(key):
        sheet, ref = names[key].attr_text.split("!")
        rows = wb[sheet.strip("'")][ref.replace("$", "")]
        return [c for row in rows for c in row] if isinstance(rows, tuple) else [rows]

    values = dict(p.scenario.values)
    cells("fig50_util_applied_twice")[0].value = False
    values["fig50_util_applied_twice"] = 0.0
    utilisation = list(values["train_utilization"])
    utilisation[1], utilisation[4] = 0.45, 0.0                         # 2024E moved; 2027E divides by zero
    for c, v in zip(cells("train_utilization"), utilisation, strict=True):
        c.value = v
    values["train_utilization"] = tuple(utilisation)
    changed = {}
    for ex_id, row, column, factor in (("fig49", "mm_vendors", "2023E", 1.2), ("fig49", "mm_params_yoy", "2025E", None)):
        check, _ = check_of(p, ex_id, row, column)
        r, c = xl_cell_to_rowcol(check.printed)
        new = check.shown / factor if factor else check.shown + 0.004
        wb[ex_id].cell(row=r + 1, column=c + 1).value = new
        changed[(ex_id, check.printed)] = new
    wb.save(book)
    [recalc] = libreoffice.recalculate([book], tmp_path / "lo")
    lo = libreoffice.read_values(recalc)
    edited = scenarios.Scenario("edited", values)
    seen = set()
    for ex_id, found in build.plan_checks(p).cells.items():
        for check, _, kc in found:
            shown = changed.get((ex_id, check.printed), check.shown)
            computed = lo[ex_id].get(check.computed)
            computed = None if isinstance(computed, str) else computed
            want = dataclasses.replace(check, shown=shown).text(computed, edited)
            got = lo[ex_id][build.xl_rowcol_to_cell(check.r, kc)]
            assert got == want, (ex_id, check.row, check.column, got, want)
            seen.add(re.sub(r"[+-][0-9.]+", "", want).split()[0])
    assert seen >= {"✓", "E01", "scenario", "≠"}
    texts = {lo[ex][build.xl_rowcol_to_cell(ch.r, kc)] for ex, f in build.plan_checks(p).cells.items() for ch, _, kc in f}
    assert {"≠ +20.0%", "≠ no value", "E01 utilisation applied twice", "scenario -33.3%"} <= texts
    assert "≠ -0.4 pp" in texts


# ------------------------------------------------------------------ layout, as LibreOffice prints it
def _words(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Each page's words with their boxes (text, x0, y0, x1, y1), from pdftotext."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append([(html.unescape(w), float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)])
    return pages


def _overlaps(words) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other: overlapping across and by more than a third of their height down
    (the boxes of two lines of one wrapped cell touch, by a point or so)."""
    found = []
    ordered = sorted(words, key=lambda w: w[2])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b[2] >= a[4]:
                break
            down = min(a[4], b[4]) - max(a[2], b[2])
            if min(a[3], b[3]) - max(a[1], b[1]) > 0.5 and down > min(a[4] - a[2], b[4] - b[2]) / 3:
                found.append((a[0], b[0]))
    return found


def _one_sheet(book: Path, sheet: str, dst: Path) -> Path:
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        ws.sheet_state = "visible" if ws.title == sheet else "hidden"
    wb.active = wb.sheetnames.index(sheet)
    wb.save(dst)
    return dst


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every template's exhibit sheets and Errata sheet, each printed alone to PDF by LibreOffice."""
    from suanli import libreoffice

    tmp = tmp_path_factory.mktemp("rendered")
    books, sheets = [], []
    for g in groups.GROUPS:
        book = build.build_workbook(g, tmp / "built" / f"{g.name}.xlsx", scenarios.load(
            "csc-2023-corrected" if g.scenario == "csc-2023" else g.scenario))
        for sheet in ("Errata", *g.exhibits):
            books.append(_one_sheet(book, sheet, tmp / f"{g.name}--{sheet.replace('.', '_')}.xlsx"))
            sheets.append((g.name, sheet, book))
    return list(zip(sheets, libreoffice.to_pdfs(books, tmp / "pdf"), strict=True))


@pytest.mark.libreoffice
def test_no_text_is_drawn_over_other_text_and_no_number_overflows(rendered):
    """In the PDF: no word over another (wrapped errata rows are as tall as their text; labels are not cut off by
    the next column), and no ### (a number wider than its column)."""
    for (group, sheet, _), pdf in rendered:
        pages = _words(pdf)
        assert pages, (group, sheet)
        for words in pages:
            assert not _overlaps(words), (group, sheet, _overlaps(words)[:3])
            assert not any(w[0].startswith("###") for w in words), (group, sheet)


@pytest.mark.libreoffice
def test_numeric_columns_are_as_wide_as_their_numbers_and_labels_shown_whole(rendered):
    """Each value and printed-value column of an exhibit sheet is no wider than its widest number as its format
    shows it (or its header's longest word, "needs input", or the text of a row of names), with a small margin;
    every number the sheet formats is in the PDF as formatted; the labels are printed whole."""
    checked = 0
    for (group, sheet, book), pdf in rendered:
        if sheet == "Errata":
            continue
        wb = openpyxl.load_workbook(book)
        ws, cached = wb[sheet], openpyxl.load_workbook(book, data_only=True)[sheet]
        text = " ".join(w[0] for page in _words(pdf) for w in page)
        numeric: dict[int, list[str]] = {}
        texts: dict[int, list[str]] = {}
        for row in ws.iter_rows(min_row=5, max_row=4 + len(exhibits.get(sheet).rows)):
            for c in row:
                value = cached[c.coordinate].value
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    shown = widths.shown(value, c.number_format)
                    numeric.setdefault(c.column, []).append(shown)
                    assert shown in text, (group, sheet, c.coordinate, shown)
                elif isinstance(value, str) and c.column > 3:
                    texts.setdefault(c.column, []).append(value)
        for col, shown in numeric.items():
            header = str(ws.cell(row=4, column=col).value or "")
            needed = max([widths.text_width(s) for s in shown + texts.get(col, [])] +
                         [widths.text_width(word, bold=True) for word in re.findall(r"\([^)]*\)|\S+", header)])
            set_width = column_width(ws, col)
            assert set_width <= max(needed + widths.PADDING + 1.0, 6.0), (group, sheet, col, set_width, needed)
            checked += 1
        for r in exhibits.get(sheet).rows:
            for label in (r.label_en, r.label_zh or ""):
                for word in label.split():
                    assert word in text or any(part in text for part in re.split(r"[（）()，,]", word) if part), \
                        (group, sheet, word)
    assert checked > 100


@pytest.mark.libreoffice
def test_errata_rows_are_tall_enough_for_their_text(rendered):
    for (group, sheet, book), _ in rendered:
        if sheet != "Errata":
            continue
        ws = openpyxl.load_workbook(book)["Errata"]
        for r in range(5, ws.max_row + 1):
            needed = max(widths.lines(str(ws.cell(row=r, column=c + 1).value or ""), width) for c, (_, width, wrapped)
                         in enumerate(build.ERRATA_COLUMNS) if wrapped)
            assert ws.row_dimensions[r].height >= needed * widths.LINE_POINTS, (group, r)


@pytest.mark.libreoffice
def test_the_batch_summary_prints_its_headers_whole_and_its_charts_readable(tmp_path):
    from suanli import libreoffice
    from suanli.picture import SUMMARY_ROWS

    rows = tmp_path / "rows.csv"
    rows.write_text(SUMMARY_ROWS, encoding="utf-8")
    batch.run_batch(rows, tmp_path / "out", base="csc-2023-corrected", jobs=1)
    pdf = libreoffice.to_pdf(tmp_path / "out" / batch.SUMMARY, tmp_path / "pdf")
    words = _words(pdf)[0]
    assert not _overlaps(words)
    text = " ".join(w[0] for w in words)
    for header in ("mm_dau[2027E]", "std_dau[2027E]", "train_utilization", "infer_utilization", "bear", "bull"):
        assert header in text
    for h in batch.HEADLINES:
        assert all(word in text for word in h[3].replace("(", " ").replace(")", " ").split()), h[3]


@pytest.mark.libreoffice
def test_readme_pictures_regenerate(tmp_path):
    from suanli.cli import main
    from suanli.picture import README_PICTURES

    assert main(["templates", "picture", "--readme", "--out", str(tmp_path)]) == 0
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    pictures = {}
    for name in README_PICTURES:
        data = (tmp_path / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
        assert f"(docs/{name})" in readme, f"the README does not show docs/{name}"
        pictures[data] = name
    assert len(pictures) == len(README_PICTURES)      # each its own sheet (a hidden sheet once printed instead)
