"""The inquiry dossier: estimate, figures, HTML (Jinja2) and PDF/A-3 (WeasyPrint).

:func:`build_dossier` does the whole job and writes the outputs atomically: every
file is written under a temporary name and renamed only when all succeeded, an
existing file is never replaced without ``force``, and a failed run leaves nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..claims import SAVING_BASIS
from ..errors import InputError
from ..fileio import check_targets, run_tempdir, staged_files
from ..indicators import INDICATORS
from ..paths import templates_dir
from . import air as air_report
from . import answer as answer_report
from . import construction as construction_report
from . import cumulative as cumulative_report
from . import eu as eu_report
from . import fmt, local_figures, narrative
from . import heatreuse as heatreuse_report
from . import icpe as icpe_report
from . import noise as noise_report
from .catalogue import catalogue, languages
from .figures import tornado_indicator

#: Indicators of the synthesis, with the equivalence shown beside each.
KEY_FIGURES = (
    ("facility_energy_mwh", "households_electricity_equiv"),
    ("peak_demand_mw", "share_of_city_peak_demand"),
    ("water_withdrawal_m3", "inhabitants_water_equiv"),
    ("co2e_location_t", "co2e_location_direct_t"),  # beside it, the low bound (direct emissions of production)
    ("co2e_total_t", None),  # complete: beside it, the share that rests on defaults (impact.totals)
    ("thermal_discharge_mw", None),
    ("thermal_discharge_max_mw", None),
    ("heat_reuse_potential_homes", None),
)

#: Indicators compared across alternatives.
ALTERNATIVE_ROWS = (
    "facility_energy_mwh",
    "pue",
    # The modelled PUE and the free cooling's share: every scenario on the same footing (docs/alternatives-basis.md).
    "pue_modelled",
    "cooling_share_free",
    "peak_demand_mw",
    "water_withdrawal_m3",
    "thermal_discharge_mw",
    "thermal_discharge_max_mw",
    "co2e_location_t",
    "heat_rejected_mwh",
)

#: Indicators shown together in one table (one unit for each group).
WATER_ROWS = ("water_withdrawal_m3", "water_onsite_m3", "water_returned_m3", "water_offsite_m3")
CARBON_ROWS = (
    "co2e_location_t",
    "co2e_location_direct_t",
    "co2e_market_t",
    "co2e_generators_t",
    "co2e_refrigerant_t",
    "co2e_total_t",
)


@dataclass
class Timings:
    """Seconds spent in each stage (for ``make bench``)."""

    estimate: float = 0.0
    figures: float = 0.0
    html: float = 0.0
    pdf: float = 0.0
    steps: dict = field(default_factory=dict)


def dossier_date(date: str | None = None) -> dt.date:
    """The dossier's date: ``date`` (YYYY-MM-DD), else $SOURCE_DATE_EPOCH, else today."""
    if date:
        try:
            return dt.date.fromisoformat(date)
        except ValueError:
            raise InputError("--date", f"must be a date written YYYY-MM-DD, got {date!r}") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


# ----------------------------------------------------------------------------- inputs
#: Inputs whose text value is a code, translated through ``<namespace><code>``.
CODE_VALUES = {
    "cooling.type": "cooling_type.",
    "procedure.type": "procedure.name.",
    "procedure.addressee": "procedure.addressee.",
}

#: Arguments of a record's ``note_args`` that are codes, translated through ``<namespace><code>``.
CODE_ARGS = {
    "cooling_type": "cooling_type.",
    "addressee": "procedure.addressee.",
    "kind": "climate.kind.",
    "basin": "water.basin.",
}

#: Arguments of a record's ``note_args`` that are citations (shown as such, in their own words).
CITATION_ARGS = {"legal_basis"}

#: Inputs always shown in the project section (the others there: given or derived).
SITE_INPUTS = (
    "utilisation",
    "pue",
    "wue_l_per_kwh",
    "grid.carbon_intensity_g_per_kwh",
    "grid.carbon_intensity_direct_g_per_kwh",
    "climate",
    "generators",
    "refrigerant",
)


def _record_args(rec, results, lang: str) -> dict:
    """A record's ``note_args`` for the catalogue: numbers formatted, codes translated, and
    ``cooling_reason`` (why the hourly model did not run) always available."""
    from markupsafe import Markup

    t = catalogue(lang)
    args = {"cooling_reason": narrative.cooling_reason(results, lang) or t("cooling_model.not_run.other")}
    for k, v in rec.note_args:
        if k in CODE_ARGS and isinstance(v, str):
            v = t(f"{CODE_ARGS[k]}{v}")
        elif k in CITATION_ARGS and isinstance(v, str):
            v = Markup('<cite class="source">{}</cite>').format(v)
        elif k == "year" or k.endswith("_year"):
            v = str(v)  # a year is not a quantity: 2021, not 2 021
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            v = fmt.plain(float(v), lang)
        args[k] = "" if v is None else v
    return args


def _input_value(rec, lang: str, args: dict | None = None) -> str:
    from ..ranges import Range

    t = catalogue(lang)
    if rec.value is None:
        return fmt.unknown(lang)
    if rec.value_key:
        return t(rec.value_key, **(args or {}))
    if isinstance(rec.value, Range):
        return _range_value(rec.value, rec.unit, lang)
    if rec.name in CODE_VALUES:
        return t(f"{CODE_VALUES[rec.name]}{rec.value}")
    # A word the catalogue knows (none, yes, no, unknown), else a code of the project file
    # (refrigerant, year, file name): as written.
    return t.optional(f"value.{rec.value}") or str(rec.value)


