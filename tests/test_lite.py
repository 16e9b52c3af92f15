"""The xlwings Lite bundle, tested the way xlwings Lite runs it.

The bundle that `suanli addin lite` writes is loaded as the module ``main`` in a CPython with
xlwings in its Office.js mode (tests/officejs_host.py): ``custom_functions_meta`` registers the
functions, ``custom_functions_call`` calls them with arguments in Office.js's shapes, and xlwings
converts what they return into the cells it hands back to Excel.  The same calls go through the
classic (Windows) path, addin.udfs under xlwings' classic decorators with its arguments converted
by xlwings' own Windows cleaning code, and every cell must come out the same.

Office.js's shapes, from its documentation and xlwings' Office.js engine:
- every argument is a 2-D matrix (``dimensionality: matrix``), a single cell or literal ``[[x]]``;
- an omitted optional argument is ``null`` ("Custom functions parameter options", Microsoft Learn,
  https://learn.microsoft.com/office/dev/add-ins/excel/custom-functions-parameter-options);
- an empty cell is ``null`` (xlwings' Office.js engine also takes ``""``, an older client's shape);
- an error cell is an object such as ``{"type": "Error", "basicType": "Error", "basicValue": "#N/A",
  "errorType": "NotAvailable"}`` (Excel.NotAvailableErrorCellValue, ExcelApi 1.16, Microsoft Learn,
  https://learn.microsoft.com/javascript/api/excel/excel.notavailableerrorcellvalue), passed because
  xlwings registers ``allowErrorForDataTypeAny``;
- a number arrives in Python as Pyodide converts a JavaScript number: an int when it is a whole
  number within 2**53, else a float.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xlwings
from xlwings import conversion

from addin import udfs
from addin.lite import MAX_LINE, requirements
from engine.arguments import ARGUMENTS
from suanli.cli import main as cli

HOST = Path(__file__).with_name("officejs_host.py")
FUNCTIONS = udfs.functions()

# Office.js's error objects, by Excel error (ErrorCellValueType names)
ERROR_TYPES = {"#DIV/0!": "Div0", "#N/A": "NotAvailable", "#NAME?": "Name", "#NULL!": "Null", "#NUM!": "Num",
               "#REF!": "Ref", "#VALUE!": "Value"}
MISSING = -2147352572   # what classic xlwings' VBA passes for an omitted argument (DISP_E_PARAMNOTFOUND)


class Err(str):
    """An error cell (#N/A, ...) in a test call."""


OMIT = "omitted"   # an optional argument left out of the formula


# ------------------------------------------------------------------ the calls, in cells
def _calls() -> list[tuple[str, tuple]]:
    calls = [(name, args) for name, f in FUNCTIONS.items() for args, _ in f.examples]
    column = [[1e9], [None], ["1e9"], [True], [Err("#N/A")], [2e9], [Err("#DIV/0!")], [False]]
    calls += [
        # blanks, text, TRUE/FALSE and error values in a range, each in its own cell
        ("AI_TRAIN_FLOPS", (column, 300e9)),
        ("AI_TRAIN_FLOPS", (175e9, column)),
        ("AI_TRAIN_GPUS", (175e9, 300e9, 30, 312, [[0.3, None], [30, Err("#N/A")], ["x", 0.5]])),
        # a blank in an optional argument: alone, in a range, omitted; and in a required one
        ("AI_TRAIN_FLOPS", (175e9, 300e9, None)),
        ("AI_TRAIN_FLOPS", (175e9, 300e9, OMIT)),
        ("AI_TRAIN_FLOPS", (175e9, 300e9, [[None], [8], [None]])),
        ("AI_TRAIN_FLOPS", (None, 300e9)),
        ("AI_CARDS_PER_INSTANCE", ([[175e9, 1e12]], 80, [[None, 1]], OMIT)),
        ("AI_OPTICAL_MODULES", (1120, 200, 200, 3, 40, 1, None, 1 / 6)),
        ("AI_OPTICAL_MODULES", (1120, 200, 200, None, None, None, [[True], [False], [None], [1], [2]], 1 / 6)),
        ("AI_KV_CACHE_BYTES", (80, 8, 128, 4096, OMIT, None)),
        ("AI_FAT_TREE", ([[1120], [2048]], 40, None, None, [[0], [1], [2], [3]])),
        # a single error cell, and TRUE where a number belongs
        ("AI_CAGR", (Err("#N/A"), 100, 4)),
        ("AI_CAGR", (True, 100, 4)),
        ("AI_TPP", (Err("#VALUE!"), [[8], [16]])),
        # ranges that cannot broadcast
        ("AI_TRAIN_FLOPS", ([[1e9], [2e9], [3e9]], [[1e9], [2e9]])),
        # the name-taking functions: any case, blanks, error values, switches
        ("AI_GPUS", ("GPU",)),
        ("AI_GPUS", ("gpu",)),
        ("AI_GPUS", (" Gpu ",)),
        ("AI_GPUS", (OMIT,)),
        ("AI_GPUS", (None,)),
        ("AI_GPUS", (Err("#N/A"),)),
        ("AI_GPU", ("h100", "memory_gb")),
        ("AI_GPU", (Err("#N/A"), "memory_gb")),
        ("AI_GPU", (None, "memory_gb")),
        ("AI_INPUT", ("fig50_util_applied_twice",)),
        ("AI_INPUT", ("net_nvl_first_hop_copper", None)),
        ("AI_INPUT", ("mm_vendors", "csc-2023-corrected")),
        ("AI_INPUT", ("MM_VENDORS", "CSC-2023-Corrected")),
        ("AI_INPUT", ("mm_vendors", Err("#REF!"))),
        ("AI_TABLE", ("fig49",)),
        ("AI_TABLE", ("FIG50", "csc-2023-corrected")),
        ("AI_TABLE", ("fig999",)),
    ]
    return calls


CALLS = _calls()


# ------------------------------------------------------------------ Office.js's shapes
def _js_number(v):
    """A JavaScript number as Pyodide hands it to Python."""
    if isinstance(v, float) and v.is_integer() and abs(v) <= 2**53:
        return int(v)
    return v


def _officejs_cell(v, blank):
    if isinstance(v, Err):
        return {"type": "Error", "basicType": "Error", "basicValue": str(v), "errorType": ERROR_TYPES[v]}
    if v is None:
        return blank
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return _js_number(float(v))
    return v


def officejs_args(args: tuple, blank) -> list:
    out = []
    for a in args:
        if isinstance(a, str) and a == OMIT and not isinstance(a, Err):
            out.append(None)
            continue
        grid = a if isinstance(a, list) else [[a]]
        out.append([[_officejs_cell(c, blank) for c in row] for row in grid])
    return out


# ------------------------------------------------------------------ classic xlwings' path
def _windows_cleaning():
    """xlwings' own Windows engine cleaning and writing code (its ``Engine`` class, the cell error
    codes and ``_clean_value_data_element``), taken from its Windows module, which needs pywin32 to
    import; dates are left out (no test call has one)."""
    path = Path(xlwings.__file__).with_name("_xlwindows.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    wanted = {"cell_errors", "_clean_value_data_element", "Engine"}
    nodes = [n for n in tree.body
             if (isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name in wanted)
             or (isinstance(n, ast.Assign) and any(getattr(t, "id", None) in wanted for t in n.targets))]
    assert len(nodes) == 3, [getattr(n, "name", None) for n in nodes]
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas comes with the project's dependencies
        pd = None
    namespace = {"np": np, "pd": pd, "dt": dt, "time_types": (dt.date, dt.datetime)}
    exec(compile(ast.Module(body=nodes, type_ignores=[]), str(path), "exec"), namespace)
    return namespace["Engine"](), {v: k for k, v in namespace["cell_errors"].items()}


@pytest.fixture()
def classic_path(classic, monkeypatch):
    """Call an Excel function as classic xlwings' ``call_udf`` does, on the values VBA hands it."""
    _, module = classic
    engine, error_codes = _windows_cleaning()
    monkeypatch.setitem(xlwings.engines.engines_by_name, "excel", xlwings.Engine(impl=engine))

    def raw(a):
        """What VBA passes: a Range's Value2 (a value for one cell, rows of values for several;
        None for an empty cell, the COM code for an error) or the missing-argument marker."""
        if isinstance(a, str) and a == OMIT and not isinstance(a, Err):
            return MISSING
        cell = lambda v: error_codes[v] if isinstance(v, Err) else (  # noqa: E731
            float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
        if not isinstance(a, list):
            return cell(a)
        if len(a) == 1 and len(a[0]) == 1:
            return cell(a[0][0])
        return tuple(tuple(cell(v) for v in row) for row in a)

    def call(name: str, args: tuple):
        # xlwings.udfs.call_udf, without the COM caller and the async and cache branches
        f = getattr(module, name)
        info = f.__xlfunc__
        values = []
        for i, arg in enumerate(map(raw, args)):
            arg_info = info["args"][min(i, len(info["args"]) - 1)]
            if isinstance(arg, int) and arg == MISSING:
                values.append(arg_info.get("optional", None))
            else:
                values.append(conversion.read(None, arg, arg_info["options"]))
        return conversion.write(f(*values), None, info["ret"]["options"])

    return call


# ------------------------------------------------------------------ the Lite run
@pytest.fixture(scope="module")
def lite(tmp_path_factory):
    """The bundle run by xlwings' Office.js machinery: blanks as null, and again as ""."""
    folder = tmp_path_factory.mktemp("lite")
    bundle = folder / "main.py"
    assert cli(["addin", "lite", str(bundle)]) == 0
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial", HOME=str(folder))
    runs = {}
    for label, blank in (("null", None), ("empty text", "")):
        calls = [{"name": name, "args": officejs_args(args, blank)} for name, args in CALLS]
        done = subprocess.run([sys.executable, "-I", str(HOST), str(bundle)], input=json.dumps(calls),
                              capture_output=True, text=True, cwd=folder, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        runs[label] = json.loads(done.stdout)
    return bundle, runs


def _cells(value) -> list[list]:
    """What a UDF's returned value puts in the cells, as rows."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, list):
        return [[value]]
    return [list(r) if isinstance(r, list) else [r] for r in value] if value and isinstance(value[0], list) \
        else [value]


# ------------------------------------------------------------------ the tests
def test_the_bundle_stays_editor_friendly(lite):
    bundle, _ = lite
    text = bundle.read_text(encoding="utf-8")
    lines = text.splitlines()
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    assert len(lines[longest]) <= MAX_LINE, f"line {longest + 1} has {len(lines[longest])} characters"
    assert "from addin.udfs import *" not in text
    assert f"xlwings=={xlwings.__version__}" in text and "#     numpy" in text


def test_every_function_registers_with_its_help(lite):
    _, runs = lite
    for run in runs.values():
        assert run["loader"] == "_SuanliImporter"
        meta = {f["id"]: f for f in run["meta"]["functions"]}
        assert set(meta) == set(FUNCTIONS)
        for name, f in FUNCTIONS.items():
            m = meta[name]
            assert m["name"] == name and m["description"] == f.summary, name
            assert m["result"]["dimensionality"] == "matrix"
            params = list(inspect.signature(f).parameters.values())
            assert [p["name"] for p in m["parameters"]] == [p.name for p in params], name
            for p, spec in zip(params, m["parameters"], strict=True):
                assert spec["description"] == ARGUMENTS[p.name].description, (name, p.name)
                assert spec.get("optional", False) == (p.default is not inspect.Parameter.empty), (name, p.name)
                assert spec["dimensionality"] == "matrix" and spec["type"] == "any"
        # each function is main's own, by __module__, not only a name star-imported into it
        assert run["modules"] == {name: ["main", "main"] for name in FUNCTIONS}


def _matches(got, expected):
    if isinstance(expected, list):  # rows, or a row; "…" stands for the rest
        assert isinstance(got, list), (got, expected)
        for g, e in zip(got, expected, strict=False):
            if e == "…":
                return
            _matches(g, e)
        assert len(got) == len(expected), (got, expected)
        return
    if isinstance(expected, bool):
        assert got is expected, (got, expected)
    elif isinstance(expected, (int, float)):
        assert got == pytest.approx(expected, rel=1e-4), (got, expected)
    else:
        assert got == expected, (got, expected)


def test_every_worked_example_computes(lite):
    _, runs = lite
    examples = [(name, e) for name, f in FUNCTIONS.items() for _, e in f.examples]
    for run in runs.values():
        for (name, expected), result in zip(examples, run["results"], strict=False):
            assert "cells" in result, (name, result)
            cells = result["cells"]
            _matches(cells if isinstance(expected, list) else cells[0][0], expected)
            if not isinstance(expected, list):
                assert cells == [[cells[0][0]]], (name, cells)


def test_lite_and_classic_give_the_same_cells(lite, classic_path):
    _, runs = lite
    for i, (name, args) in enumerate(CALLS):
        want = _cells(classic_path(name, args))
        for label, run in runs.items():
            result = run["results"][i]
            assert "cells" in result, (name, args, label, result)
            assert result["cells"] == want, (name, args, label)


def _cells_of(run, name: str, *args):
    return run["results"][CALLS.index((name, args))]["cells"]


def test_office_js_shapes_read_as_excel_users_expect(lite):
    _, runs = lite
    for run in runs.values():
        got = lambda name, *args, run=run: _cells_of(run, name, *args)  # noqa: E731
        column = [[1e9], [None], ["1e9"], [True], [Err("#N/A")], [2e9], [Err("#DIV/0!")], [False]]
        assert [r[0] for r in got("AI_TRAIN_FLOPS", column, 300e9)] == [
            1.8e21, "#VALUE! params is blank; it needs a number >= 0",
            "#VALUE! params must be a number >= 0, got text '1e9'", "#VALUE! params must be a number >= 0, got TRUE",
            "#N/A params holds the error #N/A; it needs a number >= 0", 3.6e21,
            "#DIV/0! params holds the error #DIV/0!; it needs a number >= 0",
            "#VALUE! params must be a number >= 0, got FALSE"]
        assert got("AI_TRAIN_FLOPS", 175e9, 300e9, None) == [[3.15e23]]
        assert got("AI_TRAIN_FLOPS", 175e9, 300e9, OMIT) == [[3.15e23]]
        assert got("AI_TRAIN_FLOPS", 175e9, 300e9, [[None], [8], [None]]) == [[3.15e23], [4.2e23], [3.15e23]]
        assert got("AI_TRAIN_FLOPS", None, 300e9) == [["#VALUE! params is blank; it needs a number >= 0"]]
        copper = got("AI_OPTICAL_MODULES", 1120, 200, 200, None, None, None, [[True], [False], [None], [1], [2]],
                     1 / 6)
        on, off = (udfs.AI_OPTICAL_MODULES(1120, 200, 200, 3, 64, 1, switch, 1 / 6) for switch in (True, False))
        assert on != off and [r[0] for r in copper[:4]] == [on, off, off, on]
        assert copper[4][0] == "#VALUE! first_hop_copper must be TRUE or FALSE, got 2"
        assert got("AI_INPUT", "fig50_util_applied_twice") == [[True]]
        assert got("AI_INPUT", "net_nvl_first_hop_copper", None) == [[True] * 5]
        assert got("AI_GPU", Err("#N/A"), "memory_gb") == [["#N/A name holds the error #N/A"]]
        assert got("AI_GPU", "h100", "memory_gb") == [[80]]


def test_ai_table_and_ai_gpus_spill_2d(lite):
    _, runs = lite
    got = lambda name, *args: _cells_of(runs["null"], name, *args)  # noqa: E731
    table = got("AI_TABLE", "fig49")
    assert len(table) > 20 and len({len(r) for r in table}) == 1 and len(table[0]) == 8
    assert table[0][3:] == ["2023E", "2024E", "2025E", "2026E", "2027E"]
    assert table[24][3] == pytest.approx(276.6330891330892)
    assert got("AI_TABLE", "FIG50", "csc-2023-corrected")[0][0].startswith("fig50 ")
    assert got("AI_TABLE", "fig999")[0][0].startswith("#N/A unknown exhibit 'fig999'")
    gpus = got("AI_GPUS", "GPU")
    assert len(gpus) > 5 and all(len(r) == 1 for r in gpus) and ["NVIDIA H100 SXM"] in gpus
    assert gpus == got("AI_GPUS", "gpu") == got("AI_GPUS", " Gpu ")
    every = got("AI_GPUS", OMIT)
    assert every == got("AI_GPUS", None) and len(every) > len(gpus)
    assert got("AI_GPUS", Err("#N/A")) == [["#N/A kind holds the error #N/A"]]


def test_the_readme_names_the_requirements_the_bundle_names():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = "   ```text\n" + "".join(f"   {line}\n" for line in requirements().splitlines()) + "   ```"
    assert block in readme, "README's xlwings Lite steps: requirements.txt lines differ from addin.lite.requirements()"
