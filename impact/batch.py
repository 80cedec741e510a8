"""Many sites at once: a registry becomes estimates, city totals and reports.

:func:`estimate_many` gives one row per site (central, low and high of every
indicator). :func:`run_batch` writes one PDF per city with the cumulative impact of
its sites, ``summary.csv`` (one row per site and per city) and ``sites.gpkg``. Each
site and each report is isolated: a bad row, any exception, even a worker process that
dies, fails that row or that report only, and the others go on. The manifest is written
as reports complete, so an interrupted batch resumes where it stopped, and a second run
skips the reports that are up to date.

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
import unicodedata
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import InputError
from .fileio import write_atomic
from .indicators import INDICATORS
from .textsafe import csv_safe_frame, strip_controls, terminal_text

#: Indicators that add up across sites (others, such as the PUE or shares, do not).
ADDITIVE = tuple(n for n, info in INDICATORS.items() if info.unit not in ("-",) and not n.startswith("pue"))
MANIFEST = ".impact-batch.json"
#: Shares of a territory: (share indicator, summed indicator, the territory's figure).
SHARES = (
    ("share_of_city_peak_demand", "peak_demand_mw", "city.peak_demand_mw"),
    ("share_of_city_electricity", "facility_energy_mwh", "city.annual_electricity_mwh"),
    ("share_of_departement_electricity", "facility_energy_mwh", "departement.annual_electricity_mwh"),
    ("share_of_region_electricity", "facility_energy_mwh", "region.annual_electricity_mwh"),
    ("share_of_france_electricity", "facility_energy_mwh", "france.annual_electricity_mwh"),
    ("share_of_france_datacentres", "facility_energy_mwh", "france.datacentres_electricity_mwh"),
)
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
    error: str | None = None  # one line
    #: The fields an :class:`InputError` names (its problems' dotted paths): the words of a
    #: report in another language than the message's name them (docs/one-language.md).
    error_fields: tuple[str, ...] = ()
    #: The traceback of an unexpected exception (for the batch's log file, never the terminal).
    trace: str | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None


#: The longest message of an unexpected exception kept for a row or a report [characters].
MESSAGE_CHARS = 300


def error_fields(exc: BaseException) -> tuple[str, ...]:
    """The fields an :class:`InputError` names, once each in order (none for another exception)."""
    if not isinstance(exc, InputError):
        return ()
    return tuple(dict.fromkeys(f for f, _ in exc.problems if f))


def one_line(exc: BaseException) -> str:
    """The message of ``exc`` on one printable line: an :class:`InputError`'s problems joined
    by ``; ``; any other exception as ``Type: message``, cut at :data:`MESSAGE_CHARS`."""
    if isinstance(exc, InputError):
        lines = exc.message.splitlines()
        limit = None
    else:
        try:
            text = str(exc)
        except Exception:  # a __str__ that fails is still reported
            text = ""
        lines = [f"{type(exc).__name__}: {text}" if text.strip() else type(exc).__name__]
        limit = MESSAGE_CHARS
    text = "; ".join(" ".join(strip_controls(line).split()) for line in lines if line.strip())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _traceback() -> str:
    import traceback

    return "\n".join(strip_controls(line, "") for line in traceback.format_exc().splitlines())


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
            bad.append(
                SiteOutcome(
                    n,
                    str(cells.get("name") or f"row {n}"),
                    str(cells.get("city") or ""),
                    str(cells.get("status") or ""),
                    str(cells.get("source") or ""),
                    error=one_line(exc),
                )
            )
        return list(rows), bad
    pairs = []
    for i, item in enumerate(projects_or_registry, start=1):
        pairs.append(item if isinstance(item, tuple) else (i, item))
    return pairs, []


def _estimate_site(
    row: int, project, draws: int, seed: int, keep_hourly: bool = True, all_draws: bool = True
) -> SiteOutcome:
    """Estimate one site (runs in a worker process); any exception fails this site only.

    ``keep_hourly=False`` drops the hourly frame, which city reports do not use, and
    ``all_draws=False`` keeps only the draws that city totals add up (:data:`ADDITIVE`),
    so that neither is sent back between processes nor kept. The error is one line
    (:func:`one_line`); an exception other than :class:`InputError` keeps its traceback
    in ``trace``.
    """
    from .engine import estimate

    meta = _site_meta(project)
    out = SiteOutcome(row, project.name, project.city or "", meta["status"], meta["source"], project)
    try:
        out.results = estimate(project, draws=draws, seed=seed)
        if not keep_hourly:
            out.results.hourly = None
        if not all_draws:
            samples = out.results.samples
            out.results.samples = samples[[n for n in ADDITIVE if n in samples.columns]]
    except InputError as exc:
        out.error, out.results, out.error_fields = one_line(exc), None, error_fields(exc)
    except Exception as exc:  # a bug on one site's path: that site fails, the others go on
        out.error, out.results, out.trace = one_line(exc), None, _traceback()
    return out


def _row(outcome: SiteOutcome, level: str = "site") -> dict:
    row = {
        "level": level,
        "row": outcome.row,
        "name": outcome.name,
        "city": outcome.city,
        "status": outcome.status,
        "result": "ok" if outcome.ok else f"error: {outcome.error}",
        "source": outcome.source,
    }
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


def estimate_many(projects_or_registry, *, draws: int | None = None, seed: int | None = None, jobs: int = 1):
    """Estimate many sites: one row per site, central / low / high per indicator.

    Parameters
    ----------
    projects_or_registry : path, or list of Project or (row, Project)
        A registry file (CSV or GeoJSON), or projects.
    draws, seed : int, optional
        As for :func:`impact.estimate`.
    jobs : int
        Processes estimating the sites (1: in this one). The same rows whatever the jobs.

    Returns
    -------
    pandas.DataFrame
        Columns ``row, name, city, status, result, source``, then for each
        indicator ``<name>`` (central), ``<name>_low`` and ``<name>_high``.
        A site that failed has ``result`` = ``error: ...`` and empty values.
    """
    import pandas as pd

    rows: list[dict] = []
    # Each site's row as it comes back: its draws and hourly table are not kept.
    _each_outcome(projects_or_registry, draws, seed, jobs, lambda o: rows.append(_row(o)), keep_hourly=False)
    rows.sort(key=lambda r: r["row"])
    return pd.DataFrame(rows).drop(columns="level")


def site_outcomes(
    projects_or_registry,
    *,
    draws: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    keep_hourly: bool = False,
) -> list[SiteOutcome]:
    """Estimate many sites and keep each one's full results, for :func:`city_total`.

    Same input, draws and seed as :func:`estimate_many` (so the same figures), but
    one :class:`SiteOutcome` per site, in row order, with its ``project``,
    ``results`` (draws included; the hourly table only with ``keep_hourly``) or
    ``error``; bad registry rows are outcomes with an ``error``. ``jobs`` processes
    estimate the sites. For a notebook::

        outcomes = site_outcomes("data/registries/marseille.csv")
        marseille = city_total("Marseille", [o for o in outcomes if o.city == "Marseille"])
    """
    outcomes: list[SiteOutcome] = []
    _each_outcome(projects_or_registry, draws, seed, jobs, outcomes.append, keep_hourly=keep_hourly)
    return sorted(outcomes, key=lambda o: o.row)


def _each_outcome(projects_or_registry, draws, seed, jobs: int, take, *, keep_hourly: bool) -> None:
    """Estimate every site, isolated (:class:`_Executor`), and hand each outcome to ``take``
    as it comes (bad registry rows first)."""
    from .engine import DEFAULT_DRAWS, DEFAULT_SEED

    if jobs < 1:
        raise InputError("jobs", f"must be at least 1, got {jobs}")
    pairs, bad = _projects(projects_or_registry)
    for o in bad:
        take(o)
    sites = _Sites(take)
    for n, p in pairs:
        args = (n, p, draws or DEFAULT_DRAWS, DEFAULT_SEED if seed is None else seed, keep_hourly)
        sites.push(_Task("site", None, _estimate_site, args, p.name, n, project=p))
    sites.run(jobs)


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
            indicators[name] = Indicator(
                name, unit, None, None, None, "unknown", "sum over the sites", (), "unknown for every site", missing
            )
            continue
        central = float(sum(o.results[name].central for o in known))
        draws = sum(np.asarray(o.results.samples[name], dtype=float) for o in known)
        lo, hi = uncertainty.percentiles(draws)
        lo, hi = min(lo, central), max(hi, central)
        partial = bool(missing) or any(o.results[name].status == "partial" for o in known)
        note = f"partial: unknown for {', '.join(missing)}" if missing else ""
        indicators[name] = Indicator(
            name,
            unit,
            clean_number(lo),
            central,
            clean_number(hi),
            "partial" if partial else "estimated",
            "sum over the sites, draw by draw",
            (),
            note,
            missing,
        )
    # Shares of a territory, from the summed peak and energy: only when every site refers
    # to the same figure (the same commune, département...); a département's report has no
    # single commune, so its sites' shares of their communes are not added up.
    for share, total, key in SHARES:
        recs = [o.results.inputs.get(key) for o in ok]
        values = {None if r is None or r.value is None else r.value.central for r in recs}
        t = indicators[total]
        whole = next(iter(values)) if len(values) == 1 else None
        if recs and whole is not None and t.low is not None and t.central is not None and t.high is not None:
            indicators[share] = Indicator(
                share,
                "-",
                t.low / whole,
                t.central / whole,
                t.high / whole,
                t.status,
                f"{total} / {key}",
                (recs[0].source,),
                t.note,
                t.missing,
            )
        else:
            why = "the sites lie in different territories" if len(values) > 1 else f"no figure for {city}"
            indicators[share] = Indicator(
                share, "-", None, None, None, "unknown", f"{total} / {key}", (), f"unknown: {why}", ()
            )
    return CityTotal(city, ok, indicators, failed, level)


def _city_row(total: CityTotal, report_error: str | None = None) -> dict:
    statuses = sorted({o.status for o in total.sites + total.failed if o.status})
    problems = [f"{len(total.failed)} site(s) failed"] if total.failed else []
    if report_error:
        problems.append(f"report not written: {report_error}")
    row = {
        "level": total.level,
        "row": None,
        "name": total.city,
        "city": total.city,
        "status": ", ".join(statuses),
        "source": "",
        "result": "ok" if not problems else "error: " + "; ".join(problems),
    }
    for n in INDICATORS:
        ind = total.indicators.get(n)
        row[n] = ind.central if ind is not None else None
        row[f"{n}_low"] = ind.low if ind is not None else None
        row[f"{n}_high"] = ind.high if ind is not None else None
    return row


# ----------------------------------------------------------------------------- territories
@dataclass(frozen=True)
class Territory:
    """A report of a batch: the territory of its sites, and the file that holds it.

    Attributes
    ----------
    code : str
        The territory's code from :mod:`impact.site` (INSEE code of a commune, département or
        région; SIREN of an EPCI), or ``""`` when its sites are placed nowhere: then they are
        grouped by their declared city, written exactly (two spellings are two territories).
    name : str
        As shown in its report and in ``summary.csv``: the territory's name, with its code
        when another territory of the batch bears the same name.
    file : str
        Its report's file name (:func:`territory_filename`).
    """

    code: str
    name: str
    file: str


#: The longest name part of a report's file name [bytes of UTF-8]: with the code and
#: ``.pdf`` a file name stays under 100 bytes (most file systems allow 255).
FILE_NAME_BYTES = 72


def _slug(text: str, limit: int) -> str:
    """``text`` as letters, digits and ``-`` only (NFC), at most ``limit`` bytes of UTF-8."""
    text = unicodedata.normalize("NFC", strip_controls(str(text)))
    slug = re.sub(r"[^\w]+", "-", text).strip("-_")
    return slug.encode("utf-8")[:limit].decode("utf-8", "ignore").strip("-_")


def territory_filename(name: str, code: str = "") -> str:
    """The file name of a territory's report: ``Marseille-13055.pdf``, ``Seine-Saint-Denis-93.pdf``.

    The name's letters, digits and hyphens (cut at :data:`FILE_NAME_BYTES`), then the
    territory's code, or for a territory placed nowhere (``code`` empty) the first 8 hex
    digits of the SHA-256 of its declared name: distinct territories get distinct names,
    the same one always the same, never a path separator, ``..``, or an empty name.
    """
    slug = _slug(name, FILE_NAME_BYTES) or "territoire"
    if code:
        tag = _slug(code, 16) or hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    else:
        tag = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug}-{tag}.pdf"


def _declared(city) -> str:
    return strip_controls(str(city or "")).strip() or "?"


def territories(projects: list, bad_cities: list[str], by: str = "commune") -> list[Territory]:
    """The report each site goes to: its :class:`Territory` at level ``by``.

    Sites are placed from their coordinates (or their declared city's name, see
    :func:`impact.site.place_site`); a site that cannot be placed goes to the report of
    its declared city, as do bad registry rows (``bad_cities``). Two territories with
    the same name (homonymous communes) are told apart by their code.

    Returns
    -------
    list of Territory
        One per project, then one per bad row, in order.
    """
    from .site import place_site

    level = "commune" if by == "city" else by
    keys: list[tuple[str, str]] = []
    for p in projects:
        try:
            t = place_site(p).territory(level)
        except Exception:  # its own estimate will say what is wrong with the site
            t = None
        keys.append(t if t is not None else ("", _declared(p.city)))
    keys += [("", _declared(c)) for c in bad_cities]
    codes_by_name: dict[str, set[str]] = {}
    for code, name in keys:
        codes_by_name.setdefault(name, set()).add(code)
    files: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    for code, name in sorted(set(keys)):
        base = f = territory_filename(name, code)
        k = 1
        while f.casefold() in taken:  # an 8-digit digest in common: a suffix, stable for a registry
            k += 1
            f = f"{base.removesuffix('.pdf')}-{k}.pdf"
        taken.add(f.casefold())
        files[(code, name)] = f
    out = {
        k: Territory(k[0], f"{k[1]} ({k[0]})" if k[0] and len(codes_by_name[k[1]]) > 1 else k[1], files[k])
        for k in files
    }
    return [out[k] for k in keys]


def territory_groups(projects: list, bad_cities: list[str], by: str = "commune") -> list[str]:
    """The name of the territory of each site (:func:`territories`), as shown in its report."""
    return [t.name for t in territories(projects, bad_cities, by)]


#: A territory's frame widened by this much when finding the other sites its map can show [m]:
#: for rounding between two projections of the same point.
NEIGHBOUR_MARGIN_M = 100.0


def map_neighbours(groups: Sequence[Hashable], projects: list) -> dict[Any, list[int]]:
    """For each territory, the indices of the other territories' projects its map can show.

    The map's frame is rebuilt as the map builds it
    (:func:`impact.report.city.territory_map_frame`); another project is a neighbour when it
    is drawn in it (at its coordinates, or at its commune's inside point when it has none),
    or named in its notes (placed nowhere, its declared city the name of a commune the frame
    shows).
    """
    import numpy as np
    import shapely

    from .report.city import territory_map_frame
    from .report.map_layers import commune_of, frame_communes, map_point, transformer

    points = [map_point(p) for p in projects]
    lat, lon = np.array([pt if pt is not None else (np.nan, np.nan) for pt in points], dtype=float).reshape(-1, 2).T
    communes = [commune_of(p) for p in projects]
    out: dict[Any, list[int]] = {}
    for group in dict.fromkeys(groups):
        frame = territory_map_frame([p for p, g in zip(projects, groups, strict=True) if g == group])
        if frame is None:
            out[group] = []
            continue
        xs, ys = transformer(4326, frame.crs).transform(lon, lat)
        with np.errstate(invalid="ignore"):
            drawn = shapely.contains_xy(shapely.buffer(frame.polygon, NEIGHBOUR_MARGIN_M), xs, ys)
        nowhere = [j for j, p in enumerate(projects) if p.location is None and communes[j] is None]
        names = {str(n).casefold() for n in frame_communes(frame)["name"]} if nowhere else set()
        noted = {j for j in nowhere if (projects[j].city or "").strip().casefold() in names}
        out[group] = [j for j in range(len(projects)) if groups[j] != group and (bool(drawn[j]) or j in noted)]
    return out


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


def city_fingerprint(
    outcomes: list[SiteOutcome],
    lang: str,
    tool: bytes | None = None,
    neighbours: Sequence[SiteOutcome] = (),
    territory: str = "",
) -> str:
    """What a city report depends on: the tool, templates, reference data (``tool``, from
    :func:`_tool_fingerprint`, computed if not given), the territory's name as shown
    (``territory``), its sites (``outcomes``, estimated or not yet) and the registry's other
    sites its map can show (``neighbours``)."""
    h = hashlib.sha256(tool if tool is not None else _tool_fingerprint(lang))
    h.update(f"|territory|{territory}|".encode("utf-8", "surrogatepass"))
    for o in [*sorted(outcomes, key=lambda o: o.row), None, *sorted(neighbours, key=lambda o: o.row)]:
        if o is None:  # between the sites and the neighbours
            h.update(b"|neighbours|")
            continue
        h.update(f"{o.row}|{o.name}|{o.status}|{o.source}|{o.error}".encode("utf-8", "surrogatepass"))
        if o.project is not None:
            # repr for values JSON has no type for (ranges, ``unknown``), as the estimate's fingerprint does
            h.update(json.dumps(o.project.model_dump(), sort_keys=True, default=repr).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


@dataclass
class BatchOutcome:
    #: Every site, in row order; their results without draws (added up in ``cities``) nor hourly table.
    sites: list[SiteOutcome]
    cities: list[CityTotal]
    written: list[Path]
    skipped: list[Path]
    #: (kind, city, seconds) of every task: ``site``, ``map``, ``chart`` or ``render``.
    tasks: list[tuple[str, str, float]] = field(default_factory=list)
    #: The territories whose report could not be written: name -> why (one line).
    reports_failed: dict[str, str] = field(default_factory=dict)
    territories: list[Territory] = field(default_factory=list)
    #: The log of the failures (with the tracebacks of unexpected errors), if any failed.
    log: Path | None = None
    #: Worker pools started: one, plus one for each time a worker died.
    pools: int = 0

    @property
    def failed(self) -> list[SiteOutcome]:
        return [o for o in self.sites if not o.ok]


# ----------------------------------------------------------------------------- manifest
#: The log of a batch's failures, in its output folder (written only when something failed).
LOG = "impact-batch.log"
#: The largest manifest read [bytes]: about 300,000 reports.
MANIFEST_BYTES = 64 * 1024 * 1024


class _Manifest:
    """The batch's record of the files it wrote (:data:`MANIFEST` in the output folder).

    Each file has its territory and the fingerprint of the inputs it was built from
    (``None``: claimed, not built yet or built from unrecorded inputs). Every file a
    batch will write is claimed before any work, and a report's fingerprint recorded as
    soon as it is written, atomically: an interrupted batch leaves a manifest that knows
    every file it wrote, so that the next run takes them for its own and redoes only
    what is missing or out of date.
    """

    FORMAT = 2

    def __init__(self, path: Path):
        self.path = path
        self.files: dict[str, dict] = {}
        data: Any = {}
        try:
            import stat

            st = path.stat()
            if stat.S_ISREG(st.st_mode) and st.st_size <= MANIFEST_BYTES:
                data = json.loads(path.read_bytes().decode("utf-8"))
        except (OSError, ValueError):  # absent or unreadable: no file there is known as the batch's
            data = {}
        if not isinstance(data, dict):
            return
        if data.get("format") == self.FORMAT and isinstance(data.get("files"), dict):
            entries = data["files"]
        elif "format" not in data:  # the first format: {file: fingerprint or "always"}
            entries = {name: {"fingerprint": fp} for name, fp in data.items()}
        else:
            return
        for name, entry in entries.items():
            if isinstance(name, str) and isinstance(entry, dict):
                fp = entry.get("fingerprint")
                kept = {k: v for k, v in entry.items() if isinstance(k, str) and isinstance(v, str)}
                self.files[name] = {**kept, "fingerprint": fp if isinstance(fp, str) and fp != "always" else None}

    def owns(self, name: str) -> bool:
        return name in self.files

    def fingerprint(self, name: str) -> str | None:
        return self.files.get(name, {}).get("fingerprint")

    def claim(self, name: str, **info: str) -> None:
        self.files.setdefault(name, {"fingerprint": None}).update(info)

    def record(self, name: str, fingerprint: str | None) -> None:
        self.files.setdefault(name, {})["fingerprint"] = fingerprint

    def save(self) -> None:
        data = {"format": self.FORMAT, "tool": f"impact {__version__}", "files": self.files}
        _write_output(
            self.path,
            lambda: write_atomic(
                self.path, json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
            ),
        )


def _write_output(path: Path, write) -> None:
    """Run ``write()``; a file system's refusal (full disk, read-only folder) is an input error."""
    try:
        write()
    except OSError as exc:
        raise InputError(str(path), f"cannot be written: {exc.strerror or one_line(exc)}") from None


# ----------------------------------------------------------------------------- the run
@dataclass(eq=False)
class _Task:
    """One unit of work: estimate a site, draw a territory's map or chart, render its report."""

    kind: str  # site, map, chart or render
    territory: Any  # its Territory; None for a site estimated outside a batch (:func:`site_outcomes`)
    fn: Any
    args: tuple
    name: str  # the site's (kind site) or the territory's name
    row: int | None = None
    #: Times the process running it died under it: a task lost once runs alone, then fails.
    lost: int = 0
    project: Any = None  # a site's (kind site), for its outcome if the task fails


@dataclass
class _Failure:
    """A task that raised: its message (one line) and traceback (for the log)."""

    message: str
    trace: str | None = None


#: What a task that killed its worker twice fails with.
WORKER_DIED = "worker died: the process running this task died twice (killed by a signal, or out of memory)"
#: A territory's map and chart once handed to its render task.
RENDERING = "rendering"
#: Task stages, the most advanced first: a territory's next task is its most advanced one.
STAGE = {"render": 0, "chart": 1, "map": 2, "site": 3}


class _SharedTexts:
    """One copy of each text the sites' results repeat (methods, sources, notes).

    A result that comes back from a worker brings its own copy of every string; the
    indicators of a thousand sites cite the same sources (several kilobytes each).
    """

    def __init__(self) -> None:
        self.seen: dict = {}

    def one(self, value):
        return self.seen.setdefault(value, value)

    def share(self, results) -> None:
        one = self.one
        # The records are this site's own (built by its estimate, or unpickled from a worker):
        # each field is set to an equal string, so the frozen records can be updated in place
        # (dataclasses.replace built a new record for each: 1.0 ms a site against 0.3 ms, MRS5, 300 copies).
        set_field = object.__setattr__
        for i in results.indicators.values():
            set_field(i, "method", one(i.method))
            set_field(i, "sources", one(tuple(one(x) for x in i.sources)))
            set_field(i, "note", one(i.note))
        for r in results.inputs.values():
            set_field(r, "source", one(r.source))
            set_field(r, "note", one(r.note))


class _Executor:
    """Runs tasks, in this process or in worker processes, each isolated: a task that raises
    or kills its worker fails alone (:meth:`run_pool`). Subclasses say what a finished task
    leads to (:meth:`finished`, which may :meth:`push` more tasks) and in which order the
    ready tasks run (:meth:`priority`)."""

    def __init__(self) -> None:
        self.ready: list = []
        self.order = itertools.count()
        self.pools = 0

    def priority(self, task: _Task) -> tuple:
        return ()

    def push(self, task: _Task) -> None:
        # A task lost with a dead worker first, so that it runs alone at once; then the subclass's order.
        heapq.heappush(self.ready, ((0 if task.lost else 1, *self.priority(task)), next(self.order), task))

    def finished(self, task: _Task, result: Any, seconds: float) -> None:
        raise NotImplementedError

    def before_fork(self) -> None:
        """What to do in this process before the workers are forked (they inherit it)."""

    def run_serial(self) -> None:
        while self.ready:
            *_, task = heapq.heappop(self.ready)
            self.finished(task, *_run_task(task.kind, task.name, task.fn, *task.args))

    def run_pool(self, jobs: int) -> None:
        """Run the tasks in ``jobs`` worker processes; a worker that dies fails only its task.

        A pool whose worker dies is broken: every task it was running is lost. The pool is
        renewed and those tasks are run again, each alone, so that the one that killed its
        worker is known: a task lost twice (the second time alone) fails with
        :data:`WORKER_DIED`; the others complete.
        """
        import gc
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
        from concurrent.futures.process import BrokenProcessPool

        ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
        if ctx is not None:
            self.before_fork()
        # The workers share the parent's memory until they write to it; the garbage collector
        # would write to every object it scans: keep it off the inherited ones.
        gc.freeze()
        pool: Any = None
        running: dict[Any, _Task] = {}
        try:
            while self.ready or running:
                if pool is None:
                    pool = ProcessPoolExecutor(
                        max_workers=jobs, mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(),)
                    )
                    self.pools += 1
                broken = not self._fill(pool, running, jobs, BrokenProcessPool)
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                lost = self._collect(done, running, BrokenProcessPool)
                if lost or broken:
                    rest, _ = wait(running)  # a broken pool fails every task it holds, at once
                    lost += self._collect(rest, running, BrokenProcessPool)
                    pool.shutdown(wait=True)
                    pool = None
                    for task in lost:
                        task.lost += 1
                        if task.lost >= 2:
                            self.finished(task, _Failure(WORKER_DIED), 0.0)
                        else:
                            self.push(task)
        finally:
            if pool is not None:
                if running:  # interrupted (Ctrl-C): the tasks still running are not waited for
                    for proc in list((getattr(pool, "_processes", None) or {}).values()):
                        proc.terminate()
                pool.shutdown(wait=True, cancel_futures=True)
            gc.unfreeze()

    def _fill(self, pool, running: dict, jobs: int, broken_error) -> bool:
        """Submit the next tasks, two for each worker (the order decides what runs next); a
        task that was lost once runs alone. False if the pool is broken.

        The second one waits in the pool's queue: a worker that finishes a task starts the next
        at once, instead of waiting for this process to collect the result and submit again
        (1,000 sites, 2 jobs: the workers' idle time between tasks 6.5 s each, 3.6 s with it).
        """
        while self.ready and len(running) < 2 * jobs:
            task = self.ready[0][-1]
            if running and (task.lost or any(r.lost for r in running.values())):
                break
            heapq.heappop(self.ready)
            try:
                running[pool.submit(_run_task, task.kind, task.name, task.fn, *task.args)] = task
            except broken_error:
                self.push(task)
                return False
            if task.lost:
                break
        return True

    def _collect(self, futures, running: dict, broken_error) -> list[_Task]:
        """Hand the results of ``futures`` on; the tasks lost with a dead worker."""
        lost = []
        for fut in futures:
            task = running.pop(fut)
            try:
                result, seconds = fut.result()
            except broken_error:
                lost.append(task)
                continue
            except Exception as exc:  # a result or an argument that could not cross between processes
                result, seconds = _Failure(one_line(exc), _traceback()), 0.0
            self.finished(task, result, seconds)
        return lost

    def run(self, jobs: int) -> None:
        if jobs == 1:
            self.run_serial()
        else:
            self.run_pool(jobs)


