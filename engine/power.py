"""Power and cooling: servers to IT load, racks, facility power, energy, water and cooling capex.

Power is in kW, energy in kWh, water in m³, money in CNY.  PUE is facility power ÷ IT power;
WUE is litres of water per kWh of IT energy (The Green Grid's definition).
"""

from __future__ import annotations

from .domains import COUNT, FRACTION, NONNEGATIVE, POSITIVE, POSITIVE_FRACTION, Domain
from .model import model
from .ops import ceil, floor

__all__ = ["servers", "it_kw", "racks", "servers_per_rack", "facility_kw", "annual_energy_kwh", "water_m3",
           "cooling_capex", "datacenter_capex", "HOURS_PER_YEAR"]

from .units import HOURS_PER_YEAR, LITRES_PER_M3
PUE = Domain(low=1.0)


@model(gpus=COUNT, gpus_per_server=POSITIVE)
def servers(gpus, gpus_per_server=8):
    """Servers to hold the GPUs, whole: CEIL(GPUs ÷ GPUs per server)."""
    return ceil(gpus / gpus_per_server)


@model(server_count=COUNT, kw_per_server=NONNEGATIVE)
def it_kw(server_count, kw_per_server):
    """IT load in kW: servers × kW per server (DGX A100: 6.5 kW)."""
    return server_count * kw_per_server


@model(it_load_kw=NONNEGATIVE, kw_per_rack=POSITIVE)
def racks(it_load_kw, kw_per_rack):
    """Racks to hold an IT load, whole: CEIL(IT kW ÷ the kW one rack can power and cool)."""
    return ceil(it_load_kw / kw_per_rack)


@model(kw_per_rack=POSITIVE, kw_per_server=POSITIVE)
def servers_per_rack(kw_per_rack, kw_per_server):
    """Whole servers one rack can power: INT(rack kW ÷ server kW)."""
    return floor(kw_per_rack / kw_per_server)


@model(it_load_kw=NONNEGATIVE, pue=PUE)
def facility_kw(it_load_kw, pue):
    """Facility power in kW: IT power × PUE."""
    return it_load_kw * pue


@model(power_kw=NONNEGATIVE, load_factor=FRACTION, hours=POSITIVE)
def annual_energy_kwh(power_kw, load_factor=1, hours=HOURS_PER_YEAR):
    """Energy over a year in kWh: kW × load factor × 8,760 hours."""
    return power_kw * load_factor * hours


@model(it_energy_kwh=NONNEGATIVE, wue_l_per_kwh=NONNEGATIVE)
def water_m3(it_energy_kwh, wue_l_per_kwh):
    """Water used in m³: IT energy (kWh) × WUE (litres per kWh) ÷ 1,000."""
    return it_energy_kwh * wue_l_per_kwh / LITRES_PER_M3


@model(it_load_kw=NONNEGATIVE, liquid_share=FRACTION, liquid_cny_per_kw=NONNEGATIVE,
       air_cny_per_kw=NONNEGATIVE)
def cooling_capex(it_load_kw, liquid_share, liquid_cny_per_kw=15000, air_cny_per_kw=7000):
    """Cooling (温控) capex in CNY: IT kW × (liquid share × liquid CNY/kW + air share × air CNY/kW)."""
    return it_load_kw * (liquid_share * liquid_cny_per_kw + (1 - liquid_share) * air_cny_per_kw)


@model(cooling_capex_cny=NONNEGATIVE, cooling_share=POSITIVE_FRACTION)
def datacenter_capex(cooling_capex_cny, cooling_share=0.2):
    """Data-centre build capex in CNY implied by the cooling capex and cooling's share of it (~20%)."""
    return cooling_capex_cny / cooling_share
