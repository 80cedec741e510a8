"""Outputs (issue 11, item 5): output paths checked before any computation, a full disk or a
read-only folder said clearly with nothing left behind, two runs never writing the same file
silently, and the leftovers of a killed run cleaned by the next run. Real processes, real
file systems (a private mount namespace with a tiny or a read-only tmpfs where allowed)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import MRS5, ROOT, run_cli

DATE = "2026-11-25"
BAD_PROJECT = "name: x\ncountry: FR\nit_capacity_mw: -1\n"  # invalid: computing it would fail


def _no_traceback(r):
    assert "Traceback" not in r.stderr, r.stderr


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ----------------------------------------------------------------------------- checked first
def test_html_and_pdf_must_be_distinct_files(tmp_path):
    """``-o x.pdf --html x.pdf`` wrote the HTML into the PDF, exit 0: now exit 2 at once."""
    pdf = tmp_path / "x.pdf"
    r = run_cli("dossier", MRS5, "-o", pdf, "--html", pdf, "--date", DATE)
    assert r.returncode == 2 and "--html: names the same file as -o" in r.stderr, r.stderr
    _no_traceback(r)
    # The same file under another spelling, and the draft's own name.
    r = run_cli("dossier", MRS5, "-o", pdf, "--html", tmp_path / "sub" / ".." / "x.md", "--date", DATE)
    assert r.returncode == 2 and "--html: names the same file as the draft" in r.stderr, r.stderr
    assert _files(tmp_path) == []


def test_output_that_is_a_folder(tmp_path):
    (tmp_path / "out.pdf").mkdir()
    r = run_cli("dossier", MRS5, "-o", tmp_path / "out.pdf", "--date", DATE)
    assert r.returncode == 2 and "out.pdf: is a folder: give a file name" in r.stderr, r.stderr
    _no_traceback(r)
    for force in ([], ["--force"]):
        r = run_cli("estimate", MRS5, "-o", tmp_path, *force)
        assert r.returncode == 2 and "is a folder: give a file name" in r.stderr, r.stderr
        _no_traceback(r)


def test_outputs_are_checked_before_the_project_is_even_read(tmp_path):
    """An invalid project and a bad output: the output is what is reported (nothing computed)."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_PROJECT, encoding="utf-8")
    r = run_cli("estimate", bad, "-o", tmp_path / "none" / "x.json")
    assert r.returncode == 2 and "folder" in r.stderr and "it_capacity_mw" not in r.stderr, r.stderr
    r = run_cli("dossier", bad, "-o", tmp_path / "x.pdf", "--html", tmp_path / "x.pdf")
    assert r.returncode == 2 and "same file" in r.stderr and "it_capacity_mw" not in r.stderr, r.stderr


def test_an_output_never_replaces_an_input(tmp_path):
    project = tmp_path / "p.yaml"
    shutil.copy(MRS5, project)
    r = run_cli("estimate", project, "-o", project, "--force")
    assert r.returncode == 2 and "is an input of this run" in r.stderr, r.stderr
    assert project.read_bytes() == MRS5.read_bytes()


def test_a_device_is_not_an_output(tmp_path):
    link = tmp_path / "null.json"
    link.symlink_to("/dev/null")
    r = run_cli("estimate", MRS5, "-o", link, "--force")
    assert r.returncode == 2 and "is not a regular file" in r.stderr, r.stderr
    assert link.is_symlink() and os.readlink(link) == "/dev/null"


