"""Ramp-up of the IT load and the construction works (issue 13, item 7): checks, inputs, indicators, facts.

- ``ramp_up``: the IT power in service year by year, as the promoter publishes its phases
  (``[{year: 2027, it_mw: 5}, {year: 2029, it_mw: 12}]``, or ``it_share`` of the nameplate). It
  replaces the default ramp-up of ``year_1_utilisation`` / ``year_2_utilisation``
  (data/reference/utilisation.csv) in ``facility_energy_year_1_mwh`` and ``..._year_2_mwh``, and
  gives the facility energy and the peak of every declared year (``Results.meta["ramp_up"]``).
- ``construction``: the works as declared (start, duration, truck movements, earthworks);
  ``construction_truck_movements_per_day``, ``construction_building_embodied_t`` (the building's
  embodied emissions, the same figure ``co2e_embodied_t_per_year`` spreads over the building's life)
  and ``construction_trucks_co2e_t`` (the trucks' diesel, when their distance is declared).

See docs/construction.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .errors import RuleError
from .model import carbon, energy, uncertainty
from .model import construction as model
from .ranges import Range

RAMP = "ramp_up"
WORKING_DAYS = "construction.working_days_per_month"
#: The declared facts of the ``construction`` block and their units.
FACTS = {
    "start_year": "-",
    "duration_months": "month",
    "truck_trips_total": "-",
    "trucks_per_day": "1/day",
    "earthworks_m3": "m3",
    "truck_trip_km": "km",
    "truck_km_total": "km",
}
TRUCKS = "construction_truck_movements_per_day"
BUILDING = "construction_building_embodied_t"
TRUCKS_CO2 = "construction_trucks_co2e_t"
TRUCK_KM = "construction_truck_km"
#: The trucks' diesel per km (data/reference/construction.csv) and a litre's emissions (fuel.csv).
TRUCK_FUEL = "construction.truck_fuel_l_per_km"
TRUCK_FACTOR = "construction.truck_emission_factor_kg_per_l"


# ------------------------------------------------------------------------------ checks (project file)


def _capacity_mw(p) -> float | None:
    """The nameplate IT power the project file gives (its high value), or None (derived later)."""
    if isinstance(p.it_capacity_mw, Range):
        return p.it_capacity_mw.high
    if p.equipment:
        return math.fsum(e.count * e.power_kw.high for e in p.equipment) / 1000.0
    return None


def check_ramp_up(p) -> None:
    """Refuse a ramp-up or construction block that does not hang together (a ``ValueError`` naming the step).

    Years increasing, one kind of power (``it_mw`` or ``it_share``) in every step, the power in
    service never falling, ``it_mw`` at most the nameplate, the first step in the first year of
    operation (``year``), the works starting before it, no default ramp-up set beside it.
    """
    steps = p.ramp_up
    c = p.construction
    first = p.year
    if steps is not None:
        if not steps:
            raise RuleError(
                "loader.ramp_up.empty", "ramp_up: must list at least one step, e.g. [{year: 2027, it_mw: 5}]"
            )
        kinds = {"it_mw" if s.it_mw is not None else "it_share" for s in steps}
        if len(kinds) > 1:
            text = "ramp_up: give it_mw in every step or it_share in every step, not a mix"
            raise RuleError("loader.ramp_up.mix", text)
        kind = kinds.pop()
        cap = _capacity_mw(p)
        before: float | None = None  # the last published power
        for i, s in enumerate(steps):
            value = getattr(s, kind)
            if i and s.year <= steps[i - 1].year:
                text = (
                    f"ramp_up[{i}].year ({s.year}) must be after ramp_up[{i - 1}].year ({steps[i - 1].year}): "
                    "one step a year, years increasing"
                )
                raise RuleError(
                    "loader.ramp_up.years", text, i=i, year=s.year, before=i - 1, year_before=steps[i - 1].year
                )
            if not isinstance(value, float):  # unknown: a phase whose power is not published
                continue
            if before is not None and value < before:
                text = (
                    f"ramp_up[{i}].{kind} ({value:g}) is below a step before ({before:g}): "
                    "each step is the IT power in service, which does not fall while the site fills"
                )
                raise RuleError("loader.ramp_up.falls", text, i=i, kind=kind, value=value, before=before)
            before = value
            if kind == "it_mw" and cap is not None and value > cap * (1 + 1e-9):
                text = (
                    f"ramp_up[{i}].it_mw ({value:g}) is above the nameplate IT power ({cap:g} MW, it_capacity_mw "
                    "or the equipment list)"
                )
                raise RuleError("loader.ramp_up.above", text, i=i, value=value, capacity=cap)
        if first is not None and steps[0].year != first:
            text = (
                f"ramp_up[0].year ({steps[0].year}) must be year ({first}), the first full year of operation: "
                "the first step is the first year"
            )
            raise RuleError("loader.ramp_up.first", text, year=steps[0].year, first=first)
        first = steps[0].year
        for n in (1, 2):  # a year of a published step needs no default share
            step = in_force(steps, first + n - 1)
            if f"year_{n}_utilisation" in (p.assumptions or {}) and isinstance(getattr(step, kind), float):
                text = (
                    f"give either ramp_up (its step of {step.year} is published) or assumptions.year_{n}_utilisation "
                    "(the default ramp-up's share), not both"
                )
                raise RuleError("loader.ramp_up.assumption", text, year=step.year, n=n)
    if c is not None and c.start_year is not None and first is not None and c.start_year > first:
        text = (
            f"construction.start_year ({c.start_year}) is after the first year of operation ({first}): "
            "the works start before the site runs"
        )
        raise RuleError("loader.construction.start", text, start=c.start_year, first=first)


# ------------------------------------------------------------------------------ inputs


def _step_key(year: int, kind: str) -> str:
    return f"{RAMP}.{year}.{kind}"


def _kind(step) -> str:
    return "it_mw" if step.it_mw is not None else "it_share"


def in_force(steps, year: int):
    """The step in force in calendar ``year`` (the last one from that year or before), or None."""
    found = [s for s in steps if s.year <= year]
    return found[-1] if found else None


def resolve_ramp_up(p, inp, project_source: Callable[[str], str]) -> None:
    """The declared steps as point inputs (``ramp_up.<year>.it_mw`` or ``.it_share``; unknown when the
    phase's power is not published), and the IT power of years 1 and 2 of operation
    (``year_<n>_it_mw`` / ``year_<n>_it_share``, the step then in force). A year whose step is not
    published, or every year without a declared ramp-up, takes the default share
    (``year_<n>_utilisation``, utilisation.csv).

    Points only: they draw no random number, so the other inputs' draws stay the same.
    """
    from .sources import reference as ref

    steps = p.ramp_up or []
    where = project_source(RAMP)
    units = {"it_mw": "MW", "it_share": "-"}
    for s in steps:
        kind = _kind(s)
        value = getattr(s, kind)
        key = _step_key(s.year, kind)
        if isinstance(value, float):
            inp.given(key, Range.point(value), units[kind], where, NOTES[kind], note_key=f"note.ramp_up.{kind}")
        else:
            inp.put(
                key,
                None,
                units[kind],
                "unknown",
                where,
                "a phase announced for that year, its IT power not published",
                "note.ramp_up.unknown",
                declared_unknown=True,
                year=s.year,
            )
    for n in (1, 2):
        step = in_force(steps, steps[0].year + n - 1) if steps else None
        value = getattr(step, _kind(step)) if step is not None else None
        if step is not None and isinstance(value, float):
            kind = _kind(step)
            inp.put(
                f"year_{n}_{kind}",
                Range.point(value),
                units[kind],
                "given",
                where,
                f"the declared ramp-up's step of {step.year}",
                f"note.ramp_up.year_{n}",
                step_year=step.year,
            )
            continue
        inp.resolve(
            f"year_{n}_utilisation",
            None,
            "-",
            ref.require("utilisation", scope=f"year_{n}"),
            project_source="",
            note_key=f"note.utilisation.year_{n}",
        )


NOTES = {
    "it_mw": "IT power in service from that year (declared ramp-up)",
    "it_share": "share of the nameplate IT power in service from that year (declared ramp-up)",
}


def resolve_construction(p, inp, project_source: Callable[[str], str]) -> None:
    """The declared facts of the works (points, given) and, for truck movements over the whole works,
    the working days per month (data/reference/construction.csv)."""
    from .sources import reference as ref

    c = p.construction
    if c is None:
        return
    where = project_source("construction")
    for name, unit in FACTS.items():
        value = getattr(c, name)
        if value is not None:
            inp.given(f"construction.{name}", Range.point(float(value)), unit, where)
    per_day_km = c.trucks_per_day is not None and c.truck_trip_km is not None
    if c.truck_trips_total is not None or per_day_km:
        inp.resolve(
            WORKING_DAYS,
            None,
            "day",
            ref.require("construction", quantity="working_days_per_month"),
            project_source="",
        )
    if any(x is not None for x in (c.truck_trips_total, c.trucks_per_day, c.truck_km_total)):
        _truck_factors(inp)
        if c.truck_km_total is None and c.truck_trip_km is None:  # trucks counted, their distance not given
            inp.put(
                "construction.truck_trip_km",
                None,
                "km",
                "unknown",
                "",
                "not given: the road distance of the trucks' movements (quarries, tips)",
                "note.construction.truck_distance_unknown",
                source_key="source.not_given",
            )


def _truck_factors(inp) -> None:
    """The trucks' diesel per km and its emissions per litre, when trucks are declared."""
    from .sources import reference as ref

    inp.resolve(
        TRUCK_FUEL, None, "L/km", ref.require("construction", quantity="truck_fuel_l_per_km"), project_source=""
    )
    inp.resolve(
        TRUCK_FACTOR,
        None,
        "kg CO2e/L",
        ref.require("fuel", fuel="diesel", quantity="emission_factor"),
        project_source="",
        note_key="note.construction.truck_factor",
    )


# ------------------------------------------------------------------------------ engine


def steps_in(v: dict[str, Any]) -> list[tuple[int, str, str]]:
    """The declared steps found in ``v``: (year, key, kind), by year."""
    out = []
    for k in v:
        if k.startswith(RAMP + "."):
            _, year, kind = k.split(".")
            out.append((int(year), k, kind))
    return sorted(out)


def _in_service(key: str, kind: str) -> tuple[tuple[str, ...], Callable]:
    """The deps and the function giving the IT power in service [MW] of a step."""
    if kind == "it_mw":
        return (key,), lambda mw: mw
    return (key, "it_capacity_mw"), lambda share, cap: share * cap


def run_ramp_up(put: Callable, v: dict[str, Any]) -> None:
    """``facility_energy_year_1_mwh`` / ``_year_2_mwh`` (the declared step in force, else the default
    share) and each published step's facility energy (``ramp_up.<year>.facility_energy_mwh``, not an
    indicator: a fact of the meta)."""

    def energy_of(key: str, kind: str) -> tuple[tuple[str, ...], Callable]:
        deps, mw = _in_service(key, kind)
        n = len(deps)
        return deps + ("utilisation", "pue"), lambda *x: model.ramp_up_step_energy_mwh(mw(*x[:n]), x[n], x[n + 1])

    for n in (1, 2):
        declared = [k for k in ("it_mw", "it_share") if f"year_{n}_{k}" in v]
        if declared:
            deps, fn = energy_of(f"year_{n}_{declared[0]}", declared[0])
            put(
                f"facility_energy_year_{n}_mwh",
                deps,
                fn,
                f"IT power in service in year {n} of operation (declared ramp-up) x utilisation x 8760 h x PUE",
            )
        else:
            put(
                f"facility_energy_year_{n}_mwh",
                ("it_capacity_mw", f"year_{n}_utilisation", "utilisation", "pue"),
                energy.ramp_up_facility_energy_mwh,
                f"IT capacity x utilisation in year {n} of operation (at most the typical year's) x 8760 h x PUE",
            )
    for year, key, kind in steps_in(v):
        deps, fn = energy_of(key, kind)
        put(f"{RAMP}.{year}.facility_energy_mwh", deps, fn, "declared ramp-up step")


def run_construction(v: dict[str, Any], out: dict[str, Any], spec: dict, put: Callable, spec_type: Callable) -> None:
    """The trucks per working day, the building's embodied emissions and each declared step's peak."""
    if "construction.trucks_per_day" in v:
        put(TRUCKS, ("construction.trucks_per_day",), lambda x: x, "truck movements per working day, as declared")
    else:
        put(
            TRUCKS,
            ("construction.truck_trips_total", "construction.duration_months", WORKING_DAYS),
            model.truck_movements_per_working_day,
            "truck movements over the works / (duration in months x working days per month)",
        )
    _trucks_co2(v, put)
    if "building.embodied_kg_per_m2" in v:
        put(
            BUILDING,
            ("building.embodied_area_m2", "building.embodied_kg_per_m2"),
            carbon.embodied_from_intensity_t,
            "floor area x embodied emissions per m2 (default), the building part of co2e_embodied_t_per_year",
        )
    else:
        put(
            BUILDING,
            ("building.embodied_tco2e",),
            lambda x: x,
            "embodied emissions of the building as declared, the building part of co2e_embodied_t_per_year",
        )
    if "peak_demand_mw" not in v:
        return
    for year, key, kind in steps_in(v):
        deps, mw = _in_service(key, kind)
        n = len(deps)
        put(
            f"{RAMP}.{year}.peak_mw",
            deps + ("it_capacity_mw", "peak_demand_mw"),
            lambda *x, mw=mw, n=n: model.ramp_up_step_peak_mw(mw(*x[:n]), x[n], x[n + 1]),
            "declared ramp-up step",
        )


def truck_km_deps(v: dict[str, Any]) -> tuple[tuple[str, ...], Callable]:
    """The inputs and the function giving the works' truck-km: as declared, else movements x km of one
    movement (the movements declared in all, or per working day over the works)."""
    if "construction.truck_km_total" in v:
        return ("construction.truck_km_total",), lambda km: km
    if "construction.truck_trips_total" in v:
        return ("construction.truck_trips_total", "construction.truck_trip_km"), model.truck_km
    per_day = ("construction.trucks_per_day", "construction.duration_months", WORKING_DAYS)
    return per_day + ("construction.truck_trip_km",), lambda d, m, w, km: model.truck_km(
        model.truck_movements_total(d, m, w), km
    )


def _trucks_co2(v: dict[str, Any], put: Callable) -> None:
    """``construction_trucks_co2e_t``: truck-km x diesel per km x emissions per litre; unknown without a
    declared distance (nothing is defaulted)."""
    deps, km = truck_km_deps(v)
    n = len(deps)
    put(TRUCK_KM, deps, km, "truck-km of the works: declared, or truck movements x declared km of one movement")
    put(
        TRUCKS_CO2,
        deps + (TRUCK_FUEL, TRUCK_FACTOR),
        lambda *x: model.trucks_co2e_t(km(*x[:n]), x[n], x[n + 1]),
        "truck-km of the works (declared, or movements x declared km of one movement) x diesel per km of a "
        "40 t articulated tipper x emissions per litre of diesel",
    )


# ------------------------------------------------------------------------------ facts for the dossier


def _triple(central: dict, drawn: dict, key: str, draws: int) -> dict[str, float] | None:
    c = central.get(key)
    if c is None or key not in drawn or drawn[key] is None:
        return None
    d = np.broadcast_to(np.asarray(drawn[key], dtype=float), (draws,))
    lo, hi = uncertainty.percentiles(d)
    c = float(c)
    return {"low": min(float(lo), c), "central": c, "high": max(float(hi), c)}


def ramp_up_facts(project, records, central: dict, drawn: dict, draws: int) -> dict[str, Any]:
    """The ramp-up for the dossier: ``declared`` (True when the project file gives it) and its ``steps``:
    year, IT power in service [MW] (central), facility energy and peak [MWh, MW] (5th / central / 95th);
    without a declared ramp-up, the default shares of years 1 and 2 (``year_<n>_utilisation``)."""
    steps = steps_in(records)
    if not steps:
        return {"declared": False, "steps": []}
    cap = records.get("it_capacity_mw")
    cap_c = cap.value.central if cap is not None and isinstance(cap.value, Range) else None
    rows = []
    for year, key, kind in steps:
        rec = records[key]
        value = rec.value.central if isinstance(rec.value, Range) else None
        it_mw = value if kind == "it_mw" else (value * cap_c if value is not None and cap_c is not None else None)
        share = value if kind == "it_share" else (value / cap_c if value is not None and cap_c else None)
        rows.append(
            {
                "year": year,
                "it_mw": it_mw,
                "it_share": share,
                "facility_energy_mwh": _triple(central, drawn, f"{RAMP}.{year}.facility_energy_mwh", draws),
                "peak_mw": _triple(central, drawn, f"{RAMP}.{year}.peak_mw", draws),
            }
        )
    return {"declared": True, "steps": rows, "it_capacity_mw": cap_c}
