"""Secondary suppression, interval step and redundancy pass: known answers and properties."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from generator.intervals import assess, intervals, risks
from generator.suppress import Protection, SuppressionConflict, protect, secondary
from tests.test_intervals import SDC_PRIMARIES, Model, linked_regions, sdc_table

Relation = tuple[int, tuple[int, ...]]
Problem = tuple[sparse.csr_array, np.ndarray, list[Relation]]


def duo() -> Model:
    model = Model(["a", "b"], [4, 16])
    model.cell("a", ["a"])
    model.cell("b", ["b"])
    model.total("total", ["a", "b"])
    return model


def run(
    model: Model, primaries: list[str], forced: Sequence[str] = (), fixed: Sequence[str] = ()
) -> Protection:
    """``protect`` with the values as priority (totals and large counts first)."""
    values = model.values
    return protect(
        model.forms,
        values,
        model.mask(primaries),
        model.mask(list(forced)),
        model.mask(list(fixed)),
        values,
        model.relations,
    )


def named(model: Model, mask: np.ndarray) -> list[str]:
    return [model.names[i] for i in np.flatnonzero(mask)]


def passes(model: Model, suppressed: np.ndarray, primary: np.ndarray) -> bool:
    return not risks(model.forms, model.values, ~suppressed, primary, model.relations)


def test_duo_example_suppresses_the_part_and_keeps_the_total() -> None:
    model = duo()
    result = run(model, ["a"])
    assert named(model, result.suppressed) == ["a", "b"]
    assert named(model, result.secondary) == ["b"]
    assert model.bounds(["a", "b"]) == {"a": (0, 20), "b": (0, 20)}


def test_sdc_table_gets_exactly_one_secondary_and_passes() -> None:
    model = sdc_table()
    primary = model.mask(SDC_PRIMARIES)
    assert not passes(model, primary, primary)
    result = run(model, SDC_PRIMARIES)
    assert named(model, result.secondary) == ["x|d"]
    assert passes(model, result.suppressed, primary)


def test_linked_tables_are_fixed_by_protect() -> None:
    model = linked_regions()
    primaries = list("ABKLM")
    primary = model.mask(primaries)
    found = risks(model.forms, model.values, ~primary, primary, model.relations)
    assert ("C2", (model.names.index("K"),)) in [(r.criterion, r.cells) for r in found]
    result = run(model, primaries)
    assert passes(model, result.suppressed, primary)
    assert result.suppressed[model.names.index("N")]


def test_linked_tables_with_n_suppressed_leave_only_the_small_sum_a_plus_b() -> None:
    model = linked_regions()
    primary = model.mask(list("ABKLM"))
    hidden = model.mask(list("ABKLMN"))
    found = risks(model.forms, model.values, ~hidden, primary, model.relations)
    assert [(r.criterion, r.cells, r.value) for r in found] == [("C3", (0, 1), 4)]
    assert not risks(model.forms, model.values, ~hidden, primary, [])


def test_fixed_cells_that_reveal_a_primary_are_a_conflict() -> None:
    model = duo()
    with pytest.raises(SuppressionConflict, match=r"\[0\]"):
        run(model, ["a"], fixed=["b", "total"])
    with pytest.raises(SuppressionConflict, match=r"\[0\]"):
        secondary(model.forms, model.mask(["a"]), model.mask(["b", "total"]), np.array([]))


def test_a_cell_both_forced_and_fixed_is_a_conflict() -> None:
    with pytest.raises(SuppressionConflict, match="both"):
        run(duo(), ["a"], forced=["total"], fixed=["total"])


def test_forced_and_fixed_cells_keep_their_status() -> None:
    model = duo()
    result = run(model, ["a"], forced=["total"], fixed=["b"])
    assert named(model, result.suppressed) == ["a", "total"]
    assert not result.secondary.any()


def test_secondary_takes_candidates_in_order() -> None:
    model = duo()
    order = [model.names.index(name) for name in ["b", "total"]]
    result = secondary(model.forms, model.mask(["a"]), model.mask([]), np.array(order))
    assert named(model, result) == ["a", "total"]


def test_secondary_publishes_a_candidate_that_is_already_derivable() -> None:
    model = Model(["a", "b", "c"], [1, 10, 20])
    for name in model.base:
        model.cell(name, [name])
    model.total("bc", ["b", "c"])
    hidden = model.mask(["a"])
    order = np.array([model.names.index(name) for name in ["b", "c", "bc"]])
    assert named(model, secondary(model.forms, hidden, model.mask([]), order)) == ["a"]


def test_secondary_needs_every_other_cell_once_in_order() -> None:
    model = duo()
    with pytest.raises(ValueError, match="once"):
        secondary(model.forms, model.mask(["a"]), model.mask([]), np.array([1]))


def test_zero_total_over_suppressed_cells_is_caught_by_the_interval_step() -> None:
    model = Model(["a", "b", "c"], [3, 0, 0])
    for name in model.base:
        model.cell(name, [name])
    model.total("ab", ["a", "b"])
    model.total("bc", ["b", "c"])
    primary = model.mask(["a"])
    order = np.array([model.names.index(name) for name in ["ab", "bc", "b", "c"]])
    span_only = secondary(model.forms, primary, model.mask([]), order)
    assert named(model, span_only) == ["a", "b", "c"]
    assert model.bounds(named(model, span_only))["a"] == (3, 3)
    result = run(model, ["a"])
    assert result.rounds >= 1
    assert passes(model, result.suppressed, primary)


def test_the_interval_step_gives_up_after_max_rounds() -> None:
    model = Model(["a", "b"], [3, 0])
    model.cell("a", ["a"])
    model.cell("b", ["b"])
    model.total("ab", ["a", "b"])
    args = (model.forms, model.values, model.mask(["a"]), model.mask([]), model.mask([]))
    with pytest.raises(SuppressionConflict, match="rounds"):
        protect(*args, model.values, model.relations, max_rounds=0)
    assert protect(*args, model.values, model.relations).rounds == 1


@st.composite
def hierarchies(draw: st.DrawFn) -> Problem:
    """Base cells in 2–4 groups of 2–4, each group total and the grand total published."""
    sizes = draw(st.lists(st.integers(2, 4), min_size=2, max_size=4))
    return _problem(
        draw,
        sum(sizes),
        [list(range(sum(sizes[:g]), sum(sizes[: g + 1]))) for g in range(len(sizes))],
        [],
    )


@st.composite
def linked_groupings(draw: st.DrawFn) -> Problem:
    """Two partitions of 4–9 base cells, every group total and the grand total published."""
    n = draw(st.integers(4, 9))
    partitions = [draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)) for _ in range(2)]
    groups = [[[j for j in range(n) if labels[j] == g] for g in range(3)] for labels in partitions]
    return _problem(draw, n, *groups)


def _problem(draw: st.DrawFn, n: int, *partitions: list[list[int]]) -> Problem:
    """Forms: base cells, group totals (no duplicate forms), grand total; counts 0–30."""
    counts = st.one_of(st.integers(0, 4), st.integers(0, 30))
    truth = np.array(draw(st.lists(counts, min_size=n, max_size=n)), dtype=np.int64)
    rows = [tuple(int(i == j) for i in range(n)) for j in range(n)]
    relations: list[Relation] = []
    cell_of = {row: k for k, row in enumerate(rows)}
    tops = []
    for groups in partitions:
        parts = []
        for group in filter(None, groups):
            row = tuple(int(i in group) for i in range(n))
            if row not in cell_of:
                cell_of[row] = len(rows)
                rows.append(row)
                relations.append((cell_of[row], tuple(group)))
            parts.append(cell_of[row])
        tops.append(tuple(parts))
    grand = (1,) * n
    if grand not in cell_of:
        cell_of[grand] = len(rows)
        rows.append(grand)
    relations += [(cell_of[grand], parts) for parts in tops if len(parts) > 1]
    forms = sparse.csr_array(np.array(rows, dtype=np.int64))
    return forms, forms @ truth, relations


def _primary(values: np.ndarray) -> np.ndarray:
    return (values >= 1) & (values <= 4)


def _check_protection(problem: Problem) -> None:
    forms, values, relations = problem
    primary = _primary(values)
    none = np.zeros(len(values), dtype=bool)
    result = protect(forms, values, primary, none, none, values, relations)
    assert (result.suppressed >= primary).all()
    assert not risks(forms, values, ~result.suppressed, primary, relations)
    lower, upper = intervals(forms, ~result.suppressed, values, forms[result.suppressed])
    assert ((lower <= values[result.suppressed]) & (values[result.suppressed] <= upper)).all()


@settings(max_examples=50, deadline=None)
@given(hierarchies())
def test_protect_passes_the_audit_on_hierarchies(problem: Problem) -> None:
    _check_protection(problem)


@settings(max_examples=50, deadline=None)
@given(linked_groupings())
def test_protect_passes_the_audit_on_linked_groupings(problem: Problem) -> None:
    _check_protection(problem)


def _in_span(rows: np.ndarray, row: np.ndarray) -> bool:
    if not len(rows):
        return not row.any()
    return np.linalg.matrix_rank(np.vstack([rows, row])) == np.linalg.matrix_rank(rows)


@settings(max_examples=50, deadline=None)
@given(st.one_of(hierarchies(), linked_groupings()), st.randoms(use_true_random=False))
def test_secondary_leaves_no_suppressed_cell_in_the_published_span(
    problem: Problem, chance: random.Random
) -> None:
    forms, values, _ = problem
    m = len(values)
    hidden = np.array([chance.random() < 0.25 for _ in range(m)])
    fixed = np.array([chance.random() < 0.2 for _ in range(m)]) & ~hidden
    rest = [int(i) for i in np.flatnonzero(~hidden & ~fixed)]
    chance.shuffle(rest)
    dense = forms.toarray().astype(float)
    try:
        result = secondary(forms, hidden, fixed, np.array(rest, dtype=np.int64))
    except SuppressionConflict:
        assert any(_in_span(dense[fixed], dense[cell]) for cell in np.flatnonzero(hidden))
        return
    assert (result >= hidden).all() and not (result & fixed).any()
    for cell in np.flatnonzero(result):
        assert not _in_span(dense[~result], dense[cell])


def _side_by_side(problems: list[Problem]) -> Problem:
    """Several problems as one model: each on its own base cells (separate components)."""
    forms = sparse.block_diag([p[0] for p in problems], format="csr")
    values = np.concatenate([p[1] for p in problems])
    offsets = np.cumsum([0, *(len(p[1]) for p in problems)])
    relations = [
        (int(total + shift), tuple(int(part + shift) for part in parts))
        for (_, _, rels), shift in zip(problems, offsets, strict=False)
        for total, parts in rels
    ]
    return sparse.csr_array(forms, dtype=np.int64), values, relations


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(hierarchies(), linked_groupings()), min_size=2, max_size=4))
def test_the_pattern_does_not_depend_on_the_parts_the_model_is_solved_in(
    problems: list[Problem],
) -> None:
    forms, values, relations = _side_by_side(problems)
    primary = _primary(values)
    none = np.zeros(len(values), dtype=bool)
    patterns = []
    for size in (1, 7, 10**9):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("generator.components.PART_CELLS", size)
            result = protect(forms, values, primary, none, none, values, relations)
        patterns.append(result.suppressed)
        assert not risks(forms, values, ~result.suppressed, primary, relations)
    assert all((p == patterns[0]).all() for p in patterns)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(hierarchies(), linked_groupings()), min_size=2, max_size=4))
def test_the_audit_does_not_depend_on_the_parts_the_model_is_assessed_in(
    problems: list[Problem],
) -> None:
    forms, values, relations = _side_by_side(problems)
    primary = _primary(values)
    found = []
    for size in (1, 7, 10**9):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("generator.components.PART_CELLS", size)
            found.append(assess(forms, values, ~primary, primary, relations))
    whole = found[-1]
    for split in found[:-1]:
        assert split.risks == whole.risks
        np.testing.assert_array_equal(split.lower, whole.lower)
        np.testing.assert_array_equal(split.upper, whole.upper)


def test_a_conflict_in_a_later_part_names_the_cell_by_its_number_in_the_whole_model() -> None:
    first, second = duo(), duo()
    forms, values, relations = _side_by_side(
        [(m.forms, m.values, m.relations) for m in (first, second)]
    )
    primary = np.array([False, False, False, True, False, False])
    fixed = np.array([False, False, False, False, True, True])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.components.PART_CELLS", 1)
        with pytest.raises(SuppressionConflict, match=r"cells \[3\] must be suppressed"):
            protect(forms, values, primary, np.zeros(6, dtype=bool), fixed, values, relations)
