"""Maps of a project's site and its context, drawn offline with matplotlib, for any site in
metropolitan France.

``site_map(results)`` draws France's land and, where the frame has some, the sea; foreign land
(named); rivers and lakes; the national border; the communes (the site's highlighted and named,
its neighbours named where they fit), the départements' edges; RTE's substations by voltage and
kind, those a project of its peak demand could be connected to marked (and the nearest one shown
by an arrow at the edge when it is outside the frame); the other data centres of a registry; a
scale bar, a north arrow, a legend naming exactly what is drawn, and the sources. Labels never
overlap each other, the legend, the scale bar or the north arrow (real text extents).

The words come from the catalogue (``templates/catalogue/<lang>/maps.yaml``). The layers are
gathered by :mod:`impact.report.map_layers`, the labels placed by :mod:`impact.report.map_labels`.

``save_figure(fig, path)`` writes PNG, SVG or PDF byte-identically from run to run.

geopandas, pyproj and matplotlib are imported inside the functions, so that ``import impact``
stays light.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..caching import per_thread
from .charts import LITERAL, literal_figure, literal_legend
from .map_labels import Labeller, area_points, inside_area, nearest_is_own, point_offsets

if TYPE_CHECKING:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)

# Half-width of the map around the site, in metres, for each scale.
EXTENTS_M = {"city": 6_500.0, "small": 16_000.0}
#: The widest frame of a territory's map (all its sites in view), half-width [m].
MAX_HALF_M = 40_000.0

LAND = "#f2efe9"
SEA = "#c9dcef"
WATER = "#a9c8e6"
COAST = "#6f8ca6"
FOREIGN = "#dedbd4"
NO_BASEMAP = "#fbfbfb"
SITE = "#c0392b"
SITE_AREA = "#f6dcc4"
COMMUNE_LINE = "#9a9a9a"
DEPARTEMENT_LINE = "#555555"
BORDER = "#222222"
DATACENTER = "#5b3f8c"
#: The face of a hollow marker: a site drawn at its commune's inside point, not at its address.
HOLLOW = "#ffffff"
#: Marker sizes [points²]: a hollow marker alone in its commune, and one with a count inside.
AT_COMMUNE_SIZES = {"star": (150, 360), "diamond": (50, 150)}
#: The width of a legend entry's text in the thumbnail's two columns [in].
SMALL_LEGEND_COLUMN_IN = 1.5
#: The gid of the hollow markers' collections (tests find them by it).
AT_COMMUNE_GIDS = {"*": "impact-at-commune-territory", "D": "impact-at-commune-registry"}
COUNT_GID = "impact-count"
LANDING = "#117a8b"
USER_LINE = "#8a6d1d"
VOLTAGE_COLOURS = {400: "#7b1fa2", 225: "#d35400", 150: "#b9770e", 90: "#2471a3", 63: "#1e8449", 45: "#7f8c8d"}
KIND_MARKERS = {"transformation": "s", "tap": "^", "customer": "o"}
KINDS = ("transformation", "tap", "customer")
SCALEBAR_GID = "impact-scalebar"
NORTH_GID = "impact-north"


# ---------------------------------------------------------------- geometry helpers


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of the mean Earth radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in km on the WGS 84 ellipsoid."""
    from pyproj import Geod

    _, _, metres = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)
    return metres / 1000.0


