"""Issue 12, cooling defaults: the hourly model's parameters against their sources, by hand.

Every expected value here is computed in the test from the cited figure or from an independent
model (Lei & Masanet's published chiller regression), never copied from impact's output.
See docs/cooling-defaults.md.
"""

import numpy as np
import pytest
from scipy.optimize import brentq

import impact
from impact.model import cooling
from impact.project import parse_project_text
from impact.sources import reference as ref

MARSEILLE = """\
name: Test
country: FR
city: Marseille
location: {{lat: 43.33, lon: 5.35}}
year: 2026
it_capacity_mw: {mw}
"""

# AHRI 550/590 IPLV: weights of the 100 / 75 / 50 / 25 % points.
WEIGHTS = (0.01, 0.42, 0.45, 0.12)


def project(text, mw=22):
    return parse_project_text(MARSEILLE.format(mw=mw) + text, "test.yaml")


def marseille_climate():
    from impact.sources.climate import candidates, climate_from_choice

    frame = climate_from_choice(candidates(43.33, 5.35)[0], 2026).frame
    return frame["temp_air_c"].to_numpy(), frame["temp_wet_bulb_c"].to_numpy()


def central(table, **match):
    return ref.require(table, **match).value.central


# ----------------------------------------------------------------------------- reference rows
def test_ashrae_90_1_2019_rows_convert_to_cop_by_hand():
    # 90.1-2019 Table 6.8.1-3, Path A: water-cooled positive displacement >= 600 tons 0.560 kW/ton full
    # load, 0.500 IPLV; < 75 tons 0.750 / 0.600; air-cooled 10.1 EER, IPLV 13.7 (< 150 t) / 14.0 EER.
    # 1 ton = 3.517 kW; 1 W = 3.412 Btu/h. Rounded to 3 decimals in the table.
    big = "water-cooled positive displacement, >= 600 tons (90.1-2019)"
    small = "water-cooled positive displacement, < 75 tons (90.1-2019)"
    assert central("chillers", chiller=big, quantity="minimum_cop") == pytest.approx(3.517 / 0.56, abs=6e-4)
    assert central("chillers", chiller=big, quantity="iplv_cop") == pytest.approx(3.517 / 0.50, abs=6e-4)
    assert central("chillers", chiller=small, quantity="minimum_cop") == pytest.approx(3.517 / 0.75, abs=6e-4)
    assert central("chillers", chiller=small, quantity="iplv_cop") == pytest.approx(3.517 / 0.60, abs=6e-4)
    air = "air-cooled, >= 150 tons (90.1-2019)"
    assert central("chillers", chiller=air, quantity="minimum_cop") == pytest.approx(10.1 / 3.412, abs=6e-4)
    assert central("chillers", chiller=air, quantity="iplv_cop") == pytest.approx(14.0 / 3.412, abs=6e-4)
    assert central("chillers", chiller="air-cooled, < 150 tons (90.1-2019)", quantity="iplv_cop") == pytest.approx(
        13.7 / 3.412, abs=6e-4
    )


def test_fans_and_pumps_from_lei_and_masanet_by_hand():
    # Lei & Masanet 2020 (doi:10.1016/j.energy.2020.117556), Table A.1 ranges of the water-side
    # economiser plant, their equations, every parameter at the middle of its range, per kW of heat:
    # CRAH fans: air 1 / (1.01 x 16.67 K) kg/s at 31 °C (1.293 x 273.15 / 304.15 kg/m3), 500 Pa, 0.775;
    # facility water pump: 1 / (4.2 x 7.5) kg/s, 143,658 Pa, 0.7; tower pump: 1 / (4.2 x 5) kg/s,
    # 208,660 Pa, 0.7; tower fans: the tower water / 2 (L/G) in air at 15 °C, 250 Pa, 0.775.
    def rho(t):
        return 1.293 * 273.15 / (273.15 + t)

    fan = 1 / (1.01 * 30 * 5 / 9) / rho(31) * 500 / 0.775 / 1000
    water_pump = 143658 / (4.2 * 7.5) / (1000 * 0.7) / 1000
    tower_pump = 208660 / (4.2 * 5) / (1000 * 0.7) / 1000
    tower_fan = 1 / (4.2 * 5) / 2 / rho(15) * 250 / 0.775 / 1000
    expected = fan + water_pump + tower_pump + tower_fan
    assert expected == pytest.approx(0.060, abs=5e-4)
    assert central("cooling_parameters", parameter="aux_share") == pytest.approx(expected, abs=5e-4)


