"""Issue 12, item 1: heat into river or sea water, the outlet the cooling loop can reach, once-through water.

Every expected value is computed here by hand from its definition (docs/thermal-discharge.md), with
the inputs of data/reference/cooling_parameters.csv (central values: supply 22.5 °C, approach 5.2 K,
rise across the rooms 11 K, heat-exchanger approach 2 K, distribution losses 6.93 % of IT (Lei & Masanet 2020, docs/cooling-defaults.md)) and
data/reference/physical_constants.csv (IAPWS-95 for fresh water at 20 °C: 998.21 kg/m3,
4184.1 J/(kg K); Sharqawy et al. 2010 for sea water at 20 °C, 35 g/kg: 1024.93 kg/m3, 3998.9 J/(kg K)).
"""

from __future__ import annotations

import numpy as np
import pytest

import impact
from impact.claims import check_claims
from impact.model import cooling, heat
from impact.report import narrative

from .conftest import MRS5

# cooling_parameters.csv, central values
SUPPLY, APPROACH, BAND, HX, DIST = 22.5, 5.2, 11.0, 2.0, 0.0693
REACHABLE = SUPPLY - APPROACH + BAND - HX  # 26.3 °C: the loop's warmest water (28.3 °C) less the exchanger
RHO_FRESH, CP_FRESH = 998.21, 4184.1
RHO_SEA, CP_SEA = 1024.93, 3998.9


def volume_m3(mean_mw, rise_k, rho, cp):
    """A year of ``mean_mw`` carried by water warmed by ``rise_k``: MWh x 3.6e9 J/MWh / (rho cp dT)."""
    return mean_mw * 8760 * 3.6e9 / (rho * cp * rise_k)


@pytest.fixture(scope="module")
def mrs5():
    return impact.estimate(impact.load_project(MRS5), draws=400)


def _project(write_project, cooling: str, place: str = "Bastia", extra: str = ""):
    # Bastia: no hourly climate is shipped near it (tests/data/site-2b-bastia.yaml), so the hourly model
    # cannot run; Marseille: it runs.
    where = {
        "Bastia": "city: Bastia\nlocation: {lat: 42.6970, lon: 9.4509}\n",
        "Marseille": "city: Marseille\nlocation: {lat: 43.33, lon: 5.35, approximate: true}\n",
    }[place]
    text = (
        f"name: Test thermal\ncountry: FR\n{where}year: 2026\nit_capacity_mw: 4\nutilisation: 0.5\npue: 1.4\n"
        f"cooling: {cooling}\n{extra}"
    )
    return impact.load_project(write_project(text))


# ------------------------------------------------------------------------------ the pure functions
def test_reachable_outlet_is_the_loop_s_warmest_water_less_the_exchanger():
    # Chilled water at 22.5 - 5.2 = 17.3 °C, back at 17.3 + 11 = 28.3 °C; 2 K below it: 26.3 °C.
    assert heat.reachable_outlet_c(SUPPLY, APPROACH, BAND, HX) == pytest.approx(26.3)
    assert heat.outlet_used_c(30.0, 26.3) == pytest.approx(26.3)
    assert heat.outlet_used_c(24.0, 26.3) == pytest.approx(24.0)


@pytest.mark.parametrize(
    "t_in, expected_mw",
    [
        (15.0, 10 * 0.32),  # (26.3 - 15) / 11 = 1.03 >= 0.32: the declared share
        (24.0, 10 * (26.3 - 24.0) / 11),  # 0.209 < 0.32: what the loop can still give away
        (26.5, 0.0),  # intake above the reachable outlet: nothing
    ],
)
def test_heat_to_water_is_the_declared_share_of_the_cooling_load_within_the_temperatures(t_in, expected_mw):
    got = heat.heat_to_water_mw(10.0, 0.32, t_in, 26.3, 26.3, 11.0)
    assert float(got) == pytest.approx(expected_mw)


