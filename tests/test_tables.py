"""Stage 4, tables: the views per dataset, SWV and gemeente, overlaps made explicit."""

from pathlib import Path

import pandas as pd
import pytest

from generator.derive import derive
from generator.model import View
from generator.packages import load_catalog
from generator.regions import regions
from generator.tables import tables

VERZUIM = "langdurig-relatief-verzuim"
CLUSTER = "leerlingen-cluster-1-2"
MEASURES = [
    "begin_schooljaar",
    "nieuw",
    "langer_dan_3_maanden",
    "verhuisd",
    "achttien_jaar_geworden",
    "opgelost",
    "actueel",
]


def load_views(data: Path) -> dict[tuple[str, str, str], View]:
    catalog = derive(load_catalog(data))
    return {(v.dataset, v.resource, v.level): v for v in tables(catalog, regions(catalog))}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rows(frame: pd.DataFrame, **where: object) -> pd.DataFrame:
    selected = frame
    for column, value in where.items():
        selected = selected[selected[column] == value]
    return selected


def verzuim_per_swv(data: Path) -> pd.DataFrame:
    return load_views(data)[(VERZUIM, "verzuim", "swv")].frame


def measures(frame: pd.DataFrame) -> list[list[int]]:
    ordered = frame.sort_values(["schooljaar", "onderwijssoort"])
    return [[int(v) for v in row] for row in ordered[MEASURES].to_numpy().tolist()]


def test_the_split_gemeente_is_shown_in_full_at_both_po_swvs(tiny_data: Path) -> None:
    frame = verzuim_per_swv(tiny_data)
    at_po2001 = rows(frame, swv_code="PO2001", gemeente_code="GM0003")
    at_po2002 = rows(frame, swv_code="PO2002", gemeente_code="GM0003")
    assert len(at_po2001) == len(at_po2002) == 8  # 2 schooljaren x po, so-vso, geen, onbekend
    assert measures(at_po2001) == measures(at_po2002)
    po = rows(at_po2001, schooljaar="2022-2023", onderwijssoort="po")
    # GM0003,2022-2023,po,7,9,5,2,0,8; actueel = 7 + 9 - 8 - 0 - 2 = 6
    assert measures(po) == [[7, 9, 5, 2, 0, 8, 6]]


def test_so_vso_geen_onderwijs_and_onbekend_are_shown_at_both_the_po_and_the_vo_swv(
    tiny_data: Path,
) -> None:
    frame = rows(verzuim_per_swv(tiny_data), gemeente_code="GM0001", schooljaar="2022-2023")
    for soort in ("so-vso", "geen-onderwijs", "onbekend"):
        assert sorted(rows(frame, onderwijssoort=soort)["swv_code"]) == ["PO2001", "VO2001"]
    so_vso = rows(frame, onderwijssoort="so-vso")
    # GM0001,2022-2023,so-vso,2,1,1,0,1,1; actueel = 2 + 1 - 1 - 1 - 0 = 1
    assert measures(so_vso) == [[2, 1, 1, 0, 1, 1, 1]] * 2


def test_po_rows_appear_only_at_the_po_swv_and_vo_rows_only_at_the_vo_swv(
    tiny_data: Path,
) -> None:
    frame = verzuim_per_swv(tiny_data)
    assert sorted(set(rows(frame, onderwijssoort="po")["swv_code"])) == ["PO2001", "PO2002"]
    assert sorted(set(rows(frame, onderwijssoort="vo")["swv_code"])) == ["VO2001", "VO2002"]
    gm0001 = rows(frame, gemeente_code="GM0001")
    assert set(rows(gm0001, onderwijssoort="po")["swv_code"]) == {"PO2001"}
    assert set(rows(gm0001, onderwijssoort="vo")["swv_code"]) == {"VO2001"}
    # 9 memberships (GM0003 counted at PO2001, PO2002 and VO2002) x 2 years x 4 soorten
    assert len(frame) == 72


