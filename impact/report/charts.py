"""The dossier's charts: pure rendering of a :class:`~impact.results.Results`.

Every function returns a :class:`matplotlib.figure.Figure` (or None when there is
nothing to draw), 16 cm wide for an A4 page, French by default (``lang="en"`` for
English), numbers formatted by :mod:`impact.report.fmt`, words from the catalogue
(``chart.*``, ``input.*``, ``month.*`` keys). Ranges are whiskers (5th-95th
percentiles); unknown values are written « inconnu », never drawn as 0.

matplotlib is imported inside the functions only, so that ``impact estimate``
never pays for it. Figures are built without pyplot (no display, no global
state, nothing to close); :func:`save_figure` writes them byte-for-byte
reproducibly.

>>> from impact.report import charts
>>> fig = charts.monthly_electricity(results)          # doctest: +SKIP
>>> charts.save_figure(fig, "electricite.svg")         # doctest: +SKIP
"""

from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import fmt
from .catalogue import catalogue

# --------------------------------------------------------------------------- style

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
GREY = "#999999"

WIDTH_IN = 16 / 2.54  # 16 cm: the text width of an A4 page
FONT_PT = 9
SMALL_PT = 8  # nothing smaller, for print
TITLE_PT = 10.5
LINE_IN = 1.3 / 72  # line height per point of font size, in inches
DPI = 200  # PNG resolution (the SVG is vector)
SVG_SALT = "impact"

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": FONT_PT,
    "axes.titlesize": FONT_PT,
    "axes.labelsize": FONT_PT,
    "xtick.labelsize": SMALL_PT,
    "ytick.labelsize": SMALL_PT,
    "legend.fontsize": SMALL_PT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "axes.edgecolor": "#333333",
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.5,
    "legend.frameon": False,
    "hatch.linewidth": 0.6,
    "svg.hashsalt": SVG_SALT,
    "svg.fonttype": "path",
    "axes.unicode_minus": True,
    "text.usetex": False,
}

#: Keywords of every Text the charts and maps draw: as written. Names, cities, operators and
#: substations are data: a ``$`` is a dollar, not mathtext, and nothing goes to LaTeX.
LITERAL: dict[str, Any] = {"parse_math": False, "usetex": False}


def literal(*texts):
    """Set Text artists to draw their string as written (see :data:`LITERAL`); returns the first."""
    for text in texts:
        if text is not None:
            text.set_parse_math(False)
            text.set_usetex(False)
    return texts[0] if texts else None


def literal_legend(legend):
    """A legend whose entries and title are drawn as written (its labels are user text too)."""
    if legend is not None:
        literal(*legend.get_texts(), legend.get_title())
    return legend


def literal_figure(fig) -> None:
    """Every Text of ``fig`` drawn as written (a last pass before saving; the texts whose
    extent is measured while a figure is built are made literal when they are created)."""
    from matplotlib.text import Text

    literal(*fig.findobj(Text))


#: Inputs whose values are shares (printed as percentages).
_SHARE_INPUTS = ("utilisation", "effectiveness", "_share", "leak_rate")


def input_label(name: str, lang: str = "fr") -> str:
    """The readable name of an input (``input.<name>``), or its name as in the project
    file when the catalogue has none."""
    return catalogue(lang).optional(f"input.{name}") or name


def _months(lang: str) -> list[str]:
    t = catalogue(lang)
    return [t(f"month_short.{m}") for m in range(1, 13)]


def _label(name: str, lang: str) -> str:
    from ..indicators import INDICATORS

    return INDICATORS[name].label(lang)


def _unit(unit: str, lang: str) -> str:
    return fmt.unit_text(unit, lang)


def _is_share_input(name: str, unit: str) -> bool:
    return unit in ("-", "") and any(k in name for k in _SHARE_INPUTS)


def _is_share_indicator(name: str) -> bool:
    return "share" in name


def _strip_zeros(text: str) -> str:
    """``10,0`` -> ``10``, ``3,50`` -> ``3,5`` (the number at the start of ``text``)."""
    head, sep, tail = text.partition("\u00a0")
    if ("," in head or "." in head) and head[-1:] == "0":
        head = head.rstrip("0").rstrip(",.")
    return head + sep + tail


def _input_value(x: float, name: str, unit: str, lang: str) -> str:
    if _is_share_input(name, unit):
        return fmt.percent(x, lang)
    if unit in ("-", ""):
        return _strip_zeros(fmt.number(x, lang))
    return _strip_zeros(fmt.quantity(x, unit, lang))


