"""Alternatives and claims on equal footing (issue 12, item 2; docs/alternatives-basis.md).

Every scenario uses the same climate and free-cooling assumption unless it changes them; the
saving of river or sea water is reported against chillers alone (the promoter's basis) and
against a free-cooled air design of the same site; the claims check compares like with like.
"""

import collections
import datetime as dt
import re

import numpy as np
import pytest
import yaml

import impact
from impact.claims import check_claims, saving_claim
from impact.model import cooling
from impact.project import parse_project, parse_project_text
from impact.report import narrative
from impact.scenarios import alternatives

from .conftest import MRS5

# Parameters of the hand computations: round numbers of this test's own, not the tool's defaults.
P = dict(
    supply_c=22.0,
    approach_k=5.0,
    band_k=10.0,
    chiller_approach_k=5.0,
    air_condenser_approach_k=15.0,
    tower_approach_k=4.0,
    adiabatic_effectiveness=0.7,
    aux_share=0.1,
    distribution_share=0.05,
    cop_air_rated=2.8,
    t_air_rated_c=35.0,
    cop_water_rated=4.5,
    t_water_rated_c=29.4,
)
WATER = dict(
    coverage_share=0.4,
    t_in_c=10.0,
    t_out_c=25.0,
    flow_m3_per_h=None,
    density_kg_per_m3=998.21,
    specific_heat_j_per_kg_k=4184.1,
    hx_approach_k=2.0,
)
T_AIR = np.array([5.0, 20.0, 35.0])


def _simulate(system="river", free_cooling=None, water=WATER, **kw):
    return cooling.simulate(
        system=system,
        it_mw=10.0,
        temp_air_c=T_AIR,
        temp_wet_bulb_c=T_AIR - 3.0,
        free_cooling=free_cooling,
        water=water,
        **{**P, **kw},
    )


def _by_hand():
    """The three hours by hand, from the model's definitions (docs/cooling.md, docs/alternatives-basis.md)."""
    # Chilled water 22 - 5 = 17 °C. Economiser share (dry bulb): 1 at or below 17 °C, 0 at or above
    # 27 °C, linear between: 5 °C -> 1; 20 °C -> (27 - 20) / 10 = 0.7; 35 °C -> 0.
    e = np.array([1.0, 0.7, 0.0])
    # Water at 10 °C + 2 K approach = 12 °C, below 17 °C: the whole declared 40 % every hour.
    w = 0.4
    # Chillers: Carnot fraction from the air-cooled rating (COP 2.8 at 35 °C, chilled 6.7 °C, approaches
    # 15 K and 5 K): eta = 2.8 x (50 - 1.7) / (1.7 + 273.15). COP = eta x (17 - 5 + 273.15) / lift, with
    # lift = max(T + 15 - (17 - 5), 15 + 5): 5 °C -> 20; 20 °C -> 23; 35 °C -> 38.
    eta = 2.8 * 48.3 / 274.85
    inv = np.array([20.0, 23.0, 38.0]) / (eta * 285.15)
    load = 10.0 * 1.05  # IT + 5 % distribution losses [MW]
    base = 10.0 * 3 + 0.05 * 10.0 * 3 + 0.1 * load * 3  # IT + distribution + fans and pumps [MWh]
    chillers_only = base + load * inv.sum()
    free_no_water = base + load * ((1 - e) * inv).sum()
    water_and_free = base + load * ((1 - w) * (1 - e) * inv).sum()
    water_no_free = base + load * ((1 - w) * inv).sum()
    return chillers_only, free_no_water, water_and_free, water_no_free


def test_water_savings_on_both_bases_by_hand():
    chillers_only, free_no_water, water_and_free, water_no_free = _by_hand()
    r = _simulate(free_cooling=True)
    assert r["chillers_only_facility_mwh"] == pytest.approx(chillers_only, rel=1e-12)
    assert r["free_cooled_facility_mwh"] == pytest.approx(free_no_water, rel=1e-12)
    assert r["facility_mwh"] == pytest.approx(water_and_free, rel=1e-12)
    assert r["water_saving_vs_chillers_share"] == pytest.approx(1 - water_no_free / chillers_only, rel=1e-12)
    assert r["water_saving_vs_free_cooling_share"] == pytest.approx(1 - water_and_free / free_no_water, rel=1e-12)
    # The same water saves less against a site that already cools for free in the cold hours.
    assert r["water_saving_vs_free_cooling_share"] < r["water_saving_vs_chillers_share"]


