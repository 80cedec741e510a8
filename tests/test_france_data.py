"""The France-wide data shipped in data/france and its loaders (impact.sources.france),
checked against the real files of ../shared/data and figures stated in their PROVENANCE."""

from __future__ import annotations

import csv
import importlib.util
import json
import math
import random
import sys
from pathlib import Path

import pytest

from impact.sources import france

from .conftest import ROOT

FRANCE = ROOT / "data" / "france"


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(ROOT / "scripts"))
    spec.loader.exec_module(module)
    return module


def _csv(path: Path, **kw) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, **kw))


def _haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


# ------------------------------------------------------------------ files, sources, budgets


def test_every_csv_row_has_a_source():
    tables = sorted(FRANCE.glob("*.csv"))
    assert {p.name for p in tables} >= {
        "communes.csv",
        "departements.csv",
        "regions.csv",
        "epci.csv",
        "substations.csv",
        "electricity_departements.csv",
        "electricity_national.csv",
        "heat_networks.csv",
    }
    for path in tables:
        rows = _csv(path)
        assert rows and "source" in rows[0], path.name
        assert all(r["source"].strip() for r in rows), path.name


def test_size_budgets():
    sizes = {p.name: p.stat().st_size for p in FRANCE.iterdir() if p.is_file()}
    assert sizes["boundaries.npz"] < 8e6
    assert sizes["basemap.gpkg"] < 3e6
    assert sum(sizes.values()) < 12.5e6, sizes  # data/france without climate/
    for licence in ("LICENSE-GSHHG-LGPL-3.0.txt", "LICENSE-GSHHG-GPL-3.0.txt", "PROVENANCE.md"):
        assert sizes.get(licence), licence


# ------------------------------------------------------------------ communes and territories


def test_populations_match_the_shared_provenance(shared_data):
    rows = _csv(FRANCE / "communes.csv")
    com = [r for r in rows if r["kind"] == "commune"]
    assert len(com) == 34746 and sum(r["kind"] == "arrondissement" for r in rows) == 45
    pop = {r["code"]: int(r["population"]) for r in rows}
    # communes/PROVENANCE.md: Marseille 886,040; Paris 2,103,778; Lyon 519,127; the polygons' COM sum 66,140,301.
    assert (pop["13055"], pop["75056"], pop["69123"]) == (886040, 2103778, 519127)
    shared = _csv(shared_data / "communes" / "communes_metropole_points.csv")
    assert sum(int(r["population_2026"]) for r in shared if r["type"] == "COM") == 66140301
    # The 8 communes without polygon in the source (PROVENANCE: about 25,500 inhabitants) are rows too.
    eight = ["12218", "14581", "15031", "15035", "15047", "15171", "49126", "69114"]
    total = sum(int(r["population"]) for r in com)
    assert total - 66140301 == sum(pop[c] for c in eight)
    assert 25000 < sum(pop[c] for c in eight) < 26000
    # Arrondissements are inside their commune: their populations add up to it, never to the total.
    for parent in ("13055", "75056", "69123"):
        assert sum(int(r["population"]) for r in rows if r["parent"] == parent) == pop[parent]
    assert [r["code"] for r in com if r["has_polygon"] == "false"] == ["15031", "15035", "15047", "15171"]


