"""Facts real projects publish (issue 10, part 4): liquid cooling, generators of unknown number or
power, no or natural refrigerant, claims in any unit and on any indicator, heat reuse of unknown
share, the participation procedure, an announced power and its basis."""

import csv

import numpy as np
import pytest

import impact
from impact.claims import check_claims
from impact.errors import InputError
from impact.model import cooling
from impact.paths import data_dir
from impact.project import PROCEDURE_TYPES, load_project, parse_project_text
from impact.sources import reference as ref

from .conftest import MINIMAL, run_cli

# No location: no climate, the hourly model does not run (annual figures from the PUE).
NO_CLIMATE = """\
name: Test site
country: FR
year: 2024
"""
MARSEILLE = NO_CLIMATE + "location: {lat: 43.33, lon: 5.35}\n"

ALL_FACTS = """\
name: Campus
operator: Exemple SAS
city: Marseille
country: FR
location: {lat: 43.33, lon: 5.35}
year: 2027
announced_power: {value_mw: 200, basis: grid_connection, source: "press kit, 2025"}
cooling: {type: liquid_closed_loop, liquid_share: 0.8, liquid_class: W32}
generators: {count: unknown, unit_mw: unknown}
refrigerant: none
heat_reuse_share: unknown
procedure: {type: consultation_publique, start: 2025-03-01, end: 2025-05-31, authority: Prefecture, url: "https://example.org"}
claims:
  - {indicator: facility_energy_mwh, value: 1.2, unit: TWh, source: promoter}
  - {indicator: wue_l_per_kwh, value: 0, source: promoter}
  - {indicator: co2e_generators_t, value: 100, source: promoter}
  - {indicator: cooling_share_free, value: 95, unit: "%", source: promoter}
"""


def est(text, draws=400):
    return impact.estimate(parse_project_text(text, "test.yaml"), draws=draws)


def error(write_project, text):
    with pytest.raises(InputError) as info:
        load_project(write_project(text))
    return info.value.message


# ----------------------------------------------------------------------------- schema
@pytest.mark.parametrize(
    "extra, expected",
    [
        (
            "cooling: {type: air_chillers, liquid_share: 0.8}\n",
            "cooling: liquid_share only apply to liquid_closed_loop cooling, but type is air_chillers",
        ),
        ("cooling: {type: liquid_closed_loop, liquid_class: W99}\n", "liquid_class must be one of W17, W27, W32, W40"),
        (
            "cooling: {type: liquid_closed_loop, liquid_class: W32, liquid_supply_c: 30}\n",
            "give either liquid_supply_c or liquid_class, not both",
        ),
        ("cooling: {type: liquid_closed_loop, liquid_share: 1.5}\n", "cooling.liquid_share: must be"),
        ("generators: {count: 2}\n", "generators.unit_mw: is required but missing"),
        ("generators: {unit_mw: 2}\n", "generators.count: is required but missing"),
        ("generators: {count: many, unit_mw: 2}\n", "generators.count: must be a whole number, got 'many' (or unknown"),
        ("generators: {count: 10, unit_mw: 2, total_mw: 20}\n", "give either count x unit_mw or total_mw"),
        (
            "refrigerant: nothing\n",
            "refrigerant: must be a mapping such as {type: R134a, charge_kg: 3000}, none or unknown",
        ),
        ("refrigerant: {type: none, charge_kg: 10}\n", "refrigerant none has no charge nor leak rate"),
        ("refrigerant: {type: R999}\n", "unknown refrigerant 'R999'"),
        (
            "claims: [{indicator: facility_energy_mwh, value: 1, unit: kW, source: x}]\n",
            "claims[0].unit: unit 'kW' cannot be converted to the indicator's unit 'MWh'; expected one of: kWh, MWh, GWh, TWh",
        ),
        (
            "procedure: {type: enquete_publique, start: 2024-09-27, end: 2024-09-01}\n",
            "procedure: end (2024-09-01) must not be before start (2024-09-27)",
        ),
        (
            "procedure: {type: enquete_publique, start: 27/09/2024}\n",
            "procedure.start: must be a date written YYYY-MM-DD",
        ),
        ("procedure: {type: referendum}\n", "procedure.type: must be one of 'enquete_publique'"),
        ("announced_power: {value_mw: 200, basis: nameplate}\n", "announced_power.basis: must be one of 'it'"),
        ("announced_power: {basis: it}\n", "announced_power.value_mw: is required but missing"),
    ],
)
def test_bad_facts_name_the_field_and_the_form(write_project, extra, expected):
    assert expected in error(write_project, MINIMAL + extra)


