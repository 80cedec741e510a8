"""ICPE, declared inputs (issue 13 items 3-4): a declared fuel stock (several fuels, summed in tonnes for
rubrique 4734 and Seveso), a declared autonomy, phases whose total crosses a threshold that each one
stays under, the charging-power thresholds of rubrique 2925, bad inputs. Values by hand from the cited
tables (data/reference/fuel.csv, icpe_thresholds.csv) and from the project files' own sources."""

import pytest

from impact.engine import estimate
from impact.errors import InputError
from impact.model import icpe
from impact.project import load_project
from impact.report import icpe as icpe_report

from .conftest import MINIMAL


def _plain(text: str) -> str:
    """The text with its no-break spaces as spaces (the report's numbers use them)."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


# fuel.csv densities [kg/L]: HVO 0.78 (EN 15940 tables of crownoil.co.uk / 123oil.co.uk, typical HVO),
# heating oil 0.855 (CPDP CSR 443a: 0.830 to 0.880, mid-point), diesel 0.8325 (EN 590 mid-point).
HVO, HEATING_OIL, DIESEL = 0.78, 0.855, 0.8325
L_PER_KWH = 0.269  # fuel.csv, full load
THERMAL = (("2910-A|DC", 1.0), ("2910-A|E", 20.0), ("3110|A", 50.0))
FUEL = (
    ("4734-2|DC", 50.0),
    ("4734-2|E", 500.0),
    ("4734-2|A", 1000.0),
    ("Seveso|seveso_low", 2500.0),
    ("Seveso|seveso_high", 25000.0),
)


def test_mixed_stock_by_hand():
    # Le Bourget (MNLE 93, 22 October 2025): 1,716,000 L of HVO and 1,700 m3 of heating oil.
    # 1 716 m3 x 0.78 t/m3 = 1 338.48 t; 1 700 m3 x 0.855 t/m3 = 1 453.5 t; total 2 791.98 t
    t = icpe.stored_fuel_t([1716.0, 1700.0], [HVO, HEATING_OIL])
    assert t == pytest.approx(2791.98, abs=0.01)
    assert icpe.regime(t, FUEL) == "Seveso|seveso_low"  # over 2 500 t: lower-tier Seveso
    # Either fuel alone stays under 2 500 t: Seveso entry 34 counts them together
    assert icpe.regime(1716.0 * HVO, FUEL) == icpe.regime(1700.0 * HEATING_OIL, FUEL) == "4734-2|A"
    with pytest.raises(ValueError):
        icpe.stored_fuel_t([1.0, 2.0], [HVO])


def test_density_range_does_not_change_the_regime():
    # At the ends of the published ranges (HVO 0.765-0.800 as commonly cited for EN 15940 class A;
    # heating oil 0.830-0.880, CPDP) the stock stays between 2 500 and 25 000 t.
    low = 1716 * 0.765 + 1700 * 0.830  # 2 723.7 t
    high = 1716 * 0.800 + 1700 * 0.880  # 2 868.8 t
    assert icpe.regime(low, FUEL) == icpe.regime(high, FUEL) == "Seveso|seveso_low"


def test_phases_split():
    # Wissous-like: two phases of 49.4 MW each, each under the 50 MW of 3110, together 98.8 MW
    assert icpe.phases_split([49.4, 49.4], THERMAL) == ("3110|A", 50.0)
    assert icpe.phases_split([60.0, 10.0], THERMAL) is None  # a phase already over 50 MW: not split
    assert icpe.phases_split([10.0, 5.0], THERMAL) is None  # the total stays under 20 MW
    # 15 + 8 MW: each under 20 MW (registration of 2910-A), together 23 MW
    assert icpe.phases_split([15.0, 8.0], THERMAL) == ("2910-A|E", 20.0)


@pytest.fixture(scope="module")
def bourget(segro_bourget):
    return segro_bourget


@pytest.fixture(scope="module")
def segro_bourget():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data/projects/cases/segro-le-bourget.yaml"
    return estimate(load_project(path), draws=200)


def test_bourget_declared_stock(bourget):
    assert bourget.inputs["icpe.fuel_storage_m3"].status == "given"
    assert bourget.central("fuel_storage_m3") == pytest.approx(1716 + 1700)
    assert bourget.central("fuel_storage_t") == pytest.approx(1716 * HVO + 1700 * HEATING_OIL)
    t = icpe_report.table(bourget, "fr")
    fuel = t["rows"][2]
    assert "Seveso seuil bas" in fuel["regime"]
    assert "1 716 m³ de HVO" in _plain(fuel["published"])
    assert any("Seveso seuil bas" in f and "2 790 t" in _plain(f) for f in t["findings"])
    assert not any("carburant est stocké" in q for q in t["questions"])  # no fuel question: it is declared
    assert t["notes"][0].startswith("Le carburant stocké est le stock déclaré")
    # R1234ze(E) is not a gas of Annex I of Regulation 517/2014 (icpe_refrigerants.csv): 1185 does not apply
    assert "1185" in t["rows"][1]["regime"] and "1185-2a" not in t["rows"][1]["regime"]
    assert any("R1234ze(E)" in f and "annexe I" in f for f in t["findings"])


STOCK = (
    MINIMAL
    + """\
generators:
  count: 10
  unit_mw: 2
  autonomy_hours: 24
