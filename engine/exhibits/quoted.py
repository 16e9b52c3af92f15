"""The figures the CSC report quotes around its tables, and the checks of its own arithmetic they
allow: market shares (图表11, 53, 54, 110, 111, 134, 135), the cloud compute split (图表40), the
memory wall (图表24, 25, 80, 81, 93), server types and GPU cost shares (图表101, 102, 106, §3.1.2),
China's GPU servers (§3.2.2), capex and valuation (图表130, 131), 800G module power (图表129),
network power (图表138), data-centre energy and PUE (图表145, 159, §6.1-§6.3), the headline's
">200万 A100" and Google's searches, and §7's training-efficiency figures.

As in :mod:`engine.exhibits.passages`, ``label_zh`` is the phrase of the report that names a
printed number (a chart's title where the number is a chart's), a quoted number is an input, and a
printed number that follows from others is a formula, so the golden tests check the report's
arithmetic.  Rows with ``label_zh=None`` are what the printed numbers imply; each says how an
ambiguous sentence was read where it had to be.
"""

from __future__ import annotations

from functools import reduce

from .. import checks, growth, inference, reports
from ..compute import accelerators
from ..exhibit import Blank, Exhibit, Row
from ..ops import floor, round_half_up, where
from ..units import (
    BITS_PER_BYTE,
    DAYS_PER_YEAR,
    KILO,
    KM_PER_MILE,
    KW_PER_MW,
    MONTHS_PER_YEAR,
    SECONDS_PER_DAY,
    TERA,
    YI,
)
from .passages import only, only_input

#: The short name every source of this module cites the report by (engine/data/reports.toml).
CSC = reports.short("csc-2023")

ORDER = 75

GROUP = "passages"

TOTAL = "合计"


def _exhibit(**kw) -> Exhibit:
    return Exhibit(group=GROUP, **kw)


def total_of(row: str):
    """In the last column (合计), the sum of ``row`` over the others; blank elsewhere."""
    return only(TOTAL, lambda c: reduce(lambda a, b: a + b, (c.at(row, i) for i in range(len(c.columns) - 1))))


def _vendors_only(formula):
    """A formula for every column but the last (合计, 计算功耗), which it leaves blank."""

    def at_column(c):
        if c.col == len(c.columns) - 1:
            raise Blank(c.label)
        return formula(c)

    return at_column


# ------------------------------------------------------------------------------- 图表11, 53, 54 chip shares
FIG11 = _exhibit(
    id="fig11",
    title_zh="2021 年中国 AI 芯片市场规模占比",
    title_en="China AI-chip market by chip type, 2021 (IDC)",
    source=f"{CSC} 图表11 (a chart; §2.1 quotes its value: IDC「GPU 市占率为 89%」)",
    axis="value",
    rows=(
        Row("gpu", "GPU share", "GPU 市占率为", "%", input="idc_gpu_chip_share_2021", decimals=0),
        Row("non_gpu", "Other chips (the rest)", None, "%", formula=lambda c: 1 - c["gpu"], decimals=0),
    ),
    note="The chart is an image: only the GPU share is in the text.",
)

FIG53 = _exhibit(
    id="fig53",
    title_zh="2022 年 AI 加速芯片市场份额",
    title_en="Data-centre AI-accelerator market shares, 2022 (Liftr Insights)",
    source=f"{CSC} 图表53 (a chart) and §2.2「英伟达份额达 82%，其余海外厂商如 AWS 和 Xilinx 分别占比 8%、4%，"
           "AMD、Intel、Google 均占比 2%」; 摘要「其 Q2 收入指引 110 亿美金」",
    axis="liftr_columns",
    rows=(
        Row("share", "Market share", "2022 年 AI 加速芯片市场份额", "%", input="liftr_share_2022", decimals=0),
        Row("total", "The six together", None, "%", formula=total_of("share"), decimals=0),
        Row("not_nvidia", "All but NVIDIA", None, "%", formula=only(TOTAL, lambda c: c["total"] - c.at("share", 0)),
            decimals=0),
        Row("nvidia_q2_guidance", "NVIDIA's revenue guidance for its fiscal Q2 (摘要)", "其 Q2 收入指引", "亿美元",
            formula=only_input("NVIDIA", "nvidia_q2_guidance_usd"), decimals=0),
    ),
)

FIG54 = _exhibit(
    id="fig54",
    title_zh="全球独显 GPU 市场份额",
    title_en="Discrete GPU market shares, 2023 Q1 (JPR)",
    source=f"{CSC} 图表54 (a chart) and §2.2 (JPR)「的市场份额达 84%， AMD 和 Intel」「则分别占比 12%、4%」",
    axis="jpr_columns",
    rows=(
        Row("share", "Market share, add-in boards included", "全球独显 GPU 市场份额", "%",
            input="jpr_discrete_gpu_share_2023q1", decimals=0),
        Row("total", "The three together", None, "%", formula=total_of("share"), decimals=0),
    ),
)


# ------------------------------------------------------------------------------- 图表40 cloud split
FIG40 = _exhibit(
    id="fig40",
    title_zh="云端推理占比逐步提升",
    title_en="Inference and training shares of cloud compute (IDC)",
    source=f"{CSC} 图表40 (a chart) and §2.1.3 (IDC)「推理占算力已经达到了 58.5%」,「训练占算力只有 41.5%」,"
           "「推理占到 62.2%，训练占 37.8%」",
    axis="cloud_split_years",
    rows=(
        Row("inference", "Inference share of cloud compute (2026: forecast)", "推理占算力", "%",
            input="cloud_inference_share", decimals=1),
        Row("training", "Training share: the rest", "训练占算力", "%", formula=lambda c: 1 - c["inference"], decimals=1),
        Row("inference_per_training", "Inference compute per unit of training compute", None, "x",
            formula=lambda c: c["inference"] / c["training"], decimals=2),
        Row("change", "Inference share gained since 2022, percentage points", None, "%",
            formula=only("2026", lambda c: c["inference"] - c.prev("inference")), decimals=1),
        Row("change_per_year", "Points gained per year (4 years)", None, "%",
            formula=only("2026", lambda c: c["change"] / (int(c.label) - int(c.columns[0]))), decimals=3),
    ),
    note="The text prints both shares of each year; training is computed as 100% less inference, so the "
         "golden cells check that they add up.",
)


# ------------------------------------------------------------------------------- memory (图表24/25, 80/81, 93)
CADENCE = _exhibit(
    id="s2.1.1_cadence",
    title_zh="AI 训练服务器的内存容量与 NLP 负载的能耗（Cadence）",
    title_en="Memory an AI training server needs, and memory's share of NLP energy (Cadence)",
    source=f"{CSC} §2.1.1 (Cadence)「每台 AI 训练服务器需要 6 倍的内存容量」,「存储消耗的能量占比达到 82%」; 图表24, 图表25",
    axis="value",
    rows=(
        Row("memory_multiple", "Memory capacity against a general workload", "每台 AI 训练服务器需要", "x",
            input="cadence_memory_multiple", decimals=0),
        Row("memory_energy", "Memory's share of NLP workload energy", "存储消耗的能量占比达到", "%",
            input="cadence_nlp_memory_energy_share", decimals=0),
        Row("compute_energy", "Compute's share (the rest)", None, "%", formula=lambda c: 1 - c["memory_energy"],
            decimals=0),
        Row("memory_per_compute", "Memory energy per unit of compute energy", None, "x",
            formula=lambda c: c["memory_energy"] / c["compute_energy"], decimals=2),
    ),
    note="The two charts are images; the text quotes these two values.",
)

_HBM3 = "HBM3 6.4Gbps（SK 海力士）"

