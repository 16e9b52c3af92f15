"""The passages of the CSC report (§1.2, §2.1.1, §2.2, §2.3, §3, §5, §6): the numbers the report
quotes in its text, the HBM chart (fig85) and the small tables fig155, fig159 and fig160.

A passage has no table, so its rows carry as ``label_zh`` the phrase of the report's text
that names the number, exactly as printed; the checks the report does not print (an implied
earlier value, a ratio, a sum) are rows with ``label_zh=None``.  A quoted number is an
input; a printed number that follows from other printed numbers is a formula, so the golden
tests check the report's arithmetic.
"""

from __future__ import annotations

from .. import checks, growth, hbm, power, reports
from ..exhibit import Blank, Exhibit, Row
from ..ops import where
from ..units import DAYS_PER_YEAR, DIRECTIONS, GB_PER_TB, KW_PER_GW, KW_PER_MW, METRES_PER_FOOT, MONTHS_PER_YEAR

#: The short name every source of this module cites the report by (engine/data/reports.toml).
CSC = reports.short("csc-2023")

ORDER = 70

GROUP = "passages"


def only(column: str, formula):
    """A formula that fills one column of the exhibit and leaves the others blank."""

    def at_column(c):
        if c.label != column:
            raise Blank(column)
        return formula(c)

    return at_column


def only_input(column: str, key: str):
    return only(column, lambda c: c.inp(key))


def _col(c, label: str) -> int:
    return c.columns.index(label)


# ------------------------------------------------------------------------------- fig85 HBM market
def _hbm_cagr(c):
    start = _col(c, "2023")
    return growth.cagr(c.at("market", start), c["market"], c.col - start)


FIG85 = Exhibit(
    id="fig85",
    title_zh="全球 HBM 市场规模预测",
    title_en="Global HBM market forecast",
    source=f"{CSC} 图表85 (§2.3.1; TrendForce, Omdia; its bar labels) and §2.3.1「2023-2025 年 HBM 市场 CAGR 有望成长至 40-45%以上」",
    axis="hbm_years",
    group=GROUP,
    rows=(
        Row("market", "HBM market", "市场规模（百万美元）", "百万美元", input="hbm_market_usd", decimals=0),
        Row("yoy", "Year-on-year growth", "YoY", "%",
            formula=lambda c: growth.yoy(c["market"], c.prev("market")), decimals=1),
        Row("cagr_2023_2025", "CAGR 2023-2025 of the chart's values", None, "%",
            formula=only("2025", _hbm_cagr), decimals=1),
        Row("trendforce_low", "TrendForce CAGR 2023-2025, lower end",
            "2023-2025 年 HBM 市场 CAGR 有望成长至", "%", formula=only_input("2025", "hbm_trendforce_cagr_low"),
            decimals=0),
        Row("trendforce_high", "TrendForce CAGR 2023-2025, upper end ('or more')",
            "2023-2025 年 HBM 市场 CAGR 有望成长至", "%", formula=only_input("2025", "hbm_trendforce_cagr_high"),
            decimals=0),
        Row("cagr_in_range", "Chart CAGR within TrendForce's range (1 = yes)", None, "flag",
            formula=only("2025", lambda c: checks.within(c["cagr_2023_2025"], c["trendforce_low"],
                                                          c["trendforce_high"])), decimals=0),
        Row("market_text", "2025 market as the text states it", "至 2025 年市场规模有望快速增至", "亿美元",
            formula=only("2025", lambda c: c["market"]), decimals=0),
    ),
    note="Chart data (bar labels) extracted with the text; the years come from the axis.",
)


# ------------------------------------------------------------------------------- HBM value and facts
HBM_VALUE = Exhibit(
    id="s2.3.1_hbm_value",
    title_zh="单 GPU HBM 价值量与单机搭载量",
    title_en="HBM value per GPU and per AI server, and HBM facts",
    source=f"{CSC} §2.3.1: HBM2 vs GDDR5 and HBM3 stacks (「HBM2 比 GDDR5 节省了 94%的」), IDC's value per GPU "
           "(「加权平均数约为 8 颗/台」), SK hynix (「60%-70%的市场份额」), share of DRAM (「HBM 占整个 DRAM 市场比重仅约 1.5%」)",
    axis="value",
    group=GROUP,
    errata=("E65",),
    rows=(
        Row("gb_per_gpu", "HBM per GPU", "单颗 GPU 配套的 HBM 显存存储容量达到", "GB", input="hbm_gb_per_gpu",
            decimals=0),
        Row("usd_per_gpu", "HBM value per GPU", "对应价值量约为", "USD", input="hbm_usd_per_gpu", decimals=0),
        Row("usd_per_gb", "HBM price per GB", None, "USD/GB",
            formula=lambda c: hbm.usd_per_gb(c["usd_per_gpu"], c["gb_per_gpu"]), decimals=0),
        Row("gpus_avg", "GPGPUs per China AI accelerator server, weighted average (IDC, 2019)", "加权平均数约为",
            "count", input="hbm_gpgpu_per_server_avg", decimals=0),
        Row("gpus_max", "GPGPUs per China AI accelerator server, most (IDC, 2019)", "单机 GPGPU 搭载量最多达到",
            "count", input="hbm_gpgpu_per_server_max", decimals=0),
        Row("per_server_avg", "HBM value per server, average", None, "USD",
            formula=lambda c: hbm.value_per_server(c["gpus_avg"], c["usd_per_gpu"]), decimals=0),
        Row("per_server_max", "HBM value per server, most GPUs", None, "USD",
            formula=lambda c: hbm.value_per_server(c["gpus_max"], c["usd_per_gpu"]), decimals=0),
        Row("dram_bit_share", "HBM share of DRAM bits", "HBM 占整个 DRAM 市场比重仅约", "%",
            input="hbm_dram_bit_share", decimals=1),
        Row("skhynix_low", "SK hynix HBM share, lower end", "SK 海力士在 HBM 市场已获得", "%",
            input="hbm_skhynix_share_low", decimals=0),
        Row("skhynix_high", "SK hynix HBM share, upper end", "SK 海力士在 HBM 市场已获得", "%",
            input="hbm_skhynix_share_high", decimals=0),
        Row("stack_dies", "HBM3 dies per stack", "支持 16-Hi 堆栈", "count", input="hbm3_stack_dies", decimals=0),
        Row("stack_gb", "HBM3 capacity per stack", "堆栈容量达到", "GB", input="hbm3_stack_gb", decimals=0),
        Row("gb_per_die", "Capacity per DRAM die", None, "GB",
            formula=lambda c: hbm.gb_per_die(c["stack_gb"], c["stack_dies"]), decimals=0),
        Row("hbm2_area_saving", "HBM2 area saved against GDDR5", "HBM2 比 GDDR5 节省了", "%",
            input="hbm2_area_saving", decimals=0),
        Row("hbm2_power_saving", "HBM2 power saved against GDDR5, at least", "的功耗", "%",
            input="hbm2_power_saving_min", decimals=0),
        Row("bw_per_watt", "HBM bandwidth per watt against GDDR5, more than", "每瓦带宽比 GDDR5 高出", "x",
            input="hbm_bw_per_watt_vs_gddr5_min", decimals=0),
    ),
    note="The value per server multiplies IDC's 2019 GPU count by an 80 GB (2022-23) GPU's HBM: erratum E65.",
)


