"""Exact linear algebra on sparse integer rows: a reduced echelon basis without fractions.

Used by the suppressor (is a suppressed cell in the span of the published ones?) and the
interval solver (reduce the published system exactly before solving). Rows are dicts from
column to a non-zero Python int; every row is kept primitive (gcd 1, lowest column positive).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sized

Row = dict[int, int]
"""A sparse integer row: column → non-zero coefficient."""


def primitive(row: Row) -> Row:
    """The row divided by the gcd of its coefficients, signed so its lowest column is positive."""
    if not row:
        return row
    divisor = math.gcd(*row.values()) * (1 if row[min(row)] > 0 else -1)
    return row if divisor == 1 else {col: coef // divisor for col, coef in row.items()}


def _clear(row: Row, pivot_row: Row, pivot: int) -> Row:
    """Clears column ``pivot`` of ``row`` by ``pivot_row``; in place unless it must be scaled."""
    scale, factor = pivot_row[pivot], row[pivot]
    if factor % scale:
        row = {col: scale * coef for col, coef in row.items()}
    else:
        factor //= scale
    for col, coef in pivot_row.items():
        value = row.get(col, 0) - factor * coef
        if value:
            row[col] = value
        else:
            del row[col]
    return row


def eliminate(row: Row, pivot_row: Row, pivot: int) -> Row:
    """``row`` (unchanged) with column ``pivot`` cleared by ``pivot_row``, made primitive."""
    return primitive(_clear(dict(row), pivot_row, pivot))


class EchelonBasis:
    """A reduced echelon basis in exact integer rows: a pivot column occurs in its own row only.

    Columns from ``limit`` on (a right-hand side) are carried along but never chosen as pivot.
    """

    def __init__(self, limit: int | None = None) -> None:
        self.rows: dict[int, Row] = {}
        """Pivot column → row."""
        self.uses: dict[int, set[int]] = {}
        """Non-pivot column → pivots of the rows that hold it."""
        self.limit = math.inf if limit is None else limit

    def reduce(self, row: Row) -> Row:
        """The row minus its part in the span of the basis (zero at every pivot), primitive."""
        out = dict(row)
        for pivot in [col for col in row if col in self.rows]:
            out = _clear(out, self.rows[pivot], pivot)
        return primitive(out)

    def add(self, row: Row, busy: Mapping[int, Sized] | None = None) -> int:
        """Adds a reduced row with a pivotable column; returns the pivot.

        The pivot is the column least used by ``busy`` (the caller's other rows), then by the
        basis; it is cleared from the basis rows that hold it.
        """
        busy = busy or {}
        pivot = min(
            (col for col in row if col < self.limit),
            key=lambda col: (len(busy.get(col, ())), len(self.uses.get(col, ())), col),
        )
        for other in sorted(self.uses.pop(pivot, set())):
            self._clear_from(other, row, pivot)
        self.rows[pivot] = row
        for col in row:
            if col != pivot and col < self.limit:
                self.uses.setdefault(col, set()).add(pivot)
        return pivot

    def _clear_from(self, other: int, row: Row, pivot: int) -> None:
        target = self.rows[other]
        cleared = _clear(target, row, pivot)
        if cleared is not target:
            self.rows[other] = cleared = primitive(cleared)
        for col in row:
            if col != pivot and col < self.limit:
                if col in cleared:
                    self.uses.setdefault(col, set()).add(other)
                else:
                    self.uses.get(col, set()).discard(other)
