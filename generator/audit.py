"""Stage 9, audit: the attack on the built site, which must fail before anything is published.

Reads a built site back from its files only (``sightings``), with the ``CellModel`` (the true
values and how the cells relate) and the publication ledger; returns an ``AuditReport``. For
every hidden cell it computes the integer interval an attacker can narrow it to, from all
published numbers at once (``intervals``, HiGHS), and checks the criteria of PRIVACY.md:

- C1 every primary (a count 1–4) can lie at least 1 above and below its value (or at 0);
- C2 no hidden cell is exactly derivable;
- C3 no exactly derivable sum of hidden cells in one relation is a count 1–4;
- C4 a cell has the same value or status everywhere it appears, and in earlier releases;
- C5 every number maps to a cell, equals the source, and no primary or value computed from a
  hidden input is shown.

It shares nothing with the suppressor but the model and the interval solver.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from generator import intervals, ledger, sightings
from generator.config import PRIVACY_THRESHOLD
from generator.model import CellModel

WIDE = 5
"""Primaries whose interval is at least this wide are counted (reported, not a failure)."""


@dataclass(frozen=True)
class AuditReport:
    """The audit's outcome: summary lines, and one line per cell at risk."""

    summary: tuple[str, ...]
    failures: tuple[str, ...]
    status: np.ndarray
    """Per cell: the value the site shows, or ``sightings.HIDDEN`` / ``sightings.UNSEEN``."""

    @property
    def passed(self) -> bool:
        return not self.failures


def audit(
    site: Path, model: CellModel, register: ledger.Ledger, drawings: bool = True
) -> AuditReport:
    """Reads the site at ``site``; returns the audit of every number it shows. Without
    ``drawings`` the chart SVGs are left out, for ``drawn_wrongly`` once they are drawn."""
    seen = sightings.read_site(site, model, drawings)
    known = ledger.known(register, model)
    shown = seen.status >= 0
    hidden = seen.status == sightings.HIDDEN
    small = (model.values >= 1) & (model.values < PRIVACY_THRESHOLD)
    failures = _lines(seen.problems)
    failures += _shown_wrongly(model, seen, shown & small, "klein aantal gepubliceerd", "C5")
    failures += _shown_wrongly(
        model, seen, shown & known.suppressed, "eerder afgeschermd, nu gepubliceerd", "C4"
    )
    published = shown | known.published | model.facts
    primary = small & ~published
    checked = intervals.assess(
        model.forms, model.values, published, primary, model.relations, PRIVACY_THRESHOLD
    )
    failures += [_risk_line(model, seen, risk, published) for risk in checked.risks]
    wide = int(((checked.upper - checked.lower)[primary] >= WIDE).sum())
    summary = _summary(model, seen, published, primary, hidden, wide)
    return AuditReport(tuple(summary), tuple(failures), seen.status)


def drawn_wrongly(site: Path, charts: Iterable[str]) -> list[str]:
    """The audit's failures in these chart SVGs of the site at ``site`` (site paths): a build
    audits the rest of its site while the charts are still being drawn, and each chart as it
    is linked."""
    return _lines(sightings.read_drawings(site, charts))


def _lines(problems: list[sightings.Problem]) -> list[str]:
    return [f"{p.criterion} {p.where}: {p.message}" for p in problems]


def _shown_wrongly(
    model: CellModel, seen: sightings.Sightings, cells: np.ndarray, why: str, criterion: str
) -> list[str]:
    return [
        f"{criterion} {seen.where(int(c))}: {model.names[int(c)]} = {model.values[c]}: {why}"
        for c in np.flatnonzero(cells)
    ]


def _risk_line(
    model: CellModel, seen: sightings.Sightings, risk: intervals.Risk, published: np.ndarray
) -> str:
    names = " + ".join(model.names[c] for c in risk.cells)
    line = (
        f"{risk.criterion} {seen.where(risk.cells[0])}: {names} = {risk.value}, "
        f"af te leiden tot [{_bound(risk.lower)}, {_bound(risk.upper)}]"
    )
    relations = _relations_of(model, set(risk.cells))
    if relations:
        line += "; relaties: " + "; ".join(relations[:3])
    clues = _published_neighbours(model, risk.cells, published)
    if clues:
        line += "; uit onder meer: " + ", ".join(clues)
    return line


def _published_neighbours(
    model: CellModel, cells: tuple[int, ...], published: np.ndarray, most: int = 6
) -> list[str]:
    """Published cells that share a base cell with the cells at risk: where the leak comes from."""
    bases = np.unique(model.forms[list(cells)].tocoo().col)
    sharing = np.unique(model.forms[:, bases].tocoo().row)
    found = [c for c in sharing if published[c] and c not in cells]
    return [f"{model.names[c]} = {model.values[c]}" for c in found[:most]]


def _relations_of(model: CellModel, cells: set[int]) -> list[str]:
    return [
        f"{model.names[total]} = som van {len(parts)} cellen"
        for total, parts in model.relations
        if total in cells or cells.intersection(parts)
    ]


def _bound(value: float) -> str:
    return "∞" if np.isinf(value) else str(round(value))


def _summary(
    model: CellModel,
    seen: sightings.Sightings,
    published: np.ndarray,
    primary: np.ndarray,
    hidden: np.ndarray,
    wide: int,
) -> list[str]:
    derived = np.zeros(len(model.names), dtype=bool)
    for cell, inputs in model.dependents:
        derived[cell] = bool(hidden[cell] and hidden[list(inputs)].any())
    secondary = hidden & ~primary & ~derived
    totals = np.zeros(len(model.names), dtype=bool)
    totals[[total for total, _ in model.relations]] = True
    per_level = Counter(model.names[int(c)].split("/")[2] for c in np.flatnonzero(hidden & totals))
    lines = [
        f"cellen gepubliceerd: {int((published & ~model.facts).sum())}",
        f"primair afgeschermd (1 tot en met {PRIVACY_THRESHOLD - 1}): {int(primary.sum())}",
        f"afgeschermd omdat een invoer afgeschermd is: {int((derived & ~primary).sum())}",
        f"secundair afgeschermd: {int(secondary.sum())}, "
        f"samen {int(model.values[secondary].sum())} leerlingen of gevallen",
        "afgeschermde totalen per niveau: "
        + (", ".join(f"{level} {n}" for level, n in sorted(per_level.items())) or "geen"),
        f"primaire cellen met een interval van {WIDE} of breder: {wide} van {int(primary.sum())}",
        _page_shares(seen),
    ]
    unseen = int(((seen.status == sightings.UNSEEN) & ~model.facts).sum())
    if unseen:
        lines.append(f"cellen van het model die de site nergens toont: {unseen}")
    return lines


def _page_shares(seen: sightings.Sightings) -> str:
    shares = sorted(
        shown / (shown + hidden) for shown, hidden in seen.page_cells.values() if shown + hidden
    )
    if not shares:
        return "aandeel gepubliceerde cellen per pagina: geen tabellen"
    median = shares[len(shares) // 2]
    return (
        f"aandeel gepubliceerde cellen per pagina ({len(shares)} pagina's): "
        f"mediaan {median:.0%}, laagste {shares[0]:.0%}, hoogste {shares[-1]:.0%}"
    )
