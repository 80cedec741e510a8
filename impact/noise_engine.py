"""Noise indicators: the plant and the generator tests at the nearest receptor and at the site boundary
(ISO 9613-2 point source, ground and screen), and the emergences (arrêté du 23 janvier 1997).

Called from one line of :func:`impact.engine._run`; see docs/noise.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .model import noise

ALPHA = "noise.air_absorption_db_per_km"
GROUND = ("noise.source_height_m", "noise.receiver_height_m", "noise.ground_factor")
SCREEN = ("noise.source_height_m", "noise.receiver_height_m", "noise.barrier_height_m", "noise.barrier_distance_m")


#: Drawn where they always were (every project has them, as defaults).
_DRAWN_IN_PLACE = ("noise.cooling_sound_power_per_mw_dba", "noise.generator_sound_power_dba")


def drawn_last(name: str) -> bool:
    """The noise inputs a project gives as ranges are drawn after all others (the air factors included),
    so that giving them leaves the other indicators' draws unchanged."""
    return name.startswith("noise.") and name not in _DRAWN_IN_PLACE


def _unique(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for g in groups for k in g))


def _path(distance: str, v: dict[str, Any]) -> tuple[tuple[str, ...], Callable[[dict], Any]]:
    """The inputs of one propagation path and its attenuation [dB] from a dict of their values:
    divergence + air absorption + ground and screen together (ISO 9613-2 eq. 12), less the ground's
    D_Omega of the alternative method (part of Dc, eq. 11). The project's ``assumptions`` on the ground or
    screen term replace the computed one."""
    ground_deps = ("noise.ground_attenuation_db",) if "noise.ground_attenuation_db" in v else GROUND
    if "noise.barrier_attenuation_db" in v:
        screen_deps: tuple[str, ...] = ("noise.barrier_attenuation_db",)
    elif "noise.barrier_height_m" in v:
        screen_deps = SCREEN + ("noise.barrier_wavelength_m",)
    else:
        screen_deps = ()

    def attenuation(a: dict) -> Any:
        d = a[distance]
        if "noise.ground_attenuation_db" in a:  # the study's own net ground term
            ground, d_omega = a["noise.ground_attenuation_db"], 0.0
        else:
            ground = noise.ground_effect_db(d, a[GROUND[0]], a[GROUND[1]], a[GROUND[2]])
            d_omega = noise.ground_directivity_correction_db(d, a[GROUND[0]], a[GROUND[1]], a[GROUND[2]])
        if "noise.barrier_attenuation_db" in a:
            ground = noise.screened_ground_db(ground, a["noise.barrier_attenuation_db"])
        elif "noise.barrier_height_m" in a:
            dz = noise.screen_db(
                d, a[SCREEN[0]], a[SCREEN[1]], a[SCREEN[3]], a[SCREEN[2]], a["noise.barrier_wavelength_m"]
            )
            ground = noise.screened_ground_db(ground, dz)
        return noise.geometric_divergence_db(d) + noise.air_absorption_db(d, a[ALPHA]) + ground - d_omega

    return _unique((distance, ALPHA), ground_deps, screen_deps), attenuation


def indicators(put: Callable, v: dict[str, Any]) -> None:
    """Put the noise indicators (levels, then emergences built on the receptor's levels)."""
    plant: tuple[str, ...]
    if "noise.plant_sound_power_dba" in v:
        plant = ("noise.plant_sound_power_dba",)
        how = "declared sound power of the cooling plant"
    else:  # heat to reject at full load ~ the IT capacity, in units of about 1 MW
        plant = ("noise.cooling_sound_power_per_mw_dba", "it_capacity_mw")
        how = "sound power per MW of cooling x IT capacity (+10 log10 MW)"

    def plant_lw(a: dict) -> Any:
        if "noise.plant_sound_power_dba" in a:
            return a["noise.plant_sound_power_dba"]
        return noise.sound_power_of_units_db(a["noise.cooling_sound_power_per_mw_dba"], a["it_capacity_mw"])

    gen = ("noise.generator_sound_power_dba", "noise.generators_tested_together")
    for where, distance, suffix in (
        ("receptor", "noise.receptor_distance_m", ""),
        ("boundary", "noise.boundary_distance_m", ", at the site boundary"),
    ):
        path_deps, attenuation = _path(distance, v)
        deps = _unique(plant, path_deps)
        test_deps = _unique(plant, gen, path_deps)

        def at(*x, deps=deps, attenuation=attenuation):
            a = dict(zip(deps, x, strict=True))
            return plant_lw(a) - attenuation(a)

        def during_test(*x, deps=test_deps, attenuation=attenuation):
            a = dict(zip(deps, x, strict=True))
            loss = attenuation(a)
            lw_gen = noise.sound_power_of_units_db(a[gen[0]], a[gen[1]])
            return noise.level_sum_db(plant_lw(a) - loss, lw_gen - loss)

        method = f"{how}, less ISO 9613-2 divergence 20 log10(d) + 11, air absorption, ground and barrier"
        put(f"noise_night_dba_at_{where}", deps, at, method + suffix + " (the plant runs day and night)")
        put(
            f"noise_generator_test_dba_at_{where}",
            test_deps,
            during_test,
            "cooling plant + generators tested together (sound power + 10 log10 n), same attenuation, energetic sum"
            + suffix,
        )
        if where == "receptor":  # the emergences build on the receptor's levels
            if all(d in v for d in deps):
                v["noise_night_dba_at_receptor"] = at(*[v[d] for d in deps])
            if all(d in v for d in test_deps):
                v["noise_generator_test_dba_at_receptor"] = during_test(*[v[d] for d in test_deps])
    put(
        "noise_emergence_night_db",
        ("noise.residual_night_dba", "noise_night_dba_at_receptor"),
        noise.emergence_db,
        "10 log10(10^(residual/10) + 10^(plant/10)) - residual, night residual level",
    )
    put(
        "noise_emergence_test_day_db",
        ("noise.residual_day_dba", "noise_generator_test_dba_at_receptor"),
        noise.emergence_db,
        "10 log10(10^(residual/10) + 10^(test/10)) - residual, day residual level (tests run by day)",
    )
