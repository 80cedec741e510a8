"""impact.batch.site_outcomes: the per-site results behind estimate_many, for city_total."""

from __future__ import annotations

import pytest

from impact import batch, estimate_many, paths

REGISTRY = paths.data_dir() / "registries" / "marseille.csv"


def test_site_outcomes_match_estimate_many_and_feed_city_total():
    outcomes = batch.site_outcomes(REGISTRY, draws=300)
    table = estimate_many(REGISTRY, draws=300)
    assert [o.row for o in outcomes] == list(table["row"])
    assert all(o.ok for o in outcomes)
    for o, (_, row) in zip(outcomes, table.iterrows()):
        assert o.results["facility_energy_mwh"].central == pytest.approx(row["facility_energy_mwh"], rel=1e-12)
        assert len(o.results.samples) == 300
    marseille = [o for o in outcomes if o.city == "Marseille"]
    total = batch.city_total("Marseille", marseille)
    expected = table.loc[table["city"] == "Marseille", "facility_energy_mwh"].sum()
    assert total.indicators["facility_energy_mwh"].central == pytest.approx(expected, rel=1e-9)
