"""Issue 12, item 3 (first half): PUE defaults by size and year of first operation, and the IT load
ramp-up of the first years. Expected values come from the cited tables or are computed by hand here;
see docs/pue-defaults.md."""

import csv

import pytest

import impact
from impact.claims import check_claims
from impact.model import energy
from impact.paths import data_dir
from impact.project import parse_project_text
from impact.sources import reference as ref

# No location: no climate, so the hourly model does not run and the PUE default applies.
NO_CLIMATE = "name: Test site\ncountry: FR\n"


def est(text: str, draws: int = 400):
    return impact.estimate(parse_project_text(NO_CLIMATE + text), draws=draws)


def _table(name):
    with (data_dir() / "reference" / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# ----------------------------------------------------------------------------- the bands
@pytest.mark.parametrize(
    ("cooling_type", "it_mw", "year", "expected"),
    [
        # Sites first operated before 2020, any size: the fleet range, Uptime 2024 new builds 1.3 /
        # Arcep 2025 French average 1.46 / Uptime 2024 world average 1.56.
        ("unknown", 22, 2015, (1.3, 1.46, 1.56)),
        ("unknown", 300, 2019, (1.3, 1.46, 1.56)),
        # Small new sites (< 5 MW IT): Arcep's fleet (other centres average 3.8 MW), same range.
        ("unknown", 3, 2024, (1.3, 1.46, 1.56)),
        # 5-50 MW IT from 2020: EnEfG § 11 new-build limit 1.2 / Uptime new builds 1.3 / Arcep 1.46.
        ("unknown", 10, 2024, (1.2, 1.3, 1.46)),
        ("air_chillers", 49.9, 2030, (1.2, 1.3, 1.46)),
        # >= 50 MW IT from 2020: Meta 2022 buildings 1.09 -> 1.1 / hyperscale and EnEfG 1.2 /
        # LBNL 2024 US fleet "just above 1.4".
        ("unknown", 50, 2020, (1.1, 1.2, 1.4)),
        ("liquid_closed_loop", 1000, 2030, (1.1, 1.2, 1.4)),
        # River and sea cooling keep their own claims-based range for every size and year:
        # hydraulogistics.at 1.11 / Le Monde Informatique 2021 1.2 / Arcep 2025 1.46.
        ("river", 22, 2026, (1.11, 1.2, 1.46)),
        ("sea", 200, 2015, (1.11, 1.2, 1.46)),
    ],
)
def test_pue_default_band(cooling_type, it_mw, year, expected):
    row, _ = ref.pue_default(cooling_type, it_mw, year)
    assert (row.value.low, row.value.central, row.value.high) == pytest.approx(expected)


def test_bands_cover_every_size_and_year_once():
    # For the generic rows, every (size, year) pair falls in exactly one band: no gap, no overlap.
    rows = [r for r in _table("pue_defaults") if r["cooling_type"] == "any"]
    for mw in (0, 0.5, 4.99, 5, 20, 49.99, 50, 2000):
        for year in (1995, 2019, 2020, 2026, 2040):
            hits = [
                r
                for r in rows
                if ref._in_band(mw, r["it_mw_min"], r["it_mw_max"], high_inclusive=False)
                and ref._in_band(year, r["first_year_min"], r["first_year_max"], high_inclusive=True)
            ]
            assert len(hits) == 1, (mw, year, len(hits))


def test_a_2030_hyperscale_no_longer_gets_the_2023_fleet_range():
    # The case: a 2030 AI campus of 300 MW IT, cooling not published, no climate.
    r = est("year: 2030\nit_capacity_mw: 300\n")
    rec = r.inputs["pue"]
    assert rec.status == "default" and rec.note_key == "note.pue.default_band"
    assert (rec.value.low, rec.value.central, rec.value.high) == pytest.approx((1.1, 1.2, 1.4))
    assert dict(rec.note_args)["first_year"] == "2030"
    # Facility energy = 300 MW x 0.56 (utilisation.csv default) x 8760 h x 1.2, at the centrals.
    assert r.central("facility_energy_mwh") == pytest.approx(300 * 0.56 * 8760 * 1.2)


def test_size_band_from_the_announced_power_when_no_it_capacity():
    # 200 MW announced at the grid connection: the IT power is below it, at least 200 / 1.56 = 128 MW,
    # so the >= 50 MW band: IT = 200 / (1.4, 1.2, 1.1).
    r = est("year: 2028\nannounced_power: {value_mw: 200, basis: grid_connection}\n")
    it = r.inputs["it_capacity_mw"].value
    assert (it.low, it.central, it.high) == pytest.approx((200 / 1.4, 200 / 1.2, 200 / 1.1))


def test_claim_of_pue_1_2_on_a_new_campus_is_consistent():
    # Before: against 1.3-1.46-1.56 (5th-95th percentiles about 1.34-1.53) a claimed 1.2 was
    # « optimiste ». A triangular (1.1, 1.2, 1.4) has its 5th percentile at
    # 1.1 + sqrt(0.05 x 0.3 x 0.1) = 1.139 and its 95th at 1.4 - sqrt(0.05 x 0.3 x 0.2) = 1.345.
    r = est("year: 2029\nit_capacity_mw: 120\nclaims: [{indicator: pue, value: 1.2, source: promoter}]\n", draws=2000)
    assert r["pue"].low == pytest.approx(1.1 + (0.05 * 0.3 * 0.1) ** 0.5, abs=0.01)
    assert r["pue"].high == pytest.approx(1.4 - (0.05 * 0.3 * 0.2) ** 0.5, abs=0.01)
    (check,) = check_claims(r)
    assert check.verdict == "consistent"


def test_declared_pue_is_kept():
    r = est("year: 2029\nit_capacity_mw: 120\npue: 1.5\n")
    assert r.inputs["pue"].status == "given" and r.central("pue") == 1.5


# ----------------------------------------------------------------------------- ramp-up
def test_ramp_up_rows_from_the_cited_figures():
    rows = {r["scope"]: r for r in _table("utilisation")}
    y1, y2, typical = rows["year_1"], rows["year_2"], rows["default"]
    # Arcep 2025 (2023 data): 2.4 TWh / PUE 1.46 / 8760 h over 8 x 11 + 142 x 3.8 MW of IT capacity.
    arcep = 2.4e6 / 1.46 / 8760 / (8 * 11 + 142 * 3.8)
    assert float(y1["value"]) == pytest.approx(arcep, abs=0.005)
    # Digital Realty's MRS2-MRS4 claim: 18,400 MWh/yr saved by going from PUE 1.38 to 1.11 on 36.6 MW.
    assert float(y1["low"]) == pytest.approx(18_400 / (1.38 - 1.11) / 8760 / 36.6, abs=0.005)
    # EU EED dashboard (2023-2024 data): 16.7 TWh / PUE 1.36 / 8760 h / 6.4 GW, next to the low bound.
    assert 16.7e6 / 1.36 / 8760 / 6400 == pytest.approx(float(y1["low"]), abs=0.015)
    # Liander (Financieel Dagblad, via Datanews 2020): 44 % of the contracted power used at peak.
    assert float(y1["high"]) == 0.44
    # Second year: midway between the first year and the typical year, bound by bound.
    for k in ("low", "value", "high"):
        assert float(y2[k]) == pytest.approx((float(y1[k]) + float(typical[k])) / 2)


def test_mrs2_mrs3_claim_implies_about_a_third():
    # The issue: MRS2-4's own saving claim implies about 35 % utilisation. On the 7 + 16 = 23 MW of
    # MRS2 and MRS3 in service in November 2021: 18,400 / 0.27 / 8760 / 23 = 0.338.
    assert 18_400 / (1.38 - 1.11) / 8760 / 23 == pytest.approx(0.34, abs=0.005)


def test_ramp_up_energy_by_hand():
    # 22 MW, PUE declared 1.3, first year at 30 %: 22 x 0.30 x 8760 x 1.3 = 75,161 MWh.
    r = est("year: 2026\nit_capacity_mw: 22\npue: 1.3\n")
    assert r.central("facility_energy_year_1_mwh") == pytest.approx(22 * 0.30 * 8760 * 1.3)
    assert r.central("facility_energy_year_2_mwh") == pytest.approx(22 * 0.43 * 8760 * 1.3)
    assert r.central("facility_energy_year_1_mwh") < r.central("facility_energy_year_2_mwh")
    assert r.central("facility_energy_year_2_mwh") < r.central("facility_energy_mwh")
    assert r.inputs["year_1_utilisation"].status == "default"


def test_ramp_up_never_above_a_declared_typical_utilisation():
    # A declared typical utilisation of 0.25 caps the first years: 10 x 0.25 x 8760 x 1.5.
    r = est("year: 2026\nit_capacity_mw: 10\npue: 1.5\nutilisation: 0.25\n")
    assert r.central("facility_energy_year_1_mwh") == pytest.approx(10 * 0.25 * 8760 * 1.5)
    assert r.central("facility_energy_year_2_mwh") == pytest.approx(10 * 0.25 * 8760 * 1.5)


def test_ramp_up_function_is_elementwise():
    import numpy as np

    out = energy.ramp_up_facility_energy_mwh(np.array([1.0, 2.0]), np.array([0.3, 0.6]), 0.5, 1.2)
    assert out == pytest.approx([1 * 0.3 * 8760 * 1.2, 2 * 0.5 * 8760 * 1.2])


def test_ramp_up_does_not_move_the_other_draws():
    # The engine draws every ranged input in name order from one seeded generator: the ramp-up
    # inputs must come after every other ranged input so the others' draws stay as they were.
    r = est("year: 2026\nit_capacity_mw: 22\nwue_l_per_kwh: {low: 0.1, central: 0.2, high: 0.4}\n", draws=100)
    ranged = sorted(k for k, rec in r.inputs.items() if hasattr(rec.value, "low") and rec.value.low != rec.value.high)
    assert ranged[-2:] == ["year_1_utilisation", "year_2_utilisation"]
    assert "wue_l_per_kwh" in ranged and "utilisation" in ranged


def test_ramp_up_sentence_in_the_dossier_context():
    from impact.report import dossier

    r = est("year: 2026\nit_capacity_mw: 22\npue: 1.3\n")
    fr = dossier._ramp_up(r, "fr")
    en = dossier._ramp_up(r, "en")
    norm = lambda s: s.replace("\u202f", " ").replace("\xa0", " ").replace(" %", "%")  # noqa: E731
    assert "30%" in norm(fr) and "43%" in norm(fr) and "deuxième année" in fr
    assert "30%" in norm(en) and "43%" in norm(en) and "second year" in en


def test_the_dossier_says_which_band_the_default_pue_comes_from():
    from impact.report import dossier

    r = est("year: 2030\nit_capacity_mw: 250\n")
    fr = str(dossier.input_row(r.inputs["pue"], r, "fr")["note"])
    en = str(dossier.input_row(r.inputs["pue"], r, "en")["note"])
    assert "250" in fr and "2030" in fr and "mis en service" in fr
    assert "250" in en and "2030" in en and "first operated" in en


def test_a_published_ramp_up_replaces_the_default():
    # A promoter's own first-year load, as an assumption: 10 MW x 0.1 x 8760 h x PUE 1.5 = 13,140 MWh.
    r = est("year: 2026\nit_capacity_mw: 10\npue: 1.5\nassumptions: {year_1_utilisation: 0.1}\n")
    assert r.inputs["year_1_utilisation"].status == "given"
    assert r.central("facility_energy_year_1_mwh") == pytest.approx(10 * 0.1 * 8760 * 1.5)
