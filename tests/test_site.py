"""Placing a site in its commune, and the local context of its electricity."""

from __future__ import annotations

import csv

import pytest

import impact
from impact.project import parse_project
from impact.site import place_site

BASE = {"name": "Test", "country": "FR", "year": 2024, "it_capacity_mw": 10}


def _project(**kw):
    return parse_project({**BASE, **kw})


def test_placed_by_coordinates_with_the_declared_city_checked():
    s = place_site(_project(city="Dugny", location={"lat": 48.94899, "lon": 2.42263}))
    assert s.placed_by == "coordinates" and s.city_check == "match"
    assert (s.commune.code, s.departement.code, s.region.code) == ("93030", "93", "11")
    assert s.epci.name == "Métropole du Grand Paris"
    assert s.territory("departement") == ("93", "Seine-Saint-Denis")


def test_a_declared_city_that_the_coordinates_contradict_is_flagged():
    # The inside point of Dugny, declared as Le Bourget: the coordinates win, the mismatch is kept.
    s = place_site(_project(city="Le Bourget", location={"lat": 48.94899, "lon": 2.42263}))
    assert s.commune.name == "Dugny" and s.city_check == "mismatch" and s.declared_city == "Le Bourget"


def test_marseille_arrondissement_names_match_the_commune():
    s = place_site(_project(city="Marseille 15e", location={"lat": 43.33, "lon": 5.35}))
    assert s.commune.code == "13055" and s.arrondissement is not None and s.city_check == "match"


def test_placed_by_city_name_only_when_unambiguous():
    s = place_site(_project(city="Fouju"))
    assert s.placed_by == "city_name" and s.commune.code == "77195"
    amb = place_site(_project(city="Saint-Denis"))
    assert not amb.placed and amb.reason == "city_ambiguous" and "93066" in amb.candidates
    assert place_site(_project(city="Nowhere-sur-Rien")).reason == "city_not_found"
    assert place_site(_project()).reason == "no_location"


def test_not_placed_at_sea_or_abroad():
    assert place_site(_project(location={"lat": 43.20, "lon": 5.20})).reason == "not_in_a_commune"  # off Marseille
    assert place_site(_project(country="DE", location={"lat": 48.0, "lon": 8.0})).reason == "outside_france"


def _ore_2021(shared, dep):
    """Residential, tertiary and total electricity of a département in 2021, from the raw Agence ORE file."""
    path = shared / "electricity" / "agence_ore_conso_elec_gaz_annuelle_secteur_departement_2011-2021.csv"
    res = ter = tot = 0.0
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            if r["annee"] == "2021" and r["filiere"] == "Electricité" and r["code_departement"] == dep:
                res += float(r["consor"] or 0)
                ter += float(r["consot"] or 0)
                tot += float(r["consototale"] or 0)
    return res, ter, tot


def _population(shared, code=None, dep=None):
    with open(shared / "communes" / "communes_metropole_points.csv", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["type"] == "COM"]
    if code:
        return next(int(r["population_2026"]) for r in rows if r["code"] == code)
    return sum(int(r["population_2026"]) for r in rows if r["dep"] == dep)


def test_commune_electricity_is_the_departement_per_inhabitant(shared_data):
    # Dugny (93030): population x (residential + tertiary) of Seine-Saint-Denis / its population,
    # all from the raw files in shared/ (Agence ORE 2021, INSEE populations légales 2023).
    res, ter, tot = _ore_2021(shared_data, "93")
    pop, dep_pop = _population(shared_data, code="93030"), _population(shared_data, dep="93")
    expected = pop * (res + ter) / dep_pop
    project = _project(city="Dugny", location={"lat": 48.94899, "lon": 2.42263})
    r = impact.estimate(project, draws=200)
    rec = r.inputs["city.annual_electricity_mwh"]
    assert rec.status == "default" and rec.note_key == "note.local.city_electricity_estimate"
    assert rec.value.central == pytest.approx(expected, rel=1e-6)
    fe = r["facility_energy_mwh"].central
    assert r["share_of_city_electricity"].central == pytest.approx(fe / expected, rel=1e-6)
    assert r["share_of_departement_electricity"].central == pytest.approx(fe / tot, rel=1e-6)
    # France: RTE's gross consumption 2021, 472,147 GWh (ODRÉ file in shared/).
    assert r["share_of_france_electricity"].central == pytest.approx(fe / 472_147_000, rel=1e-9)
    # France's data centres: about 10 TWh (RTE, data/reference/national_context.csv).
    assert r["share_of_france_datacentres"].central == pytest.approx(fe / 10e6, rel=1e-9)
    assert r.meta["site"]["commune"]["code"] == "93030"


