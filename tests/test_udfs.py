"""The Excel functions: worked examples, scalar and range calls, bad input, help text, and
xlwings' own classic UDF machinery accepting every signature."""

from __future__ import annotations

import datetime as dt
import inspect
import io
import math
import re
import types
from pathlib import Path

import numpy as np
import pytest

from addin import reference, udfs
from engine.arguments import ARGUMENTS

FUNCTIONS = udfs.functions()
NUMERIC = {n: f for n, f in FUNCTIONS.items()
           if n not in ("AI_GPU", "AI_GPUS", "AI_INPUT", "AI_TABLE", "AI_VERSION", "AI_EXPORT_CLASS")}


def _matches(got, expected):
    if isinstance(expected, list):
        assert isinstance(got, list), got
        for g, e in zip(got, expected, strict=True):
            if e == "…":
                return
            _matches(g, e)
        assert len(got) == len(expected), (got, expected)
        return
    if isinstance(expected, bool):  # TRUE/FALSE, not 1/0
        assert got is expected, (got, expected)
    elif isinstance(expected, (int, float)):
        assert got == pytest.approx(expected, rel=1e-4), (got, expected)
    else:
        assert got == expected


@pytest.mark.parametrize("name, args, expected",
                         [(n, a, e) for n, f in FUNCTIONS.items() for a, e in f.examples],
                         ids=lambda v: v if isinstance(v, str) else None)
def test_worked_examples(name, args, expected):
    _matches(FUNCTIONS[name](*args), expected)


def test_report_examples_named_in_the_issue():
    assert udfs.AI_CARDS_PER_INSTANCE(175e9, 80) == 9
    assert udfs.AI_TPP(312, 16) == 4992
    assert udfs.AI_EXPORT_CLASS(4992, 600) == "restricted"
    assert udfs.AI_EXPORT_CLASS(4992, 400) == "not restricted"
    assert udfs.AI_CAGR(246914, 10880000, 5) == pytest.approx(1.132, abs=5e-4)  # the printed 113%


def _example_args(f):
    return f.examples[0][0]


@pytest.mark.parametrize("name", list(NUMERIC))
def test_ranges_broadcast_and_keep_their_shape(name):
    f = NUMERIC[name]
    args = list(_example_args(f))
    scalar = f(*args)
    column = [[args[0]], [args[0]], [args[0]]]
    got = f(column, *args[1:])
    assert np.shape(got) == (3, 1)
    assert all(v == pytest.approx(scalar) for (v,) in got.tolist())
    row = [[args[0], args[0]]]
    assert np.shape(f(row, *args[1:])) == (1, 2)
    # a range in every argument, element by element
    got = f(*[[[a], [a]] for a in args])
    assert got.tolist() == [[pytest.approx(scalar)], [pytest.approx(scalar)]]


def test_one_call_for_a_whole_column():
    params = [[175e9 * (i + 1)] for i in range(1000)]
    got = udfs.AI_TRAIN_FLOPS(params, 300e9)
    assert len(got) == 1000 and got[999][0] == pytest.approx(6 * 175e9 * 1000 * 300e9)
    arr = udfs.AI_TRAIN_FLOPS(np.array([175e9, 350e9]), 300e9)
    assert arr.tolist() == [[pytest.approx(3.15e23)], [pytest.approx(6.3e23)]]