def test_electrical_losses_from_lei_and_masanet_by_hand():
    # UPS efficiency 90-99 %, distribution loss rate 0-2 %, lighting 0-0.2 % of IT (Table A.1):
    # losses / IT = 1/eta_UPS - 1 + 1/(1 - loss rate) - 1 + lighting.
    def share(ups, dist, light):
        return 1 / ups - 1 + 1 / (1 - dist) - 1 + light

    row = ref.require("cooling_parameters", parameter="distribution_share").value
    assert row.central == pytest.approx(share(0.945, 0.01, 0.001), abs=1e-4)
    assert row.low == pytest.approx(share(0.99, 0.0, 0.0), abs=1e-4)
    assert row.high == pytest.approx(share(0.90, 0.02, 0.002), abs=1e-4)


# ----------------------------------------------------------------------------- size class
@pytest.mark.parametrize(
    "mw, water_cop, air_iplv",
    [
        # 22 MW x 1.0693 / 3.517 kW per ton = 6,689 tons: the largest classes.
        (22, 3.517 / 0.56, 14.0 / 3.412),
        # 0.2 MW x 1.0693 / 3.517 = 60.8 tons: < 75 tons (water), < 150 tons (air).
        (0.2, 3.517 / 0.75, 13.7 / 3.412),
        # 1 MW: 304 tons, the 300-600 class (0.610 kW/ton).
        (1, 3.517 / 0.61, 14.0 / 3.412),
    ],
)
def test_chiller_class_follows_the_plant_size(mw, water_cop, air_iplv):
    from impact.validation import validate

    m = validate(project("cooling: {type: water_chillers}\n", mw=mw)).model
    assert m.records["cooling.cop_water_rated"].value.central == pytest.approx(water_cop, abs=6e-4)
    assert m.records["cooling.cop_air_iplv"].value.central == pytest.approx(air_iplv, abs=6e-4)
    assert m.records["cooling.chiller_class"].status == "default"
    tons = mw * 1.0693 * 1000 / 3.517
    assert dict(m.records["cooling.chiller_class"].note_args)["tons"] == round(tons)


# ----------------------------------------------------------------------------- part-load fit
def test_loss_lift_reproduces_both_ratings():
    # Water-cooled >= 600 tons: COP 6.280 at 29.4 °C, IPLV 7.034; approaches 5 K; chilled water 6.7 °C.
    # Lifts at the AHRI points: T + 5 - 1.7 = 32.7, 27.2, 21.6, 21.6 K. Solved here with brentq.
    lifts = (32.7, 27.2, 21.6, 21.6)
    full, iplv = 3.517 / 0.56, 3.517 / 0.50
    loss = brentq(lambda x: sum(w * (32.7 + x) / (lift + x) for w, lift in zip(WEIGHTS, lifts)) - iplv / full, 0, 1e3)
    got = cooling.chiller_loss_lift(full, iplv, 29.4, cooling.IPLV_T_WATER_C, 5.0, 5.0)
    assert got == pytest.approx(loss, abs=1e-6)
    eta = cooling.carnot_fraction(full, 29.4, 5.0, 5.0, loss_lift_k=got)
    cops = [cooling.chiller_cop(t, 6.7, eta, 5.0, 5.0, loss_lift_k=got) for t in cooling.IPLV_T_WATER_C]
    assert cops[0] == pytest.approx(full, rel=1e-9)
    assert sum(w * c for w, c in zip(WEIGHTS, cops)) == pytest.approx(iplv, rel=1e-6)


