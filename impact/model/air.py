"""Air pollutants of the backup generators: NOx, PM, CO and SO2 of their tests.

Emission factors are per kWh of engine output (data/reference/air_emissions.csv); SO2 follows
from the sulphur in the fuel, all of it burnt to SO2.
"""

from __future__ import annotations

#: Molar masses [g/mol]: sulphur and sulphur dioxide (IUPAC standard atomic weights, S 32.06, O 15.999).
SULPHUR_G_PER_MOL = 32.06
SO2_G_PER_MOL = 32.06 + 2 * 15.999


def pollutant_t(energy_mwh, emission_factor_g_per_kwh):
    """Mass of a pollutant emitted while producing ``energy_mwh``.

    Parameters
    ----------
    energy_mwh : numeric
        Electricity produced by the generators [MWh].
    emission_factor_g_per_kwh : numeric
        Emission factor [g/kWh].

    Returns
    -------
    numeric
        Mass [t] = MWh x 1000 kWh/MWh x g/kWh / 1e6 g/t.

    References
    ----------
    .. [1] US EPA, AP-42 5th ed., chapter 3.4, Large stationary diesel engines (1996).
    """
    return energy_mwh * emission_factor_g_per_kwh / 1000.0


def full_load_kg_per_h(installed_mw, emission_factor_g_per_kwh):
    """Hourly emission of all the generators running together at full load (a full-load test or a
    grid outage).

    Parameters
    ----------
    installed_mw : numeric
        Installed electrical power of the generators [MW].
    emission_factor_g_per_kwh : numeric
        Emission factor [g/kWh].

    Returns
    -------
    numeric
        Emission rate [kg/h] = MW x 1000 kW/MW x g/kWh / 1000 g/kg.
    """
    return installed_mw * emission_factor_g_per_kwh


def so2_g_per_kwh(fuel_l_per_kwh, density_kg_per_l, sulphur_mg_per_kg):
    """SO2 emission factor from the sulphur content of the fuel (all the sulphur leaves as SO2).

    Parameters
    ----------
    fuel_l_per_kwh : numeric
        Fuel burnt per kWh of electricity [L/kWh].
    density_kg_per_l : numeric
        Density of the fuel [kg/L].
    sulphur_mg_per_kg : numeric
        Sulphur content of the fuel [mg/kg].

    Returns
    -------
    numeric
        SO2 [g/kWh] = L/kWh x kg/L x mg S/kg / 1000 mg/g x (M(SO2) / M(S)).
    """
    return fuel_l_per_kwh * density_kg_per_l * sulphur_mg_per_kg / 1000.0 * (SO2_G_PER_MOL / SULPHUR_G_PER_MOL)
