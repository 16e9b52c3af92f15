"""AMD Instinct MI300X / MI325X / MI355X and Intel Gaudi 3 in today's catalogue
(engine/data/catalogue_current/amd_intel.toml).

Two kinds of check:

* the golden table: every value transcribed, with the document it comes from, so a typo in the
  TOML (or a sparse figure slipped into a dense field) fails here;
* the arithmetic: each dense matrix figure AMD publishes is its compute units x FLOPS per clock per
  CU x peak engine clock, within the rounding AMD prints it to.  The unit counts, clocks and
  per-unit rates are written below with the document and place each comes from.

  - MI300X and MI325X: 304 CUs and a 2,100 MHz peak engine clock (AMD CDNA 3 white paper, Table 2,
    p. 23); FLOPS/clock/CU per precision from the same paper's Table 1 (p. 7), which AMD's ROCm
    MI300 page repeats.  Table 1 prints 490.3 TFLOPS for Matrix TF32 against its own 1024
    FLOPS/clock/CU (= 653.7 at 304 CUs and 2.1 GHz, as Table 2 and endnote MI300-11 give): the
    catalogue holds 653.7 and this test checks it.  Sparsity doubles the rate: the paper's p. 8
    gives "up to 8K operations per clock for a CU" (FP8/INT8 with sparsity).
  - MI355X: 256 CUs (AMD ROCm docs, GPU specifications: "256 (32 per XCD)") at 2,400 MHz
    (Wccftech's report of AMD's Hot Chips 2025 talk; AMD's CDNA 4 white paper, which states the
    clock, could not be checked).  The per-CU rates come from AMD's ROCm blog on Matrix Core
    programming (30 Sep 2025): FLOPs per Matrix Core per clock = 2*M*N*K / cycles of the fastest
    MFMA instruction of each type in its table (CDNA 4 FP16 32x32x16 in 32 cycles = 1024, FP8
    16x16x128 in 32 cycles = 2048, FP4 16x16x128 in 16 cycles = 4096, FP32 32x32x2 in 64 cycles =
    64, FP64 16x16x4 in 64 cycles = 32), times 4 Matrix Cores per CU.  Four per CU is the CDNA 3
    count (white paper Table 2: 1,216 Matrix Cores for 304 CUs); no document checked gives the
    CDNA 4 count, but with it the blog's exact figures (FP64 78.6, FP32 157.3 TFLOPS) come out to
    the digit, and the rounded ones (2.5, 5, 10 PFLOPS) within their rounding.  The blog's FP64
    cycle count is CDNA 4's: for CDNA 3 it would give half of Table 1's 256 FLOPS/clock/CU.
  - Intel Gaudi 3: Intel publishes 8 MMEs (Hot Chips 2024 slides, slide 4) but neither the MME
    clock nor the size of an MME's array, so its 1835 TFLOPS cannot be rebuilt from unit counts;
    no arithmetic test for it.
"""

from __future__ import annotations

import pytest

from engine import catalogue, reports
from engine.errors import MissingValueError

WP3 = "AMD CDNA 3 white paper (2025 ed.)"
BLOG = "AMD ROCm blog, Matrix Core programming (2025)"
SPECS = "AMD ROCm docs, GPU specifications"
REG = "The Register, MI355X launch (2025)"
STH_MI350 = "ServeTheHome, MI350 and CDNA 4 (2025)"
STH_MI300X = "ServeTheHome, MI300X at Hot Chips 2024"
WCCF = "Wccftech, MI350 at Hot Chips 2025"
MLPERF = "MLPerf Inference v6.0, AMD MI355X system"
ANAND = "AnandTech, MI325X at Computex (2024)"
HC24 = "Intel Gaudi 3 slides, Hot Chips 2024"
GAUDI_NET = "Intel Gaudi docs, network configuration"
NEXTPLAT = "The Next Platform, Gaudi 3 unveiled (2024)"

