"""Where the reference data and templates are, installed or in a checkout.

In a checkout (and an editable install) they sit at the top of the repository; a
wheel carries them inside the package as ``impact/_data`` and ``impact/_templates``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for path in candidates:
        if path.is_dir():
            return path
    raise FileNotFoundError(
        "impact's reference files are missing (looked in "
        + ", ".join(str(c) for c in candidates)
        + "); reinstall the package"
    )


@cache
def data_dir() -> Path:
    """Folder of the reference tables, example projects and small geodata."""
    return _first_existing(_PACKAGE / "_data", _PACKAGE.parent / "data")


@cache
def templates_dir() -> Path:
    """Folder of the Jinja2 templates and CSS."""
    return _first_existing(_PACKAGE / "_templates", _PACKAGE.parent / "templates")


def default_project() -> Path:
    """The embedded default project: MRS5, Marseille."""
    return data_dir() / "projects" / "mrs5.yaml"
