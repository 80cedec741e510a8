"""The Agg renderer that keeps text work from one figure to the next (impact.report.agg_text,
issue 15): each kept result is matplotlib's own, and whole figures have the pixels of
matplotlib's stock ``FigureCanvasAgg``, with the caches empty, warm, and forgetting.

- text extents, font height metrics and text outlines equal the stock renderer's, the
  stock ``Text._get_layout`` table reading and the stock ``TextToPath``, bit for bit;
- a figure of plain, bold, italic, rotated, multi-line, mathtext and haloed texts at two
  resolutions, and the dossier's charts for two sites (French and English), have the decoded
  pixels of the same figures drawn by the stock canvas (no tolerance);
- with bounds of two entries (the caches forgetting all the time) the pixels are the same.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.font_manager import FontProperties

from impact.report import agg_text

from .test_charts import AJACCIO

TEXTS = ["Marseille", "lp", "Saint-Étienne-du-Rouvray", "400 kV — 12,5 km", "Aix-en-Provence (13)", "ﬁ Œ µ ²"]
PROPS = [
    FontProperties(size=6.6, style="italic"),
    FontProperties(size=7.0, weight="bold"),
    FontProperties(size=5.4),
    FontProperties(size=9.0, family="serif"),
]


@pytest.fixture(autouse=True)
def cold():
    agg_text.clear()
    yield
    agg_text.clear()


def test_kept_text_extents_are_agg_s_own():
    _, renderer = agg_text.canvas_classes()
    for dpi in (72.0, 150.0):
        plain, kept, again = RendererAgg(10, 10, dpi), renderer(10, 10, dpi), renderer(20, 30, dpi)
        for s in TEXTS:
            for prop in PROPS:
                expected = plain.get_text_width_height_descent(s, prop, False)
                assert kept.get_text_width_height_descent(s, prop, False) == expected
                assert again.get_text_width_height_descent(s, prop, False) == expected  # from the cache
    assert len(agg_text.TEXT_EXTENTS) == 2 * len(TEXTS) * len(PROPS)


def test_kept_font_heights_are_the_ones_text_layout_reads():
    # matplotlib.text.Text._get_layout's own reading of the OS/2 (or hhea) table, written out
    # independently here from the same definition: ascender, -descender and line gap in font
    # units, times size [pt] * dpi / 72 / unitsPerEm.
    from matplotlib.font_manager import fontManager, get_font

    _, renderer = agg_text.canvas_classes()
    for dpi in (72.0, 150.0):
        kept = renderer(10, 10, dpi)
        for prop in PROPS:
            font = get_font(fontManager._find_fonts_by_props(prop))
            os2, head = font.get_sfnt_table("OS/2"), font.get_sfnt_table("head")
            scale = prop.get_size_in_points() * dpi / 72 / head["unitsPerEm"]
            expected = (os2["sTypoAscender"] * scale, -os2["sTypoDescender"] * scale, os2["sTypoLineGap"] * scale)
            assert kept._get_font_height_metrics(prop) == expected
            assert kept._get_font_height_metrics(prop) == expected  # from the cache


def test_kept_text_outlines_are_text_to_path_s_own():
    from matplotlib.textpath import TextToPath

    stock, kept = TextToPath(), agg_text._kept_text_to_path()()
    for s in TEXTS:
        for prop in PROPS:
            verts, codes = stock.get_text_path(prop, s)
            for _ in range(2):  # computed, then kept
                v, c = kept.get_text_path(prop, s)
                assert np.array_equal(v, np.array(verts, dtype=float).reshape(-1, 2))
                assert np.array_equal(c, np.array(codes, dtype=np.uint8))
                assert not v.flags.writeable and not c.flags.writeable  # shared: nobody may change them
    assert len(agg_text.TEXT_PATHS) > 0


def _sampler(dpi: float, canvas) -> np.ndarray:
    """A figure with the texts a map or a chart draws, drawn by ``canvas``: its RGBA pixels."""
    import matplotlib.patheffects as pe
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4.0, 3.0), dpi=dpi)
    canvas(fig)
    ax = fig.add_axes((0.12, 0.12, 0.8, 0.75))
    ax.plot([0, 1, 2], [3, 1, 2])
    ax.set_title("Consommation électrique — 2024", fontweight="bold")
    ax.set_xlabel("Mois")
    ax.set_ylabel(r"$\mathrm{CO_2e}$ [t/an]")
    halo = [pe.withStroke(linewidth=2.2, foreground="white")]
    for k, s in enumerate(TEXTS):
        ax.text(0.1 + 0.3 * (k % 3), 0.2 + 0.25 * (k // 3), s, fontproperties=PROPS[k % len(PROPS)], path_effects=halo)
    for k, s in enumerate(TEXTS):  # the same strings again, plain: bold and regular at a size, another size
        for j, prop in enumerate((PROPS[1], FontProperties(size=7.0), PROPS[2])):
            ax.text(0.05 + 0.3 * (k % 3), 1.0 + 0.3 * (k // 3) + 0.1 * j, s, fontproperties=prop)
    ax.text(1.0, 2.5, "Poste 400 kV\nà 12,5 km", rotation=30, fontsize=7, style="italic")
    ax.text(1.5, 1.2, "Saint-Denis", rotation=90, fontsize=6, path_effects=halo)
    ax.text(0.3, 2.7, r"$P_{\max} = 12{,}5$ MW", fontsize=8)
    fig.text(0.01, 0.01, "Source : RTE, ODRÉ (2024) — Licence Ouverte 2.0", fontsize=5, alpha=0.7)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("dpis", [(100.0, 150.0), (150.0, 100.0)])
def test_a_figure_of_texts_has_the_stock_canvas_s_pixels(dpis):
    for dpi in dpis:  # the second resolution finds the first one's texts kept
        stock = _sampler(dpi, FigureCanvasAgg)
        cold_pixels = _sampler(dpi, agg_text.attach_canvas)
        assert len(agg_text.LAYOUTS) > 0 and len(agg_text.TEXT_PATHS) > 0 and len(agg_text.FONT_HEIGHTS) > 0
        warm = _sampler(dpi, agg_text.attach_canvas)
        assert np.array_equal(stock, cold_pixels)
        assert np.array_equal(stock, warm)


def test_forgetting_caches_keep_the_pixels(monkeypatch):
    monkeypatch.setattr(agg_text.LAYOUTS, "maxsize", 2)
    monkeypatch.setattr(agg_text.TEXT_PATHS, "maxsize", 2)
    stock = _sampler(150.0, FigureCanvasAgg)
    for _ in range(2):
        assert np.array_equal(stock, _sampler(150.0, agg_text.attach_canvas))
    assert len(agg_text.LAYOUTS) == 2 and len(agg_text.TEXT_PATHS) == 2


def test_bounded_forgets_the_least_recently_used():
    kept = agg_text._Bounded(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # "b" is now the oldest
    kept.put("c", 3)
    assert list(kept) == ["a", "c"]
    assert kept.get("b") is None and kept.get("b", 0) == 0


# ---------------------------------------------------------------- the dossier's charts


@pytest.fixture(scope="module")
def estimates():
    import impact.paths
    from impact.engine import estimate
    from impact.project import load_project, parse_project_text

    return [
        estimate(load_project(impact.paths.default_project()), draws=200),
        estimate(parse_project_text(AJACCIO), draws=200),
    ]


def _charts(results, lang):
    from impact.report import charts

    figs = [
        charts.monthly_electricity(results, lang),
        charts.cooling_modes(results, lang),
        charts.water_bars(results, lang),
        charts.carbon_bars(results, lang),
        charts.alternatives_bars([("A", results["facility_energy_mwh"])], "facility_energy_mwh", lang),
    ]
    return [charts.opaque_rgb(fig, charts.DPI) for fig in figs if fig is not None]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_charts_have_the_stock_canvas_s_pixels(estimates, lang, monkeypatch):
    kept_cold = [p for results in estimates for p in _charts(results, lang)]
    kept_warm = [p for results in estimates for p in _charts(results, lang)]
    with monkeypatch.context() as m:  # the same charts, drawn by matplotlib's own canvas
        m.setattr(agg_text, "attach_canvas", FigureCanvasAgg)
        stock = [p for results in estimates for p in _charts(results, lang)]
    assert len(stock) == len(kept_cold) == len(kept_warm) >= 8
    for k, (a, b, c) in enumerate(zip(stock, kept_cold, kept_warm)):
        assert a.shape == b.shape == c.shape and np.array_equal(a, b) and np.array_equal(a, c), f"chart {k}"
