"""``suanli refresh BOOK.xlsx``: recompute a template workbook from the inputs typed into it.

A template workbook (``suanli templates build``) holds live formulas, so Excel or LibreOffice
recalculates it by themselves; what they cannot do is tell whether an edited input is one the
models accept, and programs that read a workbook without calculating it (pandas, openpyxl
``data_only=True``, previews, search indexes) see the results last *saved*.  ``refresh``:

1. opens the file through :mod:`.safety` (no zip bombs, no XML entities, nothing inflated
   before the headers are checked);
2. reads the hidden ``_suanli`` sheet (group, scenario, input keys), checks that every input's
   workbook-level defined name still refers to exactly the cells the layout puts it in, and
   reads those cells straight from the sheet XML;
3. checks every value with the engine's rules (:func:`engine.scenarios.check_value`): text, an
   error value, a blank (unless the input is yours to supply), a number out of bounds is
   refused with one message naming the cell, the key and what is accepted; merged input
   cells and protected sheets are refused too;
4. recomputes every exhibit with the engine for those inputs and writes each result as the
   *cached value* of its formula cell, editing only the XML of the sheets it changes; every
   other part of the file (formatting, comments, charts, extra sheets, column widths, data
   validation) is copied byte for byte;
5. stamps the ``_suanli`` sheet (``refreshed_at``, ``scenario``, ``inputs_hash``) and the Index
   sheet's cell A2, and asks Excel and LibreOffice to recalculate fully on load;
6. writes a temporary file beside the target and renames it over the target.  Refreshing in
   place first keeps the original as ``BOOK.<UTC timestamp>.bak.xlsx`` beside it (for example
   ``demand.20250102T030405Z.bak.xlsx``): every refresh keeps its own backup, none is ever
   overwritten, and the backup still opens in Excel by a double click.

Any refusal raises :class:`~.safety.WorkbookError` (one line; exit status 2 from the command
line) before anything is written: the original is untouched and no temporary file is left.

:func:`check_inputs` is the validation shared with the in-Excel refresh (:mod:`.excel`).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import posixpath
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell

from engine import SuanliError, __version__, scenarios
from engine.errors import EXCEL_ERRORS

from . import build, safety
from .files import write_atomic
from .groups import GROUPS, Group
from .render import input_layout
from .safety import WorkbookError

__all__ = ["refresh", "RefreshReport", "check_inputs", "check_name", "ErrorValue", "FormulaWithoutValue",
           "as_excel_text", "stamp_text", "backup_path", "ERROR_VALUES"]

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
INDEX_SHEET = "Index"
ERRATA_SHEET = "Errata"
STAMP_CELL = "A2"

#: Excel's error values, as a cell of type ``e`` holds them.
ERROR_VALUES = EXCEL_ERRORS

class ErrorValue(str):
    """An Excel error value read from a cell (``#N/A``, ``#DIV/0!``...), not text."""


class FormulaWithoutValue:
    """A cell holding a formula whose result was never saved (it was written by a program)."""

    def __repr__(self) -> str:
        return "a formula with no saved result"


FORMULA_WITHOUT_VALUE = FormulaWithoutValue()


class _Text(str):
    """Text read from a cell (as opposed to a number, a boolean or an error value)."""


class _DateText(str):
    """A cell of the ISO-date type (``t="d"``)."""


# ------------------------------------------------------------------ the shared validation
def check_inputs(cells: Mapping[str, Sequence[tuple[str, object]]]) -> dict[str, object]:
    """Input values as a scenario takes them, from what the workbook's cells hold.

    ``cells[key]`` lists ``(cell name, raw value)`` for each cell the key's name refers to (one,
    or one per column of the input's axis).  A raw value is a float, a bool, None (blank), text
    (a ``str``), an :class:`ErrorValue` or :data:`FORMULA_WITHOUT_VALUE`.  Returns ``key -> value``
    (a float, None, or a tuple per column) ready for :meth:`engine.scenarios.Scenario.with_values`;
    raises one :class:`WorkbookError` naming the first bad cell, its key and what is accepted.
    """
    schema, axes = scenarios.schema(), scenarios.axes()
    values: dict[str, object] = {}
    problems: list[str] = []
    for key, raws in cells.items():
        spec = schema.get(key)
        if spec is None:
            problems.append(f"input {key} is not an input of suanli {__version__} (see `suanli inputs`)")
            continue
        columns = axes[spec.axis] if spec.axis is not None else (None,)
        if len(raws) != len(columns):
            where = ", ".join(c for c, _ in raws) or "no cells"
            problems.append(f"input {key} refers to {len(raws)} cells ({where}); it takes "
                            f"{len(columns)} ({', '.join(c for c in columns if c) or 'one value'})")
            continue
        out = []
        for (cell, raw), column in zip(raws, columns):
            try:
                out.append(_check_cell(spec, cell, column, raw))
            except WorkbookError as exc:
                problems.append(exc.text)
        if len(out) == len(columns):
            values[key] = out[0] if spec.axis is None else tuple(out)
    if problems:
        more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
        raise WorkbookError(problems[0] + more)
    return values


def _check_cell(spec: scenarios.InputSpec, cell: str, column: str | None, raw):
    label = spec.key if column is None else f"{spec.key} ({column})"
    accepted = spec.domain.describe()
    if raw is FORMULA_WITHOUT_VALUE:
        raise WorkbookError(f"input {label} at {cell} holds a formula with no saved result: type the value, "
                            "or open the workbook in Excel and save it first")
    if isinstance(raw, ErrorValue):
        raise WorkbookError(f"input {label} at {cell} holds the error value {raw}: it {accepted}")
    if isinstance(raw, _DateText):
        raise WorkbookError(f"input {label} at {cell} holds the date {str(raw)!r}: it {accepted}")
    if isinstance(raw, str):
        raise WorkbookError(f"input {label} at {cell} holds the text {_short(raw)!r}, not a "
                            f"{'TRUE/FALSE' if spec.is_switch else 'number'}: it {accepted}")
    if raw is None and not spec.user_supplied:
        raise WorkbookError(f"input {label} at {cell} is blank: it {accepted}")
    if isinstance(raw, bool) and not spec.is_switch:
        raise WorkbookError(f"input {label} at {cell} holds {'TRUE' if raw else 'FALSE'}, not a number: "
                            f"it {accepted}")
    try:
        checked = scenarios.check_value(spec.key, raw)
    except SuanliError as exc:
        hint = f" ({exc.hint})" if getattr(exc, "hint", None) else ""
        raise WorkbookError(f"input {label} at {cell} {exc.accepted}, got {_show(raw)}{hint}") from None
    return checked[0] if isinstance(checked, tuple) else checked


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _show(v) -> str:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return format(v, ".12g")
    return str(v)


_NAME_TARGET = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)$")


