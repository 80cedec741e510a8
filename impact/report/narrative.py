"""The dossier's sentences: findings, claim verdicts, questions and the draft contribution.

Every number comes from the results and is formatted by :mod:`impact.report.fmt`;
every word comes from the catalogue (:mod:`impact.report.catalogue`). Nothing here
computes an indicator: the functions below only pick the sentence that the facts
call for (did the hourly model run, is the site cooled by a river or the sea, is a
city figure sourced, is a renewable contract declared, which procedure...).
"""

from __future__ import annotations

from ..claims import ClaimCheck
from ..indicators import INDICATORS
from ..ranges import Range
from . import fmt
from .catalogue import catalogue

#: The procedure assumed when the project file does not give one: the tool's first
#: purpose, the contribution to an enquête publique.
DEFAULT_PROCEDURE = "enquete_publique"

PUE_NAMES = ("pue", "pue_modelled")


# ----------------------------------------------------------------------------- facts
def hourly_ran(results) -> bool:
    """Whether the hourly cooling model ran (peak on the hottest hour, 8,760 hours): the
    estimate says so in its meta (batch runs drop the hourly frame itself)."""
    if "cooling_model" in results.meta:
        return results.meta["cooling_model"] == "hourly"
    return results.hourly is not None


def cooling_type(results) -> str | None:
    cooling = results.project.cooling
    return cooling.type if cooling else None


def water_medium(results) -> str | None:
    """``river`` or ``sea`` when the site is cooled by a river or the sea, else None."""
    from ..project import WATER_COOLED

    ctype = cooling_type(results)
    return ctype if ctype in WATER_COOLED else None


def returned_medium(results) -> str | None:
    """Where a water-cooled site returns its warmed water: ``river`` or ``sea``, as the project's
    ``water_resource.receiving_water`` says (a mine's water returned to a port goes to the sea), else
    the cooling type's; None when the site is not water-cooled."""
    from ..water_resource import receiving_water

    medium = water_medium(results)
    if medium is None:
        return None
    project = getattr(results, "project", None)
    return (receiving_water(project) if project is not None else None) or medium


def withdrawn_medium(results) -> str | None:
    """Where a water-cooled site draws its water: the declared ``water_resource.source`` when it is a
    river, the sea, a mine's water or an aquifer, else the cooling type's; None when not water-cooled."""
    medium = water_medium(results)
    if medium is None:
        return None
    wr = getattr(getattr(results, "project", None), "water_resource", None)
    source = getattr(wr, "source", None)
    return source if source in ("river", "sea", "mine_water", "aquifer") else medium


def cooling_reason_key(results) -> str | None:
    """Why the hourly cooling model did not run, as a catalogue key (None when it ran):
    ``cooling_model.not_run.<reason>`` with the estimate's own reason key
    (``meta["cooling_model_reason"]``: no_climate, cooling_not_described,
    water_temperature_unknown), else read from the inputs in the order
    :mod:`impact.inputs` checks them (the climate, the system, the water temperature).
    """
    if hourly_ran(results):
        return None
    reason = results.meta.get("cooling_model_reason") if hasattr(results, "meta") else None
    if reason:
        return f"cooling_model.not_run.{reason}"
    from ..model.cooling import SYSTEMS

    rec = results.inputs
    climate = rec.get("climate")
    if climate is not None and climate.status == "unknown":
        return "cooling_model.not_run.no_climate"
    if cooling_type(results) not in SYSTEMS:
        return "cooling_model.not_run.cooling_not_described"
    water_in = rec.get("cooling.water_in_c")
    if water_medium(results) and water_in is not None and water_in.status == "unknown":
        return "cooling_model.not_run.water_temperature_unknown"
    return "cooling_model.not_run.other"


def cooling_reason(results, lang: str) -> str:
    """Why the hourly model did not run, in ``lang`` ("" when it ran)."""
    key = cooling_reason_key(results)
    return catalogue(lang)(key) if key else ""


def renewable_contract(results) -> bool:
    """Whether the project declares a renewable-electricity contract (PPA, guarantees of origin)."""
    rec = results.inputs.get("grid.renewable_contract_share")
    return bool(rec is not None and rec.status == "given" and rec.value is not None and rec.value.central > 0)


