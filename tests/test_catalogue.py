"""Tests of the hardware catalogue (engine/data/catalogue.toml and engine/catalogue.py).

The expected values below were transcribed from the reports by hand and cross-checked cell by
cell; each carries the table it comes from, and the test also checks that the catalogue cites
that table as a reader finds it (图表N, or the compilation's section and table title).
"""

from __future__ import annotations

import ast
import dataclasses
import math
import re
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import catalogue, reports
from engine.errors import InvalidValueError, MissingValueError, UnknownNameError

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

RAW = tomllib.loads(
    resources.files("engine").joinpath("data").joinpath("catalogue.toml").read_text(encoding="utf-8"))
#: The reports' entries (data/catalogue.toml); today's catalogue has its own rules (test_catalogue_current.py).
CHIPS = [catalogue.get(k) for k in catalogue.keys() if not catalogue.get(k).outside]
EXTERNAL = {"h100_sxm": "NVIDIA H100 datasheet (2022) (external)", "a100_sxm": "NVIDIA A100 datasheet (2020) (external)"}
#: Values from outside the reports that name the place in their document: (chip, field) -> the document's id.
EXTERNAL_PLACED = {("a100_sxm", "die_area_mm2"): "nvidia-a100-whitepaper",
                   ("h100_sxm", "die_area_mm2"): "nvidia-h100-whitepaper"}
SHORTS = tuple(reports.short(r) for r in catalogue.REPORTS)
TABLE_CITES = {t.cite for t in catalogue.tables().values()}
#: One place in a report: a figure (图表N), a passage (摘要 or §section, then the words quoted), or
#: a table of the compilation named by its section and title; an optional remark in brackets.
PLACE = re.compile(r"^(图表\d+|(摘要|§[0-9.]+|§[一二三四五六七八]\.\d(\(\d\))?)( 表「[^「」]+」:)?[^「」]*「[^「」]+」)( \(.+\))?$")


def cited(source: str, table_id: str) -> bool:
    """Whether a source names the table as a reader finds it: its report's short name, then its place."""
    table = catalogue.tables()[table_id]
    short = reports.short(table.report)
    for part in source.split(";"):
        part = part.strip()
        if part.startswith(short + " "):
            places = part[len(short) + 1:].split(", ")
            if any(p == table.cite or p.startswith(table.cite + " (") for p in places):
                return True
    return False


# ------------------------------------------------------------------------------ file integrity

