"""Feasibility intervals and the audit criteria: PRIVACY.md's known answers and brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from generator.echelon import EchelonBasis
from generator.intervals import intervals, risks

Relation = tuple[int, tuple[int, ...]]


class Model:
    """A test model: named cells as linear forms over base cells, true values, relations."""

    def __init__(self, base: list[str], base_values: list[int]) -> None:
        self.base = base
        self.truth = np.array(base_values, dtype=np.int64)
        self.names: list[str] = []
        self.rows: list[np.ndarray] = []
        self.relations: list[Relation] = []

    def cell(self, name: str, members: list[str], signs: list[int] | None = None) -> int:
        row = np.zeros(len(self.base), dtype=np.int64)
        for member, sign in zip(members, signs or [1] * len(members), strict=True):
            row[self.base.index(member)] += sign
        self.names.append(name)
        self.rows.append(row)
        return len(self.names) - 1

    def total(self, name: str, parts: list[str]) -> int:
        members = [b for part in parts for b, v in zip(self.base, self.row(part), strict=True) if v]
        index = self.cell(name, members)
        self.relations.append((index, tuple(self.names.index(part) for part in parts)))
        return index

    def row(self, name: str) -> np.ndarray:
        return self.rows[self.names.index(name)]

    @property
    def forms(self) -> sparse.csr_array:
        return sparse.csr_array(np.array(self.rows, dtype=np.int64))

    @property
    def values(self) -> np.ndarray:
        return self.forms @ self.truth

    def mask(self, names: list[str]) -> np.ndarray:
        return np.isin(np.array(self.names), names)

    def bounds(self, hidden: list[str]) -> dict[str, tuple[float, float]]:
        """Intervals of the hidden cells when every other cell is published."""
        mask = self.mask(hidden)
        lower, upper = intervals(self.forms, ~mask, self.values, self.forms[mask])
        chosen = [name for name in self.names if name in hidden]
        return {name: (lo, hi) for name, lo, hi in zip(chosen, lower, upper, strict=True)}


def table(rows: list[str], cols: list[str], values: list[list[int]]) -> Model:
    """A two-way table ``r|c`` with row totals ``r|T``, column totals ``T|c`` and ``T|T``."""
    model = Model([f"{r}|{c}" for r in rows for c in cols], [v for line in values for v in line])
    for name in model.base:
        model.cell(name, [name])
    for r in rows:
        model.total(f"{r}|T", [f"{r}|{c}" for c in cols])
    for c in cols:
        model.total(f"T|{c}", [f"{r}|{c}" for r in rows])
    model.total("T|T", [f"{r}|T" for r in rows])
    model.relations.append(
        (model.names.index("T|T"), tuple(model.names.index(f"T|{c}") for c in cols))
    )
    return model


def sdc_table() -> Model:
    """sdcTable's 4×4 test problem (PRIVACY.md)."""
    values = [[30, 47, 64, 89], [90, 124, 5, 31], [92, 100, 59, 85], [800, 991, 651, 685]]
    return table(list("wxyz"), list("abcd"), values)


SDC_PRIMARIES = ["w|a", "w|b", "w|c", "x|a", "x|c", "y|b", "y|d", "z|b", "z|d"]


def linked_regions() -> Model:
    """sdcTable's linked tables: two groupings of the same regions (PRIVACY.md)."""
    regions = list("ABIJKLMN")
    model = Model(regions, [2, 2, 8, 8, 3, 3, 3, 7])
    for region in regions:
        model.cell(region, [region])
    model.total("ABIJ", list("ABIJ"))
    model.total("KLMN", list("KLMN"))
    model.total("LM", list("LM"))
    model.total("ABIJKN", list("ABIJKN"))
    model.total("all", ["ABIJ", "KLMN"])
    model.relations.append(
        (model.names.index("all"), (model.names.index("LM"), model.names.index("ABIJKN")))
    )
    return model


def test_geurts_interval_example() -> None:
    model = table(["1", "2", "3"], ["1", "2"], [[4, 3], [2, 1], [3, 3]])
    assert model.values[model.names.index("1|T")] == 7
    assert model.values[model.names.index("T|1")] == 9
    bounds = model.bounds(["1|1", "1|2", "2|1", "2|2"])
    assert bounds["1|1"] == (3, 6)
    assert bounds["2|2"] == (0, 3)