def procedure_facts(results) -> dict:
    """The public procedure as the estimate resolved it (``meta["procedure"]``: type,
    addressee, legal basis, dates...), else from the project file, else the default type."""
    facts = (getattr(results, "meta", None) or {}).get("procedure")
    if facts:
        return facts
    procedure = getattr(results.project, "procedure", None)
    kind = getattr(procedure, "type", None) if procedure is not None else None
    return {"type": kind or DEFAULT_PROCEDURE, "addressee": None, "status": "given" if kind else "default"}


def procedure_type(results) -> str:
    """The type of the public procedure (``enquete_publique``, ``concertation_prealable``...)."""
    return procedure_facts(results)["type"]


# ----------------------------------------------------------------------------- values
def _is_share(name: str, unit: str) -> bool:
    return unit == "-" and name not in PUE_NAMES


def _pue(x: float | None, lang: str) -> str:
    return fmt.number(x, lang, decimals=2)


def value_text(results, name: str, lang: str = "fr", to: str | None = None) -> str:
    """``central`` with its unit, then the range in brackets; « inconnu » when unknown."""
    ind = results.indicators[name]
    if not ind.known:
        return fmt.unknown(lang)
    if name in PUE_NAMES:
        central = _pue(ind.central, lang)
        lo, hi = _pue(ind.low, lang), _pue(ind.high, lang)
        rng = "" if lo == hi else catalogue(lang)("number.range", low=lo, high=hi)
        return f"{central} ({rng})" if rng else central
    return fmt.value_range(ind.central, ind.low, ind.high, ind.unit, lang, share=_is_share(name, ind.unit), to=to)


def central_text(results, name: str, lang: str = "fr", to: str | None = None) -> str:
    """The central value only (tables that compare scenarios or sites)."""
    ind = results.indicators[name]
    if not ind.known:
        return fmt.unknown(lang)
    if name in PUE_NAMES:
        return _pue(ind.central, lang)
    if _is_share(name, ind.unit):
        return fmt.percent(ind.central, lang)
    return fmt.quantity(ind.central, ind.unit, lang, to=to)


def _q(results, name: str, lang: str) -> str:
    ind = results.indicators[name]
    return fmt.quantity(ind.central, ind.unit, lang)


def _range(results, name: str, lang: str) -> str:
    ind = results.indicators[name]
    if _is_share(name, ind.unit):
        return fmt.span(ind.low, ind.high, ind.unit, lang, share=True)
    return fmt.span(ind.low, ind.high, ind.unit, lang, to=fmt.best_unit(ind.central, ind.unit))


def label(name: str, lang: str) -> str:
    return INDICATORS[name].label(lang)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


#: What is often not published, named shortly in a finding (``short.<indicator>``).
SHORT_NAMES = ("co2e_generators_t", "co2e_refrigerant_t", "co2e_embodied_t_per_year", "land_artificialised_m2")


# ----------------------------------------------------------------------------- findings
#: The share indicators, and the territory level whose name goes into their phrase.
SHARE_PLACES = {
    "share_of_city_electricity": "commune",
    "share_of_city_peak_demand": "commune",
    "share_of_departement_electricity": "departement",
    "share_of_region_electricity": "region",
    "share_of_france_electricity": None,
    "share_of_france_datacentres": None,
}


def place_name(results, level: str | None) -> str:
    """The name of the site's territory at ``level`` (the declared city for a commune not placed)."""
    site = getattr(results, "site", None)
    if level is None:
        return ""
    if level == "commune":
        return site.city_name if site is not None else (results.project.city or "").strip()
    territory = getattr(site, level, None) if site is not None else None
    return territory.name if territory is not None else ""


def share_phrase(results, name: str, lang: str = "fr") -> str:
    """A share of a territory in words: « 4,73 % de la pointe ... » or, beyond the whole,
    « 23,7 fois la pointe ... » (a percentage over 100 % reads badly)."""
    ind = results.indicators[name]
    if not ind.known:
        return fmt.unknown(lang)
    t = catalogue(lang)
    place = place_name(results, SHARE_PLACES.get(name))
    if ind.central >= 1:
        return t(f"share.{name}.times", value=fmt.number(ind.central, lang), place=place)
    return t(f"share.{name}.part", value=fmt.percent(ind.central, lang), place=place)


def share_cell(ind, lang: str = "fr") -> str:
    """A share in a table: « 13,6 % », or « 21,8 fois » beyond the whole."""
    if not ind.known:
        return fmt.unknown(lang)
    if ind.central >= 1:
        return catalogue(lang)("share.cell.times", value=fmt.number(ind.central, lang))
    return fmt.percent(ind.central, lang)


