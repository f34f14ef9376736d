"""The referentie tables from the Regeling regio-indeling and the CBS gemeente tables.

Reads a ``Regeling`` and a ``Gemeentelijst``; returns the rows of ``swv``, ``gemeenten``,
``herindelingen`` and ``gemeente_swv`` (``schoolvestigingen`` come from the DUO cluster file),
plus notes on what the sources could not settle.

How today's gemeenten get their SWVs: every postcode of the 2015 text is placed in the gemeente
that holds it today (through the mergers since 2015); a gemeente whose postcodes lie in two
SWVs of one sector is split, each part with its postcodes. Postcodes of a gemeente that was
later divided over several gemeenten (Littenseradiel 2018, Haaren 2021) cannot be placed
without a postcode table of today and are left out (a note says so); the 2014 text is checked
against the result and every difference is reported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from generator.importers.cbs_gemeenten import Gemeentelijst
from generator.importers.reading import raise_if
from generator.importers.regeling import NO_REGION, Regeling

FIRST_PEILJAAR = 2014
"""Passend onderwijs and its SWV regions started on 1 August 2014."""
REGELING_YEARS = {"2014": 2014, "2015": 2015}
NATIONAL = {"VO0001": "landelijk reformatorisch samenwerkingsverband (geen regio)"}
"""SWVs without a region, so not in the Regeling (DESIGN.md: VO0001)."""
LABEL_NAMES = 3


@dataclass(frozen=True)
class Referentie:
    swv: list[tuple[str, ...]]
    gemeenten: list[tuple[str, ...]]
    herindelingen: list[tuple[str, ...]]
    gemeente_swv: list[tuple[str, ...]]
    notes: tuple[str, ...]


def referentie(regeling: Regeling, gemeenten: Gemeentelijst) -> Referentie:
    """Joins the Regeling to today's gemeenten; ``InputError`` for names CBS does not know."""
    parts, unplaced, notes = _parts(regeling, gemeenten)
    notes += _check_listings(regeling, gemeenten, parts, unplaced)
    memberships = _memberships(parts, gemeenten)
    errors = _coverage(memberships, gemeenten)
    raise_if(errors)
    return Referentie(
        swv=_swv_rows(regeling.codes(), parts, gemeenten),
        gemeenten=_gemeente_rows(gemeenten),
        herindelingen=[(str(c.jaar), c.oud, c.nieuw) for c in gemeenten.changes],
        gemeente_swv=memberships,
        notes=tuple(notes),
    )


Parts = dict[str, dict[str, list[str]]]
"""Current gemeente → SWV → the postcodes of the gemeente in that SWV."""


def _parts(regeling: Regeling, gemeenten: Gemeentelijst) -> tuple[Parts, set[str], list[str]]:
    parts: Parts = defaultdict(lambda: defaultdict(list))
    notes: list[str] = []
    unknown: dict[str, list[str]] = defaultdict(list)
    unplaced: dict[str, list[str]] = defaultdict(list)
    for row in regeling.postcodes:
        code = gemeenten.lookup(row.gemeente, 2015)
        if code is None:
            unknown[row.gemeente].append(row.where)
            continue
        today = gemeenten.successors(code)
        if len(today) != 1:
            unplaced[code].append(row.pc4)
            continue
        for swv in (row.po, row.vo):
            if swv != NO_REGION:
                parts[today[0]][swv].append(row.pc4)
    raise_if([_unknown(name, places) for name, places in unknown.items()])
    for code, pcs in sorted(unplaced.items()):
        notes.append(
            f"postcodes {', '.join(pcs)} van {code} ({gemeenten.names[code]}) niet ingedeeld: "
            f"die gemeente is later verdeeld over {', '.join(gemeenten.successors(code))}"
        )
    return parts, set(unplaced), notes


def _unknown(name: str, places: list[str]) -> str:
    more = f" (en {len(places) - 1} andere regels)" if len(places) > 1 else ""
    return f"{places[0]}{more}, kolom 'gemeente': onbekende gemeente {name!r}"


