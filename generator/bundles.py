"""Zip downloads and citations: a page's data in one file, and all data in one file.

A zip holds files already published beside it (byte for byte the same, so the audit checks
them by comparison), a ``LEESMIJ.txt`` and a citation line. Zips are deterministic: fixed member
order, timestamps and permissions.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence

from generator import config
from generator.model import Package

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
README = "LEESMIJ.txt"
BULK_FILE = "datasets/passend-onderwijs-in-cijfers.zip"
"""All datasets in one download; members are ``<dataset>/<file>`` as under ``datasets/``."""


def zip_bytes(files: Sequence[tuple[str, bytes]]) -> bytes:
    """The files as one zip archive, in the given order, byte-identical for the same input."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files:
            member = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            # zlib's default: 1.6% larger than level 9 on the site's CSVs, three times faster
            archive.writestr(member, data, compresslevel=6)
    return buffer.getvalue()


def citation(title: str, url: str, packages: Iterable[Package]) -> str:
    """How to cite a page: publisher, year, title, data versions and the URL."""
    used = sorted({p.name: p for p in packages}.values(), key=lambda p: p.name)
    dates = sorted(d for p in used for d in p.release_dates)
    year = f" ({dates[-1][:4]})" if dates else ""
    versions = ", ".join(f"{p.name} {p.version}" for p in used)
    data = f" Data: {versions}." if versions else ""
    return f"{config.SITE_NAME}{year}. {title}.{data} {config.SITE_URL}{url}"


def readme(title: str, url: str, files: Sequence[tuple[str, str]], cite: str) -> bytes:
    """The ``LEESMIJ.txt`` of a zip: what it is, each file, the privacy rule, the citation."""
    lines = [
        f"{config.SITE_NAME}: {title}",
        f"Bron: {config.SITE_URL}{url}",
        "",
        "Bestanden:",
        *(f"- {name}: {description}" for name, description in files),
        "",
        "De CSV-bestanden zijn UTF-8 en kommagescheiden. Een leeg getal is afgeschermd: een",
        "aantal van 1 tot en met 4, of een getal waaruit zo'n aantal af te leiden is.",
        "datapackage.json beschrijft elk bestand: velden, bron, licentie, versie en controlegetal.",
        f"Uitleg over de afscherming: {config.SITE_URL}privacy/",
        "",
        "Licentie: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/deed.nl).",
        "Citeer als:",
        cite,
        "",
    ]
    return "\n".join(lines).encode("utf-8")
