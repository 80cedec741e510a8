"""From a project to its results: resolve every input, then run the model.

Each input is taken from the project file when given, otherwise from a sourced
reference table (and recorded as a default), otherwise left unknown. The model
runs once on central values and once, vectorised, on seeded Monte Carlo draws
of every ranged input; an indicator's low / high are the 5th / 95th percentiles.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from . import __version__, project_data
from .indicators import INDICATORS
from .model import carbon, energy, equivalences, heat, uncertainty, water
from .project import WATER_COOLED, Project, project_text
from .ranges import UNKNOWN, Range
from .results import Indicator, InputRecord, Results, clean_number
from .sources import reference as ref

DEFAULT_DRAWS = 2000
DEFAULT_SEED = 20240916  # the day MRS5's inquiry was called out; any fixed seed would do


class _Inputs:
    """Collects every input with its status and source while resolving them."""

    def __init__(self) -> None:
        self.records: dict[str, InputRecord] = {}

    def given(self, name: str, value: Any, unit: str, source: str, note: str = "") -> None:
        self.records[name] = InputRecord(name, value, unit, "given", source, note)

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
    ) -> None:
        """Record ``given`` if it is a value, else ``default``, else unknown."""
        declared_unknown = given is UNKNOWN
        if isinstance(given, Range):
            self.records[name] = InputRecord(name, given, unit, "given", project_source, note)
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
            )
        else:
            reason = (default.source if default is not None else "") or missing_note or "no source found"
            self.records[name] = InputRecord(name, None, unit, "unknown", reason, note, declared_unknown)

    def ranges(self) -> dict[str, Range]:
        return {k: r.value for k, r in self.records.items() if isinstance(r.value, Range)}


def _fixed(value: float, unit: str, source: str, note: str = "") -> ref.Sourced:
    return ref.Sourced(Range.point(value), unit, source, "", "assumption", note)


def _project_source(project: Project, field: str) -> str:
    """The citation of a given input: the project's ``sources:`` entry if any."""
    sources = project.sources or {}
    head = field.split(".")[0]
    return sources.get(field) or sources.get(head) or "project file"


