"""PVGIS typical meteorological years (TMY): the CSV export of the EU JRC's PVGIS.

Parsing is done by :func:`pvlib.iotools.read_pvgis_tmy`; the dew point and the
wet-bulb temperature are computed from the dry bulb, the relative humidity and
the surface pressure of each hour (ASHRAE psychrometrics,
:mod:`impact.model.psychrometrics`). :func:`write_pvgis_tmy_csv` writes what
:func:`pvlib.iotools.get_pvgis_tmy` returns back into the same CSV layout, so that
``impact climate fetch`` leaves a file this reader reads.

References
----------
.. [1] Huld, T., Müller, R., Gambardella, A., "A new solar radiation database for
   estimating PV performance in Europe and Africa", Solar Energy 86 (6),
   1803-1815 (2012), doi:10.1016/j.solener.2012.03.006 (PVGIS); TMY built from
   ERA5 months (EN ISO 15927-4 method).
"""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import InputError
from ._text import label, read_bytes
from .files import exception_text

HOURS = 8760
#: PVGIS's column names in the CSV, in their order.
CSV_COLUMNS = ("T2m", "RH", "G(h)", "Gb(n)", "Gd(h)", "IR(h)", "WS10m", "WD10m", "SP")
ATTRIBUTION = "PVGIS © European Union, 2001-2022"


def read_pvgis(path: str | Path):
    """Read a PVGIS typical-year CSV export.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` file as exported by PVGIS (or written by ``impact climate fetch``).

    Returns
    -------
    pandas.DataFrame
        8,760 hours indexed in UTC, with ``temp_air_c`` [°C], ``relative_humidity``
        [%], ``temp_dew_c`` [°C], ``pressure_pa`` [Pa], ``temp_wet_bulb_c`` [°C].
        ``attrs``: ``latitude``, ``longitude``, ``elevation`` [m], ``months_selected``
        (the year each month was taken from), ``source`` (the file name).

    Raises
    ------
    InputError
        if the file is not a PVGIS TMY export or a value is out of range.
    """
    return parse_pvgis(read_bytes(path, "pvgis"), label(path))


def parse_pvgis(data: bytes, source: str = "<pvgis>"):
    """Parse the bytes of a PVGIS TMY CSV export; see :func:`read_pvgis`."""
    import numpy as np
    from pvlib.iotools import read_pvgis_tmy

    from ..model.psychrometrics import dew_point_from_relative_humidity, wet_bulb_from_dew_point
    from .epw import RECORD_FIELDS

    if not data.lstrip().startswith(b"Latitude"):
        raise InputError(
            source,
            [
                (
                    "line 1",
                    "not a PVGIS typical-year export: the first line must start with 'Latitude (decimal degrees):'",
                )
            ],
        )
    try:
        frame, meta = read_pvgis_tmy(io.BytesIO(data), pvgis_format="csv", map_variables=True)[:2]
    except (ValueError, IndexError, KeyError, TypeError, OverflowError) as exc:
        raise InputError(source, f"cannot be read as a PVGIS typical-year export: {exception_text(exc)}") from None
    if len(frame) != HOURS or frame[["temp_air", "relative_humidity"]].isna().any().any():
        raise InputError(
            source, [("climate.pvgis", f"must hold {HOURS} complete hours (a typical year), got {len(frame)}")]
        )
    t = frame["temp_air"].to_numpy(float)
    rh = frame["relative_humidity"].to_numpy(float)
    bad = (t < -70) | (t > 70) | (rh < 0) | (rh > 100.5)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(source, [(f"hour {i + 1}", f"temperature {t[i]} °C or humidity {rh[i]} % out of range")])
    p = frame["pressure"].to_numpy(float) if "pressure" in frame else np.full(HOURS, 101325.0)
    low, high = RECORD_FIELDS[10][1:3]  # the station pressure's bounds of the EPW format
    bad = ~((p >= low) & (p <= high))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            source,
            [(f"hour {i + 1}", f"surface pressure (SP) must be between {low:,.0f} and {high:,.0f} Pa, got {p[i]:g}")],
        )
    td = dew_point_from_relative_humidity(t, np.clip(rh, 1.0, 100.0))
    import pandas as pd

    out = pd.DataFrame(
        {
            "temp_air_c": t,
            "relative_humidity": rh,
            "temp_dew_c": td,
            "pressure_pa": p,
            "temp_wet_bulb_c": wet_bulb_from_dew_point(t, td, p),
        },
        index=frame.index,
    )
    out.index.name = "time"
    inputs = meta.get("inputs", {})
    out.attrs.update({k: inputs.get(k) for k in ("latitude", "longitude", "elevation")})
    out.attrs["months_selected"] = [(m["month"], m["year"]) for m in meta.get("months_selected", [])]
    out.attrs["source"] = source
    return out


