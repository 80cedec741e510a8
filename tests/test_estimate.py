"""The estimate of whole projects: values against hand calculations, statuses,
sources, ranges and reproducibility."""

import math

import numpy as np
import pytest

import impact
from impact.indicators import INDICATORS
from impact.project import load_project

from .conftest import MINIMAL
from .test_project import ISSUE_EXAMPLE


@pytest.fixture(scope="module")
def mrs5():
    return impact.estimate(impact.load_project(impact.paths.default_project()))


@pytest.fixture
def example(write_project):
    return impact.estimate(load_project(write_project(ISSUE_EXAMPLE)))


def test_all_indicators_with_exact_names_and_units(mrs5):
    assert list(mrs5.indicators) == list(INDICATORS)
    expected = {
        "it_energy_mwh": "MWh",
        "facility_energy_mwh": "MWh",
        "pue": "-",
        "peak_demand_mw": "MW",
        "co2e_location_t": "t CO2e",
        "co2e_market_t": "t CO2e",
        "co2e_generators_t": "t CO2e",
        "co2e_refrigerant_t": "t CO2e",
        "co2e_embodied_t_per_year": "t CO2e/yr",
        "co2e_total_t": "t CO2e",
        "water_onsite_m3": "m3",
        "water_withdrawal_m3": "m3",
        "water_offsite_m3": "m3",
        "heat_rejected_mwh": "MWh",
        "thermal_discharge_mw": "MW",
        "heat_reuse_potential_homes": "homes",
        "land_site_m2": "m2",
        "land_artificialised_m2": "m2",
        "households_electricity_equiv": "households",
        "inhabitants_water_equiv": "inhabitants",
        "share_of_city_electricity": "-",
    }
    for name, unit in expected.items():
        assert mrs5[name].unit == unit, name


def test_mrs5_central_values_by_hand(mrs5):
    # Utilisation defaults to 0.56 (451 Research), PUE declared 1.3.
    it = 22 * 0.56 * 8760  # 107,923.2 MWh
    assert mrs5.central("it_energy_mwh") == pytest.approx(it)
    assert mrs5.central("facility_energy_mwh") == pytest.approx(it * 1.3)
    # ADEME Base Empreinte « Électricité/2025 - mix moyen/consommation »: 46.1 g/kWh (the 2026 project
    # uses the latest year); RTE's direct figure of production, 21.7 g/kWh (2024), gives the low bound.
    assert mrs5.central("co2e_location_t") == pytest.approx(it * 1.3 * 46.1 / 1000)
    assert mrs5.central("co2e_location_direct_t") == pytest.approx(it * 1.3 * 21.7 / 1000)
    # 100 % renewable contract: market-based is zero, location-based is not.
    assert mrs5.central("co2e_market_t") == 0
    assert mrs5.central("co2e_location_t") > 0
    # River: 32 % of the cooling load (IT heat + 6.93 % distribution losses, Lei & Masanet 2020 ranges) goes to the water.
    to_water_mw = 0.32 * 22 * 0.56 * (1 + 0.0693)
    assert mrs5.central("thermal_discharge_mw") == pytest.approx(to_water_mw)
    # Volume to carry it all year. The declared 30 °C outlet is above what the cooling loop can
    # reach (supply 22.5 - approach 5.2 + rise 11 - heat-exchanger approach 2 = 26.3 °C,
    # cooling_parameters.csv): the rise is 26.3 - 15 = 11.3 K, not 15 K (docs/thermal-discharge.md).
    volume = to_water_mw * 8760 * 3.6e9 / (998.21 * 4184.1 * (22.5 - 5.2 + 11 - 2 - 15))
    assert mrs5.central("water_returned_m3") == pytest.approx(volume)
    # France Stratégie 2024 / RTE 2020: 0.14 x 4.4e9 m3 / 500.1e9 kWh = 1.23 L/kWh
    assert mrs5.central("water_offsite_m3") == pytest.approx(it * 1.3 * 1.23)
    # 4,620 kWh per home: Agence ORE residential use per delivery point, 2019-2021 (equivalences.csv).
    assert mrs5.central("households_electricity_equiv") == pytest.approx(it * 1.3 * 1000 / 4620)
    # Marseille's peak: its estimated annual electricity / 8760 h x France's 2021 ratio of peak to mean
    # (88,440 MW / (472,147 GWh / 8760 h), RTE), not the 600 MW press quote (issue 12).
    city_peak = mrs5.inputs["city.annual_electricity_mwh"].value.central / 8760 * 88_440 / (472_147_000 / 8760)
    assert mrs5.central("share_of_city_peak_demand") == pytest.approx(mrs5.central("peak_demand_mw") / city_peak)


