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
    field_validator,
    model_validator,
)

from .errors import InputError
from .ranges import UNKNOWN, Range, Unknown, check_bounds, parse_range

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
#: The public participation procedures (data/reference/procedures.csv).
PROCEDURE_TYPES = ("enquete_publique", "consultation_publique", "concertation_prealable",
                   "participation_electronique")
ANNOUNCED_POWER_BASES = ("it", "facility", "grid_connection")


def _range_or_none(value: Any, allow_unknown: bool, bounds: dict) -> Range | Unknown | None:
    if value is None:
        return None
    return parse_range(value, allow_unknown=allow_unknown, **bounds)


def Q(*, required: bool = False, **bounds) -> Any:
    """A ranged quantity field with bounds (``ge``, ``gt``, ``le``, ``lt``)."""
    return Annotated[Any, BeforeValidator(partial(_range_or_none, allow_unknown=not required, bounds=bounds))]


def _number(value: Any, **bounds) -> float | None:
    if value is None:
        return None
    r = parse_range(value, **bounds)
    if not r.is_point:
        raise ValueError("must be a single number here, not a range")
    return r.central


def N(**bounds) -> Any:
    """A plain (non-ranged) number with bounds."""
    return Annotated[Any, BeforeValidator(partial(_number, **bounds))]


def _whole(value: Any, ge: int = 0, le: int | None = None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
        isinstance(value, float) and (not math.isfinite(value) or value != int(value))
    ):
        raise ValueError(f"must be a whole number, got {value!r}")
    check_bounds(int(value), "", ge=ge, le=le)
    return int(value)


def Int(ge: int = 0, le: int | None = None) -> Any:
    return Annotated[Any, BeforeValidator(partial(_whole, ge=ge, le=le))]


def _whole_or_unknown(value: Any, ge: int = 0, le: int | None = None) -> int | Unknown | None:
    if isinstance(value, str) and value.strip().lower() in {"unknown", "inconnu"}:
        return UNKNOWN
    try:
        return _whole(value, ge=ge, le=le)
    except ValueError as exc:
        raise ValueError(f"{exc} (or unknown, when not published)") from None


def IntOrUnknown(ge: int = 0, le: int | None = None) -> Any:
    """A whole number, or ``unknown`` (not published)."""
    return Annotated[Any, BeforeValidator(partial(_whole_or_unknown, ge=ge, le=le))]


def _date(value: Any) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"must be a date written YYYY-MM-DD, e.g. 2024-09-27, got {value!r}")


Date = Annotated[Any, BeforeValidator(_date)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)


class Location(_Strict):
    lat: N(ge=-90, le=90)
    lon: N(ge=-180, le=180)
    # Site altitude [m], for the choice of the climate series and its lapse-rate
    # correction: from land below sea level (polders, deltas) to Mont Blanc (4,806 m).
    altitude_m: N(ge=-10, le=4810) = None
    # True when the point is not the site's own (its commune's centre, a nearby landmark):
    # the map draws it hollow and distances from it are said to be indicative.
    approximate: bool = False


class EquipmentItem(_Strict):
    kind: str = Field(min_length=1)
    count: Int(ge=1)
    power_kw: Q(required=True, gt=0, le=1000)
    embodied_kgco2e: Q(ge=0) = None  # per unit, when the maker publishes it


class Cooling(_Strict):
    type: Literal[COOLING_TYPES]
    water_flow_m3_per_h: Q(gt=0) = None
    water_in_c: Q(ge=-2, le=40) = None
    water_out_c: Q(ge=-2, le=60) = None
    coverage_share: Q(ge=0, le=1) = None
    free_cooling: bool | None = None  # economiser present; default by type
    # liquid_closed_loop: share of the IT heat taken by the liquid, facility-water supply
    # temperature (or its ASHRAE class, W17 ... W45, W+).
    liquid_share: Q(gt=0, le=1) = None
    liquid_supply_c: Q(ge=5, le=70) = None
    liquid_class: str | None = None

    @model_validator(mode="after")
    def _water_fields(self):
        water = ("water_flow_m3_per_h", "water_in_c", "water_out_c", "coverage_share")
        given = [k for k in water if getattr(self, k) is not None]
        if given and self.type not in WATER_COOLED:
            raise ValueError(
                f"{', '.join(given)} only apply to river or sea cooling, but type is {self.type}"
            )
        liquid = [k for k in ("liquid_share", "liquid_supply_c", "liquid_class") if getattr(self, k) is not None]
        if liquid and self.type not in LIQUID_COOLED:
            raise ValueError(f"{', '.join(liquid)} only apply to liquid_closed_loop cooling, but type is {self.type}")
        if self.liquid_class is not None:
            from .sources.reference import read_reference_table

            classes = [r["class"] for r in read_reference_table("ashrae_liquid_classes")]
            if self.liquid_class not in classes:
                raise ValueError(f"liquid_class must be one of {', '.join(classes)} (ASHRAE TC 9.9), "
                                 f"got {self.liquid_class!r}")
            if isinstance(self.liquid_supply_c, Range):
                raise ValueError("give either liquid_supply_c or liquid_class, not both")
        tin, tout = self.water_in_c, self.water_out_c
        if isinstance(tin, Range) and isinstance(tout, Range) and tout.central <= tin.central:
            raise ValueError(
                f"water_out_c ({tout.central:g}) must be warmer than water_in_c ({tin.central:g})"
            )
        return self


