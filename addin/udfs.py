"""suanli's Excel functions: the engine in a cell, through xlwings.

Enter ``addin.udfs`` as the UDF module (classic xlwings add-in on Windows), or load the
single-file bundle that ``suanli addin lite`` writes (xlwings Lite on Windows, macOS and
Excel on the web).  Every numeric argument takes one cell or a range; ranges broadcast
against single cells and the result has the range's shape.  A bad element shows an error
text in its own cell ("#NUM! utilization must be in (0, 1], got 30 (did you mean 0.30?)");
blanks, text and error values are never read as zero.

Each function here is a thin, explicitly-signed wrapper: its body is one call to an engine
model through :func:`addin.cells.call_model`, so the numbers are the engine's.
"""

from __future__ import annotations

import inspect
import re
from typing import Callable

from engine import __version__, catalogue, export_control, growth, inference, market, memory
from engine import network, power, scenarios, tables, training
from engine.errors import SuanliError
from engine.exhibit import needs_text

from .cells import as_text, call_model, excel_error

try:  # the real decorators on Windows (classic) and in xlwings Lite; no-ops elsewhere
    from xlwings import arg, func
except ImportError:  # pragma: no cover - xlwings is a dependency; kept for a bare Lite bundle
    def func(f=None, **_):
        return f if f is not None else (lambda g: g)

    def arg(*_, **__):
        return lambda g: g

__all__ = []  # filled by @udf: the public functions, in reference order