def test_no_loss_lift_when_carnot_already_fits():
    # A part-load rating no better than a fixed Carnot fraction predicts: L = 0, the old model.
    eta = cooling.carnot_fraction(4.5, 29.4, 5.0, 5.0)
    carnot_iplv = sum(w * cooling.chiller_cop(t, 6.7, eta, 5.0, 5.0) for w, t in zip(WEIGHTS, cooling.IPLV_T_WATER_C))
    assert cooling.chiller_loss_lift(4.5, carnot_iplv * 1.01, 29.4, cooling.IPLV_T_WATER_C, 5.0, 5.0) == 0.0


def test_water_cooled_mean_cop_against_lei_and_masanet_regression():
    # Lei & Masanet 2020, their chiller regression (tool: PUE_internalfunctions, COP_Chiller):
    # COP = 16.798751 + 0.008840 t^2 - 8.528931 L^2 + 9.885294 L - 0.760621 t + 0.084615 L t, t the
    # condenser water (wet bulb + tower approach 3.9 K), L = 1 (full load). Its load-weighted mean over
    # Marseille's hours (harmonic: heat / electricity) is about 9.0; the old model gave 12.6 (+40 %).
    t_air, t_wb = marseille_climate()
    t = t_wb + 3.9
    lei = 16.798751 + 0.008840 * t**2 - 8.528931 + 9.885294 - 0.760621 * t + 0.084615 * t
    lei_mean = 1 / np.mean(1 / lei)
    r = impact.estimate(project("cooling: {type: water_chillers}\n"), draws=100)
    h = r.hourly
    modelled = h["chillers_mw"].sum() / h["chiller_power_mw"].sum()
    assert modelled == pytest.approx(lei_mean, rel=0.10)
    assert 3.517 / 0.56 < modelled < 10.0  # above the full-load rating, far below the old 12.6


# ----------------------------------------------------------------------------- economisers
def test_dry_economiser_uses_its_own_approach():
    # supply 22.5 °C, dry approach 10 K, band 11 K: full at or below 12.5 °C, none from 23.5 °C;
    # e = clip((23.5 - T) / 11, 0, 1) at T = 10, 12.5, 18, 25 °C: 1, 1, 0.5, 0.
    t = np.array([10.0, 12.5, 18.0, 25.0])
    params = dict(
        supply_c=22.5,
        approach_k=5.2,
        band_k=11.0,
        chiller_approach_k=5.0,
        air_condenser_approach_k=15.0,
        tower_approach_k=3.9,
        adiabatic_effectiveness=0.7,
        aux_share=0.06,
        distribution_share=0.0693,
        cop_air_rated=2.96,
        t_air_rated_c=35.0,
        cop_water_rated=6.28,
        t_water_rated_c=29.4,
    )
    dry = cooling.simulate(
        system="dry_free_cooling",
        it_mw=1.0,
        temp_air_c=t,
        temp_wet_bulb_c=t - 5,
        hourly=True,
        dry_economiser_approach_k=10.0,
        **params,
    )
    load = 1.0693
    np.testing.assert_allclose(dry["hourly"]["free_mw"], load * np.array([1.0, 1.0, 0.5, 0.0]), rtol=1e-12)
    # A wet economiser keeps the wet-bulb rule: full at or below 22.5 - 5.2 = 17.3 °C wet bulb,
    # (28.3 - Twb) / 11 above; Twb = 5, 7.5, 13, 20 °C: 1, 1, 1, 8.3 / 11.
    wet = cooling.simulate(
        system="water_chillers",
        it_mw=1.0,
        temp_air_c=t,
        temp_wet_bulb_c=t - 5,
        hourly=True,
        free_cooling=True,
        dry_economiser_approach_k=10.0,
        **params,
    )
    np.testing.assert_allclose(wet["hourly"]["free_mw"], load * np.array([1, 1, 1, 8.3 / 11]), rtol=1e-12)


