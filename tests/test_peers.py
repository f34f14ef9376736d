"""Comparison with SWVs of similar size: the group is the SWV and its nearest neighbours."""

from __future__ import annotations

from generator import build, peers
from tests.conftest import SHIPPED


def test_the_size_group_holds_the_swv_and_its_nearest_neighbours_of_the_same_sector() -> None:
    sizes = {f"PO20{i:02d}": 1000 * i for i in range(1, 16)} | {"VO2001": 7000}
    groups = peers.nearest_in_size(sizes)
    assert groups["PO2007"] == tuple(f"PO20{i:02d}" for i in range(2, 12))
    assert groups["PO2001"] == tuple(f"PO20{i:02d}" for i in range(1, 11))
    assert groups["VO2001"] == ("VO2001",)
    assert all(len(g) == peers.SIZE_PEERS for s, g in groups.items() if s.startswith("PO"))


def test_every_swv_page_compares_with_the_swvs_nearest_in_size() -> None:
    data = build.inputs(SHIPPED)
    (view,) = [v for v in data.views if v.resource == "vergelijking" and v.level == "swv"]
    kenmerken = data.catalog.resource("passend-onderwijs-swv", "kenmerken").frame
    telling = dict(zip(kenmerken["swv_code"], kenmerken["telling_2015"], strict=True))
    rows = view.frame[view.frame["groep"] == peers.SIZE_GROUP].set_index("swv_code")
    assert set(rows.index) == set(telling)
    groups = peers.nearest_in_size(telling)
    for swv, row in rows.iterrows():
        assert row["aantal_swv"] == peers.SIZE_PEERS
        assert row["telling_2015"] == sum(telling[m] for m in groups[str(swv)])
        assert str(swv) in groups[str(swv)]
