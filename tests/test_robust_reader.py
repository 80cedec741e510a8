"""Issue 11, the reader: every data file through one safe reader, read and parsed once per run, and
``impact check`` validating exactly what ``estimate`` and ``dossier`` validate.

Real files throughout: a real FIFO (``os.mkfifo``), a real symlink to ``/dev/zero``, a real sparse
file, a real GDAL VRT, ``/proc/self/environ``, real EPW and éCO2mix files. Anything that could
block runs in a subprocess with a timeout (and a memory limit), so that a regression fails
instead of hanging the suite.
"""

from __future__ import annotations

import http.server
import json
import os
import resource
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import impact
from impact import sources
from impact.errors import InputError

from .conftest import MINIMAL, ROOT

TIMEOUT_S = 120
EPW = ROOT / "tests" / "data" / "marseille-3days.epw"


def _limit_memory():  # a file read without bound (``/dev/zero``) fails fast instead of eating the machine
    resource.setrlimit(resource.RLIMIT_AS, (6 * 2**30, 6 * 2**30))


def run(*args, env: dict | None = None, timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess:
    """``python -m impact ARGS`` with a timeout: a hang is a failure, not a stuck suite."""
    return subprocess.run(
        [sys.executable, "-m", "impact", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        preexec_fn=_limit_memory,
    )


def run_python(code: str, timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        preexec_fn=_limit_memory,
    )


def project(tmp_path: Path, extra: str, name: str = "p.yaml") -> Path:
    """A small project at a place in France (context files need a location), plus ``extra``."""
    path = tmp_path / name
    if "location:" not in extra:
        extra = "location: {lat: 43.33, lon: 5.35}\n" + extra
    path.write_text(MINIMAL + extra, encoding="utf-8")
    return path


def refused(r: subprocess.CompletedProcess, *texts: str) -> None:
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    for text in texts:
        assert text in r.stderr, r.stderr


# ------------------------------------------------------------------- not a regular file


def test_fifo_data_file_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "eco2mix.csv")  # nobody ever writes to it: opening it to read would block
    path = project(tmp_path, "grid: {eco2mix: eco2mix.csv}\n")
    for command in ("check", "estimate"):
        r = run(command, path)
        refused(r, "p.yaml: grid.eco2mix: ", "eco2mix.csv: not a regular file (a FIFO), expected an éCO2mix CSV export")
        assert "not found" not in r.stderr


def test_fifo_project_file_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "p.yaml")
    refused(run("check", tmp_path / "p.yaml"), "p.yaml: cannot be read: not a regular file (a FIFO)")


def test_fifo_swapped_in_after_the_check_cannot_block(tmp_path):
    """The race: the path was a regular file when checked, a FIFO when opened. The open does not
    block (O_NONBLOCK) and the descriptor's fstat refuses it."""
    fifo = tmp_path / "swapped.csv"
    os.mkfifo(fifo)
    r = run_python(
        f"""
        from impact.sources import files
        files.stat_file = lambda path, limit: None   # the check saw a regular file
        try:
            files.read_regular({str(fifo)!r}, 1000)
        except files.NotRegularFileError as exc:
            print("refused:", exc)
        """,
        timeout=60,
    )
    assert r.returncode == 0 and r.stdout.strip() == "refused: not a regular file (a FIFO)", r.stderr


def test_symlink_to_dev_zero_is_refused_at_once(tmp_path):
    (tmp_path / "weather.epw").symlink_to("/dev/zero")
    path = project(tmp_path, "climate: {epw: weather.epw}\n")
    for command in ("check", "estimate"):
        refused(run(command, path), "weather.epw: not a regular file (a character device), expected an EnergyPlus")
    with pytest.raises(InputError, match=r"weather\.epw: not a regular file"):
        sources.read_epw(tmp_path / "weather.epw")


def test_folder_is_not_a_regular_file(tmp_path):
    (tmp_path / "substations.csv").mkdir()
    path = project(tmp_path, "context: {substations: substations.csv}\n")
    r = run("check", path)
    refused(r, "p.yaml: context.substations: ", "substations.csv: not a regular file (a folder), expected RTE's")
    assert "not found" not in r.stderr


