"""The project file: a public contract, validated with pydantic.

A project file is YAML. Every numeric value is a number or
``{low: .., central: .., high: ..}``; optional values may be written ``unknown``
(not published by the promoter), which the estimate replaces with a sourced
default and reports as such.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails
from typing_extensions import TypedDict

from .errors import InputError, RuleError, Said
from .ranges import UNKNOWN, Range, Unknown, check_bounds, parse_range
from .schema import (
    ASSUMPTIONS,
    UNKNOWN_SCHEMA,
    UNKNOWN_WORDS,
    assumption_keys,
    field_spec,
    number_schema,
    path_pattern,
    range_schema,
)
from .textsafe import excerpt, strip_controls

COOLING_TYPES = (
    "air_chillers",
    "water_chillers",
    "evaporative",
    "adiabatic",
    "dry_free_cooling",
    "river",
    "sea",
    "liquid_closed_loop",
)
WATER_COOLED = ("river", "sea")
#: Direct-to-chip or immersion liquid cooling whose heat ends in dry coolers.
LIQUID_COOLED = ("liquid_closed_loop",)
#: What the IT rooms mainly host: ``ai`` (GPU / accelerator servers for AI training and inference)
#: changes the default embodied emissions of the IT equipment when no equipment list is published.
IT_WORKLOADS = ("general", "ai")
#: The public participation procedures (data/reference/procedures.csv).
PROCEDURE_TYPES = ("enquete_publique", "consultation_publique", "concertation_prealable", "participation_electronique")
ANNOUNCED_POWER_BASES = ("it", "facility", "grid_connection")
#: The themes an environmental authority's opinion examines (issue 13; the dossier names each).
OPINION_TOPICS = (
    "energy",
    "climate",
    "water",
    "heat_reuse",
    "noise",
    "air",
    "risks",
    "icpe",
    "land",
    "biodiversity",
    "construction",
    "cumulative",
    "other",
)


#: The deepest nesting a project file may have: its deepest field is about 6 levels down
#: (``alternatives[0].changes.cooling.water_in_c.low``); deeper is no project file.
MAX_DEPTH = 20
#: The most values (numbers, texts, lists, mappings) a project file may hold, counted with
#: every repetition of a YAML alias: a full equipment list, parcel list and claims list hold
#: fewer than 100,000; an alias bomb holds billions.
MAX_VALUES = 200_000
#: The longest key of ``sources`` and of ``alternatives[].changes``, a citation, a parcel id [characters].
KEY_CHARS = 200
CITATION_CHARS = 2000
ID_CHARS = 30
#: A null written for a required field.
NULL_REQUIRED = "is required; got nothing (null)"
#: A null written for an assumption.
ASSUMPTION_NULL = "got nothing (null): give a value, or leave the key out for the default"


def _null(text: str = NULL_REQUIRED) -> RuleError:
    return RuleError("loader.null_required" if text == NULL_REQUIRED else "loader.assumption_null", text)


class _TablePath:
    """Marks a field with the row of the field table it takes its bounds from."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"_TablePath({self.path!r})"


def _optional(schema: dict, required: bool) -> dict:
    if required:
        return schema
    forms = schema["anyOf"] if set(schema) == {"anyOf"} else [schema]
    return {"anyOf": [*forms, {"type": "null"}]}


def _range_or_none(
    value: Any, allow_unknown: bool, bounds: dict, required: bool = False, null: str = NULL_REQUIRED
) -> Range | Unknown | None:
    if value is None:
        if required:
            raise _null(null)
        return None
    return parse_range(value, allow_unknown=allow_unknown, **bounds)


def Q(path: str, *, required: bool = False, null: str = NULL_REQUIRED) -> Any:
    """A ranged quantity field, bounded by the row ``path`` of the field table.

    Optional (``required=False``): ``unknown`` is accepted and null means absent.
    """
    spec = field_spec(path)
    check = partial(_range_or_none, allow_unknown=not required, bounds=spec.bounds, required=required, null=null)
    return Annotated[
        Any,
        BeforeValidator(check),
        WithJsonSchema(_optional(range_schema(spec, unknown=not required), required)),
        _TablePath(path),
    ]


def _number(value: Any, required: bool = False, **bounds) -> float | None:
    if value is None:
        if required:
            raise _null()
        return None
    r = parse_range(value, **bounds)
    assert isinstance(r, Range)  # allow_unknown is off: parse_range raises on 'unknown'
    if not r.is_point:
        raise RuleError("loader.single_number", "must be a single number here, not a range")
    return r.central


def N(path: str, *, required: bool = False) -> Any:
    """A plain (non-ranged) number, bounded by the row ``path`` of the field table."""
    spec = field_spec(path)
    return Annotated[
        Any,
        BeforeValidator(partial(_number, required=required, **spec.bounds)),
        WithJsonSchema(_optional(number_schema(spec), required)),
        _TablePath(path),
    ]


def _whole(value: Any, required: bool = False, **bounds) -> int | None:
    if value is None:
        if required:
            raise _null()
        return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        check_bounds(value, "", **bounds)
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError("loader.whole_number", f"must be a whole number, got {excerpt(value)}", got=excerpt(value))
    check_bounds(value, "", **bounds)  # exact on any integer, even 10**400
    return value


def Int(path: str, *, required: bool = False) -> Any:
    """A whole number, bounded by the row ``path`` of the field table."""
    spec = field_spec(path)
    return Annotated[
        Any,
        BeforeValidator(partial(_whole, required=required, **spec.bounds)),
        WithJsonSchema(_optional(number_schema(spec, integer=True), required)),
        _TablePath(path),
    ]


def _whole_or_unknown(value: Any, **bounds) -> int | Unknown | None:
    if isinstance(value, str) and value.strip().lower() in UNKNOWN_WORDS:
        return UNKNOWN
    try:
        return _whole(value, **bounds)
    except ValueError as exc:
        raise RuleError("loader.or_unknown", f"{exc} (or unknown, when not published)", reason=Said.of(exc)) from None


