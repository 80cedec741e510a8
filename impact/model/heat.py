"""Heat: what is rejected, what river or sea water carries away, what could be reused.

References
----------
.. [1] Wagner, W., Pruss, A., "The IAPWS formulation 1995 for the thermodynamic
   properties of ordinary water substance", J. Phys. Chem. Ref. Data 31, 387
   (2002), doi:10.1063/1.1461829.
.. [2] Sharqawy, M. H., Lienhard, J. H., Zubair, S. M., "Thermophysical
   properties of seawater", Desalination and Water Treatment 16, 354-380
   (2010), doi:10.5004/dwt.2010.1079.
"""

from __future__ import annotations

SECONDS_PER_HOUR = 3600.0


def thermal_power_mw(flow_m3_per_h, delta_t_k, density_kg_per_m3, specific_heat_j_per_kg_k):
    """Heat carried by a water flow warmed by ``delta_t_k`` (Q = m cp dT).

    Parameters
    ----------
    flow_m3_per_h : numeric
        Volumetric flow [m3/h].
    delta_t_k : numeric
        Temperature rise between intake and return [K].
    density_kg_per_m3 : numeric
        Density of the water [kg/m3], see [1]_ and [2]_.
    specific_heat_j_per_kg_k : numeric
        Specific heat capacity of the water [J/(kg K)].

    Returns
    -------
    numeric
        Thermal power [MW].
    """
    mass_flow_kg_per_s = flow_m3_per_h * density_kg_per_m3 / SECONDS_PER_HOUR
    return mass_flow_kg_per_s * specific_heat_j_per_kg_k * delta_t_k / 1e6


def flow_for_heat_m3(heat_mwh, delta_t_k, density_kg_per_m3, specific_heat_j_per_kg_k):
    """Volume of water needed to carry ``heat_mwh`` with a rise of ``delta_t_k``.

    Parameters
    ----------
    heat_mwh : numeric
        Heat to carry away [MWh].
    delta_t_k : numeric
        Temperature rise [K].
    density_kg_per_m3, specific_heat_j_per_kg_k : numeric
        Properties of the water [kg/m3], [J/(kg K)].

    Returns
    -------
    numeric
        Volume [m3] = heat x 3.6e9 J/MWh / (density x cp x dT).
    """
    return heat_mwh * 3.6e9 / (density_kg_per_m3 * specific_heat_j_per_kg_k * delta_t_k)


def heat_rejected_mwh(facility_energy_mwh, heat_reuse_share):
    """Heat released into the air or water: the electricity used, less what is reused.

    Parameters
    ----------
    facility_energy_mwh : numeric
        Total electricity of the site [MWh]; all of it ends as heat.
    heat_reuse_share : numeric
        Share of that heat delivered to a heat network [-].

    Returns
    -------
    numeric
        Heat rejected [MWh].
    """
    return facility_energy_mwh * (1.0 - heat_reuse_share)


def homes_heated(heat_mwh, heating_per_home_mwh):
    """Number of homes whose space heating ``heat_mwh`` would cover (theoretical).

    Parameters
    ----------
    heat_mwh : numeric
        Heat available [MWh/yr].
    heating_per_home_mwh : numeric
        Space-heating demand of one home [MWh/yr].

    Returns
    -------
    numeric
        Homes [-]. An upper bound: it ignores the season (heat is produced all
        year, homes need it in winter) and the heat pumps needed to lift
        low-temperature heat.
    """
    return heat_mwh / heating_per_home_mwh
