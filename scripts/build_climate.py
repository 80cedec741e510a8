#!/usr/bin/env python
"""Build the shipped hourly climates, ``data/france/climate/``, from ``../shared/data/climate``.

What this script does, and nothing else:

1. reads, with their formats' own readers, the real hourly series staged in
   ``../shared/data/climate`` (see its PROVENANCE files): the TMYx typical years
   (EPW, ``pvlib.iotools.read_epw``), the PVGIS-ERA5 typical year (PVGIS CSV,
   ``pvlib.iotools.read_pvgis_tmy``), the Open-Meteo hourly series of 10 cities
   (full years 2022-2024) and the Météo-France SYNOP 3-hourly observations;
2. turns the SYNOP observations into hourly values: linear in time between
   observations at most 12 h apart (T and dew point), longer gaps filled with the
   mean diurnal course of the 7 days on each side; a station-year is kept only
   when each of its months passes the WMO "3/5" rule (a day is missing when fewer
   than 4 of its 8 observations are valid), otherwise it is left out and listed
   in PROVENANCE.md;
3. lays every series on 8,760 UTC hours from 1 January 00:00 (29 February
   dropped) and stores dry bulb and dew point as int16 tenths of °C in
   ``hourly.npz`` (read with ``numpy.load(..., allow_pickle=False)``), one row
   per station-year; ``stations.csv`` lists the stations;
4. derives, from these stations only, the coefficients of the climate offset's
   range (``data/reference/climate_uncertainty.csv``): the spatial gradient of
   the annual mean temperature, the error of the standard lapse rate, the
   inter-annual spread; and the coverage of metropolitan France that the
   maximum distance gives (``../shared/data/communes``);
5. writes ``PROVENANCE.md`` with the table of stations, the attributions and
   what was left out.

The same inputs give the same bytes. Run from the repository root:
``python scripts/build_climate.py [--shared ../shared/data]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the model functions of the checkout beside this script

from impact.model import climate as mc  # noqa: E402
from impact.model.geodesy import haversine_km  # noqa: E402
from impact.model.psychrometrics import dew_point_from_relative_humidity  # noqa: E402

OUT = ROOT / "data" / "france" / "climate"
REFERENCE = ROOT / "data" / "reference" / "climate_uncertainty.csv"
HOURS = 8760
#: Observations further apart than this are not joined by a line [h].
MAX_LINEAR_GAP_H = 12.0
#: A day is missing (WMO rule) when fewer of its 3-hourly observations are valid.
MIN_OBS_PER_DAY = 4
#: Beyond this distance no shipped series stands for the site [km] (see the coverage in PROVENANCE.md).
MAX_DISTANCE_KM = 150.0
#: Pairs of stations used for the spatial gradient: at most this far apart [km] ...
GRADIENT_PAIR_MAX_KM = 400.0
#: ... and less than this altitude difference apart [m] (larger ones measure the lapse rate).
GRADIENT_PAIR_MAX_DZ_M = 300.0
#: Pairs used for the error of the lapse rate: closer than this [km], higher apart than that [m].
LAPSE_PAIR_MAX_KM = 100.0
LAPSE_PAIR_MIN_DZ_M = 150.0
DATA_YEAR = "2024"  # the latest year of weather behind the derived coefficients

TMYX_ATTRIBUTION = (
    "Climate.OneBuilding.Org, TMYx (NOAA ISD; ERA5: contains modified Copernicus Climate Change Service information)"
)
TMYX_LICENCE = "free to use and redistribute with attribution (climate.onebuilding.org)"
PVGIS_ATTRIBUTION = (
    "PVGIS © European Union, 2001-2022 (ERA5: contains modified Copernicus Climate Change Service information)"
)
PVGIS_LICENCE = "reuse authorised with acknowledgement of the source (Decision 2011/833/EU)"
OM_ATTRIBUTION = "Weather data by Open-Meteo.com (CC BY 4.0)"
OM_LICENCE = "CC BY 4.0"
SYNOP_ATTRIBUTION = "Source : Météo-France (données SYNOP essentielles OMM), Licence Ouverte v2.0"
SYNOP_LICENCE = "Licence Ouverte v2.0 (Etalab)"


@dataclass
class Series:
    year: int  # 0: a typical year
    temp_air_c: np.ndarray
    temp_dew_c: np.ndarray
    interpolated_h: int = 0  # hours between observations (linear)
    filled_h: int = 0  # hours in long gaps (mean diurnal course)


@dataclass
class Station:
    id: str
    name: str
    kind: str  # "typical year" | "model" | "observation"
    lat: float
    lon: float
    altitude_m: float | None
    altitude_source: str
    period: str
    years_represented: int
    licence: str
    attribution: str
    source: str
    series: list[Series] = field(default_factory=list)
    central_year: int = 0

    @property
    def group(self) -> str:
        """Which stations describe the same period of weather (for pairwise comparisons)."""
        return "recent" if self.kind != "typical year" and self.id.startswith(("om_", "synop_07690")) else "long"


# ------------------------------------------------------------------------- readers


def _typical_year(temp_air_c, temp_dew_c) -> Series:
    t, td = np.asarray(temp_air_c, float), np.asarray(temp_dew_c, float)
    if len(t) != HOURS or not (np.isfinite(t).all() and np.isfinite(td).all()):
        raise ValueError(f"a typical year must have {HOURS} complete hours, got {len(t)}")
    return Series(0, t, td)


def read_tmyx(path: Path) -> tuple[Series, dict]:
    """EPW records in file order: hour h of local standard time (UTC+1) holds the
    observation at its end, h:00 LST = (h - 1):00 UTC, so record 1 is 00:00 UTC."""
    from pvlib.iotools import read_epw

    data, meta = read_epw(path)
    return _typical_year(data["temp_air"].to_numpy(), data["temp_dew"].to_numpy()), meta


def read_pvgis(path: Path) -> tuple[Series, dict]:
    """The PVGIS CSV export: UTC hours; dew point from T and RH (ASHRAE saturation pressure)."""
    from pvlib.iotools import read_pvgis_tmy

    data, meta = read_pvgis_tmy(path, map_variables=True)[:2]
    t = data["temp_air"].to_numpy(float)
    rh = np.clip(data["relative_humidity"].to_numpy(float), 1.0, 100.0)
    return _typical_year(t, dew_point_from_relative_humidity(t, rh)), meta


def _utc_hours(year: int):
    import pandas as pd

    index = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", tz="UTC", inclusive="left")
    keep = ~((index.month == 2) & (index.day == 29))
    return index, keep


def read_openmeteo(path: Path, years=(2022, 2023, 2024)) -> list[Series]:
    import pandas as pd

    df = pd.read_csv(path)
    time = pd.to_datetime(df["time_utc"], utc=True)
    out = []
    for year in years:
        index, keep = _utc_hours(year)
        rows = df.set_index(time).reindex(index)
        t = rows["temperature_2m_C"].to_numpy(float)[keep]
        td = rows["dew_point_2m_C_derived"].to_numpy(float)[keep]
        if not (np.isfinite(t).all() and np.isfinite(td).all()):
            raise ValueError(f"{path.name}: {year} is not complete")
        out.append(Series(year, t, td))
    return out


def hourly_from_synop(obs_hours, t_obs, td_obs, year: int) -> tuple[Series | None, str]:
    """One UTC year of hourly T and dew point from 3-hourly observations, or why not.

    ``obs_hours``: hours since 1970-01-01 00:00 UTC of the valid observations.
    """
    import pandas as pd

    index, keep = _utc_hours(year)
    start = (index[0] - pd.Timestamp("1970-01-01", tz="UTC")) // pd.Timedelta(hours=1)
    hours = start + np.arange(len(index), dtype=float)
    n_days = len(index) // 24
    counts = mc.daily_observation_counts(np.asarray(obs_hours) - start, n_days)
    missing = counts < MIN_OBS_PER_DAY
    months = index.month.to_numpy()[::24]
    failing = [m for m in range(1, 13) if not mc.month_passes_wmo_rule(missing[months == m])]
    if failing:
        return None, "months failing the WMO 3/5 rule: " + ", ".join(str(m) for m in failing)
    out = []
    for values in (t_obs, td_obs):
        linear = mc.interpolate_observations(obs_hours, values, hours, MAX_LINEAR_GAP_H)
        out.append((linear, mc.fill_mean_diurnal(linear, window_days=7)))
    (t_lin, t), (_, td) = out
    if not (np.isfinite(t).all() and np.isfinite(td).all()):
        return None, "a gap could not be filled"
    is_obs = np.isin(hours, np.asarray(obs_hours))
    linear_h = int((np.isfinite(t_lin) & ~is_obs)[keep].sum())
    filled_h = int((~np.isfinite(t_lin))[keep].sum())
    return Series(year, t[keep], td[keep], linear_h, filled_h), ""


def read_synop(path: Path, dew_column: str) -> tuple[list[Series], list[tuple[int, str]]]:
    """Every calendar year of a SYNOP extract that passes the completeness rule, and those left out."""
    import pandas as pd

    df = pd.read_csv(path, dtype={"station": str})
    time = pd.to_datetime(df["time_utc"], utc=True)
    ok = df["t_C"].notna() & df[dew_column].notna()
    obs_hours = ((time[ok] - pd.Timestamp("1970-01-01", tz="UTC")) // pd.Timedelta(hours=1)).to_numpy(float)
    t_obs, td_obs = df.loc[ok, "t_C"].to_numpy(float), df.loc[ok, dew_column].to_numpy(float)
    kept, left_out = [], []
    for year in sorted(time.dt.year.unique()):
        series, why = hourly_from_synop(obs_hours, t_obs, td_obs, int(year))
        if series is None:
            left_out.append((int(year), why))
        else:
            kept.append(series)
    return kept, left_out


# ------------------------------------------------------------------------- stations


def synop_positions(shared: Path) -> dict[str, tuple[float, float, float, str]]:
    rows = {}
    with (shared / "climate/hourly/synop_month_sample/postesSynop.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter=";"):
            rows[r["ID"]] = (float(r["Latitude"]), float(r["Longitude"]), float(r["Altitude"]), r["Nom"])
    return rows


def load_stations(shared: Path) -> tuple[list[Station], list[str]]:
    climate = shared / "climate"
    stations: list[Station] = []
    excluded: list[str] = []
    tmyx = [
        (
            "tmyx_074800",
            "Lyon-Bron (aéroport)",
            "FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw",
            "2004-2018",
            15,
            "GitHub cghiaus/dm4bem, weather_data/, commit 9fba129d8cbad49cdf36b3d752537788aa79c057",
        ),
        (
            "tmyx_075100",
            "Bordeaux-Mérignac (aéroport)",
            "FRA_AC_Bordeaux.Merignac.AP.075100_TMYx.2009-2023.epw",
            "2009-2023",
            15,
            "GitHub EURAC-EEBgroup/venticoolpy @ 5f5319a2f7c43ce2be90897535295d9ca7985284, tests/inputs/data/climate/",
        ),
        (
            "tmyx_074860",
            "Grenoble-Alpes-Isère (aéroport)",
            "FRA_AR_Grenoble.Alpes.Isere.AP.074860_TMYx.2007-2021.epw",
            "2007-2021",
            15,
            "GitHub dm4bem/model-steady-state-smart_cities_group_5 @ 47b62cb92c30d81c4616603ffade0a4b5f8f2c4c",
        ),
        # Villard-de-Lans: the file name says 2007-2021, the record covers 2007-2017 (PROVENANCE-tmyx-2.md).
        (
            "tmyx_074840",
            "Villard-de-Lans",
            "FRA_AR_Villard.de.Lans.074840_TMYx.2007-2021.epw",
            "2007-2017",
            11,
            "GitHub dm4bem/model-steady-state-smart @ 68fd2574d9d4c11689602ba3e6156c299ce3e556",
        ),
    ]
    for sid, name, fname, period, n, origin in tmyx:
        series, meta = read_tmyx(climate / "epw" / fname)
        stations.append(
            Station(
                sid,
                name,
                "typical year",
                float(meta["latitude"]),
                float(meta["longitude"]),
                float(meta["altitude"]),
                "EPW LOCATION line (TMYx)",
                period,
                n,
                TMYX_LICENCE,
                TMYX_ATTRIBUTION,
                f"shared/data/climate/epw/{fname} ({origin})",
                [series],
            )
        )
    series, meta = read_pvgis(climate / "epw" / "PVGIS_tmy_47.360_2.080_2005_2020.csv")
    inputs = meta["inputs"]
    stations.append(
        Station(
            "pvgis_47.360_2.080",
            "PVGIS-ERA5, point 47.36 N 2.08 E (Centre-Val de Loire)",
            "model",
            float(inputs["latitude"]),
            float(inputs["longitude"]),
            float(inputs["elevation"]),
            "PVGIS export header (elevation of the point used by PVGIS)",
            "2005-2020",
            16,
            PVGIS_LICENCE,
            PVGIS_ATTRIBUTION,
            "shared/data/climate/epw/PVGIS_tmy_47.360_2.080_2005_2020.csv (PyPI sdist "
            "pybuildingenergy 1.0.6, tests/input_data/weatherdata/)",
            [series],
        )
    )

    with (climate / "hourly" / "stations.csv").open(encoding="utf-8") as f:
        listed = list(csv.DictReader(f))
    for r in listed:
        if not r["site_id"].startswith("om_"):
            continue
        city = r["name"].split(" (")[0]
        stations.append(
            Station(
                r["site_id"],
                f"{city} (centre), Open-Meteo",
                "model",
                float(r["lat"]),
                float(r["lon"]),
                None,
                "not stored by the source (Open-Meteo answers with the height of its 90 m elevation model; the "
                "staged files dropped it)",
                "2022-2024",
                3,
                OM_LICENCE,
                OM_ATTRIBUTION,
                f"shared/data/climate/hourly/openmeteo_10cities/{r['file']} (GitHub rcap107/forecasting @ "
                "a7a564dfbb2829b0fae426cee9229153abae4693)",
                read_openmeteo(climate / "hourly" / "openmeteo_10cities" / r["file"]),
            )
        )

    positions = synop_positions(shared)
    synop = [r for r in listed if r["site_id"].startswith("synop_")]
    for r in synop:
        wmo = r["site_id"].split("_")[1]
        folder = climate / "hourly" / r["source_folder"]
        dew = "td_C_derived" if wmo == "07643" else "td_C"
        kept, left_out = read_synop(folder / r["file"], dew)
        lat, lon, alt, name = positions[wmo]
        for year, why in left_out:
            excluded.append(f"SYNOP {wmo} {name} {year}: {why}")
        if not kept:
            continue
        years = [s.year for s in kept]
        stations.append(
            Station(
                r["site_id"],
                f"{name.title()} (station Météo-France {wmo})",
                "observation",
                lat,
                lon,
                alt,
                "Météo-France station list (postesSynop.csv)",
                _period(years),
                len(years),
                SYNOP_LICENCE,
                SYNOP_ATTRIBUTION,
                f"shared/data/climate/hourly/{r['source_folder']}/{r['file']}",
                kept,
            )
        )
    for s in stations:
        s.central_year = central(s)
    return stations, excluded


def _period(years: list[int]) -> str:
    return f"{min(years)}-{max(years)}" if len(years) > 1 else str(years[0])


def central(station: Station) -> int:
    """The year used by the model: the median year by annual mean dry bulb (0 for a typical year);
    for an even number of years, the warmer of the two middle ones."""
    if station.series[0].year == 0:
        return 0
    # On the stored tenths of a degree, so that anyone can find it again from the shipped file.
    return mc.central_year([s.year for s in station.series], [tenths(s.temp_air_c).mean() for s in station.series])


# ------------------------------------------------------------------------- coefficients


def annual_mean_c(station: Station) -> float:
    return float(np.mean([s.temp_air_c.mean() for s in station.series]))


def pairs(stations: list[Station]):
    """Every pair of stations of the same period: distance [km], |dz| [m] (None if unknown),
    difference of annual mean temperature [K] (lapse-corrected when both altitudes are known)."""
    out = []
    for i, a in enumerate(stations):
        for b in stations[i + 1 :]:
            if a.group != b.group:
                continue
            d = float(haversine_km(a.lat, a.lon, b.lat, b.lon))
            known = a.altitude_m is not None and b.altitude_m is not None
            dz = abs(a.altitude_m - b.altitude_m) if known else None
            diff = annual_mean_c(a) - annual_mean_c(b)
            if known:
                diff -= float(mc.altitude_correction_k(a.altitude_m, b.altitude_m))
            out.append((a, b, d, dz, diff))
    return out


def coefficients(stations: list[Station]) -> dict[str, tuple[float, str]]:
    all_pairs = pairs(stations)
    grad = [
        (d, diff)
        for _, _, d, dz, diff in all_pairs
        if d <= GRADIENT_PAIR_MAX_KM and (dz is None or dz < GRADIENT_PAIR_MAX_DZ_M)
    ]
    d = np.array([g[0] for g in grad])
    diff = np.array([g[1] for g in grad])
    gradient = math.sqrt(float((d**2 * diff**2).sum() / (d**4).sum()))
    lapse_pairs = [
        (a, b, dd, dz, df)
        for a, b, dd, dz, df in all_pairs
        if dz is not None and dd <= LAPSE_PAIR_MAX_KM and dz >= LAPSE_PAIR_MIN_DZ_M
    ]
    # Residual of the corrected difference, per km of altitude difference.
    lapse_sd = math.sqrt(float(np.mean([(df / (dz / 1000.0)) ** 2 for _, _, _, dz, df in lapse_pairs])))
    multi = [s for s in stations if len(s.series) >= 3]
    ss = sum(((np.array([x.temp_air_c.mean() for x in s.series]) - annual_mean_c(s)) ** 2).sum() for s in multi)
    dof = sum(len(s.series) - 1 for s in multi)
    interannual = math.sqrt(float(ss) / dof)
    lapse_names = "; ".join(
        f"{a.id}-{b.id} ({dd:.0f} km, {dz:.0f} m: {df:+.2f} K after correction)" for a, b, dd, dz, df in lapse_pairs
    )
    return {
        "gradient": (
            gradient,
            f"{len(grad)} pairs of shipped stations of the same period, at most "
            f"{GRADIENT_PAIR_MAX_KM:.0f} km and less than {GRADIENT_PAIR_MAX_DZ_M:.0f} m apart",
        ),
        "lapse_sd": (
            lapse_sd,
            f"{len(lapse_pairs)} pairs within {LAPSE_PAIR_MAX_KM:.0f} km and at least "
            f"{LAPSE_PAIR_MIN_DZ_M:.0f} m apart: {lapse_names}",
        ),
        "interannual": (
            interannual,
            f"{len(multi)} stations with 3 years or more "
            f"({sum(len(s.series) for s in multi)} station-years, {dof} degrees of freedom)",
        ),
    }


def coverage(stations: list[Station], shared: Path, distances=(100, 125, 150, 175, 200)) -> dict:
    """Share of communes and inhabitants of continental France within each distance of a station."""
    import pandas as pd

    c = pd.read_csv(shared / "communes" / "communes_metropole_points.csv", dtype={"dep": str, "code": str})
    c = c[c["type"] == "COM"]
    lat, lon = c["point_lat"].to_numpy(), c["point_lon"].to_numpy()
    nearest = np.min([haversine_km(lat, lon, s.lat, s.lon) for s in stations], axis=0)
    corsica = c["dep"].isin(["2A", "2B"]).to_numpy()
    pop = c["population_2026"].to_numpy(float)
    table = {
        D: (
            float((nearest[~corsica] <= D).mean()),
            float(pop[~corsica][nearest[~corsica] <= D].sum() / pop[~corsica].sum()),
        )
        for D in distances
    }
    return {
        "table": table,
        "corsica_min_km": float(nearest[corsica].min()),
        "continental_max_km": float(nearest[~corsica].max()),
        "communes": int((~corsica).sum()),
    }


# ------------------------------------------------------------------------- writers


def _npy_bytes(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.ascontiguousarray(array), allow_pickle=False)
    return buf.getvalue()


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An .npz that numpy reads with ``allow_pickle=False``, byte-identical from run to run
    (fixed member dates, fixed order, deflate level 9)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, _npy_bytes(array), compresslevel=9)
    path.write_bytes(buf.getvalue())


def tenths(x: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(x, float) * 10.0).astype(np.int16)


def station_rows(stations: list[Station]) -> list[dict]:
    rows = []
    for s in stations:
        years = "typical" if s.series[0].year == 0 else ";".join(str(x.year) for x in s.series)
        rows.append(
            {
                "id": s.id,
                "name": s.name,
                "kind": s.kind,
                "lat": f"{s.lat:.4f}",
                "lon": f"{s.lon:.4f}",
                "altitude_m": "" if s.altitude_m is None else f"{s.altitude_m:g}",
                "altitude_source": s.altitude_source,
                "years": years,
                "central_year": "typical" if s.central_year == 0 else str(s.central_year),
                "period": s.period,
                "years_represented": str(s.years_represented),
                "licence": s.licence,
                "attribution": s.attribution,
                "source": s.source,
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def reference_rows(coef: dict, cov: dict) -> list[dict]:
    g, g_how = coef["gradient"]
    l_sd, l_how = coef["lapse_sd"]
    ia, ia_how = coef["interannual"]
    share = cov["table"][MAX_DISTANCE_KM]
    derived = "derived by scripts/build_climate.py from the stations of data/france/climate: "
    return [
        {
            "quantity": "lapse_rate_k_per_km",
            "value": "6.5",
            "unit": "K/km",
            "source": "ISO 2533:1975 Standard Atmosphere (ICAO standard atmosphere), troposphere",
            "year": "1975",
            "quality": "primary",
            "note": "applied to dry bulb and dew point from the station's altitude to the site's",
        },
        {
            "quantity": "gradient_k_per_km",
            "value": f"{g:.5f}",
            "unit": "K/km",
            "source": derived + "root-mean-square fit through the origin of the pairwise differences of annual mean "
            "dry bulb (lapse-corrected when both altitudes are known) against distance, " + g_how,
            "year": DATA_YEAR,
            "quality": "assumption",
            "note": "spatial part of the climate offset's standard deviation: gradient x distance",
        },
        {
            "quantity": "lapse_rate_sd_k_per_km",
            "value": f"{l_sd:.2f}",
            "unit": "K/km",
            "source": derived + "root mean square of what the 6.5 K/km correction leaves, per km of altitude "
            "difference, over " + l_how,
            "year": DATA_YEAR,
            "quality": "assumption",
            "note": "altitude part of the climate offset's standard deviation: this x altitude difference",
        },
        {
            "quantity": "interannual_sd_k",
            "value": f"{ia:.3f}",
            "unit": "K",
            "source": derived + "pooled standard deviation of the annual mean dry bulb between the years of a "
            "station, " + ia_how,
            "year": DATA_YEAR,
            "quality": "assumption",
            "note": "a series of n years stands for the climate within this / sqrt(n)",
        },
        {
            "quantity": "max_distance_km",
            "value": f"{MAX_DISTANCE_KM:g}",
            "unit": "km",
            "source": f"coverage computed by scripts/build_climate.py on shared/data/communes/"
            f"communes_metropole_points.csv: {100 * share[0]:.1f} % of the {cov['communes']} communes and "
            f"{100 * share[1]:.1f} % of the inhabitants of continental France are within {MAX_DISTANCE_KM:g} km "
            f"of a shipped station; Corsica's nearest is {cov['corsica_min_km']:.0f} km away, across the sea",
            "year": DATA_YEAR,
            "quality": "assumption",
            "note": "beyond it the tool has no climate for the place: impact climate fetch, or climate.epw / climate.pvgis",
        },
    ]


def provenance(stations, excluded, coef, cov) -> str:
    lines = [
        "# Hourly climates shipped with impact (metropolitan France)",
        "",
        "Built by `scripts/build_climate.py` from `../shared/data/climate` (see the PROVENANCE files there). "
        "The same inputs give the same bytes.",
        "",
        "## Files",
        "- `hourly.npz` (numpy, read with `numpy.load(path, allow_pickle=False)`): one row per station-year, "
        "8,760 UTC hours from 1 January 00:00 (29 February dropped). `station_id` (text), `year` (0 for a "
        "typical year), `temp_air_dc` and `temp_dew_dc` (int16, tenths of °C: dry bulb and dew point), "
        "`interpolated_h` (hours between two observations, linear), `filled_h` (hours of longer gaps, mean "
        "diurnal course). Pressure is not stored: the model takes the ISO 2533 pressure at the altitude.",
        "- `stations.csv`: `id, name, kind` (typical year / model / observation), `lat, lon` (WGS 84), "
        "`altitude_m` and `altitude_source`, `years` shipped, `central_year` (the one the model uses: the median "
        "year by annual mean dry bulb), `period` and `years_represented` (years of weather behind the series), "
        "`licence`, `attribution`, `source`.",
        "",
        "## Stations",
        "",
        "| id | name | kind | lat | lon | altitude (m) | years | central year |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in stations:
        years = "typical year, " + s.period if s.series[0].year == 0 else ", ".join(str(x.year) for x in s.series)
        alt = "not known" if s.altitude_m is None else f"{s.altitude_m:g}"
        cy = "—" if s.central_year == 0 else str(s.central_year)
        lines.append(f"| {s.id} | {s.name} | {s.kind} | {s.lat:.4f} | {s.lon:.4f} | {alt} | {years} | {cy} |")
    filled = [(s.id, x.year, x.filled_h) for s in stations for x in s.series if x.filled_h]
    lines += (
        [
            "",
            "## What was changed",
            "- TMYx (EPW): dry bulb and dew point in file order; the EPW hour h of local standard time (UTC+1) holds "
            "the observation at its end, h:00 LST = (h-1):00 UTC, so the records are already UTC hours from 00:00. "
            "Bordeaux: the 2009-2023 edition (an original EPW); the 2011-2025 one in the same folder was rebuilt from a "
            "Modelica table and is not used. Villard-de-Lans: its record covers 2007-2017.",
            "- PVGIS: read with `pvlib.iotools.read_pvgis_tmy`; UTC hours; the dew point is computed from T and RH "
            "(ASHRAE saturation pressure).",
            "- Open-Meteo: the full years 2022, 2023, 2024, dry bulb and the dew point of the staged file (Magnus, "
            "computed when staged). Model data for a city-centre grid point, not a station.",
            f"- SYNOP (3-hourly): linear in time between observations at most {MAX_LINEAR_GAP_H:g} h apart, for T and "
            "dew point (Montpellier: the staged dew point, computed from T and RH); longer gaps filled with the mean "
            "of the same hour over the 7 days on each side (Falge et al. 2001). A station-year is kept only when every "
            f"month passes the WMO 3/5 rule (at most 5 missing days, at most 3 in a row; a day is missing with fewer "
            f"than {MIN_OBS_PER_DAY} of its 8 observations).",
            "- Hours filled over long gaps, per kept station-year: "
            + (", ".join(f"{i} {y}: {h} h" for i, y, h in filled) if filled else "none")
            + ".",
            "- Every value rounded to 0.1 °C.",
            "",
            "## Left out",
            "- IWEC files (ASHRAE copyright).",
        ]
        + [f"- {e}" for e in excluded]
        + [
            "",
            "## Coefficients of the climate offset (data/reference/climate_uncertainty.csv)",
            f"- spatial gradient: {coef['gradient'][0]:.5f} K/km ({coef['gradient'][1]});",
            f"- error of the 6.5 K/km lapse rate: {coef['lapse_sd'][0]:.2f} K/km ({coef['lapse_sd'][1]});",
            f"- inter-annual standard deviation of the annual mean: {coef['interannual'][0]:.3f} K "
            f"({coef['interannual'][1]}).",
            "",
            "## Coverage of continental France (communes' inside points, populations 2026)",
            "",
            "| within (km) | communes | inhabitants |",
            "|---|---|---|",
        ]
        + [f"| {D} | {100 * a:.1f} % | {100 * b:.1f} % |" for D, (a, b) in cov["table"].items()]
        + [
            "",
            f"Farthest continental commune from a station: {cov['continental_max_km']:.0f} km. Corsica: nearest "
            f"station {cov['corsica_min_km']:.0f} km away, across the sea. Maximum distance used: {MAX_DISTANCE_KM:g} km.",
            "",
            "## Attribution (to print wherever these data are used)",
            f"- {OM_ATTRIBUTION}",
            f"- {SYNOP_ATTRIBUTION}",
            f"- {TMYX_ATTRIBUTION}",
            f"- {PVGIS_ATTRIBUTION}",
            "",
            "## Licences",
            f"- Open-Meteo: {OM_LICENCE}. Météo-France SYNOP: {SYNOP_LICENCE}. TMYx: {TMYX_LICENCE}. "
            f"PVGIS: {PVGIS_LICENCE}.",
            "",
        ]
    )
    return "\n".join(lines)


def build(shared: Path, out: Path = OUT, reference: Path = REFERENCE) -> dict:
    stations, excluded = load_stations(shared)
    coef = coefficients(stations)
    cov = coverage(stations, shared)
    rows = [(s, x) for s in stations for x in s.series]
    arrays = {
        "station_id": np.array([s.id for s, _ in rows]),
        "year": np.array([x.year for _, x in rows], dtype=np.int16),
        "temp_air_dc": np.stack([tenths(x.temp_air_c) for _, x in rows]),
        "temp_dew_dc": np.stack([tenths(np.minimum(x.temp_dew_c, x.temp_air_c)) for _, x in rows]),
        "interpolated_h": np.array([x.interpolated_h for _, x in rows], dtype=np.int16),
        "filled_h": np.array([x.filled_h for _, x in rows], dtype=np.int16),
    }
    out.mkdir(parents=True, exist_ok=True)
    write_npz(out / "hourly.npz", arrays)
    write_csv(out / "stations.csv", station_rows(stations))
    (out / "PROVENANCE.md").write_text(provenance(stations, excluded, coef, cov), encoding="utf-8")
    write_csv(reference, reference_rows(coef, cov))
    return {"stations": len(stations), "series": len(rows), "excluded": excluded, "coefficients": coef, "coverage": cov}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=ROOT.parent / "shared" / "data",
        help="the shared data folder (default: ../shared/data)",
    )
    args = parser.parse_args()
    summary = build(args.shared)
    print(f"{summary['stations']} stations, {summary['series']} station-years -> {OUT}")
    for e in summary["excluded"]:
        print("  left out:", e)
    for k, (v, how) in summary["coefficients"].items():
        print(f"  {k}: {v:.5f}  ({how})")


if __name__ == "__main__":
    main()
