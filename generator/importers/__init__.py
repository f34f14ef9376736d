"""The import: real source files in, complete data packages out (``python -m generator import``).

``import_sources`` is the map: read each source (one module per source), join them into
packages (``assemble``), validate them, compare what the sources give of our derived values
with what the pipeline derives (``verschillen``) and write them atomically (``writer``). A
source that is not in the folder gives no package; the report says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import derive, packages
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
    verschillen,
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
    differences: verschillen.Outcome = field(default_factory=verschillen.Outcome.none)


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
    swv_data = rekenkamer.read(
        source, [row[0] for row in tables.swv], _schemas(assemble.SWV_DATA), _kenmerken_derived()
    )
    made = [assemble.referentie_package(tables, grenzen, cluster.vestigingen if cluster else [])]
    missing = [] if grenzen else [f"referentie/gemeentegrenzen: geen {FOLDERS['geo']}"]
    for name, found in (
        (assemble.CBS_SO, cbs and assemble.cbs_package(cbs)),
        (assemble.CLUSTER, cluster and assemble.single_table(assemble.CLUSTER, cluster.leerlingen)),
        (assemble.VERZUIM, verzuim and assemble.single_table(assemble.VERZUIM, verzuim.rows)),
        (
            assemble.SWV_DATA,
            swv_data and assemble.tables_package(assemble.SWV_DATA, swv_data.tables()),
        ),
    ):
        if found:
            made.append(found)
        else:
            missing.append(f"{name}: geen {FOLDERS[name]}")
    givens = [
        *(cbs.givens if cbs else ()),
        *(verzuim.givens if verzuim else ()),
        *(swv_data.givens if swv_data else ()),
    ]
    compared = {g.package for g in givens}
    made = [assemble.with_differences(p) if p.name in compared else p for p in made]
    check = _Check(givens)
    writer.write(out, made, check)
    notes = [*gemeenten.notes, *tables.notes]
    notes += [*(grenzen.notes if grenzen else ()), *(cbs.notes if cbs else ())]
    return ImportReport(
        tuple(p.name for p in made), tuple(missing), tuple(notes), _figures(tables), check.outcome
    )


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


@dataclass
class _Check:
    """Run on the written packages: frictionless checks them (as ``validate`` and ``build``
    will), then the sources' own derived values are compared with what ``derive`` computes;
    returns each compared package's ``verschillen.csv``."""

    givens: Sequence[verschillen.Given]
    outcome: verschillen.Outcome = field(default_factory=verschillen.Outcome.none)

    def __call__(self, folder: Path) -> dict[str, str]:
        catalog = packages.load_catalog(folder)
        if not self.givens:
            return {}
        self.outcome = verschillen.compare(self.givens, derive.derive(catalog))
        return self.outcome.files()


def _kenmerken_derived() -> list[dict[str, Any]]:
    descriptor = descriptors.descriptor(assemble.SWV_DATA)
    fields: list[dict[str, Any]] = descriptors.resource(descriptor, "kenmerken")["derivedFields"]
    return fields


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
