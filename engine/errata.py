"""The report's inconsistencies: each with an id, its kind, what was printed, what is consistent,
and the switch (an input) or alternative scenario that toggles it.  They live in
``data/errata/*.toml``, one file per part of the chain.

Every entry has one of four kinds (:data:`KINDS`); three are errata, the fourth is not:

``computation``
    the printed value does not follow from the printed inputs, beyond rounding;
``inconsistency``
    two places in the report (or the report and the source it quotes, or the two reports)
    give different values for one thing;
``wording``
    a wording or labelling slip, or something the report leaves open or unstated: no printed
    number is wrong;
``rounding-note``
    the printed value is reachable within the rounding of its inputs.  A rounding note is not
    an erratum: :func:`errata_only` leaves it out and :func:`rounding_notes` lists it.

``detail`` says more, in one of the words of :data:`DETAILS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from . import packagedata
from .errors import UnknownNameError

__all__ = ["Erratum", "KINDS", "DETAILS", "ERRATUM_KINDS", "ROUNDING_NOTE", "all_errata", "rounding_notes",
           "errata_only", "get", "for_exhibit", "switches", "switches_text", "counts", "summary", "kinds_table"]

#: The four kinds, each with what it means.
KINDS: dict[str, str] = {
    "computation": "the printed value does not follow from the printed inputs, beyond rounding",
    "inconsistency": "two places in the report, the report and the source it quotes, or the two reports, "
                     "give different values for one thing",
    "wording": "a wording or labelling slip, or something left open or unstated; no printed number is wrong",
    "rounding-note": "the printed value is reachable within the rounding of its inputs: not an erratum",
}

#: The kind of an entry that is not an erratum.
ROUNDING_NOTE = "rounding-note"

#: The kinds that are errata, in the order they are listed and counted.
ERRATUM_KINDS = tuple(k for k in KINDS if k != ROUNDING_NOTE)

#: The finer detail of an entry, each with what it means.
DETAILS: dict[str, str] = {
    "arithmetic": "a slip in the report's own arithmetic",
    "quoted": "a figure quoted from elsewhere that the report's own inputs do not give",
    "text and table": "the text and a table give different values",
    "two places": "two places in the report give different figures for one thing",
    "source": "the report disagrees with the source it quotes or the maker's datasheet",
    "two reports": "the two reports disagree",
    "label": "a label, name, unit, title or row",
    "loose": "an approximating word (约, 近, 左右, 高 N 倍, 高于, 4 个月) that does not fit its number",
    "unstated": "an assumption the report's figure needs but does not state",
    "ambiguity": "something the report leaves open",
    "rounding": "the rounding of printed values",
}


@dataclass(frozen=True)
class Erratum:
    """One entry: an inconsistency of the report, or a rounding note (``kind == "rounding-note"``)."""

    id: str
    title: str
    kind: str
    exhibits: tuple[str, ...]
    description: str
    printed: str | None = None
    consistent: str | None = None
    switch: str | None = None
    alternative: str | None = None
    short: str | None = None
    detail: str | None = None

    @property
    def words(self) -> str:
        """A few words for a check cell beside the id: ``short``, else the title."""
        return self.short or self.title

    @property
    def is_erratum(self) -> bool:
        """False for a rounding note, which is not an erratum."""
        return self.kind != ROUNDING_NOTE

    def status(self, scenario) -> str:
        """How ``scenario`` treats this erratum: as printed, corrected, or not a switch."""
        if self.switch is not None:
            on = bool(scenario.values[self.switch][0] if isinstance(scenario.values[self.switch], tuple)
                      else scenario.values[self.switch])
            return "as printed" if on else "corrected"
        if self.alternative is not None:
            return "alternative applied" if scenario.name == self.alternative else "table value"
        return "noted"

    def to_dict(self, scenario=None) -> dict:
        d = {"id": self.id, "title": self.title, "kind": self.kind, "detail": self.detail,
             "is_erratum": self.is_erratum, "exhibits": list(self.exhibits),
             "description": self.description, "printed": self.printed, "consistent": self.consistent,
             "switch": self.switch, "alternative": self.alternative}
        if scenario is not None:
            d["status"] = self.status(scenario)
        return d


@cache
def all_errata() -> tuple[Erratum, ...]:
    """Every entry, errata and rounding notes, in id order."""
    data: dict[str, tuple[str, dict]] = {}
    for path in packagedata.listdir("data/errata"):
        for eid, d in packagedata.read_toml(path).items():
            if eid in data:
                raise ValueError(f"erratum {eid} is defined twice ({path})")
            data[eid] = (path, d)
    out = []
    for eid, (path, d) in data.items():
        if d.get("kind") not in KINDS:
            raise ValueError(f"erratum {eid} ({path}): kind {d.get('kind')!r} is not one of {', '.join(KINDS)}")
        if d.get("detail") is not None and d["detail"] not in DETAILS:
            raise ValueError(f"erratum {eid} ({path}): detail {d['detail']!r} is not one of {', '.join(DETAILS)}")
        out.append(Erratum(eid, d["title"], d["kind"], tuple(d["exhibits"]), d["description"],
                           d.get("printed"), d.get("consistent"), d.get("switch"), d.get("alternative"),
                           short=d.get("short"), detail=d.get("detail")))
    return tuple(sorted(out, key=lambda e: e.id))


def errata_only() -> tuple[Erratum, ...]:
    """The errata proper: every entry but the rounding notes."""
    return tuple(e for e in all_errata() if e.is_erratum)


def rounding_notes() -> tuple[Erratum, ...]:
    """The rounding notes: printed values reachable within the rounding of their inputs (not errata)."""
    return tuple(e for e in all_errata() if not e.is_erratum)


def get(erratum_id: str) -> Erratum:
    """The erratum (or rounding note) with this id (``E01``)."""
    for e in all_errata():
        if e.id == erratum_id.upper():
            return e
    raise UnknownNameError("erratum", erratum_id, [e.id for e in all_errata()])


def for_exhibit(exhibit_id: str) -> list[Erratum]:
    """The errata and rounding notes that show in an exhibit."""
    return [e for e in all_errata() if exhibit_id in e.exhibits]


def switches(keys=None) -> list[Erratum]:
    """The errata that have a switch (an input), in id order; only those whose switch is in ``keys``
    when given (the inputs a workbook or an analysis reads)."""
    return [e for e in all_errata() if e.switch is not None and (keys is None or e.switch in keys)]


def switches_text(scenario, keys=None) -> str:
    """The errata switches in force in ``scenario``, in one line for a header:
    ``errata as printed: E01 E02 E05 E06 E13 E19`` or ``errata corrected: E01 E05 E06; as printed: E02``
    (``keys`` as for :func:`switches`; "no errata switch" when there is none)."""
    found = switches(keys)
    if not found:
        return "no errata switch"
    corrected = [e.id for e in found if e.status(scenario) == "corrected"]
    printed = [e.id for e in found if e.status(scenario) == "as printed"]
    parts = [f"corrected: {' '.join(corrected)}" if corrected else "",
             f"as printed: {' '.join(printed)}" if printed else ""]
    return "errata " + "; ".join(p for p in parts if p)
def counts() -> dict[str, int]:
    """How many entries of each kind, in the order of :data:`KINDS`."""
    return {k: sum(e.kind == k for e in all_errata()) for k in KINDS}


def summary() -> str:
    """One sentence with the counts by kind, as the README states them."""
    n = counts()
    kinds = ", ".join(f"{n[k]} {k}" for k in ERRATUM_KINDS)
    notes = n[ROUNDING_NOTE]
    return (f"{len(errata_only())} errata in all ({kinds}), and {notes} rounding "
            f"note{'s' if notes != 1 else ''}, which {'are' if notes != 1 else 'is'} not errata.")


def kinds_table() -> str:
    """The entries by kind as a Markdown table, as the README shows it (the command line prints it too)."""
    lines = ["| kind | what it means | how many | ids |", "|---|---|---|---|"]
    for kind, meaning in KINDS.items():
        ids = ", ".join(e.id for e in all_errata() if e.kind == kind)
        lines.append(f"| {kind} | {meaning} | {counts()[kind]} | {ids} |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - the README's block, regenerated by hand
    print(summary() + "\n\n" + kinds_table())
