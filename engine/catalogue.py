"""The hardware catalogue: every chip table of the two reports, as package data.

``data/catalogue.toml`` transcribes the reports' accelerator, GPU, edge-chip, architecture and
server-CPU tables cell by cell (the CSC report's 图表14, 42, 43, 44, 55, 58, 61; the AI-server
compilation's domestic AI-chip and server-CPU tables: see :func:`tables`).  Every value carries
the place it is printed, as a reader finds it in the report (its short name, 图表N or §section
and the words quoted); doubtful cells
are kept as printed with a note; other figures the reports give for the same field are kept as
alternatives.  The file's header documents the layout and the transcription rules; its
``[fields]`` table is the field vocabulary with units.

Dense and sparse tensor throughput are separate fields: the reports' tensor figures are all
dense (H100 SXM FP16 Tensor 990), and the only sparse figures are NVIDIA's datasheet values for
the H100 SXM and A100 SXM, marked external.

>>> from engine import catalogue
>>> catalogue.value("H100", "fp16_tensor_dense_tflops")
990
>>> catalogue.source("h100 sxm", "fp16_tensor_sparse_tflops")
'NVIDIA H100 datasheet (2022) (external)'
>>> catalogue.names(kind="architecture")[:2]
['NVIDIA Fermi', 'NVIDIA Kepler']
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from . import packagedata, reports
from .errors import InvalidTypeError, InvalidValueError, MissingValueError, UnknownNameError

__all__ = [
    "Chip", "Alternative", "Table", "KINDS", "ACCELERATOR_KINDS", "TOPS_KINDS", "REPORTS", "names", "keys", "get",
    "value", "source", "note", "printed", "alternatives", "fields", "units", "field_info", "tables", "to_records",
]

#: The chip kinds, in the order the catalogue file uses them: the one list every kind check
#: and help text uses.  A kind given by a user matches ignoring case ("GPU" is "gpu").
KINDS = ("architecture", "gpu", "edge", "graphics", "gpgpu", "asic", "cpu", "system")
#: The kinds whose every chip is an AI accelerator (data-centre GPUs, GPGPUs, ASICs).
ACCELERATOR_KINDS = ("gpu", "gpgpu", "asic")
#: The kinds whose chips are AI accelerators only when they have an AI throughput (TOPS) figure.
TOPS_KINDS = ("edge", "graphics")
#: The reports a value can come from, by id: each non-external source begins with one's short name.
REPORTS = reports.REPORT_IDS

_IDENTITY = ("name", "name_zh", "aliases", "vendor", "kind", "tables", "note")
_ENTRY_KEYS = {"value", "source", "printed", "note", "also", "published"}
#: The folder of today's accelerators and systems: entries from outside the reports, one file per
#: vendor group, each value sourced to a document of ``data/documents/`` (publisher, title, date,
#: address).  Their ``tables`` is empty; ``Chip.outside`` is True.
CURRENT = "data/catalogue_current"
#: What a value nobody published says, wherever it is shown.
NOT_PUBLISHED = "not published"
_FIELD_TYPES = {"number", "text"}

Number = int | float
Value = int | float | str


@dataclass(frozen=True)
class Alternative:
    """Another value the reports print for the same field of the same chip, with its source."""

    value: Value
    source: str
    printed: str | None = None


@dataclass(frozen=True)
class Table:
    """One transcribed table: the report that prints it, where (``cite``), and its printed title."""

    id: str
    report: str
    cite: str
    title: str

    @property
    def citation(self) -> str:
        """The table as every source of a value from it names it: the report's short name and where."""
        return reports.cite(self.report, self.cite)


@dataclass(frozen=True)
class Chip:
    """One catalogue entry: identity, then per-field values, sources, notes and alternatives.

    ``values`` holds only the fields the reports give a value for.  ``sources`` also covers
    recorded blanks (cells printed "-", "/", "NA"), whose ``notes`` say what the cell shows.
    ``notes`` combine the printed cell (where it differs from the value) and the remark.
    """

    key: str
    name: str
    name_zh: str | None
    aliases: tuple[str, ...]
    vendor: str
    kind: str
    tables: tuple[str, ...]
    values: Mapping[str, Value] = field(compare=False, repr=False)
    sources: Mapping[str, str] = field(compare=False, repr=False)
    notes: Mapping[str, str] = field(compare=False, repr=False)
    printed: Mapping[str, str] = field(compare=False, repr=False, default_factory=dict)
    alternatives: Mapping[str, tuple[Alternative, ...]] = field(
        compare=False, repr=False, default_factory=dict)
    note: str | None = field(compare=False, repr=False, default=None)
    #: True for an entry of today's catalogue (``data/catalogue_current``), sourced outside the reports.
    outside: bool = field(compare=False, default=False)
    #: The fields recorded as "not published": no document gives a value (see :data:`NOT_PUBLISHED`).
    unpublished: frozenset[str] = field(compare=False, repr=False, default=frozenset())


