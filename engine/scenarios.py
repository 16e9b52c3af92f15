"""Scenarios: named sets of input values, checked against the input schema.

``data/inputs/*.toml`` (one file per part of the chain) declare every input once: its key,
label, unit (a base unit), the column axis it varies over (or none, for one value), its
bounds, its source in the report, and the report's value as its default.  ``csc-2023`` is
those defaults: the report as printed.  ``data/scenarios/*.toml`` name other scenarios; each
has a ``base`` scenario and overrides some keys.  ``csc-2023-corrected`` switches every
computational erratum off.

A value may be a float or a numpy array: a scenario whose values are arrays is a whole
scenario axis (sweeps, Monte Carlo), evaluated by the same exhibits in one pass.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from . import domains as D
from . import packagedata
from .errors import InvalidTypeError, InvalidValueError, UnknownNameError

__all__ = ["InputSpec", "Scenario", "Tracing", "schema", "axes", "names", "load", "parse_value", "unknown_key"]

_DOMAINS = {
    "any": D.ANY, "nonnegative": D.NONNEGATIVE, "positive": D.POSITIVE, "count": D.COUNT,
    "whole": D.WHOLE, "positive_whole": D.POSITIVE_WHOLE, "fraction": D.FRACTION,
    "positive_fraction": D.POSITIVE_FRACTION, "rate": D.RATE, "switch": D.SWITCH, "radix": D.RADIX,
}


@dataclass(frozen=True)
class InputSpec:
    """One input: key, label, base unit, axis (None for a single value), domain, source."""

    key: str
    label: str
    unit: str
    domain: D.Domain
    source: str
    axis: str | None = None
    note: str | None = None
    erratum: str | None = None
    user_supplied: bool = False

    @property
    def is_switch(self) -> bool:
        return self.domain.switch

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
        out[key] = InputSpec(key, d["label"], d["unit"], dom, d["source"], d.get("axis"),
                             d.get("note"), d.get("erratum"), bool(d.get("user_supplied")))
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
    """Checked input values.  ``values[key]`` is a scalar or a tuple with one value per column."""

    name: str
    values: dict[str, object]
    title: str = ""
    overrides: dict[str, object] = field(default_factory=dict)

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
        """A new scenario with ``changes`` applied, each checked; the original is unchanged."""
        values = dict(self.values)
        for key, raw in changes.items():
            values[key] = check_value(key, raw)
        return Scenario(name or self.name, values, self.title, {**self.overrides, **changes})

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
        super().__init__(base.name, dict(base.values), base.title, dict(base.overrides))
        self.seen: dict[str, None] = {}

    def at(self, key, column):
        self.seen[key] = None
        return super().at(key, column)

    def has_column(self, key, column):
        self.seen[key] = None
        return super().has_column(key, column)


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
    if raw is None and spec.user_supplied:
        return None  # the report gives no value: cells that need it say so
    if isinstance(raw, str):
        raw = parse_value(name, raw)
    if isinstance(raw, bool):
        if not spec.is_switch:
            raise InvalidTypeError(name, raw, "must be a number, not TRUE/FALSE")
        return float(raw)
    return spec.domain.check(name, raw)


def parse_value(name: str, text: str):
    """A number or TRUE/FALSE from text ("0.3", "1.5e12", "true"); other text is an error."""
    t = text.strip()
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    try:
        v = float(t.replace("_", ""))
    except ValueError:
        raise InvalidTypeError(name, text, "must be a number") from None
    if not math.isfinite(v):
        raise InvalidValueError(name, text, "must be a finite number")
    return v


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
    return Scenario(name, values, data[name].get("title", name))


def load(name: str = "csc-2023", overrides: Mapping[str, object] | None = None) -> Scenario:
    """The packaged scenario ``name``, with ``overrides`` (key -> value) applied and checked."""
    base = _load_cached(name)
    scenario = Scenario(base.name, dict(base.values), base.title)
    return scenario.with_values(overrides) if overrides else scenario


def unknown_key(key: str) -> UnknownNameError:
    """The error for an input key that does not exist, with the closest one as a suggestion."""
    keys = list(schema())
    return UnknownNameError("input key", key, keys, _close(key, keys), listing="`suanli inputs`")


def _close(word: str, choices) -> str | None:
    match = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"did you mean {match[0]}?" if match else None
