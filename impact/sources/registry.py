"""A registry of data centers: one project per row, CSV or GeoJSON.

Columns are project-file keys; nested keys are written with a dot
(``location.lat``, ``cooling.type``, ``grid.carbon_intensity_g_per_kwh``), plus
``status`` (e.g. operating, planned) and ``source`` (where the row comes from).
An empty cell means the key is absent. A cell is read as a number when it is
one, as YAML flow when it starts with ``{`` or ``[`` (``{low: 0.4, central: 0.6,
high: 0.8}``), otherwise as text. In a GeoJSON registry, a Point geometry gives
``location`` when the properties do not.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import InputError
from ..textsafe import excerpt
from ._text import csv_rows, decode, label, read_bytes
from .files import exception_text

META = ("status", "source")
TEXT_KEYS = ("name", "operator", "city", "country", "notes", "cooling.type", "refrigerant.type", "generators.fuel")


class RegistryRows(list):
    """The valid rows as ``(row_number, Project)``; ``errors`` lists the bad ones.

    ``raw`` maps each bad row's number to its cells as read (name, city, status...),
    so that a report can still name the site.

    ``errors`` holds ``(row_number, InputError)`` pairs: with ``errors="collect"``
    a batch can report them and go on with the others. Row numbers count data
    rows from 1 (in a CSV, row n is on line n + 1).
    """

    def __init__(self, rows=(), errors=(), raw=None):
        super().__init__(rows)
        self.errors = list(errors)
        self.raw = dict(raw or {})


def _cell(text: str, where: str):
    import yaml

    s = text.strip()
    if s == "":
        return None
    if s[0] in "{[":
        try:
            return yaml.safe_load(s)
        except yaml.YAMLError as exc:
            why = getattr(exc, "problem", None) or exception_text(exc)
            raise ValueError(f"not valid YAML flow ({why}): {excerpt(s)}") from None
    try:
        n = float(s.replace(",", ".")) if s.count(",") == 1 and "." not in s else float(s)
    except ValueError:
        return s
    return int(n) if n.is_integer() and "." not in s and "e" not in s.lower() else n


def _nest(flat: dict[str, object]) -> dict:
    out: dict = {}
    for key, value in flat.items():
        if value is None:
            continue
        parts = key.split(".")
        node = out
        for p in parts[:-1]:
            nxt = node.setdefault(p, {})
            if not isinstance(nxt, dict):
                raise ValueError(f"'{key}' is nested under '{p}', which has a value of its own")
            node = nxt
        if isinstance(node.get(parts[-1]), dict):
            raise ValueError(f"'{key}' has a value and nested keys")
        node[parts[-1]] = value
    return out


def _rows_csv(text: str, source: str):
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=sep)
    try:
        fields = reader.fieldnames
    except csv.Error as exc:
        raise InputError(source, [("line 1", f"is not a valid CSV line: {exception_text(exc)}")]) from None
    if not fields:
        raise InputError(source, "the file is empty; expected a header line of project-file keys")
    for n, row in enumerate(csv_rows(reader, source), start=1):
        if None in row:
            raise InputError(
                source,
                [(f"row {n} (line {reader.line_num})", f"has more cells than the header ({len(fields)} columns)")],
            )
        if not any((v or "").strip() for v in row.values()):
            continue
        yield n, f"line {reader.line_num}", {k.strip(): (v or "") for k, v in row.items() if k and k.strip()}, None


def _rows_geojson(text: str, source: str):
    from ._geo import load_json

    data = load_json(text, source)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError(source, "expected a GeoJSON FeatureCollection")
    features = data.get("features") or []
    if not isinstance(features, list):
        raise InputError(source, [("features", f"must be a list of features, got {excerpt(features)}")])
    for n, feat in enumerate(features, start=1):
        feat = feat if isinstance(feat, dict) else {}
        props: dict = feat["properties"] if isinstance(feat.get("properties"), dict) else {}
        geom: dict = feat["geometry"] if isinstance(feat.get("geometry"), dict) else {}
        point = None
        xy = geom.get("coordinates")
        if geom.get("type") == "Point" and isinstance(xy, list) and len(xy) >= 2:
            point = xy[:2]
        yield n, f"feature {n}", {str(k): ("" if v is None else v) for k, v in props.items()}, point


def read_registry(path: str | Path, errors: str = "raise") -> RegistryRows:
    """Read a registry of data centers into validated projects.

    Parameters
    ----------
    path : str or Path
        A CSV (``,`` or ``;``, UTF-8 or latin-1) or a GeoJSON FeatureCollection.
    errors : {"raise", "collect"}
        ``raise``: one :class:`InputError` listing every bad row. ``collect``:
        bad rows are left out and listed in ``.errors``; the others go on.

    Returns
    -------
    RegistryRows
        A list of ``(row_number, Project)``. Each project's relative paths
        resolve against the registry's folder; ``registry_row(project)`` gives
        its ``status`` and ``source``.

    Raises
    ------
    InputError
        if the file cannot be read, or (``errors="raise"``) a row is invalid,
        naming the row, its line and the field.
    """
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', got {errors!r}")
    return parse_registry(read_bytes(path, "registry"), path, errors)


def parse_registry(content: bytes, path: str | Path, errors: str = "raise") -> RegistryRows:
    """Parse the bytes of a registry read from ``path``; see :func:`read_registry` (``path`` names
    the file in messages, tells CSV from GeoJSON and anchors the rows' relative paths)."""
    from ..project import parse_project

    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', got {errors!r}")
    p = Path(path)
    name = label(p)
    text = decode(content)
    is_json = p.suffix.lower() in (".geojson", ".json") or text.lstrip().startswith("{")
    rows = _rows_geojson(text, name) if is_json else _rows_csv(text, name)
    good, bad, raw = [], [], {}
    for n, where, cells, point in rows:
        row_label = f"{name} row {n} ({where})"
        try:
            flat: dict[str, object] = {}
            for key, value in cells.items():
                try:
                    if isinstance(value, str) and (key in TEXT_KEYS or key.startswith("sources.")):
                        flat[key] = value.strip() or None
                    else:
                        flat[key] = _cell(value, key) if isinstance(value, str) else value
                except ValueError as exc:
                    raise InputError(row_label, [(key, str(exc))]) from None
            meta = {k: flat.pop(k, None) for k in META}
            try:
                data = _nest(flat)
            except ValueError as exc:
                raise InputError(row_label, [("", str(exc))]) from None
            if point is not None and "location" not in data:
                data["location"] = {"lon": point[0], "lat": point[1]}
            if meta["source"]:
                sources = dict(data.get("sources") or {}) if isinstance(data.get("sources"), dict) else {}
                for key in data:
                    if key not in ("name", "sources", "notes", "claims"):
                        sources.setdefault(key, str(meta["source"]))
                data["sources"] = sources
            project = parse_project(data, row_label)
        except InputError as exc:
            bad.append((n, exc))
            raw[n] = {k: (v.strip() if isinstance(v, str) else v) for k, v in cells.items()}
            continue
        object.__setattr__(project, "_path", p.resolve())
        object.__setattr__(project, "_registry", {"row": n, **{k: meta[k] for k in META}})
        good.append((n, project))
    if bad and errors == "raise":
        problems = [
            (f"{e.source.removeprefix(name + ' ')}: {field}" if field else e.source.removeprefix(name + " "), msg)
            for _, e in bad
            for field, msg in e.problems
        ]
        raise InputError(name, problems)
    return RegistryRows(good, bad, raw)


def registry_row(project) -> dict | None:
    """``{"row": n, "status": .., "source": ..}`` for a project read from a registry, else None."""
    return getattr(project, "_registry", None)
