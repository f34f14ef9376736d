"""Feasibility intervals of linear forms, and the audit criteria C1–C3 (see PRIVACY.md).

Reads a model — ``forms`` (cells × base cells, small integer coefficients), the true ``values`` of
the cells and which cells are published — and returns what an attacker deduces: for a target form,
the interval [lower, upper] over all non-negative integer base cells that reproduce every published
value. The published system is reduced exactly first (``EchelonBasis``, integer rows): pinned base
cells drop out, redundant sums vanish, and the rest splits into independent components (the
finest split there is: the supports of a reduced basis). A component of one equation with equal
coefficients has a closed form; the others are solved as linear programs, many at once (one block
per target and direction), and as integer programs only where the linear optimum is fractional.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse.csgraph import connected_components

from generator import components
from generator.echelon import EchelonBasis, Row, primitive

INFEASIBLE = "published values are inconsistent: no non-negative integer base cells reproduce them"
BATCH = 40_000
"""Variables per batched linear program (blocks of many targets and components)."""
TOLERANCE = 1e-9
"""How far a linear optimum may lie from an integer point and still count as that point."""


@dataclass(frozen=True)
class _Component:
    """Base cells tied together by reduced published equations, as triplets (row, column, coef)."""

    columns: np.ndarray
    entries: tuple[np.ndarray, np.ndarray, np.ndarray]
    rhs: np.ndarray
    bounded: bool
    """Every base cell lies in a published form with positive coefficients: no unbounded ray."""

    @cached_property
    def matrix(self) -> sparse.csr_array:
        rows, cols, coefs = self.entries
        return sparse.csr_array((coefs, (rows, cols)), shape=(len(self.rhs), len(self.columns)))

    @property
    def unit(self) -> bool:
        """One equation, every coefficient +1 or -1 (a signed sum such as verzuim actueel)."""
        return len(self.rhs) == 1 and bool((np.abs(self.entries[2]) == 1).all())

    @property
    def simplex(self) -> bool:
        """One equation, equal coefficients: the feasible set is a simplex with integer corners."""
        coefs = self.entries[2]
        return len(self.rhs) == 1 and bool((coefs == coefs[0]).all())


@dataclass(frozen=True)
class _Reduced:
    """The published system, reduced: pinned base cells and independent components."""

    pinned: np.ndarray
    value: np.ndarray
    """Per base cell: its value where pinned, else 0."""
    label: np.ndarray
    """Per base cell: its component, -1 for none (pinned or unconstrained)."""
    local: np.ndarray
    """Per base cell: its position in its component."""
    components: list[_Component]


def _require(condition: bool) -> None:
    if not condition:
        raise ValueError(INFEASIBLE)


def as_mask(cells: np.ndarray, size: int) -> np.ndarray:
    """A boolean mask (a copy) from a mask or an array of indices."""
    cells = np.asarray(cells)
    if cells.dtype == bool:
        if cells.shape != (size,):
            raise ValueError(f"mask of shape {cells.shape}, expected ({size},)")
        return cells.copy()
    mask = np.zeros(size, dtype=bool)
    mask[cells.astype(np.int64)] = True
    return mask


def _echelon(matrix: sparse.csr_array, rhs: np.ndarray) -> list[Row]:
    """The reduced echelon rows of ``matrix @ x == rhs``, right-hand side in column n."""
    n = matrix.shape[1]
    basis = EchelonBasis(limit=n)
    ptr, cols, coefs = matrix.indptr, matrix.indices.tolist(), matrix.data.tolist()
    for i in np.argsort(np.diff(ptr), kind="stable").tolist():
        row = dict(zip(cols[ptr[i] : ptr[i + 1]], coefs[ptr[i] : ptr[i + 1]], strict=True))
        row = basis.reduce({**row, n: int(rhs[i])} if rhs[i] else row)
        if any(col < n for col in row):
            basis.add(row)
        else:
            _require(not row)
    return [primitive(basis.rows[pivot]) for pivot in sorted(basis.rows)]


def _reduce(forms: sparse.csr_array, values: np.ndarray) -> _Reduced:
    """The published system ``forms @ x == values``, reduced exactly and split."""
    n = forms.shape[1]
    pinned, value = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
    equations = []
    for row in _echelon(forms, values):
        rhs = row.pop(n, 0)
        if len(row) > 1:
            equations.append((row, rhs))
            continue
        [(col, coef)] = row.items()
        _require(rhs % coef == 0 and rhs // coef >= 0)
        pinned[col], value[col] = True, rhs // coef
    mixed = np.zeros(forms.shape[0], dtype=bool)
    mixed[forms.tocoo().row[forms.data < 0]] = True
    covered = np.zeros(n, dtype=bool)
    covered[forms[~mixed].indices] = True
    return _split(equations, pinned, value, covered)


def _within(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stable order by group, each item's position within its group, and the group starts."""
    order = np.argsort(groups, kind="stable")
    ordered = groups[order]
    position = np.empty(len(groups), dtype=np.int64)
    position[order] = np.arange(len(groups)) - np.searchsorted(ordered, ordered)
    count = int(groups.max(initial=-1)) + 1
    return order, position, np.searchsorted(ordered, np.arange(count + 1))


