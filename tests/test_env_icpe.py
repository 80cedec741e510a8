"""ICPE regime and risks (issue 13 items 3-4): generators' thermal input, fuel stored, refrigerant
charge, the rubriques they reach, the just-below-threshold finding. Values by hand from the cited
tables (data/reference/fuel.csv, generator_tests.csv, icpe_thresholds.csv)."""

import pytest

from impact.engine import estimate
from impact.model import icpe
from impact.project import load_project
from impact.report import icpe as icpe_report

from .conftest import MINIMAL

# fuel.csv: 0.269 L/kWh at full load (generic 1000 kW chart); density 0.8325 kg/L (EN 590 mid-point);
# LHV 11.94 kWh/kg (IPCC 2006 Vol. 2 Table 1.2, 43.0 TJ/Gg / 3.6).
L_PER_KWH, DENSITY, LHV = 0.269, 0.8325, 11.94
# icpe_thresholds.csv
THERMAL = (("2910-A|DC", 1.0), ("2910-A|E", 20.0), ("3110|A", 50.0))
FUEL = (
    ("4734-2|DC", 50.0),
    ("4734-2|E", 500.0),
    ("4734-2|A", 1000.0),
    ("Seveso|seveso_low", 2500.0),
    ("Seveso|seveso_high", 25000.0),
)


def test_thermal_input_by_hand():
    # 300 MWe x 0.269 L/kWh = 80.7 m3/h; x 0.8325 = 67.18 t/h; x 11.94 kWh/kg = 802.2 MW (efficiency 37.4 %)
    assert icpe.generators_thermal_input_mw(300.0, L_PER_KWH, DENSITY, LHV) == pytest.approx(802.2, rel=1e-3)


def test_fuel_storage_by_hand():
    # 300 MW x 48 h = 14 400 MWh; x 0.269 L/kWh = 3 873.6 m3; x 0.8325 t/m3 = 3 224.8 t
    m3 = icpe.fuel_storage_m3(300.0, 48.0, L_PER_KWH)
    assert m3 == pytest.approx(3873.6)
    assert icpe.fuel_storage_t(m3, DENSITY) == pytest.approx(3224.8, rel=1e-4)


def test_ups_battery_energy_by_hand():
    # 200 MW of IT x 5 min / 60 = 16.7 MWh
    assert icpe.ups_battery_energy_mwh(200.0, 5.0) == pytest.approx(16.667, rel=1e-4)


def test_regime_and_just_below():
    assert icpe.regime(0.5, THERMAL) is None
    assert icpe.regime(49.4, THERMAL) == "2910-A|E"
    assert icpe.regime(50.0, THERMAL) == "3110|A"
    # Wissous: 49.4 MW declared is 1.2 % under the 50 MW of rubrique 3110
    assert icpe.just_below(49.4, THERMAL) == ("3110|A", 50.0)
    assert icpe.just_below(45.0, THERMAL) is None  # 10 % under: not « just below »
    assert icpe.just_below(50.0, THERMAL) is None  # at the threshold: the regime applies
    assert icpe.regime(3224.8, FUEL) == "Seveso|seveso_low"


def test_report_thresholds_are_the_tables():
    assert icpe_report.thresholds("thermal_input") == THERMAL
    assert icpe_report.thresholds("fuel_stored") == FUEL
    assert icpe_report.thresholds("refrigerant_charge") == (("1185-2a|DC", 300.0),)


CAMPUS = (
    MINIMAL
    + """\
generators: {count: 100, unit_mw: 3}
refrigerant: {type: R134a, charge_kg: 2000}
claims:
  - {indicator: generators_thermal_input_mw, value: 49.4, source: "test: a declared power just below 50 MW"}
"""
)


@pytest.fixture(scope="module")
def campus(tmp_path_factory):
    path = tmp_path_factory.mktemp("icpe") / "campus.yaml"
    path.write_text(CAMPUS, encoding="utf-8")
    return estimate(load_project(path), draws=200)


def test_campus_indicators_by_hand(campus):
    assert campus.central("generators_thermal_input_mw") == pytest.approx(300 * L_PER_KWH * DENSITY * LHV)
    # generator_tests.csv: autonomy 12 / 48 / 72 h (central 48 h, an assumption shown as a default)
    assert campus.inputs["generators.fuel_autonomy_hours"].status == "default"
    assert campus.central("fuel_storage_m3") == pytest.approx(300 * 48 * L_PER_KWH)
    assert campus.central("fuel_storage_t") == pytest.approx(300 * 48 * L_PER_KWH * DENSITY)
    assert campus.central("refrigerant_charge_kg") == pytest.approx(2000)
    # ups_batteries.csv: 5 minutes central (assumption): 10 MW x 5 / 60 = 0.833 MWh
    assert campus.central("ups_battery_energy_mwh") == pytest.approx(10 * 5 / 60)
    assert campus.inputs["ups.battery_autonomy_minutes"].status == "default"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_campus_section(campus, lang):
    t = icpe_report.table(campus, lang)
    thermal, refrigerant, fuel, batteries = t["rows"]
    assert "3110" in thermal["regime"] and "49.4" in thermal["published"].replace(",", ".")
    assert "1185-2a" in refrigerant["regime"]
    assert "Seveso" in fuel["regime"]  # 3 225 t at the central value: lower tier
    assert len(t["findings"]) == 1 and "50" in t["findings"][0]
    # the promoter is silent on the charge? No: declared as an input, but not claimed; fuel: not declared
    assert len(t["questions"]) == 5  # refrigerant, fuel, charging power (2925), phases, hazard study
    # the fuel and battery autonomy defaults; the power is declared, R134a is an Annex I gas (1185 applies)
    assert len(t["notes"]) == 2


def test_mrs5_defaults_are_said(mrs5_path):
    r = estimate(load_project(mrs5_path), draws=200)
    t = icpe_report.table(r, "fr")
    assert all(row["published"] == "non publié" for row in t["rows"])
    assert len(t["notes"]) == 4 and not t["findings"]  # the three defaults and the scope of 1185
    assert "3110" in t["rows"][0]["regime"]
    # No power published: peak demand x redundancy ratio (defaults) stands for the installed MW
    installed = r.central("peak_demand_mw") * r.inputs["generators.installed_to_peak_ratio"].value.central
    assert r.central("generators_thermal_input_mw") == pytest.approx(installed * L_PER_KWH * DENSITY * LHV)
    assert r.central("fuel_storage_t") == pytest.approx(installed * 48 * L_PER_KWH * DENSITY)
