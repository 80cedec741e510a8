"""Hourly cooling: free cooling, river or sea water, chillers, auxiliaries.

Every hour, the cooling load (IT heat plus the losses of power distribution inside
the building) is met, in this order, by river or sea water (limited by the declared
share, the flow and the water temperature), by free cooling (an economiser, full
below a threshold temperature, partial across a band above it: the wet-bulb rule for
wet economisers [3]_, a dry-cooler approach for dry and adiabatic ones [4]_), and by
chillers for the rest. The chillers' COP is ``eta x T_evap / (lift + L)``, fitted on
the full-load and part-load (IPLV) minimum ratings of ASHRAE 90.1 [1]_ [2]_: the COP
falls as the outdoor temperature rises, and the loss lift ``L`` keeps it finite when
the lift is small. Fans and pumps draw a share of the cooling load; distribution
losses (UPS, transformers and PDUs, lighting) a share of the IT load [5]_.

Arrays broadcast: climate series have shape ``(hours,)``; parameters may be scalars
or ``(draws, 1)`` columns, which gives ``(draws, hours)`` in one vectorised pass.
Annual results alone (no ``hourly``) come from sorted hours and prefix sums where
every hourly term is a function of one temperature (:mod:`impact.model.cooling_sums`,
the same sums), from hours x draws blocks making only the sums for a drawn adiabatic
effectiveness; otherwise hour by hour, in blocks of draws.

References
----------
.. [1] AHRI Standard 550/590 (I-P), Performance rating of water-chilling and heat
   pump water-heating packages: full-load rating points (35 °C outdoor air, 29.4 °C
   entering condenser water, chilled water leaving at 6.7 °C) and the IPLV
   part-load points and weights.
.. [2] ANSI/ASHRAE/IES Standard 90.1-2019, Table 6.8.1-3, minimum efficiencies of
   water-chilling packages by type and capacity class (Path A).
.. [3] ENERGY STAR, "Use a water-side economizer" (energystar.gov/node/18991):
   suited where the wet-bulb is below 12.8 °C for 3,000 h/yr or more.
.. [4] Institute of Energy Economics, University of Stuttgart, "Free cooling for
   saving energy: technical market analysis of dry, wet, and hybrid cooling based on
   manufacturer data", Energies 16(9), 3661 (2023), doi:10.3390/en16093661.
.. [5] Lei, N., Masanet, E., "Statistical analysis for predicting location-specific
   data center PUE and its improvement potential", Energy 201, 117556 (2020),
   doi:10.1016/j.energy.2020.117556.
.. [6] Gordon, J. M., Ng, K. C., Cool Thermodynamics, Cambridge International
   Science Publishing (2000): chiller COP against the Carnot COP, with losses that
   do not vanish with the lift.
"""

from __future__ import annotations

import numpy as np

from . import cooling_sums

KELVIN = 273.15
#: Draws run together in :func:`simulate`: hours x draws arrays stay a few MB,
#: instead of hundreds of MB for thousands of draws (the results are the same).
DRAWS_PER_BLOCK = 128
#: AHRI rating: chilled water leaving the evaporator [°C].
T_CHILLED_RATED_C = 6.7

#: For each cooling type: what the chillers reject heat to, what the economiser
#: uses, and whether free cooling is on unless the project says otherwise.
SYSTEMS = {
    "air_chillers": {"condenser": "air", "economiser": "dry", "free_cooling": False},
    "water_chillers": {"condenser": "tower", "economiser": "wet", "free_cooling": False},
    "evaporative": {"condenser": "tower", "economiser": "wet", "free_cooling": True},
    "adiabatic": {"condenser": "adiabatic", "economiser": "adiabatic", "free_cooling": True},
    "dry_free_cooling": {"condenser": "air", "economiser": "dry", "free_cooling": True},
    # River or sea water takes its share first; the rest is cooled as by an air-cooled design,
    # economiser included, so that the water is judged against the same site's air design
    # (docs/alternatives-basis.md). ``cooling.free_cooling: false`` says the rest is chillers alone.
    "river": {"condenser": "air", "economiser": "dry", "free_cooling": True},
    "sea": {"condenser": "air", "economiser": "dry", "free_cooling": True},
    # Direct-to-chip or immersion liquid cooling ending in dry coolers (no evaporation):
    # see :func:`liquid_closed_loop`; the air-cooled remainder is cooled as dry_free_cooling.
    "liquid_closed_loop": {"condenser": "air", "economiser": "dry", "free_cooling": True, "liquid": True},
}


def carnot_fraction(
    cop_rated,
    t_source_rated_c,
    condenser_approach_k,
    evaporator_approach_k,
    t_chilled_rated_c=T_CHILLED_RATED_C,
    loss_lift_k=0.0,
):
    """Second-law efficiency of a chiller from one rating point [-].

    ``eta = COP x (lift + L) / T_evap`` at the rating point, so that :func:`chiller_cop`
    returns ``cop_rated`` there; with ``loss_lift_k`` L = 0 (the default) ``eta`` is the
    fraction of the Carnot COP.

    Parameters
    ----------
    cop_rated : numeric
        COP at the rating point [-].
    t_source_rated_c : numeric
        Condenser-side source temperature at rating (outdoor air, or entering
        condenser water) [°C].
    condenser_approach_k, evaporator_approach_k : numeric
        Condensing temperature above its source; evaporating temperature below
        the chilled water [K].
    t_chilled_rated_c : numeric, default 6.7
        Chilled water leaving at rating [°C].
    loss_lift_k : numeric, default 0
        Lift equivalent of the chiller's losses that do not shrink with the lift,
        from :func:`chiller_loss_lift` [K].
    """
    t_hot = t_source_rated_c + condenser_approach_k + KELVIN
    t_cold = t_chilled_rated_c - evaporator_approach_k + KELVIN
    return cop_rated * (t_hot - t_cold + loss_lift_k) / t_cold


