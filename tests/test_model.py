"""The equations, against values worked out by hand from their definitions and
against published figures (each cited, with its tolerance)."""

import numpy as np
import pandas as pd
import pytest

from impact.model import carbon, energy, equivalences, heat, uncertainty, water


# ----------------------------------------------------------------------------- energy
def test_it_energy_by_hand():
    # 22 MW x 0.5 x 8760 h = 96,360 MWh
    assert energy.it_energy_mwh(22, 0.5) == pytest.approx(96_360)


def test_facility_energy_against_published_bracket():
    # reference-figures-a §6 [D]: MRS5 at PUE 1.2, 50 % -> "116 GWh/yr"; at PUE 1.3, 70 % -> "175 GWh/yr".
    # The published figures are rounded to 3 significant digits: tolerance 0.5 %.
    assert energy.facility_energy_mwh(energy.it_energy_mwh(22, 0.5), 1.2) == pytest.approx(116_000, rel=5e-3)
    assert energy.facility_energy_mwh(energy.it_energy_mwh(22, 0.7), 1.3) == pytest.approx(175_000, rel=5e-3)


def test_peak_demand_by_hand():
    assert energy.peak_demand_mw(22, 1.3) == pytest.approx(28.6)


def test_capacity_from_equipment_by_hand():
    # 48 GPU servers x 10 kW + 20 servers x 0.5 kW = 490 kW = 0.49 MW
    assert energy.it_capacity_from_equipment_mw([48, 20], [10.0, 0.5]) == pytest.approx(0.49)


def test_functions_take_arrays_and_series():
    u = np.array([0.4, 0.6])
    np.testing.assert_allclose(energy.it_energy_mwh(10, u), [35_040, 52_560])
    s = pd.Series([1.2, 1.5], index=["a", "b"])
    out = energy.facility_energy_mwh(1000.0, s)
    assert isinstance(out, pd.Series) and list(out.index) == ["a", "b"]
    assert out["b"] == pytest.approx(1500)


# ----------------------------------------------------------------------------- carbon
def test_location_based_against_published_bracket():
    # reference-figures-a §6 [D]: 116-250 GWh at 21.7 g/kWh (RTE 2024) -> "2.5-5.4 kt/yr". Tolerance 1 %.
    assert carbon.co2e_electricity_t(116_000, 21.7) == pytest.approx(2_517, rel=1e-2)
    assert carbon.co2e_electricity_t(250_000, 21.7) == pytest.approx(5_425, rel=1e-2)


def test_existing_sites_claim_is_internally_consistent():
    # Le Monde Informatique / globalsecuritymag 2021: 18,400 MWh saved, 795 t CO2 avoided,
    # an implied 43.2 g/kWh (795e6 g / 18.4e6 kWh). Tolerance 0.1 %.
    assert carbon.co2e_electricity_t(18_400, 795e6 / 18.4e6) == pytest.approx(795, rel=1e-3)


def test_market_based_by_hand():
    # 1,000 MWh, 60 % covered, residual 50 g/kWh: 1000 x 0.4 x 50 / 1000 = 20 t
    assert carbon.co2e_market_t(1000, 0.6, 50) == pytest.approx(20)
    assert carbon.co2e_market_t(1000, 1.0, 50) == 0


def test_generators_by_hand():
    # 12 x 2.5 MW x 24 h x full load = 720 MWh; x 0.269 L/kWh = 193,680 L; x 3.17 kg/L = 613,965.6 kg
    mwh = carbon.generator_test_energy_mwh(12, 2.5, 24, 1.0)
    assert mwh == pytest.approx(720)
    assert carbon.co2e_generators_t(mwh, 0.269, 3.17) == pytest.approx(613.9656)


def test_refrigerant_by_hand():
    # 3,000 kg x 5 %/yr x GWP 1,530 (R134a, AR6) = 229,500 kg = 229.5 t
    assert carbon.co2e_refrigerant_t(3000, 0.05, 1530) == pytest.approx(229.5)