# ----------------------------------------------------------------------------------- loading

class _Catalogue:
    def __init__(self, fields: dict[str, dict], chips: list[Chip], tables: dict[str, Table]):
        self.fields = fields
        self.chips = chips
        self.tables = tables
        self.by_key = {c.key: c for c in chips}
        self.index: dict[str, str] = {}
        for chip in chips:
            for label in (chip.key, chip.name, chip.name_zh, *chip.aliases):
                if not label:
                    continue
                token = _normalise(label)
                other = self.index.setdefault(token, chip.key)
                if other != chip.key:
                    raise ValueError(f"catalogue.toml: {label!r} names both {other} and {chip.key}")


_CACHE: _Catalogue | None = None


def _catalogue() -> _Catalogue:
    global _CACHE
    if _CACHE is None:
        data = packagedata.read_toml("data/catalogue.toml")
        current = {path: packagedata.read_toml(path) for path in packagedata.listdir(CURRENT)}
        _CACHE = _build(data, current)
    return _CACHE


def _build(data: dict, current: Mapping[str, dict] | None = None) -> _Catalogue:
    fields = data.get("fields")
    if not isinstance(fields, dict) or not fields:
        raise ValueError("catalogue.toml: no [fields] vocabulary")
    for name, spec in fields.items():
        if spec.get("type") not in _FIELD_TYPES or not spec.get("unit"):
            raise ValueError(f"catalogue.toml: field {name} needs a unit and type number|text")
    tables = {}
    for table_id, spec in data.get("tables", {}).items():
        if not isinstance(spec, dict) or set(spec) != {"report", "cite", "title"}:
            raise ValueError(f"catalogue.toml: tables.{table_id} needs report, cite and title")
        if spec["report"] not in REPORTS:
            raise ValueError(f"catalogue.toml: tables.{table_id} report {spec['report']!r} not in {REPORTS}")
        tables[table_id] = Table(table_id, spec["report"], spec["cite"], spec["title"])
    chips = [_build_chip(key, raw, fields) for key, raw in data.get("chips", {}).items()]
    seen = {c.key for c in chips}
    for path, extra in (current or {}).items():
        unknown = set(extra) - {"chips"}
        if unknown:
            raise ValueError(f"{path}: only [chips.KEY] entries belong here, not {sorted(unknown)}")
        for key, raw in extra.get("chips", {}).items():
            if key in seen:
                raise ValueError(f"{path}: chip key {key!r} is already in the catalogue")
            seen.add(key)
            chips.append(_build_chip(key, {"tables": [], **raw}, fields, outside=path))
    for chip in chips:
        unknown = set(chip.tables) - set(tables)
        if unknown:
            raise ValueError(f"catalogue.toml: chips.{chip.key} lists tables {sorted(unknown)} not in [tables]")
    return _Catalogue(fields, chips, tables)


def _check_value(where: str, value: object, kind: str) -> None:
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"catalogue.toml: {where} must be a number, got {value!r}")
    elif not isinstance(value, str) or not value:
        raise ValueError(f"catalogue.toml: {where} must be text, got {value!r}")