def chiller_cop(t_source_c, t_chilled_c, eta, condenser_approach_k, evaporator_approach_k, loss_lift_k=0.0):
    """Chiller COP at given source and chilled-water temperatures [-].

    ``COP = eta x T_evap / (T_cond - T_evap + L)`` in kelvin, with ``T_cond = source +
    condenser approach`` and ``T_evap = chilled - evaporator approach``. The lift
    never falls below the sum of the two approaches (head-pressure control keeps a
    minimum condensing pressure). ``L`` (``loss_lift_k``, default 0: a fixed fraction
    of Carnot) stands for the losses that do not fall with the lift (motor, drive,
    compressor off its design point), so that the COP stays finite at a small lift.

    Parameters
    ----------
    t_source_c : numeric
        Condenser-side source temperature [°C].
    t_chilled_c : numeric
        Chilled-water (or supply coolant) temperature [°C].
    eta : numeric
        Fraction of the Carnot COP, from :func:`carnot_fraction` [-].
    condenser_approach_k, evaporator_approach_k : numeric
        Approaches of the two heat exchangers [K].
    loss_lift_k : numeric, default 0
        From :func:`chiller_loss_lift` [K].
    """
    t_cold = t_chilled_c - evaporator_approach_k + KELVIN
    min_lift = condenser_approach_k + evaporator_approach_k
    # Grouped so that only two operations run over hours x draws.
    lift = np.maximum(t_source_c + (min_lift - t_chilled_c), min_lift)
    return (eta * t_cold) / (lift + loss_lift_k)


def inverse_cop(
    t_source_c,
    t_chilled_c,
    eta,
    condenser_approach_k,
    evaporator_approach_k,
    source_shift_k=None,
    loss_lift_k=None,
):
    """``1 / chiller_cop(...)``: chiller electricity per unit of heat removed [-].

    Computed in place over hours x draws (the hot loop of the Monte Carlo).
    ``source_shift_k`` [K] is added to ``t_source_c`` (per draw) without making a
    shifted copy of the hours; ``loss_lift_k`` [K] as in :func:`chiller_cop`.
    """
    t_cold = t_chilled_c - evaporator_approach_k + KELVIN
    min_lift = condenser_approach_k + evaporator_approach_k
    threshold = min_lift - t_chilled_c
    lift = t_source_c + (threshold if source_shift_k is None else threshold + source_shift_k)
    np.maximum(lift, min_lift, out=lift)
    if loss_lift_k is not None:
        if np.broadcast_shapes(lift.shape, np.shape(loss_lift_k)) == lift.shape:
            lift += loss_lift_k
        else:  # a loss per draw on hours alone: a new hours x draws array
            lift = lift + loss_lift_k
    lift *= 1.0 / (eta * t_cold)
    return lift


#: AHRI 550/590 (I-P) part-load rating conditions of the IPLV [1]_: weights of the
#: 100, 75, 50 and 25 % load points, and the condenser-side temperature at each [°C]
#: (water-cooled: entering condenser water 85, 75, 65, 65 °F; air-cooled: entering
#: air 95, 80, 65, 55 °F), rounded as the full-load rating points; chilled water
#: leaving at 44 °F (6.7 °C) throughout.
IPLV_WEIGHTS = (0.01, 0.42, 0.45, 0.12)
IPLV_T_WATER_C = (29.4, 23.9, 18.3, 18.3)
IPLV_T_AIR_C = (35.0, 26.7, 18.3, 12.8)


def chiller_loss_lift(
    cop_full,
    cop_iplv,
    t_source_full_c,
    t_source_iplv_c,
    condenser_approach_k,
    evaporator_approach_k,
    weights=IPLV_WEIGHTS,
    t_chilled_rated_c=T_CHILLED_RATED_C,
):
    """Loss lift ``L`` [K] that makes :func:`chiller_cop` match both AHRI ratings.

    A constant fraction of Carnot (L = 0) fixed on the full-load rating alone
    predicts how the COP rises as the lift falls; the standard's part-load value
    (IPLV, rated at lower condenser temperatures) says how much it does rise. With
    ``COP_i = eta x T_evap / (lift_i + L)`` and ``IPLV = sum(w_i x COP_i)`` (AHRI
    550/590, the IPLV as a weighted mean of the COPs), ``eta`` cancels in
    ``IPLV / COP_full = sum(w_i (lift_full + L) / (lift_i + L))``, which falls from
    its L = 0 value towards 1 as L grows: solved for L by bisection. L = 0 when the
    Carnot fraction already predicts no more than the rated part-load gain.

    Parameters
    ----------
    cop_full, cop_iplv : numeric
        Full-load COP and IPLV (as a COP) of the rating [-].
    t_source_full_c : numeric
        Condenser-side temperature of the full-load rating [°C].
    t_source_iplv_c : sequence of numeric
        Condenser-side temperature at each part-load point [°C].
    condenser_approach_k, evaporator_approach_k : numeric
        As in :func:`chiller_cop` [K].
    weights : sequence of float
        IPLV weights of the points (sum 1) [-].

    Returns
    -------
    numeric
        ``L`` [K], >= 0 (scalar or the broadcast shape of the inputs).
    """
    min_lift = np.asarray(condenser_approach_k) + evaporator_approach_k

    def lift(t):
        return np.maximum(t + condenser_approach_k - (t_chilled_rated_c - evaporator_approach_k), min_lift)

    full = lift(t_source_full_c)
    parts = [lift(t) for t in t_source_iplv_c]
    target = np.asarray(cop_iplv, dtype=float) / cop_full

    def ratio(loss):
        return sum(w * (full + loss) / (p + loss) for w, p in zip(weights, parts))

    # The ratio falls with L: Newton's steps from L = 0 inside a bracket [lo, hi] that shrinks at
    # each step (a bisection step whenever Newton's would leave it), from [0, 1e4 K], each draw until
    # its step is below 1e-10 K (issue 15: 60 bisection steps before; the same root to
    # about 1e-12 relative, 1e4 K when it lies beyond).
    shape = np.broadcast_shapes(np.shape(target), np.shape(full), *(np.shape(p) for p in parts))
    full_b, target_b = np.broadcast_to(full, shape).ravel(), np.broadcast_to(target, shape).ravel()
    parts_b = [np.broadcast_to(p, shape).ravel() for p in parts]
    x = np.zeros(full_b.shape)
    lo, hi = x.copy(), np.full_like(x, 1e4)

    def excess(i, loss):  # ratio - target of the draws i
        return sum(w * (full_b[i] + loss) / (p[i] + loss) for w, p in zip(weights, parts_b)) - target_b[i]

    # L = 0 where the ratio is already at or below the target; 1e4 K where it is still above there.
    todo = np.flatnonzero(excess(slice(None), 0.0) > 0)
    beyond = excess(todo, 1e4) > 0
    x[todo[beyond]] = 1e4
    todo = todo[~beyond]
    for _ in range(200):
        if todo.size == 0:
            break
        xt, ft = x[todo], full_b[todo]
        pt = [p[todo] for p in parts_b]
        g = excess(todo, xt)
        dg = sum(w * (p - ft) / ((p + xt) * (p + xt)) for w, p in zip(weights, pt))
        above = g > 0
        lo_t = np.where(above, xt, lo[todo])
        hi_t = np.where(above, hi[todo], xt)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = xt - g / dg
        new = np.where((step >= lo_t) & (step <= hi_t), step, 0.5 * (lo_t + hi_t))
        x[todo], lo[todo], hi[todo] = new, lo_t, hi_t
        # A Newton step of d leaves an error of order d^2 / (lift + L): a step below 1e-10 K is the last.
        going = (np.abs(new - xt) > 1e-10 * (1.0 + np.abs(xt))) & (hi_t - lo_t > 1e-15 * (1.0 + hi_t))
        todo = todo[going]
    x = x.reshape(shape)
    loss = np.where(ratio(0.0) <= target, 0.0, x)
    return loss if np.ndim(loss) else float(loss)


