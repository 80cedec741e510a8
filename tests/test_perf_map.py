"""The maps' process-wide caches and PNG writer (issue 15): each gives what it replaces, exactly.

- the cached pyproj transformers project as a fresh ``Transformer.from_crs`` and as geopandas'
  ``to_crs`` (same coordinates, bit for bit);
- the in-memory basemap gives the rows, order and geometries of pyogrio's ``bbox`` read;
- (the map renderer's kept text work: tests/test_agg_text.py);
- the maps' PNG writer (unfiltered rows) gives the pixels of ``charts.write_png``;
- a map drawn with every cache empty and the same map drawn again after other maps (caches
  warm) have the same pixels (decoded PNG arrays, no tolerance);
- maps drawn by this code and by the code before the caches (commit :data:`BEFORE`, read from
  git: skipped without it) have the same pixels: three territories' maps and three dossier
  maps (city and thumbnail), in different régions.
"""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys

import numpy as np
import pytest

from .conftest import MRS5, ROOT

#: The commit before the maps' caches: its maps are the reference.
BEFORE = "1188f33ab2475c5aa85a080035f522eb1633a64b"
CASES = ROOT / "data" / "projects" / "cases"
#: Dossier maps in three régions (Île-de-France, Hauts-de-France, Provence-Alpes-Côte d'Azur).
DOSSIER_SITES = (CASES / "digital-realty-dugny.yaml", CASES / "ovhcloud-roubaix.yaml", MRS5)
#: Territories' maps in three régions: (city, [(site name, lat, lon)]).
TERRITORIES = (
    ("Lille", [("T Lille 1", 50.6311, 3.0468), ("T Lille 2", 50.6500, 3.0800)]),
    ("Strasbourg", [("T Strasbourg", 48.5734, 7.7521), ("T Illkirch", 48.5300, 7.7150)]),
    ("Bordeaux", [("T Bordeaux", 44.8378, -0.5792)]),
)


def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)))


def _territory_sites(sites):
    from impact.project import Project

    return [
        (
            name,
            Project.model_validate(
                {"name": name, "country": "FR", "it_capacity_mw": 20, "location": {"lat": lat, "lon": lon}}
            ),
        )
        for name, lat, lon in sites
    ]


# ---------------------------------------------------------------- the caches, one by one


def test_cached_transformers_project_as_fresh_ones_and_as_geopandas():
    import geopandas as gpd
    from pyproj import Transformer

    from impact.report import map_layers as ml

    rng = np.random.default_rng(15)
    lon, lat = rng.uniform(-5, 9.5, 500), rng.uniform(41.5, 51, 500)
    for crs in ("EPSG:2154", "EPSG:32631"):
        cached = ml.transformer(4326, crs)
        assert ml.transformer(4326, crs) is cached  # built once
        fresh = Transformer.from_crs(4326, crs, always_xy=True)
        x, y = cached.transform(lon, lat)
        fx, fy = fresh.transform(lon, lat)
        assert np.array_equal(x, fx) and np.array_equal(y, fy)
        gdf = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326).to_crs(crs)
        assert np.array_equal(x, gdf.geometry.x.to_numpy()) and np.array_equal(y, gdf.geometry.y.to_numpy())
        back_lon, back_lat = ml.transformer(crs, 4326).transform(x, y)
        f_lon, f_lat = Transformer.from_crs(crs, 4326, always_xy=True).transform(fx, fy)
        assert np.array_equal(back_lon, f_lon) and np.array_equal(back_lat, f_lat)


def test_a_forked_process_or_another_thread_builds_its_own_transformer(monkeypatch):
    import threading

    from impact.report import map_layers as ml

    mine = ml.transformer(4326, "EPSG:2154")
    other: list = []
    thread = threading.Thread(target=lambda: other.append(ml.transformer(4326, "EPSG:2154")))
    thread.start()
    thread.join()
    assert other[0] is not mine
    monkeypatch.setattr(os, "getpid", lambda: -1)  # another process id: another entry
    assert ml.transformer(4326, "EPSG:2154") is not mine


