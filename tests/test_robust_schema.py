"""Issue 11, items 2 and 3: the schema is the one source of truth (bounds, units, limits), hostile or
careless project files get one clear error, and the model never returns a number that is not finite.

The new API (``impact.schema``...) is imported inside the tests, so that each test runs, and fails
for its own reason, on the code before this work.
"""

from __future__ import annotations

import copy
import json
import math
import os
import resource
import subprocess
import sys

import pytest

import impact
from impact.errors import InputError
from impact.project import parse_project, parse_project_text

from .conftest import ROOT, run_cli

NULL = "is required; got nothing (null)"

#: A valid project, to which each test adds the block of the field it is about.
BASE = {"name": "Robust", "country": "FR", "it_capacity_mw": 10}
#: A valid block of each kind; the field under test is set inside it.
BLOCKS = {
    "location": {"lat": 45.76, "lon": 4.84},
    "equipment": [{"kind": "server", "count": 2, "power_kw": 0.01}],
    "cooling": {"type": "river"},
    "climate": {},
    "grid": {},
    "noise": {},
    "generators": {"count": 2, "unit_mw": 0.5},
    "refrigerant": {"type": "R134a"},
    "building": {},
    "land": {"parcels": "parcels.geojson", "ids": ["132020000A0012"]},
    "context": {},
    "announced_power": {"value_mw": 30, "basis": "it"},
    "procedure": {"type": "enquete_publique"},
    "claims": [{"indicator": "pue", "value": 1.3, "source": "the promoter"}],
    "alternatives": [{"name": "half", "changes": {"it_capacity_mw": 5}}],
    "authority_opinion": {"authority": "MRAe", "recommendations": [{"text": "Chiffrer le bruit."}]},
    "assumptions": {},
    "water_resource": {},
    "ramp_up": [{"year": 2030, "it_mw": 1}],
    "construction": {},
    "fuel_storage": {"hvo_m3": 10},
    "phases": [{"name": "Phase 1", "thermal_input_mw": 10}],
}


def project_with(path: str, value) -> dict:
    """``BASE`` with the field ``path`` (dotted, as in the field table) set to ``value``."""
    data = copy.deepcopy(BASE)
    head, _, rest = path.partition(".")
    if not rest:
        data[head] = value
        return data
    block = copy.deepcopy(BLOCKS[head])
    target = block[0] if isinstance(block, list) else block
    if head == "authority_opinion" and rest.startswith("recommendations."):  # a list inside the block
        target, rest = target["recommendations"][0], rest.partition(".")[2]
    target[rest] = value
    if head == "equipment":
        del data["it_capacity_mw"]
    if head == "ramp_up":  # a step's IT power is at most the nameplate: the largest allowed here
        data["it_capacity_mw"] = 5000
        if rest == "it_share":
            del target["it_mw"]
    if head == "cooling" and rest.startswith("liquid"):
        target["type"] = "liquid_closed_loop"
    if head == "generators" and rest == "total_mw":
        del target["count"], target["unit_mw"]
    if path == "context.substations":
        data["location"] = copy.deepcopy(BLOCKS["location"])
    data[head] = block
    return data


def field_of(path: str) -> str:
    """The field as an error names it (list items get their index)."""
    head, _, rest = path.partition(".")
    if head in ("equipment", "claims", "alternatives", "ramp_up", "phases") and rest:
        return f"{head}[0].{rest}"
    if path.startswith("authority_opinion.recommendations."):
        return "authority_opinion.recommendations[0]." + path.rpartition(".")[2]
    return path


def problems(data) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as info:
        parse_project(data, "p.yaml")
    return info.value.problems


def _read_table() -> dict[str, dict]:
    """data/schema/project_fields.csv read here with the csv module, independently of impact.schema."""
    import csv

    def number(text):
        return float(text) if text.strip() else None

    with open(ROOT / "data" / "schema" / "project_fields.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {
        r["field"]: {
            **r,
            **{k: number(r.get(k, "")) for k in ("minimum", "exclusive_minimum", "maximum", "exclusive_maximum")},
        }
        for r in rows
    }


TABLE = _read_table()
BOUND_KEYS = ("minimum", "exclusive_minimum", "maximum", "exclusive_maximum")


def bound_cases(row):
    """(bound, inclusive, side) of a table row."""
    return [
        (row[k], k in ("minimum", "maximum"), -1 if "minimum" in k else 1) for k in BOUND_KEYS if row[k] is not None
    ]