def test_territory_totals_are_their_communes(shared_data):
    # Independently from the COG 2026 list of shared/.
    cog = _csv(shared_data / "communes" / "communes_cog2026_etalab.csv")
    metro = [r for r in cog if r["type"] == "commune-actuelle" and r["zone"] == "metro"]
    by_dep, by_reg = {}, {}
    for r in metro:
        by_dep[r["departement"]] = by_dep.get(r["departement"], 0) + int(float(r["population"]))
        by_reg[r["region"]] = by_reg.get(r["region"], 0) + int(float(r["population"]))
    deps = {r["code"]: int(r["population"]) for r in _csv(FRANCE / "departements.csv")}
    regs = {r["code"]: int(r["population"]) for r in _csv(FRANCE / "regions.csv")}
    assert deps == by_dep and len(deps) == 96
    assert regs == by_reg and len(regs) == 13
    assert france.departement("13").name == "Bouches-du-Rhône" and france.departement("13").region == "93"
    assert france.region("93").population == by_reg["93"]
    # EPCI: the sum of its member communes' populations (COG), members as listed by DGCL.
    pop = {r["code"]: int(float(r["population"])) for r in metro}
    epci = json.loads(
        (shared_data / "communes" / "etalab_decoupage_administratif_6.0.0" / "epci.json").read_text(encoding="utf-8")
    )
    amp = next(e for e in epci if e["code"] == "200054807")
    assert france.epci("200054807").population == sum(pop[m["code"]] for m in amp["membres"])
    assert france.epci("200054807").members == len(amp["membres"]) == 92


def test_commune_records():
    m = france.commune("13055")
    assert (m.name, m.dep_name, m.region_name, m.epci) == (
        "Marseille",
        "Bouches-du-Rhône",
        "Provence-Alpes-Côte d'Azur",
        "200054807",
    )
    assert m.kind == "commune" and "13008" in m.postcodes and m.area_km2 == pytest.approx(240, rel=0.02)
    a = france.commune("13208")
    assert a.kind == "arrondissement" and a.parent == "13055" and a.epci == "200054807"
    assert france.commune("2A004").name == "Ajaccio"
    assert france.commune("99999") is None


@pytest.mark.parametrize(
    ("code", "coastal"),
    [
        ("13055", True),
        ("29019", True),
        ("59183", True),
        ("06083", True),
        ("64260", True),
        ("59107", True),
        ("69123", False),
        ("26362", False),
        ("68254", False),
        ("75056", False),
        ("74010", False),
        ("31555", False),
    ],
)
def test_coastal_rule_on_known_cases(code, coastal):
    # Marseille, Brest, Dunkerque, Menton, Hendaye, Bray-Dunes are on the sea; Lyon, Valence, Petit-Landau
    # (on the Rhine, the German border), Paris, Annecy (a lake), Toulouse are not.
    assert france.commune(code).coastal is coastal


def test_coastal_communes_lie_in_coastal_departements():
    inland = {"01", "04", "05", "09", "25", "31", "38", "65", "67", "68", "69", "73", "74", "90"}
    assert not [c.code for c in france.communes() if c.coastal and c.dep in inland]


def test_commune_at_known_points():
    mrs5 = france.commune_at(43.33, 5.35)
    assert mrs5.code == "13055"  # on the port's quays, a hundred metres off IGN's simplified shore
    assert france.commune_at(43.2965, 5.3698).code == "13055" and not france.commune_at(43.2965, 5.3698).off_coast
    assert france.arrondissement_at(43.2965, 5.3698).parent == "13055"
    assert france.commune_at(48.8566, 2.3522).code == "75056"
    assert france.commune_at(43.20, 5.30) is None  # at sea off Marseille
    assert france.commune_at(47.72, 7.585) is None  # in the Rhine, east of Petit-Landau: Germany
    assert france.commune_at(42.4597, 1.9736) is None  # Llívia, the Spanish enclave
    assert france.arrondissement_at(44.93, 4.89) is None  # Valence has no arrondissement


def test_commune_at_finds_each_communes_own_inside_point(shared_data):
    # The source's points inside each (unsimplified) commune, a random sample.
    rows = [r for r in _csv(shared_data / "communes" / "communes_metropole_points.csv") if r["type"] == "COM"]
    for r in random.Random(10).sample(rows, 300):
        c = france.commune_at(float(r["point_lat"]), float(r["point_lon"]), off_coast_km=0)
        assert c is not None and c.code == r["code"], r["code"]


