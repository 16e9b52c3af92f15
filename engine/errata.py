"""The report's inconsistencies: each with an id, what was printed, what is consistent, and
the switch (an input) or alternative scenario that toggles it.  They live in
``data/errata/*.toml``, one file per part of the chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from . import packagedata
from .errors import UnknownNameError

__all__ = ["Erratum", "all_errata", "get", "for_exhibit", "switches", "switches_text"]

KINDS = ("computation", "input-conflict", "label", "data", "ambiguity", "quote")


@dataclass(frozen=True)
class Erratum:
    """One inconsistency of the report."""

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

    @property
    def words(self) -> str:
        """A few words for a check cell beside the id: ``short``, else the title."""
        return self.short or self.title

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
        d = {"id": self.id, "title": self.title, "kind": self.kind, "exhibits": list(self.exhibits),
             "description": self.description, "printed": self.printed, "consistent": self.consistent,
             "switch": self.switch, "alternative": self.alternative}
        if scenario is not None:
            d["status"] = self.status(scenario)
        return d


@cache
def all_errata() -> tuple[Erratum, ...]:
    """Every erratum, in id order."""
    data: dict[str, dict] = {}
    for path in packagedata.listdir("data/errata"):
        for eid, d in packagedata.read_toml(path).items():
            if eid in data:
                raise ValueError(f"erratum {eid} is defined twice ({path})")
            data[eid] = d
    out = []
    for eid, d in data.items():
        if d["kind"] not in KINDS:
            raise ValueError(f"erratum {eid}: unknown kind {d['kind']!r}")
        out.append(Erratum(eid, d["title"], d["kind"], tuple(d["exhibits"]), d["description"],
                           d.get("printed"), d.get("consistent"), d.get("switch"), d.get("alternative"),
                           d.get("short")))
    return tuple(sorted(out, key=lambda e: e.id))


def get(erratum_id: str) -> Erratum:
    """The erratum with this id (``E01``)."""
    for e in all_errata():
        if e.id == erratum_id.upper():
            return e
    raise UnknownNameError("erratum", erratum_id, [e.id for e in all_errata()])


def for_exhibit(exhibit_id: str) -> list[Erratum]:
    """The errata that show in an exhibit."""
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
