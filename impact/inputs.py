"""Every input of the estimate, resolved: given, derived, defaulted or unknown.

Each input is taken from the project file when given, otherwise from a sourced
reference table (and recorded as a default, with the reason), otherwise left
unknown. Nothing here computes an indicator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import air_inputs, noise_inputs
from .icpe_inputs import declared_storage
from .model import energy
from .model.cooling import SYSTEMS
from .project import LIQUID_COOLED, NO_REFRIGERANT, WATER_COOLED, Project
from .ranges import UNKNOWN, Range, Unknown
from .results import InputRecord
from .sources import reference as ref

if TYPE_CHECKING:
    from .procedure import ProcedureFacts
    from .site import Site
    from .sources.climate import Climate


class _Inputs:
    """Collects every input with its status and source while resolving them."""

    def __init__(
        self, assumptions: dict[str, Range] | None = None, project_sources: dict[str, str] | None = None
    ) -> None:
        self.records: dict[str, InputRecord] = {}
        self.assumptions = dict(assumptions or {})
        self.project_sources = project_sources or {}
        self.used_assumptions: set[str] = set()
        self.cooling: CoolingSetup | None = None  # None: the hourly model cannot run
        self.cooling_note = ""
        self.climate: Climate | None = None
        self.procedure: ProcedureFacts | None = None
        self.site: Site | None = None
        # The climate's 12 monthly heating degree-days [K·d] (None: none; ...: not computed yet), computed
        # once for the inputs and the results' meta (impact.heatreuse)
        self.heating_degree_days_by_month: Any = ...

    def given(
        self, name: str, value: Any, unit: str, source: str, note: str = "", note_key: str = "", note_args: tuple = ()
    ) -> None:
        self.records[name] = InputRecord(
            name,
            value,
            unit,
            "given",
            source,
            note,
            note_key=note_key,
            note_args=note_args,
            source_key="source.project_file" if source == "project file" else "",
        )

    def put(
        self,
        name: str,
        value: Any,
        unit: str,
        status: str,
        source: str,
        note: str,
        note_key: str,
        *,
        declared_unknown: bool = False,
        source_key: str = "",
        **note_args: Any,
    ) -> None:
        """Record an input with its note as English text and as a catalogue key (``note_key``);
        ``source_key``: the catalogue key of a source that is impact's own words, not a citation."""
        self.records[name] = InputRecord(
            name,
            value,
            unit,
            status,
            source,
            note,
            declared_unknown,
            note_key=note_key,
            note_args=tuple(sorted(note_args.items())),
            source_key=source_key or ("source.project_file" if source == "project file" else ""),
        )

    def resolve(
        self,
        name: str,
        given: Any,
        unit: str,
        default: ref.Sourced | None,
        *,
        project_source: str,
        note: str = "",
        missing_note: str = "",
        note_key: str = "",
        note_args: tuple = (),
        source_key: str = "",
        source_note: str | None = None,
    ) -> None:
        """Record ``given`` if it is a value, else ``default``, else unknown.

        An entry of the project's ``assumptions`` replaces the default. ``note_key``,
        ``note_args``: ``note`` as a catalogue key; ``source_key``: the key of
        ``missing_note`` or of a default's source written here (not a citation);
        ``source_note``: the default's own note is its table's words unless given here.
        """
        declared_unknown = given is UNKNOWN
        if not isinstance(given, Range) and name in self.assumptions:
            self.used_assumptions.add(name)
            source = self.project_sources.get(name) or "project file (assumptions)"
            self.records[name] = InputRecord(
                name,
                self.assumptions[name],
                default.unit if default else unit,
                "given",
                source,
                "assumption set in the project file, instead of the default",
                note_key="note.assumption",
                source_key="" if self.project_sources.get(name) else "source.project_assumptions",
            )
            return
        if isinstance(given, Range):
            self.records[name] = InputRecord(
                name,
                given,
                unit,
                "given",
                project_source,
                note,
                note_key=note_key,
                note_args=note_args,
                source_key="source.project_file" if project_source == "project file" else "",
            )
        elif default is not None and default.value is not None:
            why = "declared unknown in the project file" if declared_unknown else "not given"
            self.records[name] = InputRecord(
                name,
                default.value,
                default.unit or unit,
                "default",
                default.citation,
                "; ".join(p for p in (f"{why}: default used", default.note, note) if p),
                declared_unknown,
                note_key=note_key or ("note.declared_unknown" if declared_unknown else "note.not_given"),
                note_args=note_args,
                source_key=source_key,
                source_note=default.note if source_note is None else source_note,
            )
        else:
            reason = (default.source if default is not None else "") or missing_note or "no source found"
            self.records[name] = InputRecord(
                name,
                None,
                unit,
                "unknown",
                reason,
                note,
                declared_unknown,
                note_key=note_key,
                note_args=note_args,
                source_key="" if default is not None and default.source else source_key or "source.none_found",
            )

    def ranges(self) -> dict[str, Range]:
        return {k: r.value for k, r in self.records.items() if isinstance(r.value, Range)}


@dataclass(frozen=True)
class CoolingSetup:
    """What the hourly cooling model needs besides the numeric inputs."""

    system: str
    free_cooling: bool
    climate: Any  # impact.sources.climate.Climate
    water: bool
    flow_given: bool
    t_water_in_hourly: Any = None  # sea temperature per hour when no intake temperature is declared


_NUMERIC_PARAMETERS = (
    "supply_c",
    "approach_k",
    "band_k",
    "chiller_approach_k",
    "air_condenser_approach_k",
    "tower_approach_k",
    "adiabatic_effectiveness",
    "aux_share",
    "distribution_share",
    "hx_approach_k",
    "dry_economiser_approach_k",
)


def _cooling_model_inputs(p: Project, inp: _Inputs, cooling_type: str, year: int, src, data=None) -> None:
    """Resolve the climate and parameters of the hourly cooling model, if it can run."""
    from .sources.climate import NoClimate, project_climate

    warming = p.climate.warming_c if p.climate and p.climate.warming_c is not None else 0.0
    climate = project_climate(p, year, warming, data)
    if isinstance(climate, NoClimate):
        inp.climate = None
        inp.records["climate"] = InputRecord(
            "climate",
            None,
            "-",
            "unknown",
            "no hourly climate for this place",
            climate.reason,
            note_key=climate.note_key,
            note_args=climate.note_args,
            source_key="source.climate.none",
        )
        inp.cooling_note = climate.reason
        return
    inp.climate = climate
    _climate_records(p, inp, climate, warming, src)
    cooling = p.cooling
    if cooling is None or cooling_type not in SYSTEMS:
        inp.cooling_note = "the cooling system is not described"
        return
    for name in _NUMERIC_PARAMETERS:
        inp.resolve(f"cooling.{name}", None, "", ref.lookup("cooling_parameters", parameter=name), project_source="")
    _chiller_ratings(p, inp)
    # Rating conditions of AHRI 550/590 (chillers.csv, rating_conditions column).
    inp.records["cooling.t_air_rated_c"] = InputRecord(
        "cooling.t_air_rated_c",
        Range.point(35.0),
        "°C",
        "default",
        "AHRI 550/590 rating conditions [primary]",
        "outdoor air at the air-cooled rating point",
        note_key="note.cooling.t_air_rated",
    )
    inp.records["cooling.t_water_rated_c"] = InputRecord(
        "cooling.t_water_rated_c",
        Range.point(29.4),
        "°C",
        "default",
        "AHRI 550/590 rating conditions [primary]",
        "entering condenser water at the water-cooled rating point",
        note_key="note.cooling.t_water_rated",
    )
    spec = SYSTEMS[cooling_type]
    free = cooling.free_cooling if cooling.free_cooling is not None else spec["free_cooling"]
    if cooling.free_cooling is not None:
        inp.given("cooling.free_cooling", "yes" if free else "no", "-", src("cooling"))
    else:
        # River or sea: the same assumption as the free-cooled scenarios (docs/alternatives-basis.md).
        if cooling_type in WATER_COOLED:
            why = (
                "the water takes the share it covers; the rest is cooled as by an air-cooled design, economiser "
                "included, the same assumption as every free-cooled scenario (set cooling.free_cooling: false if "
                "the promoter says the rest is chillers alone)"
            )
        elif free:
            why = "an economiser is part of this cooling type"
        else:
            why = "chillers without an economiser unless the project says so"
        inp.records["cooling.free_cooling"] = InputRecord(
            "cooling.free_cooling",
            "yes" if free else "no",
            "-",
            "default",
            f"default for {cooling_type}",
            why,
            note_key="note.free_cooling."
            + ("water_cooled" if cooling_type in WATER_COOLED else "economiser" if free else "chillers"),
            note_args=(("cooling_type", cooling_type),),
            source_key="source.default_for_cooling_type",
        )
    water = cooling_type in WATER_COOLED
    t_hourly = None
    if water and inp.records["cooling.water_in_c"].status == "unknown":
        t_hourly = _water_temperature(p, inp, cooling_type, climate)
        if t_hourly is None:
            return
    inp.cooling = CoolingSetup(
        cooling_type,
        bool(free),
        climate,
        water,
        water and isinstance(inp.records["cooling.water_flow_m3_per_h"].value, Range),
        t_hourly,
    )