#: (chip key, field, value, the document its source begins with)
GOLDEN = [
    # --- MI300X: AMD CDNA 3 white paper, Table 2 and endnote MI300-11 (dense | sparsity)
    ("amd_instinct_mi300x", "architecture", "CDNA 3", WP3),
    ("amd_instinct_mi300x", "process", "5nm | 6nm", WP3),
    ("amd_instinct_mi300x", "transistors_billion", 153, WP3),
    ("amd_instinct_mi300x", "cores", 19456, WP3),
    ("amd_instinct_mi300x", "clock_ghz_max", 2.1, WP3),
    ("amd_instinct_mi300x", "fp64_tflops", 81.7, WP3),
    ("amd_instinct_mi300x", "fp32_tflops", 163.4, WP3),
    ("amd_instinct_mi300x", "fp64_tensor_dense_tflops", 163.4, WP3),
    ("amd_instinct_mi300x", "tf32_tensor_dense_tflops", 653.7, WP3),
    ("amd_instinct_mi300x", "tf32_tensor_sparse_tflops", 1307.4, WP3),
    ("amd_instinct_mi300x", "fp16_tensor_dense_tflops", 1307.4, WP3),
    ("amd_instinct_mi300x", "fp16_tensor_sparse_tflops", 2614.9, WP3),
    ("amd_instinct_mi300x", "bf16_tensor_dense_tflops", 1307.4, WP3),
    ("amd_instinct_mi300x", "bf16_tensor_sparse_tflops", 2614.9, WP3),
    ("amd_instinct_mi300x", "fp8_tensor_dense_tflops", 2614.9, WP3),
    ("amd_instinct_mi300x", "fp8_tensor_sparse_tflops", 5229.8, WP3),
    ("amd_instinct_mi300x", "int8_tensor_dense_tops", 2614.9, WP3),
    ("amd_instinct_mi300x", "int8_tensor_sparse_tops", 5229.8, WP3),
    ("amd_instinct_mi300x", "memory_gb", 192, WP3),
    ("amd_instinct_mi300x", "memory_type", "HBM3", WP3),
    ("amd_instinct_mi300x", "memory_bandwidth_gb_s", 5300, WP3),
    ("amd_instinct_mi300x", "chip_to_chip_gb_s", 896, WP3),
    ("amd_instinct_mi300x", "interconnect", "AMD Infinity Fabric, 7 x16 links", WP3),
    ("amd_instinct_mi300x", "host_interface", "PCIe Gen 5 x16", WP3),
    ("amd_instinct_mi300x", "pcie_gb_s", 128, WP3),
    ("amd_instinct_mi300x", "tdp_w", 750, WP3),
    ("amd_instinct_mi300x", "launch_date", "2023-12", STH_MI300X),
    # --- MI325X: the same paper (Table 2, endnotes MI325-019 and MI325-001A)
    ("amd_instinct_mi325x", "architecture", "CDNA 3", WP3),
    ("amd_instinct_mi325x", "process", "5nm | 6nm", WP3),
    ("amd_instinct_mi325x", "transistors_billion", 153, WP3),
    ("amd_instinct_mi325x", "cores", 19456, WP3),
    ("amd_instinct_mi325x", "clock_ghz_max", 2.1, WP3),
    ("amd_instinct_mi325x", "fp64_tflops", 81.7, WP3),
    ("amd_instinct_mi325x", "fp32_tflops", 163.4, WP3),
    ("amd_instinct_mi325x", "fp64_tensor_dense_tflops", 163.4, WP3),
    ("amd_instinct_mi325x", "tf32_tensor_dense_tflops", 653.7, WP3),
    ("amd_instinct_mi325x", "tf32_tensor_sparse_tflops", 1307.4, WP3),
    ("amd_instinct_mi325x", "fp16_tensor_dense_tflops", 1307.4, WP3),
    ("amd_instinct_mi325x", "fp16_tensor_sparse_tflops", 2614.9, WP3),
    ("amd_instinct_mi325x", "bf16_tensor_dense_tflops", 1307.4, WP3),
    ("amd_instinct_mi325x", "bf16_tensor_sparse_tflops", 2614.9, WP3),
    ("amd_instinct_mi325x", "fp8_tensor_dense_tflops", 2614.9, WP3),
    ("amd_instinct_mi325x", "fp8_tensor_sparse_tflops", 5229.8, WP3),
    ("amd_instinct_mi325x", "int8_tensor_dense_tops", 2614.9, WP3),
    ("amd_instinct_mi325x", "int8_tensor_sparse_tops", 5229.8, WP3),
    ("amd_instinct_mi325x", "memory_gb", 256, WP3),
    ("amd_instinct_mi325x", "memory_type", "HBM3E", WP3),
    ("amd_instinct_mi325x", "memory_bandwidth_gb_s", 6000, WP3),
    ("amd_instinct_mi325x", "chip_to_chip_gb_s", 896, WP3),
    ("amd_instinct_mi325x", "interconnect", "AMD Infinity Fabric, 7 x16 links", WP3),
    ("amd_instinct_mi325x", "host_interface", "PCIe Gen 5 x16", WP3),
    ("amd_instinct_mi325x", "pcie_gb_s", 128, WP3),
    ("amd_instinct_mi325x", "tdp_w", 1000, WP3),
    ("amd_instinct_mi325x", "launch_date", "2024-06-02", ANAND),
    # --- MI355X: AMD's ROCm blog (dense peaks, rounded), ROCm docs, press reports of AMD's launch
    ("amd_instinct_mi355x", "architecture", "CDNA 4", SPECS),
    ("amd_instinct_mi355x", "process", "TSMC N3P (compute dies)", STH_MI350),
    ("amd_instinct_mi355x", "transistors_billion", 185, WCCF),
    ("amd_instinct_mi355x", "clock_ghz_max", 2.4, WCCF),
    ("amd_instinct_mi355x", "fp64_tensor_dense_tflops", 78.6, BLOG),
    ("amd_instinct_mi355x", "fp16_tensor_dense_tflops", 2500, BLOG),
    ("amd_instinct_mi355x", "fp8_tensor_dense_tflops", 5000, BLOG),
    ("amd_instinct_mi355x", "fp4_tensor_dense_tflops", 10000, BLOG),
    ("amd_instinct_mi355x", "memory_gb", 288, REG),
    ("amd_instinct_mi355x", "memory_type", "HBM3E", REG),
    ("amd_instinct_mi355x", "memory_bandwidth_gb_s", 8000, REG),
    ("amd_instinct_mi355x", "interconnect", "AMD Infinity Fabric (XGMI)", MLPERF),
    ("amd_instinct_mi355x", "host_interface", "PCIe Gen 5 x16", MLPERF),
    ("amd_instinct_mi355x", "tdp_w", 1400, REG),
    ("amd_instinct_mi355x", "launch_date", "2025-06-12", REG),
    # --- Intel Gaudi 3: Intel's Hot Chips 2024 slides, Intel Gaudi docs
    ("intel_gaudi_3", "process", "5nm", HC24),
    ("intel_gaudi_3", "bf16_tensor_dense_tflops", 1835, HC24),
    ("intel_gaudi_3", "fp8_tensor_dense_tflops", 1835, HC24),
    ("intel_gaudi_3", "memory_gb", 128, HC24),
    ("intel_gaudi_3", "memory_type", "HBM2e", HC24),
    ("intel_gaudi_3", "memory_bandwidth_gb_s", 3670, HC24),
    ("intel_gaudi_3", "chip_to_chip_gb_s", 1050, GAUDI_NET),
    ("intel_gaudi_3", "interconnect", "24 x 200GbE RoCE (21 scale-up, 3 scale-out)", HC24),
    ("intel_gaudi_3", "host_interface", "PCIe Gen5 x16", HC24),
    ("intel_gaudi_3", "pcie_gb_s", 128, HC24),
    ("intel_gaudi_3", "tdp_w", 900, HC24),
    ("intel_gaudi_3", "launch_date", "2024-04-09", NEXTPLAT),
    # --- systems
    ("amd_instinct_mi300x_platform", "gpus_per_system", 8, WP3),
    ("amd_instinct_mi300x_platform", "system_of", "amd_instinct_mi300x", WP3),
    ("amd_instinct_mi325x_platform", "gpus_per_system", 8, WP3),
    ("amd_instinct_mi325x_platform", "system_of", "amd_instinct_mi325x", WP3),
    ("amd_instinct_mi355x_platform", "gpus_per_system", 8, STH_MI350),
    ("amd_instinct_mi355x_platform", "system_of", "amd_instinct_mi355x", STH_MI350),
    ("intel_gaudi_3_hls3", "gpus_per_system", 8, GAUDI_NET),
    ("intel_gaudi_3_hls3", "system_of", "intel_gaudi_3", GAUDI_NET),
]

