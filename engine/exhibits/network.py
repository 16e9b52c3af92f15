"""Network exhibits of the CSC report (§4, §5 and the 摘要): GPU : optical-module ratios from a
fat-tree model (``optics``) and the switch, SerDes, optical-module, NIC and PCIe figures of
the same passages (``switching``).

The report prints 1 : 7, 1 : 3.5, 1 : 9 and 1 : 12 "根据我们的测算" without a derivation.
``optics`` counts the fabric instead (engine.network) under named assumption sets, one per
column; every assumption is an input whose source says whether it is the report's, NVIDIA's
or suanli's.  The printed ratios are reached by calibration: the sets are chosen so that the
fat tree gives them (a 1/6 storage share, a 4,096-GPU H100 cluster, the GH200 pod layout), so a
match is no evidence for the report's arithmetic (errata E40, E41).  Rows the report does not print have ``label_zh=None``; so do the passages'
numbers, which have no row label in the report.
"""

from __future__ import annotations

from .. import growth, network, reports
from ..exhibit import Exhibit, Row
from ..ops import is_symbolic, where
from ..units import BITS_PER_BYTE, DIRECTIONS

#: The short name every source of this module cites the report by (engine/data/reports.toml).
CSC = reports.short("csc-2023")

ORDER = 40

#: Each column's basis, short enough for its column: the first four are calibrated (chosen so the fat tree
#: gives the printed ratio; errata E40, E41 say what was chosen).
_FABRIC_TEXT = (
    "calibrated: 1,120 GPUs, storage 1/6",
    "calibrated: 4,096 GPUs, storage 1/6",
    "calibrated: GH200 pod (report)",
    "calibrated: 16 pods, by suanli",
    "DGX A100 SuperPOD compute fabric",
)

_PRINTED_TEXT = ("1 : 7", "1 : 3.5", "1 : 9", "1 : 12", None)


def _radix(c, key):
    """A switch radix input, checked to be even where the exhibit reads it (a scenario cannot say so)."""
    value = c.inp(key)
    if not is_symbolic(value):
        value = network.RADIX.check(f"{key}[{c.label}]", value)
    return value


def _scale_out(c):
    """The scale-out fabric's arguments for engine.network, in its order after the GPU count."""
    return dict(switch_radix=_radix(c, "net_switch_radix"), tiers=c["tiers"],
                oversubscription=c["oversubscription"])


def _nvl(c):
    return dict(switch_radix=_radix(c, "net_nvl_switch_radix"), tiers=c["nvl_tiers"], oversubscription=1)


def _switches(tier):
    return lambda c: network.fat_tree_switches(c["nics"], tier=tier, **_scale_out(c))


def _links(tier):
    return lambda c: network.fat_tree_links(c["nics"], tier=tier, **_scale_out(c))


def _nvl_switches(tier):
    return lambda c: network.fat_tree_switches(c["nvl_ports"], tier=tier, **_nvl(c))


def _scale_out_modules(c):
    return network.optical_modules(c["gpus"], c["nic_gbps"], c["module_gbps"], c["tiers"],
                                   _radix(c, "net_switch_radix"), c["oversubscription"],
                                   c["first_hop_copper"], c["extra_share"], c["nics_per_gpu"])


def _nvl_modules(c):
    return network.optical_modules(c["gpus"], c["nvl_port_gbps"], c["nvl_module_gbps"], c["nvl_tiers"],
                                   _radix(c, "net_nvl_switch_radix"), 1, c["nvl_first_hop_copper"], 0,
                                   c["nvl_ports_per_gpu"])


def _check(c):
    gap = c["modules_per_gpu"] - c["printed_modules_per_gpu"]
    return where(gap * gap < 1e-18, "calibrated to it", "differs")


