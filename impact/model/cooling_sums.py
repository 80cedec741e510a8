"""The annual sums of the cooling model from sorted hours and prefix sums (issue 15).

Every hour's share of free cooling ``e`` and chiller electricity per unit of heat ``1/COP``
(:mod:`impact.model.cooling`) are continuous, piecewise-linear functions of one hourly
temperature ``X`` (the dry bulb for dry economisers and air-cooled chillers, the wet bulb for
wet economisers and cooling towers, the pre-cooled air of an adiabatic design when its
effectiveness is one value for every draw): ``e = clip((U - X) / band, 0, 1)`` and
``1/COP = k (max(X + c, m) + L)``, with the edges of each piece set by the draw's parameters.
So the sum over the hours of ``e``, of ``1/COP`` and of their product only needs, on each piece,
the number of hours, the sum of ``X`` and the sum of ``X^2`` there: the hours are sorted once,
their prefix sums taken once, and each draw's edges found by binary search (``searchsorted``).
The sums are those of the hour-by-hour model (the same numbers, to float64 rounding: about
1e-12 relative), at a cost of a few operations per draw instead of 8,760.

It does not apply (:func:`sortable` says so) when the water's share varies by hour (an hourly
intake temperature: :func:`impact.model.cooling.simulate` then runs hour by hour in blocks of
draws) or when the adiabatic pre-cooling's effectiveness is drawn (the pre-cooled air, a mix of
dry and wet bulb, then orders the hours differently in each draw): then :func:`block_sums` makes
the three sums alone over hours x draws blocks (:func:`in_blocks`), the hours cold in every draw
of a block counted, not run.

The peak (:func:`peak_hours`): every term of the site's power rises with ``X`` when the water's
share is the same every hour, so the largest hour of the hot hours is the one with the highest
``X`` (all hours tied at it): the peak is computed on those hours alone, not on hours x draws;
for a drawn effectiveness, on the hours whose ``X`` can be the highest at some drawn value.
"""

from __future__ import annotations

import numpy as np

#: Draws of the hour-by-hour peak run together when :func:`peak_hours` cannot narrow the hours
#: (hot hours x draws arrays of a few MB).
PEAK_DRAWS_PER_BLOCK = 2048


class SortedHours:
    """One hourly variable sorted, with prefix sums of 1, Y and Y^2 (Y = X - its median).

    Centring on the median keeps the prefix sums of the squares small (a sum of squares of
    hundreds of degrees would lose digits in the differences); they are accumulated in extended
    precision then rounded once.
    """

    def __init__(self, x) -> None:
        xs = np.sort(np.asarray(x, dtype=np.float64).reshape(-1))
        self.xs = xs
        self.hours = xs.size
        self.x0 = float(np.median(xs))
        y = (xs - self.x0).astype(np.longdouble)
        self.p1 = np.concatenate(([0.0], np.cumsum(y).astype(np.float64)))
        self.p2 = np.concatenate(([0.0], np.cumsum(y * y).astype(np.float64)))
        self._counts: dict = {}

    def count_at_or_below(self, edge):
        """Number of hours with ``X <= edge`` (per draw); kept for the same edge array."""
        hit = self._counts.get(id(edge))
        if hit is not None and hit[0] is edge:
            return hit[1]
        e = np.asarray(edge, dtype=np.float64)
        if e.size > 4096:  # binary searches in order of the edges: fewer cache misses
            order = np.argsort(e, axis=None)
            counts = np.empty(e.size, dtype=np.intp)
            counts[order] = np.searchsorted(self.xs, e.reshape(-1)[order], side="right")
            counts = counts.reshape(e.shape)
        else:
            counts = np.searchsorted(self.xs, e, side="right")
        self._counts[id(edge)] = (edge, counts)
        return counts


_SORTED: dict = {}


def sorted_hours(x) -> SortedHours:
    """:class:`SortedHours` of ``x``, kept for the last few series (a run sorts the same year's
    hours for its central values, its draws and each cooling mode's variable)."""
    import hashlib

    x = np.ascontiguousarray(x, dtype=np.float64).reshape(-1)
    key = hashlib.blake2b(x.tobytes(), digest_size=16).digest()
    sh = _SORTED.get(key)
    if sh is None:
        if len(_SORTED) >= 4:
            _SORTED.pop(next(iter(_SORTED)))
        sh = _SORTED[key] = SortedHours(x)
    sh._counts.clear()  # the counts are kept for one run's edges only
    return sh


