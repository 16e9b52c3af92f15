"""Export control: the A100 and A800 on the thresholds, the domestic chips, today's accelerators under
both rules, the 2023 rule's 3A090.a and 3A090.b bands, dense figures only, the inputs' agreement with
the catalogue, the models' properties, formulas and bad input.

The AI-server compilation (its §二.3(1) and §三.2(4)) prints no table of classes, only the rule and three verdicts;
the worked TPP figures come from the catalogue of its models, each checked against
the report's chip figures.  Both are package data, engine/data/printed/export_control.toml
(the verdicts as text cells of class_2022 with the report's words, the TPP figures as derived
cells), and golden cells (tests/test_golden.py).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import (
    InvalidTypeError,
    InvalidValueError,
    MissingValueError,
    SuanliError,
    catalogue,
    errata,
    packagedata,
    scenarios,
    table,
)
from engine import export_control as ec
from engine.exhibits import export_control as ex
from engine.ops import Formula, ref

from excel_oracle import evaluate

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# ------------------------------------------------------------------------------------ helpers

_TABLE = {}


def _t(**overrides):
    key = tuple(sorted((k, str(v)) for k, v in overrides.items()))
    if key not in _TABLE:
        _TABLE[key] = table("export_control", overrides=overrides or None)
    return _TABLE[key]


_STRING = re.compile(r'"((?:[^"]|"")*)"')


def evaluate_text(formula: str, names: dict):
    """The oracle's evaluation with Excel string literals: each literal becomes a bound name."""
    strings = {}

    def bind(m):
        name = f"__s{len(strings)}"
        strings[name] = m.group(1).replace('""', '"')
        return name

    return evaluate(_STRING.sub(bind, formula), {**names, **strings})


# ----------------------------------------------------------------- the report's printed claims
def test_a100_sits_exactly_on_both_thresholds():
    t = _t()
    assert t.value("tpp_max", "a100_sxm") == 4992
    assert t.value("io", "a100_sxm") == 600
    assert t.value("tpp_max", "v100_sxm") == 2000
    assert t.value("tpp_max", "h100_sxm") == 15840 and t.value("io", "h100_sxm") == 900


def test_the_reports_wording_would_free_the_a100():
    """S10: 高于 600GB/s (strictly above) leaves the A100 out; the rule's '600 or more' catches it."""
    io = _t().value("io", "a100_sxm")
    assert not io > 600 and io >= 600
    e = errata.get("S10")
    assert "高于 600GB/s" in e.printed and "export_control" in e.exhibits
    assert "600 GB/s or more" in e.consistent


@pytest.mark.parametrize("a800", ["a800_80gb", "a800_pcie_40gb"])
def test_a800_interconnect_cut_by_a_third(a800):
    """The compilation, §二.3(1): 较 A100 在互联带宽方面被削弱 1/3 (600 -> 400)."""
    t = _t()
    assert t.value("io", a800) == pytest.approx(t.value("io", "a100_sxm") * (1 - 1 / 3))
    assert t.value("io", a800) == 400


def test_a800_compute_is_not_copied_from_the_a100():
    t = _t()
    assert t.value("tpp_max", "a800_80gb") == 0            # not printed: not given
    assert t.value("tpp_max", "a800_pcie_40gb") == 624      # FP32 19.5 x 32, a lower bound
    assert "INT8" in t.value("missing", "a800_80gb") and "FP16" in t.value("missing", "a800_80gb")
    assumed = _t(export_a800_as_a100=True)
    for a800 in ("a800_80gb", "a800_pcie_40gb"):
        assert assumed.value("tpp_max", a800) == 4992
        assert assumed.value("class_2022", a800) == ec.NOT_RESTRICTED   # still 400 GB/s
        assert assumed.value("class_2023", a800) == ec.RESTRICTED_3A090A  # 2023: no I/O test, 4992 >= 4800
    assert assumed.value("tpp_max", "a100_sxm") == 4992


