"""Numbers as people read them, in the report's language.

The rules are here; their words and signs come from the catalogue
(:mod:`impact.report.catalogue`): the decimal and thousands separators
(``number.decimal_separator``, ``number.thousands_separator``: in French ``1 234,5``
with a narrow no-break space, in English ``1,234.5``), the percent sign, the range
(``number.range``), the units (``unit.<code>``) and « inconnu » (``value.unknown``).
A no-break space joins a number and its unit.

Figures are rounded to three significant digits, since no estimate here is better
than that. Units that scale (power kW / MW / GW, energy kWh ... TWh, emissions
kg ... Mt CO₂e) are chosen per value: the largest unit in which the rounded value is
at least 1 (0.0409 MW is written 40,9 kW; 140 000 MWh, 140 GWh). Where values are
compared side by side (a table row or column), :func:`common_unit` picks one unit
for all of them. Water stays in m³, with thousands separators.
"""

from __future__ import annotations

import math
from functools import cache

NNBSP = "\u202f"  # narrow no-break space: thousands separator in French
NBSP = "\u00a0"  # no-break space: between a number and its unit

#: Units that scale by steps of 1000, smallest first.
SCALES = (
    ("kW", "MW", "GW"),
    ("kWh", "MWh", "GWh", "TWh"),
    ("kg CO2e", "t CO2e", "kt CO2e", "Mt CO2e"),
)
_PER_YEAR = "/yr"


def _cat(lang: str):
    from .catalogue import catalogue

    return catalogue(lang)


@cache
def _separators(lang: str) -> tuple[str, str]:
    t = _cat(lang)
    return t("number.decimal_separator"), t("number.thousands_separator")


def unknown(lang: str = "fr") -> str:
    """« inconnu » / "unknown"."""
    return _cat(lang)("value.unknown")


def unit_text(unit: str, lang: str = "fr") -> str:
    """A unit code of the data (``t CO2e/yr``) as printed (``t CO₂e/an``); "" for none."""
    if unit in ("-", ""):
        return ""
    return _cat(lang)(f"unit.{unit}")


def round_sig(x: float, digits: int = 3) -> float:
    """``x`` rounded to ``digits`` significant digits."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def number(x: float | None, lang: str = "fr", digits: int = 3, decimals: int | None = None) -> str:
    """Format ``x`` with ``digits`` significant digits (or fixed ``decimals``)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return unknown(lang)
    if decimals is None:
        if x == 0:
            decimals = 0
        else:
            x = round_sig(x, digits)
            magnitude = math.floor(math.log10(abs(x)))
            decimals = max(0, digits - 1 - magnitude)
    text = f"{x:,.{decimals}f}"
    if text in ("-0", "-0.0"):
        text = text[1:]
    decimal, thousands = _separators(lang)
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def plain(x: float | None, lang: str = "fr", digits: int = 4) -> str:
    """``number`` without trailing zeros (0,56 rather than 0,5600)."""
    text = number(x, lang, digits=digits)
    sep = _separators(lang)[0]
    if x is not None and sep in text:
        text = text.rstrip("0").rstrip(sep)
    return text


# ----------------------------------------------------------------------------- units that scale
def _family(unit: str) -> tuple[tuple[str, ...], int, str] | None:
    """(family, index of ``unit`` in it, suffix) for a unit that scales, else None."""
    suffix = ""
    head = unit
    if unit.endswith(_PER_YEAR):
        head, suffix = unit[: -len(_PER_YEAR)], _PER_YEAR
    for family in SCALES:
        if head in family:
            return family, family.index(head), suffix
    return None


def convertible(unit: str) -> bool:
    """Whether ``unit`` scales (kW / MW / GW, kWh ... TWh, kg ... Mt CO₂e)."""
    return _family(unit) is not None


def convert(x: float, unit: str, to: str) -> float:
    """``x`` [``unit``] in ``to`` (two units of one family, e.g. MW and kW)."""
    if to == unit:
        return x
    a, b = _family(unit), _family(to)
    if a is None or b is None or a[0] is not b[0] or a[2] != b[2]:
        raise ValueError(f"cannot convert {unit} to {to}")
    return x * 1000.0 ** (a[1] - b[1])


def best_unit(x: float | None, unit: str, digits: int = 3) -> str:
    """The unit in which ``x`` [``unit``] reads best: the largest of its family in which
    the value, rounded to ``digits`` significant digits, is at least 1 (``unit`` itself
    for a unit that does not scale, zero or unknown)."""
    fam = _family(unit)
    if fam is None or x is None or not math.isfinite(x) or x == 0:
        return unit
    family, i, suffix = fam
    base = abs(x) * 1000.0**i  # in the family's smallest unit
    k = 0
    while k + 1 < len(family) and round_sig(base / 1000.0 ** (k + 1), digits) >= 1:
        k += 1
    return family[k] + suffix


