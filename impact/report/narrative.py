"""The dossier's sentences: findings, claim verdicts, questions and the draft contribution.

Every number comes from the results and is formatted by :mod:`impact.report.fmt`;
nothing here computes an indicator. French first, English beside it.
"""

from __future__ import annotations

from ..claims import ClaimCheck
from ..indicators import INDICATORS
from . import fmt


def _q(results, name, lang, unit=None):
    ind = results.indicators[name]
    return fmt.quantity(ind.central, unit or ind.unit, lang)


def _range(results, name, lang):
    ind = results.indicators[name]
    share = ind.unit == "-" and name != "pue" and not name.startswith("pue")
    return fmt.span(ind.low, ind.high, ind.unit, lang, share=share)


def value_text(results, name: str, lang: str = "fr") -> str:
    """``central`` with its unit, then the range in brackets; "unknown" when unknown."""
    ind = results.indicators[name]
    if not ind.known:
        return fmt.UNKNOWN_TEXT[lang]
    if ind.unit == "-" and name not in ("pue", "pue_modelled"):
        central = fmt.percent(ind.central, lang)
    elif name in ("pue", "pue_modelled"):
        central = fmt.number(ind.central, lang, decimals=2)
    else:
        central = fmt.quantity(ind.central, ind.unit, lang)
    r = _range(results, name, lang)
    if name in ("pue", "pue_modelled") and ind.low != ind.high:
        lo, hi = fmt.number(ind.low, lang, decimals=2), fmt.number(ind.high, lang, decimals=2)
        r = f"{lo} à {hi}" if lang == "fr" else f"{lo} to {hi}"
        if lo == hi:
            r = ""
    return f"{central} ({r})" if r else central


def label(name: str, lang: str) -> str:
    return INDICATORS[name].label(lang)


#: Short names of what is often not published.
SHORT_NAMES = {
    "co2e_generators_t": ("groupes électrogènes", "backup generators"),
    "co2e_refrigerant_t": ("fluides frigorigènes", "refrigerants"),
    "co2e_embodied_t_per_year": ("émissions de construction et de fabrication",
                                 "emissions of construction and manufacturing"),
    "land_artificialised_m2": ("surface artificialisée", "sealed area"),
}


