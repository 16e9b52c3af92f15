"""Reading and editing an xlsx file's XML as a stream: cells, defined names, cached formula results.

A workbook another program saved (Excel, LibreOffice, a user's edits) is read and changed at the
level of its parts, never re-written by a library that would drop what it does not know, and never
held whole in memory: a part is parsed as a stream of events (expat, through :mod:`.safety`: no
DTDs, no entities), and a changed part is written by copying its bytes with a few spans replaced.
Memory grows with the cells asked about, not with the size of the sheet:

* :class:`Book` reads ``xl/workbook.xml`` and its relationships: which part holds which sheet,
  the defined names asked about (:meth:`Book.defined_names`), the shared strings that the cells
  read need (:class:`SharedStrings`);
* :class:`Sheet` scans one worksheet part for the cells it is asked about (by reference, or by a
  test on each cell), checks the sheet's structure on the way (rows and cells numbered, in order,
  each once) and reads a cell's value as Excel stored it (number, boolean, text, error value, a
  formula whose result was never saved), refusing a value Excel would not write; it writes text
  or a formula's cached result into a cell, every other byte of the part kept as it was;
* :func:`same_formula` compares formulas as a spreadsheet reads them (spacing, quoting, case,
  a number's last digits beyond the 15 a spreadsheet keeps do not count);
* :func:`full_calc_on_load` asks Excel and LibreOffice to recalculate when they open the file;
* :func:`write_package` copies the archive with some parts replaced, every other member byte for byte.

Cell positions are 0-based ``(row, column)``, as XlsxWriter counts them; references are A1 text
from :mod:`xlsxwriter.utility`.
"""

from __future__ import annotations

import bisect
import io
import math
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell

from . import safety
from .files import signals_held
from .safety import WorkbookError

__all__ = ["Book", "Sheet", "Cell", "SharedStrings", "ErrorValue", "FormulaWithoutValue", "FORMULA_WITHOUT_VALUE",
           "Text", "DateText", "parse_cell", "parse_range", "show_value", "shorten", "same_formula", "formula_key",
           "full_calc_on_load", "write_package", "MAIN_NS", "STRICT_NS", "TEXT_LIMIT", "MAX_ROWS"]

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

#: Characters kept of one cell's text, formula or shared string (Excel's own limits are 32,767 and 8,192).
TEXT_LIMIT = 1 << 16
#: Rows a sheet can have (Excel's limit).
MAX_ROWS = 1_048_576
#: Cell types Excel writes (``t`` attribute): number, shared string, formula string, boolean, error, date, inline.
CELL_TYPES = ("n", "s", "str", "b", "e", "d", "inlineStr")


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


#: A number as a cell stores it (xsd:double without INF and NaN); Python's float() takes more ("1_0", "nan").
_NUMBER = re.compile(r"^[ \t\r\n]*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\r\n]*$")
_INDEX = re.compile(r"^[ \t\r\n]*[0-9]{1,9}[ \t\r\n]*$")


# ------------------------------------------------------------------ references
_CELL = re.compile(r"^\$?[A-Z]{1,3}\$?[1-9][0-9]{0,6}$")


def parse_cell(ref: str) -> tuple[int, int]:
    """0-based (row, column) of an A1 reference such as ``B3`` or ``$B$3``.

    ValueError for anything else, and for a cell beyond Excel's last row or column: a file may
    hold any text where a reference belongs, and :func:`xlsxwriter.utility.xl_cell_to_rowcol`
    only warns about text that is not one.
    """
    if not _CELL.match(ref):
        raise ValueError(f"not a cell reference: {ref!r}")
    r, c = xl_cell_to_rowcol(ref)
    if r >= MAX_ROWS or c >= 16_384:
        raise ValueError(f"not a cell reference: {ref!r}")
    return r, c


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


# ------------------------------------------------------------------ formulas
def formula_key(text: str) -> tuple | None:
    """A formula as a spreadsheet reads it, for comparing two: tokens without spacing; functions,
    references and names upper-cased (``_xlfn.`` dropped); sheet names unquoted; numbers to the 15
    significant digits a spreadsheet keeps.  None when the text does not parse as a formula."""
    from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

    body = text.strip()
    try:
        items = Tokenizer("=" + body.removeprefix("=")).items
    except (TokenizerError, ValueError, IndexError):
        return None
    out = []
    for tok in items:
        kind, sub, value = tok.type, tok.subtype, tok.value
        if kind == Token.WSPACE:
            continue
        if kind == Token.OPERAND and sub == Token.NUMBER:
            try:
                value = format(float(value), ".15g")
            except ValueError:
                return None
        elif kind == Token.OPERAND and sub == Token.RANGE:
            value = _normal_reference(value)
        elif kind == Token.OPERAND and sub == Token.TEXT:
            pass
        else:
            value = value.upper()
            for prefix in ("_XLFN.", "_XLWS."):
                value = value.replace(prefix, "")
        out.append((kind, sub, value))
    return tuple(out)


def _normal_reference(text: str) -> str:
    if "!" not in text:
        return text.upper()
    sheet, _, ref = text.rpartition("!")
    if len(sheet) >= 2 and sheet[0] == sheet[-1] == "'":
        sheet = sheet[1:-1].replace("''", "'")
    return sheet.lower() + "!" + ref.upper()


def same_formula(a: str | None, b: str | None) -> bool:
    """True when two formulas (with or without ``=``) are the same formula to a spreadsheet."""
    if a is None or b is None:
        return a is b
    ka = formula_key(a)
    return ka is not None and ka == formula_key(b)


def _translate(formula: str, origin: str, dest: str) -> str | None:
    """A shared formula's text (written for its first cell ``origin``) as the cell ``dest`` holds it."""
    from openpyxl.formula.translate import Translator, TranslatorError

    try:
        return Translator("=" + formula, origin=origin).translate_formula(dest)[1:]
    except (TranslatorError, ValueError, IndexError, KeyError):
        return None


# ------------------------------------------------------------------ scanning a part
class _Node:
    """An element found by a scan, by byte offsets into its part.

    ``start`` is its ``<``; ``content`` the first event after its start tag (a child's ``<``, or its
    end tag); ``end_tag`` its end tag's ``<`` (just past ``/>`` for an empty element); ``end`` the
    first event after it (so ``[start, end)`` holds it and the spacing that follows).
    """

    __slots__ = ("start", "content", "end_tag", "end", "qname", "attrs", "decls")

    def __init__(self, start: int, qname: str, attrs: dict, decls: list):
        self.start, self.qname, self.attrs, self.decls = start, qname, attrs, decls
        self.content = self.end_tag = self.end = -1


_names: dict[str, tuple[str, str, str]] = {}


def _split(name: str) -> tuple[str, str, str]:
    """(namespace, local name, qualified name as written) of an expat name ``"URI LOCAL [PREFIX]"``."""
    got = _names.get(name)
    if got is None:
        parts = name.split(" ")
        if len(parts) == 1:
            got = ("", name, name)
        else:
            qname = f"{parts[2]}:{parts[1]}" if len(parts) > 2 else parts[1]
            got = (parts[0], parts[1], qname)
        if len(_names) < 4096:
            _names[name] = got
    return got


