"""Air quality, second part (issue 13, item 1): the grid-outage scenario, HVO against diesel, the French
NOx limit for engines as g/kWh, claims and questions (docs/air-quality.md).

Expected values are computed here by hand from the definitions and the cited figures (EMEP/EEA guidebook
1.A.4 Table 3-31: NOx 942 g/GJ; US EPA AP-42 chapter 3.4 Table 3.4-1: NOx 0.024 lb/hp-hr; fuel.csv: 0.269 L/kWh, 3.17 kg CO2e/L; EN 15940 via
suppliers' tables: 5 mg/kg of sulphur, 0.78 kg/L; arrêté du 3 août 2018 art. 60: 225 mg/Nm3; Directive
(EU) 2015/2193 Annex II: 15 % O2), not from the code's output.
"""

import pytest

import impact
from impact import claims
from impact.errors import InputError
from impact.model import air
from impact.project import parse_project_text
from impact.report import air as air_report
from impact.report import narrative
from impact.sources import reference as ref

# EMEP/EEA guidebook 1.A.4 Table 3-31 (gas oil, reciprocating engines) per GJ of fuel, per kWh of electricity with
# fuel.csv's 0.269 L/kWh x 0.8325 kg/L x 43.0 MJ/kg (IPCC 2006) = 9.630 MJ of fuel per kWh (a 37.4 % efficiency).
GJ_PER_KWH = 0.269 * 0.8325 * 43.0 / 1000
NOX = 942 * GJ_PER_KWH  # g/kWh (9.07)
PM = 30 * GJ_PER_KWH  # g/kWh (0.289)
AP42_NOX = 0.024 * 453.59237 / 0.745699872  # g/kWh: AP-42 0.024 lb/hp-hr (14.60), the high end
FUEL = 0.269  # L/kWh, fuel.csv (generator at full load)
DIESEL_CO2E = 3.17  # kg CO2e/L, arrêté du 26 avril 2017 (GNR, well to wheel)
HVO_CO2E = (0.48, 0.54, 1.11)  # kg CO2e/L, air_emissions.csv (85 % saving, Altens/Neste study, 65 % saving)
SO2_PER_S = (32.06 + 2 * 15.999) / 32.06  # molar masses (IUPAC)

BASE = """\
name: Campus test
country: FR
year: 2024
it_capacity_mw: 200
pue: 1.3
utilisation: 0.6
"""
# Site's mean demand: 200 MW x 0.6 x 1.3 = 156 MW (facility energy / 8760 h).
MEAN_MW = 200 * 0.6 * 1.3


def estimate(generators: str, extra: str = ""):
    return impact.estimate(parse_project_text(BASE + f"generators: {{{generators}}}\n" + extra), draws=100)


@pytest.fixture(scope="module")
def diesel():
    return estimate("count: 100, unit_mw: 3, test_hours_per_year: 12, test_load_share: 0.75, outage_scenario_hours: 24")


@pytest.fixture(scope="module")
def hvo():
    return estimate(
        "count: 100, unit_mw: 3, test_hours_per_year: 12, test_load_share: 0.75, outage_scenario_hours: 24, fuel: hvo"
    )


def test_a_test_programme_by_hand():
    # 10 x 2 MW x 20 h x 50 % = 200 MWh = 2e5 kWh; x 9.071 g = 1.814e6 g = 1.81 t of NOx.
    r = estimate("count: 10, unit_mw: 2, test_hours_per_year: 20, test_load_share: 0.5")
    assert r.indicators["nox_generators_t"].central == pytest.approx(200 * NOX / 1000, rel=2e-3)
    assert r.indicators["nox_generators_t"].central == pytest.approx(1.814, rel=2e-3)


def test_the_outage_scenario_by_hand(diesel):
    # 156 MW of mean demand (below the 300 MW installed) for 24 h = 3,744 MWh.
    energy = MEAN_MW * 24
    assert energy == pytest.approx(3744)
    ind = diesel.indicators
    assert ind["nox_generators_outage_t"].central == pytest.approx(energy * NOX / 1000, rel=2e-3)  # 34.0 t
    assert ind["pm_generators_outage_t"].central == pytest.approx(energy * PM / 1000, rel=2e-3)  # 1.08 t
    # CO2e: 3,744e3 kWh x 0.269 L x 3.17 kg = 3.193e6 kg = 3,193 t.
    assert ind["co2e_generators_outage_t"].central == pytest.approx(energy * FUEL * DIESEL_CO2E, rel=1e-6)
    assert diesel.inputs["generators.outage_scenario_hours"].status == "given"
    # A day of outage emits more NOx than the year of tests (2,700 MWh of tests).
    assert ind["nox_generators_outage_t"].central > ind["nox_generators_t"].central


