"""The sources behind the dossier's headlines (issue 12, « no headline rests on a quote, a blog or a
travel site where an official source exists »; docs/sources-audit.md).

The household electricity of the « N homes » equivalence is now Agence ORE's residential consumption
per residential delivery point (official open data shipped in data/france/electricity_departements.csv),
no longer a supplier-comparison site's figure.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import impact
from impact.project import load_project

ROOT = Path(__file__).resolve().parent.parent
MRS5 = ROOT / "data" / "projects" / "mrs5.yaml"
YEARS = (2019, 2020, 2021)


def _equivalence(quantity: str) -> dict:
    with (ROOT / "data" / "reference" / "equivalences.csv").open(encoding="utf-8") as f:
        return next(r for r in csv.DictReader(f) if r["country"] == "FR" and r["quantity"] == quantity)


def _ore_kwh_per_residential_point() -> float:
    """Residential MWh / residential delivery points over 2019-2021, summed over every département."""
    energy = points = 0.0
    with (ROOT / "data" / "france" / "electricity_departements.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if int(row["year"]) in YEARS:
                energy += float(row["residential_mwh"])
                points += float(row["delivery_points_residential"])
    return energy * 1000.0 / points


def test_household_electricity_is_agence_ore_residential_use_per_delivery_point():
    row = _equivalence("household_electricity")
    # Recomputed from the Agence ORE table: 492.1 TWh / 106.4 million point-years = 4,624 kWh;
    # the table rounds it to 10 kWh.
    assert float(row["value"]) == pytest.approx(_ore_kwh_per_residential_point(), abs=5.0)
    assert row["quality"] == "primary"
    assert "Agence ORE" in row["source"] and "selectra" not in row["source"].lower()
    assert "4,255" in row["note"]  # the old figure stays on record


def test_mrs5_homes_equivalence_uses_the_official_figure():
    r = impact.estimate(load_project(MRS5), draws=200)
    # By hand: facility electricity [MWh] x 1000 / 4,620 kWh per home (equivalences.csv).
    homes = r["facility_energy_mwh"].central * 1000.0 / 4620.0
    assert r["households_electricity_equiv"].central == pytest.approx(homes)
    assert r.inputs["household_electricity_kwh"].value.central == pytest.approx(4620.0)


def test_no_equivalence_rests_on_a_vendor_or_blog_page():
    weak = ("selectra", "blog", "siaepap", "enerzine", "travel")
    with (ROOT / "data" / "reference" / "equivalences.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            source = row["source"].lower()
            assert not any(w in source for w in weak), (row["quantity"], row["source"])
