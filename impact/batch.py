"""Many sites at once: a registry becomes estimates, city totals and reports.

:func:`estimate_many` gives one row per site (central, low and high of every
indicator). :func:`run_batch` writes one PDF per city with the cumulative impact of
its sites, ``summary.csv`` (one row per site and per city) and ``sites.gpkg``; a bad
site is reported and the others go on; a second run skips the reports that are up
to date.

City totals add the sites draw by draw: every site is estimated with the same seed,
so the draws of shared assumptions (grid intensity, climate, utilisation defaults)
move together across sites, which makes the total's range the cautious, wide one.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import json
import os
import re
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import InputError
from .fileio import write_atomic
from .indicators import INDICATORS

#: Indicators that add up across sites (others, such as the PUE or shares, do not).
ADDITIVE = tuple(
    n for n, info in INDICATORS.items()
    if info.unit not in ("-",) and not n.startswith("pue")
)
MANIFEST = ".impact-batch.json"
#: Shares of a territory: (share indicator, summed indicator, the territory's figure).
SHARES = (("share_of_city_peak_demand", "peak_demand_mw", "city.peak_demand_mw"),
          ("share_of_city_electricity", "facility_energy_mwh", "city.annual_electricity_mwh"),
          ("share_of_departement_electricity", "facility_energy_mwh", "departement.annual_electricity_mwh"),
          ("share_of_region_electricity", "facility_energy_mwh", "region.annual_electricity_mwh"),
          ("share_of_france_electricity", "facility_energy_mwh", "france.annual_electricity_mwh"),
          ("share_of_france_datacentres", "facility_energy_mwh", "france.datacentres_electricity_mwh"))
#: ``--by`` choices: the territory a report covers (``city`` is the commune, as before).
GROUPINGS = ("commune", "departement", "epci", "region", "city")


# ----------------------------------------------------------------------------- sites
@dataclass
class SiteOutcome:
    """One registry row: its project (if valid) and results, or the error."""

    row: int
    name: str
    city: str
    status: str
    source: str
    project: Any = None
    results: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _site_meta(project) -> dict:
    from .sources.registry import registry_row

    meta = registry_row(project) or {}
    return {"status": str(meta.get("status") or ""), "source": str(meta.get("source") or "")}


def _projects(projects_or_registry) -> tuple[list[tuple[int, Any]], list[SiteOutcome]]:
    """(row, Project) pairs and the outcomes of the bad rows."""
    if isinstance(projects_or_registry, (str, Path)):
        from .sources.registry import read_registry

        rows = read_registry(projects_or_registry, errors="collect")
        bad = []
        for n, exc in rows.errors:
            cells = rows.raw.get(n, {})
            bad.append(SiteOutcome(n, str(cells.get("name") or f"row {n}"), str(cells.get("city") or ""),
                                   str(cells.get("status") or ""), str(cells.get("source") or ""),
                                   error=exc.message))
        return list(rows), bad
    pairs = []
    for i, item in enumerate(projects_or_registry, start=1):
        pairs.append(item if isinstance(item, tuple) else (i, item))
    return pairs, []


def _estimate_site(row: int, project, draws: int, seed: int, keep_hourly: bool = True) -> SiteOutcome:
    """Estimate one site (runs in a worker process).

    ``keep_hourly=False`` drops the hourly frame, which city reports do not use,
    so that it is not sent back between processes.
    """
    from .engine import estimate

    meta = _site_meta(project)
    out = SiteOutcome(row, project.name, project.city or "", meta["status"], meta["source"], project)
    try:
        out.results = estimate(project, draws=draws, seed=seed)
        if not keep_hourly:
            out.results.hourly = None
    except InputError as exc:
        out.error = exc.message
        out.results = None
    return out


def _row(outcome: SiteOutcome, level: str = "site") -> dict:
    row = {"level": level, "row": outcome.row, "name": outcome.name, "city": outcome.city,
           "status": outcome.status, "result": "ok" if outcome.ok else f"error: {outcome.error}",
           "source": outcome.source}
    site = getattr(outcome.results, "site", None) if outcome.ok else None
    for t in ("commune", "departement", "region", "epci"):
        territory = getattr(site, t, None) if site is not None else None
        row[f"{t}_code"] = territory.code if territory is not None else None
    for n in INDICATORS:
        ind = outcome.results.indicators[n] if outcome.ok else None
        row[n] = ind.central if ind is not None else None
        row[f"{n}_low"] = ind.low if ind is not None else None
        row[f"{n}_high"] = ind.high if ind is not None else None
    return row


def estimate_many(projects_or_registry, *, draws: int | None = None, seed: int | None = None):
    """Estimate many sites: one row per site, central / low / high per indicator.

    Parameters
    ----------
    projects_or_registry : path, or list of Project or (row, Project)
        A registry file (CSV or GeoJSON), or projects.
    draws, seed : int, optional
        As for :func:`impact.estimate`.

    Returns
    -------
    pandas.DataFrame
        Columns ``row, name, city, status, result, source``, then for each
        indicator ``<name>`` (central), ``<name>_low`` and ``<name>_high``.
        A site that failed has ``result`` = ``error: ...`` and empty values.
    """
    import pandas as pd

    rows = [_row(o) for o in site_outcomes(projects_or_registry, draws=draws, seed=seed)]
    return pd.DataFrame(rows).drop(columns="level")


def site_outcomes(projects_or_registry, *, draws: int | None = None, seed: int | None = None) -> list[SiteOutcome]:
    """Estimate many sites and keep each one's full results, for :func:`city_total`.

    Same input, draws and seed as :func:`estimate_many` (so the same figures), but
    one :class:`SiteOutcome` per site, in row order, with its ``project``,
    ``results`` (draws included) or ``error``; bad registry rows are outcomes with
    an ``error``. For a notebook::

        outcomes = site_outcomes("data/registries/marseille.csv")
        marseille = city_total("Marseille", [o for o in outcomes if o.city == "Marseille"])
    """
    from .engine import DEFAULT_DRAWS, DEFAULT_SEED

    pairs, bad = _projects(projects_or_registry)
    outcomes = [_estimate_site(n, p, draws or DEFAULT_DRAWS, DEFAULT_SEED if seed is None else seed)
                for n, p in pairs] + bad
    return sorted(outcomes, key=lambda o: o.row)


# ----------------------------------------------------------------------------- cities
@dataclass
class CityTotal:
    """The cumulative impact of a city's sites."""

    city: str  # the territory's name (a commune, a département...)
    sites: list[SiteOutcome]
    indicators: dict  # name -> Indicator (sums over the sites that could be estimated)
    failed: list[SiteOutcome]
    level: str = "commune"  # what the territory is: commune, departement, epci or region


