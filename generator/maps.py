"""Maps: where SWV regions and gemeenten lie, as Altair geoshape charts from the boundaries.

Reads ``referentie/gemeentegrenzen.geojson`` (when the package has it) and the Regions; adds
map charts to the home page (every SWV region, po and vo), to each SWV page (its gemeenten,
split ones marked) and to each gemeente page (where it lies in its SWV). Maps show names and
codes only, never a count; the audit checks that their data holds nothing else.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np

from generator import config
from generator.charts import PALETTE, TEXT_COLOUR
from generator.context import MapFile, Page
from generator.model import Catalog, Chart, InputError, Regions

RESOURCE = "gemeentegrenzen"
MAP_KIND = "kaart"
PROPERTIES = frozenset({"gemeente_code", "naam", "rol", "kleur"})
"""Everything a map's data may hold besides geometry: names, codes and roles, no counts."""

REGION_ROLES = ("in deze regio", "deels in deze regio (per postcode)", "andere gemeente")
GEMEENTE_ROLES = ("deze gemeente", "zelfde samenwerkingsverband po", "andere gemeente")
ROLE_COLOURS = ("#1f5a96", "#b3471b", "#d6d6d6")
ROLE_COLOUR_NAMES = ("blauw", "oranje", "grijs")
"""How a map's text alternative names ``ROLE_COLOURS``, role by role."""
CONTEXT_MARGIN = 0.25
"""Around a region, the map shows the gemeenten within this share of its size."""

Box = tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True)
class Shape:
    """One gemeente's boundary: a GeoJSON geometry (exterior rings clockwise) and its box."""

    geometry: Mapping[str, Any]
    box: Box