def test_oversize_file_is_refused_with_its_size_and_limit(tmp_path):
    big = tmp_path / "eco2mix.csv"
    with open(big, "wb") as f:
        f.truncate(3_200_000_000)  # sparse: no disk used
    path = project(tmp_path, "grid: {eco2mix: eco2mix.csv}\n")
    for command in ("check", "estimate"):
        refused(run(command, path), "eco2mix.csv: is 3.2 GB; an éCO2mix export is at most 200 MB")
    with pytest.raises(InputError, match=r"is 3\.2 GB; an éCO2mix export is at most 200 MB"):
        sources.read_eco2mix(big)


def test_a_file_growing_while_read_stops_at_the_limit(tmp_path, monkeypatch):
    """At most limit + 1 bytes are read, whatever the size said when the file was checked."""
    from impact.sources import files

    big = tmp_path / "growing.csv"
    with open(big, "wb") as f:
        f.truncate(2_000_000_000)  # sparse
    monkeypatch.setattr(files, "check_stat", lambda st, real, limit: None)  # it looked small
    reads = []
    real_read = os.read
    monkeypatch.setattr(files.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(files.FileTooLargeError):
        files.read_regular(big, 10_000)
    assert sum(reads) <= 10_001


# ------------------------------------------------------------------- GeoJSON, VRT, URLs


def _vrt(path: Path, source: str) -> Path:
    path.write_text(
        textwrap.dedent(f"""\
        <OGRVRTDataSource>
          <OGRVRTLayer name="secret">
            <SrcDataSource>{source}</SrcDataSource>
            <GeometryType>wkbPoint</GeometryType>
            <LayerSRS>EPSG:4326</LayerSRS>
            <GeometryField encoding="PointFromColumns" x="lon" y="lat"/>
          </OGRVRTLayer>
        </OGRVRTDataSource>
        """),
        encoding="utf-8",
    )
    return path


def test_vrt_in_a_geojson_is_refused_and_never_opens_its_csv(tmp_path):
    import pyogrio

    secret = tmp_path / "secret.csv"
    secret.write_text("name,lon,lat\nLEAKED_ROW_7f3a,5.35,43.33\n", encoding="utf-8")
    vrt = _vrt(tmp_path / "cables.geojson", str(secret))
    if "OGR_VRT" in pyogrio.list_drivers():  # the file is a working VRT: GDAL itself reads the CSV's row
        assert "LEAKED_ROW_7f3a" in set(pyogrio.read_dataframe(vrt)["name"])
    with pytest.raises(InputError, match=r"cables\.geojson: is a GDAL virtual dataset \(VRT\)") as e:
        sources.read_submarine_cables(vrt)
    assert "LEAKED_ROW" not in str(e.value)
    with pytest.raises(InputError, match="GDAL virtual dataset"):
        sources.read_boundaries(vrt)
    path = project(tmp_path, "location: {lat: 43.33, lon: 5.35}\ncontext: {cables: cables.geojson}\n")
    r = run("check", path)
    refused(r, "cables.geojson: is a GDAL virtual dataset (VRT)")
    assert "LEAKED_ROW" not in r.stderr
    r = run("dossier", path, "-o", tmp_path / "d.pdf")
    refused(r, "cables.geojson: is a GDAL virtual dataset (VRT)")
    assert not (tmp_path / "d.pdf").exists()


class _Server:
    """A local HTTP server that counts the requests it gets (nothing leaves the machine)."""

    def __enter__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                body = b'{"type": "FeatureCollection", "features": []}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_HEAD = do_GET

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_vrt_pointing_at_a_url_makes_no_request(tmp_path):
    with _Server() as server:
        vrt = _vrt(tmp_path / "b.geojson", f"/vsicurl/{server.url}/secret.csv")
        with pytest.raises(InputError, match="GDAL virtual dataset"):
            sources.read_boundaries(vrt)
        assert server.hits == []


@pytest.mark.parametrize("kind", ["/vsicurl/", "plain"])
def test_url_and_vsi_paths_are_refused(tmp_path, kind):
    with _Server() as server:
        url = f"{server.url}/b.geojson"
        path = f"/vsicurl/{url}" if kind == "/vsicurl/" else url
        with pytest.raises(InputError, match="is a URL or a GDAL virtual path"):
            sources.read_boundaries(path)
        p = project(tmp_path, f"context: {{boundaries: '{path}'}}\n")
        refused(run("check", p), "p.yaml: context.boundaries: must be a local file, not a URL or a GDAL virtual path")
        assert server.hits == []


def test_sqlite_that_is_not_a_geopackage_is_refused(tmp_path):
    db = tmp_path / "b.gpkg"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(InputError, match=r"b\.gpkg: is an SQLite database but not a GeoPackage"):
        sources.read_boundaries(db)


def test_geopackage_view_is_not_run(shared_data, tmp_path):
    """A view is SQL run when the layer is read (by GDAL, with its own SQL functions): only tables are read."""
    gdf = sources.read_boundaries(shared_data / "france-geojson" / "departement-13-bouches-du-rhone.geojson")
    gpkg = tmp_path / "b.gpkg"
    gdf.to_file(gpkg, layer="dep", driver="GPKG")
    assert len(sources.read_boundaries(gpkg)) == 1  # the real GeoPackage reads
    con = sqlite3.connect(gpkg)  # the layer becomes a view of the table (GDAL reads views as layers)
    con.execute('CREATE VIEW "dep_view" AS SELECT * FROM "dep"')
    for table in ("gpkg_contents", "gpkg_geometry_columns"):
        con.execute(f"UPDATE {table} SET table_name = 'dep_view' WHERE table_name = 'dep'")
    con.commit()
    con.close()
    with pytest.raises(InputError, match="is not a table"):
        sources.read_boundaries(gpkg)


# ------------------------------------------------------------------- what a message may quote


def test_proc_self_environ_never_reaches_a_message(tmp_path):
    secret = "impact-secret-5b0c2e9d41"
    (tmp_path / "substations.csv").symlink_to("/proc/self/environ")
    (tmp_path / "registry.csv").symlink_to("/proc/self/environ")
    for extra in ("context: {substations: substations.csv}\n", "context: {registry: registry.csv}\n"):
        path = project(tmp_path, extra)
        for command in ("check", "estimate"):
            r = run(command, path, env={"IMPACT_TEST_SECRET": secret})
            assert r.returncode == 2 and "Traceback" not in r.stderr
            assert secret not in r.stderr + r.stdout
            assert "not a regular file (a system file under /proc)" in r.stderr


@pytest.mark.parametrize(
    "field, name",
    [
        ("context.substations", "s.csv"),
        ("grid.eco2mix", "e.csv"),
        ("climate.epw", "w.epw"),
        ("context.boundaries", "b.geojson"),
        ("context.cables", "c.geojson"),
    ],
)
def test_a_message_quotes_at_most_a_short_excerpt(tmp_path, field, name):
    """A file whose first line is long and ends with a secret: whatever the parser says, the
    message is short, one line, and does not reach the secret."""
    secret = "SECRET-4e1f"
    line = (
        "Code poste;" + "x" * 5000 + ";\x1b[31m" + secret
        if name.endswith(".csv")
        else "Latitude " + "y" * 5000 + secret
    )
    (tmp_path / name).write_text(line + "\n" + line + "\n", encoding="utf-8")
    block, key = field.split(".")
    path = project(tmp_path, f"location: {{lat: 43.3, lon: 5.4}}\n{block}: {{{key}: {name}}}\n")
    r = run("check", path)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert secret not in r.stderr + r.stdout and "\x1b" not in r.stderr + r.stdout
    assert max(map(len, (r.stderr + r.stdout).splitlines())) < 400, r.stderr


# ------------------------------------------------------------------- content of data files


def _epw_with(tmp_path: Path, column: int, value: str) -> Path:
    lines = EPW.read_text(encoding="utf-8").splitlines()
    for i in range(8, len(lines)):
        f = lines[i].split(",")
        f[column - 1] = value
        lines[i] = ",".join(f)
    path = tmp_path / "w.epw"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "value, message",
    [
        ("0", "line 9, column 10: station pressure must be between 31,000 and 120,000 Pa (or 999999, missing), got 0"),
        (
            "-5",
            "line 9, column 10: station pressure must be between 31,000 and 120,000 Pa (or 999999, missing), got -5",
        ),
        ("nan", "line 9, column 10: station pressure is not a number: 'nan'"),
        ("inf", "line 9, column 10: station pressure must be between"),
    ],
)
def test_epw_pressure_must_be_a_pressure(tmp_path, value, message):
    # 101325 Pa is the standard atmosphere; the EPW data dictionary bounds station pressure to
    # 31,000-120,000 Pa and writes 999999 for a missing one.
    path = _epw_with(tmp_path, 10, value)
    with pytest.raises(InputError, match="w.epw: " + message.replace("(", r"\(").replace(")", r"\)")):
        sources.read_epw(path)
    _epw_with(tmp_path, 10, "999999")
    assert sources.read_epw(path)["pressure_pa"].isna().all()  # missing, not an error


