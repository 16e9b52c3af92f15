"""Benchmark: a 100,000-row column through the Excel-function layer, against xlwings' numpy converter.

Classic xlwings hands a UDF each range as a list of rows of Python values.  The layer reads
every cell exactly (a blank, a text, TRUE or #N/A stays what it is, in its own cell), makes one
engine call and returns an array.  The baseline, in the same run and on the same lists, is what
xlwings' own numpy converter does with them: ``np.array(rows, dtype=float)`` for each range
argument (which silently reads TRUE as 1 and a blank as NaN, and fails on a text).  The layer's
cost is the UDF's time less the engine's own time on the same values as numpy arrays; the
target is at most 1.5 times the converter's time, for a clean column and for one with a blank,
a text, a TRUE or an #N/A in every hundredth row.  Given arrays instead of lists (xlwings'
numpy converter, or a Python caller), the layer's cost is shown against the engine's time.

    .venv/bin/python benchmarks/bench_udf_layer.py [--rows 100000] [--repeat 9]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from addin import udfs
from engine import growth, memory, training

TARGET = 1.5


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def with_odd_cells(rows: list[list], every: int = 100) -> list[list]:
    """The rows with a blank, a text, TRUE or #N/A (in turn) in every ``every``-th row."""
    odd = [None, "n/a", True, "#N/A"]
    out = [list(r) for r in rows]
    for k, i in enumerate(range(0, len(out), every)):
        out[i] = [odd[k % len(odd)]]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    n = args.rows
    params = rng.uniform(1e9, 2e12, n)
    util = rng.uniform(0.2, 0.6, n)
    start, end = rng.uniform(1, 100, n), rng.uniform(100, 1e4, n)
    as_rows = lambda a: [[float(v)] for v in a]  # noqa: E731  what classic xlwings passes for a column
    params_rows, util_rows, start_rows, end_rows = map(as_rows, (params, util, start, end))
    as_column = lambda a: a.reshape(-1, 1)  # noqa: E731  what a numpy converter or a Python caller passes
    params_col, util_col, start_col, end_col = map(as_column, (params, util, start, end))

    cases = [
        ("AI_TRAIN_GPUS(range, 300E9, 30, 312, range)",
         lambda a: udfs.AI_TRAIN_GPUS(a[0], 300e9, 30, 312, a[1]),
         lambda: training.train_gpus(params, 300e9, 30, 312, util), (params_rows, util_rows), (params_col, util_col)),
        ("AI_CARDS_PER_INSTANCE(range, 80)",
         lambda a: udfs.AI_CARDS_PER_INSTANCE(a[0], 80),
         lambda: memory.cards_per_instance(params, 80), (params_rows,), (params_col,)),
        ("AI_CAGR(range, range, 4)",
         lambda a: udfs.AI_CAGR(a[0], a[1], 4),
         lambda: growth.cagr(start, end, 4), (start_rows, end_rows), (start_col, end_col)),
    ]
    print(f"Excel-function layer: {n:,} rows, best of {args.repeat}")
    ratios = {}
    for kind, odd in (("clean lists of rows (what classic xlwings hands a UDF)", False),
                      ("lists of rows with a blank, text, TRUE or #N/A in every 100th row", True)):
        print(f" input as {kind}; baseline np.array(rows, dtype=float) on the same lists:")
        ratios[kind] = []
        for label, udf, bare, lists, _ in cases:
            data = tuple(with_odd_cells(r) for r in lists) if odd else lists
            got, want = udf(data), bare()
            numbers = np.array([[isinstance(v, float) for v in row] for row in np.asarray(got, dtype=object)])
            assert numbers.sum() == n - (len(range(0, n, 100)) if odd else 0), label  # every odd cell, and only it
            assert np.allclose(np.asarray(got, dtype=object)[numbers].astype(float), want[numbers.ravel()],
                               rtol=1e-12), label
            t_udf = best(lambda udf=udf, data=data: udf(data), args.repeat)
            t_bare = best(bare, args.repeat)
            clean = lists  # the converter fails on a text: it is timed on the clean lists
            t_conv = best(lambda clean=clean: [np.array(rows, dtype=float) for rows in clean], args.repeat)
            ratio = (t_udf - t_bare) / t_conv
            ratios[kind].append(ratio)
            print(f"  {label:45s} layer {(t_udf - t_bare) * 1e3:7.2f} ms   converter {t_conv * 1e3:7.2f} ms   "
                  f"ratio {ratio:4.2f}   (engine {t_bare * 1e3:5.2f} ms)")
        worst = max(ratios[kind])
        print(f"  worst ratio {worst:.2f} (target <= {TARGET}: {'met' if worst <= TARGET else 'NOT met'});"
              f" median {statistics.median(ratios[kind]):.2f}")
    print(" input as 2-D arrays (xlwings' numpy converter, or a Python caller):")
    for label, udf, bare, _, arrays in cases:
        t_udf, t_bare = best(lambda udf=udf, arrays=arrays: udf(arrays), args.repeat), best(bare, args.repeat)
        print(f"  {label:45s} UDF {t_udf * 1e3:6.2f} ms   engine {t_bare * 1e3:6.2f} ms   "
              f"layer adds {(t_udf - t_bare) / t_bare:5.2f} x the engine's time")


if __name__ == "__main__":
    main()