def check_name(key: str, refers_to: str | None, expected: str) -> None:
    """Refuse a defined name that is missing or does not refer exactly to ``expected``.

    ``expected`` is the layout's target (``=Inputs!$F$6``); ``refers_to`` what the workbook says
    (with or without ``=``, the sheet name quoted or not), or None when the name is missing.
    """
    want = _normal_target(expected)
    shown_want = expected.lstrip("=")
    if refers_to is None:
        raise WorkbookError(f"input {key}: the workbook has no workbook-level name {key} (the layout puts it "
                            f"at {shown_want}); restore it in Formulas > Name Manager, or rebuild the workbook")
    if _normal_target(refers_to) != want:
        raise WorkbookError(f"input {key}: its name refers to {refers_to.strip().lstrip('=')}, but the layout puts "
                            f"it at {shown_want}; move the input back (or point the name at {shown_want})")


def _normal_target(text: str):
    m = _NAME_TARGET.match(text.strip().lstrip("="))
    if not m:
        return None
    sheet = (m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)).lower()
    return sheet, m.group(3).upper()


def as_excel_text(text: str) -> str:
    """``text`` as a value to assign to a cell in Excel so that it stays text.

    Excel takes a value starting with ``=``, ``+``, ``-`` or ``@`` as a formula, and one that
    looks like a number or a date as that; a leading apostrophe means "this is text" and is not
    part of the value, so it is always added.
    """
    return "'" + text


def stamp_text(when: str, scenario: str, inputs_hash: str) -> str:
    """The Index sheet's line after a refresh."""
    return f"Refreshed {when} · scenario {scenario} · inputs {inputs_hash}"


