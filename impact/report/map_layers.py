"""The layers of a site map, gathered once for a frame: France's land and its communes, the
sea, foreign land, rivers, lakes, the national border, RTE's substations, other data centres.

Everything is read from the package's France-wide data (:mod:`impact.sources.france`) or from
the GeoDataFrames a caller passes (the project's own context files, already read), then
projected to the map's metric CRS and cut to the frame. No sentence here: the renderer
(:mod:`impact.report.maps`) picks the words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..caching import per_thread

#: A sea polygon smaller than this is a sliver between two datasets, not sea [m2].
MIN_SEA_PART_M2 = 20_000.0
#: The frame holds sea when its sea parts add up to at least this share of it.
MIN_SEA_SHARE = 0.002
#: Foreign land is named when it covers at least this share of the frame.
MIN_FOREIGN_SHARE = 0.001
#: Paris, Lyon and Marseille: their municipal arrondissements are drawn inside them.
PLM = ("75056", "69123", "13055")
#: Metropolitan France's box of the shipped basemap [degree] (data/france/PROVENANCE.md).
FRANCE_BOX = (-6.0, 41.0, 10.0, 51.6)


@dataclass
class Frame:
    """The map's square frame around a centre, in a metric CRS."""

    lat: float
    lon: float
    crs: str
    half_m: float
    x: float = 0.0  # the centre in the CRS [m]
    y: float = 0.0
    polygon: Any = None
    bbox_wgs84: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    @property
    def bounds(self):
        return self.polygon.bounds

    @property
    def area_m2(self) -> float:
        return (2 * self.half_m) ** 2


#: The basemap layers a map draws (:func:`load_basemap`).
BASEMAP_DRAWN = ("foreign_land", "rivers", "lakes")


@per_thread(maxsize=64)
def transformer(src, dst):
    """The pyproj transformer from CRS ``src`` to ``dst`` (longitude, latitude order:
    ``always_xy``), built once per process and thread (:func:`impact.caching.per_thread`).

    Building one reads PROJ's database (about 4 ms); a map needs about ten, always between
    the same few CRS.
    """
    from pyproj import Transformer

    return Transformer.from_crs(src, dst, always_xy=True)


def make_frame(lat: float, lon: float, crs: str, half_m: float) -> Frame:
    import shapely

    fwd = transformer(4326, crs)
    back = transformer(crs, 4326)
    x, y = fwd.transform(lon, lat)
    poly = shapely.box(x - half_m, y - half_m, x + half_m, y + half_m)
    xs, ys = [], []
    for px, py in poly.exterior.coords:
        lo, la = back.transform(px, py)
        xs.append(lo)
        ys.append(la)
    # The frame's corners in degrees, and a little more: a side is curved in WGS 84.
    pad = 0.002
    return Frame(lat, lon, crs, half_m, x, y, poly, (min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad))


def in_france_box(frame: Frame) -> bool:
    x0, y0, x1, y1 = frame.bbox_wgs84
    return x0 >= FRANCE_BOX[0] and y0 >= FRANCE_BOX[1] and x1 <= FRANCE_BOX[2] and y1 <= FRANCE_BOX[3]


@dataclass
class MapLayers:
    """What a map draws, projected and cut to the frame (None or empty: not drawn)."""

    frame: Frame
    france: Any = None  # shapely geometry: France's land in the frame
    sea: Any = None  # shapely geometry, only where the frame has sea
    foreign: list = field(default_factory=list)  # [(country code, geometry)] that the frame shows
    rivers: Any = None  # GeoDataFrame of lines, with ``level``
    lakes: Any = None  # GeoDataFrame of polygons
    border: Any = None  # shapely lines: France's land border (IGN outline next to foreign land)
    communes: Any = None  # GeoDataFrame: code, name, population, geometry (whole outlines)
    arrondissements: Any = None  # GeoDataFrame, Paris / Lyon / Marseille only
    departements: Any = None  # shapely lines: département edges inside France
    site_area: Any = None  # (code, name, kind, geometry) of the site's commune or arrondissement
    boundaries: Any = None  # a user's boundaries file (GeoDataFrame)
    substations: Any = None  # GeoDataFrame: name, kind, voltage_kv, distance_km, connectable
    datacenters: Any = None  # GeoDataFrame: name, power_mw, basis
    territory_sites: Any = None  # GeoDataFrame: name (city maps)
    # Sites without coordinates, at their commune's inside point, one row per commune
    # (:func:`at_communes`): the territory's (city maps) and the registry's.
    territory_at_commune: Any = None
    datacenters_at_commune: Any = None
    landing_points: Any = None  # GeoDataFrame: name
    unplaced: list = field(default_factory=list)  # [(name, city)] registry sites placed nowhere
    #: [(name, commune)] registry sites without coordinates in the site's commune, whose
    #: inside point is outside the frame (not drawn).
    outside_commune_point: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)  # layer -> source details for the words


