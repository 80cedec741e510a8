"""The dossier's section « air quality »: NOx, PM, CO and SO2 of the backup generators, a year of
tests beside the hour of all of them at full load (docs/air-quality.md)."""

from __future__ import annotations

from ..model import air as air_model
from ..sources import reference as ref
from . import fmt, narrative
from .catalogue import catalogue

#: (pollutant, annual indicator, full-load indicator or None)
ROWS = (
    ("nox", "nox_generators_t", "nox_generators_full_load_kg_per_h"),
    ("pm", "pm_generators_t", "pm_generators_full_load_kg_per_h"),
    ("co", "co_generators_t", None),
    ("so2", "so2_generators_t", None),
)
FACTORS = ("air.nox_g_per_kwh", "air.pm_g_per_kwh", "air.co_g_per_kwh")


def section(r, lang: str) -> dict:
    """Rows of the table and the notes under it (factors by default, Stage V for comparison)."""
    t = catalogue(lang)
    rows = [
        {
            "pollutant": t(f"air.pollutant.{p}"),
            "year": narrative.value_text(r, annual, lang),
            "hour": narrative.value_text(r, hourly, lang) if hourly else "",
        }
        for p, annual, hourly in ROWS
    ]
    notes = []
    recs = [r.inputs.get(k) for k in FACTORS]
    if any(rec is not None and rec.status == "default" for rec in recs):
        notes.append(t("air.note.default_factors"))
    stage_v = _stage_v(r, lang)
    if stage_v:
        notes.append(stage_v)
    hours, load = r.inputs.get("generators.test_hours_per_year"), r.inputs.get("generators.test_load_share")
    if hours is not None and load is not None and hours.value is not None and load.value is not None:
        key = "air.note.programme_default" if "default" in (hours.status, load.status) else "air.note.programme"
        notes.append(t(key, hours=fmt.plain(hours.value.central, lang), load=fmt.plain(100 * load.value.central, lang)))
    return {"rows": rows, "notes": notes}


def _stage_v(r, lang: str) -> str:
    """What the same engines would emit in the full-load hour at the EU Stage V limits (after-treatment)."""
    nox = r.indicators.get("nox_generators_full_load_kg_per_h")
    factor = r.inputs.get("air.nox_g_per_kwh")
    if nox is None or not nox.known or factor is None or factor.value is None or not factor.value.central:
        return ""
    installed_mw = nox.central / factor.value.central  # kg/h = MW x g/kWh (impact.model.air)
    nox_v = ref.require("air_emissions", fuel="diesel", quantity="stage_v_nox_g_per_kwh").known().central
    pm_v = ref.require("air_emissions", fuel="diesel", quantity="stage_v_pm_g_per_kwh").known().central
    return catalogue(lang)(
        "air.note.stage_v",
        nox_limit=fmt.plain(nox_v, lang),
        pm_limit=fmt.plain(pm_v, lang),
        nox=fmt.quantity(installed_mw * nox_v, "kg/h", lang, scale=False),
        pm=fmt.quantity(installed_mw * pm_v, "kg/h", lang, scale=False),
    )


def more(r, lang: str) -> dict:
    """The grid-outage scenario (a paragraph), the fuel, the limit value and the local comparison (notes):
    issue 13 item 1, second part (docs/air-quality.md)."""
    t = catalogue(lang)
    paragraphs = [p for p in (_outage(r, lang),) if p]
    notes = [n for n in (_fuel(r, lang), _limit(r, lang)) if n]
    notes.append(t("air.note.local"))
    return {"paragraphs": paragraphs, "notes": notes}


def fuel_of(r) -> str:
    """The generators' fuel as the project file gives it (``diesel`` by default)."""
    gen = getattr(getattr(r, "project", None), "generators", None)
    return getattr(gen, "fuel", "diesel") or "diesel"


