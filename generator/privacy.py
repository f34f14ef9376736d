"""Stage 6, privacy: suppression of small counts; the only maker of ``Masked`` values.

Reads the unmasked ``View``s, their ``CellModel`` and what earlier releases fixed; returns
``Masked``, in which every suppressed cell is missing. The method is PRIVACY.md's, over the
whole model at once (every dataset, level and overlap):

1. primary: counts from 1 up to the threshold (``config.PRIVACY_THRESHOLD``); zeros are
   published;
2. the packages' rule: a signed sum computed by this site (verzuim *actueel*) is suppressed
   when one of its inputs is;
3. secondary: Gaussian elimination (``suppress``), keeping totals and large counts, cells
   published earlier published and cells suppressed earlier suppressed; then the interval step
   and the redundancy pass;
4. values computed from counts in the same row (percentages, flags) are suppressed when an
   input is;
5. apply: suppressed cells become ``pd.NA``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from generator import suppress
from generator.config import PRIVACY_THRESHOLD
from generator.model import (
    MASKING_KEY,
    CellModel,
    EarlierReleases,
    FieldInfo,
    Masked,
    MaskedView,
    PrivacyFigures,
    View,
)

MAX_RULE_ROUNDS = 10


def mask(views: tuple[View, ...], model: CellModel, earlier: EarlierReleases) -> Masked:
    """Reads every unmasked view and the cell model; returns the views masked."""
    suppressed, figures = protect(model, earlier)
    masked = {}
    hidden = shown = 0
    for view in views:
        cells = model.views[(view.dataset, view.resource, view.level)]
        pattern = derived_pattern(view.fields, cell_pattern(view, cells.cells, suppressed))
        masked[(view.dataset, view.resource, view.level)] = apply(view, pattern)
        measures = [f.name for f in view.fields if f.name not in view.key]
        hidden += int(pattern[measures].to_numpy().sum())
        shown += int(view.frame[measures].notna().to_numpy().sum())
    return Masked(views=masked, suppressed=hidden, published=shown - hidden, figures=figures)


def protect(model: CellModel, earlier: EarlierReleases) -> tuple[np.ndarray, PrivacyFigures]:
    """The suppression pattern over the distinct cells of the model, and its figures."""
    primary = is_small_count(model.values)
    forced = earlier.suppressed | _rule(model, primary)
    for _ in range(MAX_RULE_ROUNDS):
        protection = suppress.protect(
            model.forms,
            model.values,
            primary,
            forced & ~primary,
            (earlier.published | model.facts) & ~primary,
            priority(model),
            model.relations,
            PRIVACY_THRESHOLD,
        )
        more = _rule(model, protection.suppressed) & ~protection.suppressed
        if not more.any():
            break
        forced |= more
    else:
        raise RuntimeError(f"suppression did not settle in {MAX_RULE_ROUNDS} rounds")
    derived = _rule(model, protection.suppressed) & ~primary
    secondary = protection.suppressed & ~primary & ~derived
    shown = ~model.facts
    figures = PrivacyFigures(
        cells=int(shown.sum()),
        published=int((~protection.suppressed & shown).sum()),
        primary=int(primary.sum()),
        derived=int(derived.sum()),
        secondary=int(secondary.sum()),
        secondary_sum=int(model.values[secondary].sum()),
        rounds=protection.rounds,
    )
    return protection.suppressed, figures


def is_small_count(values: np.ndarray) -> np.ndarray:
    """True for counts from 1 up to (not including) the privacy threshold."""
    return (values >= 1) & (values < PRIVACY_THRESHOLD)


def priority(model: CellModel) -> np.ndarray:
    """How much each cell is wanted published: totals of many cells first, then large counts."""
    terms = np.diff(model.forms.indptr)
    return terms * (int(model.values.max(initial=0)) + 1) + model.values


def _rule(model: CellModel, suppressed: np.ndarray) -> np.ndarray:
    """Signed sums of the site whose input is suppressed (the packages' rule)."""
    out = np.zeros(len(suppressed), dtype=bool)
    for cell, inputs in model.dependents:
        out[cell] = bool(suppressed[list(inputs)].any())
    return out


def cell_pattern(view: View, cells: Mapping[str, Any], suppressed: np.ndarray) -> pd.DataFrame:
    """True where a count of the view is a suppressed cell of the model."""
    pattern = pd.DataFrame(False, index=view.frame.index, columns=view.frame.columns)
    for column, indices in cells.items():
        known = indices >= 0
        hide = np.zeros(len(indices), dtype=bool)
        hide[known] = suppressed[indices[known]]
        pattern[column] = hide
    return pattern


def derived_pattern(fields: tuple[FieldInfo, ...], pattern: pd.DataFrame) -> pd.DataFrame:
    """Extends a pattern: a value computed from a suppressed input is suppressed.

    Fields are declared after their inputs, so one pass in field order suffices.
    """
    pattern = pattern.copy()
    for field in fields:
        inputs = [name for name in field.inputs if name in pattern.columns]
        if inputs:
            pattern[field.name] |= pattern[inputs].any(axis=1)
    return pattern


def apply(view: View, pattern: pd.DataFrame) -> MaskedView:
    """The view with every cell of the pattern made missing.

    Source counts already missing at the source are marked hidden too, as are values derived
    from them; a derived value missing because it does not apply (sbao at a vo SWV) is not.
    """
    frame = view.frame.copy()
    for column in frame.columns:
        cells = pattern[column].to_numpy()
        if cells.any():
            frame[column] = frame[column].mask(cells)
    for column in view.key:  # few distinct codes and years, each kept once: pages need less memory
        if pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].astype("category")
    at_source = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    for field in view.fields:
        if field.is_count and not field.derived and field.name not in view.key:
            at_source[field.name] = view.frame[field.name].isna().to_numpy()
    hidden = pattern | derived_pattern(view.fields, at_source)
    return MaskedView(
        view.dataset,
        view.resource,
        view.level,
        view.entity,
        view.fields,
        view.key,
        frame,
        hidden,
        MASKING_KEY,
    )
