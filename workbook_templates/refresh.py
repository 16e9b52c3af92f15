"""``suanli refresh BOOK.xlsx``: recompute a template workbook from the inputs typed into it.

A template workbook (``suanli templates build``) holds live formulas, so Excel or LibreOffice
recalculates it by themselves; what they cannot do is tell whether an edited input is one the
models accept, and programs that read a workbook without calculating it (pandas, openpyxl
``data_only=True``, previews, search indexes) see the results last *saved*.  ``refresh``:

1. opens the file through :mod:`.safety` (no zip bombs, no XML entities, nothing inflated
   before the headers are checked);
2. reads the hidden ``_suanli`` sheet (group, scenario, input keys; :mod:`.meta`), checks that
   every input's workbook-level defined name still refers to exactly the cells the layout puts
   it in, and reads those cells straight from the sheet XML (:mod:`.sheetxml`);
3. reads each value in the input's display unit, as the Inputs sheet shows it (15,000 in 亿 is
   1.5e12; a % cell holds its fraction: :func:`engine.formats.input_display`), and checks it with
   the engine's rules (:func:`engine.scenarios.check_value`): text, an error value, a blank (unless
   the input is yours to supply), a number out of bounds is refused with one message naming the
   cell, the key and what is accepted, in that unit; merged input cells and protected sheets are
   refused too.  A workbook built before the Inputs sheet held display units is refused with a
   message saying to rebuild it (:mod:`.meta`);
4. recomputes every exhibit with the engine for those inputs and writes each result as the
   *cached value* of its formula cell, editing only the XML of the sheets it changes; every
   other part of the file (formatting, comments, charts, extra sheets, column widths, data
   validation) is copied byte for byte;
5. stamps the ``_suanli`` sheet (``refreshed_at``, ``scenario``, ``inputs_hash``) and the Index
   sheet's cell A2, and asks Excel and LibreOffice to recalculate fully on load;
6. writes the new file through :func:`.files.replace_atomic`: a temporary beside the target,
   flushed to disk and renamed over it, a symbolic link kept and the file it points to
   refreshed, the original's mode and owner kept.  Refreshing in place first keeps the original
   as ``BOOK.<UTC timestamp>.bak.xlsx`` beside it (for example
   ``demand.20250102T030405Z.bak.xlsx``): every refresh that changes the workbook keeps its own
   backup, none is ever overwritten, and the backup still opens in Excel by a double click.  A
   workbook that already holds what its inputs compute is left as it is: no write, no backup.

What refresh writes is only what the workbook's own formulas compute: every formula cell it
caches a value for must hold the formula suanli writes there (compared as a spreadsheet reads
formulas), every printed value the checks read must be the report's, no sheet may carry its own
name for an input (its formulas would read that instead), and every cell read must hold a value
a spreadsheet stores.  The workbook is read as a stream (:mod:`.sheetxml`): memory grows with
the cells refresh reads and writes, not with the size of the sheets.

The target is refused, before anything is read, when it is read-only (unless ``force``), not a
regular file (a device, a folder), or open in Excel or LibreOffice (``~$BOOK.xlsx`` or
``.~lock.BOOK.xlsx#`` beside it; unless ``force``).  While it runs refresh holds the target's
lock (:func:`.files.locked`): a second refresh of the same file is refused as "in use", and the
temporary of one that was killed is removed.  Ctrl-C, SIGTERM and SIGHUP leave no temporary.

Any refusal raises a :class:`~engine.errors.SuanliError` (one line; exit status 2 from the
command line) before anything is written: the original is untouched and no temporary file is left.

:func:`check_inputs` and :func:`check_name` are the validation shared with the Refresh button in
Excel (:mod:`addin.refresh_button`), as :func:`.meta.read` is for the ``_suanli`` sheet.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from engine import SuanliError, __version__, formats, scenarios

from . import build, files, meta, safety
from .render import ERRATA_SHEET, INDEX_SHEET, STAMP_CELL, input_layout
from .safety import WorkbookError
from .sheetxml import (
    FORMULA_WITHOUT_VALUE,
    Book,
    DateText,
    ErrorValue,
    Sheet,
    formula_key,
    parse_cell,
    parse_range,
    same_formula,
    shorten,
    show_value,
    write_package,
)

__all__ = ["refresh", "RefreshReport", "read_meta", "check_inputs", "check_name", "check_scoped_names",
           "starting_scenario", "lineage_rows", "workbook_inputs", "as_excel_text", "refresh_time", "stamp_text",
           "backup_path"]

#: Formula cells of the Errata sheet ("switch now") a workbook may hold; suanli writes one per erratum.
MAX_ERRATA_SWITCHES = 10_000


# ------------------------------------------------------------------ the shared validation
def check_inputs(cells: Mapping[str, Sequence[tuple[str, object]]]) -> dict[str, object]:
    """Input values as a scenario takes them, from what the workbook's cells hold.

    ``cells[key]`` lists ``(cell name, raw value)`` for each cell the key's name refers to (one,
    or one per column of the input's axis).  A raw value is a float (in the input's display unit, as
    the Inputs sheet holds it: 15,000 for 15,000亿, 0.3 for 30%), a bool, None (blank), text (a
    ``str``), an :class:`ErrorValue` or :data:`FORMULA_WITHOUT_VALUE`.  Returns ``key -> value``
    (in base units: 1.5e12; a float, None, or a tuple per column) ready for
    :meth:`engine.scenarios.Scenario.with_values`;
    raises one :class:`WorkbookError` naming the first bad cell, its key and what is accepted.
    """
    schema, axes = scenarios.schema(), scenarios.axes()
    values: dict[str, object] = {}
    problems: list[str] = []
    for key, raws in cells.items():
        spec = schema.get(key)
        if spec is None:
            problems.append(f"input {key} is not an input of suanli {__version__} (see `suanli inputs`)")
            continue
        columns = axes[spec.axis] if spec.axis is not None else (None,)
        if len(raws) != len(columns):
            where = ", ".join(c for c, _ in raws) or "no cells"
            problems.append(f"input {key} refers to {len(raws)} cells ({where}); it takes "
                            f"{len(columns)} ({', '.join(c for c in columns if c) or 'one value'})")
            continue
        out = []
        for (cell, raw), column in zip(raws, columns, strict=True):
            try:
                out.append(_check_cell(spec, cell, column, raw))
            except WorkbookError as exc:
                problems.append(exc.text)
        if len(out) == len(columns):
            values[key] = out[0] if spec.axis is None else tuple(out)
    if problems:
        more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
        raise WorkbookError(problems[0] + more)
    return values


def _check_cell(spec: scenarios.InputSpec, cell: str, column: str | None, raw):
    label = spec.key if column is None else f"{spec.key} ({column})"
    shown = formats.input_display(spec.key)
    accepted = shown.describe(spec.domain)
    if raw is FORMULA_WITHOUT_VALUE:
        raise WorkbookError(f"input {label} at {cell} holds a formula with no saved result: type the value, "
                            "or open the workbook in Excel and save it first")
    if isinstance(raw, ErrorValue):
        raise WorkbookError(f"input {label} at {cell} holds the error value {raw}: it {accepted}")
    if isinstance(raw, DateText):
        raise WorkbookError(f"input {label} at {cell} holds the date {str(raw)!r}: it {accepted}")
    if isinstance(raw, str):
        raise WorkbookError(f"input {label} at {cell} holds the text {shorten(raw)!r}, not a "
                            f"{'TRUE/FALSE' if spec.is_switch else 'number'}: it {accepted}")
    if raw is None and not spec.user_supplied:
        raise WorkbookError(f"input {label} at {cell} is blank: it {accepted}")
    if isinstance(raw, bool) and not spec.is_switch:
        raise WorkbookError(f"input {label} at {cell} holds {'TRUE' if raw else 'FALSE'}, not a number: "
                            f"it {accepted}")
    value = raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw):
        value = shown.base_value(raw)          # the cell holds the display value: 15,000 (亿) is 1.5e12
        if not spec.domain.contains(value):
            raise WorkbookError(f"input {label} at {cell} {accepted}, got {shown.show_cell(raw)}"
                                f"{_display_hint(spec, shown, raw)}")
    try:
        checked = scenarios.check_value(spec.key, value)
    except SuanliError as exc:
        hint = f" ({exc.hint})" if getattr(exc, "hint", None) else ""
        raise WorkbookError(f"input {label} at {cell} {exc.accepted}, got {show_value(raw)}{hint}") from None
    return checked[0] if isinstance(checked, tuple) else checked


def _display_hint(spec: scenarios.InputSpec, shown: formats.InputDisplay, raw: float) -> str:
    """A likely slip in a cell, in its display unit: 30 typed into a % cell that took it as 3,000%."""
    if shown.percent and 1 < raw <= 100 and spec.domain.contains(raw / 100):
        return f" (did you mean {formats.format_number(raw)}%? type it with the % sign)"
    hint = None if shown.scaled else spec.domain.hint(raw)
    return f" ({hint})" if hint else ""


_NAME_TARGET = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]{1,3}\$?[0-9]+(?::\$?[A-Z]{1,3}\$?[0-9]+)?)$")


def check_name(key: str, refers_to: str | None, expected: str) -> None:
    """Refuse a defined name that is missing or does not refer exactly to ``expected``.

    ``expected`` is the layout's target (``=Inputs!$F$6``); ``refers_to`` what the workbook says
    (with or without ``=``, the sheet name quoted or not), or None when the name is missing.
    """
    want = _normal_target(expected)
    shown_want = expected.lstrip("=")
    if refers_to is None:
        raise WorkbookError(f"input {key}: the workbook has no workbook-level name {key} (the layout puts it "
                            f"at {shown_want}); restore it in Formulas > Name Manager, or rebuild the workbook")
    if _normal_target(refers_to) != want:
        raise WorkbookError(f"input {key}: its name refers to {refers_to.strip().lstrip('=')}, but the layout puts "
                            f"it at {shown_want}; move the input back (or point the name at {shown_want})")


def _normal_target(text: str):
    m = _NAME_TARGET.match(text.strip().lstrip("="))
    if not m:
        return None
    sheet = (m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)).lower()
    return sheet, m.group(3).upper()


def as_excel_text(text: str) -> str:
    """``text`` as a value to assign to a cell in Excel so that it stays text.

    Excel takes a value starting with ``=``, ``+``, ``-`` or ``@`` as a formula, and one that
    looks like a number or a date as that; a leading apostrophe means "this is text" and is not
    part of the value, so it is always added.
    """
    return "'" + text


def refresh_time(now: dt.datetime | None = None) -> dt.datetime:
    """The time a refresh records: ``now`` (the clock when None) in UTC, to the second."""
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)


def stamp_text(when: dt.datetime, scenario: str, inputs_hash: str) -> str:
    """The Index sheet's line after a refresh at ``when`` (a :func:`refresh_time`)."""
    return f"Refreshed {when.strftime('%Y-%m-%d %H:%M:%S UTC')} · scenario {scenario} · inputs {inputs_hash}"