def _eco2mix_with(shared_data: Path, tmp_path: Path, value: str) -> Path:
    src = shared_data / "eco2mix" / "eco2mix-national-tr_2021-12-01_15.csv"
    lines = src.read_bytes().decode("utf-8").split("\r\n")
    header = lines[0].split(";")
    f = lines[5].split(";")
    f[header.index("Taux de CO2 (g/kWh)")] = value
    lines[5] = ";".join(f)
    path = tmp_path / "e.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    return path


@pytest.mark.parametrize(
    "value, got",
    [("inf", "got inf"), ("-inf", "got -inf"), ("Infinity", "got inf"), ("1e308", "got 1e+308"), ("-12", "got -12")],
)
def test_eco2mix_non_finite_or_absurd_values_are_refused(shared_data, tmp_path, value, got):
    path = _eco2mix_with(shared_data, tmp_path, value)
    with pytest.raises(InputError) as e:
        sources.read_eco2mix(path)
    text = str(e.value)
    assert text.startswith("e.csv: line 6, column 19: 'Taux de CO2 (g/kWh)' ")
    assert f"must be a CO2 rate between 0 and 2000 g/kWh, {got}" in text
    p = project(tmp_path, "grid: {eco2mix: e.csv}\n")
    refused(run("estimate", p), "e.csv: line 6, column 19: 'Taux de CO2 (g/kWh)'")


