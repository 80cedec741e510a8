"""Helpers shared by the ``scripts/build_france_*.py`` scripts (not part of the package).

Every build is deterministic: rows in a fixed order, floats written with a fixed
number of decimals, ``\\n`` line ends, and GeoPackages written with a fixed
``last_change`` date (GDAL's ``OGR_CURRENT_DATE``), so the same inputs give the same
bytes on every run.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "data" / "france"
DEFAULT_SHARED = ROOT.parent / "shared" / "data"
#: The date written in every GeoPackage's ``gpkg_contents.last_change``: a constant, not the build time.
FIXED_DATE = "2026-01-01T00:00:00.000Z"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fmt(value, decimals: int | None = None) -> str:
    """A cell: '' for None/NaN, booleans as true/false, floats with ``decimals`` decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if decimals is None:
            return repr(value)
        text = f"{value:.{decimals}f}"
        return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text
    return str(value)


def write_csv(path: Path, header: list[str], rows, decimals: dict[str, int] | None = None) -> Path:
    """Write ``rows`` (dicts) with ``header`` as columns; floats rounded per column."""
    decimals = decimals or {}
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow([fmt(row.get(c), decimals.get(c)) for c in header])
    return path


def write_gpkg(path: Path, layers: dict) -> Path:
    """Write GeoDataFrames as the layers of a new GeoPackage, reproducibly (with a spatial index)."""
    import pyogrio

    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_DATE})
    try:
        for name, gdf in layers.items():
            pyogrio.write_dataframe(
                gdf, path, layer=name, driver="GPKG", append=path.exists(), layer_options={"SPATIAL_INDEX": "YES"}
            )
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    return path


def round_coords(geoms, decimals: int):
    """Coordinates rounded to ``decimals`` decimals (vertices only; validity is checked by the caller)."""
    import numpy as np
    import shapely

    return shapely.transform(np.asarray(geoms), lambda xy: np.round(xy, decimals))


def parser(doc: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    p.add_argument(
        "shared",
        nargs="?",
        type=Path,
        default=DEFAULT_SHARED,
        help=f"the shared data folder (default: {DEFAULT_SHARED})",
    )
    p.add_argument("-o", "--out", type=Path, default=OUT_DIR, help=f"output folder (default: {OUT_DIR})")
    return p


def write_polygons_npz(path: Path, layers: dict, decimals: int = 5) -> Path:
    """Write polygon layers (code -> MultiPolygon, WGS 84) to one compact, reproducible ``.npz``.

    Per layer ``L``: ``L.codes`` (text), ``L.x``/``L.y`` (int32: coordinates times 10**decimals,
    as differences from the previous vertex, the first from 0), ``L.o0``/``L.o1``/``L.o2``
    (int32 offsets of rings, polygons, multipolygons, as in :func:`shapely.to_ragged_array`) and
    ``L.bbox`` (float64 ``xmin, ymin, xmax, ymax`` per feature). Read back with
    ``impact.sources.france``. Zip entries carry a fixed date, so equal inputs give equal bytes.
    """
    import io
    import zipfile

    import numpy as np
    import shapely

    arrays = {"decimals": np.array([decimals], dtype=np.int32)}
    for name, (codes, geoms) in layers.items():
        geoms = np.asarray(geoms, dtype=object)
        kind, coords, offsets = shapely.to_ragged_array(geoms)
        assert kind == shapely.GeometryType.MULTIPOLYGON, name
        q = np.round(coords * 10**decimals).astype(np.int64)
        d = np.diff(q, axis=0, prepend=np.zeros((1, 2), np.int64))
        assert np.abs(d).max() < 2**31
        arrays[f"{name}.codes"] = np.asarray(codes, dtype=str)
        arrays[f"{name}.x"] = d[:, 0].astype(np.int32)
        arrays[f"{name}.y"] = d[:, 1].astype(np.int32)
        for i, o in enumerate(offsets):
            arrays[f"{name}.o{i}"] = o.astype(np.int32)
        arrays[f"{name}.bbox"] = shapely.bounds(geoms)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for key in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[key]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue(), compresslevel=9)
    return path