def test_region_total_is_the_sum_of_its_departements(shared_data):
    # Île-de-France = départements 75, 77, 78, 91, 92, 93, 94, 95.
    total = sum(_ore_2021(shared_data, d)[2] for d in ("75", "77", "78", "91", "92", "93", "94", "95"))
    r = impact.estimate(_project(location={"lat": 48.94899, "lon": 2.42263}), draws=200)
    assert r.inputs["region.annual_electricity_mwh"].value.central == pytest.approx(total, rel=1e-6)


def test_a_sourced_city_figure_wins_and_unplaced_sites_say_why():
    r = impact.estimate(impact.load_project(impact.paths.default_project()), draws=200)
    peak = r.inputs["city.peak_demand_mw"]
    # The 600 MW of data/reference/city_context.csv is a press quote (quality secondary): it no longer
    # stands for Marseille's peak; the open-data estimate does (issue 12, docs/local-figures.md).
    assert peak.status == "default" and peak.note_key == "note.local.city_peak_estimate"
    assert peak.value.central != 600
    lost = impact.estimate(_project(city="Saint-Denis"), draws=200)
    rec = lost.inputs["city.annual_electricity_mwh"]
    assert rec.status == "unknown" and "city_ambiguous" in rec.note
    assert not lost["share_of_city_electricity"].known and not lost["share_of_departement_electricity"].known
    assert lost["share_of_france_electricity"].known  # France's figure needs no commune


@pytest.mark.parametrize("box", [(5.25, 43.20, 5.45, 43.40), (-4.60, 48.30, -4.40, 48.45), (7.40, 47.65, 7.65, 47.80)])
def test_point_in_commune_agrees_with_shapely(box):
    # commune_at uses a numpy even-odd rule (no shapely at estimate time): it must agree
    # with shapely's own test on the same outlines, coasts, holes and a border included
    # (Marseille, Brest, the Rhine at Petit-Landau).
    import numpy as np
    import shapely

    from impact.sources import france

    rng = np.random.default_rng(1)
    lon = rng.uniform(box[0], box[2], 400)
    lat = rng.uniform(box[1], box[3], 400)
    gdf = france.boundaries("commune", bbox=box)
    for x, y in zip(lon, lat):
        hits = [c for c, g in zip(gdf["code"], gdf.geometry) if shapely.contains_xy(g, x, y)]
        got = france.commune_at(y, x, off_coast_km=0)
        assert (got.code if got else None) == (hits[0] if hits else None), (y, x)


def test_commune_peak_from_its_mean_demand_and_france_s_load_shape(shared_data):
    # Dugny: (annual estimate / 8760 h) x (88,440 MW / (472,147 GWh / 8760 h)), France 2021
    # (RTE peak of the 30-minute gross consumption; RTE gross annual consumption, ODRÉ file in shared/).
    res, ter, _ = _ore_2021(shared_data, "93")
    annual = _population(shared_data, code="93030") * (res + ter) / _population(shared_data, dep="93")
    expected = annual / 8760 * 88_440 / (472_147_000 / 8760)
    r = impact.estimate(_project(city="Dugny", location={"lat": 48.94899, "lon": 2.42263}), draws=200)
    rec = r.inputs["city.peak_demand_mw"]
    assert rec.status == "default" and rec.note_key == "note.local.city_peak_estimate"
    assert rec.value.central == pytest.approx(expected, rel=1e-9)
    assert r["share_of_city_peak_demand"].central == pytest.approx(r["peak_demand_mw"].central / expected, rel=1e-9)


def test_the_user_s_own_local_figures_replace_the_estimates():
    # A resident who has the commune's real figures (Enedis, the city) writes them as assumptions.
    p = _project(
        city="Dugny",
        location={"lat": 48.94899, "lon": 2.42263},
        assumptions={
            "city.annual_electricity_mwh": 60000,
            "city.peak_demand_mw": 12,
            "departement.annual_electricity_mwh": 7.0e6,
        },
        sources={"city.annual_electricity_mwh": "Enedis, bilan communal 2023"},
    )
    r = impact.estimate(p, draws=200)
    rec = r.inputs["city.annual_electricity_mwh"]
    assert rec.status == "given" and rec.source == "Enedis, bilan communal 2023"
    fe, pk = r["facility_energy_mwh"].central, r["peak_demand_mw"].central
    assert r["share_of_city_electricity"].central == pytest.approx(fe / 60000, rel=1e-12)
    assert r["share_of_city_peak_demand"].central == pytest.approx(pk / 12, rel=1e-12)
    assert r["share_of_departement_electricity"].central == pytest.approx(fe / 7.0e6, rel=1e-12)