def _number_or_unknown(value: Any, **bounds) -> float | Unknown | None:
    if isinstance(value, str) and value.strip().lower() in UNKNOWN_WORDS:
        return UNKNOWN
    try:
        return _number(value, **bounds)
    except ValueError as exc:
        raise RuleError("loader.or_unknown", f"{exc} (or unknown, when not published)", reason=Said.of(exc)) from None


def NU(path: str) -> Any:
    """A plain number or ``unknown`` (not published), bounded by the row ``path`` of the field table."""
    spec = field_spec(path)
    return Annotated[
        Any,
        BeforeValidator(partial(_number_or_unknown, **spec.bounds)),
        WithJsonSchema({"anyOf": [number_schema(spec), dict(UNKNOWN_SCHEMA), {"type": "null"}]}),
        _TablePath(path),
    ]


def _whole_or_unknown_schema(spec) -> dict:
    return {"anyOf": [number_schema(spec, integer=True), dict(UNKNOWN_SCHEMA), {"type": "null"}]}


def Text(path: str, *, min_length: int = 0) -> Any:
    """Text of at most the table's ``max_length`` characters (the row ``path``)."""
    spec = field_spec(path)
    return Annotated[str, Field(min_length=min_length, max_length=spec.max_length), _TablePath(path)]


def _date(value: Any) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()[:40])
        except ValueError:
            pass
    got = excerpt(value)
    raise RuleError("loader.date", f"must be a date written YYYY-MM-DD, e.g. 2024-09-27, got {got}", got=got)


def DateField(path: str) -> Any:
    return Annotated[
        Any,
        BeforeValidator(_date),
        WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}),
        _TablePath(path),
    ]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)


class Location(_Strict):
    lat: N("location.lat", required=True)
    lon: N("location.lon", required=True)
    # Site altitude [m], for the choice of the climate series and its lapse-rate correction.
    altitude_m: N("location.altitude_m") = None
    # True when the point is not the site's own (its commune's centre, a nearby landmark):
    # the map draws it hollow and distances from it are said to be indicative.
    approximate: bool = False


class EquipmentItem(_Strict):
    kind: Text("equipment.kind", min_length=1)
    count: Int("equipment.count", required=True)
    power_kw: Q("equipment.power_kw", required=True)
    embodied_kgco2e: Q("equipment.embodied_kgco2e") = None  # per unit, when the maker publishes it


class Cooling(_Strict):
    type: Literal[COOLING_TYPES]
    water_flow_m3_per_h: Q("cooling.water_flow_m3_per_h") = None
    water_in_c: Q("cooling.water_in_c") = None
    water_out_c: Q("cooling.water_out_c") = None
    coverage_share: Q("cooling.coverage_share") = None
    free_cooling: bool | None = None  # economiser present; default by type
    # liquid_closed_loop: share of the IT heat taken by the liquid, facility-water supply
    # temperature (or its ASHRAE class, W17 ... W45, W+).
    liquid_share: Q("cooling.liquid_share") = None
    liquid_supply_c: Q("cooling.liquid_supply_c") = None
    liquid_class: Annotated[str, Field(max_length=10)] | None = None

    @model_validator(mode="after")
    def _water_fields(self):
        water = ("water_flow_m3_per_h", "water_in_c", "water_out_c", "coverage_share")
        given = [k for k in water if getattr(self, k) is not None]
        if given and self.type not in WATER_COOLED:
            names = ", ".join(given)
            text = f"{names} only apply to river or sea cooling, but type is {self.type}"
            raise RuleError("loader.cooling.water_only", text, fields=names, type=self.type)
        liquid = [k for k in ("liquid_share", "liquid_supply_c", "liquid_class") if getattr(self, k) is not None]
        if liquid and self.type not in LIQUID_COOLED:
            names = ", ".join(liquid)
            text = f"{names} only apply to liquid_closed_loop cooling, but type is {self.type}"
            raise RuleError("loader.cooling.liquid_only", text, fields=names, type=self.type)
        if self.liquid_class is not None:
            from .sources.reference import read_reference_table

            classes = [r["class"] for r in read_reference_table("ashrae_liquid_classes")]
            if self.liquid_class not in classes:
                got, known = excerpt(self.liquid_class), ", ".join(classes)
                text = f"liquid_class must be one of {known} (ASHRAE TC 9.9), got {got}"
                raise RuleError("loader.cooling.liquid_class", text, known=known, got=got)
            if isinstance(self.liquid_supply_c, Range):
                raise RuleError(
                    "loader.cooling.supply_or_class", "give either liquid_supply_c or liquid_class, not both"
                )
        check_water_rise(self.water_in_c, self.water_out_c)
        return self


def check_water_rise(t_in: Any, t_out: Any, what: str = "") -> None:
    """The returned water must be warmer than the intake in every case (every draw: its low above the
    intake's high), or the water would carry no heat, or a negative one."""
    if not (isinstance(t_in, Range) and isinstance(t_out, Range)):
        return
    if t_out.central <= t_in.central:
        text = f"{what}water_out_c ({t_out.central:g}) must be warmer than water_in_c ({t_in.central:g})"
        raise RuleError("loader.cooling.water_rise", text, what=what, out=t_out.central, into=t_in.central)
    if t_out.low <= t_in.high:
        text = (
            f"{what}water_out_c must be warmer than water_in_c in every case: its low "
            f"({t_out.low:g}) is not above water_in_c's high ({t_in.high:g})"
        )
        raise RuleError("loader.cooling.water_rise_always", text, what=what, out=t_out.low, into=t_in.high)