def numeric_paths():
    bounded = [k for k, r in TABLE.items() if any(r[b] is not None for b in BOUND_KEYS)]
    return (
        [k for k in bounded if not k.startswith("assumptions.")],
        [k[len("assumptions.") :] for k in bounded if k.startswith("assumptions.")],
    )


FIELDS, ASSUMPTION_KEYS = numeric_paths()


# ------------------------------------------------------------------------------------------ null


#: Every field that a project file must give (when its block is there), with the block it sits in.
REQUIRED = [
    "name",
    "country",
    "location.lat",
    "location.lon",
    "equipment.kind",
    "equipment.count",
    "equipment.power_kw",
    "cooling.type",
    "land.parcels",
    "land.ids",
    "refrigerant.type",
    "claims.indicator",
    "claims.value",
    "claims.source",
    "procedure.type",
    "announced_power.value_mw",
    "announced_power.basis",
    "alternatives.name",
    "alternatives.changes",
    "authority_opinion.authority",
    "authority_opinion.recommendations",
    "authority_opinion.recommendations.text",
    "ramp_up.year",
    "phases.name",
    # required unless generators.total_mw is given
    "generators.count",
    "generators.unit_mw",
]


def test_the_list_of_required_fields_is_complete():
    from impact.project import Project

    found = set()

    def walk(model, prefix):
        for name, f in model.model_fields.items():
            if f.is_required():
                found.add(prefix + name)
            for cand in (*getattr(f.annotation, "__args__", ()), f.annotation):
                inner = getattr(cand, "__args__", (cand,))[0] if getattr(cand, "__origin__", None) is list else cand
                if isinstance(inner, type) and hasattr(inner, "model_fields"):
                    walk(inner, prefix + name + ".")
                    break

    walk(Project, "")
    assert found | {"generators.count", "generators.unit_mw"} == set(REQUIRED)
    # and the table says so: "yes" (in its block), or "yes ... unless" for the generators' pair
    said = {k for k, r in TABLE.items() if r["required"].startswith("yes") and ", or " not in r["required"]}
    assert said == set(REQUIRED), said ^ set(REQUIRED)


@pytest.mark.parametrize("path", REQUIRED)
def test_null_never_satisfies_a_required_field(path):
    # « lon: null » passed a required field: a null is no value.
    found = problems(project_with(path, None))
    field = field_of(path)
    assert any(f == field and ("required" in m) for f, m in found), found


def test_null_lon_in_a_file_is_refused(write_project):
    path = write_project("name: x\ncountry: FR\nit_capacity_mw: 1\nlocation: {lat: 45, lon: null}\n")
    r = run_cli("check", path)
    assert r.returncode == 2 and f"location.lon: {NULL}" in r.stderr and "Traceback" not in r.stderr


def test_null_in_an_optional_field_is_absent():
    assert parse_project({**BASE, "pue": None, "location": {"lat": 45, "lon": 5, "altitude_m": None}}).pue is None


# ------------------------------------------------------------------------------ numbers: bounds


def _beyond(x: float, side: int, integer: bool) -> float:
    step = 1 if integer else max(abs(x) * 1e-6, 1e-9)
    return x + side * step


INTEGER_FIELDS = {"year", "equipment.count", "generators.count", "ramp_up.year", "construction.start_year"}


@pytest.mark.parametrize("path", FIELDS)
def test_every_field_obeys_the_table_bounds(path):
    # The pydantic field and its row of data/schema/project_fields.csv agree, bound by bound:
    # a bound that is inclusive is accepted, one step beyond it is refused, naming the field.
    integer = path in INTEGER_FIELDS
    field = field_of(path)
    for bound, inclusive, side in bound_cases(TABLE[path]):
        if integer:
            bound = int(bound)
        if inclusive:
            parse_project(project_with(path, bound))
        else:
            assert any(f == field for f, _ in problems(project_with(path, bound))), (path, bound)
        beyond = _beyond(bound, side, integer)
        found = problems(project_with(path, beyond))
        assert any(f == field and ("must be" in m) for f, m in found), (path, beyond, found)


@pytest.mark.parametrize("key", ASSUMPTION_KEYS)
def test_every_assumption_key_obeys_its_bounds(key):
    # « assumptions take any number »: utilisation 5 gave a 500 % load, aux_share -5 a PUE of -4.
    row = TABLE["assumptions." + key]
    for bound, inclusive, side in bound_cases(row):
        if inclusive:
            parse_project({**BASE, "assumptions": {key: bound}})
        beyond = _beyond(bound, side, False)
        found = problems({**BASE, "assumptions": {key: beyond}})
        assert found and found[0][0] == f"assumptions.{key}" and "must be" in found[0][1], (key, found)
    low = next(b for b, _, side in bound_cases(row) if side == -1)
    found = problems({**BASE, "assumptions": {key: {"low": low, "central": 1e300, "high": 1e301}}})
    assert found[0][0] == f"assumptions.{key}", found


