"""Inference compute: 2·N FLOP per token, daily and peak load, and the GPUs to serve it.

The utilisation is applied once, in :func:`engine.compute.accelerators`.
"""

from __future__ import annotations

from .compute import accelerators
from .model import model
from .ops import Value
from .units import SECONDS_PER_DAY

__all__ = ["infer_flops", "daily_flop", "daily_flop_of_queries", "average_flops", "peak_flops", "infer_gpus"]


@model
def infer_flops(params: Value, tokens: Value, flops_per_param_token: Value = 2) -> Value:
    """Inference compute in FLOP for ``tokens`` tokens: 2·N per token."""
    return flops_per_param_token * params * tokens


@model
def daily_flop(params: Value, daily_users: Value, queries_per_user: Value, tokens_per_query: Value,
               flops_per_param_token: Value = 2) -> Value:
    """FLOP served per day: users × queries per user × tokens per query × 2N."""
    return daily_flop_of_queries(infer_flops(params, tokens_per_query, flops_per_param_token), queries_per_user,
                                 daily_users)


@model
def daily_flop_of_queries(flop_per_query: Value, queries_per_user: Value, daily_users: Value) -> Value:
    """FLOP served per day from the FLOP of one query: per query × queries per user × users.

    The second step of :func:`daily_flop`, for a table that shows the FLOP per query as a row of its own
    (fig50's 每人每次查询所需计算次数 × 查询次数 × 日活人数).
    """
    return flop_per_query * queries_per_user * daily_users


@model
def average_flops(flop_per_day: Value) -> Value:
    """Average FLOP/s over a day: daily FLOP ÷ 86,400."""
    return flop_per_day / SECONDS_PER_DAY


@model
def peak_flops(average: Value, peak_multiplier: Value) -> Value:
    """Peak FLOP/s: the daily average times the concurrency (peak-to-average) multiplier."""
    return average * peak_multiplier


@model
def infer_gpus(params: Value, daily_users: Value, queries_per_user: Value, tokens_per_query: Value,
               peak_multiplier: Value, peak_tflops: Value, utilization: Value) -> Value:
    """GPUs (fractional) to serve the peak inference load, the utilisation applied once."""
    daily = daily_flop(params, daily_users, queries_per_user, tokens_per_query)
    return accelerators(peak_flops(average_flops(daily), peak_multiplier), peak_tflops, utilization)
