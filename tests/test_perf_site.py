"""Issue 15: a site's estimate without its per-site overhead gives the same numbers, bit for bit.

Each shortcut is checked against the code it replaced, kept here as the reference: the 5th-95th
percentiles (one sort of all rows against :func:`numpy.nanpercentile` row by row), the monthly
degree-days (days by a yyyymmdd number against pandas' ``groupby(index.date)``), the nearest
substations (one distance array and a partial sort against a stable argsort per list), the
indicators' bands and draws' frame of whole estimates. Equality is exact (no tolerance) unless said.
No timing here: the report of issue 15 gives the CPU figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import impact
from impact import connection, heatreuse
from impact.engine import estimate, fingerprint
from impact.model import heatreuse as model_heatreuse
from impact.model.geodesy import haversine_km
from impact.model.uncertainty import percentiles, percentiles_of_rows
from impact.sources import climate as sc
from impact.sources import reference as ref

from .conftest import MRS5, ROOT


def _same_bits(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.array_equal(a.view(np.int64), b.view(np.int64))


# ----------------------------------------------------------------------------- percentiles
@pytest.mark.parametrize("n", [1, 2, 3, 100, 199, 200, 1999, 2000, 2001])
@pytest.mark.parametrize("q", [(5.0, 95.0), (0.0, 50.0, 100.0), (2.5, 97.5), (33.3,)])
def test_percentiles_of_rows_are_nanpercentile_row_by_row(n, q):
    rng = np.random.default_rng(n)
    rows = np.vstack(
        [
            rng.triangular(0, rng.uniform(0, 1), 1, size=(20, n)) * 10 ** rng.uniform(-3, 6, (20, 1)),
            np.full((2, n), 7.3),  # a point value: constant draws
            rng.normal(size=(3, n)).round(1),  # many ties
            np.zeros((1, n)),
            -np.zeros((1, n)),
            np.where(rng.random((2, n)) < 0.3, -0.0, 0.0),  # signed zeros among equal zeros
            np.where(rng.random((2, n)) < 0.1, np.nan, rng.normal(size=(2, n))),  # NaN ignored
        ]
    )
    new = percentiles_of_rows(rows, q)
    old = np.array([percentiles(r, q) for r in rows])
    assert _same_bits(new, old)


def test_percentiles_of_rows_refuses_one_row():
    with pytest.raises(ValueError):
        percentiles_of_rows(np.zeros(10))


# ----------------------------------------------------------------------------- degree-days
def _monthly_hdd_reference(climate, country):
    """The code before issue 15's change: days by ``index.date`` (Python date objects)."""
    base = ref.lookup("heating_degree_days", country=country, quantity="hdd_base_c").known().central
    threshold = ref.lookup("heating_degree_days", country=country, quantity="hdd_threshold_c").known().central
    t = climate.frame["temp_air_c"]
    daily = t.groupby(t.index.date).mean()
    months = [d.month for d in daily.index]
    hdd = model_heatreuse.monthly_heating_degree_days(daily.to_numpy(dtype=float), months, base, threshold)
    return [float(x) for x in hdd]


