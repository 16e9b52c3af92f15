"""Demand-side exhibits of the CSC report (§1.2, §2.1, §7.2): training, inference, memory, growth.

Each exhibit lists the report's rows in the report's order, with the report's row label as
printed (``label_zh``), and computes each from scenario inputs through the engine's models.
Rows the report does not print (a total the headline CAGR needs, a derived check) have
``label_zh=None``.
"""

from __future__ import annotations

from .. import compute, growth, inference, memory, reports, training
from ..exhibit import Exhibit, Row
from ..ops import where
from ..units import DAYS_PER_YEAR, GIGA

#: The short name every source of this module cites the report by (engine/data/reports.toml).
CSC = reports.short("csc-2023")

ORDER = 10

_BLOCKS = {"mm": "多模态", "std": "普通"}
_BLOCK_EN = {"mm": "multimodal", "std": "ordinary"}


def _grown(prefix: str, what: str):
    """A series that starts at ``{prefix}_{what}_base`` and grows at ``{prefix}_{what}_growth``."""
    key = f"{prefix}_{what}"

    def formula(c):
        if c.first:
            return c.inp(f"{key}_base")
        return c.prev(key) * (1 + c.inp(f"{key}_growth"))

    return formula


def _yoy(key: str):
    return lambda c: growth.yoy(c[key], c.prev(key))


def _increment(key: str):
    return lambda c: c[key] - c.prev(key)


# ------------------------------------------------------------------------------- fig49
def _training_block(p: str) -> list[Row]:
    zh, en = _BLOCKS[p], _BLOCK_EN[p]
    six_n = "（TFLOPS，6N）" if p == "mm" else "（TFLOPS-s，6N）"
    peak = ("训练端峰值算力需求（PFLOPs，单模型所需算力×模型数量/（单次训练时间））" if p == "mm"
            else "训练端峰值算力需求（PFLOPS，单模型所需算力×模型数量/（单次训练时间））")
    return [
        Row(f"{p}_vendors", f"{en.capitalize()} LLM developers", f"{zh}大模型研发厂商个数", "count",
            input=f"{p}_vendors", decimals=0),
        Row(f"{p}_models_per_vendor", "Models trained at once per developer", "同时训练模型数目", "count",
            input=f"{p}_models_per_vendor", decimals=0),
        Row(f"{p}_params", f"Average {en} model parameters (N)", f"{zh}大模型平均参数数量（亿个，N）", "亿",
            formula=_grown(p, "params"), decimals=0),
        Row(f"{p}_params_yoy", "YoY", "YoY", "%", formula=_yoy(f"{p}_params"), decimals=2),
        Row(f"{p}_tokens", "Training tokens", "训练 Tokens 数量（亿个）", "亿",
            formula=_grown(p, "tokens"), decimals=0),
        Row(f"{p}_flop_per_token", "Training FLOP per token per model (6N)",
            "单个模型单 Token 训练所需运算次数" + six_n, "TFLOP",
            formula=lambda c: training.train_flops(c[f"{p}_params"], 1, c.inp("train_flops_per_param_token")),
            decimals=2, note="labelled TFLOPS (a rate) but is a count of TFLOP (erratum E09)"),
        Row(f"{p}_flop_per_model", "Training compute per model", "单模型所需算力（PFLOPS）", "PFLOP",
            formula=lambda c: training.train_flops(c[f"{p}_params"], c[f"{p}_tokens"],
                                                   c.inp("train_flops_per_param_token")),
            sig=2, note="labelled PFLOPS (a rate) but is a count of PFLOP (erratum E09)"),
        Row(f"{p}_days", "Days per training run", "假设单次训练所需时间（天）", "days",
            input="train_days", decimals=0),
        Row(f"{p}_peak", "Training peak compute: compute per model × models ÷ run time", peak, "PFLOPS",
            formula=lambda c: compute.flops_rate(c[f"{p}_flop_per_model"], c[f"{p}_days"],
                                                 c[f"{p}_vendors"] * c[f"{p}_models_per_vendor"]),
            decimals=2),
    ]


