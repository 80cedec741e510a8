"""Loaders, on the real files of ../shared/data and on small files written here in the
real formats. Expected values are read from the raw files with the csv module."""

from __future__ import annotations

import csv
import json
import math

import pandas as pd
import pytest

from impact.errors import InputError
from impact.model.geodesy import EARTH_RADIUS_KM, haversine_km
from impact.model.grid_hourly import annual_intensity
from impact.sources import (
    read_boundaries,
    read_cadastre_parcels,
    read_eco2mix,
    read_epw,
    read_registry,
    read_rte_substations,
    read_submarine_cables,
    registry_row,
    wet_bulb_c,
)
from impact.sources.cadastre import parcels_area_m2

from .conftest import ROOT

NATIONAL = "eco2mix/eco2mix-national-tr_2021-12-01_15.csv"
REGIONAL = "eco2mix/eco2mix-regional-tr_PACA_2020.csv"
EPW = ROOT / "tests" / "data" / "marseille-3days.epw"


def _raw_rows(path, encoding="utf-8"):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.reader(f, delimiter=";"))


def _num(cell):
    return float("nan") if cell.strip() in ("", "-", "ND") else float(cell)


def _same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


# ----------------------------------------------------------------------------- éCO2mix


@pytest.mark.parametrize("name", [NATIONAL, REGIONAL])
def test_eco2mix_real_files_match_raw_rows(shared_data, name):
    path = shared_data / name
    rows = _raw_rows(path)
    header, body = rows[0], rows[1:]
    df = read_eco2mix(path)
    assert str(df.index.tz) == "Europe/Paris"
    assert df.index.is_monotonic_increasing and df.index.is_unique
    assert len(df) == len({r[header.index("Date - Heure")] for r in body})
    assert set(pd.Series(df.index).diff().dropna().unique()) == {pd.Timedelta(minutes=15)}
    for k in (0, len(body) // 2, len(body) - 1):  # rows picked in file order (not time order)
        raw = body[k]
        t = pd.Timestamp(raw[header.index("Date - Heure")])
        got = df.loc[t]
        assert _same(got["consumption_mw"], _num(raw[header.index("Consommation (MW)")]))
        assert _same(got["solar_mw"], _num(raw[header.index("Solaire (MW)")]))
        assert _same(got["hydro_mw"], _num(raw[header.index("Hydraulique (MW)")]))
        if "Taux de CO2 (g/kWh)" in header:
            assert _same(got["co2_g_per_kwh"], _num(raw[header.index("Taux de CO2 (g/kWh)")]))
    if name == REGIONAL:
        assert "co2_g_per_kwh" not in df and df["nuclear_mw"].isna().all()  # no nuclear plant in PACA
        empty = sum(1 for r in body if r[header.index("Consommation (MW)")] == "")
        assert df["consumption_mw"].isna().sum() == empty > 0
        assert df.attrs["region"] == "Provence-Alpes-Côte d'Azur"
    else:
        assert df.attrs["perimeter"] == "France"


HEADER = "Périmètre;Nature;Date;Heure;Date - Heure;Consommation (MW);Nucléaire (MW);Taux de CO2 (g/kWh);"


def _write(tmp_path, lines, encoding="utf-8", newline="\r\n", name="eco2mix.csv"):
    path = tmp_path / name
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
    return path


def test_eco2mix_latin1_crlf_trailing_separator_nd_30_min_out_of_order_duplicates(tmp_path):
    rows = [
        HEADER,
        "France;Données consolidées;2022-03-27;03:30;2022-03-27T03:30:00+02:00;50000;40000;30;",
        "France;Données consolidées;2022-03-27;01:00;2022-03-27T01:00:00+01:00;52000;ND;-;",
        "France;Données consolidées;2022-03-27;01:30;2022-03-27T01:30:00+01:00;;41000;31;",
        "France;Données consolidées;2022-03-27;03:00;2022-03-27T03:00:00+02:00;51000;40500;29;",
        "France;Données consolidées;2022-03-27;01:30;2022-03-27T01:30:00+01:00;51500;;;",  # duplicate
    ]
    df = read_eco2mix(_write(tmp_path, rows, encoding="latin-1"))
    assert df.attrs["nature"] == "Données consolidées"
    assert list(df.index.strftime("%H:%M%z")) == ["01:00+0100", "01:30+0100", "03:00+0200", "03:30+0200"]
    assert df.index[2] - df.index[1] == pd.Timedelta(minutes=30)  # across the spring DST change
    assert math.isnan(df["nuclear_mw"].iloc[0]) and math.isnan(df["co2_g_per_kwh"].iloc[0])
    # duplicate time step: the first non-missing value of each column
    assert df["consumption_mw"].iloc[1] == 51500 and df["nuclear_mw"].iloc[1] == 41000


def test_eco2mix_date_and_hour_columns_without_offset(tmp_path):
    rows = [
        "Périmètre\tNature\tDate\tHeures\tConsommation\u00a0(MW)".replace("\u00a0", " "),
        "France\tDonnées définitives\t2020-10-25\t02:30\t50000",
        "France\tDonnées définitives\t2020-10-25\t02:30\t49000",
        "France\tDonnées définitives\t2020-10-25\t03:00\t48000",
        "RTE ne pourra être tenu responsable de l'utilisation des données",
    ]
    df = read_eco2mix(_write(tmp_path, rows, newline="\n"))
    # 02:30 occurs twice on the autumn DST change: summer time first, then winter time.
    assert [t.isoformat() for t in df.index] == [
        "2020-10-25T02:30:00+02:00",
        "2020-10-25T02:30:00+01:00",
        "2020-10-25T03:00:00+01:00",
    ]
    assert list(df["consumption_mw"]) == [50000, 49000, 48000]


def test_eco2mix_bad_number_names_line_and_column(tmp_path):
    rows = [HEADER] + [
        f"France;Données temps réel;2021-12-01;00:{m:02d};2021-12-01T00:{m:02d}:00+01:00;67000;43000;40;"
        for m in (0, 15, 30)
    ]
    rows[3] = rows[3].replace(";67000;", ";abc;")
    with pytest.raises(InputError) as e:
        read_eco2mix(_write(tmp_path, rows))
    assert str(e.value) == "eco2mix.csv: line 4, column 6: 'Consommation (MW)' is not a number: 'abc'"


def test_eco2mix_bad_date_and_not_an_export(tmp_path):
    rows = [HEADER, "France;Données temps réel;2021-12-01;00:00;yesterday;67000;43000;40;"]
    with pytest.raises(InputError, match=r"line 2, column 5: 'Date - Heure' is not a date and time: 'yesterday'"):
        read_eco2mix(_write(tmp_path, rows))
    with pytest.raises(InputError, match="not an éCO2mix export"):
        read_eco2mix(_write(tmp_path, ["a,b,c", "1,2,3"], name="other.csv"))


# -------------------------------------------------------------- hourly grid intensity


def test_annual_intensity_by_hand():
    # Two December days: 100 g/kWh from 00:00 to 11:45, 300 g/kWh from 12:00 to 23:45.
    idx = pd.date_range("2021-12-01", periods=2 * 96, freq="15min", tz="Europe/Paris")
    s = pd.Series([100.0 if t.hour < 12 else 300.0 for t in idx], index=idx)
    r = annual_intensity(s)
    assert r.value_g_per_kwh == pytest.approx(200.0)
    assert r.months_observed == (12,) and r.hours_observed == 48
    assert "Jan, Feb" in r.description and "hour of day" in r.description
    # A load twice as high in the afternoon: (1 x 100 + 2 x 300) / 3
    load = pd.Series([1.0 if t.hour < 12 else 2.0 for t in idx], index=idx)
    assert annual_intensity(s, load).value_g_per_kwh == pytest.approx(700 / 3)


def test_annual_intensity_month_weights():
    # January at 100, July at 400, hours alike: the other 10 months take the mean
    # hour profile (250). Year = (31 x 100 + 31 x 400 + (365 - 62) x 250) / 365.
    jan = pd.date_range("2021-01-01", periods=24, freq="h", tz="Europe/Paris")
    jul = pd.date_range("2021-07-01", periods=24, freq="h", tz="Europe/Paris")
    s = pd.concat([pd.Series(100.0, index=jan), pd.Series(400.0, index=jul)])
    assert annual_intensity(s).value_g_per_kwh == pytest.approx((31 * 100 + 31 * 400 + 303 * 250) / 365)


def test_annual_intensity_on_real_national_file(shared_data):
    rows = _raw_rows(shared_data / NATIONAL)
    h = rows[0]
    by_hour: dict[int, list[float]] = {}
    for r in rows[1:]:
        hour = int(r[h.index("Heure")][:2])
        by_hour.setdefault(hour, []).append(float(r[h.index("Taux de CO2 (g/kWh)")]))
    # Only December: every month takes December's hour-of-day means, equally weighted.
    expected = sum(sum(v) / len(v) for v in by_hour.values()) / 24
    df = read_eco2mix(shared_data / NATIONAL)
    assert annual_intensity(df["co2_g_per_kwh"]).value_g_per_kwh == pytest.approx(expected)


# ------------------------------------------------------------------------ substations


def test_rte_substations_real_files(shared_data):
    path = shared_data / "grid" / "postes-rte-marseille-bbox.csv"
    rows = _raw_rows(path)
    gdf = read_rte_substations(path)
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == len(rows) - 1 == 72
    assert list(gdf.columns[:5]) == ["code", "name", "function", "status", "voltage_kv"]
    raw = rows[3]
    got = gdf[gdf["code"] == raw[0]].iloc[0]
    assert got["name"] == raw[1] and got["function"] == raw[2] and got["status"] == raw[3]
    assert got["voltage_kv"] == float(raw[4].removesuffix("kV"))
    assert got.geometry.x == float(raw[5]) and got.geometry.y == float(raw[6])
    full = read_rte_substations(shared_data / "grid" / "postes-electriques-rte.utf8.csv")
    assert len(full) == 5079 and full["voltage_kv"].dtype == float
    text_volts = sum(
        1
        for r in _raw_rows(shared_data / "grid" / "postes-electriques-rte.utf8.csv")[1:]
        if not r[4].endswith("kV") or r[4].startswith("<")
    )
    assert full["voltage_kv"].isna().sum() == text_volts


def test_rte_substations_latin1_and_bad_coordinate(tmp_path):
    head = (
        "Code poste;Nom poste;FONCTION;Etat;Tension (kV);Longitude poste (DD);Latitude poste (DD);Géo-point poste (DD)"
    )
    ok = "ARENC;ARENC;Poste de transformation;EN EXPLOITATION;225kV;5.3697;43.3142;43.3142, 5.3697"
    path = tmp_path / "postes.csv"
    path.write_bytes(
        (
            "\r\n".join([head, ok, "ZZ;CÔTE BLEUE;Point de piquage;ACCORD ADMINISTRATIF;<45kV;5.1;43.3;"]) + "\r\n"
        ).encode("latin-1")
    )
    gdf = read_rte_substations(path)
    assert list(gdf["name"]) == ["ARENC", "CÔTE BLEUE"] and gdf["voltage_kv"].iloc[0] == 225.0
    assert math.isnan(gdf["voltage_kv"].iloc[1]) and gdf["voltage"].iloc[1] == "<45kV"
    path.write_text("\n".join([head, ok, ok.replace("5.3697;", "5,36,97;", 1)]), encoding="utf-8")
    with pytest.raises(InputError, match=r"postes.csv: line 3, column 6: 'Longitude poste \(DD\)' is not a number"):
        read_rte_substations(path)


def test_haversine_by_hand():
    # One degree along a meridian = R x pi / 180.
    assert haversine_km(43.0, 5.0, 44.0, 5.0) == pytest.approx(EARTH_RADIUS_KM * math.pi / 180)
    # Along the equator, 90 degrees = a quarter of the circumference.
    assert haversine_km(0.0, 0.0, 0.0, 90.0) == pytest.approx(EARTH_RADIUS_KM * math.pi / 2)
    # Within 0.5 % of the WGS 84 geodesic (pyproj.Geod) for Marseille -> Paris.
    from pyproj import Geod

    _, _, metres = Geod(ellps="WGS84").inv(5.3698, 43.2965, 2.3522, 48.8566)
    assert haversine_km(43.2965, 5.3698, 48.8566, 2.3522) == pytest.approx(metres / 1000, rel=0.005)


# ------------------------------------------------------------------------------- EPW


def test_epw_small_file():
    df = read_epw(EPW)
    assert len(df) == 72 and df.index.is_monotonic_increasing
    assert df.index.tz is not None and df.index[0].utcoffset() == pd.Timedelta(hours=1)
    assert df.index[0].isoformat() == "2019-07-01T00:00:00+01:00"  # EPW hour 1 = the hour from 00:00
    assert set(pd.Series(df.index).diff().dropna()) == {pd.Timedelta(hours=1)}
    lines = EPW.read_text().splitlines()
    for k in (0, 38, 71):
        f = lines[8 + k].split(",")
        assert df["temp_air_c"].iloc[k] == float(f[6]) and df["relative_humidity"].iloc[k] == float(f[8])
    assert (df["temp_wet_bulb_c"] <= df["temp_air_c"]).all()
    assert df.attrs["latitude"] == 43.44 and df.attrs["TZ"] == 1.0


def test_wet_bulb_against_stull_2011_and_tables():
    # Stull (2011), J. Appl. Meteor. Climatol. 50, 2267, doi:10.1175/JAMC-D-11-0143.1:
    # "T = 20 °C and RH = 50 % ... Tw = 13.7 °C" (at 101.325 kPa).
    assert wet_bulb_c(20.0, 50.0)[()] == pytest.approx(13.7, abs=0.1)
    # Saturated air: wet bulb = dry bulb.
    assert wet_bulb_c(25.0, 100.0)[()] == pytest.approx(25.0, abs=0.01)
    # Same hour in the written EPW (day 2, 15:00 = row 38).
    assert read_epw(EPW)["temp_wet_bulb_c"].iloc[38] == pytest.approx(13.7, abs=0.1)


def test_epw_bad_files(tmp_path):
    bad = tmp_path / "bad.epw"
    bad.write_text("not a weather file\n")
    with pytest.raises(InputError, match="bad.epw: line 1: not an EnergyPlus weather file"):
        read_epw(bad)
    lines = EPW.read_text().splitlines()
    f = lines[10].split(",")
    f[6] = "warm"
    lines[10] = ",".join(f)
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"bad.epw: line 11, column 7: dry-bulb temperature is not a number: 'warm'"):
        read_epw(bad)