# ------------------------------------------------------------------------------- HBM bandwidth
HBM_BANDWIDTH = Exhibit(
    id="s2.3.1_hbm_bandwidth",
    title_zh="显存带宽 = 等效频率 × 位宽 / 8：HBM 与 HBM3",
    title_en="Memory bandwidth = pin rate × bus width ÷ 8: first-generation HBM and HBM3",
    source=f"{CSC} §2.3.1 (海力士, Rambus)「目前 HBM 产品带宽增加了七倍」,「HBM3 带宽达 819GB/s，相对初代增加了 7 倍」",
    axis="hbm_generations",
    group=GROUP,
    errata=("E26",),
    rows=(
        Row("bus_bits", "Bus width per stack", "显存位宽", "bits", input="hbm_bus_width_bits", decimals=0),
        Row("pin_gbps", "Data rate per pin", "最高数据传输速率", "Gbps", input="hbm_pin_rate_gbps", decimals=1,
            note="first-generation HBM's 1 Gb/s is not printed: it is what gives the printed 128 GB/s"),
        Row("bandwidth", "Bandwidth per stack", "显存带宽", "GB/s",
            formula=lambda c: hbm.stack_bandwidth_gbs(c["pin_gbps"], c["bus_bits"]), decimals=0),
        Row("multiple", "Bandwidth against the first generation", None, "x",
            formula=lambda c: c["bandwidth"] / c.at("bandwidth", 0), decimals=1),
        Row("claimed_multiple", "Multiple the report states for HBM3 819 GB/s", "相对初代增加了", "x",
            formula=only("HBM3 6.4Gbps（SK 海力士）", lambda c: c.inp("hbm_claimed_multiple")), decimals=0,
            note="819.2/128 = 6.4 (erratum E26)"),
    ),
)


# ------------------------------------------------------------------------------- advanced packaging
def _ap_all(c):
    if c.label == "2027":
        return c.inp("pkg_ap_market_2027")
    if c.label == "2021":
        return checks.base_from_cagr(c.inp("pkg_ap_market_2027"), c.inp("pkg_ap_cagr"), c.inp("pkg_cagr_periods"))
    raise Blank("ap_market_all")


def _cagr_to_2027(row):
    return only("2027", lambda c: growth.cagr(c.at(row, _col(c, "2021")), c[row], c.inp("pkg_cagr_periods")))


PACKAGING = Exhibit(
    id="s2.3.1_packaging",
    title_zh="先进封装市场规模及结构（Yole）",
    title_en="Advanced packaging market (Yole): shares, 2027 size, CAGRs and flip-chip, with consistency checks",
    source=f"{CSC} §2.3.1 (Yole)「预计 2027 年先进封装市场规模增至 651」亿美元, 图表72/73",
    axis="packaging_years",
    group=GROUP,
    errata=("E66",),
    rows=(
        Row("share", "Advanced packaging share of all packaging", "先进封装占比", "%", input="pkg_ap_share",
            decimals=0),
        Row("ap_market", "Advanced packaging market", "先进封装市场规模", "亿美元",
            formula=only_input("2027", "pkg_ap_market_2027"), decimals=0),
        Row("ap_cagr", "Advanced packaging CAGR 2021-2027", "CAGR 约为", "%",
            formula=only_input("2027", "pkg_ap_cagr"), decimals=1),
        Row("ap_market_all", "Advanced packaging market (2021 implied by the 2027 value and the CAGR)", None,
            "亿美元", formula=_ap_all, decimals=1),
        Row("total_market", "Packaging market (advanced ÷ its share)", None, "亿美元",
            formula=lambda c: checks.total_from_share(c["ap_market_all"], c["share"]), decimals=1),
        Row("traditional_market", "Traditional packaging market (total - advanced)", None, "亿美元",
            formula=lambda c: c["total_market"] - c["ap_market_all"], decimals=1),
        Row("total_cagr", "Packaging market CAGR 2021-2027", "市场整体", "%", formula=_cagr_to_2027("total_market"),
            decimals=1),
        Row("traditional_cagr_printed", "Traditional packaging CAGR 2021-2027, as printed", "传统封装市场", "%",
            formula=only_input("2027", "pkg_traditional_cagr"), decimals=1),
        Row("traditional_cagr", "Traditional packaging CAGR 2021-2027 from the shares", None, "%",
            formula=_cagr_to_2027("traditional_market"), decimals=2,
            note="3.19% from the rounded shares; with each printed figure anywhere in its rounding interval "
                 "it ranges 2.5%-3.9%, so the printed 3.3% is consistent"),
        Row("flip_chip", "Flip-chip packaging market", "倒装", "亿美元", formula=only_input("2021", "pkg_flip_chip_2021"),
            decimals=1),
        Row("flip_chip_share", "Flip-chip share of advanced packaging", "占比", "%",
            formula=only("2021", lambda c: c["flip_chip"] / c["ap_market_all"]), decimals=0),
    ),
    note="Yole's figures as quoted. The 2021 advanced-packaging market is not printed: 651亿 discounted at "
         "9.6% over 6 years gives 375.6亿, and with it the flip-chip share (70%) and the total CAGR (6.3%) "
         "reproduce.",
)


# ------------------------------------------------------------------------------- CoWoS, TSV, SoIC
COWOS = Exhibit(
    id="s2.3.1_cowos",
    title_zh="CoWoS-S、TSV 与 SoIC 关键指标",
    title_en="CoWoS-S generations, TSV and SoIC figures",
    source=f"{CSC} §2.3.1: CoWoS-S (「硅中介层扩大到 2500mm2」), TSV (「技术能够缩减 30%体积」), SoIC (「台积电 SoIC 键合的热阻比微凸点下降低 35%」)",
    axis="value",
    group=GROUP,
    rows=(
        Row("interposer_mm2", "Gen-5 silicon interposer area", "硅中介层扩大到", "mm²",
            input="cowos_interposer_mm2", decimals=0),
        Row("reticle_multiple", "Interposer in reticle areas", "光罩面积", "x", input="cowos_reticle_multiple",
            decimals=0),
        Row("reticle_mm2", "Reticle area the two imply", None, "mm²",
            formula=lambda c: c["interposer_mm2"] / c["reticle_multiple"], decimals=1,
            note="the full reticle is 26 mm × 33 mm = 858 mm² (external), so 2500 mm² is 2.9 reticles"),
        Row("hbm_stacks", "HBM2E stacks on the gen-5 interposer", "HBM2E 堆栈", "count", input="cowos_hbm_stacks",
            decimals=0),
        Row("hbm_gb", "HBM capacity on the gen-5 interposer", "容量高达", "GB", input="cowos_hbm_gb", decimals=0),
        Row("gb_per_stack", "Capacity per HBM2E stack", None, "GB",
            formula=lambda c: c["hbm_gb"] / c["hbm_stacks"], decimals=0),
        Row("transistors", "Gen-5 transistors against gen 3", "晶体管数量是第 3 代的", "x",
            input="cowos_transistor_multiple", decimals=0),
        Row("gen6_dies", "Gen-6 compute dies", "运算核心", "count", input="cowos_gen6_compute_dies", decimals=0),
        Row("gen6_hbm", "Gen-6 HBM stacks, at most", "HBM 缓存芯片", "count", input="cowos_gen6_hbm_stacks",
            decimals=0),
        Row("tsv_volume", "TSV volume saving", "TSV 技术能够缩减", "%", input="tsv_volume_saving", decimals=0),
        Row("tsv_energy", "TSV energy saving", "并降低", "%", input="tsv_energy_saving", decimals=0),
        Row("soic_density", "SoIC vertical interconnects per mm², more than", "垂直互连密度", "per mm²",
            input="soic_interconnects_per_mm2", decimals=0),
        Row("soic_thermal", "SoIC thermal resistance below micro-bumps", "热阻比微凸点下降低", "%",
            input="soic_thermal_saving", decimals=0),
    ),
)


