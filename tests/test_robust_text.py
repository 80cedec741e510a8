"""Text is text everywhere (issue 11, item 4): user and data text drawn literally by matplotlib
(no mathtext), escaped in the Markdown draft and in the PDF made from it, spreadsheet-safe in
every CSV, and free of control characters in the terminal."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from types import SimpleNamespace

import pytest
import yaml

from .conftest import run_cli

DATE = "2026-11-25"
#: Text that matplotlib's mathtext reads as maths (``$\frac$`` does not even parse), TeX and
#: format specials, HTML, emoji, and a name too long for any label.
MATH = "$x$"
BROKEN_MATH = r"Poste $\frac$ {a}_b^c"
LONG = "Très long nom " * 22  # about 300 characters
NAMES = [
    MATH,
    "Prix 5 $ le kWh",
    BROKEN_MATH,
    r"back\slash 50 % {x} _u_ ^v",
    "<b>gras</b> & co",
    "Usine 🏭⚡",
    LONG.strip(),
]
#: A site in Dugny (Seine-Saint-Denis): the real shipped basemap and substations around it.
LAT, LON = 48.94899, 2.42263

pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # the emoji: a box, not a crash

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def _project_yaml(name: str, operator: str = "Opérateur $y$", city: str = "Dugny") -> str:
    return yaml.safe_dump(
        {
            "name": name,
            "operator": operator,
            "city": city,
            "country": "FR",
            "location": {"lat": LAT, "lon": LON},
            "it_capacity_mw": 20,
            "alternatives": [
                {"name": BROKEN_MATH, "changes": {"it_capacity_mw": 10}},
                {"name": MATH, "changes": {"it_capacity_mw": 5}},
            ],
        },
        allow_unicode=True,
        sort_keys=False,
    )


def _registry_csv(path, names):
    cols = ["name", "operator", "city", "country", "status", "source", "it_capacity_mw", "location.lat", "location.lon"]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, cols, lineterminator="\n")
        w.writeheader()
        for i, name in enumerate(names):
            # Around the site, a few hundred metres apart: inside the city map's frame.
            w.writerow(
                {
                    "name": name,
                    "operator": '=HYPERLINK("http://evil.example")',
                    "city": "Dugny",
                    "country": "FR",
                    "status": "@planned",
                    "source": "-2+3",
                    "it_capacity_mw": 5 + i,
                    "location.lat": LAT + 0.006 * (i % 4 - 1.5),
                    "location.lon": LON + 0.009 * (i // 4 - 0.5),
                }
            )
    return path


def _texts(fig):
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_text()]


def _svg_text(fig) -> str:
    """The figure as SVG with its texts kept as text (not paths): what is really drawn."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg")
    return buf.getvalue()


def _literal_drawn(fig, strings):
    """Every text holding a ``$`` is drawn as written, and each of ``strings`` is in the SVG
    (as text: mathtext would have drawn ``$x$`` as an italic x, without the dollars)."""
    dollar = [t for t in _texts(fig) if "$" in t.get_text()]
    assert dollar, "no text with a $ in the figure"
    assert all(not t.get_parse_math() for t in dollar), [t.get_text() for t in dollar if t.get_parse_math()]
    svg = _svg_text(fig)
    from xml.sax.saxutils import escape

    for s in strings:
        assert escape(s) in svg, s