def test_find_communes():
    found = france.find_communes("saint denis")
    assert found[0].code == "93066" and len(found) > 3
    assert all("saint denis" in france.normalise_name(c.name) for c in found)
    assert france.find_communes("ST-DENIS")[0].code == "93066"
    assert france.find_communes("13055")[0].name == "Marseille"
    assert [c.code for c in france.find_communes("26000")] == ["26362"]
    # 13008 is both Aureille's INSEE code and the postcode of Marseille's 8e arrondissement: code first.
    assert [c.code for c in france.find_communes("13008")][:3] == ["13008", "13055", "13208"]
    assert france.find_communes("havre")[0].code == "76351"  # Le Havre, article left out
    assert france.find_communes("lhay les roses")[0].code == "94038"
    assert france.find_communes("saint-étienne")[0].code == "42218"
    assert france.find_communes("") == [] and france.find_communes("zzzz") == []
    assert len(france.find_communes("saint", limit=5)) == 5


def test_boundaries_are_valid_and_coincide(shared_data):
    import geopandas as gpd
    import shapely

    for level in france.LEVELS:
        gdf = france.boundaries(level)
        assert gdf.crs.to_epsg() == 4326 and shapely.is_valid(gdf.geometry.values).all(), level
        assert gdf["name"].str.len().gt(0).all(), level
    deps = france.boundaries("departement").to_crs(2154).set_index("code")
    ref = gpd.read_file(shared_data / "france-geojson" / "departements-version-simplifiee.geojson").to_crs(2154)
    ref = ref.set_index("code")
    # france-geojson is IGN ADMIN EXPRESS COG 2018, simplified: areas agree within 3 % (documented tolerance).
    ratio = deps.area / ref.area.reindex(deps.index)
    assert ratio.between(0.97, 1.03).all(), ratio[~ratio.between(0.97, 1.03)]
    box = (5.3, 43.2, 5.45, 43.35)
    local = france.boundaries("arrondissement", box)
    assert set(local["code"]) >= {"13201", "13207", "13208"} and local["code"].str.startswith("13").all()


