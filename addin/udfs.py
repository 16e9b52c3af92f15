"""suanli's Excel functions: the engine in a cell, through xlwings.

Enter ``addin.udfs`` as the UDF module (classic xlwings add-in on Windows), or load the
single-file bundle that ``suanli addin lite`` writes (xlwings Lite on Windows, macOS and
Excel on the web).  Every numeric argument takes one cell or a range; ranges broadcast
against single cells and the result has the range's shape.  A bad element shows an error
text in its own cell ("#NUM! utilization must be in (0, 1], got 30 (did you mean 0.30?)");
blanks, text and error values are never read as zero.

Each function here is a thin, explicitly-signed wrapper: its body is one call to an engine
model through :func:`addin.cells.call_model`, so the numbers are the engine's.  Its optional
arguments' defaults are the model's (``MODEL_DEFAULT`` in the signature, filled in by
:func:`udf`), and its argument help is the argument registry's (:mod:`engine.arguments`).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable

from engine import (
    __version__,
    catalogue,
    exhibits,
    export_control,
    growth,
    inference,
    market,
    memory,
    network,
    power,
    scenarios,
    tables,
    training,
)
from engine.arguments import ARGUMENTS
from engine.errors import EXCEL_ERRORS, SuanliError
from engine.exhibit import needs_text

from .cells import as_text, call_model, excel_error
from .overrides import read_overrides

try:  # the real decorators on Windows (classic) and in xlwings Lite; no-ops elsewhere
    from xlwings import arg, func
except ImportError:  # pragma: no cover - xlwings is a dependency; kept for a bare Lite bundle
    def func(f=None, **_):
        return f if f is not None else (lambda g: g)

    def arg(*_, **__):
        return lambda g: g

__all__ = []  # filled by @udf: the public functions, in reference order

_REGISTRY: dict[str, Callable] = {}


class _ModelDefault:
    """The marker of an optional argument whose default is the model's."""

    def __repr__(self) -> str:
        return "MODEL_DEFAULT"


#: Written as the default of an Excel function's optional argument: :func:`udf` puts the
#: model's default there, so the engine's model is the one place it is written.
MODEL_DEFAULT = _ModelDefault()


def udf(model: Callable | None = None, *, examples: list[tuple[tuple, object]], category: str = "suanli",
        volatile: bool = False, ranges: bool = True, range_args: tuple[str, ...] = ()):
    """Register an Excel function: defaults from its model, argument help, xlwings decorators, worked examples.

    ``model`` is the engine model the function calls (None for the catalogue, input and table
    functions).  The function's arguments are the model's, in its order, optional exactly where
    the model's are, each written ``name=MODEL_DEFAULT``; the help of each argument is its
    description in :data:`engine.arguments.ARGUMENTS`.  ``examples`` are (arguments, what the
    cell shows) pairs: the README's reference, the workbook's examples sheet and the tests all
    use them.  ``range_args`` are arguments that take a range even where ``ranges`` is False (the
    overrides of AI_TABLE): xlwings hands them over as rows of cells, error cells as their text.
    """

    def decorate(f):
        _take_defaults(f, model)
        for name in inspect.signature(f).parameters:
            if name not in ARGUMENTS:
                raise TypeError(f"{f.__name__}: no description for argument {name!r} in engine.arguments")
            options = {"doc": ARGUMENTS[name].description, "err_to_str": True}  # #N/A in, #N/A out
            if ranges or name in range_args:
                options.update(ndim=2)
            f = arg(name, **options)(f)
        f.model = model
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


