"""The dossier's « Chantier et montée en charge » section: the declared ramp-up (or the default one),
the works as declared, the construction's carbon, and the questions when the promoter is silent
(issue 13, item 7; docs/construction.md)."""

from __future__ import annotations

from ..construction import BUILDING, TRUCK_FACTOR, TRUCK_FUEL, TRUCK_KM, TRUCKS, TRUCKS_CO2, WORKING_DAYS
from ..ranges import Range
from . import fmt, narrative
from .catalogue import catalogue


def _given(results, name: str) -> float | None:
    rec = results.inputs.get(name)
    return rec.value.central if rec is not None and isinstance(rec.value, Range) else None


def _triple_text(x: dict | None, unit: str, lang: str) -> str:
    if x is None:
        return fmt.unknown(lang)
    return fmt.value_range(x["central"], x["low"], x["high"], unit, lang)


def ramp_rows(results, lang: str) -> list[dict]:
    """The declared ramp-up as table rows (year, IT power in service, site electricity, peak); [] without it."""
    facts = (results.meta or {}).get("ramp_up") or {}
    if not facts.get("declared"):
        return []
    t = catalogue(lang)
    rows = []
    for s in facts["steps"]:
        it = fmt.quantity(s["it_mw"], "MW", lang) if s["it_mw"] is not None else t("construction.ramp.unpublished")
        if s.get("it_share") is not None:
            it += f" ({fmt.percent(s['it_share'], lang, digits=2)})"
        rows.append(
            {
                "year": str(s["year"]),
                "it": it,
                "energy": _triple_text(s["facility_energy_mwh"], "MWh", lang),
                "peak": _triple_text(s["peak_mw"], "MW", lang),
            }
        )
    return rows


def _ramp_paragraphs(results, lang: str) -> tuple[list[str], str, list[str]]:
    """(paragraphs before the table, the note after it, questions)."""
    t = catalogue(lang)
    facts = (results.meta or {}).get("ramp_up") or {}
    out: list[str] = []
    questions: list[str] = []
    typical = narrative.value_text(results, "facility_energy_mwh", lang)
    if facts.get("declared"):
        steps = facts["steps"]
        u = _given(results, "utilisation")
        out.append(
            t(
                "construction.ramp.declared",
                steps=fmt.plain(len(steps), lang),
                first=str(steps[0]["year"]),
                last=str(steps[-1]["year"]),
                utilisation=fmt.percent(u, lang, digits=2) if u is not None else fmt.unknown(lang),
            )
        )
        defaulted = [  # a year whose phase's power is not published: the default share
            n
            for n in (1, 2)
            if f"year_{n}_utilisation" in results.inputs and results.indicators[f"facility_energy_year_{n}_mwh"].known
        ]
        if defaulted:
            energies = {
                f"e{n}": narrative.value_text(results, f"facility_energy_year_{n}_mwh", lang) for n in defaulted
            }
            key = (
                "construction.ramp.default_years"
                if len(defaulted) == 2
                else f"construction.ramp.default_year_{defaulted[0]}"
            )
            out.append(t(key, **energies))
        questions.extend(t("construction.question.step", year=str(s["year"])) for s in steps if s["it_mw"] is None)
        note = t("construction.ramp.note")
        cap = facts.get("it_capacity_mw")
        last = steps[-1].get("it_mw")
        if cap is not None and last is not None and last < cap * 0.999:
            note = (
                t(
                    "construction.ramp.full",
                    capacity=fmt.quantity(cap, "MW", lang),
                    energy=typical,
                    peak=narrative.value_text(results, "peak_demand_mw", lang),
                )
                + " "
                + note
            )
        return out, note, questions
    e1, e2 = results.indicators.get("facility_energy_year_1_mwh"), results.indicators.get("facility_energy_year_2_mwh")
    if e1 is not None and e2 is not None and e1.known and e2.known:
        out.append(
            t(
                "construction.ramp.default",
                e1=narrative.value_text(results, "facility_energy_year_1_mwh", lang),
                e2=narrative.value_text(results, "facility_energy_year_2_mwh", lang),
                energy=typical,
            )
        )
    questions.append(t("construction.question.schedule"))
    return out, "", questions