# ----------------------------------------------------------------------------- matplotlib
def test_map_draws_names_with_dollars_literally(tmp_path):
    """The project's name, a registry's and a substation's names with ``$``, TeX and emoji: the
    map is built (labels measured), the texts are drawn as written, the label boxes are the
    literal texts' boxes. The old code read ``$...$`` as mathtext: ``$\\frac$`` crashed."""
    import geopandas as gpd
    from matplotlib.font_manager import FontProperties

    from impact.project import Project
    from impact.project_data import read_registry_file
    from impact.report import maps

    project = Project.model_validate(yaml.safe_load(_project_yaml(MATH)))
    rows = read_registry_file(_registry_csv(tmp_path / "registry.csv", NAMES))
    subs = gpd.GeoDataFrame(
        {
            "name": [BROKEN_MATH, "Poste 5 $"],
            "kind": ["transformation", "transformation"],
            "voltage_kv": [225.0, 63.0],
            "code": ["X1", "X2"],
        },
        geometry=gpd.points_from_xy([LON + 0.02, LON - 0.02], [LAT + 0.01, LAT - 0.012]),
        crs=4326,
    )
    fig = maps.site_map(project, context={"registry": rows, "substations": subs})
    labels = fig.impact_map["labels"]
    assert MATH in labels  # the site's own label, as written
    assert any(label.startswith(BROKEN_MATH) for label in labels)
    _literal_drawn(fig, [MATH])  # the title (labels have a halo: drawn as paths, not as SVG text)
    assert "Prix 5 $ le kWh (6 MW informatiques)" in labels
    # A label's measured box is the box of its literal text (not of a rendered formula).
    from impact.report.map_labels import LABEL_GID

    renderer = fig.canvas.get_renderer()

    placed = [t for t in _texts(fig) if t.get_gid() == LABEL_GID and t.get_text() == MATH]
    assert placed
    t = placed[0]
    prop = FontProperties(size=t.get_fontsize(), weight=t.get_fontweight())
    width = renderer.get_text_width_height_descent(MATH, prop, ismath=False)[0]
    assert t.get_window_extent(renderer).width == pytest.approx(width, rel=0.02)
    out = maps.save_figure(fig, tmp_path / "map.png")
    assert out.stat().st_size > 10_000


def test_small_map_and_no_location_map(tmp_path):
    from impact.project import Project
    from impact.report import maps

    project = Project.model_validate(yaml.safe_load(_project_yaml(BROKEN_MATH)))
    fig = maps.site_map(project, scale="small")
    _literal_drawn(fig, [BROKEN_MATH])
    maps.save_figure(fig, tmp_path / "small.png")
    nowhere = Project.model_validate({"name": BROKEN_MATH, "country": "FR", "it_capacity_mw": 5})
    fig = maps.site_map(nowhere)
    _literal_drawn(fig, [BROKEN_MATH])


def test_city_map_draws_site_names_literally(tmp_path):
    from impact.project import Project
    from impact.report.city import city_map_figure

    sites = [
        (
            name,
            Project.model_validate(
                {
                    "name": name,
                    "country": "FR",
                    "city": "Dugny",
                    "it_capacity_mw": 5,
                    "location": {"lat": LAT + 0.004 * i, "lon": LON + 0.004 * i},
                }
            ),
        )
        for i, name in enumerate(NAMES[:4])
    ]
    fig, _ = city_map_figure("Du$gny$", sites)
    _literal_drawn(fig, ["Du$gny$"])


def test_charts_draw_scenario_names_literally(tmp_path):
    import impact
    from impact.project import Project
    from impact.report import charts

    r = impact.estimate(Project.model_validate(yaml.safe_load(_project_yaml(MATH))), draws=200)
    rows = [(name, r["facility_energy_mwh"]) for name in NAMES]
    fig = charts.alternatives_bars(rows, "facility_energy_mwh", title="Sites de $Du\\gny$")
    _literal_drawn(fig, [MATH, "Sites de $Du\\gny$"])
    charts.save_figure(fig, tmp_path / "alt.png")
    for make in (charts.monthly_electricity, charts.water_bars, charts.carbon_bars):
        charts.save_figure(make(r), tmp_path / "c.png")  # no user text, but all pass the literal rule
    assert charts.LITERAL == {"parse_math": False, "usetex": False}


@needs_pdftotext
def test_dossier_with_hostile_names_builds_and_shows_the_dollar(tmp_path):
    """A project and a registry whose names hold ``$x$``, ``$``, ``\\``, ``{``, ``_``, ``^``, ``%``,
    HTML, emoji and 300 characters: the whole dossier is built (maps, charts, PDF) and the
    ``$`` is in the PDF's text. The old code stopped with a mathtext traceback."""
    project = tmp_path / "hostile.yaml"
    project.write_text(_project_yaml(MATH + " " + LONG, operator="Op $y$ <i>x</i>"), encoding="utf-8")
    registry = _registry_csv(tmp_path / "registry.csv", NAMES)
    pdf = tmp_path / "hostile.pdf"
    r = run_cli("dossier", project, "-o", pdf, "--date", DATE, "--registry", registry, "--author", "Ana $z$")
    assert r.returncode == 0, r.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "$x$ Très long nom" in flat and "Op $y$ <i>x</i>" in flat and "Ana $z$" in flat
    assert "\\$" not in flat  # the Markdown escapes do not show in the PDF