def _bowtie(path: Path) -> Path:
    ring = [[5.30, 43.30], [5.40, 43.36], [5.40, 43.30], [5.30, 43.36], [5.30, 43.30]]  # crosses itself
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": "X", "nom": "Bowtie"},
                        "geometry": {"type": "Polygon", "coordinates": [ring]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def test_self_intersecting_boundary_is_repaired_and_drawn(tmp_path):
    import shapely

    path = _bowtie(tmp_path / "b.geojson")
    gdf = sources.read_boundaries(path)
    assert gdf.is_valid.all() and gdf.attrs["repaired"] == [1]
    # The same lines: the two triangles meeting where the ring crosses itself (5.35, 43.33), each of
    # base 0.06 deg (its edge at 5.30 or 5.40 deg) and height 0.05 deg.
    assert gdf.geometry.iloc[0].area == pytest.approx(2 * 0.5 * 0.06 * 0.05, rel=1e-9)
    assert shapely.equals(
        gdf.geometry.iloc[0].boundary,
        shapely.polygons([[5.30, 43.30], [5.35, 43.33], [5.30, 43.36], [5.30, 43.30]]).boundary.union(
            shapely.polygons([[5.40, 43.30], [5.40, 43.36], [5.35, 43.33], [5.40, 43.30]]).boundary
        ),
    )
    p = project(tmp_path, "location: {lat: 43.33, lon: 5.35}\ncontext: {boundaries: b.geojson}\n")
    from impact.report.figures import map_context
    from impact.report.maps import site_map

    resolved = impact.validate(p)
    site_map(impact.estimate(resolved, draws=100), scale="city", context=map_context(resolved.context))


def test_boundary_without_area_is_an_input_error(tmp_path):
    flat = [[5.30, 43.30], [5.40, 43.30], [5.35, 43.30], [5.30, 43.30]]
    (tmp_path / "b.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [flat]}}
                ],
            }
        )
    )
    with pytest.raises(InputError, match=r"b\.geojson: feature 1: the polygon has no area"):
        sources.read_boundaries(tmp_path / "b.geojson")


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"type": "FeatureCollection", "features": [[1, 2]]}', "feature 1: must be a GeoJSON Feature"),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
            '"geometry": {"type": "Polygon", "coordinates": [[["a", 1]]]}}]}',
            "feature 1: Polygon is not valid",
        ),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
            '"geometry": {"type": "Point", "coordinates": [1e999, 2]}}]}',
            "feature 1: Point is not valid",
        ),
        ('{"type": "Topology", "objects": {}}', "is TopoJSON, not GeoJSON"),
        ('{"type": "FeatureCollection", "features": [' * 100000, "not valid JSON"),
    ],
)
def test_broken_geojson_is_an_input_error(tmp_path, text, message):
    (tmp_path / "b.geojson").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        sources.read_boundaries(tmp_path / "b.geojson")


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"type": "FeatureCollection", "features": [[1, 2]]}', None),
        ('name,city\n"' + "x" * 200_000 + '",Paris\n', "is not a valid CSV line"),  # past the csv module's limit
    ],
)
def test_broken_registry_is_an_input_error(tmp_path, text, message):
    path = tmp_path / ("r.geojson" if text.startswith("{") else "r.csv")
    path.write_text(text, encoding="utf-8")
    if message is None:  # a feature that is not one is a bad row, not a crash
        rows = sources.read_registry(path, errors="collect")
        assert list(rows) == [] and len(rows.errors) == 1
    else:
        with pytest.raises(InputError, match=message):
            sources.read_registry(path)


