"""DUO/Ingrado "langdurig relatief verzuim" per gemeente, schooljaar and onderwijssoort.

Reads ``duo/verzuim/*.csv``: one row per gemeente, schooljaar and onderwijssoort with six counts
whose headers are the field titles of ``langdurig-relatief-verzuim`` (``AANTAL NIEUW`` …).
Returns the rows of that package; a suppressed count stays an empty cell. A column
``AANTAL ACTUEEL`` (DUO's own actueel) may be there: it is not taken over but compared with
ours (``verschillen``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.importers import duo
from generator.importers.cbs_gemeenten import Gemeentelijst
from generator.importers.reading import raise_if
from generator.importers.verschillen import Given

PACKAGE = "langdurig-relatief-verzuim"
FOLDER = "verzuim"
KEYS = {"GEMEENTENUMMER": "gemeente", "SCHOOLJAAR": "schooljaar", "ONDERWIJSSOORT": "soort"}
IGNORED = ("GEMEENTENAAM",)
SOORTEN = {
    "PO": "po",
    "VO": "vo",
    "SO/VSO": "so-vso",
    "(V)SO": "so-vso",
    "SO-VSO": "so-vso",
    "GEEN ONDERWIJS": "geen-onderwijs",
    "ONBEKEND": "onbekend",
}
MAXIMUM = 100_000
GIVEN = {"AANTAL ACTUEEL": "actueel", "ACTUEEL": "actueel"}
"""The source's own derived column, compared with ``derive.actueel``."""


@dataclass(frozen=True)
class VerzuimRows:
    rows: list[duo.Row]
    givens: tuple[Given, ...]


def read(source: Path, gemeenten: Gemeentelijst, schema: dict[str, Any]) -> VerzuimRows | None:
    """The verzuim files, or None when there are none. ``schema``: the package's schema."""
    found = duo.tables(source, FOLDER)
    if not found:
        return None
    counts = {f["title"]: f["name"] for f in schema["fields"] if f.get("privacy") == "telling"}
    years = next(f for f in schema["fields"] if f["name"] == "schooljaar")["constraints"]
    rows, errors, givens = [], [], []
    for table in found:
        for cells in duo.rows_of(table, {**KEYS, **counts}, IGNORED, GIVEN):
            key = (
                cells.gemeente("gemeente", gemeenten),
                duo.schooljaar(cells, "schooljaar", years.get("enum", ())),
                cells.choice("soort", SOORTEN),
            )
            values = tuple(cells.count(name, MAXIMUM) for name in counts.values())
            if all(key):
                rows.append(((*key, *values), cells.where()))
                givens += _given(cells, key)
            errors += cells.errors
    raise_if(errors)
    result, duplicates = duo.unique(rows, 3)
    raise_if(duplicates)
    return VerzuimRows(result, tuple(givens))


def _given(cells: duo.Cells, key: tuple[str, ...]) -> list[Given]:
    if not cells.has("actueel"):
        return []
    value = cells.count("actueel", MAXIMUM)
    if not value:
        return []
    return [Given(PACKAGE, "verzuim", key, "actueel", *cells.place("actueel"), value)]
