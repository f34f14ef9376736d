"""Stage 8, pages: the site plan, its sections and tables, and the Veld / Waarde metadata."""

import json
from pathlib import Path

from generator import build, charts, config, pages
from generator.context import Cell, DatasetPage, GemeentePage, Link, MetaRow, Page, SwvPage
from generator.model import Catalog, Masked, Regions

VERZUIM_TITLE = "Langdurig relatief verzuim per gemeente"


def load(data: Path) -> tuple[Catalog, Regions, Masked]:
    inputs = build.inputs(data)
    return inputs.catalog, inputs.regions, build.protected(inputs)


def plan(data: Path) -> dict[str, Page]:
    catalog, found, masked = load(data)
    site = tuple(pages.site_plan(catalog, found, masked, charts.chart_for, config.CONTENT))
    by_url = {page.url: page for page in site}
    assert len(by_url) == len(site), "page URLs are not unique"
    return by_url


def urls_under(site: dict[str, Page], prefix: str) -> set[str]:
    return {url for url in site if url.startswith(prefix) and url != prefix}


def test_the_site_has_one_page_per_swv_gemeente_dataset_and_content_page(tiny_data: Path) -> None:
    site = plan(tiny_data)
    assert urls_under(site, "swv/") == {
        "swv/PO2001/",
        "swv/PO2002/",
        "swv/VO0001/",
        "swv/VO2001/",
        "swv/VO2002/",
    }
    assert urls_under(site, "gemeente/") == {
        "gemeente/GM0001/",
        "gemeente/GM0002/",
        "gemeente/GM0003/",
        "gemeente/GM0004/",
    }
    assert urls_under(site, "datasets/") == {
        "datasets/langdurig-relatief-verzuim/",
        "datasets/leerlingen-cluster-1-2/",
        "datasets/leerlingen-speciaal-onderwijs-gemeente/",
        "datasets/passend-onderwijs-swv/",
    }
    assert {"", "swv/", "gemeente/", "zoeken/", "over/", "privacy/", "toegankelijkheid/"} <= set(
        site
    )
    assert len(site) == 1 + 3 + 5 + 4 + 4 + 3
    assert site["over/"].title == "Over deze site"


def test_the_merged_gemeente_has_no_page(tiny_data: Path) -> None:
    assert "gemeente/GM0005/" not in plan(tiny_data)


def swv_page(site: dict[str, Page], code: str) -> SwvPage:
    data = site[f"swv/{code}/"].data
    assert isinstance(data, SwvPage)
    return data


def test_the_national_swv_page_says_in_words_that_it_has_no_verzuim(tiny_data: Path) -> None:
    page = swv_page(plan(tiny_data), "VO0001")
    assert page.gemeenten == ()
    verzuim = next(s for s in page.sections if s.title == VERZUIM_TITLE)
    assert verzuim.blocks == ()
    assert "geen cijfers" in verzuim.empty
    assert "Samenwerkingsverband VO reformatorisch (landelijk)" in verzuim.empty
    assert "landelijk en heeft geen eigen regio" in verzuim.empty
    assert VERZUIM_TITLE in verzuim.empty


def test_the_national_swv_page_still_shows_its_own_swv_data(tiny_data: Path) -> None:
    page = swv_page(plan(tiny_data), "VO0001")
    swv_data = next(s for s in page.sections if s.url == "datasets/passend-onderwijs-swv/")
    assert swv_data.blocks
    assert swv_data.empty == ""


def test_a_regional_swv_page_has_verzuim_blocks_and_lists_its_gemeenten(tiny_data: Path) -> None:
    page = swv_page(plan(tiny_data), "PO2002")
    verzuim = next(s for s in page.sections if s.title == VERZUIM_TITLE)
    assert verzuim.blocks
    assert verzuim.empty == ""
    assert page.gemeenten == (
        Link("Dalwijk", "gemeente/GM0003/", "alleen postcodes 9303, 9304"),
        Link("Eemhorst", "gemeente/GM0004/", ""),
    )


def test_the_split_gemeente_links_to_both_po_swvs_with_their_postcodes(tiny_data: Path) -> None:
    data = plan(tiny_data)["gemeente/GM0003/"].data
    assert isinstance(data, GemeentePage)
    assert [(link.url, link.note) for link in data.swvs] == [
        ("swv/PO2001/", "alleen postcodes 9301, 9302"),
        ("swv/PO2002/", "alleen postcodes 9303, 9304"),
        ("swv/VO2002/", ""),
    ]


def test_every_table_and_chart_file_of_a_page_has_its_own_name(tiny_data: Path) -> None:
    for page in plan(tiny_data).values():
        files = [t.csv_file for t in page.tables]
        files += [f for c in page.charts for f in (c.svg_file, c.spec_file)]
        assert len(files) == len(set(files)), page.url


def names_of(found: Regions) -> dict[str, str]:
    names = {code: g.naam for code, g in found.gemeenten.items()}
    names.update({code: v.naam for code, v in found.vestigingen.items()})
    return names


