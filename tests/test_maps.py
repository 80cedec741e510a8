"""Maps anywhere in metropolitan France, on the real shipped data: the basemap's layers, the
legend against what is drawn, substations by voltage and kind, the connection domain and the
nearest connectable substation (checked by an independent haversine over the shipped table),
the registry layer, labels that never overlap (real text extents), reproducible bytes."""

from __future__ import annotations

import csv
import math
import re

import pytest

from impact.paths import data_dir

from .conftest import MRS5, ROOT

CASES = ROOT / "data" / "projects" / "cases"
FRANCE = data_dir() / "france"

#: Sites in seven régions: (id, project file or inline YAML).
SITES = {
    "dugny-93": CASES / "digital-realty-dugny.yaml",
    "fouju-77": CASES / "campus-ia-fouju.yaml",
    "argenteuil-95": CASES / "equinix-pa12-argenteuil.yaml",
    "roubaix-59": CASES / "ovhcloud-roubaix.yaml",
    "saint-avold-57": CASES / "gazelenergie-saint-avold.yaml",
    "alixan-26": CASES / "sesterce-valence-alixan.yaml",
    "bordeaux-33": CASES / "bxia-bordeaux-lac.yaml",
    "bouc-bel-air-13": CASES / "mrs6-bouc-bel-air.yaml",
    "marseille-13": MRS5,
    # Not real projects: a site on the Rade de Brest (coast) and one on the Rhine (border).
    "brest-29": "name: Test Brest\ncountry: FR\nlocation: {lat: 48.3834, lon: -4.4880}\nit_capacity_mw: 30\n",
    "petit-landau-68": "name: Test Petit-Landau\ncountry: FR\nlocation: {lat: 47.7258, lon: 7.5134}\n"
    "it_capacity_mw: 200\n",
}
#: The frames with sea, and the neighbouring countries each frame shows (geography).
WITH_SEA = {"marseille-13", "brest-29"}
FOREIGN = {"petit-landau-68": {"DE"}, "roubaix-59": {"BE"}, "saint-avold-57": {"DE"}}

_RESULTS: dict = {}
_FIGURES: dict = {}


def _project(site: str):
    import yaml

    import impact
    from impact.project import Project

    spec = SITES[site]
    if isinstance(spec, str):
        return Project.model_validate(yaml.safe_load(spec))
    return impact.load_project(spec)


def _results(site: str):
    import impact

    if site not in _RESULTS:
        _RESULTS[site] = impact.estimate(_project(site), draws=200)
    return _RESULTS[site]


def _figure(site: str, scale: str = "city", lang: str = "fr"):
    from impact.project_data import load_context
    from impact.report.figures import map_context
    from impact.report.maps import site_map

    key = (site, scale, lang)
    if key not in _FIGURES:
        r = _results(site)
        _FIGURES[key] = site_map(r, scale=scale, context=map_context(load_context(r.project), lang), lang=lang)
    return _FIGURES[key]