# ----------------------------------------------------------------------------- real file systems
def _namespace_ok() -> bool:
    if shutil.which("unshare") is None:
        return False
    return (
        subprocess.run(
            ["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True, timeout=30
        ).returncode
        == 0
    )


needs_namespace = pytest.mark.skipif(not _namespace_ok(), reason="no private mount namespace (unshare) here")


def _in_namespace(mount_options: str, folder: Path, *cli: str, after: str = "") -> subprocess.CompletedProcess:
    """Run ``python -m impact CLI`` with a fresh tmpfs (``mount_options``) on ``folder``, in a
    private mount namespace (the host never sees it); ``after`` runs there too, afterwards."""
    import shlex

    cmd = " ".join(shlex.quote(str(c)) for c in (sys.executable, "-m", "impact", *cli))
    script = (
        f"mount -t tmpfs -o {mount_options} impact-test {shlex.quote(str(folder))} || exit 97\n"
        f'{cmd}\necho "rc=$?" >&2\n{after}'
    )
    return subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


@needs_namespace
def test_a_full_disk_is_a_clear_error_and_leaves_no_file(tmp_path):
    """A 64 kB tmpfs: the 1 MB PDF cannot be written (ENOSPC, for real): exit 2, one line, no
    partial file, no temporary file. The old code printed a traceback and left ``.x.pdf.PID.tmp``."""
    full = tmp_path / "full"
    full.mkdir()
    r = _in_namespace("size=64k", full, "dossier", MRS5, "-o", full / "x.pdf", "--date", DATE, after=f"ls -A {full}")
    assert "rc=2" in r.stderr, r.stderr
    assert "x.pdf" in r.stderr and "no space left on the device" in r.stderr, r.stderr
    _no_traceback(r)
    assert r.stdout.strip() == ""  # the folder is empty: no PDF, no draft, no temporary file


@needs_namespace
def test_a_read_only_folder_is_refused_before_computing(tmp_path):
    """A read-only file system (EROFS stops root too, unlike chmod)."""
    ro = tmp_path / "ro"
    ro.mkdir()
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_PROJECT, encoding="utf-8")
    for cli in (
        ("dossier", MRS5, "-o", ro / "x.pdf", "--date", DATE),
        ("estimate", MRS5, "-o", ro / "x.json"),
        ("estimate", bad, "-o", ro / "x.json"),
    ):
        r = _in_namespace("ro,size=64k", ro, *cli)
        assert "rc=2" in r.stderr, r.stderr
        assert f"cannot write in folder {ro} (Read-only file system)" in r.stderr, r.stderr
        assert "it_capacity_mw" not in r.stderr  # refused before the project was read
        _no_traceback(r)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod; the namespace test covers it")
def test_a_folder_without_write_permission(tmp_path):  # pragma: no cover - non-root runs only
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        r = run_cli("estimate", MRS5, "-o", folder / "x.json")
        assert r.returncode == 2 and "cannot write in folder" in r.stderr, r.stderr
    finally:
        folder.chmod(0o755)


# ----------------------------------------------------------------------------- concurrent runs
_WRITER = """
import sys, time
from pathlib import Path
from impact.errors import InputError
from impact.fileio import staged
target, me, folder = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
try:
    with staged(target, overwrite=False) as tmp:
        tmp.write_bytes(me.encode() * 100000)
        (folder / f"ready-{me}").touch()
        while not (folder / "go").exists():
            time.sleep(0.01)
except InputError as exc:
    print(exc.message, file=sys.stderr)
    sys.exit(2)
"""


def test_two_processes_publishing_the_same_file(tmp_path):
    """Both have written their temporary file when both publish: exactly one wins, the other
    fails clearly and the file is the winner's, whole. The old code: the last one replaced it."""
    target = tmp_path / "out" / "x.csv"
    target.parent.mkdir()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(target), me, str(tmp_path)], cwd=ROOT, stderr=subprocess.PIPE, text=True
        )
        for me in "AB"
    ]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{me}").exists() for me in "AB"):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), "a writer died"
        time.sleep(0.01)
    (tmp_path / "go").touch()
    codes = [p.wait(timeout=60) for p in procs]
    errors = [p.stderr.read() for p in procs]
    assert sorted(codes) == [0, 2], (codes, errors)
    loser = errors[codes.index(2)]
    assert "x.csv: was created by another run while this one was writing" in loser
    winner = "AB"[codes.index(0)]
    assert target.read_bytes() == winner.encode() * 100000
    assert _files(target.parent) == ["x.csv"]  # no temporary file left