# ------------------------------------------------------- the 2023 rule on the reports' NVIDIA parts
def test_a100_and_h100_under_the_2023_rule_with_nvidias_die_areas():
    """Die areas from NVIDIA's whitepapers (catalogue, external): GA100 826 mm², GH100 814 mm²."""
    t = _t()
    assert catalogue.value("A100 SXM", "die_area_mm2") == 826 and catalogue.value("H100", "die_area_mm2") == 814
    assert catalogue.source("A100 SXM", "die_area_mm2").startswith("NVIDIA A100 whitepaper (2020) §3.3")
    assert catalogue.source("H100", "die_area_mm2").startswith("NVIDIA H100 whitepaper v1.04 (2023) p.17, §4")
    assert t.value("die_area", "a100_sxm") == 826 and t.value("die_area", "h100_sxm") == 814
    assert t.value("density_2023", "a100_sxm") == pytest.approx(4992 / 826)      # 6.04: a.2 too
    assert t.value("density_2023", "h100_sxm") == pytest.approx(15840 / 814)     # 19.46
    for chip in ("a100_sxm", "h100_sxm"):                                        # a.1: TPP >= 4800
        assert t.value("class_2023", chip) == ec.RESTRICTED_3A090A
    # an A100 cut to TPP 4000 (INT8 500, FP16 250): density 4000 / 826 = 4.84, under a.2's 5.92, in b.2's band
    chips = scenarios.axes()["export_chips"]
    cut = {k: list(scenarios.load().value(k)) for k in ("export_int8_tops", "export_fp16_tflops", "export_bf16_tflops",
                                                        "export_tf32_tflops", "export_fp64_tflops")}
    for k, factor in (("export_int8_tops", 500 / 624), ("export_fp16_tflops", 250 / 312),
                      ("export_bf16_tflops", 250 / 312), ("export_tf32_tflops", 0), ("export_fp64_tflops", 0)):
        cut[k][chips.index("a100_sxm")] *= factor
    t = _t(**cut)
    assert t.value("tpp_max", "a100_sxm") == pytest.approx(4000)
    assert t.value("class_2022", "a100_sxm") == ec.NOT_RESTRICTED                 # below 4800
    assert t.value("class_2023", "a100_sxm") == ec.CONTROLLED_3A090B              # 4.84 in [3.2, 5.92): b.2


# ------------------------------------------------- today's China parts under both rules (H20, H800, A800, L20)
#: The catalogue's figures each verdict rests on (today's catalogue, data/catalogue_current/nvidia.toml;
#: the A800's from the reports): chip -> {field: value}.  A change in the catalogue shows here first.
CHINA_PARTS = {
    "h20": {"int8_tensor_dense_tops": 296, "fp8_tensor_dense_tflops": 296, "fp16_tensor_dense_tflops": 148,
            "bf16_tensor_dense_tflops": 148, "chip_to_chip_gb_s": 900, "die_area_mm2": 814},
    "l20": {"int8_tensor_dense_tops": 239, "fp8_tensor_dense_tflops": 239, "fp16_tensor_dense_tflops": 119.5,
            "bf16_tensor_dense_tflops": 119.5},
    "h800_sxm": {"chip_to_chip_gb_s": 400},
    "a800_80gb": {"chip_to_chip_gb_s": 400},
}


def test_the_china_parts_are_columns_with_their_figures():
    axis = scenarios.axes()["export_chips"]
    for key, figures in CHINA_PARTS.items():
        assert key in axis, key
        values = catalogue.get(key).values
        assert {f: values.get(f) for f in figures} == figures, key
    assert {catalogue.get(n).key for n in ("H20", "H800", "L20", "A800 80GB")} == set(CHINA_PARTS)
    for key in ("h800_sxm", "l20"):                     # what nobody published stays not given
        assert "die_area_mm2" in catalogue.get(key).unpublished
    assert {"int8_tensor_dense_tops", "fp8_tensor_dense_tflops", "fp16_tensor_dense_tflops"} <= \
        catalogue.get("h800_sxm").unpublished


def test_the_china_parts_under_both_rules():
    t = _t()
    # H20: TPP = INT8/FP8 296 x 8 = FP16/BF16 148 x 16 = 2368 (TF32 not above it); I/O 900 GB/s; die 814 mm².
    assert t.value("tpp_max", "h20") == 296 * 8 == 148 * 16 == 2368
    assert t.value("class_2022", "h20") == ec.NOT_RESTRICTED          # 2368 < 4800: the I/O does not matter
    assert t.value("density_2023", "h20") == pytest.approx(2368 / 814)  # 2.91
    # 2023: 1600 <= 2368 < 4800; density 2.91 < 5.92 (not a.2), < 3.2 (not b.2), TPP < 2400 (not b.1)
    assert t.value("class_2023", "h20") == ec.NOT_RESTRICTED
    # L20: INT8/FP8 239 x 8 = FP16/BF16 119.5 x 16 = 1912, TF32 59.8 x 32 = 1913.6 the highest; no die area.
    assert t.value("tpp_max", "l20") == pytest.approx(1913.6)
    assert t.value("class_2022", "l20") == ec.NOT_RESTRICTED           # below 4800, complete
    assert t.value("class_2023", "l20") == ec.NEEDS_AREA                # 1600 <= 1913.6 < 4800
    # H800 SXM: no tensor figure published; NVLink cut to 400 GB/s.
    assert t.value("tpp_max", "h800_sxm") == 0
    assert t.value("class_2022", "h800_sxm") == ec.NOT_RESTRICTED      # I/O 400 < 600 settles it
    assert t.value("class_2023", "h800_sxm") == ec.NEEDS_TPP           # no I/O test in 2023
    # A800 80GB: no INT8/FP16 printed; 400 GB/s.
    assert t.value("class_2022", "a800_80gb") == ec.NOT_RESTRICTED
    assert t.value("class_2023", "a800_80gb") == ec.NEEDS_TPP
    # with the assumptions: H800 = H100 SXM (FP16 990 x 16 = 15840) but FP64, A800 = A100 (312 x 16 = 4992)
    assumed = _t(export_h800_as_h100=True, export_a800_as_a100=True)
    assert assumed.value("tpp_max", "h800_sxm") == 990 * 16 == 15840
    assert assumed.value("tpp_fp64", "h800_sxm") == 0                   # reduced FP64: not borrowed
    assert assumed.value("tpp_max", "a800_80gb") == 312 * 16 == 4992
    for chip in ("h800_sxm", "a800_80gb"):
        assert assumed.value("class_2022", chip) == ec.NOT_RESTRICTED    # made for the 2022 rule: I/O 400
        assert assumed.value("class_2023", chip) == ec.RESTRICTED_3A090A  # 3A090.a.1: TPP >= 4800


