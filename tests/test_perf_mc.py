"""Issue 15: the cooling Monte Carlo from sorted hours and prefix sums gives today's results.

The reference is the hour-by-hour model still in :mod:`impact.model.cooling` (``_air_and_water``,
``liquid_closed_loop``), run in double precision over every hour and every hot hour: the sorted
sums (:mod:`impact.model.cooling_sums`) must equal it to 1e-9 relative (float64 rounding of sums
taken in another order: about 1e-13 is what they give), on every cooling type, central and draws.
No timing or memory test here: ``benchmarks/bench_estimate.py`` reports them.
"""

from __future__ import annotations

import numpy as np
import pytest

import impact
from impact.engine import DEFAULT_SEED, _cooling
from impact.model import cooling, cooling_sums
from impact.validation import validate

RTOL = 1e-9
# Values that are 0 in one run and 1e-17 in the other are the same 0: below this fraction of the
# quantity's own scale (the largest value of that result over the draws) a difference is rounding.
ATOL_SCALE = 1e-12


def _close(new, ref, what: str) -> None:
    new, ref = np.asarray(new, dtype=float), np.asarray(ref, dtype=float)
    assert new.shape == ref.shape or new.size == ref.size, what
    scale = np.max(np.abs(ref)) if ref.size else 0.0
    np.testing.assert_allclose(new.reshape(ref.shape), ref, rtol=RTOL, atol=ATOL_SCALE * scale, err_msg=what)


@pytest.fixture
def reference(monkeypatch):
    """Run the old path: hour by hour (sorted sums and the drawn-effectiveness block sums off) and
    the peak over all the hot hours."""

    def on():
        monkeypatch.setattr(cooling_sums, "sortable", lambda args: False)
        monkeypatch.setattr(cooling_sums, "in_blocks", lambda args: False)
        monkeypatch.setattr(cooling_sums, "peak_hours", lambda args, hot, hourly_water: np.asarray(hot))

    return on


def _params(draws: int, rng, *, effectiveness_drawn: bool = True, iplv: bool = True, offset: bool = True):
    def col(low, central, high):
        return rng.triangular(low, central, high, (draws, 1)) if draws else central

    p = dict(
        supply_c=col(18, 22.5, 27),
        approach_k=col(3, 5.2, 8),
        band_k=col(8, 11, 15),
        chiller_approach_k=col(3, 5, 8),
        air_condenser_approach_k=col(10, 15, 20),
        tower_approach_k=col(3, 3.9, 6),
        adiabatic_effectiveness=col(0.6, 0.7, 0.85) if effectiveness_drawn else 0.7,
        aux_share=col(0.05, 0.08, 0.15),
        distribution_share=col(0.0204, 0.0417, 0.0638),
        cop_air_rated=col(2.6, 2.96, 3.2),
        t_air_rated_c=35.0,
        cop_water_rated=col(5.5, 6.28, 6.8),
        t_water_rated_c=29.4,
        dry_economiser_approach_k=col(8, 10, 12),
        cop_air_iplv=col(3.8, 4.103, 4.4) if iplv else None,
        cop_water_iplv=col(6.6, 7.034, 7.5) if iplv else None,
        temp_offset_k=col(-1.0, 0.0, 1.5) if offset else None,
    )
    return p


def _climate():
    """A year of hours: a seasonal and daily cycle with noise, wet bulb below the dry bulb."""
    rng = np.random.default_rng(3)
    h = np.arange(8760)
    t_air = 14 + 9 * np.sin(2 * np.pi * (h / 8760 - 0.3)) + 5 * np.sin(2 * np.pi * h / 24) + rng.normal(0, 2, h.size)
    t_wb = t_air - rng.uniform(1, 8, h.size)
    return t_air, t_wb


