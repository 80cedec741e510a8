"""From a project to its results: resolve every input, then run the model.

The model (the hourly cooling model, then the annual indicators) runs once on the
central values and once, vectorised, on seeded Monte Carlo draws of every ranged
input (hours x draws for the cooling model); an indicator's low / high are the
5th / 95th percentiles of its draws.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import __version__, heatreuse, project_data
from .indicators import INDICATORS
from .inputs import _NUMERIC_PARAMETERS, LIQUID_PARAMETERS, CoolingSetup, resolve_inputs
from .model import air, carbon, cooling, cooling_sums, energy, equivalences, heat, uncertainty, water
from .model import eu as eu_model
from .model import icpe as icpe_model
from .project import NO_REFRIGERANT, WATER_COOLED, Project, project_text
from .ranges import Range
from .results import Indicator, InputRecord, Results, clean_number

DEFAULT_DRAWS = 2000
DEFAULT_SEED = 20240916  # the day MRS5's inquiry was called out; any fixed seed would do


# ------------------------------------------------------------------------------ model run


@dataclass
class _Spec:
    deps: tuple[str, ...]
    method: str


def _run(
    v: dict[str, Any],
    cooling_type: str,
    flow_given: bool,
    model_deps: tuple[str, ...] = (),
    refrigerant_none: bool = False,
) -> tuple[dict[str, Any], dict[str, _Spec]]:
    """Run the annual model on values ``v`` (scalars or arrays); missing keys are unknown.

    ``v`` holds the inputs and, when the hourly cooling model ran, its results
    (``pue_modelled``, ``peak_modelled_mw``...); ``model_deps`` are the inputs it used.
    """
    out: dict[str, Any] = {}
    spec: dict[str, _Spec] = {}
    modelled = "pue_modelled" in v
    if modelled and "pue" not in v:  # no declared PUE: the modelled one is used
        v["pue"] = v["pue_modelled"]

    def put(name: str, deps: tuple[str, ...], fn: Callable, method: str) -> None:
        spec[name] = _Spec(deps, method)
        out[name] = fn(*[v[d] for d in deps]) if all(d in v for d in deps) else None

    def alias(name: str, value_key: str, method: str) -> None:
        put(name, (value_key,), lambda x: x, method)

    def from_model(name: str, key: str, method: str) -> None:
        spec[name] = _Spec(model_deps, method)
        out[name] = v.get(key)

    put("it_energy_mwh", ("it_capacity_mw", "utilisation"), energy.it_energy_mwh, "IT capacity x utilisation x 8760 h")
    v["it_energy_mwh"] = out["it_energy_mwh"]
    put("facility_energy_mwh", ("it_energy_mwh", "pue"), energy.facility_energy_mwh, "IT energy x PUE")
    v["facility_energy_mwh"] = out["facility_energy_mwh"]
    _ramp_up(put, v)
    _noise(put, v)
    if modelled and "pue" in v and v["pue"] is v["pue_modelled"]:
        from_model("pue", "pue", "PUE modelled hour by hour (no PUE declared)")
    else:
        alias(
            "pue",
            "pue",
            "PUE declared in the project file"
            if modelled
            else "PUE declared in the project file, or a default range by cooling type, size and year of first "
            "operation",
        )
    if modelled:
        from_model(
            "peak_demand_mw", "peak_modelled_mw", "full IT load on the hottest hour of the year, hourly cooling model"
        )
    else:
        put("peak_demand_mw", ("it_capacity_mw", "pue"), energy.peak_demand_mw, "IT capacity at full load x PUE")
    v["peak_demand_mw"] = out["peak_demand_mw"]
    put(
        "facility_power_mw",
        ("it_capacity_mw", "pue"),
        energy.peak_demand_mw,
        "IT capacity at full load x annual PUE (declared, or modelled hour by hour)",
    )
    cooling_methods = {
        "pue_modelled": "facility energy / IT energy, summed hour by hour",
        "cooling_energy_mwh": "chillers + fans and pumps, summed hour by hour",
        "cooling_energy_chillers_mwh": "heat removed by the chillers / COP at each hour's temperature",
        "cooling_energy_auxiliaries_mwh": "fans and pumps: a share of the cooling load",
        "cooling_share_free": "heat removed by free cooling / cooling load",
        "cooling_share_water": "heat removed by river or sea water / cooling load",
        "cooling_share_chillers": "heat removed by chillers / cooling load",
        "cooling_saving_share": "1 - site electricity / site electricity with chillers alone, same climate",
        **cooling.WATER_SAVING_METHODS,
    }
    for name, method in cooling_methods.items():
        from_model(name, name, method)

    put(
        "co2e_location_t",
        ("facility_energy_mwh", "grid.carbon_intensity_g_per_kwh"),
        carbon.co2e_electricity_t,
        "facility energy x average grid intensity (location-based)",
    )
    put(
        "co2e_location_direct_t",
        ("facility_energy_mwh", "grid.carbon_intensity_direct_g_per_kwh"),
        carbon.co2e_electricity_t,
        "facility energy x direct emissions of production alone (low bound of the location-based figure)",
    )
    put(
        "co2e_market_t",
        ("facility_energy_mwh", "grid.renewable_contract_share", "grid.residual_mix_g_per_kwh"),
        carbon.co2e_market_t,
        "facility energy x (1 - renewable contract share) x residual mix (market-based)",
    )
    tests = (
        "generators.test_hours_per_year",
        "generators.test_load_share",
        "generators.fuel_l_per_kwh",
        "generators.emission_factor_kg_per_l",
    )
    if "generators.total_mw" in v:  # the installed power, as published
        put(
            "co2e_generators_t",
            ("generators.total_mw",) + tests,
            lambda mw, h, load, fuel, ef: carbon.co2e_generators_t(
                carbon.generator_test_energy_mwh(1.0, mw, h, load), fuel, ef
            ),
            "installed MW x test hours x test load x fuel per kWh x emission factor of the fuel",
        )
    elif "generators.count" in v and "generators.unit_mw" in v:
        put(
            "co2e_generators_t",
            ("generators.count", "generators.unit_mw") + tests,
            lambda n, mw, h, load, fuel, ef: carbon.co2e_generators_t(
                carbon.generator_test_energy_mwh(n, mw, h, load), fuel, ef
            ),
            "count x unit MW x test hours x test load x fuel per kWh x emission factor of the fuel",
        )
    else:  # installed power not published: the default sizing (peak demand x redundancy)
        put(
            "co2e_generators_t",
            ("peak_demand_mw", "generators.installed_to_peak_ratio") + tests,
            lambda peak, ratio, h, load, fuel, ef: carbon.co2e_generators_t(
                carbon.generator_test_energy_mwh(1.0, carbon.generator_installed_mw(peak, ratio), h, load), fuel, ef
            ),
            "peak demand x redundancy of the tier (default) x test hours x test load x fuel per kWh x emission factor",
        )
    _air(v, put)
    if refrigerant_none:
        put(
            "co2e_refrigerant_t",
            ("it_capacity_mw",),
            lambda x: 0.0 * x,
            "no refrigerant declared (refrigerant: none): no leak emissions",
        )
    elif "refrigerant.charge_kg" in v or "refrigerant.charge_kg_per_kw" not in v:
        put(
            "co2e_refrigerant_t",
            ("refrigerant.charge_kg", "refrigerant.leak_rate_per_year", "refrigerant.gwp"),
            carbon.co2e_refrigerant_t,
            "charge x annual leak rate x GWP-100 (IPCC AR6)",
        )
    else:  # charge not published: kg per kW of chillers x chiller capacity (default)
        put(
            "co2e_refrigerant_t",
            (
                "it_capacity_mw",
                "refrigerant.chiller_capacity_to_it_ratio",
                "refrigerant.charge_kg_per_kw",
                "refrigerant.leak_rate_per_year",
                "refrigerant.gwp",
            ),
            lambda it, ratio, kg_kw, leak, gwp: carbon.co2e_refrigerant_t(
                carbon.refrigerant_charge_kg(it, ratio, kg_kw), leak, gwp
            ),
            "IT capacity x chiller capacity per kW of IT x charge per kW (defaults) x annual leak rate x GWP-100",
        )

    _icpe(v, put, refrigerant_none)
    _embodied(v, out, spec)

    totals = ("co2e_location_t", "co2e_generators_t", "co2e_refrigerant_t", "co2e_embodied_t_per_year")
    known = [out[k] for k in totals if out[k] is not None]
    out["co2e_total_t"] = sum(known) if known else None
    spec["co2e_total_t"] = _Spec((), "location-based electricity + generators + refrigerant + embodied per year")

    put(
        "water_onsite_m3",
        ("it_energy_mwh", "wue_l_per_kwh"),
        water.water_onsite_m3,
        "IT energy x WUE (The Green Grid WUE is per kWh of IT energy)",
    )
    if out["water_onsite_m3"] is not None:
        v["water_onsite_m3"] = out["water_onsite_m3"]
    # On-site water / IT energy: the WUE used (declared, or the default for the cooling type).
    alias(
        "wue_l_per_kwh",
        "wue_l_per_kwh",
        "water used on site / IT energy (the declared WUE, or the default for the cooling type); "
        "river or sea water drawn and returned not counted",
    )
    water_cooled = cooling_type in WATER_COOLED
    if water_cooled:
        _water_balance(v, out, spec, modelled, flow_given, model_deps)
        v_ret = out["water_returned_m3"]
        spec["water_withdrawal_m3"] = _Spec(
            ("it_energy_mwh", "wue_l_per_kwh"), "on-site water use + river or sea water drawn"
        )
        out["water_withdrawal_m3"] = (
            out["water_onsite_m3"] + v_ret if out["water_onsite_m3"] is not None and v_ret is not None else None
        )
    else:
        none = lambda *a: 0.0 * (a[0] if a else 0.0)  # noqa: E731 - zero with the shape of the draws
        put("thermal_discharge_mw", ("it_capacity_mw",), none, "no river or sea cooling: no heat discharged into water")
        put(
            "thermal_discharge_max_mw",
            ("it_capacity_mw",),
            none,
            "no river or sea cooling: no heat discharged into water",
        )
        put("water_returned_m3", ("it_capacity_mw",), none, "no river or sea cooling")
        spec["water_outlet_reachable_c"] = _Spec((), "no river or sea cooling: no water outlet")
        out["water_outlet_reachable_c"] = None
        out["water_withdrawal_m3"] = out["water_onsite_m3"]
        spec["water_withdrawal_m3"] = _Spec(
            ("it_energy_mwh", "wue_l_per_kwh"), "on-site water use (no river or sea water)"
        )
    if out["water_withdrawal_m3"] is not None:  # unknown (no return temperature): stays out of v
        v["water_withdrawal_m3"] = out["water_withdrawal_m3"]
    put(
        "water_offsite_m3",
        ("facility_energy_mwh", "ewif_l_per_kwh"),
        water.water_offsite_m3,
        "facility energy x energy water intensity factor of the grid (water consumed by power plants)",
    )

    if "heat_reuse_share" in v:
        put(
            "heat_rejected_mwh",
            ("facility_energy_mwh", "heat_reuse_share"),
            heat.heat_rejected_mwh,
            "facility energy x (1 - heat reuse share)",
        )
        v["heat_rejected_mwh"] = out["heat_rejected_mwh"]
        put(
            "heat_reuse_potential_homes",
            ("heat_rejected_mwh", "heating_per_home_mwh"),
            heat.homes_heated,
            "heat rejected / space heating of one home (theoretical upper bound)",
        )
    else:  # reuse announced, share not published: no reuse counted, an upper bound (marked partial)
        with_share = ("facility_energy_mwh", "heat_reuse_share")
        spec["heat_rejected_mwh"] = _Spec(with_share, "facility energy, no reuse counted (share not published)")
        out["heat_rejected_mwh"] = (
            heat.heat_rejected_mwh(v["facility_energy_mwh"], 0.0) if "facility_energy_mwh" in v else None
        )
        if out["heat_rejected_mwh"] is not None:
            v["heat_rejected_mwh"] = out["heat_rejected_mwh"]
        spec["heat_reuse_potential_homes"] = _Spec(
            ("heat_rejected_mwh", "heating_per_home_mwh", "heat_reuse_share"),
            "heat rejected (upper bound) / space heating of one home",
        )
        out["heat_reuse_potential_homes"] = (
            heat.homes_heated(v["heat_rejected_mwh"], v["heating_per_home_mwh"])
            if "heat_rejected_mwh" in v and "heating_per_home_mwh" in v
            else None
        )
    _eu_indicators(v, out, spec, put, cooling_type)
    heatreuse.run_heat_reuse(v, put)  # issue 13, item 5: the seasonal bound of heat reuse
    alias("land_site_m2", "building.site_area_m2", "site area as given")
    alias("land_artificialised_m2", "building.artificialised_m2", "artificialised area as given")
    put(
        "households_electricity_equiv",
        ("facility_energy_mwh", "household_electricity_kwh"),
        equivalences.households_electricity,
        "facility energy / average household electricity",
    )
    # Once-through river or sea water goes back warmed: it is not consumed, unlike domestic water.
    put(
        "inhabitants_water_equiv",
        ("water_onsite_m3", "domestic_water_l_per_day"),
        equivalences.inhabitants_water,
        "water consumed on site, once-through river or sea water left out / (domestic water per inhabitant x 365 days)",
    )
    put(
        "share_of_city_electricity",
        ("facility_energy_mwh", "city.annual_electricity_mwh"),
        equivalences.share,
        "facility energy / city's annual electricity",
    )
    put(
        "share_of_city_peak_demand",
        ("peak_demand_mw", "city.peak_demand_mw"),
        equivalences.share,
        "peak demand / city's peak demand",
    )
    for level, what in (
        ("departement", "the département's electricity delivered (Agence ORE)"),
        ("region", "the région's electricity delivered (Agence ORE)"),
        ("france", "France's gross electricity consumption (RTE)"),
    ):
        put(
            f"share_of_{level}_electricity",
            ("facility_energy_mwh", f"{level}.annual_electricity_mwh"),
            equivalences.share,
            f"facility energy / {what}",
        )
    put(
        "share_of_france_datacentres",
        ("facility_energy_mwh", "france.datacentres_electricity_mwh"),
        equivalences.share,
        "facility energy / the electricity of France's data centres today (RTE)",
    )
    from .water_resource import run_water_resource

    run_water_resource(v, out, spec, put, _Spec, water_cooled, cooling_type)  # issue 13, items 6-7
    from .construction import run_construction

    run_construction(v, out, spec, put, _Spec)  # issue 13, item 7
    return out, spec


def _eu_indicators(
    v: dict[str, Any], out: dict[str, Any], spec: dict[str, _Spec], put: Callable, cooling_type: str
) -> None:
    """The indicators of the EU reporting scheme (Delegated Regulation (EU) 2024/1364, Annexes II-III)
    that the PUE and WUE rows do not already give; see docs/eu-indicators.md."""
    # The regulation's WIN is "all water volumes that enter the data centre boundary and are used in
    # relation to the data centre functions" (2024/1364, Annex II point 1(h)): river or sea water drawn
    # through the site's exchangers is in it, returned or not. WUE = WIN / EIT (Annex III(b)); the
    # returned part is shown beside it, so that neither reading hides it.
    it, returned, win = v.get("it_energy_mwh"), out.get("water_returned_m3"), out.get("water_withdrawal_m3")
    # Per IT kWh is undefined without IT energy (utilisation 0): unknown rather than infinite.
    has_it = it is not None and bool(np.all(np.asarray(it) > 0))
    water_deps = ("cooling.water_in_c", "cooling.water_out_c") if cooling_type in WATER_COOLED else ()
    spec["wue_win_l_per_kwh"] = _Spec(
        ("it_energy_mwh", "wue_l_per_kwh") + water_deps,
        "all water entering the site (water used on site + river or sea water drawn) / IT energy, WIN / EIT "
        "(Delegated Regulation (EU) 2024/1364, Annex II point 1(h), Annex III(b))",
    )
    out["wue_win_l_per_kwh"] = eu_model.water_per_it_kwh_l(win, it) if has_it and win is not None else None
    spec["wue_once_through_l_per_kwh"] = _Spec(
        ("it_energy_mwh", "cooling.water_in_c", "cooling.water_out_c"),
        "river or sea water drawn and returned / IT energy (the part of the WIN returned to the water body)",
    )
    defined = has_it and returned is not None
    out["wue_once_through_l_per_kwh"] = eu_model.water_per_it_kwh_l(returned, it) if defined else None
    put(
        "heat_reused_mwh",
        ("facility_energy_mwh", "heat_reuse_share"),
        lambda e, s: e * s,
        "facility energy x heat reuse share (heat delivered to another party)",
    )
    put(
        "energy_reuse_factor",
        ("facility_energy_mwh", "heat_reuse_share"),
        lambda e, s: s + 0.0 * e,  # (EDC x share) / EDC: the share, with the shape of the draws
        "heat reused / facility energy (EN 50600-4-6)",
    )
    put(
        "renewable_energy_mwh",
        ("facility_energy_mwh", "grid.renewable_contract_share"),
        lambda e, s: e * s,
        "facility energy x renewable contract share (guarantees of origin, PPAs; no on-site generation declared)",
    )
    put(
        "renewable_energy_factor",
        ("facility_energy_mwh", "grid.renewable_contract_share"),
        lambda e, s: s + 0.0 * e,
        "renewable electricity under contract / facility energy (EN 50600-4-3)",
    )
    # TWH is the temperature of "the fluid used to cool the ICT equipment in the data centre computer
    # room", where it enters the heat exchanger(s) at the computer-room boundary (Annex II point 1(k)):
    # the IT side of the exchangers, not the river or sea water returned on their far side.
    name = "waste_heat_temperature_c"
    if cooling_type == "liquid_closed_loop":
        deps: tuple[str, ...] = (
            "cooling.liquid_share",
            "cooling.liquid_supply_c",
            "cooling.liquid_delta_t_k",
            "cooling.supply_c",
            "cooling.band_k",
        )
        fn: Callable = lambda s, ls, dt, sup, band: eu_model.mixed_temperature_c(s, ls + dt, sup + band)  # noqa: E731
        method = "heat-weighted mean of the liquid loop's return and the IT exhaust air"
    else:
        deps, fn = ("cooling.supply_c", "cooling.band_k"), lambda sup, band: sup + band
        method = "IT exhaust air: supply air + its rise across the IT equipment"
    # Without the cooling model's parameters (no climate, no cooling type) it is unknown: say which.
    spec[name] = _Spec(deps + ("cooling.type", "climate"), method)
    out[name] = fn(*[v[d] for d in deps]) if all(d in v for d in deps) else None


#: Inputs drawn after all the others, by name prefix, in this order (see _Model.draw_values).
def _icpe(v: dict[str, Any], put: Callable, refrigerant_none: bool) -> None:
    """Thermal input of the generators, fuel stored and refrigerant charge (ICPE 2910/3110, 4734, 1185)."""
    if refrigerant_none:
        put("refrigerant_charge_kg", ("it_capacity_mw",), lambda x: 0.0 * x, "no refrigerant declared")
    elif "refrigerant.charge_kg" in v or "refrigerant.charge_kg_per_kw" not in v:
        put("refrigerant_charge_kg", ("refrigerant.charge_kg",), lambda x: x, "refrigerant charge (declared)")
    else:
        put(
            "refrigerant_charge_kg",
            ("it_capacity_mw", "refrigerant.chiller_capacity_to_it_ratio", "refrigerant.charge_kg_per_kw"),
            carbon.refrigerant_charge_kg,
            "IT capacity x chiller capacity per kW of IT x charge per kW (defaults)",
        )
    if "generators.total_mw" in v:
        power: tuple[str, ...] = ("generators.total_mw",)
        installed: Callable = lambda mw: mw  # noqa: E731
        how = "installed power (declared)"  # the start of a method.*.total text of the catalogue
    elif "generators.count" in v and "generators.unit_mw" in v:
        power, installed, how = ("generators.count", "generators.unit_mw"), lambda n, mw: n * mw, "count x unit power"
    else:
        power = ("peak_demand_mw", "generators.installed_to_peak_ratio")
        installed, how = carbon.generator_installed_mw, "peak demand x redundancy of the tier (default)"
    k = len(power)
    put(
        "generators_thermal_input_mw",
        power + ("generators.fuel_l_per_kwh", "generators.fuel_density_kg_per_l", "generators.fuel_lhv_kwh_per_kg"),
        lambda *a: icpe_model.generators_thermal_input_mw(installed(*a[:k]), *a[k:]),
        f"{how} x fuel per kWh x fuel density x lower heating value (electrical power / efficiency)",
    )
    put(
        "ups_battery_energy_mwh",
        ("it_capacity_mw", "ups.battery_autonomy_minutes"),
        icpe_model.ups_battery_energy_mwh,
        "IT capacity x battery autonomy at full load (one UPS path)",
    )
    if "icpe.fuel_storage_m3" in v:  # the declared stock (docs/icpe.md)
        put("fuel_storage_m3", ("icpe.fuel_storage_m3",), lambda m3: m3, "fuel stock (declared)")
        put(
            "fuel_storage_t",
            ("icpe.fuel_storage_m3", "icpe.fuel_density_kg_per_l"),
            icpe_model.fuel_storage_t,
            "fuel stock (declared) x density of each fuel",
        )
        return
    put(
        "fuel_storage_m3",
        power + ("generators.fuel_autonomy_hours", "generators.fuel_l_per_kwh"),
        lambda *a: icpe_model.fuel_storage_m3(installed(*a[:k]), *a[k:]),
        f"{how} x autonomy hours at full load x fuel per kWh",
    )
    put(
        "fuel_storage_t",
        power + ("generators.fuel_autonomy_hours", "generators.fuel_l_per_kwh", "generators.fuel_density_kg_per_l"),
        lambda *a: icpe_model.fuel_storage_t(icpe_model.fuel_storage_m3(installed(*a[:k]), *a[k:-1]), a[-1]),
        f"{how} x autonomy hours at full load x fuel per kWh x fuel density",
    )


def _installed_generators(v: dict[str, Any]) -> tuple[tuple[str, ...], Callable, str]:
    """Deps, function and words of the generators' installed power [MW], as co2e_generators_t takes it."""
    if "generators.total_mw" in v:
        return ("generators.total_mw",), lambda mw: mw, "installed MW"
    if "generators.count" in v and "generators.unit_mw" in v:
        return ("generators.count", "generators.unit_mw"), lambda n, mw: n * mw, "count x unit MW"
    return (
        ("peak_demand_mw", "generators.installed_to_peak_ratio"),
        carbon.generator_installed_mw,
        "peak demand x redundancy of the tier (default)",
    )


