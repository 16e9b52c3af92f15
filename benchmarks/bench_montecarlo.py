"""Benchmark: a Monte Carlo run of the full chain, 100,000 draws in one pass, against a Python loop.

Distributions on the chain's uncertain links (utilisations, the DAU paths, the H100 share, the
liquid-cooled share, kW per server, ...) are drawn with a seeded generator, and the whole
``chain`` exhibit (with fig49 and fig50 beneath it) is evaluated on every draw at once, then
P5/P50/P95/mean of every row and column and the histogram are taken: exactly what
``suanli.montecarlo`` (and the ``suanli montecarlo`` command) computes.  The baseline, in the same run,
evaluates the very same draws one scenario at a time on a sample, and its time is scaled to the full
count.  Prints both times, the ratio, and whether "100,000 draws of the full chain in under 2 seconds on 2 cores" holds.

    ./dev bench
    .venv/bin/python benchmarks/bench_montecarlo.py --n 100000 --sample 300 [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time

import numpy as np

import suanli
from engine import scenarios, tables
from suanli import Normal, Triangular, Uniform

#: The chain's uncertain links.  ``factor=True`` draws a factor on the report's per-year path (the
#: report gives DAU per year, not a growth rate: the factor moves the whole path).
DISTRIBUTIONS = {
    "train_utilization": Triangular(0.2, 0.3, 0.45),
    "infer_utilization": Triangular(0.2, 0.3, 0.45),
    "mm_dau": Triangular(0.6, 1, 1.5, factor=True),
    "std_dau": Triangular(0.6, 1, 1.5, factor=True),
    "mm_params_growth": Uniform(0.1, 0.4),
    "infer_peak_multiplier": Triangular(3, 5, 8),
    "chain_share_h100_sxm": Uniform(0, 0.6),
    "chain_liquid_share": Triangular(0.3, 0.7, 0.9),
    "chain_kw_per_server": Triangular(5.5, 6.5, 7),
    "chain_gpu_cost_share": Uniform(0.6, 0.8),
    "chain_hbm_usd_per_gb": Uniform(8, 12),
    "chain_pue_air": Normal(1.45, 0.08),
    "chain_pue_liquid": Uniform(1.05, 1.2),
    # prices the report does not give (user-supplied inputs): drawn, so every row of the chain is computed
    "chain_usd_per_optical_module": Uniform(300, 1200),
    "chain_usd_per_switch": Uniform(20000, 80000),
    "chain_electricity_cny_per_kwh": Uniform(0.3, 0.8),
}
TARGET_SECONDS = 2.0


def vectorized(n: int, seed: int):
    start = time.perf_counter()
    result = suanli.montecarlo("chain.energy_kwh", DISTRIBUTIONS, n=n, seed=seed, exhibit="chain")
    return time.perf_counter() - start, result


def looped(result, sample: int):
    """The same draws, one scenario at a time: the chain evaluated ``sample`` times on floats."""
    base = scenarios.load(result.scenario.name)          # the run's own base (csc-2023-corrected)
    out = []
    start = time.perf_counter()
    for i in range(sample):
        one = {k: ([float(a[i]) for a in v] if isinstance(v, list) else float(v[i]))
               for k, v in result.values.items()}
        out.append(tables.table("chain", base.with_values(one, name=f"draw{i}")))
    return time.perf_counter() - start, out


def check_agree(result, loop) -> None:
    """The vectorized pass and the loop agree on every row and column of the sampled draws."""
    t = tables.table("chain", scenarios.load(result.scenario.name).with_values(result.values))
    for i, one in enumerate(loop):
        for row in t.exhibit.rows:
            for col in range(len(t.columns)):
                a, b = t.result.values[row.key][col], one.result.values[row.key][col]
                if b is None or isinstance(b, str):
                    assert a is None or isinstance(a, str), (row.key, col, i)
                    continue
                got = a[i] if np.ndim(a) else a
                assert np.isclose(got, b, rtol=1e-12, atol=0), (row.key, col, i, got, b)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=300, help="draws the per-draw loop evaluates (then scaled)")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--repeat", type=int, default=3, help="vectorized runs; the best is reported")
    ap.add_argument("--profile", action="store_true", help="print where the vectorized time goes (cProfile)")
    args = ap.parse_args()

    vectorized(1000, args.seed)                       # imports and caches out of the timing
    times, result = [], None
    for _ in range(args.repeat):
        seconds, result = vectorized(args.n, args.seed)
        times.append(seconds)
    vec_time = min(times)
    loop_time, loop = looped(result, args.sample)
    check_agree(result, loop)

    loop_full = loop_time / args.sample * args.n
    ratio = loop_full / vec_time
    cells = sum(len(s.p50) for s in result.stats if s.varies)
    print(f"Monte Carlo of the full chain: {args.n:,} draws, {len(DISTRIBUTIONS)} distributions, "
          f"{len(result.stats)} rows x {len(result.columns)} columns ({cells} cells vary), seed {args.seed}")
    print(f"  machine          {os.cpu_count()} cores; numpy {np.__version__}")
    print(f"  vectorized       {vec_time:8.3f} s   (best of {args.repeat}: "
          + ", ".join(f"{t:.3f}" for t in times) + "; draws, evaluation, percentiles, histogram)")
    print(f"  per-draw loop    {loop_time:8.3f} s for {args.sample:,} -> {loop_full:,.1f} s for {args.n:,} (scaled)")
    print(f"  ratio            {ratio:8.1f} x")
    held = vec_time < TARGET_SECONDS
    print(f"  target           {args.n:,} draws of the full chain in under {TARGET_SECONDS:g} s on "
          f"{os.cpu_count()} cores: {'met' if held else 'NOT met'}")
    energy = result.row("energy_kwh")
    print(f"  energy 2027E     P5 {energy.p5[-1]:,.0f}  P50 {energy.p50[-1]:,.0f}  P95 {energy.p95[-1]:,.0f} 亿kWh"
          + (f"; clipped {result.clipped}" if result.clipped else ""))
    if args.profile or not held:
        prof = cProfile.Profile()
        prof.enable()
        vectorized(args.n, args.seed)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
        print(buf.getvalue())


if __name__ == "__main__":
    main()
