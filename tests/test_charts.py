"""The dossier's charts: they render for MRS5 and for a project without hourly results,
add up, say « inconnu » rather than 0, and save byte-identically."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("matplotlib")

import impact.paths
from impact.engine import estimate, sensitivity
from impact.project import load_project, parse_project_text
from impact.report import charts

AJACCIO = """\
name: X
country: FR
city: Ajaccio
location: {lat: 41.93, lon: 8.74}
it_capacity_mw: 5
cooling: {type: air_chillers}
"""


@pytest.fixture(scope="module")
def mrs5():
    project = load_project(impact.paths.default_project())
    return project, estimate(project, draws=200)


@pytest.fixture(scope="module")
def lyon():
    results = estimate(parse_project_text(AJACCIO), draws=200)
    assert results.hourly is None  # the case this fixture is for
    return results


def _texts(fig):
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        out += [t.get_text() for t in ax.get_xticklabels(minor=True)]
    return out


def _bar_total(fig):
    ax = fig.axes[0]
    return sum(p.get_height() for p in ax.patches) * fig.impact["scale"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_chart_renders_for_mrs5(mrs5, lang, tmp_path):
    project, results = mrs5
    figs = [
        charts.monthly_electricity(results, lang),
        charts.cooling_modes(results, lang),
        charts.tornado(sensitivity(project, "cooling_saving_share"), "cooling_saving_share", lang),
        charts.tornado(sensitivity(project, "facility_energy_mwh"), "facility_energy_mwh", lang),
        charts.water_bars(results, lang),
        charts.carbon_bars(results, lang),
        charts.alternatives_bars(
            [("A", results["facility_energy_mwh"]), ("B", results["co2e_total_t"])], "facility_energy_mwh", lang
        ),
    ]
    for i, fig in enumerate(figs):
        assert fig is not None
        assert fig.get_figwidth() == pytest.approx(16 / 2.54)
        charts.save_figure(fig, tmp_path / f"{i}.png")
        assert (tmp_path / f"{i}.png").stat().st_size > 1000


def test_charts_render_without_hourly_results(lyon, tmp_path):
    assert charts.cooling_modes(lyon) is None
    figs = [
        charts.monthly_electricity(lyon),
        charts.water_bars(lyon),
        charts.carbon_bars(lyon),
        charts.alternatives_bars([("Lyon", lyon["co2e_refrigerant_t"])], "co2e_refrigerant_t"),
    ]
    for i, fig in enumerate(figs):
        charts.save_figure(fig, tmp_path / f"{i}.svg")
    note = " ".join(_texts(figs[0]))
    assert "Sans modèle horaire" in note


def test_monthly_bars_add_up_to_the_annual_site_electricity(mrs5, lyon):
    for results in (mrs5[1], lyon):
        fig = charts.monthly_electricity(results)
        assert len(fig.axes[0].patches) >= 12
        assert _bar_total(fig) == pytest.approx(results.central("facility_energy_mwh"), rel=1e-3)


def test_monthly_chart_shows_the_gap_to_the_declared_pue(mrs5):
    # MRS5 declares a PUE of 1.3, above the one modelled hour by hour: the gap is drawn, not hidden.
    fig = charts.monthly_electricity(mrs5[1])
    assert any(label.startswith("Écart au PUE déclaré") for label in fig.impact["segments"])


def test_a_tornado_with_no_uncertain_input_still_renders(mrs5):
    project, _ = mrs5
    frame = sensitivity(project, "land_site_m2")
    fig = charts.tornado(frame, "land_site_m2")
    assert fig is not None


def test_unknown_carbon_parts_are_written_unknown_not_zero(mrs5):
    # Since issue 12 MRS5's generators and refrigerant are site-scaled defaults: a site that
    # publishes neither a floor area nor an equipment list keeps its building part unknown.
    from impact.project import parse_project_text

    results = impact.estimate(
        parse_project_text("name: Bare\ncountry: FR\nyear: 2024\nit_capacity_mw: 10\npue: 1.5\n"), draws=100
    )
    unknown = [
        n for n in ("co2e_generators_t", "co2e_refrigerant_t", "co2e_embodied_t_per_year") if results[n].central is None
    ]
    assert not unknown  # the embodied part is partial (IT equipment only), not unknown
    assert results["co2e_embodied_t_per_year"].status == "partial"
    fig = charts.carbon_bars(results)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("inconnu") == len(unknown)
    # No zero-width bar stands for an unknown part: one bar per known row only.
    known = [
        n
        for n in (
            "co2e_location_t",
            "co2e_market_t",
            "co2e_generators_t",
            "co2e_refrigerant_t",
            "co2e_embodied_t_per_year",
            "co2e_total_t",
        )
        if results[n].central is not None
    ]
    assert len(ax.patches) == len(known)
    # Each value label is a number only where the value is known.
    assert sum(1 for t in texts if t[:1].isdigit()) == len(known)


def test_tick_labels_use_the_french_decimal_comma(mrs5):
    fig = charts.monthly_electricity(mrs5[1])
    formatter = fig.axes[0].yaxis.get_major_formatter()
    assert formatter(2.5, 0) == "2,5" and formatter(12500, 0) == "12\u202f500"
    water = charts.water_bars(mrs5[1])
    water.canvas.draw()
    labels = [t.get_text() for t in water.axes[0].get_xticklabels()]
    # MRS5's volume grew to 2.74 Mm3 (the outlet the loop can reach, docs/thermal-discharge.md): the
    # ticks fell on whole numbers, so the axis's formatter is checked on a half.
    assert water.axes[0].xaxis.get_major_formatter()(0.5, 0) == "0,5" and "." not in "".join(labels)


def test_thousands_use_a_narrow_no_break_space(mrs5):
    # Homes do not scale to another unit: about 14 500 of them, ticks in thousands.
    fig = charts.alternatives_bars([("MRS5", mrs5[1]["heat_reuse_potential_homes"])], "heat_reuse_potential_homes")
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert "10\u202f000" in labels


def test_bars_read_in_the_unit_that_scales(mrs5):
    # MRS5 emits about 6 470 t CO2e a year from its electricity (140,291 MWh x 46.1 g/kWh, ADEME's
    # consumption mix: docs/grid-factors.md); since issue 12 its smallest known
    # part is the generators' default (a few hundred t): the axis stays in t CO2e, with thousands
    # separated by a narrow no-break space.
    fig = charts.carbon_bars(mrs5[1])
    assert fig.axes[0].get_xlabel() == "t CO₂e par an"
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any(t.startswith("6\u202f470") for t in texts)


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_save_figure_is_byte_identical(mrs5, tmp_path, suffix):
    results = mrs5[1]
    a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    charts.save_figure(charts.monthly_electricity(results), a)
    charts.save_figure(charts.monthly_electricity(results), b)
    assert a.read_bytes() == b.read_bytes()


def test_save_figure_refuses_other_formats(mrs5, tmp_path):
    with pytest.raises(ValueError):
        charts.save_figure(charts.water_bars(mrs5[1]), tmp_path / "x.jpg")


def test_importing_charts_does_not_import_matplotlib():
    code = "import sys, impact.report.charts; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