def _data_path(
    value: Any, suffixes: tuple[str, ...] = (), what: str = "", required: bool = False, max_length: int = 4096
) -> str | None:
    """A path to a data file (relative paths resolve against the project file's folder)."""
    if value is None:
        if required:
            raise _null()
        return None
    got = excerpt(value)
    if not isinstance(value, str) or not value.strip():
        raise RuleError("loader.path.text", f"must be a file path (text), got {got}", got=got)
    if len(value) > max_length:
        text = f"must be a file path of at most {max_length} characters, got {len(value):,}"
        raise RuleError("loader.path.length", text, most=max_length, length=len(value))
    if strip_controls(value, "") != value:
        raise RuleError("loader.path.controls", f"must be a file path without control characters, got {got}", got=got)
    if suffixes and not value.strip().lower().endswith(suffixes):
        ends = " or ".join(suffixes)
        raise RuleError("loader.path.suffix", f"must be {what} ({ends}), got {got}", suffixes=ends, got=got)
    return value.strip()


def DataPath(path: str, suffixes: tuple[str, ...] = (), what: str = "", *, required: bool = False) -> Any:
    spec = field_spec(path)
    if spec.max_length is None:
        raise ValueError(f"data/schema/project_fields.csv: the path {path} needs a max_length")
    schema = {"type": "string", "minLength": 1, "maxLength": spec.max_length}
    if suffixes:
        schema["pattern"] = path_pattern(suffixes)
    return Annotated[
        Any,
        BeforeValidator(
            partial(_data_path, suffixes=suffixes, what=what, required=required, max_length=spec.max_length)
        ),
        WithJsonSchema(_optional(schema, required)),
        _TablePath(path),
    ]


GEO_SUFFIXES = (".geojson", ".json", ".gpkg")


class Grid(_Strict):
    carbon_intensity_g_per_kwh: Q("grid.carbon_intensity_g_per_kwh") = None
    renewable_contract_share: Q("grid.renewable_contract_share") = None
    residual_mix_g_per_kwh: Q("grid.residual_mix_g_per_kwh") = None
    eco2mix: DataPath("grid.eco2mix", (".csv", ".tsv", ".txt", ".xls"), "an éCO2mix export") = None

    @model_validator(mode="after")
    def _one_intensity(self):
        if self.eco2mix is not None and isinstance(self.carbon_intensity_g_per_kwh, Range):
            text = "give either carbon_intensity_g_per_kwh or eco2mix (hourly intensity), not both"
            raise RuleError("loader.grid.one_intensity", text)
        return self


#: Ground between the plant and the receptors (ISO 9613-2 clause 7.3: G = 0 hard, G = 1 porous).
NOISE_GROUNDS = ("hard", "porous")


class Noise(_Strict):
    """Noise: the nearest home or sensitive receptor, the residual levels and the declared sound powers."""

    receptor_distance_m: Q("noise.receptor_distance_m") = None
    residual_day_dba: Q("noise.residual_day_dba") = None
    residual_night_dba: Q("noise.residual_night_dba") = None
    plant_sound_power_dba: Q("noise.plant_sound_power_dba") = None
    generator_sound_power_dba: Q("noise.generator_sound_power_dba") = None
    # ISO 9613-2 ground and screen, and the site boundary (impact/noise_inputs.py, docs/noise.md)
    ground: Literal[NOISE_GROUNDS] | None = None
    source_height_m: Q("noise.source_height_m") = None
    receiver_height_m: Q("noise.receiver_height_m") = None
    barrier_height_m: Q("noise.barrier_height_m") = None
    barrier_distance_m: Q("noise.barrier_distance_m") = None
    boundary_distance_m: Q("noise.boundary_distance_m") = None
    # does the promoter's impact study give quantified noise levels at the homes? (PAR7)
    study_quantified: bool | Literal["unknown"] | None = None

    @model_validator(mode="after")
    def _barrier_before_receptor(self):
        x, d = self.barrier_distance_m, self.receptor_distance_m  # one without the other: not counted
        if isinstance(x, Range) and isinstance(d, Range) and x.central >= d.central:
            text = "barrier_distance_m must be shorter than receptor_distance_m (the screen stands between)"
            raise RuleError("loader.noise.barrier", text)
        return self


class Climate(_Strict):
    epw: DataPath("climate.epw", (".epw",), "an EnergyPlus weather file") = None  # relative to the project file
    # e.g. from `impact climate fetch`
    pvgis: DataPath("climate.pvgis", (".csv",), "a PVGIS typical-year export (CSV)") = None
    warming_c: N("climate.warming_c") = None  # shift of every temperature, e.g. 4 for a +4 °C scenario

    @model_validator(mode="after")
    def _one_file(self):
        if self.epw is not None and self.pvgis is not None:
            raise RuleError("loader.climate.one_file", "give either epw or pvgis (one weather file), not both")
        return self


class Land(_Strict):
    parcels: DataPath("land.parcels", GEO_SUFFIXES, "a cadastre parcels GeoJSON", required=True)
    ids: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=ID_CHARS)]],
        Field(max_length=field_spec("land.ids").max_length),
        _TablePath("land.ids"),
    ]

    @field_validator("ids")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        if not value:
            raise RuleError("loader.land.no_id", "must list at least one parcel id, e.g. [132020000A0012]")
        seen = set()
        for v in value:
            key = v.replace(" ", "")
            if key in seen:
                raise RuleError("loader.land.twice", f"parcel {excerpt(v)} is listed twice", id=excerpt(v))
            seen.add(key)
        return value


class Context(_Strict):
    substations: DataPath("context.substations", (".csv",), "RTE's substations CSV") = None
    cables: DataPath("context.cables", GEO_SUFFIXES, "a GeoJSON of submarine cables") = None
    boundaries: DataPath("context.boundaries", GEO_SUFFIXES, "a GeoJSON or GeoPackage of boundaries") = None
    registry: DataPath(
        "context.registry", (".csv", ".geojson", ".json"), "a registry of data centres (CSV or GeoJSON)"
    ) = None


_REQUIRED = object()


