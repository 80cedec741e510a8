"""Noise inputs beyond the receptor and the sound powers: the ground and the screen of ISO 9613-2,
the site boundary, and the overrides of the ground and screen terms (docs/noise.md).

Called from one line of :func:`impact.inputs._noise_inputs`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model.cooling import SYSTEMS
from .ranges import Range
from .sources import reference as ref

if TYPE_CHECKING:
    from .inputs import _Inputs
    from .project import Project


def cooling_equipment(p: Project) -> str:
    """The row of data/reference/noise.csv for the cooling plant: open wet towers when the cooling
    type rejects heat through towers, else air-cooled chillers and dry coolers."""
    kind = p.cooling.type if p.cooling is not None else ""
    return "cooling_tower" if SYSTEMS.get(kind or "", {}).get("condenser") == "tower" else "cooling"


def resolve(p: Project, inp: _Inputs, where: str) -> None:
    """Ground factor, heights, screen, boundary distance; the ground and screen overrides only when the
    project's ``assumptions`` set them (they replace the ISO 9613-2 computation)."""
    nz = p.noise
    if nz is not None and nz.ground is not None:
        g = 1.0 if nz.ground == "porous" else 0.0
        inp.given("noise.ground_factor", Range.point(g), "-", where, note=f"noise.ground: {nz.ground}")
    else:
        inp.resolve(
            "noise.ground_factor",
            None,
            "-",
            ref.require("noise", quantity="ground_factor", equipment="ground"),
            project_source="",
        )
    for name, equipment in (("source_height_m", "source"), ("receiver_height_m", "receptor")):
        inp.resolve(
            f"noise.{name}",
            getattr(nz, name) if nz is not None else None,
            "m",
            ref.require("noise", quantity=name, equipment=equipment),
            project_source=where,
        )
    inp.resolve(
        "noise.boundary_distance_m",
        nz.boundary_distance_m if nz is not None else None,
        "m",
        None,
        project_source=where,
        missing_note="not given",
        source_key="source.not_given",
    )
    if nz is not None and isinstance(nz.barrier_height_m, Range) and isinstance(nz.barrier_distance_m, Range):
        inp.given("noise.barrier_height_m", nz.barrier_height_m, "m", where)
        inp.given("noise.barrier_distance_m", nz.barrier_distance_m, "m", where)
        inp.resolve(
            "noise.barrier_wavelength_m",
            None,
            "m",
            ref.require("noise", quantity="barrier_wavelength_m", equipment="barrier"),
            project_source="",
        )
    for name, quantity, equipment in (
        ("noise.ground_attenuation_db", "ground_attenuation_db", "ground"),
        ("noise.barrier_attenuation_db", "barrier_attenuation_db", "barrier"),
    ):
        if name in inp.assumptions:
            inp.resolve(
                name, None, "dB", ref.require("noise", quantity=quantity, equipment=equipment), project_source=""
            )
