"""Reading vector files (GeoJSON, GeoPackage) with clear errors; geopandas imported lazily."""

from __future__ import annotations

import warnings
from pathlib import Path

from ..errors import InputError
from ._text import label


def read_vector(path: str | Path, what: str, layer: str | None = None):
    """A GeoDataFrame from ``path`` reprojected to EPSG:4326, or an :class:`InputError`.

    Files without a CRS are taken as EPSG:4326 (GeoJSON's RFC 7946 rule).
    """
    import geopandas as gpd

    p = Path(path)
    if not p.exists():
        raise InputError(str(path), f"not found (expected {what})")
    if p.is_dir():
        raise InputError(str(path), f"is a folder, expected {what}")
    try:
        with warnings.catch_warnings():  # mixed-type properties stay text; the loaders check them
            warnings.filterwarnings("ignore", message="Could not parse column")
            gdf = gpd.read_file(p, layer=layer) if layer else gpd.read_file(p)
    except Exception as exc:  # pyogrio raises DataSourceError, ValueError, ...
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(label(path), f"cannot be read as {what}: {msg}") from None
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    elif gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs("EPSG:4326")
    gdf.attrs["source"] = label(path)
    return gdf