def resolve_inputs(project: Project) -> _Inputs:
    """Every input of the model, given, defaulted or unknown, with its source."""
    p = project
    inp = _Inputs()
    src = lambda field: _project_source(p, field)  # noqa: E731

    # --- year and country ------------------------------------------------------
    if p.year is not None:
        year = p.year
        inp.given("year", str(year), "-", src("year"))
    else:
        years = [int(r["year"]) for r in ref.read_reference_table("grid_carbon_intensity") if r["country"] == p.country]
        year = max(years) if years else 2024
        inp.records["year"] = InputRecord(
            "year", str(year), "-", "default", "latest year of the reference tables for this country", "not given"
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
            "it_capacity_mw", cap, "MW", "derived", src("equipment"), "sum of count x power_kw of the equipment list"
        )
    else:
        inp.given("it_capacity_mw", p.it_capacity_mw, "MW", src("it_capacity_mw"))

    inp.resolve("utilisation", p.utilisation, "-", ref.lookup("utilisation", scope="default"),
                project_source=src("utilisation"))

    # --- cooling and PUE ----------------------------------------------------------
    cooling_type = p.cooling.type if p.cooling else "unknown"
    if p.cooling:
        inp.given("cooling.type", cooling_type, "-", src("cooling"))
    else:
        inp.records["cooling.type"] = InputRecord(
            "cooling.type", "unknown", "-", "unknown", "not given", "generic PUE and WUE ranges apply"
        )
    inp.resolve("pue", p.pue, "-", ref.lookup("pue_defaults", cooling_type=cooling_type),
                project_source=src("pue"), note="" if p.pue is not None else f"benchmark range for cooling type '{cooling_type}'")
    inp.resolve("wue_l_per_kwh", p.wue_l_per_kwh, "L/kWh", ref.lookup("wue_defaults", cooling_type=cooling_type),
                project_source=src("wue_l_per_kwh"))

    if cooling_type in WATER_COOLED:
        c = p.cooling
        medium = "fresh water" if cooling_type == "river" else "sea water"
        inp.resolve("cooling.water_flow_m3_per_h", c.water_flow_m3_per_h, "m3/h", None,
                    project_source=src("cooling.water_flow_m3_per_h"),
                    missing_note="not given: the volume is derived from the heat to carry away")
        inp.resolve("cooling.water_in_c", c.water_in_c, "°C", None, project_source=src("cooling.water_in_c"),
                    missing_note="not given")
        inp.resolve("cooling.water_out_c", c.water_out_c, "°C", None, project_source=src("cooling.water_out_c"),
                    missing_note="not given")
        inp.resolve("cooling.coverage_share", c.coverage_share, "-",
                    _fixed(1.0, "-", "assumption: without a stated share, all the heat goes to the water (upper bound)"),
                    project_source=src("cooling.coverage_share"))
        inp.resolve("water_density_kg_per_m3", None, "kg/m3", ref.lookup("physical_constants", quantity="density", medium=medium),
                    project_source="")
        inp.resolve("water_specific_heat_j_per_kg_k", None, "J/(kg K)",
                    ref.lookup("physical_constants", quantity="specific_heat", medium=medium), project_source="")
        for k in ("water_density_kg_per_m3", "water_specific_heat_j_per_kg_k"):
            rec = inp.records[k]
            inp.records[k] = InputRecord(k, rec.value, rec.unit, "default", rec.source, f"property of {medium}")

    # --- grid -----------------------------------------------------------------------
    g = p.grid
    intensity, intensity_note = ref.grid_carbon_intensity(p.country, year)
    inp.resolve("grid.carbon_intensity_g_per_kwh", g.carbon_intensity_g_per_kwh if g else None, "g CO2e/kWh",
                intensity, project_source=src("grid.carbon_intensity_g_per_kwh"), missing_note=intensity_note)
    inp.resolve("grid.renewable_contract_share", g.renewable_contract_share if g else None, "-",
                _fixed(0.0, "-", "none declared: no renewable contract is counted"),
                project_source=src("grid.renewable_contract_share"))
    loc = inp.records["grid.carbon_intensity_g_per_kwh"]
    residual_default = None
    if loc.value is not None:
        residual_default = ref.Sourced(
            loc.value, loc.unit, loc.source, "", "assumption",
            "residual mix not known: the location-based intensity stands in for it (a residual mix is usually higher)",
        )
    inp.resolve("grid.residual_mix_g_per_kwh", g.residual_mix_g_per_kwh if g else None, "g CO2e/kWh",
                residual_default, project_source=src("grid.residual_mix_g_per_kwh"))
    inp.resolve("ewif_l_per_kwh", None, "L/kWh", ref.lookup("water_intensity_electricity", country=p.country),
                project_source="", missing_note=f"no water intensity of electricity is known for {p.country}")

    # --- generators -----------------------------------------------------------------
    gen = p.generators
    if gen is not None:
        inp.given("generators.count", Range.point(gen.count), "-", src("generators"))
        inp.given("generators.unit_mw", gen.unit_mw, "MW", src("generators"))
        inp.resolve("generators.test_hours_per_year", gen.test_hours_per_year, "h/yr",
                    ref.lookup("generator_tests", quantity="test_hours_per_year"), project_source=src("generators"))
        inp.resolve("generators.test_load_share", gen.test_load_share, "-",
                    ref.lookup("generator_tests", quantity="test_load_share"), project_source=src("generators"))
        full = ref.lookup("fuel", fuel=gen.fuel, quantity="specific_consumption_full_load")
        half = ref.lookup("fuel", fuel=gen.fuel, quantity="specific_consumption_half_load")
        engine = ref.lookup("fuel", fuel=gen.fuel, quantity="specific_consumption_engine_full_load")
        fuel_range = ref.Sourced(
            Range(engine.value.central, full.value.central, half.value.central), "L/kWh",
            f"{engine.citation}; {full.citation}; {half.citation}", full.year, "secondary",
            "low: engine data sheet (mechanical output); central: generator at full load; high: at half load",
        )
        inp.resolve("generators.fuel_l_per_kwh", None, "L/kWh", fuel_range, project_source="")
        inp.resolve("generators.emission_factor_kg_per_l", None, "kg CO2e/L",
                    ref.lookup("fuel", fuel=gen.fuel, quantity="emission_factor"), project_source="")
    else:
        inp.records["generators"] = InputRecord(
            "generators", None, "-", "unknown", "not described in the project file",
            "number and power of the backup generators are needed for their emissions",
        )

    # --- refrigerant -------------------------------------------------------------------
    rf = p.refrigerant
    if rf is not None:
        inp.given("refrigerant.type", rf.type, "-", src("refrigerant"))
        inp.resolve("refrigerant.charge_kg", rf.charge_kg, "kg", None, project_source=src("refrigerant"),
                    missing_note="not published: the refrigerant charge is needed for leak emissions")
        inp.resolve("refrigerant.leak_rate_per_year", rf.leak_rate_per_year, "1/yr",
                    ref.lookup("refrigerant_leaks", equipment="chillers"), project_source=src("refrigerant"))
        inp.resolve("refrigerant.gwp", None, "kg CO2e/kg", ref.refrigerant_gwp(rf.type, "AR6"), project_source="")
    else:
        inp.records["refrigerant"] = InputRecord(
            "refrigerant", None, "-", "unknown", "not described in the project file",
            "type and charge of the refrigerant are needed for leak emissions",
        )

    # --- embodied --------------------------------------------------------------------------
    if p.equipment:
        base = ref.lookup("embodied_carbon", item="server", quantity="manufacturing_base")
        r740 = ref.lookup("embodied_carbon", item="server", quantity="manufacturing")
        per_unit = Range(base.value.central, (base.value.central + r740.value.central) / 2, r740.value.central)
        lows = cens = highs = 0.0
        given_all = True
        for e in p.equipment:
            u = e.embodied_kgco2e if isinstance(e.embodied_kgco2e, Range) else per_unit
            given_all &= isinstance(e.embodied_kgco2e, Range)
            lows += e.count * u.low / 1000.0
            cens += e.count * u.central / 1000.0
            highs += e.count * u.high / 1000.0
        source = src("equipment") if given_all else f"{base.citation}; {r740.citation}"
        inp.records["equipment.embodied_t"] = InputRecord(
            "equipment.embodied_t", Range(lows, cens, highs), "t CO2e", "given" if given_all else "default", source,
            "" if given_all else "per unit: low = CCF base server, high = Dell R740 LCA, central = their middle "
            "(assumption); GPUs and storage beyond these are not counted",
        )
        inp.resolve("it_lifetime_years", None, "yr", ref.lookup("embodied_carbon", item="server", quantity="lifetime"),
                    project_source="")
    else:
        inp.records["equipment.embodied_t"] = InputRecord(
            "equipment.embodied_t", None, "t CO2e", "unknown",
            "no equipment list: the number of servers is not known",
            "give an equipment list to estimate the IT equipment's embodied emissions",
        )
    b = p.building
    inp.resolve("building.embodied_tco2e", b.embodied_tco2e if b else None, "t CO2e",
                ref.lookup("embodied_carbon", item="building"), project_source=src("building"))
    inp.resolve("lifetime_years", p.lifetime_years, "yr", None, project_source=src("lifetime_years"),
                missing_note="not given: the building's service life is needed to spread its embodied emissions")

    # --- heat, land, equivalences --------------------------------------------------------
    inp.resolve("heat_reuse_share", p.heat_reuse_share, "-",
                _fixed(0.0, "-", "none declared: no heat is counted as reused"), project_source=src("heat_reuse_share"))
    inp.resolve("heating_per_home_mwh", None, "MWh/yr",
                ref.lookup("equivalences", country=p.country, quantity="heating_per_home"), project_source="",
                missing_note=f"no heating demand per home is known for {p.country}")
    inp.resolve("building.site_area_m2", b.site_area_m2 if b else None, "m2", None, project_source=src("building"),
                missing_note="not given")
    inp.resolve("building.artificialised_m2", b.artificialised_m2 if b else None, "m2", None,
                project_source=src("building"), missing_note="not given")
    inp.resolve("household_electricity_kwh", None, "kWh/yr",
                ref.lookup("equivalences", country=p.country, quantity="household_electricity"), project_source="",
                missing_note=f"no household electricity figure is known for {p.country}")
    inp.resolve("domestic_water_l_per_day", None, "L/day",
                ref.lookup("equivalences", country=p.country, quantity="domestic_water_per_inhabitant"),
                project_source="", missing_note=f"no domestic water figure is known for {p.country}")
    city = (p.city or "").strip()
    for key, quantity in (("city.annual_electricity_mwh", "annual_electricity"),
                          ("city.peak_demand_mw", "peak_electricity_demand")):
        found = ref.lookup("city_context", city=city, country=p.country, quantity=quantity) if city else None
        inp.resolve(key, None, "", found, project_source="",
                    missing_note=f"no sourced figure for {city or 'the city (not given)'}")

    # --- data files (grid.eco2mix, land.parcels): loaded in impact/project_data.py --------
    project_data.apply_to_inputs(p, inp)
    return inp