def _water(draws, rng, *, hourly_intake: bool = False, flow: bool = True):
    col = (lambda lo, c, hi: rng.triangular(lo, c, hi, (draws, 1))) if draws else (lambda lo, c, hi: c)
    t_in = 13 + 4 * np.sin(2 * np.pi * np.arange(8760) / 8760) if hourly_intake else col(12, 15, 18)
    return {
        "coverage_share": col(0.2, 0.32, 0.5),
        "t_in_c": t_in,
        "t_out_c": col(26, 30, 32),
        "flow_m3_per_h": col(400, 900, 2000) if flow else None,
        "density_kg_per_m3": 1025.0,
        "specific_heat_j_per_kg_k": 3990.0,
        "hx_approach_k": col(1, 2, 3),
        "t_in_offset_k": col(-0.5, 0.0, 0.5),
    }


CASES = [
    # (system, free_cooling, water, liquid, adiabatic effectiveness drawn)
    ("air_chillers", None, False, False, True),
    ("air_chillers", True, False, False, True),
    ("water_chillers", None, False, False, True),
    ("water_chillers", True, False, False, True),
    ("evaporative", None, False, False, True),
    ("evaporative", False, False, False, True),
    ("adiabatic", None, False, False, False),  # one effectiveness: sorted on the pre-cooled air
    ("adiabatic", False, False, False, False),
    ("adiabatic", None, False, False, True),  # drawn effectiveness: hour by hour (blocks)
    ("dry_free_cooling", None, False, False, True),
    ("river", None, True, False, True),
    ("river", False, True, False, True),
    ("sea", None, True, False, True),
    ("liquid_closed_loop", None, False, True, True),
    ("liquid_closed_loop", False, False, True, True),
]


def _args(system, free_cooling, water, liquid, eff_drawn, draws, seed=0, **kw):
    rng = np.random.default_rng(seed)
    t_air, t_wb = _climate()
    it = rng.uniform(5, 40, (draws, 1)) if draws else 20.0
    args = dict(
        system=system,
        it_mw=it,
        temp_air_c=t_air,
        temp_wet_bulb_c=t_wb,
        free_cooling=free_cooling,
        water=_water(draws, rng, **kw) if water else None,
        **_params(draws, rng, effectiveness_drawn=eff_drawn),
    )
    if liquid:
        col = (lambda lo, c, hi: rng.triangular(lo, c, hi, (draws, 1))) if draws else (lambda lo, c, hi: c)
        args["liquid"] = {
            "share": col(0.5, 0.7, 0.9),
            "supply_c": col(25, 32, 40),
            "delta_t_k": col(5, 8, 12),
            "dry_cooler_approach_k": col(6, 10, 14),
        }
    return args


def _compare_runs(args, reference) -> dict:
    new = cooling.simulate(**args)
    reference()
    ref = cooling.simulate(**args)
    assert set(new) == set(ref)
    for key in ref:
        _close(new[key], ref[key], f"{args['system']} {key}")
    return new


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-fc{c[1]}-eff{'drawn' if c[4] else 'one'}" for c in CASES])
def test_draws_equal_hour_by_hour(case, reference):
    """Every annual result of 300 draws (more than one block of the old path) equals the old one."""
    args = _args(*case, draws=300)
    assert cooling_sums.sortable(args) == (case[0] != "adiabatic" or not case[4])
    _compare_runs(args, reference)


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-fc{c[1]}-eff{'drawn' if c[4] else 'one'}" for c in CASES])
def test_central_equals_hourly_run(case):
    """One set of values (scalars): the annual results equal the sums of the hourly run."""
    args = _args(*case, draws=0)
    new = cooling.simulate(**args)
    hourly = cooling.simulate(**{**args, "hourly": True})
    for key in new:
        _close(new[key], hourly[key], f"{args['system']} {key}")
    # and the annual energy is the hourly frame's sum, independently of both code paths
    _close(new["facility_mwh"], hourly["hourly"]["facility_mw"].sum(), "facility = sum of the hours")