def _range_value(value, unit: str, lang: str) -> str:
    """``22 MW``, ``0,56 (0,5 à 0,7)``: an input's central value and range, trailing zeros dropped."""
    target = fmt.best_unit(value.central, unit)
    u = fmt.unit_text(target, lang)

    def num(x):
        return fmt.plain(fmt.convert(x, unit, target), lang)

    c = num(value.central) + (fmt.NBSP + u if u else "")
    if value.is_point:
        return c
    return f"{c} ({catalogue(lang)('number.range', low=num(value.low), high=num(value.high))})"


def input_row(rec, results, lang: str) -> dict:
    """One input as the dossier shows it: value, status, source and note in ``lang``.

    The source is a citation, or impact's own words (``source_key``); the note is
    impact's (``note_key``), and the reference table's own note is kept apart as the
    source's words (``source_note``, in English: shown marked ``lang="en"``). A note
    without a key (written elsewhere than :mod:`impact.inputs`) is shown the same way,
    as English text, rather than hidden.
    """
    from markupsafe import Markup

    t = catalogue(lang)
    args = _record_args(rec, results, lang)
    keys = (rec.note_key,) if rec.note_key else ()
    note = Markup(t("note.join")).join(t.markup(k, **args) for k in keys)
    untranslated = "" if keys or rec.source_note else rec.note
    return {
        "name": rec.name,
        "value": _input_value(rec, lang, args),
        "status": t(f"status.{rec.status}"),
        "status_code": rec.status,
        "declared_unknown": rec.declared_unknown,
        "source": t.markup(rec.source_key, **args) if rec.source_key else rec.source,
        "note": note,
        "source_note": rec.source_note,
        "untranslated": untranslated,
    }


# ----------------------------------------------------------------------------- sections
def _reference_rows(table: str, **match) -> list[dict]:
    from ..sources.reference import read_reference_table

    return [r for r in read_reference_table(table) if all(r.get(k) == v for k, v in match.items())]


def _bibliography(results) -> list[str]:
    """The published sources behind the inputs (tagged primary or secondary), once each."""
    seen: list[str] = []
    for rec in results.inputs.values():
        if rec.status == "unknown" or not rec.source or rec.source_key:
            continue
        for part in rec.source.split("; "):
            if ("[primary]" in part or "[secondary]" in part) and part not in seen:
                seen.append(part)
    return sorted(seen, key=str.lower)


def _key_figures(r, lang: str) -> list[dict]:
    ind = r.indicators
    out = []
    for name, equiv in KEY_FIGURES:
        i = ind[name]
        if name in ("thermal_discharge_mw", "thermal_discharge_max_mw") and i.known and i.central == 0:
            continue
        entry = {
            "label": narrative.label(name, lang),
            "value": narrative.value_text(r, name, lang),
            "known": i.known,
            "equiv": "",
        }
        returned = ind["water_returned_m3"]
        if name == "water_withdrawal_m3" and narrative.water_medium(r) and returned.known and returned.central > 0:
            # Once-through water is not consumed: named apart, compared with no domestic use.
            returned_text = fmt.quantity(returned.central, returned.unit, lang)
            entry["equiv"] = catalogue(lang)(
                f"dossier.key.returned.{narrative.returned_medium(r)}", returned=returned_text
            )
        elif name == "co2e_total_t" and i.known:
            entry["equiv"] = _total_defaults_text(r, lang)
        elif equiv and ind[equiv].known:
            e = ind[equiv]
            if e.unit == "-":
                entry["equiv"] = narrative.share_phrase(r, equiv, lang)
            elif equiv == "co2e_location_direct_t":
                low = fmt.quantity(e.central, e.unit, lang)
                basis = narrative.carbon_basis(r, lang)[0]
                entry["equiv"] = catalogue(lang)("dossier.key.carbon_low", basis=basis, value=low)
            else:
                entry["equiv"] = catalogue(lang)("dossier.key.about", value=fmt.quantity(e.central, e.unit, lang))
        out.append(entry)
    return out


def _total_defaults_text(r, lang: str) -> str:
    """What the GHG total is made of, and the share of its central value that rests on defaults."""
    from ..totals import defaulted_indicators

    t, ind = catalogue(lang), r.indicators
    parts = [k for k in defaulted_indicators(r.inputs) if ind[k].known]
    total = ind["co2e_total_t"].central
    if not parts or not total:
        return t("dossier.key.total_complete")
    share = sum(ind[k].central for k in parts) / total
    names = t.join(t(f"short.{k}") for k in parts)
    key = "dossier.key.total_partial" if ind["co2e_total_t"].status == "partial" else "dossier.key.total_defaults"
    return t(key, share=fmt.percent(share, lang), names=names)


#: The territory table: (row key, level of the name, input record, share indicator).
TERRITORY_ROWS = (
    ("commune", "commune", "city.annual_electricity_mwh", "share_of_city_electricity"),
    ("commune_peak", "commune", "city.peak_demand_mw", "share_of_city_peak_demand"),
    ("departement", "departement", "departement.annual_electricity_mwh", "share_of_departement_electricity"),
    ("region", "region", "region.annual_electricity_mwh", "share_of_region_electricity"),
    ("france", None, "france.annual_electricity_mwh", "share_of_france_electricity"),
    ("france_datacentres", None, "france.datacentres_electricity_mwh", "share_of_france_datacentres"),
)