def _split(
    equations: list[tuple[Row, int]], pinned: np.ndarray, value: np.ndarray, covered: np.ndarray
) -> _Reduced:
    """The equations' connected components (over base cells), in local indices."""
    n = len(pinned)
    row_of = np.repeat(np.arange(len(equations)), [len(row) for row, _ in equations])
    cols = np.array([c for row, _ in equations for c in row], dtype=np.int64)
    coefs = np.array([v for row, _ in equations for v in row.values()], dtype=np.float64)
    rhs = np.array([float(value) for _, value in equations])
    graph = sparse.coo_array((np.ones(len(cols)), (row_of + n, cols)), shape=(n + len(rhs),) * 2)
    labels = connected_components(graph, directed=False)[1][n:]
    equation_label = np.unique(labels, return_inverse=True)[1]
    label = np.full(n, -1, dtype=np.int64)
    label[cols] = equation_label[row_of]
    columns = np.unique(cols)
    local = np.zeros(n, dtype=np.int64)
    by_equation, equation_position, equation_starts = _within(equation_label)
    by_column, local[columns], column_starts = _within(label[columns])
    by_entry, _, entry_starts = _within(label[cols])
    components = []
    for k in range(len(equation_starts) - 1):
        entries = by_entry[entry_starts[k] : entry_starts[k + 1]]
        triplets = (equation_position[row_of[entries]], local[cols[entries]], coefs[entries])
        chosen = columns[by_column[column_starts[k] : column_starts[k + 1]]]
        equations_k = by_equation[equation_starts[k] : equation_starts[k + 1]]
        bounded = bool(covered[chosen].all() or (triplets[2] > 0).all())
        components.append(_Component(chosen, triplets, rhs[equations_k], bounded))
    return _Reduced(pinned, value, label, local, components)


def intervals(
    forms: sparse.csr_array, published: np.ndarray, values: np.ndarray, targets: sparse.csr_array
) -> tuple[np.ndarray, np.ndarray]:
    """Integer feasibility interval [lower, upper] of each target form (rows of ``targets``).

    Over all x in Z^n, x >= 0, with ``forms[published] @ x == values[published]``; float64 arrays,
    ``upper`` may be inf (and ``lower`` -inf for negative coefficients). ``published`` is a mask
    or an array of cell indices. Raises ``ValueError`` when no such x exists.
    """
    forms = sparse.csr_array(forms, dtype=np.int64)
    mask = as_mask(published, forms.shape[0])
    chosen = sparse.csr_array(forms[mask])
    chosen.sum_duplicates()
    chosen.eliminate_zeros()
    reduced = _reduce(chosen, np.asarray(values, dtype=np.int64)[mask])
    return _bounds(reduced, sparse.coo_array(targets, dtype=np.int64))


def _bounds(reduced: _Reduced, targets: sparse.coo_array) -> tuple[np.ndarray, np.ndarray]:
    """Each target's bounds: pinned part, free base cells, and the sum over components."""
    targets.sum_duplicates()
    keep = targets.data != 0
    t, j, c = targets.row[keep], targets.col[keep], targets.data[keep]
    constant = np.zeros(targets.shape[0])
    np.add.at(constant, t, (c * reduced.value[j]).astype(np.float64))
    lower, upper = constant.copy(), constant
    free = ~reduced.pinned[j] & (reduced.label[j] < 0)
    lower[t[free & (c < 0)]] = -np.inf
    upper[t[free & (c > 0)]] = np.inf
    inside = reduced.label[j] >= 0
    for ids, low, high in _solve_all(reduced, t[inside], j[inside], c[inside]):
        np.add.at(lower, ids, low)
        np.add.at(upper, ids, high)
    return lower, upper


_Task = tuple[_Component, np.ndarray, np.ndarray]
"""A component, the targets touching it (-1: none, check feasibility only), their dense rows."""
_Result = tuple[np.ndarray, np.ndarray, np.ndarray]