def _cards_rows(prefix: str, label: str, total_key: str, util_key: str, decimals: int,
                increment_labels: tuple[str, str], count_labels: tuple[str, str]) -> list[Row]:
    rows = []
    for chip, count_zh in zip(("h100", "a100"), count_labels, strict=True):
        rows.append(Row(f"{chip}_{prefix}", f"{chip.upper()} {label} (all compute on {chip.upper()}s)", count_zh, "万张",
                        formula=lambda c, chip=chip: compute.accelerators(
                            c[total_key], c.inp(f"{chip}_fp16_tflops"), c[util_key]),
                        decimals=decimals))
    for chip, inc_zh in zip(("h100", "a100"), increment_labels, strict=True):
        rows.append(Row(f"{chip}_increment", f"{chip.upper()} increment", inc_zh, "万张",
                        formula=_increment(f"{chip}_{prefix}"), decimals=decimals))
    return rows


FIG49 = Exhibit(
    id="fig49",
    title_zh="全球大模型训练所需算力/AI 芯片数量测算",
    title_en="Global LLM training compute and AI-chip count",
    source=f"{CSC} 图表49 (§2.1.3; OpenAI, Google Research, NVIDIA, 中信建投)",
    axis="years",
    errata=("E03", "E05", "E09", "E14"),
    rows=tuple(
        _training_block("mm")
        + _training_block("std")
        + [
            Row("total_peak", "Training peak compute, total", None, "PFLOPS",
                formula=lambda c: c["mm_peak"] + c["std_peak"], decimals=2,
                note="not printed; the headline CAGR is computed from it"),
            Row("utilization", "Hardware utilisation", "硬件算力效率", "%", input="train_utilization", decimals=0),
            Row("h100_tflops", "H100 SXM FP16 tensor, dense", "H100 SXM FP16 Tensor （TFLOPS）", "TFLOPS",
                input="h100_fp16_tflops", decimals=0),
            Row("a100_tflops", "A100 SXM FP16 tensor, dense", "A100 SXM FP16 Tensor （TFLOPS）", "TFLOPS",
                input="a100_fp16_tflops", decimals=0),
        ]
        + _cards_rows("total", "cards needed", "total_peak", "utilization", 2,
                      ("H100 需求增量（万张）（只考虑 H100 的情况下）", "A100 需求增量（万张）（只考虑 A100 的情况下）"),
                      ("H100 需求总量（万张）（只考虑 H100 的情况下）", "A100 需求总量（万张）（只考虑 A100 的情况下）"))
    ),
    note="The multimodal peak row's label carries the stray text '0.986 =0.014' (debris of fig47) in the "
         "extracted report; it is left out here.",
)


# ------------------------------------------------------------------------------- fig50
def _inference_block(p: str) -> list[Row]:
    zh, en = _BLOCKS[p], _BLOCK_EN[p]
    return [
        Row(f"{p}_params", f"Average {en} model parameters (N)", f"{zh}大模型平均参数数量（亿个，N）", "亿",
            formula=_grown(p, "params"), decimals=0),
        Row(f"{p}_params_yoy", "YoY", "YoY", "%", formula=_yoy(f"{p}_params"), decimals=2),
        Row(f"{p}_dau", f"{en.capitalize()} LLM daily active users", f"{zh}大模型日活用户人数（亿人）", "亿人",
            input=f"{p}_dau"),
        Row(f"{p}_dau_yoy", "YoY", "YoY", "%", formula=_yoy(f"{p}_dau"), decimals=2),
        Row(f"{p}_queries", "Queries per user per day", "每人平均每天查询次数（次）", "count",
            input=f"{p}_queries_per_user", decimals=0),
        Row(f"{p}_tokens_per_query", "Tokens per query", "每人平均每次查询 Tokens 数量（个）", "count",
            input=f"{p}_tokens_per_query", decimals=0),
        Row(f"{p}_flop_per_token", "Inference FLOP per token (2N)", "单 Tokens 所需计算次数（TFLOPs-s，2N）", "TFLOP",
            formula=lambda c: inference.infer_flops(c[f"{p}_params"], 1, c.inp("infer_flops_per_param_token")),
            decimals=2),
        Row(f"{p}_flop_per_query", "FLOP per query (2N × tokens)", "每人每次查询所需计算次数（TFLOPs-s，2N×Tokens 数量）",
            "TFLOP",
            formula=lambda c: inference.infer_flops(c[f"{p}_params"], c[f"{p}_tokens_per_query"],
                                                    c.inp("infer_flops_per_param_token"))),
        Row(f"{p}_flop_per_day", "FLOP per day (per query × queries × users)",
            "全天计算次数合计（EFLOPs-s，每人每次查询所需计算次数×查询次数×日活人数）", "EFLOP",
            formula=lambda c: inference.daily_flop_of_queries(c[f"{p}_flop_per_query"], c[f"{p}_queries"],
                                                              c[f"{p}_dau"])),
        Row(f"{p}_average", "Average compute per second (labelled 'peak')", "平均每 s 所需峰值算力（EFLOPs）", "EFLOPS",
            formula=lambda c: inference.average_flops(c[f"{p}_flop_per_day"]), decimals=2,
            note="the daily average, labelled 峰值 (erratum E08)"),
        Row(f"{p}_peak_multiplier", "Peak concurrency multiplier", "最大并发峰值算力乘数", "x",
            input="infer_peak_multiplier", decimals=0),
        Row(f"{p}_peak", "Peak compute at maximum concurrency", "最大并发峰值算力（EFLOPs）", "EFLOPS",
            formula=lambda c: inference.peak_flops(c[f"{p}_average"], c[f"{p}_peak_multiplier"]), decimals=2),
    ]