def city_total(city: str, outcomes: list[SiteOutcome], level: str = "commune") -> CityTotal:
    """Sum the sites of ``city`` (a territory at ``level``) draw by draw (see the module docstring)."""
    import numpy as np

    from .model import uncertainty
    from .results import Indicator, clean_number

    outcomes = sorted(outcomes, key=lambda o: o.row)  # the same order (and sums) whatever the jobs
    ok = [o for o in outcomes if o.ok]
    failed = [o for o in outcomes if not o.ok]
    indicators = {}
    for name in ADDITIVE:
        known = [o for o in ok if o.results[name].known]
        missing = tuple(o.name for o in ok if not o.results[name].known)
        unit = INDICATORS[name].unit
        if not known:
            indicators[name] = Indicator(name, unit, None, None, None, "unknown", "sum over the sites", (),
                                         "unknown for every site", missing)
            continue
        central = float(sum(o.results[name].central for o in known))
        draws = sum(np.asarray(o.results.samples[name], dtype=float) for o in known)
        lo, hi = uncertainty.percentiles(draws)
        lo, hi = min(lo, central), max(hi, central)
        partial = bool(missing) or any(o.results[name].status == "partial" for o in known)
        note = f"partial: unknown for {', '.join(missing)}" if missing else ""
        indicators[name] = Indicator(name, unit, clean_number(lo), central, clean_number(hi),
                                     "partial" if partial else "estimated", "sum over the sites, draw by draw",
                                     (), note, missing)
    # Shares of a territory, from the summed peak and energy: only when every site refers
    # to the same figure (the same commune, département...); a département's report has no
    # single commune, so its sites' shares of their communes are not added up.
    for share, total, key in SHARES:
        recs = [o.results.inputs.get(key) for o in ok]
        values = {None if r is None or r.value is None else r.value.central for r in recs}
        t = indicators[total]
        if recs and len(values) == 1 and None not in values and t.known:
            whole = values.pop()
            indicators[share] = Indicator(share, "-", t.low / whole, t.central / whole, t.high / whole, t.status,
                                          f"{total} / {key}", (recs[0].source,), t.note, t.missing)
        else:
            why = ("the sites lie in different territories" if len(values) > 1 else f"no figure for {city}")
            indicators[share] = Indicator(share, "-", None, None, None, "unknown", f"{total} / {key}", (),
                                          f"unknown: {why}", ())
    return CityTotal(city, ok, indicators, failed, level)


