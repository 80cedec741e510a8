"""Cadastre parcels as served by cadastre.data.gouv.fr (Etalab's GeoJSON exports).

Each feature is a parcel with properties ``id`` (14 characters: commune code,
prefix, section, number, e.g. ``132020000A0012``), ``commune``, ``prefixe``,
``section``, ``numero``, ``contenance`` (the area in the land register [m2]),
``arpente``, ``created``, ``updated``.

References
----------
.. [1] Etalab, « Cadastre » (cadastre.data.gouv.fr), plan cadastral informatisé,
   Licence Ouverte v2.0.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..textsafe import excerpt, strip_controls

#: Provider's property names -> ours.
VARIABLE_MAP = {
    "id": "id",
    "commune": "commune",
    "prefixe": "prefixe",
    "section": "section",
    "numero": "numero",
    "contenance": "contenance_m2",
}


WHAT = "cadastre parcels (GeoJSON)"
#: The largest contenance of one parcel [m2]: 1,000 km2, more than the largest commune of
#: metropolitan France (Arles, 758.9 km2, INSEE); a larger one is a broken file.
MAX_PARCEL_M2 = 1e9


def read_cadastre_parcels(path: str | Path):
    """Read a cadastre.data.gouv.fr parcels GeoJSON.

    Parameters
    ----------
    path : str or Path
        ``cadastre-XXXXX-parcelles.json`` (or any GeoJSON / GeoPackage with the
        same properties).

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326, indexed by nothing in particular, with ``id``,
        ``commune``, ``prefixe``, ``section``, ``numero``, ``contenance_m2``
        [m2] (float, NaN when absent) and the parcel polygons.

    Raises
    ------
    InputError
        if ``id`` or ``contenance`` is missing, an id is repeated, or a
        contenance is not a non-negative number (naming the parcel).
    """
    from ._geo import read_vector

    return _parcels(read_vector(path, WHAT, kind="cadastre"))


def parse_cadastre_parcels(raw: bytes, source: str = "<parcels>"):
    """Parse the bytes of a parcels file; see :func:`read_cadastre_parcels`."""
    from ._geo import parse_vector

    return _parcels(parse_vector(raw, source, WHAT))


def _parcels(gdf):
    import numpy as np
    import pandas as pd

    src = gdf.attrs["source"]
    missing = [k for k in ("id", "contenance") if k not in gdf.columns]
    if missing:
        raise InputError(
            src,
            [
                (
                    "",
                    f"missing propert{'y' if len(missing) == 1 else 'ies'} {', '.join(missing)}; "
                    "expected cadastre.data.gouv.fr parcels (id, commune, section, numero, contenance)",
                )
            ],
        )
    gdf = gdf.rename(columns=VARIABLE_MAP)
    gdf["id"] = gdf["id"].astype(str).str.strip()
    dup = gdf["id"][gdf["id"].duplicated()]
    if len(dup):
        raise InputError(src, [(f"feature {int(dup.index[0]) + 1}", f"parcel id {excerpt(dup.iloc[0])} appears twice")])
    raw = gdf["contenance_m2"]
    text = raw.map(lambda v: isinstance(v, (str, bool, dict, list)))  # a number written as text is not one
    area = pd.to_numeric(raw.where(~text), errors="coerce")
    bad = (area.isna() & raw.notna()) | ~(np.isnan(area) | ((area >= 0) & (area <= MAX_PARCEL_M2)))
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise InputError(
            src,
            [
                (
                    f"feature {i + 1} (parcel {strip_controls(gdf['id'].iloc[i])[:20]})",
                    f"contenance must be an area in m2 (a number from 0 to {MAX_PARCEL_M2:,.0f}), "
                    f"got {excerpt(raw.iloc[i])}",
                )
            ],
        )
    gdf["contenance_m2"] = area.astype(float)
    for col in ("commune", "prefixe", "section", "numero"):
        if col not in gdf:
            gdf[col] = None
    first = ["id", "commune", "prefixe", "section", "numero", "contenance_m2"]
    return gdf[first + [c for c in gdf.columns if c not in first]]


def parcels_area_m2(parcels, ids, source: str = "<parcels>") -> float:
    """Sum of the land-register areas of the parcels ``ids``.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        From :func:`read_cadastre_parcels`.
    ids : list of str
        Parcel ids (14 characters); spaces are ignored.
    source : str
        File name for error messages.

    Returns
    -------
    float
        Area [m2].

    Raises
    ------
    InputError
        naming each id not in the file, or a parcel without contenance.
    """
    wanted = [str(i).replace(" ", "") for i in ids]
    known = dict(zip(parcels["id"], parcels["contenance_m2"]))
    problems = []
    for i in wanted:
        if i not in known:
            close = [strip_controls(k)[:20] for k in known if k.endswith(i[-6:])][:3]
            hint = f" (parcels ending alike: {', '.join(close)})" if close else ""
            problems.append(("land.ids", f"parcel {excerpt(i)} is not in the file{hint}"))
        elif known[i] != known[i]:  # NaN
            problems.append(("land.ids", f"parcel {excerpt(i)} has no contenance (area) in the file"))
    if problems:
        raise InputError(source, problems)
    return float(sum(known[i] for i in dict.fromkeys(wanted)))
