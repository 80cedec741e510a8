"""Issue 13, item 5 (continued): the seasonal bound as engine indicators, the networks by distance,
the claims checked against the bound (docs/heatreuse.md).

Expected values are computed here by hand: the bound from its definition (a network sized for its
busiest month takes w_m / max(w) of each month's heat, 1 / (12 max(w)) over the year), distances
on a local flat-Earth approximation (equirectangular, within 0.01 % of the great circle at 10 km).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import yaml

import impact
from impact import heatreuse
from impact.claims import check_claims
from impact.model import heatreuse as model
from impact.model.geodesy import haversine_km
from impact.report import heatreuse as heatreuse_report
from impact.sources import france

from .conftest import MRS5

DUGNY = MRS5.parent / "cases" / "digital-realty-dugny.yaml"
# A made-up year of monthly heating degree-days [K.d], January first.
HDD = [300.0, 250.0, 200.0, 100.0, 30.0, 0.0, 0.0, 0.0, 10.0, 80.0, 200.0, 280.0]


def test_the_bound_from_the_coldest_month_by_hand():
    # Sum 1450 K.d; January is the coldest: p = 300 / 1450 = 0.2068966.
    assert model.peak_month_share(HDD) == pytest.approx(300 / 1450)
    # Base share 0.2: January's weight 0.2 / 12 + 0.8 x 0.2068966 = 0.0166667 + 0.1655172 = 0.1821839;
    # the bound 1 / (12 x 0.1821839) = 1 / 2.1862069 = 0.457413 (to 6 digits, by hand).
    assert model.seasonal_share_from_peak(300 / 1450, 0.2) == pytest.approx(0.457413, abs=1e-6)
    # The same as the month-by-month construction: a network whose January takes all the site's
    # 1 MWh, taking min(1, w_m / w_jan) each month, 12 MWh offered.
    w = model.monthly_demand_weights(HDD, 0.2)
    taken = model.absorbed_mwh(np.ones(12), w / w.max()).sum() / 12
    assert taken == pytest.approx(0.457413, abs=1e-6)
    assert model.seasonal_reuse_share_max(w) == pytest.approx(taken)
    # Vectorised over draws of the base share; all base (flat sales): everything; no base, all the
    # year's degree-days in one month: one month in twelve.
    draws = model.seasonal_share_from_peak(300 / 1450, np.array([0.1, 0.2, 0.3]))
    assert draws[1] == pytest.approx(0.457413, abs=1e-6) and draws[0] < draws[1] < draws[2]
    assert model.seasonal_share_from_peak(0.3, 1.0) == pytest.approx(1.0)
    assert model.seasonal_share_from_peak(1.0, 0.0) == pytest.approx(1 / 12)
    assert model.peak_month_share(np.zeros(12)) == pytest.approx(1 / 12)


@pytest.fixture(scope="module")
def dugny():
    return impact.estimate(impact.load_project(DUGNY), draws=200)


def test_the_engine_indicators_follow_the_site_s_months(dugny):
    hdd = dugny.meta["heating_degree_days_by_month"]
    p = max(hdd) / sum(hdd)  # by hand from the months kept in meta
    rec = dugny.inputs["heat_reuse.peak_month_hdd_share"]
    assert rec.status == "derived" and rec.value.central == pytest.approx(p)
    base = dugny.inputs["heat_reuse.network_base_share"]
    assert base.status == "default" and base.value.central == 0.2
    share = dugny["heat_reuse_seasonal_share_max"]
    # The central run at the central base share 0.2: 1 / (0.2 + 12 x 0.8 x p).
    assert share.central == pytest.approx(1 / (0.2 + 9.6 * p), rel=1e-9)
    assert share.status == "estimated" and share.low < share.central < share.high
    mwh = dugny["heat_reuse_seasonal_max_mwh"]
    assert mwh.central == pytest.approx(dugny["facility_energy_mwh"].central * share.central, rel=1e-9)
    erf = dugny["erf_seasonal_max"]
    assert (erf.low, erf.central, erf.high) == pytest.approx((share.low, share.central, share.high))
    # The monthly table: w_m / max(w) at the central base share, January (the coldest) at 1.
    monthly = dugny.meta["heat_reuse_monthly_share"]
    w = [0.2 / 12 + 0.8 * h / sum(hdd) for h in hdd]
    assert monthly == pytest.approx([x / max(w) for x in w])
    assert monthly[0] == pytest.approx(1.0)
    # The yearly share is the mean of the monthly shares (equal months of steady heat).
    assert sum(monthly) / 12 == pytest.approx(share.central)


def test_an_assumed_base_share_replaces_the_default(write_project, dugny):
    data = yaml.safe_load(DUGNY.read_text(encoding="utf-8"))
    data["assumptions"] = {**(data.get("assumptions") or {}), "heat_reuse.network_base_share": 0.5}
    r = impact.estimate(impact.load_project(write_project(yaml.safe_dump(data), "dugny-base.yaml")), draws=200)
    p = r.inputs["heat_reuse.peak_month_hdd_share"].value.central
    ind = r["heat_reuse_seasonal_share_max"]
    # A point value: no range; 1 / (0.5 + 12 x 0.5 x p).
    assert ind.low == ind.central == ind.high == pytest.approx(1 / (0.5 + 6 * p))
    assert ind.central > dugny["heat_reuse_seasonal_share_max"].high  # a flatter demand takes more


def test_the_base_share_is_drawn_last():
    # Adding the new ranged input leaves every other input's draws as they were (same seed).
    from impact.validation import validate

    m = validate(impact.load_project(MRS5), scope="estimate").model.copy()
    assert "heat_reuse.network_base_share" in m.ranges
    with_it = m.draw_values(200, 7)
    drawn = [k for k in with_it if not m.ranges[k].is_point]  # a point draws nothing
    assert drawn[-1] == "heat_reuse.network_base_share"
    del m.ranges["heat_reuse.network_base_share"]
    without = m.draw_values(200, 7)
    for k, v in without.items():
        assert np.array_equal(np.asarray(with_it[k]), np.asarray(v)), k


def test_no_climate_no_bound(write_project):
    r = impact.estimate(impact.load_project(write_project("name: x\ncountry: FR\nit_capacity_mw: 5\n")), draws=200)
    for name in ("heat_reuse_seasonal_share_max", "heat_reuse_seasonal_max_mwh", "erf_seasonal_max"):
        assert r[name].status == "unknown"
        assert "heat_reuse.peak_month_hdd_share" in r[name].missing
    assert r.meta["heat_reuse_monthly_share"] is None


# ----------------------------------------------------------------------------- distances
def _flat_km(lat1, lon1, lat2, lon2):
    """Equirectangular distance: R x sqrt(dlat^2 + (cos(mean lat) dlon)^2), radians."""
    k = math.radians(1.0) * 6371.0088  # 111.195 km per degree
    dx = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return k * math.hypot(lat2 - lat1, dx)


def test_distance_between_two_commune_points_by_hand():
    dugny, bourget = france.commune("93030"), france.commune("93013")
    # Dugny (48.94899, 2.42263) to Le Bourget (48.93770, 2.42762): dlat 0.01129 deg = 1.2554 km,
    # dlon 0.00499 deg x cos(48.943 deg) 0.6566 = 0.3643 km: sqrt(1.2554^2 + 0.3643^2) = 1.3072 km.
    assert (dugny.lat, dugny.lon, bourget.lat, bourget.lon) == (48.94899, 2.42263, 48.93770, 2.42762)
    d = float(haversine_km(dugny.lat, dugny.lon, bourget.lat, bourget.lon))
    assert d == pytest.approx(1.3072, abs=5e-4)
    assert d == pytest.approx(_flat_km(dugny.lat, dugny.lon, bourget.lat, bourget.lon), rel=1e-4)
    # Paris's point (48.85730, 2.32001) to Dugny's: 10.196 km north, 7.498 km east: 12.657 km.
    paris = france.commune("75056")
    assert float(haversine_km(dugny.lat, dugny.lon, paris.lat, paris.lon)) == pytest.approx(12.657, abs=2e-3)


def test_networks_nearest_first(dugny):
    near = heatreuse.nearby_networks(dugny)
    rows = near["near"]
    assert near["basis"] == "location" and near["radius_km"] == 10.0
    # The site's own commune first (distance 0), then by distance; none of the list's cooling networks.
    assert rows[0]["same_commune"] and rows[0]["commune"] == "93030" and rows[0]["distance_km"] == 0.0
    d = [n["distance_km"] for n in rows]
    assert d == sorted(d)
    assert all(n["kind"] == "heat" for n in rows)
    within = [n for n in rows if n["distance_km"] <= 10.0]
    assert len(within) == near["within"] and len(rows) - len(within) == near["beyond"] <= 3
    # Each distance is the site's coordinates to the network's commune point.
    loc = dugny.project.location
    for n in rows[1:]:
        c = france.commune(n["commune"])
        assert n["distance_km"] == pytest.approx(_flat_km(loc.lat, loc.lon, c.lat, c.lon), rel=1e-3)
    # The first network outside the commune is Le Bourget's (ADP), 1.3 km: the commune points.
    assert rows[1]["commune"] == "93013" and rows[1]["distance_km"] == pytest.approx(1.3072, abs=5e-4)
    # Every heat network of the list within 10 km is there: counted here from the whole list.
    count = 0
    for n in france.heat_networks():
        c = france.commune(n["commune"]) if n["commune"] else None
        if n["kind"] == "heat" and c is not None and c.lat is not None:
            count += n["commune"] == "93030" or _flat_km(loc.lat, loc.lon, c.lat, c.lon) <= 10.0
    assert near["within"] == count
    # The dossier's table: the 12 nearest of a dense area, and it says so.
    sec = heatreuse_report.section(dugny, "en")
    assert len(sec["networks"]) == min(12, len(rows))
    assert any(f"{near['within']} heat networks" in s and "12 nearest" in s for s in sec["network_sentences"])
    assert "not the network's nearest pipe" in sec["network_note"]


# ----------------------------------------------------------------------------- claims
def _mrs5(write_project, name: str, **extra):
    data = yaml.safe_load(MRS5.read_text(encoding="utf-8"))
    data.update(extra)
    return impact.estimate(
        impact.load_project(write_project(yaml.safe_dump(data, allow_unicode=True), name)), draws=200
    )


def test_claims_above_the_bound_are_optimistic(write_project):
    claims = [
        {"indicator": "energy_reuse_factor", "value": 0.9, "source": "test"},
        {"indicator": "energy_reuse_factor", "value": 20, "unit": "%", "source": "test"},
        {"indicator": "heat_reused_mwh", "value": 100, "unit": "GWh", "source": "test"},
    ]
    r = _mrs5(write_project, "mrs5-claims.yaml", claims=claims)
    high = r["erf_seasonal_max"].high  # about 0.40 in Marseille
    mwh_high = r["heat_reused_mwh"].central  # 0: no share declared
    assert 0.3 < high < 0.5 and mwh_high == 0.0
    checks = [c for c in check_claims(r) if c.indicator in ("energy_reuse_factor", "heat_reused_mwh")]
    erf90, erf20, mwh = checks
    # 90 % > the bound: optimistic, against the bound.
    assert (erf90.verdict, erf90.reason, erf90.compared_with) == (
        "optimistic",
        "above_seasonal_bound",
        "erf_seasonal_max",
    )
    assert erf90.high == pytest.approx(high)
    # 20 % is possible with a seasonal network: still a declaration the tool cannot check.
    assert (erf20.verdict, erf20.reason) == ("not_verifiable", "declaration_only")
    # 100 GWh against at most ~64 GWh (MRS5's heat, about 140 GWh, x about 0.40): optimistic,
    # the claim as written kept.
    bound = r["heat_reuse_seasonal_max_mwh"]
    assert bound.high < 100_000
    assert (mwh.verdict, mwh.reason, mwh.claimed) == ("optimistic", "above_seasonal_bound", 100_000)
    assert (mwh.claimed_as_written, mwh.unit_as_written) == (100, "GWh")
    # The dossier's words for the reason name the season and the bound.
    from impact.report.narrative import claim_reason

    text = claim_reason(erf90, r, "en")
    assert "follow the seasons" in text and "Highest energy reuse factor" in text


def test_a_declared_share_above_the_bound_is_a_claim(write_project):
    r = _mrs5(write_project, "mrs5-share.yaml", heat_reuse_share=0.9)
    extra = [c for c in check_claims(r) if c.compared_with == "erf_seasonal_max"]
    assert len(extra) == 1 and extra[0].claimed == pytest.approx(0.9) and extra[0].verdict == "optimistic"
    # Below the bound: no claim added.
    r = _mrs5(write_project, "mrs5-share-low.yaml", heat_reuse_share=0.1)
    assert not [c for c in check_claims(r) if c.compared_with == "erf_seasonal_max"]


def test_the_section_renders_the_table_in_french(dugny):
    import datetime as dt

    from impact.report.dossier import build_context, render_html

    from .test_words import FIGURES

    context = build_context(
        dugny,
        [],
        check_claims(dugny),
        {k: None for k in FIGURES},
        lang="fr",
        author=None,
        date=dt.date(2026, 1, 1),
        fingerprint="test",
    )
    html = render_html(context)
    assert "Réseau de chaleur</th>" in html and "commune du site" in html
    assert "RÉSEAU CHAUD ADP LE BOURGET" in html and "1,3\N{NO-BREAK SPACE}km" in html


def test_zero_load_bound_is_defined(write_project):
    # utilisation 0: no heat at all, 0 MWh; the ERF bound stays the share (EDC x share / EDC), not 0 / 0.
    r = impact.estimate(
        impact.load_project(
            write_project(
                "name: x\ncountry: FR\nlocation: {lat: 45.76, lon: 4.84}\nit_capacity_mw: 10\nutilisation: 0\n"
            )
        ),
        draws=100,
    )
    assert r["heat_reuse_seasonal_max_mwh"].central == 0
    assert r["erf_seasonal_max"].central == pytest.approx(r["heat_reuse_seasonal_share_max"].central)


def test_the_departement_s_networks_without_a_commune_are_named(write_project):
    # 3328C « CHAUFFERIE BOIS SAINT MÉDARD » (Gironde): its « SAINT MEDARD » matches no commune name of
    # the département (several Saint-Médard-…), so the list gives it no commune: named, without distance.
    r = impact.estimate(
        impact.load_project(write_project("name: x\ncountry: FR\ncity: Bordeaux\nit_capacity_mw: 5\n")), draws=100
    )
    near = heatreuse.nearby_networks(r)
    assert near["basis"] == "commune"  # placed by its name: distances from the commune's point
    assert "3328C" in [n["id"] for n in near["unplaced"]]
    assert "3328C" not in [n["id"] for n in near["near"]]
    sec = heatreuse_report.section(r, "fr")
    assert any("CHAUFFERIE BOIS SAINT MÉDARD" in str(s) for s in sec["network_sentences"])


def test_the_waste_heat_rule_cites_the_directive_s_article():
    import csv

    from impact.paths import data_dir

    with open(data_dir() / "reference" / "regulations.csv", encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["rule"].startswith("Waste-heat recovery"))
    # Directive (EU) 2023/1791, Article 26(6): above 1 MW of total rated energy input (not IT power);
    # read in secondary quotes only, so not marked primary (docs/heatreuse.md).
    assert "2023/1791, Art. 26(6)" in row["rule"] and "art. 26, § 6" in row["rule_fr"]
    assert (row["threshold"], row["value"], row["unit"]) == ("rated_energy_input", "1", "MW")
    assert row["quality"] == "secondary" and "L. 236-1" in row["source"]