def test_both_bases_do_not_depend_on_the_declared_economiser():
    # Without an economiser in the declared design, the saving against chillers alone is the whole saving,
    # and the free-cooled basis is still the same site with an economiser.
    chillers_only, free_no_water, water_and_free, water_no_free = _by_hand()
    r = _simulate(free_cooling=False)
    assert r["facility_mwh"] == pytest.approx(water_no_free, rel=1e-12)
    assert r["saving_share"] == pytest.approx(r["water_saving_vs_chillers_share"], rel=1e-12)
    assert r["water_saving_vs_free_cooling_share"] == pytest.approx(1 - water_and_free / free_no_water, rel=1e-12)
    with_free = _simulate(free_cooling=True)
    for key in ("water_saving_vs_chillers_share", "water_saving_vs_free_cooling_share"):
        assert r[key] == pytest.approx(with_free[key], rel=1e-12)


def test_draws_give_each_draw_its_own_savings():
    # Two supply temperatures as a (draws, 1) column: each row equals the run alone.
    both = _simulate(free_cooling=True, supply_c=np.array([[20.0], [24.0]]))
    for i, s in enumerate((20.0, 24.0)):
        one = _simulate(free_cooling=True, supply_c=s)
        for key in ("water_saving_vs_chillers_share", "water_saving_vs_free_cooling_share"):
            assert both[key][i] == pytest.approx(one[key], rel=1e-12), (s, key)


@pytest.mark.parametrize("system", ["dry_free_cooling", "air_chillers", "evaporative"])
def test_no_water_saves_nothing_on_either_basis(system):
    r = _simulate(system=system, water=None)
    assert r["water_saving_vs_chillers_share"] == 0.0 and r["water_saving_vs_free_cooling_share"] == 0.0


def test_no_it_load_keeps_the_ratios_finite():
    r = cooling.simulate(system="river", it_mw=0.0, temp_air_c=T_AIR, temp_wet_bulb_c=T_AIR - 3.0, water=WATER, **P)
    ref = _simulate(free_cooling=True)
    # At zero load the ratios take their limit: the same site at any load.
    assert r["water_saving_vs_free_cooling_share"] == pytest.approx(ref["water_saving_vs_free_cooling_share"])


# ----------------------------------------------------------------------------- defaults
MARSEILLE = "name: T\ncountry: FR\ncity: Marseille\nlocation: {lat: 43.33, lon: 5.35}\nyear: 2026\nit_capacity_mw: 10\n"
RIVER = "cooling: {type: river, water_in_c: 15, water_out_c: 30, coverage_share: 0.32}\n"


@pytest.mark.parametrize("kind", ["river", "sea"])
def test_river_and_sea_get_the_economiser_of_the_air_design_by_default(kind):
    text = MARSEILLE + RIVER.replace("river", kind)
    rec = impact.estimate(parse_project_text(text, "t.yaml"), draws=100).inputs["cooling.free_cooling"]
    assert (rec.value, rec.status, rec.note_key) == ("yes", "default", "note.free_cooling.water_cooled")
    assert "cooling.free_cooling: false" in rec.note  # how to say the rest is chillers alone


# ----------------------------------------------------------------------------- MRS5 on equal footing
def _mrs5_data() -> dict:
    data = yaml.safe_load(MRS5.read_text(encoding="utf-8"))
    data.pop("alternatives")
    data.pop("claims")
    return data


def _facility(data: dict) -> float:
    return impact.estimate(parse_project(data, "mrs5.yaml"), draws=100).central("facility_energy_mwh")


def test_mrs5_river_beats_the_air_alternative_on_equal_footing():
    p = impact.load_project(MRS5)
    alts = dict(alternatives(p))
    river = impact.estimate(alts["PUE modélisé"], draws=100)  # the declared project, PUE modelled
    air = impact.estimate(alts["Refroidissement à air"], draws=100)
    # Audit: with free cooling for the air design only, air cooling used 6-11 % less electricity than the
    # river project; on equal assumptions the river wins.
    assert river.central("facility_energy_mwh") < air.central("facility_energy_mwh")
    # Two separate runs give the indicator of one run: 1 - E(river) / E(free-cooled air design).
    declared = impact.estimate(p, draws=100)
    ratio = 1 - river.central("facility_energy_mwh") / air.central("facility_energy_mwh")
    assert declared.central("cooling_saving_water_vs_free_cooling_share") == pytest.approx(ratio, rel=1e-9)


