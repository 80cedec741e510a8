"""Distances on the Earth.

References
----------
.. [1] R. W. Sinnott, "Virtues of the Haversine", Sky and Telescope 68 (2), 159, 1984.
.. [2] IUGG mean Earth radius R1 = 6371.0088 km (H. Moritz, Geodetic Reference
   System 1980, Bulletin Géodésique 54, 395, 1980).
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance on a sphere of the mean Earth radius [1]_ [2]_.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : numeric
        Latitudes and longitudes [degree] (WGS 84).

    Returns
    -------
    numeric
        Distance [km]. Within 0.5 % of the ellipsoidal (geodesic) distance.
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
