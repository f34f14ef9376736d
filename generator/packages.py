"""Stage 1, packages: read and validate the data packages.

Reads the ``datapackage.json`` files under a data folder; returns a ``Catalog`` of typed frames,
or raises ``InputError`` with one line per problem (package, file, line, column, rule broken).
Frictionless checks every resource against its Table Schema; foreign keys into the ``referentie``
package are checked by giving frictionless the referenced rows as inline lookup tables.
A build reads large data while frictionless checks it in a process of its own
(``checked_meanwhile``): the checks take most of this stage, and the build's next stages need
only one core.
"""

from __future__ import annotations

import contextlib
import copy
import json
import multiprocessing
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from frictionless import Package as FrictionlessPackage
from frictionless import Report

from generator.config import REFERENCE_PACKAGE
from generator.model import Catalog, FieldInfo, InputError, Package, Resource

DESCRIPTOR = "datapackage.json"
ASIDE_FROM_BYTES = 1_000_000
"""From this many bytes of CSV on, ``checked_meanwhile`` validates in a process of its own
(the shipped data: 2.8 MB, 3.5 s of checks); below it, starting that process costs more than
the checks."""


def load_catalog(data_dir: Path) -> Catalog:
    """Reads every data package under ``data_dir``; returns them validated and typed."""
    return _checked_first(data_dir, read_descriptors(data_dir))


@contextlib.contextmanager
def checked_meanwhile(data_dir: Path, aside: bool = True) -> Iterator[Catalog]:
    """The packages under ``data_dir``, typed, for a block that works on them while frictionless
    validates them beside it (large data only, and only when ``aside``; else they are
    validated first).

    Leaving the block waits for the checks and raises their problems as ``InputError``, also in
    place of an error the block ran into on the bad data: nothing made in the block outlives
    it unless the data was valid.
    """
    descriptors = read_descriptors(data_dir)
    if not aside or _csv_bytes(data_dir, descriptors) < ASIDE_FROM_BYTES:
        yield _checked_first(data_dir, descriptors)
        return
    with _Validation(data_dir, descriptors) as checks:
        try:
            yield _catalog(data_dir, descriptors)
        except Exception:
            _raise_if_any(checks.errors())
            raise
        _raise_if_any(checks.errors())


class _Validation:
    """``validation_errors`` run in a process of its own, which ends once it has answered."""

    def __init__(self, data_dir: Path, descriptors: dict[str, dict[str, Any]]) -> None:
        self._arguments = (data_dir, descriptors)
        spawn = multiprocessing.get_context("spawn")  # not a fork of a process holding data
        self._answer, self._sender = spawn.Pipe(duplex=False)
        self._process = spawn.Process(
            target=_validate_into, args=(self._sender, *self._arguments), daemon=True
        )

    def __enter__(self) -> _Validation:
        self._process.start()
        self._sender.close()  # the child has its own: a child that dies unanswered ends recv
        return self

    def errors(self) -> list[str]:
        """The problems found; checked here instead when the process ended without answering."""
        try:
            found: list[str] = self._answer.recv()
        except EOFError:
            found = list(validation_errors(*self._arguments))
        return found

    def __exit__(self, *exc: object) -> None:
        self._answer.close()
        self._process.join(timeout=1)
        if self._process.is_alive():  # left early (an interrupt): the checks are not needed
            self._process.terminate()
            self._process.join()


def _validate_into(answer: Any, data_dir: Path, descriptors: dict[str, dict[str, Any]]) -> None:
    with answer:
        answer.send(list(validation_errors(data_dir, descriptors)))


def _checked_first(data_dir: Path, descriptors: Mapping[str, dict[str, Any]]) -> Catalog:
    _raise_if_any(list(validation_errors(data_dir, descriptors)))
    return _catalog(data_dir, descriptors)


def _raise_if_any(errors: list[str]) -> None:
    if errors:
        raise InputError(errors)


def _catalog(data_dir: Path, descriptors: Mapping[str, dict[str, Any]]) -> Catalog:
    return Catalog({name: _package(name, d, data_dir / name) for name, d in descriptors.items()})