def _build_chip(key: str, raw: dict, fields: dict[str, dict], outside: str | None = None) -> Chip:
    if outside and raw["tables"]:
        raise ValueError(f"{outside}: chips.{key} cites the reports' tables; it belongs in catalogue.toml")
    if not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", key):
        raise ValueError(f"catalogue.toml: chip key {key!r} is not snake_case")
    for required in ("name", "vendor", "kind", "tables"):
        if required not in raw:
            raise ValueError(f"catalogue.toml: chips.{key} has no {required}")
    if raw["kind"] not in KINDS:
        raise ValueError(f"catalogue.toml: chips.{key} kind {raw['kind']!r} not in {KINDS}")
    values: dict[str, Value] = {}
    sources: dict[str, str] = {}
    notes: dict[str, str] = {}
    printed: dict[str, str] = {}
    alts: dict[str, tuple[Alternative, ...]] = {}
    unpublished: set[str] = set()
    for name, entry in raw.items():
        if name in _IDENTITY:
            continue
        where = f"chips.{key}.{name}"
        if name not in fields:
            raise ValueError(f"catalogue.toml: {where} is not in the [fields] vocabulary")
        if not isinstance(entry, dict) or not set(entry) <= _ENTRY_KEYS:
            raise ValueError(f"catalogue.toml: {where} must be an inline table with keys "
                             f"{sorted(_ENTRY_KEYS)}")
        src = entry.get("source")
        if not isinstance(src, str) or not src.strip():
            raise ValueError(f"catalogue.toml: {where} has no source")
        sources[name] = src
        if "published" in entry:
            if entry["published"] is not False or "value" in entry or not outside:
                raise ValueError(f"catalogue.toml: {where}: `published = false` marks a blank of today's "
                                 "catalogue, with no value")
            unpublished.add(name)
        if "value" in entry:
            _check_value(where, entry["value"], fields[name]["type"])
            values[name] = entry["value"]
        elif "also" in entry:
            raise ValueError(f"catalogue.toml: {where} has alternatives but no value")
        if "printed" in entry:
            printed[name] = str(entry["printed"])
        parts = [NOT_PUBLISHED] if name in unpublished else []
        if "printed" in entry:
            parts.append(f"printed {entry['printed']!r}")
        if entry.get("note"):
            parts.append(str(entry["note"]))
        if parts:
            notes[name] = "; ".join(parts)
        if "also" in entry:
            found = []
            for alt in entry["also"]:
                if not isinstance(alt, dict) or "value" not in alt or not alt.get("source"):
                    raise ValueError(f"catalogue.toml: {where}.also entries need value and source")
                _check_value(where + ".also", alt["value"], fields[name]["type"])
                found.append(Alternative(alt["value"], alt["source"], alt.get("printed")))
            alts[name] = tuple(found)
    return Chip(
        key=key, name=raw["name"], name_zh=raw.get("name_zh"),
        aliases=tuple(raw.get("aliases", ())), vendor=raw["vendor"], kind=raw["kind"],
        tables=tuple(raw["tables"]), values=MappingProxyType(values),
        sources=MappingProxyType(sources), notes=MappingProxyType(notes),
        printed=MappingProxyType(printed), alternatives=MappingProxyType(alts),
        note=raw.get("note"), outside=bool(outside), unpublished=frozenset(unpublished),
    )


def _normalise(text: str) -> str:
    return re.sub(r"[\s\-_]+", "", unicodedata.normalize("NFKC", text).casefold())


# ------------------------------------------------------------------------------------ lookup

def names(kind: str | None = None) -> list[str]:
    """Return the chips' display names (text) in catalogue order, only those of ``kind`` if given.

    ``kind`` is one of :data:`KINDS`, in any case ("GPU" is "gpu"); anything else raises
    :class:`UnknownNameError`.
    """
    chips = _catalogue().chips
    if kind is None:
        return [c.name for c in chips]
    if not isinstance(kind, str) or kind.strip().lower() not in KINDS:
        raise UnknownNameError("kind", kind, KINDS)
    kind = kind.strip().lower()
    return [c.name for c in chips if c.kind == kind]


def keys() -> list[str]:
    """Return the chips' stable snake_case keys (text) in catalogue order."""
    return [c.key for c in _catalogue().chips]


def get(chip: str | Chip) -> Chip:
    """Return the :class:`Chip` for a key, display name, Chinese name or alias.

    Matching ignores case, spaces, hyphens and underscores ("h100", "H100 SXM", "h100_sxm" are
    the same chip).  An unknown name raises :class:`UnknownNameError` with close matches.
    """
    if isinstance(chip, Chip):
        return chip
    if not isinstance(chip, str):
        raise InvalidTypeError("chip", chip, "must be a chip name, key or alias (text)")
    cat = _catalogue()
    token = _normalise(chip)
    if token in cat.index:
        return cat.by_key[cat.index[token]]
    raise UnknownNameError("chip", chip, [c.name for c in cat.chips], hint=_suggest(token, cat))


def _suggest(token: str, cat: _Catalogue) -> str | None:
    found: list[str] = []
    if len(token) >= 2:
        found += [k for t, k in cat.index.items() if token in t]
    found += [cat.index[t] for t in difflib.get_close_matches(token, list(cat.index), n=5, cutoff=0.6)]
    shown = list(dict.fromkeys(cat.by_key[k].name for k in found))[:5]
    if not shown:
        return None
    return "did you mean " + " or ".join(repr(n) for n in shown) + "?"


def _field(name: str) -> str:
    fields = _catalogue().fields
    if isinstance(name, str) and name in fields:
        return name
    if isinstance(name, str):
        norm = name.strip().lower().replace(" ", "_").replace("-", "_")
        if norm in fields:
            return norm
        close = difflib.get_close_matches(norm, list(fields), n=3, cutoff=0.6)
        hint = ("did you mean " + " or ".join(repr(c) for c in close) + "?") if close else None
    else:
        hint = None
    raise UnknownNameError("field", name, list(fields), hint=hint)