#: What each argument is, shown by Excel's function wizard (and the README's reference).
ARG_DOCS = {
    "params": "Model parameters, a count (175e9 for GPT-3, not 1750亿)",
    "tokens": "Tokens, a count (300e9)",
    "flops_per_param_token": "FLOP per parameter per token (training 6; 8 with activation recomputation)",
    "flop": "Compute in FLOP",
    "gpus": "Number of GPUs (accelerators)",
    "days": "Days available",
    "peak_tflops": "The chip's dense peak for the precision used, TFLOPS (A100 FP16 tensor 312; H100 989.5 or 990)",
    "utilization": "Utilisation as a fraction 0-1 (0.30, not 30)",
    "runs": "Models trained at the same time",
    "tokens_per_second": "Training throughput, tokens per second",
    "chips": "Number of chips doing the work",
    "daily_users": "Daily active users, a count",
    "queries_per_user": "Queries per user per day",
    "tokens_per_query": "Tokens per query",
    "peak_multiplier": "Peak-to-average load multiplier (the report uses 5)",
    "bytes_per_param": "Bytes per parameter (FP16 = 2)",
    "intermediate_multiplier": "Intermediate memory as a multiple of the weights (the report uses 1)",
    "gpu_memory_gb": "Memory per card, GB (A100 80)",
    "layers": "Transformer layers",
    "kv_heads": "KV heads (grouped-query attention: fewer than the attention heads)",
    "head_dim": "Dimension per head",
    "batch": "Sequences in the batch",
    "bytes_per_value": "Bytes per cached value (FP16 = 2)",
    "start_value": "Value at the start",
    "end_value": "Value at the end",
    "periods": "Intervals between start and end (2023 to 2027 is 4)",
    "current": "This period's value",
    "previous": "The previous period's value",
    "usd_per_gpu": "Price per GPU, USD (the report implies 10,000 per A100)",
    "gpu_cost_share": "GPU share of the server's cost, a fraction (the report uses 0.70)",
    "gpu_price": "Price per GPU",
    "server_price": "Price of the server",
    "nic_gbps": "NIC port speed, Gb/s (A100 HDR 200; H100 NDR 400)",
    "module_gbps": "Optical module speed, Gb/s (an 800G module carries two 400G ports)",
    "tiers": "Fat-tree tiers, 1 to 3",
    "switch_radix": "Switch ports at the NIC speed, even (QM8790: 40)",
    "oversubscription": "Leaf downlinks per uplink; 1 = non-blocking",
    "first_hop_copper": "TRUE if NIC-to-leaf links are copper (no modules on them)",
    "extra_fabric_share": "Storage and management fabrics as a share of the compute fabric's modules (the report implies 1/6)",
    "nics_per_gpu": "NICs per GPU",
    "endpoints": "Endpoints (NIC ports) to connect",
    "tier": "0 for all switches, or 1 (leaf), 2 (spine), 3 (core)",
    "gpus_per_server": "GPUs per server (8)",
    "server_count": "Number of servers",
    "kw_per_server": "kW per server (DGX A100 6.5)",
    "it_load_kw": "IT load, kW",
    "kw_per_rack": "kW a rack can power and cool (air 10, liquid 30)",
    "pue": "Power usage effectiveness, >= 1",
    "power_kw": "Power, kW",
    "load_factor": "Average load as a fraction of the power",
    "hours": "Hours (a year is 8760)",
    "it_energy_kwh": "IT energy, kWh",
    "wue_l_per_kwh": "Water per kWh of IT energy, litres (the report's 2021 average is 1.8)",
    "liquid_share": "Liquid-cooled share, a fraction",
    "liquid_cny_per_kw": "Liquid cooling value per kW, CNY (the report uses 15,000)",
    "air_cny_per_kw": "Air cooling value per kW, CNY (the report uses 7,000)",
    "tops": "Dense TOPS (or TFLOPS) of one precision",
    "bit_length": "Bit length of that precision (INT8 8, FP16 16, TF32 32)",
    "tpp": "Total Processing Performance (TOPS × bit length)",
    "io_gb_per_s": "Bidirectional chip-to-chip I/O, GB/s (A100 NVLink 600); 0 if not known",
    "die_area_mm2": "Die area, mm²; 0 if not known",
    "name": "A chip's name or alias from the catalogue (\"H100\", \"A800 80GB\", \"昇腾910\")",
    "field": "A catalogue field (\"fp16_tensor_dense_tflops\", \"memory_gb\", \"tdp_w\")",
    "kind": f"Only chips of this kind ({', '.join(catalogue.KINDS)}); blank for all",
    "key": "An input key (see `suanli inputs`), e.g. \"mm_vendors\"",
    "scenario": "A scenario name (csc-2023, csc-2023-corrected, ...); blank for the exhibit's own",
    "exhibit": "An exhibit id (fig49, fig50, chain, ...; see `suanli tables`)",
    "stage": "ZeRO stage, 0 to 3",
    "dp_degree": "Data-parallel degree (GPUs the state is sharded over)",
    "optimizer_bytes": "Optimizer-state bytes per parameter (Adam in mixed precision: 12)",
    "peak_concurrent_users": "Peak concurrent users",
    "users_per_instance": "Concurrent users one model instance serves",
    "base": "Value at the start",
    "rate": "Growth rate per period, a fraction",
}

_REGISTRY: dict[str, Callable] = {}


def udf(*, examples: list[tuple[tuple, object]], category: str = "suanli", volatile: bool = False,
        ranges: bool = True):
    """Register an Excel function: argument docs, xlwings decorators, worked examples.

    ``examples`` are (arguments, what the cell shows) pairs: the README's reference, the
    workbook's examples sheet and the tests all use them.
    """

    def decorate(f):
        sig = inspect.signature(f)
        for name in sig.parameters:
            if name not in ARG_DOCS:
                raise TypeError(f"{f.__name__}: no description for argument {name!r}")
            options = {"doc": ARG_DOCS[name]}
            if ranges:
                options.update(ndim=2, err_to_str=True)
            f = arg(name, **options)(f)
        f.examples = examples
        f.summary = summary(f)
        f = func(category=category, volatile=volatile)(f)
        xlf = getattr(f, "__xlfunc__", None)
        if xlf is not None:  # Excel shows only the first sentence, at most 255 characters
            xlf["ret"]["doc"] = f.summary
        _REGISTRY[f.__name__] = f
        __all__.append(f.__name__)
        return f

    return decorate


