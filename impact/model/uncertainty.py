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


def percentiles_of_rows(draws, q=(5.0, 95.0)):
    """:func:`percentiles` of each row of ``draws``, at once: the same numbers, bit for bit.

    One sort of all the rows replaces a selection per row (issue 15: an estimate has some 70
    indicators of 2,000 draws). The order statistics and NumPy's linear interpolation
    (``method="linear"``) are taken as :func:`numpy.nanpercentile` takes them; a row holding a
    NaN or a negative zero (whose place among equal zeros a sort and a selection may not agree on)
    goes through :func:`percentiles` itself.

    Parameters
    ----------
    draws : array-like
        Shape ``(rows, n)``: each row one quantity's ``n`` draws.
    q : sequence of float
        Percentiles [%], within [0, 100].

    Returns
    -------
    numpy.ndarray
        Shape ``(rows, len(q))``.
    """
    a = np.asarray(draws, dtype=float)
    if a.ndim != 2:
        raise ValueError(f"draws must be 2-D (rows, draws), got shape {a.shape}")
    rows, n = a.shape
    out = np.empty((rows, len(q)))
    if rows == 0:
        return out
    odd = np.isnan(a).any(axis=1) | ((a == 0) & np.signbit(a)).any(axis=1)
    for i in np.flatnonzero(odd):
        out[i] = percentiles(a[i], q)
    even = np.flatnonzero(~odd)
    if len(even) == 0 or n == 0:
        out[even] = np.nan
        return out
    s = a[even]  # a copy (an index array): sorted in place
    s.sort(axis=1)
    # NumPy's "linear" method (numpy.lib._function_base_impl._quantile): virtual index (n - 1) q,
    # its floor and the next, the top one for an index at or above the last, gamma from the indices.
    virtual = (n - 1) * np.true_divide(np.asarray(q, dtype=float), 100.0)
    previous = np.floor(virtual)
    following = previous + 1
    above = virtual >= n - 1
    previous[above], following[above] = -1, -1
    below = virtual < 0
    previous[below], following[below] = 0, 0
    previous, following = previous.astype(np.intp), following.astype(np.intp)
    gamma = np.asarray(virtual - previous, dtype=virtual.dtype)
    lo, hi = s[:, previous], s[:, following]
    diff = hi - lo
    value = lo + diff * gamma
    np.subtract(hi, diff * (1 - gamma), out=value, where=np.broadcast_to(gamma >= 0.5, value.shape))
    out[even] = value
    return out