def test_the_national_swv_has_no_verzuim_rows(tiny_data: Path) -> None:
    views = load_views(tiny_data)
    assert rows(views[(VERZUIM, "verzuim", "swv")].frame, swv_code="VO0001").empty
    assert rows(views[(CLUSTER, "leerlingen", "swv")].frame, swv_code="VO0001").empty


def cluster_count(frame: pd.DataFrame, swv: str, year: int, cluster: int, soort: str) -> object:
    found = rows(frame, swv_code=swv, peiljaar=year, cluster=cluster, onderwijssoort=soort)
    assert len(found) == 1
    return found["aantal_leerlingen"].iloc[0]


def test_the_cluster_view_of_an_swv_holds_the_vestigingen_of_its_region(tiny_data: Path) -> None:
    frame = load_views(tiny_data)[(CLUSTER, "leerlingen", "swv")].frame
    po2001_2023 = rows(frame, swv_code="PO2001", peiljaar=2023)
    # 01AB00 (GM0001, cluster 1): so 3, vso 0; 02CD01 (GM0002, cluster 2): so 1, vso 27
    assert int(po2001_2023["aantal_leerlingen"].sum()) == 3 + 0 + 1 + 27
    # 02CD00 lies in GM0003 at postcode 9303: PO2002's part, and GM0003's VO2002
    assert cluster_count(frame, "PO2002", 2024, 2, "so") == 14
    assert cluster_count(frame, "VO2002", 2024, 2, "so") == 14
    assert set(rows(frame, swv_code="PO2002")["cluster"]) == {2}


def test_the_cluster_view_of_an_swv_sums_two_vestigingen_of_one_cluster(tiny_data: Path) -> None:
    # Move 02CD00 into PO2001's part of GM0003: PO2001 then holds 02CD00 and 02CD01 (cluster 2).
    path = tiny_data / "referentie" / "schoolvestigingen.csv"
    replace_in(path, "GM0003,9303", "GM0003,9302")
    frame = load_views(tiny_data)[(CLUSTER, "leerlingen", "swv")].frame
    assert cluster_count(frame, "PO2001", 2023, 2, "so") == 12 + 1
    assert cluster_count(frame, "PO2001", 2024, 2, "vso") == 6 + 25
    assert cluster_count(frame, "VO2002", 2023, 2, "so") == 12
    assert rows(frame, swv_code="PO2002").empty


def test_a_count_suppressed_at_the_source_makes_the_swv_total_missing(tiny_data: Path) -> None:
    replace_in(tiny_data / "referentie" / "schoolvestigingen.csv", "GM0003,9303", "GM0003,9302")
    replace_in(
        tiny_data / CLUSTER / "leerlingen.csv", "2023,02CD01,2,so,1\n", "2023,02CD01,2,so,\n"
    )
    frame = load_views(tiny_data)[(CLUSTER, "leerlingen", "swv")].frame
    assert pd.isna(cluster_count(frame, "PO2001", 2023, 2, "so"))  # not 12
    assert cluster_count(frame, "PO2001", 2023, 2, "vso") == 5 + 27
    assert cluster_count(frame, "VO2002", 2023, 2, "so") == 12  # 02CD00 alone


@pytest.mark.parametrize("level", ["dataset", "swv", "gemeente"])
def test_every_view_has_unique_keys_listed_first(tiny_data: Path, level: str) -> None:
    views = [v for v in load_views(tiny_data).values() if v.level == level]
    assert views
    for view in views:
        name = (view.dataset, view.resource, view.level)
        assert not view.frame.duplicated(list(view.key)).any(), name
        assert not view.frame[list(view.key)].isna().any().any(), name
        assert list(view.frame.columns[: len(view.key)]) == list(view.key), name
        assert list(view.frame.columns) == [f.name for f in view.fields], name


def test_each_view_is_one_dataset_resource_and_level(tiny_data: Path) -> None:
    catalog = derive(load_catalog(tiny_data))
    views = tables(catalog, regions(catalog))
    names = [(v.dataset, v.resource, v.level) for v in views]
    assert len(names) == len(set(names))
    assert ("langdurig-relatief-verzuim", "verzuim", "swv") in names
    assert ("leerlingen-cluster-1-2", "leerlingen", "gemeente") in names
