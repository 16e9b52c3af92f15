"""《AI 服务器行业深度：驱动因素、市场机遇、产业链及相关企业深度梳理》(2023): every model its text
lets one reproduce (its charts are images, whose values suanli does not read).

The compilation quotes Statista and IDC market levels that conflict with the CSC report's
report, so these exhibits read only their own ``s001_`` inputs and default to the
scenario ``ai-server-2023``; no exhibit of the CSC report reads them (erratum S08).  As for the
CSC report's passages, ``label_zh`` is the phrase of the text that names a printed number, and
``None`` marks a check the text does not print.
"""

from __future__ import annotations

from .. import checks, growth, reports
from ..exhibit import Blank, Exhibit, Row
from ..ops import minimum, where
from ..units import DAYS_PER_YEAR, MONTHS_PER_YEAR
from .passages import only, only_input

ORDER = 80

GROUP = "ai_server"
SCENARIO = "ai-server-2023"
#: The short name every source of this module cites the compilation by (engine/data/reports.toml).
SOURCE = reports.short("ai-server-2023")


def _exhibit(**kw) -> Exhibit:
    return Exhibit(group=GROUP, default_scenario=SCENARIO, **kw)


def by_column(**keys):
    """A formula that shows input ``keys[column]`` in the columns named, blank elsewhere."""

    def formula(c):
        key = keys.get(c.label)
        if key is None:
            raise Blank(c.label)
        return c.inp(key)

    return formula


def _path(start_row: str, rate_row: str, start_col: int = 0):
    """A value compounded from ``start_row`` at the column ``start_col`` by ``rate_row`` (last column)."""

    def formula(c):
        last = len(c.columns) - 1
        return growth.grow(c.at(start_row, start_col), c.at(rate_row, last), c.col - start_col)

    return formula


# ------------------------------------------------------------------------------- global market (Statista)
def _ai_path(c):
    if c.label == "2020":
        return c["ai_2020"]
    return _path("ai", "ai_cagr", 1)(c)


def _server_all(c):
    if c.label == "2020":
        return c["server_2020"]
    return only("2021", lambda c: c["server"])(c)


def _prior(row: str, growth_row: str):
    return only("2020", lambda c: checks.prior_from_growth(c.at(row, 1), c.at(growth_row, 1)))


GLOBAL_MARKET = _exhibit(
    id="s001_global_market",
    title_zh="全球服务器与 AI 服务器市场规模（Statista）",
    title_en="Global server and AI-server market (Statista): 2021, the 2020 it implies, and the 2026 forecast",
    source=f"{SOURCE} 开篇 (Statista)「2021 年全球服务器市场规模达到 831.7 亿美元」",
    axis="s001_global_years",
    errata=("S08", "S09"),
    rows=(
        Row("server", "Global server market", "全球服务器市场规模达到", "亿美元",
            formula=only_input("2021", "s001_server_market_2021"), decimals=1),
        Row("server_yoy", "Global server market growth", "同比增长", "%",
            formula=only_input("2021", "s001_server_market_yoy_2021"), decimals=2),
        Row("server_2020", "Global server market 2020 the growth implies", None, "亿美元",
            formula=_prior("server", "server_yoy"), decimals=2),
        Row("ai", "Global AI-server market", "AI 服务器市场", "亿美元",
            formula=by_column(**{"2021": "s001_ai_server_2021", "2026": "s001_ai_server_2026"}), decimals=1),
        Row("ai_yoy", "Global AI-server market growth", "同比增长", "%",
            formula=only_input("2021", "s001_ai_server_yoy_2021"), decimals=1),
        Row("ai_2020", "Global AI-server market 2020 the growth implies", None, "亿美元",
            formula=_prior("ai", "ai_yoy"), decimals=2),
        Row("ai_cagr", "AI-server market CAGR 2021-2026", "5 年 CAGR 达到", "%",
            formula=only("2026", lambda c: growth.cagr(c.at("ai", 1), c["ai"], c.inp("s001_ai_server_periods"))),
            decimals=1),
        Row("ai_path", "AI-server market on the CAGR path (2022-2025 interpolated)", None, "亿美元",
            formula=_ai_path, decimals=1),
        Row("server_all", "Global server market (2020 implied)", None, "亿美元",
            formula=_server_all, decimals=1),
        Row("ai_share", "AI servers' share of the server market", None, "%",
            formula=lambda c: c["ai_path"] / c["server_all"], decimals=2),
        Row("non_ai", "Non-AI servers", None, "亿美元", formula=lambda c: c["server_all"] - c["ai_path"], decimals=1),
        Row("non_ai_yoy", "Non-AI server growth", None, "%",
            formula=lambda c: growth.yoy(c["non_ai"], c.prev("non_ai")), decimals=1),
    ),
    note="The 2022-2025 values are interpolated on the 17.3% path; the text prints only 2021 and 2026. "
         "The CSC report (IDC via CSC) prints 202.0亿美元 for 2022 and 1601.3亿美元 for 2025E: a different market "
         "view, never blended with this one (erratum S08).",
)


