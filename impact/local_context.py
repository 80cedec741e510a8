"""The site's territory in figures: the electricity of its commune, département, région and France.

Resolved into inputs of the estimate (records with value, unit, status, source and
note), from the shipped France-wide tables:

- the commune's annual electricity: a figure of an official source (quality
  ``primary``) for the city when ``data/reference/city_context.csv`` has one,
  otherwise an **estimate**: the
  commune's population x the residential and tertiary electricity per inhabitant
  of its département (Agence ORE); industry is left out, since it sits where the
  plants are, not where people live;
- the commune's peak demand: an official figure (quality ``primary``), else an
  **estimate** from its annual electricity, with France's ratio of peak to mean
  demand (RTE, the same year). A press quote (quality ``secondary``) never stands
  for the commune: the 600 MW once quoted for Marseille by a deputy mayor is kept
  in the table for the record only (docs/local-figures.md);
- the département's and the région's electricity delivered (Agence ORE, all
  sectors), France's gross consumption (RTE), and France's data centres (RTE).
"""

from __future__ import annotations

from typing import Any

from .ranges import Range
from .sources import reference as ref

#: Names of the records this module writes (the engine's share indicators use them).
KEYS = (
    "city.annual_electricity_mwh",
    "city.peak_demand_mw",
    "departement.annual_electricity_mwh",
    "region.annual_electricity_mwh",
    "france.annual_electricity_mwh",
    "france.datacentres_electricity_mwh",
)


def commune_electricity_estimate_mwh(
    population: float, dep_residential_mwh: float, dep_tertiary_mwh: float, dep_population: float
) -> float:
    """A commune's annual electricity from its département's, per inhabitant [MWh/yr].

    ``population x (residential + tertiary) / département population``: the
    residential and tertiary use per inhabitant of the département, applied to the
    commune's inhabitants.
    """
    return population * (dep_residential_mwh + dep_tertiary_mwh) / dep_population


def peak_from_annual_mw(annual_mwh: float, national_peak_mw: float, national_annual_mwh: float) -> float:
    """A peak demand from an annual consumption and a national load shape [MW].

    ``annual / 8760 h x (national peak / national mean demand)``: the mean demand
    scaled by France's ratio of peak to mean demand (load factor method).

    Parameters
    ----------
    annual_mwh : numeric
        The territory's annual electricity [MWh/yr].
    national_peak_mw : numeric
        The national annual maximum of the demand, same year [MW].
    national_annual_mwh : numeric
        The national annual consumption, same year and same basis as the peak [MWh/yr].

    Notes
    -----
    The national ratio includes industry, whose load is flatter than homes' and
    offices': for a commune whose estimate leaves industry out, it is a low-side
    ratio (:func:`peak_to_mean_without_flat_part` gives the bound with industry held flat).
    """
    return annual_mwh / 8760.0 * national_peak_mw / (national_annual_mwh / 8760.0)


def peak_to_mean_without_flat_part(
    national_peak_mw: float, national_annual_mwh: float, flat_annual_mwh: float
) -> float:
    """The ratio of peak to mean demand of what remains once a flat load is taken out [-].

    ``(peak - flat / 8760 h) / ((annual - flat) / 8760 h)``: if industry drew the same
    power every hour, the residential, tertiary and other load would have this ratio.
    An upper bound of the commune's ratio under that assumption, shown beside the estimate.

    Parameters
    ----------
    national_peak_mw : numeric
        The national annual maximum of the demand [MW].
    national_annual_mwh : numeric
        The national annual consumption [MWh/yr].
    flat_annual_mwh : numeric
        The annual energy of the part assumed flat (industry) [MWh/yr].
    """
    flat_mw = flat_annual_mwh / 8760.0
    return (national_peak_mw - flat_mw) / ((national_annual_mwh - flat_annual_mwh) / 8760.0)


def _sourced(source: str) -> str:
    return f"{source} [primary]"


