"""A non-editable install carries its reference data, templates and default project."""

import os
import subprocess
import sys

from .conftest import ROOT


def test_wheel_install_finds_its_data(tmp_path):
    target = tmp_path / "site"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    code = (
        "import impact, impact.paths as p\n"
        "assert str(p.data_dir()).startswith(%r), p.data_dir()\n"
        "assert (p.templates_dir()).is_dir()\n"
        "r = impact.estimate(impact.load_project(p.default_project()), draws=200)\n"
        "print(p.data_dir(), round(r.central('facility_energy_mwh')))\n"
    ) % str(target)
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
    )
    assert run.returncode == 0, run.stderr
    assert "impact/_data" in run.stdout
    assert run.stdout.split()[-1] == str(round(22 * 0.56 * 8760 * 1.3))
    # The templates and every reference table travelled.
    assert sorted(p.name for p in (target / "impact" / "_data" / "reference").glob("*.csv")) == sorted(
        p.name for p in (ROOT / "data" / "reference").glob("*.csv")
    )
    assert any((target / "impact" / "_templates").iterdir())
    # The France-wide data travelled too.
    for name in ("boundaries.npz", "communes.csv", "substations.csv", "basemap.gpkg", "PROVENANCE.md"):
        assert (target / "impact" / "_data" / "france" / name).is_file(), name


def test_wheel_metadata_has_one_version_a_licence_and_types(tmp_path):
    """The wheel's version is impact.__version__ (one source), it carries the AGPL text and py.typed."""
    import zipfile

    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    (wheel,) = tmp_path.glob("impact-*.whl")
    init = (ROOT / "impact" / "__init__.py").read_text(encoding="utf-8")
    version = init.split('__version__ = "')[1].split('"')[0]
    assert wheel.name.startswith(f"impact-{version}-")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        meta = z.read(f"impact-{version}.dist-info/METADATA").decode()
        licence = next(n for n in names if n.endswith("dist-info/licenses/LICENSE"))
        assert "GNU AFFERO GENERAL PUBLIC LICENSE" in z.read(licence).decode()
    assert f"Version: {version}\n" in meta
    assert "License-Expression: AGPL-3.0-or-later" in meta
    assert "impact/py.typed" in names
