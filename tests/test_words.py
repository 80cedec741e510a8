"""The report's words: true for any site, in the dossier's language, with units that read.

The dossier is rendered (``build_context`` + ``render_html``, the path of ``impact
dossier``) for MRS5 and for test sites elsewhere in France (``tests/data/site-*.yaml``),
in French and in English, and its visible text is checked by three detectors:

(a) **place** -- no word that belongs to another place: :data:`PLACE_TERMS` (Marseille's
    port and cooling) and the communes of the *other* test sites. A term is allowed
    where the site's own facts bring it: it is in the site's project file (its name,
    city, sources), or in a citation, a data row or project text (elements of class
    ``source``, ``data``, ``bibliography``, ``mono``, or marked with a ``lang``).
(b) **language** -- no fragment in the other language. The visible text outside
    citations, code and elements marked ``lang`` is cut into fragments at ``. ; : ! ?``,
    brackets and dashes; a fragment is in the wrong language when it holds at least two
    function words of the other language (:data:`FUNCTION_WORDS`) and more of them than
    of its own. Cutting at brackets and colons catches an English reason inside a French
    sentence.
(c) **units** -- no number below 1 written in a unit that has a smaller one (« 0,0409 MW »
    is 40,9 kW).

The charts' texts go through (b) and (c) too. ``test_the_detectors_catch_the_old_sentences``
shows that each detector fails on sentences the dossier used to print.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import MRS5, ROOT, SHARED_DATA

DATA = ROOT / "tests" / "data"

#: The test sites, with their commune (each one's commune is a foreign place for the others).
SITES = {
    MRS5: "Marseille",
    DATA / "site-93-saint-denis.yaml": "Saint-Denis",
    DATA / "site-59-roubaix.yaml": "Roubaix",
    DATA / "site-68-ottmarsheim.yaml": "Ottmarsheim",
    DATA / "site-26-valence.yaml": "Valence",
    DATA / "site-75-paris-room.yaml": "Paris",
    DATA / "site-77-campus-facts.yaml": "Fouju",
    DATA / "site-2b-bastia.yaml": "Bastia",
}
#: Sites whose climate file is in ../shared/data.
NEEDS_SHARED = {DATA / "site-26-valence.yaml"}

#: Words of one place (the port of Marseille, its cooling, its local needs).
PLACE_TERMS = (
    "Marseille",
    "quai",
    "quais",
    "Thassalia",
    "Gardanne",
    "Galerie de la Mer",
    "GPMM",
    "shore power",
    "cruise",
    "croisière",
    "RTM",
    "La Rose",
    "Cap Janet",
    "Bouches-du-Rhône",
    "Saint-Louis",
)

#: Function words that tell French from English. Words that both languages use, or that
#: are other words in the other language, are left out (a, on, son, plus, an, are, but, or, no).
FUNCTION_WORDS = {
    "fr": {
        "le",
        "la",
        "les",
        "des",
        "du",
        "de",
        "un",
        "une",
        "et",
        "est",
        "sont",
        "pour",
        "dans",
        "sur",
        "avec",
        "qui",
        "que",
        "ne",
        "pas",
        "au",
        "aux",
        "ce",
        "cette",
        "ces",
        "ses",
        "sa",
        "leur",
        "leurs",
        "être",
        "où",
        "elle",
        "il",
        "ils",
        "mais",
        "ou",
        "sans",
        "par",
        "se",
        "été",
        "peut",
        "ont",
        "selon",
        "entre",
        "dont",
        "chaque",
        "en",
        "l'",
        "d'",
        "qu'",
        "n'",
        "s'",
    },
    "en": {
        "the",
        "of",
        "and",
        "is",
        "to",
        "for",
        "with",
        "which",
        "that",
        "not",
        "it",
        "its",
        "this",
        "be",
        "from",
        "at",
        "as",
        "would",
        "will",
        "has",
        "have",
        "was",
        "were",
        "than",
        "by",
        "in",
        "these",
        "those",
        "their",
        "there",
        "been",
        "can",
        "does",
        "into",
        "only",
        "each",
        "when",
        "where",
        "if",
        "within",
        "without",
        "they",
        "what",
        "how",
    },
}

SKIP_CLASSES = {"source", "data", "bibliography", "mono"}
SKIP_TAGS = {"head", "style", "script", "code"}
BLOCK_TAGS = {"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "title", "q", "em"}

SMALL_UNIT = re.compile(r"(?<![\d.,\u202f])0[.,]\d+[\s\u00a0\u202f]*(?:GW|MW|TWh|GWh|MWh|Mt|kt)(?![A-Za-z])")
FRAGMENT_CUT = re.compile(r"[.;:!?()\[\]—«»]")
WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüœ]+'|[a-zàâäçéèêëîïôöùûüœ]+", re.IGNORECASE)


class _Text(HTMLParser):
    """Visible text of an HTML page as blocks, each tagged whether it is checked."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.blocks: list[tuple[str, bool, bool]] = []  # (text, checked for language, checked for place)
        self._buf: list[str] = []
        self._state = (True, True)

    VOID = {"br", "img", "meta", "link", "hr", "input"}

    def _flush(self):
        text = "".join(self._buf).strip()
        if text:
            self.blocks.append((text, *self._state))
        self._buf = []

    def _skips(self):
        lang = any(s == "lang" for _, s in self.stack)
        cls = any(s == "class" for _, s in self.stack)
        tag = any(s == "tag" for _, s in self.stack)
        data = any(s == "data" for _, s in self.stack)
        return tag, lang, cls, data

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            if tag == "br":
                self._buf.append(" ")
            return
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        reason = ""
        if tag in SKIP_TAGS:
            reason = "tag"
        elif "lang" in a and tag != "html":
            reason = "lang"
        elif classes & (SKIP_CLASSES - {"data"}):
            reason = "class"
        elif "data" in classes:
            reason = "data"
        if tag in BLOCK_TAGS or reason:
            self._flush()
        self.stack.append((tag, reason))
        tag_s, lang_s, cls_s, data_s = self._skips()
        # Language: data rows are in the dossier's language (need_fr, rule_fr...) and checked.
        # Place: data rows, citations and project text are the site's own facts.
        self._state = (not (tag_s or lang_s or cls_s), not (tag_s or lang_s or cls_s or data_s))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            t, reason = self.stack.pop()
            if tag in BLOCK_TAGS or reason:
                self._flush()
            if t == tag:
                break
        tag_s, lang_s, cls_s, data_s = self._skips()
        self._state = (not (tag_s or lang_s or cls_s), not (tag_s or lang_s or cls_s or data_s))

    def handle_data(self, data):
        self._buf.append(data)

    def close(self):
        super().close()
        self._flush()