FIG50 = Exhibit(
    id="fig50",
    title_zh="大模型云端推理所需算力/AI 芯片数量测算（算力角度）",
    title_en="Cloud LLM inference compute and AI-chip count (compute view)",
    source=f"{CSC} 图表50 (§2.1.3; NVIDIA, OpenAI, 中信建投)",
    axis="years",
    errata=("E01", "E03", "E04", "E06", "E07", "E08", "E09", "E14"),
    rows=tuple(
        _inference_block("mm")
        + _inference_block("std")
        + [
            Row("total_peak", "Total peak compute (÷ utilisation while erratum E01 is on)", "峰值算力总量（PFLOPS）",
                "PFLOPS",
                formula=lambda c: (c["mm_peak"] + c["std_peak"])
                / where(c.inp("fig50_util_applied_twice"), c.inp("infer_utilization"), 1),
                decimals=0,
                note="the report divides the peak by the 30% utilisation here and again in the card count"),
            Row("utilization", "Compute utilisation", "算力效率", "%", input="infer_utilization", decimals=2),
            Row("h100_tflops", "H100 SXM FP16 tensor, dense", "H100 SXM FP16 Tensor （TFLOPs）", "TFLOPS",
                input="h100_fp16_tflops", decimals=0),
            Row("a100_tflops", "A100 SXM FP16 tensor, dense", "A100 SXM FP16 Tensor （TFLOPs）", "TFLOPS",
                input="a100_fp16_tflops", decimals=0),
        ]
        + _cards_rows("cards", "cards needed", "total_peak", "utilization", 0,
                      ("H100 需求增量（万张）（只考虑 A100 的情况下）", "A100 需求增量（万张）（只考虑 A100 的情况下）"),
                      ("H100 需求量（万张）（只考虑 H100 的情况下）", "A100 需求量（万张）（只考虑 A100 的情况下）"))
    ),
    note="The H100 increment row is printed as '（只考虑 A100 的情况下）'; it is the H100 case (erratum E08).",
)


# ------------------------------------------------------------------------------- headline CAGRs
def _training_cagr(c):
    ordinary = growth.cagr(c["train_std_start"], c["train_std_end"], c.inp("cagr_periods"))
    total = growth.cagr(c["train_start"], c["train_end"], c.inp("cagr_periods"))
    return where(c.inp("cagr_training_uses_ordinary_row"), ordinary, total)


def _inference_cagr(c):
    periods = c.inp("cagr_periods") + where(c.inp("cagr_inference_extra_period"), 1, 0)
    return growth.cagr(c["infer_start"], c["infer_end"], periods)


