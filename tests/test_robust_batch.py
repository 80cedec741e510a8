"""impact batch under faults (issue 11, item 6): isolated rows and reports, dead workers,
a killed parent, interrupted and resumed runs, file names, formula cells, sites.gpkg.

Faults are real where the code has one (a ``$`` in a site's name reaches matplotlib's
mathtext today), a real SIGKILL of a real worker or parent process otherwise. To make a
chosen task fail, the tests set ``IMPACT_BATCH_FAULT`` (test-only fault injection, read only
by :func:`impact.batch._run_task` in the process that runs the task, see
:data:`impact.batch.FAULT_ENV`): ``raise`` raises a RuntimeError there, ``kill`` sends it
SIGKILL. Every batch runs in a subprocess with a timeout (a dead worker must not hang it).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from .conftest import ROOT

DATE = "2026-11-25"
HEADER = "name,operator,city,country,status,source,it_capacity_mw,location.lat,location.lon\n"
#: Communes placed by their name (one commune each bears it), INSEE codes from data/france/communes.csv.
LILLE, BBA, SEPTEMES = ("Lille", "59350"), ("Bouc-Bel-Air", "13015"), ("Septèmes-les-Vallons", "13106")


def _registry(path, rows):
    """A registry CSV of ``(name, city)`` or ``(name, city, extra cells...)`` rows."""
    lines = []
    for name, city, *rest in rows:
        cells = dict(zip(("operator", "status", "source", "lat", "lon"), rest, strict=False))
        lines.append(
            ",".join(
                _quote(v)
                for v in (
                    name,
                    cells.get("operator", "Op"),
                    city,
                    "FR",
                    cells.get("status", "planned"),
                    cells.get("source", "test"),
                    "2",
                    cells.get("lat", ""),
                    cells.get("lon", ""),
                )
            )
        )
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _quote(value) -> str:
    value = str(value)
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("IMPACT_BATCH_FAULT", "SOURCE_DATE_EPOCH")}
    env.update(extra)
    return env


def _batch_cmd(registry, out, *args):
    return [sys.executable, "-m", "impact", "batch", str(registry), "-o", str(out), "--draws", "200", *map(str, args)]


def _batch(registry, out, *args, env=None, timeout=300):
    return subprocess.run(
        _batch_cmd(registry, out, *args),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env or _env(),
        timeout=timeout,
        check=False,
    )


def _summary(out):
    with open(out / "summary.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _manifest(out):
    try:
        return json.loads((out / ".impact-batch.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not there yet, or (never: it is replaced atomically) half-written
        return {}


def _recorded(out) -> dict[str, str]:
    """The reports the manifest records as written: file -> fingerprint."""
    files = _manifest(out).get("files", {})
    return {f: e["fingerprint"] for f, e in files.items() if f.endswith(".pdf") and e.get("fingerprint")}


def _pdfs(out):
    return sorted(p.name for p in out.glob("*.pdf"))


# ----------------------------------------------------------------------------- isolation
def test_an_unexpected_error_fails_only_its_row_or_its_report(tmp_path):
    # Old code: the RuntimeError of row 2 escaped run_batch: a traceback, no report, no summary.
    reg = _registry(tmp_path / "reg.csv", [("L1", LILLE[0]), ("L2", LILLE[0]), ("B", BBA[0]), ("S", SEPTEMES[0])])
    out = tmp_path / "out"
    faults = f"site:L2:raise,map:{BBA[0]}:raise,render:{SEPTEMES[0]}:raise"
    r = _batch(reg, out, "--date", DATE, env=_env(IMPACT_BATCH_FAULT=faults))
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr and "reg.csv row 2 (L2): RuntimeError: fault injected" in r.stderr
    assert f"report of {BBA[0]} (Bouc-Bel-Air-13015.pdf) not written: map: RuntimeError" in r.stderr
    assert "1 failed; 1 report(s) written, 0 up to date, 2 failed" in r.stderr
    rows = {(x["level"], x["name"]): x for x in _summary(out)}
    assert rows["site", "L2"]["result"] == "error: RuntimeError: fault injected by IMPACT_BATCH_FAULT"
    assert rows["site", "L2"]["facility_energy_mwh"] == ""
    assert all(rows["site", n]["result"] == "ok" for n in ("L1", "B", "S"))
    # Lille's report is written, with its failed site said so; the two others are not, and say why.
    assert rows["commune", "Lille"]["result"] == "error: 1 site(s) failed"
    assert rows["commune", "Lille"]["file"] == "Lille-59350.pdf" and rows["commune", "Lille"]["commune_code"] == "59350"
    assert rows["commune", BBA[0]]["result"].startswith("error: report not written: map: RuntimeError")
    assert rows["commune", SEPTEMES[0]]["result"].startswith("error: report not written: render: RuntimeError")
    assert rows["commune", BBA[0]]["file"] == "" and rows["site", "B"]["file"] == ""
    assert _pdfs(out) == ["Lille-59350.pdf"] and (out / "sites.gpkg").exists()
    # One line each in summary.csv; the tracebacks are in the log file, never on the terminal.
    assert all("\n" not in x["result"] for x in rows.values())
    log = (out / "impact-batch.log").read_text(encoding="utf-8")
    assert log.count("Traceback (most recent call last)") == 3 and "reg.csv row 2 (L2)" in log
    # The next run (without the faults) writes the two missing reports, and Lille's again: its
    # site L2, failed before, is estimated now (its report's fingerprint holds its sites' errors).
    r = _batch(reg, out, "--date", DATE)
    assert r.returncode == 0, r.stderr
    assert "3 report(s) written, 0 up to date, 0 failed" in r.stderr
    assert not (out / "impact-batch.log").exists()  # nothing failed: the old log is gone


def test_a_real_bug_in_one_report_leaves_the_others(tmp_path):
    # A real fault (today): a site named with a « $...$ » pair reaches matplotlib's mathtext,
    # which raises a ValueError on the territory's map. Old code: a traceback, no output.
    # Once maps draw text literally this report is written too: both outcomes are allowed,
    # never a crash.
    reg = _registry(tmp_path / "reg.csv", [("A$\\frac{1}{$", LILLE[0]), ("B", BBA[0])])
    out = tmp_path / "out"
    r = _batch(reg, out, "--date", DATE)
    assert r.returncode in (0, 1) and "Traceback" not in r.stderr, r.stderr
    assert (out / "Bouc-Bel-Air-13015.pdf").read_bytes().startswith(b"%PDF")
    rows = {(x["level"], x["name"]): x for x in _summary(out)}
    lille = rows["commune", "Lille"]
    if r.returncode == 1:
        assert lille["result"].startswith("error: report not written: map: ValueError") and lille["file"] == ""
        assert "\n" not in lille["result"] and "Traceback" in (out / "impact-batch.log").read_text(encoding="utf-8")
    else:
        assert lille["result"] == "ok" and (out / lille["file"]).exists()
    assert all(x["result"] == "ok" for x in rows.values() if x["level"] == "site")


# ----------------------------------------------------------------------------- processes
def test_a_killed_worker_fails_only_its_task(tmp_path):
    # Old code: BrokenProcessPool traceback, no table. Here a real SIGKILL, in the worker, of
    # the worker estimating L2 and of the one rendering Bouc-Bel-Air's report (both each time
    # they run): those two fail, the tasks lost with them are run again and complete.
    reg = _registry(tmp_path / "reg.csv", [("L1", LILLE[0]), ("L2", LILLE[0]), ("B", BBA[0]), ("S", SEPTEMES[0])])
    out = tmp_path / "out"
    faults = f"site:L2:kill,render:{BBA[0]}:kill"
    r = _batch(reg, out, "--date", DATE, "--jobs", "2", env=_env(IMPACT_BATCH_FAULT=faults), timeout=400)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr and "BrokenProcessPool" not in r.stderr
    rows = {(x["level"], x["name"]): x for x in _summary(out)}
    assert rows["site", "L2"]["result"].startswith("error: worker died")
    assert all(rows["site", n]["result"] == "ok" for n in ("L1", "B", "S"))
    assert rows["commune", BBA[0]]["result"].startswith("error: report not written: render: worker died")
    assert rows["commune", "Lille"]["result"] == "error: 1 site(s) failed"
    assert _pdfs(out) == ["Lille-59350.pdf", "Septèmes-les-Vallons-13106.pdf"]
    for name in ("Lille-59350.pdf", "Septèmes-les-Vallons-13106.pdf"):
        assert (out / name).read_bytes().startswith(b"%PDF")
    assert (out / "sites.gpkg").exists()
    assert "1 failed; 2 report(s) written, 0 up to date, 1 failed" in r.stderr


def _children(pid: int) -> dict[int, bytes]:
    """The processes whose parent is ``pid``: pid -> command line (to know them again)."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        if int(stat[stat.rindex(b")") + 2 :].split()[1]) == pid:
            out[int(entry)] = cmdline
    return out


