"""Water resource: the site's withdrawal beside the commune's domestic use, and the warming of
a receiving river or sea at low flow.

Pure functions, numbers (or numpy arrays) in, numbers out.
"""

from __future__ import annotations

DAYS_PER_YEAR = 365.0


def commune_domestic_water_m3(population, domestic_l_per_day):
    """Domestic drinking water of a commune's inhabitants over a year.

    Parameters
    ----------
    population : numeric
        Inhabitants of the commune [-].
    domestic_l_per_day : numeric
        Domestic drinking-water use per inhabitant [L/day].

    Returns
    -------
    numeric
        Domestic water per year [m3/yr] = population x L/day x 365 / 1000.

    References
    ----------
    OFB, Observatoire SISPEA, Panorama des services et de leur performance en 2020
    (148 L per inhabitant and day; data/reference/equivalences.csv).
    """
    return population * domestic_l_per_day * DAYS_PER_YEAR / 1000.0


def receiving_water_rise_k(heat_mw, low_flow_m3_per_s, density_kg_per_m3, specific_heat_j_per_kg_k):
    """Temperature rise of a receiving river once the discharge is fully mixed into its low flow.

    Full mixing is the largest dilution the river can give: the rise near the outfall, before
    mixing, is larger. The figure is therefore a lower bound of the warming at the edge of the
    mixing zone, where the French limits apply.

    Parameters
    ----------
    heat_mw : numeric
        Heat discharged into the water [MW].
    low_flow_m3_per_s : numeric
        Flow of the receiving river at low water (e.g. QMNA5) [m3/s], > 0.
    density_kg_per_m3 : numeric
        Density of water [kg/m3].
    specific_heat_j_per_kg_k : numeric
        Specific heat of water [J/(kg K)].

    Returns
    -------
    numeric
        Rise of the mixed river [K] = heat / (flow x density x specific heat).

    References
    ----------
    Energy balance of mixing (the formula DT = (T2 - T1) Q2 / Q3 used in French discharge
    permits, e.g. arrêté du 11 juin 2004, article 4, Golfech).
    """
    return heat_mw * 1e6 / (low_flow_m3_per_s * density_kg_per_m3 * specific_heat_j_per_kg_k)


def share(part, whole):
    """``part / whole`` [-]."""
    return part / whole
