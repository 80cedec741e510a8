"""Temperature of river or sea water drawn for cooling, when the project gives none.

- River: the linear air-to-stream relation of Stefan and Preud'homme [1]_,
  ``Tw = 5.0 + 0.75 x Ta`` (the relation SWAT+ uses for well-mixed streams [2]_),
  applied to the 7-day mean air temperature of the site's climate (a river's
  thermal inertia delays and damps the air's swings; weekly means correlate best
  [3]_), never below 0 °C.
- Sea: an annual cosine between the mean surface temperature of the coldest and
  of the warmest month of the site's sea basin (Channel-North Sea, Atlantic-Bay
  of Biscay, Mediterranean), coldest on 1 March and warmest half a year later
  [4]_.

References
----------
.. [1] Stefan, H. G., Preud'homme, E. B., "Stream temperature estimation from air
   temperature", Journal of the American Water Resources Association (then Water
   Resources Bulletin) 29 (1) (1993); coefficients as given by [2]_.
.. [2] SWAT+ Theoretical Documentation, "Water temperature", eq. 1:1.3.13
   (swatplus.gitbook.io).
.. [3] Pilgrim, J. M., Fang, X., Stefan, H. G., "Correlations of Minnesota stream
   water temperatures with air temperatures", University of Minnesota, St. Anthony
   Falls Laboratory (1995), hdl:11299/109299: 43 streams; standard deviation of
   weekly estimates 2.6 °C.
.. [4] Ifremer, Envlit, regional "Hydrologie" pages (surface temperatures by
   coast, after SHOM and the studies cited there); Météo Bretagne (2022): the sea
   is coldest at the end of February - early March, warmest at the end of August.
"""

from __future__ import annotations

import numpy as np

#: Coefficients of [1]_: intercept [°C] and slope [-].
RIVER_INTERCEPT_C = 5.0
RIVER_SLOPE = 0.75
#: Day of the year of the coldest sea (1 March) [4]_.
SEA_COLDEST_DAY = 60.0
BASINS = ("channel_north_sea", "atlantic", "mediterranean")


def river_temperature_c(temp_air_c, hours_per_day=24, window_days=7, intercept_c=RIVER_INTERCEPT_C, slope=RIVER_SLOPE):
    """River water temperature per hour from the hourly air temperature [°C] [1]_.

    Parameters
    ----------
    temp_air_c : array, shape (hours,)
        Hourly air temperature of a whole year [°C] (8,760 values).
    window_days : int, default 7
        The air temperature is averaged over this many days, centred (the year wraps).

    Returns
    -------
    numpy.ndarray
        ``max(0, intercept + slope x 7-day mean air temperature)``, one value per hour.
    """
    t = np.asarray(temp_air_c, float)
    window = window_days * hours_per_day
    half = window // 2
    wrapped = np.concatenate([t[-half:], t, t[: window - half]])
    csum = np.concatenate([[0.0], np.cumsum(wrapped)])
    mean = (csum[window : window + len(t)] - csum[: len(t)]) / window
    return np.maximum(intercept_c + slope * mean, 0.0)


def sea_basin(lat, lon):
    """The French sea basin of a coastal point: ``channel_north_sea``, ``atlantic`` or ``mediterranean``.

    The Mediterranean coast (Pyrénées-Orientales to Alpes-Maritimes, and
    Corsica) lies south of 44.5 N and east of 2.5 E, where no Atlantic coast
    is; the Channel and North Sea coasts lie north of 48.5 N (the Brest
    roads, at 48.4 N, open on the Atlantic); the rest is the Atlantic.

    Parameters
    ----------
    lat, lon : float
        WGS 84 [degree].
    """
    if lat < 44.5 and lon > 2.5:
        return "mediterranean"
    if lat >= 48.5:
        return "channel_north_sea"
    return "atlantic"


def sea_temperature_c(day_of_year, coldest_month_c, warmest_month_c, coldest_day=SEA_COLDEST_DAY):
    """Sea surface temperature on a day of the year: a cosine between two monthly means [°C].

    Parameters
    ----------
    day_of_year : array of float
        Day of the year (1 January = 1; fractions for hours).
    coldest_month_c, warmest_month_c : float
        Mean temperature of the coldest and of the warmest month [°C].
    coldest_day : float, default 60 (1 March)
        Day of the coldest sea; the warmest comes half a year later.

    Returns
    -------
    numpy.ndarray
        ``mean - amplitude x cos(2 pi (day - coldest_day) / 365)``.
    """
    mean = (coldest_month_c + warmest_month_c) / 2.0
    amplitude = (warmest_month_c - coldest_month_c) / 2.0
    return mean - amplitude * np.cos(2.0 * np.pi * (np.asarray(day_of_year, float) - coldest_day) / 365.0)
