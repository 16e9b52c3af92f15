"""Every printed number of seed 001 that suanli reproduces, transcribed from the text.

Same layout as golden_passages.py: ALL (the phrase naming each printed number, exactly as
printed, and the cells), DERIVED (checks the text does not print) and DEVIATIONS (printed
values that do not follow from the text's other numbers, each a named erratum).  Conversions:
"2 万枚" is "2×10^4" cards, "近千台" "1×10^3", "45TB" "45×10^3" GB, "1/3" "33.3%",
"近5600倍" "5.6×10^3".

Source: 《AI 服务器行业深度：驱动因素、市场机遇、产业链及相关企业深度梳理》, L7-L342.
"""

GLOBAL_MARKET = {
    "server": ("全球服务器市场规模达到", "_ 831.7 _ _ _ _ _"),
    "server_yoy": ("同比增长", "_ 6.97% _ _ _ _ _"),
    "ai": ("AI 服务器市场", "_ 156.3 _ _ _ _ 347.1"),
    "ai_yoy": ("同比增长", "_ 39.1% _ _ _ _ _"),
    "ai_cagr": ("5 年 CAGR 达到", "_ _ _ _ _ _ 17.3%"),
}

CHINA_MARKET = {
    "units": ("大陆 AI 服务器出货量", "28.4 _ _ _ _ 65"),
    "sales": ("大陆 AI 服务器销售额", "72.55 _ _ _ _ 163.99"),
    "sales_cagr": ("CAGR 为", "_ _ _ _ _ 17.7%"),
}

WORKLOAD_MIX = {
    "inference": ("推理负载占比约", "55.5%"),
    "gpu": ("市场占有率近", "90%"),
    "non_gpu": ("非 GPU 芯片市场占有率超过", "10%"),
    "non_gpu_2025": ("其他非 GPU 芯片占比超过", "20%"),
}

NLP_GROWTH = {
    "elmo": ("ELMo", "9400"),
    "mtnlg": ("Megatron-Turing NLG", "5300"),
    "years": ("过去4年", "4"),
    "multiple": ("增长了近", "5.6×10^3"),
}

GPT_SCALE = {
    "params": ("参数量", "1.17 15 1750"),
    "data": ("预训练数据量", "5 40 45×10^3"),
}

LLM_GPUS = {
    "gpt35_gpus": ("GPT-3.5 大模型需要高达", "2×10^4"),
    "gpt35_gpus_later": ("未来商业化后或将超过", "3×10^4"),
    "gpus_per_server": ("一般搭载", "8"),
    "gpt4_servers": ("近千台浪潮 NF5688M6 服务器", "1×10^3"),
    "nf5688m6_gpus": ("8 个 NVIDIA 最新的 NVSwitch 全互联 500W Ampere 架构 GPU", "8"),
    "nvidia_training_share": ("在大模型训练市场的市占比近", "100%"),
}

GPU_COMPARE = {
    "h100_vs_a100": ("较 A100 计算速度快约", "3"),
    "a800_cut": ("在互联带宽方面被削弱", "33.3%"),        # printed 1/3
    "v100_nm": ("V100 工艺为", "12"),
}

SERVER_CPU = {
    "clock": ("主频", "2.7 3.8"),
    "cores": ("核心数量", "24 56"),
}

P2P_BANDWIDTH = {
    "bandwidth": ("P2P 带宽高值", "300 50 32"),
}

SERVER_BOM = {
    "price": ("售价", "10424 268495"),
    "cpu_share": ("CPU 占比", "17.7% 1.9%"),
    "gpu_share": ("GPU 占比高达", "_ 72.6%"),
    "memory_share": ("占比下降至", "_ 4.2%"),
    "mem_disk_share": ("内存和硬盘占比超过", "50% _"),
}

MARKET_SHARES = {
    "intel": ("仍占据全球服务器市场", "70.77%"),
    "amd": ("占据 19.84% 的市场份额", "19.84%"),
    "nvidia_discrete": ("2021Q1 市占率达到", "83%"),
}

MEMORY_WALL = {
    "processor": ("处理器的性能以每年大约", "55%"),
    "memory": ("内存性能的提升速度则只有每年", "10%"),
    "hbm_layers": ("以至", "12"),
}

ACCELERATORS = {
    "now": ("当前每台人工智能服务器上配备", "2 3 3"),
    "future": ("比例最高的服务器有望配备", "4 7 5"),
    "months": ("未来 18 个月", "18 _ _"),
    "ai_server_min_gpus": ("基础要求为四块以上的 GPU 卡", "4 _ _"),
    "training_server_gpus": ("一般搭载", "8 _ _"),
}