# ----------------------------------------------------------------------------- findings
def findings(results, checks: list[ClaimCheck], lang: str = "fr") -> list[str]:
    """Three to six findings in plain words."""
    r, p, fr = results, results.project, lang == "fr"
    name = p.name
    out = []
    fe = r["facility_energy_mwh"]
    hh = r["households_electricity_equiv"]
    if fe.known:
        s = (f"{name} consommerait environ {fmt.quantity(fe.central, 'MWh', lang)} d'électricité par an "
             f"({_range(r, 'facility_energy_mwh', lang)})" if fr else
             f"{name} would use about {fmt.quantity(fe.central, 'MWh', lang)} of electricity a year "
             f"({_range(r, 'facility_energy_mwh', lang)})")
        if hh.known:
            s += (f", autant que {fmt.number(hh.central, lang)} foyers français." if fr else
                  f", as much as {fmt.number(hh.central, lang)} French households.")
        else:
            s += "."
        out.append(s)
    pk, share = r["peak_demand_mw"], r["share_of_city_peak_demand"]
    if pk.known:
        s = (f"Son appel de puissance atteindrait {fmt.quantity(pk.central, 'MW', lang)} à pleine charge "
             f"à l'heure la plus chaude" if fr else
             f"Its grid demand would reach {fmt.quantity(pk.central, 'MW', lang)} at full load on the hottest hour")
        if share.known:
            s += (f", soit {fmt.percent(share.central, lang)} de la pointe de la ville ({p.city})." if fr else
                  f", {fmt.percent(share.central, lang)} of the city's peak demand ({p.city}).")
        else:
            s += "."
        out.append(s)
    saving = r["cooling_saving_share"]
    claim = next((c for c in checks if c.indicator == "cooling_saving_share"), None)
    if saving.known and claim is not None:
        verdict = verdict_text(claim.verdict, lang)
        out.append(
            f"Le refroidissement déclaré réduirait l'électricité du site d'environ {fmt.percent(saving.central, lang)} "
            f"({_range(r, 'cooling_saving_share', lang)}) par rapport à des groupes froids seuls : "
            f"le chiffre du porteur ({fmt.percent(claim.claimed, lang)}) est {verdict.lower()}, "
            f"mais l'économie reste modeste." if fr else
            f"The declared cooling would cut the site's electricity by about {fmt.percent(saving.central, lang)} "
            f"({_range(r, 'cooling_saving_share', lang)}) against chillers alone: the promoter's figure "
            f"({fmt.percent(claim.claimed, lang)}) is {verdict.lower()}, but the saving is small.")
    elif saving.known and saving.central > 0:
        out.append(
            f"Le refroidissement déclaré réduirait l'électricité du site d'environ {fmt.percent(saving.central, lang)} "
            f"par rapport à des groupes froids seuls." if fr else
            f"The declared cooling would cut the site's electricity by about {fmt.percent(saving.central, lang)} "
            f"against chillers alone.")
    ww, ret, td = r["water_withdrawal_m3"], r["water_returned_m3"], r["thermal_discharge_mw"]
    inh = r["inhabitants_water_equiv"]
    if ww.known and ww.central > 0:
        s = (f"Il prélèverait environ {fmt.quantity(ww.central, 'm3', lang)} d'eau par an" if fr else
             f"It would withdraw about {fmt.quantity(ww.central, 'm3', lang)} of water a year")
        if inh.known:
            s += (f", l'équivalent de la consommation domestique de {fmt.number(inh.central, lang)} habitants" if fr
                  else f", the domestic use of {fmt.number(inh.central, lang)} inhabitants")
        if ret.known and ret.central > 0 and td.known:
            s += (f", et rejetterait jusqu'à {fmt.quantity(td.central, 'MW', lang)} de chaleur dans l'eau." if fr else
                  f", and discharge up to {fmt.quantity(td.central, 'MW', lang)} of heat into the water.")
        else:
            s += "."
        out.append(s)
    loc = r["co2e_location_t"]
    contract = r.inputs.get("grid.renewable_contract_share")
    if loc.known:
        s = (f"Ses émissions dues à l'électricité seraient d'environ {fmt.quantity(loc.central, 't CO2e', lang)} par an "
             f"(méthode « location-based »)" if fr else
             f"Its emissions from electricity would be about {fmt.quantity(loc.central, 't CO2e', lang)} a year "
             f"(location-based)")
        if contract is not None and contract.status == "given" and contract.value.central > 0:
            s += (" ; un contrat d'électricité renouvelable ne change pas l'électricité que le réseau fournit." if fr
                  else "; a renewable-electricity contract does not change what the grid supplies.")
        else:
            s += "."
        out.append(s)
    unknown = [k for k in SHORT_NAMES if not r[k].known]
    if unknown:
        names = ", ".join(SHORT_NAMES[k][0 if fr else 1] for k in unknown)
        out.append(f"Des données essentielles ne sont pas publiées ({names}) : elles sont à demander au porteur "
                   f"de projet." if fr else
                   f"Key figures are not published ({names}): they must be asked of the promoter.")
    return out[:6]


# ----------------------------------------------------------------------------- claims
VERDICT_TEXT = {
    "fr": {"consistent": "Cohérent", "optimistic": "Optimiste", "cautious": "Cohérent (prudent)",
           "not_verifiable": "Non vérifiable"},
    "en": {"consistent": "Consistent", "optimistic": "Optimistic", "cautious": "Consistent (cautious)",
           "not_verifiable": "Not verifiable"},
}


def verdict_text(verdict: str, lang: str) -> str:
    return VERDICT_TEXT[lang][verdict]


def claim_reason(c: ClaimCheck, results, lang: str = "fr") -> str:
    fr = lang == "fr"
    est = value_text(results, c.compared_with, lang)
    # Name the estimate only when it is another indicator than the claim's (PUE: the modelled one).
    other = c.compared_with != c.indicator
    what = f"{label(c.compared_with, lang)} : " if other and fr else (
        f"{label(c.compared_with, lang)}: " if other else "")
    if c.reason == "unknown":
        return ("l'estimation est inconnue : les données nécessaires ne sont pas publiées." if fr else
                "the estimate is unknown: the data it needs are not published.")
    if c.reason == "echoes_input":
        return ("l'estimation reprend la valeur déclarée elle-même : il faut une donnée indépendante." if fr else
                "the estimate uses the declared value itself: an independent figure is needed.")
    if c.reason == "in_range":
        return (f"dans la fourchette estimée ({what}{est})." if fr else f"within the estimated range ({what}{est}).")
    side = ("en dessous" if c.reason == "below_range" else "au-dessus") if fr else (
        "below" if c.reason == "below_range" else "above")
    return (f"{side} de la fourchette estimée ({what}{est})." if fr else f"{side} the estimated range ({what}{est}).")