def economiser_fraction(t_source_c, t_full_c, band_k):
    """Share of the load that free cooling meets [-].

    1 at or below ``t_full_c``, 0 at or above ``t_full_c + band_k``, linear between
    (a partial economiser pre-cools and the chillers finish).
    """
    f = (t_full_c + band_k) - t_source_c
    f *= 1.0 / np.asarray(band_k, dtype=float)
    np.clip(f, 0.0, 1.0, out=f)
    return f


def adiabatic_temperature(temp_air_c, temp_wet_bulb_c, effectiveness):
    """Air temperature after evaporative pre-cooling [°C]: T - e x (T - Twb)."""
    return temp_air_c - effectiveness * (temp_air_c - temp_wet_bulb_c)


def economiser_full_c(economiser, supply_c, approach_k, dry_economiser_approach_k=None):
    """Source temperature at or below which the economiser meets the whole load [°C].

    Wet economisers (cooling tower and plate exchanger): the wet-bulb rule,
    ``supply_c - approach_k`` (the chilled-water temperature). Dry and adiabatic
    economisers (dry coolers, with or without evaporative pre-cooling, on the dry
    bulb or the pre-cooled air): ``supply_c - dry_economiser_approach_k``, never
    above the chilled-water temperature. ``dry_economiser_approach_k`` None: the
    wet-bulb rule for every economiser.

    Parameters
    ----------
    economiser : {"dry", "wet", "adiabatic"}
        What the economiser uses (:data:`SYSTEMS`).
    supply_c : numeric
        Air supply temperature [°C].
    approach_k, dry_economiser_approach_k : numeric
        Approaches of the wet and dry economisers to the supply air [K].
    """
    t_chilled = supply_c - approach_k
    if economiser == "wet" or dry_economiser_approach_k is None:
        return t_chilled
    return np.minimum(supply_c - dry_economiser_approach_k, t_chilled)


def chiller_fit(cop_full, cop_iplv, t_source_full_c, condenser, condenser_approach_k, evaporator_approach_k):
    """``(eta, loss_lift_k)`` of a chiller from its ratings.

    With ``cop_iplv`` None: the fraction of Carnot of the full-load rating
    (:func:`carnot_fraction`) and no loss lift. Otherwise the loss lift of
    :func:`chiller_loss_lift` (the IPLV conditions of ``condenser``, ``"air"`` or
    ``"water"``) and the ``eta`` that keeps the full-load rating.
    """
    if cop_iplv is None:
        return carnot_fraction(cop_full, t_source_full_c, condenser_approach_k, evaporator_approach_k), None
    # The same ratings and approaches come twice in a run (the annual sums, then the peak): the
    # fit of the last ones is kept (issue 15), read-only, keyed on their values.
    key = _fit_key(cop_full, cop_iplv, t_source_full_c, condenser, condenser_approach_k, evaporator_approach_k)
    last = _FIT_CACHE.get("last")  # one (key, value) pair: read and replaced at once
    if key is not None and last is not None and last[0] == key:
        return last[1]
    points = IPLV_T_AIR_C if condenser == "air" else IPLV_T_WATER_C
    loss = chiller_loss_lift(cop_full, cop_iplv, t_source_full_c, points, condenser_approach_k, evaporator_approach_k)
    value = (
        carnot_fraction(cop_full, t_source_full_c, condenser_approach_k, evaporator_approach_k, loss_lift_k=loss),
        loss,
    )
    for x in value:
        if isinstance(x, np.ndarray):
            x.flags.writeable = False
    if key is not None:
        _FIT_CACHE["last"] = (key, value)
    return value


_FIT_CACHE: dict = {}


def _fit_key(*args):
    """The values of :func:`chiller_fit`'s arguments as a hashable key (None for small inputs:
    recomputing them costs less than hashing)."""
    import hashlib

    arrays = [np.asarray(x) for x in args if not isinstance(x, str)]
    if max(x.size for x in arrays) < 1024:
        return None
    parts: list = [a for a in args if isinstance(a, str)]
    for x in arrays:
        parts.append(
            (x.dtype.str, x.shape, hashlib.blake2b(np.ascontiguousarray(x).tobytes(), digest_size=16).digest())
        )
    return tuple(parts)


