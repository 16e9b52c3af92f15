"""Scenario files: an analyst's own scenario, as a TOML file, wherever a scenario name is accepted.

A scenario file has the packaged scenarios' format (``engine/data/scenarios/*.toml``)::

    name = "house-2025q3"                 # default: the file's name without .toml
    title = "House view, Q3 2025"         # default: the name
    description = "Why these values."     # optional
    base = "csc-2023-corrected"           # a packaged scenario or another file (default csc-2023)

    [values]
    mm_params_base = "18000亿"            # one value for every column, in the report's units ...
    train_utilization = 0.35              # ... or in the input's base unit (a fraction here)
    mm_vendors = [5, 8, 12, 15, 18]       # one value per column
    "std_dau[2025E]" = "3亿"              # one column; the others keep the base's

A ``base`` that is a file (it ends in ``.toml`` or names a folder) is read relative to the folder
of the file that names it; a chain of bases that comes back to a file is refused.

:func:`resolve` is the one resolver: a packaged name, a path to a file (text that ends in
``.toml`` or contains a ``/``, or a :class:`~pathlib.Path`) or a :class:`~engine.scenarios.Scenario`
becomes a checked scenario, which knows its base chain and the file it came from.  The command
line and the Python API call it for every ``--scenario`` and ``scenario=``.

Reading files lives here and not in :mod:`engine`, which reads no file but its own package data:
the engine checks values (:meth:`~engine.scenarios.Scenario.with_values`) and records provenance;
this module finds, decodes and parses the file, resolves its base and names the file and the key
in every refusal (:class:`ScenarioFileError`).  :func:`render` and :func:`write` write a file
that :func:`read` reads back to the same values.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from engine import scenarios, units
from engine.errors import InvalidTypeError, SuanliError, UnknownNameError
from engine.scenarios import Scenario

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["ScenarioFileError", "resolve", "read", "from_text", "base_of", "is_file_reference", "render", "write",
           "shown", "differs", "REPORT", "DEFAULT_BASE", "FIELDS", "MAX_BYTES"]

#: The scenario that is the report as printed: what "the report's value" means.
REPORT = "csc-2023"

#: The base of a file that names none.
DEFAULT_BASE = REPORT

#: The keys a scenario file may have at its top level.
FIELDS = ("name", "title", "description", "base", "values")

#: A scenario file is a few kilobytes; a larger one is refused before it is read.
MAX_BYTES = 1 << 20

#: The longest name a scenario (or the base it names) may have.
MAX_NAME = 200

#: A key of ``[values]`` that sets one column: ``"std_dau[2025E]"``.
_COLUMN_KEY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\[\s*([^\]]+?)\s*\]\s*$")


class ScenarioFileError(SuanliError, ValueError):
    """A scenario file that cannot be used: one line naming the file, the key and what is accepted."""

    excel = "#VALUE!"

    def __init__(self, file: str, text: str, key: str | None = None):
        self.file, self.text = file, text
        super().__init__(key or "scenario", file, text)

    @property
    def message(self) -> str:
        return f"{self.file}: {self.text}"


# ------------------------------------------------------------------ resolving
def is_file_reference(text: str) -> bool:
    """True when ``text`` names a file rather than a packaged scenario: it ends in ``.toml``, or it
    holds a path separator and a file is there."""
    t = str(text).strip()
    return t.lower().endswith(".toml") or (any(sep in t for sep in "/" + os.sep + (os.altsep or ""))
                                           and os.path.lexists(t))


def resolve(scenario: str | os.PathLike | Scenario | None) -> Scenario | None:
    """The scenario ``scenario`` stands for: a :class:`Scenario` as it is, a packaged name loaded, a
    file read (:func:`read`); None stays None (the caller's default applies).

    >>> resolve("csc-2023-corrected").chain
    ('csc-2023',)
    """
    if scenario is None or isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, os.PathLike):
        return read(scenario)
    if not isinstance(scenario, str):
        raise InvalidTypeError("scenario", scenario, "must be a scenario name, the path of a .toml scenario file, "
                                                     "or a Scenario")
    if is_file_reference(scenario):
        return read(scenario)
    if scenario not in scenarios.names():
        hint = _close(scenario, scenarios.names())
        if hint is None and Path(scenario).is_file():
            hint = f"a scenario file's name ends in .toml; or give it as ./{scenario}"
        elif hint is None and any(sep in scenario for sep in "/" + os.sep):
            hint = "nor is it a file"
        raise UnknownNameError("scenario", scenario, [*scenarios.names(), "a scenario file (FILE.toml)"], hint)
    return scenarios.load(scenario)


def read(path: str | os.PathLike, _within: tuple[tuple[Path, str], ...] = ()) -> Scenario:
    """The scenario of the file at ``path``: its base (a packaged scenario or another file) with its
    values applied, each checked; ``source`` is ``path`` as given and ``chain`` names the bases.

    Raises :class:`ScenarioFileError` naming the file (and the key) when the file cannot be read,
    is not UTF-8 or not TOML, has a key that is not a field or not an input, a value an input does
    not accept, a list of the wrong length, a base that does not exist, or a base chain that loops.
    """
    shown = str(path)
    p = Path(path)
    real = p.resolve()
    seen = [r for r, _ in _within]
    if real in seen:
        loop = " → ".join([*(s for _, s in _within[seen.index(real):]), shown])
        raise ScenarioFileError(_within[0][1], f"its base chain loops: {loop}; a base must not lead back to a "
                                               "file of the chain", "base")
    return _scenario(_parse(p, shown), p, shown, (*_within, (real, shown)))


def from_text(text: str, path: str | os.PathLike) -> Scenario:
    """The scenario the file text ``text`` would give at ``path`` (its base read relative to that
    folder), checked as :func:`read` checks a file: to check a file before it is written."""
    p = Path(path)
    return _scenario(_loads(text, str(path)), p, str(path), ((p.resolve(), str(path)),))


def _scenario(doc: dict, p: Path, shown: str, within: tuple[tuple[Path, str], ...]) -> Scenario:
    unknown = [k for k in doc if k not in FIELDS]
    if unknown:
        raise ScenarioFileError(shown, f"unknown key {unknown[0]!r}; a scenario file has {', '.join(FIELDS[:-1])} "
                                       f"and [values]{_did_you_mean(unknown[0], FIELDS)}", unknown[0])
    name = _text(doc, "name", shown, p.stem)
    if name in scenarios.names():
        raise ScenarioFileError(shown, f"name {name!r} is a packaged scenario's; give the file a name of its own "
                                       f"(base = \"{name}\" starts from it)", "name")
    title = _text(doc, "title", shown, name)
    _text(doc, "description", shown, "")
    base = _base(doc, p, shown, within)
    values = doc.get("values", {})
    if not isinstance(values, dict):
        raise ScenarioFileError(shown, f"values must be a table ([values], one line per input), got "
                                       f"{_kind(values)}", "values")
    changes = _changes(values, base, shown)
    try:
        sc = base.with_values(changes, name=name)
    except SuanliError as exc:                      # every value was checked: a base that changed under us
        raise ScenarioFileError(shown, f"[values] {exc.message}", exc.name) from None
    return Scenario(name, sc.values, title, {}, sc.chain, shown)


def _base(doc: dict, p: Path, shown: str, within: tuple[tuple[Path, str], ...]) -> Scenario:
    """The scenario a file's ``base`` names: a packaged one, or a file relative to the file's folder."""
    base_ref = _text(doc, "base", shown, DEFAULT_BASE)
    if is_file_reference(base_ref):
        base_path = Path(base_ref)
        return read(base_path if base_path.is_absolute() else p.parent / base_path, within)
    if base_ref in scenarios.names():
        return scenarios.load(base_ref)
    raise ScenarioFileError(shown, f"base {base_ref!r} is neither a packaged scenario "
                                   f"({', '.join(scenarios.names())}) nor a .toml file"
                                   f"{_did_you_mean(base_ref, scenarios.names())}", "base")


def base_of(sc: Scenario) -> Scenario | None:
    """The scenario ``sc`` is based on: its file's ``base`` read again, or its packaged base; None for
    the report itself (or a scenario whose base is neither)."""
    if sc.source is not None:
        p = Path(sc.source)
        return _base(_parse(p, sc.source), p, sc.source, ((p.resolve(), sc.source),))
    if sc.chain and sc.chain[0] in scenarios.names():
        return scenarios.load(sc.chain[0])
    return None


def _parse(p: Path, shown: str) -> dict:
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise ScenarioFileError(shown, "is a folder; give the path of a .toml scenario file")
        if size > MAX_BYTES:
            raise ScenarioFileError(shown, f"is {size:,} bytes; a scenario file is at most {MAX_BYTES:,} "
                                           "(a few lines per input)")
        data = p.read_bytes()
    except FileNotFoundError:
        raise ScenarioFileError(shown, "no such file; give the path of a .toml scenario file (`suanli scenario "
                                       "new FILE --from BASE` writes one), or a packaged scenario's name "
                                       f"({', '.join(scenarios.names())})") from None
    except OSError as exc:
        raise ScenarioFileError(shown, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ScenarioFileError(shown, f"line {line}: byte 0x{data[exc.start]:02x} is not UTF-8; a scenario file "
                                       "is UTF-8 text (save it as UTF-8)") from None
    return _loads(text, shown)


def _loads(text: str, shown: str) -> dict:
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioFileError(shown, f"is not TOML: {exc}; a scenario file holds lines such as "
                                       "name = \"my-view\", base = \"csc-2023\" and, under [values], "
                                       "train_utilization = 0.35") from None


def _text(doc: dict, key: str, shown: str, default: str) -> str:
    value = doc.get(key, default)
    if not isinstance(value, str):
        raise ScenarioFileError(shown, f"{key} must be text in quotes, got {_kind(value)}", key)
    value = value.strip()
    if key in ("name", "base") and (not value or len(value) > MAX_NAME or _control(value)):
        raise ScenarioFileError(shown, f"{key} must be one line of text of at most {MAX_NAME} characters, without "
                                       f"control characters, got {value[:MAX_NAME + 20]!r}", key)
    if key == "title" and _control(value.replace("\t", " ")):
        raise ScenarioFileError(shown, f"title must be one line of text, without control characters, got "
                                       f"{value[:200]!r}", key)
    return value


def _control(text: str) -> bool:
    """True when ``text`` holds a line break, a tab or another control character (which no cell can show)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def _changes(values: dict, base: Scenario, shown: str) -> dict[str, object]:
    """The file's values as :meth:`Scenario.with_values` takes them, each checked here so that a
    refusal names the file and the key."""
    schema, axes = scenarios.schema(), scenarios.axes()
    whole: dict[str, object] = {}
    columns: dict[str, dict[str, object]] = {}
    for raw_key, raw in values.items():
        m = _COLUMN_KEY.match(raw_key)
        key, column = (m.group(1), m.group(2)) if m else (raw_key, None)
        where = key if column is None else f"{key}[{column}]"
        if key not in schema:
            err = scenarios.unknown_key(key)
            raise ScenarioFileError(shown, f"[values] {err.message}", key)
        _plain_value(raw, where, shown, column is None)
        spec = schema[key]
        if column is None:
            _checked(key, raw, shown)
            whole[key] = raw
            continue
        labels = axes[spec.axis] if spec.axis else ()
        if column not in labels:
            accepted = "it has no columns" if spec.axis is None else f"its columns are {', '.join(labels)}"
            raise ScenarioFileError(shown, f"[values] {where}: {column!r} is not a column of {key} ({accepted})"
                                           f"{_did_you_mean(column, labels)}", key)
        _checked(where, raw, shown)
        columns.setdefault(key, {})[column] = raw
    for key, cols in columns.items():
        labels = axes[schema[key].axis]
        start = whole.get(key, base.values[key])
        current = list(start) if isinstance(start, (tuple, list)) else [start] * len(labels)
        for column, raw in cols.items():
            current[labels.index(column)] = raw
        whole[key] = current
    return whole


def _checked(name: str, raw, shown: str) -> None:
    """Refuse a value ``key`` (or ``key[column]``) does not accept, naming the file and where."""
    key = name.split("[", 1)[0]
    try:
        scenarios.check_value(key, raw)
    except SuanliError as exc:
        text = exc.message if name == key else exc.message.replace(key, name, 1)
        raise ScenarioFileError(shown, f"[values] {text}", key) from None


def _plain_value(raw, where: str, shown: str, list_allowed: bool) -> None:
    ok = (bool, int, float, str)
    if isinstance(raw, list) and list_allowed and all(isinstance(x, ok) for x in raw):
        return
    if isinstance(raw, ok):
        return
    lists = "; or a list, one value per column" if list_allowed else ""
    raise ScenarioFileError(shown, f"[values] {where} must be a number, true/false or text in the report's units "
                                   f"(\"18000亿\", \"30%\"){lists}; got {_kind(raw)}", where.split("[", 1)[0])


def _kind(value) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        inner = next((x for x in value if not isinstance(x, (bool, int, float, str))), None)
        return "a list" if inner is None else f"a list holding {_kind(inner)}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return repr(value)
    return f"a {type(value).__name__}"


def _close(word: str, choices) -> str | None:
    match = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"did you mean {match[0]}?" if match else None


def _did_you_mean(word: str, choices) -> str:
    hint = _close(word, choices)
    return f" ({hint})" if hint else ""


# ------------------------------------------------------------------ showing values
def shown(key: str, value) -> str:
    """An input's value as the report shows it: ``30%``, ``15000亿``, ``2万张``, ``TRUE``; a value
    per column as the values joined by ``, `` (one value when every column has the same); ``-``
    where there is none."""
    if isinstance(value, (tuple, list)):
        parts = [shown(key, v) for v in value]
        return parts[0] if len(set(parts)) == 1 else ", ".join(parts)
    if value is None:
        return "-"
    spec = scenarios.schema()[key]
    if spec.is_switch:
        return "TRUE" if value else "FALSE"
    v = float(value)
    if spec.unit == "fraction":
        return f"{_g(v * 100)}%"
    if spec.unit in units.SHOWN_IN_WAN_OR_YI and abs(v) >= units.WAN:
        factor = units.YI if abs(v) >= units.YI else units.WAN
        return f"{_g(v / factor)}{_suffix(spec.unit, factor)}"
    return _g(v)


#: Money is shown with its currency, as the report prints it (亿美元, 万元); other quantities with 亿 or 万.
_MONEY = {("USD", units.YI): "亿美元", ("USD", units.WAN): "万美元",
          ("CNY", units.YI): "亿元", ("CNY", units.WAN): "万元"}


def _suffix(unit: str, factor: float) -> str:
    """The report's label for ``factor`` (1e8 or 1e4) of ``unit``: 亿美元 for USD, 亿 or 万 otherwise."""
    return _MONEY.get((unit, factor), "亿" if factor == units.YI else "万")


def _g(x: float) -> str:
    text = format(x, ".6g")
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}e{int(exponent)}"
    return text


