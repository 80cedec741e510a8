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


def rise_for_heat_k(heat_mw, flow_m3_per_h, density_kg_per_m3, specific_heat_j_per_kg_k):
    """Temperature rise of a water flow carrying ``heat_mw`` [K]: :func:`thermal_power_mw` inverted.

    Parameters
    ----------
    heat_mw : numeric
        Heat carried [MW].
    flow_m3_per_h : numeric
        Volumetric flow [m3/h].
    density_kg_per_m3, specific_heat_j_per_kg_k : numeric
        Properties of the water [kg/m3], [J/(kg K)].
    """
    return heat_mw * 1e6 / (flow_m3_per_h * density_kg_per_m3 / SECONDS_PER_HOUR * specific_heat_j_per_kg_k)


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


def volume_warmed_m3(heat_mwh, delta_t_k, density_kg_per_m3, specific_heat_j_per_kg_k):
    """:func:`flow_for_heat_m3`, 0 where the water cannot be warmed (a rise of 0 K or less carries no heat).

    :func:`heat_to_water_mw` gives no heat when the intake is not below the outlet: no water is
    drawn for it (not 0 / 0).
    """
    import numpy as np

    rise = np.asarray(delta_t_k, dtype=float)
    ok = rise > 0
    return np.where(
        ok, flow_for_heat_m3(heat_mwh, np.where(ok, rise, 1.0), density_kg_per_m3, specific_heat_j_per_kg_k), 0.0
    )


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


def reachable_outlet_c(supply_c, approach_k, band_k, hx_approach_k):
    """Warmest temperature river or sea water can leave at, from the cooling loop it cools [°C].

    The water takes heat through a heat exchanger from the site's chilled-water loop. That
    loop is produced at ``supply_c - approach_k`` and warms by ``band_k`` across the IT rooms
    (the hourly model's own loop, :func:`impact.model.cooling.simulate`): its warmest water is
    ``supply_c - approach_k + band_k``. A counter-flow exchanger can bring the river or sea water
    at best to ``hx_approach_k`` below it (second law: heat flows from warm to cold only).

    Parameters
    ----------
    supply_c : numeric
        Air supply (server inlet) temperature [°C].
    approach_k : numeric
        Supply temperature minus the chilled-water temperature [K].
    band_k : numeric
        Rise of the loop across the IT rooms [K].
    hx_approach_k : numeric
        Approach of the heat exchanger between the loop and the river or sea water [K].

    Returns
    -------
    numeric
        Highest outlet temperature of the river or sea water [°C].
    """
    return supply_c - approach_k + band_k - hx_approach_k


def outlet_used_c(declared_c, reachable_c):
    """The outlet temperature a heat balance can use: the declared one, or the reachable one if lower [°C].

    A declared outlet above :func:`reachable_outlet_c` cannot happen (the loop is not warm
    enough): the same heat then needs more water, warmed less.
    """
    import numpy as np

    return np.minimum(declared_c, reachable_c)


def heat_to_water_mw(
    cooling_load_mw,
    coverage_share,
    t_in_c,
    t_out_c,
    reachable_c,
    band_k,
    flow_m3_per_h=None,
    density_kg_per_m3=None,
    specific_heat_j_per_kg_k=None,
):
    """Heat the river or sea water takes from the site in one hour [MW] (intake of constant temperature).

    The same balance as step 1 of :func:`impact.model.cooling.simulate`, for one hour: the water
    takes the declared share of the *cooling load* (IT heat plus the losses of power distribution
    inside the building), never the chillers' or fans' electricity, which is rejected to the air
    by the chillers' condensers and the fans. The share falls linearly to 0 as the intake
    approaches the reachable outlet (the loop can no longer give its heat away), is 0 when the
    intake is not below the outlet used, and a declared flow caps it at what the flow carries.

    Parameters
    ----------
    cooling_load_mw : numeric
        Heat to remove from the building [MW] = IT load x (1 + distribution losses).
    coverage_share : numeric
        Declared share of the cooling met by the water [-].
    t_in_c : numeric
        Intake temperature [°C].
    t_out_c : numeric or None
        Outlet temperature used [°C] (:func:`outlet_used_c`); None: not known (no limit).
    reachable_c : numeric
        Reachable outlet [°C] (:func:`reachable_outlet_c`).
    band_k : numeric
        Rise of the loop across the IT rooms [K].
    flow_m3_per_h, density_kg_per_m3, specific_heat_j_per_kg_k : numeric, optional
        Declared flow [m3/h] and the water's properties; the flow caps the heat at
        :func:`thermal_power_mw` with the outlet used.

    Returns
    -------
    numeric
        Heat into the water [MW].
    """
    import numpy as np

    share = np.minimum(coverage_share, np.clip((reachable_c - t_in_c) / band_k, 0.0, 1.0))
    heat = cooling_load_mw * share
    if t_out_c is not None:
        heat = np.where(np.asarray(t_in_c) < t_out_c, heat, 0.0)
    if flow_m3_per_h is not None and t_out_c is not None:
        capacity = thermal_power_mw(flow_m3_per_h, t_out_c - t_in_c, density_kg_per_m3, specific_heat_j_per_kg_k)
        heat = np.minimum(heat, np.maximum(capacity, 0.0))
    return heat
