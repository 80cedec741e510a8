"""Mutated projects for property tests and the long fuzz run (``scripts/fuzz_projects.py``).

A mutation starts from a real project file of the repository (MRS5, the cases of several
régions, a minimal file) and changes one to four things as a careless or hostile user would:
a value replaced by a hostile one (null, 0, negative, 1e308, inf, nan, a huge integer, text
with markup, formulas or terminal escapes, a container), a key deleted, a number scaled, an
unknown key added, an enum swapped for another valid value, an assumption added, a section or
a data file added. Everything is driven by one ``random.Random``, so a seed gives the same
projects on every machine, and Hypothesis can drive (and shrink) it with ``st.randoms()``.

:func:`outcome` runs what a user runs: the YAML text through the loader, the estimate of the
project and of its alternatives, and the JSON, CSV and Markdown outputs. The only exception
it accepts is :class:`impact.errors.InputError`; every number out must be finite.
"""

from __future__ import annotations

import copy
import json
import math
import random
from pathlib import Path
from typing import Any

import yaml

from impact.project import ANNOUNCED_POWER_BASES, COOLING_TYPES, PROCEDURE_TYPES

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = [ROOT / "data" / "projects" / "mrs5.yaml", *sorted((ROOT / "data" / "projects" / "cases").glob("*.yaml"))]
SHARED = ROOT.parent / "shared" / "data"
TEST_DATA = ROOT / "tests" / "data"

MINIMAL = {
    "name": "Minimal",
    "country": "FR",
    "it_capacity_mw": 10,
    "cooling": {"type": "air_chillers"},
    "location": {"lat": 45.0, "lon": 4.9},
}

HOSTILE: list[Any] = [
    None,
    0,
    -1,
    0.5,
    1,
    5,
    -5,
    1e308,
    -1e308,
    float("inf"),
    float("-inf"),
    float("nan"),
    10**400,
    1e-300,
    -0.0,
    True,
    False,
    "",
    " ",
    "unknown",
    "inconnu",
    "1,5",
    "12 MW",
    "$x^2$",
    "$",
    "\\",
    '=HYPERLINK("http://x")',
    "+1",
    "@SUM(A1)",
    "-2",
    "<script>alert(1)</script>",
    "# Titre\n- item\n[lien](http://example.org)",
    "\x1b[31mrouge\x1b[0m",
    "\x00\x07",
    "é" * 3000,
    "a" * 100_000,
    "../../etc/passwd",
    "2024-13-45",
    "2024-09-27",
    [],
    [1, 2],
    [{}],
    {},
    {"low": 2, "central": 1, "high": 3},
    {"low": 0, "central": 0, "high": 0},
    {"low": -1, "central": 0, "high": 1},
    {"low": 1, "central": 2},
    {"low": 1e308, "central": 1e308, "high": 1e308},
    {"a": {"b": {"c": {"d": 1}}}},
]
FACTORS = [0, -1, 1e-9, 1e-3, 10, 1e3, 1e9, 1.0000001]

