"""CBS StatLine 85701NED: pupils per gemeente, onderwijssoort and schooljaar, rounded to tens.

Reads the StatLine CSV export under ``leerlingen-so-vso-gemeente-cbs/`` (``;``, quoted text,
UTF-8 with BOM; gemeente *names* per year's indeling; ``2023/'24*`` marks a provisional year;
an empty cell means the gemeente did not exist that year). Returns ``CbsRows``: the rows per
source gemeente code, and today's series formed through the mergers.

Today's series of gemeente G in schooljaar Y sums the rows of every gemeente of Y that went
wholly into G (G itself included). A gemeente that was later divided over several gemeenten
(Boarnsterhim, Maasdonk, Littenseradiel, Haaren) cannot be divided by us: its pupils are in
no today's series, and the receiving gemeenten's rows of those years are marked ``onvolledig``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.importers.cbs_gemeenten import Gemeentelijst
from generator.importers.reading import Table, columns, delimited, raise_if, read_text
from generator.importers.verschillen import Given
from generator.model import InputError

PACKAGE = "leerlingen-speciaal-onderwijs-gemeente"
FOLDER = "leerlingen-so-vso-gemeente-cbs"
ROUNDING = 10
MAXIMUM = 500_000
"""More pupils of one kind in one gemeente than this is a broken file, not a big city."""
NOT_ASSIGNABLE = "Gemeenten; niet in te delen"
TOTAL = "Totaal mannen en vrouwen"

SOORTEN = {
    "Totaal (speciaal) basisonderwijs": "totaal-bao-sbao",
    "Basisonderwijs": "bao",
    "Speciaal basisonderwijs": "sbao",
    "Totaal (voortgezet) speciaal onderwijs": "totaal-so-vso",
    "Speciaal onderwijs": "so",
    "Voortgezet speciaal ondewijs": "vso",  # sic: CBS's typo
    "Voortgezet speciaal onderwijs": "vso",
    "Totaal voortgezet onderwijs": "vo",
}
TOTALS = {"totaal-bao-sbao": ("bao", "sbao"), "totaal-so-vso": ("so", "vso")}
"""CBS's totals and their parts: checked against the sum (``verschillen``), never replaced."""
HEADERS = {
    "Geslacht": "geslacht",
    "Onderwijssoort": "soort",
    "Perioden": "periode",
    "Regiokenmerken": "regio",
    "Leerlingen/studenten (aantal)": "aantal",
}
HEADERS_COUNT = "Leerlingen/studenten (aantal)"
PERIOD = re.compile(r"^([0-9]{4})/'([0-9]{2})(\*?)$")

Row = tuple[str, str, str, str, str]
"""gemeente_code, onderwijssoort, schooljaar, aantal, voorlopig (all as CSV text)."""


@dataclass(frozen=True)
class CbsRows:
    source: list[Row]
    today: list[tuple[str, ...]]
    notes: tuple[str, ...]
    givens: tuple[Given, ...] = ()


def read(source: Path, gemeenten: Gemeentelijst) -> CbsRows | None:
    """The 85701NED export under ``source``, or None when the folder has none."""
    paths = sorted((source / FOLDER).glob("*.csv"))
    if not paths:
        return None
    if len(paths) > 1:
        raise InputError([f"{FOLDER}: meer dan één CSV-bestand; verwacht één StatLine-export"])
    label = f"{FOLDER}/{paths[0].name}"
    table = delimited(read_text(paths[0], label, ("utf-8-sig",)), label, ";")
    rows, notes, lines = _rows(table, gemeenten)
    return CbsRows(rows, today(rows, gemeenten), tuple(notes), totals(rows, lines, table))


def _rows(
    table: Table, gemeenten: Gemeentelijst
) -> tuple[list[Row], list[str], dict[tuple[str, str, str], int]]:
    """The rows, the notes, and each row's index in the table."""
    index = columns(table, HEADERS)
    found: dict[tuple[str, str, str], Row] = {}
    lines: dict[tuple[str, str, str], int] = {}
    errors: list[str] = []
    skipped = 0
    for i, cells in enumerate(table.rows):
        row = _row(table, i, cells, index, gemeenten, errors)
        if row is None:
            skipped += cells[index["regio"]] == NOT_ASSIGNABLE and bool(cells[index["aantal"]])
            continue
        key = row[:3]
        if key in found:
            errors.append(f"{table.where(i)}: dubbele sleutel {', '.join(key)}")
        found[key] = row
        lines[key] = i
    raise_if(errors[:50] + ([f"… en {len(errors) - 50} fouten meer"] if len(errors) > 50 else []))
    notes = [f"{table.label}: {skipped} waarden van '{NOT_ASSIGNABLE}' niet overgenomen"]
    return sorted(found.values()), notes, lines


