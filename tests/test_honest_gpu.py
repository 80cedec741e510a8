"""Embodied emissions of the IT equipment on an AI site (issue 12, item 5, follow-up): when the
project says its IT rooms host GPU servers (``it_workload: ai``) and publishes no equipment list,
the default counts 8-GPU servers from the IT capacity instead of mainstream CPU servers from the
mean IT power.

Every expected value is computed here by hand from the rows of data/reference/totals_defaults.csv
(cited in the comments), not from the code's output.
"""

from pathlib import Path

import pytest

import impact
from impact.errors import InputError
from impact.project import load_project, parse_project_text
from impact.report import narrative
from impact.sources import reference as ref

SITE = """\
name: Test site
country: FR
year: 2024
it_capacity_mw: 10
pue: 1.2
utilisation: 0.5
building: {floor_area_m2: 5000}
"""

# totals_defaults.csv, equipment rows:
A100_SERVER_KG = (2544, 3122, 3700)  # Chien et al. 2023 (8 x 318 kg); middle; Luccioni et al. 2023 (2,500 + 8 x 150)
A100_SERVER_KW = 3.43  # Chien et al. 2023: 8-GPU A100 instance
HGX_H100_KG = 1312  # NVIDIA HGX H100 PCF summary: the 8-GPU baseboard, cradle to gate
HOST_KG = 2500  # Luccioni et al. 2023 (BLOOM): a server without its GPUs
H100_SERVER_KW = 10.2  # NVIDIA DGX H100: maximum system power
# Per kW of IT capacity: low = an H100 server, (1,312 + 2,500) / 10.2 = 373.73;
# high = an A100 server, 3,700 / 3.43 = 1,078.72; central = their middle, 726.22
GPU_KG_PER_KW = (
    (HGX_H100_KG + HOST_KG) / H100_SERVER_KW,
    ((HGX_H100_KG + HOST_KG) / H100_SERVER_KW + A100_SERVER_KG[2] / A100_SERVER_KW) / 2,
    A100_SERVER_KG[2] / A100_SERVER_KW,
)
CPU_SERVER_KG = (1000 + 4288) / 2  # embodied_carbon.csv: CCF base server, Dell R740 LCA; middle
CPU_SERVER_KW = 0.237  # SPECpower, HPE DL380 Gen10 at 50 % load
IT_LIFE = 4  # embodied_carbon.csv (Cloud Carbon Footprint)
BUILDING = 5000 * 1165 / 1000 / 50  # 5,000 m2 x 1,165 kg/m2 over 50 years = 116.5 t/yr

CASES = Path(__file__).resolve().parent.parent / "data" / "projects" / "cases"


def est(text: str, draws: int = 200):
    return impact.estimate(parse_project_text(text), draws=draws)


def test_the_table_holds_the_figures_the_hand_values_use():
    def row(quantity):
        return ref.require("totals_defaults", part="equipment", quantity=quantity).known()

    kg = row("gpu_server_manufacturing_kg")
    assert (kg.low, kg.central, kg.high) == A100_SERVER_KG
    assert kg.low == 8 * 318  # Chien et al.: 318 kg per GPU = 1/8 of the instance
    assert kg.high == 2500 + 8 * 150  # BLOOM: server without GPUs + 8 GPUs
    assert kg.central == pytest.approx((kg.low + kg.high) / 2)
    assert row("gpu_server_power_kw").central == A100_SERVER_KW
    assert A100_SERVER_KW == pytest.approx(8 * 0.428, abs=0.01)  # 0.428 kW per GPU is 1/8 of the instance
    assert row("hgx_h100_baseboard_manufacturing_kg").central == HGX_H100_KG
    assert row("gpu_server_host_manufacturing_kg").central == HOST_KG
    assert row("dgx_h100_power_kw").central == H100_SERVER_KW
    assert GPU_KG_PER_KW == pytest.approx((373.73, 726.22, 1078.72), abs=0.01)


def test_an_ai_site_counts_gpu_servers_from_its_it_capacity():
    r = est(SITE + "it_workload: ai\n")
    rec = r.inputs["equipment.gpu_embodied_kg_per_kw"]
    assert rec.status == "default"
    assert (rec.value.low, rec.value.central, rec.value.high) == pytest.approx(GPU_KG_PER_KW)
    assert "equipment.embodied_kg_per_kw" not in r.inputs
    # 10,000 kW x 726.22 kg/kW = 7,262 t over 4 years = 1,815.6 t/yr
    # (the utilisation of 0.5 does not change how many servers are installed)
    it_part = 10_000 * GPU_KG_PER_KW[1] / 1000 / IT_LIFE
    assert it_part == pytest.approx(1815.6, abs=0.1)
    assert r.central("co2e_embodied_t_per_year") == pytest.approx(it_part + BUILDING)
    total = r["co2e_total_t"]
    assert total.status == "estimated" and not total.missing
    assert "equipment.gpu_embodied_kg_per_kw" in total.note
    assert "GPU" in r["co2e_embodied_t_per_year"].method


