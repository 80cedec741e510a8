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


def heating_degree_days(temp_air_c, base_c=18.0, threshold_c=15.0, hours_per_day=24):
    """Heating degree-days of an hourly temperature series, Eurostat's rule [K·d].

    Each day's mean ``Tm`` (the mean of its hours) adds ``base_c - Tm`` when
    ``Tm <= threshold_c``, nothing otherwise [1]_.

    Parameters
    ----------
    temp_air_c : array-like
        Hourly dry-bulb temperature [°C], whole days (a multiple of ``hours_per_day``).
    base_c : numeric, default 18
        Base temperature [°C].
    threshold_c : numeric, default 15
        Heating threshold: warmer days count no degree-day [°C].
    hours_per_day : int, default 24
        Values per day [-].

    Returns
    -------
    float
        Heating degree-days over the series [K·d].

    References
    ----------
    .. [1] Eurostat, Energy statistics - cooling and heating degree days (nrg_chdd),
       reference metadata (ESMS), §3.4: HDD = 18 °C - Tm if Tm <= 15 °C, else 0.
    """
    import numpy as np

    t = np.asarray(temp_air_c, dtype=float)
    if t.size % hours_per_day:
        raise ValueError(f"{t.size} values are not whole days of {hours_per_day} hours")
    daily = t.reshape(-1, hours_per_day).mean(axis=1)
    return float(np.where(daily <= threshold_c, base_c - daily, 0.0).sum())


def heating_per_home_for_climate_mwh(reference_mwh, site_hdd, reference_hdd):
    """Space heating of one home in the site's climate, by degree-days [MWh/yr].

    ``reference_mwh x site_hdd / reference_hdd``: the degree-day method, heating
    demand proportional to the heating degree-days [1]_, applied to the national
    mean per home and the national mean degree-days (same rule, same data).

    Parameters
    ----------
    reference_mwh : numeric
        Space heating per home where the degree-days are ``reference_hdd`` [MWh/yr].
    site_hdd : numeric
        Heating degree-days of the site's climate [K·d/yr].
    reference_hdd : numeric
        Heating degree-days behind ``reference_mwh`` [K·d/yr].

    Returns
    -------
    numeric
        Space heating per home [MWh/yr]. It keeps the national housing stock (size,
        insulation, heating systems): only the climate changes.

    References
    ----------
    .. [1] CIBSE TM41, Degree-days: theory and application (2006), ch. 3; EN ISO 15927-6:2007.
    """
    return reference_mwh * site_hdd / reference_hdd