def test_dry_free_cooling_share_for_marseille_by_hand():
    # Energy share of free cooling, dry coolers, Marseille's shipped hours: mean of
    # clip((22.5 - A + 11 - T) / 11, 0, 1); the model's default A = 10 K, 8-12 K its range.
    # Old default (A = 5.2 K, the wet-bulb rule): 0.76 of the cooling load.
    t_air, _ = marseille_climate()

    def share(a):
        return float(np.clip((22.5 - a + 11.0 - t_air) / 11.0, 0.0, 1.0).mean())

    r = impact.estimate(project("cooling: {type: dry_free_cooling}\n"), draws=100)
    assert r.central("cooling_share_free") == pytest.approx(share(10.0), rel=1e-6)
    assert share(12.0) < r.central("cooling_share_free") < share(8.0) < share(5.2)
    assert r.inputs["cooling.dry_economiser_approach_k"].status == "default"


def test_adiabatic_economiser_uses_the_dry_approach_on_precooled_air():
    # Adiabatic coolers are dry coolers with evaporative pre-cooling: the dry approach on the
    # pre-cooled air T - 0.7 (T - Twb). T = 30, Twb = 20: 23 °C; full below 12.5 °C, none from 23.5:
    # (23.5 - 23) / 11 = 0.04545.
    r = cooling.simulate(
        system="adiabatic",
        it_mw=1.0,
        temp_air_c=np.array([30.0]),
        temp_wet_bulb_c=np.array([20.0]),
        hourly=True,
        dry_economiser_approach_k=10.0,
        supply_c=22.5,
        approach_k=5.2,
        band_k=11.0,
        chiller_approach_k=5.0,
        air_condenser_approach_k=15.0,
        tower_approach_k=3.9,
        adiabatic_effectiveness=0.7,
        aux_share=0.06,
        distribution_share=0.0,
        cop_air_rated=2.96,
        t_air_rated_c=35.0,
        cop_water_rated=6.28,
        t_water_rated_c=29.4,
    )
    assert r["hourly"]["free_mw"][0] == pytest.approx(0.5 / 11, rel=1e-12)


def test_assumptions_replace_the_new_defaults():
    r = impact.estimate(
        project(
            "cooling: {type: dry_free_cooling}\n"
            "assumptions: {cooling.dry_economiser_approach_k: 5.2, cooling.cop_air_iplv: 3.5}\n"
        ),
        draws=100,
    )
    t_air, _ = marseille_climate()
    # A = 5.2 K: the old threshold (17.3 °C) for the dry economiser.
    assert r.central("cooling_share_free") == pytest.approx(
        float(np.clip((28.3 - t_air) / 11.0, 0.0, 1.0).mean()), rel=1e-6
    )
    assert r.inputs["cooling.cop_air_iplv"].status == "given"


def test_chiller_class_from_an_announced_power():
    # No IT capacity yet: the announced 50 MW stands for it, 50 x 1.0693 / 3.517 = 15,202 tons.
    from impact.validation import validate

    p = parse_project_text(
        MARSEILLE.format(mw=0).replace("it_capacity_mw: 0\n", "")
        + "announced_power: {value_mw: 50, basis: grid_connection}\ncooling: {type: dry_free_cooling}\n",
        "test.yaml",
    )
    rec = validate(p).model.records["cooling.chiller_class"]
    assert rec.note_key == "note.cooling.chiller_class_announced"
    assert dict(rec.note_args)["tons"] == round(50 * 1.0693 * 1000 / 3.517)
    assert dict(rec.note_args)["water"] == ">= 600 tons"