class Piecewise:
    """A continuous piecewise-linear function of ``X``, per draw.

    ``edges``: increasing per draw (arrays broadcastable to ``(draws,)``); ``pieces``: ``(a, b)``
    with ``f = a + b X`` on ``(edge[i-1], edge[i]]`` (one more piece than edges).
    """

    def __init__(self, edges, pieces) -> None:
        self.edges = list(edges)
        self.pieces = list(pieces)

    def at(self, x, x0: float):
        """``(a', b)`` of the piece holding ``x``, in ``Y = X - x0``: ``f = a' + b Y``."""
        a, b = self.pieces[0]
        for edge, (a_next, b_next) in zip(self.edges, self.pieces[1:]):  # edges increase: the last passed wins
            beyond = x > edge
            a, b = np.where(beyond, a_next, a), np.where(beyond, b_next, b)
        return a + b * x0, b


def clip_down(upper, band) -> Piecewise:
    """``clip((upper - X) / band, 0, 1)``: 1 up to ``upper - band``, 0 from ``upper`` (band > 0)."""
    inv_band = 1.0 / np.asarray(band, dtype=np.float64)
    return Piecewise([upper - band, upper], [(1.0, 0.0), (upper * inv_band, -inv_band), (0.0, 0.0)])


def hinge(c, m, loss, k) -> Piecewise:
    """``k (max(X + c, m) + loss)``: constant up to ``X = m - c``, then rising as ``k X``."""
    return Piecewise([m - c], [((m + loss) * k, 0.0), ((c + loss) * k, k)])


def total(sh: SortedHours, f: Piecewise):
    """``sum_h f(X_h)`` per draw."""
    lo = 0
    out = 0.0
    n_edges = len(f.edges)
    for i, (a, b) in enumerate(f.pieces):
        hi = sh.count_at_or_below(f.edges[i]) if i < n_edges else sh.hours
        out = out + (a + b * sh.x0) * (hi - lo) + b * (sh.p1[hi] - sh.p1[lo])
        lo = hi
    return out


def total_product(sh: SortedHours, f: Piecewise, g: Piecewise):
    """``sum_h f(X_h) g(X_h)`` per draw: on each interval between the two functions' edges
    (sorted per draw) both are linear, so the product is ``A + B Y + C Y^2``."""
    both = f.edges + g.edges
    edges = np.sort(np.stack(np.broadcast_arrays(*[np.asarray(e, dtype=np.float64) for e in both])), 0)
    # The count of hours at or below an edge rises with the edge: sorting the counts of each
    # function's edges gives those of the sorted edges (no new search).
    sorted_counts = np.sort(np.stack(np.broadcast_arrays(*[sh.count_at_or_below(e) for e in both])), 0)
    k = edges.shape[0]
    counts = [0, *list(sorted_counts), sh.hours]
    out = 0.0
    for j in range(k + 1):
        # A point inside the interval, to know which piece of each function holds it.
        if j == 0:
            r = edges[0] - 1.0
        elif j == k:
            r = edges[k - 1] + 1.0
        else:
            r = 0.5 * (edges[j - 1] + edges[j])
        fa, fb = f.at(r, sh.x0)
        ga, gb = g.at(r, sh.x0)
        lo, hi = counts[j], counts[j + 1]
        out = (
            out
            + fa * ga * (hi - lo)
            + (fa * gb + ga * fb) * (sh.p1[hi] - sh.p1[lo])
            + fb * gb * (sh.p2[hi] - sh.p2[lo])
        )
    return out


def _flat(x):
    """A ``(draws, 1)`` column as ``(draws,)``; scalars unchanged (as float64)."""
    x = np.asarray(x, dtype=np.float64)
    return x[:, 0] if x.ndim == 2 and x.shape[1] == 1 else x


def _constant_in_hours(x) -> bool:
    return x is None or np.ndim(x) == 0 or np.shape(x)[-1] == 1


def sortable(args: dict) -> bool:
    """Whether :func:`air_and_water` / :func:`liquid` give ``simulate``'s annual results for ``args``
    from sorted hours."""
    return _sums_apply(args) and not _drawn_adiabatic(args)


def in_blocks(args: dict) -> bool:
    """Whether :func:`air_and_water` gives ``simulate``'s annual results for ``args`` from hours x
    draws blocks (:func:`block_sums`): a drawn adiabatic effectiveness, every other condition of
    :func:`sortable` met."""
    return _sums_apply(args) and _drawn_adiabatic(args)


def _drawn_adiabatic(args: dict) -> bool:
    from .cooling import SYSTEMS

    spec = SYSTEMS[args["system"]]
    return "adiabatic" in (spec["economiser"], spec["condenser"]) and np.ndim(args["adiabatic_effectiveness"]) != 0


