"""Issue 14, round 3: the loader's messages in French on the web page, beside their fields.

Every message the project loader can give (impact/project.py and what it calls) carries a catalogue
key and its parameters (:class:`impact.errors.RuleError`, :class:`impact.errors.Said`); the command
line keeps its English words, the web page says them from the catalogue in its language.
"""

from __future__ import annotations

import ast
import base64
import html
import io
import re
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from impact.errors import InputError, Said
from impact.project import parse_project_text
from impact.report.catalogue import catalogue, placeholders
from impact.web import form as F
from impact.web.app import create_app, said_text

from .test_web import cli_json  # noqa: F401  (the command line's document, one fixture for both files)

ROOT = Path(__file__).resolve().parents[1]
MRS5 = ROOT / "data" / "projects" / "mrs5.yaml"
#: The loader and what it calls to check a project (the web's own refusals too).
LOADER_FILES = [
    "impact/project.py",
    "impact/ranges.py",
    "impact/construction.py",
    "impact/units.py",
    "impact/inputs.py",
    "impact/web/service.py",
]
#: ``raise ValueError(...)`` left in those files: not a message of a project (a table of the code).
NOT_A_PROJECT_S_MESSAGE = {"data/schema/project_fields.csv: the path"}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def _trees():
    for name in LOADER_FILES:
        yield name, ast.parse((ROOT / name).read_text(encoding="utf-8"))


def _keys_in_code() -> set[str]:
    """Every ``loader.*`` key written in the loader's files."""
    out = set()
    for _, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if re.fullmatch(r"loader\.[a-z_.]+", node.value):
                    out.add(node.value)
    return out


def _calls() -> list[tuple[str, str, set[str]]]:
    """(file, key, parameter names) of each ``RuleError(key, text, **params)`` and ``Said(text, key, {...})``
    whose key is written out."""
    out = []
    for name, tree in _trees():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("RuleError", "Said")):
                continue
            if node.func.id == "RuleError":
                key, params = node.args[0], {k.arg for k in node.keywords}
            elif len(node.args) >= 2:
                key = node.args[1]
                params = set()
                if len(node.args) > 2 and isinstance(node.args[2], ast.Dict):
                    params = {k.value for k in node.args[2].keys if isinstance(k, ast.Constant)}
            else:
                continue
            if isinstance(key, ast.Constant):
                out.append((name, key.value, params))
    return out


def test_every_message_of_the_loader_has_a_key_and_french_words():
    keys = _keys_in_code()
    assert len(keys) > 80  # the scan sees the loader's messages
    fr, en = catalogue("fr"), catalogue("en")
    for key in sorted(keys):
        assert fr.has(key), f"{key}: no French words (templates/catalogue/fr/web_messages.yaml)"
        assert en.has(key), f"{key}: no English words (templates/catalogue/en/web_messages.yaml)"
        assert fr.text(key) != en.text(key), f"{key}: the French text is the English one"
    for name, key, params in _calls():
        if key.startswith("loader."):
            missing = placeholders(fr.text(key)) - params
            assert not missing, f"{name}: {key}: the catalogue asks for {missing}, the code gives {params}"


def test_no_plain_value_error_is_left_in_the_loader():
    """A ``raise ValueError("...")`` would reach the page in English: every rule raises a RuleError."""
    for name, tree in _trees():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            if getattr(node.exc.func, "id", None) != "ValueError" or not node.exc.args:
                continue
            text = ast.unparse(node.exc.args[0])
            assert any(allowed in text for allowed in NOT_A_PROJECT_S_MESSAGE), f"{name}:{node.lineno}: {text}"


BASE = "name: X\ncountry: FR\nit_capacity_mw: 10\n"

