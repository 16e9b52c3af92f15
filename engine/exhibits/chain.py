"""The chain: AI demand to data-centre energy, per year, every link an input.

training and inference demand (fig49, fig50) → accelerators by type (A100 / H100 mix) →
servers → AI-server market (GPU value ÷ GPU cost share) → HBM → NICs, optical modules and
switches (the fat-tree model) → IT power → racks by cooling method → cooling capex →
facility power (PUE), energy and water.  The report gives most links; where it gives none
(module, switch and electricity prices), the input is the user's and the rows that need it
say so; the load factor and the liquid-cooled WUE are the user's too, with suanli's defaults
stated as assumptions in their sources.  Every row records what it reads (:attr:`engine.exhibit.Result.reads`).
"""

from __future__ import annotations

from .. import market, network, power, reports
from ..exhibit import Exhibit, Row
from ..ops import where

ORDER = 90


def _a100_eq(c):
    inference = where(c.inp("chain_includes_inference"), c["infer_a100_eq"], 0)
    return c["train_a100_eq"] + inference


def _h100_cards(c):
    # the same compute on H100s: A100-equivalents × share × (A100 peak ÷ H100 peak)
    return c["a100_eq"] * c["h100_share"] * c.inp("a100_fp16_tflops") / c.inp("h100_fp16_tflops")


def _rest_of_build(c):
    # the report's one capex figure is air-cooled: 7,000 CNY/kW of cooling at 20% of the build
    air = c.inp("cooling_air_cny_per_kw")
    return power.datacenter_capex(air, c.inp("cooling_share_of_capex")) - air


def _modules(c, chip: str):
    return network.modules_needed(c[f"{chip}_cards"], *[c.inp(f"chain_{chip}_{k}") for k in network.CHAIN_ARGS])


def _switches(c, chip: str):
    return network.switches_needed(c[f"{chip}_cards"], *[c.inp(f"chain_{chip}_{k}") for k in network.CHAIN_ARGS])


