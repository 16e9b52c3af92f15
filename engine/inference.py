"""Inference compute: 2·N FLOP per token, daily and peak load, and the GPUs to serve it.

The utilisation is applied once, in :func:`engine.compute.accelerators`.
"""

from __future__ import annotations

from .compute import accelerators
from .model import model
from .ops import Value
from .units import SECONDS_PER_DAY

__all__ = ["infer_flops", "daily_flop", "average_flops", "peak_flops", "infer_gpus"]


@model
def infer_flops(params: Value, tokens: Value, flops_per_param_token: Value = 2) -> Value:
    """Inference compute in FLOP for ``tokens`` tokens: 2·N per token."""
    return flops_per_param_token * params * tokens


@model
def daily_flop(params: Value, daily_users: Value, queries_per_user: Value, tokens_per_query: Value,
               flops_per_param_token: Value = 2) -> Value:
    """FLOP served per day: users × queries per user × tokens per query × 2N."""
    return daily_users * queries_per_user * infer_flops(params, tokens_per_query, flops_per_param_token)


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
