"""The chain: AI demand to data-centre energy, per year, every link an input.

training and inference demand (fig49, fig50) → accelerators of any mix (shares of the compute per
year, each accelerator at its dense throughput for the chosen precision) → servers → AI-server
market (accelerator value ÷ its cost share) → HBM → NICs, optical modules and switches (the
fat-tree model, per accelerator) → IT power → racks by cooling method → cooling capex → facility
power (PUE), energy and water.

``chain_mix`` (one column per accelerator the chain can run on: :data:`CHIPS`, catalogue keys)
holds what one card of each brings: its throughput at the precision chosen, the A100-equivalents
it stands for, HBM, price, server, kW and network.  ``chain`` (one column per year) sums over the
accelerators that have a share of that year's compute.  The report sizes everything in A100s: its
scenarios put 100% on the A100 SXM, and the chain reproduces what it printed before the mix was
general (tests/test_chain_mix.py).

The report gives most links; where it gives none (module, switch and electricity prices, today's
accelerator prices), the input is the user's and the rows that need it say so; the load factor and
the liquid-cooled WUE are the user's too, with suanli's defaults stated as assumptions in their
sources.  Every row records what it reads (:attr:`engine.exhibit.Result.reads`).
"""

from __future__ import annotations

import numpy as np

from .. import catalogue, market, network, power, reports, scenarios
from ..errors import TextError
from ..exhibit import Exhibit, NeedsInput, Row
from ..ops import Formula, ceil, is_symbolic, where

ORDER = 90
MIX_ID = "chain_mix"
#: The accelerators the chain can run on (the axis ``chain_chips``, catalogue keys, in its order).
CHIPS: tuple[str, ...] = scenarios.axes()["chain_chips"]
#: How far a year's shares may sum from 100% (rounding of typed percentages), as a fraction.
SHARE_TOLERANCE = 1e-6


class MixError(TextError, ValueError):
    """A mix of accelerators the chain cannot size: shares that do not sum to 100%, or a share on an
    accelerator with no throughput at the chosen precision (``#NUM!`` in a cell)."""

    excel = "#NUM!"


def _a100_eq(c):
    inference = where(c.inp("chain_includes_inference"), c["infer_a100_eq"], 0)
    return c["train_a100_eq"] + inference


def _rest_of_build(c):
    # the report's one capex figure is air-cooled: 7,000 CNY/kW of cooling at 20% of the build
    air = c.inp("cooling_air_cny_per_kw")
    return power.datacenter_capex(air, c.inp("cooling_share_of_capex")) - air


# ------------------------------------------------------------------------------------ one card of each

def _tflops(c):
    """Dense throughput of one card at the chosen precision (TFLOPS): FP8 when chain_fp8, else FP16."""
    fp8 = c.inp("chain_fp8")
    if is_symbolic(fp8):
        return where(fp8, c.inp("chain_fp8_tflops"), c.inp("chain_fp16_tflops"))
    return c.inp("chain_fp8_tflops" if np.all(fp8) else "chain_fp16_tflops")