def test_mrs5_range_against_closed_form_percentiles(mrs5):
    # IT energy only varies with utilisation ~ Triangular(0.5, 0.56, 0.7). Its 5th percentile
    # solves (x-a)^2 / ((b-a)(c-a)) = 0.05: x = 0.5 + sqrt(0.05 x 0.2 x 0.06) = 0.524495.
    # 2,000 draws: tolerance 1 %.
    p5 = 0.5 + math.sqrt(0.05 * 0.2 * 0.06)
    p95 = 0.7 - math.sqrt(0.05 * 0.2 * 0.14)
    assert mrs5["it_energy_mwh"].low == pytest.approx(22 * 8760 * p5, rel=1e-2)
    assert mrs5["it_energy_mwh"].high == pytest.approx(22 * 8760 * p95, rel=1e-2)


def test_unknowns_stay_unknown_and_say_why(mrs5):
    # Issue 12 (item 5): what MRS5 does not publish on generators, refrigerant and equipment is
    # now a site-scaled default, named as such (tests/test_honest_totals.py checks the values).
    gen = mrs5["co2e_generators_t"]
    assert gen.known and mrs5.inputs["generators.installed_to_peak_ratio"].status == "default"
    # Marseille publishes no annual electricity: the share is an estimate, and says so.
    city = mrs5.inputs["city.annual_electricity_mwh"]
    assert city.status == "default" and city.note.startswith("estimate:")
    assert mrs5["co2e_refrigerant_t"].known and mrs5.inputs["refrigerant.type"].status == "default"
    total = mrs5["co2e_total_t"]
    assert total.status == "estimated" and "generators.installed_to_peak_ratio" in total.note
    parts = ("co2e_location_t", "co2e_generators_t", "co2e_refrigerant_t", "co2e_embodied_t_per_year")
    assert total.central == pytest.approx(sum(mrs5.central(p) for p in parts))


def test_inputs_record_status_and_source(mrs5):
    inputs = mrs5.inputs
    assert inputs["it_capacity_mw"].status == "given"
    assert "gomet.net" in inputs["it_capacity_mw"].source
    util = inputs["utilisation"]
    assert util.status == "default" and util.declared_unknown and "LBNL" in util.source
    assert inputs["grid.carbon_intensity_g_per_kwh"].status == "default"
    assert "ADEME" in inputs["grid.carbon_intensity_g_per_kwh"].source
    assert "RTE" in inputs["grid.carbon_intensity_g_per_kwh"].source  # the low value
    note = inputs["grid.carbon_intensity_g_per_kwh"].note
    assert "2025 value used (consumption mix, life cycle) for 2026" in note
    assert "low value: 2024 value used (direct emissions of production) for 2026" in note
    assert inputs["generators.installed_to_peak_ratio"].status == "default"  # issue 12: a default, named


def test_every_known_indicator_has_a_method_and_sources(mrs5):
    for ind in mrs5.indicators.values():
        assert ind.method
        if ind.known and ind.name not in ("heat_rejected_mwh",):
            assert ind.sources, ind.name
        if ind.known:
            assert ind.low <= ind.central <= ind.high, ind.name


def test_issue_example_by_hand(example):
    it = 22 * 0.6 * 8760
    fac = it * 1.3
    assert example.central("co2e_location_t") == pytest.approx(fac * 52 / 1000)
    # Generators: 12 x 2.5 MW x 24 h x 50 % (default test load) x 0.269 L/kWh x 3.17 kg/L
    assert example.central("co2e_generators_t") == pytest.approx(12 * 2.5 * 24 * 0.5 * 0.269 * 3.17)
    # R134a AR6 GWP 1,530
    assert example.central("co2e_refrigerant_t") == pytest.approx(3000 * 0.05 * 1530 / 1000)
    assert example.central("water_onsite_m3") == pytest.approx(it * 0.2)
    # The declared flow (2,000 m3/h, 15 K) could carry 34.8 MW; 32 % of the cooling load is 4.4 MW.
    assert example.central("thermal_discharge_mw") == pytest.approx(0.32 * 22 * 0.6 * (1 + 0.0693))
    assert example.central("water_returned_m3") == pytest.approx(2000 * 8760)
    assert example.central("water_withdrawal_m3") == pytest.approx(it * 0.2 + 2000 * 8760)
    # ... so the water cannot return at the declared 30 °C: flagged, on the maximum (full IT load:
    # 0.32 x 22 x 1.0693 = 7.53 MW) against what the flow carries up to the outlet the loop can
    # reach, 26.3 °C: 2000 / 3600 x 998.21 x 4184.1 x 11.3 K = 26.2 MW (docs/thermal-discharge.md).
    assert example.central("thermal_discharge_max_mw") == pytest.approx(0.32 * 22 * (1 + 0.0693))
    assert "could carry 26.2 MW" in example["thermal_discharge_max_mw"].note
    assert example.central("land_artificialised_m2") == 8000
    # Total: location + generators + refrigerant + embodied, which since issue 12 is a default scaled
    # to the site when no equipment list or building figure is given (tests/test_honest_totals.py).
    assert example["co2e_total_t"].status == example["co2e_embodied_t_per_year"].status
    assert example.central("co2e_total_t") == pytest.approx(
        fac * 52 / 1000
        + 12 * 2.5 * 24 * 0.5 * 0.269 * 3.17
        + 3000 * 0.05 * 1530 / 1000
        + example.central("co2e_embodied_t_per_year")
    )


