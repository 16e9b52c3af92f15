"""New XlsxWriter workbooks as suanli writes them, and the house formats they share.

Every workbook suanli writes (the templates and their index, a batch's summary, the analysis
workbooks) is opened by :func:`new_workbook`, so that text from a user or a file is written as
text: never turned into a formula, a link or a number.  :class:`HouseFormats` are the titles,
headers, input and printed cells and checks they all use.
"""

from __future__ import annotations

import os

__all__ = ["new_workbook", "HouseFormats", "TEXT_AS_TEXT"]

#: XlsxWriter's options that would turn a string into a formula (``=...``), a link or a number.
TEXT_AS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def new_workbook(path: str | os.PathLike, **options):
    """An :class:`xlsxwriter.Workbook` writing to ``path`` with :data:`TEXT_AS_TEXT`, a NaN or an
    infinity refused rather than shown as an Excel error, and ``options`` (``in_memory``,
    ``constant_memory`` ...)."""
    import xlsxwriter

    return xlsxwriter.Workbook(str(path), {**TEXT_AS_TEXT, "nan_inf_to_errors": False, **options})


class HouseFormats:
    """The formats every suanli workbook uses: titles, headers, input and printed cells, checks."""

    def __init__(self, wb):
        self.wb = wb
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.subtle = wb.add_format({"italic": True, "font_color": "#555555"})
        self.header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                     "valign": "top"})
        self.label = wb.add_format({"text_wrap": False})
        self.input_fill = {"bg_color": "#FFF2CC", "font_color": "#0000FF", "border": 1, "border_color": "#BFBFBF"}
        self.printed_fill = {"bg_color": "#F2F2F2", "font_color": "#595959"}
        # the checks beside printed values: a match, a difference a named erratum explains, one the
        # scenario's inputs explain, and one nothing explains
        self.ok = wb.add_format({"font_color": "#006100", "bg_color": "#C6EFCE"})
        self.erratum = wb.add_format({"font_color": "#9C5700", "bg_color": "#FFEB9C"})
        self.scenario = wb.add_format({"font_color": "#7F7F7F", "bg_color": "#F2F2F2"})
        self.bad = wb.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
        self.link = wb.add_format({"font_color": "#0563C1", "underline": 1})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.wrap_cell = wb.add_format({"text_wrap": True})        # wrapped, aligned as its row's numbers
        self.top = wb.add_format({"valign": "top"})
        self._cache: dict[tuple, object] = {}

    def number(self, num_format: str, kind: str = "value"):
        key = (num_format, kind)
        if key not in self._cache:
            props = {"num_format": num_format}
            if kind == "input":
                props.update(self.input_fill)
            elif kind == "printed":
                props.update(self.printed_fill)
            self._cache[key] = self.wb.add_format(props)
        return self._cache[key]
