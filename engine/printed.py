"""The report's printed values, as transcribed once in ``engine/data/printed/*.toml``.

Every number the reports print that suanli reproduces is kept there as the string printed
("87.18", "9.0×10^9", "20.00%", "-" for a blank cell, "_" for a column the report prints
nothing in), so that its precision travels with it.  The tests compare each computed cell
with it at that precision; the template workbooks show it beside the computed value.

One file per source (``seed000``, ``passages``, ``seed001``, ``network``, ``export_control``);
the format is described at the top of each.  Beside the printed cells a file may hold

* derived cells: values the report does not print but that follow from its numbers (the
  consistency checks),
* text cells, compared as strings,
* deviations: printed values that do not follow from the report's other numbers, each
  named by an erratum with the consistent value,
* corrected cells: the consistent values of an erratum whose switch is turned off.

Reading is lazy and cached; nothing is read at import.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from . import packagedata

__all__ = ["FOLDER", "SECTIONS", "parse", "cells", "derived", "texts", "quotes", "deviations", "corrected", "exhibits",
           "sources", "value"]

#: The folder of the data files, relative to the package.
FOLDER = "data/printed"

#: Top-level tables of a file that are not exhibits (no exhibit may take these ids).
SECTIONS = ("derived", "text", "deviation", "corrected")
_KINDS = ("cells", "derived", "text")

_SCI = re.compile(r"^(?P<m>-?\d+(?:\.\d+)?)×10\^(?P<e>-?\d+)$")


# ------------------------------------------------------------------------------------- cells
def _number(text: str) -> tuple[Decimal, int] | None:
    """(the number shown, exponent) of a printed cell; None for a blank one."""
    if text in ("-", "_"):
        return None
    m = _SCI.match(text)
    if m:
        return Decimal(m["m"]), int(m["e"])
    return Decimal(text.rstrip("%").replace(",", "")), 0


@cache
def parse(cell: str) -> tuple[float, int, int] | None:
    """(value, decimals, exponent) of a printed cell; None for a blank one ("-" or "_").

    "87.18" is (87.18, 2, 0); "9.0×10^9" is (9.0, 1, 9): the mantissa and its decimals;
    "20.00%" is (20.0, 2, 0): a percentage as the percentage number; "1,100" is (1100.0, 0, 0).
    Anything else raises ValueError.
    """
    try:
        parsed = _number(cell)
    except ArithmeticError:
        raise ValueError(f"not a printed cell: {cell!r}") from None
    if parsed is None:
        return None
    number, exponent = parsed
    if not number.is_finite():
        raise ValueError(f"not a printed cell: {cell!r}")
    return float(number), max(-number.as_tuple().exponent, 0), exponent


# ------------------------------------------------------------------------------------- loading
@cache
def _files() -> dict[str, dict]:
    """Each source's parsed file, by source name (the file's name without ``.toml``)."""
    out = {}
    for path in packagedata.listdir(FOLDER):
        name = path.rsplit("/", 1)[-1][:-len(".toml")]
        out[name] = packagedata.read_toml(path)
    return out


def _fail(source, where, message):
    raise ValueError(f"{FOLDER}/{source}.toml {where}: {message}")


def _rows(source, kind, ex_id, rows) -> dict:
    out = {}
    for key, entry in rows.items():
        where = f"[{'' if kind == 'cells' else kind + '.'}{ex_id}.{key}]"
        if not isinstance(entry, dict) or "cells" not in entry:
            _fail(source, where, "a row needs cells")
        unknown = set(entry) - {"label", "cells", "quotes"}
        if unknown:
            _fail(source, where, f"unknown keys {sorted(unknown)}")
        label = entry.get("label")
        if label is not None and not isinstance(label, str):
            _fail(source, where, "label must be a string")
        value = entry["cells"]
        if kind == "text":
            if not (isinstance(value, list) and all(isinstance(c, str) for c in value)):
                _fail(source, where, "text cells are a list of strings")
            value = tuple(value)
            quoted = entry.get("quotes")
            if quoted is not None and (not isinstance(quoted, list) or len(quoted) != len(value)):
                _fail(source, where, "quotes: one string per cell")
            out[key] = (label, value, None if quoted is None else tuple(quoted))
        else:
            if not isinstance(value, str):
                _fail(source, where, "cells are one string, space-separated")
            if "quotes" in entry:
                _fail(source, where, "quotes belong to text cells")
            out[key] = (label, " ".join(value.split()))
    return out


@cache
def _index() -> dict:
    """rows: kind -> exhibit -> row -> entry; source: kind -> exhibit -> file; deviation and
    corrected: key -> (source, entry)."""
    rows_of = {kind: {} for kind in _KINDS}
    source_of = {kind: {} for kind in _KINDS}
    deviation, fixed = {}, {}
    for source, data in _files().items():
        for name, body in data.items():
            if name == "deviation":
                fields = ("exhibit", "row", "column", "printed", "erratum", "consistent")
                for i, d in enumerate(body):
                    if set(d) != set(fields) or not all(isinstance(d[f], str) for f in fields):
                        _fail(source, f"[[deviation]] #{i + 1}", f"needs exactly the strings {', '.join(fields)}")
                    where = (d["exhibit"], d["row"], d["column"])
                    if where in deviation:
                        _fail(source, f"[[deviation]] #{i + 1}", f"{where} is given twice")
                    deviation[where] = (source, (d["printed"], d["erratum"], d["consistent"]))
                continue
            if name == "corrected":
                for i, d in enumerate(body):
                    well_formed = set(d) == {"exhibit", "switch", "rows"} and all(
                        isinstance(v, str) for v in d["rows"].values())
                    if not well_formed:
                        _fail(source, f"[[corrected]] #{i + 1}", "needs exhibit, switch and [corrected.rows] of cells")
                    cells = {k: " ".join(v.split()) for k, v in d["rows"].items()}
                    fixed[(d["exhibit"], d["switch"])] = (source, cells)
                continue
            groups = [(name, ex_id, rows) for ex_id, rows in body.items()] if name in ("derived", "text") \
                else [("cells", name, body)]
            for kind, ex_id, rows in groups:
                if not isinstance(rows, dict):
                    _fail(source, f"[{ex_id}]", "an exhibit is a table of rows")
                if ex_id in rows_of[kind]:
                    _fail(source, f"[{ex_id}]", f"the {kind} of {ex_id} are also in {source_of[kind][ex_id]}.toml")
                rows_of[kind][ex_id] = _rows(source, kind, ex_id, rows)
                source_of[kind][ex_id] = source
    return {"rows": rows_of, "source": source_of, "deviation": deviation, "corrected": fixed}


# ------------------------------------------------------------------------------------- access
def sources() -> list[str]:
    """The names of the data files (``seed000``, ``passages``, ...), sorted."""
    return list(_files())


def exhibits(source: str | None = None, kind: str = "cells") -> list[str]:
    """The exhibits having printed cells (or ``kind`` "derived" or "text"), in file order.

    ``source`` limits them to one file ("seed000"); without it, every file in name order.
    """
    if kind not in _KINDS:
        raise ValueError(f"kind: one of {', '.join(_KINDS)}, not {kind!r}")
    if source is not None and source not in _files():
        raise ValueError(f"source: one of {', '.join(_files())}, not {source!r}")
    index = _index()
    return [e for e in index["rows"][kind] if source is None or index["source"][kind][e] == source]


def cells(exhibit_id: str) -> dict[str, tuple[str | None, str]]:
    """The printed cells of an exhibit: row key -> (the report's label or None, the cells as
    printed, space-separated, one per column).  Empty for an exhibit the report prints nothing of."""
    return dict(_index()["rows"]["cells"].get(exhibit_id, {}))


def derived(exhibit_id: str) -> dict[str, tuple[str | None, str]]:
    """Values the report does not print but that follow from its numbers, shaped as :func:`cells`."""
    return dict(_index()["rows"]["derived"].get(exhibit_id, {}))


def texts(exhibit_id: str) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """Text cells: row key -> (label or None, one string per column; "_" where nothing is printed)."""
    return {k: (label, cells_) for k, (label, cells_, _) in _index()["rows"]["text"].get(exhibit_id, {}).items()}


def quotes(exhibit_id: str) -> dict[str, tuple[str, ...]]:
    """The report's words behind text cells, where a file gives them: row key -> one per column."""
    return {k: q for k, (_, _, q) in _index()["rows"]["text"].get(exhibit_id, {}).items() if q is not None}


