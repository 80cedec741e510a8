"""A city report rendered more cheaply and still the same pages (issue 15, batch speed).

``write_city_report`` hands WeasyPrint its stylesheet apart, parsed once per process, uses one
font configuration per process, and gives the map and chart in memory instead of as data: URLs
written into the HTML. The reference here is the former path, rebuilt from the same template:
the stylesheet written into the document's ``<style>``, the figures as data: URLs, a font
configuration of its own. Pages are compared as pixels (pdftoppm at 100 dpi, exact equality).
"""

import base64
import datetime as dt
import io
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from impact.report import city, pdf

from .conftest import ROOT

REGISTRY = ROOT / "data" / "registries" / "marseille.csv"
DATE = dt.date(2026, 11, 25)
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (make system-deps)")


def _pages(path, tmp_path) -> list[np.ndarray]:
    """The pages of the PDF at ``path`` as RGB pixel arrays, at 100 dpi."""
    prefix = tmp_path / f"{path.stem}-page"
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(path), str(prefix)], check=True)
    return [np.asarray(Image.open(p).convert("RGB")) for p in sorted(tmp_path.glob(f"{path.stem}-page*.png"))]


def _same_pages(a, b, tmp_path) -> bool:
    pa, pb = _pages(a, tmp_path), _pages(b, tmp_path)
    return len(pa) == len(pb) > 0 and all(np.array_equal(x, y) for x, y in zip(pa, pb))


@pytest.fixture(scope="module")
def render_tasks(tmp_path_factory):
    """The arguments of each city report's render in a 1-job batch of the Marseille registry."""
    import impact.batch as batch

    tasks = []
    run_task = batch._run_task

    def record(kind, *args):
        if kind == "render":
            tasks.append(args)
        return run_task(kind, *args)

    out = tmp_path_factory.mktemp("batch")
    batch._run_task = record
    try:
        batch.run_batch(REGISTRY, out, jobs=1, force=True, date=DATE.isoformat(), progress=False, log=lambda m: None)
    finally:
        batch._run_task = run_task
    assert tasks
    return tasks


def _former_render(args, target, monkeypatch) -> None:
    """A city report as it was written before: dossier.css inside ``<style>``, the figures
    as data: URLs in the HTML, a fresh font configuration, no stylesheet given apart."""
    from weasyprint.text.fonts import FontConfiguration

    from impact.paths import templates_dir

    _name, _fn, total, _target, lang, day, map_data, chart = args
    context = city.city_context(total, lang, day, map_data, chart)
    html = city._template("city.html.j2").render(**context)
    css = (templates_dir() / city.STYLESHEET).read_text(encoding="utf-8")
    assert html.count("<style>\n") == 1
    html = html.replace("<style>\n", "<style>\n" + css + "\n", 1)  # what {% include %} wrote
    with monkeypatch.context() as m:
        m.setattr(pdf, "_font_config", FontConfiguration)
        pdf.write_pdf(
            html,
            target,
            base_dir=templates_dir(),
            allowed_dirs=[templates_dir()],
            date=day,
            attachments=[("summary-sites.csv", city._sites_csv(total), "The sites of the city")],
            lang=lang,
        )


@needs_poppler
def test_a_city_report_keeps_its_pixels(render_tasks, tmp_path, monkeypatch):
    for args in render_tasks:
        _name, _fn, total, target, lang, day, map_data, chart = args
        assert map_data[0].startswith("data:image/png;base64,") and chart.startswith("data:image/png;base64,")
        new = city.write_city_report(total, tmp_path / target.name, lang=lang, date=day, map_data=map_data, chart=chart)
        former = tmp_path / f"former-{target.name}"
        _former_render(args, former, monkeypatch)
        assert _same_pages(new, former, tmp_path), target.name


def test_a_second_report_gives_the_same_bytes_from_the_cached_stylesheet(render_tasks, tmp_path):
    _name, _fn, total, target, lang, day, map_data, chart = render_tasks[0]
    first = city.write_city_report(total, tmp_path / "a.pdf", lang=lang, date=day, map_data=map_data, chart=chart)
    cached = dict(pdf._STYLESHEETS)
    second = city.write_city_report(total, tmp_path / "b.pdf", lang=lang, date=day, map_data=map_data, chart=chart)
    assert pdf._STYLESHEETS == cached  # nothing parsed again...
    assert first.read_bytes() == second.read_bytes()  # ...and the same document
    # The figures' bytes reach the PDF unchanged: the chart's zlib stream, taken as it is.
    png = base64.b64decode(chart.split(",", 1)[1])
    assert pdf.png_image_data(png) in second.read_bytes()


