"""From a sustained compute rate to a number of accelerators.

The one link every demand model shares: FLOP/s needed ÷ (chip peak × utilisation).  The
utilisation is applied here, once; the report's fig50 applies it twice (erratum E01).
"""

from __future__ import annotations

from .model import model
from .ops import Value
from .units import SECONDS_PER_DAY, TERA

__all__ = ["flops_rate", "accelerators"]


@model
def flops_rate(flop: Value, days: Value, runs: Value = 1) -> Value:
    """Sustained FLOP/s needed to finish ``runs`` jobs of ``flop`` FLOP each in ``days`` days."""
    return runs * flop / (days * SECONDS_PER_DAY)


@model
def accelerators(flops_per_second: Value, peak_tflops: Value, utilization: Value) -> Value:
    """Accelerators needed (cards, fractional) to sustain ``flops_per_second`` at a utilisation.

    ``peak_tflops`` is the chip's dense peak for the precision used (H100 SXM FP16 tensor:
    989.5 dense, not the 1979 sparse figure).
    """
    return flops_per_second / (peak_tflops * TERA * utilization)
