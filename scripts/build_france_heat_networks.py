#!/usr/bin/env python
"""Build data/france/heat_networks.csv: the heat and cooling networks of the 2026 « arrêté DPE » list,
with their commune's INSEE code, from ../shared/data/heat-networks.

Input: ``<shared>/heat-networks/arrete_dpe_2026_reseaux_chaleur_froid.csv`` (1,086 networks; France
Chaleur Urbaine; Licence Ouverte / Etalab 2.0). The commune is given there by name in capitals
(``localisation``): it is matched to the COG 2026 communes (``<shared>/communes/communes_cog2026_
etalab.csv``) of the network's département (the first two characters of ``identifiant``; 20 covers
2A and 2B) on the normalised name (no accents, case, hyphens or apostrophes; « ST »/« STE » read as
Saint/Sainte; a leading article may be missing). When ``localisation`` names two places (« A - B »),
the first that matches is kept; names of former communes (communes déléguées) match their current
commune; a name that is the beginning of exactly one commune's name in the département matches it
(« EVIAN » is Évian-les-Bains). Unmatched networks are kept with an empty ``commune`` and listed by ``--unmatched``.

Run from the repository root: ``python scripts/build_france_heat_networks.py [SHARED] [-o OUT]``.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _france_common import parser, write_csv

SOURCE = "Arrêté DPE 2026 (contenus CO2 des réseaux de chaleur et de froid), via France Chaleur Urbaine"
COLUMNS = [
    "id",
    "name",
    "kind",
    "dep",
    "localisation",
    "commune",
    "commune_name",
    "co2_kg_per_kwh",
    "co2_lca_kg_per_kwh",
    "renewable_share_pct",
    "reference_year",
    "source",
]
ARTICLES = ("le ", "la ", "les ", "l ")


def norm(text: str) -> str:
    """Matching key of a place name: ASCII lower case, words only, saint(e) spelt out."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    words = [{"st": "saint", "ste": "sainte"}.get(w, w) for w in words if w != "cedex"]
    text = " ".join(words)
    for prefix in ("ville de ", "commune de "):
        text = text.removeprefix(prefix)
    return text


def keys(name: str) -> set[str]:
    k = norm(name)
    out = {k}
    for a in ARTICLES:
        if k.startswith(a):
            out.add(k[len(a) :])
    return out


def commune_index(cog_path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(département key, name key) -> (current code, current name); current communes win over former ones."""
    with open(cog_path, encoding="utf-8", newline="") as f:
        cog = list(csv.DictReader(f))
    current = {r["code"]: r["nom"] for r in cog if r["type"] == "commune-actuelle"}
    index: dict = {}
    for prio in ("commune-actuelle", "commune-deleguee", "commune-associee"):
        for r in cog:
            if r["type"] != prio:
                continue
            code = r["code"] if prio == "commune-actuelle" else r["chefLieu"]
            dep = r["departement"]
            dep_key = "20" if dep in ("2A", "2B") else dep
            for k in keys(r["nom"]):
                index.setdefault((dep_key, k), (code, current.get(code, r["nom"])))
    return index


def match(dep: str, localisation: str, index) -> tuple[str, str]:
    """The commune of ``localisation`` in ``dep``: exact key, else the one commune whose name starts with it."""
    parts = [localisation, *re.split(r"\s+-\s+|\s*/\s*|\s*,\s*|\s+ET\s+", localisation)]
    for part in parts:
        for k in sorted(keys(part)):
            if (dep, k) in index:
                return index[(dep, k)]
    for part in parts:
        for k in sorted(keys(part)):
            found = {v for (d, name), v in index.items() if d == dep and name.startswith(k + " ")}
            if len(found) == 1:
                return found.pop()
    return "", ""


def build(shared: Path, out: Path, verbose: bool = True) -> dict:
    index = commune_index(shared / "communes" / "communes_cog2026_etalab.csv")
    rows = []
    with open(
        shared / "heat-networks" / "arrete_dpe_2026_reseaux_chaleur_froid.csv", encoding="utf-8", newline=""
    ) as f:
        for r in csv.DictReader(f):
            ident = r["identifiant"].strip()
            dep = ident[:2]
            code, cname = match(dep, r["localisation"], index)
            rows.append(
                {
                    "id": ident,
                    "name": r["nom"].strip(),
                    "kind": {"C": "heat", "F": "cooling"}[ident[-1]],
                    "dep": code[:2] if code else dep,
                    "localisation": r["localisation"].strip(),
                    "commune": code,
                    "commune_name": cname,
                    "co2_kg_per_kwh": r["contenu_co2"],
                    "co2_lca_kg_per_kwh": r["contenu_co2_acv"],
                    "renewable_share_pct": r["taux_enrr"],
                    "reference_year": r["annee_reference"],
                    "source": SOURCE,
                }
            )
    rows.sort(key=lambda r: r["id"])
    write_csv(out / "heat_networks.csv", COLUMNS, rows)
    unmatched = [(r["id"], r["localisation"]) for r in rows if not r["commune"]]
    summary = {
        "networks": len(rows),
        "heat": sum(r["kind"] == "heat" for r in rows),
        "cooling": sum(r["kind"] == "cooling" for r in rows),
        "unmatched": unmatched,
    }
    if verbose:
        print(f"{out / 'heat_networks.csv'}: {len(rows)} networks, {len(unmatched)} unmatched")
    return summary


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__)
    p.add_argument("--unmatched", action="store_true", help="list the networks whose commune was not found")
    args = p.parse_args(argv)
    summary = build(args.shared, args.out)
    if args.unmatched:
        for ident, loc in summary["unmatched"]:
            print(ident, loc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