def summary(f) -> str:
    """The first sentence of a function's docstring: what it returns, in which unit."""
    text = " ".join((f.__doc__ or "").split())
    m = re.match(r"(.+?\.)(\s|$)", text)
    return (m.group(1) if m else text)[:255]


def functions() -> dict[str, Callable]:
    """Every Excel function, by name, in reference order."""
    return dict(_REGISTRY)


# --------------------------------------------------------------------------- training
@udf(examples=[((175e9, 300e9), 3.15e23), ((175e9, 300e9, 8), 4.2e23)])
def AI_TRAIN_FLOPS(params, tokens, flops_per_param_token=6):
    """Training compute in FLOP: k × parameters × tokens (k = 6, or 8 with recomputation).

    =AI_TRAIN_FLOPS(175e9, 300e9) is GPT-3's 3.15e23 FLOP.
    """
    return call_model(training.train_flops, locals())


@udf(examples=[((3.15e23,), 3645.8333333333335)])
def AI_PF_DAYS(flop):
    """Compute in PF-days (one PFLOP/s for a day, 8.64e19 FLOP).

    GPT-3's 3.15e23 FLOP is 3,645.8 PF-days; the report quotes 3,640 (erratum E31).
    """
    return call_model(training.pf_days, locals())


@udf(examples=[((175e9, 300e9, 1024, 312, 0.5), 22.823)])
def AI_TRAIN_DAYS(params, tokens, gpus, peak_tflops, utilization, flops_per_param_token=6):
    """Days to train: k·N·D ÷ (GPUs × peak TFLOPS × 1e12 × utilisation) ÷ 86,400.

    GPT-3 on 1,024 A100s at 50% takes 22.8 days.
    """
    return call_model(training.train_days, locals())


@udf(examples=[((1.5e12, 1e12, 7, 312, 0.3, 15), 2384768), ((175e9, 300e9, 30, 312, 0.4), 973.78)])
def AI_TRAIN_GPUS(params, tokens, days, peak_tflops, utilization, runs=1, flops_per_param_token=6):
    """GPUs (fractional) to train runs models of N parameters on D tokens in a number of days.

    fig49 2023E: 15 multimodal runs of 1.5e12 parameters on 1e12 tokens in 7 days at 30% on A100s
    need 2,384,768 GPUs (the multimodal part of the printed 276.63万).
    """
    return call_model(training.train_gpus, locals())


@udf(examples=[((540e9, 238.3e3, 6144, 275), 0.45697)])
def AI_MFU(params, tokens_per_second, chips, peak_tflops, flops_per_param_token=6):
    """Model FLOPs utilisation as a fraction: k × N × tokens per second ÷ (chips × peak).

    PaLM 540B at 238.3k tokens/s on 6,144 TPU v4 (275 TFLOPS) gives 45.7% (PaLM reports 46.2%).
    """
    return call_model(training.mfu, locals())


# --------------------------------------------------------------------------- inference
@udf(examples=[((1.5e12, 1000), 3e15)])
def AI_INFER_FLOPS(params, tokens):
    """Inference compute in FLOP: 2 × parameters per token × tokens.

    A 1000-token query to fig50's 15000亿-parameter model is 3e15 FLOP (3000 TFLOP).
    """
    return call_model(inference.infer_flops, locals())


@udf(examples=[((1.5e12, 2e7, 20, 1000, 5, 312, 0.3), 741927.8)])
def AI_INFER_GPUS(params, daily_users, queries_per_user, tokens_per_query, peak_multiplier, peak_tflops,
                  utilization):
    """GPUs (fractional) to serve the peak inference load, the utilisation applied once.

    fig50 2023E multimodal on A100s: 741,928 (the report divides by 30% twice: erratum E01).
    """
    return call_model(inference.infer_gpus, locals())


@udf(examples=[((175e9,), 700), ((1e12,), 4000)])
def AI_INFER_MEMORY_GB(params, bytes_per_param=2, intermediate_multiplier=1):
    """Inference memory in GB: parameters × bytes × (1 + intermediate multiplier).

    GPT-3 in FP16 with the report's ×1 intermediate memory: 700 GB (fig43).
    """
    return call_model(memory.inference_memory_gb, locals())


