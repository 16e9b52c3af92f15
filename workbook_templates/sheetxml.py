"""Reading and editing an xlsx file's XML in place: cells, defined names, cached formula results.

A workbook another program saved (Excel, LibreOffice, a user's edits) is read and changed at the
level of its parts, never re-written by a library that would drop what it does not know:

* :class:`Book` reads ``xl/workbook.xml`` and its relationships: which part holds which sheet,
  the workbook-level defined names and the shared strings;
* :class:`Sheet` parses one worksheet part as a DOM, reads a cell's value as Excel stored it
  (number, boolean, text, error value, or a formula whose result was never saved) and writes
  text or a formula's cached result into it, leaving every other element as it was;
* :func:`full_calc_on_load` asks Excel and LibreOffice to recalculate when they open the file;
* :func:`write_package` copies the archive with some parts replaced, every other member byte for byte.

Every part is read through :mod:`.safety` (sizes and compression checked, no XML entities).
Cell positions are 0-based ``(row, column)``, as XlsxWriter counts them; references are A1 text
from :mod:`xlsxwriter.utility`.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from collections.abc import Mapping, Sequence

from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell

from . import safety
from .safety import WorkbookError

__all__ = ["Book", "Sheet", "ErrorValue", "FormulaWithoutValue", "FORMULA_WITHOUT_VALUE", "Text", "DateText",
           "parse_cell", "parse_range", "show_value", "shorten", "full_calc_on_load", "write_package",
           "MAIN_NS", "STRICT_NS"]

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


# ------------------------------------------------------------------ what a cell holds
class ErrorValue(str):
    """An Excel error value read from a cell (``#N/A``, ``#DIV/0!``...), not text."""


class FormulaWithoutValue:
    """A cell holding a formula whose result was never saved (it was written by a program)."""

    def __repr__(self) -> str:
        return "a formula with no saved result"


FORMULA_WITHOUT_VALUE = FormulaWithoutValue()


class Text(str):
    """Text read from a cell (as opposed to a number, a boolean or an error value)."""


class DateText(str):
    """A cell of the ISO-date type (``t="d"``)."""


def show_value(v) -> str:
    """A cell value as a message shows it: TRUE/FALSE, a number to 12 significant digits, or the text."""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return format(v, ".12g")
    return str(v)


def shorten(text: str, n: int = 40) -> str:
    """``text`` cut to ``n`` characters with an ellipsis, for a one-line message."""
    return text if len(text) <= n else text[: n - 1] + "…"


# ------------------------------------------------------------------ references
_CELL = re.compile(r"^\$?[A-Z]{1,3}\$?[1-9]\d{0,6}$")


def parse_cell(ref: str) -> tuple[int, int]:
    """0-based (row, column) of an A1 reference such as ``B3`` or ``$B$3``.

    ValueError for anything else: a file may hold any text where a reference belongs, and
    :func:`xlsxwriter.utility.xl_cell_to_rowcol` only warns about text that is not one.
    """
    if not _CELL.match(ref):
        raise ValueError(f"not a cell reference: {ref!r}")
    return xl_cell_to_rowcol(ref)


def parse_range(text: str) -> tuple[int, int, int, int] | None:
    """0-based (first row, first column, last row, last column) of ``A1:C3`` (or one cell); None if not a range."""
    parts = text.upper().split(":")
    try:
        (r1, c1), (r2, c2) = parse_cell(parts[0]), parse_cell(parts[-1])
    except ValueError:
        return None
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _cell_range(r1: int, c1: int, r2: int, c2: int) -> str:
    first = xl_rowcol_to_cell(r1, c1)
    return first if (r1, c1) == (r2, c2) else f"{first}:{xl_rowcol_to_cell(r2, c2)}"


# ------------------------------------------------------------------ one worksheet
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

#: The worksheet elements that come after sheetData, in the schema's order.
_AFTER_SHEET_DATA = {"sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
                     "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
                     "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
                     "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
                     "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                     "webPublishItems", "tableParts", "extLst"}


class Sheet:
    """One worksheet part, parsed as a DOM so that edits keep everything else as it was.

    ``name`` is the sheet's name in the workbook, ``member`` its part in the archive and
    ``where`` the file, for messages; :attr:`cells` maps each A1 reference to its element.
    """

    def __init__(self, name: str, member: str, data: bytes, where: str):
        self.name, self.member, self.where = name, member, where
        self.doc = safety.parse_dom(data, member, where)
        root = self.doc.documentElement
        if root.namespaceURI != MAIN_NS or root.localName != "worksheet":
            raise WorkbookError(f"{where}: sheet {name} is not a worksheet; rename the sheet you added, or rebuild "
                                "the workbook")
        self._prefix = root.prefix
        self._sheet_data = self._child(root, "sheetData")
        if self._sheet_data is None:
            self._sheet_data = self._new("sheetData")
            anchor = next((e for e in self._elements(root) if e.localName in _AFTER_SHEET_DATA), None)
            root.insertBefore(self._sheet_data, anchor)
        self._rows: dict[int, object] = {}          # 0-based row -> its <row>
        self.cells: dict[str, object] = {}          # A1 -> its <c>
        self.changed = False
        last_row = -1
        for row in self._elements(self._sheet_data, "row"):
            try:
                r = int(row.getAttribute("r")) - 1 if row.hasAttribute("r") else last_row + 1
            except ValueError:
                r = -1
            if r < 0:
                raise WorkbookError(f"corrupted xlsx: {where}: sheet {name} has a row numbered "
                                    f"{row.getAttribute('r')!r}")
            last_row = r
            self._rows[r] = row
            last_col = -1
            for c in self._elements(row, "c"):
                if c.hasAttribute("r"):
                    try:
                        _, col = parse_cell(c.getAttribute("r"))
                    except ValueError:
                        raise WorkbookError(f"corrupted xlsx: {where}: sheet {name} has a cell named "
                                            f"{c.getAttribute('r')!r}") from None
                else:
                    col = last_col + 1
                last_col = col
                self.cells[xl_rowcol_to_cell(r, col)] = c

    # DOM helpers --------------------------------------------------------------------
    @staticmethod
    def _elements(parent, local: str | None = None):
        return [n for n in parent.childNodes if n.nodeType == n.ELEMENT_NODE and n.namespaceURI == MAIN_NS
                and (local is None or n.localName == local)]

    def _child(self, parent, local: str):
        found = self._elements(parent, local)
        return found[0] if found else None

    def _new(self, local: str):
        return self.doc.createElementNS(MAIN_NS, f"{self._prefix}:{local}" if self._prefix else local)

    # reading -------------------------------------------------------------------------
    @property
    def protected(self) -> bool:
        """True when the sheet is protected (its locked cells cannot be edited)."""
        prot = self._child(self.doc.documentElement, "sheetProtection")
        return prot is not None and prot.getAttribute("sheet").strip().lower() in ("1", "true")

    @property
    def last_row(self) -> int:
        """The 0-based index of the last row the sheet holds, -1 when it has none."""
        return max(self._rows, default=-1)

    def merged(self) -> list[str]:
        """The merged ranges (``A1:B2`` ...)."""
        merges = self._child(self.doc.documentElement, "mergeCells")
        if merges is None:
            return []
        return [m.getAttribute("ref") for m in self._elements(merges, "mergeCell")]

    def has_formula(self, ref: str) -> bool:
        return self.formula(ref) is not None

    def formula(self, ref: str) -> str | None:
        """The formula of the cell ``ref`` as stored (no leading ``=``), or None when it holds none."""
        c = self.cells.get(ref)
        f = self._child(c, "f") if c is not None else None
        return None if f is None else _text_of(f)

    def rows(self, columns: int, shared: Sequence[str]) -> list[tuple[int, list]]:
        """``(row, [values of its first columns])`` for each row with a value in one of them, in order."""
        out = []
        for r in sorted(self._rows):
            values = [self.value(xl_rowcol_to_cell(r, c), shared) for c in range(columns)]
            if any(v is not None for v in values):
                out.append((r, values))
        return out

    def describe(self, ref: str, shared: Sequence[str]) -> str:
        """What the cell holds, for a message: ``is empty``, ``holds the number 3`` ..."""
        v = self.value(ref, shared)
        if v is None:
            return "is empty"
        if isinstance(v, bool):
            return f"holds {'TRUE' if v else 'FALSE'}"
        if isinstance(v, float):
            return f"holds the number {show_value(v)}"
        return f"holds the text {shorten(str(v))!r}"

    def value(self, ref: str, shared: Sequence[str]):
        """The cell's value as stored: a float, a bool, :class:`Text`, :class:`ErrorValue`,
        :class:`DateText`, :data:`FORMULA_WITHOUT_VALUE`, or None for an empty cell."""
        c = self.cells.get(ref)
        if c is None:
            return None
        t = c.getAttribute("t") or "n"
        has_f = self._child(c, "f") is not None
        if t == "inlineStr":
            is_ = self._child(c, "is")
            return Text(_rich_text(is_)) if is_ is not None else None
        v = self._child(c, "v")
        text = _text_of(v) if v is not None else None
        if text is None or (text == "" and t != "str"):
            return FORMULA_WITHOUT_VALUE if has_f else None
        try:
            if t == "s":
                return Text(shared[int(text)])
            if t == "str":
                return Text(text)
            if t == "b":
                return text.strip() in ("1", "true")
            if t == "e":
                return ErrorValue(text.strip())
            if t == "d":
                return DateText(text)
            return float(text)
        except (ValueError, IndexError):
            raise WorkbookError(f"corrupted xlsx: {self.where}: cell {self.name}!{ref} holds {text!r} as "
                                f"type {t}") from None

    # writing -------------------------------------------------------------------------
    def ensure(self, ref: str):
        """The cell element at ``ref``, created (with its row) where it belongs when missing."""
        if ref in self.cells:
            return self.cells[ref]
        r, col = parse_cell(ref)
        row = self._rows.get(r)
        if row is None:
            row = self._new("row")
            row.setAttribute("r", str(r + 1))
            after = next((self._rows[k] for k in sorted(self._rows) if k > r), None)
            self._sheet_data.insertBefore(row, after)
            self._rows[r] = row
        if row.hasAttribute("spans"):
            row.removeAttribute("spans")           # an optional hint; dropped rather than left wrong
        cell = self._new("c")
        cell.setAttribute("r", ref)
        after, after_col = None, None
        for k, c in self.cells.items():
            kr, kc = parse_cell(k)
            if kr == r and kc > col and c.parentNode is row and (after_col is None or kc < after_col):
                after, after_col = c, kc
        row.insertBefore(cell, after)
        self.cells[ref] = cell
        self._grow_dimension(r, col)
        self.changed = True
        return cell

    def _grow_dimension(self, r: int, col: int) -> None:
        dim = self._child(self.doc.documentElement, "dimension")
        if dim is None:
            return
        box = parse_range(dim.getAttribute("ref") or "A1")
        if box is None:
            return
        r1, c1, r2, c2 = box
        dim.setAttribute("ref", _cell_range(min(r1, r), min(c1, col), max(r2, r), max(c2, col)))

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
        """The part's XML, with the edits."""
        return self.doc.toxml(encoding="UTF-8")


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


# ------------------------------------------------------------------ the workbook part
class Book:
    """The parts of an open xlsx archive that say what it holds: sheets, defined names, shared strings.

    ``sheets`` maps each worksheet's name to its part; ``names`` each workbook-level defined name
    to what it refers to (``Inputs!$F$6``); :meth:`sheet` parses a worksheet on first use.
    """

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
        self._sheets: dict[str, Sheet] = {}

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
        """The shared strings, in order (a cell of type ``s`` holds an index into them)."""
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

    def sheet(self, name: str, what: str = "") -> Sheet:
        """The worksheet called ``name``, parsed; a missing one is refused, ``what`` naming it in the message."""
        if name not in self._sheets:
            member = self.sheets.get(name)
            if member is None or member not in self.zf.namelist():
                raise WorkbookError(f"{self.where}: the {what or 'sheet'} {name} is missing (renamed or deleted?); "
                                    "restore it, or rebuild the workbook")
            self._sheets[name] = Sheet(name, member, safety.read_member(self.zf, member, self.where), self.where)
        return self._sheets[name]


# ------------------------------------------------------------------ the package
_WORKBOOK_AFTER_CALC = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                        "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")


def full_calc_on_load(data: bytes, where: str) -> bytes:
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


def write_package(zf: zipfile.ZipFile, replaced: Mapping[str, bytes], path, where: str) -> None:
    """Write to ``path`` a copy of the archive ``zf`` with the members in ``replaced`` swapped for new bytes.

    Every other member is copied unchanged, with its name, date, attributes and comment; a damaged
    one fails as such (:class:`WorkbookError`), a write error stays an :class:`OSError`.
    """
    with zipfile.ZipFile(path, "w") as zout:
        zout.comment = zf.comment
        for info in zf.infolist():
            new = _copy_info(info)
            if info.filename in replaced:
                zout.writestr(new, replaced[info.filename])
            elif info.is_dir():
                zout.writestr(new, b"")
            else:
                _copy_member(zf, info, zout, new, where)


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
