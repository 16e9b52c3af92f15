"""Power and cooling: servers to IT load, racks, facility power, energy, water and cooling capex.

Power is in kW, energy in kWh, water in m³, money in CNY.  PUE is facility power ÷ IT power;
WUE is litres of water per kWh of IT energy (The Green Grid's definition).
"""

from __future__ import annotations

from .domains import POSITIVE
from .model import model
from .ops import Value, ceil, floor
from .units import HOURS_PER_YEAR, LITRES_PER_M3

__all__ = ["servers", "it_kw", "racks", "servers_per_rack", "facility_kw", "annual_energy_kwh", "water_m3",
           "cooling_capex", "datacenter_capex", "HOURS_PER_YEAR"]



@model(gpus_per_server=POSITIVE)
def servers(gpus: Value, gpus_per_server: Value = 8) -> Value:
    """Servers to hold the GPUs, whole: CEIL(GPUs ÷ GPUs per server)."""
    return ceil(gpus / gpus_per_server)


@model
def it_kw(server_count: Value, kw_per_server: Value) -> Value:
    """IT load in kW: servers × kW per server (DGX A100: 6.5 kW)."""
    return server_count * kw_per_server


@model
def racks(it_load_kw: Value, kw_per_rack: Value) -> Value:
    """Racks to hold an IT load, whole: CEIL(IT kW ÷ the kW one rack can power and cool)."""
    return ceil(it_load_kw / kw_per_rack)


@model(kw_per_server=POSITIVE)
def servers_per_rack(kw_per_rack: Value, kw_per_server: Value) -> Value:
    """Whole servers one rack can power: INT(rack kW ÷ server kW)."""
    return floor(kw_per_rack / kw_per_server)


@model
def facility_kw(it_load_kw: Value, pue: Value) -> Value:
    """Facility power in kW: IT power × PUE."""
    return it_load_kw * pue


@model
def annual_energy_kwh(power_kw: Value, load_factor: Value = 1, hours: Value = HOURS_PER_YEAR) -> Value:
    """Energy over a year in kWh: kW × load factor × 8,760 hours."""
    return power_kw * load_factor * hours


@model
def water_m3(it_energy_kwh: Value, wue_l_per_kwh: Value) -> Value:
    """Water used in m³: IT energy (kWh) × WUE (litres per kWh) ÷ 1,000."""
    return it_energy_kwh * wue_l_per_kwh / LITRES_PER_M3


@model
def cooling_capex(it_load_kw: Value, liquid_share: Value, liquid_cny_per_kw: Value = 15000,
                  air_cny_per_kw: Value = 7000) -> Value:
    """Cooling (温控) capex in CNY: IT kW × (liquid share × liquid CNY/kW + air share × air CNY/kW)."""
    return it_load_kw * (liquid_share * liquid_cny_per_kw + (1 - liquid_share) * air_cny_per_kw)


@model
def datacenter_capex(cooling_capex_cny: Value, cooling_share: Value = 0.2) -> Value:
    """Data-centre build capex in CNY implied by the cooling capex and cooling's share of it (~20%)."""
    return cooling_capex_cny / cooling_share
