"""Where a site could be connected to RTE's network: the reference voltage domain of its peak
demand, and the nearest substations of RTE's list.

The reference domain is read from ``data/reference/grid_connection_voltage.csv`` (the limits of the
arrêtés du 23 avril 2008, applied by analogy to a consumer: see the table's notes). A substation is
*connectable* for a domain when it is a « poste de transformation » (not a tap point, not one
customer's substation) whose voltage is at least the domain's lowest nominal voltage.

The substations are the package's cleaned national table (``data/france/substations.csv``), read
here with :mod:`csv` and numpy only, so that ``impact estimate`` does not import geopandas; or the
project's own ``context.substations`` ODRÉ file, cleaned by
:func:`impact.sources.rte.clean_substations` (that path needs geopandas).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

#: The table of reference connection domains.
RULE_TABLE = "grid_connection_voltage"
#: Substations listed per group (nearest, nearest connectable).
N_SUBSTATIONS = 3
#: The régions that RTE's network does not reach (Corse: a non-interconnected zone, supplied by
#: EDF SEI); the national file has no substation there.
OUTSIDE_NETWORK_REGIONS = ("94",)
SHIPPED_SOURCE = "RTE, postes électriques (ODRÉ), Licence Ouverte v2.0"


@dataclass(frozen=True)
class Domain:
    """A reference connection domain: used above ``above_mw`` of peak demand.

    Attributes
    ----------
    name : str
        ``BT``, ``HTA``, ``HTB1``, ``HTB2``, ``HTB3``.
    nominal_kv : tuple of float
        The domain's nominal voltages in the source table [kV] (empty for BT and HTA).
    min_kv : float
        The lowest of them [kV] (0 for BT and HTA, the distribution network): a substation at this
        voltage or above can serve it.
    above_mw : float
        The domain applies to a peak demand above this [MW].
    source, year, quality, note : str
    """

    name: str
    nominal_kv: tuple[float, ...]
    min_kv: float
    above_mw: float
    source: str
    year: str
    quality: str
    note: str

    @property
    def on_rte(self) -> bool:
        """True for the HTB domains (RTE's network), False for BT and HTA (distribution)."""
        return self.min_kv > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.name,
            "nominal_kv": list(self.nominal_kv),
            "min_kv": self.min_kv,
            "above_mw": self.above_mw,
            "source": self.source,
            "year": self.year,
            "quality": self.quality,
            "note": self.note,
        }


@cache
def domains(country: str = "FR") -> tuple[Domain, ...]:
    """The reference domains of ``country``, by increasing power."""
    from .sources.reference import read_reference_table

    out = [
        Domain(
            r["domain"],
            tuple(float(v) for v in r["nominal_kv"].split()),
            float(r["min_kv"]),
            float(r["value"]),
            r["source"],
            r["year"],
            r["quality"],
            r["note"],
        )
        for r in read_reference_table(RULE_TABLE)
        if r["country"] == country
    ]
    return tuple(sorted(out, key=lambda d: d.above_mw))


def reference_domain(peak_demand_mw: float | None, country: str = "FR") -> Domain | None:
    """The reference connection domain of a peak demand [MW]: the last whose threshold it exceeds.

    >>> reference_domain(200).name, reference_domain(1000).name, reference_domain(30).name, reference_domain(0.1).name
    ('HTB2', 'HTB3', 'HTB1', 'BT')
    """
    if peak_demand_mw is None or not math.isfinite(peak_demand_mw) or peak_demand_mw <= 0:
        return None
    found = None
    for d in domains(country):
        if peak_demand_mw > d.above_mw:
            found = d
    return found


# --------------------------------------------------------------------------- substation tables


@dataclass(frozen=True)
class SubstationTable:
    """Substations in service with a voltage, as plain arrays (one entry per substation)."""

    code: Any
    name: Any
    kind: Any
    voltage_kv: Any
    lat: Any
    lon: Any
    status: Any
    function: Any
    source: str
    file: str | None = None  # the user's file name; None for the shipped table

    def __len__(self) -> int:
        return len(self.code)