# ------------------------------------------------------------------------------- China market (IDC)
def _units_bound(fn):
    return only("2027", lambda c: fn(c.at("units", 0), c["units"], c.inp("s001_china_periods"),
                                     c.inp("s001_china_units_2022_half_unit"),
                                     c.inp("s001_china_units_2027_half_unit")))


CHINA_MARKET = _exhibit(
    id="s001_china_market",
    title_zh="中国大陆 AI 服务器出货量与销售额（IDC）",
    title_en="China AI-server shipments and sales, 2022-2027 (IDC), their CAGRs and the average price",
    source=f"{SOURCE} §一.4 (IDC, via 中泰证券)「2022 年大陆 AI 服务器出货量达 28.4 万台」; the 2019-2027 charts are images: only the endpoints are in the text",
    axis="s001_china_years",
    errata=("S01", "S08", "S09"),
    rows=(
        Row("units", "Shipments", "大陆 AI 服务器出货量", "万台",
            formula=by_column(**{"2022": "s001_china_units_2022", "2027": "s001_china_units_2027"}), decimals=1),
        Row("units_cagr", "Shipments CAGR 2022-2027 from the printed endpoints", None, "%",
            formula=only("2027", lambda c: growth.cagr(c.at("units", 0), c["units"], c.inp("s001_china_periods"))),
            decimals=1, note="the report prints 17.9%, within the rounding of the endpoints (rounding note S01)"),
        Row("units_cagr_stated", "Shipments CAGR as printed", "CAGR 为", "%",
            formula=only_input("2027", "s001_china_units_cagr_stated"), decimals=1),
        Row("units_cagr_low", "Lowest CAGR the endpoints' rounding allows", None, "%",
            formula=_units_bound(checks.cagr_low), decimals=2),
        Row("units_cagr_high", "Highest CAGR the endpoints' rounding allows", None, "%",
            formula=_units_bound(checks.cagr_high), decimals=2),
        Row("units_cagr_feasible", "Printed CAGR within that range (1 = yes)", None, "flag",
            formula=only("2027", lambda c: checks.within(c["units_cagr_stated"], c["units_cagr_low"],
                                                          c["units_cagr_high"])), decimals=0),
        Row("units_2027_at_stated", "2027 shipments at the printed CAGR", None, "万台",
            formula=only("2027", lambda c: growth.grow(c.at("units", 0), c["units_cagr_stated"],
                                                         c.inp("s001_china_periods"))), decimals=2),
        Row("units_path", "Shipments on the CAGR path (2023-2026 interpolated)", None, "万台",
            formula=_path("units", "units_cagr"), decimals=1),
        Row("sales", "Sales", "大陆 AI 服务器销售额", "亿美元",
            formula=by_column(**{"2022": "s001_china_sales_2022", "2027": "s001_china_sales_2027"}), decimals=2),
        Row("sales_cagr", "Sales CAGR 2022-2027", "CAGR 为", "%",
            formula=only("2027", lambda c: growth.cagr(c.at("sales", 0), c["sales"], c.inp("s001_china_periods"))),
            decimals=1),
        Row("sales_path", "Sales on the CAGR path (2023-2026 interpolated)", None, "亿美元",
            formula=_path("sales", "sales_cagr"), decimals=2),
        Row("asp", "Average price (sales ÷ shipments)", None, "USD",
            formula=lambda c: c["sales_path"] / c["units_path"], decimals=0),
        Row("asp_cagr", "Average-price CAGR 2022-2027", None, "%",
            formula=only("2027", lambda c: growth.cagr(c.at("asp", 0), c["asp"], c.inp("s001_china_periods"))),
            decimals=2),
    ),
    note="IDC's forecast is volume-driven: the average price stays near USD 25,500. The CSC report prints China "
         "2022 at 67亿美元 (IDC, +24%) and 2025E at 560.5亿美元 (erratum S08).",
)