def test_a_declared_flow_caps_the_heat_at_what_it_carries():
    # 100 m3/h from 15 to 20 °C: 100 / 3600 x 998.21 x 4184.1 x 5 / 1e6 = 0.58009 MW < 3.2 MW.
    got = heat.heat_to_water_mw(10.0, 0.32, 15.0, 20.0, 26.3, 11.0, 100.0, RHO_FRESH, CP_FRESH)
    assert float(got) == pytest.approx(100 / 3600 * 998.21 * 4184.1 * 5 / 1e6)


def test_the_hourly_model_and_the_annual_balance_give_the_same_heat_to_the_water():
    # One heat balance: for a constant intake the hourly model's water share is the same function.
    hours = np.array([5.0, 20.0, 35.0])
    for t_in in (15.0, 24.0, 27.0):
        res = cooling.simulate(
            system="river",
            it_mw=10.0,
            temp_air_c=hours,
            temp_wet_bulb_c=hours - 5,
            supply_c=SUPPLY,
            approach_k=APPROACH,
            band_k=BAND,
            chiller_approach_k=5.0,
            air_condenser_approach_k=15.0,
            tower_approach_k=3.9,
            adiabatic_effectiveness=0.7,
            aux_share=0.08,
            distribution_share=DIST,
            cop_air_rated=2.8,
            t_air_rated_c=35.0,
            cop_water_rated=4.5,
            t_water_rated_c=29.4,
            water={
                "coverage_share": 0.32,
                "t_in_c": t_in,
                "t_out_c": 30.0,
                "flow_m3_per_h": None,
                "density_kg_per_m3": RHO_FRESH,
                "specific_heat_j_per_kg_k": CP_FRESH,
                "hx_approach_k": HX,
            },
            hourly=True,
        )
        by_hand = heat.heat_to_water_mw(10.0 * (1 + DIST), 0.32, t_in, 30.0, REACHABLE, BAND)
        assert res["hourly"]["water_mw"] == pytest.approx(np.full(3, float(by_hand)))


# ------------------------------------------------------------------------------ MRS5
def test_mrs5_mean_and_maximum_heat_into_the_water(mrs5):
    # Annual mean: 32 % x 22 MW x 0.56 (default utilisation) x 1.0693 = 4.216 MW (4.11 before the
    # distribution losses rose to 6.93 %); maximum: 32 % x 22 MW (full IT load) x 1.0693 = 7.528 MW, +78 %.
    mean = 0.32 * 22 * 0.56 * (1 + DIST)
    peak = 0.32 * 22 * (1 + DIST)
    assert mrs5.central("thermal_discharge_mw") == pytest.approx(mean, rel=1e-9)
    assert mrs5.central("thermal_discharge_max_mw") == pytest.approx(peak, rel=1e-9)
    assert peak / mean - 1 == pytest.approx(0.786, abs=1e-3)
    # Never the chillers' or fans' electricity: the peak demand x share would be 29.1 x 0.32 = 9.3 MW.
    assert mrs5.central("thermal_discharge_max_mw") < 0.32 * mrs5.central("peak_demand_mw") - 1.5


def test_mrs5_volume_uses_the_outlet_the_loop_can_reach(mrs5):
    assert mrs5.central("water_outlet_reachable_c") == pytest.approx(26.3)
    mean = 0.32 * 22 * 0.56 * (1 + DIST)
    old = volume_m3(mean, 30 - 15, RHO_FRESH, CP_FRESH)  # 2.12 Mm3 at the declared 30 °C
    new = volume_m3(mean, 26.3 - 15, RHO_FRESH, CP_FRESH)  # 2.82 Mm3 at 26.3 °C
    # 4.2158 MW x 8760 h x 3.6e9 J/MWh / (998.21 x 4184.1 x 15) = 2.1218e6 m3
    assert old == pytest.approx(2.1218e6, rel=1e-3)
    assert mrs5.central("water_returned_m3") == pytest.approx(new, rel=1e-9)
    assert new / old - 1 == pytest.approx(15 / 11.3 - 1)  # +32.7 %: about a third
    assert "26.3 °C" in mrs5["water_returned_m3"].note
    outlet = mrs5.meta["water_outlet"]
    assert not outlet["reachable"] and outlet["used_c"] == pytest.approx(26.3)
    assert outlet["volume_at_declared_m3"] == pytest.approx(old, rel=1e-9)