def _territory(r, lang: str) -> dict:
    """Where the site is (commune, département, région, EPCI) and its share of each one's electricity."""
    from markupsafe import Markup

    t = catalogue(lang)
    site = r.site
    sentences = []

    def name(text: str) -> Markup:  # official names are French, whatever the dossier's language
        return Markup('<span lang="fr">{}</span>').format(text)

    if site is not None and site.placed:
        c = site.commune
        args = {
            "commune": name(c.name),
            "population": fmt.number(c.population, lang, decimals=0),
            "departement": name(site.departement.name) if site.departement else fmt.unknown(lang),
            "region": name(site.region.name) if site.region else fmt.unknown(lang),
        }
        sentences.append(
            t.markup("territory.place_epci", epci=name(site.epci.name), **args)
            if site.epci
            else t.markup("territory.place", **args)
        )
        if site.placed_by == "city_name":
            sentences.append(t("territory.placed_by_name"))
        elif site.city_check == "mismatch":
            sentences.append(t.markup("territory.mismatch", commune=name(c.name), declared=site.declared_city))
    elif site is not None:
        sentences.append(t(f"territory.not_placed.{site.reason}", declared=site.declared_city or ""))
    rows = []
    for key, level, record, share in TERRITORY_ROWS:
        rec = r.inputs.get(record)
        if rec is None:
            continue
        shown = input_row(rec, r, lang)
        place = narrative.place_name(r, level)
        # The basis: how the figure was made (an estimate's method), and where it comes from.
        method = shown["note"] if rec.note_key not in ("", "note.not_given") else ""
        basis = t.markup("territory.basis", status=shown["status"], basis=method or shown["source"])
        if method and rec.status != "unknown":  # an unknown figure's "source" only repeats why
            basis = Markup("{}<br>{}").format(basis, shown["source"])
        rows.append(
            {
                "territory": t(f"territory.row.{key}", name=place),
                "consumption": shown["value"],
                "share": narrative.share_cell(r[share], lang),
                "known": r[share].known,
                "basis": basis,
            }
        )
    return {"sentences": sentences, "rows": rows}


def _local_needs(p, lang: str) -> list[dict]:
    from .catalogue import data_column

    city = (p.city or "").strip()
    if not city:
        return []
    return [
        {
            "need": data_column(row, "need", lang),
            "value": fmt.plain_quantity(float(row["value"]), row["unit"], lang),
            "source": f"{row['source']}, {row['year']} [{row['quality']}]",
            "note": row["note"],
        }
        for row in _reference_rows("local_grid_needs", city=city, country=p.country)
    ]


def _national(p, lang: str) -> dict | None:
    """The national context sentence (``national.summary.<country>``), when the country has one."""
    rows = {row["quantity"]: row for row in _reference_rows("national_context", country=p.country)}
    t = catalogue(lang)
    key = f"national.summary.{p.country}"
    if not rows or not t.has(key):
        return None
    # Annual figures: the sentence says "a year" itself.
    values = {k: fmt.plain_quantity(float(v["value"]), v["unit"].removesuffix("/yr"), lang) for k, v in rows.items()}
    try:
        text = t(key, **values)
    except LookupError:
        return None  # the table lacks a figure the sentence needs: no sentence rather than a wrong one
    return {"text": text, "sources": sorted({f"{v['source']} [{v['quality']}]" for v in rows.values()})}


def _rules(p, lang: str) -> list[dict]:
    from .catalogue import data_column

    return [
        {
            "rule": data_column(row, "rule", lang),
            "value": fmt.plain_quantity(float(row["value"]), row["unit"], lang),
            "source": f"{row['source']} [{row['quality']}]",
            "note": row["note"],
        }
        for row in _reference_rows("regulations", country=p.country)
    ]


def _alternatives(r, alternatives, lang: str) -> dict | None:
    if not alternatives:
        return None
    p = r.project
    cols = [(catalogue(lang)("alternatives.declared"), r)] + [(n, a) for n, a in alternatives]
    rows = []
    for n in ALTERNATIVE_ROWS:
        # One unit per row: the scenarios are read side by side.
        to = fmt.common_unit([a[n].central for _, a in cols], INDICATORS[n].unit)
        rows.append(
            {"label": narrative.label(n, lang), "values": [narrative.central_text(a, n, lang, to=to) for _, a in cols]}
        )
    return {
        "columns": [c for c, _ in cols],
        "descriptions": [""] + [alt.description or "" for alt in p.alternatives],
        "rows": rows,
        "declared_pue_note": _declared_pue_note(r, alternatives, lang),
    }


def _declared_pue_note(r, alternatives, lang: str) -> str:
    """When the declared column uses the promoter's PUE and some scenario a modelled one: say that the
    columns differ by that too (docs/alternatives-basis.md), or "" ."""
    declared = r.inputs.get("pue")
    if declared is None or declared.status != "given" or not r["pue"].known:
        return ""
    if not any((a.inputs.get("pue") is None or a.inputs["pue"].status != "given") for _, a in alternatives):
        return ""
    return catalogue(lang)("alternatives.declared_pue", pue=fmt.number(r["pue"].central, lang))


