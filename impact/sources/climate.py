"""The hourly climate of a project: the user's weather file, or a shipped series chosen for the site.

In this order:

1. ``climate.epw`` (an EnergyPlus weather file) or ``climate.pvgis`` (a PVGIS
   typical-year export, e.g. written by ``impact climate fetch``), relative to the
   project file: used as they are;
2. otherwise the hourly series shipped in ``data/france/climate`` (TMYx and
   PVGIS typical years, Open-Meteo 2022-2024, Météo-France SYNOP observations)
   whose expected error for the site is smallest
   (:func:`impact.model.climate.offset_sigma_k`: distance, altitude difference,
   years behind the series), within ``max_distance_km``; among series equally
   good to 0.1 K (the resolution of the data), observations before typical years
   before model data, then more years, then the nearer. The temperatures are
   moved to the site's altitude by the standard lapse rate when both altitudes
   are known;
3. otherwise none: the tool has no climate for the place, and says so.

:func:`project_climate` returns a :class:`Climate` (an hourly, tz-aware frame with
``temp_air_c``, ``relative_humidity``, ``temp_wet_bulb_c``, and where it comes
from, with the range of the climate offset) or a :class:`NoClimate` (why).
"""

from __future__ import annotations

import csv
import math
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from typing import Any

import numpy as np

from ..model import climate as mc
from ..model.geodesy import haversine_km
from ..paths import data_dir
from ..ranges import Range
from . import reference as ref

HOURS = 8760
TIMEZONE = "Europe/Paris"  # the shipped series cover metropolitan France
UTC_TO_LOCAL_H = 1  # the shipped series are in UTC; local standard time is UTC+1
#: Among series whose expected errors round to the same 0.1 K: this order.
KIND_RANK = {"observation": 0, "typical year": 1, "model": 2}


@dataclass(frozen=True)
class ClimateChoice:
    """Which series stands for the site's climate, and how far it may be from it."""

    station_id: str
    station: str
    kind: str  # "typical year", "model", "observation", or "weather file" / "PVGIS file"
    distance_km: float | None  # None: the position of the file or of the site is not known
    altitude_difference_m: float | None  # site - station; None when an altitude is not known
    site_altitude_m: float | None
    station_altitude_m: float | None
    year: int | None  # the calendar year used; None for a typical year
    period: str  # the years of weather behind the series, e.g. "2022-2024", "2004-2018"
    years_represented: int
    attribution: str
    licence: str
    correction_k: float  # shift of dry bulb and dew point to the site's altitude [K]
    sigma_k: float  # standard deviation of the climate offset [K]
    sigma_parts_k: tuple[float, float, float]  # distance, altitude, years [K]
    lat: float | None = None  # the series' position (WGS 84), when known
    lon: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "offset_half_width_k": round(self.offset_half_width_k, 2)}

    @property
    def offset_half_width_k(self) -> float:
        return mc.offset_half_width_k(self.sigma_k)


@dataclass(frozen=True)
class Climate:
    frame: Any  # pandas.DataFrame, 8760 rows
    source: str
    note: str
    kind: str  # "shipped series", "weather file" or "PVGIS file"
    choice: ClimateChoice | None = None

    @property
    def offset(self) -> Range:
        """The climate offset ``climate.offset_k`` [K]: low, 0, high."""
        w = self.choice.offset_half_width_k if self.choice is not None else 0.0
        return Range(-w, 0.0, w)


@dataclass(frozen=True)
class NoClimate:
    """No climate for the place: ``reason`` (English), and the catalogue key and arguments."""

    reason: str
    note_key: str
    note_args: tuple[tuple[str, Any], ...] = field(default_factory=tuple)


# ------------------------------------------------------------------------- shipped data


def _folder():
    return data_dir() / "france" / "climate"


@cache
def shipped_stations() -> tuple[dict[str, Any], ...]:
    """The rows of ``data/france/climate/stations.csv``, with numbers parsed."""
    with (_folder() / "stations.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        out.append(
            {
                **r,
                "lat": float(r["lat"]),
                "lon": float(r["lon"]),
                "altitude_m": float(r["altitude_m"]) if r["altitude_m"].strip() else None,
                "years_represented": int(r["years_represented"]),
                "central_year": None if r["central_year"] == "typical" else int(r["central_year"]),
            }
        )
    return tuple(out)


