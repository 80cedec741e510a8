"""One validation for every command: what ``impact check``, ``estimate`` and ``dossier`` refuse.

:func:`validate` reads a project, checks its schema, resolves every input (the ``assumptions``
keys are checked there), reads and parses every data file it points to (once, into a
:class:`~impact.project_data.DataFiles` that the rest of the run shares), reads the context
layers and builds each alternative the same way. It runs no model and writes nothing.
:func:`impact.estimate` and the dossier start from what it returns, so that a project that
``check`` passes cannot be refused later, and the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError


@dataclass
class Resolved:
    """A validated project, its inputs resolved and its data files parsed.

    Attributes
    ----------
    project : Project
        The validated project.
    data : impact.project_data.DataFiles
        Every data file of the run, parsed once (shared with the alternatives).
    model : impact.engine._Model
        The resolved inputs, ready to run (:func:`impact.estimate` runs a copy).
    context : dict
        The context layers of the maps (:func:`impact.project_data.load_context`).
    alternatives : list of (str, Resolved)
        The declared alternatives (``alternatives:``), each resolved like the project.
    registry : RegistryRows or None
        The registry given besides the project (the dossier's ``--registry``).
    """

    project: Any
    data: Any
    model: Any
    context: dict = field(default_factory=dict)
    alternatives: list = field(default_factory=list)
    registry: Any = None


def _label(project) -> str:
    from .project import project_path

    path = project_path(project)
    return path.name if path is not None else "<project>"


def validate(project_or_path, *, data=None, registry: str | Path | None = None, scope: str = "dossier") -> Resolved:
    """Everything ``impact check``, ``estimate`` and ``dossier`` validate, nothing computed or written.

    Parameters
    ----------
    project_or_path : Project, str or Path
        A project (:func:`impact.load_project`) or the path of a project file.
    data : impact.project_data.DataFiles, optional
        Where the data files are read and parsed once (a new one when None).
    registry : str or Path, optional
        A registry of data centres given besides the project (read like ``context.registry``).
    scope : {"dossier", "estimate"}
        ``dossier`` (``impact check`` and ``impact dossier``): everything. ``estimate``: what an
        estimate reads, no more (:func:`impact.estimate` of a project): the schema, every data file's
        presence and kind, the inputs and the files they read; the alternatives and the map layers
        (cables, boundaries, registry) are left to the dossier, so an estimate never refuses what
        ``check`` passes, and ``check`` refuses everything either refuses.

    Returns
    -------
    Resolved
        The project, its resolved inputs, its data files, its context layers and alternatives.

    Raises
    ------
    InputError
        for the first thing refused: the file or its schema; a data file that is missing, no
        regular file, too large or not readable as its kind; an ``assumptions`` key that is no
        input; an alternative that is not a valid project.
    """
    from .project import Project, load_project
    from .project_data import DataFiles, read_registry_file

    if scope not in ("dossier", "estimate"):
        raise ValueError(f"scope must be 'dossier' or 'estimate', got {scope!r}")
    project = project_or_path if isinstance(project_or_path, Project) else load_project(project_or_path)
    data = data if data is not None else DataFiles()
    everything = scope == "dossier"
    resolved = _resolve(project, data, everything)
    if everything:
        resolved.alternatives = _alternatives(project, data)
    if registry is not None:
        resolved.registry = read_registry_file(Path(registry), data)
    return resolved


def _resolve(project, data, everything: bool = True) -> Resolved:
    """One project (the declared one or an alternative): its data files, inputs and (``everything``)
    its context layers."""
    from .engine import _Model
    from .project_data import ESTIMATE_FIELDS, check_data_files, load_context, read_data_files

    check_data_files(project, _label(project))
    read_data_files(project, data, None if everything else ESTIMATE_FIELDS)
    model = _Model(project, data)
    return Resolved(project, data, model, load_context(project, data) if everything else {})


def _alternatives(project, data) -> list[tuple[str, Resolved]]:
    """Each alternative resolved; a problem of alternative ``i`` names ``alternatives[i]``."""
    from .scenarios import alternatives

    out = []
    label = _label(project)
    for i, (name, variant) in enumerate(alternatives(project)):
        try:
            out.append((name, _resolve(variant, data)))
        except InputError as exc:
            if exc.source != label:  # a data file at fault: its own message
                raise
            raise InputError(label, [(_in_alternative(i, f), m) for f, m in exc.problems]) from None
    return out


def _in_alternative(i: int, field: str) -> str:
    return (
        field if field.startswith("alternatives[") else f"alternatives[{i}]: {field}" if field else f"alternatives[{i}]"
    )
