"""The registry of exhibits: every report table suanli reproduces, by id.

Each module listed in :data:`MODULES` defines ``EXHIBITS`` (a tuple of
:class:`~engine.exhibit.Exhibit`) and ``ORDER`` (where its exhibits stand in the report's
order); the registry collects them.  The list is explicit, not discovered from files, so the
registry also works where there are none (the xlwings Lite bundle); a test checks it names
every module of the package.
"""

from __future__ import annotations

import difflib
import importlib

from ..errors import UnknownNameError
from ..exhibit import Exhibit

MODULES = ("demand", "market", "network", "power", "export_control", "passages", "seed001", "chain")


def _collect() -> tuple[Exhibit, ...]:
    modules = [importlib.import_module(f"{__name__}.{name}") for name in MODULES]
    modules.sort(key=lambda m: (getattr(m, "ORDER", 100), m.__name__))
    return tuple(e for m in modules for e in getattr(m, "EXHIBITS", ()))


_ALL: tuple[Exhibit, ...] = _collect()
REGISTRY: dict[str, Exhibit] = {e.id: e for e in _ALL}
if len(REGISTRY) != len(_ALL):  # pragma: no cover - a programming error
    raise RuntimeError("duplicate exhibit ids")
ALIASES: dict[str, str] = {a: e.id for e in _ALL for a in e.aliases}


def get(exhibit_id: str) -> Exhibit:
    """The exhibit with this id (``fig49``); UnknownNameError lists the ids."""
    try:
        return REGISTRY[exhibit_id]
    except KeyError:
        lowered = {k.lower(): k for k in REGISTRY} | {a.lower(): t for a, t in ALIASES.items()}
        if str(exhibit_id).lower() in lowered:
            return REGISTRY[lowered[str(exhibit_id).lower()]]
        close = difflib.get_close_matches(str(exhibit_id).lower(), list(lowered), n=1, cutoff=0.6)
        hint = f"did you mean {lowered[close[0]]}?" if close else None
        raise UnknownNameError("exhibit", exhibit_id, list(REGISTRY), hint) from None


def all_exhibits() -> tuple[Exhibit, ...]:
    """Every exhibit, in the order of the report."""
    return _ALL