OPTICS = Exhibit(
    id="optics",
    title_zh="训练端 GPU 与光模块配比（A100:200G=1:7，H100:800G=1:3.5，GH200:800G=1:9/1:12）",
    title_en="GPU : optical-module ratios from a fat-tree model, by calibrated assumption set",
    source=f"{CSC} 摘要, §4 and §8「训练端 A100 和 200G 光模块的比例是 1:7」; §4 图表116-123 and「计算侧 1 个 GH200 对应 9 个 800G 光模块」; NVIDIA DGX SuperPOD and DGX GH200 designs",
    axis="optics_sets",
    group="network",
    errata=("E40", "E41", "E42", "E46"),
    rows=(
        Row("basis", "Assumptions: calibrated to the printed ratio (errata E40, E41), or NVIDIA's", None, "text",
            text=_FABRIC_TEXT),
        # scale-out fabric: inputs
        Row("gpus", "GPUs in the cluster", None, "count", input="net_gpus", decimals=0),
        Row("nics_per_gpu", "Scale-out NIC ports per GPU", None, "count", input="net_nics_per_gpu", decimals=0),
        Row("nic_gbps", "NIC port speed", None, "Gbps", input="net_nic_gbps", decimals=0),
        Row("module_gbps", "Optical module speed (scale-out)", None, "Gbps", input="net_module_gbps", decimals=0),
        Row("switch_radix", "Switch ports at the NIC speed", None, "count", input="net_switch_radix", decimals=0),
        Row("tiers", "Fat-tree tiers (scale-out)", None, "count", input="net_tiers", decimals=0),
        Row("oversubscription", "Leaf oversubscription, down : up", None, "x", input="net_oversubscription",
            decimals=0),
        Row("first_hop_copper", "NIC-to-leaf links on copper (1 = yes)", None, "flag",
            input="net_first_hop_copper", decimals=0),
        Row("extra_share", "Storage and management fabrics, share of compute", None, "%",
            input="net_extra_fabric_share", decimals=2,
            note="1/6 is chosen to turn 6 and 3 modules per GPU into the printed 7 and 3.5 (erratum E41)"),
        # scale-out fabric: the tree
        Row("nics", "NICs (scale-out ports)", None, "count",
            formula=lambda c: network.nic_count(c["gpus"], c["nics_per_gpu"]), decimals=0),
        Row("tiers_needed", "Fewest tiers that connect these ports", None, "count",
            formula=lambda c: network.tiers_needed(c["nics"], _radix(c, "net_switch_radix"), c["oversubscription"]),
            decimals=0, note="4 means more than three tiers"),
        Row("leaf", "Leaf (tier-1) switches", None, "台", formula=_switches(1), decimals=0),
        Row("spine", "Spine (tier-2) switches", None, "台", formula=_switches(2), decimals=0),
        Row("core", "Core (tier-3) switches", None, "台", formula=_switches(3), decimals=0),
        Row("switches", "Switches, scale-out fabric", None, "台", formula=_switches(0), decimals=0),
        Row("links1", "Links NIC-to-leaf", None, "count", formula=_links(1), decimals=0),
        Row("links2", "Links leaf-to-spine", None, "count", formula=_links(2), decimals=0),
        Row("links3", "Links spine-to-core", None, "count", formula=_links(3), decimals=0),
        Row("modules_compute", "Optical modules, compute fabric (2 ends × optical links × NIC ÷ module)", None,
            "modules", formula=lambda c: network.optical_modules(
                c["gpus"], c["nic_gbps"], c["module_gbps"], c["tiers"], _radix(c, "net_switch_radix"),
                c["oversubscription"], c["first_hop_copper"], 0, c["nics_per_gpu"]), decimals=0),
        Row("modules_scale_out", "Optical modules, scale-out with storage and management", None, "modules",
            formula=_scale_out_modules, decimals=0),
        # NVLink network between servers
        Row("nvl_ports_per_gpu", "NVLink-network ports per GPU", None, "count", input="net_nvl_ports_per_gpu",
            decimals=0),
        Row("nvl_port_gbps", "NVLink port speed per direction", None, "Gbps", input="net_nvl_port_gbps", decimals=0),
        Row("nvl_module_gbps", "Optical module speed (NVLink)", None, "Gbps", input="net_nvl_module_gbps",
            decimals=0),
        Row("nvl_tiers", "NVLink-network tiers", None, "count", input="net_nvl_tiers", decimals=0),
        Row("nvl_first_hop_copper", "GPU-to-NVLink-switch links on copper (1 = yes)", None, "flag",
            input="net_nvl_first_hop_copper", decimals=0),
        Row("nvl_gbytes", "NVLink-network bandwidth per GPU, both directions", None, "GB/s",
            formula=lambda c: c["nvl_ports_per_gpu"] * c["nvl_port_gbps"] * DIRECTIONS / BITS_PER_BYTE, decimals=0),
        Row("nvl_ports", "NVLink-network ports", None, "count",
            formula=lambda c: network.endpoint_ports(c["gpus"], c["nvl_ports_per_gpu"]), decimals=0),
        Row("nvl_l1", "NVLink switches, tier 1", None, "台", formula=_nvl_switches(1), decimals=0,
            note="DGX GH200 has 96: three whole switches per 8 GPUs, each with 48 of its 128 ports down"),
        Row("nvl_l2", "NVLink switches, tier 2", None, "台", formula=_nvl_switches(2), decimals=0),
        Row("nvl_modules_per_end", "NVLink modules per GPU per link end (ports × port ÷ module Gb/s)", None,
            "modules", formula=lambda c: c["nvl_ports_per_gpu"] * c["nvl_port_gbps"] / c["nvl_module_gbps"],
            decimals=2),
        Row("modules_nvl", "Optical modules, NVLink network", None, "modules", formula=_nvl_modules, decimals=0),
        # totals and the report's ratios
        Row("modules", "Optical modules", None, "modules",
            formula=lambda c: c["modules_scale_out"] + c["modules_nvl"], decimals=0),
        Row("modules_per_gpu", "Optical modules per GPU", None, "modules",
            formula=lambda c: c["modules"] / c["gpus"], decimals=2),
        Row("switches_per_gpu", "Switches per GPU (scale-out fabric)", None, "台",
            formula=lambda c: c["switches"] / c["gpus"], decimals=4, note="1/8 in the DGX A100 SuperPOD"),
        Row("printed_modules_per_gpu", "Optical modules per GPU as printed", None, "modules",
            input="net_printed_modules_per_gpu", decimals=1),
        Row("printed_ratio", "GPU : optical modules as printed", None, "text", text=_PRINTED_TEXT),
        Row("check", "Printed ratio, against the model under the chosen (calibrated) assumptions", None, "text",
            formula=_check,
            note="a match is by choice of assumptions, not a derivation the report gives (errata E40, E41)"),
    ),
    note="The printed ratios are calibrated, not derived: each column's assumptions are chosen to give its ratio "
         "(errata E40, E41). Closed form, non-blocking, full leaves: E/(k/2) leaf + E/(k/2) spine + E/k core switches and "
         "3 links per endpoint for three tiers. DGX A100 SuperPOD: 1120 ports, k = 40: 56 + 56 + 28 = 140 switches, "
         "the only non-blocking three-tier count (5 × 1120 ports = 140 × 40), matching NVIDIA's design of 7 scalable "
         "units of 20 DGX A100 with 8 rail leaves each (56 leaves). NVIDIA announced the SuperPOD with 170 Quantum "
         "switches in all; the 30 beyond the compute fabric's 140 are, as suanli reads it, the storage fabric's. NVIDIA's published tables for 64-port NDR switches are this closed "
         "form (1024 GPUs: 32 + 16, two tiers; 4096: 128 + 128 + 64). The closed form counts ports; published designs "
         "keep switches whole per server group (DGX GH200: 96 tier-1 NVLink switches where packed ports need 72) "
         "and split leaf uplinks evenly among spines.",
)


