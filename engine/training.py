"""Training compute: k·N·D FLOP, PF-days, GPUs for a deadline, days on a fleet, MFU.

``k`` is the FLOP per parameter per token: 6 (2 forward + 4 backward, Kaplan et al.), or 8
with activation recomputation.  Parameters and tokens are counts (175e9, not 1750亿).
"""

from __future__ import annotations

from .compute import accelerators, flops_rate
from .domains import POSITIVE
from .model import model
from .ops import Value
from .units import PF_DAY_FLOP, SECONDS_PER_DAY, TERA

__all__ = ["train_flops", "pf_days", "train_gpus", "train_days", "mfu"]


@model
def train_flops(params: Value, tokens: Value, flops_per_param_token: Value = 6) -> Value:
    """Training compute in FLOP: k·N·D (k = 6 by default)."""
    return flops_per_param_token * params * tokens


@model
def pf_days(flop: Value) -> Value:
    """Compute in PF-days (1 PF-day = 1e15 FLOP/s for 86,400 s = 8.64e19 FLOP)."""
    return flop / PF_DAY_FLOP


@model
def train_gpus(params: Value, tokens: Value, days: Value, peak_tflops: Value, utilization: Value,
               runs: Value = 1, flops_per_param_token: Value = 6) -> Value:
    """GPUs (fractional) needed to train ``runs`` models of N params on D tokens in ``days`` days."""
    rate = flops_rate(train_flops(params, tokens, flops_per_param_token), days, runs)
    return accelerators(rate, peak_tflops, utilization)


@model(gpus=POSITIVE)
def train_days(params: Value, tokens: Value, gpus: Value, peak_tflops: Value, utilization: Value,
               flops_per_param_token: Value = 6) -> Value:
    """Days to train N params on D tokens on ``gpus`` GPUs at a peak and a utilisation."""
    flop = train_flops(params, tokens, flops_per_param_token)
    return flop / (gpus * peak_tflops * TERA * utilization) / SECONDS_PER_DAY


@model
def mfu(params: Value, tokens_per_second: Value, chips: Value, peak_tflops: Value,
        flops_per_param_token: Value = 6) -> Value:
    """Model FLOPs utilisation as a fraction: k·N·(tokens/s) ÷ (chips × peak)."""
    return flops_per_param_token * params * tokens_per_second / (chips * peak_tflops * TERA)