def common_unit(values, unit: str) -> str:
    """One unit for values read side by side: the best unit of the smallest non-zero
    magnitude among them (so that none is written 0,0x; larger ones keep their digits
    with thousands separators)."""
    known = [abs(v) for v in values if v is not None and math.isfinite(v) and v != 0]
    return best_unit(min(known), unit) if known else unit


def quantity(x: float | None, unit: str, lang: str = "fr", *, to: str | None = None, scale: bool = True, **kw) -> str:
    """``number`` followed by its unit, joined by a no-break space; in the unit ``to``,
    else the best unit for ``x`` (``scale=False``: in ``unit`` as given)."""
    if x is None:
        return unknown(lang)
    target = to or (best_unit(x, unit) if scale else unit)
    u = unit_text(target, lang)
    return number(convert(x, unit, target), lang, **kw) + (NBSP + u if u else "")


def distance(km: float | None, lang: str = "fr", *, away: bool = False) -> str:
    """A distance from the site as read: to the nearest 100 m (the precision of a site's
    published point at best), « sur le site » when that is 0 (under 50 m), in metres under
    1 km, else in km to one decimal; ``away``: as a sentence's complement (« à 2,0 km » /
    "2.0 km away"; « sur le site » reads in a sentence as it is)."""
    if km is None or not math.isfinite(km):
        return unknown(lang)
    t = _cat(lang)
    metres = math.floor(km * 10 + 0.5) * 100
    if metres <= 0:
        return t("distance.at_site")
    text = (
        t("distance.m", m=number(metres, lang, decimals=0))
        if metres < 1000
        else t("distance.km", km=number(metres / 1000, lang, decimals=1))
    )
    return t("distance.away", distance=text) if away else text


def plain_quantity(x: float | None, unit: str, lang: str = "fr", digits: int = 4) -> str:
    """A figure of the data or the project file (a threshold, a claim): in its best unit,
    without trailing zeros (``1 MW``, ``500 kW``, ``8 °C``) rather than at three digits."""
    if x is None:
        return unknown(lang)
    target = best_unit(x, unit)
    u = unit_text(target, lang)
    return plain(convert(x, unit, target), lang, digits=digits) + (NBSP + u if u else "")


def percent(share: float | None, lang: str = "fr", digits: int = 3) -> str:
    """A share (0.0433) as a percentage (``4,33 %`` / ``4.33%``); trailing zeros dropped."""
    if share is None:
        return unknown(lang)
    text = number(share * 100, lang, digits=digits)
    sep = _separators(lang)[0]
    if sep in text:
        text = text.rstrip("0").rstrip(sep)
    return percent_text(text, lang)


def percent_text(number_text: str, lang: str = "fr") -> str:
    """A number already written, with the percent sign (``4,33 %`` / ``4.33%``)."""
    return _cat(lang)("number.percent", value=number_text)


def span(
    low: float | None, high: float | None, unit: str, lang: str = "fr", share: bool = False, to: str | None = None
) -> str:
    """A range: ``1 200 à 1 500 MWh`` / ``1,200 to 1,500 MWh``, in ``to`` (else the best
    unit of the larger bound); empty for a point."""
    if low is None or high is None:
        return ""
    t = _cat(lang)
    if share:
        lo, hi = percent(low, lang), percent(high, lang)
        if lo == hi:
            return ""
        bare = t("number.percent", value="")
        return t("number.range", low=lo.replace(bare, "") if bare else lo, high=hi)
    target = to or best_unit(max(abs(low), abs(high)), unit)
    lo, hi = number(convert(low, unit, target), lang), number(convert(high, unit, target), lang)
    if lo == hi:
        return ""
    u = unit_text(target, lang)
    return t("number.range", low=lo, high=hi) + (NBSP + u if u else "")


def value_range(
    central: float | None,
    low: float | None,
    high: float | None,
    unit: str,
    lang: str = "fr",
    *,
    share: bool = False,
    to: str | None = None,
) -> str:
    """``140 GWh (131 à 165 GWh)``: the central value, then its range in the same unit."""
    if central is None:
        return unknown(lang)
    if share:
        text, rng = percent(central, lang), span(low, high, unit, lang, share=True)
    else:
        target = to or best_unit(central, unit)
        text, rng = quantity(central, unit, lang, to=target), span(low, high, unit, lang, to=target)
    return f"{text} ({rng})" if rng else text
