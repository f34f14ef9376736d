"""Secondary suppression by Gaussian elimination, the interval step and the redundancy pass.

Reads a model — ``forms`` (cells × base cells, small integer coefficients) and the true ``values``
— with the primary cells, the cells that must stay suppressed or published and a priority per
cell; returns the suppression pattern (PRIVACY.md, the method, steps 2–4).

The span check is exact (integer rows, fraction-free elimination): the published forms are kept as
a reduced echelon basis, each suppressed form as its residual modulo that basis. A suppressed cell
is derivable exactly when its residual is zero; publishing a candidate makes one derivable exactly
when that cell's residual is a multiple of the candidate's residual (Langsrud 2024).

Cells whose forms share no base cell cannot reveal each other, so the model is solved in parts of
whole components, one after the other: memory and time grow with the model's size, not faster.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from generator import components
from generator.components import Relation
from generator.echelon import EchelonBasis, Row, eliminate
from generator.intervals import Risk, as_mask, risks


class SuppressionConflict(Exception):
    """The demands cannot all be met; the message names the cells involved."""


def _rows(forms: sparse.csr_array) -> list[Row]:
    """Each cell's form as an exact sparse row."""
    forms = sparse.csr_array(forms, dtype=np.int64)
    forms.sum_duplicates()
    ptr, cols, coefs = forms.indptr.tolist(), forms.indices.tolist(), forms.data.tolist()
    return [
        {c: v for c, v in zip(cols[lo:hi], coefs[lo:hi], strict=True) if v}
        for lo, hi in itertools.pairwise(ptr)
    ]


def _shape(row: Row) -> tuple[tuple[int, int], ...]:
    """A key equal for rows that are multiples of each other (rows are primitive)."""
    return tuple(sorted(row.items()))


class _Span:
    """The published span (a reduced echelon basis) and the residuals of the suppressed forms."""

    def __init__(self) -> None:
        self.basis = EchelonBasis()
        self.residual: dict[int, Row] = {}
        self.holding: dict[int, set[int]] = {}
        """Column → suppressed cells whose residual holds it."""
        self.shapes: dict[tuple[tuple[int, int], ...], set[int]] = {}
        """Residual → suppressed cells with that residual (up to a factor)."""
        self.shape_of: dict[int, tuple[tuple[int, int], ...]] = {}

    def publish(self, row: Row) -> None:
        """Adds a reduced, non-zero row to the span; reduces the residuals by its pivot."""
        pivot = self.basis.add(row, busy=self.holding)
        for cell in sorted(self.holding.pop(pivot, set())):
            self._set(cell, eliminate(self.residual[cell], row, pivot))

    def hide(self, cell: int, residual: Row) -> None:
        """Adds a suppressed cell by its (non-zero) residual."""
        self._set(cell, residual)

    def exposes(self, residual: Row) -> bool:
        """Whether publishing a form with this residual makes a suppressed cell derivable."""
        return bool(self.shapes.get(_shape(residual)))

    def _set(self, cell: int, new: Row) -> None:
        assert new, f"cell {cell} became derivable"
        old = self.residual.pop(cell, {})
        if old:
            self.shapes[self.shape_of[cell]].discard(cell)
        for col in old.keys() - new.keys():
            self.holding.get(col, set()).discard(cell)
        for col in new.keys() - old.keys():
            self.holding.setdefault(col, set()).add(cell)
        self.residual[cell] = new
        self.shape_of[cell] = shape = _shape(new)
        self.shapes.setdefault(shape, set()).add(cell)


def _derivable(
    rows: list[Row], shown: Sequence[int], hidden: Sequence[int]
) -> tuple[_Span, list[int]]:
    """The span of the shown cells with the hidden ones added, and the hidden cells in it."""
    span = _Span()
    for cell in shown:
        residual = span.basis.reduce(rows[cell])
        if residual:
            span.publish(residual)
    derivable = []
    for cell in hidden:
        residual = span.basis.reduce(rows[cell])
        if residual:
            span.hide(cell, residual)
        else:
            derivable.append(cell)
    return span, derivable


