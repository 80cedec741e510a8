"""Project keys that point to data files (grid.eco2mix, climate.epw, land, context),
wired into the estimate and the command line."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

import impact
from impact.errors import InputError
from impact.project import parse_project
from impact.project_data import load_context, load_weather, resolve_path

from .conftest import MINIMAL, ROOT, run_cli
from .test_sources import EPW, HEADER, NATIONAL, write_parcels


def _hand_intensity(path):
    """December only: the mean over the 24 hours of each hour-of-day mean of the CO2 rate."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    h = rows[0]
    by_hour: dict[int, list[float]] = {}
    for r in rows[1:]:
        by_hour.setdefault(int(r[h.index("Heure")][:2]), []).append(float(r[h.index("Taux de CO2 (g/kWh)")]))
    return sum(sum(v) / len(v) for v in by_hour.values()) / 24


def test_eco2mix_feeds_the_carbon_indicator(shared_data, write_project):
    path = write_project(MINIMAL + f"grid: {{eco2mix: {shared_data / NATIONAL}}}\n")
    results = impact.estimate(impact.load_project(path))
    rec = results.inputs["grid.carbon_intensity_g_per_kwh"]
    direct = _hand_intensity(shared_data / NATIONAL)
    # éCO2mix's rate is direct production: the 2021 gap between ADEME's consumption mix in life cycle
    # (56.9 g/kWh) and RTE's direct figure (36 g/kWh) is added; the direct rate is the low value.
    expected = direct + (56.9 - 36)
    assert rec.status == "derived" and rec.value.central == pytest.approx(expected)
    assert rec.value.low == pytest.approx(direct)
    assert results.inputs["grid.carbon_intensity_direct_g_per_kwh"].value.central == pytest.approx(direct)
    assert "eco2mix-national-tr_2021-12-01_15.csv" in rec.source
    assert "extended by month and hour of day" in rec.note and "Jan" in rec.note
    energy = results["facility_energy_mwh"].central
    assert results["co2e_location_t"].central == pytest.approx(energy * expected / 1000)
    assert results["co2e_location_direct_t"].central == pytest.approx(energy * direct / 1000)
    # the residual mix, not given, stands in with the same figure
    assert results.inputs["grid.residual_mix_g_per_kwh"].value.central == pytest.approx(expected)


def _small_eco2mix(folder, bad=False):
    folder.mkdir(parents=True, exist_ok=True)
    rows = [HEADER] + [
        f"France;Données temps réel;2021-12-01;{h:02d}:00;2021-12-01T{h:02d}:00:00+01:00;67000;43000;{40 + h};"
        for h in range(24)
    ]
    if bad:
        rows[13] = rows[13].replace(";52;", ";5 2;")
    path = folder / "eco2mix.csv"
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    return path


def test_relative_paths_resolve_against_the_project_folder(tmp_path, write_project):
    _small_eco2mix(tmp_path / "data")
    path = write_project(MINIMAL + "grid: {eco2mix: data/eco2mix.csv}\n")
    results = impact.estimate(impact.load_project(path))
    # hours 0..23 at 40 + h g/kWh, one day: the year takes that day's profile -> mean 51.5 (direct),
    # plus the 2021 gap ADEME consumption 56.9 - RTE direct 36 = 20.9 g/kWh
    assert results.inputs["grid.carbon_intensity_g_per_kwh"].value.central == pytest.approx(51.5 + 20.9)


def test_project_from_a_dict_resolves_against_cwd(tmp_path, monkeypatch):
    project = parse_project({"name": "x", "country": "FR", "it_capacity_mw": 1, "climate": {"epw": "w.epw"}})
    monkeypatch.chdir(tmp_path)
    assert resolve_path(project, "w.epw") == tmp_path / "w.epw"


def test_cli_corrupt_eco2mix_exits_2_with_line_and_column(tmp_path, write_project):
    _small_eco2mix(tmp_path / "data", bad=True)
    path = write_project(MINIMAL + "grid: {eco2mix: data/eco2mix.csv}\n")
    r = run_cli("estimate", path)
    assert r.returncode == 2
    assert r.stderr.strip() == "error: eco2mix.csv: line 14, column 8: 'Taux de CO2 (g/kWh)' is not a number: '5 2'"
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_cli_missing_data_file_exits_2(write_project):
    path = write_project(MINIMAL + "grid: {eco2mix: nowhere.csv}\n")
    r = run_cli("estimate", path)
    # The message of `impact check` (one validation for every command: impact.validate).
    assert r.returncode == 2 and "project.yaml: grid.eco2mix: file not found: " in r.stderr
    assert "nowhere.csv (paths are relative to the project file's folder)" in r.stderr
    assert "Traceback" not in r.stderr
    assert run_cli("check", path).stderr == r.stderr


def test_regional_export_without_co2_is_refused(shared_data, write_project):
    path = write_project(MINIMAL + f"grid: {{eco2mix: {shared_data / 'eco2mix/eco2mix-regional-tr_PACA_2020.csv'}}}\n")
    with pytest.raises(InputError, match="Taux de CO2"):
        impact.estimate(impact.load_project(path))


def test_land_parcels_give_the_site_area(tmp_path, write_project):
    write_parcels(tmp_path / "cadastre.json")
    path = write_project(MINIMAL + "land: {parcels: cadastre.json, ids: [132020000A0012, 132020000A0013]}\n")
    results = impact.estimate(impact.load_project(path))
    assert results["land_site_m2"].central == 4521 + 3980  # the contenance written in write_parcels
    assert results.inputs["building.site_area_m2"].status == "derived"
    bad = write_project(MINIMAL + "land: {parcels: cadastre.json, ids: [132020000A0099]}\n", name="bad.yaml")
    r = run_cli("estimate", bad)
    assert r.returncode == 2 and "cadastre.json: land.ids: parcel '132020000A0099' is not in the file" in r.stderr


