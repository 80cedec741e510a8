"""The dossier's heat-reuse paragraph: the heat networks near the site (by distance), the share of
its steady heat a seasonal network could take month by month, and the energy reuse factor that bounds.

See docs/heatreuse.md. The networks are the 2026 « arrêté DPE » list (data/france/heat_networks.csv);
the list has no geometry: a network's distance is the distance to the point of its main commune. The
yearly figures are the engine's indicators (``heat_reuse_seasonal_*``, ``erf_seasonal_max``); the
monthly table is ``meta["heat_reuse_monthly_share"]``.
"""

from __future__ import annotations

from typing import Any

from . import fmt
from .catalogue import catalogue

#: Names of the département's networks without a commune shown, at most.
MAX_UNPLACED = 5
#: Rows of the networks' table, at most (the nearest).
MAX_ROWS = 12


def _data(text: str):
    """Names read from the networks' list: a data row (not the tool's words), escaped."""
    from markupsafe import Markup

    return Markup('<span class="data" lang="fr">{}</span>').format(text)


def _commune(r):
    site = getattr(r, "site", None)
    return getattr(site, "commune", None) if site is not None else None


def _share(ind, lang: str) -> dict[str, str]:
    return {k: fmt.percent(getattr(ind, k), lang, digits=2) for k in ("low", "central", "high")}


def _networks(r, lang: str, out: dict[str, Any]) -> None:
    """The networks' sentences, table rows and, when none is near, the question of the legal duty."""
    from .. import heatreuse

    t = catalogue(lang)
    c = _commune(r)
    near = heatreuse.nearby_networks(r) if c is not None else None
    if near is None:
        return
    radius = fmt.number(near["radius_km"], lang, decimals=0)
    shown = near["near"]
    if near["within"] > MAX_ROWS:  # a dense area: the nearest only, none beyond
        shown = shown[:MAX_ROWS]
        out["network_sentences"].append(
            t("heatreuse.networks.within_many", count=near["within"], radius=radius, shown=MAX_ROWS)
        )
    elif near["within"]:
        out["network_sentences"].append(t("heatreuse.networks.within", count=near["within"], radius=radius))
    else:
        out["network_sentences"].append(t("heatreuse.networks.none_within", radius=radius))
    if near["basis"] == "commune":
        out["network_sentences"].append(t("heatreuse.networks.basis.commune"))
    for n in shown:
        out["networks"].append(
            {
                "name": _data(n["name"]),
                "commune": _data(n["commune_name"] or n["localisation"]),
                "distance": t("heatreuse.same_commune") if n["same_commune"] else fmt.distance(n["distance_km"], lang),
                "renewable": fmt.percent(n["renewable_share_pct"] / 100.0, lang, digits=2)
                if n["renewable_share_pct"] is not None
                else fmt.unknown(lang),
            }
        )
    if near["unplaced"]:
        names = _data(", ".join(f"{n['name']} ({n['localisation']})" for n in near["unplaced"][:MAX_UNPLACED]))
        out["network_sentences"].append(
            t.markup("heatreuse.networks.unplaced", count=len(near["unplaced"]), dep=c.dep_name or c.dep, names=names)
        )
    if near["cooling_within"]:
        out["network_sentences"].append(t("heatreuse.networks.cooling", count=near["cooling_within"], radius=radius))
    out["network_note"] = t("heatreuse.networks.source")
    if not near["within"]:
        out["questions"].append(t("heatreuse.question.no_network", radius=radius))


def section(r, lang: str) -> dict[str, Any]:
    """The facts and sentences of the heat-reuse paragraph."""
    from .. import heatreuse

    t = catalogue(lang)
    out: dict[str, Any] = {
        "network_sentences": [],
        "networks": [],
        "network_note": "",
        "sentences": [],
        "months": [],
        "silent": t("heatreuse.silent"),
        "questions": [],
    }
    _networks(r, lang, out)
    share = r.indicators.get(heatreuse.SHARE_MAX) if getattr(r, "indicators", None) else None
    if share is not None and share.known:
        mwh = r.indicators[heatreuse.MWH_MAX]
        s = _share(share, lang)
        out["sentences"].append(
            t(
                "heatreuse.seasonal",
                **s,
                mwh=fmt.value_range(mwh.central, mwh.low, mwh.high, mwh.unit, lang),
            )
        )
        monthly = (getattr(r, "meta", None) or {}).get("heat_reuse_monthly_share")
        if monthly:
            month_names = t("heatreuse.month_names").split(",")
            out["months"] = [
                {"month": m.strip(), "share": fmt.percent(x, lang, digits=2)} for m, x in zip(month_names, monthly)
            ]
        for check in heatreuse.declared_share_checks(r):
            out["sentences"].append(
                t(
                    "heatreuse.declared_above",
                    declared=fmt.percent(check.claimed, lang, digits=2),
                    high=s["high"],
                )
            )
    out["questions"].append(t("heatreuse.question.monthly"))
    out["questions"].append(t("heatreuse.question.size"))
    return out