@pytest.mark.parametrize("area, expected", [
    (600, ec.NOT_RESTRICTED),            # 1913.6 / 600 = 3.19: under b.2's 3.2; TPP under b.1's 2400
    (597, ec.CONTROLLED_3A090B),         # 3.205: b.2
    (324, ec.CONTROLLED_3A090B),         # 5.906: still under a.2's 5.92
    (323, ec.RESTRICTED_3A090A),         # 5.924: a.2
])
def test_a_die_area_for_the_l20_settles_its_2023_class(area, expected):
    chips = scenarios.axes()["export_chips"]
    areas = list(scenarios.load().value("export_die_area_mm2"))
    areas[chips.index("l20")] = area
    assert _t(export_die_area_mm2=areas).value("class_2023", "l20") == expected


def test_every_column_has_a_class_under_each_rule():
    t = _t()
    known = {ec.RESTRICTED, ec.NOT_RESTRICTED, ec.NEEDS_IO, ec.NEEDS_TPP}
    known_2023 = {ec.RESTRICTED_3A090A, ec.CONTROLLED_3A090B, ec.NOT_RESTRICTED, ec.NEEDS_TPP, ec.NEEDS_AREA}
    for chip in t.columns:
        assert t.value("class_2022", chip) in known, chip
        assert t.value("class_2023", chip) in known_2023, chip


# ------------------------------------------------------------------ FP8 and FP4: dense figures only
def test_fp8_and_fp4_rows_are_dense_tflops_times_8_and_4():
    chips = scenarios.axes()["export_chips"]
    fp8, fp4 = [0.0] * len(chips), [0.0] * len(chips)
    fp8[chips.index("cambricon_mlu590")] = 300      # a user's figures for a chip the reports give none for
    fp4[chips.index("cambricon_mlu590")] = 700
    t = _t(export_fp8_tflops=fp8, export_fp4_tflops=fp4)
    assert t.value("tpp_fp8", "cambricon_mlu590") == 2400          # 300 x 8
    assert t.value("tpp_fp4", "cambricon_mlu590") == 2800          # 700 x 4
    assert t.value("tpp_max", "cambricon_mlu590") == 2800
    # FP8 makes a TPP complete (a headline precision): the class is decided, not "needs throughput"
    assert t.value("class_2022", "cambricon_mlu590") == ec.NOT_RESTRICTED          # 2800 < 4800
    assert t.value("class_2023", "cambricon_mlu590") == ec.NEEDS_AREA              # 1600 <= 2800 < 4800
    assert "fp8" in ex.HEADLINE and "fp4" not in ex.HEADLINE
    assert [p[2] for p in ex.PRECISIONS if p[0] in ("fp8", "fp4")] == [8, 4]


def test_a_sparse_figure_is_never_used():
    """The rule's TPP is that of dense matrices; the catalogue keeps sparse figures apart, and no
    input ever reads one, even where a chip gives only the sparse figure."""
    assert not any("sparse" in f for p in ex.PRECISIONS for f in p[3])
    fields = {"fp8_tensor_sparse_tflops": {"unit": "TFLOPS", "type": "number"},
              "fp8_tensor_dense_tflops": {"unit": "TFLOPS", "type": "number"},
              "int8_tensor_sparse_tops": {"unit": "TOPS", "type": "number"}}
    only_sparse = catalogue._build_chip("x", {"name": "X", "vendor": "V", "kind": "gpu", "tables": [],
                                             "fp8_tensor_sparse_tflops": {"value": 3958, "source": "s"},
                                             "int8_tensor_sparse_tops": {"value": 3958, "source": "s"}}, fields)
    assert ex.catalogue_figure(only_sparse, "fp8") is None and ex.catalogue_figure(only_sparse, "int8") is None
    both = catalogue._build_chip("y", {"name": "Y", "vendor": "V", "kind": "gpu", "tables": [],
                                      "fp8_tensor_sparse_tflops": {"value": 3958, "source": "s"},
                                      "fp8_tensor_dense_tflops": {"value": 1979, "source": "s"}}, fields)
    assert ex.catalogue_figure(both, "fp8") == (1979, "fp8_tensor_dense_tflops")
    defaults = scenarios.defaults()
    checked = 0
    for i, chip in enumerate(scenarios.axes()["export_chips"]):
        values = catalogue.get(chip).values
        for key, _, _, fields_ in ex.PRECISIONS:
            sparse = {values[f.replace("_dense_", "_sparse_")] for f in fields_
                      if "_dense_" in f and f.replace("_dense_", "_sparse_") in values}
            dense = {values[f] for f in fields_ if f in values}
            for value in sparse:
                checked += 1
                assert defaults[ex.input_key(key)][i] in dense | {0} and \
                    (defaults[ex.input_key(key)][i] != value or value in dense), (chip, key)
    assert checked >= 4            # the A100's and H100's sparse FP16 and INT8 at least


