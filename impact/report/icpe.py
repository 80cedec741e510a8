"""The dossier's section « ICPE regime and risks »: the rubriques the site's quantities reach.

For the generators' thermal input (2910-A, 3110), the refrigerant charge (1185) and the fuel stored
(4734, Seveso III), the regime the estimate reaches (at its low, central and high values), the
regime of what the promoter declares (a claim of the project file), a finding when a declared
figure sits just below a threshold (the Wissous case: 49.4 MW against 50 MW), and the questions
to ask when the promoter is silent. Thresholds: ``data/reference/icpe_thresholds.csv``;
see docs/icpe.md.
"""

from __future__ import annotations

from functools import cache

from ..model import icpe as icpe_model
from ..ranges import Range
from ..sources.reference import lookup, read_reference_table
from . import fmt, narrative
from .catalogue import catalogue

#: (indicator, quantity of icpe_thresholds.csv) in the order of the table.
ROWS: tuple[tuple[str, str], ...] = (
    ("generators_thermal_input_mw", "thermal_input"),
    ("refrigerant_charge_kg", "refrigerant_charge"),
    ("fuel_storage_t", "fuel_stored"),
)


@cache
def thresholds(quantity: str) -> tuple[tuple[str, float], ...]:
    """(« rubrique|regime », threshold) of ``quantity``, from the reference table."""
    return tuple(
        (f"{row['rubrique']}|{row['regime']}", float(row["value"]))
        for row in read_reference_table("icpe_thresholds")
        if row["quantity"] == quantity
    )


def _level(label: str | None, quantity: str, unit: str, lang: str) -> str:
    t = catalogue(lang)
    if label is None:
        return t("icpe.regime.none")
    rubrique, regime = label.split("|")
    threshold = fmt.plain_quantity(dict(thresholds(quantity))[label], unit, lang)
    if rubrique == "Seveso":  # a status of its own (« Seveso seuil bas »), not a rubrique
        return t("icpe.regime.cell_seveso", regime=t(f"icpe.regime.{regime}"), threshold=threshold)
    return t("icpe.regime.cell", rubrique=rubrique, regime=t(f"icpe.regime.{regime}"), threshold=threshold)


def _regime_text(ind, quantity: str, lang: str) -> str:
    """The regime at the central value, and at the low or high end when it differs."""
    t = catalogue(lang)
    if not ind.known:
        return t("icpe.regime.unknown")
    levels = [icpe_model.regime(x, thresholds(quantity)) for x in (ind.low, ind.central, ind.high)]
    text = _level(levels[1], quantity, ind.unit, lang)
    if levels[0] != levels[1]:
        text = t("icpe.regime.at_low", main=text, regime=_level(levels[0], quantity, ind.unit, lang))
    if levels[2] != levels[1]:
        text = t("icpe.regime.at_high", main=text, regime=_level(levels[2], quantity, ind.unit, lang))
    return text


def _declared(results, indicator: str, quantity: str, value: float, lang: str, findings: list, what: str) -> str:
    """What is declared, placed in its regime (``what``: the catalogue key of the cell), with a finding
    when it sits just below a threshold."""
    t = catalogue(lang)
    unit = results[indicator].unit
    near = icpe_model.just_below(value, thresholds(quantity))
    if near is not None:
        findings.append(
            t(
                "icpe.finding.just_below",
                item=t(f"icpe.item.{quantity}"),
                value=fmt.plain_quantity(value, unit, lang),
                threshold=fmt.plain_quantity(near[1], unit, lang),
                rubrique=near[0].split("|")[0],
                regime=t(f"icpe.regime.{near[0].split('|')[1]}"),
                estimate=narrative.value_text(results, indicator, lang),
            )
        )
    label = icpe_model.regime(value, thresholds(quantity))
    return t(what, value=fmt.plain_quantity(value, unit, lang), regime=_level(label, quantity, unit, lang))


def _stock(results, lang: str) -> str:
    """The declared fuel stock, fuel by fuel (« 1 716 m³ de HVO ; 1 700 m³ de fioul domestique »)."""
    from ..project import STORED_FUELS

    t = catalogue(lang)
    stock = results.project.fuel_storage
    parts = [
        t("icpe.stock.part", volume=fmt.plain_quantity(v.central, "m3", lang), fuel=t(f"icpe.fuel.{fuel}"))
        for fuel in STORED_FUELS
        if isinstance(v := getattr(stock, f"{fuel}_m3"), Range)
    ]
    return t("icpe.stock.list", parts=t("icpe.stock.sep").join(parts))


