"""Electricity: IT energy, facility energy and peak demand.

References
----------
.. [1] The Green Grid, "PUE: a comprehensive examination of the metric",
   White Paper 49, 2012. ISO/IEC 30134-2:2016, Power usage effectiveness.
"""

from __future__ import annotations

HOURS_PER_YEAR = 8760.0


def it_capacity_from_equipment_mw(count, power_kw):
    """IT capacity of a list of equipment.

    Parameters
    ----------
    count : array-like
        Number of units of each kind [-].
    power_kw : array-like
        Power of one unit [kW].

    Returns
    -------
    float
        Total IT capacity [MW] = sum(count x power_kw) / 1000.
    """
    total_kw = 0.0
    for n, p in zip(count, power_kw):
        total_kw = total_kw + n * p
    return total_kw / 1000.0


def it_energy_mwh(it_capacity_mw, utilisation, hours=HOURS_PER_YEAR):
    """Annual energy drawn by the IT equipment.

    Parameters
    ----------
    it_capacity_mw : numeric
        Nameplate IT power [MW].
    utilisation : numeric
        Average IT load as a share of nameplate [-], in (0, 1].
    hours : numeric, default 8760
        Hours of operation in the year [h].

    Returns
    -------
    numeric
        IT energy [MWh/yr].
    """
    return it_capacity_mw * utilisation * hours


def facility_energy_mwh(it_energy_mwh, pue):
    """Total site electricity from IT energy and PUE [1]_.

    Parameters
    ----------
    it_energy_mwh : numeric
        IT energy [MWh].
    pue : numeric
        Power usage effectiveness, total / IT [-], >= 1.

    Returns
    -------
    numeric
        Facility energy [MWh].
    """
    return it_energy_mwh * pue


def peak_demand_mw(it_capacity_mw, design_pue):
    """Grid power drawn with the IT equipment at full nameplate load.

    Parameters
    ----------
    it_capacity_mw : numeric
        Nameplate IT power [MW].
    design_pue : numeric
        PUE at full load [-].

    Returns
    -------
    numeric
        Peak demand [MW].
    """
    return it_capacity_mw * design_pue


def ramp_up_facility_energy_mwh(it_capacity_mw, utilisation_in_year, utilisation_typical, pue, hours=HOURS_PER_YEAR):
    """Site electricity in one of the first years of operation, while the IT load ramps up.

    A new site fills its halls over its first years: its IT load stays below the typical
    year's. The year's utilisation is capped at the typical one (a declared typical
    utilisation below the ramp-up table's year is not exceeded).

    Parameters
    ----------
    it_capacity_mw : numeric
        Nameplate IT power [MW].
    utilisation_in_year : numeric
        Average IT load in that year of operation, as a share of nameplate [-].
    utilisation_typical : numeric
        Average IT load of the typical (mature) year [-].
    pue : numeric
        Annual PUE of the typical year [-]. At lower load the fixed losses weigh more and
        the PUE is usually higher, so the result is on the low side.
    hours : numeric, default 8760
        Hours in the year [h].

    Returns
    -------
    numeric
        Facility energy of that year [MWh/yr] = IT capacity x min(utilisation in the year,
        typical utilisation) x hours x PUE.
    """
    import numpy as np

    return it_capacity_mw * np.minimum(utilisation_in_year, utilisation_typical) * hours * pue
