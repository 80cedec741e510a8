"""The climate of a site from a station's hourly series: equations only.

- Temperature with altitude: the ISO 2533 standard atmosphere [1]_ (lapse rate
  6.5 K/km, pressure by the barometric formula).
- 3-hourly observations to hourly: linear in time between observations (T and
  dew point), the usual practice for synoptic reports; longer gaps are filled
  with the mean diurnal course of the surrounding days [2]_; a month counts only
  if it passes the WMO "3/5" rule [3]_.
- How far a station's temperatures may be from the site's: a standard deviation
  that grows with distance, altitude difference and the years behind the series
  (see :func:`offset_sigma_k`), turned into a triangular range of the same
  standard deviation.

References
----------
.. [1] ISO 2533:1975, Standard Atmosphere (= ICAO standard atmosphere): lapse rate
   6.5 K/km in the troposphere, 101,325 Pa and 288.15 K at sea level.
.. [2] Falge, E. et al., "Gap filling strategies for defensible annual sums of net
   ecosystem exchange", Agricultural and Forest Meteorology 107, 43-69 (2001),
   doi:10.1016/S0168-1923(00)00225-2 (mean diurnal variation over adjacent days).
.. [3] WMO Guidelines on the Calculation of Climate Normals, WMO-No. 1203 (2017),
   after WMO-TD No. 341 (1989): a monthly mean is not computed when more than 5
   daily values, or more than 3 consecutive ones, are missing.
"""

from __future__ import annotations

import math

import numpy as np

#: ISO 2533 tropospheric lapse rate [K/km].
STANDARD_LAPSE_RATE_K_PER_KM = 6.5
#: ISO 2533 sea-level pressure [Pa].
SEA_LEVEL_PRESSURE_PA = 101325.0
#: A triangular distribution of half-width sqrt(6) x sigma has standard deviation sigma.
TRIANGULAR_HALF_WIDTH_PER_SIGMA = math.sqrt(6.0)


def altitude_correction_k(site_altitude_m, station_altitude_m, lapse_rate_k_per_km=STANDARD_LAPSE_RATE_K_PER_KM):
    """Temperature difference from the station's altitude to the site's [K].

    Parameters
    ----------
    site_altitude_m, station_altitude_m : numeric
        Altitudes [m].
    lapse_rate_k_per_km : numeric, default 6.5
        Fall of temperature with height [K/km] (ISO 2533 [1]_).

    Returns
    -------
    numeric
        ``-lapse x (site - station) / 1000``: negative when the site is higher.
    """
    return -lapse_rate_k_per_km * (np.asarray(site_altitude_m, float) - station_altitude_m) / 1000.0


def standard_pressure_pa(altitude_m):
    """Pressure of the ISO 2533 standard atmosphere at ``altitude_m`` [Pa] [1]_.

    ``101325 x (1 - 2.25577e-5 x z) ** 5.25588`` (troposphere, z in m).
    """
    return SEA_LEVEL_PRESSURE_PA * (1.0 - 2.25577e-5 * np.asarray(altitude_m, float)) ** 5.25588


# ---------------------------------------------------------------------- observations


def interpolate_observations(obs_hours, values, hours, max_gap_h=12.0):
    """Hourly values, linear in time between observations.

    Parameters
    ----------
    obs_hours : array of float, increasing
        Times of the valid observations [h] (any origin, e.g. hours since 1 January).
    values : array of float
        Observed values (e.g. temperature [°C]) at ``obs_hours``.
    hours : array of float
        Times to fill [h].
    max_gap_h : float, default 12
        Two observations further apart than this are not joined by a line: the
        hours between them are left missing (NaN), for :func:`fill_mean_diurnal`.

    Returns
    -------
    numpy.ndarray
        Values at ``hours``; exactly the observation at an observation time;
        NaN inside longer gaps and outside the observed span.
    """
    obs_hours = np.asarray(obs_hours, float)
    values = np.asarray(values, float)
    hours = np.asarray(hours, float)
    out = np.interp(hours, obs_hours, values, left=np.nan, right=np.nan)
    nxt = np.searchsorted(obs_hours, hours, side="left")  # first observation at or after each hour
    exact = (nxt < len(obs_hours)) & (obs_hours[np.minimum(nxt, len(obs_hours) - 1)] == hours)
    inside = (nxt > 0) & (nxt < len(obs_hours))
    gap = np.full(hours.shape, np.inf)
    gap[inside] = obs_hours[nxt[inside]] - obs_hours[nxt[inside] - 1]
    out[(gap > max_gap_h) & ~exact] = np.nan
    return out


