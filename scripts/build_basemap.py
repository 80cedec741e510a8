#!/usr/bin/env python
"""Build data/basemap/countries.gpkg: the countries around metropolitan France, to name the
foreign land that the maps draw.

Input: ``<shared>/basemap/countries-50m.json`` (Natural Earth 1:50m admin-0 countries, public
domain, as TopoJSON by npm world-atlas 2.0.2, ISC; sha256 in data/france/PROVENANCE.md).

What this script does, and nothing else: it keeps the countries other than France whose
polygons meet BOX (the shipped basemap's box, data/france/PROVENANCE.md, widened by MARGIN
degrees), clips them to that widened box, rounds the coordinates to DECIMALS decimals (Natural
Earth 1:50m is drawn at a few kilometres: the rounding adds at most 6 m), and writes one layer
``countries`` with ``code`` (ISO 3166-1 alpha-2, from world-atlas's numeric ``id``), ``name``
(Natural Earth's English name) and ``source``, sorted by code. The foreign land itself is drawn
from data/france/basemap.gpkg (Natural Earth 1:10m minus IGN's communes); these polygons only
say which country each part belongs to.

Run from the repository root: ``python scripts/build_basemap.py [SHARED] [-o OUT]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _france_common import DEFAULT_SHARED, ROOT, parser, round_coords, write_gpkg

BOX = (-6.0, 41.0, 10.0, 51.6)
MARGIN = 0.5
DECIMALS = 4
#: ISO 3166-1 numeric -> alpha-2, for the countries in the widened box (ISO 3166-1).
ISO_ALPHA2 = {
    "020": "AD",
    "040": "AT",
    "056": "BE",
    "276": "DE",
    "380": "IT",
    "438": "LI",
    "442": "LU",
    "492": "MC",
    "528": "NL",
    "620": "PT",
    "724": "ES",
    "756": "CH",
    "826": "GB",
    "831": "GG",
    "832": "JE",
}
SOURCE = "Natural Earth 1:50m countries (public domain), via world-atlas 2.0.2"
OUT = ROOT / "data" / "basemap"


def build(shared: Path = DEFAULT_SHARED, out: Path = OUT) -> Path:
    import geopandas as gpd
    import numpy as np
    import pyogrio
    import shapely

    x0, y0, x1, y1 = BOX
    box = (x0 - MARGIN, y0 - MARGIN, x1 + MARGIN, y1 + MARGIN)
    c = pyogrio.read_dataframe(shared / "basemap" / "countries-50m.json", layer="countries")
    c = c[(c["name"] != "France") & c.intersects(shapely.box(*box))].copy()
    unknown = sorted(set(c["id"]) - set(ISO_ALPHA2))
    if unknown:
        raise SystemExit(f"no alpha-2 code for ISO numeric {unknown}: add them to ISO_ALPHA2")
    geoms = shapely.clip_by_rect(shapely.make_valid(np.asarray(c.geometry.values)), *box)
    geoms = shapely.make_valid(round_coords(geoms, DECIMALS))
    gdf = gpd.GeoDataFrame(
        {"code": [ISO_ALPHA2[i] for i in c["id"]], "name": list(c["name"]), "source": SOURCE},
        geometry=list(geoms),
        crs="EPSG:4326",
    )
    gdf = gdf[~gdf.geometry.is_empty].sort_values("code").reset_index(drop=True)
    return write_gpkg(out / "countries.gpkg", {"countries": gdf})


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__).parse_args(argv)
    out = args.out if args.out != parser(__doc__).get_default("out") else OUT
    path = build(args.shared, out)
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