#: A project breaking a rule, the key its message carries and the command line's English words
#: (as they were before the keys: the command line says the same).
CASES = [
    (
        BASE + "cooling: {type: river, water_in_c: 15, water_out_c: 10}\n",
        "loader.cooling.water_rise",
        "water_out_c (10) must be warmer than water_in_c (15)",
    ),
    (
        BASE + "cooling: {type: river, water_in_c: {low: 10, central: 12, high: 20}, water_out_c: 18}\n",
        "loader.cooling.water_rise_always",
        "water_out_c must be warmer than water_in_c in every case: its low (18) is not above water_in_c's high (20)",
    ),
    (
        BASE + "generators: {count: 10, unit_mw: 3, total_mw: 30}\n",
        "loader.generators.both",
        "give either count x unit_mw or total_mw (the installed power), not both",
    ),
    (BASE + "assumptions: {cooling.supply_c: 999}\n", "loader.bounds.between", "must be between 5 and 45, got 999"),
    (
        BASE.replace("10\n", "{low: 5, central: 3, high: 9}\n"),
        "loader.range.order",
        "must satisfy low <= central <= high, got low=5, central=3, high=9",
    ),
    (
        BASE + "claims: [{indicator: facility_energy_mwh, value: 3, unit: kg, source: x}]\n",
        "loader.unit",
        "unit 'kg' cannot be converted to the indicator's unit 'MWh'; expected one of: kWh, MWh, GWh, TWh",
    ),
    (
        BASE + "year: 2027\nramp_up: [{year: 2027, it_mw: 5}, {year: 2026, it_mw: 6}]\n",
        "loader.ramp_up.years",
        "ramp_up[1].year (2026) must be after ramp_up[0].year (2027): one step a year, years increasing",
    ),
    (
        BASE + "procedure: {type: enquete_publique, start: 2025-03-10, end: 2025-02-01}\n",
        "loader.procedure.dates",
        "end (2025-02-01) must not be before start (2025-03-10)",
    ),
    (BASE + "noise: {ground: soft}\n", "loader.literal", "must be one of 'hard', 'porous', got 'soft'"),
    (BASE + "alternatives: [{name: B, changes: {name: C}}]\n", "loader.alternatives.recursive", "cannot change name"),
    (
        BASE + "generators: {count: 100000, unit_mw: 3}\n",
        "loader.or_unknown",
        "must be between 0 and 10000, got 100000 (or unknown, when not published)",
    ),
]


@pytest.mark.parametrize("text, key, english", CASES)
def test_a_broken_rule_carries_its_key_and_keeps_the_command_line_s_words(text, key, english):
    with pytest.raises(InputError) as exc:
        parse_project_text(text, "p.yaml")
    messages = [m for _, m in exc.value.problems]
    said = next(m for m in messages if getattr(m, "key", None) == key)
    assert isinstance(said, Said)
    assert said == english  # the command line's message, unchanged
    assert said_text(said, "en") == english  # the English catalogue says the same
    french = said_text(said, "fr")
    assert french and french != english
    assert not re.search(r"\b(must|give|either|got)\b", french), french


def test_a_nested_reason_is_translated_too():
    with pytest.raises(InputError) as exc:
        parse_project_text(BASE + "pue: 12 MW\n", "p.yaml")
    (_, said), *_ = exc.value.problems
    assert said.key == "loader.range.or_range"
    french = said_text(said, "fr")
    assert french.startswith("doit être un nombre, reçu : '12 MW' (écrivez le nombre seul, par exemple 12")
    assert french.endswith("ou une fourchette {low: .., central: .., high: ..}")


def test_numbers_are_written_the_french_way():
    with pytest.raises(InputError) as exc:
        parse_project_text(BASE + "cooling: {type: river, water_in_c: 15.5, water_out_c: 10.25}\n", "p.yaml")
    (_, said), *_ = exc.value.problems
    assert "(water_out_c, 10,25 °C)" in said_text(said, "fr") and "(water_in_c, 15,5 °C)" in said_text(said, "fr")


def _mrs5_values() -> dict[str, str]:
    return F.values_from_data(yaml.safe_load(MRS5.read_text(encoding="utf-8")))