def test_the_basemap_in_memory_is_pyogrio_s_bbox_read():
    import pyogrio

    from impact.report import map_layers as ml
    from impact.report import maps
    from impact.sources import france

    path = france.folder() / "basemap.gpkg"
    rng = np.random.default_rng(7)
    # Frames over France and its borders, of the three sizes maps draw.
    points = list(zip(rng.uniform(42.3, 51.0, 40), rng.uniform(-4.8, 8.2, 40))) + [
        (47.7258, 7.5134),  # the Rhine
        (48.3834, -4.4880),  # Brest
        (43.2965, 5.3698),  # Marseille
    ]
    compared = 0
    for lat, lon in points:
        for half in (6_500.0, 16_000.0, 40_000.0):
            frame = ml.make_frame(lat, lon, maps.map_crs(lat, lon), half)
            got = france.basemap(frame.bbox_wgs84)
            for layer in france.BASEMAP_LAYERS:
                ref = pyogrio.read_dataframe(path, layer=layer, bbox=tuple(frame.bbox_wgs84))
                mine = got[layer]
                assert len(mine) == len(ref) and list(mine.columns) == list(ref.columns), layer
                assert mine.attrs["source"] == (ref["source"].iloc[0] if len(ref) else "")
                if len(ref):
                    assert mine.crs == ref.crs and list(mine.dtypes) == list(ref.dtypes)
                    assert mine.drop(columns="geometry").equals(ref.drop(columns="geometry")), layer
                    assert [g.wkb for g in mine.geometry] == [g.wkb for g in ref.geometry], layer
                    compared += 1
    assert compared > 100


def test_the_names_of_a_level_are_built_once():
    from impact.sources import france

    names = france._names("commune")
    assert france._names("commune") is names
    assert names == {code: r["name"] for code, r in france._commune_rows().items()}


# ---------------------------------------------------------------- whole maps


def _territory_png(city, sites) -> bytes:
    from impact.report.city import city_map

    url, _ = city_map(city, _territory_sites(sites), "fr", None)
    assert url is not None
    return base64.b64decode(url.split(",", 1)[1])


def _empty_caches(monkeypatch):
    from impact.report import agg_text, maps
    from impact.report import map_layers as ml
    from impact.sources import france

    agg_text.clear()
    for cached in (
        ml.transformer,
        maps._proj,
        maps._measuring_renderer,
        france._basemap_index,
        france._basemap_layer,
        france._names,
    ):
        cached.cache_clear()


def test_a_map_drawn_with_empty_caches_and_with_warm_ones_has_the_same_pixels(monkeypatch):
    _empty_caches(monkeypatch)
    city, sites = TERRITORIES[0]
    cold = _pixels(_territory_png(city, sites))
    for other, other_sites in TERRITORIES[1:]:  # other maps fill the caches in between
        _territory_png(other, other_sites)
    warm = _pixels(_territory_png(city, sites))
    assert cold.shape == warm.shape and np.array_equal(cold, warm)


#: Run by the code of a commit (PYTHONPATH): the maps' PNGs, base64, one a line.
_DRAW = """
import base64, json, sys
from pathlib import Path
import impact
from impact.project import Project
from impact.project_data import load_context
from impact.report import maps
from impact.report.city import city_map
from impact.report.figures import map_context

spec = json.loads(sys.argv[1])
out = []
for city, sites in spec["territories"]:
    ps = [(n, Project.model_validate({"name": n, "country": "FR", "it_capacity_mw": 20, "location": {"lat": a, "lon": o}}))
          for n, a, o in sites]
    out.append(city_map(city, ps, "fr", None)[0].split(",", 1)[1])
for path in spec["dossiers"]:
    project = impact.load_project(path)
    context = map_context(load_context(project), "fr")
    for scale in ("city", "small"):
        fig = maps.site_map(project, scale=scale, context=context, lang="fr", text_below=scale == "small")
        file = Path(spec["tmp"]) / "map.png"
        maps.save_figure(fig, file)
        out.append(base64.b64encode(file.read_bytes()).decode("ascii"))
print("\\n".join(out))
"""