# ------------------------------------------------------------------------------ model run


@dataclass
class _Spec:
    deps: tuple[str, ...]
    method: str


def _run(v: dict[str, Any], cooling_type: str, flow_given: bool) -> tuple[dict[str, Any], dict[str, _Spec]]:
    """Run the model on values ``v`` (scalars or arrays); missing keys are unknown."""
    out: dict[str, Any] = {}
    spec: dict[str, _Spec] = {}

    def put(name: str, deps: tuple[str, ...], fn: Callable, method: str) -> None:
        spec[name] = _Spec(deps, method)
        out[name] = fn(*[v[d] for d in deps]) if all(d in v for d in deps) else None

    def alias(name: str, value_key: str, method: str) -> None:
        put(name, (value_key,), lambda x: x, method)

    put("it_energy_mwh", ("it_capacity_mw", "utilisation"), energy.it_energy_mwh,
        "IT capacity x utilisation x 8760 h")
    v["it_energy_mwh"] = out["it_energy_mwh"]
    put("facility_energy_mwh", ("it_energy_mwh", "pue"), energy.facility_energy_mwh, "IT energy x PUE")
    v["facility_energy_mwh"] = out["facility_energy_mwh"]
    alias("pue", "pue", "PUE declared in the project file, or a benchmark range for the cooling type")
    put("peak_demand_mw", ("it_capacity_mw", "pue"), energy.peak_demand_mw, "IT capacity at full load x PUE")
    v["peak_demand_mw"] = out["peak_demand_mw"]

    put("co2e_location_t", ("facility_energy_mwh", "grid.carbon_intensity_g_per_kwh"), carbon.co2e_electricity_t,
        "facility energy x average grid intensity (location-based)")
    put("co2e_market_t", ("facility_energy_mwh", "grid.renewable_contract_share", "grid.residual_mix_g_per_kwh"),
        carbon.co2e_market_t, "facility energy x (1 - renewable contract share) x residual mix (market-based)")
    put("co2e_generators_t",
        ("generators.count", "generators.unit_mw", "generators.test_hours_per_year", "generators.test_load_share",
         "generators.fuel_l_per_kwh", "generators.emission_factor_kg_per_l"),
        lambda n, mw, h, load, fuel, ef: carbon.co2e_generators_t(
            carbon.generator_test_energy_mwh(n, mw, h, load), fuel, ef),
        "count x unit MW x test hours x test load x fuel per kWh x emission factor of the fuel")
    put("co2e_refrigerant_t", ("refrigerant.charge_kg", "refrigerant.leak_rate_per_year", "refrigerant.gwp"),
        carbon.co2e_refrigerant_t, "charge x annual leak rate x GWP-100 (IPCC AR6)")

    # Embodied: the known parts are summed and the indicator is partial if one is missing.
    it_part = (carbon.co2e_per_year_t(v["equipment.embodied_t"], v["it_lifetime_years"])
               if "equipment.embodied_t" in v and "it_lifetime_years" in v else None)
    bld_part = (carbon.co2e_per_year_t(v["building.embodied_tco2e"], v["lifetime_years"])
                if "building.embodied_tco2e" in v and "lifetime_years" in v else None)
    parts = [x for x in (it_part, bld_part) if x is not None]
    out["co2e_embodied_t_per_year"] = sum(parts) if parts else None
    spec["co2e_embodied_t_per_year"] = _Spec(
        ("equipment.embodied_t", "it_lifetime_years", "building.embodied_tco2e", "lifetime_years"),
        "IT equipment embodied / IT lifetime + building embodied / building lifetime")

    totals = ("co2e_location_t", "co2e_generators_t", "co2e_refrigerant_t", "co2e_embodied_t_per_year")
    known = [out[k] for k in totals if out[k] is not None]
    out["co2e_total_t"] = sum(known) if known else None
    spec["co2e_total_t"] = _Spec((), "location-based electricity + generators + refrigerant + embodied per year")

    put("water_onsite_m3", ("it_energy_mwh", "wue_l_per_kwh"), water.water_onsite_m3,
        "IT energy x WUE (The Green Grid WUE is per kWh of IT energy)")
    water_cooled = cooling_type in WATER_COOLED
    if water_cooled:
        temps = ("cooling.water_in_c", "cooling.water_out_c")
        props = ("water_density_kg_per_m3", "water_specific_heat_j_per_kg_k")
        if flow_given:
            put("thermal_discharge_mw", ("cooling.water_flow_m3_per_h",) + temps + props,
                lambda f, tin, tout, rho, cp: heat.thermal_power_mw(f, tout - tin, rho, cp),
                "flow x density x specific heat x (return - intake temperature)")
            put("water_returned_m3", ("cooling.water_flow_m3_per_h",), lambda f: water.once_through_m3(f, 8760.0),
                "declared flow x 8760 h (pumped all year)")
        else:
            put("thermal_discharge_mw", ("peak_demand_mw", "cooling.coverage_share"), lambda pk, s: pk * s,
                "peak demand (all electricity becomes heat) x share of the cooling met by the water")
            put("water_returned_m3", ("facility_energy_mwh", "cooling.coverage_share") + temps + props,
                lambda e, s, tin, tout, rho, cp: heat.flow_for_heat_m3(e * s, tout - tin, rho, cp),
                "heat carried by the water / (density x specific heat x temperature rise)")
        v_ret = out["water_returned_m3"]
        spec["water_withdrawal_m3"] = _Spec(("it_energy_mwh", "wue_l_per_kwh"), "on-site water use + river or sea water drawn")
        out["water_withdrawal_m3"] = (out["water_onsite_m3"] + v_ret
                                      if out["water_onsite_m3"] is not None and v_ret is not None else None)
    else:
        none = lambda *a: 0.0 * (a[0] if a else 0.0)  # noqa: E731 - zero with the shape of the draws
        put("thermal_discharge_mw", ("it_capacity_mw",), none, "no river or sea cooling: no heat discharged into water")
        put("water_returned_m3", ("it_capacity_mw",), none, "no river or sea cooling")
        out["water_withdrawal_m3"] = out["water_onsite_m3"]
        spec["water_withdrawal_m3"] = _Spec(("it_energy_mwh", "wue_l_per_kwh"), "on-site water use (no river or sea water)")
    v["water_withdrawal_m3"] = out["water_withdrawal_m3"]
    put("water_offsite_m3", ("facility_energy_mwh", "ewif_l_per_kwh"), water.water_offsite_m3,
        "facility energy x energy water intensity factor of the grid (water consumed by power plants)")

    put("heat_rejected_mwh", ("facility_energy_mwh", "heat_reuse_share"), heat.heat_rejected_mwh,
        "facility energy x (1 - heat reuse share)")
    v["heat_rejected_mwh"] = out["heat_rejected_mwh"]
    put("heat_reuse_potential_homes", ("heat_rejected_mwh", "heating_per_home_mwh"), heat.homes_heated,
        "heat rejected / space heating of one home (theoretical upper bound)")
    alias("land_site_m2", "building.site_area_m2", "site area as given")
    alias("land_artificialised_m2", "building.artificialised_m2", "artificialised area as given")
    put("households_electricity_equiv", ("facility_energy_mwh", "household_electricity_kwh"),
        equivalences.households_electricity, "facility energy / average household electricity")
    put("inhabitants_water_equiv", ("water_withdrawal_m3", "domestic_water_l_per_day"), equivalences.inhabitants_water,
        "water withdrawn on site / (domestic water per inhabitant x 365 days)")
    put("share_of_city_electricity", ("facility_energy_mwh", "city.annual_electricity_mwh"), equivalences.share,
        "facility energy / city's annual electricity")
    put("share_of_city_peak_demand", ("peak_demand_mw", "city.peak_demand_mw"), equivalences.share,
        "peak demand / city's peak demand")
    spec["cooling_saving_share"] = _Spec(("_hourly_cooling_model",), "needs the hourly cooling model")
    out["cooling_saving_share"] = None
    return out, spec