def _haversine_km(lat1, lon1, lat2, lon2):
    # Independent of impact: the mean Earth radius (IUGG, 6371.0088 km) and the textbook formula.
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _shipped_substations():
    with (FRANCE / "substations.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _texts(fig):
    out = list(fig.texts)
    for ax in fig.axes:
        out += ax.texts
    return [t.get_text() for t in out]


# ------------------------------------------------------------------ basemap


@pytest.mark.parametrize("site", sorted(SITES))
def test_basemap_layers(site, shared_data):
    import geopandas as gpd
    import pyogrio

    fig = _figure(site)
    layers = fig.impact_map["layers"]
    r = _results(site)
    # Land and the site's commune (or arrondissement), named in the legend.
    assert "communes" in layers and "site_area" in layers
    place = r.site.arrondissement or r.site.commune
    assert any(place.name in label for label in fig.impact_map["legend"])
    assert place.name.split(" ", 1)[-1] in " ".join(fig.impact_map["labels"]) or place.name in fig.impact_map["labels"]
    # Sea only where there is sea: independently of IGN's outlines, GSHHG's full-resolution
    # shoreline (the unsimplified shared file) crosses the frame.
    frame = _frame(r, fig)
    coast = pyogrio.read_dataframe(
        shared_data / "basemap-france" / "france_gshhg_wdbii.gpkg", layer="coastline_full", bbox=frame.bbox_wgs84
    )
    crossing = bool(len(coast)) and bool(
        gpd.GeoSeries(coast.geometry, crs=4326).to_crs(frame.crs).intersects(frame.polygon).any()
    )
    assert ("sea" in layers) == crossing == (site in WITH_SEA), site
    # Foreign land at a border, named, with the national border.
    shown = {k.split(":", 1)[1] for k in layers if k.startswith("foreign:")}
    assert shown == FOREIGN.get(site, set()), shown
    assert ("border" in layers) == bool(FOREIGN.get(site))
    assert "kv:225" in layers or "kv:400" in layers or "kv:63" in layers


def _frame(r, fig):
    from impact.report.map_layers import make_frame

    return make_frame(
        r.project.location.lat, r.project.location.lon, fig.impact_map["crs"], fig.impact_map["half_width_m"]
    )


def _colours(collection):
    from matplotlib.colors import to_hex

    return {to_hex(c) for c in collection.get_facecolors()} | {to_hex(c) for c in collection.get_edgecolors()}


@pytest.mark.parametrize("scale", ["city", "small"])
@pytest.mark.parametrize("site", ["petit-landau-68", "brest-29", "dugny-93", "saint-avold-57", "fouju-77"])
def test_the_legend_names_exactly_what_is_drawn(site, scale):
    from impact.report import maps

    fig = _figure(site, scale)
    layers = fig.impact_map["layers"]
    legend = fig.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == fig.impact_map["legend"]
    ax = fig.axes[0]
    drawn = set()
    for c in ax.collections:
        drawn |= _colours(c)
    for line in ax.lines:
        drawn.add(line.get_color())
    from matplotlib.colors import to_hex

    for patch in ax.patches:
        if patch.get_gid() is None:  # the scale bar's patches are not layers
            drawn |= {to_hex(patch.get_facecolor()), to_hex(patch.get_edgecolor())}
    # A layer in the legend has artists of its colour on the map, and a colour on the map has its
    # layer in the legend.
    pairs = {
        "sea": maps.SEA,
        "rivers": maps.WATER,
        "border": maps.BORDER,
        "departements": maps.DEPARTEMENT_LINE,
        "site_area": maps.SITE_AREA,
    }
    pairs.update({f"kv:{kv}": c for kv, c in maps.VOLTAGE_COLOURS.items()})
    for key, colour in pairs.items():
        assert (key in layers) == (colour in drawn), (key, colour)
    assert any(k.startswith("foreign") for k in layers) == (maps.FOREIGN in drawn)
    # Kinds: a tap or a customer's substation is drawn only with its own legend entry.
    subs = fig.impact_map["substations"] or []
    for kind in ("tap", "customer"):
        assert (f"kind:{kind}" in layers) == any(s["kind"] == kind for s in subs)
    labels = fig.impact_map["legend"]
    assert not any("source" in label.lower() for label in labels)  # never « poste source »
    assert "Limites communales" in labels  # the shipped communes are communes


def test_english_words():
    fig = _figure("petit-landau-68", lang="en")
    labels = fig.impact_map["legend"]
    assert "Municipal boundaries" in labels and "National border" in labels and "Germany (outside France)" in labels
    assert "GERMANY" in fig.impact_map["labels"]
    assert fig.impact_map["nearest_text"].startswith("Estimated reference connection")
    french = _figure("petit-landau-68")
    assert "Allemagne (hors de France)" in french.impact_map["legend"] and "ALLEMAGNE" in french.impact_map["labels"]


def test_a_boundaries_file_is_labelled_by_what_it_is(shared_data):
    """A départements file given as context.boundaries is not called « limites communales »."""
    import geopandas as gpd

    from impact.report.maps import site_map

    deps = gpd.read_file(shared_data / "france-geojson" / "departements-version-simplifiee.geojson")
    deps.attrs["source"] = "departements-version-simplifiee.geojson"
    fig = site_map(_results("petit-landau-68"), context={"boundaries": deps})
    assert "Limites fournies (fichier du projet)" in fig.impact_map["legend"]
    assert any("departements-version-simplifiee.geojson" in s for s in fig.impact_map["sources"])


# ------------------------------------------------------------------ substations


def test_the_national_odre_file_as_context(shared_data, write_project):
    """With RTE's whole ODRÉ file as context.substations: no crash, only substations in service
    with a voltage are drawn (checked on the raw file)."""
    import impact
    from impact.project_data import load_context
    from impact.report.figures import map_context
    from impact.report.maps import site_map

    raw_path = shared_data / "grid" / "postes-electriques-rte.utf8.csv"
    text = SITES["dugny-93"].read_text(encoding="utf-8") + f"context: {{substations: {raw_path}}}\n"
    project = impact.load_project(write_project(text))
    r = impact.estimate(project, draws=100)
    fig = site_map(r, context=map_context(load_context(project)))
    with raw_path.open(newline="", encoding="utf-8") as f:
        raw = {row["Code poste"]: row for row in csv.DictReader(f, delimiter=";")}
    drawn = fig.impact_map["substations"]
    assert drawn
    for s in drawn:
        assert raw[s["code"]]["Etat"] == "EN EXPLOITATION"
        assert raw[s["code"]]["Tension (kV)"] == f"{s['voltage_kv']:g}kV"
    # The frame's raw rows out of service or without a kV figure are not drawn.
    lat, lon = project.location.lat, project.location.lon
    near = [
        row
        for row in raw.values()
        if _haversine_km(lat, lon, float(row["Latitude poste (DD)"]), float(row["Longitude poste (DD)"])) < 6
    ]
    excluded = {
        c
        for c, row in raw.items()
        if row in near and (row["Etat"] != "EN EXPLOITATION" or not row["Tension (kV)"][:-2].isdigit())
    }
    assert not excluded & {s["code"] for s in drawn}
    assert any(s.endswith("postes-electriques-rte.utf8.csv (Licence Ouverte v2.0)") for s in fig.impact_map["sources"])


def test_taps_and_customers_are_shown_as_such():
    fig = _figure("saint-avold-57")
    subs = fig.impact_map["substations"]
    assert {"tap", "customer", "transformation"} <= {s["kind"] for s in subs}
    legend = fig.impact_map["legend"]
    assert {
        "Point de piquage RTE (sur une ligne)",
        "Poste client RTE (un seul utilisateur)",
        "Poste de transformation RTE",
    } <= set(legend)
    labels = fig.impact_map["labels"]
    for s in subs:
        text = next((t for t in labels if t.startswith(s["name"].title() + "\n")), None)
        if text is not None and s["kind"] == "tap":
            assert "piquage" in text
        if text is not None and s["kind"] == "customer":
            assert "poste client" in text


# ------------------------------------------------------------------ connection


def test_the_connection_table_is_the_arretes():
    """data/reference/grid_connection_voltage.csv against the arrêtés du 23 avril 2008 as read on
    etalab/lois-non-codifiees-et-reglements-francais: DEVE0808815A art. 4 (BT triphasé: Pmax 250 kVA,
    HTA: 12 MW) and DEVE0808736A art. 2 I (HTB1 63 / 90 kV: 50 MW; HTB2 225 kV: 250 MW; HTB3 400 kV:
    above)."""
    from impact.connection import domains, reference_domain

    table = {d.name: d for d in domains()}
    assert [(n, table[n].above_mw, table[n].min_kv) for n in ("BT", "HTA", "HTB1", "HTB2", "HTB3")] == [
        ("BT", 0, 0),
        ("HTA", 0.25, 0),
        ("HTB1", 12, 63),
        ("HTB2", 50, 225),
        ("HTB3", 250, 400),
    ]
    assert all(d.quality == "assumption" and "analogy" in d.note for d in table.values())
    cases = [
        (0.06, "BT"),
        (0.25, "BT"),
        (0.3, "HTA"),
        (5, "HTA"),
        (12, "HTA"),
        (12.5, "HTB1"),
        (50, "HTB1"),
        (51, "HTB2"),
        (200, "HTB2"),
        (250, "HTB2"),
        (251, "HTB3"),
        (1000, "HTB3"),
    ]
    for mw, domain in cases:
        assert reference_domain(mw).name == domain, mw
    assert reference_domain(None) is None and reference_domain(float("nan")) is None


def _independent_nearest(lat, lon, min_kv):
    rows = [r for r in _shipped_substations() if r["kind"] == "transformation" and float(r["voltage_kv"]) >= min_kv]
    return min(rows, key=lambda r: (_haversine_km(lat, lon, float(r["lat"]), float(r["lon"])), r["code"]))


@pytest.mark.parametrize("site", ["dugny-93", "fouju-77", "alixan-26", "bordeaux-33", "roubaix-59", "brest-29"])
@pytest.mark.parametrize(("peak_mw", "kv"), [(200.0, 225.0), (1000.0, 400.0)])
def test_nearest_connectable_substation(site, peak_mw, kv):
    from impact.project_data import grid_connection

    project = _project(site)
    facts = grid_connection(project, peak_mw)
    first = facts["nearest_connectable"][0]
    ref = _independent_nearest(project.location.lat, project.location.lon, kv)
    assert facts["domain"]["min_kv"] == kv
    assert first["code"] == ref["code"] and first["voltage_kv"] >= kv and first["kind"] == "transformation"
    km = _haversine_km(project.location.lat, project.location.lon, float(ref["lat"]), float(ref["lon"]))
    assert first["distance_km"] == pytest.approx(km, abs=1e-3)


def test_the_map_marks_and_names_the_connectable_substations():
    """Dugny (200 MW, HTB2): the map's connectable list is the estimate's facts, and matches an
    independent search; the sentence names the first."""
    fig = _figure("dugny-93")
    r = _results("dugny-93")
    facts = r.meta["grid_connection"]
    assert facts["domain"]["domain"] == "HTB2" and facts["peak_demand_mw"] == pytest.approx(r.central("peak_demand_mw"))
    ref = _independent_nearest(r.project.location.lat, r.project.location.lon, 225)
    assert fig.impact_map["connectable"][0]["name"] == ref["name"]
    assert ref["name"].title() in fig.impact_map["nearest_text"] and "HTB2" in fig.impact_map["nearest_text"]
    drawn = {s["code"]: s for s in fig.impact_map["substations"]}
    for s in drawn.values():
        assert s["connectable"] == (s["kind"] == "transformation" and s["voltage_kv"] >= 225)
    # The dossier's nearest substations come from the shipped table (no file given), any kind.
    lat, lon = r.project.location.lat, r.project.location.lon
    ref3 = sorted(
        _shipped_substations(), key=lambda s: (_haversine_km(lat, lon, float(s["lat"]), float(s["lon"])), s["code"])
    )[:3]
    assert [s["code"] for s in r.nearest_substations] == [s["code"] for s in ref3]


def test_an_arrow_points_to_a_connectable_substation_outside_the_frame():
    """Fouju (1.4 GW, HTB3): no 400 kV substation within the 13 km frame."""
    fig = _figure("fouju-77")
    r = _results("fouju-77")
    out = fig.impact_map["outside"]
    ref = _independent_nearest(r.project.location.lat, r.project.location.lon, 400)
    assert out is not None and out["name"] == ref["name"] and out["voltage_kv"] == 400
    assert out["distance_km"] > fig.impact_map["half_width_m"] / 1000
    assert any(label.startswith(ref["name"].title() + " (400 kV)") for label in fig.impact_map["labels"])
    assert any("hors du cadre" in n for n in fig.impact_map["notes"])


def test_corsica_is_not_on_rte_s_network():
    import impact

    r = impact.estimate(impact.load_project(ROOT / "tests" / "data" / "site-2b-bastia.yaml"), draws=100)
    assert r.meta["grid_connection"]["covered"] is False and r.nearest_substations is None


# ------------------------------------------------------------------ registry


def _registry(tmp_path, rows):
    path = tmp_path / "registry.csv"
    cols = [
        "name",
        "city",
        "country",
        "status",
        "source",
        "it_capacity_mw",
        "announced_power.value_mw",
        "announced_power.basis",
        "location.lat",
        "location.lon",
    ]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, cols, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({"country": "FR", "status": "planned", "source": "test", **r})
    return path


def test_the_registry_layer(tmp_path):
    """The registry's other located sites in the frame are drawn with their power; the project
    itself and sites far away are not; a site without coordinates is drawn hollow at its
    commune; one whose city names several communes is named in a note."""
    from impact.project_data import read_registry_file
    from impact.report.maps import site_map

    r = _results("dugny-93")
    path = _registry(
        tmp_path,
        [
            {
                "name": r.project.name,
                "city": "Dugny",
                "announced_power.value_mw": 200,
                "announced_power.basis": "facility",
                "location.lat": r.project.location.lat,
                "location.lon": r.project.location.lon,
            },
            {
                "name": "Test Le Bourget",
                "city": "Le Bourget",
                "it_capacity_mw": 30,
                "location.lat": 48.9333,
                "location.lon": 2.4250,
            },
            {
                "name": "Test Garonor",
                "city": "Aulnay-sous-Bois",
                "announced_power.value_mw": 120,
                "announced_power.basis": "grid_connection",
                "location.lat": 48.9466,
                "location.lon": 2.4747,
            },
            {
                "name": "Test Fouju",
                "city": "Fouju",
                "it_capacity_mw": 100,
                "location.lat": 48.5838,
                "location.lon": 2.7741,
            },
            {"name": "Test sans coordonnées", "city": "La Courneuve", "it_capacity_mw": 85},
            {"name": "Test ambigu", "city": "Saint-Denis", "it_capacity_mw": 5},  # three communes bear that name
        ],
    )
    rows = read_registry_file(path)
    fig = site_map(r, context={"registry": rows})
    assert {"datacenters", "datacenters_at_commune"} <= set(fig.impact_map["layers"])
    labels = fig.impact_map["labels"]
    assert "Test Le Bourget (30 MW informatiques)" in labels
    assert "Test Garonor (120 MW de raccordement)" in labels
    assert not any(label.startswith("Test Fouju") for label in labels)
    assert sum(label.startswith(r.project.name) for label in labels) == 1  # the site's own label only
    assert any(label.startswith("Test sans coordonnées") for label in labels)
    _same_points(_hollow_points(fig, "registry"), [_commune_point("93027")])  # La Courneuve
    notes = " ".join(fig.impact_map["notes"])
    assert "Test ambigu (Saint-Denis)" in notes and "Test sans coordonnées" not in notes
    assert any("registry.csv" in s for s in fig.impact_map["sources"])


def test_context_registry_key_and_missing_file(write_project, tmp_path):
    from .conftest import run_cli

    path = _registry(
        tmp_path,
        [{"name": "Test A", "city": "Dugny", "it_capacity_mw": 5, "location.lat": 48.95, "location.lon": 2.42}],
    )
    ok = write_project(SITES["dugny-93"].read_text(encoding="utf-8") + f"context: {{registry: {path}}}\n")
    r = run_cli("check", ok)
    assert r.returncode == 0, r.stderr
    bad = write_project(
        SITES["dugny-93"].read_text(encoding="utf-8") + "context: {registry: none.csv}\n", name="bad.yaml"
    )
    r = run_cli("check", bad)
    assert r.returncode == 2 and "bad.yaml: context.registry: file not found:" in r.stderr


def test_batch_city_map_shows_the_territory_and_the_registry(tmp_path):
    from impact.project_data import read_registry_file
    from impact.report.city import city_map, city_map_figure

    path = _registry(
        tmp_path,
        [
            {
                "name": "Test Dugny",
                "city": "Dugny",
                "it_capacity_mw": 50,
                "location.lat": 48.9490,
                "location.lon": 2.4226,
            },
            {
                "name": "Test Dugny 2",
                "city": "Dugny",
                "it_capacity_mw": 20,
                "location.lat": 48.9560,
                "location.lon": 2.4100,
            },
            {
                "name": "Test Le Bourget",
                "city": "Le Bourget",
                "it_capacity_mw": 30,
                "location.lat": 48.9333,
                "location.lon": 2.4250,
            },
        ],
    )
    rows = list(read_registry_file(path))
    sites = [(p.name, p) for _, p in rows if p.city == "Dugny"]
    fig, note = city_map_figure("Dugny", sites, "fr", rows)
    layers = fig.impact_map["layers"]
    assert {"territory_sites", "datacenters", "communes"} <= set(layers)
    # A territory's map: no commune of one site highlighted, no connection sentence of one site.
    assert "site_area" not in layers and "connectable" not in layers and fig.impact_map["nearest_text"] == ""
    assert "Test Le Bourget (30 MW informatiques)" in fig.impact_map["labels"]
    assert {"Test Dugny", "Test Dugny 2"} <= set(fig.impact_map["labels"])
    assert fig.impact_map["sources"][0] == "sites du territoire : registre registry.csv"
    assert note == ""
    url, _ = city_map("Dugny", sites, "fr", rows)
    assert url.startswith("data:image/png;base64,")


# ------------------------------------------------------------------ sites without coordinates

REGISTRIES = ROOT / "data" / "registries"
AT_COMMUNE_FR = "Site placé au centre de sa commune\n(adresse non géocodée)"
AT_COMMUNE_REGISTRY_FR = "Autre centre de données placé au centre\nde sa commune (adresse non géocodée)"


def _commune_points(names, dep):
    """(lat, lon) of the communes named ``names`` in département ``dep``, read from the shipped
    table with the csv module (not through impact's look-up by name)."""
    with (FRANCE / "communes.csv").open(newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["kind"] == "commune" and r["dep"] == dep and r["name"] in names]
    assert sorted(r["name"] for r in rows) == sorted(names)
    return sorted((float(r["lat"]), float(r["lon"])) for r in rows)


def _commune_point(code):
    with (FRANCE / "communes.csv").open(newline="", encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["code"] == code)
    return float(row["lat"]), float(row["lon"])


def _hollow(fig, layer):
    """The hollow markers drawn for ``layer`` (territory or registry): (lat, lon) read back
    from the artists' positions, and their sizes [points²]."""
    from pyproj import Transformer

    from impact.report.maps import AT_COMMUNE_GIDS

    gid = AT_COMMUNE_GIDS["*" if layer == "territory" else "D"]
    back = Transformer.from_crs(fig.impact_map["crs"], 4326, always_xy=True)
    out = []
    for c in fig.axes[0].collections:
        if c.get_gid() == gid:
            sizes = list(c.get_sizes()) * len(c.get_offsets()) if len(c.get_sizes()) == 1 else list(c.get_sizes())
            for (x, y), size in zip(c.get_offsets(), sizes):
                lon, lat = back.transform(x, y)
                out.append(((lat, lon), float(size)))
    return sorted(out)


def _hollow_points(fig, layer):
    return [pt for pt, _ in _hollow(fig, layer)]


def _same_points(a, b, tol_deg=1e-7):
    assert len(a) == len(b), (a, b)
    for (la, lo), (lb, lob) in zip(sorted(a), sorted(b)):
        assert abs(la - lb) < tol_deg and abs(lo - lob) < tol_deg, ((la, lo), (lb, lob))


def _labels_clear_of_hollow_markers(fig):
    """No label covers a hollow marker (its square of side √s points)."""
    from matplotlib.transforms import Bbox

    from impact.report.map_labels import LABEL_GID
    from impact.report.maps import AT_COMMUNE_GIDS

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() == LABEL_GID]
    for c in ax.collections:
        if c.get_gid() in AT_COMMUNE_GIDS.values():
            sizes = list(c.get_sizes()) * len(c.get_offsets()) if len(c.get_sizes()) == 1 else list(c.get_sizes())
            for (x, y), size in zip(ax.transData.transform(c.get_offsets()), sizes):
                half = math.sqrt(size) / 2 * fig.dpi / 72 * 0.9
                marker = Bbox([[x - half, y - half], [x + half, y + half]])
                assert not any(_overlap(marker, b) for b in boxes)


