"""Moist air: saturation vapour pressure, relative humidity, wet-bulb temperature.

References
----------
.. [1] Alduchov, O. A., Eskridge, R. E., "Improved Magnus form approximation of
   saturation vapor pressure", J. Appl. Meteor. 35, 601-609 (1996),
   doi:10.1175/1520-0450(1996)035<0601:IMFAOS>2.0.CO;2.
.. [2] Stull, R., "Wet-bulb temperature from relative humidity and air
   temperature", J. Appl. Meteor. Climatol. 50, 2267-2269 (2011),
   doi:10.1175/JAMC-D-11-0143.1. Valid for RH 5-99 % and -20 to 50 °C,
   within about -1 to +0.65 K of a psychrometric calculation.
.. [3] ASHRAE Handbook - Fundamentals (2017), ch. 1 "Psychrometrics", eqs. 5-6
   (saturation pressure, Hyland and Wexler), 22 (humidity ratio), 33 and 35
   (wet-bulb); the same equations as PsychroLib (Meyer and Thevenard 2019,
   doi:10.21105/joss.01137), here over arrays.
"""

from __future__ import annotations

import numpy as np


def saturation_vapour_pressure_hpa(temp_c):
    """Saturation vapour pressure over water [hPa], Magnus form [1]_.

    Parameters
    ----------
    temp_c : numeric
        Air temperature [°C].
    """
    return 6.1094 * np.exp(17.625 * temp_c / (temp_c + 243.04))


def relative_humidity_from_dew_point(temp_c, dew_point_c):
    """Relative humidity [%] from temperature and dew point [°C], Magnus form [1]_."""
    rh = 100.0 * saturation_vapour_pressure_hpa(dew_point_c) / saturation_vapour_pressure_hpa(temp_c)
    return np.minimum(rh, 100.0)


def wet_bulb_stull(temp_c, relative_humidity):
    """Wet-bulb temperature [°C] from temperature [°C] and relative humidity [%], after [2]_.

    Parameters
    ----------
    temp_c : numeric
        Dry-bulb temperature [°C].
    relative_humidity : numeric
        Relative humidity [%], 0-100.

    Returns
    -------
    numeric
        Wet-bulb temperature [°C]. Stull's worked example: 20 °C and 50 % give 13.7 °C.
    """
    rh = relative_humidity
    return (
        temp_c * np.arctan(0.151977 * np.sqrt(rh + 8.313659))
        + np.arctan(temp_c + rh)
        - np.arctan(rh - 1.676331)
        + 0.00391838 * rh**1.5 * np.arctan(0.023101 * rh)
        - 4.686035
    )


#: Triple point of water [°C]: the ice and water formulas of [3]_ meet there.
TRIPLE_POINT_C = 0.01
_MIN_HUM_RATIO = 1e-7  # as PsychroLib: a humidity ratio is never taken below this


def saturation_vapour_pressure_pa(temp_c):
    """Saturation vapour pressure [Pa] over ice (below the triple point) or water [3]_.

    Parameters
    ----------
    temp_c : array-like
        Temperature [°C], -100 to 200.
    """
    t = np.asarray(temp_c, dtype=float) + 273.15
    ice = (
        -5.6745359e3 / t
        + 6.3925247
        - 9.677843e-3 * t
        + 6.2215701e-7 * t**2
        + 2.0747825e-9 * t**3
        - 9.484024e-13 * t**4
        + 4.1635019 * np.log(t)
    )
    water = (
        -5.8002206e3 / t
        + 1.3914993
        - 4.8640239e-2 * t
        + 4.1764768e-5 * t**2
        - 1.4452093e-8 * t**3
        + 6.5459673 * np.log(t)
    )
    return np.exp(np.where(np.asarray(temp_c) <= TRIPLE_POINT_C, ice, water))


def humidity_ratio(vapour_pressure_pa, pressure_pa):
    """Humidity ratio [kg water / kg dry air] from the vapour pressure [3]_ (eq. 22)."""
    w = 0.621945 * vapour_pressure_pa / (pressure_pa - vapour_pressure_pa)
    return np.maximum(w, _MIN_HUM_RATIO)


def wet_bulb_from_dew_point(temp_c, dew_point_c, pressure_pa, iterations=40):
    """Thermodynamic wet-bulb temperature [°C] from dry bulb, dew point and pressure [3]_.

    The psychrometric equation (eq. 33 above freezing, eq. 35 below) is solved
    by bisection between the dew point and the dry bulb, as PsychroLib does,
    for whole arrays at once.

    Parameters
    ----------
    temp_c, dew_point_c : array-like
        Dry-bulb temperature and dew point [°C]; a dew point above the dry bulb
        is taken as saturation.
    pressure_pa : array-like
        Atmospheric pressure [Pa].
    iterations : int
        Bisection steps: the bracket shrinks by 2**-iterations (40: far below 0.001 K).

    Returns
    -------
    numpy.ndarray
        Wet-bulb temperature [°C], between the dew point and the dry bulb.
    """
    t, td, p = np.broadcast_arrays(
        np.asarray(temp_c, float), np.asarray(dew_point_c, float), np.asarray(pressure_pa, float)
    )
    td = np.minimum(td, t)
    w = humidity_ratio(saturation_vapour_pressure_pa(td), p)
    lo, hi = td.copy(), t.copy()
    for _ in range(iterations):
        mid = (lo + hi) / 2
        ws = humidity_ratio(saturation_vapour_pressure_pa(mid), p)
        above = mid >= 0.0
        w_mid = np.where(
            above,
            ((2501.0 - 2.326 * mid) * ws - 1.006 * (t - mid)) / (2501.0 + 1.86 * t - 4.186 * mid),
            ((2830.0 - 0.24 * mid) * ws - 1.006 * (t - mid)) / (2830.0 + 1.86 * t - 2.1 * mid),
        )
        too_warm = np.maximum(w_mid, _MIN_HUM_RATIO) > w
        hi = np.where(too_warm, mid, hi)
        lo = np.where(too_warm, lo, mid)
    return (lo + hi) / 2


def dew_point_from_relative_humidity(temp_c, relative_humidity, iterations=40):
    """Dew point [°C] from dry bulb [°C] and relative humidity [%], inverting
    :func:`saturation_vapour_pressure_pa` by bisection [3]_.

    Parameters
    ----------
    temp_c : array-like
        Dry-bulb temperature [°C].
    relative_humidity : array-like
        Relative humidity [%], above 0 and at most 100.
    """
    t = np.asarray(temp_c, float)
    target = saturation_vapour_pressure_pa(t) * np.asarray(relative_humidity, float) / 100.0
    lo, hi = np.broadcast_arrays(np.full_like(target, -100.0), t)
    lo, hi = lo.copy(), hi.copy()
    for _ in range(iterations):
        mid = (lo + hi) / 2
        high = saturation_vapour_pressure_pa(mid) > target
        hi = np.where(high, mid, hi)
        lo = np.where(high, lo, mid)
    return (lo + hi) / 2


def relative_humidity_from_dew_point_ashrae(temp_c, dew_point_c):
    """Relative humidity [%] from dry bulb and dew point [°C], ASHRAE saturation pressure [3]_."""
    rh = 100.0 * saturation_vapour_pressure_pa(np.minimum(dew_point_c, temp_c)) / saturation_vapour_pressure_pa(temp_c)
    return np.minimum(rh, 100.0)