def _group_values(r, names, lang: str) -> dict[str, str]:
    """Indicators read together in one table: one unit for all of them."""
    unit = INDICATORS[names[0]].unit
    to = fmt.common_unit([r[n].central for n in names], unit)
    return {n: narrative.value_text(r, n, lang, to=to) for n in names}


def _claims(r, checks, lang: str) -> list[dict]:
    return [
        {
            "indicator": narrative.label(c.indicator, lang),
            "claimed": narrative.claim_value(c, lang),
            "source": c.source,
            "note": c.note or "",
            "verdict": narrative.verdict_text(c.verdict, lang),
            "verdict_code": c.verdict,
            "reason": narrative.claim_reason(c, r, lang),
            "converted": narrative.claim_conversion(c, lang),
            "estimate": narrative.value_text(r, c.compared_with, lang),
        }
        for c in checks
    ]


def _methods(r, lang: str) -> list[dict]:
    t = catalogue(lang)
    out = []
    for n, info in INDICATORS.items():
        ind = r.indicators[n]
        key = method_key(ind.method)
        out.append(
            {
                "name": n,
                "label": info.label(lang),
                "unit": fmt.unit_text(info.unit, lang),
                "definition": info.describe(lang),
                "method": t(key) if key else ind.method,
                "method_translated": key is not None,
                "note": _annex_note(r, ind, lang),
                "status": ind.status,
            }
        )
    return out


def method_key(method: str) -> str | None:
    """The catalogue key of an engine's method text (the English catalogue holds the
    engine's own words under ``method.*``), or None for a text it does not know."""
    return _method_keys().get(method)


@cache
def _method_keys() -> dict[str, str]:
    from .catalogue import DATA_LANG

    en = catalogue(DATA_LANG)
    return {en.text(k): k for k in en.keys("method.")}


def _procedure(r, lang: str) -> dict:
    """The procedure for the cover: its type, and when the project file gives it, its
    description (``procedure.description.<type>``), dates and authority."""
    import datetime as _dt

    facts = narrative.procedure_facts(r)
    t = catalogue(lang)
    out = {"type": facts["type"], "description": "", "dates": "", "authority": facts.get("authority") or ""}
    if facts.get("status") == "given":
        out["description"] = t(f"procedure.description.{facts['type']}")
    if facts.get("start") and facts.get("end"):
        start, end = (_dt.date.fromisoformat(str(facts[k])) for k in ("start", "end"))
        out["dates"] = t("procedure.dates", start=date_words(start, lang), end=date_words(end, lang))
    return out


def _announced_power(r, lang: str) -> list[str]:
    """The announced power: its basis, then its check against the estimate, or a peak above
    an announced grid connection (the estimate's ``meta["announced_power"]``)."""
    a = r.meta.get("announced_power")
    if not a:
        return []
    t = catalogue(lang)
    value = fmt.plain(a["value_mw"], lang)
    out = [t(f"note.announced_power.basis.{a['basis']}") + " " + t("dossier.electricity.announced", value_mw=value)]
    if a.get("check"):
        out.append(t(f"announced_power.check.{a['check']['reason']}", value_mw=value))
    if a.get("peak_exceeds_connection"):
        out.append(t(f"indicator.peak_demand_mw.exceeds_connection.{a['peak_exceeds_connection']}", value_mw=value))
    return out


def _ramp_up(r, lang: str) -> str:
    """The first two years of operation, IT load ramping up (utilisation.csv); "" when unknown."""
    e1, e2 = r.indicators.get("facility_energy_year_1_mwh"), r.indicators.get("facility_energy_year_2_mwh")
    declared = ((r.meta or {}).get("ramp_up") or {}).get("declared") and "year_1_utilisation" not in r.inputs
    if declared and e1 is not None and e1.known and e2 is not None:
        return catalogue(lang)(  # the declared phases (docs/construction.md)
            "construction.ramp.electricity",
            e1=narrative.value_text(r, "facility_energy_year_1_mwh", lang),
            e2=narrative.value_text(r, "facility_energy_year_2_mwh", lang),
        )
    u1, u2 = r.inputs.get("year_1_utilisation"), r.inputs.get("year_2_utilisation")
    if e1 is None or e2 is None or not e1.known or not e2.known or u1 is None or u2 is None:
        return ""
    return catalogue(lang)(
        "dossier.electricity.ramp_up",
        u1=fmt.percent(u1.value.central, lang, digits=2),
        u2=fmt.percent(u2.value.central, lang, digits=2),
        e1=narrative.value_text(r, "facility_energy_year_1_mwh", lang),
        e2=narrative.value_text(r, "facility_energy_year_2_mwh", lang),
    )


def _country_key(prefix: str, country: str, lang: str) -> str:
    """``<prefix><country>`` when the catalogue has a sentence for that country, else ``<prefix>other``."""
    key = f"{prefix}{country}"
    return key if catalogue(lang).has(key) else f"{prefix}other"


def _coordinates(p, lang: str) -> str:
    if p.location is None:
        return ""
    return catalogue(lang)(
        "dossier.cover.coordinates",
        lat=fmt.number(p.location.lat, lang, decimals=4),
        lon=fmt.number(p.location.lon, lang, decimals=4),
    )


