"""Read and write the VBA project of a macro-enabled workbook (``xl/vbaProject.bin``).

suanli's workbooks carry xlwings' own VBA (its RunPython and ImportPythonUDFs), taken from the
quickstart workbook of the installed xlwings.  This module reads that project's module sources,
so ``suanli addin status`` can tell which xlwings DLL a workbook or add-in calls, and adds one
macro to it (the Refresh button's), so no Python module has to sit beside the workbook.

Two published formats are involved, both by Microsoft:

* [MS-CFB] Compound File Binary File Format: the container (sectors, FAT, directory);
* [MS-OVBA] Office VBA File Format Structure: the streams inside it, the ``dir`` stream's
  records and the compression of module sources (section 2.4.1).

A project written here has no compiled code: per [MS-OVBA] 2.3.4.1 the ``_VBA_PROJECT`` stream's
version is 0xFFFF and its performance cache is empty, and each module stream holds only its
compressed source (MODULEOFFSET 0, section 2.3.4.2.3.2.5), so Office compiles the sources when it
opens the workbook.  The ``__SRP_`` streams, a cache of that compiled code, are left out.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

__all__ = ["VbaError", "decompress", "compress", "read_cfb", "write_cfb", "modules", "with_module_code",
           "dll_names", "quickstart_project", "Entry"]

CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5


class VbaError(ValueError):
    """The bytes are not a VBA project this module understands."""


# [MS-OVBA] 2.4.1: compression --------------------------------------------------------------
def _copy_token_split(position: int) -> tuple[int, int]:
    """(bit count of the offset, mask of the length) for a copy token at ``position`` in its chunk
    ([MS-OVBA] 2.4.1.3.19.1 CopyToken Help)."""
    bit_count = max((position - 1).bit_length(), 4)
    return bit_count, 0xFFFF >> bit_count


def decompress(data: bytes) -> bytes:
    """A CompressedContainer's bytes, decompressed ([MS-OVBA] 2.4.1.3.1)."""
    if not data or data[0] != 1:
        raise VbaError("not a compressed VBA container (no signature byte 0x01)")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise VbaError("truncated chunk header")
        header = struct.unpack_from("<H", data, pos)[0]
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != 0b011:
            raise VbaError("bad chunk signature")
        end = min(pos + size, len(data))
        pos += 2
        start = len(out)
        if not header & 0x8000:                        # an uncompressed chunk: 4096 bytes as they are
            out += data[pos:pos + 4096]
            pos += 4096
            continue
        while pos < end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags >> bit & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                token = struct.unpack_from("<H", data, pos)[0]
                pos += 2
                bit_count, length_mask = _copy_token_split(len(out) - start)
                length = (token & length_mask) + 3
                offset = (token >> (16 - bit_count)) + 1
                if offset > len(out) - start:
                    raise VbaError("copy token reaches before its chunk")
                for _ in range(length):                # overlapping copies repeat bytes, one at a time
                    out.append(out[-offset])
    return bytes(out)


def compress(data: bytes) -> bytes:
    """``data`` as a CompressedContainer ([MS-OVBA] 2.4.1.3.6 and following)."""
    out = bytearray(b"\x01")
    for chunk_start in range(0, len(data), 4096):
        chunk = data[chunk_start:chunk_start + 4096]
        body = _compress_chunk(chunk)
        if len(body) <= 4096:
            out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
        elif len(chunk) == 4096:                       # stored as it is (2.4.1.3.10)
            out += struct.pack("<H", 0x3000 | 4095) + chunk
        else:                                          # a short last chunk of 3,641+ bytes with no repeats
            raise VbaError("VBA source that does not compress is not supported")
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    body = bytearray()
    pos = 0
    heads: dict[bytes, list[int]] = {}
    while pos < len(chunk):
        flag_at = len(body)
        body.append(0)
        flags = 0
        for bit in range(8):
            if pos >= len(chunk):
                break
            bit_count, length_mask = _copy_token_split(pos)
            max_length = length_mask + 3
            best_len, best_off = 0, 0
            for cand in reversed(heads.get(chunk[pos:pos + 3], ())):
                n = 0
                limit = min(max_length, len(chunk) - pos)
                while n < limit and chunk[cand + n] == chunk[pos + n]:
                    n += 1
                if n > best_len:
                    best_len, best_off = n, pos - cand
                    if n == limit:
                        break
            step = 1
            if best_len >= 3:
                flags |= 1 << bit
                body += struct.pack("<H", ((best_off - 1) << (16 - bit_count)) | (best_len - 3))
                step = best_len
            else:
                body.append(chunk[pos])
            for i in range(pos, pos + step):
                if i + 3 <= len(chunk):
                    heads.setdefault(chunk[i:i + 3], []).append(i)
            pos += step
        body[flag_at] = flags
    return bytes(body)