def test_water_intake_by_hour_and_no_flow(reference):
    """An hourly intake temperature keeps the hour-by-hour path; a constant one without a flow is sorted."""
    hourly = _args("river", None, True, False, True, draws=200, hourly_intake=True)
    assert not cooling_sums.sortable(hourly)
    no_flow = _args("sea", None, True, False, True, draws=200, flow=False)
    assert cooling_sums.sortable(no_flow)
    _compare_runs(no_flow, reference)


def test_zero_it_load_limits(reference):
    """Draws at zero IT load: the ratios take their limit in both paths."""
    args = _args("river", None, True, False, True, draws=200)
    args["it_mw"] = args["it_mw"].copy()
    args["it_mw"][:7] = 0.0
    new = _compare_runs(args, reference)
    assert np.all(np.isfinite(new["pue"]))


def test_sorted_sums_by_hand():
    """The prefix-sum sums of a clip and a hinge, and of their product, on four hours by hand.

    X = 0, 1, 2, 3; e = clip((2.5 - X) / 1, 0, 1) = 1, 1, 0.5, 0; g = 2 max(X + 0, 1) + 0 = 2, 2, 4, 6.
    Sums: e 2.5, g 14, e g 2 + 2 + 2 + 0 = 6 (exact in binary).
    """
    sh = cooling_sums.SortedHours([3.0, 0.0, 2.0, 1.0])
    e = cooling_sums.clip_down(2.5, 1.0)
    g = cooling_sums.hinge(0.0, 1.0, 0.0, 2.0)
    assert cooling_sums.total(sh, e) == pytest.approx(2.5, abs=1e-12)
    assert cooling_sums.total(sh, g) == pytest.approx(14.0, abs=1e-12)
    assert cooling_sums.total_product(sh, e, g) == pytest.approx(6.0, abs=1e-12)


SITES = [
    "data/projects/mrs5.yaml",
    "data/projects/cases/mrs6-bouc-bel-air.yaml",
    "data/projects/cases/ovhcloud-roubaix.yaml",
]


@pytest.mark.parametrize("path", SITES)
def test_engine_equal_on_sites(path, reference):
    """The engine's cooling results (sums and peak) for a river, a dry free-cooling and a liquid site,
    central and 300 draws: the same as hour by hour over every hour and every hot hour."""
    model = validate(impact.load_project(path), scope="estimate").model
    cs = model.inp.cooling
    runs = []
    for values in (model.central_values(), model.draw_values(300, DEFAULT_SEED)):
        v = dict(values)
        _cooling(cs, v, model.hot_hours, False)
        runs.append((values, v))
    reference()
    for values, new in runs:
        ref = dict(values)
        _cooling(cs, ref, model.hot_hours, False)
        keys = [k for k in ref if k not in values]
        assert "peak_modelled_mw" in keys and "pue_modelled" in keys
        for k in keys:
            _close(new[k], ref[k], f"{path} {k}")


def test_peak_hours_narrowed():
    """On a sortable site the peak is searched on the hot hours at the highest driving temperature only."""
    args = _args("dry_free_cooling", None, False, False, True, draws=0)
    hot = np.argsort(args["temp_air_c"])[-48:]
    at = cooling_sums.peak_hours(args, hot, hourly_water=False)
    assert len(at) == 1 and args["temp_air_c"][at[0]] == args["temp_air_c"].max()
    assert len(cooling_sums.peak_hours(args, hot, hourly_water=True)) == 48


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-fc{c[1]}-eff{'drawn' if c[4] else 'one'}" for c in CASES])
def test_peak_equals_hourly_max_over_hot_hours(case):
    """The peak from the hours that can hold it (one hour's terms, or blocks of draws) equals the
    largest hour of the hour-by-hour run over the 96 hottest hours, for 300 draws."""
    args = _args(*case, draws=300)
    hot = np.union1d(np.argsort(args["temp_air_c"])[-48:], np.argsort(args["temp_wet_bulb_c"])[-48:])
    on_hot = {**args, "temp_air_c": args["temp_air_c"][hot], "temp_wet_bulb_c": args["temp_wet_bulb_c"][hot]}
    ref = cooling.simulate(**{**on_hot, "hourly": True})["hourly"]
    at = cooling_sums.peak_hours(args, hot, hourly_water=False)
    assert len(at) < len(hot)  # a drawn adiabatic effectiveness too (cooling_sums._adiabatic_peak_hours)
    facility, water = cooling_sums.peak(
        {**args, "temp_air_c": args["temp_air_c"][at], "temp_wet_bulb_c": args["temp_wet_bulb_c"][at]}
    )
    _close(facility, ref["facility_mw"].max(axis=-1), f"{case[0]} peak")
    _close(water, ref["water_mw"].max(axis=-1), f"{case[0]} water peak")


