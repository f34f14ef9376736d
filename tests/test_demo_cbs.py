"""The shipped demonstration package of the CBS dataset: made by ``tools/make_demo_cbs.py``,
byte-identical on a rerun, the importer's schema, rounded like CBS, continuous over mergers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from generator.importers import descriptors
from tools import make_demo_cbs

SHIPPED = Path(__file__).resolve().parent.parent / "datapackages"
NAME = make_demo_cbs.NAME


def test_the_shipped_files_are_exactly_what_the_tool_makes() -> None:
    made = make_demo_cbs.files(SHIPPED)
    for name, text in made.items():
        assert (SHIPPED / NAME / name).read_text(encoding="utf-8") == text, name


def test_the_schema_is_the_importers_and_the_package_says_it_is_demonstration_data() -> None:
    shipped = json.loads((SHIPPED / NAME / "datapackage.json").read_text(encoding="utf-8"))
    imported = json.loads((descriptors.METADATA / f"{NAME}.json").read_text(encoding="utf-8"))
    assert shipped["resources"] == imported["resources"]
    assert shipped["demonstratiedata"] is True
    assert "demonstratiedata" in shipped["description"]
    assert "demonstratiedata" not in descriptors.descriptor(NAME)


def test_every_count_is_rounded_to_tens_and_the_last_year_is_provisional() -> None:
    made = make_demo_cbs.files(SHIPPED)
    rows = list(csv.DictReader(io.StringIO(made["leerlingen.csv"])))
    assert all(int(r["aantal"]) % 10 == 0 for r in rows)
    assert sum(r["aantal"] == "0" for r in rows) > 100  # plenty of "< 5"
    provisional = {r["schooljaar"] for r in rows if r["voorlopig"] == "true"}
    assert provisional == {"2023-2024"}


def test_a_merged_gemeente_sums_its_parts_before_the_merger() -> None:
    made = make_demo_cbs.files(SHIPPED)
    source = list(csv.DictReader(io.StringIO(made["leerlingen.csv"])))
    today = list(csv.DictReader(io.StringIO(made["leerlingen_huidige_gemeenten.csv"])))
    # GM0358 and GM1667 formed GM1989 on 1 January 2014 (datapackages/referentie/herindelingen)
    parts = sum(
        int(r["aantal"])
        for r in source
        if r["gemeente_code"] in ("GM0358", "GM1667")
        and (r["onderwijssoort"], r["schooljaar"]) == ("vo", "2013-2014")
    )
    row = next(
        r
        for r in today
        if (r["gemeente_code"], r["onderwijssoort"], r["schooljaar"])
        == ("GM1989", "vo", "2013-2014")
    )
    assert (int(row["aantal"]), row["aantal_gemeenten_bron"]) == (parts, "2")
    after = next(
        r
        for r in today
        if (r["gemeente_code"], r["onderwijssoort"], r["schooljaar"])
        == ("GM1989", "vo", "2014-2015")
    )
    assert after["aantal_gemeenten_bron"] == "1"
    assert 0.7 < int(after["aantal"]) / parts < 1.3  # the series runs on across the merger
