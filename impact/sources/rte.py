"""RTE's substations (« postes électriques ») as published on ODRÉ.

The export is ``;``-separated, latin-1 in the original (UTF-8 copies exist), with
``Code poste;Nom poste;FONCTION;Etat;Tension (kV);Longitude poste (DD);Latitude
poste (DD);Géo-point poste (DD)``. Voltages are text (``225kV``, ``<45kV``,
``HORS TENSION``, ``COURANT CONTINU``).

References
----------
.. [1] RTE, « Postes électriques RTE », ODRÉ, Licence Ouverte v2.0.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..errors import InputError
from ._text import decode, label, read_bytes

#: Provider's column names -> ours.
VARIABLE_MAP = {
    "Code poste": "code",
    "Nom poste": "name",
    "FONCTION": "function",
    "Etat": "status",
    "Tension (kV)": "voltage",
    "Longitude poste (DD)": "lon",
    "Latitude poste (DD)": "lat",
    "Géo-point poste (DD)": "geo_point",
}
REQUIRED = ("code", "name", "voltage")


def _key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).lower()


_MAP = {_key(k): v for k, v in VARIABLE_MAP.items()}


def voltage_kv(text: str) -> float | None:
    """``'225kV'`` -> 225.0; ``'<45kV'`` -> None (below 45 kV, not a figure); else None."""
    m = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*kV\s*", text or "", flags=re.IGNORECASE)
    return float(m.group(1).replace(",", ".")) if m else None


def read_rte_substations(path: str | Path):
    """Read the ODRÉ export of RTE's substations.

    Parameters
    ----------
    path : str or Path
        The ``;``-separated CSV, UTF-8 or latin-1.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326, one row per substation: ``code``, ``name``, ``function``,
        ``status``, ``voltage_kv`` [kV] (NaN when the file says ``<45kV``,
        ``HORS TENSION`` or ``COURANT CONTINU``), ``voltage`` (the text as
        published), and point geometries.

    Raises
    ------
    InputError
        naming the file, line and column of a bad coordinate or a missing column.
    """
    return parse_rte_substations(decode(read_bytes(path, "RTE's substations CSV")), label(path))


def parse_rte_substations(text: str, source: str = "<substations>"):
    """Parse the text of RTE's substations export; see :func:`read_rte_substations`."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(source, "the file is empty; expected RTE's substations CSV") from None
    cols = [_MAP.get(_key(h)) for h in header]
    missing = [k for k in REQUIRED if k not in cols]
    has_xy = "lon" in cols and "lat" in cols
    if missing or not (has_xy or "geo_point" in cols):
        need = missing or ["Longitude poste (DD), Latitude poste (DD)"]
        raise InputError(source, [("line 1", f"missing column(s) {', '.join(need)}; found: {', '.join(header)}")])
    rows, xs, ys = [], [], []
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        rec = {c: (row[i].strip() if i < len(row) else "") for i, c in enumerate(cols) if c}
        if has_xy and (rec.get("lon") or rec.get("lat")):
            pairs = (("lon", "Longitude poste (DD)"), ("lat", "Latitude poste (DD)"))
            vals = []
            for key, name in pairs:
                try:
                    vals.append(float(rec.get(key, "").replace(",", ".")))
                except ValueError:
                    raise InputError(source, [(f"line {line}, column {cols.index(key) + 1}",
                                               f"'{name}' is not a number: {rec.get(key)!r}")]) from None
            x, y = vals
        elif rec.get("geo_point"):
            try:
                y, x = (float(v) for v in rec["geo_point"].split(","))
            except ValueError:
                raise InputError(source, [(f"line {line}, column {cols.index('geo_point') + 1}",
                                           f"'Géo-point poste (DD)' is not 'lat, lon': {rec['geo_point']!r}")]) from None
        else:
            x = y = float("nan")
        if not (np.isnan(x) or (-180 <= x <= 180 and -90 <= y <= 90)):
            raise InputError(source, [(f"line {line}", f"coordinates out of range: lon {x}, lat {y}")])
        rows.append(rec)
        xs.append(x)
        ys.append(y)
    df = pd.DataFrame(rows, columns=[c for c in ("code", "name", "function", "status", "voltage") if c in cols])
    for c in ("function", "status"):
        if c not in df:
            df[c] = None
    df["voltage_kv"] = pd.array([voltage_kv(v) for v in df["voltage"]], dtype="Float64").astype(float)
    gdf = gpd.GeoDataFrame(df[["code", "name", "function", "status", "voltage_kv", "voltage"]],
                           geometry=gpd.points_from_xy(xs, ys), crs="EPSG:4326")
    gdf.attrs["source"] = source
    return gdf
