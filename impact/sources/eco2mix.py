"""RTE éCO2mix exports: electricity consumption, production by source and CO2 rate.

The national and regional exports of ODRÉ (odre.opendatasoft.com) and of RTE's
éCO2mix site, real-time (« temps réel ») and consolidated / definitive, all have
one row per time step (15 or 30 minutes) and columns such as ``Consommation (MW)``,
``Nucléaire (MW)`` or ``Taux de CO2 (g/kWh)``. Missing values are written as an
empty cell, ``-`` or ``ND``.

References
----------
.. [1] RTE, éCO2mix, https://www.rte-france.com/eco2mix ; données via ODRÉ,
   Licence Ouverte v2.0.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from ..errors import InputError
from ..textsafe import excerpt
from ._text import MISSING, decode, label, read_bytes
from .files import exception_text

TZ = "Europe/Paris"

#: Provider's column names -> ours (as ``pvlib.iotools`` does). Units in the names.
VARIABLE_MAP = {
    "Consommation (MW)": "consumption_mw",
    "Prévision J-1 (MW)": "forecast_d1_mw",
    "Prévision J (MW)": "forecast_d_mw",
    "Fioul (MW)": "oil_mw",
    "Charbon (MW)": "coal_mw",
    "Gaz (MW)": "gas_mw",
    "Thermique (MW)": "thermal_mw",
    "Nucléaire (MW)": "nuclear_mw",
    "Eolien (MW)": "wind_mw",
    "Eolien terrestre (MW)": "wind_onshore_mw",
    "Eolien offshore (MW)": "wind_offshore_mw",
    "Solaire (MW)": "solar_mw",
    "Hydraulique (MW)": "hydro_mw",
    "Pompage (MW)": "pumping_mw",
    "Bioénergies (MW)": "bioenergy_mw",
    "Stockage batterie (MW)": "battery_storage_mw",
    "Déstockage batterie (MW)": "battery_discharge_mw",
    "Ech. physiques (MW)": "physical_exchanges_mw",
    "Taux de CO2 (g/kWh)": "co2_g_per_kwh",
    "Ech. comm. Angleterre (MW)": "exchange_gb_mw",
    "Ech. comm. Espagne (MW)": "exchange_es_mw",
    "Ech. comm. Italie (MW)": "exchange_it_mw",
    "Ech. comm. Suisse (MW)": "exchange_ch_mw",
    "Ech. comm. Allemagne-Belgique (MW)": "exchange_de_be_mw",
    "Fioul - TAC (MW)": "oil_turbines_mw",
    "Fioul - Cogén. (MW)": "oil_chp_mw",
    "Fioul - Autres (MW)": "oil_other_mw",
    "Gaz - TAC (MW)": "gas_turbines_mw",
    "Gaz - Cogén. (MW)": "gas_chp_mw",
    "Gaz - CCG (MW)": "gas_ccgt_mw",
    "Gaz - Autres (MW)": "gas_other_mw",
    "Hydraulique - Fil de l?eau + éclusée (MW)": "hydro_run_of_river_mw",
    "Hydraulique - Fil de l'eau + éclusée (MW)": "hydro_run_of_river_mw",
    "Hydraulique - Lacs (MW)": "hydro_lakes_mw",
    "Hydraulique - STEP turbinage (MW)": "hydro_pumped_storage_mw",
    "Bioénergies - Déchets (MW)": "bioenergy_waste_mw",
    "Bioénergies - Biomasse (MW)": "bioenergy_biomass_mw",
    "Bioénergies - Biogaz (MW)": "bioenergy_biogas_mw",
}

_TIMESTAMP = ("Date - Heure", "Date et Heure")
_DATE, _HOURS = "Date", ("Heure", "Heures")
_TEXT = {"Périmètre": "perimeter", "Région": "region", "Nature": "nature"}


def _key(name: str) -> str:
    """Column name compared without case, accents of the export's encoding or spaces."""
    return " ".join(name.replace("\ufeff", "").replace("’", "'").split()).lower()