def claim_value(c: ClaimCheck, lang: str) -> str:
    unit = INDICATORS[c.indicator].unit
    if unit == "-" and c.indicator not in ("pue", "pue_modelled"):
        return fmt.percent(c.claimed, lang)
    if c.indicator in ("pue", "pue_modelled"):
        return fmt.number(c.claimed, lang, decimals=2)
    return fmt.quantity(c.claimed, unit, lang)


# ----------------------------------------------------------------------------- questions
QUESTIONS = {
    "utilisation": ("Quel taux de charge informatique moyen est prévu, année après année, et quelle montée en charge ?",
                    "What average IT load is planned, year by year, and how fast will it ramp up?"),
    "pue": ("Quel PUE annuel est prévu (et non seulement « de conception »), mesuré selon la norme EN 50600-4-2 ?",
            "What annual PUE is planned (not only the design value), measured under EN 50600-4-2?"),
    "wue_l_per_kwh": ("Quelle consommation d'eau sur site est prévue (m³ par an, WUE), et pour quels usages ?",
                      "How much water will the site use (m³ a year, WUE), and for what?"),
    "cooling.water_flow_m3_per_h": (
        "Quel débit d'eau sera prélevé (m³/h, m³/an), à quelle température sera-t-elle rejetée, et où ?",
        "What water flow will be withdrawn (m³/h, m³ a year), at what temperature is it returned, and where?"),
    "cooling.water_in_c": ("À quelle température l'eau est-elle prélevée, selon les saisons ?",
                           "At what temperature is the water drawn, season by season?"),
    "cooling.water_out_c": ("À quelle température l'eau est-elle rejetée, et quel est l'effet sur le milieu ?",
                            "At what temperature is the water returned, and with what effect on the environment?"),
    "generators": ("Combien de groupes électrogènes, de quelle puissance, avec quel programme d'essais (heures par "
                   "an, charge) et quel carburant ? Quel classement ICPE (rubriques 2910 ou 3110) ?",
                   "How many backup generators, of what power, with what test programme (hours a year, load) and "
                   "what fuel? Under which ICPE heading (2910 or 3110)?"),
    "refrigerant": ("Quels fluides frigorigènes, quelle charge totale (kg), quel taux de fuite mesuré sur les sites "
                    "existants du même exploitant ?",
                    "Which refrigerants, what total charge (kg), what leak rate is measured at the operator's "
                    "existing sites?"),
    "refrigerant.charge_kg": ("Quelle charge totale de fluide frigorigène (kg) ?",
                              "What total refrigerant charge (kg)?"),
    "equipment.embodied_t": ("Combien de serveurs et d'équipements, renouvelés à quel rythme ? Quel bilan carbone de "
                             "leur fabrication ?",
                             "How many servers and devices, renewed how often? What are the emissions of making "
                             "them?"),
    "building.embodied_tco2e": ("Quel est le bilan carbone de la construction (démolition, béton, acier, "
                                "équipements techniques) ?",
                                "What are the emissions of construction (demolition, concrete, steel, building "
                                "services)?"),
    "lifetime_years": ("Quelle est la durée de vie prévue du bâtiment et des équipements ?",
                       "What is the planned service life of the building and equipment?"),
    "building.artificialised_m2": ("Quelle surface sera artificialisée, et comment est-elle comptée au titre du "
                                   "« zéro artificialisation nette » ?",
                                   "What area will be sealed, and how does it count under 'zero net land take'?"),
    "heat_reuse_share": ("Quelle part de la chaleur sera valorisée, vers quel réseau de chaleur, à quelle échéance ? "
                         "L'obligation de valorisation au-delà de 1 MW (loi n° 2025-391) s'applique-t-elle ?",
                         "What share of the heat will be reused, by which heat network, by when? Does the "
                         "waste-heat duty above 1 MW (law n° 2025-391) apply?"),
    "grid.residual_mix_g_per_kwh": ("Quelles garanties d'origine ou quel contrat (PPA) couvrent la consommation, "
                                    "et quel mix résiduel s'applique au reste ?",
                                    "Which guarantees of origin or PPA cover the consumption, and what residual mix "
                                    "applies to the rest?"),
    "city.annual_electricity_mwh": ("Quelle part de la consommation électrique de la ville ce projet "
                                    "représentera-t-il ?",
                                    "What share of the city's electricity will this project represent?"),
}

PEAK_QUESTION = ("Quelle puissance de raccordement a été demandée au gestionnaire de réseau, sur quel poste source, "
                 "et au détriment de quels autres besoins (électrification des quais, bus électriques) ?",
                 "What connection capacity was requested from the grid operator, on which substation, and at the "
                 "expense of which other needs (shore power, electric buses)?")