BAD = [
    (lambda: udfs.AI_TRAIN_GPUS(175e9, 300e9, 30, 312, 30), "#NUM! utilization must be in (0, 1], got 30 (did you mean 0.30?)"),
    (lambda: udfs.AI_TRAIN_GPUS(175e9, 300e9, 0, 312, 0.3), "#DIV/0! days must be a number > 0, got 0"),
    (lambda: udfs.AI_TRAIN_FLOPS(None, 300e9), "#VALUE! params is blank; it needs a number >= 0"),
    (lambda: udfs.AI_TRAIN_FLOPS("175e9", 300e9), "#VALUE! params must be a number >= 0, got text '175e9'"),
    (lambda: udfs.AI_TRAIN_FLOPS("#N/A", 300e9), "#N/A params holds the error #N/A; it needs a number >= 0"),
    (lambda: udfs.AI_TRAIN_FLOPS(True, 300e9), "#VALUE! params must be a number >= 0, got TRUE"),
    (lambda: udfs.AI_TRAIN_FLOPS(dt.datetime(2023, 1, 1), 300e9), "#VALUE! params must be a number >= 0, got a date"),
    (lambda: udfs.AI_TRAIN_FLOPS(-1, 300e9), "#NUM! params must be a number >= 0, got -1"),
    (lambda: udfs.AI_TRAIN_FLOPS(math.nan, 300e9), "#NUM! params must be a number >= 0, got nan"),
    (lambda: udfs.AI_CAGR(0, 10, 4), "#DIV/0! start_value must be a number > 0, got 0"),
    (lambda: udfs.AI_CARDS_PER_INSTANCE(175e9, 0), "#DIV/0! gpu_memory_gb must be a number > 0, got 0"),
    (lambda: udfs.AI_KV_CACHE_BYTES(80.5, 8, 128, 4096), "#NUM! layers must be a whole number >= 1, got 80.5"),
    (lambda: udfs.AI_FACILITY_KW(100, 0.9), "#NUM! pue must be a number >= 1, got 0.9"),
    (lambda: udfs.AI_COOLING_CAPEX(100, 70), "#NUM! liquid_share must be in [0, 1], got 70 (did you mean 0.70?)"),
    (lambda: udfs.AI_FAT_TREE(1120, 41), "#NUM! switch_radix must be"),
    (lambda: udfs.AI_OPTICAL_MODULES(1120, 200, 200, 4), "#NUM! tiers must be a whole number in [1, 3], got 4"),
    (lambda: udfs.AI_OPTICAL_MODULES(1120, 200, 200, 3, 40, 1, 2), "#VALUE! first_hop_copper must be TRUE or FALSE, got 2"),
    (lambda: udfs.AI_TPP(312, 0), "#NUM! bit_length must be a whole number >= 1, got 0"),
    (lambda: udfs.AI_SERVER_MARKET(100, 10000, 70), "#NUM! gpu_cost_share must be in (0, 1], got 70 (did you mean 0.70?)"),
    (lambda: udfs.AI_TRAIN_FLOPS([[1e9], [2e9], [3e9]], [[1e9], [2e9]]), "#VALUE! ranges must have the same shape"),
    (lambda: udfs.AI_TRAIN_FLOPS(1e308, 1e308), "#NUM! the result is not a finite number"),
    (lambda: udfs.AI_GPU("H900", "memory_gb"), "#N/A unknown chip 'H900'"),
    (lambda: udfs.AI_GPU("H100", "speed"), "#N/A unknown field 'speed'"),
    (lambda: udfs.AI_GPU("H100", "fp8_tensor_dense_tflops"), "#VALUE! fp8_tensor_dense_tflops of NVIDIA H100 SXM"),
    (lambda: udfs.AI_GPU(None, "memory_gb"), "#VALUE! name and field are required"),
    (lambda: udfs.AI_GPUS("fpga"), "#N/A unknown kind 'fpga'"),
    (lambda: udfs.AI_INPUT("mm_vendor"), "#N/A unknown input key 'mm_vendor'"),
    (lambda: udfs.AI_INPUT("mm_vendors", "nope"), "#N/A unknown scenario 'nope'"),
    (lambda: udfs.AI_TABLE("fig999"), "#N/A unknown exhibit 'fig999'"),
]


@pytest.mark.parametrize("call, message", BAD, ids=[m[:40] for _, m in BAD])
def test_bad_input_shows_a_plain_error_text(call, message):
    got = call()
    text = got if isinstance(got, str) else got[0][0]
    assert text.startswith(message), text
    assert "Traceback" not in text


def test_an_error_marks_its_own_element_only():
    got = udfs.AI_TRAIN_GPUS(175e9, 300e9, 30, 312, [[0.3], [30], [None], ["x"], [0.5]])
    assert got[0][0] == pytest.approx(udfs.AI_TRAIN_GPUS(175e9, 300e9, 30, 312, 0.3))
    assert got[1][0].startswith("#NUM! utilization")
    assert got[2][0].startswith("#VALUE! utilization is blank")
    assert got[3][0].startswith("#VALUE! utilization must be in (0, 1], got text 'x'")
    assert got[4][0] == pytest.approx(udfs.AI_TRAIN_GPUS(175e9, 300e9, 30, 312, 0.5))


def test_a_bad_single_cell_marks_the_whole_range():
    got = udfs.AI_TRAIN_FLOPS([[1e9], [2e9]], -1)
    assert [r[0] for r in got.tolist()] == ["#NUM! tokens must be a number >= 0, got -1"] * 2


def test_never_nan_or_inf_as_a_number():
    for got in (udfs.AI_TRAIN_FLOPS(1e308, 10), udfs.AI_CAGR(1e-300, 1e300, 0.001)):
        assert isinstance(got, str) and got.startswith("#NUM!")