def _take_defaults(f, model: Callable | None) -> None:
    """Put the model's default in place of each ``MODEL_DEFAULT``, after checking the arguments
    are the model's, in its order, and optional where the model's are; else raise TypeError."""
    params = list(inspect.signature(f).parameters.values())
    if model is None:
        if any(p.default is MODEL_DEFAULT for p in params):
            raise TypeError(f"{f.__name__}: MODEL_DEFAULT needs the model, @udf(model, ...)")
        return
    theirs = inspect.signature(model).parameters
    names = [p.name for p in params]
    if names != [n for n in theirs if n in names]:
        raise TypeError(f"{f.__name__}: arguments {names} are not {model.__name__}'s, in its order {list(theirs)}")
    left_out = [n for n, p in theirs.items() if n not in names and p.default is inspect.Parameter.empty]
    if left_out:
        raise TypeError(f"{f.__name__}: {model.__name__} needs {left_out}")
    defaults = []
    for p in params:
        default = theirs[p.name].default
        if p.default is inspect.Parameter.empty:
            if default is not inspect.Parameter.empty:
                raise TypeError(f"{f.__name__}: {p.name} is optional in {model.__name__}; "
                                f"write {p.name}=MODEL_DEFAULT")
        elif p.default is not MODEL_DEFAULT:
            raise TypeError(f"{f.__name__}: the default of {p.name} is {model.__name__}'s; "
                            f"write {p.name}=MODEL_DEFAULT")
        elif default is inspect.Parameter.empty:
            raise TypeError(f"{f.__name__}: {p.name} is required in {model.__name__}; it cannot be optional here")
        else:
            defaults.append(default)
    f.__defaults__ = tuple(defaults) or None


def summary(f) -> str:
    """The first sentence of a function's docstring: what it returns, in which unit."""
    text = " ".join((f.__doc__ or "").split())
    m = re.match(r"(.+?\.)(\s|$)", text)
    return (m.group(1) if m else text)[:255]


def functions() -> dict[str, Callable]:
    """Every Excel function, by name, in reference order."""
    return dict(_REGISTRY)


# --------------------------------------------------------------------------- training
@udf(training.train_flops, examples=[((175e9, 300e9), 3.15e23), ((175e9, 300e9, 8), 4.2e23)])
def AI_TRAIN_FLOPS(params, tokens, flops_per_param_token=MODEL_DEFAULT):
    """Training compute in FLOP: k × parameters × tokens (k = 6, or 8 with recomputation).

    =AI_TRAIN_FLOPS(175e9, 300e9) is GPT-3's 3.15e23 FLOP.
    """
    return call_model(training.train_flops, locals())


@udf(training.pf_days, examples=[((3.15e23,), 3645.8333333333335)])
def AI_PF_DAYS(flop):
    """Compute in PF-days (one PFLOP/s for a day, 8.64e19 FLOP).

    GPT-3's 3.15e23 FLOP is 3,645.8 PF-days; the report quotes 3,640 (erratum E31).
    """
    return call_model(training.pf_days, locals())


@udf(training.train_days, examples=[((175e9, 300e9, 1024, 312, 0.5), 22.823)])
def AI_TRAIN_DAYS(params, tokens, gpus, peak_tflops, utilization, flops_per_param_token=MODEL_DEFAULT):
    """Days to train: k·N·D ÷ (GPUs × peak TFLOPS × 1e12 × utilisation) ÷ 86,400.

    GPT-3 on 1,024 A100s at 50% takes 22.8 days.
    """
    return call_model(training.train_days, locals())


@udf(training.train_gpus,
     examples=[((1.5e12, 1e12, 7, 312, 0.3, 15), 2384768), ((175e9, 300e9, 30, 312, 0.4), 973.78)])
def AI_TRAIN_GPUS(params, tokens, days, peak_tflops, utilization, runs=MODEL_DEFAULT,
                  flops_per_param_token=MODEL_DEFAULT):
    """GPUs (fractional) to train runs models of N parameters on D tokens in a number of days.

    fig49 2023E: 15 multimodal runs of 1.5e12 parameters on 1e12 tokens in 7 days at 30% on A100s
    need 2,384,768 GPUs (the multimodal part of the printed 276.63万).
    """
    return call_model(training.train_gpus, locals())


@udf(training.mfu, examples=[((540e9, 238.3e3, 6144, 275), 0.45697)])
def AI_MFU(params, tokens_per_second, chips, peak_tflops, flops_per_param_token=MODEL_DEFAULT):
    """Model FLOPs utilisation as a fraction: k × N × tokens per second ÷ (chips × peak).

    PaLM 540B at 238.3k tokens/s on 6,144 TPU v4 (275 TFLOPS) gives 45.7% (PaLM reports 46.2%).
    """
    return call_model(training.mfu, locals())


# --------------------------------------------------------------------------- inference
@udf(inference.infer_flops, examples=[((1.5e12, 1000), 3e15)])
def AI_INFER_FLOPS(params, tokens):
    """Inference compute in FLOP: 2 × parameters per token × tokens.

    A 1000-token query to fig50's 15000亿-parameter model is 3e15 FLOP (3000 TFLOP).
    """
    return call_model(inference.infer_flops, locals())