HBM_VS_DRAM = _exhibit(
    id="s2.3.1_hbm_vs_dram",
    title_zh="HBM 与 LPDDR5、DDR5、GDDR6 及标准 DRAM 对比",
    title_en="HBM against LPDDR5, DDR5, GDDR6 and standard DRAM: bandwidth, pins, footprint, layers",
    source=f"{CSC} §2.3.1「是 LPDDR5 的近 100 倍，较 DDR5、GDDR6 高出 10 倍以上」,「拥有高达 1024 个 DQ 引脚」, 图表80, 图表81; "
           "§2.1.3「业界首款 12 层 24GB HBM3」; DDR4 from 图表93",
    axis="value",
    rows=(
        Row("hbm3_gbs", "HBM3 bandwidth per stack (6.4 Gb/s × 1024 bit ÷ 8)", "HBM3 带宽达", "GB/s",
            formula=lambda c: c.other("s2.3.1_hbm_bandwidth", "bandwidth", _HBM3), decimals=0),
        Row("vs_lpddr5", "Against LPDDR5, nearly", "是 LPDDR5 的近", "x", input="hbm3_vs_lpddr5", decimals=0,
            note="'近 100 倍' read as 100"),
        Row("lpddr5_gbs", "LPDDR5 bandwidth the multiple implies", None, "GB/s",
            formula=lambda c: c["hbm3_gbs"] / c["vs_lpddr5"], decimals=2),
        Row("vs_ddr5_min", "Against DDR5 and GDDR6, more than", "较 DDR5、GDDR6 高出", "x", input="hbm3_vs_ddr5_min",
            decimals=0, note="'10 倍以上' read as at least 10"),
        Row("ddr5_gbs_max", "DDR5 / GDDR6 bandwidth the multiple implies, less than", None, "GB/s",
            formula=lambda c: c["hbm3_gbs"] / c["vs_ddr5_min"], decimals=1),
        Row("ddr4_gbs", "DDR4 bandwidth (图表93)", None, "GB/s",
            formula=lambda c: c.other("fig93", "bandwidth_low", "片外 DDR4"), decimals=0),
        Row("vs_ddr4", "HBM3 against 图表93's DDR4", None, "x", formula=lambda c: c["hbm3_gbs"] / c["ddr4_gbs"],
            decimals=1),
        Row("vs_ddr4_above_min", "That above the '10 倍以上' (1 = yes)", None, "flag",
            formula=lambda c: where(c["vs_ddr4"] > c["vs_ddr5_min"], 1, 0), decimals=0),
        Row("dq_chip", "DQ pins of a DRAM chip", "每个芯片有八个 DQ 引脚", "count", input="dram_dq_pins_per_chip",
            decimals=0),
        Row("dq_dimm", "DQ pins of a DIMM", "共有", "count", input="dimm_dq_pins", decimals=0),
        Row("chips_per_dimm", "DRAM chips' worth of pins a DIMM gathers", None, "x",
            formula=lambda c: c["dq_dimm"] / c["dq_chip"], decimals=0),
        Row("dq_hbm", "DQ pins of an HBM stack", "拥有高达", "count", input="hbm_dq_pins", decimals=0),
        Row("hbm_vs_dimm", "HBM pins against a DIMM's", None, "x", formula=lambda c: c["dq_hbm"] / c["dq_dimm"],
            decimals=0),
        Row("footprint", "HBM footprint smaller than standard DRAM's, more than", "比标准 DRAM 小", "x",
            input="hbm_footprint_vs_dram_min", decimals=0),
        Row("sk_layers", "SK hynix's first 12-layer HBM3: layers", "业界首款", "count", input="skhynix_12hi_layers",
            decimals=0),
        Row("sk_gb", "Its capacity", "层", "GB", input="skhynix_12hi_gb", decimals=0),
        Row("sk_gb_per_die", "Capacity per DRAM die", None, "GB", formula=lambda c: c["sk_gb"] / c["sk_layers"],
            decimals=0),
        Row("months_to_volume", "Months from SK hynix's HBM3 release to volume production", "发布", "months",
            formula=lambda c: c.inp("hbm3_months_to_volume") * DAYS_PER_YEAR / MONTHS_PER_YEAR, decimals=0),
    ),
    note="'近 100 倍' read as 100 and '10 倍以上' as at least 10; the bandwidths they imply are upper "
         "bounds for one device of each kind, which the report does not define (per chip, channel or DIMM).",
)


def _per_pin(c):
    return c["bandwidth_low"] * BITS_PER_BYTE / c["width_bits"]


FIG93 = _exhibit(
    id="fig93",
    title_zh="不同存储墙的带宽、功耗对比",
    title_en="The memory wall: bandwidth, width and energy of off-chip HBM and DDR4, on-chip SRAM and compute",
    source=f"{CSC} 图表93 (§2.3.2; 电子发烧友) and §2.3.2「整个过程的无用能耗大概在 60%-90%之间」",
    axis="fig93_kinds",
    rows=(
        Row("bandwidth_low", "Data bandwidth (SRAM: lower end)", "数据带宽", "GB/s", input="fig93_bandwidth_low_gbs",
            decimals=0),
        Row("bandwidth_high", "Data bandwidth (SRAM: upper end)", "数据带宽", "GB/s", input="fig93_bandwidth_high_gbs",
            decimals=0),
        Row("width_printed", "Width as printed", "位宽", "text", text=("1024-bit", "64bit", "8bit、16bit、32bit", None)),
        Row("width_bits", "Bus width (data lines)", None, "count", input="fig93_width_bits", decimals=0),
        Row("per_pin", "Data rate per line (bandwidth × 8 ÷ width)", None, "Gbps", formula=_per_pin, decimals=2),
        Row("energy", "Energy to move data (计算功耗: of the operation)", "数据搬运能耗", "pJ", input="fig93_energy_pj",
            decimals=0, note="10nj read as 10,000 pJ; the table does not say per what, read per operation's operand"),
        Row("energy_vs_compute", "Against the energy of the operation", None, "x",
            formula=lambda c: c["energy"] / c.at("energy", len(c.columns) - 1), decimals=0),
        Row("wasted_one_op", "Share wasted when each operation moves its data once from there", None, "%",
            formula=_vendors_only(lambda c: c["energy"] / (c["energy"] + c.at("energy", len(c.columns) - 1))),
            decimals=2),
        Row("wasted_low", "Energy wasted, lower end (§2.3.2)", "整个过程的无用能耗大概在", "%",
            formula=only_input("计算功耗", "memory_wall_wasted_low"), decimals=0),
        Row("wasted_high", "Energy wasted, upper end (§2.3.2)", "整个过程的无用能耗大概在", "%",
            formula=only_input("计算功耗", "memory_wall_wasted_high"), decimals=0),
        Row("ops_per_dram_move_low", "Operations per DDR4 move, lower end", None, "count",
            formula=only("计算功耗", lambda c: c.at("energy", 1) * (1 - c["wasted_low"]) / (c["energy"] * c["wasted_low"])),
            decimals=0),
        Row("ops_per_dram_move_high", "Operations per DDR4 move, upper end", None, "count",
            formula=only("计算功耗", lambda c: c.at("energy", 1) * (1 - c["wasted_high"]) / (c["energy"] * c["wasted_high"])),
            decimals=0),
    ),
    note="10nj is transcribed as 10,000 pJ. The table does not say per what the energies are; read "
         "per operation's operand, a move from DDR4 costs 2,000 times the operation, so 60-90% wasted means "
         "one move from DRAM every 222 to 1,333 operations (the rest from on-chip memory).",
)

MEMORY_WALL_TEXT = _exhibit(
    id="s2.3.2_cim_figures",
    title_zh="存算一体：NOR flash 单片算力、大算力范围与 PRIME",
    title_en="Compute-in-memory figures: NOR-flash compute per chip, 'large compute', PRIME",
    source=f"{CSC} §2.3.2「NOR flash 单片算力达到 1TOPS 以上器件代价较大」,「功耗降低 20 倍，速度提高 50 倍」",
    axis="value",
    rows=(
        Row("nor_tops", "NOR flash compute per chip beyond which the device gets costly", "NOR flash 单片算力达到", "TOPS",
            input="nor_flash_tops_min", decimals=0),
        Row("large_low", "What the industry calls large compute, lower end", "通常业内大算力一般是", "TOPS",
            input="cim_large_tops_low", decimals=0),
        Row("large_high", "What the industry calls large compute, upper end", "通常业内大算力一般是", "TOPS",
            input="cim_large_tops_high", decimals=0),
        Row("nor_chips_low", "NOR-flash chips at 1 TOPS for the lower end of large compute", None, "count",
            formula=lambda c: c["large_low"] / c["nor_tops"], decimals=0),
        Row("prime_power", "PRIME: power reduced", "功耗降低", "x", input="prime_power_reduction", decimals=0),
        Row("prime_speed", "PRIME: speed increased", "速度提高", "x", input="prime_speedup", decimals=0),
        Row("prime_energy", "PRIME: energy per task reduced (power × time)", None, "x",
            formula=lambda c: c["prime_power"] * c["prime_speed"], decimals=0),
    ),
    note="PRIME's 150nm process is a node name, not a quantity any model reads. The energy reduction reads "
         "'功耗' as power.",
)


# ------------------------------------------------------------------------------- §2.1-§2.2 chip figures of the text
_FP16 = "a100_fp16_tflops"

