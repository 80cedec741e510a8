"""The project file contract: the documented keys work, and every kind of bad input
gets one clear message naming the file and the field."""

import pytest

from impact.errors import InputError
from impact.project import load_project
from impact.ranges import UNKNOWN, Range

from .conftest import MINIMAL

ISSUE_EXAMPLE = """\
name: MRS5
operator: Digital Realty
city: Marseille
country: FR                 # ISO 3166-1 alpha-2
location: {lat: 43.33, lon: 5.35}
year: 2026
it_capacity_mw: 22
utilisation: {low: 0.4, central: 0.6, high: 0.85}
pue: 1.3
wue_l_per_kwh: 0.2
cooling:
  type: river
  water_flow_m3_per_h: 2000
  water_in_c: 15
  water_out_c: 30
  coverage_share: 0.32
grid:
  carbon_intensity_g_per_kwh: 52
  renewable_contract_share: 1.0
generators: {count: 12, unit_mw: 2.5, test_hours_per_year: 24, fuel: diesel}
refrigerant: {type: R134a, charge_kg: 3000, leak_rate_per_year: 0.05}
building: {site_area_m2: 10000, floor_area_m2: 25000, it_floor_area_m2: 12000, artificialised_m2: 8000}
lifetime_years: 20
claims:
  - {indicator: cooling_saving_share, value: 0.0433, source: "MRS5 inquiry dossier, 2024"}
"""


def test_issue_example_loads_exactly_as_written(write_project):
    p = load_project(write_project(ISSUE_EXAMPLE))
    assert p.utilisation == Range(0.4, 0.6, 0.85)
    assert p.pue == Range.point(1.3)
    assert p.cooling.type == "river" and p.cooling.coverage_share.central == 0.32
    assert p.generators.count == 12 and p.generators.fuel == "diesel"
    assert p.refrigerant.type == "R134a"
    assert p.claims[0].indicator == "cooling_saving_share"


def test_equipment_list_instead_of_capacity(write_project):
    p = load_project(
        write_project("name: Paris AI\ncountry: FR\nequipment:\n  - {kind: gpu_server, count: 48, power_kw: 10.0}\n")
    )
    assert p.equipment[0].count == 48 and p.it_capacity_mw is None


def test_unknown_is_accepted_for_optional_values(write_project):
    p = load_project(write_project(MINIMAL + "pue: unknown\n"))
    assert p.pue is UNKNOWN


def test_the_default_project_loads(mrs5_path):
    p = load_project(mrs5_path)
    assert p.name == "MRS5" and p.it_capacity_mw.central == 22


def _error(write_project, text, name="project.yaml"):
    with pytest.raises(InputError) as info:
        load_project(write_project(text, name))
    return info.value.message


@pytest.mark.parametrize(
    "extra, expected",
    [
        ("utilisation: 1.7\n", "project.yaml: utilisation: must be between 0 and 1, got 1.7"),
        ("pue: 0.9\n", "project.yaml: pue: must be between 1 and 5, got 0.9"),
        ("pue: .nan\n", "project.yaml: pue: must be a finite number, got nan"),
        ("pue: .inf\n", "project.yaml: pue: must be a finite number, got inf"),
        (
            "utilisation: {low: 0.8, central: 0.6, high: 0.9}\n",
            "project.yaml: utilisation: must satisfy low <= central <= high, got low=0.8, central=0.6, high=0.9",
        ),
        (
            "utilisation: {low: 0.4, high: 0.9}\n",
            "project.yaml: utilisation: must be a number or {low: .., central: .., high: ..} (missing central)",
        ),
        ("pue: true\n", "project.yaml: pue: must be a number, got True"),
        ("wue_l_per_kwh: -1\n", "project.yaml: wue_l_per_kwh: must be between 0 and 50, got -1"),
        ("colour: blue\n", "project.yaml: colour: unknown field; expected one of: name, operator"),
        ("cooling: {type: ice}\n", "project.yaml: cooling.type: must be one of 'air_chillers'"),
        (
            "cooling: {type: air_chillers, water_flow_m3_per_h: 10}\n",
            "project.yaml: cooling: water_flow_m3_per_h only apply to river or sea cooling, but type is air_chillers",
        ),
        (
            "cooling: {type: river, water_in_c: 30, water_out_c: 15}\n",
            "project.yaml: cooling: water_out_c (15) must be warmer than water_in_c (30)",
        ),
        ("refrigerant: {type: R999}\n", "project.yaml: refrigerant.type: unknown refrigerant 'R999'; known:"),
        ("generators: {count: 2.5, unit_mw: 2}\n", "project.yaml: generators.count: must be a whole number, got 2.5"),
        ("generators: {count: 2}\n", "project.yaml: generators.unit_mw: is required but missing"),
        (
            "claims: [{indicator: speed, value: 1, source: x}]\n",
            "project.yaml: claims[0].indicator: unknown indicator 'speed'",
        ),
        ("location: {lat: 95, lon: 5}\n", "project.yaml: location.lat: must be between -90 and 90, got 95"),
    ],
)
def test_bad_values_name_file_and_field(write_project, extra, expected):
    assert expected in _error(write_project, MINIMAL + extra)


