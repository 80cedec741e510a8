"""Which parts of the GHG total rest on site-scaled defaults instead of the promoter's figures.

When a project publishes nothing on its generators, refrigerant or equipment, :mod:`impact.inputs`
records sourced defaults scaled to the site (``data/reference/totals_defaults.csv``) so that
``co2e_total_t`` is complete; these helpers name the defaulted parts, for the indicator's note,
the findings and the dossier, which still ask for the real figures.
"""

from __future__ import annotations

from collections.abc import Mapping

#: The default records of each part of the total, in the order they are named.
PART_RECORDS: dict[str, tuple[str, ...]] = {
    "co2e_generators_t": ("generators.installed_to_peak_ratio",),
    "co2e_refrigerant_t": ("refrigerant.type", "refrigerant.charge_kg_per_kw"),
    "co2e_embodied_t_per_year": (
        "equipment.embodied_kg_per_kw",
        "equipment.gpu_embodied_kg_per_kw",
        "building.embodied_kg_per_m2",
        "lifetime_years",
    ),
}


def defaulted_records(records: Mapping) -> list[str]:
    """The inputs of the total that are site-scaled defaults (status ``default``), in order.

    The building's lifetime counts only when the building's embodied emissions are counted.
    """
    out = []
    building_counted = "building.embodied_kg_per_m2" in records or (
        "building.embodied_tco2e" in records and records["building.embodied_tco2e"].status != "unknown"
    )
    for names in PART_RECORDS.values():
        for name in names:
            rec = records.get(name)
            if rec is None or rec.status != "default":
                continue
            if name == "lifetime_years" and not building_counted:
                continue
            out.append(name)
    return out


def defaulted_indicators(records: Mapping) -> list[str]:
    """The parts of ``co2e_total_t`` (indicator names) that include a default."""
    found = set(defaulted_records(records))
    return [part for part, names in PART_RECORDS.items() if found.intersection(names)]
