"""Benchmark: building the full set of template workbooks, against LibreOffice recalculating them.

suanli writes every workbook with its formulas and the engine's values cached; the reference a
user feels is a spreadsheet opening and recalculating the same files, measured in the same run
with headless LibreOffice (one process for all files, recalculation forced).  Prints both times
and their ratio, and the number of formula cells.

    .venv/bin/python benchmarks/bench_templates.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import zipfile
from pathlib import Path

from suanli import libreoffice
from workbook_templates import build


def formula_cells(paths) -> int:
    n = 0
    for p in paths:
        with zipfile.ZipFile(p) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    n += z.read(name).count(b"<f>")
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    builds, recalcs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            out = Path(tmp) / f"build{i}"
            start = time.perf_counter()
            paths = build.build_all(out)
            builds.append(time.perf_counter() - start)
            books = [p for p in paths if p.name != "index.xlsx"]
            start = time.perf_counter()
            libreoffice.recalculate(books, Path(tmp) / f"lo{i}")
            recalcs.append(time.perf_counter() - start)
        cells = formula_cells(books)
    b, r = min(builds), min(recalcs)
    print(f"template workbooks: {len(paths)} files, {cells:,} formula cells, best of {args.repeat}")
    print(f"  suanli builds them (formulas + cached values)   {b:7.2f} s")
    print(f"  LibreOffice recalculates them (one process)     {r:7.2f} s")
    print(f"  ratio LibreOffice / suanli                       {r / b:7.1f} x")


if __name__ == "__main__":
    main()
