"""Every argument name of the models: what it is, its unit and the values it accepts, once.

A model function (:func:`engine.model.model`) takes the domain of each argument from here by
the argument's name, so ``utilization`` is "a fraction in (0, 1]" in every model that has one;
a model that needs a narrower domain (a divisor must be > 0) says so in its ``@model(...)``
and may narrow the domain here, never widen it.  The Excel functions take their argument help
from here too, so a cell, the function wizard, the README reference and an error message all
describe an argument the same way.

An argument name means one thing wherever it appears: ``usd_per_gpu`` is a GPU's price, and
the HBM value a GPU carries is ``hbm_usd_per_gpu``.  A few text arguments of the Excel
functions (a chip name, a scenario) are here as well, with no domain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from . import domains as D
from .catalogue import KINDS
from .errors import UnknownNameError

__all__ = ["Argument", "ARGUMENTS", "argument"]


@dataclass(frozen=True)
class Argument:
    """One argument name: ``description`` says what it is and in which unit (Excel shows it in
    the function wizard, at most 255 characters); ``unit`` is the unit alone; ``domain`` the
    values accepted, or None for text (a name, a key)."""

    name: str
    description: str
    unit: str
    domain: D.Domain | None


_TEXT = None  # the domain of a text argument

_ALL = (
    # ----------------------------------------------------------------- training and inference
    Argument("params", "Model parameters, a count (175e9 for GPT-3, not 1750亿)", "count", D.COUNT),
    Argument("tokens", "Tokens, a count (300e9)", "count", D.COUNT),
    Argument("flops_per_param_token",
             "FLOP per parameter per token (training 6, or 8 with activation recomputation; inference 2)",
             "FLOP/param/token", D.POSITIVE),
    Argument("flop", "Compute in FLOP", "FLOP", D.NONNEGATIVE),
    Argument("flops_per_second", "Sustained compute needed, FLOP/s", "FLOP/s", D.NONNEGATIVE),
    Argument("flop_per_day", "Compute served per day, FLOP", "FLOP", D.NONNEGATIVE),
    Argument("flop_per_query", "Compute one query needs, FLOP (2N × tokens per query)", "FLOP", D.NONNEGATIVE),
    Argument("average", "Average compute load over a day, FLOP/s", "FLOP/s", D.NONNEGATIVE),
    Argument("gpus", "Number of GPUs (accelerators)", "count", D.COUNT),
    Argument("chips", "Number of chips doing the work", "count", D.POSITIVE),
    Argument("days", "Days available", "days", D.POSITIVE),
    Argument("peak_tflops",
             "The chip's dense peak for the precision used, TFLOPS (A100 FP16 tensor 312; H100 989.5 or 990)",
             "TFLOPS", D.POSITIVE),
    Argument("utilization", "Utilisation as a fraction 0-1 (0.30, not 30)", "fraction", D.POSITIVE_FRACTION),
    Argument("runs", "Models trained at the same time", "count", D.NONNEGATIVE),
    Argument("tokens_per_second", "Training throughput, tokens per second", "tokens/s", D.NONNEGATIVE),
    Argument("daily_users", "Daily active users, a count", "count", D.COUNT),
    Argument("queries_per_user", "Queries per user per day", "queries", D.NONNEGATIVE),
    Argument("tokens_per_query", "Tokens per query", "tokens", D.NONNEGATIVE),
    Argument("peak_multiplier", "Peak-to-average load multiplier (the report uses 5)", "ratio", D.POSITIVE),
    # ----------------------------------------------------------------- memory
    Argument("bytes_per_param", "Bytes per parameter (FP16 = 2)", "bytes", D.POSITIVE),
    Argument("intermediate_multiplier", "Intermediate memory as a multiple of the weights (the report uses 1)",
             "ratio", D.NONNEGATIVE),
    Argument("gpu_memory_gb", "Memory per card, GB (A100 80)", "GB", D.POSITIVE),
    Argument("peak_concurrent_users", "Peak concurrent users", "count", D.COUNT),
    Argument("users_per_instance", "Concurrent users one model instance serves", "count", D.POSITIVE),
    Argument("instance_count", "Model instances deployed", "count", D.NONNEGATIVE),
    Argument("cards_each", "Cards per model instance", "count", D.NONNEGATIVE),
    Argument("layers", "Transformer layers", "count", D.POSITIVE_WHOLE),
    Argument("kv_heads", "KV heads (grouped-query attention: fewer than the attention heads)", "count",
             D.POSITIVE_WHOLE),
    Argument("head_dim", "Dimension per head", "count", D.POSITIVE_WHOLE),
    Argument("batch", "Sequences in the batch", "count", D.POSITIVE_WHOLE),
    Argument("bytes_per_value", "Bytes per cached value (FP16 = 2)", "bytes", D.POSITIVE),
    Argument("stage", "ZeRO stage, 0 to 3", "stage", D.ZERO_STAGE),
    Argument("dp_degree", "Data-parallel degree (GPUs the state is sharded over)", "count", D.POSITIVE),
    Argument("optimizer_bytes", "Optimizer-state bytes per parameter (Adam in mixed precision: 12)", "bytes",
             D.NONNEGATIVE),
    # ----------------------------------------------------------------- growth and quoted figures
    Argument("start_value", "Value at the start", "any", D.POSITIVE),
    Argument("end_value", "Value at the end", "any", D.NONNEGATIVE),
    Argument("periods", "Intervals between start and end (2023 to 2027 is 4)", "periods", D.NONNEGATIVE),
    Argument("current", "This period's value", "any", D.NONNEGATIVE),
    Argument("previous", "The previous period's value", "any", D.POSITIVE),
    Argument("base", "Value at the start", "any", D.NONNEGATIVE),
    Argument("rate", "Growth rate per period, a fraction", "fraction", D.RATE),
    Argument("value", "A value", "any", D.ANY),
    Argument("growth", "Growth over the previous period, a fraction", "fraction", D.RATE),
    Argument("part", "A part of a whole", "any", D.NONNEGATIVE),
    Argument("share", "The part's share of the whole, a fraction", "fraction", D.POSITIVE_FRACTION),
    Argument("start_half_unit", "Half the last printed digit of the start value (0.05 for 28.4)", "any",
             D.NONNEGATIVE),
    Argument("end_half_unit", "Half the last printed digit of the end value (0.5 for 65)", "any",
             D.NONNEGATIVE),
    Argument("multiple", "Growth multiple over the period (end ÷ start)", "ratio", D.POSITIVE),
    Argument("months", "Length of the period in months", "months", D.POSITIVE),
    Argument("low", "Lower bound", "any", D.ANY),
    Argument("high", "Upper bound", "any", D.ANY),
    # ----------------------------------------------------------------- servers and market
    Argument("usd_per_gpu", "Price per GPU, USD (the report implies 10,000 per A100)", "USD", D.NONNEGATIVE),
    Argument("gpu_value_usd", "Value of the GPUs, USD", "USD", D.NONNEGATIVE),
    Argument("gpu_cost_share", "GPU share of the server's cost, a fraction (the report uses 0.70)", "fraction",
             D.POSITIVE_FRACTION),
    Argument("efficiency_factor", "Efficiency of chips and algorithms against the base, a multiple (1.2 = 120%)",
             "ratio", D.POSITIVE),
    Argument("gpu_price", "Price per GPU", "currency", D.NONNEGATIVE),
    Argument("server_price", "Price of the server", "currency", D.POSITIVE),
    Argument("price_more", "Price of the configuration with more GPUs", "currency", D.NONNEGATIVE),
    Argument("price_fewer", "Price of the configuration with fewer GPUs", "currency", D.NONNEGATIVE),
    Argument("gpus_more", "GPUs in the configuration with more", "count", D.POSITIVE),
    Argument("gpus_fewer", "GPUs in the configuration with fewer", "count", D.NONNEGATIVE),
    # ----------------------------------------------------------------- network
    Argument("nic_gbps", "NIC port speed, Gb/s (A100 HDR 200; H100 NDR 400)", "Gb/s", D.POSITIVE),
    Argument("module_gbps", "Optical module speed, Gb/s (an 800G module carries two 400G ports)", "Gb/s",
             D.POSITIVE),
    Argument("port_gbps", "Port speed, Gb/s", "Gb/s", D.POSITIVE),
    Argument("tiers", "Fat-tree tiers, 1 to 3", "count", D.TIERS),
    Argument("switch_radix", "Switch ports at the NIC speed, even (QM8790: 40)", "count", D.RADIX),
    Argument("oversubscription", "Leaf downlinks per uplink; 1 = non-blocking", "ratio", D.OVERSUBSCRIPTION),
    Argument("first_hop_copper", "TRUE if NIC-to-leaf links are copper (no modules on them)", "switch", D.SWITCH),
    Argument("extra_fabric_share",
             "Storage and management fabrics as a share of the compute fabric's modules (the report implies 1/6)",
             "fraction", D.NONNEGATIVE),
    Argument("nics_per_gpu", "NICs per GPU", "count", D.NONNEGATIVE),
    Argument("endpoints", "Endpoints (NIC ports) to connect", "count", D.WHOLE),
    Argument("tier", "0 for all switches, or 1 (leaf), 2 (spine), 3 (core)", "tier", D.TIER_SELECT),
    Argument("gt_per_s", "PCIe transfer rate per lane, GT/s (Gen 4: 16; Gen 5: 32)", "GT/s", D.POSITIVE),
    Argument("lanes", "PCIe lanes (x16: 16)", "count", D.POSITIVE_WHOLE),
    Argument("encoding_efficiency", "Share of the line rate that carries data (128b/130b: 128/130)", "fraction",
             D.EFFICIENCY),
    Argument("link_gbps", "Link bandwidth, Gb/s per direction", "Gb/s", D.NONNEGATIVE),
    Argument("years", "Years", "years", D.NONNEGATIVE),
    Argument("doubling_years", "Years to double", "years", D.POSITIVE),
    Argument("first_years", "Years the first quantity takes to double", "years", D.POSITIVE),
    Argument("second_years", "Years the second quantity takes to double", "years", D.POSITIVE),
    Argument("per_lane_multiple", "Multiple of the power per lane", "ratio", D.NONNEGATIVE),
    Argument("lanes_before", "SerDes lanes before", "count", D.POSITIVE),
    Argument("lanes_after", "SerDes lanes after", "count", D.NONNEGATIVE),
    # ----------------------------------------------------------------- power and cooling
    Argument("gpus_per_server", "GPUs per server (8)", "count", D.COUNT),
    Argument("server_count", "Number of servers", "count", D.COUNT),
    Argument("kw_per_server", "kW per server (DGX A100 6.5)", "kW", D.NONNEGATIVE),
    Argument("it_load_kw", "IT load, kW", "kW", D.NONNEGATIVE),
    Argument("kw_per_rack", "kW a rack can power and cool (air 10, liquid 30)", "kW", D.POSITIVE),
    Argument("pue", "Power usage effectiveness, >= 1", "ratio", D.PUE),
    Argument("power_kw", "Power, kW", "kW", D.NONNEGATIVE),
    Argument("load_factor", "Average load as a fraction of the power", "fraction", D.FRACTION),
    Argument("hours", "Hours (a year is 8760)", "hours", D.POSITIVE),
    Argument("it_energy_kwh", "IT energy, kWh", "kWh", D.NONNEGATIVE),
    Argument("wue_l_per_kwh", "Water per kWh of IT energy, litres (the report's 2021 average is 1.8)", "L/kWh",
             D.NONNEGATIVE),
    Argument("liquid_share", "Liquid-cooled share, a fraction", "fraction", D.FRACTION),
    Argument("liquid_cny_per_kw", "Liquid cooling value per kW, CNY (the report uses 15,000)", "CNY/kW",
             D.NONNEGATIVE),
    Argument("air_cny_per_kw", "Air cooling value per kW, CNY (the report uses 7,000)", "CNY/kW", D.NONNEGATIVE),
    Argument("cooling_capex_cny", "Cooling capex, CNY", "CNY", D.NONNEGATIVE),
    Argument("cooling_share", "Cooling's share of the data-centre build capex, a fraction (about 0.2)", "fraction",
             D.POSITIVE_FRACTION),
    # ----------------------------------------------------------------- HBM
    Argument("pin_gbps", "Data rate per pin, Gb/s (HBM3 6.4)", "Gb/s", D.NONNEGATIVE),
    Argument("bus_bits", "Interface width, bits (one HBM stack: 1024)", "bits", D.POSITIVE),
    Argument("hbm_usd_per_gpu", "HBM value one GPU carries, USD", "USD", D.NONNEGATIVE),
    Argument("hbm_gb_per_gpu", "HBM capacity of one GPU, GB", "GB", D.POSITIVE),
    Argument("stack_gb", "Capacity of one HBM stack, GB", "GB", D.NONNEGATIVE),
    Argument("dies_per_stack", "DRAM dies stacked (16-Hi: 16)", "count", D.POSITIVE),
    # ----------------------------------------------------------------- export control
    Argument("tops", "Dense TOPS (or TFLOPS) of one precision", "TOPS", D.NONNEGATIVE),
    Argument("bit_length", "Bit length of that precision (INT8 8, FP16 16, TF32 32)", "bits", D.POSITIVE_WHOLE),
    Argument("tpp", "Total Processing Performance (TOPS × bit length); 0 if not known", "TPP", D.NONNEGATIVE),
    Argument("io_gb_per_s", "Bidirectional chip-to-chip I/O, GB/s (A100 NVLink 600); 0 if not known", "GB/s",
             D.NONNEGATIVE),
    Argument("die_area_mm2", "Die area, mm²; 0 if not known", "mm²", D.NONNEGATIVE),
    Argument("tpp_threshold", "TPP at or above which a chip is restricted (4800)", "TPP", D.POSITIVE),
    Argument("io_threshold_gb_s", "Chip-to-chip I/O at or above which a chip is restricted, GB/s (600)", "GB/s",
             D.POSITIVE),
    Argument("density_tpp_threshold", "TPP from which performance density counts (2023 rule: 1600)", "TPP",
             D.POSITIVE),
    Argument("density_threshold", "Performance density (TPP per mm²) at or above which a chip is restricted (5.92)",
             "TPP/mm²", D.POSITIVE),
    Argument("b1_tpp_threshold", "TPP from which 3A090.b.1 counts (2023 rule: 2400)", "TPP", D.POSITIVE),
    Argument("b1_density_threshold", "Performance density from which 3A090.b.1 counts, TPP per mm² (1.6)",
             "TPP/mm²", D.POSITIVE),
    Argument("b2_density_threshold", "Performance density from which 3A090.b.2 counts, TPP per mm² (3.2)",
             "TPP/mm²", D.POSITIVE),
    Argument("tpp_is_lower_bound", "TRUE if the TPP misses the chip's dense INT8 and FP16 rates", "switch",
             D.SWITCH),
    # ----------------------------------------------------------------- text: the catalogue, scenarios, tables
    Argument("name", "A chip's name or alias from the catalogue (\"H100\", \"A800 80GB\", \"昇腾910\")", "text",
             _TEXT),
    Argument("field", "A catalogue field (\"fp16_tensor_dense_tflops\", \"memory_gb\", \"tdp_w\")", "text", _TEXT),
    Argument("kind", f"Only chips of this kind ({', '.join(KINDS)}); blank for all", "text", _TEXT),
    Argument("key", "An input key (see `suanli inputs`), e.g. \"mm_vendors\"", "text", _TEXT),
    Argument("scenario", "A scenario name (csc-2023, csc-2023-corrected, ...); blank for csc-2023, the report as "
             "printed (csc-2023-corrected for the chain exhibit)", "text", _TEXT),
    Argument("exhibit", "An exhibit id as `suanli tables` lists it or as the report prints it (fig49, 图表49, "
             "fig 49, chain, ...)", "text", _TEXT),
    Argument("overrides", "A range: input keys in its first column, each with a value (45%, 18000亿, TRUE, "
                          "5,8,10,12,14) or one value per year across; blank rows ignored; blank for none", "text",
             _TEXT),
)

#: Every argument, by name.
ARGUMENTS: Mapping[str, Argument] = MappingProxyType({a.name: a for a in _ALL})


def argument(name: str) -> Argument:
    """The :class:`Argument` called ``name``; an unknown name raises :class:`UnknownNameError`."""
    try:
        return ARGUMENTS[name]
    except KeyError:
        raise UnknownNameError("argument", name, ARGUMENTS) from None