# ------------------------------------------------------------------------------- workload and chip mix
WORKLOAD_MIX = _exhibit(
    id="s001_workload_mix",
    title_zh="中国 AI 服务器负载与加速芯片结构",
    title_en="China AI servers: inference and training workload, GPU and non-GPU accelerators",
    source=f"{SOURCE} §一.3(1) (IDC, via 浙商证券)「推理负载占比约 55.5%」, §一.3(2)「其他非 GPU 芯片占比超过 20%」, §三.2(4)「市场占有率近 90%」; the 2021 split chart is an image",
    axis="value",
    rows=(
        Row("inference", "Inference share of the workload, 2021", "推理负载占比约", "%",
            input="s001_inference_share_2021", decimals=1),
        Row("training", "Training share of the workload", None, "%", formula=lambda c: 1 - c["inference"], decimals=1),
        Row("gpu", "GPU share of data-centre acceleration, nearly", "市场占有率近", "%", input="s001_gpu_share",
            decimals=0),
        Row("non_gpu", "Non-GPU share, more than", "非 GPU 芯片市场占有率超过", "%", input="s001_non_gpu_share_min",
            decimals=0),
        Row("sum", "GPU + non-GPU", None, "%", formula=lambda c: c["gpu"] + c["non_gpu"], decimals=0),
        Row("non_gpu_2025", "Non-GPU share by 2025, more than (IDC)", "其他非 GPU 芯片占比超过", "%",
            input="s001_non_gpu_share_2025_min", decimals=0),
        Row("non_gpu_multiple", "Non-GPU share 2025 against now, at least", None, "x",
            formula=lambda c: c["non_gpu_2025"] / c["non_gpu"], decimals=0),
    ),
)


# ------------------------------------------------------------------------------- model scale
NLP_GROWTH = _exhibit(
    id="s001_nlp_growth",
    title_zh="NLP 模型参数量增长（ELMo → Megatron-Turing NLG）",
    title_en="NLP model parameters, ELMo to Megatron-Turing NLG",
    source=f"{SOURCE} §二.1(1) (《AI 算力集群方案设计与优化》, via 招商证券)「增长了近5600倍」",
    axis="value",
    errata=("S05",),
    rows=(
        Row("elmo", "ELMo parameters", "ELMo", "万", input="s001_elmo_params", decimals=0),
        Row("mtnlg", "Megatron-Turing NLG parameters", "Megatron-Turing NLG", "亿", input="s001_mtnlg_params",
            decimals=0),
        Row("years", "Years", "过去4年", "years", formula=lambda c: c.inp("s001_nlp_years") * DAYS_PER_YEAR, decimals=0),
        Row("multiple", "Growth multiple", "增长了近", "x", formula=lambda c: c["mtnlg"] / c["elmo"], sig=2),
        Row("per_year", "Growth multiple per year", None, "x",
            formula=lambda c: (c["mtnlg"] / c["elmo"]) ** (1 / c.inp("s001_nlp_years")), decimals=2),
    ),
)

GPT_SCALE = _exhibit(
    id="s001_gpt_scale",
    title_zh="GPT-1 到 GPT-3 的参数量与预训练数据量",
    title_en="GPT-1 to GPT-3: parameters and pre-training data",
    source=f"{SOURCE} §二.1(1) (via 招商证券)「以GPT-1到GPT-3的发展过程为例」",
    axis="s001_gpt_models",
    rows=(
        Row("released", "Released", None, "text", text=("2018-06", "2019-02", "2020-05")),
        Row("params", "Parameters", "参数量", "亿", input="s001_gpt_params", decimals=2),
        Row("data", "Pre-training data", "预训练数据量", "GB", input="s001_gpt_data_gb", decimals=0),
        Row("params_step", "Parameters against the previous model", None, "x",
            formula=lambda c: c["params"] / c.prev("params"), decimals=2),
        Row("params_vs_gpt1", "Parameters against GPT-1", None, "x",
            formula=lambda c: c["params"] / c.at("params", 0), decimals=1),
        Row("data_step", "Data against the previous model", None, "x",
            formula=lambda c: c["data"] / c.prev("data"), decimals=0),
    ),
)