def _alive(pid: int, cmdline: bytes) -> bool:
    """``pid`` still runs the same command (a zombie, dead but not yet reaped, is not alive)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            same = f.read() == cmdline
    except OSError:
        return False
    return same and stat[stat.rindex(b")") + 2 :].split()[0] not in (b"Z", b"X")


def _start(registry, out, *args):
    return subprocess.Popen(
        _batch_cmd(registry, out, "--date", DATE, *args),
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill(proc) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_their_parent(tmp_path):
    # A real SIGKILL of a batch (--jobs 2) while its two workers run. Old code: both went on
    # (orphans, blocked for ever on their queue once their task was done).
    reg = _registry(tmp_path / "reg.csv", [("B", BBA[0]), ("L", LILLE[0]), ("S", SEPTEMES[0])])
    proc = _start(reg, tmp_path / "out", "--jobs", "2")
    workers: dict[int, bytes] = {}
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            workers = _children(proc.pid)
            time.sleep(0.02)
        time.sleep(1.0)  # at work: importing, estimating, drawing
        assert proc.poll() is None and len(workers) == 2
        _kill(proc)
        deadline = time.monotonic() + 10
        while any(_alive(p, c) for p, c in workers.items()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [p for p, c in workers.items() if _alive(p, c)], "workers outlived their parent"
    finally:
        _kill(proc)
        for pid, cmdline in workers.items():  # this test's own processes, should they remain
            if _alive(pid, cmdline):
                os.kill(pid, signal.SIGKILL)


WATCHED = """
import os, time
from impact.batch import _watch_parent
parent = os.getpid()
child = os.fork()
if child == 0:
    _watch_parent(parent, 0.05)  # ends the process once its parent is gone
    os._exit(3)
