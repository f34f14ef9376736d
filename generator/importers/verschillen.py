"""Values a source gives that we compute ourselves: compared, every difference reported.

Some source files carry their own totals or derived columns: CBS's "Totaal" rows beside their
parts, the Rekenkamer's percentages, flags and category, DUO's *actueel*. The import never takes
those over (our pipeline computes them: ``derive.py`` or a sum), but it compares: each reader
returns a ``Given`` per such cell, ``compare`` puts our value beside it, and every difference
beyond the tolerance is printed and written into the package as ``verschillen.csv``. A
difference is reported, never fixed and never a reason to refuse the import.

Tolerances (what the source's own rounding can explain):

- a count: exact, except a total of counts that the source rounded, each of the n + 1 numbers
  by at most half a rounding step (CBS: 5), which the reader passes as the tolerance;
- a percentage: half a unit of the last decimal the source writes (``12,5`` → 0.05) plus half a
  unit of our own second decimal (0.005);
- a flag or a category: exact (case and spaces aside).

A source value that is empty (suppressed) is not compared; where our value is missing (an
input was suppressed) the pair is counted as not comparable.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from generator.importers.writer import csv_text
from generator.model import Catalog

FILE = "verschillen.csv"
HEADER = (
    "bestand",
    "regel",
    "kolom",
    "sleutel",
    "veld",
    "bron",
    "berekend",
    "verschil",
    "tolerantie",
    "berekening",
)
OUR_DECIMALS = 2
"""``derive.percentage`` rounds to two decimals."""
SHOWN = 50
"""Differences printed one per line; the rest are in the file."""
BOOLEANS = {"ja": True, "nee": False, "true": True, "false": False, "waar": True, "onwaar": False}
BOOLEANS |= {"1": True, "0": False, "j": True, "n": False}


@dataclass(frozen=True)
class Given:
    """One cell of a source that holds a value we compute too."""

    package: str
    resource: str
    key: tuple[str, ...]
    field: str
    file: str
    line: int
    column: str
    value: str
    """The source's value: a number with a full stop, or ``true``/``false`` for a flag."""
    computed: bool = False
    """True: the reader computed ``ours`` (a sum; None when a part is missing). False: our
    value is looked up in the derived catalog (``package``, ``resource``, ``key``, ``field``)."""
    ours: str | None = None
    rule: str = ""
    tolerance: float | None = None
    """For a count the reader computes: what the source's rounding can explain."""

    def where(self) -> str:
        return f"{self.file}, regel {self.line}, kolom {self.column!r}"


@dataclass(frozen=True)
class Difference:
    given: Given
    ours: str
    difference: str
    tolerance: str
    rule: str

    def line(self) -> str:
        key = ", ".join(self.given.key)
        source, ours = (_said(v) for v in (self.given.value, self.ours))
        return (
            f"{self.given.where()} ({key}): bron {source}, berekend {ours} "
            f"({self.rule}; verschil {self.difference}, tolerantie {self.tolerance})"
        )

    def row(self) -> tuple[str, ...]:
        g = self.given
        return (
            g.file,
            str(g.line),
            g.column,
            " ".join(g.key),
            g.field,
            g.value,
            self.ours,
            self.difference,
            self.tolerance,
            self.rule,
        )


@dataclass(frozen=True)
class Tally:
    """Per package: how many source values were compared and how they came out."""

    checked: int = 0
    equal: int = 0
    within: int = 0
    incomparable: int = 0


@dataclass(frozen=True)
class Outcome:
    tallies: dict[str, Tally]
    differences: tuple[Difference, ...]

    @classmethod
    def none(cls) -> Outcome:
        """Nothing compared."""
        return cls({}, ())

    def files(self) -> dict[str, str]:
        """``<package>/verschillen.csv`` for every package with source values compared."""
        rows: dict[str, list[tuple[str, ...]]] = {name: [] for name in self.tallies}
        for difference in self.differences:
            rows[difference.given.package].append(difference.row())
        return {f"{name}/{FILE}": csv_text(HEADER, found) for name, found in rows.items()}

    def lines(self) -> list[str]:
        """The report: one summary line per package, then one line per difference."""
        lines = []
        for name, tally in sorted(self.tallies.items()):
            count = sum(1 for d in self.differences if d.given.package == name)
            lines.append(
                f"controle tegen de bron, {name}: {tally.checked} waarden vergeleken, "
                f"{tally.equal} gelijk, {tally.within} binnen de afronding van de bron, "
                f"{tally.incomparable} niet te vergelijken (een invoer ontbreekt of is "
                "afgeschermd), "
                f"{count} verschillen ({name}/{FILE})"
            )
        lines += [f"verschil: {d.line()}" for d in self.differences[:SHOWN]]
        if len(self.differences) > SHOWN:
            lines.append(f"… en {len(self.differences) - SHOWN} verschillen meer in {FILE}")
        return lines


