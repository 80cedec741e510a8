"""Monte Carlo over ranged inputs.

Each ranged input is drawn independently from a triangular distribution with mode
``central`` between ``low`` and ``high``; an indicator's low and high are the 5th
and 95th percentiles of its draws.

References
----------
.. [1] JCGM 101:2008, Evaluation of measurement data, Supplement 1: propagation
   of distributions using a Monte Carlo method (section 6.4.3, triangular).
"""

from __future__ import annotations

import numpy as np


def draw_triangular(low, central, high, n, rng):
    """``n`` draws of a triangular distribution; a point value gives a constant.

    Parameters
    ----------
    low, central, high : float
        Bounds and mode.
    n : int
        Number of draws.
    rng : numpy.random.Generator
        Seeded generator.

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)``.
    """
    if low == high:
        return np.full(n, float(central))
    return rng.triangular(low, central, high, size=n)


def percentiles(draws, q=(5.0, 95.0)):
    """Percentiles of ``draws`` along the first axis, ignoring NaN.

    Returns
    -------
    tuple of numeric
    """
    return tuple(np.nanpercentile(np.asarray(draws, dtype=float), q, axis=0))
