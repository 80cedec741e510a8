"""The summer water question (issue 13): a site drawing drinking water from the public network is
asked how much it draws in July and August and what it does under drought restrictions (arrêtés
sécheresse); a site drawing from elsewhere is not asked that question. It already existed
(``water_resource.question.network_drought``, impact/report/water_resource.py); these tests check
that it follows the fact in both languages and reaches the dossier's questions."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest

import impact
from impact.claims import check_claims
from impact.project import load_project
from impact.report import narrative
from impact.report.catalogue import catalogue

from .test_words import FIGURES

SITE = """\
name: Summer water test
country: FR
city: Alixan
location: {{lat: 44.98242, lon: 5.02131}}
year: 2027
it_capacity_mw: 6
utilisation: 0.5
pue: 1.3
wue_l_per_kwh: 0.8
cooling: {{type: evaporative}}
water_resource: {{source: {source}}}
"""
WORDS = {"fr": ("juillet et en août", "arrêtés sécheresse"), "en": ("July and August", "drought restrictions")}


def _results(tmp_path, source: str):
    path = tmp_path / f"{source}.yaml"
    path.write_text(SITE.format(source=source), encoding="utf-8")
    return impact.estimate(load_project(path), draws=100)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_network_water_asks_for_july_august_and_drought_restrictions(tmp_path, lang):
    r = _results(tmp_path, "drinking_water_network")
    asked = [q for q in narrative.questions(r, [], lang) if all(w in q for w in WORDS[lang])]
    assert asked == [catalogue(lang)("water_resource.question.network_drought")]


@pytest.mark.parametrize("source", ["aquifer", "river", "mine_water"])
def test_other_sources_are_not_asked_the_network_s_drought_question(tmp_path, source):
    r = _results(tmp_path, source)
    for lang in ("fr", "en"):
        assert catalogue(lang)("water_resource.question.network_drought") not in narrative.questions(r, [], lang)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_question_reaches_the_dossier(tmp_path, lang):
    from impact.report.dossier import build_context, render_html

    r = _results(tmp_path, "drinking_water_network")
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
    html = unescape(render_html(context))
    assert catalogue(lang)("water_resource.question.network_drought") in html
