"""Air quality (issue 13, item 1): NOx, PM, CO and SO2 of the backup generators' tests, and the hour
of all of them at full load.

Expected values are computed here by hand from the definitions and the figures of the cited sources
(US EPA AP-42 chapter 3.4 Table 3.4-1; 40 CFR 89.112; Directive 2009/30/EC; EN 590), not from the
code's output.
"""

import pytest

import impact
from impact.model import air
from impact.project import parse_project_text
from impact.report import air as air_report
from impact.report import narrative
from impact.sources import reference as ref

# 1 lb = 453.59237 g (exact); 1 hp = 0.745699872 kW (mechanical horsepower).
G_PER_LB_HP_HR = 453.59237 / 0.745699872  # g/kWh in 1 lb/hp-hr (= 608.28)
# AP-42 Table 3.4-1, large stationary diesel engines, uncontrolled [lb/hp-hr].
AP42_NOX, AP42_CO, AP42_PM = 0.024, 0.0055, 0.0007
TIER2_NOX_NMHC, TIER2_CO, TIER2_PM = 6.4, 3.5, 0.20  # 40 CFR 89.112 Table 1, > 560 kW [g/kWh]
SULPHUR_GNR = 10  # mg/kg: Directive 98/70/EC art. 4 as amended by 2009/30/EC (non-road gas oil)
SULPHUR_FOD = 1000  # mg/kg: Directive (EU) 2016/802 art. 7 (gas oils, 0.10 % by mass)
DENSITY = (0.820 + 0.845) / 2  # kg/L, EN 590 band at 15 °C
FUEL = 0.269  # L/kWh, fuel.csv (1000 kW set at full load)
SO2_PER_S = (32.06 + 2 * 15.999) / 32.06  # molar masses (IUPAC)

# A Paris-region campus with a hundred 3 MW engines, its test programme published.
CAMPUS = """\
name: Campus test
country: FR
year: 2024
it_capacity_mw: 200
pue: 1.3
utilisation: 0.6
generators: {count: 100, unit_mw: 3, test_hours_per_year: 12, test_load_share: 0.75}
"""


def row(quantity):
    return ref.require("air_emissions", fuel="diesel", quantity=quantity).known()


def test_the_table_holds_the_cited_figures():
    nox, pm, co = row("nox_g_per_kwh"), row("pm_g_per_kwh"), row("co_g_per_kwh")
    # High ends: AP-42 lb/hp-hr converted to g/kWh, to the 3 digits written in the table (CO: the Tier 2 limit).
    assert nox.high == pytest.approx(AP42_NOX * G_PER_LB_HP_HR, rel=2e-3)  # 14.60
    assert pm.high == pytest.approx(AP42_PM * G_PER_LB_HP_HR, rel=2e-3)  # 0.4258
    assert co.high == TIER2_CO > AP42_CO * G_PER_LB_HP_HR  # 3.5 > 3.346
    # Central and low: EMEP/EEA guidebook 1.A.4 Table 3-31 (gas oil, reciprocating engines) in g/GJ of fuel,
    # x 0.269 L/kWh x 0.8325 kg/L x 43.0 MJ/kg / 1000 = 0.0096295 GJ/kWh (test_env_air_more.py checks it).
    gj = 0.269 * 0.8325 * 43.0 / 1000
    assert (nox.low, nox.central) == pytest.approx((565 * gj, 942 * gj), rel=2e-3)  # 5.44, 9.07
    assert (pm.low, pm.central) == pytest.approx((18 * gj, 30 * gj), rel=2e-3)  # 0.173, 0.289
    assert (co.low, co.central) == pytest.approx((78 * gj, 130 * gj), rel=2e-3)  # 0.751, 1.25
    s = row("sulphur_mg_per_kg")
    assert (s.low, s.central, s.high) == (SULPHUR_GNR, SULPHUR_GNR, SULPHUR_FOD)
    assert row("density_kg_per_l").central == pytest.approx(DENSITY)


def test_model_by_hand():
    # 2,700 MWh at 14.6 g/kWh: 2.7e6 kWh x 14.6 g = 39.42e6 g = 39.42 t.
    assert air.pollutant_t(2700.0, 14.6) == pytest.approx(39.42)
    # 300 MW at full load for an hour: 3e5 kWh x 14.6 g = 4.38e6 g = 4,380 kg.
    assert air.full_load_kg_per_h(300.0, 14.6) == pytest.approx(4380.0)
    # SO2: 0.269 L x 0.8325 kg/L x 10 mg S/kg = 2.239 mg S per kWh, x 64.06/32.06 = 4.474 mg SO2.
    assert air.so2_g_per_kwh(FUEL, DENSITY, SULPHUR_GNR) == pytest.approx(0.269 * 0.8325 * 10e-3 * 1.99807, rel=1e-4)


