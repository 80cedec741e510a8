"""impact: the territorial footprint of a data-center project, with sources and ranges.

>>> import impact
>>> project = impact.load_project(impact.paths.default_project())
>>> results = impact.estimate(project)
>>> results.to_frame()  # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "Results",
    "__version__",
    "estimate",
    "estimate_many",
    "load_project",
    "paths",
    "project_json_schema",
    "sensitivity",
    "validate",
]


#: Public names, imported on first use so that ``impact --help`` does not pay for
#: pandas and numpy: name -> (module, attribute).
_LAZY = {
    "estimate": (".engine", "estimate"),
    "sensitivity": (".engine", "sensitivity"),
    "estimate_many": (".batch", "estimate_many"),
    "load_project": (".project", "load_project"),
    "validate": (".validation", "validate"),
    "project_json_schema": (".schema", "project_json_schema"),
    "Results": (".results", "Results"),
    "InputError": (".errors", "InputError"),
    "paths": (".paths", None),
}


def __getattr__(name: str):
    import importlib

    if name not in _LAZY:
        raise AttributeError(f"module 'impact' has no attribute {name!r}")
    module, attr = _LAZY[name]
    mod = importlib.import_module(module, __name__)
    return mod if attr is None else getattr(mod, attr)
