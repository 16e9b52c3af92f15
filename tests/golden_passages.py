"""Every printed number of seed 000's passages that suanli reproduces, transcribed from the report.

ALL: exhibit -> row key -> (the phrase of the report naming the number, exactly as printed;
the cells as printed, space-separated).  A cell's text carries its precision ("26.5%" is
compared as a percentage at one decimal, "1.5×10^3" at two significant figures); "-" is a
cell the report leaves blank, "_" one it does not print in that column.  Where the report
writes a unit suanli does not display, the cell is converted: "3 万亿元" is "3×10^4" 亿元,
"45TB" is "45×10^3" GB, "10K/mm2" is "10×10^3", "1/5" is "20%", "1.2pct" is "1.2%".

DERIVED: values the report does not print but that follow from its numbers (the
consistency checks of the catalogue of the report's models), as exhibit -> row -> cells.

DEVIATIONS: printed values that do not follow from the report's other numbers:
(exhibit, row, column) -> (printed, erratum, the consistent value at the precision shown).

Source: 中信建投《算力大时代，AI 算力产业链全景梳理》(2023), §1.2, §2.1.1, §2.2, §2.3, §3.2, §3.4,
§5, §6.1-§6.3, 图表85, 图表155, 图表159, 图表160.
"""

FIG85 = {
    "market": ("市场规模（百万美元）", "500 458 557 846 1227 1894 2497"),
    "yoy": ("YoY", "- -8.4% 21.6% 51.9% 45.0% 54.4% 31.8%"),
    "trendforce_low": ("2023-2025 年 HBM 市场 CAGR 有望成长至", "_ _ _ _ _ _ 40%"),
    "trendforce_high": ("2023-2025 年 HBM 市场 CAGR 有望成长至", "_ _ _ _ _ _ 45%"),
    "market_text": ("至 2025 年市场规模有望快速增至", "_ _ _ _ _ _ 25"),
}

HBM_VALUE = {
    "gb_per_gpu": ("单颗 GPU 配套的 HBM 显存存储容量达到", "80"),
    "usd_per_gpu": ("对应价值量约为", "800"),
    "gpus_avg": ("加权平均数约为", "8"),
    "gpus_max": ("单机 GPGPU 搭载量最多达到", "20"),
    "dram_bit_share": ("HBM 占整个 DRAM 市场比重仅约", "1.5%"),
    "skhynix_low": ("SK 海力士在 HBM 市场已获得", "60%"),
    "skhynix_high": ("SK 海力士在 HBM 市场已获得", "70%"),
    "stack_dies": ("支持 16-Hi 堆栈", "16"),
    "stack_gb": ("堆栈容量达到", "64"),
    "hbm2_area_saving": ("HBM2 比 GDDR5 节省了", "94%"),
    "hbm2_power_saving": ("的功耗", "20%"),
    "bw_per_watt": ("每瓦带宽比 GDDR5 高出", "3"),
}

HBM_BANDWIDTH = {
    "bus_bits": ("显存位宽", "1024 _ _"),
    "pin_gbps": ("最高数据传输速率", "_ 6.4 8.4"),
    "bandwidth": ("显存带宽", "128 819 1075"),
    "claimed_multiple": ("相对初代增加了", "_ 7 _"),
}

PACKAGING = {
    "share": ("先进封装占比", "39% 44% 53%"),
    "ap_market": ("先进封装市场规模", "_ _ 651"),
    "ap_cagr": ("CAGR 约为", "_ _ 9.6%"),
    "total_cagr": ("市场整体", "_ _ 6.3%"),
    "traditional_cagr_printed": ("传统封装市场", "_ _ 3.3%"),
    "flip_chip": ("倒装", "_ 262.7 _"),
    "flip_chip_share": ("占比", "_ 70% _"),
}