def _phases(results, lang: str, findings: list) -> None:
    """Findings on the declared phases: a threshold that the phases split, or their total."""
    t = catalogue(lang)
    phases = results.project.phases
    for indicator, quantity, field in (
        ("generators_thermal_input_mw", "thermal_input", "thermal_input_mw"),
        ("fuel_storage_t", "fuel_stored", "fuel_storage_t"),
    ):
        given = [(ph.name, getattr(ph, field).central) for ph in phases if getattr(ph, field) is not None]
        if not given:
            continue
        unit = results[indicator].unit
        values = [v for _, v in given]
        total = sum(values)
        listed = t("icpe.stock.sep").join(
            t("icpe.phase.part", name=name, value=fmt.plain_quantity(v, unit, lang)) for name, v in given
        )
        split = icpe_model.phases_split(values, thresholds(quantity)) if len(values) > 1 else None
        label = icpe_model.regime(total, thresholds(quantity))
        key = "icpe.finding.phases_split" if split is not None else "icpe.finding.phases_total"
        args = dict(
            item=t(f"icpe.item.{quantity}"),
            phases=listed,
            total=fmt.plain_quantity(total, unit, lang),
            regime=_level(label, quantity, unit, lang),
        )
        if split is not None:
            args.update(threshold=fmt.plain_quantity(split[1], unit, lang), rubrique=split[0].split("|")[0])
        findings.append(t(key, **args))
        near = icpe_model.just_below(total, thresholds(quantity))
        if near is not None:
            findings.append(
                t(
                    "icpe.finding.total_just_below",
                    item=t(f"icpe.item.{quantity}"),
                    total=fmt.plain_quantity(total, unit, lang),
                    threshold=fmt.plain_quantity(near[1], unit, lang),
                    rubrique=near[0].split("|")[0],
                )
            )


def _batteries(lang: str) -> str:
    """The thresholds of rubrique 2925 (charging power), which the tool does not estimate."""
    t = catalogue(lang)
    levels = [
        t(
            "icpe.regime.cell",
            rubrique=label.split("|")[0],
            regime=t("icpe.regime.D"),
            threshold=fmt.plain_quantity(v, "kW", lang),
        )
        for label, v in thresholds("charge_power")
    ]
    return t("icpe.regime.batteries", levels=t("icpe.stock.sep").join(levels))


def _stock_hours(results, lang: str, findings: list) -> None:
    """How many hours of full load of all the generators the declared stock holds (central values)."""
    t = catalogue(lang)
    thermal, m3 = results["generators_thermal_input_mw"], results["fuel_storage_m3"]
    factors = [results.inputs.get(k) for k in ("generators.fuel_l_per_kwh", "generators.fuel_density_kg_per_l")]
    lhv = results.inputs.get("generators.fuel_lhv_kwh_per_kg")
    if not (thermal.known and m3.known and lhv is not None) or any(f is None for f in factors):
        return
    f, rho = (float(rec.value.central) for rec in factors)  # type: ignore[union-attr]
    installed = thermal.central / (f * rho * float(lhv.value.central))  # type: ignore[union-attr]
    hours = icpe_model.stock_autonomy_hours(m3.central, installed, f)
    findings.append(
        t(
            "icpe.finding.stock_hours",
            hours=fmt.plain_quantity(round(hours), "h", lang),
            installed=fmt.plain_quantity(round(installed, 1), "MW", lang),
            how=t("icpe.power.declared" if _power_declared(results) else "icpe.power.default"),
        )
    )


def _power_declared(results) -> bool:
    """Whether the generators' electrical power is published (total_mw, or count and unit_mw)."""
    given = {k for k, rec in results.inputs.items() if k.startswith("generators.") and rec.status == "given"}
    return "generators.total_mw" in given or {"generators.count", "generators.unit_mw"} <= given