MIX_ROWS = (
    Row("fp16_tflops", "Dense FP16 throughput per card", None, "TFLOPS", input="chain_fp16_tflops", decimals=1),
    Row("fp8_tflops", "Dense FP8 throughput per card (blank: none)", None, "TFLOPS", input="chain_fp8_tflops", decimals=1),
    Row("tflops", "Dense throughput at the chain's precision (FP8 when chain_fp8, else FP16)", None, "TFLOPS",
        formula=_tflops, decimals=1),
    Row("eq_per_card", "A100-equivalents per card (its throughput ÷ the A100's 312 FP16 TFLOPS of fig49)", None, "x",
        formula=lambda c: c["tflops"] / c.inp("a100_fp16_tflops"), decimals=2),
    Row("hbm_gb", "HBM per card", None, "GB", input="chain_hbm_gb_per_card", decimals=0),
    Row("usd_per_card", "Price per card", None, "USD", input="chain_usd_per_card", decimals=0),
    Row("gpus_per_server", "Cards per server (or rack-scale system)", None, "cards", input="chain_gpus_per_server",
        decimals=0),
    Row("kw_per_server", "kW per server (or rack-scale system)", None, "kW", input="chain_kw_per_server", decimals=1),
    Row("nics_per_gpu", "NICs per card", None, "count", input="chain_nics_per_gpu", decimals=0),
    Row("modules_per_gpu", "Optical modules per card (its fat tree, full fabrics)", None, "count",
        formula=lambda c: network.modules_per_gpu_fleet(*[c.inp(f"chain_{k}") for k in network.CHAIN_ARGS]),
        decimals=2),
    Row("switches_per_gpu", "Switches per card (its fat tree, full fabrics)", None, "count",
        formula=lambda c: network.switches_per_gpu_fleet(
            c.inp("chain_tiers"), c.inp("chain_switch_radix"), c.inp("chain_oversubscription"),
            c.inp("chain_extra_fabric_share"), c.inp("chain_nics_per_gpu")), decimals=4),
)

CHAIN_MIX = Exhibit(
    id=MIX_ID,
    title_zh="AI 算力产业链：各加速卡的单卡参数",
    title_en="The chain's accelerators: what one card of each brings",
    source=f"{reports.cite('csc-2023', '图表42, 图表49, 图表101, 摘要 (6.5 kW), §4 (network)')}; suanli's hardware "
           "catalogue for today's accelerators (each value's document: `suanli catalogue KEY`)",
    axis="chain_chips",
    group="chain",
    errata=("E40", "E41"),
    rows=MIX_ROWS,
    default_scenario="csc-2023-corrected",
    note="One column per accelerator the chain can run on. Defaults: the reports for the A100 SXM and H100 SXM, "
         "the hardware catalogue for the others; a blank is a figure nobody published, needed only when the "
         "accelerator has a share of the compute (chain_share_KEY). Every accelerator other than the A100 takes "
         "the H100's network set (suanli's assumption).",
)


# ------------------------------------------------------------------------------------ the mix, per year

def _chip_name(chip: str) -> str:
    return catalogue.get(chip).name


def _share(c, chip: str):
    """This year's share of the compute on ``chip``.  The first accelerator (the A100 SXM) left blank
    takes the rest: 100% less the others' shares (the report's scenarios leave it blank)."""
    if chip != CHIPS[0]:
        return c.inp(f"chain_share_{chip}")
    rest = 1 - sum((c.inp(f"chain_share_{other}") for other in CHIPS[2:]), c.inp(f"chain_share_{CHIPS[1]}"))
    try:
        own = c.inp(f"chain_share_{chip}")
    except NeedsInput:             # blank: the rest
        if np.any(np.asarray(rest, dtype=float) < -SHARE_TOLERANCE):
            raise _shares_off(c, 1 - rest, rest=True) from None
        return rest
    if is_symbolic(own):
        return Formula(f"IF(ISBLANK({own.text}),{rest.text},{own.text})")
    return own


def _mix(c, chip: str, row: str):
    """(this year's share of ``chip``, the chain_mix value of ``row`` for it).

    On the spreadsheet every accelerator is a term, ``IF(share=0, 0, ...)``, so that typing a share
    brings it in.  In numbers an accelerator with no share this year reads as None and is never
    read: a figure nobody published (a blank) matters only to a chain that puts compute on it.
    """
    share = _share(c, chip)
    if is_symbolic(share):
        return share, c.other(MIX_ID, row, chip)
    if not np.any(share):
        return share, None
    try:
        return share, c.other(MIX_ID, row, chip)
    except NeedsInput as missing:
        if row == "eq_per_card":      # the precision's throughput: the chain cannot size the fleet without it
            raise _no_throughput(c, chip) from None
        raise NeedsInput([k if "[" in k else f"{k}[{chip}]" for k in missing.keys]) from None


