"""Maps of a project's site and its context, drawn offline with matplotlib.

``site_map(results)`` draws the site, the land and sea, the communes when given,
the other data centers, the RTE substations with their voltage and their distance
from the site, cable landing points when given, a scale bar, a north arrow, a
legend and a line naming every layer's source. It works for any project: outside
the area the shipped layers cover (Marseille), it draws what it has and says so.

``save_figure(fig, path)`` writes PNG, SVG or PDF byte-identically from run to run.

geopandas, pyproj and matplotlib are imported inside the functions, so that
``import impact`` stays light.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..paths import data_dir

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)

# Half-width of the map around the site, in metres, for each scale.
EXTENTS_M = {"city": 6_500.0, "small": 16_000.0}

LAND = "#f2efe9"
SEA = "#c9dcef"
COAST = "#6f8ca6"
SITE = "#c0392b"
DATACENTER = "#5b3f8c"
VOLTAGE_COLOURS = {400: "#7b1fa2", 225: "#d35400", 150: "#b9770e", 90: "#b9770e", 63: "#1e8449"}

BASEMAP_SOURCE = {
    "fr": "fond : © les contributeurs d'OpenStreetMap (ODbL), via @geo-maps/earth-lands-10m 0.6.0",
    "en": "basemap: © OpenStreetMap contributors (ODbL), via @geo-maps/earth-lands-10m 0.6.0",
}
SUBSTATION_SOURCE = {
    "fr": "postes : RTE via ODRÉ (Licence Ouverte v2.0)",
    "en": "substations: RTE via ODRÉ (Licence Ouverte v2.0)",
}

TEXT = {
    "fr": {
        "title": "{name} : le site et son contexte",
        "site": "Site du projet",
        "datacenters": "Centres de données existants",
        "substation": "Poste source RTE {kv} kV",
        "landing": "Atterrissement de câble sous-marin",
        "communes": "Limites communales",
        "sea": "Mer",
        "scale": "Échelle",
        "north": "N",
        "sources": "Sources : ",
        "site_source": "site : fichier du projet",
        "nearest": "Poste le plus proche : {name} ({kv} kV), à {km} km du site",
        "no_location": "Le fichier du projet ne donne pas la position du site : pas de carte.",
        "no_basemap": "Fond de carte non disponible pour ce territoire (seule la zone de Marseille est fournie) : "
        "le trait de côte et les limites communales ne sont pas dessinés.",
        "no_substation": "Aucun poste RTE connu dans ce cadre.",
        "unplaced": "Non placés faute de coordonnées sourcées : {names}.",
        "distance": "{km} km",
        "crs": "Projection : {crs}",
        "coast_note": "Trait de côte simplifié (OpenStreetMap 2017, précision de l'ordre de 10 à 100 m) : le détail des quais n'est pas garanti.",
    },
    "en": {
        "title": "{name}: the site and its context",
        "site": "Project site",
        "datacenters": "Existing data centers",
        "substation": "RTE substation {kv} kV",
        "landing": "Submarine cable landing",
        "communes": "Municipal boundaries",
        "sea": "Sea",
        "scale": "Scale",
        "north": "N",
        "sources": "Sources: ",
        "site_source": "site: project file",
        "nearest": "Nearest substation: {name} ({kv} kV), {km} km from the site",
        "no_location": "The project file gives no site location: no map.",
        "no_basemap": "No basemap for this area (only Marseille is shipped): "
        "coastline and municipal boundaries are not drawn.",
        "no_substation": "No known RTE substation in this frame.",
        "unplaced": "Not placed, no sourced coordinates: {names}.",
        "distance": "{km} km",
        "crs": "Projection: {crs}",
        "coast_note": "Simplified coastline (OpenStreetMap 2017, accurate to about 10-100 m): quay details are not guaranteed.",
    },
}


# ---------------------------------------------------------------- geometry helpers


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of the mean Earth radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in km on the WGS 84 ellipsoid (what the maps show)."""
    from pyproj import Geod

    _, _, metres = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)
    return metres / 1000.0