# ------------------------------------------------------------------------------- design cost, CIM
RND_COST = Exhibit(
    id="s2.3.1_rnd_cost",
    title_zh="先进制程芯片研发费用（IBS）",
    title_en="Chip design cost at 5nm against 28nm (IBS)",
    source=f"{CSC} §2.3.1 (IBS)「几乎是 28nm 芯片研发费用的 10.6 倍」, 图表67",
    axis="value",
    group=GROUP,
    rows=(
        Row("cost_5nm", "5nm design cost", "5nm 制程的芯片研发费用增至", "亿美元", input="psg_5nm_design_cost",
            decimals=2),
        Row("multiple", "5nm against 28nm", "几乎是 28nm 芯片研发费用的", "x", input="psg_5nm_vs_28nm", decimals=1),
        Row("cost_28nm", "28nm design cost the two imply", None, "亿美元",
            formula=lambda c: c["cost_5nm"] / c["multiple"], decimals=3),
    ),
)

CIM = Exhibit(
    id="s2.3.2_cim",
    title_zh="我国存算一体市场规模估算（2030）",
    title_en="China compute-in-memory chip market, 2030 (量子位智库)",
    source=f"{CSC} §2.3.2 (量子位智库)「总市场规模约为 1136 亿人民币」, 图表100",
    axis="value",
    group=GROUP,
    rows=(
        Row("small_mid", "Small and medium compute chips", "中小算力芯片市场规模约为", "亿元", input="cim_small_mid_2030",
            decimals=0),
        Row("large", "Large compute chips", "大算力芯片市场规模约为", "亿元", input="cim_large_2030", decimals=0),
        Row("total", "Total", "总市场规模约为", "亿元", formula=lambda c: c["small_mid"] + c["large"], decimals=0),
    ),
)


# ------------------------------------------------------------------------------- §1.2 / §2.1.1
GPT_SCALE = Exhibit(
    id="s2.1.1_gpt_scale",
    title_zh="GPT 到 GPT-3：参数量与预训练数据量",
    title_en="GPT to GPT-3: parameters and pre-training data",
    source=f"{CSC} §1.2「预训练数据量约 5GB，而 GPT-3 参数量达 1750 亿」and §2.1.1「从 5GB 提升到了 45TB」(OpenAI)",
    axis="value",
    group=GROUP,
    rows=(
        Row("gpt_params", "GPT (2018) parameters", "GPT 参数量", "亿", input="psg_gpt1_params", decimals=2),
        Row("gpt3_params", "GPT-3 parameters", "GPT-3 参数量达", "亿", input="gpt3_params", decimals=0),
        Row("multiple", "GPT-3 parameters against GPT's", "相比 GPT 增长了近", "x",
            formula=lambda c: c["gpt3_params"] / c["gpt_params"], sig=2),
        Row("gpt_data", "GPT pre-training data", "预训练数据量约", "GB", input="psg_gpt1_data_gb", decimals=0),
        Row("gpt3_data", "GPT-3 pre-training data", "预训练数据量达", "GB", input="psg_gpt3_data_gb", decimals=0),
        Row("data_multiple", "GPT-3 data against GPT's", None, "x",
            formula=lambda c: c["gpt3_data"] / c["gpt_data"], decimals=0),
    ),
)

TENSOR_CORE = Exhibit(
    id="s2.1.1_tensor_core",
    title_zh="Tensor Core 吞吐量与精度算力比例",
    title_en="Tensor-core throughput and precision ratios",
    source=f"{CSC} §2.1.1: V100 FP32/FP64 (「FP64（7.8 TFLOPS）」), Volta (「4×4×4=64次 FMA操作」), A100 → H100 (「H100 FP8 Tensor Core 的吞吐量是 A100 FP16 Tensor」Core 的 6 倍); 图表42",
    axis="value",
    group=GROUP,
    rows=(
        Row("tc_dim", "Volta tensor-core matrix size", None, "count", input="psg_tensor_core_dim", decimals=0),
        Row("fma_per_clock", "FMA operations per tensor core per clock (4×4×4)", "在一个GPU时钟周期内执行", "count",
            formula=lambda c: c["tc_dim"] ** 3, decimals=0),
        Row("vs_pascal", "Throughput against Pascal CUDA cores", "吞吐量是 Pascal架构下CUDA Core", "x",
            input="psg_volta_tc_vs_pascal", decimals=0),
        Row("h100_fp16", "H100 SXM FP16 tensor, dense (fig42)", None, "TFLOPS", input="h100_fp16_tflops", decimals=0),
        Row("a100_fp16", "A100 SXM FP16 tensor, dense (fig42)", None, "TFLOPS", input="a100_fp16_tflops", decimals=0),
        Row("h100_vs_a100", "H100 FP16 tensor against A100's", "H100 在 FP16 Tensor Core 的峰值吞吐量提升至 A100 的", "x",
            formula=lambda c: c["h100_fp16"] / c["a100_fp16"], decimals=0),
        Row("h100_fp8", "H100 SXM FP8 tensor, dense", None, "TFLOPS", input="psg_h100_fp8_tflops", decimals=0),
        Row("fp8_vs_a100_fp16", "H100 FP8 tensor against A100 FP16 tensor",
            "H100 FP8 Tensor Core 的吞吐量是 A100 FP16 Tensor Core 的", "x",
            formula=lambda c: c["h100_fp8"] / c["a100_fp16"], decimals=0),
        Row("v100_fp32", "V100 FP32", "V100 的 FP32 算力", "TFLOPS", input="psg_v100_fp32_tflops", decimals=1),
        Row("v100_fp64", "V100 FP64", "也近似为 FP64", "TFLOPS", input="psg_v100_fp64_tflops", decimals=1),
        Row("v100_ratio", "V100 FP32 against FP64", "的两倍", "x",
            formula=lambda c: c["v100_fp32"] / c["v100_fp64"], decimals=0),
    ),
)

