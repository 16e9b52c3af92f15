"""Today's ASICs (engine/data/catalogue_current/asic.toml): Google's TPUs, AWS Trainium2, Huawei's
Ascend 910B/910C, and the systems built of them.

The golden tables below were typed from the documents (named with each value), so a typo in the
TOML fails here.  The general rules (a document with publisher, title, date and address behind
every value; "not published" blanks; sparse = 2 x dense) are in test_catalogue_current.py.

Arithmetic against published units:

* Google publishes each TPU's MXU count and size (v5e: one TensorCore of 4 MXUs of 128 x 128
  multiply-accumulators; v6e: 2 MXUs of 256 x 256) but no clock for any of these TPUs, so a dense
  figure cannot be checked as units x rate x clock.  What Google does publish is each Pod's total,
  which must be the chip figure times the chips per Pod (within Google's rounding).
* AWS publishes the rate of one NeuronCore-v3 Tensor Engine (158 cFP8, 79 BF16/FP16/TF32 and up
  to 316 sparse TFLOPS) and eight NeuronCore-v3 per Trainium2, but no clock.  The chip's figures
  exceed eight Tensor Engines by the same 35 TFLOPS in all three precisions; AWS does not say why,
  and the test pins that difference.  An instance is 16 chips and an UltraServer 64, which AWS's
  instance table must match within its rounding to three figures.
* Huawei's CloudMatrix384 paper gives the 910C per die and per package (two dies); the package
  figures must be twice the die's.
"""

from __future__ import annotations

import json

import pytest

from engine import catalogue, packagedata
from engine.errors import MissingValueError
from suanli.cli import main

GOOGLE_V5E = "Google Cloud TPU v5e documentation"
GOOGLE_V5P = "Google Cloud TPU v5p documentation"
GOOGLE_V6E = "Google Cloud TPU v6e documentation"
GOOGLE_7X = "Google Cloud TPU7x documentation"
GIGAZINE = "GIGAZINE, Trillium TPU (2024-05-15)"
NEXTPLATFORM = "The Next Platform, Ironwood TPU (2025-04-09)"
AWS_CHIP = "AWS Neuron docs, Trainium2 Architecture"
AWS_NKI = "AWS Neuron NKI guide, Trainium2"
AWS_TRN2 = "AWS Neuron docs, Amazon EC2 Trn2 Architecture"
CM384 = "Huawei CloudMatrix384 paper (arXiv:2506.12708)"