CHIP_TEXT = _exhibit(
    id="s2_chip_figures",
    title_zh="AI 芯片正文数据：NVSwitch、GPU 定义、RTX 40、RDNA 3、BR100、T4、CUDA、昆仑芯",
    title_en="Chip figures of §2's text, and BR100's '3 times the flagship' checked against the A100",
    source=f"{CSC} §2.1.1「16 个 GPU 都被视为一」个 GPU,「能够每秒处理至少 1000 万个多边形」; §2.2「拥有 760 亿晶体管和 18000 个 CUDA 核心」,"
           "「达到国际厂商在售旗舰产品 3 倍以」上,「以及优于 CPU 40 倍的低延时高吞吐量」,「已经积累 300 个加速库和 400 个 AI 模型」",
    axis="value",
    rows=(
        Row("nvswitch_gpus", "GPUs NVSwitch makes one to a program", "个 GPU 都被视为一", "count",
            input="nvswitch_gpus_as_one", decimals=0),
        Row("polygons", "Polygons per second in NVIDIA's 1999 GPU definition, at least", "能够每秒处理至少", "万",
            input="geforce256_polygons_per_s", decimals=0),
        Row("rtx40_transistors", "RTX 40 transistors", "拥有", "亿", input="rtx40_transistors", decimals=0),
        Row("rtx40_cores", "RTX 40 CUDA cores (text)", "晶体管和", "count", input="rtx40_cuda_cores", decimals=0,
            note="图表55 prints 16384 for the RTX 4090"),
        Row("rtx40_core_increase", "Architecture cores against Ampere, about", "架构核心数量增加约", "%",
            input="rtx40_core_increase", decimals=0),
        Row("rtx40_ampere_cores", "Ampere cores the two imply", None, "count",
            formula=lambda c: c["rtx40_cores"] / (1 + c["rtx40_core_increase"]), decimals=0,
            note="图表14's Ampere column has 6912, the A100's count (图表58): the text compares with another Ampere part"),
        Row("rtx40_perf_per_watt", "Performance per watt against Ampere, nearly", "比提升近", "x",
            input="rtx40_perf_per_watt", decimals=0),
        Row("rdna3_gain", "RDNA 3 performance per watt against RDNA 2, increase", "每瓦性能提升", "%",
            input="rdna3_perf_per_watt_gain", decimals=0),
        Row("br100_fp16", "壁仞 BR100 16-bit floating point, more than", "16 位浮点算力达到", "TFLOPS",
            input="br100_fp16_tflops_min", decimals=0),
        Row("br100_claim", "BR100 against the flagship on sale, more than", "达到国际厂商在售旗舰产品", "x",
            input="br100_vs_flagship_min", decimals=0),
        Row("a100_fp16", "A100 SXM FP16 tensor, dense (图表42)", None, "TFLOPS", input=_FP16, decimals=0),
        Row("br100_vs_a100", "BR100 against the A100", None, "x", formula=lambda c: c["br100_fp16"] / c["a100_fp16"],
            decimals=2),
        Row("br100_claim_holds", "That at least the claim (1 = yes)", None, "flag",
            formula=lambda c: where(c["br100_vs_a100"] >= c["br100_claim"], 1, 0), decimals=0),
        Row("h100_fp16", "H100 SXM FP16 tensor, dense (图表42)", None, "TFLOPS", input="h100_fp16_tflops", decimals=0),
        Row("br100_vs_h100", "BR100 against the H100", None, "x", formula=lambda c: c["br100_fp16"] / c["h100_fp16"],
            decimals=2),
        Row("t4_vs_cpu", "T4 against a CPU (latency and throughput)", "以及优于 CPU", "x", input="t4_vs_cpu", decimals=0),
        Row("cuda_libraries", "CUDA acceleration libraries", "已经积累", "count", input="cuda_libraries", decimals=0),
        Row("cuda_models", "AI models in the CUDA ecosystem", "个加速库和", "count", input="cuda_models", decimals=0),
        Row("kunlun2_low", "昆仑芯 2 against 昆仑芯 1, lower end", "性能提升", "x", input="kunlun2_vs_gen1_low", decimals=0),
        Row("kunlun2_high", "昆仑芯 2 against 昆仑芯 1, upper end", "性能提升", "x", input="kunlun2_vs_gen1_high",
            decimals=0),
    ),
    note="'在售旗舰' (the flagship on sale) is read as the A100, the training GPU the report's models use: "
         "1000/312 = 3.2, so '3 倍以上' holds; against the H100 (990) it would be 1.0.",
)


# ------------------------------------------------------------------------------- §2.1.3: the text against the tables
TEXT_213 = _exhibit(
    id="s2.1.3_text_checks",
    title_zh="正文数据与图表49/50 的核对：2023 年 A100 总量、ChatGPT 日活、Token 与单词",
    title_en="The text's figures checked against 图表49 and 图表50: 2023 A100s, ChatGPT users, words per token",
    source=f"{CSC} 摘要, §1.3 and §2.1.3「A100 总量超过 200 万张」; §2.1.3「ChatGPT 的日活用户数达到 1300 万」,"
           "「平均每 1000 个 Token 对应 750 个单词」",
    axis="value",
    rows=(
        Row("a100_claim", "A100s 2023's training compute comes to, more than", "A100 总量超过", "万张",
            input="headline_a100_2023_min", decimals=0),
        Row("a100_fig49", "A100s of 图表49, 2023E", None, "万张",
            formula=lambda c: c.other("fig49", "a100_total", "2023E"), decimals=2),
        Row("a100_margin", "图表49 above the claim", None, "%", formula=lambda c: c["a100_fig49"] / c["a100_claim"] - 1,
            decimals=1),
        Row("a100_claim_holds", "Claim holds (1 = yes)", None, "flag",
            formula=lambda c: where(c["a100_fig49"] > c["a100_claim"], 1, 0), decimals=0),
        Row("h100_fig49", "The same compute on H100s (图表49, 2023E)", None, "万张",
            formula=lambda c: c.other("fig49", "h100_total", "2023E"), decimals=2),
        Row("chatgpt_dau", "ChatGPT daily users, January 2023 (Similarweb)", "ChatGPT 的日活用户数达到", "亿人",
            input="chatgpt_dau_2023_01", decimals=2),
        Row("mm_dau_2023", "Multimodal LLM daily users, 2023E (图表50)", None, "亿人",
            formula=lambda c: c.other("fig50", "mm_dau", "2023E"), decimals=2),
        Row("std_dau_2023", "Ordinary LLM daily users, 2023E (图表50)", None, "亿人",
            formula=lambda c: c.other("fig50", "std_dau", "2023E"), decimals=2),
        Row("mm_vs_chatgpt", "图表50's multimodal users against ChatGPT's", None, "x",
            formula=lambda c: c["mm_dau_2023"] / c["chatgpt_dau"], decimals=2),
        Row("words", "Words per 1000 tokens", "个 Token 对应", "count", input="words_per_1000_tokens", decimals=0),
        Row("words_per_query", "Words of 图表50's 1000-token query", None, "count",
            formula=lambda c: c["words"] * c.other("fig50", "std_tokens_per_query", "2023E") / 1000, decimals=0),
    ),
    note="The headline's '超过 200 万张' holds: 图表49 gives 276.63万 A100 for 2023E (87.18万 H100).",
)


# ------------------------------------------------------------------------------- 摘要 / §8 Google search
def _fig50(key: str):
    return lambda c: c.other("fig50", key, "2023E")


GOOGLE = _exhibit(
    id="s8_google_search",
    title_zh="Google 搜索每年调用次数与大模型推理算力",
    title_en="What Google's 2万亿 searches a year would need on 图表50's ordinary LLM (2023E)",
    source=f"{CSC} 摘要 and §8「超过 2 万亿，一旦和大模型结合」; the model and its inputs are 图表50's",
    axis="value",
    rows=(
        Row("searches", "Google searches per year, more than", "每年调用次数至少", "亿", input="google_searches_per_year_min",
            decimals=0, note="'至少超过 2 万亿' read as 2万亿, each search one query of 图表50's ordinary LLM"),
        Row("per_day", "Searches per day", None, "亿", formula=lambda c: c["searches"] / DAYS_PER_YEAR, decimals=2),
        Row("per_second", "Searches per second, on average", None, "count",
            formula=lambda c: c["per_day"] / SECONDS_PER_DAY, decimals=0),
        Row("std_queries_2023", "Ordinary-LLM queries per day, 2023E (图表50: users × 10)", None, "亿",
            formula=lambda c: _fig50("std_dau")(c) * _fig50("std_queries")(c), decimals=2),
        Row("vs_std_2023", "Google's searches against them", None, "x",
            formula=lambda c: c["per_day"] / c["std_queries_2023"], decimals=1),
        Row("params", "Ordinary LLM parameters, 2023E (图表50)", None, "亿", formula=_fig50("std_params"), decimals=0),
        Row("tokens_per_query", "Tokens per query (图表50)", None, "count", formula=_fig50("std_tokens_per_query"),
            decimals=0),
        Row("flop_per_day", "Inference compute per day: searches × tokens × 2N", None, "EFLOP",
            formula=lambda c: inference.daily_flop_of_queries(
                inference.infer_flops(c["params"], c["tokens_per_query"], c.inp("infer_flops_per_param_token")),
                c["per_day"], 1), decimals=0),
        Row("average", "Average compute", None, "EFLOPS", formula=lambda c: inference.average_flops(c["flop_per_day"]),
            decimals=2),
        Row("peak", "Peak compute (图表50's ×5 concurrency)", None, "EFLOPS",
            formula=lambda c: inference.peak_flops(c["average"], _fig50("std_peak_multiplier")(c)), decimals=2),
        Row("vs_std_peak", "Against 图表50's ordinary-LLM peak, 2023E", None, "x",
            formula=lambda c: c["peak"] / _fig50("std_peak")(c), decimals=1),
        Row("a100s", "A100s at 图表50's 30% utilisation, applied once", None, "万张",
            formula=lambda c: accelerators(c["peak"], _fig50("a100_tflops")(c), _fig50("utilization")(c)), decimals=2),
    ),
    note="Read with 图表50's ordinary LLM of 2023E (2000亿 parameters, 1000 tokens a query, 2N per token, "
         "peak 5× the average, A100 at 312 TFLOPS and 30%, applied once as erratum E01 says it should be): "
         "2万亿 searches a year are 27.4 times the ordinary LLMs' 2亿 queries a day and would need 135.5万 "
         "A100s. The search count is held flat; the report gives no growth for it.",
)


