"""Bad input: each gets one clear message naming the argument and what is accepted."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import (
    InvalidTypeError,
    InvalidValueError,
    MissingValueError,
    SuanliError,
    UnknownNameError,
    growth,
    memory,
    scenarios,
    table,
    training,
)

CASES = [
    # (call, error type, message fragment)
    (lambda: training.train_flops(-1, 3e11), InvalidValueError, "params must be a number >= 0, got -1"),
    (lambda: training.train_gpus(175e9, 3e11, 0, 312, 0.3), InvalidValueError, "days must be a number > 0, got 0"),
    (lambda: training.train_gpus(175e9, 3e11, 7, 312, 30), InvalidValueError,
     "utilization must be in (0, 1], got 30 (did you mean 0.30?)"),
    (lambda: training.train_gpus(175e9, 3e11, 7, 312, math.nan), InvalidValueError, "utilization"),
    (lambda: training.train_flops("175e9", 3e11), InvalidTypeError, "params must be a number, got '175e9'"),
    (lambda: training.train_flops(None, 3e11), MissingValueError, "params is required"),
    (lambda: training.train_flops(True, 3e11), InvalidTypeError, "params must be a number, not TRUE/FALSE"),
    (lambda: memory.cards_per_instance(175e9, 0), InvalidValueError, "gpu_memory_gb must be a number > 0"),
    (lambda: memory.kv_cache_bytes(80.5, 8, 128, 4096), InvalidValueError, "layers must be a whole number"),
    (lambda: growth.cagr(0, 10, 4), InvalidValueError, "start_value must be a number > 0, got 0"),
    (lambda: growth.cagr(1, 10, 0), InvalidValueError, "periods must be a number > 0"),
    (lambda: training.train_flops(np.array([1e9, -5.0]), 1e9), InvalidValueError, "params must be a number >= 0, got -5"),
    (lambda: training.train_flops(np.array(["a"]), 1e9), InvalidTypeError, "params must be numbers"),
    (lambda: training.train_flops(math.inf, 1e9), InvalidValueError, "params"),
    (lambda: table("fig49", "nope"), UnknownNameError, "unknown scenario 'nope'"),
    (lambda: table("fig999"), UnknownNameError, "unknown exhibit 'fig999'"),
    (lambda: table("fig49", overrides={"mm_vendor": 3}), UnknownNameError, "did you mean mm_vendors?"),
    (lambda: table("fig49", overrides={"train_utilization": 30}), InvalidValueError, "did you mean 0.30?"),
    (lambda: table("fig49", overrides={"mm_vendors": [1, 2]}), InvalidValueError,
     "mm_vendors takes one value or 5 values (2023E, 2024E, 2025E, 2026E, 2027E), got 2 values"),
    (lambda: table("fig49", overrides={"mm_vendors": [1, 2, 3, 4, 5.5]}), InvalidValueError,
     "mm_vendors[2027E] must be a whole number >= 0, got 5.5"),
    (lambda: table("fig49", overrides={"mm_params_base": "lots"}), InvalidTypeError, "mm_params_base must be a number"),
    (lambda: table("fig49", overrides={"mm_params_base": [1, 2]}), InvalidValueError, "takes a single value"),
    (lambda: table("fig50", overrides={"fig50_util_applied_twice": 2}), InvalidValueError, "must be TRUE or FALSE"),
    (lambda: table("fig49", overrides={"mm_params_growth": -1}), InvalidValueError, "mm_params_growth must be"),
    (lambda: table("fig49", overrides={"mm_dau": "nan"}), InvalidValueError, "finite"),
]


@pytest.mark.parametrize("call, error, fragment", CASES, ids=[c[2][:40] for c in CASES])
def test_bad_input_message(call, error, fragment):
    with pytest.raises(error) as info:
        call()
    assert fragment in str(info.value)
    assert isinstance(info.value, SuanliError)
    assert "Traceback" not in str(info.value)


def test_errors_are_builtin_exceptions_too():
    with pytest.raises(ValueError):
        training.train_flops(-1, 1)
    with pytest.raises(TypeError):
        training.train_flops("x", 1)
    with pytest.raises(KeyError):
        scenarios.load("nope")


def test_overrides_never_change_the_packaged_scenario():
    before = scenarios.load("csc-2023").value("mm_vendors")
    table("fig49", overrides={"mm_vendors": 1})
    assert scenarios.load("csc-2023").value("mm_vendors") == before


def test_every_packaged_scenario_loads_and_evaluates():
    from engine import exhibits
    for name in scenarios.names():
        for ex in exhibits.all_exhibits():
            t = table(ex.id, name)
            for row in ex.rows:
                for v in t.values(row.key):
                    assert v is None or isinstance(v, str) or math.isfinite(v)


def test_the_exhibit_registry_names_every_module():
    import pkgutil

    from engine import exhibits
    assert set(exhibits.MODULES) == {m.name for m in pkgutil.iter_modules(exhibits.__path__)}
