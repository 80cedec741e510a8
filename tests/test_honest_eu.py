"""The EU reporting indicators (Commission Delegated Regulation (EU) 2024/1364, Annexes II-III),
checked against values computed by hand from the regulation's definitions:

- WUE = WIN / EIT (Annex III(b), EN 50600-4-9), WIN being "all water volumes that enter the data
  centre boundary and are used in relation to the data centre functions" (Annex II point 1(h)):
  river or sea water drawn is in it, and its part is shown beside the water used on site;
- ERF = EREUSE / EDC (Annex III(c), EN 50600-4-6);
- REF = ERES-TOT / EDC (Annex III(d), EN 50600-4-3);
- TWH, the average waste heat temperature: that of "the fluid used to cool the information and
  communication technology equipment", where it enters the computer room's heat exchangers
  (Annex II point 1(k)), not the river or sea water returned.

Text read in the regulation itself (the EUR-Lex/CELLAR text of CELEX 32024R1364 as reproduced by
legalize-dev/legalize-eu, eu/89/32024R1364.md).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

import impact
from impact.claims import check_claims
from impact.model import eu as eu_model
from impact.project import load_project

ROOT = Path(__file__).resolve().parent.parent
MRS5 = ROOT / "data" / "projects" / "mrs5.yaml"
MRS6 = ROOT / "data" / "projects" / "cases" / "mrs6-bouc-bel-air.yaml"


def _cooling_parameter(name: str) -> float:
    """The central value of ``name`` in data/reference/cooling_parameters.csv (the cited table)."""
    with (ROOT / "data" / "reference" / "cooling_parameters.csv").open(encoding="utf-8") as f:
        return next(float(row["value"]) for row in csv.DictReader(f) if row["parameter"] == name)


# A river-cooled site with every figure declared: each EU figure follows by hand.
DECLARED = """\
name: EU test site
country: FR
location: {lat: 43.33, lon: 5.35}
year: 2026
it_capacity_mw: 10
utilisation: 0.5
pue: 1.4
wue_l_per_kwh: 0.2
cooling: {type: river, water_flow_m3_per_h: 1000, water_in_c: 15, water_out_c: 25, coverage_share: 0.3}
grid: {renewable_contract_share: 0.6}
heat_reuse_share: 0.25
claims:
  - {indicator: renewable_energy_factor, value: 1.0, source: "test"}
  - {indicator: energy_reuse_factor, value: 0.25, source: "test"}
  - {indicator: waste_heat_temperature_c, value: 25, source: "test"}
  - {indicator: wue_win_l_per_kwh, value: 0.2, source: "test"}
