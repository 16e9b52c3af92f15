"""One exhibit as a workbook to send: ``suanli table fig49 --format xlsx --out fig49.xlsx``.

The **table** sheet (named after the exhibit) opens with the exhibit's titles, the scenario and
the errata switches in force, and the source; then one row per exhibit row: key, labels, unit and
the values, as numbers in the template workbooks' cells and number formats (a % row holds the
fraction and shows 20.00%; counts with thousands separators at the report's decimals).  A cell
waiting for an input reads "needs" with a comment naming it; a cell with no number shows the
spreadsheet error as text; both are explained under the table, with the exhibit's errata.  The
**About** sheet records the scenario: its name and title, every erratum switch and its value,
the inputs set on top, and the suanli version.  Values, not formulas: the workbook carries the
numbers, not the model (``suanli templates build`` writes the live one).  Written to a temporary
name and renamed: never half-written.
"""

from __future__ import annotations

import math
import os
import unicodedata
from pathlib import Path

from engine import __version__, errata, formats
from engine.exhibit import needs_text
from engine.tables import Table, errata_switches, scenario_line, scenario_record

from .build import sheet_value
from .files import write_atomic
from .writer import HouseFormats, new_workbook

__all__ = ["write_table", "HEADER_ROW"]

HEADER_ROW = 5            # the table's header row (0-based); the rows follow it
LABEL_COLUMNS = 4         # key, row, 报告行, unit
WIDEST_LABEL = 60         # a label column is at most this wide (in Excel's character units)


def write_table(t: Table, path: str | os.PathLike) -> Path:
    """Write ``t`` as a workbook at ``path`` (see the module); returns the path written."""

    def write(tmp: Path) -> None:
        wb = new_workbook(tmp)
        fmt = HouseFormats(wb)
        _table_sheet(wb, fmt, t)
        _about_sheet(wb, fmt, t)
        wb.close()

    return write_atomic(path, write)


def _sheet_name(exhibit_id: str) -> str:
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in exhibit_id)[:31]
    return "table" if name.lower() == "about" else name


def _table_sheet(wb, fmt: HouseFormats, t: Table) -> None:
    ex = t.exhibit
    ws = wb.add_worksheet(_sheet_name(ex.id))
    ws.write_string(0, 0, f"{ex.id}  {ex.title_zh}", fmt.title)
    ws.write_string(1, 0, ex.title_en)
    ws.write_string(2, 0, scenario_line(t.scenario), fmt.subtle)
    ws.write_string(3, 0, f"source: {ex.source}", fmt.subtle)
    head = ["key", "row", "报告行", "unit", *t.columns]
    widths = [_width(h) for h in head]
    for c, h in enumerate(head):
        ws.write_string(HEADER_ROW, c, h, fmt.header)
    r = HEADER_ROW
    needed: dict[str, list[str]] = {}
    for row in ex.rows:
        r += 1
        labels = [row.key, row.label_en, row.label_zh or "", row.unit]
        for c, text in enumerate(labels):
            ws.write_string(r, c, text)
            widths[c] = max(widths[c], _width(text))
        shown = t.formatted(row.key)
        for i in range(len(t.columns)):
            c = LABEL_COLUMNS + i
            needs = t.result.needed(row.key, i)
            error = t.error(row.key, i)
            if needs:
                ws.write_string(r, c, "needs", fmt.subtle)
                ws.write_comment(r, c, needs_text(needs))
                for key in needs:
                    needed.setdefault(key, []).append(f"{row.key} {t.columns[i]}")
                text = "needs"
            elif error is not None:
                ws.write_string(r, c, error.excel, fmt.bad)
                text = error.excel
            else:
                value = t.result.base(row.key, i)
                text = shown[i]
                if value is None:
                    ws.write_blank(r, c, None)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)
                elif isinstance(value, (int, float)) and math.isfinite(value):
                    number_format = formats.excel_format(row.unit, row.decimals, row.sig)
                    ws.write_number(r, c, sheet_value(row, value), fmt.number(number_format))
                else:
                    ws.write_string(r, c, text)
            widths[c] = max(widths[c], _width(text))
    r += 2
    for line in _notes(t, needed):
        ws.write_string(r, 0, line, fmt.subtle)
        r += 1
    for c, w in enumerate(widths):
        ws.set_column(c, c, min(w + 2, WIDEST_LABEL) if c < LABEL_COLUMNS else w + 2)
    ws.freeze_panes(HEADER_ROW + 1, 2)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW)


def _notes(t: Table, needed: dict[str, list[str]]) -> list[str]:
    lines = []
    if needed:
        lines.append("needs: the reports give no value for these inputs; supply them (suanli table ... "
                     "--set KEY=VALUE, or the Inputs sheet of a template workbook):")
        lines += [f"  {key}: {', '.join(cells[:6])}{' ...' if len(cells) > 6 else ''}" for key, cells in needed.items()]
    errors = [(key, column, e) for key, column, e in t.errors() if e.origin is None]
    if errors:
        lines.append("cells with no number:")
        lines += [f"  {key} {column}: {e}" for key, column, e in errors[:20]]
        if len(errors) > 20:
            lines.append(f"  ... and {len(errors) - 20} more")
    notes = t.errata()
    if notes:
        lines.append("errata:")
        for e in notes:
            line = f"  {e.id} [{e.status(t.scenario)}] {e.title}"
            if e.switch:
                line += f"; switch {e.switch}"
            if e.alternative:
                line += f"; alternative scenario {e.alternative}"
            lines.append(line)
    if t.exhibit.note:
        lines.append(f"note: {t.exhibit.note}")
    return lines


def _about_sheet(wb, fmt: HouseFormats, t: Table) -> None:
    ws = wb.add_worksheet("About")
    record = scenario_record(t.scenario)
    ws.write_string(0, 0, f"{t.exhibit.id}: what this table was computed from", fmt.title)
    ws.write_row(2, 0, ["item", "value", "note"], fmt.header)
    items = [("exhibit", t.exhibit.id, t.exhibit.title_en),
             ("scenario", record["name"], record["title"])]
    if record["file"] is not None:
        items.append(("scenario file", record["file"], "the scenario's values, as read when this was written"))
    items += [("based on", " ← ".join(record["base"]) or "-", "its base scenarios, nearest first"),
              ("scenario hash", record["hash"], "SHA-256 of every input value (with the values set below): equal "
                                                "values, equal hash, in every output suanli writes")]
    for eid, key, on in errata_switches(t.scenario):
        items.append((f"erratum {eid}", f"{key}={'TRUE' if on else 'FALSE'}",
                      ("as printed: " if on else "corrected: ") + errata.get(eid).title))
    for key, value in record["overrides"].items():
        shown = ",".join(map(str, value)) if isinstance(value, list) else str(value)
        items.append(("set", f"{key}={shown}", "set on top of the scenario, in the input's base unit"))
    items += [("values", "display units", "each row in its unit; a % row holds the fraction, shown as a percentage"),
              ("source", t.exhibit.source, ""),
              ("built by", f"suanli {__version__}", "")]
    bold = wb.add_format({"bold": True})
    widths = [len("item"), len("value"), len("note")]
    for r, item in enumerate(items, start=3):
        for c, text in enumerate(item):
            ws.write_string(r, c, text, bold if c == 0 else None)
            widths[c] = max(widths[c], _width(text))
    for c, w in enumerate(widths):
        ws.set_column(c, c, min(w + 2, 100))
    ws.set_landscape()
    ws.fit_to_pages(1, 0)


def _width(text: str) -> int:
    """Columns ``text`` takes in a cell: wide (Chinese) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))