@udf(examples=[((175e9, 80), 9), ((1e12, 24), 167)])
def AI_CARDS_PER_INSTANCE(params, gpu_memory_gb, bytes_per_param=2, intermediate_multiplier=1):
    """Whole cards one model instance needs: CEIL(inference memory ÷ card memory).

    GPT-3 on A100 80GB: 9 cards; a 10000亿 model on A10 24GB: 167 (fig43).
    """
    return call_model(memory.cards_per_instance, locals())


@udf(examples=[((2e7, 100), 200000)])
def AI_INSTANCES(peak_concurrent_users, users_per_instance):
    """Model instances to deploy, whole: CEIL(peak concurrent users ÷ users per instance).

    fig51: 2000万 peak users at 100 per instance is 20万 instances.
    """
    return call_model(memory.instances, locals())


@udf(examples=[((80, 8, 128, 4096), 1342177280)])
def AI_KV_CACHE_BYTES(layers, kv_heads, head_dim, tokens, batch=1, bytes_per_value=2):
    """KV-cache size in bytes: 2 × layers × KV heads × head dimension × tokens × batch × bytes.

    Llama-2 70B (80 layers, 8 KV heads of 128) at 4,096 tokens in FP16: 1.34 GB per sequence.
    """
    return call_model(memory.kv_cache_bytes, locals())


@udf(examples=[((0, 64), 16), ((1, 64), 4.1875)])
def AI_ZERO_BYTES_PER_PARAM(stage, dp_degree, optimizer_bytes=12):
    """Training-state bytes per parameter per GPU under ZeRO stage 0-3 with mixed-precision Adam.

    Stage 0 is 16 bytes (16Ψ); stage 1 over 64 GPUs is 4.19, 26.2% of it (fig173).
    """
    return call_model(memory.zero_bytes_per_param, locals())


# --------------------------------------------------------------------------- growth
@udf(examples=[((246914, 10880000, 4), 1.57644), ((35714.29, 358318.08, 4), 0.77974)])
def AI_CAGR(start_value, end_value, periods):
    """Compound annual growth rate as a fraction: (end ÷ start)^(1 ÷ periods) − 1.

    2023-2027 is 4 periods: fig50's total grows 157.6% a year, not the printed 113% (erratum E06).
    """
    return call_model(growth.cagr, locals())


@udf(examples=[((202.0, 156.0), 0.29487)])
def AI_YOY(current, previous):
    """Year-on-year growth as a fraction: current ÷ previous − 1.

    fig7 2022: 202.0 over 156.0 is 29.5%; the report prints IDC's 29.8% (erratum E10).
    """
    return call_model(growth.yoy, locals())


@udf(examples=[((15000, 0.2, 4), 31104)])
def AI_GROW(base, rate, periods):
    """A value compounded at a rate for a number of periods: base × (1 + rate)^periods.

    fig49: 15000亿 parameters growing 20% a year reach 31104亿 in 2027E.
    """
    return call_model(growth.grow, locals())


# --------------------------------------------------------------------------- servers and market
@udf(examples=[((2766330.9, 10000, 0.7), 39519012857)])
def AI_SERVER_MARKET(gpus, usd_per_gpu, gpu_cost_share):
    """AI-server market in USD: GPUs × USD per GPU ÷ the GPU share of server cost.

    fig7 2023E: 276.63万 A100 at USD 10,000 and 70% is 395.2亿美元.
    """
    return call_model(market.ai_server_market, locals())


@udf(examples=[((8, 100000, 1106660), 0.72290)])
def AI_GPU_COST_SHARE(gpus, gpu_price, server_price):
    """The GPUs' share of a server's price, as a fraction: GPUs × price per GPU ÷ server price.

    fig107: 8 A800 at 100,000 CNY in a 1,106,660 CNY server is 72%.
    """
    return call_model(market.gpu_cost_share, locals())