def test_an_assumption_that_is_a_project_field_has_the_field_bounds():
    shared = [k for k in ASSUMPTION_KEYS if k in TABLE]
    assert "utilisation" in shared and "pue" in shared
    for key in shared:
        for b in (*BOUND_KEYS, "unit"):
            assert TABLE["assumptions." + key][b] == TABLE[key][b], (key, b)


def test_unknown_assumption_key_is_refused_when_the_file_is_read():
    found = problems({**BASE, "assumptions": {"cooling.nonsense": 3}})
    assert found[0][0] == "assumptions.cooling.nonsense"
    assert found[0][1].startswith("is not an input with a default; expected one of: cooling.supply_c")


@pytest.mark.parametrize(
    "changes, expected",
    [
        ("utilisation: 5", "assumptions.utilisation: must be between 0 and 1, got 5"),
        ("cooling.aux_share: -5", "assumptions.cooling.aux_share: must be between 0 and 1, got -5"),
    ],
)
def test_the_issue_assumptions_are_input_errors(write_project, changes, expected):
    path = write_project(
        f"name: x\ncountry: FR\nit_capacity_mw: 10\nlocation: {{lat: 45.76, lon: 4.84}}\n"
        f"cooling: {{type: air_chillers}}\nassumptions: {{{changes}}}\n"
    )
    r = run_cli("estimate", path, "--format", "json")
    assert r.returncode == 2 and expected in r.stderr and r.stdout == "", r.stderr


def test_assumed_water_temperatures_must_rise_like_the_fields():
    data = {
        **BASE,
        "location": {"lat": 45.76, "lon": 4.84},
        "cooling": {"type": "river", "water_flow_m3_per_h": 100, "water_out_c": 20},
        "assumptions": {"cooling.water_in_c": 25},
    }
    with pytest.raises(InputError, match=r"assumptions: water_out_c .20. must be warmer than water_in_c .25."):
        impact.estimate(parse_project(data), draws=100)
    # and in every draw, not only at the central values
    found = problems(
        {
            **BASE,
            "cooling": {
                "type": "river",
                "water_in_c": {"low": 10, "central": 14, "high": 22},
                "water_out_c": {"low": 20, "central": 30, "high": 35},
            },
        }
    )
    assert found == [
        (
            "cooling",
            "water_out_c must be warmer than water_in_c in every case: its low (20) is not "
            "above water_in_c's high (22)",
        )
    ]


# --------------------------------------------------------------------- inf, nan, 1e308, huge ints


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 1e308, -1e308])
@pytest.mark.parametrize("path", FIELDS)
def test_non_finite_and_huge_numbers_are_refused_everywhere(path, value):
    found = problems(project_with(path, value))
    assert any(f == field_of(path) for f, _ in found), found
    assert all(len(m) < 300 for _, m in found)


@pytest.mark.parametrize("text", [".inf", ".nan", "1.0e+308", "1e308", "-1e308"])
def test_non_finite_and_huge_numbers_in_yaml(text):
    # 1e308 is text for YAML 1.1 (no decimal point); in a numeric field it can only mean the number.
    with pytest.raises(InputError) as info:
        parse_project_text(
            f"name: x\ncountry: FR\nit_capacity_mw: 1\nrefrigerant: {{type: R134a, charge_kg: {text}}}\n", "p.yaml"
        )
    [(field, message)] = info.value.problems
    assert field == "refrigerant.charge_kg" and ("between 0 and 1e+06" in message or "finite" in message), message


def test_e_notation_is_a_number_in_a_numeric_field():
    assert parse_project_text("name: x\ncountry: FR\nit_capacity_mw: 2e1\n").it_capacity_mw.central == 20.0


def test_a_huge_value_gives_null_free_strict_json_at_the_cli(write_project):
    # 1e308 put Infinity in the JSON (invalid) and crashed the dossier: now refused with exit 2.
    path = write_project(
        "name: x\ncountry: FR\nit_capacity_mw: 10\n"
        "refrigerant: {type: R134a, charge_kg: 1.0e+308, leak_rate_per_year: 1}\n"
    )
    r = run_cli("estimate", path, "--format", "json")
    assert r.returncode == 2 and "refrigerant.charge_kg: must be between 0 and 1e+06, got 1e+308" in r.stderr
    assert r.stdout == "" and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "path", ["year", "it_capacity_mw", "equipment.count", "generators.count", "location.lat", "claims.value"]
)
def test_huge_integers_are_clear_errors(path):
    found = problems(project_with(path, 10**400))
    assert any(f == field_of(path) for f, _ in found), found
    assert all(len(m) < 200 for _, m in found), found