def test_negative_power(write_project):
    msg = _error(write_project, "name: x\ncountry: FR\nit_capacity_mw: -5\n")
    assert msg == "project.yaml: it_capacity_mw: must be greater than 0, got -5"


def test_number_with_unit_gets_a_hint(write_project):
    msg = _error(write_project, "name: x\ncountry: FR\nit_capacity_mw: 22 MW\n")
    assert "it_capacity_mw: must be a number, got '22 MW'" in msg and "e.g. 22" in msg


def test_missing_required_fields(write_project):
    msg = _error(write_project, "operator: nobody\nit_capacity_mw: 3\n")
    assert "project.yaml: name: is required but missing" in msg
    assert "project.yaml: country: is required but missing" in msg


def test_missing_capacity(write_project):
    msg = _error(write_project, "name: x\ncountry: FR\n")
    assert "it_capacity_mw is required" in msg


def test_capacity_and_equipment_together(write_project):
    msg = _error(write_project, MINIMAL + "equipment: [{kind: server, count: 1, power_kw: 1}]\n")
    assert "give either it_capacity_mw or equipment, not both" in msg


def test_bad_country(write_project):
    assert "country: must be an ISO 3166-1 alpha-2 code such as FR, got 'France'" in _error(
        write_project, "name: x\ncountry: France\nit_capacity_mw: 1\n"
    )


def test_empty_file(write_project):
    assert _error(write_project, "").startswith("project.yaml: the file is empty")
    assert _error(write_project, "# only a comment\n").startswith("project.yaml: the file is empty")


def test_top_level_list(write_project):
    assert _error(write_project, "- name: x\n- name: y\n") == (
        "project.yaml: the top level must be a mapping (key: value), got a list"
    )


def test_not_yaml(write_project):
    msg = _error(write_project, "name: [unclosed\ncountry: FR\n")
    assert msg.startswith("project.yaml: not valid YAML at line")


def test_duplicate_key(write_project):
    msg = _error(write_project, MINIMAL + "it_capacity_mw: 20\n")
    assert "key 'it_capacity_mw' appears twice" in msg


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("name: Montréal\ncountry: CA\nit_capacity_mw: 1\n".encode("latin-1"))
    with pytest.raises(InputError, match="latin.yaml: is not UTF-8 text"):
        load_project(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot be read: No such file or directory"):
        load_project(tmp_path / "nope.yaml")


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        load_project(tmp_path)


def test_yaml_tags_are_not_executed(write_project):
    # Safe loading: a Python tag is refused, not run.
    msg = _error(
        write_project, "name: !!python/object/apply:os.system ['echo hacked']\ncountry: FR\nit_capacity_mw: 1\n"
    )
    assert "not valid YAML" in msg