_MAP = {_key(k): v for k, v in VARIABLE_MAP.items()}

#: The largest power an export can hold [MW], in absolute value: ten times France's record
#: consumption (102,098 MW on 8 February 2012, RTE). A larger figure is a broken file.
MAX_POWER_MW = 1_000_000.0
#: The largest CO2 rate [g CO2/kWh]: the bound of ``grid.carbon_intensity_g_per_kwh`` in the
#: project file (twice a coal plant's direct emissions, about 1,000 g/kWh).
MAX_CO2_G_PER_KWH = 2000.0


def _checked(values, ours: str, col: str, source: str, where, cells):
    """``values`` of column ``col``, or an :class:`InputError` at the first infinite or absurd one."""
    import numpy as np

    co2 = ours == "co2_g_per_kwh"
    with np.errstate(invalid="ignore"):
        if co2:
            bad = ~np.isnan(values) & ~((values >= 0) & (values <= MAX_CO2_G_PER_KWH))
            expected = f"a CO2 rate between 0 and {MAX_CO2_G_PER_KWH:g} g/kWh"
        else:
            bad = ~np.isnan(values) & ~(np.abs(values) <= MAX_POWER_MW)
            expected = f"a power in MW, between -{MAX_POWER_MW:,.0f} and {MAX_POWER_MW:,.0f}"
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        cell = cells.iloc[i]
        got = excerpt(cell) if isinstance(cell, str) else f"{float(values[i]):g}"
        raise InputError(source, [(where(i), f"'{col}' must be {expected}, got {got}")])
    return values


def read_eco2mix(path: str | Path):
    """Read an éCO2mix export (national or regional, real-time or consolidated).

    Parameters
    ----------
    path : str or Path
        A ``;``- (or tab-) separated export, UTF-8 or latin-1.

    Returns
    -------
    pandas.DataFrame
        Indexed by the start of each time step, tz-aware (Europe/Paris), sorted,
        one row per time step (duplicated time steps are merged, the first
        non-missing value of each column is kept). Columns renamed with
        :data:`VARIABLE_MAP`: ``consumption_mw`` [MW], production by source
        ``*_mw`` [MW], ``co2_g_per_kwh`` [g CO2/kWh] where the export has it.
        Missing values are NaN. ``attrs`` holds ``source`` (the file name),
        ``perimeter`` / ``region`` and ``nature`` when present.

    Raises
    ------
    InputError
        naming the file, the line and the column of the first bad value.
    """
    name = label(path)
    raw = read_bytes(path, "eco2mix")
    return parse_eco2mix(decode(raw), name)