# ------------------------------------------------------------------------------- LLM GPU needs
LLM_GPUS = _exhibit(
    id="s001_llm_gpus",
    title_zh="大模型所需 GPU 与服务器数量",
    title_en="GPUs and servers large models need: GPT-3.5 and GPT-4",
    source=f"{SOURCE} §一.1(2)「一般配备 8 个 GPU」; §二.1(2) (GPT-4; its calculation is a chart)「为满足算力需要近千台浪潮 NF5688M6 服务器」; "
           f"§三.2(4) (电子发烧网)「GPT-3.5 大模型需要高达 2 万枚 GPU」and 表「国内 AI 服务器所搭载的 GPU 厂商主要以英伟达为主」",
    axis="value",
    errata=("S03",),
    rows=(
        Row("gpt35_gpus", "GPUs GPT-3.5 needs", "GPT-3.5 大模型需要高达", "张", input="s001_gpt35_gpus", decimals=0),
        Row("gpt35_gpus_later", "GPUs after commercialisation, more than", "未来商业化后或将超过", "张",
            input="s001_gpt35_gpus_commercial", decimals=0),
        Row("gpus_per_server", "GPUs per NVIDIA training server", "一般搭载", "张",
            input="s001_gpus_per_training_server", decimals=0),
        Row("gpt35_servers", "8-GPU servers for GPT-3.5", None, "台",
            formula=lambda c: c["gpt35_gpus"] / c["gpus_per_server"], decimals=0),
        Row("gpt35_servers_later", "8-GPU servers after commercialisation, more than", None, "台",
            formula=lambda c: c["gpt35_gpus_later"] / c["gpus_per_server"], decimals=0),
        Row("growth", "Growth after commercialisation, at least", None, "%",
            formula=lambda c: c["gpt35_gpus_later"] / c["gpt35_gpus"] - 1, decimals=0),
        Row("gpt4_servers", "Inspur NF5688M6 servers GPT-4 needs, nearly", "近千台浪潮 NF5688M6 服务器", "台",
            input="s001_gpt4_servers", decimals=0),
        Row("nf5688m6_gpus", "GPUs per NF5688M6", "8 个 NVIDIA 最新的 NVSwitch 全互联 500W Ampere 架构 GPU", "张",
            input="s001_nf5688m6_gpus", decimals=0),
        Row("gpt4_gpus", "GPUs GPT-4's servers hold", None, "张",
            formula=lambda c: c["gpt4_servers"] * c["nf5688m6_gpus"], decimals=0),
        Row("gpt4_vs_gpt35", "GPT-4's GPUs against GPT-3.5's", None, "x",
            formula=lambda c: c["gpt4_gpus"] / c["gpt35_gpus"], decimals=1),
        Row("nvidia_training_share", "NVIDIA share of large-model training, nearly", "在大模型训练市场的市占比近", "%",
            input="s001_nvidia_training_share", decimals=0),
    ),
)


# ------------------------------------------------------------------------------- GPUs and export
GPU_COMPARE = _exhibit(
    id="s001_gpu_compare",
    title_zh="H100、A100、A800 与 V100",
    title_en="H100 against A100, the A800's bandwidth cut and V100's process",
    source=f"{SOURCE} §二.3(1)「H100 较 A100 计算速度快约 3 倍 (67/19.5)」",
    axis="value",
    errata=("S02",),
    rows=(
        Row("h100", "H100 compute in the comparison (FP32)", None, "TFLOPS", input="s001_h100_tflops", decimals=1),
        Row("a100", "A100 compute in the comparison (FP32)", None, "TFLOPS", input="s001_a100_tflops", decimals=1),
        Row("h100_vs_a100", "H100 against A100 (67/19.5)", "较 A100 计算速度快约", "x",
            formula=lambda c: c["h100"] / c["a100"], decimals=0, note="3.44 (erratum S02)"),
        Row("a800_cut", "A800 interconnect bandwidth cut", "在互联带宽方面被削弱", "%", input="s001_a800_bandwidth_cut",
            decimals=1, note="printed 1/3"),
        Row("a100_nvlink", "A100 NVLink, bidirectional (not in this report)", None, "GB/s", input="s001_a100_nvlink_gbs",
            decimals=0),
        Row("a800_nvlink", "A800 NVLink after the cut", None, "GB/s",
            formula=lambda c: c["a100_nvlink"] * (1 - c["a800_cut"]), decimals=0),
        Row("v100_nm", "V100 process", "V100 工艺为", "nm", input="s001_v100_nm", decimals=0),
    ),
)