NVLINK = Exhibit(
    id="s2.1.1_nvlink",
    title_zh="NVLink 与 PCIe 带宽关系",
    title_en="NVLink and PCIe bandwidth relationships",
    source=f"{CSC} §2.1.1「每个 GPU 提供 900 GB/s 的双向带宽，比上一代高 1.5 倍，比第一代 NVLink 高 5.6 倍」, 图表42; §4 (unidirectional NVLink)「单向带宽为 300GB/s」",
    axis="value",
    group=GROUP,
    errata=("E64",),
    rows=(
        Row("nvlink4", "NVLink 4 per GPU, bidirectional", "第四代 NVLink 为每个 GPU 提供", "GB/s",
            input="psg_nvlink4_gbs", decimals=0),
        Row("nvlink3", "NVLink 3 per GPU, bidirectional (fig42)", None, "GB/s", input="psg_nvlink3_gbs", decimals=0),
        Row("vs_gen3", "NVLink 4 against the previous generation", "比上一代高", "x",
            formula=lambda c: c["nvlink4"] / c["nvlink3"], decimals=1),
        Row("vs_gen1", "NVLink 4 against the first generation", "比第一代 NVLink 高", "x",
            input="psg_nvlink4_vs_gen1", decimals=1),
        Row("gen1", "NVLink 1 bandwidth the multiple implies", None, "GB/s",
            formula=lambda c: c["nvlink4"] / c["vs_gen1"], decimals=1,
            note="P100's NVLink 1 is 160 GB/s (external)"),
        Row("nvlink3_one_way", "NVLink 3, one direction", "单向带宽为", "GB/s",
            formula=lambda c: c["nvlink3"] / DIRECTIONS, decimals=0),
        Row("nvlink4_one_way", "NVLink 4, one direction", "单向带宽为", "GB/s",
            formula=lambda c: c["nvlink4"] / DIRECTIONS, decimals=0),
        Row("pcie4_x16", "PCIe 4.0 x16, bidirectional", "x16 PCIe 4.0 双向带宽", "GB/s", input="psg_pcie4_x16_gbs",
            decimals=0),
        Row("nvlink4_vs_pcie4", "NVLink 4 against PCIe 4.0 x16", None, "x",
            formula=lambda c: c["nvlink4"] / c["pcie4_x16"], decimals=1),
    ),
)

TPU_V4 = Exhibit(
    id="s2.2_tpu_v4",
    title_zh="谷歌 TPU v4 与英伟达 A100 对比",
    title_en="Google TPU v4 against NVIDIA A100",
    source=f"{CSC} §2.2 (Google)「最高快 1.7 倍，节能效率提高 1.9 倍」and §7.1 (MLPerf)「应用 BERT 场景下性能是 A100 的 1.15 倍左右」",
    axis="value",
    group=GROUP,
    rows=(
        Row("speed", "System speed, at most", "最高快", "x", input="tpu_v4_speed_vs_a100", decimals=1),
        Row("efficiency", "Energy efficiency", "节能效率提高", "x", input="tpu_v4_efficiency_vs_a100", decimals=1),
        Row("bert", "MLPerf BERT, 4096 chips", "应用 BERT 场景下性能是 A100 的", "x", input="tpu_v4_bert_vs_a100",
            decimals=2),
        Row("resnet", "MLPerf ResNet", "ResNet 场景下 TPU v4 则是 A100 性能的", "x", input="tpu_v4_resnet_vs_a100",
            decimals=2),
    ),
)


# ------------------------------------------------------------------------------- §1.2 IDC, CAICT
def _aiinv_cagr(c):
    return growth.cagr(c.at("global", 0), c["global"], c.inp("aiinv_cagr_periods"))


AI_INVESTMENT = Exhibit(
    id="s1.2_ai_investment",
    title_zh="IDC 全球与中国人工智能 IT 投资预测",
    title_en="IDC global and China AI IT investment forecast",
    source=f"{CSC} §1.2 (IDC)「2021 年全球人工智能 IT 投资额为 929.5 亿美元」",
    axis="ai_investment_years",
    group=GROUP,
    rows=(
        Row("global", "Global AI IT investment", "全球人工智能 IT 投资额", "亿美元", input="aiinv_global_usd", decimals=1),
        Row("global_cagr", "Global CAGR 2021-2026", "复合年增长率约", "%", formula=only("2026", _aiinv_cagr),
            decimals=1),
        Row("china", "China AI investment", "中国市场 AI 投资预计将达", "亿美元",
            formula=only_input("2026", "aiinv_china_2026"), decimals=1),
        Row("china_share", "China's share of global", "约占全球投资", "%",
            formula=only("2026", lambda c: c["china"] / c["global"]), decimals=1),
        Row("china_cagr", "China CAGR", "复合年增长率约", "%", formula=only_input("2026", "aiinv_china_cagr"),
            decimals=1),
        Row("china_2021", "China 2021 the CAGR implies", None, "亿美元",
            formula=only("2021", lambda c: checks.base_from_cagr(
                c.at("china", 1), c.at("china_cagr", 1), c.inp("aiinv_cagr_periods"))), decimals=1),
        Row("hw_share_min", "Hardware share of China AI investment, at least", "占人工智能总投资的", "%",
            formula=only_input("2026", "aiinv_china_hw_share_min"), decimals=0),
        Row("china_hw", "China AI hardware investment, more than", "中国在人工智能硬件市场的 IT 投资将超过", "亿美元",
            formula=only_input("2026", "aiinv_china_hw_2026"), decimals=0),
        Row("hw_share", "Hardware share the two figures give", None, "%",
            formula=only("2026", lambda c: c["china_hw"] / c["china"]), decimals=1),
        Row("china_hw_cagr", "China AI hardware five-year CAGR", "五年复合年增长率", "%",
            formula=only_input("2026", "aiinv_china_hw_cagr"), decimals=1),
        Row("china_hw_2021", "China AI hardware 2021 the CAGR implies", None, "亿美元",
            formula=only("2021", lambda c: checks.base_from_cagr(
                c.at("china_hw", 1), c.at("china_hw_cagr", 1), c.inp("aiinv_cagr_periods"))), decimals=1),
        Row("server_share_min", "Servers' share of hardware, at least", "预计将占总投入的", "%",
            formula=only_input("2026", "aiinv_server_share_of_hw_min"), decimals=0),
        Row("servers_min", "China AI server investment 2026, at least", None, "亿美元",
            formula=only("2026", lambda c: c["china_hw"] * c["server_share_min"]), decimals=0),
    ),
)


def _caict_global(c):
    if c.label == "2021":
        return c.inp("caict_basic_eflops") + c.inp("caict_ai_eflops") + c.inp("caict_super_eflops")
    return c.inp("caict_global_2030")