def parse_eco2mix(text: str, source: str = "<eco2mix>"):
    """Parse the text of an éCO2mix export; see :func:`read_eco2mix`.

    Parameters
    ----------
    text : str
        The decoded file content.
    source : str
        How the file is named in error messages.
    """
    import numpy as np
    import pandas as pd

    first = text.split("\n", 1)[0]
    sep = "\t" if first.count("\t") > first.count(";") else ";"
    if first.count(sep) < 2:
        raise InputError(source, [("line 1", "not an éCO2mix export: expected a header separated by ';'")])
    try:
        with warnings.catch_warnings():  # a trailing separator gives one more (empty) field than the header
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            # Numbers are parsed by the C reader; a column that is not all numbers stays text
            # and is checked cell by cell below, to name the bad cell.
            df = pd.read_csv(
                io.StringIO(text),
                sep=sep,
                na_values=sorted(MISSING),
                keep_default_na=False,
                index_col=False,
                skip_blank_lines=False,
                engine="c",
                low_memory=False,
            )
    except (pd.errors.ParserError, ValueError, OverflowError) as exc:
        raise InputError(source, [("", f"cannot be read as a ';'-separated table: {exception_text(exc)}")]) from None
    header = [str(c) for c in df.columns]
    keys = {_key(c): c for c in header}
    lines = np.arange(len(df)) + 2  # line numbers in the file (header is line 1)

    # Drop blank lines and footers (RTE's exports end with a one-cell disclaimer).
    filled = df.notna().sum(axis=1).to_numpy()
    keep = filled >= 2
    df, lines = df.loc[keep].reset_index(drop=True), lines[keep]

    ts_col = next((keys[_key(c)] for c in _TIMESTAMP if _key(c) in keys), None)
    if ts_col is not None:
        stamps = pd.to_datetime(df[ts_col].astype(str).str.strip(), format="ISO8601", utc=True, errors="coerce")
        bad = stamps.isna().to_numpy()
        col = ts_col
    elif _key(_DATE) in keys and any(_key(h) in keys for h in _HOURS):
        hcol = next(keys[_key(h)] for h in _HOURS if _key(h) in keys)
        local = pd.to_datetime(
            df[keys[_key(_DATE)]].astype(str).str.strip() + " " + df[hcol].astype(str).str.strip(),
            errors="coerce",
            dayfirst=False,
            format="mixed",
        )
        bad = local.isna().to_numpy()
        col = keys[_key(_DATE)]
        stamps = local.dt.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT")
        # Fall-back hour: the two occurrences of 02:xx follow one another in file order.
        amb = stamps.isna().to_numpy() & ~bad
        if amb.any():
            first_pass = local.duplicated(keep="first").to_numpy()
            fix = local[amb].dt.tz_localize(TZ, ambiguous=~first_pass[amb], nonexistent="shift_forward")
            stamps = stamps.copy()
            stamps[amb] = fix
        stamps = stamps.dt.tz_convert("UTC")
    else:
        raise InputError(
            source, [("line 1", "no 'Date - Heure' column (nor 'Date' and 'Heure'): not an éCO2mix export?")]
        )
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        cell = df[col].iloc[i]
        raise InputError(
            source,
            [
                (
                    f"line {lines[i]}, column {header.index(col) + 1}",
                    f"'{col}' is not a date and time: {'' if pd.isna(cell) else excerpt(cell)}",
                )
            ],
        )

    out = {}
    for col in header:
        ours = _MAP.get(_key(col))
        if ours is None or ours in out:
            continue
        where = lambda i, col=col: f"line {lines[i]}, column {header.index(col) + 1}"  # noqa: E731
        if pd.api.types.is_numeric_dtype(df[col]):
            values = df[col].to_numpy(dtype=float)
        else:
            cells = df[col].fillna("").astype(str).str.strip()
            missing = cells.isin(MISSING).to_numpy()
            values = pd.to_numeric(cells.where(~missing).str.replace(",", ".", regex=False), errors="coerce").to_numpy(
                dtype=float
            )
            bad = np.isnan(values) & ~missing
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise InputError(source, [(where(i), f"'{col}' is not a number: {excerpt(df[col].iloc[i])}")])
        out[ours] = _checked(values, ours, col, source, where, df[col])
    if "consumption_mw" not in out:
        raise InputError(source, [("line 1", "no 'Consommation (MW)' column: not an éCO2mix export?")])

    result = pd.DataFrame(out, index=pd.DatetimeIndex(stamps.to_numpy(), name="time"))
    result.index = result.index.tz_localize("UTC") if result.index.tz is None else result.index
    result.index = result.index.tz_convert(TZ)
    if not result.index.is_unique:
        result = result.groupby(level=0, sort=True).first()
    elif not result.index.is_monotonic_increasing:
        result = result.sort_index()
    result.index.name = "time"
    result.attrs["source"] = source
    for col, attr in _TEXT.items():
        if _key(col) in keys:
            values = df[keys[_key(col)]].dropna().unique()
            result.attrs[attr] = str(values[0]) if len(values) else ""
    return result
