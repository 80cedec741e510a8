"""The form, built from the project's JSON Schema (:func:`impact.schema.project_json_schema`).

One source of truth: every field of the form is a field of the schema, with its kind (text,
whole number, number, range, choice, yes/no, date), its unit, its bounds and whether it may be
« non publié » (``unknown``) taken from there. The words beside each field (label, one-line
help, example, the choices in plain words) come from the catalogue (``templates/catalogue/<lang>/
web.yaml``, keys ``web.field.<field>``, ``web.help.<field>``, ``web.example.<field>``,
``web.choice.<field>.<value>``).

What the form does not show field by field (the equipment list, the authority's opinion, the
alternatives, the sources, the notes, the ``assumptions``) is kept as YAML in the « autres
éléments » box, so that a project file uploaded then downloaded loses nothing. Data-file paths
are not in the form: the web reads no server path.

Form values are the raw strings the person typed (``name -> text``), sent back as typed when a
field is wrong. Input names: the dotted field (``cooling.water_in_c``), its ``.low`` / ``.high``
for a range, its ``.unknown`` for « non publié », ``claims.<i>.<field>`` for the claims' rows.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

#: Fields left out of the form (kept in the « autres éléments » YAML box, or refused as server paths).
OTHER = ("land", "context", "assumptions", "sources", "phases", "ramp_up")
# (phases and ramp_up, lists of the ICPE phases and of the IT power year by year, issue 13: in the box
# until they get rows of their own)
#: Blocks that may be written ``unknown`` as a whole (their schema has the unknown form).
ROWS = "claims"
#: The lists of objects shown row by row: list -> its model in the schema's $defs.
ROW_LISTS = {
    "equipment": "EquipmentItem",
    "claims": "Claim",
    "authority_opinion.recommendations": "Recommendation",
}
#: The YAML box's input name.
OTHER_NAME = "other_yaml"
#: Claims rows shown on an empty form.
MIN_CLAIM_ROWS = 1
#: The alternatives' rows: a name, a description and changes, each a field of the form and its new value.
ALTERNATIVES = "alternatives"
#: Empty change slots shown under each alternative.
FREE_CHANGES = 2
#: The words a change's value may use for « non publié ».
UNKNOWN_TEXT = ("unknown", "inconnu", "non publié", "non publie", "not published")


@dataclass(frozen=True)
class Field:
    """One input of the form (a schema field)."""

    name: str  # dotted path: cooling.water_in_c
    kind: str  # text, date, int, number, range, choice, bool
    unit: str
    required: bool
    unknown: bool  # may be « non publié »
    choices: tuple[str, ...] = ()
    bounds: dict[str, float] = field(default_factory=dict)
    max_length: int | None = None

    @property
    def id(self) -> str:
        return input_id(self.name)


def input_id(name: str) -> str:
    """The HTML id of the input ``name`` (``cooling.water_in_c`` -> ``f-cooling-water_in_c``)."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


@dataclass(frozen=True)
class Section:
    name: str  # "general" or a top-level block (cooling, grid, ...)
    fields: tuple[Field, ...]
    unknown: bool = False  # the whole block may be « non publié » (generators, refrigerant)
    none: bool = False  # the block may be « aucun » (refrigerant)


def _forms(prop: dict) -> list[dict]:
    return [f for f in prop.get("anyOf", [prop]) if isinstance(f, dict)]