def resource() -> dict[str, Any]:
    """The descriptor entry of ``verschillen.csv``: no Table Schema, so the pipeline (and so
    the site) leaves it alone; it is for the maintainer."""
    return {
        "name": "verschillen",
        "path": FILE,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": "Verschillen met de bron",
        "description": (
            "Waarden die de bron zelf geeft (totalen, percentages, vlaggen) en die wij ook "
            "berekenen, naast elkaar gezet bij de import. Elke rij is een verschil groter dan "
            "de afronding van de bron kan verklaren: bestand, regel en kolom van de bron, de "
            "sleutel, ons veld, de waarde van de bron, onze berekende waarde, het verschil, de "
            "tolerantie en hoe wij rekenen. Alleen de kop: geen verschillen. Wij nemen de "
            "waarden van de bron niet over en verbeteren ze niet; de site toont onze "
            "berekening. Toleranties: een aantal exact, een totaal van door de bron afgeronde "
            "aantallen binnen de afronding (CBS: op tientallen, dus 10), een percentage binnen "
            "een halve eenheid van de laatste decimaal van de bron plus 0,005, een vlag of "
            "categorie exact."
        ),
    }


def compare(givens: Sequence[Given], catalog: Catalog) -> Outcome:
    """Each source value beside ours (``catalog`` is the derived catalog)."""
    tallies: dict[str, Counter[str]] = defaultdict(Counter)
    differences = []
    lookups: dict[tuple[str, str], _Lookup] = {}
    for given in givens:
        if not given.computed:
            place = (given.package, given.resource)
            lookup = lookups.setdefault(place, _Lookup.of(catalog, *place))
            ours, kind = lookup.value(given.key, given.field)
            rule = lookup.rule(given.field)
        else:
            ours, kind, rule = given.ours, "integer", given.rule
        tally = tallies[given.package]
        tally["checked"] += 1
        if ours is None:
            tally["incomparable"] += 1
            continue
        verdict = _verdict(given, ours, kind)
        if verdict is None:
            tally["equal"] += 1
        elif verdict[2]:
            tally["within"] += 1
        else:
            differences.append(Difference(given, ours, verdict[0], verdict[1], rule))
    return Outcome(
        {name: Tally(**counts) for name, counts in sorted(tallies.items())},
        tuple(sorted(differences, key=lambda d: (d.given.file, d.given.line, d.given.column))),
    )


@dataclass(frozen=True)
class _Lookup:
    """The derived values of one resource, by primary key."""

    rows: dict[tuple[str, ...], dict[str, Any]]
    kinds: dict[str, str]
    rules: dict[str, str]

    @classmethod
    def of(cls, catalog: Catalog, package: str, name: str) -> _Lookup:
        resource = catalog.resource(package, name)
        frame = resource.frame
        keys = zip(*(frame[k].astype(str) for k in resource.primary_key), strict=True)
        records = [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
        return cls(
            dict(zip(keys, records, strict=True)),
            {f.name: f.type for f in resource.fields},
            {f.name: f.description.split(". ")[0].rstrip(".") for f in resource.fields},
        )

    def value(self, key: tuple[str, ...], field: str) -> tuple[str | None, str]:
        kind = self.kinds[field]
        value = self.rows.get(key, {}).get(field)
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return None, kind
        if kind == "boolean":
            return ("true" if value else "false"), kind
        if kind == "integer":
            return str(int(value)), kind
        return str(value), kind

    def rule(self, field: str) -> str:
        return self.rules.get(field, "")


def _verdict(given: Given, ours: str, kind: str) -> tuple[str, str, bool] | None:
    """None when equal; else (difference, tolerance, within the tolerance)."""
    if kind in ("integer", "number"):
        difference = float(given.value) - float(ours)
        tolerance = _tolerance(given, kind)
        if difference == 0:
            return None
        shown = f"{difference:+.0f}" if kind == "integer" else f"{difference:+.4g}"
        return shown, f"±{tolerance:g}", abs(difference) <= tolerance + 1e-9
    equal = given.value == ours if kind == "boolean" else _normal(given.value) == _normal(ours)
    return None if equal else ("anders", "geen", False)


def _tolerance(given: Given, kind: str) -> float:
    if given.tolerance is not None:
        return given.tolerance
    if kind == "integer":
        return 0.0
    decimals = len(given.value.partition(".")[2])
    return 0.5 * 10.0**-decimals + 0.5 * 10.0**-OUR_DECIMALS


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("−", "-")).casefold()


def _said(value: str) -> str:
    return {"true": "ja", "false": "nee"}.get(value, value)


def boolean(text: str) -> str | None:
    """A source's flag as ``true``/``false``; None when it is not one."""
    found = BOOLEANS.get(text.strip().lower())
    return None if found is None else ("true" if found else "false")
