"""Cumulative effects with the other data centres of a registry (issue 13, item 7; docs/cumulative.md).

The expected sums are computed by hand in the tests from the definitions the engine documents
(data/schema/indicators.csv): IT energy = IT capacity x utilisation x 8,760 h, site electricity =
IT energy x PUE, site power at full IT load = IT capacity x PUE. Every test site gives its
utilisation and PUE as point values, so the central values are exact (tolerance 1e-9 relative).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import impact
from impact.claims import check_claims
from impact.cumulative import cumulative, for_dossier, is_project
from impact.errors import InputError
from impact.model.cumulative import comonotonic_sum
from impact.model.uncertainty import percentiles
from impact.project import load_project, parse_project_text
from impact.sources import france
from impact.sources.registry import read_registry
from impact.validation import validate

HOURS = 8760
PROJECT = """\
name: Cumul test
country: FR
city: Marseille
location: {lat: 43.33, lon: 5.35}
year: 2027
it_capacity_mw: 10
utilisation: 0.5
pue: 1.5
building: {site_area_m2: 10000}
"""
HEADER = (
    "name,city,country,status,year,it_capacity_mw,utilisation,pue,location.lat,location.lon,building.site_area_m2\n"
)
ROWS = [
    # A: operating, in the commune (placed by its city's name), opened after the 2021 consumption figure.
    "Site A,Marseille,FR,operating,2023,4,0.5,1.5,,,20000",
    # B: planned, in the département (Aubagne, Bouches-du-Rhône), not in the commune; no site area.
    "Site B,Aubagne,FR,planned,,2,0.6,1.2,,,",
    # The project itself, twice: by its name (other case and accents aside), and 30 m from its point.
    "CUMUL TEST,Marseille,FR,planned,,10,0.5,1.5,,,",
    "Another name,Marseille,FR,planned,,10,0.5,1.5,43.3302,5.3502,",
    # A bad row (its power is not a number): listed, not estimated, never fatal.
    "Site E,Marseille,FR,operating,,lots,,,,,",
    # In another département (Rhône): not counted.
    "Site F,Lyon,FR,operating,,5,0.5,1.5,,,",
    # A city no commune bears: not placed, named in a note.
    "Site G,Nowhereville,FR,planned,,5,0.5,1.5,,,",
]

# By hand (see the module docstring).
E_PROJECT = 10 * 0.5 * HOURS * 1.5  # 65,700 MWh
E_A = 4 * 0.5 * HOURS * 1.5  # 26,280 MWh
E_B = 2 * 0.6 * HOURS * 1.2  # 12,614.4 MWh
P_PROJECT, P_A, P_B = 10 * 1.5, 4 * 1.5, 2 * 1.2  # 15, 6, 2.4 MW


@pytest.fixture
def case(tmp_path):
    project = tmp_path / "project.yaml"
    project.write_text(PROJECT, encoding="utf-8")
    registry = tmp_path / "registry.csv"
    registry.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    results = impact.estimate(load_project(project), draws=200)
    rows = read_registry(registry, errors="collect")
    return results, rows, cumulative(results, rows, registry.name)


def test_the_comonotonic_sum_adds_sorted_draws_rank_by_rank():
    # By hand: sorted [1, 2, 3] + sorted [10, 20, 30] + 5 = [16, 27, 38].
    total = comonotonic_sum([np.array([3.0, 1.0, 2.0]), np.array([30.0, 10.0, 20.0]), 5.0], 3)
    assert total.tolist() == [16.0, 27.0, 38.0]
    # So the total's percentiles are the sum of the sites' percentiles (the widest range).
    rng = np.random.default_rng(1)
    a, b = rng.normal(10, 1, 500), rng.uniform(0, 4, 500)
    lo, hi = percentiles(comonotonic_sum([a, b], 500))
    (alo, ahi), (blo, bhi) = percentiles(a), percentiles(b)
    assert lo == pytest.approx(alo + blo, rel=1e-9) and hi == pytest.approx(ahi + bhi, rel=1e-9)
    # Fewer draws for one site: its quantiles at (k + 1/2) / 4 = 0.125, 0.375, 0.625, 0.875 of [10, 20]
    # (empirical inverse CDF: F(10) = 0.5) are 10, 10, 20, 20; with sorted [1, 2, 3, 4]: [11, 12, 23, 24].
    assert comonotonic_sum([np.array([4.0, 3.0, 2.0, 1.0]), np.array([20.0, 10.0])], 4).tolist() == [11, 12, 23, 24]
    with pytest.raises(ValueError):
        comonotonic_sum([np.zeros(0)], 3)


def test_the_sums_match_the_hand_computed_values(case):
    results, _, cum = case
    assert results["facility_energy_mwh"].central == pytest.approx(E_PROJECT, rel=1e-9)
    assert [s.name for s in cum.sites] == ["Site A", "Site B", "Site E"]
    ind, t = cum.indicators, cum.totals
    assert ind["cumulative_facility_energy_mwh"].central == pytest.approx(E_PROJECT + E_A + E_B, rel=1e-9)
    assert ind["cumulative_operating_facility_energy_mwh"].central == pytest.approx(E_A, rel=1e-9)
    assert ind["cumulative_added_facility_energy_mwh"].central == pytest.approx(E_PROJECT + E_B, rel=1e-9)
    assert ind["cumulative_facility_power_mw"].central == pytest.approx(P_PROJECT + P_A + P_B, rel=1e-9)
    assert ind["cumulative_commune_facility_energy_mwh"].central == pytest.approx(E_PROJECT + E_A, rel=1e-9)
    assert t[("commune", "all", "facility_power_mw")].central == pytest.approx(P_PROJECT + P_A, rel=1e-9)
    # Heat rejected: first law, no heat reuse declared by any site, so the electricity itself.
    assert ind["cumulative_heat_rejected_mwh"].central == pytest.approx(E_PROJECT + E_A + E_B, rel=1e-9)
    # Land: B gives no site area, so the total is partial, 10,000 + 20,000 m², and names B.
    land = ind["cumulative_land_site_m2"]
    assert land.central == pytest.approx(30000.0) and land.status == "partial" and land.missing == ("Site B",)
    # Shares of the département's electricity (Agence ORE, 2021, all sectors: france.electricity).
    whole = france.electricity("13")["total_mwh"]
    share = ind["cumulative_share_of_departement_electricity"]
    assert share.central == pytest.approx((E_PROJECT + E_A + E_B) / whole, rel=1e-9)
    added = ind["cumulative_added_share_of_departement_electricity"]
    assert added.central == pytest.approx((E_PROJECT + E_B) / whole, rel=1e-9)
    assert cum.reference["departement_year"] == 2021
    for i in ind.values():
        assert i.low <= i.central <= i.high


def test_the_project_is_counted_once_and_other_rows_are_sorted_out(case):
    results, _, cum = case
    assert cum.project_rows == [(3, "CUMUL TEST"), (4, "Another name")]
    assert cum.elsewhere == 1  # Site F, in the Rhône
    assert [(row, name) for row, name, _, _ in cum.unplaced] == [(7, "Site G")]
    assert cum.unplaced[0][3] == "city_not_found"
    other = parse_project_text(
        "name: X\ncountry: FR\nlocation: {lat: 43.331, lon: 5.35}\nit_capacity_mw: 1\n", "x.yaml"
    )
    assert not is_project(results.project, other)  # 111 m away: another site


def test_a_bad_row_is_listed_not_estimated_and_left_out(case):
    _, rows, cum = case
    assert [n for n, _ in rows.errors] == [5]
    e = next(s for s in cum.sites if s.name == "Site E")
    assert not e.ok and e.same_commune
    # The reason names the file, the row, its line and the column.
    assert "registry.csv row 5 (line 6): it_capacity_mw" in e.error
    # Left out of the sums: the operating total is Site A's alone.
    assert cum.indicators["cumulative_operating_facility_energy_mwh"].central == pytest.approx(E_A, rel=1e-9)


def test_a_site_the_engine_cannot_estimate_is_listed_with_its_reason(tmp_path):
    project = tmp_path / "p.yaml"
    project.write_text(PROJECT, encoding="utf-8")
    results = impact.estimate(load_project(project), draws=100)
    registry = tmp_path / "r.csv"
    registry.write_text(HEADER + "\n".join(ROWS[:2]) + "\n", encoding="utf-8")

    class Failed:
        ok, results, error = False, None, "RuntimeError: boom"

    cum = cumulative(results, read_registry(registry, errors="collect"), "r.csv", estimate_site=lambda *a: Failed())
    assert [s.error for s in cum.sites] == ["RuntimeError: boom"] * 2
    assert cum.indicators["cumulative_facility_energy_mwh"].central == pytest.approx(E_PROJECT, rel=1e-9)


def test_a_broken_registry_is_an_input_error_naming_file_and_line(tmp_path):
    registry = tmp_path / "broken.csv"
    registry.write_text(HEADER + ROWS[0] + ",extra,cells\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_registry(registry, errors="collect")
    assert "broken.csv" in str(e.value) and "line 2" in str(e.value)


def _html(results, cum, lang):
    from impact.report.dossier import build_context, render_html

    from .test_words import FIGURES

    context = build_context(
        results,
        [],
        check_claims(results),
        {k: None for k in FIGURES},
        lang=lang,
        author=None,
        date=dt.date(2026, 12, 2),
        fingerprint="0" * 16,
        cumulative=cum,
    )
    return context, render_html(context)


def test_the_section_in_french_and_english(case):
    results, _, cum = case
    for lang, heading, words in (
        ("fr", "Effets cumulés avec les autres centres de données", ("non estimé", "Total du département : 3 sites")),
        (
            "en",
            "Cumulative effects with the other data centres",
            ("not estimated", "Total for the département: 3 sites"),
        ),
    ):
        context, html = _html(results, cum, lang)
        assert heading in html
        for w in words:
            assert w in html, w
        assert "Site A" in html and "Site B" in html and "Nowhereville" not in html
        # Site A opened in 2023, after the 2021 figure: said so.
        assert any("Site A" in p and "2021" in p for p in context["cumulative"]["findings"])
        # Site B is planned in the département: the cumulative study is asked for, in the list of questions too.
        assert sum("Site B" in q and "R. 122-5" in q for q in context["questions"]) == 1
        # The département's total is a finding of the draft contribution too.
        said = {"fr": "livrée dans le département en 2021", "en": "delivered in the département in 2021"}[lang]
        assert said in context["cumulative"]["headline"][0] and said in context["contribution"]


def test_without_a_registry_the_section_says_so_and_asks(case):
    results, _, _ = case
    context, html = _html(results, None, "fr")
    assert "Aucun registre des centres de données n&#39;a été donné" in html
    assert context["questions"][-1].startswith("Quels autres centres de données")


def test_a_project_outside_france_adds_nothing_up(tmp_path):
    p = parse_project_text("name: Abroad\ncountry: DE\nlocation: {lat: 52.5, lon: 13.4}\nit_capacity_mw: 5\n", "a.yaml")
    results = impact.estimate(p, draws=100)
    registry = tmp_path / "r.csv"
    registry.write_text(HEADER + ROWS[0] + "\n", encoding="utf-8")
    cum = cumulative(results, read_registry(registry, errors="collect"), "r.csv")
    assert not cum.placed and cum.sites == [] and cum.indicators == {}
    from impact.report.cumulative import questions, section

    assert questions(cum, "en") == [] and "could not be placed" in section(cum, results, "en")["paragraphs"][0]


def test_for_dossier_reads_the_context_registry(tmp_path):
    registry = tmp_path / "reg.csv"
    registry.write_text(HEADER + ROWS[0] + "\n", encoding="utf-8")
    project = tmp_path / "p.yaml"
    project.write_text(PROJECT + "context: {registry: reg.csv}\n", encoding="utf-8")
    resolved = validate(project)
    results = impact.estimate(resolved, draws=100)
    cum = for_dossier(results, resolved)
    assert cum is not None and cum.registry == "reg.csv" and [s.name for s in cum.sites] == ["Site A"]
    bare = tmp_path / "bare.yaml"
    bare.write_text(PROJECT, encoding="utf-8")
    r2 = validate(bare)
    assert for_dossier(impact.estimate(r2, draws=100), r2) is None


def test_the_attached_csv_has_the_sites_and_the_totals(case):
    import io

    import pandas as pd

    from impact.report.cumulative import attachments

    _, _, cum = case
    ((name, data, _),) = attachments(cum, "project")
    assert name == "project-cumulative.csv"
    frame = pd.read_csv(io.BytesIO(data))
    sites = frame[frame["level"] == "site"]
    assert sites["name"].tolist() == ["Site A", "Site B", "Site E"]
    assert sites.set_index("name").loc["Site E", "result"].startswith("not estimated")
    total = frame[(frame["level"] == "total") & (frame["scope"] == "departement") & (frame["group"] == "all")]
    assert total["facility_energy_mwh"].iloc[0] == pytest.approx(E_PROJECT + E_A + E_B, rel=1e-9)
    assert "land_site_m2: partial" in total["result"].iloc[0]
    assert attachments(None, "project") == []


def test_a_row_of_the_same_operator_in_the_commune_without_coordinates_is_flagged(tmp_path):
    from impact.report.cumulative import section

    project = tmp_path / "p.yaml"
    project.write_text(PROJECT + "operator: Op X\n", encoding="utf-8")
    results = impact.estimate(load_project(project), draws=100)
    registry = tmp_path / "r.csv"
    registry.write_text(
        "name,operator,city,country,status,it_capacity_mw\n"
        "Phase 2,OP X,Marseille,FR,planned,3\n"  # same operator (case aside), same commune: flagged
        "Other,Op Y,Marseille,FR,planned,3\n"  # another operator: not flagged
        "Far,Op X,Aubagne,FR,planned,3\n",  # another commune: not flagged
        encoding="utf-8",
    )
    cum = cumulative(results, read_registry(registry, errors="collect"), "r.csv")
    assert [(s.name, s.maybe_project) for s in cum.sites] == [("Phase 2", True), ("Other", False), ("Far", False)]
    paragraphs = section(cum, results, "en")["paragraphs"]
    assert sum("Phase 2" in p and "same operator" in p for p in paragraphs) == 1
    # Still counted: three sites of 3 MW each besides the project.
    assert len([s for s in cum.sites if s.ok]) == 3


def test_a_city_name_alone_is_placed_with_the_projects_departement(tmp_path):
    # « Saint-Denis » is the name of several communes (93066 in the Seine-Saint-Denis, 11339, 30247...
    # impact.site says city_ambiguous): beside a project in the Seine-Saint-Denis it is 93066; beside a
    # project in the Bouches-du-Rhône it stays unplaced. « Marseille 2e » is the commune of Marseille.
    registry = tmp_path / "r.csv"
    registry.write_text(
        "name,city,country,status,it_capacity_mw\nSD,Saint-Denis,FR,planned,3\nM2,Marseille 2e,FR,operating,3\n",
        encoding="utf-8",
    )
    rows = read_registry(registry, errors="collect")
    near_paris = PROJECT.replace("city: Marseille", "city: Dugny").replace(
        "{lat: 43.33, lon: 5.35}", "{lat: 48.949, lon: 2.4226}"
    )
    for text, placed, unplaced in ((near_paris, ["SD"], []), (PROJECT, ["M2"], ["SD"])):
        results = impact.estimate(parse_project_text(text, "p.yaml"), draws=100)
        cum = cumulative(results, rows, "r.csv")
        assert [s.name for s in cum.sites] == placed
        assert [u[1] for u in cum.unplaced] == unplaced
    assert cum.sites[0].commune.code == "13055" and cum.sites[0].same_commune


def test_the_users_own_departement_figure_is_the_one_compared_with(case, tmp_path):
    # assumptions: the user's own figure for the département's electricity (1,000,000 MWh, no year):
    # the share is the hand sum over it, and the sentence gives no year.
    from impact.report.cumulative import section

    _, rows, _ = case
    text = PROJECT + "assumptions: {departement.annual_electricity_mwh: 1000000}\n"
    results = impact.estimate(parse_project_text(text, "p.yaml"), draws=100)
    cum = cumulative(results, rows, "registry.csv")
    share = cum.indicators["cumulative_share_of_departement_electricity"]
    assert share.central == pytest.approx((E_PROJECT + E_A + E_B) / 1e6, rel=1e-9)
    sec = section(cum, results, "en")
    assert any("electricity consumption used here" in f for f in sec["findings"]) and sec["headline"] == []


def test_a_geojson_registry_its_points_and_the_project_among_them(tmp_path):
    import json

    # Two Point features: one 20 m from the project under another name (the project itself), one
    # in Aubagne (Bouches-du-Rhône, placed by its point); 2 MW x 0.6 x 8,760 h x 1.2 = 12,614.4 MWh.
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [5.35, 43.3302]},
            "properties": {"name": "Same place", "country": "FR", "it_capacity_mw": 10, "status": "planned"},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [5.5707, 43.2927]},
            "properties": {
                "name": "Site B",
                "country": "FR",
                "it_capacity_mw": 2,
                "utilisation": 0.6,
                "pue": 1.2,
                "status": "planned",
            },
        },
    ]
    registry = tmp_path / "r.geojson"
    registry.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    results = impact.estimate(parse_project_text(PROJECT, "p.yaml"), draws=100)
    cum = cumulative(results, read_registry(registry, errors="collect"), "r.geojson")
    assert cum.project_rows == [(1, "Same place")]
    assert [(s.name, s.commune.name) for s in cum.sites] == [("Site B", "Aubagne")]
    assert cum.indicators["cumulative_facility_energy_mwh"].central == pytest.approx(E_PROJECT + E_B, rel=1e-9)
