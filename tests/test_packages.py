"""Reading and validating data packages: typed frames, and one clear line per bad cell."""

from pathlib import Path

import pandas as pd
import pytest

from generator import build, packages
from generator.model import InputError
from generator.packages import load_catalog


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_the_tiny_dataset_loads_with_typed_columns(tiny_data: Path) -> None:
    catalog = load_catalog(tiny_data)
    verzuim = catalog.resource("langdurig-relatief-verzuim", "verzuim").frame
    assert str(verzuim["nieuw"].dtype) == "Int64"
    assert verzuim["gemeente_code"].str.match(r"^GM\d{4}$").all()


def test_the_shipped_data_is_valid() -> None:
    catalog = load_catalog(Path(__file__).parent.parent / "datapackages")
    assert set(catalog.packages) == {
        "referentie",
        "leerlingen-cluster-1-2",
        "passend-onderwijs-swv",
        "langdurig-relatief-verzuim",
        "leerlingen-speciaal-onderwijs-gemeente",
    }


def test_text_in_a_count_names_package_file_line_and_column(tiny_data: Path) -> None:
    path = tiny_data / "langdurig-relatief-verzuim" / "verzuim.csv"
    lines = path.read_text().splitlines()
    cells = lines[3].split(",")
    cells[4] = "veel"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:
        load_catalog(tiny_data)
    header = lines[0].split(",")
    assert caught.value.lines == [
        f"langdurig-relatief-verzuim/verzuim.csv, regel 4, kolom {header[4]}: waarde 'veel' "
        'heeft niet het type van de kolom (type is "integer/default") [type-error]'
    ]


def test_an_unknown_swv_code_is_a_foreign_key_error(tiny_data: Path) -> None:
    replace_in(tiny_data / "passend-onderwijs-swv" / "kenmerken.csv", "PO2001", "PO2999")
    with pytest.raises(InputError) as caught:
        load_catalog(tiny_data)
    assert len(caught.value.lines) == 1
    line = caught.value.lines[0]
    assert line.startswith("passend-onderwijs-swv/kenmerken.csv, regel 2, kolom swv_code:")
    assert "PO2999" in line
    assert "[foreign-key]" not in line or "onbekende code" in line


def test_a_negative_count_breaks_the_minimum_constraint(tiny_data: Path) -> None:
    path = tiny_data / "leerlingen-cluster-1-2" / "leerlingen.csv"
    lines = path.read_text().splitlines()
    lines[1] = ",".join([*lines[1].split(",")[:-1], "-3"])
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:
        load_catalog(tiny_data)
    assert caught.value.lines == [
        "leerlingen-cluster-1-2/leerlingen.csv, regel 2, kolom aantal_leerlingen: waarde '-3' "
        'breekt een regel van de kolom (constraint "minimum" is "0") [constraint-error]'
    ]


def test_an_unreadable_descriptor_is_reported_not_raised(tiny_data: Path) -> None:
    (tiny_data / "passend-onderwijs-swv" / "datapackage.json").write_text("{niet json")
    with pytest.raises(InputError) as caught:
        load_catalog(tiny_data)
    assert caught.value.lines[0].startswith("passend-onderwijs-swv/datapackage.json: onleesbaar")


def test_a_missing_data_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_catalog(tmp_path / "nergens")
    assert "bestaat niet" in caught.value.lines[0]


@pytest.fixture
def checked_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large-data mode for any data: frictionless checks in a process of its own."""
    monkeypatch.setattr(packages, "ASIDE_FROM_BYTES", 0)


@pytest.mark.usefixtures("checked_aside")
def test_bad_data_read_while_it_is_checked_aside_gives_the_checks_lines_and_no_site(
    tiny_data: Path, tmp_path: Path
) -> None:
    path = tiny_data / "langdurig-relatief-verzuim" / "verzuim.csv"
    lines = path.read_text().splitlines()
    cells = lines[3].split(",")
    cells[4] = "veel"  # the read fails on it (not a number) before the checks are done
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    replace_in(tiny_data / "passend-onderwijs-swv" / "kenmerken.csv", "PO2001", "PO2999")
    with pytest.raises(InputError) as caught:
        build.build(tiny_data, tmp_path / "site")
    assert caught.value.lines[0].startswith("langdurig-relatief-verzuim/verzuim.csv, regel 4, ")
    assert caught.value.lines[1].startswith("passend-onderwijs-swv/kenmerken.csv, regel 2, ")
    assert "PO2999" in caught.value.lines[1]
    assert not (tmp_path / "site").exists()


@pytest.mark.usefixtures("checked_aside")
def test_bad_data_that_reads_fine_is_still_refused_when_checked_aside(tiny_data: Path) -> None:
    replace_in(tiny_data / "passend-onderwijs-swv" / "kenmerken.csv", "PO2001", "PO2999")
    with pytest.raises(InputError) as caught:
        build.inputs(tiny_data)
    assert [line.split(":")[0] for line in caught.value.lines] == [
        "passend-onderwijs-swv/kenmerken.csv, regel 2, kolom swv_code"
    ]


def test_data_checked_aside_reads_as_data_checked_first(
    tiny_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_catalog(tiny_data)
    monkeypatch.setattr(packages, "ASIDE_FROM_BYTES", 0)
    with packages.checked_meanwhile(tiny_data) as aside:
        assert aside.packages.keys() == first.packages.keys()
        for name, package in first.packages.items():
            for resource, table in package.resources.items():
                pd.testing.assert_frame_equal(aside.resource(name, resource).frame, table.frame)
