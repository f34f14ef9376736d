"""CBS gemeenten: codes and names per year, provincie, mergers and splits.

Reads ``gemeenten/`` of the source folder: ``gemeenten_per_jaar.csv`` (``jaar,gemeentenaam,
code``), ``samenvoegingen.csv`` and ``opsplitsingen.csv`` (old code → new code per year) and
every ``gemeenten-alfabetisch-<jaar>.csv`` (provincie). Returns a ``Gemeentelijst``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.importers import names
from generator.importers.reading import Table, columns, delimited, raise_if, read_text

FOLDER = "gemeenten"
PLACEHOLDER = "0000"
"""The FTM tables write ``0000`` as new code when one gemeente went to several
(``Maasdonk`` → ``s-Hertogenbosch/Oss``); the names then tell the receiving gemeenten."""


@dataclass(frozen=True)
class Change:
    """One herindeling row: gemeente ``oud`` (partly) went into ``nieuw`` on 1 January ``jaar``."""

    jaar: int
    oud: str
    nieuw: str
    split: bool


@dataclass(frozen=True)
class Gemeentelijst:
    """Every gemeente of the series with the years it existed, and how they changed."""

    years: Mapping[str, tuple[int, ...]]
    names: Mapping[str, str]
    provincies: Mapping[str, str]
    changes: tuple[Change, ...]
    aliases: Mapping[str, Mapping[str, frozenset[int]]]
    notes: tuple[str, ...]
    today: Mapping[str, tuple[str, ...]]
    """Each code → the current gemeenten that hold (part of) its area."""

    @property
    def last_year(self) -> int:
        return max(max(y) for y in self.years.values())

    def current(self) -> tuple[str, ...]:
        return tuple(sorted(c for c, y in self.years.items() if y[-1] == self.last_year))

    def successors(self, code: str) -> tuple[str, ...]:
        """The current gemeenten that hold (part of) the area of ``code``."""
        return self.today.get(code, ())

    def lookup(self, name: str, year: int) -> str | None:
        """The code of the gemeente called ``name`` in ``year`` (or the nearest year)."""
        for candidates in (self.aliases.get(names.key(name)), self.aliases.get(names.bare(name))):
            if candidates:
                return min(candidates, key=lambda c: _distance(candidates[c], year))
        return None


def _distance(years: frozenset[int], year: int) -> int:
    return min(abs(y - year) for y in years)


def read(source: Path) -> Gemeentelijst:
    """Reads the CBS gemeente tables under ``source/gemeenten``."""
    folder = source / FOLDER
    per_year = _table(folder, "gemeenten_per_jaar.csv")
    years, labels = _per_year(per_year)
    provincies, listed = _alphabetic(folder)
    aliases = _aliases([*labels, *listed])
    rows = [*_change_rows(folder, "samenvoegingen.csv"), *_change_rows(folder, "opsplitsingen.csv")]
    changes, notes, errors, early = _changes(rows, years, aliases)
    raise_if(errors)
    labels += early
    aliases = _aliases([*labels, *listed])
    today = _today(years, changes)
    full = {code: _provincie(today[code], provincies, code) for code in years}
    missing = [c for c, p in full.items() if not p]
    raise_if([f"{FOLDER}: geen provincie bekend voor gemeente {c}" for c in missing])
    return Gemeentelijst(years, _latest_names(labels), full, changes, aliases, tuple(notes), today)


def _today(
    years: Mapping[str, tuple[int, ...]], changes: tuple[Change, ...]
) -> dict[str, tuple[str, ...]]:
    """Follows the changes from every code to the gemeenten of the last year."""
    last = max(max(y) for y in years.values())
    into: dict[str, list[str]] = defaultdict(list)
    for change in changes:
        into[change.oud].append(change.nieuw)
    found: dict[str, tuple[str, ...]] = {}

    def follow(code: str, path: tuple[str, ...]) -> tuple[str, ...]:
        if code in path:
            raise_if([f"{FOLDER}: de herindelingen van {code} vormen een kring"])
        if code not in found:
            reached = {s for n in into[code] for s in follow(n, (*path, code))}
            found[code] = (code,) if years[code][-1] == last else tuple(sorted(reached))
        return found[code]

    for code in years:
        follow(code, ())
    return found


def _table(folder: Path, name: str) -> Table:
    label = f"{FOLDER}/{name}"
    return delimited(read_text(folder / name, label, ("utf-8-sig",)), label, ",")


def _digits(text: str) -> bool:
    """Only ASCII digits (``str.isdigit`` also accepts ``²``, which ``int`` refuses)."""
    return bool(re.fullmatch("[0-9]+", text))


def _gm(code: str) -> str:
    return f"GM{code.zfill(4)}"


def _per_year(table: Table) -> tuple[dict[str, tuple[int, ...]], list[tuple[str, str, int]]]:
    index = columns(table, {"jaar": "jaar", "gemeentenaam": "naam", "code": "code"})
    found: dict[str, set[int]] = defaultdict(set)
    labels = []
    errors = []
    for i, row in enumerate(table.rows):
        jaar, code = row[index["jaar"]], row[index["code"]]
        if not _digits(jaar) or not _digits(code) or len(code) > 4:
            errors.append(f"{table.where(i)}: jaar {jaar!r} of code {code!r} is ongeldig")
            continue
        found[_gm(code)].add(int(jaar))
        labels.append((names.repair(row[index["naam"]]), _gm(code), int(jaar)))
    if not found:
        errors.append(f"{table.label}: geen enkele gemeente")
    raise_if(errors)
    return {c: tuple(sorted(y)) for c, y in found.items()}, labels


def _alphabetic(folder: Path) -> tuple[dict[str, str], list[tuple[str, str, int]]]:
    provincies: dict[str, str] = {}
    labels = []
    for path in sorted(folder.glob("gemeenten-alfabetisch-*.csv")):
        year = int(path.stem.rsplit("-", 1)[1])
        table = _table(folder, path.name)
        wanted = {"GemeentecodeGM": "code", "Gemeentenaam": "naam", "Provincienaam": "provincie"}
        index = columns(table, wanted, ("Gemeentecode", "Provinciecode", "ProvinciecodePV"))
        for row in table.rows:
            provincies[row[index["code"]]] = row[index["provincie"]]
            labels.append((row[index["naam"]], row[index["code"]], year))
    return provincies, labels


def _aliases(labels: list[tuple[str, str, int]]) -> dict[str, dict[str, frozenset[int]]]:
    found: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for name, code, year in labels:
        found[names.key(name)][code].add(year)
    bare: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for name, code, year in labels:
        bare[names.bare(name)][code].add(year)
    for key, codes in bare.items():
        if key not in found and len(codes) == 1:
            found[key] = codes
    return {k: {c: frozenset(y) for c, y in v.items()} for k, v in found.items()}


def _latest_names(labels: list[tuple[str, str, int]]) -> dict[str, str]:
    latest: dict[str, tuple[int, str]] = {}
    for name, code, year in labels:
        if code not in latest or year >= latest[code][0]:
            latest[code] = (year, name)
    return {code: name for code, (_, name) in sorted(latest.items())}


@dataclass(frozen=True)
class ChangeRow:
    where: str
    jaar: int
    oud: str
    nieuw: str
    naam_oud: str
    naam_nieuw: str
    split: bool


def _change_rows(folder: Path, name: str) -> list[ChangeRow]:
    table = _table(folder, name)
    last = "gemeente_naam_nieuw" if name.startswith("opsplitsingen") else "gemeentenaam_nieuw"
    wanted = {"jaar": "jaar", "code_oud": "oud", "code_nieuw": "nieuw", last: "naam_nieuw"}
    wanted["gemeentenaam_oud"] = "naam_oud"
    index = columns(table, wanted)
    rows = []
    for i, row in enumerate(table.rows):
        jaar = row[index["jaar"]]
        cells = (row[index["oud"]], row[index["nieuw"]])
        if not _digits(jaar) or not all(_digits(c) and len(c) <= 4 for c in cells):
            raise_if([f"{table.where(i)}: jaar {jaar!r} of code {cells} is ongeldig"])
        split = name.startswith("opsplitsingen")
        names_ = (row[index["naam_oud"]], row[index["naam_nieuw"]])
        rows.append(ChangeRow(table.where(i), int(jaar), *cells, *names_, split))
    return rows


def _changes(
    rows: list[ChangeRow],
    years: dict[str, tuple[int, ...]],
    aliases: Mapping[str, Mapping[str, frozenset[int]]],
) -> tuple[tuple[Change, ...], list[str], list[str], list[tuple[str, str, int]]]:
    """Checks each change against the yearly lists; the lists decide the year it took effect."""
    changes: set[Change] = set()
    notes, errors = [], []
    early: list[tuple[str, str, int]] = []
    receivers: dict[str, set[str]] = defaultdict(set)
    first = min(min(y) for y in years.values())
    for row in rows:
        where, jaar, oud, nieuw, split = row.where, row.jaar, row.oud, row.nieuw, row.split
        if oud == nieuw:
            continue  # the absorbing gemeente listed as merging into itself
        old = _gm(oud)
        if old not in years and jaar == first:
            years[old] = (jaar - 1,)  # ended just before the yearly lists begin
            early.append((row.naam_oud, old, jaar - 1))
        targets = _targets(nieuw, row.naam_nieuw, jaar, aliases)
        unknown = [t for t in [old, *targets] if t not in years]
        if unknown or not targets:
            errors.append(f"{where}: onbekende gemeente {', '.join(unknown) or row.naam_nieuw!r}")
            continue
        effect = years[old][-1] + 1
        if effect != jaar and old not in receivers:  # one note per gemeente, not per row
            notes.append(
                f"{where}: herindeling van {old} trad in werking op 1 januari {effect} "
                f"(laatste jaar in gemeenten_per_jaar.csv: {effect - 1}), niet {jaar}"
            )
        receivers[old].update(targets)
        for target in targets:
            changes.add(Change(effect, old, target, split))
    result = {Change(c.jaar, c.oud, c.nieuw, c.split or len(receivers[c.oud]) > 1) for c in changes}
    ordered = tuple(sorted(result, key=lambda c: (c.jaar, c.oud, c.nieuw)))
    return ordered, notes, errors, early


def _targets(
    nieuw: str, naam: str, jaar: int, aliases: Mapping[str, Mapping[str, frozenset[int]]]
) -> list[str]:
    if nieuw != PLACEHOLDER:
        return [_gm(nieuw)]
    found = []
    for part in naam.split("/"):
        codes = aliases.get(names.key(part), {})
        found += [c for c, y in codes.items() if jaar in y]
    return sorted(set(found))


def _provincie(successors: tuple[str, ...], provincies: Mapping[str, str], code: str) -> str:
    if code in provincies:
        return provincies[code]
    for successor in successors:
        if successor in provincies:
            return provincies[successor]
    return ""
