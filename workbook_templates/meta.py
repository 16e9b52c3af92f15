"""The hidden ``_suanli`` sheet: what a template workbook records about itself.

:func:`rows` is what ``suanli templates build`` writes there, one ``key, value`` pair per row in
columns A and B; :func:`read` is how ``suanli refresh`` and the Refresh button in Excel read it
back, both with the same rules: the sheet must be there, with the :data:`REQUIRED` rows (the
workbook's group, its scenario, its exhibits and its inputs, without which it cannot be checked
or recomputed), each once, naming a group this suanli builds, exhibits it has and inputs it
knows, each once.  A refresh stamps :data:`STAMPED` rows, replacing the ones there or adding rows
below them.  The :data:`LINEAGE` rows record which scenario made the workbook: an optional
:data:`BASE` row names the packaged scenario that the workbook's own scenario started from (a
batch row's scenario, or one from a scenario file, is not a packaged one), ``base_chain`` its
bases nearest first, ``scenario_hash`` the hash of its values
(:func:`engine.scenarios.values_hash`) and ``scenario_file`` the file it was read from.  A
workbook holds every input it uses, so it refreshes without that file.

The :data:`LAYOUT` row says how the Inputs sheet holds its values: ``display-units`` (each input in
the report's unit, 15,000 for 15,000亿, under the exhibit that reads it).  A workbook without it was
built before, with its inputs in base units (1500000000000); :func:`read` refuses it with a message
saying to rebuild, since its cells would be read 1e8 times too small.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from engine import __version__, exhibits, scenarios
from engine.errors import UnknownNameError

from . import groups
from .safety import WorkbookError
from .sheetxml import show_value

__all__ = ["META_SHEET", "REQUIRED", "STAMPED", "BASE", "LINEAGE", "CHAIN_SEPARATOR", "LAYOUT", "INPUTS_LAYOUT",
           "MAX_ROWS", "Meta", "rows", "lineage", "read"]

META_SHEET = "_suanli"

#: The rows a workbook cannot be refreshed without.
REQUIRED = ("group", "scenario", "exhibits", "inputs")

#: The rows a refresh writes: when, with which scenario, the hash of the inputs it read.
STAMPED = ("refreshed_at", "scenario", "inputs_hash")

#: The optional row naming the packaged scenario the workbook's scenario started from.
BASE = "base"

#: The rows that say which scenario made the workbook (written by a build, stamped again by a refresh).
LINEAGE = (BASE, "base_chain", "scenario_hash", "scenario_file")

#: Between the names of the ``base_chain`` row (nearest base first).
CHAIN_SEPARATOR = " ← "

#: The row naming the Inputs sheet's layout, and the layout this suanli writes and reads.
LAYOUT = "inputs_layout"
INPUTS_LAYOUT = "display-units"

#: Rows of keys and values a ``_suanli`` sheet may hold (suanli writes about ten).
MAX_ROWS = 1000


def rows(group: str, scenario: str, inputs_hash: str, exhibits: Sequence[str], inputs: Sequence[str],
         built_at: dt.datetime | None = None, lineage: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """The ``(key, value)`` rows a built workbook's ``_suanli`` sheet holds, in order, all text;
    ``lineage`` (:func:`lineage`) comes last."""
    when = built_at or dt.datetime.now(dt.timezone.utc)
    return [
        ("suanli_version", __version__),
        ("group", group),
        ("scenario", scenario),
        ("inputs_hash", inputs_hash),
        ("built_at", when.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()),
        ("exhibits", ",".join(exhibits)),
        ("inputs", ",".join(inputs)),
        (LAYOUT, INPUTS_LAYOUT),
        *lineage,
    ]


def lineage(sc: scenarios.Scenario) -> list[tuple[str, str]]:
    """The :data:`LINEAGE` rows of a scenario: the packaged scenario it starts from (empty for a packaged
    scenario itself), its chain of bases, the hash of its values, the name of the file it came from (or
    empty)."""
    packaged = scenarios.names()
    start = "" if sc.name in packaged else next((n for n in sc.chain if n in packaged), "")
    source = "" if sc.source is None else sc.source.replace("\\", "/").rsplit("/", 1)[-1]
    return list(zip(LINEAGE, (start, CHAIN_SEPARATOR.join(sc.chain), sc.fingerprint, source), strict=True))


@dataclass(frozen=True)
class Meta:
    """A ``_suanli`` sheet as read: every row's text, where each row is, and the parts refresh needs."""

    values: Mapping[str, str]           # key -> the text in column B
    places: Mapping[str, int]           # key -> its 0-based row
    group: groups.Group
    exhibits: tuple[str, ...]
    inputs: tuple[str, ...]             # input keys, as the workbook's defined names

    @property
    def scenario(self) -> str:
        return self.values["scenario"]

    @property
    def base(self) -> str | None:
        """The packaged scenario the workbook's scenario started from, when the sheet records one."""
        return self.values.get(BASE) or None

    @property
    def chain(self) -> tuple[str, ...] | None:
        """The bases of the workbook's scenario, nearest first, when the sheet records them."""
        text = self.values.get("base_chain")
        if text is None:
            return None
        return tuple(n.strip() for n in text.split(CHAIN_SEPARATOR.strip()) if n.strip())

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.values.get(key, default)

    def stamp(self, refreshed_at: dt.datetime, scenario: str, inputs_hash: str,
              last_row: int, lineage: Sequence[tuple[str, str]] = ()) -> list[tuple[int, str | None, str]]:
        """What a refresh writes, and where: ``(0-based row, key, value)`` for each :data:`STAMPED` row
        and each ``lineage`` row (:func:`lineage`), the key None where the row is there already (only its
        value changes), new rows below ``last_row``."""
        values = dict(zip(STAMPED, (refreshed_at.isoformat(), scenario, inputs_hash), strict=True))
        values.update(lineage)
        out = []
        for key, value in values.items():
            if key in self.places:
                out.append((self.places[key], None, value))
            else:
                last_row += 1
                out.append((last_row, key, value))
        return out