def _missing(chip: Chip, name: str, accepted: str | None = None):
    if accepted is None:
        accepted = ("is not published" if name in chip.unpublished else
                    "is not given in today's catalogue" if chip.outside else "is not given in the reports' tables")
    return MissingValueError(f"{name} of {chip.name}", None, accepted, hint=chip.notes.get(name))


def value(chip: str | Chip, field: str, report: str | None = None) -> Value:
    """Return one value of a chip, in the unit of its field (see :func:`units`).

    Numbers are ``int`` or ``float`` exactly as printed (TB/s converted to GB/s); text fields
    return ``str``.  A field outside the vocabulary raises :class:`UnknownNameError`; a field
    the reports do not give for this chip raises :class:`MissingValueError` (never 0 or None).
    With ``report="csc-2023"`` or ``"ai-server-2023"`` (:data:`REPORTS`) the figure that report
    prints is returned, which may be one of the :func:`alternatives` (the AI-server compilation's
    BR100P BF16 is 960, the CSC report's 1024).
    """
    c = get(chip)
    name = _field(field)
    if report is None:
        if name not in c.values:
            raise _missing(c, name)
        return c.values[name]
    if report not in REPORTS:
        raise InvalidValueError("report", report, f"must be one of {', '.join(REPORTS)}")
    candidates = []
    if name in c.values:
        candidates.append((c.values[name], c.sources[name]))
    candidates += [(a.value, a.source) for a in c.alternatives.get(name, ())]
    prefix = reports.short(report)
    for val, src in candidates:
        if any(part.strip().startswith(prefix) for part in src.split(";")):
            return val
    raise _missing(c, name, f"is not given in {prefix}")


def source(chip: str | Chip, field: str) -> str:
    """Return where the chip's field is printed (text: "中信建投《算力大时代》(2023) 图表42, 图表58").

    For a recorded blank (a cell printed "-" or "NA") it is where the blank is.  A field with
    no entry for this chip raises :class:`MissingValueError`.
    """
    c = get(chip)
    name = _field(field)
    if name not in c.sources:
        raise _missing(c, name)
    return c.sources[name]


def note(chip: str | Chip, field: str) -> str | None:
    """Return the note on a chip's field (text: printed cell and remark), or None if there is none."""
    c = get(chip)
    return c.notes.get(_field(field))


def printed(chip: str | Chip, field: str) -> str | None:
    """Return the cell exactly as printed (text) where it differs from the stored value, else None."""
    c = get(chip)
    return c.printed.get(_field(field))


def alternatives(chip: str | Chip, field: str) -> list[Alternative]:
    """Return the other values (in the field's unit) the reports print for this field, with sources."""
    c = get(chip)
    return list(c.alternatives.get(_field(field), ()))


def fields() -> list[str]:
    """Return the field vocabulary (text names whose suffix gives the unit), in file order."""
    return list(_catalogue().fields)


def units() -> dict[str, str]:
    """Return each field's unit (text: "TFLOPS", "GB/s", "W", "count", "text", ...)."""
    return {name: spec["unit"] for name, spec in _catalogue().fields.items()}


def field_info(field: str) -> dict[str, str]:
    """Return a field's unit, type ("number" or "text") and description, as a dict of text."""
    spec = _catalogue().fields[_field(field)]
    return {"unit": spec["unit"], "type": spec["type"], "doc": spec.get("doc", "")}


def tables() -> dict[str, Table]:
    """Return the transcribed tables by id ("fig42", "s001_chips"), in file order."""
    return dict(_catalogue().tables)


def to_records(sources: bool = False) -> list[dict]:
    """Return one dict per chip (catalogue order) with every vocabulary field, for a DataFrame.

    Values are in each field's unit; fields the reports do not give are None (NaN in pandas).
    Identity columns come first (key, name, name_zh, vendor, kind, tables, aliases as text).
    With ``sources=True`` each field is followed by a ``<field>_source`` column.
    """
    cat = _catalogue()
    records = []
    for c in cat.chips:
        row: dict = {
            "key": c.key, "name": c.name, "name_zh": c.name_zh, "vendor": c.vendor,
            "kind": c.kind, "tables": ", ".join(c.tables), "aliases": ", ".join(c.aliases),
        }
        for name in cat.fields:
            row[name] = c.values.get(name)
            if sources:
                row[name + "_source"] = c.sources.get(name) if name in c.values else None
        records.append(row)
    return records