def totals(
    rows: Sequence[Sequence[str]],
    lines: dict[tuple[str, str, str], int],
    table: Table,
    column: str = HEADERS_COUNT,
) -> tuple[Given, ...]:
    """Each CBS total beside the sum of its parts (``rows``: code, soort, jaar, aantal, …;
    ``lines``: each row's index in ``table``). Each of the three numbers is rounded to
    tens (off by at most 5), so their difference is under 15: a difference of 10 is rounding."""
    counts = {(row[0], row[1], row[2]): row[3] for row in rows}
    givens = []
    for (code, soort, jaar), value in sorted(counts.items()):
        if soort not in TOTALS:
            continue
        parts = [counts.get((code, part, jaar)) for part in TOTALS[soort]]
        known = [int(p) for p in parts if p is not None]
        givens.append(
            Given(
                PACKAGE,
                "leerlingen",
                (code, soort, jaar),
                "aantal",
                table.label,
                lines[(code, soort, jaar)] + 2,
                column,
                value,
                True,
                str(sum(known)) if len(known) == len(parts) else None,
                f"som van {' en '.join(TOTALS[soort])} in dezelfde gemeente en hetzelfde jaar",
                ROUNDING // 2 * (len(parts) + 1) // ROUNDING * ROUNDING,
            )
        )
    return tuple(givens)


def _row(
    table: Table,
    i: int,
    cells: tuple[str, ...],
    index: dict[str, int],
    gemeenten: Gemeentelijst,
    errors: list[str],
) -> Row | None:
    def cell(name: str) -> str:
        return cells[index[name]]

    where = table.where
    if cell("geslacht") != TOTAL:
        errors.append(f"{where(i, 'Geslacht')}: alleen {TOTAL!r} wordt ingelezen")
        return None
    soort = SOORTEN.get(cell("soort"))
    period = PERIOD.match(cell("periode"))
    if soort is None:
        errors.append(f"{where(i, 'Onderwijssoort')}: onbekende onderwijssoort {cell('soort')!r}")
    if period is None:
        errors.append(f"{where(i, 'Perioden')}: {cell('periode')!r} is geen schooljaar (2013/'14)")
    if soort is None or period is None or cell("regio") == NOT_ASSIGNABLE or not cell("aantal"):
        return None
    year = int(period[1])
    code = gemeenten.lookup(cell("regio"), year)
    if code is None:
        errors.append(f"{where(i, 'Regiokenmerken')}: onbekende gemeente {cell('regio')!r}")
        return None
    aantal = _aantal(cell("aantal"), where(i, "Leerlingen/studenten (aantal)"), errors)
    if aantal is None:
        return None
    voorlopig = "true" if period[3] else "false"
    return (code, soort, f"{year}-{year + 1}", str(aantal), voorlopig)


def _aantal(text: str, where: str, errors: list[str]) -> int | None:
    if re.fullmatch(r"-\s*[0-9]+", text):
        errors.append(f"{where}: negatief aantal {text!r}")
    elif not re.fullmatch("[0-9]+", text):
        errors.append(f"{where}: {text!r} is geen aantal")
    elif int(text) > MAXIMUM:
        errors.append(f"{where}: onwaarschijnlijk groot aantal {text} (meer dan {MAXIMUM})")
    elif int(text) % ROUNDING:
        errors.append(f"{where}: {text} is niet afgerond op tientallen, zoals CBS dat doet")
    else:
        return int(text)
    return None


def today(rows: list[Row], gemeenten: Gemeentelijst) -> list[tuple[str, ...]]:
    """Today's series: per current gemeente the rows of the gemeenten that went wholly into it."""
    sums: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    partial: set[tuple[str, str]] = set()
    voorlopig: dict[str, str] = {}
    for code, soort, jaar, aantal, flag in rows:
        voorlopig[jaar] = flag
        successors = gemeenten.successors(code)
        if len(successors) == 1:
            sums[(successors[0], soort, jaar)].append(int(aantal))
        else:
            partial.update((s, jaar) for s in successors)
    return [
        (
            code,
            soort,
            jaar,
            str(sum(values)),
            str(len(values)),
            _bool((code, jaar) in partial),
            voorlopig[jaar],
        )
        for (code, soort, jaar), values in sorted(sums.items())
    ]


def _bool(value: bool) -> str:
    return "true" if value else "false"
