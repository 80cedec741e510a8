"""Greenhouse gases: grid electricity, generators, refrigerants, embodied.

References
----------
.. [1] WRI / WBCSD, GHG Protocol Scope 2 Guidance, 2015 (location- and
   market-based methods).
.. [2] IPCC, 2006 Guidelines for National Greenhouse Gas Inventories, Vol. 3,
   ch. 7: emissions of fluorinated substitutes = charge x leak rate x GWP.
"""

from __future__ import annotations


def co2e_electricity_t(energy_mwh, carbon_intensity_g_per_kwh):
    """Emissions of electricity at a given carbon intensity [1]_.

    Parameters
    ----------
    energy_mwh : numeric
        Electricity [MWh].
    carbon_intensity_g_per_kwh : numeric
        Emission factor [g CO2e/kWh].

    Returns
    -------
    numeric
        Emissions [t CO2e]. 1 MWh x 1 g/kWh = 1 kg, hence the division by 1000.
    """
    return energy_mwh * carbon_intensity_g_per_kwh / 1000.0


def co2e_market_t(energy_mwh, renewable_contract_share, residual_g_per_kwh):
    """Market-based emissions: contracted renewable energy counted at zero [1]_.

    Parameters
    ----------
    energy_mwh : numeric
        Electricity [MWh].
    renewable_contract_share : numeric
        Share covered by PPAs or guarantees of origin [-].
    residual_g_per_kwh : numeric
        Intensity of the uncovered part (residual mix) [g CO2e/kWh].

    Returns
    -------
    numeric
        Emissions [t CO2e]. The grid supplies the same electrons either way:
        this figure is an accounting convention, reported beside the
        location-based one, never instead of it.
    """
    return energy_mwh * (1.0 - renewable_contract_share) * residual_g_per_kwh / 1000.0


def generator_test_energy_mwh(count, unit_mw, test_hours_per_year, test_load_share):
    """Electricity produced by backup generators during their tests.

    Parameters
    ----------
    count : numeric
        Number of generators [-].
    unit_mw : numeric
        Rated power of one generator [MW].
    test_hours_per_year : numeric
        Running hours per generator and year [h/yr].
    test_load_share : numeric
        Load during the tests as a share of the rated power [-].

    Returns
    -------
    numeric
        Energy [MWh/yr].
    """
    return count * unit_mw * test_hours_per_year * test_load_share


def co2e_generators_t(energy_mwh, fuel_l_per_kwh, emission_factor_kg_per_l):
    """Emissions of the generators' fuel.

    Parameters
    ----------
    energy_mwh : numeric
        Electricity produced by the generators [MWh].
    fuel_l_per_kwh : numeric
        Specific fuel consumption [L/kWh].
    emission_factor_kg_per_l : numeric
        Emission factor of the fuel [kg CO2e/L].

    Returns
    -------
    numeric
        Emissions [t CO2e] = MWh x 1000 kWh/MWh x L/kWh x kg/L / 1000 kg/t.
    """
    return energy_mwh * fuel_l_per_kwh * emission_factor_kg_per_l


def co2e_refrigerant_t(charge_kg, leak_rate_per_year, gwp):
    """Emissions of refrigerant leaks [2]_.

    Parameters
    ----------
    charge_kg : numeric
        Refrigerant charge of the installation [kg].
    leak_rate_per_year : numeric
        Share of the charge leaked each year [1/yr].
    gwp : numeric
        Global warming potential over 100 years [kg CO2e/kg].

    Returns
    -------
    numeric
        Emissions [t CO2e/yr].
    """
    return charge_kg * leak_rate_per_year * gwp / 1000.0


def co2e_per_year_t(embodied_t, lifetime_years):
    """Embodied emissions spread over a lifetime.

    Parameters
    ----------
    embodied_t : numeric
        Emissions of manufacture or construction [t CO2e].
    lifetime_years : numeric
        Service life [yr].

    Returns
    -------
    numeric
        Emissions per year of service [t CO2e/yr].
    """
    return embodied_t / lifetime_years


def generator_installed_mw(peak_demand_mw, installed_to_peak_ratio):
    """Installed electrical power of the backup generators, when it is not published [3]_.

    Parameters
    ----------
    peak_demand_mw : numeric
        Peak electrical demand of the site, which the generators must carry [MW].
    installed_to_peak_ratio : numeric
        Installed power / peak demand: 1 for N units, (N+1)/N for N+1, 2 for 2N [-].

    Returns
    -------
    numeric
        Installed power [MW].

    References
    ----------
    .. [3] Uptime Institute, Tier Standard: Topology (Tier I N; Tier III N+1
       capacity components; Tier IV fault tolerant, commonly 2N).
    """
    return peak_demand_mw * installed_to_peak_ratio


def refrigerant_charge_kg(it_capacity_mw, chiller_capacity_to_it_ratio, charge_kg_per_kw):
    """Refrigerant charge of the chillers, when it is not published.

    Every watt of IT power ends as heat the cooling plant must remove at full load, so the
    chiller capacity is the IT capacity times the redundancy of the plant.

    Parameters
    ----------
    it_capacity_mw : numeric
        IT capacity [MW].
    chiller_capacity_to_it_ratio : numeric
        Installed chiller capacity / IT capacity [-].
    charge_kg_per_kw : numeric
        Refrigerant charge per kW of chiller cooling capacity [kg/kW].

    Returns
    -------
    numeric
        Charge [kg] = MW x 1000 kW/MW x ratio x kg/kW.
    """
    return it_capacity_mw * 1000.0 * chiller_capacity_to_it_ratio * charge_kg_per_kw


def embodied_from_intensity_t(quantity, kg_co2e_per_unit):
    """Embodied emissions from an intensity (per kW of IT power, per m2 of floor area).

    Parameters
    ----------
    quantity : numeric
        Quantity the intensity is given for [kW or m2].
    kg_co2e_per_unit : numeric
        Embodied emissions per unit of that quantity [kg CO2e/kW or kg CO2e/m2].

    Returns
    -------
    numeric
        Embodied emissions [t CO2e].
    """
    return quantity * kg_co2e_per_unit / 1000.0
