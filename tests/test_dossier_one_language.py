"""A French dossier speaks French: the tool's own sentences come from the French catalogue.

Sites in five régions (MRS5 in Provence-Alpes-Côte d'Azur, OVHcloud Roubaix in the
Hauts-de-France, Saint-Avold in the Grand Est, BXIA Bordeaux-Lac in the Nouvelle-Aquitaine,
SEGRO Le Bourget in the Île-de-France) are
rendered with a registry holding, in each site's own commune, a row the registry refuses (a
value out of its bounds) and a row in no commune. The reasons « non estimé : … » and « ne peut
pas être placée » are then the French catalogue's words (the engine's messages are English,
impact.errors), and no sentence of the tool in the French HTML carries English words. Sources,
citations, the reference tables' own notes (marked ``lang="en"``) and the project file's own
words (names, operators, notes) may be English: they are left out of the scan.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from html import escape as html_escape
from html.parser import HTMLParser

import pytest

import impact
from impact.claims import check_claims
from impact.cumulative import cumulative
from impact.report.catalogue import catalogue
from impact.sources import read_registry
from impact.validation import validate

from .conftest import ROOT
from .test_words import FIGURES

SITES = {
    "mrs5": ROOT / "data" / "projects" / "mrs5.yaml",
    "ovhcloud-roubaix": ROOT / "data" / "projects" / "cases" / "ovhcloud-roubaix.yaml",
    "gazelenergie-saint-avold": ROOT / "data" / "projects" / "cases" / "gazelenergie-saint-avold.yaml",
    "bxia-bordeaux-lac": ROOT / "data" / "projects" / "cases" / "bxia-bordeaux-lac.yaml",
    # Île-de-France; its floor area is given (the building's embodied emissions' note).
    "segro-le-bourget": ROOT / "data" / "projects" / "cases" / "segro-le-bourget.yaml",
}
HEADER = "name,city,country,status,it_capacity_mw,utilisation,pue\n"
# Row 1 is refused (a PUE below 1), row 2 names a commune that does not exist, row 3 is fine.
ROWS = "Refused site,{city},FR,operating,5,0.5,0.7\nLost site,Nowhereville,FR,planned,5,0.5,1.5\nGood site,{city},FR,operating,3,0.5,1.4\n"

#: Words of English sentences that French never uses (checked as whole words).
ENGLISH = re.compile(
    r"\b(the|is|are|was|were|not|with|from|which|could|cannot|unknown|missing|expected|must|"
    r"should|been|given|row|field|estimated|default used|latest|available|value used)\b"
)
#: Elements whose text is a source, a citation or a code, not the tool's sentence.
SKIP_CLASSES = {"source", "source-words", "mono", "bibliography"}


class _ToolText(HTMLParser):
    """The text of the body outside sources, citations, codes and ``lang="en"`` elements."""

    VOID = {"br", "img", "hr", "meta", "link", "input", "col", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: whether it is skipped
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        skip = bool(classes & SKIP_CLASSES) or a.get("lang") == "en" or tag in ("style", "script", "svg")
        self.stack.append(skip or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.parts.append(" ".join(data.split()))


def _project_words(results, registry_rows) -> list[str]:
    """What the project file and the registry wrote (names, operators, notes, claims): theirs."""
    p = results.project
    words = [p.name, p.operator or "", p.city or ""]
    for rec in results.inputs.values():
        words += [rec.source or "", rec.note or "" if rec.note_key else "", rec.source_note or ""]
    for c in p.claims or []:
        words += [getattr(c, "source", "") or "", getattr(c, "note", "") or ""]
    words += [n for n in registry_rows]
    return sorted({w for w in words if len(w) > 3}, key=len, reverse=True)


@pytest.fixture(scope="module", params=sorted(SITES))
def rendered(request, tmp_path_factory):
    from impact.report.dossier import build_context, render_html

    resolved = validate(SITES[request.param])
    results = impact.estimate(resolved, draws=100)
    registry = tmp_path_factory.mktemp(request.param) / "registry.csv"
    registry.write_text(HEADER + ROWS.format(city=results.project.city), encoding="utf-8")
    cum = cumulative(results, read_registry(registry, errors="collect"), registry.name)
    out = {}
    for lang in ("fr", "en"):
        context = build_context(
            results,
            [],
            check_claims(results),
            {k: None for k in FIGURES},
            lang=lang,
            author=None,
            date=dt.date(2026, 12, 2),
            fingerprint="0" * 16,
            cumulative=cum,
        )
        out[lang] = render_html(context)
    return request.param, results, cum, out


def _reasons(cum, lang: str) -> set[str]:
    """The not-estimated and not-placed reasons the catalogue of ``lang`` allows for ``cum``."""
    t = catalogue(lang)
    allowed = {t(f"one_language.not_estimated.{k}") for k in ("refused", "bug")}
    for s in cum.sites:
        if s.error_fields:
            allowed.add(t("one_language.not_estimated.fields", fields=t.join(s.error_fields)))
    for k in ("outside_france", "no_location", "not_in_a_commune", "city_not_found", "city_ambiguous"):
        allowed.add(t(f"one_language.unplaced.{k}"))
    return allowed


def test_the_registry_rows_fail_as_the_case_says(rendered):
    _, _, cum, _ = rendered
    refused = [s for s in cum.sites if s.name == "Refused site"]
    assert len(refused) == 1 and not refused[0].ok and refused[0].error_fields == ("pue",)
    assert "must be between" in refused[0].error  # the engine's own message stays English (data)
    assert [(name, reason) for _, name, _, reason in cum.unplaced] == [("Lost site", "city_not_found")]


@pytest.mark.parametrize("lang, prefix", [("fr", "non estimé : "), ("en", "not estimated: ")])
def test_every_not_estimated_reason_is_a_catalogue_value(rendered, lang, prefix):
    _, _, cum, out = rendered
    t = catalogue(lang)
    # The cumulative section (its heading to the end of its section): where the registry's reasons are.
    heading = t("cumulative.heading")
    section = out[lang].split(html_escape(heading), 1)[1].split("</section>", 1)[0]
    text = html.unescape(section)
    shown = re.findall(re.escape(prefix) + r"([^<]+)", text)
    assert shown, "the refused row is listed"
    allowed = _reasons(cum, lang)
    for reason in shown:
        assert reason.strip() in allowed, reason
    # The dossier's own words, in its language, for the refused PUE and the lost commune.
    assert prefix + t("one_language.not_estimated.fields", fields="pue") in text
    assert t("one_language.unplaced.city_not_found") in text
    assert "must be between" not in text and "city_not_found" not in text


def test_no_record_note_is_left_untranslated(rendered):
    # A note without a catalogue key is shown as English (<em lang="en">): none is left.
    _, _, _, out = rendered
    assert '<em lang="en">' not in out["fr"]
    # The grid factor's year was impact's own English words shown as the source's note.
    assert "value used" not in out["fr"] and "latest year available" not in out["fr"]


def test_the_scan_reads_the_tool_s_sentences(rendered):
    # The scan below is not empty: the sections' French sentences are in it.
    _, _, _, out = rendered
    parser = _ToolText()
    parser.feed(out["fr"].split("<body", 1)[1])
    text = " ".join(parser.parts)
    assert len(text) > 20_000 and "Questions à poser" in text


def test_the_french_dossier_has_no_english_sentence_of_the_tool(rendered):
    name, results, _, out = rendered
    parser = _ToolText()
    body = out["fr"].split("<body", 1)[1]
    parser.feed(body)
    text = "\n".join(parser.parts)
    for w in _project_words(results, ("Refused site", "Lost site", "Good site", "Nowhereville")):
        text = text.replace(w, " ")
    english = [line for line in text.splitlines() if ENGLISH.search(line)]
    assert english == [], (name, english[:5])
