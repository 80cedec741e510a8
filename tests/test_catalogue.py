"""The catalogue of the report's words: one per language, the same keys and placeholders in
each, every key the code uses defined, errors rather than silent fallbacks; and the units
that scale."""

from __future__ import annotations

import csv
import re
from types import SimpleNamespace

import pytest

from impact.report import catalogue as cat_module
from impact.report import fmt
from impact.report.catalogue import Catalogue, CatalogueError, catalogue, languages, placeholders

from .conftest import ROOT

#: Namespaces of the catalogue: a quoted string starting with one of them in the code or the
#: templates is a key (input names such as "cooling.type" or "city.peak_demand_mw" are not).
NAMESPACES = (
    "dossier",
    "finding",
    "question",
    "unit",
    "status",
    "note",
    "source",
    "value",
    "chart",
    "city_report",
    "claim",
    "verdict",
    "contribution",
    "procedure",
    "cooling_model",
    "annex",
    "method",
    "input",
    "short",
    "month",
    "month_short",
    "number",
    "list",
    "sentence",
    "date",
    "national",
    "alternatives",
    "figures",
    "site_status",
    "cooling_type",
    "map",
)
_KEY_IN_CODE = re.compile(r"""(f?)["']((?:%s)\.[^"'\s{}]*)(\{|["'])""" % "|".join(NAMESPACES))
#: In templates, any key given to t(): ``t("key"`` or ``t("prefix." ~ ...``.
_KEY_IN_TEMPLATE = re.compile(r"""\bt\(\s*()["']([^"'\s{}]+)()["']""")


def test_both_languages_have_the_same_keys_and_placeholders():
    assert set(languages()) >= {"fr", "en"}
    fr = catalogue("fr")
    for lang in languages():
        other = catalogue(lang)
        assert set(other.keys()) == set(fr.keys()), (lang, set(other.keys()) ^ set(fr.keys()))
        for key in fr.keys():
            assert placeholders(other.text(key)) == placeholders(fr.text(key)), (lang, key)


def _keys_used():
    """(file, key or prefix, is_prefix) for every catalogue key written in the code and templates."""
    files = list((ROOT / "impact").rglob("*.py")) + list((ROOT / "templates").glob("*.j2"))
    out = []
    for path in files:
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)  # template comments
        found = _KEY_IN_CODE.findall(text)
        if path.suffix == ".j2":
            found += _KEY_IN_TEMPLATE.findall(text)
        for f, key, end in found:
            if key.endswith((".j2", ".css", ".py", ".yaml")):  # file names, not keys
                continue
            prefix = key.endswith(".") or (f and end == "{") or f'startswith("{key}"' in text
            out.append((path.relative_to(ROOT), key, prefix))
    return out


def _input_names() -> set[str]:
    """Names of input records (``procedure.type``...), which look like keys but are not."""
    from impact.engine import estimate
    from impact.project import load_project

    names = set()
    for path in [ROOT / "data" / "projects" / "mrs5.yaml", *sorted((ROOT / "tests" / "data").glob("site-*.yaml"))]:
        if "valence" in path.name:  # its climate file is in ../shared/data
            continue
        names |= set(estimate(load_project(path), draws=100).inputs)
    return names


def test_every_key_used_in_the_code_and_templates_exists():
    from impact.schema import field_table

    used = _keys_used()
    assert len(used) > 150  # the scan does see the code (keys are written out in full)
    # Input names and the project file's field names (procedure.start...) look like keys but are not.
    inputs = _input_names() | set(field_table())
    for lang in languages():
        t = catalogue(lang)
        for path, key, prefix in used:
            if key in inputs:
                continue
            if prefix:
                assert t.keys(key), f"{path}: no key starts with {key!r} in catalogue {lang}"
            else:
                assert t.has(key), f"{path}: key {key!r} is missing from catalogue {lang}"


def test_a_missing_key_or_placeholder_is_an_error_not_another_language():
    t = catalogue("fr")
    with pytest.raises(CatalogueError, match="no text for key 'finding.nothing'"):
        t("finding.nothing")
    with pytest.raises(CatalogueError, match=r"finding.energy: placeholder \{name\} not given"):
        t("finding.energy", energy="1", range="2")
    with pytest.raises(CatalogueError, match="placeholder"):
        t.markup("finding.energy")
    assert t.optional("question.not_an_input") is None
    with pytest.raises(CatalogueError, match="no catalogue for language 'de'"):
        Catalogue("de")