def _no_throughput(c, chip: str) -> MixError:
    fp8 = np.all(c.inp("chain_fp8"))
    key, precision = ("chain_fp8_tflops", "FP8") if fp8 else ("chain_fp16_tflops", "FP16")
    field = "fp8_tensor_dense_tflops" if fp8 else "fp16_tensor_dense_tflops"
    return MixError(
        f"chain_share_{chip}",
        f"{key}[{chip}] is needed: {_chip_name(chip)} has a share of the compute but no dense {precision} throughput (catalogue "
        f"field {field}: not published); give one, " + ("run at FP16 (chain_fp8 = false), " if fp8 else "")
        + f"or set chain_share_{chip} to 0")


def _only_with_share(share, compute):
    """``compute()`` where the share is not 0, else 0: IF(share=0, 0, ...) on the spreadsheet, elementwise
    on a scenario axis (an accelerator with no share in a draw adds nothing, and no error, to it)."""
    if is_symbolic(share):
        return where(share == 0, 0, compute())
    if np.ndim(share) == 0:
        return compute() if share else 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        value = compute()
    return np.where(np.asarray(share) == 0, 0.0, value)


def _sum(c, row: str, term):
    """Σ over the accelerators with a share this year of ``term(chip, chain_mix value of row)``."""
    total = 0
    for chip in CHIPS:
        share, value = _mix(c, chip, row)
        if value is not None:
            total = total + _only_with_share(share, lambda chip=chip, value=value: term(chip, value))
    return total


def _percent(value) -> str:
    v = np.asarray(value, dtype=float) * 100
    return f"{float(v):g}%" if v.ndim == 0 else f"{v.min():g}% to {v.max():g}%"


def _share_total(c):
    total = sum((_share(c, chip) for chip in CHIPS[1:]), _share(c, CHIPS[0]))
    if not is_symbolic(total) and np.any(np.abs(np.asarray(total, dtype=float) - 1) > SHARE_TOLERANCE):
        raise _shares_off(c, total)
    return total


def _shares_off(c, total, rest: bool = False) -> MixError:
    parts = []
    for chip in CHIPS:
        try:
            share = c.inp(f"chain_share_{chip}")
        except NeedsInput:
            continue
        if np.any(share):
            parts.append(f"{_chip_name(chip)} {_percent(share)} (chain_share_{chip})")
    which = f"the shares other than {_chip_name(CHIPS[0])}'s (blank: the rest)" if rest else "shares"
    need = "must sum to 100% or less" if rest else "must sum to 100%"
    return MixError("chain_share", f"chain {which} for {c.label} {need}, got {_percent(total)}: "
                    + (", ".join(parts) or "none is given"))


def _cards(chip: str):
    def formula(c):
        share, eq_per_card = _mix(c, chip, "eq_per_card")
        if eq_per_card is None:
            return 0
        return _only_with_share(share, lambda: c["a100_eq"] * share / eq_per_card)
    return formula


def _servers_of(c, chip: str, gpus):
    return power.servers(c[f"cards_{chip}"], gpus)


def _it_kw(c):
    return _sum(c, "kw_per_server", lambda chip, kw: power.it_kw(
        _servers_of(c, chip, c.other(MIX_ID, "gpus_per_server", chip)), kw))


def _per_card(row: str):
    """Σ cards × the chain_mix row (HBM GB, USD, NICs per card) over the accelerators with a share."""
    return lambda c: _sum(c, row, lambda chip, value: c[f"cards_{chip}"] * value)


def _whole_per_card(row: str):
    """Σ CEILING(cards × per-card count) over the accelerators (modules and switches are whole, per fabric)."""
    return lambda c: _sum(c, row, lambda chip, value: ceil(c[f"cards_{chip}"] * value))