# ------------------------------------------------------------------------------- §3.1 servers and cost shares
FIG101 = _exhibit(
    id="fig101",
    title_zh="通用服务器与 AI 服务器的不同",
    title_en="General against AI servers: CPUs and GPUs",
    source=f"{CSC} 图表101 (§3.1.1; IDC)「硬件架构」: 2CPU; 2CPU+8GPU、CPU+TPU 等",
    axis="fig101_servers",
    rows=(
        Row("cpus", "CPUs", "硬件架构", "count", input="fig101_cpus", decimals=0),
        Row("gpus", "GPUs", "硬件架构", "张", input="fig101_gpus", decimals=0,
            note="the general server's '2CPU' names no GPU: blank"),
        Row("gpus_per_cpu", "GPUs per CPU", None, "x", formula=lambda c: c["gpus"] / c["cpus"], decimals=0),
    ),
)

FIG102 = _exhibit(
    id="fig102",
    title_zh="GPU 与 CPU 产品特点：核心数量",
    title_en="GPU cores: two M40 cards, and the Maxwell core count it implies",
    source=f"{CSC} 图表102 (§3.1.1; IDC)「数千个加速核心（双」卡M40高达 6144个加速核心）",
    axis="value",
    rows=(
        Row("cores", "Accelerator cores of two M40 cards", "双卡M40高达", "count", input="fig102_dual_m40_cores",
            decimals=0),
        Row("cards", "Cards", None, "张", input="fig102_m40_cards", decimals=0),
        Row("cores_per_card", "Cores per M40", None, "count", formula=lambda c: c["cores"] / c["cards"], decimals=0,
            note="图表14's Maxwell has 3072 CUDA cores: the two agree"),
    ),
)


def _fig107(key: str, column: str):
    return lambda c: c.other("fig107", key, column)


_A800_8, _A800_6, _T4_8, _T4_4 = "训练 8×A800-80G", "训练 6×A800-80G", "推理 8×T4-16G", "推理 4×T4-16G"

GPU_SHARE = _exhibit(
    id="s3.1.2_gpu_cost_share",
    title_zh="AI 服务器 GPU 成本占比：正文与图表107",
    title_en="GPU share of an AI server's cost: the text's 7 成, 2-3 成 and 25% against 图表107",
    source=f"{CSC} 摘要 and §3.1.2「约 7 成以上由 GPU」构成,「其 GPU 成本约为 2-3 成」,「推理型 AI 服务器的 GPU 成本占比约为 25%左」右; "
           "摘要「均价常达到百万元以上」,「价格常在 20-30 万」; 图表106, 图表107",
    axis="value",
    rows=(
        Row("training_min", "Training server, more than", "约 7 成以上由 GPU", "%", input="gpu_share_training_min",
            decimals=0),
        Row("a800_8", "8×A800 (图表107)", None, "%", formula=_fig107("gpu_share", _A800_8), decimals=2),
        Row("a800_6", "6×A800 (图表107)", None, "%", formula=_fig107("gpu_share", _A800_6), decimals=2),
        Row("a800_6_below", "6×A800 below the 7 成 (1 = yes)", None, "flag",
            formula=lambda c: where(c["a800_6"] < c["training_min"], 1, 0), decimals=0),
        Row("inference_low", "Inference server, lower end", "其 GPU 成本约为", "%", input="gpu_share_inference_low",
            decimals=0),
        Row("inference_high", "Inference server, upper end", "其 GPU 成本约为", "%", input="gpu_share_inference_high",
            decimals=0),
        Row("inference_mid", "Midpoint of 2-3 成", None, "%",
            formula=lambda c: (c["inference_low"] + c["inference_high"]) / 2, decimals=0),
        Row("inference_text", "Inference server, as §3.1.2 sums it up", "推理型 AI 服务器的 GPU 成本占比约为", "%",
            input="gpu_share_inference_text", decimals=0,
            note="'约为 25%左右' read as 25%: the midpoint of 2-3 成, which the 8×T4's 28% is said to confirm"),
        Row("t4_8", "8×T4 (图表107)", None, "%", formula=_fig107("gpu_share", _T4_8), decimals=2),
        Row("t4_4", "4×T4 (图表107)", None, "%", formula=_fig107("gpu_share", _T4_4), decimals=2),
        Row("t4_mean", "Mean of the two T4 servers", None, "%", formula=lambda c: (c["t4_8"] + c["t4_4"]) / 2,
            decimals=1),
        Row("t4_8_within", "8×T4 within 2-3 成 (1 = yes)", None, "flag",
            formula=lambda c: checks.within(c["t4_8"], c["inference_low"], c["inference_high"]), decimals=0),
        Row("t4_4_within", "4×T4 within 2-3 成 (1 = yes)", None, "flag",
            formula=lambda c: checks.within(c["t4_4"], c["inference_low"], c["inference_high"]), decimals=0),
        Row("training_price_min", "Training server price, usually more than", "均价常达到", "万元",
            input="training_server_price_min", decimals=0),
        Row("a800_8_price", "8×A800 server price (图表107)", None, "万元", formula=_fig107("price", _A800_8), decimals=2),
        Row("a800_6_price", "6×A800 server price (图表107)", None, "万元", formula=_fig107("price", _A800_6), decimals=2),
        Row("inference_price_low", "Inference server price, lower end", "价格常在", "万元",
            input="inference_server_price_low", decimals=0),
        Row("inference_price_high", "Inference server price, upper end", "价格常在", "万元",
            input="inference_server_price_high", decimals=0),
        Row("t4_8_price_within", "8×T4 price within 20-30万 (1 = yes)", None, "flag",
            formula=lambda c: checks.within(_fig107("price", _T4_8)(c), c["inference_price_low"],
                                            c["inference_price_high"]), decimals=0),
        Row("t4_4_price_within", "4×T4 price within 20-30万 (1 = yes)", None, "flag",
            formula=lambda c: checks.within(_fig107("price", _T4_4)(c), c["inference_price_low"],
                                            c["inference_price_high"]), decimals=0),
    ),
    note="25% is the midpoint of 2-3 成; 图表107's two T4 servers give 27.6% and 17.2% (mean 22.4%), and "
         "§3.1.2 says the 8×T4's 28% 'confirms' about 25%. The 4×T4 server (17%) is below 2 成 and the 6×A800 "
         "server (68%) below 7 成, both within the 'about' (约) of the text.",
)


# ------------------------------------------------------------------------------- §3.2.2 China GPU servers
def _china(c):
    return c.inp("market_china_actual_usd")


def _non_gpu_all(c):
    if c.label == "2022":
        return c["non_gpu_market"]
    return c.at("non_gpu_market", 1) / (1 + c.at("non_gpu_growth", 1))


def _rounded_yi(x):
    return round_half_up(x / YI, 0) * YI


CHINA_GPU = _exhibit(
    id="s3.2.2_china_gpu_servers",
    title_zh="2022 年中国 GPU 服务器与非 GPU 加速服务器",
    title_en="China's 2022 AI-server market split into GPU and non-GPU servers (IDC), and what 2021 it implies",
    source=f"{CSC} §3.2.2 (IDC)「市场份额为 89%至 60 亿美元」,「非 GPU 加速服务器以同比 12%的增速占有」了 11%的市场份额,"
           "「11%的市场份额，达到 7 亿美元」; the market is 图表8's (IDC: 54.0, 67.0 亿美元)",
    axis="market_actuals",
    errata=("E72",),
    rows=(
        Row("market", "China AI-server market (IDC)", "中国 AI 服务器市场规模", "亿美元", formula=_china, decimals=1),
        Row("gpu_share", "GPU servers' share", "市场份额为", "%",
            formula=only_input("2022", "china_gpu_server_share_2022"), decimals=0),
        Row("gpu_market", "GPU servers", "至", "亿美元", formula=only("2022", lambda c: c["market"] * c["gpu_share"]),
            decimals=0),
        Row("non_gpu_share", "Non-GPU accelerated servers' share: the rest", "的增速占有了", "%",
            formula=only("2022", lambda c: 1 - c["gpu_share"]), decimals=0),
        Row("non_gpu_market", "Non-GPU accelerated servers", "达到", "亿美元",
            formula=only("2022", lambda c: c["market"] * c["non_gpu_share"]), decimals=0),
        Row("non_gpu_growth", "Non-GPU growth", "以同比", "%",
            formula=only_input("2022", "china_non_gpu_server_growth_2022"), decimals=0),
        Row("share_of_rounded", "GPU share of the rounded 60 + 7 亿美元", None, "%",
            formula=only("2022", lambda c: _rounded_yi(c["gpu_market"])
                         / (_rounded_yi(c["gpu_market"]) + _rounded_yi(c["non_gpu_market"]))), decimals=1),
        Row("non_gpu_all", "Non-GPU servers (2021: 2022's less the growth)", None, "亿美元", formula=_non_gpu_all,
            decimals=2),
        Row("gpu_all", "GPU servers (2021: the market less non-GPU)", None, "亿美元",
            formula=lambda c: c["market"] - c["non_gpu_all"], decimals=2),
        Row("gpu_share_all", "GPU servers' share", None, "%", formula=lambda c: c["gpu_all"] / c["market"], decimals=1),
        Row("gpu_growth", "GPU servers' growth", None, "%",
            formula=lambda c: growth.yoy(c["gpu_all"], c.prev("gpu_all")), decimals=1),
    ),
    note="89% of 67 is 59.6 (printed 60) and 11% is 7.4 (printed 7); 60/(60+7) is 89.6%, so the printed 89% "
         "is IDC's share, not the rounded values' (within their rounding: E72, a rounding note). With non-GPU servers "
         "up 12%, 2021's were 6.58亿, GPU servers 47.42亿 (87.8% of 54.0), growing 25.7% to 2022.",
)