def findings(results, checks: list[ClaimCheck], lang: str = "fr") -> list[str]:
    """Three to six findings in plain words."""
    r, t = results, catalogue(lang)
    out = [
        s
        for s in (
            _finding_energy(r, t, lang),
            _finding_peak(r, t, lang),
            _finding_territory(r, t, lang),
            _finding_saving(r, checks, t, lang),
            _finding_water(r, t, lang),
            _finding_carbon(r, t, lang),
        )
        if s
    ]
    from ..totals import defaulted_indicators

    defaulted = defaulted_indicators(r.inputs)  # estimated from defaults: still to be asked for
    unknown = [k for k in SHORT_NAMES if not r[k].known or k in defaulted]
    if unknown:
        out.append(t("finding.unpublished", names=t.join(t(f"short.{k}") for k in unknown)))
    return out[:6]


def _finding_energy(r, t, lang) -> str:
    fe, hh = r["facility_energy_mwh"], r["households_electricity_equiv"]
    if not fe.known:
        return ""
    args = {
        "name": r.project.name,
        "energy": _q(r, "facility_energy_mwh", lang),
        "range": _range(r, "facility_energy_mwh", lang),
    }
    if hh.known:
        return t("finding.energy_households", households=fmt.number(hh.central, lang), **args)
    return t("finding.energy", **args)


def _finding_peak(r, t, lang) -> str:
    pk, share = r["peak_demand_mw"], r["share_of_city_peak_demand"]
    if not pk.known:
        return ""
    key = "finding.peak.hourly" if hourly_ran(r) else "finding.peak.pue"
    peak = _q(r, "peak_demand_mw", lang)
    if share.known:
        return t(key + "_city", peak=peak, share=share_phrase(r, "share_of_city_peak_demand", lang))
    return t(key, peak=peak)


def _finding_territory(r, t, lang) -> str:
    """The project against its département and France's data centres, when both are known."""
    dep, dcs = r["share_of_departement_electricity"], r["share_of_france_datacentres"]
    if not (dep.known and dcs.known):
        return ""
    return t(
        "finding.territory",
        departement=share_phrase(r, "share_of_departement_electricity", lang),
        datacentres=share_phrase(r, "share_of_france_datacentres", lang),
    )


def _finding_saving(r, checks, t, lang) -> str:
    water = _finding_water_saving(r, checks, t, lang)
    if water:
        return water
    saving = r["cooling_saving_share"]
    claim = next((c for c in checks if c.indicator == "cooling_saving_share"), None)
    if saving.known and claim is not None:
        return t(
            "finding.saving_claim",
            saving=fmt.percent(saving.central, lang),
            range=_range(r, "cooling_saving_share", lang),
            claimed=fmt.percent(claim.claimed, lang),
            verdict=verdict_text(claim.verdict, lang).lower(),
        )
    if saving.known and saving.central > 0:
        return t("finding.saving", saving=fmt.percent(saving.central, lang))
    return ""


#: The saving of river or sea water, on the promoter's basis (chillers alone) and against a free-cooled
#: air design of the same site (docs/alternatives-basis.md).
WATER_SAVINGS = {
    "chillers_alone": "cooling_saving_water_vs_chillers_share",
    "free_cooled": "cooling_saving_water_vs_free_cooling_share",
}


def _water_saving_args(r, lang) -> dict | None:
    """The two savings of river or sea water as sentence arguments, or None (no water, no hourly model)."""
    medium = withdrawn_medium(r)
    inds = {basis: r[name] for basis, name in WATER_SAVINGS.items()}
    if medium is None or not all(i.known for i in inds.values()) or inds["chillers_alone"].central <= 0:
        return None
    a, f = WATER_SAVINGS["chillers_alone"], WATER_SAVINGS["free_cooled"]
    return {
        "medium": catalogue(lang)(f"alternatives.medium.{medium}"),
        "saving": fmt.percent(r[a].central, lang),
        "range": _range(r, a, lang),
        "saving_free": fmt.percent(r[f].central, lang),
        "range_free": _range(r, f, lang),
    }


def _finding_water_saving(r, checks, t, lang) -> str:
    """River or sea cooling: the water's saving on both bases, and the promoter's basis when it claims one."""
    from ..claims import saving_claim

    args = _water_saving_args(r, lang)
    if args is None:
        return ""
    claim = saving_claim(checks)
    if claim is None or claim.basis not in WATER_SAVINGS or claim.compared_with not in WATER_SAVINGS.values():
        return t("alternatives.finding.water_saving", **args)
    return t(
        f"alternatives.finding.water_saving_claim.{claim.basis}",
        claimed=fmt.percent(claim.claimed, lang),
        verdict=verdict_text(claim.verdict, lang).lower(),
        **args,
    )


