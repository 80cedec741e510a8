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
    labels = [t(f"input.{n}") for n in names]
    labels = [s[:1].lower() + s[1:] if s[1:2].islower() else s for s in labels]
    return t("dossier.climate.totals_defaults", names=t.join(labels))
