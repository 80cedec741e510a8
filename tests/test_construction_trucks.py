"""The construction trucks' greenhouse gases (docs/construction.md, « the trucks' CO2 »).

truck-km (declared, or truck movements x the declared road km of one movement) x 0.427 L of road
diesel per km (arrêté du 10 avril 2012, annexe II, valeurs de niveau 1: « Ensemble articulé 40
tonnes PTRA, Benne TP, Gazole routier : 0,427 l/km ») x 3.17 kg CO2e per litre (arrêté du 26 avril
2017: 2.51 combustion + 0.66 upstream, fuel.csv). Nothing is defaulted: without a declared distance
the figure is unknown, with its reason and a question.
"""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest

import impact
from impact.claims import check_claims
from impact.errors import InputError
from impact.project import load_project

from .test_words import FIGURES

L_PER_KM = 0.427  # arrêté du 10 avril 2012, annexe II (Benne TP, 40 t)
KG_PER_L = 3.17  # arrêté du 26 avril 2017 (2.51 + 0.66)
BASE = """\
name: Trucks test
country: FR
city: Marseille
location: {lat: 43.33, lon: 5.35}
year: 2027
it_capacity_mw: 10
utilisation: 0.5
pue: 1.5
"""


def _run(write_project, construction: str = ""):
    path = write_project(BASE + construction)
    return impact.estimate(load_project(path), draws=100)


@pytest.fixture
def write_project(tmp_path):
    def write(text: str):
        path = tmp_path / "p.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_movements_times_declared_km_by_hand(write_project):
    r = _run(write_project, "construction: {duration_months: 24, truck_trips_total: 20000, truck_trip_km: 30}\n")
    # 20,000 movements x 30 km = 600,000 km x 0.427 L/km = 256,200 L x 3.17 kg/L = 812,154 kg.
    assert r.central("construction_truck_km") == pytest.approx(600_000, rel=1e-12)
    assert r.central("construction_trucks_co2e_t") == pytest.approx(812.154, rel=1e-9)
    ind = r["construction_trucks_co2e_t"]
    assert ind.status == "estimated" and ind.low == ind.high == ind.central  # points: nothing drawn
    assert r.inputs["construction.truck_fuel_l_per_km"].value.central == L_PER_KM
    assert "Benne TP" in r.inputs["construction.truck_fuel_l_per_km"].source


def test_movements_per_day_over_the_works_by_hand(write_project):
    r = _run(write_project, "construction: {duration_months: 24, trucks_per_day: 40, truck_trip_km: 25}\n")
    # 40 a working day x 24 months x 21 working days a month = 20,160 movements x 25 km = 504,000 km.
    km = 40 * 24 * 21 * 25
    assert r.central("construction_truck_km") == pytest.approx(km, rel=1e-12)
    assert r.central("construction_trucks_co2e_t") == pytest.approx(km * L_PER_KM * KG_PER_L / 1000, rel=1e-9)
    # 504,000 km x 0.427 L/km = 215,208 L x 3.17 kg/L = 682,209.36 kg.
    assert r.central("construction_trucks_co2e_t") == pytest.approx(682.20936, rel=1e-9)


def test_declared_truck_km_by_hand(write_project):
    r = _run(write_project, "construction: {truck_trips_total: 5000, truck_km_total: 100000}\n")
    # 100,000 km x 0.427 x 3.17 / 1000 = 135.359 t: the declared truck-km win over movements x km.
    assert r.central("construction_trucks_co2e_t") == pytest.approx(135.359, rel=1e-9)


def test_trucks_without_a_distance_are_not_estimated_and_the_distance_is_asked(write_project):
    from impact.report.construction import section

    r = _run(write_project, "construction: {duration_months: 24, truck_trips_total: 20000}\n")
    ind = r["construction_trucks_co2e_t"]
    assert not ind.known and "construction.truck_trip_km" in ind.missing
    assert r.inputs["construction.truck_trip_km"].status == "unknown"
    fr = section(r, "fr")
    assert any("la distance qu'ils parcourent" in p and "n'est pas déclarée" in p for p in fr["works"])
    assert any("Quelle distance parcourent les poids lourds" in q for q in fr["questions"])
    en = section(r, "en")
    assert any("the distance they drive" in p for p in en["works"])


def test_no_trucks_declared_says_so_and_adds_nothing(write_project):
    from impact.report.construction import section

    r = _run(write_project)
    assert not r["construction_trucks_co2e_t"].known
    assert any("ni leurs mouvements ni les distances" in p for p in section(r, "fr")["works"])
    assert any("neither their movements nor the distances" in p for p in section(r, "en")["works"])
    # The trucks' CO2 is a figure of the works, not in the annual total.
    with_trucks = _run(write_project, "construction: {truck_trips_total: 20000, truck_trip_km: 30}\n")
    assert with_trucks.central("co2e_total_t") == pytest.approx(r.central("co2e_total_t"), rel=1e-12)


def test_both_distances_are_refused_naming_the_block(write_project):
    path = write_project(BASE + "construction: {truck_trips_total: 10, truck_trip_km: 3, truck_km_total: 30}\n")
    with pytest.raises(InputError) as e:
        load_project(path)
    assert "construction" in str(e.value) and "truck_trip_km" in str(e.value)


@pytest.mark.parametrize(
    "lang, words",
    [
        ("fr", ("Les poids lourds du chantier parcourraient", "812", "0,427 litre de gazole par kilomètre")),
        ("en", ("The works' trucks would drive", "812", "0.427 litre of diesel per kilometre")),
    ],
)
def test_the_dossier_s_construction_block_shows_it(write_project, lang, words):
    from impact.report.dossier import build_context, render_html

    r = _run(write_project, "construction: {duration_months: 24, truck_trips_total: 20000, truck_trip_km: 30}\n")
    context = build_context(
        r,
        [],
        check_claims(r),
        {k: None for k in FIGURES},
        lang=lang,
        author=None,
        date=dt.date(2026, 12, 2),
        fingerprint="0" * 16,
    )
    html = render_html(context)
    from impact.report.catalogue import catalogue

    heading = catalogue(lang)("construction.heading")
    block = html.split(f"<h1>{heading}</h1>", 1)[1].split("</section>", 1)[0]  # the construction section
    block = unescape(block)
    for w in words:
        assert w in block, w
