"""Export control of the catalogue's accelerators: TPP per precision, I/O, die area and the class
under the rule the AI-server compilation quotes (its §二.3(1) and §三.2(4); October 2022) and under
ECCN 3A090.a and 3A090.b of the October 2023 revision.

The report prints no such table: it states the rule and three verdicts (A100 and H100
restricted, A800 not).  The columns are the hardware catalogue's accelerators, the reports'
and today's (``data/catalogue_current``); the figures are scenario inputs over the axis
``export_chips`` whose defaults are the catalogue's values, so a user can change or add one.  A
figure the catalogue does not give is 0, which the models read as "not given"; the class then
says what it needs instead of guessing.

Which catalogue field feeds which input is defined here (:data:`PRECISIONS`, :data:`IO_FIELD`,
:data:`AREA_FIELD`, :func:`catalogue_figure`); the tests check the input file against it, and
:func:`axis_toml` and :func:`default_toml` give the lines to paste when the catalogue changes.
"""

from __future__ import annotations

from .. import catalogue, reports
from .. import export_control as ec
from ..exhibit import Exhibit, Row
from ..ops import maximum, where

ORDER = 60

#: Chip kinds that are always columns; edge chips and graphics cards only with a TOPS figure.
ACCELERATOR_KINDS = catalogue.ACCELERATOR_KINDS
TOPS_KINDS = catalogue.TOPS_KINDS
TOPS_FIELDS = ("int8_tensor_dense_tops", "int8_tops", "int16_tops", "int4_tops", "ai_tops")

#: (key, label, bit length, catalogue fields in order of preference).  The dense tensor figure
#: comes first; other vendors' parts in the reports have only the headline field, which is used.
#: No sparse field is ever read: the rule's TPP is that of dense matrices.
PRECISIONS = (
    ("int8", "INT8", 8, ("int8_tensor_dense_tops", "int8_tops")),
    ("fp8", "FP8", 8, ("fp8_tensor_dense_tflops",)),
    ("fp4", "FP4", 4, ("fp4_tensor_dense_tflops",)),
    ("fp16", "FP16", 16, ("fp16_tensor_dense_tflops", "fp16_tflops")),
    ("bf16", "BF16", 16, ("bf16_tensor_dense_tflops", "bf16_tflops")),
    ("tf32", "TF32", 32, ("tf32_tensor_dense_tflops", "tf32_tflops")),
    ("fp32", "FP32", 32, ("fp32_tflops",)),
    ("fp64", "FP64", 64, ("fp64_tensor_dense_tflops", "fp64_tflops")),
)
#: The precisions whose dense figure makes a TPP complete (accelerators peak at 8 or 16 bits).
HEADLINE = ("int8", "fp8", "fp16", "bf16")
IO_FIELD = "chip_to_chip_gb_s"
AREA_FIELD = "die_area_mm2"
#: The inputs of the chip-to-chip I/O and of the die area, per chip.
IO_INPUT = "export_io_gb_s"
AREA_INPUT = "export_die_area_mm2"

#: Columns that may borrow another chip's throughput when the user turns an assumption on:
#: column -> (the chip lent from, the switch input, the precisions borrowed).  The A800 is an A100
#: with NVLink cut to 400 GB/s (the compilation's §二.3(1)); the reports print no INT8/FP16 figure
#: for it.  The H800 SXM is a Hopper part "similar to the H100" with FP64 and NVLink cut (the DeepSeek
#: ISCA 2025 paper §4.1, in today's catalogue), and nobody publishes its tensor figures: it may borrow
#: the H100 SXM's, FP64 excepted.
ASSUMED_LIKE = {
    "a800_80gb": ("a100_sxm", "export_a800_as_a100", tuple(p[0] for p in PRECISIONS)),
    "a800_pcie_40gb": ("a100_sxm", "export_a800_as_a100", tuple(p[0] for p in PRECISIONS)),
    "h800_sxm": ("h100_sxm", "export_h800_as_h100", tuple(p[0] for p in PRECISIONS if p[0] != "fp64")),
}


def input_key(precision: str) -> str:
    """The input holding a figure per chip: a precision's dense throughput (TOPS or TFLOPS), or
    ``"io"`` (chip-to-chip I/O) or ``"area"`` (die area)."""
    if precision == "io":
        return IO_INPUT
    if precision == "area":
        return AREA_INPUT
    unit = "tops" if precision == "int8" else "tflops"
    return f"export_{precision}_{unit}"


