"""Issue 13, item 7: the declared ramp-up of the IT load, the construction works, and the receiving
water's rise where no water is returned (docs/construction.md)."""

from __future__ import annotations

import pytest

from impact.engine import estimate
from impact.errors import InputError
from impact.project import parse_project

HOURS = 8760.0
#: A site without a cooling block: the declared PUE is used as it is (no hourly model), so every
#: figure below can be worked out by hand from the definitions.
BASE = {
    "name": "Phased",
    "country": "FR",
    "year": 2027,
    "it_capacity_mw": 20,
    "utilisation": 0.6,
    "pue": 1.4,
}
RAMP = [{"year": 2027, "it_mw": 5}, {"year": 2029, "it_mw": 12}, {"year": 2030, "it_mw": 20}]


def run(**changes):
    return estimate(parse_project({**BASE, **changes}, "p.yaml"), draws=200)


def problems(**changes) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as info:
        parse_project({**BASE, **changes}, "p.yaml")
    return info.value.problems


# ------------------------------------------------------------------------------ ramp-up


def test_declared_ramp_up_energy_by_hand():
    r = run(ramp_up=RAMP)
    # The engine's definition (impact/model/construction.py): IT power in service x utilisation x
    # 8760 h x PUE. Year 1 (2027): 5 MW x 0.6 x 8760 x 1.4 = 36,792 MWh; year 2 (2028): the 2027 step
    # still in force, the same. Exact inputs (points): low = central = high, to rounding.
    for name in ("facility_energy_year_1_mwh", "facility_energy_year_2_mwh"):
        ind = r[name]
        assert ind.central == pytest.approx(36_792.0, rel=1e-12)
        assert ind.low == pytest.approx(36_792.0, rel=1e-9) and ind.high == pytest.approx(36_792.0, rel=1e-9)
        assert "declared ramp-up" in ind.method
    facts = r.meta["ramp_up"]
    assert facts["declared"] and [s["year"] for s in facts["steps"]] == [2027, 2029, 2030]
    step = facts["steps"][1]
    # 2029: 12 MW x 0.6 x 8760 x 1.4 = 88,300.8 MWh; peak without the hourly model = IT x PUE = 16.8 MW.
    assert step["it_mw"] == 12 and step["it_share"] == pytest.approx(0.6)
    assert step["facility_energy_mwh"]["central"] == pytest.approx(88_300.8, rel=1e-12)
    assert step["peak_mw"]["central"] == pytest.approx(16.8, rel=1e-12)
    # The last step is the whole nameplate: the typical year (20 x 0.6 x 8760 x 1.4 = 147,168 MWh).
    assert facts["steps"][2]["facility_energy_mwh"]["central"] == pytest.approx(147_168.0, rel=1e-12)
    assert r["facility_energy_mwh"].central == pytest.approx(147_168.0, rel=1e-12)
    # The declared steps replace the default shares of years 1 and 2.
    assert "year_1_utilisation" not in r.inputs and r.inputs["ramp_up.2027.it_mw"].status == "given"


def test_ramp_up_as_shares_of_the_nameplate():
    r = run(ramp_up=[{"year": 2027, "it_share": 0.25}, {"year": 2028, "it_share": 1}])
    # 0.25 x 20 MW = 5 MW in 2027: 5 x 0.6 x 8760 x 1.4 = 36,792 MWh; 2028 the whole site, 147,168 MWh.
    assert r["facility_energy_year_1_mwh"].central == pytest.approx(36_792.0, rel=1e-12)
    assert r["facility_energy_year_2_mwh"].central == pytest.approx(147_168.0, rel=1e-12)
    assert r.meta["ramp_up"]["steps"][0]["it_mw"] == pytest.approx(5.0)


def test_without_a_ramp_up_the_default_shares_stay():
    r = run()
    assert not r.meta["ramp_up"]["declared"]
    u1 = r.inputs["year_1_utilisation"].value.central
    assert r.inputs["year_1_utilisation"].status == "default"
    # IT capacity x min(year-1 share, typical) x 8760 x PUE (the definition of pue-defaults.md, section 2).
    expected = 20 * min(u1, 0.6) * HOURS * 1.4
    assert r["facility_energy_year_1_mwh"].central == pytest.approx(expected, rel=1e-12)


