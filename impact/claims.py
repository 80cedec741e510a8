"""The promoter's claims against the estimate: consistent, optimistic, or not verifiable.

A claim is *consistent* when it falls within the estimate's low-high range,
*optimistic* when it lies outside on the side that flatters the project (a lower
PUE, a larger saving), *cautious* when it lies outside on the other side, and
*not verifiable* when the estimate is unknown or merely repeats the claim.

A claim may name any indicator of ``data/schema/indicators.csv`` and, with
``unit``, be written in another unit of the same quantity (GWh for an MWh
indicator, % for a share): it is converted to the indicator's unit.

Which side flatters: for every indicator a smaller value flatters the project
(less electricity, power, water, emissions, heat, land; a lower PUE or WUE; a
smaller share of the city's needs) except those in :data:`HIGHER_IS_BETTER`, where
a larger value does (a larger saving, more free cooling or river water, more homes
that the heat could warm).

A saving is measured against a basis: chillers alone (no water, no free cooling: the
basis promoters use) or a free-cooled air design of the same site. A claim of
``cooling_saving_share`` on a river- or sea-cooled project whose economiser is the
tool's default (not the promoter's) is the saving the promoter gives the water: it is
checked against ``cooling_saving_water_vs_chillers_share``, the water's saving on the
promoter's basis (docs/alternatives-basis.md); :attr:`ClaimCheck.basis` names the basis.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Indicators where a larger value flatters the project; for all others, smaller does.
HIGHER_IS_BETTER = {
    "cooling_saving_share",
    "cooling_saving_water_vs_chillers_share",
    "cooling_saving_water_vs_free_cooling_share",
    "cooling_share_free",
    "cooling_share_water",
    "heat_reuse_potential_homes",
    # A warmer outlet needs less river or sea water for the same heat.
    "water_outlet_reachable_c",
}

#: The basis each saving indicator is measured against (``ClaimCheck.basis``).
SAVING_BASIS = {
    "cooling_saving_share": "chillers_alone",
    "cooling_saving_water_vs_chillers_share": "chillers_alone",
    "cooling_saving_water_vs_free_cooling_share": "free_cooled",
}
#: A saving claimed for river or sea cooling, on the promoter's basis (see the module's text).
WATER_SAVING_ON_PROMOTERS_BASIS = "cooling_saving_water_vs_chillers_share"

#: The EU reporting scheme's (Delegated Regulation (EU) 2024/1364): more heat reused, more renewable
#: energy, warmer waste heat (easier to reuse) flatter the project.
HIGHER_IS_BETTER |= {
    "heat_reused_mwh",
    "energy_reuse_factor",
    "renewable_energy_mwh",
    "renewable_energy_factor",
    "waste_heat_temperature_c",
}

#: Indicators that only restate a declaration (contracts, certificates, heat sales): the tool
#: has no independent figure, so a claim on them is never verifiable (``declaration_only``).
DECLARATION_ONLY = {
    "heat_reused_mwh": "heat_reuse_share",
    "energy_reuse_factor": "heat_reuse_share",
    "renewable_energy_mwh": "grid.renewable_contract_share",
    "renewable_energy_factor": "grid.renewable_contract_share",
}

#: Indicators that repeat a declared input when their estimate is made from it (it is then
#: one of the indicator's sources). None today: the waste-heat temperature (TWH) is the IT side's
#: fluid, not the declared river or sea return temperature (2024/1364, Annex II point 1(k)).
ECHOES_INPUT: dict[str, str] = {}
#: The works' trucks and the building's embodied emissions repeat the promoter's figure when it is
#: declared (issue 13, item 7; docs/construction.md).
ECHOES_INPUT |= {
    "construction_truck_movements_per_day": "construction.trucks_per_day",
    "construction_building_embodied_t": "building.embodied_tco2e",
}

#: A claim on the PUE is checked against the hourly model when it ran: the
#: annual figures use the declared PUE itself.
COMPARE_WITH = {"pue": "pue_modelled"}

VERDICTS = ("consistent", "optimistic", "cautious", "not_verifiable")

#: Why an estimate is unknown, as keys (``ClaimCheck.unknown_reason``).
UNKNOWN_REASONS = (
    "no_climate",
    "cooling_not_described",
    "water_temperature_unknown",
    "not_published",
    "no_reference_data",
)


@dataclass(frozen=True)
class ClaimCheck:
    indicator: str  # as claimed
    compared_with: str  # the indicator of the estimate used
    claimed: float  # in the indicator's unit
    source: str
    note: str | None
    low: float | None
    central: float | None
    high: float | None
    verdict: str  # one of VERDICTS
    reason: str  # a key: in_range, below_range, above_range, unknown, echoes_input, declaration_only
    #: The claim as written, when it named another unit (e.g. 1.2 GWh); else None.
    claimed_as_written: float | None = None
    unit_as_written: str | None = None
    #: When the estimate is unknown: why, as a key of UNKNOWN_REASONS, and the inputs missing.
    unknown_reason: str = ""
    missing: tuple[str, ...] = ()
    #: For a saving: the basis it is measured against, a value of SAVING_BASIS; else "".
    basis: str = ""


def check_claims(results) -> list[ClaimCheck]:
    """Check every claim of ``results.project`` against ``results``."""
    from .heatreuse import bound_check, declared_share_checks

    out = []
    for claim in results.project.claims:
        name = claim.indicator
        bound = bound_check(claim, results)  # heat reused or ERF above the seasonal bound (docs/heatreuse.md)
        if bound is not None:
            out.append(bound)
            continue
        target = _water_saving_target(name, results) or COMPARE_WITH.get(name, name)
        ind = results.indicators.get(target)
        if ind is None or not ind.known:
            target = name
            ind = results.indicators[name]
        value = claim.value_in_indicator_unit
        verdict, reason = _verdict(name, value, ind, results)
        why, missing = unknown_reason(ind, results) if reason == "unknown" else ("", ())
        written = claim.unit is not None
        out.append(
            ClaimCheck(
                name,
                target,
                value,
                claim.source,
                claim.note,
                ind.low,
                ind.central,
                ind.high,
                verdict,
                reason,
                claimed_as_written=claim.value if written else None,
                unit_as_written=claim.unit if written else None,
                unknown_reason=why,
                missing=missing,
                basis=SAVING_BASIS.get(target, ""),
            )
        )
    outlet = declared_outlet_check(results)
    if outlet is not None:
        out.append(outlet)
    out.extend(declared_share_checks(results))
    return out


def _water_saving_target(name: str, results) -> str | None:
    """The water's saving against chillers alone, for a claim of ``cooling_saving_share`` on a
    river- or sea-cooled project whose economiser is the tool's default: the promoter's figure
    cannot count an economiser it does not declare (the like-with-like comparison)."""
    from .project import WATER_COOLED

    cooling = results.project.cooling
    rec = results.inputs.get("cooling.free_cooling")
    if name != "cooling_saving_share" or cooling is None or cooling.type not in WATER_COOLED:
        return None
    if rec is not None and rec.status == "given":
        return None
    return WATER_SAVING_ON_PROMOTERS_BASIS


def saving_claim(checks) -> ClaimCheck | None:
    """The first claim of a saving of the cooling (any basis), or None."""
    return next((c for c in checks if c.indicator in SAVING_BASIS), None)


def declared_outlet_check(results) -> ClaimCheck | None:
    """The declared outlet temperature of river or sea water as a claim, against the one the
    cooling loop can reach (``water_outlet_reachable_c``, second law).

    *Optimistic* when it is above the central reachable outlet (reason ``above_reachable``: only
    a loop warmer than the central assumptions could give it) or above the whole range
    (``above_range``); otherwise as any claim. None when no outlet is declared.
    """
    from .engine import outlet_check

    check = outlet_check(results.indicators, results.inputs)
    if check is None or check["status"] != "given":
        return None
    ind = results.indicators["water_outlet_reachable_c"]
    declared = check["declared_c"]
    verdict, reason = verdict_for(ind.name, declared, ind.low, ind.central, ind.high)
    if reason == "in_range" and not check["reachable"]:
        verdict, reason = "optimistic", "above_reachable"
    rec = results.inputs["cooling.water_out_c"]
    return ClaimCheck(ind.name, ind.name, declared, rec.source, None, ind.low, ind.central, ind.high, verdict, reason)


def verdict_for(name: str, value: float, low, central, high) -> tuple[str, str]:
    """Verdict and reason of ``value`` against an estimated range of indicator ``name``."""
    if central is None:
        return "not_verifiable", "unknown"
    # 0.5 % slack for rounding of the claimed figure.
    slack = 0.005 * max(abs(low), abs(high), 1e-12)
    if low - slack <= value <= high + slack:
        return "consistent", "in_range"
    below = value < low
    flattering = (not below) if name in HIGHER_IS_BETTER else below
    return ("optimistic" if flattering else "cautious"), ("below_range" if below else "above_range")


def _verdict(name: str, value: float, ind, results) -> tuple[str, str]:
    if not ind.known:
        return "not_verifiable", "unknown"
    if ind.name in DECLARATION_ONLY:
        return "not_verifiable", "declaration_only"
    rec = results.inputs.get(ind.name)
    if rec is not None and rec.status == "given":  # the estimate repeats the declared value
        return "not_verifiable", "echoes_input"
    echo = ECHOES_INPUT.get(ind.name)
    rec = results.inputs.get(echo) if echo else None
    if rec is not None and rec.status == "given" and any(s.startswith(f"{echo}:") for s in ind.sources):
        return "not_verifiable", "echoes_input"
    return verdict_for(name, value, ind.low, ind.central, ind.high)


#: Inputs taken from the tool's reference tables: unknown when the tool has no figure for the place.
REFERENCE_INPUTS = {
    "grid.carbon_intensity_g_per_kwh",
    "grid.residual_mix_g_per_kwh",
    "ewif_l_per_kwh",
    "heating_per_home_mwh",
    "household_electricity_kwh",
    "domestic_water_l_per_day",
    "city.annual_electricity_mwh",
    "city.peak_demand_mw",
    "climate",
    "heat_reuse.peak_month_hdd_share",  # from the site's climate
}


def unknown_reason(ind, results) -> tuple[str, tuple[str, ...]]:
    """Why the estimate ``ind`` is unknown: a key of :data:`UNKNOWN_REASONS`, and the missing inputs.

    ``not_published``: an input the promoter did not publish (absent or ``unknown`` in the
    project file); ``no_reference_data``: a reference figure the tool does not have for this
    place (e.g. a city's consumption, a country's grid intensity); the cooling model's keys
    (``no_climate``...) when the hourly model could not run.
    """
    missing = tuple(ind.missing)
    if not missing:
        return results.meta.get("cooling_model_reason") or "not_published", ()
    for m in missing:
        rec = results.inputs.get(m)
        if m not in REFERENCE_INPUTS or (rec is not None and rec.declared_unknown):
            return "not_published", missing
    return "no_reference_data", missing
