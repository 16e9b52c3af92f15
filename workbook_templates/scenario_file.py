"""Reading a scenario file: the CSV or XLSX table ``suanli batch`` builds one workbook per row of.

A CSV is read as UTF-8 (with or without a byte-order mark), UTF-16 or UTF-32 (with a mark, or
UTF-16 recognised by its zero bytes) or GB18030 (which includes GBK, what Excel in a Chinese
locale saves as "CSV"), whichever the bytes are, or in the encoding the caller names.  Its
delimiter is the comma, the semicolon or the tab, whichever splits the header line into a
``name`` column (Excel's ``sep=;`` first line is honoured).  An XLSX's first worksheet is read
from its XML, streamed, with the hostile-file guard of :mod:`.safety`; a formula cell is read as
its saved value, and one saved without a value (as openpyxl and pandas write formulas) is
refused, naming the cell, rather than taken as empty.

Every problem with the file as a whole (its encoding, an oversized field, a duplicate column,
no header, a damaged workbook) is one :class:`ScenarioFileError` naming the file and the line,
column or cell; a problem with one cell is kept with its row and reported when the row is used.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from engine.errors import InvalidValueError, TextError

__all__ = ["ScenarioRow", "ScenarioFileError", "CellError", "Unusable", "read_scenarios", "column_letter",
           "decode", "header_key"]

#: A header that names an input, or one column of it: ``mm_dau`` or ``mm_dau[2025E]``.
KEY_COLUMN = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[\s*([^\]]+?)\s*\])?\s*$")

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DELIMITERS = (",", ";", "\t")


class ScenarioFileError(TextError, ValueError):
    """A scenario file that cannot be read as it is: one line naming the file and where in it."""

    def __init__(self, text: str):
        super().__init__("SCENARIOS", text)


class CellError(TextError, ValueError):
    """One cell of a scenario file that holds no usable value (a formula saved without its value,
    an error value); ``name`` is the input key of its column."""


@dataclass(frozen=True)
class Unusable:
    """A cell read from an XLSX that holds no value to use, and why (``problem`` names the cell)."""

    problem: str


@dataclass
class ScenarioRow:
    """One row of the scenario file: its number (as a spreadsheet counts, header = 1), name and values."""

    number: int
    name: str
    values: dict[str, object] = field(default_factory=dict)      # header -> raw cell
    error: str | None = None


def column_letter(index: int) -> str:
    """The spreadsheet letters of a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def header_key(header: str) -> str:
    """The identity of a header, for finding a column given twice: ``mm_dau [ 2025E ]`` is ``mm_dau[2025E]``."""
    m = KEY_COLUMN.match(header)
    if not m:
        return header.strip()
    return m.group(1) if m.group(2) is None else f"{m.group(1)}[{m.group(2)}]"


def read_scenarios(path: str | os.PathLike, encoding: str | None = None) -> list[ScenarioRow]:
    """The rows of a CSV or XLSX scenario file (the first worksheet of an XLSX), in order.

    ``encoding`` names a CSV's encoding (any Python codec); None detects it.  A row whose name is
    empty, repeats an earlier row's or cannot be read carries its ``error``; the others carry
    their non-empty cells by header.
    """
    p = Path(path)
    if not p.is_file():
        raise InvalidValueError("SCENARIOS", str(p), "must be an existing .csv or .xlsx file")
    suffix = p.suffix.lower()
    if suffix == ".csv":
        table = _csv_table(p, encoding)
    elif suffix in (".xlsx", ".xlsm"):
        if encoding is not None:
            raise InvalidValueError("encoding", encoding, "applies to a CSV scenario file only",
                                    f"{p.name} is a workbook")
        table = _xlsx_table(p)
    else:
        raise InvalidValueError("SCENARIOS", p.name, "must be a .csv or .xlsx file")
    header_at = next((i for i, (_, cells) in enumerate(table) if any(_filled(c) for c in cells)), None)
    if header_at is None:
        raise InvalidValueError("SCENARIOS", p.name, "needs a header row with a 'name' column",
                                "the file is empty")
    header_number, header_cells = table[header_at]
    header = _header(p.name, header_number, header_cells)
    if "name" not in header.values():
        raise InvalidValueError("SCENARIOS", p.name, "needs a 'name' column in its header row")
    _no_headerless_values(p.name, header, table[header_at + 1:])
    name_at = next(i for i, h in header.items() if h == "name")
    rows = []
    for number, cells in table[header_at + 1:]:
        values = {i: c for i, c in enumerate(cells) if _filled(c)}
        if not values:
            continue
        name = values.get(name_at)
        row = ScenarioRow(number, _name_text(name))
        for i, h in header.items():
            if h != "name" and i in values:
                row.values[h] = values[i]
        if isinstance(name, Unusable):
            row.error = f"row {number}: {name.problem}"
        elif not row.name:
            row.error = f"row {number}: name is empty"
        rows.append(row)
    seen: dict[str, int] = {}
    for row in rows:
        if row.error is None and row.name in seen:
            row.error = f"row {row.number}: name {row.name!r} repeats row {seen[row.name]}"
        if row.error is None:
            seen.setdefault(row.name, row.number)
    return rows