def _territories(registry, by):
    """``{territory: [(name, project)]}`` of a registry, grouped as ``impact batch`` groups them."""
    from impact.batch import territory_groups
    from impact.project_data import read_registry_file

    rows = list(read_registry_file(registry))
    groups = territory_groups([p for _, p in rows], [], by)
    out: dict = {}
    for g, (_, p) in zip(groups, rows):
        out.setdefault(g, []).append((p.name, p))
    return rows, groups, out


_TERRITORY_FIGURES: dict = {}


def _territory_figure(registry, by, territory, lang="fr"):
    from impact.report.city import city_map_figure

    key = (registry, by, territory, lang)
    if key not in _TERRITORY_FIGURES:
        rows, _, groups = _territories(registry, by)
        _TERRITORY_FIGURES[key] = city_map_figure(territory, groups[territory], lang, rows)
    return _TERRITORY_FIGURES[key]


def test_a_territory_without_coordinates_gets_its_map():
    """Seine-Saint-Denis (ile-de-france.csv, by département): four sites, none with published
    coordinates; each is drawn hollow at its commune's inside point, none as if located."""
    fig, note = _territory_figure(REGISTRIES / "ile-de-france.csv", "departement", "Seine-Saint-Denis")
    assert fig is not None and note == ""  # every site is placed in its commune
    info = fig.impact_map
    _same_points(
        _hollow_points(fig, "territory"), _commune_points(["La Courneuve", "Pantin", "Dugny", "Le Bourget"], "93")
    )
    assert not any(m["shifted"] for m in info["at_commune"]) and len(info["at_commune"]) == 4
    assert "territory_at_commune" in info["layers"] and AT_COMMUNE_FR in info["legend"]
    # No filled star: no site is drawn as located.
    assert "site" not in info["layers"] and "territory_sites" not in info["layers"]
    from matplotlib.colors import to_hex

    from impact.report.maps import SITE

    filled = [c for c in fig.axes[0].collections if SITE in {to_hex(f) for f in c.get_facecolors()}]
    assert not filled
    for name in ("Paris Digital Park (PAR8)", "Equinix PA4 Pantin", "Digital Dugny (PAR15-PAR17)", "SEGRO Le Bourget"):
        assert any(label.startswith(name) for label in info["labels"]), name
    assert any(n.startswith("Symbole creux") for n in info["notes"])
    # A territory's map gives no distance to a substation (from which of its sites?).
    subs = [label for label in info["labels"] if "\n" in label and " kV" in label]
    assert subs and not any(" km" in label or "\u00a0m" in label or "sur le site" in label for label in subs)
    _assert_labels_clear(fig)
    _labels_clear_of_hollow_markers(fig)
    en, _ = _territory_figure(REGISTRIES / "ile-de-france.csv", "departement", "Seine-Saint-Denis", "en")
    assert "Site placed at its commune's centre\n(address not geocoded)" in en.impact_map["legend"]
    assert any(n.startswith("Hollow symbol") for n in en.impact_map["notes"])