def resolve_local_context(project, site, inp) -> None:
    """Write the records of :data:`KEYS` into ``inp`` (an ``impact.inputs._Inputs``)."""
    from .sources import france

    city = site.city_name
    country = project.country
    commune = site.commune
    dep = site.departement
    for key, quantity in (
        ("city.annual_electricity_mwh", "annual_electricity"),
        ("city.peak_demand_mw", "peak_electricity_demand"),
    ):
        if _assumed(inp, key, "MWh/yr" if quantity == "annual_electricity" else "MW"):
            continue
        found = ref.lookup("city_context", city=city, country=country, quantity=quantity) if city else None
        if found is not None and found.value is not None and found.quality == "primary":
            inp.resolve(key, None, "", found, project_source="")
            continue
        if key == "city.annual_electricity_mwh" and commune is not None and commune.population == 0:
            # A commune without inhabitants (the villages destroyed at Verdun): no figure to compare
            # with, and a share of zero would divide by zero.
            inp.put(
                key,
                None,
                "MWh/yr",
                "unknown",
                "the commune has no inhabitants",
                f"{commune.name} has no inhabitants: no electricity to compare the site's with",
                "note.local.city_no_inhabitants",
                source_key="source.local.city_no_inhabitants",
                city=commune.name,
            )
            continue
        if key == "city.annual_electricity_mwh" and commune is not None and dep is not None:
            e = france.electricity(commune.dep)
            if e is not None and dep.population:
                value = commune_electricity_estimate_mwh(
                    commune.population, e["residential_mwh"], e["tertiary_mwh"], dep.population
                )
                source = f"{_sourced(e['source'])}, {e['year']}; {_sourced(commune.source)}"
                note = (
                    f"estimate: {commune.population:,} inhabitants x the residential and tertiary electricity "
                    f"per inhabitant of {dep.name} ({e['year']}); industry left out"
                )
                inp.put(
                    key,
                    Range.point(value),
                    "MWh/yr",
                    "default",
                    source,
                    note,
                    "note.local.city_electricity_estimate",
                    commune=commune.name,
                    departement=dep.name,
                    population=commune.population,
                    year=e["year"],
                )
                continue
        if key == "city.peak_demand_mw" and _peak_estimate(inp, country):
            continue
        source, note, note_key = _why_unknown(site, quantity)
        inp.put(
            key,
            None,
            "MWh/yr" if quantity == "annual_electricity" else "MW",
            "unknown",
            source,
            note,
            note_key,
            source_key=note_key.replace("note.", "source.", 1),
            city=city or "-",
        )
    _territory_records(site, inp)
    _national_records(country, inp)


def _assumed(inp, key: str, unit: str) -> bool:
    """Record ``key`` from the project's ``assumptions`` (the user's own figure), if it is there."""
    if key not in inp.assumptions:
        return False
    inp.resolve(key, None, unit, None, project_source="")
    return True


def _peak_estimate(inp, country: str) -> bool:
    """Write ``city.peak_demand_mw`` from the commune's estimated annual electricity, if it can."""
    from .sources import france

    annual = inp.records.get("city.annual_electricity_mwh")
    peak = ref.lookup("national_context", country=country, quantity="national_peak_consumption_2021")
    national = france.national_consumption(2021) if country == "FR" else None
    if annual is None or annual.value is None or peak is None or peak.value is None or national is None:
        return False
    national_mean_mw = national["gross_gwh"] * 1000.0 / 8760.0
    ratio = peak.value.central / national_mean_mw
    mean_mw = annual.value.central / 8760.0
    value = peak_from_annual_mw(annual.value.central, peak.value.central, national["gross_gwh"] * 1000.0)
    # The bound if industry (left out of the commune's estimate) drew a flat load: shown, not drawn.
    industry = france.electricity_metropolitan(2021)
    ratio_high = (
        peak_to_mean_without_flat_part(peak.value.central, national["gross_gwh"] * 1000.0, industry["industry_mwh"])
        if industry is not None
        else ratio
    )
    inp.put(
        "city.peak_demand_mw",
        Range.point(value),
        "MW",
        "default",
        f"{annual.source}; {peak.citation}; {_sourced(national['source'])}, 2021",
        f"estimate: the commune's mean demand ({mean_mw:,.0f} MW = annual electricity / 8,760 h) x France's ratio "
        f"of peak to mean demand in 2021 ({ratio:.2f} = {peak.value.central:,.0f} MW / {national_mean_mw:,.0f} MW); "
        f"up to {mean_mw * ratio_high:,.0f} MW (ratio {ratio_high:.2f}) if industry, which the commune's estimate "
        "leaves out, drew a flat load",
        "note.local.city_peak_estimate",
        ratio=round(ratio, 2),
        mean_mw=round(mean_mw),
        national_peak_mw=round(peak.value.central),
        national_mean_mw=round(national_mean_mw),
        ratio_high=round(ratio_high, 2),
        high_mw=round(mean_mw * ratio_high),
    )
    return True


