"""The dossier's figures drawn once and written as opaque RGB PNG (issue 15, item 3): the same
pixels as matplotlib's own ``savefig`` composited on white, and a PDF whose images carry no alpha."""

import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from impact.report import charts

from .conftest import run_cli


def _savefig_rgba(fig, path, dpi):
    """What ``save_figure`` wrote before: matplotlib's savefig, RGBA, white figure background."""
    charts.literal_figure(fig)
    fig.savefig(path, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    return np.asarray(Image.open(path))


def _small_chart():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2), layout="constrained")  # the charts' layout engine
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.barh(["a", "b"], [3, 5], color=charts.OKABE_ITO["blue"], alpha=0.6, hatch="//")
    ax.errorbar([3, 5], [0, 1], xerr=[[1, 1], [2, 1]], fmt="none", ecolor="black")
    ax.set_title("Titre accentué é", **charts.LITERAL)
    ax.set_xlabel("MWh")
    return fig


def test_rgb_png_equals_savefig_composited_on_white(tmp_path):
    reference = _savefig_rgba(_small_chart(), tmp_path / "old.png", 200)
    assert reference.shape[2] == 4 and (reference[..., 3] == 255).all()  # opaque: composite = its RGB
    path = charts.save_figure(_small_chart(), tmp_path / "new.png")
    with Image.open(path) as img:
        assert img.mode == "RGB" and img.info.get("dpi") == pytest.approx((200, 200), abs=0.01)
        assert "Software" not in img.info
        new = np.asarray(img)
    assert new.shape == reference.shape[:2] + (3,)
    assert np.array_equal(new, reference[..., :3])


def test_a_real_chart_is_pixel_identical(tmp_path):
    import impact
    from impact.project import parse_project_text

    project = parse_project_text(
        "name: Petit\ncountry: FR\nit_capacity_mw: 2\nlocation: {lat: 43.30, lon: 5.37}\n", "p.yaml"
    )
    results = impact.estimate(project, draws=100)
    reference = _savefig_rgba(charts.water_bars(results), tmp_path / "old.png", charts.DPI)
    new = np.asarray(Image.open(charts.save_figure(charts.water_bars(results), tmp_path / "new.png")))
    assert np.array_equal(new, reference[..., :3])


def test_transparent_pixels_are_composited_on_white(tmp_path):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    def figure():
        fig = Figure(figsize=(1, 1))
        FigureCanvasAgg(fig)
        fig.patch.set_alpha(0.0)  # a transparent background, half-transparent disc
        fig.add_artist(Circle((0.5, 0.5), 0.3, transform=fig.transFigure, color="#D55E00", alpha=0.5))
        return fig

    fig = figure()
    fig.savefig(tmp_path / "rgba.png", format="png", dpi=50, metadata={"Software": None})
    rgba = Image.open(tmp_path / "rgba.png").convert("RGBA")
    assert np.asarray(rgba)[..., 3].min() < 255  # the case is exercised
    # Pillow's own alpha compositing on a white page, an independent implementation (its
    # integer rounding may differ from ours by one level).
    expected = np.asarray(Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB"))
    fig = figure()
    charts.write_png(fig, tmp_path / "rgb.png", 50)
    got = np.asarray(Image.open(tmp_path / "rgb.png"))
    assert got.shape == expected.shape
    assert np.abs(got.astype(int) - expected.astype(int)).max() <= 1


@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="poppler-utils not installed")
def test_the_dossier_embeds_rgb_images_without_alpha(tmp_path):
    project = tmp_path / "nimes.yaml"
    project.write_text(
        "name: Nîmes DC\noperator: Example\ncity: Nîmes\ncountry: FR\nlocation: {lat: 43.84, lon: 4.36}\n"
        "it_capacity_mw: 6\ncooling: {type: air_chillers}\n",
        encoding="utf-8",
    )
    pdf = tmp_path / "nimes.pdf"
    r = run_cli("dossier", project, "-o", pdf, "--date", "2026-11-25")
    assert r.returncode == 0, r.stderr
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert len(rows) >= 4  # the maps and the charts
    assert {row[2] for row in rows} == {"image"}  # no "smask": nothing transparent to mask
    assert {row[5] for row in rows} == {"rgb"}
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "PDF version:" in pages and int(pages.split("Pages:")[1].split()[0]) > 5


@pytest.mark.parametrize("enabled", [True, False])
def test_write_pdf_gives_the_garbage_collector_back_as_it_was(tmp_path, enabled):
    import datetime as dt
    import gc

    from impact.report.pdf import write_pdf

    was = gc.isenabled()
    html = "<html><head><title>t</title></head><body><p>x</p></body></html>"
    args = dict(base_dir=tmp_path, allowed_dirs=[tmp_path], date=dt.date(2026, 11, 25), attachments=[])
    try:
        gc.enable() if enabled else gc.disable()
        write_pdf(html, tmp_path / "a.pdf", **args)
        assert gc.isenabled() is enabled
        assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF-")
        with pytest.raises(OSError):  # a failed render gives it back too
            write_pdf(html, tmp_path / "missing" / "b.pdf", **args)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
