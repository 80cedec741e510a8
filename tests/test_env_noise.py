"""Noise at the nearest receptor: ISO 9613-2 point-source attenuation and the arrêté du 23 janvier 1997.

Expected values are computed here from the definitions (ISO 9613-2:1996 eq. 3 to 8; arrêté du 23 janvier
1997, art. 2: emergence = ambient - residual), with the figures of data/reference/noise.csv read from the
table itself (the test checks the computation, not a copy of the code's output).
"""

from __future__ import annotations

import math

import pytest

import impact
from impact.errors import InputError
from impact.model import noise
from impact.sources import reference as ref


def _ref(quantity: str, equipment: str) -> float:
    return ref.require("noise", quantity=quantity, equipment=equipment).known().central


def _db_sum(*levels: float) -> float:
    return 10 * math.log10(sum(10 ** (lv / 10) for lv in levels))


# ------------------------------------------------------------------------------ pure functions


def test_geometric_divergence_at_100_m_is_51_db():
    # ISO 9613-2 eq. (7): 20 log10(100) + 11 = 40 + 11
    assert noise.geometric_divergence_db(100.0) == pytest.approx(51.0, abs=1e-9)


def test_point_source_at_300_m_by_hand():
    # Lw 105 dB(A), 300 m, 1.9 dB/km (ISO 9613-2 Table 2, 500 Hz, 10 °C, 70 %), 3 dB ground, no barrier:
    # 105 - (20 log10 300 + 11) - 0.57 - 3 = 105 - 60.542 - 0.57 - 3 = 40.888
    assert noise.level_at_receptor_dba(105.0, 300.0, 1.9, 3.0, 0.0) == pytest.approx(40.888, abs=0.001)


def test_doubling_the_distance_loses_6_db_without_absorption():
    near = noise.level_at_receptor_dba(100.0, 50.0, 0.0)
    far = noise.level_at_receptor_dba(100.0, 100.0, 0.0)
    assert near - far == pytest.approx(20 * math.log10(2), abs=1e-9)  # 6.02 dB


def test_two_equal_sources_add_3_db_and_ten_units_10_db():
    assert noise.level_sum_db(50.0, 50.0) == pytest.approx(50 + 10 * math.log10(2), abs=1e-9)
    assert noise.sound_power_of_units_db(95.0, 10) == pytest.approx(105.0, abs=1e-9)


def test_emergence_of_a_source_equal_to_the_residual_is_3_db():
    # ambient = 10 log10(2 x 10^4) = 43.01 dB(A); 43.01 - 40 = 3.01: just above the 3 dB(A) night limit
    assert noise.emergence_db(40.0, 40.0) == pytest.approx(10 * math.log10(2), abs=1e-9)


def test_the_regulatory_figures_are_the_arrete_s():
    # Arrêté du 23 janvier 1997, art. 3: 5 / 3 dB(A) above 45 dB(A) ambient, 6 / 4 from 35 to 45; 70 / 60 at the boundary
    assert _ref("emergence_day_db", "ambient_above_45") == 5
    assert _ref("emergence_night_db", "ambient_above_45") == 3
    assert _ref("emergence_day_db", "ambient_35_to_45") == 6
    assert _ref("emergence_night_db", "ambient_35_to_45") == 4
    assert _ref("boundary_limit_day_dba", "boundary") == 70
    assert _ref("boundary_limit_night_dba", "boundary") == 60


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


@pytest.fixture(scope="module")
def with_receptor(tmp_path_factory):
    path = tmp_path_factory.mktemp("noise") / "p.yaml"
    path.write_text(
        PROJECT + "noise: {receptor_distance_m: 200, residual_day_dba: 50, residual_night_dba: 40}\n", encoding="utf-8"
    )
    return impact.estimate(impact.load_project(path), draws=200)


def _hard_ground(d: float) -> float:
    """ISO 9613-2 Table 3 with G = 0 (hard ground, the default), heights from the table:
    As = Ar = -1.5 dB, Am = -3q, q = 1 - 30 (hs + hr) / dp beyond 30 (hs + hr)."""
    reach = 30 * (_ref("source_height_m", "source") + _ref("receiver_height_m", "receptor"))
    q = 1 - reach / d if d > reach else 0.0
    return -3 - 3 * q