# ---------------------------------------------------- the compilation's worked TPP table (M26, M27)
def test_br100p_differs_from_seed001_and_says_why():
    """The compilation prints 1920 / 960 / 480 / 240 (TPP 15360 from INT8, BF16, TF32); the catalogue keeps
    the CSC report's INT8 2048 / BF16 1024 (16384) and 图表58's FP32 typo 2456 (78592): errata S12, E22."""
    t = _t()
    seed001 = {p: catalogue.value("biren_br100p", f, report="ai-server-2023")
               for p, f in [("int8", "int8_tops"), ("bf16", "bf16_tflops"), ("tf32", "tf32_tflops"),
                            ("fp32", "fp32_tflops")]}
    bits = {"int8": 8, "bf16": 16, "tf32": 32, "fp32": 32}
    assert {p: ec.tpp(v, bits[p]) for p, v in seed001.items()} == {"int8": 15360, "bf16": 15360,
                                                                     "tf32": 15360, "fp32": 7680}
    assert t.value("tpp_int8", "biren_br100p") == 16384 == t.value("tpp_bf16", "biren_br100p")
    assert t.value("tpp_max", "biren_br100p") == 78592
    assert "15360" in errata.get("S12").consistent and "16384" in errata.get("S12").consistent
    assert "E22" in ex.EXPORT_CONTROL.errata


def test_which_domestic_chips_meet_the_tpp_threshold():
    """The compilation's chips: 含光800, 昇腾910, 壁砺100P, 壁砺104P meet TPP 4800; the I/O is never printed (S11)."""
    t = _t()
    meet = {"thead_hanguang_800", "huawei_ascend_910", "biren_br100p", "biren_br104p"}
    domestic = ["cambricon_mlu370", "cambricon_mlu290", "cambricon_mlu270", "thead_hanguang_800",
                "huawei_ascend_310", "huawei_ascend_910", "iluvatar_tiangai_100", "enflame_t20", "mtt_s3000",
                "biren_br100p", "biren_br104p", "hygon_dcu_1"]
    assert {c for c in domestic if t.value("tpp_max", c) >= 4800} == meet
    for chip in meet:
        assert t.value("class_2022", chip) == ec.NEEDS_IO
        assert t.value("class_2023", chip) == ec.RESTRICTED_3A090A
    for chip in ("mtt_s3000", "hygon_dcu_1"):   # only FP32 / FP64 printed: inconclusive
        assert t.value("class_2022", chip) == ec.NEEDS_TPP
    for chip in set(domestic) - meet - {"mtt_s3000", "hygon_dcu_1"}:
        assert t.value("class_2022", chip) == ec.NOT_RESTRICTED, chip


def test_supplying_the_missing_figures_settles_the_class():
    chips = scenarios.axes()["export_chips"]
    io = list(scenarios.load().value("export_io_gb_s"))
    io[chips.index("thead_hanguang_800")] = 600
    io[chips.index("huawei_ascend_910")] = 599
    t = _t(export_io_gb_s=io)
    assert t.value("class_2022", "thead_hanguang_800") == ec.RESTRICTED
    assert t.value("class_2022", "huawei_ascend_910") == ec.NOT_RESTRICTED
    area = list(scenarios.load().value("export_die_area_mm2"))
    area[chips.index("v100_sxm")] = 815        # a user's figure: 2000 / 815 = 2.45, below both bands
    area[chips.index("google_tpu_v4")] = 400   # 4400 / 400 = 11 >= 5.92: 3A090.a.2
    area[chips.index("a30")] = 826             # 2640 / 826 = 3.196: not b.2 (3.2), but b.1 (TPP >= 2400, >= 1.6)
    area[chips.index("kunlunxin_2")] = 600     # 2048 / 600 = 3.41 >= 3.2: b.2
    t = _t(export_die_area_mm2=area)
    assert t.value("density_2023", "v100_sxm") == pytest.approx(2000 / 815)
    assert t.value("class_2023", "v100_sxm") == ec.NOT_RESTRICTED
    assert t.value("class_2023", "google_tpu_v4") == ec.RESTRICTED_3A090A
    assert t.value("class_2023", "a30") == ec.CONTROLLED_3A090B
    assert t.value("class_2023", "kunlunxin_2") == ec.CONTROLLED_3A090B
    assert t.value("class_2023", "a10") == ec.NEEDS_AREA
    assert t.value("density_2023", "a10") == 0        # no die area: no density


