"""Today's NVIDIA catalogue (engine/data/catalogue_current/nvidia.toml): every value against the
document it was transcribed from, every blank, and the arithmetic NVIDIA's documents allow.

Tensor arithmetic.  NVIDIA publishes SM counts with the clocks its peak figures use only in the
H100 whitepaper (H100 SXM5: 132 SMs, 1,830 MHz for the FP8/FP16/BF16/TF32 Tensor peaks, 1,980 MHz
for FP64 Tensor and FP32/FP64) and the per-SM dense rates in its Hot Chips 34 Hopper talk.  The
H200 SXM page gives no SM count or clock; the test checks that its dense figures (the page's
"with sparsity" figures halved) are exactly that H100 SXM5 arithmetic, i.e. the H200 SXM computes
as the H100 SXM5.  For the other parts no unit count with a clock is published, so their dense
figures are checked only against NVIDIA's own totals:

* H200 NVL: NVIDIA's product brief gives a 1,785 MHz boost clock but no SM count;
* B200 and GB200: no SM count, no clock (NVIDIA describes two reticle-limited dies);
* B300 and GB300: the Blackwell Ultra blog gives 160 SMs and 640 Tensor Cores for the full GPU
  and says the SM count varies by SKU; no clock;
* H20, L20, H800: NVIDIA published no datasheet at all.
"""

from __future__ import annotations

import pytest

from engine import catalogue, reports
from engine.errors import MissingValueError

H200_PAGE = "NVIDIA H200 product page"
H200_PR = "NVIDIA H200 press release (2023-11-13)"
H200_NVL_BLOG = "NVIDIA H200 NVL blog (2024-11-18)"
BW = "NVIDIA Blackwell datasheet (3384703)"
BW_PR = "NVIDIA Blackwell press release (2024-03-18)"
BU = "NVIDIA Blackwell Ultra datasheet (OCT25)"
BU_BLOG = "NVIDIA Blackwell Ultra blog (2025-08)"
BU_PR = "NVIDIA Blackwell Ultra press release (2025-03-18)"
GB300_PAGE = "NVIDIA GB300 NVL72 product page"
DGX_H = "NVIDIA DGX H100/H200 user guide"
DGX_B200 = "NVIDIA DGX B200 product page"
DGX_B300 = "NVIDIA DGX B300 product page"
TOMS = "Tom's Hardware H20/L20/L2 (2024)"
TWEAK = "TweakTown H20 (2024)"
DEEPSEEK = "DeepSeek ISCA 2025 paper"
WHITEPAPER = "NVIDIA H100 whitepaper v1.04 (2023)"