def test_markup_escapes_the_values_and_the_text():
    from markupsafe import Markup

    t = catalogue("fr")
    html = t.markup("finding.energy", name="<b>x</b>", energy=Markup("<strong>1</strong>"), range="2")
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<strong>1</strong>" in html


def _write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_key_defined_twice_names_both_files(tmp_path, monkeypatch):
    (tmp_path / "xx").mkdir()
    _write(tmp_path / "xx", "a.yaml", "dossier.one: un\n")
    _write(tmp_path / "xx", "b.yaml", "dossier.two: deux\ndossier.one: encore\n")
    monkeypatch.setattr(cat_module, "catalogue_dir", lambda: tmp_path)
    cat_module._load.cache_clear()
    try:
        with pytest.raises(CatalogueError, match=r"dossier.one: defined twice, in .*a.yaml and in .*b.yaml"):
            cat_module._load("xx")
    finally:
        cat_module._load.cache_clear()


@pytest.mark.parametrize(
    "text, message",
    [
        ("dossier.x: [a, b]\n", "expected a text"),
        ("dossier.x: no\n", "expected a text"),
        ("nokey: texte\n", "a key is a namespace and a name"),
        ("dossier.x: 'a {0} b'\n", "placeholders must be named"),
        ("dossier.x: 'a { b'\n", "literal braces"),
        ("- a\n", "expected a mapping"),
    ],
)
def test_a_bad_catalogue_file_is_refused_clearly(tmp_path, text, message):
    path = _write(tmp_path, "bad.yaml", text)
    with pytest.raises(CatalogueError, match=message):
        cat_module._read_file(path)


def test_the_catalogue_is_read_once_per_process():
    assert catalogue("fr") is catalogue("fr")
    assert Catalogue("fr")._texts is Catalogue("fr")._texts  # the files were read once


# ----------------------------------------------------------------------------- units
def _data_units() -> set[str]:
    units = set()
    with (ROOT / "data" / "schema" / "indicators.csv").open(encoding="utf-8") as f:
        units |= {row["unit"] for row in csv.DictReader(f)}
    for path in (ROOT / "data" / "reference").glob("*.csv"):
        with path.open(encoding="utf-8") as f:
            reader = csv.DictReader(f)
            if "unit" in (reader.fieldnames or []):
                units |= {row["unit"] for row in reader}
    return units - {"", "-"}


def test_every_unit_of_the_data_has_words(tmp_path):
    from impact.engine import estimate
    from impact.project import load_project

    units = _data_units() | {
        rec.unit for rec in estimate(load_project(ROOT / "data" / "projects" / "mrs5.yaml"), draws=100).inputs.values()
    }
    units -= {"", "-", "degree", "Btu/Wh", "kW/ton"}  # coordinates and US rating units: never printed
    for lang in languages():
        missing = sorted(u for u in units if not catalogue(lang).has(f"unit.{u}"))
        assert not missing, (lang, missing)


@pytest.mark.parametrize(
    "value, unit, fr, en",
    [
        # By hand: 0.0409 MW = 40.9 kW; 140 000 MWh = 140 GWh; 3 040 t = 3.04 kt; 999.6 MW rounds to 1.00 GW.
        (0.0409, "MW", "40,9\u00a0kW", "40.9\u00a0kW"),
        (22.0, "MW", "22,0\u00a0MW", "22.0\u00a0MW"),
        (999.6, "MW", "1,00\u00a0GW", "1.00\u00a0GW"),
        (140_000.0, "MWh", "140\u00a0GWh", "140\u00a0GWh"),
        (0.5, "MWh", "500\u00a0kWh", "500\u00a0kWh"),
        (10.0, "TWh", "10,0\u00a0TWh", "10.0\u00a0TWh"),
        (3040.0, "t CO2e", "3,04\u00a0kt CO₂e", "3.04\u00a0kt CO₂e"),
        (0.3, "t CO2e", "300\u00a0kg CO₂e", "300\u00a0kg CO₂e"),
        (12.5, "t CO2e/yr", "12,5\u00a0t CO₂e/an", "12.5\u00a0t CO₂e/yr"),
        (2_070_000.0, "m3", "2\u202f070\u202f000\u00a0m³", "2,070,000\u00a0m³"),
        (0.0, "MW", "0\u00a0MW", "0\u00a0MW"),
        (15.0, "°C", "15,0\u00a0°C", "15.0\u00a0°C"),
    ],
)
def test_units_scale_per_value_with_three_significant_digits(value, unit, fr, en):
    assert fmt.quantity(value, unit, "fr") == fr
    assert fmt.quantity(value, unit, "en") == en