@pytest.mark.parametrize("digits", [401, 5001])
def test_huge_integers_in_yaml(digits):
    # 5,001 digits: Python refuses to read it (a ValueError from the loader, not a YAML error).
    with pytest.raises(InputError) as info:
        parse_project_text(f"name: x\ncountry: FR\nit_capacity_mw: 1\nyear: 1{'0' * (digits - 1)}\n", "p.yaml")
    assert "line 4" in info.value.message and len(info.value.message) < 300


# ------------------------------------------------------------------------------------------ totals


def test_the_equipment_total_is_bounded():
    # An equipment list reached 1e30 MW: its total obeys it_capacity_mw's bound (5 GW).
    found = problems(
        {
            **{k: v for k, v in BASE.items() if k != "it_capacity_mw"},
            "equipment": [{"kind": "gpu", "count": 10**8, "power_kw": 1000}] * 3,
        }
    )
    assert found == [
        (
            "",
            "equipment: the total IT power (sum of count x power_kw) must be at most 5000, got 3e+08 "
            "(MW, the bounds of it_capacity_mw)",
        )
    ]
    just = {
        **{k: v for k, v in BASE.items() if k != "it_capacity_mw"},
        "equipment": [{"kind": "gpu", "count": 5000, "power_kw": 1000}],
    }
    parse_project(just)
    just["equipment"] = [{"kind": "gpu", "count": 5000, "power_kw": 1000}, {"kind": "x", "count": 1, "power_kw": 1}]
    assert "must be at most 5000, got 5000.001" in problems(just)[0][1]


def test_the_generators_total_is_bounded():
    found = problems({**BASE, "generators": {"count": 1000, "unit_mw": 100}})
    assert found == [
        (
            "generators",
            "the installed power (count x unit_mw) must be at most 10000, got 100000 "
            "(MW, the bounds of generators.total_mw)",
        )
    ]


@pytest.mark.parametrize(
    "field, n, limit", [("equipment", 10001, 10000), ("claims", 1001, 1000), ("alternatives", 21, 20)]
)
def test_lists_are_capped(field, n, limit):
    item = copy.deepcopy(BLOCKS[field][0])
    data = {**BASE, field: [item] * n}
    if field == "equipment":
        del data["it_capacity_mw"]
    found = problems(data)
    assert (field, f"must have at most {limit:,} items, got {n:,}") in found


# ------------------------------------------------------------------------------------------ text


def text_rows():
    lists = {
        "equipment",
        "land.ids",
        "claims",
        "alternatives",
        "alternatives.changes",
        "sources",
        "authority_opinion.recommendations",
        "ramp_up",
        "phases",
    }
    return [
        (k, int(r["max_length"]))
        for k, r in TABLE.items()
        if r.get("max_length", "").strip() and k not in lists and k != "country"
    ]


@pytest.mark.parametrize("path, limit", text_rows())
def test_text_fields_are_capped(path, limit):
    # Each kind of text has its limit (a name 200 characters, free text a few thousand).
    paths = {
        "land.parcels": "p" * (limit - 8) + ".geojson",
        "climate.epw": "w" * (limit - 4) + ".epw",
        "climate.pvgis": "t" * (limit - 4) + ".csv",
        "grid.eco2mix": "e" * (limit - 4) + ".csv",
        "context.substations": "s" * (limit - 4) + ".csv",
        "context.cables": "c" * (limit - 8) + ".geojson",
        "context.boundaries": "b" * (limit - 8) + ".geojson",
        "context.registry": "r" * (limit - 4) + ".csv",
    }
    at_limit = paths.get(path, "a" * limit)
    if path == "claims.unit":
        at_limit = "%" + " " * (limit - 1)  # a unit of the claim on pue, padded: spaces are ignored
    if path != "refrigerant.type":  # a refrigerant must also be one of the table's names (the longest: 10)
        parse_project(project_with(path, at_limit))
    found = problems(project_with(path, at_limit + "x"))
    assert any(f == field_of(path) and str(limit) in m.replace(",", "") for f, m in found), found


def test_sources_are_capped():
    found = problems({**BASE, "sources": {f"field{i}": "cited" for i in range(501)}})
    assert ("sources", "must have at most 500 entries, got 501") in found
    found = problems({**BASE, "sources": {"name": "x" * 2001}})
    assert found == [("sources.name", "must be at most 2,000 characters, got 2,001")]