# ------------------------------------------------------------------- check == estimate, dossier


def _bad_eco2mix(tmp_path: Path) -> str:
    (tmp_path / "e.csv").write_text(
        "Date - Heure;Consommation (MW);Taux de CO2 (g/kWh)\n2021-12-01T00:00:00+01:00;70000;cinq\n", encoding="utf-8"
    )
    return "grid: {eco2mix: e.csv}\n"


def _bad_epw(tmp_path: Path) -> str:
    _epw_with(tmp_path, 10, "0")
    return "climate: {epw: w.epw}\n"


@pytest.mark.parametrize(
    "case, expected",
    [
        ("bad data file content", "e.csv: line 2, column 3: 'Taux de CO2 (g/kWh)' is not a number: 'cinq'"),
        ("bad weather file", "w.epw: line 9, column 10: station pressure must be"),
        ("unknown assumption", "p.yaml: assumptions.not_an_input: is not an input with a default"),
        ("missing data file", "p.yaml: grid.eco2mix: file not found: "),
    ],
)
def test_check_refuses_what_estimate_refuses_with_the_same_message(tmp_path, case, expected):
    extra = {
        "bad data file content": lambda: _bad_eco2mix(tmp_path),
        "bad weather file": lambda: _bad_epw(tmp_path),
        "unknown assumption": lambda: "assumptions: {not_an_input: 1}\n",
        "missing data file": lambda: "grid: {eco2mix: nowhere.csv}\n",
    }[case]()
    path = project(tmp_path, extra)
    estimate, check = run("estimate", path), run("check", path)
    refused(estimate, expected)
    assert check.returncode == 2 and check.stderr == estimate.stderr


@pytest.mark.parametrize(
    "alternatives, expected",
    [
        ("[{name: Overloaded, changes: {utilisation: 7}}]", "p.yaml: alternatives[0].changes.utilisation: "),
        (
            "[{name: Typo, changes: {assumptions: {not_an_input: 1}}}]",
            "p.yaml: alternatives[0].changes.assumptions.not_an_input: is not an input with a default",
        ),
        (
            "[{name: Other weather, changes: {climate: {epw: none.epw}}}]",
            "p.yaml: alternatives[0]: climate.epw: file not found: ",
        ),
    ],
)
def test_check_refuses_what_dossier_refuses_with_the_same_message(tmp_path, alternatives, expected):
    path = project(tmp_path, f"alternatives: {alternatives}\n")
    dossier, check = run("dossier", path, "-o", tmp_path / "d.pdf"), run("check", path)
    refused(dossier, expected)
    assert check.returncode == 2 and check.stderr == dossier.stderr
    assert not (tmp_path / "d.pdf").exists()