def map_crs(lat: float, lon: float) -> str:
    """A metric CRS for a site: Lambert-93 in metropolitan France, else its UTM zone."""
    if -5.5 <= lon <= 10.0 and 41.0 <= lat <= 51.5:
        return "EPSG:2154"
    zone = int((lon + 180) // 6) + 1
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def _kv(v) -> str:
    return f"{float(v):g}"


def _title_case(name: str) -> str:
    """RTE's upper-case names in title case (« BOURGET (LE) » -> « Bourget (Le) »)."""
    return str(name).title() if str(name).isupper() else str(name)


# ---------------------------------------------------------------- what the map shows


class _Site:
    """The facts of the site a map needs: its place, its connection facts."""

    def __init__(self, results, project, territory=False):  # territory: bool (site_map's)
        self.project = project
        self.name = getattr(project, "name", "") or ""
        loc = getattr(project, "location", None)
        #: The site has coordinates: it is drawn (a territory's map may have none, see site_map).
        self.located = loc is not None
        #: The point distances are measured from (the frame's centre when not located) [degree].
        self.lat, self.lon = (float(loc.lat), float(loc.lon)) if loc is not None else (None, None)
        self.distances = self.located  # labels give the distance from the site
        #: The point is not the site's own (location.approximate): drawn hollow, distances indicative.
        self.approximate = bool(getattr(loc, "approximate", False))
        if territory:
            # A territory's map highlights no commune and gives no connection fact
            # (site_map): neither is looked up.
            self.place = self.commune_code = self.arrondissement_code = None
            self.grid = self.domain = self.distribution = None
            return
        site = getattr(results, "site", None)
        if site is None and getattr(project, "location", None) is not None:
            from ..site import place_site

            site = place_site(project)
        self.place = site
        commune = getattr(site, "commune", None)
        arrondissement = getattr(site, "arrondissement", None)
        self.commune_code = getattr(commune, "code", None)
        self.arrondissement_code = getattr(arrondissement, "code", None)
        meta = getattr(results, "meta", None)
        if isinstance(meta, dict) and "grid_connection" in meta:
            self.grid = meta["grid_connection"]
        else:
            from ..project_data import grid_connection

            self.grid = grid_connection(project, None, site) if project.location is not None else None
        domain = (self.grid or {}).get("domain")
        self.domain = domain if domain and domain.get("min_kv", 0) > 0 else None
        # BT or HTA: the distribution network's domain, when the peak needs no RTE substation.
        self.distribution = domain["domain"] if domain and not self.domain else None


def _registry_label(rows) -> str:
    from ..project import project_path

    for _, p in rows:
        path = project_path(p)
        if path is not None:
            return Path(path).name
    return ""


def _gather(frame, site: _Site, context: dict, t):
    """Every layer of the frame (:class:`impact.report.map_layers.MapLayers`)."""
    import geopandas as gpd

    from . import map_layers as ml

    layers = ml.MapLayers(frame)
    if frame.crs == "EPSG:2154":
        ml.load_basemap(frame, layers, site.commune_code, site.arrondissement_code)
    min_kv = site.domain["min_kv"] if site.domain else None
    if frame.crs == "EPSG:2154" or context.get("substations") is not None:
        ml.load_substations(frame, layers, context.get("substations"), min_kv, site.lat, site.lon)
    if context.get("boundaries") is not None:
        layers.boundaries = ml._to_crs(context["boundaries"], frame.crs)
        layers.sources["boundaries"] = context["boundaries"].attrs.get("source", "")
    rows = context.get("registry")
    if rows:
        points, (at_commune, outside), unplaced = ml.registry_points(rows, site.project, frame)
        layers.datacenters = points
        layers.datacenters_at_commune = at_commune
        shown = layers.communes if layers.communes is not None else {"name": [], "code": []}
        names = {str(n).casefold() for n in shown["name"]}
        layers.unplaced = [(n, c) for n, c in unplaced if c.casefold() in names]
        # The site's own commune may be bigger than the frame (Marseille): its other sites are named.
        layers.outside_commune_point = [
            (n, c) for n, c, code in outside if site.commune_code is not None and code == site.commune_code
        ]
        layers.sources["registry"] = _registry_label(rows)
    dcs = context.get("datacenters")
    if dcs is not None and len(dcs):
        dcs = ml._to_crs(dcs, frame.crs)
        dcs = dcs[dcs.intersects(frame.polygon)]
        if "name" in dcs.columns:
            dcs = dcs[dcs["name"].astype(str) != site.name]
        if len(dcs):
            dcs = gpd.GeoDataFrame(dcs).copy()
            for col, default in (("power_mw", None), ("basis", "")):
                if col not in dcs.columns:
                    dcs[col] = default
            layers.datacenters = (
                dcs
                if layers.datacenters is None
                else gpd.GeoDataFrame(
                    list(layers.datacenters.to_dict("records")) + list(dcs.to_dict("records")), crs=frame.crs
                )
            )
    ts = context.get("territory_sites")
    if ts is not None and len(ts):
        ts = ml._to_crs(ts, frame.crs)
        ts = ts[ts.intersects(frame.polygon)]
        layers.territory_sites = ts if len(ts) else None
    unlocated = [(n, *ml._power(p), ml.commune_of(p)) for n, p in context.get("territory_unlocated") or []]
    layers.territory_at_commune = ml.at_communes([e for e in unlocated if e[3] is not None], frame)[0]
    landing = context.get("landing_points")
    if landing is not None:
        lp = ml._to_crs(landing, frame.crs)
        lp = lp[lp.intersects(frame.polygon)] if lp is not None else None
        if lp is not None and len(lp):
            layers.landing_points = lp
            layers.sources["landing"] = landing.attrs.get("source", "")
    return layers


# ---------------------------------------------------------------- legend


def _legend_items(layers, site: _Site, t, site_legend: str | None, small: bool):
    """``(key, handle)`` pairs, in order, for what is drawn (handles carry the label)."""
    from matplotlib.artist import Artist
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    items: list[tuple[str, Artist]] = []
    if site.located and site.approximate:
        items.append(
            (
                "site",
                Line2D(
                    [],
                    [],
                    marker="*",
                    ls="",
                    color=HOLLOW,
                    markeredgecolor=SITE,
                    markeredgewidth=1.3,
                    markersize=13,
                    label=site_legend or t("map.site_approximate"),
                ),
            )
        )
    elif site.located:
        items.append(
            (
                "site",
                Line2D(
                    [],
                    [],
                    marker="*",
                    ls="",
                    color=SITE,
                    markeredgecolor="white",
                    markersize=13,
                    label=site_legend or t("map.site"),
                ),
            )
        )
    if layers.territory_sites is not None:
        items.append(
            (
                "territory_sites",
                Line2D(
                    [],
                    [],
                    marker="*",
                    ls="",
                    color=SITE,
                    markeredgecolor="white",
                    markersize=10,
                    label=t("map.territory_sites"),
                ),
            )
        )
    if layers.territory_at_commune is not None:
        items.append(
            (
                "territory_at_commune",
                Line2D(
                    [],
                    [],
                    marker="*",
                    ls="",
                    color=HOLLOW,
                    markeredgecolor=SITE,
                    markeredgewidth=1.1,
                    markersize=11,
                    label=t("map.territory_sites.at_commune"),
                ),
            )
        )
    if layers.site_area is not None:
        key = "map.site_arrondissement" if layers.site_area[2] == "arrondissement" else "map.site_commune"
        items.append(
            ("site_area", Patch(facecolor=SITE_AREA, edgecolor=SITE, lw=1.2, label=t(key, name=layers.site_area[1])))
        )
    if layers.communes is not None:
        items.append(("communes", Line2D([], [], color=COMMUNE_LINE, lw=0.6, label=t("map.communes"))))
    if layers.arrondissements is not None and not small:
        items.append(
            ("arrondissements", Line2D([], [], color=COMMUNE_LINE, lw=0.6, ls=":", label=t("map.arrondissements")))
        )
    if layers.departements is not None:
        items.append(("departements", Line2D([], [], color=DEPARTEMENT_LINE, lw=1.4, label=t("map.departements"))))
    if layers.border is not None:
        items.append(("border", Line2D([], [], color=BORDER, lw=1.8, ls="-.", label=t("map.border"))))
    for code, _ in layers.foreign:
        label = t("map.foreign", country=t(f"map.country.{code}")) if code else t("map.foreign_unnamed")
        items.append((f"foreign:{code}", Patch(facecolor=FOREIGN, edgecolor="#b9b5ab", lw=0.6, label=label)))
    if layers.sea is not None:
        items.append(("sea", Patch(facecolor=SEA, edgecolor=COAST, lw=0.8, label=t("map.sea"))))
    if layers.rivers is not None:
        items.append(("rivers", Line2D([], [], color=WATER, lw=1.4, label=t("map.rivers"))))
    if layers.lakes is not None:
        items.append(("lakes", Patch(facecolor=WATER, edgecolor="none", label=t("map.lakes"))))
    if layers.boundaries is not None:
        items.append(("boundaries", Line2D([], [], color=USER_LINE, lw=0.9, ls="--", label=t("map.boundaries"))))
    subs = layers.substations
    if subs is not None:
        for kv in sorted({int(v) for v in subs["voltage_kv"]}, reverse=True):
            items.append(
                (
                    f"kv:{kv}",
                    Line2D(
                        [],
                        [],
                        marker="s",
                        ls="",
                        color=VOLTAGE_COLOURS.get(kv, "#555555"),
                        markeredgecolor="white",
                        markersize=7,
                        label=t("map.substation.voltage", kv=kv),
                    ),
                )
            )
        kinds = set(subs["kind"])
        if not small or kinds - {"transformation"}:
            for kind in KINDS:
                if kind in kinds:
                    items.append(
                        (
                            f"kind:{kind}",
                            Line2D(
                                [],
                                [],
                                marker=KIND_MARKERS[kind],
                                ls="",
                                color="#888888",
                                markeredgecolor="white",
                                markersize=7,
                                label=t(f"map.substation.kind.{kind}"),
                            ),
                        )
                    )
        if site.domain is not None and bool(subs["connectable"].any()):
            items.append(
                (
                    "connectable",
                    Line2D(
                        [],
                        [],
                        marker="s",
                        ls="",
                        color="#bbbbbb",
                        markeredgecolor="black",
                        markeredgewidth=1.3,
                        markersize=8,
                        label=t("map.connectable", domain=site.domain["domain"], kv=_kv(site.domain["min_kv"])),
                    ),
                )
            )
    if layers.datacenters is not None:
        items.append(
            (
                "datacenters",
                Line2D(
                    [],
                    [],
                    marker="D",
                    ls="",
                    color=DATACENTER,
                    markeredgecolor="white",
                    markersize=6,
                    label=t("map.datacenters"),
                ),
            )
        )
    if layers.datacenters_at_commune is not None:
        items.append(
            (
                "datacenters_at_commune",
                Line2D(
                    [],
                    [],
                    marker="D",
                    ls="",
                    color=HOLLOW,
                    markeredgecolor=DATACENTER,
                    markeredgewidth=1.1,
                    markersize=6,
                    label=t("map.datacenters.at_commune"),
                ),
            )
        )
    if layers.landing_points is not None:
        items.append(
            (
                "landing_points",
                Line2D(
                    [],
                    [],
                    marker="^",
                    ls="",
                    color=LANDING,
                    markeredgecolor="white",
                    markersize=7,
                    label=t("map.landing"),
                ),
            )
        )
    if small:  # the thumbnail's two columns are narrow: its entries are wrapped to them
        for _, handle in items:
            handle.set_label(_wrap(str(handle.get_label()).replace("\n", " "), SMALL_LEGEND_COLUMN_IN, 5.2))
    return items


# ---------------------------------------------------------------- drawing helpers


def _nice_length(target_m: float) -> float:
    """The 1, 2 or 5 × 10^n metres just below ``target_m``."""
    exp = 10 ** math.floor(math.log10(target_m))
    for step in (5, 2, 1):
        if step * exp <= target_m:
            return step * exp
    return exp


@per_thread(maxsize=16)
def _proj(crs: str):
    # A Proj reads PROJ's database: built once per CRS, process and thread (the scale bar
    # and the north arrow; as map_layers.transformer).
    from pyproj import Proj

    return Proj(crs)


def _factors(crs: str, lon: float, lat: float):
    """The projection's factors at a point (pyproj ``Proj.get_factors``) [degree]."""
    return _proj(crs).get_factors(lon, lat)


def _scale_bar(ax, crs: str, lat: float, lon: float, frame, t, fontsize: float) -> list:
    """A scale bar in ground metres, corrected for the projection's scale factor at the site."""
    from . import fmt

    factor = _factors(crs, lon, lat).meridional_scale
    xmin, ymin, xmax, ymax = frame.bounds
    width = xmax - xmin
    ground = _nice_length(width / 4 / factor)
    length = ground * factor
    x0 = xmin + 0.04 * width
    y0 = ymin + 0.06 * (ymax - ymin)
    h = 0.012 * (ymax - ymin)
    half = length / 2
    from matplotlib.patches import Rectangle

    box = Rectangle(
        (x0 - 0.02 * width, y0 - 4.2 * h),
        length + 0.06 * width,
        8.4 * h,
        facecolor="white",
        edgecolor="none",
        alpha=0.8,
        zorder=19,
    )
    ax.add_patch(box)
    artists = [box]
    artists += ax.fill([x0, x0 + half, x0 + half, x0], [y0, y0, y0 + h, y0 + h], color="black", zorder=20)
    artists += ax.fill(
        [x0 + half, x0 + length, x0 + length, x0 + half],
        [y0, y0, y0 + h, y0 + h],
        facecolor="white",
        edgecolor="black",
        lw=0.8,
        zorder=20,
    )
    km = ground / 1000
    unit = (
        f"{fmt.number(km, t.lang, decimals=0 if km == int(km) else 1)} km"
        if ground >= 1000
        else f"{fmt.number(ground, t.lang, decimals=0)} m"
    )
    for x, text in ((x0, "0"), (x0 + length, unit)):
        artists.append(
            ax.text(x, y0 + 2.2 * h, text, ha="center", va="bottom", fontsize=fontsize, zorder=20, **LITERAL)
        )
    artists.append(
        ax.text(x0, y0 - 1.2 * h, t("map.scale"), ha="left", va="top", fontsize=fontsize, zorder=20, **LITERAL)
    )
    for a in artists:
        a.set_gid(SCALEBAR_GID)
    return artists


def _north_arrow(ax, crs: str, lat: float, lon: float, t, fontsize: float) -> list:
    """A north arrow, turned by the meridian convergence at the site."""
    conv = math.radians(_factors(crs, lon, lat).meridian_convergence)
    x, y, length = 0.95, 0.84, 0.08
    dx, dy = -math.sin(conv) * length, math.cos(conv) * length
    arrow = ax.annotate(
        "",
        xy=(x + dx, y + dy),
        xytext=(x, y),
        xycoords="axes fraction",
        arrowprops=dict(arrowstyle="-|>,head_width=0.5,head_length=1", color="black", lw=1.6),
        zorder=21,
    )
    text = ax.text(
        x + dx * 1.15,
        y + dy * 1.15,
        t("map.north"),
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=fontsize,
        fontweight="bold",
        zorder=21,
        **LITERAL,
    )
    for a in (arrow, text):
        a.set_gid(NORTH_GID)
    return [arrow, text]


def _arrow_box(artist, renderer, pad_px: float = 8.0):
    """The display box of a text, or of an arrow annotation from its two ends (its patch is only
    laid out at draw time), padded for the arrow head."""
    from matplotlib.text import Annotation
    from matplotlib.transforms import Bbox

    if isinstance(artist, Annotation) and artist.arrow_patch is not None:
        ax = artist.axes
        assert ax is not None  # the north arrow, drawn on the map's axes
        transforms = {"data": ax.transData, "axes fraction": ax.transAxes}
        # The stubs allow any coordinate system; the map's arrows use these two names.
        head = transforms[cast(str, artist.xycoords)].transform(artist.xy)
        tail = transforms[cast(str, artist.anncoords)].transform(artist.xyann)
        return Bbox(
            [
                [min(head[0], tail[0]) - pad_px, min(head[1], tail[1]) - pad_px],
                [max(head[0], tail[0]) + pad_px, max(head[1], tail[1]) + pad_px],
            ]
        )
    return artist.get_window_extent(renderer).padded(2)


def _plot_geom(ax, geom, *, color=None, edgecolor=None, lw=0.5, ls="-", zorder=1, facecolor=None):
    """Draw a shapely geometry with plain matplotlib artists (no figure redraw per layer):
    polygons as one compound path (holes kept), lines as a LineCollection."""
    import numpy as np
    import shapely
    from matplotlib.collections import LineCollection
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    if geom is None or geom.is_empty:
        return
    parts = shapely.get_parts(geom)
    polys = [g for g in parts if g.geom_type == "Polygon"]
    lines = [g for g in parts if g.geom_type in ("LineString", "LinearRing")]
    for g in parts:
        if g.geom_type.startswith("Multi") or g.geom_type == "GeometryCollection":
            _plot_geom(ax, g, color=color, edgecolor=edgecolor, lw=lw, ls=ls, zorder=zorder, facecolor=facecolor)
    if polys:
        verts, codes = [], []
        for poly in polys:
            for ring in (poly.exterior, *poly.interiors):
                xy = np.asarray(ring.coords)
                if len(xy) < 3:
                    continue
                verts.append(xy)
                c = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
                c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
                codes.append(c)
        if verts:
            face = facecolor if facecolor is not None else (color if color is not None else "none")
            ax.add_patch(
                PathPatch(
                    MplPath(np.concatenate(verts), np.concatenate(codes)),
                    facecolor=face,
                    edgecolor=edgecolor or "none",
                    lw=lw if edgecolor else 0,
                    ls=ls,
                    zorder=zorder,
                )
            )
    if lines:
        ax.add_collection(
            LineCollection(
                [np.asarray(g.coords) for g in lines], colors=color, linewidths=lw, linestyles=ls, zorder=zorder
            )
        )


def _plot_lines(ax, gdf_or_geoms, **style):
    """Outlines (``boundary``) or lines of a GeoSeries / GeoDataFrame, clipped already."""
    import shapely

    geoms = [g for g in getattr(gdf_or_geoms, "geometry", gdf_or_geoms) if g is not None and not g.is_empty]
    if geoms:
        _plot_geom(ax, shapely.union_all(geoms) if len(geoms) > 1 else geoms[0], **style)


def _wrap(text: str, width_in: float, fontsize: float, weight: str = "normal", dpi: float = 150.0) -> str:
    """``text`` broken into lines no wider than ``width_in`` inches: each word measured by the
    renderer (Agg), a line's width the sum of its words and spaces."""
    from matplotlib.font_manager import FontProperties

    renderer = _measuring_renderer(dpi)  # its extents are kept from one map to the next
    prop = FontProperties(size=fontsize, weight=weight)
    cache: dict[str, float] = {}

    def width(word: str) -> float:
        if word not in cache:
            cache[word] = renderer.get_text_width_height_descent(word, prop, ismath=False)[0]
        return cache[word]

    space = width("a a") - 2 * width("a")
    limit = width_in * dpi
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in text.split():
        w = width(word)
        extra = w if not line else space + w
        if line and used + extra > limit:
            lines.append(" ".join(line))
            line, used = [word], w
        else:
            line.append(word)
            used += extra
    if line:
        lines.append(" ".join(line))
    return "\n".join(lines) or text


# ---------------------------------------------------------------- the figure


def _map_canvas(fig):
    """Attach an Agg canvas to ``fig`` whose renderer keeps what it learns about text from
    one map to the next (the legends, notes and place names a report's maps share):
    :mod:`impact.report.agg_text`."""
    from . import agg_text

    return agg_text.attach_canvas(fig)


@lru_cache(maxsize=4)
def _measuring_renderer(dpi: float):
    """A small renderer of :mod:`~impact.report.agg_text`, to measure words (:func:`_wrap`)."""
    from . import agg_text

    return agg_text.canvas_classes()[1](10, 10, dpi)


def _legend_height(lines: list[int], ncol: int, row: float, extra: float) -> float:
    """The height [in] of a legend of entries of ``lines`` lines in ``ncol`` columns, filled
    column by column as matplotlib fills them (the first columns take one more entry)."""
    nrows, large = divmod(len(lines), ncol)
    heights, start = [0.0], 0
    for size in [nrows + 1] * large + [nrows] * (ncol - large):
        heights.append(sum(row + (n - 1) * extra for n in lines[start : start + size]))
        start += size
    return max(heights)


class _Layout:
    """Where the map, the legend and the lines under it go, in inches."""

    def __init__(self, scale: str, legend_lines: list[int], bold_lines: int, small_lines: int):
        self.small = scale == "small"
        if self.small:
            self.width, self.side, self.top = 4.0, 3.6, 0.32
            self.ncol, self.legend_fs, row = 2, 5.2, 0.125
            self.text_h = 0.075 * small_lines + 0.06
        else:
            self.width, self.side, self.top = 8.27, 6.5, 0.42
            self.ncol, self.legend_fs, row = 3, 7.0, 0.185
            self.text_h = 0.165 * bold_lines + 0.128 * small_lines + 0.12
        # A legend entry of two lines (a site at its commune) makes its column taller.
        extra = self.legend_fs * 1.2 / 72
        self.legend_h = _legend_height(legend_lines, self.ncol, row, extra) + (0.08 if self.small else 0.12)
        self.height = self.top + self.side + self.legend_h + self.text_h + 0.1

    def axes_rect(self):
        left = (self.width - self.side) / 2 / self.width
        bottom = (self.height - self.top - self.side) / self.height
        return (left, bottom, self.side / self.width, self.side / self.height)

    def legend_top(self) -> float:
        return (self.height - self.top - self.side - 0.04) / self.height

    def text_top(self) -> float:
        return (self.height - self.top - self.side - self.legend_h - 0.03) / self.height


def site_map(
    results,
    *,
    scale: str = "city",
    context: dict | None = None,
    ax=None,
    lang: str = "fr",
    title: str | None = None,
    site_legend: str | None = None,
    center: tuple[float, float] | None = None,
    half_width_m: float | None = None,
    text_below: bool = True,
    territory: bool = False,
):
    """Map of the project's site and its context; returns a matplotlib Figure.

    Parameters
    ----------
    results : Results or Project
        The estimate (its peak demand chooses the substations the site could be connected to:
        ``meta["grid_connection"]``) or the project itself (no peak: none is marked).
    scale : "city" (13 km across) or "small" (32 km across, the synthesis' thumbnail).
    context : dict, optional
        Layers that add to or replace the shipped ones (any CRS; WGS 84 if none):
        ``substations`` (a cleaned ODRÉ file: ``name``, ``kind``, ``voltage_kv``), ``boundaries``
        (a user's polygons), ``registry`` (``(row, Project)`` pairs of a registry: its sites in
        the frame, minus the project, are drawn; those without coordinates hollow at their
        commune's inside point, one marker per commune; those placed in no commune are named in
        a note), ``datacenters`` (points with ``name`` and optionally ``power_mw``, ``basis``),
        ``territory_sites`` (the other sites of a territory, drawn like the site),
        ``territory_unlocated`` (``(name, Project)`` pairs: the territory's sites without
        coordinates, drawn hollow at their commune's inside point), ``landing_points``
        (``name``), and for each a ``<key>_source`` string added to the sources.
    ax : matplotlib Axes, optional
        Draw there instead of in a new figure (the legend then goes inside the map).
    title, site_legend : str, optional
        Replace the title and the legend entry of the site (territory reports).
    center : (lat, lon), optional
        The frame's centre (default: the site).
    half_width_m : float, optional
        The frame's half-width [m] (default: by ``scale``; at most :data:`MAX_HALF_M`).
    territory : bool
        A territory's map (``impact batch``): the sites of ``context["territory_sites"]`` are
        the subject, so no commune is highlighted, no connection fact of the first site is
        given and no distance to a substation is written. With ``center``, ``results`` may have
        no coordinates (every site of the territory is in ``territory_unlocated``): nothing is
        drawn at it.
    text_below : bool
        Print the connection sentence, the notes and the sources under the map (True); False when
        the page prints them (:func:`map_caption`, ``impact_map["nearest_text"]``).
    lang : a catalogue language ("fr", "en").

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.impact_map``: ``crs``, ``half_width_m``, ``layers`` (the keys of what is drawn, in
        the legend's order), ``legend`` (its labels), ``sources`` (texts), ``nearest_text``,
        ``connection`` (the site's connection facts), ``connectable`` (the nearest connectable
        substations: ``name``, ``voltage_kv``, ``kind``, ``distance_km``), ``outside`` (the one
        pointed at by an arrow, or None), ``substations`` (those drawn), ``labels`` (texts),
        ``registry_sites`` (the names of the other data centres drawn, registry or context, or
        named in a note), ``at_commune`` (the hollow markers: ``layer`` territory or registry,
        the commune's ``code`` and name, ``count``, ``names``, ``shifted`` beside another
        marker).
    """
    from .catalogue import catalogue

    if scale not in EXTENTS_M:
        raise ValueError(f"scale must be one of {sorted(EXTENTS_M)}, got {scale!r}")
    t = catalogue(lang)
    context = dict(context or {})
    project = getattr(results, "project", results)
    name = getattr(project, "name", "") or ""
    location = getattr(project, "location", None)
    # A territory's sites may all lack coordinates: its map is then framed on their communes.
    if location is None and not (territory and center is not None):
        return _no_location_figure(ax, title or t("map.title", name=name), t, scale)

    from . import map_layers as ml

    site = _Site(results, project, territory)
    if not site.located:
        assert center is not None  # no location: a territory's map, framed on its center (checked above)
        site.lat, site.lon = center
    # Distances to substations are the site's: not on a territory's map (several sites).
    site.distances = site.located and not territory
    lat, lon = site.lat, site.lon
    crs = map_crs(lat, lon)
    half = min(half_width_m or EXTENTS_M[scale], MAX_HALF_M)
    clat, clon = center if center is not None else (lat, lon)
    frame = ml.make_frame(clat, clon, crs, half)
    layers = _gather(frame, site, context, t)
    small = scale == "small"
    if small and layers.rivers is not None:  # the thumbnail draws the major rivers only (levels 1-3)
        major = layers.rivers[layers.rivers["level"] < 4]
        layers.rivers = major if len(major) else None
    items = _legend_items(layers, site, t, site_legend, small)
    connection_text = _connection_text(site, t)
    notes = _notes(layers, site, t, frame, small)
    sources = _sources(layers, site, context, t, name, territory)

    text_w = 7.6 if not small else 3.8
    bold = [_wrap(connection_text, text_w, 8.5, "bold")] if connection_text and not small else []
    small_lines = [_wrap(n, text_w, 7.0) for n in notes] + [t("map.crs", crs=crs)] if not small else []
    src_text = t("map.sources", sources=t("map.source.separator").join(sources))
    src_wrapped = _wrap(src_text, text_w, 7.0 if not small else 4.5)
    if not text_below:
        bold, small_lines, src_wrapped = [], [], ""
    layout = _Layout(
        scale,
        [h.get_label().count("\n") + 1 for _, h in items],
        sum(b.count("\n") + 1 for b in bold),
        sum(s.count("\n") + 1 for s in small_lines) + (src_wrapped.count("\n") + 1 if src_wrapped else 0),
    )

    if ax is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(layout.width, layout.height), dpi=150)
        _map_canvas(fig)
        ax = fig.add_axes(layout.axes_rect())
        own = True
    else:
        fig = ax.figure
        if fig.canvas is None or not hasattr(fig.canvas, "get_renderer"):
            _map_canvas(fig)
        own = False
    fs = 5.6 if small else 7.0
    x0 = layout.axes_rect()[0] if own else 0.03
    heading = fig.text(
        x0,
        1 - 0.08 / layout.height if own else 0.97,
        title or t("map.title", name=name),
        fontsize=8.5 if small else 12,
        fontweight="bold",
        ha="left",
        va="top",
        **LITERAL,
    )
    _fit_one_line(heading, (1 - 2 * x0) * fig.get_figwidth() * 72)

    width_in = ax.get_position().width * fig.get_figwidth()
    _separate_at_commune(layers, site, frame, 2 * half / (width_in * 72))
    _draw_layers(ax, layers, site, frame, small)
    xmin, ymin, xmax, ymax = frame.bounds
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_color("#444444")

    # The canvas has get_renderer (an Agg canvas is attached above otherwise): the base class's stubs do not.
    renderer = cast("FigureCanvasAgg", fig.canvas).get_renderer()
    ax.apply_aspect()
    reserved = []
    handles = [h for _, h in items]
    if own:
        literal_legend(
            fig.legend(
                handles=handles,
                loc="upper center",
                bbox_to_anchor=(0.5, layout.legend_top()),
                ncol=layout.ncol,
                fontsize=layout.legend_fs,
                frameon=False,
                handlelength=2.0 if small else 2.2,
                columnspacing=1.2 if small else 1.6,
                labelspacing=0.35 if small else 0.5,
            )
        )
    else:
        leg = literal_legend(
            ax.legend(
                handles=handles,
                loc="upper left",
                fontsize=fs,
                framealpha=0.92,
                edgecolor="#999999",
                borderpad=0.4,
                labelspacing=0.3,
                handlelength=1.6,
            )
        )
        leg.set_zorder(40)
        reserved.append(leg.get_window_extent(renderer).padded(2))
    reserved += [a.get_window_extent(renderer).padded(2) for a in _scale_bar(ax, crs, lat, lon, frame, t, fs)]
    reserved += [_arrow_box(a, renderer) for a in _north_arrow(ax, crs, lat, lon, t, fs + 3)]
    labeller = Labeller(ax, renderer, reserved)
    outside = _label_everything(ax, labeller, layers, site, frame, t, small, fig.dpi)

    if own and (bold or small_lines or src_wrapped):
        y = layout.text_top()
        if bold:
            fig.text(0.045, y, bold[0], fontsize=8.5, fontweight="bold", ha="left", va="top", **LITERAL)
            y -= (0.165 * (bold[0].count("\n") + 1) + 0.04) / layout.height
        lines = small_lines + [src_wrapped]
        fig.text(
            0.045 if not small else 0.03,
            y,
            "\n".join(lines),
            fontsize=fs if not small else 4.5,
            ha="left",
            va="top",
            color="#333333",
            linespacing=1.3,
            **LITERAL,
        )

    subs = layers.substations
    grid = site.grid or {}
    fig.impact_map = {  # type: ignore[attr-defined]  # the map's facts travel with the figure (figures.py)
        "crs": crs,
        "half_width_m": half,
        "layers": [k for k, _ in items],
        "legend": [h.get_label() for _, h in items],
        "sources": sources,
        "notes": notes,
        "nearest_text": connection_text,
        "connection": grid or None,
        "connectable": [
            {k: s[k] for k in ("name", "voltage_kv", "kind", "distance_km")}
            for s in grid.get("nearest_connectable", [])
        ]
        if site.domain
        else [],
        "outside": outside,
        "substations": None if subs is None else subs.drop(columns="geometry").to_dict("records"),
        "labels": [x.get_text() for x in labeller.placed],
        "registry_sites": _registry_sites(layers),
        "at_commune": [
            {
                "layer": layer,
                "code": r["code"],
                "commune": r["commune"],
                "count": int(r["count"]),
                "names": [site[0] for site in r["sites"]],
                "shifted": bool(r["shifted"]),
            }
            for layer, gdf in (("territory", layers.territory_at_commune), ("registry", layers.datacenters_at_commune))
            if gdf is not None
            for _, r in gdf.iterrows()
        ],
    }
    return fig


