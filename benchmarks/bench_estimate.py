"""The cooling Monte Carlo against its floor (issue 15): time and peak memory of ``estimate``.

Prints, for MRS5 at 2,000 and 200,000 draws (medians of repeats):

- ``estimate(draws=N)``, whole call, and its model part (``engine._cooling`` on the drawn values:
  the annual sums and the peak);
- the floor: the same arithmetic written plainly in numpy with sorted temperatures and prefix sums
  (:func:`floor_sorted_sums`: the annual sums of a river site's economiser and air-cooled chillers,
  and the peak at the hottest hour), with the chillers' fit to their two ratings done once
  (``cooling.chiller_fit``, as the model must);
- peak memory of a whole ``estimate(draws=N)`` in a fresh process (``ru_maxrss`` less the
  process's size after the imports and one warm-up run, and the tracemalloc peak of the call).

``--adiabatic [draws]``: a drawn adiabatic effectiveness, block sums against hour by hour (CPU).

Not a test: nothing here fails. ``python benchmarks/bench_estimate.py [draws ...]``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MRS5 = ROOT / "data" / "projects" / "mrs5.yaml"
sys.path.insert(0, str(ROOT))


def _median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _alternate(a, b, repeat: int) -> tuple[float, float]:
    """Medians of ``a`` and ``b`` run in turn (the machine's load drifts alike for both)."""
    ta, tb = [], []
    for _ in range(repeat):
        for fn, out in ((a, ta), (b, tb)):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


def floor_sorted_sums(t_air, hot_temp_max, p) -> dict:
    """The plain-numpy floor of the model part for a river site (dry economiser, air-cooled chillers,
    a constant water share): sort the hours once, prefix sums of T and T^2, per draw the band edges by
    ``searchsorted``; the engine's cooling results (:func:`impact.engine._cooling`'s keys) from them,
    the peak at the hottest hour (every term rises with the temperature).

    ``p``: the drawn parameters as ``(draws,)`` arrays (or scalars) [units of ``cooling.simulate``].
    """
    import numpy as np

    xs = np.sort(t_air)
    n_h = xs.size
    c1 = np.concatenate(([0.0], np.cumsum(xs)))
    c2 = np.concatenate(([0.0], np.cumsum(xs * xs)))
    t_chilled = p["supply_c"] - p["approach_k"]
    t_full = np.minimum(p["supply_c"] - p["dry_economiser_approach_k"], t_chilled) - p["offset"]
    band = p["band_k"]
    m = p["air_condenser_approach_k"] + p["chiller_approach_k"]
    t_cold = t_chilled - p["chiller_approach_k"] + 273.15
    k = 1.0 / (p["eta"] * t_cold)
    c0 = m - t_chilled + p["offset"]  # lift = max(T + c0, m)
    b_e0, b_e1, b_i = t_full, t_full + band, m - c0
    i0, i1, ii = (np.searchsorted(xs, b, side="right") for b in (b_e0, b_e1, b_i))

    def seg(lo, hi):
        return hi - lo, c1[hi] - c1[lo], c2[hi] - c2[lo]

    # Sum of e: 1 below b_e0, (b_e1 - T) / band across the band.
    n, s1, _ = seg(i0, i1)
    e_sum = i0 + (b_e1 * n - s1) / band
    # Sum of 1/COP: (m + L) k below b_i, (T + c0 + L) k above.
    n, s1, _ = seg(ii, np.full_like(ii, n_h))
    inv_sum = (m + p["loss"]) * k * ii + k * (s1 + (c0 + p["loss"]) * n)
    # Sum of e / COP over the three edges' four intervals (e = 1 below b_e0).
    edges = np.sort(np.stack(np.broadcast_arrays(b_e0, b_e1, b_i)), axis=0)
    idx = [np.zeros_like(ii)] + [np.searchsorted(xs, b, side="right") for b in edges] + [np.full_like(ii, n_h)]
    e_inv = 0.0
    for j in range(4):
        lo, hi = idx[j], idx[j + 1]
        r = edges[0] - 1 if j == 0 else edges[2] + 1 if j == 3 else 0.5 * (edges[j - 1] + edges[j])
        ea = np.where(r <= b_e0, 1.0, np.where(r <= b_e1, b_e1 / band, 0.0))
        eb = np.where(r <= b_e0, 0.0, np.where(r <= b_e1, -1.0 / band, 0.0))
        ia = np.where(r <= b_i, (m + p["loss"]) * k, (c0 + p["loss"]) * k)
        ib = np.where(r <= b_i, 0.0, k)
        n, s1, s2 = seg(lo, hi)
        e_inv = e_inv + ea * ia * n + (ea * ib + eb * ia) * s1 + eb * ib * s2
    # The river water's share (constant in hours): the exchanger's feasibility, the declared coverage,
    # none when the intake is not below the outlet.
    feasible = np.clip((t_chilled + band - (p["t_in"] + p["hx"])) / band, 0.0, 1.0)
    w = np.where(p["t_in"] < p["t_out"], np.minimum(p["coverage"], feasible), 0.0)
    rest = 1.0 - w
    load = p["it"] * (1 + p["dist"])
    it_e, aux_e, dist_e = p["it"] * n_h, p["aux"] * load * n_h, p["dist"] * p["it"] * n_h
    chiller = load * (rest * (inv_sum - e_inv))
    facility = it_e + chiller + aux_e + dist_e
    chillers_only = it_e + load * inv_sum + aux_e + dist_e
    free_cooled = it_e + aux_e + dist_e + load * (inv_sum - e_inv)
    water_heat = load * w * n_h
    rise = p["t_out"] - p["t_in"]
    per_k = np.where(rise > 0, w / np.where(rise > 0, rise, 1.0), 0.0)
    out = {
        "pue_modelled": facility / it_e,
        "cooling_energy_mwh": chiller + aux_e,
        "cooling_energy_chillers_mwh": chiller,
        "cooling_energy_auxiliaries_mwh": aux_e,
        "cooling_share_free": rest * e_sum / n_h,
        "cooling_share_water": w,
        "cooling_share_chillers": rest * (n_h - e_sum) / n_h,
        "cooling_saving_share": load * (inv_sum - rest * (inv_sum - e_inv)) / chillers_only,
        "cooling_saving_water_vs_chillers_share": load * w * inv_sum / chillers_only,
        "cooling_saving_water_vs_free_cooling_share": load * w * (inv_sum - e_inv) / free_cooled,
        "water_heat_mwh": water_heat,
        "thermal_discharge_mean_modelled_mw": water_heat / n_h,
        "water_volume_modelled_m3": load * per_k * n_h * 3.6e9 / (p["rho"] * p["cp"]),
    }
    # The peak at the hottest hour (every term rises with the temperature), at full IT load.
    t_hot = hot_temp_max
    e_hot = np.clip((b_e1 - t_hot) / band, 0, 1)
    inv_hot = (np.maximum(t_hot + c0, m) + p["loss"]) * k
    load_full = p["it_full"] * (1 + p["dist"])
    out["peak_modelled_mw"] = load_full * (1.0 + rest * (1 - e_hot) * inv_hot + p["aux"])
    out["thermal_discharge_max_modelled_mw"] = load_full * w
    return out


def _floor_inputs(model, values):
    """The floor's parameters from the engine's drawn values (the same draws as the estimate)."""
    import numpy as np

    from impact.engine import _outlet_used_c
    from impact.model import cooling

    v = values
    a = np.asarray
    eta, loss = cooling.chiller_fit(
        a(v["cooling.cop_air_rated"]),
        a(v["cooling.cop_air_iplv"]) if "cooling.cop_air_iplv" in v else None,
        v["cooling.t_air_rated_c"],
        "air",
        a(v["cooling.air_condenser_approach_k"]),
        a(v["cooling.chiller_approach_k"]),
    )
    p = {
        name: a(v[f"cooling.{name}"])
        for name in (
            "supply_c",
            "approach_k",
            "band_k",
            "air_condenser_approach_k",
            "chiller_approach_k",
            "dry_economiser_approach_k",
            "aux_share",
            "distribution_share",
            "coverage_share",
        )
    }
    p.update(
        offset=a(v.get("climate.offset_k", 0.0)),
        eta=eta,
        loss=0.0 if loss is None else loss,
        coverage=p["coverage_share"],
        t_in=a(v["cooling.water_in_c"]) + a(v.get("cooling.water_in_offset_k", 0.0)),
        t_out=a(_outlet_used_c(v)),
        hx=a(v["cooling.hx_approach_k"]),
        rho=v["water_density_kg_per_m3"],
        cp=v["water_specific_heat_j_per_kg_k"],
        it=a(v["it_capacity_mw"] * v["utilisation"]),
        it_full=a(v["it_capacity_mw"]),
        dist=p["distribution_share"],
        aux=p["aux_share"],
    )
    return p


def _memory_child(draws: int) -> None:
    """In a fresh process: the peak memory of one ``estimate(draws=N)`` after a warm-up."""
    import resource
    import tracemalloc

    import impact

    project = impact.load_project(MRS5)
    impact.estimate(project, draws=100)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    impact.estimate(project, draws=draws)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rss_mb": peak - base, "rss_total_mb": peak, "traced_mb": traced / 2**20}))


def estimate_vs_floor(draws_list=(2000, 200_000)) -> None:
    import numpy as np

    import impact
    from impact.engine import DEFAULT_SEED, _cooling
    from impact.model import cooling
    from impact.validation import validate

    project = impact.load_project(MRS5)
    impact.estimate(project, draws=100)  # warm caches
    model = validate(project, scope="estimate").model
    cs = model.inp.cooling
    t_air = cs.climate.frame["temp_air_c"].to_numpy()
    hot_max = float(np.max(t_air[model.hot_hours]))
    print("cooling Monte Carlo, MRS5 (machine shared with other sessions: medians of repeats)")
    for draws in draws_list:
        repeat = 51 if draws <= 20_000 else 5
        values = model.draw_values(draws, DEFAULT_SEED)

        def model_part():
            getattr(cooling, "_FIT_CACHE", {}).clear()  # each repeat fits its chillers, as one estimate does
            _cooling(cs, dict(values), model.hot_hours, False)

        def floor():  # the chillers' fit (once) and the sorted sums
            getattr(cooling, "_FIT_CACHE", {}).clear()
            floor_sorted_sums(t_air, hot_max, _floor_inputs(model, values))

        t_model, t_floor = _alternate(model_part, floor, repeat)
        v = dict(values)
        _cooling(cs, v, model.hot_hours, False)
        f = floor_sorted_sums(t_air, hot_max, _floor_inputs(model, values))
        same = max(float(np.max(np.abs(np.asarray(f[k]) / np.asarray(v[k]) - 1.0))) for k in f)
        t_est = _median_time(lambda: impact.estimate(project, draws=draws), repeat)
        out = subprocess.run(
            [sys.executable, __file__, "--memory", str(draws)], check=True, capture_output=True, text=True, cwd=ROOT
        )
        mem = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"  {draws:>7,} draws: model part {t_model * 1000:8.1f} ms, floor {t_floor * 1000:7.1f} ms "
            f"({t_model / t_floor:4.2f} x; same {len(f)} results to {same:.0e}); estimate {t_est * 1000:8.1f} ms; "
            f"estimate peak memory {mem['traced_mb']:6.0f} MB traced (process peak RSS {mem['rss_total_mb']:5.0f} MB, "
            f"{mem['rss_mb']:5.0f} MB above a 100-draw warm-up)"
        )