def saving_basis(r, checks, lang: str = "fr") -> str:
    """The dossier's sentence on the basis of the promoter's saving, with the saving on the other basis ("" when
    there is no such claim on a river- or sea-cooled site)."""
    from ..claims import saving_claim

    args = _water_saving_args(r, lang)
    claim = saving_claim(checks)
    if args is None or claim is None or claim.compared_with not in WATER_SAVINGS.values():
        return ""
    return catalogue(lang)(f"alternatives.basis.{claim.basis}", **args)


def _finding_water(r, t, lang) -> str:
    ww, ret, inh = (r[n] for n in ("water_withdrawal_m3", "water_returned_m3", "inhabitants_water_equiv"))
    if water_medium(r) and ret.known and ret.central > 0:
        return _finding_once_through(r, t, lang)
    if not (ww.known and ww.central > 0):
        return ""
    text = t("finding.water", water=_q(r, "water_withdrawal_m3", lang))
    if inh.known:
        text += t("finding.water.inhabitants", inhabitants=fmt.number(inh.central, lang))
    return text + t("sentence.end")


def _finding_once_through(r, t, lang) -> str:
    """River or sea water: the volume returned (not a consumption, compared with no domestic use), the
    heat it takes (annual mean and maximum, each named), the water consumed on site, and the outlet
    the heat balance uses when the declared one cannot be reached."""
    td, mx, onsite, inh = (
        r[n] for n in ("thermal_discharge_mw", "thermal_discharge_max_mw", "water_onsite_m3", "inhabitants_water_equiv")
    )
    text = t(f"finding.water.once_through.{withdrawn_medium(r)}", returned=_q(r, "water_returned_m3", lang))
    if td.known and mx.known:
        text += t(
            f"finding.water.discharge.{returned_medium(r)}",
            mean=_q(r, "thermal_discharge_mw", lang),
            max=_q(r, "thermal_discharge_max_mw", lang),
        )
    if onsite.known and onsite.central > 0:
        text += t("finding.water.onsite", onsite=_q(r, "water_onsite_m3", lang))
        if inh.known:
            text += t("finding.water.inhabitants", inhabitants=fmt.number(inh.central, lang))
    text += t("sentence.end")
    outlet = (getattr(r, "meta", None) or {}).get("water_outlet")
    if outlet and not outlet["reachable"]:
        reachable = fmt.quantity(outlet["reachable_c"], "°C", lang)
        text += " " + t(
            "finding.water.outlet", declared=fmt.plain_quantity(outlet["declared_c"], "°C", lang), reachable=reachable
        )
        at_declared = outlet.get("volume_at_declared_m3")
        if at_declared and outlet.get("volume_m3"):
            text += t("finding.water.outlet_more", more=fmt.percent(outlet["volume_m3"] / at_declared - 1.0, lang))
        text += t("sentence.end")
    return text


def _finding_carbon(r, t, lang) -> str:
    loc = r["co2e_location_t"]
    if not loc.known:
        return ""
    co2 = _q(r, "co2e_location_t", lang)
    basis, code = carbon_basis(r, lang)
    key = "finding.carbon_contract" if renewable_contract(r) else "finding.carbon"
    text = t(key, co2=co2, basis=basis)
    low = r.indicators.get("co2e_location_direct_t")
    direct = r.inputs.get("grid.carbon_intensity_direct_g_per_kwh")
    if code != "direct" and low is not None and low.known and direct is not None and isinstance(direct.value, Range):
        factor = fmt.quantity(direct.value.central, direct.unit, lang)
        text += " " + t("finding.carbon.low", co2=_q(r, "co2e_location_direct_t", lang), factor=factor)
    return text + _finding_total(r, t, lang)


def _finding_total(r, t, lang) -> str:
    """The complete GHG total beside the electricity's, with the share that rests on defaults (issue 12)."""
    from ..totals import defaulted_indicators

    total = r["co2e_total_t"]
    if not total.known or total.central <= r["co2e_location_t"].central:
        return ""  # nothing beyond the electricity is known
    args = {"total": _q(r, "co2e_total_t", lang), "range": _range(r, "co2e_total_t", lang)}
    if total.status == "partial":
        return " " + t("finding.carbon.total_partial", **args)
    parts = [k for k in defaulted_indicators(r.inputs) if r[k].known]
    if not parts:
        return " " + t("finding.carbon.total", **args)
    share = sum(r[k].central for k in parts) / total.central
    names = t.join(t(f"short.{k}") for k in parts)
    return " " + t("finding.carbon.total_defaults", share=fmt.percent(share, lang), names=names, **args)