def _registry_sites(layers) -> list[str]:
    """The names of the registry's sites the map draws or names in its notes."""
    names = (
        []
        if layers.datacenters is None or "name" not in layers.datacenters.columns
        else [str(n) for n in layers.datacenters["name"]]
    )
    if layers.datacenters_at_commune is not None:
        names += [str(site[0]) for sites in layers.datacenters_at_commune["sites"] for site in sites]
    names += [n for n, _ in layers.unplaced + layers.outside_commune_point]
    return names


def _fit_one_line(text, width_pt: float) -> None:
    """Shorten ``text`` (a matplotlib Text) with an ellipsis until it fits ``width_pt`` [pt] on one line.

    A project's name can be hundreds of characters long: the map's title keeps its start, and the
    dossier prints the whole name elsewhere. The width is measured with the figure's renderer.
    """
    fig = text.figure
    renderer = fig.canvas.get_renderer()
    full = text.get_text()

    def fits(s: str) -> bool:
        text.set_text(s)
        return text.get_window_extent(renderer).width * 72 / fig.dpi <= width_pt

    if fits(full):
        return
    lo, hi = 0, len(full)  # the longest prefix that fits, with its ellipsis
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(full[:mid].rstrip() + "…"):
            lo = mid
        else:
            hi = mid - 1
    text.set_text(full[:lo].rstrip() + "…")