def _city_row(total: CityTotal) -> dict:
    statuses = sorted({o.status for o in total.sites + total.failed if o.status})
    row = {"level": total.level, "row": None, "name": total.city, "city": total.city,
           "status": ", ".join(statuses), "source": "",
           "result": "ok" if not total.failed else f"error: {len(total.failed)} site(s) failed"}
    for n in INDICATORS:
        ind = total.indicators.get(n)
        row[n] = ind.central if ind is not None else None
        row[f"{n}_low"] = ind.low if ind is not None else None
        row[f"{n}_high"] = ind.high if ind is not None else None
    return row


def territory_groups(projects: list, bad_cities: list[str], by: str = "commune") -> list[str]:
    """The report each site goes to: its territory's name at level ``by``.

    Sites are placed from their coordinates (or their declared city's name, see
    :func:`impact.site.place_site`); a site that cannot be placed goes to the report of
    its declared city, as do bad registry rows (``bad_cities``). Two territories with
    the same name (homonymous communes) are told apart by their code.

    Returns
    -------
    list of str
        One name per project, then one per bad row, in order.
    """
    from .site import place_site

    level = "commune" if by == "city" else by
    keys: list[tuple[str, str]] = []
    for p in projects:
        t = place_site(p).territory(level)
        keys.append(t if t is not None else ("", (p.city or "").strip() or "?"))
    keys += [("", (c or "").strip() or "?") for c in bad_cities]
    codes_by_name: dict[str, set[str]] = {}
    for code, name in keys:
        codes_by_name.setdefault(name, set()).add(code)
    return [f"{name} ({code})" if code and len(codes_by_name[name]) > 1 else name for code, name in keys]


#: A territory's frame widened by this much when finding the other sites its map can show [m]:
#: for rounding between two projections of the same point.
NEIGHBOUR_MARGIN_M = 100.0


def map_neighbours(groups: list[str], projects: list) -> dict[str, list[int]]:
    """For each territory, the indices of the other territories' projects its map can show.

    The map's frame is rebuilt as the map builds it
    (:func:`impact.report.city.territory_map_frame`); another project is a neighbour when it
    is drawn in it (at its coordinates, or at its commune's inside point when it has none),
    or named in its notes (placed nowhere, its declared city the name of a commune the frame
    shows).
    """
    import numpy as np
    import shapely
    from pyproj import Transformer

    from .report.city import territory_map_frame
    from .report.map_layers import commune_of, frame_communes, map_point

    points = [map_point(p) for p in projects]
    lat, lon = np.array([pt if pt is not None else (np.nan, np.nan) for pt in points], dtype=float).reshape(-1, 2).T
    communes = [commune_of(p) for p in projects]
    out: dict[str, list[int]] = {}
    for group in dict.fromkeys(groups):
        frame = territory_map_frame([p for p, g in zip(projects, groups) if g == group])
        if frame is None:
            out[group] = []
            continue
        xs, ys = Transformer.from_crs(4326, frame.crs, always_xy=True).transform(lon, lat)
        with np.errstate(invalid="ignore"):
            drawn = shapely.contains_xy(shapely.buffer(frame.polygon, NEIGHBOUR_MARGIN_M), xs, ys)
        nowhere = [j for j, p in enumerate(projects) if p.location is None and communes[j] is None]
        names = {str(n).casefold() for n in frame_communes(frame)["name"]} if nowhere else set()
        noted = {j for j in nowhere if (projects[j].city or "").strip().casefold() in names}
        out[group] = [j for j in range(len(projects)) if groups[j] != group and (bool(drawn[j]) or j in noted)]
    return out