#: (chip key, field) recorded as "not published", with the documents checked in the source.
UNPUBLISHED = [
    ("amd_instinct_mi300x", "fp4_tensor_dense_tflops"), ("amd_instinct_mi300x", "die_area_mm2"),
    ("amd_instinct_mi300x", "list_price_usd"),
    ("amd_instinct_mi325x", "fp4_tensor_dense_tflops"), ("amd_instinct_mi325x", "die_area_mm2"),
    ("amd_instinct_mi325x", "list_price_usd"),
    ("amd_instinct_mi355x", "fp64_tflops"), ("amd_instinct_mi355x", "tf32_tensor_dense_tflops"),
    ("amd_instinct_mi355x", "bf16_tensor_dense_tflops"), ("amd_instinct_mi355x", "int8_tensor_dense_tops"),
    ("amd_instinct_mi355x", "fp16_tensor_sparse_tflops"), ("amd_instinct_mi355x", "fp8_tensor_sparse_tflops"),
    ("amd_instinct_mi355x", "fp4_tensor_sparse_tflops"), ("amd_instinct_mi355x", "chip_to_chip_gb_s"),
    ("amd_instinct_mi355x", "die_area_mm2"), ("amd_instinct_mi355x", "list_price_usd"),
    ("intel_gaudi_3", "architecture"), ("intel_gaudi_3", "transistors_billion"),
    ("intel_gaudi_3", "fp16_tensor_dense_tflops"), ("intel_gaudi_3", "bf16_tensor_sparse_tflops"),
    ("intel_gaudi_3", "fp8_tensor_sparse_tflops"), ("intel_gaudi_3", "die_area_mm2"),
    ("intel_gaudi_3", "list_price_usd"),
    ("amd_instinct_mi300x_platform", "system_power_kw"), ("amd_instinct_mi325x_platform", "system_power_kw"),
    ("amd_instinct_mi355x_platform", "system_power_kw"), ("intel_gaudi_3_hls3", "system_power_kw"),
    ("intel_gaudi_3_hls3", "list_price_usd"),
]