#: (chip key, field, value, the document its source begins with)
GOLDEN = [
    # Google TPU v5e
    ("google_tpu_v5e", "bf16_tensor_dense_tflops", 197, GOOGLE_V5E),
    ("google_tpu_v5e", "int8_tensor_dense_tops", 393, GOOGLE_V5E),
    ("google_tpu_v5e", "memory_gb", 16, GOOGLE_V5E),
    ("google_tpu_v5e", "memory_type", "HBM2", GOOGLE_V5E),
    ("google_tpu_v5e", "memory_bandwidth_gb_s", 819, GOOGLE_V5E),
    ("google_tpu_v5e", "chip_to_chip_gb_s", 400, GOOGLE_V5E),
    # Google TPU v5p
    ("google_tpu_v5p", "bf16_tensor_dense_tflops", 459, GOOGLE_V5P),
    ("google_tpu_v5p", "fp8_tensor_dense_tflops", 459, GOOGLE_V5P),
    ("google_tpu_v5p", "memory_gb", 95, GOOGLE_V5P),
    ("google_tpu_v5p", "memory_type", "HBM2e", GOOGLE_V5P),
    ("google_tpu_v5p", "memory_bandwidth_gb_s", 2765, GOOGLE_V5P),
    ("google_tpu_v5p", "chip_to_chip_gb_s", 1200, GOOGLE_V5P),
    # Google TPU v6e (Trillium)
    ("google_tpu_v6e", "bf16_tensor_dense_tflops", 918, GOOGLE_V6E),
    ("google_tpu_v6e", "int8_tensor_dense_tops", 1836, GOOGLE_V6E),
    ("google_tpu_v6e", "fp8_tensor_dense_tflops", 918, GOOGLE_7X),
    ("google_tpu_v6e", "memory_gb", 32, GOOGLE_V6E),
    ("google_tpu_v6e", "memory_bandwidth_gb_s", 1638, GOOGLE_V6E),
    ("google_tpu_v6e", "chip_to_chip_gb_s", 800, GOOGLE_V6E),
    ("google_tpu_v6e", "host_interface", "PCIe Gen5", GOOGLE_V6E),
    ("google_tpu_v6e", "launch_date", "2024-05", GIGAZINE),
    # Google TPU7x (Ironwood)
    ("google_tpu7x", "bf16_tensor_dense_tflops", 2307, GOOGLE_7X),
    ("google_tpu7x", "fp8_tensor_dense_tflops", 4614, GOOGLE_7X),
    ("google_tpu7x", "memory_gb", 192, GOOGLE_7X),
    ("google_tpu7x", "memory_bandwidth_gb_s", 7380, GOOGLE_7X),
    ("google_tpu7x", "chip_to_chip_gb_s", 1200, GOOGLE_7X),
    ("google_tpu7x", "launch_date", "2025-04-09", NEXTPLATFORM),
    # Google Pods
    ("google_tpu_v5e_pod", "gpus_per_system", 256, GOOGLE_V5E),
    ("google_tpu_v5e_pod", "bf16_tensor_dense_tflops", 50630, GOOGLE_V5E),
    ("google_tpu_v5e_pod", "int8_tensor_dense_tops", 100000, GOOGLE_V5E),
    ("google_tpu_v5p_pod", "gpus_per_system", 8960, GOOGLE_V5P),
    ("google_tpu_v6e_pod", "gpus_per_system", 256, GOOGLE_V6E),
    ("google_tpu_v6e_pod", "bf16_tensor_dense_tflops", 234900, GOOGLE_V6E),
    ("google_tpu7x_pod", "gpus_per_system", 9216, GOOGLE_7X),
    # AWS Trainium2
    ("aws_trainium2", "fp8_tensor_dense_tflops", 1299, AWS_CHIP),
    ("aws_trainium2", "bf16_tensor_dense_tflops", 667, AWS_CHIP),
    ("aws_trainium2", "fp16_tensor_dense_tflops", 667, AWS_CHIP),
    ("aws_trainium2", "tf32_tensor_dense_tflops", 667, AWS_CHIP),
    ("aws_trainium2", "fp32_tflops", 181, AWS_CHIP),
    ("aws_trainium2", "memory_gb", 96, AWS_CHIP),
    ("aws_trainium2", "memory_type", "HBM (4 stacks)", AWS_NKI),
    ("aws_trainium2", "memory_bandwidth_gb_s", 2900, AWS_CHIP),
    ("aws_trainium2", "chip_to_chip_gb_s", 1280, AWS_CHIP),
    ("aws_trainium2", "interconnect", "NeuronLink-v3 (4 links per chip)", AWS_NKI),
    # AWS Trn2 instance and UltraServer
    ("aws_trn2_instance", "gpus_per_system", 16, AWS_TRN2),
    ("aws_trn2_instance", "system_of", "aws_trainium2", AWS_TRN2),
    ("aws_trn2_instance", "fp8_tensor_dense_tflops", 20800, AWS_TRN2),
    ("aws_trn2_instance", "bf16_tensor_dense_tflops", 10700, AWS_TRN2),
    ("aws_trn2_instance", "fp32_tflops", 2900, AWS_TRN2),
    ("aws_trn2_instance", "memory_gb", 1536, AWS_TRN2),
    ("aws_trn2_instance", "memory_bandwidth_gb_s", 46400, AWS_TRN2),
    ("aws_trn2_ultraserver", "gpus_per_system", 64, AWS_TRN2),
    ("aws_trn2_ultraserver", "system_of", "aws_trainium2", AWS_TRN2),
    ("aws_trn2_ultraserver", "fp8_tensor_dense_tflops", 83200, AWS_TRN2),
    ("aws_trn2_ultraserver", "bf16_tensor_dense_tflops", 42800, AWS_TRN2),
    ("aws_trn2_ultraserver", "fp32_tflops", 11600, AWS_TRN2),
    ("aws_trn2_ultraserver", "memory_gb", 6144, AWS_TRN2),
    ("aws_trn2_ultraserver", "memory_bandwidth_gb_s", 185600, AWS_TRN2),
    # Huawei Ascend 910C and CloudMatrix384
    ("huawei_ascend_910c", "bf16_tensor_dense_tflops", 752, CM384),
    ("huawei_ascend_910c", "fp16_tensor_dense_tflops", 752, CM384),
    ("huawei_ascend_910c", "memory_gb", 128, CM384),
    ("huawei_ascend_910c", "memory_bandwidth_gb_s", 3200, CM384),
    ("huawei_ascend_910c", "chip_to_chip_gb_s", 784, CM384),
    ("huawei_cloudmatrix384", "gpus_per_system", 384, CM384),
    ("huawei_cloudmatrix384", "system_of", "huawei_ascend_910c", CM384),
]