def city_filename(city: str) -> str:
    """``Marseille.pdf``, ``Bouc-Bel-Air.pdf``: the city's name, safe as a file name."""
    name = re.sub(r"[^\w\-]+", "-", city.strip(), flags=re.UNICODE).strip("-") or "sans-ville"
    return f"{name}.pdf"


def _tool_fingerprint(lang: str, by: str = "commune") -> bytes:
    """What every report of a batch depends on: the tool, its templates, reference and
    France-wide data, and the grouping."""
    from .engine import shipped_data_digest
    from .paths import data_dir, templates_dir

    h = hashlib.sha256()
    h.update(f"{__version__}|{lang}|{by}".encode())
    h.update(shipped_data_digest())
    for folder in (templates_dir(), data_dir() / "reference", data_dir() / "basemap", data_dir() / "geo"):
        for f in sorted(folder.rglob("*")):  # the templates' catalogue is in sub-folders
            if f.is_file():
                h.update(f.relative_to(folder).as_posix().encode())
                h.update(f.read_bytes())
    return h.digest()


def city_fingerprint(outcomes: list[SiteOutcome], lang: str, tool: bytes | None = None,
                     neighbours: list[SiteOutcome] = ()) -> str:
    """What a city report depends on: the tool, templates, reference data (``tool``, from
    :func:`_tool_fingerprint`, computed if not given), its sites (``outcomes``, estimated
    or not yet) and the registry's other sites its map can show (``neighbours``)."""
    h = hashlib.sha256(tool if tool is not None else _tool_fingerprint(lang))
    for o in sorted(outcomes, key=lambda o: o.row) + [None] + sorted(neighbours, key=lambda o: o.row):
        if o is None:  # between the sites and the neighbours
            h.update(b"|neighbours|")
            continue
        h.update(f"{o.row}|{o.name}|{o.status}|{o.source}|{o.error}".encode())
        if o.project is not None:
            # repr for values JSON has no type for (ranges, ``unknown``), as the estimate's fingerprint does
            h.update(json.dumps(o.project.model_dump(), sort_keys=True, default=repr).encode())
    return h.hexdigest()


@dataclass
class BatchOutcome:
    sites: list[SiteOutcome]
    cities: list[CityTotal]
    written: list[Path]
    skipped: list[Path]
    #: (kind, city, seconds) of every task: ``site``, ``map``, ``chart`` or ``render``.
    tasks: list[tuple[str, str, float]] = field(default_factory=list)

    @property
    def failed(self) -> list[SiteOutcome]:
        return [o for o in self.sites if not o.ok]


def _check_outputs(outdir: Path, names: list[str], force: bool) -> dict:
    manifest_path = outdir / MANIFEST
    manifest = {}
    if manifest_path.exists():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
    if not force:
        for name in names:
            path = outdir / name
            if path.exists() and name not in manifest:
                raise InputError(str(path), "already exists and was not written by impact batch; "
                                            "use --force to overwrite it")
    return manifest