# ------------------------------------------------------------------------------- §3.3 vendor shares
FIG110 = _exhibit(
    id="fig110",
    title_zh="2022 年上半年全球 AI 服务器市场份额",
    title_en="Global AI-server market shares, H1 2022 (IDC)",
    source=f"{CSC} 图表110 (a chart) and §3.3.1「14.1%、7.7%、5.6%、4.7%的市场份额位居前五位」,「因此非品牌商份额占比较高，接近 50%」; "
           "§3.3.3「预计 2023 年 ODM 海外产能比重将升至 50%」",
    axis="fig110_columns",
    rows=(
        Row("share", "Market share", "2022 年上半年全球 AI 服务器市场份额", "%",
            input="idc_ai_server_share_global_h1_2022", decimals=1),
        Row("total", "The five together", None, "%", formula=total_of("share"), decimals=1),
        Row("non_brand", "Non-brand (ODM) share, nearly", "非品牌商份额占比较高，接近", "%",
            formula=only_input(TOTAL, "idc_ai_server_non_brand_share"), decimals=0, note="'接近 50%' read as 50%"),
        Row("other_brands", "Other brands: what the five and the non-brand leave", None, "%",
            formula=only(TOTAL, lambda c: 1 - c["total"] - c["non_brand"]), decimals=1),
        Row("gap_to_leader", "Points behind 浪潮信息", None, "%", formula=_vendors_only(
            lambda c: c.at("share", 0) - c["share"]), decimals=1),
        Row("odm_capacity_2023", "ODM share of overseas capacity, 2023 (§3.3.3)", "ODM 海外产能比重将升至", "%",
            formula=only_input(TOTAL, "odm_overseas_capacity_share_2023"), decimals=0),
    ),
    note="'接近 50%' read as 50%: the five brands' 47.2% and the non-brand half leave 2.8% to other brands.",
)


FIG111 = _exhibit(
    id="fig111",
    title_zh="2022 年中国 AI 服务器市场份额",
    title_en="China AI-server market shares by sales, 2022 (IDC)",
    source=f"{CSC} 图表111 (a chart) and §3.3.2「市场份额分别为 47%、11%、9%」; §3.3.3「ODM 厂商份额不足两成」and "
           "「三大 OEM 厂商占据 67%市场份额」; §3.5.1「且在中国 AI 加速计算市场市占率连续多年接近」或超过 50%",
    axis="fig111_columns",
    rows=(
        Row("share", "Market share", "2022 年中国 AI 服务器市场份额", "%", input="idc_ai_server_share_china_2022",
            decimals=0),
        Row("total", "The three together (§3.3.3)", "三大 OEM 厂商占据", "%", formula=total_of("share"), decimals=0),
        Row("others", "Everyone else", None, "%", formula=only(TOTAL, lambda c: 1 - c["total"]), decimals=0),
        Row("odm_max", "ODM vendors, less than", "ODM 厂商份额不足", "%", formula=only_input(TOTAL, "china_odm_share_max"),
            decimals=0),
        Row("other_oem_min", "Other OEM vendors, more than (everyone else less the ODM)", None, "%",
            formula=only(TOTAL, lambda c: c["others"] - c["odm_max"]), decimals=0),
        Row("inspur_claim", "浪潮信息 'for years', nearly or more than (§3.5.1)", "连续多年接近", "%",
            formula=only_input("浪潮信息", "inspur_china_share_claim"), decimals=0),
        Row("inspur_short", "2022's share below that", None, "%",
            formula=only("浪潮信息", lambda c: c["inspur_claim"] - c["share"]), decimals=0),
    ),
    note="The three largest add up to the 67% §3.3.3 prints.",
)


# ------------------------------------------------------------------------------- §3.4 OEM forecasts
OEM = _exhibit(
    id="s3.4_oem_forecasts",
    title_zh="戴尔、HPE 下调全年出货量预估；国内 AI 服务器订单",
    title_en="Dell's and HPE's 2023 shipment forecasts against the market's, and China's AI-server orders",
    source=f"{CSC} §3.4.1 (TrendForce)「同比分别减少」15%、12%,「同比减少 2.85%」; §3.4.2「一季度相关厂商新增订单同比超 4」成",
    axis="value",
    rows=(
        Row("dell", "Dell's 2023 shipments forecast, decline", "同比分别减少", "%", input="dell_shipments_2023_change",
            decimals=0, note="read as the revised 2023 forecast against 2022's shipments"),
        Row("hpe", "HPE's 2023 shipments forecast, decline", "同比分别减少", "%", input="hpe_shipments_2023_change",
            decimals=0, note="read as the revised 2023 forecast against 2022's shipments"),
        Row("market", "Global server shipments 2023, decline (TrendForce)", "同比减少", "%", input="srv_shipments_decline",
            decimals=2),
        Row("dell_vs_market", "Dell's decline against the market's", None, "x",
            formula=lambda c: c["dell"] / c["market"], decimals=1),
        Row("hpe_vs_market", "HPE's decline against the market's", None, "x", formula=lambda c: c["hpe"] / c["market"],
            decimals=1),
        Row("orders_q1", "China AI-server vendors' new orders, Q1 2023, growth, more than", "新增订单同比超", "%",
            input="china_ai_server_orders_q1_growth_min", decimals=0),
    ),
    note="'下调全年出货量预估，同比分别减少 15%、12%' is read as the revised forecasts being 15% and 12% below "
         "2022's shipments (not cuts of 15% and 12% to the earlier forecasts).",
)


# ------------------------------------------------------------------------------- §3.5 company figures
COMPANIES = _exhibit(
    id="s3.5_company_figures",
    title_zh="标的推荐中的公司数据",
    title_en="Company figures of §3.5: Inspur NF5688M6, 拓维信息, Lenovo",
    source=f"{CSC} §3.5.1「NF5688M6（拥有高达 5 PFLOPS 的强大 AI 计算性能）」, §3.5.3「覆盖全国 31 个省级行政区、海外 10 多个国家」,"
           "「服务超过 1500 家政企客户」, §3.5.4「联想在全球个人 PC 市场深耕近 20 年」",
    axis="value",
    errata=("E70",),
    rows=(
        Row("nf5688m6", "Inspur NF5688M6 AI compute, up to", "拥有高达", "PFLOPS", input="nf5688m6_pflops", decimals=0),
        Row("nf5688m6_per_gpu", "Per GPU of its 8 (图表101's 8 GPUs a server)", None, "TFLOPS",
            formula=lambda c: c["nf5688m6"] / c.other("fig101", "gpus", "AI 服务器") / TERA, decimals=0),
        Row("a100_fp16", "A100 SXM FP16 tensor, dense (图表42)", None, "TFLOPS", input=_FP16, decimals=0),
        Row("per_gpu_vs_a100", "That against the A100's dense FP16", None, "x",
            formula=lambda c: c["nf5688m6_per_gpu"] / c["a100_fp16"], decimals=2),
        Row("provinces", "拓维信息: provinces covered", "覆盖全国", "count", input="talkweb_provinces", decimals=0),
        Row("countries", "拓维信息: countries abroad, more than", "海外", "count", input="talkweb_countries_min",
            decimals=0),
        Row("customers", "拓维信息: customers, more than", "服务超过", "count", input="talkweb_customers_min", decimals=0),
        Row("lenovo_pc_years", "Years Lenovo has worked the PC market, nearly", "深耕近", "years",
            formula=lambda c: c.inp("lenovo_pc_years") * DAYS_PER_YEAR, decimals=0),
    ),
    note="5 PFLOPS over 8 A100s is 625 TFLOPS each: the A100's FP16 tensor rate with sparsity (NVIDIA A100 "
         "datasheet (2020): 624), not the dense 312 the report's models use (erratum E70).",
)


# ------------------------------------------------------------------------------- §4 capex, valuation, 800G modules
def _compound(*keys):
    return lambda c: reduce(lambda a, b: a * b, (1 + c.inp(k) for k in keys))


