"""All the dossier's figures, written to one folder of this run (the only folder,
besides the templates, that the PDF renderer may read)."""

from __future__ import annotations

import base64
import time
from pathlib import Path
from typing import Any


def tornado_indicator(results) -> str:
    """The indicator of the sensitivity chart: the cooling saving when there is one, else
    the site's electricity."""
    saving = results["cooling_saving_share"]
    return "cooling_saving_share" if saving.known and saving.central > 0 else "facility_energy_mwh"


def map_context(layers: dict, lang: str = "fr", registry=None) -> dict:
    """The project's ``context`` files (:func:`impact.project_data.load_context`) as the map's
    layers; ``registry``: the rows of ``--registry`` (they replace ``context.registry``'s).
    The map names each layer's source itself (:func:`impact.report.maps.site_map`)."""
    ctx: dict = {}
    for key in ("substations", "boundaries"):
        if key in layers:
            ctx[key] = layers[key]
    if "cables" in layers:
        cables = layers["cables"]
        points = cables[cables["kind"] == "landing_point"]
        if len(points):
            ctx["landing_points"] = points
    rows = registry if registry is not None else layers.get("registry")
    if rows:
        ctx["registry"] = rows
    return ctx


def make_figures(
    results, alternatives, folder: Path, lang: str = "fr", timings: dict | None = None, registry=None, resolved=None
) -> dict:
    """Render every figure of the dossier into ``folder``.

    Parameters
    ----------
    results : Results
        The project's estimate.
    alternatives : list of (name, Results)
        The declared alternatives, estimated.
    folder : Path
        This run's temporary folder.
    resolved : impact.validation.Resolved, optional
        The run's validated project (:func:`impact.validate`): its context layers and resolved
        inputs are drawn and varied as they are, no file is read again. Without it, they are
        resolved from ``results.project``.

    Returns
    -------
    dict
        Figure name -> ``data:`` URL (None when the figure does not apply).
    """
    from ..engine import sensitivity
    from ..project_data import load_context
    from . import charts, maps

    timings = {} if timings is None else timings
    out: dict[str, Any] = {}  # data: URLs (None when not drawn), the map's texts, its connectable list

    def save(name, fig, save_fn, suffix):
        if fig is None:
            out[name] = None
            return
        path = folder / f"{name}{suffix}"
        save_fn(fig, path)
        # Embedded as data: URLs: the PDF's image names then depend on the pixels only
        # (not on this run's temporary folder), so that builds are byte-identical.
        mime = "image/png" if suffix == ".png" else "image/svg+xml"
        out[name] = f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")

    def timed(name, make):
        t0 = time.perf_counter()
        make()
        timings[name] = time.perf_counter() - t0

    layers = resolved.context if resolved is not None else load_context(results.project)
    context = map_context(layers, lang, registry)
    if results.project.location is not None:

        def city_map():
            fig = maps.site_map(results, scale="city", context=context, lang=lang, text_below=False)
            out["map_nearest_text"] = fig.impact_map.get("nearest_text") or ""
            out["map_caption"] = maps.map_caption(fig, lang)
            out["map_connectable"] = fig.impact_map.get("connectable") or []
            save("map_city", fig, maps.save_figure, ".png")

        timed("map_city", city_map)
        timed(
            "map_small",
            lambda: save(
                "map_small", maps.site_map(results, scale="small", context=context, lang=lang), maps.save_figure, ".png"
            ),
        )
    else:
        out["map_city"] = out["map_small"] = None
        out["map_nearest_text"] = out["map_caption"] = ""
        out["map_connectable"] = []
    timed(
        "monthly", lambda: save("monthly", charts.monthly_electricity(results, lang=lang), charts.save_figure, ".png")
    )
    timed(
        "cooling_modes",
        lambda: save("cooling_modes", charts.cooling_modes(results, lang=lang), charts.save_figure, ".png"),
    )
    indicator = tornado_indicator(results)

    def tornado():
        frame = sensitivity(resolved if resolved is not None else results.project, indicator)
        save("tornado", charts.tornado(frame, indicator, lang=lang) if len(frame) else None, charts.save_figure, ".png")

    timed("tornado", tornado)
    timed("water", lambda: save("water", charts.water_bars(results, lang=lang), charts.save_figure, ".png"))
    timed("carbon", lambda: save("carbon", charts.carbon_bars(results, lang=lang), charts.save_figure, ".png"))
    if alternatives:
        from .catalogue import catalogue

        rows = [(catalogue(lang)("alternatives.declared"), results["facility_energy_mwh"])]
        rows += [(name, r["facility_energy_mwh"]) for name, r in alternatives]
        timed(
            "alternatives",
            lambda: save(
                "alternatives",
                charts.alternatives_bars(rows, "facility_energy_mwh", lang=lang),
                charts.save_figure,
                ".png",
            ),
        )
    else:
        out["alternatives"] = None
    return out
