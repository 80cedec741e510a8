#!/usr/bin/env python
"""Build data/basemap/marseille.gpkg from an npm package of OpenStreetMap land polygons.

Source: the npm package ``@geo-maps/earth-lands-10m`` 0.6.0 (data: © OpenStreetMap
contributors, ODbL 1.0; package code MIT). Its ``map.geo.json`` holds the land of the
whole Earth (OSM land polygons, absolute error about 10 m) as one GeoJSON
GeometryCollection, 135 MB.

What this script does, and nothing else:
1. installs the package with npm into ``build/basemap-npm`` when it is not there
   (or uses ``--package-dir``);
2. clips the land to the box BBOX (WGS 84);
3. projects to Lambert-93 (EPSG:2154), fills the holes (inland water), simplifies with a tolerance of SIMPLIFY_M
   metres (topology preserved), drops islets smaller than MIN_AREA_M2, and projects
   back to WGS 84 with coordinates rounded to ROUND_DIGITS decimals (~1 m);
4. writes two layers to ``data/basemap/marseille.gpkg``: ``land`` (polygons) and
   ``coastline`` (the land's outline inside the box, without the box's edges).

The output is a derived database of OpenStreetMap and stays under the ODbL 1.0:
see data/basemap/README.md and data/basemap/LICENSE.

Run from the repository root: ``python scripts/build_basemap.py``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "@geo-maps/earth-lands-10m"
VERSION = "0.6.0"
BBOX = (5.05, 43.10, 5.70, 43.55)  # lon_min, lat_min, lon_max, lat_max: Marseille and around
SIMPLIFY_M = 8.0
MIN_AREA_M2 = 2_000.0
ROUND_DIGITS = 5
OUT = ROOT / "data" / "basemap" / "marseille.gpkg"


def ensure_package(package_dir: Path | None) -> Path:
    if package_dir is not None:
        return package_dir
    prefix = ROOT / "build" / "basemap-npm"
    target = prefix / "node_modules" / PACKAGE
    if not (target / "map.geo.json").is_file():
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(prefix),
             f"{PACKAGE}@{VERSION}"],
            check=True,
        )
    return target


def build(package_dir: Path, out: Path = OUT) -> Path:
    import geopandas as gpd
    import pyogrio
    import shapely

    meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != PACKAGE or meta.get("version") != VERSION:
        sys.exit(f"expected {PACKAGE} {VERSION}, found {meta.get('name')} {meta.get('version')}")

    world = pyogrio.read_dataframe(package_dir / "map.geo.json", bbox=BBOX)
    box = shapely.box(*BBOX)
    # The world is one GeometryCollection: take its polygons that touch the box, one by one.
    parts = []
    for g in shapely.get_parts(shapely.get_parts(world.geometry.values)):
        if not g.intersects(box):
            continue
        clipped = shapely.make_valid(shapely.clip_by_rect(g, *BBOX))
        parts += [p for p in shapely.get_parts(clipped) if p.geom_type == "Polygon" and not p.is_empty]

    lam = gpd.GeoSeries(parts, crs="EPSG:4326").to_crs(2154)
    lam = lam.simplify(SIMPLIFY_M, preserve_topology=True)
    lam = lam[lam.area >= MIN_AREA_M2]
    merged = shapely.make_valid(shapely.union_all(lam.values))
    # Holes are inland water (lakes, reservoirs): drop them, the map draws land and sea only.
    polys = [shapely.Polygon(g.exterior) for g in shapely.get_parts(merged) if g.geom_type == "Polygon"]
    wgs = gpd.GeoSeries(polys, crs=2154).to_crs(4326)
    wgs = gpd.GeoSeries(shapely.set_precision(wgs.values, 10 ** -ROUND_DIGITS), crs=4326)
    wgs = wgs[~wgs.is_empty]
    # Deterministic order: west to east, then south to north.
    order = sorted(range(len(wgs)), key=lambda i: (round(wgs.iloc[i].bounds[0], 5), round(wgs.iloc[i].bounds[1], 5)))
    wgs = wgs.iloc[order].reset_index(drop=True)

    land_gdf = gpd.GeoDataFrame(
        {"kind": ["land"] * len(wgs), "source": ["OpenStreetMap (ODbL) via npm @geo-maps/earth-lands-10m 0.6.0"] * len(wgs)},
        geometry=wgs.values,
        crs=4326,
    )
    # Coastline: the outline of the land, minus the edges of the clipping box.
    edge = box.exterior.buffer(1e-4)
    coast = shapely.difference(shapely.union_all(shapely.boundary(wgs.values)), edge)
    coast = shapely.line_merge(coast) if coast.geom_type == "MultiLineString" else coast
    coast_gdf = gpd.GeoDataFrame(
        {"kind": ["coastline"], "source": ["OpenStreetMap (ODbL) via npm @geo-maps/earth-lands-10m 0.6.0"]},
        geometry=[coast],
        crs=4326,
    )

    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    land_gdf.to_file(out, layer="land", driver="GPKG")
    coast_gdf.to_file(out, layer="coastline", driver="GPKG")
    n = int(shapely.get_num_coordinates(wgs.values).sum())
    print(f"{out}: {len(wgs)} land polygons, {n} vertices, {out.stat().st_size / 1e6:.2f} MB")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package-dir", type=Path, help=f"folder of an installed {PACKAGE}")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    build(ensure_package(args.package_dir), args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
