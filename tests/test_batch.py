"""Batch reports per city: cumulative sums, bad rows, resumption, parallel runs."""

import csv

import numpy as np
import pytest

import impact
from impact.sources.registry import read_registry

from .conftest import ROOT, run_cli

REGISTRY = ROOT / "data" / "registries" / "marseille.csv"
DATE = "2026-11-25"


def _summary(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("batch")
    r = run_cli("batch", REGISTRY, "-o", out, "--date", DATE)
    assert r.returncode == 0, r.stderr
    return out


def test_outputs(batch_dir):
    names = sorted(p.name for p in batch_dir.iterdir() if not p.name.startswith("."))
    assert names == ["Bouc-Bel-Air-13015.pdf", "Marseille-13055.pdf", "sites.gpkg", "summary.csv"]
    assert (batch_dir / "Marseille-13055.pdf").read_bytes().startswith(b"%PDF")


def test_summary_has_sites_and_cities(batch_dir):
    rows = _summary(batch_dir / "summary.csv")
    sites = [r for r in rows if r["level"] == "site"]
    cities = [r for r in rows if r["level"] == "commune"]
    assert [r["name"] for r in sites] == ["MRS1", "MRS2", "MRS3", "MRS4", "MRS5", "MRS6"]
    assert {r["name"] for r in cities} == {"Marseille", "Bouc-Bel-Air"}
    assert {r["status"] for r in sites} == {"operating", "under construction", "planned"}
    assert all(r["result"] == "ok" for r in rows)
    for col in ("level", "name", "city", "status", "result", "facility_energy_mwh"):
        assert col in rows[0]


def test_city_sums_equal_the_sites(batch_dir):
    rows = _summary(batch_dir / "summary.csv")
    for city in ("Marseille", "Bouc-Bel-Air"):
        sites = [r for r in rows if r["level"] == "site" and r["city"] == city]
        total = next(r for r in rows if r["level"] == "commune" and r["city"] == city)
        for name in ("facility_energy_mwh", "peak_demand_mw", "water_withdrawal_m3", "co2e_location_t"):
            expected = sum(float(r[name]) for r in sites)
            assert float(total[name]) == pytest.approx(expected, rel=1e-12), (city, name)


def test_city_range_is_the_sum_of_the_draws():
    # Independent of the batch code: estimate each Marseille site, add the draws, take percentiles.
    projects = [p for _, p in read_registry(REGISTRY) if p.city == "Marseille"]
    results = [impact.estimate(p) for p in projects]
    draws = sum(np.asarray(r.samples["facility_energy_mwh"]) for r in results)
    central = sum(r.central("facility_energy_mwh") for r in results)
    lo, hi = np.percentile(draws, [5, 95])
    from impact.batch import _estimate_site, city_total

    outcomes = [
        _estimate_site(n, p, 2000, impact.engine.DEFAULT_SEED)
        for n, p in read_registry(REGISTRY)
        if p.city == "Marseille"
    ]
    total = city_total("Marseille", outcomes).indicators["facility_energy_mwh"]
    assert total.central == pytest.approx(central)
    assert total.low == pytest.approx(min(lo, central)) and total.high == pytest.approx(max(hi, central))


def test_gpkg_lists_the_sites(batch_dir):
    import geopandas as gpd

    g = gpd.read_file(batch_dir / "sites.gpkg", layer="sites")
    assert list(g["name"]) == ["MRS1", "MRS2", "MRS3", "MRS4", "MRS5", "MRS6"]
    assert str(g.crs).endswith("4326")
    located = g[g.geometry.notna() & ~g.geometry.is_empty]
    assert list(located["name"]) == ["MRS5"]  # the only sourced coordinates
    assert located.geometry.iloc[0].x == pytest.approx(5.35)


def test_city_report_text(batch_dir):
    import subprocess

    text = subprocess.run(
        ["pdftotext", "-layout", str(batch_dir / "Marseille-13055.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Impact cumulé des centres de données" in text.replace(
        "IMPACT CUMULÉ DES CENTRES DE DONNÉES", "Impact cumulé des centres de données"
    )
    for site in ("MRS1", "MRS2", "MRS3", "MRS4", "MRS5"):
        assert site in text
    assert "MRS6" not in text  # Bouc-Bel-Air has its own report


def test_second_run_skips_what_is_up_to_date(batch_dir):
    pdf = batch_dir / "Marseille-13055.pdf"
    before = pdf.stat().st_mtime_ns
    r = run_cli("batch", REGISTRY, "-o", batch_dir, "--date", DATE)
    assert r.returncode == 0, r.stderr
    assert "0 report(s) written, 2 up to date" in r.stderr
    assert pdf.stat().st_mtime_ns == before


def test_a_changed_site_rebuilds_only_its_city(tmp_path):
    reg = tmp_path / "reg.csv"
    reg.write_text(REGISTRY.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("batch", reg, "-o", out, "--date", DATE).returncode == 0
    bba = (out / "Bouc-Bel-Air-13015.pdf").stat().st_mtime_ns
    reg.write_text(reg.read_text(encoding="utf-8").replace(",2018,7,", ",2018,7.5,"), encoding="utf-8")
    r = run_cli("batch", reg, "-o", out, "--date", DATE)
    assert r.returncode == 0 and "1 report(s) written, 1 up to date" in r.stderr
    assert (out / "Bouc-Bel-Air-13015.pdf").stat().st_mtime_ns == bba


def test_a_bad_row_is_reported_and_the_others_go_on(tmp_path):
    lines = REGISTRY.read_text(encoding="utf-8").splitlines()
    # Row 3 (MRS3): an unknown cooling type.
    lines[3] = lines[3].replace(",river,", ",ice,", 1)
    reg = tmp_path / "bad.csv"
    reg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    r = run_cli("batch", reg, "-o", out, "--date", DATE)
    assert r.returncode == 1
    assert "bad.csv row 3 (line 4)" in r.stderr and "cooling.type" in r.stderr and "Traceback" not in r.stderr
    rows = _summary(out / "summary.csv")
    bad = next(r for r in rows if r["name"] == "MRS3")
    assert bad["result"].startswith("error:") and "row 3" in bad["result"] and "cooling.type" in bad["result"]
    assert bad["facility_energy_mwh"] == ""
    assert all(r["result"] == "ok" for r in rows if r["level"] == "site" and r["name"] != "MRS3")
    assert (out / "Marseille-13055.pdf").exists() and (out / "Bouc-Bel-Air-13015.pdf").exists()


def test_foreign_files_are_not_overwritten(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.csv").write_text("mine")
    r = run_cli("batch", REGISTRY, "-o", out, "--date", DATE)
    assert r.returncode == 2 and "was not written by impact batch; use --force" in r.stderr
    assert (out / "summary.csv").read_text() == "mine"
    assert sorted(p.name for p in out.iterdir()) == ["summary.csv"]


def test_parallel_run_gives_the_same_outputs(batch_dir, tmp_path):
    out = tmp_path / "par"
    r = run_cli("batch", REGISTRY, "-o", out, "--date", DATE, "--jobs", "2")
    assert r.returncode == 0, r.stderr
    for name in ("Marseille-13055.pdf", "Bouc-Bel-Air-13015.pdf", "summary.csv"):
        assert (out / name).read_bytes() == (batch_dir / name).read_bytes(), name


def test_estimate_many_matches_estimate():
    df = impact.estimate_many(REGISTRY)
    assert list(df["name"]) == ["MRS1", "MRS2", "MRS3", "MRS4", "MRS5", "MRS6"]
    for col in ("facility_energy_mwh", "facility_energy_mwh_low", "facility_energy_mwh_high", "status", "result"):
        assert col in df.columns
    mrs5 = impact.estimate(read_registry(REGISTRY)[4][1])
    row = df.set_index("name").loc["MRS5"]
    assert row["facility_energy_mwh"] == pytest.approx(mrs5.central("facility_energy_mwh"))
    assert row["facility_energy_mwh_low"] == pytest.approx(mrs5["facility_energy_mwh"].low)


def test_the_biggest_city_goes_first_and_up_to_date_reports_cost_nothing(tmp_path):
    from impact.batch import run_batch

    out = tmp_path / "out"
    first = run_batch(REGISTRY, out, date=DATE, draws=200, progress=False, log=lambda m: None)
    kinds = [(kind, city) for kind, city, _ in first.tasks]
    # Marseille (5 sites) before Bouc-Bel-Air (1 site): its whole chain, then the other city.
    assert kinds.index(("render", "Marseille")) < kinds.index(("site", "Bouc-Bel-Air"))
    assert kinds[0] == ("map", "Marseille")
    assert sorted(k for k, _ in kinds) == ["chart"] * 2 + ["map"] * 2 + ["render"] * 2 + ["site"] * 6
    # A second run estimates the sites again (for summary.csv) but draws and renders nothing.
    second = run_batch(REGISTRY, out, date=DATE, draws=200, progress=False, log=lambda m: None)
    assert [k for k, _, _ in second.tasks] == ["site"] * 6
    assert sorted(p.name for p in second.skipped) == ["Bouc-Bel-Air-13015.pdf", "Marseille-13055.pdf"]


def test_fingerprint_of_a_site_with_unknown_values():
    # A registry row may declare a value unknown (generators exist, count not published):
    # the report's fingerprint must still be computed, and change with the content.
    from impact.batch import SiteOutcome, city_fingerprint
    from impact.project import parse_project

    base = {"name": "X", "country": "FR", "it_capacity_mw": 10}
    a = parse_project({**base, "generators": {"count": "unknown", "unit_mw": "unknown"}})
    b = parse_project({**base, "generators": {"count": 4, "unit_mw": "unknown"}})
    fa = city_fingerprint([SiteOutcome(1, "X", "", "", "", a)], "fr", b"tool")
    fb = city_fingerprint([SiteOutcome(1, "X", "", "", "", b)], "fr", b"tool")
    assert fa != fb and len(fa) == 64


def test_homonymous_communes_get_reports_of_their_own():
    # Saint-Denis (93066) and Saint-Denis (11339, Aude): placed by their coordinates,
    # two reports, told apart by their INSEE code; a site with no place goes to its city.
    from impact.batch import territory_groups
    from impact.project import parse_project

    def p(name, **kw):
        return parse_project({"name": name, "country": "FR", "it_capacity_mw": 1, **kw})

    projects = [
        p("A", city="Saint-Denis", location={"lat": 48.92637, "lon": 2.35626}),
        p("B", city="Saint-Denis", location={"lat": 43.35553, "lon": 2.21538}),
        p("C", city="Saint-Denis", location={"lat": 48.92637, "lon": 2.35626}),
        p("D", city="Atlantis"),
    ]
    assert territory_groups(projects, ["Lost city"]) == [
        "Saint-Denis (93066)",
        "Saint-Denis (11339)",
        "Saint-Denis (93066)",
        "Atlantis",
        "Lost city",
    ]
    assert territory_groups(projects, [], "departement")[:3] == ["Seine-Saint-Denis", "Aude", "Seine-Saint-Denis"]


def test_batch_by_departement_adds_the_sites_of_each(tmp_path):
    reg = ROOT / "data" / "registries" / "ile-de-france.csv"
    r = run_cli("batch", reg, "-o", tmp_path, "--by", "departement", "--date", DATE)
    assert r.returncode == 0, r.stderr
    rows = _summary(tmp_path / "summary.csv")
    sites = [x for x in rows if x["level"] == "site"]
    deps = {x["name"]: x for x in rows if x["level"] == "departement"}
    names = {
        "93": "Seine-Saint-Denis",
        "77": "Seine-et-Marne",
        "91": "Essonne",
        "92": "Hauts-de-Seine",
        "95": "Val-d'Oise",
    }
    assert set(deps) == {names[x["departement_code"]] for x in sites}
    for code, name in names.items():
        if name not in deps:
            continue
        mine = [x for x in sites if x["departement_code"] == code]
        expected = sum(float(x["facility_energy_mwh"]) for x in mine)
        assert float(deps[name]["facility_energy_mwh"]) == pytest.approx(expected, rel=1e-12)
        # A département's share is of its own electricity; a share of one commune only with one site.
        assert deps[name]["share_of_departement_electricity"]
        assert bool(deps[name]["share_of_city_electricity"]) == (len({x["commune_code"] for x in mine}) == 1)
    assert (tmp_path / "Seine-Saint-Denis-93.pdf").read_bytes().startswith(b"%PDF")


def test_a_report_depends_on_the_registry_sites_its_map_can_show():
    # A territory's map is framed on its sites (at least 6.5 km each side, impact.report.maps),
    # a site without coordinates at its commune's inside point (data/france/communes.csv):
    # Septèmes-les-Vallons 43.39403 N 5.37607 E, Bouc-Bel-Air 43.44573 N 5.41504 E. By hand
    # (1° of latitude = 111 km, of longitude 81 km here): M-S 2.7 km N, 1.3 km E; S-B 5.7 km N,
    # 3.2 km E; M-B 8.4 km N. So M's map shows S, S's shows M and B, B's shows S. Saint-Denis
    # names three communes (placed nowhere): named in the notes of a map showing one of them,
    # Dugny's. Lille's map shows none: only a change of a neighbour rebuilds a report.
    from impact.batch import SiteOutcome, city_fingerprint, map_neighbours
    from impact.project import parse_project

    def p(name, **kw):
        return parse_project({"name": name, "country": "FR", "it_capacity_mw": 1, **kw})

    projects = [
        p("M", city="Marseille", location={"lat": 43.37, "lon": 5.36}),
        p("S", city="Septèmes-les-Vallons"),
        p("B", city="Bouc-Bel-Air"),
        p("L", city="Lille", location={"lat": 50.63, "lon": 3.06}),
        p("D", city="Dugny"),
        p("N", city="Saint-Denis"),
    ]
    near = map_neighbours(["Marseille", "Septèmes", "Bouc-Bel-Air", "Lille", "Dugny", "Saint-Denis"], projects)
    assert near == {
        "Marseille": [1],
        "Septèmes": [0, 2],
        "Bouc-Bel-Air": [1],
        "Lille": [],
        "Dugny": [5],
        "Saint-Denis": [],
    }

    def fp(neighbour):
        return city_fingerprint(
            [SiteOutcome(1, "M", "", "", "", projects[0])], "fr", b"tool", [SiteOutcome(2, "S", "", "", "", neighbour)]
        )

    assert fp(projects[1]) != fp(p("S", city="Septèmes-les-Vallons", it_capacity_mw=50))


def test_each_map_is_given_its_neighbours_and_draws_as_with_the_whole_registry(tmp_path):
    # A map task is given only the registry sites map_neighbours finds for its territory (the
    # whole registry was pickled for each map): the PNG must be the same bytes as the map drawn
    # with every site of the registry. Marseille and Septèmes show each other (the test above);
    # Lille shows none of the others, which are hundreds of kilometres away.
    from impact.batch import _Batch, _projects
    from impact.report.city import city_map

    registry = tmp_path / "registry.csv"
    registry.write_text(
        "name,city,country,status,source,year,it_capacity_mw,location.lat,location.lon\n"
        "M,Marseille,FR,operating,test,2024,1,43.37,5.36\n"
        "S,Septèmes-les-Vallons,FR,operating,test,2024,1,,\n"
        "L,Lille,FR,operating,test,2024,1,50.63,3.06\n",
        encoding="utf-8",
    )
    pairs, bad = _projects(registry)
    assert len(pairs) == 3 and not bad
    plan = _Batch(
        registry, tmp_path / "out", by="commune", lang="fr", day=None, draws=10, seed=1, force=True, log=print
    )
    plan.plan(pairs, bad)
    given = {t.name: [p.name for _, p in plan.map_registry[t]] for t in plan.all}
    assert given == {"Marseille": ["S"], "Septèmes-les-Vallons": ["M"], "Lille": []}
    for t in plan.all:
        sites = [(o.name, o.project) for o in plan.planned[t]]
        assert city_map(t.name, sites, "fr", plan.map_registry[t]) == city_map(t.name, sites, "fr", pairs), t.name
