"""The environmental authority's opinion and the promoter's answer (issue 13, item 8).

The project file's ``authority_opinion`` block becomes the dossier's table « recommandation /
réponse / ce qui reste à demander ». The expected statuses and counts below are read off the test's
own text by hand (an answer with no digit gives no figure; see impact/report/answer.py and
docs/answer.md), never from the code's output.
"""

from __future__ import annotations

import datetime as dt

import pytest

import impact
from impact.claims import check_claims
from impact.errors import InputError
from impact.project import load_project, parse_project_text
from impact.report import answer
from impact.report.catalogue import catalogue

BASE = "name: Opinion test\ncountry: FR\nlocation: {lat: 48.93, lon: 2.42}\nyear: 2026\nit_capacity_mw: 10\n"

# Three recommendations: R1 answered with figures, R2 answered in words only, the third (no ref) not
# answered. By hand: statuses quantified / unquantified / none; counts 1 / 1 / 1; the third's ref is
# its rank, 3.
OPINION = """\
authority_opinion:
  authority: MRAe Île-de-France
  reference: avis n° TEST-1
  date: 2025-06-30
  answer_source: mémoire en réponse, septembre 2025
  recommendations:
    - ref: R1
      topic: heat_reuse
      text: Chiffrer à l'année la chaleur récupérée.
      answer: 12 GWh par an livrés au réseau de chaleur à partir de 2028.
      answer_source: mémoire en réponse, p. 4
    - ref: R2
      topic: noise
      text: Évaluer le bruit des groupes électrogènes en essai chez les riverains.
      answer: Une étude acoustique sera réalisée ultérieurement.
    - topic: air
      text: Quantifier les émissions de NOx des essais.
"""


def _project(text: str = OPINION):
    return parse_project_text(BASE + text, source="opinion.yaml")


def test_the_status_of_an_answer_follows_its_digits():
    assert answer.answer_status(None) == "none"
    assert answer.answer_status("   ") == "none"
    assert answer.answer_status("Une étude sera réalisée.") == "unquantified"
    assert answer.answer_status("40 dB(A) de nuit") == "quantified"


def test_the_table_has_one_row_per_recommendation_with_what_remains():
    table = answer.table(_project(), "fr")
    t = catalogue("fr")
    assert table["present"] is True
    assert [r["ref"] for r in table["rows"]] == ["R1", "R2", "3"]
    assert [r["status"] for r in table["rows"]] == ["quantified", "unquantified", "none"]
    assert table["counts"] == {"none": 1, "unquantified": 1, "quantified": 1}
    r1, r2, r3 = table["rows"]
    assert r1["topic"] == "récupération de chaleur" and r1["answer_source"] == "mémoire en réponse, p. 4"
    assert r2["remaining"] == t("answer.remaining.unquantified")
    assert r3["answer"] == t("answer.cell.no_answer") and r3["remaining"] == t("answer.remaining.none")
    assert "MRAe Île-de-France, avis n° TEST-1, 30 juin 2025" in table["opinion"]
    assert "mémoire en réponse, septembre 2025" in table["answer_source"]
    assert "Recommandations : 3 ; sans réponse : 1" in table["summary"]
    assert "L. 122-1" in table["law"]  # a French site: the legal duty to answer


def test_the_users_own_remaining_text_wins():
    text = OPINION.replace(
        "      answer_source: mémoire en réponse, p. 4\n",
        "      answer_source: mémoire en réponse, p. 4\n      remaining: Demander le contrat avec le réseau.\n",
    )
    row = answer.table(_project(text), "en")["rows"][0]
    assert row["remaining"] == "Demander le contrat avec le réseau." and row["status"] == "quantified"


def test_no_opinion_and_no_french_law_outside_france():
    p = parse_project_text(BASE, source="x.yaml")
    table = answer.table(p, "en")
    assert table["present"] is False and table["rows"] == [] and "L. 122-1" in table["law"]
    assert answer.questions(p, "en") == []
    other = parse_project_text(BASE.replace("country: FR", "country: DE") + OPINION, source="x.yaml")
    assert answer.table(other, "en")["law"] == ""
    assert answer.table(other, "en")["answer_source"].startswith("The promoter's written answer")


