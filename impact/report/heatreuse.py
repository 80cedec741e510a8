"""The dossier's heat-reuse paragraph: the heat networks near the site, the share of its steady
heat a seasonal network could take month by month, and the energy reuse factor that bounds.

See docs/heatreuse.md. The networks are the 2026 « arrêté DPE » list (data/france/heat_networks.csv);
without geometry, « nearby » means the commune and the rest of its département.
"""

from __future__ import annotations

from typing import Any

from . import fmt
from .catalogue import catalogue

#: Names of the département's other networks shown, at most.
MAX_OTHERS = 5


def _data(text: str):
    """Names read from the networks' list: a data row (not the tool's words), escaped."""
    from markupsafe import Markup

    return Markup('<span class="data" lang="fr">{}</span>').format(text)


def _commune(r):
    site = getattr(r, "site", None)
    c = getattr(site, "commune", None) if site is not None else None
    return c


def seasonal_shares(r) -> dict[str, Any] | None:
    """Monthly weights and the yearly reuse bound (low, central, high base share), from the site's
    monthly heating degree-days (``meta["heating_degree_days_by_month"]``); None without them."""
    from ..model import heatreuse
    from ..sources import reference as ref

    hdd_list = (getattr(r, "meta", None) or {}).get("heating_degree_days_by_month")
    if not hdd_list or sum(hdd_list) <= 0:
        return None
    import numpy as np

    hdd = np.asarray(hdd_list, dtype=float)
    row = ref.require("heat_reuse", quantity="network_base_share")
    base = row.known()
    shares = {
        k: heatreuse.seasonal_reuse_share_max(heatreuse.monthly_demand_weights(hdd, b))
        for k, b in (("low", base.low), ("central", base.central), ("high", base.high))
    }
    w = heatreuse.monthly_demand_weights(hdd, base.central)
    return {
        "hdd": hdd,
        "monthly_share": w / w.max(),  # share of the month's heat a network sized for its busiest month takes
        # More base load, flatter demand, more reuse: the low base share gives the low bound.
        "share": shares,
        "source": row.citation,
    }


def section(r, lang: str) -> dict[str, Any]:
    """The facts and sentences of the heat-reuse paragraph."""
    from ..sources import france

    t = catalogue(lang)
    out: dict[str, Any] = {"sentences": [], "months": [], "questions": []}
    c = _commune(r)
    if c is not None:
        here = [n for n in france.heat_networks(commune_code=c.code) if n["kind"] == "heat"]
        codes = {n["id"] for n in here}
        others = [n for n in france.heat_networks(dep=c.dep) if n["kind"] == "heat" and n["id"] not in codes]
        if here:
            names = _data(", ".join(n["name"] for n in here))
            out["sentences"].append(
                t.markup("heatreuse.networks.commune", count=len(here), names=names, commune=c.name)
            )
        else:
            out["sentences"].append(t("heatreuse.networks.none_commune", commune=c.name))
        if others:
            shown = _data(
                ", ".join(f"{n['name']} ({n['commune_name'] or n['localisation']})" for n in others[:MAX_OTHERS])
            )
            out["sentences"].append(
                t.markup("heatreuse.networks.departement", count=len(others), dep=c.dep_name or c.dep, names=shown)
            )
        out["sentences"].append(t("heatreuse.networks.source"))
        if not here and not others:
            out["questions"].append(t("heatreuse.question.no_network"))
    s = seasonal_shares(r)
    if s is not None:
        sh = s["share"]
        out["sentences"].append(
            t(
                "heatreuse.seasonal",
                central=fmt.percent(sh["central"], lang, digits=2),
                low=fmt.percent(sh["low"], lang, digits=2),
                high=fmt.percent(sh["high"], lang, digits=2),
            )
        )
        month_names = t("heatreuse.month_names").split(",")
        out["months"] = [
            {"month": m.strip(), "share": fmt.percent(x, lang, digits=2)}
            for m, x in zip(month_names, s["monthly_share"])
        ]
        declared = r.inputs.get("heat_reuse_share") if getattr(r, "inputs", None) else None
        value = getattr(declared, "value", None) if declared is not None and declared.status == "given" else None
        central = getattr(value, "central", value)
        if isinstance(central, (int, float)) and central > sh["high"]:
            out["sentences"].append(
                t(
                    "heatreuse.declared_above",
                    declared=fmt.percent(central, lang, digits=2),
                    high=fmt.percent(sh["high"], lang, digits=2),
                )
            )
    out["questions"].append(t("heatreuse.question.monthly"))
    return out