def test_mrs5_promoters_basis_is_the_same_site_with_chillers_alone():
    # The promoter's basis, built as two projects: the river with no economiser, and air-cooled chillers.
    data = _mrs5_data()
    data["pue"] = "unknown"
    no_free = {**data, "cooling": {**data["cooling"], "free_cooling": False}}
    chillers = {**data, "cooling": {"type": "air_chillers", "free_cooling": False}}
    ratio = 1 - _facility(no_free) / _facility(chillers)
    r = impact.estimate(impact.load_project(MRS5), draws=100)
    assert r.central("cooling_saving_water_vs_chillers_share") == pytest.approx(ratio, rel=1e-9)


def test_mrs5_claim_is_checked_on_the_promoters_basis():
    r = impact.estimate(impact.load_project(MRS5), draws=200)
    c = saving_claim(check_claims(r))
    assert c is not None and c.claimed == 0.0433
    assert (c.compared_with, c.basis) == ("cooling_saving_water_vs_chillers_share", "chillers_alone")
    ind = r["cooling_saving_water_vs_chillers_share"]
    assert (c.low, c.central, c.high) == (ind.low, ind.central, ind.high)


def _claim(extra: str, indicator: str, value: float):
    text = MARSEILLE + RIVER + extra + f"claims:\n  - {{indicator: {indicator}, value: {value}, source: x}}\n"
    r = impact.estimate(parse_project_text(text, "t.yaml"), draws=100)
    return r, check_claims(r)[0]


def test_a_saving_claimed_for_the_water_is_not_compared_with_the_tools_economiser():
    # The economiser is the tool's default: the promoter's "cooling saving" is the water's, vs chillers alone.
    _, c = _claim("", "cooling_saving_share", 0.04)
    assert (c.compared_with, c.basis) == ("cooling_saving_water_vs_chillers_share", "chillers_alone")
    # Declared by the promoter, the economiser is part of its cooling: the whole saving is compared.
    text = RIVER.replace("coverage_share: 0.32", "coverage_share: 0.32, free_cooling: true")
    t = MARSEILLE + text + "claims:\n  - {indicator: cooling_saving_share, value: 0.04, source: x}\n"
    c2 = check_claims(impact.estimate(parse_project_text(t, "t.yaml"), draws=100))[0]
    assert (c2.compared_with, c2.basis) == ("cooling_saving_share", "chillers_alone")


def test_a_free_cooled_basis_claim_above_its_range_is_optimistic():
    r, _ = _claim("", "cooling_saving_water_vs_free_cooling_share", 0.01)
    high = r["cooling_saving_water_vs_free_cooling_share"].high
    _, c = _claim("", "cooling_saving_water_vs_free_cooling_share", round(high * 1.5 + 0.001, 4))
    assert (c.verdict, c.reason, c.basis) == ("optimistic", "above_range", "free_cooled")


# ----------------------------------------------------------------------------- scenarios
def _alts(text: str) -> dict:
    return dict(alternatives(parse_project_text(text, "t.yaml")))


def test_alternatives_keep_the_projects_assumptions_and_climate_unless_they_change_them():
    text = (
        MARSEILLE
        + RIVER.replace("coverage_share: 0.32", "coverage_share: 0.32, free_cooling: false")
        + "climate: {warming_c: 1.5}\nassumptions: {cooling.supply_c: 21}\nalternatives:\n"
        "  - {name: Chillers, changes: {cooling: {type: air_chillers}}}\n"
        "  - {name: Dry, changes: {cooling: {type: dry_free_cooling}}}\n"
        "  - {name: Dry off, changes: {cooling: {type: dry_free_cooling, free_cooling: false}}}\n"
        "  - {name: River, changes: {it_capacity_mw: 5}}\n"
    )
    a = _alts(text)
    # The promoter's "no economiser" is the same assumption in a scenario of the same kind...
    assert a["Chillers"].cooling.free_cooling is False and a["River"].cooling.free_cooling is False
    # ...but a free-cooling design brings its economiser, unless the alternative says otherwise.
    assert a["Dry"].cooling.free_cooling is None and a["Dry off"].cooling.free_cooling is False
    for alt in a.values():
        assert alt.climate.warming_c == 1.5 and alt.assumptions["cooling.supply_c"].central == 21
    r = impact.estimate(a["Dry"], draws=100)
    assert r.inputs["cooling.free_cooling"].value == "yes"


