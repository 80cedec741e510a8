"""Alternatives: the same project with some inputs changed (``alternatives:`` in the file).

Each alternative has a ``name`` and ``changes``, a mapping laid over the project
file (nested keys merge, other values replace), e.g.::

    alternatives:
      - name: Air cooling
        changes: {cooling: {type: air_chillers}, pue: unknown}
      - name: Half the capacity
        changes: {it_capacity_mw: 11}

Every scenario keeps the project's climate, assumptions and free-cooling setting unless
its changes say otherwise (docs/alternatives-basis.md). A change of cooling type to one
whose economiser is part of its definition (dry_free_cooling, evaporative, adiabatic,
liquid_closed_loop) brings that economiser: the project's ``free_cooling: false`` is not
carried into it, unless the alternative sets ``cooling.free_cooling`` itself.
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import InputError
from .project import Project, parse_project, project_path, project_text


def _merge(base: dict, changes: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if (
            isinstance(value, dict)
            and isinstance(out.get(key), dict)
            and not (set(value) == {"low", "central", "high"})
        ):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def free_cooling_by_definition() -> frozenset[str]:
    """Cooling types whose economiser is part of what they are (on by default, no river or sea water)."""
    from .model.cooling import SYSTEMS
    from .project import WATER_COOLED

    return frozenset(k for k, spec in SYSTEMS.items() if spec["free_cooling"] and k not in WATER_COOLED)


def _cooling_changes(cooling: dict, changed: dict) -> None:
    """Fields of the project's cooling that do not fit the alternative's cooling type are dropped."""
    if cooling.get("type") not in ("river", "sea"):
        # A change to a cooling without river or sea water drops the water's fields.
        for key in ("water_flow_m3_per_h", "water_in_c", "water_out_c", "coverage_share"):
            if key not in changed:
                cooling.pop(key, None)
    if "type" in changed and "free_cooling" not in changed and cooling.get("type") in free_cooling_by_definition():
        # dry_free_cooling without an economiser would be air chillers under another name.
        if cooling.get("free_cooling") is False:
            cooling.pop("free_cooling")


def project_data(project: Project) -> dict[str, Any]:
    """The project's content as a mapping (from its YAML text when it has one)."""
    import yaml

    text = project_text(project)
    if text is not None:
        return yaml.safe_load(text) or {}
    return project.model_dump(exclude_none=True)


def alternatives(project: Project) -> list[tuple[str, Project]]:
    """The project's alternatives as projects of their own, in file order.

    Raises
    ------
    InputError
        naming ``alternatives[i].changes`` and the field at fault.
    """
    if not project.alternatives:
        return []
    base = project_data(project)
    base.pop("alternatives", None)
    base.pop("claims", None)  # claims belong to the declared project
    path = project_path(project)
    label = path.name if path else "<project>"
    out = []
    for i, alt in enumerate(project.alternatives):
        data = _merge(base, alt.changes)
        cooling = data.get("cooling")
        changed = alt.changes.get("cooling")
        if isinstance(cooling, dict):
            _cooling_changes(cooling, changed if isinstance(changed, dict) else {})
        data["name"] = f"{project.name} - {alt.name}"
        try:
            variant = parse_project(data, label)
        except InputError as exc:
            raise InputError(
                label,
                [(f"alternatives[{i}].changes.{f}" if f else f"alternatives[{i}].changes", m) for f, m in exc.problems],
            ) from None
        if path is not None:  # relative data paths keep resolving against the file's folder
            object.__setattr__(variant, "_path", path)
        out.append((alt.name, variant))
    return out