def _works(results, lang: str) -> tuple[list[str], list[str]]:
    """The declared works, the trucks per working day, the construction's carbon; and the questions."""
    t = catalogue(lang)
    out: list[str] = []
    questions: list[str] = []
    start = _given(results, "construction.start_year")
    months = _given(results, "construction.duration_months")
    trips = _given(results, "construction.truck_trips_total")
    per_day = _given(results, "construction.trucks_per_day")
    earth = _given(results, "construction.earthworks_m3")
    facts = []
    if start is not None:
        facts.append(t("construction.works.start_year", year=str(int(start))))
    if months is not None:
        facts.append(t("construction.works.duration", months=fmt.plain(months, lang)))
    if trips is not None:
        facts.append(t("construction.works.trips", trips=fmt.plain(trips, lang)))
    if per_day is not None:
        facts.append(t("construction.works.trucks_per_day", trucks=fmt.plain(per_day, lang)))
    if earth is not None:
        facts.append(t("construction.works.earthworks", volume=fmt.plain_quantity(earth, "m3", lang)))
    if facts:
        out.append(t("construction.works.given", facts=t.join(facts)))
    else:
        out.append(t("construction.works.silent"))
    trucks = results.indicators.get(TRUCKS)
    if trucks is not None and trucks.known and per_day is None:
        days = _given(results, WORKING_DAYS)
        out.append(
            t(
                "construction.trucks.derived",
                trucks=fmt.number(trucks.central, lang),
                days=fmt.plain(days, lang) if days is not None else fmt.unknown(lang),
            )
        )
    building = results.indicators.get(BUILDING)
    if building is not None and building.known:
        declared = results.inputs.get("building.embodied_tco2e")
        basis = "declared" if declared is not None and declared.status == "given" else "default"
        out.append(
            t(
                "construction.carbon",
                carbon=narrative.value_text(results, BUILDING, lang),
                basis=t(f"construction.carbon.{basis}"),
                per_year=narrative.value_text(results, "co2e_embodied_t_per_year", lang),
            )
        )
    else:
        out.append(t("construction.carbon.unknown"))
    out.append(_trucks_co2(results, lang, declared=trips is not None or per_day is not None))
    if months is None:
        questions.append(t("construction.question.duration"))
    questions.append(
        t("construction.question.routes" if trucks is not None and trucks.known else "construction.question.trucks")
    )
    questions.append(t("construction.question.noise"))
    if not _known(results, TRUCKS_CO2) and (trips is not None or per_day is not None):
        questions.append(t("construction.trucks_co2.question.distance"))
    if earth is None:
        questions.append(t("construction.question.earthworks"))
    else:
        questions.append(t("construction.question.spoil", volume=fmt.plain_quantity(earth, "m3", lang)))
    return out, questions


def _known(results, name: str) -> bool:
    ind = results.indicators.get(name)
    return ind is not None and ind.known


def _trucks_co2(results, lang: str, declared: bool) -> str:
    """The trucks' greenhouse gases (truck-km x diesel per km x emissions per litre), or why they are
    not estimated: no trucks declared, or their distance not declared (nothing is defaulted)."""
    t = catalogue(lang)
    if not _known(results, TRUCKS_CO2):
        if declared or _given(results, "construction.truck_km_total") is not None:
            return t("construction.trucks_co2.unknown.distance")
        return t("construction.trucks_co2.unknown.trucks")
    fuel, factor = _given(results, TRUCK_FUEL), _given(results, TRUCK_FACTOR)
    return t(
        "construction.trucks_co2.estimate",
        co2=narrative.value_text(results, TRUCKS_CO2, lang),
        km=narrative.value_text(results, TRUCK_KM, lang),
        fuel=fmt.plain(fuel, lang) if fuel is not None else fmt.unknown(lang),
        factor=fmt.plain(factor, lang) if factor is not None else fmt.unknown(lang),
    )


def section(results, lang: str = "fr") -> dict:
    """Paragraphs, the ramp-up table, notes and questions of the section, in ``lang``."""
    t = catalogue(lang)
    ramp, note, ramp_questions = _ramp_paragraphs(results, lang)
    works, work_questions = _works(results, lang)
    return {
        "ramp": ramp,
        "rows": ramp_rows(results, lang),
        "table_note": note,
        "works": works,
        "silent": t("construction.silent"),
        "questions": ramp_questions + work_questions,
    }