def _data_path(value: Any, suffixes: tuple[str, ...] = (), what: str = "") -> str | None:
    """A path to a data file (relative paths resolve against the project file's folder)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be a file path (text), got {value!r}")
    if suffixes and not value.strip().lower().endswith(suffixes):
        raise ValueError(f"must be {what} ({' or '.join(suffixes)}), got {value!r}")
    return value.strip()


def DataPath(suffixes: tuple[str, ...] = (), what: str = "") -> Any:
    return Annotated[Any, BeforeValidator(partial(_data_path, suffixes=suffixes, what=what))]


GEO_SUFFIXES = (".geojson", ".json", ".gpkg")



class Grid(_Strict):
    carbon_intensity_g_per_kwh: Q(ge=0, le=2000) = None
    renewable_contract_share: Q(ge=0, le=1) = None
    residual_mix_g_per_kwh: Q(ge=0, le=2000) = None
    eco2mix: DataPath((".csv", ".tsv", ".txt", ".xls"), "an éCO2mix export") = None

    @model_validator(mode="after")
    def _one_intensity(self):
        if self.eco2mix is not None and isinstance(self.carbon_intensity_g_per_kwh, Range):
            raise ValueError("give either carbon_intensity_g_per_kwh or eco2mix (hourly intensity), not both")
        return self


class Climate(_Strict):
    epw: DataPath((".epw",), "an EnergyPlus weather file") = None  # relative to the project file
    pvgis: DataPath((".csv",), "a PVGIS typical-year export (CSV)") = None  # e.g. from `impact climate fetch`
    warming_c: N(ge=-10, le=10) = None  # shift of every temperature, e.g. 4 for a +4 °C scenario

    @model_validator(mode="after")
    def _one_file(self):
        if self.epw is not None and self.pvgis is not None:
            raise ValueError("give either epw or pvgis (one weather file), not both")
        return self


class Land(_Strict):
    parcels: DataPath(GEO_SUFFIXES, "a cadastre parcels GeoJSON")
    ids: list[Annotated[str, Field(min_length=1)]]

    @field_validator("ids")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("must list at least one parcel id, e.g. [132020000A0012]")
        seen = set()
        for v in value:
            key = v.replace(" ", "")
            if key in seen:
                raise ValueError(f"parcel {v!r} is listed twice")
            seen.add(key)
        return value


class Context(_Strict):
    substations: DataPath((".csv",), "RTE's substations CSV") = None
    cables: DataPath(GEO_SUFFIXES, "a GeoJSON of submarine cables") = None
    boundaries: DataPath(GEO_SUFFIXES, "a GeoJSON or GeoPackage of boundaries") = None
    registry: DataPath((".csv", ".geojson", ".json"), "a registry of data centres (CSV or GeoJSON)") = None


_REQUIRED = object()


def _required_unless_total(parse):
    def check(value: Any) -> Any:
        if value is _REQUIRED:
            raise ValueError("is required but missing (give count and unit_mw, either may be unknown, "
                             "or total_mw, the installed power, e.g. {total_mw: 200})")
        return parse(value)
    return check


class Generators(_Strict):
    """Backup generators: ``count`` x ``unit_mw``, or the installed ``total_mw``.

    ``count`` and ``unit_mw`` may be ``unknown`` (generators exist, their number or
    power is not published): their emissions are then unknown, not zero.
    """

    count: Annotated[Any, BeforeValidator(_required_unless_total(partial(_whole_or_unknown, ge=0)))] = None
    unit_mw: Annotated[Any, BeforeValidator(_required_unless_total(
        partial(_range_or_none, allow_unknown=True, bounds={"gt": 0, "le": 100})))] = None
    total_mw: Q(gt=0, le=10000) = None
    test_hours_per_year: Q(ge=0, le=8760) = None
    test_load_share: Q(gt=0, le=1) = None
    fuel: Literal["diesel"] = "diesel"

    @model_validator(mode="before")
    @classmethod
    def _mark_required(cls, data: Any) -> Any:
        # Without total_mw, count and unit_mw are required: a marker lets their own
        # validators name them in the error.
        if isinstance(data, dict) and data.get("total_mw") is None:
            data = {**{k: _REQUIRED for k in ("count", "unit_mw") if k not in data}, **data}
        return data

    @model_validator(mode="after")
    def _count_and_power(self):
        if self.total_mw is not None and isinstance(self.unit_mw, Range):
            raise ValueError("give either count x unit_mw or total_mw (the installed power), not both")
        return self


NO_REFRIGERANT = "none"


class Refrigerant(_Strict):
    type: str = Field(min_length=1)
    charge_kg: Q(ge=0) = None
    leak_rate_per_year: Q(ge=0, le=1) = None

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
        raise ValueError(f"unknown refrigerant {value!r}; known: {', '.join(names)}, or none")

    @model_validator(mode="after")
    def _none_has_no_charge(self):
        if self.type == NO_REFRIGERANT and (isinstance(self.charge_kg, Range) or isinstance(self.leak_rate_per_year, Range)):
            raise ValueError("refrigerant none has no charge nor leak rate")
        return self


def _unknown_block(value: Any) -> Any:
    """``generators: unknown``: the block exists but is not published (``UNKNOWN``)."""
    if isinstance(value, str) and value.strip().lower() in {"unknown", "inconnu"}:
        return UNKNOWN
    return value


def _refrigerant_block(value: Any) -> Any:
    """``refrigerant: none`` (no refrigerant at all) is ``{type: none}``; ``unknown``: not published."""
    if isinstance(value, str):
        if value.strip().lower() in {"none", "aucun"}:
            return {"type": NO_REFRIGERANT}
        if value.strip().lower() in {"unknown", "inconnu"}:
            return UNKNOWN
        raise ValueError(f"must be a mapping such as {{type: R134a, charge_kg: 3000}}, none or unknown, "
                         f"got {value!r}")
    return value


class Building(_Strict):
    site_area_m2: Q(ge=0) = None
    floor_area_m2: Q(ge=0) = None
    it_floor_area_m2: Q(ge=0) = None
    artificialised_m2: Q(ge=0) = None
    embodied_tco2e: Q(ge=0) = None


class Claim(_Strict):
    indicator: str
    value: N()
    unit: str | None = None  # e.g. GWh for facility_energy_mwh, % for a share; default: the indicator's unit
    source: str = Field(min_length=1)
    note: str | None = None

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
            raise ValueError(
                f"unknown indicator {value!r}; expected one of: {', '.join(INDICATORS)}"
            )
        return value


class Procedure(_Strict):
    """The public participation procedure the contribution answers (data/reference/procedures.csv)."""

    type: Literal[PROCEDURE_TYPES]
    start: Date = None
    end: Date = None
    authority: str | None = Field(default=None, min_length=1)
    url: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _dates(self):
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"end ({self.end.isoformat()}) must not be before start ({self.start.isoformat()})")
        return self


class AnnouncedPower(_Strict):
    """A power the promoter announces, with what it measures: IT, the whole facility, or the grid connection."""

    value_mw: Q(required=True, gt=0, le=20000)
    basis: Literal[ANNOUNCED_POWER_BASES]
    source: str | None = Field(default=None, min_length=1)


class Alternative(_Strict):
    name: str = Field(min_length=1)
    description: str | None = None
    changes: dict[str, Any]

    @field_validator("changes")
    @classmethod
    def _not_recursive(cls, value: dict) -> dict:
        for key in ("alternatives", "name"):
            if key in value:
                raise ValueError(f"cannot change {key}")
        return value


class Project(_Strict):
    """A data-center project as described in a project file."""

    name: str = Field(min_length=1)
    operator: str | None = None
    city: str | None = None
    country: str
    location: Location | None = None
    year: Int(ge=1990, le=2100) = None
    it_capacity_mw: Q(gt=0, le=5000) = None
    equipment: list[EquipmentItem] | None = None
    utilisation: Q(ge=0, le=1) = None
    pue: Q(ge=1, le=5) = None
    wue_l_per_kwh: Q(ge=0, le=50) = None
    cooling: Cooling | None = None
    climate: Climate | None = None
    grid: Grid | None = None
    generators: Annotated[Generators | Unknown | None, BeforeValidator(_unknown_block)] = None
    refrigerant: Annotated[Refrigerant | Unknown | None, BeforeValidator(_refrigerant_block)] = None
    building: Building | None = None
    land: Land | None = None
    context: Context | None = None
    heat_reuse_share: Q(ge=0, le=1) = None  # unknown: reuse announced, share not published
    announced_power: AnnouncedPower | None = None
    procedure: Procedure | None = None
    lifetime_years: Q(gt=0, le=100) = None
    claims: list[Claim] = []
    # Overrides of the model's default assumptions, by input name (see the
    # "Inputs" list of `impact estimate`), e.g. {cooling.supply_c: 24}.
    assumptions: dict[str, Q(required=True)] = {}
    alternatives: list[Alternative] = []
    sources: dict[str, str] = {}
    notes: str | None = None

    @field_validator("country")
    @classmethod
    def _iso2(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{2}", value or ""):
            raise ValueError(f"must be an ISO 3166-1 alpha-2 code such as FR, got {value!r}")
        return value.upper()

    @model_validator(mode="after")
    def _capacity(self):
        cap, eq = self.it_capacity_mw, self.equipment
        if eq is not None and len(eq) == 0:
            raise ValueError("equipment: must list at least one item")
        if eq and cap is not None:
            raise ValueError(
                "give either it_capacity_mw or equipment, not both "
                "(with equipment, IT capacity = sum of count x power_kw)"
            )
        if not eq and not isinstance(cap, Range) and self.announced_power is None:
            raise ValueError(
                "it_capacity_mw is required (nameplate IT power in MW, e.g. 22), "
                "or an equipment list (- {kind: server, count: 10, power_kw: 0.5}), "
                "or announced_power: {value_mw: 200, basis: grid_connection}"
            )
        return self

    @model_validator(mode="after")
    def _data_files(self):
        if self.land is not None and self.building is not None and isinstance(self.building.site_area_m2, Range):
            raise ValueError("give either building.site_area_m2 or land (cadastre parcels), not both")
        if self.context is not None and self.context.substations and self.location is None:
            raise ValueError("context.substations needs location (lat, lon) to find the nearest substations")
        return self

    @model_validator(mode="after")
    def _alternatives(self):
        names = [a.name for a in self.alternatives]
        if len(set(names)) != len(names):
            raise ValueError("alternatives: each needs its own name")
        return self


# --------------------------------------------------------------------------- loading


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe loader that refuses duplicate keys (PyYAML keeps the last silently)."""


