"""Cumulative effects of several data centres: sums of their estimates (docs/cumulative.md).

The sites of one territory share most of the assumptions their estimates rest on when the
promoters publish little (the utilisation, the PUE, the water use per kWh are the same sourced
defaults). Their totals are therefore summed as if their uncertainties moved together
(comonotonic sum): the draws of each site are sorted and added rank by rank, so that the 5th
percentile of the total is the sum of the sites' 5th percentiles, and likewise the 95th. This is
the widest range the sites' own ranges allow (independent uncertainties would partly cancel and
give a narrower one); the central value is the sum of the central values either way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def comonotonic_sum(samples: Sequence, draws: int) -> np.ndarray:
    """Total of several sites' draws as if their uncertainties moved together.

    Parameters
    ----------
    samples : sequence of array_like
        One array of ``draws`` values per site [any unit, the same for all], or a scalar for a
        value without uncertainty.
    draws : int
        The number of draws of each site.

    Returns
    -------
    numpy.ndarray
        ``draws`` values [the sites' unit]: the sum, rank by rank, of each site's sorted draws
        (zeros when ``samples`` is empty).

    Raises
    ------
    ValueError
        if an array does not hold ``draws`` values.
    """
    total = np.zeros(draws, dtype=float)
    for s in samples:
        a = np.asarray(s, dtype=float)
        if a.ndim == 0:
            total += float(a)
            continue
        if a.shape != (draws,):
            raise ValueError(f"expected {draws} draws, got an array of shape {a.shape}")
        total += np.sort(a)
    return total


def share_of(total: float, whole: float | None) -> float | None:
    """``total`` as a share of ``whole`` [-] (None when ``whole`` is unknown or not positive)."""
    if whole is None or not np.isfinite(whole) or whole <= 0:
        return None
    return total / whole