SERVER_CPU = _exhibit(
    id="s001_server_cpu",
    title_zh="英伟达 AI 服务器 CPU 升级：DGX-2 到 DGX H100",
    title_en="CPUs of NVIDIA AI servers: DGX-2 (Xeon 8168) to DGX H100 (Xeon 8480C)",
    source=f"{SOURCE} §一.1(2) (CSDN, Intel, via 招商证券)「主频大约 2.7GHz」",
    axis="s001_dgx_servers",
    errata=("S06",),
    rows=(
        Row("cpu", "CPU", None, "text", text=("Xeon 8168", "Xeon 8480C")),
        Row("generation", "Generation as printed", None, "text", text=("第三代至强", "第四代至强")),
        Row("clock", "Clock (DGX-2: about; DGX H100: at most)", "主频", "GHz", input="s001_dgx_cpu_ghz", decimals=1),
        Row("cores", "Cores (about)", "核心数量", "count", input="s001_dgx_cpu_cores", decimals=0),
        Row("clock_multiple", "Clock against DGX-2's", None, "x",
            formula=lambda c: c["clock"] / c.prev("clock"), decimals=2),
        Row("core_multiple", "Cores against DGX-2's", None, "x",
            formula=lambda c: c["cores"] / c.prev("cores"), decimals=2),
    ),
)

P2P_BANDWIDTH = _exhibit(
    id="s001_p2p_bandwidth",
    title_zh="GPU 卡间 P2P 带宽",
    title_en="GPU peer-to-peer bandwidth by interconnect",
    source=f"{SOURCE} §一.1(2) 表「AI服务器与普通服务器相比具有更好的技术优势」 (南京锟前, via 天风证券)",
    axis="s001_p2p_links",
    errata=("S07",),
    rows=(
        Row("bandwidth", "P2P bandwidth, highest", "P2P 带宽高值", "GB/s", input="s001_p2p_gbs", decimals=0),
        Row("vs_pcie3", "Against PCIe 3.0", None, "x", formula=lambda c: c["bandwidth"] / c.at("bandwidth", 2),
            decimals=3),
        Row("vs_sxm2", "Against SXM2", None, "x", formula=lambda c: c["bandwidth"] / c.at("bandwidth", 1),
            decimals=2),
    ),
)


# ------------------------------------------------------------------------------- server BOM
_GENERAL, _DGX = "2x Sapphire Rapids 通用服务器", "DGX H100"