CAGR = Exhibit(
    id="cagr",
    title_zh="训练端与推理端峰值算力 2023-2027 年复合增长率",
    title_en="Headline CAGRs of training and inference peak compute, 2023-2027",
    source=f"{CSC} 摘要, §1.3, §2.1.3 and §8「78.0%」,「113%」",
    axis="value",
    errata=("E05", "E06"),
    rows=(
        Row("train_start", "Training peak compute 2023E (fig49 total)", None, "PFLOPS",
            formula=lambda c: c.other("fig49", "total_peak", "2023E"), decimals=2),
        Row("train_end", "Training peak compute 2027E (fig49 total)", None, "PFLOPS",
            formula=lambda c: c.other("fig49", "total_peak", "2027E"), decimals=2),
        Row("train_std_start", "Ordinary-LLM training peak 2023E (fig49)", None, "PFLOPS",
            formula=lambda c: c.other("fig49", "std_peak", "2023E"), decimals=2),
        Row("train_std_end", "Ordinary-LLM training peak 2027E (fig49)", None, "PFLOPS",
            formula=lambda c: c.other("fig49", "std_peak", "2027E"), decimals=2),
        Row("train_cagr", "Training peak compute CAGR 2023-2027", None, "%",
            formula=_training_cagr, decimals=1),
        Row("infer_start", "Inference peak compute 2023E (fig50 total)", None, "PFLOPS",
            formula=lambda c: c.other("fig50", "total_peak", "2023E"), decimals=0),
        Row("infer_end", "Inference peak compute 2027E (fig50 total)", None, "PFLOPS",
            formula=lambda c: c.other("fig50", "total_peak", "2027E"), decimals=0),
        Row("infer_cagr", "Inference peak compute CAGR 2023-2027", None, "%",
            formula=_inference_cagr, decimals=0),
    ),
)


# ------------------------------------------------------------------------------- fig43, fig51
def _cards_for(memory_key: str):
    return lambda c: memory.cards_per_instance(c["params"], c.inp(memory_key), c.inp("infer_bytes_per_param"),
                                               c.inp("infer_intermediate_multiplier"))


FIG43 = Exhibit(
    id="fig43",
    title_zh="不同规模大模型所需的显存容量估计",
    title_en="GPU memory needed by LLMs of different sizes, and cards per model instance",
    source=f"{CSC} 图表43 (§2.1.3)",
    axis="llm_sizes",
    errata=("E14",),
    rows=(
        Row("params", "Parameters", "参数量（亿）", "亿", input="llm_params", decimals=0),
        Row("weights_gb", "Model memory (FP16 weights)", "模型显存需求（E）", "GB",
            formula=lambda c: memory.weights_gb(c["params"], c.inp("infer_bytes_per_param")), decimals=0),
        Row("inference_gb", "Inference memory", "推理显存需求（E）", "GB",
            formula=lambda c: memory.inference_memory_gb(c["params"], c.inp("infer_bytes_per_param"),
                                                         c.inp("infer_intermediate_multiplier")), decimals=0),
        Row("a100_cards", "A100 80GB cards per instance (CEIL)", "A100 80GB", "张",
            formula=_cards_for("a100_memory_gb"), decimals=0),
        Row("a800_cards", "A800 80GB cards per instance (CEIL)", "A800 80GB", "张",
            formula=_cards_for("a800_memory_gb"), decimals=0),
        Row("a10_cards", "A10 24GB cards per instance (CEIL)", "A10 24GB", "张",
            formula=_cards_for("a10_memory_gb"), decimals=0),
    ),
    note="The report prints models as rows and GPUs as columns; here models are the columns. Interconnect "
         "(互连性能备注): A100 80GB NVLink 600GB/s, A800 80GB NVLink 400GB/s, A10 24GB PCIe 64GB/s.",
)

