"""Turns what the readers found into packages to write: descriptors with their CSV files.

Reads the values of the source readers; returns ``PackageFiles``. Column order always follows
the descriptor, so a schema change shows up as a failing validation, not a silent shift.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.importers import cbs_so, descriptors, duo_verzuim, rekenkamer, verschillen
from generator.importers.boundaries import Boundaries
from generator.importers.cbs_so import CbsRows
from generator.importers.referentie import Referentie
from generator.importers.writer import PackageFiles, csv_text

REFERENTIE = "referentie"
CBS_SO = cbs_so.PACKAGE
CLUSTER = "leerlingen-cluster-1-2"
VERZUIM = duo_verzuim.PACKAGE
SWV_DATA = rekenkamer.PACKAGE
BOUNDARIES = "gemeentegrenzen"


def referentie_package(
    tables: Referentie, boundaries: Boundaries | None, vestigingen: Sequence[Sequence[str]]
) -> PackageFiles:
    descriptor = descriptors.descriptor(REFERENTIE)
    rows = {
        "swv": tables.swv,
        "gemeenten": tables.gemeenten,
        "herindelingen": tables.herindelingen,
        "gemeente_swv": tables.gemeente_swv,
        "schoolvestigingen": vestigingen,
    }
    files = {
        f"{name}.csv": csv_text(descriptors.header(descriptor, name), table)
        for name, table in rows.items()
    }
    if boundaries is None:
        descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != BOUNDARIES]
    else:
        resource = descriptors.resource(descriptor, BOUNDARIES)
        resource["description"] += (
            f" Grenzen van {boundaries.year} ({boundaries.label}); een gemeente die daarna is "
            "ontstaan heeft de grenzen van haar voorgangers samen (MultiPolygon)."
        )
        resource["jaar"] = boundaries.year
        files[resource["path"]] = boundaries.geojson
    return PackageFiles(REFERENTIE, descriptor, files)


def cbs_package(rows: CbsRows) -> PackageFiles:
    descriptor = descriptors.descriptor(CBS_SO)
    files = {
        "leerlingen.csv": csv_text(descriptors.header(descriptor, "leerlingen"), rows.source),
        "leerlingen_huidige_gemeenten.csv": csv_text(
            descriptors.header(descriptor, "leerlingen_huidige_gemeenten"), rows.today
        ),
    }
    return PackageFiles(CBS_SO, descriptor, files)


def single_table(name: str, rows: Sequence[Sequence[str]]) -> PackageFiles:
    """A package with one CSV resource (the DUO seed datasets)."""
    descriptor = descriptors.descriptor(name)
    (resource,) = descriptor["resources"]
    files = {resource["path"]: csv_text(descriptors.header(descriptor, resource["name"]), rows)}
    return PackageFiles(name, descriptor, files)


def tables_package(name: str, tables: dict[str, Sequence[Sequence[str]]]) -> PackageFiles:
    """A package with one CSV per resource, named as the resources."""
    descriptor = descriptors.descriptor(name)
    files = {
        descriptors.resource(descriptor, resource)["path"]: csv_text(
            descriptors.header(descriptor, resource), rows
        )
        for resource, rows in tables.items()
    }
    return PackageFiles(name, descriptor, files)


def with_differences(package: PackageFiles) -> PackageFiles:
    """The package with ``verschillen.csv`` listed (the import writes it after comparing)."""
    descriptor = dict(package.descriptor)
    descriptor["resources"] = [*descriptor["resources"], verschillen.resource()]
    return PackageFiles(package.name, descriptor, package.files)
