"""Refresh from inside Windows desktop Excel, through xlwings ``RunPython``.

In Excel the template's formulas recalculate by themselves; what Excel cannot say is whether
an edited input is one the models accept.  :func:`refresh_caller` checks every input of the
workbook that calls it with the same rules as ``suanli refresh`` (:func:`.refresh.check_inputs`,
:func:`.refresh.check_name`), recalculates, and writes the outcome into the Index sheet's cell
A2: the stamp ``Refreshed <UTC time> · scenario X · inputs <hash>`` (also recorded on the hidden
``_suanli`` sheet), or ``Not refreshed: <the one-line reason>``.  Every text it writes is
entered as text (a leading apostrophe), never as a formula.

Set-up (Windows, the classic xlwings add-in; it cannot run anywhere else):

1. install suanli into the Python that Excel starts (see ``suanli addin``);
2. save the template as a macro-enabled workbook (``.xlsm``), add a reference to xlwings
   (VBA editor > Tools > References) and a module with::

       Sub SuanliRefresh()
           RunPython "from addin.refresh_button import refresh_caller; refresh_caller()"
       End Sub

3. run ``SuanliRefresh`` (Alt+F8, or a button) after editing the Inputs sheet.

To refresh the saved file without Excel (cached results for programs that read it without
calculating), use ``suanli refresh BOOK.xlsx``.
"""

from __future__ import annotations

import datetime as dt

from engine import SuanliError, scenarios
from engine.errors import EXCEL_ERRORS

from workbook_templates import build
from workbook_templates.refresh import as_excel_text, check_inputs, check_name, stamp_text, _group
from workbook_templates.render import input_layout
from workbook_templates.safety import WorkbookError
from workbook_templates.sheetxml import ErrorValue

__all__ = ["refresh_caller", "refresh_book", "cell_value"]


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
    when = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    try:
        if build.META_SHEET not in [s.name for s in book.sheets]:
            raise WorkbookError(f"not a suanli workbook: no {build.META_SHEET} sheet")
        meta_sheet = book.sheets[build.META_SHEET]
        rows = meta_sheet.range("A1:B100").value
        meta = {str(k): ("" if v is None else str(v)) for k, v in rows if k}
        place = {str(k): i + 1 for i, (k, _) in enumerate(rows) if k}
        for needed in ("group", "scenario", "inputs"):
            if needed not in meta:
                raise WorkbookError(f"not a suanli workbook: its {build.META_SHEET} sheet has no {needed} row")
        _group(meta, book.name)
        keys = [k for k in meta["inputs"].split(",") if k]
        layout = input_layout(keys)
        names = {n.name: n for n in book.names}
        cells = {}
        for key in keys:
            name = names.get(key)
            check_name(key, None if name is None else name.refers_to, layout.name_target(key))
            cells[key] = [(c.get_address(False, False, include_sheetname=True),
                           cell_value(c.options(err_to_str=True).value)) for c in name.refers_to_range]
        edited = scenarios.load(meta["scenario"]).with_values(check_inputs(cells))
        book.app.calculate()
        digest = build.inputs_hash(edited, keys)
        text = stamp_text(when.strftime("%Y-%m-%d %H:%M:%S UTC"), edited.name, digest)
        last = max(place.values(), default=0)
        for key, value in (("refreshed_at", when.isoformat()), ("scenario", edited.name), ("inputs_hash", digest)):
            if key not in place:
                last += 1
                place[key] = last
                meta_sheet.range(f"A{last}").value = as_excel_text(key)
            meta_sheet.range(f"B{place[key]}").value = as_excel_text(value)
    except SuanliError as exc:
        text = f"Not refreshed: {exc.message}"
    if "Index" in [s.name for s in book.sheets]:
        book.sheets["Index"].range("A2").value = as_excel_text(text)
    return text
