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
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from generator.model import MaskedView, missing


class SiteWriter:
    """Writes files into one folder, each path once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: dict[str, str] = {}
        self.folders: set[Path] = set()
        """Folders made so far (the 10× site writes 137,000 files into 4,900 folders)."""

    def write(self, path: str, data: bytes | str) -> str:
        """Writes a file at a site path; returns its sha256."""
        target = self._new_file(path)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        target.write_bytes(raw)
        self.written[path] = hashlib.sha256(raw).hexdigest()
        return self.written[path]

    def link(self, path: str, source: Path, sha256: str) -> str:
        """Puts a file at a site path as a hard link to ``source``, or a copy where a link cannot
        be made (another file system); records and returns its known sha256. For files that are
        only ever replaced whole, never changed in place: the drawing cache's (at 10x the
        entities, copying its 2.3 GB took 25 s of the build and the writeback slowed what came
        after; the workers hashed each drawing as they wrote it)."""
        target = self._new_file(path)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        self.written[path] = sha256
        return sha256

    def _new_file(self, path: str) -> Path:
        """Where a site path is written, its folder made; a path is written once."""
        if path in self.written:
            raise ValueError(f"{path} is written twice")
        target = self.root / _inside(path)
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        return target

    def write_table(self, path: str, masked: MaskedView) -> bytes:
        """Writes a masked table as CSV; returns the bytes written."""
        data = csv_bytes(masked)
        self.write(path, data)
        return data


def _inside(path: str) -> PurePosixPath:
    """A site path as a relative path with no step up: checked by its text, as the folder is
    the writer's own (no links in it) and resolving each of a site's files costs seconds."""
    relative = PurePosixPath(path)
    if not relative.parts or relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"{path} lies outside the site")
    return relative


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