def visible_blocks(html: str) -> list[tuple[str, bool, bool]]:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.blocks


def wrong_language(text: str, lang: str) -> list[str]:
    """The fragments of ``text`` written in the other language (detector b)."""
    other = "en" if lang == "fr" else "fr"
    bad = []
    for fragment in FRAGMENT_CUT.split(text):
        words = [w.lower().replace("’", "'") for w in WORD.findall(fragment.replace("’", "'"))]
        own = sum(w in FUNCTION_WORDS[lang] for w in words)
        foreign = sum(w in FUNCTION_WORDS[other] for w in words)
        if foreign >= 2 and foreign > own:
            bad.append(fragment.strip())
    return bad


def foreign_places(text: str, own_facts: str, terms) -> list[str]:
    """The place terms in ``text`` that the site's own facts do not bring (detector a)."""
    facts = own_facts.lower()
    return [
        term
        for term in terms
        if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.IGNORECASE) and term.lower() not in facts
    ]


def small_units(text: str) -> list[str]:
    """Numbers below 1 in a unit that has a smaller one (detector c)."""
    return SMALL_UNIT.findall(text)


def check_text(blocks, lang: str, own_facts: str, terms, names=()) -> list[str]:
    """Detectors (a), (b) and (c) on visible blocks; ``names`` are the site's proper names
    (its project, operator, commune, département...), French whatever the dossier's
    language: they are no sentence, and are left out of the language test."""
    problems = []
    names = sorted((n for n in names if n), key=len, reverse=True)
    for text, language_checked, place_checked in blocks:
        if language_checked:
            bare = text
            for n in names:
                bare = bare.replace(n, " ")
            problems += [f"wrong language: {f!r} in {text[:120]!r}" for f in wrong_language(bare, lang)]
        if place_checked:
            problems += [f"place: {p!r} in {text[:160]!r}" for p in foreign_places(text, own_facts, terms)]
        problems += [f"unit: {u!r} in {text[:120]!r}" for u in small_units(text)]
    return problems


# ----------------------------------------------------------------------------- rendering
_RESULTS: dict = {}