def test_text_results_and_tables():
    assert udfs.AI_EXPORT_CLASS([[4992], [4992]], [[600], [400]]).tolist() == [["restricted"], ["not restricted"]]
    t = udfs.AI_TABLE("fig50", "csc-2023-corrected")
    assert t[0][3:] == ["2023E", "2024E", "2025E", "2026E", "2027E"]
    h100 = next(r for r in t if r[0] == "H100 需求量（万张）（只考虑 H100 的情况下）")
    assert round(h100[3], 2) == 24.94
    chain = udfs.AI_TABLE("chain")
    assert any(isinstance(c, str) and c.startswith("needs chain_usd_per_switch") for r in chain for c in r)
    names = udfs.AI_GPUS()
    assert ["NVIDIA H100 SXM"] in names and all(len(r) == 1 for r in names)


OPTIONAL = {n: [p.name for p in inspect.signature(f).parameters.values() if p.default is not inspect.Parameter.empty]
            for n, f in NUMERIC.items()}


@pytest.mark.parametrize("name", [n for n, opt in OPTIONAL.items() if opt])
def test_a_blank_in_an_optional_argument_is_its_default(name):
    """A blank cell (None) in an optional argument means the default, as an omitted argument does
    in Excel's own functions: alone, as a 1×1 range, and element by element in a range."""
    f = NUMERIC[name]
    params = list(inspect.signature(f).parameters.values())
    required = [a for a, p in zip(_example_args(f), params, strict=False) if p.default is inspect.Parameter.empty]
    omitted = f(*required)
    assert not isinstance(omitted, str), omitted
    for i in range(len(OPTIONAL[name])):
        blanks = [None] * (i + 1)
        assert f(*required, *blanks) == omitted, (name, i)
        assert f(*required, *[[[None]]] * (i + 1)) == omitted, (name, i)
    first = params[len(required)]
    given = params[len(required)].default
    column = f(*required, [[None], [given], [None]]).tolist()
    assert column == [[omitted]] * 3, (name, first.name)


def test_a_blank_in_a_required_argument_is_an_error_in_its_own_cell():
    got = udfs.AI_TRAIN_FLOPS([[175e9], [None]], 300e9, [[None], [8]]).tolist()
    assert got[0] == [pytest.approx(3.15e23)]
    assert got[1] == ["#VALUE! params is blank; it needs a number >= 0"]
    assert udfs.AI_TRAIN_FLOPS(175e9, [[None]]) == "#VALUE! tokens is blank; it needs a number >= 0"
    assert udfs.AI_TRAIN_FLOPS(175e9, 300e9, [[None], [8], ["x"]]).tolist()[2][0] == \
        "#VALUE! flops_per_param_token must be a number > 0, got text 'x'"


def test_a_switch_comes_back_as_true_or_false():
    assert udfs.AI_INPUT("fig50_util_applied_twice") is True
    assert udfs.AI_INPUT("export_a800_as_a100") is False
    assert udfs.AI_INPUT("net_nvl_first_hop_copper") == [[True] * 5]
    assert all(v is False for v in udfs.AI_INPUT("net_first_hop_copper")[0])
    assert udfs.AI_OPTICAL_MODULES(1120, 200, 200, 3, 40, 1, None, 1 / 6) == \
        udfs.AI_OPTICAL_MODULES(1120, 200, 200, 3, 40, 1, False, 1 / 6) == 7840


def test_a_chip_kind_matches_in_any_case():
    assert udfs.AI_GPUS("GPU") == udfs.AI_GPUS("gpu") == udfs.AI_GPUS(" Gpu ")
    assert ["NVIDIA H100 SXM"] in udfs.AI_GPUS("GPU")
    assert udfs.AI_GPUS("Fpga").startswith("#N/A unknown kind 'Fpga'; one of: architecture, gpu")


def test_every_name_matches_in_any_case():
    assert udfs.AI_GPU("h100", "MEMORY_GB") == udfs.AI_GPU("H100", "memory_gb") == 80
    assert udfs.AI_INPUT("MM_Vendors", "CSC-2023-Corrected") == udfs.AI_INPUT("mm_vendors", "csc-2023-corrected")
    assert udfs.AI_TABLE("FIG43", "CSC-2023") == udfs.AI_TABLE("fig43")