ENUMS = {
    ("cooling", "type"): [*COOLING_TYPES, "unknown"],
    ("procedure", "type"): list(PROCEDURE_TYPES),
    ("announced_power", "basis"): list(ANNOUNCED_POWER_BASES),
    # R22 is not in data/reference/refrigerant_gwp.csv: a refrigerant the tool does not know.
    ("refrigerant", "type"): ["none", "R134a", "R1234ze", "R744", "R717", "R290", "R410A", "R22"],
}
FRAGMENTS: dict[str, Any] = {
    "generators": [{"count": 4, "unit_mw": 2.5}, {"count": "unknown", "unit_mw": "unknown"}, {"total_mw": 30}],
    "refrigerant": [
        {"type": "R134a", "charge_kg": 2000},
        {"type": "none"},
        {"type": "R1234ze", "charge_kg": "unknown"},
    ],
    "equipment": [
        [{"kind": "server", "count": 1000, "power_kw": 0.5}],
        [{"kind": "gpu", "count": 10**6, "power_kw": 10}],
    ],
    "announced_power": [
        {"value_mw": 100, "basis": "grid_connection", "source": "press"},
        {"value_mw": 40, "basis": "facility", "source": "press"},
    ],
    "procedure": [
        {"type": "enquete_publique", "start": "2026-01-05", "end": "2026-02-05", "authority": "Préfet"},
        {"type": "concertation_prealable", "start": "2026-03-01", "end": "2026-02-01"},
    ],
    "heat_reuse_share": [0.3, "unknown", 1.5],
    "claims": [
        [{"indicator": "pue", "value": 1.2, "source": "press"}],
        [{"indicator": "wue_l_per_kwh", "value": 0, "source": "press"}],
        [{"indicator": "water_onsite_m3", "value": 3, "unit": "hm3", "source": "x"}],
    ],
    "alternatives": [
        [{"name": "Air", "changes": {"cooling": {"type": "air_chillers"}}}],
        [{"name": "Zero", "changes": {"it_capacity_mw": 0}}],
        [{"name": "Bad", "changes": {"nothing_here": 1}}],
    ],
    "location": [
        {"lat": 48.85, "lon": 2.35},
        {"lat": 0, "lon": 0},
        {"lat": 42.7, "lon": 9.45},
        {"lat": 51.5, "lon": -0.1},
        {"lat": 43.3, "lon": 5.35, "approximate": True, "altitude_m": 4000},
    ],
    "utilisation": [0, 1, {"low": 0, "central": 0.5, "high": 1}],
    "cooling": [
        {"type": "river"},
        {"type": "sea"},
        {"type": "river", "water_flow_m3_per_h": 100},
        {"type": "sea", "water_in_c": 14, "water_out_c": 14},
        {"type": "liquid_closed_loop"},
    ],
}
ASSUMPTION_KEYS = [
    "utilisation",
    "cooling.aux_share",
    "cooling.cop_air_rated",
    "cooling.supply_c",
    "cooling.hx_approach_k",
    "cooling.band_k",
    "grid.carbon_intensity_g_per_kwh",
    "climate.offset_k",
    "wue_l_per_kwh",
    "heat_reuse_share",
    "water_density_kg_per_m3",
    "ewif_l_per_kwh",
    "household_electricity_kwh",
    "no_such_input",
]


def data_file_candidates() -> list[str]:
    """Paths a careless or hostile user might give as a data file: real files of another kind,
    devices, folders, the process environment, missing files, remote and GDAL virtual paths."""
    paths = [
        str(TEST_DATA),
        "/dev/null",
        "/proc/self/environ",
        "/nonexistent/file.csv",
        "/vsicurl/http://x/y",
        "http://example.org/a.geojson",
        str(ROOT / "README.md"),
        str(ROOT / "data" / "projects" / "mrs5.yaml"),
    ]
    paths += [str(p) for p in sorted(TEST_DATA.glob("*"))[:12] if p.is_file()]
    return paths


DATA_FIELDS = [
    ("grid", "eco2mix"),
    ("climate", "epw"),
    ("climate", "pvgis"),
    ("context", "substations"),
    ("context", "registry"),
    ("context", "boundaries"),
    ("land", "parcels"),
]


def base_projects() -> list[dict]:
    """The starting points: every project file of the repository, and a minimal one."""
    out = [copy.deepcopy(MINIMAL)]
    for p in PROJECTS:
        out.append(yaml.safe_load(p.read_text(encoding="utf-8")))
    return out


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value in a nested mapping / list."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _parent(data: Any, path: tuple):
    node = data
    for step in path[:-1]:
        node = node[step]
    return node


def _scaled(x: float, factor: float) -> float:
    try:
        return x * factor
    except OverflowError:  # a huge integer already: it stays
        return x


