"""Benchmarks: print wall times as figures (``make bench``). Not a test: nothing here fails."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
MRS5 = ROOT / "data" / "projects" / "mrs5.yaml"
sys.path.insert(0, str(ROOT))  # measure the code beside this file, not another install
SHARED = ROOT.parent / "shared" / "data"
ECO2MIX = SHARED / "eco2mix" / "eco2mix-national-tr_2021-12-01_15.csv"


def wall(fn, repeat: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def main(only: list[str] | None = None) -> None:
    import impact

    if only:  # e.g. `python benchmarks/bench.py dossier_with_data_files`
        for name in only:
            globals()[name]()
        return

    print(f"impact {impact.__version__}, Python {sys.version.split()[0]}")
    cli = [sys.executable, "-m", "impact", "estimate", str(MRS5)]
    med, best = wall(lambda: subprocess.run(cli, check=True, capture_output=True))
    print(f"impact estimate mrs5.yaml (whole command)       median {med * 1000:7.1f} ms   best {best * 1000:7.1f} ms")
    help_cmd = [sys.executable, "-m", "impact", "--help"]
    med, best = wall(lambda: subprocess.run(help_cmd, check=True, capture_output=True))
    print(f"impact --help                                   median {med * 1000:7.1f} ms   best {best * 1000:7.1f} ms")

    project = impact.load_project(MRS5)
    impact.estimate(project)  # warm caches (reference tables)
    med, best = wall(lambda: impact.estimate(project, draws=2000), repeat=20)
    print(f"model alone, 2,000 draws                        median {med * 1000:7.1f} ms   best {best * 1000:7.1f} ms")
    cooling_monte_carlo(project)
    from bench_estimate import estimate_vs_floor  # beside this file

    estimate_vs_floor()  # issue 15: estimate and its model part against the sorted-sum floor, 2,000 and 200,000 draws
    site_placement()
    maps()
    dossier()
    # issue 15: the dossier against WeasyPrint alone + matplotlib alone (target <= 1.25 x). In a process of
    # its own: Linux counts the RSS a child had before its exec (this process's, by now several hundred
    # MB) in the child's peak, so the peaks of its children are only theirs when their parent is small.
    subprocess.run([sys.executable, str(HERE / "bench_dossier.py")], check=True)
    dossier_with_data_files()
    ratio = parallel_ceiling()
    print(f"machine: two independent CPU-bound processes   {ratio:7.2f} x faster than one after the other")
    batch()
    # issue 15: synthetic registries of 50, 200 and 1,000 sites (its own process, as above)
    subprocess.run([sys.executable, str(HERE / "bench_batch.py")], check=True)


def parallel_ceiling() -> float:
    """What two processes gain on this machine for pure, independent CPU work (the batch's ceiling):
    the same measure as the synthetic registries' (:func:`bench_batch.two_process_ceiling`)."""
    from bench_batch import two_process_ceiling  # beside this file

    return two_process_ceiling()


def _alternate(run, repeat: int) -> dict[int, list[float]]:
    """Wall times of ``run(jobs)`` for 1 and 2 jobs, alternated so that both see the same machine."""
    times: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(repeat):
        for jobs in (1, 2):
            t0 = time.perf_counter()
            run(jobs)
            times[jobs].append(time.perf_counter() - t0)
    return times


def schedule_bound(tasks, workers: int = 2) -> tuple[float, float, str, float]:
    """The best speed-up any schedule on ``workers`` processes could reach, from tasks timed in one process.

    A city's report waits for its map and chart, and its chart for all its sites: the report
    cannot start before the sites and the chart are done one after the other (the sites shared
    by the workers), nor before the map, nor before all three could be done by the workers
    together. The makespan is at least that plus the report, and at least the work divided by
    the workers. Returns (bound, work [s], city of the longest chain, that chain [s]).
    """
    work = sum(t for _, _, t in tasks)
    chains = {}
    for city in {c for _, c, _ in tasks}:

        def cost(kind):
            return [t for k, c, t in tasks if c == city and k == kind]

        sites, chart, map_, render = sum(cost("site")), sum(cost("chart")), sum(cost("map")), sum(cost("render"))
        before = max(
            max(cost("site"), default=0.0) + chart, sites / workers + chart, map_, (sites + chart + map_) / workers
        )
        chains[city] = before + render
    city = max(chains, key=chains.get)
    return work / max(work / workers, chains[city]), work, city, chains[city]


def batch() -> None:
    """Batch throughput, one and two processes (target: >= 1.7 x), beside what the machine and the
    registry's own structure allow."""
    import tempfile

    from impact.batch import run_batch

    registry = ROOT / "data" / "registries" / "marseille.csv"
    with tempfile.TemporaryDirectory() as tmp:
        # The same six sites under four city names: a registry the size of a region.
        lines = registry.read_text(encoding="utf-8").splitlines()
        big = Path(tmp) / "region.csv"
        rows = [lines[0]] + [
            line.replace(",Marseille,", f",Marseille {k},").replace(",Bouc-Bel-Air,", f",Bouc-Bel-Air {k},")
            for k in range(1, 5)
            for line in lines[1:]
        ]
        big.write_text("\n".join(rows) + "\n", encoding="utf-8")
        for label, reg, repeat in (
            ("marseille.csv (6 sites, 2 cities)", registry, 5),
            ("x4 (24 sites, 8 cities)", big, 3),
        ):
            print(f"impact batch {label}")
            ceiling = parallel_ceiling()

            def command(jobs):
                cmd = [
                    sys.executable,
                    "-m",
                    "impact",
                    "batch",
                    str(reg),
                    "-o",
                    str(Path(tmp) / f"out{jobs}"),
                    "--date",
                    "2026-11-25",
                    "--jobs",
                    str(jobs),
                    "--force",
                ]
                subprocess.run(cmd, check=True, capture_output=True)

            whole = _alternate(command, repeat)

            def quiet(msg):
                pass

            def in_process(jobs):
                return run_batch(
                    reg, Path(tmp) / f"w{jobs}", jobs=jobs, force=True, date="2026-11-25", progress=False, log=quiet
                )

            in_process(1)  # imports and caches: what a long batch has paid already
            warm = _alternate(in_process, repeat)
            bound, work, city, chain = schedule_bound(in_process(1).tasks)
            for name, t in (
                ("whole command (start-up and imports included)", whole),
                ("in a warm process (throughput)", warm),
            ):
                t1, t2 = min(t[1]), min(t[2])
                print(
                    f"  {name:<48} best {t1 * 1000:6.0f} ms with 1 job, {t2 * 1000:6.0f} ms with 2:"
                    f" {t1 / t2:5.2f} x   (target >= 1.7)"
                )
            print(
                f"  best any 2-process schedule could do here       {bound:5.2f} x   (work {work * 1000:.0f} ms;"
                f" {city}'s report cannot end before {chain * 1000:.0f} ms)"
            )
            print(f"  machine ceiling just before                     {ceiling:5.2f} x")


def maps() -> None:
    """Site maps (city and thumbnail) for three sites, and the connection facts of an estimate
    (the nearest substations from the shipped table, without geopandas)."""
    import impact
    from impact.project_data import grid_connection
    from impact.report.maps import site_map

    cases = ROOT / "data" / "projects" / "cases"
    for path in (MRS5, cases / "digital-realty-dugny.yaml", cases / "campus-ia-fouju.yaml"):
        r = impact.estimate(impact.load_project(path), draws=200)
        site_map(r)  # the first map of a process reads the shipped outlines and basemap
        for scale in ("city", "small"):
            med, best = wall(lambda: site_map(r, scale=scale), repeat=3)
            print(f"site_map {path.stem:<24} {scale:<5}       median {med * 1000:7.0f} ms   best {best * 1000:7.0f} ms")
    territory_map()
    project = impact.load_project(MRS5)
    med, best = wall(lambda: grid_connection(project, 30.0), repeat=20)
    print(f"grid connection facts (shipped table, 3 + 3)    median {med * 1000:7.1f} ms   best {best * 1000:7.1f} ms")


def territory_map() -> None:
    """A batch's territory map whose sites have no coordinates (Seine-Saint-Denis, at their
    communes), and the registry sites each territory's map can show (a report's fingerprint)."""
    from impact.batch import map_neighbours, territory_groups
    from impact.project_data import read_registry_file
    from impact.report.city import city_map_figure

    rows = list(read_registry_file(ROOT / "data" / "registries" / "ile-de-france.csv"))
    projects = [p for _, p in rows]
    groups = territory_groups(projects, [], "departement")
    sites = [(p.name, p) for g, p in zip(groups, projects) if g == "Seine-Saint-Denis"]
    city_map_figure("Seine-Saint-Denis", sites, "fr", rows)
    med, best = wall(lambda: city_map_figure("Seine-Saint-Denis", sites, "fr", rows), repeat=3)
    print(f"territory map, 4 sites at their communes      median {med * 1000:7.0f} ms   best {best * 1000:7.0f} ms")
    med, best = wall(lambda: map_neighbours(groups, projects), repeat=3)
    print(f"map neighbours, 9 sites in 5 départements     median {med * 1000:7.0f} ms   best {best * 1000:7.0f} ms")


def dossier() -> None:
    """The whole dossier, split into estimate, figures, HTML and WeasyPrint (target: < 10 s, and the whole
    command within 1.5 x the WeasyPrint render plus the figure saving)."""
    import tempfile

    from impact.report.dossier import build_dossier

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        out = build_dossier(MRS5, Path(tmp) / "mrs5.pdf", date="2026-11-25")
        total = time.perf_counter() - t0
    t = out.timings
    print(f"impact dossier mrs5.yaml (in process)           {total * 1000:7.0f} ms")
    print(f"  estimate (project + 4 alternatives)            {t.estimate * 1000:7.0f} ms")
    print(f"  figures (maps, charts, sensitivity)            {t.figures * 1000:7.0f} ms")
    for name, seconds in t.steps.items():
        print(f"    {name:<44} {seconds * 1000:7.0f} ms")
    print(f"  HTML (Jinja2)                                  {t.html * 1000:7.0f} ms")
    print(f"  PDF (WeasyPrint, PDF/A-3b)                     {t.pdf * 1000:7.0f} ms")
    ratio = total / (t.pdf + t.figures)
    print(f"  whole / (WeasyPrint + figures)                 {ratio:7.2f} x   (target <= 1.5)")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            sys.executable,
            "-m",
            "impact",
            "dossier",
            str(MRS5),
            "-o",
            str(Path(tmp) / "m.pdf"),
            "--date",
            "2026-11-25",
        ]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        print(
            f"impact dossier mrs5.yaml (whole command)       {(time.perf_counter() - t0) * 1000:7.0f} ms   (target < 10 s)"
        )