def backup_path(path: str | os.PathLike, when: dt.datetime) -> Path:
    """``BOOK.<UTC timestamp>.bak.xlsx`` beside ``path`` (its symlinks followed), never an existing file.

    Refresh makes the backup through :func:`.files.replace_atomic`, which takes the first of these
    names that is free at the moment it links the copy in."""
    target = files.resolve(path)
    n = 1
    while True:
        candidate = files.backup_name(target, _stamp(when), n)
        if not os.path.lexists(candidate):
            return candidate
        n += 1


def _stamp(when: dt.datetime) -> str:
    return when.strftime("%Y%m%dT%H%M%SZ")


def check_scoped_names(key: str, found: Sequence[tuple[str | None, str, str]], expected: str) -> None:
    """Refuse the defined names of input ``key`` (from :meth:`.sheetxml.Book.defined_names`) unless there is
    exactly one, workbook-level, referring to ``expected``: a sheet's own name of the same name would be what
    that sheet's formulas read."""
    for scope, name, text in found:
        if scope is not None:
            raise WorkbookError(f"input {key}: sheet {scope} has its own name {name} (refers to "
                                f"{shorten(text.strip().lstrip('=') or '?', 60)}), which that sheet's formulas read "
                                f"instead of the input; delete it in Formulas > Name Manager and refresh again")
    workbook = [text for scope, _, text in found if scope is None]
    if len(workbook) > 1:
        raise WorkbookError(f"input {key}: the workbook defines the name {key} {len(workbook)} times; keep the one "
                            f"referring to {expected.lstrip('=')} (Formulas > Name Manager)")
    check_name(key, workbook[0] if workbook else None, expected)


