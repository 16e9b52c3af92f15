"""Model properties: scaling, monotonicity, finiteness, and arrays agreeing with scalars."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import compute, growth, inference, memory, training

params = st.floats(1e6, 1e14)
tokens = st.floats(1e6, 1e14)
days = st.floats(0.01, 3650)
peak = st.floats(1, 1e5)
util = st.floats(0.01, 1)
users = st.floats(0, 1e10)


@given(params, tokens)
def test_twice_the_parameters_twice_the_training_flop(n, d):
    assert training.train_flops(2 * n, d) == pytest.approx(2 * training.train_flops(n, d), rel=1e-12)


@given(params, tokens, days, peak, util, util)
def test_more_utilisation_fewer_gpus(n, d, t, p, u1, u2):
    lo, hi = sorted((u1, u2))
    assert training.train_gpus(n, d, t, p, hi) <= training.train_gpus(n, d, t, p, lo)


@given(params, tokens, days, peak, util)
def test_training_outputs_finite_and_nonnegative(n, d, t, p, u):
    for v in (training.train_flops(n, d), training.pf_days(training.train_flops(n, d)),
              training.train_gpus(n, d, t, p, u), training.train_days(n, d, 8, p, u)):
        assert math.isfinite(v) and v >= 0


@given(params, tokens, days, peak, util)
def test_days_and_gpus_are_inverse(n, d, t, p, u):
    gpus = training.train_gpus(n, d, t, p, u)
    assert training.train_days(n, d, gpus, p, u) == pytest.approx(t, rel=1e-9)


@given(params, st.floats(1, 1e6), st.floats(1, 1e5), peak)
def test_mfu_inverts_the_throughput(n, tps, chips, p):
    u = training.mfu(n, tps, chips, p)
    assert u * chips * p * 1e12 == pytest.approx(6 * n * tps, rel=1e-12)


@given(params, users, st.floats(0, 100), st.floats(0, 1e4), st.floats(1, 20), peak, util)
def test_inference_gpus_scale_with_users_and_are_finite(n, dau, q, tok, mult, p, u):
    one = inference.infer_gpus(n, dau, q, tok, mult, p, u)
    two = inference.infer_gpus(n, 2 * dau, q, tok, mult, p, u)
    assert math.isfinite(one) and one >= 0
    assert two == pytest.approx(2 * one, rel=1e-12, abs=1e-300)


@given(params, st.floats(1, 1000), st.floats(0.5, 8), st.floats(0, 5))
def test_cards_per_instance_is_the_smallest_whole_number_that_fits(n, mem, b, m):
    cards = memory.cards_per_instance(n, mem, b, m)
    need = memory.inference_memory_gb(n, b, m)
    assert cards == int(cards)
    assert cards * mem >= need * (1 - 1e-9)
    assert (cards - 1) * mem < need


def test_report_examples():
    assert memory.cards_per_instance(175e9, 80) == 9
    assert memory.cards_per_instance(1e12, 24) == 167
    assert memory.weights_gb(175e9) == 350
    assert training.pf_days(training.train_flops(175e9, 300e9)) == pytest.approx(3645.833, rel=1e-6)
    assert growth.cagr(35714.29, 358318.08, 4) == pytest.approx(0.7797, abs=5e-5)
    assert growth.cagr(246914, 10880000, 5) == pytest.approx(1.132, abs=5e-4)


def test_kv_cache_with_grouped_query_attention():
    # Llama-2 70B: 80 layers, 8 KV heads of dimension 128; 4096 tokens, batch 1, FP16.
    assert memory.kv_cache_bytes(80, 8, 128, 4096) == 2 * 80 * 8 * 128 * 4096 * 2 == 1_342_177_280
    # multi-head attention (64 KV heads) needs 8 times as much
    assert memory.kv_cache_bytes(80, 64, 128, 4096) == 8 * memory.kv_cache_bytes(80, 8, 128, 4096)


def test_zero_stages_match_the_paper():
    psi, nd = 7.5e9, 64
    gb = [memory.zero_bytes_per_param(s, nd) * psi / 1e9 for s in range(4)]
    assert [round(x, 1) for x in gb] == [120.0, 31.4, 16.6, 1.9]


@given(st.lists(st.tuples(params, tokens, days, peak, util), min_size=1, max_size=20))
def test_array_path_equals_scalar_path(rows):
    n, d, t, p, u = (np.array(c) for c in zip(*rows, strict=True))
    arr = training.train_gpus(n, d, t, p, u)
    for i, row in enumerate(rows):
        assert arr[i] == pytest.approx(training.train_gpus(*row), rel=1e-12)
    arr = memory.cards_per_instance(n, p)
    for i, row in enumerate(rows):
        assert arr[i] == memory.cards_per_instance(row[0], row[3])


@given(st.floats(1, 1e9), st.floats(-0.99, 10), st.integers(0, 20))
def test_grow_then_cagr_round_trips(base, rate, periods):
    if periods == 0:
        return
    end = growth.grow(base, rate, periods)
    assert growth.cagr(base, end, periods) == pytest.approx(rate, rel=1e-9, abs=1e-12)


def test_compute_rate_matches_fig49_definition():
    flop = training.train_flops(1.5e12, 1e12)
    rate = compute.flops_rate(flop, 7, runs=15)
    assert rate / 1e15 == pytest.approx(223214.2857, rel=1e-9)


@pytest.mark.parametrize("block", ["mm", "std"])
def test_fig50_daily_flop_is_the_daily_flop_model(block):
    """fig50 shows inference.daily_flop's two steps as rows (FLOP per query, then per day); composed, they are
    that model."""
    from engine import table

    t = table("fig50")
    v, k = t.result.values, t.scenario.value("infer_flops_per_param_token")
    for j, column in enumerate(t.columns):
        expected = inference.daily_flop(v[f"{block}_params"][j], v[f"{block}_dau"][j], v[f"{block}_queries"][j],
                                        v[f"{block}_tokens_per_query"][j], k)
        assert v[f"{block}_flop_per_day"][j] == pytest.approx(expected, rel=1e-12), column