#: (chip, field): (value as transcribed, in the field's unit; the document it comes from).
GOLDEN = {
    # H200 SXM: product page, GPU specifications table (footnote 2 'With sparsity')
    ("h200_sxm", "fp64_tflops"): (34, H200_PAGE),
    ("h200_sxm", "fp64_tensor_dense_tflops"): (67, H200_PAGE),
    ("h200_sxm", "fp32_tflops"): (67, H200_PAGE),
    ("h200_sxm", "tf32_tensor_sparse_tflops"): (989, H200_PAGE),
    ("h200_sxm", "tf32_tensor_dense_tflops"): (494.5, H200_PAGE),
    ("h200_sxm", "bf16_tensor_sparse_tflops"): (1979, H200_PAGE),
    ("h200_sxm", "bf16_tensor_dense_tflops"): (989.5, H200_PAGE),
    ("h200_sxm", "fp16_tensor_sparse_tflops"): (1979, H200_PAGE),
    ("h200_sxm", "fp16_tensor_dense_tflops"): (989.5, H200_PAGE),
    ("h200_sxm", "fp8_tensor_sparse_tflops"): (3958, H200_PAGE),
    ("h200_sxm", "fp8_tensor_dense_tflops"): (1979, H200_PAGE),
    ("h200_sxm", "int8_tensor_sparse_tops"): (3958, H200_PAGE),
    ("h200_sxm", "int8_tensor_dense_tops"): (1979, H200_PAGE),
    ("h200_sxm", "memory_gb"): (141, H200_PAGE),
    ("h200_sxm", "memory_type"): ("HBM3e", H200_PR),
    ("h200_sxm", "memory_bandwidth_gb_s"): (4800, H200_PAGE),
    ("h200_sxm", "tdp_w"): (700, H200_PAGE),
    ("h200_sxm", "chip_to_chip_gb_s"): (900, H200_PAGE),
    ("h200_sxm", "pcie_gb_s"): (128, H200_PAGE),
    ("h200_sxm", "host_interface"): ("PCIe Gen5", H200_PAGE),
    ("h200_sxm", "architecture"): ("Hopper", H200_PR),
    ("h200_sxm", "launch_date"): ("2023-11-13", H200_PR),
    # H200 NVL: the same table's NVL column
    ("h200_nvl", "fp64_tflops"): (30, H200_PAGE),
    ("h200_nvl", "fp64_tensor_dense_tflops"): (60, H200_PAGE),
    ("h200_nvl", "fp32_tflops"): (60, H200_PAGE),
    ("h200_nvl", "tf32_tensor_sparse_tflops"): (835, H200_PAGE),
    ("h200_nvl", "tf32_tensor_dense_tflops"): (417.5, H200_PAGE),
    ("h200_nvl", "bf16_tensor_sparse_tflops"): (1671, H200_PAGE),
    ("h200_nvl", "fp16_tensor_sparse_tflops"): (1671, H200_PAGE),
    ("h200_nvl", "fp16_tensor_dense_tflops"): (835.5, H200_PAGE),
    ("h200_nvl", "fp8_tensor_sparse_tflops"): (3341, H200_PAGE),
    ("h200_nvl", "fp8_tensor_dense_tflops"): (1670.5, H200_PAGE),
    ("h200_nvl", "int8_tensor_sparse_tops"): (3341, H200_PAGE),
    ("h200_nvl", "int8_tensor_dense_tops"): (1670.5, H200_PAGE),
    ("h200_nvl", "memory_gb"): (141, H200_PAGE),
    ("h200_nvl", "memory_bandwidth_gb_s"): (4800, H200_PAGE),
    ("h200_nvl", "tdp_w"): (600, H200_PAGE),
    ("h200_nvl", "chip_to_chip_gb_s"): (900, H200_PAGE),
    ("h200_nvl", "pcie_gb_s"): (128, H200_PAGE),
    ("h200_nvl", "launch_date"): ("2024-11-18", H200_NVL_BLOG),
    # H20: Tom's Hardware's table, TweakTown for power, NVLink and the die
    ("h20", "int8_tensor_dense_tops"): (296, TOMS),
    ("h20", "fp8_tensor_dense_tflops"): (296, TOMS),
    ("h20", "bf16_tensor_dense_tflops"): (148, TOMS),
    ("h20", "fp16_tensor_dense_tflops"): (148, TOMS),
    ("h20", "tf32_tensor_dense_tflops"): (74, TOMS),
    ("h20", "memory_gb"): (96, TOMS),
    ("h20", "memory_type"): ("HBM3", TOMS),
    ("h20", "memory_bandwidth_gb_s"): (4000, TOMS),
    ("h20", "architecture"): ("Hopper", TOMS),
    ("h20", "tdp_w"): (400, TWEAK),
    ("h20", "chip_to_chip_gb_s"): (900, TWEAK),
    ("h20", "die_area_mm2"): (814, TWEAK),
    ("h20", "transistors_billion"): (80, TWEAK),
    ("h20", "process"): ("TSMC 4N", TWEAK),
    # L20: Tom's Hardware's table
    ("l20", "int8_tensor_dense_tops"): (239, TOMS),
    ("l20", "fp8_tensor_dense_tflops"): (239, TOMS),
    ("l20", "bf16_tensor_dense_tflops"): (119.5, TOMS),
    ("l20", "fp16_tensor_dense_tflops"): (119.5, TOMS),
    ("l20", "tf32_tensor_dense_tflops"): (59.8, TOMS),
    ("l20", "memory_gb"): (48, TOMS),
    ("l20", "memory_type"): ("GDDR6", TOMS),
    ("l20", "memory_bandwidth_gb_s"): (864, TOMS),
    ("l20", "architecture"): ("Ada Lovelace", TOMS),
    # H800 SXM: DeepSeek's hardware paper, §4.1
    ("h800_sxm", "chip_to_chip_gb_s"): (400, DEEPSEEK),
    ("h800_sxm", "architecture"): ("Hopper", DEEPSEEK),
    # B200: Blackwell datasheet, HGX B200 per-GPU column (sparse; dense one half)
    ("b200", "fp4_tensor_sparse_tflops"): (18000, BW),
    ("b200", "fp4_tensor_dense_tflops"): (9000, BW),
    ("b200", "fp8_tensor_sparse_tflops"): (9000, BW),
    ("b200", "fp8_tensor_dense_tflops"): (4500, BW),
    ("b200", "int8_tensor_sparse_tops"): (9000, BW),
    ("b200", "int8_tensor_dense_tops"): (4500, BW),
    ("b200", "fp16_tensor_sparse_tflops"): (4500, BW),
    ("b200", "fp16_tensor_dense_tflops"): (2250, BW),
    ("b200", "bf16_tensor_dense_tflops"): (2250, BW),
    ("b200", "tf32_tensor_sparse_tflops"): (2200, BW),
    ("b200", "tf32_tensor_dense_tflops"): (1100, BW),
    ("b200", "fp32_tflops"): (75, BW),
    ("b200", "fp64_tflops"): (37, BW),
    ("b200", "fp64_tensor_dense_tflops"): (37, BW),
    ("b200", "memory_gb"): (180, BW),
    ("b200", "memory_bandwidth_gb_s"): (7700, BW),
    ("b200", "tdp_w"): (1000, BW),
    ("b200", "chip_to_chip_gb_s"): (1800, BW),
    ("b200", "pcie_gb_s"): (128, BW),
    ("b200", "transistors_billion"): (208, BW_PR),
    ("b200", "process"): ("TSMC 4NP", BW_PR),
    ("b200", "launch_date"): ("2024-03-18", BW_PR),
    # GB200: Blackwell datasheet, GB200 NVL72 per-GPU column
    ("gb200", "fp4_tensor_sparse_tflops"): (20000, BW),
    ("gb200", "fp4_tensor_dense_tflops"): (10000, BW),
    ("gb200", "fp8_tensor_sparse_tflops"): (10000, BW),
    ("gb200", "fp8_tensor_dense_tflops"): (5000, BW),
    ("gb200", "int8_tensor_dense_tops"): (5000, BW),
    ("gb200", "fp16_tensor_dense_tflops"): (2500, BW),
    ("gb200", "tf32_tensor_dense_tflops"): (1250, BW),
    ("gb200", "fp32_tflops"): (80, BW),
    ("gb200", "fp64_tflops"): (40, BW),
    ("gb200", "memory_gb"): (186, BW),
    ("gb200", "memory_bandwidth_gb_s"): (8000, BW),
    ("gb200", "tdp_w"): (1200, BW),
    ("gb200", "chip_to_chip_gb_s"): (1800, BW),
    # B300: Blackwell Ultra datasheet, HGX B300 per-GPU column
    ("b300", "fp4_tensor_dense_tflops"): (14000, BU),
    ("b300", "fp8_tensor_sparse_tflops"): (9000, BU),
    ("b300", "fp8_tensor_dense_tflops"): (4500, BU),
    ("b300", "int8_tensor_sparse_tops"): (307, BU),
    ("b300", "int8_tensor_dense_tops"): (153.5, BU),
    ("b300", "fp16_tensor_dense_tflops"): (2250, BU),
    ("b300", "tf32_tensor_dense_tflops"): (1100, BU),
    ("b300", "fp32_tflops"): (75, BU),
    ("b300", "fp64_tflops"): (1.2, BU),
    ("b300", "memory_gb"): (270, BU),
    ("b300", "memory_bandwidth_gb_s"): (7700, BU),
    ("b300", "tdp_w"): (1100, BU),
    ("b300", "chip_to_chip_gb_s"): (1800, BU),
    ("b300", "pcie_gb_s"): (256, BU),
    ("b300", "host_interface"): ("PCIe Gen6", BU),
    ("b300", "transistors_billion"): (208, BU_BLOG),
    ("b300", "process"): ("TSMC 4NP", BU_BLOG),
    ("b300", "launch_date"): ("2025-03-18", BU_PR),
    # GB300: Blackwell Ultra datasheet, GB300 per-GPU column
    ("gb300", "fp4_tensor_dense_tflops"): (15000, BU),
    ("gb300", "fp8_tensor_sparse_tflops"): (10000, BU),
    ("gb300", "fp8_tensor_dense_tflops"): (5000, BU),
    ("gb300", "int8_tensor_sparse_tops"): (330, BU),
    ("gb300", "int8_tensor_dense_tops"): (165, BU),
    ("gb300", "fp16_tensor_dense_tflops"): (2500, BU),
    ("gb300", "tf32_tensor_dense_tflops"): (1250, BU),
    ("gb300", "fp64_tflops"): (1.3, BU),
    ("gb300", "memory_gb"): (279, BU),
    ("gb300", "memory_bandwidth_gb_s"): (8000, BU),
    ("gb300", "tdp_w"): (1400, BU),
    ("gb300", "launch_date"): ("2025-03-18", BU_PR),
    # systems
    ("dgx_h100", "gpus_per_system"): (8, DGX_H),
    ("dgx_h100", "system_power_kw"): (10.2, DGX_H),
    ("dgx_h100", "system_of"): ("h100_sxm", DGX_H),
    ("dgx_h100", "memory_gb"): (640, DGX_H),
    ("dgx_h200", "gpus_per_system"): (8, DGX_H),
    ("dgx_h200", "system_power_kw"): (10.2, DGX_H),
    ("dgx_h200", "system_of"): ("h200_sxm", DGX_H),
    ("dgx_h200", "memory_gb"): (1128, DGX_H),
    ("dgx_b200", "gpus_per_system"): (8, DGX_B200),
    ("dgx_b200", "system_power_kw"): (14.3, DGX_B200),
    ("dgx_b200", "system_of"): ("b200", DGX_B200),
    ("dgx_b200", "memory_gb"): (1440, DGX_B200),
    ("dgx_b300", "gpus_per_system"): (8, DGX_B300),
    ("dgx_b300", "system_power_kw"): (14, DGX_B300),
    ("dgx_b300", "system_of"): ("b300", DGX_B300),
    ("dgx_b300", "memory_gb"): (2100, DGX_B300),
    ("dgx_b300", "fp4_tensor_dense_tflops"): (108000, DGX_B300),
    ("dgx_b300", "fp8_tensor_sparse_tflops"): (72000, DGX_B300),
    ("gb200_nvl72", "gpus_per_system"): (72, BW),
    ("gb200_nvl72", "system_of"): ("gb200", BW),
    ("gb200_nvl72", "fp4_tensor_sparse_tflops"): (1440000, BW),
    ("gb200_nvl72", "fp4_tensor_dense_tflops"): (720000, BW),
    ("gb200_nvl72", "fp8_tensor_sparse_tflops"): (720000, BW),
    ("gb200_nvl72", "memory_bandwidth_gb_s"): (576000, BW),
    ("gb300_nvl72", "gpus_per_system"): (72, GB300_PAGE),
    ("gb300_nvl72", "system_of"): ("gb300", GB300_PAGE),
    ("gb300_nvl72", "fp4_tensor_dense_tflops"): (1080000, GB300_PAGE),
    ("gb300_nvl72", "fp8_tensor_sparse_tflops"): (720000, GB300_PAGE),
    ("gb300_nvl72", "memory_gb"): (20000, GB300_PAGE),
    # text fields and the other halves of the printed pairs
    ("h200_sxm", "interconnect"): ("NVLink", H200_PAGE),
    ("h200_nvl", "architecture"): ("Hopper", H200_NVL_BLOG),
    ("h200_nvl", "bf16_tensor_dense_tflops"): (835.5, H200_PAGE),
    ("h200_nvl", "interconnect"): ("NVLink bridge, 2- or 4-way", H200_PAGE),
    ("h200_nvl", "host_interface"): ("PCIe Gen5", H200_PAGE),
    ("h20", "interconnect"): ("NVLink, 8-way HGX", TWEAK),
    ("h800_sxm", "interconnect"): ("NVLink (cut to 400 GB/s)", DEEPSEEK),
    ("b200", "architecture"): ("Blackwell", BW_PR),
    ("b200", "bf16_tensor_sparse_tflops"): (4500, BW),
    ("b200", "memory_type"): ("HBM3E", BW),
    ("b200", "interconnect"): ("NVLink 5 (fifth generation)", BW),
    ("b200", "host_interface"): ("PCIe Gen5", BW),
    ("gb200", "architecture"): ("Blackwell", BW_PR),
    ("gb200", "launch_date"): ("2024-03-18", BW_PR),
    ("gb200", "process"): ("TSMC 4NP", BW_PR),
    ("gb200", "transistors_billion"): (208, BW_PR),
    ("gb200", "int8_tensor_sparse_tops"): (10000, BW),
    ("gb200", "fp16_tensor_sparse_tflops"): (5000, BW),
    ("gb200", "bf16_tensor_sparse_tflops"): (5000, BW),
    ("gb200", "bf16_tensor_dense_tflops"): (2500, BW),
    ("gb200", "tf32_tensor_sparse_tflops"): (2500, BW),
    ("gb200", "fp64_tensor_dense_tflops"): (40, BW),
    ("gb200", "memory_type"): ("HBM3E", BW),
    ("gb200", "interconnect"): ("NVLink 5 (fifth generation)", BW),
    ("gb200", "pcie_gb_s"): (128, BW),
    ("gb200", "host_interface"): ("PCIe Gen5", BW),
    ("b300", "architecture"): ("Blackwell Ultra", BU_BLOG),
    ("b300", "fp16_tensor_sparse_tflops"): (4500, BU),
    ("b300", "bf16_tensor_sparse_tflops"): (4500, BU),
    ("b300", "bf16_tensor_dense_tflops"): (2250, BU),
    ("b300", "tf32_tensor_sparse_tflops"): (2200, BU),
    ("b300", "memory_type"): ("HBM3E", BU),
    ("b300", "interconnect"): ("NVLink 5 (fifth generation)", BU),
    ("gb300", "architecture"): ("Blackwell Ultra", BU_BLOG),
    ("gb300", "process"): ("TSMC 4NP", BU_BLOG),
    ("gb300", "transistors_billion"): (208, BU_BLOG),
    ("gb300", "fp16_tensor_sparse_tflops"): (5000, BU),
    ("gb300", "bf16_tensor_sparse_tflops"): (5000, BU),
    ("gb300", "bf16_tensor_dense_tflops"): (2500, BU),
    ("gb300", "tf32_tensor_sparse_tflops"): (2500, BU),
    ("gb300", "fp32_tflops"): (80, BU),
    ("gb300", "memory_type"): ("HBM3E", BU),
    ("gb300", "chip_to_chip_gb_s"): (1800, BU),
    ("gb300", "interconnect"): ("NVLink 5 (fifth generation)", BU),
    ("gb300", "pcie_gb_s"): (256, BU),
    ("gb300", "host_interface"): ("PCIe Gen6", BU),
    ("dgx_b300", "fp8_tensor_dense_tflops"): (36000, DGX_B300),
    ("gb200_nvl72", "fp8_tensor_dense_tflops"): (360000, BW),
    ("gb200_nvl72", "interconnect"): ("NVLink 5, one 72-GPU domain, 130 TB/s total", BW),
    ("gb300_nvl72", "fp8_tensor_dense_tflops"): (360000, GB300_PAGE),
    ("gb300_nvl72", "memory_bandwidth_gb_s"): (576000, GB300_PAGE),
    ("gb300_nvl72", "interconnect"): ("NVLink 5, one 72-GPU domain, 130 TB/s total", GB300_PAGE),
}

