"""Every Excel function, called the way a careless or hostile caller would, never raises and never
passes off NaN, inf or None as a value.

Each function gets random arguments (hypothesis, derandomized by the suite's profile): numbers
at every extreme (0, -0.0, 5e-324, ±1e308, NaN, ±inf, integers beyond a float's range), text
("30%", "1.5e12", "", error values such as "#N/A"), blanks, booleans, dates, numpy scalars, and
ranges of those: rectangular, ragged, 3-D, empty, 1-D, tuples and numpy arrays of every dtype.
Every cell of what comes back must be one of:

* a finite number (int or float, not a boolean);
* a boolean, only where the function returns a switch (an input that is TRUE/FALSE);
* a text the function documents as a result (export classes, the catalogue's text fields, chip
  names, a table's labels and "needs KEY" cells, the version);
* an Excel error value from ``engine.errors.EXCEL_ERRORS``, a space, then a message.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import math
from numbers import Real

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin import udfs
from engine import __version__, catalogue, exhibits, export_control, scenarios
from engine.errors import EXCEL_ERRORS, SuanliError
from engine.exhibit import needs_text

FUNCTIONS = udfs.functions()

EXTREMES = [0, 0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 1e308, -1e308,
            1.7976931348623157e308, math.nan, -math.nan, math.inf, -math.inf, 10**400, -10**400, 2**1024,
            2**53 + 1, 2**63, -1, 1, 0.5, 2, 3, 30, 100, 1e15, 1e20]
TEXTS = ["30%", "1.5e12", "", " ", "abc", "18000亿", "2万", "TRUE", "FALSE", "=1+1", "nan", "inf", "１２",
         "0", "-0", "1e400"]
ERROR_TEXTS = [*EXCEL_ERRORS, "#n/a", " #NUM! ", "#DIV/0"]
DATES = [dt.datetime(2023, 1, 1), dt.date(1900, 1, 1), dt.time(12), dt.timedelta(days=1),
         dt.datetime(9999, 12, 31, 23, 59, 59)]
NUMPY_SCALARS = [np.float64(3.0), np.float64(math.nan), np.float32(1e38), np.int64(7), np.int64(-7), np.uint8(255),
                 np.bool_(True), np.longdouble(1e308) * 10, np.float16(2)]
ODD = [b"12", complex(1, 2), {"a": 1}, {1}, object(), Ellipsis, dt.timezone.utc]

_ERROR_PREFIXES = tuple(f"{code} " for code in EXCEL_ERRORS)

# Texts a function documents as results (see each function's docstring).
_EXPORT_CLASSES = {export_control.RESTRICTED, export_control.NOT_RESTRICTED, export_control.NEEDS_IO,
                   export_control.NEEDS_TPP}
_CHIP_NAMES = set(catalogue.names())


def _catalogue_texts() -> set[str]:
    texts = set()
    for chip in catalogue.keys():
        for field in catalogue.fields():
            try:
                value = catalogue.value(chip, field)
            except SuanliError:
                continue
            if isinstance(value, str):
                texts.add(value)
    return texts


_CHIP_TEXTS = _catalogue_texts()
_INPUT_KEYS = list(scenarios.schema())
_EXHIBIT_IDS = [e.id for e in exhibits.all_exhibits()]
_NEEDS = needs_text([""]).rstrip()


def cells() -> st.SearchStrategy:
    """One cell's value as xlwings or a Python caller may hand it over."""
    return st.one_of(
        st.sampled_from(EXTREMES),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-10**500, max_value=10**500),
        st.sampled_from(TEXTS),
        st.text(max_size=6),
        st.sampled_from(ERROR_TEXTS),
        st.none(),
        st.booleans(),
        st.sampled_from(DATES),
        st.datetimes(),
        st.sampled_from(NUMPY_SCALARS),
        st.sampled_from(ODD),
    )