def accelerator_keys() -> list[str]:
    """The catalogue keys of the chips this exhibit classifies, in catalogue order: the reports'
    chips, then today's (never a system)."""
    out = []
    for key in catalogue.keys():
        chip = catalogue.get(key)
        if chip.kind in ACCELERATOR_KINDS or (
                chip.kind in TOPS_KINDS and any(f in chip.values for f in TOPS_FIELDS)):
            out.append(key)
    return out


def _fields(precision: str) -> tuple[str, ...]:
    if precision == "io":
        return (IO_FIELD,)
    if precision == "area":
        return (AREA_FIELD,)
    return next(p[3] for p in PRECISIONS if p[0] == precision)


def catalogue_figure(chip: str, precision: str) -> tuple[float, str] | None:
    """(value, field) of a chip's figure for a precision (``"int8"`` ... ``"fp64"``), for ``"io"``
    or ``"area"``; None where the catalogue gives none."""
    values = catalogue.get(chip).values
    for f in _fields(precision):
        if f in values:
            return values[f], f
    return None


def _default_comment(chip: str, precision: str) -> str:
    figure = catalogue_figure(chip, precision)
    c = catalogue.get(chip)
    if figure is not None:
        return f"{chip}: {figure[1]} ({c.sources[figure[1]]})"
    if not c.outside:
        return f"{chip}: not printed"
    return f"{chip}: not published" if any(f in c.unpublished for f in _fields(precision)) else f"{chip}: not given"


def default_toml(precision: str) -> str:
    """The ``default = [...]`` lines of a per-chip input as the catalogue gives them, one value per
    chip of :func:`accelerator_keys` with the field and its source in a comment (0: not given)."""
    lines = ["default = ["]
    for chip in accelerator_keys():
        figure = catalogue_figure(chip, precision)
        lines.append(f"    {0 if figure is None else figure[0]!r},  # {_default_comment(chip, precision)}")
    return "\n".join(lines + ["]"])


def axis_toml() -> str:
    """The ``export_chips = [...]`` lines of the axis, as the catalogue gives the chips."""
    return "\n".join(["export_chips = [", *(f'    "{k}",' for k in accelerator_keys()), "]"])


def _missing_text(chip: str) -> str:
    names = [label for key, label, _, _ in PRECISIONS if catalogue_figure(chip, key) is None]
    if catalogue_figure(chip, "io") is None:
        names.append("chip-to-chip I/O")
    if catalogue_figure(chip, "area") is None:
        names.append("die area")
    return ", ".join(names) if names else "-"


CHIPS = tuple(accelerator_keys())


def _tpp_row(precision: str, label: str, bits: int) -> Row:
    row_key = f"tpp_{precision}"

    def formula(c):
        value = ec.tpp(c.inp(input_key(precision)), bits)
        borrow = ASSUMED_LIKE.get(c.label)
        if borrow is not None and precision in borrow[2] and borrow[0] in c.columns:
            # which columns may borrow is data, not a value
            value = where(c.inp(borrow[1]), c.at(row_key, c.columns.index(borrow[0])), value)
        return value

    return Row(row_key, f"TPP from {label} (dense × {bits}; 0 = not given)", None, "TPP",
               formula=formula, decimals=1)


def _max_tpp(c):
    best = c[f"tpp_{PRECISIONS[0][0]}"]
    for key, _, _, _ in PRECISIONS[1:]:
        best = maximum(best, c[f"tpp_{key}"])
    return best


def _lower_bound(c):
    """1 where no dense INT8/FP8/FP16/BF16 figure is given, so the max TPP may understate the chip."""
    headline = c[f"tpp_{HEADLINE[0]}"]
    for key in HEADLINE[1:]:
        headline = maximum(headline, c[f"tpp_{key}"])
    return where(headline > 0, 0, 1)


def _class_2022(c):
    return ec.export_class(c["tpp_max"], c["io"], c.inp("export_tpp_threshold"),
                           c.inp("export_io_threshold_gb_s"), _lower_bound(c))


def _density(c):
    """TPP ÷ die area; 0 where the die area is not given (no division by 0 in either branch)."""
    area = c["die_area"]
    return where(area > 0, ec.performance_density(c["tpp_max"], where(area > 0, area, 1)), 0)