def _no_location_figure(ax, title, t, scale):
    from matplotlib.figure import Figure

    if ax is None:
        fig = Figure(figsize=(4.0, 4.3) if scale == "small" else (8.27, 8.6), dpi=150)
        _map_canvas(fig)
        ax = fig.add_axes((0.03, 0.09, 0.94, 0.84))
    fig = ax.figure
    heading = ax.set_title(title, fontsize=12, fontweight="bold", loc="left", **LITERAL)
    _fit_one_line(heading, ax.get_position().width * fig.get_figwidth() * 72)
    ax.set_axis_off()
    ax.text(0.5, 0.5, t("map.no_location"), ha="center", va="center", transform=ax.transAxes, fontsize=10, **LITERAL)
    fig.impact_map = {
        "crs": None,
        "layers": [],
        "legend": [],
        "sources": [],
        "notes": [],
        "nearest_text": "",
        "connection": None,
        "connectable": [],
        "outside": None,
        "substations": None,
        "labels": [],
        "registry_sites": [],
        "at_commune": [],
    }
    return fig


def _draw_layers(ax, layers, site: _Site, frame, small: bool) -> None:
    has_base = layers.france is not None or bool(layers.foreign)
    ax.set_facecolor(LAND if has_base else NO_BASEMAP)
    if layers.sea is not None:
        _plot_geom(ax, layers.sea, facecolor=SEA, edgecolor=COAST, lw=0.7, zorder=1)
    for _, geom in layers.foreign:
        _plot_geom(ax, geom, facecolor=FOREIGN, zorder=1)
    if layers.site_area is not None:
        _plot_geom(ax, layers.site_area[3].intersection(frame.polygon), facecolor=SITE_AREA, zorder=1.5)
    if layers.lakes is not None:
        for g in layers.lakes.geometry:
            _plot_geom(ax, g, color=WATER, zorder=2)
    if layers.rivers is not None:
        widths = {1: 1.5, 2: 1.1, 3: 0.8, 4: 0.5}
        for level, lw in widths.items():
            sel = layers.rivers[layers.rivers["level"] == level]
            if len(sel):
                _plot_lines(ax, sel, color=WATER, lw=lw, zorder=2.2)
    if layers.communes is not None:
        _plot_lines(ax, layers.communes.boundary.intersection(frame.polygon), color=COMMUNE_LINE, lw=0.5, zorder=3)
    if layers.arrondissements is not None and not small:
        _plot_lines(
            ax,
            layers.arrondissements.boundary.intersection(frame.polygon),
            color=COMMUNE_LINE,
            lw=0.5,
            ls=":",
            zorder=3,
        )
    if layers.departements is not None:
        _plot_geom(ax, layers.departements, color=DEPARTEMENT_LINE, lw=1.4, zorder=4)
    if layers.border is not None:
        _plot_geom(ax, layers.border, color=BORDER, lw=1.8, ls="-.", zorder=5)
    if layers.site_area is not None:
        _plot_geom(ax, layers.site_area[3].boundary.intersection(frame.polygon), color=SITE, lw=1.3, zorder=4.5)
    if layers.boundaries is not None:
        _plot_lines(
            ax, layers.boundaries.boundary.intersection(frame.polygon), color=USER_LINE, lw=0.9, ls="--", zorder=4
        )

    subs = layers.substations
    if subs is not None:
        size = 22 if small else 44
        # The columns as arrays once: a selection of rows per kind and voltage, in the table's order.
        kinds = subs["kind"].to_numpy()
        kvs = subs["voltage_kv"].astype(int).to_numpy()
        connectable = subs["connectable"].to_numpy()
        all_xs, all_ys = subs.geometry.x.to_numpy(), subs.geometry.y.to_numpy()
        for kind in KINDS:
            for kv in sorted({int(v) for v in subs["voltage_kv"]}):
                rows = (kinds == kind) & (kvs == kv)
                if not rows.any():
                    continue
                conn = connectable[rows]
                colour = VOLTAGE_COLOURS.get(kv, "#555555")
                xs, ys = all_xs[rows], all_ys[rows]
                base = size if kind == "transformation" else size * 0.8
                if (~conn).any():
                    ax.scatter(
                        xs[~conn],
                        ys[~conn],
                        s=base * (0.7 if site.domain else 1.0),
                        marker=KIND_MARKERS[kind],
                        color=colour,
                        edgecolor="white",
                        lw=0.6,
                        zorder=10,
                    )
                if conn.any():
                    ax.scatter(
                        xs[conn],
                        ys[conn],
                        s=base * 1.25,
                        marker=KIND_MARKERS[kind],
                        color=colour,
                        edgecolor="black",
                        lw=1.0 if small else 1.3,
                        zorder=10.5,
                    )
        near = (site.grid or {}).get("nearest_connectable") or []
        if site.domain is not None and near and bool(subs["connectable"].any()):
            first = subs[subs["connectable"]].iloc[0]
            sx, sy = _site_xy(frame, site)
            ax.plot([sx, first.geometry.x], [sy, first.geometry.y], color="#444444", lw=0.8, ls=":", zorder=9)
    if layers.datacenters is not None:
        d = layers.datacenters
        ax.scatter(d.geometry.x, d.geometry.y, s=36, marker="D", color=DATACENTER, edgecolor="white", zorder=11)
    if layers.territory_sites is not None:
        ts = layers.territory_sites
        ax.scatter(ts.geometry.x, ts.geometry.y, s=140, marker="*", color=SITE, edgecolor="white", lw=0.8, zorder=14)
    if layers.landing_points is not None:
        lp = layers.landing_points
        ax.scatter(lp.geometry.x, lp.geometry.y, s=50, marker="^", color=LANDING, edgecolor="white", zorder=12)
    for gdf, marker, colour, zorder in (
        (layers.datacenters_at_commune, "D", DATACENTER, 11.5),
        (layers.territory_at_commune, "*", SITE, 14.5),
    ):
        if gdf is not None:
            _draw_at_commune(ax, gdf, marker, colour, zorder)
    if site.located:
        sx, sy = _site_xy(frame, site)
        if site.approximate:
            ax.scatter([sx], [sy], s=230, marker="*", color=HOLLOW, edgecolor=SITE, lw=1.4, zorder=15)
        else:
            ax.scatter([sx], [sy], s=230, marker="*", color=SITE, edgecolor="white", lw=1.0, zorder=15)