# ------------------------------------------------------------------------------- switching
def _pcie(gen: int, efficiency_key: str):
    return lambda c: network.pcie_gbps(c.inp(f"net_pcie{gen}_gt_per_s"), c["pcie_lanes"], c.inp(efficiency_key))


SWITCHING = Exhibit(
    id="switching",
    title_zh="交换机带宽、SerDes、800G 光模块与网卡/PCIe/NVLink 带宽",
    title_en="Switch bandwidth, SerDes, 800G modules, and NIC, PCIe and NVLink bandwidth",
    source=f"{CSC} §1.3 and §4「SerDes 通道的速率每四年翻倍，数量每两年翻倍」; §4「过去 10 年交换机带宽增长了 80 倍」,「光模块速率由网卡决定」; §5「交换演进将在 2025 年达到 102.4Tbps」",
    axis="value",
    group="network",
    errata=("E17", "E43", "E44", "E45"),
    rows=(
        # switch silicon over ten years
        Row("bw_old", "Switch bandwidth, then", None, "Gbps", input="net_switch_bw_old_gbps", decimals=0),
        Row("bw_new", "Switch bandwidth, 51.2T generation", None, "Tbps", input="net_switch_bw_new_gbps", decimals=1),
        Row("bw_years", "Years between them, as printed", None, "year", input="net_switch_bw_years", decimals=0),
        Row("bw_multiple", "Switch bandwidth multiple", None, "x",
            formula=lambda c: c["bw_new"] / c["bw_old"], decimals=0),
        Row("bw_doubling_years", "Years per doubling of switch bandwidth, as stated", None, "year",
            input="net_switch_bw_doubling_years", decimals=0),
        Row("bw_multiple_at_cadence", "Multiple over those years at the stated doubling", None, "x",
            formula=lambda c: network.doubling_multiple(c["bw_years"], c["bw_doubling_years"]), decimals=0,
            note="32×, not 80× (erratum E17)"),
        Row("bw_growth_printed", "Yearly growth the 80× implies", None, "%",
            formula=lambda c: growth.cagr(c["bw_old"], c["bw_new"], c["bw_years"]), decimals=1),
        Row("bw_growth_cadence", "Yearly growth of one doubling per stated period", None, "%",
            formula=lambda c: network.doubling_multiple(1, c["bw_doubling_years"]) - 1, decimals=1),
        Row("bw_next", "Next generation: one doubling after 51.2T (2025)", None, "Tbps",
            formula=lambda c: c["bw_new"] * 2, decimals=1),
        # SerDes
        Row("lanes_old", "SerDes lanes, then", None, "count", input="net_serdes_lanes_old", decimals=0),
        Row("lanes_new", "SerDes lanes, 51.2T", None, "count", input="net_serdes_lanes_new", decimals=0),
        Row("lanes_multiple", "SerDes lane multiple", None, "x",
            formula=lambda c: c["lanes_new"] / c["lanes_old"], decimals=0),
        Row("rate_old", "SerDes lane rate, then", None, "Gbps", input="net_serdes_rate_old_gbps", decimals=0),
        Row("rate_new", "SerDes lane rate, 51.2T (line-rate class)", None, "Gbps", input="net_serdes_rate_new_gbps",
            decimals=0),
        Row("rate_multiple", "SerDes lane-rate multiple", None, "x",
            formula=lambda c: c["rate_new"] / c["rate_old"], decimals=1),
        Row("data_rate_new", "Data per 51.2T-generation lane", None, "Gbps", input="net_serdes_data_rate_new_gbps",
            decimals=0),
        Row("bw_from_lanes_old", "Lanes × rate, then", None, "Gbps",
            formula=lambda c: c["lanes_old"] * c["rate_old"], decimals=0),
        Row("bw_from_lanes_new", "Lanes × data rate, 51.2T generation", None, "Tbps",
            formula=lambda c: c["lanes_new"] * c["data_rate_new"], decimals=1),
        Row("bw_line_rate_new", "Lanes × 112G line rate", None, "Tbps",
            formula=lambda c: c["lanes_new"] * c["rate_new"], decimals=1, note="not 51.2T (erratum E45)"),
        Row("chip_power_multiple", "Switch chip power multiple", None, "x", input="net_switch_chip_power_multiple",
            decimals=1),
        Row("lane_power_multiple", "Power per SerDes lane multiple", None, "x",
            input="net_serdes_lane_power_multiple", decimals=2),
        Row("serdes_power_multiple", "Total SerDes power multiple (per lane × lanes)", None, "x",
            formula=lambda c: network.serdes_power_multiple(c["lane_power_multiple"], c["lanes_old"],
                                                            c["lanes_new"]), decimals=1),
        Row("serdes_vs_chip", "SerDes share of switch power, multiple", None, "x",
            formula=lambda c: c["serdes_power_multiple"] / c["chip_power_multiple"], decimals=2,
            note="the report: SerDes 总功耗在交换机中的功耗占比将大幅提升"),
        Row("chip_energy_per_bit", "Switch chip energy per bit, multiple", None, "x",
            formula=lambda c: c["chip_power_multiple"] / c["bw_multiple"], decimals=4),
        Row("rate_doubling_years", "Years per doubling of SerDes rate, as stated", None, "year",
            input="net_serdes_rate_doubling_years", decimals=0),
        Row("lanes_doubling_years", "Years per doubling of SerDes lanes, as stated", None, "year",
            input="net_serdes_lanes_doubling_years", decimals=0),
        Row("bw_doubling_implied", "Years per doubling of bandwidth those two imply", None, "year",
            formula=lambda c: network.doubling_years_combined(c["rate_doubling_years"], c["lanes_doubling_years"]),
            decimals=2, note="4/3 years, not 2 (erratum E44)"),
        Row("optics_upgrade_years", "Years per optical-module upgrade", None, "year", input="net_optics_upgrade_years",
            decimals=0),
        # the 800G module
        Row("module_lanes", "Optical lanes of an 800G module", None, "count", input="net_module_lanes", decimals=0),
        Row("module_lane_gbps", "Rate per optical lane", None, "Gbps", input="net_module_lane_gbps", decimals=0),
        Row("module_gbps", "Module speed, lanes × rate", None, "Gbps",
            formula=lambda c: c["module_lanes"] * c["module_lane_gbps"], decimals=0),
        Row("port_gbps", "Port an 800G module stands in for", None, "Gbps", input="net_module_port_gbps", decimals=0),
        Row("ports_per_module", "Ports per 800G module", None, "count",
            formula=lambda c: network.ports_per_module(c["module_gbps"], c["port_gbps"]), decimals=0),
        # NIC speed from PCIe x16
        Row("pcie_lanes", "PCIe lanes GPU to NIC", None, "count", input="net_pcie_lanes", decimals=0),
        Row("pcie4_gt", "PCIe 4.0 rate per lane", None, "GT/s", input="net_pcie4_gt_per_s", decimals=0),
        Row("pcie4_gbps", "PCIe 4.0 x16 per direction", None, "Gbps", formula=_pcie(4, "net_pcie_128b130b"),
            decimals=0, note="the report: 200G 左右 (erratum E43)"),
        Row("pcie4_nic", "NIC it carries (A100: HDR)", None, "Gbps",
            formula=lambda c: network.nic_gbps_for_pcie(c["pcie4_gbps"]), decimals=0),
        Row("pcie5_gt", "PCIe 5.0 rate per lane", None, "GT/s", input="net_pcie5_gt_per_s", decimals=0),
        Row("pcie5_gbps", "PCIe 5.0 x16 per direction", None, "Gbps", formula=_pcie(5, "net_pcie_128b130b"),
            decimals=0, note="the report: 400G 左右 (erratum E43)"),
        Row("pcie5_nic", "NIC it carries (H100: NDR)", None, "Gbps",
            formula=lambda c: network.nic_gbps_for_pcie(c["pcie5_gbps"]), decimals=0),
        Row("pcie6_gt", "PCIe 6.0 rate per lane", None, "GT/s", input="net_pcie6_gt_per_s", decimals=0),
        Row("pcie6_gbps", "PCIe 6.0 x16 per direction", None, "Gbps", formula=_pcie(6, "net_pcie6_flit_efficiency"),
            decimals=0),
        Row("pcie6_nic", "NIC it carries", None, "Gbps",
            formula=lambda c: network.nic_gbps_for_pcie(c["pcie6_gbps"]), decimals=0),
        # NVLink against the NIC
        Row("nvlink3", "NVLink3 per A100, one direction", None, "GB/s",
            formula=lambda c: c.inp("net_nvlink3_links") * c.inp("net_nvlink_link_gbytes"), decimals=0),
        Row("nvlink4", "NVLink4 per H100, one direction", None, "GB/s",
            formula=lambda c: c.inp("net_nvlink4_links") * c.inp("net_nvlink_link_gbytes"), decimals=0),
        Row("nvlink4_both", "NVLink4 per H100 / GH200, both directions", None, "GB/s",
            formula=lambda c: c["nvlink4"] * DIRECTIONS, decimals=0),
        Row("nvlink3_vs_nic", "NVLink3 ÷ A100's NIC", None, "x",
            formula=lambda c: c["nvlink3"] * BITS_PER_BYTE / c["pcie4_nic"], decimals=0),
        Row("nvlink4_vs_nic", "NVLink4 ÷ H100's NIC", None, "x",
            formula=lambda c: c["nvlink4"] * BITS_PER_BYTE / c["pcie5_nic"], decimals=0),
    ),
    note="The ten-year multiples and the stated doubling periods disagree (errata E17, E44); 112G is the SerDes "
         "class, 100G the data per lane (E45); PCIe x16 carries 252 and 504 Gb/s, the NICs 200G and 400G (E43).",
)

EXHIBITS = (OPTICS, SWITCHING)
