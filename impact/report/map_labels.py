"""Labels that never overlap: each is tried at a few positions, measured with the renderer's
real text extent (``Text.get_window_extent``), and kept at the first position where it
overlaps no other label, no reserved box (legend, scale bar, north arrow, markers) and stays
inside the map; a label with no free position is not drawn (the feature stays, unlabelled).
"""

from __future__ import annotations

#: The gid of every label artist (tests find them by it).
LABEL_GID = "impact-label"
#: Margin around a label's text box [pixel]: the white halo and a little air.
PAD_PX = 2.0


def _overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


class Labeller:
    """Places labels on ``ax`` with the real extents of ``renderer``.

    Parameters
    ----------
    ax : matplotlib Axes
        Its limits and aspect must be final (``ax.apply_aspect()``).
    renderer
        ``fig.canvas.get_renderer()``.
    reserved : list of Bbox
        Display-space boxes no label may cover.
    """

    def __init__(self, ax, renderer, reserved=()):
        from matplotlib.transforms import Bbox

        self.ax = ax
        self.renderer = renderer
        self.boxes = [Bbox(b) if not isinstance(b, Bbox) else b for b in reserved]
        self.inside = ax.get_window_extent(renderer)
        self.placed: list = []

    def reserve(self, box) -> None:
        self.boxes.append(box)

    def reserve_points(self, xs, ys, radius_px: float) -> None:
        """Reserve a square of ``radius_px`` around each point (data coordinates): markers."""
        from matplotlib.transforms import Bbox

        pts = self.ax.transData.transform(list(zip(xs, ys))) if len(xs) else []
        for px, py in pts:
            self.boxes.append(Bbox([[px - radius_px, py - radius_px], [px + radius_px, py + radius_px]]))

    def _fits(self, box) -> bool:
        if not (box.x0 >= self.inside.x0 and box.x1 <= self.inside.x1 and box.y0 >= self.inside.y0
                and box.y1 <= self.inside.y1):
            return False
        return not any(_overlaps(box, other) for other in self.boxes)

    def place(self, x: float, y: float, text: str, offsets, *, ignore=None, **style):
        """Draw ``text`` at the first free offset; return the Text, or None when none is free.

        Parameters
        ----------
        x, y : float
            The anchor (data coordinates).
        offsets : sequence of (dx, dy, ha, va)
            Offsets in points and alignments, tried in order.
        ignore : Bbox, optional
            A reserved box this label may touch (its own marker).
        style
            ``fontsize``, ``color``, ``fontweight``, ``fontstyle``, ``halo`` (white stroke width).
        """
        import matplotlib.patheffects as pe

        halo = style.pop("halo", 2.5)
        effects = [pe.withStroke(linewidth=halo, foreground="white")] if halo else None
        for dx, dy, ha, va in offsets:
            t = self.ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                                 zorder=30, annotation_clip=False, path_effects=effects, **style)
            t.set_gid(LABEL_GID)
            box = t.get_window_extent(self.renderer).padded(PAD_PX)
            saved = self.boxes
            if ignore is not None:
                self.boxes = [b for b in self.boxes if b is not ignore]
            ok = self._fits(box)
            self.boxes = saved
            if ok:
                self.boxes.append(box)
                self.placed.append(t)
                return t
            t.remove()
        return None


def point_offsets(gap: float = 6.0, prefer_left: bool = False):
    """Offsets around a point marker [points]: right, left, above, below, then the diagonals."""
    right = [(gap, 0, "left", "center"), (gap, gap * 1.6, "left", "bottom"), (gap, -gap * 1.6, "left", "top")]
    left = [(-gap, 0, "right", "center"), (-gap, gap * 1.6, "right", "bottom"), (-gap, -gap * 1.6, "right", "top")]
    vertical = [(0, gap * 1.4, "center", "bottom"), (0, -gap * 1.4, "center", "top")]
    first, second = (left, right) if prefer_left else (right, left)
    return [first[0], second[0], *vertical, first[1], first[2], second[1], second[2]]


def area_points(geom, n: int = 6):
    """Up to ``n`` points inside a polygon to anchor its name, best first: its representative
    point, then the interior points of a coarse grid nearest to it."""
    import numpy as np
    import shapely

    if geom is None or geom.is_empty:
        return []
    rep = geom.representative_point()
    pts = [(rep.x, rep.y)]
    x0, y0, x1, y1 = geom.bounds
    xs, ys = np.linspace(x0, x1, 9)[1:-1], np.linspace(y0, y1, 9)[1:-1]
    grid = [(x, y) for x in xs for y in ys]
    inside = [p for p, ok in zip(grid, shapely.contains_xy(geom, [g[0] for g in grid], [g[1] for g in grid])) if ok]
    inside.sort(key=lambda p: (p[0] - rep.x) ** 2 + (p[1] - rep.y) ** 2)
    pts += inside[: n - 1]
    return pts
