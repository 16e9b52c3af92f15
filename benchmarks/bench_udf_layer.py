"""Benchmark: a 100,000-row range through the Excel-function layer against the bare engine call.

The UDF receives what xlwings hands it, a list of rows of Python values; it cleans every
element, makes one engine call and returns rows.  The baseline, in the same run, is the engine
function called on the same values as numpy arrays (with its own argument checks).  Prints both
and the overhead the layer adds, as a multiple of the engine's time (target: at most 2).

    .venv/bin/python benchmarks/bench_udf_layer.py [--rows 100000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from addin import udfs
from engine import growth, memory, training


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    n = args.rows
    params = rng.uniform(1e9, 2e12, n)
    util = rng.uniform(0.2, 0.6, n)
    start, end = rng.uniform(1, 100, n), rng.uniform(100, 1e4, n)
    as_rows = lambda a: [[float(v)] for v in a]  # noqa: E731  what xlwings passes for a column
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
    print(f"Excel-function layer: {n:,} rows, best of {args.repeat}; the engine gets numpy arrays")
    worst = {}
    for kind, pick in (("lists of rows (what classic xlwings hands a UDF)", 3),
                       ("2-D arrays (xlwings' numpy converter, or a Python caller)", 4)):
        print(f" input as {kind}:")
        overheads = []
        for label, udf, bare, *inputs in cases:
            data = inputs[pick - 3]
            got, want = udf(data), bare()
            assert np.allclose(np.asarray(got, dtype=float).ravel(), want, rtol=1e-12), label
            t_udf, t_bare = best(lambda udf=udf, data=data: udf(data), args.repeat), best(bare, args.repeat)
            overhead = (t_udf - t_bare) / t_bare
            overheads.append(overhead)
            print(f"  {label:45s} UDF {t_udf * 1e3:8.2f} ms   engine {t_bare * 1e3:7.2f} ms   "
                  f"layer adds {overhead:5.2f} x the engine's time")
        worst[kind] = max(overheads)
        print(f"  worst: the layer adds {worst[kind]:.2f} x (target <= 2: {'met' if worst[kind] <= 2 else 'NOT met'});"
              f" median {statistics.median(overheads):.2f} x")


if __name__ == "__main__":
    main()
