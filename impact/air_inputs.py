"""Inputs of the air-quality section resolved for :mod:`impact.inputs`: the generators' life-cycle
CO2e factor by fuel, and the hours of the grid-outage scenario (docs/air-quality.md)."""

from __future__ import annotations

from typing import Any

from .sources import reference as ref


def co2e_factor(fuel: str) -> ref.Sourced | None:
    """Life-cycle emission factor of the generators' fuel [kg CO2e/L]: diesel from fuel.csv (arrêté
    du 26 avril 2017), HVO from air_emissions.csv (a range: it depends on the feedstock)."""
    if fuel == "hvo":
        return ref.require("air_emissions", fuel="hvo", quantity="co2e_kg_per_l")
    return ref.lookup("fuel", fuel=fuel, quantity="emission_factor")


def outage_hours(given: Any, inp: Any, where: str) -> None:
    """``generators.outage_scenario_hours`` when the project file gives it; without it the engine
    takes the fuel autonomy (``generators.fuel_autonomy_hours``) as the outage's length."""
    if given is not None:
        inp.given("generators.outage_scenario_hours", given, "h", where, "hours of the grid-outage scenario")


def storage_fuel(fuel: str) -> str:
    """The fuel whose density and heating value turn the generators' consumption into a thermal input and
    an autonomy stock (fuel.csv): ``fuel`` when the table has both, else diesel's. The consumption per kWh
    (fuel.csv) is a diesel figure, so pairing it with another fuel's density alone would be wrong; a
    declared stock of HVO gets HVO's own density (impact/icpe_inputs.py)."""
    both = all(ref.lookup("fuel", fuel=fuel, quantity=q) is not None for q in ("density", "lower_heating_value"))
    return fuel if both else "diesel"