class _Sites(_Executor):
    """Sites estimated outside a batch (:func:`site_outcomes`): each outcome to ``take``."""

    def __init__(self, take) -> None:
        super().__init__()
        self.take = take

    def finished(self, task: _Task, result: Any, seconds: float) -> None:
        if isinstance(result, _Failure):  # a worker that died, or a result that could not come back
            p = task.project
            meta = _site_meta(p)
            result = SiteOutcome(
                task.row or 0,
                p.name,
                p.city or "",
                meta["status"],
                meta["source"],
                p,
                error=result.message,
                trace=result.trace,
            )
        self.take(result)


class _Batch(_Executor):
    """One run of :func:`run_batch`: the plan, the queue of tasks, and what came back."""

    def __init__(
        self, registry: Path, outdir: Path, *, by: str, lang: str, day, draws: int, seed: int, force: bool, log
    ):
        super().__init__()
        self.registry, self.outdir, self.by, self.lang, self.day = registry, outdir, by, lang, day
        self.level = "commune" if by == "city" else by
        self.draws, self.seed, self.force, self.log = draws, seed, force, log
        self.label = strip_controls(registry.name)
        self.outcomes: list[SiteOutcome] = []
        self.totals: dict[Territory, CityTotal] = {}
        self.maps: dict[Territory, Any] = {}
        self.charts: dict[Territory, Any] = {}
        self.to_render: dict[Territory, str] = {}  # territory -> the fingerprint of the report to write
        self.report_errors: dict[Territory, str] = {}
        self.failures: list[tuple[str, str, str | None]] = []  # (what, message, traceback) for the log
        self.written: list[Path] = []
        self.skipped: list[Path] = []
        self.tasks: list[tuple[str, str, float]] = []
        self.texts = _SharedTexts()
        self.bar: Any = None

    # -- the plan
    def plan(self, pairs, bad) -> None:
        """Every site of every territory, before any estimate (bad rows included)."""
        self.pairs, self.bad = pairs, bad
        self.outcomes = list(bad)
        found = territories([p for _, p in pairs], [o.city for o in bad], self.by)
        self.planned: dict[Territory, list[SiteOutcome]] = {}
        self.territory_of: dict[int, Territory] = {}
        self.outcome_of: list[SiteOutcome] = []  # the planned outcome of each pair, in order
        for (n, p), t in zip(pairs, found[: len(pairs)], strict=True):
            meta = _site_meta(p)
            self.outcome_of.append(SiteOutcome(n, p.name, p.city or "", meta["status"], meta["source"], p))
            self.planned.setdefault(t, []).append(self.outcome_of[-1])
        for o, t in zip(bad, found[len(pairs) :], strict=True):
            self.planned.setdefault(t, []).append(o)
        for t, outcomes in self.planned.items():
            for o in outcomes:
                self.territory_of[o.row] = t
        self.all = sorted(self.planned, key=lambda t: (t.name, t.code))
        # The biggest territory first: its chain (sites, chart, report) is the longest.
        self.rank = {
            t: k for k, t in enumerate(sorted(self.all, key=lambda t: (-len(self.planned[t]), t.name, t.code)))
        }
        self.by_city = {t: [o for o in self.planned[t] if not o.ok] for t in self.all}
        self.left = {t: sum(1 for o in self.planned[t] if o.ok) for t in self.all}
        self.tool = _tool_fingerprint(self.lang, self.by)
        # The registry's other sites a territory's map can show: part of its report's fingerprint
        # (on a failure, reports are still written, their fingerprints without their neighbours).
        try:
            near = map_neighbours(found[: len(pairs)], [p for _, p in pairs])
        except Exception as exc:  # see above
            self.log(f"warning: the sites each territory's map can show could not be found: {one_line(exc)}")
            near = None
        self.neighbours = {t: [self.outcome_of[j] for j in (near or {}).get(t, [])] for t in self.all}
        # What each map is given of the registry: its neighbours, in registry order (the whole
        # registry, pickled for each map, was 5 s of a 2-job batch of 1,000 sites' 73), or the
        # whole registry if they could not be found.
        self.map_registry = {t: list(pairs) if near is None else [pairs[j] for j in near.get(t, [])] for t in self.all}

    def claim_outputs(self) -> None:
        """Refuse to overwrite a file the batch did not write (without ``force``); claim the others."""
        self.manifest = _Manifest(self.outdir / MANIFEST)
        outputs = [t.file for t in self.all] + ["summary.csv", "sites.gpkg", LOG]
        if not self.force:
            for name in outputs:
                path = self.outdir / name
                if os.path.lexists(path) and not self.manifest.owns(name):
                    raise InputError(
                        str(path), "already exists and was not written by impact batch; use --force to overwrite it"
                    )
        for t in self.all:
            self.manifest.claim(t.file, territory=t.name, code=t.code)
        for name in ("summary.csv", "sites.gpkg"):
            self.manifest.claim(name)
        self.manifest.save()
        _clean_stale_gpkg(self.outdir)

    def fingerprint(self, t: Territory, outcomes: list[SiteOutcome]) -> str:
        return city_fingerprint(outcomes, self.lang, self.tool, self.neighbours[t], t.name)

    def current(self, t: Territory, fp: str) -> bool:
        return not self.force and (self.outdir / t.file).is_file() and self.manifest.fingerprint(t.file) == fp

    # -- the tasks
    def priority(self, task: _Task) -> tuple:
        return (self.rank[task.territory], STAGE[task.kind])

    def before_fork(self) -> None:
        if PRELOAD:
            try:
                _preload()
            except Exception:  # a library that cannot load fails the tasks that need it, in the workers
                pass

    def push_map(self, t: Territory) -> None:
        sites = [(o.name, o.project) for o in sorted(self.planned[t], key=lambda o: o.row)]
        self.maps[t] = None  # submitted
        self.push(_Task("map", t, _map_task, (t.name, sites, self.lang, self.map_registry[t]), t.name))

    def start(self) -> None:
        for t in self.all:
            # A map needs no estimate: draw it early, unless the report looks up to date already.
            if not self.current(t, self.fingerprint(t, self.planned[t])):
                self.push_map(t)
            for o in self.planned[t]:
                if o.ok:
                    self.push(
                        _Task(
                            "site",
                            t,
                            _estimate_site,
                            (o.row, o.project, self.draws, self.seed, False, False),
                            o.name,
                            o.row,
                        )
                    )
        for t in self.all:
            if self.left[t] == 0:
                self.sites_done(t)

    def sites_done(self, t: Territory) -> None:
        outcomes = self.by_city[t]
        try:
            total = self.totals[t] = city_total(t.name, outcomes, self.level)
            fp = self.fingerprint(t, total.sites + total.failed)
        except Exception as exc:  # a bug in the sums: this report fails, the others go on
            ok = sorted((o for o in outcomes if o.ok), key=lambda o: o.row)
            self.totals[t] = CityTotal(
                t.name, ok, {}, sorted((o for o in outcomes if not o.ok), key=lambda o: o.row), self.level
            )
            self.report_failed(t, f"total: {one_line(exc)}", _traceback())
            return
        for o in total.sites:  # its draws are in the total now: not kept for the rest of the batch
            o.results.samples = None
        if self.current(t, fp):
            self.skipped.append(self.outdir / t.file)
            self.bar.update()
            return
        self.to_render[t] = fp
        if t not in self.maps:
            self.push_map(t)
        if total.sites:
            self.push(_Task("chart", t, _chart_task, (total, self.lang), t.name))
        else:
            self.charts[t] = None
        self.render_if_ready(t)

    def render_if_ready(self, t: Territory) -> None:
        if t not in self.to_render or self.maps.get(t) in (None, RENDERING) or t not in self.charts:
            return
        for stage, part in (("map", self.maps[t]), ("chart", self.charts[t])):
            if isinstance(part, _Failure):
                self.report_failed(t, f"{stage}: {part.message}", part.trace)
                return
        args = (self.totals[t], self.outdir / t.file, self.lang, self.day, self.maps[t], self.charts[t])
        self.maps[t] = self.charts[t] = RENDERING  # the images are the render task's now, not kept after it
        self.push(_Task("render", t, _render_city, args, t.name))

    def report_failed(self, t: Territory, message: str, trace: str | None = None) -> None:
        if t in self.report_errors:
            return
        self.report_errors[t] = message
        self.to_render.pop(t, None)
        self.failures.append((f"report of {t.name} ({t.file})", message, trace))
        self.log(f"report of {t.name} ({t.file}) not written: {message}")
        self.bar.update()

    def finished(self, task: _Task, result: Any, seconds: float) -> None:
        """A task came back with its ``result`` (a :class:`_Failure` if it failed)."""
        t = task.territory
        self.tasks.append((task.kind, t.name, seconds))
        failed = isinstance(result, _Failure)
        if task.kind == "site":
            o = self.failed_site(task, result) if failed else result
            if not o.ok:
                what = f"{self.label} row {o.row} ({strip_controls(o.name)})"
                self.log(f"{what}: {o.error}")
                self.failures.append((what, o.error or "", o.trace))
            else:
                self.texts.share(o.results)
            self.outcomes.append(o)
            self.by_city[t].append(o)
            self.left[t] -= 1
            self.bar.update()
            if self.left[t] == 0:
                self.sites_done(t)
        elif task.kind in ("map", "chart"):
            (self.maps if task.kind == "map" else self.charts)[t] = result
            self.render_if_ready(t)
        elif failed:
            self.report_failed(t, f"render: {result.message}", result.trace)
        else:
            self.written.append(result)
            self.manifest.record(t.file, self.to_render.pop(t))
            self.manifest.save()  # as soon as it is written: an interrupted batch resumes from here
            self.bar.update()

    def failed_site(self, task: _Task, failure: _Failure) -> SiteOutcome:
        p = next(o for o in self.planned[task.territory] if o.row == task.row)
        return SiteOutcome(
            p.row, p.name, p.city, p.status, p.source, p.project, error=failure.message, trace=failure.trace
        )

    # -- the tables
    def write_tables(self) -> None:
        """summary.csv, sites.gpkg, the log of the failures; then the manifest."""
        import pandas as pd

        done = sorted(self.outcomes, key=lambda o: o.row)
        # The file of a territory's report, if it holds it now (written, or up to date).
        holding = {p.name for p in self.written + self.skipped}
        file_of = {t: t.file if t.file in holding else "" for t in self.all}
        rows = [{**_row(o), "file": file_of[self.territory_of[o.row]]} for o in done]
        for t in self.all:
            row = _city_row(self.totals[t], self.report_errors.get(t))
            row[f"{self.level}_code"] = t.code or None
            rows.append({**row, "file": file_of[t]})
        summary = pd.DataFrame(rows)
        summary["row"] = summary["row"].astype("Int64")
        columns = list(summary.columns)
        columns.insert(columns.index("city") + 1, columns.pop(columns.index("file")))
        text = csv_safe_frame(summary[columns]).to_csv(index=False, lineterminator="\n")
        summary_path, gpkg_path = self.outdir / "summary.csv", self.outdir / "sites.gpkg"
        _write_output(summary_path, lambda: write_atomic(summary_path, text.encode("utf-8")))
        files = {o.row: file_of[self.territory_of[o.row]] for o in done}
        _write_output(gpkg_path, lambda: _write_sites_gpkg(done, gpkg_path, self.day, files))
        self.write_log()
        self.manifest.save()

    def write_log(self) -> None:
        path = self.outdir / LOG
        if not self.failures:  # the log of an earlier run that failed would tell of failures no more
            if self.manifest.owns(LOG):
                if os.path.lexists(path):
                    _write_output(path, path.unlink)
                del self.manifest.files[LOG]
            return
        blocks = []
        for what, message, trace in self.failures:
            blocks.append(f"{what}: {message}" + (f"\n{trace}" if trace else ""))
        text = f"impact {__version__} batch of {self.label}: {len(self.failures)} failure(s)\n\n"
        self.manifest.claim(LOG)
        _write_output(path, lambda: write_atomic(path, (text + "\n\n".join(blocks) + "\n").encode("utf-8")))

    def outcome(self) -> BatchOutcome:
        self.outcomes.sort(key=lambda o: o.row)
        self.written.sort(key=lambda p: p.name)
        written = [*self.written, self.outdir / "summary.csv", self.outdir / "sites.gpkg"]
        return BatchOutcome(
            self.outcomes,
            [self.totals[t] for t in self.all],
            written,
            self.skipped,
            self.tasks,
            {t.name: m for t, m in self.report_errors.items()},
            list(self.all),
            self.outdir / LOG if self.failures else None,
            self.pools,
        )


