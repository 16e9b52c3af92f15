"""The symbolic rendering: formulas built from the models compute what the models compute."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import growth, inference, memory, training
from engine.ops import Formula, ceil, maximum, minimum, ref, round_half_up, where

from excel_oracle import evaluate

pos = st.floats(1e-3, 1e6)


def _agree(fn, names, values, rel=1e-9):
    symbolic = fn(*[ref(n) for n in names])
    assert isinstance(symbolic, Formula)
    numeric = fn(*values)
    got = evaluate(str(symbolic), dict(zip(names, values, strict=True)))
    assert got == pytest.approx(numeric, rel=rel), str(symbolic)


@given(pos, pos, pos)
def test_training_formula_agrees(n, d, k):
    _agree(training.train_flops, ["n", "d", "k"], [n, d, k])


@given(pos, pos, pos, st.floats(1, 1000), st.floats(0.01, 1))
def test_train_gpus_formula_agrees(n, d, t, p, u):
    _agree(lambda *a: training.train_gpus(*a), ["n", "d", "t", "p", "u"], [n, d, t, p, u])


@given(pos, pos, pos, pos, pos, st.floats(1, 1000), st.floats(0.01, 1))
def test_infer_gpus_formula_agrees(n, dau, q, tok, m, p, u):
    _agree(inference.infer_gpus, ["n", "dau", "q", "tok", "m", "p", "u"], [n, dau, q, tok, m, p, u])


@given(st.floats(1e9, 1e13), st.floats(1, 200), st.floats(1, 4), st.floats(0, 3))
def test_cards_formula_agrees(n, mem, b, m):
    _agree(memory.cards_per_instance, ["n", "mem", "b", "m"], [n, mem, b, m])


@given(st.floats(1, 1e6), st.floats(1, 1e6), st.floats(0.5, 10))
def test_cagr_formula_agrees(a, b, p):
    _agree(growth.cagr, ["a", "b", "p"], [a, b, p])


@given(st.integers(0, 3), st.floats(1, 1024))
def test_zero_formula_agrees(stage, nd):
    _agree(memory.zero_bytes_per_param, ["s", "nd"], [stage, nd])


def test_precedence_is_explicit():
    a, b, c = ref("a"), ref("b"), ref("c")
    assert str(a - (b - c)) == "=a-(b-c)"
    assert str(a / (b * c)) == "=a/(b*c)"
    assert str((a + b) * c) == "=(a+b)*c"
    assert str(a * b / c) == "=a*b/c"
    assert str(-a ** 2) == "=-(a^2)"
    assert str((-a) ** 2) == "=(-a)^2"
    assert str((a ** b) ** c) == "=(a^b)^c"
    assert str(2 - a) == "=2-a"
    assert str(where(a > 1, b, c)) == "=IF(a>1,b,c)"
    assert evaluate(str(-a ** 2), {"a": 3}) == -9
    assert evaluate(str(a - (b - c)), {"a": 1, "b": 2, "c": 3}) == 2


def test_numbers_are_written_as_excel_reads_them():
    a = ref("a")
    assert str(a * 1e-7) == "=a*1E-07"
    assert str(a * 1e12) == "=a*1000000000000"
    assert str(a * 0.3) == "=a*0.3"
    assert str(a + True) == "=a+TRUE"


@pytest.mark.parametrize("x, digits, expected", [
    (560.455, 1, 560.5), (2.675, 2, 2.68), (-2.5, 0, -3.0), (0.5, 0, 1.0), (302.045, 2, 302.05),
    (1.005, 2, 1.01), (87.175, 2, 87.18), (0.0, 2, 0.0),
])
def test_round_half_up_is_excels_round(x, digits, expected):
    assert round_half_up(x, digits) == expected
    assert round_half_up(np.array([x]), digits)[0] == expected


def test_ceil_ignores_floating_point_noise():
    assert ceil(700 / 80) == 9
    assert ceil(0.1 * 3 / 0.3) == 1          # 1.0000000000000002 is one card, not two
    assert ceil(4000 / 24) == 167
    assert list(ceil(np.array([8.75, 50.0, 2.0000000000000004]))) == [9, 50, 2]


def test_functions_work_on_arrays_and_scalars():
    assert maximum(1, 2) == 2 and minimum(1, 2) == 1
    assert list(maximum(np.array([1, 5]), 3)) == [3, 5]
    assert list(where(np.array([True, False]), 1, 2)) == [1, 2]
    assert where(False, 1, 2) == 2


def test_a_formula_has_no_truth_value():
    with pytest.raises(TypeError, match="where"):
        bool(ref("a") > 1)


def test_formula_refuses_nonfinite_constants():
    with pytest.raises(ValueError):
        str(ref("a") * math.inf)


@given(st.floats(0, 1e15))
def test_ceil_and_round_agree_on_arrays_and_scalars(x):
    arr = np.array([x])
    assert ceil(arr)[0] == ceil(x)
    assert round_half_up(arr, 2)[0] == round_half_up(x, 2)


def test_ceil_of_large_whole_numbers_is_exact():
    assert ceil(np.array([17500000.0]))[0] == 17500000.0
    assert ceil(17500000.0) == 17500000.0
