"""Stage 3, regions: SWVs, gemeenten, schoolvestigingen and how they relate.

Reads the ``referentie`` package of the Catalog; returns ``Regions``. Raises ``InputError`` when
the relations contradict each other (a vestiging whose postcode lies in none of its gemeente's
SWV parts, or a current gemeente without a po or vo SWV).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pandas as pd

from generator.config import REFERENCE_PACKAGE
from generator.model import (
    Catalog,
    Gemeente,
    InputError,
    Membership,
    Package,
    Regions,
    Swv,
    Vestiging,
    records,
)


def regions(catalog: Catalog) -> Regions:
    """Reads the referentie tables; returns the regions and their relations."""
    reference = catalog.packages[REFERENCE_PACKAGE]
    swvs = {r["code"]: Swv(r["code"], r["naam"], r["sector"]) for r in _rows(reference, "swv")}
    gemeenten = _current_gemeenten(reference.resources["gemeenten"].frame)
    history = memberships(reference.resources["gemeente_swv"].frame)
    current = tuple(m for m in history if m.tot is None)
    vestigingen = {
        r["vestiging_code"]: Vestiging(
            r["vestiging_code"], r["naam"], r["gemeente_code"], r["postcode"]
        )
        for r in _rows(reference, "schoolvestigingen")
    }
    errors = [*_coverage_errors(gemeenten, swvs, current)]
    vestiging_swvs = {}
    for vestiging in vestigingen.values():
        found = _swvs_of_vestiging(vestiging, current)
        if sorted(swvs[code].sector for code in found) != ["po", "vo"]:
            errors.append(
                f"{REFERENCE_PACKAGE}/schoolvestigingen.csv, vestiging {vestiging.code}: "
                f"postcode {vestiging.postcode} ligt niet in precies één po- en één vo-SWV "
                f"van gemeente {vestiging.gemeente} (gevonden: {', '.join(found) or 'geen'})"
            )
        vestiging_swvs[vestiging.code] = found
    if errors:
        raise InputError(errors)
    mergers = _mergers(reference.resources["herindelingen"].frame, gemeenten)
    ended = tuple(m for m in history if m.tot is not None)
    return Regions(swvs, gemeenten, vestigingen, current, vestiging_swvs, mergers, ended)


def _mergers(herindelingen: pd.DataFrame, current: Mapping[str, Gemeente]) -> dict[str, tuple]:
    """The merger years of each current gemeente, following chains of mergers to it."""
    into = {
        str(r["gemeente_oud"]): (str(r["gemeente_nieuw"]), int(r["jaar"]))
        for r in records(herindelingen)
    }
    years: dict[str, set[int]] = {}
    for old, (new, year) in into.items():
        seen = {old}
        while new in into and new not in seen:  # a chain: the new gemeente merged later too
            seen.add(new)
            new = into[new][0]
        if new in current:
            years.setdefault(new, set()).add(year)
    return {code: tuple(sorted(found)) for code, found in sorted(years.items())}


def _rows(reference: Package, resource: str) -> list[dict[str, Any]]:
    return records(reference.resources[resource].frame)


def _current_gemeenten(frame: pd.DataFrame) -> dict[str, Gemeente]:
    current = frame[frame["geldig_tot"].isna()].sort_values("code")
    return {r["code"]: Gemeente(r["code"], r["naam"], r["provincie"]) for r in records(current)}


def memberships(frame: pd.DataFrame) -> tuple[Membership, ...]:
    """Reads ``gemeente_swv``; returns every indeling in it, each with its end: an indeling of a
    gemeente in a sector holds until the gemeente's next one in that sector begins."""
    rows = records(frame.sort_values(["gemeente_code", "swv_code", "vanaf_peiljaar"]))
    starts: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        starts.setdefault((r["gemeente_code"], r["swv_code"][:2]), []).append(
            int(r["vanaf_peiljaar"])
        )
    found = []
    for r in rows:
        vanaf = int(r["vanaf_peiljaar"])
        mine = starts[(r["gemeente_code"], r["swv_code"][:2])]
        postcodes = tuple(str(r["postcodes"]).split()) if r["postcodes"] else ()
        tot = min((y for y in mine if y > vanaf), default=None)
        gemeente, swv = r["gemeente_code"], r["swv_code"]
        found.append(Membership(gemeente, swv, postcodes, vanaf, tot, vanaf == min(mine)))
    return tuple(found)


def yearly(memberships: Iterable[Membership], periods: pd.Series) -> pd.DataFrame:
    """Which SWVs each gemeente belonged to in each period of ``periods`` (schooljaren or
    peiljaren): a row (``gemeente_code``, ``swv_code``, the period) per membership and period in
    whose peiljaar it holds."""
    found = _periods(periods)
    rows = [(m.gemeente, m.swv, p) for p, year in found for m in memberships if m.holds(year)]
    return _typed(rows, ["gemeente_code", "swv_code", str(periods.name)], periods)


def vestiging_years(regions: Regions, periods: pd.Series) -> pd.DataFrame:
    """Which SWVs each schoolvestiging lay in in each period of ``periods``: a row
    (``vestiging_code``, ``swv_code``, the period) each; in a split gemeente its postcode
    decides."""
    by_gemeente: dict[str, list[Membership]] = {}
    for m in regions.history:
        by_gemeente.setdefault(m.gemeente, []).append(m)
    rows = [
        (vestiging.code, swv, p)
        for p, year in _periods(periods)
        for vestiging in regions.vestigingen.values()
        for swv in _swvs_of_vestiging(
            vestiging, tuple(m for m in by_gemeente.get(vestiging.gemeente, ()) if m.holds(year))
        )
    ]
    return _typed(rows, ["vestiging_code", "swv_code", str(periods.name)], periods)


def _periods(periods: pd.Series) -> list[tuple[Any, int]]:
    """Each distinct period once, in order, with its peiljaar (2019 of ``2019-2020``)."""
    return [(p, int(str(p)[:4])) for p in sorted(periods.dropna().unique(), key=str)]


def _typed(rows: list[tuple], columns: list[str], periods: pd.Series) -> pd.DataFrame:
    """The rows as a frame whose period column has the type of ``periods`` (for merging)."""
    return pd.DataFrame(rows, columns=columns).astype({columns[-1]: periods.dtype})


def _swvs_of_vestiging(
    vestiging: Vestiging, memberships: tuple[Membership, ...]
) -> tuple[str, ...]:
    """The SWVs whose part of the vestiging's gemeente contains its postcode."""
    return tuple(
        m.swv
        for m in memberships
        if m.gemeente == vestiging.gemeente
        and (not m.is_split or vestiging.postcode in m.postcodes)
    )


def _coverage_errors(
    gemeenten: dict[str, Gemeente], swvs: dict[str, Swv], memberships: tuple[Membership, ...]
) -> Iterator[str]:
    sectors: dict[str, set[str]] = {code: set() for code in gemeenten}
    for m in memberships:
        if m.gemeente not in gemeenten:
            yield (
                f"{REFERENCE_PACKAGE}/gemeente_swv.csv: gemeente {m.gemeente} is niet (meer) "
                f"geldig maar hoort bij {m.swv}"
            )
            continue
        sectors[m.gemeente].add(swvs[m.swv].sector)
    for code, found in sectors.items():
        for sector in sorted({"po", "vo"} - found):
            yield f"{REFERENCE_PACKAGE}/gemeente_swv.csv: gemeente {code} heeft geen {sector}-SWV"