def _required_unless_total(parse):
    def check(value: Any) -> Any:
        if value is _REQUIRED:
            text = (
                "is required but missing (give count and unit_mw, either may be unknown, "
                "or total_mw, the installed power, e.g. {total_mw: 200})"
            )
            raise RuleError("loader.generators.required", text)
        return parse(value)

    return check


#: Fuels of the backup generators (data/reference/air_emissions.csv, docs/air-quality.md): gas oil
#: (non-road diesel) or HVO (hydrotreated vegetable oil, EN 15940).
GENERATOR_FUELS = ("diesel", "hvo")


class Generators(_Strict):
    """Backup generators: ``count`` x ``unit_mw``, or the installed ``total_mw``.

    ``count`` and ``unit_mw`` may be ``unknown`` (generators exist, their number or
    power is not published): their emissions are then unknown, not zero.
    """

    count: Annotated[
        Any,
        BeforeValidator(_required_unless_total(partial(_whole_or_unknown, **field_spec("generators.count").bounds))),
        WithJsonSchema(_whole_or_unknown_schema(field_spec("generators.count"))),
        _TablePath("generators.count"),
    ] = None
    unit_mw: Annotated[
        Any,
        BeforeValidator(
            _required_unless_total(
                partial(_range_or_none, allow_unknown=True, bounds=field_spec("generators.unit_mw").bounds)
            )
        ),
        WithJsonSchema(_optional(range_schema(field_spec("generators.unit_mw"), unknown=True), False)),
        _TablePath("generators.unit_mw"),
    ] = None
    autonomy_hours: Q("generators.autonomy_hours") = None  # declared fuel autonomy (ICPE, docs/icpe.md)
    total_mw: Q("generators.total_mw") = None
    test_hours_per_year: Q("generators.test_hours_per_year") = None
    test_load_share: Q("generators.test_load_share") = None
    fuel: Literal[GENERATOR_FUELS] = "diesel"
    outage_scenario_hours: Q("generators.outage_scenario_hours") = None

    @model_validator(mode="before")
    @classmethod
    def _mark_required(cls, data: Any) -> Any:
        # Without total_mw, count and unit_mw are required (null is no value): a marker lets
        # their own validators name them in the error.
        if isinstance(data, dict) and data.get("total_mw") is None:
            data = {**data, **{k: _REQUIRED for k in ("count", "unit_mw") if data.get(k) is None}}
        return data

    @model_validator(mode="after")
    def _count_and_power(self):
        if self.total_mw is not None and isinstance(self.unit_mw, Range):
            text = "give either count x unit_mw or total_mw (the installed power), not both"
            raise RuleError("loader.generators.both", text)
        if isinstance(self.count, int) and isinstance(self.unit_mw, Range) and self.count > 0:
            what = Said("the installed power (count x unit_mw)", "loader.what.generators_total")
            check_total(self.count * self.unit_mw.high, "generators.total_mw", what)
        return self


#: The stored fuels of ``fuel_storage``, whose density is in data/reference/fuel.csv (4734, Seveso entry 34).
STORED_FUELS = ("diesel", "heating_oil", "hvo")


class FuelStorage(_Strict):
    """The fuel the site stores, as declared, fuel by fuel [m3] (ICPE 4734, Seveso; docs/icpe.md)."""

    diesel_m3: Q("fuel_storage.diesel_m3") = None
    heating_oil_m3: Q("fuel_storage.heating_oil_m3") = None
    hvo_m3: Q("fuel_storage.hvo_m3") = None

    @model_validator(mode="after")
    def _some_fuel(self):
        if all(getattr(self, f"{fuel}_m3") is None for fuel in STORED_FUELS):
            fuels = ", ".join(f"{f}_m3" for f in STORED_FUELS)
            raise RuleError("loader.fuel_storage.none", "give the volume of at least one fuel: " + fuels, fuels=fuels)
        return self


class Phase(_Strict):
    """One phase of the project as its ICPE file declares it (docs/icpe.md): the thresholds apply to the total."""

    name: Text("phases.name", min_length=1)
    thermal_input_mw: Q("phases.thermal_input_mw") = None
    fuel_storage_t: Q("phases.fuel_storage_t") = None
    source: Text("phases.source") | None = None

    @model_validator(mode="after")
    def _some_quantity(self):
        if self.thermal_input_mw is None and self.fuel_storage_t is None:
            raise RuleError("loader.phases.quantity", "a phase needs thermal_input_mw or fuel_storage_t")
        return self


def check_total(total: float, path: str, what: str) -> None:
    """A total (of a list, of count x unit) obeys the bounds of the field ``path`` that it stands for."""
    spec = field_spec(path)
    try:
        check_bounds(total, "", **spec.bounds)
    except ValueError as exc:
        text = f"{what} {exc} ({spec.unit}, the bounds of {path})"
        raise RuleError("loader.total", text, what=what, reason=Said.of(exc), unit=spec.unit, path=path) from None


NO_REFRIGERANT = "none"


class Refrigerant(_Strict):
    type: Text("refrigerant.type", min_length=1)
    charge_kg: Q("refrigerant.charge_kg") = None
    leak_rate_per_year: Q("refrigerant.leak_rate_per_year") = None

    @field_validator("type")
    @classmethod
    def _known(cls, value: str) -> str:
        from .sources.reference import refrigerant_names

        names = refrigerant_names()
        canon = value.strip().upper().replace("-", "").replace(" ", "")
        if canon in {"NONE", "AUCUN"}:
            return NO_REFRIGERANT
        for name in names:
            if name.upper().replace("-", "") == canon:
                return name
        got, known = excerpt(value), ", ".join(names)
        text = f"unknown refrigerant {got}; known: {known}, or none"
        raise RuleError("loader.refrigerant.unknown", text, got=got, known=known)

    @model_validator(mode="after")
    def _none_has_no_charge(self):
        if self.type == NO_REFRIGERANT and (
            isinstance(self.charge_kg, Range) or isinstance(self.leak_rate_per_year, Range)
        ):
            raise RuleError("loader.refrigerant.none_charge", "refrigerant none has no charge nor leak rate")
        return self


