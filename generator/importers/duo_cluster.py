"""DUO "aantal leerlingen cluster 1 en 2 per schoolvestiging" (1-cijferbestand WEC).

Reads ``duo/cluster-1-2/*.csv``: one row per vestiging, peildatum and cluster, with the so and
vso counts in two columns. Returns the tidy rows of ``leerlingen-cluster-1-2`` (one per so/vso)
and the ``referentie/schoolvestigingen`` rows (name, gemeente and postcode of the latest year).
A vestiging in a gemeente split over two SWVs must have a postcode of one of the parts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.importers import duo
from generator.importers.cbs_gemeenten import Gemeentelijst
from generator.importers.reading import raise_if

FOLDER = "cluster-1-2"
HEADERS = {
    "PEILDATUM": "peildatum",
    "BRIN NUMMER": "brin",
    "VESTIGINGSNUMMER": "vestiging",
    "VESTIGINGSNAAM": "naam",
    "POSTCODE VESTIGING": "postcode",
    "GEMEENTENUMMER": "gemeente",
    "CLUSTER": "cluster",
    "AANTAL LEERLINGEN SO": "so",
    "AANTAL LEERLINGEN VSO": "vso",
}
IGNORED = ("PLAATSNAAM", "GEMEENTENAAM", "PROVINCIE", "INSTELLINGSNAAM")
CLUSTERS = {"1": "1", "2": "2", "CLUSTER 1": "1", "CLUSTER 2": "2"}
MAXIMUM = 5_000
"""More pupils than this at one vestiging is a broken file."""


@dataclass(frozen=True)
class ClusterRows:
    leerlingen: list[duo.Row]
    vestigingen: list[duo.Row]


def read(
    source: Path, gemeenten: Gemeentelijst, splits: dict[str, set[str]], years: tuple[int, int]
) -> ClusterRows | None:
    """The cluster files, or None when there are none.

    ``splits``: split gemeente → its PC4s; ``years``: the package's first and last peiljaar.
    """
    found = duo.tables(source, FOLDER)
    if not found:
        return None
    rows, places, errors = [], [], []
    for table in found:
        for cells in duo.rows_of(table, HEADERS, IGNORED):
            year = duo.peiljaar(cells, "peildatum", *years)
            code = _code(cells)
            counts = _counts(cells, year, code)
            place = _place(cells, year, code, gemeenten)
            if counts and place:
                rows += counts
                places.append(place)
            errors += cells.errors
    raise_if(errors)
    leerlingen, duplicates = duo.unique(rows, 4)
    vestigingen, problems = _vestigingen(places, splits)
    raise_if(duplicates + problems)
    return ClusterRows(leerlingen, vestigingen)


def _code(cells: duo.Cells) -> str:
    brin = cells.text("brin").upper()
    if not re.fullmatch(r"[0-9]{2}[A-Z]{2}", brin):
        cells.fail("brin", f"{brin!r} is geen BRIN-nummer (twee cijfers, twee letters)")
        return ""
    return brin + cells.code("vestiging", 2)


def _counts(cells: duo.Cells, year: str, code: str) -> list[tuple[duo.Row, str]]:
    cluster = cells.choice("cluster", CLUSTERS)
    counts = {soort: cells.count(soort, MAXIMUM) for soort in ("so", "vso")}
    if not (year and code and cluster):
        return []
    return [((year, code, cluster, soort, n), cells.where()) for soort, n in counts.items()]


def _place(
    cells: duo.Cells, year: str, code: str, gemeenten: Gemeentelijst
) -> tuple[duo.Row, str] | None:
    postcode = re.sub(r"\s+", "", cells.text("postcode")).upper()
    if not re.fullmatch(r"[0-9]{4}([A-Z]{2})?", postcode):
        cells.fail("postcode", f"{cells.text('postcode')!r} is geen postcode")
    naam = re.sub(r"\s+", " ", cells.text("naam"))
    if not naam:
        cells.fail("naam", "vestigingsnaam ontbreekt")
    gemeente = cells.gemeente("gemeente", gemeenten)
    if not (year and code and naam and gemeente):
        return None
    return (year, code, naam, gemeente, postcode[:4]), cells.where("postcode")


def _vestigingen(
    places: Sequence[tuple[duo.Row, str]], splits: dict[str, set[str]]
) -> tuple[list[duo.Row], list[str]]:
    latest: dict[str, tuple[duo.Row, str]] = {}
    for row, where in sorted(places, key=lambda p: p[0]):
        latest[row[1]] = (row[1:], where)
    errors = [
        f"{where}: postcode {row[3]} ligt in geen van de delen van de verdeelde gemeente {row[2]}"
        for row, where in latest.values()
        if row[2] in splits and row[3] not in splits[row[2]]
    ]
    return [row for row, _ in sorted(latest.values())], errors
