"""The network of an AI cluster: NICs, fat-tree switches and optical modules, counted from the topology.

The report prints GPU-to-optical-module ratios (A100 : 200G = 1 : 7, H100 : 800G = 1 : 3.5,
GH200 : 800G = 1 : 9 in one 256-chip NVLink pod, 1 : 12 for several pods) without deriving
them.  suanli counts the fabric instead: a folded Clos ("fat tree", leaf-spine) of identical
switches, one, two or three tiers, and the optical modules on its links.  The report's ratios
then follow from named assumptions (see the ``optics`` exhibit).

Topology, for ``E`` endpoint ports (GPUs × NIC ports per GPU), switch radix ``k`` (ports per
switch at the NIC speed) and leaf oversubscription ``o`` (downlinks : uplinks, 1 = non-blocking):

* leaf uplinks ``u = CEILING(k / (1 + o))`` (``k/2`` when non-blocking); leaf downlinks
  ``d = k - u`` (all ``k`` ports face the endpoints in a one-tier fabric);
* tier 1 (leaf): ``L1 = CEILING(E / d)`` switches, ``E`` links to the endpoints;
* tier 2: ``L1 × u`` leaf-to-spine links (every leaf uplink is cabled, as in NVIDIA's
  scalable units); in a two-tier fabric the spines use all ``k`` ports downwards,
  ``L2 = CEILING(L1·u / k)``; in a three-tier fabric half, ``L2 = CEILING(L1·u / (k/2))``;
* tier 3 (core): as many spine-to-core links as leaf-to-spine links (the spines are
  non-blocking), ``L3 = CEILING(L1·u / k)``.

Non-blocking and with full leaves this is the textbook closed form: ``N/(k/2)`` leaves,
as many spines, ``N/k`` cores, ``5N/k`` switches for three tiers.  The DGX A100 SuperPOD
(1,120 HDR ports, 40-port QM8790) gives 56 + 56 + 28 = 140 switches, one per 8 GPUs; the
count is forced, since a non-blocking three-tier fabric uses five switch ports per endpoint
port and 5 × 1,120 = 5,600 = 140 × 40.  NVIDIA's published DGX SuperPOD tables for 64-port
NDR switches (2,048 GPUs or fewer: leaf + spine; 4,096: 128 + 128 + 64; 16,384: 512 + 512 + 256)
are this closed form.  Published designs can need more spines where each leaf's uplinks must
split evenly among the spines (a 144-port XDR design with 32 leaves uses 18 spines where
ports alone need 16), and they keep switches whole per server group (DGX GH200: 96 first-tier
NVLink switches, three per 8 GPUs, where packed ports need 72); the closed form counts ports.

One fabric of ``t`` tiers connects at most ``k``, ``k·d`` or ``k·(k/2)·d`` endpoints
(``k³/4`` non-blocking); :func:`fat_tree_capacity` and :func:`tiers_needed` say so.  The
counting functions do not refuse more: past the capacity read the count as several fabrics
of that many tiers side by side.

Optical modules: every optical link has two ends, and an end of a ``p`` Gb/s port takes
``p / m`` modules of ``m`` Gb/s (an 800G module carries two 400G ports: 0.5 per end).  With
``first_hop_copper`` the endpoint-to-leaf links are copper (DAC inside a rack, the NVLink
trays of a DGX GH200) and carry none.  ``extra_fabric_share`` adds the storage and in-band
management fabrics as a share of the compute fabric's modules (the report's 1 : 7 and
1 : 3.5 imply 1/6; a storage fabric of two ports per 8-GPU server in two tiers is exactly
that: 2/8 × 2 tiers × 2 ends = 1 port end per GPU against 6).

Bandwidths are Gb/s per direction; counts are plain numbers; every model runs on floats,
numpy arrays and Excel formula cells alike.
"""

from __future__ import annotations