def _separate_at_commune(layers, site: _Site, frame, metres_per_point: float) -> None:
    """Move a hollow marker that would cover another site's marker (a site given its commune's
    inside point as coordinates, or two communes' points closer than their markers) by a
    fixed step beside it, so that every marker stays visible; ``shifted`` records it."""
    import shapely

    taken = []  # (x, y, radius [pt]) of the markers already drawn
    if site.located:
        taken.append((*_site_xy(frame, site), math.sqrt(230) / 2))
    for gdf, size in ((layers.territory_sites, 140), (layers.datacenters, 36)):
        if gdf is not None:
            taken += [(x, y, math.sqrt(size) / 2) for x, y in zip(gdf.geometry.x, gdf.geometry.y)]
    for gdf, marker in ((layers.territory_at_commune, "*"), (layers.datacenters_at_commune, "D")):
        if gdf is None:
            continue
        shifted, points = [], []
        for (x, y), n in zip(zip(gdf.geometry.x, gdf.geometry.y), gdf["count"]):
            r = math.sqrt(_at_commune_size(marker, int(n))) / 2

            def free(px, py, r=r):  # bound now: called in this iteration only
                return all(math.hypot(px - tx, py - ty) / metres_per_point >= r + tr for tx, ty, tr in taken)

            moved = False
            if not free(x, y):
                near = max((tr for tx, ty, tr in taken if math.hypot(x - tx, y - ty) / metres_per_point < r + tr))
                step = (r + near + 1.0) * metres_per_point
                for angle in (0, 180, 90, 270, 45, 135, 225, 315):
                    a = math.radians(angle)
                    cx, cy = x + step * math.cos(a), y + step * math.sin(a)
                    if free(cx, cy):
                        x, y, moved = cx, cy, True
                        break
            taken.append((x, y, r))
            points.append(shapely.Point(x, y))
            shifted.append(moved)
        gdf["shifted"] = shifted
        gdf.set_geometry(points, inplace=True, crs=gdf.crs)