def _sums_apply(args: dict) -> bool:
    """Every hourly term a function of the hour's dry and wet bulbs alone, with finite hours."""
    from .cooling import SYSTEMS

    spec = SYSTEMS[args["system"]]
    if args.get("hourly"):
        return False
    if not _constant_in_hours(args.get("temp_offset_k")) or np.ndim(args["temp_air_c"]) != 1:
        return False
    if np.ndim(args["temp_wet_bulb_c"]) != 1 or np.shape(args["temp_wet_bulb_c"]) != np.shape(args["temp_air_c"]):
        return False
    water = args.get("water")
    if water is not None and not (
        _constant_in_hours(water.get("t_in_c")) and _constant_in_hours(water.get("t_in_offset_k"))
    ):
        return False  # an hourly intake temperature: the water's share varies by hour
    if not (np.all(np.isfinite(args["temp_air_c"])) and np.all(np.isfinite(args["temp_wet_bulb_c"]))):
        return False  # a missing hour: the hour-by-hour sums carry it (NaN) as before
    bands = [args["band_k"]] + ([args["liquid"]["delta_t_k"]] if spec.get("liquid") and args.get("liquid") else [])
    return all(np.all(np.asarray(b) > 0) for b in bands)


def driving_variable(args: dict):
    """The hourly temperature every hourly term of ``args``'s system is a function of [°C]."""
    from .cooling import SYSTEMS, adiabatic_temperature

    spec = SYSTEMS[args["system"]]
    t_air = np.asarray(args["temp_air_c"], dtype=np.float64)
    if spec["economiser"] == "wet":  # wet economiser and cooling tower: the wet bulb
        return np.asarray(args["temp_wet_bulb_c"], dtype=np.float64)
    if spec["economiser"] == "adiabatic":
        t_wb = np.asarray(args["temp_wet_bulb_c"], dtype=np.float64)
        return adiabatic_temperature(t_air, t_wb, float(args["adiabatic_effectiveness"]))
    return t_air


def air_and_water(args: dict) -> dict:
    """:func:`impact.model.cooling._air_and_water`'s annual results from sorted hours.

    ``args``: :func:`~impact.model.cooling.simulate`'s arguments, with :func:`sortable` true.
    """
    from .cooling import SYSTEMS, chiller_fit, economiser_full_c, water_share

    a = args
    spec = SYSTEMS[a["system"]]
    hours = np.shape(a["temp_air_c"])[-1]
    shift = a.get("temp_offset_k")
    shift = 0.0 if shift is None else _flat(shift)
    it_mw, dist = _flat(a["it_mw"]), _flat(a["distribution_share"])
    supply, approach, band = _flat(a["supply_c"]), _flat(a["approach_k"]), _flat(a["band_k"])
    load = it_mw * (1.0 + dist)
    t_chilled = supply - approach
    water = a["water"]
    if water is not None:
        water = {k: (_flat(v) if v is not None and np.ndim(v) else v) for k, v in water.items()}
        w, t_in = water_share(water, t_chilled, band, load)
        w = _flat(np.broadcast_to(w, np.broadcast_shapes(np.shape(w), np.shape(load))))
    else:
        w, t_in = 0.0, None
    rest = 1.0 - w

    e_ref = e_upper = None
    if a["free_cooling"] or water is not None:
        t_full = economiser_full_c(spec["economiser"], supply, approach, _maybe(a["dry_economiser_approach_k"]))
        e_upper = t_full - shift + band
        e_ref = clip_down(e_upper, band)
    chiller_approach = _flat(a["chiller_approach_k"])
    if spec["condenser"] == "tower":
        source_offset = _flat(a["tower_approach_k"])
        condenser_approach = chiller_approach
        # With simulate's own arguments, as the hourly peak run will call it (chiller_fit keeps the last fit).
        eta, loss = chiller_fit(
            a["cop_water_rated"],
            a["cop_water_iplv"],
            a["t_water_rated_c"],
            "water",
            a["chiller_approach_k"],
            a["chiller_approach_k"],
        )
    else:
        source_offset = 0.0
        condenser_approach = _flat(a["air_condenser_approach_k"])
        eta, loss = chiller_fit(
            a["cop_air_rated"],
            a["cop_air_iplv"],
            a["t_air_rated_c"],
            "air",
            a["air_condenser_approach_k"],
            a["chiller_approach_k"],
        )
    inv = _inverse_cop(source_offset + shift, t_chilled, eta, condenser_approach, chiller_approach, loss)
    if in_blocks(a):
        inv_cop_sum, e_ref_sum, e_ref_inv_sum = block_sums(a, None if e_ref is None else (e_upper, band), inv)
    else:
        sh = sorted_hours(driving_variable(a))
        inv_cop_sum = total(sh, inv)
        e_ref_sum = total(sh, e_ref) if e_ref is not None else 0.0
        e_ref_inv_sum = total_product(sh, e_ref, inv) if e_ref is not None else 0.0
    e_sum, e_inv_sum = (e_ref_sum, e_ref_inv_sum) if a["free_cooling"] else (0.0, 0.0)

    out = {
        "it_mwh": it_mw * hours,
        "cooling_load_mwh": load * hours,
        "water_mwh": load * w * hours,
        "free_mwh": load * (rest * e_sum),
        "chillers_mwh": load * (rest * (hours - e_sum)),
        "chiller_power_mwh": load * (rest * (inv_cop_sum - e_inv_sum)),
        "aux_power_mwh": _flat(a["aux_share"]) * load * hours,
        "distribution_mwh": dist * it_mw * hours,
    }
    out["cooling_energy_mwh"] = out["chiller_power_mwh"] + out["aux_power_mwh"]
    out["facility_mwh"] = out["it_mwh"] + out["cooling_energy_mwh"] + out["distribution_mwh"]
    out["pue"] = _ratio(out["facility_mwh"], out["it_mwh"])
    out["chillers_only_facility_mwh"] = (
        out["it_mwh"] + load * inv_cop_sum + out["aux_power_mwh"] + out["distribution_mwh"]
    )
    out["saving_mwh"] = load * (inv_cop_sum - (rest * (inv_cop_sum - e_inv_sum)))

    # The water's savings (as cooling.water_savings): the water's share is the same every hour, so
    # sum(w / COP) = w sum(1 / COP) and sum(e w / COP) = w sum(e / COP).
    base = out["it_mwh"] + out["aux_power_mwh"] + out["distribution_mwh"]
    free_inv_sum = inv_cop_sum - e_ref_inv_sum
    zero = 0.0 * load
    out["water_saving_vs_chillers_mwh"] = load * (w * inv_cop_sum) if water is not None else zero
    out["water_saving_vs_free_cooling_mwh"] = (
        load * (w * inv_cop_sum - w * e_ref_inv_sum) if water is not None else zero
    )
    out["free_cooled_facility_mwh"] = base + load * free_inv_sum
    out["thermal_discharge_max_mw"] = load * w
    if water is not None and water.get("t_out_c") is not None:
        rise = np.asarray(water["t_out_c"], dtype=np.float64) - t_in
        with np.errstate(divide="ignore", invalid="ignore"):
            per_k = np.where(rise > 0, w / np.where(rise > 0, rise, 1.0), 0.0)
        out["water_volume_m3"] = (
            load * (per_k * hours) * 3.6e9 / (water["density_kg_per_m3"] * water["specific_heat_j_per_kg_k"])
        )
    return _per_draw(out, args)


