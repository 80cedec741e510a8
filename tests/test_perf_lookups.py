"""The per-process caches of reference lookups and of an area's electricity (issue 15) give what
a fresh read gives, and a caller that changes its copy changes nobody else's."""

from __future__ import annotations

import csv

from impact.paths import data_dir
from impact.sources import france, reference


def test_lookup_equals_a_scan_of_the_csv_file():
    with (data_dir() / "reference" / "refrigerant_gwp.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        got = reference.lookup("refrigerant_gwp", refrigerant=row["refrigerant"], basis=row["basis"])
        first = next(r for r in rows if r["refrigerant"] == row["refrigerant"] and r["basis"] == row["basis"])
        assert got is not None and got.value.central == float(first["value"]) and got.source == first["source"]
    assert reference.lookup("refrigerant_gwp", refrigerant="not a refrigerant", basis="AR6") is None


def test_electricity_of_france_is_the_sum_of_its_departements_and_copies_are_independent():
    whole = france.electricity_metropolitan()
    deps = [france.electricity(d, whole["year"]) for d in sorted(france._territories("departement"))]
    # Summed here by hand from the département records (Agence ORE rows), independently of the cache.
    assert whole["total_mwh"] == sum(d["total_mwh"] for d in deps)
    whole["total_mwh"] = -1.0
    assert france.electricity_metropolitan()["total_mwh"] == sum(d["total_mwh"] for d in deps)
