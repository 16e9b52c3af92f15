"""Every printed cell of the demand-side exhibits of seed 000, transcribed from the report.

Each entry: row key -> (the report's row label exactly as printed, the cells as printed,
space-separated).  The text of a cell carries its precision: "87.18" is compared at two
decimals, "9.0×10^9" at two significant figures, "20.00%" as a percentage at two decimals,
"-" or "_" is a cell the report leaves blank.  A label of None marks a passage of text whose
numbers have no row label.

Source: 中信建投《算力大时代，AI 算力产业链全景梳理》(2023), figures 7, 8, 43, 45, 48, 49, 50, 51,
107, 173 and the passages of §1.2, §2.1.1, §2.1.3 and §7.2.
"""

FIG49 = {
    "mm_vendors": ("多模态大模型研发厂商个数", "5 8 10 13 15"),
    "mm_models_per_vendor": ("同时训练模型数目", "3 3 3 3 3"),
    "mm_params": ("多模态大模型平均参数数量（亿个，N）", "15000 18000 21600 25920 31104"),
    "mm_params_yoy": ("YoY", "- 20.00% 20.00% 20.00% 20.00%"),
    "mm_tokens": ("训练 Tokens 数量（亿个）", "10000 12000 14400 17280 20736"),
    "mm_flop_per_token": ("单个模型单 Token 训练所需运算次数（TFLOPS，6N）", "9.00 10.80 12.96 15.55 18.66"),
    "mm_flop_per_model": ("单模型所需算力（PFLOPS）", "9.0×10^9 1.3×10^10 1.9×10^10 2.7×10^10 3.9×10^10"),
    "mm_days": ("假设单次训练所需时间（天）", "7 7 7 7 7"),
    "mm_peak": ("训练端峰值算力需求（PFLOPs，单模型所需算力×模型数量/（单次训练时间））",
                "223214.29 514285.71 925714.29 1732937.14 2879341.71"),
    "std_vendors": ("普通大模型研发厂商个数", "15 20 25 30 35"),
    "std_models_per_vendor": ("同时训练模型数目", "3 3 3 3 3"),
    "std_params": ("普通大模型平均参数数量（亿个，N）", "2000 2400 2880 3456 4147"),
    "std_params_yoy": ("YoY", "- 20.00% 20.00% 20.00% 20.00%"),
    "std_tokens": ("训练 Tokens 数量（亿个）", "4000 4800 5760 6912 8294"),
    "std_flop_per_token": ("单个模型单 Token 训练所需运算次数（TFLOPS-s，6N）", "1.20 1.44 1.73 2.07 2.49"),
    "std_flop_per_model": ("单模型所需算力（PFLOPS）", "480000000 691200000 995328000 1433272320 2063912141"),
    "std_days": ("假设单次训练所需时间（天）", "7 7 7 7 7"),
    "std_peak": ("训练端峰值算力需求（PFLOPS，单模型所需算力×模型数量/（单次训练时间））",
                 "35714.29 68571.43 123428.57 213284.57 358318.08"),
    "utilization": ("硬件算力效率", "30% 30% 30% 30% 30%"),
    "h100_tflops": ("H100 SXM FP16 Tensor （TFLOPS）", "990 990 990 990 990"),
    "a100_tflops": ("A100 SXM FP16 Tensor （TFLOPS）", "312 312 312 312 312"),
    "h100_total": ("H100 需求总量（万张）（只考虑 H100 的情况下）", "87.18 196.25 353.25 655.29 1090.12"),
    "a100_total": ("A100 需求总量（万张）（只考虑 A100 的情况下）", "276.63 622.71 1120.88 2079.30 3459.04"),
    "h100_increment": ("H100 需求增量（万张）（只考虑 H100 的情况下）", "- 109.07 157.00 302.05 434.83"),
    "a100_increment": ("A100 需求增量（万张）（只考虑 A100 的情况下）", "- 346.08 498.17 958.42 1379.74"),
}