FAAM = _exhibit(
    id="s4_cloud_capex",
    title_zh="北美云厂商资本开支",
    title_en="Capex of the four North-American clouds (Facebook, Amazon, Alphabet, Microsoft)",
    source=f"{CSC} §4「2016-2018 Capex 增速为 29.65%、27.94%、62.74%」,「北美四家云厂商资本开支 395.04 亿美元，同比增长 8.07%」; 图表130",
    axis="value",
    rows=(
        Row("growth_2016", "Capex growth 2016", "Capex 增速为", "%", input="faam_capex_growth_2016", decimals=2),
        Row("growth_2017", "Capex growth 2017", "Capex 增速为", "%", input="faam_capex_growth_2017", decimals=2),
        Row("growth_2018", "Capex growth 2018", "Capex 增速为", "%", input="faam_capex_growth_2018", decimals=2),
        Row("multiple_2015_2018", "Capex 2018 against 2015", None, "x",
            formula=_compound("faam_capex_growth_2016", "faam_capex_growth_2017", "faam_capex_growth_2018"),
            decimals=2),
        Row("cagr_2015_2018", "Capex CAGR 2015-2018", None, "%",
            formula=lambda c: growth.cagr(1, c["multiple_2015_2018"], 3), decimals=1),
        Row("amazon_2019q3", "Amazon capex growth, 2019 Q3", "亚马逊 2019Q3 Capex 同比增长", "%",
            input="amazon_capex_growth_2019q3", decimals=2),
        Row("capex_2022q4", "Capex, 2022 Q4", "北美四家云厂商资本开支", "亿美元", input="faam_capex_2022q4", decimals=2),
        Row("growth_2022q4", "Capex growth, 2022 Q4", "同比增长", "%", input="faam_capex_growth_2022q4", decimals=2),
        Row("capex_2021q4", "Capex, 2021 Q4, the growth implies", None, "亿美元",
            formula=lambda c: checks.prior_from_growth(c["capex_2022q4"], c["growth_2022q4"]), decimals=2),
        Row("growth_q1q3_min", "Growth of each of Q1-Q3 2022, basically at least", "单季同比增速基本都在", "%",
            input="faam_capex_growth_2022q1q3_min", decimals=0),
        Row("slowed", "2022 Q4 below that (1 = yes)", None, "flag",
            formula=lambda c: where(c["growth_2022q4"] < c["growth_q1q3_min"], 1, 0), decimals=0),
        Row("amazon_2022q4", "Amazon capex growth, 2022 Q4", "下降", "%", input="amazon_capex_growth_2022q4", decimals=2),
    ),
)

ZHONGJI = _exhibit(
    id="s4_zhongji_valuation",
    title_zh="中际旭创估值复盘",
    title_en="中际旭创's valuation: PE-TTM highs, five-year average, 2019 and 2020 PE",
    source=f"{CSC} §4「中际旭创 2019 年 PE-TTM 高点时超过 70 倍」,「2020 年高点超过 100 倍」,"
           "「2019 年、2020 年基于当年业绩与当年市值的 PE 为 72.49x、41.91x」; 图表131",
    axis="value",
    rows=(
        Row("high_2019", "PE-TTM high of 2019, more than", "2019 年 PE-TTM 高点时超过", "x",
            input="zhongji_pe_2019_high_min", decimals=0),
        Row("high_2020", "PE-TTM high of 2020, more than", "2020 年高点超过", "x", input="zhongji_pe_2020_high_min",
            decimals=0),
        Row("avg_5y", "Average PE-TTM over five years", "PE-TTM 为", "x", input="zhongji_pe_5y_avg", decimals=2),
        Row("pe_2019", "PE of 2019 (the year's earnings and market value)", "基于当年业绩与当年市值的 PE 为", "x",
            input="zhongji_pe_2019", decimals=2),
        Row("pe_2020", "PE of 2020 (the year's earnings and market value)", "基于当年业绩与当年市值的 PE 为", "x",
            input="zhongji_pe_2020", decimals=2),
        Row("pe_2019_vs_avg", "2019's PE against the five-year average", None, "x",
            formula=lambda c: c["pe_2019"] / c["avg_5y"], decimals=2),
        Row("pe_2020_vs_avg", "2020's PE against the five-year average", None, "x",
            formula=lambda c: c["pe_2020"] / c["avg_5y"], decimals=2),
        Row("pe_change", "2020's PE against 2019's", None, "%", formula=lambda c: c["pe_2020"] / c["pe_2019"] - 1,
            decimals=1),
        Row("high_2020_vs_pe", "2020's PE-TTM high against its year PE, more than", None, "x",
            formula=lambda c: c["high_2020"] / c["pe_2020"], decimals=2),
    ),
)

FIG129 = _exhibit(
    id="fig129",
    title_zh="光模块厂商目前拥有的 800G 光模块产品：功耗",
    title_en="800G module power (图表129) and the energy per bit it means",
    source=f"{CSC} 图表129 (§4)「同时拥有功耗低于 14W的 800G」,「片，功耗 11.2W」",
    axis="value",
    rows=(
        Row("zhongji_w", "中际旭创 800G OSFP DR8+ / 2xFR4, below", "功耗低于", "W", input="fig129_zhongji_800g_kw_max",
            decimals=0),
        Row("eoptolink_w", "新易盛 800G OSFP DR8 (TFLN, 5nm DSP)", "功耗", "W", input="fig129_eoptolink_800g_kw",
            decimals=1),
        Row("gbps", "Module speed", None, "Gbps", input="fig129_module_gbps", decimals=0),
        Row("zhongji_pj_bit", "中际旭创: energy per bit, below", None, "pJ/bit",
            formula=lambda c: c["zhongji_w"] * KILO / c["gbps"] * KILO, decimals=1),
        Row("eoptolink_pj_bit", "新易盛: energy per bit", None, "pJ/bit",
            formula=lambda c: c["eoptolink_w"] * KILO / c["gbps"] * KILO, decimals=1),
        Row("eoptolink_w_per_lane", "新易盛: watts per 100G lane (8 lanes)", None, "W",
            formula=lambda c: c["eoptolink_w"] / c.inp("net_module_lanes"), decimals=2),
    ),
    note="kW × 1000 is W, W ÷ Gb/s is nJ/bit, × 1000 pJ/bit. The 8 lanes of 100G are §4's (「与光口的 8 个 100G 通道一一对应」).",
)


# ------------------------------------------------------------------------------- §5 switches, network power
FIG134 = _exhibit(
    id="fig134",
    title_zh="2022 年全球前五大以太网交换机厂商",
    title_en="Global Ethernet-switch market shares, 2022 (IDC)",
    source=f"{CSC} 图表134 (a chart) and §5「份额近 50%」,「华为列全球第二（9%）、新华三列第五（4.5%）」",
    axis="fig134_vendors",
    rows=(
        Row("share", "Market share (思科: nearly)", "2022 年全球前五大以太网交换机厂商", "%", input="global_switch_share_2022",
            decimals=1),
        Row("vs_cisco", "Against 思科", None, "x", formula=lambda c: c["share"] / c.at("share", 0), decimals=2),
    ),
)

FIG135 = _exhibit(
    id="fig135",
    title_zh="2021 年中国交换机市场份额",
    title_en="China switch market shares, 2021 (IDC)",
    source=f"{CSC} 图表135 (its labels: 38.20%, 35.16%, 14.60%, 4.81%) and §5「系仅有的两家中标者之一，获近 50%份额」",
    axis="fig135_columns",
    rows=(
        Row("share", "Market share", "2021 年中国交换机市场份额", "%", input="china_switch_share_2021", decimals=2,
            note="the chart's four labels read in the order of its legend"),
        Row("total", "The four together", None, "%", formula=total_of("share"), decimals=2),
        Row("others", "Everyone else", None, "%", formula=only(TOTAL, lambda c: 1 - c["total"]), decimals=2),
        Row("top_two", "华为 and 新华三", None, "%", formula=only(TOTAL, lambda c: c.at("share", 0) + c.at("share", 1)),
            decimals=2),
        Row("ruijie_tender", "锐捷网络's share of a China Mobile tender, nearly", "获近", "%",
            formula=only_input("星网锐捷", "ruijie_china_mobile_share"), decimals=0),
    ),
    note="The chart's labels are read in the order of its legend: 华为, 新华三, 星网锐捷 (锐捷网络's parent), 思科.",
)


def _other_power(c):
    return c["share"] / (1 - c["share"])


NETWORK_POWER = _exhibit(
    id="s5_network_power",
    title_zh="网络部分的功耗在数据中心中占比",
    title_en="The network's share of data-centre power, now and next generation (Facebook / Meta)",
    source=f"{CSC} 图表138 (Meta) and §5「功耗占比将从现在的 2%左右提升到 20%左右」",
    axis="network_power_eras",
    rows=(
        Row("share", "Network's share of data-centre power, about", "网络部分的功耗占比", "%", input="network_power_share",
            decimals=0),
        Row("rest", "Everything else", None, "%", formula=lambda c: 1 - c["share"], decimals=0),
        Row("per_rest", "Network power per unit of the rest", None, "x", formula=_other_power, decimals=3),
        Row("share_multiple", "Share against now", None, "x",
            formula=only("下一代", lambda c: c["share"] / c.prev("share")), decimals=0),
        Row("power_multiple", "Network power against now, the rest held equal", None, "x",
            formula=only("下一代", lambda c: c["per_rest"] / c.prev("per_rest")), decimals=2),
    ),
    note="A share going from 2% to 20% with the rest of the data centre's power unchanged means 12.25 times the "
         "network power (0.25 ÷ 0.0204), not 10.",
)