def test_a_suppressed_count_is_shown_as_a_suppressed_cell_without_value(tiny_data: Path) -> None:
    _, found, masked = load(tiny_data)
    view = masked.views[("leerlingen-cluster-1-2", "leerlingen", "gemeente")]
    table = pages.table_display(view.by_entity()["GM0001"], "Leerlingen", names_of(found), "l.csv")
    assert table.headers[-1] == "AANTAL LEERLINGEN"
    assert table.row_headers == 4
    # 01AB00: 2023 so 3, vso 0; 2024 so 4, vso 1; 2025 so 2, vso 0
    assert [row[-1] for row in table.rows] == [
        Cell(None, "count", suppressed=True),
        Cell(0, "count"),
        Cell(None, "count", suppressed=True),
        Cell(None, "count", suppressed=True),
        Cell(None, "count", suppressed=True),
        Cell(0, "count"),
    ]
    assert table.rows[0][1] == Cell("Expertisecentrum Zichtpunt locatie Aalbroek (01AB00)", "text")
    assert table.has_suppressed


def test_a_table_without_small_counts_has_no_suppressed_cells(tiny_data: Path) -> None:
    _, found, masked = load(tiny_data)
    view = masked.views[("passend-onderwijs-swv", "financien", "swv")]
    table = pages.table_display(view.by_entity()["PO2001"], "Financiën", names_of(found), "f.csv")
    assert not table.has_suppressed
    assert len(table.rows) == 2


def test_a_single_row_is_shown_as_veld_waarde_with_its_suppressed_counts(tiny_data: Path) -> None:
    _, found, masked = load(tiny_data)
    view = masked.views[("passend-onderwijs-swv", "kenmerken", "swv")]
    table = pages.table_display(view.by_entity()["VO0001"], "Kenmerken", names_of(found), "k.csv")
    assert table.headers == ("Veld", "Waarde")
    assert table.transposed
    by_title = {str(veld.value): waarde for veld, waarde in table.rows}
    # VO0001: telling_2015 4 and lgf_31_juli_2014 1 are small counts
    assert by_title["Aantal leerlingen 1 oktober 2015"] == Cell(None, "count", suppressed=True)
    assert by_title["Leerlingen met LGF op 31 juli 2014"] == Cell(None, "count", suppressed=True)
    assert table.has_suppressed


def test_metadata_rows_follow_the_veld_waarde_table_of_the_source(tiny_data: Path) -> None:
    catalog, _, _ = load(tiny_data)
    name = "langdurig-relatief-verzuim"
    descriptor = json.loads((tiny_data / name / "datapackage.json").read_text(encoding="utf-8"))
    rows = pages.metadata_rows(catalog.packages[name])
    assert [r.veld for r in rows[:8]] == [
        "Bron",
        "Versie",
        "Auteur",
        "Auteur e-mail",
        "Beheerder",
        "Beheerder e-mail",
        "Peildatum",
        "Periode",
    ]
    author, maintainer = descriptor["contributors"]
    assert author["roles"] == ["author"] and maintainer["roles"] == ["maintainer"]
    assert rows[:8] == (
        MetaRow(
            "Bron",
            "; ".join(s["title"] for s in descriptor["sources"]),
            descriptor["sources"][0]["path"],
        ),
        MetaRow("Versie", descriptor["version"]),
        MetaRow("Auteur", author["title"]),
        MetaRow("Auteur e-mail", author["email"], f"mailto:{author['email']}"),
        MetaRow("Beheerder", maintainer["title"]),
        MetaRow("Beheerder e-mail", maintainer["email"], f"mailto:{maintainer['email']}"),
        MetaRow("Peildatum", descriptor["peildatum"]),
        MetaRow("Periode", descriptor["periode"]),
    )
    assert rows[3].waarde == "opendata@duo.nl"
    assert rows[4].waarde == "Passend onderwijs in cijfers"
    assert all(r.waarde for r in rows)


def test_the_dataset_page_carries_the_metadata_rows(tiny_data: Path) -> None:
    catalog, _, _ = load(tiny_data)
    page = plan(tiny_data)["datasets/leerlingen-cluster-1-2/"]
    assert isinstance(page.data, DatasetPage)
    assert page.data.meta == pages.metadata_rows(catalog.packages["leerlingen-cluster-1-2"])
    assert [t.csv_file for t in page.tables] == ["leerlingen-cluster-1-2.csv"]


def test_breadcrumbs_lead_through_the_sector_and_the_provincie(tiny_data: Path) -> None:
    site = plan(tiny_data)
    assert site["swv/PO2002/"].breadcrumbs == (
        Link("Home", ""),
        Link("Samenwerkingsverbanden", "swv/"),
        Link("Primair onderwijs", "swv/#po"),
    )
    assert site["gemeente/GM0004/"].breadcrumbs == (
        Link("Home", ""),
        Link("Gemeenten", "gemeente/"),
        Link("Drenthe", "gemeente/#drenthe"),
    )
    assert site["zoeken/"].breadcrumbs == (Link("Home", ""),)