def _air(v: dict[str, Any], put: Callable) -> None:
    """NOx, PM, CO and SO2 of the generators: a year of tests, and the hour of all of them at full load
    (docs/air-quality.md)."""
    mw_deps, installed, words = _installed_generators(v)
    n = len(mw_deps)
    tests = ("generators.test_hours_per_year", "generators.test_load_share")
    names = {"nox": "NOx", "pm": "PM", "co": "CO"}
    for pollutant in ("nox", "pm", "co"):
        factor = f"air.{pollutant}_g_per_kwh"
        put(
            f"{pollutant}_generators_t",
            mw_deps + tests + (factor,),
            lambda *a: air.pollutant_t(carbon.generator_test_energy_mwh(1.0, installed(*a[:n]), a[n], a[n + 1]), a[-1]),
            f"{words} x test hours x test load x emission factor ({names[pollutant]}, g/kWh)",
        )
    put(
        "so2_generators_t",
        mw_deps + tests + ("generators.fuel_l_per_kwh", "air.density_kg_per_l", "air.sulphur_mg_per_kg"),
        lambda *a: air.pollutant_t(
            carbon.generator_test_energy_mwh(1.0, installed(*a[:n]), a[n], a[n + 1]), air.so2_g_per_kwh(*a[n + 2 :])
        ),
        f"{words} x test hours x test load x fuel per kWh x density x sulphur content x 64/32 (SO2/S)",
    )
    for pollutant in ("nox", "pm"):
        put(
            f"{pollutant}_generators_full_load_kg_per_h",
            mw_deps + (f"air.{pollutant}_g_per_kwh",),
            lambda *a: air.full_load_kg_per_h(installed(*a[:n]), a[n]),
            f"{words} at full load x emission factor ({names[pollutant]}, g/kWh), for one hour",
        )
    _air_outage(v, put, mw_deps, installed, n)