def _attr_qname(name: str) -> str:
    parts = name.split(" ")
    return name if len(parts) == 1 else (f"{parts[2]}:{parts[1]}" if len(parts) > 2 else parts[1])


_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
                               "\r": "&#13;"})
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape_text(text: str) -> str:
    return _XML_BAD.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _start_tag(qname: str, attrs: Iterable[tuple[str, str]], decls: Iterable[tuple[str | None, str]] = (),
               empty: bool = False) -> str:
    parts = [f"<{qname}"]
    for prefix, uri in decls:
        parts.append(f' xmlns{":" + prefix if prefix else ""}="{(uri or "").translate(_ATTR_ESCAPES)}"')
    for name, value in attrs:
        parts.append(f' {_attr_qname(name)}="{_XML_BAD.sub("", str(value)).translate(_ATTR_ESCAPES)}"')
    parts.append("/>" if empty else ">")
    return "".join(parts)


class _Scan:
    """An expat pass over one part, reporting each element with its byte offset to :meth:`start` and :meth:`end`."""

    #: parts written back must be UTF-8: replaced spans are written in it
    editable = False

    def __init__(self, member: str, where: str):
        self.member, self.where = member, where
        self.parser = safety.xml_parser(member, where)
        self.parser.StartElementHandler = self._on_start
        self.parser.EndElementHandler = self._on_end
        self.parser.StartNamespaceDeclHandler = self._on_decl
        self.parser.XmlDeclHandler = self._on_xml_decl
        self.pending: list[tuple[_Node, str]] = []   # offsets that the next event gives
        self.decls: list[tuple[str | None, str]] = []
        self.depth = 0
        self.size = 0
        self._text: list[str] | None = None
        self._text_len = 0

    def run(self, chunks: Iterable[bytes]) -> _Scan:
        self.size = safety.feed(self.parser, self._checked(chunks), self.member, self.where)
        self._fill(self.size)
        return self

    def _checked(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        first = True
        for chunk in chunks:
            if first and self.editable and chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
                self._not_utf8("UTF-16")
            first = False
            yield chunk

    def _not_utf8(self, encoding: str) -> None:
        raise WorkbookError(f"{self.where}: member {self.member} is saved as {encoding}, not UTF-8; open the workbook "
                            "in Excel and save it again")

    def _on_xml_decl(self, version, encoding, standalone) -> None:
        if self.editable and encoding is not None and encoding.replace("_", "-").lower() not in ("utf-8", "utf8"):
            self._not_utf8(encoding)

    def _fill(self, index: int) -> None:
        for node, attr in self.pending:
            setattr(node, attr, index)
        self.pending.clear()

    def _on_decl(self, prefix, uri) -> None:
        self.decls.append((prefix, uri))

    def _on_start(self, name: str, attrs: dict) -> None:
        i = self.parser.CurrentByteIndex
        if self.pending:
            self._fill(i)
        decls = self.decls
        if decls:
            self.decls = []
        ns, local, qname = _names.get(name) or _split(name)
        d = self.depth
        self.depth = d + 1
        self.start(ns, local, qname, attrs, decls, i, d)

    def _on_end(self, name: str) -> None:
        i = self.parser.CurrentByteIndex
        if self.pending:
            self._fill(i)
        ns, local, _ = _names.get(name) or _split(name)
        self.depth -= 1
        self.end(ns, local, i, self.depth)

    def node(self, qname: str, attrs: dict, decls: list, i: int) -> _Node:
        """A node whose ``content`` the next event fills in."""
        n = _Node(i, qname, attrs, decls)
        self.pending.append((n, "content"))
        return n

    def close(self, node: _Node, i: int) -> None:
        """``node`` ends at ``i``: its ``end`` is the next event."""
        node.end_tag = i
        self.pending.append((node, "end"))

    # text of the elements asked for, up to TEXT_LIMIT characters
    def collect(self) -> None:
        self._text, self._text_len = [], 0
        self.parser.CharacterDataHandler = self._on_text

    def collected(self) -> tuple[str, bool]:
        """The text collected since :meth:`collect` and whether it was cut at :data:`TEXT_LIMIT`; collection stops."""
        self.parser.CharacterDataHandler = None
        parts, self._text = self._text or [], None
        text = "".join(parts)
        return text[:TEXT_LIMIT], len(text) > TEXT_LIMIT or self._text_len > TEXT_LIMIT

    def _on_text(self, data: str) -> None:
        self._text_len += len(data)
        if self._text_len <= TEXT_LIMIT + 1:
            self._text.append(data)

    def start(self, ns, local, qname, attrs, decls, i, depth) -> None:   # pragma: no cover - overridden
        raise NotImplementedError

    def end(self, ns, local, i, depth) -> None:   # pragma: no cover - overridden
        raise NotImplementedError


class _Cursor:
    """Copies a part's bytes to ``out`` while skipping and replacing spans, one chunk at a time."""

    def __init__(self, chunks: Iterable[bytes], out: Callable[[bytes], object]):
        self.it, self.out = iter(chunks), out
        self.buf, self.base = b"", 0

    def _move(self, n: int, copy: bool) -> None:
        while self.base + len(self.buf) < n:
            if copy and self.buf:
                self.out(self.buf)
            self.base += len(self.buf)
            try:
                self.buf = next(self.it)
            except StopIteration:
                raise AssertionError(f"an edit at byte {n} is past the end of the part") from None
        cut = n - self.base
        if copy and cut:
            self.out(self.buf[:cut])
        self.buf, self.base = self.buf[cut:], n

    def splice(self, ops: Sequence[tuple[int, int, bytes]]) -> None:
        for start, end, data in sorted(ops, key=lambda o: (o[0], o[1])):
            if start < self.base:
                raise AssertionError(f"overlapping edits at byte {start}")
            self._move(start, copy=True)
            if data:
                self.out(data)
            self._move(end, copy=False)
        if self.buf:
            self.out(self.buf)
        for chunk in self.it:
            self.out(chunk)


# ------------------------------------------------------------------ one worksheet
#: The worksheet elements that come after sheetData, in the schema's order.
_AFTER_SHEET_DATA = {"sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
                     "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
                     "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
                     "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
                     "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                     "webPublishItems", "tableParts", "extLst"}


class Cell:
    """One cell a scan kept: where it is in the part, its type, formula and stored text."""

    __slots__ = ("ref", "row", "col", "node", "type", "children", "formula", "formula_attrs", "text", "cut",
                 "inline")

    def __init__(self, ref: str, row: int, col: int, node: _Node, kind: str):
        self.ref, self.row, self.col, self.node, self.type = ref, row, col, node, kind
        self.children: list[tuple[str | None, _Node]] = []   # direct children: (local name in the main namespace, node)
        self.formula: str | None = None                      # the <f> text, None without <f>
        self.formula_attrs: dict = {}
        self.text: str | None = None                         # the <v> text
        self.inline: str | None = None                       # the <is> text
        self.cut = False                                     # a text was longer than TEXT_LIMIT


class _Row:
    __slots__ = ("node", "cells")

    def __init__(self, node: _Node):
        self.node = node
        self.cells: list[tuple[int, int]] = []      # (column, offset) of each cell in the row


#: Kinds of the elements a sheet scan follows inside sheetData (anything else is 0).
_K_ROW, _K_C, _K_F, _K_V, _K_IS, _K_T, _K_RPH, _K_EXT = range(1, 9)
_KIND_OF_LOCAL = {"row": _K_ROW, "c": _K_C, "f": _K_F, "v": _K_V, "is": _K_IS, "t": _K_T, "rPh": _K_RPH,
                  "extLst": _K_EXT}
_LOCAL_OF_KIND = {v: k for k, v in _KIND_OF_LOCAL.items()}
_kinds: dict[str, int] = {}


def _kind(name: str) -> int:
    got = _kinds.get(name)
    if got is None:
        ns, local, _ = _split(name)
        got = _KIND_OF_LOCAL.get(local, 0) if ns == MAIN_NS else 0
        if len(_kinds) < 4096:
            _kinds[name] = got
    return got


_column_of: dict[str, int] = {}
_letters: list[str] = []


def _columns() -> tuple[dict[str, int], list[str]]:
    """Column letters to 0-based index and back, for every column Excel has (A to XFD)."""
    if not _letters:
        from xlsxwriter.utility import xl_col_to_name

        _letters.extend(xl_col_to_name(c) for c in range(16_384))
        _column_of.update((name, c) for c, name in enumerate(_letters))
    return _column_of, _letters


class _SheetScan(_Scan):
    """The cells of interest of one worksheet, and what an edit needs to know about its structure.

    Inside sheetData, where a large sheet has millions of elements, the parser's handlers are
    swapped for lean ones (:meth:`_sd_start`, :meth:`_sd_end`) that do little more than check
    each row's and cell's number, unless the row or cell is one asked about.
    """

    editable = True

    def __init__(self, sheet: Sheet, refs: set[str] | None, keep: Callable[[Cell], bool] | None,
                 limit: int | None):
        super().__init__(sheet.member, sheet.where)
        self.sheet, self.name = sheet, sheet.name
        self.refs, self.keep, self.limit = refs, keep, limit
        self.every = refs is None and keep is None
        self.all_cells = self.every or keep is not None
        wanted: dict[int, set[int]] = {}
        for ref in refs or ():
            r, c = parse_cell(ref)
            wanted.setdefault(r, set()).add(c)
        self.wanted = wanted
        self.wanted_rows = sorted(wanted)
        self._next_wanted = 0
        self.cells: dict[str, Cell] = {}
        self.rows: dict[int, _Row] = {}
        self.inserts: dict[int, int] = {}          # a wanted row that is missing -> where it would go
        self.masters: dict[str, tuple[str, str]] = {}   # shared formula id -> (first cell, formula)
        self.merged: list[str] = []
        self.protected = False
        self.last_row = -1
        self.root: _Node | None = None
        self.sheet_data: _Node | None = None
        self.dimension: _Node | None = None
        self.anchor: int | None = None             # where a missing sheetData would go
        self.prefix_qname = "sheetData"
        self.kept = 0
        self._columns, self._letters = _columns()
        # state inside sheetData
        self._level = 0                            # 0: in sheetData, 1: in a row, 2: in a cell, 3+: deeper
        self._row: _Row | None = None
        self._row_cols: set[int] | None = None     # the columns asked about in this row
        self._row_n = -1
        self._row_text = ""
        self._col = -1
        self._cell: Cell | None = None
        self._child: tuple[str | None, _Node] | None = None
        self._in_is = 0
        self._master: tuple[str, str] | None = None
        self._in_merges = False
        self._c_name = ""                          # the parser's name for a cell, once seen (names are interned)

    def _corrupted(self, what: str) -> WorkbookError:
        return WorkbookError(f"corrupted xlsx: {self.where}: sheet {self.name} {what}")

    # outside sheetData ------------------------------------------------------------------
    def start(self, ns, local, qname, attrs, decls, i, depth) -> None:
        if depth == 0:
            if ns != MAIN_NS or local != "worksheet":
                raise WorkbookError(f"{self.where}: sheet {self.name} is not a worksheet; rename the sheet you "
                                    "added, or rebuild the workbook")
            self.root = _Node(i, qname, attrs, decls)
            return
        if depth == 1 and ns == MAIN_NS:
            if local == "sheetData":
                if self.sheet_data is not None:
                    raise self._corrupted("has two sheetData elements")
                self.sheet_data = self.node(qname, attrs, decls, i)
                self.prefix_qname = qname
                self._level = 0
                self.parser.StartElementHandler = self._sd_start
                self.parser.EndElementHandler = self._sd_end
            elif local == "dimension":
                self.dimension = self.node(qname, attrs, decls, i)
            elif local == "sheetProtection":
                self.protected = attrs.get("sheet", "").strip().lower() in ("1", "true")
            elif local == "mergeCells":
                self._in_merges = True
            if local in _AFTER_SHEET_DATA and self.sheet_data is None and self.anchor is None:
                self.anchor = i
            return
        if depth == 2 and self._in_merges and local == "mergeCell" and ns == MAIN_NS:
            self._merge(attrs.get("ref", ""))

    def end(self, ns, local, i, depth) -> None:
        if depth == 1 and local == "dimension" and self.dimension is not None and self.dimension.end_tag < 0:
            self.close(self.dimension, i)
        elif depth == 1 and local == "mergeCells":
            self._in_merges = False
        elif depth == 0 and self.root is not None:
            self.root.end_tag = i

    # inside sheetData ---------------------------------------------------------------------
    def _sd_start(self, name: str, attrs: dict) -> None:
        if self.pending:
            self._fill(self.parser.CurrentByteIndex)
        level = self._level
        self._level = level + 1
        if level == 1:                             # a cell (the hot path: no call for a cell not asked about)
            if name is not self._c_name:
                if _kind(name) != _K_C:
                    self.decls = []
                    return
                self._c_name = name
            text = attrs.get("r")
            if text is None:
                col = self._col + 1
                if col >= 16_384:
                    raise self._corrupted(f"has a cell past column XFD in row {self._row_n + 1}")
            else:
                row_text = self._row_text
                col = self._columns.get(text[:-len(row_text)]) if text.endswith(row_text) else None
                if col is None:
                    self._bad_cell(text)
            if col <= self._col:
                self._out_of_order(col)
            self._col = col
            if self._row is not None or self.all_cells or self.decls:
                self._start_cell(name, attrs, col)
            return
        if level == 0:
            if _kinds.get(name) == _K_ROW or _kind(name) == _K_ROW:
                self._start_row(name, attrs)
            else:
                self.decls = []
        elif self._cell is not None:
            self._in_cell(_kinds.get(name) or _kind(name), name, attrs, level)
        else:
            if self.decls:
                self.decls = []
            if level == 2 and attrs.get("t") == "shared" and "ref" in attrs and _kind(name) == _K_F:
                self._maybe_master(attrs)

    def _sd_end(self, name: str) -> None:
        if self.pending:
            self._fill(self.parser.CurrentByteIndex)
        level = self._level - 1
        self._level = level
        if level == 1:
            cell = self._cell
            if cell is not None:
                self.close(cell.node, self.parser.CurrentByteIndex)
                self._cell = None
                self._finish_cell(cell)
        elif level >= 2:
            if self._cell is not None:
                self._end_in_cell(_kinds.get(name) or _kind(name), level)
            elif level == 2 and self._master is not None:
                si, first = self._master
                text, cut = self.collected()
                if not cut:
                    self.masters[si] = (first, text)
                self._master = None
        elif level == 0:
            row = self._row
            if row is not None:
                self.close(row.node, self.parser.CurrentByteIndex)
                self._row = None
        else:                                      # sheetData ends
            self.close(self.sheet_data, self.parser.CurrentByteIndex)
            wanted = self.wanted_rows
            for k in range(self._next_wanted, len(wanted)):
                self.inserts[wanted[k]] = -1       # after the last row
            self._next_wanted = len(wanted)
            self.parser.StartElementHandler = self._on_start
            self.parser.EndElementHandler = self._on_end
            self.depth -= 1

    def _start_row(self, name: str, attrs: dict) -> None:
        decls = self.decls
        if decls:
            self.decls = []
        text = attrs.get("r")
        if text is None:
            n = self._row_n + 1
            text = str(n + 1)
        else:
            if not (text.isascii() and text.isdigit() and text[0] != "0" and len(text) <= 7):
                raise self._corrupted(f"has a row numbered {text!r}")
            n = int(text) - 1
        if n <= self._row_n:
            raise self._corrupted(f"has row {n + 1} after row {self._row_n + 1} (rows must be in order, each once)")
        if n >= MAX_ROWS:
            raise self._corrupted(f"has a row numbered {text!r} (at most {MAX_ROWS:,})")
        self._row_n, self._row_text, self._col = n, text, -1
        self.last_row = n
        wanted = self.wanted_rows
        k = self._next_wanted
        if k < len(wanted) and wanted[k] <= n:
            i = self.parser.CurrentByteIndex
            while k < len(wanted) and wanted[k] < n:
                self.inserts[wanted[k]] = i
                k += 1
            if k < len(wanted) and wanted[k] == n:
                self._row = self.rows[n] = _Row(self.node(_split(name)[2], attrs, decls, i))
                self._row_cols = self.wanted[n]
                k += 1
                self._next_wanted = k
                return
            self._next_wanted = k
        self._row_cols = None

    def _start_cell(self, name: str, attrs: dict, col: int) -> None:
        decls = self.decls
        if decls:
            self.decls = []
        if self._row is not None:
            self._row.cells.append((col, self.parser.CurrentByteIndex))
        if self.all_cells or (self._row_cols is not None and col in self._row_cols):
            node = self.node(_split(name)[2], attrs, decls, self.parser.CurrentByteIndex)
            self._cell = Cell(self._letters[col] + self._row_text, self._row_n, col, node, attrs.get("t", "n"))

    def _out_of_order(self, col: int) -> None:
        raise self._corrupted(f"has the cell {self._letters[col]}{self._row_text} after "
                              f"{self._letters[self._col]}{self._row_text} (cells must be in order, each once)")

    def _bad_cell(self, text: str) -> None:
        try:
            r, _ = parse_cell(text)
        except ValueError:
            raise self._corrupted(f"has a cell named {text!r}") from None
        if "$" in text:
            raise self._corrupted(f"has a cell named {text!r}")
        raise self._corrupted(f"has the cell {text} in row {self._row_n + 1}")

    def _in_cell(self, kind: int, name: str, attrs: dict, level: int) -> None:
        cell = self._cell
        decls = self.decls
        if decls:
            self.decls = []
        if level == 2:                             # a child of the cell
            node = self.node(_split(name)[2], attrs, decls, self.parser.CurrentByteIndex)
            known = _LOCAL_OF_KIND.get(kind)
            cell.children.append((known, node))
            self._child = (known, node)
            if kind == _K_F:
                cell.formula_attrs = {k: v for k, v in attrs.items() if k in ("t", "si", "ref")}
                self.collect()
            elif kind == _K_V:
                self.collect()
            elif kind == _K_IS:
                self._in_is = 1
        elif self._in_is:
            if kind == _K_T and self._in_is == 1 and level in (3, 4):
                self.collect()
            elif kind == _K_RPH and level == 3:
                self._in_is = 2                    # phonetic runs: not part of the text

    def _end_in_cell(self, kind: int, level: int) -> None:
        cell = self._cell
        if level == 2:                             # a child of the cell
            known, node = self._child
            self.close(node, self.parser.CurrentByteIndex)
            if known == "f":
                cell.formula, cut = self.collected()
                cell.cut |= cut
                attrs = cell.formula_attrs
                if attrs.get("t") == "shared" and "ref" in attrs and not cut:
                    self.masters[attrs.get("si", "")] = (cell.ref, cell.formula)
            elif known == "v":
                cell.text, cut = self.collected()
                cell.cut |= cut
            elif known == "is":
                self._in_is = 0
            self._child = None
        elif self._in_is and kind == _K_T and self._text is not None:
            text, cut = self.collected()
            cell.inline = (cell.inline or "") + text
            cell.cut |= cut
        elif self._in_is == 2 and kind == _K_RPH and level == 3:
            self._in_is = 1

    def _maybe_master(self, attrs) -> None:
        box = parse_range(attrs.get("ref", ""))
        if box is None:
            return
        r1, c1, r2, c2 = box
        if not self.all_cells:
            rows = self.wanted_rows
            k = bisect.bisect_left(rows, r1)
            if not any(any(c1 <= c <= c2 for c in self.wanted[rows[j]]) for j in range(k, len(rows))
                       if rows[j] <= r2):
                return
        self._master = (attrs.get("si", ""), self._letters[self._col] + self._row_text)
        self.collect()

    def _finish_cell(self, cell: Cell) -> None:
        by_ref = self.refs is not None and cell.ref in self.refs
        if not (self.every or by_ref or (self.keep is not None and self.keep(cell))):
            return
        if cell.type == "inlineStr" and cell.inline is None and any(k == "is" for k, _ in cell.children):
            cell.inline = ""
        if not by_ref:
            self.kept += 1
            if self.limit is not None and self.kept > self.limit:
                raise WorkbookError(f"refused {self.where}: sheet {self.name} holds more than {self.limit:,} cells "
                                    "suanli would have to read; it is not a sheet suanli wrote")
        self.cells[cell.ref] = cell

    def _merge(self, ref: str) -> None:
        box = parse_range(ref)
        if box is None:
            return
        r1, c1, r2, c2 = box
        if self.every:
            self.merged.append(ref)
            return
        rows = self.wanted_rows
        k = bisect.bisect_left(rows, r1)
        while k < len(rows) and rows[k] <= r2:
            if any(c1 <= c <= c2 for c in self.wanted[rows[k]]):
                self.merged.append(ref)
                return
            k += 1


class Sheet:
    """One worksheet part, scanned for the cells asked about; edits are written by :meth:`write`.

    ``name`` is the sheet's name in the workbook, ``member`` its part in the archive and ``where``
    the file, for messages.  ``data`` is the part's bytes, or a function returning its bytes
    chunk by chunk (read again for each pass).  ``cells`` lists the A1 references to read (None:
    every cell, for small parts); ``keep`` also keeps each other cell it returns True for, at most
    ``limit`` of them.  :attr:`cells` maps each kept reference to its :class:`Cell`.
    """

    def __init__(self, name: str, member: str, data: bytes | Callable[[], Iterable[bytes]], where: str,
                 cells: Iterable[str] | None = None, keep: Callable[[Cell], bool] | None = None,
                 limit: int | None = None):
        self.name, self.member, self.where = name, member, where
        self._source = (lambda: [data]) if isinstance(data, (bytes, bytearray)) else data
        self._keep, self._limit = keep, limit
        self._edits: dict[str, tuple[str, object]] = {}
        self.changed = False
        self._scan(None if cells is None else {_plain(c) for c in cells})

    def _scan(self, refs: set[str] | None) -> None:
        self._refs = refs
        self._state = _SheetScan(self, refs, self._keep, self._limit).run(self._source())
        self.cells: dict[str, Cell] = self._state.cells

    def require(self, refs: Iterable[str]) -> None:
        """Make sure the cells ``refs`` were scanned (and the rows they are in), scanning again if not."""
        refs = {_plain(r) for r in refs}
        if self._refs is None and not self._keep:
            if all(parse_cell(r)[0] in self._state.rows or r in self.cells for r in refs):
                return
            self._scan(set(self.cells) | refs)
            return
        if self._refs is not None and refs <= self._refs:
            return
        self._scan((self._refs or set()) | set(self.cells) | refs)

    # reading -------------------------------------------------------------------------
    @property
    def protected(self) -> bool:
        """True when the sheet is protected (its locked cells cannot be edited)."""
        return self._state.protected

    @property
    def last_row(self) -> int:
        """The 0-based index of the last row the sheet holds, -1 when it has none."""
        return self._state.last_row

    def merged(self) -> list[str]:
        """The merged ranges (``A1:B2`` ...) that cover a cell asked about (every one, when every cell was)."""
        return list(self._state.merged)

    def has_formula(self, ref: str) -> bool:
        c = self.cells.get(ref)
        return c is not None and c.formula is not None

    def formula(self, ref: str) -> str | None:
        """The formula of the cell ``ref`` as a spreadsheet reads it (no leading ``=``; a shared formula
        worked out for this cell), or None when it holds none.  A formula that cannot be worked out
        (its first cell unknown) is returned as ``""``."""
        c = self.cells.get(ref)
        if c is None or c.formula is None:
            return None
        attrs = c.formula_attrs
        if attrs.get("t") == "shared" and not c.formula.strip():
            master = self._state.masters.get(attrs.get("si", ""))
            if master is None:
                return ""
            return _translate(master[1], master[0], ref) or ""
        return "" if c.cut else c.formula

    def rows(self, columns: int, shared: Sequence[str] | Mapping[int, str]) -> list[tuple[int, list]]:
        """``(row, [values of its first columns])`` for each row with a value in one of them, in order
        (among the cells kept)."""
        by_row: dict[int, dict[int, Cell]] = {}
        for c in self.cells.values():
            if c.col < columns:
                by_row.setdefault(c.row, {})[c.col] = c
        out = []
        for r in sorted(by_row):
            values = [self.value(xl_rowcol_to_cell(r, c), shared) if c in by_row[r] else None for c in range(columns)]
            if any(v is not None for v in values):
                out.append((r, values))
        return out

    def describe(self, ref: str, shared: Sequence[str] | Mapping[int, str]) -> str:
        """What the cell holds, for a message: ``is empty``, ``holds the number 3``, ``holds =42`` ..."""
        f = self.formula(ref)
        if f is not None:
            return f"holds the formula ={shorten(f.strip(), 60)}"
        v = self.value(ref, shared)
        if v is None:
            return "is empty"
        if isinstance(v, bool):
            return f"holds {'TRUE' if v else 'FALSE'}"
        if isinstance(v, float):
            return f"holds the number {show_value(v)}"
        if isinstance(v, ErrorValue):
            return f"holds the error value {v}"
        return f"holds the text {shorten(str(v))!r}"

    def value(self, ref: str, shared: Sequence[str] | Mapping[int, str]):
        """The cell's value as stored: a float, a bool, :class:`Text`, :class:`ErrorValue`,
        :class:`DateText`, :data:`FORMULA_WITHOUT_VALUE`, or None for an empty cell.

        A value no spreadsheet would store (a boolean other than 0 or 1, a number Python reads but
        a spreadsheet does not, a type Excel does not have) is refused, naming the cell.
        """
        c = self.cells.get(ref)
        if c is None:
            return None
        t = c.type
        if t not in CELL_TYPES:
            raise WorkbookError(f"corrupted xlsx: {self.where}: cell {self.name}!{ref} has the type {t!r}, which is "
                                f"none of the cell types a spreadsheet writes ({', '.join(CELL_TYPES)})")
        has_f = c.formula is not None
        if t == "inlineStr":
            if c.inline is None:
                return FORMULA_WITHOUT_VALUE if has_f else None
            return Text(c.inline)
        text = c.text
        if text is None or (text == "" and t != "str"):
            return FORMULA_WITHOUT_VALUE if has_f else None
        if t == "s":
            if not _INDEX.match(text):
                raise self._bad(ref, text, t)
            try:
                return Text(shared[int(text)])
            except (IndexError, KeyError):
                raise self._bad(ref, text, t) from None
        if t == "str":
            return Text(text)
        if t == "b":
            flag = text.strip(" \t\r\n")
            if flag not in ("0", "1"):
                raise WorkbookError(f"corrupted xlsx: {self.where}: cell {self.name}!{ref} holds {shorten(text)!r} "
                                    "as a boolean (a spreadsheet stores TRUE as 1 and FALSE as 0)")
            return flag == "1"
        if t == "e":
            return ErrorValue(text.strip())
        if t == "d":
            return DateText(text)
        if c.cut or not _NUMBER.match(text):
            raise self._bad(ref, text, "n (a number)")
        return float(text)

    def _bad(self, ref: str, text: str, t: str) -> WorkbookError:
        return WorkbookError(f"corrupted xlsx: {self.where}: cell {self.name}!{ref} holds {shorten(text)!r} as "
                             f"type {t}")

    # writing -------------------------------------------------------------------------
    def set_text(self, ref: str, text: str) -> None:
        """Write ``text`` as an inline string: text, never a formula, whatever it starts with."""
        ref = _plain(ref)
        self.require([ref])
        clean = _XML_BAD.sub("", text)
        c = self.cells.get(ref)
        if c is not None and c.formula is None and c.type in ("inlineStr", "str") and not c.cut \
                and (c.inline if c.type == "inlineStr" else c.text) == clean:
            return
        self._edits[ref] = ("text", clean)
        self.changed = True

    def set_cached(self, ref: str, value) -> None:
        """Replace the cached result of the formula cell ``ref`` (its formula kept as it is)."""
        ref = _plain(ref)
        c = self.cells[ref]
        if _cached_equal(c, value):
            self._edits.pop(ref, None)
            return
        self._edits[ref] = ("cached", value)
        self.changed = True

    def to_bytes(self) -> bytes:
        """The part's XML, with the edits."""
        buf = io.BytesIO()
        self.write(buf)
        return buf.getvalue()

    def write(self, out) -> None:
        """Write the part, with the edits, to the binary file object ``out``."""
        self.require(self._edits)
        _Cursor(self._source(), out.write).splice(self._ops())

    def _ops(self) -> list[tuple[int, int, bytes]]:
        st = self._state
        ops: list[tuple[int, int, bytes]] = []
        new_rows: dict[int, list[tuple[int, str]]] = {}
        into_rows: dict[int, list[tuple[int, str]]] = {}
        prefix = st.prefix_qname.rpartition(":")[0]

        def qname(local: str) -> str:
            return f"{prefix}:{local}" if prefix else local

        for ref, (kind, value) in self._edits.items():
            c = self.cells.get(ref)
            if c is not None:
                ops.extend(_cell_ops(c, kind, value, qname))
                continue
            r, col = parse_cell(ref)
            xml = _new_cell(qname, ref, kind, value)
            (into_rows if r in st.rows else new_rows).setdefault(r, []).append((col, xml))
        for r, cells in into_rows.items():
            ops.extend(_row_insert_ops(st.rows[r], sorted(cells), qname))
        if new_rows:
            ops.extend(self._new_row_ops(new_rows, qname))
        if into_rows or new_rows:
            added = [(r, col) for rows in (into_rows, new_rows) for r, cells in rows.items() for col, _ in cells]
            ops.extend(_dimension_ops(st.dimension, added))
        return ops

    def _new_row_ops(self, new_rows: dict[int, list[tuple[int, str]]], qname) -> list[tuple[int, int, bytes]]:
        st = self._state
        by_place: dict[int, list[str]] = {}
        for r in sorted(new_rows):
            cells = "".join(xml for _, xml in sorted(new_rows[r]))
            place = st.inserts.get(r, -1)
            by_place.setdefault(place, []).append(f'<{qname("row")} r="{r + 1}">{cells}</{qname("row")}>')
        ops = []
        sd = st.sheet_data
        for place, rows in by_place.items():
            data = "".join(rows)
            if place >= 0:
                ops.append((place, place, data.encode()))
            elif sd is None:
                at = st.anchor if st.anchor is not None else st.root.end_tag
                ops.append((at, at, f"<{qname('sheetData')}>{data}</{qname('sheetData')}>".encode()))
            elif sd.content == sd.end_tag:                  # <sheetData/>, or no rows in it
                tag = _start_tag(sd.qname, sd.attrs.items(), sd.decls)
                ops.append((sd.start, sd.end, f"{tag}{data}</{sd.qname}>".encode()))
            else:
                ops.append((sd.end_tag, sd.end_tag, data.encode()))
        return ops


def _plain(ref: str) -> str:
    r, c = parse_cell(ref.replace("$", "") if "$" in ref else ref)
    return xl_rowcol_to_cell(r, c)


def _cached_equal(c: Cell, value) -> bool:
    """True when the cell already caches ``value`` as :meth:`Sheet.set_cached` would write it."""
    if c.cut or any(k in ("is",) for k, _ in c.children):
        return False
    t, text = c.type, c.text
    if value is None:
        return text is None and t == "n"
    if text is None:
        return False
    if isinstance(value, bool):
        return t == "b" and text == ("1" if value else "0")
    if isinstance(value, str):
        return t == "str" and text == _XML_BAD.sub("", value)
    if not math.isfinite(value):
        return t == "e" and text == ("#NUM!" if math.isnan(value) else "#DIV/0!")
    if t != "n" or not _NUMBER.match(text):
        return False
    return float(text) == float(value)


def _value_xml(kind: str, value, qname) -> tuple[str | None, str]:
    """(the cell's new ``t``, its value element) for a cached result or a text."""
    if kind == "text":
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return "inlineStr", f"<{qname('is')}><{qname('t')}{space}>{_escape_text(value)}</{qname('t')}></{qname('is')}>"
    if value is None:
        return None, ""
    if isinstance(value, bool):
        t, text = "b", "1" if value else "0"
    elif isinstance(value, str):
        t, text = "str", _escape_text(value)
    elif not math.isfinite(value):
        t, text = "e", "#NUM!" if math.isnan(value) else "#DIV/0!"
    else:
        t, text = None, repr(float(value))
    return t, f"<{qname('v')}>{text}</{qname('v')}>"


def _new_cell(qname, ref: str, kind: str, value) -> str:
    t, inner = _value_xml(kind, value, qname)
    attrs = [("r", ref)] + ([("t", t)] if t else [])
    return _start_tag(qname("c"), attrs) + inner + f"</{qname('c')}>"


def _cell_ops(c: Cell, kind: str, value, qname) -> list[tuple[int, int, bytes]]:
    """Spans to replace so that the cell holds the text, or the cached result (its <f> and <extLst> kept)."""
    t, inner = _value_xml(kind, value, qname)
    attrs = [(k, v) for k, v in c.node.attrs.items() if k != "t"]
    if t:
        attrs.append(("t", t))
    tag = _start_tag(c.node.qname, attrs, c.node.decls)
    keep = ("extLst",) if kind == "text" else ("f", "extLst")
    if not c.children:
        return [(c.node.start, c.node.end, f"{tag}{inner}</{c.node.qname}>".encode())]
    ops = [(c.node.start, c.node.content, tag.encode())]
    kept_f = next((n for k, n in c.children if k == "f"), None) if kind != "text" else None
    ext = next((n for k, n in c.children if k == "extLst"), None)
    if kept_f is not None:
        at = kept_f.end
    elif ext is not None:
        at = ext.start
    else:
        at = c.node.end_tag
    ops.append((at, at, inner.encode()))
    for k, node in c.children:
        if k not in keep:
            ops.append((node.start, node.end, b""))
    return ops


def _row_insert_ops(row: _Row, cells: list[tuple[int, str]], qname) -> list[tuple[int, int, bytes]]:
    node = row.node
    attrs = [(k, v) for k, v in node.attrs.items() if k != "spans"]   # an optional hint; dropped rather than left wrong
    tag = _start_tag(node.qname, attrs, node.decls)
    if not row.cells and node.content == node.end_tag:
        body = "".join(xml for _, xml in cells)
        return [(node.start, node.end, f"{tag}{body}</{node.qname}>".encode())]
    ops = [(node.start, node.content, tag.encode())] if "spans" in node.attrs else []
    columns = [c for c, _ in row.cells]
    for col, xml in cells:
        k = bisect.bisect_right(columns, col)
        at = row.cells[k][1] if k < len(row.cells) else node.end_tag
        ops.append((at, at, xml.encode()))
    return ops


def _dimension_ops(dim: _Node | None, added: list[tuple[int, int]]) -> list[tuple[int, int, bytes]]:
    if dim is None:
        return []
    box = parse_range(dim.attrs.get("ref", "") or "A1")
    if box is None:
        return []
    r1, c1, r2, c2 = box
    for r, c in added:
        r1, c1, r2, c2 = min(r1, r), min(c1, c), max(r2, r), max(c2, c)
    attrs = dict(dim.attrs)
    attrs["ref"] = _cell_range(r1, c1, r2, c2)
    if dim.content == dim.end_tag:
        return [(dim.start, dim.end, _start_tag(dim.qname, attrs.items(), dim.decls, empty=True).encode())]
    return [(dim.start, dim.content, _start_tag(dim.qname, attrs.items(), dim.decls).encode())]


# ------------------------------------------------------------------ the workbook part
class _WorkbookScan(_Scan):
    """xl/workbook.xml: its sheets, where calcPr is (or would go), and the defined names asked about."""

    editable = True
    _AFTER_CALC = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                   "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")

    def __init__(self, member: str, where: str, names: set[str] | None = None, limit: int = safety.MAX_MEMBERS):
        super().__init__(member, where)
        self.names_wanted, self.limit = names, limit
        self.root: _Node | None = None
        self.sheets: list[tuple[str, str | None, str | None]] = []     # (name, relationship id, state)
        self.calc: _Node | None = None
        self.anchor: int | None = None
        self.names: list[tuple[str, str | None, str]] = []          # (name, localSheetId, text)
        self._name: tuple[str, str | None] | None = None
        self.strict = False

    def start(self, ns, local, qname, attrs, decls, i, depth) -> None:
        if depth == 0:
            if ns == STRICT_NS and local == "workbook":
                raise WorkbookError(f"{self.where} is saved as Strict Open XML; save it as an Excel Workbook (.xlsx) "
                                    "and try again")
            if ns != MAIN_NS or local != "workbook":
                raise WorkbookError(f"not an xlsx: {self.where}: xl/workbook.xml is not a workbook")
            self.root = _Node(i, qname, attrs, decls)
            return
        if ns != MAIN_NS:
            return
        if depth == 2 and local == "sheet":
            if len(self.sheets) >= self.limit:
                raise WorkbookError(f"refused {self.where}: xl/workbook.xml lists more than {self.limit:,} sheets")
            self.sheets.append((attrs.get("name", ""), _prefixed(attrs, REL_NS, "id"), attrs.get("state")))
        elif depth == 1 and local == "calcPr":
            self.calc = self.node(qname, attrs, decls, i)
        elif depth == 1 and local in self._AFTER_CALC and self.anchor is None:
            self.anchor = i
        elif depth == 2 and local == "definedName" and self.names_wanted is not None:
            name = attrs.get("name", "")
            if name.lower() in self.names_wanted:
                self._name = (name, attrs.get("localSheetId"))
                self.collect()

    def end(self, ns, local, i, depth) -> None:
        if depth == 0 and self.root is not None:
            self.root.end_tag = i
        elif depth == 1 and local == "calcPr" and self.calc is not None and self.calc.end_tag < 0:
            self.close(self.calc, i)
        elif depth == 2 and local == "definedName" and self._name is not None:
            text, cut = self.collected()
            self.names.append((self._name[0], self._name[1], text if not cut else ""))
            self._name = None


def _prefixed(attrs: dict, ns: str, local: str) -> str | None:
    """An attribute in namespace ``ns`` whatever its prefix (expat names it ``"URI LOCAL PREFIX"``)."""
    head = f"{ns} {local}"
    for k, v in attrs.items():
        if k == head or k.startswith(head + " "):
            return v
    return None


class _RelsScan(_Scan):
    def __init__(self, member: str, where: str, wanted: set[str]):
        super().__init__(member, where)
        self.wanted = wanted
        self.found: dict[str, tuple[str, str]] = {}
        self.shared: str | None = None

    def start(self, ns, local, qname, attrs, decls, i, depth) -> None:
        if depth != 1 or local != "Relationship" or ns != PKG_REL_NS or attrs.get("TargetMode") == "External":
            return
        rid, kind, target = attrs.get("Id"), attrs.get("Type", ""), attrs.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if rid in self.wanted and rid not in self.found:
            self.found[rid] = (path, kind)
        if kind.endswith("/sharedStrings") and self.shared is None:
            self.shared = path

    def end(self, ns, local, i, depth) -> None:
        pass


class _StringsScan(_Scan):
    """The shared strings at the indices asked for (phonetic runs left out)."""

    def __init__(self, member: str, where: str, wanted: set[int]):
        super().__init__(member, where)
        self.wanted = wanted
        self.found: dict[int, str] = {}
        self.count = 0
        self._index = -1
        self._parts: list[str] | None = None
        self._phonetic = False

    def start(self, ns, local, qname, attrs, decls, i, depth) -> None:
        if ns != MAIN_NS:
            return
        if depth == 1 and local == "si":
            self._index = self.count
            self.count += 1
            self._parts = [] if self._index in self.wanted else None
        elif self._parts is not None and local == "rPh" and depth == 2:
            self._phonetic = True
        elif self._parts is not None and local == "t" and not self._phonetic and depth in (2, 3):
            self.collect()

    def end(self, ns, local, i, depth) -> None:
        if ns != MAIN_NS or self._parts is None:
            return
        if local == "t" and self._text is not None:
            self._parts.append(self.collected()[0])
        elif local == "rPh" and depth == 2:
            self._phonetic = False
        elif depth == 1 and local == "si":
            self.found[self._index] = "".join(self._parts)[:TEXT_LIMIT]
            self._parts = None


class SharedStrings:
    """The workbook's shared strings, read on demand: ``strings[i]`` is the text of index ``i``.

    :meth:`want` registers indices that will be read; the first lookup of an index not read yet
    reads every registered one in one pass over the part, keeping only those.
    """

    def __init__(self, zf: zipfile.ZipFile | None, member: str | None, where: str):
        self.zf, self.member, self.where = zf, member, where
        self._found: dict[int, str] = {}
        self._wanted: set[int] = set()
        self.count: int | None = None

    def want(self, indices: Iterable[int]) -> None:
        self._wanted.update(i for i in indices if i not in self._found)

    def __getitem__(self, i: int) -> str:
        if i in self._found:
            return self._found[i]
        if self.count is not None and i >= self.count:
            raise IndexError(i)
        self._wanted.add(i)
        if self.zf is None or self.member is None or self.member not in self.zf.namelist():
            self.count = 0
            raise IndexError(i)
        scan = _StringsScan(self.member, self.where, self._wanted)
        scan.run(safety.member_chunks(self.zf, self.member, self.where))
        self._found.update(scan.found)
        self.count = scan.count
        self._wanted = set()
        if i not in self._found:
            raise IndexError(i)
        return self._found[i]

    def __len__(self) -> int:
        if self.count is None:
            try:
                self[0]
            except IndexError:
                pass
        return self.count or 0


class Book:
    """The parts of an open xlsx archive that say what it holds: sheets, defined names, shared strings.

    ``sheets`` maps each worksheet's name to its part; ``sheet_order`` lists every sheet's name in
    order (as ``localSheetId`` counts them); :meth:`sheet` scans a worksheet on first use;
    :meth:`defined_names` reads the names asked about; :attr:`shared` the shared strings.
    """

    def __init__(self, zf: zipfile.ZipFile, where: str):
        self.zf, self.where = zf, where
        if "xl/workbook.xml" not in zf.namelist():
            raise WorkbookError(f"not an xlsx: {where} has no xl/workbook.xml")
        scan = _WorkbookScan("xl/workbook.xml", where).run(self._chunks("xl/workbook.xml"))
        self._calc = scan
        rels_member = "xl/_rels/workbook.xml.rels"
        if rels_member not in zf.namelist():
            raise WorkbookError(f"not an xlsx: {where} has no {rels_member}")
        rels = _RelsScan(rels_member, where, {rid for _, rid, _ in scan.sheets if rid}).run(self._chunks(rels_member))
        self.sheets: dict[str, str] = {}
        self.sheet_order: list[str] = []
        seen: dict[str, str] = {}
        for name, rid, _state in scan.sheets:
            if name.lower() in seen:
                raise WorkbookError(f"corrupted xlsx: {where} has two sheets named {seen[name.lower()]!r} and "
                                    f"{name!r}")
            seen[name.lower()] = name
            self.sheet_order.append(name)
            target = rels.found.get(rid, (None, None))
            if target[1] is not None and target[1].endswith("/worksheet"):
                self.sheets[name] = target[0]
        self.shared_member = rels.shared
        self.shared = SharedStrings(zf, self.shared_member, where)
        self._sheets: dict[str, Sheet] = {}

    def _chunks(self, member: str) -> Iterator[bytes]:
        return safety.member_chunks(self.zf, member, self.where)

    def defined_names(self, names: Iterable[str]) -> dict[str, list[tuple[str | None, str, str]]]:
        """The defined names matching ``names`` (as Excel matches them, ignoring case):
        ``{name asked: [(sheet the name belongs to, or None for the workbook; the name as written; what it
        refers to)]}``, in the file's order."""
        asked = {n.lower(): n for n in names}
        scan = _WorkbookScan("xl/workbook.xml", self.where, set(asked)).run(self._chunks("xl/workbook.xml"))
        out: dict[str, list[tuple[str | None, str, str]]] = {n: [] for n in asked.values()}
        for name, local, text in scan.names:
            scope = None
            if local is not None:
                try:
                    scope = self.sheet_order[int(local)]
                except (ValueError, IndexError):
                    scope = f"#{local}"
            out[asked[name.lower()]].append((scope, name, text))
        return out

    def sheet(self, name: str, what: str = "", cells: Iterable[str] | None = None,
              keep: Callable[[Cell], bool] | None = None, limit: int | None = None) -> Sheet:
        """The worksheet called ``name``, scanned for ``cells`` (and what ``keep`` keeps; see :class:`Sheet`);
        a missing one is refused, ``what`` naming it in the message."""
        sheet = self._sheets.get(name)
        if sheet is None:
            member = self.sheets.get(name)
            if member is None or member not in self.zf.namelist():
                raise WorkbookError(f"{self.where}: the {what or 'sheet'} {name} is missing (renamed or deleted?); "
                                    "restore it, or rebuild the workbook")
            sheet = Sheet(name, member, lambda: self._chunks(member), self.where, cells, keep, limit)
            self._sheets[name] = sheet
        elif cells is not None:
            sheet.require(cells)
        self.shared.want(int(c.text) for c in sheet.cells.values()
                         if c.type == "s" and c.text is not None and _INDEX.match(c.text))
        return sheet

    def full_calc_on_load(self) -> Callable[[object], None]:
        """A writer of xl/workbook.xml with ``<calcPr fullCalcOnLoad="1"/>`` (added, or set on the one there)."""
        ops = _calc_ops(self._calc)
        return lambda out: _Cursor(self._chunks("xl/workbook.xml"), out.write).splice(ops)


def _calc_ops(scan: _WorkbookScan) -> list[tuple[int, int, bytes]]:
    calc = scan.calc
    if calc is not None:
        attrs = dict(calc.attrs)
        attrs["fullCalcOnLoad"] = "1"
        if calc.content == calc.end_tag:
            return [(calc.start, calc.end, _start_tag(calc.qname, attrs.items(), calc.decls, empty=True).encode())]
        return [(calc.start, calc.content, _start_tag(calc.qname, attrs.items(), calc.decls).encode())]
    prefix = scan.root.qname.rpartition(":")[0]
    tag = f'<{prefix + ":" if prefix else ""}calcPr fullCalcOnLoad="1"/>'.encode()
    at = scan.anchor if scan.anchor is not None else scan.root.end_tag
    return [(at, at, tag)]


def full_calc_on_load(data: bytes, where: str) -> bytes:
    """xl/workbook.xml (its bytes) with ``<calcPr fullCalcOnLoad="1"/>`` (added, or set on the one there)."""
    scan = _WorkbookScan("xl/workbook.xml", where).run([data])
    buf = io.BytesIO()
    _Cursor([data], buf.write).splice(_calc_ops(scan))
    return buf.getvalue()


# ------------------------------------------------------------------ the package
def write_package(zf: zipfile.ZipFile, replaced: Mapping[str, bytes | Callable[[object], None]], path,
                  where: str) -> None:
    """Write to ``path`` a copy of the archive ``zf`` with the members in ``replaced`` swapped for new
    content: bytes, or a function writing them to a binary file object.

    Every other member is copied unchanged, with its name, date, attributes and comment; a damaged
    one fails as such (:class:`WorkbookError`), a write error stays an :class:`OSError`.
    """
    with open(path, "wb") as raw:
        with signals_held():          # an interrupt inside ZipFile() would leave a half-made object whose
            zout = zipfile.ZipFile(raw, "w")   # finaliser fails noisily
        try:
            zout.comment = zf.comment
            for info in zf.infolist():
                new = _copy_info(info)
                if info.filename in replaced:
                    content = replaced[info.filename]
                    if isinstance(content, (bytes, bytearray)):
                        zout.writestr(new, content)
                    else:
                        with zout.open(new, "w") as fout:
                            content(fout)
                elif info.is_dir():
                    zout.writestr(new, b"")
                else:
                    _copy_member(zf, info, zout, new, where)
        except BaseException:
            # Abandon the half-written archive (the caller removes it) without writing its central
            # directory: an interrupt that lands while a member's handle is being opened would
            # otherwise make ZipFile.close() raise "open writing handle" and hide the interrupt.
            zout.fp = None
            raise
        zout.close()


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
