"""Benchmark: 200 scenario workbooks with ``suanli batch`` against the way a user would do it
without suanli, and peak memory for 50 and 500 scenarios.

The baseline, in the same run: openpyxl loads the built template, writes the scenario's inputs
into the cells its defined names point at, and saves, one scenario after another in one
process. It cannot write the cached values suanli writes (openpyxl writes formulas only), so
its files show empty cells in previewers until a spreadsheet recalculates them.

    .venv/bin/python benchmarks/bench_batch.py [--n 200] [--memory 50,500]
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from engine import formats
from workbook_templates import batch, build, groups


def scenario_file(path: Path, n: int, seed: int = 3) -> Path:
    rng = np.random.default_rng(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "train_utilization", "infer_utilization", "chain_share_h100_sxm", "chain_liquid_share",
                    "mm_dau[2027E]"])
        for i in range(n):
            w.writerow([f"scenario {i:04d}", f"{rng.uniform(0.2, 0.6):.4f}", f"{rng.uniform(0.2, 0.6):.4f}",
                        f"{rng.uniform(0, 1):.3f}", f"{rng.uniform(0.3, 1):.3f}", f"{rng.uniform(2e8, 8e8):.0f}"])
    return path


def openpyxl_way(template: Path, rows: list[batch.ScenarioRow], out: Path) -> None:
    import openpyxl

    out.mkdir(parents=True, exist_ok=True)
    base = build.scenarios.load("csc-2023")
    for row in rows:
        sc = batch.scenario_for(row, base)
        wb = openpyxl.load_workbook(template)
        for key in row.values:
            key = key.split("[")[0]
            target = wb.defined_names[key].attr_text.split("!")[1].replace("$", "")
            cells = wb["Inputs"][target]
            cells = [c for r in cells for c in r] if isinstance(cells, tuple) else [cells]
            value = sc.values[key]
            for cell, v in zip(cells, value if isinstance(value, tuple) else [value], strict=True):
                cell.value = formats.input_display(key).cell_value(v)    # as the sheet shows it (0.2 in 亿人)
        wb.save(out / f"{row.name}.xlsx")


def peak_rss_mb(csv_path: Path, out: Path) -> float:
    """Peak resident memory of `suanli batch` (the largest of its processes), in MB."""
    code = ("import sys, resource; from suanli.cli import main; rc = main(sys.argv[1:]);"
            "print(max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
            " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))")
    done = subprocess.run([sys.executable, "-c", code, "batch", str(csv_path), "--out", str(out)],
                          capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--memory", default="50,500", help="scenario counts to measure peak memory at")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv_path = scenario_file(tmp / "scenarios.csv", args.n)
        start = time.perf_counter()
        report = batch.run_batch(csv_path, tmp / "batch")
        t_batch = time.perf_counter() - start
        assert not report.failed and len(report.entries) == args.n
        template = build.build_workbook(groups.group("chain"), tmp / "template.xlsx")
        rows = batch.read_scenarios(csv_path)
        start = time.perf_counter()
        openpyxl_way(template, rows, tmp / "openpyxl")
        t_openpyxl = time.perf_counter() - start
        print(f"{args.n} scenario workbooks (the chain template, {len(rows[0].values)} inputs changed each)")
        print(f"  suanli batch (formulas + cached values, {batch.os.cpu_count()} processes)  {t_batch:7.2f} s")
        print(f"  openpyxl: load template, write inputs, save (no cached values)   {t_openpyxl:7.2f} s")
        ratio = t_openpyxl / t_batch
        print(f"  ratio {ratio:.1f} x (target >= 3: {'met' if ratio >= 3 else 'NOT met'})")
        peaks = []
        for n in (int(x) for x in args.memory.split(",")):
            path = scenario_file(tmp / f"mem{n}.csv", n)
            peaks.append((n, peak_rss_mb(path, tmp / f"mem{n}")))
        for n, mb in peaks:
            print(f"  peak memory, {n:4d} scenarios: {mb:7.1f} MB")
        growth = peaks[-1][1] / peaks[0][1]
        print(f"  memory {peaks[-1][0]} / {peaks[0][0]} scenarios: {growth:.2f} x (target: no growth with the count)")


if __name__ == "__main__":
    main()