def test_the_facts_load(write_project):
    p = load_project(write_project(ALL_FACTS))
    assert p.cooling.liquid_class == "W32" and p.generators.count is impact.ranges.UNKNOWN
    assert p.refrigerant.type == "none" and p.procedure.end.isoformat() == "2025-05-31"
    assert p.claims[0].value_in_indicator_unit == pytest.approx(1.2e6)  # 1.2 TWh = 1,200,000 MWh
    assert p.claims[3].value_in_indicator_unit == pytest.approx(0.95)  # 95 % = 0.95


@pytest.mark.parametrize(
    "written, canonical", [("R-744", "R744"), ("r717", "R717"), ("R 290", "R290"), ("R1270", "R1270")]
)
def test_natural_refrigerants_are_known(write_project, written, canonical):
    p = load_project(write_project(MINIMAL + f"refrigerant: {{type: {written}, charge_kg: 100}}\n"))
    assert p.refrigerant.type == canonical


def test_cli_refuses_a_bad_fact_with_exit_2(write_project):
    path = write_project(MINIMAL + "procedure: {type: enquete_publique, start: 2024-09-27, end: 2024-09-01}\n")
    out = run_cli("estimate", path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "procedure: end (2024-09-01) must not be before start (2024-09-27)" in out.stderr


# ----------------------------------------------------------------------------- GWP
def test_gwp_rows_against_the_cited_tables():
    # Regulation (EU) No 517/2014, Annex IV (AR4): propane R-290 3, ammonia R-717 0, propylene R-1270 2.
    # Regulation (EU) 2024/573, Annex VI (AR6): propane 0.02. CO2 is the reference gas: 1.
    assert ref.refrigerant_gwp("R290", "AR4").value.central == 3
    assert ref.refrigerant_gwp("R290", "AR6").value.central == 0.02
    assert ref.refrigerant_gwp("R717", "AR6").value.central == 0  # no AR6 row: the AR4 one
    assert ref.refrigerant_gwp("R1270", "AR6").value.central == 2
    assert ref.refrigerant_gwp("R744", "AR6").value.central == 1


def test_natural_refrigerant_leaks_by_hand():
    r = est(NO_CLIMATE + "it_capacity_mw: 10\nrefrigerant: {type: R290, charge_kg: 500, leak_rate_per_year: 0.1}\n")
    # 500 kg x 0.1 /yr x GWP 0.02 = 1 kg CO2e = 0.001 t
    assert r["co2e_refrigerant_t"].central == pytest.approx(0.001)


def test_no_refrigerant_means_no_leaks():
    r = est(NO_CLIMATE + "it_capacity_mw: 10\nrefrigerant: none\n")
    ind = r["co2e_refrigerant_t"]
    assert ind.central == 0 and ind.status == "estimated" and "no refrigerant" in ind.method
    assert r.inputs["refrigerant.type"].note_key == "note.refrigerant.none"
    assert "co2e_refrigerant_t" not in r["co2e_total_t"].missing


# ----------------------------------------------------------------------------- generators
def test_generators_of_unknown_number_have_default_emissions():
    # Issue 12 (item 5): the count stays unknown (declared so, and asked), the emissions come from
    # the default sizing (peak demand x N+1) instead of being left out of the total.
    r = est(
        NO_CLIMATE + "it_capacity_mw: 10\ngenerators: {count: unknown, unit_mw: 2.5}\n"
        "claims: [{indicator: co2e_generators_t, value: 5, source: x}]\n"
    )
    ind = r["co2e_generators_t"]
    assert ind.known and ind.status == "estimated"
    rec = r.inputs["generators.count"]
    assert rec.status == "unknown" and rec.declared_unknown and rec.note_key == "note.generators.count_unknown"
    sizing = r.inputs["generators.installed_to_peak_ratio"]
    assert sizing.status == "default" and sizing.declared_unknown
    assert "co2e_generators_t" not in r["co2e_total_t"].missing
    (check,) = check_claims(r)
    assert check.verdict != "not_verifiable"  # compared with the default estimate, like any default


def test_generators_total_power_by_hand():
    r = est(
        NO_CLIMATE + "it_capacity_mw: 10\ngenerators: {total_mw: 200, test_hours_per_year: 10, test_load_share: 0.5}\n"
    )
    fuel = ref.lookup("fuel", fuel="diesel", quantity="specific_consumption_full_load").value.central
    ef = ref.lookup("fuel", fuel="diesel", quantity="emission_factor").value.central
    # 200 MW x 10 h x 0.5 = 1,000 MWh = 1e6 kWh; x 0.269 L/kWh x 3.17 kg/L = 852,730 kg = 852.73 t
    assert fuel == 0.269 and ef == 3.17
    assert r["co2e_generators_t"].central == pytest.approx(1e6 * 0.269 * 3.17 / 1000)


# ----------------------------------------------------------------------------- heat reuse
def test_heat_reuse_of_unknown_share_gives_an_upper_bound():
    r = est(NO_CLIMATE + "it_capacity_mw: 10\npue: 1.5\nutilisation: 0.5\nheat_reuse_share: unknown\n")
    heat, energy = r["heat_rejected_mwh"], r["facility_energy_mwh"]
    # 10 MW x 0.5 x 8760 h x 1.5 = 65,700 MWh, all counted as rejected
    assert energy.central == pytest.approx(65700)
    assert heat.central == pytest.approx(65700) and heat.status == "partial" and "upper bound" in heat.note
    assert r["heat_reuse_potential_homes"].status == "partial"
    rec = r.inputs["heat_reuse_share"]
    assert rec.status == "unknown" and rec.declared_unknown and rec.value is None


def test_absent_heat_reuse_stays_none_declared():
    r = est(NO_CLIMATE + "it_capacity_mw: 10\n")
    rec = r.inputs["heat_reuse_share"]
    assert rec.status == "default" and rec.value.central == 0 and r["heat_rejected_mwh"].status == "estimated"


# ----------------------------------------------------------------------------- claims
def test_claim_in_gwh_is_converted():
    base = NO_CLIMATE + "it_capacity_mw: 10\npue: 1.5\nutilisation: 0.5\n"
    r = est(
        base + "claims:\n  - {indicator: facility_energy_mwh, value: 65.7, unit: GWh, source: x}\n"
        "  - {indicator: facility_energy_mwh, value: 50, unit: GWh, source: y}\n"
    )
    ok, low = check_claims(r)
    # 65.7 GWh = 65,700 MWh = 10 MW x 0.5 x 8760 h x 1.5
    assert ok.claimed == pytest.approx(65700) and ok.claimed_as_written == 65.7 and ok.unit_as_written == "GWh"
    assert ok.verdict == "consistent"
    assert low.claimed == pytest.approx(50000) and low.verdict == "optimistic" and low.reason == "below_range"


def test_wue_is_onsite_water_per_it_energy():
    r = est(
        NO_CLIMATE + "it_capacity_mw: 10\nutilisation: 0.5\nwue_l_per_kwh: 0.4\n"
        "claims: [{indicator: wue_l_per_kwh, value: 0.4, source: x}]\n"
    )
    water, it = r["water_onsite_m3"].central, r["it_energy_mwh"].central
    # 43,800 MWh x 0.4 L/kWh = 17,520 m3; 17,520 m3 / 43,800 MWh = 0.4 L/kWh
    assert it == pytest.approx(43800) and water == pytest.approx(17520)
    assert r["wue_l_per_kwh"].central == pytest.approx(water / it)
    assert check_claims(r)[0].reason == "echoes_input"  # the declared WUE itself


@pytest.mark.parametrize(
    "indicator, claimed, verdict",
    [
        ("wue_l_per_kwh", 1.0, "cautious"),  # more water than the estimate (0 to 0.38 L/kWh) does not flatter
        ("cooling_share_free", 0.5, "optimistic"),  # more free cooling than the estimate (none) flatters
        ("cooling_share_chillers", 0.5, "optimistic"),  # fewer chillers than the estimate (all) flatters
    ],
)
def test_the_side_that_flatters(indicator, claimed, verdict):
    r = est(
        MARSEILLE + "it_capacity_mw: 10\ncooling: {type: air_chillers}\n"
        f"claims: [{{indicator: {indicator}, value: {claimed}, source: x}}]\n"
    )
    assert check_claims(r)[0].verdict == verdict


def test_unknown_estimate_says_why():
    # A city that is no French commune: no climate, and no local figure to compare with.
    r = est(
        NO_CLIMATE + "city: Nowhere-sur-Rien\nit_capacity_mw: 10\ncooling: {type: dry_free_cooling}\nclaims:\n"
        "  - {indicator: cooling_saving_share, value: 0.3, source: x}\n"
        "  - {indicator: share_of_city_peak_demand, value: 1, unit: '%', source: y}\n"
    )
    saving, city = check_claims(r)
    assert saving.unknown_reason == "no_climate" and r.meta["cooling_model_reason"] == "no_climate"
    assert city.unknown_reason == "no_reference_data" and city.missing == ("city.peak_demand_mw",)


# ----------------------------------------------------------------------------- procedure
def test_procedure_table_covers_every_type():
    with (data_dir() / "reference" / "procedures.csv").open(encoding="utf-8") as f:
        rows = {r["type"]: r for r in csv.DictReader(f)}
    assert set(rows) == set(PROCEDURE_TYPES)
    assert {r["addressee"] for r in rows.values()} == {"commissaire_enqueteur", "garants", "autorite"}
    assert rows["concertation_prealable"]["addressee"] == "garants"
    assert "L. 181-10-1" in rows["consultation_publique"]["legal_basis"]


def test_procedure_default_is_an_enquete_publique():
    p = est(NO_CLIMATE + "it_capacity_mw: 10\n").meta["procedure"]
    assert p["type"] == "enquete_publique" and p["status"] == "default"
    assert p["addressee"] == "commissaire_enqueteur" and "L. 123-1" in p["legal_basis"]


@pytest.mark.parametrize(
    "kind, addressee",
    [
        ("concertation_prealable", "garants"),
        ("participation_electronique", "autorite"),
        ("consultation_publique", "commissaire_enqueteur"),
    ],
)
def test_procedure_given(kind, addressee):
    r = est(NO_CLIMATE + f"it_capacity_mw: 10\nprocedure: {{type: {kind}, start: 2025-01-10, end: 2025-02-10}}\n")
    p = r.meta["procedure"]
    assert p["addressee"] == addressee and p["status"] == "given"
    assert p["duration_days"] == 32  # 10 January to 10 February, both included: 22 + 10
    assert r.inputs["procedure.addressee"].value == addressee


# ----------------------------------------------------------------------------- announced power
def test_it_capacity_from_a_200_mw_grid_connection_without_climate():
    r = est(NO_CLIMATE + "announced_power: {value_mw: 200, basis: grid_connection}\n")
    rec = r.inputs["it_capacity_mw"]
    # 200 MW / PUE 1.1-1.2-1.4 (pue_defaults.csv, cooling unknown, 50 MW IT or more, first operated
    # from 2020: Meta 2022 buildings / hyperscale and EnEfG § 11 / LBNL 2024 US fleet): 142.9, 166.7, 181.8 MW
    assert rec.status == "derived" and rec.note_key == "note.it_capacity.from_announced_grid_connection"
    assert (rec.value.low, rec.value.central, rec.value.high) == pytest.approx((200 / 1.4, 200 / 1.2, 200 / 1.1))
    assert r.meta["announced_power"]["use"] == "it_capacity_derived"
    assert r["peak_demand_mw"].central == pytest.approx(200)


def test_it_capacity_from_a_grid_connection_with_the_hourly_model():
    r = est(MARSEILLE + "cooling: {type: dry_free_cooling}\nannounced_power: {value_mw: 200, basis: grid_connection}\n")
    rec = r.inputs["it_capacity_mw"]
    assert rec.note_key == "note.it_capacity.from_announced_grid_connection_modelled"
    # The site's power per MW of IT at full load on the hottest hours, straight from the cooling model:
    c = impact.estimate(
        parse_project_text(MARSEILLE + "it_capacity_mw: 1\ncooling: {type: dry_free_cooling}\n"), draws=100
    )
    per_mw = c["peak_demand_mw"].central
    assert rec.value.central == pytest.approx(200 / per_mw, rel=1e-9)
    assert r["peak_demand_mw"].central == pytest.approx(200, rel=1e-9)


def test_it_capacity_from_a_facility_power_and_a_declared_pue():
    r = est(NO_CLIMATE + "pue: 1.25\nannounced_power: {value_mw: 200, basis: facility}\n")
    assert r.inputs["it_capacity_mw"].value.central == pytest.approx(160)  # 200 / 1.25
    assert r["facility_power_mw"].central == pytest.approx(200)


def test_announced_power_checked_when_it_capacity_is_given():
    base = NO_CLIMATE + "it_capacity_mw: 22\npue: 1.3\n"
    # Peak = 22 MW x 1.3 = 28.6 MW
    low = est(base + "announced_power: {value_mw: 20, basis: grid_connection}\n").meta["announced_power"]
    assert low["use"] == "checked" and low["check"]["central"] == pytest.approx(28.6)
    assert low["check"]["verdict"] == "optimistic" and low["peak_exceeds_connection"] == "central"
    it = est(base + "announced_power: {value_mw: 25, basis: it}\n").meta["announced_power"]
    assert it["check"]["compared_with"] == "it_capacity_mw" and it["check"]["reason"] == "above_range"


def test_a_peak_above_the_announced_connection_is_flagged():
    r = est(NO_CLIMATE + "it_capacity_mw: 22\npue: 1.3\nannounced_power: {value_mw: 25, basis: grid_connection}\n")
    assert r["peak_demand_mw"].central == pytest.approx(28.6)
    assert "exceeds the announced grid connection (25 MW)" in r["peak_demand_mw"].note


# ----------------------------------------------------------------------------- liquid cooling
PARAMS = dict(
    supply_c=22.5,
    approach_k=5.2,
    band_k=11.0,
    chiller_approach_k=5.0,
    air_condenser_approach_k=15.0,
    tower_approach_k=3.9,
    adiabatic_effectiveness=0.7,
    aux_share=0.08,
    distribution_share=0.0417,
    cop_air_rated=2.8,
    t_air_rated_c=35.0,
    cop_water_rated=4.5,
    t_water_rated_c=29.4,
)
LIQUID = dict(share=0.75, supply_c=32.0, delta_t_k=10.0, dry_cooler_approach_k=10.0)


def test_liquid_loop_against_a_hand_calculation():
    t = np.array([10.0, 20.0, 27.0, 35.0])
    r = cooling.simulate(
        system="liquid_closed_loop",
        it_mw=10.0,
        temp_air_c=t,
        temp_wet_bulb_c=t - 3,
        hourly=True,
        liquid=LIQUID,
        **PARAMS,
    )
    # Load 10 x 1.0417 = 10.417 MW; liquid 0.75 x 10 = 7.5 MW; air 2.917 MW.
    q_liq, q_air = 7.5, 10.417 - 7.5
    # Air economiser: full below 22.5 - 5.2 = 17.3 °C, none above 28.3 °C: 1, 8.3/11, 1.3/11, 0.
    e_air = np.array([1.0, 8.3 / 11, 1.3 / 11, 0.0])
    # Dry coolers: full below 32 - 10 = 22 °C, none above 32 °C: 1, 1, 0.5, 0.
    e_liq = np.array([1.0, 1.0, 0.5, 0.0])
    # Carnot fraction at the AHRI point: 2.8 x (323.15 - 274.85) / 274.85.
    eta = 2.8 * (35 + 15 + 273.15 - (6.7 - 5 + 273.15)) / (6.7 - 5 + 273.15)
    # 1/COP = lift / (eta x T_evap): lift = max(T + 15 + 5 - T_water, 20) K.
    inv_air = np.maximum(t + 20 - 17.3, 20) / (eta * (17.3 - 5 + 273.15))
    inv_liq = np.maximum(t + 20 - 32.0, 20) / (eta * (32.0 - 5 + 273.15))
    chillers = q_air * (1 - e_air) * inv_air + q_liq * (1 - e_liq) * inv_liq
    h = r["hourly"]
    np.testing.assert_allclose(h["free_mw"], q_air * e_air + q_liq * e_liq, rtol=1e-9)
    np.testing.assert_allclose(h["chiller_power_mw"], chillers, rtol=1e-9)
    facility = 10 + chillers + 0.08 * 10.417 + 0.0417 * 10
    np.testing.assert_allclose(h["facility_mw"], facility, rtol=1e-9)
    assert r["pue"] == pytest.approx(facility.sum() / 40)
    assert r["water_mwh"] == 0 and r["liquid_free_mwh"] == pytest.approx(7.5 * 2.5)
    # Chillers alone on the same design temperatures, for the saving.
    assert r["saving_mwh"] == pytest.approx((q_air * inv_air + q_liq * inv_liq).sum() - chillers.sum())


def test_liquid_loop_draws_match_one_by_one():
    t = np.linspace(-5, 38, 200)
    share = np.array([[0.6], [0.9]])
    many = cooling.simulate(
        system="liquid_closed_loop",
        it_mw=5.0,
        temp_air_c=t,
        temp_wet_bulb_c=t - 2,
        liquid={**LIQUID, "share": share},
        **PARAMS,
    )
    for i, s in enumerate(share[:, 0]):
        one = cooling.simulate(
            system="liquid_closed_loop",
            it_mw=5.0,
            temp_air_c=t,
            temp_wet_bulb_c=t - 2,
            liquid={**LIQUID, "share": s},
            **PARAMS,
        )
        assert many["facility_mwh"][i] == pytest.approx(one["facility_mwh"], rel=1e-12)


def test_liquid_cooling_estimate_uses_its_defaults():
    r = est(MARSEILLE + "it_capacity_mw: 10\ncooling: {type: liquid_closed_loop}\n")
    assert r.meta["cooling_model"] == "hourly"
    for name, central in (
        ("cooling.liquid_share", 0.75),
        ("cooling.liquid_supply_c", 32),
        ("cooling.dry_cooler_approach_k", 10),
        ("cooling.liquid_delta_t_k", 10),
    ):
        assert r.inputs[name].status == "default" and r.inputs[name].value.central == central
    assert r["wue_l_per_kwh"].central == 0 and r["water_withdrawal_m3"].central == 0
    # Warmer water needs fewer chiller hours: the W40 class beats W27 on the same site.
    w27 = est(MARSEILLE + "it_capacity_mw: 10\ncooling: {type: liquid_closed_loop, liquid_class: W27}\n")
    w40 = est(MARSEILLE + "it_capacity_mw: 10\ncooling: {type: liquid_closed_loop, liquid_class: W40}\n")
    assert w40["pue"].central < w27["pue"].central
    assert w27.inputs["cooling.liquid_supply_c"].status == "derived"


# ----------------------------------------------------------------------------- end to end
def test_estimate_and_dossier_run_on_every_new_fact(tmp_path):
    path = tmp_path / "campus.yaml"
    path.write_text(ALL_FACTS, encoding="utf-8")
    out = run_cli("estimate", path, "--format", "json", "--draws", "200")
    assert out.returncode == 0, out.stderr
    import json

    data = json.loads(out.stdout)
    assert data["project"]["procedure"]["addressee"] == "commissaire_enqueteur"
    assert data["project"]["announced_power"]["use"] == "it_capacity_derived"
    assert data["indicators"]["co2e_generators_t"]["status"] == "estimated"  # issue 12: default sizing
    pdf = tmp_path / "campus.pdf"
    out = run_cli("dossier", path, "-o", pdf)
    assert out.returncode == 0, out.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_catalogue_files_have_the_same_keys_and_placeholders():
    import re

    import yaml

    root = data_dir().parent / "templates" / "catalogue"
    fr = yaml.safe_load((root / "fr" / "facts.yaml").read_text(encoding="utf-8"))
    en = yaml.safe_load((root / "en" / "facts.yaml").read_text(encoding="utf-8"))
    assert set(fr) == set(en)
    for key in fr:
        assert set(re.findall(r"{(\w+)}", fr[key])) == set(re.findall(r"{(\w+)}", en[key])), key
    for kind in PROCEDURE_TYPES:
        assert f"procedure.salutation.{kind}" in fr and f"procedure.description.{kind}" in fr
    assert fr["procedure.salutation.enquete_publique"] == "Madame, Monsieur le commissaire enquêteur,"


def test_mrs5_indicators_unchanged_by_the_facts(mrs5_path):
    # Snapshot of MRS5's indicators (2000 draws, default seed; file named after the commit it was made
    # on). A deliberate change of the model, the defaults or Marseille's climate regenerates it; the
    # facts must not change any existing indicator.
    import json
    from pathlib import Path

    snap = json.loads((Path(__file__).parent / "data" / "mrs5_indicators_27362de.json").read_text())
    r = impact.estimate(load_project(mrs5_path))
    # Regenerated for issue 12 (docs/ notes of each change), then when issue 13 added ranged inputs:
    # the draws of the others shift, their centrals are unchanged; regenerated at 8c32f4e when the
    # generators' air factors became EMEP/EEA's (docs/air-quality.md): only the five air indicators
    # changed among the 68 earlier ones, and the new indicators of issue 13 joined it (78).
    # Regenerated at 27362de when the cooling Monte Carlo moved to sorted sums in double precision
    # (issue 15, docs/performance.md): centrals identical to 2e-16, percentiles within 4.3e-7.
    for name, old in snap["indicators"].items():
        ind = r[name]
        assert ind.status == old["status"], name
        for side in ("low", "central", "high"):
            if old[side] is None:
                assert getattr(ind, side) is None, name
            else:
                # Same seed, same draws: exact but for floating-point summation order.
                rel = 1e-9
                assert getattr(ind, side) == pytest.approx(old[side], rel=rel), (name, side)


@pytest.mark.parametrize("block", ["generators", "refrigerant"])
def test_a_whole_block_declared_unknown(block):
    # « the dossier mentions generators / a refrigerant but gives nothing »: declared so (the
    # question is asked first); since issue 12 the emissions are a site-scaled default, not zero
    # and no longer left out of the total.
    r = est(NO_CLIMATE + f"it_capacity_mw: 10\n{block}: unknown\n")
    key = "generators.installed_to_peak_ratio" if block == "generators" else "refrigerant.type"
    rec = r.inputs[key]
    assert rec.status == "default" and rec.declared_unknown
    name = "co2e_generators_t" if block == "generators" else "co2e_refrigerant_t"
    assert r[name].known and r[name].central > 0
    absent = est(NO_CLIMATE + "it_capacity_mw: 10\n").inputs[key]
    assert absent.status == "default" and not absent.declared_unknown


def test_an_impossible_date_is_a_field_error_not_a_crash(write_project):
    from .conftest import run_cli

    path = write_project(NO_CLIMATE + "it_capacity_mw: 1\nprocedure: {type: enquete_publique, start: 2025-13-01}\n")
    r = run_cli("check", path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "procedure.start: must be a date written YYYY-MM-DD" in r.stderr
    ok = write_project(
        NO_CLIMATE + "it_capacity_mw: 1\nprocedure: {type: enquete_publique, start: 2025-10-06, end: 2025-11-07}\n",
        "ok.yaml",
    )
    assert run_cli("check", ok).returncode == 0
