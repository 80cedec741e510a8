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