# --------------------------------------------------------------------------- network
@udf(examples=[((1120, 200, 200, 3, 40, 1, False, 1 / 6), 7840), ((1120, 200, 200, 3, 40), 6720)])
def AI_OPTICAL_MODULES(gpus, nic_gbps, module_gbps, tiers=3, switch_radix=64, oversubscription=1,
                       first_hop_copper=False, extra_fabric_share=0, nics_per_gpu=1):
    """Optical modules (count) for a cluster from a fat-tree model: 2 ends per optical link × NIC ÷ module speed.

    DGX A100 SuperPOD, 1,120 A100 on HDR 200G, 40-port switches, 3 tiers, 1/6 storage: 7,840 = 7 per GPU.
    """
    return call_model(network.optical_modules, locals())


@udf(examples=[((1120, 40), 140), ((1120, 40, 3, 1, 1), 56)])
def AI_FAT_TREE(endpoints, switch_radix, tiers=3, oversubscription=1, tier=0):
    """Switches (count) of a fat-tree fabric: all of them, or one tier (1 leaf, 2 spine, 3 core).

    1,120 HDR ports on 40-port switches, three non-blocking tiers: 56 + 56 + 28 = 140 switches.
    """
    return call_model(network.fat_tree_switches, locals())


# --------------------------------------------------------------------------- power and cooling
@udf(examples=[((1000, 8), 125)])
def AI_SERVERS(gpus, gpus_per_server=8):
    """Servers to hold the GPUs, whole: CEIL(GPUs ÷ GPUs per server)."""
    return call_model(power.servers, locals())


@udf(examples=[((125, 6.5), 812.5)])
def AI_IT_KW(server_count, kw_per_server):
    """IT load in kW: servers × kW per server (DGX A100: 6.5)."""
    return call_model(power.it_kw, locals())


@udf(examples=[((812.5, 30), 28)])
def AI_RACKS(it_load_kw, kw_per_rack):
    """Racks to hold an IT load, whole: CEIL(IT kW ÷ kW per rack)."""
    return call_model(power.racks, locals())


@udf(examples=[((3150, 1.4), 4410), ((3150, 1.28), 4032)])
def AI_FACILITY_KW(it_load_kw, pue):
    """Facility power in kW: IT power × PUE.

    The report's retrofit case: 3,150 kW IT at PUE 1.4 draws 4,410 kW; at 1.28, 4,032 kW.
    """
    return call_model(power.facility_kw, locals())


@udf(examples=[((378,), 3311280)])
def AI_ENERGY_KWH(power_kw, load_factor=1, hours=8760):
    """Energy over a year in kWh: kW × load factor × 8,760 hours.

    The retrofit's 378 kW saving is 3.31 GWh a year.
    """
    return call_model(power.annual_energy_kwh, locals())


@udf(examples=[((1e6, 1.8), 1800)])
def AI_WATER_M3(it_energy_kwh, wue_l_per_kwh):
    """Water used in m³: IT energy in kWh × WUE in litres per kWh ÷ 1,000."""
    return call_model(power.water_m3, locals())


@udf(examples=[((2.5e6, 0.7), 31.5e9), ((2.5e6, 0), 17.5e9)])
def AI_COOLING_CAPEX(it_load_kw, liquid_share, liquid_cny_per_kw=15000, air_cny_per_kw=7000):
    """Cooling capex in CNY: IT kW × (liquid share × liquid CNY/kW + air share × air CNY/kW).

    §6.2: 250万 kW at 70% liquid is 315亿元; all air-cooled, 175亿元.
    """
    return call_model(power.cooling_capex, locals())


# --------------------------------------------------------------------------- export control
@udf(examples=[((312, 16), 4992), ((1979, 8), 15832)])
def AI_TPP(tops, bit_length):
    """Total Processing Performance: dense TOPS (or TFLOPS) × the bit length of the operation.

    A100 FP16 tensor: 312 × 16 = 4,992.
    """
    return call_model(export_control.tpp, locals())