def test_sites_of_one_commune_share_one_marker_with_their_count():
    """Marseille (marseille.csv): MRS5 has coordinates, MRS1-MRS4 only their city; one hollow
    marker at Marseille's inside point, the number 4 in it, the four names beside it; MRS5 is
    a filled star at its coordinates, never hollow."""
    from impact.report.maps import AT_COMMUNE_SIZES, COUNT_GID
    from impact.sources import read_registry

    fig, note = _territory_figure(REGISTRIES / "marseille.csv", "commune", "Marseille")
    info = fig.impact_map
    ((point, size),) = _hollow(fig, "territory")
    _same_points([point], [_commune_point("13055")])
    assert size == AT_COMMUNE_SIZES["star"][1]
    counts = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == COUNT_GID]
    assert counts == ["4"]
    label = next(label for label in info["labels"] if label.startswith("MRS1"))
    assert [line.split(" (")[0] for line in label.split("\n")] == ["MRS1", "MRS2", "MRS3", "MRS4"]
    assert any("Un nombre dans un symbole creux" in n for n in info["notes"])
    mrs5 = next(p for _, p in read_registry(REGISTRIES / "marseille.csv") if p.name == "MRS5")
    assert info["layers"][0] == "site" and info["legend"][0] == "Site localisé (MRS5)"
    assert _haversine_km(point[0], point[1], mrs5.location.lat, mrs5.location.lon) > 1
    assert note == ""
    _assert_labels_clear(fig)
    _labels_clear_of_hollow_markers(fig)


