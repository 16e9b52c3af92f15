"""AI-server market: GPU value, the GPU share of server cost, and the market it implies.

The report sizes the global AI-server market as the value of the accelerators the demand
models need divided by the GPU share of an AI server's cost (fig7), and the China market as
a share of that (fig8).  Money is in USD or CNY; shares are fractions.
"""

from __future__ import annotations

from .model import model
from .ops import Value

__all__ = ["gpu_value", "server_market", "ai_server_market", "gpu_cost_share", "implied_unit_price"]


@model
def gpu_value(gpus: Value, usd_per_gpu: Value) -> Value:
    """Value of the accelerators in USD (or the currency of the price): GPUs × price per GPU."""
    return gpus * usd_per_gpu


@model
def server_market(gpu_value_usd: Value, gpu_cost_share: Value, efficiency_factor: Value = 1) -> Value:
    """AI-server spending in USD: GPU value ÷ the GPU share of server cost ÷ an efficiency factor.

    An efficiency factor above 1 (better chips or algorithms) means fewer servers for the same
    demand; the report prints one (100/120/150%) but never applies it (erratum E02).
    """
    return gpu_value_usd / gpu_cost_share / efficiency_factor


@model
def ai_server_market(gpus: Value, usd_per_gpu: Value, gpu_cost_share: Value) -> Value:
    """AI-server market in USD: GPUs × USD per GPU ÷ the GPU share of an AI server's cost."""
    return server_market(gpu_value(gpus, usd_per_gpu), gpu_cost_share)


@model
def gpu_cost_share(gpus: Value, gpu_price: Value, server_price: Value) -> Value:
    """The GPUs' share of a server's price, as a fraction: GPUs × price per GPU ÷ server price."""
    return gpus * gpu_price / server_price


@model
def implied_unit_price(price_more: Value, price_fewer: Value, gpus_more: Value, gpus_fewer: Value) -> Value:
    """The price of one extra GPU implied by two configurations of one server, otherwise identical."""
    return (price_more - price_fewer) / (gpus_more - gpus_fewer)
