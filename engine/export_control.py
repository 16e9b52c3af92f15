"""US export control of advanced computing chips (ECCN 3A090): Total Processing Performance and
the class a chip falls in.

《AI 服务器行业深度》(2023), §三.2(4), quotes the rule of October 2022 as it understands it: a product whose
bidirectional I/O is above 600 GB/s and whose "bit length per operation × TOPS" is 4800 or more
cannot be exported to China; the A100 is restricted, the A800, whose interconnect is cut by 1/3
(§二.3(1)), is not.  The rule itself (BIS interim final rule, 87 FR 62186, 13 October 2022, ECCN
3A090) says "600 GB/s or more", which is what :func:`export_class` implements (erratum S10).

The revision of October 2023 (BIS interim final rule, 88 FR 73458, 25 October 2023, in force
17 November 2023) drops the I/O test and adds performance density, TPP divided by the
"applicable die area" in mm² (the area of the logic dies made on a non-planar-transistor
process).  :func:`export_class_2023` implements its ECCN 3A090.a and 3A090.b:

* 3A090.a: TPP of 4800 or more (a.1), or TPP of 1600 or more with a performance density of
  5.92 or more (a.2);
* 3A090.b: TPP of 2400 or more and less than 4800 with a density of 1.6 or more and less than
  5.92 (b.1), or TPP of 1600 or more with a density of 3.2 or more and less than 5.92 (b.2).

An item of 3A090.a needs a licence for China; one of 3A090.b is eligible for License Exception
NAC (a notification to BIS before export) when it is designed or marketed for datacenters.
Whether a chip is designed or marketed for datacenters (Note 2 to 3A090 takes parts that are
not, and whose TPP is below 4800, out of 3A090 altogether) is not modelled: the classes are
those of a datacenter part.  Neither rule is in the reports.

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
    "RESTRICTED", "RESTRICTED_3A090A", "CONTROLLED_3A090B", "NOT_RESTRICTED", "NEEDS_IO", "NEEDS_TPP",
    "NEEDS_AREA", "TPP_THRESHOLD", "IO_THRESHOLD_GB_S", "TPP_THRESHOLD_2023", "DENSITY_TPP_THRESHOLD_2023",
    "DENSITY_THRESHOLD_2023", "B1_TPP_THRESHOLD_2023", "B1_DENSITY_THRESHOLD_2023", "B2_DENSITY_THRESHOLD_2023",
    "RULE_2022", "RULE_2023",
]

#: The rules, as cited wherever a class is shown.
RULE_2022 = "2022 rule: ECCN 3A090, BIS interim final rule 87 FR 62186 (13 Oct 2022)"
RULE_2023 = "2023 rule: ECCN 3A090.a and 3A090.b, BIS interim final rule 88 FR 73458 (25 Oct 2023)"

#: Thresholds of the 2022 rule (the AI-server compilation quotes both, §三.2(4)).
TPP_THRESHOLD = 4800
IO_THRESHOLD_GB_S = 600
#: Thresholds of the 2023 rule (not in the reports): 3A090.a.1, a.2 (whose 1600 is also b.2's) ...
TPP_THRESHOLD_2023 = 4800
DENSITY_TPP_THRESHOLD_2023 = 1600
DENSITY_THRESHOLD_2023 = 5.92
#: ... and 3A090.b.1, b.2 (their upper bounds, "less than 4800" and "less than 5.92", are 3A090.a's).
B1_TPP_THRESHOLD_2023 = 2400
B1_DENSITY_THRESHOLD_2023 = 1.6
B2_DENSITY_THRESHOLD_2023 = 3.2

#: The class texts: short and stable, so that a workbook can compare against them.
RESTRICTED = "restricted"
RESTRICTED_3A090A = "restricted (3A090.a)"
CONTROLLED_3A090B = "3A090.b (licence, or NAC notice)"
NOT_RESTRICTED = "not restricted"
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
    """Performance density of the 2023 rule: TPP ÷ the applicable die area in mm² (ECCN 3A090,
    Oct 2023; the area of the logic dies made on a non-planar-transistor process)."""
    return tpp / die_area_mm2


@model
def export_class_2023(tpp: Value, die_area_mm2: Value, tpp_threshold: Value = TPP_THRESHOLD_2023,
                      density_tpp_threshold: Value = DENSITY_TPP_THRESHOLD_2023,
                      density_threshold: Value = DENSITY_THRESHOLD_2023,
                      tpp_is_lower_bound: Value = 0,
                      b1_tpp_threshold: Value = B1_TPP_THRESHOLD_2023,
                      b1_density_threshold: Value = B1_DENSITY_THRESHOLD_2023,
                      b2_density_threshold: Value = B2_DENSITY_THRESHOLD_2023) -> Text:
    """The class of a datacenter chip under ECCN 3A090 of the 2023 rule (88 FR 73458, Oct 2023).

    "restricted (3A090.a)" when ``tpp >= 4800`` (a.1), or ``tpp >= 1600`` and TPP ÷ die area
    ``>= 5.92`` (a.2).  Below those, "3A090.b (licence, or NAC notice)" when ``tpp >= 1600`` and
    the density is ``>= 3.2`` (b.2), or ``tpp >= 2400`` and the density is ``>= 1.6`` (b.1):
    a licence is needed, or a notification under License Exception NAC.  Otherwise "not
    restricted".  There is no I/O test.  A ``die_area_mm2`` of 0 means not given: a chip whose
    TPP lies from 1600 to 4800 is then "unknown: needs die area".  ``tpp`` 0 and
    ``tpp_is_lower_bound`` work as in :func:`export_class`: a lower-bound TPP can prove
    3A090.a, never a lighter class.
    """
    area_given = die_area_mm2 > 0
    # TPP / area >= threshold, without dividing by 0
    dense_a2 = tpp >= density_threshold * die_area_mm2
    dense_b2 = tpp >= b2_density_threshold * die_area_mm2
    dense_b1 = tpp >= b1_density_threshold * die_area_mm2
    lighter = where(dense_b2, CONTROLLED_3A090B,
                    where(tpp >= b1_tpp_threshold, where(dense_b1, CONTROLLED_3A090B, NOT_RESTRICTED),
                          NOT_RESTRICTED))
    return where(
        tpp >= tpp_threshold,
        RESTRICTED_3A090A,
        where(tpp >= density_tpp_threshold,
              where(area_given,
                    where(dense_a2, RESTRICTED_3A090A, where(tpp_is_lower_bound, NEEDS_TPP, lighter)),
                    NEEDS_AREA),
              where(_known(tpp, tpp_is_lower_bound), NOT_RESTRICTED, NEEDS_TPP)),
    )
