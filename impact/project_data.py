"""The data files a project points to (``grid.eco2mix``, ``climate.epw``, ``climate.pvgis``, ``land``,
``context``), loaded and turned into inputs of the estimate.

Kept apart from :mod:`impact.engine` so that the engine only calls
:func:`apply_to_inputs` (in ``resolve_inputs``) and :func:`grid_connection`
(in ``estimate``). Relative paths resolve against the project file's folder, or
against the working directory for a project built from a dictionary.

Each file is read through the safe reader (:mod:`impact.sources.files`) and parsed once per
run, into the run's :class:`DataFiles` (made by :func:`impact.validate`), which every function
here takes as ``data`` (a new one, for that call alone, when None).
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path
from typing import Any

from .errors import InputError
from .project import Project, project_path
from .ranges import Range
from .results import InputRecord
from .sources import files
from .textsafe import excerpt, strip_controls

N_SUBSTATIONS = 3

#: Each data field of a project file -> its kind of file (:data:`impact.sources.files.KINDS`).
FIELDS = {
    "grid.eco2mix": "eco2mix",
    "climate.epw": "epw",
    "climate.pvgis": "pvgis",
    "land.parcels": "cadastre",
    "context.substations": "substations",
    "context.cables": "cables",
    "context.boundaries": "boundaries",
    "context.registry": "registry",
}


def _parse(kind: str, raw: bytes, path: Path):
    """The content of a data file of ``kind`` from its bytes (the loaders of :mod:`impact.sources`)."""
    from .sources import _text, boundaries, cadastre, eco2mix, epw, pvgis, registry, rte, telegeography

    name = files.label(path)
    if kind == "eco2mix":
        return eco2mix.parse_eco2mix(_text.decode(raw), name)
    if kind == "epw":
        return epw.parse_epw(_text.decode(raw), name)
    if kind == "pvgis":
        return pvgis.parse_pvgis(raw, name)
    if kind == "cadastre":
        return cadastre.parse_cadastre_parcels(raw, name)
    if kind == "substations":  # in service, with a voltage: what the map and the nearest list show
        return rte.clean_substations(rte.parse_rte_substations(_text.decode(raw), name))
    if kind == "cables":
        return telegeography.parse_submarine_cables(raw, name)
    if kind == "boundaries":
        return boundaries.parse_boundaries(raw, name)
    if kind == "registry":  # the valid rows; the bad ones are listed in .errors
        return registry.parse_registry(raw, path, errors="collect")
    raise ValueError(f"unknown kind of data file {kind!r}")


class DataFiles:
    """The data files of one run, each read and parsed once.

    The estimate, its sensitivity, the alternatives and the renderers of a run share one
    ``DataFiles`` (:func:`impact.validate` makes it): a file is read through the safe reader
    (:func:`impact.sources.files.read_bytes`), parsed by its loader, and its content kept, keyed by
    its resolved path and kind and checked against its ``os.stat`` identity (device, inode, size,
    modification time), so that a file changed during the run is read again. The contents are
    shared: do not modify them.

    Attributes
    ----------
    parses : collections.Counter
        How many times each file (its resolved path) was parsed.
    """

    def __init__(self) -> None:
        self._content: dict[tuple[str, str], tuple[tuple | None, Any, bytes]] = {}
        self.parses: Counter = Counter()

    @staticmethod
    def _identity(real: str) -> tuple | None:
        try:
            st = os.stat(real)
        except OSError:
            return None
        return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns

    def _entry(self, path: str | Path, kind: str) -> tuple[tuple | None, Any, bytes]:
        real = os.path.realpath(os.fspath(path))
        key = (real, kind)
        identity = self._identity(real)
        hit = self._content.get(key)
        if hit is not None and identity is not None and hit[0] == identity:
            return hit
        raw = files.read_bytes(path, kind)  # the clear InputError of a missing or refused file
        entry = (identity, _parse(kind, raw, Path(path)), hashlib.sha256(raw).digest())
        self._content[key] = entry
        self.parses[real] += 1
        return entry

    def read(self, path: str | Path, kind: str) -> Any:
        """The parsed content of the data file ``path`` of ``kind`` (a key of
        :data:`impact.sources.files.KINDS`), parsed on the first call only."""
        return self._entry(path, kind)[1]

    def digest(self, path: str | Path, kind: str) -> bytes:
        """SHA-256 of the bytes that :meth:`read` parsed (read first if need be)."""
        return self._entry(path, kind)[2]


def _data(data: DataFiles | None) -> DataFiles:
    return data if data is not None else DataFiles()


def resolve_path(project: Project, path: str) -> Path:
    """``path`` as written in the project, made absolute.

    Parameters
    ----------
    project : Project
        The project the path comes from.
    path : str
        As written in the project file (``~`` is expanded).

    Returns
    -------
    Path
        Relative paths are taken from the project file's folder (from the
        working directory when the project has no file).
    """
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    origin = project_path(project)
    base = origin.parent if origin is not None else Path.cwd()
    return base / p


def written_data_files(project: Project) -> dict[str, str]:
    """The data files the project points to, as written: field -> path."""
    fields = {}
    for field in FIELDS:
        block, key = field.split(".")
        value = getattr(getattr(project, block, None), key, None)
        if value:
            fields[field] = value
    return fields


def data_files(project: Project) -> dict[str, Path]:
    """The data files the project points to: field -> absolute path."""
    return {k: resolve_path(project, v) for k, v in written_data_files(project).items()}


def check_data_files(project: Project, label: str) -> None:
    """Raise :class:`InputError` naming each data file that is missing, is no regular file (a FIFO, a
    device, a folder), is larger than its kind allows, or is a URL or a GDAL virtual path.

    Only the files' ``os.stat`` is looked at: their contents are read by :class:`DataFiles`.
    """
    problems = []
    for field, written in written_data_files(project).items():
        kind = files.KINDS[FIELDS[field]]
        if files.virtual_path(written):
            problems.append((field, f"must be a local file, not a URL or a GDAL virtual path: {excerpt(written)}"))
            continue
        path = resolve_path(project, written)
        shown = strip_controls(str(path))
        try:
            files.stat_file(path, kind.max_bytes)
        except FileNotFoundError:
            problems.append((field, f"file not found: {shown} (paths are relative to the project file's folder)"))
        except OSError as exc:
            problems.append((field, f"{shown}: {files.problem(exc, kind)}"))
    if problems:
        raise InputError(label, problems)


#: The data files an estimate reads; the others are map layers, read for the dossier.
ESTIMATE_FIELDS = ("grid.eco2mix", "climate.epw", "climate.pvgis", "land.parcels", "context.substations")


def read_data_files(project: Project, data: DataFiles, fields=None) -> None:
    """Read and parse each data file of the project (of ``fields``, default all) into ``data``, once."""
    for field, path in data_files(project).items():
        if fields is None or field in fields:
            data.read(path, FIELDS[field])


# ------------------------------------------------------------------------ grid.eco2mix


def hourly_grid_intensity(project: Project, load_mw=None, data: DataFiles | None = None) -> InputRecord | None:
    """The location-based intensity from the éCO2mix export of ``grid.eco2mix``.

    Returns
    -------
    InputRecord or None
        ``grid.carbon_intensity_g_per_kwh`` [g CO2/kWh], status ``derived``: the
        hourly CO2 rate of the export weighted by the site's hourly load
        (``load_mw``, the hourly cooling model's site power; a constant load
        when None), the partial year extended by month and hour of day (see
        :func:`impact.model.grid_hourly.annual_intensity`).
        None when the project has no ``grid.eco2mix``.

    Raises
    ------
    InputError
        if the file cannot be read or has no CO2 rate.
    """
    g = project.grid
    if g is None or g.eco2mix is None:
        return None
    from .model.grid_hourly import annual_intensity

    path = resolve_path(project, g.eco2mix)
    df = _data(data).read(path, "eco2mix")
    src = df.attrs.get("source", path.name)
    if "co2_g_per_kwh" not in df or df["co2_g_per_kwh"].notna().sum() == 0:
        raise InputError(
            src,
            [
                (
                    "grid.eco2mix",
                    "has no value in a 'Taux de CO2 (g/kWh)' column (regional exports "
                    "have none): use a national éCO2mix export",
                )
            ],
        )
    result = annual_intensity(df["co2_g_per_kwh"], load_mw)
    perimeter = df.attrs.get("perimeter") or df.attrs.get("region") or ""
    source = f"RTE éCO2mix, {src}{f' ({perimeter})' if perimeter else ''}, 'Taux de CO2 (g/kWh)' [primary]"
    note = (
        f"{result.description}; RTE's rate counts the direct CO2 of the power plants in France "
        "(no life cycle, no imports)"
    )
    weighted = result.value_g_per_kwh
    co2 = df["co2_g_per_kwh"].dropna()
    data_year = int(co2.index.year.value_counts().idxmax())
    value, offset, factors = _consumption_basis(project.country, data_year, weighted)
    if offset is None:  # no consumption-based factor to add: the direct rate, labelled as such
        return InputRecord(
            "grid.carbon_intensity_g_per_kwh",
            value,
            "g CO2e/kWh",
            "derived",
            source,
            note,
            note_key="note.grid.eco2mix.direct",
            note_args=(("direct", weighted),),
        )
    assert factors.central is not None and factors.direct is not None  # offset is None otherwise
    note += (
        f"; plus {offset:.4g} g/kWh, the {factors.year} gap between the consumption mix in life cycle and the "
        f"direct emissions of production ({factors.note}): low value, the direct rate alone"
    )
    source = f"{source}; {factors.central.source}"
    return InputRecord(
        "grid.carbon_intensity_g_per_kwh",
        value,
        "g CO2e/kWh",
        "derived",
        source,
        note,
        note_key="note.grid.eco2mix.consumption",
        note_args=(("direct", weighted), ("offset", offset), ("year", factors.year)),
    )


def _consumption_basis(country: str, year: int, weighted_direct: float):
    """The load-weighted direct rate of éCO2mix put on the consumption, life-cycle basis.

    RTE's hourly « Taux de CO2 » counts the direct emissions of production only. The annual
    gap between the consumption mix in life cycle (ADEME) and the direct emissions of
    production (RTE) of ``year`` is added to it (upstream emissions and imports as an
    annual mean: the hourly weighting keeps its effect); the direct rate stays the low
    value. Returns the range, the gap [g CO2e/kWh] (None when the table has no
    consumption-based factor for the country) and the factors used.
    """
    from .sources.reference import grid_carbon_factors

    factors = grid_carbon_factors(country, year)
    central, direct = factors.central, factors.direct
    if factors.basis != "consumption" or central is None or central.value is None or direct is None:
        return Range.point(weighted_direct), None, factors
    assert direct.value is not None  # a direct row always has a value
    offset = central.value.central - direct.value.central
    extra = central.value.high - central.value.central
    c = weighted_direct + offset
    return Range(weighted_direct, c, c + extra), offset, factors


def hourly_direct_intensity(grid: InputRecord) -> InputRecord | None:
    """``grid.carbon_intensity_direct_g_per_kwh`` from the éCO2mix record (:func:`hourly_grid_intensity`):
    its load-weighted direct rate. None for another record."""
    args = dict(grid.note_args)
    if "direct" not in args:
        return None
    return InputRecord(
        "grid.carbon_intensity_direct_g_per_kwh",
        Range.point(float(args["direct"])),
        grid.unit,
        "derived",
        grid.source.split("; ")[0],
        "load-weighted 'Taux de CO2' of éCO2mix: direct emissions of production, the low bound",
        note_key="note.grid.eco2mix.low_bound",
    )


# ---------------------------------------------------------------------------- land


def site_area_from_parcels(project: Project, data: DataFiles | None = None) -> InputRecord | None:
    """``building.site_area_m2`` [m2] as the sum of the listed parcels' contenance.

    Returns None when the project has no ``land``; raises :class:`InputError`
    naming the parcels file and each unknown id.
    """
    if project.land is None:
        return None
    from .sources.cadastre import parcels_area_m2

    path = resolve_path(project, project.land.parcels)
    parcels = _data(data).read(path, "cadastre")
    area = parcels_area_m2(parcels, project.land.ids, parcels.attrs.get("source", path.name))
    ids = ", ".join(project.land.ids)
    return InputRecord(
        "building.site_area_m2",
        Range.point(area),
        "m2",
        "derived",
        f"cadastre, {path.name} (cadastre.data.gouv.fr) [primary]",
        f"sum of the land-register areas (contenance) of parcels {ids}",
    )


def apply_to_inputs(project: Project, inputs: Any, data: DataFiles | None = None) -> None:
    """Replace inputs by what the project's data files give (called by ``resolve_inputs``).

    ``grid.eco2mix`` replaces the default grid intensity (and the residual mix
    when that defaulted to it); ``land`` gives the site area.
    """
    records = inputs.records
    grid = hourly_grid_intensity(project, data=data)
    if grid is not None:
        old = records.get("grid.carbon_intensity_g_per_kwh")
        records[grid.name] = grid
        direct = hourly_direct_intensity(grid)
        if direct is not None:
            records[direct.name] = direct
        res = records.get("grid.residual_mix_g_per_kwh")
        if res is not None and res.status == "default" and old is not None and res.source == old.source:
            records[res.name] = InputRecord(
                res.name, grid.value, grid.unit, "default", grid.source, res.note, res.declared_unknown
            )
    land = site_area_from_parcels(project, data)
    if land is not None:
        records[land.name] = land


# ------------------------------------------------------------------------ climate, context


def load_weather(project: Project, data: DataFiles | None = None):
    """The hourly weather of ``climate.epw`` (:func:`impact.sources.read_epw`), or None."""
    if project.climate is None or not project.climate.epw:
        return None
    return _data(data).read(resolve_path(project, project.climate.epw), "epw")


def load_pvgis(project: Project, data: DataFiles | None = None):
    """The typical year of ``climate.pvgis`` (:func:`impact.sources.pvgis.read_pvgis`), or None."""
    if project.climate is None or not project.climate.pvgis:
        return None
    return _data(data).read(resolve_path(project, project.climate.pvgis), "pvgis")


def load_context(project: Project, data: DataFiles | None = None) -> dict[str, Any]:
    """The context layers for maps: ``substations``, ``cables``, ``boundaries`` (GeoDataFrames)
    and ``registry`` (the valid rows of a registry of data centres, as ``(row, Project)``).

    A substations file is cleaned like the shipped national table
    (:func:`impact.sources.rte.clean_substations`: in service, with a voltage in kV, a ``kind``).
    """
    c = project.context
    if c is None:
        return {}
    data = _data(data)
    return {
        key: data.read(resolve_path(project, getattr(c, key)), FIELDS[f"context.{key}"])
        for key in ("substations", "cables", "boundaries", "registry")
        if getattr(c, key, None)
    }


def read_registry_file(path: Path, data: DataFiles | None = None):
    """The valid rows of a registry (``impact.sources.read_registry(path, errors="collect")``)."""
    return _data(data).read(path, "registry")


def substation_table(project: Project, data: DataFiles | None = None):
    """The substations a project is compared with: its ``context.substations`` file, else the
    package's national table (metropolitan France only).

    Returns
    -------
    impact.connection.SubstationTable or None
        None outside France. The shipped table is read without geopandas.
    """
    from . import connection

    c = project.context
    if c is not None and c.substations:
        path = resolve_path(project, c.substations)
        return connection.frame_substations(_data(data).read(path, "substations"), files.label(path))
    if project.country != "FR":
        return None
    return connection.shipped_substations()


def grid_connection(
    project: Project, peak_demand_mw: float | None = None, site=None, data: DataFiles | None = None
) -> dict | None:
    """The project's connection facts (:func:`impact.connection.grid_connection`), or None.

    Parameters
    ----------
    peak_demand_mw : float, optional
        The site's peak demand [MW] (the estimate's central ``peak_demand_mw``): it chooses the
        reference connection domain.
    site : impact.site.Site, optional
        Where the site is. A site in a région that RTE's network does not reach
        (:data:`impact.connection.OUTSIDE_NETWORK_REGIONS`) gets ``{"covered": False}`` unless the
        project gives its own substations file.

    Returns
    -------
    dict or None
        None without a location or outside France (and no file).
    """
    from . import connection

    if project.location is None:
        return None
    has_file = project.context is not None and bool(project.context.substations)
    region = getattr(getattr(site, "commune", None), "region", None)
    if not has_file and region in connection.OUTSIDE_NETWORK_REGIONS:
        return {
            "covered": False,
            "peak_demand_mw": peak_demand_mw,
            "domain": None,
            "nearest": [],
            "nearest_connectable": [],
            "source": connection.SHIPPED_SOURCE,
            "file": None,
        }
    table = substation_table(project, data)
    facts = connection.grid_connection(table, project.location.lat, project.location.lon, peak_demand_mw)
    if facts is not None:
        facts["covered"] = True
    return facts


def nearest_substations(project: Project, n: int = N_SUBSTATIONS, data: DataFiles | None = None) -> list[dict] | None:
    """The ``n`` substations nearest to the site: of ``context.substations``, else of the
    package's national table.

    Only substations in service with a voltage in kV are considered
    (:func:`impact.sources.rte.clean_substations`): an out-of-service or voltage-less
    substation is never named.

    Returns
    -------
    list of dict or None
        Nearest first: ``name``, ``code``, ``kind`` (transformation, tap or customer:
        :func:`impact.sources.rte.substation_kind`), ``voltage_kv`` [kV], ``voltage`` (as
        published, e.g. ``'225kV'``), ``function``, ``status``, ``distance_km`` [km] (great
        circle, haversine), ``lat``, ``lon``, ``source``. None without a location or a table.
    """
    from . import connection

    if project.location is None:
        return None
    table = substation_table(project, data)
    if table is None:
        return None
    return connection.nearest(table, project.location.lat, project.location.lon, n)