def _to_crs(gdf, crs):
    if gdf is None or len(gdf) == 0:
        return None
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    return gdf.to_crs(crs)


def _clip(geom, frame: Frame):
    import shapely

    if geom is None or geom.is_empty:
        return None
    out = shapely.intersection(geom, frame.polygon)
    return None if out.is_empty else out


def _polygon_parts(geom, min_area: float):
    import shapely

    if geom is None or geom.is_empty:
        return None
    parts = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and g.area >= min_area]
    return shapely.multipolygons(parts) if parts else None


def _in_frame(communes, frame: Frame):
    communes = communes.to_crs(frame.crs)
    return communes[communes.intersects(frame.polygon)].reset_index(drop=True)


def frame_communes(frame: Frame):
    """The communes the frame shows (``code``, ``name``, outlines in the frame's CRS): those
    :func:`load_basemap` draws."""
    from ..sources import france

    return _in_frame(france.boundaries("commune", frame.bbox_wgs84), frame)


def load_basemap(frame: Frame, out: MapLayers, site_code: str | None, site_arrondissement: str | None) -> None:
    """France's land, its communes and départements, sea, foreign land, rivers and lakes."""
    import geopandas as gpd
    import numpy as np
    import shapely

    from ..sources import france

    bbox = frame.bbox_wgs84
    communes = france.boundaries("commune", bbox)
    if len(communes) == 0 and not in_france_box(frame):
        return
    communes = _in_frame(communes, frame)
    pops = {c: (known.population if (known := france.commune(c)) else 0) for c in communes["code"]}
    communes["population"] = [pops[c] for c in communes["code"]]
    out.sources["communes"] = communes.attrs.get("source", "")
    land = shapely.union_all(np.asarray(communes.geometry.values)) if len(communes) else None
    out.france = _clip(land, frame)
    out.communes = communes if len(communes) else None

    if any(code in PLM for code in communes["code"]):
        arr = france.boundaries("arrondissement", bbox).to_crs(frame.crs)
        arr = arr[arr.intersects(frame.polygon)].reset_index(drop=True)
        out.arrondissements = arr if len(arr) else None

    deps = france.boundaries("departement", bbox)
    if len(deps) > 1:
        deps = deps.to_crs(frame.crs)
        edges = []
        geoms = list(deps.geometry)
        for i in range(len(geoms)):
            for j in range(i + 1, len(geoms)):
                shared = shapely.intersection(geoms[i].boundary, geoms[j].boundary)
                if not shared.is_empty and shared.length > 0:
                    edges.append(shared)
        out.departements = _clip(shapely.union_all(edges), frame) if edges else None

    # The site's commune (or its arrondissement in Paris, Lyon, Marseille).
    for layer, code, kind in (
        (out.arrondissements, site_arrondissement, "arrondissement"),
        (out.communes, site_code, "commune"),
    ):
        if layer is not None and code is not None and code in set(layer["code"]):
            row = layer[layer["code"] == code].iloc[0]
            out.site_area = (code, row["name"], kind, row.geometry)
            break

    base = france.basemap(bbox, BASEMAP_DRAWN)
    foreign = _to_crs(base["foreign_land"], frame.crs)
    foreign_geom = None
    if foreign is not None:
        foreign_geom = _clip(shapely.union_all(np.asarray(foreign.geometry.values)), frame)
        if foreign_geom is not None and foreign_geom.area >= MIN_FOREIGN_SHARE * frame.area_m2:
            out.foreign = _countries(foreign_geom, frame)
            out.sources["foreign"] = base["foreign_land"].attrs.get("source", "")
            if out.france is not None:
                near = shapely.buffer(foreign_geom, 250.0)
                border = shapely.intersection(shapely.boundary(out.france), near)
                out.border = None if border.is_empty or border.length < 100 else border
        else:
            foreign_geom = None
    covered = [g for g in (out.france, foreign_geom) if g is not None]
    if covered:
        sea = shapely.difference(frame.polygon, shapely.union_all(covered))
        sea = _polygon_parts(sea, MIN_SEA_PART_M2)
        if sea is not None and sea.area >= MIN_SEA_SHARE * frame.area_m2:
            out.sea = sea
    rivers = _to_crs(base["rivers"], frame.crs)
    if rivers is not None:
        rivers = gpd.GeoDataFrame(
            rivers[["level"]], geometry=rivers.geometry.intersection(frame.polygon), crs=frame.crs
        )
        rivers = rivers[~rivers.geometry.is_empty]
        if len(rivers):
            out.rivers = rivers
            out.sources["rivers"] = base["rivers"].attrs.get("source", "")
    lakes = _to_crs(base["lakes"], frame.crs)
    if lakes is not None:
        lakes = gpd.GeoDataFrame(geometry=lakes.geometry.intersection(frame.polygon), crs=frame.crs)
        lakes = lakes[~lakes.geometry.is_empty]
        if len(lakes):
            out.lakes = lakes
            out.sources["rivers"] = base["lakes"].attrs.get("source", "")


