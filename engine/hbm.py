"""HBM: stack bandwidth from the pin rate and bus width, and the HBM value a GPU and a server carry.

Bandwidth is in GB/s (1e9 bytes per second), pin rates in Gb/s per pin, bus widths in bits,
capacity in GB and money in USD.
"""

from __future__ import annotations

from .model import model
from .ops import Value
from .units import BITS_PER_BYTE

__all__ = ["stack_bandwidth_gbs", "usd_per_gb", "value_per_server", "gb_per_die"]


@model
def stack_bandwidth_gbs(pin_gbps: Value, bus_bits: Value = 1024) -> Value:
    """Memory bandwidth in GB/s: pin rate (Gb/s) × bus width (bits) ÷ 8 (显存带宽 = 等效频率 × 位宽 / 8).

    One HBM stack has a 1024-bit interface: 1 Gb/s per pin gives 128 GB/s, HBM3 at 6.4 Gb/s
    819.2 GB/s.
    """
    return pin_gbps * bus_bits / BITS_PER_BYTE


@model
def usd_per_gb(hbm_usd_per_gpu: Value, hbm_gb_per_gpu: Value) -> Value:
    """Price of HBM per GB: the HBM value a GPU carries ÷ its HBM capacity."""
    return hbm_usd_per_gpu / hbm_gb_per_gpu


@model
def value_per_server(gpus_per_server: Value, hbm_usd_per_gpu: Value) -> Value:
    """HBM value in one server in USD: GPUs per server × HBM value per GPU."""
    return gpus_per_server * hbm_usd_per_gpu


@model
def gb_per_die(stack_gb: Value, dies_per_stack: Value) -> Value:
    """Capacity of one DRAM die in a stack, GB: stack capacity ÷ dies stacked (64 GB ÷ 16-Hi = 4 GB)."""
    return stack_gb / dies_per_stack
