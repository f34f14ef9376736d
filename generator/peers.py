"""Comparison groups of SWVs: the sector, its vereveningscategorie, and its size class.

Used by ``derive`` (which computes each group's figures) and by ``cells`` (which models them as
sums), so that both sum exactly the same SWVs.

The size classes partition each sector, like the vereveningscategorieën: a group per SWV of
its own nearest neighbours would overlap with the next SWV's group, and the difference of two
overlapping sums singles out one SWV, which costs many secondary suppressions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

CLASS_SIZE = 10
SIZE_GROUP = "vergelijkbare omvang"
"""The SWVs of the same sector and size class (about ``CLASS_SIZE`` by pupils, telling 2015)."""


def size_classes(sizes: Mapping[str, int]) -> dict[str, tuple[str, ...]]:
    """Per SWV: the SWVs of its size class. Each sector (PO/VO, the code's first two letters)
    is sorted by size (ties by code) and cut into classes of as equal a number as possible,
    at most ``CLASS_SIZE`` each."""
    groups: dict[str, tuple[str, ...]] = {}
    for sector in sorted({swv[:2] for swv in sizes}):
        ranked = sorted((s for s in sizes if s[:2] == sector), key=lambda s: (sizes[s], s))
        count = max(1, math.ceil(len(ranked) / CLASS_SIZE))
        bounds = [math.floor(i * len(ranked) / count) for i in range(count + 1)]
        for start, end in itertools.pairwise(bounds):
            members = tuple(sorted(ranked[start:end]))
            groups |= dict.fromkeys(members, members)
    return groups