def test_the_outage_load_is_capped_by_the_installed_power():
    # 20 x 2 MW = 40 MW installed < 156 MW of demand: 40 MW x 10 h x 9.071 g/kWh = 3.63 t.
    r = estimate("count: 20, unit_mw: 2, outage_scenario_hours: 10")
    assert r.indicators["nox_generators_outage_t"].central == pytest.approx(40 * 10 * NOX / 1000, rel=2e-3)
    assert air.outage_energy_mwh(156.0, 40.0, 10.0) == pytest.approx(400.0)


def test_without_outage_hours_the_fuel_autonomy_stands_in():
    # generator_tests.csv: 12 / 48 / 72 h of autonomy, a default; 156 MW x 48 h x 9.071 g = 67.9 t.
    r = estimate("count: 100, unit_mw: 3")
    assert r.inputs["generators.fuel_autonomy_hours"].status == "default"
    assert r.indicators["nox_generators_outage_t"].central == pytest.approx(MEAN_MW * 48 * NOX / 1000, rel=2e-3)
    text = air_report.more(r, "en")["paragraphs"][0]
    assert "fuel autonomy" in text and "48 hours" in text


def test_hvo_switches_the_fuel_factors(diesel, hvo):
    rec = hvo.inputs["generators.emission_factor_kg_per_l"]
    assert (rec.value.low, rec.value.central, rec.value.high) == HVO_CO2E
    assert diesel.inputs["generators.emission_factor_kg_per_l"].value.central == DIESEL_CO2E
    tests_mwh = 100 * 3 * 12 * 0.75  # 2,700 MWh
    # CO2e of the tests: 2.7e6 kWh x 0.269 L x 0.54 kg = 392.2 t (diesel: 2,302 t).
    assert hvo.indicators["co2e_generators_t"].central == pytest.approx(tests_mwh * FUEL * 0.54, rel=1e-6)
    assert diesel.indicators["co2e_generators_t"].central == pytest.approx(tests_mwh * FUEL * DIESEL_CO2E, rel=1e-6)
    # SO2 with EN 15940's 5 mg/kg and 0.78 kg/L: 2.7e6 x 0.269 x 0.78 x 5e-6 kg S x 64/32 = 5.66 kg.
    so2_t = tests_mwh * 1000 * FUEL * 0.78 * 5e-6 * SO2_PER_S / 1000
    assert hvo.indicators["so2_generators_t"].central == pytest.approx(so2_t, rel=1e-6)
    # NOx: the same engine, the diesel factor kept.
    assert hvo.indicators["nox_generators_t"].central == pytest.approx(diesel.indicators["nox_generators_t"].central)
    assert "HVO" in air_report.more(hvo, "en")["notes"][0]


def test_a_bad_fuel_is_an_input_error():
    with pytest.raises(InputError) as err:
        parse_project_text(BASE + "generators: {count: 2, unit_mw: 1, fuel: kerosene}\n")
    assert "generators.fuel" in str(err.value) and "hvo" in str(err.value)


