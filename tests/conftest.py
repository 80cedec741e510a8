"""Shared fixtures. Tests that need ../shared/data skip when it is absent, except in CI
(IMPACT_REQUIRE_SHARED_DATA=1, set by .ci/run), where they fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
MRS5 = ROOT / "data" / "projects" / "mrs5.yaml"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        if os.environ.get("IMPACT_REQUIRE_SHARED_DATA"):
            pytest.fail(f"{SHARED_DATA} is missing (IMPACT_REQUIRE_SHARED_DATA is set)")
        pytest.skip(f"{SHARED_DATA} is not here: real-data tests skipped")
    return SHARED_DATA


@pytest.fixture
def mrs5_path() -> Path:
    return MRS5


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m impact ARGS`` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "impact", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


@pytest.fixture
def write_project(tmp_path):
    """Write YAML text to a project file and return its path."""

    def write(text: str, name: str = "project.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


MINIMAL = """\
name: Test site
country: FR
year: 2024
it_capacity_mw: 10
"""
