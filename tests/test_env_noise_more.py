"""Noise, continued: ISO 9613-2 ground (clause 7.3) and screen (clause 7.4), the site boundary, claims, the
study's quantified figures, bad inputs (docs/noise.md).

Expected values are computed here by hand from the standard's equations, written out again in each test
(ISO 9613-2:1996 eq. 7, 8, 10, 11, 12, 14, 18 and Table 3), not by calling the code under test.
Tolerances: 0.001 dB (rounding of the hand figures written in comments) unless said otherwise.
"""

from __future__ import annotations

import math

import pytest

import impact
from impact.errors import InputError
from impact.model import noise
from impact.report import noise as noise_report
from impact.report.catalogue import catalogue
from impact.sources import reference as ref


def _ref(quantity: str, equipment: str) -> float:
    return ref.require("noise", quantity=quantity, equipment=equipment).known().central


# ------------------------------------------------------------------------------ ground


def test_alternative_ground_attenuation_by_hand_at_two_distances():
    # eq. (10): Agr = 4.8 - (2 hm / d)(17 + 300 / d), hm = 4.5 m
    # d = 100 m: 4.8 - 0.09 x 20 = 3.0 dB;  d = 300 m: 4.8 - 0.03 x 18 = 4.26 dB
    assert noise.ground_attenuation_alternative_db(100.0, 4.5) == pytest.approx(3.0, abs=1e-9)
    assert noise.ground_attenuation_alternative_db(300.0, 4.5) == pytest.approx(4.26, abs=1e-9)


def test_alternative_ground_attenuation_is_never_negative():
    # d = 50 m, hm = 10 m: 4.8 - 0.4 x 23 = -4.4 -> 0 dB (eq. 10: Agr >= 0)
    assert noise.ground_attenuation_alternative_db(50.0, 10.0) == 0.0


def test_directivity_of_the_alternative_method_by_hand():
    # eq. (11): 10 lg(1 + (300^2 + 1^2) / (300^2 + 9^2)) = 10 lg(1 + 90001 / 90081) = 10 lg(1.999112) = 3.00837
    assert noise.ground_directivity_db(300.0, 5.0, 4.0) == pytest.approx(3.00837, abs=1e-5)


def test_hard_ground_by_table_3_with_g_zero():
    # G = 0: As = Ar = -1.5 dB; Am = -3q; q = 0 up to 30 (hs + hr) = 270 m, then 1 - 270 / dp
    assert noise.ground_attenuation_hard_db(200.0, 5.0, 4.0) == pytest.approx(-3.0, abs=1e-12)
    # dp = 540 m: q = 0.5, Agr = -3 - 1.5 = -4.5 dB
    assert noise.ground_attenuation_hard_db(540.0, 5.0, 4.0) == pytest.approx(-4.5, abs=1e-12)


# ------------------------------------------------------------------------------ screen


def test_screen_attenuation_by_hand():
    # source 2 m high at x = 0, screen top 6 m at x = 10 m, receptor 4 m high at x = 200 m, 500 Hz
    dss = math.sqrt(10**2 + 4**2)  # 10.77033
    dsr = math.sqrt(190**2 + 2**2)  # 190.01053
    d = math.sqrt(200**2 + 2**2)  # 200.01000
    z = dss + dsr - d  # 0.77086 m
    kmet = math.exp(-math.sqrt(dss * dsr * d / (2 * z)) / 2000)  # eq. (18)
    dz = 10 * math.log10(3 + (20 / 0.68) * 1 * z * kmet)  # eq. (14), C2 = 20, C3 = 1
    assert z == pytest.approx(0.77086, abs=1e-4)
    got_z, got_dss, got_dsr, got_d = noise.barrier_path_difference_m(200.0, 2.0, 4.0, 10.0, 6.0)
    assert float(got_z) == pytest.approx(z, abs=1e-9)
    got = noise.barrier_attenuation_db(got_z, 0.68, noise.barrier_kmet(got_z, got_dss, got_dsr, got_d))
    assert float(got) == pytest.approx(dz, abs=1e-9)
    # by hand: dss dsr d / (2 z) = 409 300 / 1.5417 = 265 490; sqrt / 2000 = 0.2576; Kmet = 0.7729;
    # 3 + 29.41 x 0.77086 x 0.7729 = 20.52; 10 lg 20.52 = 13.12 dB
    assert dz == pytest.approx(13.12, abs=0.01)
    assert float(noise.screen_db(200.0, 2.0, 4.0, 10.0, 6.0, 0.68)) == pytest.approx(dz, abs=1e-9)


def test_screen_is_capped_at_20_db_and_nothing_below_the_line_of_sight():
    # a 30 m wall 5 m from a 2 m source, receptor 50 m away at 4 m: 10 lg(3 + 29.4 z Kmet) > 20 uncapped
    assert float(noise.screen_db(50.0, 2.0, 4.0, 5.0, 30.0, 0.68)) == 20.0
    # a 1 m wall between a 5 m source and a 4 m receptor: its top is below the line of sight
    assert float(noise.screen_db(200.0, 5.0, 4.0, 50.0, 1.0, 0.68)) == 0.0
    # eq. (12): Agr + Abar = max(Dz, Agr)
    assert float(noise.screened_ground_db(-3.0, 9.0)) == 9.0
    assert float(noise.screened_ground_db(4.0, 2.0)) == 4.0


