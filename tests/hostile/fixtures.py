"""Make damaged, hostile or hand-edited copies of a workbook, at test time, by editing its parts.

Test-only helpers: they edit sheet XML with simple string surgery (enough for the workbooks
suanli builds), so that a test can put into a cell exactly what a user or an attacker could.
"""

from __future__ import annotations

import re
import shutil
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

MiB = 1024 * 1024


def _making(dst: Path) -> Path:
    """A short name beside ``dst`` to write it under first (a name of 255 bytes has no room for a suffix)."""
    return dst.with_name(f".making-{zlib.crc32(dst.name.encode()):08x}")


def rewrite(src: Path, dst: Path, edits: dict[str, Callable[[bytes], bytes] | bytes | None],
            add: dict[str, bytes] | None = None) -> Path:
    """Copy the zip ``src`` to ``dst``; ``edits[member]`` maps its bytes (None drops it)."""
    tmp = _making(dst)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in edits:
                edit = edits[info.filename]
                if edit is None:
                    continue
                data = edit if isinstance(edit, bytes) else edit(data)
            zout.writestr(info, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    tmp.replace(dst)
    return dst


def sheet_member(path: Path, sheet: str) -> str:
    """The zip member of the worksheet named ``sheet``."""
    with zipfile.ZipFile(path) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet name="{re.escape(sheet)}" sheetId="\d+"(?: state="\w+")? r:id="(\w+)"', wb).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1)
    return "xl/" + target.lstrip("/").removeprefix("xl/")


def _replace_cell(xml: str, ref: str, new_cell: str) -> str:
    pattern = re.compile(rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)
    if pattern.search(xml):
        return pattern.sub(lambda m: new_cell, xml, count=1)
    row = int(re.match(r"[A-Z]+(\d+)", ref).group(1))
    m = re.search(rf'<row r="{row}"[^>]*>', xml)
    if m is None:
        raise AssertionError(f"row {row} not in the sheet")
    return xml[:m.end()] + new_cell + xml[m.end():]      # good enough for a cell before the others


def set_cell(path: Path, dst: Path, sheet: str, ref: str, kind: str, value=None) -> Path:
    """Put a number, text (inline), a boolean, an error value, a formula or a blank into one cell."""
    style = ""
    with zipfile.ZipFile(path) as zf:
        member = sheet_member(path, sheet)
        m = re.search(rf'<c r="{ref}"( s="\d+")?', zf.read(member).decode())
        style = (m.group(1) or "") if m else ""
    cells = {
        "number": f'<c r="{ref}"{style}><v>{value!r}</v></c>',
        "text": f'<c r="{ref}"{style} t="inlineStr"><is><t>{escape(str(value))}</t></is></c>',
        "bool": f'<c r="{ref}"{style} t="b"><v>{int(bool(value))}</v></c>',
        "error": f'<c r="{ref}"{style} t="e"><v>{escape(str(value))}</v></c>',
        "formula": f'<c r="{ref}"{style}><f>{escape(str(value))}</f></c>',
        "blank": f'<c r="{ref}"{style}/>',
    }
    new_cell = cells[kind]
    return rewrite(path, dst, {member: lambda b: _replace_cell(b.decode(), ref, new_cell).encode()})


def set_name(path: Path, dst: Path, name: str, target: str | None) -> Path:
    """Point the workbook-level name ``name`` at ``target`` (e.g. ``Inputs!$F$99``), or drop it."""
    def edit(b: bytes) -> bytes:
        xml = b.decode()
        pattern = re.compile(rf'<definedName name="{re.escape(name)}">[^<]*</definedName>')
        assert pattern.search(xml), name
        new = "" if target is None else f'<definedName name="{name}">{escape(target)}</definedName>'
        return pattern.sub(lambda m: new, xml, count=1).encode()
    return rewrite(path, dst, {"xl/workbook.xml": edit})


def after_sheet_data(path: Path, dst: Path, sheet: str, xml_fragment: str) -> Path:
    """Insert XML right after a sheet's ``</sheetData>`` (sheetProtection, mergeCells...)."""
    member = sheet_member(path, sheet)
    return rewrite(path, dst, {member: lambda b: b.decode().replace("</sheetData>", "</sheetData>" + xml_fragment,
                                                                    1).encode()})


def protect(path: Path, dst: Path, sheet: str) -> Path:
    return after_sheet_data(path, dst, sheet, '<sheetProtection sheet="1" objects="1" scenarios="1"/>')


def merge(path: Path, dst: Path, sheet: str, ref: str) -> Path:
    return after_sheet_data(path, dst, sheet, f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>')


def drop_sheet(path: Path, dst: Path, sheet: str) -> Path:
    """Remove a sheet from the workbook's sheet list (its part stays, unreferenced)."""
    def edit(b: bytes) -> bytes:
        return re.sub(rf'<sheet name="{re.escape(sheet)}"[^>]*/>', "", b.decode(), count=1).encode()
    return rewrite(path, dst, {"xl/workbook.xml": edit})


def text_file(dst: Path) -> Path:
    dst.write_text("name,value\nutilization,0.3\n", encoding="utf-8")
    return dst


def truncated(src: Path, dst: Path, keep: float = 0.6) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * keep)])
    return dst


