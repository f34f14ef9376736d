"""The map of the build: every stage in order, wired by typed values.

packages → derive → regions → tables → cells → privacy → charts → svg → pages → render →
output, with the audit on the written site before it is swapped in.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from generator import (
    audit,
    bundles,
    catalogue,
    cells,
    charts,
    config,
    derive,
    downloads,
    ledger,
    lookup,
    maps,
    output,
    packages,
    pages,
    privacy,
    render,
    svg,
    tables,
)
from generator import regions as regions_stage
from generator.context import Page
from generator.model import Catalog, CellModel, Masked, Regions, UnsafeSite, View

Rendered = tuple[str, bytes]
"""A chart as SVG text and PNG bytes."""


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote: for the command line and the tests."""

    pages: int
    files: int
    suppressed: int
    published: int
    audit: audit.AuditReport


@dataclass(frozen=True)
class Inputs:
    """Everything the site is made from: validated data, its tables, their cells, the ledger."""

    catalog: Catalog
    regions: Regions
    views: tuple[View, ...]
    model: CellModel
    register: ledger.Ledger
    shapes: dict[str, maps.Shape]


def inputs(data_dir: Path) -> Inputs:
    """Reads and validates the data packages and the ledger; builds the tables and cells."""
    catalog = derive.derive(packages.load_catalog(data_dir))
    regions = regions_stage.regions(catalog)
    views = tables.tables(catalog, regions)
    model = cells.model(catalog, regions, views)
    register = ledger.read(data_dir / ledger.FILE_NAME)
    return Inputs(catalog, regions, views, model, register, maps.boundaries(data_dir, catalog))


def protected(data: Inputs) -> Masked:
    """The views masked over the whole cell model, honouring earlier releases."""
    return privacy.mask(data.views, data.model, ledger.known(data.register, data.model))


def build(data_dir: Path, out_dir: Path, cache_dir: Path | None = None) -> BuildReport:
    """Builds the site from the data packages in ``data_dir`` into ``out_dir``, atomically.

    The written site is audited before it is swapped in; a site that fails is not published.
    """
    data = inputs(data_dir)
    catalog, regions = data.catalog, data.regions
    masked = protected(data)
    members = charts.swv_members(regions.memberships)
    make_chart = functools.partial(charts.chart_for, mergers=regions.mergers, members=members)
    plan = pages.site_plan(catalog, regions, masked, make_chart, config.CONTENT)
    plan = maps.with_maps(plan, regions, data.shapes)
    cache = cache_dir or default_cache(out_dir)
    drawn = [c.chart for page in plan for c in page.charts] + [
        m.chart for page in plan for m in page.maps
    ]
    svgs = svg.svgs(drawn, cache)
    charts_only = {c.chart.digest for page in plan for c in page.charts}
    pngs = svg.pngs({d: svgs[d] for d in sorted(charts_only)}, cache)
    rendered = {digest: (svgs[digest], pngs.get(digest, b"")) for digest in svgs}
    demo = any(p.is_demo for p in catalog.packages.values())
    with output.staging(out_dir) as writer:
        for page in plan:
            _write_page(writer, page, catalog, rendered, demo)
        _write_static(writer)
        writer.write(svg.SCRIPT_FILE, svg.script(cache))
        _write_site_files(writer, plan, catalog, regions)
        report = audit.audit(writer.root, data.model, data.register)
        if not report.passed:
            raise UnsafeSite(report.summary, report.failures)
    return BuildReport(len(plan), len(writer.written), masked.suppressed, masked.published, report)


def _write_bulk(writer: output.SiteWriter, catalog: Catalog) -> None:
    """Every dataset's full download (CSVs and datapackage.json) in one zip."""
    members, files = [], []
    for package in catalog.datasets:
        folder = writer.root / config.dataset_url(package.name)
        for path in [*sorted(folder.glob("*.csv")), folder / "datapackage.json"]:
            name = f"{package.name}/{path.name}"
            members.append((name, path.read_bytes()))
            files.append((name, f"{package.title} ({path.name})"))
    cite = bundles.citation("Alle datasets", "", catalog.datasets)
    readme = bundles.readme("alle datasets", "", files, cite)
    writer.write(bundles.BULK_FILE, bundles.zip_bytes([*members, (bundles.README, readme)]))


def default_cache(out_dir: Path) -> Path:
    return out_dir.resolve().parent / ".cache" / "svg"


def _write_page(
    writer: output.SiteWriter, page: Page, catalog: Catalog, charts: dict[str, Rendered], demo: bool
) -> None:
    writer.write(config.page_file(page.url), render.render(page, demo))
    for chart in page.charts:
        svg_text, png = charts[chart.chart.digest]
        writer.write(page.url + chart.svg_file, svg_text)
        writer.write(page.url + chart.png_file, png)
        writer.write(page.url + chart.spec_file, chart.chart.spec_json + "\n")
        writer.write(page.url + chart.embed_file, render.render_embed(page, chart, demo))
    for drawn_map in page.maps:
        writer.write(page.url + drawn_map.svg_file, charts[drawn_map.chart.digest][0])
        writer.write(page.url + drawn_map.spec_file, drawn_map.chart.spec_json + "\n")
    written = [(t, writer.write_table(page.url + t.csv_file, t.masked)) for t in page.tables]
    if written:
        descriptor = downloads.datapackage_json(page.download_name, page.title, written, catalog)
        writer.write(page.url + "datapackage.json", descriptor)
        files = [(t.csv_file, t.description) for t, _ in written]
        files.append(("datapackage.json", "beschrijving van de bestanden"))
        members = [(t.csv_file, data) for t, data in written]
        members.append(("datapackage.json", descriptor.encode()))
        members.append((bundles.README, bundles.readme(page.title, page.url, files, page.citation)))
        writer.write(page.url + page.zip_file, bundles.zip_bytes(members))


def _write_static(writer: output.SiteWriter) -> None:
    for path in sorted(config.STATIC.rglob("*")):
        if path.is_file():
            writer.write("assets/" + path.relative_to(config.STATIC).as_posix(), path.read_bytes())


def _write_site_files(
    writer: output.SiteWriter, plan: tuple[Page, ...], catalog: Catalog, regions: Regions
) -> None:
    _write_bulk(writer, catalog)
    writer.write("404.html", render.render_not_found())
    writer.write("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {config.SITE_URL}sitemap.xml\n")
    writer.write("sitemap.xml", render.sitemap(plan))
    writer.write("_headers", render.headers_file())
    writer.write("catalogus.json", catalogue.catalogue_json(catalog, writer.root))
    datasets = ((p.name, p.title) for p in catalog.datasets)
    writer.write(config.SEARCH_INDEX, lookup.index_json(regions, datasets))