def test_a_hollow_marker_never_hides_a_located_site():
    """A site given its commune's inside point as coordinates (the Dugny case file does) and
    another site of that commune without coordinates: the first is the filled star at its
    coordinates, the second a hollow star moved beside it by a fixed step (its radius, the
    star's and 1 pt), both named."""
    import impact
    from impact.project import parse_project
    from impact.report.city import city_map_figure
    from impact.report.maps import AT_COMMUNE_SIZES

    dugny = impact.load_project(SITES["dugny-93"])
    other = parse_project({"name": "Test autre Dugny", "country": "FR", "city": "Dugny", "it_capacity_mw": 10})
    fig, _ = city_map_figure("Dugny", [(dugny.name, dugny), (other.name, other)], "fr", None)
    info = fig.impact_map
    ((point, size),) = _hollow(fig, "territory")
    commune = _commune_point("93030")
    assert _haversine_km(commune[0], commune[1], dugny.location.lat, dugny.location.lon) < 0.001
    ax = fig.axes[0]
    metres_per_point = 2 * info["half_width_m"] / (ax.get_position().width * fig.get_figwidth() * 72)
    step_pt = math.sqrt(AT_COMMUNE_SIZES["star"][0]) / 2 + math.sqrt(230) / 2 + 1
    moved_km = _haversine_km(point[0], point[1], commune[0], commune[1])
    assert moved_km == pytest.approx(step_pt * metres_per_point / 1000, rel=0.01)
    assert info["at_commune"] == [
        {
            "layer": "territory",
            "code": "93030",
            "commune": "Dugny",
            "count": 1,
            "names": ["Test autre Dugny"],
            "shifted": True,
        }
    ]
    assert info["layers"][0] == "site" and dugny.name in info["labels"]
    assert any(label.startswith("Test autre Dugny") for label in info["labels"])
    _assert_labels_clear(fig)
    _labels_clear_of_hollow_markers(fig)