def _class_2023(c):
    return ec.export_class_2023(c["tpp_max"], c["die_area"], c.inp("export_2023_tpp_threshold"),
                                c.inp("export_2023_density_tpp_threshold"),
                                c.inp("export_2023_density_threshold"), _lower_bound(c),
                                c.inp("export_2023_b1_tpp_threshold"), c.inp("export_2023_b1_density_threshold"),
                                c.inp("export_2023_b2_density_threshold"))


EXPORT_CONTROL = Exhibit(
    id="export_control",
    title_zh="先进计算芯片出口管制分类（TPP、双向 I/O 与性能密度）",
    title_en="Export control of the catalogue's accelerators: TPP, I/O, density and class (2022 and 2023 rules)",
    source=f"{reports.short('ai-server-2023')} §二.3(1)「美国要求英伟达停止向中国企业出售 A100 和 H100」and §三.2(4)"
           "「将无法出口至中国，英伟达的 A100 即属于限制范围之内」(the rule as the report quotes it, A100/H100/A800); "
           f"{reports.short('csc-2023')} §2.2「国高端芯片的出口限制」; figures from suanli's hardware catalogue "
           f"({reports.short('csc-2023')} 图表42, 43, 44, 55, 58, 61; {reports.short('ai-server-2023')} §二.3(2) 国产 GPU 单卡指标表; "
           "today's accelerators and the die areas from the documents each value names)",
    axis="export_chips",
    group="export",
    errata=("S10", "S11", "S12", "E50", "E22", "E24"),
    rows=(
        *(_tpp_row(key, label, bits) for key, label, bits, _ in PRECISIONS),
        Row("tpp_max", "Max TPP (highest of the precisions above)", None, "TPP",
            formula=_max_tpp, decimals=1),
        Row("io", "Chip-to-chip I/O, bidirectional (GB/s; 0 = not given)", None, "GB/s",
            input=IO_INPUT, decimals=0),
        Row("class_2022", "Class, 2022 rule (ECCN 3A090, Oct 2022): TPP >= 4800 and I/O >= 600 GB/s",
            None, "text", formula=_class_2022),
        Row("die_area", "Applicable die area, 2023 rule (mm²; 0 = not given)", None, "mm²",
            input=AREA_INPUT, decimals=0),
        Row("density_2023", "Performance density, 2023 rule: TPP / die area (0 = no die area)", None, "TPP/mm²",
            formula=_density, decimals=2),
        Row("class_2023", "Class, 2023 rule (ECCN 3A090, Oct 2023): .a TPP >= 4800, or >= 1600 at density >= 5.92; "
            ".b TPP >= 2400 at density >= 1.6, or >= 1600 at >= 3.2", None, "text", formula=_class_2023),
        Row("missing", "Not given in the catalogue (the reports print no die area)", None, "text",
            text=tuple(_missing_text(k) for k in CHIPS)),
    ),
    note="TPP = dense TOPS (or TFLOPS) x bit length, the highest over the precisions; dense tensor "
         "figures (never sparse ones), else other vendors' headline figures (the reports never say dense "
         "or sparse). The 2022 rule (BIS 87 FR 62186 (2022)) is the one the AI-server compilation quotes "
         "(§三.2(4)); it says I/O '高于 600GB/s' but calls the A100, at exactly 600 GB/s, restricted: the "
         "rule's '600 GB/s or more' is used (erratum S10). The 2023 rule (BIS 88 FR 73458 (2023)) is not in "
         "the reports: ECCN 3A090.a needs a licence for China; 3A090.b too, unless License Exception NAC "
         "(a notification to BIS before export) is used. Its performance density is TPP / the 'applicable "
         "die area' (logic dies made on a non-planar-transistor process); a chip with TPP from 1600 to 4800 "
         "and no die area needs one. The classes are those of parts designed or marketed for datacenters: "
         "a part that is not, with TPP below 4800, is outside 3A090 (Note 2 to 3A090), and one at 4800 or "
         "more is 3A090.a but may use NAC; which parts those are is not modelled. A TPP from FP32 or FP64 "
         "alone is a lower bound: it can show a chip meets a threshold, never that it does not. The A800 "
         "columns can borrow the A100's figures (input export_a800_as_a100) and the H800 the H100's but FP64 "
         "(export_h800_as_h100): assumptions, off by default. "
         "Chip-to-chip I/O counts NVLink-class links only; the rule's aggregate I/O also counts host PCIe "
         "(A100 + 64 GB/s), which no verdict here depends on.",
)

EXHIBITS = (EXPORT_CONTROL,)