# ------------------------------------------------------------------ writing
def render(name: str, base: Scenario, changes: Mapping[str, object], *, title: str | None = None,
           description: str | None = None, base_ref: str | None = None, header: str | None = None,
           file: str | None = None) -> str:
    """The text of a scenario file: ``name`` based on ``base`` (written as ``base_ref``, default its
    name) with ``changes`` (checked values: key -> a number, a bool or a tuple per column), each
    under a comment giving its label, base unit and the report's value, and its own value as the
    report shows it at the end of the line; ``header`` is a comment above it all, ``file`` the file's
name for the usage line.  :func:`read` reads it back to the same values."""
    schema, axes = scenarios.schema(), scenarios.axes()
    report = scenarios.load(REPORT)
    lines = [f"# {line}" if line else "#" for line in (header or "").splitlines()]
    lines += [
        "# A suanli scenario: the inputs that differ from its base, each in its base unit (counts, not 亿;",
        "# fractions, not %) or as text in the report's units (\"18000亿\", \"30%\"); one value for every column,",
        "# a list with one per column, or \"KEY[COLUMN]\" = VALUE for one column. `suanli inputs` lists every key.",
        f"# Use it wherever a scenario name goes: suanli table fig49 --scenario {file or name + '.toml'}",
        f"name = {_toml_text(name)}",
        f"title = {_toml_text(title or name)}",
    ]
    if description:
        lines.append(f"description = {_toml_text(description)}")
    lines += [f"base = {_toml_text(base_ref or base.name)}", "", "[values]"]
    for key in (k for k in schema if k in changes):
        spec, value = schema[key], changes[key]
        report_value = report.values[key]
        lines.append(f"# {spec.label}; {spec.unit}; report {shown(key, report_value)}"
                     + (f"; {base.name} {shown(key, base.values[key])}"
                        if base.name != REPORT and differs(base.values[key], report_value) else ""))
        cells = list(value) if isinstance(value, (tuple, list)) else [value]
        if all(v is None for v in cells):          # TOML has no blank: the base's value stays
            lines.append(f"# {key} is blank here, which a scenario file cannot say: {base.name}'s value applies")
        elif None in cells and spec.axis is not None:   # an input the reports give no value: the columns set
            for label, v in zip(axes[spec.axis], cells, strict=True):
                if v is not None:
                    lines.append(f"{_toml_text(f'{key}[{label}]')} = {_toml_value(key, v)}  # {shown(key, v)}")
        elif len(set(cells)) == 1:
            lines.append(f"{key} = {_toml_value(key, cells[0])}  # {shown(key, cells[0])}")
        else:
            lines.append(f"{key} = [{', '.join(_toml_value(key, v) for v in cells)}]  # {shown(key, value)}")
    if not changes:
        lines.append(f"# (none yet: every input as in {base.name})")
    return "\n".join(lines) + "\n"