def adiabatic(draws: int = 2000, repeat: int = 21) -> None:
    """A drawn adiabatic effectiveness (MRS6, Bouc-Bel-Air, declared adiabatic): CPU time of the
    model part (``engine._cooling``) from the block sums (``cooling_sums.block_sums``) and from the
    hour-by-hour annual sums they replace (the peak on the narrowed hours in both), alternated, and
    of a whole ``estimate``."""
    import re
    import tempfile

    import impact
    from impact.engine import DEFAULT_SEED, _cooling
    from impact.model import cooling_sums
    from impact.validation import validate

    text = (ROOT / "data" / "projects" / "cases" / "mrs6-bouc-bel-air.yaml").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mrs6-adiabatic.yaml"
        path.write_text(re.sub(r"cooling: \{type: \w+\}", "cooling: {type: adiabatic}", text), encoding="utf-8")
        project = impact.load_project(path)
    model = validate(project, scope="estimate").model
    values = model.draw_values(draws, DEFAULT_SEED)
    in_blocks = cooling_sums.in_blocks

    def run(blocks: bool):
        def go():
            cooling_sums.in_blocks = in_blocks if blocks else (lambda args: False)
            try:
                _cooling(model.inp.cooling, dict(values), model.hot_hours, False)
            finally:
                cooling_sums.in_blocks = in_blocks

        return go

    cpu = {True: [], False: []}
    for _ in range(repeat):
        for blocks in (True, False):
            t0 = time.process_time()
            run(blocks)()
            cpu[blocks].append(time.process_time() - t0)
    t_est = []
    for _ in range(repeat):
        t0 = time.process_time()
        impact.estimate(project, draws=draws, seed=DEFAULT_SEED)
        t_est.append(time.process_time() - t0)
    print(
        f"adiabatic, drawn effectiveness, {draws:,} draws (CPU, medians of {repeat}): model part "
        f"{statistics.median(cpu[True]) * 1000:.1f} ms from block sums, "
        f"{statistics.median(cpu[False]) * 1000:.1f} ms hour by hour; estimate {statistics.median(t_est) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--memory"]:
        _memory_child(int(sys.argv[2]))
    elif sys.argv[1:2] == ["--adiabatic"]:
        adiabatic(*(int(x) for x in sys.argv[2:3]))
    else:
        estimate_vs_floor(tuple(int(x) for x in sys.argv[1:]) or (2000, 200_000))