def run_batch(registry: Path, outdir: Path, *, by: str = "commune", jobs: int = 1, force: bool = False,
              lang: str = "fr", date: str | None = None, draws: int | None = None,
              progress: bool | None = None, log=None) -> BatchOutcome:
    """Estimate every site of ``registry`` and write the reports into ``outdir``.

    The work is a set of tasks: estimate a site, draw a city's map (it needs no
    estimate), draw a city's chart (once its sites are estimated), render a city's
    report (once its map and chart are drawn). With ``jobs`` > 1 they run in that
    many processes; the next task is always the most advanced one of the city with
    the most sites, so that the longest chain of work starts first.

    Raises
    ------
    InputError
        for an unreadable registry, a bad argument, or an output file that
        ``impact batch`` did not write (without ``force``).
    """
    from .engine import DEFAULT_DRAWS, DEFAULT_SEED
    from .report.dossier import dossier_date

    if by not in GROUPINGS:
        raise InputError("--by", f"must be one of {', '.join(GROUPINGS)}, got {by!r}")
    if jobs < 1:
        raise InputError("--jobs", f"must be at least 1, got {jobs}")
    registry, outdir = Path(registry), Path(outdir)
    day = dossier_date(date)
    log = log or (lambda msg: print(msg, file=sys.stderr))
    pairs, bad = _projects(registry)
    outdir.mkdir(parents=True, exist_ok=True)

    # Every site of every territory, before any estimate (bad rows included).
    groups = territory_groups([p for _, p in pairs], [o.city for o in bad], by)
    planned: dict[str, list[SiteOutcome]] = {}
    outcome_of = []  # the planned outcome of each pair, in order
    for (n, p), group in zip(pairs, groups):
        meta = _site_meta(p)
        outcome_of.append(SiteOutcome(n, p.name, p.city or "", meta["status"], meta["source"], p))
        planned.setdefault(group, []).append(outcome_of[-1])
    for o, group in zip(bad, groups[len(pairs):]):
        planned.setdefault(group, []).append(o)
    cities_all = sorted(planned)
    outputs = [city_filename(c) for c in cities_all] + ["summary.csv", "sites.gpkg"]
    manifest = _check_outputs(outdir, outputs, force)
    for o in bad:
        log(f"{o.error}")

    draws = draws or DEFAULT_DRAWS
    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=len(pairs) + len(cities_all), desc="impact batch", unit="task", disable=not show,
               file=sys.stderr)

    # The biggest city first: its chain (sites, chart, report) is the longest.
    rank = {c: k for k, c in enumerate(sorted(cities_all, key=lambda c: (-len(planned[c]), c)))}
    outcomes: list[SiteOutcome] = list(bad)
    by_city: dict[str, list[SiteOutcome]] = {c: [o for o in planned[c] if not o.ok] for c in cities_all}
    left = {c: sum(1 for o in planned[c] if o.ok) for c in cities_all}
    totals: dict[str, CityTotal] = {}
    maps: dict[str, Any] = {}
    charts: dict[str, Any] = {}
    to_render: dict[str, Path] = {}
    written, skipped = [], []
    new_manifest = dict(manifest)
    tables_written = []

    tool = _tool_fingerprint(lang, by)
    # The registry's other sites a territory's map can show: part of its report's fingerprint.
    near = map_neighbours(groups[:len(pairs)], [p for _, p in pairs])
    neighbours = {c: [outcome_of[j] for j in near.get(c, [])] for c in cities_all}

    def current(city, fp) -> bool:
        return not force and (outdir / city_filename(city)).exists() and manifest.get(city_filename(city)) == fp

    def write_tables():
        """summary.csv and sites.gpkg (always rewritten: cheap, and they list every site)."""
        import pandas as pd

        done = sorted(outcomes, key=lambda o: o.row)
        for o in done:
            if not o.ok and o not in bad:
                log(f"{registry.name} row {o.row} ({o.name}): {o.error}")
        rows = [_row(o) for o in done] + [_city_row(totals[c]) for c in cities_all]
        summary = pd.DataFrame(rows)
        summary["row"] = summary["row"].astype("Int64")
        write_atomic(outdir / "summary.csv", summary.to_csv(index=False, lineterminator="\n").encode("utf-8"))
        _write_sites_gpkg(done, outdir / "sites.gpkg")
        tables_written.append(True)

    # Tasks: (rank of the city, stage) orders them; later stages of a city come first.
    STAGE = {"render": 0, "chart": 1, "map": 2, "site": 3}
    ready: list = []
    order = itertools.count()

    def push(kind, city, fn, *args):
        heapq.heappush(ready, ((rank[city], STAGE[kind], next(order)), kind, city, fn, args))

    def push_map(city):
        sites = [(o.name, o.project) for o in sorted(planned[city], key=lambda o: o.row)]
        maps[city] = None  # submitted
        push("map", city, _map_task, city, sites, lang, list(pairs))

    def sites_done(city):
        total = totals[city] = city_total(city, by_city[city], "commune" if by == "city" else by)
        fp = city_fingerprint(total.sites + total.failed, lang, tool, neighbours[city])
        if current(city, fp):
            skipped.append(outdir / city_filename(city))
            bar.update()
            return
        new_manifest[city_filename(city)] = fp
        to_render[city] = outdir / city_filename(city)
        if city not in maps:
            push_map(city)
        if total.sites:
            push("chart", city, _chart_task, total, lang)
        else:
            charts[city] = None
        render_if_ready(city)

    def render_if_ready(city):
        if city in to_render and maps.get(city) is not None and city in charts:
            push("render", city, _render_city, totals[city], to_render[city], lang, day, maps[city], charts[city])

    for city in cities_all:
        # A map needs no estimate: draw it early, unless the report looks up to date already.
        if not current(city, city_fingerprint(planned[city], lang, tool, neighbours[city])):
            push_map(city)
        for o in planned[city]:
            if o.ok:
                push("site", city, _estimate_site, o.row, o.project, draws, DEFAULT_SEED, False)
    for city in cities_all:
        if left[city] == 0:
            sites_done(city)

    tasks: list[tuple[str, str, float]] = []

    def finished(kind, city, timed):
        result, seconds = timed
        tasks.append((kind, city, seconds))
        if kind == "site":
            outcomes.append(result)
            by_city[city].append(result)
            left[city] -= 1
            bar.update()
            if left[city] == 0:
                sites_done(city)
        elif kind == "map":
            maps[city] = result
            render_if_ready(city)
        elif kind == "chart":
            charts[city] = result
            render_if_ready(city)
        else:
            written.append(result)
            bar.update()

    def tables_due() -> bool:
        return not tables_written and len(totals) == len(cities_all)

    if jobs == 1:
        while ready:
            _, kind, city, fn, args = heapq.heappop(ready)
            finished(kind, city, _timed(fn, *args))
    else:
        import gc
        import multiprocessing

        # Each worker imports what its tasks need (matplotlib, WeasyPrint), in parallel
        # with the other: measured, as fast as importing all of it here first, and the
        # parent forks without graphics libraries loaded. The workers share the parent's
        # memory until they write to it; the garbage collector would write to every
        # object it scans: keep it off the inherited ones.
        gc.freeze()
        try:
            ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
            with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
                running: dict = {}
                while ready or running:
                    # Never more tasks than workers in the pool: the order above decides what runs next.
                    while ready and len(running) < jobs:
                        _, kind, city, fn, args = heapq.heappop(ready)
                        running[pool.submit(_timed, fn, *args)] = (kind, city)
                    if tables_due():
                        write_tables()  # every site is estimated: while the last reports render
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for fut in done:
                        kind, city = running.pop(fut)
                        finished(kind, city, fut.result())
        finally:
            gc.unfreeze()
    bar.close()
    if not tables_written:
        write_tables()
    outcomes.sort(key=lambda o: o.row)
    written.sort(key=lambda p: p.name)
    new_manifest["summary.csv"] = new_manifest["sites.gpkg"] = "always"
    write_atomic(outdir / MANIFEST, json.dumps(new_manifest, indent=1, sort_keys=True).encode("utf-8"))
    written += [outdir / "summary.csv", outdir / "sites.gpkg"]
    return BatchOutcome(outcomes, [totals[c] for c in cities_all], written, skipped, tasks)