# The fabric's domains are importable from here too (network.RADIX).
from .domains import OVERSUBSCRIPTION, POSITIVE_WHOLE, RADIX, TIER_SELECT, TIERS, WHOLE  # noqa: F401
from .model import model
from .ops import Value, ceil, where

__all__ = [
    "RADIX", "TIERS", "OVERSUBSCRIPTION", "TIER_SELECT", "CHAIN_ARGS",
    "endpoint_ports", "leaf_uplinks", "leaf_downlinks",
    "fat_tree_switches", "fat_tree_links", "fat_tree_capacity", "tiers_needed",
    "optical_links", "optical_modules", "modules_per_gpu", "nic_count",
    "modules_per_gpu_fleet", "switches_per_gpu_fleet", "modules_needed", "switches_needed",
    "pcie_gbps", "nic_gbps_for_pcie", "doubling_multiple", "doubling_years_combined",
    "serdes_power_multiple", "ports_per_module",
]


#: The arguments after ``gpus`` of :func:`modules_needed` and :func:`switches_needed`, in order:
#: a chain passes one set of per-accelerator inputs to both.
CHAIN_ARGS = ("nic_gbps", "module_gbps", "tiers", "switch_radix", "oversubscription",
              "first_hop_copper", "extra_fabric_share", "nics_per_gpu")


# ----------------------------------------------------------------------------------- ports
@model(gpus=WHOLE)
def endpoint_ports(gpus: Value, nics_per_gpu: Value = 1) -> Value:
    """Endpoint ports (count) a fabric connects, whole: CEILING(GPUs × NIC ports per GPU)."""
    return ceil(gpus * nics_per_gpu)


@model
def leaf_uplinks(switch_radix: Value, oversubscription: Value = 1) -> Value:
    """Ports (count) of a leaf switch facing the spines: CEILING(radix ÷ (1 + oversubscription)).

    ``radix / 2`` when non-blocking; rounded up, so the leaf is never more oversubscribed
    than asked.
    """
    return ceil(switch_radix / (1 + oversubscription))


@model
def leaf_downlinks(switch_radix: Value, tiers: Value = 3, oversubscription: Value = 1) -> Value:
    """Ports (count) of a leaf switch facing the endpoints: the radix less the uplinks (all of it in one tier)."""
    return where(tiers >= 2, switch_radix - leaf_uplinks(switch_radix, oversubscription), switch_radix)


# ----------------------------------------------------------------------------------- fat tree
def _tree(endpoints: Value, k: Value, tiers: Value, o: Value) -> tuple[tuple[Value, ...], tuple[Value, ...]]:
    """(L1, L2, L3 switches, links at tiers 1, 2, 3) of the folded Clos; see the module docstring."""
    u = leaf_uplinks(k, o)
    d = leaf_downlinks(k, tiers, o)
    l1 = ceil(endpoints / d)
    links1 = endpoints
    links2 = where(tiers >= 2, l1 * u, 0)
    l2 = where(tiers >= 3, ceil(links2 / (k / 2)), ceil(links2 / k))
    links3 = where(tiers >= 3, links2, 0)
    l3 = ceil(links3 / k)
    return (l1, l2, l3), (links1, links2, links3)


def _pick(tier: Value, total: Value, first: Value, second: Value, third: Value) -> Value:
    return where(tier == 1, first, where(tier == 2, second, where(tier == 3, third, total)))


@model
def fat_tree_switches(endpoints: Value, switch_radix: Value, tiers: Value = 3, oversubscription: Value = 1,
                      tier: Value = 0) -> Value:
    """Switches (count) of a fat-tree fabric: all of them (``tier`` 0), or tier 1 (leaf), 2 (spine) or 3 (core).

    ``endpoints`` are the ports to connect (GPUs × NIC ports per GPU); ``switch_radix`` the
    ports of one switch at that speed; ``tiers`` 1, 2 or 3; ``oversubscription`` the leaf's
    downlink : uplink ratio (1 = non-blocking).  Non-blocking with full leaves: ``E/(k/2)``
    leaves, as many spines and ``E/k`` cores (three tiers); ``E/(k/2)`` leaves and ``E/k``
    spines (two tiers); ``E/k`` switches (one tier).  1,120 ports at radix 40 in three
    tiers: 56 + 56 + 28 = 140 (the DGX A100 SuperPOD).
    """
    (l1, l2, l3), _ = _tree(endpoints, switch_radix, tiers, oversubscription)
    return _pick(tier, l1 + l2 + l3, l1, l2, l3)