#: ASHRAE 90.1-2019 Table 6.8.1-3 capacity classes (chillers.csv) [tons of refrigeration]: upper bounds.
_AIR_CLASSES = ((150.0, "< 150 tons"), (float("inf"), ">= 150 tons"))
_WATER_CLASSES = (
    (75.0, "< 75 tons"),
    (150.0, "75-150 tons"),
    (300.0, "150-300 tons"),
    (600.0, "300-600 tons"),
    (float("inf"), ">= 600 tons"),
)
KW_PER_TON = 3.517  # 1 ton of refrigeration = 12,000 Btu/h = 3.517 kW


def _design_cooling_tons(p: Project, inp: _Inputs) -> tuple[float | None, bool]:
    """The plant's design cooling load [tons]: full IT load plus the distribution losses (central values).

    Without an IT capacity yet (it comes from an announced power), the announced power stands for it:
    it exceeds the IT load, so only the class of a site near a class bound could change. None: no size.
    The flag says whether the announced power stood for the IT load.
    """
    it = inp.records.get("it_capacity_mw")
    dist = inp.records.get("cooling.distribution_share")
    share = dist.value.central if dist is not None and isinstance(dist.value, Range) else 0.0
    if it is not None and isinstance(it.value, Range):
        mw, announced = it.value.central, False
    elif p.announced_power is not None:
        mw, announced = p.announced_power.value_mw.central, True
    else:
        return None, False
    return mw * (1.0 + share) * 1000.0 / KW_PER_TON, announced


def _chiller_ratings(p: Project, inp: _Inputs) -> None:
    """Full-load and part-load (IPLV) COP of the chillers, from the ASHRAE 90.1 class of the plant's size.

    The class is the plant's design cooling load (a multi-MW plant falls in the largest classes; the units
    may be smaller, and their class is not published); without a size, the largest class (assumption).
    """
    tons, announced = _design_cooling_tons(p, inp)
    size = tons if tons is not None else float("inf")
    air = next(label for bound, label in _AIR_CLASSES if size < bound)
    water = next(label for bound, label in _WATER_CLASSES if size < bound)
    names = {
        "air": f"air-cooled, {air} (90.1-2019)",
        "water": f"water-cooled positive displacement, {water} (90.1-2019)",
    }
    for kind in ("air", "water"):
        for key, quantity in ((f"cooling.cop_{kind}_rated", "minimum_cop"), (f"cooling.cop_{kind}_iplv", "iplv_cop")):
            inp.resolve(
                key, None, "-", ref.require("chillers", chiller=names[kind], quantity=quantity), project_source=""
            )
    inp.records["cooling.chiller_class"] = InputRecord(
        "cooling.chiller_class",
        f"{air} (air-cooled), {water} (water-cooled)",
        "-",
        "default",
        "ASHRAE 90.1-2019 Table 6.8.1-3 capacity classes [secondary]",
        "size unknown: the largest class (assumption)"
        if tons is None
        else f"design cooling load {tons:,.0f} tons (the announced power standing for the IT load, not known yet, "
        "and distribution losses / 3.517 kW per ton)"
        if announced
        else f"design cooling load {tons:,.0f} tons (full IT load and distribution losses / 3.517 kW per ton)",
        note_key="note.cooling.chiller_class_unknown"
        if tons is None
        else "note.cooling.chiller_class_announced"
        if announced
        else "note.cooling.chiller_class",
        note_args=(("tons", round(tons) if tons is not None else None), ("air", air), ("water", water)),
        value_key="value.cooling.chiller_class",
        source_key="source.cooling.chiller_class",
    )


def _climate_records(p: Project, inp: _Inputs, climate, warming: float, src) -> None:
    """The ``climate`` record (which series, from where), its altitude correction and its offset range."""
    from .sources import climate as sc

    c = climate.choice
    if climate.kind == "shipped series":
        key, args = _choice_note(c)
        inp.records["climate"] = InputRecord(
            "climate", c.station, "-", "default", c.attribution, climate.note, note_key=key, note_args=args
        )
        inp.records["climate.altitude_correction_k"] = _altitude_record(c)
    else:
        where = f", {c.distance_km:g} km from the site" if c is not None and c.distance_km is not None else ""
        inp.records["climate"] = InputRecord(
            "climate",
            f"{climate.kind} {c.station}",
            "-",
            "given",
            src("climate"),
            climate.note + where,
            note_key="note.climate.file",
            note_args=(("file", c.station if c else climate.source), ("distance_km", c.distance_km if c else None)),
        )
    if warming:
        inp.given(
            "climate.warming_c",
            Range.point(warming),
            "K",
            src("climate"),
            f"every temperature shifted by {warming:+g} °C",
        )
        rec = inp.records["climate.warming_c"]
        inp.records["climate.warming_c"] = InputRecord(
            rec.name,
            rec.value,
            rec.unit,
            rec.status,
            rec.source,
            rec.note,
            note_key="note.climate.warming",
            note_args=(("warming_c", warming),),
        )
    if "climate.offset_k" in inp.assumptions:
        inp.used_assumptions.add("climate.offset_k")
        inp.records["climate.offset_k"] = InputRecord(
            "climate.offset_k",
            inp.assumptions["climate.offset_k"],
            "K",
            "given",
            inp.project_sources.get("climate.offset_k") or "project file (assumptions)",
            "assumption set in the project file, instead of the default",
        )
        return
    year = sc.coefficient("gradient_k_per_km").year
    d_k, z_k, y_k = (round(x, 2) for x in c.sigma_parts_k)
    w = round(c.offset_half_width_k, 2)
    inp.records["climate.offset_k"] = InputRecord(
        "climate.offset_k",
        climate.offset,
        "K",
        "default",
        "derived from the shipped stations by scripts/build_climate.py (data/reference/climate_uncertainty.csv: "
        f"gradient_k_per_km, lapse_rate_sd_k_per_km, interannual_sd_k), {year} [assumption]",
        f"every hour's dry bulb and wet bulb shifted by the same amount in each draw, within ±{w:g} K "
        f"(triangular; standard deviation {c.sigma_k:.2f} K from the distance {d_k:g} K, the altitude {z_k:g} K "
        f"and {c.years_represented} year(s) of weather {y_k:g} K)",
        note_key="note.climate.offset",
        note_args=(
            ("half_width_k", w),
            ("sigma_k", round(c.sigma_k, 2)),
            ("distance_part_k", d_k),
            ("altitude_part_k", z_k),
            ("years_part_k", y_k),
            ("years", c.years_represented),
        ),
    )