#: The fields recorded as "not published", per chip.
UNPUBLISHED = {
    "h200_sxm": {"process", "transistors_billion", "die_area_mm2", "list_price_usd"},
    "h200_nvl": {"process", "die_area_mm2", "list_price_usd"},
    "h20": {"launch_date", "list_price_usd"},
    "l20": {"die_area_mm2", "launch_date", "list_price_usd"},
    "h800_sxm": {"fp64_tflops", "fp16_tensor_dense_tflops", "fp8_tensor_dense_tflops", "int8_tensor_dense_tops",
                 "memory_gb", "memory_bandwidth_gb_s", "tdp_w", "die_area_mm2", "launch_date", "list_price_usd"},
    "b200": {"die_area_mm2", "list_price_usd"},
    "gb200": {"die_area_mm2", "list_price_usd"},
    "b300": {"die_area_mm2", "list_price_usd"},
    "gb300": {"die_area_mm2", "list_price_usd"},
    "dgx_h100": set(), "dgx_h200": set(), "dgx_b200": set(), "dgx_b300": set(),
    "gb200_nvl72": {"system_power_kw"},
    "gb300_nvl72": {"system_power_kw"},
}
GPUS = ("h200_sxm", "h200_nvl", "h20", "l20", "h800_sxm", "b200", "gb200", "b300", "gb300")
SYSTEMS = ("dgx_h100", "dgx_h200", "dgx_b200", "dgx_b300", "gb200_nvl72", "gb300_nvl72")


