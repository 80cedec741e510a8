#!/usr/bin/env python
"""Compute France's reference heating degree-days from the shipped climate series, for
``data/reference/heating_degree_days.csv`` (row ``national_reference_hdd``).

Why: the heating per home of ``data/reference/equivalences.csv`` is a national mean (SDES/CEREN);
the tool scales it to the site by ``site HDD / national HDD`` (impact/local_context.py). Both
degree-days must come from the same data and the same rule, or the ratio measures the difference
between two data sets instead of two climates. So the national figure is computed here from the
series the tool itself would use:

- every commune of ``data/france/communes.csv`` (kind ``commune``, with an inside point) takes the
  series the tool would choose for its point (:func:`impact.sources.climate.candidates`, altitude
  unknown, so no lapse-rate correction);
- that series' heating degree-days by Eurostat's rule (:func:`impact.model.heat.heating_degree_days`:
  18 °C - daily mean, days at or below 15 °C), on local hours as the tool reads them, averaged over
  all the years shipped for it (Open-Meteo 2022-2024, Montpellier 2000-2019; one typical year for
  TMYx and PVGIS), as the site's own figure is (impact.local_context);
- the mean weighted by the communes' populations (INSEE COG 2026, populations légales 2023), the
  weighting Eurostat and the EEA use for national degree-days. Communes beyond the tool's maximum
  distance from any series (Corsica and some of the Massif central / Pyrenees fringe) are left out:
  the script prints the population share covered.

Run from the repository root: ``python scripts/build_heating_degree_days.py`` (prints the figure and
the contribution of each series; writes nothing: copy the value into the table, whose test
recomputes it).
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def station_hdd(station_id: str) -> float:
    from impact.sources import climate

    hdd = climate.station_heating_degree_days(station_id)
    assert hdd is not None, station_id
    return hdd


def national_reference_hdd() -> tuple[float, float, dict[str, tuple[int, float]]]:
    """(population-weighted HDD [K·d/yr], population share covered [-], {series: (population, HDD)})."""
    from impact.paths import data_dir
    from impact.sources import climate

    weight: dict[str, int] = defaultdict(int)
    total = 0
    with (data_dir() / "france" / "communes.csv").open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["kind"] != "commune":
                continue
            pop = int(r["population"])
            total += pop
            if not r["lat"].strip() or not pop:
                continue
            found = climate.candidates(float(r["lat"]), float(r["lon"]))
            if found:
                weight[found[0].station_id] += pop
    covered = sum(weight.values())
    parts = {s: (w, station_hdd(s)) for s, w in sorted(weight.items())}
    value = sum(w * h for w, h in parts.values()) / covered
    return value, covered / total, parts


if __name__ == "__main__":
    value, share, parts = national_reference_hdd()
    for name, (w, h) in parts.items():
        print(f"{name:28s} {w:>11,} inhabitants  HDD {h:7.1f}")
    print(f"population covered: {share:.1%}; national reference HDD: {value:.0f} K.d/yr")