def _cooling_description(r, lang: str) -> str:
    """How the hourly model meets the heat load, step by step, for this cooling system."""
    from ..model.cooling import SYSTEMS

    t = catalogue(lang)
    cooling_type = narrative.cooling_type(r)
    assert cooling_type is not None  # only called when the hourly model ran: a declared cooling system
    spec = SYSTEMS[cooling_type]
    steps = []
    if narrative.water_medium(r):
        steps.append(t(f"dossier.cooling.step.water.{narrative.withdrawn_medium(r)}"))
    if spec.get("liquid"):
        steps.append(t("dossier.cooling.step.liquid"))
    free = r.inputs.get("cooling.free_cooling")
    if free is not None and free.value == "yes":
        steps.append(t(f"dossier.cooling.step.free.{spec['economiser']}"))
    steps.append(t(f"dossier.cooling.step.chillers.{spec['condenser']}"))
    return t("dossier.cooling.model", steps=t("dossier.cooling.then").join(steps))


def _climate(r, lang: str) -> dict:
    """Which climate the hourly model used (``meta["climate"]``), or why there was none (the
    ``climate`` record's ``note.climate.none`` / ``note.climate.no_location`` and its arguments)."""
    from markupsafe import Markup

    t = catalogue(lang)
    c = r.meta.get("climate")
    out: dict[str, Any] = {"sentences": [], "none": "", "attribution": "", "chart_note": ""}
    if c:
        num = lambda x: fmt.plain(x, lang, digits=3) if x is not None else fmt.unknown(lang)  # noqa: E731
        if c["kind"] in ("weather file", "PVGIS file"):
            out["sentences"].append(t.markup("climate.choice.file", station=c["station"]))
        else:
            # The data's attribution is the licensor's own wording: shown as a citation.
            cite = Markup('<cite class="source">{}</cite>').format(c["attribution"])
            out["sentences"].append(
                t.markup(
                    "climate.choice",
                    station=c["station"],
                    distance_km=num(c["distance_km"]),
                    period=c["period"],
                    attribution=cite,
                )
            )
            if c.get("site_altitude_m") is None:
                out["sentences"].append(t("climate.choice.no_site_altitude"))
            elif c.get("station_altitude_m") is not None:
                out["sentences"].append(
                    t(
                        "climate.choice.altitude",
                        site_altitude_m=fmt.plain(c["site_altitude_m"], lang),
                        station_altitude_m=fmt.plain(c["station_altitude_m"], lang),
                        correction_k=fmt.plain(round(c["correction_k"], 2), lang),
                    )
                )
            out["sentences"].append(
                t("climate.choice.range", offset_half_width_k=fmt.plain(c["offset_half_width_k"], lang))
            )
        out["attribution"] = "; ".join(x for x in (c.get("attribution"), c.get("licence")) if x)
        out["chart_note"] = t("climate.chart_note", station=c["station"], period=c["period"])
        return out
    rec = r.inputs.get("climate")
    if (
        rec is not None
        and rec.status == "unknown"
        and rec.note_key in ("note.climate.none", "note.climate.no_location")
    ):
        key = "climate.none" if rec.note_key == "note.climate.none" else "climate.none.no_location"
        args = {
            k: ("" if v is None else fmt.plain(v, lang) if isinstance(v, (int, float)) else v) for k, v in rec.note_args
        }
        out["none"] = t(key, **args)
    return out


def _cooling(r, lang: str) -> dict:
    """The facts that choose the cooling section's sentences."""
    from ..ranges import Range

    td = r["thermal_discharge_mw"]
    out = {
        "hourly": narrative.hourly_ran(r),
        "reason": narrative.cooling_reason(r, lang),
        "type": narrative.cooling_type(r) or "unknown",
        "medium": narrative.water_medium(r),
        "withdrawn": narrative.withdrawn_medium(r),  # where the water comes from (declared source first)
        "returned": narrative.returned_medium(r),  # and where it goes back (receiving water first)
        "discharge": td.known and td.central > 0,
        "water_return": None,
        "delta_t": None,
        "thermal_note": _thermal_note(r, lang),
        "outlet": _outlet_note(r, lang),
        "description": _cooling_description(r, lang) if narrative.hourly_ran(r) else "",
    }
    if r.hourly is not None and "water_return_c" in r.hourly:
        out["water_return"] = fmt.quantity(float(r.hourly["water_return_c"].max()), "°C", lang)
    tin, tout = r.inputs.get("cooling.water_in_c"), r.inputs.get("cooling.water_out_c")
    if tin is not None and tout is not None and isinstance(tin.value, Range) and isinstance(tout.value, Range):
        out["delta_t"] = fmt.plain_quantity(tout.value.central - tin.value.central, "°C", lang)
    return out


def _lifetime(r, lang: str) -> tuple[str | None, str]:
    from ..ranges import Range

    lifetime = r.inputs.get("lifetime_years")
    total = None
    if lifetime is not None and isinstance(lifetime.value, Range) and r["co2e_total_t"].known:
        total = fmt.quantity(r["co2e_total_t"].central * lifetime.value.central, "t CO2e", lang)
    text = _input_value(lifetime, lang) if lifetime is not None else fmt.unknown(lang)
    return total, text


