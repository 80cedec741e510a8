"""The reference tables shipped in ``data/reference``: each figure with its source.

Every row carries ``value, unit, source, year, quality`` (primary / secondary /
assumption, or unknown when no source was found). Lookups return a
:class:`Sourced` so that the figure's origin travels with it into the results.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from ..paths import data_dir
from ..ranges import Range

QUALITIES = ("primary", "secondary", "assumption", "unknown")


@dataclass(frozen=True)
class Sourced:
    """A reference figure with where it comes from."""

    value: Range | None  # None: no source found, the figure is unknown
    unit: str
    source: str
    year: str
    quality: str
    note: str = ""

    @property
    def citation(self) -> str:
        if self.source.rstrip().endswith("]"):  # a composite citation, already tagged
            return self.source
        year = f", {self.year}" if self.year and self.year not in self.source else ""
        return f"{self.source}{year} [{self.quality}]"

    def known(self) -> Range:
        """The value, which the caller needs: raises when the row has none (no source found)."""
        if self.value is None:
            raise ValueError(f"the reference figure {self.citation} has no value")
        return self.value


@cache
def read_reference_table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ``data/reference/<name>.csv`` as dictionaries of strings."""
    path = data_dir() / "reference" / f"{name}.csv"
    with path.open(newline="", encoding="utf-8") as f:
        return tuple(dict(row) for row in csv.DictReader(f))


def _sourced(row: dict[str, str]) -> Sourced:
    central = row.get("value", "").strip()
    if not central:
        value = None
    else:
        c = float(central)
        low = float(row["low"]) if row.get("low", "").strip() else c
        high = float(row["high"]) if row.get("high", "").strip() else c
        value = Range(low, c, high)
    return Sourced(value, row["unit"], row["source"], row["year"], row["quality"], row.get("note", "") or "")


def lookup(name: str, **match: str) -> Sourced | None:
    """The first row of table ``name`` whose columns equal ``match``; None if none."""
    return _lookup(name, tuple(match.items()))


@cache
def _lookup(name: str, match: tuple[tuple[str, str], ...]) -> Sourced | None:
    # Kept per process as the tables are (read_reference_table): an estimate makes about 75
    # lookups, each a scan of its table's rows; Sourced is immutable.
    for row in read_reference_table(name):
        if all(row.get(k) == v for k, v in match):
            return _sourced(row)
    return None


def require(name: str, **match: str) -> Sourced:
    """As :func:`lookup`, for a row the data files must hold: raises naming the table and key when missing."""
    found = lookup(name, **match)
    if found is None:
        key = ", ".join(f"{k}={v!r}" for k, v in match.items())
        raise LookupError(f"no row {key} in the reference table data/reference/{name}.csv")
    return found


def refrigerant_names() -> list[str]:
    return sorted({r["refrigerant"] for r in read_reference_table("refrigerant_gwp")})


def refrigerant_gwp(refrigerant: str, basis: str = "AR6") -> Sourced | None:
    """GWP-100 of a refrigerant; falls back to the other IPCC report when missing."""
    found = lookup("refrigerant_gwp", refrigerant=refrigerant, basis=basis)
    if found is None:
        other = "AR4" if basis == "AR6" else "AR6"
        found = lookup("refrigerant_gwp", refrigerant=refrigerant, basis=other)
    return found


#: Bases of ``grid_carbon_intensity.csv``, in words (the note of a default says which one it uses).
GRID_BASES = {
    "consumption": "consumption mix, life cycle",
    "direct": "direct emissions of production",
    "lifecycle": "life cycle of production",
}


def _in_band(x: float, low: str, high: str, *, high_inclusive: bool) -> bool:
    """``x`` within the band ``[low, high)`` (``[low, high]`` when ``high_inclusive``); an empty bound is open."""
    if low.strip() and x < float(low):
        return False
    if high.strip():
        return x <= float(high) if high_inclusive else x < float(high)
    return True


def pue_default(cooling_type: str, it_mw: float, first_year: int) -> tuple[Sourced, str]:
    """The default PUE range for a cooling type, an IT power [MW] and a first year of operation.

    The row of ``pue_defaults.csv`` for the cooling type whose size band (``it_mw_min`` <= IT <
    ``it_mw_max``) and year band (``first_year_min`` <= year <= ``first_year_max``) hold the site,
    else the ``any`` row of those bands (no sourced PUE by cooling type). Returns the row and the
    band in words (e.g. ``"5-50 MW IT, first operated from 2020"``).
    """
    rows = read_reference_table("pue_defaults")
    for wanted in (cooling_type, "any"):
        for row in rows:
            if (
                row["cooling_type"] == wanted
                and _in_band(it_mw, row["it_mw_min"], row["it_mw_max"], high_inclusive=False)
                and _in_band(first_year, row["first_year_min"], row["first_year_max"], high_inclusive=True)
            ):
                return _sourced(row), _band_words(row)
    raise LookupError(
        f"no row for cooling_type={cooling_type!r} (or 'any'), {it_mw:g} MW IT, first year {first_year} "
        "in the reference table data/reference/pue_defaults.csv"
    )