def backup_path(path: str | os.PathLike, when: dt.datetime) -> Path:
    """``BOOK.<UTC timestamp>.bak.xlsx`` beside ``path``, never an existing file."""
    p = Path(path)
    stem = f"{p.stem}.{when.strftime('%Y%m%dT%H%M%SZ')}.bak"
    candidate = p.with_name(stem + p.suffix)
    n = 2
    while candidate.exists():
        candidate = p.with_name(f"{stem}-{n}{p.suffix}")
        n += 1
    return candidate


# ------------------------------------------------------------------ the report
@dataclass
class RefreshReport:
    """What a refresh did."""

    source: Path
    out: Path
    backup: Path | None
    group: str
    scenario: str
    refreshed_at: str
    inputs_hash: str
    previous_hash: str | None
    cells: int
    inputs: int
    changed: tuple[str, ...] = ()          # inputs whose value differs from the scenario's
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"refreshed {self.out}: {self.cells} formula results of group {self.group} from "
                 f"{self.inputs} inputs, scenario {self.scenario}"]
        if self.changed:
            shown = ", ".join(self.changed[:6]) + (", ..." if len(self.changed) > 6 else "")
            parts.append(f"{len(self.changed)} input{'s differ' if len(self.changed) > 1 else ' differs'} from it "
                         f"({shown})")
        else:
            parts.append("every input as in the scenario")
        was = f" (was {self.previous_hash})" if self.previous_hash and self.previous_hash != self.inputs_hash else ""
        parts.append(f"inputs {self.inputs_hash}{was}")
        if self.backup is not None:
            parts.append(f"the original kept as {self.backup}")
        return "; ".join(parts + self.notes)


# ------------------------------------------------------------------ the workbook's parts
_REF = re.compile(r"^[A-Z]{1,3}[1-9]\d{0,6}$")


def _split(ref: str) -> tuple[int, int]:
    """1-based (row, column) of an A1 reference; ValueError for anything else (a file may hold anything)."""
    if not _REF.match(ref):
        raise ValueError(ref)
    row, col = xl_cell_to_rowcol(ref)
    return row + 1, col + 1


def _ref(row: int, col: int) -> str:
    return xl_rowcol_to_cell(row - 1, col - 1)