def _countries(foreign_geom, frame: Frame) -> list[tuple[str, Any]]:
    """The foreign land of the frame, split by country (data/basemap/countries.gpkg)."""
    import shapely

    from .map_data import countries

    table = countries(frame.crs, frame.bbox_wgs84)
    out = []
    rest = foreign_geom
    for code, geom in table:
        part = shapely.intersection(foreign_geom, shapely.buffer(geom, 2000.0))
        part = _polygon_parts(part, MIN_SEA_PART_M2)
        if part is not None and part.area >= MIN_FOREIGN_SHARE * frame.area_m2:
            out.append((code, part))
            rest = shapely.difference(rest, part)
    if rest is not None and not rest.is_empty and rest.area >= MIN_FOREIGN_SHARE * frame.area_m2:
        out.append(("", rest))  # foreign land that no country polygon reaches: drawn, not named
    return sorted(out, key=lambda item: -item[1].area)


def haversine_km(lat1, lon1, lat2, lon2):
    from ..model.geodesy import haversine_km as h

    return h(lat1, lon1, lat2, lon2)


def load_substations(frame: Frame, out: MapLayers, given, min_kv: float | None, lat: float, lon: float) -> None:
    """RTE's substations inside the frame: the project's file (already cleaned) or the shipped table.

    ``min_kv``: the reference domain's lowest voltage; transformation substations at or above it
    are ``connectable`` (None: none is marked).
    """
    import numpy as np

    from ..sources import france

    if given is not None:
        subs = _to_crs(given, frame.crs)
        out.sources["substations_file"] = given.attrs.get("source", "")
    elif in_france_box(frame) or france.boundaries("commune", frame.bbox_wgs84).shape[0]:
        subs = _to_crs(france.substations(frame.bbox_wgs84), frame.crs)
    else:
        subs = None
    if subs is None:
        return
    subs = subs[subs.intersects(frame.polygon)].copy()
    if not len(subs):
        return
    wgs = subs.to_crs(4326)
    subs["distance_km"] = haversine_km(lat, lon, wgs.geometry.y.to_numpy(), wgs.geometry.x.to_numpy())
    subs["voltage_kv"] = subs["voltage_kv"].astype(float)
    subs = subs[np.isfinite(subs["voltage_kv"])]
    subs["connectable"] = (subs["kind"] == "transformation") & (subs["voltage_kv"] >= (min_kv or math.inf))
    out.substations = subs.sort_values(["distance_km", "code"], kind="stable").reset_index(drop=True)
    if given is None:
        out.sources["substations"] = "shipped"


def commune_of(project):
    """The commune whose inside point stands for a site without coordinates
    (:func:`impact.site.place_site`: by its declared city's name), or None (a site with
    coordinates, or one that cannot be placed)."""
    if project.location is not None:
        return None
    return _commune_named(project.country, (project.city or "").strip())


@lru_cache(maxsize=4096)
def _commune_named(country: str, city: str):
    # A registry's rows name the same cities again and again; a look-up by name takes ~20 ms.
    from types import SimpleNamespace

    from ..site import place_site

    c = place_site(SimpleNamespace(country=country, location=None, city=city)).commune
    return c if c is not None and c.lat is not None and c.lon is not None else None


def map_point(project) -> tuple[float, float] | None:
    """Where a map draws a site: its coordinates (lat, lon), else its commune's inside
    point, else None."""
    if project.location is not None:
        return float(project.location.lat), float(project.location.lon)
    c = commune_of(project)
    return None if c is None else (float(c.lat), float(c.lon))