def test_a_dossier_draws_the_registry_sites_at_their_communes():
    """Dugny's dossier with --registry ile-de-france.csv: the registry's other sites are drawn
    hollow at their communes' inside points when those are in the frame (6.5 km each side);
    the site itself, located, is the filled star, and its registry row (same name) is not
    drawn again."""
    from impact.project_data import load_context, read_registry_file
    from impact.report.figures import map_context
    from impact.report.maps import site_map

    r = _results("dugny-93")
    rows = list(read_registry_file(REGISTRIES / "ile-de-france.csv"))
    fig = site_map(r, context=map_context(load_context(r.project), "fr", rows))
    info = fig.impact_map
    lat, lon = r.project.location.lat, r.project.location.lon
    from pyproj import Transformer

    fwd = Transformer.from_crs(4326, 2154, always_xy=True)
    x0, y0 = fwd.transform(lon, lat)

    def in_frame(pt):
        x, y = fwd.transform(pt[1], pt[0])
        return abs(x - x0) <= 6500 and abs(y - y0) <= 6500

    expected = [pt for pt in _commune_points(["La Courneuve", "Pantin", "Le Bourget"], "93") if in_frame(pt)]
    assert len(expected) >= 2
    _same_points(_hollow_points(fig, "registry"), expected)
    assert "datacenters_at_commune" in info["layers"] and AT_COMMUNE_REGISTRY_FR in info["legend"]
    assert info["layers"][0] == "site"
    assert all(_haversine_km(p[0], p[1], lat, lon) > 0.5 for p in _hollow_points(fig, "registry"))
    assert "Digital Dugny (PAR15-PAR17)" not in info["registry_sites"]
    assert not any("non placés" in n for n in info["notes"])
    # The connection is measured from the located site only.
    assert info["nearest_text"].endswith("à 2,0\u00a0km.")
    _assert_labels_clear(fig)
    _labels_clear_of_hollow_markers(fig)


@pytest.mark.parametrize("site", ["roubaix-59", "bordeaux-33", "petit-landau-68"])
def test_no_hollow_symbol_without_sites_at_their_commune(site):
    """The legend's entries and the note appear only when such sites are drawn."""
    for scale in ("city", "small"):
        fig = _figure(site, scale)
        info = fig.impact_map
        assert not {"territory_at_commune", "datacenters_at_commune"} & set(info["layers"])
        assert not any("géocodée" in label for label in info["legend"])
        assert not any("creux" in n for n in info["notes"])
        assert not _hollow(fig, "territory") and not _hollow(fig, "registry")


