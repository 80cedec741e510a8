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
        import numpy as np

        self.ax = ax
        self.renderer = renderer
        self._boxes = np.empty((0, 4))
        for b in reserved:
            self.reserve(b)
        self.inside = ax.get_window_extent(renderer)
        self.placed: list = []

    @property
    def boxes(self):
        return self._boxes

    def reserve(self, box) -> int:
        """Reserve a display-space box; returns its index."""
        import numpy as np

        self._boxes = np.vstack([self._boxes, [[box.x0, box.y0, box.x1, box.y1]]])
        return len(self._boxes) - 1

    def reserve_points(self, xs, ys, radius_px: float) -> list[int]:
        """Reserve a square of ``radius_px`` around each point (data coordinates): markers."""
        import numpy as np

        if not len(xs):
            return []
        pts = self.ax.transData.transform(np.column_stack([xs, ys]))
        rows = np.column_stack(
            [pts[:, 0] - radius_px, pts[:, 1] - radius_px, pts[:, 0] + radius_px, pts[:, 1] + radius_px]
        )
        first = len(self._boxes)
        self._boxes = np.vstack([self._boxes, rows])
        return list(range(first, len(self._boxes)))

    def _fits(self, box, ignore: int | None = None) -> bool:
        x0, y0, x1, y1 = box
        i = self.inside
        if not (x0 >= i.x0 and x1 <= i.x1 and y0 >= i.y0 and y1 <= i.y1):
            return False
        b = self._boxes
        hit = (x0 < b[:, 2]) & (b[:, 0] < x1) & (y0 < b[:, 3]) & (b[:, 1] < y1)
        if ignore is not None and ignore < len(hit):
            hit[ignore] = False
        return not hit.any()

    def place(self, x: float, y: float, text: str, offsets, *, ignore: int | None = None, accept=None, **style):
        """Draw ``text`` at the first free offset; return the Text, or None when none is free.

        Parameters
        ----------
        x, y : float
            The anchor (data coordinates).
        offsets : sequence of (dx, dy, ha, va)
            Offsets in points and alignments, tried in order.
        ignore : int, optional
            The index of a reserved box this label may touch (its own marker).
        accept : callable, optional
            ``accept((x0, y0, x1, y1))`` on a display box: False refuses that position (e.g. a
            commune's name that would spill out of the commune).
        style
            ``fontsize``, ``color``, ``fontweight``, ``fontstyle``, ``halo`` (white stroke width).
        """
        return self.place_any([(x, y)], text, offsets, ignore=ignore, accept=accept, **style)

    def place_any(self, anchors, text: str, offsets, *, ignore: int | None = None, accept=None, **style):
        """:meth:`place` at the first of several anchors (data coordinates) where an offset is free.

        The text is measured once by the renderer; each anchor and offset moves that box
        (alignment included), and the position chosen is measured again before it is kept.
        """
        import matplotlib.patheffects as pe

        if not anchors:
            return None
        halo = style.pop("halo", 2.5)
        effects = [pe.withStroke(linewidth=halo, foreground="white")] if halo else None
        (x, y), (dx, dy, ha, va) = anchors[0], offsets[0]
        # As written (no mathtext): the measured box is the box of the text drawn.
        t = self.ax.annotate(
            text,
            (x, y),
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            zorder=30,
            annotation_clip=False,
            path_effects=effects,
            parse_math=False,
            usetex=False,
            **style,
        )
        t.set_gid(LABEL_GID)
        first = t.get_window_extent(self.renderer)
        w, h = first.width, first.height
        px, py = self.ax.transData.transform((x, y))
        scale = self.ax.figure.dpi / 72.0
        hx = {"left": 0.0, "center": w / 2, "right": w}
        vy = {"bottom": 0.0, "center": h / 2, "top": h}
        # Where the first box sits relative to its alignment point: the others move with it.
        ax0 = first.x0 - (px + dx * scale) + hx[ha]
        ay0 = first.y0 - (py + dy * scale) + vy.get(va, 0.0)
        for ax_, ay_ in anchors:
            qx, qy = self.ax.transData.transform((ax_, ay_))
            for dx, dy, ha, va in offsets:
                x0 = qx + dx * scale + ax0 - hx[ha]
                y0 = qy + dy * scale + ay0 - vy.get(va, 0.0)
                box = (x0 - PAD_PX, y0 - PAD_PX, x0 + w + PAD_PX, y0 + h + PAD_PX)
                if not self._fits(box, ignore) or (accept is not None and not accept(box)):
                    continue
                t.xy = (ax_, ay_)
                t.xyann = (dx, dy)
                t.set_ha(ha)
                t.set_va(va)
                real = t.get_window_extent(self.renderer).padded(PAD_PX)
                real = (real.x0, real.y0, real.x1, real.y1)
                if self._fits(real, ignore) and (accept is None or accept(real)):
                    self.reserve_box(real)
                    self.placed.append(t)
                    return t
        t.remove()
        return None

    def reserve_box(self, box) -> None:
        import numpy as np

        self._boxes = np.vstack([self._boxes, [box]])


def inside_area(ax, geom, tolerance_m: float = 150.0):
    """An ``accept`` for :meth:`Labeller.place`: the label's box, shrunk to its middle (70 % of its
    width, 40 % of its height), lies inside ``geom`` (data coordinates) widened by ``tolerance_m``.
    The widened outline is built on the first call only (most names never get that far)."""
    import shapely

    inverse = ax.transData.inverted()
    cache: list = []

    def accept(box) -> bool:
        if not cache:
            area = shapely.buffer(geom, tolerance_m, quad_segs=1)
            shapely.prepare(area)
            cache.append(area)
        x0, y0, x1, y1 = box
        cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 0.35, (y1 - y0) * 0.2
        (a, b), (c, d) = inverse.transform([(cx - w, cy - h), (cx + w, cy + h)])
        return bool(cache[0].contains(shapely.box(min(a, c), min(b, d), max(a, c), max(b, d))))

    return accept


def nearest_is_own(points_px, own: int):
    """An ``accept`` for :meth:`Labeller.place`: no other point of ``points_px`` (display
    coordinates, an (n, 2) array) is as near to the label's box as its own point ``own``, so
    that a reader matches each name to its marker."""
    import numpy as np

    pts = np.asarray(points_px, dtype=float).reshape(-1, 2)
    others = np.delete(pts, own, axis=0)

    def distance(box, xy):
        x0, y0, x1, y1 = box
        dx = np.maximum(np.maximum(x0 - xy[:, 0], 0.0), xy[:, 0] - x1)
        dy = np.maximum(np.maximum(y0 - xy[:, 1], 0.0), xy[:, 1] - y1)
        return np.hypot(dx, dy)

    def accept(box) -> bool:
        if not len(others):
            return True
        return bool(distance(box, pts[own : own + 1])[0] < distance(box, others).min())

    return accept


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