#: Fields recorded as "not published", each with the document its source begins with.
UNPUBLISHED = [
    *[(k, f, doc) for k, doc in (("google_tpu_v5e", GOOGLE_V5E), ("google_tpu_v5p", GOOGLE_V5P),
                                 ("google_tpu_v6e", GOOGLE_V6E), ("google_tpu7x", GOOGLE_7X))
      for f in ("bf16_tensor_sparse_tflops", "fp32_tflops", "tdp_w", "process", "transistors_billion",
                "die_area_mm2", "list_price_usd")],
    ("google_tpu_v5e", "fp8_tensor_dense_tflops", GOOGLE_V5E),
    ("google_tpu_v5e", "launch_date", GOOGLE_V5E),
    ("google_tpu_v5p", "int8_tensor_dense_tops", GOOGLE_V5P),
    ("google_tpu_v5p", "launch_date", GOOGLE_V5P),
    ("google_tpu7x", "int8_tensor_dense_tops", GOOGLE_7X),
    ("google_tpu7x", "fp8_tensor_sparse_tflops", GOOGLE_7X),
    *[(k, "system_power_kw", doc) for k, doc in (("google_tpu_v5e_pod", GOOGLE_V5E), ("google_tpu_v5p_pod", GOOGLE_V5P),
                                                 ("google_tpu_v6e_pod", GOOGLE_V6E), ("google_tpu7x_pod", GOOGLE_7X))],
    *[("aws_trainium2", f, AWS_CHIP) for f in ("fp8_tensor_sparse_tflops", "bf16_tensor_sparse_tflops",
                                               "int8_tensor_dense_tops", "tdp_w", "process", "transistors_billion",
                                               "die_area_mm2", "launch_date")],
    ("aws_trainium2", "list_price_usd", AWS_TRN2),
    ("aws_trn2_instance", "system_power_kw", AWS_TRN2),
    ("aws_trn2_ultraserver", "system_power_kw", AWS_TRN2),
    *[("huawei_ascend_910b", f, "Huawei Connect 2025 keynote (Eric Xu)")
      for f in ("bf16_tensor_dense_tflops", "fp16_tensor_dense_tflops", "int8_tensor_dense_tops", "memory_gb",
                "memory_bandwidth_gb_s", "chip_to_chip_gb_s", "tdp_w", "process", "launch_date", "list_price_usd")],
    *[("huawei_ascend_910c", f, CM384) for f in ("int8_tensor_dense_tops", "fp8_tensor_dense_tflops", "tdp_w",
                                                 "process", "transistors_billion", "die_area_mm2")],
    ("huawei_cloudmatrix384", "system_power_kw", CM384),
]

CHIPS = ("google_tpu_v5e", "google_tpu_v5p", "google_tpu_v6e", "google_tpu7x", "aws_trainium2",
         "huawei_ascend_910b", "huawei_ascend_910c")
SYSTEMS = ("google_tpu_v5e_pod", "google_tpu_v5p_pod", "google_tpu_v6e_pod", "google_tpu7x_pod",
           "aws_trn2_instance", "aws_trn2_ultraserver", "huawei_cloudmatrix384")
TPUS = CHIPS[:4]


def _entries() -> list[str]:
    return list(packagedata.read_toml(catalogue.CURRENT + "/asic.toml")["chips"])


# --------------------------------------------------------------------------------- the entries

def test_the_file_holds_exactly_the_chips_and_systems_of_this_group():
    assert _entries() == [*CHIPS[:4], *SYSTEMS[:4], "aws_trainium2", *SYSTEMS[4:6], *CHIPS[5:], SYSTEMS[6]]
    assert all(catalogue.get(k).outside for k in _entries())
    assert all(catalogue.get(k).kind == "asic" for k in CHIPS)
    assert all(catalogue.get(k).kind == "system" for k in SYSTEMS)