def _draw_with(code_root, tmp_path) -> list[np.ndarray]:
    import json

    spec = {
        "territories": [[c, s] for c, s in TERRITORIES],
        "dossiers": [str(p) for p in DOSSIER_SITES],
        "tmp": str(tmp_path),
    }
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    run = subprocess.run(
        [sys.executable, "-c", _DRAW, json.dumps(spec)], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return [_pixels(base64.b64decode(line)) for line in run.stdout.split()]


def _old_code(tmp_path):
    """The package at :data:`BEFORE`, with this checkout's data and templates; None without git
    or without that commit (a shallow clone)."""
    old = tmp_path / "before"
    old.mkdir()
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", BEFORE, "impact"], capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    for name in ("data", "templates"):
        (old / name).symlink_to(ROOT / name)
    return old


def test_maps_have_the_pixels_of_the_code_before_the_caches(tmp_path):
    old = _old_code(tmp_path)
    if old is None:
        pytest.skip(f"commit {BEFORE[:7]} is not in this clone")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    before = _draw_with(old, tmp_path / "a")
    now = _draw_with(ROOT, tmp_path / "b")
    assert len(before) == len(now) == len(TERRITORIES) + 2 * len(DOSSIER_SITES)
    for k, (a, b) in enumerate(zip(before, now)):
        assert a.shape == b.shape and np.array_equal(a, b), f"map {k}"


@pytest.mark.parametrize("transparent", [False, True])
def test_the_maps_png_has_the_pixels_of_charts_write_png(tmp_path, transparent):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    from impact.report import charts, maps

    def figure():
        fig = Figure(figsize=(3.1, 2.3), dpi=150)
        FigureCanvasAgg(fig)
        if transparent:  # half-transparent pixels: composited on white
            fig.patch.set_alpha(0.0)
        ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
        ax.fill([0, 1, 1], [0, 0, 1], color="#c0392b", alpha=0.4)
        ax.text(0.2, 0.6, "Saint-Étienne", fontsize=9)
        return fig

    charts.write_png(figure(), tmp_path / "charts.png", 150)
    maps._write_png(figure(), tmp_path / "maps.png", 150)
    ref, got = Image.open(tmp_path / "charts.png"), Image.open(tmp_path / "maps.png")
    assert (got.mode, got.size, got.info["dpi"]) == (ref.mode, ref.size, ref.info["dpi"])
    assert got.mode == "RGB"
    assert np.array_equal(np.asarray(ref), np.asarray(got))
    drawn = figure()
    drawn.canvas.draw()  # the composite on white is exercised with transparent pixels only
    assert bool((np.asarray(drawn.canvas.buffer_rgba())[..., 3] < 255).any()) == transparent


def test_the_registry_s_points_are_those_of_one_by_one_distances():
    from impact.model.geodesy import haversine_km
    from impact.project import Project
    from impact.report import map_layers as ml
    from impact.report import maps

    lat0, lon0 = 43.2965, 5.3698
    rng = np.random.default_rng(3)
    offsets = [(0.0, 0.0), (0.0003, 0.0), (0.00044, 0.0001), (0.0005, 0.0), (0.002, 0.003)]
    offsets += list(zip(rng.uniform(-0.05, 0.05, 60), rng.uniform(-0.05, 0.05, 60)))
    offsets += list(zip(rng.uniform(-1.0, 1.0, 60), rng.uniform(-1.0, 1.0, 60)))  # most outside the frame
    rows = [
        (
            k,
            Project.model_validate(
                {"name": f"R{k}", "country": "FR", "it_capacity_mw": 5, "location": {"lat": lat0 + a, "lon": lon0 + b}}
            ),
        )
        for k, (a, b) in enumerate(offsets)
    ]
    project = Project.model_validate(
        {"name": "Own", "country": "FR", "it_capacity_mw": 5, "location": {"lat": lat0, "lon": lon0}}
    )
    frame = ml.make_frame(lat0, lon0, maps.map_crs(lat0, lon0), 6_500.0)
    gdf, _, _ = ml.registry_points(rows, project, frame)
    # The reference: the rule one site at a time (its own site within 50 m is left out), every
    # point projected and tested against the frame.
    import geopandas as gpd

    kept = [p for _, p in rows if haversine_km(lat0, lon0, p.location.lat, p.location.lon) >= 0.05]
    ref = gpd.GeoDataFrame(
        {"name": [p.name for p in kept]},
        geometry=gpd.points_from_xy([p.location.lon for p in kept], [p.location.lat for p in kept]),
        crs=4326,
    ).to_crs(frame.crs)
    ref = ref[ref.intersects(frame.polygon)]
    assert list(gdf["name"]) == list(ref["name"])
    assert [g.wkb for g in gdf.geometry] == [g.wkb for g in ref.geometry]
    assert {"R0", "R1"}.isdisjoint(gdf["name"]) and "R3" in set(gdf["name"]) and 60 < len(gdf) < len(rows) - 30
