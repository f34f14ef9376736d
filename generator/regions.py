"""Stage 3, regions: SWVs, gemeenten, schoolvestigingen and how they relate.

Reads the ``referentie`` package of the Catalog; returns ``Regions``. Raises ``InputError`` when
the relations contradict each other (a vestiging whose postcode lies in none of its gemeente's
SWV parts, or a current gemeente without a po or vo SWV).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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
)


def regions(catalog: Catalog) -> Regions:
    """Reads the referentie tables; returns the regions and their relations."""
    reference = catalog.packages[REFERENCE_PACKAGE]
    swvs = {r["code"]: Swv(r["code"], r["naam"], r["sector"]) for r in _rows(reference, "swv")}
    gemeenten = _current_gemeenten(reference.resources["gemeenten"].frame)
    memberships = tuple(_memberships(reference.resources["gemeente_swv"].frame))
    vestigingen = {
        r["vestiging_code"]: Vestiging(
            r["vestiging_code"], r["naam"], r["gemeente_code"], r["postcode"]
        )
        for r in _rows(reference, "schoolvestigingen")
    }
    errors = [*_coverage_errors(gemeenten, swvs, memberships)]
    vestiging_swvs = {}
    for vestiging in vestigingen.values():
        found = _swvs_of_vestiging(vestiging, memberships)
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
    return Regions(swvs, gemeenten, vestigingen, memberships, vestiging_swvs, mergers)


def _mergers(herindelingen: pd.DataFrame, current: Mapping[str, Gemeente]) -> dict[str, tuple]:
    """The merger years of each current gemeente, following chains of mergers to it."""
    into = {
        str(r["gemeente_oud"]): (str(r["gemeente_nieuw"]), int(r["jaar"]))
        for r in _records(herindelingen)
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
    return _records(reference.resources[resource].frame)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _current_gemeenten(frame: pd.DataFrame) -> dict[str, Gemeente]:
    current = frame[frame["geldig_tot"].isna()].sort_values("code")
    return {r["code"]: Gemeente(r["code"], r["naam"], r["provincie"]) for r in _records(current)}


def _memberships(frame: pd.DataFrame) -> Iterator[Membership]:
    for r in _records(frame.sort_values(["gemeente_code", "swv_code"])):
        postcodes = tuple(str(r["postcodes"]).split()) if r["postcodes"] else ()
        yield Membership(r["gemeente_code"], r["swv_code"], postcodes, int(r["vanaf_peiljaar"]))


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
