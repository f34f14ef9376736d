"""Writing data packages: deterministic CSV and JSON, all packages at once, atomically.

Every package goes into a temporary folder beside ``--out`` that is swapped in only when all of
them were made; on any error nothing under ``--out`` changes. The publication ledger of an
existing data folder is carried over, never dropped.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import ledger, output

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class PackageFiles:
    """One package to write: its descriptor and the text of each resource file."""

    name: str
    descriptor: dict[str, Any]
    files: dict[str, str] = field(default_factory=dict)


def csv_text(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """UTF-8 CSV text, comma-separated, ``\\n`` line ends, quoted only where needed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def descriptor_text(descriptor: dict[str, Any]) -> str:
    return json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"


def write(
    out_dir: Path, packages: Sequence[PackageFiles], check: Callable[[Path], Mapping[str, str]]
) -> list[str]:
    """Writes every package under ``out_dir`` (replacing it); returns the paths written.

    ``check`` reads the finished temporary folder and raises when it is not valid; the folder
    is then removed and ``out_dir`` stays as it was. Otherwise it returns further files to
    write (path under ``out_dir`` → text): what the check found, such as ``verschillen.csv``.
    """
    kept = out_dir / ledger.FILE_NAME
    with output.staging(out_dir) as writer:
        for package in packages:
            writer.write(f"{package.name}/{DESCRIPTOR}", descriptor_text(package.descriptor))
            for path, text in sorted(package.files.items()):
                writer.write(f"{package.name}/{path}", text)
        if kept.is_file():
            shutil.copy2(kept, writer.root / ledger.FILE_NAME)
        for path, text in sorted(check(writer.root).items()):
            writer.write(path, text)
    return sorted(writer.written)