def _filled(cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and cell.strip() == "")


def _name_text(cell) -> str:
    if cell is None or isinstance(cell, Unusable):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _header(file: str, number: int, cells: list) -> dict[int, str]:
    """Column index -> header text, for the columns with a header; a header given twice, or one that
    holds no text, is refused."""
    header: dict[int, str] = {}
    first: dict[str, int] = {}
    for i, cell in enumerate(cells):
        if isinstance(cell, Unusable):
            raise ScenarioFileError(f"{file}: the header {cell.problem}")
        if not _filled(cell):
            continue
        text = _name_text(cell)
        key = header_key(text)
        if key in first:
            raise ScenarioFileError(f"{file} row {number}: column {key} appears twice (columns "
                                    f"{column_letter(first[key])} and {column_letter(i)}); keep one")
        first[key] = i
        header[i] = text
    return header


def _no_headerless_values(file: str, header: dict[int, str], body: list[tuple[int, list]]) -> None:
    for number, cells in body:
        for i, cell in enumerate(cells):
            if i not in header and _filled(cell):
                raise ScenarioFileError(f"{file}: column {column_letter(i)} has a value in row {number} but no "
                                        "header; name the input it sets in the header row, or delete the column")


# ------------------------------------------------------------------ CSV
def _csv_table(p: Path, encoding: str | None) -> list[tuple[int, list]]:
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ScenarioFileError(f"cannot read {p}: {exc.strerror or exc}") from None
    text = decode(data, p.name, encoding)
    delimiter, skipped = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = []
    try:
        for i, record in enumerate(reader, start=1):
            if i > skipped:
                table.append((i - skipped, record))
    except csv.Error as exc:
        reason = str(exc)
        if "field larger than field limit" in reason:
            reason = (f"a field is longer than {csv.field_size_limit():,} characters, too long for a scenario "
                      "name or value (is a quote left open?)")
        raise ScenarioFileError(f"{p.name} line {reader.line_num}: {reason}") from None
    return table


def decode(data: bytes, file: str, encoding: str | None = None) -> str:
    """The text of a CSV file's bytes: in ``encoding`` when given, else by its byte-order mark, else
    UTF-16 recognised by its zero bytes, else UTF-8, else GB18030 (a byte-order mark is dropped)."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InvalidValueError("encoding", encoding, "must be an encoding Python knows",
                                    "utf-8, utf-8-sig, utf-16, gb18030, gbk, big5, cp1252 ...") from None
        return _strict(data, file, encoding, f"is the file {encoding}? name its encoding with --encoding")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, file, codec, f"it begins with a {codec.upper()} byte-order mark")
    utf16 = _bomless_utf16(data)
    if utf16:
        return _strict(data, file, utf16, "it looks like UTF-16 without a byte-order mark; name its encoding "
                                          "with --encoding")
    try:
        return data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("gb18030").lstrip("\ufeff")
    except UnicodeDecodeError:
        pass
    line = data[:utf8_error.start].count(b"\n") + 1
    byte = data[utf8_error.start]
    raise ScenarioFileError(f"{file} line {line}: byte 0x{byte:02x} is neither UTF-8 nor GB18030 (GBK); save the "
                            "file in Excel as \"CSV UTF-8\", or name its encoding with --encoding")


def _strict(data: bytes, file: str, codec: str, hint: str) -> str:
    try:
        return data.decode(codec).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].decode(codec, errors="replace").count("\n") + 1
        raise ScenarioFileError(f"{file} line {line}: not valid {codec} text ({exc.reason}); {hint}") from None


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when most of the first kilobyte's odd (or even) bytes are zero,
    as in UTF-16 text of Latin letters; None otherwise."""
    head = data[:1024]
    if len(head) < 4 or len(head) % 2:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    pairs = len(head) // 2
    if odd > 0.4 * pairs and even == 0:
        return "utf-16-le"
    if even > 0.4 * pairs and odd == 0:
        return "utf-16-be"
    return None