def test_check_refuses_a_bad_map_layer_as_the_dossier_does(tmp_path):
    (tmp_path / "b.geojson").write_text('{"type": "FeatureCollection", "features": [[1]]}', encoding="utf-8")
    path = project(tmp_path, "location: {lat: 43.3, lon: 5.4}\ncontext: {boundaries: b.geojson}\n")
    dossier, check = run("dossier", path, "-o", tmp_path / "d.pdf"), run("check", path)
    refused(dossier, "b.geojson: feature 1: must be a GeoJSON Feature")
    assert check.stderr == dossier.stderr


# ------------------------------------------------------------------- read and parsed once


def _project_with_data(shared_data: Path, tmp_path: Path) -> Path:
    text = (
        MINIMAL.replace("year: 2024", "year: 2024\nlocation: {lat: 43.33, lon: 5.35}")
        + f"grid: {{eco2mix: {shared_data / 'eco2mix/eco2mix-national-tr_2021-12-01_15.csv'}}}\n"
        f"climate: {{epw: {shared_data / 'climate/epw/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw'}}}\n"
        f"context:\n  substations: {shared_data / 'grid/postes-rte-marseille-bbox.csv'}\n"
        f"  boundaries: {shared_data / 'france-geojson/communes-13-bouches-du-rhone.geojson'}\n"
        "alternatives:\n  - {name: Half, changes: {it_capacity_mw: 5}}\n"
        "  - {name: Air, changes: {cooling: {type: dry_free_cooling}}}\n"
    )
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_dossier_parses_each_data_file_once(shared_data, tmp_path, monkeypatch):
    """Counted by wrapping the parsers themselves (before issue 11: éCO2mix 11, EPW 6 times)."""
    from impact.report.dossier import build_dossier
    from impact.sources import _geo, eco2mix, epw, rte

    counts: dict[str, int] = {}
    for module, name, what in (
        (eco2mix, "parse_eco2mix", "eco2mix"),
        (epw, "parse_epw", "epw"),
        (rte, "parse_rte_substations", "substations"),
        (_geo, "parse_vector", "vector"),
        (_geo, "read_vector", "vector"),
    ):
        original = getattr(module, name, None)  # GeoJSON: read_vector before issue 11, parse_vector since
        if original is None:
            continue

        def counting(*args, _original=original, _name=what, **kwargs):
            counts[_name] = counts.get(_name, 0) + 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)
    out = build_dossier(_project_with_data(shared_data, tmp_path), tmp_path / "d.pdf", draws=200, date="2026-11-25")
    assert out.pdf.exists()
    assert counts == {"eco2mix": 1, "epw": 1, "substations": 1, "vector": 1}


def test_data_files_counts_parses_and_reads_a_changed_file_again(shared_data, tmp_path):
    from impact.engine import sensitivity
    from impact.project_data import load_context

    resolved = impact.validate(_project_with_data(shared_data, tmp_path))
    impact.estimate(resolved, draws=100)
    for _, alt in resolved.alternatives:
        impact.estimate(alt, draws=100)
    sensitivity(resolved, "facility_energy_mwh")
    load_context(resolved.project, resolved.data)
    assert len(resolved.data.parses) == 4 and set(resolved.data.parses.values()) == {1}
    # A file changed during the run (a new inode, size, mtime) is read again.
    epw_copy = tmp_path / "w.epw"
    epw_copy.write_bytes(EPW.read_bytes())
    first = resolved.data.read(epw_copy, "epw")
    assert resolved.data.read(epw_copy, "epw") is first
    lines = EPW.read_text(encoding="utf-8").splitlines()
    f = lines[8].split(",")
    f[6] = "30.55"  # the first hour's dry bulb
    lines[8] = ",".join(f)
    epw_copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = resolved.data.read(epw_copy, "epw")
    assert second is not first and second["temp_air_c"].iloc[0] == 30.55
    assert resolved.data.parses[os.path.realpath(epw_copy)] == 2


def test_estimate_without_a_run_still_works_and_equals_the_validated_one(shared_data, tmp_path):
    path = _project_with_data(shared_data, tmp_path)
    alone = impact.estimate(impact.load_project(path), draws=200)
    shared = impact.estimate(impact.validate(path), draws=200)
    assert alone.to_frame().equals(shared.to_frame())
    assert alone.meta["input_fingerprint"] == shared.meta["input_fingerprint"]