@model
def fat_tree_links(endpoints: Value, switch_radix: Value, tiers: Value = 3, oversubscription: Value = 1,
                   tier: Value = 0) -> Value:
    """Links (count, cables) of a fat-tree fabric: all (``tier`` 0) or those of tier 1, 2 or 3.

    Tier 1 is endpoint-to-leaf (one link per endpoint port), tier 2 leaf-to-spine (every leaf
    uplink), tier 3 spine-to-core (as many as tier 2).  Non-blocking with full leaves each
    tier has as many links as endpoints: 3 × 1,120 = 3,360 in the DGX A100 SuperPOD.
    """
    _, (a, b, c) = _tree(endpoints, switch_radix, tiers, oversubscription)
    return _pick(tier, a + b + c, a, b, c)


@model
def fat_tree_capacity(switch_radix: Value, tiers: Value = 3, oversubscription: Value = 1) -> Value:
    """Endpoint ports (count) one fabric of this many tiers can connect: k, k·d or k·(k/2)·d.

    ``d`` is the leaf's downlinks; non-blocking that is k, k²/2 and k³/4 (radix 40: 40, 800,
    16,000; radix 64: 64, 2,048, 65,536).
    """
    d = leaf_downlinks(switch_radix, tiers, oversubscription)
    return where(tiers == 1, switch_radix, where(tiers == 2, switch_radix * d, switch_radix * (switch_radix / 2) * d))


@model
def tiers_needed(endpoints: Value, switch_radix: Value, oversubscription: Value = 1) -> Value:
    """The fewest tiers (count, 1 to 3) whose fabric connects ``endpoints`` ports; 4 when three are not enough."""
    return where(endpoints <= fat_tree_capacity(switch_radix, 1, oversubscription), 1,
                 where(endpoints <= fat_tree_capacity(switch_radix, 2, oversubscription), 2,
                       where(endpoints <= fat_tree_capacity(switch_radix, 3, oversubscription), 3, 4)))


# ----------------------------------------------------------------------------------- optics
@model(gpus=WHOLE)
def optical_links(gpus: Value, tiers: Value = 3, switch_radix: Value = 64, oversubscription: Value = 1,
                  first_hop_copper: Value = 0, nics_per_gpu: Value = 1) -> Value:
    """Optical links (count) of one fat-tree fabric: its links less the endpoint links when those are copper."""
    e = endpoint_ports(gpus, nics_per_gpu)
    _, (a, b, c) = _tree(e, switch_radix, tiers, oversubscription)
    return where(first_hop_copper, 0, a) + b + c


@model(gpus=WHOLE)
def optical_modules(gpus: Value, nic_gbps: Value, module_gbps: Value, tiers: Value = 3,
                    switch_radix: Value = 64, oversubscription: Value = 1, first_hop_copper: Value = 0,
                    extra_fabric_share: Value = 0, nics_per_gpu: Value = 1) -> Value:
    """Optical modules (count, whole) for one cluster of ``gpus``:
    2 ends × optical links × NIC ÷ module Gb/s × (1 + extra).

    Each optical link has a module at both ends; an end of a ``nic_gbps`` port takes
    ``nic_gbps / module_gbps`` modules (0.5 for a 400G port on an 800G twin-port module).
    ``extra_fabric_share`` adds storage and management fabrics as a share of the compute
    fabric (the report's ratios imply 1/6).  1,120 A100 with HDR 200G on 200G modules, three
    tiers, radix 40, share 1/6: 7,840 modules, 7 per GPU.
    """
    links = optical_links(gpus, tiers, switch_radix, oversubscription, first_hop_copper, nics_per_gpu)
    return ceil(links * 2 * nic_gbps / module_gbps * (1 + extra_fabric_share))


