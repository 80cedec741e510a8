"""Maps: the shipped basemap and context layers, and site_map / save_figure."""

from __future__ import annotations

import csv
import math
import re

import pytest

from impact.paths import data_dir

BASEMAP = data_dir() / "basemap" / "marseille.gpkg"


def _rows(path):
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _haversine_km(lat1, lon1, lat2, lon2):
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


# ------------------------------------------------------------------ shipped data


def test_basemap_is_shipped_small_with_licence_and_attribution():
    import pyogrio

    assert BASEMAP.is_file()
    assert BASEMAP.stat().st_size < 2_000_000
    # Under data/, which the wheel carries as impact/_data (pyproject force-include).
    assert BASEMAP.resolve().is_relative_to(data_dir().resolve())
    layers = {name for name, _ in pyogrio.list_layers(BASEMAP)}
    assert {"land", "coastline"} <= layers
    land = pyogrio.read_dataframe(BASEMAP, layer="land")
    assert len(land) >= 1 and land.crs.to_epsg() == 4326
    xmin, ymin, xmax, ymax = land.total_bounds
    assert xmin < 5.30 < 5.45 < xmax and ymin < 43.25 < 43.40 < ymax
    licence = (BASEMAP.parent / "LICENSE").read_text(encoding="utf-8")
    readme = (BASEMAP.parent / "README.md").read_text(encoding="utf-8")
    assert "OpenStreetMap" in licence and "ODbL" in licence
    assert "@geo-maps/earth-lands-10m" in readme and "0.6.0" in readme and "ODbL" in readme