def build_context(
    results,
    alternatives,
    checks,
    figures,
    *,
    lang: str,
    author: str | None,
    date: dt.date,
    fingerprint: str,
    cumulative=None,
) -> dict:
    """Everything the template shows, as plain values (the template only lays it out).

    ``cumulative``: the registry's other sites added up with the project
    (:func:`impact.cumulative.for_dossier`), None without a registry."""
    r, p = results, results.project
    ind = r.indicators
    t = catalogue(lang)
    findings = narrative.findings(r, checks, lang)
    cumul = cumulative_report.section(cumulative, r, lang)  # docs/cumulative.md
    questions = narrative.questions(r, checks, lang) + cumul["questions"]
    date_text = date_words(date, lang)
    contribution = narrative.contribution_markdown(
        r, checks, findings + cumul["headline"], questions, lang, author, date_text
    )
    claims = _claims(r, checks, lang)
    lifetime_total, lifetime = _lifetime(r, lang)
    groups = {}
    for names in (WATER_ROWS, CARBON_ROWS):
        groups.update(_group_values(r, names, lang))
    return {
        "lang": lang,
        "t": t.markup,
        "procedure": _procedure(r, lang),
        "project": p,
        "title": p.name,
        "author": author,
        "date": date_text,
        "date_iso": date.isoformat(),
        "version": __version__,
        "fingerprint": fingerprint,
        "meta": r.meta,
        "key_figures": _key_figures(r, lang),
        "findings": findings,
        "inputs": [input_row(rec, r, lang) for rec in r.inputs.values()],
        "site_inputs": SITE_INPUTS,
        "val": {**{n: narrative.value_text(r, n, lang) for n in INDICATORS}, **groups},
        "known": {n: ind[n].known for n in INDICATORS},
        "notes": {n: _annex_note(r, ind[n], lang) for n in INDICATORS},
        "status": {n: ind[n].status for n in INDICATORS},
        "local_needs": _local_needs(p, lang),
        "heating_basis": local_figures.heating_basis(r, lang),
        "territory": _territory(r, lang),
        "share_phrase": narrative.share_phrase(r, "share_of_city_peak_demand", lang),
        "national": _national(p, lang),
        "rules": _rules(p, lang),
        "cooling": _cooling(r, lang),
        "climate": _climate(r, lang),
        "pue_given": r.inputs["pue"].status == "given" if "pue" in r.inputs else False,
        "announced_power": _announced_power(r, lang),
        "ramp_up": _ramp_up(r, lang),
        "heat_upper_bound": (
            r.inputs.get("heat_reuse_share") is not None
            and r.inputs["heat_reuse_share"].note_key == "note.heat_reuse_share.unknown"
        ),
        "contract": narrative.renewable_contract(r),
        "water_offsite_key": _country_key("dossier.water.offsite_note.", p.country, lang),
        "tornado_indicator": tornado_indicator(r),
        "coordinates": _coordinates(p, lang),
        "commune": p.city or ((r.meta.get("site") or {}).get("commune") or {}).get("name") or "",
        "lifetime_total": lifetime_total,
        "totals_defaults": _totals_defaults(r, lang),
        "lifetime": lifetime,
        "nearest_substations": [
            {"name": s["name"], "voltage": s.get("voltage") or "", "distance": fmt.distance(s["distance_km"], lang)}
            for s in (r.nearest_substations or [])
        ],
        "alternatives": _alternatives(r, alternatives, lang),
        "eu_table": eu_report.table(r, lang),
        "heatreuse": heatreuse_report.section(r, lang),
        "icpe_table": icpe_report.table(r, lang),
        "water_resource": _water_resource_paragraphs(r, lang),  # issue 13, item 6
        "air": air_report.section(r, lang),
        "air_more": air_report.more(r, lang),
        "noise": noise_report.section(r, lang),
        "construction": construction_report.section(r, lang),  # issue 13, item 7
        "opinion_answer": answer_report.table(p, lang),
        "cumulative": cumul,
        "claims": claims,
        "saving_claim": next((c for c, raw in zip(claims, checks) if raw.indicator in SAVING_BASIS), None),
        "saving_basis": narrative.saving_basis(r, checks, lang),
        "label": {n: info.label(lang) for n, info in INDICATORS.items()},
        "questions": questions,
        "contribution": contribution,
        "contribution_html": markdown_to_html(contribution),
        "methods": _methods(r, lang),
        "bibliography": _bibliography(r),
        "figures": figures,
    }


def _totals_defaults(results, lang: str) -> str:
    from .totals_text import totals_defaults_sentence

    return totals_defaults_sentence(results, lang)


def _annex_note(results, ind, lang: str) -> str:
    """Why an indicator is unknown or partial, in the dossier's language."""
    t = catalogue(lang)
    if ind.status == "estimated":
        return ""
    if ind.note.startswith("not applicable"):  # e.g. the receiving water's rise of an air-cooled site
        return t("annex.note.not_applicable")
    names = t.join(narrative.lower_first(INDICATORS[m].label(lang)) if m in INDICATORS else m for m in ind.missing)
    if ind.status == "partial":
        return t("annex.note.partial", names=names)
    if names:
        return t("annex.note.unknown_inputs", names=names)
    reason = narrative.cooling_reason(results, lang)
    return t("annex.note.unknown_model", reason=reason) if reason else t("annex.note.unknown")