def _air_outage(v: dict[str, Any], put: Callable, mw_deps: tuple[str, ...], installed: Callable, n: int) -> None:
    """A grid outage of N hours: the generators carry the site's mean demand (at most their installed
    power) for the declared outage hours, else for the fuel autonomy (docs/air-quality.md)."""
    declared = "generators.outage_scenario_hours" in v
    hours = "generators.outage_scenario_hours" if declared else "generators.fuel_autonomy_hours"
    how = "outage hours" if declared else "fuel autonomy hours"
    deps = ("facility_energy_mwh",) + mw_deps + (hours,)

    def energy(*a):
        return air.outage_energy_mwh(air.mean_demand_mw(a[0]), installed(*a[1 : n + 1]), a[n + 1])

    for pollutant, name in (("nox", "NOx"), ("pm", "PM")):
        put(
            f"{pollutant}_generators_outage_t",
            deps + (f"air.{pollutant}_g_per_kwh",),
            lambda *a: air.pollutant_t(energy(*a[:-1]), a[-1]),
            f"site's mean demand (at most the installed power) x {how} x emission factor ({name}, g/kWh)",
        )
    put(
        "co2e_generators_outage_t",
        deps + ("generators.fuel_l_per_kwh", "generators.emission_factor_kg_per_l"),
        lambda *a: carbon.co2e_generators_t(energy(*a[:-2]), a[-2], a[-1]),
        f"site's mean demand (at most the installed power) x {how} x fuel per kWh x emission factor of the fuel",
    )