def _choice_note(c) -> tuple[str, tuple]:
    """The catalogue key of the sentence saying which series stands for the site."""
    if c.year is None:
        key = "note.climate.typical_year" if c.kind == "typical year" else "note.climate.model_typical_year"
    elif c.kind == "observation":
        key = "note.climate.observed_year" if c.years_represented == 1 else "note.climate.observed_median_year"
    else:
        key = "note.climate.model_median_year"
    return key, (
        ("station", c.station),
        ("distance_km", c.distance_km),
        ("year", c.year),
        ("period", c.period),
        ("attribution", c.attribution),
    )


def _altitude_record(c) -> InputRecord:
    lapse = ref.require("climate_uncertainty", quantity="lapse_rate_k_per_km")
    value = Range.point(c.correction_k)
    if c.site_altitude_m is None:
        return InputRecord(
            "climate.altitude_correction_k",
            value,
            "K",
            "derived",
            lapse.citation,
            "site altitude not given (location.altitude_m): no altitude correction",
            note_key="note.climate.altitude_not_given",
        )
    if c.station_altitude_m is None:
        return InputRecord(
            "climate.altitude_correction_k",
            value,
            "K",
            "derived",
            lapse.citation,
            "the altitude of the series' point is not known: no altitude correction; the range counts the "
            f"site's altitude ({c.site_altitude_m:g} m) as a possible difference",
            note_key="note.climate.altitude_unknown_station",
            note_args=(("site_altitude_m", c.site_altitude_m),),
        )
    return InputRecord(
        "climate.altitude_correction_k",
        value,
        "K",
        "derived",
        lapse.citation,
        f"site at {c.site_altitude_m:g} m, series at {c.station_altitude_m:g} m: dry bulb and dew point shifted by "
        f"{c.correction_k:+g} K (standard atmosphere, {lapse.known().central:g} K/km)",
        note_key="note.climate.altitude_corrected",
        note_args=(
            ("site_altitude_m", c.site_altitude_m),
            ("station_altitude_m", c.station_altitude_m),
            ("correction_k", c.correction_k),
            ("lapse_rate_k_per_km", lapse.known().central),
        ),
    )


def _water_temperature(p: Project, inp: _Inputs, cooling_type: str, climate):
    """River or sea water temperature per hour when the project gives none, with its offset range."""
    import math

    from .model import water_temperature as wt

    def row(quantity, **match):
        return ref.lookup("water_temperature", quantity=quantity, **match)

    frame = climate.frame
    if cooling_type == "river":
        a, b, sd = row("river_intercept_c"), row("river_slope"), row("river_sd_k")
        t = wt.river_temperature_c(frame["temp_air_c"].to_numpy(), intercept_c=a.value.central, slope=b.value.central)
        args = (
            ("mean_c", round(float(t.mean()), 1)),
            ("min_c", round(float(t.min()), 1)),
            ("max_c", round(float(t.max()), 1)),
        )
        inp.records["cooling.water_in_c"] = InputRecord(
            "cooling.water_in_c",
            f"from the air temperature: {a.value.central:g} + {b.value.central:g} x 7-day mean "
            f"(mean {args[0][1]:g} °C, {args[1][1]:g} to {args[2][1]:g} °C)",
            "°C",
            "default",
            f"{a.citation}; coefficients applied to the site's climate",
            "not given: river temperature estimated from the air temperature of the site's climate (a general "
            "relation, not this river's measurements)",
            note_key="note.water.river_relation",
            note_args=args,
        )
        w = math.sqrt(6.0) * sd.value.central
        inp.records["cooling.water_in_offset_k"] = InputRecord(
            "cooling.water_in_offset_k",
            Range(-w, 0.0, w),
            "K",
            "default",
            sd.citation,
            f"the river's temperature shifted in each draw within ±{w:.1f} K (triangular, standard deviation "
            f"{sd.value.central:g} K)",
            note_key="note.water.river_offset",
            note_args=(("half_width_k", round(w, 1)), ("sd_k", sd.value.central)),
        )
        return t
    loc = p.location
    lat, lon = (loc.lat, loc.lon) if loc is not None else (climate.choice.lat, climate.choice.lon)
    if lat is None or lon is None:
        inp.cooling_note = "the sea temperature is not known (no location to choose the sea basin)"
        return None
    basin = wt.sea_basin(lat, lon)
    cold, warm = row("sea_coldest_month_c", basin=basin), row("sea_warmest_month_c", basin=basin)
    day = row("sea_coldest_day").value.central
    index = frame.index
    t = wt.sea_temperature_c(
        index.day_of_year.to_numpy() + index.hour.to_numpy() / 24.0, cold.value.central, warm.value.central, day
    )
    args = (("basin", basin), ("coldest_c", cold.value.central), ("warmest_c", warm.value.central))
    inp.records["cooling.water_in_c"] = InputRecord(
        "cooling.water_in_c",
        f"seasonal: {cold.value.central:g} °C (1 March) to {warm.value.central:g} °C "
        f"(end of August), {basin.replace('_', ' ')}",
        "°C",
        "default",
        f"{cold.citation}; {row('sea_coldest_day').citation}",
        f"not given: mean surface temperatures of the sea basin ({basin.replace('_', ' ')}), chosen by the "
        "site's position; an intake at depth is colder in summer",
        note_key="note.water.sea_basin",
        note_args=args,
    )
    mean = (cold.value.central + warm.value.central) / 2
    lo = (cold.value.low + warm.value.low) / 2 - mean
    hi = (cold.value.high + warm.value.high) / 2 - mean
    inp.records["cooling.water_in_offset_k"] = InputRecord(
        "cooling.water_in_offset_k",
        Range(lo, 0.0, hi),
        "K",
        "default",
        f"{cold.citation}; {warm.citation}",
        f"the sea temperature shifted in each draw between {lo:+.1f} and {hi:+.1f} K (the sourced spread of the "
        "basin's monthly means)",
        note_key="note.water.sea_offset",
        note_args=(("low_k", round(lo, 1)), ("high_k", round(hi, 1))),
    )
    return t


LIQUID_PARAMETERS = ("liquid_share", "liquid_supply_c", "liquid_delta_t_k", "dry_cooler_approach_k")


def _liquid_inputs(p: Project, inp: _Inputs, cooling_type: str, src) -> None:
    """The liquid loop of ``liquid_closed_loop``: share, facility-water temperature, band, dry coolers."""
    c = p.cooling
    if cooling_type not in LIQUID_COOLED or inp.cooling is None or c is None:
        return
    units = {"liquid_share": "-", "liquid_supply_c": "°C", "liquid_delta_t_k": "K", "dry_cooler_approach_k": "K"}
    given = {"liquid_share": c.liquid_share, "liquid_supply_c": c.liquid_supply_c}
    for name in LIQUID_PARAMETERS:
        inp.resolve(
            f"cooling.{name}",
            given.get(name),
            units[name],
            ref.lookup("cooling_parameters", parameter=name),
            project_source=src(f"cooling.{name}"),
        )
    if c.liquid_class is not None:
        row = ref.require("ashrae_liquid_classes", **{"class": c.liquid_class})
        inp.put(
            "cooling.liquid_supply_c",
            row.value,
            "°C",
            "derived",
            f"{src('cooling')}; {row.citation}",
            f"highest facility water supply temperature of ASHRAE class {c.liquid_class}",
            "note.cooling.liquid_supply_from_class",
            liquid_class=c.liquid_class,
        )


