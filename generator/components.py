"""Independent parts of a cell model: what suppression and audit may solve one at a time.

Two cells whose forms share no base cell (directly or through other cells) cannot tell anything
about each other: an attacker's interval for a cell depends on its component only. A relation
ties its total to its parts as well (a part may have an empty form). ``parts`` groups whole
components into parts of about ``PART_CELLS`` cells, so that the exact rows the solvers build are
those of one part at a time and their memory and time grow with the model, not faster.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

Relation = tuple[int, tuple[int, ...]]
"""``(total, parts)``: the total's form is the sum of the parts' forms."""

PART_CELLS = 20_000
"""Cells in a part (a part holds whole components, so it may be larger): small enough that one
part's exact rows are a small share of the build's memory, large enough that the cost of a part
does not count."""


@dataclass(frozen=True)
class Part:
    """Whole components of a model, renumbered: cell ``k`` of the part is ``cells[k]``."""

    cells: np.ndarray
    """The part's cells in the whole model, ascending (so ties in any order fall alike)."""
    forms: sparse.csr_array
    """Their forms over the base cells they use only, renumbered in order."""
    relations: list[Relation]
    """The relations whose total lies in the part, in part numbers."""
    relation_ids: list[int]
    """Each of those relations' index in the whole model's relations."""


def cell_components(forms: sparse.csr_array, relations: Sequence[Relation] = ()) -> np.ndarray:
    """The component of each cell: cells are linked when their forms share a base cell, and a
    relation's total with its parts."""
    m, n = forms.shape
    coo = sparse.coo_array(forms)
    pairs = [(total, part) for total, parts in relations for part in parts]
    tied = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    rows = np.concatenate([coo.row, tied[:, 0]])
    cols = np.concatenate([coo.col + m, tied[:, 1]])
    links = sparse.coo_array((np.ones(len(rows)), (rows, cols)), shape=(m + n, m + n))
    return connected_components(links, directed=False)[1][:m]


def parts(forms: sparse.csr_array, relations: Sequence[Relation]) -> Iterator[Part]:
    """The model in parts of whole components, in order of each component's first cell."""
    forms = sparse.csr_array(forms)
    m = forms.shape[0]
    part = _part_of_cell(cell_components(forms, relations))
    by_part = np.argsort(part, kind="stable")
    starts = np.searchsorted(part[by_part], np.arange(int(part.max(initial=-1)) + 2))
    local = np.empty(m, dtype=np.int64)
    for k in range(len(starts) - 1):
        local[by_part[starts[k] : starts[k + 1]]] = np.arange(starts[k + 1] - starts[k])
    relations_of: dict[int, tuple[list[Relation], list[int]]] = {}
    for index, (total, members) in enumerate(relations):
        held, ids = relations_of.setdefault(int(part[total]), ([], []))
        held.append((int(local[total]), tuple(int(local[p]) for p in members)))
        ids.append(index)
    for k in range(len(starts) - 1):
        cells = by_part[starts[k] : starts[k + 1]]
        if not len(cells):  # a part number skipped after a component larger than a part
            continue
        held, ids = relations_of.get(k, ([], []))
        yield Part(cells, _columns_used(forms[cells]), held, ids)


def _part_of_cell(component: np.ndarray) -> np.ndarray:
    """Components in order of their first cell, cut into parts of about ``PART_CELLS`` cells."""
    m = len(component)
    count = int(component.max(initial=-1)) + 1
    first = np.full(count, m, dtype=np.int64)
    np.minimum.at(first, component, np.arange(m))
    by_first = np.argsort(first, kind="stable")
    sizes = np.bincount(component, minlength=count)[by_first]
    part_of = np.empty(count, dtype=np.int64)
    part_of[by_first] = (np.cumsum(sizes) - sizes) // PART_CELLS
    return part_of[component]


def _columns_used(forms: sparse.csr_array) -> sparse.csr_array:
    """The forms over the base cells they use only, renumbered in order."""
    columns, inverse = np.unique(forms.indices, return_inverse=True)
    return sparse.csr_array(
        (forms.data, inverse.reshape(-1), forms.indptr), shape=(forms.shape[0], len(columns))
    )