@udf(inference.infer_gpus, examples=[((1.5e12, 2e7, 20, 1000, 5, 312, 0.3), 741927.8)])
def AI_INFER_GPUS(params, daily_users, queries_per_user, tokens_per_query, peak_multiplier, peak_tflops,
                  utilization):
    """GPUs (fractional) to serve the peak inference load, the utilisation applied once.

    fig50 2023E multimodal on A100s: 741,928 (the report divides by 30% twice: erratum E01).
    """
    return call_model(inference.infer_gpus, locals())


@udf(memory.inference_memory_gb, examples=[((175e9,), 700), ((1e12,), 4000)])
def AI_INFER_MEMORY_GB(params, bytes_per_param=MODEL_DEFAULT, intermediate_multiplier=MODEL_DEFAULT):
    """Inference memory in GB: parameters × bytes × (1 + intermediate multiplier).

    GPT-3 in FP16 with the report's ×1 intermediate memory: 700 GB (fig43).
    """
    return call_model(memory.inference_memory_gb, locals())


@udf(memory.cards_per_instance, examples=[((175e9, 80), 9), ((1e12, 24), 167)])
def AI_CARDS_PER_INSTANCE(params, gpu_memory_gb, bytes_per_param=MODEL_DEFAULT,
                          intermediate_multiplier=MODEL_DEFAULT):
    """Whole cards one model instance needs: CEIL(inference memory ÷ card memory).

    GPT-3 on A100 80GB: 9 cards; a 10000亿 model on A10 24GB: 167 (fig43).
    """
    return call_model(memory.cards_per_instance, locals())


@udf(memory.instances, examples=[((2e7, 100), 200000)])
def AI_INSTANCES(peak_concurrent_users, users_per_instance):
    """Model instances to deploy, whole: CEIL(peak concurrent users ÷ users per instance).

    fig51: 2000万 peak users at 100 per instance is 20万 instances.
    """
    return call_model(memory.instances, locals())


@udf(memory.kv_cache_bytes, examples=[((80, 8, 128, 4096), 1342177280)])
def AI_KV_CACHE_BYTES(layers, kv_heads, head_dim, tokens, batch=MODEL_DEFAULT, bytes_per_value=MODEL_DEFAULT):
    """KV-cache size in bytes: 2 × layers × KV heads × head dimension × tokens × batch × bytes.

    Llama-2 70B (80 layers, 8 KV heads of 128) at 4,096 tokens in FP16: 1.34 GB per sequence.
    """
    return call_model(memory.kv_cache_bytes, locals())


@udf(memory.zero_bytes_per_param, examples=[((0, 64), 16), ((1, 64), 4.1875)])
def AI_ZERO_BYTES_PER_PARAM(stage, dp_degree, optimizer_bytes=MODEL_DEFAULT):
    """Training-state bytes per parameter per GPU under ZeRO stage 0-3 with mixed-precision Adam.

    Stage 0 is 16 bytes (16Ψ); stage 1 over 64 GPUs is 4.19, 26.2% of it (fig173).
    """
    return call_model(memory.zero_bytes_per_param, locals())


# --------------------------------------------------------------------------- growth
@udf(growth.cagr, examples=[((246914, 10880000, 4), 1.57644), ((35714.29, 358318.08, 4), 0.77974)])
def AI_CAGR(start_value, end_value, periods):
    """Compound annual growth rate as a fraction: (end ÷ start)^(1 ÷ periods) − 1.

    2023-2027 is 4 periods: fig50's total grows 157.6% a year, not the printed 113% (erratum E06).
    """
    return call_model(growth.cagr, locals())


@udf(growth.yoy, examples=[((202.0, 156.0), 0.29487)])
def AI_YOY(current, previous):
    """Year-on-year growth as a fraction: current ÷ previous − 1.

    fig7 2022: 202.0 over 156.0 is 29.5%; the report prints IDC's 29.8% (erratum E10).
    """
    return call_model(growth.yoy, locals())