def test_equipment_project(write_project):
    r = impact.estimate(
        load_project(
            write_project(
                "name: Paris AI\ncountry: FR\nyear: 2024\npue: 1.5\nutilisation: 0.5\n"
                "equipment:\n  - {kind: gpu_server, count: 48, power_kw: 10.0}\n"
            )
        )
    )
    assert r.inputs["it_capacity_mw"].status == "derived"
    assert r.central("it_energy_mwh") == pytest.approx(0.48 * 0.5 * 8760)
    # Embodied IT: 48 servers x (1,000 + 4,288) / 2 kg over 4 years; building unknown -> partial
    emb = r["co2e_embodied_t_per_year"]
    assert emb.status == "partial"
    assert emb.central == pytest.approx(48 * (1000 + 4288) / 2 / 1000 / 4)
    assert 48 * 1000 / 1000 / 4 < emb.low < emb.central < emb.high < 48 * 4288 / 1000 / 4


def test_country_without_factors_gives_unknowns_not_guesses(write_project):
    r = impact.estimate(load_project(write_project("name: x\ncountry: JP\nit_capacity_mw: 5\n")))
    assert r["co2e_location_t"].status == "unknown"
    assert r["water_offsite_m3"].status == "unknown"
    assert r["households_electricity_equiv"].status == "unknown"
    assert r.central("it_energy_mwh") > 0


def test_same_seed_same_results_other_seed_other_draws(mrs5):
    p = impact.load_project(impact.paths.default_project())
    again = impact.estimate(p)
    assert again.to_frame().equals(mrs5.to_frame())
    other = impact.estimate(p, seed=1)
    assert other["it_energy_mwh"].low != mrs5["it_energy_mwh"].low


def test_to_frame_and_dict_shapes(mrs5):
    df = mrs5.to_frame()
    assert list(df.columns)[:7] == ["indicator", "unit", "low", "central", "high", "status", "method"]
    assert "sources" in df.columns and len(df) == len(INDICATORS)
    d = mrs5.to_dict()
    # nearest_substations: RTE's national table shipped in the package (a site in France).
    assert set(d) == {"project", "indicators", "inputs", "nearest_substations"}
    fe = d["indicators"]["facility_energy_mwh"]
    assert fe["unit"] == "MWh" and fe["low"] <= fe["central"] <= fe["high"] and fe["sources"]
    assert d["project"]["name"] == "MRS5" and len(d["project"]["input_fingerprint"]) == 16


def test_samples_are_draws(mrs5):
    s = mrs5.samples["facility_energy_mwh"]
    assert len(s) == 2000
    assert np.percentile(s, 5) == pytest.approx(mrs5["facility_energy_mwh"].low)


def test_minimal_project(write_project):
    r = impact.estimate(load_project(write_project(MINIMAL)))
    assert r.inputs["pue"].status == "default"
    # 10 MW IT first operated in 2024, cooling unknown: the 5-50 MW band of pue_defaults.csv
    # (1.2, 1.3, 1.46: EnEfG § 11 / Uptime new builds / Arcep French average): central exact,
    # 5-95 % band strictly inside
    assert r.central("pue") == 1.3
    assert 1.2 < r["pue"].low < 1.3 < r["pue"].high < 1.46


@pytest.mark.parametrize(
    "year, value, basis",
    [
        # ADEME Base Empreinte « Électricité/<year> - mix moyen/consommation »
        (2024, 51.9, "consumption mix"),
        (2023, 58.0, "consumption mix"),
        (2022, 52.0, "consumption mix"),
        (2030, 46.1, "consumption mix"),  # later years: the latest known (2025)
    ],
)
def test_default_grid_intensity_by_year(write_project, year, value, basis):
    r = impact.estimate(
        load_project(write_project(f"name: x\ncountry: FR\nyear: {year}\nit_capacity_mw: 1\n")), draws=100
    )
    rec = r.inputs["grid.carbon_intensity_g_per_kwh"]
    assert rec.value.central == value and basis in rec.note