def _drawn_last(name: str) -> bool:
    from .noise_engine import drawn_last

    return drawn_last(name)


def _noise(put: Callable, v: dict[str, Any]) -> None:
    """Noise at the nearest receptor and the site boundary (impact/noise_engine.py, docs/noise.md)."""
    from . import noise_engine

    noise_engine.indicators(put, v)


def _ramp_up(put: Callable, v: dict[str, Any]) -> None:
    """Site electricity in the first and second years of operation: the declared ramp-up (``ramp_up``),
    else the default shares of utilisation.csv (impact/construction.py, docs/construction.md)."""
    from .construction import run_ramp_up

    run_ramp_up(put, v)


def _ramp_up_facts(project, records, central, drawn, draws: int) -> dict:
    from .construction import ramp_up_facts

    return ramp_up_facts(project, records, central, drawn, draws)


def _embodied(v: dict[str, Any], out: dict[str, Any], spec: dict[str, _Spec]) -> None:
    """Embodied emissions per year: IT equipment (the equipment list, or the default per kW of mean
    IT power) and building (published, or the default per m2); the known parts are summed and the
    indicator is partial if one is missing."""
    if "equipment.gpu_embodied_kg_per_kw" in v:  # AI site: GPU servers counted from the IT capacity
        it_deps: tuple[str, ...] = ("it_capacity_mw", "equipment.gpu_embodied_kg_per_kw", "it_lifetime_years")
        it_total = (
            carbon.embodied_from_intensity_t(v["it_capacity_mw"] * 1000.0, v[it_deps[1]])
            if all(d in v for d in it_deps[:2])
            else None
        )
    elif "equipment.embodied_kg_per_kw" in v:
        it_deps = (
            "it_capacity_mw",
            "utilisation",
            "equipment.embodied_kg_per_kw",
            "it_lifetime_years",
        )
        it_total = (
            carbon.embodied_from_intensity_t(v["it_capacity_mw"] * 1000.0 * v["utilisation"], v[it_deps[2]])
            if all(d in v for d in it_deps[:3])
            else None
        )
    else:
        it_deps = ("equipment.embodied_t", "it_lifetime_years")
        it_total = v.get("equipment.embodied_t")
    if "building.embodied_kg_per_m2" in v:
        bld_deps: tuple[str, ...] = ("building.embodied_area_m2", "building.embodied_kg_per_m2", "lifetime_years")
        bld_total = (
            carbon.embodied_from_intensity_t(v[bld_deps[0]], v[bld_deps[1]])
            if all(d in v for d in bld_deps[:2])
            else None
        )
    else:
        bld_deps = ("building.embodied_tco2e", "lifetime_years")
        bld_total = v.get("building.embodied_tco2e")
    it_part = (
        carbon.co2e_per_year_t(it_total, v["it_lifetime_years"])
        if it_total is not None and "it_lifetime_years" in v
        else None
    )
    bld_part = (
        carbon.co2e_per_year_t(bld_total, v["lifetime_years"])
        if bld_total is not None and "lifetime_years" in v
        else None
    )
    parts = [x for x in (it_part, bld_part) if x is not None]
    out["co2e_embodied_t_per_year"] = sum(parts) if parts else None
    defaults = "equipment.embodied_kg_per_kw" in v or "building.embodied_kg_per_m2" in v
    method = "IT equipment embodied / IT lifetime + building embodied / building lifetime"
    if "equipment.gpu_embodied_kg_per_kw" in v:
        method += " (defaults: IT capacity x kg per kW of GPU servers; floor area x kg per m2)"
    elif defaults:
        method += " (defaults: IT capacity x utilisation x kg per kW of IT; floor area x kg per m2)"
    spec["co2e_embodied_t_per_year"] = _Spec(it_deps + bld_deps, method)


#: The cooling loop's temperatures that set the outlet river or sea water can reach.
WATER_LOOP = ("cooling.supply_c", "cooling.approach_k", "cooling.band_k", "cooling.hx_approach_k")
WATER_PROPERTIES = ("water_density_kg_per_m3", "water_specific_heat_j_per_kg_k")


def _outlet_used_c(v: dict[str, Any]):
    """The outlet temperature of the water's heat balance: the declared one, capped at the one the
    cooling loop can reach (:func:`impact.model.heat.outlet_used_c`); None when none is declared."""
    if "cooling.water_out_c" not in v:
        return None
    if not all(k in v for k in WATER_LOOP):
        return v["cooling.water_out_c"]
    return heat.outlet_used_c(v["cooling.water_out_c"], heat.reachable_outlet_c(*(v[k] for k in WATER_LOOP)))


def _water_balance(
    v: dict[str, Any],
    out: dict[str, Any],
    spec: dict[str, _Spec],
    modelled: bool,
    flow_given: bool,
    model_deps: tuple[str, ...],
) -> None:
    """River or sea water: the outlet it can reach, the heat it takes (annual mean and largest hour), its volume.

    One heat balance with or without the hourly model: the water takes the declared share of the
    cooling load (IT heat + distribution losses; never the chillers' or fans' electricity, which
    goes to the air), within what the loop's temperatures allow (impact.model.heat).
    """

    def put(name: str, deps: tuple[str, ...], fn: Callable, method: str, also: tuple[str, ...] = ()) -> None:
        # ``also``: inputs the value depends on through ``deps`` (for its sources and unknowns).
        spec[name] = _Spec(tuple(dict.fromkeys(deps + also)), method)
        out[name] = fn(*[v[d] for d in deps]) if all(d in v for d in deps) else None

    put(
        "water_outlet_reachable_c",
        WATER_LOOP,
        heat.reachable_outlet_c,
        "warmest water of the cooling loop (supply - approach + band) - heat-exchanger approach",
    )
    if out["water_outlet_reachable_c"] is not None:
        v["water_outlet_reachable_c"] = out["water_outlet_reachable_c"]
    used = _outlet_used_c(v)
    if used is not None:
        v["water_outlet_used_c"] = used
    # The outlet caps the heat when it is declared; unknown, it leaves the heat uncapped (as the hourly model).
    outlet = tuple(k for k in ("cooling.water_out_c",) + WATER_LOOP if k in v)
    flow = ("cooling.water_flow_m3_per_h",) + WATER_PROPERTIES if flow_given else ()
    if modelled:
        put(
            "thermal_discharge_mw",
            ("thermal_discharge_mean_modelled_mw",),
            lambda x: x,
            "annual mean heat into the water: declared share x cooling load (IT + distribution losses), "
            "hour by hour (hourly cooling model)",
            model_deps,
        )
        put(
            "thermal_discharge_max_mw",
            ("thermal_discharge_max_modelled_mw",),
            lambda x: x,
            "largest hourly heat into the water at full IT load (the hottest hours and the coldest intake): "
            "declared share x cooling load (hourly cooling model)",
            model_deps,
        )
    else:
        base = ("cooling.distribution_share", "cooling.coverage_share", "water_outlet_reachable_c", "cooling.band_k")
        t_in = ("cooling.water_in_c",) if "cooling.water_in_c" in v else ()

        def to_water(it_mw):
            load = it_mw * (1.0 + v["cooling.distribution_share"])
            if not t_in:  # intake unknown: the declared share, not checked against the temperatures
                return load * v["cooling.coverage_share"]
            return heat.heat_to_water_mw(
                load,
                v["cooling.coverage_share"],
                v["cooling.water_in_c"],
                v.get("water_outlet_used_c"),
                v["water_outlet_reachable_c"],
                v["cooling.band_k"],
                v["cooling.water_flow_m3_per_h"] if flow_given else None,
                v["water_density_kg_per_m3"],
                v["water_specific_heat_j_per_kg_k"],
            )

        put(
            "thermal_discharge_mw",
            ("it_capacity_mw", "utilisation") + base + t_in + flow,
            lambda it, u, *_: to_water(it * u),
            "annual mean heat into the water: declared share x cooling load (IT capacity x utilisation x "
            "(1 + distribution losses)), within what the intake and loop temperatures allow",
            outlet,
        )
        put(
            "thermal_discharge_max_mw",
            ("it_capacity_mw",) + base + t_in + flow,
            lambda it, *_: to_water(it),
            "heat into the water at full IT load: declared share x IT capacity x (1 + distribution losses), "
            "within what the intake and loop temperatures allow",
            outlet,
        )
    if flow_given:
        put(
            "water_returned_m3",
            ("cooling.water_flow_m3_per_h",),
            lambda f: water.once_through_m3(f, 8760.0),
            "declared flow x 8760 h (pumped all year)",
        )
    elif modelled:
        put(
            "water_returned_m3",
            ("water_volume_modelled_m3", "cooling.water_out_c"),
            lambda q, _: q,
            "heat into the water hour by hour / (density x specific heat x (outlet used - intake)), the outlet "
            "used being the declared one or, if lower, the one the cooling loop can reach",
            model_deps + WATER_PROPERTIES,
        )
    else:
        mean = out["thermal_discharge_mw"]
        put(
            "water_returned_m3",
            ("cooling.water_in_c", "water_outlet_used_c") + WATER_PROPERTIES,
            lambda tin, tout, rho, cp: (
                None if mean is None else heat.volume_warmed_m3(mean * 8760.0, tout - tin, rho, cp)
            ),
            "annual mean heat into the water x 8760 h / (density x specific heat x (outlet used - intake)), the "
            "outlet used being the declared one or, if lower, the one the cooling loop can reach",
            ("cooling.water_out_c",) + WATER_LOOP,
        )


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