def test_mrs5_claims_check_flags_the_declared_outlet(mrs5):
    checks = {c.indicator: c for c in check_claims(mrs5)}
    c = checks["water_outlet_reachable_c"]
    assert c.claimed == 30 and c.central == pytest.approx(26.3)
    assert (c.verdict, c.reason) == ("optimistic", "above_reachable")
    assert "Le Monde Informatique" in c.source  # the declared outlet's own source


def test_mrs5_once_through_water_is_not_compared_with_domestic_use(mrs5):
    # On-site water: WUE 0 L/kWh (once-through exchangers evaporate nothing): 0 inhabitants,
    # not 2.82 Mm3 / (148 L x 365) = 52,200.
    assert mrs5.central("water_onsite_m3") == 0
    assert mrs5.central("inhabitants_water_equiv") == 0
    assert mrs5["inhabitants_water_equiv"].high == pytest.approx(mrs5["water_onsite_m3"].high / (0.148 * 365))


def test_mrs5_sentences_say_which_figure_they_quote(mrs5):
    checks = check_claims(mrs5)

    def plain(texts):  # numbers are written with non-breaking (and narrow) spaces
        return " ".join(texts).replace("\u00a0", " ").replace("\u202f", " ")

    fr = plain(narrative.findings(mrs5, checks, "fr"))
    assert "4,22 MW de chaleur en moyenne sur l'année" in fr
    assert "jusqu'à 7,53 MW à l'heure où elle en reçoit le plus, à pleine charge informatique" in fr
    assert "jusqu'à 4,22" not in fr
    assert "pas une consommation" in fr and "habitants" not in fr
    assert "La température de rejet annoncée (30 °C)" in fr and "32,7 %" in fr
    en = plain(narrative.findings(mrs5, checks, "en"))
    assert "4.22 MW of heat on average over the year" in en
    assert "up to 7.53 MW in the hour it takes the most, at full IT load" in en


def test_mrs5_dossier_states_the_second_law_and_both_figures(mrs5):
    from impact.report import dossier

    outlet = dossier._cooling(mrs5, "fr")["outlet"].replace("\u00a0", " ").replace("\u202f", " ")
    assert "26,3 °C au plus" in outlet and "28,3 °C" in outlet
    assert "2 120 000 m³" in outlet  # the volume at the declared 30 °C
    labels = [k["label"] for k in dossier._key_figures(mrs5, "fr")]
    assert any("moyenne annuelle" in x for x in labels) and any("maximum" in x for x in labels)
    water = next(k for k in dossier._key_figures(mrs5, "fr") if k["label"].startswith("Eau prélevée"))
    # MRS5 declares water.receiving_water: sea: the water goes back warmed to the sea, not to a river.
    assert "rendus réchauffés à la mer" in water["equiv"] and "habitants" not in water["equiv"]
    assert "rivière" not in water["equiv"]


