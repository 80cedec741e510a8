"""Administrative boundaries (communes, départements, régions): GeoJSON or GeoPackage.

Typical sources: IGN ADMIN EXPRESS, or the france-geojson simplification of it
(properties ``code``, ``nom``).
"""

from __future__ import annotations

from pathlib import Path

#: Usual property names -> ours.
VARIABLE_MAP = {"code": "code", "nom": "name", "insee": "code", "code_insee": "code", "name": "name"}


def read_boundaries(path: str | Path, layer: str | None = None):
    """Read administrative boundaries.

    Parameters
    ----------
    path : str or Path
        GeoJSON or GeoPackage, in any CRS.
    layer : str, optional
        Layer of a GeoPackage holding several.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326; ``code`` and ``name`` where the file has them (``code`` /
        ``nom`` in IGN-derived files), the other properties as published.

    Raises
    ------
    InputError
        if the file cannot be read or holds no polygon.
    """
    from ..errors import InputError
    from ._geo import read_vector

    gdf = read_vector(path, "boundaries (GeoJSON or GeoPackage)", layer)
    ren = {}
    for col in gdf.columns:
        ours = VARIABLE_MAP.get(str(col).lower())
        if ours and ours not in gdf.columns and ours not in ren.values():
            ren[col] = ours
    gdf = gdf.rename(columns=ren)
    kinds = set(gdf.geom_type.dropna())
    if not kinds or not kinds <= {"Polygon", "MultiPolygon"}:
        raise InputError(gdf.attrs["source"], f"expected polygons (boundaries), found {', '.join(sorted(kinds)) or 'no geometry'}")
    return gdf