# [MS-CFB]: the container -------------------------------------------------------------------
@dataclass
class Entry:
    """A storage or stream of a compound file: a stream has ``data``, a storage ``children``."""

    name: str
    kind: int                                   # STORAGE, STREAM or ROOT
    data: bytes = b""
    children: list[Entry] = field(default_factory=list)
    clsid: bytes = bytes(16)
    state: int = 0

    def child(self, name: str) -> Entry:
        for c in self.children:
            if c.name.upper() == name.upper():
                return c
        raise VbaError(f"no {name!r} in {self.name!r}")

    def find(self, path: str) -> Entry:
        entry = self
        for part in path.split("/"):
            entry = entry.child(part)
        return entry


def read_cfb(data: bytes) -> Entry:
    """The tree of a compound file (versions 3 and 4)."""
    if data[:8] != CFB_SIGNATURE or len(data) < 512:
        raise VbaError("not a compound file (OLE2)")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    n_fat, first_dir, _, cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from(
        "<IIIIIIII", data, 0x2C)
    sector = 1 << shift
    mini = 1 << mini_shift

    def sector_bytes(n: int) -> bytes:
        at = (n + 1) * sector
        if n >= ENDOFCHAIN or at >= len(data):
            raise VbaError(f"sector {n} is outside the file")
        return data[at:at + sector]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    n = first_difat
    for _ in range(n_difat):
        words = struct.unpack(f"<{sector // 4}I", sector_bytes(n))
        difat += words[:-1]
        n = words[-1]
    fat: list[int] = []
    for s in difat[:n_fat]:
        fat += struct.unpack(f"<{sector // 4}I", sector_bytes(s))

    def chain(start: int, table: list[int]) -> list[int]:
        out, seen = [], set()
        while start not in (ENDOFCHAIN, FREESECT):
            if start in seen or start >= len(table):
                raise VbaError("a sector chain loops or leaves the table")
            seen.add(start)
            out.append(start)
            start = table[start]
        return out

    def read_chain(start: int) -> bytes:
        return b"".join(sector_bytes(s) for s in chain(start, fat))

    directory = read_chain(first_dir)
    minifat_bytes = read_chain(first_minifat) if n_minifat else b""
    minifat = list(struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes))
    raw = []
    for at in range(0, len(directory), 128):
        e = directory[at:at + 128]
        name_len = struct.unpack_from("<H", e, 64)[0]
        kind = e[66]
        left, right, child = struct.unpack_from("<III", e, 68)
        start, size = struct.unpack_from("<IQ", e, 116)
        if shift == 9:
            size &= 0xFFFFFFFF
        raw.append((e[:max(name_len - 2, 0)].decode("utf-16-le"), kind, left, right, child, e[80:96],
                    struct.unpack_from("<I", e, 96)[0], start, size))
    if not raw or raw[0][1] != ROOT:
        raise VbaError("the compound file has no root entry")
    mini_stream = read_chain(raw[0][7])

    def stream(start: int, size: int) -> bytes:
        if size < cutoff:
            return b"".join(mini_stream[s * mini:(s + 1) * mini] for s in chain(start, minifat))[:size]
        return read_chain(start)[:size]

    def build(i: int, depth: int = 0) -> Entry:
        name, kind, _, _, child, clsid, state, start, size = raw[i]
        entry = Entry(name, kind, clsid=clsid, state=state)
        if kind == STREAM:
            entry.data = stream(start, size)
        elif depth < 32:
            stack, seen = [child], set()
            while stack:
                j = stack.pop()
                if j == NOSTREAM or j in seen or j >= len(raw):
                    continue
                seen.add(j)
                stack += [raw[j][2], raw[j][3]]
                entry.children.append(build(j, depth + 1))
        return entry

    return build(0)


def _cfb_less(a: str, b: str) -> bool:
    """[MS-CFB] 2.6.4: shorter names first, then by upper-cased UTF-16 code units."""
    if len(a) != len(b):
        return len(a) < len(b)
    return a.upper() < b.upper()