@pytest.mark.parametrize(
    "extra, message",
    [
        (
            "land: {parcels: c.json, ids: [A1]}\nbuilding: {site_area_m2: 100}\n",
            "give either building.site_area_m2 or land",
        ),
        ("land: {parcels: c.json, ids: []}\n", "land.ids: must list at least one parcel id"),
        ("land: {parcels: c.json, ids: [A1, A1]}\n", "land.ids: parcel 'A1' is listed twice"),
        ("climate: {epw: weather.csv}\n", "climate.epw: must be an EnergyPlus weather file (.epw)"),
        (
            "grid: {eco2mix: e.csv, carbon_intensity_g_per_kwh: 50}\n",
            "give either carbon_intensity_g_per_kwh or eco2mix",
        ),
        ("context: {substations: postes.csv}\n", "context.substations needs location"),
        ("context: {cables: 3}\n", "context.cables: must be a file path (text), got 3"),
    ],
)
def test_data_file_keys_are_validated(write_project, extra, message):
    r = run_cli("check", write_project(MINIMAL + extra))
    assert r.returncode == 2 and message in r.stderr, r.stderr


def test_nearest_substations(shared_data, write_project):
    from pyproj import Geod

    subs = shared_data / "grid" / "postes-rte-marseille-bbox.csv"
    lat, lon = 43.3315, 5.3544  # MRS5, port of Marseille
    path = write_project(MINIMAL + f"location: {{lat: {lat}, lon: {lon}}}\ncontext: {{substations: {subs}}}\n")
    results = impact.estimate(impact.load_project(path))
    near = results.nearest_substations
    # Independently: every row of the raw file, WGS 84 geodesic distances.
    geod = Geod(ellps="WGS84")
    with open(subs, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))[1:]
    dist = sorted((geod.inv(lon, lat, float(r[5]), float(r[6]))[2] / 1000, r[1], r[4]) for r in rows)[:3]
    assert [n["name"] for n in near] == [d[1] for d in dist]
    for n, (km, _, volt) in zip(near, dist):
        assert n["distance_km"] == pytest.approx(km, rel=0.005)
        assert n["voltage_kv"] == float(volt.removesuffix("kV"))
    d = json.loads(json.dumps(results.to_dict()))
    assert [n["name"] for n in d["nearest_substations"]] == [x[1] for x in dist]
    assert "nearest_substations" not in impact.estimate(impact.load_project(write_project(MINIMAL))).to_dict()


def test_weather_and_context_layers(shared_data, tmp_path, write_project):
    (tmp_path / "w.epw").write_bytes(EPW.read_bytes())
    cables = shared_data / "submarine-cables" / "marseille-cables-geo.json"
    bounds = shared_data / "france-geojson" / "departement-13-bouches-du-rhone.geojson"
    path = write_project(MINIMAL + f"climate: {{epw: w.epw}}\ncontext: {{cables: {cables}, boundaries: {bounds}}}\n")
    project = impact.load_project(path)
    weather = load_weather(project)
    assert len(weather) == 72 and "temp_wet_bulb_c" in weather
    layers = load_context(project)
    assert set(layers) == {"cables", "boundaries"} and len(layers["boundaries"]) == 1
    # Three days are not a year: the cooling model refuses them, naming the file.
    with pytest.raises(impact.InputError, match="w.epw: climate.epw: has 72 hours"):
        impact.estimate(project)


def test_estimate_with_eco2mix_does_not_import_geo_libraries(tmp_path, write_project):
    _small_eco2mix(tmp_path / "data")
    path = write_project(MINIMAL + "grid: {eco2mix: data/eco2mix.csv}\n")
    code = (
        "import sys\nfrom impact.cli import main\n"
        f"try:\n    main(['estimate', {str(path)!r}])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('HEAVY=' + ','.join(m for m in ('geopandas', 'shapely', 'pyproj', 'pvlib', "
        "'matplotlib', 'weasyprint') if m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.stderr.rsplit("HEAVY=", 1)[1].strip() == ""


def test_eco2mix_is_weighted_by_the_modelled_hourly_load(shared_data, write_project):
    # A Marseille site: the hourly cooling model runs, and its site power weights the grid's hourly intensity.
    from impact.model.grid_hourly import annual_intensity
    from impact.sources import read_eco2mix

    path = write_project(
        "name: M\ncountry: FR\ncity: Marseille\nlocation: {lat: 43.33, lon: 5.35}\n"
        "it_capacity_mw: 10\ncooling: {type: dry_free_cooling}\n"
        f"grid: {{eco2mix: {shared_data / NATIONAL}}}\n"
    )
    r = impact.estimate(impact.load_project(path), draws=200)
    rec = r.inputs["grid.carbon_intensity_g_per_kwh"]
    assert "weighted by the site's load by month and hour of day" in rec.note
    co2 = read_eco2mix(shared_data / NATIONAL)["co2_g_per_kwh"]
    direct = annual_intensity(co2, r.hourly["facility_mw"]).value_g_per_kwh
    expected = direct + (56.9 - 36)  # the 2021 gap, ADEME consumption mix - RTE direct
    assert rec.value.central == pytest.approx(expected, rel=1e-12)
    assert r.inputs["grid.carbon_intensity_direct_g_per_kwh"].value.central == pytest.approx(direct, rel=1e-12)
    assert r.central("co2e_location_t") == pytest.approx(r.central("facility_energy_mwh") * expected / 1000)
