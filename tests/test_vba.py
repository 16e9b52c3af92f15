"""addin.vba: reading and writing a workbook's VBA project ([MS-CFB] container, [MS-OVBA] streams),
checked against xlwings' own files: its add-in's module sources decompress to the .bas files it ships."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
import xlwings
from hypothesis import given
from hypothesis import strategies as st

from addin import vba

PACKAGE = Path(xlwings.__file__).parent


def xlam_project() -> bytes:
    with zipfile.ZipFile(PACKAGE / "addin" / "xlwings.xlam") as z:
        return z.read("xl/vbaProject.bin")


@pytest.mark.parametrize("name", ["Config", "Utils", "License", "Extensions", "Main"])
def test_the_addins_modules_are_the_bas_files_xlwings_ships(name):
    shipped = (PACKAGE / "addin" / f"{name}.bas").read_text(encoding="cp1252").replace("\r\n", "\n").strip()
    # the shipped Main.bas says "dev" where the built add-in names its version
    shipped = shipped.replace('"dev"', f'"{xlwings.__version__}"').replace("-dev.dll", f"-{xlwings.__version__}.dll")
    assert vba.modules(xlam_project())[name].replace("\r\n", "\n").strip() == shipped


def test_dll_names():
    version = xlwings.__version__
    assert vba.dll_names(vba.quickstart_project()) == {f"xlwings64-{version}.dll", f"xlwings32-{version}.dll"}
    assert vba.dll_names(xlam_project()) == {f"xlwings64-{version}.dll", f"xlwings32-{version}.dll"}


@given(st.binary(max_size=10_000) | st.text(alphabet="ab \r\nSub End()'\"", max_size=13_000).map(str.encode))
def test_compression_round_trips(data):
    packed = vba.compress(data)
    assert vba.decompress(packed) == data
    assert len(packed) <= 1 + len(data) + 2 * (len(data) // 4096 + 1) + len(data) // 8 + 1


def test_compression_of_source_shrinks_it():
    text = vba.modules(xlam_project())["WebHelpers"].encode("cp1252")
    assert len(text) > 100_000
    assert len(vba.compress(text)) < len(text) / 2


@pytest.mark.parametrize("data, why", [(b"", "no signature byte"), (b"\x02abc", "no signature byte"),
                                        (b"\x01\x00\x00", "bad chunk signature")])
def test_decompress_refuses_what_is_not_a_container(data, why):
    with pytest.raises(vba.VbaError, match=why):
        vba.decompress(data)


def test_read_cfb_refuses_other_files():
    with pytest.raises(vba.VbaError, match="not a compound file"):
        vba.read_cfb(b"PK\x03\x04" + bytes(600))


def test_compound_file_round_trip():
    big = bytes(range(256)) * 40                     # 10,240 bytes: in sectors of its own
    root = vba.Entry("Root Entry", vba.ROOT, children=[
        vba.Entry("VBA", vba.STORAGE, children=[vba.Entry(f"Module{i}", vba.STREAM, data=bytes([i]) * (i * 97))
                                               for i in range(1, 30)] + [vba.Entry("big", vba.STREAM, data=big)]),
        vba.Entry("PROJECT", vba.STREAM, data=b"ID=x\r\n"),
    ])
    back = vba.read_cfb(vba.write_cfb(root))
    assert back.find("PROJECT").data == b"ID=x\r\n" and back.find("VBA/big").data == big
    assert {c.name: c.data for c in back.find("VBA").children} == {c.name: c.data for c in root.find("VBA").children}


@pytest.mark.parametrize("n", range(1, 40))
def test_sibling_trees_keep_the_red_black_rules(n):
    """[MS-CFB] 2.6.4: siblings form a red-black tree ordered by name (length, then upper case)."""
    links = [[vba.NOSTREAM, vba.NOSTREAM, vba.NOSTREAM, 1] for _ in range(n)]
    top = vba._balanced(list(range(n)), links)

    def walk(node, lo, hi):
        """(black height, in-order ids); fails on a red node with a red child or unequal black heights."""
        if node == vba.NOSTREAM:
            return 1, []
        left, right, _, colour = links[node]
        assert lo < node < hi
        for child in (left, right):
            if colour == 0 and child != vba.NOSTREAM:
                assert links[child][3] == 1, "a red node with a red child"
        hl, a = walk(left, lo, node)
        hr, b = walk(right, node, hi)
        assert hl == hr
        return hl + colour, a + [node] + b

    assert links[top][3] == 1 or n == 1
    assert walk(top, -1, n)[1] == list(range(n))


def test_with_module_code_keeps_the_rest_and_leaves_no_compiled_code():
    original = vba.quickstart_project()
    code = 'Sub Hello()\n    MsgBox "hello"\nEnd Sub\n'
    new = vba.with_module_code(original, "Module1", code)
    before, after = vba.modules(original), vba.modules(new)
    assert after["Module1"] == 'Attribute VB_Name = "Module1"\r\n' + code.replace("\n", "\r\n")
    assert {k: v for k, v in after.items() if k != "Module1"} == {k: v for k, v in before.items() if k != "Module1"}
    root, _, mods, _ = vba._project(new)
    assert {m.offset for m in mods} == {0}                      # module streams hold only their source
    assert struct.unpack("<HH", root.find("VBA/_VBA_PROJECT").data[:4]) == (0x61CC, 0xFFFF)
    assert not [c for c in root.find("VBA").children if c.name.startswith("__SRP_")]
    assert root.find("PROJECT").data == vba.read_cfb(original).find("PROJECT").data
    with pytest.raises(vba.VbaError, match="no module 'Module9'"):
        vba.with_module_code(original, "Module9", code)