# ------------------------------------------------------------------------------ through the estimate

PROJECT = """\
name: Test noise
country: FR
year: 2026
it_capacity_mw: 16
utilisation: 0.5
pue: 1.4
generators: {count: 8, unit_mw: 2.5}
"""


def _estimate(write_project, noise_block: str, extra: str = ""):
    return impact.estimate(impact.load_project(write_project(PROJECT + noise_block + extra)), draws=100)


def test_boundary_levels_by_hand(write_project):
    r = _estimate(write_project, "noise: {boundary_distance_m: 100, plant_sound_power_dba: 100}\n")
    # plant: 100 - (20 lg 100 + 11) - 1.9 x 0.1 - Agr; hard ground, 100 m < 30 (5 + 4): Agr = -3 dB
    # = 100 - 51 - 0.19 + 3 = 51.81 dB(A)
    night = r.indicators["noise_night_dba_at_boundary"]
    assert night.central == pytest.approx(51.81, abs=0.001)
    # a test adds one set of the table's sound power, same attenuation: 10 lg(10^5.181 + 10^((Lw - 48.19)/10))
    lw_gen = _ref("sound_power_dba", "generator_in_test")
    expected = 10 * math.log10(10 ** (51.81 / 10) + 10 ** ((lw_gen - 48.19) / 10))
    assert r.indicators["noise_generator_test_dba_at_boundary"].central == pytest.approx(expected, abs=0.001)
    # no receptor distance: the receptor's levels stay unknown, the boundary's are known
    assert not r.indicators["noise_night_dba_at_receptor"].known
    s = noise_report.section(r, "en")
    assert any("within the 60\u00a0dB(A)" in p for p in s["paragraphs"])  # 51.8 against 60 by night
    assert catalogue("en")("noise.question.receptors") in s["questions"]


def test_boundary_above_the_ceiling_is_said(write_project):
    r = _estimate(write_project, "noise: {boundary_distance_m: 20, plant_sound_power_dba: 100}\n")
    # 100 - (20 lg 20 + 11) - 0.038 + 3 = 100 - 37.021 - 0.038 + 3 = 65.94 > 60
    assert r.indicators["noise_night_dba_at_boundary"].central == pytest.approx(65.941, abs=0.001)
    s = noise_report.section(r, "fr")
    assert any("au-dessus des 60\u00a0dB(A)" in p for p in s["paragraphs"])


def test_porous_ground_through_the_estimate_by_hand(write_project):
    r = _estimate(write_project, "noise: {receptor_distance_m: 300, plant_sound_power_dba: 100, ground: porous}\n")
    # 100 + D_Omega - (20 lg 300 + 11) - 0.57 - Agr = 100 + 3.00837 - 60.54243 - 0.57 - 4.26 = 37.63594
    assert r.indicators["noise_night_dba_at_receptor"].central == pytest.approx(37.63594, abs=0.001)
    assert r.inputs["noise.ground_factor"].status == "given"


def test_declared_screen_through_the_estimate_by_hand(write_project):
    block = (
        "noise: {receptor_distance_m: 200, plant_sound_power_dba: 100, source_height_m: 2, "
        "barrier_height_m: 6, barrier_distance_m: 10}\n"
    )
    r = _estimate(write_project, block)
    dss, dsr, d = math.sqrt(116), math.sqrt(36104), math.sqrt(40004)
    z = dss + dsr - d
    dz = 10 * math.log10(3 + (20 / 0.68) * z * math.exp(-math.sqrt(dss * dsr * d / (2 * z)) / 2000))
    # hard ground: q = 1 - 30 (2 + 4) / 200 = 0.1, Agr = -3.3 dB; eq. (12): max(Dz, Agr) = Dz (13.1 dB)
    expected = 100 - (20 * math.log10(200) + 11) - 1.9 * 0.2 - dz
    assert r.indicators["noise_night_dba_at_receptor"].central == pytest.approx(expected, abs=0.001)


def test_half_a_screen_is_not_counted_and_said(write_project):
    r = _estimate(write_project, "noise: {receptor_distance_m: 100, plant_sound_power_dba: 100, barrier_height_m: 3}\n")
    # as without a screen: 100 - 51 - 0.19 + 3 (hard ground) = 51.81
    assert r.indicators["noise_night_dba_at_receptor"].central == pytest.approx(51.81, abs=0.001)
    assert catalogue("en")("noise.barrier.incomplete") in noise_report.section(r, "en")["paragraphs"]


def test_an_assumption_replaces_the_ground_term(write_project):
    r = _estimate(
        write_project,
        "noise: {receptor_distance_m: 100, plant_sound_power_dba: 100}\n",
        "assumptions: {noise.ground_attenuation_db: 2}\n",
    )
    # 100 - 51 - 0.19 - 2 = 46.81
    assert r.indicators["noise_night_dba_at_receptor"].central == pytest.approx(46.81, abs=0.001)