def _estimate_near(results, indicator: str, quantity: str, lang: str, findings: list) -> None:
    """A finding when the thermal input derived from the declared power sits just under a threshold."""
    t = catalogue(lang)
    ind = results[indicator]
    near = icpe_model.just_below(ind.central, thresholds(quantity))
    if near is not None:
        findings.append(
            t(
                "icpe.finding.estimate_just_below",
                estimate=narrative.value_text(results, indicator, lang),
                threshold=fmt.plain_quantity(near[1], ind.unit, lang),
                rubrique=near[0].split("|")[0],
                regime=t(f"icpe.regime.{near[0].split('|')[1]}"),
            )
        )


def _refrigerant_annex(results) -> tuple[str, float] | None:
    """(declared refrigerant, 1 if it is a gas of Annex I of Regulation 517/2014 else 0), from
    icpe_refrigerants.csv; None when no refrigerant is declared (or none is used)."""
    rec = results.inputs.get("refrigerant.type")
    if rec is None or rec.status != "given" or not isinstance(rec.value, str):
        return None
    row = lookup("icpe_refrigerants", refrigerant=rec.value)
    if row is None or row.value is None:
        return None
    return rec.value, row.value.central


def table(results, lang: str) -> dict:
    """Rows (item, estimate, its regime, what is declared and its regime), findings and questions."""
    t = catalogue(lang)
    rows: list[dict] = []
    findings: list[str] = []
    questions: list[str] = []
    claims = {c.indicator: c for c in results.project.claims}
    stock_declared = "icpe.fuel_storage_m3" in results.inputs
    annex = _refrigerant_annex(results)
    for indicator, quantity in ROWS:
        ind = results[indicator]
        claim = claims.get(indicator)
        declared = t("icpe.published.none")
        if quantity == "fuel_stored" and stock_declared:
            declared = _stock(results, lang)
            if ind.known:
                _declared(results, indicator, quantity, ind.central, lang, findings, "icpe.published.value")
                label = icpe_model.regime(ind.central, thresholds(quantity))
                if label is not None and label.startswith("Seveso|"):
                    findings.append(
                        t(
                            "icpe.finding.seveso_declared",
                            value=narrative.value_text(results, indicator, lang),
                            regime=_level(label, quantity, ind.unit, lang),
                        )
                    )
            _stock_hours(results, lang, findings)
        elif claim is not None:
            declared = _declared(
                results, indicator, quantity, claim.value_in_indicator_unit, lang, findings, "icpe.published.value"
            )
        else:
            questions.append(t(f"icpe.question.{quantity}"))
            if quantity == "thermal_input" and _power_declared(results) and ind.known:
                _estimate_near(results, indicator, quantity, lang, findings)
        rows.append(
            {
                "item": t(f"icpe.item.{quantity}"),
                "estimated": narrative.value_text(results, indicator, lang),
                "regime": (
                    t("icpe.regime.outside_1185")
                    if quantity == "refrigerant_charge" and annex is not None and annex[1] == 0
                    else _regime_text(ind, quantity, lang)
                ),
                "published": declared,
            }
        )
    # Batteries: their energy, the charging power thresholds of 2925; the fire risk goes to the hazard study.
    rows.append(
        {
            "item": t("icpe.item.batteries"),
            "estimated": narrative.value_text(results, "ups_battery_energy_mwh", lang),
            "regime": _batteries(lang),
            "published": t("icpe.published.none"),
        }
    )
    _phases(results, lang, findings)
    notes = []
    autonomy = results.inputs.get("generators.fuel_autonomy_hours")
    if not stock_declared and (autonomy is None or autonomy.status != "given"):
        notes.append(t("icpe.note.autonomy_default"))
    elif stock_declared:
        notes.append(t("icpe.note.stock_declared"))
    notes.append(t("icpe.note.ups_default"))
    if not _power_declared(results):
        notes.append(t("icpe.note.power_default"))
    if annex is None:  # refrigerant not declared: which gases 1185 covers
        notes.append(t("icpe.note.refrigerant_annex"))
    elif annex[1] == 0:
        findings.append(t("icpe.finding.refrigerant_outside", refrigerant=annex[0]))
    questions.append(t("icpe.question.charge_power"))
    questions.append(t("icpe.question.phases"))
    questions.append(t("icpe.question.hazard_study"))
    return {"rows": rows, "findings": findings, "questions": questions, "notes": notes}
