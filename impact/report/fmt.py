"""Numbers as people read them, in French or English.

French: ``1 234,5`` with a narrow no-break space (U+202F) between thousands and a
no-break space (U+00A0) before the unit; English: ``1,234.5``. Figures are rounded
to three significant digits, since no estimate here is better than that.
"""

from __future__ import annotations

import math

NNBSP = "\u202f"  # narrow no-break space: thousands separator in French
NBSP = "\u00a0"  # no-break space: between a number and its unit

#: Units as printed in the dossier.
UNITS = {
    "fr": {"MWh": "MWh", "MW": "MW", "t CO2e": "t CO₂e", "t CO2e/yr": "t CO₂e/an", "m3": "m³", "m2": "m²",
           "homes": "logements", "households": "foyers", "inhabitants": "habitants", "-": "", "°C": "°C",
           "g CO2e/kWh": "g CO₂e/kWh", "L/kWh": "L/kWh", "km": "km", "kV": "kV", "%": "%", "GWh": "GWh"},
    "en": {"MWh": "MWh", "MW": "MW", "t CO2e": "t CO₂e", "t CO2e/yr": "t CO₂e/yr", "m3": "m³", "m2": "m²",
           "homes": "homes", "households": "households", "inhabitants": "inhabitants", "-": "", "°C": "°C",
           "g CO2e/kWh": "g CO₂e/kWh", "L/kWh": "L/kWh", "km": "km", "kV": "kV", "%": "%", "GWh": "GWh"},
}

UNKNOWN_TEXT = {"fr": "inconnu", "en": "unknown"}


def round_sig(x: float, digits: int = 3) -> float:
    """``x`` rounded to ``digits`` significant digits."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def number(x: float | None, lang: str = "fr", digits: int = 3, decimals: int | None = None) -> str:
    """Format ``x`` with ``digits`` significant digits (or fixed ``decimals``)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return UNKNOWN_TEXT[lang]
    if decimals is None:
        if x == 0:
            decimals = 0
        else:
            magnitude = math.floor(math.log10(abs(x)))
            x = round_sig(x, digits)
            decimals = max(0, digits - 1 - magnitude)
    text = f"{x:,.{decimals}f}"
    if text in ("-0", "-0.0"):
        text = text[1:]
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def plain(x: float | None, lang: str = "fr", digits: int = 4) -> str:
    """``number`` without trailing zeros (0,56 rather than 0,5600)."""
    text = number(x, lang, digits=digits)
    sep = "," if lang == "fr" else "."
    if x is not None and sep in text:
        text = text.rstrip("0").rstrip(sep)
    return text


def quantity(x: float | None, unit: str, lang: str = "fr", **kw) -> str:
    """``number`` followed by its unit, joined by a no-break space."""
    if x is None:
        return UNKNOWN_TEXT[lang]
    u = UNITS[lang].get(unit, unit)
    return number(x, lang, **kw) + (NBSP + u if u else "")


def percent(share: float | None, lang: str = "fr", digits: int = 3) -> str:
    """A share (0.0433) as a percentage (``4,33 %`` / ``4.33%``); trailing zeros dropped."""
    if share is None:
        return UNKNOWN_TEXT[lang]
    text = number(share * 100, lang, digits=digits)
    sep = "," if lang == "fr" else "."
    if sep in text:
        text = text.rstrip("0").rstrip(sep)
    return text + (NBSP + "%" if lang == "fr" else "%")


def span(low: float | None, high: float | None, unit: str, lang: str = "fr", share: bool = False) -> str:
    """A range: ``de 1 200 à 1 500 MWh`` / ``1,200-1,500 MWh``; empty for a point."""
    if low is None or high is None:
        return ""
    fmt = (lambda v: percent(v, lang)) if share else (lambda v: number(v, lang))
    lo, hi = fmt(low), fmt(high)
    if lo == hi:
        return ""
    u = "" if share else UNITS[lang].get(unit, unit)
    tail = (NBSP + u) if u else ""
    if share:
        lo = lo.replace(NBSP + "%", "").replace("%", "")
    return f"{lo} à {hi}{tail}" if lang == "fr" else f"{lo} to {hi}{tail}"
