"""The import: real source files in, complete data packages out (``python -m generator import``).

``import_sources`` is the map: read each source (one module per source), join them into
packages (``assemble``), validate them and write them atomically (``writer``). A source that is
not in the folder gives no package; the report says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import packages
from generator.importers import (
    assemble,
    boundaries,
    cbs_gemeenten,
    cbs_so,
    referentie,
    regeling,
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
    made = [assemble.referentie_package(tables, grenzen, [])]
    missing = (
        []
        if grenzen
        else [
            f"referentie/gemeentegrenzen: geen {boundaries.FOLDER}/"
            f"{boundaries.PATTERN} in de bronmap"
        ]
    )
    if cbs is not None:
        made.append(assemble.cbs_package(cbs))
    else:
        missing.append(f"{assemble.CBS_SO}: geen {cbs_so.FOLDER}/*.csv in de bronmap")
    writer.write(out, made, _validate)
    notes = [
        *gemeenten.notes,
        *tables.notes,
        *(grenzen.notes if grenzen else ()),
        *(cbs.notes if cbs else ()),
    ]
    return ImportReport(tuple(p.name for p in made), tuple(missing), tuple(notes), _figures(tables))


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