@udf(examples=[((4992, 600), "restricted"), ((4992, 400), "not restricted"), ((5120, 0),
               "unknown: needs chip-to-chip bandwidth")])
def AI_EXPORT_CLASS(tpp, io_gb_per_s):
    """Export class under the rule the report quotes: restricted if TPP >= 4800 and chip-to-chip I/O >= 600 GB/s.

    A100 (4,992; 600 GB/s): restricted; A800 (400 GB/s): not restricted; 0 means "not known".
    """
    return call_model(export_control.export_class, locals())


# --------------------------------------------------------------------------- catalogue, inputs, tables
@udf(examples=[(("H100", "fp16_tensor_dense_tflops"), 990), (("A100", "memory_gb"), 80)], ranges=False)
def AI_GPU(name, field):
    """One value from the hardware catalogue, in the field's unit (see `suanli catalogue CHIP`).

    =AI_GPU("H100", "fp16_tensor_dense_tflops") is 990 (dense; the sparse figure is a separate field).
    """
    try:
        chip, what = as_text(name), as_text(field)
        if chip is None or what is None:
            return "#VALUE! name and field are required"
        return catalogue.value(chip, what)
    except SuanliError as exc:
        return excel_error(exc)
    except ValueError:
        return "#VALUE! name and field take one cell each"


@udf(examples=[(("asic",), [["Google TPU v4"], ["Cambricon MLU370-X8"], "…"])], ranges=False)
def AI_GPUS(kind=None):
    """The catalogue's chip names as a column (a dynamic array); a kind keeps only those chips."""
    try:
        return [[n] for n in catalogue.names(as_text(kind))]
    except SuanliError as exc:
        return excel_error(exc)
    except ValueError:
        return "#VALUE! kind takes one cell"


@udf(examples=[(("train_utilization",), [[0.3, 0.3, 0.3, 0.3, 0.3]]), (("infer_bytes_per_param",), 2)],
     ranges=False)
def AI_INPUT(key, scenario=None):
    """A scenario input's value in its base unit: one number, or a row of one per column."""
    try:
        k = as_text(key)
        if k is None:
            return "#VALUE! key is required"
        value = scenarios.load(as_text(scenario) or "csc-2023").value(k)
    except SuanliError as exc:
        return excel_error(exc)
    except ValueError:
        return "#VALUE! key and scenario take one cell each"
    if isinstance(value, tuple):
        return [[_cell(v) for v in value]]
    return _cell(value)


@udf(examples=[(("fig43",), [["fig43 不同规模大模型所需的显存容量估计", "GPU memory needed by LLMs of different sizes, and cards per model instance", "unit", "GPT-3 (1750亿)", "10000亿"], ["参数量（亿）", "Parameters", "亿", 1750, 10000], "…"])], ranges=False)
def AI_TABLE(exhibit, scenario=None):
    """A whole exhibit as a dynamic array in the report's layout: labels, unit, then one column per year or case."""
    try:
        ex = as_text(exhibit)
        if ex is None:
            return "#VALUE! exhibit is required"
        t = tables.table(ex, as_text(scenario))
    except SuanliError as exc:
        return excel_error(exc)
    except ValueError:
        return "#VALUE! exhibit and scenario take one cell each"
    rows = [[f"{t.exhibit.id} {t.exhibit.title_zh}", t.exhibit.title_en, "unit", *t.columns]]
    for r in t.exhibit.rows:
        cells = []
        for i in range(len(t.columns)):
            needs = t.result.needed(r.key, i)
            v = t.value(r.key, i)
            cells.append(needs_text(needs) if needs else _cell(v))
        rows.append([r.label_zh or "", r.label_en, r.unit, *cells])
    return rows


@udf(examples=[((), __version__)], ranges=False)
def AI_VERSION():
    """The version of suanli that computes these functions."""
    return __version__


def _cell(v):
    """A value as a cell shows it: numbers as they are, blanks as empty text."""
    if v is None:
        return ""
    return v