def test_night_level_at_200_m_from_a_16_mw_plant(with_receptor):
    lw = _ref("sound_power_per_mw_dba", "cooling") + 10 * math.log10(16)  # 16 units of about 1 MW
    alpha = _ref("air_absorption_db_per_km", "air")
    # hard ground (default): 200 m is within 30 (5 + 4) = 270 m, q = 0, Agr = -3 dB; no screen
    expected = lw - (20 * math.log10(200) + 11) - alpha * 0.2 - _hard_ground(200)
    got = with_receptor.indicators["noise_night_dba_at_receptor"]
    assert got.central == pytest.approx(expected, abs=0.01)
    assert got.low < got.central < got.high  # the sound power's range is carried


def test_generator_test_adds_one_set_to_the_plant(with_receptor):
    r = with_receptor.indicators
    alpha = _ref("air_absorption_db_per_km", "air")
    gen = _ref("sound_power_dba", "generator_in_test") - (20 * math.log10(200) + 11) - alpha * 0.2 + 3.0
    expected = _db_sum(r["noise_night_dba_at_receptor"].central, gen)
    assert r["noise_generator_test_dba_at_receptor"].central == pytest.approx(expected, abs=0.01)


def test_emergences_by_definition(with_receptor):
    r = with_receptor.indicators
    night = _db_sum(40, r["noise_night_dba_at_receptor"].central) - 40
    day = _db_sum(50, r["noise_generator_test_dba_at_receptor"].central) - 50
    assert r["noise_emergence_night_db"].central == pytest.approx(night, abs=0.01)
    assert r["noise_emergence_test_day_db"].central == pytest.approx(day, abs=0.01)


def test_a_declared_sound_power_replaces_the_default(write_project):
    p = write_project(PROJECT + "noise: {receptor_distance_m: 500, plant_sound_power_dba: 100}\n")
    r = impact.estimate(impact.load_project(p), draws=100).indicators
    # 100 - (20 log10 500 + 11) - 1.9 x 0.5 - Agr = 100 - 64.979 - 0.95 + 4.38 = 38.451, hard ground
    # (ISO 9613-2 Table 3, G = 0, hs 5 m, hr 4 m: q = 1 - 270 / 500 = 0.46, Agr = -3 - 3 x 0.46 = -4.38)
    assert r["noise_night_dba_at_receptor"].central == pytest.approx(38.451, abs=0.001)
    assert r["noise_night_dba_at_receptor"].low == r["noise_night_dba_at_receptor"].high  # declared: a point


def test_no_receptor_distance_leaves_the_levels_unknown(write_project):
    r = impact.estimate(impact.load_project(write_project(PROJECT)), draws=100)
    assert not r.indicators["noise_night_dba_at_receptor"].known
    assert r.inputs["noise.receptor_distance_m"].status == "unknown"


def test_a_negative_distance_is_a_clear_input_error(write_project):
    p = write_project(PROJECT + "noise: {receptor_distance_m: -5}\n")
    with pytest.raises(InputError, match="receptor_distance_m"):
        impact.load_project(p)


# ------------------------------------------------------------------------------ the dossier section


def test_emergence_limit_follows_the_ambient_band():
    # art. 3: no limit at or below 35 dB(A); 4 dB(A) at night from 35 to 45; 3 dB(A) above 45
    assert noise.emergence_limit_db(35.0, 35, 45, 4, 3) is None
    assert noise.emergence_limit_db(44.0, 35, 45, 4, 3) == 4
    assert noise.emergence_limit_db(45.1, 35, 45, 4, 3) == 3


def test_section_flags_an_emergence_above_the_night_limit(with_receptor):
    from impact.report import noise as noise_report
    from impact.report.catalogue import catalogue

    s = noise_report.section(with_receptor, "en")
    # residual 40 dB(A) + an emergence of about 12 dB(A): ambient above 45, the night limit is 3 dB(A)
    assert any("above the 3\u00a0dB(A)" in p for p in s["paragraphs"])  # no-break space before the unit
    assert s["silent"] == catalogue("en")("noise.silent")
    assert "PAR7" in s["silent"]


def test_section_asks_for_the_receptor_when_none_is_given(write_project):
    from impact.report import noise as noise_report
    from impact.report.catalogue import catalogue

    r = impact.estimate(impact.load_project(write_project(PROJECT)), draws=100)
    for lang in ("en", "fr"):
        s = noise_report.section(r, lang)
        t = catalogue(lang)
        assert t("noise.no_distance") in s["paragraphs"]
        assert t("noise.question.receptors") in s["questions"]
        assert t("noise.question.sound_power") in s["questions"]