def _delimiter(text: str) -> tuple[str, int]:
    """The delimiter, and how many records precede the header's (1 after Excel's ``sep=X`` line)."""
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    hint = re.fullmatch(r'\s*"?sep=(.)"?\s*', first)
    if hint:
        return hint.group(1), 1
    best, best_score = ",", (False, 0)
    for d in _DELIMITERS:
        try:
            fields = next(csv.reader([first], delimiter=d), [])
        except csv.Error:
            continue
        score = ("name" in (f.strip() for f in fields), len(fields))
        if score > best_score:
            best, best_score = d, score
    return best, 0


# ------------------------------------------------------------------ XLSX
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
_REL_TYPES = {"worksheet": "/worksheet", "strings": "/sharedStrings"}
_MAX_COLUMNS = 16_384


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(elem, local: str) -> str | None:
    for k, v in elem.attrib.items():
        if _local(k) == local:
            return v
    return None


def _xlsx_table(p: Path) -> list[tuple[int, list]]:
    """The first worksheet's rows as ``(row number, cells)``, each cell None, a number, a bool,
    text or :class:`Unusable`."""
    from .safety import WorkbookError, open_checked

    where = p.name
    with open_checked(p) as zf:
        rels = _relationships(zf, where)
        sheet_name, sheet_part = None, None
        for _, elem in _stream(zf, "xl/workbook.xml", where):
            if _local(elem.tag) != "sheet":
                continue
            target = rels.get(_attr(elem, "id") or "")
            if target and target[0].endswith(_REL_TYPES["worksheet"]):
                sheet_name, sheet_part = elem.get("name") or "Sheet1", target[1]
                break
        if sheet_part is None:
            raise WorkbookError(f"{where} has no worksheet: put the scenarios in its first sheet")
        strings_part = next((t for kind, t in rels.values() if kind.endswith(_REL_TYPES["strings"])), None)
        strings = _shared_strings(zf, strings_part, where) if strings_part else []
        if not re.fullmatch(r"\w+", sheet_name):
            sheet_name = "'" + sheet_name.replace("'", "''") + "'"
        return _sheet_rows(zf, sheet_part, f"{where} {sheet_name}", strings)


def _relationships(zf: zipfile.ZipFile, where: str) -> dict[str, tuple[str, str]]:
    """The workbook's relationships: id -> (type, member name)."""
    out = {}
    for _, rel in _stream(zf, "xl/_rels/workbook.xml.rels", where):
        if _local(rel.tag) == "Relationship" and rel.get("Id") and rel.get("Target"):
            target = rel.get("Target")
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            out[rel.get("Id")] = (rel.get("Type") or "", _normal(path))
    return out