def _error_beside(html: str, field: str) -> str:
    m = re.search(rf'id="{F.input_id(field)}-error"[^>]*>(.*?)</', html, re.S)
    assert m, f"no message beside {field}"
    return m[1]


def test_water_out_colder_than_water_in_is_said_in_french_beside_the_field(client):
    values = {**_mrs5_values(), "cooling.water_in_c": "15", "cooling.water_out_c": "10"}
    r = client.post("/", data={**values, "action": "estimate", "lang": "fr"})
    assert r.status_code == 422
    beside = _error_beside(r.text, "cooling.water_out_c")
    assert "L&#39;eau rendue (water_out_c, 10 °C) doit être plus chaude que l&#39;eau prélevée" in beside
    assert "must" not in beside and "message en anglais" not in r.text
    # the field's input points to it
    assert re.search(r'aria-describedby="[^"]*f-cooling-water_out_c-error', r.text)


def test_the_english_page_says_the_rule_in_english_without_the_french_warning(client):
    values = {**_mrs5_values(), "cooling.water_in_c": "15", "cooling.water_out_c": "10"}
    r = client.post("/", data={**values, "action": "estimate", "lang": "en"})
    beside = _error_beside(r.text, "cooling.water_out_c")
    assert "water_out_c (10) must be warmer than water_in_c (15)" in beside
    assert "Refused by the model" not in beside


def test_a_rule_of_the_yaml_box_is_said_in_french(client):
    values = {**_mrs5_values(), F.OTHER_NAME: "assumptions: {cooling.supply_c: 999}\n"}
    r = client.post("/", data={**values, "action": "estimate", "lang": "fr"})
    assert r.status_code == 422
    m = re.search(r'id="f-other-error"[^>]*>(.*?)</', r.text, re.S)
    assert m
    beside = m[1]
    assert "assumptions.cooling.supply_c : Doit être compris entre 5 et 45, reçu : 999" in beside


def test_an_empty_data_file_is_said_in_french_beside_its_upload(client):
    values = _mrs5_values()
    files = {"climate.epw": ("meteo.epw", io.BytesIO(b""), "text/plain")}
    r = client.post("/", data={**values, "action": "estimate", "lang": "fr"}, files=files)
    assert r.status_code == 422
    beside = _error_beside(r.text, "climate.epw")
    assert "Le fichier téléversé est vide ; attendu : un fichier météo EnergyPlus" in beside


def test_the_api_keeps_the_english_message(client):
    text = (BASE + "cooling: {type: river, water_in_c: 15, water_out_c: 10}\n").encode()
    r = client.post("/api/estimate", files={"project": ("p.yaml", io.BytesIO(text), "application/yaml")})
    assert r.status_code == 422
    assert {"field": "cooling", "message": "water_out_c (10) must be warmer than water_in_c (15)"} in r.json()


# --------------------------------------------------------------------------- estimates: limits


def _slow_estimate(monkeypatch, release, started):
    """S.estimate_results that waits for ``release`` (a threading.Event) before computing."""
    from impact.web import service as S

    real = S.estimate_results

    def slow(path):
        started.set()
        release.wait(30)
        return real(path)

    monkeypatch.setattr(S, "estimate_results", slow)


def test_a_busy_server_says_try_again_on_the_page_and_503_on_the_api(monkeypatch):
    import threading

    release, started = threading.Event(), threading.Event()
    _slow_estimate(monkeypatch, release, started)
    upload = {"project": ("mrs5.yaml", MRS5.read_bytes(), "application/yaml")}
    with TestClient(create_app(running=1)) as c:
        first: dict = {}
        th = threading.Thread(target=lambda: first.update(r=c.post("/api/estimate", files=upload)))
        th.start()
        try:
            assert started.wait(30)  # the only slot is taken
            api = c.post("/api/estimate", files=upload)
            assert api.status_code == 503 and int(api.headers["Retry-After"]) > 0
            page = c.post("/", data={**_mrs5_values(), "action": "estimate", "lang": "fr"})
            assert page.status_code == 503 and "Retry-After" in page.headers
            assert "réessayez dans quelques secondes" in page.text
            assert 'value="Galerie de la Mer' in page.text or "Galerie de la Mer" in page.text  # nothing typed lost
        finally:
            release.set()
            th.join(60)
        assert first["r"].status_code == 200  # the first one ends normally
        assert c.post("/api/estimate", files=upload).status_code == 200  # its slot is free again


