"""The dossier's noise section: the plant and the generator tests at the nearest receptor, against the
arrêté du 23 janvier 1997, and the questions when the promoter is silent (docs/noise.md)."""

from __future__ import annotations

from ..model import noise
from ..ranges import Range
from ..sources import reference as ref
from . import fmt
from .catalogue import catalogue


def _limit(quantity: str, equipment: str) -> float:
    return ref.require("noise", quantity=quantity, equipment=equipment).known().central


def _level(results, name: str, lang: str) -> str | None:
    i = results.indicators.get(name)
    if i is None or not i.known:
        return None
    if i.low == i.high:
        return fmt.plain_quantity(i.central, "dB(A)", lang)
    return fmt.value_range(i.central, i.low, i.high, "dB(A)", lang)


def _given(results, name: str) -> Range | None:
    rec = results.inputs.get(name)
    return rec.value if rec is not None and isinstance(rec.value, Range) else None


def _emergence_sentence(results, period: str, indicator: str, residual_input: str, lang: str) -> str | None:
    """« emergence X against a limit of Y »: the limit from the ambient level (residual + emergence)."""
    t = catalogue(lang)
    e = results.indicators.get(indicator)
    residual = _given(results, residual_input)
    if e is None or not e.known or residual is None:
        return None
    ambient = residual.central + e.central
    limit = noise.emergence_limit_db(
        ambient,
        _limit("emergence_floor_dba", "ambient"),
        _limit("emergence_band_dba", "ambient"),
        _limit(f"emergence_{period}_db", "ambient_35_to_45"),
        _limit(f"emergence_{period}_db", "ambient_above_45"),
    )
    args = {
        "emergence": fmt.value_range(e.central, e.low, e.high, "dB(A)", lang),
        "ambient": fmt.quantity(ambient, "dB(A)", lang, scale=False),
    }
    if limit is None:
        return t(f"noise.emergence.{period}.below_floor", **args)
    verdict = "above" if e.central > limit else "within"
    return t(f"noise.emergence.{period}.{verdict}", limit=fmt.plain_quantity(limit, "dB(A)", lang), **args)


def section(results, lang: str) -> dict:
    """Paragraphs, notes and questions of the noise section, in ``lang``."""
    t = catalogue(lang)
    paragraphs: list[str] = []
    questions: list[str] = []
    distance = _given(results, "noise.receptor_distance_m")
    night = _level(results, "noise_night_dba_at_receptor", lang)
    test = _level(results, "noise_generator_test_dba_at_receptor", lang)
    declared = _given(results, "noise.plant_sound_power_dba") is not None
    per_mw, it = _given(results, "noise.cooling_sound_power_per_mw_dba"), _given(results, "it_capacity_mw")
    if not declared and per_mw is not None and it is not None and it.central > 0:
        lw = [noise.sound_power_of_units_db(x, it.central) for x in (per_mw.central, per_mw.low, per_mw.high)]
        paragraphs.append(
            t(
                "noise.sound_power.default",
                power=fmt.value_range(lw[0], lw[1], lw[2], "dB(A)", lang),
                it=fmt.plain_quantity(it.central, "MW", lang),
            )
        )
    if distance is None:
        paragraphs.append(t("noise.no_distance"))
        questions.append(t("noise.question.receptors"))
    else:
        where = fmt.plain_quantity(distance.central, "m", lang)
        source = "declared" if declared else "default"
        if night:
            paragraphs.append(t(f"noise.plant.{source}", distance=where, level=night))
        if test:
            paragraphs.append(t("noise.test", distance=where, level=test))
    for period, indicator, residual in (
        ("night", "noise_emergence_night_db", "noise.residual_night_dba"),
        ("day", "noise_emergence_test_day_db", "noise.residual_day_dba"),
    ):
        sentence = _emergence_sentence(results, period, indicator, residual, lang)
        if sentence:
            paragraphs.append(sentence)
        else:  # no emergence: the residual level is the promoter's to measure
            questions.append(t(f"noise.question.residual_{period}"))
    if not declared:
        questions.append(t("noise.question.sound_power"))
    questions.append(t("noise.question.tests"))
    rule = t(
        "noise.rule",
        day=fmt.plain_quantity(_limit("emergence_day_db", "ambient_above_45"), "dB(A)", lang),
        night=fmt.plain_quantity(_limit("emergence_night_db", "ambient_above_45"), "dB(A)", lang),
        day_low=fmt.plain_quantity(_limit("emergence_day_db", "ambient_35_to_45"), "dB(A)", lang),
        night_low=fmt.plain_quantity(_limit("emergence_night_db", "ambient_35_to_45"), "dB(A)", lang),
        boundary_day=fmt.plain_quantity(_limit("boundary_limit_day_dba", "boundary"), "dB(A)", lang),
        boundary_night=fmt.plain_quantity(_limit("boundary_limit_night_dba", "boundary"), "dB(A)", lang),
    )
    return {
        "paragraphs": paragraphs,
        "rule": rule,
        "assumptions": t("noise.assumptions"),
        "silent": t("noise.silent"),
        "questions": questions,
    }