def mutate(data: dict, rnd: random.Random) -> dict:
    """``data`` changed one to four times (a new mapping; ``data`` is left alone)."""
    data = copy.deepcopy(data)
    for _ in range(rnd.choice((1, 1, 1, 2, 2, 3, 4))):
        # Weighted so that about half the projects stay valid and reach the model.
        op = rnd.choices(range(10), weights=(2, 1, 1, 1, 2, 2, 2, 2, 1, 2))[0]
        paths = _paths(data)
        if op == 9:  # a number moved within a plausible factor (mostly still valid)
            numeric = [
                p
                for p in paths
                if isinstance(_parent(data, p)[p[-1]], (int, float)) and not isinstance(_parent(data, p)[p[-1]], bool)
            ]
            if numeric:
                path = rnd.choice(numeric)
                parent = _parent(data, path)
                parent[path[-1]] = _scaled(parent[path[-1]], rnd.uniform(0.5, 2.0))
        elif op <= 2 and paths:  # a value replaced by a hostile one
            path = rnd.choice(paths)
            _parent(data, path)[path[-1]] = copy.deepcopy(rnd.choice(HOSTILE))
        elif op == 3 and paths:  # a key or item deleted
            path = rnd.choice(paths)
            parent = _parent(data, path)
            del parent[path[-1]]
        elif op == 4:  # a number scaled
            numeric = [
                p
                for p in paths
                if isinstance(_parent(data, p)[p[-1]], (int, float)) and not isinstance(_parent(data, p)[p[-1]], bool)
            ]
            if numeric:
                path = rnd.choice(numeric)
                parent = _parent(data, path)
                parent[path[-1]] = _scaled(parent[path[-1]], rnd.choice(FACTORS))
        elif op == 5:  # an enum swapped for another value
            (section, key), values = rnd.choice(list(ENUMS.items()))
            if not isinstance(data.get(section), dict):
                data[section] = {}
            data[section][key] = rnd.choice(values)
        elif op == 6:  # an assumption
            assumptions = data.setdefault("assumptions", {})
            if not isinstance(assumptions, dict):
                data["assumptions"] = assumptions = {}
            value = rnd.choice([rnd.uniform(-10, 10), rnd.uniform(0, 1), rnd.uniform(0, 1), rnd.choice(HOSTILE)])
            assumptions[rnd.choice(ASSUMPTION_KEYS)] = value
        elif op == 7:  # a section from the pool
            key = rnd.choice(list(FRAGMENTS))
            data[key] = copy.deepcopy(rnd.choice(FRAGMENTS[key]))
        else:  # a data file, of the wrong kind or no file at all; or an unknown key
            if rnd.random() < 0.7:
                section, key = rnd.choice(DATA_FIELDS)
                block = data.get(section)
                if not isinstance(block, dict):
                    data[section] = block = {}
                block[key] = rnd.choice(data_file_candidates())
                if section == "land":
                    block.setdefault("ids", ["000AB0001"])
            else:
                data[rnd.choice(["nmae", "cooling_type", "x" * 300, "location.lat"])] = 1
    return data


def _finite(x: Any) -> bool:
    return x is None or (isinstance(x, (int, float)) and math.isfinite(x))


def _no_constant(name: str):
    raise ValueError(f"JSON output contains {name}")


def outcome(data: dict, draws: int = 100) -> str:
    """``"invalid"`` (an InputError, as expected of bad input) or ``"valid"``; any other
    exception propagates, and so does an output number that is not finite."""
    from impact.engine import estimate
    from impact.errors import InputError
    from impact.project import parse_project_text
    from impact.report.markdown import format_markdown
    from impact.report.table import format_table
    from impact.scenarios import alternatives

    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    try:
        project = parse_project_text(text, "fuzz.yaml")
        results = estimate(project, draws=draws)
        variants = [estimate(variant, draws=draws) for _, variant in alternatives(project)]
    except InputError:
        return "invalid"
    for r in (results, *variants):
        for ind in r.indicators.values():
            assert all(_finite(x) for x in (ind.low, ind.central, ind.high)), (ind.name, ind.low, ind.central, ind.high)
        json.loads(json.dumps(r.to_dict(), allow_nan=False), parse_constant=_no_constant)  # as `--format json`
        r.to_frame().to_csv(index=False)
        format_markdown(r)
        format_table(r)
    return "valid"
