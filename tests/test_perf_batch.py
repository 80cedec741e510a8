"""The batch's lighter run (issue 15, item 2): the same bytes whatever the jobs, city totals
from the sites' kept draws equal to those from all their draws, ``estimate_many`` and
``site_outcomes`` in parallel equal to serial, a killed worker failing its site only.

The batch's other behaviour (isolation, resumption, workers dying with the parent) is
tested in test_batch.py and test_robust_batch.py; the speed in benchmarks/bench_batch.py.
"""

from __future__ import annotations

import pytest

from impact import batch
from impact.batch import WORKER_DIED, city_total, estimate_many, run_batch, site_outcomes

from .conftest import ROOT

REGISTRY = ROOT / "data" / "registries" / "marseille.csv"
DATE = "2026-11-25"
DRAWS = 200


def _quiet(msg):
    pass


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = {}
    for jobs in (1, 2):
        folder = tmp_path_factory.mktemp(f"jobs{jobs}")
        out[jobs] = (folder, run_batch(REGISTRY, folder, jobs=jobs, date=DATE, draws=DRAWS, progress=False, log=_quiet))
    return out


def test_one_and_two_jobs_write_the_same_bytes(runs):
    (one, r1), (two, r2) = runs[1], runs[2]
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir())
    assert {"summary.csv", "sites.gpkg", "Marseille-13055.pdf", "Bouc-Bel-Air-13015.pdf"} <= set(names)
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    assert len(r1.written) == len(r2.written) == 4


def test_city_totals_from_the_kept_draws_equal_those_from_all_draws(runs):
    # Reference: every site estimated with all its draws (float64, the hourly table kept), summed
    # by city_total outside the batch. The batch keeps only the additive draws, then none.
    _, outcome = runs[1]
    full = site_outcomes(REGISTRY, draws=DRAWS, keep_hourly=True)
    assert all(o.results.samples is None and o.results.hourly is None for o in outcome.sites)
    for total in outcome.cities:
        expected = city_total(total.city, [o for o in full if o.city == total.city])
        for name, ind in expected.indicators.items():
            got = total.indicators[name]
            assert (got.low, got.central, got.high, got.status) == (ind.low, ind.central, ind.high, ind.status), name


def test_a_site_keeps_only_the_draws_city_totals_add():
    n, project = 5, batch._projects(REGISTRY)[0][4][1]
    kept = batch._estimate_site(n, project, DRAWS, 42, keep_hourly=False, all_draws=False)
    whole = batch._estimate_site(n, project, DRAWS, 42)
    assert set(kept.results.samples.columns) == {c for c in whole.results.samples.columns if c in batch.ADDITIVE}
    assert kept.results.samples.shape == (DRAWS, len(kept.results.samples.columns)) and len(kept.results.samples) > 0
    for c in kept.results.samples.columns:
        assert (kept.results.samples[c].to_numpy() == whole.results.samples[c].to_numpy()).all(), c


def _registry_with_a_bad_row(tmp_path):
    text = REGISTRY.read_text(encoding="utf-8").rstrip("\n")
    header = text.splitlines()[0]
    bad = ["BAD", "Op", "Marseille", "FR", "operating", "src", "2020", "-3"] + [""] * (header.count(",") - 7)
    path = tmp_path / "with-bad.csv"
    path.write_text(text + "\n" + ",".join(bad) + "\n", encoding="utf-8")
    return path


def test_estimate_many_in_two_processes_equals_one(tmp_path):
    registry = _registry_with_a_bad_row(tmp_path)
    one = estimate_many(registry, draws=DRAWS, jobs=1)
    two = estimate_many(registry, draws=DRAWS, jobs=2)
    assert list(one["name"]) == ["MRS1", "MRS2", "MRS3", "MRS4", "MRS5", "MRS6", "BAD"]
    assert one.loc[6, "result"].startswith("error: ") and "it_capacity_mw" in one.loc[6, "result"]
    assert one.equals(two)


def test_a_killed_worker_fails_only_its_site_in_estimate_many(monkeypatch):
    serial = estimate_many(REGISTRY, draws=DRAWS)
    monkeypatch.setenv(batch.FAULT_ENV, "site:MRS3:kill")  # read in the worker only (jobs=2)
    parallel = estimate_many(REGISTRY, draws=DRAWS, jobs=2).set_index("name")
    assert parallel.loc["MRS3", "result"] == f"error: {WORKER_DIED}"
    assert parallel.loc["MRS3", "facility_energy_mwh"] != parallel.loc["MRS3", "facility_energy_mwh"]  # NaN: empty
    others = serial.set_index("name").drop(index="MRS3")
    assert others.equals(parallel.drop(index="MRS3"))


def test_site_outcomes_keep_the_hourly_table_only_when_asked():
    lean = site_outcomes(REGISTRY, draws=DRAWS, jobs=2)
    full = site_outcomes(REGISTRY, draws=DRAWS, keep_hourly=True)
    hourly = [o for o in full if o.results.meta.get("cooling_model") == "hourly"]
    assert hourly, "the Marseille registry has sites the hourly cooling model runs on"
    assert all(o.results.hourly is not None and len(o.results.hourly) == 8760 for o in hourly)
    assert all(o.results.hourly is None for o in lean)
    for a, b in zip(lean, full, strict=True):
        assert a.row == b.row and a.results.to_dict() == b.results.to_dict()


def test_jobs_must_be_positive():
    with pytest.raises(batch.InputError):
        estimate_many(REGISTRY, jobs=0)
