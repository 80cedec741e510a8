"""The maps' own small data: the countries around France (``data/basemap/countries.gpkg``,
built by ``scripts/build_basemap.py``), to name the foreign land a map shows."""

from __future__ import annotations

from functools import cache

from ..paths import data_dir


@cache
def _countries_wgs84():
    import pyogrio

    return pyogrio.read_dataframe(data_dir() / "basemap" / "countries.gpkg", layer="countries")


def countries(crs: str, bbox: tuple[float, float, float, float]) -> list[tuple[str, object]]:
    """``(ISO alpha-2 code, polygon in crs)`` of the countries meeting ``bbox`` [degree]."""
    import shapely

    gdf = _countries_wgs84()
    gdf = gdf[gdf.intersects(shapely.box(*bbox))]
    if not len(gdf):
        return []
    gdf = gdf.to_crs(crs)
    return list(zip(gdf["code"], gdf.geometry))