SERVER_BOM = _exhibit(
    id="s001_server_bom",
    title_zh="通用服务器与 AI 服务器（DGX H100）成本结构",
    title_en="Bill of materials: a 2-socket Sapphire Rapids server against an NVIDIA DGX H100",
    source=f"{SOURCE} §三.2 (via 华福证券)「GPU 占比高达 72.6%」",
    axis="s001_bom_servers",
    rows=(
        Row("price", "Price", "售价", "USD", input="s001_bom_price", decimals=0),
        Row("cpu_share", "CPU share", "CPU 占比", "%", input="s001_bom_cpu_share", decimals=1),
        Row("cpu_value", "CPU value", None, "USD", formula=lambda c: c["price"] * c["cpu_share"], decimals=1),
        Row("gpu_share", "GPU share", "GPU 占比高达", "%", formula=only_input(_DGX, "s001_bom_dgx_gpu_share"),
            decimals=1),
        Row("gpu_value", "GPU value", None, "USD", formula=lambda c: c["price"] * c["gpu_share"], decimals=1),
        Row("gpus", "GPUs", None, "张", formula=only_input(_DGX, "s001_dgx_h100_gpus"), decimals=0),
        Row("per_gpu", "Value per GPU", None, "USD", formula=lambda c: c["gpu_value"] / c["gpus"], decimals=1),
        Row("memory_share", "Memory share, about", "占比下降至", "%",
            formula=only_input(_DGX, "s001_bom_dgx_memory_share"), decimals=1),
        Row("memory_value", "Memory value", None, "USD", formula=lambda c: c["price"] * c["memory_share"],
            decimals=1),
        Row("mem_disk_share", "Memory and disk share, more than", "内存和硬盘占比超过", "%",
            formula=only_input(_GENERAL, "s001_bom_general_mem_disk_share_min"), decimals=0),
        Row("mem_disk_value_min", "Memory and disk value, more than", None, "USD",
            formula=lambda c: c["price"] * c["mem_disk_share"], decimals=1),
        Row("mem_disk_value_max", "Memory and disk value, at most (all but the CPU)", None, "USD",
            formula=only(_GENERAL, lambda c: c["price"] * (1 - c["cpu_share"])), decimals=1),
        Row("other_share", "Other (networking, storage, chassis, ...): the remainder", None, "%",
            formula=only(_DGX, lambda c: 1 - c["cpu_share"] - c["gpu_share"] - c["memory_share"]), decimals=1),
        Row("other_value", "Other value", None, "USD", formula=lambda c: c["price"] * c["other_share"], decimals=1),
        Row("price_multiple", "Price against the general server", None, "x",
            formula=only(_DGX, lambda c: c["price"] / c.at("price", 0)), decimals=2),
        Row("cpu_multiple", "CPU value against the general server's", None, "x",
            formula=only(_DGX, lambda c: c["cpu_value"] / c.at("cpu_value", 0)), decimals=2),
        Row("memory_multiple_min", "Memory value against the general server's memory and disk, at least", None,
            "x", formula=only(_DGX, lambda c: c["memory_value"] / c.at("mem_disk_value_max", 0)), decimals=2),
    ),
    note="The shares the text gives sum to 78.7% for the DGX H100; the remaining 21.3% (networking, storage, "
         "chassis, power) is not printed. The memory value rises at least 1.31× while its share falls, as the "
         "text says (内存价值量提升，但占比下降).",
)


# ------------------------------------------------------------------------------- shares, memory wall
MARKET_SHARES = _exhibit(
    id="s001_market_shares",
    title_zh="服务器 CPU 与独立 GPU 市场份额",
    title_en="Server CPU and discrete GPU market shares",
    source=f"{SOURCE} §三.2(1) (Counterpoint and others, via 华福证券)「2022 年仍占据全球服务器市场 70.77% 的份额」and "
           f"表「服务器CPU主要架构参与者」; §三.2(4)「2021Q1 市占率达到 83%」",
    axis="value",
    rows=(
        Row("intel", "Intel, 2022", "仍占据全球服务器市场", "%", input="s001_intel_share", decimals=2),
        Row("amd", "AMD, 2022", "占据 19.84% 的市场份额", "%", input="s001_amd_share", decimals=2),
        Row("others", "Others (ARM, domestic x86, ...)", None, "%", formula=lambda c: 1 - c["intel"] - c["amd"],
            decimals=2),
        Row("nvidia_discrete", "NVIDIA share of discrete GPUs, 2021Q1", "2021Q1 市占率达到", "%",
            input="s001_nvidia_discrete_share", decimals=0),
        Row("amd_discrete", "AMD and others, discrete GPUs", None, "%", formula=lambda c: 1 - c["nvidia_discrete"],
            decimals=0),
    ),
)

MEMORY_WALL = _exhibit(
    id="s001_memory_wall",
    title_zh="内存墙：处理器与内存性能增速",
    title_en="Memory wall: processor against memory performance growth",
    source=f"{SOURCE} §三.2(3)1) (via 华福证券)「处理器的性能以每年大约 55% 速度快速提升」",
    axis="value",
    rows=(
        Row("processor", "Processor performance growth per year", "处理器的性能以每年大约", "%",
            input="s001_processor_growth", decimals=0),
        Row("memory", "Memory performance growth per year", "内存性能的提升速度则只有每年", "%",
            input="s001_memory_growth", decimals=0),
        Row("gap_per_year", "Gap growth per year", None, "x",
            formula=lambda c: (1 + c["processor"]) / (1 + c["memory"]), decimals=3),
        Row("hbm_layers", "DRAM layers in an HBM stack, up to", "以至", "count", input="s001_hbm_max_layers",
            decimals=0),
    ),
)