ROWS = (
    # demand
    Row("train_a100_eq", "Training accelerators needed (A100 equivalents, fig49)", None, "万张",
        formula=lambda c: c.other("fig49", "a100_total"), decimals=2),
    Row("infer_a100_eq", "Inference accelerators needed (A100 equivalents, fig50)", None, "万张",
        formula=lambda c: c.other("fig50", "a100_cards"), decimals=2,
        note="follows the scenario: the utilisation applied twice in csc-2023 (E01), once when corrected"),
    Row("a100_eq", "Accelerators needed (A100 equivalents)", None, "万张", formula=_a100_eq, decimals=2),
    # accelerators by type
    Row("h100_share", "Share of compute on H100s", None, "%", input="chain_h100_share", decimals=0),
    Row("a100_cards", "A100s", None, "万张", formula=lambda c: c["a100_eq"] * (1 - c["h100_share"]), decimals=2),
    Row("h100_cards", "H100s", None, "万张", formula=_h100_cards, decimals=2),
    Row("cards", "Accelerators", None, "万张", formula=lambda c: c["a100_cards"] + c["h100_cards"], decimals=2),
    # servers and market
    Row("a100_servers", "A100 servers", None, "万台",
        formula=lambda c: power.servers(c["a100_cards"], c.inp("chain_gpus_per_server")), decimals=2),
    Row("h100_servers", "H100 servers", None, "万台",
        formula=lambda c: power.servers(c["h100_cards"], c.inp("chain_gpus_per_server")), decimals=2),
    Row("gpu_value", "Accelerator value", None, "亿美元",
        formula=lambda c: market.gpu_value(c["a100_cards"], c.inp("chain_usd_per_a100"))
        + market.gpu_value(c["h100_cards"], c.inp("chain_usd_per_h100")), decimals=1),
    # the second step of market.ai_server_market, over the accelerator value row
    Row("server_market", "AI-server market", None, "亿美元",
        formula=lambda c: market.server_market(c["gpu_value"], c.inp("chain_gpu_cost_share")), decimals=1),
    # memory
    Row("hbm_gb", "HBM capacity", None, "PB",
        formula=lambda c: c["a100_cards"] * c.inp("chain_hbm_gb_per_a100")
        + c["h100_cards"] * c.inp("chain_hbm_gb_per_h100"), decimals=1),
    Row("hbm_value", "HBM value", None, "亿美元",
        formula=lambda c: c["hbm_gb"] * c.inp("chain_hbm_usd_per_gb"), decimals=1),
    # network
    Row("nics", "NICs", None, "万个",
        formula=lambda c: c["a100_cards"] * c.inp("chain_a100_nics_per_gpu")
        + c["h100_cards"] * c.inp("chain_h100_nics_per_gpu"), decimals=2),
    Row("optical_modules", "Optical modules", None, "万个",
        formula=lambda c: _modules(c, "a100") + _modules(c, "h100"), decimals=2),
    Row("switches", "Switches", None, "万台",
        formula=lambda c: _switches(c, "a100") + _switches(c, "h100"), decimals=2),
    Row("optics_capex", "Optical-module spending", None, "亿美元",
        formula=lambda c: c["optical_modules"] * c.inp("chain_usd_per_optical_module"), decimals=1),
    Row("switch_capex", "Switch spending", None, "亿美元",
        formula=lambda c: c["switches"] * c.inp("chain_usd_per_switch"), decimals=1),
    # power and cooling
    Row("it_kw", "IT load", None, "万kW",
        formula=lambda c: power.it_kw(c["a100_servers"], c.inp("chain_kw_per_a100_server"))
        + power.it_kw(c["h100_servers"], c.inp("chain_kw_per_h100_server")), decimals=1),
    Row("liquid_share", "Liquid-cooled share of the IT load", None, "%", input="chain_liquid_share", decimals=0),
    Row("racks", "Racks (air-cooled at their kW, liquid-cooled at theirs)", None, "万架",
        formula=lambda c: power.racks(c["it_kw"] * (1 - c["liquid_share"]), c.inp("fig147_rack_kw_air"))
        + power.racks(c["it_kw"] * c["liquid_share"], c.inp("liquid_rack_kw")), decimals=2),
    Row("cooling_capex", "Cooling capex", None, "亿元",
        formula=lambda c: power.cooling_capex(c["it_kw"], c["liquid_share"], c.inp("cooling_liquid_cny_per_kw"),
                                              c.inp("cooling_air_cny_per_kw")), decimals=1),
    Row("rest_cny_per_kw", "Build capex other than cooling, per kW (the report's air-cooled capex less its cooling)",
        None, "CNY/kW", formula=_rest_of_build, decimals=0,
        note="7,000 CNY/kW ÷ 20% − 7,000 = 28,000 (§6.2, 数据港, air-cooled); taken as the same whatever the "
             "cooling: suanli's assumption"),
    Row("datacenter_capex", "Data-centre capex (cooling + the rest of the build, per kW of IT load)", None, "亿元",
        formula=lambda c: c["cooling_capex"] + c["it_kw"] * c["rest_cny_per_kw"], decimals=1,
        note="not cooling ÷ 20%: the 20% is an air-cooled data centre's share; at 70% liquid, cooling ÷ 20% "
             "would be 63,000 CNY/kW against 40,600"),
    Row("cooling_share", "Cooling's share of the data-centre capex", None, "%",
        formula=lambda c: c["cooling_capex"] / c["datacenter_capex"], decimals=1),
    Row("pue", "PUE (blend of air and liquid)", None, "x",
        formula=lambda c: (1 - c["liquid_share"]) * c.inp("chain_pue_air") + c["liquid_share"] * c.inp("chain_pue_liquid"),
        decimals=2),
    Row("facility_kw", "Facility power", None, "万kW",
        formula=lambda c: power.facility_kw(c["it_kw"], c["pue"]), decimals=1),
    Row("load_factor", "Average load, share of maximum power (yours to supply; 100% = full load)", None, "%",
        input="chain_load_factor", decimals=0),
    Row("energy_kwh", "Energy per year (facility power × load factor × 8,760 h)", None, "亿kWh",
        formula=lambda c: power.annual_energy_kwh(c["facility_kw"], c["load_factor"]), decimals=1),
    Row("wue", "WUE (blend of air and liquid; liquid's is yours to supply)", None, "L/kWh",
        formula=lambda c: (1 - c["liquid_share"]) * c.inp("chain_wue_air_l_per_kwh")
        + c["liquid_share"] * c.inp("chain_wue_liquid_l_per_kwh"), decimals=2),
    Row("water_m3", "Water per year (WUE × IT energy)", None, "万m³",
        formula=lambda c: power.water_m3(power.annual_energy_kwh(c["it_kw"], c["load_factor"]), c["wue"]),
        decimals=0),
    Row("electricity_cost", "Electricity cost per year", None, "亿元",
        formula=lambda c: c["energy_kwh"] * c.inp("chain_electricity_cny_per_kwh"), decimals=1),
)

CHAIN = Exhibit(
    id="chain",
    title_zh="AI 算力产业链：从需求到数据中心能耗",
    title_en="The AI compute chain, from demand to data-centre energy",
    source=reports.cite("csc-2023", "图表49, 图表50, 图表7, §2.3.1 (HBM), §4 (network), §6 (power and cooling), 图表147, 图表159"),
    axis="years",
    group="chain",
    errata=("E01", "E11", "E30"),
    rows=ROWS,
    default_scenario="csc-2023-corrected",    # suanli's own exhibit: new work starts from the corrected model
    note="Accelerators are the fleet each year's demand needs (the report's 存量 reading of fig49/fig50). "
         "Assumptions of suanli's own, each an input: the network's assumption sets are calibrated to the "
         "report's 1:7 and 1:3.5 (errata E40, E41); the H100 price comes from the other report (a cross-report "
         "assumption); capex adds the report's air-cooled rest of the build (28,000 CNY/kW) to the cooling "
         "instead of dividing it by 20%; the load factor (100%: full load) and the liquid-cooled WUE (1.8, as "
         "the land average) are yours to supply.",
)

EXHIBITS = (CHAIN,)