def starting_scenario(info: meta.Meta, scenario: str | scenarios.Scenario | None = None
                      ) -> tuple[scenarios.Scenario, str, str | None]:
    """The scenario a refresh starts from: ``(scenario, the name to stamp, a note or None)``.

    ``scenario`` (a packaged scenario's name, or a :class:`~engine.scenarios.Scenario` such as one
    read from a scenario file) when given; else the workbook's own.  A workbook whose scenario is
    not a packaged one (a batch writes one per row, named after it; a scenario file names its own)
    keeps its name, base chain and file name as its ``_suanli`` sheet records them; it starts from
    its ``base`` row's scenario, or the group's, and every input is the workbook's own, so what it
    computes does not depend on which, and the file is not needed.
    """
    if scenario is not None:
        base = scenarios.load(scenario) if isinstance(scenario, str) else scenario
        return base, base.name, None
    name = info.scenario
    if name in scenarios.names():
        base = scenarios.load(name)
        return base, base.name, None
    start = scenarios.load(info.base if info.base in scenarios.names() else info.group.scenario)
    own = scenarios.Scenario(name, dict(start.values), name, chain=info.chain or (start.name, *start.chain),
                             source=info.get("scenario_file") or None)
    return own, name, f"scenario {name} is not a packaged scenario: its inputs compared with {start.name}"


