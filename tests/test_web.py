"""The web page and its API (issue 14), through FastAPI's test client.

The API is checked against the command line (same JSON document as ``impact estimate --format json``),
the form against the schema it is built from (a label for every input, the bounds, the « non publié »
choice), and the pages for what a person sees: the key figures, the messages beside their fields,
nothing typed lost, user text never markup. The real browser test is tests/test_web_browser.py.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from impact.errors import InputError
from impact.web import form as F
from impact.web import service as S
from impact.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
MRS5 = ROOT / "data" / "projects" / "mrs5.yaml"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


@pytest.fixture(scope="module")
def cli_json(tmp_path_factory) -> dict:
    """The command line's document, from a child process as a person runs it."""
    out = subprocess.run(
        [sys.executable, "-m", "impact", "estimate", str(MRS5), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    return json.loads(out.stdout)


def _upload(path_or_bytes, name="mrs5.yaml"):
    raw = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    return {"project": (name, io.BytesIO(raw), "application/yaml")}


# --------------------------------------------------------------------------- API


def test_api_estimate_is_the_command_line_document(client, cli_json):
    r = client.post("/api/estimate", files=_upload(MRS5))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    got = r.json()
    # The whole document, figures, ranges, sources and fingerprint, equal to the CLI's.
    assert got == cli_json
    assert (
        got["indicators"]["facility_energy_mwh"]["central"] == cli_json["indicators"]["facility_energy_mwh"]["central"]
    )


@pytest.mark.parametrize(
    "text, field",
    [
        (b"name: X\ncountry: FR\nit_capacity_mw: 10\npue: 9\n", "pue"),  # above the schema's bound (5)
        (b"country: FR\nit_capacity_mw: 10\n", "name"),  # required
        (b"name: X\ncountry: FR\nit_capacity_mw: 10\ncooling: {type: fridge}\n", "cooling.type"),
        (b"name: [unclosed\n", ""),  # not YAML: the whole file
    ],
)
def test_api_bad_project_is_422_with_field_and_message(client, text, field):
    r = client.post("/api/estimate", files=_upload(text, "bad.yaml"))
    assert r.status_code == 422
    problems = r.json()
    assert isinstance(problems, list) and problems
    assert all(set(p) == {"field", "message"} and p["message"] for p in problems)
    assert field in [p["field"] for p in problems]


def test_api_upload_over_5_mb_is_413_and_5_mb_is_read(client):
    over = b"#" * (S.MAX_UPLOAD_BYTES + 1)
    assert client.post("/api/estimate", files=_upload(over, "big.yaml")).status_code == 413
    assert client.post("/api/dossier", files=_upload(over, "big.yaml")).status_code == 413
    # Exactly 5 MB is read (a YAML comment: no project in it, hence 422, not 413).
    r = client.post("/api/estimate", files=_upload(b"#" * S.MAX_UPLOAD_BYTES, "big.yaml"))
    assert r.status_code == 422


def test_api_without_the_project_field_is_422(client):
    r = client.post("/api/estimate", files={"other": ("x.yaml", io.BytesIO(b"name: X"), "application/yaml")})
    assert r.status_code == 422 and r.json()[0]["field"] == "project"


def test_api_schema_is_the_project_json_schema(client):
    from impact.schema import project_json_schema

    r = client.get("/api/schema")
    assert r.status_code == 200
    assert r.json() == json.loads(json.dumps(project_json_schema()))


def test_the_web_reads_no_server_path(client, tmp_path):
    # Every data-file field of the schema is refused, also inside an alternative's changes.
    assert {"climate.epw", "grid.eco2mix", "land.parcels", "context.registry"} <= set(S.path_fields())
    text = (
        "name: X\ncountry: FR\nit_capacity_mw: 10\nclimate: {epw: /etc/weather.epw}\n"
        "alternatives:\n  - name: A\n    changes: {grid: {eco2mix: ../../secret.csv}}\n"
    )
    r = client.post("/api/estimate", files=_upload(text.encode(), "x.yaml"))
    assert r.status_code == 422
    fields = {p["field"] for p in r.json()}
    assert {"climate.epw", "alternatives[0].changes.grid.eco2mix"} <= fields


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (make system-deps) is missing")
def test_api_dossier_is_a_pdf_of_the_project(client, tmp_path):
    r = client.post("/api/dossier", files=_upload(MRS5))
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    pdf = tmp_path / "d.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "MRS5" in text and "Digital Realty" in text


def test_api_dossier_bad_project_is_422(client):
    r = client.post("/api/dossier", files=_upload(b"name: X\ncountry: FR\nit_capacity_mw: -1\n", "bad.yaml"))
    assert r.status_code == 422 and "it_capacity_mw" in [p["field"] for p in r.json()]


# --------------------------------------------------------------------------- the form


class _Inputs(HTMLParser):
    """The form's controls and labels."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.labels: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea"):
            self.controls.append({"tag": tag, **a})


def _controls(html: str) -> _Inputs:
    p = _Inputs()
    p.feed(html)
    return p


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_input_of_the_form_has_a_label(client, lang):
    r = client.get("/" + ("?lang=en" if lang == "en" else ""))
    assert r.status_code == 200
    assert f'<html lang="{lang}">' in r.text
    p = _controls(r.text)
    visible = [c for c in p.controls if c.get("type") != "hidden" and "hidden" not in c]
    assert len(visible) > 60  # the schema's fields are there
    unlabelled = [c for c in visible if c.get("id") not in p.labels]
    assert not unlabelled, unlabelled[:5]
    ids = [c["id"] for c in visible]
    assert len(ids) == len(set(ids))  # one id per control


def test_the_form_is_built_from_the_schema():
    from impact.schema import field_table, project_json_schema

    schema = project_json_schema()
    names = {f.name for f in F.all_fields()}
    # every top-level value and block of the schema is in the form, or in the « autres éléments » box
    for top in schema["properties"]:
        rows = (*F.ROW_LISTS, F.ALTERNATIVES)
        assert top in F.OTHER or top in rows or any(n == top or n.startswith(top + ".") for n in names), top
    pue = next(f for f in F.all_fields() if f.name == "pue")
    spec = field_table()["pue"]
    assert (pue.kind, pue.unknown) == ("range", True)
    assert pue.bounds == {"minimum": spec.minimum, "maximum": spec.maximum}
    cooling = next(f for f in F.all_fields() if f.name == "cooling.type")
    assert "river" in cooling.choices and cooling.required
    assert not names & set(S.path_fields())  # no server path in the form


def test_the_form_shows_unit_example_range_and_not_published(client):
    html = client.get("/").text
    i = html.index('for="f-it_capacity_mw"')
    block = html[i : html.index("</details>", i)]
    assert "Puissance informatique" in block
    assert "Unité : MW" in block and "Exemple : 22" in block
    assert "(&gt; 0, ≤ 5000)" in block
    assert 'name="it_capacity_mw.unknown"' in block and "non publié" in block
    assert 'name="it_capacity_mw.low"' in block and 'name="it_capacity_mw.high"' in block
    assert "raccordement au réseau" in block  # the pitfall: IT power versus grid power
    assert "« 100 % renouvelable »" in html  # the pitfall of the contracts
    en = client.get("/?lang=en").text
    assert "IT power" in en and "Unit: MW" in en and "not published" in en


def _mrs5_values() -> dict[str, str]:
    return F.values_from_data(yaml.safe_load(MRS5.read_text(encoding="utf-8")))


def test_a_project_file_goes_to_the_form_and_back_unchanged():
    data = yaml.safe_load(MRS5.read_text(encoding="utf-8"))
    values = F.values_from_data(data)
    assert values["pue"] == "1.3" and values["utilisation.unknown"] == "on"
    assert values["cooling.type"] == "river" and values["claims.1.indicator"] == "pue"
    back, problems = F.data_from_values(values)
    assert problems == {}
    assert back == data


def test_upload_fills_the_form_and_download_gives_the_project_back(client):
    r = client.post("/", data={"action": "upload", "lang": "fr"}, files=_upload(MRS5))
    assert r.status_code == 200
    assert 'id="f-name" name="name" value="MRS5"' in r.text
    assert 'id="f-cooling-water_in_c" name="cooling.water_in_c" value="15"' in r.text
    values = _mrs5_values()
    r = client.post("/", data={**values, "action": "download_project", "lang": "fr"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert yaml.safe_load(r.text) == yaml.safe_load(MRS5.read_text(encoding="utf-8"))


def test_posting_mrs5_s_values_gives_the_result_page_with_its_key_figures(client, cli_json):
    from impact.report import narrative

    r = client.post("/", data={**_mrs5_values(), "action": "estimate", "lang": "fr"})
    assert r.status_code == 200, r.text[:2000]
    assert "Estimation pour MRS5" in r.text
    # The key figures as the dossier words them, from the same estimate as the CLI.
    import impact

    results = impact.estimate(impact.load_project(MRS5))
    for name in ("facility_energy_mwh", "peak_demand_mw", "co2e_location_t"):
        text = narrative.value_text(results, name, "fr")
        assert text.replace("'", "&#39;") in r.text, name
    # the CLI's central value of the energy, in GWh as the page shows it (3 significant digits)
    gwh = cli_json["indicators"]["facility_energy_mwh"]["central"] / 1000
    assert f"{gwh:.0f}\xa0GWh" in r.text
    for what in ("Les annonces du porteur vérifiées", "Questions à poser", "Projet de contribution"):
        assert what in r.text
    for action in ("/dossier", "/download/estimate.csv", "/download/estimate.json", "/download/draft-contribution.txt"):
        assert action in r.text


def test_a_bad_value_comes_back_beside_its_field_and_nothing_typed_is_lost(client):
    values = {**_mrs5_values(), "pue": "1,3,4", "cooling.water_in_c": "99", "operator": "Opérateur « test »"}
    r = client.post("/", data={**values, "action": "estimate", "lang": "fr"})
    assert r.status_code == 422
    html = r.text
    # the message sits in the field's block, before its input, and the input points at it
    for name, message in (
        ("pue", "Un nombre est attendu"),
        ("cooling-water_in_c", "Une valeur de -2 à 40 est attendue"),
    ):
        i = html.index(f'id="f-{name}-error"')
        assert message in html[i : i + 200]
        j = html.index(f'id="f-{name}"', i)
        assert f"f-{name}-error" in html[j : j + 300] and 'aria-invalid="true"' in html[j : j + 300]
    assert "2 champ(s) à corriger" in html
    assert 'value="1,3,4"' in html and 'value="99"' in html  # as typed
    assert 'value="Opérateur « test »"' in html and 'value="Digital Realty"' not in html
    assert 'name="claims.0.source" value="Promoter&#39;s figure' in html
    assert "Galerie de la Mer" in html  # the « autres éléments » box kept


def test_a_rule_of_the_loader_comes_back_beside_its_field(client):
    # 10 °C out for 15 °C in: the project's own rule (out above in), named by the loader
    values = {**_mrs5_values(), "cooling.water_out_c": "10"}
    r = client.post("/", data={**values, "action": "estimate", "lang": "fr"})
    assert r.status_code == 422
    assert re.search(r'id="f-cooling-water_\w+_c-error">[^<]*water_out_c', r.text)


def test_a_missing_required_field_is_named(client):
    r = client.post("/", data={"name": "", "country": "FR", "it_capacity_mw": "10", "action": "estimate"})
    assert r.status_code == 422
    i = r.text.index('id="f-name-error"')
    assert "Obligatoire" in r.text[i : i + 100]


def test_user_text_is_never_markup(client):
    values = {**_mrs5_values(), "name": '<script>alert("x")</script>', "claims.0.note": "<img src=x onerror=alert(1)>"}
    for action, status in (("estimate", 200), ("add_row_claims", 200)):
        r = client.post("/", data={**values, "action": action, "lang": "fr"})
        assert r.status_code == status
        assert "<script>alert" not in r.text and "<img src=x" not in r.text
        assert "&lt;script&gt;" in r.text
    assert "script-src" not in r.headers["content-security-policy"]  # no script at all
    assert r.headers["content-security-policy"].startswith("default-src 'none'")


def test_the_commune_is_found_by_name_or_insee_code(client):
    from impact.sources.france import commune

    r = client.post("/", data={"commune_query": "13055", "action": "find_commune", "lang": "fr"})
    assert 'name="use_commune" value="13055"' in r.text
    r = client.post("/", data={"commune_query": "saint-flour", "action": "find_commune", "lang": "fr"})
    assert re.search(r'name="use_commune" value="15187">Saint-Flour \(15187, Cantal\)', r.text)
    r = client.post("/", data={"use_commune": "15187", "name": "Mon projet", "lang": "fr"})
    c = commune("15187")
    assert f'name="location.lat" value="{c.lat:.5f}"' in r.text
    assert 'name="city" value="Saint-Flour"' in r.text and 'value="Mon projet"' in r.text
    assert re.search(
        r'name="location.approximate"[^>]*>\s*<option value="">[^<]*</option>\s*<option value="yes" selected', r.text
    )
    r = client.post("/", data={"commune_query": "zzzzqqq", "action": "find_commune", "lang": "fr"})
    assert "Aucune commune ne correspond à zzzzqqq." in r.text


def test_claim_rows_are_added_one_by_one(client):
    r = client.post("/", data={"claims.0.indicator": "pue", "action": "add_row_claims", "lang": "en"})
    assert 'id="f-claims-1-indicator"' in r.text and 'id="f-claims-2-indicator"' not in r.text


def test_downloads_of_the_result(client, cli_json):
    text = MRS5.read_text(encoding="utf-8")
    r = client.post("/download/estimate.json", data={"project_yaml": text})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert json.loads(r.text)["indicators"]["pue"] == cli_json["indicators"]["pue"]
    r = client.post("/download/estimate.csv", data={"project_yaml": text})
    assert r.text.splitlines()[0].startswith("indicator") and "facility_energy_mwh" in r.text
    r = client.post("/download/draft-contribution.txt", data={"contribution": "## Titre\n\n**Gras** <b>x</b>\n* point"})
    assert r.text == "Titre\n\nGras <b>x</b>\n- point"
    assert r.headers["content-type"].startswith("text/plain") and "attachment" in r.headers["content-disposition"]
    r = client.post("/download/draft-contribution.md", data={"contribution": "## Titre\r\n"})
    assert r.text == "## Titre\n"


# --------------------------------------------------------------------------- dossier jobs


def test_the_dossier_job_queues_refreshes_and_sends_the_pdf_once(monkeypatch):
    calls = []

    def fake(path, lang="fr", timeout=0):
        calls.append((path.parent, lang))
        time.sleep(0.3)
        return S.DossierFiles(b"%PDF-1.7 fake", "draft", 0.3)

    monkeypatch.setattr(S, "build_dossier_files", fake)
    with TestClient(create_app(running=1)) as c:
        text = MRS5.read_text(encoding="utf-8")
        first = c.post("/dossier", data={"project_yaml": text, "lang": "fr"}, follow_redirects=False)
        second = c.post("/dossier", data={"project_yaml": text, "lang": "fr"}, follow_redirects=False)
        assert first.status_code == second.status_code == 303
        page = c.get(second.headers["location"]).text
        assert '<meta http-equiv="refresh"' in page
        assert "position 1 dans la file" in page or "En cours" in page
        for _ in range(600):
            page = c.get(second.headers["location"]).text
            if "prêt" in page:
                break
            time.sleep(0.1)
        assert "Le dossier est prêt" in page and '<meta http-equiv="refresh"' not in page
        link = re.search(r'href="(/jobs/[^"]+/pdf)"', page)[1]
        folder = calls[-1][0]
        assert folder.exists()
        r = c.get(link)
        assert r.content == b"%PDF-1.7 fake" and r.headers["content-type"] == "application/pdf"
        assert not folder.exists()  # removed once sent
        assert c.get(link).status_code == 404


def test_a_dossier_over_the_time_limit_is_stopped(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(MRS5.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(S.JobFailed) as exc:
        S.build_dossier_files(path, "fr", timeout=0.05)
    assert exc.value.reason == "timeout"


def test_the_queue_keeps_the_order_and_the_limit():
    import threading

    q = S.JobQueue(running=1, waiting=2)
    a, b = q.ticket(), q.ticket()
    with pytest.raises(IndexError):
        q.ticket()
    assert (q.position(a), q.position(b)) == (1, 2)
    order = []
    started = threading.Event()

    def run(t):
        with q.slot(t):
            order.append(t)
            started.set()
            time.sleep(0.05)

    tb = threading.Thread(target=run, args=(b,))
    tb.start()
    time.sleep(0.1)
    assert order == []  # b waits behind a
    run(a)
    tb.join(5)
    assert order == [a, b] and q.position(b) == 0


# --------------------------------------------------------------------------- serve


def test_estimate_and_help_do_not_import_the_web_stack():
    code = (
        "import sys; from impact.cli import main; main(['check', %r]); "
        "bad = [m for m in ('fastapi', 'starlette', 'uvicorn', 'impact.web') if m in sys.modules]; "
        "assert not bad, bad" % str(MRS5)
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True, env={"PYTHONPATH": str(ROOT)}
    )


def test_serve_says_when_the_network_can_reach_it():
    from impact.web import serve_message

    assert "only this computer" in serve_message("127.0.0.1", 8000)
    assert "REACHABLE FROM THE NETWORK" in serve_message("0.0.0.0", 8000)
    assert "ACCESSIBLE DEPUIS LE RÉSEAU" in serve_message("192.168.1.5", 8080, "fr")


def test_serve_refuses_a_bad_port(capsys):
    from impact.cli import main

    assert main(["serve", "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err


def test_back_from_the_result_page_gives_the_form_as_it_was_sent(client):
    r = client.post("/", data={"action": "edit", "lang": "fr", "project_yaml": MRS5.read_text(encoding="utf-8")})
    assert r.status_code == 200
    assert 'id="f-name" name="name" value="MRS5"' in r.text
    assert re.search(r'id="f-pue-unknown"[^>]*>', r.text) and 'name="pue" value="1.3"' in r.text


def test_the_empty_form_proposes_france():
    with TestClient(create_app()) as c:
        assert 'id="f-country" name="country" value="FR"' in c.get("/").text


def test_the_result_page_shows_the_map_and_charts_with_a_text_alternative(client):
    r = client.post("/", data={**_mrs5_values(), "action": "estimate", "lang": "fr"})
    imgs = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]{1000,})" alt="([^"]+)">', r.text)
    assert len(imgs) == 4  # the map, electricity month by month, water, greenhouse gases
    assert all(len(alt) > 20 for _, alt in imgs)
    import base64

    assert all(base64.b64decode(data[:200] + "=" * (-len(data[:200]) % 4)).startswith(b"\x89PNG") for data, _ in imgs)
    assert "img-src 'self' data:" in r.headers["content-security-policy"]


def test_the_error_summary_links_to_each_field(client):
    values = {**_mrs5_values(), "pue": "x", "claims.1.value": "beaucoup"}
    r = client.post("/", data={**values, "action": "estimate", "lang": "fr"})
    assert '<a href="#f-pue">PUE : Un nombre est attendu' in r.text
    assert '<a href="#f-claims-1-value">Annonce 2 – Valeur annoncée : Un nombre est attendu' in r.text
    assert 'id="f-claims-1-value"' in r.text


def test_a_loader_rule_is_said_in_the_page_s_language(client):
    # (the loader's messages carry their catalogue key since round 3: tests/test_web_round3.py)
    values = {**_mrs5_values(), "cooling.water_out_c": "10"}
    r = client.post("/", data={**values, "action": "estimate", "lang": "fr"})
    i = r.text.index('id="f-cooling-water_out_c-error"')
    assert "L&#39;eau rendue (water_out_c, 10 °C) doit être plus chaude" in r.text[i : i + 300]
    assert "message en anglais" not in r.text


def test_a_dead_server_s_job_folders_are_removed_at_start(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = tmp_path / "impact-webjob-999999999-abc"  # no such process
    dead.mkdir()
    (dead / "job.pdf").write_bytes(b"%PDF")
    mine = tmp_path / "impact-webjob-1-abc"  # pid 1 is alive: not ours to remove
    mine.mkdir()
    create_app()
    assert not dead.exists() and mine.exists()


def test_the_other_language_keeps_what_is_typed(client):
    r = client.post("/", data={"name": "Mon projet", "pue": "1,4", "action": "switch_lang", "lang": "fr"})
    assert '<html lang="en">' in r.text and 'value="Mon projet"' in r.text and 'value="1,4"' in r.text
    assert "IT power" in r.text


def test_the_uploaded_file_is_closed_after_the_response(client, monkeypatch):
    from starlette.datastructures import UploadFile

    closed = []
    original = UploadFile.close

    async def close(self):
        closed.append(self.filename)
        await original(self)

    monkeypatch.setattr(UploadFile, "close", close)
    r = client.post("/api/estimate", files=_upload(b"name: [bad\n", "x.yaml"))
    assert r.status_code == 422 and "x.yaml" in closed


def test_alternatives_are_rows_of_changed_values(client):
    values = _mrs5_values()
    assert values["alternatives.1.changes.0.field"] == "cooling.type"
    assert "alternatives" not in values.get(F.OTHER_NAME, "")  # rows, not YAML
    r = client.post("/", data={**values, "action": "add_alternative", "lang": "fr"})
    assert 'id="f-alternatives-4-name"' in r.text and 'id="f-alternatives-5-name"' not in r.text
    assert re.search(r'name="alternatives.1.changes.0.field">.*?<option value="cooling.type" selected', r.text, re.S)
    # a new alternative typed by hand: IT power halved, PUE « non publié »
    typed = {
        **values,
        "alternatives.4.name": "Quart de la capacité",
        "alternatives.4.changes.0.field": "it_capacity_mw",
        "alternatives.4.changes.0.value": "5,5",
        "alternatives.4.changes.1.field": "pue",
        "alternatives.4.changes.1.value": "non publié",
    }
    data, problems = F.data_from_values(typed)
    assert problems == {}
    assert data["alternatives"][-1] == {
        "name": "Quart de la capacité",
        "changes": {"it_capacity_mw": 5.5, "pue": "unknown"},
    }
    # a bad value comes back beside its row, the rest kept
    bad = {**typed, "alternatives.4.changes.0.value": "9999", "alternatives.4.changes.1.field": "name"}
    r = client.post("/", data={**bad, "action": "estimate", "lang": "fr"})
    assert r.status_code == 422
    i = r.text.index('id="f-alternatives-4-changes-0-value-error"')
    assert "Plus de 0 et au plus 5\u202f000 est attendu." in r.text[i : i + 200]  # 0 excluded (schema)
    assert 'id="f-alternatives-4-changes-1-field-error"' in r.text  # the name is not a change
    assert 'value="Quart de la capacité"' in r.text and 'value="9999"' in r.text
    assert '<a href="#f-alternatives-4-changes-0-value">Variante 5 – Nouvelle valeur 1 :' in r.text


def test_an_alternative_that_is_no_row_stays_in_the_yaml_box():
    data = {"name": "X", "country": "FR", "alternatives": [{"name": "A", "changes": {"assumptions": {"pue": 1.5}}}]}
    values = F.values_from_data(data)
    assert not any(k.startswith("alternatives.") for k in values)
    assert "assumptions" in values[F.OTHER_NAME]
    assert F.data_from_values(values) == (data, {})


@pytest.mark.parametrize(
    "bounds, x, words",
    [
        ({"minimum": 1, "maximum": 5}, 9, "Une valeur de 1 à 5 est attendue."),
        ({"exclusiveMinimum": 0, "maximum": 1}, 0, "Plus de 0 et au plus 1 est attendu."),
        ({"minimum": 0, "exclusiveMaximum": 1}, 1, "Au moins 0 et moins de 1 est attendu."),
        ({"exclusiveMinimum": 0, "exclusiveMaximum": 1}, 1, "Plus de 0 et moins de 1 est attendu."),
        ({"minimum": 0}, -1, "Au moins 0 est attendu."),
        ({"exclusiveMinimum": 0}, 0, "Plus de 0 est attendu."),
        ({"maximum": 8760}, 9000, "Au plus 8760 est attendu."),
    ],
)
def test_each_kind_of_bound_is_said_as_it_is(bounds, x, words):
    from impact.web.app import _problem_text

    f = F.Field("x", "number", "-", False, False, (), bounds)
    assert F._bound_problem(f, x - 0.0) is not None
    low = bounds.get("minimum", bounds.get("exclusiveMinimum"))
    high = bounds.get("maximum", bounds.get("exclusiveMaximum"))
    inside = (low + high) / 2 if low is not None and high is not None else (low + 1 if low is not None else high - 1)
    assert F._bound_problem(f, inside) is None
    assert _problem_text(F._bound_problem(f, x), "fr").replace("\u202f", "") == words


def test_equipment_rows_instead_of_the_it_power(client):
    data = {
        "name": "GPU",
        "country": "FR",
        "equipment": [{"kind": "gpu_server", "count": 48, "power_kw": {"low": 8, "central": 10, "high": 12}}],
    }
    values = F.values_from_data(data)
    assert values["equipment.0.power_kw.low"] == "8" and values["equipment.0.count"] == "48"
    assert F.data_from_values(values) == (data, {})
    r = client.post("/", data={**values, "equipment.0.count": "1,5", "action": "estimate", "lang": "fr"})
    i = r.text.index('id="f-equipment-0-count-error"')
    assert "Un nombre entier est attendu." in r.text[i : i + 100]
    assert '<a href="#f-equipment-0-count">Équipement 1 – Nombre d&#39;unités :' in r.text
    r = client.post("/", data={**values, "action": "estimate", "lang": "fr"})
    assert r.status_code == 200 and "Estimation pour GPU" in r.text


CASES = sorted((ROOT / "data" / "projects" / "cases").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "data").glob("site-*.yaml")
)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_shipped_project_goes_through_the_form_unchanged(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    values = F.values_from_data(data)
    back, problems = F.data_from_values(values)
    assert problems == {}, problems
    # equal, a date written "2024-11-15" (text) or 2024-11-15 (a YAML date) being the same day for the loader
    assert _days_as_text(back) == _days_as_text(data)


def _days_as_text(node):
    if isinstance(node, dict):
        return {k: _days_as_text(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_days_as_text(v) for v in node]
    return node.isoformat() if isinstance(node, datetime.date) else node


def test_the_authority_s_opinion_and_its_recommendations_are_rows():
    data = {
        "name": "X",
        "country": "FR",
        "it_capacity_mw": 10,
        "authority_opinion": {
            "authority": "MRAe",
            "date": datetime.date(2021, 6, 15),
            "recommendations": [
                {"ref": "R1", "topic": "water", "text": "Préciser le débit"},
                {"text": "Chiffrer le bruit"},
            ],
        },
    }
    values = F.values_from_data(data)
    assert values["authority_opinion.recommendations.1.text"] == "Chiffrer le bruit"
    assert F.OTHER_NAME not in values
    assert F.data_from_values(values) == (data, {})
    values["authority_opinion.recommendations.1.text"] = ""
    values["authority_opinion.recommendations.1.ref"] = "R2"
    values["authority_opinion.date"] = "2021-02-30"
    _, problems = F.data_from_values(values)
    assert problems == {
        "authority_opinion.recommendations.1.text": ("web.error.required_in_row", {}),
        "authority_opinion.date": ("web.error.date", {}),  # no such day
    }


def test_the_result_page_in_english(client):
    r = client.post("/", data={**_mrs5_values(), "action": "estimate", "lang": "en"})
    assert r.status_code == 200 and '<html lang="en">' in r.text
    assert "Estimate for MRS5" in r.text and "Key figures" in r.text and "Questions to ask" in r.text


@pytest.mark.parametrize(
    "failure, words",
    [
        (S.JobFailed("timeout"), "a dépassé le temps limite (300 s)"),
        (S.JobFailed("failed", "Traceback"), "pas pu être construit"),
        (InputError("project.yaml", [("alternatives[0].changes", "must be a mapping")]), "must be a mapping"),
    ],
)
def test_a_dossier_that_fails_says_why(monkeypatch, failure, words):
    def fail(path, lang="fr", timeout=0):
        raise failure

    monkeypatch.setattr(S, "build_dossier_files", fail)
    with TestClient(create_app()) as c:
        r = c.post("/dossier", data={"project_yaml": MRS5.read_text(encoding="utf-8"), "lang": "fr"})
        for _ in range(600):  # a minute at most on a loaded machine
            if "refresh" not in r.text:
                break
            time.sleep(0.1)
            r = c.get(r.url.path + "?lang=fr")
        assert words in r.text, re.search(r"job-status\">([^<]*)", r.text)
        assert "Traceback" not in r.text and '<meta http-equiv="refresh"' not in r.text


def test_a_choice_s_example_is_said_in_words_and_a_date_has_no_unit(client):
    html = client.get("/").text
    i = html.index('id="f-procedure-type-help"')
    assert "Exemple : Enquête publique" in html[i : i + 400]
    i = html.index('id="f-procedure-start-help"')
    assert "Unité" not in html[i : html.index("</p>", i)]


def test_another_site_s_page_cannot_post_here(client):
    files = _upload(b"name: [bad\n", "x.yaml")
    r = client.post("/api/estimate", files=files, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    r = client.post("/api/estimate", files=_upload(b"name: [bad\n", "x.yaml"), headers={"Origin": "http://testserver"})
    assert r.status_code == 422  # the page's own origin goes through (and scripts send none)


def test_the_small_labels_say_which_field_they_belong_to(client):
    html = client.get("/").text
    assert '<label for="f-pue-low">bas<span class="vh"> – PUE</span></label>' in html
    assert '<label for="f-pue-unknown">non publié<span class="vh"> – PUE</span></label>' in html
