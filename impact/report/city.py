"""The report of a city: the cumulative impact of its data centers (``impact batch``).

Built on the dossier's machinery: the same stylesheet, number formatting, maps,
charts and PDF/A-3 writer, with a template of its own (``templates/city.html.j2``).
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..fileio import run_tempdir, staged
from ..indicators import INDICATORS
from ..paths import templates_dir
from ..textsafe import csv_cell
from . import fmt, narrative
from .catalogue import catalogue
from .dossier import date_words, template_env

if TYPE_CHECKING:
    from ..project import Project

KEY = (
    "facility_energy_mwh",
    "peak_demand_mw",
    "water_withdrawal_m3",
    "water_offsite_m3",
    "co2e_location_t",
    "heat_rejected_mwh",
    "thermal_discharge_mw",
    "households_electricity_equiv",
)
SITE_COLUMNS = ("facility_energy_mwh", "peak_demand_mw", "water_withdrawal_m3", "co2e_location_t")


def status_text(status: str, lang: str) -> str:
    """A registry status (``operating``, ``planned``...) in ``lang``; a status the
    catalogue does not know (``site_status.<status>``) is the registry's own word."""
    return catalogue(lang).optional(f"site_status.{status}") or status


def _central(ind, lang: str, to: str | None = None) -> str:
    if ind is None or not ind.known:
        return fmt.unknown(lang)
    return fmt.quantity(ind.central, ind.unit, lang, to=to)


def _value(ind, lang: str) -> str:
    if ind is None or not ind.known:
        return fmt.unknown(lang)
    if ind.unit == "-" and ind.central >= 1:  # a multiple reads better than « 2 370 % »
        return narrative.share_cell(ind, lang)
    return fmt.value_range(ind.central, ind.low, ind.high, ind.unit, lang, share=ind.unit == "-")


def city_map(
    city: str, sites: list[tuple[str, Project | None]], lang: str = "fr", registry: list | None = None
) -> tuple[str | None, str]:
    """The map of a territory's sites, as a data: URL, and a note on those placed nowhere
    (:func:`city_map_figure`)."""
    from . import maps

    fig, note = city_map_figure(city, sites, lang, registry)
    return (None if fig is None else _png_data_url(fig, maps.save_figure)), note


def city_map_figure(city: str, sites: list[tuple[str, Project | None]], lang: str = "fr", registry: list | None = None):
    """The map of a territory's sites (a Figure, or None without one), and a note on the others.

    ``sites`` lists ``(name, project or None)`` in registry order; it needs no
    estimate, so that ``impact batch`` can draw it while the sites are estimated. A site
    without coordinates is drawn hollow at its commune's inside point
    (:func:`impact.report.map_layers.commune_of`); the note names the sites placed nowhere.
    The frame holds every site drawn (:func:`territory_frame`); ``registry`` (the
    registry's ``(row, Project)`` pairs) adds its other sites inside the frame. The first
    located site's ``context`` files (substations, boundaries) are drawn as in its dossier.
    """
    import geopandas as gpd

    from ..project_data import load_context
    from . import maps
    from .figures import map_context
    from .map_layers import map_point

    points = [map_point(p) if p is not None else None for _, p in sites]
    located = [(n, p) for n, p in sites if p is not None and p.location is not None]
    at_commune = [
        (n, p) for (n, p), pt in zip(sites, points) if pt is not None and p is not None and p.location is None
    ]
    missing = [n for (n, _), pt in zip(sites, points) if pt is None]
    t = catalogue(lang)
    note = t("city_report.map.unplaced", names=t.join(missing)) if missing else ""
    if not located and not at_commune:
        return None, note
    # The first located site is the map's own (its context files); without one, the first
    # site at its commune, drawn hollow like the others.
    (main_name, main), others = (located[0], located[1:]) if located else (at_commune[0], [])
    context = map_context(load_context(main), lang) if main.location is not None else {}
    if others:
        locations = [p.location for _, p in others if p.location is not None]  # all: others are located
        context["territory_sites"] = gpd.GeoDataFrame(
            {"name": [n for n, _ in others]},
            geometry=gpd.points_from_xy([loc.lon for loc in locations], [loc.lat for loc in locations]),
            crs=4326,
        )
    if at_commune:
        context["territory_unlocated"] = at_commune
    names = {n for n, _ in sites} | {p.name for _, p in sites if p is not None}
    if registry:
        context["registry"] = [(n, p) for n, p in registry if p.name not in names]
    # The frame that impact.batch.map_neighbours rebuilds for the report's fingerprint.
    frame = territory_map_frame([p for _, p in sites])
    title = t("city_report.map.title", city=city)
    legend = t("city_report.map.legend", name=main_name)
    fig = maps.site_map(
        main,
        scale="city",
        context=context,
        lang=lang,
        title=title,
        site_legend=legend,
        center=(frame.lat, frame.lon),
        half_width_m=frame.half_m,
        territory=True,
    )
    return fig, note


