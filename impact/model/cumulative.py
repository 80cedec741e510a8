"""Cumulative effects of several data centres: sums of their estimates (docs/cumulative.md).

The sites of one territory share most of the assumptions their estimates rest on when the
promoters publish little (the utilisation, the PUE, the water use per kWh are the same sourced
defaults). Their totals are therefore summed as if their uncertainties moved together
(comonotonic sum): the draws of each site are sorted and added rank by rank (quantile by
quantile when the sites have fewer draws than the total), so that the 5th percentile of the
total is the sum of the sites' 5th percentiles, and likewise the 95th. This is
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
        One array of draws per site [any unit, the same for all], of any length (the sites may
        have been estimated with fewer draws than the total has), or a scalar for a value
        without uncertainty.
    draws : int
        The number of draws of the total.

    Returns
    -------
    numpy.ndarray
        ``draws`` values [the sites' unit], in increasing order: at rank k, the sum of each
        site's quantile at probability (k + 1/2) / ``draws`` (the empirical inverse CDF, so for
        a site with ``draws`` draws its k-th smallest draw). Zeros when ``samples`` is empty.

    Raises
    ------
    ValueError
        if an array is empty or ``draws`` is not positive.
    """
    if draws < 1:
        raise ValueError(f"draws must be positive, got {draws}")
    grid = (np.arange(draws) + 0.5) / draws
    total = np.zeros(draws, dtype=float)
    for s in samples:
        a = np.asarray(s, dtype=float)
        if a.ndim == 0:
            total += float(a)
            continue
        if a.size == 0:
            raise ValueError("a site has no draws")
        total += np.quantile(a.ravel(), grid, method="inverted_cdf")
    return total


def share_of(total: float, whole: float | None) -> float | None:
    """``total`` as a share of ``whole`` [-] (None when ``whole`` is unknown or not positive)."""
    if whole is None or not np.isfinite(whole) or whole <= 0:
        return None
    return total / whole