def test_an_estimate_past_its_time_limit_is_504_on_the_api_and_said_on_the_page(monkeypatch):
    import threading

    release, started = threading.Event(), threading.Event()
    _slow_estimate(monkeypatch, release, started)
    upload = {"project": ("mrs5.yaml", MRS5.read_bytes(), "application/yaml")}
    try:
        with TestClient(create_app(running=2, estimate_timeout=0.2)) as c:
            api = c.post("/api/estimate", files=upload)
            assert api.status_code == 504
            assert "time limit (0.2 s)" in api.json()[0]["message"]
            page = c.post("/", data={**_mrs5_values(), "action": "estimate", "lang": "fr"})
            assert page.status_code == 504
            assert "L&#39;estimation a dépassé le temps limite (0,2 s)" in page.text
            # both late estimates still hold their slot: a third one is refused as busy
            assert c.post("/api/estimate", files=upload).status_code == 503
    finally:
        release.set()


def test_the_limit_gives_back_the_work_s_error_and_frees_its_slot():
    import asyncio

    from impact.web import service as S

    limit = S.EstimateLimit(1, 5.0)

    def bad():
        raise InputError("p.yaml", "wrong")

    with pytest.raises(InputError):
        asyncio.run(limit.run(bad))
    assert asyncio.run(limit.run(lambda: 42)) == 42  # the slot was given back


# --------------------------------------------------------------------------- « Autres graphiques »


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def _images(html: str) -> list[dict]:
    p = _Images()
    p.feed(html)
    return p.images


def _png(src: str) -> bytes:
    assert src.startswith("data:image/png;base64,")
    raw = base64.b64decode(src.split(",", 1)[1])
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"  # the PNG signature
    width, height = struct.unpack(">II", raw[16:24])  # the IHDR chunk
    assert width > 300 and height > 200
    return raw


def test_the_result_page_links_to_the_other_charts(client):
    r = client.post("/", data={**_mrs5_values(), "action": "estimate", "lang": "fr"})
    assert r.status_code == 200
    assert re.search(r'<button type="submit" formaction="/charts"[^>]*>Autres graphiques', r.text)


def test_the_other_charts_are_the_dossier_s_with_a_text_alternative(client, cli_json):  # noqa: F811
    from impact.report import fmt

    r = client.post("/charts", data={"project_yaml": MRS5.read_text(encoding="utf-8"), "lang": "fr"})
    assert r.status_code == 200, r.text[:2000]
    images = _images(r.text)
    ids = re.findall(r'<figure class="chart" id="figure-(\w+)"', r.text)
    assert ids == ["tornado", "cooling_modes", "alternatives"]
    assert len(images) == 3
    for img in images:
        _png(img["src"])
        assert len(img["alt"]) > 80  # a sentence, not a file name
    tornado, modes, alternatives = (img["alt"] for img in images)
    assert "sensibilité de « Économie d'électricité du refroidissement" in tornado
    # the cooling shares and the alternatives' electricity are the estimate's (the command line's document)
    share = cli_json["indicators"]["cooling_share_free"]["central"]
    assert f"free cooling {fmt.percent(share, 'fr')}" in modes
    energy = cli_json["indicators"]["facility_energy_mwh"]["central"]
    assert f"Projet déclaré : {fmt.quantity(energy, 'MWh', 'fr')}" in alternatives
    for alt in yaml.safe_load(MRS5.read_text(encoding="utf-8"))["alternatives"]:
        assert alt["name"] in alternatives
    # the tornado's values as a table: one row per input that moves the indicator
    table = r.text[r.text.index("<table>") : r.text.index("</table>")]
    assert table.count('<th scope="row">') >= 5
    assert "Température de soufflage" in table