def _construct_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice", key_node.start_mark
            )
        seen[key] = True
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text, read by the fields that expect one (``procedure.start``): YAML's own
# timestamps would turn « 2025-13-01 » into a crash of the loader instead of a field's error.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


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


def _message(err: dict) -> str:
    kind, msg, value = err["type"], err["msg"], err.get("input")
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        model = _model_at(err["loc"][:-1])
        known = ", ".join(model.model_fields) if model else ""
        return f"unknown field; expected one of: {known}" if known else "unknown field"
    if kind == "literal_error":
        expected = msg.split("Input should be ", 1)[-1].replace(" or ", ", ")
        return f"must be one of {expected}, got {value!r}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"must be a mapping (key: value), got {type(value).__name__} {value!r}"
    if kind == "list_type":
        return f"must be a list (lines starting with '- '), got {value!r}"
    if kind in {"string_type"}:
        return f"must be text, got {value!r}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "dict_type":
        return "must be a mapping"
    return re.sub(r"^(Value error|Assertion failed), ", "", msg)


def parse_project(data: Any, source: str = "<project>") -> Project:
    """Validate an already-parsed mapping (e.g. from YAML) into a :class:`Project`.

    Raises
    ------
    InputError
        naming ``source`` and each faulty field.
    """
    if data is None:
        raise InputError(source, "the file is empty; expected a YAML mapping with at least name, country and it_capacity_mw")
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise InputError(source, f"the top level must be a mapping (key: value), got {kind}")
    bad_keys = [k for k in data if not isinstance(k, str)]
    if bad_keys:
        raise InputError(source, [(str(bad_keys[0]), "field names must be text")])
    try:
        return Project.model_validate(data)
    except ValidationError as exc:
        problems = [(_field_path(e["loc"]), _message(e)) for e in exc.errors()]
        raise InputError(source, problems) from None


def parse_project_text(text: str, source: str = "<project>") -> Project:
    """Parse YAML text (safe loading, duplicate keys refused) into a :class:`Project`."""
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(source, f"not valid YAML{where}: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise InputError(source, f"not valid YAML: {exc}") from None
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