def fingerprint(project: Project, data=None) -> str:
    """SHA-256 (first 16 hex digits) of everything the estimate reads: the tool's
    version, the project (its text, or its validated content), the data files it
    points to (the SHA-256 of the bytes parsed, from the run's ``data``, a
    :class:`impact.project_data.DataFiles`), the reference tables and the shipped
    France-wide data."""
    import json

    from .project_data import FIELDS, DataFiles, data_files

    text = project_text(project)
    if text is None:  # built from a mapping: fingerprint its validated content
        text = json.dumps(project.model_dump(), sort_keys=True, default=repr)
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(text.encode("utf-8"))
    data = data if data is not None else DataFiles()
    for field, path in data_files(project).items():
        h.update(data.digest(path, FIELDS[field]))
    h.update(reference_tables_bytes())
    h.update(shipped_data_digest())
    return h.hexdigest()[:16]


@functools.cache
def reference_tables_bytes() -> bytes:
    """The reference tables (``data/reference/*.csv``, by name), end to end, once per process (about
    200 kB), as their rows are (:func:`impact.sources.reference.read_reference_table`)."""
    from .paths import data_dir

    return b"".join(table.read_bytes() for table in sorted((data_dir() / "reference").glob("*.csv")))


@functools.cache
def shipped_data_digest() -> bytes:
    """SHA-256 of the shipped France-wide data (``data/france``: climates, communes and their
    electricity, substations, basemap), once per process (about 13 MB, 20 ms)."""
    from .paths import data_dir

    h = hashlib.sha256()
    folder = data_dir() / "france"
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            h.update(f.relative_to(folder).as_posix().encode())
            h.update(f.read_bytes())
    return h.digest()


_FROM_ANNOUNCED = ("note.it_capacity.from_announced_grid_connection", "note.it_capacity.from_announced_facility")


class _Model:
    """A project's resolved inputs, and the model to evaluate on any set of values."""

    def __init__(self, project: Project, data=None) -> None:
        self.project = project
        self.inp = resolve_inputs(project, data)
        self.records = self.inp.records
        self.ranges = self.inp.ranges()
        self.cooling_type = project.cooling.type if project.cooling else "unknown"
        self.refrigerant_none = getattr(project.refrigerant, "type", None) == NO_REFRIGERANT
        flow = self.records.get("cooling.water_flow_m3_per_h")
        self.flow_given = flow is not None and isinstance(flow.value, Range)
        cs = self.inp.cooling
        self.model_deps: tuple[str, ...] = ()
        if cs is not None:
            self.model_deps = tuple(
                k
                for k, r in self.records.items()
                if r.status != "unknown"
                and (k.startswith(("cooling.", "climate")) or k in ("it_capacity_mw", "utilisation"))
            )
            frame = cs.climate.frame
            # The hours that can set the peak: the hottest by dry-bulb and by wet-bulb.
            hot = np.argsort(frame["temp_air_c"].to_numpy())[-48:]
            humid = np.argsort(frame["temp_wet_bulb_c"].to_numpy())[-48:]
            self.hot_hours = np.union1d(hot, humid)
            if cs.water and cs.t_water_in_hourly is not None:
                # The hour the water takes the most heat at full IT load: its coldest intake (the share
                # the loop can give and a flow's capacity both fall as the intake warms; the draws'
                # offset shifts every hour alike). It cannot raise the peak above the hottest hours'.
                self.hot_hours = np.union1d(self.hot_hours, [int(np.argmin(cs.t_water_in_hourly))])
            if self.records["it_capacity_mw"].note_key in _FROM_ANNOUNCED:
                self._it_from_announced_power(project)

    def _it_from_announced_power(self, project: Project) -> None:
        """The IT capacity from an announced facility power or grid connection, with the hourly model.

        The model is linear in the IT load (unless a declared river or sea flow limits the water):
        run at 1 MW of IT, it gives the site's power per MW of IT at full load on the hottest
        hours (grid connection) or the annual PUE (facility), low / high from 500 seeded draws.
        """
        a = project.announced_power
        assert a is not None  # the IT capacity's note says it comes from the announced power
        if a.basis == "facility" and isinstance(project.pue, Range):
            return  # a declared PUE sets the facility power: IT = facility / PUE, already so
        key = "peak_modelled_mw" if a.basis == "grid_connection" else "pue_modelled"

        def per_it_mw(values):
            v = {**values, "it_capacity_mw": 1.0}
            _cooling(self.inp.cooling, v, self.hot_hours, False)
            return v[key]

        central = float(per_it_mw(self.central_values()))
        drawn = np.asarray(per_it_mw(self.draw_values(500, DEFAULT_SEED)), dtype=float)
        lo, hi = uncertainty.percentiles(drawn)
        lo, hi = min(float(lo), central), max(float(hi), central)
        p = a.value_mw
        it = Range(p.low / hi, p.central / central, p.high / lo)
        old = self.records["it_capacity_mw"]
        if a.basis == "grid_connection":
            note = (
                f"announced grid connection {p.central:g} MW / site power per MW of IT at full load on the "
                f"hottest hours, {lo:.3f}-{hi:.3f} (hourly cooling model); no headroom of the connection is "
                "assumed: an upper bound of the IT power"
            )
            note_key = "note.it_capacity.from_announced_grid_connection_modelled"
        else:
            note = f"announced facility power {p.central:g} MW / modelled annual PUE {lo:.3f}-{hi:.3f}"
            note_key = "note.it_capacity.from_announced_facility_modelled"
        self.records["it_capacity_mw"] = InputRecord(
            "it_capacity_mw",
            it,
            "MW",
            "derived",
            old.source.split("; ")[0] + "; hourly cooling model",
            note,
            note_key=note_key,
            note_args=(("ratio_high", hi), ("ratio_low", lo), ("value_mw", p.central)),
        )
        self.ranges = self.inp.ranges()

    def copy(self) -> _Model:
        """A model of its own to run: its records can change (:meth:`replace_grid_intensity`) without
        changing this one's (the resolved inputs that :func:`impact.validate` keeps)."""
        import copy

        new = copy.copy(self)
        new.inp = copy.copy(self.inp)
        new.inp.records = dict(self.inp.records)
        new.records = new.inp.records
        new.ranges = dict(self.ranges)
        return new

    def replace_grid_intensity(self, rec: InputRecord) -> None:
        """Use ``rec`` as the grid intensity (and as the residual mix where that stood in for it)."""
        old = self.records.get(rec.name)
        self.records[rec.name] = rec
        direct = project_data.hourly_direct_intensity(rec)  # the weighted direct rate: the low bound
        if direct is not None:
            self.records[direct.name] = direct
        res = self.records.get("grid.residual_mix_g_per_kwh")
        if res is not None and old is not None and res.status == "default" and res.value == old.value:
            self.records[res.name] = InputRecord(
                res.name, rec.value, rec.unit, "default", rec.source, res.note, res.declared_unknown
            )
        self.ranges = self.inp.ranges()

    def central_values(self) -> dict[str, Any]:
        return {k: r.central for k, r in self.ranges.items()}

    def draw_values(self, draws: int, seed: int) -> dict[str, Any]:
        rng = np.random.default_rng(seed)
        # Point values stay scalars: they broadcast, and cost nothing over the hours.
        return {
            k: r.central if r.is_point else uncertainty.draw_triangular(r.low, r.central, r.high, draws, rng)
            # inputs added later are drawn last (_draw_order): adding them left the others' draws unchanged
            for k, r in sorted(self.ranges.items(), key=lambda kr: (_draw_order(kr[0]), kr[0]))
        }

    def evaluate(self, values: dict[str, Any], hourly: bool = False):
        """Indicators for ``values`` (scalars, or arrays of draws); with ``hourly``, the hourly frame too."""
        v = dict(values)
        frame = None
        if self.inp.cooling is not None:
            frame = _cooling(self.inp.cooling, v, self.hot_hours, hourly)
        out, spec = _run(v, self.cooling_type, self.flow_given, self.model_deps, self.refrigerant_none)
        return out, spec, frame