def test_an_explicit_economiser_carries_into_a_chillers_alternative():
    text = (
        MARSEILLE
        + RIVER.replace("coverage_share: 0.32", "coverage_share: 0.32, free_cooling: true")
        + "alternatives:\n  - {name: Chillers, changes: {cooling: {type: air_chillers}}}\n"
    )
    assert _alts(text)["Chillers"].cooling.free_cooling is True


# ----------------------------------------------------------------------------- what the dossier says
def test_findings_say_both_bases_and_the_promoters():
    r = impact.estimate(impact.load_project(MRS5), draws=200)
    checks = check_claims(r)
    a, f = r["cooling_saving_water_vs_chillers_share"], r["cooling_saving_water_vs_free_cooling_share"]
    found = [s for s in narrative.findings(r, checks, "en") if "chillers alone" in s]
    assert len(found) == 1
    text = found[0]
    assert f"{a.central * 100:.3g}%" in text and f"{f.central * 100:.3g}%" in text and "4.33%" in text
    assert "the basis of the promoter's figure" in text and "free-cooled air design" in text
    fr = narrative.saving_basis(r, checks, "fr")
    assert fr.startswith("Le chiffre du porteur est une économie par rapport à des groupes froids seuls")
    assert f"{f.central * 100:.3g}".replace(".", ",") in fr


def test_no_water_no_basis_sentence():
    text = (
        MARSEILLE
        + "cooling: {type: dry_free_cooling}\nclaims:\n  - {indicator: cooling_saving_share, value: 0.1, source: x}\n"
    )
    r = impact.estimate(parse_project_text(text, "t.yaml"), draws=100)
    checks = check_claims(r)
    assert checks[0].compared_with == "cooling_saving_share"
    assert narrative.saving_basis(r, checks, "en") == ""
    assert not any("free-cooled air design" in s for s in narrative.findings(r, checks, "en"))


def test_dossier_html_says_the_basis_and_the_same_footing():
    from impact.report.catalogue import catalogue
    from impact.report.dossier import build_context, render_html
    from impact.validation import validate

    resolved = validate(MRS5)
    r = impact.estimate(resolved, draws=100)
    alts = [(n, impact.estimate(a, draws=100)) for n, a in resolved.alternatives]
    figures = collections.defaultdict(lambda: None)
    ctx = build_context(
        r, alts, check_claims(r), figures, lang="fr", author=None, date=dt.date(2026, 11, 25), fingerprint="x"
    )
    html = re.sub(r"\s+", " ", render_html(ctx)).replace("&#39;", "'")
    t = catalogue("fr")
    assert re.sub(r"\s+", " ", t("alternatives.same_footing")) in html
    assert "Le chiffre du porteur est une économie par rapport à des groupes froids seuls" in html
    # MRS5 declares PUE 1.3; its scenarios model theirs: the table says the first column differs by that too.
    assert ctx["alternatives"]["declared_pue_note"] == t(
        "alternatives.declared_pue", pue="1,30"
    )  # three significant digits
    # The alternatives table shows every scenario's modelled PUE and free-cooling share, one cell per scenario.
    rows = ctx["alternatives"]["rows"]
    labels = {row["label"]: row["values"] for row in rows}
    for name in ("pue_modelled", "cooling_share_free"):
        assert len(labels[narrative.label(name, "fr")]) == 1 + len(alts)


def test_the_questions_ask_for_the_basis_when_the_economiser_is_a_default():
    from impact.report.catalogue import catalogue

    t = catalogue("en")
    # MRS5's project file declares water.source: mine_water (the Galerie de la Mer): the question names it.
    asked = t("alternatives.question.basis", medium=t("alternatives.medium.mine_water"))
    r = impact.estimate(impact.load_project(MRS5), draws=100)
    assert asked in narrative.questions(r, check_claims(r), "en")
    # Declared by the promoter, the economiser is no longer the tool's guess: no such question.
    # A river-cooled site with no declared source: the question names the river water, until the
    # promoter declares the economiser.
    river = t("alternatives.question.basis", medium=t("alternatives.medium.river"))
    r1 = impact.estimate(parse_project_text(MARSEILLE + RIVER, "t.yaml"), draws=100)
    assert river in narrative.questions(r1, [], "en")
    text = MARSEILLE + RIVER.replace("coverage_share: 0.32", "coverage_share: 0.32, free_cooling: true")
    r2 = impact.estimate(parse_project_text(text, "t.yaml"), draws=100)
    assert river not in narrative.questions(r2, [], "en")