def fill_mean_diurnal(hourly, window_days=7):
    """Fill missing hours with the mean of the same hour of day over the adjacent days [2]_.

    Parameters
    ----------
    hourly : array of float, length a multiple of 24, starting at hour 0
        Hourly values with NaN where missing.
    window_days : int, default 7
        Days taken on each side of the day to fill.

    Returns
    -------
    numpy.ndarray
        A copy with each missing hour replaced by the mean of the valid values at
        the same hour of the day within ``window_days`` before and after; still
        NaN where that window has no valid value.
    """
    x = np.asarray(hourly, float)
    days = x.reshape(-1, 24)
    valid = np.isfinite(days)
    total = np.where(valid, days, 0.0)
    # Running sums over days, per hour of day (a window of 2 w + 1 days).
    pad = ((window_days + 1, window_days), (0, 0))
    csum = np.cumsum(np.pad(total, pad), axis=0)
    ccount = np.cumsum(np.pad(valid.astype(float), pad), axis=0)
    width = 2 * window_days + 1
    s = csum[width:] - csum[:-width]
    n = ccount[width:] - ccount[:-width]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / n
    filled = np.where(valid, days, mean)
    return filled.reshape(-1)


def daily_observation_counts(obs_hours, n_days):
    """Number of valid observations in each day ``[0, n_days)`` (hours since the first midnight)."""
    day = np.floor(np.asarray(obs_hours, float) / 24.0).astype(int)
    day = day[(day >= 0) & (day < n_days)]
    return np.bincount(day, minlength=n_days)


def month_passes_wmo_rule(missing_days, max_missing=5, max_consecutive=3):
    """Whether a month's series is complete enough for a monthly mean (WMO "3/5" rule [3]_).

    Parameters
    ----------
    missing_days : array of bool
        For each day of the month, True when the day's data are missing.

    Returns
    -------
    bool
        False when more than ``max_missing`` days, or more than
        ``max_consecutive`` consecutive days, are missing.
    """
    missing = np.asarray(missing_days, bool)
    run = longest = 0
    for m in missing:
        run = run + 1 if m else 0
        longest = max(longest, run)
    return int(missing.sum()) <= max_missing and longest <= max_consecutive


# ---------------------------------------------------------------------- choice and range


def central_year(years, statistic):
    """The median year of a series by ``statistic``.

    Parameters
    ----------
    years : sequence of int
    statistic : sequence of float
        One value per year (e.g. the annual mean temperature [°C]).

    Returns
    -------
    int
        A real year of ``years`` (never an average): the median one for an odd
        number of years; for an even number, the higher of the two middle ones
        (the warmer side, the cautious one for cooling). Equal values are ordered
        by year.
    """
    order = sorted(zip(np.asarray(statistic, float).tolist(), list(years)))
    return order[len(order) // 2][1]


def offset_sigma_k(
    distance_km,
    altitude_difference_m,
    years_represented,
    *,
    gradient_k_per_km,
    lapse_rate_sd_k_per_km,
    interannual_sd_k,
):
    """Standard deviation of the difference between the site's and the series' temperatures [K].

    ``sigma^2 = (gradient x d)^2 + (lapse sd x dz)^2 + interannual sd^2 / n``:
    the spatial part grows with the distance ``d``; the altitude part is what
    the standard lapse-rate correction may get wrong over ``dz``; the last part is
    how far the climate of ``n`` years may be from the long-term one (one year
    is one draw of the weather; a multi-year or typical-year series averages
    ``n`` of them).

    Parameters
    ----------
    distance_km : numeric
        Site to station [km].
    altitude_difference_m : numeric or None
        |site - station| [m]; None or NaN when not known (no altitude term).
    years_represented : numeric
        Years of weather behind the series (1 for a single year).
    gradient_k_per_km, lapse_rate_sd_k_per_km, interannual_sd_k : numeric
        The three coefficients (``data/reference/climate_uncertainty.csv``).
    """
    dz = 0.0 if altitude_difference_m is None or not np.isfinite(altitude_difference_m) else altitude_difference_m
    var = (
        (gradient_k_per_km * distance_km) ** 2
        + (lapse_rate_sd_k_per_km * dz / 1000.0) ** 2
        + interannual_sd_k**2 / max(float(years_represented), 1.0)
    )
    return math.sqrt(var)


def offset_half_width_k(sigma_k):
    """Half-width [K] of the triangular range with standard deviation ``sigma_k``: sqrt(6) x sigma."""
    return TRIANGULAR_HALF_WIDTH_PER_SIGMA * sigma_k