KEYS = ["amd_instinct_mi300x", "amd_instinct_mi325x", "amd_instinct_mi355x", "intel_gaudi_3",
        "amd_instinct_mi300x_platform", "amd_instinct_mi325x_platform", "amd_instinct_mi355x_platform",
        "intel_gaudi_3_hls3"]


@pytest.mark.parametrize(("key", "field", "expected", "document"), GOLDEN, ids=lambda v: str(v)[:40])
def test_golden_values_and_their_documents(key, field, expected, document):
    assert catalogue.value(key, field) == expected
    source = catalogue.source(key, field)
    assert source.startswith(document + " "), source
    assert reports.named_in(source)[0].short == document


def test_every_value_of_these_entries_is_in_the_golden_table():
    golden = {(k, f) for k, f, _, _ in GOLDEN}
    for key in KEYS:
        chip = catalogue.get(key)
        assert chip.outside
        assert {(key, f) for f in chip.values} == {(k, f) for k, f in golden if k == key}, key


@pytest.mark.parametrize(("key", "field"), UNPUBLISHED)
def test_blanks_are_not_published_and_name_the_documents_checked(key, field):
    chip = catalogue.get(key)
    assert chip.unpublished >= {field} and field not in chip.values
    assert reports.named_in(chip.sources[field])
    with pytest.raises(MissingValueError, match="is not published"):
        catalogue.value(key, field)


def test_the_unpublished_list_is_complete():
    assert {(k, f) for k in KEYS for f in catalogue.get(k).unpublished} == set(UNPUBLISHED)


def test_the_mi300x_fp16_headline_is_the_sparsity_figure_not_the_dense_one():
    """2,614.9 TFLOPS FP16 is printed 'with sparsity' (Table 2): the dense field holds 1,307.4."""
    assert catalogue.value("MI300X", "fp16_tensor_dense_tflops") == 1307.4
    assert catalogue.value("MI300X", "fp16_tensor_sparse_tflops") == 2614.9
    for key in ("amd_instinct_mi300x", "amd_instinct_mi325x"):
        chip = catalogue.get(key)
        for field in chip.values:
            if "_tensor_sparse_" in field:
                assert chip.values[field] == pytest.approx(2 * chip.values[field.replace("_sparse_", "_dense_")],
                                                           abs=0.15), (key, field)


def test_gaudi_3_has_no_sparse_value_and_its_notes_say_intel_does_not_say_dense():
    chip = catalogue.get("Gaudi 3")
    assert chip.kind == "asic"
    assert not [f for f in chip.values if "_sparse_" in f]
    assert "does not say dense or sparse" in chip.notes["bf16_tensor_dense_tflops"]


