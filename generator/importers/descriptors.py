"""The descriptors of imported packages: schemas as shipped, metadata of the real sources.

The schema of a package that also ships as demonstration data is taken from
``datapackages/<name>/datapackage.json`` (one schema for both, so the pipeline reads either);
``metadata/<name>.json`` replaces the package-level metadata, adjusts resource and field
descriptions (``resourceChanges``) and adds resources (``extraResources``). A package that only
exists as imported data has its whole descriptor in ``metadata/<name>.json``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from generator.config import ROOT

SHIPPED = ROOT / "datapackages"
METADATA = Path(__file__).resolve().parent / "metadata"
DEMO_ONLY = ("demonstratiedata",)


def descriptor(name: str) -> dict[str, Any]:
    """The descriptor of imported package ``name`` (not marked as demonstration data)."""
    changes = _json(METADATA / f"{name}.json") if (METADATA / f"{name}.json").exists() else {}
    shipped = SHIPPED / name / "datapackage.json"
    if not shipped.exists():
        return changes
    result = {k: v for k, v in _json(shipped).items() if k not in DEMO_ONLY}
    resource_changes = changes.pop("resourceChanges", {})
    extra = changes.pop("extraResources", [])
    result.update(copy.deepcopy(changes))
    for resource in result["resources"]:
        _change(resource, resource_changes.get(resource["name"], {}))
    replaced = {r["name"] for r in extra}  # e.g. the demo boundaries, by the real ones
    kept = [r for r in result["resources"] if r["name"] not in replaced]
    result["resources"] = kept + copy.deepcopy(extra)
    return result


def _change(resource: dict[str, Any], changes: dict[str, Any]) -> None:
    if "description" in changes:
        resource["description"] = changes["description"]
    for field in resource.get("schema", {}).get("fields", []):
        if field["name"] in changes.get("fields", {}):
            field["description"] = changes["fields"][field["name"]]


def _json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def resource(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    """The resource called ``name`` of a descriptor."""
    for item in descriptor["resources"]:
        if item["name"] == name:
            found: dict[str, Any] = item
            return found
    raise KeyError(name)


def header(descriptor: dict[str, Any], name: str) -> list[str]:
    """The column names of a resource, in schema order."""
    return [f["name"] for f in resource(descriptor, name)["schema"]["fields"]]
