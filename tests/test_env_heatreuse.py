"""Issue 13, item 5: heat reuse month by month (docs/heatreuse.md).

Expected values are computed here by hand from the definitions: Eurostat's degree-day rule
(HDD = 18 - Tm when Tm <= 15 °C), the degree-day method for the network's seasonal sales, and the
bound 1 / (12 max weight) checked against a brute-force month-by-month minimum. The networks are
read straight from the shipped list (data/france/heat_networks.csv, arrêté DPE 2026).
"""

from __future__ import annotations

import csv

import numpy as np
import pytest

import impact
from impact.model import heatreuse
from impact.paths import data_dir
from impact.report import heatreuse as heatreuse_report
from impact.sources import reference as ref

from .conftest import MRS5


def test_monthly_degree_days_by_hand():
    # 31 January days at 5 °C: 31 x (18 - 5) = 403 K.d; 28 February days at 15 °C (the threshold
    # counts): 28 x 3 = 84; one March day at 15.5 °C counts nothing.
    temps = [5.0] * 31 + [15.0] * 28 + [15.5]
    months = [1] * 31 + [2] * 28 + [3]
    hdd = heatreuse.monthly_heating_degree_days(temps, months)
    assert hdd[0] == pytest.approx(403.0)
    assert hdd[1] == pytest.approx(84.0)
    assert hdd[2:].sum() == 0.0
    with pytest.raises(ValueError):
        heatreuse.monthly_heating_degree_days([1.0] * 3, [1] * 2)


def test_weights_and_seasonal_bound_by_hand():
    hdd = np.zeros(12)
    hdd[[0, 1, 11]] = [100.0, 50.0, 50.0]  # January half of the year's degree-days
    w = heatreuse.monthly_demand_weights(hdd, 0.2)
    # January: 0.2 / 12 + 0.8 x 100 / 200 = 0.41667; a summer month: 0.2 / 12 = 0.016667
    assert w[0] == pytest.approx(0.2 / 12 + 0.4)
    assert w[6] == pytest.approx(0.2 / 12)
    assert w.sum() == pytest.approx(1.0)
    # Bound: 1 / (12 x 0.41667) = 1 / 5 = 0.2
    assert heatreuse.seasonal_reuse_share_max(w) == pytest.approx(0.2)
    # Brute force: 1 MWh offered each month; a network sized so that January takes all of it
    # sells w[m] / w[0] MWh in month m; it takes min(offer, sales), 12 MWh offered in all.
    taken = heatreuse.absorbed_mwh(np.ones(12), w / w.max()).sum() / 12
    assert taken == pytest.approx(0.2)
    # A bigger network takes no more (capped by the offer), a smaller one less.
    assert heatreuse.absorbed_mwh(np.ones(12), 3 * w / w.max()).sum() / 12 >= taken
    assert heatreuse.absorbed_mwh(np.ones(12), 0.5 * w / w.max()).sum() / 12 == pytest.approx(0.1)
    # Flat demand (all base, or no degree-days): everything can be taken.
    assert heatreuse.seasonal_reuse_share_max(heatreuse.monthly_demand_weights(hdd, 1.0)) == pytest.approx(1.0)
    assert heatreuse.seasonal_reuse_share_max(heatreuse.monthly_demand_weights(np.zeros(12), 0.2)) == 1.0
    assert heatreuse.energy_reuse_factor(25.0, 100.0) == 0.25


def test_base_share_is_a_labelled_assumption():
    row = ref.require("heat_reuse", quantity="network_base_share")
    assert row.quality == "assumption"
    assert row.known().low < row.known().central < row.known().high


@pytest.fixture(scope="module")
def mrs5():
    return impact.estimate(impact.load_project(MRS5), draws=200)