@model(gpus=POSITIVE_WHOLE)
def modules_per_gpu(gpus: Value, nic_gbps: Value, module_gbps: Value, tiers: Value = 3,
                    switch_radix: Value = 64, oversubscription: Value = 1, first_hop_copper: Value = 0,
                    extra_fabric_share: Value = 0, nics_per_gpu: Value = 1) -> Value:
    """Optical modules per GPU (count) of one cluster: :func:`optical_modules` ÷ GPUs (the report's 1 : x)."""
    return optical_modules(gpus, nic_gbps, module_gbps, tiers, switch_radix, oversubscription,
                           first_hop_copper, extra_fabric_share, nics_per_gpu) / gpus


@model
def nic_count(gpus: Value, nics_per_gpu: Value = 1) -> Value:
    """NICs (count, whole): CEILING(GPUs × NICs per GPU); one per GPU in a DGX A100 or H100."""
    return ceil(gpus * nics_per_gpu)


# ----------------------------------------------------------------------------------- fleet forms
def _fleet_rates(k: Value, tiers: Value, o: Value) -> tuple[Value, Value]:
    """(links per endpoint above the leaf, switches per endpoint) of a fabric with full leaves."""
    u = leaf_uplinks(k, o)
    d = leaf_downlinks(k, tiers, o)
    up = where(tiers >= 2, u / d, 0)                       # leaf-to-spine links per endpoint port
    links_above = up + where(tiers >= 3, up, 0)
    switches = 1 / d + where(tiers >= 3, up / (k / 2) + up / k, where(tiers >= 2, up / k, 0))
    return links_above, switches


@model
def modules_per_gpu_fleet(nic_gbps: Value, module_gbps: Value, tiers: Value = 3, switch_radix: Value = 64,
                          oversubscription: Value = 1, first_hop_copper: Value = 0,
                          extra_fabric_share: Value = 0, nics_per_gpu: Value = 1) -> Value:
    """Optical modules per GPU (count) of a fabric with full leaves, the large-cluster limit.

    ``nics_per_gpu × (first-hop links + links above the leaf) × 2 ends × NIC ÷ module Gb/s ×
    (1 + extra)``; non-blocking three tiers: 3 × 2 × NIC/module × (1 + extra), which is the
    report's 7 (A100, 200G on 200G, extra 1/6) and 3.5 (H100, 400G on 800G).
    """
    links_above, _ = _fleet_rates(switch_radix, tiers, oversubscription)
    links = where(first_hop_copper, 0, 1) + links_above
    return nics_per_gpu * links * 2 * nic_gbps / module_gbps * (1 + extra_fabric_share)


@model
def switches_per_gpu_fleet(tiers: Value = 3, switch_radix: Value = 64, oversubscription: Value = 1,
                           extra_fabric_share: Value = 0, nics_per_gpu: Value = 1) -> Value:
    """Switches per GPU (count) of a fabric with full leaves, the large-cluster limit (1/8 for the SuperPOD)."""
    _, switches = _fleet_rates(switch_radix, tiers, oversubscription)
    return nics_per_gpu * switches * (1 + extra_fabric_share)


@model
def modules_needed(gpus: Value, nic_gbps: Value, module_gbps: Value, tiers: Value = 3,
                   switch_radix: Value = 64, oversubscription: Value = 1, first_hop_copper: Value = 0,
                   extra_fabric_share: Value = 0, nics_per_gpu: Value = 1) -> Value:
    """Optical modules (count, whole) for a fleet of ``gpus``: CEILING(GPUs × modules per GPU of full fabrics).

    For a year of a chain: the fleet is many clusters, each a fabric with full leaves, so the
    count is linear in GPUs (:func:`modules_per_gpu_fleet`); ``gpus`` may be fractional.
    Arguments after ``gpus`` are :data:`CHAIN_ARGS`, shared with :func:`switches_needed`.
    """
    return ceil(gpus * modules_per_gpu_fleet(nic_gbps, module_gbps, tiers, switch_radix, oversubscription,
                                             first_hop_copper, extra_fabric_share, nics_per_gpu))