def _range_cells(text: str) -> tuple[int, int, int, int] | None:
    parts = text.replace("$", "").upper().split(":")
    try:
        (r1, c1), (r2, c2) = _split(parts[0]), _split(parts[-1])
    except ValueError:
        return None
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _Sheet:
    """One worksheet part, parsed as a DOM so that edits keep everything else as it was."""

    def __init__(self, name: str, member: str, data: bytes, where: str):
        self.name, self.member, self.where = name, member, where
        self.doc = safety.parse_dom(data, member, where)
        root = self.doc.documentElement
        if root.namespaceURI != MAIN_NS or root.localName != "worksheet":
            raise WorkbookError(f"{where}: sheet {name} is not a worksheet; rename the sheet you added, or rebuild "
                                "the workbook")
        self.prefix = root.prefix
        self.sheet_data = self._child(root, "sheetData")
        if self.sheet_data is None:
            self.sheet_data = self._new("sheetData")
            anchor = next((e for e in self._elements(root) if e.localName in _AFTER_SHEET_DATA), None)
            root.insertBefore(self.sheet_data, anchor)
        self.rows: dict[int, object] = {}
        self.cells: dict[str, object] = {}
        self.changed = False
        last_row = 0
        for row in self._elements(self.sheet_data, "row"):
            r = int(row.getAttribute("r")) if row.hasAttribute("r") else last_row + 1
            last_row = r
            self.rows[r] = row
            last_col = 0
            for c in self._elements(row, "c"):
                if c.hasAttribute("r"):
                    try:
                        _, col = _split(c.getAttribute("r"))
                    except ValueError:
                        raise WorkbookError(f"corrupted xlsx: {where}: sheet {name} has a cell named "
                                            f"{c.getAttribute('r')!r}") from None
                else:
                    col = last_col + 1
                last_col = col
                self.cells[_ref(r, col)] = c

    # DOM helpers --------------------------------------------------------------------
    @staticmethod
    def _elements(parent, local: str | None = None):
        return [n for n in parent.childNodes if n.nodeType == n.ELEMENT_NODE and n.namespaceURI == MAIN_NS
                and (local is None or n.localName == local)]

    def _child(self, parent, local: str):
        found = self._elements(parent, local)
        return found[0] if found else None

    def _new(self, local: str):
        return self.doc.createElementNS(MAIN_NS, f"{self.prefix}:{local}" if self.prefix else local)

    # reading -------------------------------------------------------------------------
    @property
    def protected(self) -> bool:
        prot = self._child(self.doc.documentElement, "sheetProtection")
        return prot is not None and prot.getAttribute("sheet").strip().lower() in ("1", "true")

    def merged(self) -> list[str]:
        merges = self._child(self.doc.documentElement, "mergeCells")
        if merges is None:
            return []
        return [m.getAttribute("ref") for m in self._elements(merges, "mergeCell")]

    def has_formula(self, ref: str) -> bool:
        c = self.cells.get(ref)
        return c is not None and self._child(c, "f") is not None

    def describe(self, ref: str, shared: Sequence[str]) -> str:
        v = self.value(ref, shared)
        if v is None:
            return "is empty"
        if isinstance(v, bool):
            return f"holds {'TRUE' if v else 'FALSE'}"
        if isinstance(v, float):
            return f"holds the number {_show(v)}"
        return f"holds the text {_short(str(v))!r}"

    def value(self, ref: str, shared: Sequence[str]):
        c = self.cells.get(ref)
        if c is None:
            return None
        t = c.getAttribute("t") or "n"
        has_f = self._child(c, "f") is not None
        if t == "inlineStr":
            is_ = self._child(c, "is")
            return _Text(_rich_text(is_)) if is_ is not None else None
        v = self._child(c, "v")
        text = _text_of(v) if v is not None else None
        if text is None or (text == "" and t != "str"):
            return FORMULA_WITHOUT_VALUE if has_f else None
        try:
            if t == "s":
                return _Text(shared[int(text)])
            if t == "str":
                return _Text(text)
            if t == "b":
                return text.strip() in ("1", "true")
            if t == "e":
                return ErrorValue(text.strip())
            if t == "d":
                return _DateText(text)
            return float(text)
        except (ValueError, IndexError):
            raise WorkbookError(f"corrupted xlsx: {self.where}: cell {self.name}!{ref} holds {text!r} as "
                                f"type {t}") from None

    # writing -------------------------------------------------------------------------
    def ensure(self, ref: str):
        """The cell element at ``ref``, created (with its row) where it belongs when missing."""
        if ref in self.cells:
            return self.cells[ref]
        r, col = _split(ref)
        row = self.rows.get(r)
        if row is None:
            row = self._new("row")
            row.setAttribute("r", str(r))
            after = next((self.rows[k] for k in sorted(self.rows) if k > r), None)
            self.sheet_data.insertBefore(row, after)
            self.rows[r] = row
        if row.hasAttribute("spans"):
            row.removeAttribute("spans")           # an optional hint; dropped rather than left wrong
        cell = self._new("c")
        cell.setAttribute("r", ref)
        after = None
        for k, c in self.cells.items():
            kr, kc = _split(k)
            if kr == r and kc > col and c.parentNode is row and (after is None or kc < _split(after.getAttribute("r"))[1]):
                after = c
        row.insertBefore(cell, after)
        self.cells[ref] = cell
        self._grow_dimension(r, col)
        self.changed = True
        return cell

    def _grow_dimension(self, r: int, col: int) -> None:
        dim = self._child(self.doc.documentElement, "dimension")
        if dim is None:
            return
        box = _range_cells(dim.getAttribute("ref") or "A1")
        if box is None:
            return
        r1, c1, r2, c2 = box
        r1, c1, r2, c2 = min(r1, r), min(c1, col), max(r2, r), max(c2, col)
        dim.setAttribute("ref", _ref(r1, c1) if (r1, c1) == (r2, c2) else f"{_ref(r1, c1)}:{_ref(r2, c2)}")

    def _clear(self, cell, keep=("f", "extLst")) -> None:
        for n in list(cell.childNodes):
            if not (n.nodeType == n.ELEMENT_NODE and n.namespaceURI == MAIN_NS and n.localName in keep):
                cell.removeChild(n)

    def set_text(self, ref: str, text: str) -> None:
        """Write ``text`` as an inline string: text, never a formula, whatever it starts with."""
        cell = self.ensure(ref)
        self._clear(cell, keep=("extLst",))
        cell.setAttribute("t", "inlineStr")
        is_, t = self._new("is"), self._new("t")
        clean = _XML_BAD.sub("", text)
        if clean != clean.strip():
            t.setAttribute("xml:space", "preserve")
        t.appendChild(self.doc.createTextNode(clean))
        is_.appendChild(t)
        cell.insertBefore(is_, self._child(cell, "extLst"))
        self.changed = True

    def set_cached(self, ref: str, value) -> None:
        """Replace the cached result of the formula cell ``ref`` (its formula kept as it is)."""
        cell = self.cells[ref]
        self._clear(cell)
        if value is None:
            if cell.hasAttribute("t"):
                cell.removeAttribute("t")
            self.changed = True
            return
        if isinstance(value, bool):
            kind, text = "b", "1" if value else "0"
        elif isinstance(value, str):
            kind, text = "str", _XML_BAD.sub("", value)
        elif not math.isfinite(value):
            kind, text = "e", "#NUM!" if math.isnan(value) else "#DIV/0!"
        else:
            kind, text = None, repr(float(value))
        if kind is None:
            if cell.hasAttribute("t"):
                cell.removeAttribute("t")
        else:
            cell.setAttribute("t", kind)
        v = self._new("v")
        v.appendChild(self.doc.createTextNode(text))
        f = self._child(cell, "f")
        cell.insertBefore(v, f.nextSibling if f is not None else cell.firstChild)
        self.changed = True

    def to_bytes(self) -> bytes:
        return self.doc.toxml(encoding="UTF-8")