def _estimate(path: Path):
    """The site's estimate, alternatives and claims (once per test session)."""
    if path not in _RESULTS:
        from impact.claims import check_claims
        from impact.engine import estimate
        from impact.project import load_project
        from impact.scenarios import alternatives

        project = load_project(path)
        results = estimate(project, draws=200)
        alts = [(name, estimate(v, draws=200)) for name, v in alternatives(project)]
        _RESULTS[path] = (results, alts, check_claims(results))
    return _RESULTS[path]


FIGURES = (
    "map_small",
    "map_city",
    "map_nearest_text",
    "monthly",
    "cooling_modes",
    "tornado",
    "water",
    "carbon",
    "alternatives",
)


def render(path: Path, lang: str) -> str:
    import datetime as dt

    from impact.report.dossier import build_context, render_html

    results, alts, checks = _estimate(path)
    context = build_context(
        results,
        alts,
        checks,
        {k: None for k in FIGURES},
        lang=lang,
        author=None,
        date=dt.date(2026, 11, 25),
        fingerprint="0" * 16,
    )
    return render_html(context)


def _site(path: Path) -> Path:
    if path in NEEDS_SHARED and not SHARED_DATA.is_dir():
        pytest.skip("the climate file of this site is in ../shared/data")
    return path


def _terms(path: Path) -> tuple[str, ...]:
    return PLACE_TERMS + tuple(c for p, c in SITES.items() if p != path)


def own_facts(path: Path) -> str:
    """The site's own facts: its project file, the commune, département, région and EPCI the
    estimate placed it in, and the weather series chosen for it."""
    results, _, _ = _estimate(path)
    site = results.meta.get("site") or {}
    names = [v["name"] for v in site.values() if isinstance(v, dict) and v.get("name")]
    climate = results.meta.get("climate") or {}
    names.append(climate.get("station") or "")  # the weather series chosen for the site
    return path.read_text(encoding="utf-8") + "\n" + "\n".join(names)


SITE_IDS = {p: p.stem for p in SITES}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", list(SITES), ids=list(SITE_IDS.values()))
def test_the_dossier_is_true_for_its_site_and_in_its_language(path, lang):
    path = _site(path)
    html = render(path, lang)
    problems = check_text(visible_blocks(html), lang, own_facts(path), _terms(path))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", list(SITES), ids=list(SITE_IDS.values()))
def test_the_charts_speak_the_dossiers_language(path, lang):
    pytest.importorskip("matplotlib")
    from impact.report import charts

    path = _site(path)
    results, alts, _ = _estimate(path)
    figs = [
        charts.monthly_electricity(results, lang),
        charts.cooling_modes(results, lang),
        charts.water_bars(results, lang),
        charts.carbon_bars(results, lang),
    ]
    if alts:
        figs.append(
            charts.alternatives_bars([(n, a["facility_energy_mwh"]) for n, a in alts], "facility_energy_mwh", lang)
        )
    texts = []
    for fig in filter(None, figs):
        texts += [t.get_text() for t in fig.texts]
        for ax in fig.axes:
            texts += [t.get_text() for t in ax.texts] + [ax.get_xlabel(), ax.get_ylabel()]
            legend = ax.get_legend()
            if legend is not None:
                texts += [t.get_text() for t in legend.get_texts()]
    blocks = [(t.replace("\n", " "), True, True) for t in texts if t.strip()]
    # Scenario names are the project's own words (any language): language not checked.
    names = {n for n, _ in alts}
    blocks = [(t, t not in names, t not in names) for t, *_ in blocks]
    problems = check_text(blocks, lang, own_facts(path), _terms(path))
    assert not problems, "\n".join(problems)


def test_the_small_room_reads_in_kilowatts():
    path = DATA / "site-75-paris-room.yaml"
    results, _, _ = _estimate(path)
    assert results.inputs["it_capacity_mw"].value.central == pytest.approx(0.0409)  # 5 x 6.5 + 6 x 1.4 kW
    html = render(path, "fr")
    text = " ".join(t for t, *_ in visible_blocks(html))
    assert "40,9\u00a0kW" in text and "0,0409" not in text


def test_the_hourly_words_appear_only_when_the_hourly_model_ran():
    hottest, simulated = "l'heure la plus chaude", "8\u202f760 heures"
    seen = set()
    for path in SITES:
        if path in NEEDS_SHARED and not SHARED_DATA.is_dir():
            continue
        results, _, _ = _estimate(path)
        text = " ".join(t for t, *_ in visible_blocks(render(path, "fr")))
        ran = results.hourly is not None
        assert (hottest in text) == ran and (simulated in text) == ran, path.name
        if not ran:
            assert "Le modèle horaire n'a pas pu tourner" in text, path.name
        seen.add(ran)
    assert seen == {True, False}  # the test sites cover both cases