#: Draws of :func:`block_sums` run together: hours x draws blocks of about 1 MB, that stay in
#: the L2 cache (8,760 hours x 16 draws x 8 B); 128 draws measured slower by half.
BLOCK_SUMS_DRAWS = 16


def block_sums(args: dict, economiser: tuple | None, inv: Piecewise) -> tuple:
    """``(sum 1/COP, sum e, sum e/COP)`` over the hours, per draw, in blocks of draws [h].

    For a drawn adiabatic effectiveness (:func:`in_blocks`): the pre-cooled air
    ``X = T_air - eff (T_air - T_wb)`` then orders the hours differently in each draw.
    ``economiser``: ``(U, band)`` of its share ``e = clip((U - source) / band, 0, 1)`` [°C], [K]
    (None without economiser); ``inv``: ``1/COP`` (:func:`hinge`). Each of the economiser's and
    the condenser's source is that of ``args``'s system (the dry bulb, the wet bulb or ``X``).
    Only the three sums are made, hour by hour in :data:`BLOCK_SUMS_DRAWS` x hours arrays, in
    place, as ``1/COP = k (max(X, x_h) + c + L)`` and ``e = clip(U - X, 0, band) / band``: the
    hour-by-hour model's sums (:func:`impact.model.cooling._air_and_water`) to float64 rounding.

    The cold hours are not run: where every source is at or below the draw's ``x_h``,
    ``1/COP = k (x_h + c + L)``; at or below ``U - band``, ``e = 1``. The hours are sorted by the
    highest value their sources take over the drawn effectiveness, the draws by the lower of the
    two thresholds, so that in each block of draws the hours cold for all of them are the first
    ones, counted, not run.
    """
    from .cooling import SYSTEMS, _draw_count

    spec = SYSTEMS[args["system"]]
    t_air = np.asarray(args["temp_air_c"], dtype=np.float64)
    t_wb = np.asarray(args["temp_wet_bulb_c"], dtype=np.float64)
    hours, draws = t_air.size, _draw_count(args)
    eff = _per_draw_vector(args["adiabatic_effectiveness"], draws)
    (x_hinge,), (_, (a_high, k)) = inv.edges, inv.pieces
    k = _per_draw_vector(k, draws)
    lift_extra = _per_draw_vector(a_high, draws) / k  # c + L, from the hinge's upper piece k (c + L) + k X
    x_hinge = _per_draw_vector(x_hinge, draws)
    kinds = [str(spec["condenser"])]
    if economiser is not None:
        upper, band = (_per_draw_vector(x, draws) for x in economiser)
        full = upper - band  # e = 1 at or below
        kinds.append(str(spec["economiser"]))
    else:
        upper = band = np.ones(draws)
        full = np.full(draws, np.inf)
    hour_order, bound = _hours_by_highest_source(t_air, t_wb, eff, kinds)
    t_air, t_wb = t_air[hour_order], t_wb[hour_order]
    depression = t_air - t_wb  # as adiabatic_temperature: X = T_air - eff x (T_air - T_wb)
    sources = {"dry": t_air, "air": t_air, "wet": t_wb, "tower": t_wb, "adiabatic": None}
    lift_sum, share_sum, share_lift = np.zeros(draws), np.zeros(draws), np.zeros(draws)
    draw_order = np.argsort(np.minimum(x_hinge, full), kind="stable")
    rows = min(BLOCK_SUMS_DRAWS, draws)
    buffers = [np.empty(rows * hours) for _ in range(3)]
    for start in range(0, draws, rows):
        d = draw_order[start : start + rows]
        # The first hours are cold in every draw of the block: for 1/COP (at or below every x_h),
        # for the economiser (at or below every U - band); only the others are run.
        cold_c = int(np.searchsorted(bound, x_hinge[d].min(), side="right"))
        cold_e = int(np.searchsorted(bound, full[d].min(), side="right")) if economiser is not None else hours
        first = min(cold_c, cold_e)
        x = buffers[0][: d.size * (hours - first)].reshape(d.size, hours - first)
        np.multiply(depression[first:], -eff[d, None], out=x)
        x += t_air[first:]
        lift = buffers[1][: d.size * (hours - cold_c)].reshape(d.size, hours - cold_c)
        source = sources[kinds[0]]
        np.maximum(x[:, cold_c - first :] if source is None else source[cold_c:], x_hinge[d, None], out=lift)
        lift_sum[d] = lift.sum(axis=1) + cold_c * x_hinge[d]
        if economiser is None:
            continue
        share = buffers[2][: d.size * (hours - cold_e)].reshape(d.size, hours - cold_e)
        source = sources[kinds[1]]
        np.subtract(upper[d, None], x[:, cold_e - first :] if source is None else source[cold_e:], out=share)
        np.clip(share, 0.0, band[d, None], out=share)
        share_sum[d] = share.sum(axis=1) + cold_e * band[d]
        both = max(cold_c, cold_e)
        product = np.einsum("dh,dh->d", share[:, both - cold_e :], lift[:, both - cold_c :])
        if cold_e < cold_c:  # hours [cold_e, cold_c): 1/COP at its floor, e runs
            product += x_hinge[d] * share[:, : cold_c - cold_e].sum(axis=1)
        elif cold_c < cold_e:  # hours [cold_c, cold_e): e = 1, 1/COP runs
            product += band[d] * lift[:, : cold_e - cold_c].sum(axis=1)
        share_lift[d] = product + first * (band[d] * x_hinge[d])
    inv_sum = k * (lift_sum + hours * lift_extra)
    if economiser is None:
        return inv_sum, np.zeros(draws), np.zeros(draws)
    return inv_sum, share_sum / band, k / band * (share_lift + lift_extra * share_sum)