def _outlet_note(results, lang: str) -> str:
    """The second-law paragraph when the declared outlet is above what the cooling loop can reach."""
    outlet = (getattr(results, "meta", None) or {}).get("water_outlet")
    if not outlet or outlet["reachable"] or any(outlet.get(k) is None for k in ("supply_c", "approach_k", "band_k")):
        return ""
    t = catalogue(lang)

    def deg(x):
        return fmt.quantity(x, "°C", lang)

    def kelvin(x):
        return fmt.plain_quantity(x, "K", lang)

    loop = outlet["supply_c"] - outlet["approach_k"] + outlet["band_k"]
    declared = fmt.plain_quantity(outlet["declared_c"], "°C", lang)
    text = t(
        "dossier.cooling.outlet",
        supply=deg(outlet["supply_c"]),
        approach=kelvin(outlet["approach_k"]),
        band=kelvin(outlet["band_k"]),
        loop=deg(loop),
        hx=kelvin(outlet["hx_approach_k"]),
        reachable=deg(outlet["reachable_c"]),
        low=deg(outlet["reachable_low_c"]),
        high=deg(outlet["reachable_high_c"]),
        declared=declared,
        volume=narrative.value_text(results, "water_returned_m3", lang),
    )
    if outlet.get("volume_at_declared_m3"):
        text += t(
            "dossier.cooling.outlet_declared", volume_declared=fmt.quantity(outlet["volume_at_declared_m3"], "m3", lang)
        )
    return text + t("dossier.cooling.outlet_ask", declared=declared)


def _thermal_note(results, lang: str) -> str:
    """When the declared flow could carry more heat than the site sends to the water."""
    from ..model.heat import rise_for_heat_k, thermal_power_mw
    from ..ranges import Range

    rec = results.inputs
    keys = (
        "cooling.water_flow_m3_per_h",
        "cooling.water_in_c",
        "cooling.water_out_c",
        "water_density_kg_per_m3",
        "water_specific_heat_j_per_kg_k",
    )
    if not all(k in rec and isinstance(rec[k].value, Range) for k in keys):
        return ""
    flow, tin, tout, rho, cp = (rec[k].value.central for k in keys)
    outlet = (getattr(results, "meta", None) or {}).get("water_outlet")
    used = outlet["used_c"] if outlet else tout  # the declared outlet, or the reachable one if lower
    capacity = thermal_power_mw(flow, used - tin, rho, cp)
    td = results["thermal_discharge_max_mw"]
    if not td.known or td.central >= 0.95 * capacity:
        return ""
    t = catalogue(lang)
    args = {
        "capacity": fmt.quantity(capacity, "MW", lang),
        "discharge": fmt.quantity(td.central, "MW", lang),
        "declared": fmt.plain_quantity(tout, "°C", lang),
    }
    # The return temperature of the declared flow when it carries the maximum (full IT load), the
    # figure the sentence quotes: intake + heat / (flow x density x specific heat).
    ret = tin + rise_for_heat_k(td.central, flow, rho, cp)
    return t("dossier.cooling.thermal_note_return", returned=fmt.quantity(ret, "°C", lang), **args)


def date_words(date: dt.date, lang: str) -> str:
    """``25 novembre 2026`` / ``25 November 2026``."""
    t = catalogue(lang)
    day = t.optional(f"date.day.{date.day}") or str(date.day)  # « 1er » in French
    return t("date.format", day=day, month=t(f"month.{date.month}"), year=date.year)


def markdown_to_html(text: str) -> str:
    """The draft contribution's small Markdown (headings, lists, emphasis) as escaped HTML.

    Only the draft's own structure is read: a line starting with ``#``, ``- ``, ``1. `` or
    wrapped in ``*``. Backslash escapes (:func:`impact.report.markdown.md_escape`, which
    the draft applies to every text) show as the character escaped, so a name such as
    ``# x`` or ``1. x`` is text, never a heading or a list; any HTML is escaped.
    """
    import re

    from markupsafe import Markup, escape

    from .markdown import md_unescape

    out, in_ul, in_ol = [], False, False

    def close():
        nonlocal in_ul, in_ol
        if in_ul:
            out.append("</ul>")
        if in_ol:
            out.append("</ol>")
        in_ul = in_ol = False

    def inline(s: str):
        return escape(md_unescape(s))

    for line in text.split("\n"):  # not splitlines: U+2028 and the like are no line break here
        s = line.strip()
        numbered = re.match(r"\d{1,9}\. ", s)
        if not s:
            close()
            continue
        if s.startswith("#"):
            close()
            level = min(len(s) - len(s.lstrip("#")) + 2, 4)
            out.append(f"<h{level}>{inline(s.lstrip('#').strip())}</h{level}>")
        elif s.startswith("- "):
            if not in_ul:
                close()
                out.append("<ul>")
                in_ul = True
            out.append(f"<li>{inline(s[2:])}</li>")
        elif numbered:
            if not in_ol:
                close()
                out.append("<ol>")
                in_ol = True
            out.append(f"<li>{inline(s[numbered.end() :])}</li>")
        elif len(s) > 1 and s.startswith("*") and s.endswith("*") and not s.endswith("\\*"):
            close()
            out.append(f"<p><em>{inline(s[1:-1])}</em></p>")
        else:
            close()
            out.append(f"<p>{inline(s)}</p>")
    close()
    return Markup("\n".join(out))