def test_wheel_config_ships_data():
    import tomllib

    from tests.conftest import ROOT

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert conf["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]["data"] == "impact/_data"


@pytest.mark.parametrize("name", ["substations_marseille.csv", "datacenters_marseille.csv"])
def test_geo_tables_are_sourced(name):
    rows = _rows(data_dir() / "geo" / name)
    assert rows
    for row in rows:
        assert row["source"].strip(), f"{name}: {row}"


def test_datacenter_coordinates_only_where_sourced():
    rows = {r["name"]: r for r in _rows(data_dir() / "geo" / "datacenters_marseille.csv")}
    assert {"MRS1", "MRS2", "MRS3", "MRS4", "MRS5", "MRS6"} <= set(rows)
    for row in rows.values():
        has = bool(row["lat"].strip() and row["lon"].strip())
        assert has == (row["coordinate_status"] != "unknown"), row


def test_substations_match_rte_file(shared_data):
    with (shared_data / "grid" / "postes-rte-marseille-bbox.csv").open(newline="", encoding="utf-8") as f:
        rte = {r["Code poste"]: r for r in csv.DictReader(f, delimiter=";")}
    ours = _rows(data_dir() / "geo" / "substations_marseille.csv")
    assert 10 <= len(ours) <= 15
    for row in ours:
        ref = rte[row["code"]]
        assert row["name"] == ref["Nom poste"]
        assert row["function"] == ref["FONCTION"]
        assert row["status"] == ref["Etat"]
        assert float(row["voltage_kv"]) == float(ref["Tension (kV)"].removesuffix("kV"))
        assert float(row["lat"]) == pytest.approx(float(ref["Latitude poste (DD)"]), abs=1e-6)
        assert float(row["lon"]) == pytest.approx(float(ref["Longitude poste (DD)"]), abs=1e-6)
    # They are the nearest transformer substations to the MRS5 site.
    def dist(r):
        return _haversine_km(43.33, 5.35, float(r["Latitude poste (DD)"]), float(r["Longitude poste (DD)"]))

    transfo = sorted((r for r in rte.values() if r["FONCTION"] == "Poste de transformation"), key=dist)
    assert [r["code"] for r in ours] == [r["Code poste"] for r in transfo[: len(ours)]]


# ------------------------------------------------------------------ maps


@pytest.fixture(scope="module")
def mrs5():
    import impact
    from tests.conftest import MRS5

    return impact.estimate(impact.load_project(MRS5))


def _project(text):
    import yaml

    from impact.project import Project

    return Project.model_validate(yaml.safe_load(text))


def _texts(fig):
    out = list(fig.texts)
    for ax in fig.axes:
        out += ax.texts
    return [t.get_text() for t in out]


def test_mrs5_map_shows_site_substations_and_sources(mrs5):
    from impact.report.maps import site_map

    fig = site_map(mrs5)
    texts = "\n".join(_texts(fig))
    assert "MRS5" in texts
    assert "Sources" in texts and "OpenStreetMap" in texts and "RTE" in texts
    assert "Échelle" in texts
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "Site du projet" in legend and "Poste source RTE 225 kV" in legend
    assert "Cap Janet" in texts
    assert fig.impact_map["crs"] == "EPSG:2154"


def test_nearest_substation_distance_matches_haversine(mrs5):
    from impact.report.maps import site_map

    fig = site_map(mrs5)
    shown = [t for t in _texts(fig) if t.startswith("Poste le plus proche")]
    assert len(shown) == 1
    km = float(re.search(r"à ([\d,]+) km", shown[0]).group(1).replace(",", "."))
    # Cap Janet, typed in from the RTE file.
    expected = _haversine_km(43.33, 5.35, 43.336043, 5.352869)
    assert "Cap Janet" in shown[0] and "225 kV" in shown[0]
    # Shown to 0.1 km: compare the unrounded value at 1 %, the shown one to its rounding.
    exact = fig.impact_map["substations"][0]["distance_km"]
    assert exact == pytest.approx(expected, rel=0.01)
    assert km == pytest.approx(round(expected, 1), abs=0.051)


@pytest.mark.parametrize(
    "where",
    [
        "name: Lyon test\ncountry: FR\nlocation: {lat: 45.76, lon: 4.84}\nit_capacity_mw: 5\n",
        "name: Montréal test\ncountry: CA\nlocation: {lat: 45.50, lon: -73.57}\nit_capacity_mw: 5\n",
        "name: Nowhere\ncountry: FR\nit_capacity_mw: 5\n",
    ],
    ids=["lyon", "montreal", "no-location"],
)
def test_map_outside_marseille_does_not_crash(where, tmp_path):
    from impact.report.maps import save_figure, site_map

    project = _project(where)
    fig = site_map(project)
    texts = "\n".join(_texts(fig))
    if project.location is not None:
        assert "Fond de carte non disponible" in texts
        assert "Cap Janet" not in texts
        assert "OpenStreetMap" not in texts  # no layer drawn, so no such source
    save_figure(fig, tmp_path / "map.png")
    assert (tmp_path / "map.png").stat().st_size > 1000


def test_montreal_uses_utm():
    from impact.report.maps import map_crs

    assert map_crs(45.5, -73.57) == "EPSG:32618"
    assert map_crs(43.33, 5.35) == "EPSG:2154"
    assert map_crs(-33.9, 18.4) == "EPSG:32734"


def test_context_landing_points_and_communes_drawn(mrs5, shared_data):
    import geopandas as gpd

    from impact.report.maps import site_map

    communes = gpd.read_file(shared_data / "france-geojson" / "communes-13-bouches-du-rhone.geojson")
    landing = gpd.GeoDataFrame({"name": ["Point d'atterrissement (test)"]},
                               geometry=gpd.points_from_xy([5.36], [43.31]), crs=4326)
    fig = site_map(mrs5, context={"communes": communes, "communes_source": "IGN ADMIN EXPRESS (Licence Ouverte)",
                                  "landing_points": landing}, scale="small")
    texts = "\n".join(_texts(fig))
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "Limites communales" in legend and "Atterrissement de câble sous-marin" in legend
    assert "IGN ADMIN EXPRESS" in texts


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_save_figure_is_byte_identical(mrs5, tmp_path, suffix):
    from impact.report.maps import save_figure, site_map

    a = save_figure(site_map(mrs5), tmp_path / f"a{suffix}")
    b = save_figure(site_map(mrs5), tmp_path / f"b{suffix}")
    assert a.read_bytes() == b.read_bytes()
    if suffix == ".svg":
        assert b"<dc:date>" not in a.read_bytes()