def _pue_size_mw(p: Project, inp: _Inputs) -> float:
    """The IT power [MW] that picks the PUE default's size band: the IT capacity when known, else the
    announced power (the IT power is below it: near a band's edge the larger band is taken)."""
    rec = inp.records.get("it_capacity_mw")
    if rec is not None and isinstance(rec.value, Range):
        return rec.value.central
    if p.announced_power is not None:
        return p.announced_power.value_mw.central
    return 0.0


def _pue_default(p: Project, inp: _Inputs, cooling_type: str, year: int) -> tuple[ref.Sourced, float, str]:
    """The default PUE row for the site's cooling type, size and first year of operation (pue_defaults.csv)."""
    size_mw = _pue_size_mw(p, inp)
    row, band = ref.pue_default(cooling_type, size_mw, year)
    return row, size_mw, band


def _pue_range(p: Project, inp: _Inputs, cooling_type: str, year: int) -> tuple[Range, str]:
    """The PUE range to turn a facility power into an IT power: declared, else the default."""
    if isinstance(p.pue, Range):
        return p.pue, "declared PUE"
    d, _, band = _pue_default(p, inp, cooling_type, year)
    return d.known(), f"default PUE range for {cooling_type}, {band} ({d.citation})"


def _announced_power(p: Project, inp: _Inputs, cooling_type: str, year: int, src) -> None:
    """Record the announced power; derive the IT capacity from it when it_capacity_mw is absent.

    it: taken as is. facility: / PUE. grid_connection: / PUE, the annual PUE standing in
    for the peak PUE (higher) and no headroom assumed: the IT capacity is an upper bound,
    and the estimate flags a peak above the connection.
    """
    a = p.announced_power
    assert a is not None  # only called when the project announces a power
    source = a.source or src("announced_power")
    inp.put(
        "announced_power",
        a.value_mw,
        "MW",
        "given",
        source,
        f"announced power, basis: {a.basis}",
        f"note.announced_power.basis.{a.basis}",
    )
    if "it_capacity_mw" in inp.records:
        return  # given (or from equipment): the announced power is checked as a claim
    v = a.value_mw
    if a.basis == "it":
        inp.put(
            "it_capacity_mw",
            v,
            "MW",
            "derived",
            source,
            "the announced power is the IT power",
            "note.it_capacity.from_announced_it",
            value_mw=v.central,
        )
        return
    pue, pue_source = _pue_range(p, inp, cooling_type, year)
    it = Range(v.low / pue.high, v.central / pue.central, v.high / pue.low)
    if a.basis == "facility":
        note = f"announced facility power {v.central:g} MW / PUE {pue.low:g}-{pue.high:g} ({pue_source})"
        key = "note.it_capacity.from_announced_facility"
    else:
        note = (
            f"announced grid connection {v.central:g} MW / PUE {pue.low:g}-{pue.high:g} ({pue_source}); "
            "the annual PUE stands in for the peak PUE, which is higher, and no headroom of the connection "
            "is assumed: an upper bound of the IT power"
        )
        key = "note.it_capacity.from_announced_grid_connection"
    inp.put(
        "it_capacity_mw",
        it,
        "MW",
        "derived",
        f"{source}; {pue_source}",
        note,
        key,
        value_mw=v.central,
        pue_low=pue.low,
        pue_high=pue.high,
    )


def _ramp_up_inputs(p: Project, inp: _Inputs) -> None:
    """The IT power in service year by year (``ramp_up``), else the default shares of the first two
    years of operation (``year_<n>_utilisation``, utilisation.csv): impact/construction.py.

    The defaults are named ``year_<n>_utilisation`` so that they sort after every other ranged
    input: the Monte Carlo draws of the others stay the same with and without them.
    """
    from .construction import resolve_ramp_up

    resolve_ramp_up(p, inp, lambda field: _project_source(p, field))


def _generator_power(gen, inp: _Inputs, src) -> None:
    """Count and unit power (each may be unknown), or the installed total."""
    where = src("generators")
    if isinstance(gen.total_mw, Range):
        inp.given("generators.total_mw", gen.total_mw, "MW", where, "installed power of all the generators")
        if isinstance(gen.count, int):
            inp.given("generators.count", Range.point(gen.count), "-", where)
        return
    if gen.count is UNKNOWN:
        inp.put(
            "generators.count",
            None,
            "-",
            "unknown",
            where,
            "generators exist, their number is not published: their emissions are unknown",
            "note.generators.count_unknown",
            declared_unknown=True,
        )
    else:
        inp.given("generators.count", Range.point(gen.count), "-", where)
    if gen.unit_mw is UNKNOWN:
        inp.put(
            "generators.unit_mw",
            None,
            "MW",
            "unknown",
            where,
            "generators exist, their power is not published: their emissions are unknown",
            "note.generators.unit_unknown",
            declared_unknown=True,
        )
    else:
        inp.given("generators.unit_mw", gen.unit_mw, "MW", where)


def _generator_tests(hours, load, fuel: str, inp: _Inputs, where: str) -> None:
    """Test programme, fuel consumption and emission factor of the generators (given or defaults)."""
    inp.resolve(
        "generators.test_hours_per_year",
        hours,
        "h/yr",
        ref.lookup("generator_tests", quantity="test_hours_per_year"),
        project_source=where,
    )
    inp.resolve(
        "generators.test_load_share",
        load,
        "-",
        ref.lookup("generator_tests", quantity="test_load_share"),
        project_source=where,
    )
    engine_fuel = "diesel"  # litres per kWh: HVO burns in the same diesel engines (docs/air-quality.md)
    full = ref.require("fuel", fuel=engine_fuel, quantity="specific_consumption_full_load")
    half = ref.require("fuel", fuel=engine_fuel, quantity="specific_consumption_half_load")
    engine = ref.require("fuel", fuel=engine_fuel, quantity="specific_consumption_engine_full_load")
    fuel_range = ref.Sourced(
        Range(engine.known().central, full.known().central, half.known().central),
        "L/kWh",
        f"{engine.citation}; {full.citation}; {half.citation}",
        full.year,
        "secondary",
        "low: engine data sheet (mechanical output); central: generator at full load; high: at half load",
    )
    inp.resolve(
        "generators.fuel_l_per_kwh",
        None,
        "L/kWh",
        fuel_range,
        project_source="",
        note_key="note.generators.fuel_range",
        source_note="",
    )
    inp.resolve(
        "generators.emission_factor_kg_per_l",
        None,
        "kg CO2e/L",
        air_inputs.co2e_factor(fuel),
        project_source="",
    )
    _fuel_storage_inputs(air_inputs.storage_fuel(fuel), inp)
    _air_factors(fuel, inp)