def test_a_huge_value_is_quoted_short():
    # Messages quote a short excerpt, never the whole value.
    for data in (
        {**BASE, "it_capacity_mw": "9 MW " * 200_000},
        {**BASE, "name": list(range(100_000))},
        {**BASE, "city": {f"k{i}": i for i in range(50_000)}},
    ):
        with pytest.raises(InputError) as info:
            parse_project(data, "p.yaml")
        assert len(info.value.message) < 400, info.value.message[:500]


def test_a_data_path_with_control_characters_is_refused():
    found = problems({**BASE, "climate": {"epw": "weather\x00.epw"}})
    assert found[0][0] == "climate.epw" and "control characters" in found[0][1]


# --------------------------------------------------------------------- YAML: nesting, keys, aliases


@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_a_clear_error(style):
    depth = 10_000
    if style == "flow":
        text = "name: x\ncountry: FR\nit_capacity_mw: 1\nnotes: " + "[" * depth + "]" * depth + "\n"
    else:
        text = "name: x\ncountry: FR\nit_capacity_mw: 1\nnotes:\n" + "".join(
            " " * i + f"k{i}:\n" for i in range(1, depth)
        )
    with pytest.raises(InputError) as info:
        parse_project_text(text, "p.yaml")
    assert "nested more than 20 levels deep" in info.value.message


def test_deep_nesting_through_the_api_is_a_clear_error():
    deep: list = []
    for _ in range(10_000):
        deep = [deep]
    found = problems({**BASE, "notes": deep})
    assert found[0][0].startswith("notes") and "nested more than 20 levels deep" in found[0][1]


@pytest.mark.parametrize("text", ["? [a, b]\n: 1\n", "location:\n  ? {lat: 1}\n  : 2\n", "{[a]: 1}\n"])
def test_complex_keys_are_a_clear_error(text):
    with pytest.raises(InputError) as info:
        parse_project_text(
            "name: x\ncountry: FR\nit_capacity_mw: 1\n" + text if not text.startswith("{") else text, "p.yaml"
        )
    assert "a key must be a name" in info.value.message and "line" in info.value.message


def test_keys_must_be_text_at_every_level():
    found = problems({**BASE, "location": {"lat": 1, "lon": 2, 3: 4}})
    assert found == [("location", "a key must be text, got 3")]


BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
"""


def _bomb_project(where: str) -> str:
    """A billion-laughs (9^9 "lol") under ``where``, its anchors in the alternatives' changes."""
    lines = BOMB.splitlines()
    alts = "".join(
        f"  - name: a{i}\n    changes: {{x{line.split(':')[0]}: {line.split(': ', 1)[1]}}}\n"
        for i, line in enumerate(lines)
    )
    value = "[*h,*h,*h,*h,*h,*h,*h,*h,*h]"
    body = {
        "name": f"name: {value}\n",
        "notes": f"name: x\nnotes: {value}\n",
        "sources": f"name: x\nsources: {{cooling: {value}}}\n",
        "changes": "name: x\n",
    }[where]
    if where == "changes":
        alts += f"  - name: bomb\n    changes: {{pue: {value}}}\n"
    return "country: FR\nit_capacity_mw: 1\nalternatives:\n" + alts + body


def _limited_memory():  # in the child: 512 MB of address space, far above what impact check needs
    resource.setrlimit(resource.RLIMIT_AS, (512 * 2**20, 512 * 2**20))


@pytest.mark.parametrize("where", ["name", "notes", "sources", "changes"])
def test_an_alias_bomb_is_a_clear_error_fast_in_little_memory(tmp_path, where):
    # « A YAML alias bomb under name runs for minutes at 4 GB, because the error message builds the
    # value's whole repr »: in a child with 512 MB and a timeout, it must stop with one clear error.
    path = tmp_path / "bomb.yaml"
    path.write_text(_bomb_project(where), encoding="utf-8")
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    r = subprocess.run(
        [sys.executable, "-m", "impact", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limited_memory,
        env=env,
        cwd=ROOT,
    )
    assert r.returncode == 2, r.stderr[-2000:]
    assert "holds more than 200,000 values" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr) < 500


# ---------------------------------------------------------------------------- the model: finiteness


def _river_site(**cooling) -> dict:
    return {**BASE, "location": {"lat": 45.76, "lon": 4.84}, "cooling": {"type": "river", **cooling}}


def _all_finite(results) -> None:
    for ind in results.indicators.values():
        for x in (ind.low, ind.central, ind.high):
            assert x is None or math.isfinite(x), ind