def _nvidia_entries() -> set[str]:
    return {k for k in catalogue.keys() if catalogue.get(k).outside and catalogue.get(k).vendor == "NVIDIA"}


def test_the_nvidia_entries_are_these_gpus_and_systems():
    assert _nvidia_entries() == set(GPUS) | set(SYSTEMS)
    assert {catalogue.get(k).kind for k in GPUS} == {"gpu"}
    assert {catalogue.get(k).kind for k in SYSTEMS} == {"system"}


@pytest.mark.parametrize(("chip", "field"), list(GOLDEN), ids=lambda x: str(x))
def test_each_value_is_the_documents(chip, field):
    value, document = GOLDEN[(chip, field)]
    assert catalogue.value(chip, field) == value
    assert catalogue.source(chip, field).startswith(document + " ")


def test_every_value_is_in_the_golden_table():
    """A value added to the file without its golden row (or a golden row without its value) fails."""
    found = {(k, n) for k in _nvidia_entries() for n in catalogue.get(k).values}
    assert found == set(GOLDEN)


@pytest.mark.parametrize("chip", sorted(UNPUBLISHED))
def test_the_blanks_are_these_and_say_what_was_checked(chip):
    c = catalogue.get(chip)
    assert c.unpublished == UNPUBLISHED[chip]
    for name in c.unpublished:
        with pytest.raises(MissingValueError, match="is not published"):
            catalogue.value(chip, name)
        assert reports.named_in(c.sources[name]), (chip, name)