@model
def switches_needed(gpus: Value, nic_gbps: Value, module_gbps: Value, tiers: Value = 3,
                    switch_radix: Value = 64, oversubscription: Value = 1, first_hop_copper: Value = 0,
                    extra_fabric_share: Value = 0, nics_per_gpu: Value = 1) -> Value:
    """Switches (count, whole) for a fleet of ``gpus``: CEILING(GPUs × switches per GPU of full fabrics).

    Takes the same arguments as :func:`modules_needed` so a chain passes one set; the port
    speeds and ``first_hop_copper`` do not change the count (the radix is counted at the NIC
    speed), and ``extra_fabric_share`` scales the storage and management fabrics' switches
    like their modules.  Three non-blocking tiers of radix k: 5/k switches per NIC port.
    """
    return ceil(gpus * switches_per_gpu_fleet(tiers, switch_radix, oversubscription, extra_fabric_share,
                                              nics_per_gpu))


# ----------------------------------------------------------------------------------- NIC speed, switch silicon
_NIC_SPEEDS = (1600, 800, 400, 200, 100, 50, 25, 10)


@model
def pcie_gbps(gt_per_s: Value, lanes: Value = 16, encoding_efficiency: Value = 128 / 130) -> Value:
    """PCIe bandwidth in Gb/s per direction: transfers per second per lane × lanes × encoding efficiency.

    Gen 3-5 encode 128b/130b (x16: 126, 252, 504 Gb/s); Gen 6 sends 256-byte FLITs with 242
    bytes of data (x16: 968 Gb/s).
    """
    return gt_per_s * lanes * encoding_efficiency


@model
def nic_gbps_for_pcie(link_gbps: Value) -> Value:
    """The fastest standard NIC port in Gb/s (10, 25, 50, 100, 200, ... 1600) not above ``link_gbps``; 0 below 10.

    The report's rule: the NIC, and so the optical module, is as fast as the GPU's PCIe x16
    link allows (Gen 4: 200G, Gen 5: 400G, Gen 6: 800G).
    """
    out = 0
    for speed in reversed(_NIC_SPEEDS):  # builds IF(x>=1600,1600,IF(x>=800,800,...)) from the inside out
        out = where(link_gbps >= speed, speed, out)
    return out


@model
def doubling_multiple(years: Value, doubling_years: Value) -> Value:
    """Growth multiple (ratio) over ``years`` at one doubling every ``doubling_years``: 2^(years ÷ doubling_years)."""
    return 2 ** (years / doubling_years)


@model
def doubling_years_combined(first_years: Value, second_years: Value) -> Value:
    """Doubling time in years of a product of two quantities that double every ``first`` and ``second`` years.

    1 ÷ (1/first + 1/second): SerDes rate ×2 in 4 years and lane count ×2 in 2 years make a
    switch's bandwidth double every 4/3 years.
    """
    return 1 / (1 / first_years + 1 / second_years)


@model
def serdes_power_multiple(per_lane_multiple: Value, lanes_before: Value, lanes_after: Value) -> Value:
    """Total SerDes power multiple (ratio): power per lane multiple × lanes after ÷ lanes before.

    2.84 × 512/64 = 22.72.
    """
    return per_lane_multiple * lanes_after / lanes_before


@model
def ports_per_module(module_gbps: Value, port_gbps: Value) -> Value:
    """Ports (count) one optical module serves: module Gb/s ÷ port Gb/s (800G carries two 400G ports)."""
    return module_gbps / port_gbps