def _sources(deps: tuple[str, ...], records: dict[str, InputRecord]) -> tuple[str, ...]:
    seen: list[str] = []
    for d in deps:
        rec = records.get(d)
        if rec is None or rec.status == "unknown":
            continue
        label = f"{d}: {rec.source}"
        if label not in seen:
            seen.append(label)
    return tuple(seen)


def _unknown_inputs(deps: tuple[str, ...], records: dict[str, InputRecord]) -> list[str]:
    """The inputs among ``deps`` that are unknown (a whole block, e.g. ``generators``, counts once)."""
    out: list[str] = []
    for d in deps:
        head = d.split(".")[0]
        if d in records:
            if records[d].status == "unknown":
                out.append(d)
        elif head in records and records[head].status == "unknown":
            out.append(head)
        elif d in ("equipment.embodied_t", "it_lifetime_years"):
            out.append(d)
    return list(dict.fromkeys(out))


def fingerprint(project: Project) -> str:
    """SHA-256 of the project text (or of its validated content), first 16 hex digits."""
    text = project_text(project)
    data = text.encode("utf-8") if text is not None else project.model_dump_json().encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]


def estimate(project: Project, *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> Results:
    """Estimate every indicator of ``project`` with its low / central / high range.

    Parameters
    ----------
    project : Project
        From :func:`impact.load_project`.
    draws : int, default 2000
        Monte Carlo draws over the ranged inputs.
    seed : int
        Seed of the random generator: the same seed gives the same results.

    Returns
    -------
    Results
    """
    import pandas as pd

    if draws < 100:
        raise ValueError("draws must be at least 100 for the 5th and 95th percentiles to mean anything")
    inp = resolve_inputs(project)
    records = inp.records
    ranges = inp.ranges()
    cooling_type = project.cooling.type if project.cooling else "unknown"
    flow_given = isinstance(records.get("cooling.water_flow_m3_per_h", InputRecord("", None, "", "", "")).value, Range)

    central_values = {k: r.central for k, r in ranges.items()}
    rng = np.random.default_rng(seed)
    draw_values = {k: uncertainty.draw_triangular(r.low, r.central, r.high, draws, rng) for k, r in sorted(ranges.items())}

    central, spec = _run(dict(central_values), cooling_type, flow_given)
    drawn, _ = _run(dict(draw_values), cooling_type, flow_given)

    indicators: dict[str, Indicator] = {}
    samples = {}
    for name, info in INDICATORS.items():
        s = spec[name]
        c = central.get(name)
        method = s.method
        sources = _sources(s.deps, records)
        if name == "co2e_total_t":
            parts = ("co2e_location_t", "co2e_generators_t", "co2e_refrigerant_t", "co2e_embodied_t_per_year")
            missing = [k for k in parts if central.get(k) is None or indicators[k].status == "partial"]
            sources = tuple(dict.fromkeys(x for k in parts for x in indicators[k].sources))
        else:
            missing = _unknown_inputs(s.deps, records)
        if c is None:
            why = "these inputs are unknown: " + ", ".join(missing) if missing else "an input is unknown"
            if name == "cooling_saving_share":
                why = "it needs the hourly cooling model, not part of this version"
            indicators[name] = Indicator(name, info.unit, None, None, None, "unknown", method, sources,
                                         f"unknown, {why}")
            continue
        d = np.broadcast_to(np.asarray(drawn[name], dtype=float), (draws,))
        samples[name] = d
        lo, hi = uncertainty.percentiles(d)
        c = float(c)
        # A skewed range (central at a bound) can put the central value outside the
        # 5-95 % band: the band is widened to include it.
        lo, hi = min(lo, c), max(hi, c)
        status = "partial" if missing else "estimated"
        note = f"partial: leaves out {', '.join(missing)} (unknown)" if missing else ""
        indicators[name] = Indicator(name, info.unit, clean_number(lo), c, clean_number(hi), status, method, sources, note)

    _check_consistency(indicators, records, cooling_type, flow_given)
    meta = {
        "tool": f"impact {__version__}",
        "input_fingerprint": fingerprint(project),
        "year": records["year"].value,
        "draws": draws,
        "seed": seed,
    }
    results = Results(project, indicators, records, pd.DataFrame(samples), meta)
    # --- data files (context.substations): loaded in impact/project_data.py -------------
    results.nearest_substations = project_data.nearest_substations(project)
    return results


def _check_consistency(indicators, records, cooling_type, flow_given) -> None:
    """Add notes where declared figures do not hang together."""
    if cooling_type in WATER_COOLED and flow_given:
        td, pk = indicators["thermal_discharge_mw"], indicators["peak_demand_mw"]
        if td.known and pk.known and td.central > pk.central:
            note = (f"the declared flow and temperatures carry {td.central:.1f} MW, more than the site's "
                    f"{pk.central:.1f} MW at full load: the flow is lower or the water returns cooler than declared")
            indicators["thermal_discharge_mw"] = Indicator(**{**td.__dict__, "note": note})
