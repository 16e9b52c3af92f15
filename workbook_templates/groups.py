"""The template workbooks: which exhibits each holds, and the scenario it opens with.

One :class:`Group` per workbook ``suanli templates build`` writes (``demand.xlsx``,
``servers.xlsx`` ...); a batch builds one group per scenario, and refresh and the Refresh button
find a workbook's group by the name its hidden ``_suanli`` sheet records.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine import exhibits
from engine.errors import UnknownNameError

__all__ = ["Group", "GROUPS", "group"]


@dataclass(frozen=True)
class Group:
    """One workbook: a file name, a title, its exhibits, and the scenario it opens with."""

    name: str
    title: str
    exhibits: tuple[str, ...]
    scenario: str = "csc-2023"


def _ids(group: str) -> tuple[str, ...]:
    return tuple(e.id for e in exhibits.all_exhibits() if e.group == group)


GROUPS: tuple[Group, ...] = (
    Group("demand", "AI compute demand: training, inference, memory", _ids("demand")),
    Group("servers", "AI servers and their market", _ids("market")),
    Group("network", "NICs, optical modules and switches", _ids("network")),
    Group("power", "Power, racks and cooling", _ids("power")),
    Group("export_control", "Export control of AI chips", _ids("export")),
    Group("passages", "HBM, packaging, CPO, IDC and the report's other figures", _ids("passages")),
    Group("ai_server_2023", "The AI-server compilation (its own market view)", _ids("ai_server"),
          scenario="ai-server-2023"),
    Group("chain", "The chain from demand to data-centre energy", _ids("chain"),
          scenario=exhibits.get("chain").default_scenario),
)


def group(name: str) -> Group:
    """The group called ``name`` (``demand``, ``chain`` ...); :class:`UnknownNameError` lists the others."""
    for g in GROUPS:
        if g.name == name:
            return g
    raise UnknownNameError("template", name, [g.name for g in GROUPS])