def write_cfb(root: Entry) -> bytes:
    """A version-3 compound file (512-byte sectors) holding the tree under ``root``."""
    sector, mini, cutoff = 512, 64, 4096
    entries: list[Entry] = []
    links: list[list[int]] = []                 # left, right, child, colour per entry

    def add(entry: Entry) -> int:
        i = len(entries)
        entries.append(entry)
        links.append([NOSTREAM, NOSTREAM, NOSTREAM, 1])
        if entry.kind != STREAM:
            kids = sorted(entry.children, key=_SortKey)
            ids = [add(c) for c in kids]
            links[i][2] = _balanced(ids, links)
        return i

    add(root)
    # the streams' data: small ones in the mini stream, the others in sectors of their own
    mini_stream = bytearray()
    minifat: list[int] = []
    starts = [ENDOFCHAIN] * len(entries)
    big: list[tuple[int, bytes]] = []
    for i, e in enumerate(entries):
        if e.kind != STREAM or not e.data:
            continue
        if len(e.data) < cutoff:
            first = len(mini_stream) // mini
            count = -(-len(e.data) // mini)
            minifat += list(range(first + 1, first + count)) + [ENDOFCHAIN]
            mini_stream += e.data + bytes(count * mini - len(e.data))
            starts[i] = first
        else:
            big.append((i, e.data))
    directory = bytearray()
    pieces: list[bytes] = []                    # in sector order after the FAT sectors
    n_dir = -(-len(entries) * 128 // sector)
    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat) if minifat else b""
    n_minifat = -(-len(minifat_bytes) // sector)
    n_mini_stream = -(-len(mini_stream) // sector)
    n_big = [-(-len(d) // sector) for _, d in big]
    n_data = n_dir + n_minifat + n_mini_stream + sum(n_big)
    n_fat = 1
    while n_fat * (sector // 4) < n_fat + n_data:
        n_fat += 1
    if n_fat > 109:
        raise VbaError("a VBA project this large is not supported")
    fat = [FATSECT] * n_fat
    next_sector = n_fat

    def run(count: int) -> int:
        nonlocal next_sector
        if count == 0:
            return ENDOFCHAIN
        first = next_sector
        fat.extend(list(range(first + 1, first + count)) + [ENDOFCHAIN])
        next_sector += count
        return first

    first_dir = run(n_dir)
    first_minifat = run(n_minifat)
    root_start = run(n_mini_stream)
    for (i, _), count in zip(big, n_big, strict=True):
        starts[i] = run(count)
    starts[0] = root_start if mini_stream else ENDOFCHAIN
    for i, e in enumerate(entries):
        name = e.name.encode("utf-16-le")
        if len(name) > 62:
            raise VbaError(f"name too long for a compound file: {e.name!r}")
        size = len(mini_stream) if e.kind == ROOT else len(e.data) if e.kind == STREAM else 0
        left, right, child, colour = links[i]
        directory += (name + bytes(64 - len(name)) + struct.pack("<HBB", len(name) + 2, e.kind, colour)
                      + struct.pack("<III", left, right, child) + e.clsid + struct.pack("<I", e.state)
                      + bytes(16) + struct.pack("<IQ", starts[i] if e.kind != STORAGE else 0, size))
    directory += (b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM)
                  + bytes(16 + 4 + 16) + struct.pack("<IQ", 0, 0)) * ((n_dir * sector - len(directory)) // 128)
    pieces += [bytes(directory), minifat_bytes, bytes(mini_stream)] + [d for _, d in big]
    fat += [FREESECT] * (n_fat * (sector // 4) - len(fat))
    header = bytearray(512)
    header[:8] = CFB_SIGNATURE
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, n_fat, first_dir, 0, cutoff,
                     first_minifat, n_minifat, ENDOFCHAIN, 0)
    difat = list(range(n_fat)) + [FREESECT] * (109 - n_fat)
    struct.pack_into("<109I", header, 0x4C, *difat)
    body = bytearray(header)
    body += struct.pack(f"<{len(fat)}I", *fat)
    for piece in pieces:
        body += piece + bytes(-len(piece) % sector)
    return bytes(body)


class _SortKey:
    def __init__(self, entry: Entry):
        self.name = entry.name

    def __lt__(self, other: _SortKey) -> bool:
        return _cfb_less(self.name, other.name)


def _balanced(ids: list[int], links: list[list[int]]) -> int:
    """The siblings ``ids`` (sorted) as a balanced binary tree, returning its root: nodes on an
    incomplete deepest level are red, every other node black, which keeps [MS-CFB] 2.6.4's red-black
    rules (every path has the same number of black nodes, no red node has a red child)."""
    if not ids:
        return NOSTREAM
    depth_of: dict[int, int] = {}

    def build(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = ids[mid]
        depth_of[node] = depth
        links[node][0] = build(lo, mid, depth + 1)
        links[node][1] = build(mid + 1, hi, depth + 1)
        return node

    top = build(0, len(ids), 0)
    deepest = max(depth_of.values())
    full = len(ids) == 2 ** (deepest + 1) - 1
    for node, depth in depth_of.items():
        links[node][3] = 0 if (depth == deepest and not full) else 1   # 0 red, 1 black
    return top


# [MS-OVBA]: the project --------------------------------------------------------------------
@dataclass
class _Module:
    name: str
    stream: str
    offset: int
    offset_at: int                              # where the MODULEOFFSET value sits in the dir stream


def _dir_records(d: bytes):
    """(id, data start, data end) of every record of a decompressed ``dir`` stream."""
    pos = 0
    while pos + 6 <= len(d):
        rid, size = struct.unpack_from("<HI", d, pos)
        if rid == 0x0009:                       # PROJECTVERSION: its size field says 4, 6 bytes follow
            size = 6
        yield rid, pos + 6, pos + 6 + size
        pos += 6 + size


def _modules(d: bytes) -> list[_Module]:
    out: list[_Module] = []
    name = stream = None
    encoding = "cp1252"
    for rid, a, b in _dir_records(d):
        if rid == 0x0003:                       # PROJECTCODEPAGE
            encoding = f"cp{struct.unpack_from('<H', d, a)[0]}"
        elif rid == 0x0019:                     # MODULENAME
            name = d[a:b].decode(encoding, "replace")
        elif rid == 0x001A:                     # MODULESTREAMNAME
            stream = d[a:b].decode(encoding, "replace")
        elif rid == 0x0031:                     # MODULEOFFSET
            out.append(_Module(name or "", stream or name or "", struct.unpack_from("<I", d, a)[0], a))
    return out


def _project(vba_project: bytes) -> tuple[Entry, bytes, list[_Module], str]:
    root = read_cfb(vba_project)
    d = decompress(root.find("VBA/dir").data)
    codepage = "cp1252"
    for rid, a, _ in _dir_records(d):
        if rid == 0x0003:
            codepage = f"cp{struct.unpack_from('<H', d, a)[0]}"
            break
    return root, d, _modules(d), codepage


def modules(vba_project: bytes) -> dict[str, str]:
    """Every module's source text of a ``vbaProject.bin``, by module name."""
    root, _, mods, codepage = _project(vba_project)
    vba = root.child("VBA")
    return {m.name: decompress(vba.child(m.stream).data[m.offset:]).decode(codepage, "replace") for m in mods}


def quickstart_project() -> bytes:
    """The VBA project of the installed xlwings' standalone quickstart workbook (BSD licence): its
    ``xlwings`` module (RunPython, ImportPythonUDFs, the DLL declarations) and ``Dictionary`` class."""
    import zipfile
    from pathlib import Path

    import xlwings

    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart_standalone.xlsm") as z:
        return z.read("xl/vbaProject.bin")


def dll_names(vba_project: bytes) -> set[str]:
    """The xlwings DLL file names the project's VBA declares, e.g. ``{"xlwings64-0.37.8.dll", ...}``."""
    text = "\n".join(modules(vba_project).values())
    return set(re.findall(r'Lib "(xlwings(?:32|64)-[^"]+\.dll)"', text))


def with_module_code(vba_project: bytes, module: str, code: str) -> bytes:
    """The project with the code of the standard module ``module`` replaced by ``code`` (VBA lines;
    the module's ``Attribute`` lines are kept).

    Written as [MS-OVBA] asks of a writer: no compiled code (see the module docstring), so Office
    compiles every module, the new code with them, when it opens the workbook.
    """
    root, d, mods, codepage = _project(vba_project)
    vba = root.child("VBA")
    if module not in {m.name for m in mods}:
        raise VbaError(f"the VBA project has no module {module!r}")
    d = bytearray(d)
    for m in mods:
        stream = vba.child(m.stream)
        if m.name == module:
            old = decompress(stream.data[m.offset:]).decode(codepage).splitlines()
            head = [line for line in old if line.startswith("Attribute ")]
            text = "\r\n".join(head + code.replace("\r\n", "\n").strip("\n").split("\n")) + "\r\n"
            stream.data = compress(text.encode(codepage))
        else:
            stream.data = stream.data[m.offset:]
        struct.pack_into("<I", d, m.offset_at, 0)
    vba.child("dir").data = compress(bytes(d))
    vba.child("_VBA_PROJECT").data = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000)
    vba.children = [c for c in vba.children if not c.name.upper().startswith("__SRP_")]
    return write_cfb(root)