# ----------------------------------------------------------------------------- Markdown
INJECT_NAME = "Evil\n# Injected heading\n- injected item"
INJECT_OPERATOR = "[click](http://evil.example)"
INJECT_CITY = "1. Numbered <script>alert(1)</script>"
INJECT_AUTHOR = "> quoted *em* &amp; `code`"


def _md_lines(md: str):
    return md.split("\n")


def _commonmark_text(s: str) -> str:
    """What CommonMark shows for backslash escapes (spec 0.31, section 2.4: any ASCII punctuation)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", s)


def test_contribution_escapes_user_text():
    """Unit check of the draft: no heading, list item, link, quote or HTML from user text."""
    from impact.report import narrative

    p = SimpleNamespace(name=INJECT_NAME, operator=INJECT_OPERATOR, city=INJECT_CITY, procedure=None)
    results = SimpleNamespace(project=p, meta={}, inputs={}, indicators={})
    md = narrative.contribution_markdown(
        results,
        [],
        ["Finding about " + INJECT_NAME],
        ["Question " + INJECT_CITY],
        "fr",
        INJECT_AUTHOR,
        "25 novembre 2026",
    )
    lines = _md_lines(md)
    headings = [line for line in lines if line.startswith("#")]
    assert len(headings) == 3 and all(h.startswith(("# Contribution", "## ")) for h in headings), headings
    assert not any("Injected" in h for h in headings[1:])
    items = [line for line in lines if line.startswith(("- ", "1. ", "2. "))]
    assert len(items) == 2 and not any(line.startswith(">") for line in lines)
    assert "<script>" not in md and "\\<script\\>" in md
    assert "[click](" not in md and "\\[click\\](http://evil.example)" in md
    assert INJECT_AUTHOR not in md and _commonmark_text(lines[-3]) == INJECT_AUTHOR
    assert _commonmark_text(headings[0]).endswith(
        f"projet Evil # Injected heading - injected item ({INJECT_OPERATOR}), {INJECT_CITY}"
    )


def test_markdown_to_html_keeps_escaped_text_literal():
    from impact.report.dossier import markdown_to_html
    from impact.report.markdown import md_escape

    html = str(
        markdown_to_html(
            "# Title\n\n"
            + md_escape("# x")
            + "\n\n"
            + md_escape("1. y")
            + "\n\n"
            + md_escape("*z*")
            + "\n\n- "
            + md_escape("<b>&</b>")
            + "\n\nx\u2028# y"
        )
    )
    assert html.count("<h") == 1 and "<ol>" not in html and "<em>" not in html
    assert "<p># x</p>" in html and "<p>1. y</p>" in html and "<p>*z*</p>" in html
    assert "<li>&lt;b&gt;&amp;&lt;/b&gt;</li>" in html
    assert "<p>x\u2028# y</p>" in html  # a Unicode line separator breaks no line


@needs_pdftotext
def test_dossier_draft_and_pdf_show_injections_as_text(tmp_path):
    """The .md draft and the PDF made from it: a name with a newline and ``# x`` is no heading
    (in the draft, in the HTML, in the PDF's outline), a link is no link, HTML is shown."""
    project = tmp_path / "inject.yaml"
    project.write_text(
        yaml.safe_dump(
            {
                "name": INJECT_NAME,
                "operator": INJECT_OPERATOR,
                "city": INJECT_CITY,
                "country": "FR",
                "location": {"lat": LAT, "lon": LON},
                "it_capacity_mw": 20,
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    pdf = tmp_path / "inject.pdf"
    r = run_cli(
        "dossier", project, "-o", pdf, "--html", tmp_path / "inject.html", "--date", DATE, "--author", INJECT_AUTHOR
    )
    assert r.returncode == 0, r.stderr
    md = pdf.with_suffix(".md").read_text(encoding="utf-8")
    assert not any(line.startswith(("# Injected", "- injected", "> ", "1. Numbered")) for line in md.split("\n"))
    assert "<script>" not in md and "[click](" not in md
    html = (tmp_path / "inject.html").read_text(encoding="utf-8")
    # The name is in headings (the cover's title, the draft's), never a heading or an item of its own.
    for tag in ("h1", "h2", "h3", "h4", "h5", "li"):
        assert not re.search(rf"<{tag}[^>]*>\s*(Injected heading|injected item|Numbered)", html), tag
    assert "evil.example" not in re.findall(r'href="([^"]*)"', html)
    assert "<script>alert" not in html
    text = re.sub(
        r"\s+", " ", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    )
    assert "Evil # Injected heading - injected item" in text
    assert "1. Numbered <script>alert(1)</script>" in text and INJECT_AUTHOR in text
    outline = json.loads(
        subprocess.run(
            ["qpdf", "--json", "--json-key=outlines", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
    )
    titles = []

    def walk(items):
        for item in items:
            titles.append(item.get("title") or "")
            walk(item.get("kids") or [])

    walk(outline["outlines"])  # the PDF's bookmarks: one per heading
    assert "Projet de contribution" in titles and "Constats" in titles
    assert not [t for t in titles if t.lstrip("# ").startswith(("Injected", "injected", "Numbered"))], titles


def test_estimate_markdown_escapes_the_title():
    import impact
    from impact.project import Project
    from impact.report.markdown import format_markdown

    # An entity (``&amp;`` shows as ``&``) and strikethrough (``~~``): the old escape let both through.
    p = Project.model_validate(
        {
            "name": INJECT_NAME + " &amp; ~~struck~~",
            "operator": INJECT_OPERATOR,
            "city": INJECT_CITY,
            "country": "FR",
            "it_capacity_mw": 5,
        }
    )
    md = format_markdown(impact.estimate(p, draws=100))
    assert md.split("\n")[0].startswith("# Evil \\# Injected heading - injected item \\&amp; \\~\\~struck")
    assert "\\<script\\>" in md and "<script>" not in md


# ----------------------------------------------------------------------------- CSV
FORMULAS = ("=", "+", "-", "@")


def _cells(text: str):
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def _no_formula(text: str):
    bad = [c for c in _cells(text) if c[:1] in FORMULAS and c not in ("-", "+") and not _number(c)]
    assert not bad, bad


def _number(c: str) -> bool:
    try:
        float(c)
        return True
    except ValueError:
        return False


def test_estimate_csv_neutralises_formulas():
    """``estimate --format csv`` (and the dossier's attached CSV: the same function): a text cell
    starting with ``=``, ``+``, ``-`` or ``@`` gets an apostrophe; numbers and a unit ``-`` stay."""
    import impact
    from impact.project import Project
    from impact.report.table import format_csv
    from impact.results import Indicator

    r = impact.estimate(Project.model_validate({"name": "x", "country": "FR", "it_capacity_mw": 5}), draws=100)
    r.indicators["pue"] = Indicator(
        "pue", "-", -1.0, 1.3, 1.5, "estimated", "=cmd|' /C calc'!A0", ("@SUM(A1:A9)",), "+note"
    )
    text = format_csv(r)
    _no_formula(text)
    row = next(row for row in csv.reader(io.StringIO(text)) if row[0] == "pue")
    assert row[1:5] == ["-", "-1.0", "1.3", "1.5"]
    assert row[6:] == ["'=cmd|' /C calc'!A0", "'@SUM(A1:A9)", "'+note"]


def test_city_report_csv_neutralises_registry_text():
    """The CSV attached to a city's report carries the registry's names, statuses and sources:
    the old code kept ``=HYPERLINK(...)`` as is."""
    import impact
    from impact.project import Project
    from impact.report.city import _sites_csv

    r = impact.estimate(Project.model_validate({"name": "x", "country": "FR", "it_capacity_mw": 5}), draws=100)
    sites = [
        SimpleNamespace(
            name='=HYPERLINK("http://evil.example","x")', status="@planned", source="-1+2", results=r, row=1
        ),
        SimpleNamespace(name="+33 1 23", status="operating", source="\tx", results=r, row=2),
    ]
    text = _sites_csv(SimpleNamespace(sites=sites)).decode("utf-8")
    _no_formula(text)
    assert '\'=HYPERLINK("http://evil.example","x")' in _cells(text)


# ----------------------------------------------------------------------------- terminal
ESC_NAME = "Site \x1b[31mRED\x1b[0m\x07 \x9b2J end"


def test_terminal_output_has_no_control_characters(tmp_path):
    """A name with ANSI escapes, BEL and a C1 CSI: ``estimate`` (table, markdown, csv) and
    ``check`` print it without them; so do error messages quoting a path."""
    project = tmp_path / "esc.yaml"
    project.write_text(
        yaml.safe_dump({"name": ESC_NAME, "country": "FR", "it_capacity_mw": 5}, allow_unicode=True), encoding="utf-8"
    )
    outputs = [run_cli("estimate", project, "--draws", "100", "--format", f) for f in ("table", "markdown", "csv")]
    outputs.append(run_cli("check", project))
    as_json = run_cli("estimate", project, "--draws", "100", "--format", "json")
    assert json.loads(as_json.stdout)["project"]["name"] == ESC_NAME  # escaped, not lost
    outputs.append(as_json)
    outputs.append(run_cli("estimate", tmp_path / "missing\x1b[2J.yaml"))
    outputs.append(run_cli("estimate", project, "-o", tmp_path / "no-folder\x1b]0;x\x07" / "out.csv"))
    for r in outputs:
        for stream in (r.stdout, r.stderr):
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", stream), repr(stream[:300])
    assert "RED" in outputs[0].stdout and "RED" in outputs[3].stdout
    assert outputs[-2].returncode == 2 and "missing[2J.yaml" in outputs[-2].stderr, outputs[-2].stderr
    assert outputs[-1].returncode == 2 and "does not exist" in outputs[-1].stderr


def test_a_usetex_setting_does_not_send_names_to_latex(tmp_path):
    """A user's ``text.usetex: True`` (matplotlibrc) would hand every name to LaTeX: the
    figures keep drawing their texts themselves."""
    import matplotlib

    from impact.project import Project
    from impact.report import charts, maps

    project = Project.model_validate(yaml.safe_load(_project_yaml(BROKEN_MATH)))
    with matplotlib.rc_context({"text.usetex": True}):
        fig = maps.site_map(project)
        maps.save_figure(fig, tmp_path / "map.png")
        from impact.results import Indicator

        ind = Indicator("facility_energy_mwh", "MWh", 1.0, 2.0, 3.0, "estimated", "", (), "")
        charts.save_figure(
            charts.alternatives_bars([(BROKEN_MATH, ind), ("x_y", ind)], "facility_energy_mwh"), tmp_path / "bars.png"
        )
    assert not [t for t in _texts(fig) if t.get_usetex()]


@pytest.mark.parametrize("scale", ["city", "small"])
def test_a_long_name_keeps_the_map_title_inside_the_figure(scale):
    """A 300-character name used to run the title off the map's right edge: the title now keeps
    the name's start with an ellipsis, measured with the renderer, and stays on one line."""
    from impact.project import Project
    from impact.report import maps

    name = LONG.strip()
    fig = maps.site_map(Project.model_validate(yaml.safe_load(_project_yaml(name))), scale=scale)
    renderer = fig.canvas.get_renderer()
    (title,) = [t for t in fig.texts if t.get_text().startswith("Très long nom")]
    box = title.get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width, (box, fig.bbox.width)
    assert title.get_text().endswith("…") and "\n" not in title.get_text()
    assert len(title.get_text()) < len(name)
    nowhere = maps.site_map(Project.model_validate({"name": name, "country": "FR", "it_capacity_mw": 5}))
    title = nowhere.axes[0]._left_title  # set_title(loc="left") draws here
    assert title.get_text().endswith("…")
    assert title.get_window_extent(nowhere.canvas.get_renderer()).x1 <= nowhere.bbox.width
