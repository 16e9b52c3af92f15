"""The reports' forecasts against the figures published since for the same years: forecast_vs_reported.

Each forecast item is a block of five rows over the years: the forecast as the report prints it (read
from the exhibit that holds it, never typed again), the figure reported since (an input of
``data/inputs/reported.toml``, whose source names one document of ``data/documents/reported.toml``
and the place in it), the error ``(forecast - reported) / reported``, the two sources, and how the
reported figure's definition differs from the report's.  A year nobody has reported is blank, and its
sources row says so.  A reported figure suanli derives from cited ones is a formula over them, and its
sources row says "suanli: derived from ..." with the cited values.

>>> from engine import tables
>>> t = tables.table("forecast_vs_reported")
>>> round(t.value("china_ai_server_error", "2023"), 1)
42.9
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import reports, scenarios
from ..exhibit import Blank, Exhibit, Row
from .passages import only

#: The short name every source of this module cites the report by (engine/data/reports.toml).
CSC = reports.short("csc-2023")

ORDER = 80

#: The columns: the calendar years of the comparisons (axis ``forecast_vs_reported_years``).
YEARS = ("2022", "2023", "2024", "2025")


@dataclass(frozen=True)
class Reported:
    """A figure reported for one year: an input as it is, or suanli's derivation from inputs."""

    inputs: tuple[str, ...]
    derive: object = None            # formula of the inputs' values; None: the one input as it is
    how: str | None = None           # the derivation in words, for the sources row

    def value(self, c):
        values = [c.inp(k) for k in self.inputs]
        return values[0] if self.derive is None else self.derive(*values)

    def source(self) -> str:
        """The document and the place in it (the words quoted are in the input's source)."""
        places = "; ".join(dict.fromkeys(_place(k) for k in self.inputs))
        return places if self.derive is None else f"{reports.OWN}: derived from {places}: {self.how}"

    def note(self) -> str:
        return "; ".join(scenarios.schema()[k].note for k in self.inputs[:1])


@dataclass(frozen=True)
class Item:
    """One forecast item: where the report's forecast is, and what was reported for each year."""

    key: str
    label: str
    unit: str
    decimals: int
    forecast: object                 # formula for the report's forecast in a column
    forecast_source: str
    reported: dict                   # year -> Reported
    missing: dict                    # year -> why nothing is shown (a year with a forecast)


def _place(key: str) -> str:
    """An input's source up to the words it quotes: the document's short name and the place."""
    return scenarios.schema()[key].source.split(": ", 1)[0]


def _other(exhibit: str, row: str, suffix: str = ""):
    """The forecast as printed: ``row`` of ``exhibit`` in the same year (its column ``YEAR`` + suffix)."""
    return lambda c: c.other(exhibit, row, c.label + suffix)


def _from(year: str, formula):
    """A formula for ``year`` and the years after it (the years before are past, not forecast)."""

    def at_column(c):
        if c.label < year:
            raise Blank(year)
        return formula(c)

    return at_column


def _caict_path(c):
    """CAICT's 2021 global compute grown at the 65% a year the report gives to 2030."""
    start = c.other("s1.2_caict_compute", "global", "2021")
    rate = c.other("s1.2_caict_compute", "global_cagr", "2030")
    return start * (1 + rate) ** (int(c.label) - 2021)


_NOT_YET = "none found for the full year"