def write_pvgis_tmy_csv(data, meta) -> bytes:
    """A PVGIS TMY CSV export, from what :func:`pvlib.iotools.get_pvgis_tmy` or
    :func:`~pvlib.iotools.read_pvgis_tmy` returns (``outputformat='csv'``, pvlib's
    or PVGIS's column names).

    Returns
    -------
    bytes
        The layout of the PVGIS export (CRLF line ends), which
        :func:`read_pvgis` and :func:`pvlib.iotools.read_pvgis_tmy` read back.
    """
    from pvlib.iotools.pvgis import VARIABLE_MAP

    back = {v: k for k, v in VARIABLE_MAP.items()}
    frame = data.rename(columns=back)
    missing = [c for c in CSV_COLUMNS if c not in frame]
    if missing:
        raise ValueError(f"the PVGIS data lack the columns {', '.join(missing)}")
    inputs = meta["inputs"]
    loc = inputs.get("location", inputs)  # JSON metadata nest the position under "location"
    lines = [
        f"Latitude (decimal degrees): {float(loc['latitude']):.3f}",
        f"Longitude (decimal degrees): {float(loc['longitude']):.3f}",
        f"Elevation (m): {float(loc['elevation']):.1f}",
        "month,year",
    ]
    lines += [f"{m['month']},{m['year']}" for m in meta["months_selected"]]
    lines.append("time(UTC)," + ",".join(CSV_COLUMNS))
    stamps = frame.index.tz_convert("UTC").strftime("%Y%m%d:%H%M")
    values = frame[list(CSV_COLUMNS)].to_numpy(float)
    lines += [stamp + "," + ",".join(repr(float(v)) for v in row) for stamp, row in zip(stamps, values)]
    lines.append("")
    for key, text in (meta.get("descriptions") or {}).items():
        lines.append(f"{key}: {text}")
    lines += ["", ATTRIBUTION.replace("©", "(c)"), ""]
    return "\r\n".join(lines).encode("utf-8")


def fetch_pvgis_tmy(lat: float, lon: float, timeout: float = 60.0) -> bytes:
    """Download the PVGIS typical year of a point (:func:`pvlib.iotools.get_pvgis_tmy`) as CSV bytes.

    The bytes are checked with :func:`parse_pvgis` before they are returned.

    Raises
    ------
    InputError
        when PVGIS cannot be reached (no network) or refuses the point (e.g. over the sea).
    """
    import requests
    from pvlib.iotools import get_pvgis_tmy

    where = f"PVGIS ({lat:g}, {lon:g})"
    try:
        data, meta = get_pvgis_tmy(lat, lon, outputformat="csv", map_variables=True, coerce_year=None, timeout=timeout)[
            :2
        ]
    except requests.exceptions.HTTPError as exc:
        raise InputError(where, f"refused the request: {exc}") from None
    except (requests.exceptions.RequestException, OSError) as exc:
        raise InputError(
            where,
            "could not be reached (is this computer offline?): "
            f"{type(exc).__name__}; the typical year can also be downloaded from "
            "https://re.jrc.ec.europa.eu/pvg_tools/ (TMY, CSV) and given as climate.pvgis",
        ) from None
    text = write_pvgis_tmy_csv(data, meta)
    parse_pvgis(text, where)
    return text
