"""Issue 10's "done when": real projects in several régions get MRS5's depth.

From nothing but a project file (``data/projects/cases/``, each field from a public
source) and the real national ODRÉ substations file, ``impact dossier`` builds a full
dossier (a real WeasyPrint PDF) for sites in at least six régions of metropolitan
France: the hourly cooling model runs whenever the cooling type is known, the map has a
basemap, communes and substations, the commune's share of electricity is given with its
basis, and no sentence speaks of another place or is in the wrong language.
"""

from __future__ import annotations

import subprocess

import pytest

import impact

from .conftest import ROOT, SHARED_DATA
from .test_words import PLACE_TERMS, check_text, render, visible_blocks

CASES = sorted((ROOT / "data" / "projects" / "cases").glob("*.yaml"))
DATE = "2026-11-25"


def _shared():
    """../shared/data, as the ``shared_data`` fixture gives it (module scope here: the dossiers are built once)."""
    import os

    if not SHARED_DATA.is_dir():
        if os.environ.get("IMPACT_REQUIRE_SHARED_DATA"):
            pytest.fail(f"{SHARED_DATA} is missing (IMPACT_REQUIRE_SHARED_DATA is set)")
        pytest.skip(f"{SHARED_DATA} is not here: real-data tests skipped")
    return SHARED_DATA


def _with_odre(case, folder, shared):
    """The case file with ``context.substations`` = the national ODRÉ file (absolute path)."""
    odre = shared / "grid" / "postes-electriques-rte.utf8.csv"
    text = case.read_text(encoding="utf-8")
    assert "\ncontext:" not in text  # the cases give none: the file below is the only context
    path = folder / case.name
    path.write_text(text + f"\ncontext:\n  substations: {str(odre)!r}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each case: its project with the ODRÉ file, its estimate, and its French dossier (PDF + HTML)."""
    from impact.report.dossier import build_dossier

    shared_data = _shared()
    out = {}
    folder = tmp_path_factory.mktemp("regions")
    for case in CASES:
        path = _with_odre(case, folder, shared_data)
        results = impact.estimate(impact.load_project(path), draws=200)
        pdf = folder / f"{case.stem}.pdf"
        build_dossier(path, pdf, html_output=folder / f"{case.stem}.html", lang="fr", date=DATE, draws=200)
        out[case.stem] = (path, results, pdf, (folder / f"{case.stem}.html").read_text(encoding="utf-8"))
    return out


def test_the_cases_cover_six_regions(built):
    regions = {r.site.region.name for _, r, _, _ in built.values() if r.site.placed}
    assert len(regions) >= 6, regions


@pytest.mark.parametrize("case", [c.stem for c in CASES])
def test_a_full_dossier_for_each_case(built, case):
    path, r, pdf, html = built[case]
    # A real PDF, with the sections a resident files.
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    commune = r.site.commune.name
    for heading in ("Synthèse", "Le projet dans son territoire", "Questions à poser", "Projet de contribution"):
        assert heading in text, heading
    assert commune in text
    # The hourly cooling model runs whenever the cooling type is known (and says why not otherwise).
    if r.project.cooling is not None:
        assert r.meta["cooling_model"] == "hourly" and r["pue_modelled"].known, case
    else:
        assert r.meta["cooling_model_reason"] == "cooling_not_described"
    # The commune's share of electricity, with its basis (a sourced figure or a stated estimate).
    rec = r.inputs["city.annual_electricity_mwh"]
    assert r["share_of_city_electricity"].known and rec.source
    assert rec.note_key in ("note.local.city_electricity_estimate", "note.not_given")
    assert r["share_of_departement_electricity"].known and r["share_of_france_datacentres"].known
    # The nearest substations of the real ODRÉ file: in service, with a voltage, nearest first.
    subs = r.nearest_substations
    assert subs and all(s["voltage_kv"] and s["voltage_kv"] >= 45 for s in subs)
    assert [s["distance_km"] for s in subs] == sorted(s["distance_km"] for s in subs)


@pytest.mark.parametrize("case", [c.stem for c in CASES])
def test_the_map_has_a_basemap_communes_and_substations(built, case):
    from impact.project_data import load_context
    from impact.report import maps
    from impact.report.figures import map_context

    path, r, _, _ = built[case]
    fig = maps.site_map(r, scale="city", context=map_context(load_context(r.project)))
    layers = set(fig.impact_map["layers"])
    assert {"site", "communes"} <= layers, layers
    assert any(k.startswith("kv:") for k in layers) or fig.impact_map["outside"], layers
    assert fig.impact_map["connectable"], case  # the substations a project of this size can connect to
    sources = " ".join(fig.impact_map["sources"])
    assert "IGN" in sources and "RTE" in sources


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("case", [c.stem for c in CASES])
def test_no_sentence_from_another_place_nor_in_the_wrong_language(built, case, lang):
    # French: the HTML written beside the PDF by impact dossier; English: the same path, rendered.
    path, r, _, html = built[case]
    if lang == "en":
        html = render(path, "en")
    names = [t.name for t in (r.site.commune, r.site.departement, r.site.region, r.site.epci) if t is not None]
    names += [r.project.name, r.project.operator or "", str((r.meta.get("climate") or {}).get("station") or "")]
    own = path.read_text(encoding="utf-8") + "\n" + "\n".join(names)
    others = tuple(
        b.site.commune.name
        for _, b, _, _ in built.values()
        if b.site.placed and b.site.commune.code != r.site.commune.code
    )
    problems = check_text(visible_blocks(html), lang, own, PLACE_TERMS + others, names)
    assert not problems, "\n".join(problems)
