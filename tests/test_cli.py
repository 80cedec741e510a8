"""The command line as a user runs it: output, errors, exit codes, files."""

import json
import subprocess
import sys

import pytest

from .conftest import MINIMAL, ROOT, run_cli


def test_estimate_prints_the_mrs5_table():
    r = run_cli("estimate", "data/projects/mrs5.yaml")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("MRS5 (Digital Realty), Marseille, FR")
    assert "facility_energy_mwh" in out and "140,000" in out  # 22 x 0.56 x 8760 x 1.3 = 140,300
    assert "co2e_generators_t" in out and "[default]" in out  # issue 12: generators sized by default
    assert "Sources" in out and "RTE, Bilan électrique 2024" in out


def test_estimate_json_shape():
    r = run_cli("estimate", "data/projects/mrs5.yaml", "--format", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    # nearest_substations: from RTE's national table shipped in the package (a site in France).
    assert set(d) == {"project", "indicators", "inputs", "nearest_substations"}
    assert d["nearest_substations"][0]["name"] == "CAP JANET"
    fe = d["indicators"]["facility_energy_mwh"]
    assert set(fe) >= {"unit", "low", "central", "high", "method", "sources"}
    assert fe["central"] == pytest.approx(22 * 0.56 * 8760 * 1.3)
    assert d["inputs"]["generators.installed_to_peak_ratio"]["status"] == "default"  # issue 12
    assert d["inputs"]["utilisation"]["status"] == "default"


def test_estimate_csv_to_file(tmp_path):
    out = tmp_path / "mrs5.csv"
    r = run_cli("estimate", "data/projects/mrs5.yaml", "--format", "csv", "-o", out)
    assert r.returncode == 0, r.stderr
    head = out.read_text().splitlines()[0]
    assert head.startswith("indicator,unit,low,central,high")


def test_existing_output_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "mine.json"
    out.write_text("precious")
    r = run_cli("estimate", "data/projects/mrs5.yaml", "--format", "json", "-o", out)
    assert r.returncode == 2
    assert "already exists; use --force" in r.stderr and "Traceback" not in r.stderr
    assert out.read_text() == "precious"
    r = run_cli("estimate", "data/projects/mrs5.yaml", "--format", "json", "-o", out, "--force")
    assert r.returncode == 0 and json.loads(out.read_text())["project"]["name"] == "MRS5"


@pytest.mark.parametrize(
    "text, message",
    [
        (
            MINIMAL.replace("it_capacity_mw: 10", "it_capacity_mw: -10"),
            "bad.yaml: it_capacity_mw: must be greater than 0, got -10",
        ),
        (MINIMAL + "utilisation: 1.7\n", "bad.yaml: utilisation: must be between 0 and 1, got 1.7"),
        ("", "bad.yaml: the file is empty"),
        ("- a\n- b\n", "bad.yaml: the top level must be a mapping"),
        ("name: [x\n", "bad.yaml: not valid YAML at line"),
        (MINIMAL + "pue: .nan\n", "bad.yaml: pue: must be a finite number, got nan"),
        (
            MINIMAL + "utilisation: {low: 0.9, central: 0.5, high: 0.95}\n",
            "bad.yaml: utilisation: must satisfy low <= central <= high",
        ),
    ],
)
def test_bad_input_exit_2_one_message_no_output(tmp_path, text, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    out = tmp_path / "out.json"
    r = run_cli("estimate", bad, "--format", "json", "-o", out)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]  # no temporary file left either


def test_unreadable_file(tmp_path):
    r = run_cli("estimate", tmp_path / "missing.yaml")
    assert r.returncode == 2 and "missing.yaml: cannot be read" in r.stderr and "Traceback" not in r.stderr


def test_check_command(tmp_path):
    r = run_cli("check", "data/projects/mrs5.yaml")
    assert r.returncode == 0 and "ok (MRS5, FR)" in r.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL + "pue: 0.5\n")
    r = run_cli("check", bad)
    assert r.returncode == 2 and "bad.yaml: pue: must be between 1 and 5, got 0.5" in r.stderr


def test_no_command_shows_help():
    r = run_cli()
    assert r.returncode == 2 and "estimate" in r.stdout


HEAVY = ("geopandas", "matplotlib", "weasyprint", "shapely", "pyproj")


@pytest.mark.parametrize(
    "argv", [["--help"], ["estimate", "data/projects/mrs5.yaml"], ["check", "data/projects/mrs5.yaml"]]
)
def test_fast_commands_do_not_import_heavy_libraries(argv):
    code = (
        "import sys\n"
        "from impact.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "HEAVY=" in r.stderr
    assert r.stderr.rsplit("HEAVY=", 1)[1].strip() == ""


def test_markdown_summary_escapes_user_text(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text(MINIMAL.replace("name: Test site", "name: '<img src=\"file:///etc/passwd\"> *bold*'"))
    r = run_cli("estimate", bad, "--format", "markdown")
    assert r.returncode == 0, r.stderr
    first = r.stdout.splitlines()[0]
    assert first == '# \\<img src="file:///etc/passwd"\\> \\*bold\\*'
    assert "| Total site electricity (`facility_energy_mwh`) |" in r.stdout


def test_check_reports_missing_data_files(tmp_path):
    project = tmp_path / "p.yaml"
    project.write_text(MINIMAL + "climate: {epw: weather/none.epw}\ngrid: {eco2mix: none.csv}\n")
    r = run_cli("check", project)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "p.yaml: climate.epw: file not found:" in r.stderr and "p.yaml: grid.eco2mix: file not found:" in r.stderr