def _unknown_block(value: Any) -> Any:
    """``generators: unknown``: the block exists but is not published (``UNKNOWN``)."""
    if isinstance(value, str) and value.strip().lower() in UNKNOWN_WORDS:
        return UNKNOWN
    return value


def _refrigerant_block(value: Any) -> Any:
    """``refrigerant: none`` (no refrigerant at all) is ``{type: none}``; ``unknown``: not published."""
    if isinstance(value, str):
        if value.strip().lower() in {"none", "aucun"}:
            return {"type": NO_REFRIGERANT}
        if value.strip().lower() in UNKNOWN_WORDS:
            return UNKNOWN
        got = excerpt(value)
        text = f"must be a mapping such as {{type: R134a, charge_kg: 3000}}, none or unknown, got {got}"
        raise RuleError("loader.refrigerant.block", text, got=got)
    return value


class Building(_Strict):
    site_area_m2: Q("building.site_area_m2") = None
    floor_area_m2: Q("building.floor_area_m2") = None
    it_floor_area_m2: Q("building.it_floor_area_m2") = None
    artificialised_m2: Q("building.artificialised_m2") = None
    embodied_tco2e: Q("building.embodied_tco2e") = None


#: Where the site's water comes from (issue 13, item 6): a fact of the project file.
WATER_SOURCES = ("drinking_water_network", "river", "aquifer", "sea", "mine_water", "rainwater", "unknown")
#: Receiving-water classes of the French thermal-discharge limits (data/reference/thermal_discharge_limits.csv).
RECEIVING_WATER_CLASSES = ("salmonid", "cyprinid", "shellfish")


class WaterResource(_Strict):
    source: Literal[WATER_SOURCES] | None = None
    receiving_low_flow_m3_per_s: Q("water_resource.receiving_low_flow_m3_per_s") = None
    receiving_water_class: Literal[RECEIVING_WATER_CLASSES] | None = None
    # Where the warmed water goes; default: the cooling type (river, sea). A mine-water gallery
    # cooled "river" site may return its water to a port (MRS5).
    receiving_water: Literal[("river", "sea")] | None = None


class RampUpStep(_Strict):
    """One step of the IT load's ramp-up (docs/construction.md): from ``year`` on, ``it_mw`` of IT power
    in service, or ``it_share`` of the nameplate IT power (the phases a promoter publishes)."""

    year: Int("ramp_up.year", required=True)
    # unknown: a phase announced for that year whose power is not published
    it_mw: NU("ramp_up.it_mw") = None
    it_share: NU("ramp_up.it_share") = None

    @model_validator(mode="after")
    def _one_power(self):
        if (self.it_mw is None) == (self.it_share is None):
            text = (
                "give one of it_mw (IT power in service from that year, MW, e.g. {year: 2027, it_mw: 5}) "
                "or it_share (share of the nameplate IT power in service, 0 to 1)"
            )
            raise RuleError("loader.ramp_up.one_power", text)
        return self


class Construction(_Strict):
    """The construction works as declared (docs/construction.md): all optional, nothing is defaulted."""

    start_year: Int("construction.start_year") = None
    duration_months: N("construction.duration_months") = None
    truck_trips_total: N("construction.truck_trips_total") = None
    trucks_per_day: N("construction.trucks_per_day") = None
    earthworks_m3: N("construction.earthworks_m3") = None
    # The distance the trucks drive (docs/construction.md, the trucks' CO2): per movement, or in all.
    truck_trip_km: N("construction.truck_trip_km") = None
    truck_km_total: N("construction.truck_km_total") = None

    @model_validator(mode="after")
    def _trucks(self):
        if self.truck_trips_total is not None and self.trucks_per_day is not None:
            text = "give either truck_trips_total (truck movements over the whole works) or trucks_per_day, not both"
            raise RuleError("loader.construction.trucks", text)
        if self.truck_trip_km is not None and self.truck_km_total is not None:
            text = (
                "give either truck_trip_km (road km of one truck movement) or truck_km_total (truck-km of the "
                "whole works), not both"
            )
            raise RuleError("loader.construction.truck_km", text)
        return self


class Claim(_Strict):
    indicator: Annotated[str, Field(max_length=100)]
    value: N("claims.value", required=True)
    # e.g. GWh for facility_energy_mwh, % for a share; default: the indicator's unit
    unit: Text("claims.unit") | None = None
    source: Text("claims.source", min_length=1)
    note: Text("claims.note") | None = None

    @field_validator("unit")
    @classmethod
    def _unit(cls, unit: str | None, info) -> str | None:
        indicator = info.data.get("indicator")
        if unit is not None and indicator is not None:
            from .indicators import INDICATORS
            from .units import convert

            convert(1.0, unit, INDICATORS[indicator].unit)  # raises a plain ValueError
        return unit

    @property
    def value_in_indicator_unit(self) -> float:
        """The claimed value converted to the indicator's unit."""
        if self.unit is None:
            return self.value
        from .indicators import INDICATORS
        from .units import convert

        return convert(self.value, self.unit, INDICATORS[self.indicator].unit)

    @field_validator("indicator")
    @classmethod
    def _known(cls, value: str) -> str:
        from .indicators import INDICATORS

        if value not in INDICATORS:
            got, known = excerpt(value), ", ".join(INDICATORS)
            text = f"unknown indicator {got}; expected one of: {known}"
            raise RuleError("loader.claims.indicator", text, got=got, known=known)
        return value


class Procedure(_Strict):
    """The public participation procedure the contribution answers (data/reference/procedures.csv)."""

    type: Literal[PROCEDURE_TYPES]
    start: DateField("procedure.start") = None
    end: DateField("procedure.end") = None
    authority: Text("procedure.authority", min_length=1) | None = None
    url: Text("procedure.url", min_length=1) | None = None

    @model_validator(mode="after")
    def _dates(self):
        if self.start is not None and self.end is not None and self.end < self.start:
            end, start = self.end.isoformat(), self.start.isoformat()
            text = f"end ({end}) must not be before start ({start})"
            raise RuleError("loader.procedure.dates", text, end=end, start=start)
        return self