def _write(tmp_path, name, html, **kw) -> bytes:
    target = tmp_path / name
    pdf.write_pdf(html, target, base_dir=tmp_path, allowed_dirs=[tmp_path], date=DATE, attachments=[], **kw)
    return target.read_bytes()


def test_an_edited_stylesheet_is_parsed_again(tmp_path):
    sheet = tmp_path / "style.css"
    html = "<html><body><p>x</p></body></html>"
    sheet.write_text("p { color: #ff0000 }", encoding="utf-8")
    red = _write(tmp_path, "red.pdf", html, stylesheets=[sheet])
    sheet.write_text("p { color: #0000ff }", encoding="utf-8")
    blue = _write(tmp_path, "blue.pdf", html, stylesheets=[sheet])
    assert red != blue  # the edit reached the document
    keys = [text for text, _ in pdf._STYLESHEETS]
    assert "p { color: #ff0000 }" in keys and "p { color: #0000ff }" in keys


def test_a_stylesheet_with_font_faces_or_imports_is_not_shared(tmp_path):
    for text in ("@font-face { font-family: X; src: url(none.ttf) }", '@import "other.css";'):
        before = dict(pdf._STYLESHEETS)
        fetcher = pdf.make_fetcher([tmp_path])
        a = pdf._parsed_stylesheet(text, str(tmp_path) + "/", pdf._font_config(), fetcher)
        b = pdf._parsed_stylesheet(text, str(tmp_path) + "/", pdf._font_config(), fetcher)
        assert a is not b and pdf._STYLESHEETS == before
    # A document with its own fonts gets a font configuration of its own, not the process's.
    shared = pdf._font_config()
    assert pdf._document_font_config("<style>@FONT-FACE { }</style>", []) is not shared
    assert pdf._document_font_config("<p>x</p>", ["@font-face { }"]) is not shared
    assert pdf._document_font_config("<p>x</p>", ["p { color: red }"]) is shared


def test_a_forked_process_makes_its_own_font_configuration(monkeypatch):
    parent = pdf._font_config()
    assert pdf._font_config() is parent
    monkeypatch.setattr(pdf.os, "getpid", lambda: -1)  # as in a worker forked from this process
    child = pdf._font_config()
    assert child is not parent and pdf._font_config() is child


def _png(size=(40, 30)) -> bytes:
    pixels = np.random.default_rng(3).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


@needs_poppler
def test_an_image_in_memory_gives_the_pixels_of_its_data_url(tmp_path):
    png = _png()
    url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    ref = f"{pdf.RESOURCE_SCHEME}:figure.png"
    as_url = _write(tmp_path, "url.pdf", f'<html><body><img src="{url}" style="width:200px"></body></html>')
    in_memory = _write(
        tmp_path,
        "memory.pdf",
        f'<html><body><img src="{ref}" style="width:200px"></body></html>',
        resources={ref: (png, "image/png")},
    )
    (tmp_path / "url.pdf").write_bytes(as_url)
    (tmp_path / "memory.pdf").write_bytes(in_memory)
    assert _same_pages(tmp_path / "url.pdf", tmp_path / "memory.pdf", tmp_path)


def test_an_unknown_resource_is_blocked(tmp_path):
    target = tmp_path / "a.pdf"
    blocked = pdf.write_pdf(
        f'<html><body><img src="{pdf.RESOURCE_SCHEME}:other.png"></body></html>',
        target,
        base_dir=tmp_path,
        allowed_dirs=[tmp_path],
        date=DATE,
        attachments=[],
        resources={f"{pdf.RESOURCE_SCHEME}:figure.png": (_png(), "image/png")},
    )
    assert blocked == [f"{pdf.RESOURCE_SCHEME}:other.png"]


def test_the_figures_leave_the_html_as_resources():
    png = _png()
    url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    context = {"map": url, "chart": None}
    resources = city._in_memory_images(context)
    assert context == {"map": f"{pdf.RESOURCE_SCHEME}:map.png", "chart": None}
    assert resources == {f"{pdf.RESOURCE_SCHEME}:map.png": (png, "image/png")}