def _hours_by_highest_source(t_air, t_wb, eff, kinds) -> tuple:
    """The hours' order by the highest value any of the sources ``kinds`` takes over the
    effectiveness ``eff`` [°C], and those values sorted.

    The pre-cooled air ``T_air - eff (T_air - T_wb)`` of every draw is at or below its value at
    the lowest or the highest effectiveness (float64 rounding keeps the order of products and
    differences), so an hour whose bound is at or below a draw's threshold is below it in that draw.
    """
    depression = t_air - t_wb
    bound = np.full(t_air.shape, -np.inf)
    for kind in kinds:
        if kind == "adiabatic":
            x = np.maximum(t_air - eff.min() * depression, t_air - eff.max() * depression)
        else:
            x = t_air if kind in ("dry", "air") else t_wb
        bound = np.maximum(bound, x)
    order = np.argsort(bound, kind="stable")
    return order, bound[order]


def _per_draw_vector(x, draws: int):
    """A scalar or ``(draws, 1)`` column as a ``(draws,)`` float64 vector."""
    return np.ascontiguousarray(np.broadcast_to(_flat(x), (draws,)), dtype=np.float64)


def liquid(args: dict, free_cooling: bool) -> dict:
    """:func:`impact.model.cooling.liquid_closed_loop`'s annual results from sorted dry-bulb hours."""
    from .cooling import chiller_fit, economiser_full_c

    a = args
    liq = {k: _flat(v) for k, v in a["liquid"].items()}
    sh = sorted_hours(a["temp_air_c"])
    hours = sh.hours
    shift = a.get("temp_offset_k")
    shift = 0.0 if shift is None else _flat(shift)
    it, s = _flat(a["it_mw"]), liq["share"]
    dist, aux = _flat(a["distribution_share"]), _flat(a["aux_share"])
    supply, approach, band = _flat(a["supply_c"]), _flat(a["approach_k"]), _flat(a["band_k"])
    load = it * (1.0 + dist)
    q_liquid = s * it
    q_air = load - q_liquid
    t_chilled = supply - approach
    cond, chill = _flat(a["air_condenser_approach_k"]), _flat(a["chiller_approach_k"])
    eta, loss = chiller_fit(
        a["cop_air_rated"],
        a.get("cop_air_iplv"),
        a["t_air_rated_c"],
        "air",
        a["air_condenser_approach_k"],
        a["chiller_approach_k"],
    )
    t_full = economiser_full_c("dry", supply, approach, _maybe(a.get("dry_economiser_approach_k")))
    inv_air = _inverse_cop(shift, t_chilled, eta, cond, chill, loss)
    inv_liq = _inverse_cop(shift, liq["supply_c"], eta, cond, chill, loss)
    e_liq = clip_down(liq["supply_c"] - liq["dry_cooler_approach_k"] + liq["delta_t_k"] - shift, liq["delta_t_k"])
    inv_air_sum, inv_liq_sum = total(sh, inv_air), total(sh, inv_liq)
    e_liq_sum, e_liq_inv = total(sh, e_liq), total_product(sh, e_liq, inv_liq)
    if free_cooling:
        e_air = clip_down(t_full + band - shift, band)
        e_air_sum, e_air_inv = total(sh, e_air), total_product(sh, e_air, inv_air)
    else:
        e_air_sum, e_air_inv = 0.0, 0.0
    e0_inv = total_product(sh, clip_down(t_chilled + band - shift, band), inv_air)

    free = q_air * e_air_sum + q_liquid * e_liq_sum
    power = q_air * (inv_air_sum - e_air_inv) + q_liquid * (inv_liq_sum - e_liq_inv)
    out = {
        "it_mwh": it * hours,
        "cooling_load_mwh": load * hours,
        "water_mwh": 0.0 * load,
        "free_mwh": free,
        "chillers_mwh": load * hours - free,
        "chiller_power_mwh": power,
        "aux_power_mwh": aux * load * hours,
        "distribution_mwh": dist * it * hours,
        "liquid_mwh": q_liquid * hours,
        "liquid_free_mwh": q_liquid * e_liq_sum,
    }
    out["cooling_energy_mwh"] = out["chiller_power_mwh"] + out["aux_power_mwh"]
    out["facility_mwh"] = out["it_mwh"] + out["cooling_energy_mwh"] + out["distribution_mwh"]
    out["pue"] = _ratio(out["facility_mwh"], out["it_mwh"])
    reference = q_air * inv_air_sum + q_liquid * inv_liq_sum
    out["chillers_only_facility_mwh"] = out["it_mwh"] + reference + out["aux_power_mwh"] + out["distribution_mwh"]
    out["saving_mwh"] = reference - out["chiller_power_mwh"]
    out["water_saving_vs_chillers_mwh"] = 0.0 * load
    out["water_saving_vs_free_cooling_mwh"] = 0.0 * load
    free_ref = q_air * (inv_air_sum - e0_inv) + q_liquid * (inv_liq_sum - e_liq_inv)
    out["free_cooled_facility_mwh"] = out["it_mwh"] + free_ref + out["aux_power_mwh"] + out["distribution_mwh"]
    out["thermal_discharge_max_mw"] = 0.0 * load
    return _per_draw(out, args)