def test_every_gpu_says_nvidia_publishes_no_list_price():
    for chip in GPUS:
        assert "list_price_usd" in catalogue.get(chip).unpublished, chip
        assert "no list price" in catalogue.note(chip, "list_price_usd")


# ------------------------------------------------------------------------ dense and sparse

def test_dense_is_half_the_sparse_figure_nvidia_prints():
    """NVIDIA's 'With sparsity' figures halve to the dense ones (the general test checks the pairs;
    this one that the H200 notes say where the halving comes from)."""
    for chip in ("h200_sxm", "h200_nvl"):
        for field in ("tf32", "bf16", "fp16", "fp8"):
            dense = catalogue.value(chip, f"{field}_tensor_dense_tflops")
            assert catalogue.value(chip, f"{field}_tensor_sparse_tflops") == 2 * dense
            assert "With sparsity" in catalogue.note(chip, f"{field}_tensor_dense_tflops")
            assert "footnote 2" in catalogue.source(chip, f"{field}_tensor_sparse_tflops")


def test_blackwell_ultra_fp4_is_dense_only_with_the_printed_pair_in_the_note():
    """NVIDIA prints Blackwell Ultra FP4 as sparse | dense with a 4:3 ratio, not 2:1, so only the
    dense figure is a field; the printed pair stays readable."""
    for chip, printed in (("b300", "18 | 14 PFLOPS"), ("gb300", "20 | 15 PFLOPS"),
                          ("dgx_b300", "144 PFLOPS | 108 PFLOPS"), ("gb300_nvl72", "1,440 | 1,080 PFLOPS")):
        c = catalogue.get(chip)
        assert "fp4_tensor_sparse_tflops" not in c.values, chip
        assert catalogue.printed(chip, "fp4_tensor_dense_tflops") == printed
    # Blackwell (not Ultra) keeps NVIDIA's 2:1
    assert catalogue.value("gb200", "fp4_tensor_sparse_tflops") == 2 * catalogue.value("gb200", "fp4_tensor_dense_tflops")


