"""Opening a workbook someone hands back, without trusting it.

An ``.xlsx`` is a zip of XML parts.  Before anything is inflated, :func:`open_checked`
looks at the archive's headers and refuses what is not a workbook or could hurt the machine
reading it:

* not a file, not a zip (a text file renamed ``.xlsx``), a password-protected workbook or a
  legacy ``.xls`` (both are OLE files, not zips), a damaged or truncated zip;
* a zip without ``[Content_Types].xml`` or ``xl/workbook.xml``;
* more than :data:`MAX_MEMBERS` members (counted from the end-of-archive record, before the
  member list is even read);
* a member that would inflate beyond :data:`MAX_MEMBER_BYTES`, members that together inflate
  beyond :data:`MAX_TOTAL_BYTES`, a member that inflates more than :data:`MAX_RATIO` times its
  compressed size (a zip bomb; members that inflate to less than :data:`RATIO_GRACE_BYTES` are
  exempt, as tiny parts of repeated markup legitimately compress that well);
* encrypted members, and member names that could escape a folder (``..``, absolute paths,
  drive letters, backslashes) or appear twice.

Every limit is read from the zip's headers; reading a member is bounded by the size its
header declares (``zipfile`` stops there) and a member whose content does not match its CRC
fails as a damaged workbook.  XML is parsed with ``defusedxml``: no DTDs, no entities, no
external references; :func:`member_chunks`, :func:`xml_parser` and :func:`feed` parse a part
as a stream, a chunk at a time, with the same refusals, so that no part is held whole.  The file
is opened once: what is checked is what is read.  Every refusal is a :class:`WorkbookError`: one
line, shown by the command line with exit status 2.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as SafeET
import defusedxml.minidom as SafeDOM

from engine.errors import SuanliError, TextError

__all__ = ["WorkbookError", "open_checked", "check_members", "read_member", "parse_xml", "parse_dom",
           "reading", "member_chunks", "xml_parser", "feed",
           "MAX_MEMBERS", "MAX_MEMBER_BYTES", "MAX_TOTAL_BYTES", "MAX_RATIO", "RATIO_GRACE_BYTES"]

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200
RATIO_GRACE_BYTES = 1024 * 1024
REQUIRED = ("[Content_Types].xml", "xl/workbook.xml")

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class WorkbookError(TextError, ValueError):
    """A workbook that cannot be used as it is: the message says what and, where it can, what to do."""

    def __init__(self, text: str):
        super().__init__("workbook", text)


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MiB" if n >= 1024 * 1024 else f"{n:,} bytes"


def open_checked(path: str | os.PathLike) -> zipfile.ZipFile:
    """The workbook at ``path`` as an open :class:`zipfile.ZipFile`, after every check above.

    Nothing is inflated here.  Use it as a context manager; read members with
    :func:`read_member` so that a damaged member fails as one clear message.
    """
    p = Path(path)
    try:
        if not stat.S_ISREG(os.stat(p).st_mode):      # before opening: opening a pipe would wait for a writer
            raise WorkbookError(f"not an xlsx: {p} is not a file")
        fh = p.open("rb")
    except FileNotFoundError:
        raise WorkbookError(f"not an xlsx: {p} does not exist") from None
    except OSError as exc:
        raise WorkbookError(f"cannot read {p}: {exc.strerror or exc}") from None
    try:
        return _open_checked(fh, p)
    except BaseException:
        fh.close()
        raise


class _OwningZipFile(zipfile.ZipFile):
    """A :class:`zipfile.ZipFile` that closes the file object it reads when it is closed."""

    def __init__(self, fh):
        self._owned = fh
        super().__init__(fh)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._owned.close()


def _open_checked(fh, p: Path) -> zipfile.ZipFile:
    """The checks of :func:`open_checked` on ``fh``: the one open file, so what is checked is what is read."""
    try:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise WorkbookError(f"not an xlsx: {p} is not a file")
        head = fh.read(8)
        size = fh.seek(0, os.SEEK_END)
        declared = _declared_members(fh, size)
        fh.seek(0)
    except OSError as exc:
        raise WorkbookError(f"cannot read {p}: {exc.strerror or exc}") from None
    if head.startswith(_OLE_MAGIC):
        raise WorkbookError(f"not an xlsx: {p} is a password-protected workbook or a legacy .xls file; "
                            "remove the password or save it as .xlsx in Excel, then try again")
    if not head.startswith(_ZIP_MAGIC):
        raise WorkbookError(f"not an xlsx: {p} is not a zip archive (an .xlsx file is one)")
    if declared is not None and declared > MAX_MEMBERS:
        raise WorkbookError(f"refused {p}: {declared:,} members in the archive (a workbook has at most "
                            f"{MAX_MEMBERS:,})")
    from .files import signals_held

    try:
        with signals_held():     # an interrupt inside ZipFile() would leave a half-made object whose finaliser
            zf = _OwningZipFile(fh)   # seeks the file closed here, and prints a traceback
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise WorkbookError(f"corrupted xlsx: {p} is damaged or truncated ({_reason(exc)}); restore a copy "
                            "or open it in Excel and save it again") from None
    try:
        check_members(zf.infolist(), str(p))
        names = set(zf.namelist())
        for required in REQUIRED:
            if required not in names:
                raise WorkbookError(f"not an xlsx: {p} has no {required}")
    except BaseException:
        zf.close()
        raise
    return zf


def check_members(infos: Iterable[zipfile.ZipInfo], where: str = "the workbook") -> None:
    """Refuse an archive from its members' headers alone (see the module's list)."""
    infos = list(infos)
    if len(infos) > MAX_MEMBERS:
        raise WorkbookError(f"refused {where}: {len(infos):,} members in the archive (a workbook has at most "
                            f"{MAX_MEMBERS:,})")
    total = 0
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        if _unsafe_name(name):
            raise WorkbookError(f"refused {where}: member name {name!r} points outside the archive's folder")
        if name in seen:
            raise WorkbookError(f"refused {where}: member {name!r} appears twice")
        seen.add(name)
        if info.flag_bits & 0x1:
            raise WorkbookError(f"refused {where}: member {name} is encrypted; remove the password in Excel "
                                "and save it again")
        size, packed = info.file_size, info.compress_size
        if size > RATIO_GRACE_BYTES and size > MAX_RATIO * max(packed, 1):
            raise WorkbookError(f"refused {where}: member {name} would inflate {size / max(packed, 1):,.0f} times "
                                f"({size:,} bytes from {packed:,}; at most {MAX_RATIO} times): a zip bomb")
        if size > MAX_MEMBER_BYTES:
            raise WorkbookError(f"refused {where}: member {name} would inflate to {_mib(size)} "
                                f"(at most {_mib(MAX_MEMBER_BYTES)} a member)")
        total += size
        if total > MAX_TOTAL_BYTES:
            raise WorkbookError(f"refused {where}: its members would inflate to more than "
                                f"{_mib(MAX_TOTAL_BYTES)} together")


def _unsafe_name(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        return True
    if re.match(r"^[A-Za-z]:", name):
        return True
    return any(part == ".." for part in name.split("/"))


def _declared_members(fh, size: int) -> int | None:
    """The member count the end-of-archive record declares (None when there is none, or zip64)."""
    tail = min(size, 22 + 65535)
    fh.seek(size - tail)
    data = fh.read(tail)
    at = data.rfind(b"PK\x05\x06")
    while at >= 0:
        # the record ends the file: its comment length says so (a signature inside a comment does not)
        if len(data) - at >= 22 and struct.unpack("<H", data[at + 20:at + 22])[0] == len(data) - at - 22:
            count = struct.unpack("<H", data[at + 10:at + 12])[0]
            return None if count == 0xFFFF else count
        at = data.rfind(b"PK\x05\x06", 0, at)
    return None


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.rstrip(".")


@contextlib.contextmanager
def reading(where: str, member: str) -> Iterator[None]:
    """Turn a failure while inflating ``member`` into one :class:`WorkbookError`."""
    try:
        yield
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        if isinstance(exc, SuanliError):
            raise
        raise WorkbookError(f"corrupted xlsx: {where}: member {member} cannot be read ({_reason(exc)}); restore "
                            "a copy or open it in Excel and save it again") from None
    except OSError as exc:
        raise WorkbookError(f"cannot read {where}: {exc.strerror or exc}") from None


def read_member(zf: zipfile.ZipFile, name: str, where: str | None = None) -> bytes:
    """The bytes of one member (its CRC checked), or a :class:`WorkbookError`."""
    where = where or str(zf.filename)
    info = _member(zf, name, where)
    with reading(where, name):
        return zf.read(info)


def _member(zf: zipfile.ZipFile, name: str, where: str) -> zipfile.ZipInfo:
    try:
        return zf.getinfo(name)
    except KeyError:
        raise WorkbookError(f"not an xlsx: {where} has no {name}") from None


def parse_xml(data: bytes, member: str, where: str = "the workbook"):
    """An ElementTree element from a member's bytes, parsed without DTDs or entities."""
    return _parse(SafeET.fromstring, SafeET.ParseError, data, member, where)


