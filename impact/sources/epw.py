"""EnergyPlus weather files (EPW): hourly dry-bulb temperature, humidity, wet bulb.

Parsing is done by :func:`pvlib.iotools.read_epw`; the wet-bulb temperature is
computed with the ASHRAE Handbook Fundamentals psychrometric equations, as in
PsychroLib [1]_ (here over whole arrays, :mod:`impact.model.psychrometrics`),
from the dry-bulb temperature, the relative humidity and the station pressure
of each hour.

References
----------
.. [1] D. Meyer and D. Thevenard, "PsychroLib: a library of psychrometric
   functions to calculate thermodynamic properties of air", Journal of Open
   Source Software 4 (33), 1137, 2019, doi:10.21105/joss.01137.
.. [2] U.S. DOE, EnergyPlus Auxiliary Programs, "Weather Converter Program"
   (EPW format: 8 header lines, then one line per hour).
"""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import InputError
from ..textsafe import excerpt
from ._text import decode, label, read_bytes
from .files import exception_text

#: pvlib's names -> ours (pvlib already maps the EPW's positional fields).
VARIABLE_MAP = {
    "temp_air": "temp_air_c",
    "temp_dew": "temp_dew_c",
    "relative_humidity": "relative_humidity",
    "atmospheric_pressure": "pressure_pa",
    "ghi": "ghi_w_per_m2",
    "wind_speed": "wind_speed_m_per_s",
}
STANDARD_PRESSURE_PA = 101325.0
#: The fields checked on every record: column -> (name, low, high, missing code, unit). Bounds and
#: missing codes of the EPW data dictionary (EnergyPlus Auxiliary Programs, "Weather Converter
#: Program", and the WeatherData fields of Energy+.idd): dry bulb > -70 and < 70 °C (99.9 missing),
#: relative humidity 0-110 % (999 missing), station pressure > 31,000 and < 120,000 Pa (999999 missing).
RECORD_FIELDS = {
    7: ("dry-bulb temperature", -70.0, 70.0, 99.9, "°C"),
    9: ("relative humidity", 0.0, 110.0, 999.0, "%"),
    10: ("station pressure", 31000.0, 120000.0, 999999.0, "Pa"),
}


def wet_bulb_c(temp_air_c, relative_humidity, pressure_pa=STANDARD_PRESSURE_PA):
    """Thermodynamic wet-bulb temperature (the ASHRAE equations of PsychroLib [1]_, over arrays).

    Parameters
    ----------
    temp_air_c : array-like
        Dry-bulb temperature [°C].
    relative_humidity : array-like
        Relative humidity [%], 0-100.
    pressure_pa : array-like
        Atmospheric pressure [Pa].

    Returns
    -------
    numpy.ndarray
        Wet-bulb temperature [°C]; NaN where an input is missing.
    """
    import numpy as np

    from ..model.psychrometrics import dew_point_from_relative_humidity, wet_bulb_from_dew_point

    t, rh, p = np.broadcast_arrays(
        np.asarray(temp_air_c, float), np.asarray(relative_humidity, float), np.asarray(pressure_pa, float)
    )
    ok = np.isfinite(t) & np.isfinite(rh) & np.isfinite(p)
    out = np.full(t.shape, np.nan)
    # PsychroLib bounds the humidity ratio below by 1e-7: a 0 % hour is taken as nearly dry air.
    rh_ok = np.clip(rh[ok], 1e-3, 100.0)
    out[ok] = wet_bulb_from_dew_point(t[ok], dew_point_from_relative_humidity(t[ok], rh_ok), p[ok])
    return out


