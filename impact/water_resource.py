"""Water resource (issue 13, item 6): the inputs and the indicators.

Where the water comes from is a fact of the project file (``water_resource.source``). Two
indicators follow:

- ``water_onsite_share_of_commune_domestic``: the water used on site over a year / the
  domestic drinking water of the commune's inhabitants (INSEE population x the national
  per-capita use, OFB SISPEA);
- ``receiving_water_rise_k``: the rise of the receiving river when the largest hourly heat into
  the water is fully mixed into the low flow the user gives (a lower bound of the rise at the
  edge of the mixing zone), beside the French limits (data/reference/thermal_discharge_limits.csv).

See docs/water-resource.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .model import water_resource as model
from .ranges import Range

POPULATION = "water_resource.commune_population"
LOW_FLOW = "water_resource.receiving_low_flow_m3_per_s"
RISE = "receiving_water_rise_k"
#: The note of the rise for a site that returns no water to a river or the sea.
NOT_APPLICABLE = "not applicable: the cooling returns no water to a river or the sea"


def not_applicable(cooling_type: str | None) -> bool:
    """True when the cooling type is known and returns no warmed water to a river or the sea (air,
    evaporative, adiabatic, dry, liquid loops): the receiving water's rise does not apply. An
    unknown cooling type leaves it unknown."""
    return cooling_type is not None and cooling_type not in ("river", "sea", "unknown")


def receiving_water(p) -> str | None:
    """``river`` or ``sea``: where the warmed water goes (declared, else the cooling type); None without it."""
    wr = p.water_resource
    ctype = p.cooling.type if p.cooling is not None else None
    if not_applicable(ctype):  # no warmed water returned: no receiving water (issue 13, item 7)
        return None
    if wr is not None and wr.receiving_water is not None:
        return wr.receiving_water
    return ctype if ctype in ("river", "sea") else None


def resolve_water_resource(p, inp) -> None:
    """Record the commune's population and, for a river-cooled site (or when given), the low flow.

    A sea has no low flow: for a sea site the flow is recorded only when the user gives one (a
    coastal current's, say)."""
    commune = getattr(inp.site, "commune", None) if inp.site is not None else None
    if commune is not None and commune.population:
        inp.put(
            POPULATION,
            Range.point(float(commune.population)),
            "inhabitants",
            "given",
            f"{commune.source} [primary]",
            f"population of {commune.name}",
            "note.water_resource.population",
            commune=commune.name,
        )
    else:
        inp.put(
            POPULATION,
            None,
            "inhabitants",
            "unknown",
            "no commune found for the site (France only)",
            "no commune population: the site's water is not compared with the commune's",
            "note.water_resource.no_population",
            source_key="source.water_resource.no_population",
        )
    wr = p.water_resource
    given = wr.receiving_low_flow_m3_per_s if wr is not None else None
    if given is None and receiving_water(p) != "river":
        return
    from .inputs import _project_source

    inp.resolve(
        LOW_FLOW,
        given,
        "m3/s",
        None,
        project_source=_project_source(p, LOW_FLOW),
        missing_note="not given",
        source_key="source.not_given",
    )


def run_water_resource(
    v: dict[str, Any],
    out: dict[str, Any],
    spec: dict,
    put: Callable,
    spec_type: Callable,
    water_cooled: bool,
    cooling_type: str | None = None,
) -> None:
    """The two indicators, into ``out`` / ``spec`` (``put`` is the engine's; ``spec_type`` its ``_Spec``).

    For a cooling type that returns no water to a river or the sea, the rise is not applicable: it has
    no value, and :func:`mark_not_applicable` writes so in its note."""
    put(
        "water_onsite_share_of_commune_domestic",
        ("water_onsite_m3", POPULATION, "domestic_water_l_per_day"),
        lambda onsite, pop, lpd: model.share(onsite, model.commune_domestic_water_m3(pop, lpd)),
        "water used on site / (commune population x domestic water per inhabitant x 365 days)",
    )
    method = (
        "largest hourly heat into the water / (low flow of the receiving river x density x specific heat), "
        "full mixing (a lower bound of the rise at the edge of the mixing zone)"
    )
    if not_applicable(cooling_type):  # the method stays the formula; the note says « not applicable »
        spec[RISE] = spec_type((), method)
        out[RISE] = None
        return
    deps = ("it_capacity_mw", LOW_FLOW, "water_density_kg_per_m3", "water_specific_heat_j_per_kg_k")
    spec["receiving_water_rise_k"] = spec_type(deps, method)
    heat = out.get("thermal_discharge_max_mw")
    if not water_cooled or heat is None or not all(k in v for k in deps[1:]):
        out["receiving_water_rise_k"] = None
        return
    out["receiving_water_rise_k"] = model.receiving_water_rise_k(heat, *(v[k] for k in deps[1:]))


def mark_not_applicable(indicators: dict, cooling_type: str | None) -> None:
    """The rise's note says « not applicable » rather than « unknown » when no water is returned
    (its status stays ``unknown``: it has no value)."""
    ind = indicators.get(RISE)
    if ind is None or ind.known or not not_applicable(cooling_type):
        return
    from .results import Indicator

    indicators[RISE] = Indicator(**{**ind.__dict__, "note": NOT_APPLICABLE, "missing": ()})
