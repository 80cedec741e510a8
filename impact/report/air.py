"""The dossier's section « air quality »: NOx, PM, CO and SO2 of the backup generators, a year of
tests beside the hour of all of them at full load (docs/air-quality.md)."""

from __future__ import annotations

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