# ------------------------------------------------------------------ geo: boundaries, cables


def test_boundaries_real_and_reprojected(shared_data, tmp_path):
    path = shared_data / "france-geojson" / "communes-13-bouches-du-rhone.geojson"
    gdf = read_boundaries(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert len(gdf) == len(raw["features"]) == 119 and gdf.crs.to_epsg() == 4326
    assert gdf.set_index("code").loc["13055", "name"] == "Marseille"
    # A GeoPackage in Lambert-93 comes back in WGS 84.
    gpkg = tmp_path / "communes.gpkg"
    gdf.to_crs("EPSG:2154").to_file(gpkg)
    back = read_boundaries(gpkg)
    assert back.crs.to_epsg() == 4326
    assert back.geometry.iloc[0].centroid.distance(gdf.geometry.iloc[0].centroid) < 1e-6


def test_submarine_cables_real_files(shared_data):
    folder = shared_data / "submarine-cables"
    cables = read_submarine_cables(folder / "cable-geo.json")
    raw = json.loads((folder / "cable-geo.json").read_text(encoding="utf-8"))
    assert len(cables) == len(raw["features"]) == 527 and set(cables["kind"]) == {"cable"}
    assert cables["name"].iloc[0] == raw["features"][0]["properties"]["name"]
    points = read_submarine_cables(folder / "landing-point-geo.json")
    assert len(points) == 1414 and set(points["kind"]) == {"landing_point"}
    assert "Marseille, France" in set(points["name"])


# ---------------------------------------------------------------------------- cadastre


def _square(x, y, d=0.001):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


def write_parcels(path):
    """Three parcels of Marseille 2nd arrondissement, in cadastre.data.gouv.fr's GeoJSON shape."""
    feats = []
    for i, (num, area) in enumerate((("0012", 4521), ("0013", 3980), ("0014", 1250))):
        pid = f"132020000A{num}"
        feats.append(
            {
                "type": "Feature",
                "id": pid,
                "geometry": _square(5.36 + i * 0.001, 43.31),
                "properties": {
                    "id": pid,
                    "commune": "13202",
                    "prefixe": "000",
                    "section": "0A",
                    "numero": num,
                    "contenance": area,
                    "arpente": False,
                    "created": "2005-02-17",
                    "updated": "2023-01-04",
                },
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
    return path


def test_cadastre_parcels(tmp_path):
    path = write_parcels(tmp_path / "cadastre-13202-parcelles.json")
    gdf = read_cadastre_parcels(path)
    assert list(gdf.columns[:6]) == ["id", "commune", "prefixe", "section", "numero", "contenance_m2"]
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == 3
    assert parcels_area_m2(gdf, ["132020000A0012", "132020000A0014"]) == 4521 + 1250
    with pytest.raises(InputError) as e:
        parcels_area_m2(gdf, ["132020000A0012", "132020000B0099"], path.name)
    assert "cadastre-13202-parcelles.json: land.ids: parcel '132020000B0099' is not in the file" in str(e.value)


def test_cadastre_bad_contenance(tmp_path):
    path = write_parcels(tmp_path / "p.json")
    data = json.loads(path.read_text())
    data["features"][1]["properties"]["contenance"] = "beaucoup"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match=r"p.json: feature 2 \(parcel 132020000A0013\): contenance must be"):
        read_cadastre_parcels(path)


# ---------------------------------------------------------------------------- registry

REGISTRY = """\
name,operator,country,it_capacity_mw,utilisation,location.lat,location.lon,cooling.type,grid.carbon_intensity_g_per_kwh,status,source
MRS4,Digital Realty,FR,16,,43.31,5.36,water_chillers,,operating,press release 2020
MRS5,Digital Realty,FR,22,"{low: 0.4, central: 0.6, high: 0.85}",43.33,5.35,river,52,planned,inquiry dossier 2024
Bad one,Someone,FR,-3,,43.3,5.4,magic,,planned,
"""


def test_registry_csv_raise_and_collect(tmp_path):
    path = tmp_path / "registry.csv"
    path.write_text(REGISTRY, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_registry(path)
    msg = str(e.value)
    assert "registry.csv: row 3 (line 4): it_capacity_mw: must be" in msg
    assert "registry.csv: row 3 (line 4): cooling.type: must be one of" in msg
    rows = read_registry(path, errors="collect")
    assert [n for n, _ in rows] == [1, 2] and [n for n, _ in rows.errors] == [3]
    mrs5 = dict(rows)[2]
    assert mrs5.it_capacity_mw.central == 22 and mrs5.utilisation.low == 0.4
    assert mrs5.location.lat == 43.33 and mrs5.cooling.type == "river"
    assert mrs5.grid.carbon_intensity_g_per_kwh.central == 52
    assert dict(rows)[1].utilisation is None  # empty cell = absent
    assert registry_row(mrs5) == {"row": 2, "status": "planned", "source": "inquiry dossier 2024"}
    assert mrs5.sources["it_capacity_mw"] == "inquiry dossier 2024"


def test_registry_geojson_point_gives_location(tmp_path):
    path = tmp_path / "registry.geojson"
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [5.35, 43.33]},
            "properties": {
                "name": "MRS5",
                "country": "FR",
                "it_capacity_mw": 22,
                "cooling.type": "river",
                "status": "planned",
                "source": "x",
                "pue": None,
            },
        },
        {"type": "Feature", "geometry": None, "properties": {"name": "No capacity", "country": "FR"}},
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    rows = read_registry(path, errors="collect")
    assert len(rows) == 1 and rows[0][1].location.lon == 5.35 and rows[0][1].pue is None
    ((n, err),) = rows.errors
    assert n == 2 and "registry.geojson row 2 (feature 2)" in str(err) and "it_capacity_mw" in str(err)