def _fuel_storage_inputs(fuel: str, inp: _Inputs) -> None:
    """Fuel density, heating value and on-site autonomy: the thermal input and fuel stored (ICPE)."""
    inp.resolve(
        "generators.fuel_density_kg_per_l",
        None,
        "kg/L",
        ref.lookup("fuel", fuel=fuel, quantity="density"),
        project_source="",
    )
    inp.resolve(
        "generators.fuel_lhv_kwh_per_kg",
        None,
        "kWh/kg",
        ref.lookup("fuel", fuel=fuel, quantity="lower_heating_value"),
        project_source="",
    )
    row = ref.require("generator_tests", quantity="fuel_autonomy_hours")
    inp.put(
        "generators.fuel_autonomy_hours",
        row.known(),
        row.unit,
        "default",
        row.citation,
        "fuel autonomy not published: 12 h (Uptime Tier minimum) to 72 h of full load stands in for it",
        "note.icpe.autonomy_default",
    )
    ups = ref.require("ups_batteries", quantity="battery_autonomy_minutes")
    inp.put(
        "ups.battery_autonomy_minutes",
        ups.known(),
        ups.unit,
        "default",
        ups.citation,
        "UPS battery autonomy not published: 3 to 15 minutes of full IT load (5 central) stands in for it",
        "note.icpe.ups_default",
    )


def _air_factors(fuel: str, inp: _Inputs) -> None:
    """Air pollutant factors of the generators' engines and the fuel's sulphur (air_emissions.csv).

    Named ``air.*``: the engine draws them after every other ranged input, so that the Monte Carlo
    draws of the other inputs stay the same with and without them (docs/air-quality.md).
    """
    for name, unit in (
        ("nox_g_per_kwh", "g/kWh"),
        ("pm_g_per_kwh", "g/kWh"),
        ("co_g_per_kwh", "g/kWh"),
        ("density_kg_per_l", "kg/L"),
        ("sulphur_mg_per_kg", "mg/kg"),
    ):
        inp.resolve(
            f"air.{name}", None, unit, ref.require("air_emissions", fuel=fuel, quantity=name), project_source=""
        )


def _default_generator_sizing(inp: _Inputs, *, declared_unknown: bool) -> None:
    """Installed generator power / peak demand, by the redundancy of the tier, when the installed
    power is not published (the engine multiplies it by the site's peak demand)."""
    row = ref.require("totals_defaults", part="generators", quantity="installed_to_peak_ratio")
    inp.put(
        "generators.installed_to_peak_ratio",
        row.known(),
        row.unit,
        "default",
        row.citation,
        "installed power of the generators not published: the peak demand x the redundancy of the tier "
        "(low N, central N+1, high 2N) stands in for it; the real figure is needed",
        "note.totals.generators_default",
        declared_unknown=declared_unknown,
    )


def _default_refrigerant_charge(inp: _Inputs, *, declared_unknown: bool) -> None:
    """Refrigerant charge not published: kg per kW of chillers x chiller capacity per kW of IT
    (the engine multiplies them by the IT capacity)."""
    for quantity, name, key in (
        ("charge_kg_per_kw_cooling", "refrigerant.charge_kg_per_kw", "note.totals.refrigerant_charge_default"),
        (
            "chiller_capacity_to_it_ratio",
            "refrigerant.chiller_capacity_to_it_ratio",
            "note.totals.chiller_ratio_default",
        ),
    ):
        row = ref.require("totals_defaults", part="refrigerant", quantity=quantity)
        inp.put(name, row.known(), row.unit, "default", row.citation, row.note, key, declared_unknown=declared_unknown)


def _default_it_embodied(inp: _Inputs) -> None:
    """No equipment list: embodied emissions per kW of mean IT power = embodied per server / mean
    power of a server (the engine multiplies it by IT capacity x utilisation)."""
    base = ref.require("embodied_carbon", item="server", quantity="manufacturing_base")
    r740 = ref.require("embodied_carbon", item="server", quantity="manufacturing")
    power = ref.require("totals_defaults", part="equipment", quantity="server_power_kw")
    base_kg, r740_kg, kw = base.known().central, r740.known().central, power.known().central
    inp.put(
        "equipment.embodied_kg_per_kw",
        Range(base_kg / kw, (base_kg + r740_kg) / 2 / kw, r740_kg / kw),
        "kg CO2e/kW",
        "default",
        f"{base.citation}; {r740.citation}; {power.citation}",
        "no equipment list: one server per 0.237 kW of mean IT power; per server low = CCF base server, "
        "high = Dell R740 LCA, central = their middle (assumption); GPU servers: it_workload: ai",
        "note.totals.it_embodied_default",
    )
    inp.resolve(
        "it_lifetime_years",
        None,
        "yr",
        ref.lookup("embodied_carbon", item="server", quantity="lifetime"),
        project_source="",
    )


def _default_gpu_embodied(inp: _Inputs, source: str) -> None:
    """No equipment list on an AI site (``it_workload: ai``): embodied emissions per kW of IT capacity
    of 8-GPU servers (the engine multiplies it by the IT capacity: an AI site's capacity is its GPU
    servers' power, whatever their mean load). Low = an H100 server (NVIDIA's HGX H100 baseboard +
    a host) at the DGX H100's 10.2 kW; high = an A100 server (BLOOM) at 3.43 kW; central = middle."""

    def row(quantity: str):
        return ref.require("totals_defaults", part="equipment", quantity=quantity)

    a100, a100_kw = row("gpu_server_manufacturing_kg"), row("gpu_server_power_kw")
    hgx, host, h100_kw = (
        row("hgx_h100_baseboard_manufacturing_kg"),
        row("gpu_server_host_manufacturing_kg"),
        row("dgx_h100_power_kw"),
    )
    low = (hgx.known().central + host.known().central) / h100_kw.known().central
    high = a100.known().high / a100_kw.known().central
    inp.put(
        "equipment.gpu_embodied_kg_per_kw",
        Range(low, (low + high) / 2, high),
        "kg CO2e/kW",
        "default",
        "; ".join(r.citation for r in (hgx, host, h100_kw, a100, a100_kw))
        + f"; it_workload: {source or 'project file'}",
        "no equipment list, AI site (it_workload: ai): 8-GPU servers per kW of IT capacity; low = an H100 "
        "server (HGX H100 baseboard 1,312 kg + host 2,500 kg) per 10.2 kW, high = an A100 server (BLOOM, "
        "3,700 kg) per 3.43 kW, central = their middle (assumption)",
        "note.gpu.embodied_default",
    )
    inp.resolve(
        "it_lifetime_years",
        None,
        "yr",
        ref.lookup("embodied_carbon", item="server", quantity="lifetime"),
        project_source="",
    )


def _default_building_embodied(b, inp: _Inputs, src) -> None:
    """Building's embodied emissions not published: kg per m2 x floor area (the IT rooms' area, a
    lower bound, when the floor area is not given); unknown without either."""
    row = ref.require("totals_defaults", part="building", quantity="embodied_kg_per_m2")
    floor = getattr(b, "floor_area_m2", None)
    it_floor = getattr(b, "it_floor_area_m2", None)
    if isinstance(floor, Range):
        inp.given(
            "building.embodied_area_m2",
            floor,
            "m2",
            src("building"),
            "floor area of the building",
            note_key="note.totals.floor_area_given",
        )
    elif isinstance(it_floor, Range):
        inp.put(
            "building.embodied_area_m2",
            it_floor,
            "m2",
            "derived",
            src("building"),
            "floor area not given: the IT rooms' area stands in for it (a lower bound)",
            "note.totals.area_from_it_rooms",
        )
    else:
        inp.put(
            "building.embodied_tco2e",
            None,
            "t CO2e",
            "unknown",
            "",
            "neither the building's embodied emissions nor its floor area are given",
            "note.totals.building_unknown",
            source_key="source.not_given",
        )
        return
    inp.put(
        "building.embodied_kg_per_m2",
        row.known(),
        row.unit,
        "default",
        row.citation,
        row.note,
        "note.totals.building_embodied_default",
        declared_unknown=getattr(b, "embodied_tco2e", None) is UNKNOWN,
    )


