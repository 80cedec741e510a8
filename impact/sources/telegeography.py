"""Submarine cables and landing points: TeleGeography's open GeoJSON.

``cable-geo.json``: one (Multi)LineString per cable segment with ``id``,
``name``, ``color``, ``feature_id``; ``landing-point-geo.json``: one Point per
landing station with ``id``, ``name``, ``is_tbd``. The data is CC BY-NC-SA 3.0:
the project never ships it; users may supply it.

References
----------
.. [1] TeleGeography, Submarine Cable Map, open data (CC BY-NC-SA 3.0).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

#: Provider's property names -> ours.
VARIABLE_MAP = {"id": "id", "name": "name", "feature_id": "feature_id", "color": "color", "is_tbd": "is_tbd"}


WHAT = "submarine cables or landing points (GeoJSON)"


def read_submarine_cables(path: str | Path):
    """Read TeleGeography's cables or landing points (or a GeoJSON with both).

    Parameters
    ----------
    path : str or Path
        ``cable-geo.json``, ``landing-point-geo.json`` or an extract of them.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326, with ``id``, ``name``, ``kind`` (``cable`` for lines,
        ``landing_point`` for points) and the geometry; other properties kept.

    Raises
    ------
    InputError
        if the file holds neither lines nor points, or has no ``name``.
    """
    from ._geo import read_vector

    return _cables(read_vector(path, WHAT, kind="cables"))


def parse_submarine_cables(raw: bytes, source: str = "<cables>"):
    """Parse the bytes of a cables or landing points GeoJSON; see :func:`read_submarine_cables`."""
    from ._geo import parse_vector

    return _cables(parse_vector(raw, source, WHAT))


def _cables(gdf):
    src = gdf.attrs["source"]
    if "name" not in gdf.columns:
        raise InputError(
            src, [("", "no 'name' property: expected TeleGeography's cable-geo.json or landing-point-geo.json")]
        )
    kinds = gdf.geom_type
    kind = kinds.map(
        {"LineString": "cable", "MultiLineString": "cable", "Point": "landing_point", "MultiPoint": "landing_point"}
    )
    if kind.isna().any():
        i = int(kind.isna().to_numpy().nonzero()[0][0])
        raise InputError(
            src, [(f"feature {i + 1}", f"expected a line (cable) or a point (landing point), got {kinds.iloc[i]}")]
        )
    gdf = gdf.assign(kind=kind.to_numpy())
    if "id" not in gdf:
        gdf["id"] = None
    first = ["id", "name", "kind"]
    return gdf[first + [c for c in gdf.columns if c not in first]]
