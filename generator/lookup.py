"""Finding things: the indexes of SWVs and gemeenten by name, code, provincie and relation.

Reads ``Regions`` (and the datasets' names and titles); returns the entries that the list pages,
the home page and the search page show, and the search index ``zoekindex.json`` that the search
script reads. Only names, codes and relations: never a count.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable

from generator import config
from generator.context import GemeenteEntry, Link, Provincie, SwvEntry
from generator.model import Regions

INDEX_VERSION = 1


def fold(text: str) -> str:
    """Lower case without accents, as the search compares: ``Fryslân`` → ``fryslan``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def anchor(text: str) -> str:
    """An id for a heading: ``Noord-Brabant`` → ``noord-brabant``, ``Fryslân`` → ``fryslan``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def swv_entries(regions: Regions) -> tuple[SwvEntry, ...]:
    """Every SWV by code, with its region's gemeenten by name."""
    return tuple(_swv_entry(code, regions) for code in sorted(regions.swvs))


def gemeente_entries(regions: Regions) -> tuple[GemeenteEntry, ...]:
    """Every current gemeente by name, with its SWVs by code."""
    entries = (_gemeente_entry(code, regions) for code in regions.gemeenten)
    return tuple(sorted(entries, key=lambda g: (fold(g.naam), g.code)))


def provincies(gemeenten: Iterable[GemeenteEntry]) -> tuple[Provincie, ...]:
    """The gemeenten grouped by provincie, provincies by name."""
    groups: dict[str, list[GemeenteEntry]] = {}
    for entry in gemeenten:
        groups.setdefault(entry.provincie, []).append(entry)
    return tuple(
        Provincie(naam, anchor(naam), tuple(groups[naam])) for naam in sorted(groups, key=fold)
    )


def provincie_url(naam: str) -> str:
    """The provincie's group on the gemeente list."""
    return f"gemeente/#{anchor(naam)}"


def _swv_entry(code: str, regions: Regions) -> SwvEntry:
    swv = regions.swvs[code]
    members = sorted(
        regions.gemeenten_of(code), key=lambda m: fold(regions.gemeenten[m.gemeente].naam)
    )
    gemeenten = tuple(
        Link(regions.gemeenten[m.gemeente].naam, config.gemeente_url(m.gemeente), m.note)
        for m in members
    )
    found = {regions.gemeenten[m.gemeente].provincie for m in members}
    return SwvEntry(
        code, swv.naam, swv.sector, config.swv_url(code), tuple(sorted(found, key=fold)), gemeenten
    )


def _gemeente_entry(code: str, regions: Regions) -> GemeenteEntry:
    gemeente = regions.gemeenten[code]
    swvs = tuple(
        Link(regions.swvs[m.swv].label, config.swv_url(m.swv), m.note)
        for m in sorted(regions.swvs_of(code), key=lambda m: m.swv)
    )
    return GemeenteEntry(code, gemeente.naam, gemeente.provincie, config.gemeente_url(code), swvs)


def index_json(regions: Regions, datasets: Iterable[tuple[str, str]]) -> str:
    """The search index: every SWV, gemeente and dataset (name, title) with its URL.

    Each entry carries the codes it relates to, so that a result can name a gemeente's SWVs.
    Keys and order are fixed: the same regions give the same bytes.
    """
    index = {
        "versie": INDEX_VERSION,
        "swv": [
            {
                "code": s.code,
                "naam": s.naam,
                "sector": s.sector,
                "url": s.url,
                "provincies": list(s.provincies),
                "gemeenten": [_code(g.url) for g in s.gemeenten],
            }
            for s in swv_entries(regions)
        ],
        "gemeenten": [
            {
                "code": g.code,
                "naam": g.naam,
                "provincie": g.provincie,
                "url": g.url,
                "swvs": [_code(s.url) for s in g.swvs],
            }
            for g in gemeente_entries(regions)
        ],
        "datasets": [
            {"naam": name, "titel": title, "url": config.dataset_url(name)}
            for name, title in datasets
        ],
    }
    return json.dumps(index, ensure_ascii=False, separators=(",", ":")) + "\n"


def _code(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]