def test_aliases_find_the_entries():
    assert catalogue.get("mi300x").key == "amd_instinct_mi300x"
    assert catalogue.get("Instinct MI325X").key == "amd_instinct_mi325x"
    assert catalogue.get("AMD MI355X").key == "amd_instinct_mi355x"
    assert catalogue.get("gaudi3").key == "intel_gaudi_3"
    assert catalogue.get("HLS-3").key == "intel_gaudi_3_hls3"
    assert catalogue.get("8x MI300X").kind == "system"


def test_systems_point_at_their_accelerator():
    for key in KEYS[4:]:
        chip = catalogue.get(key)
        assert chip.kind == "system"
        held = catalogue.get(chip.values["system_of"])
        assert held.kind in catalogue.ACCELERATOR_KINDS and held.outside


# ------------------------------------------------------------------------------ the arithmetic

#: CDNA 3 (MI300X, MI325X): FLOPS per clock per CU, AMD CDNA 3 white paper Table 1 (p. 7).
CDNA3_PER_CU = {
    "fp64_tensor_dense_tflops": 256,   # Matrix FP64
    "fp64_tflops": 128,                # Vector FP64
    "fp32_tflops": 256,                # Vector FP32
    "tf32_tensor_dense_tflops": 1024,  # Matrix TF32
    "fp16_tensor_dense_tflops": 2048,  # Matrix FP16
    "bf16_tensor_dense_tflops": 2048,  # Matrix BF16
    "fp8_tensor_dense_tflops": 4096,   # Matrix FP8
    "int8_tensor_dense_tops": 4096,    # Matrix INT8
}
CDNA3_CUS = 304           # white paper Table 2, COMPUTE UNITS (p. 23)
CDNA3_CLOCK_GHZ = 2.1     # white paper Table 2, MAX ENGINE CLOCK (PEAK) 2,100 MHz (p. 23)
CDNA3_MATRIX_CORES = 1216  # white paper Table 2, MATRIX CORES (p. 23)
CDNA3_SPARSE_PER_CU = 8192  # white paper p. 8: sparsity doubles throughput "up to ... 8K operations per clock for a CU"


def _peak(units: int, per_unit_per_clock: float, clock_ghz: float) -> float:
    """Peak in TFLOPS (TOPS): units x operations per unit per clock x clock."""
    return units * per_unit_per_clock * clock_ghz / 1000


@pytest.mark.parametrize("key", ["amd_instinct_mi300x", "amd_instinct_mi325x"])
@pytest.mark.parametrize("field", sorted(CDNA3_PER_CU))
def test_cdna3_dense_figures_are_cus_times_rate_times_clock(key, field):
    """AMD prints one decimal (1307.4 = 304 x 2048 x 2.1 GHz = 1307.43): equal within 0.05."""
    computed = _peak(CDNA3_CUS, CDNA3_PER_CU[field], CDNA3_CLOCK_GHZ)
    assert catalogue.value(key, field) == pytest.approx(computed, abs=0.05), (key, field, computed)
    assert catalogue.value(key, "clock_ghz_max") == CDNA3_CLOCK_GHZ


@pytest.mark.parametrize("key", ["amd_instinct_mi300x", "amd_instinct_mi325x"])
def test_cdna3_sparse_fp8_and_int8_are_8k_operations_per_cu_per_clock(key):
    computed = _peak(CDNA3_CUS, CDNA3_SPARSE_PER_CU, CDNA3_CLOCK_GHZ)   # 5229.77
    assert catalogue.value(key, "fp8_tensor_sparse_tflops") == pytest.approx(computed, abs=0.05)
    assert catalogue.value(key, "int8_tensor_sparse_tops") == pytest.approx(computed, abs=0.05)


def test_cdna3_stream_processors_and_matrix_cores_per_cu():
    """19,456 stream processors = 304 CUs x 64; 1,216 Matrix Cores = 304 x 4 (Table 2)."""
    assert catalogue.value("MI300X", "cores") == CDNA3_CUS * 64
    assert CDNA3_MATRIX_CORES == CDNA3_CUS * 4


def test_the_rocm_blog_formula_gives_the_mi325x_fp16_figure():
    """The blog's worked example: 2*32*32*8 FLOPs per FP16 MFMA of 32 cycles x 1,216 Matrix Cores x
    2,100 MHz = 1307.4 TFLOPS (the CDNA 3 FP16 32x32x8 instruction, 32 cycles)."""
    computed = 2 * 32 * 32 * 8 * CDNA3_MATRIX_CORES * (2100 / 32) / 10**6
    assert catalogue.value("MI325X", "fp16_tensor_dense_tflops") == pytest.approx(computed, abs=0.05)