def _rows(width_and_cells) -> list[list]:
    width, values = width_and_cells
    height = max(len(values) // width, 1)
    values = (values * width)[:height * width]
    return [values[r * width:(r + 1) * width] for r in range(height)]


def _shaped(shape_and_numbers) -> np.ndarray:
    shape, numbers = shape_and_numbers
    return np.array(numbers[:math.prod(shape)], dtype=float).reshape(shape)


ARRAY_SHAPES = [(1,), (3,), (1, 1), (3, 1), (1, 2), (3, 2), (2, 2, 1), (1, 1, 1)]


def ranges(cell: st.SearchStrategy) -> st.SearchStrategy:
    """A range: rectangular (the usual), ragged, 3-D, empty, 1-D, tuples, numpy arrays of any dtype."""
    rect = st.tuples(st.sampled_from([1, 2]), st.lists(cell, min_size=1, max_size=6)).map(_rows)
    ragged = st.lists(st.lists(cell, max_size=3), min_size=2, max_size=4)
    mixed = st.lists(st.one_of(cell, st.lists(cell, max_size=2)), min_size=2, max_size=3)   # cells beside rows
    three_d = st.lists(st.lists(st.lists(cell, min_size=1, max_size=2), min_size=1, max_size=2),
                       min_size=1, max_size=2)
    empty = st.sampled_from([[], [[]], [[], []], (), np.array([]), np.empty((0, 3)), np.empty((2, 0)),
                             np.empty((1, 1, 0))])
    flat = st.lists(cell, min_size=1, max_size=3)
    numbers = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([v for v in EXTREMES
                                                                              if abs(v) < 2**1023])
    float_arrays = st.tuples(st.sampled_from(ARRAY_SHAPES), st.lists(numbers, min_size=6, max_size=6)).map(_shaped)
    object_arrays = rect.map(lambda r: np.array(r + [[None] * len(r[0])], dtype=object)[:-1])
    typed_arrays = st.sampled_from([
        np.array([[True, False]]), np.array([["1", "x"]]), np.array(["2023-01-01"], dtype="datetime64[ns]"),
        np.array([[1, 2]], dtype="timedelta64[s]"), np.array([[1 + 2j]]), np.array([[10**18]], dtype=np.int64),
        np.array([[255]], dtype=np.uint8), np.array([[1.0]], dtype=np.float16), np.array(3.0), np.array([7.0]),
        np.array([[np.nan, 1.0]]), np.array([[b"x"]]),
    ])
    return st.one_of(rect, rect.map(lambda r: tuple(map(tuple, r))), ragged, mixed, three_d, empty, flat,
                     float_arrays, object_arrays, typed_arrays)


_WILD_CELL = cells()
WILD = st.one_of(_WILD_CELL, ranges(_WILD_CELL))


@functools.cache
def typical_argument(name: str, position: int) -> st.SearchStrategy:
    """Values the function's examples and vocabulary use, alone or in a range, with extremes mixed in
    (so that the numbers' own path runs too); anything, where there are none."""
    typical = _typical(name)[position]
    if not typical:
        return WILD
    usual = st.sampled_from(typical)
    if FUNCTIONS[name].model is None:   # a name or a key: one cell, as a value or a 1×1 range, or several
        return st.one_of(usual, usual.map(lambda v: [[v]]), ranges(usual))
    return st.one_of(usual, ranges(usual), ranges(st.one_of(usual, st.sampled_from(EXTREMES))))


def _typical(name: str) -> dict[int, list]:
    """Per argument position, values that make sense to the function (so valid paths run too)."""
    f = FUNCTIONS[name]
    params = list(inspect.signature(f).parameters)
    typical: dict[int, list] = {i: [] for i in range(len(params))}
    for args, _ in f.examples:
        for i, a in enumerate(args):
            typical[i].append(a)
    words = {"name": [*catalogue.keys()[:6], "H100", "h100 sxm", "A100"], "field": catalogue.fields(),
             "kind": ["gpu", "GPU", "asic", "cpu"], "key": _INPUT_KEYS, "scenario": scenarios.names(),
             "exhibit": _EXHIBIT_IDS}
    for i, p in enumerate(params):
        typical[i] += words.get(p, [])
    return typical


def _check_cell(name: str, v, where) -> None:
    if isinstance(v, (bool, np.bool_)):
        assert name == "AI_INPUT", (name, where, "a boolean from a function that returns numbers", v)
        return
    if isinstance(v, (Real, np.integer, np.floating)):
        assert math.isfinite(float(v)), (name, where, "a non-finite number passed off as a value", v)
        return
    assert isinstance(v, str), (name, where, f"a {type(v).__name__} passed off as a value", v)
    if v.startswith(_ERROR_PREFIXES):
        message = v.split(" ", 1)[1]
        assert message.strip(), (name, where, "an error value with no message", v)
        assert "Traceback" not in v and "\n" not in v, (name, where, v)
        return
    documented = {
        "AI_EXPORT_CLASS": _EXPORT_CLASSES,
        "AI_GPU": _CHIP_TEXTS,
        "AI_GPUS": _CHIP_NAMES,
        "AI_VERSION": {__version__},
    }
    if name in documented:
        assert v in documented[name], (name, where, "a text that is not one of the function's results", v)
        return
    if name == "AI_INPUT":
        assert v == "", (name, where, "AI_INPUT shows a blank input as empty text, nothing else", v)
        return
    assert name == "AI_TABLE", (name, where, "a text from a function that returns numbers", v)


def _check_table(out) -> None:
    """AI_TABLE: a title row of texts, then label, English label, unit and one cell per column: in a
    row of numbers a finite number, a blank, "needs KEY" or an error; in a row of text, its text."""
    if isinstance(out, str):
        assert out.startswith(_ERROR_PREFIXES), ("only an error may stand for a whole table", out)
        return
    assert isinstance(out, list) and all(isinstance(r, list) for r in out), out
    if all(len(r) == 1 and isinstance(r[0], str) and r[0].startswith(_ERROR_PREFIXES) for r in out):
        # bad overrides: one row each, its own message naming the row
        assert all(" overrides " in r[0] and "\n" not in r[0] for r in out), out
        return
    width = len(out[0])
    assert all(len(r) == width for r in out), "a ragged table"
    assert all(isinstance(c, str) and c for c in out[0]), out[0]
    exhibit = exhibits.get(out[0][0].split()[0])
    assert len(out) == len(exhibit.rows) + 1, (exhibit.id, len(out))
    for i, (row, spec) in enumerate(zip(out[1:], exhibit.rows, strict=True), start=1):
        assert all(isinstance(c, str) for c in row[:3]), (i, row[:3])
        for j, c in enumerate(row[3:]):
            if isinstance(c, str):
                if spec.unit == "text":   # a row of text: the printed text, or what its formula says
                    ok = c == (spec.text[j] or "") if spec.text is not None else True
                else:
                    ok = c == "" or c.startswith(_NEEDS) or c.startswith(_ERROR_PREFIXES)
                assert ok, (exhibit.id, spec.key, j, "a table cell that is neither a number, a blank, "
                            "'needs KEY', an error nor the text of a text row", c)
            else:
                _check_cell("AI_TABLE", c, (exhibit.id, spec.key, j))


def check_result(name: str, out) -> None:
    """Every cell of ``out`` is a finite number, a documented text or an Excel error text."""
    if name == "AI_TABLE":
        _check_table(out)
        return
    if isinstance(out, np.ndarray):
        assert out.ndim == 2 and out.size > 0, (name, out.shape)
        for (r, c), v in np.ndenumerate(out):
            _check_cell(name, v, (r, c))
        return
    if isinstance(out, list):
        assert out and all(isinstance(r, list) and len(r) == len(out[0]) > 0 for r in out), (name, out)
        for r, row in enumerate(out):
            for c, v in enumerate(row):
                _check_cell(name, v, (r, c))
        return
    _check_cell(name, out, "the cell")


def _draw_call(data, name: str) -> list:
    f = FUNCTIONS[name]
    params = list(inspect.signature(f).parameters.values())
    required = sum(p.default is inspect.Parameter.empty for p in params)
    count = data.draw(st.integers(required, len(params)), label="arguments given")
    wild = data.draw(st.sets(st.sampled_from(range(count)), max_size=2), label="wild arguments") if count else set()
    return [data.draw(WILD if i in wild else typical_argument(name, i), label=params[i].name) for i in range(count)]


def _number_like(v, switch: bool) -> bool:
    """What a cell must hold for the function to compute: a number (TRUE/FALSE, or 1/0, for a switch)."""
    if isinstance(v, (bool, np.bool_)):
        return switch
    if not isinstance(v, (int, float, np.integer, np.floating)) or isinstance(v, np.timedelta64):
        return False
    return not switch or v in (0, 1)


def _grid(v):
    """An argument as a 2-D object array of its cells (a range with no cell is one blank), or None if it
    is neither one cell nor a rectangular range."""
    if isinstance(v, np.ndarray):
        if v.ndim > 2:
            return None
        if v.size == 0:
            return np.array([[None]], dtype=object)
        arr = v.reshape(-1, 1) if v.ndim == 1 else v.reshape(1, 1) if v.ndim == 0 else v
    elif isinstance(v, (list, tuple)):
        rows = v if v and all(isinstance(r, (list, tuple, np.ndarray)) for r in v) else [[c] for c in v]
        if not rows or not len(rows[0]):
            return np.array([[None]], dtype=object)
        if len({len(r) for r in rows}) != 1:
            return None
        arr = rows
    else:
        arr = [[v]]
    shape = (len(arr), len(arr[0]))
    grid = np.empty(shape, dtype=object)
    for r in range(shape[0]):
        for c in range(shape[1]):
            grid[r, c] = arr[r][c]
    return grid


def check_nothing_read_as_a_number(name: str, args: list, out) -> None:
    """Where any argument's cell is blank, text, a date, an error value or TRUE/FALSE (for a number),
    the result's cell is an error: nothing is read as zero or as a number it is not.  A blank in an
    optional argument is its default (checked in tests/test_udfs.py), so it is left out here."""
    f = FUNCTIONS[name]
    if f.model is None or (isinstance(out, str) and out.startswith(_ERROR_PREFIXES)):
        return   # the catalogue, input and table functions take names; a whole-call error marks every cell
    grids = [_grid(a) for a in args]
    result = out if isinstance(out, np.ndarray) else np.array([[out]], dtype=object)
    for g, p in zip(grids, inspect.signature(f).parameters.values(), strict=False):
        pname, optional = p.name, p.default is not inspect.Parameter.empty
        assert g is not None, (name, pname, "a ragged, 3-D or empty range computed", result)
        switch = f.model.domains[pname].switch
        for pos, v in np.ndenumerate(np.broadcast_to(g, result.shape)):
            if v is None and optional:
                continue
            if not _number_like(v, switch):
                shown = result[pos]
                assert isinstance(shown, str) and shown.startswith(_ERROR_PREFIXES), \
                    (name, pname, pos, f"{v!r} read as a number", shown)


#: Examples per function: enough to reach every kind of argument in every position, few enough that
#: each function takes a second or two.
EXAMPLES = {"AI_VERSION": 1}


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_an_excel_function_never_raises_nor_passes_off_a_non_value(name):
    @settings(max_examples=EXAMPLES.get(name, 120), suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.data_too_large])
    @given(data=st.data())
    def call(data):
        args = _draw_call(data, name)
        out = FUNCTIONS[name](*args)
        check_result(name, out)
        check_nothing_read_as_a_number(name, args, out)

    call()