def test_catalogue_is_not_empty_and_keys_are_unique_snake_case():
    keys = catalogue.keys()
    assert len(keys) == len(set(keys))
    assert [c.key for c in CHIPS] == list(RAW["chips"]) and len(CHIPS) >= 50
    assert all(re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", k) for k in keys)


def test_every_field_used_is_in_the_vocabulary():
    vocabulary = set(catalogue.fields())
    identity = {"name", "name_zh", "aliases", "vendor", "kind", "tables", "note"}
    for key, raw in RAW["chips"].items():
        used = set(raw) - identity
        assert used <= vocabulary, (key, used - vocabulary)


def test_every_value_has_a_source_and_blanks_have_no_value():
    for chip in CHIPS:
        assert set(chip.values) <= set(chip.sources), chip.key
        for name, src in chip.sources.items():
            assert src.strip(), (chip.key, name)
        for name, alts in chip.alternatives.items():
            assert name in chip.values, (chip.key, name)
            for alt in alts:
                assert alt.source.startswith(SHORTS), (chip.key, name, alt)


def test_sources_are_well_formed_and_cite_the_reports():
    """Each part names a report by its short name, then the places in it as a reader finds them."""
    for chip in CHIPS:
        for name, src in chip.sources.items():
            if src == EXTERNAL.get(chip.key):
                continue
            if (chip.key, name) in EXTERNAL_PLACED:   # the outside document's short name, a place, "(external)"
                doc = reports.get(EXTERNAL_PLACED[chip.key, name])
                assert doc.kind == "outside" and doc.address, (chip.key, name)
                assert src.startswith((doc.short + " §", doc.short + " p.")) and src.endswith(" (external)"), (chip.key, name, src)
                continue
            for part in src.split(";"):
                part = part.strip()
                short = next((s for s in SHORTS if part.startswith(s + " ")), None)
                assert short, (chip.key, name, part)
                for place in part[len(short) + 1:].split(", "):
                    assert place in TABLE_CITES or PLACE.match(place), (chip.key, name, place)
                assert not re.search(r"\bL\d|seed", part), (chip.key, name, part)


def test_external_values_only_where_allowed():
    allowed = {("h100_sxm", f) for f in ("fp16_tensor_sparse_tflops", "int8_tensor_sparse_tops")}
    allowed |= {("a100_sxm", f) for f in ("fp16_tensor_sparse_tflops", "int8_tensor_sparse_tops")}
    allowed |= set(EXTERNAL_PLACED)
    found = {(c.key, f) for c in CHIPS for f, s in c.sources.items() if "external" in s.lower()}
    assert found == allowed


def test_every_listed_table_is_cited_by_a_source_of_that_chip():
    tables = catalogue.tables()
    assert set(tables) == {"fig14", "fig42", "fig43", "fig44", "fig55", "fig58", "fig61", "s001_chips", "s001_cpus"}
    for chip in CHIPS:
        assert chip.tables and set(chip.tables) <= set(tables), chip.key
        for table in chip.tables:
            assert any(cited(s, table) for s in chip.sources.values()), (chip.key, table)


def test_values_have_the_type_of_their_field():
    for chip in CHIPS:
        for name, val in chip.values.items():
            if catalogue.field_info(name)["type"] == "number":
                assert isinstance(val, (int, float)) and not isinstance(val, bool), (chip.key, name)
                assert math.isfinite(val) and val > 0, (chip.key, name, val)
            else:
                assert isinstance(val, str) and val.strip(), (chip.key, name)


def test_unit_suffixes_match_the_units():
    suffix_unit = {"_tflops": "TFLOPS", "_tops": "TOPS", "_gb_s": "GB/s", "_gb": "GB", "_w": "W",
                   "_mhz_max": "MHz", "_gpixel_s": "GPixel/s"}
    units = catalogue.units()
    assert set(units) == set(catalogue.fields())
    for name, unit in units.items():
        for suffix, expected in suffix_unit.items():
            if name.endswith(suffix):
                assert unit == expected, (name, unit)
                break
    assert units["clock_ghz_max"] == "GHz" and units["transistors_billion"] == "billion transistors"


def test_kinds_and_tables_agree():
    kind_of_table = {"fig14": {"architecture"}, "fig42": {"gpu"}, "fig43": {"gpu"}, "fig44": {"edge"},
                     "fig55": {"graphics"}, "fig58": {"gpu", "gpgpu"}, "fig61": {"asic"},
                     "s001_chips": {"asic", "gpgpu"}, "s001_cpus": {"cpu"}}
    for chip in CHIPS:
        assert chip.kind in catalogue.KINDS
        for table in chip.tables:
            assert chip.kind in kind_of_table[table], (chip.key, table, chip.kind)


def test_chips_per_table():
    count = {t: sum(t in c.tables for c in CHIPS) for t in
             ("fig14", "fig42", "fig43", "fig44", "fig55", "fig58", "fig61", "s001_chips", "s001_cpus")}
    assert count == {"fig14": 8, "fig42": 6, "fig43": 3, "fig44": 5, "fig55": 6, "fig58": 8,
                     "fig61": 6, "s001_chips": 12, "s001_cpus": 8}


# ---------------------------------------------------------------------------- dense vs sparse

def test_h100_and_a100_dense_and_sparse_are_separate():
    assert catalogue.value("H100 SXM", "fp16_tensor_dense_tflops") == 990
    assert catalogue.value("H100 SXM", "fp16_tensor_sparse_tflops") == 1979
    assert catalogue.value("H100 SXM", "int8_tensor_dense_tops") == 1979
    assert catalogue.value("H100 SXM", "int8_tensor_sparse_tops") == 3958
    assert catalogue.value("A100 SXM", "fp16_tensor_dense_tflops") == 312
    assert catalogue.value("A100 SXM", "fp16_tensor_sparse_tflops") == 624
    assert catalogue.value("A100 SXM", "int8_tensor_dense_tops") == 624
    assert catalogue.value("A100 SXM", "int8_tensor_sparse_tops") == 1248
    assert catalogue.source("H100", "fp16_tensor_dense_tflops").startswith("中信建投《算力大时代》(2023) 图表42,")
    assert catalogue.source("H100", "fp16_tensor_sparse_tflops") == EXTERNAL["h100_sxm"]


def test_no_sparse_figure_sits_in_a_dense_field():
    for chip in CHIPS:
        for name in chip.values:
            if "sparse" in name:
                assert chip.sources[name] == EXTERNAL[chip.key], (chip.key, name)
                dense = name.replace("sparse", "dense")
                assert chip.values[name] == 2 * round(chip.values[dense]) or (
                    chip.values[name] == pytest.approx(2 * chip.values[dense], rel=0.002)), chip.key
            if "dense" in name:
                assert "external" not in chip.sources[name], (chip.key, name)
    # the classic mix-up: H100's dense INT8 equals its sparse FP16 in number, not its dense FP16
    h100 = catalogue.get("H100")
    assert h100.values["fp16_tensor_dense_tflops"] != h100.values["fp16_tensor_sparse_tflops"]


def test_report_models_use_the_dense_figures():
    # fig49 / fig50 take 312 and 990 per card
    assert "图表49" in catalogue.source("A100", "fp16_tensor_dense_tflops")
    assert "图表50" in catalogue.source("H100", "fp16_tensor_dense_tflops")


# ------------------------------------------------------------------ values against the seed text

CELLS = [
    # fig14: NVIDIA architectures
    ("Fermi", "year", 2010, "fig14"),
    ("Kepler", "sms", 15, "fig14"),
    ("Turing", "cuda_cores", 2560, "fig14"),
    ("Hopper", "tensor_cores", 528, "fig14"),
    ("Ampere", "process", "8/7nm", "fig14"),
    ("Volta", "features", "NVLink 2.0, Tensor Core 1.0", "fig14"),
    # fig42: datacentre GPUs
    ("V100", "fp64_tflops", 7.8, "fig42"),
    ("A10", "tf32_tensor_dense_tflops", 62.5, "fig42"),
    ("T4", "int8_tensor_dense_tops", 130, "fig42"),
    ("A30", "memory_bandwidth_gb_s", 933, "fig42"),
    ("H100", "pcie_gb_s", 128, "fig42"),
    ("A100", "tdp_w", 400, "fig42"),
    ("H100", "fp16_tflops", 267.6, "fig42"),
    ("A30", "chip_to_chip_gb_s", 200, "fig42"),
    ("A10", "process", "8nm", "fig42"),
    ("T4", "memory_type", "GDDR6", "fig42"),
    # fig43: interconnect row
    ("A800 80GB", "chip_to_chip_gb_s", 400, "fig43"),
    ("A100 80GB", "chip_to_chip_gb_s", 600, "fig43"),
    ("A10 24GB", "pcie_gb_s", 64, "fig43"),
    ("A800 80GB", "memory_gb", 80, "fig43"),
    # fig44: edge chips
    ("RK3588M", "ai_tops", 6, "fig44"),
    ("Apple M2", "ai_tops", 15.8, "fig44"),
    ("Exynos 2100", "use", "手机", "fig44"),
    ("Xavier", "ai_unit", "GPU", "fig44"),
    ("Tesla HW 3.0", "ai_tops", 73.72, "fig44"),
    # fig55: graphics GPUs
    ("RTX 4090", "fp32_tflops", 82.58, "fig55"),
    ("GTX1080", "clock_ghz_max", 1.73, "fig55"),
    ("JM9", "process", "14nm", "fig55"),
    ("风华一号", "memory_type", "GDDR6/GDDR6X", "fig55"),
    ("风华二号", "int8_tops", 12.5, "fig55"),
    ("MTT S80", "cores", 4096, "fig55"),
    ("MTT S80", "host_interface", "PCIe Gen5 x16", "fig55"),
    # fig58: GPGPUs
    ("H100", "cuda_cores", 15872, "fig58"),
    ("A800 PCIe", "tdp_w", 250, "fig58"),
    ("深算一号", "clock_ghz_min", 1.5, "fig58"),
    ("MTT S3000", "fp32_tflops", 15.2, "fig58"),
    ("壁砺100P", "int8_tops", 2048, "fig58"),
    ("天垓100", "memory_type", "HBM2", "fig58"),
    ("MXN100", "fp16_tflops", 80, "fig58"),
    ("A100", "clock_ghz_min", 0.77, "fig58"),
    # fig61: ASICs
    ("TPUv4", "chip_to_chip_gb_s", 1000, "fig61"),
    ("MLU370-X8", "memory_gb", 48, "fig61"),
    ("昇腾910", "bf16_tflops", 320, "fig61"),
    ("T20", "process", "12nm", "fig61"),
    ("昆仑芯2", "tdp_w", 120, "fig61"),
    ("TPU v4", "ecosystem", "TensorFlow XLA", "fig61"),
    ("MLU590", "year", 2022, "fig61"),
    # the compilation's domestic AI-chip table (decoded alignment)
    ("思元370", "memory_bandwidth_gb_s", 307.2, "s001_chips"),
    ("思元290", "int16_tops", 256, "s001_chips"),
    ("含光800", "int8_tops", 825, "s001_chips"),
    ("昇腾310", "int8_tops", 16, "s001_chips"),
    ("天垓100", "int8_tops", 295, "s001_chips"),
    ("云燧T20/T21", "tf32_tflops", 128, "s001_chips"),
    ("壁研104P", "memory_bandwidth_gb_s", 819, "s001_chips"),
    ("DCU", "fp64_tflops", 10.8, "s001_chips"),
    ("思元270", "tdp_w", 70, "s001_chips"),
    # the compilation's server CPUs
    ("EPYC 9654", "memory_channels", 12, "s001_cpus"),
    ("3C5000L", "isa", "LoongArch", "s001_cpus"),
    ("S2500", "pcie_lanes", 17, "s001_cpus"),
    ("Xeon 8592", "memory_speed_mhz_max", 5600, "s001_cpus"),
    ("海光 7285", "threads", 64, "s001_cpus"),
]


@pytest.mark.parametrize("chip, field, expected, table", CELLS)
def test_cell_as_printed(chip, field, expected, table):
    assert catalogue.value(chip, field) == expected
    assert cited(catalogue.source(chip, field), table)
    assert table in catalogue.get(chip).tables


def test_at_least_three_cells_per_table_from_different_columns():
    for table in ("fig14", "fig42", "fig43", "fig44", "fig55", "fig58", "fig61", "s001_chips", "s001_cpus"):
        rows = [(catalogue.get(c).key, f) for c, f, _, t in CELLS if t == table]
        assert len({k for k, _ in rows}) >= 3 and len({f for _, f in rows}) >= 3, table


def test_text_extras():
    assert catalogue.value("T4", "cuda_cores") == 2560
    assert catalogue.source("T4", "cuda_cores") == "中信建投《算力大时代》(2023) §2.2「包含了 2560 个 CUDA 内核」"
    assert catalogue.value("天垓100", "memory_bandwidth_gb_s") == 1200
    assert catalogue.value("天垓100", "transistors_billion") == 24
    assert catalogue.value("BR100", "transistors_billion") == 77
    assert catalogue.value("MLU290", "int4_tops") == 1024
    assert catalogue.value("Ascend 310", "fp16_tflops") == 8
    assert catalogue.value("风华二号", "pixel_fill_gpixel_s") == 48


def test_blank_cells_are_not_invented():
    # fig42: V100 has "-" for INT8 Tensor; T4's FP16 cell is empty; fig61: TPUv4 power is empty
    for chip, field in [("V100", "int8_tensor_dense_tops"), ("T4", "fp16_tflops"),
                        ("TPU v4", "tdp_w"), ("MLU590", "int8_tops"), ("BR104P", "fp32_tflops"),
                        ("A10", "chip_to_chip_gb_s"), ("Kunpeng 920", "clock_ghz_max")]:
        with pytest.raises(MissingValueError):
            catalogue.value(chip, field)
    assert catalogue.printed("V100", "int8_tensor_dense_tops") == "-"
    assert catalogue.printed("Kunpeng 920", "clock_ghz_max") == "GHZ"


def test_multi_value_cells_keep_the_printed_text():
    assert catalogue.value("A100", "memory_gb") == 80
    assert catalogue.printed("A100", "memory_gb").startswith("40/80 GB")
    assert [a.value for a in catalogue.alternatives("A100", "memory_gb")] == [40]
    assert catalogue.value("A100", "memory_bandwidth_gb_s") == 2040
    assert catalogue.printed("A100", "memory_bandwidth_gb_s") == "1.56/2.04 TB/s"
    assert catalogue.value("V100", "memory_gb") == 32
    assert catalogue.printed("V100", "memory_gb") == "16/32 GB"
    assert catalogue.value("风华一号", "fp32_tflops") == 10
    assert catalogue.value("壁砺100P", "tdp_w") == 550
    assert catalogue.printed("壁砺100P", "tdp_w") == "450-550W"
    assert catalogue.printed("Tesla HW 3.0", "ai_tops") == "2 * 36.86 TOPS"
    assert catalogue.value("Tesla HW 3.0", "ai_tops") == pytest.approx(2 * 36.86)


# ------------------------------------------------------------------------- typos and doubts

@pytest.mark.parametrize("chip, field, value, words", [
    ("壁砺100P", "fp32_tflops", 2456, ["typo", "256"]),
    ("H100", "cuda_cores", 15872, ["16896"]),
    ("A100", "fp64_tensor_dense_tflops", 9.75, ["19.5"]),
    ("T4", "memory_bandwidth_gb_s", 200, ["320"]),
    ("昇腾910", "tdp_w", 350, ["310"]),
    ("H100", "memory_bandwidth_gb_s", 3350, ["3.2"]),
    ("MTT S3000", "tdp_w", 35, ["250", "doubtful"]),
    ("A800 PCIe", "clock_ghz_max", 0.475, ["doubtful"]),
    ("A30", "fp16_tflops", 10.3, ["doubtful"]),
    ("GTX1080", "int8_tops", 25, ["doubtful"]),
    ("昇腾910", "int16_tops", 640, ["sic", "INT8"]),
    ("昇腾310", "int16_tops", 8, ["sic", "FP16"]),
    ("Sunway 1621", "isa", "X86", ["sic", "SW-64"]),
    ("昆仑芯2", "ecosystem", "Ascend 910", ["doubtful"]),
])
def test_typos_are_kept_as_printed_with_a_note(chip, field, value, words):
    assert catalogue.value(chip, field) == value
    text = catalogue.note(chip, field)
    assert text is not None
    for word in words:
        assert word in text, (chip, field, text)


def test_conflicting_figures_are_kept_as_alternatives():
    assert [a.value for a in catalogue.alternatives("昇腾910", "tdp_w")] == [310]
    assert [a.value for a in catalogue.alternatives("H100", "cuda_cores")] == [16896]
    assert [a.value for a in catalogue.alternatives("H100", "memory_bandwidth_gb_s")] == [3200]
    assert catalogue.alternatives("H100", "fp16_tensor_dense_tflops") == []


def test_fig14_non_integer_cores_per_sm_are_noted():
    for chip in CHIPS:
        if chip.kind != "architecture":
            continue
        for count in ("cuda_cores", "tensor_cores"):
            if count not in chip.values:
                continue
            per_sm = chip.values[count] / chip.values["sms"]
            if per_sm != int(per_sm):
                assert "not an integer" in chip.notes[count], (chip.key, count)
    # Maxwell's 192 per SM is an integer, but not Maxwell's 128
    assert "128" in catalogue.note("Maxwell", "cuda_cores")


def test_values_per_report():
    assert catalogue.value("壁砺100P", "bf16_tflops") == 1024
    assert catalogue.value("壁砺100P", "bf16_tflops", report="csc-2023") == 1024
    assert catalogue.value("壁砺100P", "bf16_tflops", report="ai-server-2023") == 960
    assert catalogue.value("壁砺100P", "fp32_tflops", report="ai-server-2023") == 240
    assert catalogue.value("MTT S3000", "tdp_w", report="ai-server-2023") == 250
    assert catalogue.value("昇腾910", "tdp_w", report="ai-server-2023") == 310
    assert catalogue.value("昇腾910", "fp16_tflops", report="ai-server-2023") == 320
    with pytest.raises(MissingValueError, match=r"int8_tops of Huawei Ascend 910 is not given in 《AI 服务器行业深度》\(2023\)"):
        catalogue.value("昇腾910", "int8_tops", report="ai-server-2023")
    with pytest.raises(MissingValueError, match=r"not given in 中信建投《算力大时代》\(2023\)"):
        catalogue.value("含光800", "int8_tops", report="csc-2023")
    with pytest.raises(InvalidValueError, match="csc-2023, ai-server-2023"):
        catalogue.value("H100", "fp32_tflops", report="seed000")


# -------------------------------------------------------------------------------- the API

def test_lookup_by_alias_key_name_and_case():
    h100 = catalogue.get("NVIDIA H100 SXM")
    for spelling in ("h100", "H100", "h100_sxm", "H100-SXM", "  h100 sxm ", "nvidia h100 sxm", "H100 SXM5"):
        assert catalogue.get(spelling) is h100
    assert catalogue.get("海思 昇腾 910").key == "huawei_ascend_910"
    assert catalogue.get("昇腾910").key == "huawei_ascend_910"
    assert catalogue.get("ＭＬＵ３７０－Ｘ８").key == "cambricon_mlu370_x8"  # full-width input
    assert catalogue.get("壁研100P").key == "biren_br100p"  # seed001's misprint
    assert catalogue.get(h100) is h100


def test_every_label_resolves_to_its_own_chip():
    for chip in CHIPS:
        for label in (chip.key, chip.name, chip.name_zh, *chip.aliases):
            if label:
                assert catalogue.get(label) is chip, label
                assert catalogue.get(label.upper()) is chip, label


def test_unknown_chip_suggests_close_names():
    with pytest.raises(UnknownNameError) as info:
        catalogue.get("H100 SMX")
    err = info.value
    assert isinstance(err, KeyError) and err.excel == "#N/A"
    assert "did you mean" in str(err) and "NVIDIA H100 SXM" in str(err)
    assert "NVIDIA H100 SXM" in err.choices
    with pytest.raises(UnknownNameError, match="A800 80GB"):
        catalogue.get("A800")  # two A800 parts: both are suggested
    with pytest.raises(UnknownNameError):
        catalogue.get("Blackwell B200")


def test_unknown_field_is_an_unknown_name():
    with pytest.raises(UnknownNameError) as info:
        catalogue.value("H100", "fp16_tensor_tflops")
    assert "unknown field" in str(info.value)
    assert "fp16_tensor_dense_tflops" in str(info.value)  # the suggestion
    with pytest.raises(UnknownNameError):
        catalogue.source("H100", "flops")
    with pytest.raises(UnknownNameError):
        catalogue.note("H100", "flops")


def test_missing_field_message_names_chip_and_field():
    with pytest.raises(MissingValueError) as info:
        catalogue.value("Google TPU v4", "tdp_w")
    message = str(info.value)
    assert "tdp_w of Google TPU v4" in message
    assert "is not given in the reports' tables" in message
    assert isinstance(info.value, ValueError)
    with pytest.raises(MissingValueError, match="printed '-'"):
        catalogue.value("V100", "tf32_tensor_dense_tflops")  # the note rides along as a hint
    with pytest.raises(MissingValueError, match="fp8_tensor_dense_tflops of NVIDIA H100 SXM"):
        catalogue.value("H100", "fp8_tensor_dense_tflops")
    with pytest.raises(MissingValueError):
        catalogue.source("Apple M2", "tdp_w")


@given(st.sampled_from(catalogue.keys()), st.sampled_from(catalogue.fields()))
def test_value_never_returns_none_or_zero(key, field):
    try:
        val = catalogue.value(key, field)
    except MissingValueError as err:
        assert field in str(err) and catalogue.get(key).name in str(err)
        assert field not in catalogue.get(key).values
    else:
        assert val is not None and val != 0 and val != ""
        assert catalogue.source(key, field)


def test_names_by_kind():
    assert [n for n in catalogue.names(kind="asic") if not catalogue.get(n).outside] == [
        "Google TPU v4", "Cambricon MLU370-X8", "Cambricon MLU590", "Huawei Ascend 910",
        "Enflame T20", "Kunlunxin 2", "Cambricon MLU370", "Cambricon MLU290", "Cambricon MLU270",
        "T-Head Hanguang 800", "Huawei Ascend 310"]
    assert catalogue.names("architecture")[0] == "NVIDIA Fermi"
    assert catalogue.names("ASIC") == catalogue.names("asic")
    assert len(catalogue.names()) == len(catalogue.keys())
    assert sum(len(catalogue.names(k)) for k in catalogue.KINDS) == len(catalogue.keys())
    with pytest.raises(UnknownNameError):
        catalogue.names(kind="fpga")


def test_one_list_of_kinds():
    assert set(catalogue.ACCELERATOR_KINDS) <= set(catalogue.KINDS)
    assert set(catalogue.TOPS_KINDS) <= set(catalogue.KINDS)
    assert not set(catalogue.ACCELERATOR_KINDS) & set(catalogue.TOPS_KINDS)
    assert catalogue.names(" GPU ") == catalogue.names("gpu")
    with pytest.raises(UnknownNameError) as info:
        catalogue.names("fpga")
    assert info.value.choices == list(catalogue.KINDS)


def test_chip_is_frozen_and_read_only():
    chip = catalogue.get("A100")
    with pytest.raises(dataclasses.FrozenInstanceError):
        chip.name = "x"
    with pytest.raises(TypeError):
        chip.values["tdp_w"] = 1
    assert hash(chip) == hash(catalogue.get("a100_sxm"))
    assert chip.name_zh is None and catalogue.get("昇腾910").name_zh == "海思 昇腾 910"


def test_to_records():
    records = catalogue.to_records()
    assert [r["key"] for r in records] == catalogue.keys()
    columns = ["key", "name", "name_zh", "vendor", "kind", "tables", "aliases", *catalogue.fields()]
    assert all(list(r) == columns for r in records)
    h100 = next(r for r in records if r["key"] == "h100_sxm")
    assert h100["fp16_tensor_dense_tflops"] == 990 and h100["fp8_tensor_dense_tflops"] is None
    with_sources = catalogue.to_records(sources=True)[0]
    assert with_sources["year_source"] == "中信建投《算力大时代》(2023) 图表14, §2.1.1「2010 年 NVIDIA 提出的 Fermi 架构」"


def test_records_make_a_dataframe():
    import pandas as pd  # a runtime dependency of suanli
    records = catalogue.to_records()
    frame = pd.DataFrame(records).set_index("key")
    assert frame.loc["a100_sxm", "fp16_tensor_dense_tflops"] == 312
    assert pd.api.types.is_numeric_dtype(frame["memory_gb"])


def test_module_is_pure_python_and_cached():
    tree = ast.parse(Path(catalogue.__file__).read_text(encoding="utf-8"))
    imported = {(n.module or "") if isinstance(n, ast.ImportFrom) else a.name
                for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                for a in n.names}
    assert not {"numpy", "pandas"} & {m.split(".")[0] for m in imported}
    assert catalogue._catalogue() is catalogue._catalogue()
    for name in catalogue.__all__:
        obj = getattr(catalogue, name)
        if callable(obj) and not isinstance(obj, type):
            assert obj.__doc__ and obj.__doc__.split()[0] == "Return", name


# ---------------------------------------------------------------------- loader validation

def _data(**chip):
    base = {"name": "X", "vendor": "V", "kind": "gpu", "tables": ["fig42"]}
    base.update(chip)
    return {"fields": {"tdp_w": {"unit": "W", "type": "number"},
                       "process": {"unit": "text", "type": "text"}},
            "tables": {"fig42": {"report": "csc-2023", "cite": "图表42", "title": "t"}},
            "chips": {"x": base}}


@pytest.mark.parametrize("chip, message", [
    ({"tdp_w": {"value": 300}}, "no source"),
    ({"tdp_w": {"value": "300 W", "source": "s"}}, "must be a number"),
    ({"process": {"value": 7, "source": "s"}}, "must be text"),
    ({"fp99_tflops": {"value": 1, "source": "s"}}, "not in the"),
    ({"tdp_w": {"value": 1, "source": "s", "unit": "W"}}, "inline table"),
    ({"kind": "fpga"}, "kind"),
    ({"tdp_w": {"value": 1, "source": "s", "also": [{"value": 2}]}}, "also"),
    ({"tables": ["fig99"]}, r"lists tables \['fig99'\] not in \[tables\]"),
])
def test_loader_rejects_bad_entries(chip, message):
    with pytest.raises(ValueError, match=message):
        catalogue._build(_data(**chip))


def test_loader_rejects_an_alias_naming_two_chips():
    data = _data(aliases=["Y"])
    data["chips"]["y"] = {"name": "Y", "vendor": "V", "kind": "gpu", "tables": ["fig42"]}
    with pytest.raises(ValueError, match="names both"):
        catalogue._build(data)