def _field(name: str, prop: dict, required: bool) -> Field | None:
    forms = _forms(prop)
    kinds = [f.get("type") for f in forms]
    unknown = any(f.get("type") == "string" and "unknown" in f.get("enum", ()) for f in forms)
    has_range = any(f.get("type") == "object" and f.get("title") == "range" for f in forms)
    bounds = {k: prop[k] for k in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum") if k in prop}
    for f in forms:  # bounds beside anyOf, else in the number's form
        for k in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
            if k in f and f.get("type") in ("number", "integer"):
                bounds.setdefault(k, f[k])
    unit = prop.get("unit", "-")
    enum = next((f["enum"] for f in forms if "enum" in f and "unknown" not in f["enum"]), None)
    text_len = next((f.get("maxLength") for f in forms if f.get("type") == "string"), None)
    if has_range:
        kind = "range"
    elif "integer" in kinds:
        kind = "int"
    elif "number" in kinds:
        kind = "number"
    elif "boolean" in kinds:
        kind = "bool"
    elif enum is not None:
        kind = "choice"
    elif any(f.get("format") == "date" for f in forms):
        kind = "date"
    elif "string" in kinds:
        kind = "text"
    else:
        return None  # arrays, mappings: not a single input
    return Field(
        name,
        kind,
        unit,
        required,
        unknown,
        tuple(enum or ()),
        bounds,
        text_len,
    )


def _model(prop: dict, defs: dict) -> tuple[str | None, bool, bool]:
    """The $defs model a block refers to, and whether it may be unknown / none as a whole."""
    ref = next((f["$ref"].split("/")[-1] for f in _forms(prop) if "$ref" in f), None)
    enums = [set(f.get("enum", ())) for f in _forms(prop) if f.get("type") == "string"]
    return ref, any("unknown" in e for e in enums), any("none" in e for e in enums)


@cache
def sections() -> tuple[Section, ...]:
    """The form's sections, in the schema's order: the top-level values first, then each block."""
    from ..schema import project_json_schema
    from .service import path_fields

    schema = project_json_schema()
    defs = schema["$defs"]
    paths = set(path_fields())
    general: list[Field] = []
    blocks: list[Section] = []
    for name, prop in schema["properties"].items():
        if name in OTHER or name in ROW_LISTS or name == ALTERNATIVES:
            continue
        model, unknown, none = _model(prop, defs)
        if model is None:
            f = _field(name, prop, name in schema.get("required", ()))
            if f is not None:
                general.append(f)
            continue
        md = defs[model]
        fields = []
        for sub, sp in md.get("properties", {}).items():
            dotted = f"{name}.{sub}"
            if dotted in paths:
                continue
            f = _field(dotted, sp, sub in md.get("required", ()))
            if f is not None:
                fields.append(f)
        if fields:
            blocks.append(Section(name, tuple(fields), unknown, none))
    return (Section("general", tuple(general)), *blocks)


@cache
def list_fields(name: str) -> tuple[Field, ...]:
    """The fields of one row of the list ``name`` (``claims``, ``equipment``), from its model."""
    from ..schema import project_json_schema

    md = project_json_schema()["$defs"][ROW_LISTS[name]]
    out = []
    for sub, sp in md["properties"].items():
        f = _field(f"{name}.{sub}", sp, sub in md.get("required", ()))
        if f is not None:
            out.append(f)
    return tuple(out)


def claim_fields() -> tuple[Field, ...]:
    return list_fields("claims")


@cache
def alternative_fields() -> tuple[Field, ...]:
    """The name and description of an alternative (its changes are rows of field and value)."""
    from ..schema import project_json_schema

    md = project_json_schema()["$defs"]["Alternative"]
    out = []
    for sub, sp in md["properties"].items():
        f = _field(f"alternatives.{sub}", sp, sub in md.get("required", ()))
        if f is not None:
            out.append(f)
    return tuple(out)


def changeable_fields() -> list[Field]:
    """The fields an alternative's change may set (every single-value field of the form but the name)."""
    return [f for f in all_fields() if f.name not in ("name", "country")]


def alternative_rows(values: dict[str, str]) -> list[int]:
    """For each alternative row, how many change slots it shows (its changes plus :data:`FREE_CHANGES`)."""
    rows: dict[int, int] = {}
    for k in values:
        m = re.fullmatch(r"alternatives\.(\d+)\.(?:\w+|changes\.(\d+)\.\w+)", k)
        if m:
            i = int(m[1])
            rows[i] = max(rows.get(i, 0), int(m[2]) + 1 if m[2] is not None else 0)
    n = max([0, *(i + 1 for i in rows)]) or 1
    return [rows.get(i, 0) + FREE_CHANGES for i in range(n)]


def _leaves(node: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(node, dict) and node:
        return [leaf for k, v in node.items() for leaf in _leaves(v, f"{prefix}{k}.")]
    return [(prefix[:-1], node)]


def _alternative_values(alts: Any) -> dict[str, str] | None:
    """The rows of the alternatives, or None when one cannot be a row (it then stays in the YAML box)."""
    if not isinstance(alts, list) or not all(isinstance(a, dict) for a in alts):
        return None
    known = {f.name: f for f in changeable_fields()}
    values: dict[str, str] = {}
    for i, alt in enumerate(alts):
        if set(alt) - {"name", "description", "changes"} or not isinstance(alt.get("changes"), dict):
            return None
        for key in ("name", "description"):
            if alt.get(key) is not None:
                values[f"alternatives.{i}.{key}"] = _text(alt[key])
        for j, (path, value) in enumerate(_leaves(alt["changes"])):
            f = known.get(path)
            if f is None or isinstance(value, (dict, list)) or value is None:
                return None
            values[f"alternatives.{i}.changes.{j}.field"] = path
            values[f"alternatives.{i}.changes.{j}.value"] = _text(value)
    return values


def change_value(f: Field, text: str) -> tuple[Any, Problem | None]:
    """The value of a change typed as text for field ``f`` (« non publié » allowed where the field allows it)."""
    raw = text.strip()
    if raw.lower() in UNKNOWN_TEXT:
        return ("unknown", None) if f.unknown else (None, ("web.error.no_unknown", {}))
    if f.kind == "bool":
        low = raw.lower()
        if low in ("yes", "oui", "true"):
            return True, None
        if low in ("no", "non", "false"):
            return False, None
        return None, ("web.error.yes_no", {})
    return _value(f, {"v": raw}, "v")


def all_fields() -> list[Field]:
    return [f for s in sections() for f in s.fields]


def list_rows(values: dict[str, str], name: str) -> int:
    """How many rows of the list ``name`` the values hold (at least :data:`MIN_CLAIM_ROWS`)."""
    rows = [int(m[1]) for k in values if (m := re.fullmatch(rf"{re.escape(name)}\.(\d+)\.\w+", k))]
    return max([MIN_CLAIM_ROWS, *(r + 1 for r in rows)])


def claim_rows(values: dict[str, str]) -> int:
    return list_rows(values, "claims")


# --------------------------------------------------------------------------- project -> form values


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value)) if abs(value) < 1e15 else repr(value)
    return "" if value is None else str(value)


