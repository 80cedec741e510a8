"""Reading vector files (GeoJSON, GeoPackage) with clear errors, without GDAL.

A data file reaches no driver that could read another file or a URL: GeoJSON is parsed with
:mod:`json` (a GDAL VRT, XML or TopoJSON in a ``.geojson`` is refused), a GeoPackage is checked
to be one (SQLite header and ``application_id``) and its feature tables are read with
:mod:`sqlite3` from the bytes already read (views, virtual tables and GDAL's SQL functions never
run). The bytes come from :func:`impact.sources.files.read_bytes`; geopandas and shapely are
imported inside the functions.

References
----------
.. [1] H. Butler et al., "The GeoJSON Format", RFC 7946, 2016, doi:10.17487/RFC7946.
.. [2] OGC GeoPackage Encoding Standard 1.3.1 (OGC 12-128r18), 2021: file header and
   application_id (requirements 1-2), gpkg_contents, gpkg_geometry_columns,
   gpkg_spatial_ref_sys, GeoPackageBinary geometry encoding (section 2.1.3).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from ..errors import InputError
from ..textsafe import excerpt
from ._text import decode, label
from .files import exception_text, read_bytes

GPKG_MAGIC = b"SQLite format 3\x00"
#: ``application_id`` of a GeoPackage (offset 68 of the SQLite header): "GPKG" (1.2 and later),
#: "GP10" and "GP11" (1.0 and 1.1).
GPKG_APPLICATION_IDS = (b"GPKG", b"GP10", b"GP11")
GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)
_CRS84 = (
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "OGC:CRS84",
    "CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
)


def read_vector(path: str | Path, what: str, layer: str | None = None, kind: str = "boundaries"):
    """A GeoDataFrame from the GeoJSON or GeoPackage ``path``, in EPSG:4326, or an :class:`InputError`.

    Parameters
    ----------
    what : str
        What the file should be, for messages (``"boundaries (GeoJSON or GeoPackage)"``).
    layer : str, optional
        The GeoPackage's feature table (default: its first).
    kind : str
        Its kind in :data:`impact.sources.files.KINDS` (its size limit).
    """
    return parse_vector(read_bytes(path, kind), label(path), what, layer)


def parse_vector(raw: bytes, source: str, what: str, layer: str | None = None):
    """A GeoDataFrame from the bytes of a GeoJSON or GeoPackage file; see :func:`read_vector`.

    Files without a CRS are taken as EPSG:4326 (GeoJSON's RFC 7946 rule).
    """
    gdf = _geopackage(raw, source, what, layer) if raw.startswith(GPKG_MAGIC) else _geojson(raw, source, what)
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    elif gdf.crs.to_epsg() != 4326:
        try:
            gdf = gdf.to_crs("EPSG:4326")
        except Exception as exc:  # pyproj: a CRS without a transformation to WGS 84
            raise InputError(source, [("crs", f"cannot be converted to WGS 84: {exception_text(exc)}")]) from None
    gdf.attrs["source"] = source
    return gdf


# ----------------------------------------------------------------------------- GeoJSON


def load_json(text: str, source: str, check_numbers: bool = True):
    """``json.loads`` of a data file: NaN and Infinity are refused, and so are numbers beyond a float
    (``1e999``) with ``check_numbers`` (slower: the caller may check its numbers itself); every failure
    is an :class:`InputError` naming the line and column when JSON says them."""

    def constant(name):
        raise ValueError(f"{name} is not a JSON number")

    def number(text):
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(f"the number {excerpt(text, 40)} is too large")
        return value

    try:
        return json.loads(text, parse_constant=constant, parse_float=number if check_numbers else None)
    except json.JSONDecodeError as exc:
        raise InputError(source, [(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")]) from None
    except RecursionError:
        raise InputError(source, "not valid JSON here: nested too deeply") from None
    except ValueError as exc:  # a constant, an overflowing number, an integer of too many digits
        raise InputError(source, f"not valid JSON here: {exception_text(exc)}") from None


def _not_geojson(head: str, source: str, what: str) -> InputError:
    """Why text that does not start with ``{`` is no GeoJSON."""
    start = head[:4096].lower()
    if "<ogrvrtdatasource" in start:
        return InputError(
            source,
            "is a GDAL virtual dataset (VRT), which reads other files and URLs: it is not "
            f"opened; give the GeoJSON or GeoPackage itself ({what})",
        )
    if start.startswith("<"):
        return InputError(source, f"is XML (GML, KML, VRT...), not GeoJSON; expected {what}")
    first = head.split("\n", 1)[0]
    return InputError(
        source,
        [
            (
                "line 1",
                f"is not GeoJSON: a GeoJSON file starts with '{{', this one with {excerpt(first, 40)}; expected {what}",
            )
        ],
    )


def _geojson(raw: bytes, source: str, what: str):
    import geopandas as gpd
    import pandas as pd

    text = decode(raw)
    head = text.lstrip("\ufeff \t\r\n")
    if not head.startswith("{"):
        raise _not_geojson(head, source, what)
    data = load_json(head, source, check_numbers=False)  # coordinates are checked by _shape
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
    elif kind == "Feature":
        features = [data]
    elif kind in GEOMETRY_TYPES:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    elif kind == "Topology":
        raise InputError(source, f"is TopoJSON, not GeoJSON: convert it to GeoJSON first; expected {what}")
    else:
        raise InputError(source, [("type", f"expected a GeoJSON FeatureCollection, got {excerpt(kind)}")])
    if not isinstance(features, list):
        raise InputError(source, [("features", f"must be a list of features, got {excerpt(features)}")])
    rows, geoms = [], []
    for n, feat in enumerate(features, start=1):
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raise InputError(source, [(f"feature {n}", 'must be a GeoJSON Feature ({"type": "Feature", ...})')])
        props = feat.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, dict):
            raise InputError(source, [(f"feature {n}", f"properties must be a mapping, got {excerpt(props)}")])
        if "id" in feat and "id" not in props:  # as GDAL does: the feature's id as a property
            props = {**props, "id": feat["id"]}
        rows.append(props)
        geoms.append(_shape(feat.get("geometry"), n, source))
    frame = pd.DataFrame(rows, index=pd.RangeIndex(len(rows)))  # features without properties count too
    frame.columns = [str(c) for c in frame.columns]
    if "geometry" in frame.columns:  # a property of that name would shadow the geometry
        frame = frame.rename(columns={"geometry": "geometry_property"})
    return gpd.GeoDataFrame(
        frame, geometry=gpd.GeoSeries(geoms, index=frame.index), crs=_geojson_crs(data.get("crs"), source)
    )


def _shape(geom, n: int, source: str):
    """The shapely geometry of feature ``n``'s GeoJSON ``geom`` (None stays None)."""
    if geom is None:
        return None
    from shapely.geometry import shape

    if not isinstance(geom, dict) or geom.get("type") not in GEOMETRY_TYPES:
        got = excerpt(geom.get("type")) if isinstance(geom, dict) else excerpt(geom)
        raise InputError(
            source, [(f"feature {n}", f"geometry must be a GeoJSON geometry ({', '.join(GEOMETRY_TYPES)}), got {got}")]
        )
    kind = geom["type"]
    try:
        if kind == "GeometryCollection":
            parts = geom.get("geometries")
            if not isinstance(parts, list):
                raise ValueError("'geometries' must be a list")
            return shape({"type": kind, "geometries": [_shape(g, n, source) for g in parts]})
        return shape({"type": kind, "coordinates": _coordinates(geom.get("coordinates"), _DEPTH[kind])})
    except InputError:
        raise
    except Exception as exc:  # shapely or numpy: wrong nesting, too few points, text for a number...
        raise InputError(source, [(f"feature {n}", f"{kind} is not valid: {exception_text(exc)}")]) from None


#: How deep a geometry's coordinates nest above its arrays of positions (0: one position).
_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def _coordinates(coords, depth: int):
    """GeoJSON coordinates with each array of positions as a numpy array (finite numbers checked):
    shapely builds geometries from arrays at once, not point by point."""
    import numpy as np

    if depth > 1:
        if not isinstance(coords, list):
            raise ValueError("coordinates are not nested as the geometry type says")
        return [_coordinates(c, depth - 1) for c in coords]
    if not isinstance(coords, list):
        raise ValueError("coordinates must be a list")
    arr = np.asarray(coords)
    if arr.dtype.kind not in "iuf" or arr.ndim != (1 if depth == 0 else 2):
        raise ValueError("coordinates must be numbers, [lon, lat] for each position")
    arr = arr.astype(float)
    if not np.isfinite(arr).all():
        raise ValueError("coordinates must be finite numbers")
    return arr


def _geojson_crs(member, source: str):
    """The CRS of a GeoJSON file: its 2008-style ``crs`` member (``{"type": "name", ...}``), else WGS 84."""
    if member is None:
        return "EPSG:4326"
    name = (
        member.get("properties", {}).get("name")
        if isinstance(member, dict) and member.get("type") == "name" and isinstance(member.get("properties"), dict)
        else None
    )
    if not isinstance(name, str):
        raise InputError(
            source, [("crs", 'expected {"type": "name", "properties": {"name": "EPSG:2154"}} or no crs (WGS 84)')]
        )
    if name in _CRS84:
        return "EPSG:4326"
    from pyproj import CRS

    try:
        return CRS.from_user_input(name)
    except Exception:  # pyproj.exceptions.CRSError
        raise InputError(source, [("crs", f"unknown coordinate reference system {excerpt(name)}")]) from None


# -------------------------------------------------------------------------- GeoPackage


def _geopackage(raw: bytes, source: str, what: str, layer: str | None):
    """The features of a GeoPackage's table, read with :mod:`sqlite3` from its bytes."""
    import sqlite3

    if raw[68:72] not in GPKG_APPLICATION_IDS:
        raise InputError(
            source,
            f"is an SQLite database but not a GeoPackage (its application_id is "
            f"{excerpt(raw[68:72])}); expected {what}",
        )
    con = sqlite3.connect(":memory:")
    try:
        con.deserialize(raw)
        con.execute("PRAGMA trusted_schema = OFF")
        return _gpkg_features(con, source, what, layer)
    except sqlite3.Error as exc:
        raise InputError(source, f"cannot be read as a GeoPackage: {exception_text(exc)}") from None
    finally:
        con.close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _gpkg_features(con, source: str, what: str, layer: str | None):
    import geopandas as gpd
    import pandas as pd

    tables = [
        r[0] for r in con.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid")
    ]
    if not tables:
        raise InputError(source, f"is a GeoPackage without a feature table; expected {what}")
    if layer is not None and layer not in tables:
        raise InputError(
            source, [("layer", f"no feature table {excerpt(layer)}; the file has: {excerpt(', '.join(tables), 120)}")]
        )
    table = layer or tables[0]
    kind = con.execute("SELECT type, sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    if kind is None or kind[0] != "table" or (kind[1] or "").lstrip().upper().startswith("CREATE VIRTUAL"):
        raise InputError(
            source, [("layer", f"{excerpt(table)} is not a table (a view or a virtual table is not read)")]
        )
    geo = con.execute("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (table,)).fetchone()
    if geo is None:
        raise InputError(source, [("layer", f"{excerpt(table)} has no geometry column (gpkg_geometry_columns)")])
    geom_col, srs_id = geo
    info = con.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
    pk = [r[1] for r in info if r[5] and str(r[2]).upper() == "INTEGER"]  # the feature id: not a property
    columns = [r[1] for r in info if r[1] not in pk]
    cursor = con.execute(f"SELECT {', '.join(_quote(c) for c in columns)} FROM {_quote(table)}")
    rows = cursor.fetchall()
    i_geom = columns.index(geom_col)
    geoms = [_gpkg_geometry(r[i_geom], n, source) for n, r in enumerate(rows, start=1)]
    props = [c for c in columns if c != geom_col]
    frame = pd.DataFrame([[v for j, v in enumerate(r) if j != i_geom] for r in rows], columns=props)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index), crs=_gpkg_crs(con, srs_id, source))


def _gpkg_geometry(blob, n: int, source: str):
    """A shapely geometry from a GeoPackageBinary blob: ``GP``, version, flags, srs_id, envelope, WKB."""
    if blob is None:
        return None
    import shapely

    if not isinstance(blob, bytes) or len(blob) < 8 or blob[:2] != b"GP":
        raise InputError(source, [(f"feature {n}", "geometry is not a GeoPackage geometry (no 'GP' header)")])
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get((flags >> 1) & 0b111)
    if envelope is None or flags & 0b100000:
        raise InputError(source, [(f"feature {n}", "geometry uses an extended or unknown GeoPackage encoding")])
    try:
        return shapely.from_wkb(blob[8 + envelope :])
    except Exception as exc:  # shapely.errors.GEOSException: truncated or malformed WKB
        raise InputError(source, [(f"feature {n}", f"geometry is not valid WKB: {exception_text(exc)}")]) from None


def _gpkg_crs(con, srs_id, source: str):
    """The CRS of ``srs_id`` (gpkg_spatial_ref_sys): its EPSG code, else its WKT; undefined (0, -1): None."""
    if srs_id in (None, 0, -1):
        return None
    row = con.execute(
        "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
        (srs_id,),
    ).fetchone()
    if row is None:
        raise InputError(source, [("crs", f"srs_id {excerpt(srs_id)} is not in gpkg_spatial_ref_sys")])
    from pyproj import CRS

    organization, code, definition = row
    try:
        if str(organization).upper() == "EPSG" and isinstance(code, int):
            return CRS.from_epsg(code)
        return CRS.from_wkt(definition)
    except Exception:  # pyproj.exceptions.CRSError
        raise InputError(source, [("crs", f"unknown coordinate reference system (srs_id {excerpt(srs_id)})")]) from None