def _loss_lift_by_bisection(cop_full, cop_iplv, t_full, points, cond, evap, weights=cooling.IPLV_WEIGHTS):
    """The loss lift as it was found before issue 15: 60 halvings of [0, 1e4 K]."""
    min_lift = cond + evap

    def lift(t):
        return np.maximum(t + cond - (cooling.T_CHILLED_RATED_C - evap), min_lift)

    full, parts, target = lift(t_full), [lift(t) for t in points], cop_iplv / cop_full

    def ratio(loss):
        return sum(w * (full + loss) / (p + loss) for w, p in zip(weights, parts))

    lo, hi = np.zeros_like(full), np.full_like(full, 1e4)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        above = ratio(mid) > target
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    return np.where(ratio(0.0) <= target, 0.0, 0.5 * (lo + hi)), min_lift


@pytest.mark.parametrize("condenser", ["air", "water"])
def test_loss_lift_newton_equals_bisection(condenser):
    """Newton's steps find the bisection's root: COPs (lift + L) equal to 1e-12 relative, over
    ratings and approaches wider than any default (some with L = 0, some beyond 1e4 K)."""
    rng = np.random.default_rng(7)
    n = 20_000
    cop_full, cop_iplv = rng.uniform(2.0, 7.0, n), rng.uniform(2.0, 9.0, n)
    cond, evap = rng.uniform(2, 22, n), rng.uniform(1, 9, n)
    points = cooling.IPLV_T_AIR_C if condenser == "air" else cooling.IPLV_T_WATER_C
    t_full = 35.0 if condenser == "air" else 29.4
    ref, min_lift = _loss_lift_by_bisection(cop_full, cop_iplv, t_full, points, cond, evap)
    cooling._FIT_CACHE.clear()
    new = cooling.chiller_loss_lift(cop_full, cop_iplv, t_full, points, cond, evap)
    assert np.any(ref == 0) and np.any(ref > 1e3)
    np.testing.assert_allclose(min_lift + new, min_lift + ref, rtol=1e-12)
    # the fit kept for the next identical call is the same, and cannot be changed in place
    eta, loss = cooling.chiller_fit(cop_full, cop_iplv, t_full, condenser, cond, evap)
    again = cooling.chiller_fit(cop_full.copy(), cop_iplv.copy(), t_full, condenser, cond.copy(), evap.copy())
    assert again[0] is eta and again[1] is loss
    with pytest.raises(ValueError):
        eta[0] = 1.0


def test_missing_hour_keeps_the_hour_by_hour_path():
    """A NaN hour is not sorted away: the run stays hour by hour, and its sums are NaN as before."""
    args = _args("dry_free_cooling", None, False, False, True, draws=200)
    args["temp_air_c"] = args["temp_air_c"].copy()
    args["temp_air_c"][100] = np.nan
    assert not cooling_sums.sortable(args)
    assert np.all(np.isnan(cooling.simulate(**args)["facility_mwh"]))
    hot = np.argsort(args["temp_air_c"])[-48:]  # NaN sorts last: among the "hottest"
    assert len(cooling_sums.peak_hours(args, hot, hourly_water=False)) == 48