def _inverse_cop(c_extra, t_chilled, eta, condenser_approach, chiller_approach, loss) -> Piecewise:
    """:func:`impact.model.cooling.inverse_cop` as a function of ``X`` (source = ``X + c_extra``)."""
    from .cooling import KELVIN

    t_cold = t_chilled - chiller_approach + KELVIN
    m = condenser_approach + chiller_approach
    return hinge(c_extra + (m - t_chilled), m, 0.0 if loss is None else _flat(loss), 1.0 / (_flat(eta) * t_cold))


def _per_draw(out: dict, args: dict) -> dict:
    """Every result as one value per draw when any input is drawn (as the old blocks joined them)."""
    from .cooling import _draw_count

    values = list(args.values()) + list((args.get("water") or {}).values()) + list((args.get("liquid") or {}).values())
    if not any(np.ndim(x) == 2 for x in values):
        return out
    n = _draw_count(args)
    return {
        k: v if np.shape(v) == (n,) else np.array(np.broadcast_to(v, (n,)), dtype=np.float64) for k, v in out.items()
    }


def _maybe(x):
    return None if x is None else _flat(x)


def _ratio(num, den):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.divide(num, den)


def sortable_setup(system: str, hourly_water: bool, adiabatic_effectiveness) -> bool:
    """Whether a site's draws can use the sorted sums and the narrowed peak (as :func:`sortable`,
    before the arguments are built): no hourly intake temperature, and an adiabatic design's
    effectiveness one value for every draw."""
    from .cooling import SYSTEMS

    spec = SYSTEMS[system]
    if hourly_water:
        return False
    return "adiabatic" not in (spec["economiser"], spec["condenser"]) or np.ndim(adiabatic_effectiveness) == 0


