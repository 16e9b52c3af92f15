"""Scenarios: named sets of input values, checked against the input schema.

``data/inputs/*.toml`` (one file per part of the chain) declare every input once: its key,
label, unit (a base unit), the column axis it varies over (or none, for one value), its
bounds, its source in the report, and the report's value as its default.  ``csc-2023`` is
those defaults: the report as printed.  ``data/scenarios/*.toml`` name other scenarios; each
has a ``base`` scenario and overrides some keys.  ``csc-2023-corrected`` turns every
erratum switch off.  A scenario knows its base chain (``chain``, nearest first) and its
values' hash (:func:`values_hash`): every output records them, so it says which values made it.

A value may be a float or a numpy array: a scenario whose values are arrays is a whole
scenario axis (sweeps, Monte Carlo), evaluated by the same exhibits in one pass.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from . import domains as D
from . import packagedata, units
from .errors import InvalidTypeError, InvalidValueError, SuanliWarning, UnknownNameError

__all__ = ["InputSpec", "Scenario", "Tracing", "schema", "axes", "names", "load", "parse_value", "check_value",
           "display_slip", "slip", "unknown_key", "values_hash"]

_DOMAINS = {
    "any": D.ANY, "nonnegative": D.NONNEGATIVE, "positive": D.POSITIVE, "count": D.COUNT,
    "whole": D.WHOLE, "positive_whole": D.POSITIVE_WHOLE, "fraction": D.FRACTION,
    "positive_fraction": D.POSITIVE_FRACTION, "rate": D.RATE, "switch": D.SWITCH, "radix": D.RADIX,
}


@dataclass(frozen=True)
class InputSpec:
    """One input: key, label, base unit, axis (None for a single value), domain, source.

    ``shown_in`` is the unit the report prints it in when that is not its base unit (亿 for a count
    of parameters, 亿美元 for a market): the input file's ``display``.  ``blank_means`` says what a
    blank stands for when it is a choice, not a missing figure (the chain's A100 share: "the rest").
    """

    key: str
    label: str
    unit: str
    domain: D.Domain
    source: str
    axis: str | None = None
    note: str | None = None
    erratum: str | None = None
    user_supplied: bool = False
    shown_in: str | None = None
    blank_means: str | None = None

    @property
    def is_switch(self) -> bool:
        return self.domain.switch

    @property
    def display(self) -> str:
        """The unit the input is shown in (workbooks, ``suanli inputs``): its ``display``, else a
        fraction in %, else its base unit.  :func:`engine.formats.input_display` has the factor."""
        if self.shown_in is not None:
            return self.shown_in
        return "%" if self.unit == "fraction" else self.unit

    def describe_bounds(self) -> str:
        return self.domain.describe().removeprefix("must be ")


@cache
def _schema_data():
    merged: dict = {"axes": {}, "inputs": {}}
    for path in packagedata.listdir("data/inputs"):
        data = packagedata.read_toml(path)
        for part in ("axes", "inputs"):
            for key, value in data.get(part, {}).items():
                if key in merged[part] and merged[part][key] != value:
                    raise ValueError(f"{path}: {part[:-1] if part == 'inputs' else 'axis'} {key!r} "
                                     "is declared twice")
                merged[part][key] = value
    return merged


def defaults() -> dict[str, object]:
    """The report's value of every input (scenario csc-2023), as written in the input files."""
    return {key: d.get("default") for key, d in _schema_data()["inputs"].items()}


@cache
def axes() -> dict[str, tuple[str, ...]]:
    """Column axes by name: ``{"years": ("2023E", ..., "2027E"), ...}``."""
    return {k: tuple(v) for k, v in _schema_data()["axes"].items()}


@cache
def schema() -> dict[str, InputSpec]:
    """Every input, in the schema file's order, keyed by its snake_case key."""
    out = {}
    for key, d in _schema_data()["inputs"].items():
        dom = _DOMAINS[d.get("domain", "nonnegative")]
        if "low" in d or "high" in d:
            dom = dom.with_bounds(d.get("low"), d.get("high"))
        if "default" not in d and not d.get("user_supplied"):
            raise ValueError(f"input {key}: no default; mark it user_supplied = true if the report gives none")
        shown_in = d.get("display")
        if shown_in is not None and shown_in not in units.suffixes(d["unit"]):
            raise ValueError(f"input {key}: display {shown_in!r} is not a unit of {d['unit']}; "
                             f"one of {', '.join(units.suffixes(d['unit']))}")
        out[key] = InputSpec(key, d["label"], d["unit"], dom, d["source"], d.get("axis"),
                             d.get("note"), d.get("erratum"), bool(d.get("user_supplied")), shown_in,
                             d.get("blank_means"))
    return out


def _scenario_files() -> dict[str, dict]:
    found = {}
    for path in packagedata.listdir("data/scenarios"):
        data = packagedata.read_toml(path)
        found[data["name"]] = data
    return found


@cache
def _scenario_data() -> dict[str, dict]:
    return _scenario_files()


def names() -> list[str]:
    """The names of the packaged scenarios, sorted."""
    return sorted(_scenario_data())


def describe(name: str) -> dict:
    """A scenario's title and description."""
    d = _scenario_data().get(name)
    if d is None:
        raise UnknownNameError("scenario", name, names(), _close(name, names()))
    return {"name": name, "title": d.get("title", name), "description": d.get("description", ""),
            "base": d.get("base")}


@dataclass
class Scenario:
    """Checked input values.  ``values[key]`` is a scalar or a tuple with one value per column.

    ``chain`` names the scenarios it is based on, nearest first (``("csc-2023",)`` for
    ``csc-2023-corrected``; empty for the report itself); ``source`` is the file it was read from,
    if any; ``overrides`` the values given on top of it.
    """

    name: str
    values: dict[str, object]
    title: str = ""
    overrides: dict[str, object] = field(default_factory=dict)
    chain: tuple[str, ...] = ()
    source: str | None = None

    def axis(self, name: str) -> tuple[str, ...]:
        return axes()[name]

    def at(self, key: str, column: str):
        """The value of ``key`` at ``column`` (a label on the input's axis), or its single value."""
        spec = schema()[key]
        value = self.values[key]
        if spec.axis is None:
            return value
        return value[axes()[spec.axis].index(column)]

    def has_column(self, key: str, column: str) -> bool:
        """True when ``key`` has a value at ``column`` (always, for an input without an axis)."""
        spec = schema()[key]
        return spec.axis is None or column in axes()[spec.axis]

    def value(self, key: str):
        """The value of ``key``: one number, or a tuple of one number per column."""
        if key not in self.values:
            raise unknown_key(key)
        return self.values[key]

    def with_values(self, changes: Mapping[str, object], name: str | None = None) -> Scenario:
        """A new scenario with ``changes`` applied, each checked; the original is unchanged.

        A bare number that is the report's value in a display unit (18000 for mm_params_base, whose
        report value 1.5e12 the tables print as 15000亿) is accepted with a
        :class:`~engine.errors.SuanliWarning` naming the value likely meant (:func:`display_slip`).
        A new ``name`` makes a scenario based on this one: its chain begins with this one's name.
        """
        values = dict(self.values)
        for key, raw in changes.items():
            values[key] = check_value(key, raw)
            for message in _slips(key, raw):
                warnings.warn(message, SuanliWarning, stacklevel=2)
        if name is None or name == self.name:
            return Scenario(self.name, values, self.title, {**self.overrides, **changes}, self.chain, self.source)
        return Scenario(name, values, self.title, {**self.overrides, **changes}, (self.name, *self.chain))

    @property
    def fingerprint(self) -> str:
        """The hash of every input value (:func:`values_hash`): equal values, equal fingerprint."""
        return values_hash(self.values)

    def provenance(self) -> dict:
        """Which scenario this is, as outputs record it: ``name``, ``base`` (the chain, nearest
        first), ``hash`` (:attr:`fingerprint`), and ``file`` and ``overrides`` (the values set on
        top, checked, in base units) when there are any.  A table's JSON ``scenario`` object
        (:func:`engine.tables.scenario_record`) holds the same, with the errata switches."""
        out: dict[str, object] = {"name": self.name, "base": list(self.chain), "hash": self.fingerprint}
        if self.source is not None:
            out["file"] = self.source
        if self.overrides:
            out["overrides"] = {k: _shown(self.values[k]) for k in self.overrides if k in self.values}
        return out

    @property
    def size(self) -> int | None:
        """The length of the scenario axis when values are arrays, else None."""
        for v in self.values.values():
            for x in (v if isinstance(v, tuple) else (v,)):
                if isinstance(x, np.ndarray) and x.ndim:
                    return x.shape[0]
        return None


class Tracing(Scenario):
    """A scenario that records which inputs an evaluation reads (``seen``, in the order read)."""

    def __init__(self, base: Scenario):
        super().__init__(base.name, dict(base.values), base.title, dict(base.overrides), base.chain, base.source)
        self.seen: dict[str, None] = {}

    def at(self, key, column):
        self.seen[key] = None
        return super().at(key, column)

    def has_column(self, key, column):
        self.seen[key] = None
        return super().has_column(key, column)


def values_hash(values: Mapping[str, object], keys=None) -> str:
    """A short hash (16 hex digits of SHA-256) of input values: ``keys`` of ``values`` (default all),
    serialised as sorted JSON, each number at 15 significant digits (a workbook stores 15 or 16, so
    a value read back from one hashes as the value written).  The same values give the same hash
    wherever they come from: a packaged scenario, a file, a workbook's Inputs sheet."""
    chosen = sorted(values if keys is None else keys)
    payload = {k: _canonical(values[k]) for k in chosen}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def _canonical(v):
    if isinstance(v, (tuple, list)):
        return [_canonical(x) for x in v]
    if isinstance(v, np.ndarray):
        return [_canonical(x) for x in v.tolist()]
    if isinstance(v, float):
        return float(f"{v:.15g}")
    return v


def _shown(v):
    """A value as JSON holds it: numbers, text and booleans as they are, a sequence as a list."""
    if isinstance(v, (str, bool, int, float)) or v is None:
        return v
    if isinstance(v, (tuple, list)):
        return [_shown(x) for x in v]
    if isinstance(v, np.ndarray):
        return [_shown(x) for x in v.tolist()]
    return str(v)


def check_value(key: str, raw) -> object:
    """``raw`` checked against the schema of ``key``: a float (or array), or a tuple per column.

    A single value for an input with an axis applies to every column; a list must have
    one value per column.
    """
    spec = schema().get(key)
    if spec is None:
        raise unknown_key(key)
    if spec.axis is None:
        if isinstance(raw, (list, tuple)):
            raise InvalidValueError(key, _Values(len(raw)), "takes a single value (it has no columns)")
        return _check_one(spec, key, raw)
    cols = axes()[spec.axis]
    if isinstance(raw, (list, tuple)):
        if len(raw) != len(cols):
            raise InvalidValueError(key, _Values(len(raw)),
                                    f"takes one value or {len(cols)} values ({', '.join(cols)})")
        return tuple(_check_one(spec, f"{key}[{c}]", v) for c, v in zip(cols, raw, strict=True))
    one = _check_one(spec, key, raw)
    return tuple(one for _ in cols)


class _Values(int):
    """A count of values, shown as "3 values" in messages."""

    def __str__(self) -> str:
        return f"{int(self)} values"


def _check_one(spec: InputSpec, name: str, raw):
    if (raw is None or (isinstance(raw, str) and not raw.strip())) and spec.user_supplied:
        return None  # no value given (a blank; "" in a list of one value per column): cells that need it say so
    if isinstance(raw, str):
        raw = parse_value(name, raw)
    if isinstance(raw, bool):
        if not spec.is_switch:
            raise InvalidTypeError(name, raw, "must be a number, not TRUE/FALSE")
        return float(raw)
    return spec.domain.check(name, raw)


def parse_value(name: str, text: str):
    """A number or TRUE/FALSE from text: ``0.3``, ``1.5e12``, ``true``, or a number in the report's
    units (``18000亿``, ``2万``, ``30%``, ``650亿美元`` for a USD input: :func:`engine.units.parse_quantity`).
    ``name`` is the key, or ``key[column]``; other text is an error naming it."""
    t = text.strip()
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    spec = schema().get(_key_of(name))
    return units.parse_quantity(name, text, spec.unit if spec else None)


def _key_of(name: str) -> str:
    """The input key of ``key`` or ``key[column]``."""
    return name.split("[", 1)[0]


#: A display factor a bare number may have slipped by: (log10 of typed ÷ report, the suffix meant, its factor).
_SLIPS = ((-8, "亿", 1e8), (-4, "万", 1e4), (2, "%", 0.01))


def display_slip(key: str, typed: float, text: str | None = None, column: str | None = None) -> str | None:
    """A one-line warning when ``typed``, a bare number for ``key`` (at ``column``, or in every column),
    is about 1e-8 or 1e-4 of the report's value for a quantity the reports print in 亿 or 万
    (:data:`engine.units.SHOWN_IN_WAN_OR_YI`, typed without the suffix), or about 100 times it for a
    fraction (typed in %), and the value meant is accepted; else None.

    >>> display_slip("mm_params_base", 18000)
    "mm_params_base=18000 is 1e-8 of the report's 1.5e12; did you mean 18000亿 (1.8e12)?"
    """
    found = slip(key, [typed], column)
    if found is None:
        return None
    of, report, suffix, factor = found
    shown = text.strip() if text else _g(typed)
    name = key if column is None else f"{key}[{column}]"
    return f"{name}={shown} is {of} the report's {report}; did you mean {shown}{suffix} ({_g(typed * factor)})?"


def slip(key: str, values, column: str | None = None) -> tuple[str, str, str, float] | None:
    """How bare numbers for ``key`` all miss the report's value by the same display factor:
    (``"1e-8 of"`` or ``"100 times"``, the report's value as text, the suffix meant (亿, 万, %),
    its factor); None when they do not, or when a value meant would not be accepted."""
    spec = schema().get(key)
    report = defaults().get(key)
    values = [float(v) for v in values]
    if spec is None or spec.is_switch or report is None or isinstance(report, bool) or not all(values):
        return None
    if isinstance(report, list):
        cols = axes()[spec.axis]
        report = [report[cols.index(column)]] if column in cols else report
    else:
        report = [report]
    if any(not r or isinstance(r, bool) or (v > 0) != (r > 0) for r in report for v in values):
        return None
    typical = sum(math.log10(abs(r)) for r in report) / len(report)       # log10 of the report's size
    for exponent, suffix, factor in _SLIPS:
        if (spec.unit != "fraction") if suffix == "%" else (spec.unit not in units.SHOWN_IN_WAN_OR_YI):
            continue
        if all(abs(math.log10(abs(v)) - typical - exponent) <= 1 for v in values):
            if not all(spec.domain.contains(v * factor) for v in values):
                return None
            theirs = _g(report[0]) if len(set(report)) == 1 else f"{_g(min(report))} to {_g(max(report))}"
            return ("100 times" if exponent > 0 else f"1e{exponent} of"), theirs, suffix, factor
    return None


def _slips(key: str, raw) -> list[str]:
    """The display-factor warnings of a value given for ``key``: bare numbers only (a number, or text
    without a unit), one value or one per column."""
    spec = schema().get(key)
    if spec is None:
        return []
    cols = axes()[spec.axis] if spec.axis else None
    items = list(zip(cols, raw, strict=False)) if isinstance(raw, (list, tuple)) and cols else [(None, raw)]
    found = []
    for column, item in items:
        text = None
        if isinstance(item, str):
            try:
                q = units.read_quantity(key, item, spec.unit)
            except (InvalidTypeError, InvalidValueError):
                continue
            if q.suffix is not None:
                continue
            item, text = q.value, item
        if isinstance(item, (int, float)) and not isinstance(item, bool) and math.isfinite(item):
            message = display_slip(key, float(item), text, column)
            if message:
                found.append(message)
    return found[:1]


_g = units.short_number


@cache
def _load_cached(name: str) -> Scenario:
    data = _scenario_data()
    if name not in data:
        raise UnknownNameError("scenario", name, names(), _close(name, names()))
    chain, seen, cur = [], set(), name
    while cur is not None:
        if cur in seen or cur not in data:
            raise ValueError(f"scenario {name}: bad base chain at {cur!r}")
        seen.add(cur)
        chain.append(data[cur])
        cur = data[cur].get("base")
    raw: dict[str, object] = defaults()
    for d in reversed(chain):
        raw.update(d.get("values", {}))
    missing = [k for k in schema() if k not in raw]
    if missing:
        raise ValueError(f"scenario {name}: no value for {', '.join(missing)}")
    values = {key: check_value(key, raw[key]) for key in schema()}
    unknown = set(raw) - set(schema())
    if unknown:
        raise ValueError(f"scenario {name}: unknown keys {sorted(unknown)}")
    return Scenario(name, values, data[name].get("title", name), chain=tuple(d["name"] for d in chain[1:]))


def load(name: str = "csc-2023", overrides: Mapping[str, object] | None = None) -> Scenario:
    """The packaged scenario ``name``, with ``overrides`` (key -> value) applied and checked."""
    base = _load_cached(name)
    scenario = Scenario(base.name, dict(base.values), base.title, chain=base.chain)
    return scenario.with_values(overrides) if overrides else scenario


def unknown_key(key: str) -> UnknownNameError:
    """The error for an input key that does not exist, with the closest one as a suggestion."""
    keys = list(schema())
    return UnknownNameError("input key", key, keys, _close(key, keys), listing="`suanli inputs`")


def _close(word: str, choices) -> str | None:
    """"did you mean X?": a choice that begins with ``word`` (``chain_share_h100`` → ``chain_share_h100_sxm``),
    the shortest first, else the closest by spelling; None when none is close."""
    word = str(word)
    longer = sorted((c for c in choices if c.startswith(word) and c != word), key=len) if len(word) >= 4 else []
    match = longer[:1] or difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {match[0]}?" if match else None