@pytest.mark.parametrize("year", [2023, 2024, 2026])  # 2024 a leap year; each its own daylight-saving days
def test_monthly_degree_days_as_by_date(year):
    stations = sc.shipped_stations()
    for s in stations[:: max(1, len(stations) // 6)]:
        for choice in sc.candidates(s["lat"], s["lon"])[:2]:
            climate = sc.climate_from_choice(choice, year, 0.4)
            assert heatreuse.monthly_heating_degree_days(climate, "FR") == _monthly_hdd_reference(climate, "FR")


def test_monthly_degree_days_of_an_index_without_frequency_and_in_utc():
    # A frame whose index has no frequency (not cached) and one in UTC (other calendar days).
    choice = sc.candidates(48.85, 2.35)[0]
    climate = sc.climate_from_choice(choice, 2025)
    for index in (pd.DatetimeIndex(list(climate.frame.index)), climate.frame.index.tz_convert("UTC")):
        other = sc.Climate(climate.frame.set_axis(index), "test", "", "weather file", None)
        assert heatreuse.monthly_heating_degree_days(other, "FR") == _monthly_hdd_reference(other, "FR")


def test_meta_with_the_inputs_degree_days_is_the_meta_computing_them():
    resolved = impact.validate(impact.load_project(MRS5), scope="estimate")
    inp = resolved.model.inp
    assert inp.heating_degree_days_by_month == _monthly_hdd_reference(inp.climate, "FR")
    given = heatreuse.meta(inp.climate, "FR", inp.records, inp.heating_degree_days_by_month)
    assert given == heatreuse.meta(inp.climate, "FR", inp.records)
    assert given["heating_degree_days_by_month"] is not inp.heating_degree_days_by_month  # a copy


# ----------------------------------------------------------------------------- substations
def _nearest_reference(table, lat, lon, n=connection.N_SUBSTATIONS, mask=None):
    """The code before issue 15's change: the distances of the masked substations, a stable argsort."""
    idx = np.arange(len(table)) if mask is None else np.flatnonzero(mask)
    if len(idx) == 0:
        return []
    d = haversine_km(lat, lon, table.lat[idx], table.lon[idx])
    dist = dict(zip(idx.tolist(), d.tolist()))
    return [(str(table.code[i]), round(float(dist[i]), 3)) for i in idx[np.argsort(d, kind="stable")[:n]].tolist()]


def test_nearest_substations_as_before():
    table = connection.shipped_substations()
    rng = np.random.default_rng(15)
    for k in range(150):
        lat, lon = rng.uniform(41.5, 51.0), rng.uniform(-4.5, 8.0)
        peak = [None, 5.0, 40.0, 120.0, 400.0][k % 5]
        facts = connection.grid_connection(table, lat, lon, peak)
        domain = connection.reference_domain(peak, "FR")
        mask = connection.connectable_mask(table, domain)
        for key, m in (("nearest", None), ("nearest_connectable", mask)):
            assert [(x["code"], x["distance_km"]) for x in facts[key]] == _nearest_reference(table, lat, lon, mask=m)
        assert connection.nearest(table, lat, lon, 7) == connection.nearest(
            table, lat, lon, 7, distances_km=connection.site_distances_km(table, lat, lon)
        )


def test_smallest_is_a_stable_argsort_prefix():
    rng = np.random.default_rng(3)
    for n in (0, 1, 3, 5, 50):
        for d in (
            rng.integers(0, 7, 300).astype(float),  # ties across the n-th value
            rng.normal(size=300),
            np.where(rng.random(300) < 0.97, np.nan, 1.0),  # fewer finite values than n
            np.full(30, 2.0),
        ):
            assert connection._smallest(d, n).tolist() == np.argsort(d, kind="stable")[:n].tolist()


# ----------------------------------------------------------------------------- whole estimates
def _projects():
    from impact.batch import _projects

    pairs, _ = _projects(ROOT / "data" / "registries" / "ile-de-france.csv")
    return [impact.load_project(MRS5)] + [p for _, p in pairs[:4]]


@pytest.mark.parametrize("k", range(5))
def test_estimate_bands_and_draws_from_their_definition(k):
    project = _projects()[k]
    r = estimate(project, draws=300)
    for name, ind in r.indicators.items():
        if not ind.known:
            assert name not in r.samples.columns
            continue
        lo, hi = np.nanpercentile(r.samples[name].to_numpy(), (5.0, 95.0))
        # the band widened to hold the central value (a skewed range)
        assert (ind.low, ind.high) == (float(min(lo, ind.central)), float(max(hi, ind.central))), name
    draws = {c: r.samples[c].to_numpy() for c in r.samples.columns}
    pd.testing.assert_frame_equal(r.samples, pd.DataFrame(draws), check_exact=True)
    assert list(r.samples.columns) == [n for n, i in r.indicators.items() if i.known]


def test_fingerprint_reads_the_same_bytes():
    import hashlib

    from impact import __version__
    from impact.engine import shipped_data_digest
    from impact.paths import data_dir
    from impact.project import project_text

    project = impact.load_project(MRS5)
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(project_text(project).encode("utf-8"))
    for table in sorted((data_dir() / "reference").glob("*.csv")):
        h.update(table.read_bytes())
    h.update(shipped_data_digest())
    # MRS5 points to no data file: nothing between the text and the tables
    from impact.project_data import data_files

    assert not data_files(project)
    assert fingerprint(project) == h.hexdigest()[:16]
