"""Heat reuse (issue 13, item 5): the inputs, the indicators, the networks near the site, the claims.

- Inputs (:func:`resolve_heat_reuse`, one line of :func:`impact.inputs.resolve_inputs`):
  ``heat_reuse.network_base_share`` (the share of a heat network's sales that does not follow the
  weather, an assumption of data/reference/heat_reuse.csv, drawn in Monte Carlo after every other
  input) and ``heat_reuse.peak_month_hdd_share`` (the coldest month's share of the site's yearly
  heating degree-days, from the estimate's climate).
- Indicators (:func:`run_heat_reuse`, one line of :func:`impact.engine._run`):
  ``heat_reuse_seasonal_share_max``, ``heat_reuse_seasonal_max_mwh``, ``erf_seasonal_max``.
- The heat networks of the official list near the site, by distance (:func:`nearby_networks`).
- Claims (:func:`bound_check`, :func:`declared_share_checks`, from :func:`impact.claims.check_claims`):
  a reuse figure above the seasonal bound is optimistic.

See docs/heatreuse.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BASE_SHARE = "heat_reuse.network_base_share"
PEAK_SHARE = "heat_reuse.peak_month_hdd_share"
#: The three indicators (data/schema/indicators.csv).
SHARE_MAX, MWH_MAX, ERF_MAX = "heat_reuse_seasonal_share_max", "heat_reuse_seasonal_max_mwh", "erf_seasonal_max"
#: A claim on the heat reused or the ERF is checked against the seasonal bound of the same quantity.
BOUND_OF = {"heat_reused_mwh": MWH_MAX, "energy_reuse_factor": ERF_MAX}
#: Networks listed: all those whose commune's point lies within RADIUS_KM of the site, and the
#: NEAREST_BEYOND nearest beyond it.
RADIUS_KM = 10.0
NEAREST_BEYOND = 3


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
    days = _local_days(t.index)
    # Grouped by a number per calendar day (yyyymmdd), in the order of the days: the same groups,
    # and pandas' same mean, as by ``index.date``, without 8,760 date objects (issue 15).
    daily = t.groupby(days).mean()
    months = daily.index.to_numpy() // 100 % 100
    hdd = heatreuse.monthly_heating_degree_days(daily.to_numpy(dtype=float), months, base, threshold)
    return [float(x) for x in hdd]


#: Indexes whose calendar days :func:`_local_days` keeps (a climate's index is one of a few years).
_DAYS_CACHE_SIZE = 32
_days_cache: dict[tuple, Any] = {}


def _local_days(index):
    """The calendar day of each time stamp of ``index``, in its own time zone, as yyyymmdd [-].

    An index with a frequency is known by its first stamp, length, frequency and time zone: its
    days are computed once per process for each (a few climates' years), read-only.
    """
    import numpy as np

    key = None
    if getattr(index, "freq", None) is not None and len(index):
        key = (index[0], len(index), index.freqstr, str(index.tz))
        if key in _days_cache:
            return _days_cache[key]
    days = (np.asarray(index.year) * 10000 + np.asarray(index.month) * 100 + np.asarray(index.day)).astype(np.int64)
    days.setflags(write=False)
    if key is not None:
        if len(_days_cache) >= _DAYS_CACHE_SIZE:
            _days_cache.pop(next(iter(_days_cache)))  # the oldest first
        _days_cache[key] = days
    return days


def meta(climate, country: str | None, records, hdd: Any = ...) -> dict[str, Any]:
    """``Results.meta`` entries: the monthly degree-days and, at the central base share, the share of
    each month's heat a network sized for its busiest month takes (the dossier's table).

    ``hdd``: the monthly degree-days of ``climate`` already computed (:func:`resolve_heat_reuse`
    keeps them on the inputs); computed here when not given.
    """
    from .model import heatreuse

    hdd = monthly_heating_degree_days(climate, country) if hdd is ... else None if hdd is None else list(hdd)
    rec = records.get(BASE_SHARE)
    monthly = None
    if hdd is not None and sum(hdd) > 0 and rec is not None and rec.status != "unknown":
        w = heatreuse.monthly_demand_weights(hdd, rec.value.central)
        monthly = [float(x) for x in w / w.max()]
    return {"heating_degree_days_by_month": hdd, "heat_reuse_monthly_share": monthly}


# ----------------------------------------------------------------------------- inputs
def resolve_heat_reuse(p, inp) -> None:
    """Record the network's weather-independent share (default, or ``assumptions``) and the coldest
    month's share of the site's heating degree-days (unknown without a climate)."""
    from .model import heatreuse
    from .ranges import Range
    from .sources import reference as ref

    inp.resolve(BASE_SHARE, None, "-", ref.require("heat_reuse", quantity="network_base_share"), project_source="")
    hdd = monthly_heating_degree_days(inp.climate, p.country)
    inp.heating_degree_days_by_month = hdd
    if hdd is None or sum(hdd) <= 0:
        inp.put(
            PEAK_SHARE,
            None,
            "-",
            "unknown",
            "no hourly climate for this place, or no degree-day rule for its country",
            "no monthly heating degree-days: the seasonal bound of heat reuse is unknown",
            "note.heat_reuse.no_degree_days",
            source_key="source.heat_reuse.no_degree_days",
        )
        return
    base = ref.require("heating_degree_days", country=p.country, quantity="hdd_base_c")
    peak = heatreuse.peak_month_share(hdd)
    inp.put(
        PEAK_SHARE,
        Range.point(peak),
        "-",
        "derived",
        f"{base.citation}; site's climate: {inp.climate.source}",
        f"coldest month {max(hdd):,.0f} of the year's {sum(hdd):,.0f} heating degree-days of the site's "
        "climate (Eurostat's rule)",
        "note.heat_reuse.peak_month",
        month_hdd=round(max(hdd)),
        year_hdd=round(sum(hdd)),
    )


# ----------------------------------------------------------------------------- indicators
#: The engine's method texts (their words are in the catalogue, ``method.<indicator>``).
METHODS = {
    SHARE_MAX: "1 / (base share + 12 x (1 - base share) x coldest month's share of the degree-days): "
    "a network sized for its busiest month, sales by degree-days plus an even base",
    MWH_MAX: "facility energy x the seasonal share bound (all the site's electricity ends as heat)",
    ERF_MAX: "heat a seasonal network can take at most / facility energy (EN 50600-4-6), before any "
    "heat-pump electricity",
}


def run_heat_reuse(v: dict[str, Any], put: Callable) -> None:
    """The seasonal bound of heat reuse, its MWh and the ERF it gives (``put`` is the engine's)."""
    from .model import heatreuse

    deps = (PEAK_SHARE, BASE_SHARE)
    put(SHARE_MAX, deps, heatreuse.seasonal_share_from_peak, METHODS[SHARE_MAX])
    put(
        MWH_MAX,
        ("facility_energy_mwh",) + deps,
        lambda e, p, b: e * heatreuse.seasonal_share_from_peak(p, b),
        METHODS[MWH_MAX],
    )
    put(
        ERF_MAX,
        ("facility_energy_mwh",) + deps,
        # (EDC x share) / EDC: the share, defined also at zero load, with the shape of the draws
        lambda e, p, b: heatreuse.seasonal_share_from_peak(p, b) + 0.0 * e,
        METHODS[ERF_MAX],
    )


# ----------------------------------------------------------------------------- networks
def site_point(r) -> tuple[float, float, str] | None:
    """(lat, lon, basis) of the site: its coordinates (``location``) or, placed by its city's name,
    the point of its commune (``commune``); None when it is not placed."""
    loc = getattr(getattr(r, "project", None), "location", None)
    if loc is not None:
        return float(loc.lat), float(loc.lon), "location"
    c = getattr(getattr(r, "site", None), "commune", None)
    if c is not None and c.lat is not None and c.lon is not None:
        return float(c.lat), float(c.lon), "commune"
    return None


def nearby_networks(r, radius_km: float = RADIUS_KM, beyond: int = NEAREST_BEYOND) -> dict[str, Any] | None:
    """The heat networks of the official list near the site, nearest first; None when not placed.

    Each network's distance is the great-circle distance between the site and the point of the
    network's main commune (data/france/communes.csv), not its nearest pipe (the list has no
    geometry). Those of the site's own commune come first (distance 0, ``same_commune``).

    Returns
    -------
    dict
        ``near``: the heat networks within ``radius_km`` and the ``beyond`` nearest outside it,
        each a network dict of :func:`impact.sources.france.heat_networks` with ``distance_km``
        and ``same_commune``; ``within``: how many lie within ``radius_km``, ``beyond``: how many
        of ``near`` lie outside; ``unplaced``: the
        heat networks of the site's département whose commune the list does not name;
        ``cooling_within``: the cooling networks within ``radius_km`` (they supply cold: they
        cannot take heat); ``radius_km``; ``basis`` (``location`` or ``commune``).
    """
    from .model.geodesy import haversine_km
    from .sources import france

    site = getattr(r, "site", None)
    c = getattr(site, "commune", None)
    point = site_point(r)
    if c is None or point is None:
        return None
    lat, lon, basis = point
    own = c.parent or c.code
    placed, unplaced, cooling = [], [], 0
    for n in france.heat_networks():
        commune = france.commune(n["commune"]) if n["commune"] else None
        if commune is None or commune.lat is None or commune.lon is None:
            if n["kind"] == "heat" and n["dep"] == c.dep:
                unplaced.append(n)
            continue
        same = n["commune"] == own
        d = 0.0 if same else float(haversine_km(lat, lon, commune.lat, commune.lon))
        if n["kind"] != "heat":
            cooling += d <= radius_km
            continue
        placed.append({**n, "distance_km": d, "same_commune": same})
    placed.sort(key=lambda n: (not n["same_commune"], n["distance_km"], n["id"]))
    within = [n for n in placed if n["distance_km"] <= radius_km]
    outside = [n for n in placed if n["distance_km"] > radius_km][:beyond]
    return {
        "near": within + outside,
        "within": len(within),
        "beyond": len(outside),
        "unplaced": unplaced,
        "cooling_within": int(cooling),
        "radius_km": radius_km,
        "basis": basis,
    }


# ----------------------------------------------------------------------------- claims
def _above_bound(indicator: str, compared_with: str, value: float, source: str, note, results):
    """A ClaimCheck ``optimistic`` / ``above_seasonal_bound`` when ``value`` is above the high end of
    the seasonal bound ``compared_with``; None when within it or when the bound is unknown."""
    from .claims import ClaimCheck

    ind = results.indicators.get(compared_with)
    if ind is None or not ind.known:
        return None
    slack = 0.005 * max(abs(ind.high), 1e-12)  # rounding of the claimed figure, as impact.claims
    if value <= ind.high + slack:
        return None
    return ClaimCheck(
        indicator,
        compared_with,
        value,
        source,
        note,
        ind.low,
        ind.central,
        ind.high,
        "optimistic",
        "above_seasonal_bound",
    )


def bound_check(claim, results):
    """A claim of heat reused or ERF above what a seasonal network can take (optimistic), else None:
    within the bound the claim stays a declaration to be backed by the contract
    (``declaration_only``, impact.claims)."""
    target = BOUND_OF.get(claim.indicator)
    if target is None:
        return None
    check = _above_bound(claim.indicator, target, claim.value_in_indicator_unit, claim.source, claim.note, results)
    if check is not None and claim.unit is not None:
        from dataclasses import replace

        check = replace(check, claimed_as_written=claim.value, unit_as_written=claim.unit)
    return check


def declared_share_checks(results) -> list:
    """The project's declared ``heat_reuse_share``, as a claim of ERF, when it is above the seasonal bound."""
    rec = results.inputs.get("heat_reuse_share")
    if rec is None or rec.status != "given" or rec.value is None or not hasattr(rec.value, "central"):
        return []
    check = _above_bound("energy_reuse_factor", ERF_MAX, float(rec.value.central), rec.source, None, results)
    return [check] if check is not None else []
