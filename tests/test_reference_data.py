"""Every figure shipped in data/ has a source, a unit, a year and a quality."""

import csv
import re

import pytest

from impact.paths import data_dir
from impact.sources.reference import QUALITIES

TABLES = sorted((data_dir() / "reference").glob("*.csv"))


def _rows(path):
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_there_are_reference_tables():
    names = {p.stem for p in TABLES}
    # The topics the core needs (issue 2 §3).
    for topic in (
        "pue_benchmarks",
        "wue_defaults",
        "grid_carbon_intensity",
        "water_intensity_electricity",
        "equivalences",
        "fuel",
        "refrigerant_gwp",
        "chillers",
        "ashrae_envelope",
        "climate_uncertainty",
        "water_temperature",
        "embodied_carbon",
        "city_context",
    ):
        assert topic in names


@pytest.mark.parametrize("path", TABLES, ids=[p.stem for p in TABLES])
def test_every_row_is_sourced(path):
    rows = _rows(path)
    assert rows, f"{path.name} is empty"
    for col in ("unit", "source", "year", "quality"):
        assert col in rows[0], f"{path.name}: no {col} column"
    assert "value" in rows[0] or {"low", "high"} <= set(rows[0]), f"{path.name}: no value column"
    for n, row in enumerate(rows, start=2):
        where = f"{path.name} line {n}"
        assert row["source"].strip(), f"{where}: no source"
        assert row["unit"].strip(), f"{where}: no unit"
        assert re.fullmatch(r"(19|20)\d\d|n\.d\.", row["year"].strip()), f"{where}: year {row['year']!r}"
        assert row["quality"] in QUALITIES, f"{where}: quality {row['quality']!r}"
        numbers = {k: row[k] for k in ("low", "value", "high") if row.get(k, "").strip()}
        if row["quality"] == "unknown":
            assert "value" not in numbers, f"{where}: an unknown figure has a value"
            continue
        assert numbers, f"{where}: no value"
        parsed = {k: float(v) for k, v in numbers.items()}
        if {"low", "value"} <= set(parsed):
            assert parsed["low"] <= parsed["value"], where
        if {"value", "high"} <= set(parsed):
            assert parsed["value"] <= parsed["high"], where


def test_secondary_sources_are_flagged():
    # Figures from the press or blogs must not be labelled primary.
    weak = re.compile(r"selectra|francetvinfo|climatestotravel|tf1info|la provence|davidmytton|statista", re.I)
    for path in TABLES:
        for row in _rows(path):
            if weak.search(row["source"]) and not re.search(r"RTE|INSEE|SDES", row["source"]):
                assert row["quality"] != "primary", f"{path.name}: {row['source']}"


def test_schema_tables_are_sourced():
    for path in sorted((data_dir() / "schema").glob("*.csv")):
        for row in _rows(path):
            assert row["source"].strip() and row["unit"].strip(), f"{path.name}: {row}"


def test_every_project_field_is_in_the_schema_table():
    from impact.project import Project

    listed = {r["field"] for r in _rows(data_dir() / "schema" / "project_fields.csv")}

    def fields(model, prefix=""):
        for name, field in model.model_fields.items():
            yield prefix + name
            ann = field.annotation
            for cand in getattr(ann, "__args__", ()) + (ann,):
                inner = getattr(cand, "__args__", (cand,))[0] if getattr(cand, "__origin__", None) is list else cand
                if isinstance(inner, type) and hasattr(inner, "model_fields"):
                    yield from fields(inner, prefix + name + ".")
                    break
                if hasattr(inner, "__total__"):  # a TypedDict: assumptions, one row per key
                    yield from (f"{prefix}{name}.{key}" for key in inner.__annotations__)
                    break

    assert set(fields(Project)) == listed
