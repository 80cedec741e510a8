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