def read_epw(path: str | Path):
    """Read an EnergyPlus weather file.

    Parameters
    ----------
    path : str or Path
        An ``.epw`` file (8 header lines, then hourly records).

    Returns
    -------
    pandas.DataFrame
        Hourly, indexed by tz-aware time stamps (the file's local standard time,
        a fixed UTC offset as given in its LOCATION line: EPW has no summer
        time), with ``temp_air_c`` [°C], ``relative_humidity`` [%],
        ``temp_wet_bulb_c`` [°C], ``temp_dew_c`` [°C], ``pressure_pa`` [Pa],
        ``ghi_w_per_m2`` [W/m2], ``wind_speed_m_per_s`` [m/s]. ``attrs`` holds
        the file's metadata (city, latitude, longitude, TZ, altitude) and ``source``.

    Raises
    ------
    InputError
        if the file is not an EPW file or a value is out of range.
    """
    return parse_epw(decode(read_bytes(path, "epw")), label(path))


def _check_record(line: str, n: int, source: str) -> None:
    """Raise an :class:`InputError` at the first field of :data:`RECORD_FIELDS` that is not a finite
    number within its bounds (or its missing code) on line ``n``."""
    import math

    fields = line.split(",")
    if len(fields) < 35:
        raise InputError(source, [(f"line {n}", f"has {len(fields)} fields, an EPW record has 35")])
    for col, (name, low, high, missing, unit) in RECORD_FIELDS.items():
        cell = fields[col - 1]
        try:
            value = float(cell)
        except ValueError:
            value = math.nan
        if math.isnan(value):
            raise InputError(source, [(f"line {n}, column {col}", f"{name} is not a number: {excerpt(cell)}")])
        if value != missing and not low <= value <= high:
            raise InputError(
                source,
                [
                    (
                        f"line {n}, column {col}",
                        f"{name} must be between {low:,.0f} and {high:,.0f} {unit} "
                        f"(or {missing:g}, missing), got {value:g}",
                    )
                ],
            )


def parse_epw(text: str, source: str = "<epw>"):
    """Parse the text of an EPW file; see :func:`read_epw`."""
    import numpy as np
    from pvlib.iotools import read_epw as pvlib_read_epw

    lines = text.splitlines()
    if not lines or not lines[0].upper().startswith("LOCATION"):
        raise InputError(
            source, [("line 1", "not an EnergyPlus weather file: the first line must start with LOCATION")]
        )
    if len(lines) < 9:
        raise InputError(source, [("", f"has {len(lines)} lines: an EPW file has 8 header lines, then hourly records")])
    for n, line in enumerate(lines[8:], start=9):
        if line.strip():
            _check_record(line, n, source)
    try:
        data, meta = pvlib_read_epw(io.StringIO(text))
    except (ValueError, IndexError, KeyError, TypeError, OverflowError) as exc:
        raise InputError(source, f"cannot be read as an EPW file: {exception_text(exc)}") from None
    df = data[[c for c in VARIABLE_MAP if c in data]].rename(columns=VARIABLE_MAP).astype(float)
    # EPW missing-value codes: 99.9 °C, 999 %, 999999 Pa.
    df.loc[df["temp_air_c"] >= 99.9, "temp_air_c"] = np.nan
    df.loc[df["relative_humidity"] > 110, "relative_humidity"] = np.nan
    df.loc[df["pressure_pa"] >= 999999, "pressure_pa"] = np.nan
    bad = df["temp_air_c"].lt(-70) | df["temp_air_c"].gt(70)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            source,
            [
                (
                    f"line {9 + i}, column 7",
                    f"dry-bulb temperature out of range (-70..70 °C): {df['temp_air_c'].iloc[i]}",
                )
            ],
        )
    pressure = df["pressure_pa"].fillna(STANDARD_PRESSURE_PA)
    df["temp_wet_bulb_c"] = wet_bulb_c(df["temp_air_c"], df["relative_humidity"], pressure)
    df = df[
        [
            "temp_air_c",
            "relative_humidity",
            "temp_wet_bulb_c",
            "temp_dew_c",
            "pressure_pa",
            "ghi_w_per_m2",
            "wind_speed_m_per_s",
        ]
    ]
    df.index.name = "time"
    df.attrs.update({k: meta.get(k) for k in ("city", "country", "latitude", "longitude", "TZ", "altitude")})
    df.attrs["source"] = source
    return df