def test_duo_example_both_suppressed_in_0_20() -> None:
    model = Model(["a", "b"], [4, 16])
    model.cell("a", ["a"])
    model.cell("b", ["b"])
    model.total("total", ["a", "b"])
    assert model.bounds(["a", "b"]) == {"a": (0, 20), "b": (0, 20)}


def test_sdc_table_naive_pattern_leaks_and_one_more_cell_protects() -> None:
    model = sdc_table()
    assert model.bounds(SDC_PRIMARIES)["w|b"] == (47, 47)
    assert model.bounds([*SDC_PRIMARIES, "x|d"])["w|b"] == (0, 78)


def test_linked_tables_reveal_k_unless_n_is_suppressed() -> None:
    model = linked_regions()
    primaries = list("ABKLM")
    assert model.bounds(primaries)["K"] == (3, 3)
    assert model.bounds([*primaries, "N"])["K"] == (0, 10)


def test_free_base_cells_are_unbounded_by_sign() -> None:
    model = Model(["a", "b", "c"], [1, 2, 3])
    model.cell("a", ["a"])
    model.cell("a+b", ["a", "b"])
    model.cell("a-c", ["a", "c"], [1, -1])
    model.cell("b+c", ["b", "c"])
    lower, upper = intervals(model.forms, model.mask(["a"]), model.values, model.forms)
    assert lower.tolist() == [1, 1, -np.inf, 0]
    assert upper.tolist() == [1, np.inf, 1, np.inf]


def test_derived_column_with_minus_signs_is_unbounded_above() -> None:
    model = Model(["start", "new", "gone"], [10, 4, 3])
    model.cell("start", ["start"])
    model.cell("new", ["new"])
    model.cell("gone", ["gone"])
    model.cell("actual", ["start", "new", "gone"], [1, 1, -1])
    model.cell("new+gone", ["new", "gone"])
    bounds = model.bounds(["new", "gone", "new+gone"])
    assert bounds == {"new": (1, np.inf), "gone": (0, np.inf), "new+gone": (1, np.inf)}


def test_integer_bounds_where_the_linear_optimum_is_fractional() -> None:
    model = Model(["p", "q", "r", "s"], [0, 1, 0, 1])
    model.cell("p+q", ["p", "q"])
    model.cell("q+r", ["q", "r"])
    model.cell("p+r+s", ["p", "r", "s"])
    model.cell("p", ["p"])
    assert model.bounds(["p"]) == {"p": (0, 0)}


@pytest.mark.parametrize(
    ("rows", "values"),
    [
        ([[1, 1], [1, 0]], [5, 6]),
        ([[2, 2]], [3]),
        ([[1, 1, 0], [0, 1, 1], [1, 0, 1]], [1, 1, 1]),
        ([[1, 1]], [-1]),
        ([[1, 0], [1, 0]], [1, 2]),
    ],
)
def test_inconsistent_published_values_are_refused(
    rows: list[list[int]], values: list[int]
) -> None:
    forms = sparse.csr_array(np.array(rows, dtype=np.int64))
    with pytest.raises(ValueError, match="inconsistent"):
        intervals(forms, np.ones(len(rows), dtype=bool), np.array(values), forms)


def test_no_published_cells_and_no_targets() -> None:
    forms = sparse.csr_array(np.eye(3, dtype=np.int64))
    lower, upper = intervals(forms, np.zeros(3, dtype=bool), np.arange(3), forms[[0]])
    assert (lower.tolist(), upper.tolist()) == ([0], [np.inf])
    lower, upper = intervals(forms, np.ones(3, dtype=bool), np.arange(3), forms[[]])
    assert lower.shape == upper.shape == (0,)


def test_echelon_basis_keeps_pivots_out_of_other_rows() -> None:
    basis = EchelonBasis()
    for row in [{0: 1, 1: 1}, {1: 1, 2: 1}, {0: 2, 2: -1, 3: 3}]:
        reduced = basis.reduce(row)
        assert reduced
        basis.add(reduced)
    for pivot, row in basis.rows.items():
        assert all(pivot not in other for p, other in basis.rows.items() if p != pivot)
        assert row[pivot]
    assert basis.reduce({0: 1, 1: 2, 2: 1}) == {}