@cache
def shipped_substations() -> SubstationTable:
    """The package's national table (``data/france/substations.csv``), parsed once."""
    import numpy as np

    from .sources.france import folder

    with open(folder() / "substations.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    col = lambda k: np.array([r[k] for r in rows], dtype=object)  # noqa: E731
    num = lambda k: np.array([float(r[k]) for r in rows])  # noqa: E731
    # The build kept only the substations in service (PROVENANCE.md): their Etat is EN EXPLOITATION.
    status = np.full(len(rows), "EN EXPLOITATION", dtype=object)
    function = np.array(
        ["Point de piquage" if r["kind"] == "tap" else "Poste de transformation" for r in rows], dtype=object
    )
    return SubstationTable(
        col("code"),
        col("name"),
        col("kind"),
        num("voltage_kv"),
        num("lat"),
        num("lon"),
        status,
        function,
        SHIPPED_SOURCE,
    )


def file_substations(path: str | Path) -> SubstationTable:
    """A user's ODRÉ export, cleaned like the shipped table (:func:`impact.sources.rte.clean_substations`)."""
    from .sources.rte import clean_substations, read_rte_substations

    path = Path(path)
    return frame_substations(clean_substations(read_rte_substations(path)), path.name)


def frame_substations(gdf, name: str) -> SubstationTable:
    """The table of a cleaned substations frame (:func:`impact.sources.rte.clean_substations`) read from
    the file ``name``."""
    import numpy as np

    arr = lambda s: np.asarray(s.astype(object).to_numpy(), dtype=object)  # noqa: E731
    return SubstationTable(
        arr(gdf["code"]),
        arr(gdf["name"]),
        arr(gdf["kind"]),
        gdf["voltage_kv"].to_numpy(dtype=float),
        gdf.geometry.y.to_numpy(),
        gdf.geometry.x.to_numpy(),
        arr(gdf["status"]),
        arr(gdf["function"]),
        f"RTE, postes électriques (ODRÉ), {name}",
        name,
    )


def nearest(
    table: SubstationTable, lat: float, lon: float, n: int = N_SUBSTATIONS, mask=None, distances_km=None
) -> list[dict]:
    """The ``n`` substations of ``table`` nearest to a point (great circle), nearest first.

    Parameters
    ----------
    mask : array of bool, optional
        Only the substations where it is True.
    distances_km : array of float, optional
        The distance [km] of every substation of ``table`` to the point (:func:`site_distances_km`),
        when already computed.

    Returns
    -------
    list of dict
        ``name``, ``code``, ``kind``, ``voltage_kv`` [kV], ``voltage`` (``'225kV'``), ``function``,
        ``status``, ``distance_km`` [km] (haversine, 3 decimals), ``lat``, ``lon``, ``source``.
    """
    import numpy as np

    idx = np.arange(len(table)) if mask is None else np.flatnonzero(mask)
    if len(idx) == 0:
        return []
    d = site_distances_km(table, lat, lon) if distances_km is None else np.asarray(distances_km)
    d = d if mask is None else d[idx]
    out = []
    for pos in _smallest(d, n).tolist():
        i = int(idx[pos])
        kv = float(table.voltage_kv[i])
        out.append(
            {
                "name": str(table.name[i]),
                "code": str(table.code[i]),
                "kind": str(table.kind[i]),
                "voltage_kv": kv,
                "voltage": f"{kv:g}kV",
                "function": table.function[i],
                "status": table.status[i],
                "distance_km": round(float(d[pos]), 3),
                "lat": float(table.lat[i]),
                "lon": float(table.lon[i]),
                "source": table.source,
            }
        )
    return out


def site_distances_km(table: SubstationTable, lat: float, lon: float):
    """Great-circle distance [km] from a point to every substation of ``table`` (haversine)."""
    from .model.geodesy import haversine_km

    return haversine_km(lat, lon, table.lat, table.lon)


def _smallest(d, n: int):
    """Positions of the ``n`` smallest values of ``d``, smallest first, ties in their order: the
    first ``n`` of a stable argsort, sorting only the values up to the ``n``-th smallest."""
    import numpy as np

    if len(d) > 4 * n > 0:
        kth = np.partition(d, n - 1)[n - 1]
        if np.isfinite(kth):  # every value at or below it is a candidate, in index order
            candidates = np.flatnonzero(d <= kth)
            return candidates[np.argsort(d[candidates], kind="stable")[:n]]
    return np.argsort(d, kind="stable")[:n]


def connectable_mask(table: SubstationTable, domain: Domain | None):
    """Transformation substations whose voltage can serve ``domain`` (all of them for BT, HTA or None)."""
    ok = table.kind == "transformation"
    if domain is not None:
        ok = ok & (table.voltage_kv >= domain.min_kv)
    return ok


def grid_connection(
    table: SubstationTable | None,
    lat: float,
    lon: float,
    peak_demand_mw: float | None,
    n: int = N_SUBSTATIONS,
    country: str = "FR",
) -> dict | None:
    """The site's connection facts: its reference domain and the nearest substations.

    Returns
    -------
    dict or None
        ``peak_demand_mw`` [MW] (the figure the domain is chosen from), ``domain`` (a
        :meth:`Domain.to_dict`, or None when the peak is unknown), ``nearest`` (any kind, any
        voltage), ``nearest_connectable`` (transformation substations at the domain's voltage or
        above; for BT, HTA or an unknown peak: transformation substations), ``source``, ``file``.
        None without a table.
    """
    if table is None:
        return None
    domain = reference_domain(peak_demand_mw, country)
    d = site_distances_km(table, lat, lon)  # once for both lists
    return {
        "peak_demand_mw": None if peak_demand_mw is None else float(peak_demand_mw),
        "domain": None if domain is None else domain.to_dict(),
        "nearest": nearest(table, lat, lon, n, distances_km=d),
        "nearest_connectable": nearest(table, lat, lon, n, connectable_mask(table, domain), d),
        "source": table.source,
        "file": table.file,
    }