def simulate(
    *,
    system,
    it_mw,
    temp_air_c,
    temp_wet_bulb_c,
    supply_c,
    approach_k,
    band_k,
    chiller_approach_k,
    air_condenser_approach_k,
    tower_approach_k,
    adiabatic_effectiveness,
    aux_share,
    distribution_share,
    cop_air_rated,
    t_air_rated_c,
    cop_water_rated,
    t_water_rated_c,
    free_cooling=None,
    water=None,
    hourly=False,
    temp_offset_k=None,
    liquid=None,
    dry_economiser_approach_k=None,
    cop_air_iplv=None,
    cop_water_iplv=None,
):
    """Run the cooling model over the hours of a year.

    Parameters
    ----------
    system : str
        A key of :data:`SYSTEMS`.
    it_mw : numeric
        IT load [MW] (scalar or ``(draws, 1)``).
    temp_air_c, temp_wet_bulb_c : array, shape (hours,)
        Outdoor dry-bulb and wet-bulb temperatures [°C].
    supply_c : numeric
        Air supply (server inlet) temperature [°C].
    approach_k : numeric
        Difference between the supply temperature and the coldest source that
        still meets the whole load by free cooling [K]; the chilled water is
        produced at ``supply_c - approach_k``.
    band_k : numeric
        Width of the partial free-cooling band (the air temperature rise across
        the IT equipment) [K].
    chiller_approach_k : numeric
        Approach of the chillers' evaporator, and of water-cooled condensers [K].
    air_condenser_approach_k : numeric
        Condensing temperature above the outdoor air for air-cooled chillers [K].
    tower_approach_k : numeric
        Cooling tower water above the wet-bulb [K].
    adiabatic_effectiveness : numeric
        Effectiveness of evaporative pre-cooling [-].
    aux_share : numeric
        Fans and pumps electricity / cooling load [-].
    distribution_share : numeric
        UPS, distribution and lighting losses / IT load [-].
    cop_air_rated, t_air_rated_c, cop_water_rated, t_water_rated_c : numeric
        Rating points of air-cooled and water-cooled chillers [-], [°C].
    free_cooling : bool, optional
        Economiser present; default from :data:`SYSTEMS`.
    water : dict, optional
        River or sea water: ``coverage_share`` [-], ``t_in_c`` [°C] (scalar or per
        hour), ``t_out_c`` [°C] (the allowed return temperature), ``flow_m3_per_h``
        (None: not limiting), ``density_kg_per_m3``, ``specific_heat_j_per_kg_k``,
        ``hx_approach_k`` [K]; optionally ``t_in_offset_k`` [K], added to ``t_in_c``
        (scalar or per draw; the water never below 0 °C).
    hourly : bool
        Also return the hourly arrays.
    temp_offset_k : numeric, optional
        Added to every hour's dry-bulb and wet-bulb temperatures [K] (scalar or
        ``(draws, 1)``: one shift per draw, applied inside each block of draws).
        Exactly 0 (or None) leaves the run unchanged, bit for bit.
    liquid : dict, optional
        For ``liquid_closed_loop`` only: ``share`` of the IT heat taken by the
        liquid [-], ``supply_c`` facility water supply temperature [°C],
        ``delta_t_k`` its rise across the loop [K], ``dry_cooler_approach_k`` [K];
        see :func:`liquid_closed_loop`.
    dry_economiser_approach_k : numeric, optional
        For dry and adiabatic economisers (dry coolers, with or without
        evaporative pre-cooling): the whole load is met by free cooling below
        ``supply_c - dry_economiser_approach_k`` (never above the chilled-water
        temperature ``supply_c - approach_k``) [K]. None: ``approach_k``, the
        wet-bulb rule, for every economiser (the model before issue 12).
    cop_air_iplv, cop_water_iplv : numeric, optional
        Part-load ratings (IPLV as a COP) of the air- and water-cooled chillers
        [-]: with them the COP follows the lift as both ratings say
        (:func:`chiller_loss_lift`); None: a fixed fraction of Carnot.

    Returns
    -------
    dict
        Annual sums [MWh]: ``it_mwh``, ``cooling_load_mwh``, ``free_mwh``,
        ``water_mwh``, ``chillers_mwh`` (heat removed by each mode),
        ``chiller_power_mwh``, ``aux_power_mwh``, ``distribution_mwh``,
        ``cooling_energy_mwh``, ``facility_mwh``; ``pue`` [-];
        ``chillers_only_facility_mwh`` (the same site cooled by its chillers
        alone: no water, no free cooling) and ``saving_mwh``, the difference;
        the saving of the water alone, on two bases (see :func:`water_savings`):
        ``water_saving_vs_chillers_mwh`` / ``_share`` and
        ``water_saving_vs_free_cooling_mwh`` / ``_share``, with
        ``free_cooled_facility_mwh`` (the same site with an economiser and no water);
        ``thermal_discharge_max_mw`` [MW] (the largest hour, at this IT load);
        ``water_volume_m3`` (river or sea water warmed from each hour's intake to
        ``t_out_c``, when it is given) [m3]; with ``hourly``, the same per hour in
        ``hourly`` (MW).
    """
    args = dict(locals())
    if free_cooling is None:
        args["free_cooling"] = SYSTEMS[system]["free_cooling"]
    draws = _draw_count(args)
    if not hourly and draws > DRAWS_PER_BLOCK and not _summed(args):
        return _in_blocks(args, draws)
    out = _system(args)
    zero = np.asarray(it_mw) == 0
    if np.any(zero):  # no IT load: energies are 0, ratios are their limit (the same site at any load)
        out = _zero_load_ratios(args, out, zero)
    return out


#: The results of :func:`simulate` that are ratios: at zero IT load, their limit.
RATIOS = (
    "pue",
    "free_share",
    "water_share",
    "chillers_share",
    "saving_share",
    "water_saving_vs_chillers_share",
    "water_saving_vs_free_cooling_share",
)