def _stderr(msg: str) -> None:
    print(terminal_text(msg), file=sys.stderr)  # row errors quote registry text: no escapes to the terminal


def _check_folder(outdir: Path) -> None:
    if os.path.lexists(outdir) and not outdir.is_dir():
        raise InputError(str(outdir), "is not a folder; expected the folder to write the reports into")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(outdir), f"cannot be created: {exc.strerror or one_line(exc)}") from None
    if not os.access(outdir, os.W_OK | os.X_OK):
        raise InputError(str(outdir), "is not writable")


def run_batch(
    registry: Path,
    outdir: Path,
    *,
    by: str = "commune",
    jobs: int = 1,
    force: bool = False,
    lang: str = "fr",
    date: str | None = None,
    draws: int | None = None,
    progress: bool | None = None,
    log=None,
) -> BatchOutcome:
    """Estimate every site of ``registry`` and write the reports into ``outdir``.

    The work is a set of tasks: estimate a site, draw a city's map (it needs no
    estimate), draw a city's chart (once its sites are estimated), render a city's
    report (once its map and chart are drawn). With ``jobs`` > 1 they run in that
    many processes; the next task is always the most advanced one of the city with
    the most sites, so that the longest chain of work starts first.

    Any exception fails its site or its territory's report only (the message on one line
    in ``summary.csv`` and through ``log``, the traceback in :data:`LOG`); with ``jobs``
    > 1 a worker that dies fails only its task (:meth:`_Batch.run_pool`), and workers
    die with this process (:func:`_worker_init`). The manifest is saved after each report,
    so that a run that was interrupted resumes without ``force``.

    Raises
    ------
    InputError
        for an unreadable registry, a bad argument, an output folder that cannot be
        written, or an output file that ``impact batch`` did not write (without ``force``).
    """
    from tqdm import tqdm

    from .engine import DEFAULT_DRAWS, DEFAULT_SEED
    from .report.dossier import dossier_date

    if by not in GROUPINGS:
        raise InputError("--by", f"must be one of {', '.join(GROUPINGS)}, got {by!r}")
    if jobs < 1:
        raise InputError("--jobs", f"must be at least 1, got {jobs}")
    registry, outdir = Path(registry), Path(outdir)
    day = dossier_date(date)
    log = log or _stderr
    pairs, bad = _projects(registry)
    _check_folder(outdir)
    batch = _Batch(
        registry,
        outdir,
        by=by,
        lang=lang,
        day=day,
        draws=draws or DEFAULT_DRAWS,
        seed=DEFAULT_SEED,
        force=force,
        log=log,
    )
    batch.plan(pairs, bad)
    batch.claim_outputs()
    for o in bad:
        log(o.error)
        batch.failures.append((f"{batch.label} row {o.row} ({strip_controls(o.name)})", o.error or "", None))
    show = sys.stderr.isatty() if progress is None else progress
    batch.bar = tqdm(
        total=len(pairs) + len(batch.all), desc="impact batch", unit="task", disable=not show, file=sys.stderr
    )
    try:
        batch.start()
        batch.run(jobs)
    finally:
        batch.bar.close()
    batch.write_tables()
    return batch.outcome()