def test_utilisation_zero_with_a_water_flow():
    # « utilisation: 0 with a water flow divides by zero ». With no IT load the site draws nothing
    # and its PUE is the limit of the ratio: the model is linear in the load once the flow no longer
    # limits the water, so the PUE at zero load equals the PUE of the same site without a flow limit.
    flow = {"water_flow_m3_per_h": 100, "water_in_c": 12, "water_out_c": 20}
    zero = impact.estimate(parse_project({**_river_site(**flow), "utilisation": 0}), draws=100)
    _all_finite(zero)
    assert zero.central("it_energy_mwh") == 0 and zero.central("facility_energy_mwh") == 0
    assert zero.central("co2e_location_t") == 0 and zero.central("heat_rejected_mwh") == 0
    unlimited = impact.estimate(
        parse_project({**_river_site(water_in_c=12, water_out_c=20), "utilisation": 0.5}), draws=100
    )
    assert zero.central("pue") == pytest.approx(unlimited.central("pue"), rel=1e-12)
    assert zero.central("cooling_share_water") == pytest.approx(unlimited.central("cooling_share_water"), rel=1e-12)
    assert 1 <= zero.central("pue") < 5
    json.loads(zero.to_json(), parse_constant=_no_constant)


def test_utilisation_zero_at_the_cli(write_project):
    path = write_project(
        "name: x\ncountry: FR\nit_capacity_mw: 10\nutilisation: 0\nlocation: {lat: 45.76, lon: 4.84}\n"
        "cooling: {type: river, water_flow_m3_per_h: 100, water_in_c: 12, water_out_c: 20}\n"
    )
    r = run_cli("estimate", path, "--format", "json", "--draws", "100")
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout, parse_constant=_no_constant)
    assert out["indicators"]["it_energy_mwh"]["central"] == 0


def test_an_intake_above_the_allowed_return_carries_no_heat():
    # The river's modelled summer temperature can pass the declared return temperature: the water
    # then carries nothing, never a negative heat.
    import numpy as np

    from impact.model import cooling

    common = dict(
        system="river",
        it_mw=10.0,
        temp_air_c=np.array([30.0, 30.0]),
        temp_wet_bulb_c=np.array([20.0, 20.0]),
        supply_c=22.5,
        approach_k=5.2,
        band_k=11.0,
        chiller_approach_k=5.0,
        air_condenser_approach_k=15.0,
        tower_approach_k=3.9,
        adiabatic_effectiveness=0.7,
        aux_share=0.08,
        distribution_share=0.04,
        cop_air_rated=2.8,
        t_air_rated_c=35.0,
        cop_water_rated=4.5,
        t_water_rated_c=29.4,
    )
    water = {
        "coverage_share": 1.0,
        "t_in_c": np.array([10.0, 25.0]),
        "t_out_c": 20.0,
        "flow_m3_per_h": 1000.0,
        "density_kg_per_m3": 998.0,
        "specific_heat_j_per_kg_k": 4184.0,
        "hx_approach_k": 2.0,
    }
    out = cooling.simulate(**common, water=water, hourly=True)
    assert out["hourly"]["water_mw"][1] == 0.0 and out["hourly"]["water_mw"][0] > 0


def _no_constant(name):
    raise ValueError(f"not strict JSON: {name}")


def test_results_json_is_strict(mrs5_path):
    # JSON has no NaN nor Infinity: Results.to_json writes null for a value that is not finite.
    r = impact.estimate(impact.load_project(mrs5_path), draws=100)
    r.meta["probe"] = [float("nan"), float("inf"), 1.5]
    out = json.loads(r.to_json(), parse_constant=_no_constant)
    assert out["project"]["probe"] == [None, None, 1.5]
    assert out["indicators"]["pue"]["central"] == r.central("pue")


def test_estimate_json_at_the_cli_is_strict(mrs5_path):
    r = run_cli("estimate", mrs5_path, "--format", "json", "--draws", "100")
    assert r.returncode == 0
    json.loads(r.stdout, parse_constant=_no_constant)


def test_an_indicator_that_is_not_finite_is_an_input_error(monkeypatch):
    # With bounded inputs the model cannot overflow; should a formula ever do so, the estimate stops
    # with an input error naming the inputs of that indicator (a formula made to overflow stands in
    # for such a bug: no bounded input reaches it any more).
    from impact.model import carbon

    monkeypatch.setattr(carbon, "co2e_refrigerant_t", lambda charge, leak, gwp: charge * leak * gwp * 1e308)
    data = {**BASE, "refrigerant": {"type": "R134a", "charge_kg": 3000, "leak_rate_per_year": 0.1}}
    with pytest.raises(InputError) as info:
        impact.estimate(parse_project(data), draws=100)
    message = info.value.message
    assert "the estimate of co2e_refrigerant_t is not a finite number (inf)" in message
    assert "refrigerant.charge_kg = 3000" in message and "refrigerant.leak_rate_per_year = 0.1" in message