print(child, flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_fallback_watch_ends_a_worker_whose_parent_died():
    # Where prctl(PR_SET_PDEATHSIG) is missing (not Linux), a worker polls its parent's pid.
    proc = subprocess.Popen([sys.executable, "-c", WATCHED], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    child = 0
    try:
        child = int(proc.stdout.readline())
        with open(f"/proc/{child}/cmdline", "rb") as f:
            cmdline = f.read()
        assert _alive(child, cmdline)
        _kill(proc)
        deadline = time.monotonic() + 10
        while _alive(child, cmdline) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not _alive(child, cmdline)
    finally:
        _kill(proc)
        proc.stdout.close()
        if child and _alive(child, cmdline):
            os.kill(child, signal.SIGKILL)


def test_a_killed_batch_resumes_without_force(tmp_path):
    # A real SIGKILL of a batch (--jobs 2) once its manifest records a report: the next run,
    # without --force, takes its files for its own (old code: the manifest was written at the
    # end only, and the run refused its own PDFs, « not written by impact batch », exit 2) and
    # writes only what is missing.
    reg = _registry(tmp_path / "reg.csv", [("B", BBA[0]), ("L", LILLE[0]), ("S", SEPTEMES[0])])
    out = tmp_path / "out"
    proc = _start(reg, out, "--jobs", "2")
    try:
        deadline = time.monotonic() + 240
        while not _recorded(out) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        _kill(proc)
    recorded = _recorded(out)
    assert proc.returncode == -signal.SIGKILL, "the batch ended before it was killed"
    assert 1 <= len(recorded) < 3, recorded
    before = {f: (out / f).stat().st_mtime_ns for f in recorded}
    r = _batch(reg, out, "--date", DATE)
    assert r.returncode == 0, r.stderr
    assert f"{3 - len(recorded)} report(s) written, {len(recorded)} up to date" in r.stderr
    assert {f: (out / f).stat().st_mtime_ns for f in recorded} == before
    assert _pdfs(out) == ["Bouc-Bel-Air-13015.pdf", "Lille-59350.pdf", "Septèmes-les-Vallons-13106.pdf"]
    assert len(_recorded(out)) == 3


def test_an_interrupted_batch_redoes_only_the_missing_reports(tmp_path):
    # The batch process itself is SIGKILLed when it starts its third report (jobs 1: the
    # territories one after the other, the biggest first, then by name).
    reg = _registry(tmp_path / "reg.csv", [("B1", BBA[0]), ("B2", BBA[0]), ("L", LILLE[0]), ("S", SEPTEMES[0])])
    out = tmp_path / "out"
    r = _batch(reg, out, "--date", DATE, env=_env(IMPACT_BATCH_FAULT=f"render:{SEPTEMES[0]}:kill"))
    assert r.returncode == -signal.SIGKILL
    first = ["Bouc-Bel-Air-13015.pdf", "Lille-59350.pdf"]
    assert _pdfs(out) == first and sorted(_recorded(out)) == first
    assert not (out / "summary.csv").exists()
    # A batch killed while it wrote sites.gpkg leaves its temporary file: the next one removes
    # it (its pid is above Linux's pid_max: no such process), not a live process's.
    stale, live = out / ".sites.999999999.tmp.gpkg", out / f".sites.{os.getpid()}.tmp.gpkg"
    stale.write_bytes(b"SQLite format 3\x00")
    live.write_bytes(b"SQLite format 3\x00")
    before = {f: (out / f).stat().st_mtime_ns for f in first}
    r = _batch(reg, out, "--date", DATE)
    assert r.returncode == 0, r.stderr
    assert "1 report(s) written, 2 up to date" in r.stderr
    assert not stale.exists() and live.exists()
    live.unlink()
    assert {f: (out / f).stat().st_mtime_ns for f in first} == before
    assert sorted(_recorded(out)) == [*first, "Septèmes-les-Vallons-13106.pdf"]
    assert {x["file"] for x in _summary(out) if x["level"] == "commune"} == set(_recorded(out))
    # A file the batch did not write is still never overwritten without --force.
    (out / "Lille-59350.pdf").unlink()
    manifest = _manifest(out)
    del manifest["files"]["Lille-59350.pdf"]
    (out / ".impact-batch.json").write_text(json.dumps(manifest), encoding="utf-8")
    (out / "Lille-59350.pdf").write_text("mine", encoding="utf-8")
    r = _batch(reg, out, "--date", DATE)
    assert r.returncode == 2 and "Lille-59350.pdf: already exists and was not written by impact batch" in r.stderr
    assert (out / "Lille-59350.pdf").read_text(encoding="utf-8") == "mine"


# ----------------------------------------------------------------------------- names, cells, gpkg
LONG_CITY = "Saint-" + "Quelque-Part-" * 22 + "sur-Mer"  # 299 characters, no such commune
FORMULAS = {
    "name": '=HYPERLINK("http://x.invalid","clic")',
    "operator": "@SUM(A1:A9)",
    "status": "+planned",
    "source": "-2+3",
}


@pytest.fixture(scope="module")
def named_batch(tmp_path_factory):
    """One batch of sites whose names would collide, a 299-character city, formula cells."""
    tmp = tmp_path_factory.mktemp("names")
    assert len(LONG_CITY) == 299
    reg = _registry(
        tmp / "reg.csv",
        [
            ("A", "Saint Denis"),
            ("B", "Saint-Denis"),
            ("C", "Saint/Denis"),  # three communes bear the name: unplaced
            ("D", LONG_CITY),
            (FORMULAS["name"], LILLE[0], FORMULAS["operator"], FORMULAS["status"], FORMULAS["source"]),
        ],
    )
    out = tmp / "out"
    env = _env(SOURCE_DATE_EPOCH="1764028800")  # 2025-11-25T00:00:00Z
    first = _batch(reg, out, env=env)
    assert first.returncode in (0, 1) and "Traceback" not in first.stderr, first.stderr
    if first.returncode == 1:  # a schema that caps a city's length: row 4 is a bad row, with a clear message
        failed = [x for x in _summary(out) if x["level"] == "site" and x["result"] != "ok"]
        assert [x["name"] for x in failed] == ["D"] and "city" in failed[0]["result"], failed
    gpkg, summary = (out / "sites.gpkg").read_bytes(), (out / "summary.csv").read_bytes()
    time.sleep(1.1)  # GDAL's own time stamp would differ
    second = _batch(reg, out, env=env)  # the reports are up to date; the tables are written again
    assert second.returncode == first.returncode, second.stderr
    return {"out": out, "stderr": first.stderr, "second": second.stderr, "gpkg": gpkg, "summary": summary}


def _text(pdf) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_distinct_names_get_distinct_safe_files(named_batch):
    # Old code: « Saint Denis », « Saint-Denis » and « Saint/Denis » all wrote Saint-Denis.pdf
    # (two reports lost, « 3 report(s) written ») and the 299-character city crashed the batch.
    out = named_batch["out"]
    assert "5 report(s) written" in named_batch["stderr"]
    rows = [x for x in _summary(out) if x["level"] == "commune"]
    files = {x["name"]: x["file"] for x in rows}
    assert len(rows) == 5 and len(set(files.values())) == 5 and sorted(files.values()) == _pdfs(out)
    for f in files.values():
        assert f.endswith(".pdf") and "/" not in f and ".." not in f and not f.startswith(("-", "."))
        assert 5 < len(f.encode("utf-8")) <= 100, f
    assert files["Lille"] == "Lille-59350.pdf"
    assert all(files[n].startswith("Saint-Denis-") for n in ("Saint Denis", "Saint-Denis", "Saint/Denis"))
    # Each file holds its own territory's report.
    for name in ("Saint Denis", "Saint/Denis"):
        assert name in _text(out / files[name])
    assert LONG_CITY[:40] in _text(out / files[LONG_CITY]).replace("\n", "")
    sites = {x["name"]: x["file"] for x in _summary(out) if x["level"] == "site"}
    assert sites["A"] == files["Saint Denis"] and sites["C"] == files["Saint/Denis"]


def test_summary_cells_are_not_formulas(named_batch):
    # Old code: the cells began with =, @, +, - (a spreadsheet runs them: OWASP CSV injection).
    rows = _summary(named_batch["out"])
    site = next(x for x in rows if x["level"] == "site" and x["city"] == "Lille")
    assert site["name"] == "'" + FORMULAS["name"] and site["status"] == "'" + FORMULAS["status"]
    assert site["source"] == "'" + FORMULAS["source"]
    for x in rows:
        for value in x.values():
            assert not value.startswith(("=", "@", "+", "\t", "\r")), value
            assert not value.startswith("-") or _is_number(value), value
    assert float(site["facility_energy_mwh"]) > 0  # numbers stay numbers


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_sites_gpkg_is_reproducible(named_batch):
    # Two runs, the same inputs and SOURCE_DATE_EPOCH: the same bytes. Old code: GDAL wrote the
    # time of writing into gpkg_contents.last_change, so every run differed.
    out = named_batch["out"]
    assert (
        hashlib.sha256((out / "sites.gpkg").read_bytes()).hexdigest() == hashlib.sha256(named_batch["gpkg"]).hexdigest()
    )
    assert "0 report(s) written, 5 up to date" in named_batch["second"]
    assert (out / "summary.csv").read_bytes() == named_batch["summary"]
    with sqlite3.connect(f"file:{out / 'sites.gpkg'}?mode=ro", uri=True) as db:
        assert db.execute("select last_change from gpkg_contents").fetchall() == [("2025-11-25T00:00:00.000Z",)]
        files = dict(db.execute("select name, file from sites"))
    assert files["D"] == next(x["file"] for x in _summary(out) if x["level"] == "commune" and x["name"] == LONG_CITY)


# ----------------------------------------------------------------------------- territories (no batch)
def _projects(*specs):
    from impact.project import parse_project

    return [
        parse_project({"name": f"P{k}", "country": "FR", "it_capacity_mw": 1, **spec}) for k, spec in enumerate(specs)
    ]


def test_a_territory_is_its_placement():
    from impact.batch import territories

    projects = _projects(
        {"city": "Saint Denis"},
        {"city": "Saint-Denis"},
        {"city": "Saint/Denis"},  # names: 3 territories
        {"city": "Saint-Denis", "location": {"lat": 48.92637, "lon": 2.35626}},  # 93066, from its coordinates
        {"city": "Saint Denis", "location": {"lat": 43.35553, "lon": 2.21538}},  # 11339 (Aude)
        {"city": "Bouc Bel Air"},
        {"city": "Bouc-Bel-Air"},  # the same commune (13015), two spellings
    )
    found = territories(projects, ["Saint-Denis"])  # a bad row, unplaced: the unplaced « Saint-Denis »
    assert [t.code for t in found] == ["", "", "", "93066", "11339", "13015", "13015", ""]
    assert found[5] == found[6] and found[1] == found[7]
    assert found[3].name == "Saint-Denis (93066)" and found[3].file == "Saint-Denis-93066.pdf"
    assert found[4].file == "Saint-Denis-11339.pdf" and found[5].file == "Bouc-Bel-Air-13015.pdf"
    assert len({t.file for t in found}) == 6 == len(set(found))
    # The same territories in another order (and among other sites): the same files.
    again = territories(projects[::-1] + _projects({"city": "Lille"}), [])
    assert [t.file for t in again[:7]] == [t.file for t in found[:7]][::-1]


@pytest.mark.parametrize(
    "name",
    [
        "..",
        "/",
        "../../etc/passwd",
        "",
        "   ",
        "\x00\x1b[31m",
        "CON",
        "-rf",
        "é" * 300,
        "Saint/Denis",
        "a" * 5000,
        "日本" * 100,
        "\ud800x",
    ],
)
def test_file_names_are_safe_for_any_name(name):
    from impact.batch import territory_filename

    for code in ("", "93066"):
        f = territory_filename(name, code)
        assert f.endswith(".pdf") and f == territory_filename(name, code)  # stable
        assert "/" not in f and "\\" not in f and ".." not in f and "\x00" not in f
        assert not f.startswith(("-", ".")) and 5 < len(f.encode("utf-8", "surrogatepass")) <= 100
        assert f.encode("utf-8")  # encodable: no lone surrogate
        assert all(c.isalnum() or c in "-_." for c in f), f


def test_batch_terminal_messages_carry_no_escape_sequences(tmp_path):
    """The registry's file name reaches the terminal in each row error, the output folder's in the
    summary line: the batch prints both through terminal_text, so an ANSI escape or a bell in
    them never reaches the terminal."""
    from .conftest import run_cli

    reg = tmp_path / "reg\x1b[2Jistry.csv"
    reg.write_text(
        "name,country,city,it_capacity_mw,location.lat,location.lon\n"
        "\x1b[31mRed\x07,FR,Valence,not a number,44.93,4.89\n",
        encoding="utf-8",
    )
    r = run_cli("batch", reg, "-o", tmp_path / "out\x1b]0;x\x07", "--draws", "100")
    assert r.returncode == 1, r.stderr
    assert "it_capacity_mw" in r.stderr and "row 1" in r.stderr
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr, repr(r.stderr)