COWOS = {
    "interposer_mm2": ("硅中介层扩大到", "2500"),
    "reticle_multiple": ("光罩面积", "3"),
    "hbm_stacks": ("HBM2E 堆栈", "8"),
    "hbm_gb": ("容量高达", "128"),
    "transistors": ("晶体管数量是第 3 代的", "20"),
    "gen6_dies": ("运算核心", "2"),
    "gen6_hbm": ("HBM 缓存芯片", "12"),
    "tsv_volume": ("TSV 技术能够缩减", "30%"),
    "tsv_energy": ("并降低", "50%"),
    "soic_density": ("垂直互连密度", "10×10^3"),
    "soic_thermal": ("热阻比微凸点下降低", "35%"),
}

RND_COST = {
    "cost_5nm": ("5nm 制程的芯片研发费用增至", "5.42"),
    "multiple": ("几乎是 28nm 芯片研发费用的", "10.6"),
}

CIM = {
    "small_mid": ("中小算力芯片市场规模约为", "1069"),
    "large": ("大算力芯片市场规模约为", "67"),
    "total": ("总市场规模约为", "1136"),
}

GPT_SCALE = {
    "gpt_params": ("GPT 参数量", "1.17"),
    "gpt3_params": ("GPT-3 参数量达", "1750"),
    "multiple": ("相比 GPT 增长了近", "1.5×10^3"),
    "gpt_data": ("预训练数据量约", "5"),
    "gpt3_data": ("预训练数据量达", "45×10^3"),
}

TENSOR_CORE = {
    "fma_per_clock": ("在一个GPU时钟周期内执行", "64"),
    "vs_pascal": ("吞吐量是 Pascal架构下CUDA Core", "12"),
    "h100_vs_a100": ("H100 在 FP16 Tensor Core 的峰值吞吐量提升至 A100 的", "3"),
    "fp8_vs_a100_fp16": ("H100 FP8 Tensor Core 的吞吐量是 A100 FP16 Tensor Core 的", "6"),
    "v100_fp32": ("V100 的 FP32 算力", "15.7"),
    "v100_fp64": ("也近似为 FP64", "7.8"),
    "v100_ratio": ("的两倍", "2"),
}

NVLINK = {
    "nvlink4": ("第四代 NVLink 为每个 GPU 提供", "900"),
    "vs_gen3": ("比上一代高", "1.5"),
    "vs_gen1": ("比第一代 NVLink 高", "5.6"),
    "nvlink3_one_way": ("单向带宽为", "300"),
    "nvlink4_one_way": ("单向带宽为", "450"),
    "pcie4_x16": ("x16 PCIe 4.0 双向带宽", "64"),
}

TPU_V4 = {
    "speed": ("最高快", "1.7"),
    "efficiency": ("节能效率提高", "1.9"),
    "bert": ("应用 BERT 场景下性能是 A100 的", "1.15"),
    "resnet": ("ResNet 场景下 TPU v4 则是 A100 性能的", "1.67"),
}

AI_INVESTMENT = {
    "global": ("全球人工智能 IT 投资额", "929.5 3014.3"),
    "global_cagr": ("复合年增长率约", "_ 26.5%"),
    "china": ("中国市场 AI 投资预计将达", "_ 266.9"),
    "china_share": ("约占全球投资", "_ 8.9%"),
    "china_cagr": ("复合年增长率约", "_ 21.7%"),
    "hw_share_min": ("占人工智能总投资的", "_ 50%"),
    "china_hw": ("中国在人工智能硬件市场的 IT 投资将超过", "_ 150"),
    "china_hw_cagr": ("五年复合年增长率", "_ 16.5%"),
    "server_share_min": ("预计将占总投入的", "_ 80%"),
}

CAICT = {
    "basic": ("基础算力规模为", "369 _"),
    "ai": ("智能算力规模为", "232 _"),
    "super": ("超算算力规模为", "14 _"),
    "global": ("全球计算设备算力总规模达到", "615 56×10^3"),   # 2030 printed 56ZFlps
    "global_yoy": ("同比增长", "44% _"),
    "global_cagr": ("平均年均增长", "_ 65%"),
    "china": ("我国计算设备算力总规模达到", "202 _"),
    "china_share": ("全球占比约为", "33% _"),
    "china_growth_min": ("的高速增长态势", "50% _"),
    "china_ai_growth": ("增速为", "85% _"),
    "china_ai_share_min": ("在我国算力中的占比超过", "50% _"),
}