def test_a_scenario_axis_of_thresholds():
    thresholds = np.array([4000.0, 4800.0, 5000.0])
    t = table("export_control", overrides={"export_tpp_threshold": thresholds})
    assert list(t.value("class_2022", "a100_sxm")) == [ec.RESTRICTED, ec.RESTRICTED, ec.NOT_RESTRICTED]
    assert list(t.value("class_2022", "h100_sxm")) == [ec.RESTRICTED] * 3


# ------------------------------------------------------------ inputs against the catalogue


PASTE = "engine/data/inputs/export_control.toml"


def test_axis_is_the_catalogues_accelerator_list():
    axis = scenarios.axes()["export_chips"]
    assert list(axis) == ex.accelerator_keys(), \
        f"the catalogue's accelerators changed: paste into [axes] of {PASTE}\n{ex.axis_toml()}"
    assert _t().columns == axis
    kinds = {catalogue.get(k).kind for k in axis}
    assert kinds <= {"gpu", "gpgpu", "asic", "edge", "graphics"}
    for key in catalogue.keys():   # every datacentre accelerator of the catalogue is a column, today's too
        chip = catalogue.get(key)
        if chip.kind in ("gpu", "gpgpu", "asic"):
            assert key in axis, key
        if chip.kind == "system":
            assert key not in axis, key
    outside = [k for k in axis if catalogue.get(k).outside]
    assert axis[len(axis) - len(outside):] == tuple(outside)     # the reports' chips first, then today's


@pytest.mark.parametrize("precision", [p[0] for p in ex.PRECISIONS] + ["io", "area"])
def test_input_defaults_equal_the_catalogue(precision):
    key = ex.input_key(precision)
    defaults = scenarios.defaults()[key]
    axis = scenarios.axes()["export_chips"]
    expected = [0 if ex.catalogue_figure(chip, precision) is None else ex.catalogue_figure(chip, precision)[0]
                for chip in axis]
    assert list(defaults) == expected, \
        f"{key} differs from the catalogue: paste into [inputs.{key}] of {PASTE}\n{ex.default_toml(precision)}"


def test_the_paste_lines_are_the_input_file_as_it_is():
    """What a failure above prints is what the file holds today, comments and all."""
    text = packagedata.read_text("data/inputs/export_control.toml")
    assert ex.axis_toml() in text
    for precision in [p[0] for p in ex.PRECISIONS] + ["io", "area"]:
        block = text.split(f"[inputs.{ex.input_key(precision)}]", 1)[1]
        assert ex.default_toml(precision) in block.split("\n[inputs.", 1)[0], precision
    assert tomllib.loads(ex.default_toml("area"))["default"] == list(scenarios.defaults()["export_die_area_mm2"])


def test_thresholds_are_inputs_with_the_models_defaults():
    d = scenarios.defaults()
    assert d["export_tpp_threshold"] == ec.TPP_THRESHOLD == 4800
    assert d["export_io_threshold_gb_s"] == ec.IO_THRESHOLD_GB_S == 600
    assert d["export_2023_tpp_threshold"] == ec.TPP_THRESHOLD_2023 == 4800
    assert d["export_2023_density_tpp_threshold"] == ec.DENSITY_TPP_THRESHOLD_2023 == 1600
    assert d["export_2023_density_threshold"] == ec.DENSITY_THRESHOLD_2023 == 5.92
    assert d["export_2023_b1_tpp_threshold"] == ec.B1_TPP_THRESHOLD_2023 == 2400
    assert d["export_2023_b1_density_threshold"] == ec.B1_DENSITY_THRESHOLD_2023 == 1.6
    assert d["export_2023_b2_density_threshold"] == ec.B2_DENSITY_THRESHOLD_2023 == 3.2
    spec = scenarios.schema()
    assert spec["export_tpp_threshold"].source.startswith("《AI 服务器行业深度》(2023) §三.2(4)")
    places = {"export_2023_tpp_threshold": "3A090.a.1", "export_2023_density_tpp_threshold": "3A090.a.2",
              "export_2023_density_threshold": "3A090.a.2", "export_2023_b1_tpp_threshold": "3A090.b.1",
              "export_2023_b1_density_threshold": "3A090.b.1", "export_2023_b2_density_threshold": "3A090.b.2"}
    for key, place in places.items():
        assert spec[key].source.startswith(f"BIS 88 FR 73458 (2023) ECCN {place}"), key
        assert "Not from the reports" in spec[key].note
    assert not spec["export_die_area_mm2"].user_supplied      # the catalogue's, 0 where not given