def peak_hours(args: dict, hot_hours, hourly_water: bool):
    """The hours of ``hot_hours`` that can hold the largest hour of the site's power.

    When :func:`sortable_setup` holds, the water's share is the same every hour and every other
    term (``(1 - e) / COP``, the liquid loop's too) rises with the driving temperature
    (:func:`driving_variable`): the largest hour is at its highest value among the hot hours
    (every hour tied there is kept). For a drawn adiabatic effectiveness, see
    :func:`_adiabatic_peak_hours`. Otherwise, all of ``hot_hours``.
    """
    hot_hours = np.asarray(hot_hours)
    if not sortable_setup(args["system"], hourly_water, args["adiabatic_effectiveness"]):
        return _adiabatic_peak_hours(args, hot_hours, hourly_water)
    x = driving_variable(args)[hot_hours]
    if not np.all(np.isfinite(x)):
        return hot_hours  # a missing hour: searched hour by hour, as before
    return hot_hours[x == x.max()]


#: How far below the highest hour's pre-cooled air another hour's may come, at any drawn
#: effectiveness, and still be searched for the peak [K]: well above the rounding of the hours in
#: single precision (about 1e-6 K), so that no hour that could hold the peak is left out.
PEAK_MARGIN_K = 1e-3


def _adiabatic_peak_hours(args: dict, hot_hours, hourly_water: bool):
    """The hot hours that can hold the peak for a drawn effectiveness when the economiser and the
    condenser both use the pre-cooled air ``X = T_air - eff (T_air - T_wb)``.

    Every term of the power then rises with ``X`` (the water's share the same every hour, the
    economiser's band positive), so in each draw the peak is at an hour whose ``X`` is the highest.
    ``X`` is linear in the effectiveness: over the drawn ones, each hour's ``X`` lies between its
    values at the lowest and the highest. An hour whose highest ``X`` is below the largest of the
    other hours' lowest (by :data:`PEAK_MARGIN_K`) is below that hour in every draw: left out.
    Otherwise (another design, an hourly intake, a missing hour), all of ``hot_hours``.
    """
    from .cooling import SYSTEMS

    spec = SYSTEMS[args["system"]]
    if hourly_water or spec["economiser"] != "adiabatic" or spec["condenser"] != "adiabatic":
        return hot_hours
    if not np.all(np.asarray(args["band_k"]) > 0):
        return hot_hours
    t_air = np.asarray(args["temp_air_c"], dtype=np.float64)[hot_hours]
    t_wb = np.asarray(args["temp_wet_bulb_c"], dtype=np.float64)[hot_hours]
    eff = np.asarray(args["adiabatic_effectiveness"], dtype=np.float64)
    if not (t_air.size and np.all(np.isfinite(t_air)) and np.all(np.isfinite(t_wb)) and np.all(np.isfinite(eff))):
        return hot_hours
    depression = t_air - t_wb
    at_low, at_high = t_air - eff.min() * depression, t_air - eff.max() * depression
    x_low, x_high = np.minimum(at_low, at_high), np.maximum(at_low, at_high)
    return hot_hours[x_high >= x_low.max() - PEAK_MARGIN_K]


def peak(args: dict) -> tuple:
    """The largest hour of the site's power and of the heat into the water [MW], per draw.

    ``args``: :func:`~impact.model.cooling.simulate`'s arguments on the hours to search (from
    :func:`peak_hours`); run hour by hour in blocks of :data:`PEAK_DRAWS_PER_BLOCK` draws, so that
    no hours x draws array of all the draws is made.
    """
    from .cooling import _draw_count, simulate

    hourly_water = args.get("water") is not None and not _constant_in_hours(args["water"].get("t_in_c"))
    if sortable_setup(args["system"], hourly_water, args["adiabatic_effectiveness"]):
        x = driving_variable(args)
        if x.size and np.all(x == x[0]):  # the hours tied at the highest temperature: one of them is enough
            return _peak_at_one_hour(args)
    draws = _draw_count(args)

    def run(kw):
        res = simulate(**{**kw, "hourly": True})["hourly"]
        return res["facility_mw"].max(axis=-1), res["water_mw"].max(axis=-1)

    if draws <= PEAK_DRAWS_PER_BLOCK or np.shape(args["temp_air_c"])[-1] * draws <= 2**18:
        return run(args)

    def block(x, rows):
        return x[rows] if np.ndim(x) == 2 and np.shape(x)[0] == draws else x

    facility, water = [], []
    for start in range(0, draws, PEAK_DRAWS_PER_BLOCK):
        rows = slice(start, min(start + PEAK_DRAWS_PER_BLOCK, draws))
        kw = {k: block(v, rows) for k, v in args.items()}
        for sub in ("water", "liquid"):
            if kw.get(sub) is not None:
                kw[sub] = {k: block(v, rows) for k, v in kw[sub].items()}
        f, w = run(kw)
        n = rows.stop - rows.start
        facility.append(np.broadcast_to(f, (n,)))
        water.append(np.broadcast_to(w, (n,)))
    return np.concatenate(facility), np.concatenate(water)