def _water_rise(p: Project, inp: _Inputs) -> None:
    """The return warmer than the intake in every draw, also when an assumption sets one of them
    (the project's own fields are checked when it is read)."""
    from .errors import InputError, Said
    from .project import check_water_rise, project_path

    keys = ("cooling.water_in_c", "cooling.water_out_c")
    try:
        check_water_rise(inp.records[keys[0]].value, inp.records[keys[1]].value)
    except ValueError as exc:
        path = project_path(p)
        field = "assumptions" if inp.used_assumptions.intersection(keys) else "cooling"
        raise InputError(path.name if path else "<project>", [(field, Said.of(exc))]) from None


#: The cooling loop behind river or sea water: its temperatures (the outlet the water can reach,
#: impact.model.heat.reachable_outlet_c) and the distribution losses in the heat it carries.
WATER_LOOP_PARAMETERS = ("supply_c", "approach_k", "band_k", "hx_approach_k", "distribution_share")


def _water_loop_inputs(inp: _Inputs, cooling_type: str) -> None:
    """The loop parameters of a river or sea cooled site, also when the hourly model cannot run:
    the same heat balance (and second-law check of the outlet) holds with or without it."""
    if cooling_type not in WATER_COOLED:
        return
    for name in WATER_LOOP_PARAMETERS:
        if f"cooling.{name}" not in inp.records:
            row = ref.lookup("cooling_parameters", parameter=name)
            inp.resolve(f"cooling.{name}", None, "", row, project_source="")


def _noise_inputs(p: Project, inp: _Inputs, where: str) -> None:
    """Receptor, residual levels and sound powers (declared, else data/reference/noise.csv), and the
    propagation's terms (ISO 9613-2; ground and barrier as stated assumptions)."""
    nz = p.noise
    for name, unit in (("receptor_distance_m", "m"), ("residual_day_dba", "dB(A)"), ("residual_night_dba", "dB(A)")):
        given = getattr(nz, name) if nz is not None else None
        inp.resolve(
            f"noise.{name}",
            given,
            unit,
            None,
            project_source=where,
            missing_note="not given",
            source_key="source.not_given",
        )
    plant = nz.plant_sound_power_dba if nz is not None else None
    if isinstance(plant, Range):
        inp.given("noise.plant_sound_power_dba", plant, "dB(A)", where)
    else:
        inp.resolve(
            "noise.cooling_sound_power_per_mw_dba",
            None,
            "dB(A)",
            ref.require("noise", quantity="sound_power_per_mw_dba", equipment=noise_inputs.cooling_equipment(p)),
            project_source="",
        )
    gen = nz.generator_sound_power_dba if nz is not None else None
    inp.resolve(
        "noise.generator_sound_power_dba",
        gen,
        "dB(A)",
        ref.require("noise", quantity="sound_power_dba", equipment="generator_in_test"),
        project_source=where,
    )
    for name, quantity, equipment, unit in (
        ("noise.generators_tested_together", "generators_tested_together", "generator_in_test", "-"),
        ("noise.air_absorption_db_per_km", "air_absorption_db_per_km", "air", "dB/km"),
    ):
        inp.resolve(name, None, unit, ref.require("noise", quantity=quantity, equipment=equipment), project_source="")
    noise_inputs.resolve(p, inp, where)  # ground, heights, screen, boundary (impact/noise_inputs.py)


def _fixed(value: float, unit: str, source: str, note: str = "") -> ref.Sourced:
    return ref.Sourced(Range.point(value), unit, source, "", "assumption", note)


def _project_source(project: Project, field: str) -> str:
    """The citation of a given input: the project's ``sources:`` entry if any."""
    sources = project.sources or {}
    head = field.split(".")[0]
    return sources.get(field) or sources.get(head) or "project file"


def _grid_intensity(p: Project, inp: _Inputs, year: int, src) -> None:
    """``grid.carbon_intensity_g_per_kwh`` (default: the consumption mix, life cycle, whose low value
    is the direct emissions of production) and ``grid.carbon_intensity_direct_g_per_kwh``, the direct
    figure alone, shown beside it as a low bound (see :func:`impact.sources.reference.grid_carbon_factors`)."""
    from dataclasses import replace

    g = p.grid
    factors = ref.grid_carbon_factors(p.country, year)
    name = "grid.carbon_intensity_g_per_kwh"
    inp.resolve(
        name,
        g.carbon_intensity_g_per_kwh if g else None,
        "g CO2e/kWh",
        factors.central,
        project_source=src(name),
        missing_note=factors.note,
        source_note="",  # factors.note is impact's own words, said by the note key below
    )
    rec = inp.records[name]
    if rec.status == "default" and factors.basis:
        direct = factors.direct
        args: tuple[tuple[str, Any], ...] = (("year", factors.year),)
        key = f"note.grid.basis.{factors.basis}"
        if direct is not None and direct.value is not None and factors.basis != "direct":
            args += (("direct", direct.value.central), ("direct_year", direct.year))
            key += ".low"
        inp.records[name] = replace(rec, note_key=key, note_args=args)
    inp.resolve(
        "grid.carbon_intensity_direct_g_per_kwh",
        None,
        "g CO2e/kWh",
        factors.direct,
        project_source="",
        missing_note=f"no direct-emission figure of production is known for {p.country}",
        note_key="note.grid.direct",
        note_args=(("country", p.country),),
        source_key="" if factors.direct else "source.missing.grid_direct",
        source_note="",  # the year used is impact's own words: in the source's citation
    )


