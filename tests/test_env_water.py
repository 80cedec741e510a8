"""Issue 13, item 6: the water resource (docs/water-resource.md).

Every expected value is computed here by hand from its definition:
- the commune's domestic water = population x 148 L per inhabitant and day x 365 (OFB SISPEA 2020,
  data/reference/equivalences.csv);
- the receiving river's rise, fully mixed = heat / (low flow x rho x cp), fresh water at 20 °C
  (IAPWS-95: 998.21 kg/m3, 4184.1 J/(kg K), data/reference/physical_constants.csv);
- the heat into the water at full IT load = IT MW x (1 + 6.93 % distribution losses) x declared share
  (docs/thermal-discharge.md; data/reference/cooling_parameters.csv);
- the limits: arrêté du 2 février 1998, article 31 (data/reference/thermal_discharge_limits.csv):
  1.5 K salmonid, 3 K cyprinid, 2 K shellfish, effluent below 30 °C.
"""

from __future__ import annotations

import pytest

import impact
from impact.errors import InputError
from impact.model import water_resource as model
from impact.report import narrative
from impact.report import water_resource as report

RHO, CP, DIST, L_PER_DAY = 998.21, 4184.1, 0.0693, 148.0

OTTMARSHEIM = """\
name: Test water
country: FR
city: Ottmarsheim
location: {{lat: 47.7872, lon: 7.5078}}
year: 2026
it_capacity_mw: 18
cooling:
  type: river
  water_flow_m3_per_h: 1500
  water_in_c: 12
  water_out_c: 20
  coverage_share: 0.5
{extra}"""

AIR = """\
name: Test water air
country: FR
city: Ottmarsheim
location: {{lat: 47.7872, lon: 7.5078}}
year: 2026
it_capacity_mw: 4
utilisation: 0.5
pue: 1.3
wue_l_per_kwh: 0.5
cooling: {{type: evaporative}}
{extra}"""


def _run(write_project, template: str, extra: str = ""):
    return impact.estimate(impact.load_project(write_project(template.format(extra=extra))), draws=100)


# ------------------------------------------------------------------------------ the pure functions
def test_commune_domestic_water_by_hand():
    # 1,000 inhabitants x 148 L/day x 365 days = 54,020,000 L = 54,020 m3.
    assert model.commune_domestic_water_m3(1000, 148) == pytest.approx(54_020.0)


def test_receiving_rise_by_hand():
    # 10 MW into 5 m3/s of fresh water: 1e7 W / (5 x 998.21 x 4184.1 W/K) = 0.47881 K.
    assert model.receiving_water_rise_k(10.0, 5.0, RHO, CP) == pytest.approx(0.47881, rel=1e-4)


# ------------------------------------------------------------------------------ the estimate
def test_rise_of_the_rhine_by_hand_and_the_salmonid_limit(write_project):
    r = _run(
        write_project,
        OTTMARSHEIM,
        "water_resource: {receiving_low_flow_m3_per_s: 2, receiving_water_class: salmonid}\n",
    )
    # Full IT load: 18 MW x 1.0693 x 0.5 = 9.6237 MW; the declared flow could carry
    # 1500/3600 m3/s x 998.21 x 4184.1 x 8 K = 13.92 MW, so nothing is capped.
    heat_mw = 18 * (1 + DIST) * 0.5
    assert r.central("thermal_discharge_max_mw") == pytest.approx(heat_mw, rel=1e-3)
    rise = heat_mw * 1e6 / (2 * RHO * CP)  # 1.152 K
    assert r.central("receiving_water_rise_k") == pytest.approx(rise, rel=1e-3)
    assert report.rise_verdict(r) == ("salmonid", False, 1.5)  # 1.15 K < 1.5 K
    fr = " ".join(report.paragraphs(r, "fr"))
    assert "en dessous de la limite de 1,5 °C pour les eaux salmonicoles" in fr
    assert "d'un cours d'eau" not in fr  # no source declared: the promoter is silent
    assert "ne dit pas d'où vient l'eau" in fr