def questions(results, checks: list[ClaimCheck], lang: str = "fr") -> list[str]:
    """Questions for the inquiry commissioner: unpublished inputs first, then the claims."""
    i = 0 if lang == "fr" else 1
    out: list[str] = []
    declared = [k for k, r in results.inputs.items() if r.declared_unknown]
    missing = [k for k, r in results.inputs.items() if r.status == "unknown" and k not in declared]
    defaulted = [k for k, r in results.inputs.items() if r.status == "default" and not r.declared_unknown]
    for key in declared + missing + defaulted:
        q = QUESTIONS.get(key)
        if q is not None and q[i] not in out:
            out.append(q[i])
    out.append(PEAK_QUESTION[i])
    for c in checks:
        lab = label(c.indicator, lang).lower()
        if c.verdict == "optimistic":
            out.append(f"Sur quelles hypothèses repose le chiffre annoncé de {claim_value(c, lang)} ({lab}) ? "
                       f"Notre estimation donne {value_text(results, c.compared_with, lang)}." if lang == "fr" else
                       f"What assumptions support the claimed {claim_value(c, lang)} ({lab})? Our estimate gives "
                       f"{value_text(results, c.compared_with, lang)}.")
        elif c.verdict == "not_verifiable":
            out.append(f"Quelles données permettent de vérifier le chiffre annoncé de {claim_value(c, lang)} ({lab}) ?"
                       if lang == "fr" else
                       f"What data would let the public check the claimed {claim_value(c, lang)} ({lab})?")
    return out


# ----------------------------------------------------------------------------- contribution
def contribution_markdown(results, checks, findings_list, questions_list, lang: str = "fr",
                          author: str | None = None, date: str = "") -> str:
    """A draft contribution to the public inquiry, in Markdown, for the resident to edit."""
    p = results.project
    where = f", {p.city}" if p.city else ""
    op = f" ({p.operator})" if p.operator else ""
    if lang == "fr":
        lines = [
            f"# Contribution à l'enquête publique : projet {p.name}{op}{where}",
            "",
            "*Projet de texte à relire et compléter avant dépôt. Chiffres : estimation par l'outil libre impact, "
            "avec leurs sources (dossier joint).*",
            "",
            "Madame, Monsieur le commissaire enquêteur,",
            "",
            f"Je souhaite porter à votre connaissance les observations suivantes sur le projet {p.name}.",
            "",
            "## Constats",
            "",
            *[f"{n}. {f}" for n, f in enumerate(findings_list, 1)],
            "",
        ]
        if checks:
            lines += ["## Les affirmations du porteur de projet", ""]
            for c in checks:
                lines.append(f"- {label(c.indicator, 'fr')} : {claim_value(c, 'fr')} annoncé ; "
                             f"{verdict_text(c.verdict, 'fr').lower()} : {claim_reason(c, results, 'fr')}")
            lines.append("")
        lines += ["## Questions", "", "Je vous demande d'obtenir du porteur de projet les réponses suivantes :", ""]
        lines += [f"- {q}" for q in questions_list]
        lines += ["", "Je vous prie d'agréer, Madame, Monsieur le commissaire enquêteur, l'expression de mes "
                      "salutations distinguées.", "", f"{author or '[Nom, prénom, adresse]'}",
                  f"{date}" if date else "", ""]
    else:
        lines = [
            f"# Contribution to the public inquiry: project {p.name}{op}{where}",
            "",
            "*Draft to review and complete before filing. Figures: estimate by the open-source tool impact, "
            "with their sources (dossier attached).*",
            "",
            "Dear Inquiry Commissioner,",
            "",
            f"I wish to submit the following observations on the project {p.name}.",
            "",
            "## Findings",
            "",
            *[f"{n}. {f}" for n, f in enumerate(findings_list, 1)],
            "",
        ]
        if checks:
            lines += ["## The promoter's claims", ""]
            for c in checks:
                lines.append(f"- {label(c.indicator, 'en')}: {claim_value(c, 'en')} claimed; "
                             f"{verdict_text(c.verdict, 'en').lower()}: {claim_reason(c, results, 'en')}")
            lines.append("")
        lines += ["## Questions", "", "I ask you to obtain the following answers from the promoter:", ""]
        lines += [f"- {q}" for q in questions_list]
        lines += ["", "Yours faithfully,", "", f"{author or '[Name, address]'}", f"{date}" if date else "", ""]
    return "\n".join(lines)