def _timed(fn, *args):
    """Run a task and measure it (in the worker: the time of the task, not of the queue)."""
    import time

    t0 = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - t0


def _write_sites_gpkg(outcomes: list[SiteOutcome], path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    records, geoms = [], []
    for o in outcomes:
        rec = {"row": o.row, "name": o.name, "city": o.city, "status": o.status,
               "result": "ok" if o.ok else f"error: {o.error}", "source": o.source}
        for n in INDICATORS:
            rec[n] = o.results.indicators[n].central if o.ok else None
        loc = o.project.location if o.project is not None else None
        geoms.append(Point(loc.lon, loc.lat) if loc is not None else None)
        records.append(rec)
    gdf = gpd.GeoDataFrame(records, geometry=geoms, crs="EPSG:4326")
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.gpkg")
    try:
        if tmp.exists():
            tmp.unlink()
        gdf.to_file(tmp, layer="sites", driver="GPKG")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _render_city(total: CityTotal, target: Path, lang: str, day, map_data=None, chart=None) -> Path:
    from .report.city import write_city_report

    write_city_report(total, target, lang=lang, date=day, map_data=map_data, chart=chart)
    return target


def _map_task(city: str, sites: list, lang: str, registry: list | None = None):
    from .report.city import city_map

    return city_map(city, sites, lang, registry)


def _chart_task(total: CityTotal, lang: str):
    from .report.city import city_chart

    return city_chart(total, lang)