@pytest.mark.parametrize(("key", "field", "value", "document"), GOLDEN, ids=lambda v: str(v)[:40])
def test_golden_values_and_their_documents(key, field, value, document):
    assert catalogue.value(key, field) == value
    source = catalogue.source(key, field)
    assert source.startswith(document) and source[len(document)] in ", ", source


@pytest.mark.parametrize(("key", "field", "document"), UNPUBLISHED, ids=lambda v: str(v)[:40])
def test_blanks_say_not_published_and_name_what_was_checked(key, field, document):
    with pytest.raises(MissingValueError, match="is not published"):
        catalogue.value(key, field)
    assert catalogue.source(key, field).startswith(document), catalogue.source(key, field)
    assert catalogue.note(key, field).startswith("not published; ")


def test_the_huawei_910b_has_no_figure_at_all():
    """Huawei names the 910B but publishes no figure for it: nothing is borrowed from the 910C."""
    chip = catalogue.get("huawei_ascend_910b")
    assert not chip.values
    assert "no Huawei figure" in catalogue.note(chip, "bf16_tensor_dense_tflops")


# ---------------------------------------------------------------------------- dense and sparse

def test_tpus_are_dense_only():
    """Google publishes one peak per precision and no sparsity mode: no TPU has a sparse value,
    and each says so."""
    for key in TPUS:
        chip = catalogue.get(key)
        assert not [f for f in chip.values if "_sparse_" in f], key
        assert "no structured-sparsity mode" in catalogue.note(chip, "bf16_tensor_sparse_tflops")
        assert "dense" in catalogue.note(chip, "bf16_tensor_dense_tflops")


def test_aws_sparse_figure_is_not_a_two_to_four_figure():
    """AWS's one sparse figure (2,563 TFLOPS for FP8/FP16/BF16/TF32 alike) is 3.8 x the BF16 dense
    figure: an 'up to' figure over M:N patterns, so it stays out of the 2:4 fields."""
    aws_sparse = 2563   # AWS Neuron docs, Trainium2 Architecture, Trainium2 chip components table
    bf16 = catalogue.value("aws_trainium2", "bf16_tensor_dense_tflops")
    assert aws_sparse / bf16 == pytest.approx(3.84, abs=0.01)
    for field in ("fp8_tensor_sparse_tflops", "bf16_tensor_sparse_tflops"):
        assert "2,563" in catalogue.note("aws_trainium2", field)


# ------------------------------------------------------------------------------- arithmetic

#: AWS Neuron docs, NeuronCore-v3 Architecture, §Tensor Engine: per NeuronCore-v3 Tensor Engine.
NEURONCORE_V3 = {"fp8": 158, "bf16": 79, "sparse": 316}
#: AWS Neuron docs, Trainium2 Architecture: eight NeuronCore-v3 per chip, and its sparse figure.
NEURONCORES_PER_TRAINIUM2 = 8
TRAINIUM2_SPARSE = 2563


def test_trainium2_exceeds_eight_tensor_engines_by_the_same_35_tflops():
    chip = {"fp8": catalogue.value("aws_trainium2", "fp8_tensor_dense_tflops"),
            "bf16": catalogue.value("aws_trainium2", "bf16_tensor_dense_tflops"),
            "sparse": TRAINIUM2_SPARSE}
    excess = {p: chip[p] - NEURONCORES_PER_TRAINIUM2 * rate for p, rate in NEURONCORE_V3.items()}
    assert excess == {"fp8": 35, "bf16": 35, "sparse": 35}


@pytest.mark.parametrize("system", ["aws_trn2_instance", "aws_trn2_ultraserver"])
def test_a_trn2_system_is_its_chips_times_the_chip(system):
    n = catalogue.value(system, "gpus_per_system")
    assert n == {"aws_trn2_instance": 16, "aws_trn2_ultraserver": 64}[system]
    chip = catalogue.value(system, "system_of")
    for field in ("fp8_tensor_dense_tflops", "bf16_tensor_dense_tflops", "fp32_tflops", "memory_gb",
                  "memory_bandwidth_gb_s"):
        # AWS prints the instance figures to three significant figures (20.8, 10.7, 2.9 PFLOPS)
        assert catalogue.value(system, field) == pytest.approx(n * catalogue.value(chip, field), rel=5e-3), field


