"""Reading a built site back: every number in every file, mapped to its cell of the model.

Used by the audit only. It reads the files as a visitor would get them (CSV downloads, chart
specs, chart SVGs, HTML tables), never the build's internal values, and records for each cell
of the ``CellModel`` whether the site shows its value or hides it. Anything that cannot be
mapped, or that disagrees with the source or with another sighting, is a ``Problem``.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
from lxml import etree

from generator import bundles, maps
from generator.context import CHART_CSV_SUFFIX
from generator.model import CellModel, Level, ViewCells

UNSEEN = -2
HIDDEN = -1
LEVELS: dict[str, Level] = {"datasets": "dataset", "swv": "swv", "gemeente": "gemeente"}

Table = dict[str, np.ndarray]
"""A CSV file as read: column name → its fields, exactly as written (a numpy array of str)."""

Fingerprint = tuple[int, bytes]
"""A column of fields, remembered by its length and a digest (``_fingerprint``)."""


@dataclass(frozen=True)
class Problem:
    """A number the site should not show as it does (criteria C4 and C5)."""

    criterion: str
    where: str
    message: str


@dataclass
class Sightings:
    """What the site shows of each cell: its value, ``HIDDEN``, or ``UNSEEN``."""

    status: np.ndarray
    first_file: np.ndarray
    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    page_cells: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per page folder: (counts shown, counts hidden) in its CSVs."""

    def where(self, cell: int) -> str:
        index = int(self.first_file[cell])
        return self.files[index] if index >= 0 else "(nergens)"


def read_site(site: Path, model: CellModel, drawings: bool = True) -> Sightings:
    """Reads every CSV, chart spec, chart SVG and HTML table of a built site; without
    ``drawings`` the chart SVGs are left for ``read_drawings``."""
    size = len(model.names)
    seen = Sightings(np.full(size, UNSEEN, dtype=np.int64), np.full(size, -1, dtype=np.int64))
    reader = _Reader(site, model, seen, drawings)
    for path in sorted(site.rglob("*.csv")):
        reader.csv(path)
    for path in sorted(site.rglob("*.vl.json")):
        reader.chart(path)
    for path in sorted(site.rglob("*.html")):
        reader.html(path)
    for path in sorted(site.rglob("*.zip")):
        reader.archive(path)
    return seen


def read_drawings(site: Path, charts: Iterable[str]) -> list[Problem]:
    """Reads these chart SVGs of a built site (site paths): each point one draws must be a
    point of the chart's spec beside it, at its place (criterion C5)."""
    problems = []
    for drawing in charts:
        spec = site / (drawing.removesuffix(".svg") + ".vl.json")
        points = json.loads(spec.read_text(encoding="utf-8")).get("data", {}).get("values", [])
        problems += _drawn_wrongly(site, site / drawing, points)
    return problems


def _drawn_wrongly(site: Path, path: Path, points: list[dict]) -> list[Problem]:
    """The points drawn in the SVG at ``path`` that are not points of its chart's spec."""
    if not path.exists():
        return []
    drawn = {(p.get("x"), p.get("reeks")): p.get("y") for p in points}
    problems = []
    for label in MARK_LABEL.findall(path.read_text(encoding="utf-8")):
        x, y, reeks = _mark(unescape(label))
        if drawn.get((x, reeks), "absent") != _dutch_number(y):
            message = f"getekend punt {label!r} staat niet in de gegevens"
            problems.append(Problem("C5", path.relative_to(site).as_posix(), message))
    return problems


