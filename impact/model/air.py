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


#: Hours in a year [h] (365 days x 24 h).
HOURS_PER_YEAR = 8760.0
#: Molar masses [g/mol] of carbon and hydrogen (IUPAC standard atomic weights), nitrogen N2.
CARBON_G_PER_MOL = 12.011
HYDROGEN_G_PER_MOL = 1.008
#: Molar volume of an ideal gas at 273.15 K and 101.325 kPa [Nm3/kmol] (the conditions of the
#: emission limit values: Directive (EU) 2015/2193, Annex II).
MOLAR_VOLUME_NM3_PER_KMOL = 22.414
#: Oxygen in dry air [mol/mol] (20.95 %, rounded as combustion textbooks do; N2 + Ar the rest).
O2_IN_AIR = 0.21


def outage_energy_mwh(demand_mw, installed_mw, hours):
    """Electricity the generators produce during a grid outage: they carry the site's demand,
    at most their installed power, for the hours of the outage.

    Parameters
    ----------
    demand_mw : numeric
        The site's electrical demand during the outage [MW] (impact takes its mean demand:
        annual facility electricity / 8760 h).
    installed_mw : numeric
        Installed electrical power of the generators [MW].
    hours : numeric
        Duration of the outage [h].

    Returns
    -------
    numeric
        Energy [MWh] = min(demand, installed) x hours.
    """
    import numpy as np

    return np.minimum(demand_mw, installed_mw) * hours


def mean_demand_mw(facility_energy_mwh):
    """Mean electrical demand of the site over a year [MW] = annual electricity [MWh] / 8760 h."""
    return facility_energy_mwh / HOURS_PER_YEAR


def hydrocarbon_mass_shares(h_per_c):
    """Mass shares of carbon and hydrogen of a fuel written CH\\ :sub:`y` (sulphur, oxygen neglected).

    Parameters
    ----------
    h_per_c : float
        Hydrogen atoms per carbon atom [mol/mol] (gas oil: about 1.86).

    Returns
    -------
    tuple of float
        (carbon, hydrogen) [kg/kg] = (12.011, 1.008 y) / (12.011 + 1.008 y).
    """
    total = CARBON_G_PER_MOL + HYDROGEN_G_PER_MOL * h_per_c
    return CARBON_G_PER_MOL / total, HYDROGEN_G_PER_MOL * h_per_c / total


def dry_flue_gas_nm3_per_kg(carbon_share, hydrogen_share, o2_reference):
    """Dry flue gas per kg of fuel, brought to the reference oxygen content of the limit values.

    Stoichiometric combustion takes C/12.011 + H/(4 x 1.008) kmol of O2 per kg; the dry
    stoichiometric flue gas is the CO2 and the air's nitrogen (0.79/0.21 per O2), water removed.
    Excess air dilutes it to the reference O2 share x: V = V0 x 0.21 / (0.21 - x).

    Parameters
    ----------
    carbon_share, hydrogen_share : float
        Mass shares of carbon and hydrogen in the fuel [kg/kg].
    o2_reference : float
        Reference oxygen content of the dry flue gas [mol/mol] (0.15 for engines).

    Returns
    -------
    float
        Dry flue gas at the reference O2 [Nm3/kg of fuel], at 273.15 K and 101.325 kPa.
    """
    co2 = carbon_share / CARBON_G_PER_MOL  # kmol/kg
    o2 = co2 + hydrogen_share / (4 * HYDROGEN_G_PER_MOL)
    n2 = o2 * (1 - O2_IN_AIR) / O2_IN_AIR
    v0 = (co2 + n2) * MOLAR_VOLUME_NM3_PER_KMOL
    return v0 * O2_IN_AIR / (O2_IN_AIR - o2_reference)


def limit_g_per_kwh(limit_mg_per_nm3, flue_gas_nm3_per_kg, fuel_kg_per_kwh):
    """An emission limit value in mg/Nm3 (dry, reference O2) as grams per kWh of electricity.

    Parameters
    ----------
    limit_mg_per_nm3 : float
        Emission limit value [mg/Nm3] at the reference O2 content.
    flue_gas_nm3_per_kg : float
        Dry flue gas at that O2 content [Nm3/kg of fuel] (:func:`dry_flue_gas_nm3_per_kg`).
    fuel_kg_per_kwh : float
        Fuel burnt per kWh of electricity [kg/kWh] (L/kWh x density).

    Returns
    -------
    float
        [g/kWh] = mg/Nm3 x Nm3/kg x kg/kWh / 1000 mg/g.
    """
    return limit_mg_per_nm3 * flue_gas_nm3_per_kg * fuel_kg_per_kwh / 1000.0


def g_per_kwh_from_g_per_gj(g_per_gj, fuel_l_per_kwh, density_kg_per_l, lhv_kwh_per_kg):
    """An emission factor per GJ of fuel (EMEP/EEA guidebook) as grams per kWh of electricity.

    Parameters
    ----------
    g_per_gj : numeric
        Emission factor [g/GJ of fuel, net calorific value].
    fuel_l_per_kwh : numeric
        Fuel burnt per kWh of electricity [L/kWh].
    density_kg_per_l : numeric
        Density of the fuel [kg/L].
    lhv_kwh_per_kg : numeric
        Net calorific value of the fuel [kWh/kg].

    Returns
    -------
    numeric
        [g/kWh] = g/GJ x L/kWh x kg/L x kWh/kg x 0.0036 GJ/kWh.

    References
    ----------
    .. [1] EMEP/EEA air pollutant emission inventory guidebook, 1.A.4 Small combustion, Table 3-31.
    """
    return g_per_gj * fuel_l_per_kwh * density_kg_per_l * lhv_kwh_per_kg * 0.0036