def _system(args: dict) -> dict:
    """One run of the system's model, with the shares of each mode added."""
    # Annual results alone: from sorted hours and prefix sums where they apply (the same sums).
    sorted_sums = not args["hourly"] and cooling_sums.sortable(args)
    if SYSTEMS[args["system"]].get("liquid"):
        if sorted_sums and args.get("liquid") is not None:
            out = cooling_sums.liquid(args, args["free_cooling"])
        else:
            out = liquid_closed_loop(args, args["free_cooling"])
    elif sorted_sums or _summed(args):
        out = cooling_sums.air_and_water(args)
    else:
        out = _air_and_water(**args)
    load = out["cooling_load_mwh"]
    out["free_share"] = _ratio(out["free_mwh"], load)
    out["water_share"] = _ratio(out["water_mwh"], load)
    out["chillers_share"] = _ratio(out["chillers_mwh"], load)
    out["saving_share"] = _ratio(out["saving_mwh"], out["chillers_only_facility_mwh"])
    out["water_saving_vs_chillers_share"] = _ratio(
        out["water_saving_vs_chillers_mwh"], out["chillers_only_facility_mwh"]
    )
    out["water_saving_vs_free_cooling_share"] = _ratio(
        out["water_saving_vs_free_cooling_mwh"], out["free_cooled_facility_mwh"]
    )
    return out


def _summed(args: dict) -> bool:
    """Whether the annual results come from sums over sorted hours (:func:`cooling_sums.sortable`)
    or, for a drawn adiabatic effectiveness, from hours x draws blocks that make only the sums
    (:func:`cooling_sums.in_blocks`), not from the hour-by-hour model."""
    return cooling_sums.sortable(args) or cooling_sums.in_blocks(args)