@udf(growth.grow, examples=[((15000, 0.2, 4), 31104)])
def AI_GROW(base, rate, periods):
    """A value compounded at a rate for a number of periods: base × (1 + rate)^periods.

    fig49: 15000亿 parameters growing 20% a year reach 31104亿 in 2027E.
    """
    return call_model(growth.grow, locals())


# --------------------------------------------------------------------------- servers and market
@udf(market.ai_server_market, examples=[((2766330.9, 10000, 0.7), 39519012857)])
def AI_SERVER_MARKET(gpus, usd_per_gpu, gpu_cost_share):
    """AI-server market in USD: GPUs × USD per GPU ÷ the GPU share of server cost.

    fig7 2023E: 276.63万 A100 at USD 10,000 and 70% is 395.2亿美元.
    """
    return call_model(market.ai_server_market, locals())


@udf(market.gpu_cost_share, examples=[((8, 100000, 1106660), 0.72290)])
def AI_GPU_COST_SHARE(gpus, gpu_price, server_price):
    """The GPUs' share of a server's price, as a fraction: GPUs × price per GPU ÷ server price.

    fig107: 8 A800 at 100,000 CNY in a 1,106,660 CNY server is 72%.
    """
    return call_model(market.gpu_cost_share, locals())


# --------------------------------------------------------------------------- network
@udf(network.optical_modules,
     examples=[((1120, 200, 200, 3, 40, 1, False, 1 / 6), 7840), ((1120, 200, 200, 3, 40), 6720)])
def AI_OPTICAL_MODULES(gpus, nic_gbps, module_gbps, tiers=MODEL_DEFAULT, switch_radix=MODEL_DEFAULT,
                       oversubscription=MODEL_DEFAULT, first_hop_copper=MODEL_DEFAULT,
                       extra_fabric_share=MODEL_DEFAULT, nics_per_gpu=MODEL_DEFAULT):
    """Optical modules (count) for a cluster from a fat-tree model: 2 ends per optical link × NIC ÷ module speed.

    DGX A100 SuperPOD, 1,120 A100 on HDR 200G, 40-port switches, 3 tiers, 1/6 storage: 7,840 = 7 per GPU.
    """
    return call_model(network.optical_modules, locals())


@udf(network.fat_tree_switches, examples=[((1120, 40), 140), ((1120, 40, 3, 1, 1), 56)])
def AI_FAT_TREE(endpoints, switch_radix, tiers=MODEL_DEFAULT, oversubscription=MODEL_DEFAULT, tier=MODEL_DEFAULT):
    """Switches (count) of a fat-tree fabric: all of them, or one tier (1 leaf, 2 spine, 3 core).

    1,120 HDR ports on 40-port switches, three non-blocking tiers: 56 + 56 + 28 = 140 switches.
    """
    return call_model(network.fat_tree_switches, locals())


# --------------------------------------------------------------------------- power and cooling
@udf(power.servers, examples=[((1000, 8), 125)])
def AI_SERVERS(gpus, gpus_per_server=MODEL_DEFAULT):
    """Servers to hold the GPUs, whole: CEIL(GPUs ÷ GPUs per server)."""
    return call_model(power.servers, locals())


@udf(power.it_kw, examples=[((125, 6.5), 812.5)])
def AI_IT_KW(server_count, kw_per_server):
    """IT load in kW: servers × kW per server (DGX A100: 6.5)."""
    return call_model(power.it_kw, locals())


@udf(power.racks, examples=[((812.5, 30), 28)])
def AI_RACKS(it_load_kw, kw_per_rack):
    """Racks to hold an IT load, whole: CEIL(IT kW ÷ kW per rack)."""
    return call_model(power.racks, locals())


@udf(power.facility_kw, examples=[((3150, 1.4), 4410), ((3150, 1.28), 4032)])
def AI_FACILITY_KW(it_load_kw, pue):
    """Facility power in kW: IT power × PUE.

    The report's retrofit case: 3,150 kW IT at PUE 1.4 draws 4,410 kW; at 1.28, 4,032 kW.
    """
    return call_model(power.facility_kw, locals())


@udf(power.annual_energy_kwh, examples=[((378,), 3311280)])
def AI_ENERGY_KWH(power_kw, load_factor=MODEL_DEFAULT, hours=MODEL_DEFAULT):
    """Energy over a year in kWh: kW × load factor × 8,760 hours.

    The retrofit's 378 kW saving is 3.31 GWh a year.
    """
    return call_model(power.annual_energy_kwh, locals())


