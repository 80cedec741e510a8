"""The project and the other data centres of its commune and département (docs/cumulative.md).

Given a registry of data centres (``impact dossier --registry``, or the project's
``context.registry``), :func:`cumulative` finds the registry's sites in the project's
département (placed by :func:`impact.site.place_site`: by their coordinates, else by their
declared city's name), leaves out the row that is the project itself (the same name, or within
:data:`PROJECT_RADIUS_KM`), estimates each of the others with the project's seed and at most
:data:`SITE_DRAWS` draws (the batch's per-site estimate, without its hourly frame), and adds
them up with the project: power, electricity, on-site water, land and heat, for the département
and for the commune, split between the sites in operation (already in the territory's
consumption) and the others (planned, authorised, under construction: they add to it). The sums are
:func:`impact.model.cumulative.comonotonic_sum`. A row that cannot be read or estimated is listed
with its reason and left out of the sums; nothing here stops the dossier.

The result is its own small object (:class:`Cumulative`), not indicators of the estimate: an
estimate has no registry. The report only reads it (:mod:`impact.report.cumulative`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from .model import uncertainty
from .model.cumulative import comonotonic_sum, share_of
from .model.geodesy import haversine_km
from .results import Indicator, clean_number

#: The most draws each other site of the registry is estimated with (the project keeps its own):
#: their quantiles are added to the project's (:func:`impact.model.cumulative.comonotonic_sum`).
SITE_DRAWS = 500
#: A registry row this close to the project's coordinates is the project itself [km].
PROJECT_RADIUS_KM = 0.1
#: Registry statuses of a site in service (its electricity is in the territory's consumption).
OPERATING = frozenset({"operating", "in service", "en service", "en exploitation"})
#: The quantities added up: (key, the site indicator summed, unit).
QUANTITIES = (
    ("facility_power_mw", "facility_power_mw", "MW"),
    ("facility_energy_mwh", "facility_energy_mwh", "MWh"),
    ("water_onsite_m3", "water_onsite_m3", "m3"),
    ("land_site_m2", "land_site_m2", "m2"),
    ("heat_rejected_mwh", "heat_rejected_mwh", "MWh"),
)
#: The groups of a total: the project, the other sites in operation, the other sites not in
#: operation (planned, authorised, under construction or no status), all of them, and the
#: project with the sites not in operation (what adds to today's consumption).
GROUPS = ("project", "operating", "added_others", "all", "added")
SCOPES = ("departement", "commune")


@dataclass
class CumulativeSite:
    """One other site of the registry in the project's département.

    ``results`` is its estimate (None when it could not be estimated: ``error`` says why);
    ``commune`` the commune it was placed in; ``same_commune`` whether it is the project's.
    """

    row: int
    name: str
    city: str
    status: str
    commune: Any = None
    same_commune: bool = False
    results: Any = None
    error: str | None = None
    #: Why, as facts the report words in its language: the fields the registry row gets wrong
    #: (an :class:`impact.errors.InputError`), and whether the engine itself failed (a bug).
    error_fields: tuple[str, ...] = ()
    error_is_bug: bool = False
    year: int | None = None  # the opening year the registry gives, if any
    #: In the project's commune, without coordinates, with the project's operator: perhaps the
    #: project under another name (counted, and flagged in the section).
    maybe_project: bool = False

    @property
    def ok(self) -> bool:
        return self.results is not None

    @property
    def operating(self) -> bool:
        return " ".join(self.status.casefold().split()) in OPERATING


@dataclass
class Cumulative:
    """The cumulative effects of the project and the registry's other sites.

    Attributes
    ----------
    registry : str
        The registry's file name.
    placed : bool
        Whether the project could be placed in a commune and a département (else nothing is
        added up).
    commune, departement : (code, name) or None
        The project's territories.
    sites : list of CumulativeSite
        The other sites in the département, in registry order (estimated or not).
    project_rows : list of (row, name)
        The registry rows taken to be the project itself (left out).
    elsewhere : int
        How many of the registry's sites lie in other départements.
    unplaced : list of (row, name, city, reason)
        The rows that could not be placed in a commune (reason: a :class:`impact.site.Site`
        reason, or the row's read error, whose fields are in ``unplaced_fields``), not counted.
    totals : dict
        ``(scope, group, quantity) -> Indicator``: the sums (see :data:`GROUPS`, :data:`SCOPES`,
        :data:`QUANTITIES`).
    indicators : dict
        The headline figures by name (``cumulative_facility_energy_mwh``...), each an
        :class:`impact.results.Indicator`.
    reference : dict
        The territory figures compared with: ``departement_mwh``, ``departement_year``,
        ``departement_source``, ``commune_mwh``, ``commune_status``, ``commune_source``.
    draws, seed : int
        Those of the project's estimate (the totals have ``draws`` draws); the other sites are
        estimated with the same seed and ``min(draws, SITE_DRAWS)`` draws.
    """

    registry: str
    placed: bool
    commune: tuple[str, str] | None = None
    departement: tuple[str, str] | None = None
    sites: list[CumulativeSite] = field(default_factory=list)
    project_rows: list[tuple[int, str]] = field(default_factory=list)
    elsewhere: int = 0
    unplaced: list[tuple[int, str, str, str]] = field(default_factory=list)
    #: For an unplaced row the registry could not read: the fields its error names (by row).
    unplaced_fields: dict[int, tuple[str, ...]] = field(default_factory=dict)
    totals: dict = field(default_factory=dict)
    indicators: dict = field(default_factory=dict)
    reference: dict = field(default_factory=dict)
    draws: int = 0
    seed: int = 0

    @property
    def others_not_operating(self) -> list[CumulativeSite]:
        return [s for s in self.sites if not s.operating]

    def to_rows(self) -> list[dict]:
        """The headline figures, one row each (name, unit, low, central, high, status, note)."""
        return [
            {
                "indicator": i.name,
                "unit": i.unit,
                "low": i.low,
                "central": i.central,
                "high": i.high,
                "status": i.status,
                "note": i.note,
            }
            for i in self.indicators.values()
        ]


def _key(name: str) -> str:
    from .sources.france import normalise_name

    return normalise_name(name or "")


def is_project(project, other) -> bool:
    """Whether registry row ``other`` is ``project`` itself: the same name (case, accents and
    punctuation aside), or both located within :data:`PROJECT_RADIUS_KM` of each other."""
    if _key(project.name) and _key(project.name) == _key(other.name):
        return True
    a, b = project.location, other.location
    return a is not None and b is not None and haversine_km(a.lat, a.lon, b.lat, b.lon) < PROJECT_RADIUS_KM


def _raw_site(cells: dict):
    """A bad row's cells as what :func:`impact.site.place_site` reads (its coordinates when both
    are numbers, else its declared city)."""
    loc = None
    try:
        lat, lon = float(str(cells.get("location.lat", "")).strip()), float(str(cells.get("location.lon", "")).strip())
        loc = SimpleNamespace(lat=lat, lon=lon)
    except ValueError:
        pass
    country = str(cells.get("country") or "FR").strip() or "FR"
    return SimpleNamespace(country=country, location=loc, city=str(cells.get("city") or "").strip())


#: A declared city with a municipal arrondissement after it: « Marseille 15e », « Paris 13 ».
_ARRONDISSEMENT = re.compile(r"^(.*?\S)[\s-]+\d{1,2}\s*(?:e|er|eme|ème|è)?(?:\s+arrondissement)?$", re.IGNORECASE)


def _place(p, dep: str | None = None):
    """Where registry row ``p`` is (:func:`impact.site.place_site`), and by its declared city
    when that alone does not place it: a name several communes bear is placed in the one of
    them in the project's département ``dep`` (if exactly one is); a name followed by an
    arrondissement (« Marseille 15e ») in its commune."""
    from .site import Site, _with_levels, place_site
    from .sources import france

    try:
        where = place_site(p)
        if where.placed or p.location is not None:
            return where
        city = (p.city or "").strip()
        if where.reason == "city_ambiguous" and dep:
            inside = [c for c in map(france.commune, where.candidates) if c is not None and c.dep == dep]
            if len(inside) == 1:
                return _with_levels(inside[0], placed_by="city_name", declared_city=city, city_check="match")
        m = _ARRONDISSEMENT.match(city) if where.reason == "city_not_found" else None
        if m:
            base = _place(SimpleNamespace(country=p.country, location=None, city=m.group(1)), dep)
            if base.placed:
                return base
        return where
    except Exception:  # a row the shipped outlines cannot place is reported, never fatal
        return Site(reason="not_in_a_commune")


def _total(indicator: str, unit: str, parts: list, draws: int, name: str) -> Indicator:
    """Sum of ``parts`` (``(label, Results)``) for ``indicator``; the unknown parts are left out
    and named in ``missing``."""
    known = [(label, r) for label, r in parts if r[indicator].known]
    missing = tuple(label for label, r in parts if not r[indicator].known)
    method = "sum over the sites, quantile by quantile (uncertainties moving together)"
    if not known:
        status = "unknown" if parts else "estimated"
        value = None if parts else 0.0
        return Indicator(name, unit, value, value, value, status, method, (), "", missing)
    central = float(sum(r[indicator].central for _, r in known))
    samples = [r.samples[indicator] if r.samples.get(indicator) is not None else r[indicator].central for _, r in known]
    lo, hi = uncertainty.percentiles(comonotonic_sum(samples, draws))
    lo, hi = min(float(lo), central), max(float(hi), central)
    status = "partial" if missing or any(r[indicator].status == "partial" for _, r in known) else "estimated"
    note = f"partial: unknown for {', '.join(missing)}" if missing else ""
    return Indicator(name, unit, clean_number(lo), central, clean_number(hi), status, method, (), note, missing)


def _share(total: Indicator, whole: float | None, name: str, source: str) -> Indicator:
    if total.low is None or total.central is None or total.high is None or share_of(1.0, whole) is None:
        return Indicator(name, "-", None, None, None, "unknown", "total / territory", (), "no territory figure")
    return Indicator(
        name,
        "-",
        share_of(total.low, whole),
        share_of(total.central, whole),
        share_of(total.high, whole),
        total.status,
        "total / the territory's annual electricity",
        (source,) if source else (),
        total.note,
        total.missing,
    )


def _reference(results) -> dict:
    out: dict = {}
    for prefix, key in (
        ("departement", "departement.annual_electricity_mwh"),
        ("commune", "city.annual_electricity_mwh"),
    ):
        rec = results.inputs.get(key)
        value = getattr(getattr(rec, "value", None), "central", None)
        out[f"{prefix}_mwh"] = float(value) if isinstance(value, (int, float)) and value > 0 else None
        out[f"{prefix}_status"] = rec.status if rec is not None else "unknown"
        out[f"{prefix}_source"] = rec.source if rec is not None else ""
        args = dict(rec.note_args) if rec is not None else {}
        out[f"{prefix}_year"] = args.get("year")
    return out


def cumulative(results, rows, registry: str = "", *, estimate_site=None) -> Cumulative:
    """The cumulative effects of the project of ``results`` and the sites of registry ``rows``.

    Parameters
    ----------
    results : Results
        The project's estimate (its site, draws and seed are used).
    rows : RegistryRows or list of (row, Project)
        A registry's rows (:func:`impact.sources.read_registry` with ``errors="collect"``: its
        ``errors`` and ``raw`` name the bad rows).
    registry : str
        The registry's file name, for the report.
    estimate_site : callable, optional
        ``(row, project, draws, seed) -> SiteOutcome``; :func:`impact.batch._estimate_site`
        (without its hourly frame) when not given. For tests.

    Returns
    -------
    Cumulative
    """
    from .batch import _estimate_site, error_fields, one_line

    project, site = results.project, results.site
    draws = int(results.meta.get("draws") or len(results.samples["facility_energy_mwh"]))
    seed = int(results.meta.get("seed") or 0)
    if estimate_site is None:

        def estimate_site(n, p, d, s):
            return _estimate_site(n, p, d, s, keep_hourly=False)

    placed = site is not None and site.placed and site.departement is not None
    out = Cumulative(
        registry,
        placed,
        site.territory("commune") if placed else None,
        site.territory("departement") if placed else None,
        draws=draws,
        seed=seed,
    )
    if not placed:
        return out
    dep, commune = site.departement.code, site.commune.code
    for n, p in rows:
        if is_project(project, p):
            out.project_rows.append((n, p.name))
            continue
        where = _place(p, dep)
        if not where.placed:
            out.unplaced.append((n, p.name, (p.city or "").strip(), where.reason))
            continue
        if where.departement is None or where.departement.code != dep:
            out.elsewhere += 1
            continue
        from .sources.registry import registry_row

        meta = registry_row(p) or {}
        s = CumulativeSite(
            n,
            p.name,
            (p.city or "").strip(),
            str(meta.get("status") or "").strip(),
            where.commune,
            where.commune.code == commune,
            year=p.year if isinstance(p.year, int) else None,
        )
        s.maybe_project = (
            s.same_commune
            and (p.location is None or project.location is None)
            and bool(_key(project.operator or ""))
            and _key(project.operator or "") == _key(p.operator or "")
        )
        outcome = estimate_site(n, p, min(draws, SITE_DRAWS), seed)
        if outcome.ok:
            s.results = outcome.results
        else:
            s.error = outcome.error
            s.error_fields = tuple(getattr(outcome, "error_fields", ()))
            s.error_is_bug = getattr(outcome, "trace", None) is not None
        out.sites.append(s)
    for n, exc in getattr(rows, "errors", ()):
        cells = getattr(rows, "raw", {}).get(n, {})
        name = str(cells.get("name") or f"row {n}")
        if _key(name) and _key(name) == _key(project.name):
            out.project_rows.append((n, name))
            continue
        where = _place(_raw_site(cells), dep)
        if not where.placed:
            out.unplaced.append((n, name, str(cells.get("city") or ""), one_line(exc)))
            out.unplaced_fields[n] = error_fields(exc)
        elif where.departement is None or where.departement.code != dep:
            out.elsewhere += 1
        else:
            status = str(cells.get("status") or "").strip()
            out.sites.append(
                CumulativeSite(
                    n,
                    name,
                    str(cells.get("city") or ""),
                    status,
                    where.commune,
                    where.commune.code == commune,
                    error=one_line(exc),
                    error_fields=error_fields(exc),
                )
            )
    out.sites.sort(key=lambda s: s.row)
    out.unplaced.sort()
    _add_up(out, results)
    return out


def _add_up(out: Cumulative, results) -> None:
    """Fill ``out.totals``, ``out.indicators`` and ``out.reference``."""
    ok = [s for s in out.sites if s.ok]
    for scope in SCOPES:
        here = [s for s in ok if scope == "departement" or s.same_commune]
        parts = {
            "project": [(results.project.name, results)],
            "operating": [(s.name, s.results) for s in here if s.operating],
            "added_others": [(s.name, s.results) for s in here if not s.operating],
        }
        parts["all"] = parts["project"] + parts["operating"] + parts["added_others"]
        parts["added"] = parts["project"] + parts["added_others"]
        for group in GROUPS:
            for key, indicator, unit in QUANTITIES:
                out.totals[(scope, group, key)] = _total(
                    indicator, unit, parts[group], out.draws, f"cumulative_{scope}_{group}_{key}"
                )
    ref = out.reference = _reference(results)
    t = out.totals
    out.indicators = {
        "cumulative_facility_power_mw": t[("departement", "all", "facility_power_mw")],
        "cumulative_facility_energy_mwh": t[("departement", "all", "facility_energy_mwh")],
        "cumulative_operating_facility_energy_mwh": t[("departement", "operating", "facility_energy_mwh")],
        "cumulative_added_facility_energy_mwh": t[("departement", "added", "facility_energy_mwh")],
        "cumulative_water_onsite_m3": t[("departement", "all", "water_onsite_m3")],
        "cumulative_land_site_m2": t[("departement", "all", "land_site_m2")],
        "cumulative_heat_rejected_mwh": t[("departement", "all", "heat_rejected_mwh")],
        "cumulative_commune_facility_energy_mwh": t[("commune", "all", "facility_energy_mwh")],
    }
    out.indicators["cumulative_share_of_departement_electricity"] = _share(
        out.indicators["cumulative_facility_energy_mwh"],
        ref["departement_mwh"],
        "cumulative_share_of_departement_electricity",
        ref["departement_source"],
    )
    out.indicators["cumulative_added_share_of_departement_electricity"] = _share(
        out.indicators["cumulative_added_facility_energy_mwh"],
        ref["departement_mwh"],
        "cumulative_added_share_of_departement_electricity",
        ref["departement_source"],
    )
    out.indicators["cumulative_share_of_city_electricity"] = _share(
        out.indicators["cumulative_commune_facility_energy_mwh"],
        ref["commune_mwh"],
        "cumulative_share_of_city_electricity",
        ref["commune_source"],
    )
    # The indicator's own name (the totals' names say their scope and group).
    for name, ind in list(out.indicators.items()):
        if ind.name != name:
            out.indicators[name] = Indicator(
                name,
                ind.unit,
                ind.low,
                ind.central,
                ind.high,
                ind.status,
                ind.method,
                ind.sources,
                ind.note,
                ind.missing,
            )


def for_dossier(results, resolved, registry_path=None) -> Cumulative | None:
    """The dossier's cumulative effects: with the rows of ``--registry`` (``resolved.registry``),
    else those of the project's ``context.registry``; None when neither is given.

    Parameters
    ----------
    results : Results
        The project's estimate.
    resolved : impact.validation.Resolved
        The run's validated project (its registry and context layers, read once).
    registry_path : path, optional
        The ``--registry`` file, to name it.
    """
    from pathlib import Path

    rows = getattr(resolved, "registry", None)
    path = registry_path
    if rows is None:
        rows = (getattr(resolved, "context", None) or {}).get("registry")
        context = getattr(results.project, "context", None)
        path = getattr(context, "registry", None)
    if rows is None:
        return None
    return cumulative(results, rows, Path(str(path)).name if path else "")


def to_frame(cum: Cumulative):
    """The sites and the totals as a table (one row each), for the dossier's attached CSV.

    Columns ``level`` (``site``, ``project``, ``total``), ``row``, ``name``, ``commune``,
    ``status``, ``scope`` and ``group`` (totals only), ``result`` (``ok`` or why not
    estimated), then ``<quantity>``, ``<quantity>_low``, ``<quantity>_high`` for each of
    :data:`QUANTITIES`, and for the totals of the département ``share_of_departement_electricity``.
    """
    import pandas as pd

    def values(get) -> dict:
        out: dict = {}
        for key, _, _ in QUANTITIES:
            i = get(key)
            out[key], out[f"{key}_low"], out[f"{key}_high"] = (
                (i.central, i.low, i.high) if i is not None else (None, None, None)
            )
        return out

    rows: list[dict] = []
    for s in cum.sites:
        rows.append(
            {
                "level": "site",
                "row": s.row,
                "name": s.name,
                "commune": s.commune.name if s.commune is not None else s.city,
                "status": s.status,
                "result": "ok" if s.ok else f"not estimated: {s.error}",
                **values(lambda k, s=s: s.results[k] if s.ok else None),
            }
        )
    share = cum.indicators.get("cumulative_share_of_departement_electricity")
    added = cum.indicators.get("cumulative_added_share_of_departement_electricity")
    for scope, group, key in cum.totals:
        if key != QUANTITIES[0][0]:
            continue
        notes = [
            f"{k}: {cum.totals[(scope, group, k)].note}" for k, _, _ in QUANTITIES if cum.totals[(scope, group, k)].note
        ]
        row = {
            "level": "total",
            "scope": scope,
            "group": group,
            "result": "; ".join(notes) or "ok",
            **values(lambda k, sc=scope, g=group: cum.totals[(sc, g, k)]),
        }
        pick = share if group == "all" else added if group == "added" else None
        if scope == "departement" and pick is not None and pick.known:
            row["share_of_departement_electricity"] = pick.central
            row["share_of_departement_electricity_low"] = pick.low
            row["share_of_departement_electricity_high"] = pick.high
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["row"] = frame["row"].astype("Int64") if "row" in frame else pd.array([], dtype="Int64")
    return frame