def test_the_h20_figures_are_dense_by_the_published_performance_density():
    """TweakTown gives the H20 a performance density of 2.9 against the H100's 19.4 (TPP per mm² of
    the 814 mm² GH100): 296 INT8 dense gives 2.9 just as the H100's dense 1,979 gives 19.4, where
    the sparse 3,958 would give 38.9."""
    die = catalogue.value("h20", "die_area_mm2")
    assert round(catalogue.value("h20", "int8_tensor_dense_tops") * 8 / die, 1) == 2.9
    assert round(catalogue.value("h20", "fp16_tensor_dense_tflops") * 16 / die, 1) == 2.9
    assert round(catalogue.value("H100", "int8_tensor_dense_tops") * 8 / die, 1) == 19.4
    # TweakTown: the H100 SXM is 6.68x the H20 on FP16 Tensor Core FLOPs (dense 989.5 / 148)
    assert catalogue.value("h200_sxm", "fp16_tensor_dense_tflops") / catalogue.value("h20", "fp16_tensor_dense_tflops") \
        == pytest.approx(6.68, abs=0.01)


# ---------------------------------------------------------------------------- arithmetic

#: NVIDIA H100 whitepaper v1.04 (2023), Table 3 pp.39-40: H100 SXM5 enables 132 SMs of 4 Tensor
#: Cores; its Tensor peaks use a 1,830 MHz boost clock, FP64 Tensor and FP32/FP64 1,980 MHz.
H100_SXM5_SMS = 132
TENSOR_CLOCK_HZ = 1.830e9
FP_CLOCK_HZ = 1.980e9
#: Dense multiply-accumulates per clock per SM (NVIDIA, "NVIDIA Hopper GPU: Scaling Performance",
#: Hot Chips 34, August 2022, the per-SM Tensor Core table; NVIDIA's IEEE Micro 2023 Hopper paper
#: repeats it): one MAC is two operations.  FP32 and FP64 (non-tensor): 128 and 64 results per
#: clock per SM (whitepaper Table 3: 128 FP32 and 64 FP64 cores per SM), an FMA being two.
MACS_PER_SM_CLOCK = {"tf32": 1024, "fp16": 2048, "bf16": 2048, "fp8": 4096, "int8": 4096, "fp64_tensor": 128}
FMAS_PER_SM_CLOCK = {"fp32": 128, "fp64": 64}