def test_the_detectors_catch_the_old_sentences():
    roubaix = (DATA / "site-59-roubaix.yaml").read_text(encoding="utf-8")
    terms = _terms(DATA / "site-59-roubaix.yaml")
    # (a) Sentences the dossier printed for every site before the catalogue.
    for old in (
        "L'eau des centrales est surtout celle du refroidissement des centrales nucléaires ; elle n'est pas "
        "prélevée à Marseille.",
        "Aucun besoin local sourcé pour cette ville (bus électriques, quais, logements) : à documenter.",
        "What connection capacity was requested from the grid operator, on which substation, and at the "
        "expense of which other needs (shore power, electric buses)?",
    ):
        assert foreign_places(old, roubaix, terms), old
    # ... while the site's own commune is allowed, and another test site's is not.
    assert not foreign_places("soit 4 % de la pointe de la ville (Roubaix).", roubaix, terms)
    assert foreign_places("Centres de données de Saint-Denis", roubaix, terms) == ["Saint-Denis"]
    # (b) The cooling model's English reason in a French sentence, English input notes in the
    # French annex, the English fallback of the annex note.
    for old in (
        "Le modèle horaire n'a pas pu tourner (no climate normals within 100 km of the site) : le PUE "
        "retenu est une fourchette de référence.",
        "not given: default used; once-through heat exchangers return the water they draw and evaporate "
        "none on site (assumption)",
        "inconnu : unknown, the hourly cooling model could not run: the cooling system is not described",
        "Sans modèle horaire (cooling model not run: the temperature of the river water is not known)",
    ):
        assert wrong_language(old, "fr"), old
    assert wrong_language("Son appel de puissance atteindrait 28,4 MW à l'heure la plus chaude de l'année", "en")
    for good in (
        "Le refroidissement est simulé heure par heure, avec le free cooling (« location-based »).",
        "Électricité totale du site : 140 GWh par an.",
    ):
        assert not wrong_language(good, "fr"), good
    # (c) A small server room in MW.
    assert small_units("Puissance informatique : 0,0409 MW") == ["0,0409 MW"]
    assert small_units("0.5 GWh a year")
    assert not small_units("40,9 kW ; 0,7 km ; 10,0 TWh ; 1,24 (1,21 à 1,30) ; 0 MW")


def test_the_detectors_see_the_text_and_skip_citations_and_marked_words():
    html = (
        '<html lang="fr"><head><title>x</title></head><body><p>Le site est ici.</p>'
        '<td class="source">gomet.net, Marseille, the source of it</td>'
        '<p>La note de la source : <q lang="en">the water of the port</q>.</p>'
        '<p class="data">Électrification des quais</p><p>the site of the project</p></body></html>'
    )
    blocks = visible_blocks(html)
    assert ("Le site est ici.", True, True) in blocks
    problems = check_text(blocks, "fr", "", PLACE_TERMS)
    assert problems == ["wrong language: 'the site of the project' in 'the site of the project'"]


def test_every_note_that_impact_writes_has_a_key():
    """Notes written by impact itself reach the dossier through the catalogue; the English
    ``note`` is then either covered by keys or is the reference table's own words."""
    for path in SITES:
        if path in NEEDS_SHARED and not SHARED_DATA.is_dir():
            continue
        results, _, _ = _estimate(path)
        for rec in results.inputs.values():
            if rec.note:
                assert rec.note_key or rec.source_note == rec.note, (path.name, rec.name, rec.note)
            if rec.status == "unknown" and not rec.source_key:
                # the source of an unknown input is then the reference table's own source text
                assert rec.source and not rec.source.startswith(("not ", "no ")), (path.name, rec.name, rec.source)


def test_reference_notes_are_shown_as_the_source_s_words_in_french():
    html = render(MRS5, "fr")
    # The physical-constants table's note on the density of fresh water, kept in English and marked so.
    assert '<q class="source-words" lang="en">999.10 at 15 °C' in html
    assert "Note de la source (en anglais)" in html


def test_every_method_the_engine_writes_has_a_translation():
    from impact.report.dossier import method_key

    for path in SITES:
        if path in NEEDS_SHARED and not SHARED_DATA.is_dir():
            continue
        results, alts, _ = _estimate(path)
        for r in [results] + [a for _, a in alts]:
            for ind in r.indicators.values():
                assert method_key(ind.method), (path.name, ind.name, ind.method)