def _at_commune_size(marker: str, count: int) -> float:
    alone, several = AT_COMMUNE_SIZES["star" if marker == "*" else "diamond"]
    return alone if count == 1 else several


def _draw_at_commune(ax, gdf, marker: str, colour: str, zorder: float) -> None:
    """Hollow markers at the communes' inside points; the number of sites inside when several."""
    import numpy as np

    sizes = np.array([_at_commune_size(marker, int(n)) for n in gdf["count"]], dtype=float)
    points = ax.scatter(
        gdf.geometry.x,
        gdf.geometry.y,
        s=sizes,
        marker=marker,
        facecolor=HOLLOW,
        edgecolor=colour,
        lw=1.3,
        zorder=zorder,
    )
    points.set_gid(AT_COMMUNE_GIDS[marker])
    for x, y, n in zip(gdf.geometry.x, gdf.geometry.y, gdf["count"]):
        if n > 1:
            # A star's centre sits a little below its box's centre.
            dy = -0.5 if marker == "*" else 0.0
            text = ax.annotate(
                str(int(n)),
                (x, y),
                xytext=(0, dy),
                textcoords="offset points",
                ha="center",
                va="center",
                fontsize=6.0 if marker == "*" else 5.6,
                fontweight="bold",
                color=colour,
                zorder=zorder + 0.1,
                **LITERAL,
            )
            text.set_gid(COUNT_GID)


def _site_xy(frame, site: _Site):
    from .map_layers import transformer

    return transformer(4326, frame.crs).transform(site.lon, site.lat)


# ---------------------------------------------------------------- labels


def _substation_label(row, t, lang, with_distance: bool = True) -> str:
    """A substation's name, voltage and kind, and its distance from the site (``with_distance``:
    a territory's map has several sites, so none)."""
    from . import fmt

    kind = row["kind"] if row["kind"] in KINDS else "transformation"
    if not with_distance:
        return t(f"map.substation.label_plain.{kind}", name=_title_case(row["name"]), kv=_kv(row["voltage_kv"]))
    return t(
        f"map.substation.label.{kind}",
        name=_title_case(row["name"]),
        kv=_kv(row["voltage_kv"]),
        distance=fmt.distance(float(row["distance_km"]), lang),
    )


def _at_commune_labels(row, t, lang, fontsize: float) -> list[str]:
    """The names of the sites at a commune's inside point, longest form first: one a line with
    their power; one a line; in a running list wrapped to 1.3 in."""
    lines = []
    for name, power, basis in row["sites"]:
        text = _power_text({"power_mw": power, "basis": basis}, t, lang)
        lines.append(t("map.datacenter.label", name=name, power=text) if text else str(name))
    names = [str(name) for name, _, _ in row["sites"]]
    out = ["\n".join(lines), "\n".join(names)]
    if len(names) > 1:
        out.append(_wrap(t.join(names), 1.3, fontsize, "bold"))
    return list(dict.fromkeys(out))


def _power_text(row, t, lang) -> str | None:
    from . import fmt

    mw = row.get("power_mw")
    if mw is None or (isinstance(mw, float) and math.isnan(mw)):
        return None
    basis = row.get("basis") or ""
    key = (
        f"map.datacenter.power.{basis}"
        if basis in ("it", "facility", "grid_connection")
        else "map.datacenter.power.unstated"
    )
    mw = float(mw)
    return t(key, mw=fmt.number(mw, lang, decimals=0 if mw == round(mw) else 1))


