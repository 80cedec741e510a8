"""The ICPE inputs the project file declares: fuel autonomy and fuel stock (rubrique 4734, Seveso).

Called from one line of :func:`impact.inputs.resolve_inputs`. A declared autonomy
(``generators.autonomy_hours``) replaces the 12 to 72 h default; a declared stock (``fuel_storage``:
the volume of each fuel) replaces the estimate from power x autonomy: its volume is
``icpe.fuel_storage_m3`` and its mean density ``icpe.fuel_density_kg_per_l`` (each fuel's density of
data/reference/fuel.csv, weighted by the central volumes), so that the tonnes are the sum of volume x
density of each fuel. The names start with ``icpe.``: the Monte Carlo draws them after every other
ranged input (engine.draw_values). See docs/icpe.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import icpe as icpe_model
from .ranges import Range
from .sources import reference as ref

if TYPE_CHECKING:
    from .inputs import _Inputs


def declared_storage(project: Any, inp: _Inputs, src: Any) -> None:
    """Record the declared autonomy (``generators.autonomy_hours``) and fuel stock (``fuel_storage``)."""
    from .project import STORED_FUELS

    gen = project.generators
    if hasattr(gen, "autonomy_hours") and isinstance(gen.autonomy_hours, Range):  # not generators: unknown
        inp.given("generators.fuel_autonomy_hours", gen.autonomy_hours, "h", src("generators"), "declared")
    stock = project.fuel_storage
    if stock is None:
        return
    given = [(fuel, getattr(stock, f"{fuel}_m3")) for fuel in STORED_FUELS]
    given = [(fuel, v) for fuel, v in given if isinstance(v, Range)]
    if not given:  # every volume declared unknown: the estimate from power x autonomy stays
        return
    densities = [ref.require("fuel", fuel=fuel, quantity="density") for fuel, _ in given]
    total = Range(*(sum(getattr(v, k) for _, v in given) for k in ("low", "central", "high")))
    tonnes = icpe_model.stored_fuel_t([v.central for _, v in given], [d.known().central for d in densities])
    fuels = ", ".join(fuel for fuel, _ in given)
    inp.given(
        "icpe.fuel_storage_m3",
        total,
        "m3",
        src("fuel_storage"),
        f"declared fuel stock ({fuels})",
        note_key="note.icpe.stock_declared",
        note_args=(("fuels", fuels),),
    )
    inp.put(
        "icpe.fuel_density_kg_per_l",
        Range.point(tonnes / total.central),
        "kg/L",
        "derived",
        "; ".join(dict.fromkeys(d.citation for d in densities)),
        "mean density of the declared stock, each fuel's density weighted by its volume",
        "note.icpe.stock_density",
    )
