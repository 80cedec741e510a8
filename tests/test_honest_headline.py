"""Issue 12, item 5 in the headline: the complete GHG total beside the electricity's, and the share of
its central value that rests on site-scaled defaults, named (docs/complete-totals.md).

The share is computed here from its definition: the central values of the parts of ``co2e_total_t``
that include a default (generators, refrigerant, embodied), summed, over the total's central value.
"""

from __future__ import annotations

import pytest

import impact
from impact.claims import check_claims
from impact.project import parse_project_text
from impact.report import dossier, narrative

from .conftest import MRS5

DEFAULTED = ("co2e_generators_t", "co2e_refrigerant_t", "co2e_embodied_t_per_year")


@pytest.fixture(scope="module")
def mrs5():
    return impact.estimate(impact.load_project(MRS5), draws=300)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_mrs5_total_and_its_defaulted_share_in_the_findings(mrs5):
    total = mrs5.central("co2e_total_t")
    parts = sum(mrs5.central(k) for k in DEFAULTED)
    # The total is the electricity plus the three defaulted parts (nothing else is counted).
    assert total == pytest.approx(mrs5.central("co2e_location_t") + parts)
    share = parts / total  # about 85 %: the servers' manufacture dominates (docs/complete-totals.md)
    assert 0.5 < share < 1
    fr = plain(" ".join(narrative.findings(mrs5, check_claims(mrs5), "fr")))
    percent = f"{share * 100:.1f}".replace(".", ",")
    assert f"dont {percent} % estimés par défaut faute de chiffres publiés" in fr
    assert f"le total serait d'environ {total / 1000:.1f}".replace(".", ",") in fr
    en = plain(" ".join(narrative.findings(mrs5, check_claims(mrs5), "en")))
    assert f"of which {share * 100:.1f}% estimated from defaults" in en


def test_mrs5_key_figures_show_the_total_and_its_defaulted_share(mrs5):
    rows = {row["label"]: row for row in dossier._key_figures(mrs5, "fr")}
    row = rows[narrative.label("co2e_total_t", "fr")]
    share = sum(mrs5.central(k) for k in DEFAULTED) / mrs5.central("co2e_total_t")
    assert f"dont {share * 100:.1f}".replace(".", ",") in plain(row["equiv"])
    assert "groupes électrogènes" in row["equiv"] and "à demander au porteur de projet" in row["equiv"]


def test_a_total_with_an_unknown_part_is_at_least_and_not_called_complete():
    # No floor area, no IT rooms' area: the building's embodied emissions stay unknown, so the total
    # is partial: the finding says « at least », the climate section does not say « complete ».
    from impact.report.totals_text import totals_defaults_sentence

    r = impact.estimate(
        parse_project_text(
            "name: T\ncountry: FR\ncity: Lyon\nyear: 2026\nit_capacity_mw: 10\nlocation: {lat: 45.76, lon: 4.84}\n",
            "t.yaml",
        ),
        draws=200,
    )
    assert r["co2e_total_t"].status == "partial"
    fr = plain(" ".join(narrative.findings(r, check_claims(r), "fr")))
    assert "le total serait d'au moins" in fr and "une partie reste inconnue" in fr
    sentence = totals_defaults_sentence(r, "fr")
    assert "laisse encore de côté" in sentence and "il est complet" not in sentence
    rows = {row["label"]: row for row in dossier._key_figures(r, "fr")}
    assert rows[narrative.label("co2e_total_t", "fr")]["equiv"].startswith("au moins")