AI_SERVER_SHARE = {
    "ai_market": ("全球 AI 服务器市场规模", "_ 202"),
    "share": ("占服务器市场规模的比例为", "_ 16.4%"),
    "share_change": ("同比提升", "_ 1.2%"),
}

SERVER_MARKET = {
    "china": ("我国服务器市场规模为", "273.4 308"),
    "china_growth_min": ("服务器市场规模有望实现超", "_ 10%"),
    "shipments": ("全球服务器整机出货量预测至", "_ 1383.5"),
    "shipments_decline": ("同比减少", "_ 2.85%"),
    "q1_decline": ("全球服务器出货量环比减少了", "_ 15.9%"),
    "q2_growth": ("环比增长预估仅为", "_ 9.23%"),
    "ai_units_growth": ("AI 服务器出货量将同比实现", "_ 10%"),
    "ai_units_share_max": ("AI 服务器占比不足", "_ 10%"),
}

CPO = {
    "switch_year": ("交换演进将在", "2025"),
    "power_saving": ("CPO 承诺将功耗降低", "30%"),
    "cost_saving": ("每比特成本降低", "40%"),
    "revenue_2027": ("共封装光学的市场收入将达到", "54"),
    "components_2025": ("全球 CPO 组件市场将超", "13"),
    "components_2028": ("将增长到", "27"),
    "port_share": ("CPO 端口将占总 800G 和 1.6T 端口的近", "30%"),
}

IDC_RACKS = {
    "national": ("新增机柜数量", "120 150 _"),
    "carriers": ("三大运营商", "_ 15.6 11.4"),
}

EAST_DATA_WEST = {
    "investment": ("全国新增投资超过", "4000"),
    "investment_fyp": ("将累计带动各方面投资超过", "3×10^4"),
    "hubs": ("国家算力枢纽节点", "8"),
    "clusters": ("数据中心集群", "10"),
    "occupancy": ("平均上架率至少要达到", "65%"),
    "projects": ("新开工的数据中心项目近", "70"),
    "west_racks": ("西部新增数据中心的建设规模超过", "60"),
    "west_multiple": ("翻倍", "2"),
}

PUE_RETROFIT = {
    "it_kw": ("IT 备总负荷为", "3150 _"),
    "pue": ("机房年均 PUE", "1.4 1.28"),
    "cap_high": ("PUE 的要求为", "_ 1.25"),
    "cap_low": ("PUE 的要求为", "_ 1.2"),
}

OFFSHORE_WIND = {
    "cumulative": ("海上风电装机量达", "9.89 _ 30.51"),
    "added": ("新增装机量超过", "_ 16.9 _"),
}

OFFSHORE_WIND_COST = {
    "cost_2010": ("单 GW 造价水平大约在", "240 _"),
    "cost_now": ("目前已经降至", "120 130"),
    "tariff": ("网电价", "0.85 _"),
    "subsidy": ("补贴力度超", "0.4 _"),
}

FIG155 = {
    "wind_low": ("年平均风速（m/s）", "6.5 6.5 6.5 6.5 7.0 7.0 7.0 7.5 7.0 6.5 6.5"),
    "wind_high": ("年平均风速（m/s）", "8 8 8 8 8.0 8.0 8.0 10 9.0 8.0 8.5"),
    "hours_low": ("等效满负荷小时数（h）", "2750 2750 2750 2750 3080 3080 3080 3300 2750 2420 2420"),
    "hours_high": ("等效满负荷小时数（h）", "3200 3300 3300 3300 3300 3450 3450 4100 3700 3200 3550"),
    "capex": ("目前可研概算水平 (元/kW)", "13000 13000 13500 13500 13000 14000 14500 15000 15500 13000 13000"),
    "coal_tariff": ("标杆煤电价格 (元/kWh)",
                    "0.3749 0.3655 0.372 0.3949 0.391 0.4155 0.4153 0.3932 0.453 0.4207 0.4298"),
    "tariff_gap": ("最小电价差 (元/kWh)", "0.083 0.086 0.095 0.025 0.015 0.006 0.039 - - 0.045 -"),
    "capex_gap": ("最小造价差 (元/kW)", "2600 2740 3030 1300 1000 1190 1670 - - 1400 -"),
}

