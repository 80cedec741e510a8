"""The dossier's « water resource » section and its questions (issue 13, item 6; docs/water-resource.md)."""

from __future__ import annotations

from ..sources import reference as ref
from ..water_resource import NOT_APPLICABLE, receiving_water
from . import fmt, narrative
from .catalogue import catalogue

LIMITS = "thermal_discharge_limits"


def _limit(quantity: str, water_class: str = "") -> float | None:
    row = ref.lookup(LIMITS, country="FR", quantity=quantity, water_class=water_class)
    return row.value.central if row is not None and row.value is not None else None


def _source(results) -> str | None:
    wr = results.project.water_resource
    return wr.source if wr is not None else None


def _water_class(results) -> str | None:
    wr = results.project.water_resource
    return wr.receiving_water_class if wr is not None else None


def _known(results, name: str) -> bool:
    ind = results.indicators.get(name)
    return ind is not None and ind.known


def paragraphs(results, lang: str = "fr") -> list[str]:
    """The section's sentences, in order: the source, the commune, the receiving water."""
    t = catalogue(lang)
    out: list[str] = []
    source = _source(results)
    if source is None or source == "unknown":
        out.append(t("water_resource.source.silent"))
    else:
        out.append(t("water_resource.source.given", source=t(f"water_resource.source.{source}")))
    pop = results.inputs.get("water_resource.commune_population")
    if _known(results, "water_onsite_share_of_commune_domestic") and pop is not None and pop.value is not None:
        out.append(
            t(
                "water_resource.commune",
                onsite=narrative.value_text(results, "water_onsite_m3", lang),
                share=narrative.value_text(results, "water_onsite_share_of_commune_domestic", lang),
                population=fmt.plain(pop.value.central, lang),
                commune=dict(pop.note_args).get("commune", ""),
                per_capita=fmt.plain(results.inputs["domestic_water_l_per_day"].value.central, lang),
            )
        )
    else:
        out.append(t("water_resource.commune_unknown"))
    medium = receiving_water(results.project) if narrative.water_medium(results) is not None else None
    if medium is None:
        rise = results.indicators.get("receiving_water_rise_k")
        if rise is not None and rise.note == NOT_APPLICABLE:  # issue 13, item 7
            out.append(t("water_resource.rise.not_applicable"))
        return out
    limits = {
        "effluent": fmt.plain(_limit("effluent_temperature_max_c"), lang),
        "salmonid": fmt.plain(_limit("receiving_rise_max_k", "salmonid"), lang),
        "cyprinid": fmt.plain(_limit("receiving_rise_max_k", "cyprinid"), lang),
        "shellfish": fmt.plain(_limit("receiving_rise_max_k", "shellfish"), lang),
    }
    if _known(results, "receiving_water_rise_k"):
        flow = results.inputs["water_resource.receiving_low_flow_m3_per_s"].value
        out.append(
            t(
                "water_resource.rise",
                flow=fmt.plain(flow.central, lang),
                heat=narrative.value_text(results, "thermal_discharge_max_mw", lang),
                rise=narrative.value_text(results, "receiving_water_rise_k", lang),
            )
        )
        verdict = rise_verdict(results)
        if verdict is not None:
            water_class, over, limit = verdict
            out.append(
                t(
                    f"water_resource.rise.{'above' if over else 'below'}",
                    limit=fmt.plain(limit, lang),
                    water_class=t(f"water_resource.class.{water_class}"),
                )
            )
    elif medium == "river":
        out.append(t("water_resource.rise_unknown"))
    out.append(t("water_resource.limits", **limits))
    effluent = effluent_check(results)
    if effluent is not None:
        declared, limit, over = effluent
        key = "water_resource.effluent.not_below" if over else "water_resource.effluent.below"
        out.append(t(key, declared=fmt.plain(declared, lang), limit=fmt.plain(limit, lang)))
    return out


def effluent_check(results) -> tuple[float, float, bool] | None:
    """(declared return temperature's high value [°C], the effluent limit [°C], whether it is not below it):
    the rule is « inférieure à 30 °C »; None without a declared return temperature."""
    rec = results.inputs.get("cooling.water_out_c")
    limit = _limit("effluent_temperature_max_c")
    if rec is None or rec.status != "given" or rec.value is None or limit is None:
        return None
    return rec.value.high, limit, rec.value.high >= limit


def rise_verdict(results) -> tuple[str, bool, float] | None:
    """(class, whether the fully mixed rise's central value exceeds its limit, the limit [K]) when the
    receiving water's class is given and the rise is known; else None. Full mixing gives the
    smallest rise the river can see: a rise above the limit is above it at any mixing."""
    water_class = _water_class(results)
    if water_class is None or not _known(results, "receiving_water_rise_k"):
        return None
    limit = _limit("receiving_rise_max_k", water_class)
    if limit is None:
        return None
    return water_class, results.indicators["receiving_water_rise_k"].central > limit, limit


def questions(results, lang: str = "fr") -> list[str]:
    """Drought and summer use when the water is drinking water; the source when it is not said."""
    t = catalogue(lang)
    source = _source(results)
    onsite = results.indicators.get("water_onsite_m3")
    uses_water = onsite is not None and onsite.known and onsite.high > 0
    out: list[str] = []
    if source == "drinking_water_network":
        out.append(t("water_resource.question.network_drought"))
    elif (source is None or source == "unknown") and uses_water:
        out.append(t("water_resource.question.source"))
    medium = receiving_water(results.project) if narrative.water_medium(results) is not None else None
    if medium is not None and _water_class(results) is None:
        out.append(
            t(
                f"water_resource.question.class.{medium}",
                limit=fmt.plain(_limit("receiving_rise_max_k", "shellfish"), lang),
            )
        )
    return out