def cooling_monte_carlo(project) -> None:
    """The hourly cooling model alone over 8,760 hours x 2,000 draws (target: under 1 s)."""
    import numpy as np

    from impact.engine import _Model
    from impact.model import cooling

    model = _Model(project)
    frame = model.inp.cooling.climate.frame
    rng = np.random.default_rng(0)
    draws = 2000

    def col(low, central, high):
        return rng.triangular(low, central, high, (draws, 1))

    params = dict(
        supply_c=col(18, 22.5, 27),
        approach_k=col(3, 5.2, 8),
        band_k=col(8, 11, 15),
        chiller_approach_k=col(3, 5, 8),
        air_condenser_approach_k=col(10, 15, 20),
        tower_approach_k=col(3, 3.9, 6),
        adiabatic_effectiveness=col(0.6, 0.7, 0.85),
        aux_share=col(0.05, 0.08, 0.15),
        distribution_share=col(0.0204, 0.0417, 0.0638),
        cop_air_rated=2.8,
        t_air_rated_c=35.0,
        cop_water_rated=4.5,
        t_water_rated_c=29.4,
    )
    t_air, t_wb = frame["temp_air_c"].to_numpy(), frame["temp_wet_bulb_c"].to_numpy()
    for system in ("dry_free_cooling", "adiabatic", "river"):
        water = None
        if system == "river":
            water = dict(
                coverage_share=col(0.2, 0.32, 0.4),
                t_in_c=15.0,
                t_out_c=30.0,
                flow_m3_per_h=None,
                density_kg_per_m3=998.21,
                specific_heat_j_per_kg_k=4184.1,
                hx_approach_k=col(1, 2, 3),
            )

        def run():
            cooling.simulate(
                system=system, it_mw=col(10, 12, 15), temp_air_c=t_air, temp_wet_bulb_c=t_wb, water=water, **params
            )

        med, best = wall(run, repeat=5)
        print(
            f"cooling model, 8,760 h x 2,000 draws, {system:<17} median {med * 1000:7.1f} ms   best {best * 1000:7.1f} ms"
        )
    offset = col(-0.7, 0.0, 0.7)

    def shifted():
        cooling.simulate(
            system="dry_free_cooling",
            it_mw=col(10, 12, 15),
            temp_air_c=t_air,
            temp_wet_bulb_c=t_wb,
            temp_offset_k=offset,
            **params,
        )

    med, best = wall(shifted, repeat=5)
    print(f"  the same with a climate offset per draw         median {med * 1000:7.1f} ms   best {best * 1000:7.1f} ms")
    climate_choice()

    eco2mix_year()