def _ratio(num, den):
    """``num / den``; NaN where ``den`` is 0 (no IT load: :func:`_zero_load_ratios` replaces it).

    The same floating-point division as ``num / den`` wherever ``den`` is not 0.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.divide(num, den)


def _zero_load_ratios(args: dict, out: dict, zero) -> dict:
    """Where the IT load is 0, the ratios (PUE, shares) of :func:`simulate` are 0 / 0: they take
    their limit as the load tends to 0, the ratios of the same site at 1 MW with a flow that no
    longer limits the water (every other term of the model is proportional to the load)."""
    unit_args = {**args, "it_mw": np.where(zero, 1.0, args["it_mw"]), "hourly": args["hourly"]}
    water = args.get("water")
    if water is not None and water.get("flow_m3_per_h") is not None:
        # At a vanishing load, any flow carries the whole share the temperatures allow.
        unit_args["water"] = {**water, "flow_m3_per_h": np.where(zero, 1e30, water["flow_m3_per_h"])}
    unit = _system(unit_args)
    rows = zero[..., 0] if np.ndim(zero) else zero
    for key in RATIOS:
        out[key] = np.where(rows, unit[key], out[key])
    if "hourly" in out:
        out["hourly"]["pue"] = np.where(zero, unit["hourly"]["pue"], out["hourly"]["pue"])
    return out


def _air_and_water(
    *,
    system,
    it_mw,
    temp_air_c,
    temp_wet_bulb_c,
    supply_c,
    approach_k,
    band_k,
    chiller_approach_k,
    air_condenser_approach_k,
    tower_approach_k,
    adiabatic_effectiveness,
    aux_share,
    distribution_share,
    cop_air_rated,
    t_air_rated_c,
    cop_water_rated,
    t_water_rated_c,
    free_cooling,
    water,
    hourly,
    temp_offset_k,
    liquid,
    dry_economiser_approach_k,
    cop_air_iplv,
    cop_water_iplv,
):
    """:func:`simulate` for every system but ``liquid_closed_loop``."""
    spec = SYSTEMS[system]
    t_air = np.asarray(temp_air_c, dtype=float)
    t_wb = np.asarray(temp_wet_bulb_c, dtype=float)
    hours = t_air.shape[-1]
    # The offset enters every source temperature linearly (dry bulb, wet bulb, and the
    # adiabatic mix of the two): it is added to the per-draw thresholds instead of the
    # hours, so that no extra hours x draws array is made.
    shift = None
    if temp_offset_k is not None and np.any(np.asarray(temp_offset_k) != 0):
        shift = np.asarray(temp_offset_k, dtype=float)

    def hsum(x):
        # Sum over the hours without materialising what does not vary by hour.
        x = np.asarray(x, dtype=float)
        if x.ndim == 0 or x.shape[-1] == 1:
            return (x[..., 0] if x.ndim else x) * hours
        return x.sum(axis=-1)

    # Everything below is per MW of cooling load, then scaled: the load is constant
    # over the hours, so only the shares vary by hour.
    load = it_mw * (1.0 + distribution_share)  # heat to remove [MW]
    t_chilled = supply_c - approach_k

    # 1. River or sea water: share of the load.
    if water is not None:
        w, t_in = water_share(water, t_chilled, band_k, load)
    else:
        w = 0.0
    rest = 1.0 - w

    # 2. Free cooling: the economiser's share ``e`` of what the water leaves.
    t_adiabatic = None
    if "adiabatic" in (spec["economiser"], spec["condenser"]):
        t_adiabatic = adiabatic_temperature(t_air, t_wb, adiabatic_effectiveness)
    e = e_ref = None
    if free_cooling or water is not None:
        # With water, the economiser's share is also the reference of the free-cooled basis.
        source = {"dry": t_air, "wet": t_wb, "adiabatic": t_adiabatic}[spec["economiser"]]
        t_full = economiser_full_c(spec["economiser"], supply_c, approach_k, dry_economiser_approach_k)
        e_ref = economiser_fraction(source, t_full if shift is None else t_full - shift, band_k)
        e = e_ref if free_cooling else None

    # 3. Chillers, for the rest: c = rest x (1 - e).
    if spec["condenser"] == "tower":
        t_source = t_wb + tower_approach_k
        condenser_approach = chiller_approach_k
        eta, loss = chiller_fit(
            cop_water_rated, cop_water_iplv, t_water_rated_c, "water", condenser_approach, chiller_approach_k
        )
    else:
        t_source = t_adiabatic if spec["condenser"] == "adiabatic" else t_air
        condenser_approach = air_condenser_approach_k
        eta, loss = chiller_fit(
            cop_air_rated, cop_air_iplv, t_air_rated_c, "air", condenser_approach, chiller_approach_k
        )
    inv_cop = inverse_cop(
        t_source, t_chilled, eta, condenser_approach, chiller_approach_k, source_shift_k=shift, loss_lift_k=loss
    )
    inv_cop_sum = hsum(inv_cop)  # chillers alone on the whole load: the reference

    # Annual sums. When the water's share does not vary by hour (the usual case),
    # they reduce to sums of e, of 1/COP and of their product: no other array of
    # hours x draws is made.
    if np.ndim(rest) == 0 or np.shape(rest)[-1] == 1:
        r_1 = np.asarray(rest, dtype=float)[..., 0] if np.ndim(rest) else rest
        e_sum = hsum(e) if e is not None else 0.0
        e_inv_sum = np.einsum("...h,...h->...", *np.broadcast_arrays(e, inv_cop)) if e is not None else 0.0
        free_sum = r_1 * e_sum
        chillers_sum = r_1 * (hours - e_sum)
        chiller_sum = r_1 * (inv_cop_sum - e_inv_sum)
    else:
        f_h = e * rest if e is not None else 0.0
        c_h = rest - f_h
        free_sum, chillers_sum = hsum(f_h), hsum(c_h)
        chiller_sum = hsum(c_h * inv_cop)
    if hourly:
        f = e * rest if e is not None else 0.0
        c = rest - f
        chiller_kw_per_kw = c * inv_cop
        cop = 1.0 / inv_cop

    load_1 = np.asarray(load, dtype=float)[..., 0] if np.ndim(load) else load
    it_1 = np.asarray(it_mw, dtype=float)[..., 0] if np.ndim(it_mw) else it_mw
    aux_1 = np.asarray(aux_share, dtype=float)[..., 0] if np.ndim(aux_share) else aux_share
    dist_1 = np.asarray(distribution_share, dtype=float)[..., 0] if np.ndim(distribution_share) else distribution_share
    out = {
        "it_mwh": it_1 * hours,
        "cooling_load_mwh": load_1 * hours,
        "water_mwh": load_1 * hsum(w),
        "free_mwh": load_1 * free_sum,
        "chillers_mwh": load_1 * chillers_sum,
        "chiller_power_mwh": load_1 * chiller_sum,
        "aux_power_mwh": aux_1 * load_1 * hours,
        "distribution_mwh": dist_1 * it_1 * hours,
    }
    out["cooling_energy_mwh"] = out["chiller_power_mwh"] + out["aux_power_mwh"]
    out["facility_mwh"] = out["it_mwh"] + out["cooling_energy_mwh"] + out["distribution_mwh"]
    out["pue"] = _ratio(out["facility_mwh"], out["it_mwh"])
    # The same site with chillers alone (no water, no free cooling), same climate.
    out["chillers_only_facility_mwh"] = (
        out["it_mwh"] + load_1 * inv_cop_sum + out["aux_power_mwh"] + out["distribution_mwh"]
    )
    # Only the chillers' electricity differs: computed apart, a chiller-only site saves exactly 0.
    out["saving_mwh"] = load_1 * (inv_cop_sum - chiller_sum)
    out.update(water_savings(out, load_1, w if water is not None else None, e_ref, inv_cop, inv_cop_sum, hsum))
    w_max = np.max(np.broadcast_to(w, np.broadcast_shapes(np.shape(w), (1,))), axis=-1) if np.ndim(w) else w
    out["thermal_discharge_max_mw"] = load_1 * w_max
    if water is not None and water.get("t_out_c") is not None:
        # Volume warmed from each hour's intake to the outlet used: heat / (density x cp x rise), hour by hour.
        rise = np.asarray(water["t_out_c"], dtype=float) - t_in
        with np.errstate(divide="ignore", invalid="ignore"):
            per_k = np.where(rise > 0, w / np.where(rise > 0, rise, 1.0), 0.0)
        out["water_volume_m3"] = (
            load_1 * hsum(per_k) * 3.6e9 / (water["density_kg_per_m3"] * water["specific_heat_j_per_kg_k"])
        )
    if hourly:
        shape = np.broadcast_shapes(np.shape(load), np.shape(cop))
        p_chillers = load * chiller_kw_per_kw
        p_aux = aux_share * load
        p_distribution = distribution_share * it_mw
        p_facility = it_mw + p_chillers + p_aux + p_distribution
        out["hourly"] = {
            name: np.broadcast_to(np.asarray(value, dtype=float), shape)
            for name, value in {
                "cooling_load_mw": load,
                "water_mw": load * w,
                "free_mw": load * f,
                "chillers_mw": load * c,
                "chiller_cop": cop,
                "chiller_power_mw": p_chillers,
                "aux_power_mw": p_aux,
                "distribution_mw": p_distribution,
                "facility_mw": p_facility,
                "pue": _ratio(p_facility, it_mw),
            }.items()
        }
    return out


def water_share(water: dict, t_chilled, band_k, load):
    """River or sea water's share of the cooling load [-], and the intake temperature used [°C].

    The share the heat exchanger allows at this intake (linear across ``band_k`` above the
    chilled-water temperature), never above the declared coverage, 0 when the intake is not
    below the outlet temperature used, and limited by a declared flow's capacity.
    Arguments as in :func:`simulate` (``water``), ``load`` the cooling load [MW].
    """
    t_in = water["t_in_c"]
    water_shift = water.get("t_in_offset_k")
    if water_shift is not None and np.any(np.asarray(water_shift) != 0):
        t_in = np.maximum(np.asarray(t_in) + water_shift, 0.0)
    feasible = np.clip((t_chilled + band_k - (t_in + water["hx_approach_k"])) / band_k, 0.0, 1.0)
    w = np.minimum(water["coverage_share"], feasible)
    if water.get("t_out_c") is not None:
        # An intake not below the outlet temperature used cannot be warmed to it: no heat to the water.
        w = np.where(np.asarray(t_in) < water["t_out_c"], w, 0.0)
    if water.get("flow_m3_per_h") is not None:
        capacity = (
            water["flow_m3_per_h"]
            * water["density_kg_per_m3"]
            / 3600.0
            * water["specific_heat_j_per_kg_k"]
            * (water["t_out_c"] - t_in)
            / 1e6
        )
        # An intake at or above the allowed return temperature carries no heat (not a negative one).
        capacity = np.maximum(capacity, 0.0)
        # No load (no IT load): the flow does not limit; else the share the flow can carry.
        w = np.minimum(
            w,
            capacity / load
            if np.all(np.asarray(load) != 0)
            else np.where(np.asarray(load) != 0, _ratio(capacity, load), np.inf),
        )
    return w, t_in


#: The indicators of :func:`water_savings` (the saving of river or sea water on each basis),
#: by the key of :func:`simulate`'s results they come from, and the method of each.
WATER_SAVING_RESULTS = {
    "cooling_saving_water_vs_chillers_share": "water_saving_vs_chillers_share",
    "cooling_saving_water_vs_free_cooling_share": "water_saving_vs_free_cooling_share",
}
WATER_SAVING_METHODS = {
    "cooling_saving_water_vs_chillers_share": "site electricity saved by the river or sea water / site electricity "
    "with chillers alone (no water, no free cooling), same climate",
    "cooling_saving_water_vs_free_cooling_share": "site electricity saved by the river or sea water / site "
    "electricity of the same site with free cooling and no water, same climate",
}


def water_savings(out: dict, load_mw, w, e, inv_cop, inv_cop_sum, hsum) -> dict:
    """The site electricity the river or sea water saves, on two bases [MWh].

    Only the chillers' electricity differs between the designs compared (fans, pumps and
    distribution are shares of the same load), so, per MW of cooling load and summed over
    the hours ``h``, with ``w`` the water's share, ``e`` the economiser's share of the rest
    and ``1/COP`` the chillers' electricity per unit of heat:

    - against chillers alone (no water, no economiser; the basis promoters use):
      ``sum_h w / COP``, over the facility electricity of the chillers-only site;
    - against a free-cooled design of the same site (economiser, no water):
      ``sum_h w (1 - e) / COP``, over that design's facility electricity
      ``E_it + E_distribution + E_aux + load x sum_h (1 - e) / COP``.

    Both use the same climate and parameters as the declared design, whatever its own
    ``free_cooling``. Without water (``w`` None) both savings are 0.

    Parameters
    ----------
    out : dict
        The annual sums of the run (``it_mwh``, ``aux_power_mwh``, ``distribution_mwh``) [MWh].
    load_mw : numeric
        Cooling load [MW] (scalar or per draw).
    w, e : numeric or array
        Water's share of the load, economiser's share of the rest [-] (per hour and draw).
    inv_cop, inv_cop_sum : array
        ``1/COP`` per hour [-] and its sum over the hours [h].
    hsum : callable
        Sum over the hours.

    Returns
    -------
    dict
        ``water_saving_vs_chillers_mwh``, ``water_saving_vs_free_cooling_mwh``,
        ``free_cooled_facility_mwh`` [MWh].
    """
    base = out["it_mwh"] + out["aux_power_mwh"] + out["distribution_mwh"]
    free_inv_sum = inv_cop_sum - hsum(e * inv_cop) if e is not None else inv_cop_sum
    if w is None:
        zero = 0.0 * load_mw
        return {
            "water_saving_vs_chillers_mwh": zero,
            "water_saving_vs_free_cooling_mwh": zero,
            "free_cooled_facility_mwh": base + load_mw * free_inv_sum,
        }
    w_inv = w * inv_cop
    return {
        "water_saving_vs_chillers_mwh": load_mw * hsum(w_inv),
        "water_saving_vs_free_cooling_mwh": load_mw * hsum(w_inv - (e * w_inv if e is not None else 0.0)),
        "free_cooled_facility_mwh": base + load_mw * free_inv_sum,
    }


def _draw_count(args: dict) -> int:
    """The number of draws: the length of the ``(draws, 1)`` columns among ``args``."""
    values = list(args.values()) + list((args.get("water") or {}).values()) + list((args.get("liquid") or {}).values())
    return max((np.shape(x)[0] for x in values if np.ndim(x) == 2), default=1)


def _in_blocks(args: dict, draws: int) -> dict:
    """:func:`simulate` over blocks of draws, joined (annual results only)."""

    def block(x, rows):
        return x[rows] if np.ndim(x) == 2 and np.shape(x)[0] == draws else x

    parts = []
    for start in range(0, draws, DRAWS_PER_BLOCK):
        rows = slice(start, min(start + DRAWS_PER_BLOCK, draws))
        kw = {k: block(v, rows) for k, v in args.items()}
        if kw["water"] is not None:
            kw["water"] = {k: block(v, rows) for k, v in kw["water"].items()}
        if kw.get("liquid") is not None:
            kw["liquid"] = {k: block(v, rows) for k, v in kw["liquid"].items()}
        parts.append((rows.stop - rows.start, simulate(**kw)))
    return {key: np.concatenate([np.broadcast_to(out[key], (n,)) for n, out in parts]) for key in parts[0][1]}


def _first(x):
    """A ``(draws, 1)`` column as ``(draws,)``; a scalar unchanged."""
    return np.asarray(x, dtype=float)[..., 0] if np.ndim(x) else x


def liquid_closed_loop(args: dict, free_cooling: bool) -> dict:
    """Liquid cooling in a closed loop ending in dry coolers, hour by hour.

    A share ``s`` of the IT heat is taken by the liquid (cold plates or immersion);
    the rest of the cooling load (the other IT heat and the distribution losses)
    is air-cooled like ``dry_free_cooling``. Each hour, per MW of load:

    - liquid: the dry coolers deliver water at ``T_air + a`` (``a``: their
      approach). They meet the whole liquid heat when ``T_air + a <= T_supply``
      (the facility water supply, set by the ASHRAE liquid class), none of it when
      ``T_air + a >= T_supply + dT`` (the water's rise across the loop), linearly
      between (they pre-cool the return, a chiller trims the rest);
    - trim chillers (air-cooled) produce water at ``T_supply`` for the rest, with
      ``1/COP`` from :func:`inverse_cop` (a small lift: warm water);
    - air: economiser share from the dry-bulb and ``supply_c - approach_k``, then
      air-cooled chillers at the chilled-water temperature, as for dry_free_cooling;
    - fans and pumps: ``aux_share`` x the whole cooling load; no water is evaporated.

    Parameters
    ----------
    args : dict
        The keyword arguments of :func:`simulate`, with ``liquid``.
    free_cooling : bool
        Economiser on the air-cooled remainder.

    Returns
    -------
    dict
        As :func:`simulate` (``water_mwh`` and ``thermal_discharge_max_mw`` are 0),
        with ``liquid_mwh`` (heat taken by the liquid) and ``liquid_free_mwh`` (of
        it, rejected by the dry coolers alone); hourly arrays add ``liquid_mw`` and
        ``liquid_free_mw``.

    References
    ----------
    .. [1] ASHRAE TC 9.9, Thermal Guidelines for Data Processing Environments,
       5th ed. (2021): liquid-cooling classes W17 to W45 and W+ (highest facility
       water supply temperature).
    .. [2] Institute of Energy Economics, University of Stuttgart, "Free cooling
       for saving energy: technical market analysis of dry, wet, and hybrid
       cooling based on manufacturer data", Energies 16(9), 3661 (2023),
       doi:10.3390/en16093661 (dry coolers: median approach 10 K to the dry bulb).
    """
    a = args
    liq = a["liquid"]
    if liq is None:
        raise ValueError("liquid_closed_loop needs liquid={share, supply_c, delta_t_k, dry_cooler_approach_k}")
    t_air = np.asarray(a["temp_air_c"], dtype=float)
    hours = t_air.shape[-1]
    offset = a.get("temp_offset_k")
    if offset is not None and np.any(np.asarray(offset) != 0):  # the climate offset of simulate, per draw
        t_air = t_air + np.asarray(offset, dtype=float)
    it, s = a["it_mw"], liq["share"]
    dist, aux = a["distribution_share"], a["aux_share"]
    load = it * (1.0 + dist)
    q_liquid = s * it  # MW, the same every hour
    q_air = load - q_liquid
    t_chilled = a["supply_c"] - a["approach_k"]
    eta, loss = chiller_fit(
        a["cop_air_rated"],
        a.get("cop_air_iplv"),
        a["t_air_rated_c"],
        "air",
        a["air_condenser_approach_k"],
        a["chiller_approach_k"],
    )
    # Air-cooled remainder, as dry_free_cooling.
    t_full = economiser_full_c("dry", a["supply_c"], a["approach_k"], a.get("dry_economiser_approach_k"))
    e_air = economiser_fraction(t_air, t_full, a["band_k"]) if free_cooling else np.zeros_like(t_air)
    inv_air = inverse_cop(
        t_air, t_chilled, eta, a["air_condenser_approach_k"], a["chiller_approach_k"], loss_lift_k=loss
    )
    # Liquid: dry coolers, trim chillers producing the facility water.
    e_liq = economiser_fraction(t_air, liq["supply_c"] - liq["dry_cooler_approach_k"], liq["delta_t_k"])
    inv_liq = inverse_cop(
        t_air, liq["supply_c"], eta, a["air_condenser_approach_k"], a["chiller_approach_k"], loss_lift_k=loss
    )

    free_h = q_air * e_air + q_liquid * e_liq
    chillers_h = load - free_h
    power_h = q_air * (1.0 - e_air) * inv_air + q_liquid * (1.0 - e_liq) * inv_liq
    reference_h = q_air * inv_air + q_liquid * inv_liq  # chillers alone, same design temperatures

    def hsum(x):
        x = np.broadcast_to(np.asarray(x, dtype=float), np.broadcast_shapes(np.shape(x), (hours,)))
        return x.sum(axis=-1)

    it_1, load_1 = _first(it), _first(load)
    out = {
        "it_mwh": it_1 * hours,
        "cooling_load_mwh": load_1 * hours,
        "water_mwh": 0.0 * load_1,
        "free_mwh": hsum(free_h),
        "chillers_mwh": hsum(chillers_h),
        "chiller_power_mwh": hsum(power_h),
        "aux_power_mwh": _first(aux) * load_1 * hours,
        "distribution_mwh": _first(dist) * it_1 * hours,
        "liquid_mwh": _first(q_liquid) * hours,
        "liquid_free_mwh": hsum(q_liquid * e_liq),
    }
    out["cooling_energy_mwh"] = out["chiller_power_mwh"] + out["aux_power_mwh"]
    out["facility_mwh"] = out["it_mwh"] + out["cooling_energy_mwh"] + out["distribution_mwh"]
    out["pue"] = _ratio(out["facility_mwh"], out["it_mwh"])
    reference_mwh = hsum(reference_h)
    out["chillers_only_facility_mwh"] = out["it_mwh"] + reference_mwh + out["aux_power_mwh"] + out["distribution_mwh"]
    out["saving_mwh"] = reference_mwh - out["chiller_power_mwh"]
    # No river or sea water: it saves nothing; the free-cooled reference is the design itself with an economiser.
    out["water_saving_vs_chillers_mwh"] = 0.0 * load_1
    out["water_saving_vs_free_cooling_mwh"] = 0.0 * load_1
    free_ref_h = q_air * (1.0 - economiser_fraction(t_air, t_chilled, a["band_k"])) * inv_air
    free_ref_h = free_ref_h + q_liquid * (1.0 - e_liq) * inv_liq
    out["free_cooled_facility_mwh"] = out["it_mwh"] + hsum(free_ref_h) + out["aux_power_mwh"] + out["distribution_mwh"]
    out["thermal_discharge_max_mw"] = 0.0 * load_1
    if a["hourly"]:
        p_aux = aux * load
        p_dist = dist * it
        facility = it + power_h + p_aux + p_dist
        shape = np.broadcast_shapes(np.shape(facility), (hours,))
        with np.errstate(divide="ignore", invalid="ignore"):
            cop = np.where(power_h > 0, chillers_h / np.where(power_h > 0, power_h, 1.0), 1.0 / inv_air)
        out["hourly"] = {
            name: np.broadcast_to(np.asarray(value, dtype=float), shape)
            for name, value in {
                "cooling_load_mw": load,
                "water_mw": 0.0 * load,
                "free_mw": free_h,
                "chillers_mw": chillers_h,
                "chiller_cop": cop,
                "chiller_power_mw": power_h,
                "aux_power_mw": p_aux,
                "distribution_mw": p_dist,
                "facility_mw": facility,
                "pue": _ratio(facility, it),
                "liquid_mw": q_liquid,
                "liquid_free_mw": q_liquid * e_liq,
            }.items()
        }
    return out