# ------------------------------------------------------------------------------- accelerators per server
ACCELERATORS = _exhibit(
    id="s001_accelerators",
    title_zh="每台 AI 服务器的加速芯片数量（IDC）",
    title_en="Accelerators per AI server now and in 18 months (IDC's most common configuration)",
    source=f"{SOURCE} §三.2(4) (IDC, via 华福证券)「配备 2 个 GPU、3 个 FPGA 或 3 个 ASIC 的比例最高」; §一.1(2)「一般配备 8 个 GPU」and "
           f"表「AI服务器与普通服务器相比具有更好的技术优势」 for the 8 and 4+ GPU figures",
    axis="s001_accelerator_types",
    errata=("S04",),
    rows=(
        Row("now", "Most common configuration now", "当前每台人工智能服务器上配备", "count",
            input="s001_accelerators_now", decimals=0),
        Row("future", "Most common configuration in 18 months", "比例最高的服务器有望配备", "count",
            input="s001_accelerators_future", decimals=0),
        Row("months", "Months", "未来 18 个月", "months",
            formula=lambda c: c.inp("s001_accelerator_months") * DAYS_PER_YEAR / MONTHS_PER_YEAR, decimals=0),
        Row("multiple", "Future against now", None, "x", formula=lambda c: c["future"] / c["now"], decimals=2),
        Row("annualised", "Growth per year", None, "%",
            formula=lambda c: checks.annualised(c["multiple"], c.inp("s001_accelerator_months")), decimals=1),
        Row("ai_server_min_gpus", "GPU cards an AI server needs at least (§一.1(2), table)", "基础要求为四块以上的 GPU 卡", "张",
            formula=only_input("GPU", "s001_ai_server_min_gpus"), decimals=0),
        Row("training_server_gpus", "GPUs in an NVIDIA training server (§一.1(2))", "一般搭载", "张",
            formula=only_input("GPU", "s001_gpus_per_training_server"), decimals=0),
    ),
)


# ------------------------------------------------------------------------------- industry data points
INDUSTRY = _exhibit(
    id="s001_industry_points",
    title_zh="AI 芯片投融资与联想 ISG 增速",
    title_en="China AI-chip financing and Lenovo ISG growth",
    source=f"{SOURCE} §三.2(4) (IT桔子)「2022 年中国 AI 芯片行业投融资额达到 179.5 亿元」, §三.3 (联想集团; the paragraph repeats the CSC report's §3.2.3)",
    axis="value",
    rows=(
        Row("financing", "China AI-chip investment and financing, 2022", "中国 AI 芯片行业投融资额达到", "亿元",
            input="s001_ai_chip_financing_2022", decimals=1),
        Row("isg_q", "Lenovo ISG revenue growth, January-March 2023", "实现营收同比增长", "%",
            input="s001_lenovo_isg_growth_q", decimals=1),
        Row("isg_fy", "Lenovo ISG revenue growth, fiscal year", "全财年营收同比增长", "%",
            input="s001_lenovo_isg_growth_fy", decimals=1),
        Row("isg_outgrowth", "ISG growth above the market, more than (points or relative: not said)",
            "营收增长超市场平均水平", "%", input="s001_lenovo_isg_outgrowth_min", decimals=0),
    ),
)