def _tasks(reduced: _Reduced, t: np.ndarray, j: np.ndarray, c: np.ndarray) -> Iterator[_Task]:
    """Per component the targets that touch it, with their coefficients on its base cells."""
    order = np.lexsort((t, reduced.label[j]))
    starts = np.searchsorted(reduced.label[j][order], np.arange(len(reduced.components) + 1))
    for k, comp in enumerate(reduced.components):
        entries = order[starts[k] : starts[k + 1]]
        ids, rows = np.unique(t[entries], return_inverse=True)
        coef = np.zeros((max(len(ids), 1), len(comp.columns)))
        coef[rows, reduced.local[j[entries]]] = c[entries]
        yield comp, (ids if len(ids) else np.array([-1])), coef


def _solve_all(reduced: _Reduced, t: np.ndarray, j: np.ndarray, c: np.ndarray) -> list[_Result]:
    """Bounds of the targets on every component: closed form, batched, or one by one."""
    results: list[_Result] = []
    batch: list[_Task] = []
    for comp, ids, coef in _tasks(reduced, t, j, c):
        if comp.simplex:
            results.append((ids, *_simplex(comp, coef)))
        elif comp.unit:
            results.append((ids, *_signed_sum(comp, coef)))
        elif comp.bounded and 2 * coef.size <= BATCH:
            batch.append((comp, ids, coef))
        else:
            results.append((ids, *_one_by_one(comp, coef)))
    while batch:
        sizes = np.cumsum([2 * coef.size for _, _, coef in batch])
        cut = max(1, int(np.searchsorted(sizes, BATCH, side="right")))
        results.extend(_batched(batch[:cut]))
        batch = batch[cut:]
    return [(ids[ids >= 0], low[ids >= 0], high[ids >= 0]) for ids, low, high in results]


