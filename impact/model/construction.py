"""Ramp-up of the IT load and the construction works: the equations (docs/construction.md)."""

from __future__ import annotations

HOURS_PER_YEAR = 8760.0


def ramp_up_step_energy_mwh(it_mw_in_service, utilisation, pue, hours=HOURS_PER_YEAR):
    """Site electricity in a year of the declared ramp-up.

    The IT power in service that year (the phases built so far) runs as the typical year's
    IT power does: at the typical utilisation of its nameplate and at the typical PUE. At
    the full nameplate this is the typical year's facility energy.

    Parameters
    ----------
    it_mw_in_service : numeric
        Nameplate IT power in service that year [MW].
    utilisation : numeric
        Average IT load / nameplate of the typical year [-].
    pue : numeric
        Annual PUE of the typical year [-]. A part-built site's fixed losses weigh more:
        the result is on the low side.
    hours : numeric, default 8760
        Hours in the year [h].

    Returns
    -------
    numeric
        Facility energy of that year [MWh/yr] = IT in service x utilisation x hours x PUE.
    """
    return it_mw_in_service * utilisation * hours * pue


def ramp_up_step_peak_mw(it_mw_in_service, it_capacity_mw, peak_demand_mw):
    """Peak demand of the site with part of its IT power in service.

    The site's peak (full IT load on the hottest hour, or IT capacity x PUE) scaled by
    the share of the nameplate in service: the same PUE at the peak hour.

    Parameters
    ----------
    it_mw_in_service : numeric
        Nameplate IT power in service that year [MW].
    it_capacity_mw : numeric
        Nameplate IT power of the whole site [MW].
    peak_demand_mw : numeric
        Peak demand of the whole site [MW].

    Returns
    -------
    numeric
        Peak demand that year [MW] = peak x IT in service / IT capacity.
    """
    return peak_demand_mw * it_mw_in_service / it_capacity_mw


def truck_movements_per_working_day(truck_movements_total, duration_months, working_days_per_month):
    """Heavy-goods-vehicle movements per working day of the works, on average.

    Parameters
    ----------
    truck_movements_total : numeric
        Truck movements over the whole works [-].
    duration_months : numeric
        Duration of the works [month].
    working_days_per_month : numeric
        Working days per month [day/month].

    Returns
    -------
    numeric
        Movements per working day [1/day] = total / (months x working days per month). The
        busiest phases (earthworks, concrete pours) carry more than this mean.
    """
    return truck_movements_total / (duration_months * working_days_per_month)


def truck_km(truck_movements_total, km_per_movement):
    """Kilometres the works' heavy goods vehicles drive [km] = movements x road km of one movement."""
    return truck_movements_total * km_per_movement


def truck_movements_total(trucks_per_working_day, duration_months, working_days_per_month):
    """Truck movements over the works [-] = movements per working day x months x working days per month."""
    return trucks_per_working_day * duration_months * working_days_per_month


def trucks_co2e_t(truck_km_total, fuel_l_per_km, emission_factor_kg_per_l):
    """Greenhouse gases of the works' trucks [t CO2e].

    Parameters
    ----------
    truck_km_total : numeric
        Kilometres driven by the trucks [km].
    fuel_l_per_km : numeric
        Diesel burnt per kilometre driven [L/km].
    emission_factor_kg_per_l : numeric
        Well-to-wheel emissions of a litre of diesel [kg CO2e/L].

    Returns
    -------
    numeric
        truck-km x L/km x kg CO2e/L / 1000.
    """
    return truck_km_total * fuel_l_per_km * emission_factor_kg_per_l / 1000.0