def test_a_general_site_keeps_the_cpu_default_and_the_ai_one_is_lower():
    general = est(SITE)
    same = est(SITE + "it_workload: general\n")
    # 10,000 kW x 0.5 = 5,000 kW mean / 0.237 kW = 21,097 servers x 2,644 kg = 55,781 t / 4 yr
    cpu_part = 10_000 * 0.5 / CPU_SERVER_KW * CPU_SERVER_KG / 1000 / IT_LIFE
    assert cpu_part == pytest.approx(13_945.1, abs=0.1)
    for r in (general, same):
        assert r.inputs["equipment.embodied_kg_per_kw"].status == "default"
        assert "equipment.gpu_embodied_kg_per_kw" not in r.inputs
        assert r.central("co2e_embodied_t_per_year") == pytest.approx(cpu_part + BUILDING)
    ai = est(SITE + "it_workload: ai\n")
    # 13,945 t/yr for CPU servers against 1,815.6 for GPU servers: 7.7 times less
    assert ai.central("co2e_embodied_t_per_year") < general.central("co2e_embodied_t_per_year") / 7


def test_an_equipment_list_still_wins_over_the_workload():
    text = SITE.replace("it_capacity_mw: 10\n", "") + (
        "it_workload: ai\nequipment:\n  - {kind: gpu_server, count: 100, power_kw: 10.2, embodied_kgco2e: 5000}\n"
    )
    r = est(text)
    assert "equipment.gpu_embodied_kg_per_kw" not in r.inputs
    assert r.inputs["equipment.embodied_t"].status == "given"
    # 100 x 5,000 kg = 500 t over 4 years = 125 t/yr
    assert r.central("co2e_embodied_t_per_year") == pytest.approx(100 * 5000 / 1000 / IT_LIFE + BUILDING)


def test_a_wrong_workload_is_a_clear_input_error():
    with pytest.raises(InputError) as err:
        parse_project_text(SITE + "it_workload: gpu\n")
    assert "it_workload" in str(err.value)


def test_the_dossier_names_the_gpu_default_and_asks_for_the_servers():
    r = est(SITE + "it_workload: ai\n")
    qs = narrative.questions(r, [], "fr")
    assert any("Combien de serveurs à GPU" in q for q in qs)
    found = narrative.findings(r, [], "fr")
    assert any("construction et de fabrication" in f for f in found)


@pytest.mark.parametrize(
    ("name", "it_mw"),
    [("sesterce-valence-alixan", 120 / 1.1), ("bxia-bordeaux-lac", 250.0)],
)
def test_the_ai_example_projects_use_the_gpu_default(name, it_mw):
    r = impact.estimate(load_project(CASES / f"{name}.yaml"), draws=100)
    assert r.inputs["equipment.gpu_embodied_kg_per_kw"].status == "default"
    assert r.inputs["it_capacity_mw"].value.central == pytest.approx(it_mw)
    # IT capacity x 726.22 kg/kW over 4 years (Sesterce: 120 MW facility / PUE 1.1 = 109.1 MW IT:
    # 19,807 t/yr; BXIA: 250 MW IT: 45,389 t/yr); neither publishes a floor area, so no building part
    it_part = it_mw * 1000 * GPU_KG_PER_KW[1] / 1000 / IT_LIFE
    assert r.central("co2e_embodied_t_per_year") == pytest.approx(it_part, rel=1e-9)


def test_campus_ia_is_an_ai_site_and_mrs5_is_not():
    fouju = load_project(CASES / "campus-ia-fouju.yaml")
    assert fouju.it_workload == "ai"
    assert impact.load_project(impact.paths.default_project()).it_workload is None


def test_the_engine_method_has_its_translation():
    from impact.report.dossier import method_key

    r = est(SITE + "it_workload: ai\n")
    assert method_key(r["co2e_embodied_t_per_year"].method) == "method.co2e_embodied_t_per_year.gpu"
    rec = r.inputs["equipment.gpu_embodied_kg_per_kw"]
    assert rec.note_key == "note.gpu.embodied_default"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_dossier_of_an_ai_site_reads_in_its_language(tmp_path, lang):
    # The detectors of tests/test_words.py (wrong language, foreign places, small units) on the
    # dossier of a site that takes the GPU default.
    from tests import test_words as words

    path = tmp_path / "ai-site.yaml"
    path.write_text(SITE + "it_workload: ai\n", encoding="utf-8")
    html = words.render(path, lang)
    assert ("serveurs à GPU" if lang == "fr" else "GPU servers") in html
    problems = words.check_text(words.visible_blocks(html), lang, words.own_facts(path), words.PLACE_TERMS)
    assert not problems, "\n".join(problems)