def _peak_tera(units_per_sm_clock: int, clock_hz: float) -> float:
    return H100_SXM5_SMS * units_per_sm_clock * 2 * clock_hz / 1e12


@pytest.mark.parametrize("precision", ["tf32", "fp16", "bf16", "fp8", "int8"])
def test_h200_sxm_dense_tensor_figures_are_the_h100_sxm5_unit_arithmetic(precision):
    unit = "tops" if precision == "int8" else "tflops"
    arithmetic = _peak_tera(MACS_PER_SM_CLOCK[precision], TENSOR_CLOCK_HZ)
    dense = catalogue.value("h200_sxm", f"{precision}_tensor_dense_{unit}")
    sparse = catalogue.value("h200_sxm", f"{precision}_tensor_sparse_{unit}")
    # NVIDIA prints the sparse figure to the whole TFLOPS: 2 x arithmetic rounds to it
    assert round(2 * arithmetic) == sparse, (precision, arithmetic)
    assert dense == pytest.approx(arithmetic, abs=0.5)


@pytest.mark.parametrize(("field", "rate"), [("fp64_tensor_dense_tflops", MACS_PER_SM_CLOCK["fp64_tensor"]),
                                             ("fp32_tflops", FMAS_PER_SM_CLOCK["fp32"]),
                                             ("fp64_tflops", FMAS_PER_SM_CLOCK["fp64"])])
def test_h200_sxm_fp32_and_fp64_figures_are_the_unit_arithmetic_at_1980_mhz(field, rate):
    arithmetic = _peak_tera(rate, FP_CLOCK_HZ)     # 66.9, 66.9, 33.5 (whitepaper)
    assert catalogue.value("h200_sxm", field) == pytest.approx(arithmetic, abs=0.6)


def test_the_arithmetic_tells_the_precisions_apart():
    """The check above is not loose: a figure of the wrong precision fails it."""
    assert round(2 * _peak_tera(MACS_PER_SM_CLOCK["fp16"], TENSOR_CLOCK_HZ)) != \
        catalogue.value("h200_sxm", "fp8_tensor_sparse_tflops")
    assert catalogue.value("h200_sxm", "fp8_tensor_dense_tflops") != pytest.approx(
        _peak_tera(MACS_PER_SM_CLOCK["fp16"], TENSOR_CLOCK_HZ), abs=0.5)


def test_h200_nvl_scales_every_tensor_precision_alike():
    """No unit count is published for the NVL; its tensor figures are one and the same fraction of
    the SXM's in every precision (a clock or SM difference, not a precision-specific cut)."""
    ratios = [catalogue.value("h200_nvl", f) / catalogue.value("h200_sxm", f)
              for f in ("tf32_tensor_sparse_tflops", "fp16_tensor_sparse_tflops", "bf16_tensor_sparse_tflops",
                        "fp8_tensor_sparse_tflops", "int8_tensor_sparse_tops")]
    assert max(ratios) - min(ratios) < 0.001 and ratios[0] == pytest.approx(0.844, abs=0.001)


# -------------------------------------------------------------------------------- systems

