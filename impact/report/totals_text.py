"""The dossier's sentence on the parts of the GHG total that rest on site-scaled defaults."""

from __future__ import annotations

from ..totals import defaulted_records
from .catalogue import catalogue


def totals_defaults_sentence(results, lang: str) -> str:
    """« This total includes defaults ... ({names}) ... », or "" when every part is published."""
    names = defaulted_records(results.inputs)
    if not names or not results["co2e_total_t"].known:
        return ""
    t = catalogue(lang)
    # A total that still leaves out an unknown part is not called complete.
    key = (
        "dossier.climate.totals_defaults_partial"
        if results["co2e_total_t"].status == "partial"
        else ("dossier.climate.totals_defaults")
    )
    return t(key, names=t.join(t(f"dossier.climate.totals_part.{n}") for n in names))