def _label_everything(ax, labeller: Labeller, layers, site: _Site, frame, t, small: bool, dpi: float):
    """Place every label, most important first; returns the arrow's target (or None)."""
    lang = t.lang
    fs = 5.4 if small else 6.6
    px = dpi / 72.0
    # Markers: no label may cover one.
    if site.located:
        sx, sy = _site_xy(frame, site)
        site_box = labeller.reserve_points([sx], [sy], math.sqrt(230) / 2 * px)[0]
    subs = layers.substations
    if subs is not None:
        labeller.reserve_points(
            subs.geometry.x.to_numpy(),
            subs.geometry.y.to_numpy(),
            math.sqrt(44 * 1.25 if not small else 22 * 1.25) / 2 * px,
        )
    for gdf, s in ((layers.datacenters, 36), (layers.territory_sites, 140), (layers.landing_points, 50)):
        if gdf is not None:
            labeller.reserve_points(gdf.geometry.x.to_numpy(), gdf.geometry.y.to_numpy(), math.sqrt(s) / 2 * px)
    at_communes = ((layers.territory_at_commune, "*", SITE), (layers.datacenters_at_commune, "D", DATACENTER))
    boxes = {}
    for gdf, marker, _ in at_communes:
        if gdf is not None:
            for i, (x, y, n) in enumerate(zip(gdf.geometry.x, gdf.geometry.y, gdf["count"])):
                half = math.sqrt(_at_commune_size(marker, int(n))) / 2 * px
                boxes[(marker, i)] = labeller.reserve_points([x], [y], half)[0]

    if site.located:
        name = site.name or t("map.site")
        labeller.place(
            sx,
            sy,
            name,
            point_offsets(9, prefer_left=True) + point_offsets(16, prefer_left=True),
            ignore=site_box,
            fontsize=8.0 if small else 9.5,
            color=SITE,
            fontweight="bold",
        )

    outside = None
    if subs is not None:
        conn = subs[subs["connectable"]]
        for _, row in conn.head(2 if small else 5).iterrows():
            labeller.place(
                row.geometry.x,
                row.geometry.y,
                _substation_label(row, t, lang, site.distances),
                point_offsets(7),
                fontsize=fs,
                color="#111111",
                fontweight="bold",
            )
    if site.domain is not None and (subs is None or not subs["connectable"].any()):
        outside = _outside_arrow(ax, labeller, site, frame, t, fs)

    if layers.site_area is not None:
        code, area_name, kind, geom = layers.site_area
        label = area_name.split(" ", 1)[1] if kind == "arrondissement" and " " in area_name else area_name
        visible = geom.intersection(frame.polygon)
        # Inside the area if it can; a thin one (a strip along a port) is named beside it.
        for accept in (inside_area(labeller.ax, visible), None):
            if labeller.place_any(
                area_points(visible, 12),
                label,
                [(0, 0, "center", "center")],
                fontsize=fs + 1.6,
                color="#7a2a1a",
                fontweight="bold",
                accept=accept,
            ):
                break

    _site_labels(labeller, layers, site, frame, t, fs, boxes)
    if layers.landing_points is not None and "name" in layers.landing_points.columns:
        for _, row in layers.landing_points.iterrows():
            labeller.place(
                row.geometry.x, row.geometry.y, str(row["name"]), point_offsets(6), fontsize=fs, color=LANDING
            )

    if subs is not None:
        others = subs[~subs["connectable"]]
        order = list(others.sort_values(["distance_km"], kind="stable").index)
        # Transformation substations before tap points and customers' substations.
        order.sort(key=lambda i: (others.loc[i, "kind"] != "transformation", others.loc[i, "distance_km"]))
        for i in order[: 2 if small else 10]:
            row = others.loc[i]
            labeller.place(
                row.geometry.x,
                row.geometry.y,
                _substation_label(row, t, lang, site.distances),
                point_offsets(6),
                fontsize=fs - 0.3,
                color="#333333",
            )

    for code, geom in layers.foreign:
        if not code:
            continue
        labeller.place_any(
            area_points(geom, 8),
            t(f"map.country.{code}").upper(),
            [(0, 0, "center", "center")],
            fontsize=fs + 1.4,
            color="#6d6a63",
            fontstyle="italic",
        )

    _commune_names(labeller, layers, frame, fs, small)
    return outside


def _site_labels(labeller: Labeller, layers, site: _Site, frame, t, fs: float, boxes: dict) -> None:
    """The names of the other sites (territory's, registry's; at their commune or not), each
    where no other site's marker is nearer to it than its own."""
    import numpy as np

    lang = t.lang
    marks: list[tuple[float, float, tuple]] = []  # (x, y, what to label)
    for gdf, marker, colour in (
        (layers.territory_at_commune, "*", SITE),
        (layers.datacenters_at_commune, "D", DATACENTER),
    ):
        if gdf is not None:
            for i, row in gdf.iterrows():
                marks.append((row.geometry.x, row.geometry.y, ("commune", marker, colour, i, row)))
    for gdf, colour in ((layers.territory_sites, SITE), (layers.datacenters, DATACENTER)):
        if gdf is not None:
            for _, row in gdf.iterrows():
                marks.append((row.geometry.x, row.geometry.y, ("point", None, colour, None, row)))
    if not marks:
        return
    xy = [(x, y) for x, y, _ in marks]
    if site.located:
        xy.append(_site_xy(frame, site))
    px = labeller.ax.transData.transform(np.asarray(xy, dtype=float))
    for k, (x, y, (kind, marker, colour, i, row)) in enumerate(marks):
        accept = nearest_is_own(px, k)
        if kind == "commune":
            gap = math.sqrt(_at_commune_size(marker, int(row["count"]))) / 2 + 2
            offsets = point_offsets(gap) + point_offsets(gap + 7) + point_offsets(gap + 16)
            # With the powers if they fit, else the names alone, else the names in a list.
            for text in _at_commune_labels(row, t, lang, fs + 0.4):
                if labeller.place(
                    x,
                    y,
                    text,
                    offsets,
                    ignore=boxes[(marker, i)],
                    accept=accept,
                    fontsize=fs + 0.4,
                    color=colour,
                    fontweight="bold",
                    fontstyle="italic",
                ):
                    break
        else:
            power = _power_text(row, t, lang)
            text = t("map.datacenter.label", name=row["name"], power=power) if power else str(row["name"])
            labeller.place(
                x,
                y,
                text,
                point_offsets(6) + point_offsets(13),
                accept=accept,
                fontsize=fs + 0.4,
                color=colour,
                fontweight="bold",
            )


def _commune_names(labeller: Labeller, layers, frame, fs: float, small: bool) -> None:
    """The names of the communes (and arrondissements) in the frame, biggest first, where they fit."""
    site_code = layers.site_area[0] if layers.site_area is not None else None
    rows = []
    if layers.communes is not None:
        for _, r in layers.communes.iterrows():
            if r["code"] != site_code:
                rows.append((0, -int(r["population"]), r["code"], r["name"], r.geometry))
    if layers.arrondissements is not None and not small:
        for _, r in layers.arrondissements.iterrows():
            if r["code"] != site_code:
                short = r["name"].split(" ", 1)[1] if " " in r["name"] else r["name"]
                rows.append((1, 0, r["code"], short, r.geometry))
    for _, _, _code, name, geom in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        visible = geom.intersection(frame.polygon)
        if visible.is_empty or visible.area < 0.002 * frame.area_m2:
            continue
        labeller.place_any(
            area_points(visible, 12),
            name,
            [(0, 0, "center", "center")],
            fontsize=fs,
            color="#555555",
            fontstyle="italic",
            accept=inside_area(labeller.ax, visible),
        )