def test_a_declared_ramp_up_leaves_the_other_draws_unchanged():
    # Its inputs are points: they draw no random number, so every other range stays the same.
    a, b = run(), run(ramp_up=RAMP)
    for name in ("facility_energy_mwh", "co2e_location_t", "co2e_embodied_t_per_year", "water_offsite_m3"):
        assert (a[name].low, a[name].central, a[name].high) == (b[name].low, b[name].central, b[name].high), name


@pytest.mark.parametrize(
    "steps, field, words",
    [
        ([{"year": 2027, "it_mw": 5}, {"year": 2027, "it_mw": 8}], "ramp_up[1].year", "must be after"),
        ([{"year": 2027, "it_mw": 5}, {"year": 2026, "it_mw": 8}], "ramp_up[1].year", "must be after"),
        ([{"year": 2027, "it_mw": 5}, {"year": 2028, "it_share": 1}], "ramp_up", "not a mix"),
        ([{"year": 2027, "it_mw": 8}, {"year": 2028, "it_mw": 5}], "ramp_up[1].it_mw", "does not fall"),
        ([{"year": 2027, "it_mw": 25}], "ramp_up[0].it_mw", "above the nameplate"),
        ([{"year": 2028, "it_mw": 5}], "ramp_up[0].year", "must be year (2027)"),
        ([], "ramp_up", "at least one step"),
    ],
)
def test_a_ramp_up_that_does_not_hang_together_is_refused(steps, field, words):
    found = problems(ramp_up=steps)
    assert any(m.startswith(f"{field}") or f == field for f, m in found), found
    assert any(words in m for _, m in found), found


def test_a_step_needs_one_power():
    for step in ({"year": 2027}, {"year": 2027, "it_mw": 5, "it_share": 0.5}):
        found = problems(ramp_up=[step])
        assert any(f == "ramp_up[0]" and "give one of it_mw" in m for f, m in found), found


def test_bounds_of_a_step():
    assert any(f == "ramp_up[0].it_share" for f, _ in problems(ramp_up=[{"year": 2027, "it_share": 1.5}]))
    assert any(f == "ramp_up[0].it_share" for f, _ in problems(ramp_up=[{"year": 2027, "it_share": 0}]))
    assert any(f == "ramp_up[0].year" for f, _ in problems(ramp_up=[{"year": 1800, "it_mw": 1}]))


def test_ramp_up_and_a_default_share_together_are_refused():
    found = problems(ramp_up=RAMP, assumptions={"year_1_utilisation": 0.2})
    assert any("either ramp_up" in m and "assumptions.year_1_utilisation" in m for _, m in found), found
    # An unpublished first phase leaves year 1 on the default share: an assumption may set it.
    r = run(
        ramp_up=[{"year": 2027, "it_mw": "unknown"}, {"year": 2029, "it_mw": 20}],
        assumptions={"year_1_utilisation": 0.2},
    )
    # 20 MW x min(0.2, 0.6) x 8760 h x 1.4 = 49,056 MWh
    assert r["facility_energy_year_1_mwh"].central == pytest.approx(49_056.0, rel=1e-12)


# ------------------------------------------------------------------------------ construction


def test_trucks_per_working_day_by_hand():
    r = run(construction={"duration_months": 24, "truck_trips_total": 20_000, "start_year": 2025})
    # 20,000 movements / (24 months x 21 working days a month) = 39.68 a working day
    # (21 = the point of data/reference/construction.csv: 253 working days a year / 12).
    assert r.inputs["construction.working_days_per_month"].value.central == 21
    assert r["construction_truck_movements_per_day"].central == pytest.approx(20_000 / (24 * 21), rel=1e-12)
    declared = run(construction={"trucks_per_day": 50})
    assert declared["construction_truck_movements_per_day"].central == 50
    assert "construction.working_days_per_month" not in declared.inputs
    silent = run()
    assert not silent["construction_truck_movements_per_day"].known


