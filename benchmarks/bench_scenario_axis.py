"""Benchmark: fig49, fig50 and fig51 for 1,000,000 scenarios at once, against a Python loop.

The scenario axis evaluates every exhibit row once over numpy arrays; the baseline, in the
same run, evaluates the very same exhibits one scenario at a time on a sample, and its time
is scaled to the full count.  Prints both, the ratio, and whether the targets hold
(at least 100 times faster; under 1 second for the million).

    ./dev bench                      # all benchmarks
    .venv/bin/python benchmarks/bench_scenario_axis.py --n 1000000 --sample 2000
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from engine import scenarios
from engine.tables import table

EXHIBITS = ("fig49", "fig50", "fig51")


def draws(n: int, seed: int = 7) -> dict[str, object]:
    """Inputs varied around the report's values: n scenarios, one array per varied input."""
    rng = np.random.default_rng(seed)
    base = scenarios.load("csc-2023")
    u = lambda lo, hi: rng.uniform(lo, hi, n)  # noqa: E731
    return {
        "train_utilization": u(0.2, 0.5),
        "infer_utilization": u(0.2, 0.5),
        "mm_params_growth": u(0.0, 0.5),
        "std_params_growth": u(0.0, 0.5),
        "mm_tokens_growth": u(0.0, 0.5),
        "train_days": u(5, 60),
        "mm_dau": [v * u(0.5, 1.5) for v in base.value("mm_dau")],
        "std_dau": [v * u(0.5, 1.5) for v in base.value("std_dau")],
        "infer_peak_multiplier": u(2, 8),
        "llm_params": [v * u(0.5, 2.0) for v in base.value("llm_params")],
        "users_per_instance": u(50, 200),
    }


def vectorized(values: dict[str, object]) -> tuple[float, dict]:
    start = time.perf_counter()
    sc = scenarios.load("csc-2023").with_values(values, name="axis")
    out = {ex: table(ex, sc) for ex in EXHIBITS}
    return time.perf_counter() - start, out


def looped(values: dict[str, object], sample: int) -> tuple[float, dict]:
    base = scenarios.load("csc-2023")
    results = []
    start = time.perf_counter()
    for i in range(sample):
        one = {k: ([a[i] for a in v] if isinstance(v, list) else v[i]) for k, v in values.items()}
        sc = base.with_values(one, name=f"s{i}")
        results.append({ex: table(ex, sc) for ex in EXHIBITS})
    return time.perf_counter() - start, results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=2_000)
    args = ap.parse_args()

    values = draws(args.n)
    vec_time, vec = vectorized(values)
    loop_time, loop = looped(values, args.sample)

    # the two paths must agree before their times mean anything
    for i in range(0, args.sample, max(args.sample // 50, 1)):
        for ex in EXHIBITS:
            for key in ("h100_total", "a100_cards", "cards"):
                if key in vec[ex].result.values:
                    for col in range(len(vec[ex].columns)):
                        a = vec[ex].result.values[key][col]
                        b = loop[i][ex].result.values[key][col]
                        if a is None:
                            continue
                        assert np.isclose(a[i] if np.ndim(a) else a, b, rtol=1e-12), (ex, key, i)

    loop_full = loop_time / args.sample * args.n
    ratio = loop_full / vec_time
    print(f"scenario axis: {args.n:,} scenarios x {len(EXHIBITS)} exhibits ({', '.join(EXHIBITS)})")
    print(f"  vectorized       {vec_time:8.3f} s")
    print(f"  per-scenario loop {loop_time:7.3f} s for {args.sample:,} -> {loop_full:,.1f} s for {args.n:,} (scaled)")
    print(f"  ratio            {ratio:8.1f} x   (target >= 100 x: {'met' if ratio >= 100 else 'NOT met'})")
    print(f"  million in       {vec_time:8.3f} s   (target < 1 s: {'met' if vec_time < 1 else 'NOT met'})")


if __name__ == "__main__":
    main()