def _normal(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _stream(zf: zipfile.ZipFile, member: str, where: str, events=("end",)):
    """``(event, element)`` pairs of a member's XML, parsed as it is inflated: no DTDs, no entities."""
    import defusedxml
    import defusedxml.ElementTree as SafeET

    from .safety import WorkbookError, reading

    try:
        info = zf.getinfo(member)
    except KeyError:
        raise WorkbookError(f"not an xlsx: {where} has no {member}") from None
    with reading(where, member):
        with zf.open(info) as fh:
            try:
                yield from SafeET.iterparse(fh, events=events, forbid_dtd=True)
            except defusedxml.DefusedXmlException as exc:
                raise WorkbookError(f"refused {where}: member {member} declares a DTD or entities "
                                    f"({type(exc).__name__})") from None
            except SafeET.ParseError as exc:
                raise WorkbookError(f"corrupted xlsx: {where}: member {member} is not well-formed XML ({exc})") \
                    from None


def _shared_strings(zf: zipfile.ZipFile, member: str, where: str) -> list[str]:
    out: list[str] = []
    parts: list[str] = []
    phonetic = 0
    for event, elem in _stream(zf, member, where, ("start", "end")):
        tag = _local(elem.tag)
        if tag == "rPh":
            phonetic += 1 if event == "start" else -1
        elif event == "end" and tag == "t" and not phonetic:
            parts.append(elem.text or "")
        elif event == "end" and tag == "si":
            out.append("".join(parts))
            parts = []
            elem.clear()
    return out


def _sheet_rows(zf: zipfile.ZipFile, member: str, where: str, strings: list[str]) -> list[tuple[int, list]]:
    from .safety import WorkbookError

    rows: list[tuple[int, list]] = []
    row_number, column = 0, -1
    cells: dict[int, object] = {}
    for event, elem in _stream(zf, member, where, ("start", "end")):
        tag = _local(elem.tag)
        if tag == "row" and event == "start":
            r = elem.get("r")
            if r is None:
                row_number += 1
            elif r.isdigit() and 0 < int(r) <= 1_048_576:
                row_number = int(r)
            else:
                raise WorkbookError(f"corrupted xlsx: {where}: a row is numbered {r!r}, not a row number")
            column, cells = -1, {}
        elif tag == "c" and event == "end":
            ref = elem.get("r")
            if ref is None:
                column += 1
            else:
                m = _CELL_REF.match(ref)
                if not m or int(m.group(2)) != row_number:
                    raise WorkbookError(f"corrupted xlsx: {where}: row {row_number} holds a cell at {ref!r}, "
                                        "which is not a cell of that row")
                column = _column_index(m.group(1))
            if column >= _MAX_COLUMNS:
                raise WorkbookError(f"corrupted xlsx: {where}: cell {ref} is past the last column, XFD")
            value = _cell(elem, f"{where}!{column_letter(column)}{row_number}", strings)
            if value is not None:
                cells[column] = value
            elem.clear()
        elif tag == "row" and event == "end":
            if cells:
                rows.append((row_number, [cells.get(i) for i in range(max(cells) + 1)]))
            elem.clear()
    return rows


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _cell(elem, ref: str, strings: list[str]):
    """A cell's value as a spreadsheet shows it: None for an empty cell."""
    kind = elem.get("t") or "n"
    v = f = inline = None
    for child in elem:
        tag = _local(child.tag)
        if tag == "v":
            v = child.text
        elif tag == "f":
            f = child
        elif tag == "is":
            inline = "".join(t.text or "" for t in child.iter() if _local(t.tag) == "t")
    if kind == "inlineStr":
        return inline
    if f is not None and (v is None or (v == "" and kind != "str")):
        formula = f"={f.text}" if f.text else "a shared formula"
        return Unusable(f"{ref} holds the formula {formula} with no saved value: open and save the file in "
                        "Excel, or type the value")
    if v is None:
        return None
    if kind == "s":
        try:
            return strings[int(v)]
        except (ValueError, IndexError):
            return Unusable(f"{ref} points at shared string {v!r}, which the workbook does not have")
    if kind == "b":
        return v.strip() in ("1", "true")
    if kind == "e":
        return Unusable(f"{ref} holds the error {v}")
    if kind in ("str", "d"):
        return v
    text = v.strip()
    try:
        number = float(text)
    except ValueError:
        return Unusable(f"{ref} holds {text!r} stored as a number, which it is not")
    return int(number) if re.fullmatch(r"[-+]?[0-9]+", text) else number