class _Reader:
    def __init__(
        self, site: Path, model: CellModel, seen: Sightings, drawings: bool = True
    ) -> None:
        self.site, self.model, self.seen, self.drawings = site, model, seen, drawings
        self.indexes: dict[tuple[str, str, Level], dict[tuple[object, ...], int]] = {}
        self.counts: dict[Path, dict[str, Fingerprint]] = {}
        """Per CSV read: its count columns, for the page tables that show them (the tables
        themselves would hold every field of the site at once: at 10x over a gigabyte)."""
        self.names = _view_names(model)

    def problem(self, criterion: str, path: Path, message: str) -> None:
        where = path.relative_to(self.site).as_posix()
        self.seen.problems.append(Problem(criterion, where, message))

    def view_of(self, path: Path, name: str) -> tuple[str, str, Level] | None:
        parts = path.relative_to(self.site).parts
        level = LEVELS.get(parts[0]) if len(parts) == 3 else None
        return self.names.get((level, name))

    def rows(self, view: tuple[str, str, Level], keys: Sequence[Iterable[object]]) -> np.ndarray:
        """The row of the view for each key (``keys``: its columns, in the view's key order);
        -1 where the view has no such row."""
        if view not in self.indexes:
            frame = self.model.views[view].keys
            self.indexes[view] = _row_index([frame[c].tolist() for c in frame.columns])
        index = self.indexes[view]
        found = [index.get(key, -1) for key in zip(*keys, strict=True)]
        return np.array(found, dtype=np.intp)

    def note(self, path: Path, cells: np.ndarray, shown: np.ndarray) -> None:
        """Records sightings (``shown``: value or HIDDEN) of cells; a second look must agree."""
        seen = self.seen
        where = path.relative_to(self.site).as_posix()
        if not seen.files or seen.files[-1] != where:  # a file's columns share one entry
            seen.files.append(where)
        file_index = len(seen.files) - 1
        before = seen.status[cells]
        clash = (before != UNSEEN) & (before != shown)
        for cell in np.unique(cells[clash]):
            self.problem(
                "C4",
                path,
                f"{self.model.names[cell]} staat hier anders dan in {seen.where(cell)}",
            )
        fresh = before == UNSEEN
        seen.status[cells[fresh]] = shown[fresh]
        seen.first_file[cells[fresh]] = file_index
        wrong = (shown >= 0) & (shown != self.model.values[cells])
        for cell in np.unique(cells[wrong]):
            self.problem("C5", path, f"{self.model.names[cell]}: waarde wijkt af van de bron")

    def archive(self, path: Path) -> None:
        """A zip may only repeat files published beside it, byte for byte (read as such)."""
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if member == bundles.README:
                    continue
                published = path.parent / member
                if not published.is_file() or published.read_bytes() != archive.read(member):
                    self.problem("C4", path, f"{member} wijkt af van het gepubliceerde bestand")

    def csv(self, path: Path) -> None:
        name = path.name.removesuffix(CHART_CSV_SUFFIX).removesuffix(".csv")
        view = self.view_of(path, name)
        if view is None:
            self.problem("C5", path, "dit CSV-bestand hoort bij geen bekende tabel")
            return
        cells = self.model.views[view]
        table = _read_table(path)
        if isinstance(table, str):
            self.problem("C5", path, table)
            return
        numbers = set(cells.cells) | set(cells.rounded)
        self.counts[path] = {c: _fingerprint(table[c].tolist()) for c in table if c in numbers}
        missing = [k for k in cells.key if k not in table]
        if missing:
            self.problem("C5", path, f"sleutelkolommen ontbreken: {', '.join(missing)}")
            return
        rows = self.rows(view, [table[k] for k in cells.key])
        if (rows < 0).any():
            self.problem("C5", path, f"regel {int(np.argmax(rows < 0)) + 2}: onbekende sleutel")
            return
        counted = self._counts(path, table, rows, cells)
        for column in cells.rounded:
            if column in table:
                values = _integers(table[column].astype(str))
                if values is None:
                    self.problem("C5", path, f"kolom {column}: geen geheel getal")
                else:
                    self._rounded(path, column, values, cells.rounded)
        self._derived(path, table, cells)
        page = path.parent.relative_to(self.site).as_posix() + "/"
        shown, hidden = self.seen.page_cells.get(page, (0, 0))
        self.seen.page_cells[page] = (shown + counted[0], hidden + counted[1])

    def _counts(
        self, path: Path, table: Table, rows: np.ndarray, cells: ViewCells
    ) -> tuple[int, int]:
        shown_total = hidden_total = 0
        for column, indices in cells.cells.items():
            if column not in table:
                continue
            text = table[column].astype(str)
            cell = indices[rows]
            empty = text == ""
            if ((cell < 0) & ~empty).any():
                self.problem("C5", path, f"kolom {column}: een getal waar de bron niets heeft")
            values = _integers(text[(cell >= 0) & ~empty])
            if values is None:
                self.problem("C5", path, f"kolom {column}: geen geheel getal")
                continue
            known = cell >= 0
            shown = np.full(len(cell), HIDDEN, dtype=np.int64)
            shown[known & ~empty] = values
            self.note(path, cell[known], shown[known])
            shown_total += int((known & ~empty).sum())
            hidden_total += int((known & empty).sum())
        return shown_total, hidden_total

    def _rounded(
        self, path: Path, column: str, values: np.ndarray, rounded: Mapping[str, int]
    ) -> None:
        """A count the source rounded (not ours to suppress) must be such a rounded count:
        a sum or copy of them stays a multiple of the rounding; anything else is a leak."""
        if (values % rounded[column]).any():
            self.problem("C5", path, f"kolom {column}: niet afgerond op {rounded[column]}")

    def _derived(self, path: Path, table: Table, cells: ViewCells) -> None:
        """A value computed from a hidden input may not be shown (it would give the input away)."""
        for column, inputs in cells.derived_inputs.items():
            hidden = [table[i] == "" for i in inputs if i in cells.cells and i in table]
            if column in table and hidden:
                leak = (table[column] != "") & np.logical_or.reduce(hidden)
                if leak.any():
                    row = int(np.argmax(leak)) + 2
                    self.problem("C5", path, f"regel {row}, kolom {column}: invoer afgeschermd")

    def chart(self, path: Path) -> None:
        spec = json.loads(path.read_text(encoding="utf-8"))
        if spec.get("usermeta", {}).get("soort") == maps.MAP_KIND:
            self._map(path, spec)
            return
        source = spec.get("usermeta", {}).get("bron")
        points = spec.get("data", {}).get("values", [])
        view = (source["dataset"], source["tabel"], source["niveau"]) if source else None
        if view is None or view not in self.model.views:
            self.problem("C5", path, "grafiek zonder bekende bron")
            return
        cells = self.model.views[view]
        keys = pd.DataFrame([p["rij"] for p in points], columns=list(cells.key), dtype=str)
        rows = self.rows(view, [keys[k].tolist() for k in cells.key])
        if (rows < 0).any():
            self.problem("C5", path, "grafiekpunt met onbekende sleutel")
            return
        if _from_rounded(source["kolom"], cells):
            self._svg(path, points)
            return
        shown = np.array([HIDDEN if p["y"] is None else p["y"] for p in points], dtype=np.int64)
        if source["kolom"] in cells.rounded:
            self._rounded(path, source["kolom"], shown[shown != HIDDEN], cells.rounded)
            self._svg(path, points)
            return
        if source["kolom"] not in cells.cells:
            self.problem("C5", path, f"grafiek van kolom {source['kolom']}: geen telling")
            return
        cell = cells.cells[source["kolom"]][rows]
        # A count the source already suppressed has no cell; drawn as a gap it shows nothing.
        if ((cell < 0) & (shown != HIDDEN)).any():
            self.problem("C5", path, "grafiekpunt zonder cel")
        self.note(path, cell[cell >= 0], shown[cell >= 0])
        self._svg(path, points)

    def _map(self, path: Path, spec: dict) -> None:
        """A map shows names, codes and roles only: anything else in its data is a problem."""
        features = spec.get("data", {}).get("values", [])
        extra = {k for f in features for k in f.get("properties", {})} - maps.PROPERTIES
        other = {k for f in features for k in f} - {"type", "properties", "geometry"}
        if extra or other or set(spec) & {"datasets", "layer", "concat", "hconcat", "vconcat"}:
            self.problem("C5", path, f"kaart met meer dan namen en codes: {sorted(extra | other)}")

    def _svg(self, spec_path: Path, points: list[dict]) -> None:
        """The chart's SVG beside its spec, unless the drawings are left for later."""
        if self.drawings:
            drawing = spec_path.with_name(spec_path.name.removesuffix(".vl.json") + ".svg")
            self.seen.problems += _drawn_wrongly(self.site, drawing, points)

    def html(self, path: Path) -> None:
        for source, fields, transposed, rows in _data_tables(path.read_bytes()):
            counts = self.counts.get(path.parent / source)
            if counts is None:
                self.problem("C5", path, f"tabel zonder CSV-bestand {source}")
                continue
            if transposed:
                rows = [[cell for row in rows for cell in row[1:]]]
                fields = fields or []
            self._compare(path, source, counts, fields, rows)

    def _compare(
        self, path: Path, source: str, counts: dict[str, Fingerprint], fields: list[str], rows: list
    ) -> None:
        if any(len(row) < len(fields) for row in rows):
            self.problem("C4", path, f"tabel {source}: een rij met minder cellen dan kolommen")
            return
        body = [row[-len(fields) :] for row in rows] if fields else []
        for column_index, name in enumerate(fields):
            if name not in counts:
                continue
            shown = [_page_text(row[column_index]) for row in body]
            if _fingerprint(shown) != counts[name]:
                self.problem("C4", path, f"tabel {source}, kolom {name}: anders dan de CSV")


