"""The hourly climate of a project: a weather file, or the normals of a nearby city.

Returns a :class:`Climate` with an hourly, tz-aware frame (``temp_air_c``,
``relative_humidity``, ``temp_dew_point_c``, ``temp_wet_bulb_c``) and where it
comes from; ``None`` when nothing is known for the place (the estimate then says
so and the hourly cooling model does not run).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..model.climate import hourly_from_normals
from .reference import read_reference_table

#: Normals further than this from the site are not used [km].
MAX_DISTANCE_KM = 100.0
HOURS = 8760


@dataclass(frozen=True)
class Climate:
    frame: object  # pandas.DataFrame, 8760 rows
    source: str
    note: str
    kind: str  # "normals" or "weather file"


def _haversine_km(lat1, lon1, lat2, lon2):
    r = 6371.0088  # mean Earth radius [km], IUGG
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _places():
    places: dict[str, dict] = {}
    for row in read_reference_table("climate_places"):
        places.setdefault(row["city"], {"country": row["country"], "timezone": row["timezone"]})[row["quantity"]] = float(row["value"])
    return places


def nearest_normals_place(project) -> tuple[str | None, str]:
    """The city whose normals apply to ``project``, and why (or why none)."""
    places = _places()
    loc = project.location
    if loc is not None:
        best = min(places, key=lambda c: _haversine_km(loc.lat, loc.lon, places[c]["lat"], places[c]["lon"]), default=None)
        if best is not None:
            d = _haversine_km(loc.lat, loc.lon, places[best]["lat"], places[best]["lon"])
            if d <= MAX_DISTANCE_KM:
                return best, f"monthly normals of {best}, {d:.0f} km from the site"
        return None, f"no climate normals within {MAX_DISTANCE_KM:.0f} km of the site"
    city = (project.city or "").strip().lower()
    for name in places:
        if name.lower() == city:
            return name, f"monthly normals of {name} (the project has no location: matched by city name)"
    return None, "no climate normals for this place (and no weather file given)"


def hourly_index(year: int, timezone: str):
    """8,760 hourly timestamps from 1 January of ``year``, tz-aware."""
    import pandas as pd

    return pd.date_range(f"{year}-01-01 00:00", periods=HOURS, freq="h", tz=timezone)


def climate_from_normals(city: str, year: int, warming_c: float = 0.0) -> Climate:
    """An hourly year built from the monthly normals of ``city`` (see impact.model.climate)."""
    import pandas as pd

    rows = [r for r in read_reference_table("climate_normals") if r["city"] == city]
    tmin = [float(r["value"]) for r in sorted((r for r in rows if r["quantity"] == "tmin_mean"), key=lambda r: int(r["month"]))]
    tmax = [float(r["value"]) for r in sorted((r for r in rows if r["quantity"] == "tmax_mean"), key=lambda r: int(r["month"]))]
    tz = _places()[city]["timezone"]
    index = hourly_index(year, tz)
    # The ASHRAE profile is in local standard time: take January's UTC offset all year.
    std = index[0].utcoffset()
    lst = (index.tz_convert("UTC") + std).tz_localize(None)
    data = hourly_from_normals(np.add(tmin, warming_c), np.add(tmax, warming_c), lst.day_of_year.to_numpy(), lst.hour.to_numpy())
    first = rows[0]
    quality = first["quality"]
    source = f"{first['source']} ({first['year']}) [{quality}]; diurnal profile: ASHRAE Fundamentals ch. 14 Table 6; dew point = daily minimum (Kimball et al. 1997); wet-bulb: Stull 2011"
    note = first.get("note", "")
    return Climate(pd.DataFrame(data, index=index), source, note, "normals")


def climate_from_weather(weather, year: int, source: str, warming_c: float = 0.0) -> Climate:
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
        raise InputError(source, [("climate.epw", f"has {len(frame)} hours; the hourly cooling model needs a whole "
                                                  f"year ({HOURS} hours)")])
    if frame[["temp_air_c", "temp_wet_bulb_c"]].isna().any().any():
        raise InputError(source, [("climate.epw", "has hours without dry-bulb temperature or humidity")])
    tz = frame.index.tz or "UTC"
    data = {
        "temp_air_c": frame["temp_air_c"].to_numpy() + warming_c,
        # A uniform warming at constant relative humidity moves the wet-bulb by about as much.
        "temp_wet_bulb_c": frame["temp_wet_bulb_c"].to_numpy() + warming_c,
        "relative_humidity": frame["relative_humidity"].to_numpy(),
    }
    index = hourly_index(year, tz)
    meta = weather.attrs
    where = ", ".join(str(meta[k]) for k in ("city", "country") if meta.get(k))
    return Climate(pd.DataFrame(data, index=index), f"weather file {source}" + (f" ({where})" if where else ""),
                   "hourly weather file (EnergyPlus EPW)", "weather file")


def project_climate(project, year: int, warming_c: float = 0.0) -> tuple[Climate | None, str]:
    """The climate of ``project``: (Climate or None, sentence saying which)."""
    if project.climate is not None and project.climate.epw:
        from ..project_data import load_weather, resolve_path

        weather = load_weather(project)
        name = resolve_path(project, project.climate.epw).name
        return climate_from_weather(weather, year, name, warming_c), f"weather file {name}"
    city, why = nearest_normals_place(project)
    if city is None:
        return None, why
    return climate_from_normals(city, year, warming_c), why