CAICT = Exhibit(
    id="s1.2_caict_compute",
    title_zh="中国信通院全球与中国算力规模",
    title_en="CAICT global and China compute capacity",
    source=f"{CSC} §1.2 (中国信通院)「年全球计算设备算力总规模达到 615EFlops」, 图表5/6",
    axis="caict_years",
    group=GROUP,
    errata=("E63",),
    rows=(
        Row("basic", "Basic (general) compute", "基础算力规模为", "EFLOPS", formula=only_input("2021", "caict_basic_eflops"),
            decimals=0),
        Row("ai", "Intelligent (AI) compute", "智能算力规模为", "EFLOPS", formula=only_input("2021", "caict_ai_eflops"),
            decimals=0),
        Row("super", "Supercomputing compute", "超算算力规模为", "EFLOPS",
            formula=only_input("2021", "caict_super_eflops"), decimals=0),
        Row("global", "Global compute (2021: the sum of the three)", "全球计算设备算力总规模达到", "EFLOPS",
            formula=_caict_global, decimals=0, note="2030 printed as 56ZFlps (erratum E63)"),
        Row("global_yoy", "Global compute growth 2021", "同比增长", "%", formula=only_input("2021", "caict_global_yoy_2021"),
            decimals=0),
        Row("global_2020", "Global compute 2020 the growth implies", None, "EFLOPS",
            formula=only("2021", lambda c: checks.prior_from_growth(c["global"], c["global_yoy"])), decimals=0),
        Row("global_cagr", "Average yearly growth 2021-2030", "平均年均增长", "%",
            formula=only("2030", lambda c: growth.cagr(c.at("global", 0), c["global"], c.inp("caict_cagr_periods"))),
            decimals=0),
        Row("china", "China compute", "我国计算设备算力总规模达到", "EFLOPS", formula=only_input("2021", "caict_china_eflops"),
            decimals=0),
        Row("china_share", "China's share of global", "全球占比约为", "%",
            formula=only("2021", lambda c: c["china"] / c["global"]), decimals=0),
        Row("china_growth_min", "China compute growth, at least", "的高速增长态势", "%",
            formula=only_input("2021", "caict_china_growth_min"), decimals=0),
        Row("china_ai_growth", "China intelligent compute growth", "增速为", "%",
            formula=only_input("2021", "caict_china_ai_growth"), decimals=0),
        Row("china_ai_share_min", "Intelligent compute's share of China's, more than", "在我国算力中的占比超过", "%",
            formula=only_input("2021", "caict_china_ai_share_min"), decimals=0),
    ),
)


# ------------------------------------------------------------------------------- §1 / §3 server market
def _ai_share(c):
    if c.label == "2022":
        return c.inp("srv_ai_share_2022")
    return c.inp("srv_ai_share_2022") - c.inp("srv_ai_share_change")


AI_SERVER_SHARE = Exhibit(
    id="s3.2_ai_server_share",
    title_zh="AI 服务器占全球服务器市场的比例（IDC）",
    title_en="AI servers' share of the global server market (IDC), and the server market it implies",
    source=f"{CSC} 摘要, §1.3 and §3.2.1 (IDC)「占服务器市场规模的比例为 16.4%」; the AI-server values are 图表7's actuals",
    axis="market_actuals",
    group=GROUP,
    rows=(
        Row("ai_market", "Global AI-server market (IDC, fig7)", "全球 AI 服务器市场规模", "亿美元",
            input="market_global_actual_usd", decimals=1),
        Row("share", "AI servers' share of the server market (2021: 2022's less the change)",
            "占服务器市场规模的比例为", "%", formula=_ai_share, decimals=1),
        Row("share_change", "Change of the share over 2021, percentage points", "同比提升", "%",
            formula=only_input("2022", "srv_ai_share_change"), decimals=1, note="printed 1.2pct"),
        Row("server_market", "Global server market the share implies", None, "亿美元",
            formula=lambda c: checks.total_from_share(c["ai_market"], c["share"]), decimals=1),
        Row("server_growth", "Global server market growth", None, "%",
            formula=lambda c: growth.yoy(c["server_market"], c.prev("server_market")), decimals=1),
    ),
)

SERVER_MARKET = Exhibit(
    id="s3.4_server_market",
    title_zh="服务器市场：中国市场规模（IDC）与全球出货量（TrendForce）",
    title_en="Server market: China (IDC) and global shipments (TrendForce)",
    source=f"{CSC} §3.4.1 (TrendForce, IDC)「2022 年我国服务器市场规模为 273.4 亿美元」, §3.4.2「2023 年 AI 服务器出货量将同比实现 10%增长」",
    axis="server_market_years",
    group=GROUP,
    rows=(
        Row("china", "China server market", "我国服务器市场规模为", "亿美元", input="srv_china_server_usd", decimals=1),
        Row("china_growth", "China server market growth 2023", None, "%",
            formula=lambda c: growth.yoy(c["china"], c.prev("china")), decimals=1),
        Row("china_growth_min", "Growth IDC expects, more than", "服务器市场规模有望实现超", "%",
            formula=only_input("2023E", "srv_china_growth_min"), decimals=0),
        Row("growth_check", "Growth above that (1 = yes)", None, "flag",
            formula=only("2023E", lambda c: where(c["china_growth"] > c["china_growth_min"], 1, 0)), decimals=0),
        Row("shipments", "Global server shipments", "全球服务器整机出货量预测至", "万台",
            formula=only_input("2023E", "srv_shipments_2023"), decimals=1),
        Row("shipments_decline", "Decline 2023", "同比减少", "%",
            formula=only_input("2023E", "srv_shipments_decline"), decimals=2),
        Row("shipments_2022", "Global server shipments 2022 the decline implies", None, "万台",
            formula=only("2022", lambda c: checks.prior_from_growth(
                c.at("shipments", 1), -c.at("shipments_decline", 1))), decimals=1),
        Row("q1_decline", "Q1 2023 shipments, quarter-on-quarter decline", "全球服务器出货量环比减少了", "%",
            formula=only_input("2023E", "srv_q1_qoq_decline"), decimals=1),
        Row("q2_growth", "Q2 2023 shipments, quarter-on-quarter growth", "环比增长预估仅为", "%",
            formula=only_input("2023E", "srv_q2_qoq_growth"), decimals=2),
        Row("ai_units_growth", "AI-server shipments growth 2023", "AI 服务器出货量将同比实现", "%",
            formula=only_input("2023E", "srv_ai_units_growth"), decimals=0),
        Row("ai_units_share_max", "AI servers' share of units, less than", "AI 服务器占比不足", "%",
            formula=only_input("2023E", "srv_ai_units_share_max"), decimals=0),
        Row("ai_units_max", "AI-server shipments 2023, fewer than", None, "万台",
            formula=only("2023E", lambda c: c["shipments"] * c["ai_units_share_max"]), decimals=1),
    ),
)


# ------------------------------------------------------------------------------- §5 CPO
CPO = Exhibit(
    id="s5_cpo",
    title_zh="CPO（共封装光学）市场预测",
    title_en="Co-packaged optics forecasts",
    source=f"{CSC} §5 (LightCounting and others)「到 2027 年，共封装光学的市场收入将达到 54 亿美元」",
    axis="value",
    group=GROUP,
    errata=("E16",),
    rows=(
        Row("switch_year", "Year switching reaches 102.4 Tb/s", "交换演进将在", "year", input="cpo_102t_year",
            decimals=0),
        Row("power_saving", "CPO power saving against pluggables", "CPO 承诺将功耗降低", "%", input="cpo_power_saving",
            decimals=0),
        Row("cost_saving", "CPO cost-per-bit saving", "每比特成本降低", "%", input="cpo_cost_per_bit_saving",
            decimals=0),
        Row("revenue_2027", "CPO market revenue 2027", "共封装光学的市场收入将达到", "亿美元", input="cpo_revenue_2027",
            decimals=0),
        Row("components_2025", "CPO component market 2025, more than", "全球 CPO 组件市场将超", "亿美元",
            input="cpo_components_2025", decimals=0),
        Row("components_2028", "CPO component market 2028", "将增长到", "亿美元", input="cpo_components_2028",
            decimals=0),
        Row("components_cagr", "Component market CAGR 2025-2028", None, "%",
            formula=lambda c: growth.cagr(c["components_2025"], c["components_2028"], 2028 - 2025), decimals=1),
        Row("components_2027", "Component market 2027 on that path", None, "亿美元",
            formula=lambda c: growth.grow(c["components_2025"], c["components_cagr"], 2027 - 2025), decimals=1),
        Row("revenue_vs_components", "2027 revenue against the 2027 component market", None, "x",
            formula=lambda c: c["revenue_2027"] / c["components_2027"], decimals=2),
        Row("port_share", "CPO share of 800G and 1.6T ports 2027", "CPO 端口将占总 800G 和 1.6T 端口的近", "%",
            input="cpo_port_share_2027", decimals=0),
    ),
)