def zip_bomb(src: Path, dst: Path, member: str = "xl/media/image1.bin", size: int = 300 * 1000 * 1000) -> Path:
    """``src`` plus one member of ``size`` zero bytes, streamed into the zip (about 1,000 times smaller)."""
    shutil.copyfile(src, dst)
    chunk = bytes(4 * MiB)
    info = zipfile.ZipInfo(member, (2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(dst, "a") as zf, zf.open(info, "w") as out:
        left = size
        while left:
            n = min(left, len(chunk))
            out.write(chunk[:n])
            left -= n
    return dst


def encrypted_flag(src: Path, dst: Path, member: str = "xl/styles.xml") -> Path:
    """Set the 'encrypted' flag of one member in its local and central headers."""
    data = bytearray(src.read_bytes())
    name = member.encode()
    for sig, flag_at, name_len_at, name_at in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        at = data.find(sig)
        while at >= 0:
            n = int.from_bytes(data[at + name_len_at:at + name_len_at + 2], "little")
            if bytes(data[at + name_at:at + name_at + n]) == name:
                data[at + flag_at] |= 0x01
            at = data.find(sig, at + 4)
    dst.write_bytes(bytes(data))
    return dst


def corrupt_member(src: Path, dst: Path, member: str) -> Path:
    """Store ``member`` uncompressed, then flip one byte of its data: its CRC no longer matches."""
    tmp = _making(dst)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == member:
                marker = data[:64]
                zout.writestr(zipfile.ZipInfo(member, info.date_time), data, compress_type=zipfile.ZIP_STORED)
            else:
                zout.writestr(info, data)
    raw = bytearray(tmp.read_bytes())
    at = raw.find(marker)
    raw[at + 40] ^= 0x20
    dst.write_bytes(bytes(raw))
    tmp.unlink()
    return dst


def ole_file(dst: Path) -> Path:
    """The first bytes of an OLE compound file: what a password-protected workbook is."""
    dst.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    return dst


def sheet_xml(path: Path, sheet: str) -> str:
    """The XML of one worksheet, as text."""
    with zipfile.ZipFile(path) as zf:
        return zf.read(sheet_member(path, sheet)).decode()


def edit_sheet(path: Path, dst: Path, sheet: str, edit: Callable[[str], str]) -> Path:
    """Copy ``path`` to ``dst`` with one sheet's XML passed through ``edit`` (text in, text out)."""
    member = sheet_member(path, sheet)
    return rewrite(path, dst, {member: lambda b: edit(b.decode()).encode()})


def raw_cell(path: Path, dst: Path, sheet: str, ref: str, cell_xml: str) -> Path:
    """Put exactly ``cell_xml`` (a whole ``<c>`` element) where the cell ``ref`` is."""
    return edit_sheet(path, dst, sheet, lambda xml: _replace_cell(xml, ref, cell_xml))


def _row_span(xml: str, row: int) -> re.Match:
    m = re.search(rf'<row r="{row}"[^>]*>(.*?)</row>', xml, re.S)
    if m is None:
        raise AssertionError(f"row {row} not in the sheet")
    return m


def swap_rows(path: Path, dst: Path, sheet: str, a: int, b: int) -> Path:
    """Swap the cells of rows ``a`` and ``b`` (1-based), as moving one row past the other would."""
    def edit(xml: str) -> str:
        ma, mb = _row_span(xml, a), _row_span(xml, b)
        cells_a = re.sub(rf'(<c r="[A-Z]+){a}"', rf'\g<1>{b}"', ma.group(1))
        cells_b = re.sub(rf'(<c r="[A-Z]+){b}"', rf'\g<1>{a}"', mb.group(1))
        first, second = (ma, mb) if ma.start() < mb.start() else (mb, ma)
        new_first = cells_b if first is ma else cells_a
        new_second = cells_a if second is mb else cells_b
        return (xml[:first.start(1)] + new_first + xml[first.end(1):second.start(1)] + new_second
                + xml[second.end(1):])
    return edit_sheet(path, dst, sheet, edit)


def share_formulas(path: Path, dst: Path, sheet: str, refs: list[str]) -> Path:
    """Store the formulas of ``refs`` (one row, left to right) as Excel stores a filled range: the first
    cell's formula shared over the range, the others pointing at it."""
    def edit(xml: str) -> str:
        span = f"{refs[0]}:{refs[-1]}"
        for k, ref in enumerate(refs):
            pattern = re.compile(rf'(<c r="{ref}"[^>]*>)<f>(.*?)</f>', re.S)
            assert pattern.search(xml), ref
            new = (lambda m: f'{m.group(1)}<f t="shared" ref="{span}" si="0">{m.group(2)}</f>') if k == 0 \
                else (lambda m: f'{m.group(1)}<f t="shared" si="0"/>')
            xml = pattern.sub(new, xml, count=1)
        return xml
    return edit_sheet(path, dst, sheet, edit)


def sheet_index(path: Path, sheet: str) -> int:
    """The 0-based position of a sheet in the workbook (as ``localSheetId`` counts)."""
    with zipfile.ZipFile(path) as zf:
        names = re.findall(r'<sheet name="([^"]*)"', zf.read("xl/workbook.xml").decode())
    return names.index(sheet)


def add_name(path: Path, dst: Path, name: str, target: str, sheet: str | None = None) -> Path:
    """Add a defined name: workbook-level, or belonging to ``sheet`` (``localSheetId``)."""
    scope = "" if sheet is None else f' localSheetId="{sheet_index(path, sheet)}"'

    def edit(b: bytes) -> bytes:
        xml = b.decode()
        new = f'<definedName name="{name}"{scope}>{escape(target)}</definedName>'
        assert "</definedNames>" in xml
        return xml.replace("</definedNames>", new + "</definedNames>", 1).encode()
    return rewrite(path, dst, {"xl/workbook.xml": edit})


def inflate_sheet(src: Path, dst: Path, sheet: str, size: int) -> Path:
    """``src`` with rows of numbers added below a sheet's last row until its XML holds ``size`` bytes,
    streamed into the zip (a part that inflates far more than the file it is in)."""
    member = sheet_member(src, sheet)
    with zipfile.ZipFile(src) as zf:
        xml = zf.read(member).decode()
    last = max(int(r) for r in re.findall(r'<row r="(\d+)"', xml))
    head, tail = xml.split("</sheetData>", 1)
    tmp = _making(dst)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != member:
                zout.writestr(info, zin.read(info))
                continue
            new = zipfile.ZipInfo(member, info.date_time)
            new.compress_type = zipfile.ZIP_DEFLATED
            with zout.open(new, "w") as out:
                out.write(head.encode())
                written, n = len(head), last + 1
                while written < size:
                    block = "".join(f'<row r="{r}"><c r="K{r}"><v>{r % 997}</v></c><c r="L{r}"><v>{r % 89}.5</v></c>'
                                    f'<c r="M{r}"><v>{r % 13}</v></c></row>' for r in range(n, n + 1000)).encode()
                    out.write(block)
                    written += len(block)
                    n += 1000
                out.write(("</sheetData>" + tail).encode())
    tmp.replace(dst)
    return dst


def with_noise(src: Path, dst: Path, size: int, member: str = "xl/media/noise.bin") -> Path:
    """``src`` plus one member of ``size`` random bytes (they do not compress): a large workbook."""
    import os

    shutil.copyfile(src, dst)
    info = zipfile.ZipInfo(member, (2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(dst, "a") as zf, zf.open(info, "w") as out:
        left = size
        while left:
            n = min(left, 4 * MiB)
            out.write(os.urandom(n))
            left -= n
    return dst
