"""Stage 10, output: write the site into a temporary folder and swap it in on success.

``SiteWriter`` writes files under a fresh folder beside the target, refuses to write a path
twice or outside the folder, and writes tables only from ``MaskedView``s. ``publish`` swaps the
finished folder into place; on any failure the old site stays as it was.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator.model import MaskedView, missing


class SiteWriter:
    """Writes files into one folder, each path once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: dict[str, str] = {}

    def write(self, path: str, data: bytes | str) -> str:
        """Writes a file at a site path; returns its sha256."""
        if path in self.written:
            raise ValueError(f"{path} is written twice")
        target = (self.root / path).resolve()
        if self.root.resolve() not in target.parents:
            raise ValueError(f"{path} lies outside the site")
        raw = data.encode("utf-8") if isinstance(data, str) else data
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw)
        self.written[path] = hashlib.sha256(raw).hexdigest()
        return self.written[path]

    def copy(self, path: str, source: Path) -> str:
        """Writes a copy of a file at a site path; returns its sha256."""
        return self.write(path, source.read_bytes())

    def write_table(self, path: str, masked: MaskedView) -> bytes:
        """Writes a masked table as CSV; returns the bytes written."""
        data = csv_bytes(masked)
        self.write(path, data)
        return data


def csv_bytes(masked: MaskedView) -> bytes:
    """A masked table as tidy CSV: UTF-8, comma, key columns first, suppressed cells empty,
    booleans as ``true`` and ``false``. Written with ``csv`` from each column's values (as
    ``DataFrame.to_csv`` writes them, at a fraction of its cost on 4,000 small tables)."""
    if not isinstance(masked, MaskedView):
        raise TypeError("only masked tables are written into the site")
    frame = masked.frame
    columns = [[_csv_text(value) for value in frame[name].tolist()] for name in frame.columns]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(frame.columns)
    writer.writerows(zip(*columns, strict=True))
    return text.getvalue().encode("utf-8")


def _csv_text(value: object) -> str:
    """One CSV field: empty when missing (NA, None or NaN)."""
    if missing(value):
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


@contextlib.contextmanager
def staging(target: Path) -> Iterator[SiteWriter]:
    """A writer on a temporary folder beside ``target``, swapped in only if the block succeeds."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.bouw-", dir=target.parent))
    try:
        yield SiteWriter(temporary)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    _swap(temporary, target)


def _swap(new: Path, target: Path) -> None:
    new.chmod(0o755)
    if not target.exists():
        new.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.oud-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