_AFTER_SHEET_DATA = {"sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
                     "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
                     "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
                     "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
                     "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                     "webPublishItems", "tableParts", "extLst"}


def _text_of(node) -> str:
    return "".join(n.data for n in node.childNodes if n.nodeType in (n.TEXT_NODE, n.CDATA_SECTION_NODE))


def _rich_text(is_) -> str:
    """The text of an inline string: its ``t``, or the ``t`` of each run (phonetic runs left out)."""
    out = []
    for n in is_.childNodes:
        if n.nodeType != n.ELEMENT_NODE:
            continue
        if n.localName == "t":
            out.append(_text_of(n))
        elif n.localName == "r":
            out.extend(_text_of(t) for t in n.childNodes if t.nodeType == t.ELEMENT_NODE and t.localName == "t")
    return "".join(out)


def _q(local: str, ns: str = MAIN_NS) -> str:
    return f"{{{ns}}}{local}"


class _Book:
    """The parts of a workbook that refresh reads: sheets, defined names, shared strings."""

    def __init__(self, zf: zipfile.ZipFile, where: str):
        self.zf, self.where = zf, where
        self.workbook_data = safety.read_member(zf, "xl/workbook.xml", where)
        root = safety.parse_xml(self.workbook_data, "xl/workbook.xml", where)
        if root.tag == _q("workbook", STRICT_NS):
            raise WorkbookError(f"{where} is saved as Strict Open XML; save it as an Excel Workbook (.xlsx) and "
                                "try again")
        if root.tag != _q("workbook"):
            raise WorkbookError(f"not an xlsx: {where}: xl/workbook.xml is not a workbook")
        rels = self._rels("xl/_rels/workbook.xml.rels")
        self.sheets: dict[str, str] = {}
        self.sheet_order: list[str] = []
        for s in root.iter(_q("sheet")):
            rid = s.get(_q("id", REL_NS))
            target = rels.get(rid, (None, None))
            if target[1] is not None and target[1].endswith("/worksheet"):
                self.sheets[s.get("name", "")] = target[0]
            self.sheet_order.append(s.get("name", ""))
        self.names: dict[str, str] = {}
        for d in root.iter(_q("definedName")):
            if d.get("localSheetId") is None and d.get("name"):
                self.names.setdefault(d.get("name"), (d.text or ""))
        self.shared_member = next((t for t, kind in rels.values() if kind and kind.endswith("/sharedStrings")), None)
        self._shared: list[str] | None = None
        self._sheets: dict[str, _Sheet] = {}

    def _rels(self, member: str) -> dict[str, tuple[str, str]]:
        if member not in self.zf.namelist():
            raise WorkbookError(f"not an xlsx: {self.where} has no {member}")
        root = safety.parse_xml(safety.read_member(self.zf, member, self.where), member, self.where)
        out = {}
        for rel in root.iter(_q("Relationship", PKG_REL_NS)):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            out[rel.get("Id")] = (path, rel.get("Type", ""))
        return out

    @property
    def shared(self) -> list[str]:
        if self._shared is None:
            self._shared = []
            if self.shared_member and self.shared_member in self.zf.namelist():
                root = safety.parse_xml(safety.read_member(self.zf, self.shared_member, self.where),
                                        self.shared_member, self.where)
                for si in root.iter(_q("si")):
                    parts = []
                    for n in si:
                        if n.tag == _q("t"):
                            parts.append(n.text or "")
                        elif n.tag == _q("r"):
                            parts.extend(t.text or "" for t in n.iter(_q("t")))
                    self._shared.append("".join(parts))
        return self._shared

    def sheet(self, name: str, what: str = "") -> _Sheet:
        if name not in self._sheets:
            member = self.sheets.get(name)
            if member is None or member not in self.zf.namelist():
                raise WorkbookError(f"{self.where}: the {what or 'sheet'} {name} is missing (renamed or deleted?); "
                                    "restore it, or rebuild the workbook")
            self._sheets[name] = _Sheet(name, member, safety.read_member(self.zf, member, self.where), self.where)
        return self._sheets[name]

    def meta(self) -> dict[str, str]:
        if build.META_SHEET not in self.sheets:
            raise WorkbookError(f"not a suanli workbook: no {build.META_SHEET} sheet in {self.where}")
        sheet = self.sheet(build.META_SHEET)
        out: dict[str, str] = {}
        for ref in sorted(sheet.cells, key=_split):
            r, col = _split(ref)
            if col != 1:
                continue
            key = sheet.value(ref, self.shared)
            if isinstance(key, str) and key:
                value = sheet.value(_ref(r, 2), self.shared)
                out[str(key)] = "" if value is None else (str(value) if not isinstance(value, float) else _show(value))
                out.setdefault(f"_row:{key}", str(r))
        for needed in ("group", "scenario", "inputs", "exhibits"):
            if needed not in out:
                raise WorkbookError(f"not a suanli workbook: its {build.META_SHEET} sheet has no {needed} row "
                                    f"({self.where})")
        return out


# ------------------------------------------------------------------ refresh
def refresh(path: str | os.PathLike, out: str | os.PathLike | None = None, scenario: str | None = None,
            now: dt.datetime | None = None) -> RefreshReport:
    """Refresh the template workbook at ``path`` (in place, or into ``out``); see the module."""
    src = Path(path)
    target = Path(out) if out is not None else src
    in_place = out is None or (target.exists() and src.exists() and os.path.samefile(target, src))
    when = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    where = str(src)
    with safety.open_checked(src) as zf:
        book = _Book(zf, where)
        meta = book.meta()
        group = _group(meta, where)
        base = scenarios.load(scenario if scenario is not None else meta["scenario"])
        keys = [k for k in meta["inputs"].split(",") if k]
        layout = input_layout(keys)

        # the names, then the Inputs sheet and its cells
        for key in keys:
            check_name(key, book.names.get(key), layout.name_target(key))
        inputs_sheet = book.sheet(layout.sheet)
        _refuse_protected(inputs_sheet)
        cells: dict[str, list[tuple[str, object]]] = {}
        input_cells: dict[str, str] = {}
        for key in keys:
            row, col, width = layout.places[key]
            refs = [xl_rowcol_to_cell(row, col + j) for j in range(width)]
            cells[key] = [(f"{layout.sheet}!{r}", inputs_sheet.value(r, book.shared)) for r in refs]
            input_cells.update({r: key for r in refs})
        _refuse_merged(inputs_sheet, input_cells)
        values = check_inputs(cells)

        # recompute, and check the workbook is laid out as suanli lays this group out now
        edited = base.with_values(values)
        p = build.plan(group, edited)
        exhibits_meta = [e for e in meta["exhibits"].split(",") if e]
        if p.order != exhibits_meta or p.inputs != keys:
            raise WorkbookError(f"{where} was laid out by suanli {meta.get('suanli_version', '?')}, and suanli "
                                f"{__version__} lays the {group.name} workbook out differently; rebuild it with "
                                "`suanli templates build` and copy your inputs over")
        expected = build.cached_results(p)   # the formula cells, and the printed-value checks that follow them
        replaced: dict[str, bytes] = {}
        count = 0
        for ex_id, results in expected.items():
            sheet = book.sheet(ex_id, "exhibit sheet")
            _refuse_protected(sheet)
            for ref, (value, row_key, column) in results.items():
                if not sheet.has_formula(ref):
                    raise WorkbookError(f"{ex_id}!{ref} should hold the formula of row {row_key} ({column}) but "
                                        f"{sheet.describe(ref, book.shared)}: it was moved or overwritten; undo "
                                        "that (or rebuild the workbook) and refresh again")
                sheet.set_cached(ref, value)
                count += 1
            replaced[sheet.member] = sheet.to_bytes()

        notes: list[str] = []
        if ERRATA_SHEET in book.sheets:
            errata_sheet = book.sheet(ERRATA_SHEET)
            if _errata_switches(errata_sheet, edited, keys):
                _refuse_protected(errata_sheet)
                replaced[errata_sheet.member] = errata_sheet.to_bytes()

        new_hash = build.inputs_hash(edited, keys)
        stamp_time = when.strftime("%Y-%m-%d %H:%M:%S UTC")
        meta_sheet = book.sheet(build.META_SHEET)
        _refuse_protected(meta_sheet)
        _stamp_meta(meta_sheet, meta, {"refreshed_at": when.isoformat(), "scenario": base.name,
                                       "inputs_hash": new_hash})
        replaced[meta_sheet.member] = meta_sheet.to_bytes()
        if INDEX_SHEET in book.sheets:
            index = book.sheet(INDEX_SHEET)
            _refuse_protected(index)
            index.set_text(STAMP_CELL, stamp_text(stamp_time, base.name, new_hash))
            replaced[index.member] = index.to_bytes()
        else:
            notes.append("no Index sheet to stamp")
        replaced["xl/workbook.xml"] = _full_calc_on_load(book.workbook_data, where)

        changed = tuple(k for k in keys if _differs(edited.values[k], base.values[k]))
        report = RefreshReport(src, target, None, group.name, base.name, when.isoformat(), new_hash,
                               meta.get("inputs_hash"), count, len(keys), changed, notes)
        report.backup = _write(zf, replaced, src, target, in_place, when, where)
    return report


def _group(meta: Mapping[str, str], where: str) -> Group:
    for g in GROUPS:
        if g.name == meta["group"]:
            return g
    names = ", ".join(g.name for g in GROUPS)
    raise WorkbookError(f"not a suanli workbook: {where} names group {meta['group']!r}; suanli {__version__} "
                        f"builds {names}")


def _refuse_protected(sheet: _Sheet) -> None:
    if sheet.protected:
        raise WorkbookError(f"{sheet.where}: sheet {sheet.name} is protected (its cells are locked); unprotect it "
                            "(Review > Unprotect Sheet), save, and refresh again")


def _refuse_merged(sheet: _Sheet, input_cells: Mapping[str, str]) -> None:
    for ref in sheet.merged():
        box = _range_cells(ref)
        if box is None:
            continue
        r1, c1, r2, c2 = box
        for cell, key in input_cells.items():
            r, c = _split(cell)
            if r1 <= r <= r2 and c1 <= c <= c2:
                raise WorkbookError(f"{sheet.where}: cells {sheet.name}!{ref} are merged over input {key} "
                                    f"({sheet.name}!{cell}); unmerge them (Home > Merge & Center) and refresh again")


def _errata_switches(sheet: _Sheet, sc: scenarios.Scenario, keys: Sequence[str]) -> bool:
    """Cached results of the Errata sheet's "switch now" cells (a formula that is just a switch's name)."""
    switches = {k for k in keys if scenarios.schema()[k].is_switch}
    done = False
    for ref, cell in list(sheet.cells.items()):
        f = sheet._child(cell, "f")
        if f is None:
            continue
        name = _text_of(f).strip().lstrip("=")
        if name in switches:
            sheet.set_cached(ref, bool(sc.values[name]))
            done = True
    return done


def _stamp_meta(sheet: _Sheet, meta: Mapping[str, str], stamp: Mapping[str, str]) -> None:
    rows = [int(v) for k, v in meta.items() if k.startswith("_row:")]
    last = max(rows + [max(sheet.rows, default=0)])
    for key, value in stamp.items():
        r = meta.get(f"_row:{key}")
        if r is None:
            last += 1
            r = last
            sheet.set_text(_ref(int(r), 1), key)
        sheet.set_text(_ref(int(r), 2), value)


_WORKBOOK_AFTER_CALC = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                        "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")