# ------------------------------------------------------------------------------ without the hourly model
def test_without_the_hourly_model_the_same_balance_holds(write_project):
    # Sea, 4 MW IT at 50 %: mean 0.5 x 4 x 0.5 x 1.0693 = 1.0693 MW; maximum 0.5 x 4 x 1.0693 = 2.1386 MW.
    # The old formula (peak demand 4 x 1.4 = 5.6 MW x 0.5 = 2.8 MW) counted chiller and fan heat.
    r = impact.estimate(
        _project(write_project, "{type: sea, water_in_c: 14, water_out_c: 24, coverage_share: 0.5}"), draws=200
    )
    assert r.meta["cooling_model"] != "hourly"
    mean, peak = 0.5 * 4 * 0.5 * (1 + DIST), 0.5 * 4 * (1 + DIST)
    assert r.central("thermal_discharge_mw") == pytest.approx(mean, rel=1e-9)
    assert r.central("thermal_discharge_max_mw") == pytest.approx(peak, rel=1e-9)
    # 24 °C is below the reachable 26.3 °C: the declared rise of 10 K is used.
    assert r.central("water_returned_m3") == pytest.approx(volume_m3(mean, 10, RHO_SEA, CP_SEA), rel=1e-9)
    assert r.meta["water_outlet"]["reachable"]
    # No "hottest hour" without the hourly model: the maximum is the full IT load.
    fr = " ".join(narrative.findings(r, check_claims(r), "fr"))
    assert "à pleine charge informatique" in fr and "l'heure la plus chaude" not in fr
    assert "water_outlet_reachable_c" not in {c.indicator for c in check_claims(r) if c.verdict == "optimistic"}


def test_without_the_hourly_model_an_unreachable_outlet_is_capped_too(write_project):
    r = impact.estimate(
        _project(write_project, "{type: sea, water_in_c: 14, water_out_c: 30, coverage_share: 0.5}"), draws=200
    )
    mean = 0.5 * 4 * 0.5 * (1 + DIST)
    assert r.central("water_returned_m3") == pytest.approx(volume_m3(mean, 26.3 - 14, RHO_SEA, CP_SEA), rel=1e-9)
    assert not r.meta["water_outlet"]["reachable"]
    c = next(c for c in check_claims(r) if c.indicator == "water_outlet_reachable_c")
    assert c.verdict == "optimistic"


def test_with_and_without_the_hourly_model_the_water_figures_agree(write_project):
    # A constant intake well below the reachable outlet: the climate changes the chillers, not the water.
    spec = "{type: river, water_in_c: 15, water_out_c: 30, coverage_share: 0.32}"
    with_model = impact.estimate(_project(write_project, spec, "Marseille"), draws=200)
    without = impact.estimate(_project(write_project, spec, "Bastia"), draws=200)
    assert with_model.meta["cooling_model"] == "hourly" and without.meta["cooling_model"] != "hourly"
    for name in ("thermal_discharge_mw", "thermal_discharge_max_mw", "water_returned_m3", "water_outlet_reachable_c"):
        assert with_model.central(name) == pytest.approx(without.central(name), rel=1e-9), name


def test_an_intake_warmer_than_the_loop_takes_no_heat(write_project):
    # Intake 27 °C > reachable 26.3 °C: the loop cannot give its heat to the water.
    r = impact.estimate(
        _project(write_project, "{type: sea, water_in_c: 27, water_out_c: 32, coverage_share: 0.5}"), draws=200
    )
    assert r.central("thermal_discharge_mw") == 0 and r.central("thermal_discharge_max_mw") == 0
    assert r.central("water_returned_m3") == 0


def test_on_site_consumption_alone_makes_the_inhabitants_equivalent(write_project):
    # WUE 0.2 L/kWh of IT: 4 x 0.5 x 8760 MWh x 0.2 m3/MWh = 3,504 m3; / (148 L x 365) = 64.9 inhabitants,
    # the sea water drawn (800,000 m3) left out.
    r = impact.estimate(
        _project(
            write_project,
            "{type: sea, water_in_c: 14, water_out_c: 24, coverage_share: 0.5}",
            extra="wue_l_per_kwh: 0.2\n",
        ),
        draws=200,
    )
    assert r.central("water_onsite_m3") == pytest.approx(4 * 0.5 * 8760 * 0.2)
    assert r.central("inhabitants_water_equiv") == pytest.approx(4 * 0.5 * 8760 * 0.2 / (0.148 * 365))
    assert r.central("water_withdrawal_m3") > 100 * r.central("water_onsite_m3")