def secondary(
    forms: sparse.csr_array, suppressed: np.ndarray, fixed: np.ndarray, order: np.ndarray
) -> np.ndarray:
    """Bool mask of suppressed cells: ``suppressed`` and the secondaries that protect them.

    ``suppressed``: cells that must be suppressed; ``fixed``: cells that must stay published;
    ``order``: every other cell, most wanted published first. Afterwards no suppressed form lies in
    the span (over the rationals) of the published forms. Raises ``SuppressionConflict`` when the
    fixed cells alone determine a suppressed cell, or when a cell is both suppressed and fixed.
    """
    m = forms.shape[0]
    hidden, kept = as_mask(suppressed, m), as_mask(fixed, m)
    order = np.asarray(order, dtype=np.int64)
    _check_partition(hidden, kept, order)
    return _secondary(_rows(forms), hidden, kept, order, np.arange(m))


def _check_partition(hidden: np.ndarray, kept: np.ndarray, order: np.ndarray) -> None:
    """No cell both suppressed and fixed; every other cell once in ``order``."""
    both = np.flatnonzero(hidden & kept)
    if len(both):
        raise SuppressionConflict(f"cells {both.tolist()} must be both suppressed and published")
    seen = np.zeros(len(hidden), dtype=np.int64)
    np.add.at(seen, order, 1)
    if (seen + hidden + kept != 1).any():
        wrong = np.flatnonzero(seen + hidden + kept != 1).tolist()
        raise ValueError(f"order must list each cell neither suppressed nor fixed once: {wrong}")


def _secondary(
    rows: list[Row], hidden: np.ndarray, kept: np.ndarray, order: np.ndarray, ids: np.ndarray
) -> np.ndarray:
    """``secondary`` on exact rows: fixed cells first, then the candidates in order.

    ``ids``: each cell's number in messages (its number in the whole model).
    """
    span, derivable = _derivable(
        rows, np.flatnonzero(kept).tolist(), np.flatnonzero(hidden).tolist()
    )
    if derivable:
        raise SuppressionConflict(
            f"cells {ids[derivable].tolist()} must be suppressed but follow from cells that must "
            "stay published"
        )
    result = hidden.copy()
    for cell in order.tolist():
        residual = span.basis.reduce(rows[cell])
        if not residual:
            continue
        if span.exposes(residual):
            span.hide(cell, residual)
            result[cell] = True
        else:
            span.publish(residual)
    return result


@dataclass(frozen=True)
class Protection:
    """A suppression pattern that passes the audit (C1–C3)."""

    suppressed: np.ndarray
    """Bool per cell: suppressed."""
    secondary: np.ndarray
    """Bool per cell: suppressed, but neither primary nor forced."""
    rounds: int
    """Interval-step rounds used."""


