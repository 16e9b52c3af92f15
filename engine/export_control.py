"""US export control of advanced computing chips (ECCN 3A090): Total Processing Performance and
the class a chip falls in.

《AI 服务器行业深度》(2023), §三.2(4), quotes the rule of October 2022 as it understands it: a product whose
bidirectional I/O is above 600 GB/s and whose "bit length per operation × TOPS" is 4800 or more
cannot be exported to China; the A100 is restricted, the A800, whose interconnect is cut by 1/3
(§二.3(1)), is not.  The rule itself (BIS interim final rule, 87 FR 62186, 13 October 2022, ECCN
3A090) says "600 GB/s or more", which is what :func:`export_class` implements (erratum S10).

The revision of October 2023 (BIS interim final rule, 88 FR 73458, 25 October 2023, in force
17 November 2023) drops the I/O test and adds performance density; :func:`export_class_2023`
implements its ECCN 3A090.a only: TPP of 4800 or more, or TPP of 1600 or more with a
performance density of 5.92 or more.  3A090.b is not modelled.  Neither rule is in the reports.

Missing data: a TPP, an I/O or a die area of 0 (a blank cell in a workbook) means "not given".
The class functions then answer "unknown: needs ..." unless the figures that are given decide
the class on their own (a TPP below the threshold makes the I/O irrelevant); they never guess.

Every function here runs on floats, on numpy arrays and on symbolic cells (Excel formulas).
"""

from __future__ import annotations

from .domains import POSITIVE
from .model import model
from .ops import Text, Value, where

__all__ = [
    "tpp", "export_class", "performance_density", "export_class_2023",
    "RESTRICTED", "NOT_RESTRICTED", "NOT_RESTRICTED_3A090A", "NEEDS_IO", "NEEDS_TPP", "NEEDS_AREA",
    "TPP_THRESHOLD", "IO_THRESHOLD_GB_S", "TPP_THRESHOLD_2023", "DENSITY_TPP_THRESHOLD_2023",
    "DENSITY_THRESHOLD_2023", "RULE_2022", "RULE_2023",
]

#: The rules, as cited wherever a class is shown.
RULE_2022 = "2022 rule: ECCN 3A090, BIS interim final rule 87 FR 62186 (13 Oct 2022)"
RULE_2023 = "2023 rule: ECCN 3A090.a, BIS interim final rule 88 FR 73458 (25 Oct 2023)"

#: Thresholds of the 2022 rule (the AI-server compilation quotes both, §三.2(4)).
TPP_THRESHOLD = 4800
IO_THRESHOLD_GB_S = 600
#: Thresholds of the 2023 rule's 3A090.a (not in the reports).
TPP_THRESHOLD_2023 = 4800
DENSITY_TPP_THRESHOLD_2023 = 1600
DENSITY_THRESHOLD_2023 = 5.92

#: The class texts: short and stable, so that a workbook can compare against them.
RESTRICTED = "restricted"
NOT_RESTRICTED = "not restricted"
NOT_RESTRICTED_3A090A = "not restricted under 3A090.a"
NEEDS_IO = "unknown: needs chip-to-chip bandwidth"
NEEDS_TPP = "unknown: needs dense INT8 or FP16 throughput"
NEEDS_AREA = "unknown: needs die area"


@model
def tpp(tops: Value, bit_length: Value) -> Value:
    """Total Processing Performance of one precision: dense TOPS (or TFLOPS) × the bit length.

    The regulation defines TPP as 2 × MacTOPS × bit length; vendors' TOPS already count a
    multiply-accumulate as 2 operations, so the vendor's dense figure times the bit length is
    the same number (A100: 312 dense FP16 TFLOPS × 16 = 4992).  A chip's TPP is the highest
    over the precisions it supports.  Sparse figures would double it wrongly: use dense ones.
    ``tops`` of 0 (not given) gives 0.
    """
    return tops * bit_length


def _known(tpp_value: Value, tpp_is_lower_bound: Value) -> Value:
    """True where the TPP is given and complete (it includes the chip's dense INT8/FP16 rate)."""
    return tpp_value * (1 - tpp_is_lower_bound) > 0


@model
def export_class(tpp: Value, io_gb_per_s: Value, tpp_threshold: Value = TPP_THRESHOLD,
                 io_threshold_gb_s: Value = IO_THRESHOLD_GB_S, tpp_is_lower_bound: Value = 0) -> Text:
    """The class of a chip under the 2022 rule (ECCN 3A090, Oct 2022), as text.

    "restricted" when ``tpp >= tpp_threshold`` AND ``io_gb_per_s >= io_threshold_gb_s`` (the
    bidirectional chip-to-chip rate; the rule says "600 GB/s or more", the report "高于", erratum
    S10), else "not restricted".  A ``tpp`` or ``io_gb_per_s`` of 0 means not given: the answer
    is then "unknown: needs dense INT8 or FP16 throughput" or "unknown: needs chip-to-chip
    bandwidth", unless the other figure already rules the chip out.
    ``tpp_is_lower_bound`` (TRUE/FALSE) says the TPP misses the chip's dense INT8 and FP16 rates
    (only FP32 or FP64 printed): it can then prove the threshold is met, never that it is not.
    """
    meets_tpp = tpp >= tpp_threshold
    io_given = io_gb_per_s > 0
    meets_io = io_gb_per_s >= io_threshold_gb_s
    return where(
        meets_tpp,
        where(io_given, where(meets_io, RESTRICTED, NOT_RESTRICTED), NEEDS_IO),
        where(_known(tpp, tpp_is_lower_bound), NOT_RESTRICTED,
              where(io_given, where(meets_io, NEEDS_TPP, NOT_RESTRICTED), NEEDS_TPP)),
    )


@model(die_area_mm2=POSITIVE)
def performance_density(tpp: Value, die_area_mm2: Value) -> Value:
    """Performance density of the 2023 rule: TPP ÷ the die area in mm² (ECCN 3A090, Oct 2023)."""
    return tpp / die_area_mm2


@model
def export_class_2023(tpp: Value, die_area_mm2: Value, tpp_threshold: Value = TPP_THRESHOLD_2023,
                      density_tpp_threshold: Value = DENSITY_TPP_THRESHOLD_2023,
                      density_threshold: Value = DENSITY_THRESHOLD_2023,
                      tpp_is_lower_bound: Value = 0) -> Text:
    """The class of a chip under ECCN 3A090.a of the 2023 rule (88 FR 73458, Oct 2023), as text.

    "restricted" when ``tpp >= 4800`` (3A090.a.1), or ``tpp >= 1600`` and TPP ÷ die area
    ``>= 5.92`` (3A090.a.2); otherwise "not restricted under 3A090.a" (3A090.b is not
    modelled).  There is no I/O test.  A ``die_area_mm2`` of 0 means not given: a chip whose
    TPP lies between the two thresholds is then "unknown: needs die area".  ``tpp`` 0 and
    ``tpp_is_lower_bound`` work as in :func:`export_class`.
    """
    area_given = die_area_mm2 > 0
    dense = tpp >= density_threshold * die_area_mm2   # TPP / area >= threshold, without dividing by 0
    return where(
        tpp >= tpp_threshold,
        RESTRICTED,
        where(tpp >= density_tpp_threshold,
              where(area_given,
                    where(dense, RESTRICTED, where(tpp_is_lower_bound, NEEDS_TPP, NOT_RESTRICTED_3A090A)),
                    NEEDS_AREA),
              where(_known(tpp, tpp_is_lower_bound), NOT_RESTRICTED_3A090A, NEEDS_TPP)),
    )
