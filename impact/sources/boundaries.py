"""Administrative boundaries (communes, départements, régions): GeoJSON or GeoPackage.

Typical sources: IGN ADMIN EXPRESS, or the france-geojson simplification of it
(properties ``code``, ``nom``).
"""

from __future__ import annotations

from pathlib import Path

#: Usual property names -> ours.
VARIABLE_MAP = {"code": "code", "nom": "name", "insee": "code", "code_insee": "code", "name": "name"}


WHAT = "boundaries (GeoJSON or GeoPackage)"


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
        ``nom`` in IGN-derived files), the other properties as published. A polygon that is not
        valid (a ring crossing itself) is repaired (:func:`shapely.make_valid`, polygonal parts
        kept: the same lines, split where they cross); ``attrs["repaired"]`` lists those features
        (numbered from 1).

    Raises
    ------
    InputError
        if the file cannot be read or holds no polygon.
    """
    from ._geo import read_vector

    return _boundaries(read_vector(path, WHAT, layer, kind="boundaries"))


def parse_boundaries(raw: bytes, source: str = "<boundaries>", layer: str | None = None):
    """Parse the bytes of a boundaries file; see :func:`read_boundaries`."""
    from ._geo import parse_vector

    return _boundaries(parse_vector(raw, source, WHAT, layer))


def _boundaries(gdf):
    from ..errors import InputError

    ren = {}
    for col in gdf.columns:
        ours = VARIABLE_MAP.get(str(col).lower())
        if ours and ours not in gdf.columns and ours not in ren.values():
            ren[col] = ours
    gdf = gdf.rename(columns=ren)
    kinds = set(gdf.geom_type.dropna())
    if not kinds or not kinds <= {"Polygon", "MultiPolygon"}:
        raise InputError(
            gdf.attrs["source"], f"expected polygons (boundaries), found {', '.join(sorted(kinds)) or 'no geometry'}"
        )
    return repair_polygons(gdf)


def repair_polygons(gdf):
    """``gdf`` with each invalid polygon made valid, its polygonal parts kept; ``attrs["repaired"]``
    lists the features repaired (from 1). A polygon with no area left is an :class:`InputError`."""
    import numpy as np
    import shapely

    from ..errors import InputError

    geoms = gdf.geometry.to_numpy()
    invalid = np.flatnonzero(~shapely.is_valid(geoms) & ~shapely.is_missing(geoms))
    gdf.attrs["repaired"] = [int(i) + 1 for i in invalid]
    if not len(invalid):
        return gdf
    fixed = geoms.copy()
    for i in invalid:
        parts = shapely.get_parts(shapely.make_valid(geoms[i]))
        polygons = [g for g in shapely.get_parts(parts) if g.geom_type in ("Polygon", "MultiPolygon") and g.area > 0]
        if not polygons:
            raise InputError(
                gdf.attrs.get("source", "<boundaries>"),
                [
                    (
                        f"feature {i + 1}",
                        f"the polygon has no area ({shapely.is_valid_reason(geoms[i])}): "
                        "expected a boundary enclosing a territory",
                    )
                ],
            )
        fixed[i] = shapely.multipolygons(polygons) if len(polygons) > 1 else polygons[0]
    out = gdf.set_geometry(fixed, crs=gdf.crs)
    out.attrs = dict(gdf.attrs)
    return out