FIG50 = {
    "mm_params": ("多模态大模型平均参数数量（亿个，N）", "15000 18000 21600 25920 31104"),
    "mm_params_yoy": ("YoY", "- 20.00% 20.00% 20.00% 20.00%"),
    "mm_dau": ("多模态大模型日活用户人数（亿人）", "0.2 0.5 1 2 4"),
    "mm_dau_yoy": ("YoY", "- 150.00% 100.00% 100.00% 100.00%"),
    "mm_queries": ("每人平均每天查询次数（次）", "20 20 20 20 20"),
    "mm_tokens_per_query": ("每人平均每次查询 Tokens 数量（个）", "1000 1000 1000 1000 1000"),
    "mm_flop_per_token": ("单 Tokens 所需计算次数（TFLOPs-s，2N）", "3.00 3.60 4.32 5.18 6.22"),
    "mm_flop_per_query": ("每人每次查询所需计算次数（TFLOPs-s，2N×Tokens 数量）", "3000 3600 4320 5184 6220.8"),
    "mm_flop_per_day": ("全天计算次数合计（EFLOPs-s，每人每次查询所需计算次数×查询次数×日活人数）",
                        "1200000 3600000 8640000 20736000 49766400"),
    "mm_average": ("平均每 s 所需峰值算力（EFLOPs）", "13.89 41.67 100.00 240.00 576.00"),
    "mm_peak_multiplier": ("最大并发峰值算力乘数", "5 5 5 5 5"),
    "mm_peak": ("最大并发峰值算力（EFLOPs）", "69.44 208.33 500.00 1200.00 2880.00"),
    "std_params": ("普通大模型平均参数数量（亿个，N）", "2000 2400 2880 3456 4147"),
    "std_params_yoy": ("YoY", "- 20.00% 20.00% 20.00% 20.00%"),
    "std_dau": ("普通大模型日活用户人数（亿人）", "0.2 1 2 4 8"),
    "std_dau_yoy": ("YoY", "- 400.00% 100.00% 100.00% 100.00%"),
    "std_queries": ("每人平均每天查询次数（次）", "10 10 10 10 10"),
    "std_tokens_per_query": ("每人平均每次查询 Tokens 数量（个）", "1000 1000 1000 1000 1000"),
    "std_flop_per_token": ("单 Tokens 所需计算次数（TFLOPs-s，2N）", "0.40 0.48 0.58 0.69 0.83"),
    "std_flop_per_query": ("每人每次查询所需计算次数（TFLOPs-s，2N×Tokens 数量）", "400 480 576 691.2 829.44"),
    "std_flop_per_day": ("全天计算次数合计（EFLOPs-s，每人每次查询所需计算次数×查询次数×日活人数）",
                         "80000 480000 1152000 2764800 6635520"),
    "std_average": ("平均每 s 所需峰值算力（EFLOPs）", "0.93 5.56 13.33 32.00 76.80"),
    "std_peak_multiplier": ("最大并发峰值算力乘数", "5 5 5 5 5"),
    "std_peak": ("最大并发峰值算力（EFLOPs）", "4.63 27.78 66.67 160.00 384.00"),
    "total_peak": ("峰值算力总量（PFLOPS）", "246914 787037 1888889 4533333 10880000"),
    "utilization": ("算力效率", "30.00% 30.00% 30.00% 30.00% 30.00%"),
    "h100_tflops": ("H100 SXM FP16 Tensor （TFLOPs）", "990 990 990 990 990"),
    "a100_tflops": ("A100 SXM FP16 Tensor （TFLOPs）", "312 312 312 312 312"),
    "h100_cards": ("H100 需求量（万张）（只考虑 H100 的情况下）", "83 265 636 1526 3663"),
    "a100_cards": ("A100 需求量（万张）（只考虑 A100 的情况下）", "264 841 2018 4843 11624"),
    "h100_increment": ("H100 需求增量（万张）（只考虑 A100 的情况下）", "- 182 371 890 2137"),
    "a100_increment": ("A100 需求增量（万张）（只考虑 A100 的情况下）", "- 577 1177 2825 6781"),
}

# Printed with models as rows; here one list per row of suanli's layout (columns: 1750亿, 10000亿).
FIG43 = {
    "params": ("参数量（亿）", "1750 10000"),
    "weights_gb": ("模型显存需求（E）", "350 2000"),
    "inference_gb": ("推理显存需求（E）", "700 4000"),
    "a100_cards": ("A100 80GB", "9 50"),
    "a800_cards": ("A800 80GB", "9 50"),
    "a10_cards": ("A10 24GB", "30 167"),
}

FIG51 = {
    "params": ("参数（亿）", "1750 10000"),
    "weights_gb": ("FP16 推理精度显存预估 （GB）", "350 2000"),
    "intermediate": ("推理中间参数量倍数预估", "1 1"),
    "inference_gb": ("推理显存需求（GB）", "700 4000"),
    "cards_per_instance": ("显卡需求（张）", "9 50"),
    "peak_users": ("最高并发访问量（万）", "2000 _"),
    "users_per_instance": ("模型能同时处理的并发量假设", "100 _"),
    "instances": ("模型部署量（万）", "20 _"),
    "cards": ("显卡需求（万）", "180 1000"),
}

