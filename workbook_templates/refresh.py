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
3. checks every value with the engine's rules (:func:`engine.scenarios.check_value`): text, an
   error value, a blank (unless the input is yours to supply), a number out of bounds is
   refused with one message naming the cell, the key and what is accepted; merged input
   cells and protected sheets are refused too;
4. recomputes every exhibit with the engine for those inputs and writes each result as the
   *cached value* of its formula cell, editing only the XML of the sheets it changes; every
   other part of the file (formatting, comments, charts, extra sheets, column widths, data
   validation) is copied byte for byte;
5. stamps the ``_suanli`` sheet (``refreshed_at``, ``scenario``, ``inputs_hash``) and the Index
   sheet's cell A2, and asks Excel and LibreOffice to recalculate fully on load;
6. writes a temporary file beside the target and renames it over the target.  Refreshing in
   place first keeps the original as ``BOOK.<UTC timestamp>.bak.xlsx`` beside it (for example
   ``demand.20250102T030405Z.bak.xlsx``): every refresh keeps its own backup, none is ever
   overwritten, and the backup still opens in Excel by a double click.

Any refusal raises :class:`~.safety.WorkbookError` (one line; exit status 2 from the command
line) before anything is written: the original is untouched and no temporary file is left.

:func:`check_inputs` and :func:`check_name` are the validation shared with the Refresh button in
Excel (:mod:`addin.refresh_button`), as :func:`.meta.read` is for the ``_suanli`` sheet.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from engine import SuanliError, __version__, scenarios

from . import build, meta, safety
from .files import write_atomic
from .render import ERRATA_SHEET, INDEX_SHEET, STAMP_CELL, input_layout
from .safety import WorkbookError
from .sheetxml import (
    FORMULA_WITHOUT_VALUE,
    Book,
    DateText,
    ErrorValue,
    Sheet,
    full_calc_on_load,
    parse_cell,
    parse_range,
    shorten,
    show_value,
    write_package,
)

__all__ = ["refresh", "RefreshReport", "read_meta", "check_inputs", "check_name", "as_excel_text",
           "refresh_time", "stamp_text", "backup_path"]