def _peak_at_one_hour(args: dict) -> tuple:
    """The site's power and the heat into the water [MW] at the first hour of ``args``, per draw:
    the hourly terms of :func:`impact.model.cooling.simulate` (``facility_mw``, ``water_mw``) at
    that hour, with the model's own functions."""
    from .cooling import (
        SYSTEMS,
        adiabatic_temperature,
        chiller_fit,
        economiser_fraction,
        economiser_full_c,
        inverse_cop,
        water_share,
    )

    a = args
    spec: dict = SYSTEMS[a["system"]]
    free_cooling = spec["free_cooling"] if a.get("free_cooling") is None else a["free_cooling"]
    t_air = np.asarray(a["temp_air_c"], dtype=np.float64)[..., :1]
    t_wb = np.asarray(a["temp_wet_bulb_c"], dtype=np.float64)[..., :1]
    shift = a.get("temp_offset_k")
    if shift is not None and not np.any(np.asarray(shift) != 0):
        shift = None
    it, dist, aux = a["it_mw"], a["distribution_share"], a["aux_share"]
    load = it * (1.0 + dist)
    t_chilled = a["supply_c"] - a["approach_k"]
    cond, chill = a["air_condenser_approach_k"], a["chiller_approach_k"]
    if spec.get("liquid"):
        liq = a["liquid"]
        t = t_air if shift is None else t_air + shift
        q_liquid = liq["share"] * it
        q_air = load - q_liquid
        eta, loss = chiller_fit(a["cop_air_rated"], a.get("cop_air_iplv"), a["t_air_rated_c"], "air", cond, chill)
        t_full = economiser_full_c("dry", a["supply_c"], a["approach_k"], a.get("dry_economiser_approach_k"))
        e_air = economiser_fraction(t, t_full, a["band_k"]) if free_cooling else 0.0
        inv_air = inverse_cop(t, t_chilled, eta, cond, chill, loss_lift_k=loss)
        e_liq = economiser_fraction(t, liq["supply_c"] - liq["dry_cooler_approach_k"], liq["delta_t_k"])
        inv_liq = inverse_cop(t, liq["supply_c"], eta, cond, chill, loss_lift_k=loss)
        power = q_air * (1.0 - e_air) * inv_air + q_liquid * (1.0 - e_liq) * inv_liq
        water = 0.0 * load
    else:
        w = water_share(a["water"], t_chilled, a["band_k"], load)[0] if a.get("water") is not None else 0.0
        rest = 1.0 - w
        t_adiabatic = None
        if "adiabatic" in (spec["economiser"], spec["condenser"]):
            t_adiabatic = adiabatic_temperature(t_air, t_wb, a["adiabatic_effectiveness"])
        e = 0.0
        if free_cooling:
            source = {"dry": t_air, "wet": t_wb, "adiabatic": t_adiabatic}[spec["economiser"]]
            t_full = economiser_full_c(
                spec["economiser"], a["supply_c"], a["approach_k"], a["dry_economiser_approach_k"]
            )
            e = economiser_fraction(source, t_full if shift is None else t_full - shift, a["band_k"])
        if spec["condenser"] == "tower":
            t_source, c_approach = t_wb + a["tower_approach_k"], chill
            eta, loss = chiller_fit(
                a["cop_water_rated"], a["cop_water_iplv"], a["t_water_rated_c"], "water", chill, chill
            )
        else:
            t_source = t_adiabatic if spec["condenser"] == "adiabatic" else t_air
            c_approach = cond
            eta, loss = chiller_fit(a["cop_air_rated"], a["cop_air_iplv"], a["t_air_rated_c"], "air", cond, chill)
        inv = inverse_cop(t_source, t_chilled, eta, c_approach, chill, source_shift_k=shift, loss_lift_k=loss)
        power = load * (rest - e * rest) * inv
        water = load * w
    facility = it + power + aux * load + dist * it
    shape = np.broadcast_shapes(np.shape(facility), np.shape(water))
    facility, water = (np.broadcast_to(np.asarray(x, dtype=np.float64), shape)[..., 0] for x in (facility, water))
    return (facility, water) if facility.ndim else (float(facility), float(water))