# ------------------------------------------------------------------ the cases the fuzz is built around
NUMERIC = {n: f for n, f in FUNCTIONS.items() if f.model is not None}


@pytest.mark.parametrize("name", list(NUMERIC))
def test_ragged_3d_empty_and_huge_arguments_give_a_cell_error(name):
    f = NUMERIC[name]
    args = list(f.examples[0][0])
    first = inspect.signature(f).parameters[next(iter(inspect.signature(f).parameters))].name
    for bad, message in [
        ([[1, 2], [3]], f"#VALUE! {first} has rows of different lengths (1 and 2 cells); a range has rows of one "
                        "length"),
        ([[1], 2], f"#VALUE! {first} mixes cells and rows; it takes one cell or a range of rows and columns"),
        ([[[1.0]]], f"#VALUE! {first} holds a range inside a range; it takes one cell or a range of rows and "
                    "columns"),
        (np.ones((2, 2, 2)), f"#VALUE! {first} has 3 dimensions; it takes one cell or a range of rows and columns"),
    ]:
        assert f(bad, *args[1:]) == message, (name, bad)
    huge = f(10**400, *args[1:])
    assert isinstance(huge, str) and huge.startswith(("#NUM! ", "#VALUE! ")), (name, huge)
    assert "above 1.8e308" in huge or "TRUE or FALSE" in huge, (name, huge)
    for empty in ([], [[]], np.array([]), np.empty((0, 2))):   # a range with no cell is one blank cell
        got = f(empty, *args[1:])
        assert isinstance(got, str) and got.startswith(f"#VALUE! {first} is blank"), (name, got)


