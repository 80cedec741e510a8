"""The France-wide data shipped in the package (``data/france/``): communes, territories,
RTE substations, electricity consumption, heat networks and a basemap.

Pure reading: each file is parsed once per process (``functools.cache``) and nothing here
reads outside the package. Built by ``scripts/build_france_*.py`` from ``../shared/data``;
origins, licences and methods are in ``data/france/PROVENANCE.md``. geopandas, shapely and
pyogrio are imported inside the functions that need them.

Coordinates are WGS 84 (EPSG:4326) latitude and longitude in degrees.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..caching import per_thread
from ..paths import data_dir

#: Levels of :func:`boundaries`.
LEVELS = ("commune", "arrondissement", "departement", "region", "epci")
_LAYER = {
    "commune": "communes",
    "arrondissement": "arrondissements",
    "departement": "departements",
    "region": "regions",
    "epci": "epci",
}
#: A point at most this far outside the coverage is given the nearest commune (``off_coast``) [km]:
#: the coverage is simplified and drawn from IGN's coast at about 100 m.
OFF_COAST_KM = 0.5
SECTORS = ("agriculture", "industry", "tertiary", "residential", "unassigned")


def folder() -> Path:
    """The folder of the shipped France-wide data."""
    return data_dir() / "france"


@cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with open(folder() / name, encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def _num(text: str) -> float | None:
    return float(text) if text.strip() else None


# --------------------------------------------------------------------------- territories


@dataclass(frozen=True)
class Territory:
    """A département, région or EPCI.

    Attributes
    ----------
    level : str
        ``departement``, ``region`` or ``epci``.
    code, name : str
        INSEE / SIREN code and name (COG 2026).
    population : int
        Population municipale [inhabitants] (INSEE, in force in 2026), the sum of its communes
        for a département or région; DGCL's for an EPCI.
    members : int
        Its communes (département, EPCI) or départements (région).
    region : str
        The région of a département ('' otherwise).
    type : str
        EPCI type (CC, CA, CU, METRO, MET69; '' otherwise).
    source : str
    """

    level: str
    code: str
    name: str
    population: int
    members: int
    region: str = ""
    type: str = ""
    source: str = ""


@cache
def _territories(level: str) -> dict[str, Territory]:
    out = {}
    for r in _rows({"departement": "departements.csv", "region": "regions.csv", "epci": "epci.csv"}[level]):
        members = r.get("communes") or r.get("departements") or r.get("members")
        if members is None:
            raise ValueError(f"{level} {r['code']}: no count of communes, départements or members")
        out[r["code"]] = Territory(
            level,
            r["code"],
            r["name"],
            int(r["population"]),
            int(members),
            r.get("region", ""),
            r.get("type", ""),
            r["source"],
        )
    return out


def departement(code: str) -> Territory | None:
    """The metropolitan département ``code`` (``'13'``, ``'2A'``), or None."""
    return _territories("departement").get(str(code).upper().zfill(2))


def region(code: str) -> Territory | None:
    """The metropolitan région ``code`` (COG, e.g. ``'93'``), or None."""
    return _territories("region").get(str(code))


def epci(code: str) -> Territory | None:
    """The EPCI à fiscalité propre ``code`` (SIREN, e.g. ``'200054807'``), or None."""
    return _territories("epci").get(str(code))


# --------------------------------------------------------------------------- communes


@dataclass(frozen=True)
class Commune:
    """A commune of metropolitan France (COG 2026), or a municipal arrondissement.

    Attributes
    ----------
    code, name : str
        INSEE code and COG 2026 name.
    kind : str
        ``commune`` or ``arrondissement`` (Paris, Lyon, Marseille).
    parent : str
        The commune of an arrondissement ('' for a commune).
    dep, dep_name, region, region_name, epci, epci_name : str
        Its territories ('' when it belongs to no EPCI).
    population : int
        Population municipale [inhabitants] (INSEE, 2023 census vintage, in force in 2026).
        An arrondissement's is part of its commune's: never add both.
    area_km2 : float or None
        Area [km2] (Lambert-93, from IGN's outline); None without polygon.
    lat, lon : float or None
        A point inside the commune [degree]; None without polygon.
    coastal : bool or None
        Part of its outline is the sea coast (rule in PROVENANCE.md); None without polygon.
    has_polygon : bool
        False for the 4 communes restored in 2026 that have no outline yet (their land lies in
        the outline of the commune they left).
    postcodes : tuple of str
    off_coast : bool
        Only from :func:`commune_at`: the point was outside every polygon but within
        :data:`OFF_COAST_KM` of this commune (a site on a quay, a simplified shore).
    """

    code: str
    name: str
    kind: str
    parent: str
    dep: str
    dep_name: str
    region: str
    region_name: str
    epci: str
    epci_name: str
    population: int
    area_km2: float | None
    lat: float | None
    lon: float | None
    coastal: bool | None
    has_polygon: bool
    postcodes: tuple[str, ...] = ()
    off_coast: bool = False
    source: str = ""


def _commune_of(r: dict[str, str]) -> Commune:
    dep, reg, ep = departement(r["dep"]), region(r["region"]), epci(r["epci"]) if r["epci"] else None
    coastal = {"true": True, "false": False}.get(r["coastal"])
    return Commune(
        r["code"],
        r["name"],
        r["kind"],
        r["parent"],
        r["dep"],
        dep.name if dep else "",
        r["region"],
        reg.name if reg else "",
        r["epci"],
        ep.name if ep else "",
        int(r["population"]),
        _num(r["area_km2"]),
        _num(r["lat"]),
        _num(r["lon"]),
        coastal,
        r["has_polygon"] == "true",
        tuple(r["postcodes"].split()),
        False,
        r["source"],
    )


@cache
def _commune_rows() -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in _rows("communes.csv")}


@cache
def _commune_lines() -> tuple[list[str], list[str], list[str]]:
    """communes.csv as (header, lines, codes), its lines sorted by code: one commune is found by
    bisection without parsing the 35,000 rows (placing a site at ``impact estimate`` time)."""
    with open(folder() / "communes.csv", encoding="utf-8", newline="") as f:
        header, *lines = f.read().splitlines()
    return next(csv.reader([header])), lines, [line.split(",", 1)[0] for line in lines]


@cache
def _commune(code: str) -> Commune | None:
    import bisect

    header, lines, codes = _commune_lines()
    i = bisect.bisect_left(codes, code)
    if i == len(codes) or codes[i] != code:
        return None
    return _commune_of(dict(zip(header, next(csv.reader([lines[i]])))))


def _known_commune(code: str) -> Commune:
    """The commune of a code taken from the communes table itself (its index, its postcodes)."""
    c = _commune(code)
    if c is None:
        raise LookupError(f"commune {code} is not in the shipped communes table")
    return c


def communes() -> list[Commune]:
    """Every commune and arrondissement, by code (34,746 communes + 45 arrondissements)."""
    return [_known_commune(code) for code in _commune_rows()]


def commune(code: str) -> Commune | None:
    """The commune or arrondissement of INSEE code ``code`` (``'13055'``, ``'2A004'``), or None."""
    return _commune(str(code).strip().upper())


_ARTICLES = ("le ", "la ", "les ", "l ")


def normalise_name(text: str) -> str:
    """A place name as a search key: lower case, no accents, words only, « st »/« ste » spelt out.

    ``"Saint-Denis"``, ``"ST DENIS"`` and ``"saint denis"`` all give ``"saint denis"``;
    ``"L'Haÿ-les-Roses"`` gives ``"l hay les roses"``.
    """
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join({"st": "saint", "ste": "sainte"}.get(w, w) for w in words)


def _strip_article(key: str) -> str:
    for a in _ARTICLES:
        if key.startswith(a):
            return key[len(a) :]
    return key


@cache
def _search_index() -> tuple[tuple[str, str, str, tuple, str], ...]:
    """(name key, key without article, key without spaces, rank, code) per commune."""
    out = []
    for code, r in _commune_rows().items():
        full = normalise_name(r["name"])
        short = _strip_article(full)
        out.append((full, short, full.replace(" ", ""), (r["kind"] != "commune", -int(r["population"]), code), code))
    return tuple(out)


@cache
def _by_postcode() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[tuple]] = {}
    for code, r in _commune_rows().items():
        for p in r["postcodes"].split():
            out.setdefault(p, []).append(((r["kind"] != "commune", -int(r["population"]), code), code))
    return {p: tuple(c for _, c in sorted(v)) for p, v in out.items()}


def find_communes(text: str, limit: int = 10) -> list[Commune]:
    """Communes matching an INSEE code, a postcode or a name, best first.

    Parameters
    ----------
    text : str
        ``'13055'``, ``'26000'``, ``'saint denis'``, ``'St-Étienne'``... Case, accents,
        hyphens, apostrophes, « St »/« Ste » and a leading article do not matter.
    limit : int
        At most this many results.

    Returns
    -------
    list of Commune
        An INSEE code first, then the communes of a postcode, then names: exact, then starting
        with the text, then containing it; within each group communes before arrondissements,
        then by population (largest first), then by code.
    """
    text = (text or "").strip()
    if not text:
        return []
    codes: list[str] = []
    if re.fullmatch(r"\d[\dAB]\d{3}", text.upper()):
        if commune(text):
            codes.append(text.upper())
        codes += _by_postcode().get(text, ())
    key = normalise_name(text)
    if key:
        bare, tight = _strip_article(key), key.replace(" ", "")
        groups: tuple[list, list, list] = ([], [], [])
        for full, short, compact, rank, code in _search_index():
            if key in (full, short) or bare in (full, short) or tight == compact:
                groups[0].append((rank, code))
            elif full.startswith(key) or short.startswith(bare) or compact.startswith(tight):
                groups[1].append((rank, code))
            elif f" {bare}" in f" {full}":
                groups[2].append((rank, code))
        for group in groups:
            codes += [code for _, code in sorted(group)]
    out: list[Commune] = []
    seen = set()
    for code in codes:
        if code not in seen:
            seen.add(code)
            out.append(_known_commune(code.strip().upper()))
        if len(out) == limit:
            break
    return out


# --------------------------------------------------------------------------- geometry


@cache
def _layer(level: str):
    """(codes, coordinates, offsets, bounds) of one level of ``boundaries.npz``, decoded once.

    Polygons are built only when asked for (:func:`_geoms`): a point lookup builds the few
    whose box holds the point.
    """
    import numpy as np

    name = _LAYER[level]
    with np.load(folder() / "boundaries.npz", allow_pickle=False) as z:
        scale = 10.0 ** int(z["decimals"][0])
        xy = np.empty((len(z[f"{name}.x"]), 2))
        xy[:, 0] = np.cumsum(z[f"{name}.x"], dtype=np.int64) / scale
        xy[:, 1] = np.cumsum(z[f"{name}.y"], dtype=np.int64) / scale
        offsets = tuple(z[f"{name}.o{i}"].astype(np.int64) for i in range(3))
        codes = z[f"{name}.codes"].astype(str)
        bounds = z[f"{name}.bbox"]
    return codes, xy, offsets, bounds


def _geoms(level: str, idx):
    """The MultiPolygons of features ``idx`` of ``level``."""
    import numpy as np
    import shapely

    if len(idx) == 0:
        return np.array([], dtype=object)
    _, xy, (o_ring, o_poly, o_multi), _ = _layer(level)
    out = []
    for i in idx:
        p0, p1 = o_multi[i], o_multi[i + 1]
        r0, r1 = o_poly[p0], o_poly[p1]
        c0, c1 = o_ring[r0], o_ring[r1]
        out.append(
            shapely.from_ragged_array(
                shapely.GeometryType.MULTIPOLYGON,
                xy[c0:c1],
                (o_ring[r0 : r1 + 1] - c0, o_poly[p0 : p1 + 1] - r0, np.array([0, p1 - p0])),
            )[0]
        )
    return np.asarray(out, dtype=object)


@cache
def _all_geoms(level: str):
    import shapely

    _, xy, offsets, _ = _layer(level)
    return shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, xy, offsets)


def _in_box(level: str, x0: float, y0: float, x1: float, y1: float):
    import numpy as np

    b = _layer(level)[3]
    return np.flatnonzero((b[:, 0] <= x1) & (b[:, 2] >= x0) & (b[:, 1] <= y1) & (b[:, 3] >= y0))


@cache
def _names(level: str) -> dict[str, str]:
    # Built once per level: the communes' dict has 35,000 entries (about 15 ms), and every
    # map asks for it. Callers only read it.
    if level in ("commune", "arrondissement"):
        return {code: r["name"] for code, r in _commune_rows().items()}
    return {code: t.name for code, t in _territories(level).items()}


def boundaries(level: str = "commune", bbox: tuple[float, float, float, float] | None = None):
    """The outlines of one level of territory.

    Parameters
    ----------
    level : str
        One of :data:`LEVELS`. The five levels come from one cleaned coverage of IGN's communes
        (départements, régions and EPCI dissolved from it), so their edges coincide.
    bbox : (lon_min, lat_min, lon_max, lat_max), optional
        Only the outlines that intersect this box [degree].

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, columns ``code``, ``name``, ``geometry`` (MultiPolygons), by code.
    """
    import geopandas as gpd
    import numpy as np
    import shapely

    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    codes = _layer(level)[0]
    if bbox is None:
        idx, geoms = np.arange(len(codes)), _all_geoms(level)
    else:
        idx = _in_box(level, *bbox)
        geoms = _geoms(level, idx)
        keep = shapely.intersects(geoms, shapely.box(*bbox))
        idx, geoms = idx[keep], geoms[keep]
    names = _names(level)
    gdf = gpd.GeoDataFrame(
        {"code": codes[idx], "name": [names.get(c, "") for c in codes[idx]]}, geometry=geoms, crs="EPSG:4326"
    )
    gdf.attrs["source"] = "IGN ADMIN EXPRESS (Licence Ouverte 2.0); INSEE COG 2026"
    return gdf


def _rings(level: str, i: int):
    """The rings (closed coordinate arrays, lon/lat) of feature ``i`` of ``level``, shells and holes."""
    _, xy, (o_ring, o_poly, o_multi), _ = _layer(level)
    r0, r1 = o_poly[o_multi[i]], o_poly[o_multi[i + 1]]
    return [xy[o_ring[r] : o_ring[r + 1]] for r in range(r0, r1)]


def _contains(rings, x: float, y: float) -> bool:
    """Point in a multipolygon by the even-odd rule over all its rings (holes included).

    Plain numpy, so that placing a site does not import shapely (``impact estimate``
    starts fast).
    """
    import numpy as np

    inside = False
    for ring in rings:
        x0, y0 = ring[:-1, 0], ring[:-1, 1]
        x1, y1 = ring[1:, 0], ring[1:, 1]
        crosses = (y0 > y) != (y1 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            xs = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
        inside ^= bool(np.count_nonzero(crosses & (x < xs)) % 2)
    return inside


def _nearest_point(rings, lat: float, lon: float) -> tuple[float, float]:
    """The point of the rings' edges nearest to (lat, lon), in a local equirectangular plane."""
    import numpy as np

    k = np.cos(np.radians(lat))
    best, best_d2 = (lat, lon), np.inf
    for ring in rings:
        a, b = ring[:-1], ring[1:]
        ax, ay, bx, by = (a[:, 0] - lon) * k, a[:, 1] - lat, (b[:, 0] - lon) * k, b[:, 1] - lat
        dx, dy = bx - ax, by - ay
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.clip(-(ax * dx + ay * dy) / (dx * dx + dy * dy), 0.0, 1.0)
        t = np.nan_to_num(t)
        px, py = ax + t * dx, ay + t * dy
        d2 = px * px + py * py
        j = int(np.argmin(d2))
        if d2[j] < best_d2:
            best_d2, best = d2[j], (lat + py[j], lon + px[j] / k)
    return best


def _locate(level: str, lat: float, lon: float, off_coast_km: float) -> tuple[str | None, bool]:
    import numpy as np

    from ..model.geodesy import haversine_km

    codes = _layer(level)[0]
    for i in _in_box(level, lon, lat, lon, lat):
        if _contains(_rings(level, int(i)), lon, lat):
            return str(codes[i]), False
    if off_coast_km <= 0:
        return None, False
    # In no polygon: the nearest within the distance (a box of that size first).
    dlat = off_coast_km / 111.0
    dlon = dlat / max(np.cos(np.radians(lat)), 0.1)
    best, best_km = None, np.inf
    for i in _in_box(level, lon - dlon, lat - dlat, lon + dlon, lat + dlat):
        q_lat, q_lon = _nearest_point(_rings(level, int(i)), lat, lon)
        km = float(haversine_km(lat, lon, q_lat, q_lon))
        if km < best_km:
            best, best_km = str(codes[i]), km
    return (best, True) if best_km <= off_coast_km else (None, False)


def commune_at(lat: float, lon: float, off_coast_km: float = OFF_COAST_KM) -> Commune | None:
    """The commune at a point.

    Parameters
    ----------
    lat, lon : float
        WGS 84 [degree].
    off_coast_km : float
        A point in no polygon gets the nearest commune within this distance [km], flagged
        ``off_coast=True`` (a quay, a pier, a shore simplified away); 0 to switch it off.

    Returns
    -------
    Commune or None
        None at sea, abroad, or in a foreign enclave. For Paris, Lyon and Marseille the commune
        (see :func:`arrondissement_at` for the arrondissement). The 4 communes restored in 2026
        without outline are never returned: their land answers as the commune they left.
    """
    code, off = _locate("commune", float(lat), float(lon), off_coast_km)
    if code is None:
        return None
    c = commune(code)
    return dataclasses.replace(c, off_coast=True) if off and c is not None else c


def arrondissement_at(lat: float, lon: float, off_coast_km: float = OFF_COAST_KM) -> Commune | None:
    """The municipal arrondissement of Paris, Lyon or Marseille at a point, or None elsewhere.

    Same rules as :func:`commune_at` (``off_coast`` for a point just outside the outlines).
    """
    code, off = _locate("arrondissement", float(lat), float(lon), off_coast_km)
    if code is None:
        return None
    c = commune(code)
    return dataclasses.replace(c, off_coast=True) if off and c is not None else c


# --------------------------------------------------------------------------- substations


@cache
def _substations():
    import geopandas as gpd
    import pandas as pd

    df = pd.read_csv(
        folder() / "substations.csv",
        dtype={"code": str, "name": str, "kind": str, "source": str},
        keep_default_na=False,
    )
    gdf = gpd.GeoDataFrame(
        df.drop(columns=["lat", "lon"]), geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326"
    )
    gdf["voltage_kv"] = gdf["voltage_kv"].astype(float)
    gdf.attrs["source"] = "RTE, postes électriques (ODRÉ), Licence Ouverte v2.0"
    return gdf


def substations(bbox: tuple[float, float, float, float] | None = None):
    """RTE's substations in service with a voltage (the national ODRÉ file, cleaned).

    Parameters
    ----------
    bbox : (lon_min, lat_min, lon_max, lat_max), optional
        Only the substations inside this box [degree].

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 points with ``code``, ``name``, ``kind`` (transformation, tap, customer:
        :func:`impact.sources.rte.substation_kind`), ``voltage_kv`` [kV], ``source``. A copy:
        changing it does not change the cache.
    """
    gdf = _substations()
    if bbox is not None:
        x0, y0, x1, y1 = bbox
        gdf = gdf.cx[x0:x1, y0:y1]
    out = gdf.copy()
    out.attrs = dict(gdf.attrs)
    return out


# --------------------------------------------------------------------------- electricity


@cache
def _electricity() -> dict[tuple[str, int], dict[str, str]]:
    return {(r["dep"], int(r["year"])): r for r in _rows("electricity_departements.csv")}


def electricity_years() -> list[int]:
    """The years of :func:`electricity` (2012-2021: 2011, incomplete in the source, is left out)."""
    return sorted({y for _, y in _electricity()})


def _electricity_record(deps: list[str], year: int | None, what: str) -> dict | None:
    found = _electricity_sum(tuple(deps), year, what)
    return None if found is None else dict(found)  # the caller's own copy


@cache
def _electricity_sum(deps: tuple[str, ...], year: int | None, what: str) -> dict | None:
    # Once per process and area: France's figure adds up 96 départements for every site.
    table = _electricity()
    years = [y for y in electricity_years() if all((d, y) in table for d in deps)]
    if not deps or not years:
        return None
    if year is None:
        year = years[-1]
    elif year not in years:
        return None
    rows = [table[(d, year)] for d in deps]
    out: dict[str, Any] = {f"{s}_mwh": sum(float(r[f"{s}_mwh"]) for r in rows) for s in (*SECTORS, "total")}
    out.update(
        {
            "year": year,
            "delivery_points_residential": sum(int(r["delivery_points_residential"]) for r in rows),
            "area": what,
            "source": rows[0]["source"],
        }
    )
    return out


def electricity(dep: str, year: int | None = None) -> dict | None:
    """Electricity delivered in a département in one year, by sector (Agence ORE, all operators).

    Parameters
    ----------
    dep : str
        Département code (``'13'``, ``'2A'``; overseas ``'971'``... also present).
    year : int, optional
        2012-2021; the latest when None.

    Returns
    -------
    dict or None
        ``agriculture_mwh``, ``industry_mwh``, ``tertiary_mwh``, ``residential_mwh``,
        ``unassigned_mwh``, ``total_mwh`` [MWh/yr], ``delivery_points_residential``, ``year``
        (the year used), ``area``, ``source``. None for an unknown département or year.
    """
    dep = str(dep).upper().zfill(2)
    return _electricity_record([dep], year, f"département {dep}")


def electricity_metropolitan(year: int | None = None) -> dict | None:
    """:func:`electricity` summed over the 96 départements of metropolitan France (Corsica included)."""
    return _electricity_record(sorted(_territories("departement")), year, "France métropolitaine")


def electricity_region(code: str, year: int | None = None) -> dict | None:
    """:func:`electricity` summed over the départements of a metropolitan région (a year all have)."""
    deps = sorted(d.code for d in _territories("departement").values() if d.region == str(code))
    return _electricity_record(deps, year, f"région {code}")


def national_consumption(year: int | None = None) -> dict | None:
    """France's gross annual electricity consumption (RTE, via ODRÉ).

    Returns
    -------
    dict or None
        ``gross_gwh`` and ``weather_corrected_gwh`` [GWh/yr], ``status`` (Définitif /
        Consolidé), ``year`` (the latest, 2021, when None), ``source``. It includes network
        losses, which the Agence ORE deliveries of :func:`electricity` do not.
    """
    rows = {int(r["year"]): r for r in _rows("electricity_national.csv")}
    year = max(rows) if year is None else int(year)
    r = rows.get(year)
    if r is None:
        return None
    return {
        "year": year,
        "gross_gwh": float(r["gross_gwh"]),
        "weather_corrected_gwh": float(r["weather_corrected_gwh"]),
        "status": r["status"],
        "source": r["source"],
    }


# --------------------------------------------------------------------------- heat networks


def heat_networks(commune_code: str | None = None, dep: str | None = None) -> list[dict]:
    """Heat and cooling networks of the 2026 « arrêté DPE » list.

    Parameters
    ----------
    commune_code : str, optional
        Only the networks whose main commune is this INSEE code (an arrondissement is
        taken as its commune).
    dep : str, optional
        Only those of this département.

    Returns
    -------
    list of dict
        By identifier: ``id``, ``name``, ``kind`` (heat, cooling), ``dep``, ``localisation``
        (as published), ``commune`` (INSEE code, '' when not matched), ``commune_name``,
        ``co2_kg_per_kwh`` and ``co2_lca_kg_per_kwh`` [kg CO2/kWh delivered, direct and life
        cycle], ``renewable_share_pct`` [%] (None for cooling), ``reference_year``, ``source``.
    """
    if commune_code is not None:
        c = commune(commune_code)
        commune_code = c.parent if c is not None and c.parent else str(commune_code)
    dep = None if dep is None else str(dep).upper().zfill(2)
    out = []
    for r in _rows("heat_networks.csv"):
        if commune_code is not None and r["commune"] != commune_code:
            continue
        if dep is not None and r["dep"] != dep:
            continue
        out.append(
            {
                **r,
                "co2_kg_per_kwh": _num(r["co2_kg_per_kwh"]),
                "co2_lca_kg_per_kwh": _num(r["co2_lca_kg_per_kwh"]),
                "renewable_share_pct": _num(r["renewable_share_pct"]),
            }
        )
    return out


# --------------------------------------------------------------------------- basemap

BASEMAP_LAYERS = ("borders", "rivers", "lakes", "lake_shores", "foreign_land")


@cache
def _basemap_layer(layer: str):
    """One layer of ``basemap.gpkg``, whole, indexed by feature id (read once per process)."""
    import pyogrio

    return pyogrio.read_dataframe(folder() / "basemap.gpkg", layer=layer, fid_as_index=True)


def preload_basemap(layers: tuple[str, ...]) -> None:
    """Read ``layers`` of the basemap now (each once per process): a batch does it before forking
    its workers, which then share them instead of each reading them on its first map."""
    for layer in layers:
        _basemap_layer(layer)


@per_thread(maxsize=16)
def _basemap_index():
    """A read-only connection to basemap.gpkg (its R-tree), one per process and thread: a forked
    worker never uses its parent's, nor a thread another's. The file is shipped and never
    changes (immutable: no locking)."""
    import sqlite3

    uri = f"{(folder() / 'basemap.gpkg').as_uri()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True)


def _basemap_ids(layer: str, bbox: tuple[float, float, float, float]) -> list[int]:
    """The feature ids of ``layer`` whose box in the GeoPackage's R-tree meets ``bbox``, in the
    R-tree's order: the order in which GDAL's spatial filter returns them (a map draws them
    in that order, and unions them)."""
    x0, y0, x1, y1 = bbox
    rows = (
        _basemap_index()
        .execute(
            f'SELECT id FROM "rtree_{layer}_geom" WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?',
            (float(x0), float(x1), float(y0), float(y1)),
        )
        .fetchall()
    )
    return [int(i) for (i,) in rows]


def basemap(bbox: tuple[float, float, float, float], layers: tuple[str, ...] = BASEMAP_LAYERS) -> dict:
    """The basemap layers that intersect a box, as GDAL's spatial filter selects them.

    Each layer is read once per process; a box selects its features through the
    GeoPackage's spatial index, then keeps those that intersect it (what ``pyogrio``'s
    ``bbox`` does, in the same order), without reading the file again.

    Parameters
    ----------
    bbox : (lon_min, lat_min, lon_max, lat_max)
        [degree].
    layers : tuple of str
        Some of :data:`BASEMAP_LAYERS` (all by default).

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
        ``borders``, ``rivers`` (with ``level`` 1-4), ``lakes`` (polygons), ``lake_shores``
        (lines), ``foreign_land`` (land of the neighbouring countries), EPSG:4326, each
        possibly empty. France's land is :func:`boundaries` (its union); the sea is neither.
    """
    import shapely

    box = shapely.box(*bbox)
    out = {}
    for layer in layers:
        if layer not in BASEMAP_LAYERS:
            raise ValueError(f"layer must be one of {', '.join(BASEMAP_LAYERS)}, got {layer!r}")
        whole = _basemap_layer(layer)
        candidates = whole.loc[_basemap_ids(layer, bbox)]
        gdf = candidates[shapely.intersects(candidates.geometry.values, box)].reset_index(drop=True)
        gdf.attrs = {"source": gdf["source"].iloc[0] if len(gdf) else ""}
        out[layer] = gdf
    return out