def _draw_order(name: str) -> int:
    """Inputs added later are drawn after the others (air.*, then heat_reuse.*, then the declared
    ICPE stock, then the noise geometry), leaving theirs unchanged."""
    if _drawn_last(name):
        return 4
    return {"air": 1, "heat_reuse": 2, "icpe": 3}.get(name.split(".")[0], 0)


def _cooling(cs: CoolingSetup, v: dict[str, Any], hot_hours, hourly: bool):
    """Run the hourly cooling model on ``v`` and add its annual results to ``v``."""
    # --- issue 15 (cooling Monte Carlo): where the annual sums come from sorted hours and the peak
    # from the hottest hours (cooling_sums), the draws run in double precision (no hours x draws
    # arrays); otherwise in single precision over hours x draws (half the memory traffic; sums
    # accurate to about 1e-6); the central run in double.
    draws = any(np.ndim(x) for x in v.values())
    hourly_water = bool(cs.water) and cs.t_water_in_hourly is not None
    sortable = cooling_sums.sortable_setup(cs.system, hourly_water, v["cooling.adiabatic_effectiveness"])
    work = np.float32 if draws and not hourly and not sortable else np.float64
    # --- end issue 15

    def col(x):  # draws become a column, to broadcast against the hours
        return x if np.ndim(x) == 0 else np.asarray(x, dtype=work)[:, None]

    frame = cs.climate.frame
    t_air = frame["temp_air_c"].to_numpy(dtype=work)
    t_wb = frame["temp_wet_bulb_c"].to_numpy(dtype=work)
    params = {name: col(v[f"cooling.{name}"]) for name in _NUMERIC_PARAMETERS if name != "hx_approach_k"}
    params.update(
        cop_air_rated=col(v["cooling.cop_air_rated"]),
        t_air_rated_c=v["cooling.t_air_rated_c"],
        cop_water_rated=col(v["cooling.cop_water_rated"]),
        t_water_rated_c=v["cooling.t_water_rated_c"],
        # Part-load ratings (issue 12): the COP follows the lift as both AHRI ratings say.
        cop_air_iplv=col(v["cooling.cop_air_iplv"]) if "cooling.cop_air_iplv" in v else None,
        cop_water_iplv=col(v["cooling.cop_water_iplv"]) if "cooling.cop_water_iplv" in v else None,
    )
    # The climate offset shifts every hour's temperatures, draw by draw, inside simulate's blocks.
    params["temp_offset_k"] = col(v["climate.offset_k"]) if "climate.offset_k" in v else None

    outlet = _outlet_used_c(v) if cs.water else None

    def water_for(hours):
        if not cs.water:
            return None
        t_in = cs.t_water_in_hourly[hours] if cs.t_water_in_hourly is not None else col(v["cooling.water_in_c"])
        limited = "cooling.water_flow_m3_per_h" in v and "cooling.water_out_c" in v
        return {
            "coverage_share": col(v["cooling.coverage_share"]),
            "t_in_c": t_in,
            "t_out_c": col(outlet) if outlet is not None else None,
            "flow_m3_per_h": col(v["cooling.water_flow_m3_per_h"]) if limited else None,
            "density_kg_per_m3": v["water_density_kg_per_m3"],
            "specific_heat_j_per_kg_k": v["water_specific_heat_j_per_kg_k"],
            "hx_approach_k": col(v["cooling.hx_approach_k"]),
            "t_in_offset_k": col(v["cooling.water_in_offset_k"]) if "cooling.water_in_offset_k" in v else None,
        }

    all_hours = slice(None)
    if cooling.SYSTEMS[cs.system].get("liquid"):  # liquid_closed_loop: the liquid loop's parameters
        params["liquid"] = {
            k: col(v[f"cooling.{name}"])
            for k, name in zip(("share", "supply_c", "delta_t_k", "dry_cooler_approach_k"), LIQUID_PARAMETERS)
        }
    it_mw = col(v["it_capacity_mw"] * v["utilisation"])
    res = cooling.simulate(
        system=cs.system,
        it_mw=it_mw,
        temp_air_c=t_air,
        temp_wet_bulb_c=t_wb,
        free_cooling=cs.free_cooling,
        water=water_for(all_hours),
        hourly=hourly,
        **params,
    )
    # --- issue 15: the peak on the hours that can hold it, in blocks of draws (no hours x draws arrays)
    peak_args = dict(system=cs.system, temp_air_c=t_air, temp_wet_bulb_c=t_wb, **params)
    peak_at = cooling_sums.peak_hours(peak_args, hot_hours, hourly_water)
    peak_facility_mw, peak_water_mw = cooling_sums.peak(
        {
            **peak_args,
            "it_mw": col(v["it_capacity_mw"] * np.ones_like(v["utilisation"])),
            "temp_air_c": t_air[peak_at],
            "temp_wet_bulb_c": t_wb[peak_at],
            "free_cooling": cs.free_cooling,
            "water": water_for(peak_at),
        }
    )
    # --- end issue 15
    v.update(
        {
            "pue_modelled": res["pue"],
            "cooling_energy_mwh": res["cooling_energy_mwh"],
            "cooling_energy_chillers_mwh": res["chiller_power_mwh"],
            "cooling_energy_auxiliaries_mwh": res["aux_power_mwh"],
            # Shares of the cooling load (their limit when the IT load is 0: see cooling.simulate).
            "cooling_share_free": res["free_share"],
            "cooling_share_water": res["water_share"],
            "cooling_share_chillers": res["chillers_share"],
            "cooling_saving_share": res["saving_share"],
            **{name: res[key] for name, key in cooling.WATER_SAVING_RESULTS.items()},
            "peak_modelled_mw": peak_facility_mw,
            "water_heat_mwh": res["water_mwh"],
        }
    )
    if cs.water:
        # The heat into the water: its annual mean at the site's load, and its largest hour at full IT load.
        v["thermal_discharge_mean_modelled_mw"] = res["water_mwh"] / len(t_air)
        v["thermal_discharge_max_modelled_mw"] = peak_water_mw
        if "water_volume_m3" in res:
            v["water_volume_modelled_m3"] = res["water_volume_m3"]
    if not hourly:
        return None
    import pandas as pd

    h = {k: np.asarray(x).reshape(-1) for k, x in res["hourly"].items()}
    data = {
        "temp_air_c": t_air,
        "temp_wet_bulb_c": t_wb,
        "it_load_mw": np.full(len(t_air), float(np.asarray(it_mw).reshape(-1)[0])),
        **h,
        "thermal_discharge_mw": h["water_mw"],
    }
    water = water_for(all_hours)
    if water is not None and water["flow_m3_per_h"] is not None:
        # Return temperature of the declared flow, hour by hour.
        data["water_return_c"] = water["t_in_c"] + h["water_mw"] * 1e6 / (
            water["flow_m3_per_h"] * water["density_kg_per_m3"] / 3600.0 * water["specific_heat_j_per_kg_k"]
        )
    return pd.DataFrame(data, index=frame.index)


def _indicators(
    model: _Model, central: dict, spec: dict, drawn: dict, draws: int
) -> tuple[dict[str, Indicator], dict[str, Any]]:
    """Every indicator from the central run and the draws: central, 5th-95th percentiles,
    status (estimated, partial or unknown) with the reason; and the draws themselves."""
    records = model.records
    indicators: dict[str, Indicator] = {}
    samples = {}
    # The cooling model's indicators share one long tuple of inputs: its sources and unknowns once.
    sources_of: dict[tuple[str, ...], tuple[str, ...]] = {}
    unknown_of: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name, info in INDICATORS.items():
        s = spec[name]
        c = central.get(name)
        method = s.method
        if s.deps not in sources_of:
            sources_of[s.deps] = _sources(s.deps, records)
            unknown_of[s.deps] = tuple(_unknown_inputs(s.deps, records))
        sources = sources_of[s.deps]
        if name == "co2e_total_t":
            parts = ("co2e_location_t", "co2e_generators_t", "co2e_refrigerant_t", "co2e_embodied_t_per_year")
            missing = [k for k in parts if central.get(k) is None or indicators[k].status == "partial"]
            sources = tuple(dict.fromkeys(x for k in parts for x in indicators[k].sources))
        else:
            missing = list(unknown_of[s.deps])
        if c is None:
            if s.deps == model.model_deps or name.startswith("cooling_") or name == "pue_modelled":
                why = f"the hourly cooling model could not run: {model.inp.cooling_note}"
            else:
                why = "these inputs are unknown: " + ", ".join(missing) if missing else "an input is unknown"
            indicators[name] = Indicator(
                name, info.unit, None, None, None, "unknown", method, sources, f"unknown, {why}", tuple(missing)
            )
            continue
        d = np.broadcast_to(np.asarray(drawn[name], dtype=float), (draws,))
        c = float(c)
        if not (math.isfinite(c) and np.isfinite(d).all()):
            raise _not_finite(model, name, s.deps, c, d)
        samples[name] = d
        status = "partial" if missing else "estimated"
        note = f"partial: leaves out {', '.join(missing)} (unknown)" if missing else ""
        if name == "co2e_total_t":
            note = _total_defaults_note(records, note)
        if "heat_reuse_share" in missing:
            note = "upper bound: heat reuse is announced but its share is not published (no reuse counted)"
        # low and high below, all the indicators' percentiles at once (issue 15)
        indicators[name] = Indicator(name, info.unit, None, c, None, status, method, sources, note, tuple(missing))
    _add_bands(indicators, samples)
    return indicators, samples