def read(sheet_rows: Iterable[tuple[int, object, object]] | None, where: str) -> Meta:
    """The ``_suanli`` sheet of the workbook ``where`` from ``(0-based row, column A, column B)`` triples,
    or None when the workbook has no such sheet.

    Raises one :class:`~.safety.WorkbookError` when the sheet is missing, a :data:`REQUIRED` row
    is missing or there twice, the group is not one this suanli builds, or the Inputs sheet is not
    laid out as this suanli lays it out (:data:`LAYOUT`).
    """
    if sheet_rows is None:
        raise WorkbookError(f"not a suanli workbook: no {META_SHEET} sheet in {where}")
    values: dict[str, str] = {}
    places: dict[str, int] = {}
    for r, key, value in sheet_rows:
        if not isinstance(key, str) or not key:
            continue
        if key in places:
            raise WorkbookError(f"not a suanli workbook: its {META_SHEET} sheet has two {key} rows (A{places[key] + 1} "
                                f"and A{r + 1}) ({where})")
        values[key] = "" if value is None else show_value(value)
        places[key] = r
    for needed in REQUIRED:
        if needed not in values:
            raise WorkbookError(f"not a suanli workbook: its {META_SHEET} sheet has no {needed} row ({where})")
    layout = values.get(LAYOUT)
    if layout != INPUTS_LAYOUT:
        built = values.get("suanli_version", "an earlier version")
        if layout is None:
            raise WorkbookError(f"{where} was built by suanli {built} with its Inputs sheet in base units "
                                "(1500000000000 parameters); suanli " + __version__ + " reads the Inputs sheet in "
                                "the report's units (15,000 in 亿): rebuild the workbook with `suanli templates "
                                "build` and type your inputs into the new Inputs sheet, in the units it shows")
        raise WorkbookError(f"{where}: its {META_SHEET} sheet's {LAYOUT} row (B{places[LAYOUT] + 1}) says "
                            f"{layout!r}; suanli {__version__} reads {INPUTS_LAYOUT!r} workbooks: rebuild it with "
                            "`suanli templates build` and copy your inputs over")
    try:
        group = groups.group(values["group"])
    except UnknownNameError:
        names = ", ".join(g.name for g in groups.GROUPS)
        raise WorkbookError(f"not a suanli workbook: {where} names group {values['group']!r}; suanli {__version__} "
                            f"builds {names}") from None
    known_exhibits = {e.id for e in exhibits.all_exhibits()}
    listed = {}
    for row, known, what in (("exhibits", known_exhibits, "exhibit"), ("inputs", scenarios.schema(), "input")):
        items = _listed(values[row])
        cell = f"{META_SHEET}!B{places[row] + 1}"
        for item in items:
            if item not in known:
                raise WorkbookError(f"not a suanli workbook: its {META_SHEET} sheet's {row} row ({cell}) names "
                                    f"{item!r}, which is not an {what} of suanli {__version__}; restore the row or "
                                    f"rebuild the workbook ({where})")
        twice = next((k for i, k in enumerate(items) if k in items[:i]), None)
        if twice is not None:
            raise WorkbookError(f"not a suanli workbook: its {META_SHEET} sheet's {row} row ({cell}) names {twice!r} "
                                f"twice ({where})")
        listed[row] = items
    return Meta(values, places, group, listed["exhibits"], listed["inputs"])


def _listed(text: str) -> tuple[str, ...]:
    return tuple(k.strip() for k in text.split(",") if k.strip())