def _tick_number(x: float, lang: str) -> str:
    """An axis tick: as many decimals as the tick needs (at most 4), French comma."""
    if not math.isfinite(x):
        return ""
    decimals = 0
    while decimals < 4 and abs(round(x, decimals) - x) > 1e-9 * max(1.0, abs(x)):
        decimals += 1
    return fmt.number(x, lang, decimals=decimals)


def _number_formatter(lang: str, scale: float = 1.0, percent: bool = False):
    from matplotlib.ticker import FuncFormatter

    def f(x, pos=None):
        if percent:
            return fmt.percent_text(_tick_number(round(x * 100, 6), lang), lang)
        return _tick_number(x / scale, lang)

    return FuncFormatter(f)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) if text else ""


def _styled(func):
    """Build the figure under the dossier's style (matplotlib reads rcParams as artists are made)."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context(_RC):
            return func(*args, **kwargs)

    return wrapper


def _new_figure(height_cm: float):
    """A bare Figure (no pyplot) with the dossier's style, drawn by Agg (a renderer that keeps
    the tick labels' and captions' extents and shaping from one chart to the next:
    :mod:`impact.report.agg_text`)."""
    from matplotlib.figure import Figure

    from . import agg_text

    fig = Figure(figsize=(WIDTH_IN, height_cm / 2.54), layout="constrained")
    agg_text.attach_canvas(fig)
    return fig


def _subplots(fig, **kw):
    return fig.subplots(**kw)


def _pue(x: float | None, lang: str) -> str:
    """A PUE as ``1,3`` / ``1,24``: two decimals at most, trailing zeros dropped."""
    if x is None:
        return fmt.unknown(lang)
    text = fmt.number(x, lang, decimals=2)
    return text.rstrip("0").rstrip(",.")


def _frame(fig, title: str, subtitle: str = "", notes: Iterable[str] = ()) -> None:
    """Title (bold) and subtitle at the top, notes at the bottom; the axes fill the rest."""
    h = fig.get_figheight()
    pad = 0.06
    y = h - pad
    fig.text(
        pad / WIDTH_IN, y / h, _wrap(title, 80), fontsize=TITLE_PT, fontweight="bold", va="top", ha="left", **LITERAL
    )
    y -= LINE_IN * TITLE_PT * (1 + _wrap(title, 80).count("\n"))
    if subtitle:
        sub = _wrap(subtitle, 88)
        fig.text(pad / WIDTH_IN, y / h, sub, fontsize=FONT_PT, va="top", ha="left", color="#333333", **LITERAL)
        y -= LINE_IN * FONT_PT * (1 + sub.count("\n"))
    top = y - 0.04
    note_text = "\n".join(_wrap(n, 100) for n in notes if n)
    bottom = pad
    if note_text:
        fig.text(
            pad / WIDTH_IN,
            pad / h,
            note_text,
            fontsize=SMALL_PT,
            va="bottom",
            ha="left",
            color="#444444",
            linespacing=1.25,
            **LITERAL,
        )
        bottom += LINE_IN * SMALL_PT * (1 + note_text.count("\n")) + 0.06
    fig.get_layout_engine().set(rect=(0, bottom / h, 1, (top - bottom) / h), h_pad=0.03, w_pad=0.03)


def _range_text(ind, lang: str, unit: str | None = None, share: bool = False) -> str:
    """``140 GWh (129 à 163 GWh)``: the central value and its range, in one unit."""
    return fmt.value_range(ind.central, ind.low, ind.high, ind.unit if unit is None else unit, lang, share=share)


# --------------------------------------------------------------------------- 1. monthly electricity

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # the model's year has 8,760 h


@_styled
def monthly_electricity(results, lang: str = "fr"):
    """Site electricity per month, stacked by use, with the annual total and its range.

    From ``results.hourly`` (summed per month in local time): IT, chillers, fans
    and pumps, power distribution losses; when the declared PUE is above the
    modelled one, the difference is a separate hatched segment spread evenly over
    the hours. Without hourly results: IT and the rest of the site's electricity
    (PUE), spread over the months by their hours.
    """
    import numpy as np

    fac = results["facility_energy_mwh"]
    it = results["it_energy_mwh"]
    t = catalogue(lang)
    notes = []
    hours = np.array(_DAYS, dtype=float) * 24.0
    if fac.central is None:
        fig = _new_figure(6.0)
        ax = _subplots(fig)
        _unknown_panel(ax, lang)
        _frame(
            fig,
            t("chart.monthly.title_unknown", label=_label("facility_energy_mwh", lang)),
            _unknown_notes(results, ["facility_energy_mwh"], lang)[0],
            [],
        )
        fig.impact = {"unit": "MWh", "scale": 1.0, "segments": {}}
        return fig

    total = float(fac.central)
    segments: dict[str, tuple[Any, str, str | None]] = {}  # label -> (monthly MWh, colour, hatch)
    hourly = results.hourly
    if hourly is not None:
        monthly = (
            hourly[["it_load_mw", "chiller_power_mw", "aux_power_mw", "distribution_mw", "facility_mw"]]
            .resample("MS")
            .sum()
        )
        month_index = [d.month - 1 for d in monthly.index]
        hourly_total = float(monthly["facility_mw"].sum())
        it_m = monthly["it_load_mw"].to_numpy()
        overhead = monthly[["chiller_power_mw", "aux_power_mw", "distribution_mw"]].to_numpy()
        gap = total - hourly_total  # declared PUE above (> 0) or below (< 0) the modelled one
        pue = results.central("pue")
        pue_m = results.central("pue_modelled")
        if gap < -1e-3 * total:
            # Declared PUE below the modelled one: the cooling and losses are scaled down to it.
            k = (total - it_m.sum()) / overhead.sum()
            overhead = overhead * k
            notes.append(t("chart.monthly.note.pue_below", pue=_pue(pue, lang), pue_modelled=_pue(pue_m, lang)))
        segments[t("chart.monthly.it")] = (it_m, OKABE_ITO["blue"], None)
        segments[t("chart.monthly.chillers")] = (overhead[:, 0], OKABE_ITO["vermillion"], None)
        segments[t("chart.monthly.aux")] = (overhead[:, 1], OKABE_ITO["orange"], None)
        segments[t("chart.monthly.distribution")] = (overhead[:, 2], OKABE_ITO["sky_blue"], None)
        if gap > 1e-3 * total:
            h_month = np.array([hourly.index.month.values.tolist().count(m + 1) for m in range(12)], dtype=float)
            spread = gap * h_month / h_month.sum()
            label = t("chart.monthly.gap", pue=_pue(pue, lang))
            segments[label] = (spread, "white", "////")
            notes.append(
                t(
                    "chart.monthly.note.gap",
                    pue=_pue(pue, lang),
                    pue_modelled=_pue(pue_m, lang),
                    gap=fmt.quantity(gap, "MWh", lang),
                )
            )
        notes.append(t("chart.monthly.note.hourly"))
    else:
        month_index = list(range(12))
        it_c = float(it.central) if it.central is not None else 0.0
        segments[t("chart.monthly.it")] = (it_c * hours / hours.sum(), OKABE_ITO["blue"], None)
        segments[t("chart.monthly.overhead")] = ((total - it_c) * hours / hours.sum(), OKABE_ITO["orange"], None)
        notes.append(t("chart.monthly.note.no_hourly", reason=_why_no_hourly(results, lang)))

    month_total = sum(v for v, _, _ in segments.values())
    unit = fmt.best_unit(float(month_total.max()), "MWh")
    scale = 1.0 / fmt.convert(1.0, "MWh", unit)
    fig = _new_figure(8.5)
    ax = _subplots(fig)
    x = np.arange(len(month_index))
    bottom = np.zeros(len(month_index))
    for label, (values, colour, hatch) in segments.items():
        ax.bar(
            x,
            values / scale,
            0.72,
            bottom=bottom / scale,
            label=label,
            color=colour,
            hatch=hatch,
            edgecolor="#555555" if hatch else colour,
            linewidth=0.5 if hatch else 0,
        )
        bottom = bottom + values
    if fac.low is not None and fac.high is not None and (fac.low < total or fac.high > total):
        lo = month_total * (fac.low / total)
        hi = month_total * (fac.high / total)
        ax.errorbar(
            x,
            month_total / scale,
            yerr=[(month_total - lo) / scale, (hi - month_total) / scale],
            fmt="none",
            ecolor="#222222",
            elinewidth=0.8,
            capsize=2.5,
            capthick=0.8,
        )
        notes.append(t("chart.monthly.note.whiskers"))
    ax.set_xticks(x, [_months(lang)[m] for m in month_index], **LITERAL)
    ax.tick_params(axis="x", length=0)
    ax.yaxis.set_major_formatter(_number_formatter(lang))
    ax.set_ylabel(t("chart.axis.per_month", unit=_unit(unit, lang)), **LITERAL)
    ax.grid(axis="y")
    ax.set_axisbelow(True)
    ax.set_ylim(0, max((month_total * (fac.high or total) / total).max() / scale * 1.08, 1e-9))
    literal_legend(
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.09),
            ncols=2,
            borderaxespad=0,
            handlelength=1.2,
            columnspacing=1.2,
        )
    )
    title = t("chart.monthly.title")
    subtitle = t("chart.monthly.subtitle", total=_range_text(fac, lang))
    if it.central is not None:
        subtitle += t("chart.monthly.subtitle_it", it=fmt.quantity(it.central, "MWh", lang))
    _frame(fig, title, subtitle, notes)
    fig.impact = {"unit": unit, "scale": scale, "segments": {k: v[0] for k, v in segments.items()}}
    return fig


def _why_no_hourly(results, lang: str) -> str:
    """Why the hourly model did not run, in ``lang`` (the results say it in English)."""
    from .narrative import cooling_reason

    return cooling_reason(results, lang) or catalogue(lang)("cooling_model.not_run.other")


def _unknown_panel(ax, lang: str) -> None:
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        fmt.unknown(lang),
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=TITLE_PT,
        style="italic",
        color="#555555",
        **LITERAL,
    )


# --------------------------------------------------------------------------- 2. cooling modes


@_styled
def cooling_modes(results, lang: str = "fr"):
    """How the cooling load is met, day by day (stacked shares), with the day's maximum
    outdoor temperature on a second axis. None without hourly results."""
    import numpy as np

    hourly = results.hourly
    if hourly is None:
        return None
    t = catalogue(lang)
    daily = hourly[["cooling_load_mw", "water_mw", "free_mw", "chillers_mw"]].resample("D").sum()
    tmax = hourly["temp_air_c"].resample("D").max()
    load = daily["cooling_load_mw"].to_numpy()
    safe = np.where(load > 0, load, 1.0)
    from .narrative import withdrawn_medium

    medium = withdrawn_medium(results) or "none"
    parts = [
        ("water_mw", t(f"chart.cooling.water.{medium}"), OKABE_ITO["blue"], "cooling_share_water"),
        ("free_mw", t("chart.cooling.free"), OKABE_ITO["green"], "cooling_share_free"),
        ("chillers_mw", t("chart.cooling.chillers"), OKABE_ITO["vermillion"], "cooling_share_chillers"),
    ]
    days = np.arange(len(daily))
    fig = _new_figure(8.5)
    ax = _subplots(fig)
    drawn = [p for p in parts if float(daily[p[0]].sum()) > 0]  # a mode that never runs is left out
    shares = [daily[col].to_numpy() / safe for col, *_ in drawn]
    ax.stackplot(days, *shares, labels=[p[1] for p in drawn], colors=[p[2] for p in drawn], linewidth=0)
    ax.set_ylim(0, 1)
    ax.set_xlim(days[0], days[-1] + 1)
    ax.yaxis.set_major_formatter(_number_formatter(lang, percent=True))
    ax.set_ylabel(t("chart.cooling.axis_share"), **LITERAL)
    _month_axis(ax, daily.index, lang)
    ax2 = ax.twinx()
    ax2.plot(days, tmax.to_numpy(), color="black", linewidth=1.0, label=t("chart.cooling.tmax"))
    ax2.spines["right"].set_visible(True)
    ax2.yaxis.set_major_formatter(_number_formatter(lang))
    ax2.set_ylabel(t("chart.cooling.axis_temperature"), **LITERAL)
    lo_t = math.floor(min(0.0, float(tmax.min())) / 5) * 5
    hi_t = math.ceil(max(35.0, float(tmax.max())) / 5) * 5
    ax2.set_ylim(lo_t, hi_t)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    literal_legend(
        ax.legend(
            h1 + h2, l1 + l2, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=2, borderaxespad=0, handlelength=1.5
        )
    )
    bits = [
        t(f"chart.cooling.share.{ind}", share=fmt.percent(results.central(ind), lang))
        for *_, ind in parts
        if results.central(ind) is not None and (ind != "cooling_share_water" or medium != "none")
    ]
    title = t("chart.cooling.title")
    subtitle = t("chart.cooling.subtitle", shares=catalogue(lang).join(bits))
    notes = [t("chart.cooling.note")]
    climate = results.meta.get("climate")
    if climate:
        notes.append(t("climate.chart_note", station=climate["station"], period=climate["period"]))
    _frame(fig, title, subtitle, notes)
    return fig


def _month_axis(ax, index, lang: str) -> None:
    """Ticks between months, month names centred on each month (``index``: one entry per day)."""
    starts = [i for i, d in enumerate(index) if d.day == 1] + [len(index)]
    months = _months(lang)
    ax.set_xticks(starts)
    ax.set_xticklabels([])
    mids = [(a + b) / 2 for a, b in itertools.pairwise(starts)]
    ax.set_xticks(mids, [months[index[i].month - 1] for i in starts[:-1]], minor=True, **LITERAL)
    ax.tick_params(axis="x", which="minor", length=0)


# --------------------------------------------------------------------------- 3. tornado


@_styled
def tornado(sensitivity_frame, indicator: str, lang: str = "fr", top: int = 8):
    """One-at-a-time sensitivity of ``indicator``: for the ``top`` inputs with the largest
    swing, a bar from the central value to the value with the input at its low, and
    one to the value with the input at its high (``impact.sensitivity``'s frame)."""
    import numpy as np

    from ..indicators import INDICATORS

    t = catalogue(lang)
    info = INDICATORS[indicator]
    share = _is_share_indicator(indicator)
    df = sensitivity_frame
    df = df[df["swing"] > 0].sort_values("swing", ascending=False, kind="mergesort") if len(df) else df
    idle = len(sensitivity_frame) - len(df)
    shown = df.head(top)
    hidden = len(df) - len(shown)
    n = len(shown)
    fig = _new_figure(max(6.0, 3.2 + 1.0 * n))
    ax = _subplots(fig)
    title = t("chart.tornado.title", label=info.label(lang)[:1].lower() + info.label(lang)[1:])
    if n == 0 or shown["central"].isna().all():
        _unknown_panel(ax, lang)
        ax.texts[0].set_text(t("chart.tornado.nothing"))
        _frame(fig, title, "", [])
        return fig
    central = float(shown["central"].iloc[0])
    # The axis in the unit of the central value (kW, MWh, GWh...): values are divided by ``scale``.
    axis_unit = info.unit if share else fmt.best_unit(central, info.unit)
    scale = 1.0 if share else 1.0 / fmt.convert(1.0, info.unit, axis_unit)
    unit = _unit(axis_unit, lang)
    y = np.arange(n)[::-1]
    colours = {"low": OKABE_ITO["sky_blue"], "high": OKABE_ITO["vermillion"]}
    extent = []
    for yi, (_, row) in zip(y, shown.iterrows()):
        for side in ("low", "high"):
            v = row[f"indicator_at_{side}"]
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            ax.barh(
                yi + (0.18 if side == "low" else -0.18),
                (v - central) / scale,
                0.34,
                left=central / scale,
                color=colours[side],
                linewidth=0,
                label=t(f"chart.tornado.{side}"),
            )
            extent.append(v)
            value = _input_value(row[f"input_{side}"], row["input"], row["unit"], lang)
            ax.annotate(
                value,
                (v / scale, yi + (0.18 if side == "low" else -0.18)),
                xytext=(3 if v >= central else -3, 0),
                textcoords="offset points",
                ha="left" if v >= central else "right",
                va="center",
                fontsize=SMALL_PT,
                color="#333333",
                **LITERAL,
            )
    ax.axvline(central / scale, color="black", linewidth=0.8)
    labels = [_wrap(input_label(r["input"], lang), 30) for _, r in shown.iterrows()]
    ax.set_yticks(y, labels, **LITERAL)
    ax.tick_params(axis="y", length=0)
    lo, hi = min(extent + [central]), max(extent + [central])
    span = (hi - lo) or abs(central) or 1.0
    ax.set_xlim((lo - 0.22 * span) / scale, (hi + 0.22 * span) / scale)
    ax.set_ylim(-0.7, n - 0.3)
    ax.xaxis.set_major_formatter(_number_formatter(lang, percent=share))
    if unit and not share:
        ax.set_xlabel(
            t("chart.axis.per_year", unit=unit) if info.period == "year" and "/" not in unit else unit, **LITERAL
        )
    ax.grid(axis="x")
    ax.set_axisbelow(True)
    handles, leg = ax.get_legend_handles_labels()
    uniq = dict(zip(leg, handles))
    literal_legend(
        ax.legend(uniq.values(), uniq.keys(), loc="lower left", bbox_to_anchor=(0.0, 1.01), ncols=2, borderaxespad=0)
    )
    central_text = fmt.percent(central, lang) if share else fmt.quantity(central, info.unit, lang)
    subtitle = t("chart.tornado.subtitle", central=central_text)
    notes = []
    if hidden:
        notes.append(t("chart.tornado.hidden", count=hidden))
    if idle:
        notes.append(t("chart.tornado.idle", count=idle))
    _frame(fig, title, subtitle, notes)
    return fig


# --------------------------------------------------------------------------- bars with ranges


def _axis_unit(rows, unit: str, lang: str, share: bool) -> tuple[float, str]:
    """(divisor, unit as written) for bars read side by side: a unit that scales takes
    the common unit of the values (t or kt CO₂e, MWh or GWh); a unit that does not is
    shown in millions when the values reach a million (« millions de m³ »)."""
    if share:
        return 1.0, ""
    values = [ind.central for _, ind in rows if ind is not None and ind.central is not None]
    if fmt.convertible(unit):
        to = fmt.common_unit(values, unit)
        return 1.0 / fmt.convert(1.0, unit, to), _unit(to, lang)
    ends = [
        max(x for x in (ind.central, ind.high) if x is not None)
        for _, ind in rows
        if ind is not None and ind.central is not None
    ]
    if max(ends + [0.0]) >= 1e6:
        return 1e6, catalogue(lang)("chart.axis.millions", unit=_unit(unit, lang))
    return 1.0, _unit(unit, lang)


def _compact(ind, lang: str, scale: float, share: bool) -> str:
    """``2,07 (1,93 à 2,42)``: central and range, unit left to the axis."""
    f = (lambda v: fmt.percent(v, lang)) if share else (lambda v: fmt.number(v / scale, lang))
    text = f(ind.central)
    if ind.low is not None and ind.high is not None:
        lo, hi = f(ind.low), f(ind.high)
        if lo != hi:
            text += f" ({catalogue(lang)('number.range', low=lo, high=hi)})"
    return text


def _range_bars(ax, rows, lang: str, colours, share: bool = False, label_width: int = 34, unit: str = "-") -> str:
    """Horizontal bars with whiskers for low-high, the value written next to each;
    unknown rows get the word « inconnu » and no bar; partial ones are hatched.

    ``rows``: list of (label, Indicator) in ``unit``. Returns the axis unit as written
    (« GWh », « millions de m³ »).
    """
    import numpy as np

    n = len(rows)
    pos = np.arange(n)[::-1]
    ends = [
        max(x for x in (ind.central, ind.high) if x is not None)
        for _, ind in rows
        if ind is not None and ind.central is not None
    ]
    vmax = max(ends + [0.0])
    vmax = vmax if vmax > 0 else 1.0
    scale, axis_unit = _axis_unit(rows, unit, lang, share)
    # The bars and whiskers are gathered and drawn by one barh and one errorbar call: one
    # call per row made the same artists (a bar per row, a whisker and two caps per row, in
    # rows that never overlap) for several times the time (issue 15).
    bars: dict[str, list] = {"y": [], "width": [], "color": [], "edgecolor": [], "hatch": [], "linewidth": []}
    whiskers: dict[str, list] = {"x": [], "y": [], "minus": [], "plus": []}
    for p, (_label, ind), colour in zip(pos, rows, colours, strict=True):
        if ind is None or ind.central is None:
            ax.annotate(
                fmt.unknown(lang),
                (0, p),
                xytext=(4, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=FONT_PT,
                style="italic",
                color="#555555",
                **LITERAL,
            )
            continue
        partial = ind.status == "partial"
        c = ind.central / scale
        for key, value in zip(
            bars,
            (p, c, "white" if partial else colour, colour, "////" if partial else None, 0.8 if partial else 0),
            strict=True,
        ):
            bars[key].append(value)
        end = c
        if ind.low is not None and ind.high is not None and (ind.low < ind.central or ind.high > ind.central):
            for key, value in zip(whiskers, (c, p, c - ind.low / scale, ind.high / scale - c), strict=True):
                whiskers[key].append(value)
            end = ind.high / scale
        ax.annotate(
            _compact(ind, lang, scale, share),
            (end, p),
            xytext=(4, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=SMALL_PT,
            **LITERAL,
        )
    if bars["y"]:
        ax.barh(bars.pop("y"), bars.pop("width"), 0.6, **bars)
    if whiskers["x"]:
        ax.errorbar(
            whiskers["x"],
            whiskers["y"],
            xerr=[whiskers["minus"], whiskers["plus"]],
            fmt="none",
            ecolor="#222222",
            elinewidth=0.8,
            capsize=3,
            capthick=0.8,
        )
    ax.set_yticks(pos, [_wrap(_nbsp_quotes(label), label_width) for label, _ in rows], **LITERAL)
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, vmax / scale * 1.7)
    ax.set_ylim(-0.6, n - 0.4)
    ax.xaxis.set_major_formatter(_number_formatter(lang, percent=share))
    ax.grid(axis="x")
    ax.set_axisbelow(True)
    return axis_unit


def _nbsp_quotes(text: str) -> str:
    """French quotes keep their words: « x » with no-break spaces."""
    return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")


# --------------------------------------------------------------------------- 4. water


@_styled
def water_bars(results, lang: str = "fr"):
    """Water on site (used), withdrawn on site (with river or sea water), returned warmed
    (river or sea cooling only), and consumed off site by the power plants, in m³ a year,
    with ranges."""
    t = catalogue(lang)
    names = [
        ("water_onsite_m3", OKABE_ITO["vermillion"]),
        ("water_withdrawal_m3", OKABE_ITO["blue"]),
        ("water_returned_m3", OKABE_ITO["sky_blue"]),
        ("water_offsite_m3", OKABE_ITO["purple"]),
    ]
    from .narrative import water_medium

    if not water_medium(results):  # no river or sea water: nothing is returned warmed
        names = [(n, c) for n, c in names if n != "water_returned_m3"]
    rows = [(_label(n, lang), results[n]) for n, _ in names]
    fig = _new_figure(8.0)
    ax = _subplots(fig)
    axis_unit = _range_bars(ax, rows, lang, [c for _, c in names], unit="m3")
    ax.set_xlabel(t("chart.axis.per_year", unit=axis_unit), **LITERAL)
    title = t("chart.water.title")
    subtitle = t("chart.water.subtitle", unit=axis_unit)
    notes = [t("chart.water.note." + ("water" if water_medium(results) else "air"))]
    notes += _unknown_notes(results, [n for n, _ in names], lang)
    _frame(fig, title, subtitle, notes)
    return fig


def _unknown_notes(results, names, lang: str) -> list[str]:
    unknown = [_label(n, lang) for n in names if results[n].central is None]
    if not unknown:
        return []
    t = catalogue(lang)
    return [
        t("chart.unknown_parts", names=t("chart.unknown_parts.separator").join(u[:1].lower() + u[1:] for u in unknown))
    ]


# --------------------------------------------------------------------------- 5. carbon


@_styled
def carbon_bars(results, lang: str = "fr"):
    """Greenhouse gases per year: electricity (location-based and market-based), backup
    generator tests, refrigerant leaks, embodied emissions per year, and the total
    (location-based + the known other parts); unknown parts written « inconnu »."""
    t = catalogue(lang)
    colours = {
        "co2e_location_t": OKABE_ITO["blue"],
        "co2e_market_t": OKABE_ITO["sky_blue"],
        "co2e_generators_t": OKABE_ITO["orange"],
        "co2e_refrigerant_t": OKABE_ITO["purple"],
        "co2e_embodied_t_per_year": OKABE_ITO["green"],
        "co2e_total_t": OKABE_ITO["black"],
    }
    rows = [(n, t(f"chart.carbon.{n}"), c) for n, c in colours.items()]
    fig = _new_figure(9.5)
    ax = _subplots(fig)
    axis_unit = _range_bars(
        ax, [(label, results[n]) for n, label, _ in rows], lang, [c for *_, c in rows], label_width=36, unit="t CO2e"
    )
    ax.set_xlabel(t("chart.axis.per_year", unit=axis_unit), **LITERAL)
    # The total is separated from its parts.
    ax.axhline(0.5, color="#888888", linewidth=0.6, linestyle=(0, (3, 2)))
    title = t("chart.carbon.title")
    subtitle = t("chart.carbon.subtitle", unit=axis_unit)
    notes = [t("chart.carbon.note.market")]
    total = results["co2e_total_t"]
    if total.status == "partial":
        notes.append(t("chart.carbon.note.partial"))
    notes += _unknown_notes(results, [n for n, *_ in rows], lang)
    _frame(fig, title, subtitle, notes)
    return fig


# --------------------------------------------------------------------------- 6. alternatives


@_styled
def alternatives_bars(rows, indicator: str, lang: str = "fr", title: str | None = None):
    """One indicator across scenarios, side by side: ``rows`` is a list of
    (scenario name, Indicator); ranges as whiskers, unknown written « inconnu ».
    ``title`` replaces the default one (e.g. "by site" in a city report)."""
    from ..indicators import INDICATORS

    t = catalogue(lang)
    info = INDICATORS[indicator]
    share = _is_share_indicator(indicator)
    palette = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky_blue", "yellow")]
    colours = [palette[i % len(palette)] for i in range(len(rows))]
    fig = _new_figure(max(6.5, 3.5 + 0.9 * len(rows)))
    ax = _subplots(fig)
    axis_unit = _range_bars(ax, list(rows), lang, colours, share=share, label_width=30, unit=info.unit)
    if not share and axis_unit:
        per_year = info.period == "year" and "/" not in info.unit
        ax.set_xlabel(t("chart.axis.per_year", unit=axis_unit) if per_year else axis_unit, **LITERAL)
    title = title or t("chart.alternatives.title", label=info.label(lang))
    subtitle = t("chart.alternatives.subtitle")
    notes = []
    if any(ind is not None and ind.status == "partial" for _, ind in rows):
        notes.append(t("chart.alternatives.note.partial"))
    _frame(fig, title, subtitle, notes)
    return fig


# --------------------------------------------------------------------------- 7. saving


def png_bytes(fig, dpi: int) -> bytes:
    """Draw ``fig`` once with Agg at ``dpi`` and encode it as an opaque RGB PNG, lightly compressed.

    Why not ``savefig``: with a layout engine it draws the figure twice (once to lay it out,
    once to paint), and it writes RGBA at zlib level 6, which the PDF renderer then decodes,
    splits into colour and alpha and encodes twice again. Here the canvas draws once (the
    constrained layout runs inside that draw), transparent pixels are composited on white
    (the page's colour: what the PDF showed), and PIL writes RGB at level 1: the PDF renderer
    re-encodes the pixels anyway, so stronger compression here only costs time. No text
    chunks (no software version, no date): the same figure gives the same bytes.
    """
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(opaque_rgb(fig, dpi)).save(buffer, format="PNG", compress_level=1, dpi=(dpi, dpi))
    return buffer.getvalue()


def opaque_rgb(fig, dpi: int):
    """Draw ``fig`` once with Agg at ``dpi``: its pixels as an ``(height, width, 3)`` uint8 array,
    transparent pixels composited on white (the page's colour), rounded:
    ``c * a / 255 + 255 * (1 - a / 255)``. The pixels of every PNG the reports write."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.set_dpi(dpi)
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    alpha = rgba[..., 3:4]
    if (alpha == 255).all():
        return np.ascontiguousarray(rgba[..., :3])
    a = alpha.astype(np.uint32)
    return ((rgba[..., :3].astype(np.uint32) * a + 255 * (255 - a) + 127) // 255).astype(np.uint8)


def write_png(fig, path, dpi: int) -> Path:
    """Write ``fig`` to ``path`` as :func:`png_bytes` encodes it; returns the path."""
    path = Path(path)
    path.write_bytes(png_bytes(fig, dpi))
    return path


def save_figure(fig, path, dpi: int = DPI) -> Path:
    """Write ``fig`` as SVG or PNG (by the suffix of ``path``), reproducibly: the same
    figure gives the same bytes (no date, no software version, fixed SVG ids and
    resolution). The figure is closed afterwards (released from pyplot if it was
    made there). Returns the path."""
    import matplotlib

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise ValueError(f"{path}: expected a .svg or .png file name")
    if suffix == ".png":
        path.write_bytes(figure_png(fig, dpi))
        return path
    literal_figure(fig)
    with matplotlib.rc_context({"svg.hashsalt": SVG_SALT, "svg.fonttype": "path", "text.usetex": False}):
        fig.savefig(path, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white")
    _release(fig)
    return path


def figure_png(fig, dpi: int = DPI) -> bytes:
    """The PNG :func:`save_figure` writes for ``fig``, as bytes (no file: a data: URL's)."""
    import matplotlib

    literal_figure(fig)
    with matplotlib.rc_context({"svg.hashsalt": SVG_SALT, "svg.fonttype": "path", "text.usetex": False}):
        fig.patch.set_facecolor("white")  # what savefig(facecolor="white") did
        data = png_bytes(fig, dpi)
    _release(fig)
    return data


def _release(fig) -> None:
    """Release ``fig`` from pyplot if it was made there."""
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close(fig)