class Recommendation(_Strict):
    """One recommendation of the environmental authority's opinion and the promoter's written answer."""

    ref: Text("authority_opinion.recommendations.ref", min_length=1) | None = None
    topic: Literal[OPINION_TOPICS] | None = None
    text: Text("authority_opinion.recommendations.text", min_length=1)
    answer: Text("authority_opinion.recommendations.answer", min_length=1) | None = None
    answer_source: Text("authority_opinion.recommendations.answer_source", min_length=1) | None = None
    remaining: Text("authority_opinion.recommendations.remaining", min_length=1) | None = None


class AuthorityOpinion(_Strict):
    """The environmental authority's opinion on the project and the promoter's written answer to it."""

    authority: Text("authority_opinion.authority", min_length=1)
    reference: Text("authority_opinion.reference", min_length=1) | None = None
    date: DateField("authority_opinion.date") = None
    url: Text("authority_opinion.url", min_length=1) | None = None
    answer_source: Text("authority_opinion.answer_source", min_length=1) | None = None
    recommendations: list[Recommendation] = Field(
        min_length=1, max_length=field_spec("authority_opinion.recommendations").max_length
    )

    @model_validator(mode="after")
    def _refs(self):
        refs = [r.ref for r in self.recommendations if r.ref is not None]
        if len(set(refs)) != len(refs):
            raise RuleError("loader.opinion.refs", "recommendations: each ref must be its own (R1, R2...)")
        return self


class AnnouncedPower(_Strict):
    """A power the promoter announces, with what it measures: IT, the whole facility, or the grid connection."""

    value_mw: Q("announced_power.value_mw", required=True)
    basis: Literal[ANNOUNCED_POWER_BASES]
    source: Text("announced_power.source", min_length=1) | None = None


_Key = Annotated[str, Field(max_length=KEY_CHARS)]


class Alternative(_Strict):
    name: Text("alternatives.name", min_length=1)
    description: Text("alternatives.description") | None = None
    changes: Annotated[
        dict[_Key, Any],
        Field(max_length=field_spec("alternatives.changes").max_length),
        _TablePath("alternatives.changes"),
    ]

    @field_validator("changes")
    @classmethod
    def _not_recursive(cls, value: dict) -> dict:
        for key in ("alternatives", "name"):
            if key in value:
                raise RuleError("loader.alternatives.recursive", f"cannot change {key}", key=key)
        return value


def _assumptions_type() -> Any:
    """``assumptions`` as a mapping whose keys and bounds are the table's ``assumptions.*`` rows."""
    keys = {
        key: Q(
            ASSUMPTIONS + key,
            required=True,
            null=ASSUMPTION_NULL,
        )
        for key in assumption_keys()
    }
    td = TypedDict("Assumptions", keys, total=False)  # type: ignore[misc]  # keys from the table: no literal
    td.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]
    return td


Assumptions = _assumptions_type()


