"""End to end: build the shipped data and read the site back as its users would."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from frictionless import validate

from generator.build import build
from generator.model import InputError
from tests.conftest import SHIPPED, assemble_tiny
from tests.site_files import count_fields, internal_targets, number, parse_html, tree_digest


def reference(name: str) -> pd.DataFrame:
    return pd.read_csv(SHIPPED / "referentie" / f"{name}.csv", dtype=str, keep_default_na=False)


def test_one_page_per_swv_and_per_current_gemeente(shipped_site: Path) -> None:
    swvs = set(reference("swv")["code"])
    gemeenten = reference("gemeenten")
    current = set(gemeenten[gemeenten["geldig_tot"] == ""]["code"])
    assert {p.name for p in (shipped_site / "swv").iterdir() if p.is_dir()} == swvs
    assert {p.name for p in (shipped_site / "gemeente").iterdir() if p.is_dir()} == current
    assert all((shipped_site / "swv" / code / "index.html").is_file() for code in swvs)


def test_swv_and_gemeente_pages_link_to_each_other_both_ways(shipped_site: Path) -> None:
    expected = set(map(tuple, reference("gemeente_swv")[["gemeente_code", "swv_code"]].values))
    from_swv, from_gemeente = set(), set()
    for page in (shipped_site / "swv").glob("*/index.html"):
        for target in internal_targets(page, shipped_site):
            if target.parent.parent.name == "gemeente":
                from_swv.add((target.parent.name, page.parent.name))
    for page in (shipped_site / "gemeente").glob("*/index.html"):
        for target in internal_targets(page, shipped_site):
            if target.parent.parent.name == "swv":
                from_gemeente.add((page.parent.name, target.parent.name))
    assert from_swv == expected
    assert from_gemeente == expected


def test_every_download_parses_back_and_matches_its_datapackage(shipped_site: Path) -> None:
    descriptors = sorted(shipped_site.rglob("datapackage.json"))
    assert len(descriptors) > 400
    for descriptor in descriptors:
        report = validate(descriptor)
        assert report.valid, (
            descriptor,
            report.flatten(["rowNumber", "fieldName", "type", "note"]),
        )
        listed = {r["path"] for r in json.loads(descriptor.read_text())["resources"]}
        beside = {p.name for p in descriptor.parent.glob("*.csv")}
        assert listed == beside


def test_no_count_from_1_to_4_in_any_csv_chart_spec_or_table(shipped_site: Path) -> None:
    small = set(range(1, 5))
    checked = 0
    for descriptor in shipped_site.rglob("datapackage.json"):
        for path, counts in count_fields(descriptor).items():
            with (descriptor.parent / path).open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    values = {int(row[c]) for c in counts if row[c] != ""}
                    assert not values & small, (descriptor.parent / path, row)
                    checked += len(values)
    for spec in shipped_site.rglob("*.vl.json"):
        points = json.loads(spec.read_text())["data"]["values"]
        values = {p.get("y") for p in points if isinstance(p.get("y"), int)}  # not shares
        assert not values & small, spec
    for page in shipped_site.rglob("*.html"):
        cells = {number(text) for text in parse_html(page).count_cells}
        assert not cells & small, page
    assert checked > 100_000


def test_suppressed_cells_are_empty_in_csv_and_marked_on_pages(shipped_site: Path) -> None:
    page = (shipped_site / "gemeente").glob("*/index.html")
    marks = sum(p.read_text().count('class="supp"') for p in page)
    assert marks > 100
    csv_text = (shipped_site / "datasets" / "langdurig-relatief-verzuim").glob("*.csv")
    assert any(",," in p.read_text() for p in csv_text)


def test_vo0001_says_in_words_that_verzuim_has_no_values(shipped_site: Path) -> None:
    html = (shipped_site / "swv" / "VO0001" / "index.html").read_text()
    assert "geen cijfers in de dataset" in html
    assert "landelijk en heeft geen eigen regio" in html


def test_every_page_and_embedded_chart_says_the_data_is_made_up(shipped_site: Path) -> None:
    pages = list(shipped_site.rglob("index.html"))
    embeds = [p for p in shipped_site.rglob("*.html") if p.name not in ("index.html", "404.html")]
    assert pages and embeds
    assert [p for p in pages if "demo-banner" not in p.read_text()] == []
    assert [p for p in embeds if "Demonstratiedata: verzonnen cijfers" not in p.read_text()] == []


def test_dataset_pages_show_the_dutch_metadata_table(shipped_site: Path) -> None:
    html = (shipped_site / "datasets" / "langdurig-relatief-verzuim" / "index.html").read_text()
    for veld in (
        "Bron",
        "Versie",
        "Auteur",
        "Auteur e-mail",
        "Beheerder",
        "Beheerder e-mail",
        "Peildatum",
        "Periode",
    ):
        assert f'<th scope="row">{veld}</th>' in html
    assert "<code>actueel</code>" in html


def test_site_files_exist(shipped_site: Path) -> None:
    for name in (
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "over/index.html",
        "privacy/index.html",
        "toegankelijkheid/index.html",
    ):
        assert (shipped_site / name).is_file(), name
    sitemap = (shipped_site / "sitemap.xml").read_text()
    assert len(re.findall("<loc>", sitemap)) == len(list(shipped_site.rglob("index.html")))


def test_a_second_build_is_byte_identical(
    shipped_site: Path, tmp_path: Path, svg_cache: Path
) -> None:
    again = tmp_path / "site"
    build(SHIPPED, again, svg_cache)
    assert tree_digest(again) == tree_digest(shipped_site)


def test_a_build_on_broken_input_fails_and_leaves_the_site_as_it_was(
    tmp_path: Path, svg_cache: Path
) -> None:
    data = assemble_tiny(tmp_path / "data")
    out = tmp_path / "site"
    build(data, out, svg_cache)
    before = tree_digest(out)
    path = data / "langdurig-relatief-verzuim" / "verzuim.csv"
    path.write_text(path.read_text().replace("GM0001", "GM9999", 1))
    with pytest.raises(InputError):
        build(data, out, svg_cache)
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "data", "site"] or sorted(
        p.name for p in tmp_path.iterdir()
    ) == ["data", "site"]
