"""A ready workbook for the classic xlwings add-in on Windows: ``suanli addin workbook PATH``.

It starts from xlwings' own standalone quickstart workbook (its VBA: the xlwings module that
calls Python), activates the ``xlwings.conf`` sheet with ``addin.udfs`` as the UDF module, and
adds a sheet of worked examples, one per function, each with the value it should show.  In
Excel, "Import Python UDFs" (Alt+F8, ImportPythonUDFs) then makes every AI_* function live.
"""

from __future__ import annotations

import os
from pathlib import Path

import xlwings

from addin import udfs
from engine import __version__
from workbook_templates.files import write_atomic

from .reference import excel_literal

UDF_MODULE = "addin.udfs"


def quickstart_path() -> Path:
    """xlwings' standalone quickstart workbook, shipped in its wheel (BSD licence)."""
    return Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"


def _formula(name: str, args) -> str:
    return f"={name}(" + ", ".join(excel_literal(a, whole=True) for a in args) + ")"


def build(path: str | os.PathLike, interpreter: str = "python") -> Path:
    """Write the workbook to ``path`` (atomically); returns the path."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    wb = openpyxl.load_workbook(quickstart_path(), keep_vba=True)
    conf = wb["_xlwings.conf"]
    conf.title = "xlwings.conf"
    for row in conf.iter_rows(min_col=1, max_col=2):
        key = row[0].value
        if key == "UDF Modules":
            row[1].value = UDF_MODULE
        elif key == "Interpreter_Win":
            row[1].value = interpreter
    conf.sheet_state = "hidden"

    ws = wb["Sheet1"]
    ws.title = "Examples"
    bold = Font(bold=True)
    ws["A1"] = f"suanli {__version__}: Excel functions (UDF module {UDF_MODULE})"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = ("To activate: Alt+F8 → ImportPythonUDFs → Run (needs Trust access to the VBA project object "
                "model). Until then the Result column shows #NAME?.")
    headers = ["Function", "What it returns", "Formula", "Result", "Expected"]
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=4, column=col, value=text)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    row = 5
    for name, f in udfs.functions().items():
        for args, expected in f.examples:
            formula = _formula(name, args)
            ws.cell(row=row, column=1, value=name)
            ws.cell(row=row, column=2, value=f.summary)
            text_cell = ws.cell(row=row, column=3, value=formula)
            text_cell.data_type = "s"          # shown as text
            ws.cell(row=row, column=4, value=formula)   # the live formula
            ws.cell(row=row, column=5, value=excel_literal(expected))
            ws.cell(row=row, column=5).data_type = "s"
            row += 1
    for col, width in zip("ABCDE", (26, 70, 58, 18, 24), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A5"

    return write_atomic(path, lambda tmp: wb.save(tmp))