@cache
def _arrays() -> dict[str, np.ndarray]:
    with np.load(_folder() / "hourly.npz", allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def station_series(station_id: str, year: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Dry bulb and dew point [°C] of one shipped station-year (``None``: its typical year)."""
    a = _arrays()
    rows = np.flatnonzero((a["station_id"] == station_id) & (a["year"] == (year or 0)))
    if len(rows) != 1:
        raise KeyError(f"no shipped series for {station_id} {year or 'typical year'}")
    i = int(rows[0])
    return a["temp_air_dc"][i] / 10.0, a["temp_dew_dc"][i] / 10.0


def station_years(station_id: str) -> list[int | None]:
    """The years shipped for a station, in order (``[None]`` for a typical year); empty if not shipped."""
    a = _arrays()
    years = sorted(int(y) for y in a["year"][a["station_id"] == station_id])
    return [y or None for y in years]


def station_heating_degree_days(
    station_id: str, shift_k: float = 0.0, base_c: float = 18.0, threshold_c: float = 15.0
) -> float | None:
    """Mean heating degree-days of a shipped station over its years, on local hours [K·d/yr].

    ``shift_k``: added to every hour (the altitude correction and warming of the site's climate).
    None when the station is not shipped. Eurostat's rule (:func:`impact.model.heat.heating_degree_days`).
    """
    from ..model.heat import heating_degree_days

    years = station_years(station_id)
    if not years:
        return None
    total = 0.0
    for year in years:
        t, _ = station_series(station_id, year)
        total += heating_degree_days(np.roll(t, UTC_TO_LOCAL_H) + shift_k, base_c, threshold_c)
    return total / len(years)


def coefficient(quantity: str) -> ref.Sourced:
    found = ref.lookup("climate_uncertainty", quantity=quantity)
    if found is None:
        raise KeyError(f"climate_uncertainty.csv has no {quantity}")
    return found


def max_distance_km() -> float:
    return coefficient("max_distance_km").known().central


def _sigma(distance_km, altitude_difference_m, years_represented) -> tuple[float, tuple[float, float, float]]:
    g = coefficient("gradient_k_per_km").known().central
    s_l = coefficient("lapse_rate_sd_k_per_km").known().central
    s_y = coefficient("interannual_sd_k").known().central
    d = 0.0 if distance_km is None else distance_km
    dz = 0.0 if altitude_difference_m is None else abs(altitude_difference_m)
    parts = (g * d, s_l * dz / 1000.0, s_y / math.sqrt(max(years_represented, 1)))
    sigma = mc.offset_sigma_k(
        d, dz, years_represented, gradient_k_per_km=g, lapse_rate_sd_k_per_km=s_l, interannual_sd_k=s_y
    )
    return sigma, parts


def candidates(lat: float, lon: float, altitude_m: float | None = None) -> list[ClimateChoice]:
    """Every shipped station within the maximum distance, best first."""
    out = []
    limit = max_distance_km()
    lapse = coefficient("lapse_rate_k_per_km").known().central
    for s in shipped_stations():
        d = float(haversine_km(lat, lon, s["lat"], s["lon"]))
        if d > limit:
            continue
        z = s["altitude_m"]
        dz = None if altitude_m is None or z is None else altitude_m - z
        # The series' altitude unknown: no correction, and the whole site altitude counts as a
        # possible difference (as if the series were at sea level).
        dz_error = dz if dz is not None else (altitude_m if altitude_m is not None else None)
        sigma, parts = _sigma(d, dz_error, s["years_represented"])
        correction = float(mc.altitude_correction_k(altitude_m, z, lapse)) if dz is not None else 0.0
        out.append(
            ClimateChoice(
                s["id"],
                s["name"],
                s["kind"],
                round(d, 1),
                None if dz is None else round(dz, 0),
                altitude_m,
                z,
                s["central_year"],
                s["period"],
                s["years_represented"],
                s["attribution"],
                s["licence"],
                correction,
                sigma,
                parts,
                s["lat"],
                s["lon"],
            )
        )
    return sorted(
        out, key=lambda c: (round(c.sigma_k, 1), KIND_RANK[c.kind], -c.years_represented, c.distance_km, c.station_id)
    )


def nearest_station(lat: float, lon: float) -> tuple[str, float]:
    """Name and distance [km] of the nearest shipped station, whatever the distance."""
    best = min(shipped_stations(), key=lambda s: float(haversine_km(lat, lon, s["lat"], s["lon"])))
    return best["name"], float(haversine_km(lat, lon, best["lat"], best["lon"]))


@lru_cache(maxsize=32)
def _station_hours(
    station_id: str, year: int | None, correction_k: float, warming_c: float, pressure_pa: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from ..model.psychrometrics import relative_humidity_from_dew_point_ashrae, wet_bulb_from_dew_point

    t_raw, td_raw = station_series(station_id, year)
    # UTC hours to the hours of the local year (1 January 00:00 CET = 31 December 23:00 UTC: the year wraps).
    t_raw, td_raw = np.roll(t_raw, UTC_TO_LOCAL_H), np.roll(td_raw, UTC_TO_LOCAL_H)
    t = t_raw + (correction_k + warming_c)
    td = np.minimum(td_raw + (correction_k + warming_c), t)
    out = (t, relative_humidity_from_dew_point_ashrae(t, td), wet_bulb_from_dew_point(t, td, pressure_pa))
    for x in out:
        x.setflags(write=False)
    return out


@lru_cache(maxsize=32)
def local_year_index(year: int, timezone: str = TIMEZONE):
    """8,760 hourly time stamps from 1 January 00:00 of ``year`` in ``timezone`` (tz-aware).

    Once per process for each year (an index cannot be changed: the estimates share it).
    """
    import pandas as pd

    return pd.date_range(f"{year}-01-01 00:00", periods=HOURS, freq="h", tz=timezone)


def climate_from_choice(choice: ClimateChoice, year: int, warming_c: float = 0.0) -> Climate:
    """The hourly climate of a chosen shipped series, moved to the site's altitude."""
    import pandas as pd

    altitude = choice.site_altitude_m if choice.site_altitude_m is not None else choice.station_altitude_m
    pressure = float(mc.standard_pressure_pa(altitude if altitude is not None else 0.0))
    t, rh, twb = _station_hours(choice.station_id, choice.year, choice.correction_k, float(warming_c), pressure)
    frame = pd.DataFrame(
        {"temp_air_c": t, "relative_humidity": rh, "temp_wet_bulb_c": twb}, index=local_year_index(year)
    )
    return Climate(frame, choice.attribution, _choice_sentence(choice), "shipped series", choice)


def _choice_sentence(c: ClimateChoice) -> str:
    what = {
        "typical year": f"typical year built from {c.period}",
        "model": f"typical year built from {c.period}"
        if c.year is None
        else f"{c.year}, the median year of {c.period}",
        "observation": f"observations of {c.year}"
        if c.years_represented == 1
        else f"observations of {c.year}, the median year of {c.period}",
    }[c.kind]
    return f"{c.station} ({c.kind}): {what}, {c.distance_km:g} km from the site"


# ------------------------------------------------------------------------- user files


def _file_choice(
    project, attrs: dict, kind: str, name: str, period: str, years: int, attribution: str = ""
) -> ClimateChoice:
    """A user's file: used as it is (no correction); its offset from its position, if known."""
    loc = project.location
    lat, lon = attrs.get("latitude"), attrs.get("longitude")
    distance = None
    if loc is not None and lat is not None and lon is not None:
        distance = round(float(haversine_km(loc.lat, loc.lon, float(lat), float(lon))), 1)
    z = attrs.get("altitude", attrs.get("elevation"))
    z = None if z is None else float(z)
    site_z = getattr(loc, "altitude_m", None) if loc is not None else None
    dz = None if site_z is None or z is None else site_z - z
    sigma, parts = _sigma(distance, dz, years)
    return ClimateChoice(
        name,
        name,
        kind,
        distance,
        None if dz is None else round(dz, 0),
        site_z,
        z,
        None,
        period,
        years,
        attribution,
        "",
        0.0,
        sigma,
        parts,
        None if lat is None else float(lat),
        None if lon is None else float(lon),
    )


def climate_from_weather(
    weather, year: int, source: str, warming_c: float = 0.0, choice=None, field: str = "climate.epw"
) -> Climate:
    """An hourly year from a weather file's frame (:func:`impact.sources.read_epw`).

    The file's 8,760 hours are laid, in their order, on the hours of ``year``
    (a typical-year file mixes years; a leap day is dropped).
    """
    import pandas as pd

    from ..errors import InputError

    frame = weather
    if len(frame) == HOURS + 24:  # a leap year: drop 29 February
        frame = frame[~((frame.index.month == 2) & (frame.index.day == 29))]
    if len(frame) != HOURS:
        raise InputError(
            source, [(field, f"has {len(frame)} hours; the hourly cooling model needs a whole year ({HOURS} hours)")]
        )
    if frame[["temp_air_c", "temp_wet_bulb_c"]].isna().any().any():
        raise InputError(source, [(field, "has hours without dry-bulb temperature or humidity")])
    tz = frame.index.tz or "UTC"
    data = {
        "temp_air_c": frame["temp_air_c"].to_numpy() + warming_c,
        # A uniform warming at constant relative humidity moves the wet-bulb by about as much.
        "temp_wet_bulb_c": frame["temp_wet_bulb_c"].to_numpy() + warming_c,
        "relative_humidity": frame["relative_humidity"].to_numpy(),
    }
    index = pd.date_range(f"{year}-01-01 00:00", periods=HOURS, freq="h", tz=tz)
    meta = weather.attrs
    where = ", ".join(str(meta[k]) for k in ("city", "country") if meta.get(k) and meta.get(k) != "unknown")
    kind = choice.kind if choice is not None else "weather file"
    return Climate(
        pd.DataFrame(data, index=index),
        f"{kind} {source}" + (f" ({where})" if where else ""),
        f"hourly {kind}, used as it is",
        kind,
        choice,
    )


def _user_file(project, year: int, warming_c: float, data=None) -> Climate | None:
    from ..project_data import load_pvgis, load_weather, resolve_path
    from .pvgis import ATTRIBUTION as PVGIS_ATTRIBUTION

    c = project.climate
    if c is None or not (c.epw or c.pvgis):
        return None
    if c.epw:
        weather = load_weather(project, data)
        name = resolve_path(project, c.epw).name
        choice = _file_choice(project, weather.attrs, "weather file", name, "not stated", 1)
        return climate_from_weather(weather, year, name, warming_c, choice)
    weather = load_pvgis(project, data)
    name = resolve_path(project, c.pvgis).name
    years = [y for _, y in weather.attrs.get("months_selected", [])]
    period = f"{min(years)}-{max(years)}" if years else "not stated"
    n = max(years) - min(years) + 1 if years else 1
    choice = _file_choice(project, weather.attrs, "PVGIS file", name, period, n, PVGIS_ATTRIBUTION)
    climate = climate_from_weather(weather, year, name, warming_c, choice, field="climate.pvgis")
    return Climate(climate.frame, f"{name}: {PVGIS_ATTRIBUTION}", climate.note, "PVGIS file", choice)


def project_climate(project, year: int, warming_c: float = 0.0, data=None) -> Climate | NoClimate:
    """The climate of ``project``: its weather file, else the best shipped series, else why none.

    ``data``: the run's :class:`impact.project_data.DataFiles` (the weather file is parsed once per run).
    """
    own = _user_file(project, year, warming_c, data)
    if own is not None:
        return own
    loc = project.location
    if loc is None:
        return NoClimate(
            "the project has no location (lat, lon): the tool cannot choose a climate for it",
            "note.climate.no_location",
        )
    found = candidates(loc.lat, loc.lon, getattr(loc, "altitude_m", None))
    if found:
        return climate_from_choice(found[0], year, warming_c)
    name, d = nearest_station(loc.lat, loc.lon)
    limit = max_distance_km()
    return NoClimate(
        f"the tool has no climate for this place: no shipped hourly series within {limit:g} km "
        f"(the nearest, {name}, is {d:.0f} km away); get a typical year for this point with "
        f"`impact climate fetch --lat {loc.lat:g} --lon {loc.lon:g}`, or give climate.epw or climate.pvgis",
        "note.climate.none",
        (
            ("max_distance_km", limit),
            ("nearest_station", name),
            ("nearest_km", round(d)),
            ("lat", loc.lat),
            ("lon", loc.lon),
        ),
    )