def lineage_rows(info: meta.Meta, edited: scenarios.Scenario, inputs_hash: str,
                 given: bool = False) -> list[tuple[str, str]]:
    """The :data:`.meta.LINEAGE` rows a refresh stamps for the scenario ``edited`` (the starting
    scenario with the workbook's inputs).  A workbook whose inputs are still those its ``_suanli``
    sheet records keeps its ``scenario_hash`` unless a scenario was ``given``: the scenario that
    made it (a file's, with values for inputs this workbook does not use) still describes it."""
    rows = meta.lineage(edited)
    if not given and info.get("scenario_hash") and info.get("inputs_hash") == inputs_hash:
        rows = [(k, info.get(k, "") if k == "scenario_hash" else v) for k, v in rows]
    return rows


# ------------------------------------------------------------------ the report
@dataclass
class RefreshReport:
    """What a refresh did."""

    source: Path
    out: Path
    backup: Path | None
    group: str
    scenario: str
    refreshed_at: str
    inputs_hash: str
    previous_hash: str | None
    cells: int
    inputs: int
    changed: tuple[str, ...] = ()          # inputs whose value differs from the scenario's
    notes: list[str] = field(default_factory=list)
    unchanged: bool = False                # the workbook already held it all: nothing was written

    def summary(self) -> str:
        if self.unchanged:
            return "; ".join([f"{self.out} is up to date: its {self.cells} formula results of group {self.group} "
                              f"already hold what its {self.inputs} inputs compute (scenario {self.scenario}, inputs "
                              f"{self.inputs_hash}); nothing written"] + self.notes)
        parts = [f"refreshed {self.out}: {self.cells} formula results of group {self.group} from "
                 f"{self.inputs} inputs, scenario {self.scenario}"]
        if self.changed:
            shown = ", ".join(self.changed[:6]) + (", ..." if len(self.changed) > 6 else "")
            parts.append(f"{len(self.changed)} input{'s differ' if len(self.changed) > 1 else ' differs'} from it "
                         f"({shown})")
        else:
            parts.append("every input as in the scenario")
        was = f" (was {self.previous_hash})" if self.previous_hash and self.previous_hash != self.inputs_hash else ""
        parts.append(f"inputs {self.inputs_hash}{was}")
        if self.backup is not None:
            parts.append(f"the original kept as {self.backup}")
        return "; ".join(parts + self.notes)


