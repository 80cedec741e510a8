"""Data files given to the web page as uploads (issue 14: "the web never reads server paths, data
files only as uploads, with the same size and format limits as the CLI")."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from impact.errors import InputError
from impact.web import service as S
from impact.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
EPW = ROOT.parent / "shared" / "data" / "climate" / "epw" / "FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw"
if not EPW.exists():  # the main checkout's sibling folder
    EPW = Path("/work/shared/data/climate/epw/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw")
PROJECT = "name: Essai\ncountry: FR\nit_capacity_mw: 10\nlocation: {lat: 45.72, lon: 4.94}\n"
need_epw = pytest.mark.skipif(not EPW.exists(), reason="the shared EPW files are not here")


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def _files(project: str, **data: tuple[str, bytes]):
    files = {"project": ("p.yaml", io.BytesIO(project.encode()), "application/yaml")}
    for field, (name, raw) in data.items():
        files[field.replace("__", ".")] = (name, io.BytesIO(raw), "application/octet-stream")
    return files


def test_every_data_file_field_has_a_kind_and_its_endings():
    from impact.sources.files import KINDS

    assert set(S.PATH_KINDS) == set(S.path_fields())
    assert all(k in KINDS for k in S.PATH_KINDS.values())
    assert S.path_suffixes("climate.epw") == (".epw",)
    assert S.path_suffixes("land.parcels") == (".geojson", ".json", ".gpkg")


@need_epw
def test_an_epw_upload_is_the_climate_of_the_estimate(client):
    without = client.post("/api/estimate", files=_files(PROJECT))
    assert without.status_code == 200, without.text[:300]
    r = client.post("/api/estimate", files=_files(PROJECT, climate__epw=("Lyon Bron.epw", EPW.read_bytes())))
    assert r.status_code == 200, r.text[:300]
    climate, before = r.json()["project"]["climate"], without.json()["project"]["climate"]
    assert climate["station"] == "upload-climate-epw.epw" != before["station"]  # the uploaded file, by its made name
    assert climate["kind"] == "weather file"
    # A project naming a path gets the upload instead (the path is never read).
    named = PROJECT + "climate: {epw: /etc/not-there.epw}\n"
    r2 = client.post("/api/estimate", files=_files(named, climate__epw=("x.epw", EPW.read_bytes())))
    assert r2.status_code == 200 and r2.json()["project"]["climate"] == climate


def test_a_named_path_without_its_upload_is_still_refused(client):
    named = PROJECT + "climate: {epw: ../../weather.epw}\n"
    r = client.post("/api/estimate", files=_files(named, grid__eco2mix=("g.csv", b"a;b\n")))
    assert r.status_code == 422
    assert "climate.epw" in {p["field"] for p in r.json()}


def test_an_upload_of_the_wrong_format_is_422_naming_its_field(client):
    r = client.post("/api/estimate", files=_files(PROJECT, climate__epw=("w.epw", b"not,a,weather,file\n")))
    assert r.status_code == 422
    problems = r.json()
    assert [p["field"] for p in problems] == ["climate.epw"]
    assert "EnergyPlus" in problems[0]["message"] and "upload-" not in problems[0]["message"]
    # The wrong ending, a binary file for a text kind, an empty file: refused before any reader.
    for name, raw in (("w.txt", b"LOCATION,x\n"), ("w.epw", b"LOCATION\x00"), ("w.epw", b"")):
        r = client.post("/api/estimate", files=_files(PROJECT, climate__epw=(name, raw)))
        assert r.status_code == 422 and [p["field"] for p in r.json()] == ["climate.epw"], (name, r.text)


def test_an_upload_over_its_limit_is_413_naming_its_field(client, monkeypatch):
    monkeypatch.setattr(S, "MAX_DATA_BYTES", 1000)
    r = client.post("/api/estimate", files=_files(PROJECT, climate__epw=("w.epw", b"x" * 1001)))
    assert r.status_code == 413
    assert r.json() == [{"field": "climate.epw", "message": "the upload is larger than 1 kB"}]
    # The form says it beside the file input, in French.
    r = client.post(
        "/",
        data={"lang": "fr", "action": "estimate", "name": "Essai", "country": "FR", "it_capacity_mw": "10"},
        files={"climate.epw": ("w.epw", io.BytesIO(b"x" * 1001), "application/octet-stream")},
    )
    assert r.status_code == 413
    assert 'id="f-climate-epw-error">Le fichier dépasse 1 ko' in r.text


def test_the_cli_limit_of_a_kind_stands_below_the_webs():
    from impact.sources.files import KINDS

    # 20 MB for an EPW (impact.sources.files.KINDS): the web's cap (50 MB) does not raise it.
    assert KINDS["epw"].max_bytes == 20_000_000 < S.MAX_DATA_BYTES
    with pytest.raises(S.UploadTooLarge) as e:
        S.data_file("climate.epw", "w.epw", b"L" * 20_000_001)
    assert (e.value.field, e.value.limit) == ("climate.epw", 20_000_000)
    S.data_file("climate.epw", "w.epw", b"L" * 1000)  # far below: taken


def test_the_made_name_is_no_user_name_and_no_other_file_passes_for_an_upload(tmp_path):
    f = S.data_file("climate.epw", "../../etc/Lyon.EPW", b"LOCATION,x\n")
    assert f.name == "upload-climate-epw.epw" and f.filename == "Lyon.EPW"
    path = S.write_project(tmp_path, PROJECT, "p.yaml", (f,))
    assert yaml.safe_load(path.read_text())["climate"] == {"epw": "upload-climate-epw.epw"}
    assert (tmp_path / "upload-climate-epw.epw").read_bytes() == b"LOCATION,x\n"
    assert S.uploaded_fields(path) == {"climate.epw"}
    # A project file named like an upload, or a field pointing elsewhere, is no upload.
    other = tmp_path / "o"
    other.mkdir()
    trick = other / "upload-climate-epw.yaml"
    trick.write_text(PROJECT + "climate: {epw: /srv/x.epw}\n")
    assert S.uploaded_fields(trick) == frozenset()
    with pytest.raises(InputError) as e:
        S.load(trick)
    assert e.value.problems[0][0] == "climate.epw"


@need_epw
def test_the_form_takes_an_epw_and_the_result_page_asks_it_again(client):
    data = {
        "lang": "fr",
        "action": "estimate",
        "name": "Essai",
        "country": "FR",
        "it_capacity_mw": "10",
        "location.lat": "45.72",
        "location.lon": "4.94",
    }
    files = {"climate.epw": ("Lyon Bron.epw", io.BytesIO(EPW.read_bytes()), "application/octet-stream")}
    r = client.post("/", data=data, files=files)
    assert r.status_code == 200, r.text[-2000:]
    # (since round 3 the server keeps the file a few minutes: the page carries its token, the input is optional)
    assert 'enctype="multipart/form-data"' in r.text and 'name="kept.climate.epw"' in r.text
    assert '<input type="file" id="f-climate-epw" name="climate.epw">' in r.text
    assert "Lyon Bron.epw" in r.text  # the user's file name, shown (and kept in the page's project file)
    # The page's project names the file: the CSV without it again is refused, with it computed.
    text = r.text.split('name="project_yaml" hidden aria-hidden="true">', 1)[1].split("</textarea>", 1)[0]
    import html

    text = html.unescape(text)
    assert yaml.safe_load(text)["climate"] == {"epw": "Lyon Bron.epw"}
    bad = client.post("/download/estimate.json", data={"project_yaml": text})
    assert bad.status_code == 422 and bad.json()[0]["field"] == "climate.epw"
    good = client.post(
        "/download/estimate.json",
        data={"project_yaml": text},
        files={"climate.epw": ("a.epw", io.BytesIO(EPW.read_bytes()), "application/octet-stream")},
    )
    assert good.status_code == 200
    assert json.loads(good.text)["project"]["climate"]["station"] == "upload-climate-epw.epw"
    # A wrong file in the form: the reader's message beside the file input.
    files = {"climate.epw": ("w.epw", io.BytesIO(b"nothing\n"), "application/octet-stream")}
    r = client.post("/", data=data, files=files)
    assert r.status_code == 422 and 'id="f-climate-epw-error"' in r.text