#: Indicators whose percentiles are taken together (:func:`_add_bands`).
BAND_ROWS = 8


def _add_bands(indicators: dict[str, Indicator], samples: dict[str, Any]) -> None:
    """Each drawn indicator's low and high: the 5th and 95th percentiles of its draws (one sort of
    all of them, :func:`impact.model.uncertainty.percentiles_of_rows`), widened to its central."""
    names = list(samples)
    # In groups of rows: a sorted copy of every indicator's draws at once would add about 110 MB
    # at 200,000 draws to the estimate's peak.
    bands = [
        band
        for k in range(0, len(names), BAND_ROWS)
        for band in uncertainty.percentiles_of_rows(np.stack([samples[n] for n in names[k : k + BAND_ROWS]]))
    ]
    for name, (lo, hi) in zip(names, bands, strict=True):
        i = indicators[name]
        c = float(i.central)  # type: ignore[arg-type]  # a drawn indicator is known
        # A skewed range (central at a bound) can put the central value outside the
        # 5-95 % band: the band is widened to include it.
        lo, hi = min(lo, c), max(hi, c)
        indicators[name] = Indicator(
            name, i.unit, clean_number(lo), c, clean_number(hi), i.status, i.method, i.sources, i.note, i.missing
        )


def _samples_frame(samples: dict[str, Any]):
    """The draws of every drawn indicator as a frame, a column each (one block built from one stack,
    as ``pandas.DataFrame(samples)`` would build it)."""
    import pandas as pd

    if not samples:
        return pd.DataFrame(samples)
    return pd.DataFrame(np.stack(list(samples.values())).T, columns=list(samples), copy=False)


def _total_defaults_note(records: dict[str, InputRecord], note: str) -> str:
    """The total's note, naming the parts that rest on site-scaled defaults (not published)."""
    from .totals import defaulted_records

    names = defaulted_records(records)
    if not names:
        return note
    text = f"includes defaults scaled to the site, not published by the promoter: {', '.join(names)}"
    return f"{note}; {text}" if note else text


def _not_finite(model: _Model, name: str, deps: tuple[str, ...], central: float, drawn) -> Exception:
    """The input error of an indicator that is not a finite number, naming the inputs it depends on.

    With bounded inputs (data/schema/project_fields.csv) no indicator should ever be infinite or
    NaN: one that is says which inputs to look at, those the project sets first.
    """
    from .errors import InputError
    from .project import project_path
    from .textsafe import strip_controls

    records = model.records
    what = f"{central:g}" if not math.isfinite(central) else "some of its draws are not finite"
    used = [d for d in dict.fromkeys(deps) if d in records and isinstance(records[d].value, Range)]
    own = [d for d in used if records[d].status == "given"] or used
    shown = ", ".join(f"{d} = {strip_controls(str(records[d].value))[:40]}" for d in own[:8])
    more = f" and {len(own) - 8} more" if len(own) > 8 else ""
    path = project_path(model.project)
    cause = f"it depends on {shown}{more}" if shown else "no input explains it"
    return InputError(
        path.name if path else "<project>",
        [
            (
                "",
                f"the estimate of {name} is not a finite number ({what}); {cause}: one of them is "
                "out of the range where the model means something",
            )
        ],
    )


def estimate(project, *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, data=None) -> Results:
    """Estimate every indicator of ``project`` with its low / central / high range.

    Parameters
    ----------
    project : Project or impact.validation.Resolved
        From :func:`impact.load_project`, or already validated by :func:`impact.validate` (its
        resolved inputs and data files are used; nothing is read again).
    data : impact.project_data.DataFiles, optional
        The run's data files, for a :class:`~impact.project.Project`: files already parsed there
        are not parsed again (a new one when None).
    draws : int, default 2000
        Monte Carlo draws over the ranged inputs (the hourly cooling model runs
        over hours x draws at once).
    seed : int
        Seed of the random generator: the same seed gives the same results.

    Returns
    -------
    Results
        With ``hourly``, the hourly frame of the central run, when the cooling
        model ran (None otherwise, and ``meta['cooling_model']`` says why).

    Raises
    ------
    InputError
        for anything :func:`impact.validate` refuses (``scope="estimate"``: ``impact check`` refuses
        it too).
    """
    from .validation import Resolved, validate

    if draws < 100:
        raise ValueError("draws must be at least 100 for the 5th and 95th percentiles to mean anything")
    resolved = project if isinstance(project, Resolved) else validate(project, data=data, scope="estimate")
    project, data = resolved.project, resolved.data
    model = resolved.model.copy()
    records = model.records
    central, spec, hourly = model.evaluate(model.central_values(), hourly=True)
    if hourly is not None and project.grid is not None and project.grid.eco2mix:
        # The grid's hourly intensity, weighted by the site's modelled hourly power.
        model.replace_grid_intensity(project_data.hourly_grid_intensity(project, hourly["facility_mw"], data))
        central, spec, hourly = model.evaluate(model.central_values(), hourly=True)
    drawn, _, _ = model.evaluate(model.draw_values(draws, seed))
    indicators, samples = _indicators(model, central, spec, drawn, draws)

    _check_consistency(indicators, model, hourly)
    announced = _check_announced_power(indicators, project, records)
    meta = {
        "tool": f"impact {__version__}",
        "input_fingerprint": fingerprint(project, data),
        "year": records["year"].value,
        "draws": draws,
        "seed": seed,
        "cooling_model": "hourly" if model.inp.cooling is not None else f"not run: {model.inp.cooling_note}",
        # Which series stood for the site's climate (None: none), for the dossier.
        "climate": (
            model.inp.climate.choice.to_dict()
            if model.inp.climate is not None and model.inp.climate.choice is not None
            else None
        ),
        "cooling_model_reason": cooling_model_reason(model.records, model.inp.cooling is not None),
        "procedure": model.inp.procedure.to_dict() if model.inp.procedure is not None else None,
        "announced_power": announced,
        "water_outlet": _outlet_facts(indicators, records, model.flow_given),
        "site": model.inp.site.to_dict() if model.inp.site is not None else None,
        # monthly degree-days (those the inputs computed), monthly reuse
        **heatreuse.meta(model.inp.climate, project.country, records, model.inp.heating_degree_days_by_month),
        "ramp_up": _ramp_up_facts(project, records, central, drawn, draws),
    }
    results = Results(project, indicators, records, _samples_frame(samples), meta, hourly)
    results.site = model.inp.site
    # --- the substations (context.substations, else the shipped table): impact/project_data.py
    peak = results["peak_demand_mw"]
    grid = project_data.grid_connection(project, peak.central if peak.known else None, model.inp.site, data)
    nearest = grid.pop("nearest", None) if grid is not None else None  # kept once, in nearest_substations
    results.nearest_substations = nearest or None
    results.meta["grid_connection"] = grid
    return results


def sensitivity(project, indicator: str, data=None):
    """One-at-a-time sensitivity of ``indicator`` to each ranged input (a tornado chart's data).

    Each input that has a range is set to its low, then its high, with every other
    input at its central value. ``project``: a :class:`~impact.project.Project` (its inputs are
    resolved, its files read through ``data``, a :class:`impact.project_data.DataFiles`), or an
    :class:`impact.validation.Resolved` (its resolved inputs are used).

    Returns
    -------
    pandas.DataFrame
        One row per ranged input: ``input``, ``unit``, ``input_low``,
        ``input_high``, ``indicator_at_low``, ``indicator_at_high``, ``central``,
        ``swing`` (absolute difference), sorted by decreasing swing.
    """
    import pandas as pd

    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}; expected one of: {', '.join(INDICATORS)}")
    from .validation import Resolved

    model = project.model.copy() if isinstance(project, Resolved) else _Model(project, data)
    base = model.central_values()
    central = model.evaluate(base)[0].get(indicator)
    rows = []
    for name, r in model.ranges.items():
        if r.is_point:
            continue
        at: dict[str, float] = {}
        for side in ("low", "high"):
            value = model.evaluate({**base, name: getattr(r, side)})[0].get(indicator)
            if value is None:
                break
            at[side] = float(value)
        if len(at) < 2:  # the indicator is not known
            continue
        # Rounding noise of the model is not an effect.
        scale = max(abs(at["low"]), abs(at["high"]), abs(float(central or 0.0)), 1e-300)
        for side in ("low", "high"):
            if central is not None and abs(at[side] - float(central)) <= 1e-9 * scale:
                at[side] = float(central)
        rows.append(
            {
                "input": name,
                "unit": model.records[name].unit,
                "input_low": r.low,
                "input_high": r.high,
                "indicator_at_low": at["low"],
                "indicator_at_high": at["high"],
                "central": None if central is None else float(central),
                "swing": abs(at["high"] - at["low"]),
            }
        )
    columns = ["input", "unit", "input_low", "input_high", "indicator_at_low", "indicator_at_high", "central", "swing"]
    return pd.DataFrame(rows, columns=columns).sort_values("swing", ascending=False, ignore_index=True)


