"""Issue 15: a drawn adiabatic effectiveness's annual sums from blocks that make only the sums.

The reference is the hour-by-hour model (``cooling._air_and_water`` over blocks of
``cooling.DRAWS_PER_BLOCK`` draws, as before), run in double precision: the new path
(``cooling_sums.block_sums``, with the hours cold in every draw of a block counted, not run) must
equal it to 1e-9 relative on every result, on real climates (Roubaix, Bouc-Bel-Air, Valence) and a
synthetic one, for 1 to 2,000 draws, with and without a climate offset, river water, no
economiser. A missing hour keeps the old path. The peak, searched on the hours that can hold it
(``cooling_sums._adiabatic_peak_hours``), equals the largest hour over every hot hour.
No timing test: the report and ``benchmarks/`` give them.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pytest

import impact
from impact.engine import DEFAULT_SEED, _cooling
from impact.model import cooling, cooling_sums
from impact.validation import validate
from tests.test_perf_mc import _climate, _close, _compare_runs, _params, _water

PROJECTS = {
    "roubaix": "data/projects/cases/ovhcloud-roubaix.yaml",
    "bouc-bel-air": "data/projects/cases/mrs6-bouc-bel-air.yaml",
    "valence": "data/projects/cases/sesterce-valence-alixan.yaml",
}


@pytest.fixture
def reference(monkeypatch):
    """Run the old path: hour by hour in blocks of draws, the peak over every hot hour."""

    def on():
        monkeypatch.setattr(cooling_sums, "in_blocks", lambda args: False)
        monkeypatch.setattr(cooling_sums, "peak_hours", lambda args, hot, hourly_water: np.asarray(hot))

    return on


@cache
def _adiabatic_model(name: str, tmp_dir: str):
    """The estimate model of a case project with its cooling declared adiabatic."""
    from pathlib import Path

    text = Path(PROJECTS[name]).read_text(encoding="utf-8")
    text, n = re.subn(r"cooling: \{type: \w+\}", "cooling: {type: adiabatic}", text)
    assert n == 1
    path = Path(tmp_dir) / f"{name}-adiabatic.yaml"
    path.write_text(text, encoding="utf-8")
    model = validate(impact.load_project(path), scope="estimate").model
    assert model.inp.cooling.system == "adiabatic"
    return model


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp("adiabatic"))
    return {name: _adiabatic_model(name, tmp) for name in PROJECTS}


def _hours(models, climate: str):
    if climate == "synthetic":
        return _climate()
    frame = models[climate].inp.cooling.climate.frame
    return frame["temp_air_c"].to_numpy(dtype=float), frame["temp_wet_bulb_c"].to_numpy(dtype=float)


def _args(t_air, t_wb, system, draws, seed, *, free_cooling=None, water=False, offset=True):
    rng = np.random.default_rng(seed)
    args = dict(
        system=system,
        it_mw=rng.uniform(5, 40, (draws, 1)),
        temp_air_c=t_air,
        temp_wet_bulb_c=t_wb,
        free_cooling=free_cooling,
        water=None,
        **_params(draws, rng),
    )
    if not offset:
        args["temp_offset_k"] = None
    if water:
        args["water"] = _water(draws, rng)
        args["water"]["t_in_c"] = rng.triangular(12, 15, 18, (draws, 1))
    return args


def _compare(args, reference) -> dict:
    assert cooling_sums.in_blocks(args) and not cooling_sums.sortable(args)
    return _compare_runs(args, reference)


CLIMATES = ["roubaix", "bouc-bel-air", "valence", "synthetic"]


@pytest.mark.parametrize("climate", CLIMATES)
@pytest.mark.parametrize("draws", [1, 127, 128, 129, 2000])
def test_annual_results_equal_hour_by_hour(models, climate, draws, reference):
    """Every annual result, a climate offset drawn: as hour by hour to 1e-9 relative."""
    t_air, t_wb = _hours(models, climate)
    _compare(_args(t_air, t_wb, "adiabatic", draws, seed=draws), reference)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize(
    "variant",
    [
        {"offset": False},
        {"free_cooling": False},
        {"water": True},
        {"water": True, "free_cooling": False},
    ],
    ids=["no-offset", "no-economiser", "water", "water-no-economiser"],
)
def test_variants_equal_hour_by_hour(models, variant, seed, reference):
    """No climate offset; no economiser; river water (its share the same every hour), with or without
    an economiser (then only the free-cooled basis of the water's saving uses it)."""
    t_air, t_wb = _hours(models, CLIMATES[seed % len(CLIMATES)])
    _compare(_args(t_air, t_wb, "adiabatic", 300, seed, **variant), reference)


@pytest.mark.parametrize(
    "spec",
    [
        {"condenser": "tower", "economiser": "adiabatic", "free_cooling": True},
        {"condenser": "air", "economiser": "adiabatic", "free_cooling": True},
        {"condenser": "adiabatic", "economiser": "dry", "free_cooling": True},
        {"condenser": "adiabatic", "economiser": "wet", "free_cooling": True},
    ],
    ids=["economiser-only-tower", "economiser-only-air", "condenser-only-dry", "condenser-only-wet"],
)
def test_adiabatic_economiser_or_condenser_alone(models, spec, monkeypatch, reference):
    """A design with an adiabatic economiser or an adiabatic condenser alone (the other on the dry or
    wet bulb): the two sources differ, the sums still equal hour by hour's."""
    monkeypatch.setitem(cooling.SYSTEMS, "test_mixed", spec)
    t_air, t_wb = _hours(models, "bouc-bel-air")
    _compare(_args(t_air, t_wb, "test_mixed", 700, seed=5), reference)


def test_wet_bulb_above_dry_bulb_hours(reference):
    """Hours where the wet bulb exceeds the dry bulb (a data glitch) are bounded both ways too."""
    t_air, t_wb = _climate()
    t_wb = t_wb.copy()
    t_wb[::7] = t_air[::7] + 2.0
    _compare(_args(t_air, t_wb, "adiabatic", 500, seed=9), reference)


def test_missing_hour_keeps_the_hour_by_hour_path():
    """A NaN hour: neither sums path, the old hour-by-hour one (its sums NaN as before), and the
    peak searched on every hot hour."""
    t_air, t_wb = _climate()
    t_air = t_air.copy()
    t_air[100] = np.nan
    args = _args(t_air, t_wb, "adiabatic", 200, seed=4)
    assert not cooling_sums.in_blocks(args) and not cooling_sums.sortable(args)
    assert np.all(np.isnan(cooling.simulate(**args)["facility_mwh"]))
    hot = np.argsort(t_air)[-48:]  # NaN sorts last: among the "hottest"
    assert len(cooling_sums.peak_hours(args, hot, hourly_water=False)) == 48


def test_hourly_and_hourly_intake_keep_the_hour_by_hour_path():
    t_air, t_wb = _climate()
    args = _args(t_air, t_wb, "adiabatic", 200, seed=4, water=True)
    assert cooling_sums.in_blocks(args)
    assert not cooling_sums.in_blocks({**args, "hourly": True})
    hourly_intake = {**args["water"], "t_in_c": 13 + 4 * np.sin(2 * np.pi * np.arange(8760) / 8760)}
    assert not cooling_sums.in_blocks({**args, "water": hourly_intake})


@pytest.mark.parametrize("climate", CLIMATES)
def test_peak_equals_hourly_max_over_hot_hours(models, climate):
    """The peak on the hours that can hold it equals the largest hour of the hour-by-hour run over
    the hottest dry-bulb and wet-bulb hours, for 2,000 draws; fewer hours are searched."""
    t_air, t_wb = _hours(models, climate)
    args = _args(t_air, t_wb, "adiabatic", 2000, seed=11, water=climate == "synthetic")
    hot = np.union1d(np.argsort(t_air)[-48:], np.argsort(t_wb)[-48:])
    on_hot = {**args, "temp_air_c": t_air[hot], "temp_wet_bulb_c": t_wb[hot], "hourly": True}
    ref = cooling.simulate(**on_hot)["hourly"]
    at = cooling_sums.peak_hours(args, hot, hourly_water=False)
    assert len(at) < len(hot)
    facility, water = cooling_sums.peak({**args, "temp_air_c": t_air[at], "temp_wet_bulb_c": t_wb[at]})
    _close(facility, ref["facility_mw"].max(axis=-1), f"{climate} peak")
    _close(water, ref["water_mw"].max(axis=-1), f"{climate} water peak")


def test_peak_hours_not_narrowed_when_sources_differ(monkeypatch):
    """An adiabatic economiser with a cooling tower: no one temperature orders every term, all hot
    hours are searched."""
    monkeypatch.setitem(
        cooling.SYSTEMS, "test_mixed", {"condenser": "tower", "economiser": "adiabatic", "free_cooling": True}
    )
    t_air, t_wb = _climate()
    args = _args(t_air, t_wb, "test_mixed", 300, seed=2)
    hot = np.argsort(t_air)[-48:]
    assert len(cooling_sums.peak_hours(args, hot, hourly_water=False)) == 48


@pytest.mark.parametrize("name", list(PROJECTS))
def test_engine_equal_on_sites(models, name, reference):
    """The engine's cooling results (sums and peak) for 2,000 draws on the three sites declared
    adiabatic: as hour by hour over every hour and every hot hour. The engine gives the old path
    single-precision hours for these draws (engine._cooling: its sums to about 1e-6 relative, 6e-7
    measured), which the new path sums in double precision: compared to 5e-6 relative here, the
    double-precision comparison to 1e-9 being the tests above."""
    model = models[name]
    cs = model.inp.cooling
    values = model.draw_values(2000, DEFAULT_SEED)
    assert np.ndim(values["cooling.adiabatic_effectiveness"]) == 1
    new = dict(values)
    _cooling(cs, new, model.hot_hours, False)
    reference()
    ref = dict(values)
    _cooling(cs, ref, model.hot_hours, False)
    keys = [k for k in ref if k not in values]
    assert "peak_modelled_mw" in keys and "pue_modelled" in keys
    for k in keys:
        np.testing.assert_allclose(new[k], ref[k], rtol=5e-6, atol=1e-9 * np.max(np.abs(ref[k])), err_msg=k)


def test_zero_it_load_limits(reference):
    """Draws with no IT load: their ratios are the limit (the same site at 1 MW), as hour by hour."""
    t_air, t_wb = _climate()
    args = _args(t_air, t_wb, "adiabatic", 300, seed=6, water=True)
    args["it_mw"][::10] = 0.0
    out = _compare(args, reference)
    assert np.all(np.isfinite(out["pue"]))