# ------------------------------------------------------------------------------- server types and configurations
SERVER_CONFIGS = _exhibit(
    id="s001_server_configs",
    title_zh="服务器类型与配置：边缘计算服务器、通用服务器、国内 AI 服务器与 HBM 堆叠层数",
    title_en="Server types and configurations: edge servers' share, general servers' CPUs, domestic AI servers' "
             "GPUs, HBM stack heights",
    source=f"{SOURCE} §一.1(1) 表「主流服务器类型 (不完全统计)」「承担 70% 以上的计算任务」; §一.1(2)「通用服务器一般含有 1-2 个 CPU、不含 GPU」; "
           f"§三.2(3)1)「其内部堆叠的 DDR 层数可达 4 层、8 层以至 12 层」; §三.2(4) 表「国内 AI 服务器所搭载的 GPU 厂商主要以英伟达为主」"
           f"and 表「国内生产供应服务器的 GPU 厂商」",
    axis="value",
    rows=(
        Row("edge_share", "Computing tasks edge-computing servers carry, more than", "以上的计算任务", "%",
            input="s001_edge_compute_share_min", decimals=0),
        Row("others_share", "Left to all other servers, less than", None, "%", formula=lambda c: 1 - c["edge_share"],
            decimals=0),
        Row("general_cpus_low", "CPUs of a general server, fewest", "通用服务器一般含有", "count",
            input="s001_general_server_cpus_low", decimals=0),
        Row("general_cpus_high", "CPUs of a general server, most", "通用服务器一般含有", "count",
            input="s001_general_server_cpus_high", decimals=0),
        Row("general_gpus", "GPUs of a general server", "不含 GPU", "张", input="s001_general_server_gpus", decimals=0,
            note="'不含 GPU' (no GPU) read as 0"),
        Row("ai_min_gpus", "GPU cards an AI server needs at least (§一.1(2), table)", None, "张",
            input="s001_ai_server_min_gpus", decimals=0),
        Row("ningchang", "宁畅 X660 G45 LP: A800s", "X660 G45 LP", "张", input="s001_ningchang_x660_gpus", decimals=0),
        Row("talkweb", "拓维信息 兆瀚 inference server: Atlas300I cards", "兆瀚 AI 推理服务器", "张",
            input="s001_talkweb_atlas_gpus", decimals=0),
        Row("powerleader_a800", "宝德 PR4910W: A800s", "PR4910W", "张", input="s001_powerleader_a800_gpus", decimals=0),
        Row("powerleader_a40", "宝德 PR4910W: A40s", "PR4910W", "张", input="s001_powerleader_a40_gpus", decimals=0),
        Row("fewest_listed", "Fewest accelerators of the listed servers", None, "张",
            formula=lambda c: minimum(minimum(c["ningchang"], c["talkweb"]), c["powerleader_a800"]), decimals=0),
        Row("listed_meet_min", "The listed servers meet the 4-GPU minimum (1 = yes)", None, "flag",
            formula=lambda c: where(c["fewest_listed"] >= c["ai_min_gpus"], 1, 0), decimals=0),
        Row("loongson_3c5000", "龙芯 3C5000 cores", "16 核芯片产品 3C5000", "count", input="s001_loongson_3c5000_cores",
            decimals=0),
        Row("loongson_3d5000", "龙芯 3D5000 cores", "32 核 3D5000", "count", input="s001_loongson_3d5000_cores",
            decimals=0),
        Row("hbm_layers_low", "DRAM layers in an HBM stack: the first step", "其内部堆叠的 DDR 层数可达", "count",
            input="s001_hbm_layers_low", decimals=0),
        Row("hbm_layers_mid", "DRAM layers in an HBM stack: the second step", "4 层、", "count",
            input="s001_hbm_layers_mid", decimals=0),
        Row("hbm_layers_max", "DRAM layers in an HBM stack: up to", "以至", "count", input="s001_hbm_max_layers",
            decimals=0),
        Row("hbm_step", "Layers added each step", None, "count",
            formula=lambda c: c["hbm_layers_mid"] - c["hbm_layers_low"], decimals=0),
        Row("hbm_max_vs_low", "Capacity of the tallest stack against the lowest, same dies", None, "x",
            formula=lambda c: c["hbm_layers_max"] / c["hbm_layers_low"], decimals=0),
    ),
    note="The 宝德 PR4910W cell reads '8 个 NVIDIA A800/10 个 NVIDIA 的 A40/30' and is cut off after '/30'.",
)


EXHIBITS = (
    GLOBAL_MARKET, CHINA_MARKET, WORKLOAD_MIX, NLP_GROWTH, GPT_SCALE, LLM_GPUS, GPU_COMPARE, SERVER_CPU,
    P2P_BANDWIDTH, SERVER_BOM, MARKET_SHARES, MEMORY_WALL, ACCELERATORS, INDUSTRY, SERVER_CONFIGS,
)