def deviations(source: str | None = None) -> dict[tuple[str, str, str], tuple[str, str, str]]:
    """Printed values that do not follow: (exhibit, row, column) -> (printed, erratum, consistent)."""
    return {w: d for w, (s, d) in _index()["deviation"].items() if source is None or s == source}


def corrected(source: str | None = None) -> dict[tuple[str, str], dict[str, str]]:
    """The consistent cells of switch errata: (exhibit, switch input) -> row key -> cells."""
    return {w: dict(rows) for w, (s, rows) in _index()["corrected"].items() if source is None or s == source}


def value(exhibit_id: str, row_key: str, column: str | int) -> float | str | None:
    """The printed value of one cell in display units, or None where the report prints none.

    A percentage cell gives the percentage number ("20.00%" -> 20.0), "9.0×10^9" gives 9e9,
    a text cell its string.  ``column`` is a label of the exhibit's axis or its index.
    """
    from . import exhibits as registry
    from . import scenarios

    exhibit = registry.get(exhibit_id)
    labels = scenarios.axes()[exhibit.axis]
    if isinstance(column, int) and not isinstance(column, bool):
        if not 0 <= column < len(labels):
            raise IndexError(f"{exhibit.id}: column {column} of {len(labels)}")
        col = column
    elif column in labels:
        col = labels.index(column)
    else:
        raise KeyError(f"{exhibit.id}: no column {column!r}; columns: {', '.join(labels)}")
    printed = cells(exhibit.id)
    if row_key in printed:
        parsed = _number(printed[row_key][1].split()[col])
        return None if parsed is None else float(parsed[0].scaleb(parsed[1]))
    text = texts(exhibit.id)
    if row_key in text:
        cell = text[row_key][1][col]
        return None if cell in ("-", "_") else cell
    return None