def test_exhibit_is_registered_in_the_export_group():
    e = ex.EXPORT_CONTROL
    assert ex.ORDER == 60 and e.group == "export" and e.axis == "export_chips"
    assert "2022" in e.row("class_2022").label_en and "2023" in e.row("class_2023").label_en
    for eid in e.errata:
        errata.get(eid)
    assert {x.id for x in errata.for_exhibit("export_control")} >= {"S10", "S11", "S12", "E50"}


# ----------------------------------------------------------------------------- properties

tops = st.floats(0, 1e5)
bits = st.sampled_from([4, 8, 16, 19, 32, 64])
pos_tpp = st.floats(0, 1e5) | st.sampled_from([0.0, 1600.0, 4800.0, 4799.999])
pos_io = st.floats(0, 5e3) | st.sampled_from([0.0, 600.0, 599.999])
switch = st.sampled_from([0, 1])


@given(tops, bits, st.floats(0, 100))
def test_tpp_is_linear_in_tops(t, b, k):
    assert ec.tpp(k * t, b) == pytest.approx(k * ec.tpp(t, b), rel=1e-12, abs=1e-9)


@given(tops, bits, bits)
def test_tpp_is_linear_in_bit_length(t, b1, b2):
    assert ec.tpp(t, b1 + b2) == pytest.approx(ec.tpp(t, b1) + ec.tpp(t, b2), rel=1e-12, abs=1e-9)
    assert ec.tpp(t, 2 * b1) == pytest.approx(2 * ec.tpp(t, b1), rel=1e-12, abs=1e-9)


@given(pos_tpp, pos_tpp, pos_io, pos_io, switch)
def test_more_tpp_or_io_never_lifts_a_restriction_2022(t1, t2, io1, io2, lb):
    (t1, t2), (io1, io2) = sorted((t1, t2)), sorted((io1, io2))
    if ec.export_class(t1, io1, tpp_is_lower_bound=lb) == ec.RESTRICTED:
        assert ec.export_class(t2, io1, tpp_is_lower_bound=lb) == ec.RESTRICTED
        assert ec.export_class(t1, io2, tpp_is_lower_bound=lb) == ec.RESTRICTED
        assert ec.export_class(t2, io2, tpp_is_lower_bound=lb) == ec.RESTRICTED


#: The 2023 classes from lightest to heaviest.
RANK_2023 = {ec.NOT_RESTRICTED: 0, ec.CONTROLLED_3A090B: 1, ec.RESTRICTED_3A090A: 2}
pos_tpp_2023 = pos_tpp | st.sampled_from([2400.0, 2399.999])
area_2023 = st.floats(0, 2000) | st.sampled_from([0.0, 2400 / 1.6, 1600 / 3.2, 1600 / 5.92, 2400 / 5.92])


@given(pos_tpp_2023, pos_tpp_2023, area_2023, switch)
def test_more_tpp_never_lightens_the_class_2023(t1, t2, area, lb):
    t1, t2 = sorted((t1, t2))
    first = ec.export_class_2023(t1, area, tpp_is_lower_bound=lb)
    if first in (ec.CONTROLLED_3A090B, ec.RESTRICTED_3A090A):    # decided and controlled
        second = ec.export_class_2023(t2, area, tpp_is_lower_bound=lb)
        assert RANK_2023[second] >= RANK_2023[first], (t1, t2, area, lb, first, second)


@given(pos_tpp_2023, area_2023, switch)
def test_never_a_guess_2023(t, area, lb):
    """Each class follows from the figures given, by the rule's own bands (88 FR 73458, ECCN 3A090)."""
    got = ec.export_class_2023(t, area, tpp_is_lower_bound=lb)
    dense_a2, dense_b2, dense_b1 = t >= 5.92 * area, t >= 3.2 * area, t >= 1.6 * area
    if got == ec.RESTRICTED_3A090A:
        assert t >= 4800 or (t >= 1600 and area > 0 and dense_a2)
    if got == ec.CONTROLLED_3A090B:   # a complete TPP below 3A090.a, in b.1 or b.2
        assert not lb and area > 0 and 1600 <= t < 4800 and not dense_a2
        assert dense_b2 or (t >= 2400 and dense_b1)
    if got == ec.NOT_RESTRICTED:
        assert t > 0 and not lb
        assert t < 1600 or (area > 0 and not dense_a2 and not dense_b2 and not (t >= 2400 and dense_b1))
    if 1600 <= t < 4800 and area == 0:
        assert got == ec.NEEDS_AREA


@given(st.floats(1e-3, 1e5) | st.sampled_from([4800.0]), st.floats(1e-3, 5e3) | st.sampled_from([600.0]))
def test_with_complete_data_the_rule_is_the_two_prong_test(t, io):
    expected = ec.RESTRICTED if (t >= 4800 and io >= 600) else ec.NOT_RESTRICTED
    assert ec.export_class(t, io) == expected