# ------------------------------------------------------------------------ the simplest river / sea site


SIMPLEST = {"river": {"lat": 45.76, "lon": 4.84}, "sea": {"lat": 43.30, "lon": 5.36}}


@pytest.mark.parametrize("located", [True, False])
@pytest.mark.parametrize("kind", ["river", "sea"])
def test_the_simplest_river_or_sea_site_estimates(kind, located):
    # « cooling: {type: river} with no temperatures crashes estimate with a TypeError »: the water
    # temperature is a sourced default (the site's climate, its sea basin), said so.
    data = {**BASE, "cooling": {"type": kind}}
    if located:
        data["location"] = SIMPLEST[kind]
    r = impact.estimate(parse_project(data), draws=100)
    _all_finite(r)
    rec = r.inputs["cooling.water_in_c"]
    if located:
        assert rec.status == "default" and r.meta["cooling_model"] == "hourly"
        assert r["thermal_discharge_mw"].known
    else:
        assert rec.status == "unknown"
    json.loads(r.to_json(), parse_constant=_no_constant)


@pytest.mark.parametrize("kind, lang", [("river", "fr"), ("river", "en"), ("sea", "fr"), ("sea", "en")])
def test_the_simplest_river_or_sea_site_dossier(tmp_path, kind, lang):
    from impact.report.dossier import build_dossier

    lat, lon = SIMPLEST[kind].values()
    path = tmp_path / f"{kind}.yaml"
    path.write_text(
        f"name: Simple {kind}\ncountry: FR\nit_capacity_mw: 10\nlocation: {{lat: {lat}, lon: {lon}}}\n"
        f"cooling: {{type: {kind}}}\n",
        encoding="utf-8",
    )
    out = build_dossier(path, tmp_path / f"{kind}-{lang}.pdf", lang=lang, draws=100, date="2026-01-15")
    assert out.pdf.read_bytes()[:5] == b"%PDF-" and out.markdown.stat().st_size > 1000


# ------------------------------------------------------------------------------------ JSON Schema


def _properties(schema):
    """Every property of the schema as (dotted path, its schema), following $refs."""
    defs = schema["$defs"]

    def resolve(node):
        while "$ref" in node:
            node = defs[node["$ref"].split("/")[-1]]
        return node

    def targets(node):
        node = resolve(node)
        if node.get("type") == "array":
            yield from targets(node["items"])
        for form in node.get("anyOf", ()):
            if "$ref" in form or form.get("type") == "array":
                yield from targets(form)
        if node.get("type") == "object" and "properties" in node and node.get("title") != "range":
            yield node

    out = {}

    def walk(node, prefix):
        for name, prop in node.get("properties", {}).items():
            out[prefix + name] = prop
            for target in targets(prop):
                walk(target, prefix + name + ".")

    walk(schema, "")
    return out


def _number_forms(prop):
    forms = prop.get("anyOf", [prop])
    nums = [f for f in forms if f.get("type") in ("number", "integer")]
    for f in forms:
        if f.get("title") == "range":
            nums += list(f["properties"].values())
    return nums


def test_the_json_schema_is_valid_and_carries_the_table():
    import jsonschema

    from impact.schema import field_table

    schema = impact.project_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    props = _properties(schema)
    table = field_table()
    assert set(props) == set(table), set(props) ^ set(table)
    for path, spec in table.items():
        prop = props[path]
        assert prop["title"] == spec.title and prop["unit"] == spec.unit and prop["description"], path
        keys = ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum")
        for form in _number_forms(prop):  # a number and each part of {low, central, high}
            assert {k: form[k] for k in keys if k in form} == spec.json_bounds, (path, form)
        if spec.bounds:
            assert _number_forms(prop), path
    for path in ("utilisation", "pue", "cooling.water_in_c", "generators.unit_mw"):
        assert {"type": "string", "enum": ["unknown", "inconnu"]}.items() <= next(
            f for f in props[path]["anyOf"] if f.get("enum")
        ).items(), path
    assert "enum" not in json.dumps(props["it_capacity_mw"]) or "unknown" in json.dumps(props["it_capacity_mw"])
    assert props["cooling.type"]["enum"][0] == "air_chillers"
    assert "W32" in json.dumps(props["cooling.liquid_class"]) and "R134a" in json.dumps(props["refrigerant.type"])
    assert "cooling_saving_share" in json.dumps(props["claims.indicator"])
    assert props["name"]["maxLength"] == 500 and props["city"]["anyOf"][0]["maxLength"] == 200