def parse_dom(data: bytes, member: str, where: str = "the workbook"):
    """A DOM document from a member's bytes (for parts that are edited and written back)."""
    from xml.parsers.expat import ExpatError

    return _parse(SafeDOM.parseString, ExpatError, data, member, where)


def _parse(parser, malformed, data: bytes, member: str, where: str):
    try:
        return parser(data)
    except defusedxml.DefusedXmlException as exc:
        raise WorkbookError(f"refused {where}: member {member} declares a DTD or entities ({type(exc).__name__})") \
            from None
    except malformed as exc:
        raise WorkbookError(f"corrupted xlsx: {where}: member {member} is not well-formed XML ({exc})") from None


# ------------------------------------------------------------------ streaming
CHUNK = 1 << 20


def member_chunks(zf: zipfile.ZipFile, name: str, where: str | None = None, size: int = CHUNK) -> Iterator[bytes]:
    """The bytes of one member, inflated ``size`` bytes at a time (its CRC checked at the end), so that a
    large part is never held whole; a damaged member fails as one :class:`WorkbookError`."""
    where = where or str(zf.filename)
    info = _member(zf, name, where)
    with reading(where, name):
        fh = zf.open(info)
    with fh:
        while True:
            with reading(where, name):
                chunk = fh.read(size)
            if not chunk:
                return
            yield chunk


def _forbidden(member: str, where: str):
    def refuse(*_args):
        raise WorkbookError(f"refused {where}: member {member} declares a DTD or entities")
    return refuse


def xml_parser(member: str, where: str):
    """An expat parser for one member that refuses DTDs, entity declarations and external references.

    Namespaces are processed, with prefixes kept: an element's name is ``"URI LOCAL"`` or
    ``"URI LOCAL PREFIX"``.  Feed it with :func:`feed`.
    """
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.namespace_prefixes = True
    refuse = _forbidden(member, where)
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def feed(parser, chunks: Iterable[bytes], member: str, where: str) -> int:
    """Parse a member's bytes with ``parser`` (from :func:`xml_parser`); returns how many bytes it had.

    Malformed XML is one :class:`WorkbookError`; an error a handler raises passes through.
    """
    from xml.parsers.expat import ExpatError

    total = 0
    try:
        for chunk in chunks:
            total += len(chunk)
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except ExpatError as exc:
        raise WorkbookError(f"corrupted xlsx: {where}: member {member} is not well-formed XML ({exc})") from None
    return total