# ----------------------------------------------------------------------------- rendering
def template_env():
    """The Jinja2 environment of the reports: autoescape, strict undefined, and the
    ``strong`` filter (an escaped value in ``<strong>``, for a catalogue placeholder)."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=jinja2.select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["strong"] = lambda value: Markup("<strong>{}</strong>").format(value)
    env.filters["css_string"] = css_string
    return env


def css_string(text) -> str:
    """``text`` as a quoted CSS string (inside <style>, where HTML entities mean nothing)."""
    from markupsafe import Markup

    text = text.unescape() if isinstance(text, Markup) else str(text)
    out = "".join(
        c if c.isalnum() or c in " -_.,;:!?()%/'" or (ord(c) > 127 and c not in "\u2028\u2029") else f"\\{ord(c):x} "
        for c in text
    )
    return Markup(f'"{out}"')


def render_html(context: dict) -> str:
    """The dossier's HTML; ``context`` from :func:`build_context` (``t`` is the catalogue's
    :meth:`~impact.report.catalogue.Catalogue.markup`)."""
    return template_env().get_template("dossier.html.j2").render(**context)


@dataclass
class DossierOutput:
    pdf: Path
    markdown: Path
    html: Path | None
    timings: Timings
    blocked: list[str]


def _outputs(pdf: Path, html: Path | None) -> list[Path]:
    return [pdf, pdf.with_suffix(".md")] + ([html] if html else [])


def build_dossier(
    project_file: Path,
    output: Path | None = None,
    *,
    html_output: Path | None = None,
    lang: str = "fr",
    author: str | None = None,
    force: bool = False,
    date: str | None = None,
    draws: int | None = None,
    registry: Path | None = None,
) -> DossierOutput:
    """Estimate ``project_file`` and write its dossier (PDF, Markdown draft, optional HTML).

    ``registry``: a registry of data centres (CSV or GeoJSON, :func:`impact.sources.read_registry`,
    bad rows skipped); its located sites near the project are drawn on the maps (it replaces the
    project's ``context.registry``).

    Raises
    ------
    InputError
        for a bad project or data file, or an output that exists without ``force``.
    """
    from ..engine import DEFAULT_DRAWS, estimate
    from ..validation import validate

    project_file = Path(project_file)
    if lang not in languages():
        raise InputError("--lang", f"must be one of {', '.join(languages())}, got {lang!r}")
    output = Path(output) if output is not None else Path(f"{project_file.stem}-dossier.pdf")
    if output.suffix.lower() != ".pdf":
        raise InputError(str(output), "the dossier is a PDF: give a file name ending in .pdf")
    targets = _outputs(output, Path(html_output) if html_output else None)
    check_targets(
        list(zip(("-o", "the draft (.md beside the PDF)", "--html"), targets)),
        force=force,
        inputs=[project_file, registry],
    )
    day = dossier_date(date)

    timings = Timings()
    t0 = time.perf_counter()
    # What `impact check` validates, and the run's data files, each read and parsed once.
    resolved = validate(project_file, registry=registry)
    project = resolved.project
    results = estimate(resolved, draws=draws or DEFAULT_DRAWS)
    from ..claims import check_claims

    alts = [(name, estimate(alt, draws=draws or DEFAULT_DRAWS)) for name, alt in resolved.alternatives]
    checks = check_claims(results)
    fingerprint = results.meta["input_fingerprint"]
    from ..cumulative import for_dossier

    cumulative = for_dossier(results, resolved, registry)  # the registry's other sites (docs/cumulative.md)
    timings.estimate = time.perf_counter() - t0

    with run_tempdir("dossier") as tmp:
        t0 = time.perf_counter()
        from .figures import make_figures

        figures = make_figures(results, alts, tmp, lang, timings.steps, registry=resolved.registry, resolved=resolved)
        timings.figures = time.perf_counter() - t0

        t0 = time.perf_counter()
        context = build_context(
            results,
            alts,
            checks,
            figures,
            lang=lang,
            author=author,
            date=day,
            fingerprint=fingerprint,
            cumulative=cumulative,
        )
        html = render_html(context)
        timings.html = time.perf_counter() - t0

        t0 = time.perf_counter()
        from ..project import project_text
        from .table import format_csv

        attachments = [
            (project_file.name, (project_text(project) or "").encode("utf-8"), "Project file (input)"),
            (
                f"{project_file.stem}-estimate.csv",
                format_csv(results).encode("utf-8"),
                "Results: one row per indicator",
            ),
            *cumulative_report.attachments(cumulative, project_file.stem),  # docs/cumulative.md
        ]
        from .pdf import write_pdf

        # All the outputs or none; without force, none replaces a file another run wrote meanwhile.
        with staged_files(targets, overwrite=force) as tmps:
            blocked = write_pdf(
                html,
                tmps[0],
                base_dir=templates_dir(),
                allowed_dirs=[templates_dir(), tmp],
                date=day,
                attachments=attachments,
                lang=lang,
            )
            tmps[1].write_text(context["contribution"], encoding="utf-8")
            if html_output:
                tmps[2].write_text(html, encoding="utf-8")  # figures are data: URLs: it opens anywhere
        timings.pdf = time.perf_counter() - t0
    return DossierOutput(
        output, output.with_suffix(".md"), Path(html_output) if html_output else None, timings, blocked
    )


def _water_resource_paragraphs(r, lang: str) -> list[str]:
    """The water-resource section's sentences (impact.report.water_resource)."""
    from . import water_resource

    return water_resource.paragraphs(r, lang)