def test_a_column_reads_in_one_unit():
    # 40.9 kW beside 22 MW: both in kW (no 0,0409 MW), the larger with thousands separators.
    to = fmt.common_unit([0.0409, 22.0, None], "MW")
    assert to == "kW"
    assert [fmt.quantity(v, "MW", "fr", to=to) for v in (0.0409, 22.0)] == ["40,9\u00a0kW", "22\u202f000\u00a0kW"]
    assert fmt.common_unit([140_000.0, 66_700.0, 0.0], "MWh") == "GWh"


def test_a_range_takes_the_unit_of_its_central_value():
    assert fmt.value_range(0.95, 0.8, 1.2, "MW", "fr") == "950\u00a0kW (800 à 1\u202f200\u00a0kW)"
    assert fmt.value_range(140_000, 131_000, 165_000, "MWh", "en") == "140\u00a0GWh (131 to 165\u00a0GWh)"
    assert fmt.value_range(0.0405, 0.0362, 0.0446, "-", "fr", share=True) == "4,05\u00a0% (3,62 à 4,46\u00a0%)"


def test_conversions_stay_within_a_family():
    assert fmt.convert(1.0, "GWh", "kWh") == pytest.approx(1e6)
    assert fmt.convert(2.0, "t CO2e/yr", "kt CO2e/yr") == pytest.approx(0.002)
    with pytest.raises(ValueError):
        fmt.convert(1.0, "MW", "MWh")
    with pytest.raises(ValueError):
        fmt.convert(1.0, "t CO2e", "kt CO2e/yr")


# ----------------------------------------------------------------------------- facts that pick words
def test_the_procedure_picks_the_contribution_s_words():
    from impact.report import narrative

    def results(procedure, meta=None):
        return SimpleNamespace(project=SimpleNamespace(procedure=procedure), meta=meta or {})

    assert narrative.procedure_type(results(None)) == "enquete_publique"
    assert narrative.procedure_type(results(SimpleNamespace(type="concertation_prealable"))) == "concertation_prealable"
    facts = {"type": "concertation_prealable", "addressee": "garants", "status": "given"}
    assert narrative.procedure_facts(results(None, {"procedure": facts})) == facts
    t = catalogue("fr")
    assert t("procedure.salutation.concertation_prealable") == "Madame, Monsieur le garant,"
    for lang in languages():
        for proc in (
            "enquete_publique",
            "consultation_publique",
            "concertation_prealable",
            "participation_electronique",
        ):
            for part in ("kind", "salutation", "closing", "description"):
                assert catalogue(lang).has(f"procedure.{part}.{proc}")
        for addressee in ("commissaire_enqueteur", "garants", "autorite"):
            assert catalogue(lang).has(f"procedure.questions_intro.{addressee}")


def test_the_reason_the_cooling_model_did_not_run_is_read_from_the_inputs():
    from impact.engine import estimate
    from impact.project import parse_project_text
    from impact.report.narrative import cooling_reason, cooling_reason_key
    from impact.results import InputRecord

    base = "name: X\ncountry: FR\nit_capacity_mw: 5\n"
    far = base + "location: {lat: 42.697, lon: 9.451}\ncooling: {type: air_chillers}\n"  # Bastia: no series near
    near_none = base + "location: {lat: 43.33, lon: 5.35}\n"
    for text, key in (
        (far, "cooling_model.not_run.no_climate"),
        (near_none, "cooling_model.not_run.cooling_not_described"),
    ):
        results = estimate(parse_project_text(text), draws=100)
        if results.hourly is not None:
            pytest.skip("a climate was found for the place: the hourly model ran")
        assert cooling_reason_key(results) == key, text
        assert cooling_reason(results, "fr") == catalogue("fr")(key)
    # A river whose intake temperature stays unknown while a climate exists (the estimate now
    # estimates it from the air, so the case is built from records).
    rec = {
        "climate": InputRecord("climate", "x", "-", "default", "s"),
        "cooling.water_in_c": InputRecord("cooling.water_in_c", None, "°C", "unknown", "not given"),
    }
    river = SimpleNamespace(
        hourly=None,
        meta={"cooling_model": "not run: ..."},
        inputs=rec,
        project=SimpleNamespace(cooling=SimpleNamespace(type="river")),
    )
    assert cooling_reason_key(river) == "cooling_model.not_run.water_temperature_unknown"
    rec["cooling.water_in_c"] = InputRecord("cooling.water_in_c", None, "°C", "given", "p")
    assert cooling_reason_key(river) == "cooling_model.not_run.other"
    assert cooling_reason_key(SimpleNamespace(hourly=None, meta={"cooling_model": "hourly"})) is None