def _why_unknown(site, quantity: str) -> tuple[str, str, str]:
    """(source, note, note key) of an unknown city figure."""
    if quantity == "peak_electricity_demand":
        return (
            "no open figure of a commune's peak demand",
            "no sourced peak demand for this commune, and no sourced method to estimate one",
            "note.local.city_peak_unknown",
        )
    return (
        "the site could not be placed in a commune",
        f"the site could not be placed in a commune ({site.reason or 'unknown reason'})",
        "note.local.city_not_placed",
    )


def _territory_records(site, inp) -> None:
    from .sources import france

    for key, territory, record in (
        ("departement.annual_electricity_mwh", site.departement, lambda t: france.electricity(t.code)),
        ("region.annual_electricity_mwh", site.region, lambda t: france.electricity_region(t.code)),
    ):
        if _assumed(inp, key, "MWh/yr"):
            continue
        e = record(territory) if territory is not None else None
        if e is None:
            inp.put(
                key,
                None,
                "MWh/yr",
                "unknown",
                "the site could not be placed in a territory",
                "the site could not be placed in a territory",
                "note.local.territory_not_placed",
                source_key="source.local.territory_not_placed",
            )
            continue
        inp.put(
            key,
            Range.point(e["total_mwh"]),
            "MWh/yr",
            "default",
            f"{_sourced(e['source'])}, {e['year']}",
            f"electricity delivered in {territory.name} in {e['year']}, all sectors",
            "note.local.territory_electricity",
            territory=territory.name,
            year=e["year"],
        )


def _national_records(country: str, inp) -> None:
    from .sources import france

    keys = [
        k
        for k in ("france.annual_electricity_mwh", "france.datacentres_electricity_mwh")
        if not _assumed(inp, k, "MWh/yr")
    ]
    if country != "FR":
        for key in keys:
            inp.put(
                key,
                None,
                "MWh/yr",
                "unknown",
                "only France's figures are shipped",
                "only France's national figures are shipped",
                "note.local.not_france",
                source_key="source.local.not_france",
            )
        return
    n = france.national_consumption()
    if n is None:  # the shipped table always has its latest year; a rebuilt one might not
        raise RuntimeError("data/france/electricity_national.csv has no year: rebuild it")
    if "france.annual_electricity_mwh" in keys:
        inp.put(
            "france.annual_electricity_mwh",
            Range.point(n["gross_gwh"] * 1000.0),
            "MWh/yr",
            "default",
            f"{_sourced(n['source'])}, {n['year']}",
            f"France's gross electricity consumption in {n['year']} (network losses included)",
            "note.local.france_electricity",
            year=n["year"],
        )
    if "france.datacentres_electricity_mwh" not in keys:
        return
    dc: Any = ref.lookup("national_context", country=country, quantity="data_centres_consumption_today")
    if dc is None or dc.value is None or dc.unit != "TWh/yr":
        inp.put(
            "france.datacentres_electricity_mwh",
            None,
            "MWh/yr",
            "unknown",
            "no sourced figure",
            "no sourced figure of the data centres' consumption",
            "note.local.datacentres_unknown",
            source_key="source.local.datacentres_unknown",
        )
        return
    # The table gives TWh/yr.
    twh = dc.value.central
    inp.put(
        "france.datacentres_electricity_mwh",
        Range.point(twh * 1e6),
        "MWh/yr",
        "default",
        dc.citation,
        f"the electricity of France's data centres, {dc.year}",
        "note.local.datacentres",
        year=dc.year,
    )


