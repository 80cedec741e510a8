"""An Agg canvas whose renderer keeps what it learns about text from one figure to the next.

matplotlib measures and shapes each text again for every figure: a text's extent is cached
per renderer (and each figure has its own), its font's height metrics are read from the font's
tables on every layout, a plain text is shaped by FreeType and raqm each time it is drawn, and
a text drawn with a halo (a path effect) is turned into outlines each time. The maps' legends,
notes and place names, and the charts' tick labels and captions, are the same from one figure
to the next in a report and in a batch (issue 15, batch speed).

:func:`canvas_classes` gives a ``FigureCanvasAgg`` whose renderer keeps those four results per
process, under everything they depend on (the string, the font object or properties, the
size, the resolution, the font settings). The pixels are Agg's own: only repeated work is
skipped. Mathtext and TeX go through matplotlib unchanged. tests/test_agg_text.py compares
each kept result, and whole figures' pixels, with matplotlib's stock renderer.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import cache
from typing import Any, cast

#: The settings a text's extent or font depends on besides its string, font and resolution.
TEXT_RC = (
    "font.family",
    "font.sans-serif",
    "font.serif",
    "font.monospace",
    "font.cursive",
    "font.fantasy",
    "text.hinting",
    "text.hinting_factor",
    "text.kerning_factor",
)

#: Text extents ``(width, height, descent)`` [pixel] by string, font, resolution and settings.
TEXT_EXTENTS: dict[tuple, tuple[float, float, float]] = {}
#: Font height metrics ``(ascent, descent, line gap)`` [pixel] by font, resolution and settings.
FONT_HEIGHTS: dict[tuple, tuple] = {}


class _Bounded(OrderedDict):
    """A dict that forgets its least recently used entries beyond ``maxsize`` (shaped texts
    and outlines hold arrays: a batch of a thousand maps must not keep them all)."""

    def __init__(self, maxsize: int):
        super().__init__()
        self.maxsize = maxsize

    def get(self, key, default=None):
        try:  # one step each, under the GIL: another thread may forget the key in between
            self.move_to_end(key)
            return self[key]
        except KeyError:
            return default

    def put(self, key, value):
        self[key] = value
        while len(self) > self.maxsize:
            try:
                self.popitem(last=False)
            except KeyError:
                break
        return value


#: Shaped plain texts (FreeType/raqm layout items) by font object, size, resolution, flags, string.
LAYOUTS = _Bounded(4096)
#: Outlines of texts drawn as paths (halos) by font object, string, features and language.
TEXT_PATHS = _Bounded(4096)


def _rc_key() -> tuple:
    import matplotlib as mpl

    rc: dict = mpl.rcParams  # indexed by the names above (mypy knows only literal names)
    return tuple(tuple(v) if isinstance(v, list) else v for v in (rc[k] for k in TEXT_RC))


def _font_key(prop) -> tuple:
    return (
        tuple(prop.get_family()),
        prop.get_style(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_size_in_points(),
        prop.get_file(),
    )


def font_height_metrics(prop, dpi: float) -> tuple:
    """``(ascent, descent, line gap)`` [pixel] of the font of ``prop`` at ``dpi``, as
    ``matplotlib.text.Text._get_layout`` reads them from the font's OS/2 or hhea table
    (``(None, None, None)`` without either: matplotlib then measures "lp")."""
    from matplotlib.font_manager import fontManager, get_font

    font = get_font(fontManager._find_fonts_by_props(prop))
    possible = [
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ]
    for table_name, linegap_key, ascent_key, descent_key in possible:
        table: Any = font.get_sfnt_table(table_name)  # type: ignore[call-overload]  # the names above
        if table is None:
            continue
        fontsize = prop.get_size_in_points()
        units_per_em = cast("dict", font.get_sfnt_table("head"))["unitsPerEm"]
        scale = 1 / units_per_em * fontsize * dpi / 72
        return table[ascent_key] * scale, -table[descent_key] * scale, table[linegap_key] * scale
    return None, None, None


def _kept_text_to_path():
    """A ``TextToPath`` that keeps the outlines of plain texts (:data:`TEXT_PATHS`), or
    matplotlib's own where its ``get_text_path`` differs from the one this was written for
    (matplotlib 3.11: ``features`` and ``language`` keywords)."""
    import inspect

    import numpy as np
    from matplotlib.textpath import TextToPath

    if not {"features", "language"} <= set(inspect.signature(TextToPath.get_text_path).parameters):
        return TextToPath

    class KeptTextToPath(TextToPath):
        def get_text_path(self, prop, s, ismath=False, *, features=None, language=None):
            if ismath is not False:
                return super().get_text_path(prop, s, ismath, features=features, language=language)
            # The outline is in the font's own units (FONT_SCALE, no hinting): the text's size and
            # the resolution scale it afterwards, in RendererBase._draw_text_as_path.
            key = (self._get_font(prop), s, features, language)
            found = TEXT_PATHS.get(key)
            if found is None:
                verts, codes = super().get_text_path(prop, s, ismath, features=features, language=language)
                # The arrays matplotlib's Path makes of the lists; read-only, since they are shared.
                v, c = np.array(verts, dtype=float).reshape(-1, 2), np.array(codes, dtype=np.uint8)
                v.flags.writeable = c.flags.writeable = False
                found = TEXT_PATHS.put(key, (v, c))
            return found

    return KeptTextToPath


def _kept_shaping(renderer_class) -> bool:
    """Whether Agg draws plain text as matplotlib 3.11 does (a font's ``_layout`` items drawn by
    ``_draw_text_glyphs_and_boxes``), the drawing :func:`canvas_classes` keeps the shaping of."""
    from matplotlib.ft2font import FT2Font

    return hasattr(renderer_class, "_draw_text_glyphs_and_boxes") and hasattr(FT2Font, "_layout")


@cache
def canvas_classes():
    """``(Canvas, Renderer)``: a ``FigureCanvasAgg`` and its ``RendererAgg`` that keep text
    extents, font heights, shaped texts and text outlines (the module's docstring). With a
    matplotlib whose internals differ, the shaping and the outlines are matplotlib's own."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag

    text_to_path = _kept_text_to_path()
    keep_shaping = _kept_shaping(RendererAgg)

    class Renderer(RendererAgg):
        #: The figure this renderer draws (set by Canvas): matplotlib scales font heights by
        #: the figure's resolution, not the renderer's.
        figure = None

        def __init__(self, width, height, dpi):
            super().__init__(width, height, dpi)
            self._text2path = text_to_path()

        def get_text_width_height_descent(self, s, prop, ismath):
            if ismath is not False:
                return super().get_text_width_height_descent(s, prop, ismath)
            key = (s, _font_key(prop), self.dpi, _rc_key())
            found = TEXT_EXTENTS.get(key)
            if found is None:
                found = TEXT_EXTENTS[key] = super().get_text_width_height_descent(s, prop, ismath)
            return found

        def _get_font_height_metrics(self, prop):
            # Text._get_layout asks the renderer first (matplotlib 3.11; older ones read the
            # tables themselves), at the figure's resolution.
            dpi = self.figure.dpi if self.figure is not None else self.dpi
            key = (_font_key(prop), dpi, _rc_key())
            found = FONT_HEIGHTS.get(key)
            if found is None:
                found = FONT_HEIGHTS[key] = font_height_metrics(prop, dpi)
            return found

        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            if ismath or not keep_shaping:
                return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            # RendererAgg.draw_text, with the shaping kept: the font object matplotlib returns
            # for these properties and settings shapes a string the same way at a given size,
            # resolution and hinting; the drawing sets each glyph's size again.
            font = self._prepare_font(prop)
            features = mtext.get_fontfeatures() if mtext is not None else None
            language = mtext.get_language() if mtext is not None else None
            flags = get_hinting_flag()
            size = prop.get_size_in_points()
            key = (font, size, self.dpi, flags, s, features, language)
            items = LAYOUTS.get(key)
            if items is None:
                items = LAYOUTS.put(key, tuple(font._layout(s, flags=flags, features=features, language=language)))
            glyphs = ((item.ft_object, size, item.glyph_index, 0, 1, item.x, item.y) for item in items)
            self._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, [])
            return None

    class Canvas(FigureCanvasAgg):
        def get_renderer(self):  # FigureCanvasAgg's, with the renderer above
            w, h = self.get_width_height(physical=True)
            key = w, h, self.figure.dpi
            if self._lastKey != key:
                self.renderer = Renderer(w, h, self.figure.dpi)
                self._lastKey = key
            self.renderer.figure = self.figure
            return self.renderer

    return Canvas, Renderer


def attach_canvas(fig):
    """Attach a :func:`canvas_classes` canvas to ``fig``; returns it."""
    return canvas_classes()[0](fig)


def clear() -> None:
    """Forget every kept result (tests)."""
    for kept in (TEXT_EXTENTS, FONT_HEIGHTS, LAYOUTS, TEXT_PATHS):
        kept.clear()
