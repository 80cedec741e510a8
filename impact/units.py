"""Units a claim may be written in, and their conversion to an indicator's unit.

Promoters publish energy in GWh, shares in %, power in kW: a claim may name its
unit (``claims[].unit``) and is converted to the indicator's unit. Only units of
the same quantity convert; anything else is refused with the units expected.
"""

from __future__ import annotations

#: For each indicator unit, the units accepted and the factor to it (value x factor).
CONVERSIONS: dict[str, dict[str, float]] = {
    "MWh": {"kWh": 1e-3, "MWh": 1.0, "GWh": 1e3, "TWh": 1e6},
    "MW": {"kW": 1e-3, "MW": 1.0, "GW": 1e3},
    "-": {"-": 1.0, "%": 1e-2},
    "m3": {"L": 1e-3, "m3": 1.0, "thousand m3": 1e3, "million m3": 1e6},
    "t CO2e": {"kg CO2e": 1e-3, "t CO2e": 1.0, "kt CO2e": 1e3},
    "t CO2e/yr": {"kg CO2e/yr": 1e-3, "t CO2e/yr": 1.0, "kt CO2e/yr": 1e3},
    "L/kWh": {"L/kWh": 1.0, "m3/MWh": 1.0, "L/MWh": 1e-3},
    "m2": {"m2": 1.0, "ha": 1e4, "km2": 1e6},
    "households": {"households": 1.0},
    "inhabitants": {"inhabitants": 1.0},
    "homes": {"homes": 1.0},
}

#: Other spellings of the same units.
ALIASES = {
    "m³": "m3",
    "m²": "m2",
    "km²": "km2",
    "share": "-",
    "percent": "%",
    "tCO2e": "t CO2e",
    "ktCO2e": "kt CO2e",
    "kgCO2e": "kg CO2e",
    "l/kwh": "L/kWh",
    "l": "L",
}


def _canonical(unit: str) -> str:
    u = " ".join(str(unit).split())
    return ALIASES.get(u, ALIASES.get(u.lower(), u))


def convert(value: float, unit: str, to_unit: str) -> float:
    """``value`` in ``unit`` expressed in ``to_unit``.

    Raises
    ------
    ValueError
        When ``unit`` is not a unit of the same quantity as ``to_unit``.
    """
    table = CONVERSIONS.get(to_unit, {to_unit: 1.0})
    u = _canonical(unit)
    by_lower = {k.lower(): k for k in table}
    key = u if u in table else by_lower.get(u.lower())
    if key is None:
        from .errors import RuleError

        known = ", ".join(table)
        text = f"unit {unit!r} cannot be converted to the indicator's unit {to_unit!r}; expected one of: {known}"
        raise RuleError("loader.unit", text, unit=repr(unit), to=repr(to_unit), known=known)
    return value * table[key]
