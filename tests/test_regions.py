"""Stage 3, regions: current gemeenten, their SWVs (split by postcode) and their vestigingen."""

from pathlib import Path

import pytest

from generator.derive import derive
from generator.model import InputError, Membership, Regions
from generator.packages import load_catalog
from generator.regions import regions


def load_regions(data: Path) -> Regions:
    return regions(derive(load_catalog(data)))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_only_current_gemeenten_are_kept_and_the_merged_one_is_absent(tiny_data: Path) -> None:
    result = load_regions(tiny_data)
    assert list(result.gemeenten) == ["GM0001", "GM0002", "GM0003", "GM0004"]
    assert "GM0005" not in result.gemeenten
    assert result.gemeenten["GM0003"].naam == "Dalwijk"
    assert result.gemeenten["GM0004"].provincie == "Drenthe"


def test_the_split_gemeente_belongs_to_both_po_swvs_with_their_postcodes(tiny_data: Path) -> None:
    result = load_regions(tiny_data)
    assert result.swvs_of("GM0003") == (
        Membership("GM0003", "PO2001", ("9301", "9302"), 2014),
        Membership("GM0003", "PO2002", ("9303", "9304"), 2014),
        Membership("GM0003", "VO2002", (), 2014),
    )
    assert [m.gemeente for m in result.gemeenten_of("PO2001")] == ["GM0001", "GM0002", "GM0003"]
    assert [m.gemeente for m in result.gemeenten_of("PO2002")] == ["GM0003", "GM0004"]


def test_a_whole_gemeente_is_not_split(tiny_data: Path) -> None:
    result = load_regions(tiny_data)
    assert not any(m.is_split for m in result.swvs_of("GM0001"))
    assert [m.is_split for m in result.swvs_of("GM0003")] == [True, True, False]


def test_every_current_gemeente_has_a_po_and_a_vo_swv(tiny_data: Path) -> None:
    result = load_regions(tiny_data)
    for code in result.gemeenten:
        sectors = {result.swvs[m.swv].sector for m in result.swvs_of(code)}
        assert sectors == {"po", "vo"}, code


def test_the_national_swv_has_no_gemeenten(tiny_data: Path) -> None:
    result = load_regions(tiny_data)
    assert result.swvs["VO0001"].sector == "vo"
    assert result.gemeenten_of("VO0001") == ()


def test_a_vestiging_in_the_split_gemeente_lies_in_the_po_swv_of_its_postcode(
    tiny_data: Path,
) -> None:
    result = load_regions(tiny_data)
    # 02CD00 lies in GM0003 at postcode 9303, which is PO2002's part of Dalwijk.
    assert result.vestigingen["02CD00"].postcode == "9303"
    assert result.vestiging_swvs["02CD00"] == ("PO2002", "VO2002")


def test_moving_a_vestiging_to_the_other_part_moves_it_to_the_other_po_swv(
    tiny_data: Path,
) -> None:
    path = tiny_data / "referentie" / "schoolvestigingen.csv"
    replace_in(path, "02CD00,Hoorzaam school Dalwijk,GM0003,9303", "02CD00,X,GM0003,9302")
    result = load_regions(tiny_data)
    assert result.vestiging_swvs["02CD00"] == ("PO2001", "VO2002")


def test_vestigingen_in_whole_gemeenten_get_that_gemeentes_swvs(tiny_data: Path) -> None:
    result = load_regions(tiny_data)
    assert result.vestiging_swvs["01AB00"] == ("PO2001", "VO2001")
    assert result.vestiging_swvs["02CD01"] == ("PO2001", "VO2001")


def test_a_vestiging_outside_every_part_of_its_split_gemeente_is_an_input_error(
    tiny_data: Path,
) -> None:
    path = tiny_data / "referentie" / "schoolvestigingen.csv"
    replace_in(path, "GM0003,9303", "GM0003,9399")
    with pytest.raises(InputError) as caught:
        load_regions(tiny_data)
    assert len(caught.value.lines) == 1
    line = caught.value.lines[0]
    assert "02CD00" in line
    assert "9399" in line
    assert "schoolvestigingen.csv" in line


def test_a_gemeente_without_a_vo_swv_is_an_input_error(tiny_data: Path) -> None:
    replace_in(tiny_data / "referentie" / "gemeente_swv.csv", "GM0004,VO2002,2014,\n", "")
    with pytest.raises(InputError) as caught:
        load_regions(tiny_data)
    assert caught.value.lines == [
        "referentie/gemeente_swv.csv: gemeente GM0004 heeft geen vo-SWV",
    ]


def test_a_gemeente_without_a_po_swv_is_an_input_error(tiny_data: Path) -> None:
    replace_in(tiny_data / "referentie" / "gemeente_swv.csv", "GM0002,PO2001,2014,\n", "")
    with pytest.raises(InputError) as caught:
        load_regions(tiny_data)
    assert any("GM0002" in line and "po-SWV" in line for line in caught.value.lines)


def test_a_postcode_in_two_po_parts_of_one_gemeente_is_an_input_error(tiny_data: Path) -> None:
    path = tiny_data / "referentie" / "gemeente_swv.csv"
    replace_in(path, "GM0003,PO2001,2014,9301 9302", "GM0003,PO2001,2014,9301 9302 9303")
    with pytest.raises(InputError) as caught:
        load_regions(tiny_data)
    assert len(caught.value.lines) == 1
    assert "02CD00" in caught.value.lines[0]
    assert "9303" in caught.value.lines[0]