def test_a_project_without_alternatives_has_no_alternatives_chart(client):
    data = yaml.safe_load(MRS5.read_text(encoding="utf-8"))
    data.pop("alternatives")
    r = client.post("/charts", data={"project_yaml": yaml.safe_dump(data, allow_unicode=True), "lang": "en"})
    assert r.status_code == 200
    assert re.findall(r'<figure class="chart" id="figure-(\w+)"', r.text) == ["tornado", "cooling_modes"]
    assert "Horizontal bar chart of the sensitivity" in r.text


def test_the_other_charts_refuse_a_bad_project_in_french(client):
    text = BASE + "cooling: {type: river, water_in_c: 15, water_out_c: 10}\n"
    r = client.post("/charts", data={"project_yaml": text, "lang": "fr"})
    assert r.status_code == 422
    assert "cooling: l&#39;eau rendue (water_out_c, 10 °C) doit être plus chaude" in r.text


def test_the_other_charts_keep_the_estimates_time_limit(monkeypatch):
    import threading

    from impact.web import service as S

    release = threading.Event()
    real = S.more_figures

    def slow(path, lang="fr"):
        release.wait(30)
        return real(path, lang)

    monkeypatch.setattr(S, "more_figures", slow)
    try:
        with TestClient(create_app(estimate_timeout=0.2)) as c:
            r = c.post("/charts", data={"project_yaml": MRS5.read_text(encoding="utf-8"), "lang": "fr"})
            assert r.status_code == 504 and "temps limite" in r.text
    finally:
        release.set()


# --------------------------------------------------------------------------- data files kept between pages

EPW_3_DAYS = ROOT / "tests" / "data" / "marseille-3days.epw"
EPW_YEAR = Path("/work/shared/data/climate/epw/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw")
if not EPW_YEAR.exists():
    EPW_YEAR = ROOT.parent / "shared" / "data" / "climate" / "epw" / EPW_YEAR.name


def _kept_token(html: str, field: str) -> str | None:
    m = re.search(rf'<input type="hidden" name="kept\.{re.escape(field)}" value="([^"]+)">', html)
    return m[1] if m else None


def test_a_data_file_chosen_with_a_form_error_is_kept_and_said(client):
    values = {**_mrs5_values(), "pue": "beaucoup"}
    files = {"climate.epw": ("Météo Marseille.epw", EPW_3_DAYS.read_bytes(), "text/plain")}
    r = client.post("/", data={**values, "action": "estimate", "lang": "fr"}, files=files)
    assert r.status_code == 422 and 'id="f-pue-error"' in r.text
    token = _kept_token(r.text, "climate.epw")
    assert token
    kept = re.search(r'id="f-climate-epw-kept">(.*?)<input', r.text, re.S)[1]
    assert "Fichier gardé : Météo Marseille.epw" in kept
    assert re.search(r'aria-describedby="[^"]*f-climate-epw-kept', r.text)
    stored = client.app.state.kept.folder / token
    assert stored.read_bytes() == EPW_3_DAYS.read_bytes()
    # another button (the other language) keeps it too
    again = client.post("/", data={**values, "kept.climate.epw": token, "action": "switch_lang", "lang": "fr"})
    assert _kept_token(again.text, "climate.epw") == token and "File kept: Météo Marseille.epw" in again.text
    # dropped: gone from the page and from the server
    dropped = client.post(
        "/", data={**values, "kept.climate.epw": token, "action": "drop_file:climate.epw", "lang": "fr"}
    )
    assert _kept_token(dropped.text, "climate.epw") is None and "Fichier gardé" not in dropped.text
    assert not stored.exists()