#: Import the report's libraries once in the batch's process before forking its workers
#: (:func:`_preload`), rather than in each worker (docs/performance.md, "Batch").
PRELOAD = True


def _preload() -> None:
    """Import what maps, charts and reports need (matplotlib, geopandas, WeasyPrint), and read
    the basemap layers maps draw, once: forked workers inherit them instead of each loading them."""
    import geopandas  # noqa: F401
    import matplotlib.backends.backend_agg
    import matplotlib.figure  # noqa: F401
    import weasyprint  # noqa: F401

    from .report import charts, city, maps, pdf  # noqa: F401
    from .report.map_layers import BASEMAP_DRAWN
    from .sources import france

    france.preload_basemap(BASEMAP_DRAWN)


# ----------------------------------------------------------------------------- in the workers
#: Fault injection, for the tests only. Read by :func:`_run_task` alone, in the process
#: that runs a task (a worker when ``jobs`` > 1): a comma-separated list of
#: ``kind:name:action``, where ``kind`` is ``site``, ``map``, ``chart`` or ``render``,
#: ``name`` the site's or the territory's name, and ``action`` ``raise`` (a RuntimeError)
#: or ``kill`` (SIGKILL of the process running the task, as the kernel's OOM killer does).
FAULT_ENV = "IMPACT_BATCH_FAULT"