def test_air_cooled_sites_have_no_outlet(write_project):
    r = impact.estimate(_project(write_project, "{type: air_chillers}"), draws=200)
    assert r.central("thermal_discharge_max_mw") == 0
    assert not r["water_outlet_reachable_c"].known and "no river or sea" in r["water_outlet_reachable_c"].note
    assert r.meta["water_outlet"] is None


def test_the_dossier_s_return_temperature_is_that_of_the_maximum(write_project):
    # Ottmarsheim test site: 1,500 m3/h from 12 °C; maximum 0.5 x 18 MW x 1.0693 = 9.624 MW;
    # rise 9.624e6 / (1500 / 3600 x 998.21 x 4184.1) = 5.53 K: 17.5 °C at most, not the declared 20 °C.
    from impact.report import dossier

    from .conftest import ROOT

    r = impact.estimate(impact.load_project(ROOT / "tests" / "data" / "site-68-ottmarsheim.yaml"), draws=200)
    rise = 0.5 * 18 * (1 + DIST) * 1e6 / (1500 / 3600 * RHO_FRESH * CP_FRESH)
    assert heat.rise_for_heat_k(0.5 * 18 * (1 + DIST), 1500, RHO_FRESH, CP_FRESH) == pytest.approx(rise)
    note = dossier._thermal_note(r, "fr").replace("\u00a0", " ")
    assert f"{12 + rise:.1f} °C au plus".replace(".", ",") in note and "20 °C déclarés" in note


def test_the_maximum_is_at_the_coldest_intake_when_the_sea_warms_in_summer(write_project):
    # Sea at Marseille without a declared intake: the Mediterranean's seasonal mean, 11.4 °C (1 March) to
    # 23.5 °C (end of August) (water_temperature.csv); all the cooling declared on the sea. On the
    # hottest hours of the air (June-August) the sea is at 19.3 °C or more: the loop can give at most
    # (26.3 - 19.3) / 11 = 63 % of its heat. At the coldest intake, 11.4 °C, all of it: the maximum is
    # 10 MW x 1.0693 = 10.69 MW (the hottest hours alone would give 6.6 MW), and the annual mean is
    # below 10 x 0.56 x 1.0693 = 5.99 MW.
    spec = "{type: sea, water_out_c: 28, coverage_share: 1.0}"
    text = (
        "name: Test sea\ncountry: FR\ncity: Marseille\nlocation: {lat: 43.33, lon: 5.35, approximate: true}\n"
        f"year: 2026\nit_capacity_mw: 10\ncooling: {spec}\n"
    )
    r = impact.estimate(impact.load_project(write_project(text)), draws=200)
    assert r.meta["cooling_model"] == "hourly"
    assert r.central("thermal_discharge_max_mw") == pytest.approx(10 * (1 + DIST), rel=1e-9)
    assert r.central("thermal_discharge_mw") < 10 * 0.56 * (1 + DIST) - 0.5
    # The seasonal intake: the volume is summed hour by hour (it was unknown before); every hour's
    # rise is at most 26.3 - 11.4 = 14.9 K, so the volume is above the mean heat carried at that rise.
    assert r["water_returned_m3"].known and r.central("water_returned_m3") > volume_m3(
        r.central("thermal_discharge_mw"), 26.3 - 11.4, RHO_SEA, CP_SEA
    )


def test_an_intake_at_the_reachable_outlet_draws_no_water_rather_than_nan(write_project):
    # Intake 26.3 °C = the reachable outlet: no heat, and 0 m3 (not 0 / 0).
    r = impact.estimate(
        _project(write_project, "{type: sea, water_in_c: 26.3, water_out_c: 30, coverage_share: 0.5}"), draws=200
    )
    assert r.central("thermal_discharge_mw") == 0 and r.central("water_returned_m3") == 0
    assert float(heat.volume_warmed_m3(10.0, 0.0, RHO_SEA, CP_SEA)) == 0.0
    assert float(heat.volume_warmed_m3(10.0, 5.0, RHO_SEA, CP_SEA)) == pytest.approx(
        10 * 3.6e9 / (RHO_SEA * CP_SEA * 5)
    )
