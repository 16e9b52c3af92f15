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
import re
import unicodedata

from ..errors import UnknownNameError
from ..exhibit import Exhibit

MODULES = ("demand", "market", "network", "power", "export_control", "passages", "quoted", "seed001", "chain", "forecast")


def _collect() -> tuple[Exhibit, ...]:
    modules = [importlib.import_module(f"{__name__}.{name}") for name in MODULES]
    modules.sort(key=lambda m: (getattr(m, "ORDER", 100), m.__name__))
    return tuple(e for m in modules for e in getattr(m, "EXHIBITS", ()))


_ALL: tuple[Exhibit, ...] = _collect()
REGISTRY: dict[str, Exhibit] = {e.id: e for e in _ALL}
if len(REGISTRY) != len(_ALL):  # pragma: no cover - a programming error
    raise RuntimeError("duplicate exhibit ids")
ALIASES: dict[str, str] = {a: e.id for e in _ALL for a in e.aliases}


#: An exhibit id as the report prints it: 图表49, 图49, fig 49, Fig. 49, figure 49 (NFKC: full-width too).
_PRINTED = re.compile(r"^(?:图表|图|figure|fig\.?)\s*0*(\d+)$", re.IGNORECASE)


def normal_id(text: str) -> str:
    """``text`` as a lower-case exhibit id: ``图表49``, ``fig 49`` and ``Figure 49`` are ``fig49``."""
    t = unicodedata.normalize("NFKC", str(text)).strip()
    m = _PRINTED.match(t)
    return f"fig{m.group(1)}" if m else t.lower()


def get(exhibit_id: str) -> Exhibit:
    """The exhibit with this id (``fig49``), or an alias (``fig108`` is fig7), as the report prints
    it too (``图表49``, ``fig 49``, ``Figure 49``); UnknownNameError suggests the closest id."""
    try:
        return REGISTRY[exhibit_id]
    except (KeyError, TypeError):
        pass
    lowered = {k.lower(): k for k in REGISTRY} | {a.lower(): t for a, t in ALIASES.items()}
    wanted = normal_id(exhibit_id)
    if wanted in lowered:
        return REGISTRY[lowered[wanted]]
    close = difflib.get_close_matches(wanted, list(lowered), n=1, cutoff=0.6)
    hint = f"did you mean {lowered[close[0]]}?" if close else None
    raise UnknownNameError("exhibit", exhibit_id, list(REGISTRY), hint, listing="`suanli tables`") from None


def all_exhibits() -> tuple[Exhibit, ...]:
    """Every exhibit, in the order of the report."""
    return _ALL