def heating_per_home_for_site(inp, country: str) -> None:
    """Scale the national heating per home (``heating_per_home_mwh``) to the site's climate.

    ``national x site HDD / national HDD``: the site's heating degree-days from the hourly
    climate the estimate uses (``inp.climate``), France's from the same shipped series and the
    same rule (data/reference/heating_degree_days.csv). Left as it is when the user gave the
    figure, when it is unknown, or when there is no climate for the place (the note says the
    national figure stands).
    """
    rec = inp.records.get("heating_per_home_mwh")
    climate = inp.climate
    if rec is None or rec.status != "default" or not isinstance(rec.value, Range) or climate is None:
        return
    reference = ref.lookup("heating_degree_days", country=country, quantity="national_reference_hdd")
    base = ref.lookup("heating_degree_days", country=country, quantity="hdd_base_c")
    threshold = ref.lookup("heating_degree_days", country=country, quantity="hdd_threshold_c")
    if reference is None or reference.value is None or base is None or threshold is None:
        return
    site_hdd, years = _site_heating_degree_days(climate, base.known().central, threshold.known().central)
    ref_hdd = reference.value.central
    ratio = site_hdd / ref_hdd
    national = rec.value
    scaled = national.scale(ratio)
    choice = climate.choice
    where = choice.station if choice is not None else climate.note
    year = f" {years}" if years else ""
    inp.put(
        "heating_per_home_mwh",
        scaled,
        rec.unit,
        "default",
        f"{rec.source}; {reference.citation}; {base.citation}; site's climate: {climate.source}",
        f"scaled to the site's climate: {national.central:g} MWh/yr (France) x {site_hdd:,.0f} / {ref_hdd:,.0f} "
        f"heating degree-days (the site's climate series, {where}{year}, against France's, Eurostat's rule)",
        "note.local_figures.heating_per_home_climate",
        national_mwh=national.central,
        site_hdd=round(site_hdd),
        national_hdd=round(ref_hdd),
        ratio=round(ratio, 2),
        series=f"{where}{year}",
    )


def _site_heating_degree_days(climate, base_c: float, threshold_c: float) -> tuple[float, str]:
    """(heating degree-days [K·d/yr], the years behind them) of the site's climate.

    A shipped series: the mean over all its years (one year is weather, several are closer to the
    climate; France's reference is built the same way), moved like the modelled year (altitude
    correction, warming). A user's file: its own year.
    """
    import numpy as np

    from .model import heat
    from .sources import climate as sc

    frame_t = climate.frame["temp_air_c"].to_numpy()
    choice = climate.choice
    years = sc.station_years(choice.station_id) if choice is not None else []
    if not years:
        return heat.heating_degree_days(frame_t, base_c, threshold_c), ""
    # The modelled year is the station's year plus a constant shift (altitude, warming): the same
    # shift for the other years.
    t, _ = sc.station_series(choice.station_id, choice.year)
    shift = float(np.mean(frame_t - np.roll(t, sc.UTC_TO_LOCAL_H)))
    hdd = sc.station_heating_degree_days(choice.station_id, shift, base_c, threshold_c)
    if hdd is None:  # pragma: no cover - station_years said it is shipped
        return heat.heating_degree_days(frame_t, base_c, threshold_c), ""
    named = [y for y in years if y is not None]
    span = "" if not named else (str(named[0]) if len(named) == 1 else f"{named[0]}-{named[-1]}")
    return hdd, span