# ------------------------------------------------------------------ refresh
def refresh(path: str | os.PathLike, out: str | os.PathLike | None = None,
            scenario: str | scenarios.Scenario | None = None,
            now: dt.datetime | None = None, force: bool = False) -> RefreshReport:
    """Refresh the template workbook at ``path`` (in place, or into ``out``); see the module.

    ``force`` refreshes a read-only workbook, or one that looks open in Excel or LibreOffice;
    ``scenario`` is the one to start from (:func:`starting_scenario`).
    """
    given = Path(path)
    src = files.resolve(given)
    shown_target = Path(out) if out is not None else given
    target = files.resolve(shown_target)
    in_place = out is None or target == src
    when = refresh_time(now)
    where = str(given)
    if not src.is_file():
        safety.open_checked(given).close()         # says why: missing, a folder, a device
    files.check_writable(shown_target, force, "" if in_place else "--out")
    if not force:
        files.check_not_open(given)
        if not in_place:
            files.check_not_open(shown_target, "--out")
    with files.interruptible(), files.locked(target, wait=False), safety.open_checked(src) as zf:
        original = os.fstat(zf.fp.fileno())
        return _refresh(zf, given, shown_target, target, in_place, original, scenario, when, where)


def _refresh(zf, given: Path, shown_target: Path, target: Path, in_place: bool, original: os.stat_result,
             scenario: str | scenarios.Scenario | None, when: dt.datetime, where: str) -> RefreshReport:
    book = Book(zf, where)
    info = read_meta(book, where)
    group = info.group
    base, scenario_name, note = starting_scenario(info, scenario)
    keys = list(info.inputs)
    values = _input_values(book, info)

    # recompute, and check the workbook is laid out as suanli lays this group out now
    edited = base.with_values(values, name=scenario_name)     # the name the sheets' headers show, as stamped
    p = build.plan(group, edited)
    if p.order != list(info.exhibits) or p.inputs != keys:
        raise WorkbookError(f"{where} was laid out by suanli {info.get('suanli_version', '?')}, and suanli "
                            f"{__version__} lays the {group.name} workbook out differently; rebuild it with "
                            "`suanli templates build` and copy your inputs over")
    replaced: dict[str, object] = {}
    changed = False
    count = 0
    for ex_id, expected in build.sheet_cells(p).items():
        sheet = book.sheet(ex_id, "exhibit sheet", cells=expected)
        _refuse_protected(sheet)
        for ref, cell in expected.items():
            if cell.formula is None:
                _check_printed(sheet, ex_id, ref, cell, book)
                continue
            _check_formula(sheet, ex_id, ref, cell, book)
            sheet.set_cached(ref, cell.value)
            count += 1
        if sheet.changed:
            changed = True
            replaced[sheet.member] = sheet.write

    notes: list[str] = [note] if note else []
    if ERRATA_SHEET in book.sheets:
        errata_sheet = _errata_switches(book, edited, keys)
        if errata_sheet.changed:
            _refuse_protected(errata_sheet)
            changed = True
            replaced[errata_sheet.member] = errata_sheet.write

    new_hash = build.inputs_hash(edited, keys)
    meta_sheet = book.sheet(meta.META_SHEET)
    index = book.sheet(INDEX_SHEET, cells=[STAMP_CELL]) if INDEX_SHEET in book.sheets else None
    if not changed and in_place and _stamped(info, index, book, scenario_name, new_hash):
        report = RefreshReport(given, shown_target, None, group.name, scenario_name, info.get("refreshed_at", ""),
                               new_hash, info.get("inputs_hash"), count, len(keys), _changed(keys, edited, base),
                               notes, unchanged=True)
        return report
    _refuse_protected(meta_sheet)
    stamps = info.stamp(when, scenario_name, new_hash, meta_sheet.last_row,
                        lineage_rows(info, edited, new_hash, given=scenario is not None))
    meta_sheet.require([f"A{r + 1}" for r, _, _ in stamps] + [f"B{r + 1}" for r, _, _ in stamps])
    for r, key, value in stamps:
        if key is not None:
            meta_sheet.set_text(xl_rowcol_to_cell(r, 0), key)
        meta_sheet.set_text(xl_rowcol_to_cell(r, 1), value)
    replaced[meta_sheet.member] = meta_sheet.write
    if index is not None:
        _refuse_protected(index)
        index.set_text(STAMP_CELL, stamp_text(when, scenario_name, new_hash))
        replaced[index.member] = index.write
    else:
        notes.append("no Index sheet to stamp")
    replaced["xl/workbook.xml"] = book.full_calc_on_load()

    report = RefreshReport(given, shown_target, None, group.name, scenario_name, when.isoformat(), new_hash,
                           info.get("inputs_hash"), count, len(keys), _changed(keys, edited, base), notes)

    def write(tmp: Path) -> None:
        write_package(zf, replaced, tmp, where)
        zf.close()                       # before the rename: Windows will not replace an open file

    done = files.replace_atomic(target, write, backup_stamp=_stamp(when) if in_place else None,
                                like=given if not in_place else None, expect=original if in_place else None)
    report.backup = done.backup
    return report