def test_a_huge_integer_marks_its_own_cell_only():
    got = udfs.AI_TRAIN_FLOPS([[1e9], [10**400], [-10**400], [2e9]], 1)
    assert got[0, 0] == 6e9 and got[3, 0] == 1.2e10
    assert got[1, 0] == "#NUM! params must be a number >= 0, got a number above 1.8e308, the largest a cell holds"
    assert got[2, 0] == "#NUM! params must be a number >= 0, got a number below -1.8e308, the lowest a cell holds"


def test_numpy_arrays_of_any_dtype():
    assert udfs.AI_TRAIN_FLOPS(np.array([[1e9, None, "x"]], dtype=object), 1).tolist() == [
        [6e9, "#VALUE! params is blank; it needs a number >= 0",
         "#VALUE! params must be a number >= 0, got text 'x'"]]
    dates = udfs.AI_TRAIN_FLOPS(np.array(["2023-01-01", "2023-01-02"], dtype="datetime64[ns]"), 1)
    assert dates.tolist() == [["#VALUE! params must be a number >= 0, got a date"]] * 2  # not 1.67e18 nanoseconds
    durations = udfs.AI_TRAIN_FLOPS(np.array([[1, 2]], dtype="timedelta64[s]"), 1)
    assert durations.tolist() == [["#VALUE! params must be a number >= 0, got a duration"] * 2]  # not 6 and 12
    switch = udfs.AI_OPTICAL_MODULES(1120, 200, 200, 3, 40, 1, np.array([[1]], dtype="timedelta64[s]"))
    assert switch == "#VALUE! first_hop_copper must be TRUE or FALSE (1 or 0), got a duration"
    copper = udfs.AI_OPTICAL_MODULES(1120, 200, 200, 3, 40, 1, True, 1 / 6)
    assert udfs.AI_OPTICAL_MODULES(1120, 200, 200, 3, 40, 1, np.float64(1), 1 / 6) == copper != 7840  # 1 is TRUE
    assert udfs.AI_TRAIN_FLOPS(np.longdouble(1e308) * 10, 1).startswith("#NUM! params must be a number >= 0, got inf")