# ------------------------------------------------------------------------------- §6.1 racks, 东数西算
IDC_RACKS = Exhibit(
    id="s6.1_idc_racks",
    title_zh="IDC 新增机柜数量",
    title_en="New IDC racks in China, and the three carriers' additions",
    source=f"{CSC} 摘要 and §6.1「2021 年和 2022 年分别新增机柜数量 120 万架和 150 万架」",
    axis="rack_years",
    group=GROUP,
    rows=(
        Row("national", "New racks nationwide", "新增机柜数量", "万架", input="idc_new_racks", decimals=0),
        Row("national_growth", "Growth of new racks", None, "%",
            formula=lambda c: growth.yoy(c["national"], c.prev("national")), decimals=0),
        Row("carriers", "New racks of the three carriers (2023: planned)", "三大运营商", "万架",
            input="idc_carrier_new_racks", decimals=1),
        Row("carrier_change", "Change of the carriers' additions", None, "%",
            formula=lambda c: growth.yoy(c["carriers"], c.prev("carriers")), decimals=1),
        Row("carrier_share", "Carriers' share of the new racks", None, "%",
            formula=lambda c: c["carriers"] / c["national"], decimals=1),
    ),
)

EAST_DATA_WEST = Exhibit(
    id="s6.1_east_data_west",
    title_zh="“东数西算”工程进展",
    title_en="East-Data-West-Compute: investment, hubs, clusters and western construction",
    source=f"{CSC} §6.1「规划设立 10 个数据中心集群」and (央视新闻)「全国新增投资超过 4000 亿元」",
    axis="value",
    group=GROUP,
    rows=(
        Row("investment", "New investment so far, more than", "全国新增投资超过", "亿元", input="edw_investment_to_date",
            decimals=0),
        Row("investment_fyp", "Investment over the 14th Five-Year Plan, more than", "将累计带动各方面投资超过", "亿元",
            input="edw_investment_fyp", decimals=0),
        Row("hubs", "National compute hubs", "国家算力枢纽节点", "count", input="edw_hubs", decimals=0),
        Row("clusters", "National data-centre clusters", "数据中心集群", "count", input="edw_clusters", decimals=0),
        Row("occupancy", "Average cluster occupancy, at least", "平均上架率至少要达到", "%", input="edw_occupancy_min",
            decimals=0),
        Row("projects", "New data-centre projects this year, nearly", "新开工的数据中心项目近", "count",
            input="edw_new_projects", decimals=0),
        Row("west_racks", "New western construction this year, more than", "西部新增数据中心的建设规模超过", "万架",
            input="edw_west_racks", decimals=0),
        Row("west_multiple", "Against last year", "翻倍", "x", input="edw_west_multiple", decimals=0),
        Row("west_last_year", "Western construction last year the doubling implies", None, "万架",
            formula=lambda c: c["west_racks"] / c["west_multiple"], decimals=0),
    ),
)


# ------------------------------------------------------------------------------- §6.2 PUE retrofit
PUE_RETROFIT = Exhibit(
    id="s6.2_pue_retrofit",
    title_zh="华北某数据中心间接蒸发冷却改造",
    title_en="A North-China data centre retrofitted with indirect evaporative cooling",
    source=f"{CSC} §6.2 (《间接蒸发冷却在华北地区某数据中心的应用》)「机房年均 PUE 降至 1.28」",
    axis="pue_retrofit",
    group=GROUP,
    rows=(
        Row("it_kw", "IT load (phase 1)", "IT 备总负荷为", "kW", input="pue_it_kw", decimals=0),
        Row("pue", "Annual average PUE", "机房年均 PUE", "x", input="pue_before_after", decimals=2),
        Row("facility_kw", "Facility power (IT × PUE)", None, "kW",
            formula=lambda c: power.facility_kw(c["it_kw"], c["pue"]), decimals=0),
        Row("saving_kw", "Power saved", None, "kW",
            formula=only("改造后", lambda c: c.at("facility_kw", 0) - c["facility_kw"]), decimals=0),
        Row("saving_energy", "Energy saved per year", None, "GWh",
            formula=only("改造后", lambda c: power.annual_energy_kwh(c["saving_kw"])), decimals=2),
        Row("cap_high", "Hub PUE cap (张家口, 韶关, 长三角, 芜湖, 天府, 重庆)", "PUE 的要求为", "x",
            formula=only_input("改造后", "pue_hub_cap_high"), decimals=2),
        Row("cap_low", "Hub PUE cap (和林格尔, 贵安, 中卫, 庆阳)", "PUE 的要求为", "x",
            formula=only_input("改造后", "pue_hub_cap_low"), decimals=1),
        Row("meets_cap", "Retrofitted PUE within the 1.25 cap (1 = yes)", None, "flag",
            formula=only("改造后", lambda c: where(c["pue"] <= c["cap_high"], 1, 0)), decimals=0),
        Row("gap_to_cap", "PUE above the 1.25 cap", None, "x",
            formula=only("改造后", lambda c: c["pue"] - c["cap_high"]), decimals=2),
    ),
    note="The retrofit (1.4 → 1.28) still misses the hubs' 1.25 and 1.2: the report's argument for liquid cooling.",
)


# ------------------------------------------------------------------------------- §6.3 offshore wind
def _wind_cumulative(c):
    if c.label == "2021":
        return c.prev("cumulative_all") + c.inp("wind_added_2021_gw")
    return c["cumulative"]


OFFSHORE_WIND = Exhibit(
    id="s6.3_offshore_wind",
    title_zh="中国海上风电装机量",
    title_en="China offshore wind capacity",
    source=f"{CSC} §6.3.2 (国家能源局)「截至 2022 年末，中国海上风电装机量达」30.51GW, 图表154",
    axis="wind_years",
    group=GROUP,
    rows=(
        Row("cumulative", "Capacity at year end", "海上风电装机量达", "GW", input="wind_cumulative_gw", decimals=2),
        Row("added", "Capacity added, more than", "新增装机量超过", "GW", formula=only_input("2021", "wind_added_2021_gw"),
            decimals=1),
        Row("cumulative_all", "Capacity at year end (2021: 2020 + additions)", None, "GW", formula=_wind_cumulative,
            decimals=2),
        Row("added_2022", "Capacity added in 2022", None, "GW",
            formula=only("2022", lambda c: c["cumulative_all"] - c.prev("cumulative_all")), decimals=2),
    ),
)