def test_questions_for_the_unanswered_and_the_unquantified():
    qs = answer.questions(_project(), "en")
    assert len(qs) == 2  # R2 (no figure) and the third (no answer); R1 has figures
    assert "R2" in qs[0] and "gives no figure" in qs[0]
    assert "Recommendation 3" in qs[1] and "no recorded answer" in qs[1]


def test_without_the_promoters_answer_the_dossier_asks_where_it_is():
    text = OPINION.replace("  answer_source: mémoire en réponse, septembre 2025\n", "")
    table = answer.table(_project(text), "fr")
    assert table["answer_source"] == catalogue("fr")("answer.answer_source.missing")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s: s.replace("  authority: MRAe Île-de-France\n", ""), "authority_opinion.authority"),
        (lambda s: s.replace("      topic: noise\n", "      topic: bruit\n"), "authority_opinion.recommendations"),
        (
            lambda s: s.replace("      text: Quantifier les émissions de NOx des essais.\n", ""),
            "authority_opinion.recommendations",
        ),
        (lambda s: s.replace("    - ref: R2\n", "    - ref: R1\n"), "authority_opinion"),
        (lambda s: s.replace("  date: 2025-06-30\n", "  date: 30 juin\n"), "authority_opinion.date"),
        (lambda s: s.replace("    - topic: air\n", "    - topic: air\n      verdict: ok\n"), "authority_opinion"),
        (lambda s: s.split("  recommendations:\n")[0] + "  recommendations: []\n", "authority_opinion"),
    ],
)
def test_bad_input_is_a_clear_input_error(change, field):
    with pytest.raises(InputError) as e:
        parse_project_text(BASE + change(OPINION), source="opinion.yaml")
    message = str(e.value)
    assert "opinion.yaml" in message and field in message, message


def test_the_dossier_shows_the_table_and_the_questions(write_project):
    from impact.report.dossier import build_context, render_html

    from .test_words import FIGURES

    r = impact.estimate(load_project(write_project(BASE + OPINION)), draws=100)
    for lang, heading, column in (
        ("fr", "L'avis de l'autorité environnementale et la réponse du porteur", "Ce qui reste à demander"),
        ("en", "The environmental authority's opinion and the promoter's answer", "What remains to ask"),
    ):
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
        html = render_html(context)
        assert heading.replace("'", "&#39;") in html and column in html
        assert "Chiffrer à l&#39;année la chaleur récupérée." in html
        assert sum("R2" in q for q in context["questions"]) == 1


def test_mrs5_says_no_opinion_is_recorded(mrs5_path):
    # MRS5's file records no MRAe opinion (not found online): the section says so and asks for it.
    from impact.report.dossier import build_context, render_html

    from .test_words import FIGURES

    mrs5 = impact.estimate(load_project(mrs5_path), draws=100)

    context = build_context(
        mrs5,
        [],
        check_claims(mrs5),
        {k: None for k in FIGURES},
        lang="fr",
        author=None,
        date=dt.date(2026, 12, 2),
        fingerprint="0" * 16,
    )
    assert context["opinion_answer"]["present"] is False
    html = render_html(context)
    assert "ne contient pas l&#39;avis de l&#39;autorité environnementale" in html


def test_the_list_of_recommendations_is_capped():
    # data/schema/project_fields.csv: authority_opinion.recommendations, at most 200.
    items = "".join(f"    - {{ref: R{i}, text: t}}\n" for i in range(201))
    text = "authority_opinion:\n  authority: Ae\n  recommendations:\n" + items
    with pytest.raises(InputError) as e:
        parse_project_text(BASE + text, source="opinion.yaml")
    assert "authority_opinion.recommendations" in str(e.value) and "200" in str(e.value)
    assert len(_project(text.replace("    - {ref: R200, text: t}\n", "")).authority_opinion.recommendations) == 200
