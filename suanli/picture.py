"""The README's pictures: a built template (``suanli templates picture``) and a comparison
(``suanli compare ... --picture``).

For a template it builds the demand workbook, shows only one exhibit sheet (fig49 by default),
lets LibreOffice recalculate and print it to PDF, and renders the first page to PNG with
pdftoppm; for a comparison it prints the workbook's first sheet, its headline rows and charts.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from xlsxwriter.utility import xl_col_to_name

from engine import exhibits, scenarios
from workbook_templates.build import build_workbook
from workbook_templates.files import write_atomic
from workbook_templates.groups import GROUPS
from workbook_templates.render import FIRST_DATA_ROW, FIRST_VALUE_COL

from . import libreoffice


def render(out_png: str | os.PathLike = "docs/template.png", exhibit: str = "fig49", dpi: int = 100) -> Path:
    """Write a PNG picture of ``exhibit``'s sheet in its built template; returns the path."""
    import openpyxl

    group = next(g for g in GROUPS if exhibit in g.exhibits)
    with tempfile.TemporaryDirectory(prefix="suanli-picture-") as tmp:
        book = build_workbook(group, Path(tmp) / f"{exhibit}.xlsx")
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            ws.sheet_state = "visible" if ws.title == exhibit else "hidden"
        wb.active = wb.sheetnames.index(exhibit)
        sheet = wb[exhibit]
        spec = exhibits.get(exhibit)
        last_col = xl_col_to_name(FIRST_VALUE_COL + len(scenarios.axes()[spec.axis]) - 1)
        sheet.print_area = f"A1:{last_col}{FIRST_DATA_ROW + len(spec.rows) + 18}"   # the table and its chart
        wb.save(book)                 # LibreOffice recalculates on load: no cached values needed
        pdf = libreoffice.to_pdf(book, Path(tmp) / "pdf")
        png = Path(tmp) / "page.png"
        libreoffice.pdf_to_png(pdf, png, page=1, dpi=dpi)
        data = png.read_bytes()
    return write_atomic(out_png, lambda p: p.write_bytes(data))



def render_first_page(book: str | os.PathLike, out_png: str | os.PathLike, dpi: int = 130,
                      margin: float = 30) -> Path:
    """Write a PNG picture of the first page LibreOffice prints of the workbook ``book`` (the Headlines
    sheet of ``suanli compare``'s workbook), the page's empty top and bottom cut to ``margin`` points
    around its text; returns the path."""
    with tempfile.TemporaryDirectory(prefix="suanli-picture-") as tmp:
        pdf = libreoffice.to_pdf(book, Path(tmp) / "pdf")
        png = Path(tmp) / "page.png"
        _, top, _, bottom, width, height = libreoffice.pdf_text_box(pdf, page=1)
        top, bottom = max(top - margin, 0), min(bottom + margin, height)
        libreoffice.pdf_to_png(pdf, png, page=1, dpi=dpi, crop=(0, top, width, bottom - top))
        data = png.read_bytes()
    return write_atomic(out_png, lambda p: p.write_bytes(data))