ITEMS = (
    Item("global_ai_server", "Global AI servers", "亿美元", 1, _other("fig7", "market", "E"),
         "图表7 (fig7.market)",
         {"2023": Reported(("reported_global_ai_server_2024_usd", "reported_global_ai_server_2024_growth"),
                           lambda value, growth: value / (1 + growth), "the 2024 value ÷ (1 + the 2024 growth)"),
          "2024": Reported(("reported_global_ai_server_2024_usd",))},
         {"2025": _NOT_YET}),
    Item("china_ai_server", "China AI servers", "亿美元", 1, _other("fig8", "market", "E"),
         "图表8 (fig8.market)",
         {"2023": Reported(("reported_china_ai_server_2023_usd",)),
          "2024": Reported(("reported_china_ai_server_2024_usd",))},
         {"2025": _NOT_YET}),
    Item("hbm", "HBM market", "百万美元", 0, _from("2023", _other("fig85", "market")),
         "图表85 (fig85.market)",
         {"2024": Reported(("reported_hbm_2024_usd",)), "2025": Reported(("reported_hbm_2025_usd",))},
         {"2023": "none found (TrendForce, Micron, SK hynix)"}),
    Item("nvidia_dc", "NVIDIA DC vs LLM GPUs", "亿美元", 1,
         _other("fig7", "gpu_space", "E"),
         "图表7 (fig7.gpu_space)",
         {"2023": Reported(("reported_nvidia_dc_fy2024_usd",)), "2024": Reported(("reported_nvidia_dc_fy2025_usd",))},
         {"2025": "fiscal 2026 results not found"}),
    Item("nvidia_q2", "NVIDIA fiscal Q2 2024", "亿美元", 1,
         only("2023", lambda c: c.other("fig53", "nvidia_q2_guidance", "NVIDIA")),
         "摘要 (fig53.nvidia_q2_guidance)",
         {"2023": Reported(("reported_nvidia_q2_fy2024_revenue_usd",))}, {}),
    Item("caict_compute", "Compute, CAICT path", "EFLOPS", 0, _caict_path,
         "§1.2 (s1.2_caict_compute: 2021 × (1 + global_cagr)^years)",
         {"2022": Reported(("reported_caict_global_2022_flops",))},
         {year: "none found"
          for year in ("2023", "2024", "2025")}),
)


def _sources(item: Item) -> tuple[str | None, ...]:
    out = []
    for year in YEARS:
        if year in item.reported:
            out.append(f"{item.forecast_source} | {item.reported[year].source()}")
        elif year in item.missing:
            out.append(f"{item.forecast_source} | {item.missing[year]}")
        else:
            out.append(None)
    return tuple(out)


def _definitions(item: Item) -> tuple[str | None, ...]:
    return tuple(item.reported[y].note() if y in item.reported else None for y in YEARS)


def _reported(item: Item):
    def formula(c):
        found = item.reported.get(c.label)
        if found is None:
            raise Blank(c.label)
        return found.value(c)

    return formula


def _error(key: str):
    return lambda c: (c[f"{key}_forecast"] - c[f"{key}_reported"]) / c[f"{key}_reported"]


def _rows(item: Item) -> tuple[Row, ...]:
    k = item.key
    return (
        Row(f"{k}_forecast", f"{item.label}: forecast", None, item.unit, formula=item.forecast,
            decimals=item.decimals),
        Row(f"{k}_reported", f"{item.label}: reported", None, item.unit, formula=_reported(item),
            decimals=item.decimals),
        Row(f"{k}_error", f"{item.label}: error", None, "%", formula=_error(k),
            decimals=1),
        Row(f"{k}_sources", f"{item.label}: sources", None, "text", text=_sources(item)),
        Row(f"{k}_definition", f"{item.label}: definition", None, "text",
            text=_definitions(item)),
    )


FORECAST_VS_REPORTED = Exhibit(
    id="forecast_vs_reported",
    title_zh="报告预测与此后公布数据对比",
    title_en="The reports' forecasts against the figures published since",
    source=f"{CSC} 图表7, 图表8, 图表85, 摘要 and §1.2 (the forecasts); IDC, TrendForce, Micron, NVIDIA and "
           "中国信通院 (the figures published since; each value's document in its sources row)",
    axis="forecast_vs_reported_years",
    group="passages",
    rows=tuple(row for item in ITEMS for row in _rows(item)),
    note="Error = (forecast - reported) / reported: positive where the report forecast too much. NVIDIA's fiscal "
         "years end in late January: fiscal 2024 (February 2023 - January 2024) stands in the 2023 column, fiscal "
         "2025 in 2024. Not compared: CAICT's 56 ZFLOPS for 2030 and IDC's 2026 AI-investment forecasts (years not "
         "yet over), the carriers' 11.4万 racks planned for 2023 and IDC's 308 亿美元 China server market for 2023 "
         "(no reported figure found).",
)

EXHIBITS = (FORECAST_VS_REPORTED,)