def boundaries(data_dir: Path, catalog: Catalog) -> dict[str, Shape]:
    """The gemeente boundaries by code; empty when the referentie package has none."""
    reference = catalog.packages[config.REFERENCE_PACKAGE].descriptor
    found = [r for r in reference.get("resources", []) if r.get("name") == RESOURCE]
    if not found:
        return {}
    path = data_dir / config.REFERENCE_PACKAGE / str(found[0]["path"])
    where = f"{config.REFERENCE_PACKAGE}/{found[0]['path']}"
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        features = collection["features"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError([f"{where}: geen GeoJSON FeatureCollection ({error})"]) from error
    return dict(_shape(where, index, feature) for index, feature in enumerate(features, 1))


def _shape(where: str, index: int, feature: Any) -> tuple[str, Shape]:
    try:
        code = str(feature["properties"]["gemeente_code"])
        geometry = feature["geometry"]
        polygons = _polygons(geometry)
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(
            [f"{where}, feature {index}: ongeldige gemeentegrens ({error})"]
        ) from error
    oriented = {"type": "MultiPolygon", "coordinates": [_oriented(p) for p in polygons]}
    return code, Shape(oriented, _box(oriented))


def _polygons(geometry: Mapping[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"type {geometry['type']} is geen (Multi)Polygon")


def _oriented(polygon: list[list[list[float]]]) -> list[list[list[float]]]:
    """Exterior ring clockwise, holes counter-clockwise: the winding Vega's d3-geo expects
    (the opposite of RFC 7946; the wrong winding fills the whole globe)."""
    return [ring if (_area(ring) < 0) == (i == 0) else ring[::-1] for i, ring in enumerate(polygon)]


def _area(ring: list[list[float]]) -> float:
    """Twice the signed area in the lon/lat plane: positive when counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in itertools.pairwise(ring))


def with_maps(
    plan: Iterable[Page], regions: Regions, shapes: Mapping[str, Shape]
) -> Iterator[Page]:
    """The site plan with a map on the home page and on every SWV and gemeente page."""
    return placed(plan, site_maps(regions, shapes))


def site_maps(regions: Regions, shapes: Mapping[str, Shape]) -> dict[str, tuple[MapFile, ...]]:
    """The maps of the home page and of every SWV and gemeente page, by page URL."""
    if not shapes:
        return {}
    made = {"": _national_maps(regions, shapes)}
    boxes = _Boxes.of([g for g in shapes if g in regions.gemeenten], shapes)
    made |= {
        config.swv_url(code): (_swv_map(code, regions, shapes, boxes),) for code in regions.swvs
    }
    made |= {
        config.gemeente_url(code): (_gemeente_map(code, regions, shapes, boxes),)
        for code in regions.gemeenten
    }
    return {url: tuple(m for m in maps if m) for url, maps in made.items()}


def placed(plan: Iterable[Page], made: Mapping[str, tuple[MapFile, ...]]) -> Iterator[Page]:
    """The site plan with the maps of ``site_maps`` on their pages, page by page."""
    return (replace(page, maps=made[page.url]) if page.url in made else page for page in plan)


def _national_maps(regions: Regions, shapes: Mapping[str, Shape]) -> tuple[MapFile | None, ...]:
    return tuple(_national_map(sector, regions, shapes) for sector in ("po", "vo"))


def _national_map(sector: str, regions: Regions, shapes: Mapping[str, Shape]) -> MapFile | None:
    swv_of = {
        m.gemeente: m.swv
        for m in sorted(regions.memberships, key=lambda m: m.swv, reverse=True)
        if regions.swvs[m.swv].sector == sector
    }
    colours = _colouring(swv_of, shapes)
    features = [
        _feature(code, shapes, f"{swv_of[code]} · {regions.gemeenten[code].naam}", colours[code])
        for code in sorted(shapes)
        if code in swv_of and code in regions.gemeenten
    ]
    if not features:
        return None
    label = "primair" if sector == "po" else "voortgezet"
    title = f"Samenwerkingsverbanden {sector}"
    count = len({m.swv for m in regions.memberships if regions.swvs[m.swv].sector == sector})
    description = (
        f"Kaart van Nederland met de {count} samenwerkingsverbanden {label} onderwijs: elke "
        "gemeente heeft de kleur van haar samenwerkingsverband; buren hebben een andere kleur. "
        "Een gemeente die per postcode over twee samenwerkingsverbanden verdeeld is, heeft de "
        "kleur van één van beide. De lijst hieronder noemt alle samenwerkingsverbanden."
    )
    spec = _spec(_national_template(title), features, description)
    return MapFile(Chart(f"kaart-{sector}", title, description, spec, None), f"kaart-{sector}")


def _colouring(swv_of: Mapping[str, str], shapes: Mapping[str, Shape]) -> dict[str, int]:
    """A colour per gemeente such that SWVs whose gemeenten touch (by box) differ, if the
    palette allows: greedy, in code order, so the same input gives the same colours."""
    boxes: dict[str, list[Box]] = {}
    for gemeente, swv in swv_of.items():
        if gemeente in shapes:
            boxes.setdefault(swv, []).append(shapes[gemeente].box)
    every = _Boxes.of([g for g in swv_of if g in shapes], shapes)
    colour: dict[str, int] = {}
    for swv in sorted(boxes):
        near = {swv_of[g] for box in boxes[swv] for g in every.touching(box)}
        taken = {colour[other] for other in near if other in colour}
        free = [c for c in range(len(PALETTE)) if c not in taken]
        colour[swv] = free[0] if free else len(colour) % len(PALETTE)
    return {gemeente: colour[swv] for gemeente, swv in swv_of.items() if swv in colour}


def _swv_map(
    code: str, regions: Regions, shapes: Mapping[str, Shape], boxes: _Boxes
) -> MapFile | None:
    members = {m.gemeente: bool(m.postcodes) for m in regions.gemeenten_of(code)}
    inside = [g for g in members if g in shapes]
    if not inside:
        return None
    roles = {g: REGION_ROLES[1] if members[g] else REGION_ROLES[0] for g in inside}
    features = _with_context(roles, shapes, regions, boxes, REGION_ROLES[2])
    split = sum(1 for g in inside if members[g])
    description = (
        f"Kaart van de regio van {code}: {len(inside)} "
        f"{'gemeente' if len(inside) == 1 else 'gemeenten'} in {ROLE_COLOUR_NAMES[0]}"
        + (f", waarvan {split} deels (per postcode) in {ROLE_COLOUR_NAMES[1]}" if split else "")
        + f", met de omliggende gemeenten in {ROLE_COLOUR_NAMES[2]}."
    )
    spec = _spec(_role_template(REGION_ROLES, "De regio op de kaart"), features, description)
    return MapFile(Chart(f"kaart-{code}", "De regio op de kaart", description, spec, None), "kaart")


def _gemeente_map(
    code: str, regions: Regions, shapes: Mapping[str, Shape], boxes: _Boxes
) -> MapFile | None:
    if code not in shapes:
        return None
    po = [m.swv for m in regions.swvs_of(code) if regions.swvs[m.swv].sector == "po"]
    roles = {g.gemeente: GEMEENTE_ROLES[1] for swv in po for g in regions.gemeenten_of(swv)}
    roles = {g: role for g, role in roles.items() if g in shapes} | {code: GEMEENTE_ROLES[0]}
    features = _with_context(roles, shapes, regions, boxes, GEMEENTE_ROLES[2])
    naam = regions.gemeenten[code].naam
    description = (
        f"Kaart: {naam} in {ROLE_COLOUR_NAMES[0]}, de andere gemeenten van "
        f"{' en '.join(po) or 'haar'} samenwerkingsverband po in {ROLE_COLOUR_NAMES[1]} "
        f"en de omliggende gemeenten in {ROLE_COLOUR_NAMES[2]}."
    )
    spec = _spec(_role_template(GEMEENTE_ROLES, "Waar de gemeente ligt"), features, description)
    return MapFile(
        Chart(f"kaart-{code}", "Waar de gemeente ligt", description, spec, None), "kaart"
    )


def _with_context(
    roles: Mapping[str, str],
    shapes: Mapping[str, Shape],
    regions: Regions,
    boxes: _Boxes,
    other: str,
) -> list[dict[str, Any]]:
    """The features of ``roles`` plus the gemeenten around them, in code order."""
    west, south, east, north = _union(shapes[g].box for g in roles)
    dx, dy = (east - west) * CONTEXT_MARGIN + 0.02, (north - south) * CONTEXT_MARGIN + 0.02
    codes = boxes.touching((west - dx, south - dy, east + dx, north + dy))
    return [
        _feature(g, shapes, regions.gemeenten[g].naam, roles.get(g, other))
        for g in sorted(codes | set(roles))
    ]


@dataclass(frozen=True)
class _Boxes:
    """The boxes of gemeenten in one array: a map finds the gemeenten around its own in one
    comparison, not in one per gemeente of the country."""

    codes: tuple[str, ...]
    boxes: np.ndarray  # one row per code: west, south, east, north

    @classmethod
    def of(cls, codes: list[str], shapes: Mapping[str, Shape]) -> _Boxes:
        boxes = np.array([shapes[g].box for g in codes], dtype=float).reshape(-1, 4)
        return cls(tuple(codes), boxes)

    def touching(self, box: Box) -> set[str]:
        """The gemeenten whose box touches ``box`` (edges that meet count)."""
        west, south, east, north = self.boxes.T
        hit = (west <= box[2]) & (box[0] <= east) & (south <= box[3]) & (box[1] <= north)
        return {self.codes[i] for i in np.flatnonzero(hit)}


MIN_HEIGHT, MAX_HEIGHT = 160, 480
"""A map is as high as its area needs at its width, within these bounds (pixels)."""


def _mercator(latitude: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))


def _box(geometry: Mapping[str, Any]) -> Box:
    points = [p for polygon in geometry["coordinates"] for ring in polygon for p in ring]
    return (
        min(p[0] for p in points),
        min(p[1] for p in points),
        max(p[0] for p in points),
        max(p[1] for p in points),
    )


def _union(boxes: Any) -> Box:
    boxes = list(boxes)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _feature(code: str, shapes: Mapping[str, Shape], naam: str, role: str | int) -> dict[str, Any]:
    key = "kleur" if isinstance(role, int) else "rol"
    return {
        "type": "Feature",
        "properties": {"gemeente_code": code, "naam": naam, key: role},
        "geometry": shapes[code].geometry,
    }


def _spec(
    template: dict[str, Any], features: list[dict[str, Any]], description: str
) -> dict[str, Any]:
    spec = copy.deepcopy(template)
    west, south, east, north = _union(_box(f["geometry"]) for f in features)
    aspect = (_mercator(north) - _mercator(south)) / max(math.radians(east - west), 1e-9)
    spec["height"] = min(MAX_HEIGHT, max(MIN_HEIGHT, round(spec["width"] * aspect)))
    spec["data"] = {"values": features}
    spec["description"] = description
    spec["usermeta"] = {"soort": MAP_KIND}
    return spec


@functools.cache
def _role_template(roles: tuple[str, ...], title: str) -> dict[str, Any]:
    chart = (
        alt.Chart(alt.Data(values=[]), title=title)
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.6)
        .encode(
            color=alt.Color(
                "properties.rol",
                type="nominal",
                title=None,
                scale=alt.Scale(domain=list(roles), range=list(ROLE_COLOURS)),
                legend=alt.Legend(orient="bottom", columns=1),
            ),
            tooltip=[
                alt.Tooltip("properties.naam", type="nominal", title="Gemeente"),
                alt.Tooltip("properties.rol", type="nominal", title="Op de kaart"),
            ],
        )
        .project(type="mercator")
        .properties(width=420, height=360)
    )
    return _without_data(chart)


@functools.cache
def _national_template(title: str) -> dict[str, Any]:
    chart = (
        alt.Chart(alt.Data(values=[]), title=title)
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.3)
        .encode(
            color=alt.Color(
                "properties.kleur",
                type="nominal",
                scale=alt.Scale(domain=list(range(len(PALETTE))), range=list(PALETTE)),
                legend=None,
            ),
            tooltip=[alt.Tooltip("properties.naam", type="nominal", title="SWV · gemeente")],
        )
        .project(type="mercator")
        .properties(width=300, height=360)
    )
    return _without_data(chart)


def _without_data(chart: alt.Chart) -> dict[str, Any]:
    chart = chart.configure_legend(labelColor=TEXT_COLOUR).configure_title(color=TEXT_COLOUR)
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec.pop("datasets", None)
    return spec