def _memberships(parts: Parts, gemeenten: Gemeentelijst) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for code in sorted(parts):
        since = str(max(FIRST_PEILJAAR, gemeenten.years[code][0]))
        for sector in ("PO", "VO"):
            swvs = sorted(s for s in parts[code] if s.startswith(sector))
            for swv in swvs:
                postcodes = " ".join(sorted(set(parts[code][swv]))) if len(swvs) > 1 else ""
                rows.append((code, swv, since, postcodes))
    return rows


def _coverage(memberships: list[tuple[str, ...]], gemeenten: Gemeentelijst) -> list[str]:
    sectors = defaultdict(set)
    for gemeente, swv, *_ in memberships:
        sectors[gemeente].add(swv[:2].lower())
    return [
        f"regio-indeling: gemeente {code} ({gemeenten.names[code]}) heeft geen {sector}-SWV"
        for code in gemeenten.current()
        for sector in ("po", "vo")
        if sector not in sectors[code]
    ]


def _check_listings(
    regeling: Regeling, gemeenten: Gemeentelijst, parts: Parts, unplaced: set[str]
) -> list[str]:
    """The 2014 text against the postcodes of 2015: differences are reported, not hidden."""
    notes, errors = [], []
    reported: set[str] = set()
    known = {c for row in regeling.postcodes for c in (row.po, row.vo)}
    for listing in regeling.listings:
        if listing.swv not in known:
            if listing.swv in reported:
                continue  # one line per block, not per row under the same code
            reported.add(listing.swv)
            errors.append(
                f"{listing.where}, kolom 'samenwerkingsverband': onbekende SWV-code "
                f"{listing.swv}: staat niet in de postcodetabel"
            )
            continue
        code = gemeenten.lookup(listing.gemeente, 2014)
        if code is None:
            errors.append(f"{listing.where}: onbekende gemeente {listing.gemeente!r}")
            continue
        today = gemeenten.successors(code)
        if code in unplaced:
            continue  # already reported: its postcodes could not be placed
        named = set(listing.postcodes) if not listing.except_postcodes else set()
        held = [parts.get(t, {}).get(listing.swv) for t in today]
        if not any(pcs and named <= set(pcs) for pcs in held):
            notes.append(
                f"{listing.where}: {listing.gemeente} ({code}, nu {', '.join(today)}) staat "
                f"onder {listing.swv}, maar de postcodetabel van 2015 deelt "
                f"{' '.join(sorted(named)) or 'haar'} daar niet in"
            )
    raise_if(errors)
    return notes


def _swv_rows(
    codes: tuple[str, ...], parts: Parts, gemeenten: Gemeentelijst
) -> list[tuple[str, ...]]:
    members: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for code, swvs in parts.items():
        for swv, pcs in swvs.items():
            members[swv].append((-len(pcs), gemeenten.names[code]))
    rows = [(code, label(code, [n for _, n in sorted(members[code])])) for code in codes]
    rows += [(code, f"{code} · {naam}") for code, naam in NATIONAL.items()]
    return [(code, naam, code[:2].lower()) for code, naam in sorted(rows)]


def label(code: str, names: list[str]) -> str:
    """``PO2707 · Amsterdam, Diemen``: the gemeenten with most postcodes first."""
    if len(names) <= LABEL_NAMES + 1:
        return f"{code} · {', '.join(names)}"
    shown = ", ".join(names[:LABEL_NAMES])
    return f"{code} · {shown} en {len(names) - LABEL_NAMES} andere"


def _gemeente_rows(gemeenten: Gemeentelijst) -> list[tuple[str, ...]]:
    last = gemeenten.last_year
    rows: list[tuple[str, ...]] = []
    for code, years in sorted(gemeenten.years.items()):
        until = "" if years[-1] == last else str(years[-1])
        rows.append((code, gemeenten.names[code], gemeenten.provincies[code], str(years[0]), until))
    return rows