class _Model:
    """The inputs of ``protect`` with what the steps look up: exact rows, order, neighbours."""

    def __init__(
        self,
        forms: sparse.csr_array,
        values: np.ndarray,
        priority: np.ndarray,
        relations: Sequence[Relation],
        threshold: int,
        ids: np.ndarray,
    ) -> None:
        self.forms = sparse.csr_array(forms, dtype=np.int64)
        self.ids = ids
        """Each cell's number in the whole model, for messages."""
        self.values = np.asarray(values, dtype=np.int64)
        self.relations = [(int(total), tuple(int(p) for p in parts)) for total, parts in relations]
        self.threshold = threshold
        m = self.forms.shape[0]
        self.rows = _rows(self.forms)
        self.order = np.lexsort((np.arange(m), -np.asarray(priority, dtype=np.float64)))
        self.rank = np.empty(m, dtype=np.int64)
        self.rank[self.order] = np.arange(m)
        self.users = sparse.csr_array(abs(self.forms).T, dtype=np.int64)
        self.component = components.cell_components(self.forms)
        self.relations_of: dict[int, list[int]] = {}
        for index, (total, parts) in enumerate(self.relations):
            for cell in {total, *parts}:
                self.relations_of.setdefault(cell, []).append(index)

    def secondary(
        self, hidden: np.ndarray, kept: np.ndarray, within: np.ndarray | None = None
    ) -> np.ndarray:
        """The span check with every other cell a candidate, in priority order.

        With ``within`` (whole components), only those cells are revisited: forms of other
        components share no base cell with them, so their pattern cannot change.
        """
        inside = np.ones(len(hidden), dtype=bool) if within is None else within
        order = self.order[~hidden[self.order] & ~kept[self.order] & inside[self.order]]
        result = _secondary(self.rows, hidden & inside, kept & inside, order, self.ids)
        return np.where(inside, result, hidden)

    def risks(
        self, hidden: np.ndarray, primary: np.ndarray, within: np.ndarray | None = None
    ) -> list[Risk]:
        """The audit of a pattern, of whole components only when ``within`` is given."""
        if within is None:
            return risks(self.forms, self.values, ~hidden, primary, self.relations, self.threshold)
        cells = np.flatnonzero(within)
        new = np.full(len(within), -1, dtype=np.int64)
        new[cells] = np.arange(len(cells))
        chosen = [i for i, (total, _) in enumerate(self.relations) if within[total]]
        relations = [
            (int(new[self.relations[i][0]]), tuple(int(new[p]) for p in self.relations[i][1]))
            for i in chosen
        ]
        found = risks(
            self.forms[cells],
            self.values[cells],
            ~hidden[cells],
            primary[cells],
            relations,
            self.threshold,
        )
        return [risk.renumbered(cells, chosen) for risk in found]

    def around(self, cells: list[int]) -> np.ndarray:
        """The whole components holding these cells."""
        return np.isin(self.component, self.component[cells])

    def near(self, cells: set[int]) -> set[int]:
        """The cells and those sharing a base cell with them."""
        base = np.unique(self.forms[np.array(sorted(cells))].indices)
        return cells | set(self.users[base].indices.tolist())

    def small_sum(self, hidden: np.ndarray, relation: int) -> bool:
        """C3 taken as failing whenever the total is published (then the sum follows from it)."""
        total, parts = self.relations[relation]
        hidden_parts = {part for part in parts if hidden[part]}
        small = 1 <= sum(int(self.values[p]) for p in hidden_parts) < self.threshold
        return not hidden[total] and len(hidden_parts) >= 2 and small