# ------------------------------------------------------------------ the shared validation
def check_inputs(cells: Mapping[str, Sequence[tuple[str, object]]]) -> dict[str, object]:
    """Input values as a scenario takes them, from what the workbook's cells hold.

    ``cells[key]`` lists ``(cell name, raw value)`` for each cell the key's name refers to (one,
    or one per column of the input's axis).  A raw value is a float, a bool, None (blank), text
    (a ``str``), an :class:`ErrorValue` or :data:`FORMULA_WITHOUT_VALUE`.  Returns ``key -> value``
    (a float, None, or a tuple per column) ready for :meth:`engine.scenarios.Scenario.with_values`;
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
    accepted = spec.domain.describe()
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
    try:
        checked = scenarios.check_value(spec.key, raw)
    except SuanliError as exc:
        hint = f" ({exc.hint})" if getattr(exc, "hint", None) else ""
        raise WorkbookError(f"input {label} at {cell} {exc.accepted}, got {show_value(raw)}{hint}") from None
    return checked[0] if isinstance(checked, tuple) else checked


_NAME_TARGET = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)$")


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
    """``BOOK.<UTC timestamp>.bak.xlsx`` beside ``path``, never an existing file."""
    p = Path(path)
    stem = f"{p.stem}.{when.strftime('%Y%m%dT%H%M%SZ')}.bak"
    candidate = p.with_name(stem + p.suffix)
    n = 2
    while candidate.exists():
        candidate = p.with_name(f"{stem}-{n}{p.suffix}")
        n += 1
    return candidate


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

    def summary(self) -> str:
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
def refresh(path: str | os.PathLike, out: str | os.PathLike | None = None, scenario: str | None = None,
            now: dt.datetime | None = None) -> RefreshReport:
    """Refresh the template workbook at ``path`` (in place, or into ``out``); see the module."""
    src = Path(path)
    target = Path(out) if out is not None else src
    in_place = out is None or (target.exists() and src.exists() and os.path.samefile(target, src))
    when = refresh_time(now)
    where = str(src)
    with safety.open_checked(src) as zf:
        book = Book(zf, where)
        info = read_meta(book, where)
        group = info.group
        base = scenarios.load(scenario if scenario is not None else info.scenario)
        keys = list(info.inputs)
        layout = input_layout(keys)

        # the names, then the Inputs sheet and its cells
        for key in keys:
            check_name(key, book.names.get(key), layout.name_target(key))
        inputs_sheet = book.sheet(layout.sheet)
        _refuse_protected(inputs_sheet)
        cells: dict[str, list[tuple[str, object]]] = {}
        input_cells: dict[str, str] = {}
        for key in keys:
            row, col, width = layout.places[key]
            refs = [xl_rowcol_to_cell(row, col + j) for j in range(width)]
            cells[key] = [(f"{layout.sheet}!{r}", inputs_sheet.value(r, book.shared)) for r in refs]
            input_cells.update({r: key for r in refs})
        _refuse_merged(inputs_sheet, input_cells)
        values = check_inputs(cells)

        # recompute, and check the workbook is laid out as suanli lays this group out now
        edited = base.with_values(values)
        p = build.plan(group, edited)
        if p.order != list(info.exhibits) or p.inputs != keys:
            raise WorkbookError(f"{where} was laid out by suanli {info.get('suanli_version', '?')}, and suanli "
                                f"{__version__} lays the {group.name} workbook out differently; rebuild it with "
                                "`suanli templates build` and copy your inputs over")
        expected = build.cached_results(p)   # the formula cells, and the printed-value checks that follow them
        replaced: dict[str, bytes] = {}
        count = 0
        for ex_id, results in expected.items():
            sheet = book.sheet(ex_id, "exhibit sheet")
            _refuse_protected(sheet)
            for ref, (value, row_key, column) in results.items():
                if not sheet.has_formula(ref):
                    raise WorkbookError(f"{ex_id}!{ref} should hold the formula of row {row_key} ({column}) but "
                                        f"{sheet.describe(ref, book.shared)}: it was moved or overwritten; undo "
                                        "that (or rebuild the workbook) and refresh again")
                sheet.set_cached(ref, value)
                count += 1
            replaced[sheet.member] = sheet.to_bytes()

        notes: list[str] = []
        if ERRATA_SHEET in book.sheets:
            errata_sheet = book.sheet(ERRATA_SHEET)
            if _errata_switches(errata_sheet, edited, keys):
                _refuse_protected(errata_sheet)
                replaced[errata_sheet.member] = errata_sheet.to_bytes()

        new_hash = build.inputs_hash(edited, keys)
        meta_sheet = book.sheet(meta.META_SHEET)
        _refuse_protected(meta_sheet)
        for r, key, value in info.stamp(when, base.name, new_hash, meta_sheet.last_row):
            if key is not None:
                meta_sheet.set_text(xl_rowcol_to_cell(r, 0), key)
            meta_sheet.set_text(xl_rowcol_to_cell(r, 1), value)
        replaced[meta_sheet.member] = meta_sheet.to_bytes()
        if INDEX_SHEET in book.sheets:
            index = book.sheet(INDEX_SHEET)
            _refuse_protected(index)
            index.set_text(STAMP_CELL, stamp_text(when, base.name, new_hash))
            replaced[index.member] = index.to_bytes()
        else:
            notes.append("no Index sheet to stamp")
        replaced["xl/workbook.xml"] = full_calc_on_load(book.workbook_data, where)

        changed = tuple(k for k in keys if _differs(edited.values[k], base.values[k]))
        report = RefreshReport(src, target, None, group.name, base.name, when.isoformat(), new_hash,
                               info.get("inputs_hash"), count, len(keys), changed, notes)
        report.backup = _write(zf, replaced, src, target, in_place, when, where)
    return report


def read_meta(book: Book, where: str) -> meta.Meta:
    """The workbook's ``_suanli`` sheet, checked by :func:`.meta.read`."""
    if meta.META_SHEET not in book.sheets:
        return meta.read(None, where)
    sheet = book.sheet(meta.META_SHEET)
    return meta.read(((r, a, b) for r, (a, b) in sheet.rows(2, book.shared)), where)


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


def _errata_switches(sheet: Sheet, sc: scenarios.Scenario, keys: Sequence[str]) -> bool:
    """Cached results of the Errata sheet's "switch now" cells (a formula that is just a switch's name)."""
    switches = {k for k in keys if scenarios.schema()[k].is_switch}
    done = False
    for ref in list(sheet.cells):
        formula = sheet.formula(ref)
        if formula is None:
            continue
        name = formula.strip().lstrip("=")
        if name in switches:
            sheet.set_cached(ref, bool(sc.values[name]))
            done = True
    return done


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


def _write(zf: zipfile.ZipFile, replaced: Mapping[str, bytes], src: Path, target: Path, in_place: bool,
           when: dt.datetime, where: str) -> Path | None:
    """The new archive beside ``target``, renamed over it; in place, the original kept as a backup first."""
    made: list[Path] = []

    def write(tmp: Path) -> None:
        write_package(zf, replaced, tmp, where)
        zf.close()                       # before the rename: Windows will not replace an open file
        if in_place:
            backup = backup_path(src, when)
            write_atomic(backup, lambda p: shutil.copyfile(src, p))
            made.append(backup)

    try:
        write_atomic(target, write)
    except OSError as exc:
        for p in made:
            p.unlink(missing_ok=True)
        name = exc.filename or target
        raise WorkbookError(f"cannot write {name}: {exc.strerror or exc}") from None
    except BaseException:
        for p in made:
            p.unlink(missing_ok=True)
        raise
    return made[0] if made else None