def territory_map_frame(projects):
    """The frame of the map of a territory whose sites are ``projects`` (:func:`city_map_figure`),
    as a :class:`impact.report.map_layers.Frame`, or None when none can be drawn."""
    from . import maps
    from .map_layers import make_frame, map_point

    points = [pt for pt in (map_point(p) for p in projects if p is not None) if pt is not None]
    if not points:
        return None
    center, half = territory_frame(points)
    main = next((p for p in projects if p is not None and p.location is not None), None)
    # The CRS is the first located site's (site_map), else the centre's.
    lat, lon = (main.location.lat, main.location.lon) if main is not None else center
    return make_frame(center[0], center[1], maps.map_crs(lat, lon), half)


def territory_frame(points) -> tuple[tuple[float, float], float]:
    """The centre (lat, lon) and half-width [m] of a frame holding every point (lat, lon): at
    least a dossier's city frame, at most :data:`impact.report.maps.MAX_HALF_M`."""
    from . import maps
    from .map_layers import transformer

    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    crs = maps.map_crs(lats[0], lons[0])
    fwd = transformer(4326, crs)
    xs, ys = fwd.transform(lons, lats)
    span = max(max(xs) - min(xs), max(ys) - min(ys))
    half = min(max(maps.EXTENTS_M["city"], span / 2 + 2_000.0), maps.MAX_HALF_M)
    back = transformer(crs, 4326)
    lon, lat = back.transform((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)
    return (lat, lon), half


def _png_data_url(fig, save_figure) -> str:
    """``fig`` saved as PNG by ``save_figure`` (reproducible bytes), as a data: URL."""
    with run_tempdir("city") as tmp:
        path = tmp / "figure.png"
        save_figure(fig, path)
        return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _city_sites(total) -> list[tuple[str, Project | None]]:
    return [(o.name, o.project) for o in sorted(total.sites + total.failed, key=lambda o: o.row)]


def city_chart(total, lang: str = "fr") -> str | None:
    """The bar chart of each site's total electricity, as a data: URL (None without sites).

    Separate from the report so that ``impact batch`` can draw it on one worker
    while another one draws the map.
    """
    from . import charts

    rows = [(o.name, o.results["facility_energy_mwh"]) for o in sorted(total.sites, key=lambda o: o.row)]
    if not rows:
        return None
    title = catalogue(lang)("city_report.chart.title")
    # The bytes save_figure would write, kept in memory (no temporary folder and file).
    png = charts.figure_png(charts.alternatives_bars(rows, "facility_energy_mwh", lang=lang, title=title))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def city_context(total, lang: str, date: dt.date, map_data=None, chart=None) -> dict:
    map_url, map_note = map_data if map_data is not None else city_map(total.city, _city_sites(total), lang)
    key = [
        {
            "label": INDICATORS[n].label(lang),
            "value": _value(total.indicators.get(n), lang),
            "known": total.indicators[n].known,
            "note": _key_note(total.indicators[n], total.city, lang),
        }
        for n in KEY + _shares(total)
    ]
    ordered = sorted(total.sites, key=lambda o: o.row)
    # One unit per column: the sites are read side by side.
    units = {n: fmt.common_unit([o.results[n].central for o in ordered], INDICATORS[n].unit) for n in SITE_COLUMNS}
    capacities = [_capacity(o.results) for o in ordered]
    it_unit = fmt.common_unit([c.central for c in capacities], "MW")
    sites = []
    for o, capacity in zip(ordered, capacities):
        r = o.results
        sites.append(
            {
                "name": o.name,
                "status": status_text(o.status, lang),
                "operator": o.project.operator or "",
                "it_mw": _central(capacity, lang, it_unit),
                "pue": fmt.number(r.central("pue"), lang, decimals=2) if r["pue"].known else fmt.unknown(lang),
                "values": [_central(r[n], lang, units[n]) for n in SITE_COLUMNS],
                "source": o.source,
                "findings": narrative.findings(r, [], lang)[:4],
            }
        )
    return {
        "lang": lang,
        "t": catalogue(lang).markup,
        "city": total.city,
        "date": date_words(date, lang),
        "date_iso": date.isoformat(),
        "version": __version__,
        "key": key,
        "sites": sites,
        "columns": [INDICATORS[n].label(lang) for n in SITE_COLUMNS],
        "failed": [{"name": o.name, "row": o.row, "error": o.error} for o in total.failed],
        "map": map_url,
        "map_note": map_note,
        "chart": chart if chart is not None else city_chart(total, lang),
        "n_sites": len(total.sites),
        "statuses": sorted({status_text(o.status, lang) for o in total.sites if o.status}),
    }


def _shares(total) -> tuple[str, ...]:
    """The territory's shares to show: those known (a département's report has no single
    commune), and the commune's even when unknown, in a commune's report."""
    from ..batch import SHARES

    own = ("share_of_city_peak_demand", "share_of_city_electricity") if total.level == "commune" else ()
    return tuple(n for n, _, _ in SHARES if n in own or total.indicators[n].known)


def _key_note(ind, city: str, lang: str) -> str:
    t = catalogue(lang)
    if ind.status == "estimated":
        return ""
    if ind.status == "unknown" and ind.name.startswith("share_of_city"):
        return t("city_report.key.no_city_figure", city=city)
    if ind.missing:
        return t("city_report.key.partial_for", names=t.join(ind.missing))
    return t("city_report.key.partial")


def _capacity(results):
    """The IT capacity input as an indicator-like object (for formatting)."""
    from ..results import Indicator

    rec = results.inputs["it_capacity_mw"]
    v = rec.value
    return Indicator("it_capacity_mw", "MW", v.low, v.central, v.high, "estimated", "")


#: The stylesheet of the city reports, given to WeasyPrint as a file (parsed once per process).
STYLESHEET = "dossier.css"
#: The templates' Jinja2 environment, made once per process (by templates folder): its cache
#: keeps the compiled template, and reloads it when the file changes.
_TEMPLATE_ENVS: dict[str, object] = {}


def _template(name: str):
    """The compiled template ``name`` of the reports' folder (:func:`impact.report.dossier.template_env`)."""
    folder = str(templates_dir())
    if folder not in _TEMPLATE_ENVS:
        _TEMPLATE_ENVS[folder] = template_env()
    return _TEMPLATE_ENVS[folder].get_template(name)  # type: ignore[attr-defined]


def _in_memory_images(context: dict) -> dict[str, tuple[bytes, str]]:
    """Move the context's ``map`` and ``chart`` data: URLs out of the HTML, into resources.

    The template then names them ``impact-resource:map.png`` and ``impact-resource:chart.png``
    (:func:`impact.report.pdf.write_pdf`): the same bytes reach WeasyPrint, without its HTML
    parser reading a few hundred kB of base64 one chunk at a time (issue 15).
    """
    from .pdf import RESOURCE_SCHEME

    resources = {}
    for name in ("map", "chart"):
        url = context.get(name)
        head, sep, data = (url or "").partition(";base64,")
        if sep and head.startswith("data:image/"):
            ref = f"{RESOURCE_SCHEME}:{name}.png"
            resources[ref] = (base64.b64decode(data, validate=True), head.removeprefix("data:"))
            context[name] = ref
    return resources


def write_city_report(
    total, target: Path, *, lang: str = "fr", date: dt.date | None = None, map_data=None, chart=None
) -> Path:
    """Write the city's report to ``target`` (atomically); ``map_data`` and ``chart``
    are a precomputed :func:`city_map` and :func:`city_chart`."""
    from .pdf import write_pdf

    date = date or dt.date.today()
    context = city_context(total, lang, date, map_data, chart)
    resources = _in_memory_images(context)
    html = _template("city.html.j2").render(**context)
    with staged(target) as tmp_pdf:
        write_pdf(
            html,
            tmp_pdf,
            base_dir=templates_dir(),
            allowed_dirs=[templates_dir()],
            date=date,
            attachments=[
                ("summary-sites.csv", _sites_csv(total), "The sites of the city and their central indicators")
            ],
            lang=lang,
            stylesheets=[templates_dir() / STYLESHEET],
            resources=resources,
        )
    return target


def _sites_csv(total) -> bytes:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    names = list(INDICATORS)
    w.writerow(["name", "status", "source", *names])
    for o in sorted(total.sites, key=lambda o: o.row):
        # Names, statuses and sources are the registry's text: spreadsheet-safe (OWASP).
        w.writerow([csv_cell(o.name), csv_cell(o.status), csv_cell(o.source), *[o.results[n].central for n in names]])
    return buf.getvalue().encode("utf-8")