ROWS = (
    # demand
    Row("train_a100_eq", "Training accelerators needed (A100 equivalents, fig49)", None, "万张",
        formula=lambda c: c.other("fig49", "a100_total"), decimals=2),
    Row("infer_a100_eq", "Inference accelerators needed (A100 equivalents, fig50)", None, "万张",
        formula=lambda c: c.other("fig50", "a100_cards"), decimals=2,
        note="follows the scenario: the utilisation applied twice in csc-2023 (E01), once when corrected"),
    Row("a100_eq", "Accelerators needed (A100 equivalents)", None, "万张", formula=_a100_eq, decimals=2),
    # accelerators of the mix
    Row("share_total", "Shares of the compute, summed (must be 100%)", None, "%", formula=_share_total, decimals=0),
    *(Row(f"cards_{chip}", f"{catalogue.get(chip).name} cards", None, "万张", formula=_cards(chip), decimals=2)
      for chip in CHIPS),
    Row("cards", "Accelerators", None, "万张",
        formula=lambda c: sum((c[f"cards_{chip}"] for chip in CHIPS[1:]), c[f"cards_{CHIPS[0]}"]), decimals=2),
    # servers and market
    Row("servers", "Servers (each accelerator's cards ÷ its cards per server, rounded up)", None, "万台",
        formula=lambda c: _sum(c, "gpus_per_server", lambda chip, gpus: _servers_of(c, chip, gpus)), decimals=2),
    Row("gpu_value", "Accelerator value", None, "亿美元",
        formula=lambda c: _sum(c, "usd_per_card", lambda chip, usd: market.gpu_value(c[f"cards_{chip}"], usd)),
        decimals=1),
    # the second step of market.ai_server_market, over the accelerator value row
    Row("server_market", "AI-server market", None, "亿美元",
        formula=lambda c: market.server_market(c["gpu_value"], c.inp("chain_gpu_cost_share")), decimals=1),
    # memory
    Row("hbm_gb", "HBM capacity", None, "PB", formula=_per_card("hbm_gb"), decimals=1),
    Row("hbm_value", "HBM value", None, "亿美元",
        formula=lambda c: c["hbm_gb"] * c.inp("chain_hbm_usd_per_gb"), decimals=1),
    # network
    Row("nics", "NICs", None, "万个", formula=_per_card("nics_per_gpu"), decimals=2),
    Row("optical_modules", "Optical modules", None, "万个", formula=_whole_per_card("modules_per_gpu"), decimals=2),
    Row("switches", "Switches", None, "万台", formula=_whole_per_card("switches_per_gpu"), decimals=2),
    Row("optics_capex", "Optical-module spending", None, "亿美元",
        formula=lambda c: c["optical_modules"] * c.inp("chain_usd_per_optical_module"), decimals=1),
    Row("switch_capex", "Switch spending", None, "亿美元",
        formula=lambda c: c["switches"] * c.inp("chain_usd_per_switch"), decimals=1),
    # power and cooling
    Row("it_kw", "IT load", None, "万kW", formula=_it_kw, decimals=1),
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
    note="Accelerators are the fleet each year's demand needs (the report's 存量 reading of fig49/fig50), "
         "split by the shares of the compute (chain_share_KEY, 100% on the A100 in the report's scenarios) and "
         "converted at each accelerator's dense throughput (FP16, or FP8 with chain_fp8). "
         "Assumptions of suanli's own, each an input: the network's assumption sets are calibrated to the "
         "report's 1:7 and 1:3.5 (errata E40, E41), and today's accelerators take the H100's; the H100 price "
         "comes from the other report (a cross-report assumption); capex adds the report's air-cooled rest of the build (28,000 CNY/kW) to the cooling "
         "instead of dividing it by 20%; the load factor (100%: full load) and the liquid-cooled WUE (1.8, as "
         "the land average) are yours to supply.",
)

EXHIBITS = (CHAIN_MIX, CHAIN)