def carbon_basis(r, lang: str) -> tuple[str, str]:
    """The grid factor behind ``co2e_location_t`` in words (« mix de consommation en cycle de vie,
    46,1 g CO₂e/kWh ») and its basis code: ``consumption``, ``direct``, ``lifecycle``, ``given`` or ``other``."""
    t = catalogue(lang)
    rec = r.inputs.get("grid.carbon_intensity_g_per_kwh")
    if rec is None or not isinstance(rec.value, Range):
        return "", "other"
    factor = fmt.quantity(rec.value.central, rec.unit, lang)
    key = rec.note_key
    if rec.status == "given":
        code = "given"
    elif key.startswith("note.grid.basis."):
        code = key.split(".")[3]
    elif key == "note.grid.eco2mix.consumption":
        code = "consumption"
    elif key == "note.grid.eco2mix.direct":
        code = "direct"
    else:
        code = "other"
    return t(f"carbon.basis.{code}", factor=factor), code


# ----------------------------------------------------------------------------- claims
def verdict_text(verdict: str, lang: str) -> str:
    return catalogue(lang)(f"verdict.{verdict}")


def claim_reason(c: ClaimCheck, results, lang: str = "fr") -> str:
    t = catalogue(lang)
    est = value_text(results, c.compared_with, lang)
    # Name the estimate only when it is another indicator than the claim's (PUE: the modelled one).
    if c.compared_with != c.indicator:
        est = t("claim.estimate_of", label=label(c.compared_with, lang), value=est)
    why = getattr(c, "unknown_reason", "")
    if c.reason == "unknown" and why:
        names = t.join(lower_first(label(m, lang)) if m in INDICATORS else m for m in getattr(c, "missing", ()))
        return t(f"claim.unknown_reason.{why}", inputs=names)
    return t(f"claim.reason.{c.reason}", estimate=est)


def claim_conversion(c: ClaimCheck, lang: str) -> str:
    """How a claim written in another unit was read (« annoncé 1,2 TWh, converti... »), or ""."""
    unit = getattr(c, "unit_as_written", None)
    if not unit:
        return ""
    t = catalogue(lang)
    return t(
        "claim.unit_converted",
        claimed_as_written=fmt.plain(c.claimed_as_written, lang),
        unit_as_written=t.optional(f"unit.{unit}") or unit,
    )


def claim_value(c: ClaimCheck, lang: str) -> str:
    unit = INDICATORS[c.indicator].unit
    if c.indicator in PUE_NAMES:
        return _pue(c.claimed, lang)
    if unit == "-":
        return fmt.percent(c.claimed, lang)
    return fmt.plain_quantity(c.claimed, unit, lang)


# ----------------------------------------------------------------------------- questions
def questions(results, checks: list[ClaimCheck], lang: str = "fr") -> list[str]:
    """Questions for the inquiry: the inputs declared unknown, then those missing, then
    those defaulted (each from the catalogue key ``question.<input name>``, when there is
    one), the grid connection, then the claims that are optimistic or not verifiable."""
    t = catalogue(lang)
    out: list[str] = []
    inputs = results.inputs
    declared = [k for k, r in inputs.items() if r.declared_unknown]
    missing = [k for k, r in inputs.items() if r.status == "unknown" and k not in declared]
    defaulted = [k for k, r in inputs.items() if r.status == "default" and not r.declared_unknown]
    for key in declared + missing + defaulted:
        q = _question(t, inputs[key], results)
        if q is not None and q not in out:
            out.append(q)
    announced = results.meta.get("announced_power") if hasattr(results, "meta") else None
    if announced:
        out.append(t("question.announced_power", value_mw=fmt.plain(announced["value_mw"], lang)))
    out.append(t("question.peak"))
    out.extend(_water_saving_questions(results, t))
    from .water_resource import questions as water_resource_questions

    out.extend(q for q in water_resource_questions(results, lang) if q not in out)  # issue 13, item 6
    from .air import questions as air_questions

    out.extend(q for q in air_questions(results, lang) if q not in out)  # issue 13, item 1
    out.extend(_opinion_questions(results, lang))
    for c in checks:
        if c.verdict in ("optimistic", "not_verifiable"):
            key = f"question.claim.{c.verdict}"
            if t.has(f"{key}.{c.indicator}"):  # a question of its own for this indicator
                key = f"{key}.{c.indicator}"
            out.append(
                t(
                    key,
                    claimed=claim_value(c, lang),
                    indicator=label(c.indicator, lang).lower(),
                    estimate=value_text(results, c.compared_with, lang),
                )
            )
    return out