OFFSHORE_WIND_COST = Exhibit(
    id="s6.3_offshore_wind_cost",
    title_zh="海上风电单 GW 造价与上网电价",
    title_en="Offshore wind build cost per GW and the legacy tariff",
    source=f"{CSC} §6.3.2「目前已经降至 120-130 亿元」",
    axis="range_bounds",
    group=GROUP,
    rows=(
        Row("cost_2010", "Build cost per GW, 2010", "单 GW 造价水平大约在", "亿元",
            formula=only_input("下限", "wind_cost_2010_cny_per_gw"), decimals=0),
        Row("cost_now", "Build cost per GW, now", "目前已经降至", "亿元", input="wind_cost_now_cny_per_gw", decimals=0),
        Row("cost_now_per_kw", "Build cost per kW, now", None, "CNY/kW",
            formula=lambda c: c["cost_now"] / KW_PER_GW, decimals=0,
            note="fig155's feasibility-study costs are 13,000-15,500 CNY/kW"),
        Row("fall_since_2010", "Fall since 2010", None, "%",
            formula=lambda c: c["cost_now"] / c.at("cost_2010", 0) - 1, decimals=1),
        Row("tariff", "Approved tariff of the rush projects", "上网电价", "CNY/kWh",
            formula=only_input("下限", "wind_legacy_tariff"), decimals=2),
        Row("subsidy", "Subsidy in it, more than", "补贴力度超", "CNY/kWh",
            formula=only_input("下限", "wind_legacy_subsidy_min"), decimals=1),
        Row("unsubsidised", "Tariff without the subsidy, at most", None, "CNY/kWh",
            formula=only("下限", lambda c: c["tariff"] - c["subsidy"]), decimals=2),
    ),
)

_PARITY = ("福建", "广东", "海南")   # printed "~": already at grid parity


def _gap(key: str):
    def formula(c):
        if c.label in _PARITY:
            raise Blank(key)
        return c.inp(key)

    return formula


FIG155 = Exhibit(
    id="fig155",
    title_zh="海上风电经济性指标测算",
    title_en="Offshore wind economics by province (reference data; the gaps are back-solved, not reproducible)",
    source=f"{CSC} 图表155 (§6.3.2; 华东勘测设计研究院). 注：最小电价差和最小造价差以资本金 IRR6%反算",
    axis="fig155_provinces",
    group=GROUP,
    errata=("E62",),
    rows=(
        Row("wind_low", "Annual mean wind speed, lower end", "年平均风速（m/s）", "m/s",
            input="fig155_wind_speed_low", decimals=1),
        Row("wind_high", "Annual mean wind speed, upper end", "年平均风速（m/s）", "m/s",
            input="fig155_wind_speed_high", decimals=1),
        Row("hours_low", "Equivalent full-load hours, lower end", "等效满负荷小时数（h）", "hours",
            input="fig155_hours_low", decimals=0),
        Row("hours_high", "Equivalent full-load hours, upper end", "等效满负荷小时数（h）", "hours",
            input="fig155_hours_high", decimals=0),
        Row("capex", "Feasibility-study build cost", "目前可研概算水平 (元/kW)", "CNY/kW",
            input="fig155_capex_cny_per_kw", decimals=0),
        Row("coal_tariff", "Benchmark coal-power tariff", "标杆煤电价格 (元/kWh)", "CNY/kWh",
            input="fig155_coal_tariff", decimals=4),
        Row("tariff_gap", "Smallest tariff gap to parity (blank where printed ~)", "最小电价差 (元/kWh)",
            "CNY/kWh", formula=_gap("fig155_min_tariff_gap"), decimals=3),
        Row("capex_gap", "Smallest build-cost gap to parity (blank where printed ~)", "最小造价差 (元/kW)", "CNY/kW",
            formula=_gap("fig155_min_capex_gap"), decimals=0),
        Row("gap_ratio", "Build-cost gap per tariff gap (one annuity factor would make it constant)", None, "hours",
            formula=lambda c: c["capex_gap"] / c["tariff_gap"], decimals=0, note="(CNY/kW) ÷ (CNY/kWh) = hours"),
        Row("parity_tariff", "Tariff at which the province breaks even (coal tariff + gap)", None, "CNY/kWh",
            formula=lambda c: c["coal_tariff"] + c["tariff_gap"], decimals=4),
    ),
    note="Not reproducible: the gaps are back-solved at a 6% equity IRR from financing inputs the report does "
         "not give, and the ratio of the two gaps runs from 31,111 (广西) to 198,333 (上海), so no single "
         "annuity factor links them (erratum E62). Shipped as reference data. 福建, 广东 and 海南 print ~.",
)


# ------------------------------------------------------------------------------- fig159 UDC vs land
def _capex_per_mw(c):
    return c.inp("udc_land_capex_usd_per_mw") * where(c.inp("udc_capex_per_mw_as_printed"), 1, 100)


FIG159 = Exhibit(
    id="fig159",
    title_zh="水下数据中心与传统陆上 IDC 部分指标对比",
    title_en="Undersea against land data centres: the build cost per MW checked against the report's own capex",
    source=f"{CSC} 图表159 (§6.3.3; Dgtl Infra); capex per kW from §6.2 (数据港)「制冷系统约占数据中心建设投资的 20%左右」",
    axis="range_bounds",
    group=GROUP,
    errata=("E19",),
    rows=(
        Row("capex_sqft", "Land build cost per square foot", "每平方英尺", "USD/sq ft",
            input="udc_land_capex_usd_per_sqft", decimals=0),
        Row("capex_mw", "Land build cost per MW of IT load (E19 switch off: read as million USD)", "每兆瓦 IT 负载",
            "万美元", formula=_capex_per_mw, decimals=0),
        Row("capex_kw", "Land build cost per kW of IT load", None, "USD",
            formula=lambda c: c["capex_mw"] / KW_PER_MW, decimals=0),
        Row("report_capex_kw", "Capex per kW from the report's cooling figures (7,000 CNY/kW = 20%)", None, "CNY/kW",
            formula=lambda c: power.datacenter_capex(c.inp("cooling_air_cny_per_kw"), c.inp("cooling_share_of_capex")),
            decimals=0),
        Row("implied_cny_per_usd", "CNY per USD that would reconcile the two", None, "x",
            formula=lambda c: c["report_capex_kw"] / c["capex_kw"], decimals=1),
        Row("build_days", "Build time of a conventional data centre", "传统数据中心的完整建设周期在", "days",
            formula=only_input("下限", "udc_build_days"), decimals=0),
        Row("tco_saving", "UDC TCO per kW saved", "单千瓦 TCO（建设成本+运营成本）节约", "%", input="udc_tco_saving",
            decimals=0),
        Row("land_share", "UDC land use against land IDC", "土地占用仅", "%", formula=only_input("下限", "udc_land_share"),
            decimals=0, note="printed 1/5"),
        Row("unattended", "Years a UDC runs unattended", "运行长达", "years",
            formula=only("下限", lambda c: c.inp("udc_unattended_years") * DAYS_PER_YEAR), decimals=0),
        Row("life", "UDC life", "生命周期在", "years",
            formula=only("下限", lambda c: c.inp("udc_life_years") * DAYS_PER_YEAR), decimals=0),
        Row("land_wue", "Land data-centre WUE 2021", "行业平均 WUE 是每千瓦时", "L/kWh",
            formula=only_input("下限", "udc_land_wue"), decimals=1),
    ),
    note="The report adds '具体见下文表格', but no such table follows (erratum E19). At 7万-12万 USD per MW "
         "the report's own 35,000 CNY per kW would need 290-500 CNY to the dollar; at the source's USD 7-12 "
         "million per MW, 2.9-5.0.",
)


