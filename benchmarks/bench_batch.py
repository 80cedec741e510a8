"""Batch on synthetic registries of 50, 200 and 1,000 sites (issue 15): per site, per city report,
peak memory, and 2 jobs against 1 beside the machine's own two-process ceiling.

Not a test: nothing here fails. ``python benchmarks/bench_batch.py [50 200 1000]`` runs the sizes
given (all three by default); ``make bench`` runs them through :func:`batch_sizes`.

Each run is a fresh process calling :func:`impact.batch.run_batch` (imports included, as in a
command), so that its peak memory is its own: the peak resident set of the batch's process and,
with 2 jobs, of its largest worker.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = ROOT / "data" / "france" / "communes.csv"
#: Sites per city in the synthetic registries: 1,000 sites in 200 cities, as in the issue.
SITES_PER_CITY = 5
#: Cooling designs the synthetic sites cycle through, one site in five of each. The adiabatic
#: one (its effectiveness drawn) is the slow path of an estimate: its hours cannot be sorted once
#: for every draw (impact.model.cooling_sums.block_sums).
COOLING = ("air_chillers", "adiabatic", "dry_free_cooling", "evaporative", "river")
HEADER = (
    "name,operator,city,country,status,source,year,it_capacity_mw,cooling.type,"
    "cooling.water_in_c,cooling.water_out_c,location.lat,location.lon"
)


def synthetic_registry(path: Path, sites: int) -> Path:
    """A registry of ``sites`` sites, :data:`SITES_PER_CITY` in each of the most populous
    mainland communes (real names and coordinates; capacities and cooling made up)."""
    with COMMUNES.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["kind"] == "commune" and not r["dep"].startswith("97")]
    rows.sort(key=lambda r: (-int(r["population"] or 0), r["code"]))
    from impact.sources.france import commune_at

    lines = [HEADER]
    for k in range(sites):
        c = rows[k // SITES_PER_CITY]
        j = k % SITES_PER_CITY
        cooling = COOLING[k % len(COOLING)]
        water = "14,26" if cooling == "river" else ","
        # A few hundred metres apart, inside the commune: a site across its border would make the
        # neighbour a city of its own (the registry must have SITES_PER_CITY sites in each city).
        for step in (0.002, 0.001, 0.0004, 0.0001, 0.0):
            lat, lon = float(c["lat"]) + step * j, float(c["lon"]) - step * j
            found = commune_at(lat, lon)
            if found is not None and found.code == c["code"]:
                break
        name = f"DC {k + 1:04d} {c['name']}".replace(",", " ")
        lines.append(
            f'"{name}",Synthetic,"{c["name"]}",FR,operating,synthetic registry for the benchmark,'
            f"{2010 + k % 15},{2 + (k * 7) % 40},{cooling},{water},{lat:.5f},{lon:.5f}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


#: Run in a child process: one batch, then what it measured, as JSON on the last line of stdout.
CHILD = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
import impact.batch
from impact.batch import run_batch
if len(sys.argv) > 5 and hasattr(impact.batch, "PRELOAD"):
    impact.batch.PRELOAD = sys.argv[5] == "preload"
cpu_of = {}
run_task = impact.batch._run_task


def timed(kind, *args):  # with 1 job the tasks run here: their CPU time, less sensitive to the load
    c0 = time.process_time()
    try:
        return run_task(kind, *args)
    finally:
        n, s = cpu_of.get(kind, (0, 0.0))
        cpu_of[kind] = (n + 1, s + time.process_time() - c0)


impact.batch._run_task = timed
t0 = time.perf_counter()
out = run_batch(Path(sys.argv[1]), Path(sys.argv[2]), jobs=int(sys.argv[3]), force=True, date="2026-11-25",
                progress=False, log=lambda msg: None)
wall = time.perf_counter() - t0
kinds = {}
for kind, _, seconds in out.tasks:
    n, s = kinds.get(kind, (0, 0.0))
    kinds[kind] = (n + 1, s + seconds)
own = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "kinds": kinds, "cpu_of": cpu_of, "cities": len(out.cities),
                  "cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
                  "main_mb": own.ru_maxrss / 1024, "worker_mb": kids.ru_maxrss / 1024}))
"""


def run_batch_child(registry: Path, out: Path, jobs: int, preload: bool = True) -> dict:
    """One batch in a fresh process (imports included in its time, as a command's are): its wall
    time, CPU (its workers' included), the tasks' times by kind, and the peak resident set of the
    batch's process and of its largest worker [MB] (Linux's ``ru_maxrss``, in kilobytes)."""
    import json

    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(registry), str(out), str(jobs), str(ROOT), "preload" if preload else "-"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall"] = time.perf_counter() - t0
    return result