def _band_words(row: dict[str, str]) -> str:
    lo, hi = row["it_mw_min"].strip(), row["it_mw_max"].strip()
    size = (
        f"{lo}-{hi} MW IT"
        if lo not in ("", "0") and hi
        else f"below {hi} MW IT"
        if hi
        else (f"{lo} MW IT or more" if lo not in ("", "0") else "any size")
    )
    y0, y1 = row["first_year_min"].strip(), row["first_year_max"].strip()
    years = (
        f"first operated {y0}-{y1}"
        if y0 and y1
        else f"first operated from {y0}"
        if y0
        else f"first operated up to {y1}"
        if y1
        else "any year"
    )
    return f"{size}, {years}"


@dataclass(frozen=True)
class GridFactors:
    """The grid carbon factors of a country and year, by basis (see :func:`grid_carbon_factors`)."""

    central: Sourced | None  # the default: a range whose low value is the direct-production figure
    direct: Sourced | None  # direct emissions of production alone (RTE), the low bound
    basis: str  # the central value's basis: "consumption", "direct" or "lifecycle" ("" when none)
    year: str  # the central value's year
    note: str  # which year and basis were used, in words


def _grid_rows(country: str) -> list[dict[str, str]]:
    # rows without a value are known gaps
    return [r for r in read_reference_table("grid_carbon_intensity") if r["country"] == country and r["value"].strip()]


def _pick(rows, basis: str, year: int, exact: bool):
    """The row of ``basis`` for ``year`` (exact), else the latest year before it, else the earliest."""
    cands = [r for r in rows if r["basis"] == basis and (int(r["year"]) == year if exact else int(r["year"]) <= year)]
    if not cands and not exact:  # a project before the first year known: the earliest
        cands = sorted((r for r in rows if r["basis"] == basis), key=lambda r: int(r["year"]))[:1]
    return max(cands, key=lambda r: int(r["year"])) if cands else None


def _year_note(row, year: int) -> str:
    note = f"{row['year']} value used ({GRID_BASES[row['basis']]})"
    if int(row["year"]) < year:
        note += f" for {year} (latest year available)"
    elif int(row["year"]) > year:
        note += f" for {year} (earliest year available)"
    return note


def _cite(row, role: str = "") -> str:
    return f"{row['source']} ({row['year']}, {GRID_BASES[row['basis']]}{role}) [{row['quality']}]"


def grid_carbon_factors(country: str, year: int) -> GridFactors:
    """Default location-based grid carbon factors for ``country`` in ``year``.

    The central value is the **consumption mix, life cycle** (ADEME Base Empreinte « mix
    moyen consommation » for France: the factor a GHG balance uses, imports and upstream
    emissions included) when the table has one; otherwise the direct-emission figure of the
    system operator, else the life cycle of production. The **direct emissions of
    production** (RTE's « g CO2eq par kilowatt-heure produit »), which leave out upstream
    emissions and imports, are the low value of the range and are returned apart
    (``direct``) to be shown beside the central one. The high value is the larger of the
    central value and the life cycle of production of the same year.

    Each basis takes the row of ``year``, else the latest year before it, else the earliest.
    """
    rows = _grid_rows(country)
    if not rows:
        return GridFactors(None, None, "", "", f"no grid carbon intensity is known for {country}")
    direct = _pick(rows, "direct", year, True) or _pick(rows, "direct", year, False)
    if any(r["basis"] == "consumption" for r in rows):
        main = _pick(rows, "consumption", year, False)
    else:  # the former order: the operator's direct figure of the year, else the life cycle of the year
        main = _pick(rows, "direct", year, True) or _pick(rows, "lifecycle", year, True) or direct
        main = main or _pick(rows, "lifecycle", year, False)
    assert main is not None  # rows is not empty and every row has one of the bases
    c = float(main["value"])
    low, high = c, c
    sources = [_cite(main)]
    note = _year_note(main, year)
    if direct is not None and direct is not main and float(direct["value"]) < c:
        low = float(direct["value"])
        sources.append(_cite(direct, ": low value"))
        note += f"; low value: {_year_note(direct, year)}"
    same = [r for r in rows if r["basis"] == "lifecycle" and r["year"] == main["year"] and r is not main]
    if same and float(same[0]["value"]) > c:
        high = float(same[0]["value"])
        sources.append(_cite(same[0], ": high value"))
    central = Sourced(Range(low, c, high), main["unit"], "; ".join(sources), main["year"], main["quality"], note)
    low_bound = None
    if direct is not None:
        d = float(direct["value"])
        low_bound = Sourced(
            Range.point(d), direct["unit"], _cite(direct), direct["year"], direct["quality"], _year_note(direct, year)
        )
    return GridFactors(central, low_bound, main["basis"], main["year"], note)


def grid_carbon_intensity(country: str, year: int) -> tuple[Sourced | None, str]:
    """The default of :func:`grid_carbon_factors` and the sentence saying which year and basis it uses."""
    f = grid_carbon_factors(country, year)
    return f.central, f.note