def test_projects_validate_against_the_json_schema():
    import jsonschema
    import yaml

    from impact.project import _UniqueKeyLoader

    validator = jsonschema.Draft202012Validator(impact.project_json_schema())
    files = [
        ROOT / "data" / "projects" / "mrs5.yaml",
        *sorted((ROOT / "data" / "projects" / "cases").glob("*.yaml")),
        *sorted((ROOT / "tests" / "data").glob("*.yaml")),
    ]
    assert len(files) > 10
    for f in files:
        data = yaml.load(f.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # a SafeLoader subclass
        assert not list(validator.iter_errors(data)), f.name
    for bad in (
        {**BASE, "utilisation": 5},
        {**BASE, "location": {"lat": 91, "lon": 0}},
        {**BASE, "nonsense": 1},
        {**BASE, "assumptions": {"cooling.aux_share": -5}},
        {**BASE, "name": "x" * 501},
    ):
        assert list(validator.iter_errors(bad)), bad


def test_impact_schema_at_the_cli(tmp_path):
    r = run_cli("schema")
    assert r.returncode == 0 and json.loads(r.stdout) == impact.project_json_schema()
    out = tmp_path / "project.schema.json"
    assert run_cli("schema", "-o", out).returncode == 0 and json.loads(out.read_text()) == json.loads(r.stdout)
    again = run_cli("schema", "-o", out)
    assert again.returncode == 2 and "already exists; use --force" in again.stderr
    out.write_text("old")
    assert run_cli("schema", "-o", out, "--force").returncode == 0 and out.read_text().startswith("{")


# ------------------------------------------------------------------------------ the table and models


def test_every_field_takes_its_bounds_from_its_own_row():
    # The pydantic fields name the row of the table they take their bounds from: it is their own.
    from impact.project import Project, _TablePath
    from impact.schema import field_table

    def marks(annotation):
        for m in getattr(annotation, "__metadata__", ()):
            if isinstance(m, _TablePath):
                yield m.path
        for a in getattr(annotation, "__args__", ()):
            yield from marks(a)

    used = {}

    def walk(model, prefix):
        for name, f in model.model_fields.items():
            found = set(marks(f.annotation)) | {m.path for m in f.metadata if isinstance(m, _TablePath)}
            assert found <= {prefix + name}, (prefix + name, found)
            if found:
                used[prefix + name] = True
            ann = f.annotation
            for cand in (*getattr(ann, "__args__", ()), ann):
                inner = getattr(cand, "__args__", (cand,))[0] if getattr(cand, "__origin__", None) is list else cand
                if isinstance(inner, type) and hasattr(inner, "model_fields"):
                    walk(inner, prefix + name + ".")
                    break
                if hasattr(inner, "__total__"):  # assumptions
                    for key, a in inner.__annotations__.items():
                        assert set(marks(a)) == {f"assumptions.{key}"}, key
                        used[f"assumptions.{key}"] = True

    walk(Project, "")
    bounded = {k for k, s in field_table().items() if s.bounds}
    assert bounded <= set(used), bounded - set(used)


def test_the_fields_page_is_the_table():
    from impact.schema import fields_markdown

    page = ROOT / "docs" / "project-fields.md"
    assert page.read_text(encoding="utf-8") == fields_markdown(), (
        'docs/project-fields.md is generated: python -c "from impact.schema import fields_markdown; '
        "open('docs/project-fields.md', 'w').write(fields_markdown())\""
    )
    assert "| `assumptions` |" not in page.read_text() or "| `cooling.aux_share` |" in page.read_text()


def test_every_bound_has_a_reason():
    for name, row in TABLE.items():
        if any(row[b] is not None for b in BOUND_KEYS) or row["max_length"].strip():
            assert len(row["bounds_reason"]) > 10, name


def test_a_site_in_a_commune_without_inhabitants():
    # Fleury-devant-Douaumont (one of the villages destroyed at Verdun, no inhabitants): its
    # electricity estimate was 0 and the share divided by zero; it is unknown, and says why.
    r = impact.estimate(parse_project({**BASE, "location": {"lat": 49.19611, "lon": 5.42326}}), draws=100)
    rec = r.inputs["city.annual_electricity_mwh"]
    assert rec.status == "unknown" and rec.note_key == "note.local.city_no_inhabitants"
    assert not r["share_of_city_electricity"].known and r["share_of_departement_electricity"].known
    _all_finite(r)