def differs(a, b) -> bool:
    """True when two input values (numbers, booleans, None or tuples of them) differ."""
    a_ = list(a) if isinstance(a, (tuple, list)) else [a]
    b_ = list(b) if isinstance(b, (tuple, list)) else [b]
    if len(a_) != len(b_):
        return True
    for x, y in zip(a_, b_, strict=True):
        if (x is None) != (y is None):
            return True
        if x is not None and float(x) != float(y):
            return True
    return False


def _toml_text(text: str) -> str:
    """``text`` as a TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(str(text), ensure_ascii=False)


def _toml_value(key: str, v) -> str:
    """An input's value as TOML writes it: ``true`` or ``false`` for a switch, else :func:`_toml_number`."""
    if scenarios.schema()[key].is_switch:
        return "true" if v else "false"
    return _toml_number(v)


def _toml_number(v) -> str:
    """A value as TOML writes it so that it reads back as the same float: ``true``, ``5``, ``0.35``,
    ``1.5e+12``."""
    if isinstance(v, bool):
        return "true" if v else "false"
    f = float(v)
    if not math.isfinite(f):                       # checked values are finite; a guard, not a case
        raise ValueError(f"{v!r} has no TOML form")
    if f.is_integer() and abs(f) < 1e6:
        return str(int(f))
    text = repr(f)
    if f.is_integer():
        text = str(Decimal(text).normalize()).lower()
        if "e" not in text:
            text += ".0"
    return text


def write(path: str | os.PathLike, text: str, *, force: bool = False) -> Path:
    """Write a scenario file's ``text`` to ``path`` atomically; an existing file is refused unless
    ``force`` (checked again while the file's lock is held)."""
    from workbook_templates.files import FileError, check_writable, write_atomic

    target = Path(path)
    if not force and os.path.lexists(target):
        raise FileError(f"refused {target}: it exists; pass --force to replace it, or choose another name")
    check_writable(target, force=True)

    def write_text(tmp: Path) -> None:
        if not force and os.path.lexists(target):
            raise FileError(f"refused {target}: it appeared while it was being written; nothing was written")
        tmp.write_text(text, encoding="utf-8")

    return write_atomic(target, write_text)