FIG51 = Exhibit(
    id="fig51",
    title_zh="大模型云端推理所需算力/AI 芯片数量测算（显存角度）",
    title_en="Cloud LLM inference AI-chip count (memory view), A100 80GB, search-engine deployment",
    source=f"{CSC} 图表51 (§2.1.3; OpenAI, NVIDIA, 中信建投)",
    axis="llm_sizes",
    errata=("E14",),
    rows=(
        Row("params", "Parameters", "参数（亿）", "亿", input="llm_params", decimals=0),
        Row("weights_gb", "FP16 inference memory estimate", "FP16 推理精度显存预估 （GB）", "GB",
            formula=lambda c: memory.weights_gb(c["params"], c.inp("infer_bytes_per_param")), decimals=0),
        Row("intermediate", "Intermediate memory multiple", "推理中间参数量倍数预估", "x",
            input="infer_intermediate_multiplier", decimals=0),
        Row("inference_gb", "Inference memory", "推理显存需求（GB）", "GB",
            formula=lambda c: memory.inference_memory_gb(c["params"], c.inp("infer_bytes_per_param"),
                                                         c["intermediate"]), decimals=0),
        Row("cards_per_instance", "A100 80GB cards per instance (CEIL)", "显卡需求（张）", "张",
            formula=lambda c: memory.cards_per_instance(c["params"], c.inp("a100_memory_gb"),
                                                        c.inp("infer_bytes_per_param"), c["intermediate"]),
            decimals=0),
        Row("peak_users", "Peak concurrent users", "最高并发访问量（万）", "万",
            input="search_peak_concurrent_users", decimals=0),
        Row("users_per_instance", "Concurrent users per instance", "模型能同时处理的并发量假设", "count",
            input="users_per_instance", decimals=0),
        Row("instances", "Model instances deployed", "模型部署量（万）", "万",
            formula=lambda c: memory.instances(c["peak_users"], c["users_per_instance"]), decimals=0),
        Row("cards", "Cards needed", "显卡需求（万）", "万张",
            formula=lambda c: memory.deployment_cards(c["instances"], c["cards_per_instance"]), decimals=0),
    ),
    note="The report prints the deployment rows once, for GPT-3; the 10000亿 column's 1000万 cards use the "
         "same 20万 instances.",
)


# ------------------------------------------------------------------------------- fig45, fig48
FIG45 = Exhibit(
    id="fig45",
    title_zh="大模型参数量及训练所需 Tokens",
    title_en="LLM parameters and training tokens, with their training compute",
    source=f"{CSC} 图表45 (§2.1.3; Training Compute-Optimal Language Models)",
    axis="fig45_models",
    rows=(
        Row("year", "Year", "年份", "text", text=("2020", "2021", "2022", "2022")),
        Row("params", "Parameters", "参数量", "亿", input="fig45_params", decimals=0),
        Row("tokens", "Training tokens", "训练 Tokens", "亿", input="fig45_tokens", decimals=0),
        Row("train_flop", "Training compute 6·N·D", None, "FLOP",
            formula=lambda c: training.train_flops(c["params"], c["tokens"], c.inp("train_flops_per_param_token")),
            sig=4),
        Row("pf_days", "Training compute", None, "PF-days", formula=lambda c: c["train_flop"], decimals=1),
        Row("tokens_per_param", "Tokens per parameter", None, "x",
            formula=lambda c: c["tokens"] / c["params"], decimals=2),
    ),
)

FIG48 = Exhibit(
    id="fig48",
    title_zh="不同大模型训练过程中的算力利用率",
    title_en="Compute utilisation of LLM training runs",
    source=f"{CSC} 图表48 (§2.1.3; PaLM: Scaling Language Modeling with Pathways)",
    axis="fig48_models",
    rows=(
        Row("year", "Year", "年份", "text", text=("2020", "2022", "2022", "2022")),
        Row("params", "Parameters", "参数量", "亿", input="fig48_params", decimals=0),
        Row("accelerators", "Accelerators", "加速芯片", "张", input="fig48_accelerators", decimals=0),
        Row("accelerator_type", "Accelerator type", None, "text",
            text=("NVIDIA V100", "Google TPU v3", "NVIDIA A100", "Google TPU v4")),
        Row("utilization", "Compute utilisation (MFU)", "算力利用率", "%", input="fig48_utilization", decimals=1),
    ),
)