def _is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in ("unknown", "inconnu")


def _get_path(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _put(values: dict[str, str], f: Field, name: str, value: Any) -> None:
    """The form values of ``value`` for field ``f`` under the input ``name``."""
    if _is_unknown(value) and f.unknown:
        values[name + ".unknown"] = "on"
    elif isinstance(value, dict) and f.kind == "range":
        values[name] = _text(value.get("central"))
        values[name + ".low"] = _text(value.get("low"))
        values[name + ".high"] = _text(value.get("high"))
    else:
        values[name] = _text(value)


def values_from_data(data: dict) -> dict[str, str]:
    """The form values of a project (a parsed YAML mapping); the rest goes to the YAML box."""
    import yaml

    data = dict(data)
    values: dict[str, str] = {}
    used: set[str] = set()
    converted: set[str] = set()  # the lists shown as rows
    for list_name in ROW_LISTS:
        items = _get_path(data, list_name)
        fields = {f.name.rpartition(".")[2]: f for f in list_fields(list_name)}
        if isinstance(items, list) and all(isinstance(c, dict) and set(c) <= set(fields) for c in items):
            for i, item in enumerate(items):
                for key, value in item.items():
                    if value is not None:
                        _put(values, fields[key], f"{list_name}.{i}.{key}", value)
            converted.add(list_name)
            if "." not in list_name:
                used.add(list_name)
    for section in sections():
        if section.name != "general":
            block = data.get(section.name)
            if _is_unknown(block):
                values[f"{section.name}.block"] = "unknown"
                used.add(section.name)
                continue
            if isinstance(block, str) and block.strip().lower() in ("none", "aucun"):
                values[f"{section.name}.block"] = "none"
                used.add(section.name)
                continue
        for f in section.fields:
            head, _, sub = f.name.partition(".")
            node = data.get(head)
            value = node.get(sub) if sub and isinstance(node, dict) else (None if sub else node)
            if value is None:
                continue
            if _is_unknown(value) and f.unknown:
                values[f.name + ".unknown"] = "on"
            elif isinstance(value, dict) and f.kind == "range":
                values[f.name] = _text(value.get("central"))
                values[f.name + ".low"] = _text(value.get("low"))
                values[f.name + ".high"] = _text(value.get("high"))
            else:
                values[f.name] = _text(value)
        if section.name != "general" and isinstance(data.get(section.name), dict):
            names = {f.name.partition(".")[2] for f in section.fields}
            rest = {
                k: v for k, v in data[section.name].items() if k not in names and f"{section.name}.{k}" not in converted
            }
            if rest:  # a key the form does not show: kept in the box
                data[section.name] = rest
            else:
                used.add(section.name)
        elif section.name == "general":
            used.update(f.name for f in section.fields if f.name in data)
    alt_values = _alternative_values(data.get(ALTERNATIVES))
    if alt_values is not None:
        values.update(alt_values)
        used.add(ALTERNATIVES)
    rest = {k: v for k, v in data.items() if k not in used}
    if rest:
        values[OTHER_NAME] = yaml.safe_dump(rest, allow_unicode=True, sort_keys=False, width=100)
    return values


# --------------------------------------------------------------------------- form values -> project


NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def parse_number(text: str) -> float | None:
    """``1,3`` or ``1.3`` or ``12 000`` (spaces, also non-breaking, between thousands); None if not a number."""
    t = re.sub(r"[\s\u00a0\u202f]", "", text)
    if not NUMBER.fullmatch(t):
        return None
    x = float(t.replace(",", "."))
    return x if math.isfinite(x) else None


def _bound_problem(f: Field, x: float) -> tuple[str, dict] | None:
    b = f.bounds
    low = b.get("minimum", b.get("exclusiveMinimum"))
    high = b.get("maximum", b.get("exclusiveMaximum"))
    bad = (
        ("minimum" in b and x < b["minimum"])
        or ("exclusiveMinimum" in b and x <= b["exclusiveMinimum"])
        or ("maximum" in b and x > b["maximum"])
        or ("exclusiveMaximum" in b and x >= b["exclusiveMaximum"])
    )
    if not bad:
        return None
    if low is not None and high is not None:
        key = {
            (False, False): "web.error.between",
            (True, False): "web.error.between_excl",
            (False, True): "web.error.between_excl_high",
            (True, True): "web.error.between_excl_both",
        }["exclusiveMinimum" in b, "exclusiveMaximum" in b]
        return key, {"low": low, "high": high}
    if low is not None:
        return ("web.error.above" if "exclusiveMinimum" in b else "web.error.at_least"), {"low": low}
    return ("web.error.below" if "exclusiveMaximum" in b else "web.error.at_most"), {"high": high}


Problem = tuple[str, dict]  # a catalogue key and its values


def _value(f: Field, values: dict[str, str], name: str | None = None) -> tuple[Any, Problem | None]:
    """The value of field ``f`` from the form (None when empty), or the problem with it."""
    key = name or f.name
    if f.unknown and values.get(key + ".unknown"):
        return "unknown", None
    raw = (values.get(key) or "").strip()
    if f.kind in ("number", "int", "range"):
        lo = (values.get(key + ".low") or "").strip() if f.kind == "range" else ""
        hi = (values.get(key + ".high") or "").strip() if f.kind == "range" else ""
        if not raw and not lo and not hi:
            return None, None
        parsed: list[float | int | None] = []
        for part, text in (("central", raw), ("low", lo), ("high", hi)):
            if not text:
                parsed.append(None)
                continue
            x = parse_number(text)
            if x is None:
                return None, (f"web.error.number.{part}", {})
            if f.kind == "int":
                if not x.is_integer():
                    return None, ("web.error.whole", {})
                x = int(x)
            problem = _bound_problem(f, x)
            if problem is not None:
                return None, problem
            parsed.append(int(x) if isinstance(x, float) and x.is_integer() and abs(x) < 1e15 else x)
        central, low, high = parsed
        if low is None and high is None:
            if central is None:
                return None, ("web.error.central", {})
            return central, None
        if low is None or high is None or central is None:
            return None, ("web.error.range_incomplete", {})
        if not low <= central <= high:
            return None, ("web.error.range_order", {})
        return {"low": low, "central": central, "high": high}, None
    if not raw:
        return None, None
    if f.kind == "bool":
        return raw == "yes", None
    if f.kind == "choice":
        if raw not in f.choices:
            return None, ("web.error.choice", {})
        return raw, None
    if f.kind == "date":
        import datetime as dt

        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return None, ("web.error.date", {})
        try:  # a real day (2024-02-30 is none), written as YAML writes a date
            return dt.date.fromisoformat(raw), None
        except ValueError:
            return None, ("web.error.date", {})
    if f.max_length is not None and len(raw) > f.max_length:
        return None, ("web.error.too_long", {"max": f.max_length})
    return raw, None


def data_from_values(values: dict[str, str]) -> tuple[dict, dict[str, Problem]]:
    """The project mapping the form describes, and the problems by input name (none: an empty dict)."""
    import yaml

    data: dict[str, Any] = {}
    problems: dict[str, Problem] = {}
    other = values.get(OTHER_NAME, "").strip()
    if other:
        try:
            extra = yaml.safe_load(other)
        except yaml.YAMLError:
            extra = None
            problems[OTHER_NAME] = ("web.error.yaml", {})
        if extra is not None and not isinstance(extra, dict):
            problems[OTHER_NAME] = ("web.error.yaml", {})
        elif isinstance(extra, dict):
            data.update(extra)
    for section in sections():
        block_choice = values.get(f"{section.name}.block", "")
        if section.name != "general" and block_choice in ("unknown", "none"):
            data[section.name] = block_choice
            continue
        for f in section.fields:
            value, problem = _value(f, values)
            if problem is not None:
                problems[f.name] = problem
            if value is None:
                if f.required and section.name == "general":
                    problems.setdefault(f.name, ("web.error.required", {}))
                continue
            head, _, sub = f.name.partition(".")
            if sub:
                node = data.get(head)
                if not isinstance(node, dict):
                    node = data[head] = {}
                node[sub] = value
            else:
                data[head] = value
        if section.name != "general" and isinstance(data.get(section.name), dict):
            for f in section.fields:  # a block begun needs its required fields
                if f.required and f.name.partition(".")[2] not in data[section.name]:
                    problems.setdefault(f.name, ("web.error.required_in_block", {}))
    for list_name in ROW_LISTS:
        items = []
        for i in range(list_rows(values, list_name)):
            row: dict[str, Any] = {}
            for f in list_fields(list_name):
                name = f"{list_name}.{i}.{f.name.rpartition('.')[2]}"
                value, problem = _value(f, values, name)
                if problem is not None:
                    problems[name] = problem
                elif value is not None:
                    row[f.name.rpartition(".")[2]] = value
            if row:
                for f in list_fields(list_name):
                    sub = f.name.rpartition(".")[2]
                    if f.required and sub not in row:
                        problems.setdefault(f"{list_name}.{i}.{sub}", ("web.error.required_in_row", {}))
                items.append(row)
        if items:
            head, _, sub = list_name.partition(".")
            if sub:
                node = data.get(head)
                if not isinstance(node, dict):
                    node = data[head] = {}
                node[sub] = items
            else:
                data[list_name] = items
    alternatives = _alternatives_from_values(values, problems)
    if alternatives:
        box = data.get(ALTERNATIVES)
        data[ALTERNATIVES] = (box if isinstance(box, list) else []) + alternatives
    # the schema's order, then what the box added
    order = [*(p for p in _schema_order() if p in data), *(k for k in data if k not in _schema_order())]
    return {k: data[k] for k in order}, problems


def _alternatives_from_values(values: dict[str, str], problems: dict[str, Problem]) -> list[dict]:
    known = {f.name: f for f in changeable_fields()}
    out = []
    for i, slots in enumerate(alternative_rows(values)):
        alt: dict[str, Any] = {}
        for f in alternative_fields():
            sub = f.name.partition(".")[2]
            name = f"alternatives.{i}.{sub}"
            value, problem = _value(f, values, name)
            if problem is not None:
                problems[name] = problem
            elif value is not None:
                alt[sub] = value
        changes: dict[str, Any] = {}
        for j in range(slots):
            base = f"alternatives.{i}.changes.{j}"
            path = (values.get(base + ".field") or "").strip()
            text = values.get(base + ".value") or ""
            if not path and not text.strip():
                continue
            if path not in known:
                problems[base + ".field"] = ("web.error.choice", {})
                continue
            if not text.strip():
                problems[base + ".value"] = ("web.error.required_in_row", {})
                continue
            value, problem = change_value(known[path], text)
            if problem is not None:
                problems[base + ".value"] = problem
                continue
            node = changes
            *heads, leaf = path.split(".")
            for h in heads:
                node = node.setdefault(h, {})
            node[leaf] = value
        if not alt and not changes:
            continue
        if "name" not in alt:
            problems.setdefault(f"alternatives.{i}.name", ("web.error.required_in_row", {}))
        if not changes:
            problems.setdefault(f"alternatives.{i}.changes.0.field", ("web.error.required_in_row", {}))
        alt["changes"] = changes
        out.append(alt)
    return out


@cache
def _schema_order() -> tuple[str, ...]:
    from ..schema import project_json_schema

    return tuple(project_json_schema()["properties"])


def project_text(data: dict) -> str:
    """The project file the form describes (YAML, in the schema's order)."""
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def input_name(field_path: str, message: str = "", values: dict[str, str] | None = None) -> str:
    """The form input of a field named by the loader (``claims[0].value`` -> ``claims.0.value``); a rule
    of a block (``cooling: water_out_c (10) must be warmer...``) goes to the first field its message names."""
    name = re.sub(r"\[(\d+)\]", r".\1", field_path)
    known = {f.name for f in all_fields()}
    lists = "|".join(re.escape(n) for n in ROW_LISTS)
    if name in known or re.fullmatch(rf"({lists})\.\d+\.\w+", name):
        return name
    alt = re.match(r"alternatives\.(\d+)", name)
    if alt and (values is None or f"alternatives.{alt[1]}.name" in values):
        return f"alternatives.{alt[1]}.name"
    head = name.partition(".")[0]
    if head in OTHER or head.startswith("alternatives"):
        return OTHER_NAME
    inside = [f for f in all_fields() if f.name.startswith(name + ".")]
    named = [(message.find(f.name.rpartition(".")[2]), f.name) for f in inside]
    named = [n for n in named if n[0] >= 0]
    if named:
        return min(named)[1]
    return inside[0].name if inside else ""
