"""The dossier's table « what the European regulation asks operators to report ».

Commission Delegated Regulation (EU) 2024/1364, Annex II point 1 (key performance indicators, in
the order of its points (a)-(r)) and Annex III (sustainability indicators (a)-(d)): for each
figure, what the promoter published (a declared input or a claim of the project file), what this
tool estimates, or unknown. See docs/eu-indicators.md.
"""

from __future__ import annotations

from ..claims import DECLARATION_ONLY, ECHOES_INPUT
from ..project import WATER_COOLED
from ..ranges import Range
from . import fmt, narrative
from .catalogue import catalogue

#: One row per figure: (catalogue key of the item, the indicator the tool estimates or None,
#: the declared inputs that publish it, in order of preference).
ROWS: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("it_power", None, ("it_capacity_mw",)),
    ("total_floor_area", None, ("building.floor_area_m2",)),
    ("floor_area", None, ("building.it_floor_area_m2",)),
    ("facility_energy", "facility_energy_mwh", ()),
    ("it_energy", "it_energy_mwh", ()),
    ("water_input", "water_withdrawal_m3", ()),
    ("water_potable", None, ()),
    ("heat_reused", "heat_reused_mwh", ("heat_reuse_share",)),
    ("waste_heat_temperature", "waste_heat_temperature_c", ()),
    ("intake_setpoint", None, ("cooling.supply_c",)),
    ("refrigerant", None, ("refrigerant.type",)),
    ("renewable_energy", "renewable_energy_mwh", ("grid.renewable_contract_share",)),
    ("pue", "pue", ("pue",)),
    ("wue", "wue_win_l_per_kwh", ()),
    ("wue_onsite", "wue_l_per_kwh", ("wue_l_per_kwh",)),
    ("once_through", "wue_once_through_l_per_kwh", ("cooling.water_flow_m3_per_h",)),
    ("erf", "energy_reuse_factor", ("heat_reuse_share",)),
    ("ref", "renewable_energy_factor", ("grid.renewable_contract_share",)),
)

#: Declared figures read from the project file itself (they are not inputs of the model).
PROJECT_FIELDS = {
    "building.floor_area_m2": ("building", "floor_area_m2", "m2"),
    "building.it_floor_area_m2": ("building", "it_floor_area_m2", "m2"),
}


def _range_text(value: Range, unit: str, lang: str) -> str:
    share = unit == "-"
    if share:
        return fmt.value_range(value.central, value.low, value.high, unit, lang, share=True)
    if value.is_point:
        return fmt.plain_quantity(value.central, unit, lang)
    return fmt.value_range(value.central, value.low, value.high, unit, lang)


def _published(results, indicator: str | None, inputs: tuple[str, ...], lang: str) -> str:
    """What the project file publishes for a row: a declared input, else a claim, else « not published »."""
    t = catalogue(lang)
    p = results.project
    for name in inputs:
        if name in PROJECT_FIELDS:
            block, field, unit = PROJECT_FIELDS[name]
            value = getattr(getattr(p, block, None), field, None)
            if isinstance(value, Range):
                return _range_text(value, unit, lang)
            continue
        rec = results.inputs.get(name)
        if rec is None:
            continue
        if rec.declared_unknown:  # `unknown` in the file; for heat reuse: announced, share not published
            return t("eu.published.unknown" if name == "heat_reuse_share" else "eu.published.none")
        if rec.status != "given":
            continue
        if name in narrative.PUE_NAMES and isinstance(rec.value, Range):
            return fmt.number(rec.value.central, lang, decimals=2)
        if isinstance(rec.value, Range):
            return _range_text(rec.value, rec.unit, lang)
        if isinstance(rec.value, str) and rec.value not in ("unknown", "none"):
            return rec.value  # a code of the project file (a refrigerant), as written
    for claim in p.claims:
        if indicator is not None and claim.indicator == indicator:
            unit = narrative.INDICATORS[indicator].unit
            value = claim.value_in_indicator_unit
            if indicator in narrative.PUE_NAMES:
                return fmt.number(value, lang, decimals=2)
            return fmt.percent(value, lang) if unit == "-" else fmt.plain_quantity(value, unit, lang)
    return t("eu.published.none")


def _estimated(results, indicator: str | None, inputs: tuple[str, ...], lang: str) -> str:
    t = catalogue(lang)
    if indicator is None:
        # An input the tool derived or defaulted (an IT power from an announced power) is its estimate.
        rec = results.inputs.get(inputs[0]) if inputs else None
        if rec is not None and rec.status in ("derived", "default") and isinstance(rec.value, Range):
            return _range_text(rec.value, rec.unit, lang)
        return t("eu.estimated.not_estimated")
    if indicator == "pue" and results.indicators.get("pue_modelled") is not None:
        if results["pue_modelled"].known:  # the tool's own PUE, not the declared one
            indicator = "pue_modelled"
    ind = results[indicator]
    if not ind.known:
        return t("eu.estimated.unknown")
    text = narrative.value_text(results, indicator, lang)
    echo = ECHOES_INPUT.get(indicator)
    if echo is not None and any(x.startswith(f"{echo}:") for x in ind.sources):
        rec = results.inputs.get(echo)
        if rec is not None and rec.status == "given":
            return t("eu.estimated.from_declaration", value=text)
    source = DECLARATION_ONLY.get(indicator)
    if source is not None:
        rec = results.inputs.get(source)
        given = rec is not None and rec.status == "given"
        return t("eu.estimated.from_declaration" if given else "eu.estimated.none_declared", value=text)
    return text


def table(results, lang: str) -> dict:
    """The rows of the table (item, published, estimated) and its notes, in ``lang``."""
    t = catalogue(lang)
    rows = [
        {
            "item": t(f"eu.item.{key}"),
            "published": _published(results, indicator, inputs, lang),
            "estimated": _estimated(results, indicator, inputs, lang),
        }
        for key, indicator, inputs in ROWS
    ]
    cooling = results.inputs.get("cooling.type")
    # The note on once-through water only where there is some (river or sea cooling).
    return {"rows": rows, "once_through": cooling is not None and cooling.value in WATER_COOLED}