def test_risks_name_the_leaking_cells() -> None:
    model = sdc_table()
    hidden = model.mask(SDC_PRIMARIES)
    found = risks(model.forms, model.values, ~hidden, hidden, model.relations)
    w_b = model.names.index("w|b")
    assert [(r.criterion, r.cells, r.value, r.lower, r.upper) for r in found] == [
        ("C1", (w_b,), 47, 47, 47),
        ("C2", (w_b,), 47, 47, 47),
    ]


def test_c1_needs_one_either_side_of_the_value() -> None:
    model = Model(["a", "b", "c"], [3, 0, 5])
    for name in model.base:
        model.cell(name, [name])
    model.total("ab", ["a", "b"])
    model.total("abc", ["a", "b", "c"])
    hidden = model.mask(["a", "b"])
    primary = model.mask(["a"])
    found = risks(model.forms, model.values, ~hidden, primary, [])
    assert [(r.criterion, r.lower, r.upper) for r in found] == [("C1", 0, 3)]
    assert [
        r.criterion for r in risks(model.forms, model.values, ~hidden, primary, model.relations)
    ] == ["C1", "C3", "C3"]


def test_c3_flags_a_small_derivable_sum_within_a_relation() -> None:
    model = linked_regions()
    hidden = model.mask(list("ABKLMN"))
    found = risks(model.forms, model.values, ~hidden, model.mask(list("ABKLM")), model.relations)
    assert [(r.criterion, r.cells, r.value, r.relation) for r in found] == [("C3", (0, 1), 4, 0)]
    assert risks(model.forms, model.values, ~hidden, hidden, model.relations, threshold=4) == []


def test_a_published_primary_fails_c1() -> None:
    model = Model(["a"], [2])
    model.cell("a", ["a"])
    found = risks(model.forms, model.values, np.array([True]), np.array([True]), [])
    assert [(r.criterion, r.lower, r.upper) for r in found] == [("C1", 2, 2)]


@st.composite
def small_systems(draw: st.DrawFn) -> tuple[sparse.csr_array, np.ndarray, np.ndarray]:
    """Up to 5 base cells (0–3) under a published grand total, other forms with ±1 coefficients."""
    n = draw(st.integers(1, 5))
    truth = np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=np.int64)
    coefficient = st.sampled_from([0, 0, 1, 1, -1])
    rows = draw(st.lists(st.lists(coefficient, min_size=n, max_size=n), min_size=1, max_size=7))
    forms = sparse.csr_array(np.array([[1] * n, *rows], dtype=np.int64))
    published = np.array(
        [True, *draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))]
    )
    return forms, truth, published


@settings(max_examples=50, deadline=None)
@given(small_systems())
def test_intervals_match_brute_force_enumeration(
    system: tuple[sparse.csr_array, np.ndarray, np.ndarray],
) -> None:
    forms, truth, published = system
    values = forms @ truth
    dense = forms.toarray()
    grid = np.array(list(itertools.product(range(int(truth.sum()) + 1), repeat=len(truth))))
    feasible = grid[(grid @ dense[published].T == values[published]).all(axis=1)]
    lower, upper = intervals(forms, published, values, forms)
    assert lower.tolist() == (feasible @ dense.T).min(axis=0).tolist()
    assert upper.tolist() == (feasible @ dense.T).max(axis=0).tolist()


@settings(max_examples=200, deadline=None)
@given(
    signs=st.lists(st.sampled_from([1, -1]), min_size=1, max_size=3),
    values=st.lists(st.integers(0, 6), min_size=4, max_size=4),
    target=st.lists(st.integers(-1, 1), min_size=4, max_size=4),
)
def test_a_signed_sum_gives_the_brute_force_interval(
    signs: list[int], values: list[int], target: list[int]
) -> None:
    """One published signed sum (like actueel ≥ 0 with its slack): the closed form is exact."""
    n = len(signs)
    x = np.array(values[:n])
    forms = sparse.csr_array(np.array([signs]))
    total = int(np.array(signs) @ x)
    goal = np.array(target[:n])
    lower, upper = intervals(forms, np.array([True]), np.array([total]), sparse.csr_array([goal]))
    seen = [
        int(goal @ np.array(p))
        for p in itertools.product(range(0, 25), repeat=n)
        if int(np.array(signs) @ np.array(p)) == total
    ]
    assert lower[0] <= min(seen) and max(seen) <= upper[0]
    assert lower[0] == min(seen) or (lower[0] == -np.inf and min(seen) < -8)
    assert upper[0] == max(seen) or (upper[0] == np.inf and max(seen) > 8)
