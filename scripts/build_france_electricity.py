#!/usr/bin/env python
"""Build data/france/electricity_departements.csv and electricity_national.csv from ../shared/data/electricity.

Inputs (see ``<shared>/electricity/PROVENANCE.md``): ``agence_ore_conso_elec_gaz_annuelle_secteur_
departement_2011-2021.csv`` (Agence ORE, one row per operator x département x year, MWh) and
``odre_consommation_annuelle_brute_2001-2021.csv`` (ODRÉ / RTE, national gross and weather-corrected
consumption, GWh). Both Licence Ouverte / Etalab 2.0.

What it does: keeps electricity only (``filiere`` = Electricité), sums the operators per département
and year, renames the sectors (``a`` agriculture, ``i`` industry, ``t`` tertiary, ``r`` residential,
``na`` unassigned; ``consototale`` total), and **drops 2011**, which the source publishes for 94
départements only (341 TWh against about 435 TWh in the other years). MWh rounded to 0.01; rows by
département then year. The national table keeps the RTE electricity columns, by year.

Run from the repository root: ``python scripts/build_france_electricity.py [SHARED] [-o OUT]``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _france_common import parser, write_csv

ORE_FILE = "agence_ore_conso_elec_gaz_annuelle_secteur_departement_2011-2021.csv"
ODRE_FILE = "odre_consommation_annuelle_brute_2001-2021.csv"
SOURCE_ORE = "Agence ORE, consommation annuelle d'électricité par département et secteur (Licence Ouverte 2.0)"
SOURCE_ODRE = "RTE via ODRÉ, consommation annuelle brute (Licence Ouverte 2.0)"
FIRST_YEAR = 2012  # 2011 is incomplete in the source (94 départements)
SECTORS = {
    "agriculture_mwh": "consoa",
    "industry_mwh": "consoi",
    "tertiary_mwh": "consot",
    "residential_mwh": "consor",
    "unassigned_mwh": "consona",
    "total_mwh": "consototale",
}
DEP_COLUMNS = ["dep", "year", *SECTORS, "delivery_points_residential", "operators", "source"]
NAT_COLUMNS = ["year", "gross_gwh", "weather_corrected_gwh", "status", "source"]


def _num(text: str) -> float:
    return float(text) if text.strip() else 0.0


def departement_rows(path: Path) -> list[dict]:
    totals: dict[tuple[str, int], dict] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            if r["filiere"] != "Electricité" or int(r["annee"]) < FIRST_YEAR:
                continue
            key = (r["code_departement"], int(r["annee"]))
            t = totals.setdefault(
                key,
                {
                    "dep": key[0],
                    "year": key[1],
                    **{k: 0.0 for k in SECTORS},
                    "delivery_points_residential": 0,
                    "operators": 0,
                    "source": SOURCE_ORE,
                },
            )
            for ours, theirs in SECTORS.items():
                t[ours] += _num(r[theirs])
            t["delivery_points_residential"] += int(_num(r["pdlr"]))
            t["operators"] += 1
    for t in totals.values():
        for k in SECTORS:
            t[k] = round(t[k], 2)
    return [totals[k] for k in sorted(totals)]


def national_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = [
            {
                "year": int(r["Année"]),
                "gross_gwh": int(r["Consommation brute électricité (GWh) - RTE"]),
                "weather_corrected_gwh": int(r["Consommation corrigée électricité (GWh) - RTE"]),
                "status": r["Statut - RTE"],
                "source": SOURCE_ODRE,
            }
            for r in csv.DictReader(f, delimiter=";")
        ]
    return sorted(rows, key=lambda r: r["year"])


def build(shared: Path, out: Path, verbose: bool = True) -> dict:
    deps = departement_rows(shared / "electricity" / ORE_FILE)
    nat = national_rows(shared / "electricity" / ODRE_FILE)
    write_csv(out / "electricity_departements.csv", DEP_COLUMNS, deps, {k: 2 for k in SECTORS})
    write_csv(out / "electricity_national.csv", NAT_COLUMNS, nat)
    years = sorted({r["year"] for r in deps})
    summary = {
        "rows": len(deps),
        "years": (years[0], years[-1]),
        "total_2021_twh": round(sum(r["total_mwh"] for r in deps if r["year"] == 2021) / 1e6, 2),
    }
    if verbose:
        print(f"{out}: {summary}")
    return summary


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__).parse_args(argv)
    build(args.shared, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
