"""The dossier's noise section: the plant and the generator tests at the nearest receptor, against the
arrêté du 23 janvier 1997, and the questions when the promoter is silent (docs/noise.md)."""

from __future__ import annotations

from ..model import noise
from ..ranges import Range
from ..sources import reference as ref
from . import fmt, narrative
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


def _distance(d: Range, lang: str) -> str:
    """« 100 m », or « 100 m (50 à 200 m) » for a range."""
    if d.low == d.high:
        return fmt.plain_quantity(d.central, "m", lang)
    low, high = (fmt.number(x, lang, decimals=0) for x in (d.low, d.high))
    span = catalogue(lang)("number.range", low=low, high=high)
    return f"{fmt.plain_quantity(d.central, 'm', lang)} ({span}\u00a0{catalogue(lang)('unit.m')})"


def _central(results, name: str) -> float | None:
    r = _given(results, name)
    return r.central if r is not None else None


def _declared_part_of_screen(results) -> bool:
    nz = results.project.noise
    return nz is not None and (nz.barrier_height_m is not None or nz.barrier_distance_m is not None)


def _propagation(results, lang: str) -> list[str]:
    """Which ground and screen the receptor's level counts, with what they change there (ISO 9613-2)."""
    t = catalogue(lang)
    d = _central(results, "noise.receptor_distance_m")
    hs, hr = _central(results, "noise.source_height_m"), _central(results, "noise.receiver_height_m")
    g = _central(results, "noise.ground_factor")
    if d is None or hs is None or hr is None or g is None:
        return []
    out: list[str] = []
    m = lambda x: fmt.plain_quantity(x, "m", lang)  # noqa: E731
    db = lambda x: fmt.plain_quantity(round(abs(float(x)), 1), "dB", lang)  # noqa: E731
    ground = _given(results, "noise.ground_attenuation_db")
    agr = ground.central if ground is not None else float(noise.ground_effect_db(d, hs, hr, g))
    if ground is not None:
        out.append(t("noise.ground.override", value=db(ground.central)))
    elif g > 0.5:
        net = noise.ground_effect_db(d, hs, hr, 1.0) - noise.ground_directivity_correction_db(d, hs, hr, 1.0)
        key = "noise.ground.porous.lower" if net >= 0 else "noise.ground.porous.higher"
        out.append(t(key, change=db(net), hs=m(hs), hr=m(hr)))
    else:
        given = results.inputs["noise.ground_factor"].status == "given"
        gain = noise.ground_effect_db(d, hs, hr, 0.0)
        out.append(t(f"noise.ground.hard.{'given' if given else 'default'}", gain=db(gain), hs=m(hs), hr=m(hr)))
    hb, xb = _central(results, "noise.barrier_height_m"), _central(results, "noise.barrier_distance_m")
    override = _given(results, "noise.barrier_attenuation_db")
    if override is not None:
        out.append(t("noise.barrier.override", value=db(override.central)))
    elif hb is not None and xb is not None:
        lam = _central(results, "noise.barrier_wavelength_m") or 0.68
        dz = float(noise.screen_db(d, hs, hr, xb, hb, lam))
        extra = float(noise.screened_ground_db(agr, dz)) - agr  # the screen replaces the ground it hides
        if dz > 0:
            out.append(t("noise.barrier.declared", height=m(hb), distance=m(xb), dz=db(extra)))
        else:
            out.append(t("noise.barrier.below", height=m(hb), distance=m(xb)))
    elif hb is not None or xb is not None or _declared_part_of_screen(results):
        out.append(t("noise.barrier.incomplete"))
    else:
        out.append(t("noise.barrier.none"))
    return out


def _boundary(results, lang: str) -> tuple[list[str], list[str]]:
    """The levels at the site boundary against the arrêté's ceilings (art. 3): 60 dB(A) by night for
    the plant, 70 dB(A) by day for a test (tests run by day)."""
    t = catalogue(lang)
    distance = _given(results, "noise.boundary_distance_m")
    if distance is None:
        return [], [t("noise.question.boundary")]
    out = []
    where = _distance(distance, lang)
    for period, indicator, quantity in (
        ("night", "noise_night_dba_at_boundary", "boundary_limit_night_dba"),
        ("test", "noise_generator_test_dba_at_boundary", "boundary_limit_day_dba"),
    ):
        i = results.indicators.get(indicator)
        level = _level(results, indicator, lang)
        if i is None or level is None:
            continue
        limit = _limit(quantity, "boundary")
        verdict = "above" if i.central > limit else "within"
        out.append(
            t(
                f"noise.boundary.{period}.{verdict}",
                distance=where,
                level=level,
                limit=fmt.plain_quantity(limit, "dB(A)", lang),
            )
        )
    return out, []


def _claims(results, lang: str) -> list[str]:
    """The promoter's claims on a noise indicator, against the estimate (impact/claims.py)."""
    from ..claims import check_claims

    t = catalogue(lang)
    out = []
    for c in check_claims(results):
        if not c.indicator.startswith("noise_"):
            continue
        ind = results.indicators[c.compared_with]
        out.append(
            t(
                f"noise.claim.{c.verdict}",
                indicator=narrative.lower_first(narrative.label(c.indicator, lang)),
                claimed=fmt.plain_quantity(c.claimed, ind.unit, lang),
                estimate=narrative.value_text(results, c.compared_with, lang),
                source=c.source,
            )
        )
    return out


def _study(results, lang: str) -> str:
    """« The impact study gives no quantified figure » when the project file says so (the PAR7 case);
    the conditional sentence when it does not say."""
    t = catalogue(lang)
    nz = results.project.noise
    quantified = nz.study_quantified if nz is not None else None
    if quantified is False:
        return t("noise.study.unquantified")
    if quantified is True:
        return t("noise.study.quantified")
    return t("noise.silent")


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
        from ..noise_inputs import cooling_equipment

        tower = cooling_equipment(results.project) == "cooling_tower"
        paragraphs.append(
            t(
                "noise.sound_power.default_tower" if tower else "noise.sound_power.default",
                power=fmt.value_range(lw[0], lw[1], lw[2], "dB(A)", lang),
                it=fmt.plain_quantity(it.central, "MW", lang),
            )
        )
    if distance is None:
        paragraphs.append(t("noise.no_distance"))
        questions.append(t("noise.question.receptors"))
    else:
        where = _distance(distance, lang)
        source = "declared" if declared else "default"
        if night:
            paragraphs.append(t(f"noise.plant.{source}", distance=where, level=night))
        if test:
            paragraphs.append(t("noise.test", distance=where, level=test))
        paragraphs.extend(_propagation(results, lang))
    for period, indicator, residual in (
        ("night", "noise_emergence_night_db", "noise.residual_night_dba"),
        ("day", "noise_emergence_test_day_db", "noise.residual_day_dba"),
    ):
        sentence = _emergence_sentence(results, period, indicator, residual, lang)
        if sentence:
            paragraphs.append(sentence)
        else:  # no emergence: the residual level is the promoter's to measure
            questions.append(t(f"noise.question.residual_{period}"))
    boundary, asked = _boundary(results, lang)
    paragraphs.extend(boundary)
    questions.extend(asked)
    paragraphs.extend(_claims(results, lang))
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
        "silent": _study(results, lang),
        "questions": questions,
    }
