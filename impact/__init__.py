"""impact: the territorial footprint of a data-center project, with sources and ranges.

>>> import impact
>>> project = impact.load_project(impact.paths.default_project())
>>> results = impact.estimate(project)
>>> results.to_frame()  # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "estimate", "estimate_many", "sensitivity", "load_project", "Results", "InputError", "paths"]


def __getattr__(name: str):
    # Lazy, so that ``impact --help`` does not pay for pandas and numpy.
    if name == "estimate":
        from .engine import estimate

        return estimate
    if name == "sensitivity":
        from .engine import sensitivity

        return sensitivity
    if name == "estimate_many":
        from .batch import estimate_many

        return estimate_many
    if name == "load_project":
        from .project import load_project

        return load_project
    if name == "Results":
        from .results import Results

        return Results
    if name == "InputError":
        from .errors import InputError

        return InputError
    if name == "paths":
        import importlib

        return importlib.import_module(".paths", __name__)
    raise AttributeError(f"module 'impact' has no attribute {name!r}")
