"""Inference memory: weights, the report's intermediate multiplier, cards per instance,
the KV cache the report leaves out, and ZeRO training-state memory.
"""

from __future__ import annotations

from .domains import WHOLE
from .model import model
from .ops import Value, ceil, where
from .units import GIGA

__all__ = ["weights_gb", "inference_memory_gb", "cards_per_instance", "instances",
           "deployment_cards", "kv_cache_bytes", "zero_bytes_per_param"]


@model
def weights_gb(params: Value, bytes_per_param: Value = 2) -> Value:
    """Memory of the weights alone in GB (1e9 bytes): params × bytes per parameter."""
    return params * bytes_per_param / GIGA


@model
def inference_memory_gb(params: Value, bytes_per_param: Value = 2,
                        intermediate_multiplier: Value = 1) -> Value:
    """Inference memory in GB: weights × (1 + intermediate multiplier), the report's fig43 rule."""
    return weights_gb(params, bytes_per_param) * (1 + intermediate_multiplier)


@model
def cards_per_instance(params: Value, gpu_memory_gb: Value, bytes_per_param: Value = 2,
                       intermediate_multiplier: Value = 1) -> Value:
    """Whole cards one model instance needs: CEIL(inference memory ÷ card memory)."""
    return ceil(inference_memory_gb(params, bytes_per_param, intermediate_multiplier) / gpu_memory_gb)


@model
def instances(peak_concurrent_users: Value, users_per_instance: Value) -> Value:
    """Model instances to deploy, whole: CEIL(peak concurrent users ÷ users one instance serves)."""
    return ceil(peak_concurrent_users / users_per_instance)


@model
def deployment_cards(instance_count: Value, cards_each: Value) -> Value:
    """Cards for a deployment: instances × cards per instance."""
    return instance_count * cards_each


@model(tokens=WHOLE)
def kv_cache_bytes(layers: Value, kv_heads: Value, head_dim: Value, tokens: Value, batch: Value = 1,
                   bytes_per_value: Value = 2) -> Value:
    """KV-cache size in bytes: 2 (K and V) × layers × KV heads × head dim × tokens × batch × bytes.

    Grouped-query attention enters through ``kv_heads`` (8 for Llama-2 70B, not its 64
    query heads); multi-head attention has ``kv_heads`` equal to the attention heads.
    """
    return 2 * layers * kv_heads * head_dim * tokens * batch * bytes_per_value


@model
def zero_bytes_per_param(stage: Value, dp_degree: Value, optimizer_bytes: Value = 12) -> Value:
    """Training-state bytes per parameter per GPU under ZeRO stage 0-3 (mixed-precision Adam).

    FP16 weights (2) + FP16 gradients (2) + optimizer state K (12 for FP32 weights, momentum
    and variance); stage 1 shards the optimizer state over ``dp_degree`` GPUs, stage 2 the
    gradients too, stage 3 the weights too (Rajbhandari et al., 2020).
    """
    k = optimizer_bytes
    # 1/IF(stage>=n, dp, 1), not IF(stage>=n, 1/dp, 1): the same number, and nothing divided by a
    # degree the stage does not use (Python computes both branches of where(); a spreadsheet does not)
    s1 = 1 / where(stage >= 1, dp_degree, 1)
    s2 = 1 / where(stage >= 2, dp_degree, 1)
    s3 = 1 / where(stage >= 3, dp_degree, 1)
    return 2 * s3 + 2 * s2 + k * s1
