"""An hourly year from monthly climate normals.

Daily minimum and maximum temperatures are interpolated linearly between the
middles of the months (the year wraps around); each day follows the ASHRAE
diurnal profile [1]_; the dew point is taken as the day's minimum temperature
[2]_, which gives the relative humidity and the wet-bulb temperature.

Monthly normals carry no weather: no heat wave, no cold spell. A real weather file
(EPW) gives a truer spread of hot hours.

References
----------
.. [1] ASHRAE Handbook - Fundamentals (2009, 2021), ch. 14 "Climatic design
   information", Table 6 "Fraction of daily temperature range".
.. [2] Kimball, J. S., Running, S. W., Nemani, R., "An improved method for
   estimating surface humidity from daily minimum temperature", Agricultural and
   Forest Meteorology 85, 87-98 (1997), doi:10.1016/S0168-1923(96)02366-0.
"""

from __future__ import annotations

import numpy as np

from .psychrometrics import relative_humidity_from_dew_point, wet_bulb_stull

#: ASHRAE Fundamentals ch. 14 Table 6: fraction of the daily range below the
#: maximum, for hours 1 to 24 (local standard time; hour 24 is midnight).
ASHRAE_DAILY_RANGE_FRACTION = np.array([
    0.88, 0.92, 0.95, 0.98, 1.00, 0.98, 0.91, 0.74, 0.55, 0.38, 0.23, 0.13,
    0.05, 0.00, 0.00, 0.06, 0.14, 0.24, 0.39, 0.50, 0.59, 0.68, 0.75, 0.82,
])

_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def diurnal_temperature(tmin_c, tmax_c, hour):
    """Temperature at a given hour of a day with minimum ``tmin_c`` and maximum ``tmax_c``.

    Parameters
    ----------
    tmin_c, tmax_c : numeric
        Daily minimum and maximum [°C].
    hour : int or array of int
        Hour of the day, 0-23 (0 is midnight, ASHRAE's hour 24).

    Returns
    -------
    numeric
        Temperature [°C] = tmax - fraction(hour) x (tmax - tmin) [1]_.
    """
    fraction = ASHRAE_DAILY_RANGE_FRACTION[(np.asarray(hour) - 1) % 24]
    return tmax_c - fraction * (tmax_c - tmin_c)


def daily_from_monthly(monthly, day_of_year):
    """Daily values interpolated linearly between mid-month values (periodic).

    Parameters
    ----------
    monthly : array-like of 12
        Values for January to December, taken at the middle of each month.
    day_of_year : array of int
        Day of the year, 1-366.

    Returns
    -------
    numpy.ndarray
    """
    monthly = np.asarray(monthly, dtype=float)
    mids = np.cumsum(_MONTH_DAYS) - _MONTH_DAYS / 2.0  # day of year of each month's middle
    x = np.concatenate([[mids[-1] - 365.0], mids, [mids[0] + 365.0]])
    y = np.concatenate([[monthly[-1]], monthly, [monthly[0]]])
    return np.interp(np.asarray(day_of_year, dtype=float) - 0.5, x, y)


def hourly_from_normals(tmin_monthly_c, tmax_monthly_c, day_of_year, hour):
    """Hourly dry-bulb, dew point, relative humidity and wet-bulb from monthly normals.

    Parameters
    ----------
    tmin_monthly_c, tmax_monthly_c : array-like of 12
        Mean daily minimum and maximum of each month [°C].
    day_of_year, hour : array of int
        For each hour of the year: day of the year (1-366) and local hour (0-23).

    Returns
    -------
    dict of numpy.ndarray
        ``temp_air_c``, ``temp_dew_point_c``, ``relative_humidity`` [%], ``temp_wet_bulb_c``.
    """
    tmin = daily_from_monthly(tmin_monthly_c, day_of_year)
    tmax = daily_from_monthly(tmax_monthly_c, day_of_year)
    temp = diurnal_temperature(tmin, tmax, hour)
    dew = np.minimum(tmin, temp)
    rh = relative_humidity_from_dew_point(temp, dew)
    return {
        "temp_air_c": temp,
        "temp_dew_point_c": dew,
        "relative_humidity": rh,
        # Stull's fit can exceed the dry-bulb by a few tenths near saturation.
        "temp_wet_bulb_c": np.minimum(wet_bulb_stull(temp, rh), temp),
    }
