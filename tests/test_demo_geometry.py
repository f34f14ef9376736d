"""The demonstration boundaries: made by ``tools/make_demo_geometry.py``, each region one patch
of tiles, and at ``--scale`` the provincies' blocks apart, as on a real map."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

from tools import make_demo_geometry

SHIPPED = Path(__file__).resolve().parent.parent / "datapackages"
Tile = tuple[float, float]


def test_the_shipped_boundaries_are_exactly_what_the_tool_makes() -> None:
    shipped = SHIPPED / "referentie" / "gemeentegrenzen.geojson"
    assert shipped.read_text(encoding="utf-8") == make_demo_geometry.boundaries(SHIPPED)


def test_every_po_region_is_one_patch_of_touching_tiles() -> None:
    tiles = _tiles(json.loads(make_demo_geometry.boundaries(SHIPPED)))
    with (SHIPPED / "referentie" / "gemeente_swv.csv").open(encoding="utf-8") as handle:
        links = [r for r in csv.DictReader(handle) if r["swv_code"].startswith("PO")]
    regions: dict[str, set[Tile]] = defaultdict(set)
    for link in links:
        if link["gemeente_code"] in tiles:
            regions[link["swv_code"]].add(tiles[link["gemeente_code"]])
    scattered = [swv for swv, patch in regions.items() if not _connected(patch)]
    assert len(regions) > 50
    assert scattered == []


def test_a_larger_country_keeps_its_provincies_apart() -> None:
    gemeenten = [
        {"code": f"GM{p:02d}{i:03d}", "naam": f"Plaats {p} {i}", "provincie": provincie}
        for p, provincie in enumerate(make_demo_geometry.CENTRES)
        for i in range(300)
    ]
    features = make_demo_geometry.tiles(gemeenten, {}, scale=10)
    blocks: dict[str, list[float]] = {}
    provincie = {g["code"]: g["provincie"] for g in gemeenten}
    for feature in features:
        ring = feature["geometry"]["coordinates"][0]  # type: ignore[index]
        block = blocks.setdefault(provincie[feature["properties"]["gemeente_code"]], [])  # type: ignore[index]
        block.extend(coordinate for point in ring for coordinate in point)
    boxes = [(min(b[0::2]), min(b[1::2]), max(b[0::2]), max(b[1::2])) for b in blocks.values()]
    overlapping = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    assert len(boxes) == 12
    assert overlapping == []


def _tiles(collection: dict) -> dict[str, Tile]:
    """Each gemeente's tile by its north-east corner."""
    return {
        f["properties"]["gemeente_code"]: tuple(f["geometry"]["coordinates"][0][2])
        for f in collection["features"]
    }


def _touch(a: Tile, b: Tile) -> bool:
    """Whether two tiles share a side (corners rounded to 4 decimals: a small tolerance)."""
    width, height = make_demo_geometry.TILE
    dx, dy = abs(a[0] - b[0]), abs(a[1] - b[1])
    return (abs(dx - width) < 1e-3 and dy < 1e-3) or (dx < 1e-3 and abs(dy - height) < 1e-3)


def _connected(patch: set[Tile]) -> bool:
    start = next(iter(patch))
    seen, todo = {start}, [start]
    while todo:
        tile = todo.pop()
        for near in patch - seen:
            if _touch(tile, near):
                seen.add(near)
                todo.append(near)
    return seen == patch
