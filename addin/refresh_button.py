"""Refresh from inside Windows desktop Excel, through xlwings ``RunPython``.

In Excel the template's formulas recalculate by themselves; what Excel cannot say is whether
an edited input is one the models accept.  :func:`refresh_caller` checks every input of the
workbook that calls it with the same rules as ``suanli refresh`` (the ``_suanli`` sheet by
:func:`workbook_templates.meta.read`, the inputs by :func:`workbook_templates.refresh.check_inputs`
and :func:`workbook_templates.refresh.check_name`), recalculates, and writes the outcome into the Index sheet's cell
A2: the stamp ``Refreshed <UTC time> · scenario X · inputs <hash>`` (also recorded on the hidden
``_suanli`` sheet), or ``Not refreshed: <the one-line reason>``.  Every text it writes is
entered as text (a leading apostrophe), never as a formula.

Set-up (Windows, the classic xlwings add-in; on macOS RunPython works too):

1. install suanli into the Python that Excel starts (``py -m pip install ...``; see the README);
2. ``suanli templates build --excel-button`` writes macro-enabled workbooks (``.xlsm``) carrying
   xlwings' VBA with one macro added, :data:`MACRO`::

       Sub SuanliRefresh()
           RunPython "from addin.refresh_button import refresh_caller; refresh_caller()"
       End Sub

   a *Refresh (xlwings)* button on the Index sheet that runs it, and an ``xlwings.conf`` sheet
   naming the interpreter.  The command imports the installed package, never a module named
   after the workbook, so a renamed copy (``demand (1).xlsm``) refreshes the same;
3. press the button after editing the Inputs sheet.

To refresh the saved file without Excel (cached results for programs that read it without
calculating), use ``suanli refresh BOOK.xlsx``.
"""

from __future__ import annotations

import datetime as dt

from engine import SuanliError
from engine.errors import EXCEL_ERRORS
from workbook_templates import build, meta
from workbook_templates.refresh import (
    as_excel_text,
    check_inputs,
    check_name,
    lineage_rows,
    refresh_time,
    stamp_text,
    starting_scenario,
)
from workbook_templates.render import INDEX_SHEET, STAMP_CELL, input_layout
from workbook_templates.sheetxml import ErrorValue

__all__ = ["refresh_caller", "refresh_book", "read_meta", "cell_value", "MACRO", "RUNPYTHON_COMMAND", "vba_code",
           "vba_project"]

#: The Refresh button's macro, and the Python command it hands to xlwings' ``RunPython``: it has no
#: double quote, ``%`` or ``&`` (``RunPython`` puts it inside a double-quoted ``python -c`` argument
#: on cmd.exe's command line), and names no file.
MACRO = "SuanliRefresh"
RUNPYTHON_COMMAND = "from addin.refresh_button import refresh_caller; refresh_caller()"

#: The part of the ``_suanli`` sheet read: its rows are the few that :func:`workbook_templates.meta.rows` writes.
META_RANGE = "A1:B100"


def vba_code() -> str:
    """The VBA of the Refresh macro, as it stands in the workbook's ``Module1``."""
    return (f"Sub {MACRO}()\n"
            "    ' suanli: check this workbook's inputs with the engine's rules and stamp the Index sheet\n"
            f'    RunPython "{RUNPYTHON_COMMAND}"\n'
            "End Sub\n")


_PROJECT: list[bytes] = []


def vba_project() -> bytes:
    """xlwings' standalone VBA project (:func:`addin.vba.quickstart_project`) with ``Module1``'s code
    (xlwings' ``SampleCall``, which imports a module named after the workbook) replaced by :func:`vba_code`."""
    from addin import vba

    if not _PROJECT:
        _PROJECT.append(vba.with_module_code(vba.quickstart_project(), "Module1", vba_code()))
    return _PROJECT[0]


def refresh_caller() -> str:
    """Check and stamp the workbook that called (xlwings ``RunPython``); returns what it wrote."""
    import xlwings

    return refresh_book(xlwings.Book.caller())


def cell_value(raw):
    """A value xlwings read (with ``err_to_str=True``) as :func:`.refresh.check_inputs` takes it."""
    if isinstance(raw, str) and raw in EXCEL_ERRORS:
        return ErrorValue(raw)
    return raw


def refresh_book(book, now: dt.datetime | None = None) -> str:
    """Check the inputs of an open xlwings ``book`` and stamp its Index sheet; returns the stamp."""
    when = refresh_time(now)
    try:
        info, last_row = read_meta(book)
        keys = list(info.inputs)
        layout = input_layout(keys, info.exhibits)
        names = {n.name: n for n in book.names}
        cells = {}
        for key in keys:
            name = names.get(key)
            check_name(key, None if name is None else name.refers_to, layout.name_target(key))
            cells[key] = [(c.get_address(False, False, include_sheetname=True),
                           cell_value(c.options(err_to_str=True).value)) for c in name.refers_to_range]
        start, name, _ = starting_scenario(info)     # a batch workbook's scenario is its row's name
        edited = start.with_values(check_inputs(cells), name=name)
        book.app.calculate()
        digest = build.inputs_hash(edited, keys)
        text = stamp_text(when, name, digest)
        meta_sheet = book.sheets[meta.META_SHEET]
        for r, key, value in info.stamp(when, name, digest, last_row, lineage_rows(info, edited, digest)):
            if key is not None:
                meta_sheet.range(f"A{r + 1}").value = as_excel_text(key)
            meta_sheet.range(f"B{r + 1}").value = as_excel_text(value)
    except SuanliError as exc:
        text = f"Not refreshed: {exc.message}"
    if INDEX_SHEET in [s.name for s in book.sheets]:
        book.sheets[INDEX_SHEET].range(STAMP_CELL).value = as_excel_text(text)
    return text


def read_meta(book) -> tuple[meta.Meta, int]:
    """The open ``book``'s ``_suanli`` sheet checked by :func:`workbook_templates.meta.read`, and the
    0-based index of its last row holding anything (a refresh stamps below it)."""
    if meta.META_SHEET not in [s.name for s in book.sheets]:
        return meta.read(None, book.name), -1
    rows = book.sheets[meta.META_SHEET].range(META_RANGE).value
    last_row = max((i for i, (a, b) in enumerate(rows) if a is not None or b is not None), default=-1)
    return meta.read(((i, a, b) for i, (a, b) in enumerate(rows)), book.name), last_row