def test_half_the_flow_puts_the_rise_above_the_limit(write_project):
    r = _run(
        write_project,
        OTTMARSHEIM,
        "water_resource: {receiving_low_flow_m3_per_s: 1, receiving_water_class: salmonid}\n",
    )
    rise = 18 * (1 + DIST) * 0.5 * 1e6 / (1 * RHO * CP)  # 2.30 K
    assert r.central("receiving_water_rise_k") == pytest.approx(rise, rel=1e-3)
    assert report.rise_verdict(r) == ("salmonid", True, 1.5)
    en = " ".join(report.paragraphs(r, "en"))
    assert "above the limit of 1.5 °C for salmonid waters" in en


def test_river_without_low_flow_asks_for_it_and_for_the_class(write_project):
    r = _run(write_project, OTTMARSHEIM)
    assert not r["receiving_water_rise_k"].known
    assert r.inputs["water_resource.receiving_low_flow_m3_per_s"].status == "unknown"
    qs = narrative.questions(r, [], "en")
    assert any("low flow (QMNA5)" in q for q in qs)
    assert any("class of the receiving water (salmonid, cyprinid)" in q for q in qs)
    assert any("cannot be computed" in p for p in report.paragraphs(r, "en"))


def test_onsite_water_against_the_commune_by_hand(write_project):
    from impact.sources import france

    r = _run(write_project, AIR, "water_resource: {source: drinking_water_network}\n")
    # 4 MW x 0.5 x 8760 h = 17,520 MWh of IT energy x 0.5 L/kWh = 8,760 m3 a year.
    onsite = 4 * 0.5 * 8760 * 1000 * 0.5 / 1000
    assert r.central("water_onsite_m3") == pytest.approx(onsite)
    # The population read from the shipped INSEE table, independently of the engine.
    population = france.commune_at(47.7872, 7.5078).population
    assert r.inputs["water_resource.commune_population"].value.central == population
    share = onsite / (population * L_PER_DAY * 365 / 1000)
    assert r.central("water_onsite_share_of_commune_domestic") == pytest.approx(share, rel=1e-9)
    qs = narrative.questions(r, [], "fr")
    assert any("restrictions sécheresse" in q for q in qs)
    assert not any("catégorie piscicole" in q or "conchylicoles" in q for q in qs)  # no river or sea: no class
    assert "receiving_water_rise_k" in r.indicators and not r["receiving_water_rise_k"].known
    fr = " ".join(report.paragraphs(r, "fr"))
    assert "provient du réseau d'eau potable" in fr
    assert "Ottmarsheim" in fr


def test_silent_source_with_water_used_asks_where_it_comes_from(write_project):
    r = _run(write_project, AIR)
    assert any("D'où vient l'eau du site" in q for q in narrative.questions(r, [], "fr"))


@pytest.mark.parametrize(
    "block, field",
    [
        ("water_resource: {source: lake}\n", "water_resource.source"),
        ("water_resource: {receiving_low_flow_m3_per_s: -3}\n", "water_resource.receiving_low_flow_m3_per_s"),
        ("water_resource: {receiving_water_class: trout}\n", "water_resource.receiving_water_class"),
    ],
)
def test_bad_input_names_the_field(write_project, block, field):
    with pytest.raises(InputError) as info:
        impact.load_project(write_project(AIR.format(extra=block)))
    assert field in str(info.value)


def test_declared_return_temperature_against_the_30_c_limit(write_project):
    # Ottmarsheim declares 20 °C: below 30 °C. MRS5 declares 30 °C: the rule is « inférieure à 30 °C ».
    r = _run(write_project, OTTMARSHEIM)
    assert report.effluent_check(r) == (20.0, 30.0, False)
    hot = _run(write_project, OTTMARSHEIM.replace("water_out_c: 20", "water_out_c: 30"))
    assert report.effluent_check(hot) == (30.0, 30.0, True)
    assert any("n'est pas inférieure à la limite de 30 °C" in p for p in report.paragraphs(hot, "fr"))


def test_a_sea_outfall_asks_about_shellfish_waters_not_a_low_flow(write_project):
    r = _run(write_project, OTTMARSHEIM, "water_resource: {source: mine_water, receiving_water: sea}\n")
    assert "water_resource.receiving_low_flow_m3_per_s" not in r.inputs
    qs = report.questions(r, "en")
    assert any("shellfish waters near the outfall (a limit of a 2 °C rise" in q for q in qs)
    assert not any("low flow" in p for p in report.paragraphs(r, "en"))