@pytest.mark.skipif(not EPW_YEAR.exists(), reason="the shared EPW files are not here")
def test_a_kept_data_file_is_used_by_the_estimate_once_the_form_is_right(client):
    values = {**_mrs5_values(), "pue": "beaucoup"}
    files = {"climate.epw": ("Lyon Bron.epw", EPW_YEAR.read_bytes(), "text/plain")}
    r = client.post("/", data={**values, "action": "estimate", "lang": "fr"}, files=files)
    token = _kept_token(r.text, "climate.epw")
    fixed = {**_mrs5_values(), "kept.climate.epw": token}
    done = client.post("/", data={**fixed, "action": "estimate", "lang": "fr"})
    assert done.status_code == 200, done.text[:3000]
    assert "Estimation pour MRS5" in done.text
    assert "Lyon Bron.epw" in done.text  # the page names the data file its estimate used
    # the API's document for the same project and file: the same climate
    api = client.post(
        "/api/estimate",
        files={
            "project": ("mrs5.yaml", MRS5.read_bytes(), "application/yaml"),
            "climate.epw": ("x.epw", EPW_YEAR.read_bytes(), "text/plain"),
        },
    )
    energy = api.json()["indicators"]["facility_energy_mwh"]["central"]
    from impact.report import fmt

    assert fmt.quantity(energy, "MWh", "fr") in done.text
    # the result page carries the token: the downloads need not the file again
    assert _kept_token(done.text, "climate.epw") == token
    assert "le serveur les garde 10 minutes" in done.text
    project_yaml = html.unescape(re.search(r'<textarea name="project_yaml"[^>]*>(.*?)</textarea>', done.text, re.S)[1])
    got = client.post(
        "/download/estimate.json", data={"project_yaml": project_yaml, "kept.climate.epw": token, "lang": "fr"}
    )
    assert got.status_code == 200, got.text[:500]
    assert got.json()["indicators"]["facility_energy_mwh"] == api.json()["indicators"]["facility_energy_mwh"]
    # without the file nor its token, the project names a file the web does not read
    assert client.post("/download/estimate.json", data={"project_yaml": project_yaml}).status_code == 422


def test_a_token_is_good_for_its_field_and_its_time_only(client):
    values = {**_mrs5_values(), "pue": "beaucoup"}
    files = {"climate.epw": ("m.epw", EPW_3_DAYS.read_bytes(), "text/plain")}
    token = _kept_token(
        client.post("/", data={**values, "action": "estimate", "lang": "fr"}, files=files).text, "climate.epw"
    )
    # given for another field, or made up: the form says the file must be chosen again
    for name, value in (("grid.eco2mix", token), ("climate.epw", "A" * 32), ("climate.epw", "../../etc/passwd")):
        r = client.post("/", data={**_mrs5_values(), f"kept.{name}": value, "action": "estimate", "lang": "fr"})
        assert r.status_code == 422
        assert "n&#39;est plus sur le serveur" in _error_beside(r.text, name)


def test_kept_files_expire_and_the_oldest_go_past_the_size_limit(tmp_path):
    from impact.web import service as S

    store = S.KeptFiles(ttl=600, max_bytes=25)
    try:
        a = store.put(S.DataFile("climate.epw", b"x" * 10, ".epw", "a.epw"))
        b = store.put(S.DataFile("climate.epw", b"y" * 10, ".epw", "b.epw"))
        assert store.get(a, "climate.epw").raw == b"x" * 10 and store.name(b, "climate.epw") == "b.epw"
        assert store.get(a, "grid.eco2mix") is None  # another field
        c = store.put(S.DataFile("grid.eco2mix", b"z" * 10, ".csv", "c.csv"))  # 30 bytes: the oldest goes
        assert store.get(a, "climate.epw") is None and not (store.folder / a).exists()
        assert store.get(b, "climate.epw") and store.get(c, "grid.eco2mix")
        store.ttl = 0.0  # past their time
        assert store.get(b, "climate.epw") is None
    finally:
        store.close()
    assert not store.folder.exists()