class _Pattern:
    """A pattern for the redundancy pass: the published cells as reduced equations with their
    values (``EchelonBasis``), split into components together with the suppressed forms.

    Publishing a suppressed cell changes the equations of its component only, so a trial is
    audited there: the component's equations are a self-contained model for ``risks``. After a
    publication the components are kept: they may have split, and a superset is still sound.
    """

    def __init__(self, model: _Model, hidden: np.ndarray, primary: np.ndarray) -> None:
        self.model, self.hidden, self.primary = model, hidden.copy(), primary
        self.n = model.forms.shape[1]
        self.basis = EchelonBasis(limit=self.n)
        for cell in sorted(np.flatnonzero(~hidden).tolist(), key=lambda c: len(model.rows[c])):
            reduced = self.basis.reduce(self.equation(cell))
            if any(col < self.n for col in reduced):
                self.basis.add(reduced)
        self.label, self.pivots, self.cells = self._components()

    def equation(self, cell: int) -> Row:
        """The cell's form with its value in column n."""
        value = int(self.model.values[cell])
        return {**self.model.rows[cell], self.n: value} if value else dict(self.model.rows[cell])

    def _components(self) -> tuple[np.ndarray, dict[int, list[int]], dict[int, list[int]]]:
        """Each base cell's component, and per component its pivots and suppressed cells."""
        pivots = list(self.basis.rows)
        hidden = np.flatnonzero(self.hidden).tolist()
        rows = [self.basis.rows[p] for p in pivots] + [self.model.rows[c] for c in hidden]
        owner = np.repeat(np.arange(len(rows)), [len(r) for r in rows])
        cols = np.array([c for row in rows for c in row], dtype=np.int64)
        inside = cols < self.n
        size = self.n + len(rows)
        edges = (np.ones(int(inside.sum())), (owner[inside] + self.n, cols[inside]))
        label = connected_components(sparse.coo_array(edges, shape=(size, size)), directed=False)[1]
        by_pivot: dict[int, list[int]] = {}
        by_cell: dict[int, list[int]] = {}
        for pivot in pivots:
            by_pivot.setdefault(int(label[pivot]), []).append(pivot)
        for k, cell in enumerate(hidden, start=len(pivots)):
            by_cell.setdefault(int(label[self.n + k]), []).append(cell)
        return label[: self.n], by_pivot, by_cell

    def try_publish(self, cell: int) -> bool:
        """Publishes the suppressed cell when its component still passes the audit."""
        self.hidden[cell] = False
        if self._safe(cell):
            reduced = self.basis.reduce(self.equation(cell))
            self.pivots.setdefault(self._key(cell), []).append(self.basis.add(reduced))
            return True
        self.hidden[cell] = True
        return False

    def _key(self, cell: int) -> int:
        """The component of a suppressed cell."""
        return int(self.label[min(self.model.rows[cell])])

    def _safe(self, cell: int) -> bool:
        """C3 on the cell's relations, C1 and C2 on its component (the equations as cells)."""
        model = self.model
        if any(model.small_sum(self.hidden, r) for r in model.relations_of.get(cell, [])):
            return False
        key = self._key(cell)
        equations = [self.basis.rows[p] for p in self.pivots.get(key, [])] + [self.equation(cell)]
        hidden = [c for c in self.cells[key] if self.hidden[c]]
        forms, values = _local_model(equations + [self.equation(c) for c in hidden], self.n)
        shown = np.arange(len(values)) < len(equations)
        primary = np.concatenate([np.zeros(len(equations), dtype=bool), self.primary[hidden]])
        return not risks(forms, values, shown, primary, [], model.threshold)


def _local_model(equations: list[Row], n: int) -> tuple[sparse.csr_array, np.ndarray]:
    """Equations (value in column n) as cells of a model over their own base cells."""
    columns = sorted({col for row in equations for col in row if col < n})
    local = {col: k for k, col in enumerate(columns)}
    entries = [
        (i, local[col], coef)
        for i, row in enumerate(equations)
        for col, coef in row.items()
        if col < n
    ]
    rows, cols, coefs = (np.array(x, dtype=np.int64) for x in zip(*entries, strict=True))
    forms = sparse.csr_array((coefs, (rows, cols)), shape=(len(equations), len(columns)))
    return forms, np.array([row.get(n, 0) for row in equations], dtype=np.int64)


def protect(
    forms: sparse.csr_array,
    values: np.ndarray,
    primary: np.ndarray,
    forced_suppressed: np.ndarray,
    fixed: np.ndarray,
    priority: np.ndarray,
    relations: Sequence[Relation],
    threshold: int = 5,
    max_rounds: int = 50,
) -> Protection:
    """Secondary suppression, interval step and redundancy pass (PRIVACY.md, the method).

    ``primary``, ``forced_suppressed``: cells to suppress; ``fixed``: cells to keep published;
    ``priority``: higher is more wanted published. Raises ``SuppressionConflict`` when the fixed
    cells reveal a suppressed one, or when risks remain after ``max_rounds`` interval rounds.

    The model is solved in parts of whole components (``components``): each step's choices in a
    component depend on that component alone, so the pattern is the one of the whole model at
    once, while the solver's memory and its interval rounds stay those of one part.
    """
    forms = sparse.csr_array(forms, dtype=np.int64)
    if not forms.has_canonical_format:
        forms = forms.copy()
        forms.sum_duplicates()
    m = forms.shape[0]
    first, kept = as_mask(primary, m), as_mask(fixed, m)
    must = first | as_mask(forced_suppressed, m)
    _check_partition(must, kept, np.flatnonzero(~must & ~kept))
    values = np.asarray(values, dtype=np.int64)
    priority = np.asarray(priority, dtype=np.float64)
    relations = [(int(total), tuple(int(p) for p in parts)) for total, parts in relations]
    hidden = np.zeros(m, dtype=bool)
    rounds = 0
    for part in components.parts(forms, relations):
        cells = part.cells
        model = _Model(part.forms, values[cells], priority[cells], part.relations, threshold, cells)
        hidden[cells], used = _protect(model, first[cells], must[cells], kept[cells], max_rounds)
        rounds = max(rounds, used)
    return Protection(hidden, hidden & ~must, rounds)


