"""Training compute: k·N·D FLOP, PF-days, GPUs for a deadline, days on a fleet, MFU.

``k`` is the FLOP per parameter per token: 6 (2 forward + 4 backward, Kaplan et al.), or 8
with activation recomputation.  Parameters and tokens are counts (175e9, not 1750亿).
"""

from __future__ import annotations

from .compute import accelerators, flops_rate
from .domains import POSITIVE
from .model import model
from .units import PF_DAY_FLOP, SECONDS_PER_DAY, TERA

__all__ = ["train_flops", "pf_days", "train_gpus", "train_days", "mfu"]


@model
def train_flops(params, tokens, flops_per_param_token=6):
    """Training compute in FLOP: k·N·D (k = 6 by default)."""
    return flops_per_param_token * params * tokens


@model
def pf_days(flop):
    """Compute in PF-days (1 PF-day = 1e15 FLOP/s for 86,400 s = 8.64e19 FLOP)."""
    return flop / PF_DAY_FLOP


@model
def train_gpus(params, tokens, days, peak_tflops, utilization, runs=1, flops_per_param_token=6):
    """GPUs (fractional) needed to train ``runs`` models of N params on D tokens in ``days`` days."""
    rate = flops_rate(train_flops(params, tokens, flops_per_param_token), days, runs)
    return accelerators(rate, peak_tflops, utilization)


@model(gpus=POSITIVE)
def train_days(params, tokens, gpus, peak_tflops, utilization, flops_per_param_token=6):
    """Days to train N params on D tokens on ``gpus`` GPUs at a peak and a utilisation."""
    flop = train_flops(params, tokens, flops_per_param_token)
    return flop / (gpus * peak_tflops * TERA * utilization) / SECONDS_PER_DAY


@model
def mfu(params, tokens_per_second, chips, peak_tflops, flops_per_param_token=6):
    """Model FLOPs utilisation as a fraction: k·N·(tokens/s) ÷ (chips × peak)."""
    return flops_per_param_token * params * tokens_per_second / (chips * peak_tflops * TERA)
