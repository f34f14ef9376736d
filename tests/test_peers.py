"""Comparison with SWVs of similar size: size classes that partition each sector."""

from __future__ import annotations

from generator import build, peers
from tests.conftest import SHIPPED


def test_size_classes_partition_each_sector_by_size() -> None:
    sizes = {f"PO20{i:02d}": 1000 * i for i in range(1, 26)} | {"VO2001": 7000}
    groups = peers.size_classes(sizes)
    assert groups["PO2001"] == tuple(f"PO20{i:02d}" for i in range(1, 9))
    assert groups["PO2012"] == tuple(f"PO20{i:02d}" for i in range(9, 17))
    assert groups["PO2025"] == tuple(f"PO20{i:02d}" for i in range(17, 26))
    assert groups["VO2001"] == ("VO2001",)
    for swv, group in groups.items():
        assert swv in group
        assert all(groups[other] == group for other in group), "classes do not overlap"


def test_every_swv_page_compares_with_its_size_class() -> None:
    data = build.inputs(SHIPPED)
    (view,) = [v for v in data.views if v.resource == "vergelijking" and v.level == "swv"]
    kenmerken = data.catalog.resource("passend-onderwijs-swv", "kenmerken").frame
    telling = dict(zip(kenmerken["swv_code"], kenmerken["telling_2015"], strict=True))
    rows = view.frame[view.frame["groep"] == peers.SIZE_GROUP].set_index("swv_code")
    assert set(rows.index) == set(telling)
    groups = peers.size_classes(telling)
    for swv, row in rows.iterrows():
        group = groups[str(swv)]
        assert row["aantal_swv"] == len(group)
        assert abs(len(group) - peers.CLASS_SIZE) <= 2
        assert row["telling_2015"] == sum(telling[m] for m in group)