def _injected_fault(kind: str, name: str) -> None:
    spec = os.environ.get(FAULT_ENV)
    if not spec:
        return
    import signal

    for item in spec.split(","):
        k, _, rest = item.partition(":")
        target, _, action = rest.rpartition(":")
        if k == kind and target == name:
            if action == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            if action == "raise":
                raise RuntimeError(f"fault injected by {FAULT_ENV}")


def _run_task(kind: str, name: str, fn, *args):
    """Run a task: ``(result, seconds)``; an exception becomes a :class:`_Failure` result.

    The time is the task's, measured where it runs (not the queue's).
    """
    import time

    t0 = time.perf_counter()
    try:
        _injected_fault(kind, name)
        result = fn(*args)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SystemExit too: a task never ends the batch
        result = _Failure(one_line(exc), _traceback())
    return result, time.perf_counter() - t0


#: ``prctl`` option: the signal the kernel sends to this process when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> bool:
    """Ask the kernel (Linux) to SIGKILL this process when its parent dies; False if it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int, interval_s: float = 0.5) -> None:
    import time

    while os.getppid() == parent_pid:
        time.sleep(interval_s)
    os._exit(1)


def _worker_init(parent_pid: int) -> None:
    """Set up a worker process: it dies with the batch's process, and leaves Ctrl-C to it.

    On Linux the kernel kills the worker when its parent dies (``prctl(PR_SET_PDEATHSIG,
    SIGKILL)``); elsewhere a daemon thread polls the parent's pid. The parent ends its
    workers itself on Ctrl-C (:meth:`_Batch.run_pool`), so they ignore SIGINT.
    """
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not _die_with_parent():
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)


#: The temporary GeoPackage of :func:`_write_sites_gpkg` (and SQLite's files beside it).
_GPKG_TMP = re.compile(r"^\.sites\.(?P<pid>\d+)\.tmp\.gpkg(-journal|-wal|-shm)?$")


def _clean_stale_gpkg(folder: Path) -> None:
    """Remove the temporary GeoPackages that batches killed while writing one left in ``folder``."""
    for entry in os.scandir(folder):
        m = _GPKG_TMP.match(entry.name)
        if m is None or not entry.is_file(follow_symlinks=False) or int(m["pid"]) == os.getpid():
            continue
        try:
            os.kill(int(m["pid"]), 0)
        except ProcessLookupError:  # its batch is gone
            try:
                os.unlink(entry.path)
            except OSError:
                pass
        except (PermissionError, OverflowError, OSError):
            continue


def _write_sites_gpkg(outcomes: list[SiteOutcome], path: Path, day=None, files: dict | None = None) -> None:
    """The sites and their central indicators, as a GeoPackage layer ``sites`` (EPSG:4326).

    Reproducible: the same outcomes and ``day`` give the same bytes. GDAL stamps the time
    of writing in ``gpkg_contents.last_change``; it is the batch's date at 00:00 UTC instead
    (as the PDFs' dates), set through GDAL's ``OGR_CURRENT_DATE``.
    """
    import datetime as dt

    import geopandas as gpd
    import pyogrio
    from shapely.geometry import Point

    records, geoms = [], []
    for o in sorted(outcomes, key=lambda o: o.row):
        rec = {
            "row": o.row,
            "name": o.name,
            "city": o.city,
            "file": (files or {}).get(o.row, ""),
            "status": o.status,
            "result": "ok" if o.ok else f"error: {o.error}",
            "source": o.source,
        }
        for n in INDICATORS:
            rec[n] = o.results.indicators[n].central if o.ok else None
        loc = o.project.location if o.project is not None else None
        geoms.append(Point(loc.lon, loc.lat) if loc is not None else None)
        records.append(rec)
    gdf = gpd.GeoDataFrame(records, geometry=geoms, crs="EPSG:4326")
    day = day or dt.date.today()
    stamp = f"{day.isoformat()}T00:00:00.000Z"
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.gpkg")
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    try:
        if tmp.exists():
            tmp.unlink()
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": stamp})
        gdf.to_file(tmp, layer="sites", driver="GPKG", engine="pyogrio")
        os.replace(tmp, path)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
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