# ------------------------------------------------------------------------------- §6.3.3 UDC water
UDC_WATER = Exhibit(
    id="s6.3_udc_water",
    title_zh="海底数据中心节水",
    title_en="Water an undersea data centre saves",
    source=f"{CSC} §6.3.3「典型规模年省水 60 万立方米」",
    axis="value",
    group=GROUP,
    rows=(
        Row("per_rack", "Water saved per rack and year", "立方米/机柜·年", "m³", input="udc_water_m3_per_rack_year",
            decimals=0),
        Row("typical", "Water a typical UDC saves per year", "典型规模年省水", "万m³", input="udc_water_typical_m3",
            decimals=0),
        Row("racks", "Racks of the typical UDC the two imply", None, "racks",
            formula=lambda c: c["typical"] / c["per_rack"], decimals=0),
    ),
)


# ------------------------------------------------------------------------------- fig160 Natick
FIG160 = Exhibit(
    id="fig160",
    title_zh="微软 Natick 项目测试指标",
    title_en="Microsoft Project Natick test parameters",
    source=f"{CSC} 图表160 (§6.3.4; 微软) and §6.3.4「为期 4 个月的水下概念验证测试」",
    axis="natick_phases",
    group=GROUP,
    errata=("E60", "E61"),
    rows=(
        Row("launched", "Launched", "Launched", "text", text=("August 2015", "June 2018", "Future")),
        Row("duration", "Duration", "Duration", "text", text=("105 days", "2 years", "5 years")),
        Row("location", "Location", "Location", "text", text=("California", "Scotland", "TBD")),
        Row("racks", "Racks", "Racks", "racks", input="natick_racks", decimals=0),
        Row("servers", "Servers", "Servers", "count", input="natick_servers", decimals=0),
        Row("length", "Length", "Length", "text", text=("10ft(3m)", "40ft(12.2m)", "<300ft(<91.5m)")),
        Row("depth", "Depth", "Depth", "text", text=("Shallow", "117ft(36 m)", ">131ft(>40m)")),
        Row("servers_per_rack", "Servers per rack", None, "count",
            formula=lambda c: c["servers"] / c["racks"], decimals=0),
        Row("scale_up", "Racks against the previous phase", None, "x",
            formula=lambda c: c["racks"] / c.prev("racks"), decimals=0),
        Row("length_m", "Length in metres (Phase 3: less than)", None, "m",
            formula=lambda c: c.inp("natick_length_ft") * METRES_PER_FOOT, decimals=2),
        Row("depth_m", "Depth in metres (Phase 3: more than)", None, "m",
            formula=lambda c: c.inp("natick_depth_ft") * METRES_PER_FOOT, decimals=1),
        Row("disk_per_server", "Disk per server", "每一台都有", "GB",
            formula=only("Phase 2", lambda c: c.inp("natick_disk_tb_per_server") * GB_PER_TB), decimals=0),
        Row("disk", "Total disk", "总磁盘", "PB",
            formula=only("Phase 2", lambda c: c["servers"] * c["disk_per_server"]), decimals=1),
        Row("power", "Power", "第二阶段需要", "kW", formula=only_input("Phase 2", "natick_phase2_kw"), decimals=0),
        Row("w_per_server", "Power per server", None, "W",
            formula=only("Phase 2", lambda c: c["power"] / c["servers"]), decimals=0),
        Row("kw_per_rack", "Power per rack", None, "kW",
            formula=only("Phase 2", lambda c: c["power"] / c["racks"]), decimals=0),
        Row("duration_days", "Phase 1 duration (table)", None, "days",
            formula=only_input("Phase 1", "natick_phase1_days"), decimals=0),
        Row("duration_text", "Phase 1 duration as the text states it", "的水下概念验证测试", "months",
            formula=only("Phase 1", lambda c: c.inp("natick_phase1_text_months") * DAYS_PER_YEAR / MONTHS_PER_YEAR),
            decimals=0, note="the table: 105 days = 3.5 months (erratum E60)"),
        Row("depth_text", "Phase 3 depth as the text states it, more than", "的深度", "ft",
            formula=only_input("Phase 3", "natick_phase3_text_depth_ft"), decimals=0,
            note="the table: >131ft(>40m) (erratum E61)"),
    ),
    note="Phase 2 PUE 1.07 and a failure rate 1/8 of land data centres (§6.3.4「故障率是地面数据中心故障率的八分之一」).",
)


# ------------------------------------------------------------------------------- repeated figure titles
FIGURE_TITLES = Exhibit(
    id="figure_titles",
    title_zh="重复的图表标题",
    title_en="Figure titles the report repeats for a different figure",
    source=f"{CSC} 图表123/124 (§4), 图表127 (§4)/136 (§5), 图表144/157 and 145/158 (§6.2/§6.3.3)",
    axis="duplicate_titles",
    group=GROUP,
    errata=("E29",),
    rows=(
        Row("first", "First figure and title", None, "text",
            text=("图表123： GH200 的网络连接示意图", "图表127： 交换机发展示意图", "图表144： IDC 机房的各类消耗",
                  "图表145： 我国数据中心能耗分布")),
        Row("first_section", "Its section", None, "text", text=("§4", "§4", "§6.2", "§6.2")),
        Row("repeat", "Later figure with the same title", None, "text",
            text=("图表124： GH200 的网络连接示意图", "图表136： 交换机发展示意图", "图表157： IDC 机房的各类消耗",
                  "图表158： 我国数据中心能耗分布")),
        Row("repeat_section", "Its section", None, "text", text=("§4", "§5", "§6.3.3", "§6.3.3")),
        Row("first_source", "Source the report gives for the first", None, "text",
            text=("英伟达", "思科", "中国热管理网", "赛迪顾问")),
        Row("repeat_source", "Source the report gives for the later one", None, "text",
            text=("思科", "Cisco", "中国热管理网", "中国热管理网")),
    ),
)


EXHIBITS = (
    AI_INVESTMENT, CAICT, GPT_SCALE, TENSOR_CORE, NVLINK, TPU_V4, RND_COST, PACKAGING, COWOS, HBM_BANDWIDTH,
    HBM_VALUE, FIG85, CIM, AI_SERVER_SHARE, SERVER_MARKET, CPO, IDC_RACKS, EAST_DATA_WEST, PUE_RETROFIT,
    OFFSHORE_WIND, OFFSHORE_WIND_COST, FIG155, FIG159, UDC_WATER, FIG160, FIGURE_TITLES,
)
