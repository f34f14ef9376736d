"""The import: real source files in, complete data packages out (``python -m generator import``).

``import_sources`` is the map: read each source (one module per source), join them into
packages (``assemble``), validate them and write them atomically (``writer``). A source that is
not in the folder gives no package; the report says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import packages
from generator.importers import (
    assemble,
    boundaries,
    cbs_gemeenten,
    cbs_so,
    descriptors,
    duo,
    duo_cluster,
    duo_verzuim,
    referentie,
    regeling,
    rekenkamer,
    writer,
)
from generator.model import InputError


@dataclass(frozen=True)
class ImportReport:
    """What the import wrote, what it could not write and why, and what it noticed."""

    written: tuple[str, ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...]
    figures: tuple[str, ...]


def import_sources(source: Path, out: Path) -> ImportReport:
    """Reads the source folder; writes every package it can make into ``out``, atomically."""
    if not source.is_dir():
        raise InputError([f"{source}: bronmap bestaat niet"])
    gemeenten = cbs_gemeenten.read(source)
    tables = referentie.referentie(regeling.read(source), gemeenten)
    grenzen = boundaries.read(source, gemeenten)
    cbs = cbs_so.read(source, gemeenten)
    cluster = duo_cluster.read(source, gemeenten, _splits(tables), _peiljaren(assemble.CLUSTER))
    verzuim = duo_verzuim.read(source, gemeenten, _schema(assemble.VERZUIM))
    swv_data = rekenkamer.read(source, [row[0] for row in tables.swv], _schemas(assemble.SWV_DATA))
    made = [assemble.referentie_package(tables, grenzen, cluster.vestigingen if cluster else [])]
    missing = [] if grenzen else [f"referentie/gemeentegrenzen: geen {FOLDERS['geo']}"]
    for name, found in (
        (assemble.CBS_SO, cbs and assemble.cbs_package(cbs)),
        (assemble.CLUSTER, cluster and assemble.single_table(assemble.CLUSTER, cluster.leerlingen)),
        (assemble.VERZUIM, verzuim and assemble.single_table(assemble.VERZUIM, verzuim)),
        (
            assemble.SWV_DATA,
            swv_data and assemble.tables_package(assemble.SWV_DATA, vars(swv_data)),
        ),
    ):
        if found:
            made.append(found)
        else:
            missing.append(f"{name}: geen {FOLDERS[name]}")
    writer.write(out, made, _validate)
    notes = [*gemeenten.notes, *tables.notes]
    notes += [*(grenzen.notes if grenzen else ()), *(cbs.notes if cbs else ())]
    return ImportReport(tuple(p.name for p in made), tuple(missing), tuple(notes), _figures(tables))


FOLDERS = {
    "geo": f"{boundaries.FOLDER}/{boundaries.PATTERN} in de bronmap",
    assemble.CBS_SO: f"{cbs_so.FOLDER}/*.csv in de bronmap",
    assemble.CLUSTER: f"{duo.FOLDER}/{duo_cluster.FOLDER}/*.csv in de bronmap "
    "(referentie/schoolvestigingen blijft leeg)",
    assemble.VERZUIM: f"{duo.FOLDER}/{duo_verzuim.FOLDER}/*.csv in de bronmap",
    assemble.SWV_DATA: f"{duo.FOLDER}/{rekenkamer.FOLDER}/ in de bronmap",
}


def _splits(tables: referentie.Referentie) -> dict[str, set[str]]:
    """Split gemeente → all its PC4 codes (over its parts)."""
    found: dict[str, set[str]] = {}
    for gemeente, _, _, postcodes in tables.gemeente_swv:
        if postcodes:
            found.setdefault(gemeente, set()).update(postcodes.split())
    return found


def _schema(package: str) -> dict[str, Any]:
    (resource,) = descriptors.descriptor(package)["resources"]
    schema: dict[str, Any] = resource["schema"]
    return schema


def _schemas(package: str) -> dict[str, Any]:
    return {r["name"]: r["schema"] for r in descriptors.descriptor(package)["resources"]}


def _peiljaren(package: str) -> tuple[int, int]:
    fields = {f["name"]: f for f in _schema(package)["fields"]}
    constraints = fields["peiljaar"]["constraints"]
    return int(constraints["minimum"]), int(constraints["maximum"])


def _validate(folder: Path) -> None:
    """Frictionless checks every written package, as ``validate`` and ``build`` will."""
    packages.load_catalog(folder)


def _figures(tables: referentie.Referentie) -> tuple[str, ...]:
    sectors = [row[2] for row in tables.swv]
    current = sum(1 for row in tables.gemeenten if not row[4])
    split = len({row[0] for row in tables.gemeente_swv if row[3]})
    return (
        f"{sectors.count('po')} po- en {sectors.count('vo')} vo-samenwerkingsverbanden",
        f"{current} huidige gemeenten, {len(tables.gemeenten) - current} opgeheven, "
        f"{len(tables.herindelingen)} herindelingsregels",
        f"{split} gemeenten per postcode over twee samenwerkingsverbanden verdeeld",
    )