def _opinion_questions(results, lang: str) -> list[str]:
    """The recommendations of the environmental authority left without an answer or a figure."""
    from .answer import questions as opinion_questions

    project = getattr(results, "project", None)
    return opinion_questions(project, lang) if project is not None else []


def _water_saving_questions(results, t) -> list[str]:
    """River or sea cooling with the tool's default economiser: ask whether the site cools for free, and
    against what its announced saving is measured (docs/alternatives-basis.md)."""
    rec = results.inputs.get("cooling.free_cooling")
    medium = withdrawn_medium(results)
    if medium is None or rec is None or rec.status != "default":
        return []
    return [t("alternatives.question.basis", medium=t(f"alternatives.medium.{medium}"))]


def _question(t, rec, results) -> str | None:
    """The question on input ``rec``: ``question.<name>.<case>`` when the catalogue has one
    for its case (``declared_unknown``, ``unknown``, ``default``), else ``question.<name>``;
    placeholders from the record's ``note_args`` and the announced power."""
    case = "declared_unknown" if rec.declared_unknown else rec.status
    key = f"question.{rec.name}.{case}"
    if not t.has(key):
        key = f"question.{rec.name}"
        if not t.has(key):
            return None
    args = {
        k: str(v)
        if k == "year" or k.endswith("_year")
        else fmt.plain(v, t.lang)
        if isinstance(v, (int, float)) and not isinstance(v, bool)
        else v
        for k, v in rec.note_args
    }
    announced = results.meta.get("announced_power") if hasattr(results, "meta") else None
    if announced:
        args.setdefault("value_mw", fmt.plain(announced["value_mw"], t.lang))
    return t(key, **args)


# ----------------------------------------------------------------------------- contribution
def contribution_markdown(
    results, checks, findings_list, questions_list, lang: str = "fr", author: str | None = None, date: str = ""
) -> str:
    """A draft contribution to the public procedure, in Markdown, for the resident to edit.

    Every text is escaped for Markdown (:func:`impact.report.markdown.md_escape`): the
    sentences hold user text (the project's name, operator and city, the author, the
    claims), which must show as written, never as a heading, a list, a link or HTML. Only
    the draft's own structure (headings, lists, the emphasised note) is Markdown.
    """
    from .markdown import md_escape as esc

    t = catalogue(lang)
    p = results.project
    facts = procedure_facts(results)
    kind = facts["type"]
    to = facts.get("addressee") or "commissaire_enqueteur"
    where = t("contribution.where", city=p.city) if p.city else ""
    op = t("contribution.operator", operator=p.operator) if p.operator else ""
    lines = [
        "# " + esc(t("contribution.title", kind=t(f"procedure.kind.{kind}"), name=p.name, operator=op, where=where)),
        "",
        "*" + esc(t("contribution.draft_note")) + "*",
        "",
        esc(t(f"procedure.salutation.{kind}")),
        "",
        esc(t("contribution.intro", name=p.name)),
        "",
        "## " + esc(t("contribution.findings")),
        "",
        *[f"{n}. {esc(f)}" for n, f in enumerate(findings_list, 1)],
        "",
    ]
    if checks:
        lines += ["## " + esc(t("contribution.claims")), ""]
        for c in checks:
            lines.append(
                "- "
                + esc(
                    t(
                        "contribution.claim",
                        indicator=label(c.indicator, lang),
                        claimed=claim_value(c, lang),
                        verdict=verdict_text(c.verdict, lang).lower(),
                        reason=claim_reason(c, results, lang),
                    )
                )
            )
        lines.append("")
    lines += ["## " + esc(t("contribution.questions")), "", esc(t(f"procedure.questions_intro.{to}")), ""]
    lines += [f"- {esc(q)}" for q in questions_list]
    # The signature placeholder is the draft's own (« [Nom, prénom, adresse] »), left to edit.
    signature = esc(author) if author and author.strip() else t("contribution.signature")
    lines += ["", esc(t(f"procedure.closing.{kind}")), "", signature, esc(date), ""]
    return "\n".join(lines)