class Project(_Strict):
    """A data-center project as described in a project file."""

    name: Text("name", min_length=1)
    operator: Text("operator") | None = None
    city: Text("city") | None = None
    country: Annotated[str, _TablePath("country")]  # two letters: checked by _iso2
    location: Location | None = None
    year: Int("year") = None
    it_capacity_mw: Q("it_capacity_mw") = None
    equipment: list[EquipmentItem] | None = Field(None, max_length=field_spec("equipment").max_length)
    it_workload: Literal[IT_WORKLOADS] | None = None  # "ai": GPU servers, see _default_it_embodied
    utilisation: Q("utilisation") = None
    pue: Q("pue") = None
    wue_l_per_kwh: Q("wue_l_per_kwh") = None
    cooling: Cooling | None = None
    climate: Climate | None = None
    grid: Grid | None = None
    generators: Annotated[Generators | Unknown | None, BeforeValidator(_unknown_block)] = None
    refrigerant: Annotated[Refrigerant | Unknown | None, BeforeValidator(_refrigerant_block)] = None
    noise: Noise | None = None
    fuel_storage: FuelStorage | None = None
    phases: list[Phase] = Field([], max_length=field_spec("phases").max_length)
    building: Building | None = None
    land: Land | None = None
    context: Context | None = None
    water_resource: WaterResource | None = None
    heat_reuse_share: Q("heat_reuse_share") = None  # unknown: reuse announced, share not published
    announced_power: AnnouncedPower | None = None
    procedure: Procedure | None = None
    authority_opinion: AuthorityOpinion | None = None
    lifetime_years: Q("lifetime_years") = None
    # The IT power in service year by year, and the construction works (docs/construction.md).
    ramp_up: list[RampUpStep] | None = Field(None, max_length=field_spec("ramp_up").max_length)
    construction: Construction | None = None
    claims: list[Claim] = Field([], max_length=field_spec("claims").max_length)
    # Overrides of the model's default assumptions, by input name (see the
    # "Inputs" list of `impact estimate`), e.g. {cooling.supply_c: 24}; keys and bounds:
    # the assumptions.* rows of data/schema/project_fields.csv.
    assumptions: Assumptions = {}
    alternatives: list[Alternative] = Field([], max_length=field_spec("alternatives").max_length)
    sources: Annotated[
        dict[_Key, Annotated[str, Field(max_length=CITATION_CHARS)]], Field(max_length=field_spec("sources").max_length)
    ] = {}
    notes: Text("notes") | None = None

    @field_validator("country")
    @classmethod
    def _iso2(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{2}", value or ""):
            got = excerpt(value)
            raise RuleError("loader.country", f"must be an ISO 3166-1 alpha-2 code such as FR, got {got}", got=got)
        return value.upper()

    @model_validator(mode="after")
    def _capacity(self):
        cap, eq = self.it_capacity_mw, self.equipment
        if eq is not None and len(eq) == 0:
            raise RuleError("loader.equipment.empty", "equipment: must list at least one item")
        if eq and cap is not None:
            text = (
                "give either it_capacity_mw or equipment, not both "
                "(with equipment, IT capacity = sum of count x power_kw)"
            )
            raise RuleError("loader.equipment.both", text)
        if eq:
            total_mw = math.fsum(e.count * e.power_kw.high for e in eq) / 1000.0
            what = Said("equipment: the total IT power (sum of count x power_kw)", "loader.what.equipment_total")
            check_total(total_mw, "it_capacity_mw", what)
        if not eq and not isinstance(cap, Range) and self.announced_power is None:
            text = (
                "it_capacity_mw is required (nameplate IT power in MW, e.g. 22), "
                "or an equipment list (- {kind: server, count: 10, power_kw: 0.5}), "
                "or announced_power: {value_mw: 200, basis: grid_connection}"
            )
            raise RuleError("loader.capacity.required", text)
        return self

    @model_validator(mode="after")
    def _ramp_up(self):
        from .construction import check_ramp_up

        check_ramp_up(self)
        return self

    @model_validator(mode="after")
    def _data_files(self):
        if self.land is not None and self.building is not None and isinstance(self.building.site_area_m2, Range):
            text = "give either building.site_area_m2 or land (cadastre parcels), not both"
            raise RuleError("loader.land.area_or_land", text)
        if self.context is not None and self.context.substations and self.location is None:
            text = "context.substations needs location (lat, lon) to find the nearest substations"
            raise RuleError("loader.context.substations", text)
        return self

    @model_validator(mode="after")
    def _alternatives(self):
        names = [a.name for a in self.alternatives]
        if len(set(names)) != len(names):
            raise RuleError("loader.alternatives.names", "alternatives: each needs its own name")
        return self


#: The table prefix of each model's fields (the JSON Schema's ``$defs`` are named after the models).
MODEL_PATHS = {
    "Location": "location",
    "EquipmentItem": "equipment",
    "Cooling": "cooling",
    "Climate": "climate",
    "Grid": "grid",
    "Noise": "noise",
    "Generators": "generators",
    "FuelStorage": "fuel_storage",
    "Phase": "phases",
    "Refrigerant": "refrigerant",
    "Building": "building",
    "WaterResource": "water_resource",
    "Land": "land",
    "Context": "context",
    "Claim": "claims",
    "Procedure": "procedure",
    "AuthorityOpinion": "authority_opinion",
    "Recommendation": "authority_opinion.recommendations",
    "AnnouncedPower": "announced_power",
    "RampUpStep": "ramp_up",
    "Construction": "construction",
    "Alternative": "alternatives",
    "Assumptions": "assumptions",
}


# --------------------------------------------------------------------------- loading


#: The longest integer a project file may write [digits]: no field's bound has more than 20
#: (and Python refuses to read more than 4,300).
MAX_INT_DIGITS = 100


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe loader that refuses duplicate keys (PyYAML keeps the last silently), keys that are
    lists or mappings, nesting deeper than :data:`MAX_DEPTH` (PyYAML's composer recurses: 10,000
    levels would exhaust Python's stack) and integers of more than :data:`MAX_INT_DIGITS` digits."""

    _depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested more than {MAX_DEPTH} levels deep; a project file needs no more than a few",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be a name, not {kind} (a '?' key or a key in brackets)", key_node.start_mark
            )
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {excerpt(key)} appears twice", key_node.start_mark
            )
        seen[key] = True
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    digits = sum(c.isdigit() for c in text)
    if digits > MAX_INT_DIGITS:
        raise yaml.constructor.ConstructorError(
            None, None, f"an integer of {digits:,} digits: no field accepts more than {MAX_INT_DIGITS}", node.start_mark
        )
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
# Dates stay text, read by the fields that expect one (``procedure.start``): YAML's own
# timestamps would turn « 2025-13-01 » into a crash of the loader instead of a field's error.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def check_shape(data: Any, source: str = "<project>") -> None:
    """Refuse, before validation, data that no project file has: nesting deeper than
    :data:`MAX_DEPTH`, more than :data:`MAX_VALUES` values (each repetition of a YAML alias
    counts: an alias bomb stops here, in a fraction of a second), keys that are not text.

    Iterative (no recursion) and bounded: it stops at the first problem.
    """
    stack: list[tuple[Any, int, str]] = [(data, 0, "")]
    count = 0
    while stack:
        node, depth, where = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            text = f"nested more than {MAX_DEPTH} levels deep; a project file needs no more than a few"
            raise InputError(source, [(where, Said(text, "loader.nested", {"most": MAX_DEPTH}))])
        if isinstance(node, dict):
            children: Iterable[tuple[Any, Any]] = node.items()
        elif isinstance(node, (list, tuple)):
            children = enumerate(node)
        else:
            continue
        count += len(node)
        if count > MAX_VALUES:
            top_match = re.match(r"[^.\[]*", where)
            assert top_match is not None  # the pattern matches any text (if only the empty start)
            top = top_match.group(0)  # the field that holds it, not the deepest part
            text = (
                f"holds more than {MAX_VALUES:,} values (a YAML alias repeats "
                "its anchor's whole content each time): no project file is so large"
            )
            raise InputError(source, [(top, Said(text, "loader.values", {"most": MAX_VALUES}))])
        for key, value in children:
            if isinstance(node, dict):
                if not isinstance(key, str):
                    got = excerpt(key)
                    raise InputError(
                        source, [(where, Said(f"a key must be text, got {got}", "loader.key", {"got": got}))]
                    )
                path = f"{where}.{key[:60]}" if where else key[:60]
            else:
                path = f"{where}[{key}]"
            if isinstance(value, (dict, list, tuple)):
                stack.append((value, depth + 1, path))