"""

# By hand: EIT = 10 MW x 0.5 x 8760 h = 43,800 MWh; EDC = EIT x 1.4 = 61,320 MWh.
EIT_MWH = 10 * 0.5 * 8760
EDC_MWH = EIT_MWH * 1.4


@pytest.fixture(scope="module")
def declared(tmp_path_factory):
    path = tmp_path_factory.mktemp("eu") / "declared.yaml"
    path.write_text(DECLARED, encoding="utf-8")
    return impact.estimate(load_project(path), draws=200)


@pytest.fixture(scope="module")
def mrs5():
    return impact.estimate(load_project(MRS5), draws=200)


@pytest.fixture(scope="module")
def mrs6():
    return impact.estimate(load_project(MRS6), draws=200)


# ----------------------------------------------------------------------------- equations
def test_the_equations_by_hand():
    # 2,000,000 m3 over 100,000 MWh: 2e9 L / 1e8 kWh = 20 L/kWh.
    assert eu_model.water_per_it_kwh_l(2.0e6, 1.0e5) == pytest.approx(20.0)
    # 3/4 of the heat at 42 °C, 1/4 at 33.5 °C: 31.5 + 8.375 = 39.875 °C.
    assert eu_model.mixed_temperature_c(0.75, 42.0, 33.5) == pytest.approx(39.875)


# ----------------------------------------------------------------------------- a declared site
def test_declared_site_wue_is_win_over_eit_and_once_through_is_beside_it(declared):
    assert declared["it_energy_mwh"].central == pytest.approx(EIT_MWH)
    # WIN = EIT x 0.2 L/kWh = 8,760 m3; WUE = WIN / EIT = 0.2 L/kWh.
    assert declared["water_onsite_m3"].central == pytest.approx(EIT_MWH * 0.2)
    assert declared["wue_l_per_kwh"].central == pytest.approx(0.2)
    # Once through: 1000 m3/h x 8760 h = 8.76e6 m3 over 43,800 MWh = 200 L/kWh, not in the WUE.
    assert declared["wue_once_through_l_per_kwh"].central == pytest.approx(1000 * 8760 / EIT_MWH)
    assert declared["wue_once_through_l_per_kwh"].central == pytest.approx(200.0)
    assert declared["wue_once_through_l_per_kwh"].status == "estimated"


def test_declared_site_erf_and_ref(declared):
    # EREUSE = EDC x 0.25 = 15,330 MWh; ERF = EREUSE / EDC = 0.25.
    assert declared["facility_energy_mwh"].central == pytest.approx(EDC_MWH)
    assert declared["heat_reused_mwh"].central == pytest.approx(15330.0)
    assert declared["energy_reuse_factor"].central == pytest.approx(0.25)
    # ERES-TOT = EDC x 0.6 = 36,792 MWh; REF = 0.6.
    assert declared["renewable_energy_mwh"].central == pytest.approx(36792.0)
    assert declared["renewable_energy_factor"].central == pytest.approx(0.6)
    # The heat reused and the heat rejected add up to the site's electricity (all of it becomes heat).
    total = declared["heat_reused_mwh"].central + declared["heat_rejected_mwh"].central
    assert total == pytest.approx(EDC_MWH)


def test_declared_site_wue_of_the_regulation_counts_the_river_water(declared):
    # WIN = water used on site + river water drawn = 0.2 L/kWh x EIT + 1000 m3/h x 8760 h;
    # WUE = WIN / EIT (m3 / MWh = L/kWh) = 0.2 + 200 = 200.2 L/kWh (Annex II 1(h), Annex III(b)).
    win_m3 = 0.2 * EIT_MWH + 1000 * 8760
    assert declared["water_withdrawal_m3"].central == pytest.approx(win_m3)
    assert declared["wue_win_l_per_kwh"].central == pytest.approx(win_m3 / EIT_MWH)
    assert declared["wue_win_l_per_kwh"].central == pytest.approx(200.2)
    # Its two parts, beside it, add up to it.
    parts = declared["wue_l_per_kwh"].central + declared["wue_once_through_l_per_kwh"].central
    assert parts == pytest.approx(declared["wue_win_l_per_kwh"].central)


def test_declared_site_waste_heat_is_the_it_side_not_the_returned_water(declared):
    # Annex II 1(k): the fluid that cools the IT equipment (here air: supply + rise across the IT,
    # cooling_parameters.csv), not the declared 25 °C of the river water on the far side of the exchangers.
    expected = _cooling_parameter("supply_c") + _cooling_parameter("band_k")
    assert declared["waste_heat_temperature_c"].central == pytest.approx(expected)
    assert declared["waste_heat_temperature_c"].central != pytest.approx(25.0)


def test_claims_on_declaration_only_figures_are_not_verifiable(declared):
    checks = {c.indicator: c for c in check_claims(declared)}
    # A REF of 100 % against a declared 60 %: the tool has no figure of its own on contracts.
    assert checks["renewable_energy_factor"].verdict == "not_verifiable"
    assert checks["renewable_energy_factor"].reason == "declaration_only"
    assert checks["energy_reuse_factor"].reason == "declaration_only"
    # The waste-heat temperature is an estimate of its own (the IT side), not the declared return:
    # a claimed 25 °C is below its range (warmer heat flatters a project: 25 °C is cautious).
    assert declared["waste_heat_temperature_c"].low > 25.0
    assert checks["waste_heat_temperature_c"].verdict == "cautious"
    # « WUE 0.2 » for a river-cooled site, against the regulation's WIN / EIT of 200.2 L/kWh: optimistic.
    assert checks["wue_win_l_per_kwh"].verdict == "optimistic"


# ----------------------------------------------------------------------------- MRS5
def test_mrs5_ref_erf_and_once_through(mrs5):
    # « 100 % renewable » contracts: ERES-TOT = EDC, REF = 1; no heat reuse declared: ERF = 0.
    edc = mrs5["facility_energy_mwh"].central
    assert mrs5["renewable_energy_factor"].central == pytest.approx(1.0)
    assert mrs5["renewable_energy_mwh"].central == pytest.approx(edc)
    assert mrs5["energy_reuse_factor"].central == 0.0
    assert mrs5["heat_reused_mwh"].central == 0.0
    # EDC by hand: 22 MW x utilisation x 8760 h x the declared PUE 1.3.
    u = mrs5.inputs["utilisation"].value.central
    assert edc == pytest.approx(22 * u * 8760 * 1.3)
    # Mine water returned to the port, per IT kWh: m3 / MWh = L / kWh.
    once = mrs5["water_returned_m3"].central / mrs5["it_energy_mwh"].central
    assert mrs5["wue_once_through_l_per_kwh"].central == pytest.approx(once)
    assert once > 10 * max(mrs5["wue_l_per_kwh"].high, 0.1)  # far larger than any on-site WUE: kept apart
    assert mrs5["wue_once_through_l_per_kwh"].status == "estimated"  # the flow is derived, not missing
    # The regulation's WUE counts the mine water drawn: WIN / EIT = its two parts added.
    win = mrs5["water_withdrawal_m3"].central / mrs5["it_energy_mwh"].central
    assert mrs5["wue_win_l_per_kwh"].central == pytest.approx(win, rel=1e-6)
    # TWH: the IT exhaust air (Annex II 1(k)), not the declared 30 °C return of the mine water.
    expected = _cooling_parameter("supply_c") + _cooling_parameter("band_k")
    assert mrs5["waste_heat_temperature_c"].central == pytest.approx(expected)


# ----------------------------------------------------------------------------- other cooling
def test_mrs6_dry_free_cooling_waste_heat_is_the_it_exhaust_air(mrs6):
    # Supply air + its rise across the IT equipment, both from cooling_parameters.csv (ASHRAE TC 9.9
    # recommended inlet; typical rise): 22.5 + 11 = 33.5 °C with the table of this writing.
    expected = _cooling_parameter("supply_c") + _cooling_parameter("band_k")
    assert mrs6["waste_heat_temperature_c"].central == pytest.approx(expected)
    assert mrs6["wue_once_through_l_per_kwh"].central == 0.0  # no river or sea water
    assert mrs6["renewable_energy_factor"].central == pytest.approx(1.0)  # « la totalité ... renouvelable »


def test_liquid_loop_waste_heat_is_the_heat_weighted_mean(write_project):
    r = impact.estimate(
        load_project(
            write_project(
                "name: x\ncountry: FR\nlocation: {lat: 50.69, lon: 3.18}\nyear: 2026\nit_capacity_mw: 5\n"
                "cooling: {type: liquid_closed_loop}\n"
            )
        ),
        draws=100,
    )
    share = _cooling_parameter("liquid_share")
    liquid = _cooling_parameter("liquid_supply_c") + _cooling_parameter("liquid_delta_t_k")
    air = _cooling_parameter("supply_c") + _cooling_parameter("band_k")
    assert r["waste_heat_temperature_c"].central == pytest.approx(share * liquid + (1 - share) * air)
    # Nothing declared: no contract, no reuse counted.
    assert r["renewable_energy_factor"].central == 0.0
    assert r["energy_reuse_factor"].central == 0.0


def test_reuse_announced_without_a_share_leaves_erf_unknown(write_project):
    r = impact.estimate(
        load_project(write_project("name: x\ncountry: FR\nyear: 2026\nit_capacity_mw: 5\nheat_reuse_share: unknown\n")),
        draws=100,
    )
    assert r["energy_reuse_factor"].status == "unknown"
    assert "heat_reuse_share" in r["energy_reuse_factor"].missing
    # No cooling described: the waste-heat temperature is unknown and says why.
    assert r["waste_heat_temperature_c"].status == "unknown"
    assert "cooling.type" in r["waste_heat_temperature_c"].missing


def test_a_claimed_waste_heat_above_what_air_cooling_gives_is_optimistic(write_project):
    r = impact.estimate(
        load_project(
            write_project(
                "name: x\ncountry: FR\nlocation: {lat: 43.42, lon: 5.39}\nyear: 2026\nit_capacity_mw: 5\n"
                "cooling: {type: dry_free_cooling}\nclaims:\n"
                "  - {indicator: waste_heat_temperature_c, value: 60, source: test}\n"
                "  - {indicator: waste_heat_temperature_c, value: 33.5, source: test}\n"
            )
        ),
        draws=200,
    )
    high, central = check_claims(r)
    # 60 °C from air cooling without a heat pump lies above the range (supply 18-27 + rise 8-15 °C).
    assert r["waste_heat_temperature_c"].high < 60
    assert (high.verdict, high.reason) == ("optimistic", "above_range")
    assert central.verdict == "consistent"


# ----------------------------------------------------------------------------- dossier
def test_the_dossier_table_says_published_estimated_or_unknown(mrs5):
    from impact.report import eu

    rows = {r["item"]: r for r in eu.table(mrs5, "fr")["rows"]}
    pue = rows["Indicateur d'efficacité énergétique, PUE = EDC / EIT (annexe III a), EN 50600-4-2)"]
    assert pue["published"] == "1,30"  # « 1.3 max », as declared
    ref = rows["Facteur d'énergie renouvelable, REF = ERES-TOT / EDC (annexe III d), EN 50600-4-3)"]
    assert ref["published"] == "100\u00a0%"
    assert "d'après la déclaration" in ref["estimated"]
    erf = rows["Facteur de réutilisation de l'énergie, ERF = EREUSE / EDC (annexe III c), EN 50600-4-6)"]
    assert erf["published"] == "non publié" and "rien de déclaré" in erf["estimated"]
    wue = rows["Efficacité d'usage de l'eau, WUE = WIN / EIT (annexe III b), EN 50600-4-9)"]
    assert wue["published"] == "non publié"
    onsite = rows["dont : eau utilisée sur le site (eau de rivière ou de mer rendue non comptée), par kWh informatique"]
    assert onsite["published"] == "non publié"  # `wue_l_per_kwh: unknown` in mrs5.yaml
    assert rows["Apport total d'eau potable (WIN-POT, point 1 i))"]["estimated"] == "non estimé par cet outil"
    twh = rows[
        "Température moyenne de la chaleur fatale (TWH, point 1 k)) : le fluide qui refroidit les équipements "
        "informatiques, à l'entrée des échangeurs de la salle"
    ]
    assert twh["published"] == "non publié"  # the declared 30 °C return is not the TWH
    refrigerant = rows["Types de fluides frigorigènes (point 1 m))"]
    assert refrigerant["published"] == "non publié"
    assert eu.table(mrs5, "fr")["once_through"]  # river cooling: the note on once-through water


def test_the_dossier_table_of_an_air_cooled_site(mrs6):
    from impact.report import eu

    table = eu.table(mrs6, "en")
    assert not table["once_through"]  # no river or sea water: no note about it
    rows = {r["item"]: r for r in table["rows"]}
    twh = (
        "Average waste heat temperature (TWH, point 1(k)): the fluid that cools the IT equipment, "
        "where it enters the computer room's heat exchangers"
    )
    assert rows[twh]["published"] == "not published"
    assert "°C" in rows[twh]["estimated"]
    assert (
        "from the promoter's declaration"
        in rows["Renewable energy factor, REF = ERES-TOT / EDC (Annex III(d), EN 50600-4-3)"]["estimated"]
    )


def test_the_dossier_shows_the_section_in_both_languages(mrs5):
    from impact.report.dossier import build_context, render_html

    from .test_words import FIGURES  # the figures the template may show (none drawn here)

    # « déclarer », not « publier »: the regulation asks for a report to the database, which keeps each
    # site's figures confidential (Article 5(5)); publication is the directive's (2023/1791, Article 12).
    for lang, heading in (
        ("fr", "Ce que le règlement européen demande de déclarer"),
        ("en", "asks operators to report"),
    ):
        context = build_context(
            mrs5,
            [],
            check_claims(mrs5),
            {k: None for k in FIGURES},
            lang=lang,
            author=None,
            date=dt.date(2026, 11, 25),
            fingerprint="0" * 16,
        )
        html = render_html(context)
        assert heading in html
        assert "2024/1364" in html
        assert "5(5)" in html or "paragraphe 5" in html


def test_zero_load_keeps_the_shares_and_leaves_per_kwh_undefined(write_project):
    # utilisation 0: EDC = EIT = 0. ERF and REF are (EDC x share) / EDC, i.e. the shares; water per
    # IT kWh with no IT kWh is undefined: unknown, never infinite.
    r = impact.estimate(
        load_project(
            write_project(
                "name: x\ncountry: FR\nlocation: {lat: 45.76, lon: 4.84}\nyear: 2026\nit_capacity_mw: 10\n"
                "utilisation: 0\nheat_reuse_share: 0.3\ngrid: {renewable_contract_share: 0.5}\n"
                "cooling: {type: river, water_flow_m3_per_h: 100, water_in_c: 12, water_out_c: 20}\n"
            )
        ),
        draws=100,
    )
    assert r["facility_energy_mwh"].central == 0
    assert r["energy_reuse_factor"].central == pytest.approx(0.3)
    assert r["renewable_energy_factor"].central == pytest.approx(0.5)
    assert r["heat_reused_mwh"].central == 0
    assert r["wue_once_through_l_per_kwh"].status == "unknown"
    assert r["wue_win_l_per_kwh"].status == "unknown"