def _csv_bytes(data_dir: Path, descriptors: Mapping[str, dict[str, Any]]) -> int:
    paths = (
        data_dir / name / r["path"]
        for name, d in descriptors.items()
        for r in d.get("resources", [])
        if is_table(r) and isinstance(r.get("path"), str)  # the checks report a bad descriptor
    )
    return sum(path.stat().st_size for path in paths if path.is_file())


def read_descriptors(data_dir: Path) -> dict[str, dict[str, Any]]:
    """Reads each ``<package>/datapackage.json``; raises ``InputError`` on unreadable ones."""
    if not data_dir.is_dir():
        raise InputError([f"{data_dir}: map met datapakketten bestaat niet"])
    found = sorted(data_dir.glob(f"*/{DESCRIPTOR}"))
    descriptors: dict[str, dict[str, Any]] = {}
    errors: list[str] = []
    for path in found:
        try:
            descriptors[path.parent.name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            errors.append(f"{path.parent.name}/{DESCRIPTOR}: onleesbaar: {error}")
    if REFERENCE_PACKAGE not in descriptors and not errors:
        errors.append(f"{data_dir}: het pakket {REFERENCE_PACKAGE!r} ontbreekt")
    if errors:
        raise InputError(errors)
    return descriptors


def validation_errors(data_dir: Path, descriptors: Mapping[str, dict[str, Any]]) -> Iterator[str]:
    """Yields one line per problem in any resource of any package."""
    reference = descriptors[REFERENCE_PACKAGE]
    for name, descriptor in descriptors.items():
        lookups = (
            {}
            if name == REFERENCE_PACKAGE
            else _lookup_resources(descriptor, reference, data_dir / REFERENCE_PACKAGE)
        )
        yield from _package_errors(name, descriptor, data_dir / name, lookups)


def _package_errors(
    name: str, descriptor: dict[str, Any], folder: Path, lookups: dict[str, dict[str, Any]]
) -> Iterator[str]:
    combined = copy.deepcopy(descriptor)
    for resource in combined.get("resources", []):
        for key in resource.get("schema", {}).get("foreignKeys", []):
            key["reference"].pop("package", None)
    combined["resources"] = combined.get("resources", []) + list(lookups.values())
    try:
        package = FrictionlessPackage(combined, basepath=str(folder))
    except Exception as error:  # frictionless raises its own errors for bad descriptors
        yield f"{name}/{DESCRIPTOR}: ongeldige beschrijving: {error}"
        return
    for resource_descriptor in filter(is_table, descriptor.get("resources", [])):
        resource = package.get_resource(resource_descriptor["name"])
        yield from _report_lines(name, resource_descriptor["path"], resource.validate())


def _report_lines(package: str, path: str, report: Report) -> Iterator[str]:
    for task in report.tasks:
        for error in task.errors:
            yield f"{package}/{path}{_where(error)}: {_rule(error)}"
    for error in report.errors:
        yield f"{package}/{path}: {_rule(error)}"


def _where(error: Any) -> str:
    parts = []
    row = getattr(error, "row_number", None)
    if row is not None:
        parts.append(f"regel {row}")
    names = getattr(error, "field_names", None) or [getattr(error, "field_name", None)]
    names = [n for n in names if n]
    if names:
        parts.append("kolom " + ", ".join(names))
    return ", " + ", ".join(parts) if parts else ""


_RULES = {
    "type-error": "waarde {cell!r} heeft niet het type van de kolom ({note})",
    "constraint-error": "waarde {cell!r} breekt een regel van de kolom ({note})",
    "primary-key": "dubbele sleutel: {note}",
    "unique-error": "dubbele waarde: {note}",
    "missing-cell": "ontbrekende waarde (rij te kort)",
    "extra-cell": "te veel waarden in de rij",
    "missing-label": "kolom ontbreekt in de kop ({note})",
    "extra-label": "onbekende kolom in de kop ({note})",
    "incorrect-label": "kolomnaam klopt niet met het schema ({note})",
    "blank-row": "lege rij",
}


def _rule(error: Any) -> str:
    if error.type == "foreign-key":
        values = ", ".join(str(v) for v in error.field_cells)
        target = f"{REFERENCE_PACKAGE}/{error.reference_name}.csv, kolom "
        return (
            f"onbekende code {values}: staat niet in {target}"
            + ", ".join(error.reference_field_names)
            + " [foreign-key]"
        )
    template = _RULES.get(error.type)
    if template is None:
        return f"{error.title}: {error.note} ({error.type})"
    return template.format(cell=getattr(error, "cell", ""), note=error.note) + f" [{error.type}]"


def _lookup_resources(
    descriptor: dict[str, Any], reference: dict[str, Any], base: Path
) -> dict[str, dict[str, Any]]:
    """The referentie resources this package's foreign keys point to, as inline data."""
    wanted = {
        key["reference"]["resource"]
        for resource in descriptor.get("resources", [])
        for key in resource.get("schema", {}).get("foreignKeys", [])
        if key["reference"].get("package") == REFERENCE_PACKAGE
    }
    lookups = {}
    for resource in reference.get("resources", []):
        if resource["name"] in wanted:
            rows = _read_rows(base / resource["path"])
            lookups[resource["name"]] = {
                "name": resource["name"],
                "data": rows,
                "schema": {"fields": [{"name": n, "type": "string"} for n in rows[0]]},
            }
    return lookups


def _read_rows(path: Path) -> list[list[str]]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return [list(frame.columns), *frame.to_numpy().tolist()]


def _package(name: str, descriptor: dict[str, Any], folder: Path) -> Package:
    resources = {r["name"]: _resource(r, folder) for r in descriptor["resources"] if is_table(r)}
    return Package(name=name, descriptor=descriptor, resources=resources)


def is_table(resource: Mapping[str, Any]) -> bool:
    """Tabular resources have a Table Schema; others (``gemeentegrenzen.geojson``) are files
    the pages use as they are, so the table checks and frames skip them."""
    return "schema" in resource


def _resource(descriptor: dict[str, Any], folder: Path) -> Resource:
    schema = descriptor["schema"]
    fields = tuple(field_info(f) for f in schema["fields"])
    derived = tuple(field_info(f, derived=True) for f in descriptor.get("derivedFields", []))
    raw = pd.read_csv(folder / descriptor["path"], dtype=str, keep_default_na=False)
    frame = pd.DataFrame({f.name: typed_column(raw[f.name], f.type) for f in fields})
    return Resource(
        name=descriptor["name"],
        title=descriptor.get("title", descriptor["name"]),
        description=descriptor.get("description", ""),
        fields=fields,
        derived=derived,
        primary_key=tuple(schema.get("primaryKey", ())),
        frame=frame,
        path=descriptor["path"],
        notes=dict(descriptor.get("toelichting", {})),
    )


def field_info(descriptor: Mapping[str, Any], derived: bool = False) -> FieldInfo:
    """A Table Schema field descriptor (plus our ``privacy`` and ``inputs``) as ``FieldInfo``."""
    categories = descriptor.get("categories", [])
    return FieldInfo(
        name=descriptor["name"],
        type=descriptor.get("type", "string"),
        title=descriptor.get("title", descriptor["name"]),
        description=descriptor.get("description", ""),
        is_count=descriptor.get("privacy") == "telling",
        derived=derived,
        inputs=tuple(descriptor.get("inputs", ())),
        constraints=dict(descriptor.get("constraints", {})),
        labels={str(c["value"]): c.get("label", str(c["value"])) for c in categories},
        unit=descriptor.get("eenheid", ""),
        terms={str(k): int(v) for k, v in descriptor.get("termen", {}).items()},
        rounding=int(descriptor.get("afronding", 0)),
    )


def typed_column(values: pd.Series, kind: str) -> pd.Series:
    """Converts validated CSV text to the pandas type of a Table Schema type."""
    blank = values == ""
    if kind in ("integer", "year"):
        return pd.to_numeric(values.mask(blank)).astype("Int64")
    if kind == "number":
        return pd.to_numeric(values.mask(blank)).astype("Float64")
    if kind == "boolean":
        return values.mask(blank).map({"true": True, "false": False}).astype("boolean")
    return values.astype(str)