# ------------------------------------------------------------------------------- GPT-3 passages
def _v100_months_large(c):
    gpu_years = c.inp("gpt3_v100_small_cluster") * c.inp("gpt3_v100_small_cluster_years")
    return gpu_years / c.inp("gpt3_v100_large_cluster") * DAYS_PER_YEAR


def _v100_implied_utilization(c):
    # the V100s the compute needs at full utilisation, over the V100s the 36 years used
    at_full = compute.accelerators(compute.flops_rate(c["train_flop"], c["small_cluster_time"]),
                                   c.inp("v100_fp16_tflops"), 1)
    return at_full / c["small_cluster"]


GPT3 = Exhibit(
    id="gpt3",
    title_zh="GPT-3 训练算力 3640 PF-days 与训练时间（8 张 / 512 张 V100）",
    title_en="GPT-3 training compute, cost, and time on 8 and 512 V100s",
    source=f"{CSC} §1.2「总算力消耗约为 3640PF-days」and §2.1.1「GPT-3 模型需要 36 年」",
    axis="value",
    errata=("E27", "E28", "E31"),
    rows=(
        Row("params", "GPT-3 parameters", None, "亿", input="gpt3_params", decimals=0),
        Row("tokens", "GPT-3 training tokens", None, "亿", input="gpt3_tokens", decimals=0),
        Row("train_flop", "Training compute 6·N·D", None, "FLOP",
            formula=lambda c: training.train_flops(c["params"], c["tokens"], c.inp("train_flops_per_param_token")),
            sig=3),
        Row("pf_days", "Total training compute", None, "PF-days",
            formula=lambda c: c["train_flop"], sig=3),
        Row("cost", "Total training cost", None, "万美元", input="gpt3_training_cost_usd", decimals=0),
        Row("usd_per_pf_day", "Cost per PF-day", None, "USD",
            formula=lambda c: c["cost"] / training.pf_days(c["train_flop"]), decimals=0),
        Row("small_cluster", "V100s, small cluster", None, "张", input="gpt3_v100_small_cluster", decimals=0),
        Row("small_cluster_time", "Training time on the small cluster", None, "years",
            formula=lambda c: c.inp("gpt3_v100_small_cluster_years") * DAYS_PER_YEAR, decimals=0),
        Row("large_cluster", "V100s, large cluster", None, "张", input="gpt3_v100_large_cluster", decimals=0),
        Row("large_cluster_time", "Training time on the large cluster (linear scaling)", None, "months",
            formula=_v100_months_large, decimals=0),
        Row("implied_utilization", "V100 utilisation the 36 years imply", None, "%",
            formula=_v100_implied_utilization, decimals=1),
    ),
)


# ------------------------------------------------------------------------------- ZeRO (fig173)
ZERO = Exhibit(
    id="fig173",
    title_zh="ZeRO 优化下 P_os 实现显存占用优化至基准方法的 26.2%",
    title_en="ZeRO training-state memory per GPU by stage",
    source=f"{CSC} §7.2「其中 75%来自Adam优化器」and 图表173 (the ZeRO paper's figure: Ψ = 7.5B, Nd = 64)",
    axis="zero_stages",
    errata=("E18",),
    rows=(
        Row("stage", "ZeRO stage", None, "count", formula=lambda c: c.col, decimals=0),
        Row("bytes_per_param", "Bytes per parameter per GPU (×Ψ)", None, "bytes/param",
            formula=lambda c: memory.zero_bytes_per_param(c["stage"], c.inp("zero_dp_degree"),
                                                          c.inp("zero_optimizer_bytes")), decimals=2),
        Row("memory_gb", "Memory per GPU", None, "GB",
            formula=lambda c: c["bytes_per_param"] * c.inp("zero_params") / GIGA, decimals=1),
        Row("share_of_baseline", "Share of the baseline", None, "%",
            formula=lambda c: c["bytes_per_param"] / c.at("bytes_per_param", 0), decimals=1),
        Row("adam_share", "Adam optimizer state's share of the memory", None, "%",
            formula=lambda c: c.inp("zero_optimizer_bytes") / c.at("bytes_per_param", 0), decimals=0),
    ),
)

EXHIBITS = (FIG49, FIG50, CAGR, FIG43, FIG51, FIG45, FIG48, GPT3, ZERO)
