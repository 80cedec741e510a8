"""ICPE quantities of the backup generators: thermal input and fuel stored, and the regime they give.

The French nomenclature of classified installations (annexe à l'article R. 511-9 du code de
l'environnement) classes a site by quantities: the total nominal thermal power of its combustion
plant (rubriques 2910-A, 3110), the fluorinated gas in its refrigeration (1185) and the petroleum
products it stores (4734, and Seveso III, Directive 2012/18/EU). The thresholds are in
``data/reference/icpe_thresholds.csv``.
"""

from __future__ import annotations

from collections.abc import Sequence


def generators_thermal_input_mw(installed_mw, fuel_l_per_kwh, density_kg_per_l, lhv_kwh_per_kg):
    """Thermal input of the generators at full load: fuel energy burnt per hour.

    Parameters
    ----------
    installed_mw : numeric
        Electrical power of all the generators [MW].
    fuel_l_per_kwh : numeric
        Fuel burnt per kWh of electricity [L/kWh].
    density_kg_per_l : numeric
        Fuel density [kg/L].
    lhv_kwh_per_kg : numeric
        Lower heating value of the fuel [kWh/kg] (IPCC 2006 Vol. 2 Table 1.2).

    Returns
    -------
    numeric
        Thermal input [MW]: electrical power / efficiency, the efficiency being
        1 / (fuel_l_per_kwh x density x LHV).
    """
    return installed_mw * fuel_l_per_kwh * density_kg_per_l * lhv_kwh_per_kg


def fuel_storage_m3(installed_mw, autonomy_hours, fuel_l_per_kwh):
    """Fuel the site must hold for its generators to run ``autonomy_hours`` at full load.

    Parameters
    ----------
    installed_mw : numeric
        Electrical power of all the generators [MW].
    autonomy_hours : numeric
        Hours at full load the on-site tanks hold [h].
    fuel_l_per_kwh : numeric
        Fuel burnt per kWh of electricity [L/kWh].

    Returns
    -------
    numeric
        Fuel stored [m3] (MW x h = MWh; x 1000 kWh/MWh x L/kWh / 1000 L/m3).
    """
    return installed_mw * autonomy_hours * fuel_l_per_kwh


def fuel_storage_t(storage_m3, density_kg_per_l):
    """Mass of fuel stored [t] from its volume [m3] and density [kg/L] (1 kg/L = 1 t/m3)."""
    return storage_m3 * density_kg_per_l


def stored_fuel_t(volumes_m3: Sequence[float], densities_kg_per_l: Sequence[float]) -> float:
    """Mass of a mixed fuel stock [t]: the sum of each fuel's volume [m3] x its density [kg/L].

    Rubrique 4734 and Seveso entry 34 count gas oils, heating oil and substitution fuels (HVO)
    together, in tonnes: 1,716 m3 of HVO at 0.78 kg/L and 1,700 m3 of heating oil at 0.855 kg/L
    are 1,338 + 1,454 = 2,792 t.
    """
    if len(volumes_m3) != len(densities_kg_per_l):
        raise ValueError("one density per volume")
    return float(sum(v * d for v, d in zip(volumes_m3, densities_kg_per_l, strict=True)))


def stock_autonomy_hours(storage_m3, installed_mw, fuel_l_per_kwh):
    """Hours of full load of all the generators that a fuel stock holds.

    Parameters
    ----------
    storage_m3 : numeric
        Fuel stored [m3].
    installed_mw : numeric
        Electrical power of all the generators [MW].
    fuel_l_per_kwh : numeric
        Fuel burnt per kWh of electricity [L/kWh].

    Returns
    -------
    numeric
        Autonomy [h]: the inverse of :func:`fuel_storage_m3` (m3 / (MW x L/kWh)).
    """
    return storage_m3 / (installed_mw * fuel_l_per_kwh)


def phases_split(values: Sequence[float], thresholds: Sequence[tuple[str, float]]) -> tuple[str, float] | None:
    """The (regime, threshold) that the total of the phases reaches while every phase stays under it,
    the highest such one; None when no threshold is split so (a threshold applies to the site's total)."""
    total = sum(values)
    split = [(t, r) for r, t in thresholds if total >= t and all(v < t for v in values)]
    return (max(split)[1], max(split)[0]) if split else None


def regime(value: float, thresholds: Sequence[tuple[str, float]]) -> str | None:
    """The regime of the highest threshold ``value`` reaches (thresholds: (regime, threshold)),
    None below the lowest one."""
    reached = [(t, r) for r, t in thresholds if value >= t]
    return max(reached)[1] if reached else None


def just_below(value: float, thresholds: Sequence[tuple[str, float]], margin: float = 0.05) -> tuple[str, float] | None:
    """The (regime, threshold) that ``value`` sits just under (within ``margin`` of it, 5 % by
    default), None otherwise. A declared power of 49.4 MW against the 50 MW of rubrique 3110
    (the Wissous case) is 1.2 % below."""
    for r, t in sorted(thresholds, key=lambda rt: rt[1]):
        if t * (1.0 - margin) <= value < t:
            return r, t
    return None


def ups_battery_energy_mwh(it_capacity_mw, autonomy_minutes):
    """Energy the UPS batteries hold to carry the full IT load for ``autonomy_minutes``.

    Parameters
    ----------
    it_capacity_mw : numeric
        IT power at full load [MW].
    autonomy_minutes : numeric
        Battery autonomy at full IT load [min].

    Returns
    -------
    numeric
        Usable battery energy [MWh] (MW x min / 60), one UPS path; a 2N design holds twice this.
    """
    return it_capacity_mw * autonomy_minutes / 60.0
