"""The dossier as a resident gets it: a PDF/A-3 that carries the estimate's figures,
embeds its fonts and inputs, is reproducible, safe, and never half-written."""

import json
import re
import shutil
import subprocess

import pytest

from impact.report import fmt

from .conftest import MRS5, run_cli

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

DATE = "2026-11-25"


def pdftext(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    """Text without any kind of space (pdftotext may render thin spaces differently)."""
    return re.sub(r"[\s\u00a0\u202f\u2009]+", "", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("dossier")
    pdf = out / "mrs5.pdf"
    r = run_cli("dossier", MRS5, "-o", pdf, "--date", DATE, "--author", "Camille Martin", "--html", out / "mrs5.html")
    assert r.returncode == 0, r.stderr
    return pdf


def test_outputs_are_written(built):
    assert built.exists() and built.with_suffix(".md").exists() and built.with_name("mrs5.html").exists()
    assert not [p for p in built.parent.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_pdf_carries_the_estimates_key_figures(built):
    est = json.loads(run_cli("estimate", MRS5, "--format", "json").stdout)["indicators"]
    text = squash(pdftext(built))
    for name in (
        "facility_energy_mwh",
        "it_energy_mwh",
        "peak_demand_mw",
        "water_withdrawal_m3",
        "co2e_location_t",
        "thermal_discharge_mw",
        "households_electricity_equiv",
    ):
        central, unit = est[name]["central"], est[name]["unit"]
        # In the unit it reads best in (140 GWh, 28,4 MW, 3,04 kt CO2e), three significant digits.
        assert squash(fmt.quantity(central, unit, "fr")) in text, name
    # The claim check: the promoter's 4.33 % beside the modelled saving.
    assert squash(fmt.percent(est["cooling_saving_share"]["central"], "fr")) in text
    assert "4,33%" in text


def test_document_structure_and_content(built):
    text = pdftext(built)
    for heading in (
        "Contribution à l'enquête publique",
        "Synthèse",
        "Le projet et son site",
        "Électricité et réseau",
        "Refroidissement",
        "Eau",
        "Climat",
        "Chaleur",
        "Sol",
        "Alternatives",
        "Vérification des affirmations",
        "Questions à poser",
        "Projet de contribution",
        "Annexes",
        "Reproductibilité",
    ):
        assert heading in text, heading
    assert "Camille Martin" in text and "25 novembre 2026" in text
    assert "inconnu" in text  # what the promoter did not publish is shown as unknown
    assert "Cap Janet" in text  # nearest substation on the map page


def test_pdf_is_valid_pdfa_with_embedded_fonts(built):
    assert subprocess.run(["qpdf", "--check", str(built)], capture_output=True).returncode == 0
    fonts = subprocess.run(["pdffonts", str(built)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    meta = subprocess.run(["pdfinfo", "-meta", str(built)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"pdfaid:part[^0-9]*3", meta) and re.search(r"pdfaid:conformance[^A-Z]*B", meta)


def test_project_file_and_results_are_attached(built, tmp_path):
    listing = subprocess.run(["pdfdetach", "-list", str(built)], capture_output=True, text=True, check=True).stdout
    assert "mrs5.yaml" in listing and "mrs5-estimate.csv" in listing
    subprocess.run(["pdfdetach", "-saveall", "-o", str(tmp_path), str(built)], check=True)
    assert (tmp_path / "mrs5.yaml").read_bytes() == MRS5.read_bytes()
    csv_text = (tmp_path / "mrs5-estimate.csv").read_text()
    assert csv_text == run_cli("estimate", MRS5, "--format", "csv").stdout


def test_two_builds_are_byte_identical(built, tmp_path):
    again = tmp_path / "again.pdf"
    r = run_cli("dossier", MRS5, "-o", again, "--date", DATE, "--author", "Camille Martin")
    assert r.returncode == 0, r.stderr
    assert again.read_bytes() == built.read_bytes()


def test_draft_contribution_is_written_next_to_the_pdf(built):
    md = built.with_suffix(".md").read_text(encoding="utf-8")
    assert md.startswith("# Contribution à l'enquête publique : projet MRS5")
    assert "## Questions" in md and "Camille Martin" in md


def test_html_opens_on_its_own(built):
    html = built.with_name("mrs5.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "file://" not in html


def test_markup_in_the_project_name_is_shown_literally(tmp_path):
    text = MRS5.read_text(encoding="utf-8").replace("name: MRS5", "name: '<img src=\"file:///etc/passwd\">'", 1)
    project = tmp_path / "evil.yaml"
    project.write_text(text, encoding="utf-8")
    pdf = tmp_path / "evil.pdf"
    r = run_cli("dossier", project, "-o", pdf, "--date", DATE)
    assert r.returncode == 0, r.stderr
    assert '<img src="file:///etc/passwd">' in pdftext(pdf)
    assert "root:" not in pdftext(pdf)
    listing = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True).stdout
    assert "2 embedded files" in listing and "passwd" not in listing
    assert "not loaded" not in r.stderr  # escaped: there was no element to load at all


def test_url_fetcher_blocks_other_files_and_the_network(tmp_path):
    import datetime as dt

    from impact.paths import templates_dir
    from impact.report.pdf import write_pdf

    html = (
        '<html><body><p>x</p><img src="file:///etc/passwd"><img src="http://example.org/a.png">'
        f'<img src="file://{tmp_path}/../secret.png"></body></html>'
    )
    blocked = write_pdf(
        html,
        tmp_path / "t.pdf",
        base_dir=templates_dir(),
        allowed_dirs=[templates_dir()],
        date=dt.date(2026, 1, 1),
        attachments=[],
    )
    assert "file:///etc/passwd" in blocked and "http://example.org/a.png" in blocked
    assert any("secret.png" in b for b in blocked)


def test_existing_file_is_not_overwritten_without_force(tmp_path):
    pdf = tmp_path / "mine.pdf"
    pdf.write_bytes(b"my own file")
    r = run_cli("dossier", MRS5, "-o", pdf, "--date", DATE)
    assert r.returncode == 2 and "already exists; use --force" in r.stderr and "Traceback" not in r.stderr
    assert pdf.read_bytes() == b"my own file"
    # the Markdown beside it is protected too
    md = tmp_path / "other.md"
    md.write_text("notes")
    r = run_cli("dossier", MRS5, "-o", tmp_path / "other.pdf", "--date", DATE)
    assert r.returncode == 2 and md.read_text() == "notes" and not (tmp_path / "other.pdf").exists()


def test_force_overwrites(tmp_path):
    pdf = tmp_path / "mine.pdf"
    pdf.write_bytes(b"old")
    r = run_cli("dossier", MRS5, "-o", pdf, "--date", DATE, "--force", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    text = pdftext(pdf)
    assert "Contribution to the public inquiry" in text and "Checking the claims" in text


def test_a_failed_run_leaves_no_file(tmp_path):
    text = MRS5.read_text(encoding="utf-8").replace("grid:\n", "grid:\n  eco2mix: missing-export.csv\n", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    r = run_cli("dossier", bad, "-o", tmp_path / "bad.pdf", "--date", DATE)
    assert r.returncode == 2 and "missing-export.csv" in r.stderr and "Traceback" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_bad_project_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ncountry: FR\nit_capacity_mw: -1\n")
    r = run_cli("dossier", bad, "-o", tmp_path / "x.pdf")
    assert r.returncode == 2 and "bad.yaml: it_capacity_mw: must be greater than 0, got -1" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


# No shipped climate in Corsica (nor without a location): the hourly model cannot run.
@pytest.mark.parametrize("where", ["location: {lat: 41.93, lon: 8.74}\n", ""])
def test_a_project_outside_marseille_builds_and_says_what_is_unknown(tmp_path, where):
    project = tmp_path / "ajaccio.yaml"
    project.write_text(
        "name: Ajaccio DC\noperator: Example\ncity: Ajaccio\ncountry: FR\n"
        + where
        + "it_capacity_mw: 8\ncooling: {type: air_chillers}\n",
        encoding="utf-8",
    )
    pdf = tmp_path / "ajaccio.pdf"
    r = run_cli("dossier", project, "-o", pdf, "--date", DATE)
    assert r.returncode == 0, r.stderr
    text = pdftext(pdf)
    assert "Ajaccio DC" in text and "Annexes" in text
    assert "Le modèle horaire n'a pas pu tourner" in text  # no climate for the place: said, not invented
    assert "Aucun besoin local sourcé pour Ajaccio" in text
    assert "inconnu" in text