ROUNDED_ZERO = re.compile(r"<\s?[0-9]+")

MARK_LABEL = re.compile(r'<path aria-label="([^"]*;[^"]*;[^"]*)" role="graphics-symbol"')
"""A drawn point: vl-convert labels it "x title: x; y title: y; reeks: series; …"."""


def _mark(label: str) -> tuple[str, str, str]:
    """x, y and series of a drawn point; a series name may itself hold "; " or markup."""
    x, y, rest = label.split("; ", 2)
    reeks = rest.removeprefix("reeks: ").rpartition("; Reeks: ")[0]
    return x.split(": ", 1)[-1], y.split(": ", 1)[-1], reeks


def _fingerprint(fields: list[str]) -> Fingerprint:
    """Equal for two columns exactly when their fields are (but for a digest collision)."""
    encoded = json.dumps(fields, ensure_ascii=False).encode()
    return len(fields), hashlib.blake2b(encoded, digest_size=16).digest()


def _integers(text: np.ndarray) -> np.ndarray | None:
    if not all(t.isdigit() for t in text):
        return None
    return text.astype(np.int64)


def _dutch_integer(text: str) -> int | None:
    digits = text.replace(".", "").replace("\u00a0", "")
    return int(digits) if digits.isdigit() else None


def _dutch_number(text: str) -> int | float | None:
    """A drawn value as vl-convert labels it: ``1.234`` or ``12,5``."""
    whole, comma, fraction = text.partition(",")
    number = _dutch_integer(whole)
    if not comma or number is None:
        return number
    return float(f"{number}.{fraction}") if fraction.isdigit() else None


