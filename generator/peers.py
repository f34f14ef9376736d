"""Comparison groups of SWVs: the sector, its vereveningscategorie, and the SWVs nearest in size.

Used by ``derive`` (which computes each group's figures) and by ``cells`` (which models them as
sums), so that both sum exactly the same SWVs.
"""

from __future__ import annotations

from collections.abc import Mapping

SIZE_PEERS = 10
SIZE_GROUP = f"vergelijkbare omvang ({SIZE_PEERS} samenwerkingsverbanden)"
"""The group of an SWV and the SWVs of its sector nearest to it in pupils (telling 2015)."""


def nearest_in_size(sizes: Mapping[str, int]) -> dict[str, tuple[str, ...]]:
    """Per SWV: itself and the ``SIZE_PEERS - 1`` SWVs of its sector (PO/VO, the code's first
    two letters) whose size is nearest to its own; ties go to the lower code."""
    groups = {}
    for swv, size in sizes.items():
        sector = [s for s in sizes if s[:2] == swv[:2]]
        nearest = sorted(sector, key=lambda s: (abs(sizes[s] - size), s))[:SIZE_PEERS]
        groups[swv] = tuple(sorted(nearest))
    return groups
