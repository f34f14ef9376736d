"""Reading source files: decoding, delimited tables, DUO-style headers and counts.

Every problem becomes one Dutch line naming file, row and column; callers collect the lines
and raise ``InputError``. Nothing here knows a particular source.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.model import InputError

SUPPRESSED = ("", "<5", "< 5")
"""How DUO writes a count it suppressed: an empty cell or ``<5`` (it stays suppressed)."""


@dataclass(frozen=True)
class Table:
    """A delimited file: its header and data rows as text, cells stripped."""

    label: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def where(self, index: int, column: str | None = None) -> str:
        """``file, regel N, kolom X`` for data row ``index`` (the header is line 1)."""
        place = f"{self.label}, regel {index + 2}"
        return f"{place}, kolom {column!r}" if column else place


def read_text(path: Path, label: str, encodings: Sequence[str]) -> str:
    """The file's text in the first of ``encodings`` that decodes it; ``InputError`` if none."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError([f"{label}: niet te lezen ({error.strerror})"]) from None
    if not raw.strip():
        raise InputError([f"{label}: het bestand is leeg"])
    if b"\x00" in raw:
        raise InputError([f"{label}: verkeerde codering (nul-bytes, UTF-16?); verwacht UTF-8"])
    first_bad = 0
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as error:
            first_bad = max(first_bad, error.start)
    names = " of ".join(_ENCODING_NAMES.get(e, e) for e in encodings)
    line = raw[:first_bad].count(b"\n") + 1
    raise InputError([f"{label}, regel {line}: verkeerde codering: het bestand is niet in {names}"])


_ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp1252": "Windows-1252"}


def delimited(text: str, label: str, separator: str) -> Table:
    """Splits text into header and rows; each row must have exactly the header's width."""
    text = text.removeprefix("\ufeff")
    try:
        lines = list(csv.reader(text.splitlines(), delimiter=separator))
    except csv.Error as error:
        raise InputError([f"{label}: onleesbare regel ({error})"]) from None
    lines = [line for line in lines if any(cell.strip() for cell in line)]
    if not lines:
        raise InputError([f"{label}: het bestand is leeg"])
    header = tuple(cell.strip() for cell in lines[0])
    if len(header) == 1:
        raise InputError([_separator_message(label, header[0], separator)])
    table = Table(label, header, tuple(tuple(c.strip() for c in line) for line in lines[1:]))
    errors = [_width_error(table, i, row) for i, row in enumerate(table.rows)]
    raise_if([e for e in errors if e])
    return table


def _separator_message(label: str, header: str, separator: str) -> str:
    found = [s for s in (";", ",", "\t", "|") if s in header and s != separator]
    seen = f"; de kop bevat wel {found[0]!r}" if found else ""
    return f"{label}, regel 1: verkeerd scheidingsteken: verwacht {separator!r}{seen}"


def _width_error(table: Table, index: int, row: tuple[str, ...]) -> str | None:
    width = len(table.header)
    if len(row) < width:
        column = table.header[len(row)]
        return f"{table.where(index, column)}: rij is afgebroken ({len(row)} van {width} waarden)"
    if len(row) > width:
        return f"{table.where(index)}: te veel waarden in de rij ({len(row)} in plaats van {width})"
    return None


def header_key(name: str) -> str:
    """DUO writes headers in capitals with spaces or underscores, sometimes with stray spaces."""
    return re.sub(r"[\s_]+", " ", name.replace("\ufeff", "")).strip().upper()


def columns(
    table: Table,
    wanted: Mapping[str, str],
    ignored: Sequence[str] = (),
    optional: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Maps each wanted field (by its source header) to its column index.

    ``wanted`` maps a source header to our field name. A missing header, an unknown one (not
    wanted, ``optional`` or ``ignored``) or a repeated one is an error; an ``optional`` header
    is mapped when the file has it.
    """
    keys = {header_key(h): name for h, name in {**(optional or {}), **wanted}.items()}
    skip = {header_key(h) for h in ignored}
    found: dict[str, int] = {}
    errors = []
    for index, header in enumerate(table.header):
        key = header_key(header)
        if key in keys and keys[key] in found:
            errors.append(f"{table.label}, regel 1, kolom {header!r}: kolom staat er twee keer")
        elif key in keys:
            found[keys[key]] = index
        elif key not in skip:
            errors.append(f"{table.label}, regel 1, kolom {header!r}: onbekende kolom")
    for header, name in wanted.items():
        if name not in found:
            errors.append(f"{table.label}, regel 1: kolom {header!r} ontbreekt")
    raise_if(errors)
    return found


def count(value: str, where: str, maximum: int) -> tuple[int | None, str | None]:
    """A count of persons: ``(number, None)``, ``(None, None)`` when suppressed, or an error."""
    text = value.strip()
    if text in SUPPRESSED:
        return None, None
    if re.fullmatch(r"-\s*[0-9]+", text):
        return None, f"{where}: negatief aantal {text!r}"
    if not re.fullmatch(r"[0-9]+", text):
        return None, f"{where}: {text!r} is geen aantal (geheel getal, leeg of <5)"
    number = int(text)
    if number > maximum:
        return None, f"{where}: onwaarschijnlijk groot aantal {number} (meer dan {maximum})"
    return number, None


def raise_if(errors: list[str]) -> None:
    """Raises ``InputError`` with ``errors`` when there are any."""
    if errors:
        raise InputError(errors)