FIG159 = {
    "capex_sqft": ("每平方英尺", "600 1,100"),
    "capex_mw": ("每兆瓦 IT 负载", "7 12"),
    "build_days": ("传统数据中心的完整建设周期在", "400 _"),
    "tco_saving": ("单千瓦 TCO（建设成本+运营成本）节约", "15% 20%"),
    "land_share": ("土地占用仅", "20% _"),                   # printed 1/5
    "unattended": ("运行长达", "5 _"),
    "life": ("生命周期在", "20 _"),
    "land_wue": ("行业平均 WUE 是每千瓦时", "1.8 _"),
}

UDC_WATER = {
    "per_rack": ("立方米/机柜·年", "200"),
    "typical": ("典型规模年省水", "60"),
}

FIG160 = {
    "racks": ("Racks", "1 12 144"),
    "servers": ("Servers", "24 864 10,368"),
    "disk_per_server": ("每一台都有", "_ 32×10^3 _"),        # 32TB
    "disk": ("总磁盘", "_ 27.6 _"),
    "power": ("第二阶段需要", "_ 240 _"),
    "duration_text": ("的水下概念验证测试", "4 _ _"),
    "depth_text": ("的深度", "_ _ 117"),
}

ALL = {
    "fig85": FIG85, "s2.3.1_hbm_value": HBM_VALUE, "s2.3.1_hbm_bandwidth": HBM_BANDWIDTH,
    "s2.3.1_packaging": PACKAGING, "s2.3.1_cowos": COWOS, "s2.3.1_rnd_cost": RND_COST, "s2.3.2_cim": CIM,
    "s2.1.1_gpt_scale": GPT_SCALE, "s2.1.1_tensor_core": TENSOR_CORE, "s2.1.1_nvlink": NVLINK,
    "s2.2_tpu_v4": TPU_V4, "s1.2_ai_investment": AI_INVESTMENT, "s1.2_caict_compute": CAICT,
    "s3.2_ai_server_share": AI_SERVER_SHARE, "s3.4_server_market": SERVER_MARKET, "s5_cpo": CPO,
    "s6.1_idc_racks": IDC_RACKS, "s6.1_east_data_west": EAST_DATA_WEST, "s6.2_pue_retrofit": PUE_RETROFIT,
    "s6.3_offshore_wind": OFFSHORE_WIND, "s6.3_offshore_wind_cost": OFFSHORE_WIND_COST, "fig155": FIG155,
    "fig159": FIG159, "s6.3_udc_water": UDC_WATER, "fig160": FIG160,
}

# Text cells, compared as strings.
TEXT = {
    "fig160": {
        "launched": ("Launched", ("August 2015", "June 2018", "Future")),
        "duration": ("Duration", ("105 days", "2 years", "5 years")),
        "location": ("Location", ("California", "Scotland", "TBD")),
        "length": ("Length", ("10ft(3m)", "40ft(12.2m)", "<300ft(<91.5m)")),
        "depth": ("Depth", ("Shallow", "117ft(36 m)", ">131ft(>40m)")),
    },
}

