"""Annual grid carbon intensity from an hourly series, weighted by the load.

A data center draws power every hour: its location-based emissions are the sum
over the hours of load x intensity, so the relevant annual factor is the
load-weighted mean of the hourly intensity, not the plain mean. Exports of RTE's
éCO2mix often cover a few days or months only: the missing part of the year is
rebuilt from the mean intensity of each (month, hour of day) where that month
was observed, and from the mean of each hour of day over the observed months
otherwise. Every month counts with its number of days (non-leap year, 8760 h).
"""

from __future__ import annotations

from typing import NamedTuple

DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class AnnualIntensity(NamedTuple):
    """Result of :func:`annual_intensity`."""

    value_g_per_kwh: float
    description: str
    months_observed: tuple[int, ...]
    hours_observed: int


def _profile(series):
    """Means by (month, hour) and by hour of day of an hourly series (NaN dropped)."""
    s = series.dropna()
    by_mh = s.groupby([s.index.month, s.index.hour]).mean()
    by_h = s.groupby(s.index.hour).mean()
    return by_mh, by_h, float(s.mean())


def _cell(by_mh, by_h, overall, month: int, hour: int) -> float:
    if (month, hour) in by_mh.index:
        return float(by_mh.loc[(month, hour)])
    months = set(by_mh.index.get_level_values(0))
    if month not in months and hour in by_h.index:
        return float(by_h.loc[hour])
    # A month observed but not at this hour (a gap): the hour-of-day mean, else the mean.
    return float(by_h.loc[hour]) if hour in by_h.index else overall


def _hourly(series):
    s = series.dropna().astype(float)
    if s.empty:
        raise ValueError("the intensity series has no value")
    return s.resample("1h").mean().dropna()


def annual_intensity(intensity_g_per_kwh, load_mw=None) -> AnnualIntensity:
    """Load-weighted annual carbon intensity of a (possibly partial) hourly series.

    Parameters
    ----------
    intensity_g_per_kwh : pandas.Series
        Grid carbon intensity [g CO2/kWh], indexed by time stamps (any step:
        15-minute values are averaged to hours; local time for the hours of day).
    load_mw : pandas.Series or None
        The site's hourly electrical load [MW], same kind of index. ``None``:
        a constant load (the yearly energy spread evenly over 8760 h).

    Returns
    -------
    AnnualIntensity
        ``value_g_per_kwh`` [g CO2/kWh] = sum over a 8760-hour year of
        load x intensity / sum of load, each (month, hour of day) cell counted
        once per day of the month; ``description`` says which months were
        observed and how the others were filled.

    Raises
    ------
    ValueError
        if the series holds no value. A load that is zero every hour (no IT load) weighs
        every hour alike, as ``None`` does.
    """
    hourly = _hourly(intensity_g_per_kwh)
    by_mh, by_h, overall = _profile(hourly)
    if load_mw is not None and not (_hourly(load_mw) > 0).any():
        load_mw = None  # a site that draws nothing (no IT load): no weighting, its emissions are 0 anyway
    if load_mw is not None:
        load_hourly = _hourly(load_mw)
        l_mh, l_h, l_all = _profile(load_hourly)
    num = den = 0.0
    for m, days in enumerate(DAYS_IN_MONTH, start=1):
        for h in range(24):
            i = _cell(by_mh, by_h, overall, m, h)
            w = days * (_cell(l_mh, l_h, l_all, m, h) if load_mw is not None else 1.0)
            num += w * i
            den += w
    if den <= 0:
        raise ValueError("the load sums to zero: no weighting possible")
    value = num / den

    observed = tuple(sorted({int(m) for m in by_mh.index.get_level_values(0)}))
    start, end = hourly.index.min(), hourly.index.max()
    span = f"hourly intensity from {start:%Y-%m-%d} to {end:%Y-%m-%d} ({len(hourly)} h observed"
    if len(observed) == 12:
        how = "; all 12 months observed: each month's mean by hour of day, weighted by its days"
    else:
        missing = [MONTHS[m - 1] for m in range(1, 13) if m not in observed]
        how = (
            f", {len(observed)} of 12 months: {', '.join(MONTHS[m - 1] for m in observed)}); "
            f"the year is extended by month and hour of day: observed months keep their own "
            f"hour-of-day means, the {len(missing)} other months ({', '.join(missing)}) take the "
            f"hour-of-day means of the observed months (no seasonal change assumed)"
        )
    load = "weighted by a constant load" if load_mw is None else "weighted by the site's load by month and hour of day"
    return AnnualIntensity(value, f"{span}{how}; {load}", observed, len(hourly))
