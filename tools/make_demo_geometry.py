"""Write synthetic gemeente boundaries for the demonstration data: a tile grid per provincie.

Usage: ``python tools/make_demo_geometry.py [--data datapackages] [--scale N]``

The demonstration gemeenten are invented, so their boundaries are too: each current gemeente is
a square tile. The tiles of a provincie form a block placed roughly where that provincie lies,
ordered by po samenwerkingsverband (a gemeente split over two between them) and laid in rows
that run back and forth, so that each region is one patch of touching tiles.

``--scale N`` (for the benchmark's site with N times the entities) spreads the provincies'
centres √N times as far apart: each block grows √N times in each direction, so without the
spread the blocks would overlap and every map would show gemeenten of other provincies around
its own, growing with the site where a real map does not.

The output follows the contract of ``referentie/gemeentegrenzen.geojson`` (WGS84, 4 decimals,
features sorted by code, properties ``gemeente_code`` and ``naam``) and is byte-identical on
every run.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

CENTRES = {
    "Groningen": (6.75, 53.25),
    "Fryslân": (5.75, 53.05),
    "Drenthe": (6.6, 52.85),
    "Overijssel": (6.5, 52.42),
    "Flevoland": (5.6, 52.5),
    "Gelderland": (5.95, 52.02),
    "Utrecht": (5.15, 52.08),
    "Noord-Holland": (4.8, 52.58),
    "Zuid-Holland": (4.45, 51.98),
    "Zeeland": (3.8, 51.5),
    "Noord-Brabant": (5.15, 51.55),
    "Limburg": (5.95, 51.18),
}
"""Roughly where each provincie lies (longitude, latitude)."""

TILE = (0.07, 0.043)
"""Tile width and height in degrees: about 4.8 km square at these latitudes."""


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def centres(scale: int) -> dict[str, tuple[float, float]]:
    """Each provincie's centre, spread √scale times as far from the country's middle."""
    spread = math.sqrt(scale)
    lon = sum(x for x, _ in CENTRES.values()) / len(CENTRES)
    lat = sum(y for _, y in CENTRES.values()) / len(CENTRES)
    return {
        p: (lon + (x - lon) * spread, lat + (y - lat) * spread) for p, (x, y) in CENTRES.items()
    }


def tiles(
    gemeenten: list[dict[str, str]],
    po_swv: dict[str, str],
    scale: int = 1,
    split: frozenset[str] = frozenset(),
) -> list[dict[str, object]]:
    """One tile per gemeente, in blocks per provincie. ``po_swv``: a gemeente's po SWV (for a
    gemeente ``split`` by postcode over two, the later one: it comes first in that SWV's run,
    right after the other SWV's tiles)."""
    placed = centres(scale)
    by_provincie: dict[str, list[dict[str, str]]] = defaultdict(list)
    for gemeente in gemeenten:
        by_provincie[gemeente["provincie"]].append(gemeente)
    features = []
    for provincie, members in sorted(by_provincie.items()):
        members.sort(key=lambda g: (po_swv.get(g["code"], ""), g["code"] not in split, g["code"]))
        columns = math.ceil(math.sqrt(len(members) * 1.4))
        rows = math.ceil(len(members) / columns)
        lon0 = placed[provincie][0] - columns * TILE[0] / 2
        lat0 = placed[provincie][1] + rows * TILE[1] / 2
        for index, gemeente in enumerate(members):
            row, column = divmod(index, columns)
            # rows run back and forth: a region that goes on to the next row continues right
            # below, not at the far side of the block
            if row % 2:
                column = columns - 1 - column
            west, north = lon0 + column * TILE[0], lat0 - row * TILE[1]
            features.append(feature(gemeente, west, north))
    return sorted(features, key=lambda f: str(f["properties"]["gemeente_code"]))  # type: ignore[index]


def feature(gemeente: dict[str, str], west: float, north: float) -> dict[str, object]:
    east, south = west + TILE[0], north - TILE[1]
    ring = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    return {
        "type": "Feature",
        "properties": {"gemeente_code": gemeente["code"], "naam": gemeente["naam"]},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[round(x, 4), round(y, 4)] for x, y in ring]],
        },
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("datapackages"))
    parser.add_argument("--scale", type=int, default=1, help="the data's --scale (make_demo_data)")
    args = parser.parse_args(argv)
    path = args.data / "referentie" / "gemeentegrenzen.geojson"
    text = boundaries(args.data, args.scale)
    path.write_text(text, encoding="utf-8")
    print(f"{path}: {text.count('gemeente_code')} gemeenten")


def boundaries(data: Path, scale: int = 1) -> str:
    """The text of ``referentie/gemeentegrenzen.geojson`` for the data in ``data``."""
    referentie = data / "referentie"
    current = [g for g in read(referentie / "gemeenten.csv") if not g["geldig_tot"]]
    po = [r for r in read(referentie / "gemeente_swv.csv") if r["swv_code"].startswith("PO")]
    po_swv = {r["gemeente_code"]: r["swv_code"] for r in sorted(po, key=lambda r: r["swv_code"])}
    split = frozenset(r["gemeente_code"] for r in po if r["postcodes"])
    features = tiles(current, po_swv, scale, split)
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


if __name__ == "__main__":
    main()