def test_construction_block_checks():
    found = problems(construction={"truck_trips_total": 100, "trucks_per_day": 5})
    assert any(f == "construction" and "not both" in m for f, m in found), found
    found = problems(construction={"start_year": 2028})
    assert any("after the first year of operation (2027)" in m for _, m in found), found
    assert any(f == "construction.duration_months" for f, _ in problems(construction={"duration_months": 0}))


def test_the_construction_carbon_is_the_building_embodied_and_is_not_counted_twice():
    building = {"embodied_tco2e": 5000}
    a = run(building=building, lifetime_years=50)
    b = run(building=building, lifetime_years=50, construction={"duration_months": 18, "trucks_per_day": 40})
    assert a["construction_building_embodied_t"].central == 5000
    # The total is the same with and without the works declared: their carbon is already in it.
    assert a["co2e_total_t"].central == pytest.approx(b["co2e_total_t"].central, rel=1e-12)
    # and the per-year embodied holds the building's 5,000 t / 50 years = 100 t a year.
    no_building = run(lifetime_years=50)
    per_year = a["co2e_embodied_t_per_year"].central - (no_building["co2e_embodied_t_per_year"].central or 0.0)
    assert per_year == pytest.approx(100.0, rel=1e-9)


def _spaces(text: str) -> str:
    """Thin and no-break spaces as plain ones (the French number format uses them)."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_the_section_in_french():
    from impact.report.construction import section

    r = run(ramp_up=RAMP, construction={"duration_months": 24, "truck_trips_total": 20_000, "earthworks_m3": 30_000})
    s = section(r, "fr")
    s = {
        k: [{c: _spaces(x) for c, x in v.items()} if isinstance(v, dict) else _spaces(v) for v in vals]
        if isinstance(vals, list)
        else vals
        for k, vals in s.items()
    }
    assert [row["year"] for row in s["rows"]] == ["2027", "2029", "2030"]
    assert "36,8 GWh" in s["rows"][0]["energy"] and "12,0 MW" in s["rows"][1]["it"]
    text = " ".join(s["ramp"] + s["works"])
    assert "3 étapes, de 2027 à 2030" in text and "39,7 mouvements de poids lourds par jour ouvré" in text
    assert any("30 000 m³ de déblais" in q for q in s["questions"])
    silent = section(run(), "fr")
    assert silent["rows"] == [] and any("calendrier de mise en service" in q for q in silent["questions"])
    assert any("durée" in q.lower() or "combien de temps" in q.lower() for q in silent["questions"])
    assert any("déblais" in q for q in silent["questions"])


# ------------------------------------------------------------------------------ receiving water


def test_receiving_water_rise_is_not_applicable_for_an_air_cooled_site():
    from impact.report.dossier import _annex_note
    from impact.report.water_resource import paragraphs

    # Dry coolers return no water: even with a river declared as receiving water, the rise does
    # not apply (no low flow asked), and the dossier says « sans objet », not « inconnu ».
    r = run(cooling={"type": "dry_free_cooling"}, water_resource={"receiving_water": "river"})
    rise = r["receiving_water_rise_k"]
    assert not rise.known and rise.note.startswith("not applicable")
    assert "water_resource.receiving_low_flow_m3_per_s" not in r.inputs
    assert _annex_note(r, rise, "fr").startswith("sans objet")
    assert any("sans objet" in p for p in paragraphs(r, "fr"))


def test_receiving_water_rise_stays_unknown_for_a_river_site_without_low_flow():
    r = run(cooling={"type": "river", "water_in_c": 14, "water_out_c": 24})
    rise = r["receiving_water_rise_k"]
    assert not rise.known and not rise.note.startswith("not applicable")
    assert r.inputs["water_resource.receiving_low_flow_m3_per_s"].status == "unknown"


def test_claims_on_the_works():
    from impact.claims import check_claims

    claim = {"indicator": "construction_truck_movements_per_day", "value": 20, "source": "the promoter"}
    works = {"duration_months": 24, "truck_trips_total": 20_000}
    # 20 a day against 20,000 / (24 x 21) = 39.7: fewer trucks flatter the project.
    (check,) = check_claims(run(construction=works, claims=[claim]))
    assert (check.verdict, check.reason) == ("optimistic", "below_range")
    (check,) = check_claims(run(construction=works, claims=[{**claim, "value": 39.7}]))
    assert check.verdict == "consistent"
    # Declared per day, the estimate repeats the promoter's figure: nothing to check it against.
    (check,) = check_claims(run(construction={"trucks_per_day": 30}, claims=[{**claim, "value": 30}]))
    assert (check.verdict, check.reason) == ("not_verifiable", "echoes_input")


def test_the_dossier_shows_the_section_and_the_table():
    import datetime as dt

    from impact.claims import check_claims
    from impact.report.dossier import build_context, render_html

    from .test_words import FIGURES

    r = run(ramp_up=RAMP, construction={"duration_months": 24, "truck_trips_total": 20_000})
    for lang, heading, column, pointer in (
        ("fr", "Chantier et montée en charge", "Puissance informatique en service", "Avec les tranches"),
        ("en", "Construction and ramp-up", "IT power in service", "With the phases"),
    ):
        context = build_context(
            r,
            [],
            check_claims(r),
            {k: None for k in FIGURES},
            lang=lang,
            author=None,
            date=dt.date(2026, 12, 2),
            fingerprint="0" * 16,
        )
        html = render_html(context)
        assert heading in html and column in html and pointer in html
        assert html.count('<table class="plain ramp">') == 1 and html.count("<td>2029</td>") == 1


def test_a_phase_whose_power_is_not_published():
    # « une première tranche à livrer en 2028 et la totalité en 2033 » (Campus IA): the first
    # phase's power is unknown. Years 1 and 2 keep the default shares (the same figures as without
    # a ramp-up), the table says « non publiée », and a question asks for it.
    from impact.report.construction import section

    steps = [{"year": 2027, "it_share": "unknown"}, {"year": 2030, "it_share": 1}]
    a, b = run(), run(ramp_up=steps)
    for n in (1, 2):
        name = f"facility_energy_year_{n}_mwh"
        assert (a[name].low, a[name].central, a[name].high) == (b[name].low, b[name].central, b[name].high)
    rec = b.inputs["ramp_up.2027.it_share"]
    assert rec.status == "unknown" and rec.declared_unknown
    first, last = b.meta["ramp_up"]["steps"]
    assert first["it_mw"] is None and first["facility_energy_mwh"] is None
    assert last["facility_energy_mwh"]["central"] == pytest.approx(147_168.0, rel=1e-12)
    s = section(b, "fr")
    assert s["rows"][0]["it"] == "non publiée"
    assert any("mise en service en 2027" in q for q in s["questions"])
    assert any("les deux premières années" in p for p in s["ramp"])
    # A published step after an unknown one is still checked against the ones before it.
    found = problems(
        ramp_up=[{"year": 2027, "it_mw": 8}, {"year": 2028, "it_mw": "unknown"}, {"year": 2029, "it_mw": 5}]
    )
    assert any("ramp_up[2].it_mw" in m and "does not fall" in m for _, m in found), found


def test_a_known_first_phase_then_an_unknown_one():
    # Year 1 (2027) is the published 5 MW: 5 x 0.6 x 8760 x 1.4 = 36,792 MWh; year 2 (2028) falls in the
    # unknown phase: the default share of year 2 (IT capacity x min(share, 0.6) x 8760 x 1.4).
    r = run(ramp_up=[{"year": 2027, "it_mw": 5}, {"year": 2028, "it_mw": "unknown"}, {"year": 2030, "it_mw": 20}])
    assert r["facility_energy_year_1_mwh"].central == pytest.approx(36_792.0, rel=1e-12)
    u2 = r.inputs["year_2_utilisation"].value.central
    assert r["facility_energy_year_2_mwh"].central == pytest.approx(20 * min(u2, 0.6) * HOURS * 1.4, rel=1e-12)
    assert r.inputs["year_1_it_mw"].status == "given" and "year_1_utilisation" not in r.inputs
