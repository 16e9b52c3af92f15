"""Power and cooling exhibits of the CSC report's §6: the cooling (温控) market passage, fig147's
cooling methods and the power density of AI servers.
"""

from __future__ import annotations

from .. import power, reports
from ..exhibit import Blank, Exhibit, Row
from ..units import KW_PER_MW

#: The short name every source of this module cites the report by (engine/data/reports.toml).
CSC = reports.short("csc-2023")

ORDER = 50


def _increase(c):
    if c.first:
        raise Blank("increase")
    return c["market"] / c.at("market", 0) - 1


def _liquid_market(c):
    if c.first:
        raise Blank("liquid_market")
    return power.cooling_capex(c["it_kw"], c["liquid_share"], c["liquid_cny_per_kw"], 0)


COOLING_MARKET = Exhibit(
    id="s6.2_cooling_market",
    title_zh="国内温控（液冷）市场规模测算",
    title_en="China data-centre cooling market: all air-cooled versus 70% liquid",
    source=f"{CSC} §6.2「假设国内每年新增机柜数为 100 万架」(数据港招股书 for the 20% capex share)",
    axis="cooling_cases",
    group="power",
    errata=("E30",),
    rows=(
        Row("new_racks", "New racks per year", None, "万架", input="cooling_new_racks", decimals=0),
        Row("kw_per_rack", "kW per standard rack", None, "kW", input="cooling_kw_per_rack", decimals=1),
        Row("it_kw", "New IT load", None, "万kW",
            formula=lambda c: c["new_racks"] * c["kw_per_rack"], decimals=0),
        Row("air_cny_per_kw", "Air cooling value per kW", None, "CNY/kW", input="cooling_air_cny_per_kw", decimals=0),
        Row("liquid_cny_per_kw", "Liquid cooling value per kW", None, "CNY/kW",
            input="cooling_liquid_cny_per_kw", decimals=0),
        Row("liquid_share", "Liquid-cooling penetration", None, "%", input="cooling_liquid_share", decimals=0),
        Row("market", "Cooling market", None, "亿元",
            formula=lambda c: power.cooling_capex(c["it_kw"], c["liquid_share"], c["liquid_cny_per_kw"],
                                                  c["air_cny_per_kw"]), decimals=1),
        Row("increase", "Increase over all air-cooled", None, "%", formula=_increase, decimals=0),
        Row("liquid_market", "of which liquid cooling", None, "亿元", formula=_liquid_market, decimals=1),
        Row("air_market", "of which air cooling", None, "亿元",
            formula=lambda c: power.cooling_capex(c["it_kw"], c["liquid_share"], 0, c["air_cny_per_kw"]),
            decimals=1),
        Row("capex_per_kw", "Data-centre capex per kW implied by cooling at 20% of capex", None, "CNY/kW",
            formula=lambda c: power.datacenter_capex(c["air_cny_per_kw"], c.inp("cooling_share_of_capex")),
            decimals=0),
    ),
    note="A passage of text, not a table: 100万 racks × 2.5 kW = 250万 kW; all air-cooled at 7,000 CNY/kW "
         "gives 175亿元; 70% liquid at 15,000 CNY/kW gives 315亿元 (+80%), of which liquid 262.5亿元.",
)

FIG147 = Exhibit(
    id="fig147",
    title_zh="各类制冷方式情况梳理",
    title_en="Cooling methods: PUE and the rack power each supports",
    source=f"{CSC} 图表147 (§6.2; 英维克, 依米康, 阿里巴巴, 中信建投)",
    axis="cooling_methods",
    group="power",
    rows=(
        Row("pue_printed", "PUE", "PUE", "text", text=("1.4以上", "1.2-1.4", "1.2以下", "1.2以下")),
        Row("rack_kw_printed", "Rack power supported", "支撑单机柜功率", "text",
            text=("10kW 以下", "20kW 以下", "20-50kW", "50kW 以上")),
        Row("pue", "PUE used in calculations", None, "x", input="fig147_pue", decimals=2),
        Row("rack_kw", "kW per rack used in calculations", None, "kW", input="fig147_rack_kw", decimals=0),
        Row("racks_per_mw", "Racks per MW of IT load", None, "racks",
            formula=lambda c: power.racks(KW_PER_MW, c["rack_kw"]), decimals=0),
        Row("facility_kw_per_mw", "Facility kW per MW of IT load", None, "kW",
            formula=lambda c: power.facility_kw(KW_PER_MW, c["pue"]), decimals=0),
    ),
    note="The report gives bounds and ranges; the numbers used in calculations are inputs: the bound, or "
         "the middle of a range. Text (§6.2): air-cooled racks usually 8-10 kW; liquid 30 kW and more, "
         "evolving past 100 kW; the industry is building 20 and 30 kW racks.",
)

POWER_DENSITY = Exhibit(
    id="s6_power_density",
    title_zh="AI 服务器功率密度",
    title_en="Power density: a DGX A100 against a CPU server, and what a rack holds",
    source=f"{CSC} 摘要「单机最大功率约可达到 6.5kW」; §6.2「单机最大功率约可以达到 6.5kW」,「液冷数据中心单机柜可以支持 30kW 以上」,「自然风冷的数据中心单柜密度一般只支持 8kW-10kW」",
    axis="value",
    group="power",
    rows=(
        Row("dgx_a100_kw", "DGX A100 maximum power", None, "kW", input="dgx_a100_kw", decimals=1),
        Row("cpu_server_kw", "Ordinary CPU server power", None, "kW", input="cpu_server_kw", decimals=1),
        Row("ratio", "DGX A100 ÷ CPU server", None, "x", formula=lambda c: c["dgx_a100_kw"] / c["cpu_server_kw"],
            decimals=0),
        Row("dgx_per_air_rack", "DGX A100s a 10 kW air-cooled rack holds", None, "台",
            formula=lambda c: power.servers_per_rack(c.inp("fig147_rack_kw_air"), c["dgx_a100_kw"]), decimals=0),
        Row("dgx_per_liquid_rack", "DGX A100s a 30 kW liquid-cooled rack holds", None, "台",
            formula=lambda c: power.servers_per_rack(c.inp("liquid_rack_kw"), c["dgx_a100_kw"]), decimals=0),
    ),
)

EXHIBITS = (COOLING_MARKET, FIG147, POWER_DENSITY)