def _field_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith("function-") or part in {"literal", "str"}:
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def _model_at(loc: tuple) -> type[BaseModel] | None:
    model: Any = Project
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return model
        ann = field.annotation
        for cand in getattr(ann, "__args__", ()) + (ann,):
            inner = getattr(cand, "__args__", (cand,))[0] if getattr(cand, "__origin__", None) is list else cand
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                model = inner
                break
        else:
            return None
    return model


def _message(err: ErrorDetails) -> str:
    """The English message of a field's error, as a :class:`Said` (its catalogue key and parameters)."""
    kind, msg, value = err["type"], err["msg"], err["input"]
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return Said("is required but missing", "loader.missing")
    if kind == "extra_forbidden":
        if err["loc"][:1] == ("assumptions",):
            known = ", ".join(assumption_keys())
            return Said(
                f"is not an input with a default; expected one of: {known}", "loader.extra_assumption", {"known": known}
            )
        model = _model_at(err["loc"][:-1])
        known = ", ".join(model.model_fields) if model else ""
        if known:
            return Said(f"unknown field; expected one of: {known}", "loader.extra", {"known": known})
        return Said("unknown field", "loader.extra_field")
    if value is None and kind in {
        "literal_error",
        "model_type",
        "dict_type",
        "model_attributes_type",
        "list_type",
        "string_type",
        "typed_dict_type",
    }:
        return Said(NULL_REQUIRED, "loader.null_required")
    got = excerpt(value)
    if kind == "literal_error":
        expected = msg.split("Input should be ", 1)[-1].replace(" or ", ", ")
        return Said(f"must be one of {expected}, got {got}", "loader.literal", {"expected": expected, "got": got})
    if kind in {"model_type", "dict_type", "model_attributes_type", "typed_dict_type"}:
        text = f"must be a mapping (key: value), got {type(value).__name__} {got}"
        return Said(text, "loader.mapping", {"type": type(value).__name__, "got": got})
    if kind == "list_type":
        return Said(f"must be a list (lines starting with '- '), got {got}", "loader.list", {"got": got})
    if kind in {"string_type"}:
        return Said(f"must be text, got {got}", "loader.text", {"got": got})
    if kind in {"bool_type", "bool_parsing"}:
        return Said(f"must be true or false, got {got}", "loader.bool", {"got": got})
    if kind == "string_too_short":
        return Said("must not be empty", "loader.empty")
    if kind == "string_too_long":
        if not isinstance(value, str):
            return Said("is too long", "loader.too_long")
        most = ctx.get("max_length", "?")
        text = f"must be at most {most:,} characters, got {len(value):,}"
        return Said(text, "loader.too_many_characters", {"most": most, "length": len(value)})
    if kind == "too_long":
        what = "entries" if isinstance(value, dict) else "items"
        actual = ctx.get("actual_length") or (len(value) if hasattr(value, "__len__") else "more")
        most = ctx.get("max_length", "?")
        text = f"must have at most {most:,} {what}, got {actual:,}"
        key = "loader.too_many_entries" if what == "entries" else "loader.too_many_items"
        return Said(text, key, {"most": most, "length": actual})
    text = re.sub(r"^(Value error|Assertion failed), ", "", msg)
    error = ctx.get("error")
    if isinstance(error, RuleError) and str(error) == text:
        return Said(text, error.key, error.params)
    return text


def parse_project(data: Any, source: str = "<project>") -> Project:
    """Validate an already-parsed mapping (e.g. from YAML) into a :class:`Project`.

    Raises
    ------
    InputError
        naming ``source`` and each faulty field.
    """
    if data is None:
        raise InputError(
            source, "the file is empty; expected a YAML mapping with at least name, country and it_capacity_mw"
        )
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise InputError(source, f"the top level must be a mapping (key: value), got {kind}")
    bad_keys = [k for k in data if not isinstance(k, str)]
    if bad_keys:
        raise InputError(source, [(excerpt(bad_keys[0], 40), "field names must be text")])
    check_shape(data, source)
    try:
        return Project.model_validate(data)
    except ValidationError as exc:
        # The Unknown member of a union (generators, refrigerant) is reached from the word unknown
        # only: its "not an instance" adds nothing to the other member's error.
        problems = [
            (_field_path(e["loc"]), _message(e))
            for e in exc.errors()
            if e["type"] != "is_instance_of" or "is-instance[Unknown]" not in e["loc"]
        ]
        raise InputError(source, problems) from None


def _short(text: Any) -> str:
    """A parser's message, on one line and cut (it may quote the file)."""
    text = strip_controls(str(text)).strip()
    return text if len(text) <= 300 else text[:299] + "…"


def parse_project_text(text: str, source: str = "<project>") -> Project:
    """Parse YAML text (safe loading, duplicate keys refused) into a :class:`Project`."""
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(source, f"not valid YAML{where}: {_short(exc.problem or exc.context)}") from None
    except yaml.YAMLError as exc:
        raise InputError(source, f"not valid YAML: {_short(exc)}") from None
    project = parse_project(data, source)
    object.__setattr__(project, "_text", text)
    return project


def load_project(path: str | Path) -> Project:
    """Read and validate a project file.

    Parameters
    ----------
    path : str or Path
        A YAML project file.

    Returns
    -------
    Project
        The validated project; ``project_path`` and ``project_text`` record where
        it came from (relative paths in the file resolve against its folder).
    """
    path = Path(path)
    label = path.name if path.name else str(path)
    from .sources.files import KINDS, read_regular

    try:  # the safe reader: a regular file only (a FIFO or a device is refused at once), size-limited
        raw = read_regular(path, KINDS["project"].max_bytes)
    except IsADirectoryError:
        raise InputError(str(path), "is a folder, expected a YAML project file") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(label, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    project = parse_project_text(text, label)
    object.__setattr__(project, "_path", path.resolve())
    return project


def project_path(project: Project) -> Path | None:
    return getattr(project, "_path", None)


def project_text(project: Project) -> str | None:
    return getattr(project, "_text", None)