def test_two_estimates_into_the_same_file(tmp_path):
    """Two real ``impact estimate -o`` at once: one writes, the other says why it did not."""
    out = tmp_path / "x.json"
    cmd = [sys.executable, "-m", "impact", "estimate", str(MRS5), "--format", "json", "-o", str(out)]
    procs = [
        subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    codes = sorted(c for c, _ in results)
    assert codes == [0, 2], results
    loser = next(e for c, e in results if c == 2)
    assert "already exists" in loser or "was created by another run" in loser, loser
    assert "Traceback" not in loser
    assert json.loads(out.read_text(encoding="utf-8"))["indicators"]  # whole and valid
    assert _files(tmp_path) == ["x.json"]


def test_the_dossier_publishes_all_its_files_or_none(tmp_path):
    """If another run creates the draft while the PDF is published, the PDF is taken back."""
    from impact.errors import InputError
    from impact.fileio import staged_files

    pdf, md = tmp_path / "x.pdf", tmp_path / "x.md"
    with pytest.raises(InputError, match=r"x\.md: was created by another run"):
        with staged_files([pdf, md], overwrite=False) as (t1, t2):
            t1.write_bytes(b"pdf")
            t2.write_bytes(b"md")
            md.write_bytes(b"theirs")
    assert _files(tmp_path) == ["x.md"] and md.read_bytes() == b"theirs"


# ----------------------------------------------------------------------------- killed runs
def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_a_killed_dossier_leaves_files_that_the_next_run_removes(tmp_path):
    """SIGKILL during the PDF: its temporary file beside the PDF and its temporary folder stay;
    the next dossier removes them (and an old-style ``.x.pdf.PID.tmp`` of a dead run), and
    leaves alone what is not a dead impact run's."""
    out, tmpdir = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmpdir.mkdir()
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    pdf = out / "x.pdf"
    proc = subprocess.Popen(
        [sys.executable, "-m", "impact", "dossier", str(MRS5), "-o", str(pdf), "--date", DATE],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    try:
        while not list(out.glob(f".x.pdf.impact-{proc.pid}-*.tmp")):
            assert proc.poll() is None, "the dossier ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    left_files = list(out.glob(".x.pdf.impact-*.tmp"))
    left_dirs = list(tmpdir.glob(f"impact-dossier-{proc.pid}-*"))
    assert left_files and left_dirs and not pdf.exists()
    legacy = out / f".x.pdf.{_dead_pid()}.tmp"
    legacy.write_bytes(b"old")
    kept = [out / ".x.pdf.notes.tmp", out / f".y.pdf.impact-{os.getpid()}-0123abcd.tmp", out / "mine.tmp"]
    for k in kept:
        k.write_bytes(b"not a dead run's")
    (tmpdir / f"impact-dossier-{os.getpid()}-alive").mkdir()
    (tmpdir / "impact-dossier-other").mkdir()

    r = run_cli("dossier", MRS5, "-o", pdf, "--date", DATE, env={"TMPDIR": str(tmpdir)})
    assert r.returncode == 0, r.stderr
    assert not any(p.exists() for p in left_files + left_dirs + [legacy])
    assert all(k.exists() for k in kept)
    assert sorted(p.name for p in tmpdir.iterdir()) == sorted(
        [f"impact-dossier-{os.getpid()}-alive", "impact-dossier-other"]
    )
    assert pdf.exists() and pdf.with_suffix(".md").exists()


def test_a_file_name_too_long_is_refused_before_computing(tmp_path):
    """A 300-character output name: the old code computed everything, then failed to write."""
    r = run_cli("estimate", MRS5, "-o", tmp_path / ("x" * 300 + ".json"))
    assert r.returncode == 2 and "file name too long" in r.stderr, r.stderr
    _no_traceback(r)
    assert _files(tmp_path) == []
