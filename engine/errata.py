"""The report's inconsistencies: each with an id, what was printed, what is consistent, and
the switch (an input) or alternative scenario that toggles it.  They live in
``data/errata/*.toml``, one file per part of the chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from . import packagedata
from .errors import UnknownNameError

__all__ = ["Erratum", "all_errata", "get", "for_exhibit"]

KINDS = ("computation", "input-conflict", "label", "data", "ambiguity", "quote",
         "inconsistency", "wording", "rounding-note")


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
                           d.get("printed"), d.get("consistent"), d.get("switch"), d.get("alternative")))
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