def test_shipped_communes_are_what_the_script_builds(shared_data, tmp_path):
    build = _script("build_france_communes")
    a, b = tmp_path / "a", tmp_path / "b"
    build.build(shared_data, a, deps={"13"}, verbose=False)
    build.build(shared_data, b, deps={"13"}, verbose=False)
    for name in ("communes.csv", "boundaries.npz", "departements.csv", "epci.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    # Columns that do not depend on the neighbours' outlines equal the shipped ones.
    keys = ("code", "name", "kind", "parent", "dep", "region", "epci", "population", "postcodes", "source")
    sub = [{k: r[k] for k in keys} for r in _csv(a / "communes.csv")]
    shipped = [{k: r[k] for k in keys} for r in _csv(FRANCE / "communes.csv") if r["dep"] == "13"]
    assert sub == shipped and len(sub) == 119 + 16
    assert _csv(a / "departements.csv") == [r for r in _csv(FRANCE / "departements.csv") if r["code"] == "13"]


# ------------------------------------------------------------------ substations


def test_substations_cleaned_at_run_time_equal_the_shipped_table(shared_data, tmp_path):
    from impact.sources.rte import clean_substations, read_rte_substations

    raw_path = shared_data / "grid" / "postes-electriques-rte.utf8.csv"
    cleaned = clean_substations(read_rte_substations(raw_path))
    _script("build_france_substations").build(shared_data, tmp_path, verbose=False)
    assert (tmp_path / "substations.csv").read_bytes() == (FRANCE / "substations.csv").read_bytes()
    shipped = _csv(FRANCE / "substations.csv")
    assert sorted(shipped, key=lambda r: r["code"]) and {r["code"] for r in shipped} == set(cleaned["code"])
    # Independently, with the csv module: 5,079 rows, 38 not in service, 135 in service without a kV figure.
    raw = _csv(raw_path, delimiter=";")
    in_service = [r for r in raw if r["Etat"] == "EN EXPLOITATION"]
    numeric = [r for r in in_service if r["Tension (kV)"].removesuffix("kV").isdigit()]
    assert (len(raw), len(raw) - len(in_service), len(in_service) - len(numeric)) == (5079, 38, 135)
    assert len(shipped) == len(numeric) == 4906
    assert cleaned.attrs["dropped"] == {"not in service": 38, "no voltage in kV": 135, "no coordinates": 0}
    gdf = france.substations()
    assert len(gdf) == 4906 and gdf["voltage_kv"].notna().all()
    assert set(gdf["voltage_kv"]) == {45.0, 63.0, 90.0, 150.0, 225.0, 400.0}
    counts = gdf["kind"].value_counts().to_dict()
    assert counts == {"transformation": 3932, "tap": 783, "customer": 191}
    # Taps are exactly the in-service « Point de piquage » rows not named after a customer.
    taps = {r["Code poste"] for r in numeric if r["FONCTION"] == "Point de piquage"}
    assert set(gdf.loc[gdf["kind"] == "tap", "code"]) <= taps
    local = france.substations((5.2, 43.2, 5.5, 43.4))
    assert len(local) and local.geometry.x.between(5.2, 5.5).all()


@pytest.mark.parametrize(
    ("name", "function", "kind"),
    [
        ("BLANQUEFORT (FORD)", "Poste de transformation", "customer"),
        ("PIQUAGE PEUGEOT (LIGNE N0 1)", "Point de piquage", "customer"),
        ("AIGUEBELLE (CLIENT)", "Poste de transformation", "customer"),
        ("MIRAMAS (S.N.C.F.)", "Poste de transformation", "customer"),
        ("FEYZIN RAFFINERIE", "Poste de transformation", "customer"),
        ("STEAM STE EXXON A PORT JEROME", "Poste de transformation", "customer"),
        ("ARCACHON (ENEDIS)", "Poste de transformation", "transformation"),
        ("GRAVELINES (CENTRALE)", "Poste de transformation", "transformation"),
        ("STE-HELENE-DU-LAC", "Poste de transformation", "transformation"),
        ("FORGES-D ABEL", "Poste de transformation", "transformation"),
        ("PIQUAGE A STE CROIX", "Point de piquage", "tap"),
        ("ZGARA", "Point de piquage", "tap"),
    ],
)
def test_substation_kind(name, function, kind):
    from impact.sources.rte import substation_kind

    assert substation_kind(name, function) == kind


@pytest.mark.parametrize(("lat", "lon"), [(48.8566, 2.3522), (45.7640, 4.8357), (43.3315, 5.3544)])
def test_nearest_substations_with_the_national_file(shared_data, write_project, lat, lon):
    import impact
    from impact.project_data import nearest_substations

    from .conftest import MINIMAL

    subs = shared_data / "grid" / "postes-electriques-rte.utf8.csv"
    path = write_project(MINIMAL + f"location: {{lat: {lat}, lon: {lon}}}\ncontext: {{substations: {subs}}}\n")
    near = nearest_substations(impact.load_project(path))
    # Independently: the raw rows in service with a kV figure, haversine distances.
    raw = [
        r
        for r in _csv(subs, delimiter=";")
        if r["Etat"] == "EN EXPLOITATION" and r["Tension (kV)"].removesuffix("kV").isdigit()
    ]
    ref = sorted(
        (_haversine_km(lat, lon, float(r["Latitude poste (DD)"]), float(r["Longitude poste (DD)"])), r["Code poste"])
        for r in raw
    )[:3]
    assert [n["code"] for n in near] == [c for _, c in ref]
    for n, (km, _) in zip(near, ref):
        assert n["distance_km"] == pytest.approx(km, rel=1e-3)
        assert (
            n["voltage_kv"] > 0
            and n["status"] == "EN EXPLOITATION"
            and n["kind"] in ("transformation", "tap", "customer")
        )
    assert [n["distance_km"] for n in near] == sorted(n["distance_km"] for n in near)


# ------------------------------------------------------------------ electricity, heat networks, basemap


def test_electricity_by_departement():
    rows = _csv(FRANCE / "electricity_departements.csv")
    # electricity/PROVENANCE.md: all operators, all départements, 2021: 435.4 TWh.
    total_2021 = sum(float(r["total_mwh"]) for r in rows if r["year"] == "2021")
    assert total_2021 / 1e6 == pytest.approx(435.4, rel=1e-3)
    assert min(int(r["year"]) for r in rows) == 2012  # 2011, incomplete, is left out
    e = france.electricity("13", 2021)
    assert e["total_mwh"] == pytest.approx(sum(e[f"{s}_mwh"] for s in france.SECTORS), abs=0.1)
    assert france.electricity("13")["year"] == 2021 and france.electricity("13", 2011) is None
    assert france.electricity("2A", 2021)["total_mwh"] > 0
    paca = france.electricity_region("93", 2021)
    assert paca["total_mwh"] == pytest.approx(
        sum(france.electricity(d, 2021)["total_mwh"] for d in ("04", "05", "06", "13", "83", "84"))
    )
    nat = france.national_consumption(2021)
    assert (nat["gross_gwh"], nat["weather_corrected_gwh"]) == (472147, 467977)  # the ODRÉ file's 2021 row
    assert france.national_consumption()["year"] == 2021 and france.national_consumption(1990) is None


def test_heat_networks(shared_data):
    rows = _csv(FRANCE / "heat_networks.csv")
    raw = _csv(shared_data / "heat-networks" / "arrete_dpe_2026_reseaux_chaleur_froid.csv")
    assert len(rows) == len(raw) == 1086
    assert sum(r["kind"] == "cooling" for r in rows) == sum(r["identifiant"].endswith("F") for r in raw) == 47
    matched = [r for r in rows if r["commune"]]
    assert len(matched) >= 1070
    for r in matched:
        c = france.commune(r["commune"])
        assert (c is not None and c.dep[:2] == r["id"][:2]) or r["id"][:2] == "20"
    marseille = {n["id"] for n in france.heat_networks("13208")}  # an arrondissement: its commune's networks
    assert "1301F" in marseille
    assert all(n["dep"] == "75" for n in france.heat_networks(dep="75"))


def test_basemap_layers():
    layers = france.basemap((7.3, 47.5, 7.8, 47.9))  # the Rhine at Basel and Mulhouse
    assert set(layers) == set(france.BASEMAP_LAYERS)
    assert len(layers["borders"]) and len(layers["rivers"]) and len(layers["foreign_land"])
    import shapely

    france_land = shapely.union_all(france.boundaries("commune", (7.3, 47.5, 7.8, 47.9)).geometry.values)
    overlap = shapely.intersection(shapely.union_all(layers["foreign_land"].geometry.values), france_land).area
    assert overlap < 1e-4 * france_land.area  # foreign land is not drawn over France
    sea = france.basemap((5.0, 42.8, 5.2, 43.0))  # open sea south of Marseille
    assert all(len(g) == 0 for g in sea.values())


def test_dossier_with_the_national_substations_file(shared_data, write_project, tmp_path):
    # The national ODRÉ file holds voltage-less and out-of-service substations around Paris (7 without
    # a kV figure within 15 km): the map once failed on int(NaN). The context layer is now cleaned.
    from .conftest import MINIMAL, run_cli

    subs = shared_data / "grid" / "postes-electriques-rte.utf8.csv"
    path = write_project(MINIMAL + f"location: {{lat: 48.8566, lon: 2.3522}}\ncontext: {{substations: {subs}}}\n")
    r = run_cli("dossier", path, "-o", tmp_path / "d.pdf")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "d.pdf").stat().st_size > 10_000