# ------------------------------------------------------------------------------- §6 energy, PUE caps, UDC
ENERGY = _exhibit(
    id="s6.2_energy_split",
    title_zh="我国数据中心能耗分布（2019）与其隐含 PUE",
    title_en="China's data-centre energy split, 2019 (赛迪顾问), the PUE it implies, and data centres' share of power",
    source=f"{CSC} 图表145 and §6.2「约有 43%是用于 IT 设」备的散热,「基本与 45%的 IT 设备自身的能耗持平」,"
           "「当前我国数据中心年用电量已占全社会用电的 2%-3%左右」",
    axis="value",
    rows=(
        Row("cooling", "Cooling's share of data-centre energy", "约有", "%", input="dc_cooling_energy_share_2019",
            decimals=0),
        Row("it", "IT equipment's own share", "基本与", "%", input="dc_it_energy_share_2019", decimals=0),
        Row("other", "Everything else (power distribution, lighting, ...)", None, "%",
            formula=lambda c: 1 - c["cooling"] - c["it"], decimals=0),
        Row("pue", "PUE the split implies (all energy ÷ IT energy)", None, "x", formula=lambda c: 1 / c["it"], decimals=2,
            note="§6.2's definition: 数据中心的总耗电量比上 IT 设备的耗电量; the shares are of the total"),
        Row("pue_it_cooling", "PUE counting only IT and cooling", None, "x",
            formula=lambda c: (c["it"] + c["cooling"]) / c["it"], decimals=2),
        Row("cooling_per_it", "Cooling energy per unit of IT energy", None, "x",
            formula=lambda c: c["cooling"] / c["it"], decimals=2),
        Row("national_low", "Data centres' share of China's electricity, lower end", "已占全社会用电的", "%",
            input="dc_national_power_share_low", decimals=0),
        Row("national_high", "Data centres' share of China's electricity, upper end", "已占全社会用电的", "%",
            input="dc_national_power_share_high", decimals=0),
    ),
    note="PUE is all energy over IT energy (§6.2's definition), so 45% IT gives 2.22; if the 12% neither IT nor "
         "cooling were left out, 1.96. s6.1_pue_caps sets it against the caps.",
)


LIQUID = _exhibit(
    id="s6.2_liquid_cooling",
    title_zh="液冷与风冷：传热、单柜功率与产能",
    title_en="Liquid against air cooling: heat transfer, rack power, and Inspur's liquid-cooling plant",
    source=f"{CSC} §6.2 (《冷板式液冷服务器可靠性白皮书》)「液体相对空气能够传热更快（相差 20-25倍）」,「能够带走更多热量（相差 2000-3000」倍）,"
           "「自然风冷的数据中心单柜密度一般只支持 8kW-10kW」,「冷在 15kW 以上性价比将大幅降低」,「始规模建设 20kW、30kW 功率的机柜」,"
           "「建成年产能 10 万台的亚洲最大」",
    axis="value",
    rows=(
        Row("transfer_low", "Liquid moves heat faster than air, lower end", "相差", "x", input="liquid_heat_transfer_low",
            decimals=0),
        Row("transfer_high", "Liquid moves heat faster than air, upper end", "相差", "x",
            input="liquid_heat_transfer_high", decimals=0),
        Row("capacity_low", "Liquid carries more heat than air, lower end", "相差", "x", input="liquid_heat_capacity_low",
            decimals=0),
        Row("capacity_high", "Liquid carries more heat than air, upper end", "相差", "x",
            input="liquid_heat_capacity_high", decimals=0),
        Row("air_low", "Natural-air cooling, rack power, lower end", "单柜密度一般只支持", "kW", input="air_rack_kw_low",
            decimals=0),
        Row("air_high", "Natural-air cooling, rack power, upper end", "单柜密度一般只支持", "kW",
            input="fig147_rack_kw_air", decimals=0),
        Row("micromodule", "Micro-module with water-cooled air conditioning: costly above", "冷在", "kW",
            input="micromodule_rack_kw", decimals=0),
        Row("liquid", "Liquid cooling, rack power, more than", "单机柜可以支持", "kW", input="liquid_rack_kw", decimals=0),
        Row("liquid_evolved", "Liquid cooling can evolve to, more than", "并能较好演进到", "kW",
            input="liquid_rack_kw_evolved", decimals=0),
        Row("liquid_vs_air", "Liquid rack power against air's upper end", None, "x",
            formula=lambda c: c["liquid"] / c["air_high"], decimals=1),
        Row("evolved_vs_air", "Evolved liquid rack power against air's upper end", None, "x",
            formula=lambda c: c["liquid_evolved"] / c["air_high"], decimals=0),
        Row("built_low", "Racks the industry builds at scale, lower", "始规模建设", "kW", input="ai_rack_kw_built_low",
            decimals=0),
        Row("built_high", "Racks the industry builds at scale, higher", "始规模建设", "kW", input="ai_rack_kw_built_high",
            decimals=0),
        Row("built_beyond_air", "Those beyond air cooling's upper end (1 = yes)", None, "flag",
            formula=lambda c: where(c["built_low"] > c["air_high"], 1, 0), decimals=0),
        Row("built_beyond_micromodule", "Those beyond the micro-module's 15 kW (1 = yes)", None, "flag",
            formula=lambda c: where(c["built_low"] > c["micromodule"], 1, 0), decimals=0),
        Row("inspur_capacity", "Inspur's liquid-cooled server plant, yearly capacity", "建成年产能", "万台",
            input="inspur_liquid_capacity", decimals=0),
    ),
    note="The 20 kW and 30 kW racks the industry builds are past both air cooling (8-10 kW) and the "
         "micro-module (15 kW): the report's case for liquid cooling in numbers.",
)


def _cap(c):
    if c.label == "张家口等 6 个集群":
        return c.inp("pue_hub_cap_high")
    if c.label == "和林格尔等 4 个集群":
        return c.inp("pue_hub_cap_low")
    return c.inp("pue_local_caps")


PUE_CAPS = _exhibit(
    id="s6.1_pue_caps",
    title_zh="各地与“东数西算”集群的数据中心 PUE 要求",
    title_en="PUE caps of Beijing, Shanghai, Guangdong, MIIT and the hub clusters, against the report's PUE figures",
    source=f"{CSC} §6.2「PUE 不高于 1.3」,「用于数据存储功能的机柜功率占比不超过 20%」,「PUE 降至 1.3 以下」,"
           "「PUE 限制在 1.3 以下，存量数据中心 PUE 不高于 1.4」; §6.3.3 (工信部)「必须在 1.3 以下」; §6.1「1.25 以下」",
    axis="pue_cap_places",
    rows=(
        Row("cap", "PUE cap (北京 and 上海存量: at most; the others: below)", "PUE", "x", formula=_cap, decimals=2),
        Row("storage_share", "Beijing: rack power for data storage, at most", "用于数据存储功能的机柜功率占比不超过", "%",
            formula=only_input("北京（新建）", "beijing_storage_rack_share_max"), decimals=0),
        Row("retrofit_meets", "The North-China retrofit's 1.28 meets it (1 = yes; s6.2_pue_retrofit)", None, "flag",
            formula=lambda c: where(c.other("s6.2_pue_retrofit", "pue", "改造后") <= c["cap"], 1, 0), decimals=0),
        Row("saving_vs_2019", "Energy saved at the cap against 2019's implied 2.22, same IT load", None, "%",
            formula=lambda c: 1 - c["cap"] / c.other("s6.2_energy_split", "pue", "value"), decimals=1),
    ),
    note="Beijing: new cloud data centres; Guangdong: during the 14th Five-Year Plan; Shanghai: its 2019 plan; "
         "MIIT: new data centres by the end of 2025. The hub clusters' caps are §6.1's (and s6.2_pue_retrofit's).",
)

UDC_PUE = _exhibit(
    id="s6.3_udc_pue",
    title_zh="水下数据中心与陆上数据中心的 PUE",
    title_en="PUE of land and undersea data centres (图表159, §6.3), and the energy an undersea site saves",
    source=f"{CSC} 图表159「微软新建的陆基数据中心的 PUE 约为」1.125,「现有海南陆地 IDC的PUE值（1.8-2.0）」,「PUE为 1.07」,"
           "「单舱 PUE 值为 1.076」,「1.10 左右」; §6.3「单舱 PUE 可以低于 1.10」",
    axis="udc_pue_sites",
    rows=(
        Row("pue", "PUE (海南示范项目: expected)", "PUE", "x", input="udc_site_pue", decimals=3,
            note="'约为 1.125' read as 1.125, '1.10 左右' as 1.10; Hainan's existing 1.8-2.0 as two columns"),
        Row("overhead", "Energy beyond the IT load, per unit of IT energy", None, "%", formula=lambda c: c["pue"] - 1,
            decimals=1),
        Row("vs_land_new", "Energy against Microsoft's new land data centre, same IT load", None, "%",
            formula=lambda c: c["pue"] / c.at("pue", 0) - 1, decimals=1),
        Row("vs_hainan_high", "Energy against Hainan's existing land data centres (2.0), same IT load", None, "%",
            formula=lambda c: c["pue"] / c.at("pue", 2) - 1, decimals=1),
        Row("below_cabin", "Below the undersea cabin's 1.10 (1 = yes)", None, "flag",
            formula=lambda c: where(c["pue"] < c.inp("udc_cabin_pue_max"), 1, 0), decimals=0),
    ),
    note="'1.10 左右' (the Hainan demonstration) is read as 1.10, which is not below the cabin's '低于 1.10'.",
)