"""
)


def _estimate(tmp_path, text, name="p.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return estimate(load_project(path), draws=100)


def test_declared_autonomy(tmp_path):
    r = _estimate(tmp_path, STOCK)
    rec = r.inputs["generators.fuel_autonomy_hours"]
    assert rec.status == "given" and rec.value.central == 24
    # 20 MW x 24 h x 0.269 L/kWh = 129.12 m3; x 0.8325 = 107.5 t: 4734-2 declaration with periodic check
    assert r.central("fuel_storage_m3") == pytest.approx(20 * 24 * L_PER_KWH)
    assert r.central("fuel_storage_t") == pytest.approx(20 * 24 * L_PER_KWH * DIESEL)
    t = icpe_report.table(r, "en")
    assert "4734-2" in t["rows"][2]["regime"]
    assert not any("12 to 72 hours" in n for n in t["notes"])  # the autonomy is declared, not a default


PHASES = (
    MINIMAL
    + """\
generators: {count: 10, unit_mw: 2}
phases:
  - {name: "Phase 1", thermal_input_mw: 49.4, source: "test"}
  - {name: "Phase 2", thermal_input_mw: 30}
"""
)


def test_phases_finding(tmp_path):
    r = _estimate(tmp_path, PHASES)
    t = icpe_report.table(r, "en")
    split = [_plain(f) for f in t["findings"] if "together they make" in f]
    assert len(split) == 1 and "79.4 MW" in split[0] and "3110" in split[0] and "50 MW" in split[0]


ONE_PHASE_JUST_BELOW = (
    MINIMAL
    + """\
phases:
  - {name: "Phase 1", thermal_input_mw: 49.4}
"""
)


def test_one_phase_just_below(tmp_path):
    t = icpe_report.table(_estimate(tmp_path, ONE_PHASE_JUST_BELOW), "en")
    assert any("just under the threshold of 50 MW" in _plain(f) for f in t["findings"])
    assert not any("together they make" in f for f in t["findings"])  # one phase splits nothing


def test_batteries_thresholds_are_2925():
    # AIDA (INERIS), rubrique 2925 as amended by décret n° 2019-1096: 2925-1 above 50 kW, 2925-2 above 600 kW
    assert icpe_report.thresholds("charge_power") == (("2925-1|D", 50.0), ("2925-2|D", 600.0))


@pytest.mark.parametrize(
    "block, field",
    [
        ("fuel_storage: {kerosene_m3: 10}", "kerosene_m3"),
        ("fuel_storage: {hvo_m3: -5}", "fuel_storage.hvo_m3"),
        ("fuel_storage: {hvo_m3: 200000}", "fuel_storage.hvo_m3"),
        ("fuel_storage: {}", "fuel_storage"),
        ("generators: {count: 2, unit_mw: 1, autonomy_hours: 1000}", "generators.autonomy_hours"),
        ("phases: [{name: P1}]", "phases[0]"),
        ("phases: [{name: P1, thermal_input_mw: 0}]", "phases[0].thermal_input_mw"),
        ("phases: [{thermal_input_mw: 10}]", "phases[0].name"),
    ],
)
def test_bad_inputs_name_the_field(tmp_path, block, field):
    path = tmp_path / "bad.yaml"
    path.write_text(MINIMAL + block + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_project(path)
    assert field in str(e.value) and "bad.yaml" in str(e.value)


def test_declared_power_just_below(tmp_path):
    # 5 x 3.6 MWe: 18 MW x 0.269 L/kWh x 0.8325 kg/L x 11.94 kWh/kg = 48.13 MW thermal, 3.7 % under 50 MW
    thermal = 18 * L_PER_KWH * DIESEL * 11.94
    assert thermal == pytest.approx(48.13, abs=0.01)
    r = _estimate(tmp_path, MINIMAL + "generators: {count: 5, unit_mw: 3.6}\n")
    assert r.central("generators_thermal_input_mw") == pytest.approx(thermal)
    t = icpe_report.table(r, "en")
    assert any("data sheets" in f and "3110" in f for f in t["findings"])
    # 4 x 3.6 MWe = 38.5 MW thermal, 23 % under: no finding
    t = icpe_report.table(_estimate(tmp_path, MINIMAL + "generators: {count: 4, unit_mw: 3.6}\n", "q.yaml"), "en")
    assert not t["findings"]


def test_a_ranged_stock_leaves_the_other_draws_unchanged(tmp_path):
    # The declared stock's inputs (icpe.*) are drawn after every other ranged input: the other
    # indicators' percentiles are the same with and without a ranged stock (same seed).
    base = MINIMAL + "generators: {count: 10, unit_mw: 2}\n"
    ranged = base + "fuel_storage: {hvo_m3: {low: 100, central: 150, high: 300}, diesel_m3: 50}\n"
    a, b = _estimate(tmp_path, base, "a.yaml"), _estimate(tmp_path, ranged, "b.yaml")
    for name in ("facility_energy_mwh", "generators_thermal_input_mw", "co2e_generators_t"):
        assert (a[name].low, a[name].high) == (b[name].low, b[name].high), name
    # the stock: 150 x 0.78 + 50 x 0.8325 = 158.6 t at the central volumes
    assert b.central("fuel_storage_t") == pytest.approx(150 * HVO + 50 * DIESEL)
    assert b["fuel_storage_m3"].low < b.central("fuel_storage_m3") < b["fuel_storage_m3"].high


def test_stock_hours(tmp_path):
    # 10 x 2 MWe with 129.12 m3 of diesel: 129.12 / (20 MW x 0.269 L/kWh) = 24 h of full load
    assert icpe.stock_autonomy_hours(129.12, 20.0, L_PER_KWH) == pytest.approx(24.0)
    r = _estimate(tmp_path, MINIMAL + "generators: {count: 10, unit_mw: 2}\nfuel_storage: {diesel_m3: 129.12}\n")
    t = icpe_report.table(r, "en")
    assert any("about 24 h" in _plain(f) and "20 MW" in _plain(f) and "as declared" in f for f in t["findings"])
