"""The words for the water a water-cooled site draws and returns follow the project's facts.

MRS5 is modelled with the river-cooling type, but its file says the water is the former mines' water
(``water_resource.source: mine_water``) and goes back to the port (``receiving_water: sea``): the dossier
must not write « eau de rivière » or « rendue à la rivière » for it. A river site keeps the river words.
"""

from __future__ import annotations

import impact
from impact.project import load_project
from impact.report import narrative
from impact.report.catalogue import catalogue

from .test_env_water import OTTMARSHEIM


def test_mrs5_draws_mine_water_and_returns_it_to_the_sea(mrs5_path):
    r = impact.estimate(load_project(mrs5_path), draws=100)
    assert narrative.water_medium(r) == "river"  # the model's type
    assert narrative.withdrawn_medium(r) == "mine_water"
    assert narrative.returned_medium(r) == "sea"
    text = " ".join(narrative.findings(r, [], "fr"))
    assert "d'eau de mine" in text and "dans la mer" in text and "rivière" not in text


def test_a_river_site_keeps_the_river_words(write_project):
    r = impact.estimate(load_project(write_project(OTTMARSHEIM.format(extra=""))), draws=100)
    assert narrative.withdrawn_medium(r) == "river" and narrative.returned_medium(r) == "river"


def test_every_medium_has_its_sentences():
    for lang in ("fr", "en"):
        t = catalogue(lang)
        for medium in ("river", "sea", "mine_water", "aquifer"):
            for key in (
                "finding.water.once_through",
                "dossier.water.withdrawal",
                "alternatives.medium",
                "chart.cooling.water",
                "dossier.cooling.step.water",
            ):
                assert t(f"{key}.{medium}", returned="1 m³")
        for medium in ("river", "sea"):
            for key in (
                "finding.water.discharge",
                "dossier.water.returned",
                "dossier.key.returned",
                "dossier.cooling.discharge_heading",
            ):
                assert t(f"{key}.{medium}", returned="1 m³", mean="1 MW", max="2 MW")