FIG45 = {
    "params": ("参数量", "1750 1780 2800 5300"),
    "tokens": ("训练 Tokens", "3000 3000 3000 2700"),
}

FIG48 = {
    "params": ("参数量", "1750 2800 5300 5400"),
    "accelerators": ("加速芯片", "10000 4096 2240 6144"),
    "utilization": ("算力利用率", "21.3% 32.5% 30.2% 46.2%"),
}

# Headline claims (summary, §1, §2.1.3, §8): reproduced with the errata switches on.
CAGR = {
    "train_cagr": (None, "78.0%"),
    "infer_cagr": (None, "113%"),
}

# §1.2 line 257 and §2.1.1 line 690.  The 3640 PF-days is checked against erratum E31.
GPT3 = {
    "cost": (None, "1200"),
    "small_cluster": (None, "8"),
    "small_cluster_time": (None, "36"),
    "large_cluster": (None, "512"),
    "large_cluster_time": (None, "7"),
}

# §7.2 (16Ψ of which 75% Adam) and the title of 图表173 (26.2%).
FIG173 = {
    "bytes_per_param": (None, "16 _ _ _"),
    "adam_share": (None, "75% _ _ _"),
    "share_of_baseline": (None, "_ 26.2% _ _"),
}

# §1 图表7 = §3.2.1 图表108; §1 图表8 = §3.2.2 图表109; §3.1.2 图表107.
FIG7 = {
    "gpu_space": ("大模型带动 GPU 存量空间（亿美元）", "- - 276.6 622.7 1120.9"),
    "gpu_share": ("GPU 占 AI 服务器成本比例（%）", "- - 70.0% 70.0% 70.0%"),
    "efficiency": ("GPU 芯片升级/算法效率提升比例测算（%）", "- - 100.0% 120.0% 150.0%"),
    "market": ("AI 服务器存量规模（亿美元）", "156.0 202.0 395.2 889.6 1601.3"),
    "increment": ("AI 服务器增量规模（亿美元）", "- 46.0 193.2 494.4 711.7"),
    "growth": ("市场增速（%）", "39.1% 29.8% 95.6% 125.1% 80.0%"),
}

FIG8 = {
    "global": ("全球市场规模（亿美元）", "156.0 202.0 395.2 889.6 1601.3"),
    "share": ("中国市场占全球市场比重（%）", "34.6% 33.2% 34.0% 34.5% 35.0%"),
    "growth": ("市场增速（%）", "68.2% 24.0% 100.5% 128.4% 82.6%"),
    "market": ("市场规模（亿美元）", "54.0 67.0 134.4 306.9 560.5"),
}

FIG107 = {
    "price": ("价格（人民币）", "1106660 878760 290160 232060"),
    "gpu_share": ("GPU 成本/总成本（估算）", "72% 68% 28% 17%"),
}

# §6.2 L3648-3652 (a passage: no row labels).
COOLING_MARKET = {
    "new_racks": (None, "100 100"),
    "kw_per_rack": (None, "2.5 2.5"),
    "it_kw": (None, "250 250"),
    "air_cny_per_kw": (None, "7000 7000"),
    "liquid_cny_per_kw": (None, "15000 15000"),
    "liquid_share": (None, "_ 70%"),
    "market": (None, "175 315"),
    "increase": (None, "- 80%"),
    "liquid_market": (None, "_ 262.5"),
}

# §1 L148: 6.5kW against 500w.
POWER_DENSITY = {
    "dgx_a100_kw": (None, "6.5"),
    "cpu_server_kw": (None, "0.5"),
}

ALL = {
    "fig49": FIG49, "fig50": FIG50, "fig43": FIG43, "fig51": FIG51, "fig45": FIG45,
    "fig48": FIG48, "cagr": CAGR, "gpt3": GPT3, "fig173": FIG173,
    "fig7": FIG7, "fig8": FIG8, "fig107": FIG107,
    "s6.2_cooling_market": COOLING_MARKET, "s6_power_density": POWER_DENSITY,
}

# Values the report prints that its own inputs do not give:
# (exhibit, row, column) -> (printed, erratum, consistent).
DEVIATIONS = {
    ("gpt3", "pf_days", "value"): ("3640", "E31", "3646"),
}