@pytest.mark.parametrize(
    ("registry", "by"),
    [
        ("ile-de-france.csv", "departement"),
        ("ile-de-france.csv", "commune"),
        ("marseille.csv", "commune"),
        ("grand-est.csv", "commune"),
    ],
)
def test_the_fingerprint_s_neighbours_are_the_sites_the_map_shows(registry, by):
    """impact.batch.map_neighbours (a report's fingerprint) lists exactly the other territories'
    sites that its map draws or names."""
    from impact.batch import map_neighbours

    rows, groups, territories = _territories(REGISTRIES / registry, by)
    near = map_neighbours(groups, [p for _, p in rows])
    shown_somewhere = 0
    for territory in territories:
        fig, _ = _territory_figure(REGISTRIES / registry, by, territory)
        shown = sorted(fig.impact_map["registry_sites"]) if fig is not None else []
        assert shown == sorted(rows[j][1].name for j in near[territory]), territory
        shown_somewhere += len(shown)
    if (registry, by) == ("ile-de-france.csv", "commune"):
        assert shown_somewhere >= 4  # La Courneuve, Dugny, Le Bourget and Pantin show each other


def test_a_substation_at_the_site_is_said_to_be_there():
    """Saint-Avold is placed on RTE's Émile-Huchet substation: « sur le site », not « 0,0 km »,
    on the map, in the sentence under it and in the dossier's list of nearest substations."""
    import datetime as dt

    from impact.report import fmt
    from impact.report.dossier import build_context

    fig = _figure("saint-avold-57")
    info = fig.impact_map
    assert "Emile-Huchet\n400 kV · sur le site" in info["labels"]
    assert info["nearest_text"].endswith("Emile-Huchet (400 kV), sur le site.")
    assert not any("0,0" in label for label in info["labels"])
    en = _figure("saint-avold-57", lang="en")
    assert "Emile-Huchet\n400 kV · at the site" in en.impact_map["labels"]
    assert en.impact_map["nearest_text"].endswith("Emile-Huchet (400 kV), at the site.")
    r = _results("saint-avold-57")
    context = build_context(r, [], [], {}, lang="fr", author=None, date=dt.date(2026, 1, 1), fingerprint="0" * 16)
    first = context["nearest_substations"][0]
    assert first["name"].upper().startswith("EMILE") and first["distance"] == "sur le site"
    # The rule, by hand: to the nearest 100 m; « sur le site » below 50 m; metres below 1 km.
    cases = [
        (0.0, "sur le site"),
        (0.049, "sur le site"),
        (0.05, "100\u00a0m"),
        (0.26, "300\u00a0m"),
        (0.949, "900\u00a0m"),
        (0.97, "1,0\u00a0km"),
        (2.04, "2,0\u00a0km"),
        (12.34, "12,3\u00a0km"),
    ]
    for km, text in cases:
        assert fmt.distance(km, "fr") == text, km
    assert fmt.distance(2.04, "fr", away=True) == "à 2,0\u00a0km"
    assert fmt.distance(0.0, "en", away=True) == "at the site"
    assert fmt.distance(0.26, "en", away=True) == "300\u00a0m away"


def test_the_marseille_registry_is_the_table(shared_data):
    """data/geo/datacenters_marseille_registry.csv holds the rows of datacenters_marseille.csv."""
    from impact.sources import read_registry

    with (data_dir() / "geo" / "datacenters_marseille.csv").open(newline="", encoding="utf-8") as f:
        table = {r["name"]: r for r in csv.DictReader(f)}
    rows = read_registry(data_dir() / "geo" / "datacenters_marseille_registry.csv", errors="collect")
    loaded = {p.name: p for _, p in rows}
    assert set(loaded) | {"SEGRO Actisud", "Nautilus floating data centre"} == set(table)
    assert len(rows.errors) == 2
    for name, p in loaded.items():
        t = table[name]
        assert (p.location is None) == (not t["lat"].strip())
        if p.location is not None:
            assert (p.location.lat, p.location.lon) == (float(t["lat"]), float(t["lon"]))
        if t["it_power_mw"]:
            assert p.it_capacity_mw.central == float(t["it_power_mw"])


# ------------------------------------------------------------------ labels, bytes, sizes


def _boxes(fig, gid):
    renderer = fig.canvas.get_renderer()
    out = []
    for ax in fig.axes:
        for artist in list(ax.texts) + list(ax.patches) + list(ax.collections) + list(ax.artists):
            if artist.get_gid() == gid:
                out.append(artist.get_window_extent(renderer))
    return out


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("scale", ["city", "small"])
@pytest.mark.parametrize("site", sorted(SITES))
def test_labels_never_overlap(site, scale):
    """Measured again on the drawn figure, with the renderer's text extents."""
    _assert_labels_clear(_figure(site, scale))


