"""A ready workbook for the classic xlwings add-in on Windows: ``suanli addin workbook PATH``.

It carries xlwings' own VBA project (the standalone quickstart's: RunPython, ImportPythonUDFs),
an ``xlwings.conf`` sheet with ``UDF Modules`` = ``addin.udfs`` and the interpreter, and a sheet of
worked examples, one per function, each with the value it should show.  In Excel, "Import Python
UDFs" (Alt+F8, ImportPythonUDFs) then makes every AI_* function live.

The ``xlwings.conf`` sheet holds only the settings it sets: xlwings reads a row of that sheet even
when its value is blank, and a blank row would hide the user's own setting (the ribbon's).

Functions that return a range (``AI_GPUS``, ``AI_TABLE``, ``AI_INPUT`` of a yearly input) are
written as dynamic-array formulas, and each example gets the rows and columns its full result
needs (its size from the engine), so Excel 365 spills every value with nothing in the way.  Excel
2016 and 2019, which have no spilling, read them as array formulas over that same range.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

from addin import udfs
from engine import __version__
from workbook_templates.files import write_atomic

from . import vba
from .install import PLATFORMS, UDF_MODULE, SetupError, check_interpreter, running_platform
from .reference import excel_literal

__all__ = ["build", "check_xlsm", "conf_rows", "write_conf_sheet", "result_shape", "EXAMPLES_FIRST_ROW",
           "RESULT_COL"]

CONF_SHEET = "xlwings.conf"
EXAMPLES_SHEET = "Examples"
#: The sheet row (0-based) of the first example, and the column of the live formulas (E).
EXAMPLES_FIRST_ROW = 5
RESULT_COL = 4


def check_xlsm(path: str | os.PathLike, flag: str = "PATH") -> Path:
    """``path`` if it names a ``.xlsm`` file: Excel refuses macro-enabled content under another name."""
    p = Path(path)
    if p.suffix.lower() != ".xlsm":
        raise SetupError(flag, f"{flag} must end in .xlsm (a macro-enabled workbook, which the VBA needs), "
                               f"got {str(path)!r}")
    if p.is_dir():
        raise SetupError(flag, f"{flag} {str(path)!r} is a folder; give a file name ending in .xlsm")
    return p


def conf_rows(interpreter: str, platform: str | None = None, udf_module: str | None = UDF_MODULE) -> list[tuple]:
    """The ``xlwings.conf`` sheet's rows: only settings with a value (see the module docstring).

    The interpreter's row is ``Interpreter_Win``, or ``Interpreter_Mac`` for ``platform="mac"``
    (default: the running system's; Windows elsewhere)."""
    platform = platform or running_platform() or "windows"
    if platform not in PLATFORMS:
        raise SetupError("--platform", f"--platform must be one of {', '.join(PLATFORMS)}, got {platform!r}")
    rows = [("UDF Modules", udf_module)] if udf_module else []
    rows.append(("Interpreter_Mac" if platform == "mac" else "Interpreter_Win", interpreter))
    return [(k, v) for k, v in rows if v]


def write_conf_sheet(wb, rows: list[tuple], vba_name: str | None = None):
    """An XlsxWriter sheet ``xlwings.conf``, hidden, its rows from A1 down (as xlwings reads it)."""
    ws = wb.add_worksheet(CONF_SHEET)
    for r, (key, value) in enumerate(rows):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 60)
    if vba_name:
        ws.set_vba_name(vba_name)
    ws.hide()
    return ws


def result_shape(value) -> tuple[int, int]:
    """The (rows, columns) a function's result fills: (1, 1) for one value."""
    if isinstance(value, (list, tuple, np.ndarray)):
        shape = np.shape(np.asarray(value, dtype=object))
        if len(shape) == 2:
            return int(shape[0]), int(shape[1])
        if len(shape) == 1:
            return 1, int(shape[0])
    return 1, 1


def _formula(name: str, args) -> str:
    return f"={name}(" + ", ".join(excel_literal(a, whole=True) for a in args) + ")"


def _cached(value):
    """A cell's cached value: numbers and text as they are, anything else as its text."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and np.isfinite(value):
        return value
    return "" if value is None else str(value)


def build(path: str | os.PathLike, interpreter: str | None = None, platform: str | None = None) -> Path:
    """Write the workbook to ``path`` (a ``.xlsm``, atomically); returns the path.

    ``interpreter`` (default: this Python) must be an existing file; it goes into the
    ``xlwings.conf`` sheet as ``Interpreter_Win`` (``Interpreter_Mac`` for ``platform="mac"``).
    """
    target = check_xlsm(path)
    rows = conf_rows(check_interpreter(interpreter), platform)
    project = vba.quickstart_project()

    def write(tmp: Path) -> None:
        from workbook_templates.writer import new_workbook

        wb = new_workbook(tmp, in_memory=True)
        wb.add_vba_project(io.BytesIO(project), is_stream=True)
        wb.set_vba_name("ThisWorkbook")
        ws = wb.add_worksheet(EXAMPLES_SHEET)
        ws.set_vba_name("Sheet1")
        _write_examples(wb, ws)
        write_conf_sheet(wb, rows, "Sheet2")
        ws.activate()
        wb.close()

    return write_atomic(target, write)


def _write_examples(wb, ws) -> None:
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    header = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    ws.write_string(0, 0, f"suanli {__version__}: Excel functions (UDF module {UDF_MODULE})", title)
    ws.write_string(1, 0, "To activate: Alt+F8 > ImportPythonUDFs > Run (needs Trust access to the VBA project "
                          "object model). Until then the Result column shows #NAME?.")
    ws.write_string(2, 0, "Excel 2016 and 2019: results of several cells are array formulas over the cells shown; "
                          "after ImportPythonUDFs press Ctrl+Alt+F9 to recalculate them all.")
    for col, text in enumerate(["Function", "What it returns", "Formula", "Expected", "Result"]):
        ws.write_string(EXAMPLES_FIRST_ROW - 1, col, text, header)
    row = EXAMPLES_FIRST_ROW
    for name, f in udfs.functions().items():
        for args, expected in f.examples:
            formula = _formula(name, args)
            value = f(*args)
            height, width = result_shape(value)
            ws.write_string(row, 0, name, bold)
            ws.write_string(row, 1, f.summary)
            ws.write_string(row, 2, formula)            # shown as text (strings never become formulas here)
            ws.write_string(row, 3, excel_literal(expected))
            if (height, width) == (1, 1):
                ws.write_formula(row, RESULT_COL, formula, None, _cached(value))
            else:
                grid = np.asarray(value, dtype=object).reshape(height, width)
                ws.write_dynamic_array_formula(row, RESULT_COL, row + height - 1, RESULT_COL + width - 1,
                                               formula, None, _cached(grid[0, 0]))
                for i in range(height):
                    for j in range(width):
                        if i or j:                       # the spilled cells' cached values
                            ws.write(row + i, RESULT_COL + j, _cached(grid[i, j]))
            row += height
    for col, width in enumerate((26, 70, 58, 24, 18)):
        ws.set_column(col, col, width)
    ws.freeze_panes(EXAMPLES_FIRST_ROW, 0)