@udf(power.water_m3, examples=[((1e6, 1.8), 1800)])
def AI_WATER_M3(it_energy_kwh, wue_l_per_kwh):
    """Water used in m³: IT energy in kWh × WUE in litres per kWh ÷ 1,000."""
    return call_model(power.water_m3, locals())


@udf(power.cooling_capex, examples=[((2.5e6, 0.7), 31.5e9), ((2.5e6, 0), 17.5e9)])
def AI_COOLING_CAPEX(it_load_kw, liquid_share, liquid_cny_per_kw=MODEL_DEFAULT, air_cny_per_kw=MODEL_DEFAULT):
    """Cooling capex in CNY: IT kW × (liquid share × liquid CNY/kW + air share × air CNY/kW).

    §6.2: 250万 kW at 70% liquid is 315亿元; all air-cooled, 175亿元.
    """
    return call_model(power.cooling_capex, locals())


# --------------------------------------------------------------------------- export control
@udf(export_control.tpp, examples=[((312, 16), 4992), ((1979, 8), 15832)])
def AI_TPP(tops, bit_length):
    """Total Processing Performance: dense TOPS (or TFLOPS) × the bit length of the operation.

    A100 FP16 tensor: 312 × 16 = 4,992.
    """
    return call_model(export_control.tpp, locals())


