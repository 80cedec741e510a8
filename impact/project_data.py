"""The data files a project points to (``grid.eco2mix``, ``climate.epw``, ``climate.pvgis``, ``land``,
``context``), loaded and turned into inputs of the estimate.

Kept apart from :mod:`impact.engine` so that the engine only calls
:func:`apply_to_inputs` (in ``resolve_inputs``) and :func:`grid_connection`
(in ``estimate``). Relative paths resolve against the project file's folder, or
against the working directory for a project built from a dictionary.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import InputError
from .project import Project, project_path
from .ranges import Range
from .results import InputRecord

N_SUBSTATIONS = 3


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


def data_files(project: Project) -> dict[str, Path]:
    """The data files the project points to: field -> absolute path."""
    fields = {}
    if project.grid is not None and project.grid.eco2mix:
        fields["grid.eco2mix"] = project.grid.eco2mix
    if project.climate is not None:
        for key in ("epw", "pvgis"):
            if getattr(project.climate, key):
                fields[f"climate.{key}"] = getattr(project.climate, key)
    if project.land is not None:
        fields["land.parcels"] = project.land.parcels
    if project.context is not None:
        for key in ("substations", "cables", "boundaries", "registry"):
            if getattr(project.context, key, None):
                fields[f"context.{key}"] = getattr(project.context, key)
    return {k: resolve_path(project, v) for k, v in fields.items()}


def check_data_files(project: Project, label: str) -> None:
    """Raise :class:`InputError` naming each data file that does not exist."""
    missing = [(k, f"file not found: {p} (paths are relative to the project file's folder)")
               for k, p in data_files(project).items() if not p.is_file()]
    if missing:
        raise InputError(label, missing)


# ------------------------------------------------------------------------ grid.eco2mix


def hourly_grid_intensity(project: Project, load_mw=None) -> InputRecord | None:
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
    from .sources.eco2mix import read_eco2mix

    path = resolve_path(project, g.eco2mix)
    df = read_eco2mix(path)
    src = df.attrs.get("source", path.name)
    if "co2_g_per_kwh" not in df or df["co2_g_per_kwh"].notna().sum() == 0:
        raise InputError(src, [("grid.eco2mix", "has no value in a 'Taux de CO2 (g/kWh)' column (regional exports "
                                                "have none): use a national éCO2mix export")])
    result = annual_intensity(df["co2_g_per_kwh"], load_mw)
    perimeter = df.attrs.get("perimeter") or df.attrs.get("region") or ""
    source = f"RTE éCO2mix, {src}{f' ({perimeter})' if perimeter else ''}, 'Taux de CO2 (g/kWh)' [primary]"
    note = (f"{result.description}; RTE's rate counts the direct CO2 of the power plants in France "
            "(no life cycle, no imports)")
    return InputRecord("grid.carbon_intensity_g_per_kwh", Range.point(result.value_g_per_kwh), "g CO2e/kWh",
                       "derived", source, note)


# ---------------------------------------------------------------------------- land


def site_area_from_parcels(project: Project) -> InputRecord | None:
    """``building.site_area_m2`` [m2] as the sum of the listed parcels' contenance.

    Returns None when the project has no ``land``; raises :class:`InputError`
    naming the parcels file and each unknown id.
    """
    if project.land is None:
        return None
    from .sources.cadastre import parcels_area_m2, read_cadastre_parcels

    path = resolve_path(project, project.land.parcels)
    parcels = read_cadastre_parcels(path)
    area = parcels_area_m2(parcels, project.land.ids, parcels.attrs.get("source", path.name))
    ids = ", ".join(project.land.ids)
    return InputRecord("building.site_area_m2", Range.point(area), "m2", "derived",
                       f"cadastre, {path.name} (cadastre.data.gouv.fr) [primary]",
                       f"sum of the land-register areas (contenance) of parcels {ids}")


def apply_to_inputs(project: Project, inputs: Any) -> None:
    """Replace inputs by what the project's data files give (called by ``resolve_inputs``).

    ``grid.eco2mix`` replaces the default grid intensity (and the residual mix
    when that defaulted to it); ``land`` gives the site area.
    """
    records = inputs.records
    grid = hourly_grid_intensity(project)
    if grid is not None:
        old = records.get("grid.carbon_intensity_g_per_kwh")
        records[grid.name] = grid
        res = records.get("grid.residual_mix_g_per_kwh")
        if res is not None and res.status == "default" and old is not None and res.source == old.source:
            records[res.name] = InputRecord(res.name, grid.value, grid.unit, "default", grid.source, res.note,
                                            res.declared_unknown)
    land = site_area_from_parcels(project)
    if land is not None:
        records[land.name] = land


# ------------------------------------------------------------------------ climate, context


def load_weather(project: Project):
    """The hourly weather of ``climate.epw`` (:func:`impact.sources.read_epw`), or None."""
    if project.climate is None or not project.climate.epw:
        return None
    from .sources.epw import read_epw

    return read_epw(resolve_path(project, project.climate.epw))


def load_pvgis(project: Project):
    """The typical year of ``climate.pvgis`` (:func:`impact.sources.pvgis.read_pvgis`), or None."""
    if project.climate is None or not project.climate.pvgis:
        return None
    from .sources.pvgis import read_pvgis

    return read_pvgis(resolve_path(project, project.climate.pvgis))


def load_context(project: Project) -> dict[str, Any]:
    """The context layers for maps: ``substations``, ``cables``, ``boundaries`` (GeoDataFrames)
    and ``registry`` (the valid rows of a registry of data centres, as ``(row, Project)``).

    A substations file is cleaned like the shipped national table
    (:func:`impact.sources.rte.clean_substations`: in service, with a voltage in kV, a ``kind``).
    """
    c = project.context
    if c is None:
        return {}
    from .sources.boundaries import read_boundaries
    from .sources.rte import clean_substations, read_rte_substations
    from .sources.telegeography import read_submarine_cables

    def substations(path):  # in service, with a voltage: what the map and the nearest list show
        return clean_substations(read_rte_substations(path))

    readers = {"substations": substations, "cables": read_submarine_cables, "boundaries": read_boundaries,
               "registry": read_registry_file}
    return {k: fn(resolve_path(project, getattr(c, k))) for k, fn in readers.items() if getattr(c, k, None)}


def read_registry_file(path: Path):
    """The valid rows of a registry (``impact.sources.read_registry(path, errors="collect")``)."""
    from .sources.registry import read_registry

    return read_registry(path, errors="collect")


def substation_table(project: Project):
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
        return connection.file_substations(resolve_path(project, c.substations))
    if project.country != "FR":
        return None
    return connection.shipped_substations()


def grid_connection(project: Project, peak_demand_mw: float | None = None, site=None) -> dict | None:
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
        return {"covered": False, "peak_demand_mw": peak_demand_mw, "domain": None, "nearest": [],
                "nearest_connectable": [], "source": connection.SHIPPED_SOURCE, "file": None}
    table = substation_table(project)
    facts = connection.grid_connection(table, project.location.lat, project.location.lon, peak_demand_mw)
    if facts is not None:
        facts["covered"] = True
    return facts


def nearest_substations(project: Project, n: int = N_SUBSTATIONS) -> list[dict] | None:
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
    table = substation_table(project)
    if table is None:
        return None
    return connection.nearest(table, project.location.lat, project.location.lon, n)