DERIVED = {
    "fig85": {"yoy": "- -8.40% 21.62% 51.89% 45.04% 54.36% 31.84%", "cagr_2023_2025": "_ _ _ _ _ _ 42.7%",
              "cagr_in_range": "_ _ _ _ _ _ 1"},
    "s2.3.1_hbm_value": {"usd_per_gb": "10", "per_server_avg": "6400", "per_server_max": "16000",
                         "gb_per_die": "4"},
    "s2.3.1_hbm_bandwidth": {"bandwidth": "128.0 819.2 1075.2", "multiple": "1.0 6.4 8.4",
                             "pin_gbps": "1 _ _"},
    "s2.3.1_packaging": {"ap_market_all": "_ 375.6 651.0", "total_market": "_ 853.6 1228.3",
                         "traditional_market": "_ 478.0 577.3", "traditional_cagr": "_ _ 3.19%",
                         "flip_chip_share": "_ 69.9% _", "total_cagr": "_ _ 6.25%"},
    "s2.3.1_cowos": {"reticle_mm2": "833.3", "gb_per_stack": "16"},
    "s2.3.1_rnd_cost": {"cost_28nm": "0.511"},
    "s2.1.1_gpt_scale": {"multiple": "1495.7", "data_multiple": "9000"},
    "s2.1.1_tensor_core": {"h100_vs_a100": "3.17", "fp8_vs_a100_fp16": "6.34", "v100_ratio": "2.01"},
    "s2.1.1_nvlink": {"gen1": "160.7", "nvlink4_vs_pcie4": "14.1"},
    "s1.2_ai_investment": {"global_cagr": "_ 26.53%", "china_share": "_ 8.85%", "china_2021": "100.0 _",
                           "china_hw_2021": "69.9 _", "hw_share": "_ 56.2%", "servers_min": "_ 120"},
    "s1.2_caict_compute": {"global_2020": "427 _", "global_cagr": "_ 65.1%", "china_share": "32.8% _"},
    "s3.2_ai_server_share": {"server_market": "1026.3 1231.7", "share": "15.2% 16.4%",
                             "server_growth": "- 20.0%"},
    "s3.4_server_market": {"china_growth": "_ 12.7%", "growth_check": "_ 1", "shipments_2022": "1424.1 _"},
    "s5_cpo": {"components_cagr": "27.6%", "components_2027": "21.2", "revenue_vs_components": "2.55"},
    "s6.1_idc_racks": {"carrier_change": "_ _ -26.9%", "national_growth": "_ 25% _"},
    "s6.1_east_data_west": {"west_last_year": "30"},
    "s6.2_pue_retrofit": {"facility_kw": "4410 4032", "saving_kw": "_ 378", "saving_energy": "_ 3.31",
                          "meets_cap": "_ 0"},
    "s6.3_offshore_wind": {"cumulative_all": "9.89 26.79 30.51", "added_2022": "_ _ 3.72"},
    "s6.3_offshore_wind_cost": {"cost_now_per_kw": "12000 13000"},
    "fig155": {"gap_ratio": "_ _ _ _ _ 198333 _ _ _ 31111 _"},
    "fig159": {"capex_kw": "70 120", "report_capex_kw": "35000 35000", "implied_cny_per_usd": "500.0 291.7"},
    "s6.3_udc_water": {"racks": "3000"},
    # the metric lengths the table prints in brackets: 3m, 12.2m (and <91.5m, a bound: 91.44), 36 m, >40m
    "fig160": {"servers_per_rack": "24 72 72", "scale_up": "- 12 12", "w_per_server": "_ 278 _",
               "kw_per_rack": "_ 20 _", "length_m": "3 12.2 91.44", "depth_m": "_ 36 40"},
}

DEVIATIONS = {
    ("s2.3.1_hbm_bandwidth", "multiple", "HBM3 6.4Gbps（SK 海力士）"): ("7", "E26", "6.4"),
    ("s2.3.1_packaging", "traditional_cagr", "2027"): ("3.3%", "E66", "3.2%"),
}

# Each switch erratum with its switch off: (exhibit, switch) -> row -> cells (the consistent values).
CORRECTED = {
    # E19 off: the build cost read as million USD
    ("fig159", "udc_capex_per_mw_as_printed"): {"capex_mw": "700 1200", "implied_cny_per_usd": "5.0 2.9"},
}