def _full_calc_on_load(data: bytes, where: str) -> bytes:
    """xl/workbook.xml with ``<calcPr fullCalcOnLoad="1"/>`` (added, or set on the one there)."""
    doc = safety.parse_dom(data, "xl/workbook.xml", where)
    root = doc.documentElement
    kids = [n for n in root.childNodes if n.nodeType == n.ELEMENT_NODE and n.namespaceURI == MAIN_NS]
    calc = next((n for n in kids if n.localName == "calcPr"), None)
    if calc is None:
        calc = doc.createElementNS(MAIN_NS, f"{root.prefix}:calcPr" if root.prefix else "calcPr")
        anchor = next((n for n in kids if n.localName in _WORKBOOK_AFTER_CALC), None)
        root.insertBefore(calc, anchor)
    calc.setAttribute("fullCalcOnLoad", "1")
    return doc.toxml(encoding="UTF-8")


def _differs(a, b) -> bool:
    a_ = a if isinstance(a, tuple) else (a,)
    b_ = b if isinstance(b, tuple) else (b,)
    if len(a_) != len(b_):
        return True
    for x, y in zip(a_, b_):
        if (x is None) != (y is None):
            return True
        if x is not None and not math.isclose(float(x), float(y), rel_tol=1e-15, abs_tol=0.0):
            return True
    return False


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, info.date_time)
    new.compress_type = info.compress_type if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) \
        else zipfile.ZIP_DEFLATED
    new.external_attr = info.external_attr
    new.create_system = info.create_system
    new.comment = info.comment
    return new


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, zout: zipfile.ZipFile, new: zipfile.ZipInfo,
                 where: str) -> None:
    """One member's bytes, unchanged (a damaged one fails as such; a write error stays an OSError)."""
    with safety.reading(where, info.filename):
        fin = zf.open(info)
    with fin, zout.open(new, "w") as fout:
        while True:
            with safety.reading(where, info.filename):
                chunk = fin.read(1 << 20)
            if not chunk:
                break
            fout.write(chunk)


def _write(zf: zipfile.ZipFile, replaced: Mapping[str, bytes], src: Path, target: Path, in_place: bool,
           when: dt.datetime, where: str) -> Path | None:
    """The new archive beside ``target``, renamed over it; in place, the original kept as a backup first."""
    made: list[Path] = []

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w") as zout:
            zout.comment = zf.comment
            for info in zf.infolist():
                new = _copy_info(info)
                if info.filename in replaced:
                    zout.writestr(new, replaced[info.filename])
                elif info.is_dir():
                    zout.writestr(new, b"")
                else:
                    _copy_member(zf, info, zout, new, where)
        zf.close()                       # before the rename: Windows will not replace an open file
        if in_place:
            backup = backup_path(src, when)
            write_atomic(backup, lambda p: shutil.copyfile(src, p))
            made.append(backup)

    try:
        write_atomic(target, write)
    except OSError as exc:
        for p in made:
            p.unlink(missing_ok=True)
        name = exc.filename or target
        raise WorkbookError(f"cannot write {name}: {exc.strerror or exc}") from None
    except BaseException:
        for p in made:
            p.unlink(missing_ok=True)
        raise
    return made[0] if made else None