def test_cooling_towers_take_their_own_sound_power(write_project):
    p = write_project(PROJECT + "cooling: {type: water_chillers}\nnoise: {receptor_distance_m: 300}\n")
    r = impact.estimate(impact.load_project(p), draws=100)
    assert r.inputs["noise.cooling_sound_power_per_mw_dba"].value.central == _ref(
        "sound_power_per_mw_dba", "cooling_tower"
    )
    s = noise_report.section(r, "en")
    assert s["paragraphs"][0].startswith("Default (no figure published): the open cooling towers")


# ------------------------------------------------------------------------------ claims and the study


def test_a_claimed_night_emergence_below_the_range_is_optimistic(write_project):
    from impact.claims import check_claims

    claims = (
        "claims:\n  - indicator: noise_emergence_night_db\n    value: 2.9\n"
        "    source: impact study (émergence inférieure à 3 dB(A) la nuit)\n"
    )
    r = _estimate(write_project, "noise: {receptor_distance_m: 200, residual_night_dba: 40}\n", claims)
    e = r.indicators["noise_emergence_night_db"]
    assert e.low > 2.9  # default plant at 200 m over a 40 dB(A) residual: well above 3 dB(A)
    check = next(c for c in check_claims(r) if c.indicator == "noise_emergence_night_db")
    assert check.verdict == "optimistic"
    s = noise_report.section(r, "fr")
    assert any("sous la fourchette de l'estimation" in p and "2,9" in p for p in s["paragraphs"])


def test_a_claim_within_the_range_is_consistent(write_project):
    from impact.claims import check_claims

    r0 = _estimate(write_project, "noise: {receptor_distance_m: 200, residual_night_dba: 40}\n")
    central = r0.indicators["noise_night_dba_at_receptor"].central
    claims = f"claims:\n  - indicator: noise_night_dba_at_receptor\n    value: {central:.2f}\n    source: study\n"
    r = _estimate(write_project, "noise: {receptor_distance_m: 200, residual_night_dba: 40}\n", claims)
    check = next(c for c in check_claims(r) if c.indicator == "noise_night_dba_at_receptor")
    assert check.verdict == "consistent"


def test_the_study_without_figures_is_said_plainly(write_project):
    for value, key in (("false", "noise.study.unquantified"), ("true", "noise.study.quantified")):
        r = _estimate(write_project, f"noise: {{study_quantified: {value}}}\n")
        assert noise_report.section(r, "fr")["silent"] == catalogue("fr")(key)
    assert "aucune évaluation chiffrée du bruit ajouté" in catalogue("fr")("noise.study.unquantified")
    r = _estimate(write_project, "noise: {study_quantified: unknown}\n")
    assert noise_report.section(r, "fr")["silent"] == catalogue("fr")("noise.silent")


# ------------------------------------------------------------------------------ bad inputs


@pytest.mark.parametrize(
    ("block", "field"),
    [
        ("noise: {source_height_m: -2}\n", "source_height_m"),
        ("noise: {receiver_height_m: -1}\n", "receiver_height_m"),
        ("noise: {ground: gravel}\n", "ground"),
        ("noise: {receptor_distance_m: 100, barrier_height_m: -3, barrier_distance_m: 10}\n", "barrier_height_m"),
        ("noise: {receptor_distance_m: 100, barrier_height_m: 3, barrier_distance_m: 150}\n", "barrier_distance_m"),
        ("noise: {boundary_distance_m: 0}\n", "boundary_distance_m"),
        ("noise: {study_quantified: perhaps}\n", "study_quantified"),
    ],
)
def test_bad_noise_inputs_are_clear_input_errors(write_project, block, field):
    with pytest.raises(InputError, match=field):
        impact.load_project(write_project(PROJECT + block))


def test_a_ranged_distance_is_shown_with_its_range(write_project):
    r = _estimate(write_project, "noise: {receptor_distance_m: {low: 50, central: 100, high: 200}}\n")
    s = noise_report.section(r, "en")
    assert any(p.startswith("At 100\u00a0m (50 to 200\u00a0m)") for p in s["paragraphs"])


def test_giving_ranged_noise_inputs_leaves_the_other_draws_unchanged(write_project):
    # the noise inputs a project gives are drawn after all others (impact/noise_engine.drawn_last); without a
    # declared PUE or utilisation their default ranges are drawn, and "pue", "utilisation" sort after "noise."
    project = PROJECT.replace("pue: 1.4\n", "").replace("utilisation: 0.5\n", "")
    base = impact.estimate(impact.load_project(write_project(project, "a.yaml")), draws=300)
    block = "noise: {receptor_distance_m: {low: 50, central: 100, high: 200}, source_height_m: {low: 2, central: 5, high: 10}}\n"
    noisy = impact.estimate(impact.load_project(write_project(project + block, "b.yaml")), draws=300)
    for name in ("facility_energy_mwh", "co2e_location_t", "peak_demand_mw"):
        a, b = base.indicators[name], noisy.indicators[name]
        assert (a.low, a.central, a.high) == (b.low, b.central, b.high), name
    assert noisy.indicators["noise_night_dba_at_receptor"].known
