"""The publication ledger: a second release cannot reveal what the first one suppressed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from generator import build, ledger
from generator.__main__ import main
from tests.conftest import assemble_tiny

SWV, YEAR = "PO2001", "2015-2016"
PUPILS = "passend-onderwijs-swv/leerlingen.csv"
RELEASE_1 = {
    "sbao": 109,
    "so-laag-onder-8": 10,
    "so-laag-8-plus": 30,
    "so-midden-onder-8": 4,  # primary
    "so-midden-8-plus": 8,  # the smallest other part: the secondary
    "so-hoog-onder-8": 9,
    "so-hoog-8-plus": 20,
}


def set_pupils(data: Path, values: dict[str, int]) -> None:
    path = data / PUPILS
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for categorie, value in values.items():
        row = (table["swv_code"] == SWV) & (table["schooljaar"] == YEAR)
        table.loc[row & (table["categorie"] == categorie), "aantal_leerlingen"] = str(value)
    table.to_csv(path, index=False, lineterminator="\n")


def shown(site: Path) -> dict[str, str]:
    """The SWV's pupil counts of the year as its CSV download shows them ('' = hidden)."""
    table = pd.read_csv(
        site / "swv" / SWV / "passend-onderwijs-swv-leerlingen.csv",
        dtype=str,
        keep_default_na=False,
    )
    year = table[table["schooljaar"] == YEAR]
    return dict(zip(year["categorie"], year["aantal_leerlingen"], strict=True))


def total(site: Path) -> int:
    table = pd.read_csv(site / "swv" / SWV / "passend-onderwijs-swv-kenmerken.csv", dtype=str)
    return int(table["leerlingen_2015_2016"].iloc[0])


def test_a_second_release_keeps_an_earlier_secondary_suppressed(
    tmp_path: Path, svg_cache: Path
) -> None:
    data = assemble_tiny(tmp_path / "data")
    set_pupils(data, RELEASE_1)
    first = tmp_path / "first"
    build.build(data, first, svg_cache)
    before = shown(first)
    assert before["so-midden-onder-8"] == before["so-midden-8-plus"] == ""
    assert main(["register", str(first), "--data", str(data), "--release", "2025-1"]) == 0

    set_pupils(data, {"so-hoog-onder-8": 7})  # a correction: now the smallest other part
    forgetful = Path(shutil.copytree(data, tmp_path / "no-ledger"))
    (forgetful / ledger.FILE_NAME).unlink()
    without = tmp_path / "without"
    build.build(forgetful, without, svg_cache)
    after = shown(without)
    assert after["so-midden-8-plus"] == "8"  # without the ledger it would be published, and
    published_first = sum(int(v) for v in before.values() if v)
    revealed = total(first) - published_first - int(after["so-midden-8-plus"])
    assert revealed == 4  # with the first release it gives the primary away

    second = tmp_path / "second"
    report = build.build(data, second, svg_cache)
    assert report.audit.passed
    assert shown(second)["so-midden-8-plus"] == ""
    assert shown(second)["so-midden-onder-8"] == ""


def test_the_ledger_is_append_only_and_reads_back(tmp_path: Path, tiny_data: Path) -> None:
    model = build.inputs(tiny_data).model
    path = tmp_path / ledger.FILE_NAME
    status = model.values.copy()
    status[0] = -1
    ledger.append(path, "2025-1", model, status)
    first_bytes = path.read_bytes()
    ledger.append(path, "2026-1", model, model.values)
    assert path.read_bytes().startswith(first_bytes)
    read = ledger.read(path)
    assert read.releases == ("2025-1", "2026-1")
    assert read.entries[model.names[0]][1] == int(model.values[0])  # the latest release wins
    with pytest.raises(ValueError, match="2025-1"):
        ledger.append(path, "2025-1", model, status)


def test_a_cell_published_before_with_the_same_value_stays_published(tiny_data: Path) -> None:
    model = build.inputs(tiny_data).model
    path = tiny_data / ledger.FILE_NAME
    ledger.append(path, "2025-1", model, model.values)
    known = ledger.known(ledger.read(path), model)
    assert known.published.all()
    assert not known.suppressed.any()
