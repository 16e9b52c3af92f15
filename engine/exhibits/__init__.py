"""The registry of exhibits: every report table suanli reproduces, by id."""

from __future__ import annotations

from ..errors import UnknownNameError
from ..exhibit import Exhibit
from . import demand

_ALL: tuple[Exhibit, ...] = demand.EXHIBITS
REGISTRY: dict[str, Exhibit] = {e.id: e for e in _ALL}
if len(REGISTRY) != len(_ALL):  # pragma: no cover - a programming error
    raise RuntimeError("duplicate exhibit ids")


def get(exhibit_id: str) -> Exhibit:
    """The exhibit with this id (``fig49``); UnknownNameError lists the ids."""
    try:
        return REGISTRY[exhibit_id]
    except KeyError:
        lowered = {k.lower(): k for k in REGISTRY}
        if str(exhibit_id).lower() in lowered:
            return REGISTRY[lowered[str(exhibit_id).lower()]]
        raise UnknownNameError("exhibit", exhibit_id, list(REGISTRY)) from None


def all_exhibits() -> tuple[Exhibit, ...]:
    """Every exhibit, in the order of the report."""
    return _ALL
