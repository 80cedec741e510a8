"""The site's heating degree-days month by month, for the heat-reuse paragraph (docs/heatreuse.md).

Kept in ``Results.meta["heating_degree_days_by_month"]`` by :func:`impact.engine.estimate`, from
the hourly climate the estimate uses, whether or not the cooling model ran.
"""

from __future__ import annotations


def monthly_heating_degree_days(climate, country: str | None) -> list[float] | None:
    """12 monthly heating degree-days [K·d] of ``climate`` (an ``inp.climate``), or None without one.

    Days are the calendar days of the climate's local index (23 or 25 hours at a daylight-saving
    change); base and threshold are Eurostat's, read from data/reference/heating_degree_days.csv.
    """
    if climate is None or not country or getattr(climate, "frame", None) is None or "temp_air_c" not in climate.frame:
        return None
    from .model import heatreuse
    from .sources import reference as ref

    base_row = ref.lookup("heating_degree_days", country=country, quantity="hdd_base_c")
    threshold_row = ref.lookup("heating_degree_days", country=country, quantity="hdd_threshold_c")
    if base_row is None or threshold_row is None:  # no degree-day rule for this country
        return None
    base, threshold = base_row.known().central, threshold_row.known().central
    t = climate.frame["temp_air_c"]
    daily = t.groupby(t.index.date).mean()
    hdd = heatreuse.monthly_heating_degree_days(
        daily.to_numpy(dtype=float), [d.month for d in daily.index], base, threshold
    )
    return [float(x) for x in hdd]