def _spin(n: int) -> float:
    """Pure-Python and numpy CPU work, independent of any file: what the machine gives a process."""
    import numpy as np

    total = 0
    for i in range(n):
        total += i * i
    rng = np.random.default_rng(0)
    for _ in range(n // 200_000):
        total += float(np.sort(rng.random(200_000)).sum())
    return float(total)


def two_process_ceiling(n: int = 8_000_000) -> float:
    """The same work done twice one after the other, then in 2 processes at once: the speed-up
    the machine itself allows now (2.0 on two idle cores; less on a shared machine)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2, mp_context=ctx) as pool:
        list(pool.map(_spin, [10, 10]))  # the workers started
        t0 = time.perf_counter()
        _spin(n)
        _spin(n)
        serial = time.perf_counter() - t0
        t0 = time.perf_counter()
        list(pool.map(_spin, [n, n]))
        parallel = time.perf_counter() - t0
    return serial / parallel


def bench_size(sites: int, tmp: Path) -> dict:
    registry = synthetic_registry(tmp / f"registry-{sites}.csv", sites)
    out: dict = {"sites": sites}
    for jobs in (1, 2):
        ceiling_before = two_process_ceiling() if jobs == 2 else None
        out[jobs] = run_batch_child(registry, tmp / f"out-{sites}-{jobs}", jobs)
        if ceiling_before is not None:
            out["ceiling"] = (ceiling_before + two_process_ceiling()) / 2  # before and after the run
    return out


def report(r: dict) -> None:
    one, two = r[1], r[2]
    speedup = one["wall"] / two["wall"]
    kinds = one["kinds"]
    site_ms = 1000 * kinds["site"][1] / max(kinds["site"][0], 1)
    city_s = sum(kinds.get(k, (0, 0.0))[1] for k in ("map", "chart", "render")) / max(one["cities"], 1)
    print(
        f"  {r['sites']:5d} sites, {one['cities']:4d} cities: 1 job {one['wall']:6.1f} s (CPU {one['cpu']:6.1f} s,"
        f" peak {one['main_mb']:5.0f} MB); 2 jobs {two['wall']:6.1f} s (peak {two['main_mb']:5.0f} MB main,"
        f" {two['worker_mb']:5.0f} MB largest worker, CPU {two['cpu']:6.1f} s)"
    )
    parts = ", ".join(
        f"{k} {1000 * kinds[k][1] / kinds[k][0]:.0f} ms" for k in ("map", "chart", "render") if k in kinds
    )
    print(f"      per site {site_ms:5.0f} ms; per city report {city_s:5.2f} s ({parts}): wall, in the tasks")
    cpu_of = one.get("cpu_of") or {}
    if "site" in cpu_of:
        site_cpu = 1000 * cpu_of["site"][1] / cpu_of["site"][0]
        city_cpu = sum(cpu_of.get(k, (0, 0.0))[1] for k in ("map", "chart", "render")) / max(one["cities"], 1)
        rest = one["cpu"] - sum(s for _, s in cpu_of.values())
        print(
            f"      CPU with 1 job: per site {site_cpu:5.0f} ms, per city report {city_cpu:5.2f} s;"
            f" outside the tasks (plan, sums, tables) {rest:5.1f} s"
        )
    print(
        f"      2 jobs against 1: {speedup:4.2f} x; the machine's two-process ceiling {r['ceiling']:4.2f} x:"
        f" {speedup / r['ceiling']:4.2f} of it (target >= 0.9)"
    )


def batch_sizes(sizes: tuple[int, ...] = (50, 200, 1000)) -> list[dict]:
    """The batch at each size; targets at 1,000 sites and 200 cities: <= 150 s and <= 1 GB with
    1 job, 2 jobs >= 0.9 x the machine's ceiling."""
    print(f"impact batch on synthetic registries ({SITES_PER_CITY} sites a city, real communes; fresh process)")
    t0 = time.perf_counter()
    _spin(8_000_000)
    print(
        f"  the machine: the ceiling's one-process workload in {time.perf_counter() - t0:.2f} s"
        " (to compare figures measured on different machines)"
    )
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sorted(sizes):
            r = bench_size(n, Path(tmp))
            report(r)
            results.append(r)
    return results


if __name__ == "__main__":
    batch_sizes(tuple(int(a) for a in sys.argv[1:]) or (50, 200, 1000))