@given(pos_tpp, pos_io, switch)
def test_never_a_guess(t, io, lb):
    got = ec.export_class(t, io, tpp_is_lower_bound=lb)
    if got == ec.RESTRICTED:
        assert t >= 4800 and io >= 600
    if got == ec.NOT_RESTRICTED:   # some prong is known to fail
        assert (t > 0 and not lb and t < 4800) or (0 < io < 600)
    if t >= 4800 and io == 0:
        assert got == ec.NEEDS_IO
    if (t == 0 or lb) and t < 4800 and (io == 0 or io >= 600):
        assert got == ec.NEEDS_TPP


def test_2023_rule_cases():
    a, b, no = ec.RESTRICTED_3A090A, ec.CONTROLLED_3A090B, ec.NOT_RESTRICTED
    assert ec.export_class_2023(4800, 0) == a                  # 3A090.a.1, density irrelevant
    assert ec.export_class_2023(4799, 0) == ec.NEEDS_AREA
    assert ec.export_class_2023(1600, 1600 / 5.92) == a        # 3A090.a.2 exactly
    assert ec.export_class_2023(1600, 1600 / 5.9) == b         # density 5.9: b.2 (3.2 to 5.92)
    assert ec.export_class_2023(1600, 1600 / 3.2) == b         # b.2 exactly
    assert ec.export_class_2023(1600, 1600 / 3.1) == no        # below b.2; b.1 needs TPP 2400
    assert ec.export_class_2023(2400, 2400 / 1.6) == b         # b.1 exactly
    assert ec.export_class_2023(2399, 2399 / 1.6) == no        # TPP below b.1, density below b.2
    assert ec.export_class_2023(2400, 2400 / 1.59) == no       # density below b.1
    assert ec.export_class_2023(4799, 4799 / 5.91) == b        # b.1 and b.2 both, just under 3A090.a
    assert ec.export_class_2023(1599, 1) == no                 # below every band's TPP
    assert ec.export_class_2023(1599, 1, tpp_is_lower_bound=1) == ec.NEEDS_TPP
    assert ec.export_class_2023(2000, 1000, tpp_is_lower_bound=1) == ec.NEEDS_TPP
    assert ec.export_class_2023(2000, 400, tpp_is_lower_bound=1) == ec.NEEDS_TPP    # b.2 shown, a.2 not ruled out
    assert ec.export_class_2023(2000, 300, tpp_is_lower_bound=1) == a               # a.2 shown by a lower bound
    assert ec.export_class_2023(0, 0) == ec.NEEDS_TPP
    assert ec.performance_density(4992, 826) == pytest.approx(6.0436, rel=1e-4)
    # the thresholds are arguments: a stricter b.1 of TPP 2000 catches 2000 at density 2
    assert ec.export_class_2023(2000, 1000, b1_tpp_threshold=2000) == b


def test_the_class_texts_are_short_and_distinct():
    texts = [ec.RESTRICTED, ec.RESTRICTED_3A090A, ec.CONTROLLED_3A090B, ec.NOT_RESTRICTED, ec.NEEDS_IO,
             ec.NEEDS_TPP, ec.NEEDS_AREA]
    assert len(set(texts)) == len(texts) and all(len(t) <= 45 for t in texts)
    assert "3A090.a" in ec.RESTRICTED_3A090A and "3A090.b" in ec.CONTROLLED_3A090B and "NAC" in ec.CONTROLLED_3A090B


def test_arrays_equal_the_scalar_path():
    t = np.array([0.0, 2000, 4800, 4992, 15840, 6600, 486.4, 2640, 2048, 3000])
    io = np.array([400.0, 300, 0, 600, 900, 0, 0, 200, 0, 0])
    lb = np.array([0.0, 0, 0, 0, 0, 0, 1, 0, 0, 0])
    area = np.array([0.0, 815, 0, 826, 814, 0, 0, 826, 600, 0])
    got = ec.export_class(t, io, tpp_is_lower_bound=lb)
    assert list(got) == [ec.export_class(*v) for v in zip(t, io, [4800] * 10, [600] * 10, lb, strict=True)]
    got23 = ec.export_class_2023(t, area, tpp_is_lower_bound=lb)
    assert list(got23) == [ec.export_class_2023(a, b, tpp_is_lower_bound=c) for a, b, c in zip(t, area, lb, strict=True)]
    assert set(got23) >= {ec.RESTRICTED_3A090A, ec.CONTROLLED_3A090B, ec.NOT_RESTRICTED, ec.NEEDS_AREA}
    assert list(ec.tpp(np.array([312.0, 624]), 16)) == [4992, 9984]


# ------------------------------------------------------------------------------- formulas


@given(tops, bits)
def test_tpp_formula_agrees(t, b):
    f = ec.tpp(ref("t"), ref("b"))
    assert isinstance(f, Formula)
    assert evaluate(str(f), {"t": t, "b": b}) == pytest.approx(ec.tpp(t, b), rel=1e-12)


