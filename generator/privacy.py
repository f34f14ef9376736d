"""Stage 5, privacy: suppression of small counts; the only maker of ``Masked`` values.

Reads the unmasked ``View``s; returns ``Masked``, in which every suppressed cell is missing.
The pattern is computed first (a boolean frame per view: True = suppress) and applied last, so
that a secondary-suppression step can extend the pattern in between (see PRIVACY.md):

1. primary: counts from 1 up to the threshold (``config.PRIVACY_THRESHOLD``); zeros are
   published;
2. derived: a value computed from a suppressed input is suppressed too;
3. apply: suppressed cells become ``pd.NA``.
"""

from __future__ import annotations

import pandas as pd

from generator.config import PRIVACY_THRESHOLD
from generator.model import MASKING_KEY, FieldInfo, Masked, MaskedView, View


def mask(views: tuple[View, ...]) -> Masked:
    """Reads every unmasked view; returns them masked, with counts of cells."""
    masked = {}
    suppressed = published = 0
    for view in views:
        pattern = derived_pattern(view.fields, primary_pattern(view))
        masked[(view.dataset, view.resource, view.level)] = apply(view, pattern)
        measures = [f.name for f in view.fields if f.name not in view.key]
        suppressed += int(pattern[measures].to_numpy().sum())
        published += int(view.frame[measures].notna().to_numpy().sum())
    return Masked(views=masked, suppressed=suppressed, published=published - suppressed)


def is_small_count(values: pd.Series) -> pd.Series:
    """True for counts from 1 up to (not including) the privacy threshold."""
    numbers = pd.to_numeric(values, errors="coerce")
    return ((numbers >= 1) & (numbers < PRIVACY_THRESHOLD)).fillna(False).astype(bool)


def primary_pattern(view: View) -> pd.DataFrame:
    """True where a count of persons lies from 1 up to the threshold."""
    pattern = pd.DataFrame(False, index=view.frame.index, columns=view.frame.columns)
    for field in view.fields:
        if field.is_count and field.name not in view.key:
            pattern[field.name] = is_small_count(view.frame[field.name])
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