def _networks(commune: str | None = None, dep: str | None = None) -> list[dict]:
    with open(data_dir() / "france" / "heat_networks.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["kind"] == "heat"]
    return [r for r in rows if (commune is None or r["commune"] == commune) and (dep is None or r["dep"] == dep)]


def test_mrs5_networks_and_seasonal_share(mrs5):
    here = _networks(commune="13055")  # Marseille
    assert here, "Marseille has networks in the arrêté DPE list"
    sec = heatreuse_report.section(mrs5, "en")
    names = " ".join(str(n["name"]) for n in sec["networks"])
    for n in here:
        assert n["name"] in names
    # The seasonal bound, by hand from the hourly temperatures with pandas (not the model's code),
    # at the central base share: the engine's central value (the central run uses the centrals).
    t = mrs5.hourly["temp_air_c"]
    daily = t.groupby(t.index.date).mean()
    months = np.array([d.month for d in daily.index])
    hdd = np.array([np.where(daily[months == m] <= 15, 18 - daily[months == m], 0).sum() for m in range(1, 13)])
    base = 0.2  # data/reference/heat_reuse.csv, central (assumption)
    w = base / 12 + (1 - base) * hdd / hdd.sum()
    expected = 1 / (12 * w.max())
    ind = mrs5["heat_reuse_seasonal_share_max"]
    assert ind.central == pytest.approx(expected, rel=1e-9)
    # The 5-95 % band of the draws lies within the bounds at base shares 0.1 and 0.3.
    at = {b: 1 / (12 * (b / 12 + (1 - b) * hdd / hdd.sum()).max()) for b in (0.1, 0.3)}
    assert at[0.1] - 1e-9 <= ind.low < ind.central < ind.high <= at[0.3] + 1e-9 < 1
    assert len(sec["months"]) == 12
    assert any("MWh in each month" in q for q in sec["questions"])


def _mrs5_with_share(write_project, share: float):
    import yaml

    data = yaml.safe_load(MRS5.read_text(encoding="utf-8"))
    assert "heat_reuse_share" not in data  # MRS5 publishes no share
    data["heat_reuse_share"] = share
    path = write_project(yaml.safe_dump(data, allow_unicode=True), f"mrs5-{share}.yaml")
    return impact.estimate(impact.load_project(path), draws=200)


def test_declared_share_above_the_bound(write_project, mrs5):
    high = mrs5["heat_reuse_seasonal_share_max"].high  # about 0.40 in Marseille
    sec = heatreuse_report.section(_mrs5_with_share(write_project, 0.9), "fr")
    assert any("90" in s and "saisonnier peut prendre" in s for s in sec["sentences"])
    below = round(high / 2, 2)
    sec = heatreuse_report.section(_mrs5_with_share(write_project, below), "fr")
    assert not any("saisonnier peut prendre" in s for s in sec["sentences"])


def test_no_network_near_asks(write_project):
    assert not _networks(dep="09")  # Ariège: none in the list
    path = write_project("name: Foix test\ncountry: FR\nyear: 2024\ncity: Foix\nit_capacity_mw: 10\n")
    r = impact.estimate(impact.load_project(path), draws=200)
    sec = heatreuse_report.section(r, "en")
    assert any("No heat network of the official list within 10 km" in s for s in sec["network_sentences"])
    assert any("1 MW" in q for q in sec["questions"])
    # The nearest networks beyond are still listed (from Foix's commune point: placed by name).
    assert 1 <= len(sec["networks"]) <= 3
    assert any("point" in s for s in sec["network_sentences"])


def test_the_dossier_shows_the_section_in_both_languages(mrs5):
    import datetime as dt

    from impact.claims import check_claims
    from impact.report.dossier import build_context, render_html

    from .test_words import FIGURES  # the figures the template may show (none drawn here)

    for lang, heading in (
        ("fr", "Réseaux de chaleur et valorisation, mois par mois"),
        ("en", "Heat networks and reuse"),
    ):
        context = build_context(
            mrs5,
            [],
            check_claims(mrs5),
            {k: None for k in FIGURES},
            lang=lang,
            author=None,
            date=dt.date(2026, 1, 1),
            fingerprint="test",
        )
        html = render_html(context)
        assert heading in html
        assert "THASSALIA" in html  # a Marseille network of the list


def test_degree_days_without_the_cooling_model():
    # Dugny's case file describes no cooling: the hourly cooling model does not run, the climate
    # still gives the months (meta). Their sum is the year's degree-days by Eurostat's rule, from
    # the same climate frame day by day (computed here with pandas).
    from impact.validation import validate

    path = MRS5.parent / "cases" / "digital-realty-dugny.yaml"
    resolved = validate(impact.load_project(path), scope="estimate")
    t = resolved.model.inp.climate.frame["temp_air_c"]
    daily = t.groupby(t.index.date).mean()
    year_hdd = float(np.where(daily <= 15, 18 - daily, 0).sum())
    r = impact.estimate(resolved, draws=200)
    assert r.hourly is None
    hdd = r.meta["heating_degree_days_by_month"]
    assert len(hdd) == 12 and hdd[0] > hdd[6]
    assert sum(hdd) == pytest.approx(year_hdd, rel=1e-9)
    assert 1 / 12 < r["heat_reuse_seasonal_share_max"].central < 1
    assert any("RÉSEAU DE DUGNY" in str(x["name"]) for x in heatreuse_report.section(r, "fr")["networks"])
