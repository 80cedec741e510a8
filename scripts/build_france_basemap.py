#!/usr/bin/env python
"""Build data/france/basemap.gpkg: national borders, rivers, lakes and foreign land around
metropolitan France, from ../shared/data/basemap-france and ../shared/data/basemap.

Inputs: ``<shared>/basemap-france/france_gshhg_wdbii.gpkg`` (GSHHG 2.3.7 / WDBII lines, LGPL-3.0-
or-later; WDBII public domain), ``<shared>/basemap/land-10m.json`` and ``countries-50m.json``
(Natural Earth, public domain, as TopoJSON by npm world-atlas 2.0.2, ISC), and the shipped commune
coverage ``data/france/boundaries.npz`` (IGN ADMIN EXPRESS, built by build_france_communes.py).

Layers (EPSG:4326, coordinates rounded to 1e-5 degree, lines simplified by Douglas-Peucker at
SIMPLIFY_M in Lambert-93):
- ``borders``: WDBII national borders (``national_borders_full``);
- ``rivers``: WDBII rivers, all four levels, with ``level`` (1 double-lined, 2 permanent major,
  3 additional major, 4 additional rivers): draw 1-3 at 1:500,000, all at 1:50,000-1:150,000;
- ``lakes``: GSHHG lake shores (level 2) that close, as polygons; ``lake_shores``: those that do
  not close (cut by the data's box), as lines;
- ``foreign_land``: Natural Earth 10 m land within NEAR_FOREIGN_KM of a country other than France
  (Natural Earth 50 m countries), minus France's commune coverage, opened by OPENING_M (slivers
  along the French coast removed), clipped to BOX.
France's own land is the union of the communes (IGN), which follows the coast; the sea is what is
neither.

Run from the repository root: ``python scripts/build_france_basemap.py [SHARED] [-o OUT]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _france_common import parser, round_coords, write_gpkg

BOX = (-6.0, 41.0, 10.0, 51.6)  # lon_min, lat_min, lon_max, lat_max: the GSHHG extract's box
SIMPLIFY_M = 30.0
NEAR_FOREIGN_KM = 10.0
OPENING_M = 150.0
DECIMALS = 5
SOURCE_GSHHG = "GSHHG 2.3.7 / WDBII (Wessel & Smith 1996), LGPL-3.0-or-later"
SOURCE_NE = "Natural Earth 10 m land, 50 m countries (public domain), via world-atlas 2.0.2; IGN ADMIN EXPRESS"


def _lines(gdf, decimals=DECIMALS):
    import numpy as np
    import shapely

    lam = gdf.to_crs(2154)
    simple = shapely.simplify(np.asarray(lam.geometry.values), SIMPLIFY_M, preserve_topology=True)
    out = gdf.copy()
    out["geometry"] = round_coords(np.asarray(type(lam.geometry)(simple, crs=2154).to_crs(4326).values), decimals)
    return out


def france_land(out: Path):
    """The union of the shipped régions (the commune coverage), WGS 84."""
    import numpy as np
    import shapely

    z = np.load(out / "boundaries.npz", allow_pickle=False)
    xy = np.cumsum(np.stack([z["regions.x"], z["regions.y"]], 1).astype(np.int64), axis=0) / 10 ** int(z["decimals"][0])
    geoms = shapely.from_ragged_array(
        shapely.GeometryType.MULTIPOLYGON, xy, (z["regions.o0"], z["regions.o1"], z["regions.o2"])
    )
    return shapely.coverage_union_all(geoms)


def foreign_land(shared: Path, france):
    import geopandas as gpd
    import numpy as np
    import pyogrio
    import shapely

    box = shapely.box(*BOX)
    land = pyogrio.read_dataframe(shared / "basemap" / "land-10m.json", layer="land")
    countries = pyogrio.read_dataframe(shared / "basemap" / "countries-50m.json", layer="countries")
    land = shapely.clip_by_rect(shapely.union_all(shapely.make_valid(land.geometry.values)), *BOX)
    others = countries[(countries["name"] != "France") & countries.intersects(box)]
    lam = lambda g: gpd.GeoSeries([g], crs=4326).to_crs(2154).iloc[0]  # noqa: E731
    near = shapely.buffer(lam(shapely.union_all(shapely.make_valid(others.geometry.values))), NEAR_FOREIGN_KM * 1000)
    foreign = shapely.difference(shapely.intersection(lam(land), near), lam(france))
    foreign = shapely.buffer(shapely.buffer(foreign, -OPENING_M), OPENING_M)
    foreign = shapely.simplify(foreign, SIMPLIFY_M, preserve_topology=True)
    wgs = gpd.GeoSeries([foreign], crs=2154).to_crs(4326).iloc[0]
    wgs = shapely.clip_by_rect(wgs, *BOX)
    parts = [p for p in shapely.get_parts(wgs) if p.geom_type == "Polygon" and not p.is_empty]
    parts = round_coords(np.asarray(parts, dtype=object), DECIMALS)
    parts = shapely.make_valid(parts)
    polys = [q for p in parts for q in shapely.get_parts(p) if q.geom_type == "Polygon" and q.area > 0]
    polys.sort(key=lambda p: (round(p.bounds[0], 5), round(p.bounds[1], 5)))
    return gpd.GeoDataFrame({"source": [SOURCE_NE] * len(polys)}, geometry=polys, crs=4326)


def build(shared: Path, out: Path, verbose: bool = True) -> dict:
    import geopandas as gpd
    import pyogrio
    import shapely

    src = shared / "basemap-france" / "france_gshhg_wdbii.gpkg"
    read = lambda layer: pyogrio.read_dataframe(src, layer=layer)  # noqa: E731
    borders = _lines(read("national_borders_full"))[["kind", "level", "geometry"]]
    rivers = _lines(read("rivers_full"))[["kind", "level", "geometry"]]
    shores = read("lake_shores_full")
    closed = shores.geometry.is_closed
    lake_polys = [shapely.make_valid(shapely.Polygon(g.coords)) for g in shores.geometry[closed]]
    lakes = gpd.GeoDataFrame(
        {"kind": "lake", "level": 2}, index=range(len(lake_polys)), geometry=list(lake_polys), crs=4326
    )
    lakes = _lines(lakes)
    lakes["geometry"] = [
        shapely.multipolygons([p for p in shapely.get_parts(shapely.make_valid(g)) if p.geom_type == "Polygon"])
        for g in lakes.geometry
    ]
    lake_shores = _lines(shores[~closed].reset_index(drop=True))[["kind", "level", "geometry"]]
    layers = {
        "borders": borders,
        "rivers": rivers,
        "lakes": lakes,
        "lake_shores": lake_shores,
        "foreign_land": foreign_land(shared, france_land(out)),
    }
    for name, gdf in layers.items():
        if name != "foreign_land":
            gdf["source"] = SOURCE_GSHHG
        assert shapely.is_valid(gdf.geometry.values).all(), name
    write_gpkg(out / "basemap.gpkg", layers)
    summary = {name: (len(g), int(shapely.get_num_coordinates(g.geometry.values).sum())) for name, g in layers.items()}
    if verbose:
        print(
            f"{out / 'basemap.gpkg'}: {(out / 'basemap.gpkg').stat().st_size / 1e6:.2f} MB, "
            f"(features, vertices) {summary}"
        )
    return summary


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__).parse_args(argv)
    build(args.shared, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