def cooling_model_reason(records: dict[str, InputRecord], ran: bool) -> str:
    """Why the hourly cooling model did not run, as a key: ``""`` (it ran), ``no_climate`` (the
    tool has no climate for this place), ``cooling_not_described`` (the project gives no cooling
    type) or ``water_temperature_unknown`` (river water of unknown temperature)."""
    if ran:
        return ""
    clim = records.get("climate")
    if clim is not None and clim.status == "unknown":
        return "no_climate"
    kind = records.get("cooling.type")
    if kind is None or kind.status == "unknown":
        return "cooling_not_described"
    return "water_temperature_unknown"


def _check_announced_power(indicators: dict[str, Indicator], project: Project, records) -> dict | None:
    """The announced power as facts: how it was used, its check, and a peak above an announced connection.

    When the IT capacity was derived from it, it is not checked (it would echo itself), but a
    modelled peak above an announced grid connection is flagged on ``peak_demand_mw``.
    When the IT capacity is given too, the announced power is compared with the estimate:
    the peak (grid connection), the site power at full IT load (facility) or the IT capacity (it).
    """
    a = project.announced_power
    if a is None:
        return None
    it_rec = records["it_capacity_mw"]
    derived = it_rec.status == "derived" and it_rec.note_key.startswith("note.it_capacity.from_announced")
    value = a.value_mw.central
    out: dict[str, Any] = {
        "value_mw": value,
        "basis": a.basis,
        "source": a.source,
        "use": "it_capacity_derived" if derived else "checked",
        "check": None,
        "peak_exceeds_connection": None,
    }
    compare = {"grid_connection": "peak_demand_mw", "facility": "facility_power_mw", "it": "it_capacity_mw"}[a.basis]
    if compare == "it_capacity_mw":
        v = it_rec.value
        low, central, high = (v.low, v.central, v.high) if isinstance(v, Range) else (None, None, None)
    else:
        ind = indicators[compare]
        low, central, high = ind.low, ind.central, ind.high
    if not derived:
        from .claims import verdict_for

        verdict, reason = verdict_for(compare, value, low, central, high)
        out["check"] = {
            "compared_with": compare,
            "low": low,
            "central": central,
            "high": high,
            "verdict": verdict,
            "reason": reason,
        }
    pk = indicators["peak_demand_mw"]
    if a.basis == "grid_connection" and pk.known:
        # A 0.5 % slack for the rounding of the announced figure, as for claims.
        above = "central" if pk.central > value * 1.005 else "high" if pk.high > value * 1.005 else ""
        out["peak_exceeds_connection"] = above or False
        if above:
            where = "the central estimate" if above == "central" else "the high end of the range"
            note = (
                f"{where} of the peak exceeds the announced grid connection ({value:g} MW): the site cannot "
                "draw more than its connection, so the IT power or the PUE is lower than assumed, or the "
                "connection is larger"
            )
            indicators["peak_demand_mw"] = Indicator(
                **{**pk.__dict__, "note": "; ".join(x for x in (pk.note, note) if x)}
            )
    return out


def _check_consistency(indicators, model: _Model, hourly) -> None:
    """Add notes where declared figures do not hang together."""
    _check_outlet(indicators, model)
    from .water_resource import mark_not_applicable

    mark_not_applicable(indicators, model.cooling_type)  # no water returned: the rise does not apply
    if model.cooling_type not in WATER_COOLED or not model.flow_given:
        return
    records = model.records
    if not all(isinstance(records[k].value, Range) for k in ("cooling.water_in_c", "cooling.water_out_c")):
        return

    def central(key: str) -> float:
        value = records[key].value
        assert isinstance(value, Range), key  # checked above (flow_given, temperatures), or a physical constant
        return value.central

    flow = central("cooling.water_flow_m3_per_h")
    t_out = central("cooling.water_out_c")
    reach = indicators["water_outlet_reachable_c"]
    used = min(t_out, reach.central) if reach.known else t_out
    rho = central("water_density_kg_per_m3")
    cp = central("water_specific_heat_j_per_kg_k")
    # What the flow could carry up to the outlet used, against the largest hour the site sends.
    capacity = heat.thermal_power_mw(flow, used - central("cooling.water_in_c"), rho, cp)
    td = indicators["thermal_discharge_max_mw"]
    if td.known and td.central < 0.95 * capacity:
        note = (
            f"the declared flow and temperatures could carry {capacity:.1f} MW; the site sends at most "
            f"{td.central:.1f} MW to the water (full IT load, hottest hour)"
        )
        if hourly is not None and "water_return_c" in hourly:
            note += (
                f", so at its mean load the water returns at {hourly['water_return_c'].max():.1f} °C at most, not "
                f"{used:g} °C (or the flow is lower)"
            )
        indicators["thermal_discharge_max_mw"] = Indicator(**{**td.__dict__, "note": note})


def outlet_check(indicators, records) -> dict | None:
    """The declared outlet temperature against the one the cooling loop can reach (second law).

    Returns None when the site is not cooled by a river or the sea, or no outlet is declared; else
    the declared outlet, the reachable one (central, low, high: 5th-95th percentiles of the
    draws), the outlet the heat balance uses (the lower of the two, at the central values) and
    ``reachable``: False when the declared outlet is above the central reachable one.
    """
    reach = indicators.get("water_outlet_reachable_c")
    rec = records.get("cooling.water_out_c")
    if reach is None or not reach.known or rec is None or not isinstance(rec.value, Range):
        return None
    declared = rec.value.central
    return {
        "declared_c": declared,
        "reachable_c": reach.central,
        "reachable_low_c": reach.low,
        "reachable_high_c": reach.high,
        "used_c": min(declared, reach.central),
        "reachable": declared <= reach.central + 0.05,  # 0.05 K: the rounding of a declared temperature
        "status": rec.status,
    }


def _outlet_facts(indicators, records, flow_given: bool) -> dict | None:
    """:func:`outlet_check` with the loop's central temperatures and, for a constant intake and no
    declared flow, the volume at the declared outlet (for the dossier's sentences)."""
    check = outlet_check(indicators, records)
    if check is None:
        return None
    for key in WATER_LOOP:
        rec = records.get(key)
        check[key.split(".")[1]] = rec.value.central if rec is not None and isinstance(rec.value, Range) else None
    check["volume_m3"] = indicators["water_returned_m3"].central
    check["volume_at_declared_m3"] = None
    t_in = records.get("cooling.water_in_c")
    vol = check["volume_m3"]
    if (
        not check["reachable"]
        and not flow_given
        and vol is not None
        and t_in is not None
        and isinstance(t_in.value, Range)
    ):
        # The same heat at a larger rise: the volume scales as (used - intake) / (declared - intake).
        tin = t_in.value.central
        if check["declared_c"] > tin and check["used_c"] > tin:
            check["volume_at_declared_m3"] = vol * (check["used_c"] - tin) / (check["declared_c"] - tin)
    return check


def _check_outlet(indicators, model: _Model) -> None:
    """Notes on the water's volume when the declared outlet cannot be reached, and on the reachable outlet."""
    reach = indicators["water_outlet_reachable_c"]
    if model.cooling_type not in WATER_COOLED:
        indicators["water_outlet_reachable_c"] = Indicator(
            **{**reach.__dict__, "note": "no river or sea cooling: no water outlet"}
        )
        return
    check = outlet_check(indicators, model.records)
    if check is None or check["reachable"]:
        return
    note = (
        f"the declared outlet ({check['declared_c']:g} °C) is above what the cooling loop can reach "
        f"({check['reachable_c']:.1f} °C, {check['reachable_low_c']:.1f}-{check['reachable_high_c']:.1f} °C): "
        f"the volume uses {check['reachable_c']:.1f} °C, the warmest water the loop can give"
    )
    vol = indicators["water_returned_m3"]
    if vol.known and not model.flow_given:
        indicators["water_returned_m3"] = Indicator(
            **{**vol.__dict__, "note": "; ".join(x for x in (vol.note, note) if x)}
        )