def resolve_inputs(project: Project, data=None) -> _Inputs:
    """Every input of the model, given, defaulted or unknown, with its source.

    ``data``: the run's :class:`impact.project_data.DataFiles`, where the project's data files are
    read and parsed once (a new one when None).
    """
    from .project_data import DataFiles

    data = data if data is not None else DataFiles()
    p = project
    inp = _Inputs(p.assumptions, p.sources)
    src = lambda field: _project_source(p, field)  # noqa: E731

    # --- year and country ------------------------------------------------------
    if p.year is not None:
        year = p.year
        inp.given("year", str(year), "-", src("year"))
    else:
        years = [
            int(r["year"])
            for r in ref.read_reference_table("grid_carbon_intensity")
            if r["country"] == p.country and r["value"].strip()
        ]
        year = max(years) if years else 2024
        inp.records["year"] = InputRecord(
            "year",
            str(year),
            "-",
            "default",
            "latest year of the reference tables for this country",
            "not given",
            note_key="note.not_given",
            source_key="source.latest_year",
        )

    # --- IT capacity ------------------------------------------------------------
    if p.equipment:
        lows = [e.power_kw.low for e in p.equipment]
        cens = [e.power_kw.central for e in p.equipment]
        highs = [e.power_kw.high for e in p.equipment]
        counts = [e.count for e in p.equipment]
        cap = Range(
            energy.it_capacity_from_equipment_mw(counts, lows),
            energy.it_capacity_from_equipment_mw(counts, cens),
            energy.it_capacity_from_equipment_mw(counts, highs),
        )
        inp.records["it_capacity_mw"] = InputRecord(
            "it_capacity_mw",
            cap,
            "MW",
            "derived",
            src("equipment"),
            "sum of count x power_kw of the equipment list",
            note_key="note.it_capacity.equipment",
            source_key="source.project_file" if src("equipment") == "project file" else "",
        )
    elif isinstance(p.it_capacity_mw, Range):
        inp.given("it_capacity_mw", p.it_capacity_mw, "MW", src("it_capacity_mw"))
    # else: derived from announced_power once the PUE is known (below)

    inp.resolve(
        "utilisation", p.utilisation, "-", ref.lookup("utilisation", scope="default"), project_source=src("utilisation")
    )
    _ramp_up_inputs(p, inp)

    # --- cooling and PUE ----------------------------------------------------------
    cooling_type = p.cooling.type if p.cooling else "unknown"
    if p.cooling:
        inp.given("cooling.type", cooling_type, "-", src("cooling"))
    else:
        inp.records["cooling.type"] = InputRecord(
            "cooling.type",
            "unknown",
            "-",
            "unknown",
            "not given",
            "generic PUE and WUE ranges apply",
            note_key="note.cooling_type.unknown",
            source_key="source.not_given",
        )
    inp.resolve(
        "wue_l_per_kwh",
        p.wue_l_per_kwh,
        "L/kWh",
        ref.lookup("wue_defaults", cooling_type=cooling_type),
        project_source=src("wue_l_per_kwh"),
    )

    if cooling_type in WATER_COOLED:
        c = p.cooling
        assert c is not None  # cooling_type is the declared cooling's type
        medium = "fresh water" if cooling_type == "river" else "sea water"
        inp.resolve(
            "cooling.water_flow_m3_per_h",
            c.water_flow_m3_per_h,
            "m3/h",
            None,
            project_source=src("cooling.water_flow_m3_per_h"),
            missing_note="not given: the volume is derived from the heat to carry away",
            source_key="source.missing.water_flow",
        )
        inp.resolve(
            "cooling.water_in_c",
            c.water_in_c,
            "°C",
            None,
            project_source=src("cooling.water_in_c"),
            missing_note="not given",
            source_key="source.not_given",
        )
        inp.resolve(
            "cooling.water_out_c",
            c.water_out_c,
            "°C",
            None,
            project_source=src("cooling.water_out_c"),
            missing_note="not given",
            source_key="source.not_given",
        )
        _water_rise(p, inp)
        inp.resolve(
            "cooling.coverage_share",
            c.coverage_share,
            "-",
            _fixed(1.0, "-", "assumption: without a stated share, all the heat goes to the water (upper bound)"),
            project_source=src("cooling.coverage_share"),
            source_key="source.assumption.coverage_share",
        )
        inp.resolve(
            "water_density_kg_per_m3",
            None,
            "kg/m3",
            ref.lookup("physical_constants", quantity="density", medium=medium),
            project_source="",
        )
        inp.resolve(
            "water_specific_heat_j_per_kg_k",
            None,
            "J/(kg K)",
            ref.lookup("physical_constants", quantity="specific_heat", medium=medium),
            project_source="",
        )
        for k in ("water_density_kg_per_m3", "water_specific_heat_j_per_kg_k"):
            rec = inp.records[k]
            inp.records[k] = InputRecord(
                k,
                rec.value,
                rec.unit,
                "default",
                rec.source,
                f"property of {medium}",
                note_key=f"note.water_property.{cooling_type}",
                source_note=rec.source_note,
            )

    _cooling_model_inputs(p, inp, cooling_type, year, src, data)
    _water_loop_inputs(inp, cooling_type)
    if isinstance(p.pue, Range) or inp.cooling is None:
        pue_row, pue_size_mw, pue_band = _pue_default(p, inp, cooling_type, year)
        inp.resolve(
            "pue",
            p.pue,
            "-",
            pue_row,
            project_source=src("pue"),
            note=""
            if p.pue is not None
            else f"default range for cooling type '{cooling_type}', {pue_band} "
            f"(the hourly model could not run: {inp.cooling_note})",
            note_key="" if p.pue is not None else "note.pue.default_band",
            note_args=(("cooling_type", cooling_type), ("first_year", str(year)), ("it_mw", round(pue_size_mw, 1))),
        )
    else:
        inp.records["pue"] = InputRecord(
            "pue",
            "modelled hour by hour",
            "-",
            "derived",
            "hourly cooling model (impact.model.cooling)",
            "declared unknown in the project file" if p.pue is UNKNOWN else "not given",
            p.pue is UNKNOWN,
            note_key="note.declared_unknown" if p.pue is UNKNOWN else "note.not_given",
            value_key="value.pue.modelled",
            source_key="source.cooling_model",
        )

    _liquid_inputs(p, inp, cooling_type, src)
    if p.announced_power is not None:
        _announced_power(p, inp, cooling_type, year, src)

    # --- grid -----------------------------------------------------------------------
    g = p.grid
    _grid_intensity(p, inp, year, src)
    inp.resolve(
        "grid.renewable_contract_share",
        g.renewable_contract_share if g else None,
        "-",
        _fixed(0.0, "-", "none declared: no renewable contract is counted"),
        project_source=src("grid.renewable_contract_share"),
        source_key="source.none_declared.contract",
    )
    loc = inp.records["grid.carbon_intensity_g_per_kwh"]
    residual_default = None
    if isinstance(loc.value, Range):  # resolve() records a Range or None
        residual_default = ref.Sourced(
            loc.value,
            loc.unit,
            loc.source,
            "",
            "assumption",
            "residual mix not known: the location-based intensity stands in for it (a residual mix is usually higher)",
        )
    inp.resolve(
        "grid.residual_mix_g_per_kwh",
        g.residual_mix_g_per_kwh if g else None,
        "g CO2e/kWh",
        residual_default,
        project_source=src("grid.residual_mix_g_per_kwh"),
        note_key="note.residual_mix.location",
        source_note="",
    )
    ewif = ref.lookup("water_intensity_electricity", country=p.country)
    inp.resolve(
        "ewif_l_per_kwh",
        None,
        "L/kWh",
        ewif,
        project_source="",
        missing_note=f"no water intensity of electricity is known for {p.country}",
        source_key="" if ewif else "source.missing.ewif",  # the table's citation when it has a row
        note_args=(("country", p.country),),
    )

    # --- generators -----------------------------------------------------------------
    gen = p.generators
    if gen is not None and not isinstance(gen, Unknown):  # Unknown: the singleton UNKNOWN
        _generator_power(gen, inp, src)
        if not isinstance(gen.total_mw, Range) and not (
            isinstance(gen.count, int) and isinstance(gen.unit_mw, Range)
        ):  # the installed power cannot be computed from what is published
            _default_generator_sizing(inp, declared_unknown=True)
        _generator_tests(gen.test_hours_per_year, gen.test_load_share, gen.fuel, inp, src("generators"))
        air_inputs.outage_hours(gen.outage_scenario_hours, inp, src("generators"))
    else:
        _default_generator_sizing(inp, declared_unknown=gen is UNKNOWN)
        _generator_tests(None, None, "diesel", inp, "")
    declared_storage(p, inp, src)  # ICPE: declared autonomy and fuel stock

    _noise_inputs(p, inp, src("noise"))

    # --- refrigerant -------------------------------------------------------------------
    rf = p.refrigerant
    if isinstance(rf, Unknown):  # the singleton UNKNOWN
        rf = None
    if rf is not None and rf.type == NO_REFRIGERANT:
        inp.put(
            "refrigerant.type",
            "none",
            "-",
            "given",
            src("refrigerant"),
            "no refrigerant declared: no leak emissions",
            "note.refrigerant.none",
        )
    elif rf is not None:
        inp.given("refrigerant.type", rf.type, "-", src("refrigerant"))
        if isinstance(rf.charge_kg, Range):
            inp.given("refrigerant.charge_kg", rf.charge_kg, "kg", src("refrigerant"))
        else:  # not published: a charge per kW of chillers scaled to the site
            _default_refrigerant_charge(inp, declared_unknown=rf.charge_kg is UNKNOWN)
        inp.resolve(
            "refrigerant.leak_rate_per_year",
            rf.leak_rate_per_year,
            "1/yr",
            ref.lookup("refrigerant_leaks", equipment="chillers"),
            project_source=src("refrigerant"),
        )
        inp.resolve("refrigerant.gwp", None, "kg CO2e/kg", ref.refrigerant_gwp(rf.type, "AR6"), project_source="")
    else:  # nothing published: a default refrigerant, its charge scaled to the site
        declared = p.refrigerant is UNKNOWN
        gwp = ref.require("totals_defaults", part="refrigerant", quantity="gwp_default")
        inp.put(
            "refrigerant.type",
            "R134a",
            "-",
            "default",
            gwp.citation,
            "refrigerant not published: R134a (the refrigerant of the charge data) stands in for it; "
            "its GWP runs down to R1234ze(E)'s",
            "note.totals.refrigerant_type_default",
            declared_unknown=declared,
        )
        _default_refrigerant_charge(inp, declared_unknown=declared)
        inp.resolve(
            "refrigerant.leak_rate_per_year",
            None,
            "1/yr",
            ref.lookup("refrigerant_leaks", equipment="chillers"),
            project_source="",
        )
        inp.put(
            "refrigerant.gwp",
            gwp.known(),
            gwp.unit,
            "default",
            gwp.citation,
            "refrigerant not published: low = R1234ze(E), central and high = R134a (IPCC AR6)",
            "note.totals.refrigerant_gwp_default",
            declared_unknown=declared,
        )

    # --- embodied --------------------------------------------------------------------------
    if p.equipment:
        base = ref.require("embodied_carbon", item="server", quantity="manufacturing_base")
        r740 = ref.require("embodied_carbon", item="server", quantity="manufacturing")
        base_kg, r740_kg = base.known().central, r740.known().central
        per_unit = Range(base_kg, (base_kg + r740_kg) / 2, r740_kg)
        low_t = central_t = high_t = 0.0
        given_all = True
        for e in p.equipment:
            u = e.embodied_kgco2e if isinstance(e.embodied_kgco2e, Range) else per_unit
            given_all &= isinstance(e.embodied_kgco2e, Range)
            low_t += e.count * u.low / 1000.0
            central_t += e.count * u.central / 1000.0
            high_t += e.count * u.high / 1000.0
        source = src("equipment") if given_all else f"{base.citation}; {r740.citation}"
        inp.records["equipment.embodied_t"] = InputRecord(
            "equipment.embodied_t",
            Range(low_t, central_t, high_t),
            "t CO2e",
            "given" if given_all else "default",
            source,
            ""
            if given_all
            else "per unit: low = CCF base server, high = Dell R740 LCA, central = their middle "
            "(assumption); GPUs and storage beyond these are not counted",
            note_key="" if given_all else "note.equipment.embodied_default",
            source_key="source.project_file" if given_all and source == "project file" else "",
        )
        inp.resolve(
            "it_lifetime_years",
            None,
            "yr",
            ref.lookup("embodied_carbon", item="server", quantity="lifetime"),
            project_source="",
        )
    elif p.it_workload == "ai":  # no equipment list, GPU servers: from the site's IT capacity
        _default_gpu_embodied(inp, src("it_workload"))
    else:  # no equipment list: servers from the site's mean IT power
        _default_it_embodied(inp)
    b = p.building
    if b is not None and isinstance(b.embodied_tco2e, Range):
        inp.given("building.embodied_tco2e", b.embodied_tco2e, "t CO2e", src("building"))
    else:  # not published: a sourced figure per m2 of floor area
        _default_building_embodied(b, inp, src)
    inp.resolve(
        "lifetime_years",
        p.lifetime_years,
        "yr",
        ref.lookup("totals_defaults", part="building", quantity="lifetime_years"),
        project_source=src("lifetime_years"),
        note_key="note.totals.lifetime_default",
        source_note="",
    )

    # --- heat, land, equivalences --------------------------------------------------------
    if p.heat_reuse_share is UNKNOWN:
        inp.put(
            "heat_reuse_share",
            None,
            "-",
            "unknown",
            src("heat_reuse_share"),
            "heat reuse announced, share not published: the heat rejected is an upper bound (no reuse counted)",
            "note.heat_reuse_share.unknown",
            declared_unknown=True,
        )
    else:
        inp.resolve(
            "heat_reuse_share",
            p.heat_reuse_share,
            "-",
            _fixed(0.0, "-", "none declared: no heat is counted as reused"),
            project_source=src("heat_reuse_share"),
            source_key="source.none_declared.heat_reuse",
        )
    inp.resolve(
        "heating_per_home_mwh",
        None,
        "MWh/yr",
        ref.lookup("equivalences", country=p.country, quantity="heating_per_home"),
        project_source="",
        missing_note=f"no heating demand per home is known for {p.country}",
        source_key="source.missing.heating_per_home",
        note_args=(("country", p.country),),
    )
    from .local_context import heating_per_home_for_site

    heating_per_home_for_site(inp, p.country)  # the site's climate, by degree-days (docs/local-figures.md)
    inp.resolve(
        "building.site_area_m2",
        b.site_area_m2 if b else None,
        "m2",
        None,
        project_source=src("building"),
        missing_note="not given",
        source_key="source.not_given",
    )
    inp.resolve(
        "building.artificialised_m2",
        b.artificialised_m2 if b else None,
        "m2",
        None,
        project_source=src("building"),
        missing_note="not given",
        source_key="source.not_given",
    )
    inp.resolve(
        "household_electricity_kwh",
        None,
        "kWh/yr",
        ref.lookup("equivalences", country=p.country, quantity="household_electricity"),
        project_source="",
        missing_note=f"no household electricity figure is known for {p.country}",
        source_key="source.missing.household_electricity",
        note_args=(("country", p.country),),
    )
    inp.resolve(
        "domestic_water_l_per_day",
        None,
        "L/day",
        ref.lookup("equivalences", country=p.country, quantity="domestic_water_per_inhabitant"),
        project_source="",
        missing_note=f"no domestic water figure is known for {p.country}",
        source_key="source.missing.domestic_water",
        note_args=(("country", p.country),),
    )
    # --- the site's commune and territories, and their electricity ----------------------
    from .local_context import resolve_local_context
    from .site import place_site

    inp.site = place_site(p)
    resolve_local_context(p, inp.site, inp)
    from .water_resource import resolve_water_resource

    resolve_water_resource(p, inp)  # issue 13, item 6
    from .heatreuse import resolve_heat_reuse

    resolve_heat_reuse(p, inp)  # issue 13, item 5
    from .construction import resolve_construction

    resolve_construction(p, inp, src)  # issue 13, item 7
    # --- the participation procedure -----------------------------------------------------
    from .procedure import resolve_procedure

    inp.procedure = resolve_procedure(p)
    for rec in inp.procedure.records(src("procedure")):
        inp.records[rec.name] = rec

    # --- data files (grid.eco2mix, land.parcels): loaded in impact/project_data.py --------
    from . import project_data

    project_data.apply_to_inputs(p, inp, data)

    unused: list[str] = sorted(set(p.assumptions) - inp.used_assumptions)
    if unused:
        from .errors import InputError
        from .project import project_path

        path = project_path(p)
        allowed = ", ".join(
            sorted(
                k
                for k, r in inp.records.items()
                if (r.status == "default" and isinstance(r.value, Range)) or k in inp.used_assumptions
            )
        )
        raise InputError(
            path.name if path else "<project>",
            [(f"assumptions.{k}", f"is not an input with a default here; expected one of: {allowed}") for k in unused],
        )
    return inp