INDUSTRY = {
    "financing": ("中国 AI 芯片行业投融资额达到", "179.5"),
    "isg_q": ("实现营收同比增长", "56.2%"),
    "isg_fy": ("全财年营收同比增长", "36.6%"),
    "isg_outgrowth": ("营收增长超市场平均水平", "20%"),
}

ALL = {
    "s001_global_market": GLOBAL_MARKET, "s001_china_market": CHINA_MARKET, "s001_workload_mix": WORKLOAD_MIX,
    "s001_nlp_growth": NLP_GROWTH, "s001_gpt_scale": GPT_SCALE, "s001_llm_gpus": LLM_GPUS,
    "s001_gpu_compare": GPU_COMPARE, "s001_server_cpu": SERVER_CPU, "s001_p2p_bandwidth": P2P_BANDWIDTH,
    "s001_server_bom": SERVER_BOM, "s001_market_shares": MARKET_SHARES, "s001_memory_wall": MEMORY_WALL,
    "s001_accelerators": ACCELERATORS, "s001_industry_points": INDUSTRY,
}

TEXT = {
    "s001_gpt_scale": {"released": (None, ("2018-06", "2019-02", "2020-05"))},
    "s001_server_cpu": {"cpu": (None, ("Xeon 8168", "Xeon 8480C")), "generation": (None, ("第三代至强", "第四代至强"))},
}

# The checks of the catalogue of seed 001's models (not printed).
DERIVED = {
    "s001_global_market": {
        "server_2020": "777.51 _ _ _ _ _ _", "ai_2020": "112.37 _ _ _ _ _ _",
        "ai_share": "14.45% 18.79% _ _ _ _ _", "non_ai": "665.1 675.4 _ _ _ _ _", "non_ai_yoy": "- 1.5% _ _ _ _ _",
        "ai_cagr": "_ _ _ _ _ _ 17.300%", "ai_path": "112.4 156.3 183.3 215.1 252.3 295.9 347.1",
    },
    "s001_china_market": {
        "units_cagr": "_ _ _ _ _ 18.01%", "units_cagr_low": "_ _ _ _ _ 17.79%", "units_cagr_high": "_ _ _ _ _ 18.23%",
        "units_cagr_feasible": "_ _ _ _ _ 1", "units_2027_at_stated": "_ _ _ _ _ 64.70",
        "units_path": "28.40 33.51 39.55 46.67 55.08 65.00", "sales_cagr": "_ _ _ _ _ 17.72%",
        "sales_path": "72.55 85.40 100.53 118.34 139.31 163.99", "asp": "25546 _ _ _ _ 25229",
        "asp_cagr": "_ _ _ _ _ -0.25%",
    },
    "s001_workload_mix": {"training": "44.5%", "non_gpu_multiple": "2"},
    "s001_nlp_growth": {"multiple": "5638.3", "per_year": "8.665"},
    "s001_gpt_scale": {"params_step": "- 12.82 116.67", "params_vs_gpt1": "_ _ 1495.7", "data_step": "- 8 1125"},
    "s001_llm_gpus": {"gpt35_servers": "2500", "gpt35_servers_later": "3750", "growth": "50%", "gpt4_gpus": "8000",
                      "gpt4_vs_gpt35": "0.4"},
    "s001_gpu_compare": {"h100_vs_a100": "3.436", "a800_nvlink": "400"},
    "s001_server_cpu": {"core_multiple": "- 2.333", "clock_multiple": "- 1.407"},
    "s001_p2p_bandwidth": {"vs_pcie3": "9.375 1.5625 1", "vs_sxm2": "6 1 0.64"},
    "s001_server_bom": {
        "cpu_value": "1845.0 5101.4", "gpu_value": "_ 194927.4", "per_gpu": "_ 24365.9", "memory_value": "_ 11276.8",
        "other_share": "_ 21.3%", "other_value": "_ 57189.4", "mem_disk_value_min": "5212.0 _",
        "mem_disk_value_max": "8579.0 _", "price_multiple": "_ 25.757", "cpu_multiple": "_ 2.765",
        "memory_multiple_min": "_ 1.314",
    },
    "s001_market_shares": {"others": "9.39%", "amd_discrete": "17%"},
    "s001_memory_wall": {"gap_per_year": "1.4091"},
    "s001_accelerators": {"multiple": "2.0 2.3333 1.6667", "annualised": "58.74% 75.92% 40.57%"},
}

DEVIATIONS = {
    ("s001_china_market", "units_cagr", "2027"): ("17.9%", "S01", "18.0%"),
}