def test_help_text():
    for name, f in FUNCTIONS.items():
        assert name.startswith("AI_") and name == name.upper()
        assert 0 < len(f.summary) < 255, name
        assert f.summary.endswith("."), name
        for p in inspect.signature(f).parameters:
            assert ARGUMENTS[p].description, (name, p)


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_defaults_are_the_models_and_every_argument_is_described(name, monkeypatch):
    f = FUNCTIONS[name]
    called, real = [], udfs.call_model

    def spy(model, args, *rest, **kw):
        called.append(model)
        return real(model, args, *rest, **kw)

    monkeypatch.setattr(udfs, "call_model", spy)
    f(*f.examples[0][0])
    assert called == ([f.model] if f.model is not None else []), name   # the model @udf names is the one called
    theirs = inspect.signature(f.model).parameters if f.model is not None else {}
    for p in inspect.signature(f).parameters.values():
        assert ARGUMENTS[p.name].description, (name, p.name)
        assert p.default is not udfs.MODEL_DEFAULT, (name, p.name)
        if f.model is not None:
            assert p.default == theirs[p.name].default, (name, p.name)


def test_an_excel_function_must_take_its_models_defaults():
    from engine import training

    def literal(params, tokens, flops_per_param_token=6):
        return params

    def reordered(tokens, params):
        return params

    def omits(params):
        return params

    def optional(params, tokens=udfs.MODEL_DEFAULT):
        return params

    def required(params, tokens, flops_per_param_token):
        return params

    def orphan(key, scenario=udfs.MODEL_DEFAULT):
        return key

    before = dict(udfs.functions())
    for f, message in [(literal, "write flops_per_param_token=MODEL_DEFAULT"), (reordered, "in its order"),
                       (omits, "needs ['tokens']"), (optional, "tokens is required in train_flops"),
                       (required, "flops_per_param_token is optional in train_flops")]:
        with pytest.raises(TypeError, match=re.escape(message)):
            udfs.udf(training.train_flops, examples=[])(f)
    with pytest.raises(TypeError, match="MODEL_DEFAULT needs the model"):
        udfs.udf(examples=[])(orphan)
    assert udfs.functions() == before


def test_the_contract_of_the_issue():
    expected = {
        "AI_TRAIN_FLOPS": ["params", "tokens", "flops_per_param_token"],
        "AI_PF_DAYS": ["flop"],
        "AI_TRAIN_DAYS": ["params", "tokens", "gpus", "peak_tflops", "utilization", "flops_per_param_token"],
        "AI_TRAIN_GPUS": ["params", "tokens", "days", "peak_tflops", "utilization", "runs", "flops_per_param_token"],
        "AI_MFU": ["params", "tokens_per_second", "chips", "peak_tflops", "flops_per_param_token"],
        "AI_INFER_FLOPS": ["params", "tokens"],
        "AI_INFER_GPUS": ["params", "daily_users", "queries_per_user", "tokens_per_query", "peak_multiplier",
                          "peak_tflops", "utilization"],
        "AI_INFER_MEMORY_GB": ["params", "bytes_per_param", "intermediate_multiplier"],
        "AI_CARDS_PER_INSTANCE": ["params", "gpu_memory_gb", "bytes_per_param", "intermediate_multiplier"],
        "AI_KV_CACHE_BYTES": ["layers", "kv_heads", "head_dim", "tokens", "batch", "bytes_per_value"],
        "AI_CAGR": ["start_value", "end_value", "periods"],
        "AI_SERVER_MARKET": ["gpus", "usd_per_gpu", "gpu_cost_share"],
        "AI_TPP": ["tops", "bit_length"],
        "AI_EXPORT_CLASS": ["tpp", "io_gb_per_s"],
        "AI_GPU": ["name", "field"],
        "AI_INPUT": ["key", "scenario", "overrides"],
        "AI_TABLE": ["exhibit", "scenario", "overrides"],
        "AI_VERSION": [],
    }
    for name, params in expected.items():
        assert list(inspect.signature(FUNCTIONS[name]).parameters) == params, name
    for name in ("AI_GPUS", "AI_OPTICAL_MODULES", "AI_FAT_TREE", "AI_COOLING_CAPEX", "AI_FACILITY_KW"):
        assert name in FUNCTIONS


def test_readme_reference_matches_the_code():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(reference.START), readme.index(reference.END) + len(reference.END)
    assert readme[start:end] == reference.markdown(), "run `suanli addin reference --write` to update README.md"