#: Huawei CloudMatrix384 paper (arXiv:2506.12708) §3.3.1: one die of the 910C package.
DIE_910C = {"bf16_tflops": 376, "memory_gb": 64, "memory_bandwidth_gb_s": 1600, "ub_gb_s_each_way": 196}
DIES_PER_910C = 2


def test_the_910c_package_is_two_dies():
    key = "huawei_ascend_910c"
    assert catalogue.value(key, "bf16_tensor_dense_tflops") == DIES_PER_910C * DIE_910C["bf16_tflops"]
    assert catalogue.value(key, "memory_gb") == DIES_PER_910C * DIE_910C["memory_gb"]
    assert catalogue.value(key, "memory_bandwidth_gb_s") == DIES_PER_910C * DIE_910C["memory_bandwidth_gb_s"]
    # 392 GB/s one way per package (§3.2.1), stored as both directions together
    assert catalogue.value(key, "chip_to_chip_gb_s") == 2 * DIES_PER_910C * DIE_910C["ub_gb_s_each_way"]


@pytest.mark.parametrize(("pod", "field", "rel"), [
    ("google_tpu_v5e_pod", "bf16_tensor_dense_tflops", 5e-3),   # 50.63 PFLOPs = 256 x 197.8
    ("google_tpu_v5e_pod", "int8_tensor_dense_tops", 1e-2),     # '100 PetaOps' = 256 x 393, rounded
    ("google_tpu_v6e_pod", "bf16_tensor_dense_tflops", 1e-3),   # 234.9 PFLOPs = 256 x 917.6
])
def test_a_tpu_pod_is_its_chips_times_the_chip(pod, field, rel):
    chip = catalogue.value(pod, "system_of")
    n = catalogue.value(pod, "gpus_per_system")
    assert catalogue.value(pod, field) == pytest.approx(n * catalogue.value(chip, field), rel=rel)


def test_tpu_int8_is_twice_bf16_where_both_are_given():
    assert catalogue.value("google_tpu_v6e", "int8_tensor_dense_tops") == 2 * 918
    assert catalogue.value("google_tpu_v5e", "int8_tensor_dense_tops") == pytest.approx(2 * 197, rel=5e-3)


# ------------------------------------------------------------------------------------ systems

@pytest.mark.parametrize("system", SYSTEMS)
def test_every_system_names_a_chip_of_this_group(system):
    chip = catalogue.value(system, "system_of")
    assert chip in CHIPS and catalogue.get(chip).kind == "asic"
    assert isinstance(catalogue.value(system, "gpus_per_system"), int)


# ------------------------------------------------------------------------------- names, display

@pytest.mark.parametrize(("typed", "key"), [
    ("Trillium", "google_tpu_v6e"), ("TPU v6e", "google_tpu_v6e"), ("ironwood", "google_tpu7x"),
    ("TPU7x", "google_tpu7x"), ("tpu-v5p", "google_tpu_v5p"), ("v5e", "google_tpu_v5e"),
    ("Trainium2", "aws_trainium2"), ("trn2.48xlarge", "aws_trn2_instance"), ("Trn2 UltraServer", "aws_trn2_ultraserver"),
    ("Ascend 910B", "huawei_ascend_910b"), ("昇腾910C", "huawei_ascend_910c"), ("CM384", "huawei_cloudmatrix384"),
    ("Ascend 910", "huawei_ascend_910"), ("昇腾 910", "huawei_ascend_910"), ("TPUv4", "google_tpu_v4"),
])
def test_names_analysts_type_find_the_entry_and_leave_the_reports_chips_alone(typed, key):
    assert catalogue.get(typed).key == key


def test_the_reports_ascend_910_is_unchanged():
    chip = catalogue.get("huawei_ascend_910")
    assert not chip.outside and chip.tables == ("fig61", "s001_chips")
    assert catalogue.value(chip, "bf16_tflops") == 320 and catalogue.value(chip, "int8_tops") == 640


def test_the_command_shows_values_and_not_published(capsys):
    assert main(["catalogue", "Ironwood", "--format", "json"]) == 0
    fields = {f["field"]: f for f in json.loads(capsys.readouterr().out)["fields"]}
    assert fields["fp8_tensor_dense_tflops"]["value"] == 4614
    assert fields["fp8_tensor_dense_tflops"]["source"].startswith(GOOGLE_7X)
    assert fields["tdp_w"]["value"] is None and fields["tdp_w"]["note"].startswith("not published")