def _outage(r, lang: str) -> str:
    ind = r.indicators.get("nox_generators_outage_t")
    energy = r.indicators.get("facility_energy_mwh")
    if ind is None or not ind.known or energy is None or not energy.known:
        return ""
    declared = r.inputs.get("generators.outage_scenario_hours")
    rec = declared if declared is not None else r.inputs.get("generators.fuel_autonomy_hours")
    if rec is None or rec.value is None:
        return ""
    text = catalogue(lang)(
        "air.outage.declared" if declared is not None else "air.outage.autonomy",
        hours=fmt.plain(rec.value.central, lang),
        demand=fmt.quantity(air_model.mean_demand_mw(energy.central), "MW", lang),
        nox=narrative.value_text(r, "nox_generators_outage_t", lang),
        pm=narrative.value_text(r, "pm_generators_outage_t", lang),
        co2e=narrative.value_text(r, "co2e_generators_outage_t", lang),
        nox_year=narrative.value_text(r, "nox_generators_t", lang),
    )
    stock = r.inputs.get("icpe.fuel_storage_m3")
    if declared is None and stock is not None and stock.status == "given":
        # the declared stock holds its own number of hours (ICPE section): the default length is not it
        text += " " + catalogue(lang)("air.outage.stock_declared")
    return text


def _fuel(r, lang: str) -> str:
    hvo = ref.require("air_emissions", fuel="hvo", quantity="co2e_kg_per_l").known()
    diesel = ref.require("fuel", fuel="diesel", quantity="emission_factor").known().central
    args = {"low": fmt.plain(hvo.low, lang), "high": fmt.plain(hvo.high, lang), "diesel": fmt.plain(diesel, lang)}
    if fuel_of(r) == "hvo":
        sulphur = ref.require("air_emissions", fuel="hvo", quantity="sulphur_mg_per_kg").known().high
        return catalogue(lang)("air.note.hvo", sulphur=fmt.plain(sulphur, lang), **args)
    return catalogue(lang)("air.note.diesel", **args)


def limit_g_per_kwh(r) -> tuple[float, float] | None:
    """The French NOx limit for engines as g/kWh with the fuel of ``r`` (central values), and the dry
    flue gas per kg [Nm3/kg] it takes (impact.model.air)."""
    fuel = r.inputs.get("generators.fuel_l_per_kwh")
    density = r.inputs.get("air.density_kg_per_l")
    if fuel is None or density is None or fuel.value is None or density.value is None:
        return None
    limit = ref.require("air_emissions", fuel="diesel", quantity="elv_nox_mg_per_nm3").known().central
    o2 = ref.require("air_emissions", fuel="diesel", quantity="elv_o2_reference").known().central
    h_per_c = ref.require("air_emissions", fuel="diesel", quantity="hydrogen_to_carbon_ratio").known().central
    carbon, hydrogen = air_model.hydrocarbon_mass_shares(h_per_c)
    flue = air_model.dry_flue_gas_nm3_per_kg(carbon, hydrogen, o2)
    return air_model.limit_g_per_kwh(limit, flue, fuel.value.central * density.value.central), flue


def _limit(r, lang: str) -> str:
    got = limit_g_per_kwh(r)
    factor = r.inputs.get("air.nox_g_per_kwh")
    if got is None or factor is None or factor.value is None:
        return ""
    limit_g, flue = got
    limit = ref.require("air_emissions", fuel="diesel", quantity="elv_nox_mg_per_nm3").known().central
    return catalogue(lang)(
        "air.note.limit" if factor.value.central > limit_g else "air.note.limit_met",
        limit=fmt.plain(limit, lang),
        flue=fmt.number(flue, lang),
        limit_g=fmt.number(limit_g, lang),
        factor=fmt.plain(factor.value.central, lang),
        ratio=fmt.number(factor.value.central / limit_g, lang, digits=2),
    )


def questions(r, lang: str) -> list[str]:
    """Questions of the air section: the test programme when not published, HVO's feedstock, the
    commune's emissions and the air of the nearest homes."""
    t = catalogue(lang)
    out = []
    hours = r.inputs.get("generators.test_hours_per_year")
    if hours is None or hours.status != "given":
        out.append(t("air.question.programme"))
    if fuel_of(r) == "hvo":
        out.append(t("air.question.hvo"))
    out.append(t("air.question.local"))
    return out
