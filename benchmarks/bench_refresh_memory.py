"""Benchmark: peak memory of ``suanli refresh`` on workbooks whose parts inflate far, against the
same command on the workbook as built, in the same run.

Each refresh runs in its own process; its peak resident memory is read from the kernel when it
ends (``os.wait4``).  The inflated workbooks stay inside every limit of
``workbook_templates.safety`` (a part up to 256 MiB, at most 200 times its compressed size): the
Inputs sheet (read only), an exhibit sheet (edited: its cached results are rewritten) or the
shared strings inflated to ``--mib`` MiB with rows of numbers or strings below the workbook's own.
Read as a DOM, a 100 MiB sheet took 5.4 GB; the target is below 500 MB for any file the guard
accepts.

    .venv/bin/python benchmarks/bench_refresh_memory.py [--mib 100]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from workbook_templates import build, groups, safety
from workbook_templates.sheetxml import Book

TARGET_MB = 500


def _member(path: Path, sheet: str | None) -> str:
    with safety.open_checked(path) as zf:
        book = Book(zf, str(path))
        return book.shared_member if sheet is None else book.sheets[sheet]


def inflate(src: Path, dst: Path, sheet: str | None, mib: float) -> Path:
    """``src`` with one sheet (or, for None, the shared strings) grown to ``mib`` MiB, streamed into the zip."""
    member = _member(src, sheet)
    with zipfile.ZipFile(src) as zf:
        xml = zf.read(member).decode()
    size = int(mib * 1024 * 1024)
    if sheet is None:
        head, tail = xml.rsplit("</sst>", 1)
        tail = "</sst>" + tail

        def block(n: int) -> str:
            return "".join(f"<si><t>note {k} of the analyst, kept beside it</t></si>" for k in range(n, n + 1000))
        start = 0
    else:
        head, tail = xml.split("</sheetData>", 1)
        tail = "</sheetData>" + tail
        start = max(int(r) for r in re.findall(r'<row r="(\d+)"', xml)) + 1

        def block(n: int) -> str:
            return "".join(f'<row r="{r}"><c r="K{r}"><v>{r % 997}</v></c><c r="L{r}"><v>{r % 89}.5</v></c>'
                           f'<c r="M{r}"><v>{r % 13}</v></c></row>' for r in range(n, n + 1000))
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != member:
                zout.writestr(info, zin.read(info))
                continue
            new = zipfile.ZipInfo(member, info.date_time)
            new.compress_type = zipfile.ZIP_DEFLATED
            with zout.open(new, "w") as out:
                out.write(head.encode())
                written, n = len(head), start
                while written < size:
                    data = block(n).encode()
                    out.write(data)
                    written += len(data)
                    n += 1000
                out.write(tail.encode())
    return dst


def peak(args: list[str]) -> tuple[float, float]:
    """(peak resident memory in MB, seconds) of ``suanli ARGS`` in a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "suanli.cli", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"suanli {' '.join(args)} failed: {err.strip()}")
    scale = 1 if sys.platform == "darwin" else 1024          # ru_maxrss: bytes on macOS, KiB on Linux
    return usage.ru_maxrss * scale / 1e6, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mib", type=float, default=100, help="how far the part inflates (MiB; the guard allows 256)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        built = build.build_workbook(groups.group("demand"), tmp / "demand.xlsx")
        base_mb, base_s = peak(["refresh", str(built), "--out", str(tmp / "out.xlsx")])
        print(f"refresh of the demand workbook as built ({built.stat().st_size / 1024:.0f} KB): "
              f"{base_mb:7.1f} MB peak, {base_s:6.2f} s   (the baseline)")
        worst = base_mb
        for label, sheet in (("the Inputs sheet (read)", "Inputs"), ("an exhibit sheet (rewritten)", "fig49"),
                             ("the shared strings", None)):
            path = inflate(built, tmp / "inflated.xlsx", sheet, args.mib)
            with safety.open_checked(path) as zf:                 # inside every limit of the guard
                info = zf.getinfo(_member(path, sheet))
            mb, seconds = peak(["refresh", str(path), "--out", str(tmp / "out.xlsx")])
            worst = max(worst, mb)
            print(f"{label} inflated to {info.file_size / 2**20:.0f} MiB ({path.stat().st_size / 1024:.0f} KB file, "
                  f"{info.file_size / info.compress_size:.0f} x): {mb:7.1f} MB peak ({mb / base_mb:.2f} x the "
                  f"baseline), {seconds:6.2f} s")
        print(f"largest peak {worst:.1f} MB (target < {TARGET_MB} MB: {'met' if worst < TARGET_MB else 'NOT met'})")


if __name__ == "__main__":
    main()