def map_crs(lat: float, lon: float) -> str:
    """A metric CRS for a site: Lambert-93 in metropolitan France, else its UTM zone."""
    if -5.5 <= lon <= 10.0 and 41.0 <= lat <= 51.5:
        return "EPSG:2154"
    zone = int((lon + 180) // 6) + 1
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def _fmt_km(km: float, lang: str) -> str:
    text = f"{km:.1f}"
    return text.replace(".", ",") if lang == "fr" else text


# ---------------------------------------------------------------- layers


@dataclass
class Layers:
    land: Any = None
    coastline: Any = None
    communes: Any = None
    substations: Any = None
    datacenters: Any = None
    landing_points: Any = None
    unplaced_datacenters: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _points(rows: list[dict], crs: str):
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(
        rows,
        geometry=gpd.points_from_xy([float(r["lon"]) for r in rows], [float(r["lat"]) for r in rows]),
        crs="EPSG:4326",
    )
    return gdf.to_crs(crs)


def _basemap(frame_wgs84, crs: str):
    """The shipped basemap layers clipped to the frame, or (None, None) if it does not cover it."""
    import geopandas as gpd
    import pyogrio

    path = data_dir() / "basemap" / "marseille.gpkg"
    if not path.is_file():
        return None, None
    land = gpd.read_file(path, layer="land")
    xmin, ymin, xmax, ymax = land.total_bounds
    fx0, fy0, fx1, fy1 = frame_wgs84.bounds
    # The basemap must contain the site's frame (a little tolerance at the edges).
    tol = 0.02
    if not (fx0 >= xmin - tol and fx1 <= xmax + tol and fy0 >= ymin - tol and fy1 <= ymax + tol):
        return None, None
    coast = pyogrio.read_dataframe(path, layer="coastline")
    return land.to_crs(crs), coast.to_crs(crs)


def _to_crs(gdf, crs):
    if gdf is None or len(gdf) == 0:
        return None
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    return gdf.to_crs(crs)


def load_layers(lat: float, lon: float, crs: str, frame, frame_wgs84, *, context: dict | None, lang: str,
                project_name: str) -> Layers:
    """Gather every layer that covers the frame: shipped ones and those in ``context``."""
    import geopandas as gpd

    context = dict(context or {})
    out = Layers()
    sources: list[str] = []

    if context.get("land") is not None:
        out.land = _to_crs(context["land"], crs)
    else:
        out.land, out.coastline = _basemap(frame_wgs84, crs)
        if out.land is not None:
            sources.append(BASEMAP_SOURCE[lang])

    if context.get("communes") is not None:
        out.communes = _to_crs(context["communes"], crs)

    # Substations: the shipped table, or the user's.
    subs = context.get("substations")
    if subs is None:
        rows = _read_csv(data_dir() / "geo" / "substations_marseille.csv")
        subs = _points(rows, crs) if rows else None
    else:
        subs = _to_crs(subs, crs)
    if subs is not None:
        subs = subs[subs.intersects(frame)].copy()
        if len(subs):
            wgs = subs.to_crs(4326)
            subs["distance_km"] = [geodesic_km(lat, lon, p.y, p.x) for p in wgs.geometry]
            subs["voltage_kv"] = subs["voltage_kv"].astype(float)
            subs = subs.sort_values("distance_km").reset_index(drop=True)
            out.substations = subs
            sources.append(SUBSTATION_SOURCE[lang])

    dcs = context.get("datacenters")
    if dcs is None:
        rows = _read_csv(data_dir() / "geo" / "datacenters_marseille.csv")
        placed = [r for r in rows if r["lat"].strip() and r["lon"].strip()]
        dcs = _points(placed, crs) if placed else None
        near = [r for r in rows if not (r["lat"].strip() and r["lon"].strip())]
        # Say which are missing only when the site is among them (same city).
        if dcs is not None and len(dcs[dcs.intersects(frame)]):
            out.unplaced_datacenters = tuple(r["name"] for r in near)
    else:
        dcs = _to_crs(dcs, crs)
    if dcs is not None:
        dcs = dcs[dcs.intersects(frame)]
        if "name" in dcs.columns:
            dcs = dcs[dcs["name"].astype(str) != project_name]
        dcs = gpd.GeoDataFrame(dcs)
        # The project's own site is drawn as the site, not as an existing data center.
        site = gpd.GeoSeries(gpd.points_from_xy([lon], [lat]), crs=4326).to_crs(crs).iloc[0]
        dcs = dcs[dcs.distance(site) > 50]
        if len(dcs):
            out.datacenters = dcs
            sources.append("centres de données : presse spécialisée, voir data/geo" if lang == "fr"
                           else "data centers: trade press, see data/geo")

    lp = context.get("landing_points")
    if lp is not None:
        lp = _to_crs(lp, crs)
        lp = lp[lp.intersects(frame)] if lp is not None else None
        if lp is not None and len(lp):
            out.landing_points = lp
            src = context.get("landing_points_source") or ("points d'atterrissement : fournis par l'utilisateur"
                                                           if lang == "fr" else "landing points: supplied by the user")
            sources.append(src)
    for key in ("communes", "land"):
        if context.get(key) is not None:
            sources.append(context.get(f"{key}_source") or (f"{key} : fourni par l'utilisateur" if lang == "fr"
                                                            else f"{key}: supplied by the user"))
    out.sources = tuple(sources)
    return out


# ---------------------------------------------------------------- drawing helpers


def _nice_length(target_m: float) -> float:
    """The 1, 2 or 5 × 10^n metres just below ``target_m``."""
    exp = 10 ** math.floor(math.log10(target_m))
    for step in (5, 2, 1):
        if step * exp <= target_m:
            return step * exp
    return exp


def _scale_bar(ax, crs: str, lat: float, lon: float, frame, lang: str) -> float:
    """A scale bar in ground metres, corrected for the projection's scale factor at the site."""
    from pyproj import Proj

    factor = Proj(crs).get_factors(lon, lat).meridional_scale
    xmin, ymin, xmax, ymax = frame.bounds
    width = xmax - xmin
    ground = _nice_length(width / 4 / factor)
    length = ground * factor
    x0 = xmin + 0.04 * width
    y0 = ymin + 0.075 * (ymax - ymin)
    h = 0.012 * (ymax - ymin)
    half = length / 2
    ax.fill([x0, x0 + half, x0 + half, x0], [y0, y0, y0 + h, y0 + h], color="black", zorder=20)
    ax.fill([x0 + half, x0 + length, x0 + length, x0 + half], [y0, y0, y0 + h, y0 + h],
            facecolor="white", edgecolor="black", lw=0.8, zorder=20)
    unit = (f"{ground / 1000:g} km" if ground >= 1000 else f"{ground:g} m").replace(".", "," if lang == "fr" else ".")
    for x, text in ((x0, "0"), (x0 + length, unit)):
        ax.text(x, y0 + 2.2 * h, text, ha="center", va="bottom", fontsize=7.5, zorder=20)
    ax.text(x0, y0 - 1.2 * h, TEXT[lang]["scale"], ha="left", va="top", fontsize=7.5, zorder=20)
    return ground


def _north_arrow(ax, crs: str, lat: float, lon: float, lang: str) -> None:
    """A north arrow, turned by the meridian convergence at the site."""
    from pyproj import Proj

    conv = math.radians(Proj(crs).get_factors(lon, lat).meridian_convergence)
    x, y, length = 0.94, 0.83, 0.09
    dx, dy = -math.sin(conv) * length, math.cos(conv) * length
    ax.annotate("", xy=(x + dx, y + dy), xytext=(x, y), xycoords="axes fraction",
                arrowprops=dict(arrowstyle="-|>,head_width=0.5,head_length=1", color="black", lw=1.6), zorder=21)
    ax.text(x + dx * 1.2, y + dy * 1.2, TEXT[lang]["north"], transform=ax.transAxes, ha="center", va="bottom",
            fontsize=11, fontweight="bold", zorder=21)


def _label(ax, x, y, text, *, dx=6, dy=6, fontsize=7.5, color="black", weight="normal", ha="left"):
    import matplotlib.patheffects as pe

    ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=fontsize, color=color,
                fontweight=weight, ha=ha, va="center", zorder=30,
                path_effects=[pe.withStroke(linewidth=2.5, foreground="white")])


