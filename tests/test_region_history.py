"""A gemeente that changed SWV: each year counts at the SWV it belonged to that year.

The tiny fixture: GM0002 (Beekveen, with vestiging 02CD01) lies in PO2001, GM0004 (Eemhorst) in
PO2002. A move appends a row to ``referentie/gemeente_swv`` as ``add-peiljaar --verhuisd`` does;
the old row stays and holds until the new one begins.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from generator import build
from generator.derive import derive
from generator.model import Membership, View
from generator.packages import load_catalog
from generator.regions import memberships, regions
from generator.tables import tables

CBS = "leerlingen-speciaal-onderwijs-gemeente"
VERZUIM = "langdurig-relatief-verzuim"
CLUSTER = "leerlingen-cluster-1-2"


def moved(data: Path, gemeente: str, swv: str, year: int) -> Path:
    path = data / "referentie" / "gemeente_swv.csv"
    path.write_text(path.read_text(encoding="utf-8") + f"{gemeente},{swv},{year},\n")
    return data


def views(data: Path) -> dict[tuple[str, str, str], View]:
    catalog = derive(load_catalog(data))
    return {(v.dataset, v.resource, v.level): v for v in tables(catalog, regions(catalog))}


def years_at(frame: pd.DataFrame, period: str, **where: str) -> dict[str, list[str]]:
    """Per SWV, the periods of the rows that match ``where``."""
    for column, value in where.items():
        frame = frame[frame[column].astype(str) == value]
    found = frame.groupby("swv_code", observed=True)[period].apply(lambda p: sorted(set(p)))
    return {str(k): [str(p) for p in v] for k, v in found.items()}


def test_an_indeling_holds_until_the_next_of_its_gemeente_and_sector() -> None:
    frame = pd.DataFrame(
        [
            ("GM1", "PO1", 2014, ""),
            ("GM1", "PO2", 2019, ""),
            ("GM1", "VO1", 2014, ""),
            ("GM2", "PO1", 2016, ""),  # a gemeente formed in 2016: its first indeling
        ],
        columns=["gemeente_code", "swv_code", "vanaf_peiljaar", "postcodes"],
    )
    old, new, vo, formed = memberships(frame)
    assert (old.tot, old.first, new.tot, new.first, vo.tot) == (2019, True, None, False, None)
    assert [old.holds(y) for y in (2010, 2018, 2019)] == [True, True, False]
    assert [new.holds(y) for y in (2018, 2019, 2030)] == [False, True, True]
    assert formed.first and formed.holds(2013), "a first indeling counts for the years before"


def test_today_holds_only_the_current_indeling_and_the_old_one_is_listed_as_ended(
    tiny_data: Path,
) -> None:
    result = regions(derive(load_catalog(moved(tiny_data, "GM0004", "PO2001", 2017))))
    assert [m.swv for m in result.swvs_of("GM0004")] == ["PO2001", "VO2002"]
    assert result.ended == (Membership("GM0004", "PO2002", (), 2014, 2017, True),)
    assert result.former_gemeenten_of("PO2002") == result.ended
    assert result.former_swvs_of("GM0004") == result.ended
    assert result.since(result.ended[0]) == "tot 2017"
    assert result.since(result.swvs_of("GM0004")[0]) == "sinds 2017"


def test_the_cbs_sum_of_an_swv_counts_a_moved_gemeente_only_in_its_own_years(
    tiny_data: Path,
) -> None:
    before = views(tiny_data)[(CBS, "leerlingen_huidige_gemeenten", "swv")].frame
    after = views(moved(tiny_data, "GM0004", "PO2001", 2017))
    frame = after[(CBS, "leerlingen_huidige_gemeenten", "swv")].frame
    source = after[(CBS, "leerlingen_huidige_gemeenten", "gemeente")].frame
    eemhorst = source[(source["gemeente_code"] == "GM0004") & (source["onderwijssoort"] == "sbao")]
    counts = dict(zip(eemhorst["schooljaar"].astype(str), eemhorst["aantal"], strict=True))

    def sbao(table: pd.DataFrame, swv: str, year: str) -> int:
        chosen = table[
            (table["swv_code"] == swv)
            & (table["onderwijssoort"] == "sbao")
            & (table["schooljaar"].astype(str) == year)
        ]
        return int(chosen["aantal"].iloc[0])

    first, *later = sorted(counts)
    assert first == "2016-2017"
    assert sbao(frame, "PO2002", first) == sbao(before, "PO2002", first)
    assert sbao(frame, "PO2001", first) == sbao(before, "PO2001", first)
    for year in later:
        assert sbao(frame, "PO2002", year) == sbao(before, "PO2002", year) - counts[year]
        assert sbao(frame, "PO2001", year) == sbao(before, "PO2001", year) + counts[year]


def test_verzuim_rows_of_a_moved_gemeente_stand_at_the_swv_of_their_schooljaar(
    tiny_data: Path,
) -> None:
    frame = views(moved(tiny_data, "GM0002", "PO2002", 2023))[(VERZUIM, "verzuim", "swv")].frame
    assert years_at(frame, "schooljaar", gemeente_code="GM0002", onderwijssoort="po") == {
        "PO2001": ["2022-2023"],
        "PO2002": ["2023-2024"],
    }
    vo = years_at(frame, "schooljaar", gemeente_code="GM0002", onderwijssoort="vo")
    assert vo == {"VO2001": ["2022-2023", "2023-2024"]}, "its vo SWV did not change"


def test_a_vestiging_counts_at_the_swv_of_its_gemeente_in_each_peiljaar(tiny_data: Path) -> None:
    frame = views(moved(tiny_data, "GM0002", "PO2002", 2024))[(CLUSTER, "leerlingen", "swv")].frame

    def vso(swv: str, year: int) -> int:
        chosen = frame[
            (frame["swv_code"] == swv)
            & (frame["peiljaar"] == year)
            & (frame["cluster"] == 2)
            & (frame["onderwijssoort"] == "vso")
        ]
        return int(chosen["aantal_leerlingen"].sum())

    # 02CD01 (GM0002): vso 27, 25, 22; 02CD00 (GM0003, postcode of PO2002): 5, 6, 4.
    assert [vso("PO2001", y) for y in (2023, 2024, 2025)] == [27, 0, 0]
    assert [vso("PO2002", y) for y in (2023, 2024, 2025)] == [5, 6 + 25, 4 + 22]


def test_a_site_with_a_moved_gemeente_builds_passes_the_audit_and_lists_it_as_former(
    tiny_data: Path, tmp_path: Path, svg_cache: Path
) -> None:
    report = build.build(moved(tiny_data, "GM0002", "PO2002", 2024), tmp_path / "site", svg_cache)
    assert report.audit.passed
    old = (tmp_path / "site" / "swv" / "PO2001" / "index.html").read_text(encoding="utf-8")
    assert 'Beekveen</a> <span class="note">(tot 2024)</span>' in old
    new = (tmp_path / "site" / "swv" / "PO2002" / "index.html").read_text(encoding="utf-8")
    assert 'Beekveen</a> <span class="note">(sinds 2024)</span>' in new