def climate_choice() -> None:
    """Choosing a shipped climate series and building its hourly frame, for sites all over France
    (each a new station-year-altitude: nothing cached)."""
    from impact.project import parse_project_text
    from impact.sources import climate

    points = [(43.3 + 0.35 * i, -1.0 + 0.45 * i) for i in range(16)]
    t0 = time.perf_counter()
    for i, (lat, lon) in enumerate(points):
        p = parse_project_text(
            f"name: b\ncountry: FR\nit_capacity_mw: 1\n"
            f"location: {{lat: {lat}, lon: {lon}, altitude_m: {100 + 7 * i}}}\n",
            "b.yaml",
        )
        climate.project_climate(p, 2026)
    per = (time.perf_counter() - t0) / len(points)
    print(
        f"climate choice + hourly frame, per new site      {per * 1000:7.1f} ms   (16 sites, first one loads the data)"
    )


def site_placement() -> None:
    """Placing sites in their commune (point in polygon on the shipped outlines) and their local
    context: a fresh process's first site, then sites all over France (warm)."""
    code = (
        "import time; t0 = time.perf_counter(); from impact.sources import france; "
        "france.commune_at(48.949, 2.4226); print(time.perf_counter() - t0)"
    )
    firsts = sorted(
        float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
        for _ in range(3)
    )
    from impact.sources import france

    points = [(42.6 + 0.5 * (i % 17), -4.3 + 0.7 * (i % 19)) for i in range(200)]
    t0 = time.perf_counter()
    for lat, lon in points:
        france.commune_at(lat, lon)
    per = (time.perf_counter() - t0) / len(points)
    print(
        f"site in its commune: first in a fresh process   median {firsts[1] * 1000:7.1f} ms   "
        f"then {per * 1000:.2f} ms a site (200 points)"
    )