@given(pos_tpp, pos_io, switch, st.sampled_from([4800, 4000]), st.sampled_from([600, 400]))
def test_export_class_formula_agrees(t, io, lb, tt, it):
    f = ec.export_class(ref("t"), ref("io"), ref("tt"), ref("it"), ref("lb"))
    assert evaluate_text(str(f), {"t": t, "io": io, "tt": tt, "it": it, "lb": lb}) == \
        ec.export_class(t, io, tt, it, lb)
    two = ec.export_class(ref("t"), ref("io"))   # the two-argument form of AI_EXPORT_CLASS
    assert evaluate_text(str(two), {"t": t, "io": io}) == ec.export_class(t, io)


def test_export_class_formula_text():
    assert str(ec.export_class(ref("t"), ref("io"))) == (
        '=IF(t>=4800,IF(io>0,IF(io>=600,"restricted","not restricted"),'
        '"unknown: needs chip-to-chip bandwidth"),IF(t*1>0,"not restricted",'
        'IF(io>0,IF(io>=600,"unknown: needs dense INT8 or FP16 throughput","not restricted"),'
        '"unknown: needs dense INT8 or FP16 throughput")))')


@given(pos_tpp_2023, area_2023, switch, st.sampled_from([2400, 2000]), st.sampled_from([1.6, 2.0]),
       st.sampled_from([3.2, 3.0]))
def test_export_class_2023_formula_agrees(t, area, lb, b1t, b1d, b2d):
    f = ec.export_class_2023(ref("t"), ref("a"), tpp_is_lower_bound=ref("lb"), b1_tpp_threshold=ref("b1t"),
                             b1_density_threshold=ref("b1d"), b2_density_threshold=ref("b2d"))
    expected = ec.export_class_2023(t, area, tpp_is_lower_bound=lb, b1_tpp_threshold=b1t,
                                    b1_density_threshold=b1d, b2_density_threshold=b2d)
    assert evaluate_text(str(f), {"t": t, "a": area, "lb": lb, "b1t": b1t, "b1d": b1d, "b2d": b2d}) == expected


@given(pos_tpp, st.floats(1, 2000))
def test_performance_density_formula_agrees(t, area):
    f = ec.performance_density(ref("t"), ref("a"))
    assert evaluate(str(f), {"t": t, "a": area}) == pytest.approx(ec.performance_density(t, area), rel=1e-12)


# ------------------------------------------------------------------------------ bad input

BAD = [
    (lambda: ec.tpp(-1, 8), InvalidValueError, "tops must be a number >= 0, got -1"),
    (lambda: ec.tpp(312, 0), InvalidValueError, "bit_length must be a whole number >= 1, got 0"),
    (lambda: ec.tpp(312, 8.5), InvalidValueError, "bit_length must be a whole number >= 1, got 8.5"),
    (lambda: ec.tpp("312", 16), InvalidTypeError, "tops must be a number, got '312'"),
    (lambda: ec.export_class(4992, None), MissingValueError, "io_gb_per_s is required"),
    (lambda: ec.export_class(4992, -600), InvalidValueError, "io_gb_per_s must be a number >= 0, got -600"),
    (lambda: ec.export_class(4992, 600, 0), InvalidValueError, "tpp_threshold must be a number > 0, got 0"),
    (lambda: ec.export_class(4992, 600, tpp_is_lower_bound=2), InvalidValueError,
     "tpp_is_lower_bound must be TRUE or FALSE (1 or 0), got 2"),
    (lambda: ec.export_class(True, 600), InvalidTypeError, "tpp must be a number, not TRUE/FALSE"),
    (lambda: ec.performance_density(4992, 0), InvalidValueError, "die_area_mm2 must be a number > 0, got 0"),
    (lambda: ec.export_class_2023(4992, -1), InvalidValueError, "die_area_mm2 must be a number >= 0, got -1"),
    (lambda: table("export_control", overrides={"export_io_gb_s": [600, 400]}), InvalidValueError,
     f"export_io_gb_s takes one value or {len(scenarios.axes()['export_chips'])} values"),
    (lambda: table("export_control", overrides={"export_die_area_mm2": -5}), InvalidValueError,
     "export_die_area_mm2 must be in [0, 100000], got -5"),
    (lambda: ec.export_class_2023(2000, 800, b1_tpp_threshold=0), InvalidValueError,
     "b1_tpp_threshold must be a number > 0, got 0"),
    (lambda: table("export_control", overrides={"export_2023_b2_density_threshold": 0}), InvalidValueError,
     "export_2023_b2_density_threshold must be in (0, 10000], got 0"),
    (lambda: table("export_control", overrides={"export_a800_as_a100": 2}), InvalidValueError,
     "export_a800_as_a100 must be TRUE or FALSE"),
    (lambda: table("export_control", overrides={"export_tpp_treshold": 4000}), SuanliError,
     "did you mean export_tpp_threshold?"),
]


@pytest.mark.parametrize("call, error, fragment", BAD, ids=[b[2][:40] for b in BAD])
def test_bad_input_message(call, error, fragment):
    with pytest.raises(error) as info:
        call()
    assert fragment in str(info.value)
    assert isinstance(info.value, SuanliError)