def _protect(
    model: _Model, first: np.ndarray, must: np.ndarray, kept: np.ndarray, max_rounds: int
) -> tuple[np.ndarray, int]:
    """The three steps on one part; its pattern and the interval rounds it took."""
    hidden = model.secondary(must, kept)
    hidden, rounds = _interval_step(model, hidden, first, kept, max_rounds)
    hidden = _redundancy(model, hidden, must, first)
    if model.risks(hidden, first):
        raise RuntimeError("the redundancy pass left risks behind (a bug in its local audit)")
    return hidden, rounds


def _interval_step(
    model: _Model, hidden: np.ndarray, primary: np.ndarray, kept: np.ndarray, max_rounds: int
) -> tuple[np.ndarray, int]:
    """Suppresses one more cell per risk and repeats the span check, until no risk remains.

    After the first round only the components that changed are checked and revisited.
    """
    found = model.risks(hidden, primary)
    for rounds in range(max_rounds + 1):
        if not found:
            return hidden, rounds
        if rounds == max_rounds:
            raise SuppressionConflict(
                f"risks remain after {max_rounds} rounds: {_describe(model, found)}"
            )
        more = hidden.copy()
        touched: set[int] = set()
        for risk in found:
            if touched.isdisjoint(model.near(set(risk.cells))):
                pick = _pick(model, risk, hidden, kept)
                more[pick] = True
                touched.add(pick)
        within = model.around(sorted(touched))
        hidden = model.secondary(more, kept, within)
        found = [r for r in found if not within[r.cells[0]]]
        found += model.risks(hidden, primary, within)
    raise AssertionError("unreachable")


def _pick(model: _Model, risk: Risk, hidden: np.ndarray, kept: np.ndarray) -> int:
    """The least wanted published, not fixed cell sharing a base cell with the risky cells.

    The cells of the relations the risky cells take part in count as risky cells too (for C3
    the failing relation's), so a small sibling part is chosen before a total. When no such
    cell qualifies, the neighbourhood grows (cells sharing a base cell with those) until one
    does. Within a round, a risk near a cell already picked waits for the next round: one
    pick often settles several risks.
    """
    ring = set(risk.cells)
    indices = [risk.relation] if risk.relation is not None else []
    if not indices:
        indices = [r for cell in risk.cells for r in model.relations_of.get(cell, [])]
    for index in indices:
        total, parts = model.relations[index]
        ring |= {total, *parts}
    while True:
        grown = model.near(ring)
        eligible = [cell for cell in grown if not hidden[cell] and not kept[cell]]
        if eligible:
            return max(eligible, key=lambda cell: model.rank[cell])
        if grown == ring:
            raise SuppressionConflict(f"no cell left to suppress for {_describe(model, [risk])}")
        ring = grown


def _describe(model: _Model, found: Sequence[Risk]) -> str:
    """Risks in a message: criterion, cells (numbered in the whole model), value and interval."""
    return "; ".join(
        f"{r.criterion} cells {model.ids[list(r.cells)].tolist()} value {r.value} "
        f"in [{r.lower:g}, {r.upper:g}]"
        for r in found
    )


def _redundancy(
    model: _Model, hidden: np.ndarray, must: np.ndarray, primary: np.ndarray
) -> np.ndarray:
    """Publishes each secondary again, largest value first, where its component stays safe."""
    pattern = _Pattern(model, hidden, primary)
    for cell in sorted(
        np.flatnonzero(hidden & ~must).tolist(), key=lambda c: (-model.values[c], c)
    ):
        pattern.try_publish(cell)
    return pattern.hidden
