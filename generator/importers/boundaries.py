"""Gemeente boundaries for maps, from the CBS/PDOK GeoJSON (``geo/gemeenten_<jaar>_*.geojson``).

Reads a FeatureCollection in WGS84 with ``gemeentecode`` (``GM0014``) on each feature; returns
today's gemeenten as a compact FeatureCollection: coordinates rounded to 4 decimals (about 10
m), features sorted by code, properties exactly ``gemeente_code`` and ``naam``. A gemeente formed
after the file's year gets the shapes of the gemeenten it was formed from, as one MultiPolygon.
Features of codes CBS does not list (``GM0998 Buitenland``) are left out, with a note.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.importers.cbs_gemeenten import Gemeentelijst
from generator.importers.reading import read_text
from generator.model import InputError

FOLDER = "geo"
PATTERN = "gemeenten_*.geojson"
DECIMALS = 4

Polygon = list[list[list[float]]]


@dataclass(frozen=True)
class Boundaries:
    geojson: str
    year: int
    label: str
    notes: tuple[str, ...]


def read(source: Path, gemeenten: Gemeentelijst) -> Boundaries | None:
    """The newest boundary file under ``source/geo``, or None when there is none."""
    paths = sorted((source / FOLDER).glob(PATTERN))
    if not paths:
        return None
    path = paths[-1]
    label = f"{FOLDER}/{path.name}"
    year = _year(path.name, label)
    shapes, notes = _shapes(_features(path, label), label, gemeenten)
    features, missing = _current(shapes, gemeenten)
    notes += [f"{label}: geen grens voor {code} ({gemeenten.names[code]})" for code in missing]
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"
    return Boundaries(text, year, label, tuple(notes))


def _year(name: str, label: str) -> int:
    match = re.search(r"(19|20)[0-9]{2}", name)
    if not match:
        raise InputError([f"{label}: geen jaartal in de bestandsnaam (gemeenten_<jaar>_…)"])
    return int(match.group())


def _features(path: Path, label: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(read_text(path, label, ("utf-8-sig",)))
    except json.JSONDecodeError as error:
        raise InputError(
            [f"{label}, regel {error.lineno}: geen geldige JSON ({error.msg})"]
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError([f"{label}: geen GeoJSON FeatureCollection"])
    features = data.get("features")
    if not isinstance(features, list):
        raise InputError([f"{label}: 'features' ontbreekt"])
    return features


def _shapes(
    features: list[Any], label: str, gemeenten: Gemeentelijst
) -> tuple[dict[str, list[Polygon]], list[str]]:
    shapes: dict[str, list[Polygon]] = defaultdict(list)
    notes, errors = [], []
    for number, feature in enumerate(features, start=1):
        where = f"{label}, feature {number}"
        code = str((feature.get("properties") or {}).get("gemeentecode", ""))
        geometry = feature.get("geometry") or {}
        if not re.fullmatch(r"GM[0-9]{4}", code):
            errors.append(f"{where}, kolom 'gemeentecode': {code!r} is geen gemeentecode")
        elif geometry.get("type") not in ("Polygon", "MultiPolygon"):
            errors.append(f"{where}: geometrie {geometry.get('type')!r} is geen (Multi)Polygon")
        elif code not in gemeenten.years:
            notes.append(f"{where}: {code} is geen gemeente in de CBS-lijsten; weggelaten")
        else:
            shapes[code] += _polygons(geometry)
    if errors:
        raise InputError(errors)
    return shapes, notes


def _polygons(geometry: dict[str, Any]) -> list[Polygon]:
    parts = geometry["coordinates"]
    polygons = [parts] if geometry["type"] == "Polygon" else parts
    rounded = [[_ring(ring) for ring in polygon] for polygon in polygons]
    return [[r for r in p if len(r) >= 4] for p in rounded if len(p[0]) >= 4]


def _ring(ring: list[list[float]]) -> list[list[float]]:
    points: list[list[float]] = []
    for point in ring:
        rounded = [round(float(point[0]), DECIMALS), round(float(point[1]), DECIMALS)]
        if not points or rounded != points[-1]:
            points.append(rounded)
    return points


def _current(
    shapes: dict[str, list[Polygon]], gemeenten: Gemeentelijst
) -> tuple[list[dict[str, Any]], list[str]]:
    """One feature per current gemeente: its own shape, or the union of its predecessors'."""
    parts: dict[str, list[Polygon]] = defaultdict(list)
    for code, polygons in shapes.items():
        successors = gemeenten.successors(code)
        if len(successors) == 1:
            parts[successors[0]] += polygons
    features, missing = [], []
    for code in gemeenten.current():
        if not parts.get(code):
            missing.append(code)
            continue
        features.append(_feature(code, gemeenten.names[code], parts[code]))
    return features, missing


def _feature(code: str, naam: str, polygons: list[Polygon]) -> dict[str, Any]:
    geometry: dict[str, Any] = (
        {"type": "Polygon", "coordinates": polygons[0]}
        if len(polygons) == 1
        else {"type": "MultiPolygon", "coordinates": polygons}
    )
    properties = {"gemeente_code": code, "naam": naam}
    return {"type": "Feature", "properties": properties, "geometry": geometry}
