"""The publication ledger: what each release published, so that a later one cannot undo it.

An append-only gzip file beside the data packages (``publicatieregister.csv.gz``). Each release
appends one gzip member: a CSV of every cell with the release name, the cell's stable name, a
digest of its form (which base cells it sums) and its published value, or ``x`` when it was
suppressed. The next build treats a cell published earlier, with the same form and value, as
known to everyone; a cell suppressed earlier stays suppressed.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from generator.model import CellModel, EarlierReleases
from generator.sightings import HIDDEN

FILE_NAME = "publicatieregister.csv.gz"
HEADER = ["uitgave", "cel", "vorm", "waarde"]
SUPPRESSED = "x"


@dataclass(frozen=True)
class Ledger:
    """The latest recorded state of each cell: name → (form digest, value or None)."""

    releases: tuple[str, ...]
    entries: dict[str, tuple[str, int | None]]


EMPTY = Ledger((), {})


def read(path: Path) -> Ledger:
    """Reads the ledger; a missing file is an empty ledger (no earlier release)."""
    if not path.exists():
        return EMPTY
    releases: list[str] = []
    entries: dict[str, tuple[str, int | None]] = {}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as text:
        for row in csv.reader(text):
            if row == HEADER:
                continue
            release, name, digest, value = row
            if not releases or releases[-1] != release:
                releases.append(release)
            entries[name] = (digest, None if value == SUPPRESSED else int(value))
    return Ledger(tuple(releases), entries)


def known(ledger: Ledger, model: CellModel) -> EarlierReleases:
    """Which cells earlier releases fix: published ones (same form, same value), suppressed."""
    size = len(model.names)
    published = np.zeros(size, dtype=bool)
    suppressed = np.zeros(size, dtype=bool)
    if not ledger.entries:
        return EarlierReleases(published, suppressed)
    digests = form_digests(model)
    for cell, name in enumerate(model.names):
        entry = ledger.entries.get(name)
        if entry is None or entry[0] != digests[cell]:
            continue
        if entry[1] is None:
            suppressed[cell] = True
        elif entry[1] == model.values[cell]:
            published[cell] = True
    return EarlierReleases(published, suppressed)


def append(path: Path, release: str, model: CellModel, status: np.ndarray) -> int:
    """Appends one release: each cell's value (``status`` ≥ 0) or suppression (``HIDDEN``).

    Cells the site does not show at all (any other negative status) are not recorded.
    """
    if release in read(path).releases:
        raise ValueError(f"uitgave {release} staat al in {path.name}")
    digests = form_digests(model)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    recorded = 0
    for cell, name in enumerate(model.names):
        if status[cell] < HIDDEN:
            continue
        value = SUPPRESSED if status[cell] == HIDDEN else str(int(status[cell]))
        writer.writerow([release, name, digests[cell], value])
        recorded += 1
    with path.open("ab") as raw:
        raw.write(gzip.compress(buffer.getvalue().encode("utf-8"), mtime=0))
    return recorded


def form_digests(model: CellModel) -> list[str]:
    """A short digest per cell of which base cells it sums, with what coefficients."""
    forms = model.forms
    base_names = list(model.base_names)  # unpacked while needed: read in no particular order
    # as lists: slicing a million small runs of a numpy array costs more than the digests
    indptr, bases, factors = forms.indptr.tolist(), forms.indices.tolist(), forms.data.tolist()
    digests = []
    for cell in range(forms.shape[0]):
        start, end = indptr[cell], indptr[cell + 1]
        terms = sorted(
            f"{base_names[b]}*{c}"
            for b, c in zip(bases[start:end], factors[start:end], strict=True)
        )
        digests.append(hashlib.sha256("\n".join(terms).encode()).hexdigest()[:16])
    return digests
