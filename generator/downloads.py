"""The ``datapackage.json`` beside every set of downloads: exactly the CSVs written there.

Reads the masked tables written beside a page (with their bytes) and the Catalog's metadata;
returns the descriptor as JSON: schema, licence, sources, contributors, version, peildatum,
periode, privacy rule and checksum of each CSV.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from generator.context import TableFile
from generator.model import Catalog, FieldInfo, Package

KEPT_CONSTRAINTS = ("required", "minimum", "maximum", "pattern", "enum")


def datapackage_json(
    name: str, title: str, tables: list[tuple[TableFile, bytes]], catalog: Catalog
) -> str:
    """The descriptor of the CSVs in one folder of the site, as JSON text."""
    packages = [catalog.packages[t.masked.dataset] for t, _ in tables]
    descriptor = {
        "name": name,
        "title": title,
        "licenses": _unique(x for p in packages for x in p.descriptor.get("licenses", [])),
        "sources": _unique(s for p in packages for s in p.descriptor.get("sources", [])),
        "contributors": _unique(c for p in packages for c in p.descriptor.get("contributors", [])),
        "resources": [_resource(t, data, catalog.packages[t.masked.dataset]) for t, data in tables],
    }
    return json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"


def _unique(items: Any) -> list[Any]:
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _resource(table: TableFile, data: bytes, package: Package) -> dict[str, Any]:
    d = package.descriptor
    return {
        "name": table.csv_file.removesuffix(".csv"),
        "path": table.csv_file,
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
        "schema": {
            "fields": [_field(f) for f in table.masked.fields],
            "primaryKey": list(table.masked.key),
            "missingValues": [""],
        },
        "dataset": package.name,
        "version": package.version,
        "peildatum": d.get("peildatum", ""),
        "periode": d.get("periode", ""),
        "privacy": d.get("privacy", {}),
        "demonstratiedata": package.is_demo,
    }


def _field(field: FieldInfo) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "name": field.name,
        "type": field.type,
        "title": field.title,
        "description": field.description,
    }
    constraints = {k: v for k, v in field.constraints.items() if k in KEPT_CONSTRAINTS}
    if constraints:
        descriptor["constraints"] = constraints
    if field.labels:
        cast = int if field.type == "integer" else str
        descriptor["categories"] = [
            {"value": cast(v), "label": label} for v, label in field.labels.items()
        ]
    if field.is_count:
        descriptor["privacy"] = "telling"
    if field.unit:
        descriptor["eenheid"] = field.unit
    if field.rounding:
        descriptor["afronding"] = field.rounding
    return descriptor