def workbook_inputs(path: str | os.PathLike) -> tuple[meta.Meta, dict[str, object]]:
    """The ``_suanli`` sheet and the input values of the template workbook at ``path``, read and checked
    exactly as a refresh reads them (nothing is written): ``key -> value`` in base units (a float, a
    bool, None, or a tuple per column).  Raises what a refresh would, naming the cell."""
    given = Path(path)
    with safety.open_checked(given) as zf:
        book = Book(zf, str(given))
        info = read_meta(book, str(given))
        return info, _input_values(book, info)


def _input_values(book: Book, info: meta.Meta) -> dict[str, object]:
    """The inputs the workbook's cells hold, checked (:func:`check_inputs`) and in base units (the Inputs
    sheet shows each in its display unit): its defined names must refer to the cells the layout puts each
    input in, and those cells must hold values a spreadsheet stores."""
    keys = list(info.inputs)
    layout = input_layout(keys, info.exhibits)
    names = book.defined_names(keys)
    for key in keys:
        check_scoped_names(key, names[key], layout.name_target(key))
    input_cells: dict[str, str] = {}
    refs: dict[str, list[str]] = {}
    for key in keys:
        refs[key] = [xl_rowcol_to_cell(r, c) for r, c in layout.cells(key)]
        input_cells.update({r: key for r in refs[key]})
    inputs_sheet = book.sheet(layout.sheet, "sheet", cells=input_cells)
    _refuse_protected(inputs_sheet)
    _refuse_merged(inputs_sheet, input_cells)
    cells = {key: [(f"{layout.sheet}!{r}", inputs_sheet.value(r, book.shared)) for r in refs[key]] for key in keys}
    for key in keys:
        for r in refs[key]:
            _refuse_stale_constant(inputs_sheet, r, key, book)
    return check_inputs(cells)


def read_meta(book: Book, where: str) -> meta.Meta:
    """The workbook's ``_suanli`` sheet, checked by :func:`.meta.read`."""
    if meta.META_SHEET not in book.sheets:
        return meta.read(None, where)
    sheet = book.sheet(meta.META_SHEET, keep=lambda c: c.col < 2, limit=2 * meta.MAX_ROWS)
    return meta.read(((r, a, b) for r, (a, b) in sheet.rows(2, book.shared)), where)


def _changed(keys: Sequence[str], edited: scenarios.Scenario, base: scenarios.Scenario) -> tuple[str, ...]:
    return tuple(k for k in keys if _differs(edited.values[k], base.values[k]))


def _stamped(info: meta.Meta, index: Sheet | None, book: Book, scenario: str, inputs_hash: str) -> bool:
    """True when the workbook's stamps already say it was refreshed with this scenario and these inputs."""
    if info.scenario != scenario or info.get("inputs_hash") != inputs_hash or "refreshed_at" not in info.places:
        return False
    try:
        when = dt.datetime.fromisoformat(info.get("refreshed_at", ""))
    except ValueError:
        return False
    if index is None:
        return True
    return index.value(STAMP_CELL, book.shared) == stamp_text(refresh_time(when), scenario, inputs_hash)


def _check_formula(sheet: Sheet, ex_id: str, ref: str, cell: build.SheetCell, book: Book) -> None:
    got = sheet.formula(ref)
    if got is not None and same_formula(got, cell.formula):
        return
    what = {"check": f"the check of row {cell.row} ({cell.column})",
            "header": "the heading naming the scenario and the errata switches"}.get(
        cell.kind, f"the formula of row {cell.row} ({cell.column})")
    holds = sheet.describe(ref, book.shared) if got is None else f"holds ={shorten(got.strip(), 60)}"
    raise WorkbookError(f"{ex_id}!{ref} should hold {what} but {holds}: it was moved or overwritten; undo that "
                        "(or rebuild the workbook) and refresh again")


