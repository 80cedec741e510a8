"""Loaders: files in, standard tables out (``read_*`` for a path, ``parse_*`` for a buffer).

One module per source, each with a ``VARIABLE_MAP`` from the provider's column
names to ours. Heavy libraries (geopandas, pvlib) are imported inside the
functions, so importing this package stays cheap.
"""

from .boundaries import parse_boundaries, read_boundaries
from .cadastre import parcels_area_m2, parse_cadastre_parcels, read_cadastre_parcels
from .eco2mix import parse_eco2mix, read_eco2mix
from .epw import parse_epw, read_epw, wet_bulb_c
from .pvgis import parse_pvgis, read_pvgis
from .registry import RegistryRows, parse_registry, read_registry, registry_row
from .rte import parse_rte_substations, read_rte_substations
from .telegeography import parse_submarine_cables, read_submarine_cables

__all__ = [
    "RegistryRows",
    "parcels_area_m2",
    "parse_boundaries",
    "parse_cadastre_parcels",
    "parse_eco2mix",
    "parse_epw",
    "parse_pvgis",
    "parse_registry",
    "parse_rte_substations",
    "parse_submarine_cables",
    "read_boundaries",
    "read_cadastre_parcels",
    "read_eco2mix",
    "read_epw",
    "read_pvgis",
    "read_registry",
    "read_rte_substations",
    "read_submarine_cables",
    "registry_row",
    "wet_bulb_c",
]
