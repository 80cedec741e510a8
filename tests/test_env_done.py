"""Issue 13's « done when », checked on the dossier a resident gets.

A site with generators in the Paris region (Digital Dugny, 108 generators, Seine-Saint-Denis; and a
campus of a hundred 3 MW engines written here) and MRS5 (Marseille, nothing published on generators,
noise or fuel) each get the air, noise, risks and ICPE sections with figures and ranges, and the
questions that follow. The figures themselves are tested against hand computations in the
test_env_<topic>*.py files; this file checks that they reach the dossier, in both languages.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

import impact
from impact.claims import check_claims
from impact.project import load_project

from .conftest import ROOT, run_cli
from .test_words import FIGURES

DUGNY = ROOT / "data" / "projects" / "cases" / "digital-realty-dugny.yaml"

HEADINGS = {
    "fr": {
        "air": "Qualité de l&#39;air",
        "noise": "Le bruit aux habitations les plus proches",
        "icpe": "Régime ICPE et risques",
        "questions": "Questions à poser",
    },
    "en": {
        "air": "Air quality",
        "noise": "Noise at the nearest homes",
        "icpe": "ICPE regime and risks",
        "questions": "Questions to ask",
    },
}
# a range as the dossier writes it: « 73,0 dB(A) (62,7 à 76,6 dB(A)) », « 588 MW (532 to 951 MW) »
RANGE = {
    "fr": re.compile(r"\(\s*[\d  ,.]+[^()]{0,20}? à [\d  ,.]+"),
    "en": re.compile(r"\(\s*[\d,.]+[^()]{0,20}? to [\d,.]+"),
}

CAMPUS = """\
name: Campus test (100 x 3 MW)
operator: test
city: Fouju
country: FR
location: {lat: 48.5812, lon: 2.7868}
it_capacity_mw: 200
generators: {count: 100, unit_mw: 3}
noise: {receptor_distance_m: 300, residual_day_dba: 45, residual_night_dba: 38}
"""


def _sections(project, lang: str) -> dict[str, str]:
    from impact.report.dossier import build_context, render_html

    r = impact.estimate(project, draws=200)
    context = build_context(
        r,
        [],
        check_claims(r),
        {k: None for k in FIGURES},
        lang=lang,
        author=None,
        date=dt.date(2026, 12, 2),
        fingerprint="0" * 16,
    )
    out = {}
    for chunk in render_html(context).split("<section")[1:]:
        title = re.search(r"<h1[^>]*>(.*?)</h1>", chunk, re.S)
        if title:
            out[title.group(1).strip()] = chunk
    return out


def _section(sections: dict[str, str], start: str) -> str:
    found = [body for title, body in sections.items() if title.startswith(start)]
    assert len(found) == 1, (start, list(sections))
    return found[0]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_site_with_generators_gets_the_four_sections_with_figures_ranges_and_questions(lang, write_project):
    for project in (load_project(DUGNY), load_project(write_project(CAMPUS))):
        sections = _sections(project, lang)
        h = HEADINGS[lang]
        for topic in ("air", "noise", "icpe"):
            body = _section(sections, h[topic])
            assert RANGE[lang].search(body), (project.name, topic)
        # the noise and ICPE sections end on their own questions; air's go to the questions list
        assert _section(sections, h["noise"]).count("<li") >= 3
        assert _section(sections, h["icpe"]).count("<li") >= 3
        questions = _section(sections, h["questions"])
        assert ("AASQA" in questions) and ("NOx" in questions), project.name


def test_mrs5_gets_the_same_sections_with_defaults_said_as_such(mrs5_path):
    sections = _sections(load_project(mrs5_path), "fr")
    h = HEADINGS["fr"]
    for topic in ("air", "noise", "icpe"):
        body = _section(sections, h[topic])
        assert "par défaut" in body, topic  # nothing published on generators, noise or fuel: defaults
    assert RANGE["fr"].search(_section(sections, h["air"]))
    assert RANGE["fr"].search(_section(sections, h["icpe"]))
    # no receptor distance is published for MRS5: the level is not computed, the section asks
    assert "noise.receptor_distance_m" in _section(sections, h["noise"])


def test_the_campus_pdf_has_the_sections_and_their_figures(tmp_path, write_project):
    # The real command, the real PDF (WeasyPrint): what a resident files.
    project = write_project(CAMPUS)
    pdf = tmp_path / "campus.pdf"
    done = run_cli("dossier", project, "-o", pdf)
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for heading in ("Qualité de l'air", "Le bruit aux habitations les plus proches", "Régime ICPE et risques"):
        assert heading in text
    # 100 x 3 MW: 300 MW installed; thermal input = 300 MW / efficiency (37 % at fuel.csv's central
    # 0.269 L/kWh x 0.8325 kg/L x 11.94 kWh/kg = 2.674 kWh of fuel per kWh): 802 MW, rubrique 3110
    assert re.search(r"802 MW", text) and "3110" in text


def test_a_declared_stock_is_not_taken_for_the_default_outage_length():
    # SEGRO Le Bourget declares its stock (1,716 m³ of HVO, 1,700 m³ of heating oil) but not the outage
    # it plans for: the outage scenario runs the default autonomy and says it is not the stock's.
    from impact.report import air

    r = impact.estimate(load_project(ROOT / "data" / "projects" / "cases" / "segro-le-bourget.yaml"), draws=100)
    assert r.inputs["icpe.fuel_storage_m3"].status == "given"
    assert r.inputs["generators.fuel_autonomy_hours"].status == "default"
    text = " ".join(air.more(r, "fr")["paragraphs"])
    assert "pas celle du stock déclaré" in text
    mrs5 = impact.estimate(load_project(ROOT / "data" / "projects" / "mrs5.yaml"), draws=100)
    assert "pas celle du stock déclaré" not in " ".join(air.more(mrs5, "fr")["paragraphs"])