#: CDNA 4 (MI355X): FLOPs per Matrix Core per clock = 2*M*N*K / cycles, AMD ROCm blog MFMA table.
CDNA4_PER_MATRIX_CORE = {
    "fp64_tensor_dense_tflops": 2 * 16 * 16 * 4 / 64,     # FP64 16x16x4, 64 cycles -> 32
    "fp16_tensor_dense_tflops": 2 * 32 * 32 * 16 / 32,    # FP16 32x32x16, 32 cycles -> 1024
    "fp8_tensor_dense_tflops": 2 * 16 * 16 * 128 / 32,    # FP8 16x16x128, 32 cycles (FP8 operand) -> 2048
    "fp4_tensor_dense_tflops": 2 * 16 * 16 * 128 / 16,    # FP4 16x16x128, 16 cycles -> 4096
}
CDNA4_FP32_PER_MATRIX_CORE = 2 * 32 * 32 * 2 / 64         # FP32 32x32x2, 64 cycles -> 64
CDNA4_CUS = 256            # AMD ROCm docs, GPU specifications: MI355X, Compute Units "256 (32 per XCD)"
MATRIX_CORES_PER_CU = 4    # CDNA 3 count (white paper Table 2, 1,216 / 304); CDNA 4's not in the documents checked
CDNA4_CLOCK_GHZ = 2.4      # Wccftech's report of AMD's Hot Chips 2025 talk: max clock 2.4 GHz
#: How AMD printed each MI355X figure in the blog, and so how far the exact peak may lie from it:
#: half a unit of the last digit printed (78.6 TF -> 0.05 TF; 2.5 PF -> 0.05 PF; 5 PF, 10 PF -> 0.5 PF).
CDNA4_ROUNDING_TFLOPS = {"fp64_tensor_dense_tflops": 0.05, "fp16_tensor_dense_tflops": 50,
                         "fp8_tensor_dense_tflops": 500, "fp4_tensor_dense_tflops": 500}


@pytest.mark.parametrize("field", sorted(CDNA4_PER_MATRIX_CORE))
def test_mi355x_dense_figures_are_cus_times_rate_times_clock_within_amds_rounding(field):
    per_cu = CDNA4_PER_MATRIX_CORE[field] * MATRIX_CORES_PER_CU
    computed = _peak(CDNA4_CUS, per_cu, CDNA4_CLOCK_GHZ)
    printed = catalogue.value("MI355X", field)
    assert abs(printed - computed) <= CDNA4_ROUNDING_TFLOPS[field], (field, computed, printed)
    assert catalogue.value("MI355X", "clock_ghz_max") == CDNA4_CLOCK_GHZ


def test_mi355x_per_cu_rates_double_cdna3_and_fp32_matrix_matches_the_blog():
    """FP16 4096 and FP8 8192 FLOPS/clock/CU, twice CDNA 3's; FP64 matrix halves to 128; the blog's
    Matrix FP32 157.3 TF (no catalogue field) comes out to the digit."""
    per_cu = {f: r * MATRIX_CORES_PER_CU for f, r in CDNA4_PER_MATRIX_CORE.items()}
    assert per_cu["fp16_tensor_dense_tflops"] == 2 * CDNA3_PER_CU["fp16_tensor_dense_tflops"]
    assert per_cu["fp8_tensor_dense_tflops"] == 2 * CDNA3_PER_CU["fp8_tensor_dense_tflops"]
    assert per_cu["fp64_tensor_dense_tflops"] == CDNA3_PER_CU["fp64_tensor_dense_tflops"] / 2
    fp32 = _peak(CDNA4_CUS, CDNA4_FP32_PER_MATRIX_CORE * MATRIX_CORES_PER_CU, CDNA4_CLOCK_GHZ)
    assert round(fp32, 1) == 157.3


def test_a_wrong_rate_would_fail():
    """The checks can fail: the sparse FP16 figure is not 304 CUs x 2048 x 2.1 GHz."""
    computed = _peak(CDNA3_CUS, CDNA3_PER_CU["fp16_tensor_dense_tflops"], CDNA3_CLOCK_GHZ)
    assert catalogue.value("MI300X", "fp16_tensor_sparse_tflops") != pytest.approx(computed, abs=0.05)
