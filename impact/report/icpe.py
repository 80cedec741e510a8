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
from ..sources.reference import read_reference_table
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


def table(results, lang: str) -> dict:
    """Rows (item, estimate, its regime, what is declared and its regime), findings and questions."""
    t = catalogue(lang)
    rows, findings, questions = [], [], []
    claims = {c.indicator: c for c in results.project.claims}
    for indicator, quantity in ROWS:
        ind = results[indicator]
        claim = claims.get(indicator)
        declared = t("icpe.published.none")
        if claim is not None:
            value = claim.value_in_indicator_unit
            label = icpe_model.regime(value, thresholds(quantity))
            declared = t(
                "icpe.published.value",
                value=fmt.plain_quantity(value, ind.unit, lang),
                regime=_level(label, quantity, ind.unit, lang),
            )
            near = icpe_model.just_below(value, thresholds(quantity))
            if near is not None:
                findings.append(
                    t(
                        "icpe.finding.just_below",
                        item=t(f"icpe.item.{quantity}"),
                        value=fmt.plain_quantity(value, ind.unit, lang),
                        threshold=fmt.plain_quantity(near[1], ind.unit, lang),
                        rubrique=near[0].split("|")[0],
                        regime=t(f"icpe.regime.{near[0].split('|')[1]}"),
                        estimate=narrative.value_text(results, indicator, lang),
                    )
                )
        else:
            questions.append(t(f"icpe.question.{quantity}"))
        rows.append(
            {
                "item": t(f"icpe.item.{quantity}"),
                "estimated": narrative.value_text(results, indicator, lang),
                "regime": _regime_text(ind, quantity, lang),
                "published": declared,
            }
        )
    # Batteries: no rubrique threshold computed, the fire risk goes to the hazard study.
    rows.append(
        {
            "item": t("icpe.item.batteries"),
            "estimated": narrative.value_text(results, "ups_battery_energy_mwh", lang),
            "regime": t("icpe.regime.batteries"),
            "published": t("icpe.published.none"),
        }
    )
    # The autonomy is always a default (no project-file key yet); the power is one when not published.
    notes = [t("icpe.note.autonomy_default"), t("icpe.note.ups_default")]
    given = {k for k, rec in results.inputs.items() if k.startswith("generators.") and rec.status == "given"}
    if "generators.total_mw" not in given and not {"generators.count", "generators.unit_mw"} <= given:
        notes.append(t("icpe.note.power_default"))
    questions.append(t("icpe.question.phases"))
    questions.append(t("icpe.question.hazard_study"))
    return {"rows": rows, "findings": findings, "questions": questions, "notes": notes}