def test_a_result_beyond_a_float_is_an_error_on_either_path():
    """A single cell and a range compute alike: a result too large for a float is #NUM! in both, never an
    exception from Python's arithmetic (the CEILING of an infinite count) nor a complex number."""
    for f, args in [(udfs.AI_SERVERS, (1000, 5e-324)), (udfs.AI_RACKS, (812.5, 5e-324)),
                    (udfs.AI_INSTANCES, (2e7, 5e-324)), (udfs.AI_OPTICAL_MODULES, (1120, 200, 5e-324)),
                    (udfs.AI_OPTICAL_MODULES, (1120, 200, 200, 3, 40, 1, False, 1e308))]:
        single = f(*args)
        ranged = f(*[[[a], [a]] for a in args])
        assert single == ranged[0, 0] == ranged[1, 0] == "#NUM! the result is not a finite number (too large, or undefined for " \
                                         "these inputs)", (f.__name__, args, single, ranged)


def test_every_table_input_and_chip_field():
    """The name-taking functions over their whole vocabulary: every exhibit in every scenario, every
    input, every field of every chip."""
    for exhibit in _EXHIBIT_IDS:
        for scenario in [None, *scenarios.names()]:
            _check_table(udfs.AI_TABLE(exhibit, scenario))
    for key in _INPUT_KEYS:
        check_result("AI_INPUT", udfs.AI_INPUT(key))
    for chip in catalogue.keys():
        for field in catalogue.fields():
            check_result("AI_GPU", udfs.AI_GPU(chip, field))


def test_a_name_takes_one_cell_whatever_the_shape():
    one_cell = "#VALUE! name and field take one cell each"
    for bad in ([["H100"], 2], [["H100"], [None]], [[["H100"]]], np.array(["H100", "A100"]), np.ones((1, 1, 1))):
        assert udfs.AI_GPU(bad, "memory_gb") == one_cell, bad
    for blank in (None, [[None]], [], [[]], np.array([]), "  "):
        assert udfs.AI_GPU(blank, "memory_gb") == "#VALUE! name and field are required", blank
    for same in ("H100", [["H100"]], np.array([["H100"]]), (" H100 ",)):
        assert udfs.AI_GPU(same, "memory_gb") == 80, same
    assert udfs.AI_GPU(10**400, "memory_gb").startswith("#N/A unknown chip 'a number above 1.8e308")
    assert udfs.AI_TABLE([["fig49"], 1]) == "#VALUE! exhibit and scenario take one cell each"
    assert udfs.AI_INPUT([[None]]) == "#VALUE! key is required"