def _assert_labels_clear(fig):
    """No label overlaps another, the legend, the scale bar, the north arrow or the number in a
    hollow marker, and every label is inside the map."""
    from impact.report.map_labels import LABEL_GID
    from impact.report.maps import COUNT_GID, NORTH_GID, SCALEBAR_GID

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_gid() == LABEL_GID]
    assert len(labels) >= 3 and len(labels) == len(fig.impact_map["labels"])
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not _overlap(boxes[i], boxes[j]), (labels[i].get_text(), labels[j].get_text())
    others = _boxes(fig, SCALEBAR_GID) + _boxes(fig, NORTH_GID) + _boxes(fig, COUNT_GID)
    others += [leg.get_window_extent(renderer) for leg in fig.legends]
    if ax.get_legend() is not None:
        others.append(ax.get_legend().get_window_extent(renderer))
    assert len(_boxes(fig, SCALEBAR_GID)) >= 4 and len(_boxes(fig, NORTH_GID)) == 2
    frame = ax.get_window_extent(renderer)
    for t, b in zip(labels, boxes):
        assert not any(_overlap(b, o) for o in others), t.get_text()
        assert frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1, t.get_text()


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_save_figure_is_byte_identical(tmp_path, suffix):
    from impact.report.maps import save_figure, site_map

    r = _results("petit-landau-68")
    a = save_figure(site_map(r), tmp_path / f"a{suffix}")
    b = save_figure(site_map(r), tmp_path / f"b{suffix}")
    assert a.read_bytes() == b.read_bytes()
    if suffix == ".svg":
        assert b"<dc:date>" not in a.read_bytes()


def test_sizes(tmp_path):
    from impact.report.maps import save_figure

    for scale, limit in (("city", 1_500_000), ("small", 400_000)):
        path = save_figure(_figure("dugny-93", scale), tmp_path / f"{scale}.png")
        assert 20_000 < path.stat().st_size < limit, (scale, path.stat().st_size)
    assert (data_dir() / "basemap" / "countries.gpkg").stat().st_size < 300_000
    assert not (data_dir() / "basemap" / "marseille.gpkg").exists()


def test_wheel_config_ships_data():
    import tomllib

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert conf["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]["data"] == "impact/_data"


# ------------------------------------------------------------------ edge cases


@pytest.mark.parametrize(
    "where",
    [
        "name: Montréal test\ncountry: CA\nlocation: {lat: 45.50, lon: -73.57}\nit_capacity_mw: 5\n",
        "name: Nowhere\ncountry: FR\nit_capacity_mw: 5\n",
    ],
    ids=["montreal", "no-location"],
)
def test_map_outside_france_does_not_crash(where, tmp_path):
    import yaml

    from impact.project import Project
    from impact.report.maps import map_crs, save_figure, site_map

    project = Project.model_validate(yaml.safe_load(where))
    fig = site_map(project)
    texts = "\n".join(_texts(fig))
    if project.location is not None:
        assert "France métropolitaine seulement" in texts
        assert fig.impact_map["layers"] == ["site"]
        assert not any("IGN" in s or "RTE" in s for s in fig.impact_map["sources"])
        assert map_crs(45.5, -73.57) == "EPSG:32618"
    else:
        assert "pas de carte" in texts
    save_figure(fig, tmp_path / "map.png")
    assert (tmp_path / "map.png").stat().st_size > 1000


def test_sources_name_every_attribution():
    fig = _figure("petit-landau-68")
    sources = " ".join(fig.impact_map["sources"])
    for needle in (
        "IGN ADMIN EXPRESS",
        "RTE via ODRÉ",
        "GSHHG",
        "Wessel",
        "LGPL-3.0",
        "Natural Earth",
        "arrêtés du 23 avril 2008",
    ):
        assert needle in sources, needle
    assert "OpenStreetMap" not in sources
    from impact.report.maps import map_caption

    caption = map_caption(fig, "fr")
    assert caption.endswith(".") and "Sources de la carte" in caption and "EPSG:2154" in caption


def test_dossier_with_a_registry_prints_the_map_sources(tmp_path):
    from .conftest import run_cli

    html = tmp_path / "d.html"
    r = run_cli(
        "dossier",
        MRS5,
        "-o",
        tmp_path / "d.pdf",
        "--html",
        html,
        "--date",
        "2024-09-20",
        "--registry",
        data_dir() / "geo" / "datacenters_marseille_registry.csv",
    )
    assert r.returncode == 0, r.stderr
    text = html.read_text(encoding="utf-8")
    caption = re.search(r'<figure class="map">.*?<figcaption>(.*?)</figcaption>', text, re.S).group(1)
    assert "IGN ADMIN EXPRESS" in caption and "datacenters_marseille_registry.csv" in caption
    assert "MRS1 (Marseille)" in caption  # listed, not placed: no coordinates published
    assert "Cap Janet" in text


@pytest.mark.parametrize("approximate", [True, False])
def test_an_approximate_position_is_drawn_hollow_and_said(approximate):
    # location.approximate: the point is the commune's centre or a landmark, not the site.
    import matplotlib.colors as mcolors

    import impact
    from impact.project import parse_project
    from impact.report import maps
    from impact.report.dossier import build_context, render_html

    p = parse_project(
        {
            "name": "Test",
            "country": "FR",
            "it_capacity_mw": 20,
            "location": {"lat": 48.94899, "lon": 2.42263, "approximate": approximate},
        }
    )
    r = impact.estimate(p, draws=200)
    fig = maps.site_map(r, scale="city", lang="fr")
    info = fig.impact_map
    assert ("Site du projet (position approximative)" in info["legend"]) == approximate
    assert any("Étoile creuse" in n for n in info["notes"]) == approximate
    star = max((c for c in fig.axes[0].collections if c.get_zorder() == 15), key=lambda c: c.get_zorder())
    face = mcolors.to_hex(star.get_facecolor()[0])
    assert (face == "#ffffff") == approximate
    from .test_words import FIGURES

    html = render_html(
        build_context(
            r,
            [],
            [],
            {k: None for k in FIGURES},
            lang="fr",
            author=None,
            date=__import__("datetime").date(2026, 11, 25),
            fingerprint="0" * 16,
        )
    )
    assert ("position approximative du site" in html) == approximate