@udf(export_control.export_class, examples=[((4992, 600), "restricted"), ((4992, 400), "not restricted"), ((5120, 0),
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
        chip, what = _texts(name=name, field=field)
        if chip is None or what is None:
            return "#VALUE! name and field are required"
        return catalogue.value(chip, what)
    except _ErrorIn as exc:
        return str(exc)
    except SuanliError as exc:
        return excel_error(exc)
    except ValueError:
        return "#VALUE! name and field take one cell each"


@udf(examples=[(("asic",), [["Google TPU v4"], ["Cambricon MLU370-X8"], "…"])], ranges=False)
def AI_GPUS(kind=None):
    """The catalogue's chip names as a column (a dynamic array); a kind keeps only those chips."""
    try:
        return [[n] for n in catalogue.names(*_texts(kind=kind))]
    except _ErrorIn as exc:
        return str(exc)
    except SuanliError as exc:
        return excel_error(exc)
    except ValueError:
        return "#VALUE! kind takes one cell"


#: The worked examples' own assumptions, as a range of keys and values (typed here as an array constant).
_HOUSE_VIEW = [["train_utilization", "45%"], ["mm_params_base", "18000亿"], ["mm_vendors", "5,8,10,12,14"]]


@udf(examples=[(("train_utilization",), [[0.3, 0.3, 0.3, 0.3, 0.3]]), (("mm_params_base",), 1.5e12),
               (("infer_bytes_per_param",), 2), (("fig50_util_applied_twice",), True),
               (("mm_params_base", "csc-2023", [["mm_params_base", "18000亿"]]), 1.8e12),
               (("train_utilization", None, [["train_utilization", 0.45, 0.4, 0.35, 0.3, 0.3]]),
                [[0.45, 0.4, 0.35, 0.3, 0.3]])],
     ranges=False, range_args=("overrides",))
def AI_INPUT(key, scenario=None, overrides=None):
    """A scenario input's value in its base unit, as the models take it: 1.5E+12 for mm_params_base (a template's
    Inputs sheet shows 15,000 in 亿), 0.3 for 30%. One number, or a row of one per column; a switch is TRUE or FALSE.

    With overrides (a range of input keys and values, see AI_TABLE), the value they set: "18000亿" is 1.8e12.
    """
    try:
        k, name = _texts(key=key, scenario=scenario)
        if k is None:
            return "#VALUE! key is required"
        k = k.lower()  # input keys and scenario names are lower case: typed in any case, they match
        name = (name or "csc-2023").lower()
    except _ErrorIn as exc:
        return str(exc)
    except ValueError:
        return "#VALUE! key and scenario take one cell each"
    changes, problems = read_overrides(overrides)
    if problems:
        return [[p] for p in problems]
    try:
        value = scenarios.load(name, changes).value(k)
    except SuanliError as exc:
        return excel_error(exc)
    spec = scenarios.schema().get(k)
    cell = _switch_cell if spec is not None and spec.is_switch else _cell
    if isinstance(value, tuple):
        return [[cell(v) for v in value]]
    return cell(value)


@udf(examples=[(("fig43",), [["fig43 不同规模大模型所需的显存容量估计",
                               "GPU memory needed by LLMs of different sizes, and cards per model instance",
                               "unit", "GPT-3 (1750亿)", "10000亿"],
                              ["参数量（亿）", "Parameters", "亿", 1750, 10000], "…"]),
               (("fig49", "csc-2023-corrected", _HOUSE_VIEW),
                [["fig49 全球大模型训练所需算力/AI 芯片数量测算", "Global LLM training compute and AI-chip count",
                  "unit", "2023E", "2024E", "2025E", "2026E", "2027E"],
                 ["多模态大模型研发厂商个数", "Multimodal LLM developers", "count", 5, 8, 10, 12, 14], "…"])],
     ranges=False, range_args=("overrides",))
def AI_TABLE(exhibit, scenario=None, overrides=None):
    """A whole exhibit as a dynamic array in the report's layout: labels, unit, then one column per year or case.

    overrides is a range of input keys and values that the exhibit is computed under, each value one cell
    (a number, TRUE/FALSE, "45%", "18000亿", or "5,8,10,12,14" with one value per year, as suanli table --set
    takes them) or one cell per year across the row; blank rows are ignored, and each bad row shows its own
    message in a column instead of the table ("#N/A overrides row 2: unknown input key 'train_util'; ... (did
    you mean train_utilization?)").  =AI_TABLE("fig49", "csc-2023-corrected", H2:I4) with H2:I4 holding
    train_utilization | 45%, mm_params_base | 18000亿 and mm_vendors | 5,8,10,12,14 spills fig49 under those
    three assumptions, cell for cell what suanli table fig49 --scenario csc-2023-corrected --set
    train_utilization=45% --set mm_params_base=18000亿 --set mm_vendors=5,8,10,12,14 prints.
    """
    try:
        ex, name = _texts(exhibit=exhibit, scenario=scenario)
        if ex is None:
            return "#VALUE! exhibit is required"
    except _ErrorIn as exc:
        return str(exc)
    except ValueError:
        return "#VALUE! exhibit and scenario take one cell each"
    changes, problems = read_overrides(overrides)
    try:
        if problems:
            exhibits.get(ex)                  # an unknown exhibit is said first
            return [[p] for p in problems]
        t = tables.table(ex, name.lower() if name is not None else None, changes)
    except SuanliError as exc:
        return excel_error(exc)
    rows = [[f"{t.exhibit.id} {t.exhibit.title_zh}", t.exhibit.title_en, "unit", *t.columns]]
    for r in t.exhibit.rows:
        cells = []
        for i in range(len(t.columns)):
            needs = t.result.needed(r.key, i)
            error = t.error(r.key, i)
            if needs:
                cells.append(needs_text(needs))
            elif error is not None:
                cells.append(str(error))          # "#DIV/0! CAGR from a zero start is undefined", as a cell shows it
            else:
                cells.append(_cell(t.value(r.key, i)))
        rows.append([r.label_zh or "", r.label_en, r.unit, *cells])
    return rows


@udf(examples=[((), __version__)], ranges=False)
def AI_VERSION():
    """The version of suanli that computes these functions."""
    return __version__


class _ErrorIn(Exception):
    """An error value (#N/A, ...) in an argument that takes a name: the cell shows it, passed on."""


def _texts(**cells) -> list[str | None]:
    """The text of each argument that takes a name (None where blank), in order.

    Raises :class:`_ErrorIn` for an error value coming in, and ValueError (from
    :func:`~addin.cells.as_text`) for a range of several cells.
    """
    out = []
    for arg, value in cells.items():
        text = as_text(value)
        if text is not None and text.upper() in EXCEL_ERRORS:
            code = text.upper()
            raise _ErrorIn(f"{code} {arg} holds the error {code}")
        out.append(text)
    return out


def _cell(v):
    """A value as a cell shows it: numbers as they are, blanks as empty text."""
    if v is None:
        return ""
    return v


def _switch_cell(v):
    """A switch's value as a cell shows it: TRUE or FALSE (the models hold it as 1 or 0)."""
    if v is None:
        return ""
    return bool(v)