# ------------------------------------------------------------------ xlwings' classic machinery
def test_xlwings_accepts_every_signature_and_writes_the_vba(classic):
    xludfs, module = classic
    for name in module.functions():
        f = getattr(module, name)
        xlf = f.__xlfunc__
        assert xlf["name"] == name and xlf["category"] == "suanli"
        assert xlf["ret"]["doc"] == f.summary and len(xlf["ret"]["doc"]) < 255
        for a in xlf["args"]:
            assert a["doc"] == ARGUMENTS[a["name"]].description
    assert module.AI_TRAIN_FLOPS.__xlfunc__["args"][0]["options"] == {"ndim": 2, "err_to_str": True}
    for name in ("AI_TABLE", "AI_INPUT"):      # names take one cell; the overrides a range of rows, errors as text
        options = {a["name"]: a["options"] for a in getattr(module, name).__xlfunc__["args"]}
        assert options["overrides"] == {"ndim": 2, "err_to_str": True} and "ndim" not in options["scenario"], options
    book = types.SimpleNamespace(Name="suanli.xlsm")
    out = io.StringIO()
    xludfs.generate_vba_wrapper("addin.udfs", module, out, book)
    vba = out.getvalue()
    assert "Function AI_TRAIN_FLOPS(params, tokens, Optional flops_per_param_token)" in vba
    assert 'XLPy.CallUDF("addin.udfs", "AI_CARDS_PER_INSTANCE", Array(params, gpu_memory_gb, bytes_per_param, ' \
           'intermediate_multiplier), ThisWorkbook, Application.Caller)' in vba
    assert sum(line.startswith("Function AI_") for line in vba.splitlines()) == len(module.functions())
    # the functions still compute under the classic decorators
    assert module.AI_CARDS_PER_INSTANCE(175e9, 80) == 9


def test_booleans_and_text_inside_an_otherwise_numeric_range():
    got = udfs.AI_TRAIN_FLOPS([[1e9], [True], ["2e9"], [3e9]], 1).tolist()
    assert got[0][0] == 6e9 and got[3][0] == 1.8e10
    assert got[1][0] == "#VALUE! params must be a number >= 0, got TRUE"
    assert got[2][0] == "#VALUE! params must be a number >= 0, got text '2e9'"


def test_ai_table_shows_a_cell_with_no_number_as_its_error_and_why():
    """Under an input that leaves a cell with no number (std_vendors=0: a CAGR from a zero start) the cell
    reads as a spreadsheet shows it, with the reason."""
    rows = udfs.AI_TABLE("cagr", None, [["std_vendors", 0]])
    cells = [c for r in rows[1:] for c in r[3:]]
    assert "#DIV/0! CAGR from a zero start is undefined (with std_vendors=0)" in cells
    assert all(c == "" or isinstance(c, float) or c.startswith(("#", "needs ")) for c in cells)


def test_a_long_column_keeps_every_cell_exact():
    """The one-pass conversion of plain numbers leaves each odd cell to be read on its own: a blank,
    a text, TRUE/FALSE (never 1/0), an error value, a numpy scalar, and an integer beyond a float."""
    n = 5000
    values: list = [float(i + 1) * 1e9 for i in range(n)]
    odd = {7: None, 100: "x", 2000: True, 3333: "#N/A", 4000: False, 10: np.bool_(True), 4999: np.float64(5e9),
           12: 3, 13: np.int64(4)}
    for i, v in odd.items():
        values[i] = v
    shown = {7: "#VALUE! params is blank; it needs a number >= 0",
             100: "#VALUE! params must be a number >= 0, got text 'x'",
             2000: "#VALUE! params must be a number >= 0, got TRUE",
             3333: "#N/A params holds the error #N/A; it needs a number >= 0",
             4000: "#VALUE! params must be a number >= 0, got FALSE",
             10: "#VALUE! params must be a number >= 0, got TRUE"}
    for column in ([[v] for v in values], [values[:2500], values[2500:]]):
        got = np.asarray(udfs.AI_TRAIN_FLOPS(column, 2), dtype=object).ravel().tolist()
        assert len(got) == n
        for i, (v, g) in enumerate(zip(values, got, strict=True)):
            if i in shown:
                assert g == shown[i], (i, g)
            else:
                assert g == 12 * float(v), (i, v, g)
    # an integer beyond a float's range sends the whole column one by one; every cell still its own
    values[11] = 10**400
    got = udfs.AI_TRAIN_FLOPS([[v] for v in values], 2).ravel().tolist()
    assert got[11] == "#NUM! params must be a number >= 0, got a number above 1.8e308, the largest a cell holds"
    assert got[7] == shown[7] and got[12] == 36.0 and got[4999] == 6e10 and got[0] == 12e9