def at_communes(entries, frame: Frame):
    """Sites without coordinates, one row per commune whose inside point is in the frame.

    Parameters
    ----------
    entries : list of (name, power_mw, basis, Commune)

    Returns
    -------
    (GeoDataFrame or None, list of (name, commune name, commune code))
        One row per commune: ``code``, ``commune`` (its name), ``count``, ``sites`` (a tuple
        of ``(name, power_mw, basis)`` in the order given), a point at the commune's inside
        point; and the sites whose commune's point is outside the frame.
    """
    import geopandas as gpd

    groups: dict[str, dict] = {}
    for name, power, basis, c in entries:
        g = groups.setdefault(c.code, {"code": c.code, "commune": c.name, "lat": c.lat, "lon": c.lon, "sites": []})
        g["sites"].append((name, power, basis))
    if not groups:
        return None, []
    rows = [{**g, "sites": tuple(g["sites"]), "count": len(g["sites"])} for g in groups.values()]
    gdf = gpd.GeoDataFrame(
        rows, geometry=gpd.points_from_xy([r["lon"] for r in rows], [r["lat"] for r in rows]), crs=4326
    ).to_crs(frame.crs)
    inside = gdf.intersects(frame.polygon)
    outside = [(name, r["commune"], r["code"]) for _, r in gdf[~inside].iterrows() for name, _, _ in r["sites"]]
    gdf = gdf[inside].reset_index(drop=True)
    return (gdf if len(gdf) else None), outside


def registry_points(rows, project, frame: Frame):
    """The registry's sites inside the frame, minus the project itself.

    Returns
    -------
    (GeoDataFrame or None, (GeoDataFrame or None, list), list of (name, city))
        The located points (``name``, ``power_mw``, ``basis``); the sites without coordinates
        at their commune's inside point, and those whose point is outside the frame
        (:func:`at_communes`); the sites placed nowhere (their declared city is no commune's
        name, or several communes'), with that city.
    """
    import geopandas as gpd

    name = (getattr(project, "name", "") or "").strip()
    loc = getattr(project, "location", None)
    points, at_commune, unplaced = [], [], []
    near = _near_own_site(rows, loc)
    for _, p in rows:
        if p.name.strip() == name:
            continue
        if p.location is None:
            c = commune_of(p)
            if c is None:
                unplaced.append((p.name, (p.city or "").strip()))
            else:
                at_commune.append((p.name, *_power(p), c))
            continue
        if loc is not None and id(p) in near and haversine_km(loc.lat, loc.lon, p.location.lat, p.location.lon) < 0.05:
            continue  # the project's own site, under another name
        power, basis = _power(p)
        points.append({"name": p.name, "power_mw": power, "basis": basis, "lat": p.location.lat, "lon": p.location.lon})
    communes = at_communes(at_commune, frame)
    # Only the points near the frame's box are projected and tested (a registry of 1,000
    # sites, a frame of a few): the margin is far wider than the box's own padding.
    x0, y0, x1, y1 = frame.bbox_wgs84
    points = [
        r
        for r in points
        if x0 - _PREFILTER_DEG <= r["lon"] <= x1 + _PREFILTER_DEG
        and y0 - _PREFILTER_DEG <= r["lat"] <= y1 + _PREFILTER_DEG
    ]
    if not points:
        return None, communes, unplaced
    gdf = gpd.GeoDataFrame(
        points, geometry=gpd.points_from_xy([r["lon"] for r in points], [r["lat"] for r in points]), crs=4326
    )
    gdf = gdf.to_crs(frame.crs)
    gdf = gdf[gdf.intersects(frame.polygon)].reset_index(drop=True)
    return (gdf if len(gdf) else None), communes, unplaced


#: Sites farther than this from the project, by a whole-array haversine, are not its own
#: (0.05 km) whatever the rounding: only the nearer ones are measured one by one [km].
_NEAR_KM = 0.5
#: The margin around a frame's box beyond which a registry's point is not projected [degree].
_PREFILTER_DEG = 0.2


def _near_own_site(rows, loc) -> set[int]:
    """The ``id`` of the registry's located projects that may be the project's own site
    (within :data:`_NEAR_KM` of ``loc``); registry_points measures those exactly, one by one
    as before (a registry of 1,000 sites took 10 ms a map one by one)."""
    import numpy as np

    located = [p for _, p in rows if p.location is not None]
    if loc is None or not located:
        return set()
    lat = np.array([p.location.lat for p in located], dtype=float)
    lon = np.array([p.location.lon for p in located], dtype=float)
    km = haversine_km(loc.lat, loc.lon, lat, lon)
    return {id(p) for p, d in zip(located, km) if not d >= _NEAR_KM}  # NaN: measured one by one


def _power(p) -> tuple[float | None, str]:
    cap = getattr(p, "it_capacity_mw", None)
    if cap is not None and hasattr(cap, "central"):
        return float(cap.central), "it"
    ann = getattr(p, "announced_power", None)
    if ann is not None:
        v = ann.value_mw
        return float(getattr(v, "central", v)), (ann.basis or "")
    return None, ""
