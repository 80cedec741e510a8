"""Everyday equivalences: households, inhabitants, shares of a city."""

from __future__ import annotations


def households_electricity(energy_mwh, household_kwh_per_year):
    """Number of households using the same electricity [-].

    Parameters
    ----------
    energy_mwh : numeric
        Electricity [MWh/yr].
    household_kwh_per_year : numeric
        Average household use [kWh/yr].
    """
    return energy_mwh * 1000.0 / household_kwh_per_year


def inhabitants_water(water_m3, litres_per_person_day, days=365.0):
    """Number of inhabitants using the same water at home [-].

    Parameters
    ----------
    water_m3 : numeric
        Water [m3/yr].
    litres_per_person_day : numeric
        Domestic water use per inhabitant [L/day].
    days : numeric, default 365
        Days in the year [d].
    """
    return water_m3 * 1000.0 / (litres_per_person_day * days)


def share(part, whole):
    """``part / whole`` [-]."""
    return part / whole