def _outside_arrow(ax, labeller: Labeller, site: _Site, frame, t, fs: float):
    """An arrow at the frame's edge towards the nearest connectable substation outside it."""
    from . import fmt
    from .map_layers import transformer

    near = (site.grid or {}).get("nearest_connectable") or []
    if not near:
        return None
    target = near[0]
    fwd = transformer(4326, frame.crs)
    tx, ty = fwd.transform(target["lon"], target["lat"])
    sx, sy = _site_xy(frame, site)
    xmin, ymin, xmax, ymax = frame.bounds
    inset = 0.07 * (xmax - xmin)
    dx, dy = tx - sx, ty - sy
    if dx == 0 and dy == 0:
        return None
    # Where the ray from the site meets the inset frame.
    ts = []
    for edge, d, s in ((xmin + inset, dx, sx), (xmax - inset, dx, sx), (ymin + inset, dy, sy), (ymax - inset, dy, sy)):
        if d != 0:
            k = (edge - s) / d
            if k > 0:
                ts.append(k)
    k = min(ts)
    ex, ey = sx + k * dx, sy + k * dy
    norm = math.hypot(dx, dy)
    back = 0.09 * (xmax - xmin)
    bx, by = ex - dx / norm * back, ey - dy / norm * back
    arrow = ax.annotate(
        "",
        xy=(ex, ey),
        xytext=(bx, by),
        arrowprops=dict(arrowstyle="-|>,head_width=0.45", color="black", lw=1.8),
        zorder=22,
    )
    labeller.reserve(_arrow_box(arrow, labeller.renderer))
    text = t(
        "map.outside.label",
        name=_title_case(target["name"]),
        kv=_kv(target["voltage_kv"]),
        distance=fmt.distance(float(target["distance_km"]), t.lang),
    )
    # The label on the inner side of the arrow's tail.
    ha = "left" if dx < 0 else "right"
    va = "bottom" if dy < 0 else "top"
    offsets = [
        (0, -6 if dy > 0 else 6, "center", va),
        (-8 if dx > 0 else 8, 0, ha, "center"),
        (-8 if dx > 0 else 8, -10 if dy > 0 else 10, ha, va),
    ]
    labeller.place(bx, by, text, offsets, fontsize=fs, color="#111111", fontweight="bold")
    return {k: target[k] for k in ("name", "voltage_kv", "kind", "distance_km", "lat", "lon")}


# ---------------------------------------------------------------- texts


def _connection_text(site: _Site, t) -> str:
    from . import fmt

    grid = site.grid
    lang = t.lang
    if grid is None:
        return ""
    if not grid.get("covered", True):
        return t("map.connection.not_covered")
    near = grid.get("nearest_connectable") or []
    if not near:
        return t("map.connection.none")
    s = near[0]
    args = dict(
        name=_title_case(s["name"]),
        station_kv=_kv(s["voltage_kv"]),
        distance=fmt.distance(float(s["distance_km"]), lang, away=True),
    )
    peak = grid.get("peak_demand_mw")
    if site.domain is not None:
        return t(
            "map.connection.htb",
            peak=fmt.quantity(peak, "MW", lang),
            domain=site.domain["domain"],
            kv=_kv(site.domain["min_kv"]),
            **args,
        )
    if site.distribution in ("BT", "HTA"):
        return t(f"map.connection.{site.distribution.lower()}", peak=fmt.quantity(peak, "MW", lang), **args)
    return t("map.connection.unknown_peak", **args)


def _notes(layers, site: _Site, t, frame, small: bool) -> list[str]:
    from . import fmt

    notes = []
    if site.located and site.approximate:
        notes.append(t("map.site_approximate.note"))
    if site.domain is not None or site.distribution:
        notes.append(t("map.connection.rule"))
    near = (site.grid or {}).get("nearest_connectable") or []
    if site.domain is not None and near and (layers.substations is None or not layers.substations["connectable"].any()):
        s = near[0]
        notes.append(
            t(
                "map.outside.note",
                name=_title_case(s["name"]),
                kv=_kv(s["voltage_kv"]),
                distance=fmt.distance(float(s["distance_km"]), t.lang, away=True),
            )
        )
    at_commune = [g for g in (layers.territory_at_commune, layers.datacenters_at_commune) if g is not None]
    if at_commune:
        notes.append(t("map.at_commune.note"))
        if any(int(n) > 1 for g in at_commune for n in g["count"]):
            notes.append(t("map.at_commune.count"))
    if layers.outside_commune_point:
        items = [t("map.unplaced.item", name=n, city=c) for n, c in layers.outside_commune_point]
        notes.append(t("map.at_commune.outside", names=t.join(items)))
    if layers.unplaced:
        items = [t("map.unplaced.item", name=n, city=c) for n, c in layers.unplaced]
        notes.append(t("map.unplaced", names=t.join(items)))
    if layers.france is None and not layers.foreign:
        notes.append(t("map.outside_france"))
    if layers.substations is None and (site.grid or {}).get("covered", True):
        notes.append(t("map.no_substation"))
    return notes


def _sources(layers, site: _Site, context: dict, t, name: str, territory: bool = False) -> list[str]:
    registry_file = _registry_label([(0, site.project)]) if territory else ""
    if registry_file:
        out = [t("map.source.territory", file=registry_file)]
    else:
        out = [t("map.source.site", name=name) if name else t("map.source.site_unnamed")]
    if layers.communes is not None:
        out.append(t("map.source.communes"))
    if layers.sources.get("substations_file"):
        out.append(t("map.source.substations_file", file=layers.sources["substations_file"]))
    elif layers.substations is not None or (site.grid or {}).get("nearest"):
        out.append(t("map.source.substations"))
    if layers.rivers is not None or layers.lakes is not None:
        out.append(t("map.source.water"))
    if layers.foreign:
        out.append(t("map.source.foreign"))
    if site.domain is not None or site.distribution:
        out.append(t("map.source.rule"))
    if layers.sources.get("registry") and (
        layers.datacenters is not None
        or layers.datacenters_at_commune is not None
        or layers.unplaced
        or layers.outside_commune_point
    ):
        out.append(t("map.source.registry", file=layers.sources["registry"]))
    if layers.boundaries is not None:
        out.append(t("map.source.boundaries", file=layers.sources.get("boundaries", "")))
    if layers.landing_points is not None:
        out.append(t("map.source.landing", file=layers.sources.get("landing", "")))
    for key in ("substations", "boundaries", "registry", "datacenters", "territory_sites", "landing_points"):
        extra = context.get(f"{key}_source")
        if extra and context.get(key) is not None:
            out.append(str(extra))
    return out


def map_caption(fig, lang: str = "fr") -> str:
    """The caption of a map: its notes and its sources, as text (for the dossier's ``<figcaption>``)."""
    from .catalogue import catalogue

    t = catalogue(lang)
    info = getattr(fig, "impact_map", None) or {}
    sources = info.get("sources") or []
    parts = list(info.get("notes") or [])
    if info.get("crs"):
        parts.append(t("map.crs", crs=info["crs"]) + t("sentence.end"))
    if sources:
        parts.append(t("map.caption", sources=t("map.source.separator").join(sources)))
    return " ".join(parts)


# ---------------------------------------------------------------- saving


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    import struct
    import zlib

    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _write_png(fig, path: Path, dpi: int) -> Path:
    """Draw ``fig`` once with Agg at ``dpi`` and write it as an opaque RGB PNG: the pixels of
    :func:`impact.report.charts.opaque_rgb` (those of ``charts.write_png``), its resolution
    chunk, and zlib level 1, but no row filter.

    PIL tries five filters on every row whatever the level (about 35 ms for a map); a map is
    mostly flat colour, which zlib compresses as well unfiltered (a smaller file, in about
    10 ms). No text chunk: the same figure gives the same bytes.
    """
    import struct
    import zlib

    import numpy as np

    from .charts import opaque_rgb

    rgb = opaque_rgb(fig, dpi)
    height, width = rgb.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # each row: filter type 0 (none), then RGB
    rows[:, 1:] = rgb.reshape(height, -1)
    per_metre = int(dpi / 0.0254 + 0.5)  # as PIL writes dpi
    png = b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            _png_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)),
            _png_chunk(b"IEND", b""),
        )
    )
    path.write_bytes(png)
    return path


def save_figure(fig, path, *, dpi: int = 150) -> Path:
    """Write ``fig`` to ``path`` (.png, .svg or .pdf) with fixed metadata: same bytes every run."""
    import matplotlib

    path = Path(path)
    fmt_ = path.suffix.lower().lstrip(".")
    metadata = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    }.get(fmt_)
    if metadata is None:
        raise ValueError(f"unsupported figure format {path.suffix!r}: use .png, .svg or .pdf")
    literal_figure(fig)
    with matplotlib.rc_context(
        {"svg.hashsalt": "impact", "svg.fonttype": "path", "pdf.fonttype": 42, "text.usetex": False}
    ):
        if fmt_ == "png":  # drawn once, opaque RGB, light compression, unfiltered (_write_png)
            _write_png(fig, path, dpi)
        else:
            fig.savefig(path, format=fmt_, dpi=dpi, metadata=metadata)
    return path