# ---------------------------------------------------------------- the map


def site_map(results, *, scale: str = "city", context: dict | None = None, ax=None, lang: str = "fr",
             title: str | None = None, site_legend: str | None = None):
    """Map of the project's site and its context; returns a matplotlib Figure.

    Parameters
    ----------
    results : Results or Project
        The estimate (its ``project`` is used) or the project itself.
    scale : "city" (13 km across) or "small" (32 km across).
    context : dict, optional
        GeoDataFrames (any CRS; WGS 84 if none) that add to or replace the shipped
        layers: ``communes``, ``land``, ``substations`` (columns ``name``,
        ``voltage_kv``), ``datacenters`` (``name``), ``landing_points`` (``name``),
        and for each a ``<key>_source`` string printed in the sources line.
    ax : matplotlib Axes, optional
        Draw there instead of in a new figure.
    title, site_legend : str, optional
        Replace the title and the legend entry of the site (city reports).
    lang : "fr" (default) or "en".
    """
    import geopandas as gpd

    if lang not in TEXT:
        raise ValueError(f"lang must be one of {sorted(TEXT)}, got {lang!r}")
    if scale not in EXTENTS_M:
        raise ValueError(f"scale must be one of {sorted(EXTENTS_M)}, got {scale!r}")
    t = TEXT[lang]
    project = getattr(results, "project", results)
    name = getattr(project, "name", "") or ""

    if ax is None:
        from matplotlib.figure import Figure

        if scale == "small":  # the synthesis' thumbnail: the map and one line of sources
            fig = Figure(figsize=(4.0, 4.3), dpi=150)
            ax = fig.add_axes((0.03, 0.09, 0.94, 0.84))
        else:
            fig = Figure(figsize=(8.27, 8.6), dpi=150)  # A4 width
            ax = fig.add_axes((0.03, 0.17, 0.94, 0.76))
    else:
        fig = ax.figure
    ax.set_title(title or t["title"].format(name=name), fontsize=12, fontweight="bold", loc="left")

    location = getattr(project, "location", None)
    if location is None:
        ax.set_axis_off()
        ax.text(0.5, 0.5, t["no_location"], ha="center", va="center", transform=ax.transAxes, fontsize=10)
        return fig

    lat, lon = float(location.lat), float(location.lon)
    crs = map_crs(lat, lon)
    site = gpd.GeoSeries(gpd.points_from_xy([lon], [lat]), crs=4326).to_crs(crs).iloc[0]
    half = EXTENTS_M[scale]
    frame = site.buffer(half, cap_style="square")
    frame_wgs84 = gpd.GeoSeries([frame], crs=crs).to_crs(4326).iloc[0]
    layers = load_layers(lat, lon, crs, frame, frame_wgs84, context=context, lang=lang, project_name=name)

    xmin, ymin, xmax, ymax = frame.bounds
    legend = []
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    notes: list[str] = []
    if layers.land is not None:
        ax.set_facecolor(SEA)
        land = layers.land.clip(frame)
        land.plot(ax=ax, color=LAND, edgecolor="none", zorder=1)
        if layers.coastline is not None:
            layers.coastline.clip(frame).plot(ax=ax, color=COAST, lw=0.8, zorder=2)
        else:
            land.boundary.plot(ax=ax, color=COAST, lw=0.8, zorder=2)
        legend.append(Patch(facecolor=SEA, edgecolor=COAST, lw=0.8, label=t["sea"]))
        if layers.coastline is not None:
            notes.append(t["coast_note"])
    else:
        ax.set_facecolor("#fbfbfb")
        notes.append(t["no_basemap"])

    if layers.communes is not None:
        layers.communes.clip(frame).boundary.plot(ax=ax, color="#8a8a8a", lw=0.6, ls="--", zorder=3)
        legend.append(Line2D([], [], color="#8a8a8a", lw=0.6, ls="--", label=t["communes"]))

    # Substations: marker colour by voltage, labels with name, voltage and distance.
    nearest_text = None
    if layers.substations is not None:
        subs = layers.substations
        kvs = sorted({int(v) for v in subs["voltage_kv"]}, reverse=True)
        for kv in kvs:
            sel = subs[subs["voltage_kv"].astype(int) == kv]
            colour = VOLTAGE_COLOURS.get(kv, "#555555")
            ax.scatter(sel.geometry.x, sel.geometry.y, s=46, marker="s", color=colour, edgecolor="white",
                       lw=0.8, zorder=10)
            legend.append(Line2D([], [], marker="s", ls="", color=colour, markeredgecolor="white", markersize=7,
                                 label=t["substation"].format(kv=kv)))
        n_labels = 8 if scale == "city" else 2
        m_per_pt = (xmax - xmin) / (fig.get_figwidth() * 72 * ax.get_position().width)
        placed = [_box(site.x, site.y, -9, 9, 4 * 9.5 * 0.6, 9.5 * 1.3, "right", m_per_pt)]
        placed += [_box(p.x, p.y, -4, 0, 8, 8, "left", m_per_pt) for p in subs.geometry]
        for _, row in subs.head(n_labels).iterrows():
            x, y = row.geometry.x, row.geometry.y
            label = f"{str(row['name']).title()}\n{int(row['voltage_kv'])} kV · {_fmt_km(row['distance_km'], lang)} km"
            w = max(len(part) for part in label.split("\n")) * 7 * 0.6
            h = 2 * 7 * 1.25
            options = [(7, 0, "left"), (-7, 0, "right"), (7, 14, "left"), (7, -14, "left"),
                       (-7, 14, "right"), (-7, -14, "right")]
            if x > xmax - half * 0.5:
                options = options[1:2] + options[:1] + options[4:] + options[2:4]
            chosen = None
            for opt in options:
                box = _box(x, y, opt[0], opt[1], w, h, opt[2], m_per_pt)
                if not any(_overlap(box, other) for other in placed):
                    chosen = opt
                    break
            if chosen is None:  # no room: the marker stays, unlabelled, rather than a label on a label
                continue
            placed.append(_box(x, y, chosen[0], chosen[1], w, h, chosen[2], m_per_pt))
            _label(ax, x, y, label, dx=chosen[0], dy=chosen[1], ha=chosen[2], fontsize=7, color="#333333")
        first = subs.iloc[0]
        nearest_text = t["nearest"].format(name=str(first["name"]).title(), kv=int(first["voltage_kv"]),
                                           km=_fmt_km(first["distance_km"], lang))
        # A thin line from the site to the nearest substation.
        ax.plot([site.x, first.geometry.x], [site.y, first.geometry.y], color="#555555", lw=0.8, ls=":", zorder=9)
    else:
        notes.append(t["no_substation"])

    if layers.datacenters is not None:
        dcs = layers.datacenters
        ax.scatter(dcs.geometry.x, dcs.geometry.y, s=40, marker="D", color=DATACENTER, edgecolor="white", zorder=11)
        for _, row in dcs.iterrows():
            if "name" in row:
                _label(ax, row.geometry.x, row.geometry.y, str(row["name"]), color=DATACENTER, fontsize=7.5)
        legend.append(Line2D([], [], marker="D", ls="", color=DATACENTER, markeredgecolor="white", markersize=6,
                             label=t["datacenters"]))
    if layers.unplaced_datacenters:
        notes.append(t["unplaced"].format(names=", ".join(layers.unplaced_datacenters)))

    if layers.landing_points is not None:
        lp = layers.landing_points
        ax.scatter(lp.geometry.x, lp.geometry.y, s=50, marker="^", color="#117a8b", edgecolor="white", zorder=12)
        for _, row in lp.iterrows():
            if "name" in row:
                _label(ax, row.geometry.x, row.geometry.y, str(row["name"]), color="#117a8b", dy=-8)
        legend.append(Line2D([], [], marker="^", ls="", color="#117a8b", markeredgecolor="white", markersize=7,
                             label=t["landing"]))

    ax.scatter([site.x], [site.y], s=230, marker="*", color=SITE, edgecolor="white", lw=1.0, zorder=15)
    _label(ax, site.x, site.y, name or t["site"], dx=-9, dy=9, ha="right", fontsize=9.5, color=SITE, weight="bold")
    legend.insert(0, Line2D([], [], marker="*", ls="", color=SITE, markeredgecolor="white", markersize=13,
                            label=site_legend or t["site"]))

    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_color("#444444")

    _scale_bar(ax, crs, lat, lon, frame, lang)
    _north_arrow(ax, crs, lat, lon, lang)
    leg = ax.legend(handles=legend, loc="upper left", fontsize=7.5, framealpha=0.92, edgecolor="#999999")
    leg.set_zorder(40)

    # Under the map: the nearest substation, notes, the projection and the sources.
    sources = [t["site_source"] + (f" ({name})" if name else ""), *layers.sources]
    if scale == "small":
        fig.text(0.03, 0.065, _wrap(t["sources"] + " ; ".join(sources) + ".", 95), fontsize=4.5, ha="left",
                 va="top", color="#333333", linespacing=1.2)
        fig.impact_map = {"crs": crs, "nearest_text": nearest_text, "sources": sources, "substations": None}
        return fig
    lines = []
    if nearest_text:
        fig.text(0.03, 0.135, nearest_text, fontsize=9, fontweight="bold", ha="left", va="top")
    lines += notes
    lines.append(t["crs"].format(crs=crs))
    lines.append(t["sources"] + " ; ".join(sources) + ".")
    fig.text(0.03, 0.105, "\n".join(_wrap(line, 120) for line in lines), fontsize=7, ha="left", va="top",
             color="#333333", linespacing=1.35)
    fig.impact_map = {"crs": crs, "nearest_text": nearest_text, "sources": sources,
                      "substations": None if layers.substations is None
                      else layers.substations.drop(columns="geometry").to_dict("records")}
    return fig


def _box(x, y, dx, dy, w, h, ha, m_per_pt):
    """Approximate box of a label (data units) anchored at (x, y) with an offset in points."""
    x0 = x + dx * m_per_pt - (w * m_per_pt if ha == "right" else 0)
    y0 = y + dy * m_per_pt - h * m_per_pt / 2
    return (x0, y0, x0 + w * m_per_pt, y0 + h * m_per_pt)


def _overlap(a, b) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


# ---------------------------------------------------------------- saving


def save_figure(fig, path, *, dpi: int = 150) -> Path:
    """Write ``fig`` to ``path`` (.png, .svg or .pdf) with fixed metadata: same bytes every run."""
    import matplotlib

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    metadata = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    }.get(fmt)
    if metadata is None:
        raise ValueError(f"unsupported figure format {path.suffix!r}: use .png, .svg or .pdf")
    with matplotlib.rc_context({"svg.hashsalt": "impact", "svg.fonttype": "path", "pdf.fonttype": 42}):
        fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata)
    return path
