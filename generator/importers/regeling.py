"""The Regeling regio-indeling samenwerkingsverbanden passend onderwijs (BWBR0032324).

Reads the Markdown texts under ``swv-gemeenten/`` of the source folder, in either version:

- the 2014 text, bijlage 1 (po) and 2 (vo): ``| samenwerkingsverband | gemeentenaam |``, the code
  only on the first row of each block (``---`` below it), postcode splits as notes
  (``Tynaarlo (postcodes 9471, 9472 en 9473)``, ``Tynaarlo (m.u.v. postcodes …)``);
- the 2015 text, one table ``| PC4 | gemeente | PO SWV | VO SWV |``, one row per postcode
  (``Europoort`` in both SWV columns for the port postcodes of Rotterdam).

Returns ``Regeling``: the 2014 blocks as ``Listing`` rows and the 2015 postcodes as ``Postcode``
rows, each with the line it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.importers.reading import raise_if, read_text
from generator.model import InputError

FOLDER = "swv-gemeenten"
CODE = re.compile(r"^(PO|VO)[0-9]{4}$")
NO_REGION = "Europoort"
"""The port postcodes of Rotterdam lie in no SWV region; the 2015 text says so in words."""


@dataclass(frozen=True)
class Listing:
    """A gemeente (or the postcodes of it named, or all but those) listed under an SWV."""

    where: str
    swv: str
    gemeente: str
    postcodes: tuple[str, ...] = ()
    except_postcodes: bool = False


@dataclass(frozen=True)
class Postcode:
    where: str
    pc4: str
    gemeente: str
    po: str
    vo: str


@dataclass(frozen=True)
class Regeling:
    listings: tuple[Listing, ...]
    postcodes: tuple[Postcode, ...]

    def codes(self) -> tuple[str, ...]:
        """Every SWV code either version names."""
        found = {row.swv for row in self.listings}
        found |= {c for row in self.postcodes for c in (row.po, row.vo) if c != NO_REGION}
        return tuple(sorted(found))


def read(source: Path) -> Regeling:
    """Reads the ``*.md`` texts under ``source/swv-gemeenten`` (not the upper-case notes)."""
    listings: list[Listing] = []
    postcodes: list[Postcode] = []
    for path in sorted((source / FOLDER).glob("*.md")):
        if path.stem.isupper():
            continue  # PROVENANCE.md, README.md: notes beside the sources
        label = f"{FOLDER}/{path.name}"
        rows = _table_rows(read_text(path, label, ("utf-8-sig",)))
        if any(_is_header(cells, "pc4") for _, cells in rows):
            postcodes += _postcodes(label, rows)
        elif any(_is_header(cells, "samenwerkingsverband") for _, cells in rows):
            listings += _listings(label, rows)
        else:
            raise InputError([f"{label}: geen tabel van de regio-indeling gevonden"])
    if not postcodes:
        raise InputError(
            [f"{FOLDER}: de versie met postcodes (PC4 | gemeente | PO SWV | VO SWV) ontbreekt"]
        )
    return Regeling(tuple(listings), tuple(postcodes))


def _table_rows(text: str) -> list[tuple[int, list[str]]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells) or len(cells) == 1:
                rows.append((number, cells))
    return rows


def _is_header(cells: list[str], first: str) -> bool:
    return bool(cells) and cells[0].casefold() == first


def _postcodes(label: str, rows: list[tuple[int, list[str]]]) -> list[Postcode]:
    found, errors = [], []
    for number, cells in rows:
        where = f"{label}, regel {number}"
        if _is_header(cells, "pc4"):
            continue
        if len(cells) != 4:
            errors.append(f"{where}: rij is afgebroken ({len(cells)} van 4 kolommen)")
            continue
        pc4, gemeente, po, vo = cells
        errors += _postcode_errors(where, pc4, gemeente, po, vo)
        found.append(Postcode(where, pc4, gemeente, po, vo))
    raise_if(errors)
    return found


def _postcode_errors(where: str, pc4: str, gemeente: str, po: str, vo: str) -> list[str]:
    errors = []
    if not re.fullmatch(r"[0-9]{4}", pc4):
        errors.append(f"{where}, kolom 'PC4': {pc4!r} is geen viercijferige postcode")
    if not gemeente:
        errors.append(f"{where}, kolom 'gemeente': gemeentenaam ontbreekt")
    for column, code, sector in (("PO SWV", po, "PO"), ("VO SWV", vo, "VO")):
        if code != NO_REGION and not (CODE.match(code) and code.startswith(sector)):
            errors.append(f"{where}, kolom {column!r}: onbekende SWV-code {code!r}")
    return errors


NOTE = re.compile(r"^(?P<naam>.+?)\s*\((?P<muv>m\.u\.v\.?\s*)?postcodes?\s+(?P<pcs>[^)]*)\)$")


def _listings(label: str, rows: list[tuple[int, list[str]]]) -> list[Listing]:
    found, errors = [], []
    swv = ""
    for number, cells in rows:
        where = f"{label}, regel {number}"
        if _is_header(cells, "samenwerkingsverband"):
            swv = ""
            continue
        if len(cells) != 2:
            errors.append(f"{where}: rij is afgebroken ({len(cells)} van 2 kolommen)")
            continue
        code, gemeente = cells
        if code != "---":
            swv = code
        if not CODE.match(swv):
            errors.append(f"{where}, kolom 'samenwerkingsverband': onbekende SWV-code {code!r}")
            continue
        found.append(_listing(where, swv, gemeente))
    raise_if(errors)
    return found


def _listing(where: str, swv: str, text: str) -> Listing:
    match = NOTE.match(text)
    if not match:
        return Listing(where, swv, text)
    postcodes = tuple(re.findall(r"[0-9]{4}", match["pcs"]))  # also reads "7233. 7234 en 7251"
    return Listing(where, swv, match["naam"], postcodes, bool(match["muv"]))
