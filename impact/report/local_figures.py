"""Sentences of the dossier about the site's own figures (docs/local-figures.md)."""

from __future__ import annotations

from . import fmt
from .catalogue import catalogue


def heating_basis(r, lang: str):
    """The heating per home the homes equivalence counts, when it was scaled to the site's climate
    (``note.local_figures.heating_per_home_climate``); "" otherwise (the national figure's own note
    stands in the annex)."""
    rec = r.inputs.get("heating_per_home_mwh")
    if rec is None or rec.note_key != "note.local_figures.heating_per_home_climate" or rec.value is None:
        return ""
    args = dict(rec.note_args)
    return catalogue(lang).markup(
        "dossier.local_figures.heating_basis",
        per_home=fmt.plain_quantity(round(rec.value.central, 2), rec.unit, lang),
        national=fmt.plain_quantity(args["national_mwh"], rec.unit, lang),
        site_hdd=fmt.plain(args["site_hdd"], lang),
        national_hdd=fmt.plain(args["national_hdd"], lang),
    )
