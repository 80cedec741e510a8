#!/usr/bin/env python
"""Build data/france/substations.csv: RTE's substations in service with a voltage, from ../shared/data/grid.

Input: ``<shared>/grid/postes-electriques-rte.utf8.csv`` (ODRÉ « Postes électriques RTE », 5,079
rows, Licence Ouverte v2.0). The cleaning is :func:`impact.sources.rte.clean_substations`, the same
that a user's own ODRÉ export goes through at run time: substations in service (``Etat`` =
``EN EXPLOITATION``) with a voltage in kV, each with its ``kind`` (transformation, tap, customer:
:func:`impact.sources.rte.substation_kind`). Rows are ordered by code, then position;
coordinates rounded to 1e-5 degree.

Run from the repository root: ``python scripts/build_france_substations.py [SHARED] [-o OUT]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _france_common import parser, write_csv

SOURCE = "RTE, postes électriques (ODRÉ), Licence Ouverte v2.0"
COLUMNS = ["code", "name", "kind", "voltage_kv", "lat", "lon", "source"]


def rows_of(cleaned) -> list[dict]:
    """The shipped rows of a cleaned substations table, in a fixed order."""
    rows = [
        {
            "code": c,
            "name": n,
            "kind": k,
            "voltage_kv": int(v) if float(v).is_integer() else float(v),
            "lat": round(float(g.y), 5),
            "lon": round(float(g.x), 5),
            "source": SOURCE,
        }
        for c, n, k, v, g in zip(
            cleaned["code"], cleaned["name"], cleaned["kind"], cleaned["voltage_kv"], cleaned.geometry
        )
    ]
    return sorted(rows, key=lambda r: (r["code"], r["lat"], r["lon"], r["name"]))


def build(shared: Path, out: Path, verbose: bool = True) -> dict:
    from impact.sources.rte import clean_substations, read_rte_substations

    raw = read_rte_substations(shared / "grid" / "postes-electriques-rte.utf8.csv")
    cleaned = clean_substations(raw)
    rows = rows_of(cleaned)
    write_csv(out / "substations.csv", COLUMNS, rows, {"lat": 5, "lon": 5})
    kinds = {k: sum(r["kind"] == k for r in rows) for k in ("transformation", "tap", "customer")}
    summary = {
        "read": len(raw),
        "kept": len(rows),
        "dropped": cleaned.attrs["dropped"],
        "kinds": kinds,
        "dropped_voltages": raw.loc[raw["status"].str.upper() == "EN EXPLOITATION"]
        .loc[lambda d: d["voltage_kv"].isna(), "voltage"]
        .value_counts()
        .to_dict(),
    }
    if verbose:
        print(f"{out / 'substations.csv'}: {summary}")
    return summary


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__).parse_args(argv)
    build(args.shared, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
