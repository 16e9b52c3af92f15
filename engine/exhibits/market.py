"""AI-server market exhibits of the CSC report: fig7 (= fig108), fig8 (= fig109) and fig107.

The report's hidden assumptions are inputs here: USD 10,000 per A100 (fig7 turns 万张 into
亿美元 one for one), training demand alone feeding the market, the efficiency row printed but
never applied, and China 2022 taken as IDC's 67.0.
"""

from __future__ import annotations

from .. import growth, market, reports
from ..exhibit import Blank, Exhibit, Row
from ..ops import round_half_up, where
from ..units import YI

#: The short name every source of this module cites the report by (engine/data/reports.toml).
CSC = reports.short("csc-2023")

ORDER = 30

_ACTUALS = ("2021", "2022")


def _forecast(c) -> bool:
    return c.label not in _ACTUALS


def _gpus(c):
    training = c.other("fig49", "a100_total")
    inference = c.other("fig50", "a100_cards")
    return training + where(c.inp("market_includes_inference"), inference, 0)


def _gpu_space(c):
    if not _forecast(c):
        raise Blank("gpu_space")
    return market.gpu_value(_gpus(c), c.inp("market_usd_per_a100"))


def _global_market(c):
    """The AI-server market: the GPU space row ÷ the GPU cost share, ÷ the efficiency factor while E02 is off.

    The two steps of :func:`engine.market.ai_server_market`, each a row of the report's table.
    """
    if not _forecast(c):
        return c.inp("market_global_actual_usd")
    efficiency = where(c.inp("fig7_efficiency_unused"), 1, c["efficiency"])
    return market.server_market(c["gpu_space"], c["gpu_share"], efficiency)


def _growth(row_key: str, actual_input: str):
    """Growth: IDC's printed rate for the actual years, year-on-year of ``row_key`` for the forecast ones."""

    def formula(c):
        if not _forecast(c):
            return c.inp(actual_input)
        return growth.yoy(c[row_key], c.prev(row_key))

    return formula


FIG7 = Exhibit(
    id="fig7",
    aliases=("fig108",),
    title_zh="全球 AI 服务器市场规模测算",
    title_en="Global AI-server market",
    source=f"{CSC} 图表7 (§1.3) = 图表108 (§3.2.1) (OpenAI, IDC, Nvidia, 中信建投)",
    axis="market_years",
    group="market",
    errata=("E02", "E10", "E11", "E12"),
    rows=(
        Row("gpu_space", "GPU demand from LLM training, in value", "大模型带动 GPU 存量空间（亿美元）", "亿美元",
            formula=_gpu_space, decimals=1,
            note="fig49's A100 count × USD 10,000 per card (implicit in the report: erratum E11)"),
        Row("gpu_share", "GPU share of AI-server cost", "GPU 占 AI 服务器成本比例（%）", "%",
            input="market_gpu_cost_share", decimals=1),
        Row("efficiency", "GPU upgrade / algorithm efficiency factor", "GPU 芯片升级/算法效率提升比例测算（%）", "%",
            input="market_efficiency_factor", decimals=1, note="printed but not applied (erratum E02)"),
        Row("market", "AI-server market", "AI 服务器存量规模（亿美元）", "亿美元", formula=_global_market, decimals=1),
        Row("increment", "AI-server market, increase on the year", "AI 服务器增量规模（亿美元）", "亿美元",
            formula=lambda c: c["market"] - c.prev("market"), decimals=1),
        Row("growth", "Market growth", "市场增速（%）", "%", formula=_growth("market", "market_global_growth_actual"), decimals=1),
    ),
    note="Only training demand (fig49) feeds the market; inference (fig50, fig51) does not unless "
         "market_includes_inference is switched on. The rows called 存量 (stock) are annual spending.",
)


def _china_global(c):
    value = c.other("fig7", "market")
    return where(c.inp("fig8_uses_rounded_global"), round_half_up(value / YI, 1) * YI, value)


def _china_share(c):
    if not _forecast(c):
        return c["china"] / c["global"]
    return c.inp("market_china_share")


def _china_market(c):
    if not _forecast(c):
        return c.inp("market_china_actual_usd")
    return c["global"] * c.inp("market_china_share")


FIG8 = Exhibit(
    id="fig8",
    aliases=("fig109",),
    title_zh="中国 AI 服务器市场规模测算",
    title_en="China AI-server market",
    source=f"{CSC} 图表8 (§1.3) = 图表109 (§3.2.2) (OpenAI, IDC, Nvidia, 中信建投)",
    axis="market_years",
    group="market",
    errata=("E13",),
    rows=(
        Row("global", "Global AI-server market (fig7)", "全球市场规模（亿美元）", "亿美元", formula=_china_global,
            decimals=1, note="fig7's row as printed, rounded to 0.1 亿美元 while the switch of rounding note E13 is on"),
        Row("china", "China AI-server market", None, "亿美元", formula=_china_market, decimals=2,
            note="computed before the share row so that actual years can show the share IDC's values imply"),
        Row("share", "China's share of the global market", "中国市场占全球市场比重（%）", "%", formula=_china_share,
            decimals=1),
        Row("growth", "Market growth", "市场增速（%）", "%", formula=_growth("china", "market_china_growth_actual"), decimals=1),
        Row("market", "China AI-server market", "市场规模（亿美元）", "亿美元", formula=lambda c: c["china"], decimals=1),
    ),
    note="2021 and 2022 are IDC's actuals (54.0 and 67.0 亿美元); their shares are those values over the "
         "global ones. 2023E-2025E are the global row × the share.",
)


def _pair(c) -> tuple[int, int]:
    return (0, 1) if c.col < 2 else (2, 3)


def _implied_price(c):
    more, fewer = _pair(c)
    return market.implied_unit_price(c.at("price", more), c.at("price", fewer),
                                     c.at("gpus", more), c.at("gpus", fewer))


FIG107 = Exhibit(
    id="fig107",
    title_zh="浪潮 AI 服务器售价及 GPU 成本占比估算",
    title_en="Inspur AI-server prices and the GPU share of cost",
    source=f"{CSC} 图表107 (§3.1.2; 浪潮信息, 京东, 中信建投)",
    axis="fig107_configs",
    group="market",
    errata=("E15",),
    rows=(
        Row("server_type", "Server type", "服务器类型", "text", text=("训练", "训练", "推理", "推理")),
        Row("configuration", "Configuration", "配置", "text",
            text=("8 块 Tesla A800-80G 显卡", "6 块 Tesla A800-80G 显卡", "8 块 Tesla T4-16G 显卡", "4 块 Tesla T4-16G 显卡")),
        Row("price", "Server price", "价格（人民币）", "CNY", input="fig107_server_price_cny", decimals=0),
        Row("gpus", "GPUs", None, "张", input="fig107_gpus", decimals=0),
        Row("gpu_price", "Assumed price per GPU", None, "CNY", input="fig107_gpu_price_cny", decimals=0),
        Row("gpu_share", "GPU cost / total cost (estimate)", "GPU 成本/总成本（估算）", "%",
            formula=lambda c: market.gpu_cost_share(c["gpus"], c["gpu_price"], c["price"]), decimals=0),
        Row("implied_gpu_price", "Price per GPU the two configurations imply", None, "CNY",
            formula=_implied_price, decimals=0,
            note="(price with more GPUs − price with fewer) ÷ the difference in GPUs (erratum E15)"),
    ),
)

EXHIBITS = (FIG7, FIG8, FIG107)
