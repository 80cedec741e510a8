"""RTE's substations (« postes électriques ») as published on ODRÉ.

The export is ``;``-separated, latin-1 in the original (UTF-8 copies exist), with
``Code poste;Nom poste;FONCTION;Etat;Tension (kV);Longitude poste (DD);Latitude
poste (DD);Géo-point poste (DD)``. Voltages are text (``225kV``, ``<45kV``,
``HORS TENSION``, ``COURANT CONTINU``).

:func:`clean_substations` keeps what a site can be compared with: substations in service
(``Etat`` = ``EN EXPLOITATION``) with a voltage in kV, each with a ``kind``
(:func:`substation_kind`). The package ships the national file cleaned this way
(``data/france/substations.csv``, read by :func:`impact.sources.france.substations`); a
user's own ODRÉ export is cleaned the same way at run time.

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
from ..textsafe import excerpt
from ._text import csv_rows, decode, label, read_bytes

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
IN_SERVICE = "EN EXPLOITATION"
KINDS = ("transformation", "tap", "customer")

#: Words of a substation's name that make it a customer's substation (``customer``): one
#: consumer's connection to RTE's network, not a public node. Read off the 4,906 in-service
#: names of the ODRÉ file (2024 export): an explicit ``CLIENT``; the railways (SNCF, RFF,
#: « sous-station »); an industrial site (works, steel, foundry, cement, paper, refinery,
#: chemicals, pipeline, terminal, pumping station, airport, military port); or a company's
#: name. Matched as whole words on the upper-case name. Distribution operators (ENEDIS, EDF,
#: local « régies ») and power plants (CENTRALE, NUCLEAIRE, HYDRAULIQUE...) are *not*
#: customers: those substations are nodes of the public network.
CUSTOMER_MARKERS = (
    r"CLIENTS?",
    r"S\.?N\.?C\.?F\.?",
    r"R\.?F\.?F\.?",
    r"SOUS[ -]STATION",
    r"SSJM",
    r"USINE",
    r"ACIERIES?",
    r"ACIERS",
    r"FONDERIE",
    r"\(FORGES\)",
    r"CIMENTS?",
    r"CIMENTERIE",
    r"PAPETERIES?",
    r"RAFFINERIE",
    r"ATELIER",
    r"ENGRAIS",
    r"NITRO-CELLULOSE",
    r"PIPE-LINE",
    r"TERMINAL",
    r"METHANIER",
    r"LNG",
    r"STATION DE POMPAGE",
    r"AEROPORT",
    r"PORT MILITAIRE",
    r"MARINE NATIONALE",
    r"ARSENAL",
    r"UIOM",
    r"CIE GLE EAUX",
    r"SOC\.METAL",
    r"COGENERA\w*",
    r"PEUGEOT",
    r"FORD",
    r"EXXON",
    r"ARKEMA",
    r"ASCOMETAL",
    r"SOLLAC",
    r"USINOR",
    r"SOLVAY",
    r"PECHINEY",
    r"LAFARGE",
    r"SMURFIT",
    r"KODAK-PATHE",
    r"NYLSTAR",
    r"ALSTHOM",
    r"FERROPEM",
    r"THERMPHOS",
    r"TURBOMECA",
    r"COGEMA",
    r"DALKIA",
    r"ELYO",
    r"CEPIA",
    r"UGINE SAVOIE",
    r"UGINE ACIERS",
    r"ISOROY",
    r"AIR-LIQUIDE",
    r"SOGIF",
    r"PRODAIR",
    r"DRESSER RAND",
    r"WEYERHAUSER",
    r"CREUSOT LOIRE INDUSTRIE",
    r"CEA",
    r"COPENOR",
    r"H\.B\.L\.",
    r"E\.A\.E\.P\.F\.",
    r"L\.M\.E\.",
    r"LME",
    r"S\.E\.R\.S\.",
    r"TORE SUPRA",
)
_CUSTOMER = re.compile(r"(?<![\w-])(?:" + "|".join(CUSTOMER_MARKERS) + r")(?![\w-])")


def _key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).lower()


_MAP = {_key(k): v for k, v in VARIABLE_MAP.items()}


def voltage_kv(text: str) -> float | None:
    """``'225kV'`` -> 225.0; ``'<45kV'`` -> None (below 45 kV, not a figure); else None."""
    m = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*kV\s*", text or "", flags=re.IGNORECASE)
    return float(m.group(1).replace(",", ".")) if m else None


def substation_kind(name: str, function: str | None) -> str:
    """What an RTE substation is, from its published name and function.

    Parameters
    ----------
    name : str
        ``Nom poste`` as published, e.g. ``'BLANQUEFORT (FORD)'``.
    function : str or None
        ``FONCTION``: ``'Poste de transformation'`` or ``'Point de piquage'``.

    Returns
    -------
    str
        ``'customer'`` when the name marks one customer's substation (:data:`CUSTOMER_MARKERS`),
        else ``'tap'`` for a « point de piquage » (a tee-off on a line), else ``'transformation'``
        (« poste de transformation »: a node of RTE's network between voltages; it is *not*
        necessarily a « poste source » feeding the distribution network).
    """
    if _CUSTOMER.search(" ".join((name or "").upper().split())):
        return "customer"
    if (function or "").strip().lower() == "point de piquage":
        return "tap"
    return "transformation"


def clean_substations(gdf):
    """RTE substations in service with a voltage in kV, each with its ``kind``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        As read by :func:`read_rte_substations`.

    Returns
    -------
    geopandas.GeoDataFrame
        In the input's order, the rows whose ``status`` is ``EN EXPLOITATION``, whose
        ``voltage_kv`` [kV] is a number (``HORS TENSION``, ``<45kV`` and ``COURANT CONTINU`` are
        dropped) and whose coordinates are finite; columns ``code``, ``name``, ``kind``
        (:func:`substation_kind`), ``voltage_kv`` [kV], ``function``, ``status`` and the points.
        ``attrs["dropped"]`` counts the rows dropped, by reason (``not in service``, then
        ``no voltage in kV``, then ``no coordinates``).
    """
    import numpy as np

    status = gdf["status"].fillna("").astype(str).str.strip().str.upper()
    in_service = status == IN_SERVICE
    has_kv = gdf["voltage_kv"].notna()
    geom = gdf.geometry
    has_xy = geom.notna() & ~geom.is_empty
    has_xy &= np.isfinite(geom.x.where(has_xy, np.nan)) & np.isfinite(geom.y.where(has_xy, np.nan))
    dropped = {
        "not in service": int((~in_service).sum()),
        "no voltage in kV": int((in_service & ~has_kv).sum()),
        "no coordinates": int((in_service & has_kv & ~has_xy).sum()),
    }
    out = gdf[in_service & has_kv & has_xy].copy()
    out["kind"] = [substation_kind(n, f) for n, f in zip(out["name"], out["function"])]
    out = out[["code", "name", "kind", "voltage_kv", "function", "status", "geometry"]]
    out.attrs = {**gdf.attrs, "dropped": dropped}
    return out


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
    return parse_rte_substations(decode(read_bytes(path, "substations")), label(path))


def parse_rte_substations(text: str, source: str = "<substations>"):
    """Parse the text of RTE's substations export; see :func:`read_rte_substations`."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    reader = csv.reader(io.StringIO(text), delimiter=";")
    lines = csv_rows(reader, source)
    header = next(lines, None)
    if header is None:
        raise InputError(source, "the file is empty; expected RTE's substations CSV")
    cols = [_MAP.get(_key(h)) for h in header]
    missing = [k for k in REQUIRED if k not in cols]
    has_xy = "lon" in cols and "lat" in cols
    if missing or not (has_xy or "geo_point" in cols):
        need = missing or ["Longitude poste (DD), Latitude poste (DD)"]
        raise InputError(
            source, [("line 1", f"missing column(s) {', '.join(need)}; found: {excerpt(', '.join(header), 120)}")]
        )
    rows, xs, ys = [], [], []
    for row in lines:
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
                    raise InputError(
                        source,
                        [
                            (
                                f"line {line}, column {cols.index(key) + 1}",
                                f"'{name}' is not a number: {excerpt(rec.get(key))}",
                            )
                        ],
                    ) from None
            x, y = vals
        elif rec.get("geo_point"):
            try:
                y, x = (float(v) for v in rec["geo_point"].split(","))
            except ValueError:
                where = f"line {line}, column {cols.index('geo_point') + 1}"
                raise InputError(
                    source, [(where, f"'Géo-point poste (DD)' is not 'lat, lon': {excerpt(rec['geo_point'])}")]
                ) from None
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
    gdf = gpd.GeoDataFrame(
        df[["code", "name", "function", "status", "voltage_kv", "voltage"]],
        geometry=gpd.points_from_xy(xs, ys),
        crs="EPSG:4326",
    )
    gdf.attrs["source"] = source
    return gdf