def _check_printed(sheet: Sheet, ex_id: str, ref: str, cell: build.SheetCell, book: Book) -> None:
    value = sheet.value(ref, book.shared)
    if isinstance(value, float) and not isinstance(value, bool) and sheet.formula(ref) is None \
            and format(value, ".15g") == format(cell.value, ".15g"):
        return
    holds = sheet.describe(ref, book.shared)
    raise WorkbookError(f"{ex_id}!{ref} should hold the report's printed value {show_value(cell.value)} for row "
                        f"{cell.row} ({cell.column}), which its check reads, but {holds}; restore it (or rebuild "
                        "the workbook) and refresh again")


_LITERAL = re.compile(r"^\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$")


def _refuse_stale_constant(sheet: Sheet, ref: str, key: str, book: Book) -> None:
    """An input holding a formula that is just a number (``=0.5``) must have that number as its saved result:
    a spreadsheet computes the formula, not the saved result."""
    formula = sheet.formula(ref)
    if formula is None:
        return
    text = formula.strip().lstrip("=")
    key_ = formula_key(text)
    literal = None
    if _LITERAL.match(text):
        literal = float(text)
    elif key_ is not None and len(key_) == 1 and key_[0][1] == "LOGICAL":
        literal = key_[0][2] == "TRUE"
    if literal is None:
        return
    saved = sheet.value(ref, book.shared)
    same = (isinstance(saved, bool) and isinstance(literal, bool) and saved == literal) or (
        isinstance(saved, float) and not isinstance(literal, bool) and saved == literal)
    if not same:
        raise WorkbookError(f"input {key} at {sheet.name}!{ref} holds the formula ={shorten(text)} but its saved "
                            f"result is {show_value(saved) if saved is not FORMULA_WITHOUT_VALUE else 'missing'}; "
                            "type the value itself and refresh again")


def _refuse_protected(sheet: Sheet) -> None:
    if sheet.protected:
        raise WorkbookError(f"{sheet.where}: sheet {sheet.name} is protected (its cells are locked); unprotect it "
                            "(Review > Unprotect Sheet), save, and refresh again")


def _refuse_merged(sheet: Sheet, input_cells: Mapping[str, str]) -> None:
    for ref in sheet.merged():
        box = parse_range(ref)
        if box is None:
            continue
        r1, c1, r2, c2 = box
        for cell, key in input_cells.items():
            r, c = parse_cell(cell)
            if r1 <= r <= r2 and c1 <= c <= c2:
                raise WorkbookError(f"{sheet.where}: cells {sheet.name}!{ref} are merged over input {key} "
                                    f"({sheet.name}!{cell}); unmerge them (Home > Merge & Center) and refresh again")


def _errata_switches(book: Book, sc: scenarios.Scenario, keys: Sequence[str]) -> Sheet:
    """The Errata sheet with the cached results of its "switch now" cells (a formula that is just a switch's name)."""
    switches = {k.lower(): k for k in keys if scenarios.schema()[k].is_switch}

    def is_switch(cell) -> bool:
        return cell.formula is not None and cell.formula.strip().lstrip("=").strip().lower() in switches

    sheet = book.sheet(ERRATA_SHEET, keep=is_switch, limit=MAX_ERRATA_SWITCHES)
    for ref, cell in list(sheet.cells.items()):
        if is_switch(cell):
            name = switches[cell.formula.strip().lstrip("=").strip().lower()]
            sheet.set_cached(ref, bool(sc.values[name]))
    return sheet


def _differs(a, b) -> bool:
    a_ = a if isinstance(a, tuple) else (a,)
    b_ = b if isinstance(b, tuple) else (b,)
    if len(a_) != len(b_):
        return True
    for x, y in zip(a_, b_, strict=True):
        if (x is None) != (y is None):
            return True
        if x is not None and not math.isclose(float(x), float(y), rel_tol=1e-15, abs_tol=0.0):
            return True
    return False