def test_the_limit_value_as_grams_per_kwh_by_hand():
    # Gas oil as CH1.86: per mol of C, 12.011 + 1.86 x 1.008 = 13.886 g; O2 needed 1 + 1.86/4 = 1.465 mol.
    mol_c_per_kg = 1000 / 13.886  # 72.01 mol
    dry = mol_c_per_kg * (1 + 1.465 * 79 / 21)  # CO2 + N2 [mol/kg]: 343.4... no water (dry)
    v0 = dry * 22.414 / 1000  # 10.51 Nm3/kg, stoichiometric dry flue gas
    # Cross-check: a stoichiometric air-fuel ratio of about 14.5 kg/kg for diesel (Heywood, Internal Combustion
    # Engine Fundamentals, 1988) gives 14.5 / 1.293 kg/Nm3 = 11.21 Nm3 of air; less its O2, plus the CO2:
    # 11.21 x 0.79 + 0.865 / 12.011 x 22.414 = 10.47 Nm3/kg (within 1 %).
    assert v0 == pytest.approx(14.5 / 1.293 * 0.79 + 0.865 / 12.011 * 22.414, rel=0.01)
    at_15 = v0 * 0.21 / (0.21 - 0.15)  # excess air to 15 % O2: x 3.5 = 36.8 Nm3/kg
    c, h = air.hydrocarbon_mass_shares(1.86)
    assert air.dry_flue_gas_nm3_per_kg(c, h, 0.15) == pytest.approx(at_15, rel=1e-4)
    # 225 mg/Nm3 x 36.8 Nm3/kg x (0.269 L x 0.8325 kg/L) = 1.85 g/kWh.
    g = air.limit_g_per_kwh(225, at_15, 0.269 * 0.8325)
    assert g == pytest.approx(225 * at_15 * 0.269 * 0.8325 / 1000)
    assert g == pytest.approx(1.85, abs=0.01)
    # The guidebook's factor is then about 4.9 times the limit, an uncontrolled AP-42 engine 7.9 times.
    assert NOX / g == pytest.approx(4.9, abs=0.05)
    assert AP42_NOX / g == pytest.approx(7.9, abs=0.05)


def test_the_guidebook_factors_converted_by_hand():
    # 942 g/GJ x 9.630e-3 GJ/kWh = 9.071 g/kWh; the function takes kWh/kg (43.0 / 3.6 = 11.94).
    assert air.g_per_kwh_from_g_per_gj(942, 0.269, 0.8325, 43.0 / 3.6) == pytest.approx(9.071, abs=1e-3)
    gj = {
        q: ref.require("air_emissions", fuel="diesel", quantity=f"emep_{q}_g_per_gj").known()
        for q in ("nox", "pm", "co")
    }
    for q, g in gj.items():
        kwh = ref.require("air_emissions", fuel="diesel", quantity=f"{q}_g_per_kwh").known()
        assert kwh.central == pytest.approx(g.central * GJ_PER_KWH, rel=2e-3)
        assert kwh.low == pytest.approx(g.low * GJ_PER_KWH, rel=2e-3)
    assert (gj["nox"].low, gj["nox"].central, gj["nox"].high) == (565, 942, 1319)


def test_the_section_says_the_limit_and_the_default_fuel(diesel):
    more = air_report.more(diesel, "fr")
    assert any("225 mg/Nm³" in n and "1,85" in n and "4,9 fois" in n for n in more["notes"])
    assert any("gazole" in n for n in more["notes"])
    assert "24 heures (publiée)" in more["paragraphs"][0]


def test_claims_on_air_indicators_are_checked():
    # The campus's test NOx: 2,700 MWh x 5.44 to 14.6 g/kWh = 14.7 to 39.4 t (central 24.5 t).
    r = estimate(
        "count: 100, unit_mw: 3, test_hours_per_year: 12, test_load_share: 0.75",
        "claims:\n"
        "  - {indicator: nox_generators_t, value: 5, source: promoter}\n"
        "  - {indicator: nox_generators_t, value: 25, source: promoter}\n",
    )
    got = {c.claimed: c.verdict for c in claims.check_claims(r)}
    assert got == {5.0: "optimistic", 25.0: "consistent"}
    assert any("claimed 5" in q for q in narrative.questions(r, claims.check_claims(r), "en"))


def test_questions_when_the_promoter_is_silent(diesel, hvo):
    silent = estimate("count: 10, unit_mw: 2")
    qs = air_report.questions(silent, "en")
    assert any("test programme" in q for q in qs)
    assert any("AASQA" in q for q in qs)
    assert not any("test programme" in q for q in air_report.questions(diesel, "en"))  # programme published
    assert any("made from what" in q for q in air_report.questions(hvo, "en"))
    assert not any("made from what" in q for q in air_report.questions(diesel, "en"))
    assert any("AASQA" in q for q in narrative.questions(silent, [], "fr"))


def test_a_certified_factor_within_the_limit_is_said_so():
    # 1.5 g/kWh (an engine with SCR) < 1.85 g/kWh: the note says it meets the limit, 0.81 times it.
    r = estimate("count: 10, unit_mw: 2", "assumptions: {air.nox_g_per_kwh: 1.5}\n")
    notes = air_report.more(r, "en")["notes"]
    assert any("is within it (0.81 times the limit)" in n for n in notes), notes