def _from_rounded(column: str, cells: ViewCells) -> bool:
    """A value computed only from counts the source rounded (a share of CBS counts): it shows
    nothing of our cells, so a chart may draw it."""
    inputs = cells.derived_inputs.get(column, ())
    return bool(inputs) and all(i in cells.rounded for i in inputs)


@functools.lru_cache(maxsize=4096)  # a page shows the same few thousand texts again and again
def _page_text(text: str) -> str:
    """A count as the page shows it, back in CSV form: ``1.234`` → ``1234``; x and – → empty;
    a source-rounded 0 (``< 5``) → ``0``."""
    text = text.strip()
    if ROUNDED_ZERO.fullmatch(text):
        return "0"
    number = _dutch_integer(text)
    return "" if number is None else str(number)


def _view_names(model: CellModel) -> dict[tuple[Level | None, str], tuple[str, str, Level]]:
    """(level, file name) → view: "dataset-tabel" names a view exactly, "dataset" alone the
    first view of that dataset at that level; an exact name wins."""
    exact: dict[tuple[Level | None, str], tuple[str, str, Level]] = {}
    loose: dict[tuple[Level | None, str], tuple[str, str, Level]] = {}
    for view in model.views:
        exact.setdefault((view[2], f"{view[0]}-{view[1]}"), view)
        loose.setdefault((view[2], view[0]), view)
    return loose | exact


def _read_table(path: Path) -> Table | str:
    """The columns of a CSV file, or what makes it unreadable (a spreadsheet would guess)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = [line for line in csv.reader(handle) if line]
    except (csv.Error, UnicodeDecodeError) as error:
        return f"niet te lezen als CSV: {error}"
    if not lines:
        return "leeg CSV-bestand"
    header, body = lines[0], lines[1:]
    if len(set(header)) < len(header):
        return "een kolomnaam staat twee keer in de kop"
    for number, line in enumerate(body, 2):
        if len(line) != len(header):
            return f"regel {number}: {len(line)} velden, de kop heeft er {len(header)}"
    columns = list(zip(*body, strict=True)) if body else [()] * len(header)
    return {
        name: np.array(column, dtype=object) for name, column in zip(header, columns, strict=True)
    }


def _row_index(keys: Sequence[Iterable[object]]) -> dict[tuple[object, ...], int]:
    index: dict[tuple[object, ...], int] = {}
    for row, key in enumerate(zip(*keys, strict=True)):
        index.setdefault(key, row)
    return index


_HTML = etree.HTMLParser(encoding="utf-8", no_network=True)
_CELLS = ("tr", "td", "th")


def _data_tables(page: bytes) -> list[tuple[str, list[str], bool, list[list[str]]]]:
    """The data tables of a page: source CSV, field per column, cell texts per row.

    Parsed as HTML by libxml2 (what a browser builds, not a pattern over the text); a
    ``<th>``/``<td>`` with ``data-veld`` and ``scope="col"`` names a column, one with
    ``data-veld`` alone a row of a transposed table. The first row (the header) is left out.
    """
    root = etree.fromstring(page, _HTML) if page.strip() else None
    if root is None:
        return []
    tables = []
    for table in root.iter("table"):
        source = table.get("data-bron")
        if not source:
            continue
        fields: list[str] = []
        transposed = False
        rows: list[list[str]] = []
        for element in table.iter(*_CELLS):
            if element.tag == "tr":
                rows.append([])
                continue
            veld = element.get("data-veld")
            if veld:
                fields.append(veld)
                transposed = transposed or element.get("scope") != "col"
            if rows:  # most cells hold text alone: read it without walking the children
                rows[-1].append("".join(element.itertext()) if len(element) else element.text or "")
        tables.append((source, fields, transposed, [r for r in rows[1:] if r]))
    return tables