def _servers_per_rack(c):
    return floor(c["rack_kw"] / c["dgx_kw"])


UDC_RACK = _exhibit(
    id="s6.3_udc_rack",
    title_zh="水下数据中心单机柜功率与 Natick 项目正文数据",
    title_en="Undersea rack power against the report's other racks, and Natick's figures in the text",
    source=f"{CSC} §6.3「海底数据中心单机柜功率可达 35kW 左右」; 图表159「比陆基数据中心低约 10摄氏度」; §6.3.3「海岸线 10-20 公里之处」,"
           "「超过 50%的人口居住在距离海岸 120 英里（200 公里）的范围内」; §6.3.4「10 英尺（3 米）x 7 英尺（2.1 米）、38,000 磅重」,"
           "「服务器占据机架空间的 1/3」,「功率不到四分之一兆瓦」,「故障率是地面数据中心故障率的八分之一」",
    axis="value",
    errata=("E71",),
    rows=(
        Row("rack_kw", "Undersea rack power, about", "单机柜功率可达", "kW", input="udc_rack_kw", decimals=0),
        Row("dgx_kw", "DGX A100 maximum power (§6.2)", None, "kW", input="dgx_a100_kw", decimals=1),
        Row("dgx_per_rack", "DGX A100s one undersea rack holds", None, "台", formula=_servers_per_rack, decimals=0),
        Row("vs_air", "Against an air-cooled rack (10 kW)", None, "x",
            formula=lambda c: c["rack_kw"] / c.inp("fig147_rack_kw_air"), decimals=1),
        Row("vs_natick", "Against Natick Phase 2's rack (图表160: 240 kW ÷ 12)", None, "x",
            formula=lambda c: c["rack_kw"] / c.other("fig160", "kw_per_rack", "Phase 2"), decimals=2),
        Row("cooler", "How much cooler than on land (Microsoft)", "比陆基数据中心低约", "°C", input="udc_cooler_c",
            decimals=0, note="a temperature difference"),
        Row("shore_low", "Distance of undersea data centres from the shore, lower end", "海岸线", "km",
            input="udc_offshore_km_low", decimals=0),
        Row("shore_high", "Distance of undersea data centres from the shore, upper end", "海岸线", "km",
            input="udc_offshore_km_high", decimals=0),
        Row("population", "Share of people living near the coast, more than", "超过", "%",
            input="coastal_population_share_min", decimals=0),
        Row("coast_miles", "Within this distance of the coast", "距离海岸", "miles",
            formula=lambda c: c.inp("coastal_distance_miles") * KM_PER_MILE, decimals=0),
        Row("coast_km", "The same in km (the report: 200)", "英里（", "km", formula=lambda c: c["coast_miles"], decimals=0),
        Row("natick_shore_miles", "Natick Phase 1 from the shore", "太平洋海岸约", "miles",
            formula=lambda c: c.inp("natick_phase1_shore_miles") * KM_PER_MILE, decimals=1),
        Row("natick_shore_km", "The same in km", "里（", "km", formula=lambda c: c["natick_shore_miles"], decimals=0),
        Row("natick_width", "Natick Phase 1 vessel width", "英尺（2.1 米）", "ft", input="natick_phase1_width_ft", decimals=0),
        Row("natick_weight", "Natick Phase 1 vessel weight", "磅重", "lb", input="natick_phase1_weight_lb", decimals=0),
        Row("natick_rack_u", "Its one standard rack", "装有 1 个标准", "U", input="natick_phase1_rack_u", decimals=0),
        Row("natick_server_share", "Share of the rack the 24 servers fill", "服务器占据机架空间的", "%",
            input="natick_phase1_server_rack_share", decimals=0),
        Row("natick_u_per_server", "Rack units per server (24 servers, 图表160)", None, "U",
            formula=lambda c: c["natick_rack_u"] * c["natick_server_share"] / c.other("fig160", "servers", "Phase 1"),
            decimals=2),
        Row("natick_phase2_mw", "Natick Phase 2 power (图表160)", None, "MW",
            formula=lambda c: c.other("fig160", "power", "Phase 2"), decimals=2),
        Row("under_quarter_mw", "Under a quarter of a megawatt, as §6.3.4 says (1 = yes)", None, "flag",
            formula=lambda c: where(c["natick_phase2_mw"] < KW_PER_MW / 4, 1, 0), decimals=0),
        Row("natick_deploy_days", "Days to deploy a module, Phase 2's aim", "在", "days", input="natick_deploy_days",
            decimals=0),
        Row("natick_failure", "Failure rate against land data centres", "故障率是地面数据中心故障率的", "x",
            input="natick_failure_ratio", decimals=3),
        Row("natick_renewable", "Share of Phase 2's power from local renewables", "这种电力来自", "%",
            input="natick_renewable_share", decimals=0),
    ),
    note="120 miles is 193 km; the report's '200 公里' is that rounded to one significant figure (erratum E71, "
         "a rounding note). 0.6 mile is 0.97 km (printed 1). Natick's 24 servers in a third of a 42U rack "
         "are 0.58 U each.",
)


# ------------------------------------------------------------------------------- §7 training efficiency
MFU = _exhibit(
    id="s7_training_efficiency",
    title_zh="分布式训练算力利用率（MFU）与训练稳定性数据",
    title_en="Model FLOPs utilisation of §7 against the 30% the demand model assumes, and §7's other figures",
    source=f"{CSC} §7.1「MFU（Model Flops Utilization）达到 46.2%」,「35.7%/21.3%」,「利用率 52%」; §7.2「资源利用率达到 40%水平」; "
           "图表164, 图表169, 图表176",
    axis="mfu_systems",
    rows=(
        Row("mfu", "Utilisation", "利用率", "%", input="mfu_text", decimals=1),
        Row("vs_assumed", "Against the 30% of 图表49 and 图表50", None, "x",
            formula=lambda c: c["mfu"] / c.other("fig49", "utilization", "2023E"), decimals=2),
        Row("vs_gpt3", "Against GPT-3 on V100", None, "x", formula=lambda c: c["mfu"] / c.at("mfu", 2), decimals=2),
        Row("params_low", "Model size of the 52%, from", "的参数规模实", "亿",
            formula=only_input("Megatron-A100", "megatron_params_low"), decimals=0),
        Row("params_high", "Model size of the 52%, to", "的参数规模实", "亿",
            formula=only_input("Megatron-A100", "megatron_params_high"), decimals=0),
        Row("loss_spikes", "Loss spikes during PaLM's training, roughly", "spikes in the loss roughly", "count",
            formula=only_input("PaLM (TPU v4)", "palm_loss_spikes"), decimals=0),
        Row("opt_steps", "Steps OPT-175B's training survived (图表169)", "OPT-175B survived", "count",
            formula=only_input("GPT-3 (V100)", "opt_steps"), decimals=0),
        Row("cot_low", "Below this size direct prompting beats chain of thought", "模型能力涌现的界限大约是", "亿",
            formula=only_input("PaLM (TPU v4)", "cot_threshold_low"), decimals=0),
        Row("cot_high", "Above this size chain of thought beats a fine-tuned small model", "模型能力涌现的界限大约是", "亿",
            formula=only_input("PaLM (TPU v4)", "cot_threshold_high"), decimals=0),
        Row("fixup_layers", "Layers Fixup initialisation trains, more than", "超过", "count",
            formula=only_input("PaLM (TPU v4)", "fixup_layers_min"), decimals=0),
    ),
    note="ZeRO-Infinity's 40% is a resource utilisation (§7.2), not an MFU. The model sizes and training "
         "figures sit in one column each only to be shown: OPT-175B's steps under GPT-3 (same size), the "
         "chain-of-thought thresholds and Fixup's depth under PaLM (Google's work).",
)


EXHIBITS = (
    FIG11, FIG40, CADENCE, FIG53, FIG54, CHIP_TEXT, TEXT_213, HBM_VS_DRAM, FIG93, MEMORY_WALL_TEXT, FIG101, FIG102,
    GPU_SHARE, CHINA_GPU, FIG110, FIG111, OEM, COMPANIES, FAAM, FIG129, ZHONGJI, FIG134, FIG135, NETWORK_POWER,
    ENERGY, LIQUID, PUE_CAPS, UDC_PUE, UDC_RACK, MFU, GOOGLE,
)