@pytest.mark.parametrize("system", SYSTEMS)
def test_a_system_names_a_gpu_of_the_catalogue_and_draws_more_than_its_gpus(system):
    gpu = catalogue.get(catalogue.value(system, "system_of"))
    assert gpu.kind == "gpu"
    n = catalogue.value(system, "gpus_per_system")
    if "system_power_kw" in catalogue.get(system).values:
        assert n * catalogue.value(gpu, "tdp_w") / 1000 < catalogue.value(system, "system_power_kw")


@pytest.mark.parametrize(("system", "field"), [
    ("gb200_nvl72", "fp4_tensor_sparse_tflops"), ("gb200_nvl72", "fp4_tensor_dense_tflops"),
    ("gb200_nvl72", "fp8_tensor_sparse_tflops"), ("gb200_nvl72", "fp8_tensor_dense_tflops"),
    ("gb200_nvl72", "memory_bandwidth_gb_s"),
    ("gb300_nvl72", "fp4_tensor_dense_tflops"), ("gb300_nvl72", "fp8_tensor_sparse_tflops"),
    ("gb300_nvl72", "fp8_tensor_dense_tflops"), ("gb300_nvl72", "memory_bandwidth_gb_s"),
    ("dgx_b300", "fp8_tensor_sparse_tflops"),
    ("dgx_h100", "memory_gb"), ("dgx_h200", "memory_gb"), ("dgx_b200", "memory_gb"),
])
def test_system_totals_are_gpus_times_the_per_gpu_figure(system, field):
    gpu = catalogue.value(system, "system_of")
    n = catalogue.value(system, "gpus_per_system")
    assert catalogue.value(system, field) == n * catalogue.value(gpu, field)


def test_totals_nvidia_rounds_or_does_not_close_are_noted():
    # 72 x 279 GB = 20,088 GB, printed as 20 TB
    assert round(72 * catalogue.value("gb300", "memory_gb") / 1000) == catalogue.value("gb300_nvl72", "memory_gb") / 1000
    # DGX B300: 108 PFLOPS dense FP4 is 13.5 per GPU against the per-GPU column's 14; 2.1 TB is not 8 x 270 GB
    assert catalogue.value("dgx_b300", "fp4_tensor_dense_tflops") / 8 == 13500 != catalogue.value("b300", "fp4_tensor_dense_tflops")
    assert "13.5" in catalogue.get("dgx_b300").note and "13.5" in catalogue.note("b300", "fp4_tensor_dense_tflops")
    assert 8 * catalogue.value("b300", "memory_gb") != catalogue.value("dgx_b300", "memory_gb")
    assert "262.5" in catalogue.note("b300", "memory_gb")


def test_rack_power_is_not_published_and_the_dgx_power_is_the_published_maximum():
    for rack in ("gb200_nvl72", "gb300_nvl72"):
        with pytest.raises(MissingValueError, match="system_power_kw of NVIDIA GB[23]00 NVL72 is not published"):
            catalogue.value(rack, "system_power_kw")
    assert catalogue.printed("dgx_h100", "system_power_kw") == "10.2 kW max"
    assert catalogue.printed("dgx_b200", "system_power_kw") == "~14.3kW max"


# ---------------------------------------------------------------------------------- lookup

@pytest.mark.parametrize(("spelling", "key"), [
    ("H200", "h200_sxm"), ("h200 sxm5", "h200_sxm"), ("H200 NVL", "h200_nvl"), ("HGX H20", "h20"),
    ("L20", "l20"), ("H800", "h800_sxm"), ("B200", "b200"), ("HGX B300", "b300"), ("GB200", "gb200"),
    ("GB300", "gb300"), ("DGX H100", "dgx_h100"), ("gb200-nvl72", "gb200_nvl72"), ("H100", "h100_sxm"),
])
def test_analysts_spellings_find_the_entry(spelling, key):
    assert catalogue.get(spelling).key == key


def test_the_documents_cited_have_addresses_and_the_old_dgx_citation_is_not_needed():
    cited = {reports.named_in(s)[0].id for k in _nvidia_entries() for s in catalogue.get(k).sources.values()}
    assert "nvidia-dgx-h100" not in cited   # the reports' DGX H100 document has no address
    for doc_id in cited:
        d = reports.get(doc_id)
        assert d.address and d.address.startswith("https://"), doc_id
    assert reports.short("nvidia-dgx-h100-h200-guide") == DGX_H
    assert reports.get("nvidia-h100-whitepaper").short == WHITEPAPER
