"""Heat reuse: how much of a data centre's steady heat a seasonal heat network can take.

A data centre rejects about the same heat every month; a heat network sells most of its heat in
winter. The month-by-month minimum of the two bounds what can be reused, whatever the network's
size, and so bounds the energy reuse factor (ERF, EN 50600-4-6).

References
----------
.. [1] Eurostat, Energy statistics - cooling and heating degree days (nrg_chdd), reference
   metadata (ESMS) §3.4: HDD = 18 °C - Tm if Tm <= 15 °C, else 0.
.. [2] CIBSE TM41, Degree-days: theory and application (2006), ch. 3: space-heating demand
   proportional to the heating degree-days.
.. [3] EN 50600-4-6:2020, Energy Reuse Factor: ERF = reused energy / total data-centre energy.
"""

from __future__ import annotations


def monthly_heating_degree_days(daily_mean_c, day_month, base_c=18.0, threshold_c=15.0):
    """Heating degree-days of each calendar month (Eurostat's rule [1]_) [K·d].

    Parameters
    ----------
    daily_mean_c : array-like
        Mean temperature of each day [°C] (the mean of its hours, by calendar day: a day of a
        daylight-saving change has 23 or 25 hours).
    day_month : array-like of int
        Month (1-12) of each day, same length.
    base_c, threshold_c : numeric
        Base and heating threshold [°C].

    Returns
    -------
    numpy.ndarray
        12 values [K·d], January first (0 for a month absent from the series).
    """
    import numpy as np

    daily = np.asarray(daily_mean_c, dtype=float)
    m = np.asarray(day_month, dtype=int)
    if daily.size != m.size:
        raise ValueError(f"{daily.size} daily temperatures and {m.size} months")
    hdd = np.where(daily <= threshold_c, base_c - daily, 0.0)
    return np.array([hdd[m == k].sum() for k in range(1, 13)])


def monthly_demand_weights(hdd_by_month, base_share):
    """Share of a heat network's yearly sales made in each month [-] (they sum to 1).

    ``base_share`` of the heat is sold evenly over the year (domestic hot water, processes); the
    rest follows the heating degree-days [2]_.

    Parameters
    ----------
    hdd_by_month : array-like
        Heating degree-days of the 12 months [K·d].
    base_share : numeric
        Share of the network's heat that does not depend on the weather [-].

    Returns
    -------
    numpy.ndarray
        12 weights [-].
    """
    import numpy as np

    hdd = np.asarray(hdd_by_month, dtype=float)
    total = hdd.sum()
    seasonal = hdd / total if total > 0 else np.full(12, 1.0 / 12)
    return base_share / 12.0 + (1.0 - base_share) * seasonal


def absorbed_mwh(available_mwh_by_month, demand_mwh_by_month):
    """Heat a network takes each month: the smaller of what the site offers and what it sells [MWh]."""
    import numpy as np

    return np.minimum(np.asarray(available_mwh_by_month, dtype=float), np.asarray(demand_mwh_by_month, dtype=float))


def seasonal_reuse_share_max(weights):
    """Largest share of a steady heat supply a network with these monthly weights can take over a year [-].

    The network that takes everything in its busiest month (demand there = supply / 12) takes
    ``weights[m] / max(weights)`` of the month's supply elsewhere; a bigger network takes no more
    (it is capped by the supply), a smaller one takes less. Over a year the share is
    ``sum(weights) / (12 max(weights)) = 1 / (12 max(weights))``.

    Parameters
    ----------
    weights : array-like
        The network's monthly weights (:func:`monthly_demand_weights`), summing to 1 [-].

    Returns
    -------
    float
        Share of the supply reused [-], between 1/12 and 1.
    """
    import numpy as np

    w = np.asarray(weights, dtype=float)
    return float(w.sum() / (12.0 * w.max()))


def peak_month_share(hdd_by_month):
    """Share of the year's heating degree-days in its coldest month, ``max(hdd) / sum(hdd)`` [-].

    Parameters
    ----------
    hdd_by_month : array-like
        Heating degree-days of the 12 months [K·d].

    Returns
    -------
    float
        Between 1/12 (even months) and 1; 1/12 when the year has no degree-days (flat demand).
    """
    import numpy as np

    hdd = np.asarray(hdd_by_month, dtype=float)
    total = hdd.sum()
    return float(hdd.max() / total) if total > 0 else 1.0 / 12.0


def seasonal_share_from_peak(peak_hdd_share, base_share):
    """:func:`seasonal_reuse_share_max` from the coldest month's share of the degree-days [-].

    The busiest month of :func:`monthly_demand_weights` is the coldest (for ``base_share`` <= 1
    every weight grows with the month's degree-days), of weight ``b / 12 + (1 - b) p``; the bound
    ``1 / (12 max(w))`` is then ``1 / (b + 12 (1 - b) p)``. Vectorised over draws of ``b``.

    Parameters
    ----------
    peak_hdd_share : numeric or array
        ``max(hdd) / sum(hdd)`` of the site's months (:func:`peak_month_share`) [-].
    base_share : numeric or array
        Share of the network's heat that does not depend on the weather [-].

    Returns
    -------
    numeric or array
        Largest share of a steady heat supply such a network can take over a year [-].
    """
    return 1.0 / (base_share + 12.0 * (1.0 - base_share) * peak_hdd_share)


def energy_reuse_factor(heat_reused_mwh, facility_energy_mwh):
    """ERF = heat reused / total energy of the data centre [-] ([3]_)."""
    return heat_reused_mwh / facility_energy_mwh