def _former_range_bars(ax, rows, lang, colours, share=False, label_width=34, unit="-"):
    """``charts._range_bars`` as it was: a barh and an errorbar call per row (the reference)."""
    from impact.report import charts, fmt

    pos = np.arange(len(rows))[::-1]
    ends = [
        max(x for x in (i.central, i.high) if x is not None) for _, i in rows if i is not None and i.central is not None
    ]
    vmax = max(ends + [0.0]) or 1.0
    scale, axis_unit = charts._axis_unit(rows, unit, lang, share)
    for p, (_label, ind), colour in zip(pos, rows, colours, strict=True):
        if ind is None or ind.central is None:
            ax.annotate(fmt.unknown(lang), (0, p), xytext=(4, 0), textcoords="offset points", ha="left", va="center",
                        fontsize=charts.FONT_PT, style="italic", color="#555555", **charts.LITERAL)  # fmt: skip
            continue
        partial = ind.status == "partial"
        c = ind.central / scale
        ax.barh(p, c, 0.6, color="white" if partial else colour, edgecolor=colour,
                hatch="////" if partial else None, linewidth=0.8 if partial else 0)  # fmt: skip
        end = c
        if ind.low is not None and ind.high is not None and (ind.low < ind.central or ind.high > ind.central):
            ax.errorbar(c, p, xerr=[[c - ind.low / scale], [ind.high / scale - c]], fmt="none", ecolor="#222222",
                        elinewidth=0.8, capsize=3, capthick=0.8)  # fmt: skip
            end = ind.high / scale
        ax.annotate(charts._compact(ind, lang, scale, share), (end, p), xytext=(4, 0), textcoords="offset points",
                    ha="left", va="center", fontsize=charts.SMALL_PT, **charts.LITERAL)  # fmt: skip
    labels = [charts._wrap(charts._nbsp_quotes(label), label_width) for label, _ in rows]
    ax.set_yticks(pos, labels, **charts.LITERAL)
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, vmax / scale * 1.7)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.xaxis.set_major_formatter(charts._number_formatter(lang, percent=share))
    ax.grid(axis="x")
    ax.set_axisbelow(True)
    return axis_unit


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_bars_drawn_at_once_keep_their_pixels(tmp_path, monkeypatch, lang):
    from impact.report import charts
    from impact.results import Indicator

    def ind(low, central, high, status="estimated"):
        return Indicator("facility_energy_mwh", "MWh", low, central, high, status, "")

    rows = [
        ("DC « un »", ind(9_000.0, 12_000.0, 20_000.0)),
        ("DC deux", ind(3_000.0, 4_000.0, 4_500.0, "partial")),  # hatched, with a whisker
        ("DC trois", None),  # unknown: a word, no bar
        ("DC quatre", ind(7_000.0, 7_000.0, 7_000.0)),  # no range: no whisker
        ("DC cinq", ind(None, None, None, "unknown")),
        ("DC six", ind(1_000.0, 1_500.0, 1_900.0, "partial")),
        ("DC sept", ind(30_000.0, 31_000.0, 40_000.0)),
        ("DC huit", ind(500.0, 800.0, 900.0)),
    ]
    new = charts.save_figure(charts.alternatives_bars(rows, "facility_energy_mwh", lang=lang), tmp_path / "new.png")
    monkeypatch.setattr(charts, "_range_bars", _former_range_bars)
    old = charts.save_figure(charts.alternatives_bars(rows, "facility_energy_mwh", lang=lang), tmp_path / "old.png")
    a, b = np.asarray(Image.open(new)), np.asarray(Image.open(old))
    assert a.shape == b.shape and np.array_equal(a, b)
    assert (a != 255).any(axis=2).mean() > 0.02  # something was drawn


def test_the_chart_in_memory_is_the_file_save_figure_writes(tmp_path):
    from impact.report import charts
    from impact.results import Indicator

    rows = [("A", Indicator("facility_energy_mwh", "MWh", 1.0, 2.0, 3.0, "estimated", ""))]
    written = charts.save_figure(charts.alternatives_bars(rows, "facility_energy_mwh"), tmp_path / "c.png")
    assert charts.figure_png(charts.alternatives_bars(rows, "facility_energy_mwh")) == written.read_bytes()