def _simplex(comp: _Component, coef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on ``a * sum(x) == d``: the corners (d / a) e_j are the integer optima."""
    a, d = comp.entries[2][0], comp.rhs[0]
    _require(d % a == 0 and d >= 0)
    return coef.min(axis=1) * (d // a), coef.max(axis=1) * (d // a)


def _signed_sum(comp: _Component, coef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on ``sum(s_i x_i) == d`` with signs s_i = ±1, in closed form.

    The corners are |d| e_i for each i with s_i d > 0 (the origin when d = 0), the directions
    without end e_i + e_j for s_i = 1, s_j = -1; all integral, so the linear optimum is the
    integer one: a bound is infinite when a direction improves it, else the best corner.
    """
    signs = np.zeros(len(comp.columns))
    signs[comp.entries[1]] = comp.entries[2]
    d = int(comp.rhs[0])
    corners = np.flatnonzero(signs * d > 0) if d else np.array([], dtype=np.int64)
    _require(d == 0 or len(corners) > 0)
    at_corners = coef[:, corners] * abs(d) if d else np.zeros((len(coef), 1))
    low, high = at_corners.min(axis=1), at_corners.max(axis=1)
    up, down = signs > 0, signs < 0
    if up.any() and down.any():
        high[coef[:, up].max(axis=1) + coef[:, down].max(axis=1) > 0] = np.inf
        low[coef[:, up].min(axis=1) + coef[:, down].min(axis=1) < 0] = -np.inf
    return low, high


def _batched(tasks: list[_Task]) -> list[_Result]:
    """One linear program for all tasks: a block per target and direction (min c·x, min -c·x).

    The blocks are independent, so an optimum of the sum is optimal in every block.
    """
    objectives = [np.vstack([coef, -coef]) for _, _, coef in tasks]
    comps = [comp for comp, _, _ in tasks]
    matrix, rhs, block_of_var, block_of_row = _block_diagonal(comps, [len(o) for o in objectives])
    cost = np.concatenate([obj.ravel() for obj in objectives])
    solution = linprog(cost, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
    _require(solution.status != 2)
    if solution.status != 0:
        return [(ids, *_one_by_one(comp, coef)) for comp, ids, coef in tasks]
    rounded = np.rint(solution.x)
    count = sum(len(obj) for obj in objectives)
    failed = np.bincount(block_of_var[np.abs(solution.x - rounded) > TOLERANCE], minlength=count)
    failed += np.bincount(block_of_row[matrix @ rounded != rhs], minlength=count)
    optimum = np.bincount(block_of_var, weights=cost * rounded, minlength=count)
    first = np.cumsum([0, *(len(obj) for obj in objectives)])
    for block in np.flatnonzero(failed).tolist():
        k = int(np.searchsorted(first, block, side="right")) - 1
        optimum[block] = _integer_minimum(comps[k], objectives[k][block - first[k]])
    halves = [(lo, (lo + hi) // 2, hi) for lo, hi in itertools.pairwise(first)]
    return [
        (ids, optimum[lo:mid], -optimum[mid:hi])
        for (_, ids, _), (lo, mid, hi) in zip(tasks, halves, strict=True)
    ]


def _block_diagonal(
    comps: list[_Component], copies: list[int]
) -> tuple[sparse.csr_array, np.ndarray, np.ndarray, np.ndarray]:
    """Each component's equations repeated ``copies`` times on fresh variables, and block ids."""
    heights = np.repeat([len(comp.rhs) for comp in comps], copies)
    widths = np.repeat([len(comp.columns) for comp in comps], copies)
    row_at, col_at = np.cumsum([0, *heights]), np.cumsum([0, *widths])
    rows, cols, coefs, rhs = [], [], [], []
    block = 0
    for comp, count in zip(comps, copies, strict=True):
        entry_rows, entry_cols, entry_coefs = comp.entries
        rows.append((row_at[block : block + count, None] + entry_rows).ravel())
        cols.append((col_at[block : block + count, None] + entry_cols).ravel())
        coefs.append(np.tile(entry_coefs, count))
        rhs.append(np.tile(comp.rhs, count))
        block += count
    data = (np.concatenate(coefs), (np.concatenate(rows), np.concatenate(cols)))
    matrix = sparse.csr_array(data, shape=(row_at[-1], col_at[-1]))
    blocks = np.arange(block)
    return matrix, np.concatenate(rhs), np.repeat(blocks, widths), np.repeat(blocks, heights)


def _integer_minimum(comp: _Component, objective: np.ndarray) -> float:
    """min objective·x over the component's non-negative integer solutions (finite by then)."""
    found = milp(
        objective,
        integrality=np.ones(len(comp.columns)),
        bounds=Bounds(0, np.inf),
        constraints=LinearConstraint(comp.matrix, comp.rhs, comp.rhs),
        options={"mip_rel_gap": 0.0},
    )
    _require(found.status != 2)
    if found.status != 0:
        raise RuntimeError(f"integer program failed: {found.message}")
    return float(objective @ np.rint(found.x))


def _one_by_one(comp: _Component, coef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bounds target by target (a component that may be unbounded, or too large to batch)."""
    _integer_minimum(comp, np.zeros(len(comp.columns)))
    low = np.array([_minimum(comp, row) for row in coef])
    high = np.array([-_minimum(comp, -row) for row in coef])
    return low, high


def _minimum(comp: _Component, objective: np.ndarray) -> float:
    """min objective·x over a feasible component: linear optimum if integral, -inf if unbounded."""
    if not objective.any():
        return 0.0
    found = linprog(objective, A_eq=comp.matrix, b_eq=comp.rhs, bounds=(0, None), method="highs")
    if found.status == 3:
        return -np.inf
    rounded = np.rint(found.x) if found.status == 0 else None
    if rounded is None or np.abs(found.x - rounded).max() > TOLERANCE:
        return _integer_minimum(comp, objective)
    if (comp.matrix @ rounded != comp.rhs).any():
        return _integer_minimum(comp, objective)
    return float(objective @ rounded)


@dataclass(frozen=True)
class Risk:
    """A failed criterion: which cells, their true value and the attacker's interval."""

    criterion: str
    """"C1", "C2" or "C3" (PRIVACY.md, the audit)."""
    cells: tuple[int, ...]
    """The cell (C1, C2), or the suppressed parts of the relation (C3)."""
    value: int
    """The true value of the cell, or of the sum of the parts."""
    lower: float
    upper: float
    relation: int | None
    """Index into the relations for C3, else None."""

    def renumbered(self, cells: np.ndarray, relations: Sequence[int]) -> Risk:
        """The risk found on a part, in the numbering of the whole model: the part's cell ``k``
        is ``cells[k]``, its relation ``r`` is ``relations[r]``."""
        return Risk(
            self.criterion,
            tuple(int(cells[c]) for c in self.cells),
            self.value,
            self.lower,
            self.upper,
            None if self.relation is None else relations[self.relation],
        )


@dataclass(frozen=True)
class Assessment:
    """The criteria checked, with the interval of every cell (NaN for published cells)."""

    risks: list[Risk]
    lower: np.ndarray
    upper: np.ndarray


def risks(
    forms: sparse.csr_array,
    values: np.ndarray,
    published: np.ndarray,
    primary: np.ndarray,
    relations: Sequence[tuple[int, tuple[int, ...]]],
    threshold: int = 5,
) -> list[Risk]:
    """Every failure of C1 (primaries), C2 (suppressed cells) and C3 (relations), by cell index."""
    return assess(forms, values, published, primary, relations, threshold).risks


def assess(
    forms: sparse.csr_array,
    values: np.ndarray,
    published: np.ndarray,
    primary: np.ndarray,
    relations: Sequence[tuple[int, tuple[int, ...]]],
    threshold: int = 5,
) -> Assessment:
    """``risks``, with each suppressed or primary cell's interval from the same solves.

    ``relations`` are ``(total, parts)``: the total's form is the sum of the parts' forms. C3 looks
    at relations with a published total and at least two suppressed parts: the sum of those parts
    must not be exactly derivable with a value from 1 to ``threshold - 1``.

    A model larger than a part is assessed part by part (``components``): an interval depends
    on the cell's component only.
    """
    m = forms.shape[0]
    shown, first = as_mask(published, m), as_mask(primary, m)
    if m <= components.PART_CELLS:
        return _assess(forms, values, shown, first, relations, threshold)
    values = np.asarray(values, dtype=np.int64)
    lower, upper = np.full(m, np.nan), np.full(m, np.nan)
    found = []
    for part in components.parts(forms, relations):
        cells = part.cells
        checked = _assess(
            part.forms, values[cells], shown[cells], first[cells], part.relations, threshold
        )
        lower[cells], upper[cells] = checked.lower, checked.upper
        found += [risk.renumbered(cells, part.relation_ids) for risk in checked.risks]
    return Assessment(sorted(found, key=_risk_order), lower, upper)


def _assess(
    forms: sparse.csr_array,
    values: np.ndarray,
    shown: np.ndarray,
    first: np.ndarray,
    relations: Sequence[tuple[int, tuple[int, ...]]],
    threshold: int,
) -> Assessment:
    """``assess`` of one part at once."""
    m = forms.shape[0]
    cells = [(int(cell),) for cell in np.flatnonzero(~shown | first)]
    sums = _suppressed_sums(shown, relations)
    groups = cells + [parts for _, parts in sums]
    selector = _selector(groups, m)
    targets = selector @ sparse.csr_array(forms, dtype=np.int64)
    lower, upper = (bound.tolist() for bound in intervals(forms, shown, values, targets))
    totals = (selector @ np.asarray(values, dtype=np.int64)).tolist()
    found = []
    for k, (cell,) in enumerate(cells):
        if first[cell] and not (upper[k] >= totals[k] + 1 and lower[k] <= max(0, totals[k] - 1)):
            found.append(Risk("C1", (cell,), totals[k], lower[k], upper[k], None))
        if not shown[cell] and upper[k] - lower[k] < 1:
            found.append(Risk("C2", (cell,), totals[k], lower[k], upper[k], None))
    for k, (relation, parts) in enumerate(sums, start=len(cells)):
        if lower[k] == upper[k] and 1 <= totals[k] < threshold:
            found.append(Risk("C3", parts, totals[k], lower[k], upper[k], relation))
    ordered = sorted(found, key=_risk_order)
    cell_lower, cell_upper = np.full(m, np.nan), np.full(m, np.nan)
    index = [cell for (cell,) in cells]
    cell_lower[index], cell_upper[index] = lower[: len(cells)], upper[: len(cells)]
    return Assessment(ordered, cell_lower, cell_upper)


def _risk_order(risk: Risk) -> tuple[tuple[int, ...], str, int]:
    return risk.cells, risk.criterion, risk.relation or 0


def _suppressed_sums(
    shown: np.ndarray, relations: Sequence[tuple[int, tuple[int, ...]]]
) -> list[tuple[int, tuple[int, ...]]]:
    """Per relation with a published total: its suppressed parts, when there are two or more."""
    sums = []
    for index, (total, parts) in enumerate(relations):
        hidden = tuple(sorted({int(part) for part in parts if not shown[part]}))
        if shown[total] and len(hidden) >= 2:
            sums.append((index, hidden))
    return sums


def _selector(groups: list[tuple[int, ...]], m: int) -> sparse.csr_array:
    """One row per group of cells, summing them."""
    indices = np.array([cell for group in groups for cell in group], dtype=np.int64)
    indptr = np.cumsum([0, *map(len, groups)])
    ones = np.ones(len(indices), dtype=np.int64)
    return sparse.csr_array((ones, indices, indptr), shape=(len(groups), m))