def test_embodied_per_year_by_hand():
    assert carbon.co2e_per_year_t(400, 4) == pytest.approx(100)


# ----------------------------------------------------------------------------- water
def test_onsite_water_by_hand():
    # WUE is per IT kWh (The Green Grid WP35): 100,000 MWh x 0.2 L/kWh = 2e7 L = 20,000 m3
    assert water.water_onsite_m3(100_000, 0.2) == pytest.approx(20_000)


def test_offsite_water_against_published_bracket():
    # reference-figures-a §6 [D]: 116 GWh at 3.67 L/kWh -> "0.42 million m3". Tolerance 2 %.
    assert water.water_offsite_m3(116_000, 3.67) == pytest.approx(420_000, rel=2e-2)


def test_once_through_against_published_figure():
    # reference-figures-a §3 [D]: 2,000 m3/h all year is "about 17.5 million m3/yr". Tolerance 0.5 %.
    assert water.once_through_m3(2000, 8760) == pytest.approx(17.5e6, rel=5e-3)


# ----------------------------------------------------------------------------- heat
def test_thermal_power_by_hand():
    # 2,000 m3/h x 998.21 kg/m3 / 3600 s/h = 554.56 kg/s; x 4184.1 J/(kg K) x 15 K = 34.805 MW
    assert heat.thermal_power_mw(2000, 15, 998.21, 4184.1) == pytest.approx(34.805, rel=1e-4)


def test_thermal_power_matches_published_order_of_magnitude():
    # reference-figures-a §3 [D]: 2,000 m3/h x 15 K "≈ 35 MW of heat". Tolerance 2 %.
    assert heat.thermal_power_mw(2000, 15, 998.21, 4184.1) == pytest.approx(35, rel=2e-2)


def test_flow_for_heat_inverts_thermal_power():
    # One hour at 34.805 MW is 34.805 MWh: it needs 2,000 m3 at 15 K.
    power = heat.thermal_power_mw(2000, 15, 998.21, 4184.1)
    assert heat.flow_for_heat_m3(power * 1.0, 15, 998.21, 4184.1) == pytest.approx(2000, rel=1e-9)


def test_heat_rejected_and_homes_by_hand():
    assert heat.heat_rejected_mwh(1000, 0.25) == pytest.approx(750)
    # Meta Odense (reference-figures-a §2): ~215,000 MWh/yr for >12,000 homes, i.e. ~17.9 MWh per home
    assert heat.homes_heated(215_000, 215_000 / 12_000) == pytest.approx(12_000)


# ----------------------------------------------------------------------------- equivalences
def test_equivalences_by_hand():
    # 4,255 MWh = 1,000 households at 4,255 kWh/yr
    assert equivalences.households_electricity(4255, 4255) == pytest.approx(1000)
    # 148 L/day x 365 = 54.02 m3/yr per inhabitant
    assert equivalences.inhabitants_water(54.02, 148) == pytest.approx(1.0)
    assert equivalences.share(30, 600) == pytest.approx(0.05)


# ----------------------------------------------------------------------------- uncertainty
def test_triangular_percentiles_against_closed_form():
    # Triangular(a=0, c=0.5, b=1): the 95th percentile solves 1 - (1-x)^2 / ((b-a)(b-c)) = 0.95,
    # x = 1 - sqrt(0.025) = 0.84189 (JCGM 101:2008 §6.4.3 gives the distribution). 200,000 draws: tolerance 0.005.
    rng = np.random.default_rng(1)
    draws = uncertainty.draw_triangular(0.0, 0.5, 1.0, 200_000, rng)
    lo, hi = uncertainty.percentiles(draws)
    assert hi == pytest.approx(1 - np.sqrt(0.025), abs=5e-3)
    assert lo == pytest.approx(np.sqrt(0.025), abs=5e-3)


def test_point_value_gives_constant_draws():
    d = uncertainty.draw_triangular(3.0, 3.0, 3.0, 10, np.random.default_rng(0))
    assert (d == 3.0).all()
