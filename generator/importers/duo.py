"""DUO-format files of the seed datasets: cluster 1/2 per vestiging and langdurig relatief verzuim.

DUO's conventions, all handled here: ``;`` separated; Windows-1252 or UTF-8 with BOM; headers
in capitals with spaces or underscores (and stray spaces); codes that lost their leading zeros
(``363`` for gemeente ``0363``, ``0`` for vestigingsnummer ``00``); a count DUO suppressed is
``<5`` or an empty cell and stays suppressed (an empty cell, never 0). Layout in the source
folder: ``duo/cluster-1-2/*.csv`` and ``duo/verzuim/*.csv`` (any number of files each, e.g. one
per year). Each reader returns rows in the column order of the package's schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.importers.cbs_gemeenten import Gemeentelijst
from generator.importers.reading import Table, columns, count, delimited, read_text

FOLDER = "duo"
ENCODINGS = ("utf-8-sig", "cp1252")
SEPARATOR = ";"

Row = tuple[str, ...]


def tables(source: Path, folder: str) -> list[Table]:
    """Every ``*.csv`` under ``source/duo/<folder>``, read the DUO way."""
    found = []
    for path in sorted((source / FOLDER / folder).glob("*.csv")):
        label = f"{FOLDER}/{folder}/{path.name}"
        found.append(delimited(read_text(path, label, ENCODINGS), label, SEPARATOR))
    return found


@dataclass
class Cells:
    """One data row of a DUO file; every reading method notes its problem in ``errors``."""

    table: Table
    index: int
    columns: dict[str, int]
    errors: list[str] = field(default_factory=list)

    def text(self, name: str) -> str:
        return self.table.rows[self.index][self.columns[name]]

    def has(self, name: str) -> bool:
        """Whether the file has the (optional) column ``name``."""
        return name in self.columns

    def place(self, name: str) -> tuple[str, int, str]:
        """File, line and header of this row's cell ``name``."""
        return self.table.label, self.index + 2, self.table.header[self.columns[name]]

    def where(self, name: str | None = None) -> str:
        header = self.table.header[self.columns[name]] if name else None
        return self.table.where(self.index, header)

    def fail(self, name: str, message: str) -> None:
        self.errors.append(f"{self.where(name)}: {message}")

    def count(self, name: str, maximum: int) -> str:
        """The count as text; empty when DUO suppressed it."""
        number, error = count(self.text(name), self.where(name), maximum)
        if error:
            self.errors.append(error)
        return "" if number is None else str(number)

    def code(self, name: str, width: int) -> str:
        """A numeric code with its leading zeros restored (``363`` → ``0363``)."""
        value = self.text(name)
        if not re.fullmatch("[0-9]+", value) or len(value) > width:
            self.fail(name, f"{value!r} is geen code van {width} cijfers")
            return ""
        return value.zfill(width)

    def gemeente(self, name: str, gemeenten: Gemeentelijst) -> str:
        """A current gemeente's GM code from DUO's ``GEMEENTENUMMER``."""
        digits = self.code(name, 4)
        code = f"GM{digits}"
        if not digits:
            return ""
        if code not in gemeenten.years:
            self.fail(name, f"onbekende gemeente {code}: staat niet in de CBS-gemeentelijsten")
            return ""
        if code not in gemeenten.current():
            today = ", ".join(gemeenten.successors(code))
            self.fail(name, f"gemeente {code} bestaat niet meer (opgegaan in {today})")
            return ""
        return code

    def choice(self, name: str, options: dict[str, str]) -> str:
        value = re.sub(r"\s+", " ", self.text(name)).upper()
        if value not in options:
            known = ", ".join(sorted(options))
            self.fail(name, f"onbekende waarde {self.text(name)!r} (verwacht: {known})")
            return ""
        return options[value]


def rows_of(
    table: Table,
    wanted: dict[str, str],
    ignored: Sequence[str],
    optional: dict[str, str] | None = None,
) -> Iterator[Cells]:
    index = columns(table, wanted, ignored, optional)
    for i in range(len(table.rows)):
        yield Cells(table, i, index)


def unique(rows: Sequence[tuple[Row, str]], width: int) -> tuple[list[Row], list[str]]:
    """Rows sorted on their key (first ``width`` columns); a key seen twice is an error."""
    seen: dict[Row, str] = {}
    errors = []
    for row, where in rows:
        key = row[:width]
        if key in seen:
            errors.append(f"{where}: dubbele sleutel {', '.join(key)} (ook op {seen[key]})")
        seen.setdefault(key, where)
    kept = {row[:width]: row for row, _ in rows}
    return [kept[key] for key in sorted(kept)], errors


def schooljaar(cells: Cells, name: str, allowed: Sequence[str]) -> str:
    """``2015-2016`` from DUO's ``2015-2016`` or ``2015/2016``, one of the package's years."""
    match = re.fullmatch(r"([0-9]{4})\s*[-/]\s*([0-9]{4})", cells.text(name))
    if not match or int(match[2]) != int(match[1]) + 1:
        cells.fail(name, f"{cells.text(name)!r} is geen schooljaar (2015-2016)")
        return ""
    value = f"{match[1]}-{match[2]}"
    if allowed and value not in allowed:
        cells.fail(name, f"schooljaar {value} valt buiten de reeks van het pakket")
        return ""
    return value


PEILDATUM = re.compile(r"\d{1,2}-\d{1,2}-(\d{4})|(\d{4})(\d{4})?|(\d{4})-\d{2}-\d{2}", re.ASCII)


def peiljaar(cells: Cells, name: str, first: int, last: int) -> str:
    """The year of DUO's peildatum: ``1-10-2023``, ``01-10-2023``, ``20231001`` or ``2023``."""
    value = cells.text(name)
    match = PEILDATUM.fullmatch(value)
    year = next((int(g) for g in (match.groups() if match else ()) if g and len(g) == 4), 0)
    if not first <= year <= last:
        cells.fail(name, f"{value!r} is geen peildatum van {first} tot en met {last}")
        return ""
    return str(year)