def write_eco2mix_year(src: Path, dest: Path, rows: int = 35040) -> Path:
    """A year of 15-minute steps (35,040 rows): the real rows of ``src`` repeated with
    shifted time stamps, written as the export is (``;``, CRLF, trailing ``;``)."""
    import csv
    from datetime import datetime, timedelta, timezone

    with src.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f, delimiter=";"))
    header, body = table[0], table[1:]
    i_stamp, i_date, i_hour = header.index("Date - Heure"), header.index("Date"), header.index("Heure")
    start = datetime(2021, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    lines = [";".join(header)]
    for k in range(rows):
        row = list(body[k % len(body)])
        t = start + timedelta(minutes=15 * k)
        row[i_stamp], row[i_date], row[i_hour] = t.isoformat(), t.strftime("%Y-%m-%d"), t.strftime("%H:%M")
        lines.append(";".join(row) + ";")
    dest.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return dest


def eco2mix_year() -> None:
    import tempfile

    from impact.sources import read_eco2mix

    if not ECO2MIX.exists():
        print(f"éCO2mix year: skipped ({ECO2MIX} is not here)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = write_eco2mix_year(ECO2MIX, Path(tmp) / "eco2mix-year.csv")
        read_eco2mix(path)  # warm imports
        med, best = wall(lambda: read_eco2mix(path), repeat=5)
        n = len(read_eco2mix(path))
    print(f"read_eco2mix, one year at 15 min ({n:,} rows)    median {med * 1000:7.1f} ms   best {best * 1000:7.1f} ms")


def mrs5_with_data_files(folder: Path) -> Path:
    """MRS5 pointing at real data files of ``../shared/data``: a weather file (any EPW: the
    bench measures the reading, not the climate), the éCO2mix national export, the
    substations, cables and communes around Marseille."""
    text = MRS5.read_text(encoding="utf-8")
    text = text.replace("grid:\n", f"grid:\n  eco2mix: {ECO2MIX}\n", 1)
    text += (
        f"climate: {{epw: {SHARED / 'climate/epw/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw'}}}\n"
        f"context:\n  substations: {SHARED / 'grid/postes-rte-marseille-bbox.csv'}\n"
        f"  cables: {SHARED / 'submarine-cables/marseille-cables-geo.json'}\n"
        f"  boundaries: {SHARED / 'france-geojson/communes-13-bouches-du-rhone.geojson'}\n"
    )
    path = folder / "mrs5-data.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def dossier_with_data_files() -> None:
    """The MRS5 dossier with its data files (:func:`mrs5_with_data_files`): wall time, and how
    many times each file is parsed (counted by wrapping the parsers; target: once each)."""
    import collections
    import tempfile

    from impact.report.dossier import build_dossier
    from impact.sources import _geo, eco2mix, epw, rte

    if not SHARED.is_dir():
        print(f"dossier with data files: skipped ({SHARED} is not here)")
        return
    counts: collections.Counter = collections.Counter()
    seconds: collections.Counter = collections.Counter()  # wall time inside the parsers
    wrapped = []
    # Vector files (boundaries, cables): read_vector before issue 11, parse_vector since.
    for module, name, what in (
        (eco2mix, "parse_eco2mix", "éCO2mix"),
        (epw, "parse_epw", "EPW"),
        (rte, "parse_rte_substations", "substations"),
        (_geo, "read_vector", "vector"),
        (_geo, "parse_vector", "vector"),
    ):
        original = getattr(module, name, None)
        if original is None:
            continue

        def counting(*args, _original=original, _name=what, **kwargs):
            counts[_name] += 1
            t0 = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                seconds[_name] += time.perf_counter() - t0

        setattr(module, name, counting)
        wrapped.append((module, name, original))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            project = mrs5_with_data_files(Path(tmp))
            build_dossier(project, Path(tmp) / "warm.pdf", date="2026-11-25")  # imports, caches
            counts.clear()
            seconds.clear()
            times, cpu = [], []
            for k in range(3):
                t0, c0 = time.perf_counter(), time.process_time()
                out = build_dossier(project, Path(tmp) / f"d{k}.pdf", date="2026-11-25")
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
    finally:
        for module, name, original in wrapped:
            setattr(module, name, original)
    per_run = {k: v / 3 for k, v in counts.items()}
    print(
        f"impact dossier mrs5 + data files (in process)   median {statistics.median(times) * 1000:7.0f} ms   "
        f"best {min(times) * 1000:7.0f} ms   (CPU median {statistics.median(cpu) * 1000:.0f} ms)"
    )
    print(f"  estimate (project + 4 alternatives)            {out.timings.estimate * 1000:7.0f} ms")
    print(f"  figures (maps, charts, sensitivity)            {out.timings.figures * 1000:7.0f} ms")
    print(
        "  parses per dossier: "
        + ", ".join(f"{k} {v:g}" for k, v in sorted(per_run.items()))
        + "   (target: 1 each; vector: boundaries and cables, 2)"
    )
    print(
        f"  time in the parsers per dossier                {sum(seconds.values()) / 3 * 1000:7.0f} ms   ("
        + ", ".join(f"{k} {v / 3 * 1000:.0f}" for k, v in sorted(seconds.items()))
        + ")"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