@pytest.fixture(scope="module")
def campus():
    return impact.estimate(parse_project_text(CAMPUS), draws=200)


def test_campus_a_year_of_tests_and_the_full_load_hour(campus):
    energy_mwh = 100 * 3 * 12 * 0.75  # 2,700 MWh of tests a year
    nox, pm, co = (row(q).central for q in ("nox_g_per_kwh", "pm_g_per_kwh", "co_g_per_kwh"))
    ind = campus.indicators
    assert ind["nox_generators_t"].central == pytest.approx(energy_mwh * nox / 1000)  # 39.4 t
    assert ind["pm_generators_t"].central == pytest.approx(energy_mwh * pm / 1000)  # 1.15 t
    assert ind["co_generators_t"].central == pytest.approx(energy_mwh * co / 1000)  # 9.05 t
    so2_t = energy_mwh * 1000 * FUEL * DENSITY * SULPHUR_GNR * 1e-6 * SO2_PER_S / 1000  # kWh x kg S x SO2/S
    assert ind["so2_generators_t"].central == pytest.approx(so2_t, rel=1e-6)  # 12 kg
    assert ind["nox_generators_full_load_kg_per_h"].central == pytest.approx(300 * nox)  # 4,380 kg/h
    assert ind["pm_generators_full_load_kg_per_h"].central == pytest.approx(300 * pm)  # 128 kg/h
    # The range: the guidebook interval's low end (565 g/GJ: 5.44 g/kWh) bounds NOx from below.
    assert ind["nox_generators_t"].low < energy_mwh * nox / 1000
    assert ind["nox_generators_t"].low >= energy_mwh * 565 * 0.269 * 0.8325 * 43.0 / 1000 / 1000 * 0.999


def test_no_generator_figure_published_gives_defaults_and_a_question():
    r = impact.estimate(impact.load_project(impact.paths.default_project()), draws=200)  # MRS5
    assert r.inputs["air.nox_g_per_kwh"].status == "default"
    # The installed power is the issue-12 default (peak x redundancy), the same as co2e_generators_t's:
    # NOx / CO2e = (g NOx per kWh) / (L per kWh x kg CO2e per L) x 1/1000 (t and kg).
    co2e = r.indicators["co2e_generators_t"].central
    nox = r.indicators["nox_generators_t"].central
    assert nox / co2e == pytest.approx(row("nox_g_per_kwh").central / (FUEL * 3.17) / 1000)
    fr = narrative.questions(r, [], "fr")
    assert any("certifiées des moteurs" in q for q in fr)
    section = air_report.section(r, "fr")
    assert len(section["rows"]) == 4 and "inconnu" not in section["rows"][0]["year"]
    assert any("non publié" in n for n in section["notes"])  # the test programme is a default
    assert any("Stage V" in n for n in section["notes"])


def test_a_published_programme_is_said_as_published(campus):
    notes = air_report.section(campus, "en")["notes"]
    assert any("as published: 12 hours a year per generator at 75 %" in n for n in notes)
    # Stage V for comparison: 300 MW x 3.5 g/kWh = 1,050 kg/h of NOx.
    assert any("1,050" in n or "1 050" in n for n in notes), notes


def test_the_engines_certified_factor_replaces_the_default():
    # 4 x 3 MW x 10 h x full load = 120 MWh; at a Stage V-like 3.5 g/kWh: 120e3 kWh x 3.5 g = 0.42 t.
    r = impact.estimate(
        parse_project_text(
            "name: x\ncountry: FR\nyear: 2024\nit_capacity_mw: 10\npue: 1.4\nutilisation: 0.5\n"
            "generators: {count: 4, unit_mw: 3, test_hours_per_year: 10, test_load_share: 1}\n"
            "assumptions: {air.nox_g_per_kwh: 3.5}\n"
        ),
        draws=100,
    )
    assert r.inputs["air.nox_g_per_kwh"].status == "given"
    assert r.indicators["nox_generators_t"].central == pytest.approx(0.42)
