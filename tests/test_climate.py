"""The climate of any site in metropolitan France: the shipped hourly series, the choice of
one for a site (distance, altitude, years), its range, the PVGIS reader, the water
temperatures when none is declared, and the catalogue sentences.

Expected values are computed here independently: distances by a haversine written in
this file, annual statistics from the raw files in ../shared/data, coefficients read from
the CSV tables with the csv module."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import io
import math
import string
import sys

import numpy as np
import pytest
import yaml

import impact
from impact.model import climate as mc
from impact.model import cooling, psychrometrics, water_temperature
from impact.paths import data_dir, templates_dir
from impact.project import parse_project_text
from impact.sources import climate as sc

from .conftest import ROOT, run_cli
from .test_cooling import PARAMS, marseille_climate

CLIMATE = data_dir() / "france" / "climate"


def haversine(lat1, lon1, lat2, lon2, r=6371.0088):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def stations():
    with (CLIMATE / "stations.csv").open(encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def coef(quantity):
    with (data_dir() / "reference" / "climate_uncertainty.csv").open(encoding="utf-8") as f:
        return float(next(r for r in csv.DictReader(f) if r["quantity"] == quantity)["value"])


def site(lat, lon, cooling_type="air_chillers", extra="", altitude=None):
    where = (
        f"location: {{lat: {lat}, lon: {lon}" + (f", altitude_m: {altitude}" if altitude is not None else "") + "}\n"
    )
    return parse_project_text(
        f"name: T\ncountry: FR\nyear: 2026\n{where}it_capacity_mw: 10\ncooling: {{type: {cooling_type}}}\n{extra}",
        "t.yaml",
    )


def expected_sigma(d_km, dz_m, years):
    return math.sqrt(
        (coef("gradient_k_per_km") * d_km) ** 2
        + (coef("lapse_rate_sd_k_per_km") * dz_m / 1000) ** 2
        + coef("interannual_sd_k") ** 2 / years
    )


# ------------------------------------------------------------------------- shipped data


def test_shipped_files_are_small_and_safe():
    size = sum(f.stat().st_size for f in CLIMATE.iterdir())
    assert size < 6e6
    with np.load(CLIMATE / "hourly.npz", allow_pickle=False) as z:
        assert z["temp_air_dc"].dtype == np.int16 and z["temp_air_dc"].shape[1] == 8760
        assert len(z["station_id"]) == len(z["year"]) == z["temp_dew_dc"].shape[0]
        assert (z["temp_dew_dc"] <= z["temp_air_dc"]).all()
    rows = stations()
    kinds = {r["kind"] for r in rows.values()}
    assert kinds == {"typical year", "model", "observation"}
    for r in rows.values():
        assert r["source"].strip() and r["attribution"].strip() and r["licence"].strip()
        assert "IWEC" not in r["source"]
    text = (CLIMATE / "PROVENANCE.md").read_text(encoding="utf-8")
    for attribution in (
        "Weather data by Open-Meteo.com (CC BY 4.0)",
        "Source : Météo-France (données SYNOP essentielles OMM), Licence Ouverte v2.0",
        "Climate.OneBuilding.Org, TMYx",
        "PVGIS © European Union",
    ):
        assert attribution in text


def test_the_build_script_rebuilds_the_same_bytes(shared_data, tmp_path):
    spec = importlib.util.spec_from_file_location("build_climate", ROOT / "scripts" / "build_climate.py")
    build = importlib.util.module_from_spec(spec)
    sys.modules["build_climate"] = build  # dataclasses look their module up
    spec.loader.exec_module(build)
    build.build(shared_data, out=tmp_path, reference=tmp_path / "climate_uncertainty.csv")
    for name in ("hourly.npz", "stations.csv", "PROVENANCE.md"):
        assert (tmp_path / name).read_bytes() == (CLIMATE / name).read_bytes(), name
    assert (tmp_path / "climate_uncertainty.csv").read_bytes() == (
        data_dir() / "reference" / "climate_uncertainty.csv"
    ).read_bytes()


def _openmeteo_raw(shared, city, year):
    path = shared / "climate/hourly/openmeteo_10cities" / f"openmeteo_hf_{city}_2021-03-23_2025-05-31.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if r["time_utc"].startswith(str(year)) and not r["time_utc"].startswith(f"{year}-02-29")
        ]
    return np.array([float(r["temperature_2m_C"]) for r in rows])


def _epw_raw(path):
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[8:]
    return np.array([float(line.split(",")[6]) for line in lines if line.strip()])


@pytest.mark.parametrize(
    "station, year, source",
    [
        ("om_paris", 2022, ("openmeteo", "paris")),
        ("om_lille", 2024, ("openmeteo", "lille")),
        ("om_marseille", 2023, ("openmeteo", "marseille")),
        ("tmyx_074800", None, ("epw", "FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw")),
        ("tmyx_074840", None, ("epw", "FRA_AR_Villard.de.Lans.074840_TMYx.2007-2021.epw")),
    ],
)
def test_shipped_arrays_reproduce_the_hourly_source_files(shared_data, station, year, source):
    kind, name = source
    raw = (
        _openmeteo_raw(shared_data, name, year)
        if kind == "openmeteo"
        else _epw_raw(shared_data / "climate" / "epw" / name)
    )
    t, _ = sc.station_series(station, year)
    assert len(raw) == len(t) == 8760
    # Stored in tenths of a degree: each hour within 0.05 K of the file, so the mean and the maximum too.
    assert np.abs(t - raw).max() <= 0.05 + 1e-9
    assert t.mean() == pytest.approx(raw.mean(), abs=0.05)
    assert t.max() == pytest.approx(raw.max(), abs=0.05)


def _synop_raw(shared, folder, name):
    rows = list(
        csv.DictReader(
            io.StringIO(
                (gzip.open if name.endswith(".gz") else open)(
                    shared / "climate/hourly" / folder / name, "rt", encoding="utf-8-sig"
                ).read()
            )
        )
    )
    return [(r["time_utc"], float(r["t_C"])) for r in rows if r["t_C"].strip()]


@pytest.mark.parametrize(
    "station, folder, name, year",
    [
        ("synop_07690", "synop_stations", "synop_07690_NICE_20230701-20250819.csv", 2024),
        ("synop_07643", "synop_montpellier", "synop_07643_MONTPELLIER_20000101-20201231.csv.gz", 2019),
        ("synop_07643", "synop_montpellier", "synop_07643_MONTPELLIER_20000101-20201231.csv.gz", 2005),
    ],
)
def test_synop_hours_equal_the_observations_at_observation_times(shared_data, station, folder, name, year):
    import pandas as pd

    obs = [
        (s, v)
        for s, v in _synop_raw(shared_data, folder, name)
        if s.startswith(str(year)) and not s.startswith(f"{year}-02-29")
    ]
    t, _ = sc.station_series(station, year)
    start = pd.Timestamp(f"{year}-01-01", tz="UTC")
    hours = pd.date_range(start, periods=8784 if year % 4 == 0 else 8760, freq="h")
    hours = hours[~((hours.month == 2) & (hours.day == 29))]
    position = {h.strftime("%Y-%m-%dT%H:%MZ"): i for i, h in enumerate(hours)}
    at_obs = np.array([t[position[s]] for s, _ in obs])
    values = np.array([v for _, v in obs])
    assert np.abs(at_obs - values).max() <= 0.05 + 1e-9
    # Between two observations 3 h apart: a straight line (hour 1 = a third of the way).
    i = next(k for k in range(len(obs) - 1) if position[obs[k + 1][0]] - position[obs[k][0]] == 3)
    p = position[obs[i][0]]
    assert t[p + 1] == pytest.approx(values[i] + (values[i + 1] - values[i]) / 3, abs=0.05 + 1e-9)
    # Linear interpolation never leaves the observed span; long gaps take a mean of observed hours.
    assert t.max() == pytest.approx(values.max(), abs=0.05)
    assert t.mean() == pytest.approx(values.mean(), abs=0.1)


def test_incomplete_synop_years_are_left_out(shared_data):
    shipped = stations()
    assert "synop_07149" not in shipped  # Orly 2023: 3-31 December missing
    assert "synop_07130" not in shipped  # Rennes 2018: a week missing in June
    assert shipped["synop_07690"]["years"] == "2024"
    years = shipped["synop_07643"]["years"].split(";")
    assert years[0] == "2000" and "2020" not in years  # August 2020 missing at Montpellier
    text = (CLIMATE / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "ORLY 2023: months failing the WMO 3/5 rule: 12" in text


def test_the_central_year_is_the_median_year_by_annual_mean():
    with np.load(CLIMATE / "hourly.npz", allow_pickle=False) as z:
        ids, years, t = z["station_id"], z["year"], z["temp_air_dc"]
    for sid, row in stations().items():
        if row["central_year"] == "typical":
            continue
        mine = ids == sid
        ranked = sorted(zip(t[mine].mean(axis=1), years[mine]))  # coolest year first
        # Odd: the middle year; even: the warmer of the two middle years.
        assert int(row["central_year"]) == int(ranked[len(ranked) // 2][1]), sid


# ------------------------------------------------------------------------- equations


def test_lapse_rate_and_standard_pressure():
    # ISO 2533: 6.5 K/km; 1,000 m above the station is 6.5 K colder.
    assert mc.altitude_correction_k(1386.0, 386.0) == pytest.approx(-6.5)
    # ISO 2533 table: 89,875 Pa at 1,000 m, 101,325 Pa at sea level.
    assert mc.standard_pressure_pa(1000.0) == pytest.approx(89875.0, abs=2.0)
    assert mc.standard_pressure_pa(0.0) == 101325.0


def test_interpolation_and_long_gaps():
    obs = np.array([0.0, 3.0, 6.0, 24.0, 27.0])
    v = np.array([0.0, 3.0, 9.0, 24.0, 27.0])
    out = mc.interpolate_observations(obs, v, np.arange(28.0), max_gap_h=12.0)
    assert out[0] == 0.0 and out[3] == 3.0 and out[4] == pytest.approx(5.0)  # 3 + (9 - 3) / 3
    assert np.isnan(out[7:24]).all() and out[24] == 24.0  # 18 h apart: left for the mean diurnal course
    days = np.tile(np.arange(24.0), 10)
    days[24 * 4 + 2 : 24 * 4 + 5] = np.nan
    filled = mc.fill_mean_diurnal(days, window_days=3)
    assert filled[24 * 4 + 2 : 24 * 4 + 5].tolist() == [2.0, 3.0, 4.0]


def test_wmo_3_5_rule():
    assert mc.month_passes_wmo_rule([0] * 25 + [1, 1, 1, 0, 1, 1])  # 5 missing, 3 in a row
    assert not mc.month_passes_wmo_rule([1, 1, 1, 1] + [0] * 26)  # 4 in a row
    assert mc.month_passes_wmo_rule([1, 0] * 3 + [0] * 24)  # 3 missing, none in a row
    assert not mc.month_passes_wmo_rule([1, 0] * 6 + [0] * 18)  # 6 missing in total


def test_wet_bulb_agrees_with_psychrolib():
    # PsychroLib (Meyer and Thevenard 2019) is an independent implementation of the same ASHRAE equations.
    psychrolib = pytest.importorskip("psychrolib")
    psychrolib.SetUnitSystem(psychrolib.SI)
    rng = np.random.default_rng(3)
    t = rng.uniform(-15, 42, 300)
    td = t - rng.uniform(0, 25, 300)
    p = rng.uniform(88000, 102000, 300)
    ours = psychrometrics.wet_bulb_from_dew_point(t, td, p)
    ref = [
        psychrolib.GetTWetBulbFromHumRatio(a, psychrolib.GetHumRatioFromTDewPoint(b, c), c) for a, b, c in zip(t, td, p)
    ]
    np.testing.assert_allclose(ours, ref, atol=2e-3)  # PsychroLib stops at 0.001 K


# ------------------------------------------------------------------------- choice


CASES = {
    # name: (lat, lon, expected station)
    "Seine-et-Marne": (48.45, 2.85, "om_paris"),
    "Seine-Saint-Denis": (48.93, 2.40, "om_paris"),
    "Val-d'Oise": (49.05, 2.10, "om_paris"),
    "Nord": (50.6, 3.1, "om_lille"),
    "Haut-Rhin": (47.73, 7.51, "om_strasbourg"),
    "Drôme": (44.93, 4.89, "tmyx_074860"),
    "Marseille": (43.33, 5.35, "om_marseille"),
}


def _by_hand(lat, lon, altitude=None):
    """The choice rule, written again here: smallest expected error within 150 km (to 0.1 K),
    then observations, typical years, models; then more years; then the nearer."""
    rank = {"observation": 0, "typical year": 1, "model": 2}
    best = []
    for sid, r in stations().items():
        d = haversine(lat, lon, float(r["lat"]), float(r["lon"]))
        if d > coef("max_distance_km"):
            continue
        z = float(r["altitude_m"]) if r["altitude_m"] else None
        dz = 0.0 if altitude is None else (abs(altitude - z) if z is not None else altitude)
        sigma = expected_sigma(d, dz, int(r["years_represented"]))
        best.append((round(sigma, 1), rank[r["kind"]], -int(r["years_represented"]), d, sid))
    return min(best)


@pytest.mark.parametrize("name", list(CASES))
def test_station_choice_in_six_regions_and_marseille(name):
    lat, lon, expected = CASES[name]
    *_, d, sid = _by_hand(lat, lon)
    assert sid == expected
    r = impact.estimate(site(lat, lon), draws=100)
    choice = r.meta["climate"]
    assert choice["station_id"] == expected
    assert choice["distance_km"] == pytest.approx(d, abs=0.05)
    assert r.inputs["climate"].status == "default"
    assert r.inputs["climate"].source == stations()[expected]["attribution"]
    assert r.inputs["climate.altitude_correction_k"].note_key == "note.climate.altitude_not_given"
    # The widening: sqrt(6) x the standard deviation from distance and years (no altitude given).
    w = math.sqrt(6) * expected_sigma(d, 0.0, int(stations()[expected]["years_represented"]))
    off = r.inputs["climate.offset_k"].value
    assert (off.low, off.central, off.high) == pytest.approx((-w, 0.0, w), abs=1e-6)


def test_distances_by_hand():
    # Seine-Saint-Denis (48.93 N, 2.40 E) to the Open-Meteo Paris point (48.8566 N, 2.3522 E):
    # 0.0734 deg of latitude = 8.16 km, 0.0478 deg of longitude x cos(48.9) = 3.50 km -> 8.9 km.
    r = impact.estimate(site(48.93, 2.40), draws=100)
    assert r.meta["climate"]["distance_km"] == pytest.approx(8.9, abs=0.1)


def test_observations_win_over_model_data_when_equally_good():
    # Near Mazamet (43.5 N, 2.5 E): Toulouse's Open-Meteo point is 86 km away (3 years of model data),
    # Montpellier's station 118 km (20 years of observations). Their expected errors, by hand,
    # both round to 0.5 K: the observations are kept.
    d_toulouse = haversine(43.5, 2.5, 43.6047, 1.4442)
    d_montpellier = haversine(43.5, 2.5, 43.577, 3.963167)
    s_toulouse = expected_sigma(d_toulouse, 0, 3)
    s_montpellier = expected_sigma(d_montpellier, 0, 20)
    assert s_toulouse < s_montpellier and round(s_toulouse, 1) == round(s_montpellier, 1) == 0.5
    assert _by_hand(43.5, 2.5)[-1] == "synop_07643"
    r = impact.estimate(site(43.5, 2.5), draws=100)
    assert r.meta["climate"]["station_id"] == "synop_07643"
    assert r.inputs["climate"].note_key == "note.climate.observed_median_year"
    assert dict(r.inputs["climate"].note_args)["year"] == int(stations()["synop_07643"]["central_year"])


def test_altitude_changes_the_choice_and_corrects_the_temperatures():
    # Near Valence (Drôme) at 125 m: without the altitude Grenoble's airport (386 m) is the best
    # series; with it, its 261 m difference outweighs the distance and Lyon-Bron (198 m) wins.
    assert _by_hand(44.93, 4.89)[-1] == "tmyx_074860"
    assert _by_hand(44.93, 4.89, altitude=125.0)[-1] == "tmyx_074800"
    r = impact.estimate(site(44.93, 4.89, altitude=125), draws=100)
    c = r.meta["climate"]
    assert c["station_id"] == "tmyx_074800"
    assert c["altitude_difference_m"] == pytest.approx(125 - 198)
    assert c["correction_k"] == pytest.approx(-6.5 * (125 - 198) / 1000, abs=0.005)  # +0.47 K: lower, warmer
    rec = r.inputs["climate.altitude_correction_k"]
    assert rec.note_key == "note.climate.altitude_corrected" and rec.value.central == c["correction_k"]
    raw, _ = sc.station_series("tmyx_074800")
    assert r.hourly["temp_air_c"].mean() == pytest.approx(raw.mean() + c["correction_k"], abs=1e-9)


def test_a_mountain_site_gets_a_mountain_series():
    # 1,000 m on the Vercors plateau: Villard-de-Lans (1,030 m) over the lowland airports.
    r = impact.estimate(site(45.10, 5.50, altitude=1000), draws=100)
    assert r.meta["climate"]["station_id"] == "tmyx_074840"
    raw, _ = sc.station_series("tmyx_074840")
    assert r.hourly["temp_air_c"].mean() == pytest.approx(raw.mean() - 6.5 * (1000 - 1030) / 1000, abs=1e-9)


def test_an_open_meteo_point_has_no_altitude_and_the_range_counts_the_site_altitude():
    r = impact.estimate(site(48.93, 2.40, altitude=60), draws=100)
    c = r.meta["climate"]
    assert c["station_id"] == "om_paris" and c["station_altitude_m"] is None and c["correction_k"] == 0.0
    assert r.inputs["climate.altitude_correction_k"].note_key == "note.climate.altitude_unknown_station"
    w = math.sqrt(6) * expected_sigma(c["distance_km"], 60.0, 3)
    assert r.inputs["climate.offset_k"].value.high == pytest.approx(w, abs=1e-3)


def test_the_range_widens_with_distance():
    near = impact.estimate(site(48.86, 2.35), draws=100).inputs["climate.offset_k"].value.high
    far = impact.estimate(site(48.45, 2.85), draws=100).inputs["climate.offset_k"].value.high
    assert far > near
    # At the maximum distance, the spatial part alone: sqrt(6) x gradient x 150 km.
    assert math.sqrt(6) * coef("gradient_k_per_km") * 150 == pytest.approx(1.62, abs=0.05)


@pytest.mark.parametrize("lat, lon", [(41.93, 8.74), (49.18, -0.37)])  # Ajaccio; Caen, 202 km from Paris
def test_beyond_the_maximum_distance_the_tool_lacks_a_climate(lat, lon):
    nearest = min(haversine(lat, lon, float(r["lat"]), float(r["lon"])) for r in stations().values())
    assert nearest > coef("max_distance_km") == 150
    r = impact.estimate(site(lat, lon), draws=100)
    rec = r.inputs["climate"]
    assert rec.status == "unknown" and rec.note_key == "note.climate.none"
    assert "the tool has no climate for this place" in rec.note and "impact climate fetch" in rec.note
    assert dict(rec.note_args)["nearest_km"] == round(nearest)
    assert r.meta["cooling_model_reason"] == "no_climate"  # what the claims and the dossier say
    for name in ("pue_modelled", "cooling_saving_share"):
        assert r[name].status == "unknown" and "publish" not in r[name].note


def test_no_location_no_climate():
    p = parse_project_text("name: T\ncountry: FR\nit_capacity_mw: 1\ncooling: {type: air_chillers}\n", "t.yaml")
    rec = impact.estimate(p, draws=100).inputs["climate"]
    assert rec.status == "unknown" and rec.note_key == "note.climate.no_location"


# ------------------------------------------------------------------------- the model runs


@pytest.mark.parametrize("name", [n for n in CASES if n != "Marseille"])
def test_the_model_runs_in_every_region_for_every_cooling_type(name):
    lat, lon, _ = CASES[name]
    for kind in ("air_chillers", "water_chillers", "adiabatic", "dry_free_cooling", "river", "sea"):
        r = impact.estimate(site(lat, lon, kind), draws=100)
        assert r["pue_modelled"].known, (name, kind, r.meta["cooling_model"])
        assert 1.0 < r.central("pue_modelled") < 1.6
        if kind in ("river", "sea"):
            rec = r.inputs["cooling.water_in_c"]
            assert rec.status == "default"
            assert rec.note_key == ("note.water.river_relation" if kind == "river" else "note.water.sea_basin")
            assert r.inputs["cooling.water_in_offset_k"].value.high > 0


def test_river_temperature_follows_the_air():
    # Stefan and Preud'homme (1993): Tw = 5.0 + 0.75 Ta; 10 °C of air gives 12.5 °C; never below 0.
    assert water_temperature.river_temperature_c(np.full(8760, 10.0)) == pytest.approx(np.full(8760, 12.5))
    assert water_temperature.river_temperature_c(np.full(8760, -10.0)).max() == 0.0
    r = impact.estimate(site(48.45, 2.85, "river"), draws=100)
    args = dict(r.inputs["cooling.water_in_c"].note_args)
    t_air = r.hourly["temp_air_c"].to_numpy()
    assert args["mean_c"] == pytest.approx(5.0 + 0.75 * t_air.mean(), abs=0.06)  # the 7-day mean keeps the mean
    w = math.sqrt(6) * 2.6  # Pilgrim et al. 1995: weekly standard deviation 2.6 °C
    assert r.inputs["cooling.water_in_offset_k"].value.high == pytest.approx(w)


@pytest.mark.parametrize(
    "lat, lon, basin",
    [
        (43.30, 5.36, "mediterranean"),
        (42.70, 3.03, "mediterranean"),
        (48.38, -4.49, "atlantic"),
        (43.48, -1.56, "atlantic"),
        (51.04, 2.37, "channel_north_sea"),
        (49.64, -1.62, "channel_north_sea"),
    ],
)
def test_sea_basin_by_position(lat, lon, basin):
    assert water_temperature.sea_basin(lat, lon) == basin


def test_sea_temperature_is_the_basins_not_one_harbours():
    def water(lat, lon):
        r = impact.estimate(site(lat, lon, "sea"), draws=100)
        return dict(r.inputs["cooling.water_in_c"].note_args)

    brest, marseille = water(48.38, -4.49), water(43.30, 5.36)
    with (data_dir() / "reference" / "water_temperature.csv").open(encoding="utf-8") as f:
        rows = {(r["quantity"], r["basin"]): float(r["value"]) for r in csv.DictReader(f)}
    assert brest["basin"] == "atlantic" and brest["coldest_c"] == rows[("sea_coldest_month_c", "atlantic")]
    assert marseille["warmest_c"] == rows[("sea_warmest_month_c", "mediterranean")]
    # The cosine: coldest on day 60, warmest half a year later.
    t = water_temperature.sea_temperature_c(np.array([60.0, 60 + 182.5]), 10.0, 19.0)
    assert t == pytest.approx([10.0, 19.0])


def test_mrs5_runs_on_the_shipped_marseille_series():
    r = impact.estimate(impact.load_project(impact.paths.default_project()))
    c = r.meta["climate"]
    assert (c["station_id"], c["kind"], c["year"]) == ("om_marseille", "model", 2024)
    assert c["distance_km"] == pytest.approx(haversine(43.33, 5.35, 43.2965, 5.3698), abs=0.05)
    assert "Open-Meteo" in r.inputs["climate"].source
    assert r.inputs["cooling.water_in_c"].status == "given"  # the declared 15 °C stays


# ------------------------------------------------------------------------- the offset in the model


def _run(offset=None, water_offset=None, system="adiabatic", n=cooling.DRAWS_PER_BLOCK + 7):
    c = marseille_climate()
    rng = np.random.default_rng(5)
    supply = rng.uniform(18, 27, (n, 1))
    water = None
    if system == "river":
        water = dict(
            coverage_share=0.4,
            t_in_c=np.linspace(8, 22, 8760),
            t_out_c=30.0,
            flow_m3_per_h=None,
            density_kg_per_m3=998.21,
            specific_heat_j_per_kg_k=4184.1,
            hx_approach_k=2.0,
            t_in_offset_k=water_offset,
        )
    return cooling.simulate(
        system=system,
        it_mw=10.0,
        temp_air_c=c["temp_air_c"],
        temp_wet_bulb_c=c["temp_wet_bulb_c"],
        water=water,
        temp_offset_k=offset,
        **{**PARAMS, "supply_c": supply},
    )


@pytest.mark.parametrize("system", ["adiabatic", "river", "water_chillers"])
def test_a_zero_offset_leaves_the_results_bit_identical(system):
    base = _run(system=system)
    n = cooling.DRAWS_PER_BLOCK + 7
    for zero in (0.0, np.zeros((n, 1))):
        other = _run(offset=zero, water_offset=zero, system=system)
        for key in base:
            assert np.array_equal(base[key], other[key]), key


@pytest.mark.parametrize("system", ["air_chillers", "dry_free_cooling", "adiabatic", "water_chillers", "evaporative"])
def test_the_offset_equals_shifted_temperatures(system):
    c = marseille_climate()
    for o in (-1.3, 0.8):
        shifted = cooling.simulate(
            system=system,
            it_mw=10.0,
            temp_air_c=c["temp_air_c"] + o,
            temp_wet_bulb_c=c["temp_wet_bulb_c"] + o,
            **PARAMS,
        )
        offset = cooling.simulate(
            system=system,
            it_mw=10.0,
            temp_air_c=c["temp_air_c"],
            temp_wet_bulb_c=c["temp_wet_bulb_c"],
            temp_offset_k=o,
            **PARAMS,
        )
        for key in ("facility_mwh", "free_mwh", "chiller_power_mwh", "saving_mwh"):
            assert offset[key] == pytest.approx(shifted[key], rel=1e-9, abs=1e-9), key


@pytest.mark.parametrize("system", ["river", "liquid_closed_loop"])
def test_the_offset_shifts_the_air_not_the_water(system):
    c = marseille_climate()
    extra = {}
    if system == "river":
        extra["water"] = dict(
            coverage_share=0.4,
            t_in_c=np.linspace(8, 22, 8760),
            t_out_c=30.0,
            flow_m3_per_h=None,
            density_kg_per_m3=998.21,
            specific_heat_j_per_kg_k=4184.1,
            hx_approach_k=2.0,
        )
    else:
        extra["liquid"] = dict(share=0.75, supply_c=32.0, delta_t_k=10.0, dry_cooler_approach_k=10.0)
    for o in (-1.1, 1.4):
        shifted = cooling.simulate(
            system=system,
            it_mw=10.0,
            temp_air_c=c["temp_air_c"] + o,
            temp_wet_bulb_c=c["temp_wet_bulb_c"] + o,
            **PARAMS,
            **extra,
        )
        offset = cooling.simulate(
            system=system,
            it_mw=10.0,
            temp_air_c=c["temp_air_c"],
            temp_wet_bulb_c=c["temp_wet_bulb_c"],
            temp_offset_k=o,
            **PARAMS,
            **extra,
        )
        for key in ("facility_mwh", "water_mwh", "free_mwh", "saving_mwh"):
            assert offset[key] == pytest.approx(shifted[key], rel=1e-9, abs=1e-9), key


def test_draws_of_the_offset_in_blocks_match_one_by_one():
    n = cooling.DRAWS_PER_BLOCK + 3
    off = np.random.default_rng(2).uniform(-1.5, 1.5, (n, 1))
    many = _run(offset=off, water_offset=off * 2, system="river", n=n)
    c = marseille_climate()
    supply = np.random.default_rng(5).uniform(18, 27, (n, 1))
    for i in (0, n - 1):
        water = dict(
            coverage_share=0.4,
            t_in_c=np.linspace(8, 22, 8760),
            t_out_c=30.0,
            flow_m3_per_h=None,
            density_kg_per_m3=998.21,
            specific_heat_j_per_kg_k=4184.1,
            hx_approach_k=2.0,
            t_in_offset_k=off[i, 0] * 2,
        )
        one = cooling.simulate(
            system="river",
            it_mw=10.0,
            temp_air_c=c["temp_air_c"],
            temp_wet_bulb_c=c["temp_wet_bulb_c"],
            water=water,
            temp_offset_k=off[i, 0],
            **{**PARAMS, "supply_c": supply[i, 0]},
        )
        assert many["facility_mwh"][i] == pytest.approx(one["facility_mwh"], rel=1e-12)


def test_the_offset_widens_the_pue_range_not_its_centre():
    text = open(impact.paths.default_project(), encoding="utf-8").read().replace("pue: 1.3 ", "pue: unknown ")
    fixed = parse_project_text(text + "assumptions: {climate.offset_k: 0}\n", "mrs5.yaml")
    free = parse_project_text(text, "mrs5.yaml")
    a, b = impact.estimate(fixed, draws=400), impact.estimate(free, draws=400)
    assert a.central("pue_modelled") == b.central("pue_modelled")  # the central run has no offset
    assert a.inputs["climate.offset_k"].status == "given"
    assert "climate.offset_k" in set(impact.sensitivity(free, "pue_modelled")["input"])


# ------------------------------------------------------------------------- user files


def test_pvgis_reader_matches_the_epw_of_the_same_point(shared_data):
    from impact.sources.epw import read_epw
    from impact.sources.pvgis import read_pvgis

    folder = shared_data / "climate" / "epw"
    p = read_pvgis(folder / "PVGIS_tmy_47.360_2.080_2005_2020.csv")
    e = read_epw(folder / "PVGIS_tmy_47.360_2.080_2005_2020.epw")
    assert len(p) == 8760 and str(p.index.tz) == "UTC"
    assert (p.attrs["latitude"], p.attrs["longitude"], p.attrs["elevation"]) == (47.36, 2.08, 129.0)
    assert p.attrs["months_selected"][0] == (1, 2016) and p.attrs["months_selected"][11] == (12, 2005)
    np.testing.assert_array_equal(p["temp_air_c"].to_numpy(), e["temp_air_c"].to_numpy())
    np.testing.assert_array_equal(p["relative_humidity"].to_numpy(), e["relative_humidity"].to_numpy())
    np.testing.assert_allclose(p["temp_wet_bulb_c"].to_numpy(), e["temp_wet_bulb_c"].to_numpy(), atol=0.01)
    # First record of the file by hand: 20160101:0000, T2m 4.98 °C, RH 93.66 %.
    assert p["temp_air_c"].iloc[0] == 4.98 and p["relative_humidity"].iloc[0] == 93.66


def test_what_climate_fetch_writes_reads_back(shared_data, tmp_path):
    # impact climate fetch writes what pvlib's get_pvgis_tmy returns (the same parser's output
    # as reading the export, here the real file): written, then read back, nothing changes.
    from pvlib.iotools import read_pvgis_tmy

    from impact.sources.pvgis import parse_pvgis, read_pvgis, write_pvgis_tmy_csv

    real = shared_data / "climate/epw/PVGIS_tmy_47.360_2.080_2005_2020.csv"
    data, meta = read_pvgis_tmy(real, map_variables=True)[:2]
    written = write_pvgis_tmy_csv(data, meta)
    again = parse_pvgis(written, "written.csv")
    first = read_pvgis(real)
    for col in first.columns:
        np.testing.assert_array_equal(again[col].to_numpy(), first[col].to_numpy())
    # The data lines are the real file's, byte for byte.
    raw = real.read_bytes().split(b"\r\n")
    assert [line for line in written.split(b"\r\n") if line[:2] == b"20"] == [line for line in raw if line[:2] == b"20"]
    (tmp_path / "tmy.csv").write_bytes(written)
    (tmp_path / "p.yaml").write_text(
        "name: T\ncountry: FR\nlocation: {lat: 47.36, lon: 2.08}\nit_capacity_mw: 5\n"
        "cooling: {type: dry_free_cooling}\nclimate: {pvgis: tmy.csv}\n",
        encoding="utf-8",
    )
    r = impact.estimate(impact.load_project(tmp_path / "p.yaml"), draws=100)
    assert r["pue_modelled"].known and r.inputs["climate"].status == "given"
    c = r.meta["climate"]
    assert c["kind"] == "PVGIS file" and c["distance_km"] == 0.0 and c["period"] == "2005-2020"
    assert r.inputs["climate.offset_k"].value.high == pytest.approx(math.sqrt(6) * expected_sigma(0, 0, 16))


def test_bad_pvgis_file_is_a_clear_error(tmp_path, write_project):
    (tmp_path / "bad.csv").write_text("time,T\n1,2\n", encoding="utf-8")
    path = write_project(
        "name: T\ncountry: FR\nlocation: {lat: 45, lon: 5}\nit_capacity_mw: 5\n"
        "cooling: {type: air_chillers}\nclimate: {pvgis: bad.csv}\n"
    )
    with pytest.raises(impact.InputError, match="bad.csv: line 1: not a PVGIS typical-year export"):
        impact.estimate(impact.load_project(path), draws=100)
    r = run_cli("check", path)  # check parses the data files, as the estimate does (issue 11)
    assert r.returncode == 2 and "bad.csv: line 1: not a PVGIS typical-year export" in r.stderr
    (tmp_path / "bad.csv").unlink()
    r = run_cli("check", path)
    assert r.returncode == 2 and "climate.pvgis: file not found" in r.stderr


@pytest.mark.parametrize(
    "text, message",
    [
        ("location: {lat: 45, lon: 5, altitude_m: 5000}\n", "location.altitude_m: must be"),
        ("climate: {epw: a.epw, pvgis: b.csv}\n", "give either epw or pvgis"),
        ("climate: {pvgis: b.json}\n", "climate.pvgis: must be a PVGIS typical-year export"),
    ],
)
def test_project_file_checks(text, message):
    with pytest.raises(impact.InputError, match=message):
        parse_project_text("name: T\ncountry: FR\nit_capacity_mw: 5\n" + text, "t.yaml")


# ------------------------------------------------------------------------- command line


def test_climate_fetch_offline_fails_cleanly(tmp_path):
    out = tmp_path / "tmy.csv"
    env = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    r = run_cli("climate", "fetch", "--lat", "45.1", "--lon", "5.5", "-o", out, env=env)
    assert r.returncode == 2
    assert r.stderr.startswith("error: PVGIS (45.1, 5.5): could not be reached") and "Traceback" not in r.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (("--lat", "95", "--lon", "5"), "error: --lat: must be between -90 and 90"),
        (("--lat", "45", "--lon", "200"), "error: --lon: must be between -180 and 180"),
        (("--lat", "45"), "the following arguments are required: --lon"),
    ],
)
def test_climate_fetch_argument_errors(args, message):
    r = run_cli("climate", "fetch", *args)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


def test_climate_fetch_never_overwrites_without_force(tmp_path):
    out = tmp_path / "tmy.csv"
    out.write_text("mine", encoding="utf-8")
    r = run_cli("climate", "fetch", "--lat", "45", "--lon", "5", "-o", out)
    assert r.returncode == 2 and "already exists; use --force" in r.stderr
    assert out.read_text(encoding="utf-8") == "mine"
    assert run_cli("climate").returncode == 2


# ------------------------------------------------------------------------- catalogue


def _catalogue(lang):
    return yaml.safe_load((templates_dir() / "catalogue" / lang / "climate.yaml").read_text(encoding="utf-8"))


def _fields(text):
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def test_catalogue_has_the_same_keys_and_placeholders_in_both_languages():
    fr, en = _catalogue("fr"), _catalogue("en")
    assert set(fr) == set(en)
    for key in fr:
        assert isinstance(fr[key], str) and isinstance(en[key], str)
        assert _fields(fr[key]) == _fields(en[key]), key
        fr[key].format(**{f: "x" for f in _fields(fr[key])})  # formats: no stray brace
    assert "Marseille" not in " ".join(fr.values()) + " ".join(en.values())


def test_every_note_key_written_is_in_the_catalogue(tmp_path):
    fr = _catalogue("fr")
    projects = [
        site(48.45, 2.85, "river"),
        site(43.30, 5.36, "sea", altitude=20),
        site(45.10, 5.50, altitude=1000),
        site(48.93, 2.40, altitude=60),
        site(41.93, 8.74),
        site(47.0, 2.0, extra="climate: {warming_c: 2}\n"),
        parse_project_text("name: T\ncountry: FR\nit_capacity_mw: 1\ncooling: {type: sea}\n", "t.yaml"),
    ]
    keys = set()
    for p in projects:
        for rec in impact.estimate(p, draws=100).inputs.values():
            if rec.note_key.startswith(("note.climate.", "note.water.")):  # the keys this module writes
                keys.add(rec.note_key)
                assert rec.note_key in fr, rec.note_key
                assert _fields(fr[rec.note_key]) <= set(dict(rec.note_args)), rec.note_key
    assert {
        "note.climate.none",
        "note.climate.no_location",
        "note.water.river_relation",
        "note.water.sea_basin",
        "note.climate.altitude_corrected",
        "note.climate.offset",
        "note.climate.warming",
    } <= keys


def test_climate_keys_live_in_one_catalogue_file():
    for lang in ("fr", "en"):
        mine = set(_catalogue(lang))
        for other in (templates_dir() / "catalogue" / lang).glob("*.yaml"):
            if other.name != "climate.yaml":
                assert not mine & set(yaml.safe_load(other.read_text(encoding="utf-8")) or {}), other.name


def test_dossier_sentences_take_their_arguments_from_the_results():
    fr = _catalogue("fr")
    r = impact.estimate(site(44.93, 4.89, altitude=125), draws=100)
    choice = r.meta["climate"]
    for key in ("climate.choice", "climate.choice.altitude", "climate.choice.range"):
        assert _fields(fr[key]) <= set(choice), key
    none = impact.estimate(site(41.93, 8.74), draws=100).inputs["climate"]
    assert _fields(fr["climate.none"]) <= set(dict(none.note_args))


def test_no_network_in_the_library(monkeypatch):
    # The estimate never reaches for the network: only `impact climate fetch` does.
    import socket

    def refuse(*a, **k):
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "create_connection", refuse)
    assert impact.estimate(site(48.45, 2.85), draws=100)["pue_modelled"].known


def test_a_weather_file_without_a_project_location_still_places_the_sea(tmp_path):
    from .test_cooling import write_epw_year

    c = marseille_climate()
    write_epw_year(tmp_path / "year.epw", c["temp_air_c"], c["relative_humidity"])  # LOCATION 43.33 N 5.35 E
    (tmp_path / "p.yaml").write_text(
        "name: T\ncountry: FR\nit_capacity_mw: 5\ncooling: {type: sea}\nclimate: {epw: year.epw}\n", encoding="utf-8"
    )
    r = impact.estimate(impact.load_project(tmp_path / "p.yaml"), draws=100)
    assert dict(r.inputs["cooling.water_in_c"].note_args)["basin"] == "mediterranean"
    assert r["pue_modelled"].known and r.meta["climate"]["distance_km"] is None
